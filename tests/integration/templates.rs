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
fn get_section_and_get_page_give_list_items() {
    let site = SiteTest::fixture("templates/contract");
    site.build().assert_ok();
    let page = site.page("/news/visit/");
    let title = site.page("/news/").text("h1");
    assert_eq!(
        page.text("#box"),
        format!("{title}:visit,item-3,item-2,item-1,")
    );
    assert_eq!(page.text("#other"), "Item 1|/news/item-1/");
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

#[test]
fn data_files_reach_templates_as_site_data_and_through_load_data() {
    let site = SiteTest::fixture("themes/own-blocks");
    site.write("data/consular/fees.yaml", "visa: 3800\n");
    site.write("data/hours.json", "{\"monday\": \"9-12\"}");
    site.write("data/office.toml", "city = \"Khabarovsk\"\n");
    site.write(
        "data/centres.csv",
        "city,phone\nKhabarovsk,+7 1\nYakutsk,+7 2\n",
    );
    site.write("extra/rates.csv", "code,rate\nCNY,11.5\n");
    site.write(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block body %}<p id=\"fee\">{{ site.data.consular.fees.visa }}</p><p id=\"hours\">{{ site.data.hours.monday }}</p><p id=\"city\">{{ site.data.office.city }}</p><ul>{% for c in site.data.centres %}<li>{{ c.city }} {{ c.phone }}</li>{% endfor %}</ul>{% set rates = load_data(path=\"extra/rates.csv\") %}<p id=\"rate\">{{ rates[0].rate }}</p>{% endblock body %}",
    );
    site.build().assert_ok();
    let home = site.page("/");
    assert_eq!(home.text("#fee"), "3800");
    assert_eq!(home.text("#hours"), "9-12");
    assert_eq!(home.text("#city"), "Khabarovsk");
    assert_eq!(home.texts("li"), ["Khabarovsk +7 1", "Yakutsk +7 2"]);
    assert_eq!(home.text("#rate"), "11.5");
    site.write("data/hours.json", "{\n  \"monday\": \"9-12\",\n}");
    site.write("data/office.toml", "city = \n");
    let run = site.build();
    run.assert_fails_with("data/hours.json:3:1: data:");
    run.assert_fails_with("data/office.toml:1:");
}
