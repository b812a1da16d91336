//! Text from scanned repositories (paths, names, titles built from them) can carry terminal escape
//! sequences or Markdown; it is cleaned before it reaches a terminal or a report.

/// Replaces control characters (ANSI escapes, carriage returns, bells...) with `?`, keeping tabs.
pub fn terminal(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\t' { '?' } else { c })
        .collect()
}

/// One Markdown table cell: no control characters, no line breaks, pipes escaped.
pub fn cell(text: &str) -> String {
    terminal(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_are_neutralised() {
        assert_eq!(super::terminal("a\u{1b}[31mred\r\n"), "a?[31mred??");
        assert_eq!(super::cell("a|b\nc"), "a\\|b?c");
    }
}
