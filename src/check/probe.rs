//! Requests for `check --external`: HEAD, then GET where HEAD is refused,
//! redirects followed, several at a time but only a few per host.

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use super::ExternalCheck;

/// What a URL gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// A status below 400 (after redirects).
    Ok,
    /// A status of 400 or more, no answer, or a bad certificate: why.
    Broken(String),
}

/// Request every URL; (URL, verdict) in no particular order.
pub(super) fn probe_all(
    urls: &[&str],
    settings: &ExternalCheck,
) -> Result<Vec<(String, Verdict)>, String> {
    if urls.is_empty() {
        return Ok(Vec::new());
    }
    let runtime = crate::net::runtime("check --external")?;
    let client = reqwest::Client::builder()
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::limited(10))
        .user_agent(concat!("gazette-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("check --external: cannot make an HTTP client: {e}"))?;
    let bar = crate::progress::counter(settings.progress, urls.len() as u64, "checking links");
    let hosts: HashMap<String, Arc<Semaphore>> = urls
        .iter()
        .map(|url| {
            (
                host(url),
                Arc::new(Semaphore::new(settings.per_host.max(1))),
            )
        })
        .collect();
    let found = runtime.block_on(async {
        futures_util::stream::iter(urls.iter().map(|url| {
            let client = client.clone();
            let gate = hosts[&host(url)].clone();
            let bar = bar.clone();
            let seconds = settings.timeout.as_secs_f64();
            async move {
                let _permit = gate.acquire().await;
                let verdict = probe(&client, url, seconds).await;
                bar.inc(1);
                (url.to_string(), verdict)
            }
        }))
        .buffer_unordered(settings.parallel.max(1))
        .collect::<Vec<_>>()
        .await
    });
    bar.finish_and_clear();
    Ok(found)
}

/// The host (with port) of a URL, for the per-host limit.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_string()
}

async fn probe(client: &reqwest::Client, url: &str, seconds: f64) -> Verdict {
    let head = client.head(url).send().await;
    let answer = match head {
        Ok(response) if response.status().as_u16() < 400 => return Verdict::Ok,
        // HEAD refused (405, 403, 404 from servers that only know GET…): ask for the page.
        Ok(_) => client.get(url).send().await,
        Err(e) => Err(e),
    };
    match answer {
        Ok(response) if response.status().as_u16() < 400 => Verdict::Ok,
        Ok(response) => Verdict::Broken(response.status().to_string()),
        Err(e) => Verdict::Broken(why(&e, seconds)),
    }
}

/// A request error in a few words: timeout, certificate, connection.
fn why(error: &reqwest::Error, seconds: f64) -> String {
    let chain = crate::diagnostics::with_causes(error.to_string(), error);
    if error.is_timeout() {
        format!("no answer within {seconds} s")
    } else if chain.to_ascii_lowercase().contains("certificate") {
        format!("bad certificate ({chain})")
    } else if error.is_connect() {
        format!("cannot connect ({chain})")
    } else {
        chain
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hosts_keep_their_port() {
        assert_eq!(super::host("http://127.0.0.1:8080/a?b"), "127.0.0.1:8080");
        assert_eq!(super::host("https://example.org"), "example.org");
    }
}
