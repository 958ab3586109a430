//! Files of `static/` as published: `.scss` compiled to `.css` (grass; names
//! starting with `_` are partials, not published), and the content hashes behind `asset_url` (a copy named
//! `style.<hash>.css`) and `asset_integrity` (SRI `sha384-…`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::load::STATIC_DIR;

/// Where a published static file's bytes come from.
#[derive(Debug, Clone)]
pub(crate) enum AssetSource {
    /// Copied from this file as it is.
    File(PathBuf),
    /// Made by the build (compiled, minified or built into the theme).
    Made(Arc<[u8]>),
}

/// Hexadecimal digits of the hash in a fingerprinted name.
const NAME_HASH: usize = 8;

/// A published file's fingerprint: its hashed name and its SRI value.
#[derive(Debug, Clone)]
pub(crate) struct Fingerprint {
    /// Published path with the hash before the extension (`css/site.3f2a9c1e.css`).
    pub(crate) path: String,
    /// `sha384-` and the base64 digest.
    pub(crate) integrity: String,
}

/// The site's static files, by published path (`css/site.css`), with what
/// they are made from (`static/css/site.scss`, `(built-in theme) style.css`).
#[derive(Debug, Default)]
pub(crate) struct Assets {
    files: BTreeMap<String, (String, AssetSource)>,
    /// Fingerprints made so far (on first use), by published path.
    prints: Mutex<BTreeMap<String, Fingerprint>>,
}

impl Assets {
    /// Every static file of the site (`static_files`, relative to static/)
    /// and the built-in theme's `builtin` ones it does not replace. SCSS that
    /// does not compile is an error naming the file, line and column.
    pub(crate) fn new(
        config: &Config,
        static_files: &[String],
        builtin: &[(&str, &'static [u8])],
    ) -> (Assets, Vec<Diagnostic>) {
        let mut files = BTreeMap::new();
        let mut problems = Vec::new();
        for (name, bytes) in builtin {
            if !static_files.iter().any(|f| f == name) {
                let from = format!("(built-in theme) {name}");
                files.insert(
                    name.to_string(),
                    (from, AssetSource::Made(Arc::from(*bytes))),
                );
            }
        }
        for file in static_files {
            let path = config.root.join(STATIC_DIR).join(file);
            let Some(stem) = file.strip_suffix(".scss") else {
                files.insert(
                    file.clone(),
                    (format!("{STATIC_DIR}/{file}"), AssetSource::File(path)),
                );
                continue;
            };
            if file
                .rsplit('/')
                .next()
                .is_some_and(|name| name.starts_with('_'))
            {
                continue;
            }
            match compile_scss(file, &path) {
                Ok(css) => {
                    let name = format!("{stem}.css");
                    let made = AssetSource::Made(Arc::from(css.into_bytes()));
                    files.insert(name, (format!("{STATIC_DIR}/{file}"), made));
                }
                Err(problem) => problems.push(problem),
            }
        }
        if config.minify {
            minify_all(&mut files, &mut problems);
        }
        let assets = Assets {
            files,
            prints: Mutex::default(),
        };
        (assets, problems)
    }

    /// A fingerprint of every file as it stands (size and time of copied
    /// files, bytes of made ones): pages that fetch fingerprints are made
    /// again when it changes.
    pub(crate) fn state(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        for (path, (_, source)) in &self.files {
            path.hash(&mut hasher);
            match source {
                AssetSource::File(file) => {
                    let meta = std::fs::metadata(file).ok();
                    meta.as_ref().map(std::fs::Metadata::len).hash(&mut hasher);
                    meta.and_then(|m| m.modified().ok()).hash(&mut hasher);
                }
                AssetSource::Made(bytes) => bytes.hash(&mut hasher),
            }
        }
        hasher.finish()
    }

    /// Every published file, what it is made from, and its bytes' source.
    pub(crate) fn files(&self) -> impl Iterator<Item = (&str, &str, &AssetSource)> {
        self.files
            .iter()
            .map(|(path, (from, source))| (path.as_str(), from.as_str(), source))
    }

    /// The fingerprint of `path` (relative to static/; a `.scss` path names
    /// its compiled `.css`), made once per build.
    pub(crate) fn fingerprint(&self, path: &str) -> Result<Fingerprint, String> {
        let path = path.trim_start_matches('/');
        let compiled;
        let path = match path.strip_suffix(".scss") {
            Some(stem) => {
                compiled = format!("{stem}.css");
                compiled.as_str()
            }
            None => path,
        };
        let mut prints = self.prints.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(print) = prints.get(path) {
            return Ok(print.clone());
        }
        let source = self
            .files
            .get(path)
            .ok_or_else(|| format!("no file static/{path} (nor a static/ .scss compiled to it)"))?;
        let bytes = read(&source.1).map_err(|e| format!("cannot read static/{path}: {e}"))?;
        let digest = Sha384::digest(&bytes);
        let hex: String = digest[..NAME_HASH / 2]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
        let hashed = match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hex}.{ext}"),
            _ => format!("{name}.{hex}"),
        };
        let print = Fingerprint {
            path: if dir.is_empty() {
                hashed
            } else {
                format!("{dir}/{hashed}")
            },
            integrity: format!(
                "sha384-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ),
        };
        prints.insert(path.to_string(), print.clone());
        Ok(print)
    }

    /// The fingerprinted copies to publish, every one a template asked for:
    /// (published path, fingerprinted path, the bytes' source).
    pub(crate) fn fingerprinted(&self) -> Vec<(String, String, AssetSource)> {
        let prints = self.prints.lock().unwrap_or_else(|e| e.into_inner());
        prints
            .iter()
            .filter_map(|(path, print)| {
                let source = self.files.get(path)?.1.clone();
                Some((path.clone(), print.path.clone(), source))
            })
            .collect()
    }
}

/// `minify: true`: every stylesheet and script is published minified (and
/// fingerprinted as minified). One that cannot be minified is a warning and
/// is published as it is.
fn minify_all(files: &mut BTreeMap<String, (String, AssetSource)>, problems: &mut Vec<Diagnostic>) {
    // Only stylesheets and scripts are read: photos and PDFs stay unread.
    let minified = files
        .iter_mut()
        .filter(|(name, _)| super::minify::is_asset(name));
    for (name, (from, source)) in minified {
        let bytes = match read(source) {
            Ok(bytes) => bytes,
            Err(e) => {
                problems.push(Diagnostic::error(
                    SourceLocation::file(from.as_str()),
                    format!("cannot read the file: {e}"),
                ));
                continue;
            }
        };
        match super::minify::asset(name, &bytes) {
            Some(Ok(minified)) => *source = AssetSource::Made(Arc::from(minified)),
            Some(Err(why)) => problems.push(Diagnostic::warning(
                SourceLocation::file(from.as_str()),
                format!("minify: {why}; the file is published as it is"),
            )),
            None => {}
        }
    }
}

/// The bytes of a published file.
pub(crate) fn read(source: &AssetSource) -> std::io::Result<Arc<[u8]>> {
    match source {
        AssetSource::File(path) => Ok(Arc::from(std::fs::read(path)?)),
        AssetSource::Made(bytes) => Ok(bytes.clone()),
    }
}

/// `static/<file>` compiled; `@use`/`@import` resolve beside it and below static/.
fn compile_scss(file: &str, path: &Path) -> Result<String, Diagnostic> {
    let static_dir = path
        .ancestors()
        .find(|p| p.ends_with(STATIC_DIR))
        .unwrap_or(Path::new(STATIC_DIR));
    let options = grass::Options::default()
        .load_path(static_dir)
        .style(grass::OutputStyle::Expanded);
    grass::from_path(path, &options).map_err(|e| scss_error(file, &e))
}

/// grass's message, at the line and column it names (in the file it names:
/// an error in a partial is located in the partial).
fn scss_error(file: &str, error: &grass::Error) -> Diagnostic {
    let fallback = format!("{STATIC_DIR}/{file}");
    let (message, at) = match error.clone().kind() {
        grass::ErrorKind::ParseError { message, loc, .. } => {
            let name = Path::new(loc.file.name());
            let shown = name
                .components()
                .skip_while(|c| c.as_os_str() != STATIC_DIR)
                .collect::<PathBuf>();
            let shown = if shown.as_os_str().is_empty() {
                PathBuf::from(&fallback)
            } else {
                shown
            };
            let at = SourceLocation::new(shown, loc.begin.line + 1, loc.begin.column + 1);
            (message, at)
        }
        other => (format!("{other:?}"), SourceLocation::file(&fallback)),
    };
    let message = message.trim_end_matches('.');
    Diagnostic::error(at, format!("SCSS: {message}; expected valid SCSS"))
}
