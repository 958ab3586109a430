//! The section pages family: each section's list, one page per
//! `paginate_by` articles (`index.html` for the home, `section.html` or the
//! section's `template` for the others), and its archive (`archive.html`,
//! when the theme has it).

use chrono::Datelike;

use super::HIGHLIGHT_CSS;
use super::context::{self, Translation};
use super::memo::Prints;
use super::plan::{
    Bytes, Counted, Output, Outputs, PlanInput, Planned, Problems, page_count, page_items,
    section_template,
};
use super::prepared::Prepared;
use crate::link::permalink::pager_url;
use crate::link::{ContentTree, SectionId};

/// Plan every section's pages and archive.
pub(super) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    let has_archive = input.has("archive.html");
    for (id, section) in input.content.sections.iter().enumerate() {
        let source = source(section);
        let pages = page_count(section.pages.len(), section.paginate_by);
        for page in 1..=pages {
            let url = pager_url(&section.url, page);
            outputs.add(url, source.clone(), SectionPage { section: id, page });
        }
        if !section.dir.is_empty() && has_archive {
            let url = format!("{}archive/", section.url);
            outputs.add(url, source, Archive(id));
        }
    }
}

/// What claims a section's outputs: its `_index.md`, else its folder.
pub(super) fn source(section: &crate::link::Section) -> String {
    section.index.as_ref().map_or_else(
        || format!("{}/{}", crate::load::CONTENT_DIR, section.dir),
        |i| crate::parse::display_path(&i.source),
    )
}

/// Page `page` (1-based) of a section's list.
#[derive(Debug)]
struct SectionPage {
    section: SectionId,
    page: usize,
}

impl Output for SectionPage {
    fn render<'p>(&'p self, at: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let section = &site.content.sections[self.section];
        let mut ctx = site.base_context(&section.lang, &at.url);
        ctx.insert("page_folder", &section.dir);
        if section.index.as_ref().is_some_and(|i| i.body.has_code) {
            ctx.insert(
                "highlight_css",
                &format!("{}/{HIGHLIGHT_CSS}", site.config.base_path),
            );
        }
        ctx.insert("section", &section_value(site, self.section));
        let paginator =
            site.paginator(&section.pages, section.paginate_by, &section.url, self.page);
        ctx.insert("paginator", &paginator);
        ctx.insert("translations", &translations(site, &section.dir));
        site.insert_feeds(&mut ctx, &section.url);
        let template = section_template(section).name;
        site.render_template(&template, &ctx, &at.source)
            .map(Bytes::Made)
    }

    fn fingerprint(&self, _: &Planned, site: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        let s = &site.content.sections[self.section];
        let mut print = prints.page_base("section-page", &s.lang, &section_template(s).name);
        add_section(prints, &mut print, site.content, self.section);
        print.add(self.page).add(s.pages.len());
        prints.add_list(&mut print, page_items(&s.pages, s.paginate_by, self.page));
        Some(print.finish())
    }

    fn counted(&self) -> Counted {
        Counted::Page
    }
}

/// `/<section>/archive/`: every listed article of the section, newest first,
/// grouped by year and month.
#[derive(Debug)]
struct Archive(SectionId);

impl Output for Archive {
    fn render<'p>(&'p self, at: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let section = &site.content.sections[self.0];
        let mut ctx = site.base_context(&section.lang, &at.url);
        ctx.insert("section", &section_value(site, self.0));
        ctx.insert("archive", &archive_years(site, self.0));
        site.render_template("archive.html", &ctx, &at.source)
            .map(Bytes::Made)
    }

    fn fingerprint(&self, _: &Planned, site: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        let s = &site.content.sections[self.0];
        let mut print = prints.page_base("archive", &s.lang, "archive.html");
        print.add(prints.section_all[self.0]);
        Some(print.finish())
    }

    fn counted(&self) -> Counted {
        Counted::Page
    }
}

/// `section` of a section's pages.
fn section_value<'a>(site: &Prepared<'a>, id: SectionId) -> context::SectionContext<'a> {
    let section = &site.content.sections[id];
    let pages = site.section_pages(id);
    context::section_context(site.config, site.content, section, pages)
}

/// The archive's years, newest first, each with its months and their articles.
fn archive_years<'p>(site: &'p Prepared<'_>, id: SectionId) -> Vec<ArchiveYear<'p>> {
    let content = site.content;
    let mut by_date = content.sections[id].pages.clone();
    crate::link::sort_articles(&mut by_date, &content.articles, crate::parse::SortBy::Date);
    let mut years: Vec<ArchiveYear> = Vec::new();
    for article_id in by_date {
        let date = content.articles[article_id].parsed.date;
        let (year, month) = (date.year(), date.month());
        if years.last().is_none_or(|y| y.year != year) {
            years.push(ArchiveYear {
                year,
                months: Vec::new(),
            });
        }
        let months = &mut years.last_mut().expect("pushed above").months;
        if months.last().is_none_or(|m| m.month != month) {
            months.push(ArchiveMonth {
                month,
                date: format!("{year:04}-{month:02}-01"),
                pages: Vec::new(),
            });
        }
        let month = months.last_mut().expect("pushed above");
        month.pages.push(site.items.summary(article_id));
    }
    years
}

/// Every language version of the section in folder `dir`.
fn translations<'a>(site: &Prepared<'a>, dir: &str) -> Vec<Translation<'a>> {
    site.content
        .sections
        .iter()
        .filter(|s| s.dir == dir)
        .map(|s| Translation {
            lang: &s.lang,
            title: &s.title,
            url: &s.url,
            permalink: site.config.absolute(&s.url),
        })
        .collect()
}

/// What a section page shows of its section: its head, or, when a template
/// reads `section.pages`, every article too; and its language versions.
fn add_section(
    prints: &Prints,
    print: &mut super::memo::Print,
    content: &ContentTree,
    id: SectionId,
) {
    let section = &content.sections[id];
    print.add(if prints.uses_section_pages {
        prints.section_all[id]
    } else {
        prints.section_head[id]
    });
    for other in content.sections.iter().filter(|s| s.dir == section.dir) {
        print.add(&other.lang).add(&other.title).add(&other.url);
    }
}

/// A year of a section archive.
#[derive(serde::Serialize)]
struct ArchiveYear<'p> {
    year: i32,
    months: Vec<ArchiveMonth<'p>>,
}

/// A month of a section archive: `date` is its first day (format it with `date(format="%OB")`).
#[derive(serde::Serialize)]
struct ArchiveMonth<'p> {
    month: u32,
    date: String,
    /// Its articles' items, serialized once, into the page's context (as
    /// template values made first and then copied in, a big section's
    /// archive held every item twice).
    pages: Vec<super::context::ArticleSummary<'p>>,
}
