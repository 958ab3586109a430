//! The output layout: URLs, sections, bundles, static files, the built-in
//! theme, atomic replacement and byte-identical rebuilds.

use crate::harness::SiteTest;

#[test]
fn minimal_site_builds_with_the_built_in_theme() {
    let site = SiteTest::fixture("basic/minimal");
    let run = site.build();
    run.assert_ok();
    assert!(run.stderr.starts_with("Built "), "{}", run.stderr);
    let home = site.page("/");
    assert_eq!(home.attrs("html", "lang"), ["en"]);
    assert!(home.texts("a").iter().any(|t| t.contains("First visit")));
    let article = site.page("/news/first-visit/");
    assert_eq!(article.text("h1"), "First visit");
    assert_eq!(
        article.attrs("link[rel=canonical]", "href"),
        ["https://example.org/news/first-visit/"]
    );
    assert!(
        site.exists("style.css"),
        "the built-in theme brings its stylesheet"
    );
}

#[test]
fn sections_nest_and_bare_folders_are_sections() {
    let site = SiteTest::fixture("basic/minimal");
    site.build().assert_ok();
    assert_eq!(site.page("/news/sub/nested/").text("h1"), "Nested article");
    assert_eq!(site.page("/bare/loose/").text("h1"), "In a bare folder");
    assert_eq!(
        site.page("/bare/").text("h1"),
        "Bare",
        "title made from the folder name"
    );
    assert_eq!(site.page("/news/").text("h1"), "News");
}

#[test]
fn underscore_and_dot_files_are_ignored() {
    let site = SiteTest::fixture("basic/minimal");
    site.build().assert_ok();
    assert!(!site.exists("_drafts"));
    assert!(!site.exists("news/ignored-too"));
    assert!(!site.exists("news/hidden"));
}

#[test]
fn dated_file_names_give_date_and_slug() {
    let site = SiteTest::fixture("basic/minimal");
    site.build().assert_ok();
    let page = site.page("/news/first-visit/");
    assert_eq!(
        page.attrs("time", "datetime")[0],
        "2023-05-10T00:00:00+00:00"
    );
}

#[test]
fn static_files_are_copied_and_always_files_exist() {
    let site = SiteTest::fixture("basic/minimal");
    site.build().assert_ok();
    assert_eq!(site.file("extra.css"), "body { color: red; }\n");
    assert!(site.exists("img/logo.gif"));
    for always in [
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "search/en/index.json",
    ] {
        assert!(site.exists(always), "{always}");
    }
    assert!(
        site.file("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn bundles_publish_their_files_beside_the_page() {
    let site = SiteTest::fixture("content/bundle");
    let photo = crate::harness::photo(800, 600);
    site.write("content/news/2023-06-01-bridge-opening/photo.jpg", &photo);
    site.build().assert_ok();
    let page = site.page("/news/bridge-opening/");
    assert_eq!(page.attrs(".content img", "src"), ["photo.jpg"]);
    assert_eq!(
        std::fs::read(site.public().join("news/bridge-opening/photo.jpg")).unwrap(),
        photo
    );
    assert!(site.exists("news/bridge-opening/docs/program.pdf"));
    let lead = page.attrs(".lead-figure img", "src");
    assert!(
        lead[0].starts_with("/processed/photo-") && lead[0].ends_with(".jpg"),
        "{lead:?}"
    );
    assert_eq!(
        page.attrs(".lead-figure img", "width"),
        ["800"],
        "a photo is never enlarged"
    );
    assert!(site.exists(lead[0].trim_start_matches('/')));
}

#[test]
fn a_successful_build_leaves_no_stale_files() {
    let site = SiteTest::fixture("basic/minimal");
    site.build().assert_ok();
    assert!(site.exists("bare/loose/index.html"));
    site.remove("content/bare/loose.md");
    site.build().assert_ok();
    assert!(!site.exists("bare/loose/index.html"));
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gazette"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn same_input_gives_byte_identical_output() {
    let site = SiteTest::fixture("basic/minimal");
    site.build().assert_ok();
    let first = site.tree();
    site.build().assert_ok();
    crate::harness::assert_same_tree(&first, &site.tree());
}

#[test]
fn output_and_base_url_flags() {
    let site = SiteTest::fixture("basic/minimal");
    let out = site.root().join("elsewhere");
    let run = site.run(&[
        "build",
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://preview.example.net/portal/",
    ]);
    run.assert_ok();
    let html = std::fs::read_to_string(out.join("news/first-visit/index.html")).unwrap();
    assert!(
        html.contains("href=\"https://preview.example.net/portal/news/first-visit/\""),
        "{html}"
    );
    let css = html
        .split("href=\"/portal/style.")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no fingerprinted /portal/style.*.css link: {html}"));
    assert!(out.join(format!("style.{css}")).is_file(), "style.{css}");
    assert!(!site.exists("index.html"));
}

#[test]
fn quiet_and_verbose() {
    let site = SiteTest::fixture("basic/minimal");
    assert_eq!(site.run(&["-q", "build"]).stderr, "");
    let verbose = site.run(&["build", "-v"]);
    assert!(verbose.stderr.contains("parse"), "{}", verbose.stderr);
}

#[test]
fn bad_usage_exits_2() {
    let site = SiteTest::fixture("basic/minimal");
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
}
