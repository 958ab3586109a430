//! The words an index is made of, the same way the search script cuts a query:
//! text is folded (lower case, `ё` as `е`), cut at anything not a letter or a
//! digit, Chinese/Japanese/Korean runs become character bigrams (a lone
//! character stays whole), and other words of two letters or more are stemmed
//! with Snowball: Cyrillic words in Russian, the rest in English. The index
//! keeps stems; the word forms the site wrote map to them.

use std::cell::RefCell;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

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
    /// `then(the stem of a folded term)`: CJK terms and numbers stay as they
    /// are. Stems are remembered per thread (an archive repeats a small
    /// vocabulary millions of times, and Snowball allocates) and lent, not copied.
    pub(crate) fn with_stem<R>(&self, word: &str, then: impl FnOnce(&str) -> R) -> R {
        thread_local! {
            static KNOWN: RefCell<FxHashMap<Box<str>, Box<str>>> = RefCell::default();
        }
        KNOWN.with_borrow_mut(|known| {
            if let Some(stem) = known.get(word) {
                return then(stem);
            }
            let stem = if word.starts_with(is_cjk) || word.chars().all(char::is_numeric) {
                word.to_string()
            } else if word.chars().any(|c| matches!(c, '\u{0400}'..='\u{04ff}')) {
                self.russian.stem(word).into_owned()
            } else {
                self.english.stem(word).into_owned()
            };
            if known.len() >= KNOWN_WORDS {
                known.clear();
            }
            let result = then(&stem);
            known.insert(word.into(), stem.into());
            result
        })
    }
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

/// Words whose stems a thread remembers before it starts again.
const KNOWN_WORDS: usize = 200_000;

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
            out.push((form.to_string(), stemmers.with_stem(form, str::to_string)))
        });
        out
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
