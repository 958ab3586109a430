//! Where rendered files go: a `Sink` receives each output as it is rendered
//! (from many threads), so the whole site never has to sit in memory.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Receives output files by their path relative to the output folder.
pub trait Sink: Sync {
    /// Store `bytes` as `file`.
    fn write(&self, file: &str, bytes: &[u8]) -> io::Result<()>;
    /// Store a copy of the file at `from` as `file`.
    fn copy(&self, file: &str, from: &Path) -> io::Result<()>;
    /// Store `bytes`, which may be shared with earlier builds, as `file`.
    fn share(&self, file: &str, bytes: &Arc<Vec<u8>>) -> io::Result<()> {
        self.write(file, bytes)
    }
}

/// Files by output path, their bytes shared between builds of a session.
pub type SiteFiles = BTreeMap<String, Arc<Vec<u8>>>;

/// Keeps every output in memory (`check`, tests).
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<SiteFiles>,
}

impl MemorySink {
    /// The files, by path.
    pub fn into_files(self) -> SiteFiles {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn write(&self, file: &str, bytes: &[u8]) -> io::Result<()> {
        self.share(file, &Arc::new(bytes.to_vec()))
    }

    fn share(&self, file: &str, bytes: &Arc<Vec<u8>>) -> io::Result<()> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(file.to_string(), bytes.clone());
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
