//! Blanking comments and string contents, so that a plain pattern search over the result only ever matches
//! code. The result has the same length as the input and the same line breaks (every blanked byte becomes a
//! space, newlines stay), so an offset in it is an offset in the original: a pattern matches `require("  ")`
//! in the blanked text and the module name is read from the original at the same range.
//!
//! One linear pass per file, no allocation besides the output: this is what lets every source file be read
//! for imports at a fraction of the cost of a full parse (the parse is kept for files a framework or ORM
//! reader needs). It is a lexer, not a parser; where a language is ambiguous without a grammar it errs on
//! the side of code:
//! - JavaScript regex literals are recognised after an operator or an opening bracket (`x = /a'b/`), and
//!   only when they close on the same line; template literals are strings, `${...}` included.
//! - Single- and double-quoted strings end at an unescaped newline in every language (an unterminated
//!   literal cannot swallow the rest of the file).
//! - Rust `'a` lifetimes are code, `'a'` and `'\n'` are characters; block comments nest.
//! - Ruby `=begin`/`=end` blocks are comments; percent literals and heredocs are read as code.

use crate::language::Language;

/// How a language writes comments and strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// `//`, `/* */`, `'`, `"`, `` ` `` with `${}`, regex literals.
    JavaScript,
    /// `//`, `/* */`, `"`, `'` (rune), `` ` `` (raw).
    Go,
    /// `//`, `/* */`, `"`, `'`, `"""` text blocks.
    Java,
    /// `//`, `/* */`, `"`, `'`, `@"..."` verbatim, `"""` raw.
    CSharp,
    /// `//`, nested `/* */`, `"`, `r#"..."#`, `'c'` versus `'a`.
    Rust,
    /// `//`, `#` (not `#[`), `/* */`, `'`, `"`, `` ` ``.
    Php,
    /// `#`, `'`, `"`, `'''`, `"""`.
    Python,
    /// `#`, `=begin`/`=end`, `'`, `"`, `` ` ``.
    Ruby,
}

impl Family {
    fn of(language: Language) -> Self {
        match language {
            Language::JavaScript | Language::TypeScript | Language::Tsx => Self::JavaScript,
            Language::Go => Self::Go,
            Language::Java => Self::Java,
            Language::CSharp => Self::CSharp,
            Language::Rust => Self::Rust,
            Language::Php => Self::Php,
            Language::Python => Self::Python,
            Language::Ruby => Self::Ruby,
        }
    }

    fn slash_comments(self) -> bool {
        !matches!(self, Self::Python | Self::Ruby)
    }

    fn hash_comments(self) -> bool {
        matches!(self, Self::Python | Self::Ruby | Self::Php)
    }

    /// The bytes that may start a comment or a literal in this family, as a lookup table.
    fn token_starts(self) -> [bool; 256] {
        let mut table = [false; 256];
        let mut mark = |bytes: &[u8]| bytes.iter().for_each(|b| table[usize::from(*b)] = true);
        mark(b"\"'");
        if self.slash_comments() {
            mark(b"/");
        }
        if self.hash_comments() {
            mark(b"#");
        }
        if family_has_backticks(self) {
            mark(b"`");
        }
        match self {
            Self::Rust => mark(b"rb"),
            Self::CSharp => mark(b"@"),
            Self::Ruby => mark(b"="),
            _ => {}
        }
        table
    }
}

/// `text` with every comment and the contents of every string literal replaced by spaces (delimiters and
/// newlines kept).
pub fn blank_comments_and_strings(text: &str, language: Language) -> String {
    let family = Family::of(language);
    let starts = family.token_starts();
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    // The last byte of code that is not whitespace: decides whether `/` starts a regex in JavaScript.
    let mut last_code = b'\n';
    while i < bytes.len() {
        // Most bytes cannot start a comment or a literal: skip them in a tight loop.
        let run_start = i;
        while i < bytes.len() && !starts[usize::from(bytes[i])] {
            i += 1;
        }
        if let Some(code) = bytes[run_start..i]
            .iter()
            .rev()
            .find(|b| !b.is_ascii_whitespace())
        {
            last_code = *code;
        }
        if i == bytes.len() {
            break;
        }
        let byte = bytes[i];
        let next = bytes.get(i + 1).copied();
        let comment_end = if family.slash_comments() && byte == b'/' && next == Some(b'/') {
            Some(line_end(bytes, i))
        } else if family.slash_comments() && byte == b'/' && next == Some(b'*') {
            Some(block_comment_end(bytes, i, family == Family::Rust))
        } else if family.hash_comments() && byte == b'#' && !(family == Family::Php && next == Some(b'[')) {
            Some(line_end(bytes, i))
        } else if family == Family::Ruby && at_line_start(bytes, i) && bytes[i..].starts_with(b"=begin") {
            Some(ruby_block_comment_end(bytes, i))
        } else {
            None
        };
        if let Some(end) = comment_end {
            blank(&mut out, i, end);
            i = end;
        } else if let Some(end) = string_end(bytes, i, family, last_code) {
            blank_inside(&mut out, i, end, family, bytes);
            last_code = b'"';
            i = end;
        } else {
            if !byte.is_ascii_whitespace() {
                last_code = byte;
            }
            i += 1;
        }
    }
    // `blank` writes ASCII over whole characters only, so this cannot fail; were it to, the unblanked text
    // (same length, same offsets) is the safe answer.
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Spaces over `start..end`, newlines kept. The range is narrowed to whole characters: a range that
/// would split one (an unterminated literal cut at a multi-byte character) must not corrupt the text.
fn blank(out: &mut [u8], start: usize, end: usize) {
    let is_boundary = |out: &[u8], i: usize| i >= out.len() || (out[i] & 0xC0) != 0x80;
    let mut end = end.min(out.len());
    while end > start && !is_boundary(out, end) {
        end -= 1;
    }
    let mut start = start;
    while start < end && !is_boundary(out, start) {
        start += 1;
    }
    for byte in &mut out[start..end] {
        if *byte != b'\n' {
            *byte = b' ';
        }
    }
}

/// Blanks a string literal's contents, keeping its opening and closing delimiters.
fn blank_inside(out: &mut [u8], start: usize, end: usize, family: Family, bytes: &[u8]) {
    let open = opening_length(bytes, start, family);
    let close = closing_length(bytes, start, end, open);
    if start + open <= end.saturating_sub(close) {
        blank(out, start + open, end - close);
    }
}

/// Bytes of the opening delimiter (prefixes such as `r#`, `@`, `b` included).
fn opening_length(bytes: &[u8], start: usize, family: Family) -> usize {
    let mut n = 0;
    while start + n < bytes.len() && matches!(bytes[start + n], b'r' | b'b' | b'@' | b'#') {
        n += 1;
    }
    let quote = bytes.get(start + n).copied().unwrap_or(b'"');
    n += 1;
    if matches!(family, Family::Python | Family::Java | Family::CSharp)
        && bytes.get(start + n..start + n + 2) == Some(&[quote, quote][..])
    {
        n += 2;
    }
    n
}

/// Bytes of the closing delimiter of the literal `start..end`: as many quotes and hashes as the opening has,
/// or none when it ended unterminated (at a newline or the end of the text).
fn closing_length(bytes: &[u8], start: usize, end: usize, open: usize) -> usize {
    let opening = &bytes[start..start + open];
    let hashes = opening.iter().filter(|b| **b == b'#').count();
    let Some(&quote) = opening
        .iter()
        .rev()
        .find(|b| !matches!(b, b'r' | b'b' | b'@' | b'#'))
    else {
        return 0;
    };
    let quotes = opening.iter().filter(|b| **b == quote).count();
    let mut closing = vec![quote; quotes];
    closing.extend(std::iter::repeat_n(b'#', hashes));
    let literal = &bytes[start..end.min(bytes.len())];
    if literal.len() >= open + closing.len() && literal.ends_with(&closing) {
        closing.len()
    } else {
        0
    }
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn at_line_start(bytes: &[u8], i: usize) -> bool {
    i == 0 || bytes[i - 1] == b'\n'
}

fn block_comment_end(bytes: &[u8], from: usize, nested: bool) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i + 1 < bytes.len() {
        if bytes[i] == b'/' && bytes[i + 1] == b'*' && (nested || depth == 0) {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

fn ruby_block_comment_end(bytes: &[u8], from: usize) -> usize {
    let mut i = line_end(bytes, from);
    while i < bytes.len() {
        let line_start = i + 1;
        let end = line_end(bytes, line_start);
        if bytes[line_start..end].starts_with(b"=end") {
            return end;
        }
        i = end;
    }
    bytes.len()
}

/// The end (exclusive) of the string literal starting at `i`, if one starts there.
fn string_end(bytes: &[u8], i: usize, family: Family, last_code: u8) -> Option<usize> {
    let byte = bytes[i];
    let previous_is_word = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
    match family {
        Family::Rust if matches!(byte, b'r' | b'b') && !previous_is_word => rust_prefixed_string(bytes, i),
        Family::Rust if byte == b'\'' => rust_char(bytes, i),
        Family::CSharp if byte == b'@' && bytes.get(i + 1) == Some(&b'"') => Some(verbatim_end(bytes, i + 2)),
        Family::JavaScript if byte == b'/' && regex_may_start(last_code) => regex_end(bytes, i),
        _ => {
            if !matches!(byte, b'"' | b'\'' | b'`') || (byte == b'`' && !family_has_backticks(family)) {
                return None;
            }
            let triple = bytes.get(i..i + 3) == Some(&[byte, byte, byte][..]);
            if triple && matches!(family, Family::Python | Family::Java | Family::CSharp) {
                return Some(triple_end(bytes, i + 3, byte));
            }
            let multiline = byte == b'`';
            let escapes = !(byte == b'`' && family == Family::Go);
            Some(quoted_end(bytes, i + 1, byte, escapes, multiline))
        }
    }
}

fn family_has_backticks(family: Family) -> bool {
    matches!(
        family,
        Family::JavaScript | Family::Go | Family::Php | Family::Ruby
    )
}

/// After the opening quote: the end of a literal closed by `quote`, or the newline/end that cuts it short.
fn quoted_end(bytes: &[u8], mut i: usize, quote: u8, escapes: bool, multiline: bool) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if escapes => i += 2,
            b'\n' if !multiline => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn triple_end(bytes: &[u8], mut i: usize, quote: u8) -> usize {
    while i < bytes.len() {
        // Jump to the next quote or backslash: the bytes in between are the string's.
        match bytes[i..].iter().position(|b| *b == quote || *b == b'\\') {
            None => return bytes.len(),
            Some(skip) => i += skip,
        }
        if bytes[i] == b'\\' {
            i += 2;
        } else if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
            return i + 3;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// C# `@"..."`: no escapes, `""` is a quote.
fn verbatim_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes[i] == b'"' {
            if bytes.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// `r"..."`, `r#"..."#`, `b"..."`, `br#"..."#`; `None` when the letters start an identifier.
fn rust_prefixed_string(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    if bytes[j] == b'b' {
        j += 1;
    }
    let raw = bytes.get(j) == Some(&b'r');
    if raw {
        j += 1;
    }
    let hashes = bytes[j..].iter().take_while(|b| **b == b'#').count();
    j += hashes;
    if bytes.get(j) != Some(&b'"') || (!raw && hashes > 0) || j == i {
        return None;
    }
    if !raw {
        return Some(quoted_end(bytes, j + 1, b'"', true, true));
    }
    let mut k = j + 1;
    while k < bytes.len() {
        if bytes[k] == b'"' && bytes[k + 1..].iter().take(hashes).filter(|b| **b == b'#').count() == hashes {
            return Some(k + 1 + hashes);
        }
        k += 1;
    }
    Some(bytes.len())
}

/// `'a'`, `'\n'`, `'\u{1F600}'`, `'é'` are characters; `'a` (a lifetime or label) is code.
fn rust_char(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i + 1) == Some(&b'\\') {
        let close = bytes[i + 2..].iter().take(12).position(|b| *b == b'\'')?;
        return Some(i + 2 + close + 1);
    }
    let rest = bytes.get(i + 1..)?;
    let width = match rest.first()? {
        b if *b < 0x80 => 1,
        b if *b >= 0xF0 => 4,
        b if *b >= 0xE0 => 3,
        _ => 2,
    };
    (rest.get(width) == Some(&b'\'')).then_some(i + 1 + width + 1)
}

/// Whether a `/` after this byte of code starts a regular expression rather than dividing.
fn regex_may_start(last_code: u8) -> bool {
    matches!(
        last_code,
        b'(' | b','
            | b'='
            | b':'
            | b'['
            | b'!'
            | b'&'
            | b'|'
            | b'?'
            | b'{'
            | b'}'
            | b';'
            | b'\n'
            | b'+'
            | b'-'
            | b'*'
            | b'%'
            | b'<'
            | b'>'
            | b'~'
            | b'^'
    )
}

/// A regex literal that closes on its line (classes may hold `/`); `None` when it does not close, in which
/// case the `/` was a division after all.
fn regex_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from + 1;
    let mut in_class = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            b'[' => {
                in_class = true;
                i += 1;
            }
            b']' => {
                in_class = false;
                i += 1;
            }
            b'/' if !in_class => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(text: &str, language: Language) -> String {
        let out = blank_comments_and_strings(text, language);
        assert_eq!(out.len(), text.len());
        assert_eq!(out.matches('\n').count(), text.matches('\n').count());
        out
    }

    #[test]
    fn javascript() {
        assert_eq!(
            blank("a = 'x'; // c\nb(\"y\\\"z\") /* q\n */ c", Language::JavaScript),
            "a = ' ';     \nb(\"    \")     \n    c"
        );
        assert_eq!(blank("x = /it's/g; y", Language::JavaScript), "x = /    /g; y");
        assert_eq!(blank("a / b / c; 'q'", Language::JavaScript), "a / b / c; ' '");
        assert_eq!(blank("`a\n${b}`;", Language::JavaScript), "` \n    `;");
        assert_eq!(
            blank("'unterminated\ncode", Language::JavaScript),
            "'            \ncode"
        );
    }

    #[test]
    fn python_and_ruby() {
        assert_eq!(
            blank("x = '''import os\n''' # import y\nimport z", Language::Python),
            "x = '''         \n'''           \nimport z"
        );
        assert_eq!(
            blank("=begin\nrequire 'a'\n=end\nrequire 'b' # c", Language::Ruby),
            "      \n           \n    \nrequire ' '    "
        );
    }

    #[test]
    fn rust_go_csharp_php() {
        assert_eq!(
            blank(
                "fn f<'a>(x: &'a str) { 'c'; r#\"q\"# /* a /* b */ c */ }",
                Language::Rust
            ),
            "fn f<'a>(x: &'a str) { ' '; r#\" \"#                   }"
        );
        assert_eq!(blank("s := `a\\`; t", Language::Go), "s := `  `; t");
        assert_eq!(
            blank("var s = @\"a\"\"b\"; x", Language::CSharp),
            "var s = @\"    \"; x"
        );
        assert_eq!(
            blank("#[Attr] # c\n$a = 'b';", Language::Php),
            "#[Attr]    \n$a = ' ';"
        );
    }

    #[test]
    fn non_ascii_text_stays_valid() {
        assert_eq!(
            blank("x = 'héllo' # é\ny", Language::Python),
            "x = '      '     \ny"
        );
    }
}
