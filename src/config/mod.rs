//! Stage 0: site.yaml → `Config`, validated, with this build's options applied.
//!
//! `RawConfig` (raw.rs) mirrors the file; `Config` is what later stages use:
//! languages resolved (default first), time zone parsed, base URL split.

mod deploy;
mod raw;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::diagnostics::{Diagnostic, SourceLocation, did_you_mean};
use crate::slug::SlugMode;
use crate::yaml;
pub use deploy::DeployTarget;
use raw::{KNOWN_KEYS, RawConfig, RawFeeds, RawLanguage};

/// The file name of the site configuration.
pub const CONFIG_FILE: &str = "site.yaml";

/// One language of the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// BCP 47 code (`en`, `ru`, `zh-Hans`).
    pub code: String,
    /// The site title in this language.
    pub title: String,
    /// The site description in this language.
    pub description: String,
    /// UI string overrides from site.yaml (`languages.<code>.strings`).
    pub strings: BTreeMap<String, UiText>,
    /// Menus of this language by name: its own (`languages.<code>.menus`),
    /// else the site's (`menus:`).
    pub menus: BTreeMap<String, Vec<MenuItem>>,
}

/// One entry of a menu in site.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// What the link says.
    pub name: String,
    /// `@/news/_index.md` (a content file, resolved per language), a site path or an external URL.
    pub url: String,
    /// Order in the menu (lightest first; then as written).
    #[serde(default)]
    pub weight: i64,
}

/// A UI string: a text, or a text per CLDR plural category
/// (`{ one: "{count} материал", few: …, many: …, other: … }`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(untagged)]
pub enum UiText {
    /// The same text for every count (`{count}` is replaced when one is given).
    Text(String),
    /// Category (`zero`, `one`, `two`, `few`, `many`, `other`) → text.
    Plural(BTreeMap<String, String>),
}

/// The plural categories CLDR names.
pub const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

impl UiText {
    /// What is wrong with a plural map (unknown category, no `other`), if anything.
    pub fn problem(&self) -> Option<String> {
        let UiText::Plural(forms) = self else {
            return None;
        };
        if let Some(bad) = forms
            .keys()
            .find(|k| !PLURAL_CATEGORIES.contains(&k.as_str()))
        {
            return Some(format!(
                "unknown plural category `{bad}`, expected zero, one, two, few, many or other"
            ));
        }
        (!forms.contains_key("other")).then(|| "a plural string needs an `other` form".to_string())
    }
}

/// A kind of feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedKind {
    /// Atom 1.0, `atom.xml`.
    Atom,
    /// RSS 2.0, `rss.xml`.
    Rss,
    /// JSON Feed 1.1, `feed.json`.
    Json,
}

impl FeedKind {
    const ALL: [(&'static str, FeedKind); 3] = [
        ("atom", FeedKind::Atom),
        ("rss", FeedKind::Rss),
        ("json", FeedKind::Json),
    ];

    /// The file name of this kind of feed beside its page (`atom.xml`).
    pub fn file_name(self) -> &'static str {
        match self {
            FeedKind::Atom => "atom.xml",
            FeedKind::Rss => "rss.xml",
            FeedKind::Json => "feed.json",
        }
    }

    /// Its media type, for `<link rel="alternate" type=…>`.
    pub fn media_type(self) -> &'static str {
        match self {
            FeedKind::Atom => "application/atom+xml",
            FeedKind::Rss => "application/rss+xml",
            FeedKind::Json => "application/feed+json",
        }
    }

    /// Its name in site.yaml.
    pub fn name(self) -> &'static str {
        FeedKind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("atom", |(n, _)| n)
    }
}

/// `feeds:` as written → the kinds, in the order atom, rss, json.
fn feed_kinds(raw: Option<RawFeeds>) -> Result<Vec<FeedKind>, Diagnostic> {
    let names = match raw {
        None | Some(RawFeeds::Switch(true)) => return Ok(vec![FeedKind::Atom]),
        Some(RawFeeds::Switch(false)) => return Ok(Vec::new()),
        Some(RawFeeds::Kinds(names)) => names,
    };
    let mut kinds = Vec::new();
    for name in names {
        let Some((_, kind)) = FeedKind::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        else {
            let hint = did_you_mean(&name, FeedKind::ALL.iter().map(|(n, _)| *n));
            return Err(Diagnostic::general(format!(
                "feeds: unknown kind \"{name}\", expected atom, rss or json"
            ))
            .with_hint(hint));
        };
        kinds.push(*kind);
    }
    kinds.sort_by_key(|k| FeedKind::ALL.iter().position(|(_, a)| a == k));
    kinds.dedup();
    Ok(kinds)
}

/// Options given on the command line that shape a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Publish drafts and future-dated articles.
    pub drafts: bool,
    /// Replace site.yaml's `base_url` (previews on another host).
    pub base_url: Option<String>,
    /// `gazette check`: also report what only an editor's review needs (duplicate titles).
    pub review: bool,
    /// `gazette check --translations`: make the translation coverage report.
    pub translations: bool,
    /// `gazette check --external`: collect the links to other sites.
    pub external_links: bool,
    /// Told the name of each stage as it starts (the progress display).
    pub progress: StageListener,
}

/// A callback told what a build is doing (`"parsing"`), for a progress display.
#[derive(Clone, Default)]
pub struct StageListener(Option<std::sync::Arc<dyn Fn(&'static str) + Send + Sync>>);

impl StageListener {
    /// A listener calling `tell` with each stage's name.
    pub fn new(tell: impl Fn(&'static str) + Send + Sync + 'static) -> Self {
        StageListener(Some(std::sync::Arc::new(tell)))
    }

    /// Say that `stage` starts.
    pub fn tell(&self, stage: &'static str) {
        if let Some(tell) = &self.0 {
            tell(stage);
        }
    }
}

impl std::fmt::Debug for StageListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "StageListener(set)"
        } else {
            "StageListener(none)"
        })
    }
}

/// The validated configuration of one build.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site folder.
    pub root: PathBuf,
    /// Site title in the default language.
    pub title: String,
    /// Absolute base URL without a trailing slash (`https://example.org/portal`).
    pub base_url: String,
    /// The path part of `base_url` (`/portal`, or empty): prefix of every site URL.
    pub base_path: String,
    /// Site description in the default language.
    pub description: String,
    /// Every language, the default one first, then the others by code.
    pub languages: Vec<Language>,
    /// Zone of dates written without an offset.
    pub timezone: Tz,
    /// Default number of items per list page.
    pub paginate_by: usize,
    /// Taxonomy names (`tags`, `categories`, `authors`).
    pub taxonomies: Vec<String>,
    /// The kinds of feed written for the site, each section and each term (none: no feeds).
    pub feeds: Vec<FeedKind>,
    /// Whether the search index and page are made (where the theme has `search.html`).
    pub search: bool,
    /// Untranslated articles appear in the other languages' lists (never their feeds).
    pub translation_fallback: bool,
    /// `news_sitemap:` given: write `/sitemap-news.xml`, with this publication
    /// name (`None`: each language's site title).
    pub news_sitemap: Option<Option<String>>,
    /// syntect theme for code highlighting.
    pub highlight_theme: String,
    /// How slugs are made.
    pub slugify: SlugMode,
    /// Whether raw HTML in Markdown is passed through (editors are trusted by default).
    pub unsafe_html: bool,
    /// A UI string missing in a language falls back to the default language's (with a warning).
    pub strings_fallback: bool,
    /// Links to other sites open in a new tab.
    pub external_links_new_tab: bool,
    /// Links to other sites get `rel="nofollow"`.
    pub external_links_nofollow: bool,
    /// Minify HTML, CSS and JS in the output.
    pub minify: bool,
    /// Where `gazette deploy` publishes (`deploy.targets`), in the order written.
    pub deploy: Vec<DeployTarget>,
    /// `extra:` as JSON, for templates.
    pub extra: serde_json::Value,
    /// Publish drafts and future articles.
    pub drafts: bool,
    /// Report review warnings (duplicate titles), as `gazette check` does.
    pub review: bool,
    /// Keep each article's links to other sites for `gazette check --external`
    /// (else they are dropped after the parse).
    pub external_links: bool,
    /// "Now" for this build: `SOURCE_DATE_EPOCH` when set, else the clock.
    pub now: DateTime<Utc>,
}

impl Config {
    /// The default language's code.
    pub fn default_language(&self) -> &str {
        &self.languages[0].code
    }

    /// Whether `code` is one of the site's languages.
    pub fn has_language(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l.code == code)
    }

    /// The site language that a code written in a file name or a `lang:` key
    /// means, matched as BCP 47 tags: case and `_`/`-` do not matter, and a more
    /// specific tag (`zh_cn`, `zh-Hans-CN`) means the configured one it extends
    /// (`zh`, or `zh-Hans`). The flag says whether the match was only by extension.
    pub fn match_language(&self, written: &str) -> Option<(&str, bool)> {
        let written = normalize_tag(written);
        let expanded = with_likely_script(&written);
        let mut best: Option<(&str, usize)> = None;
        for language in &self.languages {
            let code = normalize_tag(&language.code);
            if code == written {
                return Some((&language.code, false));
            }
            let extends = |tag: &str| {
                tag.strip_prefix(code.as_str())
                    .is_some_and(|rest| rest.starts_with('-'))
            };
            let better = best.is_none_or(|(_, len)| code.len() > len);
            if (extends(&written) || expanded.as_deref().is_some_and(extends)) && better {
                best = Some((&language.code, code.len()));
            }
        }
        best.map(|(code, _)| (code, true))
    }

    /// The site's language codes, for messages: `en, ru, zh`.
    pub fn language_codes(&self) -> String {
        let codes: Vec<&str> = self.languages.iter().map(|l| l.code.as_str()).collect();
        codes.join(", ")
    }

    /// The URL prefix of a language: empty for the default one, `/ru` otherwise.
    pub fn language_prefix(&self, code: &str) -> String {
        if code == self.default_language() {
            self.base_path.clone()
        } else {
            format!("{}/{code}", self.base_path)
        }
    }

    /// The absolute form of a site URL (`/news/` → `https://example.org/news/`).
    pub fn absolute(&self, url: &str) -> String {
        let origin = &self.base_url[..self.base_url.len() - self.base_path.len()];
        format!("{origin}{url}")
    }

    /// Fingerprint of every setting except the clock: "now" reaches pages only
    /// through which articles are published or expired, which callers account for.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::BuildHasher;
        let mut settings = self.clone();
        settings.now = DateTime::UNIX_EPOCH;
        rustc_hash::FxBuildHasher.hash_one(format!("{settings:?}"))
    }

    /// Load and validate `root/site.yaml`; every problem found is returned.
    pub fn load(root: &Path, options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let here = |line, col| SourceLocation::new(CONFIG_FILE, line, col);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::error(
                SourceLocation::file(CONFIG_FILE),
                format!("cannot read the site configuration: {e}"),
            )]
        })?;
        let raw: RawConfig = yaml::from_str(&text).map_err(|e| {
            let hint =
                unknown_field(&e.message).and_then(|f| did_you_mean(f, KNOWN_KEYS.iter().copied()));
            vec![Diagnostic::error(here(e.line, e.col), e.message).with_hint(hint)]
        })?;
        let at_key = |key: &str| {
            let (line, col) = yaml::key_position(&text, key).unwrap_or((0, 0));
            here(line, col)
        };
        resolve(raw, root, options, &at_key)
    }
}

/// The field name in serde's "unknown field `x`, expected …" message.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.split("unknown field `").nth(1)?;
    rest.split('`').next()
}

/// The problems found while resolving site.yaml, each at its key.
struct Checks<'a> {
    errors: Vec<Diagnostic>,
    at_key: &'a dyn Fn(&str) -> SourceLocation,
}

impl Checks<'_> {
    /// Note `result`'s error at `key`.
    fn check(&mut self, result: Result<(), String>, key: &str) {
        if let Err(message) = result {
            self.errors
                .push(Diagnostic::error((self.at_key)(key), message));
        }
    }

    /// `result`'s value, else `fallback` with its error noted at `key`.
    fn or<T>(&mut self, result: Result<T, String>, key: &str, fallback: T) -> T {
        result.unwrap_or_else(|message| {
            self.check(Err(message), key);
            fallback
        })
    }
}

fn resolve(
    raw: RawConfig,
    root: &Path,
    options: &BuildOptions,
    at_key: &dyn Fn(&str) -> SourceLocation,
) -> Result<Config, Vec<Diagnostic>> {
    let mut checks = Checks {
        errors: Vec::new(),
        at_key,
    };
    let base_url = options.base_url.clone().unwrap_or(raw.base_url);
    let (base_url, base_path) =
        checks.or(split_base_url(&base_url), "base_url", Default::default());
    let description = raw.description.unwrap_or_default();
    let site = SiteText {
        title: &raw.title,
        description: &description,
        menus: &raw.menus,
    };
    let languages = resolve_languages(&mut checks, raw.default_language, raw.languages, &site);
    let timezone = resolve_timezone(&mut checks, raw.timezone);
    let paginate_by = raw.paginate_by.unwrap_or(10);
    let at_least_one = (paginate_by > 0)
        .then_some(())
        .ok_or_else(|| "paginate_by: must be at least 1".into());
    checks.check(at_least_one, "paginate_by");
    let taxonomies = resolve_taxonomies(&mut checks, raw.taxonomies);
    let slugify = raw
        .slugify
        .as_deref()
        .unwrap_or("transliterate")
        .parse::<SlugMode>();
    let slugify = checks.or(slugify, "slugify", SlugMode::default());
    let feeds = feed_kinds(raw.feeds).unwrap_or_else(|mut d| {
        d.location = Some(at_key("feeds"));
        checks.errors.push(d);
        Vec::new()
    });
    let deploy = deploy::targets(raw.deploy).unwrap_or_else(|problems| {
        for message in problems {
            checks.check(Err(message), "deploy");
        }
        Vec::new()
    });
    if !checks.errors.is_empty() {
        return Err(checks.errors);
    }
    Ok(Config {
        root: root.to_path_buf(),
        title: raw.title,
        base_url,
        base_path,
        description,
        languages,
        timezone,
        paginate_by,
        taxonomies,
        feeds,
        search: raw.search.unwrap_or(true),
        news_sitemap: raw.news_sitemap.map(|n| n.publication),
        translation_fallback: raw.translation_fallback.unwrap_or(false),
        highlight_theme: raw
            .highlight_theme
            .unwrap_or_else(|| "InspiredGitHub".into()),
        slugify,
        unsafe_html: raw.unsafe_html.unwrap_or(true),
        strings_fallback: raw.strings_fallback.unwrap_or(false),
        external_links_new_tab: raw.external_links_new_tab.unwrap_or(false),
        external_links_nofollow: raw.external_links_nofollow.unwrap_or(false),
        minify: raw.minify.unwrap_or(false),
        deploy,
        extra: match raw.extra {
            Some(value) => serde_json::to_value(value).unwrap_or_default(),
            None => serde_json::Value::Object(Default::default()),
        },
        drafts: options.drafts,
        review: options.review,
        external_links: options.external_links,
        now: build_time(),
    })
}

/// site.yaml's `taxonomies` (default tags and categories), each a URL segment.
fn resolve_taxonomies(checks: &mut Checks<'_>, taxonomies: Option<Vec<String>>) -> Vec<String> {
    let taxonomies = taxonomies.unwrap_or_else(|| vec!["tags".into(), "categories".into()]);
    for name in &taxonomies {
        let safe = crate::slug::is_safe_segment(name)
            .then_some(())
            .ok_or_else(|| format!("taxonomies: \"{name}\" is not a valid URL segment"));
        checks.check(safe, "taxonomies");
    }
    taxonomies
}

/// What a language without its own takes from the site's top level.
struct SiteText<'a> {
    title: &'a str,
    description: &'a str,
    menus: &'a BTreeMap<String, Vec<MenuItem>>,
}

/// The site's languages, the default one first.
fn resolve_languages(
    checks: &mut Checks<'_>,
    default_language: Option<String>,
    languages: impl IntoIterator<Item = (String, Option<RawLanguage>)>,
    site: &SiteText<'_>,
) -> Vec<Language> {
    let default_code = default_language.unwrap_or_else(|| "en".to_string());
    checks.check(valid_language_code(&default_code), "default_language");
    let mut resolved = vec![Language {
        code: default_code.clone(),
        title: site.title.to_string(),
        description: site.description.to_string(),
        strings: BTreeMap::new(),
        menus: site.menus.clone(),
    }];
    for (code, lang) in languages {
        checks.check(valid_language_code(&code), "languages");
        let RawLanguage {
            title,
            description,
            strings,
            menus,
        } = lang.unwrap_or_default();
        let entry = Language {
            title: title.unwrap_or_else(|| site.title.to_string()),
            description: description.unwrap_or_else(|| site.description.to_string()),
            strings,
            menus: if menus.is_empty() {
                site.menus.clone()
            } else {
                menus
            },
            code: code.clone(),
        };
        if code == default_code {
            resolved[0] = entry;
        } else {
            resolved.push(entry);
        }
    }
    resolved
}

/// site.yaml's `timezone` (default UTC).
fn resolve_timezone(checks: &mut Checks<'_>, timezone: Option<String>) -> Tz {
    if let Ok(tz) = timezone.as_deref().unwrap_or("UTC").parse::<Tz>() {
        return tz;
    }
    let name = timezone.unwrap_or_default();
    let hint = did_you_mean(&name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()));
    let message = format!(
        "timezone: unknown time zone \"{name}\", expected an IANA name such as Asia/Vladivostok"
    );
    checks
        .errors
        .push(Diagnostic::error((checks.at_key)("timezone"), message).with_hint(hint));
    Tz::UTC
}

/// "Now", from `SOURCE_DATE_EPOCH` when it is set (reproducible builds).
fn build_time() -> DateTime<Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(Utc::now)
}

/// `https://host/path/` → (`https://host/path`, `/path`).
fn split_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("base_url: \"{url}\" is not absolute, expected http(s)://host[/path]")
        })?;
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!(
            "base_url: \"{url}\" has no host, expected http(s)://host[/path]"
        ));
    }
    let path = if path.is_empty() {
        String::new()
    } else {
        format!("/{path}")
    };
    Ok((url.to_string(), path))
}

/// `zh_CN` → `zh-cn`: BCP 47 tags compare without regard to case, and sites
/// write `_` for `-`.
pub(crate) fn normalize_tag(tag: &str) -> String {
    tag.trim().replace('_', "-").to_ascii_lowercase()
}

/// A Chinese tag with a region but no script, with the script its region
/// writes (`zh-cn` → `zh-hans-cn`, `zh-tw` → `zh-hant-tw`), so that it matches
/// a site language given by script. Other tags have none to add.
pub(crate) fn with_likely_script(tag: &str) -> Option<String> {
    let region = tag.strip_prefix("zh-")?;
    let script = match region {
        "cn" | "sg" | "my" => "hans",
        "tw" | "hk" | "mo" => "hant",
        _ => return None,
    };
    Some(format!("zh-{script}-{region}"))
}

/// A BCP 47 tag in the simple form sites use: `en`, `zh-Hans`, `zh-CN`, `sr-Latn-RS`.
pub(crate) fn valid_language_code(code: &str) -> Result<(), String> {
    let mut parts = code.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(())
    } else {
        Err(format!(
            "language: \"{code}\" is not a BCP 47 code such as en, ru, zh or zh-Hans"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
        Config::load(dir.path(), &BuildOptions::default())
    }

    #[test]
    fn resolves_languages_default_first() {
        let config = load(
            "title: T\nbase_url: https://x.org/sub/\ndefault_language: en\nlanguages:\n  zh: { title: 中 }\n  ru: { title: Р }\n",
        )
        .unwrap();
        let codes: Vec<_> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "ru", "zh"]);
        assert_eq!(config.base_url, "https://x.org/sub");
        assert_eq!(config.base_path, "/sub");
        assert_eq!(config.language_prefix("ru"), "/sub/ru");
        assert_eq!(config.absolute("/sub/a/"), "https://x.org/sub/a/");
    }

    #[test]
    fn unknown_key_is_an_error_with_hint() {
        let errors = load("title: T\nbase_url: https://x.org\ntaxonomys: [tags]\n").unwrap_err();
        let text = errors[0].to_string();
        assert!(
            text.starts_with("site.yaml:3:1: unknown field `taxonomys`"),
            "{text}"
        );
        assert!(text.contains("did you mean `taxonomies`?"), "{text}");
    }

    #[test]
    fn relative_base_url_is_an_error() {
        let errors = load("title: T\nbase_url: /here\n").unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .starts_with("site.yaml:2:11: base_url:"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn language_codes_match_as_bcp47_tags() {
        let config = load(
            "title: T\nbase_url: https://x.org\ndefault_language: en\nlanguages:\n  zh: {}\n  zh-Hant: {}\n  ru: {}\n",
        )
        .unwrap();
        let found = |code| config.match_language(code);
        assert_eq!(found("ru"), Some(("ru", false)));
        assert_eq!(found("RU"), Some(("ru", false)));
        assert_eq!(found("zh_hant"), Some(("zh-Hant", false)));
        assert_eq!(found("zh_cn"), Some(("zh", true)));
        assert_eq!(found("zh-CN"), Some(("zh", true)));
        assert_eq!(found("zh-Hans-CN"), Some(("zh", true)));
        assert_eq!(found("zh_TW"), Some(("zh-Hant", true)));
        assert_eq!(found("zh-Hant-HK"), Some(("zh-Hant", true)));
        assert_eq!(found("en-GB"), Some(("en", true)));
        assert_eq!(found("fr"), None);
        assert_eq!(found("zhx"), None);
        assert_eq!(found(""), None);
        let written = load("title: T\nbase_url: https://x.org\nlanguages:\n  zh_cn: {}\n").unwrap();
        assert_eq!(written.match_language("zh-CN"), Some(("zh_cn", false)));
    }

    #[test]
    fn bad_timezone_and_language_are_all_reported() {
        let errors = load("title: T\nbase_url: https://x.org\ntimezone: Asia/Vladivostock\ndefault_language: english\n")
            .unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
    }
}
