//! The taxonomy family: each taxonomy's list of terms (`taxonomy_list.html`)
//! and each term's list of articles (`taxonomy_term.html`), one page per
//! `paginate_by` articles.

use tera::Value;

use super::context::{TaxonomyContext, TermItem, Translation};
use super::memo::Prints;
use super::plan::{
    Bytes, Counted, Output, Outputs, PlanInput, Planned, Problems, page_count, page_items,
};
use super::prepared::Prepared;
use crate::link::permalink::pager_url;

/// Plan every taxonomy's list and every term's pages.
pub(super) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    let has_list = input.has("taxonomy_list.html");
    for (t, taxonomy) in input.content.taxonomies.iter().enumerate() {
        let source = source(taxonomy);
        // A taxonomy nobody uses needs no list page from a theme without one.
        if !taxonomy.terms.is_empty() || has_list {
            outputs.add(taxonomy.url.clone(), source.clone(), TaxonomyList(t));
        }
        for (n, term) in taxonomy.terms.iter().enumerate() {
            let term_source = term_source(taxonomy, term);
            for page in 1..=page_count(term.pages.len(), input.config.paginate_by) {
                let job = TermPage {
                    taxonomy: t,
                    term: n,
                    page,
                };
                outputs.add(pager_url(&term.url, page), term_source.clone(), job);
            }
        }
    }
}

/// What claims a taxonomy's outputs.
fn source(taxonomy: &crate::link::Taxonomy) -> String {
    format!("taxonomy \"{}\" ({})", taxonomy.name, taxonomy.lang)
}

/// What claims a term's outputs.
pub(super) fn term_source(taxonomy: &crate::link::Taxonomy, term: &crate::link::Term) -> String {
    format!("{} term \"{}\"", source(taxonomy), term.name)
}

/// A taxonomy's list of terms.
#[derive(Debug)]
struct TaxonomyList(usize);

impl Output for TaxonomyList {
    fn render<'p>(&'p self, at: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let taxonomy = &site.content.taxonomies[self.0];
        let mut ctx = site.base_context(&taxonomy.lang, &taxonomy.url);
        ctx.insert_value("taxonomy", taxonomy_value(site, self.0));
        ctx.insert("translations", &translations(site, &taxonomy.name, None));
        site.render_template("taxonomy_list.html", &ctx, &at.source)
            .map(Bytes::Made)
    }

    fn fingerprint(&self, _: &Planned, site: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        let taxonomies = &site.content.taxonomies;
        let taxonomy = &taxonomies[self.0];
        let mut print = prints.page_base("taxonomy", &taxonomy.lang, "taxonomy_list.html");
        for other in taxonomies.iter().filter(|o| o.name == taxonomy.name) {
            print.add(&other.lang).add(&other.url);
            for term in &other.terms {
                print.add(&term.name).add(&term.url).add(term.pages.len());
            }
        }
        Some(print.finish())
    }

    fn counted(&self) -> Counted {
        Counted::Page
    }
}

/// Page `page` (1-based) of a term's articles.
#[derive(Debug)]
struct TermPage {
    taxonomy: usize,
    term: usize,
    page: usize,
}

impl Output for TermPage {
    fn render<'p>(&'p self, at: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let taxonomy = &site.content.taxonomies[self.taxonomy];
        let term = &taxonomy.terms[self.term];
        let mut ctx = site.base_context(&taxonomy.lang, &at.url);
        ctx.insert_value("taxonomy", taxonomy_value(site, self.taxonomy));
        ctx.insert("term", &TermItem::of(term));
        let per_page = site.config.paginate_by;
        let paginator = site.paginator(&term.pages, per_page, &term.url, self.page);
        ctx.insert("paginator", &paginator);
        let translations = translations(site, &taxonomy.name, Some(&term.slug));
        ctx.insert("translations", &translations);
        site.insert_feeds(&mut ctx, &term.url);
        site.render_template("taxonomy_term.html", &ctx, &at.source)
            .map(Bytes::Made)
    }

    fn fingerprint(&self, _: &Planned, site: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        let taxonomies = &site.content.taxonomies;
        let tax = &taxonomies[self.taxonomy];
        let t = &tax.terms[self.term];
        let mut print = prints.page_base("term", &tax.lang, "taxonomy_term.html");
        print.add(&tax.name).add(&t.name).add(&t.url);
        print.add(self.page).add(t.pages.len());
        for other in taxonomies.iter().filter(|o| o.name == tax.name) {
            let same = other.terms.iter().find(|o| o.slug == t.slug);
            print.add(&other.lang).add(same.map(|o| (&o.name, &o.url)));
        }
        let per_page = site.config.paginate_by;
        prints.add_list(&mut print, page_items(&t.pages, per_page, self.page));
        Some(print.finish())
    }

    fn counted(&self) -> Counted {
        Counted::Page
    }
}

/// `taxonomy`: the taxonomy with all its terms, made once for all its pages.
fn taxonomy_value(site: &Prepared<'_>, t: usize) -> Value {
    site.taxonomy_values[t]
        .get_or_init(|| {
            let taxonomy = &site.content.taxonomies[t];
            Value::from_serializable(&TaxonomyContext {
                name: &taxonomy.name,
                url: &taxonomy.url,
                permalink: site.config.absolute(&taxonomy.url),
                terms: taxonomy.terms.iter().map(TermItem::of).collect(),
            })
        })
        .clone()
}

/// Every language version of the taxonomy `name`, or of its term `term_slug`.
fn translations<'a>(
    site: &Prepared<'a>,
    name: &str,
    term_slug: Option<&str>,
) -> Vec<Translation<'a>> {
    site.content
        .taxonomies
        .iter()
        .filter(|t| t.name == name)
        .filter_map(|t| match term_slug {
            None => Some((t, t.name.as_str(), t.url.as_str())),
            Some(slug) => t
                .terms
                .iter()
                .find(|term| term.slug == slug)
                .map(|term| (t, term.name.as_str(), term.url.as_str())),
        })
        .map(|(t, title, url)| Translation {
            lang: &t.lang,
            title,
            url,
            permalink: site.config.absolute(url),
        })
        .collect()
}
