//! Stage 2: each Markdown file → a parsed article or section. One file in, one
//! struct out, no site-wide knowledge: runs in parallel, in input order.
//!
//! In: `SourceTree`, `Config`. Out: `Parsed` (+ diagnostics).

pub mod dates;
pub mod front_matter;
pub mod markdown;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::load::{CONTENT_DIR, SourceFile, SourceKind, SourceTree, content_path};
use crate::slug::{self, slugify};
pub use front_matter::{FrontMatter, SortBy};
pub use markdown::{Body, MarkdownOptions, TocEntry};

/// An article, parsed, with everything its own file says resolved.
#[derive(Debug, Clone)]
pub struct ParsedArticle {
    /// Where it came from.
    pub source: SourceFile,
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
    pub source: SourceFile,
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
    /// Articles, in source order.
    pub articles: Vec<ParsedArticle>,
    /// Section indexes, in source order.
    pub sections: Vec<ParsedSection>,
}

enum Item {
    Article(Box<ParsedArticle>),
    Section(Box<ParsedSection>),
}

/// Parse every file in parallel; every problem of every file is returned.
pub fn parse_all(tree: &SourceTree, config: &Config) -> (Parsed, Vec<Diagnostic>) {
    let results: Vec<(Option<Item>, Vec<Diagnostic>)> = tree
        .files
        .par_iter()
        .map(|file| parse_file(file, config))
        .collect();
    let mut parsed = Parsed::default();
    let mut problems = Vec::new();
    for (item, file_problems) in results {
        problems.extend(file_problems);
        match item {
            Some(Item::Article(a)) => parsed.articles.push(*a),
            Some(Item::Section(s)) => parsed.sections.push(*s),
            None => {}
        }
    }
    (parsed, problems)
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

fn parse_file(file: &SourceFile, config: &Config) -> (Option<Item>, Vec<Diagnostic>) {
    let path = display_path(file);
    let text = match read_source(config, file) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    let split = match front_matter::split(&text) {
        Ok(split) => split,
        Err((line, message)) => {
            return (
                None,
                vec![Diagnostic::error(
                    SourceLocation::new(&path, line, 1),
                    message,
                )],
            );
        }
    };
    let (meta, mut problems) = front_matter::parse(split.yaml, &path, &config.taxonomies);
    let Some(meta) = meta else {
        return (None, problems);
    };
    let at_key = |key: &str| front_matter::key_location(split.yaml, &path, key);
    let lang = match resolve_language(file, &meta, config) {
        Ok(lang) => lang,
        Err(message) => {
            problems.push(Diagnostic::error(at_key("lang"), message));
            return (None, problems);
        }
    };
    let options = MarkdownOptions {
        unsafe_html: config.unsafe_html,
    };
    let body = markdown::render(split.body, split.body_line, options);
    if file.kind == SourceKind::SectionIndex {
        let section = ParsedSection {
            source: file.clone(),
            meta,
            body,
            lang,
        };
        return (Some(Item::Section(Box::new(section))), problems);
    }
    for key in ["sort_by", "paginate_by", "page_template", "transparent"] {
        if yaml_has_key(split.yaml, key) {
            problems.push(Diagnostic::warning(
                at_key(key),
                format!("`{key}` only applies to a section's _index.md"),
            ));
        }
    }
    let article = resolve_article(file, meta, body, lang, config, &at_key, &mut problems);
    (article.map(|a| Item::Article(Box::new(a))), problems)
}

fn yaml_has_key(yaml: &str, key: &str) -> bool {
    crate::yaml::key_position(yaml, key).is_some()
}

fn resolve_language(
    file: &SourceFile,
    meta: &FrontMatter,
    config: &Config,
) -> Result<String, String> {
    match (&file.lang, &meta.lang) {
        (Some(from_name), Some(written)) if from_name != written => Err(format!(
            "lang: \"{written}\" contradicts the file name's language \"{from_name}\""
        )),
        (Some(code), _) => Ok(code.clone()),
        (None, Some(code)) if config.has_language(code) => Ok(code.clone()),
        (None, Some(code)) => {
            let known: Vec<_> = config.languages.iter().map(|l| l.code.as_str()).collect();
            Err(format!(
                "lang: \"{code}\" is not a language of this site, expected one of {}",
                known.join(", ")
            ))
        }
        (None, None) => Ok(config.default_language().to_string()),
    }
}

fn resolve_article(
    file: &SourceFile,
    meta: FrontMatter,
    body: Body,
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
    let summary_html = match &meta.summary {
        Some(summary) => markdown::render_inline(summary),
        None => body.summary_html.clone(),
    };
    let description = meta
        .description
        .clone()
        .or_else(|| meta.summary.clone())
        .unwrap_or_else(|| body.summary_text.clone());
    Some(ParsedArticle {
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
