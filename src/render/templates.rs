//! `Templates`: Tera loaded once (default theme, then the site's own files on
//! top), with gazette's filters, plus the UI strings of every language.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use super::filters;
use super::functions::{self, LookupSlot};
use crate::config::{Config, UiText};
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::parse::ShortcodePage;
use crate::parse::shortcodes::ShortcodeCall;
use crate::theme;
use crate::yaml;

/// Folder of a site's templates.
pub const TEMPLATES_DIR: &str = "templates";

/// Parsed templates and UI strings; read-only while rendering.
#[derive(Clone)]
pub struct Templates {
    /// The engine, with every template parsed and gazette's filters registered.
    pub tera: Tera,
    /// language → key → text, shared with every build's template functions.
    pub strings: std::sync::Arc<functions::UiStrings>,
    /// Whether the site brings its own `base.html` (else the theme's stylesheet is published).
    pub own_base: bool,
    /// What the theme left out or had filled in, for `-v`.
    pub notes: Vec<String>,
    /// The site's data files (`site.data`).
    pub data: std::sync::Arc<serde_json::Value>,
    /// What the template functions read; filled for each build before rendering.
    pub lookup: LookupSlot,
    /// Fingerprint of the UI strings: a change means every page may change.
    pub strings_fingerprint: u64,
    /// Per template: fingerprint of its source and of every template it extends
    /// or includes, so that a template change re-renders only the pages using it.
    pub template_prints: BTreeMap<String, u64>,
    /// Resizes images for this build (shortcodes call it while parsing, pages while rendering).
    pub images: std::sync::Arc<super::images::ImageProcessor>,
    /// Whether any template reads `section.pages` (the whole list), so that every
    /// page of a list depends on every article in it.
    pub uses_section_pages: bool,
    /// Whether a template may read `word_count` of list items (it names
    /// `word_count` other than as `page.word_count`). Only then do list items
    /// carry it: it changes with every word typed, and would otherwise make
    /// every list showing an article render again on each edit.
    pub lists_show_word_count: bool,
}

impl Templates {
    /// Load the theme and the site's `templates/`; every syntax error is
    /// returned, and warnings go to `warnings`.
    pub fn load(
        config: &Config,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let (own, strings_files) = read_templates(config, &mut problems);
        let own_base = own.contains_key("base.html");
        let theme::ResolvedTemplates { sources, notes } = theme::resolve(own);
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        filters::register(&mut tera);
        let lookup = LookupSlot::default();
        functions::register(&mut tera, &lookup);
        problems.extend(syntax_errors(&tera, &sources));
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            return Err(template_errors(&e, None));
        }
        let (data, data_problems) = crate::data::load_all(&config.root);
        problems.extend(data_problems);
        let strings = load_strings(config, &strings_files, &mut problems);
        if problems.iter().any(Diagnostic::is_error) {
            return Err(problems);
        }
        // Shortcodes render while parsing, before any page exists: they can already use `t()` and `url()`.
        let images = std::sync::Arc::new(super::images::ImageProcessor::new(
            &config.root,
            &config.base_path,
        ));
        let strings_fingerprint = rustc_hash::FxBuildHasher.hash_one(&strings);
        let strings = std::sync::Arc::new(ui_values(strings));
        lookup.set(functions::Lookup {
            root: config.root.clone(),
            base_path: config.base_path.clone(),
            strings: strings.clone(),
            images: Some(images.clone()),
            ..Default::default()
        });
        let template_prints = template_prints(&sources);
        let uses_section_pages = sources.values().any(|t| t.contains("section.pages"));
        let lists_show_word_count = sources
            .values()
            .any(|t| t.matches("word_count").count() > t.matches("page.word_count").count());
        warnings.extend(problems);
        Ok(Templates {
            tera,
            strings,
            own_base,
            notes,
            data: std::sync::Arc::new(data),
            lookup,
            strings_fingerprint,
            template_prints,
            uses_section_pages,
            lists_show_word_count,
            images,
        })
    }
}

/// The site's own templates (by name) and the UI string files, the theme's
/// built-in ones replaced by the site's `templates/i18n/<code>.yaml`: (where
/// it comes from, its text) by language.
fn read_templates(
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, String>, BTreeMap<String, (String, String)>) {
    let dir = config.root.join(TEMPLATES_DIR);
    let mut strings_files: BTreeMap<String, (String, String)> = theme::STRINGS
        .iter()
        .map(|(code, text)| {
            let from = format!("(built-in) i18n/{code}.yaml");
            (code.to_string(), (from, text.to_string()))
        })
        .collect();
    let mut own = BTreeMap::new();
    for (name, text) in read_dir(&dir, problems) {
        if let Some(code) = name
            .strip_prefix("i18n/")
            .and_then(|n| n.strip_suffix(".yaml"))
        {
            strings_files.insert(code.to_string(), (format!("{TEMPLATES_DIR}/{name}"), text));
        } else if !name.starts_with("i18n/") {
            own.insert(name, text);
        }
    }
    (own, strings_files)
}

/// Every template's syntax errors, each parsed alone, so that every file's
/// error is reported and not only the first.
fn syntax_errors(tera: &Tera, sources: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (name, text) in sources {
        let mut alone = Tera::new();
        alone.register_from(tera);
        if let Err(e) = alone.add_raw_template(name, text) {
            // Parents and includes are missing when a template is parsed alone.
            if !matches!(e.kind(), tera::ErrorKind::MissingParent { .. }) {
                problems.extend(
                    template_errors(&e, None)
                        .into_iter()
                        .filter(|d| !d.message.starts_with("Unknown template")),
                );
            }
        }
    }
    problems
}

/// UI strings as the values `t()` hands out.
fn ui_values(strings: BTreeMap<String, BTreeMap<String, UiText>>) -> functions::UiStrings {
    strings
        .into_iter()
        .map(|(lang, texts)| {
            let values = texts
                .into_iter()
                .map(|(key, text)| {
                    let value = match text {
                        UiText::Text(text) => tera::Value::from(text),
                        UiText::Plural(forms) => tera::Value::from_serializable(&forms),
                    };
                    (key, value)
                })
                .collect();
            (lang, values)
        })
        .collect()
}

impl Templates {
    /// The fingerprint of template `name` and everything it extends or includes.
    pub fn print_of(&self, name: &str) -> u64 {
        self.template_prints.get(name).copied().unwrap_or_default()
    }
}

/// Templates named by `{% extends "…" %}` and `{% include "…" %}` in `source`.
fn referenced(source: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for tag in source.split("{%").skip(1) {
        let tag = tag
            .split("%}")
            .next()
            .unwrap_or_default()
            .trim_start_matches('-')
            .trim();
        let Some(rest) = tag
            .strip_prefix("extends")
            .or_else(|| tag.strip_prefix("include"))
        else {
            continue;
        };
        let rest = rest.trim_start();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            if let Some(name) = rest[1..].split(quote).next() {
                found.push(name);
            }
        }
    }
    found
}

/// For each template, a fingerprint of its source and of the sources of every
/// template it reaches through extends and include.
fn template_prints(sources: &BTreeMap<String, String>) -> BTreeMap<String, u64> {
    use std::hash::{Hash, Hasher};
    sources
        .keys()
        .map(|name| {
            let mut seen = std::collections::BTreeSet::new();
            let mut stack = vec![name.as_str()];
            while let Some(next) = stack.pop() {
                if seen.insert(next) {
                    if let Some(source) = sources.get(next) {
                        stack.extend(referenced(source));
                    }
                }
            }
            let mut hasher = rustc_hash::FxHasher::default();
            for reached in seen {
                reached.hash(&mut hasher);
                sources.get(reached).hash(&mut hasher);
            }
            (name.clone(), hasher.finish())
        })
        .collect()
}

fn read_dir(dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<(String, String)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name().into_iter() {
        let entry = match entry {
            Ok(e) if e.file_type().is_file() => e,
            Ok(_) => continue,
            Err(e) => {
                problems.push(Diagnostic::error(
                    SourceLocation::file(TEMPLATES_DIR),
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let name = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if name.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => files.push((name, text)),
            Err(e) => problems.push(Diagnostic::error(
                SourceLocation::file(format!("{TEMPLATES_DIR}/{name}")),
                format!("cannot read template: {e}"),
            )),
        }
    }
    files
}

impl crate::parse::ShortcodeRenderer for Templates {
    fn render_shortcode(
        &self,
        call: &ShortcodeCall,
        body: Option<&str>,
        page: &ShortcodePage<'_>,
    ) -> Result<String, Vec<Diagnostic>> {
        let name = format!("shortcodes/{}.html", call.name);
        let here = format!("{}:{}:{}", page.path, call.line, call.col);
        if !self.tera.contains_template(&name) {
            return Err(vec![Diagnostic::error(
                SourceLocation::new(page.path, call.line, call.col),
                format!(
                    "unknown shortcode `{}`: expected a template {TEMPLATES_DIR}/{name}",
                    call.name
                ),
            )]);
        }
        let mut ctx = tera::Context::new();
        for (key, value) in &call.args {
            ctx.insert(key.clone(), value);
        }
        if let Some(body) = body {
            ctx.insert_value("body", tera::Value::safe_string(body));
        }
        ctx.insert("lang", page.lang);
        ctx.insert("assets", page.assets);
        ctx.insert("page_folder", page.folder);
        self.tera
            .render(&name, &ctx)
            .map_err(|e| template_errors(&e, Some(&here)))
    }
}

/// Strings per language: the theme's `i18n/<code>.yaml` (the default language's
/// file for a language without one), then site.yaml's `languages.<code>.strings`.
fn load_strings(
    config: &Config,
    files: &BTreeMap<String, (String, String)>,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, BTreeMap<String, UiText>> {
    let mut all = BTreeMap::new();
    for language in &config.languages {
        let file = strings_file(files, &language.code);
        let mut strings: BTreeMap<String, UiText> = match file {
            Some((path, text)) => yaml::from_str(text).unwrap_or_else(|e| {
                problems.push(Diagnostic::error(
                    SourceLocation::new(path, e.line, e.col),
                    format!(
                        "UI strings: {}, expected `key: text` lines (or `key: {{ one: …, other: … }}`)",
                        e.message
                    ),
                ));
                BTreeMap::new()
            }),
            None => BTreeMap::new(),
        };
        strings.extend(language.strings.clone());
        for (key, text) in &strings {
            if let Some(problem) = text.problem() {
                let path = file.map_or(crate::config::CONFIG_FILE, |(p, _)| p.as_str());
                let (line, col) = file
                    .and_then(|(_, t)| yaml::key_position(t, key))
                    .unwrap_or((0, 0));
                problems.push(Diagnostic::error(
                    SourceLocation::new(path, line, col),
                    format!("UI string `{key}` ({}): {problem}", language.code),
                ));
            }
        }
        all.insert(language.code.clone(), strings);
    }
    if config.strings_fallback {
        fill_from_default_language(config, files, &mut all, problems);
    }
    all
}

/// The UI strings file for a language: its own, else the one of the language
/// it extends (`zh-TW` → `zh-Hant`, `zh-CN` → `zh`; tags compared as BCP 47),
/// else English.
fn strings_file<'a>(
    files: &'a BTreeMap<String, (String, String)>,
    code: &str,
) -> Option<&'a (String, String)> {
    let tag = crate::config::normalize_tag(code);
    // The tag and, for a Chinese region, the one with its script, each
    // followed by its shorter forms (`zh-hant-tw`, `zh-hant`, `zh`).
    let mut candidates = Vec::new();
    for full in crate::config::with_likely_script(&tag)
        .into_iter()
        .chain([tag])
    {
        let mut prefix = full.as_str();
        candidates.push(prefix.to_string());
        while let Some((shorter, _)) = prefix.rsplit_once('-') {
            candidates.push(shorter.to_string());
            prefix = shorter;
        }
    }
    candidates.push("en".into());
    candidates.iter().find_map(|wanted| {
        files
            .iter()
            .find(|(file_code, _)| file_code.to_ascii_lowercase() == *wanted)
            .map(|(_, file)| file)
    })
}

/// `strings_fallback: true`: a key missing in a language takes the default
/// language's text, with one warning per language listing the keys.
fn fill_from_default_language(
    config: &Config,
    files: &BTreeMap<String, (String, String)>,
    all: &mut BTreeMap<String, BTreeMap<String, UiText>>,
    problems: &mut Vec<Diagnostic>,
) {
    let default = all
        .get(config.default_language())
        .cloned()
        .unwrap_or_default();
    for language in config.languages.iter().skip(1) {
        let strings = all.entry(language.code.clone()).or_default();
        let missing: Vec<&String> = default
            .keys()
            .filter(|k| !strings.contains_key(*k))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let names: Vec<&str> = missing.iter().map(|k| k.as_str()).collect();
        let path = files.get(&language.code).map_or_else(
            || format!("{TEMPLATES_DIR}/i18n/{}.yaml", language.code),
            |(path, _)| path.clone(),
        );
        problems.push(Diagnostic::warning(
            SourceLocation::file(path),
            format!(
                "UI strings missing in \"{}\", the {} text is used: {}",
                language.code,
                config.default_language(),
                names.join(", ")
            ),
        ));
        for key in missing {
            strings.insert(key.clone(), default[key].clone());
        }
    }
}

/// A Tera error as diagnostics at `templates/<name>:line:col`; `item` names the
/// content file being rendered, when there is one.
pub fn template_errors(error: &tera::Error, item: Option<&str>) -> Vec<Diagnostic> {
    let rendering = item
        .map(|i| format!(" (while rendering {i})"))
        .unwrap_or_default();
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            vec![Diagnostic::error(
                SourceLocation::new(
                    format!("{TEMPLATES_DIR}/{}", report.filename()),
                    span.start_line,
                    span.start_col + 1,
                ),
                format!("{}{rendering}", report.message()),
            )]
        }
        other => {
            let message = crate::diagnostics::with_causes(other.to_string(), error);
            let located = located_reports(&message, &rendering);
            if !located.is_empty() {
                return located;
            }
            let location = SourceLocation::file(item.unwrap_or(TEMPLATES_DIR));
            vec![Diagnostic::error(location, format!("template: {message}"))]
        }
    }
}

/// Tera reports unknown filters, functions and includes as rendered text
/// ("error: Unknown filter `x`" then " --> page.html:2:17"); read them back.
fn located_reports(text: &str, rendering: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let (Some(m), Some(place)) = (message, line.trim_start().strip_prefix("--> ")) {
            let mut parts = place.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
            let line_no = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
            let name = parts.next().unwrap_or(place);
            found.push(Diagnostic::error(
                SourceLocation::new(format!("{TEMPLATES_DIR}/{name}"), line_no, col),
                format!("{m}{rendering}"),
            ));
            message = None;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_prints_follow_extends_and_include() {
        let mut sources = BTreeMap::new();
        sources.insert(
            "base.html".to_string(),
            "<body>{% block main %}{% endblock main %}</body>".to_string(),
        );
        sources.insert("page.html".to_string(), "{% extends \"base.html\" %}{% block main %}{% include 'card.html' %}{% endblock main %}".to_string());
        sources.insert("card.html".to_string(), "card".to_string());
        sources.insert(
            "404.html".to_string(),
            "{% extends \"base.html\" %}".to_string(),
        );
        let before = template_prints(&sources);
        sources.insert("card.html".to_string(), "card, changed".to_string());
        let after = template_prints(&sources);
        assert_ne!(
            before["page.html"], after["page.html"],
            "page.html includes card.html"
        );
        assert_eq!(before["404.html"], after["404.html"], "404.html does not");
        assert_eq!(
            referenced("{%- include \"a.html\" -%} {% extends 'b.html' %} {% if x %}"),
            ["a.html", "b.html"]
        );
    }

    #[test]
    fn languages_find_the_strings_of_the_language_they_extend() {
        let files: BTreeMap<String, (String, String)> = ["en", "ru", "zh", "zh-Hant"]
            .iter()
            .map(|c| (c.to_string(), (format!("{c}.yaml"), String::new())))
            .collect();
        let found = |code: &str| strings_file(&files, code).map(|(p, _)| p.as_str());
        assert_eq!(found("ru"), Some("ru.yaml"));
        assert_eq!(found("zh_TW"), Some("zh-Hant.yaml"));
        assert_eq!(found("zh-Hant-HK"), Some("zh-Hant.yaml"));
        assert_eq!(found("zh-CN"), Some("zh.yaml"));
        assert_eq!(found("zh-hant"), Some("zh-Hant.yaml"));
        assert_eq!(found("fr"), Some("en.yaml"));
    }

    #[test]
    fn reads_back_rendered_reports() {
        let text = "error: Unknown filter `x`\n --> page.html:2:17\n  |\nerror: Unknown function `t`\n --> a/b.html:7:1\n";
        let found = located_reports(text, "");
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].to_string(),
            "templates/page.html:2:17: Unknown filter `x`"
        );
        assert_eq!(
            found[1].to_string(),
            "templates/a/b.html:7:1: Unknown function `t`"
        );
    }
}
