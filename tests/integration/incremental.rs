//! Incremental rebuilds (watch and serve sessions) must equal clean builds,
//! byte for byte, whatever the edit. Each step edits the sample portal, builds
//! it again in the session, and compares with a fresh build of the same files.

use std::path::Path;

use gazette::config::BuildOptions;
use gazette::output::{MemorySink, SiteFiles};
use gazette::{Session, Target, build_site};

use crate::harness::SiteTest;

/// A clean build of the site at `root`.
fn fresh(root: &Path) -> SiteFiles {
    let sink = MemorySink::default();
    let outcome = build_site(root, &BuildOptions::default(), Target::Sink(&sink));
    assert!(
        !outcome.diagnostics.has_errors(),
        "{:?}",
        outcome.diagnostics.sorted()
    );
    sink.into_files()
}

fn again(session: &mut Session) -> SiteFiles {
    let sink = MemorySink::default();
    let outcome = session.build(Target::Sink(&sink));
    assert!(
        !outcome.diagnostics.has_errors(),
        "{:?}",
        outcome.diagnostics.sorted()
    );
    sink.into_files()
}

#[track_caller]
fn assert_same(step: &str, incremental: &SiteFiles, clean: &SiteFiles) {
    let names = |f: &SiteFiles| f.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(incremental), names(clean), "{step}: different files");
    for (name, bytes) in incremental {
        assert!(
            bytes == &clean[name],
            "{step}: {name} differs from a clean build"
        );
    }
}

fn copy_portal(site: &SiteTest) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "templates", "static", "data"] {
        for entry in walkdir::WalkDir::new(repo.join(dir))
            .into_iter()
            .map(Result::unwrap)
        {
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(repo)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                site.write(&rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    site.write("site.yaml", std::fs::read(repo.join("site.yaml")).unwrap());
}

/// The sample portal in a fresh folder, and a watch session on it.
fn portal() -> (SiteTest, Session) {
    let site = SiteTest::empty();
    copy_portal(&site);
    let session = Session::new(site.root(), BuildOptions::default());
    (site, session)
}

/// Rewrite a file and move its modification time on, as an editor's save does.
fn edit(site: &SiteTest, rel: &str, change: impl FnOnce(String) -> String) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    site.write(rel, change(text));
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(1);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(later)
        .unwrap();
}

/// One edit of the site.
type Step = Box<dyn Fn(&SiteTest)>;

#[test]
fn every_kind_of_edit_rebuilds_like_a_clean_build() {
    let (site, mut session) = portal();
    assert_same("first build", &again(&mut session), &fresh(site.root()));
    let visa = "content/consular-services/visa-applications.md";
    let forum = "content/announcements/2023-05-05-yakutia-china-regional-forum.md";
    let steps: Vec<(&str, Step)> = vec![
        (
            "body text",
            Box::new(|s| edit(s, visa, |t| t + "\nOne more paragraph.\n")),
        ),
        (
            "title shown in home boxes and neighbours",
            Box::new(|s| {
                edit(s, forum, |t| {
                    t.replace("Forum of regional", "Great forum of regional")
                })
            }),
        ),
        (
            "date moves an article in every list",
            Box::new(|s| {
                edit(s, forum, |t| {
                    t.replace("date: 2023-05-05", "date: 2022-01-05")
                })
            }),
        ),
        (
            "tags change terms and related",
            Box::new(|s| {
                edit(s, forum, |t| {
                    t.replace(
                        "tags: [forum, cooperation, investment]",
                        "tags: [visa, new-term]",
                    )
                })
            }),
        ),
        (
            "new article",
            Box::new(|s| {
                s.write(
                    "content/news/2023-04-30-new.md",
                    "---\ntitle: New\ntags: [trade]\n---\n\nNew.\n",
                );
            }),
        ),
        (
            "new translation",
            Box::new(|s| {
                s.write(
                    "content/news/2023-04-30-new.ru.md",
                    "---\ntitle: Новое\n---\n\nНовое.\n",
                );
            }),
        ),
        (
            "section title",
            Box::new(|s| {
                edit(s, "content/news/_index.md", |t| {
                    t.replace("title: News", "title: Latest news")
                })
            }),
        ),
        (
            "deleted article",
            Box::new(|s| {
                s.remove("content/news/2023-04-30-new.md");
            }),
        ),
        (
            "template",
            Box::new(|s| {
                edit(s, "templates/partials/card.html", |t| {
                    t.replace("card-title", "card-title headline")
                })
            }),
        ),
        (
            "stylesheet",
            Box::new(|s| edit(s, "static/style.css", |t| t + "\n.x { color: red; }\n")),
        ),
        (
            "static file added",
            Box::new(|s| {
                s.write("static/files/visa-form.txt", "Visa application form\n");
            }),
        ),
        (
            "static file removed",
            Box::new(|s| {
                s.remove("static/files/visa-form.txt");
            }),
        ),
        (
            "site.yaml",
            Box::new(|s| {
                edit(s, "site.yaml", |t| {
                    t.replace("paginate_by: 10", "paginate_by: 4")
                })
            }),
        ),
    ];
    for (step, apply) in steps {
        apply(&site);
        if step == "template" || step == "site.yaml" {
            session.forget_parsed_files();
        }
        assert_same(step, &again(&mut session), &fresh(site.root()));
    }
}

#[test]
fn a_template_change_renders_only_the_pages_using_it() {
    let (site, mut session) = portal();
    again(&mut session);
    edit(&site, "templates/404.html", |t| {
        t.replace("<h1>", "<h1 class=\"missing\">")
    });
    session.forget_parsed_files();
    let sink = MemorySink::default();
    let outcome = session.build(Target::Sink(&sink));
    let made_again = outcome.report.files - outcome.report.reused;
    assert!(
        made_again < 12,
        "{made_again} of {} files made again for a change to 404.html",
        outcome.report.files
    );
    assert_same("404 template", &sink.into_files(), &fresh(site.root()));
}

#[test]
fn a_paragraph_edit_re_renders_only_what_shows_the_body() {
    let (site, mut session) = portal();
    let before = again(&mut session);
    let forum = "content/announcements/2023-05-05-yakutia-china-regional-forum.md";
    edit(&site, forum, |t| {
        t + "\nA paragraph typed while previewing.\n"
    });
    let sink = MemorySink::default();
    let outcome = session.build(Target::Sink(&sink));
    let after = sink.into_files();
    let kept = |file: &str| before[file].is_shared_with(&after[file]);
    assert!(!kept(
        "announcements/yakutia-china-regional-forum/index.html"
    ));
    assert!(!kept("announcements/atom.xml"), "feeds carry the content");
    for lists in [
        "index.html",
        "announcements/index.html",
        "tags/forum/index.html",
        "ru/index.html",
        "sitemap.xml",
    ] {
        assert!(
            kept(lists),
            "{lists} only lists the article: not re-rendered"
        );
    }
    // Its page, the search index files that hold its new words, and the
    // feeds of its site, section and five terms, in each of the portal's
    // three kinds (3 × 7).
    let made_again = outcome.report.files - outcome.report.reused;
    assert!(
        made_again <= 30,
        "{made_again} of {} files made again for one new paragraph",
        outcome.report.files
    );
    assert_same("one paragraph", &after, &fresh(site.root()));
}

#[test]
fn a_removed_heading_breaks_links_to_it_in_a_kept_link_tree() {
    let (site, mut session) = portal();
    again(&mut session);
    let target = "content/news/2023-05-10-northeast-china-russian-far-east-cooperation/index.md";
    let original = std::fs::read_to_string(site.root().join(target)).unwrap();
    edit(&site, target, |t| t.replace("## Coming events", "## Later"));
    let outcome = session.build(Target::Sink(&MemorySink::default()));
    let errors: Vec<String> = outcome
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("yakutia-china-regional-forum.md")
            && errors[0].contains("coming-events"),
        "{errors:?}"
    );
    edit(&site, target, |_| original);
    assert_same("heading back", &again(&mut session), &fresh(site.root()));
}

#[test]
fn builds_told_what_changed_match_clean_builds() {
    let (site, mut session) = portal();
    again(&mut session);
    let root = std::fs::canonicalize(site.root()).unwrap();
    let mut after = |paths: &[&str]| {
        let paths: Vec<_> = paths.iter().map(|p| root.join(p)).collect();
        let sink = MemorySink::default();
        let outcome = session.build_after(&paths, Target::Sink(&sink));
        assert!(
            !outcome.diagnostics.has_errors(),
            "{:?}",
            outcome.diagnostics
        );
        sink.into_files()
    };
    let visa = "content/consular-services/visa-applications.md";
    edit(&site, visa, |t| t + "\nTold about.\n");
    assert_same("edited in place", &after(&[visa]), &fresh(site.root()));
    site.write(
        "content/news/2023-04-30-told.md",
        "---\ntitle: Told\n---\n\nNew.\n",
    );
    let told = after(&["content/news/2023-04-30-told.md"]);
    assert!(
        told.contains_key("news/told/index.html"),
        "a new file is walked to"
    );
    assert_same("new file", &told, &fresh(site.root()));
    site.remove("content/news/2023-04-30-told.md");
    assert_same(
        "removed file",
        &after(&["content/news/2023-04-30-told.md"]),
        &fresh(site.root()),
    );
}

#[test]
fn lists_that_show_word_counts_follow_every_word() {
    let (site, mut session) = portal();
    edit(&site, "templates/partials/card.html", |t| {
        t.replace(
            "<div class=\"card-body\">",
            "<div class=\"card-body\" data-words=\"{{ item.word_count }}\">",
        )
    });
    let before = again(&mut session);
    let forum = "content/announcements/2023-05-05-yakutia-china-regional-forum.md";
    edit(&site, forum, |t| t + "\nFive more words right here.\n");
    let after = again(&mut session);
    let home = |files: &SiteFiles| String::from_utf8(files["index.html"].bytes().to_vec()).unwrap();
    assert!(home(&before).contains("data-words=\""));
    assert_ne!(
        home(&before),
        home(&after),
        "the home's card shows the new count"
    );
    assert_same("word count in lists", &after, &fresh(site.root()));
}

#[test]
fn an_original_edit_reaches_the_translations_that_inherit_from_it() {
    let (site, mut session) = portal();
    let original = "content/consular-services/passports.md";
    site.write(
        "content/consular-services/passports.ru.md",
        "---\ntitle: Паспорта\n---\n\nТекст.\n",
    );
    again(&mut session);
    edit(&site, original, |t| {
        t.replace("date: 2022-10-01", "date: 2022-11-15")
    });
    let rebuilt = again(&mut session);
    assert_same("original's date edited", &rebuilt, &fresh(site.root()));
    let page =
        String::from_utf8_lossy(&rebuilt["ru/consular-services/passports/index.html"].bytes())
            .into_owned();
    assert!(
        page.contains("15 ноября 2022"),
        "the translation took the new date"
    );
    let root = std::fs::canonicalize(site.root()).unwrap();
    edit(&site, original, |t| {
        t.replace("date: 2022-11-15", "date: 2022-12-20")
    });
    let sink = MemorySink::default();
    session.build_after(&[root.join(original)], Target::Sink(&sink));
    assert_same(
        "told of the original only",
        &sink.into_files(),
        &fresh(site.root()),
    );
}

#[test]
fn a_data_file_edit_rebuilds_like_a_clean_build() {
    let (site, mut session) = portal();
    again(&mut session);
    edit(&site, "data/contact.yaml", |t| {
        t.replace("+7 4212 00 00 00", "+7 4212 11 11 11")
    });
    session.forget_parsed_files();
    let rebuilt = again(&mut session);
    assert_same("contact edited", &rebuilt, &fresh(site.root()));
    assert!(String::from_utf8_lossy(&rebuilt["index.html"].bytes()).contains("+7 4212 11 11 11"));
    edit(&site, "data/consular/fees.yaml", |t| {
        t.replace("3800", "3900")
    });
    session.forget_parsed_files();
    let rebuilt = again(&mut session);
    assert_same("fees edited", &rebuilt, &fresh(site.root()));
    assert!(
        String::from_utf8_lossy(&rebuilt["consular-services/fees-and-payment/index.html"].bytes())
            .contains("3900")
    );
}

#[test]
fn a_cascade_edit_reaches_every_article_below() {
    let (site, mut session) = portal();
    again(&mut session);
    let index = "content/announcements/_index.md";
    edit(&site, index, |t| {
        t.replacen(
            "---\n",
            "---\ncascade:\n  weight: 7\n  author: Cascade Desk\n",
            1,
        )
    });
    let rebuilt = again(&mut session);
    assert_same("cascade added", &rebuilt, &fresh(site.root()));
    let root = std::fs::canonicalize(site.root()).unwrap();
    edit(&site, index, |t| t.replace("Cascade Desk", "Other Desk"));
    let sink = MemorySink::default();
    session.build_after(&[root.join(index)], Target::Sink(&sink));
    let told = sink.into_files();
    assert_same("told of the index only", &told, &fresh(site.root()));
}

#[test]
fn a_search_index_past_one_batch_of_docs_is_the_same_in_a_session() {
    // A plain build writes each batch of 1,024 docs' cards as the batch is
    // made; a session makes them from the whole index.
    let site = SiteTest::empty();
    site.write("site.yaml", "title: T\nbase_url: https://x.org\n");
    for n in 0..1100 {
        site.write(
            &format!("content/news/a{n:04}.md"),
            format!(
                "---\ntitle: Item {n}\ndate: 2023-01-01\ntags: [t{}]\n---\nWord{n} and more.\n",
                n % 7
            ),
        );
    }
    let mut session = Session::new(site.root(), BuildOptions::default());
    let in_session = again(&mut session);
    let clean = fresh(site.root());
    assert_same("first build", &in_session, &clean);
    let cards = clean
        .keys()
        .filter(|k| k.starts_with("search/en/d/"))
        .count();
    assert_eq!(cards, 1100_usize.div_ceil(8));
}
