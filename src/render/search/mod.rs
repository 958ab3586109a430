//! `/search/<lang>/…`: one language's search index, split into files so that a
//! query fetches only the parts its words need (layout: README, "Search index").
//!
//! 1. each listed article becomes a `SearchDoc` — its terms with weights and its
//!    result card — in parallel, or kept from the last build of a session
//! 2. docs are numbered newest first; postings, word forms, filter lists and
//!    cards are cut into files of a few kilobytes
//! 3. `index.json` names each file's first key, the filter values and the counts

mod encode;
mod family;
mod postings;
mod terms;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::link::{Article, ArticleId, ContentTree};
use crate::output::FileBytes;
pub(super) use family::{IndexState, plan};
pub(crate) use postings::LanguageIndex;
use postings::SortedTerms;

/// Bytes a term or form file grows to before the next one starts.
const CHUNK_BYTES: usize = 24 * 1024;
/// Result cards per card file: a page of ten results fetches a few small files.
const CARDS_PER_FILE: usize = 8;
/// Characters of body text in a card when the article has no description.
const EXCERPT_CHARS: usize = 240;

/// Entries by article source path, with the fingerprint each was made from.
pub(crate) type KeptDocs = FxHashMap<String, (u64, Arc<SearchDoc>)>;

/// One article as the index holds it.
#[derive(Debug)]
pub(crate) struct SearchDoc {
    /// Stems, each ended by `\n` (one allocation: an archive holds
    /// hundreds of thousands of these).
    stems: Box<str>,
    /// Each stem's weight (title 64, tags 32, summary 16, body: count up to 15).
    weights: Box<[u8]>,
    /// Folded words whose stem differs from them, as `form\tstem\n`.
    forms: Box<str>,
    /// The result card, as JSON.
    card: Box<str>,
    /// Filter values: section folder and title, year, tags.
    section: (Box<str>, Box<str>),
    year: Box<str>,
    tags: Vec<Box<str>>,
}

#[derive(Serialize)]
struct Card<'a> {
    title: &'a str,
    url: &'a str,
    date: String,
    section: &'a str,
    tags: &'a [String],
    excerpt: &'a str,
}

/// Which fields of an article a stem was seen in: title, tags, summary, body count.
#[derive(Default, Clone, Copy)]
struct Seen([u8; 4]);

impl Seen {
    /// Another form of the same stem: seen in a field if either was; body counts add.
    fn merge(&mut self, other: Seen) {
        for field in 0..3 {
            self.0[field] = self.0[field].max(other.0[field]);
        }
        self.0[3] = self.0[3].saturating_add(other.0[3]);
    }

    fn weight(self) -> u8 {
        let [title, tags, summary, body] = self.0.map(u32::from);
        (64 * title + 32 * tags + 16 * summary + body.min(15)).min(255) as u8
    }
}

/// An article's entry.
pub(crate) fn doc(content: &ContentTree, article: &Article) -> SearchDoc {
    let parsed = &article.parsed;
    let title = parsed.meta.title.as_deref().unwrap_or_default();
    let no_tags = Vec::new();
    let tags = parsed.meta.taxonomies.get("tags").unwrap_or(&no_tags);
    let html = parsed.body.html.unpack();
    let terms = terms::doc_terms([title, &tags.join(" "), &parsed.description, &html]);
    let section = &content.sections[article.section];
    let body;
    let excerpt = if parsed.description.is_empty() {
        body = crate::parse::markdown::html_to_text(&html);
        let end = body
            .char_indices()
            .nth(EXCERPT_CHARS)
            .map_or(body.len(), |(i, _)| i);
        &body[..end]
    } else {
        &parsed.description
    };
    let card = Card {
        title,
        url: &article.url,
        date: parsed.date.format("%Y-%m-%d").to_string(),
        section: &section.title,
        tags,
        excerpt,
    };
    SearchDoc {
        stems: terms.stems,
        weights: terms.weights,
        forms: terms.forms,
        card: json(&card).into(),
        section: (section.dir.as_str().into(), section.title.as_str().into()),
        year: parsed.date.format("%Y").to_string().into(),
        tags: tags.iter().map(|t| t.as_str().into()).collect(),
    }
}

/// The URL of the folder of `lang`'s index (`/search/<lang>/`).
pub(crate) fn folder(config: &crate::config::Config, lang: &str) -> String {
    format!("{}/search/{lang}/", config.base_path)
}

/// Lines made of parts, each ended by `\n`, as one string.
#[cfg(test)]
fn lines<'a, const N: usize>(items: impl Iterator<Item = [&'a str; N]>) -> Box<str> {
    let mut out = String::new();
    for parts in items {
        for part in parts {
            out.push_str(part);
        }
        out.push('\n');
    }
    out.into()
}

impl SearchDoc {
    fn terms(&self) -> impl Iterator<Item = (&str, u8)> {
        self.stems.lines().zip(self.weights.iter().copied())
    }

    fn forms(&self) -> impl Iterator<Item = (&str, &str)> {
        self.forms.lines().filter_map(|line| line.split_once('\t'))
    }

    /// An entry with only terms and forms.
    #[cfg(test)]
    fn for_test(stems: &[(&str, u8)], forms: &[(&str, &str)]) -> Self {
        SearchDoc {
            stems: lines(stems.iter().map(|(stem, _)| [*stem])),
            weights: stems.iter().map(|(_, weight)| *weight).collect(),
            forms: lines(forms.iter().map(|(form, stem)| [*form, "\t", stem])),
            card: "{}".into(),
            section: ("news".into(), "News".into()),
            year: "2026".into(),
            tags: Vec::new(),
        }
    }
}

/// JSON that can sit inside an inline script too (`<` written as `\u003c`).
fn json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    if json.contains('<') {
        json.replace('<', "\\u003c")
    } else {
        json
    }
}

/// The listed articles of `lang`, newest first (ties by path): doc number order.
fn numbered(content: &ContentTree, lang: &str) -> Vec<ArticleId> {
    let mut ids: Vec<ArticleId> = (0..content.articles.len())
        .filter(|&id| content.articles[id].listed() && content.articles[id].parsed.lang == lang)
        .collect();
    ids.sort_by(|&a, &b| {
        let (a, b) = (&content.articles[a].parsed, &content.articles[b].parsed);
        b.date
            .cmp(&a.date)
            .then_with(|| a.source.rel_path.cmp(&b.source.rel_path))
    });
    ids
}

/// A plain build's index files of one language: each file beside
/// `index.json` goes to `emit` (path under `/search/<lang>/`, bytes) as soon as
/// it is made, and the bytes of `index.json` are returned. Cards go as their
/// docs are made, the postings and forms once their files are made, so an
/// archive's index is never held whole twice, nor are all its files or cards.
fn emit_index_files<E>(
    content: &ContentTree,
    lang: &str,
    doc: impl Fn(ArticleId) -> Arc<SearchDoc> + Sync,
    emit: &mut impl FnMut(String, Vec<u8>) -> Result<(), E>,
) -> Result<Vec<u8>, E> {
    let ids = numbered(content, lang);
    let mut filters = FilterLists::default();
    let mut card_files = 0;
    let SortedTerms { postings, forms } = LanguageIndex::streamed(&ids, doc, |batch| {
        for n in 0..batch.len().div_ceil(CARDS_PER_FILE) {
            emit(card_name(card_files), card_file(batch, n))?;
            card_files += 1;
        }
        batch.iter().for_each(|doc| filters.add(doc));
        Ok(())
    })?;
    let term_firsts = emit_as_made("t", &postings, term_record, emit)?;
    drop(postings);
    let form_firsts = emit_as_made("v", &forms, form_record, emit)?;
    drop(forms);
    let mut files = meta_and_filters(filters, term_firsts, form_firsts).into_iter();
    let meta = files.next().map(|(_, bytes)| bytes).unwrap_or_default();
    for (name, bytes) in files {
        emit(name, bytes)?;
    }
    Ok(meta)
}

/// Emits the chunk files of `records` as `<prefix>/<n>.bin`, each as it is
/// made, returning their first keys.
fn emit_as_made<V, E>(
    prefix: &str,
    records: &BTreeMap<Box<str>, V>,
    write: impl Fn(&mut Vec<u8>, &V),
    emit: &mut impl FnMut(String, Vec<u8>) -> Result<(), E>,
) -> Result<Vec<String>, E> {
    let mut firsts = Vec::new();
    encode::emitted(CHUNK_BYTES, records, write, |first, bytes| {
        emit(chunk_name(prefix, firsts.len()), bytes)?;
        firsts.push(first);
        Ok(())
    })?;
    Ok(firsts)
}

/// The index files of one language in a session: `(path under
/// /search/<lang>/, bytes)`, `index.json` first, and the index they were made
/// from, holding its files for the next build. `doc` gives each article's
/// entry (made, or kept); `before` is the last build's index: kept whole when
/// its docs are the same, else patched where they changed, and only the files
/// that hold what changed are made again.
fn index_files(
    content: &ContentTree,
    lang: &str,
    doc: impl Fn(ArticleId, Option<(u64, &Arc<SearchDoc>)>) -> (u64, Arc<SearchDoc>) + Sync,
    before: Option<LanguageIndex>,
) -> (Vec<(String, FileBytes)>, LanguageIndex) {
    let last = before.as_ref();
    let kept = last.and_then(|b| Some((b, b.numbered_in(content.layout_key)?)));
    let ids = kept.map_or_else(|| numbered(content, lang).into(), |(_, n)| n.ids.clone());
    let made: Vec<(u64, Arc<SearchDoc>)> = (ids.par_iter().enumerate())
        .map(|(n, &id)| {
            let here = kept.and_then(|(b, numbered)| Some((numbered.prints[n], b.docs.get(n)?)));
            doc(id, here)
        })
        .collect();
    let (prints, docs): (Vec<u64>, Vec<Arc<SearchDoc>>) = made.into_iter().unzip();
    let numbered = content.layout_key.map(|layout_key| postings::Numbered {
        layout_key,
        ids,
        prints,
    });
    let before = match before {
        Some(mut kept) if kept.made_from(&docs) => {
            match kept.encoded.as_ref().map(Encoded::files) {
                Some(files) => {
                    kept.numbered = numbered;
                    return (files, kept);
                }
                None => Some(kept),
            }
        }
        other => other,
    };
    let mut index = LanguageIndex::new(docs, before);
    let last = index.encoded.take().zip(index.touched.take());
    let encoded = Encoded::new(&index, last);
    let files = encoded.files();
    index.encoded = Some(encoded);
    index.numbered = numbered;
    (files, index)
}

/// An index's files by kind, as a session keeps them for its next build.
#[derive(Clone)]
pub(crate) struct Encoded {
    /// `index.json`, then the filter files.
    meta_and_filters: Vec<(String, Vec<u8>)>,
    /// Card files, `CARDS_PER_FILE` docs each.
    cards: Vec<FileBytes>,
    /// Term and form files, each with its first key.
    terms: encode::Files,
    forms: encode::Files,
}

/// What a patched index changed: stems and forms (ascending) and doc numbers.
pub(crate) struct Touched {
    pub(super) stems: Vec<Box<str>>,
    pub(super) forms: Vec<Box<str>>,
    pub(super) docs: Vec<usize>,
}

impl Encoded {
    /// The files of `index`. With `last` (the files of the index it was
    /// patched from, and what the patch touched), term, form and card files
    /// that hold nothing touched are the last ones.
    fn new(index: &LanguageIndex, last: Option<(Encoded, Touched)>) -> Self {
        let docs = &index.docs;
        let before = |pick: fn(&Encoded) -> &encode::Files, keys: fn(&Touched) -> &[Box<str>]| {
            last.as_ref().map(|(e, t)| (pick(e), keys(t)))
        };
        let terms = term_files(&index.postings, before(|e| &e.terms, |t| &t.stems));
        let forms = form_files(&index.forms, before(|e| &e.forms, |t| &t.forms));
        let card_files = docs.len().div_ceil(CARDS_PER_FILE);
        let cards = match last {
            Some((mut last, touched)) if last.cards.len() == card_files => {
                for n in touched.docs {
                    let file = n / CARDS_PER_FILE;
                    last.cards[file] = FileBytes::plain(card_file(docs, file));
                }
                last.cards
            }
            _ => (0..card_files)
                .map(|n| FileBytes::plain(card_file(docs, n)))
                .collect(),
        };
        let firsts = |files: &encode::Files| files.iter().map(|(first, _)| first.clone()).collect();
        Encoded {
            meta_and_filters: meta_and_filters(
                FilterLists::of(docs),
                firsts(&terms),
                firsts(&forms),
            ),
            cards,
            terms,
            forms,
        }
    }

    /// Every file, `index.json` first: shared with the index, which a
    /// session keeps for its next build.
    fn files(&self) -> Vec<(String, FileBytes)> {
        let meta = self.meta_and_filters.iter();
        let mut files: Vec<(String, FileBytes)> = meta
            .map(|(name, bytes)| (name.clone(), FileBytes::plain(bytes.clone())))
            .collect();
        let cards = self.cards.iter().enumerate();
        files.extend(cards.map(|(n, bytes)| (card_name(n), bytes.clone())));
        for (prefix, chunks) in [("t", &self.terms), ("v", &self.forms)] {
            let named = chunks.iter().enumerate();
            files.extend(named.map(|(n, (_, bytes))| (chunk_name(prefix, n), bytes.clone())));
        }
        files
    }
}

/// `index.json` (naming the first key of each term and form file), then the
/// filter files.
fn meta_and_filters(
    filters: FilterLists,
    terms: Vec<String>,
    forms: Vec<String>,
) -> Vec<(String, Vec<u8>)> {
    let docs = filters.docs as usize;
    let (filters, lists) = filters.files();
    let meta = Meta {
        version: 1,
        docs,
        cards_per_file: CARDS_PER_FILE,
        terms,
        forms,
        filters,
    };
    let mut files = vec![("index.json".to_string(), json(&meta).into_bytes())];
    for (n, bytes) in lists.into_iter().enumerate() {
        files.push((format!("f/{n}.bin"), bytes));
    }
    files
}

/// The term files of `postings` (`before`: see `encode::chunked`).
fn term_files(
    postings: &BTreeMap<Box<str>, postings::PostingList>,
    before: Option<(&encode::Files, &[Box<str>])>,
) -> encode::Files {
    encode::chunked(CHUNK_BYTES, postings, term_record, before)
}

/// A term file's record of a stem's postings.
fn term_record(out: &mut Vec<u8>, list: &postings::PostingList) {
    encode::number(out, list.len() as u64);
    out.extend_from_slice(list.encoded());
}

/// A form file's record: the form's stem.
fn form_record(out: &mut Vec<u8>, (stem, _): &(Box<str>, u32)) {
    encode::string(out, stem);
}

/// The form files of `forms` (form → its stem, how many docs use it).
fn form_files(
    forms: &BTreeMap<Box<str>, (Box<str>, u32)>,
    before: Option<(&encode::Files, &[Box<str>])>,
) -> encode::Files {
    encode::chunked(CHUNK_BYTES, forms, form_record, before)
}

/// The name of chunk file `n` of the term (`t`) or form (`v`) files.
fn chunk_name(prefix: &str, n: usize) -> String {
    format!("{prefix}/{n}.bin")
}

/// The name of card file `n`.
fn card_name(n: usize) -> String {
    format!("d/{n}.json")
}

/// Card file `n` of `docs`: the cards of docs `n × CARDS_PER_FILE …`, as a JSON array.
fn card_file(docs: &[Arc<SearchDoc>], n: usize) -> Vec<u8> {
    let group = &docs[n * CARDS_PER_FILE..docs.len().min((n + 1) * CARDS_PER_FILE)];
    let cards: Vec<&str> = group.iter().map(|d| &*d.card).collect();
    format!("[{}]", cards.join(",")).into_bytes()
}

#[derive(Serialize)]
struct Meta {
    version: u32,
    docs: usize,
    cards_per_file: usize,
    /// First key of each term file `t/<n>.bin`.
    terms: Vec<String>,
    /// First form of each form file `v/<n>.bin`.
    forms: Vec<String>,
    filters: Vec<Filter>,
}

#[derive(Serialize)]
struct Filter {
    name: &'static str,
    values: Vec<FilterValue>,
}

#[derive(Serialize)]
struct FilterValue {
    value: String,
    label: String,
    count: usize,
    /// `f/<file>.bin` lists its docs.
    file: usize,
}

/// A filter's values: value → (label, its docs).
type FilterValues = BTreeMap<Box<str>, (Box<str>, Vec<u32>)>;

/// Each filter value's docs (section, year, tag), noted doc by doc in
/// number order, with its label.
#[derive(Default)]
struct FilterLists {
    kinds: [FilterValues; 3],
    /// Docs noted so far: the next one's number.
    docs: u32,
}

impl FilterLists {
    const NAMES: [&'static str; 3] = ["section", "year", "tag"];

    fn of(docs: &[Arc<SearchDoc>]) -> Self {
        let mut lists = FilterLists::default();
        docs.iter().for_each(|doc| lists.add(doc));
        lists
    }

    /// The next doc's values.
    fn add(&mut self, doc: &SearchDoc) {
        let n = self.docs;
        self.docs += 1;
        let (dir, title) = &doc.section;
        let [sections, years, tags] = &mut self.kinds;
        note(sections, dir, title, n);
        note(years, &doc.year, &doc.year, n);
        for tag in &doc.tags {
            note(tags, tag, tag, n);
        }
    }

    /// Each filter with its values, and each value's list file (as doc deltas).
    fn files(self) -> (Vec<Filter>, Vec<Vec<u8>>) {
        let mut filters = Vec::new();
        let mut lists = Vec::new();
        for (name, values) in Self::NAMES.into_iter().zip(self.kinds) {
            let mut out = Vec::new();
            let mut entries: Vec<_> = values.into_iter().collect();
            if name == "year" {
                entries.reverse();
            }
            for (value, (label, list)) in entries {
                let mut bytes = Vec::new();
                encode::docs(&mut bytes, list.iter().copied());
                out.push(FilterValue {
                    value: value.into(),
                    label: label.into(),
                    count: list.len(),
                    file: lists.len(),
                });
                lists.push(bytes);
            }
            filters.push(Filter { name, values: out });
        }
        (filters, lists)
    }
}

/// Doc `n` has `value` (a tag written twice counts once).
fn note(values: &mut FilterValues, value: &str, label: &str, n: u32) {
    match values.get_mut(value) {
        Some((_, list)) => {
            if list.last() != Some(&n) {
                list.push(n);
            }
        }
        None => {
            values.insert(value.into(), (label.into(), vec![n]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_outweighs_tags_summary_and_body() {
        let weight = |fields: [u8; 4]| Seen(fields).weight();
        assert!(weight([1, 0, 0, 0]) > weight([0, 1, 1, 15]));
        assert!(weight([0, 1, 0, 0]) > weight([0, 0, 1, 15]));
        assert!(weight([0, 0, 1, 0]) > weight([0, 0, 0, 15]));
        assert_eq!(weight([1, 1, 1, 200]), 64 + 32 + 16 + 15);
    }
}
