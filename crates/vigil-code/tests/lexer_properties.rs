//! Properties of the lexer on arbitrary text: it must never panic on hostile input, and its output must
//! line up byte for byte with the input (offsets found in the blanked text are read from the original).

use proptest::prelude::*;
use vigil_code::Language;
use vigil_code::lexer::blank_comments_and_strings;

const LANGUAGES: [Language; 8] = [
    Language::JavaScript,
    Language::Go,
    Language::Java,
    Language::CSharp,
    Language::Rust,
    Language::Php,
    Language::Python,
    Language::Ruby,
];

/// Text made mostly of the bytes that open and close comments and literals, plus some non-ASCII.
fn tricky_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("/"),
            Just("*"),
            Just("\""),
            Just("'"),
            Just("`"),
            Just("#"),
            Just("\\"),
            Just("\n"),
            Just("r#\""),
            Just("@\""),
            Just("\"\"\""),
            Just("=begin\n"),
            Just("=end"),
            Just("${"),
            Just("}"),
            Just("é"),
            Just("€"),
            Just(" "),
            Just("a"),
            Just("import x"),
            Just("("),
            Just("="),
        ],
        0..64,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn blanking_keeps_length_newlines_and_code(text in tricky_text(), language in 0..LANGUAGES.len()) {
        let out = blank_comments_and_strings(&text, LANGUAGES[language]);
        prop_assert_eq!(out.len(), text.len());
        for (blanked, original) in out.bytes().zip(text.bytes()) {
            prop_assert!(blanked == original || (blanked == b' ' && original != b'\n'));
        }
    }

    #[test]
    fn any_text_is_survived(text in any::<String>(), language in 0..LANGUAGES.len()) {
        let out = blank_comments_and_strings(&text, LANGUAGES[language]);
        prop_assert_eq!(out.len(), text.len());
    }
}

/// Found by the properties above: an unterminated raw string ending in a multi-byte character was blanked
/// through the middle of the character, and the repaired text was longer than the input.
#[test]
fn unterminated_raw_string_before_a_multibyte_character() {
    let text = "r#\"é\"";
    let out = blank_comments_and_strings(text, Language::Rust);
    assert_eq!(out.len(), text.len());
    assert_eq!(out, "r#\"   ");
}
