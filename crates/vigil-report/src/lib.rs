//! vigil-report: one writer per output format, each a pure function from the Assessment to text.
//! Adding a format is one file and one variant of [`Format`].

pub mod csv;
pub mod cyclonedx;
pub mod diagram;
pub mod html;
pub mod inventory_table;
pub mod json;
pub mod markdown;
pub mod otm;
pub mod sanitize;
pub mod sarif;
pub mod svg;
pub mod terminal;
pub mod vex;

use vigil_core::Assessment;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Term,
    Json,
    Md,
    /// OpenVEX 0.2.0.
    OpenVex,
    /// CycloneDX 1.6 with VEX analyses.
    CyclonedxVex,
    /// One row per finding with its action, owner and due date.
    Csv,
    /// One self-contained HTML page (inline CSS, JS and SVG).
    Html,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
}

impl Format {
    /// The file name `--out DIR` writes this format to.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Term => "summary.txt",
            Self::Json => "assessment.json",
            Self::Md => "assessment.md",
            Self::OpenVex => "vex.openvex.json",
            Self::CyclonedxVex => "vex.cdx.json",
            Self::Csv => "findings.csv",
            Self::Html => "assessment.html",
            Self::Sarif => "assessment.sarif",
        }
    }
}

pub fn render(format: Format, assessment: &Assessment, options: &terminal::Options) -> String {
    match format {
        Format::Term => terminal::render(assessment, options),
        Format::Json => json::render(assessment),
        Format::Md => markdown::render(assessment),
        Format::OpenVex => vex::openvex(assessment),
        Format::CyclonedxVex => vex::cyclonedx_vex(assessment),
        Format::Csv => csv::render(assessment),
        Format::Html => html::render(assessment),
        Format::Sarif => sarif::render(assessment),
    }
}
