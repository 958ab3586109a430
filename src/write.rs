//! Stage 5: outputs go to a staging folder beside the output folder; only a
//! build without errors swaps it in, so a failed build leaves the last good
//! site untouched and a good one leaves no stale files.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::output::Sink;

/// A staging folder being filled by a build.
///
/// The site is staged in `dir`, a folder with a name unique to the build inside
/// `holder`, a folder beside the output. Why two: on ext4 without a journal,
/// every new inode is allocated after skipping, one by one, the inodes deleted
/// in the last minutes of its block group, and a rebuild right after
/// `rm -rf public` would land in exactly those groups (files follow their
/// folder, folders follow their parent), making each `mkdir` take half a
/// millisecond. `holder` asks for its subfolders to be spread (ext4's "top of
/// hierarchy" flag, `chattr +T`), where the allocator picks a quiet group from
/// the hash of the name, so a fresh name starts the build in a fresh group.
#[derive(Debug)]
pub struct Staging {
    holder: PathBuf,
    dir: PathBuf,
}

const STAGING_MARK: &str = "gazette-staging";
const OLD_MARK: &str = "gazette-old";

fn sibling(output: &Path, mark: &str, id: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.{mark}-{id}"))
}

impl Staging {
    /// Create a fresh staging folder for `output`, removing any left by killed builds.
    pub fn create(output: &Path) -> io::Result<Staging> {
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
            let name = output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for entry in std::fs::read_dir(parent)?.flatten() {
                let entry_name = entry.file_name().to_string_lossy().into_owned();
                let leftover = [STAGING_MARK, OLD_MARK]
                    .iter()
                    .any(|mark| entry_name.starts_with(&format!(".{name}.{mark}-")));
                if leftover {
                    std::fs::remove_dir_all(entry.path())?;
                }
            }
        }
        let holder = sibling(output, STAGING_MARK, &std::process::id().to_string());
        std::fs::create_dir_all(&holder)?;
        set_top_of_hierarchy(&holder);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = holder.join(format!("site-{nanos}"));
        std::fs::create_dir(&dir)?;
        Ok(Staging { holder, dir })
    }

    /// Replace `output` by the staged site. On Linux the two folders are
    /// exchanged in one step (`renameat2(RENAME_EXCHANGE)`), so that a reader or
    /// a kill at any moment sees the old site or the new one, never neither.
    pub fn publish(self, output: &Path) -> io::Result<()> {
        if !output.exists() {
            std::fs::rename(&self.dir, output)?;
        } else if exchange(&self.dir, output).is_err() {
            let old = sibling(output, OLD_MARK, &std::process::id().to_string());
            std::fs::rename(output, &old)?;
            if let Err(e) = std::fs::rename(&self.dir, output) {
                std::fs::rename(&old, output)?;
                return Err(e);
            }
            std::fs::remove_dir_all(&old)?;
        }
        // After an exchange, the old site sits at the staging path.
        std::fs::remove_dir_all(&self.holder)
    }

    /// Drop the staged files; the output folder stays as it was.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.holder);
    }

    fn path_of(&self, file: &str) -> io::Result<PathBuf> {
        let path = self.dir.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(path)
    }
}

impl Sink for Staging {
    fn write(&self, file: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.path_of(file)?, bytes)
    }

    fn copy(&self, file: &str, from: &Path) -> io::Result<()> {
        std::fs::copy(from, self.path_of(file)?).map(|_| ())
    }
}

/// ext4's "top of directory hierarchy" inode flag (`FS_TOPDIR_FL` in
/// <linux/fs.h>; the libc crate does not define it).
#[cfg(target_os = "linux")]
const FS_TOPDIR_FL: libc::c_int = 0x0002_0000;

/// The inode flags of an open file (what `lsattr` shows), where the file
/// system has them.
#[cfg(target_os = "linux")]
fn inode_flags(file: &std::fs::File) -> Option<libc::c_int> {
    use std::os::fd::AsRawFd;
    let mut flags: libc::c_int = 0;
    // SAFETY: the descriptor is open for the call, which writes one int.
    let result = unsafe { libc::ioctl(file.as_raw_fd(), libc::FS_IOC_GETFLAGS, &mut flags) };
    (result == 0).then_some(flags)
}

/// Set ext4's "top of directory hierarchy" flag on `dir` (`chattr +T`), which
/// makes the allocator spread its subfolders over block groups. Other file
/// systems refuse the request, which is harmless: it is only a hint.
#[cfg(target_os = "linux")]
fn set_top_of_hierarchy(dir: &Path) {
    use std::os::fd::AsRawFd;
    let Ok(folder) = std::fs::File::open(dir) else {
        return;
    };
    if let Some(flags) = inode_flags(&folder) {
        let flags = flags | FS_TOPDIR_FL;
        // SAFETY: the descriptor is open for the call, which reads one int.
        unsafe { libc::ioctl(folder.as_raw_fd(), libc::FS_IOC_SETFLAGS, &flags) };
    }
}

#[cfg(not(target_os = "linux"))]
fn set_top_of_hierarchy(_dir: &Path) {}

/// Swap two paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves them like rename(2).
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::other("atomic exchange needs Linux"))
}

/// A fingerprint of a file's bytes, to tell which files a rebuild changed.
fn fingerprint(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// Replace `output` with `files` through a staging folder; returns their fingerprints.
pub fn publish_files(
    root: &Path,
    output: &Path,
    files: &crate::output::SiteFiles,
) -> io::Result<BTreeMap<String, u64>> {
    check_output_folder(root, output).map_err(io::Error::other)?;
    let staging = Staging::create(output)?;
    let mut prints = BTreeMap::new();
    for (file, bytes) in files {
        let bytes = bytes.bytes();
        if let Err(e) = staging.write(file, &bytes) {
            staging.discard();
            return Err(e);
        }
        prints.insert(file.clone(), fingerprint(&bytes));
    }
    staging.publish(output)?;
    Ok(prints)
}

/// Bring `output` (last written with fingerprints `before`) up to `files`,
/// writing only changed files and removing files no longer produced.
pub fn sync_files(
    output: &Path,
    before: &BTreeMap<String, u64>,
    files: &crate::output::SiteFiles,
) -> io::Result<BTreeMap<String, u64>> {
    let mut after = BTreeMap::new();
    for (file, bytes) in files {
        let bytes = bytes.bytes();
        let print = fingerprint(&bytes);
        if before.get(file) != Some(&print) {
            let path = output.join(file);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            // Write beside, then rename: a reader never sees half a file.
            let partial = path.with_extension("gazette-partial");
            std::fs::write(&partial, &bytes)?;
            std::fs::rename(&partial, &path)?;
        }
        after.insert(file.clone(), print);
    }
    for gone in before.keys().filter(|f| !files.contains_key(*f)) {
        let path = output.join(gone);
        let _ = std::fs::remove_file(&path);
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != output) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(after)
}

/// Refuse output folders whose replacement would destroy the site's own files.
pub fn check_output_folder(root: &Path, output: &Path) -> Result<(), String> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let output_abs = match output.canonicalize() {
        Ok(path) => path,
        Err(_) => return Ok(()), // does not exist yet: nothing to destroy
    };
    let protected = ["content", "templates", "static", crate::config::CONFIG_FILE];
    if root.starts_with(&output_abs)
        || protected
            .iter()
            .any(|p| output_abs.starts_with(root.join(p)))
    {
        return Err(format!(
            "output folder {} would replace the site's own files; choose a folder such as {}",
            output.display(),
            root.join("public").display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_replaces_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("stale")).unwrap();
        std::fs::write(output.join("stale/index.html"), "old").unwrap();
        let staging = Staging::create(&output).unwrap();
        staging.write("new/index.html", b"new").unwrap();
        staging.publish(&output).unwrap();
        assert!(!output.join("stale").exists());
        assert_eq!(
            std::fs::read_to_string(output.join("new/index.html")).unwrap(),
            "new"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn sync_writes_only_changed_files_and_removes_gone_ones() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let mut files = BTreeMap::new();
        files.insert(
            "a/index.html".to_string(),
            crate::output::FileBytes::plain(b"a".to_vec()),
        );
        files.insert(
            "b/index.html".to_string(),
            crate::output::FileBytes::packed(&b"b".repeat(100)),
        );
        let before = publish_files(dir.path(), &output, &files).unwrap();
        let b_time = std::fs::metadata(output.join("b/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        files.remove("a/index.html");
        files.insert(
            "c/index.html".to_string(),
            crate::output::FileBytes::plain(b"c".to_vec()),
        );
        sync_files(&output, &before, &files).unwrap();
        assert!(!output.join("a").exists());
        assert_eq!(std::fs::read(output.join("c/index.html")).unwrap(), b"c");
        assert_eq!(
            std::fs::read(output.join("b/index.html")).unwrap(),
            b"b".repeat(100)
        );
        assert_eq!(
            std::fs::metadata(output.join("b/index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            b_time
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn staging_on_ext4_asks_for_its_folders_to_be_spread() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        let path = std::ffi::CString::new(staging.holder.as_os_str().as_bytes()).unwrap();
        // SAFETY: a zeroed statfs is a valid buffer for statfs(2) to fill.
        let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: `path` is NUL-terminated and `fs` is a valid buffer.
        assert_eq!(unsafe { libc::statfs(path.as_ptr(), &mut fs) }, 0);
        const EXT4_SUPER_MAGIC: libc::c_long = 0xEF53;
        if fs.f_type as libc::c_long == EXT4_SUPER_MAGIC {
            let holder = std::fs::File::open(&staging.holder).unwrap();
            let flags = inode_flags(&holder).unwrap();
            assert_ne!(flags & FS_TOPDIR_FL, 0, "holder flags {flags:#x}");
        }
        assert!(staging.dir.starts_with(&staging.holder));
        staging.discard();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(dir.path().join(".public.gazette-staging-999")).unwrap();
        Staging::create(&output).unwrap().discard();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn refuses_to_replace_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        assert!(check_output_folder(dir.path(), dir.path()).is_err());
        assert!(check_output_folder(dir.path(), &dir.path().join("content")).is_err());
        assert!(check_output_folder(dir.path(), &dir.path().join("public")).is_ok());
    }
}
