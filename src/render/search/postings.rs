//! One language's postings and word forms, kept sorted so that a session's
//! next build patches the entries of the few docs an edit changed instead of
//! gathering every doc's terms again.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{CARDS_PER_FILE, Encoded, SearchDoc, Touched};
use crate::link::ArticleId;

/// Changed docs beyond which a session's index is gathered again whole.
const PATCH_LIMIT: usize = 256;
/// Docs made at once by a plain build's index.
const BATCH: usize = 1024;

/// The docs of one language in number order, with their postings by stem and
/// the word forms they use.
pub(crate) struct LanguageIndex {
    pub(super) docs: Vec<Arc<SearchDoc>>,
    /// Stem → its docs.
    pub(super) postings: BTreeMap<Box<str>, PostingList>,
    /// Form → (its stem, how many docs use it).
    pub(super) forms: BTreeMap<Box<str>, (Box<str>, u32)>,
    /// The files made from it, kept by sessions: a build in which none of
    /// the language's docs changed publishes them again as they are, and
    /// one that patched the index makes again only those it touched.
    pub(super) encoded: Option<Encoded>,
    /// In sessions: its articles in doc number order (`numbered`) and the
    /// fingerprint of each one's doc, for the content tree's layout they
    /// stand for.
    pub(super) numbered: Option<Numbered>,
    /// What the patch that made it changed (until its files are made).
    pub(super) touched: Option<Touched>,
}

/// A session's index's articles in doc number order, and each doc's
/// fingerprint: while the tree's layout stands, the next build finds a
/// doc's last version by its number.
pub(crate) struct Numbered {
    pub(super) layout_key: u64,
    pub(super) ids: Arc<[ArticleId]>,
    pub(super) prints: Vec<u64>,
}

impl LanguageIndex {
    /// The index of `docs`; `before` (the last build's) is patched when few of
    /// its docs changed and their numbers stayed, else it is gathered again.
    pub(super) fn new(docs: Vec<Arc<SearchDoc>>, before: Option<LanguageIndex>) -> Self {
        match before {
            Some(before) if before.docs.len() == docs.len() => before.patched(docs),
            _ => Self::gathered(docs),
        }
    }

    /// Its articles in doc number order, when the content tree's layout is
    /// still `layout_key` (and so are their dates and who is listed).
    pub(super) fn numbered_in(&self, layout_key: Option<u64>) -> Option<&Numbered> {
        let numbered = self.numbered.as_ref()?;
        (Some(numbered.layout_key) == layout_key).then_some(numbered)
    }

    /// Whether these are the docs it was made from, in the same order.
    pub(super) fn made_from(&self, docs: &[Arc<SearchDoc>]) -> bool {
        self.docs.len() == docs.len() && self.docs.iter().zip(docs).all(|(a, b)| Arc::ptr_eq(a, b))
    }

    fn gathered(docs: Vec<Arc<SearchDoc>>) -> Self {
        let mut gathering = Gathering::default();
        for doc in &docs {
            gathering.fold(doc);
        }
        gathering.finish(docs)
    }

    /// A plain build's postings and forms: docs are made in batches, each
    /// batch goes to `made` (which writes its cards and notes its filter
    /// values) and is folded in, and then dropped, so that neither the
    /// terms nor the cards of all the language's articles are held at once
    /// (their postings are).
    pub(super) fn streamed<E>(
        ids: &[ArticleId],
        doc: impl Fn(ArticleId) -> Arc<SearchDoc> + Sync,
        mut made: impl FnMut(&[Arc<SearchDoc>]) -> Result<(), E>,
    ) -> Result<SortedTerms, E> {
        // A batch's cards fill whole card files.
        const { assert!(BATCH % CARDS_PER_FILE == 0) };
        let mut gathering = Gathering::default();
        for batch in ids.chunks(BATCH) {
            let docs: Vec<Arc<SearchDoc>> = batch.par_iter().map(|&id| doc(id)).collect();
            made(&docs)?;
            for doc in &docs {
                gathering.fold(doc);
            }
        }
        Ok(gathering.sorted())
    }

    fn patched(mut self, docs: Vec<Arc<SearchDoc>>) -> Self {
        let changed: Vec<usize> = (0..docs.len())
            .filter(|&n| !Arc::ptr_eq(&docs[n], &self.docs[n]))
            .collect();
        if changed.len() > PATCH_LIMIT {
            return Self::gathered(docs);
        }
        let mut touched = Touched {
            stems: Vec::new(),
            forms: Vec::new(),
            docs: changed,
        };
        for &n in &touched.docs {
            let (old, new) = (self.docs[n].clone(), docs[n].clone());
            self.remove(n as u32, &old);
            self.add(n as u32, &new);
            for doc in [&old, &new] {
                touched
                    .stems
                    .extend(doc.terms().map(|(stem, _)| stem.into()));
                touched
                    .forms
                    .extend(doc.forms().map(|(form, _)| form.into()));
            }
        }
        for keys in [&mut touched.stems, &mut touched.forms] {
            keys.sort_unstable();
            keys.dedup();
        }
        self.docs = docs;
        self.touched = Some(touched);
        self
    }

    fn remove(&mut self, n: u32, doc: &SearchDoc) {
        for (stem, _) in doc.terms() {
            if let Some(list) = self.postings.get_mut(stem) {
                list.remove(n);
                if list.is_empty() {
                    self.postings.remove(stem);
                }
            }
        }
        for (form, _) in doc.forms() {
            if let Some((_, uses)) = self.forms.get_mut(form) {
                *uses -= 1;
                if *uses == 0 {
                    self.forms.remove(form);
                }
            }
        }
    }

    fn add(&mut self, n: u32, doc: &SearchDoc) {
        for (stem, weight) in doc.terms() {
            let list = match self.postings.get_mut(stem) {
                Some(list) => list,
                None => self.postings.entry(stem.into()).or_default(),
            };
            list.insert(n, weight);
        }
        for (form, stem) in doc.forms() {
            match self.forms.get_mut(form) {
                Some((_, uses)) => *uses += 1,
                None => {
                    self.forms.insert(form.into(), (stem.into(), 1));
                }
            }
        }
    }
}

/// A language's postings by stem and word forms, without its docs.
pub(super) struct SortedTerms {
    pub(super) postings: BTreeMap<Box<str>, PostingList>,
    pub(super) forms: BTreeMap<Box<str>, (Box<str>, u32)>,
}

/// An index being gathered from docs in number order.
#[derive(Default)]
struct Gathering {
    /// Docs folded in so far: the next one's number.
    folded: u32,
    postings: FxHashMap<Box<str>, PostingList>,
    forms: FxHashMap<Box<str>, (Box<str>, u32)>,
}

impl Gathering {
    /// The terms of the next doc (numbered after those folded in) join the
    /// postings.
    fn fold(&mut self, doc: &SearchDoc) {
        let n = self.folded;
        self.folded += 1;
        for (stem, weight) in doc.terms() {
            match self.postings.get_mut(stem) {
                Some(list) => list.push(n, weight),
                None => {
                    let mut list = PostingList::default();
                    list.push(n, weight);
                    self.postings.insert(stem.into(), list);
                }
            }
        }
        for (form, stem) in doc.forms() {
            match self.forms.get_mut(form) {
                Some((_, uses)) => *uses += 1,
                None => {
                    self.forms.insert(form.into(), (stem.into(), 1));
                }
            }
        }
    }

    fn sorted(self) -> SortedTerms {
        SortedTerms {
            // Lists grew by doubling; the index holds them until its files are made.
            postings: sorted(self.postings.into_iter().map(PostingList::fitted).collect()),
            forms: sorted(self.forms.into_iter().collect()),
        }
    }

    fn finish(self, docs: Vec<Arc<SearchDoc>>) -> LanguageIndex {
        let SortedTerms { postings, forms } = self.sorted();
        LanguageIndex {
            numbered: None,
            docs,
            postings,
            forms,
            encoded: None,
            touched: None,
        }
    }
}

/// One stem's docs: ascending (doc number, weight) pairs, held as the term
/// files write them (each number as a LEB128 delta from the one before, then
/// the weight byte). An archive's postings are its search index's biggest
/// part in memory, and pairs in a `Vec<(u32, u8)>` take 8 bytes where this
/// takes 2 or 3.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct PostingList {
    bytes: Vec<u8>,
    len: u32,
    last: u32,
}

impl PostingList {
    /// A stem's list without the room it grew into.
    fn fitted((stem, mut list): (Box<str>, Self)) -> (Box<str>, Self) {
        list.bytes.shrink_to_fit();
        (stem, list)
    }

    /// Appends a doc numbered after every doc in the list.
    fn push(&mut self, doc: u32, weight: u8) {
        debug_assert!(self.len == 0 || doc > self.last);
        super::encode::number(&mut self.bytes, u64::from(doc - self.last));
        self.bytes.push(weight);
        self.len += 1;
        self.last = doc;
    }

    /// Puts a doc in its place (sessions patch lists out of order): the
    /// bytes of the doc after it are spliced, not the list made again.
    fn insert(&mut self, doc: u32, weight: u8) {
        let at = self.find(doc);
        match at.doc {
            Some(found) if found == doc => self.bytes[at.delta_end] = weight,
            Some(next) => {
                let mut spliced = Vec::with_capacity(8);
                super::encode::number(&mut spliced, u64::from(doc - at.before));
                spliced.push(weight);
                super::encode::number(&mut spliced, u64::from(next - doc));
                self.bytes.splice(at.start..at.delta_end, spliced);
                self.len += 1;
            }
            None => self.push(doc, weight),
        }
    }

    fn remove(&mut self, doc: u32) {
        let at = self.find(doc);
        if at.doc != Some(doc) {
            return;
        }
        let next_start = at.delta_end + 1;
        self.len -= 1;
        if next_start == self.bytes.len() {
            self.bytes.truncate(at.start);
            self.last = at.before;
            return;
        }
        // The next doc's delta now counts from the doc before the removed one.
        let (next_delta, next_end) = read_number(&self.bytes, next_start);
        let mut spliced = Vec::with_capacity(5);
        super::encode::number(&mut spliced, u64::from(doc + next_delta - at.before));
        self.bytes.splice(at.start..next_end, spliced);
    }

    /// Where the first doc numbered `doc` or more is.
    fn find(&self, doc: u32) -> Found {
        let (mut start, mut before) = (0, 0);
        while start < self.bytes.len() {
            let (delta, delta_end) = read_number(&self.bytes, start);
            let here = before + delta;
            if here >= doc {
                return Found {
                    start,
                    delta_end,
                    doc: Some(here),
                    before,
                };
            }
            (start, before) = (delta_end + 1, here);
        }
        Found {
            start,
            delta_end: start,
            doc: None,
            before,
        }
    }

    /// Number of docs.
    pub(super) fn len(&self) -> usize {
        self.len as usize
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The pairs as the term files hold them.
    pub(super) fn encoded(&self) -> &[u8] {
        &self.bytes
    }

    /// The (doc number, weight) pairs, ascending.
    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        let (mut at, mut doc) = (0, 0);
        std::iter::from_fn(move || {
            if at >= self.bytes.len() {
                return None;
            }
            let (delta, delta_end) = read_number(&self.bytes, at);
            doc += delta;
            at = delta_end + 1;
            Some((doc, self.bytes[delta_end]))
        })
    }
}

/// A doc's place in a `PostingList`: the byte its delta starts at and the one
/// after the delta (its weight), the doc there, and the doc before it.
struct Found {
    start: usize,
    delta_end: usize,
    doc: Option<u32>,
    before: u32,
}

/// The LEB128 number at `at`, and the offset after it.
fn read_number(bytes: &[u8], mut at: usize) -> (u32, usize) {
    let (mut number, mut shift) = (0u32, 0);
    loop {
        let byte = bytes[at];
        at += 1;
        number |= u32::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return (number, at);
        }
    }
}

/// A map from pairs sorted in parallel (a B-tree built from sorted input is
/// one pass).
fn sorted<V: Send>(mut pairs: Vec<(Box<str>, V)>) -> BTreeMap<Box<str>, V> {
    pairs.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    pairs.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(stems: &[(&str, u8)], forms: &[(&str, &str)]) -> Arc<SearchDoc> {
        Arc::new(SearchDoc::for_test(stems, forms))
    }

    fn postings(index: &LanguageIndex) -> Vec<(String, Vec<(u32, u8)>)> {
        index
            .postings
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().collect()))
            .collect()
    }

    fn forms(index: &LanguageIndex) -> Vec<(String, String, u32)> {
        index
            .forms
            .iter()
            .map(|(k, (s, n))| (k.to_string(), s.to_string(), *n))
            .collect()
    }

    #[test]
    fn a_patched_index_equals_one_gathered_again() {
        let a = doc(&[("bridg", 3), ("river", 1)], &[("bridges", "bridg")]);
        let b = doc(&[("river", 2)], &[("rivers", "river")]);
        let c = doc(&[("bridg", 1), ("ice", 64)], &[("bridges", "bridg")]);
        let before = LanguageIndex::new(vec![a.clone(), b.clone(), c.clone()], None);
        let b2 = doc(&[("ice", 5), ("bridg", 16)], &[("bridging", "bridg")]);
        let patched = LanguageIndex::new(vec![a.clone(), b2.clone(), c.clone()], Some(before));
        let fresh = LanguageIndex::new(vec![a, b2, c], None);
        assert_eq!(postings(&patched), postings(&fresh));
        assert_eq!(forms(&patched), forms(&fresh));
        assert_eq!(
            postings(&fresh)[0],
            ("bridg".to_string(), vec![(0, 3), (1, 16), (2, 1)])
        );
        assert!(!forms(&fresh).iter().any(|(form, _, _)| form == "rivers"));
    }

    #[test]
    fn posting_lists_hold_what_was_put_in() {
        let mut list = PostingList::default();
        for (doc, weight) in [(0, 1), (5, 64), (200, 3), (70_000, 255)] {
            list.push(doc, weight);
        }
        list.insert(6, 9);
        list.insert(5, 2);
        list.remove(200);
        let pairs: Vec<(u32, u8)> = list.iter().collect();
        assert_eq!(pairs, [(0, 1), (5, 2), (6, 9), (70_000, 255)]);
        assert_eq!(list.len(), 4);
        // 0 | 5 | 1 | 69,994 (three LEB128 bytes), each with its weight.
        assert_eq!(list.encoded().len(), 2 + 2 + 2 + 4);
        list.remove(0);
        assert_eq!(list.iter().next(), Some((5, 2)));
        list.remove(70_000);
        list.push(80_000, 4);
        list.insert(1, 7);
        list.remove(42);
        let pairs: Vec<(u32, u8)> = list.iter().collect();
        assert_eq!(pairs, [(1, 7), (5, 2), (6, 9), (80_000, 4)]);
        let mut again = PostingList::default();
        for (doc, weight) in pairs {
            again.push(doc, weight);
        }
        assert_eq!(list, again, "spliced bytes equal those pushed in order");
    }
}
