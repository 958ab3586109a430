//! Stage 4: `ContentTree` → output files. First every output is planned (URL,
//! source, what makes it), so two sources claiming one URL are caught before any
//! work; then outputs are rendered in parallel and handed to a `Sink`.
//!
//! 1. plan (`plan.rs`): each family of outputs plans its files — article
//!    pages (`articles.rs`), section pages (`sections.rs`), taxonomies
//!    (`terms.rs`), feeds, sitemaps, search, redirects (`aliases.rs`), static
//!    files (`statics.rs`) and the 404 page
//! 2. prepare (`prepared.rs`): per-article list values and per-list arrays, built once and shared
//! 3. render: each output renders itself, in parallel; in sessions, an
//!    output whose fingerprint stands is kept (`memo.rs`)

mod aliases;
mod articles;
mod assets;
pub mod context;
mod feeds;
mod filters;
pub(crate) mod functions;
pub mod images;
mod list_items;
mod memo;
mod minify;
mod news_sitemap;
mod not_found;
mod plan;
mod plurals;
mod prepared;
mod required;
mod search;
mod sections;
mod sitemap;
mod statics;
pub mod templates;
mod terms;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::link::ContentTree;
use crate::link::permalink::output_file;
use crate::output::{FileBytes, Sink};
pub use memo::RenderMemo;
use memo::{Dependency, Remembered};
use plan::{Bytes, Counted, Problems};
use prepared::Prepared;
pub use templates::Templates;

/// The generated highlighting stylesheet, at the site root.
const HIGHLIGHT_CSS: &str = "highlight.css";

/// What a build produced, for the summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RenderReport {
    /// HTML pages rendered from templates.
    pub pages: usize,
    /// Sections (all languages).
    pub sections: usize,
    /// Languages.
    pub languages: usize,
    /// Files copied from `static/` and bundles.
    pub static_files: usize,
    /// Every file written.
    pub files: usize,
    /// Files kept from the last build of a session instead of being made again.
    pub reused: usize,
    /// Bytes of the search indexes made (all languages).
    pub search_index_bytes: usize,
}

/// Render the whole site into `sink`; every problem is returned.
pub fn render_site(
    config: &Config,
    content: &ContentTree,
    templates: &Templates,
    static_files: &[String],
    sink: &dyn Sink,
    mut memo: Option<&mut RenderMemo>,
) -> (RenderReport, Vec<Diagnostic>) {
    let unreadable_before = crate::packed::unreadable();
    let Planning {
        sitemap,
        assets,
        plan,
        mut problems,
        kept: plan_memo,
    } = plan_site(config, content, templates, static_files, memo.as_deref());
    let mut report = RenderReport {
        sections: content.sections.len(),
        languages: config.languages.len(),
        ..RenderReport::default()
    };
    if problems.iter().any(Diagnostic::is_error) {
        return (report, problems);
    }
    // The last build's search entries move into this one (no copy of the map).
    let search_before = memo.as_mut().map(|m| m.take_search()).unwrap_or_default();
    let ingredients = prepared::Ingredients {
        templates,
        memo: memo.as_deref(),
        search: search::IndexState::new(search_before, memo.is_none().then_some(sink)),
        sitemap: sitemap.clone(),
        assets: assets.clone(),
    };
    let mut prepared = Prepared::new(config, content, ingredients);
    let rendered = render_outputs(&plan, &prepared, sink, memo.as_deref());
    let before = memo.as_deref();
    let published = publish(
        config,
        templates,
        &assets,
        &prepared,
        before,
        sink,
        &mut report,
    );
    problems.extend(published.problems);
    count(&mut report, &plan, &prepared, rendered.reused);
    if let Some(memo) = memo {
        let (search, search_indexes) = prepared.search.kept();
        let now = RenderMemo {
            outputs: rendered.made,
            search,
            search_files: published.search_files,
            search_indexes,
            fingerprinted: published.fingerprinted,
            images: published.images,
            sitemap: content.layout_key.map(|key| (key, sitemap)),
            plan: plan_memo,
        };
        crate::background::drop_later(std::mem::replace(memo, now));
    }
    problems.extend(rendered.problems);
    let unreadable = crate::packed::unreadable() - unreadable_before;
    if unreadable > 0 {
        problems.push(Diagnostic::general(format!(
            "{unreadable} rendered bodies could not be read back from the temporary folder; \
             nothing is published (is the disk full?)"
        )));
    }
    (report, problems)
}

/// What is published after the outputs: resized images, fingerprinted
/// copies and the search index's parts, each as a session keeps it.
struct Published {
    images: BTreeMap<String, FileBytes>,
    fingerprinted: Vec<(String, String)>,
    search_files: rustc_hash::FxHashMap<String, FileBytes>,
    problems: Vec<Diagnostic>,
}

/// Publish what the render asked for besides its outputs.
fn publish(
    config: &Config,
    templates: &Templates,
    assets: &assets::Assets,
    prepared: &Prepared<'_>,
    memo: Option<&RenderMemo>,
    sink: &dyn Sink,
    report: &mut RenderReport,
) -> Published {
    let images = publish_images(config, templates, memo, sink, report);
    let mut problems = images.problems;
    let before = memo.map(|m| &m.fingerprinted[..]).unwrap_or_default();
    let fingerprinted = publish_fingerprinted(config, assets, before, sink, report, &mut problems);
    let search_files = publish_search_parts(
        prepared.search.take_files(),
        memo.map(|m| &m.search_files),
        sink,
        report,
        &mut problems,
    );
    Published {
        images: images.files,
        fingerprinted,
        search_files,
        problems,
    }
}

/// Every output of the site planned, with the sitemap and the static assets
/// it is planned from.
fn plan_site(
    config: &Config,
    content: &ContentTree,
    templates: &Templates,
    static_files: &[String],
    memo: Option<&RenderMemo>,
) -> Planning {
    // The sitemap is made once: plan needs its number of files, render its
    // entries. A session's edit that leaves the tree's layout alone keeps it.
    let kept = memo
        .and_then(|m| m.sitemap.as_ref())
        .filter(|(key, _)| Some(*key) == content.layout_key);
    let sitemap = match kept {
        Some((_, sitemap)) => sitemap.clone(),
        None => Arc::new(sitemap::Sitemap::new(config, content, sitemap::PROTOCOL)),
    };
    let builtin = if templates.own_base {
        &[][..]
    } else {
        crate::theme::STATIC
    };
    let (assets, asset_problems) = assets::Assets::new(config, static_files, builtin);
    // Pages kept from the last build still link the fingerprinted files they asked for.
    for (path, _) in memo.iter().flat_map(|m| &m.fingerprinted) {
        let _ = assets.fingerprint(path);
    }
    // In a session, the plan stands while what it is made from does: the
    // tree's layout, the static files, which templates there are, whether
    // any page has code (the highlighting stylesheet) and the sitemap's files.
    let key = content.layout_key.map(|layout| {
        memo::Print::new("plan")
            .add(layout)
            .add(assets.state())
            .add(&templates.template_prints)
            .add(templates.own_base)
            .add(content.has_code())
            .add(sitemap.part_count())
            .finish()
    });
    let (plan, warnings) = match memo
        .and_then(|m| m.plan.as_ref())
        .filter(|p| Some(p.key) == key)
    {
        Some(kept) => (kept.plan.clone(), kept.warnings.clone()),
        None => {
            let input = plan::PlanInput {
                config,
                content,
                templates,
                assets: &assets,
                sitemap_parts: sitemap.part_count(),
            };
            let (plan, problems) = plan::plan(&input);
            (Arc::from(plan), problems)
        }
    };
    let kept = key.map(|key| memo::PlanMemo {
        key,
        plan: plan.clone(),
        warnings: warnings.clone(),
    });
    let mut problems = warnings;
    problems.extend(asset_problems);
    Planning {
        sitemap,
        assets: Arc::new(assets),
        plan,
        problems,
        kept,
    }
}

/// The site's outputs as planned, with what they are planned from.
struct Planning {
    sitemap: Arc<sitemap::Sitemap>,
    assets: Arc<assets::Assets>,
    plan: Arc<[plan::Planned]>,
    problems: Vec<Diagnostic>,
    /// In sessions, the plan for the next build to keep.
    kept: Option<memo::PlanMemo>,
}

/// What the outputs' render left: in sessions, each output as made or kept.
struct Rendered {
    made: memo::MadeOutputs,
    problems: Vec<Diagnostic>,
    /// Outputs kept from the last build.
    reused: usize,
}

/// Render (or, in sessions, keep) every planned output, in parallel, into `sink`.
fn render_outputs(
    plan: &Arc<[plan::Planned]>,
    prepared: &Prepared<'_>,
    sink: &dyn Sink,
    previous: Option<&RenderMemo>,
) -> Rendered {
    let reused = std::sync::atomic::AtomicUsize::new(0);
    let before = previous.map(|m| memo::Before::new(&m.outputs, plan));
    let render = |n: usize| {
        let output = &plan[n];
        let before = before.as_ref().and_then(|b| b.get(n, &output.file));
        (n, render_output(output, prepared, sink, before, &reused))
    };
    let (serial, parallel): (Vec<usize>, Vec<usize>) =
        (0..plan.len()).partition(|&n| plan[n].job.serial());
    // The long jobs run one after another, beside the rest: each may still
    // spread its own work over the threads, but two of them (a language's
    // search index holds its postings) are never held at once.
    let (results, others): (Vec<_>, Vec<_>) = rayon::join(
        || serial.into_iter().map(render).collect(),
        || parallel.into_par_iter().map(render).collect(),
    );
    let mut made: Vec<Option<Remembered>> = Vec::new();
    if previous.is_some() {
        made.resize_with(plan.len(), || None);
    }
    let mut failed = Vec::new();
    for (n, result) in results.into_iter().chain(others) {
        match result {
            Ok(Some(entry)) => {
                if let Some(slot) = made.get_mut(n) {
                    *slot = Some(entry);
                }
            }
            Ok(None) => {}
            Err(found) => failed.push((n, found)),
        }
    }
    failed.sort_unstable_by_key(|(n, _)| *n);
    Rendered {
        made: memo::MadeOutputs {
            plan: previous.map(|_| plan.clone()),
            made,
        },
        problems: failed.into_iter().flat_map(|(_, found)| found).collect(),
        reused: reused.into_inner(),
    }
}

/// Render (or keep) one output into `sink`; what a session remembers of it
/// (`before`: what the last build made of it).
fn render_output(
    output: &plan::Planned,
    prepared: &Prepared<'_>,
    sink: &dyn Sink,
    before: Option<&Remembered>,
    reused: &std::sync::atomic::AtomicUsize,
) -> Result<Option<Remembered>, Problems> {
    let file = &*output.file;
    let failed = |e: std::io::Error| vec![Diagnostic::general(format!("cannot write {file}: {e}"))];
    let Some(prints) = &prepared.prints else {
        let written = match output.job.render(output, prepared)? {
            Bytes::Made(bytes) => sink.write(file, &bytes),
            Bytes::Shared(bytes) => sink.write(file, bytes),
            Bytes::File(from) => sink.copy(file, from),
        };
        return written.map(|()| None).map_err(failed);
    };
    let own = output
        .job
        .fingerprint(output, prepared, prints)
        .map(|own| memo::Print::new("own").add(own).add(&output.url).finish());
    let (remembered, kept) = made_or_kept(prepared, prints, output, own, before)
        .map_err(|e| e.unwrap_or_else(failed))?;
    if kept {
        reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    sink.share(file, &remembered.bytes).map_err(failed)?;
    Ok(own.map(|_| remembered))
}

/// In a session: the last build's output when its fingerprint (`own` and its
/// recorded dependencies) has not changed (`true`), else the output made again.
fn made_or_kept(
    prepared: &Prepared<'_>,
    prints: &memo::Prints,
    output: &plan::Planned,
    own: Option<u64>,
    before: Option<&Remembered>,
) -> Result<(Remembered, bool), Result<Problems, std::io::Error>> {
    let with = |own: u64, dependencies: &[Dependency]| {
        let mut print = memo::Print::new("output");
        print.add(own);
        for dependency in dependencies {
            print.add(prints.dependency(prepared.content, dependency));
        }
        print.finish()
    };
    let kept = before.filter(|before| {
        own.is_some_and(|own| with(own, &before.dependencies) == before.fingerprint)
    });
    if let Some(before) = kept {
        return Ok((before.clone(), true));
    }
    let (bytes, dependencies) =
        functions::record_dependencies(|| output.job.render(output, prepared));
    let bytes = match bytes.map_err(Ok)? {
        Bytes::Made(bytes) => bytes,
        Bytes::Shared(bytes) => bytes.to_vec(),
        Bytes::File(from) => std::fs::read(from).map_err(Err)?,
    };
    let fingerprint = own.map_or(0, |own| with(own, &dependencies));
    let remembered = Remembered {
        fingerprint,
        dependencies: dependencies.into(),
        bytes: FileBytes::spilled(&bytes),
    };
    Ok((remembered, false))
}

/// The images resized while rendering, and their problems.
struct Images {
    /// In sessions, every image published (those pages kept from earlier builds still show too).
    files: BTreeMap<String, FileBytes>,
    problems: Vec<Diagnostic>,
}

/// Publish the images resized while rendering; a plain build copies them from
/// the cache, a session holds them for the next build.
fn publish_images(
    config: &Config,
    templates: &Templates,
    memo: Option<&RenderMemo>,
    sink: &dyn Sink,
    report: &mut RenderReport,
) -> Images {
    let mut problems = Vec::new();
    let mut files: BTreeMap<String, FileBytes> = memo.map(|m| m.images.clone()).unwrap_or_default();
    for (photo, why) in templates.images.partial_photos() {
        let at = crate::diagnostics::SourceLocation::file(photo);
        problems.push(Diagnostic::warning(at, format!("photo: {why}")));
    }
    for (file, cached) in templates.images.produced() {
        let file = output_file(&config.base_path, &format!("{}/{file}", config.base_path));
        if memo.is_none() {
            if let Err(e) = sink.copy(&file, &cached) {
                problems.push(Diagnostic::general(format!("cannot write {file}: {e}")));
            }
            report.static_files += 1;
            continue;
        }
        if let std::collections::btree_map::Entry::Vacant(slot) = files.entry(file) {
            match std::fs::read(&cached) {
                Ok(bytes) => {
                    slot.insert(FileBytes::plain(bytes));
                }
                Err(e) => problems.push(Diagnostic::general(format!(
                    "cannot read {}: {e}",
                    cached.display()
                ))),
            }
        }
    }
    for (file, bytes) in &files {
        if let Err(e) = sink.share(file, bytes) {
            problems.push(Diagnostic::general(format!("cannot write {file}: {e}")));
        }
    }
    Images { files, problems }
}

/// Pages, static files and files written, for the summary line.
fn count(
    report: &mut RenderReport,
    plan: &[plan::Planned],
    prepared: &Prepared<'_>,
    reused: usize,
) {
    for output in plan {
        match output.job.counted() {
            Counted::Page => report.pages += 1,
            Counted::Static => report.static_files += 1,
            Counted::Other => {}
        }
    }
    let (search_parts, search_bytes) = prepared.search.written();
    report.files += plan.len() + search_parts;
    report.reused += reused;
    report.search_index_bytes = search_bytes;
}

/// The search index's parts (files made beside its `index.json`): each is
/// shared with the sink; in a session (`before` given), one equal to the last
/// build's counts as reused, and all are returned for the next build. A plain
/// build keeps none of them.
fn publish_search_parts(
    files: Vec<(String, FileBytes)>,
    before: Option<&rustc_hash::FxHashMap<String, FileBytes>>,
    sink: &dyn Sink,
    report: &mut RenderReport,
    problems: &mut Vec<Diagnostic>,
) -> rustc_hash::FxHashMap<String, FileBytes> {
    let mut now = rustc_hash::FxHashMap::default();
    report.files += files.len();
    for (file, bytes) in files {
        let bytes = match before.and_then(|b| b.get(&file)) {
            // Most are the very files of the last build, which the index kept.
            Some(kept) if *kept == bytes => {
                report.reused += 1;
                kept.clone()
            }
            _ => bytes,
        };
        if let Err(e) = sink.share(&file, &bytes) {
            problems.push(Diagnostic::general(format!("cannot write {file}: {e}")));
        }
        if before.is_some() {
            now.insert(file, bytes);
        }
    }
    now
}

/// The fingerprinted copies that `asset_url` handed out (one published by the
/// last build, `before`, counts as kept: its name is its content); returns
/// (path under static/, fingerprinted path) for the next build of a session.
fn publish_fingerprinted(
    config: &Config,
    assets: &assets::Assets,
    before: &[(String, String)],
    sink: &dyn Sink,
    report: &mut RenderReport,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let mut asked = Vec::new();
    for (original, hashed, source) in assets.fingerprinted() {
        let file = output_file(&config.base_path, &format!("{}/{hashed}", config.base_path));
        let written = match &source {
            assets::AssetSource::File(from) => sink.copy(&file, from),
            assets::AssetSource::Made(bytes) => sink.write(&file, bytes),
        };
        if let Err(e) = written {
            problems.push(Diagnostic::general(format!("cannot write {file}: {e}")));
        }
        report.files += 1;
        if before.iter().any(|(_, h)| *h == hashed) {
            report.reused += 1;
        }
        asked.push((original, hashed));
    }
    asked
}
