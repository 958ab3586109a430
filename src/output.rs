//! Where rendered files go: a `Sink` receives each output as it is rendered
//! (from many threads), so the whole site never has to sit in memory.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::packed::SpilledBlock;

/// Receives output files by their path relative to the output folder.
pub trait Sink: Sync {
    /// Store `bytes` as `file`.
    fn write(&self, file: &str, bytes: &[u8]) -> io::Result<()>;
    /// Store a copy of the file at `from` as `file`.
    fn copy(&self, file: &str, from: &Path) -> io::Result<()>;
    /// Store `bytes`, which may be shared with earlier builds, as `file`.
    fn share(&self, file: &str, bytes: &FileBytes) -> io::Result<()> {
        self.write(file, &bytes.bytes())
    }
}

/// A file's bytes, shared between the builds of a session: as they are, or
/// LZ4-packed, in memory or spilled to a temporary file. A preview holds every
/// page of the site from one rebuild to the next: pages pack to about a
/// fifth, and spilled they cost the server's memory nothing.
#[derive(Clone)]
pub struct FileBytes(Arc<Held>);

enum Held {
    Plain(Vec<u8>),
    Packed { block: Box<[u8]>, len: usize },
    Spilled { block: SpilledBlock, len: usize },
}

impl FileBytes {
    /// The bytes, held as they are.
    pub fn plain(bytes: Vec<u8>) -> Self {
        FileBytes(Arc::new(Held::Plain(bytes)))
    }

    /// The bytes, packed when that makes them smaller (an image does not pack).
    pub fn packed(bytes: &[u8]) -> Self {
        match packed_block(bytes) {
            Some(block) => FileBytes::held_packed(block, bytes.len()),
            None => FileBytes::plain(bytes.to_vec()),
        }
    }

    /// The bytes packed as by `packed`, the block spilled to the temporary
    /// file where it is large enough to be worth a read (`SpilledBlock`).
    pub fn spilled(bytes: &[u8]) -> Self {
        let Some(block) = packed_block(bytes) else {
            return FileBytes::plain(bytes.to_vec());
        };
        match SpilledBlock::write(&block) {
            Some(block) => FileBytes(Arc::new(Held::Spilled {
                block,
                len: bytes.len(),
            })),
            None => FileBytes::held_packed(block, bytes.len()),
        }
    }

    fn held_packed(block: Vec<u8>, len: usize) -> Self {
        FileBytes(Arc::new(Held::Packed {
            block: block.into_boxed_slice(),
            len,
        }))
    }

    /// The bytes (unpacked when they were packed). `packed` made the block,
    /// so it decodes; a failure would be a bug here, and gives nothing, as
    /// does a spilled block that cannot be read back (counted by
    /// `packed::unreadable`).
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        let unpack = |block: &[u8], len| lz4_flex::decompress(block, len).unwrap_or_default();
        match &*self.0 {
            Held::Plain(bytes) => Cow::Borrowed(bytes),
            Held::Packed { block, len } => Cow::Owned(unpack(block, *len)),
            Held::Spilled { block, len } => {
                Cow::Owned(block.read().map(|b| unpack(&b, *len)).unwrap_or_default())
            }
        }
    }

    /// The length of the bytes.
    pub fn len(&self) -> usize {
        match &*self.0 {
            Held::Plain(bytes) => bytes.len(),
            Held::Packed { len, .. } | Held::Spilled { len, .. } => *len,
        }
    }

    /// Whether both are the very same bytes (kept from one build to the next).
    pub fn is_shared_with(&self, other: &FileBytes) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The LZ4 block of `bytes`, when it is smaller by more than an eighth.
fn packed_block(bytes: &[u8]) -> Option<Vec<u8>> {
    let block = lz4_flex::compress(bytes);
    (block.len() + block.len() / 8 < bytes.len()).then_some(block)
}

impl PartialEq for FileBytes {
    fn eq(&self, other: &Self) -> bool {
        self.is_shared_with(other) || self.bytes() == other.bytes()
    }
}

impl fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held = match &*self.0 {
            Held::Plain(_) => "plain",
            Held::Packed { .. } => "packed",
            Held::Spilled { .. } => "spilled",
        };
        write!(f, "FileBytes({} bytes, {held})", self.len())
    }
}

/// Files by output path, their bytes shared between builds of a session.
pub type SiteFiles = BTreeMap<String, FileBytes>;

/// Keeps every output in memory (`serve`, tests).
#[derive(Debug, Default)]
pub struct MemorySink {
    /// In the order written: render threads only push, and the map is made
    /// once at the end (inserting 18,000 paths into a shared map under its
    /// lock was a tenth of a preview's rebuild).
    files: Mutex<Vec<(String, FileBytes)>>,
}

impl MemorySink {
    /// The files, by path; a path written twice keeps its last bytes.
    pub fn into_files(self) -> SiteFiles {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        // Sorted (stably) on every thread first, the map's own stable sort is
        // one pass, which keeps the last of equal keys.
        rayon::slice::ParallelSliceMut::par_sort_by(&mut files[..], |a, b| a.0.cmp(&b.0));
        files.into_iter().collect()
    }
}

impl Sink for MemorySink {
    fn write(&self, file: &str, bytes: &[u8]) -> io::Result<()> {
        self.share(file, &FileBytes::plain(bytes.to_vec()))
    }

    fn share(&self, file: &str, bytes: &FileBytes) -> io::Result<()> {
        let entry = (file.to_string(), bytes.clone());
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
        Ok(())
    }

    fn copy(&self, file: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(file, &bytes)
    }
}

/// Counts outputs and checks copies exist, keeping nothing (`gazette check`).
#[derive(Debug, Default)]
pub struct NullSink;

impl Sink for NullSink {
    fn write(&self, _file: &str, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }

    fn copy(&self, _file: &str, from: &Path) -> io::Result<()> {
        std::fs::metadata(from).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_bytes_come_back_and_incompressible_ones_stay_plain() {
        let page = "<p>Делегация 代表团 visited the fair.</p>\n".repeat(50);
        let packed = FileBytes::packed(page.as_bytes());
        assert!(format!("{packed:?}").contains("packed"));
        assert_eq!(packed.bytes(), page.as_bytes());
        assert_eq!(packed.len(), page.len());
        assert_eq!(packed, FileBytes::plain(page.into_bytes()));
        // xorshift64: bytes LZ4 cannot shrink, like a photo's.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 56) as u8
            })
            .collect();
        assert!(format!("{:?}", FileBytes::packed(&noise)).contains("plain"));
        assert!(FileBytes::packed(b"").is_empty());
    }

    #[test]
    fn spilled_bytes_come_back_from_any_thread_and_small_ones_stay_in_memory() {
        // Numbered items: a page that packs, though not below the spill size.
        let page: String = (0..2000)
            .map(|n| format!("<li>Визы 签证 {n}</li>"))
            .collect();
        let spilled = FileBytes::spilled(page.as_bytes());
        assert!(format!("{spilled:?}").contains("spilled"), "{spilled:?}");
        let read = std::thread::scope(|s| s.spawn(|| spilled.bytes().into_owned()).join());
        assert_eq!(read.unwrap(), page.as_bytes());
        assert_eq!(spilled.len(), page.len());
        assert_eq!(spilled, FileBytes::plain(page.into_bytes()));
        let small = FileBytes::spilled(&b"<p>short</p>".repeat(4));
        assert!(format!("{small:?}").contains("packed"), "{small:?}");
        assert_eq!(&*small.bytes(), &b"<p>short</p>".repeat(4)[..]);
    }

    #[test]
    fn a_memory_sink_gives_files_by_path_and_a_path_written_twice_its_last_bytes() {
        let sink = MemorySink::default();
        sink.write("news/index.html", b"first").unwrap();
        sink.write("atom.xml", b"feed").unwrap();
        sink.write("news/index.html", b"second").unwrap();
        let files = sink.into_files();
        let paths: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(paths, ["atom.xml", "news/index.html"]);
        assert_eq!(&*files["news/index.html"].bytes(), b"second");
    }
}
