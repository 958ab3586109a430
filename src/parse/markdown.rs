//! Markdown → `Body`: HTML, table of contents, summary, counts, internal links.
//!
//! One pass over pulldown-cmark's events. `@/…` links are not resolved here (that
//! needs the whole site): each is replaced by a placeholder the link stage fills in.

use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use serde::{Deserialize, Serialize};

use super::highlight;
use crate::slug;

/// One heading in the table of contents, with the headings under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    /// 1 to 6.
    pub level: u8,
    /// The heading's id (anchor).
    pub id: String,
    /// Its text.
    pub title: String,
    /// Lower-level headings that follow it.
    pub children: Vec<TocEntry>,
}

/// A link written `@/path.md#anchor`, to be resolved by the link stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// Source path of the target, relative to `content/` (`news/visit.md`).
    pub target: String,
    /// `#anchor`, without the `#`.
    pub anchor: Option<String>,
    /// 1-based line and column in the whole file.
    pub line: usize,
    /// Column of the link.
    pub col: usize,
}

/// A link or image to another site (`http://`, `https://`), for `check --external`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    /// As written.
    pub url: String,
    /// 1-based line in the whole file.
    pub line: usize,
    /// Column of the link.
    pub col: usize,
}

/// The text `href` holds for internal link `index` until the link stage resolves it.
pub fn link_placeholder(index: usize) -> String {
    format!("gazette-internal-link:{index}")
}

/// A Markdown body rendered.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The HTML, packed until a page, feed or search entry needs it.
    pub html: crate::packed::PackedText,
    /// HTML of the text before `<!-- more -->`, else of the first paragraph
    /// (an article's moves to its `ParsedArticle::summary_html`).
    pub summary_html: String,
    /// The summary without markup (default page description; an article's
    /// moves to its `ParsedArticle::description`).
    pub summary_text: String,
    /// Headings, nested (`Body::toc`), as packed JSON: only the article's
    /// own page shows them.
    pub toc_json: crate::packed::PackedText,
    /// Every heading id, for checking `#anchor` links.
    pub anchors: Anchors,
    /// Words, with each Chinese/Japanese/Korean character counted as one.
    pub word_count: usize,
    /// Minutes.
    pub reading_time: usize,
    /// `@/` links, in order; link `i` is written as `link_placeholder(i)`.
    pub internal_links: Vec<InternalLink>,
    /// Whether a code block was highlighted (the page needs the highlighting stylesheet).
    pub has_code: bool,
    /// Whether shortcodes were expanded into the HTML (it then depends on their templates).
    pub has_shortcodes: bool,
    /// Links and images to files of the site, for checking that they exist.
    pub local_links: Vec<LocalLink>,
    /// Links and images to other sites, in order.
    pub external_links: Vec<ExternalLink>,
    /// Fenced code languages no syntax knows: (language, line, column).
    pub unknown_languages: Vec<(String, usize, usize)>,
}

impl Body {
    /// The table of contents: headings, nested.
    pub fn toc(&self) -> Vec<TocEntry> {
        serde_json::from_str(&self.toc_json.unpack()).unwrap_or_default()
    }
}

/// The heading ids of a body, in one string (the build holds every
/// article's): ids are never empty and hold no line break.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors(String);

/// The anchors of a body without headings.
pub static NO_ANCHORS: Anchors = Anchors(String::new());

impl Anchors {
    fn push(&mut self, id: &str) {
        if !self.0.is_empty() {
            self.0.push('\n');
        }
        self.0.push_str(id);
    }

    /// Whether a heading has id `id`.
    pub fn contains(&self, id: &str) -> bool {
        self.iter().any(|a| a == id)
    }

    /// The ids, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split('\n').filter(|a| !a.is_empty())
    }
}

/// How to render: options that come from site.yaml.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions {
    /// Pass raw HTML through (true) or escape it.
    pub unsafe_html: bool,
    /// Open links to other sites in a new tab.
    pub external_new_tab: bool,
    /// Mark links to other sites `rel="nofollow"`.
    pub external_nofollow: bool,
}

/// A link or image to a file of the site (not `@/`, not another site).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLink {
    /// As written (`photo.jpg`, `/files/form.pdf`).
    pub dest: String,
    /// `![…](…)` rather than `[…](…)`.
    pub is_image: bool,
    /// Alt text of an image.
    pub alt: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// The `http(s)://` URL a link or image start points at.
fn web_url<'a>(event: &'a Event<'_>) -> Option<&'a str> {
    match event {
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            let url: &str = dest_url;
            (url.starts_with("http://") || url.starts_with("https://")).then_some(url)
        }
        _ => None,
    }
}

/// Whether `dest` points to another site (or is a mail/phone link).
pub fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        })
}

const SUMMARY_MARKER: &str = "<!-- more -->";

/// Longest automatic summary, in characters (a CJK character counts two: it
/// carries about as much as two letters of an alphabetic script).
const SUMMARY_CHARS: usize = 320;

/// The first sentences of `text` that fit in `max` characters (CJK counted
/// double), cut after `.`, `!`, `?`, `。`, `！`, `？` or `…`; a text without such
/// a place is cut at a word (or, in CJK, a character) and ends with `…`.
pub fn cut_at_sentence(text: &str, max: usize) -> String {
    let mut weight = 0;
    let mut last_sentence = None;
    let mut last_space = None;
    let mut end = text.len();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        weight += if is_cjk(c) { 2 } else { 1 };
        if weight > max {
            end = i;
            break;
        }
        let next_is_break = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if matches!(c, '。' | '！' | '？') || (matches!(c, '.' | '!' | '?' | '…') && next_is_break)
        {
            last_sentence = Some(i + c.len_utf8());
        } else if c.is_whitespace() {
            last_space = Some(i);
        }
    }
    if end == text.len() {
        return text.to_string();
    }
    match (last_sentence, last_space) {
        (Some(at), _) => text[..at].trim_end().to_string(),
        (None, Some(at)) => format!("{}…", text[..at].trim_end()),
        (None, None) => format!("{}…", &text[..end]),
    }
}

/// Render `text`, whose first line is line `first_line` of its file.
pub fn render(text: &str, first_line: usize, options: MarkdownOptions) -> Body {
    let mut events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(text, parser_options())
        .into_offset_iter()
        .collect();
    let mut walk = Walk {
        text,
        first_line,
        options,
        body: Body::default(),
        used_ids: std::collections::HashSet::new(),
        headings: Vec::new(),
        counts: WordCount::default(),
        summary_end: None,
        first_paragraph: None,
    };
    let mut i = 0;
    while i < events.len() {
        i = walk.visit(&mut events, i);
    }
    walk.finish(events)
}

/// What the walk over a body's events has gathered so far.
struct Walk<'t> {
    text: &'t str,
    first_line: usize,
    options: MarkdownOptions,
    body: Body,
    used_ids: std::collections::HashSet<String>,
    headings: Vec<(u8, String, String)>,
    counts: WordCount,
    /// The event of the `<!-- more -->` marker.
    summary_end: Option<usize>,
    first_paragraph: Option<Range<usize>>,
}

/// The events of a body, with where each starts in its text.
type Events<'t> = Vec<(Event<'t>, Range<usize>)>;

impl<'t> Walk<'t> {
    /// Line and column in the file of byte `offset` of the body.
    fn position(&self, offset: usize) -> (usize, usize) {
        let (line, col) = crate::diagnostics::line_col(self.text, offset);
        (line + self.first_line - 1, col)
    }

    /// Look at (and perhaps rewrite) event `i`; the next event to look at.
    fn visit(&mut self, events: &mut Events<'t>, i: usize) -> usize {
        let offset = events[i].1.start;
        if let Some(url) = web_url(&events[i].0) {
            let (line, col) = self.position(offset);
            let url = url.to_string();
            self.body
                .external_links
                .push(ExternalLink { url, line, col });
        }
        match &events[i].0 {
            Event::Start(Tag::Heading { .. }) => self.heading(events, i),
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with("@/") => {
                self.internal_link(events, i);
            }
            Event::Start(Tag::Link { dest_url, .. })
                if is_external(dest_url)
                    && (self.options.external_new_tab || self.options.external_nofollow) =>
            {
                self.external_link(events, i);
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if !dest_url.starts_with('#') && !dest_url.is_empty() && !is_external(dest_url) =>
            {
                self.local_link(events, i);
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                if let Some(next) = self.code_block(events, i) {
                    return next;
                }
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                if raw.trim() == SUMMARY_MARKER && self.summary_end.is_none() {
                    self.summary_end = Some(i);
                } else if !self.options.unsafe_html {
                    events[i].0 = Event::Text(raw.clone());
                }
            }
            Event::Start(Tag::Paragraph) if self.first_paragraph.is_none() => {
                let end = events[i..]
                    .iter()
                    .position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
                    .map_or(events.len(), |n| i + n + 1);
                self.first_paragraph = Some(i..end);
            }
            Event::Text(t) | Event::Code(t) => self.counts.add(t),
            _ => {}
        }
        i + 1
    }

    /// A heading gets a unique id (its own, else from its text) and a TOC entry.
    fn heading(&mut self, events: &mut Events<'t>, i: usize) {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 else {
            return;
        };
        let (level, explicit) = (*level, id.as_ref().map(|id| id.to_string()));
        let title = text_until(&events[i + 1..], TagEnd::Heading(level));
        let unique = unique_id(
            explicit.unwrap_or_else(|| slug::anchor(&title)),
            &mut self.used_ids,
        );
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
            *id = Some(CowStr::from(unique.clone()));
        }
        self.body.anchors.push(&unique);
        self.headings.push((heading_level(level), unique, title));
    }

    /// An `@/` link becomes a placeholder, resolved once every page's URL is known.
    fn internal_link(&mut self, events: &mut Events<'t>, i: usize) {
        let (line, col) = self.position(events[i].1.start);
        let Event::Start(Tag::Link { dest_url, .. }) = &mut events[i].0 else {
            return;
        };
        let (target, anchor) = match dest_url[2..].split_once('#') {
            Some((t, a)) => (t.to_string(), Some(a.to_string())),
            None => (dest_url[2..].to_string(), None),
        };
        *dest_url = CowStr::from(link_placeholder(self.body.internal_links.len()));
        self.body.internal_links.push(InternalLink {
            target,
            anchor,
            line,
            col,
        });
    }

    /// A link to another site gets `target` and `rel` as site.yaml asks.
    fn external_link(&mut self, events: &mut Events<'t>, i: usize) {
        let Event::Start(Tag::Link {
            dest_url, title, ..
        }) = &events[i].0
        else {
            return;
        };
        let mut rel = Vec::new();
        let mut attrs = String::new();
        if self.options.external_new_tab {
            attrs.push_str(" target=\"_blank\"");
            rel.extend(["noopener", "noreferrer"]);
        }
        if self.options.external_nofollow {
            rel.push("nofollow");
        }
        if !title.is_empty() {
            attrs.push_str(&format!(" title=\"{}\"", crate::html::escape_attr(title)));
        }
        let open = format!(
            "<a href=\"{}\"{attrs} rel=\"{}\">",
            crate::html::escape_attr(dest_url),
            rel.join(" ")
        );
        if let Some(end) = matching_end(events, i) {
            events[end].0 = Event::InlineHtml(CowStr::Borrowed("</a>"));
            events[i].0 = Event::InlineHtml(CowStr::from(open));
        }
    }

    /// A link or image to a file of the site, kept for checking that it exists.
    fn local_link(&mut self, events: &Events<'t>, i: usize) {
        let (Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })) =
            &events[i].0
        else {
            return;
        };
        let is_image = matches!(events[i].0, Event::Start(Tag::Image { .. }));
        let (line, col) = self.position(events[i].1.start);
        let alt = if is_image {
            text_until(&events[i + 1..], TagEnd::Image)
        } else {
            String::new()
        };
        self.body.local_links.push(LocalLink {
            dest: dest_url.to_string(),
            is_image,
            alt,
            line,
            col,
        });
    }

    /// A fenced code block in a language syntect knows becomes highlighted
    /// HTML (the event after it is next); an unknown language is noted.
    fn code_block(&mut self, events: &mut Events<'t>, i: usize) -> Option<usize> {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &events[i].0 else {
            return None;
        };
        let lang = info
            .split([',', ' '])
            .next()
            .unwrap_or_default()
            .to_string();
        if highlight::is_plain(&lang) {
            return None;
        }
        let end = events[i..]
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::CodeBlock)))
            .map_or(events.len() - 1, |n| i + n);
        let code: String = events[i + 1..end]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let Some(spans) = highlight::highlight(&code, &lang) else {
            let (line, col) = self.position(events[i].1.start);
            self.body.unknown_languages.push((lang, line, col));
            return None;
        };
        let html = format!(
            "<pre class=\"code\" data-lang=\"{0}\"><code class=\"language-{0}\">{spans}</code></pre>\n",
            crate::html::escape_attr(&lang)
        );
        events[i].0 = Event::Html(CowStr::from(html));
        for (event, _) in &mut events[i + 1..=end] {
            *event = Event::Text(CowStr::Borrowed(""));
        }
        self.body.has_code = true;
        Some(end + 1)
    }

    /// The body: its HTML, summary, table of contents and counts.
    fn finish(self, events: Events<'t>) -> Body {
        let mut body = self.body;
        let summary_range = self
            .summary_end
            .map(|end| 0..end)
            .or(self.first_paragraph)
            .unwrap_or(0..0);
        body.summary_text = plain_text(&events[summary_range.clone()]);
        let cut = (self.summary_end.is_none())
            .then(|| cut_at_sentence(&body.summary_text, SUMMARY_CHARS))
            .filter(|cut| cut.len() < body.summary_text.len());
        if let Some(cut) = cut {
            // A long first paragraph: the summary is its first sentences.
            body.summary_html = format!("<p>{}</p>\n", crate::html::escape_attr(&cut));
            body.summary_text = cut;
        } else {
            html::push_html(
                &mut body.summary_html,
                events[summary_range].iter().map(|(e, _)| e.clone()),
            );
        }
        let mut full = String::with_capacity(self.text.len() + self.text.len() / 4);
        html::push_html(&mut full, events.into_iter().map(|(e, _)| e));
        body.html = crate::packed::PackedText::pack(&full);
        let toc = nest(self.headings);
        if !toc.is_empty() {
            body.toc_json =
                crate::packed::PackedText::pack(&serde_json::to_string(&toc).unwrap_or_default());
        }
        body.anchors.0.shrink_to_fit();
        body.word_count = self.counts.total();
        body.reading_time = self.counts.minutes();
        body
    }
}

/// The text of rendered HTML without its tags (search index), entities decoded.
/// Kept out of `Body` so that every article's text is not held twice.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&mut text, &rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        push_space(&mut text);
        rest = &rest[close..];
    }
    push_decoded(&mut text, rest);
    if text.ends_with(' ') {
        text.pop();
    }
    text
}

/// Append `escaped` with entities decoded and runs of whitespace made one space.
fn push_decoded(out: &mut String, escaped: &str) {
    let decoded = if escaped.contains('&') {
        // Raw HTML in articles may use any HTML5 entity, not only XML's five.
        quick_xml::escape::unescape_with(escaped, quick_xml::escape::resolve_html5_entity)
            .unwrap_or(escaped.into())
    } else {
        escaped.into()
    };
    // Byte by byte, decoding only what may be Unicode whitespace: this runs
    // over the whole text of every article.
    let bytes = decoded.as_bytes();
    let mut word_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !may_start_space(b) {
            i += 1;
            continue;
        }
        let width = if b.is_ascii() {
            1
        } else {
            decoded[i..]
                .chars()
                .next()
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8)
        };
        if width == 0 {
            i += 1;
            continue;
        }
        out.push_str(&decoded[word_start..i]);
        push_space(out);
        i += width;
        word_start = i;
    }
    out.push_str(&decoded[word_start..]);
}

/// ASCII whitespace, and the lead bytes of U+0085, U+00A0, U+1680,
/// U+2000–U+205F and U+3000 (Unicode whitespace beyond ASCII).
fn may_start_space(b: u8) -> bool {
    matches!(
        b,
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3
    )
}

/// One space between words, none at the start.
fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// Render Markdown written in front matter (a `summary`): like any front matter
/// string, raw HTML in it is shown as text, never passed through.
pub fn render_front_matter(text: &str) -> String {
    snippet(text, false)
}

/// Render a Markdown snippet (the `markdown` template filter: template authors are trusted).
pub fn render_inline(text: &str) -> String {
    snippet(text, true)
}

fn snippet(text: &str, raw_html: bool) -> String {
    let mut out = String::new();
    let events = Parser::new_ext(text, parser_options()).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) if !raw_html => Event::Text(raw),
        other => other,
    });
    html::push_html(&mut out, events);
    out
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !text.ends_with(' ') => {
                text.push(' ')
            }
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Index of the `End` matching the `Start` at `start`.
fn matching_end(events: &[(Event<'_>, Range<usize>)], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (n, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return Some(n);
                }
            }
            _ => {}
        }
    }
    None
}

fn unique_id(wanted: String, used: &mut std::collections::HashSet<String>) -> String {
    if used.insert(wanted.clone()) {
        return wanted;
    }
    (1..)
        .map(|n| format!("{wanted}-{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .unwrap_or(wanted)
}

/// The text up to the first `end` (a heading's title, an image's alt text).
fn text_until(events: &[(Event<'_>, Range<usize>)], end: TagEnd) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::End(e) if *e == end => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

/// Flat (level, id, title) headings → a tree: each heading holds the deeper ones after it.
fn nest(headings: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for (level, id, title) in headings {
        let entry = TocEntry {
            level,
            id,
            title,
            children: Vec::new(),
        };
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < level) {
            siblings = &mut siblings.last_mut().expect("checked").children;
        }
        siblings.push(entry);
    }
    roots
}

/// Words of alphabetic scripts and characters of CJK scripts, counted apart
/// because they are read at different speeds.
#[derive(Debug, Default)]
struct WordCount {
    words: usize,
    cjk_chars: usize,
    in_word: bool,
}

impl WordCount {
    fn add(&mut self, text: &str) {
        for c in text.chars() {
            // ASCII first: most characters of most articles, and the cheapest test.
            let letter = if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else if is_cjk(c) {
                self.cjk_chars += 1;
                self.in_word = false;
                continue;
            } else {
                is_letter_or_digit(c)
            };
            if letter {
                if !self.in_word {
                    self.words += 1;
                }
                self.in_word = true;
            } else if c != '\'' && c != '’' && c != '-' {
                self.in_word = false;
            }
        }
        self.in_word = false;
    }

    fn total(&self) -> usize {
        self.words + self.cjk_chars
    }

    /// 200 words or 400 CJK characters a minute, at least one minute.
    fn minutes(&self) -> usize {
        let minutes = self.words as f64 / 200.0 + self.cjk_chars as f64 / 400.0;
        (minutes.ceil() as usize).max(1)
    }
}

/// `char::is_alphanumeric` with Cyrillic letters answered without the slow
/// Unicode table lookup: word counting runs over every character of the corpus.
fn is_letter_or_digit(c: char) -> bool {
    matches!(c, 'А'..='я' | 'Ё' | 'ё') || c.is_alphanumeric()
}

/// Han, kana and Hangul: scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF |
        0xAC00..=0xD7AF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: MarkdownOptions = MarkdownOptions {
        unsafe_html: true,
        external_new_tab: false,
        external_nofollow: false,
    };

    #[test]
    fn external_links_can_open_in_new_tabs() {
        let options = MarkdownOptions {
            external_new_tab: true,
            external_nofollow: true,
            ..OPTIONS
        };
        let body = render(
            "[a](https://x.org \"T\") [b](/local/) [c](mailto:a@b.c)",
            1,
            options,
        );
        assert!(body.html.unpack().contains("<a href=\"https://x.org\" target=\"_blank\" title=\"T\" rel=\"noopener noreferrer nofollow\">a</a>"), "{}", body.html.unpack());
        assert!(body.html.unpack().contains("<a href=\"/local/\">b</a>"));
        assert_eq!(body.local_links.len(), 1);
    }

    #[test]
    fn links_to_other_sites_are_recorded_with_their_place() {
        let body = md(
            "Intro.\n\n[a](https://x.org/a) ![p](http://y.org/p.png) [m](mailto:a@b.c) [l](/x/)",
        );
        let found: Vec<_> = body
            .external_links
            .iter()
            .map(|l| (l.url.as_str(), l.line, l.col))
            .collect();
        assert_eq!(
            found,
            [("https://x.org/a", 3, 1), ("http://y.org/p.png", 3, 22)]
        );
    }

    #[test]
    fn local_links_and_images_are_recorded() {
        let body =
            md("![](a.jpg) ![Alt](/img/b.png) [f](files/x.pdf) [h](#top) [e](https://e.org)");
        let found: Vec<_> = body
            .local_links
            .iter()
            .map(|l| (l.dest.as_str(), l.is_image, l.alt.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("a.jpg", true, ""),
                ("/img/b.png", true, "Alt"),
                ("files/x.pdf", false, "")
            ]
        );
    }

    fn md(text: &str) -> Body {
        render(
            text,
            1,
            MarkdownOptions {
                unsafe_html: true,
                ..OPTIONS
            },
        )
    }

    #[test]
    fn extensions_are_on() {
        let body =
            md("| a |\n|---|\n| b |\n\n~~x~~ - [x] \"q\"\n\nx[^1]\n\n[^1]: note\n\n- [ ] task\n");
        assert!(body.html.unpack().contains("<table>"));
        assert!(body.html.unpack().contains("<del>x</del>"));
        assert!(body.html.unpack().contains("“q”"));
        assert!(body.html.unpack().contains("footnote-definition"));
        assert!(body.html.unpack().contains("type=\"checkbox\""));
    }

    #[test]
    fn heading_ids_are_unique_and_keep_scripts() {
        let body = md("# Программа\n\n## Программа\n\n## 访问\n\n## Custom {#own .c}\n");
        let anchors: Vec<&str> = body.anchors.iter().collect();
        assert_eq!(anchors, ["программа", "программа-1", "访问", "own"]);
        assert!(body.anchors.contains("访问") && !body.anchors.contains("прог"));
        assert!(
            body.html
                .unpack()
                .contains("<h2 id=\"own\" class=\"c\">Custom</h2>")
        );
    }

    #[test]
    fn toc_nests_by_level() {
        let body = md("# A\n## B\n### C\n## D\n# E\n");
        let toc = body.toc();
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[0].children[0].children[0].title, "C");
    }

    #[test]
    fn summary_is_before_more_or_first_paragraph() {
        let body = md("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n");
        assert_eq!(body.summary_html, "<p>One.</p>\n<p>Two.</p>\n");
        let body = md("# H\n\nFirst *p*.\n\nSecond.\n");
        assert_eq!(body.summary_html, "<p>First <em>p</em>.</p>\n");
    }

    #[test]
    fn shortcode_like_text_stays_text() {
        let body = md("Use {{ x }} and {% y %} here.\n\n---\n\nafter");
        assert!(body.html.unpack().contains("{{ x }} and {% y %}"));
        assert!(body.html.unpack().contains("<hr />"));
    }

    #[test]
    fn counts_cjk_characters_as_words() {
        let body = md("中华人民 two words");
        assert_eq!(body.word_count, 6);
        assert_eq!(body.reading_time, 1);
        let long = "word ".repeat(401);
        assert_eq!(md(&long).reading_time, 3);
    }

    #[test]
    fn internal_links_become_placeholders_with_positions() {
        let body = render("x\n\nsee [v](@/news/visit.md#program)\n", 5, OPTIONS);
        assert_eq!(body.internal_links[0].target, "news/visit.md");
        assert_eq!(body.internal_links[0].anchor.as_deref(), Some("program"));
        assert_eq!(
            (body.internal_links[0].line, body.internal_links[0].col),
            (7, 5)
        );
        assert!(body.html.unpack().contains(&link_placeholder(0)));
    }

    #[test]
    fn html_to_text_drops_tags_and_decodes() {
        assert_eq!(
            html_to_text("<p>A &amp; <em>b</em></p>\n<p>c&lt;d</p>"),
            "A & b c<d"
        );
        assert_eq!(
            html_to_text("  <p>\n  one \t two&#32;&nbsp;</p>\n\n<p>three</p>  "),
            "one two three"
        );
        assert_eq!(html_to_text("a<br>b &amp;  c"), "a b & c");
        assert_eq!(
            html_to_text("<p>Ёлка\u{3000}中文\u{a0}x\u{2003}y</p><p>é z</p>"),
            "Ёлка 中文 x y é z"
        );
        assert_eq!(html_to_text("a b\u{a0} c  d © e "), "a b c d © e");
        assert_eq!(html_to_text(""), "");
    }

    #[test]
    fn words_are_counted_in_latin_cyrillic_and_greek_and_cjk_by_character() {
        let mut count = WordCount::default();
        count.add("Ёлка и ёж, don't stop; Ελλάδα 2023 中文");
        assert_eq!((count.words, count.cjk_chars), (7, 2));
    }

    #[test]
    fn fenced_code_is_highlighted_and_templates_in_code_stay_text() {
        let body = md("```rust\nlet x = \"{{ y }}\";\n```\n\n```nosuchlang\n{% z %}\n```\n");
        assert!(body.has_code);
        assert!(
            body.html
                .unpack()
                .contains("<pre class=\"code\" data-lang=\"rust\">")
        );
        assert!(body.html.unpack().contains("{{ y }}"));
        assert!(body.html.unpack().contains("{% z %}"));
        assert_eq!(body.unknown_languages, [("nosuchlang".to_string(), 5, 1)]);
    }

    #[test]
    fn long_summaries_end_at_a_sentence_in_every_script() {
        let en = "First sentence here. Second sentence is longer. Third one.";
        assert_eq!(cut_at_sentence(en, 30), "First sentence here.");
        let ru = "Делегация прибыла в Харбин. Переговоры продлятся три дня.";
        assert_eq!(cut_at_sentence(ru, 40), "Делегация прибыла в Харбин.");
        let zh = "代表团抵达哈尔滨。会谈将持续三天。双方签署了协议。";
        assert_eq!(cut_at_sentence(zh, 20), "代表团抵达哈尔滨。");
        assert_eq!(
            cut_at_sentence("v3.2 released today and more words", 20),
            "v3.2 released today…"
        );
        assert_eq!(cut_at_sentence("short.", 20), "short.");
        let body = md(&format!(
            "{}\n\nSecond paragraph.",
            "A long sentence with many words. ".repeat(20)
        ));
        assert_eq!(
            body.summary_html,
            format!(
                "<p>{}</p>\n",
                "A long sentence with many words. ".repeat(9).trim_end()
            )
        );
    }

    #[test]
    fn raw_html_can_be_escaped() {
        let body = render(
            "<script>x</script>\n",
            1,
            MarkdownOptions {
                unsafe_html: false,
                ..OPTIONS
            },
        );
        assert!(!body.html.unpack().contains("<script>"));
    }
}
