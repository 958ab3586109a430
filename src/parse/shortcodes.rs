//! Shortcodes: `{{ name(arg=value) }}` alone on a line, and
//! `{% name(arg=value) %}Markdown body{% end %}` blocks. They are found before
//! Markdown runs (never inside fenced or indented code), replaced by a
//! placeholder token, and their HTML (from `templates/shortcodes/<name>.html`)
//! is put in its place after Markdown.

use std::collections::BTreeMap;

/// One call found in an article.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortcodeCall {
    /// Template name (`figure` → `shortcodes/figure.html`).
    pub name: String,
    /// Arguments.
    pub args: Args,
    /// Markdown between `{% name() %}` and `{% end %}`.
    pub body: Option<String>,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// Arguments of a call, by name.
type Args = BTreeMap<String, serde_json::Value>;

/// A `figure` with neither `alt` nor `caption` would have `alt=""`: that must
/// be said with `decorative=true`, not left to a forgotten caption.
pub fn figure_without_alt(call: &ShortcodeCall) -> Option<(usize, usize, String)> {
    let has = |key: &str| call.args.contains_key(key);
    let decorative = call.args.get("decorative") == Some(&serde_json::Value::Bool(true));
    (call.name == "figure" && !has("alt") && !has("caption") && !decorative).then(|| {
        (
            call.line,
            call.col,
            "figure without alt text: give alt=\"what it shows\" or a caption, or decorative=true for an image that adds nothing".to_string(),
        )
    })
}

/// The token a call leaves in the Markdown until its HTML replaces it.
pub fn placeholder(index: usize) -> String {
    format!("GZSHORTCODE{index}GZ")
}

/// A problem at (line, column) of the file.
pub type Problem = (usize, usize, String);

/// Find the calls in `text` (whose first line is line `first_line` of the file).
/// Returns the text with each call replaced by its placeholder (line count kept,
/// so later positions stay right), and the calls.
pub fn extract(
    text: &str,
    first_line: usize,
) -> Result<(String, Vec<ShortcodeCall>), Vec<Problem>> {
    if !text.contains("{{") && !text.contains("{%") {
        return Ok((text.to_string(), Vec::new()));
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut found = Extracted {
        out: String::with_capacity(text.len()),
        calls: Vec::new(),
        problems: Vec::new(),
    };
    let mut fence: Option<(char, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim();
        let at = (first_line + i, indent + 1);
        let used = if let Some((c, n)) = fence {
            if trimmed.len() >= n && trimmed.chars().all(|x| x == c) {
                fence = None;
            }
            found.verbatim(line)
        } else if let Some(opened) = fence_start(trimmed).filter(|_| indent < 4) {
            fence = Some(opened);
            found.verbatim(line)
        } else if indent >= 4 || line.starts_with('\t') {
            found.verbatim(line)
        } else if let Some(inner) = trimmed
            .strip_prefix("{{")
            .and_then(|t| t.strip_suffix("}}"))
        {
            found.inline_call(line, inner, at)
        } else if let Some(rest) = trimmed.strip_prefix("{%") {
            match found.block_call(line, rest, &lines[i + 1..], at) {
                Some(used) => used,
                None => break,
            }
        } else {
            found.verbatim(line)
        };
        i += used;
    }
    if found.problems.is_empty() {
        Ok((found.out, found.calls))
    } else {
        Err(found.problems)
    }
}

/// What `extract` has found so far.
struct Extracted {
    /// The text, calls replaced by placeholders.
    out: String,
    calls: Vec<ShortcodeCall>,
    problems: Vec<Problem>,
}

impl Extracted {
    /// A line kept as it is; one line used.
    fn verbatim(&mut self, line: &str) -> usize {
        self.out.push_str(line);
        1
    }

    /// A call `{{ name(args) }}` on a line of its own; one line used.
    fn inline_call(&mut self, line: &str, inner: &str, (line_no, col): (usize, usize)) -> usize {
        match parse_call(inner.trim()) {
            Ok(Some((name, args))) => {
                self.out.push_str(&placeholder(self.calls.len()));
                self.out.push('\n');
                self.calls.push(ShortcodeCall {
                    name,
                    args,
                    body: None,
                    line: line_no,
                    col,
                });
            }
            Ok(None) => self.out.push_str(line),
            Err(message) => self.problems.push((line_no, col, message)),
        }
        1
    }

    /// A block `{% name(args) %} … {% end %}` starting on `line` (`rest`
    /// after its `{%`), `following` being the lines after it: the lines used,
    /// or `None` when the block is never closed (nothing after it can be read).
    fn block_call(
        &mut self,
        line: &str,
        rest: &str,
        following: &[&str],
        (line_no, col): (usize, usize),
    ) -> Option<usize> {
        let Some(close) = rest.find("%}") else {
            return Some(self.verbatim(line));
        };
        let (head, after) = (rest[..close].trim(), &rest[close + 2..]);
        let (name, args) = match parse_call(head) {
            Ok(Some(call)) => call,
            Ok(None) => return Some(self.verbatim(line)),
            Err(message) => {
                self.problems.push((line_no, col, message));
                return Some(1);
            }
        };
        let Some((body, used)) = block_body(after, following) else {
            self.problems.push((line_no, col, format!("shortcode `{name}` has no `{{% end %}}`: close the block with a `{{% end %}}` line")));
            return None;
        };
        self.out.push_str(&placeholder(self.calls.len()));
        self.out.push('\n');
        self.out.push_str(&"\n".repeat(used));
        self.calls.push(ShortcodeCall {
            name,
            args,
            body: Some(body),
            line: line_no,
            col,
        });
        Some(used + 1)
    }
}

fn fence_start(trimmed: &str) -> Option<(char, usize)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// The body of a block: the rest of the opening line up to `{% end %}`, or the
/// following lines up to a `{% end %}` line. Returns (body, lines used after the opening line).
fn block_body(rest_of_line: &str, following: &[&str]) -> Option<(String, usize)> {
    let rest = rest_of_line.trim_end();
    if let Some(body) = rest.strip_suffix("{% end %}") {
        return Some((body.trim().to_string(), 0));
    }
    let mut body = String::from(rest.trim_start());
    if !body.is_empty() {
        body.push('\n');
    }
    for (n, line) in following.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed == "{% end %}" {
            return Some((body, n + 1));
        }
        if let Some(before) = trimmed.strip_suffix("{% end %}") {
            body.push_str(before);
            return Some((body, n + 1));
        }
        body.push_str(line);
    }
    None
}

/// `name(a=1, b="x")` → Some((name, args)); `None` when the text is not a call
/// at all (`{{ not_a_call }}` stays text); `Err` for a call with bad arguments.
fn parse_call(text: &str) -> Result<Option<(String, Args)>, String> {
    let Some(open) = text.find('(') else {
        return Ok(None);
    };
    let name = text[..open].trim();
    if name.is_empty()
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        || !text.ends_with(')')
    {
        return Ok(None);
    }
    let mut parser = ArgParser {
        text: &text[open + 1..text.len() - 1],
        pos: 0,
    };
    let args = parser
        .args()
        .map_err(|e| format!("shortcode `{name}`: {e}"))?;
    Ok(Some((name.to_string(), args)))
}

struct ArgParser<'a> {
    text: &'a str,
    pos: usize,
}

impl ArgParser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn skip_space(&mut self) {
        self.pos = self.text.len() - self.rest().trim_start().len();
    }

    fn args(&mut self) -> Result<Args, String> {
        let mut args = BTreeMap::new();
        loop {
            self.skip_space();
            if self.rest().is_empty() {
                return Ok(args);
            }
            let key_len = self
                .rest()
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(self.rest().len());
            if key_len == 0 {
                return Err(format!("expected an argument name at `{}`", self.rest()));
            }
            let key = self.rest()[..key_len].to_string();
            self.pos += key_len;
            self.skip_space();
            if !self.rest().starts_with('=') {
                return Err(format!("expected `=` after `{key}`"));
            }
            self.pos += 1;
            let value = self.value()?;
            args.insert(key, value);
            self.skip_space();
            match self.rest().chars().next() {
                Some(',') => self.pos += 1,
                None => return Ok(args),
                Some(other) => return Err(format!("expected `,` or `)` but found `{other}`")),
            }
        }
    }

    fn value(&mut self) -> Result<serde_json::Value, String> {
        self.skip_space();
        let rest = self.rest();
        let first = rest.chars().next().ok_or("expected a value")?;
        match first {
            '"' | '\'' => self.string(first),
            '[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.rest().starts_with(']') {
                        self.pos += 1;
                        return Ok(serde_json::Value::Array(items));
                    }
                    items.push(self.value()?);
                    self.skip_space();
                    if self.rest().starts_with(',') {
                        self.pos += 1;
                    } else if !self.rest().starts_with(']') {
                        return Err("expected `,` or `]` in an array".into());
                    }
                }
            }
            _ => {
                let len = rest.find([',', ']', ' ']).unwrap_or(rest.len());
                let word = rest[..len].to_string();
                self.pos += len;
                match word.as_str() {
                    "true" => Ok(true.into()),
                    "false" => Ok(false.into()),
                    _ => word
                        .parse::<i64>()
                        .map(Into::into)
                        .or_else(|_| word.parse::<f64>().map(Into::into))
                        .map_err(|_| format!("`{word}` is not a value: expected a quoted string, a number, true, false or [a, list]")),
                }
            }
        }
    }

    fn string(&mut self, quote: char) -> Result<serde_json::Value, String> {
        let mut value = String::new();
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    }
                }
                c if c == quote => {
                    self.pos += i + 1;
                    return Ok(value.into());
                }
                c => value.push(c),
            }
        }
        Err(format!("unclosed string: expected a closing {quote}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_without_alt_must_say_it_is_decorative() {
        let text = "{{ figure(src=\"a.jpg\") }}\n\n{{ figure(src=\"b.jpg\", caption=\"B\") }}\n\n{{ figure(src=\"c.jpg\", decorative=true) }}\n\n{{ figure(src=\"d.jpg\", alt=\"D\") }}\n";
        let (_, calls) = extract(text, 1).unwrap();
        let warned: Vec<_> = calls.iter().filter_map(figure_without_alt).collect();
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert_eq!((warned[0].0, warned[0].1), (1, 1));
    }

    #[test]
    fn finds_inline_and_block_calls() {
        let text = "Intro.\n\n{{ figure(src=\"a.jpg\", width=800, wide=true, tags=[\"x\", 'y']) }}\n\n{% notice(kind=\"warning\") %}\n**Careful**\n{% end %}\n\n{% notice() %}One line{% end %}\nEnd.\n";
        let (out, calls) = extract(text, 5).unwrap();
        assert_eq!(calls.len(), 3);
        assert_eq!(calls[0].name, "figure");
        assert_eq!(calls[0].args["src"], "a.jpg");
        assert_eq!(calls[0].args["width"], 800);
        assert_eq!(calls[0].args["wide"], true);
        assert_eq!(calls[0].args["tags"], serde_json::json!(["x", "y"]));
        assert_eq!((calls[0].line, calls[0].col), (7, 1));
        assert_eq!(calls[1].body.as_deref(), Some("**Careful**\n"));
        assert_eq!(calls[2].body.as_deref(), Some("One line"));
        assert_eq!(
            out.lines().count(),
            text.lines().count(),
            "line numbers are kept"
        );
        assert!(out.contains(&placeholder(1)));
    }

    #[test]
    fn code_is_never_a_shortcode() {
        let text = "```\n{{ figure(src=\"a\") }}\n```\n\n    {{ figure(src=\"b\") }}\n\n`{{ figure(src=\"c\") }}`\n\n{{ not_a_call }}\n";
        let (out, calls) = extract(text, 1).unwrap();
        assert!(calls.is_empty());
        assert_eq!(out, text);
    }

    #[test]
    fn bad_calls_are_located() {
        let problems = extract("a\n{{ figure(src=) }}\n", 3).unwrap_err();
        assert_eq!((problems[0].0, problems[0].1), (4, 1));
        let problems = extract("{% notice() %}\nno end\n", 1).unwrap_err();
        assert!(
            problems[0].2.contains("has no `{% end %}`"),
            "{}",
            problems[0].2
        );
        let problems = extract("{{ f(a=\"x) }}\n", 1).unwrap_err();
        assert!(problems[0].2.contains("unclosed string"));
    }
}
