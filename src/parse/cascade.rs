//! `cascade:` in a section's `_index.md`: front matter keys that every article
//! below the section gets where it does not set the key itself. The nearest
//! section's value of a key wins; the article's own keys always win. A
//! cascaded value that is wrong is an error at its line of the `_index.md`.

use std::collections::HashMap;

use super::front_matter::{self, FrontMatter};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::load::{SourceFile, SourceKind, SourceTree};
use crate::yaml::YamlValue;

/// The cascades of a site: (section folder, language) → keys, as YAML values.
#[derive(Default)]
pub(super) struct Cascades(HashMap<(String, String), crate::yaml::YamlMapping>);

impl Cascades {
    /// Read every section index's `cascade:`; a wrong one is reported by the
    /// index's own parse (see `check`), so it is left out here.
    pub(super) fn new(tree: &SourceTree, config: &Config) -> Self {
        let mut cascades = HashMap::new();
        for file in tree
            .files
            .iter()
            .filter(|f| f.kind == SourceKind::SectionIndex)
        {
            let Some(mapping) = read(config, file) else {
                continue;
            };
            let lang = file
                .lang
                .clone()
                .unwrap_or_else(|| config.default_language().to_string());
            cascades.insert((file.section.clone(), lang), mapping);
        }
        Cascades(cascades)
    }

    /// The keys that reach an article in `section` (its folder) and `lang`:
    /// nearest section first; a language's own index, else the default one's.
    pub(super) fn for_article(
        &self,
        section: &str,
        lang: &str,
        config: &Config,
    ) -> crate::yaml::YamlMapping {
        let mut merged = crate::yaml::YamlMapping::new();
        let mut dir = Some(section);
        while let Some(d) = dir {
            let found = self.0.get(&(d.to_string(), lang.to_string())).or_else(|| {
                self.0
                    .get(&(d.to_string(), config.default_language().to_string()))
            });
            for (key, value) in found.into_iter().flatten() {
                if !merged.contains_key(key) {
                    merged.insert(key.clone(), value.clone());
                }
            }
            dir = match d {
                "" => None,
                d => Some(d.rsplit_once('/').map_or("", |(parent, _)| parent)),
            };
        }
        merged
    }
}

/// The `cascade:` mapping of a section index, when it has a valid one.
fn read(config: &Config, file: &SourceFile) -> Option<crate::yaml::YamlMapping> {
    let text = super::read_source(config, file).ok()?;
    let split = front_matter::split(&text).ok()?;
    let (meta, _) = front_matter::parse(split.yaml, "", &config.taxonomies);
    match *meta?.cascade? {
        YamlValue::Mapping(mapping) => Some(mapping),
        _ => None,
    }
}

/// Problems of a section index's `cascade:` value, at its lines of `path`.
pub(super) fn check(
    meta: &FrontMatter,
    yaml_text: &str,
    path: &str,
    taxonomies: &[String],
) -> Vec<Diagnostic> {
    let Some(cascade) = &meta.cascade else {
        return Vec::new();
    };
    let at = |key: &str| {
        let line = yaml_text
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")) && l.starts_with(' '))
            .map_or(0, |i| i + 2);
        SourceLocation::new(path, line, 1)
    };
    let YamlValue::Mapping(mapping) = &**cascade else {
        let line = crate::yaml::key_position(yaml_text, "cascade").map_or(1, |(l, _)| l + 1);
        return vec![Diagnostic::error(
            SourceLocation::new(path, line, 1),
            "cascade: expected a map of front matter keys",
        )];
    };
    let mut problems = Vec::new();
    for (key, value) in mapping {
        let key = key.as_str().unwrap_or_default();
        if key == "cascade" || key == "title" {
            problems.push(Diagnostic::error(
                at(key),
                format!("cascade: `{key}` cannot be cascaded"),
            ));
            continue;
        }
        let mut single = crate::yaml::YamlMapping::new();
        single.insert(YamlValue::from(key), value.clone());
        single.insert(YamlValue::from("title"), YamlValue::from("x"));
        let text = crate::yaml::to_string(&single).unwrap_or_default();
        let (_, found) = front_matter::parse(&text, path, taxonomies);
        for problem in found {
            let message = problem.message.clone();
            let diagnostic = if problem.is_error() {
                Diagnostic::error(at(key), format!("cascade: {message}"))
            } else {
                Diagnostic::warning(at(key), format!("cascade: {message}"))
            };
            problems.push(diagnostic.with_hint(problem.hint.clone()));
        }
    }
    problems
}

/// `yaml_text` with the cascaded keys it does not set added, as YAML text
/// (the article's own text first, so that its positions stay the same).
pub(super) fn apply(yaml_text: &str, cascade: &crate::yaml::YamlMapping) -> Option<String> {
    // Most articles have no cascade above them: no need to read their YAML twice.
    if cascade.is_empty() {
        return None;
    }
    let own: YamlValue = crate::yaml::from_str(yaml_text).ok()?;
    let own = match own {
        YamlValue::Mapping(m) => m,
        YamlValue::Null => crate::yaml::YamlMapping::new(),
        _ => return None,
    };
    let mut added = crate::yaml::YamlMapping::new();
    for (key, value) in cascade {
        if !own.contains_key(key) {
            added.insert(key.clone(), value.clone());
        }
    }
    if added.is_empty() {
        return None;
    }
    let extra = crate::yaml::to_string(&added).ok()?;
    Some(format!("{}\n{extra}", yaml_text.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(text: &str) -> crate::yaml::YamlMapping {
        match crate::yaml::from_str(text) {
            Ok(YamlValue::Mapping(m)) => m,
            _ => panic!("not a mapping: {text}"),
        }
    }

    #[test]
    fn keys_the_article_does_not_set_are_added_after_its_own() {
        let cascade = mapping("author: The editors\ntags: [visa]");
        let got = apply("title: A\ntags: [trade]", &cascade).expect("added");
        assert!(got.starts_with("title: A\ntags: [trade]\n"), "{got}");
        assert_eq!(
            mapping(&got).get("author").and_then(YamlValue::as_str),
            Some("The editors")
        );
        assert_eq!(
            mapping(&got).get("tags"),
            mapping("tags: [trade]").get("tags")
        );
    }

    #[test]
    fn nothing_to_cascade_leaves_the_text_alone() {
        let empty = crate::yaml::YamlMapping::new();
        assert_eq!(apply("title: A", &empty), None);
        assert_eq!(apply("not: [valid", &empty), None);
        let cascade = mapping("title: B");
        assert_eq!(apply("title: A", &cascade), None);
    }
}
