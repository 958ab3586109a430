//! Stage 2: each Markdown file → a parsed article or section. One file in, one
//! struct out, no site-wide knowledge: runs in parallel, in input order.
//!
//! In: `SourceTree`, `Config`. Out: `Parsed` (+ diagnostics).

mod cascade;
pub mod dates;
pub mod front_matter;
pub mod highlight;
mod inherit;
pub mod markdown;
mod read_ahead;
pub mod shortcodes;

use std::hash::BuildHasher;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::load::{CONTENT_DIR, STATIC_DIR, SourceFile, SourceKind, SourceTree, content_path};
use crate::slug::{self, slugify};
pub use front_matter::{FrontMatter, SortBy};
pub use markdown::{Body, MarkdownOptions, TocEntry};

/// An article, parsed, with everything its own file says resolved.
#[derive(Debug, Clone)]
pub struct ParsedArticle {
    /// Where it came from.
    pub source: Arc<SourceFile>,
    /// Fingerprint of everything the file's parse depends on (its text, path
    /// and bundle files): equal fingerprints, equal parses.
    pub source_hash: u64,
    /// Fingerprint of what lists and the link stage read: path, front matter,
    /// bundle files, summary, description and reading time — not the rest of
    /// the body, so that editing a paragraph leaves other pages alone.
    pub entry_hash: u64,
    /// Its front matter.
    pub meta: FrontMatter,
    /// Its rendered body.
    pub body: Body,
    /// Language code.
    pub lang: String,
    /// Last URL segment.
    pub slug: String,
    /// Publication time (front matter, else file name).
    pub date: DateTime<FixedOffset>,
    /// Last update.
    pub updated: Option<DateTime<FixedOffset>>,
    /// When it leaves lists.
    pub expires: Option<DateTime<FixedOffset>>,
    /// The summary as HTML (front matter `summary`, else from the body).
    pub summary_html: String,
    /// `<meta name="description">` text.
    pub description: String,
}

/// A section's `_index.md`, parsed.
#[derive(Debug, Clone)]
pub struct ParsedSection {
    /// Where it came from.
    pub source: Arc<SourceFile>,
    /// Fingerprint of the file's text and path.
    pub source_hash: u64,
    /// Its front matter.
    pub meta: FrontMatter,
    /// Its rendered body.
    pub body: Body,
    /// Language code.
    pub lang: String,
}

/// Every Markdown file of the site, parsed.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Articles, in source order (shared with the parse cache of watch/serve sessions).
    pub articles: Vec<Arc<ParsedArticle>>,
    /// Section indexes, in source order.
    pub sections: Vec<Arc<ParsedSection>>,
}

#[derive(Clone)]
enum Item {
    Article(Arc<ParsedArticle>),
    Section(Arc<ParsedSection>),
}

/// Turns a shortcode call into HTML (implemented by the templates; `None` in
/// `parse_all` when templates failed to load, and calls are then left out).
pub trait ShortcodeRenderer: Sync {
    /// The HTML of `call` in an article of `lang` at `path`; `body` is the
    /// block's Markdown rendered, `assets` the bundle's file names.
    fn render_shortcode(
        &self,
        call: &shortcodes::ShortcodeCall,
        body: Option<&str>,
        page: &ShortcodePage<'_>,
    ) -> Result<String, Vec<Diagnostic>>;
}

/// What a shortcode knows of the page it is in.
pub struct ShortcodePage<'a> {
    /// `content/…` path, for messages.
    pub path: &'a str,
    /// Language code.
    pub lang: &'a str,
    /// File names of the bundle (empty outside bundles).
    pub assets: &'a [String],
    /// The article's folder relative to `content/` (where `resize_image` looks first).
    pub folder: &'a str,
}

/// What a file's parse gave: the item (if it parsed) and its problems.
type FileResult = (Option<Item>, Vec<Diagnostic>);

/// Files parsed by earlier builds of a watch/serve session, reused while a
/// file's size and modification time stay the same.
#[derive(Default)]
pub struct ParseCache {
    files: rustc_hash::FxHashMap<String, (FileStamp, FileResult)>,
    /// The last build's results by place in its tree's files, with that
    /// tree's walk: a rebuild of the same walk finds them without a lookup.
    by_place: Option<(u64, Vec<FileResult>)>,
}

/// Modification time, size, and (for bundles) a hash of the bundle's file names.
type FileStamp = (Option<std::time::SystemTime>, u64, u64);

impl ParseCache {
    /// Forget everything (templates or site.yaml changed: every file may parse differently).
    pub fn clear(&mut self) {
        self.files.clear();
        self.by_place = None;
    }
}

fn stamp(config: &Config, file: &SourceFile, tree: &SourceTree) -> Option<FileStamp> {
    let meta = std::fs::metadata(content_path(config, &file.rel_path)).ok()?;
    let bundle = hash_source(file, "", &bundle_files(file, tree));
    Some((meta.modified().ok(), meta.len(), bundle))
}

/// Parse every file in parallel; every problem of every file is returned. With
/// a `cache` (watch and serve), unchanged files are not parsed again; when the
/// watcher knows the only files `changed` since the last build (paths relative
/// to `content/`), the others are taken from the cache without a `stat`.
pub fn parse_all(
    tree: &SourceTree,
    config: &Config,
    shortcodes: Option<&dyn ShortcodeRenderer>,
    cache: Option<&mut ParseCache>,
    changed: Option<&std::collections::HashSet<String>>,
) -> (Parsed, Vec<Diagnostic>) {
    let cascades = cascade::Cascades::new(tree, config);
    let cascade_of = |file: &SourceFile| {
        let lang = file.lang.as_deref().unwrap_or(config.default_language());
        if file.kind == SourceKind::SectionIndex {
            Default::default()
        } else {
            cascades.for_article(&file.section, lang, config)
        }
    };
    let parse = |file: &Arc<SourceFile>| {
        let found = Found {
            original: tree.original_of(file),
            cascade: cascade_of(file),
        };
        parse_file(file, config, tree, shortcodes, &found)
    };
    // A cascade reaches the articles below its section: after an `_index`
    // edit every file's stamp is compared.
    let changed = changed.filter(|c| !c.iter().any(|p| p.contains("_index.")));
    let stamp = |file: &SourceFile| {
        let mut own = stamp(config, file, tree).unwrap_or_default();
        own.2 ^= FxBuildHasher.hash_one(format!("{:?}", cascade_of(file)));
        // A translation also changes with the original it inherits from.
        match tree.original_of(file).and_then(|o| stamp(config, o, tree)) {
            Some(original) => (
                own.0.max(original.0),
                own.1 ^ original.1.rotate_left(32),
                own.2 ^ original.2,
            ),
            None => own,
        }
    };
    let mut cache = cache;
    let results: Vec<FileResult> = match (cache.as_deref_mut(), changed) {
        (None, _) => read_ahead::parse_in_order(config, &tree.files, parse),
        (Some(cache), Some(changed)) => {
            let inherits_changed = |file: &SourceFile| {
                (tree.original_of(file)).is_some_and(|o| changed.contains(&o.rel_path))
            };
            let unchanged =
                |file: &SourceFile| !changed.contains(&file.rel_path) && !inherits_changed(file);
            cache.parse_changed(tree, unchanged, stamp, parse)
        }
        (Some(cache), None) => cache.parse_stamped(&tree.files, stamp, parse),
    };
    if let Some(cache) = cache {
        cache.by_place = Some((tree.walk, results.clone()));
    }
    gather(results)
}

/// The articles and section indexes of the files' results, in order, and
/// every problem.
fn gather(results: Vec<FileResult>) -> (Parsed, Vec<Diagnostic>) {
    let mut parsed = Parsed::default();
    let mut problems = Vec::new();
    for (item, file_problems) in results {
        problems.extend(file_problems);
        match item {
            Some(Item::Article(a)) => parsed.articles.push(a),
            Some(Item::Section(s)) => parsed.sections.push(s),
            None => {}
        }
    }
    (parsed, problems)
}

impl ParseCache {
    /// Parse the files the watcher saw change (`unchanged` says which did
    /// not), taking the others from the cache without looking at them.
    fn parse_changed(
        &mut self,
        tree: &SourceTree,
        unchanged: impl Fn(&SourceFile) -> bool,
        stamp: impl Fn(&SourceFile) -> FileStamp,
        parse: impl Fn(&Arc<SourceFile>) -> FileResult,
    ) -> Vec<FileResult> {
        let files = &tree.files;
        let same_walk = (self.by_place.take())
            .filter(|(walk, results)| *walk == tree.walk && results.len() == files.len());
        if let Some((_, mut results)) = same_walk {
            for (file, result) in files.iter().zip(&mut results) {
                if !unchanged(file) {
                    let fresh = (stamp(file), parse(file));
                    *result = fresh.1.clone();
                    self.files.insert(file.rel_path.clone(), fresh);
                }
            }
            return results;
        }
        let mut reparsed = Vec::new();
        let results = files
            .iter()
            .map(|file| match self.files.get(&file.rel_path) {
                Some((_, result)) if unchanged(file) => result.clone(),
                _ => {
                    let fresh = (stamp(file), parse(file));
                    reparsed.push((file.rel_path.clone(), fresh.clone()));
                    fresh.1
                }
            })
            .collect();
        self.files.extend(reparsed);
        results
    }

    /// Parse, in parallel, every file whose stamp differs from the cached
    /// one; the cache then holds exactly these files.
    fn parse_stamped(
        &mut self,
        files: &[Arc<SourceFile>],
        stamp: impl Fn(&SourceFile) -> FileStamp + Sync,
        parse: impl Fn(&Arc<SourceFile>) -> FileResult + Sync,
    ) -> Vec<FileResult> {
        let fresh: Vec<(FileStamp, FileResult)> = files
            .par_iter()
            .map(|file| {
                let stamp = stamp(file);
                match self.files.get(&file.rel_path) {
                    Some((cached, result)) if *cached == stamp && cached.0.is_some() => {
                        (stamp, result.clone())
                    }
                    _ => (stamp, parse(file)),
                }
            })
            .collect();
        self.files = files
            .iter()
            .map(|f| f.rel_path.clone())
            .zip(fresh.iter().cloned())
            .collect();
        fresh.into_iter().map(|(_, result)| result).collect()
    }
}

/// What other files give a file while it parses: the original a translation
/// inherits from, and the keys cascaded from the sections above it.
struct Found<'a> {
    original: Option<&'a SourceFile>,
    cascade: crate::yaml::YamlMapping,
}

/// Read a content file as text: UTF-8, no NUL bytes, BOM dropped, CRLF → LF.
pub fn read_source(config: &Config, file: &SourceFile) -> Result<String, Diagnostic> {
    let path = display_path(file);
    let bytes = std::fs::read(content_path(config, &file.rel_path))
        .map_err(|e| Diagnostic::error(SourceLocation::file(&path), format!("cannot read: {e}")))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            let (line, col) = crate::diagnostics::line_col(&prefix, valid);
            return Err(Diagnostic::error(
                SourceLocation::new(&path, line, col),
                "invalid UTF-8: content files must be UTF-8 text",
            ));
        }
    };
    if let Some(nul) = text.find('\0') {
        let (line, col) = crate::diagnostics::line_col(&text, nul);
        return Err(Diagnostic::error(
            SourceLocation::new(&path, line, col),
            "NUL byte: content files must be text",
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

/// `content/<rel>`, as messages name files.
pub fn display_path(file: &SourceFile) -> String {
    format!("{CONTENT_DIR}/{}", file.rel_path)
}

fn parse_file(
    file: &Arc<SourceFile>,
    config: &Config,
    tree: &SourceTree,
    shortcodes: Option<&dyn ShortcodeRenderer>,
    found: &Found<'_>,
) -> (Option<Item>, Vec<Diagnostic>) {
    let original = found.original;
    let path = display_path(file);
    let text = match read_source(config, file) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    let bundle = bundle_files(file, tree);
    let source_hash = hash_source(file, &text, &bundle);
    let split = match front_matter::split(&text) {
        Ok(split) => split,
        Err((line, message)) => {
            let at = SourceLocation::new(&path, line, 1);
            return (None, vec![Diagnostic::error(at, message)]);
        }
    };
    let with_cascade = cascade::apply(split.yaml, &found.cascade);
    let yaml_text = with_cascade.as_deref().unwrap_or(split.yaml);
    let (meta, mut problems) = front_matter::parse(yaml_text, &path, &config.taxonomies);
    let Some(mut meta) = meta else {
        return (None, problems);
    };
    problems.extend(cascade::check(&meta, split.yaml, &path, &config.taxonomies));
    // What a translation inherits is part of its source and of its list entry.
    let inherited = original.and_then(|o| inherit::original_meta(config, o));
    if let Some((from, _)) = &inherited {
        inherit::inherit(&mut meta, from);
    }
    let inherited_yaml = inherited.map(|(_, yaml)| yaml);
    let source_hash = FxBuildHasher.hash_one((source_hash, &inherited_yaml));
    let at_key = |key: &str| front_matter::key_location(split.yaml, &path, key);
    let Some(lang) = resolve_language(file, &meta, config, &path, &at_key, &mut problems) else {
        return (None, problems);
    };
    let page = ShortcodePage {
        path: &path,
        lang: &lang,
        assets: &bundle,
        folder: file.folder(),
    };
    let Some(body) = render_body(&split, config, shortcodes, &page, &mut problems) else {
        return (None, problems);
    };
    if file.kind == SourceKind::SectionIndex {
        let section = ParsedSection {
            source_hash,
            source: file.clone(),
            meta,
            body,
            lang,
        };
        return (Some(Item::Section(Arc::new(section))), problems);
    }
    problems.extend(section_keys(split.yaml, &at_key));
    check_files(file, &meta, &body, tree, &path, &at_key, &mut problems);
    check_photos(config, file, &meta, &body, &path, &at_key, &mut problems);
    let body = without_checked_links(body, config);
    let article =
        resolve_article(file, meta, body, lang, config, &at_key, &mut problems).map(|article| {
            let entry = (
                &file.rel_path,
                yaml_text,
                &inherited_yaml,
                &bundle,
                &article.summary_html,
                &article.description,
                article.body.reading_time,
            );
            ParsedArticle {
                source_hash,
                entry_hash: FxBuildHasher.hash_one(entry),
                ..article
            }
        });
    (article.map(|a| Item::Article(Arc::new(a))), problems)
}

/// An article's body without what only the parse's checks read (the check
/// for links to other sites aside): the build holds every article's body.
fn without_checked_links(body: Body, config: &Config) -> Body {
    let external_links = match config.external_links {
        true => body.external_links,
        false => Vec::new(),
    };
    Body {
        local_links: Vec::new(),
        unknown_languages: Vec::new(),
        external_links,
        ..body
    }
}

/// A warning for each key of an article's front matter that only a
/// section's `_index.md` uses.
fn section_keys(yaml: &str, at_key: &dyn Fn(&str) -> SourceLocation) -> Vec<Diagnostic> {
    ["sort_by", "paginate_by", "page_template", "transparent"]
        .into_iter()
        .filter(|key| yaml_has_key(yaml, key))
        .map(|key| {
            let message = format!("`{key}` only applies to a section's _index.md");
            Diagnostic::warning(at_key(key), message)
        })
        .collect()
}

/// The body of a file: its shortcodes taken out, its Markdown rendered and
/// the shortcodes' HTML put back in; `None` when a shortcode call is broken.
fn render_body(
    split: &front_matter::Split<'_>,
    config: &Config,
    shortcodes: Option<&dyn ShortcodeRenderer>,
    page: &ShortcodePage<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Body> {
    let path = page.path;
    let options = MarkdownOptions {
        unsafe_html: config.unsafe_html,
        external_new_tab: config.external_links_new_tab,
        external_nofollow: config.external_links_nofollow,
    };
    let (markdown_text, calls) = match shortcodes::extract(split.body, split.body_line) {
        Ok(found) => found,
        Err(found) => {
            let at = |(line, col, message): (usize, usize, String)| {
                Diagnostic::error(SourceLocation::new(path, line, col), message)
            };
            problems.extend(found.into_iter().map(at));
            return None;
        }
    };
    problems.extend(calls.iter().filter_map(shortcodes::figure_without_alt).map(
        |(line, col, message)| Diagnostic::warning(SourceLocation::new(path, line, col), message),
    ));
    let mut body = markdown::render(&markdown_text, split.body_line, options);
    if let (false, Some(renderer)) = (calls.is_empty(), shortcodes) {
        let mut htmls = Vec::with_capacity(calls.len());
        for call in &calls {
            let body_html = call.body.as_deref().map(markdown::render_inline);
            match renderer.render_shortcode(call, body_html.as_deref(), page) {
                Ok(html) => htmls.push(html),
                Err(found) => problems.extend(found),
            }
        }
        body.has_shortcodes = true;
        if htmls.len() == calls.len() {
            body.html = fill_shortcodes(&body.html.unpack(), &htmls).as_str().into();
            body.summary_html = fill_shortcodes(&body.summary_html, &htmls);
        }
    }
    for (lang, line, col) in &body.unknown_languages {
        problems.push(Diagnostic::warning(
            SourceLocation::new(path, *line, *col),
            format!("code language `{lang}` is not known to the highlighter; the block is shown as plain text"),
        ));
    }
    Some(body)
}

/// Links, images and the lead image must name files that exist: in the bundle
/// for relative paths, under `static/` for absolute ones. Images need alt text.
fn check_files(
    file: &SourceFile,
    meta: &FrontMatter,
    body: &Body,
    tree: &SourceTree,
    path: &str,
    at_key: &dyn Fn(&str) -> SourceLocation,
    problems: &mut Vec<Diagnostic>,
) {
    let bundle = bundle_files(file, tree);
    let exists = |dest: &str| -> Option<bool> {
        let dest = dest.split(['?', '#']).next().unwrap_or(dest);
        if let Some(rooted) = dest.strip_prefix('/') {
            let theme = crate::theme::STATIC.iter().any(|(name, _)| *name == rooted);
            Some(theme || tree.static_files.iter().any(|f| f == rooted))
        } else if file.kind == SourceKind::Bundle {
            let relative = dest.trim_start_matches("./");
            Some(bundle.iter().any(|f| f == relative))
        } else {
            None
        }
    };
    let is_file = |dest: &str| {
        let last = dest
            .split(['?', '#'])
            .next()
            .unwrap_or(dest)
            .rsplit('/')
            .next()
            .unwrap_or_default();
        last.contains('.') && !last.ends_with(".html") && !last.ends_with(".htm")
    };
    for link in &body.local_links {
        let here = SourceLocation::new(path, link.line, link.col);
        if is_file(&link.dest) && exists(&link.dest) == Some(false) {
            let kind = if link.is_image { "image" } else { "link" };
            problems.push(Diagnostic::error(
                here.clone(),
                format!(
                    "{kind} to a missing file `{}`: expected it {}",
                    link.dest,
                    where_files_live(&link.dest)
                ),
            ));
        }
        if link.is_image && link.alt.trim().is_empty() {
            problems.push(Diagnostic::warning(
                here,
                format!(
                    "image `{}` has no alt text: write ![what it shows]({})",
                    link.dest, link.dest
                ),
            ));
        }
    }
    if let Some(image) = meta.image.as_deref().filter(|i| markdown::is_external(i)) {
        if !(image.starts_with("https://") || image.starts_with("http://")) {
            problems.push(Diagnostic::error(
                at_key("image"),
                format!("image: \"{image}\" is not an http(s) URL or a path of the site"),
            ));
        }
    }
    if let Some(image) = meta.image.as_deref().filter(|i| !markdown::is_external(i)) {
        match exists(image) {
            Some(true) => {}
            Some(false) => problems.push(Diagnostic::error(
                at_key("image"),
                format!("image: missing file `{image}`, expected it {}", where_files_live(image)),
            )),
            None => problems.push(Diagnostic::error(
                at_key("image"),
                format!("image: `{image}` is relative, but only bundles (<name>/index.md) have files beside the page; use /path under static/"),
            )),
        }
        if meta
            .image_alt
            .as_deref()
            .is_none_or(|a| a.trim().is_empty())
        {
            problems.push(Diagnostic::warning(
                at_key("image"),
                "image has no `image_alt` text",
            ));
        }
    }
}

/// Photos the page shows (Markdown images, the lead image) must be whole: a
/// file that does not decode is an error, one that decodes only partly a warning.
fn check_photos(
    config: &Config,
    file: &SourceFile,
    meta: &FrontMatter,
    body: &Body,
    path: &str,
    at_key: &dyn Fn(&str) -> SourceLocation,
    problems: &mut Vec<Diagnostic>,
) {
    let local = |dest: &str| -> Option<std::path::PathBuf> {
        let dest = dest.split(['?', '#']).next().unwrap_or(dest);
        if !crate::photo::is_photo(dest) || markdown::is_external(dest) {
            return None;
        }
        let found = match dest.strip_prefix('/') {
            Some(rooted) => config.root.join(STATIC_DIR).join(rooted),
            None if file.kind == SourceKind::Bundle => {
                content_path(config, file.folder()).join(dest.trim_start_matches("./"))
            }
            None => return None,
        };
        found.is_file().then_some(found)
    };
    let images = body
        .local_links
        .iter()
        .filter(|l| l.is_image)
        .map(|l| (l.dest.as_str(), SourceLocation::new(path, l.line, l.col)));
    let lead = meta.image.as_deref().map(|i| (i, at_key("image")));
    for (dest, at) in images.chain(lead) {
        let Some(photo) = local(dest) else { continue };
        match crate::photo::inspect_file(&photo) {
            crate::photo::Verdict::Whole => {}
            crate::photo::Verdict::Partial(why) => {
                problems.push(Diagnostic::warning(at, format!("photo `{dest}`: {why}")))
            }
            crate::photo::Verdict::Broken(why) => {
                problems.push(Diagnostic::error(at, format!("photo `{dest}`: {why}")))
            }
        }
    }
}

fn where_files_live(dest: &str) -> &'static str {
    if dest.starts_with('/') {
        "under static/"
    } else {
        "in the article's bundle folder"
    }
}

/// The fingerprint of a content file: path, text and (for bundles) file names.
fn hash_source(file: &SourceFile, text: &str, bundle: &[String]) -> u64 {
    FxBuildHasher.hash_one((&file.rel_path, text, bundle))
}

/// File names of a bundle's other files (for the `gallery` shortcode).
fn bundle_files(file: &SourceFile, tree: &SourceTree) -> Vec<String> {
    if file.kind != SourceKind::Bundle {
        return Vec::new();
    }
    let prefix = format!("{}/", file.folder());
    tree.bundle_assets
        .iter()
        .filter_map(|a| a.strip_prefix(&prefix).map(str::to_string))
        .collect()
}

/// Put each shortcode's HTML where Markdown left its placeholder (as a
/// paragraph of its own, or inside one).
fn fill_shortcodes(html: &str, htmls: &[String]) -> String {
    let mut out = html.to_string();
    for (i, shortcode) in htmls.iter().enumerate().rev() {
        let token = shortcodes::placeholder(i);
        out = out
            .replace(&format!("<p>{token}</p>\n"), shortcode)
            .replace(&token, shortcode);
    }
    out
}

fn yaml_has_key(yaml: &str, key: &str) -> bool {
    crate::yaml::key_position(yaml, key).is_some()
}

/// The article's language: the file name's, else `lang:`, else the default.
/// A code that only extends a site language (`zh_cn` for `zh`) is a warning.
fn resolve_language(
    file: &SourceFile,
    meta: &FrontMatter,
    config: &Config,
    path: &str,
    at_key: &dyn Fn(&str) -> SourceLocation,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let extended = |written: &str, code: &str, at: SourceLocation| {
        Diagnostic::warning(
            at,
            format!("language \"{written}\" is taken as \"{code}\", the site language it extends"),
        )
    };
    if let (Some(code), Some(written)) = (&file.lang, &file.lang_written) {
        problems.push(extended(written, code, SourceLocation::file(path)));
    }
    let name = file.rel_path.rsplit('/').next().unwrap_or_default();
    if let Some((_, written)) = crate::load::unknown_language(name, config) {
        problems.push(Diagnostic::error(
            SourceLocation::file(path),
            crate::load::unknown_language_message(written, config),
        ));
        return None;
    }
    let written = meta.lang.as_deref().map(str::trim);
    let from_key = match written.map(|w| (w, config.match_language(w))) {
        None => None,
        Some((written, Some((code, was_extended)))) => {
            if was_extended {
                problems.push(extended(written, code, at_key("lang")));
            }
            Some(code)
        }
        Some((written, None)) => {
            problems.push(Diagnostic::error(
                at_key("lang"),
                format!(
                    "lang: \"{written}\" is not a language of this site, expected one of {}",
                    config.language_codes()
                ),
            ));
            return None;
        }
    };
    match (&file.lang, from_key) {
        (Some(from_name), Some(code)) if from_name != code => {
            problems.push(Diagnostic::error(
                at_key("lang"),
                format!(
                    "lang: \"{}\" contradicts the file name's language \"{from_name}\"",
                    written.unwrap_or_default()
                ),
            ));
            None
        }
        (Some(code), _) => Some(code.clone()),
        (None, Some(code)) => Some(code.to_string()),
        (None, None) => Some(config.default_language().to_string()),
    }
}

fn resolve_article(
    file: &Arc<SourceFile>,
    mut meta: FrontMatter,
    mut body: Body,
    lang: String,
    config: &Config,
    at_key: &dyn Fn(&str) -> SourceLocation,
    problems: &mut Vec<Diagnostic>,
) -> Option<ParsedArticle> {
    let errors_before = problems.iter().filter(|p| p.is_error()).count();
    let dated = dates::split_dated_name(&file.stem);
    let name_slug = dated.map_or(file.stem.as_str(), |(_, rest)| rest);
    let date = match (meta.date, dated) {
        (Some(date), _) | (None, Some((date, _))) => date.resolve(config.timezone),
        (None, None) => {
            problems.push(Diagnostic::error(
                at_key("date"),
                "date: missing, expected `date: YYYY-MM-DD` or a file name starting with YYYY-MM-DD-",
            ));
            return None;
        }
    };
    let slug = match &meta.slug {
        Some(written) if slug::is_safe_segment(written.trim()) => written.trim().to_string(),
        Some(written) => {
            problems.push(Diagnostic::error(
                at_key("slug"),
                format!("slug: \"{written}\" is not a single URL segment, expected letters, digits and dashes without / \\ % or leading dots"),
            ));
            String::new()
        }
        None => slugify(name_slug, config.slugify),
    };
    if slug.is_empty() && meta.slug.is_none() {
        problems.push(Diagnostic::error(
            SourceLocation::file(display_path(file)),
            "the file name gives an empty slug: add `slug:` to the front matter",
        ));
    }
    for alias in &meta.aliases {
        if !is_safe_path(alias) {
            problems.push(Diagnostic::error(
                at_key("aliases"),
                format!("aliases: \"{alias}\" is not a safe site path, expected /segment/segment/ without `..`, `\\` or %-escapes"),
            ));
        }
    }
    if let Some(template) = &meta.template {
        if !is_safe_template_name(template) {
            problems.push(Diagnostic::error(
                at_key("template"),
                format!("template: \"{template}\" must name a file inside templates/, without `..` or a leading /"),
            ));
        }
    }
    if let Some(key) = &meta.translation_key {
        if key.trim().is_empty() || key.chars().any(char::is_control) {
            problems.push(Diagnostic::error(
                at_key("translation_key"),
                "translation_key: must be plain text",
            ));
        }
    }
    if problems.iter().filter(|p| p.is_error()).count() > errors_before {
        return None;
    }
    // The article's own fields hold its summary and description from here
    // on: copies left in the front matter and the body would be held for
    // every article of the archive until the end of the build.
    let summary = meta.summary.take();
    let body_summary = std::mem::take(&mut body.summary_html);
    let body_text = std::mem::take(&mut body.summary_text);
    let mut summary_html = match &summary {
        Some(summary) => markdown::render_front_matter(summary),
        None => body_summary,
    };
    let mut description = meta.description.take().or(summary).unwrap_or(body_text);
    summary_html.shrink_to_fit();
    description.shrink_to_fit();
    Some(ParsedArticle {
        source_hash: 0,
        entry_hash: 0,
        updated: meta.updated.map(|d| d.resolve(config.timezone)),
        expires: meta.expires.map(|d| d.resolve(config.timezone)),
        source: file.clone(),
        meta,
        body,
        lang,
        slug,
        date,
        summary_html,
        description,
    })
}

/// A site path made of safe segments (`/old/news/visit/` or `old.html`).
pub fn is_safe_path(path: &str) -> bool {
    let trimmed = path.trim().trim_matches('/');
    !trimmed.is_empty() && trimmed.split('/').all(slug::is_safe_segment)
}

/// A template name inside templates/: relative, no dot-segments, no backslashes.
pub fn is_safe_template_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && name
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths() {
        assert!(is_safe_path("/old/visit/"));
        assert!(is_safe_path("old.html"));
        for bad in ["/../etc/", "a/%2e%2e/b", "a\\b", "/", "/a/./b"] {
            assert!(!is_safe_path(bad), "{bad}");
        }
    }

    #[test]
    fn safe_template_names() {
        assert!(is_safe_template_name("special/page.html"));
        for bad in ["../x.html", "/etc/passwd", "a\\b.html", ""] {
            assert!(!is_safe_template_name(bad), "{bad}");
        }
    }
}
