//! Reading ahead of the parser. An archive too big for the page cache comes
//! from disk at the parser's pace, one file per thread at a time, and a disk
//! answers many requests at once far faster than one after another. So the
//! parser takes the files in order, and a few threads keep asking the kernel
//! for the files just ahead of it (`posix_fadvise(WILLNEED)`: the reads are
//! started, nothing waits for them), which the parser then finds in memory.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::config::Config;
use crate::load::{SourceFile, content_path};

/// How far ahead of the parser files are asked for: a few tens of MB of
/// Markdown, little beside the page cache.
const LEAD: usize = 2048;

/// Threads that ask (each open waits where the file's inode is not in memory yet).
const ASKERS: usize = 8;

/// `parse` of every file, in order, with the files read ahead of the parser.
pub(super) fn parse_in_order<T: Send>(
    config: &Config,
    files: &[Arc<SourceFile>],
    parse: impl Fn(&Arc<SourceFile>) -> T + Sync,
) -> Vec<T> {
    in_order(config, files, worth_reading_ahead(&config.root), parse)
}

fn in_order<T: Send>(
    config: &Config,
    files: &[Arc<SourceFile>],
    read_ahead: bool,
    parse: impl Fn(&Arc<SourceFile>) -> T + Sync,
) -> Vec<T> {
    let reached = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        if read_ahead {
            for first in 0..ASKERS {
                let (reached, done) = (&reached, &done);
                scope.spawn(move || ask_ahead(config, files, first, reached, done));
            }
        }
        // `par_bridge` hands the files out in order, so "ahead" is well defined.
        let results = files
            .iter()
            .enumerate()
            .par_bridge()
            .map(|(n, file)| {
                reached.fetch_max(n, Ordering::Relaxed);
                (n, parse(file))
            })
            .collect();
        done.store(true, Ordering::Relaxed);
        results
    });
    results.sort_unstable_by_key(|(n, _)| *n);
    results.into_iter().map(|(_, result)| result).collect()
}

/// One asker: every `ASKERS`th file from `first`, never more than `LEAD`
/// files past the parser.
fn ask_ahead(
    config: &Config,
    files: &[Arc<SourceFile>],
    first: usize,
    reached: &AtomicUsize,
    done: &AtomicBool,
) {
    let mut n = first;
    while n < files.len() && !done.load(Ordering::Relaxed) {
        if n > reached.load(Ordering::Relaxed) + LEAD {
            std::thread::sleep(std::time::Duration::from_millis(1));
            continue;
        }
        ask_for(&content_path(config, &files[n].rel_path));
        n += ASKERS;
    }
}

/// Whether the site is on a disk at all: on tmpfs the files are the page cache.
#[cfg(target_os = "linux")]
fn worth_reading_ahead(root: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    const TMPFS_MAGIC: libc::c_long = 0x0102_1994;
    let Ok(path) = std::ffi::CString::new(root.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: `path` is a NUL-terminated string and `stats` a zeroed struct
    // that the call fills in.
    let mut stats: libc::statfs = unsafe { std::mem::zeroed() };
    let found = unsafe { libc::statfs(path.as_ptr(), &mut stats) } == 0;
    !(found && stats.f_type as libc::c_long == TMPFS_MAGIC)
}

/// Start reading `path` into the page cache, without waiting for it.
#[cfg(target_os = "linux")]
fn ask_for(path: &Path) {
    use std::os::fd::AsRawFd;
    if let Ok(file) = std::fs::File::open(path) {
        // SAFETY: the descriptor is open for the call, which only advises the
        // kernel about the file's pages and reads or writes no memory of ours.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
        }
    }
}

/// Elsewhere the parser reads each file when it comes to it.
#[cfg(not(target_os = "linux"))]
fn worth_reading_ahead(_: &Path) -> bool {
    false
}

#[cfg(not(target_os = "linux"))]
fn ask_for(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_parsed_once_and_the_results_keep_the_files_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: T\nbase_url: https://x.org\n",
        )
        .unwrap();
        let options = crate::config::BuildOptions::default();
        let config = Config::load(dir.path(), &options).unwrap();
        let files: Vec<Arc<SourceFile>> = (0..LEAD * 2 + 5)
            .filter_map(|n| SourceFile::classify(&format!("news/a{n}.md"), &config).map(Arc::new))
            .collect();
        let want: Vec<String> = files.iter().map(|f| f.rel_path.clone()).collect();
        // With the askers and without them, wherever the test's folder is.
        for read_ahead in [true, false] {
            let got = in_order(&config, &files, read_ahead, |f| f.rel_path.clone());
            assert_eq!(got, want);
        }
    }
}
