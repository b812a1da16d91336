//! vigil-ingest: what AppSec teams bring from their other tools, read into vigil's model.
//! - SARIF 2.1.0 (Semgrep, CodeQL, Trivy...): each result becomes an `imported` finding, keyed by a
//!   fingerprint that survives line shifts, deduplicated across files;
//! - CycloneDX 1.4–1.6 and SPDX 2.3 SBOMs (JSON): components with a purl become dependency assets, matched
//!   against advisories like lockfile packages;
//! - OpenVEX and CycloneDX VEX: statements become decisions on the matching vulnerability findings
//!   (`not_affected`, `fixed`, `false_positive` close them with their justification; the others are noted).
//!
//! Files are recognised by content; one that is none of these, or malformed, is an error naming it.

pub mod purl;
pub mod sarif;
pub mod sbom;
pub mod vex;

use std::path::Path;

use vigil_core::{Asset, Finding};

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl IngestError {
    pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.display().to_string(),
            message: message.into(),
        }
    }
}

/// Everything read from the ingested files.
#[derive(Debug, Default)]
pub struct Ingested {
    /// Dependency assets from SBOMs.
    pub dependencies: Vec<Asset>,
    /// Findings from SARIF, deduplicated by fingerprint.
    pub findings: Vec<Finding>,
    /// VEX statements, in file order (a later statement overrides an earlier one).
    pub statements: Vec<vex::Statement>,
}

/// Reads every file in `paths`.
pub fn load(paths: &[&Path]) -> Result<Ingested, IngestError> {
    let mut ingested = Ingested::default();
    for path in paths {
        let bytes = fs_err::read(path).map_err(|source| IngestError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let document: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| IngestError::invalid(path, format!("not JSON: {e}")))?;
        let label = path.display().to_string();
        if sarif::is_sarif(&document) {
            ingested.findings.extend(sarif::findings(path, &document)?);
        } else if document.get("bomFormat").and_then(|v| v.as_str()) == Some("CycloneDX") {
            ingested.dependencies.extend(sbom::cyclonedx(&label, &document));
            ingested.statements.extend(vex::cyclonedx(&label, &document));
        } else if document.get("spdxVersion").is_some() {
            ingested.dependencies.extend(sbom::spdx(&label, &document));
        } else if vex::is_openvex(&document) {
            ingested.statements.extend(vex::openvex(path, &document)?);
        } else {
            return Err(IngestError::invalid(
                path,
                "not SARIF 2.1.0, a CycloneDX or SPDX SBOM, or an OpenVEX document",
            ));
        }
    }
    let mut seen = std::collections::HashSet::new();
    ingested.findings.retain(|f| seen.insert(f.fingerprint.clone()));
    Ok(ingested)
}
