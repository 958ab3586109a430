//! The index's binary files: unsigned LEB128 numbers and length-prefixed
//! UTF-8 strings, read by the search script with a `DataView`.
//!
//! - term chunk: records `key, n, n × (doc delta, weight byte)`, keys ascending
//! - form chunk: records `form, stem`, forms ascending
//! - filter file: the doc numbers of one filter value, as deltas

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::output::FileBytes;

/// Appends `n` as unsigned LEB128.
pub(super) fn number(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends a string as its byte length and its UTF-8.
pub(super) fn string(out: &mut Vec<u8>, text: &str) {
    number(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Ascending doc numbers as deltas (the first as it is).
pub(super) fn docs(out: &mut Vec<u8>, docs: impl IntoIterator<Item = u32>) {
    let mut last = 0;
    for doc in docs {
        number(out, u64::from(doc - last));
        last = doc;
    }
}

/// Records cut into files of about `target` bytes; each file starts at a
/// record boundary, and the first key of each is kept for the meta file.
struct Chunks {
    target: usize,
    /// Finished files with their first keys.
    files: Vec<(String, Vec<u8>)>,
    current: Vec<u8>,
    first: Option<String>,
}

impl Chunks {
    fn new(target: usize) -> Self {
        Chunks {
            target,
            files: Vec::new(),
            current: Vec::new(),
            first: None,
        }
    }

    /// Adds a record whose key is `key`; `write` appends its bytes.
    fn record(&mut self, key: &str, write: impl FnOnce(&mut Vec<u8>)) {
        if self.first.is_none() {
            self.first = Some(key.to_string());
        }
        string(&mut self.current, key);
        write(&mut self.current);
        if ends_after(key, self.current.len(), self.target) {
            self.cut();
        }
    }

    /// Whether the next record starts a file.
    fn at_cut(&self) -> bool {
        self.first.is_none()
    }

    fn cut(&mut self) {
        if let Some(first) = self.first.take() {
            self.files.push((first, std::mem::take(&mut self.current)));
        }
    }

    /// Every file, with its first key.
    fn finish(mut self) -> Vec<(String, Vec<u8>)> {
        self.cut();
        self.files
    }

    /// Every file, with its first key, to be kept.
    fn finish_shared(self) -> impl Iterator<Item = (String, FileBytes)> {
        (self.finish().into_iter()).map(|(first, bytes)| (first, FileBytes::plain(bytes)))
    }
}

/// The files of `records` (keys ascending) as `chunked` makes them whole,
/// each handed to `emit` with its first key as soon as it is cut: a plain
/// build never holds them all beside the records.
pub(super) fn emitted<V, E>(
    target: usize,
    records: &BTreeMap<Box<str>, V>,
    write: impl Fn(&mut Vec<u8>, &V),
    mut emit: impl FnMut(String, Vec<u8>) -> Result<(), E>,
) -> Result<(), E> {
    let mut chunks = Chunks::new(target);
    for (key, value) in records {
        chunks.record(key, |out| write(out, value));
        for (first, bytes) in chunks.files.drain(..) {
            emit(first, bytes)?;
        }
    }
    chunks
        .finish()
        .into_iter()
        .try_for_each(|(first, bytes)| emit(first, bytes))
}

/// Whether a file holding `len` bytes ends after the record of `key`: past
/// half the target, a key ends it with a chance that grows to certainty at
/// the target. Where files end depends on the keys, so an edit's changed
/// records move the cuts of one or two files only, and the cuts after them
/// fall where they were.
fn ends_after(key: &str, len: usize, target: usize) -> bool {
    use std::hash::BuildHasher;
    let half = target / 2;
    if len < half {
        return false;
    }
    let draw = rustc_hash::FxBuildHasher.hash_one(key) % half.max(1) as u64;
    len >= target || draw < (len - half) as u64
}

/// Files, each with its first key, as a session keeps them: the next build
/// shares those it does not make again.
pub(super) type Files = Vec<(String, FileBytes)>;

/// The files of `records` (keys ascending), each with its first key: the
/// same files whether made whole or from `before`. `before` holds the files
/// made from the records as they were, and the keys changed, added or
/// removed since (ascending); only the files from the one that holds a
/// changed key up to where the cuts meet the old ones again are made.
pub(super) fn chunked<V>(
    target: usize,
    records: &BTreeMap<Box<str>, V>,
    write: impl Fn(&mut Vec<u8>, &V),
    before: Option<(&Files, &[Box<str>])>,
) -> Files {
    let Some((old, touched)) = before.filter(|(old, _)| !old.is_empty()) else {
        let mut files = Vec::new();
        let Ok(()) = emitted(target, records, write, |first, bytes| {
            files.push((first, FileBytes::plain(bytes)));
            Ok::<(), std::convert::Infallible>(())
        });
        return files;
    };
    let mut files = Vec::new();
    // Old files before `kept` are in `files` or made again; `touched[..t]` are passed.
    let (mut kept, mut t) = (0, 0);
    while t < touched.len() {
        let holder = old.partition_point(|(first, _)| first.as_str() <= &*touched[t]);
        let from = holder.saturating_sub(1).max(kept);
        files.extend_from_slice(&old[kept..from]);
        let start = match from {
            0 => Bound::Unbounded,
            _ => Bound::Included(old[from].0.as_str()),
        };
        let mut chunks = Chunks::new(target);
        let mut next = from + 1;
        // The old file where the cuts meet again, if they do before the end.
        let mut met = None;
        for (key, value) in records.range::<str, _>((start, Bound::Unbounded)) {
            while t < touched.len() && touched[t] < *key {
                t += 1;
            }
            while next < old.len() && *old[next].0 < **key {
                next += 1;
            }
            if chunks.at_cut() && next < old.len() && *old[next].0 == **key {
                met = Some(next);
                break;
            }
            chunks.record(key, |out| write(out, value));
        }
        files.extend(chunks.finish_shared());
        match met {
            Some(next) => kept = next,
            None => return files,
        }
    }
    files.extend_from_slice(&old[kept..]);
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_leb128() {
        let mut out = Vec::new();
        number(&mut out, 0);
        number(&mut out, 127);
        number(&mut out, 300);
        assert_eq!(out, [0, 127, 0xac, 0x02]);
    }

    /// Records of varied sizes (a value `v` writes `v % 40 + 1` bytes).
    fn write(out: &mut Vec<u8>, value: &u32) {
        out.extend(std::iter::repeat_n(7, *value as usize % 40 + 1));
    }

    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn files_hold_whole_records_cut_by_size_and_key() {
        let records: BTreeMap<Box<str>, u32> = (0..2000u32)
            .map(|n| (format!("k{n:05}").into(), n * 7))
            .collect();
        let files = chunked(256, &records, write, None);
        assert!(files.len() > 20, "{}", files.len());
        let mut whole = Vec::new();
        for (key, value) in &records {
            string(&mut whole, key);
            write(&mut whole, value);
        }
        let joined: Vec<u8> = files.iter().flat_map(|(_, b)| b.bytes().to_vec()).collect();
        assert_eq!(joined, whole);
        for (n, (first, bytes)) in files.iter().enumerate() {
            let bytes = bytes.bytes();
            assert_eq!(bytes[1..=first.len()], *first.as_bytes());
            if n + 1 < files.len() {
                assert!(
                    bytes.len() >= 128 && bytes.len() < 256 + 48,
                    "{}",
                    bytes.len()
                );
            }
        }
    }

    #[test]
    fn emitting_files_stops_at_the_first_error() {
        let records: BTreeMap<Box<str>, u32> = (0..2000u32)
            .map(|n| (format!("k{n:05}").into(), n * 13))
            .collect();
        let mut calls = 0;
        let stopped = emitted(256, &records, write, |_, _| {
            calls += 1;
            if calls == 3 { Err("full") } else { Ok(()) }
        });
        assert_eq!((stopped, calls), (Err("full"), 3));
    }

    #[test]
    fn files_made_from_the_last_ones_equal_files_made_whole() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut records: BTreeMap<Box<str>, u32> = (0..3000u32)
            .map(|n| (format!("k{:06}", n * 10).into(), n))
            .collect();
        let mut files = chunked(300, &records, write, None);
        for round in 0..60 {
            // A few keys changed, added or removed, here and there, or at the ends.
            let mut touched: Vec<Box<str>> = Vec::new();
            for _ in 0..(round % 5 + 1) {
                let at = match round % 7 {
                    0 => 0,
                    1 => 30_000,
                    _ => xorshift(&mut state) % 30_010,
                };
                let key: Box<str> = format!("k{at:06}").into();
                match xorshift(&mut state) % 3 {
                    0 => {
                        records.remove(&key);
                    }
                    _ => {
                        records.insert(key.clone(), xorshift(&mut state) as u32);
                    }
                }
                touched.push(key);
            }
            touched.sort();
            touched.dedup();
            let patched = chunked(300, &records, write, Some((&files, &touched)));
            let whole = chunked(300, &records, write, None);
            assert!(patched == whole, "round {round}: {touched:?}");
            files = patched;
        }
    }
}
