//! Integration tests: each builds a small fixture site with the real binary and
//! checks the parsed output. One module per feature.

mod harness;

mod assets;
mod bad_input;
mod basic;
mod deploy;
mod editing;
mod errors;
mod front_matter;
mod i18n;
mod images;
mod incremental;
mod links;
mod news;
mod portal;
mod search;
mod serve;
mod templates;
mod themes;
