//! The search index: split files, stems and bigrams, ranking weights, filters,
//! and nothing unpublished or of another language in a language's index.

use crate::harness::{SearchIndex, SiteTest};

fn site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: Consulate\nbase_url: https://example.org\ntaxonomies: [tags]\nlanguages:\n  ru: { title: Консульство }\n  zh: { title: 总领事馆 }\n",
    );
    site.write("content/news/_index.md", "---\ntitle: News\n---\n");
    site.write("content/notices/_index.md", "---\ntitle: Notices\n---\n");
    site.write(
        "content/news/visit.md",
        "---\ntitle: Delegation visits the bridge\ndate: 2023-05-10\ntags: [trade]\n---\nThe delegations crossed it.\n",
    );
    site.write(
        "content/news/freight.md",
        "---\ntitle: Freight grows\ndate: 2023-09-01\ntags: [bridge]\n---\nTrucks use the new bridge daily.\n\nThe bridge is busy, bridges help, lorries wait.\n",
    );
    site.write(
        "content/notices/hours.md",
        "---\ntitle: Opening hours\ndate: 2022-01-03\n---\nClosed on holidays.\n",
    );
    site.write(
        "content/news/draft.md",
        "---\ntitle: Secret draft\ndate: 2023-01-01\ndraft: true\n---\nUnpublishedword here.\n",
    );
    site.write(
        "content/news/future.md",
        "---\ntitle: Scheduled\ndate: 2099-01-01\n---\nFutureword here.\n",
    );
    site.write(
        "content/news/visit.ru.md",
        "---\ntitle: Делегация посетила мост\ndate: 2023-05-10\n---\nДелегации понравилось. Ёлка стояла.\n",
    );
    site.write(
        "content/news/visit.zh.md",
        "---\ntitle: 代表团访问大桥\ndate: 2023-05-10\n---\n双方讨论了合作。\n",
    );
    site
}

#[test]
fn a_language_index_holds_only_its_published_articles() {
    let site = site();
    site.build().assert_ok();
    let en = SearchIndex::read(&site.public(), "en");
    let urls: Vec<&str> = en
        .cards
        .iter()
        .map(|c| c["url"].as_str().unwrap())
        .collect();
    // Newest first.
    assert_eq!(urls, ["/news/freight/", "/news/visit/", "/notices/hours/"]);
    for word in [
        "unpublishedword",
        "futureword",
        "secret",
        "schedul",
        "делегац",
        "代表",
    ] {
        assert!(
            !en.terms.contains_key(word),
            "{word} is in the English index"
        );
    }
    let ru = SearchIndex::read(&site.public(), "ru");
    assert_eq!(ru.cards.len(), 1);
    assert_eq!(ru.cards[0]["url"], "/ru/news/visit/");
    assert!(!ru.terms.contains_key("bridg"));
    // Drafts and future articles are only published with --drafts.
    site.run(&["build", "--drafts"]).assert_ok();
    let all = SearchIndex::read(&site.public(), "en");
    assert!(all.terms.contains_key("unpublishedword") && all.terms.contains_key("futureword"));
}

#[test]
fn words_are_stemmed_folded_and_chinese_is_cut_into_bigrams() {
    let site = site();
    site.build().assert_ok();
    let ru = SearchIndex::read(&site.public(), "ru");
    let stem = &ru.forms["делегации"];
    assert_eq!(stem, &ru.forms["делегация"], "two forms, one stem");
    assert_eq!(ru.titles_with(stem), ["Делегация посетила мост"]);
    assert!(
        ru.terms.keys().any(|k| k.starts_with("елк")),
        "ё is folded to е"
    );
    let en = SearchIndex::read(&site.public(), "en");
    assert_eq!(en.forms["delegations"], "deleg");
    assert_eq!(en.forms.get("bridge"), Some(&"bridg".to_string()));
    assert_eq!(en.titles_with("deleg"), ["Delegation visits the bridge"]);
    let zh = SearchIndex::read(&site.public(), "zh");
    for bigram in ["代表", "合作", "大桥"] {
        assert_eq!(zh.titles_with(bigram), ["代表团访问大桥"], "{bigram}");
    }
}

#[test]
fn title_weighs_more_than_tags_and_tags_more_than_body() {
    let site = site();
    site.build().assert_ok();
    let en = SearchIndex::read(&site.public(), "en");
    let weights: std::collections::BTreeMap<String, u8> = en.terms["bridg"]
        .iter()
        .map(|(doc, w)| {
            (
                en.cards[*doc as usize]["title"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                *w,
            )
        })
        .collect();
    // "visit" has it in its title; "freight" in a tag, its summary (the first
    // paragraph) and three times in its body.
    assert!(
        weights["Delegation visits the bridge"] > weights["Freight grows"],
        "{weights:?}"
    );
    assert!(weights["Freight grows"] >= 32 + 3, "{weights:?}");
    let body_only = en.terms["wait"][0].1;
    assert_eq!(body_only, 1);
}

#[test]
fn filters_list_section_year_and_tag_with_their_docs() {
    let site = site();
    site.build().assert_ok();
    let public = site.public();
    let en = SearchIndex::read(&public, "en");
    let names: Vec<&str> = en.meta["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["section", "year", "tag"]);
    let url = |doc: &u64| en.cards[*doc as usize]["url"].as_str().unwrap().to_string();
    let news: Vec<String> = en
        .filter(&public, "en", "section", "news")
        .iter()
        .map(url)
        .collect();
    assert_eq!(news, ["/news/freight/", "/news/visit/"]);
    let year: Vec<String> = en
        .filter(&public, "en", "year", "2022")
        .iter()
        .map(url)
        .collect();
    assert_eq!(year, ["/notices/hours/"]);
    let tag: Vec<String> = en
        .filter(&public, "en", "tag", "bridge")
        .iter()
        .map(url)
        .collect();
    assert_eq!(tag, ["/news/freight/"]);
    let sections = &en.meta["filters"][0]["values"];
    assert_eq!(sections[0]["label"], "News");
    assert_eq!(sections[0]["count"], 2);
}

#[test]
fn a_large_archive_is_cut_into_small_files() {
    let site = SiteTest::empty();
    for n in 0..400 {
        site.write(
            &format!("content/news/a{n}.md"),
            format!("---\ntitle: Article {n} word{n}\ndate: 2023-01-01\n---\nCommon text with unique{n}, alpha{n}, beta{n}, gamma{n} and filler words about bridges and trade.\n"),
        );
    }
    site.build().assert_ok();
    let public = site.public();
    let en = SearchIndex::read(&public, "en");
    assert_eq!(en.cards.len(), 400);
    assert!(
        en.meta["terms"].as_array().unwrap().len() > 1,
        "terms are split"
    );
    for entry in walkdir(&public.join("search/en")) {
        let size = std::fs::metadata(&entry).unwrap().len();
        assert!(size < 40_000, "{} is {size} bytes", entry.display());
    }
    assert_eq!(en.titles_with("unique17"), ["Article 17 word17"]);
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}
