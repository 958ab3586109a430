//! The templates a site's content needs. A template named in front matter
//! that the theme lacks is an error at that line; a default template the
//! theme lacks (a theme of its own without `section.html`) is one error naming
//! it and what needs it, not one per article.

use std::collections::BTreeMap;

use super::Templates;
use super::plan::{TemplateChoice, article_template, section_template};
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::link::ContentTree;
use crate::parse::display_path;

/// At most this many files are named after "needed by".
const NAMED: usize = 3;

/// Every missing template, as diagnostics.
pub(super) fn check(content: &ContentTree, templates: &Templates) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // Default template → the outputs that need it.
    let mut needed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut require = |choice: TemplateChoice, what: String, problems: &mut Vec<Diagnostic>| {
        if templates.tera.contains_template(&choice.name) {
            return;
        }
        match choice.written_at {
            Some(at) => problems.push(not_found(templates, &choice.name, at)),
            None => needed.entry(choice.name).or_default().push(what),
        }
    };
    for id in 0..content.articles.len() {
        let what = display_path(&content.articles[id].parsed.source);
        require(article_template(content, id), what, &mut problems);
    }
    for section in &content.sections {
        let what = match &section.index {
            Some(index) => display_path(&index.source),
            None if section.dir.is_empty() => format!("the home page ({})", section.lang),
            None => format!("the section content/{}", section.dir),
        };
        require(section_template(section), what, &mut problems);
    }
    // A taxonomy nobody uses needs no templates (plan leaves out its list page).
    for taxonomy in content.taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        let what = format!("the taxonomy \"{}\" ({})", taxonomy.name, taxonomy.lang);
        for name in ["taxonomy_list.html", "taxonomy_term.html"] {
            require(TemplateChoice::default(name), what.clone(), &mut problems);
        }
    }
    for (name, users) in needed {
        problems.push(missing(&name, &users));
    }
    problems
}

/// `template: x.html` names a template the theme lacks.
fn not_found(templates: &Templates, name: &str, at: SourceLocation) -> Diagnostic {
    let mut there: Vec<&str> = templates
        .tera
        .get_template_names()
        .filter(|n| !n.starts_with("shortcodes/") && !n.starts_with("partials/"))
        .collect();
    there.sort_unstable();
    Diagnostic::error(
        at,
        format!(
            "template \"{name}\" not found in templates/ (there are: {})",
            there.join(", ")
        ),
    )
}

/// A default template the theme lacks, with what needs it.
fn missing(name: &str, users: &[String]) -> Diagnostic {
    let mut named = users[..users.len().min(NAMED)].join(", ");
    if users.len() > NAMED {
        named.push_str(&format!(" and {} more", users.len() - NAMED));
    }
    Diagnostic::error(
        SourceLocation::file(format!("templates/{name}")),
        format!("missing: the theme has no {name}, needed by {named}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_few_users_and_counts_the_rest() {
        let users: Vec<String> = (1..=5).map(|i| format!("content/{i}.md")).collect();
        assert_eq!(
            missing("page.html", &users).to_string(),
            "templates/page.html: missing: the theme has no page.html, needed by content/1.md, content/2.md, content/3.md and 2 more"
        );
        assert_eq!(
            missing("section.html", &users[..1]).to_string(),
            "templates/section.html: missing: the theme has no section.html, needed by content/1.md"
        );
    }
}
