//! The one door to the YAML parser.
//!
//! `serde_yaml` is archived; every call to it lives here so that a maintained
//! fork can replace it by changing this file alone.

use serde::de::DeserializeOwned;

/// A YAML problem at a 1-based line and column of the parsed text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    /// What is wrong, without the position.
    pub message: String,
    /// 1-based line in the parsed text, 0 when the parser gave none.
    pub line: usize,
    /// 1-based column in the parsed text, 0 when the parser gave none.
    pub col: usize,
}

/// A parsed YAML value of unknown shape (front matter leftovers, `extra`).
pub type YamlValue = serde_yaml::Value;

/// A YAML mapping (a section's `cascade:`).
pub type YamlMapping = serde_yaml::Mapping;

/// Deserialize `text` into `T`, keeping the position of any error.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let (line, col) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        YamlError {
            message: strip_position(&e.to_string()),
            line,
            col,
        }
    })
}

/// Deserialize a value already parsed (no positions left to keep).
pub fn from_value<T: DeserializeOwned>(value: YamlValue) -> Result<T, String> {
    serde_yaml::from_value(value).map_err(|e| strip_position(&e.to_string()))
}

/// Serialize `value` as YAML text (used by `gazette new` for front matter).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// serde_yaml puts " at line L column C" in its messages; we print positions our own way.
fn strip_position(message: &str) -> String {
    let Some(start) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[start + " at line ".len()..];
    let after_numbers = rest
        .split_once(" column ")
        .map(|(_, tail)| tail.trim_start_matches(|c: char| c.is_ascii_digit()))
        .unwrap_or("");
    strip_position(&format!("{}{}", &message[..start], after_numbers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only the error matters")]
    struct Small {
        title: String,
    }

    #[test]
    fn error_positions_are_one_based() {
        let err = from_str::<Small>("title: a\ntitel: b\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 1));
        assert!(
            err.message.starts_with("unknown field `titel`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = from_str::<Small>("title: \"open\n").unwrap_err();
        assert!(err.line >= 1, "{err:?}");
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }
}

/// Position (1-based line, column of the value) of a top-level `key:` in YAML text.
///
/// serde_yaml loses positions once a value is parsed; for checks made after
/// parsing (unknown keys, taxonomy values) we find the key's line by hand.
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?.trim_end();
        let after = rest.strip_prefix(':')?;
        let value_col = key.chars().count() + 2 + (after.len() - after.trim_start().len());
        Some((
            i + 1,
            if after.trim().is_empty() {
                1
            } else {
                value_col
            },
        ))
    })
}

#[cfg(test)]
mod key_position_tests {
    use super::key_position;

    #[test]
    fn finds_top_level_keys_only() {
        let text = "title: A\nextra:\n  tags: x\ntags: [a]\n";
        assert_eq!(key_position(text, "tags"), Some((4, 7)));
        assert_eq!(key_position(text, "extra"), Some((2, 1)));
        assert_eq!(key_position(text, "nope"), None);
    }
}
