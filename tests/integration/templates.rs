//! The template contract: every variable of the SPEC reaches templates.

use crate::harness::SiteTest;

#[test]
fn page_variables() {
    let site = SiteTest::fixture("templates/contract");
    site.build().assert_ok();
    let page = site.page("/news/visit/");
    assert_eq!(page.text("#title"), "Visit <of> \"delegation\"");
    assert_eq!(
        page.text("#site"),
        "Contract|https://example.org|Template variables|Serve the people|en"
    );
    assert_eq!(page.text("#current"), "https://example.org/news/visit/");
    assert_eq!(
        page.text("#urls"),
        "https://example.org/news/visit/|/news/visit/|visit|news|en"
    );
    assert_eq!(page.text("#date"), "2023-05-10|2023-05-11");
    assert_eq!(page.text("#authors"), "Li Wei,Anna");
    assert_eq!(
        page.text("#tags"),
        "visa=/tags/visa/;Border crossing=/tags/border-crossing/;"
    );
    assert_eq!(
        page.text("#toc"),
        "1:part-one:Part one[detail]1:part-two:Part two[]"
    );
    assert_eq!(page.text("#extra"), "wire");
    assert_eq!(page.text("#fn-url"), "/img/a.png");
    assert_eq!(
        page.inner_html("#summary").trim(),
        "<p>Intro <em>text</em>.</p>"
    );
    assert!(
        page.inner_html("#content")
            .contains("<h1 id=\"part-one\">Part one</h1>")
    );
    let counts = page.text("#counts");
    assert_eq!(counts, "7|1");
}

#[test]
fn titles_are_escaped_in_html() {
    let site = SiteTest::fixture("templates/contract");
    site.build().assert_ok();
    let raw = site.file("news/visit/index.html");
    assert!(raw.contains("Visit &lt;of&gt;"), "{raw}");
}

#[test]
fn neighbours_follow_the_section_order() {
    let site = SiteTest::fixture("templates/contract");
    site.build().assert_ok();
    // newest first: visit (May), item-3 (Mar), item-2, item-1
    assert_eq!(
        site.page("/news/item-3/").text("#neighbours"),
        "/news/item-2/|/news/visit/"
    );
    assert_eq!(
        site.page("/news/visit/").text("#neighbours"),
        "/news/item-3/|"
    );
}

#[test]
fn sections_paginate() {
    let site = SiteTest::fixture("templates/contract");
    site.build().assert_ok();
    let first = site.page("/news/");
    assert_eq!(
        first.texts("#pages a"),
        ["Visit <of> \"delegation\"", "Item 3"]
    );
    assert_eq!(
        first.text("#paginator"),
        "1/2/4||/news/page/2/|/news/|/news/page/2/"
    );
    assert_eq!(first.text("#all"), "4");
    let second = site.page("/news/page/2/");
    assert_eq!(second.texts("#pages a"), ["Item 2", "Item 1"]);
    assert_eq!(
        second.text("#paginator"),
        "2/2/4|/news/||/news/|/news/page/2/"
    );
    let redirect = site.file("news/page/1/index.html");
    assert!(
        redirect.contains("url=https://example.org/news/"),
        "{redirect}"
    );
}

#[test]
fn template_errors_name_template_and_line() {
    let site = SiteTest::fixture("templates/contract");
    site.write(
        "templates/page.html",
        "<p>\n{{ page.title | no_such_filter }}</p>\n",
    );
    site.build().assert_fails_with("templates/page.html:2:");
    site.write("templates/page.html", "<p>\n\n{{ page.nope.deeper }}</p>\n");
    let run = site.build();
    run.assert_fails_with("templates/page.html:3:");
    assert!(
        run.stderr.contains("content/news/visit.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_template_names_the_article() {
    let site = SiteTest::fixture("templates/contract");
    site.write(
        "content/news/special.md",
        "---\ntitle: S\ndate: 2023-01-01\ntemplate: special.html\n---\n",
    );
    site.build()
        .assert_fails_with("content/news/special.md:4:11: template \"special.html\" not found");
}
