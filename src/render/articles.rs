//! The article pages family: one page per article, from its template
//! (`page.html`, the section's `page_template`, or its own `template`).

use tera::Context;

use super::HIGHLIGHT_CSS;
use super::context::{Link, PageContext, Translation};
use super::memo::Prints;
use super::plan::{
    Bytes, Counted, Output, Outputs, PlanInput, Planned, Problems, article_template,
};
use super::prepared::Prepared;
use crate::link::ArticleId;

/// Plan every article's page.
pub(super) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    for (id, article) in input.content.articles.iter().enumerate() {
        let source = article.parsed.source.clone();
        outputs.add(article.url.clone(), source, ArticlePage(id));
    }
}

/// The page of an article.
#[derive(Debug)]
struct ArticlePage(ArticleId);

impl Output for ArticlePage {
    fn render<'p>(&'p self, at: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let (template, ctx) = context(site, self.0);
        site.render_template(&template, &ctx, &at.source)
            .map(Bytes::Made)
    }

    fn fingerprint(&self, _: &Planned, site: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        let (content, id) = (site.content, self.0);
        let article = &content.articles[id];
        let template = article_template(content, id).name;
        let mut print = prints.page_base("article", &article.parsed.lang, &template);
        print.add(prints.content[id]);
        for neighbour in [article.lower, article.higher] {
            print.add(neighbour.map(|n| prints.summary[n]));
        }
        prints.add_list(&mut print, &article.related);
        prints.add_list(&mut print, &article.translations);
        print.add(&article.assets);
        Some(print.finish())
    }

    fn counted(&self) -> Counted {
        Counted::Page
    }
}

/// The template of article `id` and its context: `page`, `translations`,
/// `page_folder` and, when it has code, `highlight_css`.
fn context(site: &Prepared<'_>, id: ArticleId) -> (String, Context) {
    let content = site.content;
    let article = &content.articles[id];
    let link = |id: Option<ArticleId>| {
        id.map(|id| {
            let a = &content.articles[id];
            Link {
                title: a.parsed.meta.title.as_deref().unwrap_or_default(),
                url: &a.url,
            }
        })
    };
    let translations: Vec<Translation<'_>> = article
        .translations
        .iter()
        .map(|&t| {
            let a = &content.articles[t];
            Translation {
                lang: &a.parsed.lang,
                title: a.parsed.meta.title.as_deref().unwrap_or_default(),
                url: &a.url,
                permalink: site.config.absolute(&a.url),
            }
        })
        .collect();
    let page = PageContext {
        summary: site.items.summary(id),
        content: article.parsed.body.html.unpack(),
        word_count: (!site.lists_show_word_count).then_some(article.parsed.body.word_count),
        toc: article.parsed.body.toc(),
        translations,
        lower: link(article.lower),
        higher: link(article.higher),
        related: article
            .related
            .iter()
            .map(|&r| site.items.summary(r))
            .collect(),
        assets: article.assets.iter().map(|(_, url)| url.as_str()).collect(),
    };
    let mut ctx = site.base_context(&article.parsed.lang, &article.url);
    ctx.insert("page_folder", article.parsed.source.folder());
    if article.parsed.body.has_code {
        ctx.insert(
            "highlight_css",
            &format!("{}/{HIGHLIGHT_CSS}", site.config.base_path),
        );
    }
    ctx.insert("page", &page);
    ctx.insert("translations", &page.translations);
    (article_template(content, id).name, ctx)
}
