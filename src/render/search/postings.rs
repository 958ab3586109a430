//! One language's postings and word forms, kept sorted so that a session's
//! next build patches the entries of the few docs an edit changed instead of
//! gathering every doc's terms again.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::SearchDoc;
use crate::link::ArticleId;

/// Changed docs beyond which a session's index is gathered again whole.
const PATCH_LIMIT: usize = 256;
/// Docs made at once by a plain build's index.
const BATCH: usize = 1024;

/// The docs of one language in number order, with their postings by stem and
/// the word forms they use.
pub(crate) struct LanguageIndex {
    pub(super) docs: Vec<Arc<SearchDoc>>,
    /// Stem → ascending (doc number, weight).
    pub(super) postings: BTreeMap<Box<str>, Vec<(u32, u8)>>,
    /// Form → (its stem, how many docs use it).
    pub(super) forms: BTreeMap<Box<str>, (Box<str>, u32)>,
    /// The files made from it, kept by sessions: a build in which none of
    /// the language's docs changed publishes them again as they are.
    pub(super) files: Vec<(String, Vec<u8>)>,
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

    /// Whether these are the docs it was made from, in the same order.
    pub(super) fn made_from(&self, docs: &[Arc<SearchDoc>]) -> bool {
        self.docs.len() == docs.len() && self.docs.iter().zip(docs).all(|(a, b)| Arc::ptr_eq(a, b))
    }

    fn gathered(docs: Vec<Arc<SearchDoc>>) -> Self {
        let mut gathering = Gathering::default();
        for doc in docs {
            gathering.fold(&doc);
            gathering.docs.push(doc);
        }
        gathering.finish()
    }

    /// A plain build's index: docs are made in batches and folded in, and then
    /// keep only their cards and filter values, so that the terms of all the
    /// language's articles are never held at once (their postings are).
    pub(super) fn streamed(
        ids: &[ArticleId],
        doc: impl Fn(ArticleId) -> Arc<SearchDoc> + Sync,
    ) -> Self {
        let mut gathering = Gathering::default();
        for batch in ids.chunks(BATCH) {
            let made: Vec<Arc<SearchDoc>> = batch.par_iter().map(|&id| doc(id)).collect();
            for doc in made {
                gathering.fold(&doc);
                gathering.docs.push(SearchDoc::without_terms(doc));
            }
        }
        gathering.finish()
    }

    fn patched(mut self, docs: Vec<Arc<SearchDoc>>) -> Self {
        let changed: Vec<usize> = (0..docs.len())
            .filter(|&n| !Arc::ptr_eq(&docs[n], &self.docs[n]))
            .collect();
        if changed.len() > PATCH_LIMIT {
            return Self::gathered(docs);
        }
        for &n in &changed {
            let (old, new) = (self.docs[n].clone(), docs[n].clone());
            self.remove(n as u32, &old);
            self.add(n as u32, &new);
        }
        self.docs = docs;
        self.files.clear();
        self
    }

    fn remove(&mut self, n: u32, doc: &SearchDoc) {
        for (stem, _) in doc.terms() {
            if let Some(list) = self.postings.get_mut(stem) {
                if let Ok(at) = list.binary_search_by_key(&n, |&(d, _)| d) {
                    list.remove(at);
                }
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
            let at = list.partition_point(|&(d, _)| d < n);
            list.insert(at, (n, weight));
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

/// An index being gathered from docs in number order.
#[derive(Default)]
struct Gathering {
    docs: Vec<Arc<SearchDoc>>,
    postings: FxHashMap<Box<str>, Vec<(u32, u8)>>,
    forms: FxHashMap<Box<str>, (Box<str>, u32)>,
}

impl Gathering {
    /// The terms of the next doc (numbered after those in `docs`) join the
    /// postings; the caller then pushes what it keeps of the doc.
    fn fold(&mut self, doc: &SearchDoc) {
        let n = self.docs.len() as u32;
        for (stem, weight) in doc.terms() {
            match self.postings.get_mut(stem) {
                Some(list) => list.push((n, weight)),
                None => {
                    self.postings.insert(stem.into(), vec![(n, weight)]);
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

    fn finish(self) -> LanguageIndex {
        LanguageIndex {
            docs: self.docs,
            postings: sorted(self.postings.into_iter().collect()),
            forms: sorted(self.forms.into_iter().collect()),
            files: Vec::new(),
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
            .map(|(k, v)| (k.to_string(), v.clone()))
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
}
