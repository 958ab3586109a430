//! The repository's own sample portal, and the news features it relies on:
//! languages, taxonomies, feeds, sitemap, search index.

use std::process::Command;

use crate::harness::{EPOCH, SiteTest};

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn sample_portal() -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args([
            "build",
            "-q",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "--output",
        ])
        .arg(&public)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .status()
        .unwrap();
    assert!(status.success());
    (out, public)
}

#[test]
fn the_sample_portal_builds_in_three_languages() {
    let (_keep, public) = sample_portal();
    for page in [
        "index.html",
        "ru/index.html",
        "zh/index.html",
        "news/index.html",
        "announcements/index.html",
        "consular-services/index.html",
        "news/northeast-china-russian-far-east-cooperation/index.html",
        "news/northeast-china-russian-far-east-cooperation/bridge.svg",
        "ru/consular-services/visa-applications/index.html",
        "tags/index.html",
        "hotline/index.html",
    ] {
        assert!(public.join(page).exists(), "{page}");
    }
    let lead = std::fs::read_to_string(
        public.join("news/northeast-china-russian-far-east-cooperation/index.html"),
    )
    .unwrap();
    assert!(lead.contains("Jiang Xiaoyang"));
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        home.contains("class=\"lead\""),
        "the seed article leads the home page"
    );
}

#[test]
fn translations_link_each_other_with_hreflang() {
    let (_keep, public) = sample_portal();
    let html =
        std::fs::read_to_string(public.join("consular-services/visa-applications/index.html"))
            .unwrap();
    let page = crate::harness::Page(scraper::Html::parse_document(&html));
    let hreflangs = page.attrs("link[rel=alternate][hreflang]", "hreflang");
    assert_eq!(hreflangs, ["en", "x-default", "ru", "zh"]);
    let ru =
        std::fs::read_to_string(public.join("ru/consular-services/visa-applications/index.html"))
            .unwrap();
    assert!(ru.contains("<html lang=\"ru\">"));
    assert!(
        ru.contains("1 октября 2022 г."),
        "Russian dates use the genitive month"
    );
}

#[test]
fn feeds_are_atom_with_absolute_urls() {
    let (_keep, public) = sample_portal();
    for feed in [
        "atom.xml",
        "news/atom.xml",
        "ru/atom.xml",
        "tags/visa/atom.xml",
    ] {
        let xml = std::fs::read_to_string(public.join(feed)).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some(ATOM));
        assert_eq!(root.tag_name().name(), "feed");
        for required in ["id", "title", "updated"] {
            assert!(
                root.children().any(|c| c.has_tag_name((ATOM, required))),
                "{feed} lacks {required}"
            );
        }
        let entries: Vec<_> = root
            .children()
            .filter(|c| c.has_tag_name((ATOM, "entry")))
            .collect();
        assert!(!entries.is_empty() && entries.len() <= 20, "{feed}");
        for entry in entries {
            for required in ["id", "title", "updated", "link", "author"] {
                assert!(
                    entry.children().any(|c| c.has_tag_name((ATOM, required))),
                    "{feed} entry lacks {required}"
                );
            }
            let link = entry
                .children()
                .find(|c| c.has_tag_name((ATOM, "link")))
                .unwrap();
            assert!(
                link.attribute("href")
                    .unwrap()
                    .starts_with("https://khabarovsk.example.org/")
            );
        }
    }
}

#[test]
fn sitemap_lists_listed_pages_with_lastmod() {
    let (_keep, public) = sample_portal();
    let xml = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let locs = crate::harness::sitemap_locs(&xml);
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://khabarovsk.example.org/"))
    );
    assert!(locs.iter().any(|l| l
        == "https://khabarovsk.example.org/news/northeast-china-russian-far-east-cooperation/"));
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("spring-festival-office-hours")),
        "expired article left out"
    );
}

#[test]
fn taxonomy_terms_merge_case_and_spacing() {
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\ntags: [Border Crossing]\n---\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\ndate: 2023-01-02\ntags: [border  crossing]\n---\n",
    );
    site.build().assert_ok();
    let list = site.page("/tags/");
    assert_eq!(list.attrs(".terms a", "href"), ["/tags/border-crossing/"]);
    assert_eq!(list.text(".terms .count"), "2");
    assert_eq!(
        site.page("/tags/border-crossing/").texts(".card-title"),
        ["B", "A"]
    );
}

#[test]
fn search_index_holds_published_articles_of_one_language() {
    let (_keep, public) = sample_portal();
    let index = crate::harness::SearchIndex::read(&public, "ru");
    assert!(!index.cards.is_empty());
    for card in &index.cards {
        assert!(card["url"].as_str().unwrap().starts_with("/ru/"));
        for key in ["title", "date", "section", "tags", "excerpt"] {
            assert!(!card[key].is_null(), "{key}");
        }
    }
    let stem = &index.forms["делегации"];
    assert!(
        index
            .titles_with(stem)
            .iter()
            .any(|t| t.starts_with("Делегация"))
    );
}

#[test]
fn every_image_of_the_sample_portal_is_sized_and_every_srcset_has_sizes() {
    let (_keep, public) = sample_portal();
    let img = scraper::Selector::parse("img, source").unwrap();
    let form = scraper::Selector::parse("form[action]").unwrap();
    let mut images = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        let at = entry.path().display();
        for element in html.select(&img) {
            let e = element.value();
            let width_descriptors = e
                .attr("srcset")
                .is_some_and(|s| s.trim_end().ends_with('w'));
            assert!(
                !width_descriptors || e.attr("sizes").is_some(),
                "{at}: srcset without sizes"
            );
            if e.name() == "img" {
                images += 1;
                assert!(
                    e.attr("width").is_some() && e.attr("height").is_some(),
                    "{at}: {:?} unsized",
                    e.attr("src")
                );
                assert!(
                    e.attr("alt").is_some(),
                    "{at}: {:?} has no alt",
                    e.attr("src")
                );
            }
        }
        for f in html.select(&form) {
            assert!(
                !f.value().attr("action").unwrap().is_empty(),
                "{at}: empty form action"
            );
        }
    }
    assert!(images > 10, "only {images} images");
}
