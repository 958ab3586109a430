//! Translation coverage (`gazette check --translations`): per section and
//! language, how many default-language articles are translated, which are
//! missing, and which translations are stale (the original's `updated`, else
//! `date`, later than the translation's).

use std::collections::BTreeMap;

use serde::Serialize;

use super::ContentTree;
use crate::config::Config;
use crate::parse::display_path;

/// The whole report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The language translated from.
    pub default_language: String,
    /// The languages translated into.
    pub languages: Vec<String>,
    /// Per section folder (`""` is the home).
    pub sections: Vec<SectionCoverage>,
    /// Every section added up, per language.
    pub totals: BTreeMap<String, Counts>,
}

/// One section's coverage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SectionCoverage {
    /// Folder under `content/`.
    pub section: String,
    /// Language → its coverage here.
    pub languages: BTreeMap<String, LanguageCoverage>,
}

/// One language's coverage of one section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LanguageCoverage {
    /// The numbers.
    #[serde(flatten)]
    pub counts: Counts,
    /// Originals without a translation (`content/news/visit.md`).
    pub missing_files: Vec<String>,
    /// Translations older than their original.
    pub stale_files: Vec<Stale>,
}

/// Translated, missing and stale counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Originals with a translation (stale ones included).
    pub translated: usize,
    /// Originals without one.
    pub missing: usize,
    /// Translations older than their original.
    pub stale: usize,
}

/// A translation older than its original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stale {
    /// The original's file.
    pub original: String,
    /// The translation's file.
    pub translation: String,
    /// The original's last change (RFC 3339).
    pub original_changed: String,
    /// The translation's last change.
    pub translation_changed: String,
}

/// The coverage of every published default-language article.
pub fn report(config: &Config, content: &ContentTree) -> Coverage {
    let default = config.default_language();
    let others: Vec<&str> = config
        .languages
        .iter()
        .skip(1)
        .map(|l| l.code.as_str())
        .collect();
    let mut sections: BTreeMap<&str, SectionCoverage> = BTreeMap::new();
    let changed = |id: usize| {
        let parsed = &content.articles[id].parsed;
        parsed.updated.unwrap_or(parsed.date)
    };
    for (id, article) in content.articles.iter().enumerate() {
        if article.parsed.lang != default {
            continue;
        }
        let folder = article.parsed.source.section.as_str();
        let section = sections.entry(folder).or_insert_with(|| SectionCoverage {
            section: folder.to_string(),
            ..Default::default()
        });
        for &lang in &others {
            let coverage = section.languages.entry(lang.to_string()).or_default();
            let translation = content.in_language(id, lang);
            if translation == id {
                coverage.counts.missing += 1;
                coverage
                    .missing_files
                    .push(display_path(&article.parsed.source));
                continue;
            }
            coverage.counts.translated += 1;
            if changed(id) > changed(translation) {
                coverage.counts.stale += 1;
                coverage.stale_files.push(Stale {
                    original: display_path(&article.parsed.source),
                    translation: display_path(&content.articles[translation].parsed.source),
                    original_changed: changed(id).to_rfc3339(),
                    translation_changed: changed(translation).to_rfc3339(),
                });
            }
        }
    }
    let mut totals: BTreeMap<String, Counts> = others
        .iter()
        .map(|l| (l.to_string(), Counts::default()))
        .collect();
    for section in sections.values() {
        for (lang, coverage) in &section.languages {
            let total = totals.entry(lang.clone()).or_default();
            total.translated += coverage.counts.translated;
            total.missing += coverage.counts.missing;
            total.stale += coverage.counts.stale;
        }
    }
    Coverage {
        default_language: default.to_string(),
        languages: others.iter().map(|l| l.to_string()).collect(),
        sections: sections.into_values().collect(),
        totals,
    }
}

impl Coverage {
    /// The report as text, one line per section and language, then the files.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let mut out = format!(
            "Translations from {} into {}\n",
            self.default_language,
            self.languages.join(", ")
        );
        for section in &self.sections {
            let name = if section.section.is_empty() {
                "(home)"
            } else {
                &section.section
            };
            for (lang, c) in &section.languages {
                let _ = writeln!(
                    out,
                    "{name} [{lang}]: {} translated, {} missing, {} stale",
                    c.counts.translated, c.counts.missing, c.counts.stale
                );
                for file in &c.missing_files {
                    let _ = writeln!(out, "  missing: {file}");
                }
                for s in &c.stale_files {
                    let _ = writeln!(
                        out,
                        "  stale: {} (original {} changed {}, translation {})",
                        s.translation, s.original, s.original_changed, s.translation_changed
                    );
                }
            }
        }
        for (lang, c) in &self.totals {
            let _ = writeln!(
                out,
                "total [{lang}]: {} translated, {} missing, {} stale",
                c.translated, c.missing, c.stale
            );
        }
        out
    }
}
