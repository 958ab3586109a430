//! Theme resolution (SPEC, Templates): a site with its own `base.html` is its
//! own theme; a site without one gets the built-in theme filled in.

use crate::harness::SiteTest;

#[test]
fn own_theme_with_other_block_names_builds_without_built_in_pages() {
    let site = SiteTest::fixture("themes/own-blocks");
    let run = site.run(&["-v", "build"]);
    run.assert_ok();
    let home = site.page("/");
    assert_eq!(home.attrs("body", "class"), ["own-theme"]);
    assert_eq!(home.text("h1#home"), "Own Theme Gazette");
    let page = site.page("/news/visit/");
    assert_eq!(page.text("h1#page"), "Delegation visits Khabarovsk");
    // Built-in shortcodes still fill in.
    assert_eq!(page.texts("aside.notice").len(), 1);
    assert_eq!(
        site.page("/ru/news/visit/").text("h1#page"),
        "Делегация посетила Хабаровск"
    );
    assert_eq!(site.page("/tags/").text("h1#taxonomy"), "tags");
    assert_eq!(site.page("/tags/trade/").text("h1#term"), "trade");
    assert_eq!(site.page("/404.html").text("h1#not-found"), "Nothing here");
    // Optional families exist only with their template; -v says why not.
    for absent in [
        "news/archive/index.html",
        "search/index.html",
        "search/en/index.json",
        "style.css",
        "search.js",
    ] {
        assert!(!site.exists(absent), "{absent} was written");
    }
    assert!(
        run.stderr.contains("skipped search pages"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("templates/archive.html"),
        "{}",
        run.stderr
    );
}

#[test]
fn own_theme_gets_archive_and_search_when_it_has_their_templates() {
    let site = SiteTest::fixture("themes/own-blocks");
    site.write(
        "templates/archive.html",
        "{% extends \"base.html\" %}{% block body %}<h1 id=\"archive\">{{ section.title }}</h1>{% endblock body %}",
    );
    site.write(
        "templates/search.html",
        "{% extends \"base.html\" %}{% block body %}<form id=\"search\" data-index=\"{{ search_index }}\"></form>{% endblock body %}",
    );
    site.build().assert_ok();
    assert_eq!(site.page("/news/archive/").text("h1#archive"), "News");
    assert_eq!(
        site.page("/search/").attrs("form", "data-index"),
        ["/search/en/index.json"]
    );
    assert!(site.exists("search/en/index.json"));
    assert!(site.exists("ru/search/index.html"));
}

#[test]
fn own_theme_missing_a_required_template_is_one_error_naming_it() {
    let site = SiteTest::fixture("themes/own-blocks");
    site.remove("templates/section.html");
    let run = site.build();
    run.assert_fails_with(
        "templates/section.html: missing: the theme has no section.html, needed by content/news/_index.md",
    );
    let errors = run
        .stderr
        .lines()
        .filter(|l| l.contains("section.html"))
        .count();
    assert_eq!(errors, 1, "{}", run.stderr);
    assert!(!site.exists("index.html"), "a failed build wrote output");
}

#[test]
fn own_theme_missing_page_template_names_the_articles() {
    let site = SiteTest::fixture("themes/own-blocks");
    site.remove("templates/page.html");
    site.build().assert_fails_with(
        "templates/page.html: missing: the theme has no page.html, needed by content/news/2023-05-10-visit.md, content/news/2023-05-10-visit.ru.md",
    );
}

#[test]
fn own_theme_without_404_gets_a_plain_page() {
    let site = SiteTest::fixture("themes/own-blocks");
    site.remove("templates/404.html");
    site.build().assert_ok();
    let page = site.page("/404.html");
    assert_eq!(page.text("h1"), "Page not found");
    assert_eq!(page.attrs("a", "href"), ["/"]);
}

#[test]
fn own_theme_without_taxonomy_templates_builds_when_no_article_has_terms() {
    let site = SiteTest::fixture("themes/own-blocks");
    site.remove("templates/taxonomy_list.html");
    site.remove("templates/taxonomy_term.html");
    site.write(
        "content/news/2023-05-10-visit.md",
        "---\ntitle: Visit\n---\nText.\n",
    );
    site.write(
        "content/news/2023-05-10-visit.ru.md",
        "---\ntitle: Визит\n---\nТекст.\n",
    );
    site.build().assert_ok();
    assert!(!site.exists("tags/index.html"));
    site.write(
        "content/news/2023-05-10-visit.md",
        "---\ntitle: Visit\ntags: [trade]\n---\nText.\n",
    );
    site.build()
        .assert_fails_with("templates/taxonomy_term.html: missing");
}

#[test]
fn site_without_base_gets_the_built_in_theme_filled_in() {
    let site = SiteTest::fixture("themes/partial");
    site.build().assert_ok();
    let page = site.page("/news/visit/");
    assert_eq!(
        page.text("article.site-own-page h1"),
        "Delegation visits Khabarovsk"
    );
    // The built-in base.html, archive and search pages, and their files.
    assert_eq!(page.texts("header.masthead").len(), 1);
    for present in [
        "news/archive/index.html",
        "search/index.html",
        "search/en/index.json",
        "style.css",
        "404.html",
    ] {
        assert!(site.exists(present), "{present} missing");
    }
}

#[test]
fn template_named_in_front_matter_points_at_its_line() {
    let site = SiteTest::fixture("themes/own-blocks");
    site.write(
        "content/news/x.md",
        "---\ntitle: X\ndate: 2023-01-01\ntemplate: no-such.html\n---\nText.\n",
    );
    site.write(
        "content/news/_index.md",
        "---\ntitle: News\npage_template: gone.html\n---\n",
    );
    let run = site.build();
    run.assert_fails_with(
        "content/news/x.md:4:11: template \"no-such.html\" not found in templates/ (there are: 404.html, base.html, index.html, page.html, section.html, taxonomy_list.html, taxonomy_term.html)",
    );
    run.assert_fails_with("content/news/_index.md:3:16: template \"gone.html\" not found");
}

#[test]
fn own_theme_missing_index_names_the_home_pages() {
    let site = SiteTest::fixture("themes/own-blocks");
    site.remove("templates/index.html");
    site.build().assert_fails_with(
        "templates/index.html: missing: the theme has no index.html, needed by the home page (en), the home page (ru)",
    );
}
