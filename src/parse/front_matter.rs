//! Front matter: the YAML block between the first two `---` lines, into `FrontMatter`.
//!
//! Positions in errors are lines of the whole file (the YAML starts on line 2).
//! Only the first block at the very top counts; later `---` lines are Markdown.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::dates::DateValue;
use crate::diagnostics::{Diagnostic, SourceLocation, did_you_mean};
use crate::yaml::{self, YamlValue};

/// How a section orders its articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first.
    #[default]
    Date,
    /// Lightest first.
    Weight,
    /// Alphabetical.
    Title,
}

/// Front matter of an article or a section index, every key of the SPEC typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FrontMatter {
    /// Required for every page.
    #[serde(default, deserialize_with = "scalar_text")]
    pub title: Option<String>,
    /// Publication time.
    #[serde(default)]
    pub date: Option<DateValue>,
    /// Last update.
    #[serde(default)]
    pub updated: Option<DateValue>,
    /// After it the article leaves lists, feeds and the sitemap.
    #[serde(default)]
    pub expires: Option<DateValue>,
    /// One author.
    #[serde(default, deserialize_with = "scalar_text")]
    pub author: Option<String>,
    /// Several authors (also one string).
    #[serde(default, deserialize_with = "one_or_many")]
    pub authors: Vec<String>,
    /// Summary shown in lists and feeds (an article's moves to its
    /// `ParsedArticle::summary_html` and `description` when it is resolved).
    #[serde(default, deserialize_with = "scalar_text")]
    pub summary: Option<String>,
    /// `<meta name="description">` (an article's moves to its `ParsedArticle::description`).
    #[serde(default, deserialize_with = "scalar_text")]
    pub description: Option<String>,
    /// Not published unless `--drafts`.
    #[serde(default)]
    pub draft: Option<bool>,
    /// Last URL segment.
    #[serde(default, deserialize_with = "scalar_text")]
    pub slug: Option<String>,
    /// Order where sections sort by weight.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Old URLs that redirect here.
    #[serde(default, deserialize_with = "one_or_many")]
    pub aliases: Vec<String>,
    /// Lead image.
    #[serde(default, deserialize_with = "scalar_text")]
    pub image: Option<String>,
    /// Its alt text.
    #[serde(default, deserialize_with = "scalar_text")]
    pub image_alt: Option<String>,
    /// Template instead of the default.
    #[serde(default, deserialize_with = "scalar_text")]
    pub template: Option<String>,
    /// Language, when the file name does not say it.
    #[serde(default, deserialize_with = "scalar_text")]
    pub lang: Option<String>,
    /// Links translations whose file names differ.
    #[serde(default, deserialize_with = "scalar_text")]
    pub translation_key: Option<String>,
    /// Free map for templates (boxed, as most articles have none and every
    /// article's front matter is held for the build).
    #[serde(default)]
    pub extra: Option<Box<YamlValue>>,
    /// Section only: order of its articles.
    #[serde(default)]
    pub sort_by: Option<SortBy>,
    /// Section only: items per list page.
    #[serde(default)]
    pub paginate_by: Option<usize>,
    /// Section only: template for its articles.
    #[serde(default, deserialize_with = "scalar_text")]
    pub page_template: Option<String>,
    /// Section only: its articles join the parent's list.
    #[serde(default)]
    pub transparent: Option<bool>,
    /// Section only: keys every article below gets where it does not set them.
    #[serde(default)]
    pub cascade: Option<Box<YamlValue>>,
    /// Taxonomy terms by taxonomy name, filled from the remaining keys.
    #[serde(skip)]
    pub taxonomies: WrittenTerms,
    /// Where the keys whose values later stages look up are written, so that
    /// their errors point at the line.
    #[serde(skip)]
    pub positions: KeyPositions,
    /// Keys not listed above (taxonomies, unknown keys), checked after parsing.
    #[serde(flatten)]
    rest: BTreeMap<String, YamlValue>,
}

/// Keys whose values are looked up after parsing (templates, files, other articles).
const LOOKED_UP_KEYS: &[&str] = &[
    "slug",
    "template",
    "page_template",
    "image",
    "aliases",
    "translation_key",
    "lang",
];

/// Terms by taxonomy name, in the order the front matter writes them. An
/// article names one or two taxonomies, and a map's node would take several
/// times their room in every article the build holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WrittenTerms(Vec<(String, Vec<String>)>);

impl WrittenTerms {
    /// The terms written for `taxonomy`.
    pub fn get(&self, taxonomy: &str) -> Option<&Vec<String>> {
        self.0
            .iter()
            .find(|(name, _)| name == taxonomy)
            .map(|(_, terms)| terms)
    }

    /// The terms of `taxonomy`, empty until some are written.
    fn entry(&mut self, taxonomy: String) -> &mut Vec<String> {
        let at = match self.0.iter().position(|(name, _)| *name == taxonomy) {
            Some(at) => at,
            None => {
                self.0.push((taxonomy, Vec::new()));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }

    /// Without the room the lists grew into: the build holds every
    /// article's terms until its end.
    fn fit(&mut self) {
        for (_, terms) in &mut self.0 {
            terms.shrink_to_fit();
        }
        self.0.shrink_to_fit();
    }
}

/// File line and column of the value of each looked-up key that is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPositions(Vec<(&'static str, u32, u32)>);

impl KeyPositions {
    fn find(yaml_text: &str) -> KeyPositions {
        KeyPositions(
            LOOKED_UP_KEYS
                .iter()
                .filter_map(|&key| {
                    let (line, col) = yaml::key_position(yaml_text, key)?;
                    Some((key, (line + 1) as u32, col as u32))
                })
                .collect(),
        )
    }

    /// Where `key` is written in the file at `path` (the file alone when it is not).
    pub fn location(&self, path: &str, key: &str) -> SourceLocation {
        match self.0.iter().find(|(k, ..)| *k == key) {
            Some(&(_, line, col)) => SourceLocation::new(path, line as usize, col as usize),
            None => SourceLocation::file(path),
        }
    }
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "expires",
    "author",
    "authors",
    "summary",
    "description",
    "draft",
    "slug",
    "weight",
    "aliases",
    "image",
    "image_alt",
    "template",
    "lang",
    "translation_key",
    "extra",
    "sort_by",
    "paginate_by",
    "page_template",
    "transparent",
    "cascade",
];

/// The text of a file split at its front matter.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The Markdown after the closing line.
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

/// Split `text` (BOM and CR already removed) at its front matter.
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != "---" {
        return Err((1, "no front matter: expected a `---` line at the top, then YAML with at least `title:`, then `---`".into()));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (i, line) in lines.enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[offset + line.len()..],
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err((
        1,
        "front matter never closed: expected a `---` line after the YAML block".into(),
    ))
}

/// Parse the YAML of a file's front matter; `taxonomies` names the keys that carry terms.
/// Errors and warnings point at lines of the whole file.
pub fn parse(
    yaml_text: &str,
    path: &str,
    taxonomies: &[String],
) -> (Option<FrontMatter>, Vec<Diagnostic>) {
    // The YAML block starts on the file's second line.
    let at = |line: usize, col: usize| {
        SourceLocation::new(path, if line == 0 { 1 } else { line + 1 }, col.max(1))
    };
    let mut problems = Vec::new();
    let parsed: Result<Option<FrontMatter>, _> = if yaml_text.trim().is_empty() {
        Ok(None)
    } else {
        yaml::from_str(yaml_text)
    };
    let mut meta = match parsed {
        Ok(Some(meta)) => meta,
        Ok(None) => FrontMatter::default(),
        Err(e) => {
            // serde_yaml points a duplicate key at its mapping; point at the second occurrence.
            let (line, col) = duplicate_key_line(yaml_text, &e.message).unwrap_or((e.line, e.col));
            let e = crate::yaml::YamlError { line, col, ..e };
            let message =
                if e.message.starts_with("invalid type") && e.line <= 1 && !e.message.contains(':')
                {
                    format!("front matter: {}, expected `key: value` lines", e.message)
                } else {
                    e.message
                };
            problems.push(Diagnostic::error(at(e.line, e.col), message));
            return (None, problems);
        }
    };
    let key_at = |key: &str| {
        let (line, col) = yaml::key_position(yaml_text, key).unwrap_or((0, 1));
        at(line, col)
    };
    if meta.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        problems.push(Diagnostic::error(
            key_at("title"),
            "title: missing, expected `title: <text>` in the front matter",
        ));
    }
    for (key, value) in std::mem::take(&mut meta.rest) {
        if key == "taxonomies" {
            // Zola writes `taxonomies: { tags: [..] }`: the same terms.
            zola_taxonomies(value, taxonomies, &mut meta, &mut problems, &key_at(&key));
        } else if taxonomies.contains(&key) {
            match yaml::from_value::<OneOrMany>(value) {
                Ok(terms) => {
                    *meta.taxonomies.entry(key) = terms.0;
                }
                Err(message) => {
                    problems.push(Diagnostic::error(key_at(&key), format!("{key}: {message}")))
                }
            }
        } else {
            let candidates = KNOWN_KEYS
                .iter()
                .copied()
                .chain(taxonomies.iter().map(String::as_str));
            problems.push(
                Diagnostic::warning(key_at(&key), format!("unknown front matter key `{key}`"))
                    .with_hint(did_you_mean(&key, candidates)),
            );
        }
    }
    meta.taxonomies.fit();
    meta.positions = KeyPositions::find(yaml_text);
    let problems_are_errors = problems.iter().any(Diagnostic::is_error);
    (
        if problems_are_errors {
            None
        } else {
            Some(meta)
        },
        problems,
    )
}

/// `taxonomies: { tags: [a, b] }` (Zola's form) into the article's terms.
fn zola_taxonomies(
    value: YamlValue,
    taxonomies: &[String],
    meta: &mut FrontMatter,
    problems: &mut Vec<Diagnostic>,
    at: &SourceLocation,
) {
    let YamlValue::Mapping(map) = value else {
        problems.push(Diagnostic::error(
            at.clone(),
            "taxonomies: expected a map of taxonomy names to terms, such as `taxonomies: { tags: [visa] }`",
        ));
        return;
    };
    for (name, terms) in map {
        let name = name.as_str().unwrap_or_default().to_string();
        if !taxonomies.contains(&name) {
            let hint = did_you_mean(&name, taxonomies.iter().map(String::as_str));
            problems.push(
                Diagnostic::warning(
                    at.clone(),
                    format!("taxonomies: `{name}` is not a taxonomy of site.yaml"),
                )
                .with_hint(hint),
            );
            continue;
        }
        match yaml::from_value::<OneOrMany>(terms) {
            Ok(terms) => meta.taxonomies.entry(name).extend(terms.0),
            Err(message) => problems.push(Diagnostic::error(
                at.clone(),
                format!("taxonomies: {name}: {message}"),
            )),
        }
    }
}

/// A list of strings that may be written as one string (`tags: visa`).
#[derive(Debug, Default)]
struct OneOrMany(Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_unit<E: de::Error>(self) -> Result<OneOrMany, E> {
                Ok(OneOrMany::default())
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                let v = v.trim();
                Ok(OneOrMany(if v.is_empty() {
                    vec![]
                } else {
                    vec![v.to_string()]
                }))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Scalar>()? {
                    if !item.0.trim().is_empty() {
                        items.push(item.0.trim().to_string());
                    }
                }
                Ok(OneOrMany(items))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

/// A string, also accepting numbers and booleans as their text (`title: 1984`).
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

fn scalar_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Scalar>::deserialize(deserializer)?.map(|s| s.0))
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<OneOrMany>::deserialize(deserializer)?
        .unwrap_or_default()
        .0)
}

/// The line of the second `key:` when `message` reports a duplicate key.
fn duplicate_key_line(yaml_text: &str, message: &str) -> Option<(usize, usize)> {
    let key = message
        .strip_prefix("duplicate field `")?
        .split('`')
        .next()?;
    let mut seen = 0;
    for (i, line) in yaml_text.lines().enumerate() {
        if line
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            seen += 1;
            if seen == 2 {
                return Some((i + 1, 1));
            }
        }
    }
    None
}

/// Where `key` is written in a file's front matter (for checks made after parsing).
pub fn key_location(yaml_text: &str, path: &str, key: &str) -> SourceLocation {
    let (line, col) = yaml::key_position(yaml_text, key).unwrap_or((0, 1));
    SourceLocation::new(path, line + 1, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taxonomies() -> Vec<String> {
        vec!["tags".into(), "categories".into()]
    }

    fn parse_ok(yaml: &str) -> FrontMatter {
        let (meta, problems) = parse(yaml, "a.md", &taxonomies());
        assert!(problems.iter().all(|p| !p.is_error()), "{problems:?}");
        meta.unwrap()
    }

    fn first_error(yaml: &str) -> String {
        let (_, problems) = parse(yaml, "a.md", &taxonomies());
        problems
            .into_iter()
            .find(Diagnostic::is_error)
            .expect("an error")
            .to_string()
    }

    #[test]
    fn splits_only_the_first_block() {
        let s = split("---\ntitle: A\n---\nbody\n---\nmore\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "body\n---\nmore\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn missing_and_unclosed_blocks_are_errors() {
        assert!(
            split("# Title\n")
                .unwrap_err()
                .1
                .starts_with("no front matter")
        );
        assert!(
            split("---\ntitle: A\nbody")
                .unwrap_err()
                .1
                .starts_with("front matter never closed")
        );
        assert!(split("").is_err());
    }

    #[test]
    fn lists_take_one_string_and_empty_means_absent() {
        let meta = parse_ok("title: A\ntags: visa\ncategories:\nauthors: Li Wei\n");
        assert_eq!(meta.taxonomies.get("tags").unwrap(), &["visa"]);
        assert!(meta.taxonomies.get("categories").unwrap().is_empty());
        assert_eq!(meta.authors, ["Li Wei"]);
    }

    #[test]
    fn written_terms_hold_no_room_they_do_not_use() {
        let meta = parse_ok("title: A\ntags: [a, b, c]\ncategories: [x]\n");
        assert_eq!(meta.taxonomies.0.capacity(), 2);
        for (_, terms) in &meta.taxonomies.0 {
            assert_eq!(terms.capacity(), terms.len());
        }
    }

    #[test]
    fn numbers_are_text_where_text_is_expected() {
        let meta = parse_ok("title: 1984\ntags: [2023, visa]\n");
        assert_eq!(meta.title.as_deref(), Some("1984"));
        assert_eq!(meta.taxonomies.get("tags").unwrap(), &["2023", "visa"]);
    }

    #[test]
    fn bad_date_names_line_and_column() {
        assert_eq!(
            first_error("title: A\nlayout: x\ndate: 2023-13-01\n"),
            "a.md:4:7: date: invalid date \"2023-13-01\", expected YYYY-MM-DD, YYYY/MM/DD, YYYY-MM-DD HH:MM[:SS] [+HHMM] or RFC 3339"
        );
    }

    #[test]
    fn wrong_types_name_the_key() {
        let error = first_error("title: A\ndraft: \"yes please\"\n");
        assert!(
            error.starts_with("a.md:3:8: draft: invalid type"),
            "{error}"
        );
        let error = first_error("title: A\ntags: 5\n");
        assert!(error.starts_with("a.md:3:7: tags:"), "{error}");
    }

    #[test]
    fn looked_up_keys_keep_their_lines() {
        let meta = parse_ok("title: A\ntemplate: custom.html\nextra:\n  image: x\nimage: a.jpg\n");
        assert_eq!(
            meta.positions.location("a.md", "template").to_string(),
            "a.md:3:11"
        );
        assert_eq!(
            meta.positions.location("a.md", "image").to_string(),
            "a.md:6:8"
        );
        assert_eq!(meta.positions.location("a.md", "lang").to_string(), "a.md");
    }

    #[test]
    fn zola_taxonomies_become_terms() {
        let meta = parse_ok("title: A\ntaxonomies:\n  tags: [visa, trade]\n  categories: Amur\n");
        assert_eq!(meta.taxonomies.get("tags").unwrap(), &["visa", "trade"]);
        assert_eq!(meta.taxonomies.get("categories").unwrap(), &["Amur"]);
        let (_, problems) = parse(
            "title: A\ntaxonomies:\n  tagz: [x]\n",
            "a.md",
            &taxonomies(),
        );
        assert!(
            problems[0].to_string().contains("`tagz` is not a taxonomy"),
            "{problems:?}"
        );
    }

    #[test]
    fn missing_title_is_an_error() {
        assert!(first_error("date: 2023-01-01\n").starts_with("a.md:1:1: title: missing"));
        assert!(first_error("title:\n").starts_with("a.md:2:1: title: missing"));
    }

    #[test]
    fn unknown_keys_warn_with_a_hint() {
        let (meta, problems) = parse("title: A\ntgas: [x]\n", "a.md", &taxonomies());
        assert!(meta.is_some());
        assert_eq!(
            problems[0].to_string(),
            "a.md:3:7: warning: unknown front matter key `tgas` (did you mean `tags`?)"
        );
    }

    #[test]
    fn yaml_syntax_errors_point_into_the_file() {
        let error = first_error("title: A\ndate: \"2023-01-01\nx: 1\n");
        assert!(error.starts_with("a.md:"), "{error}");
        let error = first_error("title: A\ntitle: B\n");
        assert!(error.contains("duplicate"), "{error}");
    }
}
