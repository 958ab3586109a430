//! `deploy:` in site.yaml: where `gazette deploy` publishes, validated here so
//! that a mistake is reported with the rest of site.yaml's problems.

use crate::yaml::{YamlMapping, YamlValue};

/// One entry of `deploy.targets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployTarget {
    /// The name `--target` picks (`production`).
    pub name: String,
    /// `s3://bucket/prefix?endpoint=…&region=…`, `gs://bucket/prefix` or
    /// `azblob://container/prefix`.
    pub url: String,
    /// `cache_control:` as written: glob → Cache-Control value, the first
    /// matching glob wins.
    pub cache_control: Vec<(String, String)>,
}

/// The URL schemes a target may use.
const SCHEMES: &[&str] = &["s3", "gs", "azblob"];

/// Words that mark a credential, which belongs in the environment.
const SECRET_WORDS: &[&str] = &["key", "secret", "token", "password", "credential", "sas"];

/// Validate `deploy:`; every problem is a message starting with its key.
pub(super) fn targets(raw: Option<YamlValue>) -> Result<Vec<DeployTarget>, Vec<String>> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let mut problems = Vec::new();
    let Some(deploy) = raw.as_mapping() else {
        return Err(vec![
            "deploy: expected a map with `targets:` (a list of { name, url, cache_control })"
                .into(),
        ]);
    };
    for (key, _) in deploy {
        if key.as_str() != Some("targets") {
            problems.push(format!(
                "deploy: unknown key `{}`, expected `targets`",
                key_text(key)
            ));
        }
    }
    let list = match deploy.get("targets") {
        None => Vec::new(),
        Some(YamlValue::Sequence(list)) => list.clone(),
        Some(_) => {
            problems.push("deploy.targets: expected a list of { name, url, cache_control }".into());
            Vec::new()
        }
    };
    let mut found: Vec<DeployTarget> = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        match target(entry, i) {
            Ok(t) if found.iter().any(|f| f.name == t.name) => problems.push(format!(
                "deploy.targets[{i}]: a second target named \"{}\"",
                t.name
            )),
            Ok(t) => found.push(t),
            Err(mut more) => problems.append(&mut more),
        }
    }
    if problems.is_empty() {
        Ok(found)
    } else {
        Err(problems)
    }
}

fn target(entry: &YamlValue, i: usize) -> Result<DeployTarget, Vec<String>> {
    let at = format!("deploy.targets[{i}]");
    let Some(map) = entry.as_mapping() else {
        return Err(vec![format!(
            "{at}: expected {{ name, url, cache_control }}"
        )]);
    };
    let mut problems = Vec::new();
    for (key, _) in map {
        let key = key_text(key);
        if is_secret(&key) {
            problems.push(secret_message(&at, &key));
        } else if !["name", "url", "cache_control"].contains(&key.as_str()) {
            problems.push(format!(
                "{at}: unknown key `{key}`, expected name, url or cache_control"
            ));
        }
    }
    let text = |key: &str| map.get(key).and_then(YamlValue::as_str).map(str::to_string);
    let name = text("name").unwrap_or_default();
    if name.trim().is_empty() {
        problems.push(format!("{at}: `name` is missing (a word for --target)"));
    }
    let url = text("url").unwrap_or_default();
    if let Err(message) = check_url(&url) {
        problems.push(format!("{at}.url: {message}"));
    }
    let cache_control = match map.get("cache_control") {
        None => Vec::new(),
        Some(YamlValue::Mapping(rules)) => cache_rules(rules, &at, &mut problems),
        Some(_) => {
            problems.push(format!(
                "{at}.cache_control: expected a map of glob → Cache-Control value"
            ));
            Vec::new()
        }
    };
    if problems.is_empty() {
        Ok(DeployTarget {
            name,
            url,
            cache_control,
        })
    } else {
        Err(problems)
    }
}

fn cache_rules(rules: &YamlMapping, at: &str, problems: &mut Vec<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (glob, value) in rules {
        let glob = key_text(glob);
        match value.as_str() {
            Some(value) => match globset::Glob::new(&glob) {
                Ok(_) => out.push((glob, value.to_string())),
                Err(e) => problems.push(format!("{at}.cache_control: bad glob \"{glob}\": {e}")),
            },
            None => problems.push(format!(
                "{at}.cache_control.\"{glob}\": expected a text such as \"max-age=300\""
            )),
        }
    }
    out
}

/// The scheme is known, there is a bucket, and no credential rides in the query.
fn check_url(url: &str) -> Result<(), String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!(
            "\"{url}\" is not a target URL, expected s3://bucket/prefix, gs://… or azblob://…"
        ));
    };
    if !SCHEMES.contains(&scheme) {
        return Err(format!(
            "unknown scheme \"{scheme}\", expected s3, gs or azblob"
        ));
    }
    let (place, query) = rest.split_once('?').unwrap_or((rest, ""));
    if place.split('/').next().is_none_or(str::is_empty) {
        return Err(format!("\"{url}\" names no bucket"));
    }
    if place.contains('@') {
        return Err(secret_message("url", "user:password@"));
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let key = pair.split_once('=').map_or(pair, |(k, _)| k);
        if is_secret(key) {
            return Err(secret_message("url", key));
        }
        if !["endpoint", "region"].contains(&key) {
            return Err(format!(
                "unknown query parameter \"{key}\", expected endpoint or region"
            ));
        }
    }
    Ok(())
}

fn is_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|w| key.contains(w))
}

fn secret_message(at: &str, key: &str) -> String {
    format!(
        "{at}: `{key}` looks like a credential; credentials never go in site.yaml, \
         set the provider's environment variables instead (AWS_ACCESS_KEY_ID and \
         AWS_SECRET_ACCESS_KEY, GOOGLE_APPLICATION_CREDENTIALS, AZURE_STORAGE_ACCOUNT_KEY)"
    )
}

fn key_text(key: &YamlValue) -> String {
    match key {
        YamlValue::String(s) => s.clone(),
        other => crate::yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<DeployTarget>, Vec<String>> {
        targets(Some(crate::yaml::from_str(text).unwrap()))
    }

    #[test]
    fn keeps_cache_rules_in_the_order_written() {
        let found = parse(
            "targets:\n  - { name: production, url: \"s3://b/p?region=eu-central-1\", cache_control: { \"*.html\": \"max-age=300\", \"*\": \"max-age=31536000\" } }\n",
        )
        .unwrap();
        assert_eq!(found[0].name, "production");
        assert_eq!(
            found[0].cache_control,
            [
                ("*.html".to_string(), "max-age=300".to_string()),
                ("*".to_string(), "max-age=31536000".to_string())
            ]
        );
    }

    #[test]
    fn a_credential_in_site_yaml_is_an_error() {
        let errors = parse("targets:\n  - { name: p, url: \"s3://b\", secret_access_key: x }\n")
            .unwrap_err();
        assert!(
            errors[0].contains("credentials never go in site.yaml"),
            "{errors:?}"
        );
        let errors =
            parse("targets:\n  - { name: p, url: \"s3://b?access_key_id=AK\" }\n").unwrap_err();
        assert!(
            errors[0].contains("credentials never go in site.yaml"),
            "{errors:?}"
        );
    }

    #[test]
    fn bad_targets_are_all_reported() {
        let errors = parse(
            "targets:\n  - { name: a, url: \"ftp://b\" }\n  - { name: a, url: \"s3://\" }\n  - { url: \"gs://b\" }\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("unknown scheme \"ftp\""));
        assert!(errors[1].contains("names no bucket"));
        assert!(errors[2].contains("`name` is missing"));
    }
}
