//! Chinese, Russian and English: URLs per language, translations, slugs in
//! every script, UI strings, dates, reading time.

use crate::harness::SiteTest;

fn trilingual(slugify: &str) -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        format!("title: Consulate\nbase_url: https://example.org\ndefault_language: en\nslugify: {slugify}\ntaxonomies: [tags]\nlanguages:\n  ru: {{ title: Консульство }}\n  zh: {{ title: 总领事馆 }}\n"),
    );
    site.write("content/news/_index.md", "---\ntitle: News\n---\n");
    site.write("content/news/_index.ru.md", "---\ntitle: Новости\n---\n");
    site
}

#[test]
fn every_language_has_its_own_tree_and_lists() {
    let site = trilingual("transliterate");
    site.write(
        "content/news/visit.md",
        "---\ntitle: Visit\ndate: 2023-05-10\ntags: [visa]\n---\nEnglish.\n",
    );
    site.write(
        "content/news/visit.ru.md",
        "---\ntitle: Визит\ndate: 2023-05-10\ntags: [Виза]\n---\nРусский.\n",
    );
    site.write(
        "content/news/only-ru.ru.md",
        "---\ntitle: Только по-русски\ndate: 2023-05-11\n---\nТекст.\n",
    );
    site.write(
        "content/news/other-name.zh.md",
        "---\ntitle: 访问\ndate: 2023-05-10\ntranslation_key: visit-key\n---\n中文。\n",
    );
    site.write(
        "content/news/visit-en-key.md",
        "---\ntitle: Keyed\ndate: 2023-05-09\ntranslation_key: visit-key\n---\nKeyed.\n",
    );
    site.build().assert_ok();
    assert_eq!(site.page("/ru/").attrs("html", "lang"), ["ru"]);
    assert_eq!(site.page("/ru/news/").text("h1"), "Новости");
    assert_eq!(
        site.page("/zh/news/").text("h1"),
        "News",
        "no zh index: the default language's title"
    );
    let ru_list = site.page("/ru/news/").texts(".card-title");
    assert_eq!(ru_list, ["Только по-русски", "Визит"]);
    assert!(
        !site
            .page("/news/")
            .texts(".card-title")
            .iter()
            .any(|t| t.contains("Только"))
    );
    assert_eq!(
        site.page("/ru/tags/").attrs(".terms a", "href"),
        ["/ru/tags/viza/"]
    );
    let visit = site.page("/news/visit/");
    assert_eq!(
        visit.attrs("link[hreflang]", "hreflang"),
        ["en", "x-default", "ru"]
    );
    let keyed = site.page("/news/visit-en-key/");
    assert_eq!(
        keyed.attrs("link[hreflang='zh']", "href"),
        ["https://example.org/zh/news/other-name/"]
    );
    let sitemap = site.file("sitemap.xml");
    assert!(sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"ru\" href=\"https://example.org/ru/news/visit/\"/>"), "{sitemap}");
    assert!(site.file("ru/atom.xml").contains("Визит") && !site.file("atom.xml").contains("Визит"));
    let search = crate::harness::SearchIndex::read(&site.public(), "zh");
    assert_eq!(search.cards[0]["title"], "访问");
}

#[test]
fn slugs_transliterate_cyrillic_and_chinese() {
    let site = trilingual("transliterate");
    site.write(
        "content/news/Визит губернатора.ru.md",
        "---\ntitle: В\ndate: 2023-05-10\n---\n",
    );
    site.write(
        "content/news/中俄博览会.zh.md",
        "---\ntitle: Z\ndate: 2023-05-10\n---\n",
    );
    site.build().assert_ok();
    assert!(site.exists("ru/news/vizit-gubernatora/index.html"));
    assert!(site.exists("zh/news/zhong-e-bo-lan-hui/index.html"));
}

#[test]
fn unicode_slugs_keep_letters_and_encode_links() {
    let site = trilingual("unicode");
    site.write(
        "content/news/Визит губернатора.ru.md",
        "---\ntitle: В\ndate: 2023-05-10\ntags: [Виза]\n---\n",
    );
    site.build().assert_ok();
    assert!(site.exists("ru/news/визит-губернатора/index.html"));
    assert!(site.exists("ru/tags/виза/index.html"));
    let links = site.page("/ru/news/").attrs(".card-title a", "href");
    assert_eq!(
        links,
        [
            "/ru/news/%D0%B2%D0%B8%D0%B7%D0%B8%D1%82-%D0%B3%D1%83%D0%B1%D0%B5%D1%80%D0%BD%D0%B0%D1%82%D0%BE%D1%80%D0%B0/"
        ]
    );
}

#[test]
fn slug_collisions_are_errors() {
    let site = trilingual("transliterate");
    site.write(
        "content/news/Визит.md",
        "---\ntitle: A\ndate: 2023-05-10\n---\n",
    );
    site.write(
        "content/news/vizit.md",
        "---\ntitle: B\ndate: 2023-05-10\n---\n",
    );
    site.build()
        .assert_fails_with("/news/vizit/ is written twice");
}

#[test]
fn missing_ui_strings_are_errors_or_fall_back() {
    let site = trilingual("transliterate");
    site.write(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2023-05-10\n---\n",
    );
    site.write("templates/i18n/zh.yaml", "home: 首页\n");
    let run = site.build();
    run.assert_fails_with("no UI string `skip_to_content` in language \"zh\"");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}strings_fallback: true\n"));
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr
            .contains("templates/i18n/zh.yaml: warning: UI strings missing in \"zh\""),
        "{}",
        run.stderr
    );
    assert!(site.page("/zh/").text("nav.sections").contains("首页"));
}

#[test]
fn ui_strings_can_be_overridden_in_site_yaml() {
    let site = trilingual("transliterate");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        yaml.replace(
            "ru: { title: Консульство }",
            "ru: { title: Консульство, strings: { home: Начало } }",
        ),
    );
    site.write(
        "content/news/a.ru.md",
        "---\ntitle: A\ndate: 2023-05-10\n---\n",
    );
    site.build().assert_ok();
    assert!(site.page("/ru/").text("nav.sections").contains("Начало"));
}

#[test]
fn dates_and_reading_time_per_language() {
    let site = trilingual("transliterate");
    site.write(
        "content/news/a.zh.md",
        format!(
            "---\ntitle: 中\ndate: 2023-05-10\n---\n\n{}\n",
            "中".repeat(800)
        ),
    );
    site.write(
        "content/news/a.ru.md",
        "---\ntitle: Р\ndate: 2023-05-10\n---\n\nТекст.\n",
    );
    site.build().assert_ok();
    let zh = site.page("/zh/news/a/");
    assert!(
        zh.text(".meta").contains("2023年5月10日"),
        "{}",
        zh.text(".meta")
    );
    assert!(
        zh.text(".meta").contains("阅读约 2 分钟"),
        "800 characters at 400 a minute: {}",
        zh.text(".meta")
    );
    assert!(
        site.page("/ru/news/a/")
            .text(".meta")
            .contains("10 мая 2023 г.")
    );
}

#[test]
fn bundles_translate_with_index_lang_files() {
    let site = trilingual("transliterate");
    site.write(
        "content/news/bridge/index.md",
        "---\ntitle: Bridge\ndate: 2023-05-10\n---\n\n![Bridge](photo.jpg)\n",
    );
    site.write(
        "content/news/bridge/index.ru.md",
        "---\ntitle: Мост\ndate: 2023-05-10\n---\n\n![Мост](photo.jpg)\n",
    );
    site.write(
        "content/news/bridge/photo.jpg",
        crate::harness::photo(40, 30),
    );
    site.build().assert_ok();
    assert!(site.exists("news/bridge/photo.jpg"));
    assert!(site.exists("ru/news/bridge/photo.jpg"));
    assert_eq!(
        site.page("/ru/news/bridge/")
            .attrs("link[hreflang='en']", "href"),
        ["https://example.org/news/bridge/"]
    );
}

#[test]
fn language_codes_as_real_sites_write_them_match_with_a_warning() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\nlanguages:\n  zh: { title: 中 }\n  ru: { title: Р }\n",
    );
    site.write(
        "content/news/2023-01-02-visit.md",
        "---\ntitle: Visit\n---\nText.\n",
    );
    site.write(
        "content/news/2023-01-02-visit.zh_CN.md",
        "---\ntitle: 访问\n---\n正文。\n",
    );
    site.write(
        "content/news/2023-01-03-forum.md",
        "---\ntitle: 论坛\nlang: zh_cn\n---\n正文。\n",
    );
    site.write(
        "content/news/2023-01-04-fair.md",
        "---\ntitle: Ярмарка\nlang: RU\n---\nТекст.\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr.contains(
            "content/news/2023-01-03-forum.md:3:7: warning: language \"zh_cn\" is taken as \"zh\""
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/news/2023-01-02-visit.zh_CN.md: warning: language \"zh_CN\""),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("\"RU\""),
        "an exact match is no warning:\n{}",
        run.stderr
    );
    assert_eq!(site.page("/zh/news/visit/").text("h1"), "访问");
    assert_eq!(site.page("/zh/news/forum/").text("h1"), "论坛");
    assert_eq!(site.page("/ru/news/fair/").text("h1"), "Ярмарка");
    // The Chinese file is the translation of the English one.
    let alternates = site.page("/news/visit/").attrs("link[hreflang=zh]", "href");
    assert_eq!(alternates, ["https://example.org/zh/news/visit/"]);
}

#[test]
fn a_language_the_site_does_not_have_is_an_error() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\nlanguages:\n  zh: { title: 中 }\n",
    );
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\nlang: fr\n---\nTexte.\n",
    );
    site.build().assert_fails_with(
        "content/a.md:4:7: lang: \"fr\" is not a language of this site, expected one of en, zh",
    );
}

#[test]
fn a_file_name_in_a_language_the_site_does_not_have_is_an_error() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\nlanguages:\n  zh: { title: 中 }\n",
    );
    let article = "---\ntitle: A\ndate: 2023-01-01\n---\nTexte.\n";
    site.write("content/news/visit.md", article);
    site.write("content/news/visit.fr.md", article);
    site.write("content/news/trip/index.md", article);
    site.write("content/news/trip/index.de.md", article);
    // A last part that is no language code stays part of the name.
    site.write("content/news/v1.2.md", article);
    let run = site.build();
    for file in ["content/news/visit.fr.md", "content/news/trip/index.de.md"] {
        let code = if file.contains("fr") { "fr" } else { "de" };
        run.assert_fails_with(&format!(
            "{file}: language \"{code}\" in the file name is not a language of this site, expected one of en, zh"
        ));
    }
    site.remove("content/news/visit.fr.md");
    site.remove("content/news/trip/index.de.md");
    site.build().assert_ok();
    assert!(site.exists("news/v1-2/index.html"));
    assert!(!site.exists("news/trip/index.de.md"));
}

#[test]
fn ui_strings_take_cldr_plural_forms_by_count() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\nlanguages:\n  ru: { title: Р }\n  zh: { title: 中 }\n",
    );
    site.write(
        "templates/i18n/ru.yaml",
        "things: { one: \"{count} материал\", few: \"{count} материала\", many: \"{count} материалов\", other: \"{count} материала\" }\nplain: \"всего {count}\"\n",
    );
    site.write("templates/i18n/en.yaml", "things: { one: \"{count} article\", other: \"{count} articles\" }\nplain: \"{count} in all\"\n");
    site.write(
        "templates/i18n/zh.yaml",
        "things: { other: \"{count} 篇文章\" }\nplain: \"共 {count}\"\n",
    );
    site.write(
        "templates/base.html",
        "<!DOCTYPE html><html lang=\"{{ lang }}\"><head><title>x</title></head><body>{% block body %}{% endblock body %}</body></html>",
    );
    site.write(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block body %}{% for n in [0, 1, 2, 5, 11, 21, 22, 1.5] %}<p class=\"n\">{{ t(key=\"things\", count=n) }}</p>{% endfor %}<p class=\"plain\">{{ t(key=\"plain\", count=3) }}</p>{% endblock body %}",
    );
    for name in ["section.html", "page.html"] {
        site.write(&format!("templates/{name}"), "{% extends \"base.html\" %}");
    }
    site.build().assert_ok();
    assert_eq!(
        site.page("/ru/").texts("p.n"),
        [
            "0 материалов",
            "1 материал",
            "2 материала",
            "5 материалов",
            "11 материалов",
            "21 материал",
            "22 материала",
            "1.5 материала"
        ]
    );
    assert_eq!(
        site.page("/").texts("p.n"),
        [
            "0 articles",
            "1 article",
            "2 articles",
            "5 articles",
            "11 articles",
            "21 articles",
            "22 articles",
            "1.5 articles"
        ]
    );
    assert_eq!(site.page("/zh/").texts("p.n")[1], "1 篇文章");
    assert_eq!(site.page("/ru/").text("p.plain"), "всего 3");
    site.write(
        "templates/i18n/ru.yaml",
        "things: { one: \"{count} материал\", several: \"x\" }\nplain: \"p\"\n",
    );
    site.build().assert_fails_with(
        "templates/i18n/ru.yaml:1:9: UI string `things` (ru): unknown plural category `several`",
    );
}

#[test]
fn the_default_theme_counts_in_russian() {
    let site = trilingual("transliterate");
    for (i, n) in [(1, 2), (2, 5)] {
        for k in 0..n {
            site.write(
                &format!("content/news/t{i}-{k}.ru.md"),
                format!(
                    "---\ntitle: Т{i}{k}\ndate: 2023-01-0{}\ntags: [тег{i}]\n---\nТекст.\n",
                    k + 1
                ),
            );
        }
    }
    site.build().assert_ok();
    assert_eq!(
        site.page("/ru/tags/teg1/").text("header p.meta"),
        "2 материала"
    );
    assert_eq!(
        site.page("/ru/tags/teg2/").text("header p.meta"),
        "5 материалов"
    );
}

#[test]
fn traditional_chinese_works_out_of_the_box() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\nlanguages:\n  zh: { title: 简 }\n  zh-Hant: { title: 繁 }\n",
    );
    site.write(
        "content/news/2023-05-10-a.md",
        "---\ntitle: A\n---\nText.\n",
    );
    site.write(
        "content/news/2023-05-10-a.zh_TW.md",
        "---\ntitle: 訪問\n---\n正文。\n",
    );
    site.write(
        "content/news/2023-05-10-a.zh_CN.md",
        "---\ntitle: 访问\n---\n正文。\n",
    );
    site.build().assert_ok();
    let hant = site.page("/zh-Hant/news/a/");
    assert_eq!(hant.attrs("html", "lang"), ["zh-Hant"]);
    assert!(
        hant.text("nav.sections").contains("首頁"),
        "{}",
        hant.text("nav.sections")
    );
    assert!(
        hant.text(".meta").contains("2023年5月10日"),
        "{}",
        hant.text(".meta")
    );
    assert!(
        site.page("/zh/news/a/")
            .text("nav.sections")
            .contains("首页")
    );
}

#[test]
fn translations_inherit_language_neutral_fields_but_not_words() {
    let site = trilingual("transliterate");
    site.write(
        "content/news/bridge/index.md",
        "---\ntitle: Bridge\ndate: 2023-05-10\nauthor: Dmitry Volkov\nimage: photo.jpg\nimage_alt: The bridge\nsummary: English summary\ntags: [bridges]\n---\n\n![The bridge](photo.jpg)\n",
    );
    site.write(
        "content/news/bridge/photo.jpg",
        crate::harness::photo(40, 30),
    );
    site.write(
        "content/news/bridge/index.ru.md",
        "---\ntitle: Мост\nimage_alt: Мост\n---\n\nТекст.\n",
    );
    site.write(
        "content/news/visit.md",
        "---\ntitle: Visit\ndate: 2023-04-01\ndraft: true\n---\nText.\n",
    );
    site.write(
        "content/news/visit.zh.md",
        "---\ntitle: 访问\n---\n正文。\n",
    );
    site.write(
        "content/news/alone.ru.md",
        "---\ntitle: Один\n---\nТекст.\n",
    );
    let run = site.build();
    run.assert_fails_with("content/news/alone.ru.md:1:1: date: missing");
    site.remove("content/news/alone.ru.md");
    site.build().assert_ok();
    let ru = site.page("/ru/news/bridge/");
    assert!(
        ru.text(".meta").contains("10 мая 2023"),
        "{}",
        ru.text(".meta")
    );
    assert!(
        ru.text(".meta").contains("Dmitry Volkov"),
        "{}",
        ru.text(".meta")
    );
    assert_eq!(ru.attrs("figure.lead-figure img", "alt"), ["Мост"]);
    assert!(
        !ru.0.html().contains("English summary"),
        "words are not inherited"
    );
    assert!(!ru.0.html().contains("bridges"), "terms are not inherited");
    // The draft stays a draft in every language.
    assert!(!site.exists("zh/news/visit/index.html"));
}

#[test]
fn menus_per_language_resolve_their_targets_and_mark_the_current_page() {
    let site = trilingual("transliterate");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let yaml = yaml.replace(
        "  ru: { title: Консульство }\n",
        "  ru:\n    title: Консульство\n    menus:\n      main:\n        - { name: Визовый центр, url: \"https://visa.example.org/\", weight: 9 }\n        - { name: Новости, url: \"@/news/_index.md\", weight: 1 }\n",
    );
    site.write(
        "site.yaml",
        format!("{yaml}menus:\n  main:\n    - {{ name: Visit, url: \"@/news/visit.md\", weight: 2 }}\n    - {{ name: News, url: \"@/news/_index.md\", weight: 1 }}\n    - {{ name: About, url: /about/, weight: 3 }}\n"),
    );
    site.write(
        "content/news/visit.md",
        "---\ntitle: Visit\ndate: 2023-01-01\n---\nText.\n",
    );
    site.write(
        "content/news/visit.zh.md",
        "---\ntitle: 访问\ndate: 2023-01-01\n---\n正文。\n",
    );
    site.build().assert_ok();
    let nav = |url: &str| site.page(url).attrs("nav.sections a", "href");
    assert_eq!(nav("/"), ["/news/", "/news/visit/", "/about/"]);
    // zh has no menus of its own: the site's, resolved to its pages where it has them.
    assert_eq!(nav("/zh/"), ["/zh/news/", "/zh/news/visit/", "/about/"]);
    assert_eq!(nav("/ru/"), ["/ru/news/", "https://visa.example.org/"]);
    let visit = site.page("/news/visit/");
    assert_eq!(
        visit.attrs("nav.sections a[aria-current=page]", "href"),
        ["/news/visit/"]
    );
    site.write(
        "site.yaml",
        format!("{yaml}menus:\n  main:\n    - {{ name: Gone, url: \"@/news/gone.md\" }}\n"),
    );
    let run = site.build();
    run.assert_fails_with("menus: broken link `@/news/gone.md` in menu `main`");
    assert!(run.stderr.contains("site.yaml:"), "{}", run.stderr);
}

#[test]
fn a_section_a_language_lacks_links_to_the_default_languages() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: C\nbase_url: https://example.org\nlanguages:\n  ru: { title: К }\n  zh: { title: 总 }\nmenus:\n  main:\n    - { name: Events, url: \"@/events/_index.md\" }\n",
    );
    for (file, text) in [
        ("content/events/_index.md", "---\ntitle: Events\n---\n"),
        (
            "content/events/fair.md",
            "---\ntitle: Fair\ndate: 2023-01-01\n---\nText.\n",
        ),
        (
            "content/news/visit.zh.md",
            "---\ntitle: 访问\ndate: 2023-01-01\n---\n见[活动](@/events/_index.md)。\n",
        ),
    ] {
        site.write(file, text);
    }
    site.build().assert_ok();
    let nav = |url: &str| site.page(url).attrs("nav.sections a", "href");
    // Neither ru nor zh has an article under events/: their menus and links
    // go to the English section, as an untranslated article's go to the original.
    assert_eq!(nav("/"), ["/events/"]);
    assert_eq!(nav("/ru/"), ["/events/"]);
    assert_eq!(nav("/zh/"), ["/events/"]);
    let visit = site.page("/zh/news/visit/");
    assert_eq!(visit.attrs(".content a", "href"), ["/events/"]);
}

#[test]
fn without_menus_the_default_theme_keeps_its_section_navigation() {
    let site = trilingual("transliterate");
    site.write(
        "content/news/visit.md",
        "---\ntitle: Visit\ndate: 2023-01-01\n---\nText.\n",
    );
    site.build().assert_ok();
    let hrefs = site.page("/").attrs("nav.sections a", "href");
    assert_eq!(hrefs[..2], ["/", "/news/"]);
}

#[test]
fn check_translations_reports_missing_and_stale_in_text_and_json() {
    let site = trilingual("transliterate");
    site.write(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2023-01-01\nupdated: 2023-03-01\n---\nText.\n",
    );
    site.write(
        "content/news/a.ru.md",
        "---\ntitle: А\ndate: 2023-01-01\nupdated: 2023-02-01\n---\nТекст.\n",
    );
    site.write(
        "content/news/a.zh.md",
        "---\ntitle: 甲\nupdated: 2023-03-02\n---\n正文。\n",
    );
    site.write(
        "content/news/b.md",
        "---\ntitle: B\ndate: 2023-01-02\n---\nText.\n",
    );
    site.write("content/news/b.zh.md", "---\ntitle: 乙\n---\n正文。\n");
    site.write(
        "content/c.md",
        "---\ntitle: C\ndate: 2023-01-03\n---\nText.\n",
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["check", "--translations", "--format", "json", "--root"])
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", crate::harness::EPOCH)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let news = report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["section"] == "news")
        .unwrap();
    assert_eq!(news["languages"]["ru"]["translated"], 1);
    assert_eq!(news["languages"]["ru"]["missing"], 1);
    assert_eq!(news["languages"]["ru"]["stale"], 1);
    assert_eq!(
        news["languages"]["ru"]["missing_files"][0],
        "content/news/b.md"
    );
    assert_eq!(
        news["languages"]["ru"]["stale_files"][0]["translation"],
        "content/news/a.ru.md"
    );
    assert_eq!(news["languages"]["zh"]["translated"], 2);
    assert_eq!(news["languages"]["zh"]["stale"], 0);
    assert_eq!(report["totals"]["ru"]["missing"], 2, "c.md at the home too");
    let text = site.run(&["check", "--translations"]);
    assert_eq!(text.code, 0, "a report never fails the check");
    let stdout = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["check", "--translations", "--root"])
        .arg(site.root())
        .output()
        .unwrap()
        .stdout;
    let stdout = String::from_utf8(stdout).unwrap();
    assert!(
        stdout.contains("news [ru]: 1 translated, 1 missing, 1 stale"),
        "{stdout}"
    );
    assert!(stdout.contains("  missing: content/news/b.md"), "{stdout}");
}

#[test]
fn localized_section_slugs_move_the_section_and_its_articles() {
    let site = trilingual("transliterate");
    site.write(
        "content/news/_index.ru.md",
        "---\ntitle: Новости\nslug: novosti\n---\n",
    );
    site.write(
        "content/news/region/_index.ru.md",
        "---\ntitle: Регион\nslug: region-ru\n---\n",
    );
    site.write(
        "content/news/visit.md",
        "---\ntitle: Visit\ndate: 2023-01-01\n---\nSee [the forum](@/news/region/forum.md).\n",
    );
    site.write(
        "content/news/visit.ru.md",
        "---\ntitle: Визит\ndate: 2023-01-01\n---\nСм. [форум](@/news/region/forum.md).\n",
    );
    site.write(
        "content/news/region/forum.md",
        "---\ntitle: Forum\ndate: 2023-01-02\n---\nText.\n",
    );
    site.write(
        "content/news/region/forum.ru.md",
        "---\ntitle: Форум\ndate: 2023-01-02\n---\nТекст.\n",
    );
    site.build().assert_ok();
    assert!(site.exists("ru/novosti/index.html"));
    assert!(!site.exists("ru/news/index.html"));
    let ru = site.page("/ru/novosti/visit/");
    assert_eq!(ru.text("h1"), "Визит");
    assert_eq!(
        ru.attrs("article a[href*=forum]", "href"),
        ["/ru/novosti/region-ru/forum/"]
    );
    assert_eq!(
        site.page("/news/visit/").attrs("link[hreflang=ru]", "href"),
        ["https://example.org/ru/novosti/visit/"]
    );
    assert_eq!(
        site.page("/news/visit/")
            .attrs("article a[href*=forum]", "href"),
        ["/news/region/forum/"]
    );
    let locs = crate::harness::sitemap_locs(&site.file("sitemap.xml"));
    assert!(
        locs.contains(&"https://example.org/ru/novosti/region-ru/forum/".to_string()),
        "{locs:?}"
    );
    let switcher = site
        .page("/news/")
        .attrs("nav.languages a[hreflang=ru]", "href");
    assert_eq!(switcher, ["/ru/novosti/"]);
    site.write(
        "content/news/_index.ru.md",
        "---\ntitle: Новости\nslug: no/vosti\n---\n",
    );
    site.build()
        .assert_fails_with("content/news/_index.ru.md:3:7: slug:");
}

#[test]
fn translation_fallback_lists_untranslated_articles_but_never_feeds_them() {
    let site = trilingual("transliterate");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}translation_fallback: true\n"));
    site.write(
        "content/news/a.md",
        "---\ntitle: Only in English\ndate: 2023-01-02\n---\nText.\n",
    );
    site.write(
        "content/news/b.md",
        "---\ntitle: Translated\ndate: 2023-01-01\n---\nText.\n",
    );
    site.write(
        "content/news/b.ru.md",
        "---\ntitle: Переведено\n---\nТекст.\n",
    );
    site.build().assert_ok();
    let ru = site.page("/ru/news/");
    assert_eq!(ru.texts(".card-title"), ["Only in English", "Переведено"]);
    assert_eq!(ru.attrs("article.card[lang]", "lang"), ["en"]);
    assert_eq!(
        ru.attrs(".card-title a", "href")[0],
        "/news/a/",
        "links to the original"
    );
    assert_eq!(ru.texts(".badge"), ["English"]);
    assert_eq!(site.page("/ru/").texts(".card-title, .lead-title").len(), 2);
    let feed = site.file("ru/news/atom.xml");
    assert!(
        !feed.contains("Only in English"),
        "never in another language's feed"
    );
    assert!(feed.contains("Переведено"));
    assert_eq!(
        site.page("/news/").texts(".card-title"),
        ["Only in English", "Translated"]
    );
    assert!(
        !site.exists("ru/news/a/index.html"),
        "no page of its own in Russian"
    );
}
