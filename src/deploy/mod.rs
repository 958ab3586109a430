//! `gazette deploy`: publish the output folder to object storage (S3 and
//! S3-compatible stores, Google Cloud Storage, Azure Blob Storage) through
//! `object_store`, uploading only what changed.
//!
//! scan the folder (local.rs) → open the target (store.rs) → list it and read
//! its manifest → diff (plan.rs) → upload in parallel, delete, write the manifest.

mod headers;
mod local;
mod plan;
mod store;

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};

use crate::config::DeployTarget;
use headers::CacheRules;
use local::LocalFile;
use plan::{Listed, MANIFEST, Manifest, ManifestEntry};
use store::Remote;

/// Uploads in flight at once.
const PARALLEL: usize = 16;

/// What `gazette deploy` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct DeployOptions {
    /// Print what would change and change nothing.
    pub dry_run: bool,
    /// Keep objects that are gone from the output.
    pub no_delete: bool,
    /// Upload every file, changed or not.
    pub force: bool,
    /// Show a progress bar (on a terminal, without `-q`).
    pub progress: bool,
}

/// What a deploy did (or, for a dry run, would do).
#[derive(Debug, Default)]
pub struct DeployReport {
    /// The target's name.
    pub target: String,
    /// Keys uploaded (or to upload), sorted (the folder scan is), with their sizes.
    pub uploaded: Vec<(String, u64)>,
    /// Keys deleted (or to delete), sorted.
    pub deleted: Vec<String>,
    /// Files the target already held as they are.
    pub unchanged: usize,
    /// Whether nothing was changed (`--dry-run`).
    pub dry_run: bool,
    /// How long it took.
    pub elapsed: Duration,
}

/// A deploy that could not finish: which target, and why.
#[derive(Debug, thiserror::Error)]
#[error("deploy to {target}: {message}")]
pub struct DeployError {
    /// The target's name (or the name asked for).
    pub target: String,
    /// What went wrong.
    pub message: String,
}

/// The target called `name`, or the first one.
pub fn pick_target<'a>(
    targets: &'a [DeployTarget],
    name: Option<&str>,
) -> Result<&'a DeployTarget, DeployError> {
    let fail = |message: String| DeployError {
        target: name.unwrap_or("the first target").to_string(),
        message,
    };
    let Some(name) = name else {
        return targets.first().ok_or_else(|| {
            fail("site.yaml has no deploy.targets (a list of { name, url, cache_control })".into())
        });
    };
    targets.iter().find(|t| t.name == name).ok_or_else(|| {
        let known: Vec<_> = targets.iter().map(|t| t.name.as_str()).collect();
        fail(format!(
            "no target of that name in site.yaml deploy.targets (it has: {})",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))
    })
}

/// Publish the folder `output` to `target`.
pub fn deploy(
    target: &DeployTarget,
    output: &Path,
    options: &DeployOptions,
) -> Result<DeployReport, DeployError> {
    let started = Instant::now();
    let fail = |message: String| DeployError {
        target: target.name.clone(),
        message,
    };
    let local = local::scan(output).map_err(fail)?;
    let runtime = crate::net::runtime("deploy").map_err(fail)?;
    let remote = store::open(&target.url).map_err(fail)?;
    let mut report = runtime
        .block_on(run(target, &remote, &local, options))
        .map_err(fail)?;
    report.target = target.name.clone();
    report.elapsed = started.elapsed();
    Ok(report)
}

async fn run(
    target: &DeployTarget,
    remote: &Remote,
    local: &[LocalFile],
    options: &DeployOptions,
) -> Result<DeployReport, String> {
    let listing = list(remote).await?;
    let manifest = read_manifest(remote).await?;
    let plan = plan::diff(
        local,
        &listing,
        &manifest,
        options.force,
        !options.no_delete,
    );
    let report = DeployReport {
        uploaded: plan
            .upload
            .iter()
            .map(|f| (f.key.clone(), f.size))
            .collect(),
        deleted: plan.delete.clone(),
        unchanged: plan.unchanged.len(),
        dry_run: options.dry_run,
        ..DeployReport::default()
    };
    if options.dry_run {
        return Ok(report);
    }
    let rules = CacheRules::new(&target.cache_control);
    let mut kept = plan.unchanged;
    let uploads = upload_all(remote, &plan.upload, &rules, options.progress, &mut kept).await;
    let deletes = match &uploads {
        Ok(()) => delete_all(remote, &plan.delete).await,
        Err(_) => Ok(()),
    };
    // The manifest records whatever was uploaded, even when the deploy stops
    // early, so that running it again sends only what is still missing.
    let written = write_manifest(remote, kept).await;
    uploads?;
    deletes?;
    written?;
    Ok(report)
}

/// The target's objects under the prefix, by key (the manifest left out).
async fn list(remote: &Remote) -> Result<HashMap<String, Listed>, String> {
    let prefix = (!remote.prefix.as_ref().is_empty()).then_some(&remote.prefix);
    let objects: Vec<_> = remote
        .store
        .list(prefix)
        .try_collect()
        .await
        .map_err(|e| explain("cannot list the target", &e))?;
    Ok(objects
        .into_iter()
        .filter_map(|meta| {
            let key = remote.key(&meta.location)?.to_string();
            (key != MANIFEST).then_some((
                key,
                Listed {
                    size: meta.size,
                    etag: plan::opaque_tag(meta.e_tag),
                },
            ))
        })
        .collect())
}

async fn read_manifest(remote: &Remote) -> Result<Manifest, String> {
    match remote.store.get(&remote.path(MANIFEST)).await {
        Ok(found) => {
            let bytes = found
                .bytes()
                .await
                .map_err(|e| explain("cannot read the deploy manifest", &e))?;
            // A manifest that does not parse only costs a full upload.
            Ok(serde_json::from_slice(&bytes).unwrap_or_default())
        }
        Err(object_store::Error::NotFound { .. }) => Ok(Manifest::default()),
        Err(e) => Err(explain("cannot read the deploy manifest", &e)),
    }
}

async fn upload_all(
    remote: &Remote,
    files: &[&LocalFile],
    rules: &CacheRules,
    progress: bool,
    kept: &mut std::collections::BTreeMap<String, ManifestEntry>,
) -> Result<(), String> {
    let bar = crate::progress::counter(progress, files.len() as u64, "uploading");
    let mut results =
        futures_util::stream::iter(files.iter().map(|file| upload(remote, file, rules)))
            .buffer_unordered(PARALLEL);
    let mut first_error = None;
    while let Some(result) = results.next().await {
        bar.inc(1);
        match result {
            Ok((key, entry)) => {
                kept.insert(key, entry);
            }
            Err(message) => {
                first_error.get_or_insert(message);
            }
        }
    }
    bar.finish_and_clear();
    first_error.map_or(Ok(()), Err)
}

async fn upload(
    remote: &Remote,
    file: &LocalFile,
    rules: &CacheRules,
) -> Result<(String, ManifestEntry), String> {
    let bytes = tokio::fs::read(&file.path)
        .await
        .map_err(|e| format!("cannot read {}: {e}", file.path.display()))?;
    let content_type = headers::content_type(&file.key);
    let done = put(
        remote,
        &file.key,
        bytes,
        &content_type,
        rules.for_key(&file.key),
    )
    .await
    .map_err(|e| explain(&format!("cannot upload {}", file.key), &e))?;
    Ok((
        file.key.clone(),
        ManifestEntry {
            sha256: file.sha256.clone(),
            size: file.size,
            etag: plan::opaque_tag(done.e_tag),
        },
    ))
}

async fn delete_all(remote: &Remote, keys: &[String]) -> Result<(), String> {
    if keys.is_empty() {
        return Ok(());
    }
    let paths: Vec<_> = keys.iter().map(|key| Ok(remote.path(key))).collect();
    let mut deleted = remote
        .store
        .delete_stream(futures_util::stream::iter(paths).boxed());
    while let Some(result) = deleted.next().await {
        match result {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(explain("cannot delete", &e)),
        }
    }
    Ok(())
}

async fn write_manifest(
    remote: &Remote,
    files: std::collections::BTreeMap<String, ManifestEntry>,
) -> Result<(), String> {
    let manifest = Manifest { version: 1, files };
    let bytes = serde_json::to_vec(&manifest).map_err(|e| e.to_string())?;
    put(
        remote,
        MANIFEST,
        bytes,
        "application/json",
        Some("no-store"),
    )
    .await
    .map(|_| ())
    .map_err(|e| explain("cannot write the deploy manifest", &e))
}

/// Store `bytes` as `key` with these headers.
async fn put(
    remote: &Remote,
    key: &str,
    bytes: Vec<u8>,
    content_type: &str,
    cache_control: Option<&str>,
) -> object_store::Result<object_store::PutResult> {
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, content_type.to_string().into());
    if let Some(value) = cache_control {
        attributes.insert(Attribute::CacheControl, value.to_string().into());
    }
    let options = PutOptions {
        attributes,
        ..PutOptions::default()
    };
    remote
        .store
        .put_opts(&remote.path(key), PutPayload::from(bytes), options)
        .await
}

/// One line for a storage error: what was being done, the likely cause, and
/// the store's own code and message (not its whole XML answer).
fn explain(doing: &str, error: &object_store::Error) -> String {
    let text = error.to_string();
    let cause = match error {
        object_store::Error::Unauthenticated { .. }
        | object_store::Error::PermissionDenied { .. } => "the store refused the credentials",
        _ if text.contains("NoSuchBucket") => "the bucket does not exist",
        _ if [
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "AccessDenied",
            "403 Forbidden",
        ]
        .iter()
        .any(|code| text.contains(code)) =>
        {
            "the store refused the credentials"
        }
        _ if text.contains("error sending request") || text.contains("connect") => {
            "the store cannot be reached"
        }
        _ => "the store answered with an error",
    };
    format!("{doing}: {cause} ({})", store_says(&text))
}

/// `Code: Message` of an S3-style XML error, else the error's first line.
fn store_says(text: &str) -> String {
    let element = |name: &str| {
        let start = text.find(&format!("<{name}>"))? + name.len() + 2;
        let end = text[start..].find(&format!("</{name}>"))? + start;
        Some(&text[start..end])
    };
    match (element("Code"), element("Message")) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        _ => {
            let line = text.lines().next().unwrap_or_default();
            line.chars().take(300).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_store_error_is_told_by_its_code() {
        let xml = "Generic S3 error: 404 Not Found: <?xml version=\"1.0\"?>\n<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>";
        assert_eq!(
            super::store_says(xml),
            "NoSuchBucket: The specified bucket does not exist"
        );
        assert_eq!(
            super::store_says("HTTP error: error sending request\nmore"),
            "HTTP error: error sending request"
        );
    }
}
