//! A deploy target's URL → an `object_store` client and the prefix the site
//! lives under. Credentials come only from each provider's environment
//! variables; without them the deploy stops before any request.

use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::path::Path as ObjectPath;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, RetryConfig};

/// An opened target.
pub(crate) struct Remote {
    pub(crate) store: Arc<dyn ObjectStore>,
    /// The folder of the site in the bucket (empty: the whole bucket).
    pub(crate) prefix: ObjectPath,
}

impl Remote {
    /// The object for `key` (`news/index.html`) under the prefix.
    pub(crate) fn path(&self, key: &str) -> ObjectPath {
        let mut path = self.prefix.clone();
        for part in key.split('/') {
            path = path.clone().join(part);
        }
        path
    }

    /// The key of an object listed under the prefix.
    pub(crate) fn key<'a>(&self, path: &'a ObjectPath) -> Option<&'a str> {
        let prefix = self.prefix.as_ref();
        if prefix.is_empty() {
            return Some(path.as_ref());
        }
        path.as_ref().strip_prefix(prefix)?.strip_prefix('/')
    }
}

/// The parts of a target URL.
#[derive(Debug, PartialEq, Eq)]
struct TargetUrl<'a> {
    scheme: &'a str,
    bucket: &'a str,
    prefix: &'a str,
    endpoint: Option<String>,
    region: Option<String>,
}

fn split(url: &str) -> Result<TargetUrl<'_>, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("\"{url}\" is not a target URL"))?;
    let (place, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (bucket, prefix) = place.split_once('/').unwrap_or((place, ""));
    let param = |name: &str| {
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| {
                percent_encoding::percent_decode_str(value)
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
    };
    Ok(TargetUrl {
        scheme,
        bucket,
        prefix: prefix.trim_matches('/'),
        endpoint: param("endpoint"),
        region: param("region"),
    })
}

/// Open the target at `url`.
pub(crate) fn open(url: &str) -> Result<Remote, String> {
    let target = split(url)?;
    let retry = RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            base: 2.0,
        },
        max_retries: 3,
        retry_timeout: Duration::from_secs(20),
    };
    let client = ClientOptions::new()
        .with_connect_timeout(Duration::from_secs(5))
        .with_timeout(Duration::from_secs(60));
    let store: Arc<dyn ObjectStore> = match target.scheme {
        "s3" => Arc::new(s3(&target, client, retry)?),
        "gs" => {
            need_env(
                &[
                    "GOOGLE_SERVICE_ACCOUNT",
                    "GOOGLE_SERVICE_ACCOUNT_PATH",
                    "GOOGLE_SERVICE_ACCOUNT_KEY",
                    "GOOGLE_APPLICATION_CREDENTIALS",
                ],
                "GOOGLE_APPLICATION_CREDENTIALS (a service account key file)",
            )?;
            Arc::new(
                GoogleCloudStorageBuilder::from_env()
                    .with_bucket_name(target.bucket)
                    .with_client_options(client)
                    .with_retry(retry)
                    .build()
                    .map_err(|e| e.to_string())?,
            )
        }
        "azblob" => {
            need_env(
                &["AZURE_STORAGE_ACCOUNT_NAME"],
                "AZURE_STORAGE_ACCOUNT_NAME",
            )?;
            need_env(
                &[
                    "AZURE_STORAGE_ACCOUNT_KEY",
                    "AZURE_STORAGE_ACCESS_KEY",
                    "AZURE_STORAGE_SAS_KEY",
                    "AZURE_STORAGE_TOKEN",
                    "AZURE_CLIENT_SECRET",
                    "AZURE_FEDERATED_TOKEN_FILE",
                    "AZURE_STORAGE_USE_EMULATOR",
                ],
                "AZURE_STORAGE_ACCOUNT_KEY (or AZURE_STORAGE_SAS_KEY)",
            )?;
            Arc::new(
                MicrosoftAzureBuilder::from_env()
                    .with_container_name(target.bucket)
                    .with_client_options(client)
                    .with_retry(retry)
                    .build()
                    .map_err(|e| e.to_string())?,
            )
        }
        other => {
            return Err(format!(
                "unknown scheme \"{other}\", expected s3, gs or azblob"
            ));
        }
    };
    Ok(Remote {
        store,
        prefix: ObjectPath::from(target.prefix),
    })
}

fn s3(
    target: &TargetUrl<'_>,
    client: ClientOptions,
    retry: RetryConfig,
) -> Result<object_store::aws::AmazonS3, String> {
    need_env(
        &[
            "AWS_ACCESS_KEY_ID",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        ],
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    )?;
    let mut builder = AmazonS3Builder::from_env().with_bucket_name(target.bucket);
    let mut client = client;
    if let Some(endpoint) = &target.endpoint {
        client = client.with_allow_http(endpoint.starts_with("http://"));
        builder = builder
            .with_endpoint(endpoint)
            .with_virtual_hosted_style_request(false);
    }
    let region = target
        .region
        .clone()
        .or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .unwrap_or_else(|| "us-east-1".into());
    builder
        .with_region(region)
        .with_client_options(client)
        .with_retry(retry)
        .build()
        .map_err(|e| e.to_string())
}

/// Stop unless one of `names` is set.
fn need_env(names: &[&str], what: &str) -> Result<(), String> {
    if names
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
    {
        Ok(())
    } else {
        Err(format!("no credentials: set {what} in the environment"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_bucket_prefix_and_query() {
        let url =
            split("s3://site/www/ru/?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=ru-1").unwrap();
        assert_eq!(url.bucket, "site");
        assert_eq!(url.prefix, "www/ru");
        assert_eq!(url.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(url.region.as_deref(), Some("ru-1"));
        assert_eq!(split("gs://b").unwrap().prefix, "");
    }

    #[test]
    fn keys_are_relative_to_the_prefix() {
        let remote = Remote {
            store: Arc::new(object_store::memory::InMemory::new()),
            prefix: ObjectPath::from("www"),
        };
        let path = remote.path("news/index.html");
        assert_eq!(path.as_ref(), "www/news/index.html");
        assert_eq!(remote.key(&path), Some("news/index.html"));
        assert_eq!(remote.key(&ObjectPath::from("wwwx/a")), None);
    }
}
