//! Reading a design document into numbered lines: a Markdown file, a Jira issue (REST v3 JSON, description
//! in Atlassian Document Format) or a GitHub issue (REST JSON, body in Markdown). The format is told from
//! the content and the extension; anything else is an error naming the file.
//!
//! Line numbers are what a reviewer can check: a Markdown file's own lines; for an issue, the issue's text
//! as vigil renders it, the title on line 1 and the body from line 2.

use serde::Serialize;
use serde_json::Value;

use super::DesignError;
use super::adf;

/// Design documents are pages, not data sets: anything bigger is a mistake (or hostile) and is refused.
pub const MAX_BYTES: usize = 2 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    Markdown,
    JiraIssue,
    GithubIssue,
}

impl SourceFormat {
    pub fn label(self) -> &'static str {
        match self {
            Self::Markdown => "Markdown",
            Self::JiraIssue => "Jira issue",
            Self::GithubIssue => "GitHub issue",
        }
    }
}

/// What a line is, which decides how the lexicon reads it (a heading can name a component).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    Title,
    Heading,
    Text,
    ListItem,
    Code,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub number: u32,
    pub kind: LineKind,
    /// Heading level (1..6) for titles and headings, 0 otherwise.
    #[serde(skip_serializing_if = "is_zero")]
    pub level: u8,
    /// The text without Markdown markup.
    pub text: String,
}

fn is_zero(level: &u8) -> bool {
    *level == 0
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The path evidence names.
    pub path: String,
    pub format: SourceFormat,
    pub title: String,
    /// The issue's key or number (`PAY-142`, `#57`), when it is an issue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    #[serde(skip)]
    pub lines: Vec<Line>,
}

impl Document {
    pub fn line(&self, number: u32) -> Option<&Line> {
        self.lines.iter().find(|l| l.number == number)
    }
}

/// Reads `bytes` (the file at `path`) as a design document.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Document, DesignError> {
    let fail = |message: String| DesignError::Unreadable {
        path: path.to_owned(),
        message,
    };
    if bytes.len() > MAX_BYTES {
        return Err(fail(format!(
            "{} bytes, over the {MAX_BYTES}-byte limit for a design document",
            bytes.len()
        )));
    }
    if bytes.contains(&0) {
        return Err(fail("a binary file, not a design document".into()));
    }
    let text =
        std::str::from_utf8(bytes).map_err(|_| fail("not UTF-8 text, so not a design document".into()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let extension = std::path::Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let looks_like_json = text.trim_start().starts_with(['{', '[']);
    if extension == "json" || looks_like_json {
        let value: Value = serde_json::from_str(text).map_err(|e| fail(format!("malformed JSON: {e}")))?;
        return issue(path, &value).ok_or_else(|| {
            fail(
                "JSON that is neither a Jira issue (`fields.summary`) nor a GitHub issue (`title` and `body`)"
                    .into(),
            )
        });
    }
    if !matches!(
        extension.as_str(),
        "md" | "markdown" | "mdown" | "mkd" | "txt" | ""
    ) {
        return Err(fail(format!(
            "unsupported `.{extension}` file: pass Markdown (.md), a Jira issue JSON or a GitHub issue JSON"
        )));
    }
    let lines = markdown(text, 0);
    let title = lines
        .iter()
        .filter(|l| l.kind == LineKind::Heading)
        .min_by_key(|l| (l.level, l.number))
        .map(|l| l.text.clone())
        .unwrap_or_else(|| {
            std::path::Path::new(path)
                .file_stem()
                .map_or_else(|| "design".to_owned(), |s| s.to_string_lossy().into_owned())
        });
    let lines = lines
        .into_iter()
        .map(|mut l| {
            if l.kind == LineKind::Heading && l.text == title && l.level <= 1 {
                l.kind = LineKind::Title;
            }
            l
        })
        .collect();
    Ok(Document {
        path: path.to_owned(),
        format: SourceFormat::Markdown,
        title,
        key: None,
        labels: Vec::new(),
        lines,
    })
}

/// A Jira issue (`fields.summary`, ADF or plain `fields.description`) or a GitHub issue (`title`, `body`).
fn issue(path: &str, value: &Value) -> Option<Document> {
    let (format, title, key, body, labels) =
        if let Some(fields) = value.get("fields").filter(|f| f.is_object()) {
            let summary = fields.get("summary")?.as_str()?;
            let body = match fields.get("description") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::String(text)) => markdown(text, 1),
                Some(adf @ Value::Object(_)) => adf::lines(adf)?
                    .into_iter()
                    .enumerate()
                    .map(|(i, (kind, level, text))| Line {
                        number: u32::try_from(i + 2).unwrap_or(u32::MAX),
                        kind,
                        level,
                        text,
                    })
                    .collect(),
                Some(_) => return None,
            };
            let key = value.get("key").and_then(Value::as_str).map(str::to_owned);
            (
                SourceFormat::JiraIssue,
                summary,
                key,
                body,
                labels(fields.get("labels")),
            )
        } else {
            let title = value.get("title")?.as_str()?;
            let body = match value.get("body")? {
                Value::Null => Vec::new(),
                Value::String(text) => markdown(text, 1),
                _ => return None,
            };
            let key = value
                .get("number")
                .and_then(Value::as_u64)
                .map(|n| format!("#{n}"));
            (
                SourceFormat::GithubIssue,
                title,
                key,
                body,
                labels(value.get("labels")),
            )
        };
    let title = clean_inline(title.trim());
    let mut lines = vec![Line {
        number: 1,
        kind: LineKind::Title,
        level: 1,
        text: title.clone(),
    }];
    lines.extend(body);
    Some(Document {
        path: path.to_owned(),
        format,
        title,
        key,
        labels,
        lines,
    })
}

/// Label names: Jira's strings or GitHub's `{name}` objects (or strings).
fn labels(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().or_else(|| l.get("name").and_then(Value::as_str)))
        .map(|l| clean_inline(l.trim()))
        .filter(|l| !l.is_empty())
        .take(50)
        .collect()
}

/// Markdown lines, numbered from `offset + 1`, with their kind and without markup. HTML comments (issue
/// templates are full of them) are dropped: they are instructions to the author, not the design.
fn markdown(text: &str, offset: u32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut fence: Option<&str> = None;
    let mut in_comment = false;
    let raw: Vec<&str> = text.lines().collect();
    for (index, raw_line) in raw.iter().enumerate() {
        let number = offset.saturating_add(u32::try_from(index + 1).unwrap_or(u32::MAX));
        let trimmed = raw_line.trim();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            } else if !trimmed.is_empty() {
                lines.push(line(number, LineKind::Code, 0, trimmed.to_owned()));
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        let visible = strip_comments(raw_line, &mut in_comment);
        let trimmed = visible.trim();
        if trimmed.is_empty() || is_rule(trimmed) || is_table_separator(trimmed) {
            continue;
        }
        // A setext heading: text underlined with === or --- on the next line.
        let underline = raw.get(index + 1).map(|n| n.trim()).unwrap_or_default();
        if !underline.is_empty()
            && underline.len() >= 3
            && !trimmed.starts_with(['-', '*', '+', '#', '|', '>'])
        {
            if underline.chars().all(|c| c == '=') {
                lines.push(line(number, LineKind::Heading, 1, clean_inline(trimmed)));
                continue;
            }
            if underline.chars().all(|c| c == '-') {
                lines.push(line(number, LineKind::Heading, 2, clean_inline(trimmed)));
                continue;
            }
        }
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with([' ', '\t']) {
            let text = trimmed[hashes..].trim().trim_end_matches('#').trim();
            let level = u8::try_from(hashes).unwrap_or(6);
            lines.push(line(number, LineKind::Heading, level, clean_inline(text)));
            continue;
        }
        let quote_stripped = trimmed.trim_start_matches('>').trim_start();
        match list_item(quote_stripped) {
            Some(rest) => lines.push(line(number, LineKind::ListItem, 0, clean_inline(rest))),
            None => {
                let text = clean_inline(quote_stripped);
                if !text.is_empty() {
                    lines.push(line(number, LineKind::Text, 0, text));
                }
            }
        }
    }
    lines
}

fn line(number: u32, kind: LineKind, level: u8, text: String) -> Line {
    Line {
        number,
        kind,
        level,
        text,
    }
}

fn strip_comments(raw: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = raw;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => return out,
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    out.push_str(&rest[..start]);
                    rest = &rest[start + 4..];
                    *in_comment = true;
                }
                None => {
                    out.push_str(rest);
                    return out;
                }
            }
        }
    }
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ['-', '*', '_', '=']
            .into_iter()
            .any(|mark| compact.chars().all(|c| c == mark))
}

fn is_table_separator(line: &str) -> bool {
    line.contains('-') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// The text of a list item (`- x`, `* x`, `+ x`, `1. x`, `1) x`, `- [ ] x`), if the line is one.
fn list_item(line: &str) -> Option<&str> {
    let rest = if let Some(rest) = line.strip_prefix(['-', '*', '+']) {
        rest
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        line[digits..].strip_prefix(['.', ')'])?
    };
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = ["[ ]", "[x]", "[X]"]
        .into_iter()
        .find_map(|box_| rest.strip_prefix(box_))
        .unwrap_or(rest);
    Some(rest.trim())
}

/// Inline Markdown removed: emphasis, code spans, links (`[text](url)` keeps both), images, table pipes.
pub(crate) fn clean_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' => {}
            '_' if out.ends_with(|p: char| p.is_whitespace()) || out.is_empty() => {}
            '_' if chars
                .peek()
                .is_none_or(|n| n.is_whitespace() || n.is_ascii_punctuation()) => {}
            '|' => out.push_str(" | "),
            ']' if chars.peek() == Some(&'(') => {
                out.push_str(" (");
                chars.next();
            }
            '!' if chars.peek() == Some(&'[') => {}
            '[' => {}
            _ if c.is_control() => out.push(' '),
            _ => out.push(c),
        }
    }
    let collapsed: Vec<&str> = out.split_whitespace().collect();
    collapsed
        .join(" ")
        .trim_matches(|c: char| c == '|' || c.is_whitespace())
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_lines_keep_their_numbers_and_kinds() {
        let text = "# Checkout service\n\nIntro with **bold** and `code`.\n<!-- template hint -->\n- item one\n\
                    ```\nPOST /refunds\n```\n## Security\n1. first\n";
        let doc = parse("d.md", text.as_bytes()).unwrap();
        assert_eq!(doc.title, "Checkout service");
        let summary: Vec<(u32, LineKind, &str)> = doc
            .lines
            .iter()
            .map(|l| (l.number, l.kind, l.text.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (1, LineKind::Title, "Checkout service"),
                (3, LineKind::Text, "Intro with bold and code."),
                (5, LineKind::ListItem, "item one"),
                (7, LineKind::Code, "POST /refunds"),
                (9, LineKind::Heading, "Security"),
                (10, LineKind::ListItem, "first"),
            ]
        );
    }

    #[test]
    fn links_keep_text_and_target() {
        assert_eq!(
            clean_inline("see [the RFC](https://x.test/a_b)"),
            "see the RFC (https://x.test/a_b)"
        );
        assert_eq!(clean_inline("snake_case_name stays"), "snake_case_name stays");
    }

    #[test]
    fn issues_are_told_apart_by_shape() {
        let github = r##"{"number": 7, "title": "Add uploads", "body": "Users upload files.\r\n\r\nMore.", "labels": [{"name": "feature"}]}"##;
        let doc = parse("i.json", github.as_bytes()).unwrap();
        assert_eq!(doc.format, SourceFormat::GithubIssue);
        assert_eq!(doc.key.as_deref(), Some("#7"));
        assert_eq!(doc.labels, vec!["feature"]);
        assert_eq!(doc.lines[1].number, 2);
        assert_eq!(doc.lines[1].text, "Users upload files.");

        let jira = r#"{"key": "PAY-1", "fields": {"summary": "Bot", "labels": ["ai"], "description":
            {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Answers customers."}]}]}}}"#;
        let doc = parse("j.json", jira.as_bytes()).unwrap();
        assert_eq!(doc.format, SourceFormat::JiraIssue);
        assert_eq!(doc.lines[1].text, "Answers customers.");
        assert_eq!(doc.lines[1].number, 2);
    }

    #[test]
    fn bad_inputs_are_one_line_errors_naming_the_file() {
        for (name, bytes) in [
            ("a.json", &b"{\"title\": "[..]),
            ("b.json", &b"{\"name\": \"x\"}"[..]),
            ("c.json", &b"[1, 2]"[..]),
            ("d.md", &b"\x89PNG\r\n\x1a\n\0\0"[..]),
            ("e.pdf", &b"%PDF-1.7 text"[..]),
            ("f.md", &[0xff, 0xfe, 0x41][..]),
        ] {
            let error = parse(name, bytes).unwrap_err().to_string();
            assert!(error.starts_with(name), "{error}");
            assert!(!error.contains('\n'), "{error}");
        }
        let big = vec![b'a'; MAX_BYTES + 1];
        assert!(parse("big.md", &big).is_err());
    }
}
