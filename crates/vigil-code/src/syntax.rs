//! A parsed file and small helpers over tree-sitter nodes: text, lines, string literal values, and a
//! depth-first walk that does not recurse (hostile input can nest deeply).

use tree_sitter::{Node, Parser, Tree};

use crate::language::Language;

/// A source file with its syntax tree.
#[derive(Debug)]
pub struct SyntaxFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub language: Language,
    pub tree: Tree,
}

impl<'a> SyntaxFile<'a> {
    /// Parses `text`; `None` if the grammar cannot be loaded or parsing was cancelled. Syntax errors are
    /// not fatal: tree-sitter recovers and the analyses read what parsed.
    pub fn parse(path: &'a str, text: &'a str, language: Language) -> Option<Self> {
        let mut parser = Parser::new();
        parser.set_language(&language.grammar()).ok()?;
        let tree = parser.parse(text, None)?;
        Some(Self {
            path,
            text,
            language,
            tree,
        })
    }

    pub fn root(&self) -> Node<'_> {
        self.tree.root_node()
    }

    pub fn text_of(&self, node: Node<'_>) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// Calls `visit` on every node, parents before children, in source order.
    pub fn walk(&self, mut visit: impl FnMut(Node<'_>)) {
        let mut cursor = self.tree.walk();
        loop {
            visit(cursor.node());
            if cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    /// The value of a string literal node, without quotes or prefixes, when it holds no interpolation.
    pub fn string_value(&self, node: Node<'_>) -> Option<String> {
        string_value(self.text_of(node), node.kind())
    }
}

/// 1-based line of a node.
pub fn line(node: Node<'_>) -> u32 {
    u32::try_from(node.start_position().row + 1).unwrap_or(u32::MAX)
}

/// The children of a node that are named (not punctuation).
pub fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

const STRING_KINDS: [&str; 9] = [
    "string",
    "template_string",
    "interpreted_string_literal",
    "raw_string_literal",
    "string_literal",
    "encapsed_string",
    "verbatim_string_literal",
    "string_content",
    "concatenated_string",
];

/// Strips the quotes of a literal as written (`'a'`, `"a"`, `` `a` ``, `r"a"`, `@"a"`, Python prefixes).
fn string_value(written: &str, kind: &str) -> Option<String> {
    if !STRING_KINDS.contains(&kind) {
        return None;
    }
    let trimmed = written.trim();
    let without_prefix = trimmed.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '@');
    let quote = without_prefix.chars().next()?;
    if !matches!(quote, '"' | '\'' | '`') {
        return (kind == "string_content").then(|| trimmed.to_owned());
    }
    let triple: String = std::iter::repeat_n(quote, 3).collect();
    let inner = if without_prefix.starts_with(&triple) && without_prefix.len() >= 6 {
        &without_prefix[3..without_prefix.len() - 3]
    } else {
        without_prefix.get(1..without_prefix.len().saturating_sub(1))?
    };
    // Interpolated strings are computed: not a literal value.
    if (quote == '`' && inner.contains("${")) || (trimmed.starts_with('f') && inner.contains('{')) {
        return None;
    }
    Some(inner.to_owned())
}

#[cfg(test)]
mod tests {
    use super::string_value;

    #[test]
    fn literals_lose_their_quotes() {
        assert_eq!(string_value("'a/b'", "string").as_deref(), Some("a/b"));
        assert_eq!(
            string_value("\"x\"", "interpreted_string_literal").as_deref(),
            Some("x")
        );
        assert_eq!(string_value("`/api`", "template_string").as_deref(), Some("/api"));
        assert_eq!(string_value("`/api/${id}`", "template_string"), None);
        assert_eq!(string_value("f'{x}'", "string"), None);
        assert_eq!(string_value("r'^users/$'", "string").as_deref(), Some("^users/$"));
        assert_eq!(string_value("\"\"\"doc\"\"\"", "string").as_deref(), Some("doc"));
        assert_eq!(string_value("x", "identifier"), None);
    }
}
