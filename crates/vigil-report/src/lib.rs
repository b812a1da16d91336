//! vigil-report: one writer per output format, each a pure function from the Assessment to text.
//! Adding a format is one file and one variant of [`Format`].

pub mod cyclonedx;
pub mod inventory_table;
pub mod json;
pub mod markdown;
pub mod sanitize;
pub mod terminal;

use vigil_core::Assessment;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Term,
    Json,
    Md,
}

impl Format {
    /// The file name `--out DIR` writes this format to.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Term => "summary.txt",
            Self::Json => "assessment.json",
            Self::Md => "assessment.md",
        }
    }
}

pub fn render(format: Format, assessment: &Assessment, options: &terminal::Options) -> String {
    match format {
        Format::Term => terminal::render(assessment, options),
        Format::Json => json::render(assessment),
        Format::Md => markdown::render(assessment),
    }
}
