//! Real-world front matter: lists as strings, many date forms, CRLF and BOM,
//! `---` and `{{` in bodies, drafts and future dates.

use crate::harness::SiteTest;

#[test]
fn messy_but_valid_front_matter() {
    let site = SiteTest::empty();
    site.write("site.yaml", "title: T\nbase_url: https://example.org\ntimezone: Asia/Vladivostok\ntaxonomies: [tags, categories]\n");
    site.write("content/a.md", "---\ntitle: A\ndate: 2023/05/10\ntags: visa\ncategories:\n---\n\nBody {{ not_a_var }} and {% not_a_tag %}.\n\n---\n\nAfter the rule.\n");
    site.write(
        "content/b.md",
        "---\ntitle: B\ndate: '2023-05-10 09:00 +0300'\n---\n",
    );
    site.write(
        "content/c.md",
        "---\ntitle: C\ndate: \"2023-05-10T09:00\"\n---\n",
    );
    site.write(
        "content/d.md",
        "\u{feff}---\r\ntitle: D\r\ndate: 2023-05-10 09:00:00\r\n---\r\n\r\nWindows *text*.\r\n",
    );
    site.build().assert_ok();
    let a = site.page("/a/");
    assert_eq!(a.attrs("time", "datetime")[0], "2023-05-10T00:00:00+10:00");
    assert!(
        a.inner_html(".content")
            .contains("{{ not_a_var }} and {% not_a_tag %}")
    );
    assert!(a.inner_html(".content").contains("<hr>"));
    assert_eq!(a.attrs(".tags a", "href"), ["/tags/visa/"]);
    assert_eq!(
        site.page("/b/").attrs("time", "datetime")[0],
        "2023-05-10T09:00:00+03:00"
    );
    assert_eq!(
        site.page("/c/").attrs("time", "datetime")[0],
        "2023-05-10T09:00:00+10:00"
    );
    let d = site.page("/d/");
    assert_eq!(d.text("h1"), "D");
    assert!(d.inner_html(".content").contains("Windows <em>text</em>."));
}

#[test]
fn drafts_and_future_articles_wait_unless_drafts() {
    let site = SiteTest::empty();
    site.write(
        "content/draft.md",
        "---\ntitle: Draft\ndate: 2023-01-01\ndraft: true\n---\n",
    );
    site.write(
        "content/future.md",
        "---\ntitle: Future\ndate: 2024-06-01\n---\n",
    );
    site.write(
        "content/past.md",
        "---\ntitle: Past\ndate: 2023-06-01\n---\n",
    );
    site.build().assert_ok();
    assert!(site.exists("past/index.html"));
    assert!(!site.exists("draft/index.html"));
    assert!(
        !site.exists("future/index.html"),
        "2024-06-01 is after SOURCE_DATE_EPOCH"
    );
    site.run(&["build", "--drafts"]).assert_ok();
    assert!(site.exists("draft/index.html"));
    assert!(site.exists("future/index.html"));
}

#[test]
fn slug_and_aliases() {
    let site = SiteTest::empty();
    site.write(
        "content/news/2023-01-01-long-name.md",
        "---\ntitle: A\nslug: short\naliases: [/old/path/, old.html]\n---\n",
    );
    site.build().assert_ok();
    assert!(site.exists("news/short/index.html"));
    let redirect = site.file("old/path/index.html");
    assert!(
        redirect.contains("<link rel=\"canonical\" href=\"https://example.org/news/short/\">"),
        "{redirect}"
    );
    assert!(redirect.contains("http-equiv=\"refresh\""));
    assert!(site.exists("old.html"));
}

#[test]
fn expired_articles_leave_lists_but_keep_their_page() {
    let site = SiteTest::empty();
    site.write(
        "content/news/old.md",
        "---\ntitle: Old notice\ndate: 2023-01-01\nexpires: 2023-02-01\ntags: [x]\n---\n",
    );
    site.write(
        "content/news/new.md",
        "---\ntitle: New notice\ndate: 2023-03-01\ntags: [x]\n---\n",
    );
    site.build().assert_ok();
    assert!(site.page("/news/old/").text(".notice").contains("archived"));
    let list = site.page("/news/").texts(".card-title");
    assert_eq!(list, ["New notice"]);
    assert!(!site.file("atom.xml").contains("Old notice"));
    assert!(!site.file("sitemap.xml").contains("/news/old/"));
}

#[test]
fn looked_up_values_point_at_their_line() {
    let site = SiteTest::fixture("basic/minimal");
    site.write(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2023-01-01\ntranslation_key: same\n---\nText.\n",
    );
    site.write(
        "content/news/b.md",
        "---\ntitle: B\ndate: 2023-01-01\ntranslation_key: same\n---\nText.\n",
    );
    site.build()
        .assert_fails_with("content/news/b.md:4:18: two \"en\" versions of one article");
    site.write(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2023-01-01\naliases: [/old/]\n---\nText.\n",
    );
    site.write(
        "content/news/b.md",
        "---\ntitle: B\ndate: 2023-01-01\naliases: /old/\n---\nText.\n",
    );
    site.build()
        .assert_fails_with("content/news/b.md:4:10: /old/ is written twice");
}

#[test]
fn cascades_reach_articles_below_nearest_section_first() {
    let site = SiteTest::fixture("basic/minimal");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}taxonomies: [tags]\n"));
    site.write(
        "content/news/_index.md",
        "---\ntitle: News\ncascade:\n  author: Press Office\n  tags: [news]\n  image_alt: Cascaded alt\n---\n",
    );
    site.write(
        "content/news/region/_index.md",
        "---\ntitle: Region\ncascade:\n  author: Regional Desk\n---\n",
    );
    site.write(
        "content/news/region/2023-02-01-a.md",
        "---\ntitle: A\n---\nText.\n",
    );
    site.write(
        "content/news/region/2023-02-02-b.md",
        "---\ntitle: B\nauthor: Li Wei\n---\nText.\n",
    );
    site.write(
        "content/news/2023-02-03-c.md",
        "---\ntitle: C\n---\nText.\n",
    );
    site.build().assert_ok();
    let author = |url: &str| site.page(url).text(".meta");
    assert!(
        author("/news/region/a/").contains("Regional Desk"),
        "{}",
        author("/news/region/a/")
    );
    assert!(
        author("/news/region/b/").contains("Li Wei"),
        "the article's own key wins"
    );
    assert!(author("/news/c/").contains("Press Office"));
    assert!(site.exists("tags/news/index.html"), "cascaded terms count");
    assert_eq!(
        crate::harness::sitemap_locs(&site.file("sitemap.xml"))
            .iter()
            .filter(|l| l.contains("/tags/news/"))
            .count(),
        1
    );
    site.write(
        "content/news/region/_index.md",
        "---\ntitle: Region\ncascade:\n  author: Regional Desk\n  date: 2023-13-45\n---\n",
    );
    site.build()
        .assert_fails_with("content/news/region/_index.md:5:1: cascade: date: invalid date");
}
