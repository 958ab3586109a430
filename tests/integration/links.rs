//! `gazette check --external` against a local HTTP server the test starts:
//! pages that answer 200, 404, 301 → 404, only to GET, and too slowly.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::harness::SiteTest;

/// Requests seen, by "METHOD /path".
type Seen = Arc<Mutex<HashMap<String, usize>>>;

/// Serve on a free port in background threads; returns the origin and the log.
fn start_server() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let log = log.clone();
            std::thread::spawn(move || answer(stream, &log));
        }
    });
    (origin, seen)
}

fn answer(mut stream: std::net::TcpStream, log: &Seen) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let mut parts = first.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    *log.lock()
        .unwrap()
        .entry(format!("{method} {path}"))
        .or_default() += 1;
    let (status, extra) = match (method, path) {
        (_, "/ok") => ("200 OK", ""),
        (_, "/moved") => ("301 Moved Permanently", "Location: /missing\r\n"),
        ("HEAD", "/get-only") => ("405 Method Not Allowed", ""),
        ("GET", "/get-only") => ("200 OK", ""),
        (_, "/slow") => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", "")
        }
        _ => ("404 Not Found", ""),
    };
    let body = if method == "HEAD" { "" } else { "page" };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 4\r\nConnection: close\r\n\r\n{body}"
    );
}

fn site(origin: &str) -> SiteTest {
    let site = SiteTest::empty();
    site.write("content/news/_index.md", "---\ntitle: News\n---\n");
    site.write(
        "content/news/2023-05-10-visit.md",
        format!(
            "---\ntitle: Visit\ndate: 2023-05-10\n---\n\nSee [the programme]({origin}/missing).\n\n[Home]({origin}/ok) and [old]({origin}/moved).\n"
        ),
    );
    site.write(
        "content/news/2023-06-01-forum.md",
        format!(
            "---\ntitle: Forum\ndate: 2023-06-01\n---\n\nThe [programme]({origin}/missing), [form]({origin}/get-only), [slow]({origin}/slow).\n"
        ),
    );
    site
}

fn count(seen: &Seen, request: &str) -> usize {
    seen.lock().unwrap().get(request).copied().unwrap_or(0)
}

#[test]
fn broken_links_are_reported_once_with_every_place_that_uses_them() {
    let (origin, seen) = start_server();
    let site = site(&origin);
    let run = site.run(&["check", "--external", "--timeout", "1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let missing = format!(
        "content/news/2023-05-10-visit.md:6:5: broken external link {origin}/missing: 404 Not Found; also linked from content/news/2023-06-01-forum.md:6:5"
    );
    assert!(run.stderr.contains(&missing), "{}", run.stderr);
    assert_eq!(run.stderr.matches(&format!("{origin}/missing:")).count(), 1);
    assert!(
        run.stderr.contains(&format!(
            "broken external link {origin}/moved: 404 Not Found"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "broken external link {origin}/slow: no answer within 1 s"
        )),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains(&format!("{origin}/ok")),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains(&format!("{origin}/get-only")),
        "{}",
        run.stderr
    );
    // Once for itself, once at the end of /moved's redirect.
    assert_eq!(
        count(&seen, "HEAD /missing"),
        2,
        "each URL is requested once"
    );
    assert_eq!(count(&seen, "HEAD /moved"), 1);
    assert_eq!(count(&seen, "HEAD /ok"), 1);
    assert_eq!(count(&seen, "GET /ok"), 0);
    assert_eq!(count(&seen, "GET /get-only"), 1, "HEAD refused, then GET");

    let before = seen.lock().unwrap().clone();
    let again = site.run(&["check", "--external", "--timeout", "1"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains(&missing), "{}", again.stderr);
    assert_eq!(
        *seen.lock().unwrap(),
        before,
        "a day's cache answers the second run"
    );
    assert!(
        site.root()
            .join(".gazette-cache/external-links.json")
            .is_file()
    );
}

#[test]
fn without_external_no_request_is_made() {
    let (origin, seen) = start_server();
    let site = site(&origin);
    site.run(&["check"]).assert_ok();
    site.build().assert_ok();
    std::thread::sleep(Duration::from_millis(100));
    assert!(seen.lock().unwrap().is_empty());
}
