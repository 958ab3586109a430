//! Taxonomies: terms → articles per language, and related articles by shared tags.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{Article, ArticleId, ContentTree, Taxonomy, Term, permalink, sort_articles};
use crate::config::Config;
use crate::parse::SortBy;
use crate::slug::{SlugMode, slugify};

/// The key that makes `Visa`, `visa` and ` visa ` one term.
pub(super) fn term_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
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
                            url: format!("{base}{}/", permalink::encode_segment(&slug)),
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
            let by_key = terms
                .iter()
                .enumerate()
                .map(|(i, t)| (term_key(&t.name), i))
                .collect();
            all.push(Taxonomy {
                name: name.clone(),
                lang: language.code.clone(),
                url: base,
                terms,
                by_key,
            });
        }
    }
    all
}

/// Give every article its terms, once, so that pages and fingerprints need
/// no term lookups by name.
pub(super) fn attach_terms(articles: &mut [Article], taxonomies: &[Taxonomy]) {
    for article in articles.iter_mut() {
        article.terms = taxonomies
            .iter()
            .enumerate()
            .filter(|(_, t)| t.lang == article.parsed.lang)
            .map(|(id, t)| {
                let mut terms: Vec<usize> = Vec::new();
                for written in written_terms(article, &t.name) {
                    if let Some(&i) = t.by_key.get(&term_key(written)) {
                        if !terms.contains(&i) {
                            terms.push(i);
                        }
                    }
                }
                (id, terms)
            })
            .collect();
    }
}

/// The newest articles of each tag that `relate` looks at. Counting every
/// article of every tag grows with the square of the archive (100,000
/// articles on 53 tags: 5 × 10⁸ counts; 3 × 10⁸ still with a window of
/// 1,000). A news portal relates an article to recent news, and a site with
/// fewer articles per tag is looked at whole.
const RELATED_WINDOW: usize = 300;

/// Up to five related articles for each article: most shared `tags` first,
/// then newest, among the newest `RELATED_WINDOW` articles of each of its tags.
pub(super) fn relate(content: &mut ContentTree) {
    let taxonomies = &content.taxonomies;
    if !taxonomies.iter().any(|t| t.name == "tags") {
        return;
    }
    let articles = &content.articles;
    // Rank of each article in (newest first, then path) order, so that ranking
    // candidates compares integers, not dates and paths.
    let mut by_date: Vec<ArticleId> = (0..articles.len()).collect();
    sort_articles(&mut by_date, articles, SortBy::Date);
    let mut order = vec![0u32; articles.len()];
    for (rank, &id) in by_date.iter().enumerate() {
        order[id] = rank as u32;
    }
    let related: Vec<Vec<ArticleId>> = (0..articles.len())
        .into_par_iter()
        .map_init(
            || (vec![0u32; articles.len()], Vec::new()),
            |(shared, touched), id| {
                // The article's tags, as `attach_terms` found them.
                let tags = articles[id]
                    .terms
                    .iter()
                    .filter(|(t, _)| taxonomies[*t].name == "tags")
                    .flat_map(|(t, terms)| terms.iter().map(|&i| &taxonomies[*t].terms[i]));
                for term in tags {
                    for &other in term.pages.iter().take(RELATED_WINDOW) {
                        if other != id {
                            if shared[other] == 0 {
                                touched.push(other);
                            }
                            shared[other] += 1;
                        }
                    }
                }
                // Most shared tags first, then newest: one integer key per candidate,
                // the best five kept in one pass.
                let key = |other: ArticleId| {
                    (u64::from(u32::MAX - shared[other]) << 32) | u64::from(order[other])
                };
                let mut best: Vec<(u64, ArticleId)> = Vec::with_capacity(6);
                for &other in touched.iter() {
                    let k = key(other);
                    if best.len() < 5 || k < best[best.len() - 1].0 {
                        let at = best.partition_point(|(b, _)| *b < k);
                        best.insert(at, (k, other));
                        best.truncate(5);
                    }
                }
                for other in touched.drain(..) {
                    shared[other] = 0;
                }
                best.into_iter().map(|(_, id)| id).collect()
            },
        )
        .collect();
    for (article, related) in content.articles.iter_mut().zip(related) {
        article.related = related;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_spacing_do_not_split_terms() {
        assert_eq!(term_key("Border  Crossing"), term_key(" border crossing"));
        assert_ne!(term_key("visa"), term_key("e-visa"));
    }
}
