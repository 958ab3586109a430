//! Stage 1: find the inputs. Walks `content/` and `static/` (sorted, so every
//! later stage sees the same order) and classifies files; nothing is parsed here.
//!
//! In: `Config`. Out: `SourceTree`.

mod source;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceLocation, relative};
pub use source::{SourceFile, SourceKind, split_name, unknown_language, unknown_language_message};

/// The content folder's name inside a site.
pub const CONTENT_DIR: &str = "content";
/// The folder of files copied as they are.
pub const STATIC_DIR: &str = "static";

/// Everything a build reads, classified and sorted by path.
#[derive(Debug, Default)]
pub struct SourceTree {
    /// Section folders relative to `content/` (`""` is the home), parents before children.
    pub section_dirs: Vec<String>,
    /// Articles and section indexes (shared with their parses).
    pub files: Vec<Arc<SourceFile>>,
    /// Files of article bundles, relative to `content/` (`news/visit/photo.jpg`).
    pub bundle_assets: Vec<String>,
    /// Files under `static/`, relative to it.
    pub static_files: Vec<String>,
    /// Which walk made it (each walk's is new): what a session keeps by
    /// place in `files` stands for this walk only.
    pub walk: u64,
}

/// Walk the site's inputs. Unreadable entries and symlinks are reported, not fatal.
pub fn discover(config: &Config) -> (SourceTree, Vec<Diagnostic>) {
    static WALKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let mut tree = SourceTree {
        walk: WALKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        ..SourceTree::default()
    };
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let content = config.root.join(CONTENT_DIR);
    let mut bundles: Vec<String> = Vec::new();
    // A bundle's `index.<code>.md` whose code is no site language.
    let mut unknown = Vec::new();
    if content.is_dir() {
        for entry in walk(&config.root, &content, &mut problems) {
            let rel = to_slash(entry.path().strip_prefix(&content).unwrap_or(entry.path()));
            if entry.file_type().is_dir() {
                if rel.is_empty() || !inside_any(&rel, &bundles) {
                    if is_bundle_dir(entry.path()) && !rel.is_empty() {
                        bundles.push(rel);
                    } else {
                        tree.section_dirs.push(rel);
                    }
                }
                continue;
            }
            match bundles.iter().find(|b| rel.starts_with(&format!("{b}/"))) {
                Some(bundle) => match SourceFile::in_bundle(&rel, bundle, config) {
                    Some(file) => files.push(file),
                    None => match bundle_index_language(&rel, config) {
                        Some(written) => unknown.push(Diagnostic::error(
                            SourceLocation::file(format!("{CONTENT_DIR}/{rel}")),
                            unknown_language_message(written, config),
                        )),
                        None => tree.bundle_assets.push(rel),
                    },
                },
                None => {
                    if let Some(file) = SourceFile::classify(&rel, config) {
                        files.push(file);
                    }
                }
            }
        }
    } else {
        problems.push(Diagnostic::warning(
            SourceLocation::file(CONTENT_DIR),
            "no content folder: the site has no articles",
        ));
    }
    problems.extend(unknown);
    find_originals(&mut files, config);
    // Collected in place, the list would keep the room of the files it was
    // made from (144 bytes each, not 8: 19 MB at 100,000 files).
    tree.files = files.into_iter().map(Arc::new).collect();
    tree.files.shrink_to_fit();
    if tree.section_dirs.is_empty() {
        tree.section_dirs.push(String::new());
    }
    let static_dir = config.root.join(STATIC_DIR);
    if static_dir.is_dir() {
        for entry in walk(&config.root, &static_dir, &mut problems) {
            if entry.file_type().is_file() {
                tree.static_files.push(to_slash(
                    entry
                        .path()
                        .strip_prefix(&static_dir)
                        .unwrap_or(entry.path()),
                ));
            }
        }
    }
    (tree, problems)
}

/// Point each translation at the article it translates: the default-language
/// file of the same name in the same folder, or the bundle's `index.md`.
/// Done once per walk: a session's rebuild reuses it.
fn find_originals(files: &mut [SourceFile], config: &Config) {
    let default = config.default_language();
    let translates = |f: &SourceFile| f.kind != SourceKind::SectionIndex;
    let by_name: rustc_hash::FxHashMap<(&str, &str, SourceKind), usize> = (files.iter())
        .enumerate()
        .filter(|(_, f)| translates(f) && f.lang.as_deref().is_none_or(|l| l == default))
        .map(|(n, f)| ((f.section.as_str(), f.stem.as_str(), f.kind), n))
        .collect();
    let originals: Vec<Option<usize>> = (files.iter())
        .map(|f| match f.lang.as_deref() {
            Some(lang) if lang != default && translates(f) => by_name
                .get(&(f.section.as_str(), f.stem.as_str(), f.kind))
                .copied(),
            _ => None,
        })
        .collect();
    for (file, original) in files.iter_mut().zip(originals) {
        file.original = original;
    }
}

impl SourceTree {
    /// The article `file` (one of `files`) translates, when it is a
    /// translation that has one.
    pub fn original_of(&self, file: &SourceFile) -> Option<&SourceFile> {
        file.original.and_then(|n| self.files.get(n)).map(|f| &**f)
    }
}

/// The code of a bundle file named `index.<code>.md` when it is no site
/// language (it would otherwise be published as a file of the bundle).
fn bundle_index_language<'a>(rel: &'a str, config: &Config) -> Option<&'a str> {
    let (stem, written) = unknown_language(rel.rsplit('/').next()?, config)?;
    (stem == "index").then_some(written)
}

/// Sorted walk that skips `.`/`_` names (but not `_index.*`) and reports symlinks.
fn walk<'a>(
    root: &'a Path,
    dir: &Path,
    problems: &'a mut Vec<Diagnostic>,
) -> impl Iterator<Item = walkdir::DirEntry> + 'a {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
        .filter_map(move |entry| match entry {
            Ok(e) if e.path_is_symlink() => {
                problems.push(Diagnostic::warning(
                    SourceLocation::file(relative(root, e.path())),
                    "symbolic link skipped: content and static files must be real files inside the site",
                ));
                None
            }
            Ok(e) => Some(e),
            Err(err) => {
                let path = err.path().map(|p| relative(root, p)).unwrap_or_default();
                problems.push(Diagnostic::error(SourceLocation::file(path), format!("cannot read: {err}")));
                None
            }
        })
}

/// Names starting with `.` or `_` are ignored, except section indexes (`_index.md`).
fn is_ignored(name: &str) -> bool {
    (name.starts_with('_') && !name.starts_with("_index.")) || name.starts_with('.')
}

/// A folder holding `index.md` (or `index.<lang>.md`) is an article bundle.
fn is_bundle_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("index.") && source::is_markdown(&name) && e.path().is_file()
        })
    })
}

fn inside_any(rel: &str, bundles: &[String]) -> bool {
    bundles.iter().any(|b| rel.starts_with(&format!("{b}/")))
}

fn to_slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// When every changed path is a file `tree` already lists (articles or section
/// indexes edited in place: the usual save), those files relative to
/// `content/`; else `None`: something was added, removed or renamed, walk again.
pub fn known_files(
    config: &Config,
    tree: &SourceTree,
    changed: &[PathBuf],
) -> Option<std::collections::HashSet<String>> {
    let content = std::fs::canonicalize(config.root.join(CONTENT_DIR)).ok()?;
    changed
        .iter()
        .map(|path| {
            let rel = to_slash(path.strip_prefix(&content).ok()?);
            let listed = tree.files.iter().any(|f| f.rel_path == rel);
            (listed && path.is_file()).then_some(rel)
        })
        .collect()
}

/// Absolute path of a content file.
pub fn content_path(config: &Config, rel: &str) -> PathBuf {
    config.root.join(CONTENT_DIR).join(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations_point_at_the_articles_they_translate() {
        let dir = tempfile::tempdir().unwrap();
        let yaml = "title: T\nbase_url: https://x.org\nlanguages:\n  ru: { title: Т }\n";
        std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
        let news = dir.path().join("content/news");
        std::fs::create_dir_all(news.join("bundle")).unwrap();
        for file in [
            "_index.md",
            "_index.ru.md",
            "visit.md",
            "visit.ru.md",
            "alone.ru.md",
            "bundle/index.md",
            "bundle/index.ru.md",
        ] {
            std::fs::write(news.join(file), "---\ntitle: T\n---\n").unwrap();
        }
        let config = Config::load(dir.path(), &Default::default()).unwrap();
        let (tree, _) = discover(&config);
        let original = |rel: &str| {
            let file = tree.files.iter().find(|f| f.rel_path == rel).unwrap();
            tree.original_of(file).map(|o| o.rel_path.as_str())
        };
        assert_eq!(
            tree.files.capacity(),
            tree.files.len(),
            "the list of files holds no room it does not use"
        );
        assert_eq!(original("news/visit.ru.md"), Some("news/visit.md"));
        assert_eq!(
            original("news/bundle/index.ru.md"),
            Some("news/bundle/index.md")
        );
        assert_eq!(original("news/alone.ru.md"), None);
        assert_eq!(original("news/visit.md"), None);
        assert_eq!(
            original("news/_index.ru.md"),
            None,
            "sections inherit nothing"
        );
    }
}
