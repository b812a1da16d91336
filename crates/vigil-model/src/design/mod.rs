//! Design-stage threat modeling: a planned feature, read from its design document (Markdown, a Jira issue
//! or a GitHub issue), as the same model facts the code gives (components with capabilities, data classes,
//! exposure, controls; flows to datastores, third parties and LLM providers), so the threat rules that
//! judge code judge the design too.
//!
//! [`document`] reads the file into numbered lines ([`adf`] walks Jira's rich text); [`lexicon`] holds the
//! phrases and the matcher; [`components`] finds the planned components; [`extract`] turns a document into
//! facts with their line and phrase; [`plan`] builds the planned model from them; [`merge`] lays it over a
//! repository's model; [`llm`] is the optional LLM pass (prompt and reply checks, no I/O); [`report`]
//! renders the result.

pub mod adf;
pub mod components;
pub mod document;
pub mod extract;
pub mod lexicon;
pub mod llm;
pub mod merge;
pub mod plan;
pub mod report;

pub use document::{Document, MAX_BYTES, SourceFormat, parse};
pub use extract::{Extraction, Fact, FactKind, FactSource, FactStatus, extract};
pub use lexicon::{CatalogEntry, Lexicon};

#[derive(Debug, thiserror::Error)]
pub enum DesignError {
    /// The file is not a design document vigil reads; the message says why, on one line.
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hostile and odd documents go through every stage without a panic.
    #[test]
    fn no_input_panics() {
        let lexicon = Lexicon::new(&[CatalogEntry {
            id: "openai".into(),
            name: "OpenAI".into(),
            kind: "ai-usage".into(),
            category: "llm".into(),
            receives: Vec::new(),
        }]);
        let pieces = [
            "# ",
            "#######",
            "```",
            "~~~",
            "<!--",
            "-->",
            "- ",
            "1. ",
            "* ",
            "|",
            "---",
            "===",
            "\n",
            "\r\n",
            "a new ",
            "the ",
            "service",
            "API",
            "worker",
            "upload",
            "without ",
            "no ",
            "not ",
            "never",
            ",",
            ":",
            "?",
            "Postgres",
            "OpenAI",
            "S3 bucket",
            "ü",
            "e\u{301}",
            "漢字",
            "🙂",
            "_",
            "**",
            "[",
            "](",
            ")",
            "up to 12 MB",
            "existing ",
            "Design: ",
            "called by ",
            "through the ",
            "'",
            "s ",
            "\t",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..1500 {
            let mut text = String::new();
            let count = (seed % 40) as usize;
            for _ in 0..count {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let text = text
                .replace("\\n", "\n")
                .replace("\\r", "\r")
                .replace("\\t", "\t");
            for name in ["d.md", "d.json"] {
                let Ok(doc) = parse(name, text.as_bytes()) else {
                    continue;
                };
                let extraction = extract(&doc, &lexicon);
                let planned = plan::model(&doc, &lexicon, &extraction);
                let merged = merge::merge(vigil_core::SystemModel::default(), &planned);
                assert!(merged.model.components.len() >= planned.components.len().min(1));
            }
        }
        let long = "a new upload service fetches URLs without rate limiting. ".repeat(5_000);
        let doc = parse("long.md", long.as_bytes()).unwrap();
        assert!(!extract(&doc, &lexicon).facts.is_empty());
    }
}
