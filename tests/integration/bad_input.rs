//! The bad-input catalogue: every case gets a clear message naming the file
//! (and line where there is one), exit code 1, and the last good output stays
//! exactly as it was. Cases that must build (huge files, odd names) build.

use std::process::Command;
use std::time::Duration;

use crate::harness::SiteTest;

/// (case, file to add, its bytes, text the error must contain)
fn cases() -> Vec<(&'static str, &'static str, Vec<u8>, &'static str)> {
    let article = |yaml: &str| format!("---\n{yaml}\n---\n\nBody.\n").into_bytes();
    vec![
        (
            "tab in YAML",
            "content/news/tab.md",
            article("title: A\n\tdate: 2023-01-01"),
            "content/news/tab.md:",
        ),
        (
            "unclosed quote",
            "content/news/quote.md",
            article("title: \"A\ndate: 2023-01-01"),
            "content/news/quote.md:",
        ),
        (
            "duplicate key",
            "content/news/dup.md",
            article("title: A\ntitle: B\ndate: 2023-01-01"),
            "content/news/dup.md:3:1: duplicate",
        ),
        (
            "tags: 5",
            "content/news/tags.md",
            article("title: A\ndate: 2023-01-01\ntags: 5"),
            "content/news/tags.md:4:7: tags:",
        ),
        (
            "draft: yes please",
            "content/news/draft.md",
            article("title: A\ndate: 2023-01-01\ndraft: \"yes please\""),
            "content/news/draft.md:4:8: draft:",
        ),
        (
            "impossible date",
            "content/news/date.md",
            article("title: A\ndate: 2023-02-30"),
            "content/news/date.md:3:7: date: invalid date",
        ),
        (
            "missing title",
            "content/news/untitled.md",
            article("date: 2023-01-01"),
            "content/news/untitled.md:1:1: title: missing",
        ),
        (
            "empty file",
            "content/news/empty.md",
            Vec::new(),
            "content/news/empty.md:1:1: no front matter",
        ),
        (
            "front matter never closed",
            "content/news/open.md",
            b"---\ntitle: A\n\nBody\n".to_vec(),
            "content/news/open.md:1:1: front matter never closed",
        ),
        (
            "non-UTF-8 bytes",
            "content/news/latin1.md",
            b"---\ntitle: Caf\xe9\n---\n".to_vec(),
            "content/news/latin1.md:2:11: invalid UTF-8",
        ),
        (
            "NUL byte",
            "content/news/nul.md",
            b"---\ntitle: A\ndate: 2023-01-01\n---\na\0b\n".to_vec(),
            "content/news/nul.md:5:2: NUL byte",
        ),
        (
            "slug with ..",
            "content/news/s1.md",
            article("title: A\ndate: 2023-01-01\nslug: ../../etc"),
            "content/news/s1.md:4:7: slug:",
        ),
        (
            "slug with /",
            "content/news/s2.md",
            article("title: A\ndate: 2023-01-01\nslug: a/b"),
            "content/news/s2.md:4:7: slug:",
        ),
        (
            "slug with \\",
            "content/news/s3.md",
            article("title: A\ndate: 2023-01-01\nslug: 'a\\b'"),
            "content/news/s3.md:4:7: slug:",
        ),
        (
            "slug with %2e%2e",
            "content/news/s4.md",
            article("title: A\ndate: 2023-01-01\nslug: '%2e%2e'"),
            "content/news/s4.md:4:7: slug:",
        ),
        (
            "absolute alias outside",
            "content/news/al.md",
            article("title: A\ndate: 2023-01-01\naliases: [/../../etc/]"),
            "content/news/al.md:4:10: aliases:",
        ),
        (
            "alias with %2e",
            "content/news/al2.md",
            article("title: A\ndate: 2023-01-01\naliases: '/%2e%2e/x/'"),
            "content/news/al2.md:4:10: aliases:",
        ),
        (
            "template with ..",
            "content/news/t1.md",
            article("title: A\ndate: 2023-01-01\ntemplate: ../../site.yaml"),
            "content/news/t1.md:4:11: template:",
        ),
        (
            "absolute template",
            "content/news/t2.md",
            article("title: A\ndate: 2023-01-01\ntemplate: /etc/passwd"),
            "content/news/t2.md:4:11: template:",
        ),
        (
            "unknown template",
            "content/news/t3.md",
            article("title: A\ndate: 2023-01-01\ntemplate: nope.html"),
            "content/news/t3.md:4:11: template \"nope.html\" not found in templates/ (there are: 404.html, ",
        ),
        (
            "template include loop",
            "templates/page.html",
            b"{% include \"page.html\" %}".to_vec(),
            "templates",
        ),
        (
            "shortcode without end",
            "content/news/sc.md",
            b"---\ntitle: A\ndate: 2023-01-01\n---\n\n{% notice() %}\nnever closed\n".to_vec(),
            "content/news/sc.md:6:1: shortcode `notice` has no `{% end %}`",
        ),
        (
            "duplicate URL",
            "content/news/first-visit.md",
            article("title: A\ndate: 2023-01-01"),
            "/news/first-visit/ is written twice",
        ),
        (
            "section and article on one URL",
            "content/bare.md",
            article("title: A\ndate: 2023-01-01"),
            "/bare/ is written twice",
        ),
        (
            "broken internal link",
            "content/news/link.md",
            b"---\ntitle: A\ndate: 2023-01-01\n---\n\n[x](@/news/nowhere.md)\n".to_vec(),
            "content/news/link.md:6:1: broken internal link",
        ),
        (
            "site.yaml unknown key",
            "site.yaml",
            b"title: Minimal\nbase_url: https://example.org/\ntitel: x\n".to_vec(),
            "site.yaml:3:1: unknown field `titel`",
        ),
    ]
}

#[test]
fn every_bad_input_is_reported_and_the_output_kept() {
    for (case, rel, bytes, expected) in cases() {
        let site = SiteTest::fixture("basic/minimal");
        site.build().assert_ok();
        let before = site.tree();
        site.write(rel, &bytes);
        let run = site.build();
        assert_eq!(run.code, 1, "{case}: expected exit 1\n{}", run.stderr);
        assert!(
            run.stderr.contains(expected),
            "{case}: stderr lacks {expected:?}:\n{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked"),
            "{case}: panic\n{}",
            run.stderr
        );
        crate::harness::assert_same_tree(&before, &site.tree());
    }
}

#[test]
fn odd_but_valid_inputs_build() {
    let site = SiteTest::fixture("basic/minimal");
    // Names with spaces and non-Latin letters, deep folders, a large article.
    site.write(
        "content/news/Визит в Харбин 2023.md",
        "---\ntitle: Визит\ndate: 2023-01-01\n---\n",
    );
    let deep = (0..40)
        .map(|i| format!("d{i}"))
        .collect::<Vec<_>>()
        .join("/");
    site.write(
        &format!("content/{deep}/deep.md"),
        "---\ntitle: Deep\ndate: 2023-01-01\n---\n",
    );
    let paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(20) + "\n\n";
    site.write(
        "content/news/huge.md",
        format!(
            "---\ntitle: Huge\ndate: 2023-01-01\n---\n\n{}",
            paragraph.repeat(5_000)
        ),
    );
    let run = site.build();
    run.assert_ok();
    assert!(site.exists("news/vizit-v-kharbin-2023/index.html"));
    assert!(site.exists(&format!("{deep}/deep/index.html")));
    assert!(
        std::fs::metadata(site.public().join("news/huge/index.html"))
            .unwrap()
            .len()
            > 5_000_000
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_skipped_with_a_warning() {
    let site = SiteTest::fixture("basic/minimal");
    std::os::unix::fs::symlink("/etc", site.root().join("content/news/outside")).unwrap();
    std::os::unix::fs::symlink(
        site.root().join("content"),
        site.root().join("content/news/loop"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/etc/hostname", site.root().join("static/hostname")).unwrap();
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr
            .contains("content/news/outside: warning: symbolic link skipped"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/news/loop: warning: symbolic link skipped")
    );
    assert!(
        !site.exists("hostname"),
        "nothing outside the site is published"
    );
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\ntaxonomies: [tags]\n",
    );
    // YAML double-quoted: a closing quote, a script, an RTL override, a control character.
    let hostile = r#""\"><script>alert(1)</script> & 'q' \u202Eevil\x01""#;
    site.write(
        "content/news/a.md",
        format!(
            "---\ntitle: {hostile}\ndate: 2023-01-01\ntags: [{hostile}]\nsummary: {hostile}\ndescription: {hostile}\nauthor: {hostile}\n---\n\nBody.\n"
        ),
    );
    site.build().assert_ok();
    for file in [
        "news/a/index.html",
        "news/index.html",
        "index.html",
        "tags/index.html",
        "search/en/d/0.json",
    ] {
        let text = site.file(file);
        assert!(
            !text.contains("<script>alert"),
            "{file} lets a script through"
        );
    }
    let search = crate::harness::SearchIndex::read(&site.public(), "en");
    assert!(
        search.cards[0]["title"]
            .as_str()
            .unwrap()
            .contains("<script>"),
        "JSON keeps the text, escaped"
    );
    for feed in ["atom.xml", "news/atom.xml"] {
        let xml = site.file(feed);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed} is not XML: {e}"));
    }
    roxmltree::Document::parse(&site.file("sitemap.xml")).unwrap();
    let page = site.page("/news/a/");
    let json = page.text("script[type='application/ld+json']");
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(data["headline"].as_str().unwrap().contains("<script>"));
}

#[test]
fn javascript_urls_in_image_are_refused() {
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\nimage: \"javascript:alert(1)\"\n---\n",
    );
    site.build().assert_fails_with(
        "content/a.md:4:8: image: \"javascript:alert(1)\" is not an http(s) URL",
    );
}

#[test]
fn raw_html_can_be_switched_off() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\nunsafe_html: false\n",
    );
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\n---\n\n<script>alert(1)</script>\n\nText <b>bold</b>.\n",
    );
    site.build().assert_ok();
    let html = site.file("a/index.html");
    assert!(
        !html.contains("<script>alert") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_site() {
    let site = SiteTest::empty();
    let write_corpus = |marker: &str| {
        for i in 0..400 {
            site.write(
                &format!("content/news/a{i}.md"),
                format!(
                    "---\ntitle: {marker} {i}\ndate: 2023-01-01\n---\n\n{}\n",
                    "Text. ".repeat(200)
                ),
            );
        }
    };
    write_corpus("old");
    site.build().assert_ok();
    let old = site.tree();
    write_corpus("new");
    let elsewhere = site.root().join("new-output");
    let run = site.run(&["build", "--output", elsewhere.to_str().unwrap()]);
    run.assert_ok();
    let mut new = Vec::new();
    for entry in walkdir::WalkDir::new(&elsewhere)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
    {
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(&elsewhere)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            new.push((rel, std::fs::read(entry.path()).unwrap()));
        }
    }
    new.sort();
    std::fs::remove_dir_all(&elsewhere).unwrap();
    for delay_ms in [5, 20, 40, 80, 120, 200, 400] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["build", "-q", "--root"])
            .arg(site.root())
            .env("SOURCE_DATE_EPOCH", crate::harness::EPOCH)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let tree = site.tree();
        assert!(
            tree == old || tree == new,
            "after a kill at {delay_ms} ms the site is the old or the new one, whole"
        );
    }
    site.build().assert_ok();
    let leftovers = std::fs::read_dir(site.root())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("gazette")
        })
        .count();
    assert_eq!(
        leftovers, 0,
        "the next build removes what killed builds left"
    );
}

#[test]
fn a_fifty_megabyte_article_builds() {
    let site = SiteTest::empty();
    let paragraph =
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. "
            .repeat(12)
            + "\n\n";
    let body = paragraph.repeat(50_000_000 / paragraph.len());
    site.write(
        "content/news/huge.md",
        format!("---\ntitle: Huge\ndate: 2023-01-01\n---\n\n{body}"),
    );
    site.build().assert_ok();
    assert!(
        std::fs::metadata(site.public().join("news/huge/index.html"))
            .unwrap()
            .len()
            > 50_000_000
    );
}

#[test]
fn a_hundred_thousand_tiny_files_build() {
    let site = SiteTest::with_small_theme();
    for section in 0..100 {
        for i in 0..1000 {
            site.write(
                &format!("content/s{section}/a{i}.md"),
                format!("---\ntitle: T{section}-{i}\ndate: 2023-01-01\n---\nx\n"),
            );
        }
    }
    let run = site.run(&["build", "-q"]);
    run.assert_ok();
    assert!(site.exists("s99/a999/index.html"));
}
