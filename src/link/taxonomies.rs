//! Taxonomies: terms → articles per language, and related articles by shared tags.

use std::collections::BTreeMap;

use super::{Article, ArticleId, ContentTree, Taxonomy, Term, permalink, sort_articles};
use crate::config::Config;
use crate::parse::SortBy;
use crate::slug::{SlugMode, slugify};

/// The key that makes `Visa`, `visa` and ` visa ` one term.
fn term_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether two written forms are the same term.
pub(super) fn same_term(a: &str, b: &str) -> bool {
    term_key(a) == term_key(b)
}

/// The terms `article` carries in `taxonomy` (`authors` reads `author`/`authors`).
pub(super) fn written_terms<'a>(article: &'a Article, taxonomy: &str) -> Vec<&'a str> {
    let meta = &article.parsed.meta;
    let mut terms: Vec<&str> = meta
        .taxonomies
        .get(taxonomy)
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if taxonomy == "authors" {
        terms.extend(meta.author.iter().chain(&meta.authors).map(String::as_str));
    }
    terms
}

/// Build every taxonomy of every language from the listed articles.
pub(super) fn build(articles: &[Article], config: &Config) -> Vec<Taxonomy> {
    let mut all = Vec::new();
    for language in &config.languages {
        for name in &config.taxonomies {
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            let base = permalink::taxonomy_url(config, &language.code, name);
            for (id, article) in articles.iter().enumerate() {
                if !article.listed() || article.parsed.lang != language.code {
                    continue;
                }
                for written in written_terms(article, name) {
                    let key = term_key(written);
                    let term = terms.entry(key.clone()).or_insert_with(|| {
                        let slug = match slugify(written, config.slugify) {
                            s if s.is_empty() => slugify(written, SlugMode::Unicode),
                            s => s,
                        };
                        Term {
                            url: format!("{base}{slug}/"),
                            name: written.split_whitespace().collect::<Vec<_>>().join(" "),
                            slug,
                            pages: Vec::new(),
                        }
                    });
                    if term.pages.last() != Some(&id) {
                        term.pages.push(id);
                    }
                }
            }
            let mut terms: Vec<Term> = terms.into_values().collect();
            for term in &mut terms {
                sort_articles(&mut term.pages, articles, SortBy::Date);
            }
            terms.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.name.cmp(&b.name)));
            all.push(Taxonomy {
                name: name.clone(),
                lang: language.code.clone(),
                url: base,
                terms,
            });
        }
    }
    all
}

/// Up to five related articles for each article: most shared `tags` first, then newest.
pub(super) fn relate(content: &mut ContentTree) {
    let Some(articles_by_tag) = tags_index(content) else {
        return;
    };
    // One counter per article, reset through the list of touched ids: no map per article.
    let mut shared = vec![0u32; content.articles.len()];
    let mut touched: Vec<ArticleId> = Vec::new();
    let mut related: Vec<Vec<ArticleId>> = Vec::with_capacity(content.articles.len());
    for (id, article) in content.articles.iter().enumerate() {
        for written in written_terms(article, "tags") {
            let key = (article.parsed.lang.clone(), term_key(written));
            for &other in articles_by_tag.get(&key).into_iter().flatten() {
                if other != id {
                    if shared[other] == 0 {
                        touched.push(other);
                    }
                    shared[other] += 1;
                }
            }
        }
        let articles = &content.articles;
        let rank = |a: &ArticleId, b: &ArticleId| {
            shared[*b]
                .cmp(&shared[*a])
                .then_with(|| articles[*b].parsed.date.cmp(&articles[*a].parsed.date))
                .then_with(|| {
                    articles[*a]
                        .parsed
                        .source
                        .rel_path
                        .cmp(&articles[*b].parsed.source.rel_path)
                })
        };
        let mut best = touched.clone();
        if best.len() > 5 {
            best.select_nth_unstable_by(4, rank);
            best.truncate(5);
        }
        best.sort_by(rank);
        related.push(best);
        for other in touched.drain(..) {
            shared[other] = 0;
        }
    }
    for (article, related) in content.articles.iter_mut().zip(related) {
        article.related = related;
    }
}

/// (language, term key) → listed articles with that tag.
fn tags_index(content: &ContentTree) -> Option<BTreeMap<(String, String), Vec<ArticleId>>> {
    let mut index: BTreeMap<(String, String), Vec<ArticleId>> = BTreeMap::new();
    for taxonomy in content.taxonomies.iter().filter(|t| t.name == "tags") {
        for term in &taxonomy.terms {
            index.insert(
                (taxonomy.lang.clone(), term_key(&term.name)),
                term.pages.clone(),
            );
        }
    }
    (!index.is_empty()).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_spacing_do_not_split_terms() {
        assert!(same_term("Border  Crossing", " border crossing"));
        assert!(!same_term("visa", "e-visa"));
    }
}
