//! The index's binary files: unsigned LEB128 numbers and length-prefixed
//! UTF-8 strings, read by the search script with a `DataView`.
//!
//! - term chunk: records `key, n, n × (doc delta, weight byte)`, keys ascending
//! - form chunk: records `form, stem`, forms ascending
//! - filter file: the doc numbers of one filter value, as deltas

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
pub(super) struct Chunks {
    target: usize,
    /// Finished files with their first keys.
    pub(super) files: Vec<(String, Vec<u8>)>,
    current: Vec<u8>,
    first: Option<String>,
}

impl Chunks {
    pub(super) fn new(target: usize) -> Self {
        Chunks {
            target,
            files: Vec::new(),
            current: Vec::new(),
            first: None,
        }
    }

    /// Adds a record whose key is `key`; `write` appends its bytes.
    pub(super) fn record(&mut self, key: &str, write: impl FnOnce(&mut Vec<u8>)) {
        if self.first.is_none() {
            self.first = Some(key.to_string());
        }
        string(&mut self.current, key);
        write(&mut self.current);
        if self.current.len() >= self.target {
            self.cut();
        }
    }

    fn cut(&mut self) {
        if let Some(first) = self.first.take() {
            self.files.push((first, std::mem::take(&mut self.current)));
        }
    }

    /// Every file, with its first key.
    pub(super) fn finish(mut self) -> Vec<(String, Vec<u8>)> {
        self.cut();
        self.files
    }
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

    #[test]
    fn chunks_cut_at_record_boundaries() {
        let mut chunks = Chunks::new(4);
        for key in ["a", "bb", "c"] {
            chunks.record(key, |out| out.push(9));
        }
        let files = chunks.finish();
        let firsts: Vec<&str> = files.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(firsts, ["a", "c"]);
        assert_eq!(files[0].1, [1, b'a', 9, 2, b'b', b'b', 9]);
        assert_eq!(files[1].1, [1, b'c', 9]);
    }
}
