//! The static files family: files of `static/` and of page bundles, copied
//! as they are; files made before rendering (compiled SCSS, the built-in
//! theme's); and the highlighting stylesheet, when a page has code.

use std::path::PathBuf;
use std::sync::Arc;

use super::HIGHLIGHT_CSS;
use super::assets::AssetSource;
use super::memo::{Print, Prints};
use super::plan::{Bytes, Counted, Output, Outputs, PlanInput, Planned, Problems};
use super::prepared::Prepared;
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::load::CONTENT_DIR;

/// Plan the files of every article's bundle, beside its page.
pub(super) fn plan_bundle_files(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    let content_dir = input.config.root.join(CONTENT_DIR);
    for article in &input.content.articles {
        for (asset, url) in &article.assets {
            let source = format!("{CONTENT_DIR}/{asset}");
            outputs.add(url.clone(), source, Copy(content_dir.join(asset)));
        }
    }
}

/// Plan the highlighting stylesheet and the site's static files.
pub(super) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    let root = &input.config.base_path;
    if input.content.has_code() {
        let source = "highlight_theme in site.yaml";
        outputs.add(format!("{root}/{HIGHLIGHT_CSS}"), source, HighlightCss);
    }
    for (file, from, source) in input.assets.files() {
        let url = format!("{root}/{file}");
        match source {
            AssetSource::File(path) => outputs.add(url, from.to_string(), Copy(path.clone())),
            AssetSource::Made(bytes) => outputs.add(url, from.to_string(), Made(bytes.clone())),
        }
    }
}

/// A file copied as it is.
#[derive(Debug)]
struct Copy(PathBuf);

impl Output for Copy {
    fn render<'p>(&'p self, _: &Planned, _: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        Ok(Bytes::File(&self.0))
    }

    fn fingerprint(&self, _: &Planned, _: &Prepared<'_>, _: &Prints) -> Option<u64> {
        let meta = std::fs::metadata(&self.0).ok()?;
        let mut print = Print::new("copy");
        print.add(&self.0).add(meta.len()).add(meta.modified().ok());
        Some(print.finish())
    }

    fn counted(&self) -> Counted {
        Counted::Static
    }
}

/// Bytes made before rendering.
#[derive(Debug)]
struct Made(Arc<[u8]>);

impl Output for Made {
    fn render<'p>(&'p self, _: &Planned, _: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        Ok(Bytes::Shared(&self.0))
    }

    fn fingerprint(&self, _: &Planned, _: &Prepared<'_>, _: &Prints) -> Option<u64> {
        Some(Print::new("made").add(&self.0[..]).finish())
    }

    fn counted(&self) -> Counted {
        Counted::Static
    }
}

/// `/highlight.css`: the classes of site.yaml's `highlight_theme`.
#[derive(Debug)]
struct HighlightCss;

impl Output for HighlightCss {
    fn render<'p>(&'p self, _: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let config = site.config;
        let css =
            crate::parse::highlight::stylesheet(&config.highlight_theme).map_err(|message| {
                let at = SourceLocation::file(crate::config::CONFIG_FILE);
                vec![Diagnostic::error(at, message)]
            })?;
        let css = if config.minify {
            super::minify::css(&css).unwrap_or(css)
        } else {
            css
        };
        Ok(Bytes::Made(css.into_bytes()))
    }

    fn fingerprint(&self, _: &Planned, _: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        Some(Print::new("highlight").add(prints.generation).finish())
    }
}
