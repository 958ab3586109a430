//! The 404 family: `/404.html`, from the theme's `404.html`, in the default
//! language.

use super::memo::Prints;
use super::plan::{Bytes, Counted, Output, Outputs, PlanInput, Planned, Problems};
use super::prepared::Prepared;

/// Plan `/404.html`.
pub(super) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    let url = format!("{}/404.html", input.config.base_path);
    outputs.add(url, "404 page", NotFound);
}

/// The page static hosts show for a missing URL.
#[derive(Debug)]
struct NotFound;

impl Output for NotFound {
    fn render<'p>(&'p self, at: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let ctx = site.base_context(site.config.default_language(), &at.url);
        site.render_template("404.html", &ctx, &at.source)
            .map(Bytes::Made)
    }

    fn fingerprint(&self, _: &Planned, site: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        let lang = site.config.default_language();
        Some(prints.page_base("404", lang, "404.html").finish())
    }

    fn counted(&self) -> Counted {
        Counted::Page
    }
}
