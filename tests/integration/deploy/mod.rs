//! `gazette deploy` against a real S3-compatible server on 127.0.0.1: moto's
//! server mode (PyPI `moto[server]`, binary `moto_server`), started by the
//! tests; `.ci/run` installs it.

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::{Attribute, ObjectStore, ObjectStoreExt};

use crate::harness::{EPOCH, SiteTest, free_port};

mod azure;
mod emulator;

use emulator::Emulator;

/// A moto server.
struct S3Server(Emulator);

impl S3Server {
    /// Start `moto_server`; with `check_credentials`, every request must be
    /// signed by a key moto knows (none: so every key is refused).
    fn start(check_credentials: bool) -> S3Server {
        let envs: &[(&str, &str)] = if check_credentials {
            &[("INITIAL_NO_AUTH_ACTION_COUNT", "0")]
        } else {
            &[]
        };
        S3Server(Emulator::start(
            "moto_server",
            "-H 127.0.0.1 -p {port}",
            envs,
            "moto's S3 server: pip install 'moto[server]' (see README)",
        ))
    }

    fn endpoint(&self) -> String {
        self.0.endpoint()
    }

    /// Create a bucket (moto takes unsigned requests unless it checks credentials).
    fn create_bucket(&self, name: &str) {
        use std::io::{Read, Write};
        let mut stream = TcpStream::connect(("127.0.0.1", self.0.port)).unwrap();
        write!(
            stream,
            "PUT /{name} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.0.port
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    /// A client of `bucket`, for looking at what a deploy left there.
    fn bucket(&self, name: &str) -> Arc<dyn ObjectStore> {
        tls();
        Arc::new(
            AmazonS3Builder::new()
                .with_bucket_name(name)
                .with_endpoint(self.endpoint())
                .with_allow_http(true)
                .with_region("us-east-1")
                .with_access_key_id("testing")
                .with_secret_access_key("testing")
                .build()
                .unwrap(),
        )
    }
}

/// The server the tests share (each test uses its own bucket).
fn server() -> &'static S3Server {
    static SERVER: OnceLock<S3Server> = OnceLock::new();
    SERVER.get_or_init(|| S3Server::start(false))
}

/// The TLS provider object_store's clients need, even for plain HTTP.
fn tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Every object of `bucket` under `prefix`: key → (bytes, Content-Type, Cache-Control).
fn objects(bucket: &str, prefix: &str) -> BTreeMap<String, (Vec<u8>, String, String)> {
    objects_in(&server().bucket(bucket), prefix)
}

/// Every object of `store` under `prefix`, as `objects` gives them.
fn objects_in(
    store: &Arc<dyn ObjectStore>,
    prefix: &str,
) -> BTreeMap<String, (Vec<u8>, String, String)> {
    runtime().block_on(async {
        let listed: Vec<_> = store
            .list(Some(&prefix.into()))
            .try_collect()
            .await
            .unwrap();
        let mut found = BTreeMap::new();
        for meta in listed {
            let got = store.get(&meta.location).await.unwrap();
            let attribute = |name| {
                got.attributes
                    .get(&name)
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            };
            let (content_type, cache) = (
                attribute(Attribute::ContentType),
                attribute(Attribute::CacheControl),
            );
            let bytes = got.bytes().await.unwrap().to_vec();
            let key = meta.location.as_ref()[prefix.len() + 1..].to_string();
            found.insert(key, (bytes, content_type, cache));
        }
        found
    })
}

/// The keys of the site's objects (the deploy manifest left out).
fn site_keys(stored: &BTreeMap<String, (Vec<u8>, String, String)>) -> BTreeSet<String> {
    stored
        .keys()
        .filter(|k| !k.starts_with('.'))
        .cloned()
        .collect()
}

/// A small portal with a target named production in `bucket`.
fn portal(bucket: &str) -> SiteTest {
    portal_at(&format!(
        "s3://{bucket}/www?endpoint={}",
        server().endpoint()
    ))
}

/// A small portal with a target named production at `url`.
fn portal_at(url: &str) -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.yaml",
        format!(
            "title: Test\nbase_url: https://example.org\ndeploy:\n  targets:\n    - name: production\n      url: \"{url}\"\n      cache_control: {{ \"*.html\": \"max-age=300\", \"*\": \"max-age=31536000\" }}\n"
        ),
    );
    site.write("content/news/_index.md", "---\ntitle: News\n---\n");
    site.write(
        "content/news/2023-05-10-visit.md",
        "---\ntitle: Visit\ndate: 2023-05-10\n---\n\nThe delegation arrived.\n",
    );
    site.write(
        "content/news/2023-06-01-forum.md",
        "---\ntitle: Forum\ndate: 2023-06-01\n---\n\nThe forum opened.\n",
    );
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site
}

/// What one deploy printed.
struct Deployed {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Deployed {
    /// Exit 1 with one error line, which says `needle`.
    #[track_caller]
    fn assert_fails_with(&self, needle: &str) {
        assert_eq!(self.code, 1, "{}", self.stderr);
        assert!(self.stderr.contains(needle), "{}", self.stderr);
        assert_eq!(
            self.stderr.matches("error: deploy to").count(),
            1,
            "{}",
            self.stderr
        );
    }

    /// The keys a `-v` deploy listed after `verb` (`uploaded`, `deleted`).
    fn keys(&self, verb: &str) -> BTreeSet<String> {
        let lead = format!("  {verb} ");
        self.stderr
            .lines()
            .filter_map(|line| line.strip_prefix(&lead))
            .map(str::to_string)
            .collect()
    }
}

fn command(site: &SiteTest, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .arg("deploy")
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT")
        .env_remove("AWS_PROFILE");
    command
}

fn deploy(site: &SiteTest, args: &[&str]) -> Deployed {
    run(command(site, args))
}

fn run(mut command: Command) -> Deployed {
    let output = command.output().unwrap();
    Deployed {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Files of the output folder whose bytes differ between two builds.
fn changed(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)]) -> BTreeSet<String> {
    let before: BTreeMap<_, _> = before.iter().cloned().collect();
    after
        .iter()
        .filter(|(key, bytes)| before.get(key) != Some(bytes))
        .map(|(key, _)| key.clone())
        .collect()
}

#[test]
fn a_first_deploy_uploads_everything_then_an_edit_only_what_changed() {
    server().create_bucket("edits");
    let site = portal("edits");
    let first = deploy(&site, &["-v"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let tree = site.tree();
    let all: BTreeSet<_> = tree.iter().map(|(key, _)| key.clone()).collect();
    assert_eq!(first.keys("uploaded"), all);
    assert!(
        first.stderr.contains(&format!(
            "Deployed to production: {} uploaded, 0 deleted, 0 unchanged in",
            all.len()
        )),
        "{}",
        first.stderr
    );
    let stored = objects("edits", "www");
    let stored_keys = site_keys(&stored);
    assert_eq!(stored_keys, all);
    for (key, bytes) in &tree {
        assert_eq!(&stored[key].0, bytes, "{key}");
    }

    let again = deploy(&site, &["-v"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.keys("uploaded").is_empty(), "{}", again.stderr);

    site.write(
        "content/news/2023-05-10-visit.md",
        "---\ntitle: Visit\ndate: 2023-05-10\n---\n\nThe delegation arrived on Monday.\n",
    );
    let edit = deploy(&site, &["-v"]);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    let expected = changed(&tree, &site.tree());
    assert!(expected.contains("news/visit/index.html"), "{expected:?}");
    assert_eq!(edit.keys("uploaded"), expected);
    assert!(edit.keys("deleted").is_empty());
    assert_eq!(
        objects("edits", "www")["news/visit/index.html"].0,
        site.file("news/visit/index.html").into_bytes()
    );
}

#[test]
fn objects_carry_their_content_type_and_first_matching_cache_control() {
    server().create_bucket("headers");
    let site = portal("headers");
    assert_eq!(deploy(&site, &[]).code, 0);
    let stored = objects("headers", "www");
    let (_, page_type, page_cache) = &stored["news/visit/index.html"];
    assert_eq!(page_type, "text/html; charset=utf-8");
    assert_eq!(page_cache, "max-age=300");
    let (_, svg_type, svg_cache) = &stored["logo.svg"];
    assert_eq!(svg_type, "image/svg+xml; charset=utf-8");
    assert_eq!(svg_cache, "max-age=31536000");
    assert_eq!(stored["sitemap.xml"].1, "text/xml; charset=utf-8");
}

#[test]
fn a_removed_article_is_deleted_unless_no_delete_and_a_dry_run_changes_nothing() {
    server().create_bucket("deletes");
    let site = portal("deletes");
    assert_eq!(deploy(&site, &[]).code, 0);
    site.remove("content/news/2023-06-01-forum.md");

    let dry = deploy(&site, &["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains("delete news/forum/index.html"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout
            .lines()
            .any(|l| l.starts_with("upload news/index.html (")),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stderr.contains("Dry run for production: would upload "),
        "{}",
        dry.stderr
    );
    assert!(objects("deletes", "www").contains_key("news/forum/index.html"));

    let kept = deploy(&site, &["--no-delete", "-v"]);
    assert_eq!(kept.code, 0, "{}", kept.stderr);
    assert!(kept.keys("deleted").is_empty());
    assert!(objects("deletes", "www").contains_key("news/forum/index.html"));

    let pruned = deploy(&site, &["-v"]);
    assert_eq!(pruned.code, 0, "{}", pruned.stderr);
    assert!(
        pruned.keys("deleted").contains("news/forum/index.html"),
        "{}",
        pruned.stderr
    );
    assert!(pruned.keys("uploaded").is_empty(), "{}", pruned.stderr);
    let stored = objects("deletes", "www");
    assert!(!stored.contains_key("news/forum/index.html"));
    let stored_keys = site_keys(&stored);
    let local: BTreeSet<_> = site.tree().into_iter().map(|(k, _)| k).collect();
    assert_eq!(stored_keys, local);

    let forced = deploy(&site, &["--force", "-v"]);
    assert_eq!(forced.keys("uploaded"), local);
}

#[test]
fn objects_outside_the_prefix_are_never_touched() {
    server().create_bucket("shared");
    let store = server().bucket("shared");
    runtime().block_on(async {
        store
            .put(&"other/keep.html".into(), "x".into())
            .await
            .unwrap();
        store
            .put(&"www2/keep.html".into(), "x".into())
            .await
            .unwrap();
    });
    let site = portal("shared");
    assert_eq!(deploy(&site, &[]).code, 0);
    assert!(objects("shared", "other").contains_key("keep.html"));
    assert!(objects("shared", "www2").contains_key("keep.html"));
}

#[test]
fn failures_are_one_clear_error_naming_the_target() {
    server().create_bucket("failures");
    let site = portal("failures");
    let none = command(&site, &[])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&none.stderr);
    assert_eq!(none.status.code(), Some(1), "{text}");
    assert!(
        text.contains("deploy to production: no credentials: set AWS_ACCESS_KEY_ID"),
        "{text}"
    );

    deploy(&site, &["--target", "staging"])
        .assert_fails_with("deploy to staging: no target of that name");
    deploy(&portal("never-made"), &[]).assert_fails_with("the bucket does not exist");

    let strict = S3Server::start(true);
    let refused = portal("failures");
    aim(
        &refused,
        &format!("s3://failures?endpoint={}", strict.endpoint()),
    );
    deploy(&refused, &[]).assert_fails_with("the store refused the credentials");

    let gone = portal("failures");
    aim(
        &gone,
        &format!("s3://failures?endpoint=http://127.0.0.1:{}", free_port()),
    );
    let started = Instant::now();
    deploy(&gone, &[]).assert_fails_with("the store cannot be reached");
    assert!(started.elapsed() < Duration::from_secs(60));
}

/// Point the site's only target, production, at `url`.
fn aim(site: &SiteTest, url: &str) {
    site.write(
        "site.yaml",
        format!(
            "title: Test\nbase_url: https://example.org\ndeploy:\n  targets:\n    - {{ name: production, url: \"{url}\" }}\n"
        ),
    );
}

#[test]
fn a_deploy_killed_during_its_uploads_finishes_when_run_again() {
    server().create_bucket("killed");
    let site = portal("killed");
    for i in 0..3000 {
        site.write(&format!("static/files/{i:04}.txt"), format!("file {i}\n"));
    }
    let mut child = command(&site, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let store = server().bucket("killed");
    let deadline = Instant::now() + Duration::from_secs(120);
    let count = || {
        runtime().block_on(async {
            let listed: Vec<_> = store.list(Some(&"www".into())).try_collect().await.unwrap();
            listed.len()
        })
    };
    while count() < 50 {
        assert!(
            Instant::now() < deadline,
            "the deploy never started uploading"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let halfway = count();
    let local = site.tree();
    assert!(
        halfway < local.len(),
        "the deploy finished before it was killed"
    );

    let again = deploy(&site, &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let stored = objects("killed", "www");
    let stored_keys = site_keys(&stored);
    let local_keys: BTreeSet<_> = local.iter().map(|(k, _)| k.clone()).collect();
    assert_eq!(stored_keys, local_keys);
    for (key, bytes) in &local {
        assert_eq!(&stored[key].0, bytes, "{key}");
    }
    let settled = deploy(&site, &["-v"]);
    assert!(settled.keys("uploaded").is_empty(), "{}", settled.stderr);
}
