//! Which changes matter, and how to hear about them: notify events, debounced
//! (100 ms of quiet, so an editor's save-rename-delete dance is one change;
//! 30 ms once every written file has been closed), classified.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::config::CONFIG_FILE;
use crate::load::{CONTENT_DIR, STATIC_DIR};
use crate::render::templates::TEMPLATES_DIR;

/// What a changed path asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Not an input (editor swap files, the output folder).
    Ignored,
    /// A file under `static/`: copied again.
    Static,
    /// An article or section: parsed again.
    Content,
    /// A template or UI strings file: every page may change.
    Templates,
    /// site.yaml: everything may change.
    Config,
}

/// Classify `path` (absolute, under `root`).
pub fn classify(root: &Path, path: &Path) -> ChangeKind {
    let Ok(relative) = path.strip_prefix(root) else {
        return ChangeKind::Ignored;
    };
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"; // vim's write test
    if temporary {
        return ChangeKind::Ignored;
    }
    let mut parts = relative.components();
    match parts.next() {
        Some(Component::Normal(first)) if first == CONFIG_FILE && parts.next().is_none() => {
            ChangeKind::Config
        }
        // Data files may be read by shortcodes and any template: as site.yaml.
        Some(Component::Normal(first)) if first == crate::data::DATA_DIR => ChangeKind::Config,
        Some(Component::Normal(first)) if first == CONTENT_DIR => ChangeKind::Content,
        Some(Component::Normal(first)) if first == TEMPLATES_DIR => ChangeKind::Templates,
        Some(Component::Normal(first)) if first == STATIC_DIR => ChangeKind::Static,
        _ => ChangeKind::Ignored,
    }
}

/// Whether a changed template can change how content files parse: shortcodes
/// render while parsing, and UI strings feed them. Other templates only change
/// rendering, so parsed files can be kept.
pub fn affects_parsing(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root.join(TEMPLATES_DIR)) else {
        return false;
    };
    relative.starts_with("shortcodes") || relative.starts_with("i18n")
}

/// The strongest kind among a burst of changed paths.
pub fn classify_all<'a>(root: &Path, paths: impl IntoIterator<Item = &'a Path>) -> ChangeKind {
    paths
        .into_iter()
        .map(|p| classify(root, p))
        .max()
        .unwrap_or(ChangeKind::Ignored)
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _watcher: notify::RecommendedWatcher,
    /// Bursts of changed paths.
    pub changes: mpsc::Receiver<Vec<PathBuf>>,
}

/// Quiet time that ends a burst of events.
const DEBOUNCE: Duration = Duration::from_millis(100);

/// Quiet time once every file written in the burst has been closed: the save
/// is complete, so the rebuild need not wait the whole debounce. An editor's
/// remaining steps (backup removal, renames) follow within microseconds; a
/// step later than this only costs one more rebuild.
const SETTLED: Duration = Duration::from_millis(10);

/// What one notify event says.
#[derive(Debug, PartialEq, Eq)]
enum Heard {
    /// Nothing that matters (reads: our own builds open every file).
    Nothing,
    /// These paths changed; `writing` when the change is a write still open.
    Changed { writing: bool },
    /// A file opened for writing was closed: its new content is complete.
    Closed,
}

fn hear(event: &notify::Event) -> Heard {
    use notify::event::{AccessKind, AccessMode, ModifyKind};
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Heard::Closed,
        EventKind::Access(_) | EventKind::Other => Heard::Nothing,
        EventKind::Create(_) | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any) => {
            Heard::Changed { writing: true }
        }
        _ => Heard::Changed { writing: false },
    }
}

/// Collects one burst of changes: ends after `DEBOUNCE` of quiet, or `SETTLED`
/// once every file written in it has been closed.
#[derive(Debug, Default)]
struct Burst {
    paths: Vec<PathBuf>,
    writing: Vec<PathBuf>,
}

impl Burst {
    fn add(&mut self, event: notify::Event) {
        match hear(&event) {
            Heard::Nothing => {}
            Heard::Closed => self.writing.retain(|p| !event.paths.contains(p)),
            Heard::Changed { writing } => {
                if writing {
                    self.writing.extend(event.paths.iter().cloned());
                }
                self.paths.extend(event.paths);
            }
        }
    }

    fn started(&self) -> bool {
        !self.paths.is_empty()
    }

    fn quiet_time(&self) -> Duration {
        if self.writing.is_empty() {
            SETTLED
        } else {
            DEBOUNCE
        }
    }

    fn finish(mut self) -> Vec<PathBuf> {
        self.paths.sort();
        self.paths.dedup();
        self.paths
    }
}

/// Watch the inputs of the site at `root` (not the output folder, whose
/// thousands of folders would only cost watches).
pub fn watch(root: &Path) -> notify::Result<Watcher> {
    let (raw_tx, raw_rx) = mpsc::channel::<notify::Event>();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        if let Ok(event) = result {
            if hear(&event) != Heard::Nothing {
                let _ = raw_tx.send(event);
            }
        }
    })?;
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in [
        CONTENT_DIR,
        TEMPLATES_DIR,
        STATIC_DIR,
        crate::data::DATA_DIR,
    ] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let (tx, changes) = mpsc::channel();
    std::thread::spawn(move || {
        while let Ok(first) = raw_rx.recv() {
            let mut burst = Burst::default();
            burst.add(first);
            if !burst.started() {
                continue; // a close with no change before it
            }
            while let Ok(more) = raw_rx.recv_timeout(burst.quiet_time()) {
                burst.add(more);
            }
            if tx.send(burst.finish()).is_err() {
                return;
            }
        }
    });
    Ok(Watcher {
        _watcher: watcher,
        changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: EventKind, path: &str) -> notify::Event {
        notify::Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn a_burst_settles_early_once_written_files_are_closed() {
        use notify::event::{AccessKind, AccessMode, CreateKind, DataChange, ModifyKind};
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let close = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let mut burst = Burst::default();
        burst.add(event(close, "/site/content/a.md"));
        assert!(!burst.started(), "a close alone is no change");
        burst.add(event(write, "/site/content/a.md"));
        burst.add(event(
            EventKind::Create(CreateKind::File),
            "/site/content/b.md",
        ));
        assert_eq!(burst.quiet_time(), DEBOUNCE, "files still being written");
        burst.add(event(close, "/site/content/a.md"));
        assert_eq!(burst.quiet_time(), DEBOUNCE, "b.md is still open");
        burst.add(event(close, "/site/content/b.md"));
        assert_eq!(burst.quiet_time(), SETTLED);
        burst.add(event(
            EventKind::Access(AccessKind::Close(AccessMode::Read)),
            "/site/content/c.md",
        ));
        assert_eq!(
            burst.finish(),
            vec![
                PathBuf::from("/site/content/a.md"),
                PathBuf::from("/site/content/b.md")
            ]
        );
    }

    #[test]
    fn classifies_inputs() {
        let root = Path::new("/site");
        let kind = |p: &str| classify(root, &root.join(p));
        assert_eq!(kind("content/news/a.md"), ChangeKind::Content);
        assert_eq!(kind("content/news/photo.jpg"), ChangeKind::Content);
        assert_eq!(kind("templates/page.html"), ChangeKind::Templates);
        assert_eq!(kind("templates/i18n/ru.yaml"), ChangeKind::Templates);
        assert_eq!(kind("static/style.css"), ChangeKind::Static);
        assert_eq!(kind("site.yaml"), ChangeKind::Config);
        assert_eq!(kind("data/consular/fees.yaml"), ChangeKind::Config);
        assert_eq!(kind("public/index.html"), ChangeKind::Ignored);
        assert_eq!(kind("content/news/.a.md.swp"), ChangeKind::Ignored);
        assert_eq!(kind("content/news/a.md~"), ChangeKind::Ignored);
        assert_eq!(kind("content/news/4913"), ChangeKind::Ignored);
        assert_eq!(
            classify(root, Path::new("/elsewhere/x")),
            ChangeKind::Ignored
        );
    }

    #[test]
    fn only_shortcodes_and_strings_affect_parsing() {
        let root = Path::new("/site");
        assert!(affects_parsing(
            root,
            &root.join("templates/shortcodes/figure.html")
        ));
        assert!(affects_parsing(root, &root.join("templates/i18n/ru.yaml")));
        assert!(!affects_parsing(root, &root.join("templates/page.html")));
        assert!(!affects_parsing(root, &root.join("content/a.md")));
    }

    #[test]
    fn a_burst_takes_its_strongest_kind() {
        let root = Path::new("/site");
        let paths = [root.join("static/a.css"), root.join("content/a.md")];
        assert_eq!(
            classify_all(root, paths.iter().map(|p| p.as_path())),
            ChangeKind::Content
        );
    }
}
