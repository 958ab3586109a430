//! `@/path.md#anchor` links: resolved to the target's URL in the linking page's
//! language, or reported with the file and line of the link.

use super::ContentTree;
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::parse::display_path;
use crate::parse::markdown::{Anchors, Body, InternalLink, NO_ANCHORS, link_placeholder};

/// What a link points at: (URL, the anchors that exist there).
type Target<'a> = (&'a str, &'a Anchors);

/// Replace every internal link placeholder with its URL; report broken ones.
pub(super) fn resolve(content: &mut ContentTree) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut replacements: Vec<(bool, usize, Vec<String>)> = Vec::new();
    for (id, article) in content.articles.iter().enumerate() {
        let body = &article.parsed.body;
        if body.internal_links.is_empty() {
            continue;
        }
        let path = display_path(&article.parsed.source);
        let urls = body
            .internal_links
            .iter()
            .map(|link| url_for(content, link, &article.parsed.lang, &path, &mut problems))
            .collect();
        replacements.push((true, id, urls));
    }
    for (id, section) in content.sections.iter().enumerate() {
        let Some(index) = &section.index else {
            continue;
        };
        if index.body.internal_links.is_empty() {
            continue;
        }
        let path = display_path(&index.source);
        let urls = index
            .body
            .internal_links
            .iter()
            .map(|link| url_for(content, link, &section.lang, &path, &mut problems))
            .collect();
        replacements.push((false, id, urls));
    }
    for (is_article, id, urls) in replacements {
        if is_article {
            let article = std::sync::Arc::make_mut(&mut content.articles[id].parsed);
            fill(&mut article.body, &urls);
            article.summary_html = fill_text(&article.summary_html, &urls);
        } else if let Some(index) = &mut content.sections[id].index {
            fill(&mut std::sync::Arc::make_mut(index).body, &urls);
        }
    }
    problems
}

fn fill(body: &mut Body, urls: &[String]) {
    body.html = fill_text(&body.html.unpack(), urls).as_str().into();
    body.summary_html = fill_text(&body.summary_html, urls);
}

/// Placeholders are replaced from the highest index down, so that link 1 never
/// matches inside link 10.
fn fill_text(html: &str, urls: &[String]) -> String {
    let mut out = html.to_string();
    for (i, url) in urls.iter().enumerate().rev() {
        out = out.replace(
            &format!("\"{}", link_placeholder(i)),
            &format!("\"{}", crate::html::escape_attr(url)),
        );
    }
    out
}

fn url_for(
    content: &ContentTree,
    link: &InternalLink,
    lang: &str,
    path: &str,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let target = find(content, &link.target, lang);
    let written = match &link.anchor {
        Some(anchor) => format!("@/{}#{anchor}", link.target),
        None => format!("@/{}", link.target),
    };
    let here = SourceLocation::new(path, link.line, link.col);
    let Some((url, anchors)) = target else {
        problems.push(Diagnostic::error(
            here,
            format!(
                "broken internal link `{written}`: no published page content/{} exists",
                link.target
            ),
        ));
        return String::from("#");
    };
    match &link.anchor {
        Some(anchor) if !anchors.contains(anchor) => {
            problems.push(Diagnostic::error(
                here,
                format!(
                    "broken internal link `{written}`: the page has no heading with id \"{anchor}\""
                ),
            ));
            url.to_string()
        }
        Some(anchor) => format!("{url}#{anchor}"),
        None => url.to_string(),
    }
}

/// The page a source path names, in `lang` when it has a version in it.
pub(super) fn find<'a>(content: &'a ContentTree, target: &str, lang: &str) -> Option<Target<'a>> {
    let target = target.trim_start_matches('/');
    if let Some(id) = content.article_at(target) {
        let chosen = &content.articles[content.in_language(id, lang)];
        return Some((&chosen.url, &chosen.parsed.body.anchors));
    }
    let name = target.rsplit('/').next()?;
    if !name.starts_with("_index.") {
        return None;
    }
    let dir = target.rsplit_once('/').map_or("", |(dir, _)| dir);
    let id = match content
        .section_by_dir
        .get(&(dir.to_string(), lang.to_string()))
    {
        Some(&id) => id,
        // A language with nothing in the folder has no section there: the link
        // goes to the default language's (sections come in site.yaml's order),
        // as a link to an untranslated article goes to the original.
        None => content.sections.iter().position(|s| s.dir == dir)?,
    };
    let section = &content.sections[id];
    let anchors = (section.index.as_ref()).map_or(&NO_ANCHORS, |i| &i.body.anchors);
    Some((&section.url, anchors))
}
