//! Feeds of the site, each section and each term, newest 20, in every kind
//! site.yaml's `feeds` names: Atom 1.0 (`atom.xml`), RSS 2.0 (`rss.xml`) and
//! JSON Feed 1.1 (`feed.json`). Each article's entry is made once per build
//! and kind, although it is in several feeds. The feeds of the site and of
//! its sections carry each article's whole text; those of terms (tags,
//! categories, authors) its summary, as their many overlapping feeds would
//! otherwise publish the same text dozens of times.

mod atom;
mod json;
mod rss;

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use quick_xml::escape;

use super::memo::{Print, Prints};
use super::plan::{Bytes, Output, Outputs, PlanInput, Planned, Problems};
use super::prepared::Prepared;
use crate::config::{Config, FeedKind};
use crate::link::{ArticleId, ContentTree};

/// Entries per feed.
pub(super) const FEED_SIZE: usize = 20;

/// Plan the feeds of every section and term, one of each kind site.yaml names.
pub(super) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    let (config, content) = (input.config, input.content);
    for (id, section) in content.sections.iter().enumerate() {
        let source = super::sections::source(section);
        let about = (!section.dir.is_empty()).then_some(section.title.as_str());
        let title = feed_title(config, &section.lang, about);
        let list = FeedList::Section(id);
        add_feeds(
            config,
            outputs,
            &section.url,
            &source,
            &title,
            &section.lang,
            list,
        );
    }
    for (t, taxonomy) in content.taxonomies.iter().enumerate() {
        for (n, term) in taxonomy.terms.iter().enumerate() {
            let source = super::terms::term_source(taxonomy, term);
            let title = feed_title(config, &taxonomy.lang, Some(&term.name));
            let list = FeedList::Term(t, n);
            add_feeds(
                config,
                outputs,
                &term.url,
                &source,
                &title,
                &taxonomy.lang,
                list,
            );
        }
    }
}

/// One feed of each kind site.yaml names, beside the list page at `page_url`.
fn add_feeds(
    config: &Config,
    outputs: &mut Outputs<'_>,
    page_url: &str,
    source: &str,
    title: &str,
    lang: &str,
    list: FeedList,
) {
    for &kind in &config.feeds {
        let feed = Feed {
            kind,
            title: title.to_string(),
            page_url: page_url.to_string(),
            lang: lang.to_string(),
            list,
        };
        let url = format!("{page_url}{}", kind.file_name());
        outputs.add(url, source.to_string(), feed);
    }
}

/// "<what> — <site title in `lang`>", or the site's title alone.
fn feed_title(config: &Config, lang: &str, what: Option<&str>) -> String {
    let site = config
        .languages
        .iter()
        .find(|l| l.code == lang)
        .map_or(config.title.as_str(), |l| &l.title);
    match what {
        Some(what) => format!("{what} — {site}"),
        None => site.to_string(),
    }
}

/// The list a feed mirrors.
#[derive(Debug, Clone, Copy)]
enum FeedList {
    Section(crate::link::SectionId),
    Term(usize, usize),
}

/// One feed of a list.
#[derive(Debug)]
struct Feed {
    kind: FeedKind,
    title: String,
    page_url: String,
    lang: String,
    list: FeedList,
}

impl Feed {
    /// The newest articles of its list in its language (with
    /// `translation_fallback`, lists also show other languages' articles;
    /// feeds never do).
    fn articles(&self, content: &ContentTree) -> Vec<ArticleId> {
        let ids = match self.list {
            FeedList::Section(id) => &content.sections[id].pages,
            FeedList::Term(t, n) => &content.taxonomies[t].terms[n].pages,
        };
        ids.iter()
            .copied()
            .filter(|&id| content.articles[id].parsed.lang == self.lang)
            .take(FEED_SIZE)
            .collect()
    }
}

impl Output for Feed {
    fn render<'p>(&'p self, at: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let (config, content) = (site.config, site.content);
        let articles = &self.articles(content);
        let spec = FeedSpec {
            title: self.title.clone(),
            self_url: at.url.to_string(),
            page_url: &self.page_url,
            lang: &self.lang,
            articles,
        };
        let full_text = matches!(self.list, FeedList::Section(_));
        let entry = |id: ArticleId| {
            site.feed_entry(id, self.kind as usize * 2 + usize::from(full_text))
                .get_or_init(|| {
                    let of = EntryOf { id, full_text };
                    self::entry(self.kind, config, content, of).as_str().into()
                })
                .unpack()
        };
        Ok(Bytes::Made(
            feed(self.kind, config, content, &spec, entry).into_bytes(),
        ))
    }

    fn fingerprint(&self, _: &Planned, site: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        let ids = self.articles(site.content);
        if ids.is_empty() {
            return None; // an empty feed's `updated` comes from the whole site
        }
        let mut print = Print::new("feed");
        print.add(prints.generation).add(&self.title);
        for &id in &ids {
            print.add(prints.content[id]);
        }
        Some(print.finish())
    }
}

/// What a feed is about.
struct FeedSpec<'a> {
    /// Feed title.
    pub(super) title: String,
    /// Site-relative URL of the feed itself.
    pub(super) self_url: String,
    /// Site-relative URL of the HTML page it mirrors.
    pub(super) page_url: &'a str,
    /// Language code.
    pub(super) lang: &'a str,
    /// Articles, newest first (only the first `FEED_SIZE` are used).
    pub(super) articles: &'a [ArticleId],
}

impl FeedSpec<'_> {
    /// The articles the feed lists.
    fn ids(&self) -> Vec<ArticleId> {
        self.articles.iter().take(FEED_SIZE).copied().collect()
    }
}

/// The feed of `kind`; `entry` gives each article's entry of that kind (see `entry`).
fn feed(
    kind: FeedKind,
    config: &Config,
    content: &ContentTree,
    spec: &FeedSpec<'_>,
    entry: impl Fn(ArticleId) -> String,
) -> String {
    match kind {
        FeedKind::Atom => atom::feed(config, content, spec, entry),
        FeedKind::Rss => rss::feed(config, content, spec, entry),
        FeedKind::Json => json::feed(config, content, spec, entry),
    }
}

/// Which entry of an article: with its whole text, or (`full_text` false) its summary.
#[derive(Clone, Copy)]
struct EntryOf {
    pub(super) id: ArticleId,
    pub(super) full_text: bool,
}

/// One article's entry of `kind`.
fn entry(kind: FeedKind, config: &Config, content: &ContentTree, of: EntryOf) -> String {
    match kind {
        FeedKind::Atom => atom::entry(config, content, of),
        FeedKind::Rss => rss::entry(config, content, of),
        FeedKind::Json => json::entry(config, content, of),
    }
}

/// `head`, then each article's entry (see `entry`), `separator` between them, then `tail`.
fn assemble(
    mut text: String,
    ids: &[ArticleId],
    entry: impl Fn(ArticleId) -> String,
    separator: &str,
    tail: &str,
) -> String {
    for (n, &id) in ids.iter().enumerate() {
        if n > 0 {
            text.push_str(separator);
        }
        text.push_str(&entry(id));
    }
    text.push_str(tail);
    text
}

/// An article, its absolute URL, and a buffer large enough for its entry.
fn entry_parts<'a>(
    config: &Config,
    content: &'a ContentTree,
    id: ArticleId,
) -> (&'a crate::link::Article, String, String) {
    let article = &content.articles[id];
    let link = config.absolute(&article.url);
    let buffer = String::with_capacity(1024 + 2 * article.parsed.body.html.len());
    (article, link, buffer)
}

/// Names of an article's authors, else the site's title.
fn authors<'a>(config: &'a Config, article: &'a crate::link::Article) -> Vec<&'a str> {
    let meta = &article.parsed.meta;
    let names: Vec<&str> = meta
        .author
        .iter()
        .chain(&meta.authors)
        .map(String::as_str)
        .collect();
    if names.is_empty() {
        vec![config.title.as_str()]
    } else {
        names
    }
}

/// The newest change among the feed's articles; for an empty feed, the
/// newest of the whole site, so that the same input gives the same feed at any hour.
fn updated(content: &ContentTree, ids: &[ArticleId]) -> DateTime<FixedOffset> {
    let changed = |a: &crate::link::Article| a.parsed.updated.unwrap_or(a.parsed.date);
    ids.iter()
        .map(|&id| changed(&content.articles[id]))
        .max()
        .or_else(|| content.articles.iter().map(changed).max())
        .unwrap_or_default()
}

/// Text for XML: escaped, and without the control characters XML 1.0 forbids
/// (a title pasted with a stray U+0001 must not make the feed unreadable).
pub(super) fn escape(text: &str) -> Cow<'_, str> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        let clean: String = text
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect();
        Cow::Owned(escape::escape(clean.as_str()).into_owned())
    } else {
        escape::escape(text)
    }
}
