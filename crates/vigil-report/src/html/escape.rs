//! Text from the assessment in HTML. Scanned repositories choose their own file names, titles and evidence,
//! so every such string goes through [`Escaped`] before it reaches the page, and only plain web URLs ever
//! become links.

use std::fmt::{self, Write};

/// Text safe as HTML element content and as a quoted attribute value.
///
/// Markup characters become entities; control characters (terminal escapes, NUL) and the bidirectional
/// overrides that can make text read differently from what it is become `?`. Line breaks and tabs stay.
#[derive(Debug, Clone, Copy)]
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                '\n' | '\t' => f.write_char(c)?,
                c if c.is_control() || is_bidi_control(c) => f.write_char('?')?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// [`Escaped`] as a string.
pub fn escape(text: &str) -> String {
    Escaped(text).to_string()
}

/// Escaped text with Markdown code spans (`` `like this` ``) shown as `<code>`, as runbooks write commands
/// and settings. Escaping comes first, so a span can only hold text; an unpaired backtick stays as it is.
pub fn with_code_spans(text: &str) -> String {
    let escaped = escape(text);
    if !escaped.matches('`').count().is_multiple_of(2) {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// The reference as a link target, only when it is a plain `http(s)` URL: any other scheme (`javascript:`,
/// `data:`, `file:`) or anything with spaces or control characters in it is shown as text instead.
pub fn web_url(reference: &str) -> Option<&str> {
    let is_web = reference.starts_with("https://") || reference.starts_with("http://");
    let is_plain = !reference
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || is_bidi_control(c));
    (is_web && is_plain).then_some(reference)
}

/// An `id` attribute built from arbitrary text: ASCII letters, digits, `-` and `_` are kept, anything else
/// becomes `-`, so the id needs no escaping and a link to it always matches.
pub fn anchor(prefix: &str, text: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + 1 + text.len());
    id.push_str(prefix);
    id.push('-');
    id.extend(text.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '-'
        }
    }));
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hostile_title_cannot_open_markup() {
        let title = "<script>alert('x')</script><img src=x onerror=\"y\"> & \u{1b}[31m\u{202E}";
        assert_eq!(
            escape(title),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=&quot;y&quot;&gt; &amp; ?[31m?"
        );
        assert_eq!(escape("line\n\tindented"), "line\n\tindented");
    }

    #[test]
    fn code_spans_hold_only_escaped_text() {
        assert_eq!(
            with_code_spans("Set `a = \"<b>\"` then `c`."),
            "Set <code>a = &quot;&lt;b&gt;&quot;</code> then <code>c</code>."
        );
        assert_eq!(with_code_spans("one ` tick <i>"), "one ` tick &lt;i&gt;");
    }

    #[test]
    fn only_web_urls_become_links() {
        assert_eq!(
            web_url("https://example.org/a?b=1"),
            Some("https://example.org/a?b=1")
        );
        assert_eq!(web_url("http://example.org"), Some("http://example.org"));
        assert_eq!(web_url("javascript:alert(1)"), None);
        assert_eq!(web_url("JAVASCRIPT:alert(1)"), None);
        assert_eq!(web_url("data:text/html,<script>"), None);
        assert_eq!(web_url("https://example.org/\" onmouseover=\"x"), None);
        assert_eq!(web_url("CVE-2020-8203"), None);
    }

    #[test]
    fn anchors_keep_only_safe_characters() {
        assert_eq!(anchor("finding", "VF-0c78157570"), "finding-VF-0c78157570");
        assert_eq!(anchor("action", "a\"><b"), "action-a---b");
    }
}
