//! Writing articles: highlighting, shortcodes, internal links, and the
//! `check`, `new` and `init` commands.

use crate::harness::SiteTest;

#[test]
fn code_is_highlighted_with_a_generated_stylesheet() {
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\n---\n\n```toml\nname = \"{{ x }}\"\n```\n\n```typescript\nconst a: number = 1; // {% y %}\n```\n\nInline `{{ z() }}`.\n\n```nosuch\nplain <b>\n```\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\ndate: 2023-01-01\n---\n\nNo code.\n",
    );
    let run = site.build();
    run.assert_ok();
    assert!(
        run.stderr
            .contains("content/a.md:16:1: warning: code language `nosuch`"),
        "{}",
        run.stderr
    );
    let a = site.page("/a/");
    assert_eq!(a.attrs("pre.code", "data-lang"), ["toml", "typescript"]);
    let content = a.inner_html(".content");
    assert!(content.contains("hl-"), "{content}");
    assert!(a.text(".content").contains("{{ x }}") && a.text(".content").contains("{% y %}"));
    assert!(a.text(".content").contains("{{ z() }}"));
    assert!(content.contains("plain &lt;b&gt;"));
    assert_eq!(
        a.attrs("link[href='/highlight.css']", "rel"),
        ["stylesheet"]
    );
    assert!(
        site.page("/b/")
            .attrs("link[href='/highlight.css']", "rel")
            .is_empty()
    );
    assert!(site.file("highlight.css").contains(".hl-"));
}

#[test]
fn a_site_without_code_has_no_highlight_stylesheet() {
    let site = SiteTest::fixture("basic/minimal");
    site.build().assert_ok();
    assert!(!site.exists("highlight.css"));
}

#[test]
fn shortcodes_render_their_templates() {
    let site = SiteTest::empty();
    site.write("templates/shortcodes/quote.html", "<blockquote class=\"sc\" data-n=\"{{ n }}\" data-ok=\"{{ ok }}\">{{ who }}: {{ body }}{% for t in tags %}[{{ t }}]{% endfor %}</blockquote>");
    site.write(
        "content/news/a/index.md",
        "---\ntitle: A\ndate: 2023-01-01\n---\n\nBefore.\n\n{{ figure(src=\"p.jpg\", caption=\"The <bridge>\") }}\n\n{% quote(who=\"Li\", n=3, ok=true, tags=[\"a\", \"b\"]) %}\nSaid *this*.\n{% end %}\n\n```\n{{ figure(src=\"code.jpg\") }}\n```\n",
    );
    site.write("content/news/a/p.jpg", crate::harness::photo(2000, 1000));
    site.build().assert_ok();
    let page = site.page("/news/a/");
    let src = page.attrs("figure img", "src");
    assert!(src[0].starts_with("/processed/p-"), "{src:?}");
    let srcset = page.attrs("figure img", "srcset")[0].clone();
    assert_eq!(
        srcset.matches("w,").count() + 1,
        3,
        "three widths: {srcset}"
    );
    assert!(
        srcset.contains(" 480w") && srcset.contains(" 960w") && srcset.contains(" 1600w"),
        "{srcset}"
    );
    assert_eq!(page.attrs("figure img", "width"), ["960"]);
    assert_eq!(page.attrs("figure img", "height"), ["480"]);
    assert_eq!(page.attrs("figure img", "loading"), ["lazy"]);
    assert_eq!(page.text("figcaption"), "The <bridge>");
    let quote = page.inner_html("blockquote.sc");
    assert!(quote.contains("Li: <p>Said <em>this</em>.</p>"), "{quote}");
    assert!(quote.contains("[a][b]"));
    assert_eq!(page.attrs("blockquote.sc", "data-n"), ["3"]);
    assert!(page.text("pre").contains("{{ figure(src=\"code.jpg\") }}"));
}

#[test]
fn shortcode_errors_are_located() {
    let site = SiteTest::empty();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\n---\n\n{{ nosuch(x=1) }}\n",
    );
    site.build()
        .assert_fails_with("content/a.md:6:1: unknown shortcode `nosuch`");
    site.write("content/a.md", "---\ntitle: A\ndate: 2023-01-01\n---\n\ntext\n\n{% notice(kind=\"info\") %}\nnever closed\n");
    site.build()
        .assert_fails_with("content/a.md:8:1: shortcode `notice` has no `{% end %}`");
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2023-01-01\n---\n{{ figure(src=nope) }}\n",
    );
    site.build()
        .assert_fails_with("content/a.md:5:1: shortcode `figure`:");
}

#[test]
fn internal_links_resolve_in_the_current_language() {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\nlanguages:\n  ru: {title: Т}\n",
    );
    site.write(
        "content/news/visit.md",
        "---\ntitle: Visit\ndate: 2023-01-01\n---\n\n## Program {#program}\n",
    );
    site.write(
        "content/news/visit.ru.md",
        "---\ntitle: Визит\ndate: 2023-01-01\n---\n\n## Программа {#program}\n",
    );
    site.write("content/news/_index.md", "---\ntitle: News\n---\n");
    site.write("content/a.md", "---\ntitle: A\ndate: 2023-01-02\n---\n\n[v](@/news/visit.md#program) [s](@/news/_index.md)\n");
    site.write(
        "content/a.ru.md",
        "---\ntitle: А\ndate: 2023-01-02\n---\n\n[v](@/news/visit.md#program)\n",
    );
    site.build().assert_ok();
    assert_eq!(
        site.page("/a/").attrs(".content a", "href"),
        ["/news/visit/#program", "/news/"]
    );
    assert_eq!(
        site.page("/ru/a/").attrs(".content a", "href"),
        ["/ru/news/visit/#program"]
    );
}

#[test]
fn check_reports_and_writes_nothing() {
    let site = SiteTest::fixture("basic/minimal");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.public().exists());
    site.write("content/news/bad.md", "---\ntitle: Bad\ndate: 2023-01-01\nimage: /nope.jpg\n---\n\n[x](@/nowhere.md) ![](/missing.png) [f](/img/logo.gif)\n");
    site.write(
        "content/news/first-again.md",
        "---\ntitle: First visit\ndate: 2023-01-01\n---\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    let err = &run.stderr;
    assert!(
        err.contains("content/news/bad.md:7:1: broken internal link `@/nowhere.md`"),
        "{err}"
    );
    assert!(
        err.contains("content/news/bad.md:7:19: image to a missing file `/missing.png`"),
        "{err}"
    );
    assert!(
        err.contains("content/news/bad.md:7:19: warning: image `/missing.png` has no alt text"),
        "{err}"
    );
    assert!(
        err.contains("content/news/bad.md:4:8: image: missing file `/nope.jpg`"),
        "{err}"
    );
    assert!(
        err.contains("warning: same title as content/news/"),
        "{err}"
    );
    assert!(
        !err.contains("logo.gif"),
        "existing static files are fine: {err}"
    );
    assert!(!site.public().exists());
}

#[test]
fn new_creates_a_draft_and_never_overwrites() {
    let site = SiteTest::fixture("basic/minimal");
    let run = site.run(&[
        "new",
        "news/visit-of-mayor",
        "--title",
        "Visit of the mayor",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(site.root().join("content/news/visit-of-mayor.md")).unwrap();
    assert!(
        text.starts_with(
            "---\ntitle: Visit of the mayor\ndate: 2024-01-01T00:00:00+00:00\ndraft: true\n---\n"
        ),
        "{text}"
    );
    assert_eq!(site.run(&["new", "news/visit-of-mayor"]).code, 1);
    site.build().assert_ok();
    assert!(!site.exists("news/visit-of-mayor/index.html"), "a draft");
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org\nlanguages:\n  ru: {title: Т}\n",
    );
    assert_eq!(
        site.run(&["new", "news/visit-of-mayor", "--lang", "ru"])
            .code,
        0
    );
    assert!(
        site.root()
            .join("content/news/visit-of-mayor.ru.md")
            .exists()
    );
}

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("portal");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("init")
        .arg(&target)
        .status()
        .unwrap();
    assert!(status.success());
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "-q", "--root"])
        .arg(&target)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(target.join("public/news/welcome/index.html").exists());
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .arg("init")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1), "refuses a non-empty folder");
}
