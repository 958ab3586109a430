//! The search family: each language's search page (`search.html`) and its
//! index (`index.json` and the files beside it), when the theme has
//! `search.html` and site.yaml does not turn search off.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap as HashMap;

use super::{KeptDocs, LanguageIndex, SearchDoc, doc, emit_index_files, folder, index_files};
use crate::diagnostics::Diagnostic;
use crate::link::ArticleId;
use crate::output::{FileBytes, Sink};
use crate::render::memo::{Print, Prints};
use crate::render::plan::{Bytes, Counted, Output, Outputs, PlanInput, Planned, Problems};
use crate::render::prepared::Prepared;

/// Plan each language's search page and index.
pub(in crate::render) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    let config = input.config;
    if !config.search || !input.has("search.html") {
        return;
    }
    for language in &config.languages {
        let lang = &language.code;
        let page = format!("{}/search/", config.language_prefix(lang));
        outputs.add(page, "search page", SearchPage(lang.clone()));
        let index = format!("{}index.json", folder(config, lang));
        outputs.add(index, "search index", SearchIndex(lang.clone()));
    }
}

/// What the indexes of one build share: the entries and indexes of the
/// last build of a session, those this one makes, and where the files
/// beside each `index.json` go.
#[derive(Default)]
pub(in crate::render) struct IndexState<'a> {
    /// Entries of the last build (by source path).
    before: KeptDocs,
    /// Entries this build made.
    now: Mutex<KeptDocs>,
    /// Each language's index, by code: the last build's, to be patched, and
    /// then this one's (sessions only).
    indexes: Mutex<HashMap<String, LanguageIndex>>,
    /// The files beside each `index.json` rendered, to be written after the
    /// render (file, bytes).
    files: Mutex<Vec<(String, FileBytes)>>,
    /// In a plain build, where those files go as soon as they are made
    /// (nothing compares them with a last build), and how many went.
    parts_sink: Option<&'a dyn Sink>,
    parts_written: AtomicUsize,
    /// Size of the indexes rendered.
    bytes: AtomicUsize,
}

impl<'a> IndexState<'a> {
    /// The state of a build: a session's last entries and indexes, or
    /// (plain builds) the sink the index files go to at once.
    pub(in crate::render) fn new(
        (before, indexes): (KeptDocs, HashMap<String, LanguageIndex>),
        parts_sink: Option<&'a dyn Sink>,
    ) -> Self {
        IndexState {
            before,
            indexes: Mutex::new(indexes),
            parts_sink,
            ..IndexState::default()
        }
    }

    /// Files written beside the `index.json`s, and the bytes of all index files.
    pub(in crate::render) fn written(&self) -> (usize, usize) {
        let files = self.parts_written.load(Ordering::Relaxed);
        (files, self.bytes.load(Ordering::Relaxed))
    }

    /// The files beside each `index.json` not written yet (sessions).
    pub(in crate::render) fn take_files(&self) -> Vec<(String, FileBytes)> {
        std::mem::take(&mut *lock(&self.files))
    }

    /// For the next build of a session: the entries this build made or kept,
    /// and each language's index.
    pub(in crate::render) fn kept(&mut self) -> (KeptDocs, HashMap<String, LanguageIndex>) {
        // The last build's map, with the few entries this one made put in.
        let mut search = std::mem::take(&mut self.before);
        search.extend(std::mem::take(&mut *lock(&self.now)));
        (search, std::mem::take(&mut *lock(&self.indexes)))
    }
}

/// A lock that a panicked render thread left poisoned still holds its data.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A session's search entry of an article, with its fingerprint: kept from
/// the last build when its content has not changed. `here` is the last
/// build's doc of the same number, with its fingerprint, while the tree's
/// layout stands; else the entry is looked up by path.
fn entry(
    site: &Prepared<'_>,
    id: ArticleId,
    here: Option<(u64, &Arc<SearchDoc>)>,
) -> (u64, Arc<SearchDoc>) {
    let article = &site.content.articles[id];
    let Some(prints) = &site.prints else {
        return (0, Arc::new(doc(site.content, article)));
    };
    // Its card names its section.
    let section = &site.content.sections[article.section].title;
    let print = Print::new("search-doc")
        .add(prints.content[id])
        .add(section)
        .finish();
    if let Some((before, entry)) = here.filter(|(before, _)| *before == print) {
        return (before, entry.clone());
    }
    let state = &site.search;
    let path = &article.parsed.source.rel_path;
    if let Some((before, entry)) = state.before.get(path) {
        if *before == print {
            return (print, entry.clone());
        }
    }
    let entry = Arc::new(doc(site.content, article));
    lock(&state.now).insert(path.clone(), (print, entry.clone()));
    (print, entry)
}

/// A language's search page.
#[derive(Debug)]
struct SearchPage(String);

impl Output for SearchPage {
    fn render<'p>(&'p self, at: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let lang = &self.0;
        let mut ctx = site.base_context(lang, &at.url);
        let index = format!("{}index.json", folder(site.config, lang));
        ctx.insert("search_index", &index);
        site.render_template("search.html", &ctx, &at.source)
            .map(Bytes::Made)
    }

    fn fingerprint(&self, _: &Planned, _: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        Some(
            prints
                .page_base("search-page", &self.0, "search.html")
                .finish(),
        )
    }

    fn counted(&self) -> Counted {
        Counted::Page
    }
}

/// A language's `index.json`; the files beside it go to the sink as they
/// are made (plain builds) or wait for the end of the render (sessions).
#[derive(Debug)]
struct SearchIndex(String);

impl Output for SearchIndex {
    fn render<'p>(&'p self, _: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let (config, lang, state) = (site.config, &self.0, &site.search);
        let folder = folder(config, lang);
        let file = |name: &str| {
            crate::link::permalink::output_file(&config.base_path, &format!("{folder}{name}"))
        };
        let Some(sink) = state.parts_sink else {
            let before = lock(&state.indexes).remove(lang);
            let entry = |id, here: Option<(u64, &Arc<SearchDoc>)>| entry(site, id, here);
            let (mut files, index) = index_files(site.content, lang, entry, before);
            lock(&state.indexes).insert(lang.clone(), index);
            let total: usize = files.iter().map(|(_, bytes)| bytes.len()).sum();
            state.bytes.fetch_add(total, Ordering::Relaxed);
            let meta = files.remove(0).1.bytes().into_owned();
            let parts = files.into_iter().map(|(name, bytes)| (file(&name), bytes));
            lock(&state.files).extend(parts);
            return Ok(Bytes::Made(meta));
        };
        let mut emit = |name: String, bytes: Vec<u8>| {
            let path = file(&name);
            sink.write(&path, &bytes)
                .map_err(|e| vec![Diagnostic::general(format!("cannot write {path}: {e}"))])?;
            state.parts_written.fetch_add(1, Ordering::Relaxed);
            state.bytes.fetch_add(bytes.len(), Ordering::Relaxed);
            Ok::<_, Problems>(())
        };
        let fresh = |id| Arc::new(doc(site.content, &site.content.articles[id]));
        let meta = emit_index_files(site.content, lang, fresh, &mut emit)?;
        state.bytes.fetch_add(meta.len(), Ordering::Relaxed);
        Ok(Bytes::Made(meta))
    }

    /// Made again every build (from kept entries): its files beside
    /// index.json are not remembered.
    fn fingerprint(&self, _: &Planned, _: &Prepared<'_>, _: &Prints) -> Option<u64> {
        None
    }

    fn serial(&self) -> bool {
        true
    }
}
