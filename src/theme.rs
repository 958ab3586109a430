//! The default theme, built into the binary: the repository's own `templates/`
//! and `static/`. A site's files override these by name, so a site may bring
//! only the templates it changes (or none); `gazette init` writes them out.

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
];

/// Static files the default `base.html` links to: (path under `static/`, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("search.js", include_bytes!("../static/search.js")),
];
