//! Slugs: the URL segments made from file names, titles and taxonomy terms.

use std::str::FromStr;

/// How text becomes a URL segment (`slugify:` in site.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlugMode {
    /// Latin letters only: Cyrillic and Chinese are transliterated (`Хабаровск` → `khabarovsk`).
    #[default]
    Transliterate,
    /// Letters of every script are kept, lowercased (`хабаровск`).
    Unicode,
    /// The text is kept as it is.
    Off,
}

impl FromStr for SlugMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "transliterate" => Ok(SlugMode::Transliterate),
            "unicode" => Ok(SlugMode::Unicode),
            "off" => Ok(SlugMode::Off),
            other => Err(format!(
                "slugify: unknown mode \"{other}\", expected transliterate, unicode or off"
            )),
        }
    }
}

/// Turn `text` into one URL segment according to `mode`.
pub fn slugify(text: &str, mode: SlugMode) -> String {
    match mode {
        SlugMode::Transliterate => {
            dashed(&deunicode::deunicode(text), |c| c.is_ascii_alphanumeric())
        }
        SlugMode::Unicode => dashed(text, char::is_alphanumeric),
        SlugMode::Off => text.trim().to_string(),
    }
}

/// An id for a heading: letters of every script kept, so that Cyrillic and
/// Chinese headings get readable anchors; never empty.
pub fn anchor(text: &str) -> String {
    let id = dashed(text, char::is_alphanumeric);
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

/// Lowercase `text`, keep the characters `keep` accepts, and join the runs between
/// them with single dashes.
fn dashed(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if keep(c) || c == '_' {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Whether `s` may be used as one URL segment: no separators, no dot-segments,
/// no percent-escapes that could decode to either, no control characters.
pub fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.starts_with('.')
        && !s
            .chars()
            .any(|c| matches!(c, '/' | '\\' | '%' | '?' | '#') || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_every_script() {
        let t = SlugMode::Transliterate;
        assert_eq!(
            slugify("Visit of the Governor!", t),
            "visit-of-the-governor"
        );
        assert_eq!(slugify("Хабаровск  2023", t), "khabarovsk-2023");
        assert_eq!(slugify("中国", t), "zhong-guo");
        assert_eq!(slugify("e-visa", t), "e-visa");
    }

    #[test]
    fn unicode_keeps_letters() {
        assert_eq!(slugify("Визовый Центр", SlugMode::Unicode), "визовый-центр");
        assert_eq!(slugify("签证 中心", SlugMode::Unicode), "签证-中心");
    }

    #[test]
    fn off_keeps_text() {
        assert_eq!(slugify("Mixed_Case", SlugMode::Off), "Mixed_Case");
    }

    #[test]
    fn anchors_are_never_empty() {
        assert_eq!(anchor("Программа визита"), "программа-визита");
        assert_eq!(anchor("!!!"), "section");
    }

    #[test]
    fn unsafe_segments_are_refused() {
        for bad in ["", "..", "a/b", "a\\b", "%2e%2e", ".hidden", "a\u{0}"] {
            assert!(!is_safe_segment(bad), "{bad:?}");
        }
        assert!(is_safe_segment("visit-2023"));
        assert!(is_safe_segment("визит"));
    }
}
