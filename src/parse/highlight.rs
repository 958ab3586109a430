//! Code highlighting with syntect and two-face's extra syntaxes (TOML,
//! TypeScript, Dockerfile…). Code gets CSS classes; the colours come from one
//! generated stylesheet. The syntax set is loaded once, on the first code block,
//! so a site without code never pays for it.

use std::sync::OnceLock;

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Prefix of every highlighting class, so theme CSS cannot clash with the site's.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The dark variant used under `prefers-color-scheme: dark`.
const DARK_THEME: &str = "base16-ocean.dark";

fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

/// Languages written on fences that mean "no highlighting", without a warning.
pub fn is_plain(lang: &str) -> bool {
    matches!(lang, "" | "text" | "plain" | "txt" | "plaintext")
}

/// `code` as classed HTML spans, or `None` when `lang` is unknown.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        html.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(html.finalize())
}

fn theme(name: &str) -> Option<Theme> {
    let extra = two_face::theme::LazyThemeSet::from(two_face::theme::extra());
    if let Some(theme) = extra.get(name) {
        return Some(theme.clone());
    }
    syntect::highlighting::ThemeSet::load_defaults()
        .themes
        .remove(name)
}

/// The stylesheet for `theme_name`, with a dark variant for dark-mode readers.
pub fn stylesheet(theme_name: &str) -> Result<String, String> {
    let light = theme(theme_name).ok_or_else(|| {
        format!("highlight_theme: unknown theme \"{theme_name}\", expected a syntect theme such as InspiredGitHub, base16-ocean.light or Solarized (light)")
    })?;
    let mut css = css_for_theme_with_class_style(&light, CLASS_STYLE).map_err(|e| e.to_string())?;
    if let Some(dark) = theme(DARK_THEME) {
        let dark_css =
            css_for_theme_with_class_style(&dark, CLASS_STYLE).map_err(|e| e.to_string())?;
        css.push_str("\n@media (prefers-color-scheme: dark) {\n");
        css.push_str(&dark_css);
        css.push_str("}\n");
    }
    Ok(css)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_languages_syntect_lacks() {
        for (lang, code) in [
            ("toml", "a = 1\n"),
            ("typescript", "let x: number = 1;\n"),
            ("dockerfile", "FROM debian\n"),
            ("rust", "fn main() {}\n"),
        ] {
            let html = highlight(code, lang).unwrap_or_else(|| panic!("{lang}"));
            assert!(html.contains("class=\"hl-"), "{lang}: {html}");
        }
    }

    #[test]
    fn escapes_code_and_refuses_unknown_languages() {
        let html = highlight("let s = \"</script>\";\n", "js").unwrap();
        assert!(!html.contains("</script>"));
        assert!(highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn stylesheet_for_known_themes_only() {
        let css = stylesheet("InspiredGitHub").unwrap();
        assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
        assert!(stylesheet("Nope").is_err());
    }
}
