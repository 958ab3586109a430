//! `PackedText`: text the build holds from one stage to a later one, kept
//! LZ4-compressed meanwhile. Every article's body HTML is made at parse time
//! but needed only when its page, its feed entries and its search entry are
//! rendered; packed, the bodies of a large archive take about a third of the
//! memory (ARCHITECTURE.md: memory follows the metadata, not the content).

use std::fmt;

/// Text stored compressed; `unpack` gives it back.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct PackedText(Box<[u8]>);

impl PackedText {
    /// Compress `text` (LZ4 block, its length in front).
    pub fn pack(text: &str) -> Self {
        if text.is_empty() {
            return PackedText::default();
        }
        PackedText(lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice())
    }

    /// The text. Only `pack` makes the bytes, from a `&str`, so they always
    /// decode; a failure would be a bug here, and gives the lossy best.
    pub fn unpack(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let bytes = lz4_flex::decompress_size_prepended(&self.0).unwrap_or_default();
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// The length of the text in bytes, without unpacking it.
    pub fn len(&self) -> usize {
        match self.0.get(..4) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]) as usize,
            _ => 0,
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Bytes held.
    pub fn packed_len(&self) -> usize {
        self.0.len()
    }
}

impl From<&str> for PackedText {
    fn from(text: &str) -> Self {
        PackedText::pack(text)
    }
}

impl fmt::Debug for PackedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PackedText({} bytes in {})",
            self.len(),
            self.packed_len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_comes_back_whole_and_smaller() {
        let html = "<p>Делегация провинции Хэйлунцзян 黑龙江省代表团 visited.</p>\n".repeat(40);
        let packed = PackedText::pack(&html);
        assert_eq!(packed.unpack(), html);
        assert_eq!(packed.len(), html.len());
        assert!(packed.packed_len() * 4 < html.len(), "{packed:?}");
        assert_eq!(PackedText::pack("").unpack(), "");
        assert!(PackedText::pack("").is_empty());
        assert_eq!(PackedText::pack("x"), PackedText::from("x"));
    }
}
