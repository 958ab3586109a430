//! Static assets: SCSS compiled (partials unpublished), fingerprinted URLs
//! and SRI values checked against the published bytes, SCSS errors located.

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::harness::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "templates/base.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>t</title>\
         <link rel=\"stylesheet\" href=\"{{ asset_url(path='css/site.scss') }}\" integrity=\"{{ asset_integrity(path='css/site.css') }}\">\
         <script src=\"{{ asset_url(path='app.js') }}\" integrity=\"{{ asset_integrity(path='app.js') }}\"></script>\
         </head><body>{% block body %}{% endblock body %}</body></html>",
    );
    for name in ["index", "section", "page", "taxonomy_list", "taxonomy_term"] {
        site.write(
            &format!("templates/{name}.html"),
            "{% extends \"base.html\" %}{% block body %}x{% endblock body %}",
        );
    }
    site.write("static/css/_colors.scss", "$ink: #123456;\n");
    site.write(
        "static/css/site.scss",
        "@use 'colors';\nbody { p { color: colors.$ink; } }\n",
    );
    site.write("static/app.js", "console.log('hi');\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\n");
    site
}

fn sri(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

#[test]
fn scss_is_compiled_and_partials_are_not_published() {
    let site = site();
    site.build().assert_ok();
    let css = site.file("css/site.css");
    assert!(css.contains("body p") && css.contains("#123456"), "{css}");
    assert!(!site.exists("css/_colors.scss") && !site.exists("css/_colors.css"));
    assert!(!site.exists("css/site.scss"));
}

#[test]
fn asset_urls_carry_the_content_hash_and_integrity_matches_the_bytes() {
    let site = site();
    site.build().assert_ok();
    let home = site.page("/");
    let href = &home.attrs("link[rel=stylesheet]", "href")[0];
    let name = href
        .strip_prefix("/css/site.")
        .unwrap()
        .strip_suffix(".css")
        .unwrap();
    assert_eq!(name.len(), 8, "{href}");
    let published = std::fs::read(site.public().join(href.trim_start_matches('/'))).unwrap();
    assert_eq!(
        published,
        std::fs::read(site.public().join("css/site.css")).unwrap()
    );
    assert_eq!(
        home.attrs("link[rel=stylesheet]", "integrity")[0],
        sri(&published)
    );
    let js = &home.attrs("script", "src")[0];
    let js_bytes = std::fs::read(site.public().join(js.trim_start_matches('/'))).unwrap();
    assert_eq!(js_bytes, b"console.log('hi');\n");
    assert_eq!(home.attrs("script", "integrity")[0], sri(&js_bytes));
    // A change of content changes the name.
    site.write("static/app.js", "console.log('bye');\n");
    site.build().assert_ok();
    assert_ne!(&site.page("/").attrs("script", "src")[0], js);
}

#[test]
fn broken_scss_is_an_error_at_its_line_and_a_missing_asset_is_named() {
    let site = site();
    site.write("static/css/site.scss", "body {\n  color: red\n  p { }\n");
    site.build().assert_fails_with("static/css/site.scss:3:");
    let site = self::site();
    site.write(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block body %}{{ asset_url(path='nope.css') }}{% endblock body %}",
    );
    site.build().assert_fails_with("no file static/nope.css");
}

/// The site of these tests with `minify: true`.
fn minified_site() -> SiteTest {
    let site = site();
    site.write(
        "site.yaml",
        "title: Test\nbase_url: https://example.org\nminify: true\n",
    );
    site
}

#[test]
fn minify_shrinks_pages_stylesheets_and_scripts_and_integrity_follows() {
    let site = minified_site();
    site.write(
        "static/app.js",
        "function greet(name) {\n  console.log('hi ' + name);\n}\ngreet('x');\n",
    );
    site.write(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block body %}\n  <main>\n    <p>Kept  <b>text</b></p>\n  </main>\n{% endblock body %}",
    );
    let run = site.build();
    run.assert_ok();
    assert!(!run.stderr.contains("minify"), "{}", run.stderr);
    let raw = site.file("index.html");
    assert!(!raw.contains("\n    "), "{raw}");
    let home = site.page("/");
    assert_eq!(home.text("main p"), "Kept text");
    let css = site.file("css/site.css");
    assert_eq!(css, "body p{color:#123456;}");
    let js = site.file("app.js");
    assert!(!js.contains('\n') && js.contains("greet"), "{js}");
    for (selector, attr) in [("link[rel=stylesheet]", "href"), ("script", "src")] {
        let url = &home.attrs(selector, attr)[0];
        let bytes = std::fs::read(site.public().join(url.trim_start_matches('/'))).unwrap();
        assert_eq!(home.attrs(selector, "integrity")[0], sri(&bytes), "{url}");
    }
    let again = site.tree();
    site.build().assert_ok();
    crate::harness::assert_same_tree(&again, &site.tree());
}

#[test]
fn minify_keeps_a_stylesheet_it_cannot_read_and_warns() {
    let site = minified_site();
    site.write("static/broken.css", "a { color: red; /* never closed\n");
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr.contains("static/broken.css") && run.stderr.contains("minify:"),
        "{}",
        run.stderr
    );
    assert_eq!(site.file("broken.css"), "a { color: red; /* never closed\n");
}
