//! The preview's translation coverage page: made from the last build's
//! report when it is asked for, so that a rebuild costs nothing for it.

use crate::link::coverage::Coverage;

/// Where the preview shows the translation coverage report (`/_gazette/translations/`);
/// never written to the output folder.
pub(super) const PAGE: &str = "_gazette/translations/index.html";

/// The coverage report as a page of its own, with a table per language.
pub(super) fn page(coverage: &Coverage) -> String {
    use crate::html::escape_attr as e;
    use std::fmt::Write;
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Translations — gazette preview</title>\n\
         <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}\
         th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}</style></head>\n<body>\n",
    );
    let _ = writeln!(
        html,
        "<h1>Translations from {}</h1>",
        e(&coverage.default_language)
    );
    html.push_str("<table><thead><tr><th scope=\"col\">Section</th><th scope=\"col\">Language</th><th scope=\"col\">Translated</th><th scope=\"col\">Missing</th><th scope=\"col\">Stale</th></tr></thead><tbody>\n");
    for section in &coverage.sections {
        for (lang, c) in &section.languages {
            let files: Vec<String> = c
                .missing_files
                .iter()
                .map(|f| format!("missing: {}", e(f)))
                .chain(
                    c.stale_files
                        .iter()
                        .map(|s| format!("stale: {}", e(&s.translation))),
                )
                .collect();
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>{}",
                e(if section.section.is_empty() {
                    "(home)"
                } else {
                    &section.section
                }),
                e(lang),
                c.counts.translated,
                c.counts.missing,
                c.counts.stale,
                if files.is_empty() {
                    String::new()
                } else {
                    format!(
                        "<tr><td></td><td colspan=\"4\">{}</td></tr>",
                        files.join("<br>")
                    )
                }
            );
        }
    }
    html.push_str("</tbody></table>\n</body>\n</html>\n");
    html
}
