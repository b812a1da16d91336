//! Atlassian Document Format (Jira's rich text) to lines: headings, paragraphs, list items and code lines in
//! document order, each with its text. Inline nodes give their visible text (mentions, emoji, links,
//! statuses); media and rules give nothing. Unknown block nodes are read through to their children, so a
//! new ADF container does not lose the text inside it.

use serde_json::Value;

use super::document::{LineKind, clean_inline};

/// Nesting deeper than this is not a document anyone wrote.
const MAX_DEPTH: usize = 48;

/// The lines of an ADF document (`{"type": "doc", "content": [...]}`), or `None` when it is not one.
pub fn lines(doc: &Value) -> Option<Vec<(LineKind, u8, String)>> {
    if doc.get("type").and_then(Value::as_str) != Some("doc") {
        return None;
    }
    let mut out = Vec::new();
    for node in children(doc) {
        block(node, 0, &mut out);
    }
    Some(out)
}

fn children(node: &Value) -> impl Iterator<Item = &Value> {
    node.get("content")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn node_type(node: &Value) -> &str {
    node.get("type").and_then(Value::as_str).unwrap_or_default()
}

fn push(out: &mut Vec<(LineKind, u8, String)>, kind: LineKind, level: u8, text: &str) {
    // A hard break starts a new line, as it does on screen.
    for part in text.split('\n') {
        let part = clean_inline(part);
        if !part.is_empty() {
            out.push((kind, level, part));
        }
    }
}

fn block(node: &Value, depth: usize, out: &mut Vec<(LineKind, u8, String)>) {
    if depth > MAX_DEPTH {
        return;
    }
    match node_type(node) {
        "paragraph" => push(out, LineKind::Text, 0, &inline(node)),
        "heading" => {
            let level = node
                .get("attrs")
                .and_then(|a| a.get("level"))
                .and_then(Value::as_u64)
                .map_or(1, |l| u8::try_from(l.clamp(1, 6)).unwrap_or(6));
            push(out, LineKind::Heading, level, &inline(node));
        }
        "codeBlock" => {
            for line in inline(node).lines() {
                let line = line.trim();
                if !line.is_empty() {
                    out.push((LineKind::Code, 0, line.to_owned()));
                }
            }
        }
        // A list item's first paragraph is the item; what it holds after (nested lists) follows.
        "listItem" | "taskItem" | "decisionItem" => {
            let mut first = true;
            for child in children(node) {
                match node_type(child) {
                    "paragraph" if first => push(out, LineKind::ListItem, 0, &inline(child)),
                    "text" | "hardBreak" | "mention" | "emoji" | "inlineCard" | "status" if first => {
                        push(out, LineKind::ListItem, 0, &inline(node));
                        break;
                    }
                    _ => block(child, depth + 1, out),
                }
                first = false;
            }
        }
        // A table row reads as one line, its cells joined, so a row's facts share a line.
        "tableRow" => {
            let cells: Vec<String> = children(node)
                .map(|cell| {
                    let mut inner = Vec::new();
                    for child in children(cell) {
                        block(child, depth + 2, &mut inner);
                    }
                    inner.into_iter().map(|(_, _, t)| t).collect::<Vec<_>>().join(" ")
                })
                .collect();
            push(out, LineKind::Text, 0, &cells.join(" | "));
        }
        "rule" | "media" | "mediaSingle" | "mediaGroup" | "mediaInline" | "extension" | "bodiedExtension" => {
        }
        _ => {
            for child in children(node) {
                block(child, depth + 1, out);
            }
        }
    }
}

/// The visible text of a node's inline content.
fn inline(node: &Value) -> String {
    let mut text = String::new();
    for child in children(node) {
        let attr = |name: &str| {
            child
                .get("attrs")
                .and_then(|a| a.get(name))
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        match node_type(child) {
            "text" => text.push_str(child.get("text").and_then(Value::as_str).unwrap_or_default()),
            "hardBreak" => text.push('\n'),
            "mention" => text.push_str(attr("text")),
            "emoji" => text.push_str(if attr("text").is_empty() {
                attr("shortName")
            } else {
                attr("text")
            }),
            "inlineCard" => text.push_str(attr("url")),
            "status" => text.push_str(attr("text")),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_headings_lists_code_and_tables() {
        let doc: Value = serde_json::from_str(
            r#"{"type": "doc", "version": 1, "content": [
              {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Scope"}]},
              {"type": "paragraph", "content": [
                {"type": "text", "text": "Ask "}, {"type": "mention", "attrs": {"id": "1", "text": "@ana"}},
                {"type": "hardBreak"}, {"type": "text", "text": "second line", "marks": [{"type": "strong"}]}]},
              {"type": "bulletList", "content": [
                {"type": "listItem", "content": [
                  {"type": "paragraph", "content": [{"type": "text", "text": "one"}]},
                  {"type": "orderedList", "content": [{"type": "listItem", "content": [
                    {"type": "paragraph", "content": [{"type": "text", "text": "nested"}]}]}]}]}]},
              {"type": "codeBlock", "attrs": {"language": "json"}, "content": [{"type": "text", "text": "{\"a\": 1}\nb"}]},
              {"type": "table", "content": [{"type": "tableRow", "content": [
                {"type": "tableHeader", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Data"}]}]},
                {"type": "tableCell", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "PII"}]}]}]}]},
              {"type": "panel", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "inside"}]}]},
              {"type": "rule"}
            ]}"#,
        )
        .unwrap();
        let lines = lines(&doc).unwrap();
        let texts: Vec<(LineKind, &str)> = lines.iter().map(|(k, _, t)| (*k, t.as_str())).collect();
        assert_eq!(
            texts,
            vec![
                (LineKind::Heading, "Scope"),
                (LineKind::Text, "Ask @ana"),
                (LineKind::Text, "second line"),
                (LineKind::ListItem, "one"),
                (LineKind::ListItem, "nested"),
                (LineKind::Code, "{\"a\": 1}"),
                (LineKind::Code, "b"),
                (LineKind::Text, "Data | PII"),
                (LineKind::Text, "inside"),
            ]
        );
        assert_eq!(lines[0].1, 2);
    }

    #[test]
    fn not_a_doc_is_none_and_deep_nesting_stops() {
        assert!(lines(&serde_json::json!({"type": "paragraph"})).is_none());
        let mut node = serde_json::json!({"type": "text", "text": "deep"});
        for _ in 0..100 {
            node = serde_json::json!({"type": "panel", "content": [node]});
        }
        let doc = serde_json::json!({"type": "doc", "content": [node]});
        assert!(lines(&doc).is_some());
    }
}
