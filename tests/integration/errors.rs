//! Bad input: every error names file, line and column; all errors of a run are
//! reported; a failed build leaves the previous output as it was.

use crate::harness::SiteTest;

fn site_with(rel: &str, text: &str) -> SiteTest {
    let site = SiteTest::empty();
    site.write(rel, text);
    site
}

#[test]
fn bad_date_points_at_the_value() {
    let site = site_with(
        "content/news/visit.md",
        "---\ntitle: Visit\nauthor: A\ndate: 2023-13-01\n---\nx\n",
    );
    site.build()
        .assert_fails_with("content/news/visit.md:4:7: date: invalid date \"2023-13-01\"");
}

#[test]
fn missing_title() {
    let site = site_with("content/a.md", "---\ndate: 2023-01-01\n---\nx\n");
    site.build()
        .assert_fails_with("content/a.md:1:1: title: missing");
}

#[test]
fn wrong_types_name_key_and_line() {
    let site = site_with(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\ndraft: \"yes please\"\n---\n",
    );
    site.build()
        .assert_fails_with("content/a.md:4:8: draft: invalid type");
    let site = site_with(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\ntags: 5\n---\n",
    );
    site.build().assert_fails_with("content/a.md:4:7: tags:");
}

#[test]
fn unsafe_slugs_are_refused() {
    for slug in ["../etc", "a/b", "a\\\\b", "%2e%2e"] {
        let text = format!("---\ntitle: A\ndate: 2023-01-01\nslug: \"{slug}\"\n---\n");
        let site = site_with("content/a.md", &text);
        site.build().assert_fails_with("content/a.md:4:7: slug:");
    }
}

#[test]
fn no_front_matter_and_unclosed_front_matter() {
    let site = site_with("content/a.md", "# Just Markdown\n");
    site.build()
        .assert_fails_with("content/a.md:1:1: no front matter");
    let site = site_with("content/a.md", "---\ntitle: A\n\nbody\n");
    site.build()
        .assert_fails_with("content/a.md:1:1: front matter never closed");
    let site = site_with("content/a.md", "");
    site.build()
        .assert_fails_with("content/a.md:1:1: no front matter");
}

#[test]
fn invalid_yaml_is_located() {
    let site = site_with(
        "content/a.md",
        "---\ntitle: A\ndate: \"2023-01-01\n---\nbody\n",
    );
    let run = site.build();
    run.assert_fails_with("content/a.md:");
    let site = site_with(
        "content/a.md",
        "---\ntitle: A\ntitle: B\ndate: 2023-01-01\n---\n",
    );
    site.build().assert_fails_with("duplicate");
    let site = site_with("content/a.md", "---\ntitle: A\n\tdate: 2023-01-01\n---\n");
    site.build().assert_fails_with("content/a.md:");
}

#[test]
fn missing_date_without_dated_name() {
    let site = site_with("content/news/a.md", "---\ntitle: A\n---\n");
    site.build()
        .assert_fails_with("content/news/a.md:1:1: date: missing");
}

#[test]
fn non_utf8_and_nul_bytes() {
    let site = SiteTest::empty();
    site.write("content/a.md", b"---\ntitle: A\xff\n---\n".as_slice());
    site.build()
        .assert_fails_with("content/a.md:2:9: invalid UTF-8");
    site.write(
        "content/a.md",
        b"---\ntitle: A\ndate: 2023-01-01\n---\nx\0y\n".as_slice(),
    );
    site.build().assert_fails_with("content/a.md:5:2: NUL byte");
}

#[test]
fn every_error_of_a_run_is_reported_sorted_by_file() {
    let site = SiteTest::empty();
    site.write("content/b.md", "---\ntitle: B\ndate: nope\n---\n");
    site.write("content/a.md", "---\ndate: 2023-01-01\n---\n");
    site.write("content/c.md", "no front matter\n");
    let run = site.build();
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(lines[0].starts_with("content/a.md:"));
    assert!(lines[1].starts_with("content/b.md:3:7:"));
    assert!(lines[2].starts_with("content/c.md:1:1:"));
}

#[test]
fn unknown_keys_warn_without_failing() {
    let site = site_with(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\ntgas: [x]\n---\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr.contains(
            "content/a.md:4:7: warning: unknown front matter key `tgas` (did you mean `tags`?)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn site_yaml_problems() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\npaginte_by: 5\n",
    );
    site.build()
        .assert_fails_with("site.yaml:3:1: unknown field `paginte_by`");
    assert!(site.build().stderr.contains("did you mean `paginate_by`?"));
    site.write("site.yaml", "title: T\nbase_url: example.org\n");
    site.build().assert_fails_with("site.yaml:2:11: base_url:");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = SiteTest::fixture("basic/minimal");
    site.build().assert_ok();
    let before = site.tree();
    site.write(
        "content/news/broken.md",
        "---\ntitle: Broken\ndate: 2023-02-30\n---\n",
    );
    site.build()
        .assert_fails_with("content/news/broken.md:3:7:");
    assert_eq!(before, site.tree());
}

#[test]
fn two_items_on_one_url_name_both_files() {
    let site = SiteTest::empty();
    site.write(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2023-01-01\nslug: same\n---\n",
    );
    site.write(
        "content/news/b.md",
        "---\ntitle: B\ndate: 2023-01-02\nslug: same\n---\n",
    );
    let run = site.build();
    run.assert_fails_with("/news/same/ is written twice");
    assert!(
        run.stderr.contains("content/news/a.md") && run.stderr.contains("content/news/b.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_section_and_an_article_on_one_url() {
    let site = SiteTest::empty();
    site.write("content/news/_index.md", "---\ntitle: News\n---\n");
    site.write("content/news.md", "---\ntitle: A\ndate: 2023-01-01\n---\n");
    site.build().assert_fails_with("/news/ is written twice");
}

#[test]
fn broken_internal_links_are_errors() {
    let site = SiteTest::empty();
    site.write("content/a.md", "---\ntitle: A\ndate: 2023-01-01\n---\n\n## Here\n\nSee [b](@/b.md) and [a](@/a.md#nowhere).\n");
    let run = site.build();
    run.assert_fails_with("content/a.md:8:5: broken internal link `@/b.md`");
    assert!(
        run.stderr
            .contains("content/a.md:8:21: broken internal link `@/a.md#nowhere`"),
        "{}",
        run.stderr
    );
}
