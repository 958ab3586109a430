//! The default theme, built into the binary: the repository's own `templates/`
//! and `static/`. A site without its own `base.html` gets the theme's templates
//! filled in around the ones it brings (or all of them); a site with its own
//! `base.html` is its own theme and gets only the built-in shortcodes, since
//! the theme's pages fill blocks that another `base.html` need not have.
//! `gazette init` writes the theme out.

use std::collections::BTreeMap;

/// Templates of the default theme: (name under `templates/`, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("section.html", include_str!("../templates/section.html")),
    ("page.html", include_str!("../templates/page.html")),
    (
        "taxonomy_list.html",
        include_str!("../templates/taxonomy_list.html"),
    ),
    (
        "taxonomy_term.html",
        include_str!("../templates/taxonomy_term.html"),
    ),
    ("404.html", include_str!("../templates/404.html")),
    ("archive.html", include_str!("../templates/archive.html")),
    ("search.html", include_str!("../templates/search.html")),
    (
        "partials/card.html",
        include_str!("../templates/partials/card.html"),
    ),
    (
        "shortcodes/figure.html",
        include_str!("../templates/shortcodes/figure.html"),
    ),
    (
        "shortcodes/gallery.html",
        include_str!("../templates/shortcodes/gallery.html"),
    ),
    (
        "shortcodes/notice.html",
        include_str!("../templates/shortcodes/notice.html"),
    ),
    (
        "shortcodes/video.html",
        include_str!("../templates/shortcodes/video.html"),
    ),
    (
        "shortcodes/youtube.html",
        include_str!("../templates/shortcodes/youtube.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../templates/partials/pagination.html"),
    ),
];

/// UI strings of the default theme: (language code, YAML text of `templates/i18n/<code>.yaml`).
pub const STRINGS: &[(&str, &str)] = &[
    ("en", include_str!("../templates/i18n/en.yaml")),
    ("ru", include_str!("../templates/i18n/ru.yaml")),
    ("zh", include_str!("../templates/i18n/zh.yaml")),
    ("zh-Hant", include_str!("../templates/i18n/zh-Hant.yaml")),
];

/// Static files the default `base.html` links to: (path under `static/`, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("search.js", include_bytes!("../static/search.js")),
];

/// Page families that exist only when the theme has their template:
/// (template, what it makes).
pub const OPTIONAL_FAMILIES: &[(&str, &str)] = &[
    (
        "archive.html",
        "section archive pages (/<section>/archive/)",
    ),
    ("search.html", "search pages and their index (/search/)"),
];

/// The 404 page of a theme without `404.html`: standalone, since the theme's
/// `base.html` may have any blocks.
const FALLBACK_404: &str = r#"<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t(key="not_found_title", default="Page not found") }} — {{ site.title }}</title>
</head>
<body>
<main>
<h1>{{ t(key="not_found_title", default="Page not found") }}</h1>
<p><a href="{{ site.home }}">{{ t(key="back_home", default="Home") }}</a></p>
</main>
</body>
</html>
"#;

/// A site's templates with the theme's filled in, and what `-v` should say
/// about what was left out or filled in.
pub struct ResolvedTemplates {
    /// Template name → source.
    pub sources: BTreeMap<String, String>,
    /// One line per page family skipped or template filled in, with the reason.
    pub notes: Vec<String>,
}

/// Resolve a site's own templates (`name → source`) against the built-in theme.
pub fn resolve(own: BTreeMap<String, String>) -> ResolvedTemplates {
    let own_theme = own.contains_key("base.html");
    let mut sources = own;
    let mut notes = Vec::new();
    for (name, text) in TEMPLATES {
        if !own_theme || name.starts_with("shortcodes/") {
            sources
                .entry(name.to_string())
                .or_insert_with(|| text.to_string());
        }
    }
    if !sources.contains_key("404.html") {
        sources.insert("404.html".into(), FALLBACK_404.into());
        notes.push("404.html: the theme has none, a plain built-in page is used".into());
    }
    for (template, family) in OPTIONAL_FAMILIES {
        if !sources.contains_key(*template) {
            notes.push(format!(
                "skipped {family}: the theme has no templates/{template}"
            ));
        }
    }
    ResolvedTemplates { sources, notes }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(names: &[&str]) -> BTreeMap<String, String> {
        names
            .iter()
            .map(|n| (n.to_string(), String::new()))
            .collect()
    }

    #[test]
    fn a_site_without_base_gets_the_theme_filled_in() {
        let resolved = resolve(own(&["page.html"]));
        for (name, _) in TEMPLATES {
            assert!(resolved.sources.contains_key(*name), "{name}");
        }
        assert!(resolved.notes.is_empty(), "{:?}", resolved.notes);
    }

    #[test]
    fn a_site_with_base_gets_only_shortcodes_and_a_plain_404() {
        let resolved = resolve(own(&["base.html", "index.html", "page.html"]));
        let names: Vec<&str> = resolved.sources.keys().map(String::as_str).collect();
        assert!(names.contains(&"shortcodes/figure.html"));
        assert!(names.contains(&"404.html"));
        for absent in [
            "section.html",
            "archive.html",
            "search.html",
            "partials/card.html",
        ] {
            assert!(!names.contains(&absent), "{absent} mixed in");
        }
        assert_eq!(resolved.notes.len(), 3, "{:?}", resolved.notes);
        assert!(resolved.notes[1].contains("archive.html"));
    }
}
