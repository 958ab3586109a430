//! Menus from site.yaml (`menus:`, `languages.<code>.menus`), per language,
//! sorted by weight, with `@/` targets resolved to the page in that language
//! and checked: a broken one is an error at its line of site.yaml.

use std::collections::BTreeMap;

use super::ContentTree;
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, SourceLocation};

/// A menu entry with its URL resolved.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MenuLink {
    /// What the link says.
    pub name: String,
    /// Site-relative URL, or the external URL as written.
    pub url: String,
    /// Its weight.
    pub weight: i64,
}

/// Language → menu name → entries.
pub type Menus = BTreeMap<String, BTreeMap<String, Vec<MenuLink>>>;

/// Every language's menus; every broken `@/` target is reported.
pub(super) fn resolve(config: &Config, content: &ContentTree) -> (Menus, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut menus = Menus::new();
    let yaml = std::fs::read_to_string(config.root.join(CONFIG_FILE)).unwrap_or_default();
    for language in &config.languages {
        let mut resolved = BTreeMap::new();
        for (name, items) in &language.menus {
            let mut links: Vec<MenuLink> = items
                .iter()
                .map(|item| MenuLink {
                    name: item.name.clone(),
                    url: url_of(config, content, &item.url, &language.code).unwrap_or_else(|| {
                        problems.push(broken(&yaml, name, &item.url));
                        String::from("#")
                    }),
                    weight: item.weight,
                })
                .collect();
            links.sort_by_key(|l| l.weight);
            resolved.insert(name.clone(), links);
        }
        menus.insert(language.code.clone(), resolved);
    }
    problems.dedup();
    (menus, problems)
}

/// The URL a menu entry names in `lang`; `None` for a broken `@/` target.
fn url_of(config: &Config, content: &ContentTree, url: &str, lang: &str) -> Option<String> {
    let url = url.trim();
    if let Some(target) = url.strip_prefix("@/") {
        let (path, anchor) = target
            .split_once('#')
            .map_or((target, None), |(p, a)| (p, Some(a)));
        let (found, _) = super::internal_links::find(content, path, lang)?;
        return Some(match anchor {
            Some(anchor) => format!("{found}#{anchor}"),
            None => found.to_string(),
        });
    }
    if url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with('#')
    {
        return Some(url.to_string());
    }
    Some(format!(
        "{}/{}",
        config.base_path,
        url.trim_start_matches('/')
    ))
}

fn broken(yaml: &str, menu: &str, url: &str) -> Diagnostic {
    let at = yaml
        .lines()
        .enumerate()
        .find_map(|(i, line)| line.find(url).map(|col| (i + 1, col + 1)));
    let location = match at {
        Some((line, col)) => SourceLocation::new(CONFIG_FILE, line, col),
        None => SourceLocation::file(CONFIG_FILE),
    };
    Diagnostic::error(
        location,
        format!(
            "menus: broken link `{url}` in menu `{menu}`: no published page content/{} exists",
            url.trim_start_matches("@/")
        ),
    )
}
