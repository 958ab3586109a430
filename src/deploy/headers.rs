//! The HTTP headers an uploaded object carries: its Content-Type, and the
//! Cache-Control of the first `cache_control` glob that matches its key.

use globset::{Glob, GlobMatcher};

/// `cache_control:` of one target, compiled.
pub(crate) struct CacheRules(Vec<(GlobMatcher, String)>);

impl CacheRules {
    /// Compile the rules in the order written. Config validation has already
    /// compiled each glob once, so a failure here cannot happen; such a rule is
    /// skipped rather than trusted.
    pub(crate) fn new(rules: &[(String, String)]) -> Self {
        CacheRules(
            rules
                .iter()
                .filter_map(|(glob, value)| {
                    Some((Glob::new(glob).ok()?.compile_matcher(), value.clone()))
                })
                .collect(),
        )
    }

    /// The Cache-Control value for `key` (`news/visit/index.html`), if any
    /// glob matches; `*` matches across folders, as in Hugo's matchers.
    pub(crate) fn for_key(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(glob, _)| glob.is_match(key))
            .map(|(_, value)| value.as_str())
    }
}

/// The Content-Type for `key`, with `charset=utf-8` for text (gazette writes
/// every text file in UTF-8).
pub(crate) fn content_type(key: &str) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "json"
                | "xml"
                | "javascript"
                | "svg"
                | "manifest+json"
                | "atom+xml"
                | "rss+xml"
                | "feed+json"
        );
    if textual {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_glob_wins() {
        let rules = CacheRules::new(&[
            ("*.html".into(), "max-age=300".into()),
            ("*".into(), "max-age=31536000".into()),
        ]);
        assert_eq!(rules.for_key("news/a/index.html"), Some("max-age=300"));
        assert_eq!(rules.for_key("style.css"), Some("max-age=31536000"));
        assert_eq!(CacheRules::new(&[]).for_key("index.html"), None);
    }

    #[test]
    fn text_is_utf8() {
        assert_eq!(content_type("ru/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("search/en/index.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("photo.webp"), "image/webp");
        assert_eq!(
            content_type("search/en/t/1.bin"),
            "application/octet-stream"
        );
    }
}
