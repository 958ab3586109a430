//! HTML escaping, a leaf that every stage may use (parse writes links and
//! summaries, link rewrites `@/` links, render writes redirect pages).

/// Escape text for an HTML attribute value or text content (`&`, `<`, `>`, `"`, `'`).
pub fn escape_attr(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_both_quotes() {
        assert_eq!(
            escape_attr(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;"
        );
    }
}
