//! `SourceFile`: one Markdown input and what its path says about it.

use crate::config::Config;

/// What a Markdown file is, judged by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// `_index.md`: a section's (or the home's) own page.
    SectionIndex,
    /// `<name>.md`: an article.
    Article,
    /// `<name>/index.md`: an article bundle; the folder's other files are its assets.
    Bundle,
}

/// A Markdown file under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to `content/`, with `/` separators (`news/visit.ru.md`).
    pub rel_path: String,
    /// What it is.
    pub kind: SourceKind,
    /// Folder of the section it belongs to, relative to `content/` (`""` = home).
    pub section: String,
    /// File name without language and extension, or the bundle's folder name
    /// (`2023-05-10-visit`); for section indexes `_index`.
    pub stem: String,
    /// Language code from the file name (`visit.ru.md`), when it names a site language.
    pub lang: Option<String>,
    /// The file name's code as written, when it only extends the site's
    /// language (`visit.zh_cn.md` for `zh`): worth a warning.
    pub lang_written: Option<String>,
    /// For a translation: the place in `SourceTree::files` of the article it
    /// translates (see `SourceTree::original_of`).
    pub original: Option<usize>,
}

impl SourceFile {
    /// Classify a file outside bundles; `None` for files that are not Markdown.
    pub fn classify(rel: &str, config: &Config) -> Option<SourceFile> {
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        if !is_markdown(name) {
            return None;
        }
        let (stem, lang, lang_written) = split_name(name, config);
        let kind = if stem == "_index" {
            SourceKind::SectionIndex
        } else {
            SourceKind::Article
        };
        Some(SourceFile {
            rel_path: rel.to_string(),
            kind,
            section: dir.to_string(),
            stem,
            lang,
            lang_written,
            original: None,
        })
    }

    /// Classify a file inside the bundle folder `bundle`: its `index.md`
    /// variants are the article, everything else is an asset (`None`).
    pub fn in_bundle(rel: &str, bundle: &str, config: &Config) -> Option<SourceFile> {
        let name = rel.strip_prefix(bundle)?.strip_prefix('/')?;
        if name.contains('/') || !is_markdown(name) {
            return None;
        }
        let (stem, lang, lang_written) = split_name(name, config);
        if stem != "index" {
            return None;
        }
        let (section, folder) = bundle.rsplit_once('/').unwrap_or(("", bundle));
        Some(SourceFile {
            rel_path: rel.to_string(),
            kind: SourceKind::Bundle,
            section: section.to_string(),
            stem: folder.to_string(),
            lang,
            lang_written,
            original: None,
        })
    }

    /// The folder this file's relative links start from (the bundle or the section).
    pub fn folder(&self) -> &str {
        self.rel_path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

/// `.md` and `.markdown` files are content.
pub(crate) fn is_markdown(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".markdown")
}

/// A file name without its extension, and its last `.part` when it has one:
/// `visit.ru.md` → (`visit.ru`, Some((`visit`, `ru`))).
fn base_and_code(name: &str) -> (&str, Option<(&str, &str)>) {
    let base = name
        .strip_suffix(".md")
        .or_else(|| name.strip_suffix(".markdown"))
        .unwrap_or(name);
    (base, base.rsplit_once('.'))
}

/// The stem and language code of a file name written in a code that matches
/// none of the site's languages (`visit.fr.md` → (`visit`, `fr`)); `None` when
/// the name has no code, or a site language's, or its last part is no
/// language code (`v1.2.md`).
pub fn unknown_language<'a>(name: &'a str, config: &Config) -> Option<(&'a str, &'a str)> {
    let (stem, written) = base_and_code(name).1?;
    let is_code = crate::config::valid_language_code(written).is_ok();
    (is_code && config.match_language(written).is_none()).then_some((stem, written))
}

/// What is wrong with a file name written in `written`, no site language.
pub fn unknown_language_message(written: &str, config: &Config) -> String {
    format!(
        "language \"{written}\" in the file name is not a language of this site, expected one of {} (or add it under languages: in site.yaml)",
        config.language_codes()
    )
}

/// `visit.ru.md` → (`visit`, Some(`ru`), None) when `ru` is a site language;
/// `visit.zh_cn.md` → (`visit`, Some(`zh`), Some(`zh_cn`)) for a site with `zh`;
/// `v1.2.md` → (`v1.2`, None, None).
pub fn split_name(name: &str, config: &Config) -> (String, Option<String>, Option<String>) {
    let (base, parts) = base_and_code(name);
    let Some((stem, written)) = parts else {
        return (base.to_string(), None, None);
    };
    match config.match_language(written) {
        Some((code, extended)) => (
            stem.to_string(),
            Some(code.to_string()),
            extended.then(|| written.to_string()),
        ),
        None => (base.to_string(), None, None),
    }
}
