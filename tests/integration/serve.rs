//! `gazette serve` and `gazette build --watch`, driven over real HTTP and real
//! file changes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{EPOCH, SiteTest, free_port};

/// A running `gazette` process, killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(site: &SiteTest, args: &[&str]) -> Running {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command.args(args).arg("--root").arg(site.root());
    spawn(command)
}

/// Start gazette the way editors mostly do: inside the site folder, no `--root`.
fn start_inside(site: &SiteTest, args: &[&str]) -> Running {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command.args(args).current_dir(site.root());
    spawn(command)
}

fn spawn(mut command: Command) -> Running {
    let child = command
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Running(child)
}

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

/// GET `path`, retrying until the server answers (it starts with a build).
fn get(port: u16, path: &str) -> Reply {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            write!(
                stream,
                "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut raw = String::new();
            stream.read_to_string(&mut raw).unwrap();
            let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
            let status = head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            return Reply {
                status,
                headers: head.to_lowercase(),
                body: body.to_string(),
            };
        }
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Poll until `check` holds or fail after a few seconds.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_pages_types_and_404s_from_inside_the_site_only() {
    let site = SiteTest::fixture("basic/minimal");
    let port = free_port();
    let _server = start(&site, &["serve", "--port", &port.to_string()]);
    let page = get(port, "/news/first-visit/");
    assert_eq!(page.status, 200);
    assert!(
        page.headers
            .contains("content-type: text/html; charset=utf-8")
    );
    assert!(page.headers.contains("cache-control: no-store"));
    assert!(
        page.body.contains("/__gazette/events"),
        "live-reload script injected"
    );
    assert!(
        page.body
            .contains(&format!("http://127.0.0.1:{port}/news/first-visit/")),
        "links point at the preview"
    );
    assert!(
        get(port, "/style.css")
            .headers
            .contains("content-type: text/css")
    );
    let missing = get(port, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));
    for hostile in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/news/%2E%2E/%2E%2E/site.yaml",
        "/..%5csite.yaml",
    ] {
        let reply = get(port, hostile);
        assert_eq!(reply.status, 404, "{hostile}");
        assert!(!reply.body.contains("base_url"), "{hostile}");
    }
    assert_eq!(get(port, "/news").status, 301);
    assert!(!site.public().exists(), "serve writes nothing");
}

#[test]
fn edits_reload_pages_and_errors_reach_the_browser() {
    let site = SiteTest::fixture("basic/minimal");
    let port = free_port();
    let _server = start(&site, &["serve", "--port", &port.to_string()]);
    assert_eq!(get(port, "/").status, 200);
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        events,
        "GET /__gazette/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut events = BufReader::new(events);
    let mut next_event = || loop {
        let mut line = String::new();
        events.read_line(&mut line).unwrap();
        if let Some(name) = line.strip_prefix("event: ") {
            let mut data = String::new();
            events.read_line(&mut data).unwrap();
            return (
                name.trim().to_string(),
                data.trim_start_matches("data: ").trim().to_string(),
            );
        }
    };
    std::thread::sleep(Duration::from_millis(300));
    site.write(
        "content/news/2023-05-10-first-visit.md",
        "---\ntitle: Edited visit\n---\n\nNew text.\n",
    );
    assert_eq!(next_event().0, "reload");
    eventually("the edit is served", || {
        get(port, "/news/first-visit/")
            .body
            .contains("Edited visit")
    });
    site.write(
        "content/news/broken.md",
        "---\ntitle: Broken\ndate: 2023-02-30\n---\n",
    );
    let (name, data) = next_event();
    assert_eq!(name, "error");
    assert!(data.contains("content/news/broken.md:3:7"), "{data}");
    assert!(
        get(port, "/news/first-visit/")
            .body
            .contains("Edited visit"),
        "the last good build is still served"
    );
    site.remove("content/news/broken.md");
    assert_eq!(next_event().0, "reload");
}

#[test]
fn serve_and_watch_started_inside_the_site_folder_see_edits() {
    let site = SiteTest::fixture("basic/minimal");
    let port = free_port();
    let _server = start_inside(&site, &["serve", "--port", &port.to_string()]);
    let _watch = start_inside(&site, &["build", "--watch"]);
    assert_eq!(get(port, "/news/first-visit/").status, 200);
    eventually("the first build", || {
        site.exists("news/first-visit/index.html")
    });
    std::thread::sleep(Duration::from_millis(300));
    site.write(
        "content/news/2023-05-10-first-visit.md",
        "---\ntitle: Edited inside\n---\n\nNew text.\n",
    );
    eventually("the edit is served", || {
        get(port, "/news/first-visit/")
            .body
            .contains("Edited inside")
    });
    eventually("the edit is written", || {
        site.file("news/first-visit/index.html")
            .contains("Edited inside")
    });
}

#[test]
fn a_busy_port_moves_to_the_next_one() {
    let site = SiteTest::fixture("basic/minimal");
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.root())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Running(child);
    let mut stderr = BufReader::new(server.0.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains(&format!("port {port} is busy")), "{line}");
}

#[test]
fn watch_rebuilds_match_a_clean_build_byte_for_byte() {
    let site = SiteTest::fixture("basic/minimal");
    let _watch = start(&site, &["build", "--watch"]);
    eventually("the first build", || {
        site.exists("news/first-visit/index.html")
    });
    std::thread::sleep(Duration::from_millis(300));
    let untouched = std::fs::metadata(site.public().join("bare/loose/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    site.write(
        "content/news/2023-05-10-first-visit.md",
        "---\ntitle: Watched edit\ntags: [visa, new]\n---\n\nChanged.\n",
    );
    site.write(
        "content/news/added.md",
        "---\ntitle: Added\ndate: 2023-06-01\n---\n",
    );
    site.remove("content/news/sub/nested.md");
    eventually("the rebuild", || {
        site.exists("news/added/index.html")
            && !site.exists("news/sub/nested/index.html")
            && site
                .file("news/first-visit/index.html")
                .contains("Watched edit")
    });
    std::thread::sleep(Duration::from_millis(300));
    let watched = site.tree();
    assert_eq!(
        std::fs::metadata(site.public().join("bare/loose/index.html"))
            .unwrap()
            .modified()
            .unwrap(),
        untouched,
        "unchanged files are not rewritten"
    );
    let clean = SiteTest::empty();
    for entry in walkdir::WalkDir::new(site.root())
        .into_iter()
        .map(Result::unwrap)
    {
        let rel = entry
            .path()
            .strip_prefix(site.root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel.starts_with("public") || rel.is_empty() {
            continue;
        }
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(clean.root().join(&rel)).unwrap();
        } else {
            clean.write(&rel, std::fs::read(entry.path()).unwrap());
        }
    }
    clean.build().assert_ok();
    crate::harness::assert_same_tree(&watched, &clean.tree());
}

#[test]
fn the_preview_shows_translation_coverage_that_is_never_written() {
    let site = SiteTest::fixture("basic/minimal");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{yaml}languages:\n  ru: {{ title: Р }}\n"),
    );
    let port = free_port();
    let _server = start(&site, &["serve", "--port", &port.to_string()]);
    let page = get(port, "/_gazette/translations/");
    assert_eq!(page.status, 200, "{}", page.body);
    let html = scraper::Html::parse_document(&page.body);
    let rows = crate::harness::Page(html).texts("tbody tr");
    assert!(
        rows.iter().any(|r| r.contains("news") && r.contains("ru")),
        "{rows:?}"
    );
    assert!(
        page.body
            .contains("missing: content/news/2023-05-10-first-visit.md"),
        "{}",
        page.body
    );
    site.build().assert_ok();
    assert!(!site.exists("_gazette"), "never in the output");
}
