//! `minify: true`: stylesheets and scripts through the `minifier` crate
//! (rustdoc's), pages by collapsing whitespace and dropping comments. The
//! same bytes in give the same bytes out.
//!
//! Pages are not rewritten beyond that: each run of whitespace in text
//! becomes one space or one newline, which a browser shows the same way, and
//! tags, attribute values and the contents of `pre`, `textarea`, `script`
//! and `style` stay as they are. (minify-html does more, but its JavaScript
//! and CSS parsers took CI past its time limit.)

/// HTML's whitespace (not the no-break space, which shows).
const SPACE: [char; 5] = [' ', '\t', '\n', '\r', '\x0c'];

/// Elements whose content is kept byte for byte.
const RAW: [&str; 4] = ["pre", "textarea", "script", "style"];

/// A rendered page, minified.
pub(super) fn html(page: &[u8]) -> Vec<u8> {
    let Ok(page) = std::str::from_utf8(page) else {
        return page.to_vec();
    };
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(open) = rest.find('<') {
        collapse(&mut out, &rest[..open]);
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            if out.ends_with(SPACE) {
                rest = rest.trim_start_matches(SPACE);
            }
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        out.push_str(tag);
        rest = &rest[end..];
        if let Some(name) = RAW.iter().find(|name| opens(tag, name)) {
            let close = find_close(rest, name);
            out.push_str(&rest[..close]);
            rest = &rest[close..];
        }
    }
    collapse(&mut out, rest);
    out.into_bytes()
}

/// Text with each run of whitespace made one newline (when it held one) or
/// one space.
fn collapse(out: &mut String, text: &str) {
    let mut run: Option<char> = None;
    for c in text.chars() {
        if SPACE.contains(&c) {
            run = Some(if c == '\n' || run == Some('\n') {
                '\n'
            } else {
                ' '
            });
            continue;
        }
        if let Some(space) = run.take() {
            out.push(space);
        }
        out.push(c);
    }
    if let Some(space) = run {
        out.push(space);
    }
}

/// Length of the tag at the start of `text` (through its `>`, quotes honoured).
fn tag_end(text: &str) -> usize {
    let mut quote = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    text.len()
}

/// Whether `tag` opens element `name` (`<pre>`, `<script type=…>`).
fn opens(tag: &str, name: &str) -> bool {
    let (tag, name) = (tag.as_bytes(), name.as_bytes());
    tag.len() > name.len() + 1
        && tag[1..=name.len()].eq_ignore_ascii_case(name)
        && (tag[name.len() + 1] == b'>' || tag[name.len() + 1].is_ascii_whitespace())
}

/// Where `</name` starts in `text` (case-insensitive), or its end.
fn find_close(text: &str, name: &str) -> usize {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find("</").map(|i| from + i) {
        let tail = &bytes[at + 2..];
        if tail.len() >= name.len() && tail[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return at;
        }
        from = at + 2;
    }
    text.len()
}

/// A static file minified when it is CSS or JavaScript (by its name); `None`
/// for other files. One the minifier cannot read is an `Err` with its
/// message, for a warning: the file is then published as it is.
pub(super) fn asset(name: &str, bytes: &[u8]) -> Option<Result<Vec<u8>, String>> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string());
    if name.ends_with(".css") {
        return Some(text.and_then(css).map(String::into_bytes));
    }
    if name.ends_with(".js") {
        let script = |text: &str| {
            minifier::js::minify(text)
                .map(|m| m.to_string().into_bytes())
                .map_err(str::to_string)
        };
        return Some(text.and_then(script));
    }
    None
}

/// Whether `asset` minifies a file of this name.
pub(super) fn is_asset(name: &str) -> bool {
    name.ends_with(".css") || name.ends_with(".js")
}

/// A stylesheet, minified.
pub(super) fn css(text: &str) -> Result<String, String> {
    minifier::css::minify(text)
        .map(|m| m.to_string())
        .map_err(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> String {
        String::from_utf8(html(text.as_bytes())).unwrap()
    }

    #[test]
    fn whitespace_runs_become_one_and_comments_go() {
        let out = page(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <title>T</title>\n</head>\n<body>\n  <!-- note -->\n  <p>One  \t two</p> <b>x</b>\n</body>\n</html>\n",
        );
        assert_eq!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>T</title>\n</head>\n<body>\n<p>One two</p> <b>x</b>\n</body>\n</html>\n"
        );
    }

    #[test]
    fn attributes_and_raw_elements_are_kept() {
        let kept = "<pre class=\"a  b\">  x\n    y</pre><script>if (a  <  b) {}\n  </script><textarea>  t  </textarea>";
        assert_eq!(page(kept), kept);
        assert_eq!(
            page("<a title='x > y  z'>  k</a>"),
            "<a title='x > y  z'> k</a>"
        );
        assert_eq!(page("<PRE>  a  </pre>"), "<PRE>  a  </pre>");
        assert_eq!(page("<pre> a </b>  </PRE>  x"), "<pre> a </b>  </PRE> x");
        assert_eq!(page("<presence>  a</presence>"), "<presence> a</presence>");
        assert_eq!(
            page("<h2 id=\"документы\">  Д</h2>"),
            "<h2 id=\"документы\"> Д</h2>"
        );
    }

    #[test]
    fn stylesheets_and_scripts_are_minified() {
        let css = asset("a.css", b"body {\n  color: red;\n}\n")
            .unwrap()
            .unwrap();
        assert_eq!(String::from_utf8(css).unwrap(), "body{color:red;}");
        let js = asset(
            "a.js",
            b"function add(first, second) {\n  return first + second;\n}\nadd(1, 2);\n",
        )
        .unwrap()
        .unwrap();
        let js = String::from_utf8(js).unwrap();
        assert!(!js.contains('\n') && js.len() < 60, "{js}");
        assert!(asset("a.png", b"x").is_none());
    }

    #[test]
    fn a_stylesheet_that_does_not_parse_is_an_error() {
        let broken = asset("a.css", b"a { color: red; /* never closed").unwrap();
        assert!(broken.is_err(), "{broken:?}");
    }
}
