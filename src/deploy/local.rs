//! The output folder as a deploy sees it: every file's key, size and content hash.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// One file of the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalFile {
    /// The path under the output folder, with `/` (`news/visit/index.html`).
    pub(crate) key: String,
    /// Where it is on disk.
    pub(crate) path: PathBuf,
    /// Its size in bytes.
    pub(crate) size: u64,
    /// SHA-256 of its content, in hex.
    pub(crate) sha256: String,
}

/// Every file under `output`, sorted by key, hashed in parallel.
pub(crate) fn scan(output: &Path) -> Result<Vec<LocalFile>, String> {
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(output).follow_links(true) {
        let entry = entry.map_err(|e| format!("cannot read the output folder: {e}"))?;
        if entry.file_type().is_file() {
            paths.push(entry.into_path());
        }
    }
    let mut files = paths
        .into_par_iter()
        .map(|path| hash_file(output, path))
        .collect::<Result<Vec<_>, String>>()?;
    files.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(files)
}

fn hash_file(output: &Path, path: PathBuf) -> Result<LocalFile, String> {
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let relative = path.strip_prefix(output).unwrap_or(&path);
    let key = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let digest = Sha256::digest(&bytes);
    Ok(LocalFile {
        key,
        size: bytes.len() as u64,
        sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_use_slashes_and_hashes_follow_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("news/a")).unwrap();
        std::fs::write(dir.path().join("news/a/index.html"), "<p>a</p>").unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>a</p>").unwrap();
        let files = scan(dir.path()).unwrap();
        let keys: Vec<_> = files.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["index.html", "news/a/index.html"]);
        assert_eq!(files[0].sha256, files[1].sha256);
        assert_eq!(files[0].size, 8);
        assert_eq!(files[0].sha256.len(), 64);
    }
}
