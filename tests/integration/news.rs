//! News-portal features: pagination, taxonomies, feeds, sitemap, archives,
//! aliases and metadata, on a generated portal of 25 articles.

use crate::harness::SiteTest;

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// 25 articles over two sections (one with a transparent subsection), a draft
/// and a future article, `paginate_by: 3`.
fn portal() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: Portal & Co\nbase_url: https://news.example.org\npaginate_by: 3\ntaxonomies: [tags, categories]\n",
    );
    site.write("content/news/_index.md", "---\ntitle: News\n---\n");
    site.write(
        "content/news/region/_index.md",
        "---\ntitle: Region\ntransparent: true\n---\n",
    );
    site.write(
        "content/notices/_index.md",
        "---\ntitle: Notices\nsort_by: title\n---\n",
    );
    for i in 1..=25u32 {
        let (dir, tags) = match i % 3 {
            0 => ("news", "[visa, trade]"),
            1 => ("news/region", "[trade]"),
            _ => ("notices", "[visa]"),
        };
        let day = format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i);
        site.write(
            &format!("content/{dir}/item-{i:02}.md"),
            format!("---\ntitle: Item {i:02}\ndate: {day}\ntags: {tags}\ncategories: Amur\n---\n\nBody of item {i}.\n"),
        );
    }
    site.write(
        "content/news/draft.md",
        "---\ntitle: Draft\ndate: 2023-01-01\ndraft: true\n---\n",
    );
    site.write(
        "content/news/future.md",
        "---\ntitle: Future\ndate: 2030-01-01\n---\n",
    );
    site.build().assert_ok();
    site
}

fn feed_titles(site: &SiteTest, feed: &str) -> Vec<String> {
    let xml = site.file(feed);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.root_element()
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            e.children()
                .find(|c| c.has_tag_name((ATOM, "title")))
                .unwrap()
                .text()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn sections_paginate_by_three_with_transparent_children() {
    let site = portal();
    // news holds i % 3 == 0 (8 items) and, transparent, i % 3 == 1 (9 items) = 17 → 6 pages
    assert!(site.exists("news/page/6/index.html"));
    assert!(!site.exists("news/page/7/index.html"));
    assert_eq!(site.page("/news/").texts(".card-title").len(), 3);
    assert_eq!(site.page("/news/page/6/").texts(".card-title").len(), 2);
    assert_eq!(
        site.page("/notices/").texts(".card-title"),
        ["Item 02", "Item 05", "Item 08"],
        "sorted by title"
    );
}

#[test]
fn terms_list_and_paginate() {
    let site = portal();
    let tags = site.page("/tags/");
    assert_eq!(
        tags.attrs(".terms a", "href"),
        ["/tags/trade/", "/tags/visa/"]
    );
    assert_eq!(tags.texts(".terms .count"), ["17", "16"]);
    assert!(site.exists("tags/visa/page/6/index.html"));
    assert!(
        site.file("tags/visa/page/1/index.html")
            .contains("url=https://news.example.org/tags/visa/")
    );
}

#[test]
fn feeds_hold_the_newest_twenty_of_their_list() {
    let site = portal();
    let home = feed_titles(&site, "atom.xml");
    assert_eq!(home.len(), 20);
    assert!(!home.iter().any(|t| t == "Draft" || t == "Future"));
    let notices = feed_titles(&site, "notices/atom.xml");
    assert_eq!(notices.len(), 8);
    let visa = feed_titles(&site, "tags/visa/atom.xml");
    assert_eq!(visa.len(), 16);
    let xml = site.file("atom.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name((ATOM, "title")))
        .unwrap();
    assert_eq!(title.text(), Some("Portal & Co"));
}

#[test]
fn sitemap_has_every_published_page_and_nothing_else() {
    let site = portal();
    let xml = site.file("sitemap.xml");
    let locs = crate::harness::sitemap_locs(&xml);
    for i in 1..=25 {
        assert!(
            locs.iter().any(|l| l.ends_with(&format!("/item-{i:02}/"))),
            "item {i}"
        );
    }
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("draft") || l.contains("future"))
    );
    assert!(
        locs.iter()
            .any(|l| l == "https://news.example.org/tags/visa/")
    );
    assert!(xml.matches("<lastmod>").count() >= 25);
}

#[test]
fn archive_groups_by_year_and_month() {
    let site = portal();
    let archive = site.page("/notices/archive/");
    assert_eq!(archive.texts(".archive h2"), ["2023"]);
    let months = archive.texts(".archive h3");
    assert_eq!(months.first().map(String::as_str), Some("December"));
    assert_eq!(archive.texts(".archive li a").len(), 8);
}

#[test]
fn metadata_is_present_and_escaped() {
    let site = SiteTest::empty();
    site.write(
        "content/news/a.md",
        "---\ntitle: \"A <script>alert(1)</script> & B\"\ndate: 2023-01-01\nupdated: 2023-01-02\nimage: /img/a.jpg\nimage_alt: A\nauthor: Li\n---\n\nText.\n",
    );
    site.write("static/img/a.jpg", crate::harness::photo(2000, 1500));
    site.build().assert_ok();
    let raw = site.file("news/a/index.html");
    assert!(!raw.contains("<script>alert"), "{raw}");
    let page = site.page("/news/a/");
    assert_eq!(
        page.attrs("meta[property='og:title']", "content"),
        ["A <script>alert(1)</script> & B"]
    );
    let og = page.attrs("meta[property='og:image']", "content");
    assert!(
        og[0].starts_with("https://example.org/processed/a-"),
        "{og:?}"
    );
    assert_eq!(
        page.attrs("meta[property='og:image:width']", "content"),
        ["1200"]
    );
    assert_eq!(
        page.attrs("meta[property='og:image:height']", "content"),
        ["630"]
    );
    assert_eq!(
        page.attrs("meta[name='twitter:card']", "content"),
        ["summary_large_image"]
    );
    assert_eq!(
        page.attrs("meta[property='article:modified_time']", "content"),
        ["2023-01-02T00:00:00+00:00"]
    );
    let json = page.text("script[type='application/ld+json']");
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(data["@type"], "NewsArticle");
    assert_eq!(data["headline"], "A <script>alert(1)</script> & B");
    assert_eq!(data["author"][0]["name"], "Li");
    assert_eq!(data["publisher"]["name"], "Test");
}

#[test]
fn an_alias_on_a_real_page_names_both() {
    let site = SiteTest::empty();
    site.write(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2023-01-01\n---\n",
    );
    site.write(
        "content/news/b.md",
        "---\ntitle: B\ndate: 2023-01-01\naliases: [/news/a/]\n---\n",
    );
    let run = site.build();
    run.assert_fails_with("/news/a/ is written twice");
    assert!(
        run.stderr.contains("content/news/a.md") && run.stderr.contains("content/news/b.md (alias"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_sitemap_past_50000_urls_becomes_an_index_of_files_within_the_limits() {
    let site = SiteTest::with_small_theme();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\nlanguages:\n  ru: { title: Р }\ntaxonomies: [tags]\nfeeds: false\n",
    );
    // 25,000 articles with a tag of their own and 1 translation: 50,001 article
    // and term URLs, plus 2 homes, 2 news sections and the English tag list.
    for i in 0..25_001 {
        site.write(
            &format!("content/news/a{i}.md"),
            format!("---\ntitle: A{i}\ndate: 2023-01-01\ntags: [t{i}]\n---\n"),
        );
    }
    site.write(
        "content/news/a0.ru.md",
        "---\ntitle: А0\ndate: 2023-01-01\n---\n",
    );
    site.remove("content/news/a1.md");
    site.build().assert_ok();
    let index = site.file("sitemap.xml");
    let doc = roxmltree::Document::parse(&index).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let parts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        parts,
        [
            "https://example.org/sitemap-1.xml",
            "https://example.org/sitemap-2.xml"
        ]
    );
    let mut urls = std::collections::BTreeSet::new();
    let mut alternates = 0;
    for n in 1..=2 {
        let xml = site.file(&format!("sitemap-{n}.xml"));
        assert!(xml.len() <= 50 * 1024 * 1024);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "urlset");
        let locs = crate::harness::sitemap_locs(&xml);
        assert!(locs.len() <= 50_000, "part {n}: {} URLs", locs.len());
        alternates += doc.descendants().filter(|n| n.has_tag_name("link")).count();
        urls.extend(locs);
    }
    assert_eq!(urls.len(), 25_000 * 2 + 1 + 5, "every URL once");
    assert!(urls.contains("https://example.org/ru/news/a0/"));
    assert_eq!(alternates, 4, "hreflang alternates kept");
    assert!(
        site.file("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

/// The minimal site with feeds of every kind and tags, and `article` as
/// `news/2023-06-01-fair.md`, built.
fn feeds_site(article: &str) -> SiteTest {
    let site = SiteTest::fixture("basic/minimal");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{yaml}\nfeeds: [json, rss, atom]\ntaxonomies: [tags]\n"),
    );
    site.write("content/news/2023-06-01-fair.md", article);
    site.build().assert_ok();
    site
}

#[test]
fn site_and_section_feeds_carry_the_whole_text_and_term_feeds_the_summary() {
    let site = feeds_site(
        "---\ntitle: Fair\nsummary: The fair opens.\ntags: [trade]\n---\nThe fair opens.\n\nStalls from Heihe line the embankment.\n",
    );
    const BODY: &str = "Stalls from Heihe line the embankment.";
    let text_of = |dir: &str| {
        let atom = site.file(&format!("{dir}atom.xml"));
        let doc = roxmltree::Document::parse(&atom).unwrap();
        let entry = doc.descendants().find(|n| n.has_tag_name("entry")).unwrap();
        let field = |name: &str| {
            entry
                .children()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text())
                .map(str::to_string)
        };
        let rss = site.file(&format!("{dir}rss.xml"));
        let doc = roxmltree::Document::parse(&rss).unwrap();
        let encoded = doc
            .descendants()
            .find(|n| n.tag_name().name() == "encoded")
            .and_then(|n| n.text())
            .map(str::to_string);
        let json: serde_json::Value =
            serde_json::from_str(&site.file(&format!("{dir}feed.json"))).unwrap();
        let html = json["items"][0]["content_html"]
            .as_str()
            .unwrap()
            .to_string();
        (field("summary"), field("content"), encoded, html)
    };
    for dir in ["", "news/"] {
        let (summary, content, encoded, html) = text_of(dir);
        assert!(summary.unwrap().contains("The fair opens."), "{dir}");
        assert!(content.unwrap().contains(BODY), "{dir}atom.xml");
        assert!(encoded.unwrap().contains(BODY), "{dir}rss.xml");
        assert!(html.contains(BODY), "{dir}feed.json");
    }
    let (summary, content, encoded, html) = text_of("tags/trade/");
    assert!(summary.unwrap().contains("The fair opens."));
    assert_eq!((content, encoded), (None, None));
    assert!(
        html.contains("The fair opens.") && !html.contains(BODY),
        "{html}"
    );
}

#[test]
fn feeds_of_every_kind_are_valid_by_their_specs() {
    let site = feeds_site(
        "---\ntitle: Fair & <market>\nauthor: Li Wei\ntags: [trade]\n---\nThe fair opens.\n",
    );
    for dir in ["", "news/", "tags/trade/"] {
        // RSS 2.0: channel title, link, description; items with guid, RFC 822 dates, dc:creator.
        let rss = site.file(&format!("{dir}rss.xml"));
        let doc = roxmltree::Document::parse(&rss).unwrap();
        let root = doc.root_element();
        assert_eq!(
            (root.tag_name().name(), root.attribute("version")),
            ("rss", Some("2.0"))
        );
        let channel = root.children().find(|n| n.has_tag_name("channel")).unwrap();
        let child = |n: roxmltree::Node<'_, '_>, name: &str| {
            n.children()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text())
                .map(str::to_string)
        };
        for required in ["title", "link", "description"] {
            assert!(
                child(channel, required).is_some_and(|t| !t.is_empty()),
                "{dir}rss.xml: {required}"
            );
        }
        let own = channel
            .children()
            .find(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "link")))
            .unwrap();
        assert_eq!(own.attribute("rel"), Some("self"));
        assert_eq!(
            own.attribute("href"),
            Some(format!("https://example.org/{dir}rss.xml").as_str())
        );
        let items: Vec<_> = channel
            .children()
            .filter(|n| n.has_tag_name("item"))
            .collect();
        assert!(!items.is_empty(), "{dir}rss.xml has items");
        for item in &items {
            let date = child(*item, "pubDate").unwrap();
            chrono::DateTime::parse_from_rfc2822(&date).unwrap_or_else(|e| panic!("{date}: {e}"));
            assert_eq!(child(*item, "guid"), child(*item, "link"));
        }
        let fair = items
            .iter()
            .find(|i| child(**i, "title").as_deref() == Some("Fair & <market>"))
            .unwrap();
        let creator = fair
            .children()
            .find(|n| n.has_tag_name(("http://purl.org/dc/elements/1.1/", "creator")))
            .and_then(|n| n.text());
        assert_eq!(creator, Some("Li Wei"));
        // JSON Feed 1.1: version, title, items with id and RFC 3339 dates.
        let json: serde_json::Value =
            serde_json::from_str(&site.file(&format!("{dir}feed.json"))).unwrap();
        assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
        assert_eq!(
            json["feed_url"],
            format!("https://example.org/{dir}feed.json")
        );
        assert!(json["title"].as_str().is_some_and(|t| !t.is_empty()));
        let items = json["items"].as_array().unwrap();
        for item in items {
            assert!(
                item["id"].is_string()
                    && item["url"].is_string()
                    && item["content_html"].is_string()
            );
            chrono::DateTime::parse_from_rfc3339(item["date_published"].as_str().unwrap()).unwrap();
        }
        assert!(items.iter().any(|i| i["authors"][0]["name"] == "Li Wei"));
        assert!(site.exists(&format!("{dir}atom.xml")));
    }
    let home = site.page("/");
    assert_eq!(
        home.attrs("link[rel=alternate][type]", "type"),
        [
            "application/atom+xml",
            "application/rss+xml",
            "application/feed+json"
        ]
    );
}

#[test]
fn feeds_false_writes_none_and_an_unknown_kind_is_an_error() {
    let site = SiteTest::fixture("basic/minimal");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}\nfeeds: false\n"));
    site.build().assert_ok();
    assert!(!site.exists("atom.xml") && !site.exists("rss.xml") && !site.exists("feed.json"));
    site.write("site.yaml", format!("{yaml}\nfeeds: [atom, rdf]\n"));
    site.build()
        .assert_fails_with("feeds: unknown kind \"rdf\", expected atom, rss or json");
}

#[test]
fn search_false_makes_neither_index_nor_page() {
    let site = SiteTest::fixture("basic/minimal");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}\nsearch: false\n"));
    site.build().assert_ok();
    assert!(!site.exists("search/index.html") && !site.exists("search/en/index.json"));
    assert!(
        !site.file("index.html").contains("/search/"),
        "no link to a missing page"
    );
}

#[test]
fn the_news_sitemap_holds_the_last_48_hours() {
    // SOURCE_DATE_EPOCH of the tests: 2024-01-01T00:00:00Z.
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\nlanguages:\n  zh: { title: 中 }\nnews_sitemap: { publication: \"Consulate General of the PRC in Khabarovsk\" }\n",
    );
    site.write(
        "content/news/fresh.md",
        "---\ntitle: Fresh & new\ndate: 2023-12-31T10:00:00Z\n---\nText.\n",
    );
    site.write(
        "content/news/fresh.zh.md",
        "---\ntitle: 新闻\ndate: 2023-12-30T06:00:00Z\n---\n正文。\n",
    );
    site.write(
        "content/news/old.md",
        "---\ntitle: Old\ndate: 2023-12-29T23:00:00Z\n---\nText.\n",
    );
    site.write(
        "content/news/future.md",
        "---\ntitle: Later\ndate: 2024-01-02\n---\nText.\n",
    );
    site.build().assert_ok();
    let xml = site.file("sitemap-news.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
    let text = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.descendants()
            .find(|d| d.has_tag_name((NEWS, name)))
            .and_then(|d| d.text())
            .unwrap_or_default()
            .to_string()
    };
    let urls: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    let locs: Vec<String> = urls
        .iter()
        .map(|u| {
            u.descendants()
                .find(|d| d.has_tag_name("loc"))
                .unwrap()
                .text()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        locs,
        [
            "https://example.org/news/fresh/",
            "https://example.org/zh/news/fresh/"
        ]
    );
    assert_eq!(
        text(urls[0], "name"),
        "Consulate General of the PRC in Khabarovsk"
    );
    assert_eq!(text(urls[0], "language"), "en");
    assert_eq!(text(urls[1], "language"), "zh-cn");
    assert_eq!(text(urls[0], "title"), "Fresh & new");
    chrono::DateTime::parse_from_rfc3339(&text(urls[0], "publication_date")).unwrap();
    assert!(
        site.file("robots.txt")
            .contains("Sitemap: https://example.org/sitemap-news.xml")
    );
}
