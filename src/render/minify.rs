//! `minify: true`: pages through minify-html, stylesheets through
//! lightningcss, scripts through minify-html's script minifier (oxc). The
//! same bytes in give the same bytes out.

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};

/// A rendered page, minified. Closing tags and the `<html>`/`<head>` tags are
/// kept: the output stays valid HTML5 and readable by any parser.
pub(super) fn html(page: &[u8]) -> Vec<u8> {
    minify_html::minify(page, &html_options())
}

fn html_options() -> minify_html::Cfg {
    minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::default()
    }
}

/// A static file minified when it is CSS or JavaScript (by its name); `None`
/// for other files. A stylesheet lightningcss cannot read is an `Err` with
/// its message, for a warning: the file is then published as it is.
pub(super) fn asset(name: &str, bytes: &[u8]) -> Option<Result<Vec<u8>, String>> {
    let text = std::str::from_utf8(bytes);
    if name.ends_with(".css") {
        let text = text.map_err(|_| "not UTF-8".to_string());
        return Some(text.and_then(css).map(String::into_bytes));
    }
    if name.ends_with(".js") {
        return Some(text.map_err(|_| "not UTF-8".into()).and_then(script));
    }
    None
}

/// A stylesheet, minified.
pub(super) fn css(text: &str) -> Result<String, String> {
    let mut sheet = StyleSheet::parse(text, ParserOptions::default()).map_err(|e| e.to_string())?;
    sheet
        .minify(MinifyOptions::default())
        .map_err(|e| e.to_string())?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .map_err(|e| e.to_string())?;
    Ok(printed.code)
}

/// A classic script, minified. minify-html minifies the body of a
/// `<script>` element; a file is handed to it as one. A script that writes
/// `</script` itself cannot be wrapped that way and is kept as it is.
fn script(text: &str) -> Result<Vec<u8>, String> {
    if text.contains("</script") {
        return Ok(text.as_bytes().to_vec());
    }
    let wrapped = format!("<script>{text}</script>");
    let out = minify_html::minify(wrapped.as_bytes(), &html_options());
    out.strip_prefix(b"<script>")
        .and_then(|rest| rest.strip_suffix(b"</script>"))
        .map(<[u8]>::to_vec)
        .ok_or_else(|| "the script could not be minified".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_lose_whitespace_between_tags_and_keep_their_closing_tags() {
        let page = b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <title>T</title>\n</head>\n<body>\n  <p>One  two</p>\n  <ul>\n    <li>a</li>\n  </ul>\n</body>\n</html>\n";
        let out = String::from_utf8(html(page)).unwrap();
        assert!(
            out.contains("<html lang=en>") || out.contains("<html lang=\"en\">"),
            "{out}"
        );
        assert!(out.contains("<li>a</li></ul>"), "{out}");
        assert!(!out.contains("\n  "), "{out}");
        assert!(out.len() < page.len());
        assert_eq!(html(page), html(page));
    }

    #[test]
    fn stylesheets_and_scripts_are_minified() {
        let css = asset("a.css", b"body {\n  color: #ff0000;\n}\n")
            .unwrap()
            .unwrap();
        assert_eq!(String::from_utf8(css).unwrap(), "body{color:red}");
        let js = asset(
            "a.js",
            b"function add(first, second) {\n  return first + second;\n}\nadd(1, 2);\n",
        )
        .unwrap()
        .unwrap();
        let js = String::from_utf8(js).unwrap();
        assert_eq!(
            js,
            "function add(first,second){return first+second}add(1,2);"
        );
        assert!(asset("a.png", b"x").is_none());
    }

    #[test]
    fn a_stylesheet_that_does_not_parse_is_an_error() {
        let broken = asset("a.css", b"a[href { color: red }").unwrap();
        assert!(broken.is_err(), "{broken:?}");
    }
}
