//! `PackedText`: text the build holds from one stage to a later one, kept
//! LZ4-compressed meanwhile and, where the system allows, in a temporary file
//! rather than in memory. Every article's body HTML is made at parse time but
//! needed only when its page, its feed entries and its search entry are
//! rendered; spilled, the bodies of a large archive cost the build a few bytes
//! of memory each (ARCHITECTURE.md: memory follows the metadata, not the
//! content). A session's outputs (`output::FileBytes`) spill their blocks
//! here too, as `SpilledBlock`s that give their room back when dropped.
//!
//! The temporary file is this module's own, made on first use and removed by
//! the system when the process ends.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Packed texts shorter than this stay in memory: spilling them would save
/// less than the read costs.
const SPILL_FROM: usize = 512;

/// Text stored compressed; `unpack` gives it back.
#[derive(Clone, Default)]
pub struct PackedText {
    stored: Stored,
    /// Length of the text in bytes.
    len: usize,
    /// Fingerprint of the text (for equality and hashing without reading it back).
    print: u64,
}

#[derive(Clone, Default)]
enum Stored {
    #[default]
    Empty,
    /// LZ4 block in memory.
    Inline(Box<[u8]>),
    /// LZ4 block of `len` bytes at `at` in the spill file.
    Spilled { at: u64, len: u32 },
}

impl PackedText {
    /// Compress `text` (LZ4 block), spilling the block when it is large enough.
    pub fn pack(text: &str) -> Self {
        if text.is_empty() {
            return PackedText::default();
        }
        let block = lz4_flex::compress(text.as_bytes());
        let mut hasher = std::hash::DefaultHasher::new();
        block.hash(&mut hasher);
        let spilled = (block.len() >= SPILL_FROM)
            .then(|| spill::write(&block))
            .flatten();
        let stored = match spilled {
            Some((at, len)) => Stored::Spilled { at, len },
            None => Stored::Inline(block.into_boxed_slice()),
        };
        PackedText {
            stored,
            len: text.len(),
            print: hasher.finish(),
        }
    }

    /// The text. The block was made by `pack`, so it decodes; a spilled block
    /// that cannot be read back is counted (`unreadable`) and gives "".
    pub fn unpack(&self) -> String {
        let decoded = match &self.stored {
            Stored::Empty => return String::new(),
            Stored::Inline(block) => lz4_flex::decompress(block, self.len).ok(),
            Stored::Spilled { at, len } => {
                spill::read(*at, *len).and_then(|block| lz4_flex::decompress(&block, self.len).ok())
            }
        };
        let Some(bytes) = decoded else {
            UNREADABLE.fetch_add(1, Ordering::Relaxed);
            return String::new();
        };
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// The length of the text in bytes, without unpacking it.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held in memory.
    #[cfg(test)]
    fn packed_len(&self) -> usize {
        match &self.stored {
            Stored::Inline(block) => block.len(),
            Stored::Empty | Stored::Spilled { .. } => 0,
        }
    }
}

/// Spilled texts that could not be read back since the process started: a
/// build that saw any must fail rather than publish pages without them.
pub fn unreadable() -> usize {
    UNREADABLE.load(Ordering::Relaxed)
}

static UNREADABLE: AtomicUsize = AtomicUsize::new(0);

/// A block of bytes of its own in the spill file, whose room is given back
/// when it is dropped: a session holds every output of the site from one
/// rebuild to the next, and replaces some of them on every edit.
pub struct SpilledBlock {
    at: u64,
    len: u32,
}

impl SpilledBlock {
    /// `block` written to the spill file; `None` for a block under
    /// `SPILL_FROM` bytes, or where there is no file to be had.
    pub fn write(block: &[u8]) -> Option<Self> {
        if block.len() < SPILL_FROM {
            return None;
        }
        spill::write(block).map(|(at, len)| SpilledBlock { at, len })
    }

    /// The block, read back; one that cannot be is counted (`unreadable`).
    pub fn read(&self) -> Option<Vec<u8>> {
        let block = spill::read(self.at, self.len);
        if block.is_none() {
            UNREADABLE.fetch_add(1, Ordering::Relaxed);
        }
        block
    }
}

impl Drop for SpilledBlock {
    fn drop(&mut self) {
        spill::release(self.at, self.len);
    }
}

impl PartialEq for PackedText {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.print == other.print
    }
}

impl Eq for PackedText {}

impl Hash for PackedText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.len.hash(state);
        self.print.hash(state);
    }
}

impl From<&str> for PackedText {
    fn from(text: &str) -> Self {
        PackedText::pack(text)
    }
}

impl fmt::Debug for PackedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = match self.stored {
            Stored::Spilled { .. } => "spilled",
            _ => "in memory",
        };
        write!(f, "PackedText({} bytes, {place})", self.len)
    }
}

/// The spill file: blocks are appended at reserved offsets and read back by
/// position, so threads never wait on each other.
mod spill {
    use super::*;

    struct SpillFile {
        file: std::fs::File,
        end: AtomicU64,
    }

    /// The file, made on first use; `None` where there is none to be had.
    fn file() -> Option<&'static SpillFile> {
        static FILE: OnceLock<Option<SpillFile>> = OnceLock::new();
        FILE.get_or_init(|| {
            let file = tempfile::tempfile().ok()?;
            Some(SpillFile {
                file,
                end: AtomicU64::new(0),
            })
        })
        .as_ref()
    }

    #[cfg(unix)]
    pub(super) fn write(block: &[u8]) -> Option<(u64, u32)> {
        use std::os::unix::fs::FileExt;
        let spill = file()?;
        let len = u32::try_from(block.len()).ok()?;
        let at = spill.end.fetch_add(u64::from(len), Ordering::Relaxed);
        spill.file.write_all_at(block, at).ok()?;
        Some((at, len))
    }

    #[cfg(unix)]
    pub(super) fn read(at: u64, len: u32) -> Option<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        let mut block = vec![0; len as usize];
        file()?.file.read_exact_at(&mut block, at).ok()?;
        Some(block)
    }

    /// Give the range's disk space back (the file keeps its size, so no
    /// offset moves). Where holes cannot be punched, the file only grows.
    #[cfg(target_os = "linux")]
    pub(super) fn release(at: u64, len: u32) {
        use std::os::fd::AsRawFd;
        let (Some(spill), Ok(at)) = (file(), i64::try_from(at)) else {
            return;
        };
        let mode = libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE;
        // SAFETY: fallocate on a descriptor this module owns and keeps open;
        // it frees the blocks of a range no one reads any more.
        unsafe { libc::fallocate(spill.file.as_raw_fd(), mode, at, i64::from(len)) };
    }

    #[cfg(not(target_os = "linux"))]
    pub(super) fn release(_at: u64, _len: u32) {}

    #[cfg(not(unix))]
    pub(super) fn write(_block: &[u8]) -> Option<(u64, u32)> {
        None
    }

    #[cfg(not(unix))]
    pub(super) fn read(_at: u64, _len: u32) -> Option<Vec<u8>> {
        None
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

    #[test]
    fn a_large_text_is_spilled_and_read_back_from_any_thread() {
        // Words picked by a fixed LCG: text that LZ4 cannot shrink below the spill size.
        let mut state = 7u32;
        let mut word = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            [
                "делегация",
                "黑龙江",
                "visit",
                "консульство",
                "哈巴罗夫斯克",
                "ferry",
            ][(state >> 16) as usize % 6]
        };
        let texts: Vec<String> = (0..8)
            .map(|n| {
                format!(
                    "<p>{n} {}</p>",
                    (0..800).map(|_| word()).collect::<Vec<_>>().join(" ")
                )
            })
            .collect();
        let packed: Vec<PackedText> = std::thread::scope(|scope| {
            let handles: Vec<_> = texts
                .iter()
                .map(|t| scope.spawn(move || PackedText::pack(t)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (text, packed) in texts.iter().zip(&packed) {
            assert!(format!("{packed:?}").contains("spilled"), "{packed:?}");
            assert_eq!(packed.packed_len(), 0);
            assert_eq!(&packed.unpack(), text);
            assert_eq!(packed, &PackedText::pack(text));
        }
        assert_ne!(packed[0], packed[1]);
        assert_eq!(unreadable(), 0);
    }
}
