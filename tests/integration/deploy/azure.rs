//! `gazette deploy` to Azure Blob Storage, against Azurite (npm `azurite`,
//! installed by `.ci/run` under `tests/deploy/`), the emulator Microsoft
//! publishes. object_store reaches it through its emulator settings
//! (`AZURE_STORAGE_USE_EMULATOR`, `AZURITE_BLOB_STORAGE_URL`).

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, OnceLock};

use base64::Engine;
use hmac::{KeyInit, Mac};
use object_store::ObjectStore;
use object_store::azure::MicrosoftAzureBuilder;

use super::emulator::Emulator;
use super::{Deployed, changed, command, objects_in, portal_at, run, site_keys, tls};
use crate::harness::SiteTest;

/// Azurite's well-known account and key (the same in every installation).
const ACCOUNT: &str = "devstoreaccount1";
const KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

fn server() -> &'static Emulator {
    static SERVER: OnceLock<Emulator> = OnceLock::new();
    SERVER.get_or_init(|| {
        let program = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/deploy/node_modules/.bin/azurite-blob"
        );
        Emulator::start(
            program,
            "--blobHost 127.0.0.1 --blobPort {port} --inMemoryPersistence --skipApiVersionCheck --silent",
            &[],
            "Azurite: (cd tests/deploy && npm ci) (see README)",
        )
    })
}

/// Create a container: a request signed with the account key (Shared Key).
fn create_container(name: &str) {
    let port = server().port;
    let date = chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let version = "2021-08-06";
    let to_sign = format!(
        "PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{date}\nx-ms-version:{version}\n/{ACCOUNT}/{ACCOUNT}/{name}\nrestype:container"
    );
    let key = base64::engine::general_purpose::STANDARD
        .decode(KEY)
        .unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "PUT /{ACCOUNT}/{name}?restype=container HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         x-ms-date: {date}\r\nx-ms-version: {version}\r\n\
         Authorization: SharedKey {ACCOUNT}:{signature}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
}

/// A client of `container`, for looking at what a deploy left there.
fn container(name: &str) -> Arc<dyn ObjectStore> {
    tls();
    Arc::new(
        MicrosoftAzureBuilder::new()
            .with_account(ACCOUNT)
            .with_access_key(KEY)
            .with_endpoint(format!("{}/{ACCOUNT}", server().endpoint()))
            .with_allow_http(true)
            .with_container_name(name)
            .build()
            .unwrap(),
    )
}

fn deploy(site: &SiteTest, args: &[&str], key: &str) -> Deployed {
    let mut command = command(site, args);
    command
        .env("AZURE_STORAGE_USE_EMULATOR", "true")
        .env("AZURITE_BLOB_STORAGE_URL", server().endpoint())
        .env("AZURE_STORAGE_ACCOUNT_NAME", ACCOUNT)
        .env("AZURE_STORAGE_ACCOUNT_KEY", key);
    run(command)
}

#[test]
fn a_deploy_to_azure_uploads_what_changed_with_its_headers_and_deletes_what_is_gone() {
    create_container("site");
    let site = portal_at("azblob://site/www");
    let first = deploy(&site, &["-v"], KEY);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let tree = site.tree();
    let all: BTreeSet<_> = tree.iter().map(|(key, _)| key.clone()).collect();
    assert_eq!(first.keys("uploaded"), all);
    let stored = objects_in(&container("site"), "www");
    assert_eq!(site_keys(&stored), all);
    let (bytes, page_type, page_cache) = &stored["news/visit/index.html"];
    assert_eq!(*bytes, site.file("news/visit/index.html").into_bytes());
    assert_eq!(page_type, "text/html; charset=utf-8");
    assert_eq!(page_cache, "max-age=300");
    assert_eq!(stored["logo.svg"].2, "max-age=31536000");

    // Azure quotes an upload's ETag but not a listing's: nothing is sent again.
    let again = deploy(&site, &["-v"], KEY);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.keys("uploaded").is_empty(), "{}", again.stderr);

    site.write(
        "content/news/2023-05-10-visit.md",
        "---\ntitle: Visit\ndate: 2023-05-10\n---\n\nThe delegation arrived on Monday.\n",
    );
    site.remove("content/news/2023-06-01-forum.md");
    let edit = deploy(&site, &["-v"], KEY);
    assert_eq!(edit.code, 0, "{}", edit.stderr);
    let after = site.tree();
    assert_eq!(edit.keys("uploaded"), changed(&tree, &after));
    assert_eq!(
        edit.keys("deleted"),
        BTreeSet::from(["news/forum/index.html".to_string()])
    );
    let stored = objects_in(&container("site"), "www");
    let now: BTreeSet<_> = after.iter().map(|(key, _)| key.clone()).collect();
    assert_eq!(site_keys(&stored), now);
}

#[test]
fn a_wrong_azure_key_is_one_clear_error() {
    create_container("refused");
    let site = portal_at("azblob://refused/www");
    let wrong = base64::engine::general_purpose::STANDARD.encode(b"not the account key");
    let refused = deploy(&site, &[], &wrong);
    refused.assert_fails_with("deploy to production");
    assert!(
        refused.stderr.contains("refused the credentials"),
        "{}",
        refused.stderr
    );
}
