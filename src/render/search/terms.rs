//! The words an index is made of, the same way the search script cuts a query:
//! text is folded (lower case, `ё` as `е`), cut at anything not a letter or a
//! digit, Chinese/Japanese/Korean runs become character bigrams (a lone
//! character stays whole), and other words of two letters or more are stemmed
//! with Snowball: Cyrillic words in Russian, the rest in English. The index
//! keeps stems; the word forms the site wrote map to them.

use std::cell::RefCell;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use super::Seen;

/// Characters written without spaces between words (the script's `CJK` class).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ac00}'..='\u{d7af}')
}

/// The stemmers of the scripts the portal writes in.
pub(crate) struct Stemmers {
    english: Stemmer,
    russian: Stemmer,
}

impl Default for Stemmers {
    fn default() -> Self {
        Stemmers {
            english: Stemmer::create(Algorithm::English),
            russian: Stemmer::create(Algorithm::Russian),
        }
    }
}

impl Stemmers {
    /// The stem of a folded term: CJK terms and numbers stay as they are.
    fn stem(&self, word: &str) -> String {
        if word.starts_with(is_cjk) || word.chars().all(char::is_numeric) {
            word.to_string()
        } else if word.chars().any(|c| matches!(c, '\u{0400}'..='\u{04ff}')) {
            self.russian.stem(word).into_owned()
        } else {
            self.english.stem(word).into_owned()
        }
    }
}

/// Word forms a thread remembers before it starts again.
const KNOWN_WORDS: usize = 200_000;

/// The forms a thread has met, each numbered with its stem's number, and the
/// counts of the article being read, by number. An archive repeats a small
/// vocabulary millions of times: each word of an article costs one lookup,
/// and a form is stemmed once per thread, not once per article.
#[derive(Default)]
struct Vocabulary {
    stemmers: Stemmers,
    ids: FxHashMap<Box<str>, u32>,
    /// By form number: the form and its stem's number.
    forms: Vec<(Box<str>, u32)>,
    stem_ids: FxHashMap<Box<str>, u32>,
    stems: Vec<Box<str>>,
    /// The article's counts by form and by stem, and the numbers it touched.
    seen: Vec<Seen>,
    touched: Vec<u32>,
    stem_seen: Vec<Seen>,
    stems_touched: Vec<u32>,
}

impl Vocabulary {
    fn id(&mut self, form: &str) -> usize {
        if let Some(&id) = self.ids.get(form) {
            return id as usize;
        }
        let stem = self.stemmers.stem(form);
        let stem_id = match self.stem_ids.get(stem.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.stems.len() as u32;
                self.stems.push(stem.as_str().into());
                self.stem_ids.insert(stem.into(), id);
                self.stem_seen.push(Seen::default());
                id
            }
        };
        let id = self.forms.len();
        self.forms.push((form.into(), stem_id));
        self.ids.insert(form.into(), id as u32);
        self.seen.push(Seen::default());
        id
    }
}

/// An article's terms: its stems with their weights, and the forms it wrote
/// whose stem differs from them.
pub(super) struct DocTerms {
    /// Stems, each ended by `\n`.
    pub(super) stems: Box<str>,
    pub(super) weights: Box<[u8]>,
    /// `form\tstem\n` lines.
    pub(super) forms: Box<str>,
}

/// The terms of an article's fields: title, tags, summary, body (HTML). A
/// form counts once in each of the first three and as often as it appears in
/// the body; the forms of one stem add up (`Seen::merge`).
pub(super) fn doc_terms(fields: [&str; 4]) -> DocTerms {
    thread_local! {
        static VOCABULARY: RefCell<Vocabulary> = RefCell::default();
    }
    VOCABULARY.with_borrow_mut(|v| {
        if v.forms.len() >= KNOWN_WORDS {
            *v = Vocabulary::default();
        }
        for (field, text) in fields.into_iter().enumerate() {
            each_term(text, field == 3, |form| {
                let id = v.id(form);
                let seen = &mut v.seen[id].0;
                if *seen == [0; 4] {
                    v.touched.push(id as u32);
                }
                seen[field] = if field == 3 {
                    seen[field].saturating_add(1)
                } else {
                    1
                };
            });
        }
        let mut forms = String::new();
        let mut touched = std::mem::take(&mut v.touched);
        for id in touched.drain(..) {
            let seen = std::mem::take(&mut v.seen[id as usize]);
            let (form, stem_id) = &v.forms[id as usize];
            let stem = *stem_id as usize;
            if v.stem_seen[stem].0 == [0; 4] {
                v.stems_touched.push(*stem_id);
            }
            v.stem_seen[stem].merge(seen);
            if *v.stems[stem] != **form {
                for part in [&**form, "\t", &*v.stems[stem], "\n"] {
                    forms.push_str(part);
                }
            }
        }
        v.touched = touched;
        let mut stems = String::new();
        let mut weights = Vec::with_capacity(v.stems_touched.len());
        for &stem in &v.stems_touched {
            stems.push_str(&v.stems[stem as usize]);
            stems.push('\n');
            weights.push(std::mem::take(&mut v.stem_seen[stem as usize]).weight());
        }
        v.stems_touched.clear();
        DocTerms {
            stems: stems.into(),
            weights: weights.into(),
            forms: forms.into(),
        }
    })
}

/// Every term of `text`, folded, in order, as a query would cut it: CJK
/// bigrams (a lone character whole), other words of two letters or more.
/// With `markup`, the text is HTML: tags are skipped and entities separate
/// words. One pass, no allocation per word: it reads every article's body.
pub(crate) fn each_term(text: &str, markup: bool, mut term: impl FnMut(&str)) {
    let mut word = String::with_capacity(64);
    let mut run = String::with_capacity(64);
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        // ASCII without decoding: most of any page, markup included.
        if byte.is_ascii() {
            at += 1;
            if byte.is_ascii_alphanumeric() {
                if !run.is_empty() {
                    flush_run(&mut run, &mut term);
                }
                word.push(char::from(byte.to_ascii_lowercase()));
                continue;
            }
            flush_word(&mut word, &mut term);
            flush_run(&mut run, &mut term);
            if markup && (byte == b'<' || byte == b'&') {
                let close = if byte == b'<' { b'>' } else { b';' };
                at = bytes[at..]
                    .iter()
                    .position(|&b| b == close)
                    .map_or(bytes.len(), |end| at + end + 1);
            }
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        if is_cjk(c) {
            flush_word(&mut word, &mut term);
            run.push(c);
        } else if let 'А'..='я' | 'Ё' | 'ё' = c {
            // Russian letters, folded without the Unicode tables.
            flush_run(&mut run, &mut term);
            word.push(match c {
                'А'..='Я' => char::from_u32(c as u32 + 32).unwrap_or(c),
                'Ё' | 'ё' => 'е',
                _ => c,
            });
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut term);
            for lower in c.to_lowercase() {
                word.push(if lower == 'ё' { 'е' } else { lower });
            }
        } else {
            flush_word(&mut word, &mut term);
            flush_run(&mut run, &mut term);
        }
    }
    flush_word(&mut word, &mut term);
    flush_run(&mut run, &mut term);
}

fn flush_word(word: &mut String, term: &mut impl FnMut(&str)) {
    if word.is_empty() {
        return;
    }
    if word.chars().nth(1).is_some() {
        term(word);
    }
    word.clear();
}

fn flush_run(run: &mut String, term: &mut impl FnMut(&str)) {
    if !run.is_empty() {
        bigrams(run, term);
        run.clear();
    }
}

fn bigrams(run: &str, term: &mut impl FnMut(&str)) {
    let starts: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
    if starts.len() == 1 {
        term(run);
    }
    for pair in starts.windows(2).enumerate() {
        let (i, w) = pair;
        let end = starts.get(i + 2).copied().unwrap_or(run.len());
        term(&run[w[0]..end]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<(String, String)> {
        let stemmers = Stemmers::default();
        let mut out = Vec::new();
        each_term(text, false, |form| {
            out.push((form.to_string(), stemmers.stem(form)))
        });
        out
    }

    #[test]
    fn an_article_counts_each_stem_once_with_its_fields_merged() {
        let body = "<p>Bridges and a bridge; the bridge. 大桥</p>";
        for _ in 0..2 {
            let terms = doc_terms(["Bridge", "ice", "", body]);
            let mut got: Vec<(&str, u8)> = terms
                .stems
                .lines()
                .zip(terms.weights.iter().copied())
                .collect();
            got.sort();
            let weight = |fields| Seen(fields).weight();
            assert_eq!(
                got,
                [
                    ("and", weight([0, 0, 0, 1])),
                    ("bridg", weight([1, 0, 0, 3])),
                    ("ice", weight([0, 1, 0, 0])),
                    ("the", weight([0, 0, 0, 1])),
                    ("大桥", weight([0, 0, 0, 1])),
                ]
            );
            let mut forms: Vec<&str> = terms.forms.lines().collect();
            forms.sort();
            assert_eq!(forms, ["bridge\tbridg", "bridges\tbridg"]);
        }
    }

    #[test]
    fn russian_forms_share_a_stem_and_yo_is_folded() {
        let got = terms("Делегация делегации, ЁЛКА");
        assert_eq!(got[0].1, got[1].1);
        assert_eq!(got[0].0, "делегация");
        assert!(got[2].0.starts_with("елк"), "{got:?}");
    }

    #[test]
    fn english_is_stemmed_and_single_letters_dropped() {
        let got = terms("A bridge, bridges; 2026");
        let stems: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(stems, ["bridg", "bridg", "2026"]);
    }

    #[test]
    fn markup_is_skipped_and_entities_separate_words() {
        let mut out = Vec::new();
        each_term(
            "<p class=\"x\">Fish&amp;chips <em>Ёж</em></p>",
            true,
            |w| out.push(w.to_string()),
        );
        assert_eq!(out, ["fish", "chips", "еж"]);
    }

    #[test]
    fn chinese_runs_become_bigrams_beside_latin() {
        let got = terms("冰雪节APEC会");
        let forms: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(forms, ["冰雪", "雪节", "apec", "会"]);
    }
}
