//! The redirects family: old URLs (`aliases`) and `/page/1/` of every list.

use super::memo::{Print, Prints};
use super::plan::{Bytes, Output, Outputs, PlanInput, Planned, Problems};
use super::prepared::Prepared;
use crate::config::Config;
use crate::html::escape_attr;
use crate::parse::display_path;

/// Plan every article's aliases and the first pager URL of every list.
pub(super) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    let (config, content) = (input.config, input.content);
    for article in &content.articles {
        let source = display_path(&article.parsed.source);
        for alias in &article.parsed.meta.aliases {
            let trimmed = alias.trim().trim_matches('/');
            let url = if trimmed.ends_with(".html") {
                format!("{}/{trimmed}", config.base_path)
            } else {
                format!("{}/{trimmed}/", config.base_path)
            };
            let at = article.parsed.meta.positions.location(&source, "aliases");
            let to = Redirect(article.url.to_string());
            outputs.add_at(url, format!("{source} (alias \"{alias}\")"), at, to);
        }
    }
    for section in &content.sections {
        let source = super::sections::source(section);
        let to = Redirect(section.url.clone());
        outputs.add(format!("{}page/1/", section.url), source, to);
    }
    for taxonomy in &content.taxonomies {
        for term in &taxonomy.terms {
            let source = super::terms::term_source(taxonomy, term);
            outputs.add(
                format!("{}page/1/", term.url),
                source,
                Redirect(term.url.clone()),
            );
        }
    }
}

/// A page that sends browsers and crawlers to a site-relative URL.
#[derive(Debug)]
struct Redirect(String);

impl Output for Redirect {
    fn render<'p>(&'p self, _: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        Ok(Bytes::Made(
            redirect_page(site.config, &self.0).into_bytes(),
        ))
    }

    fn fingerprint(&self, _: &Planned, _: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        let mut print = Print::new("redirect");
        print.add(prints.generation).add(&self.0);
        Some(print.finish())
    }
}

/// The redirect page to `to`.
fn redirect_page(config: &Config, to: &str) -> String {
    let absolute = escape_attr(&config.absolute(to));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirect</title>\n\
         <link rel=\"canonical\" href=\"{absolute}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={absolute}\">\n</head>\n<body>\n\
         <p><a href=\"{absolute}\">{absolute}</a></p>\n</body>\n</html>\n",
        lang = escape_attr(config.default_language()),
    )
}
