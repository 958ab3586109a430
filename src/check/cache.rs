//! The day's memory of `check --external`: `.gazette-cache/external-links.json`,
//! URL → when it was checked and what was found. Entries older than a day
//! are neither used nor kept.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Verdict;

const FILE: &str = "external-links.json";
const DAY: u64 = 24 * 60 * 60;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// Seconds since 1970 (the real clock, not SOURCE_DATE_EPOCH).
    checked: u64,
    verdict: Verdict,
}

/// The cache file's content.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Cache {
    links: BTreeMap<String, Entry>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// The cache in `dir`, without entries past their day; empty when there is
    /// none or it does not parse (it is only a cache).
    pub(super) fn load(dir: &Path) -> Cache {
        let mut cache: Cache = std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let now = now();
        cache
            .links
            .retain(|_, entry| now.saturating_sub(entry.checked) < DAY);
        cache
    }

    pub(super) fn get(&self, url: &str) -> Option<&Verdict> {
        self.links.get(url).map(|entry| &entry.verdict)
    }

    pub(super) fn put(&mut self, url: &str, verdict: Verdict) {
        let entry = Entry {
            checked: now(),
            verdict,
        };
        self.links.insert(url.to_string(), entry);
    }

    pub(super) fn save(&self, dir: &Path) -> Result<(), String> {
        let fail = |e: std::io::Error| format!("cannot write the link cache: {e}");
        std::fs::create_dir_all(dir).map_err(fail)?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(dir.join(FILE), json).map_err(fail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_last_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::default();
        cache.put("https://a.org/", Verdict::Ok);
        cache.put("https://b.org/", Verdict::Broken("404 Not Found".into()));
        cache.links.get_mut("https://b.org/").unwrap().checked = now() - DAY - 1;
        cache.save(dir.path()).unwrap();
        let again = Cache::load(dir.path());
        assert_eq!(again.get("https://a.org/"), Some(&Verdict::Ok));
        assert_eq!(again.get("https://b.org/"), None);
    }
}
