//! The terminal summary: what was assessed, findings per band, the top of the roadmap, and what was not
//! checked. Colour is optional and never the only signal (bands are spelled out).

use std::fmt::Write;

use vigil_core::{Assessment, Band, Level};

use crate::sanitize::terminal as clean;

#[derive(Debug, Clone)]
pub struct Options {
    pub color: bool,
    /// How many actions to list.
    pub top: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            color: false,
            top: 10,
        }
    }
}

pub fn render(a: &Assessment, options: &Options) -> String {
    let mut out = String::new();
    let paint = |band: Band, text: &str| -> String {
        if !options.color {
            return text.to_owned();
        }
        let code = match band {
            Band::Critical => "1;31",
            Band::High => "31",
            Band::Medium => "33",
            Band::Low => "36",
        };
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    };

    let name = a.scope.name.as_deref().unwrap_or("assessment");
    let commit = a
        .target
        .commit
        .as_deref()
        .map(|c| format!(" · commit {}", &c[..c.len().min(12)]))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "vigil {} · {} ({}) · as of {}{commit}",
        a.tool.version,
        clean(name),
        clean(&a.target.path),
        vigil_core::date::format(a.as_of)
    );
    let _ = writeln!(
        out,
        "  {} assets · {} components · {} data flows · {} trust boundaries",
        a.inventory.assets.len(),
        a.model.components.len(),
        a.model.flows.len(),
        a.model.boundaries.len()
    );
    match &a.advisory_db {
        Some(db) => {
            let counts: Vec<String> = db
                .ecosystems
                .iter()
                .map(|(eco, n)| format!("{eco} {n}"))
                .collect();
            let _ = writeln!(out, "  advisories: {} ({})", clean(&db.source), counts.join(", "));
        }
        None => {
            let _ = writeln!(
                out,
                "  advisories: none loaded: dependency vulnerabilities were not checked"
            );
        }
    }

    let bands: Vec<String> = Band::ALL
        .iter()
        .map(|band| {
            let count = a.summary.findings_by_band.get(band).copied().unwrap_or(0);
            paint(*band, &format!("{count} {band}"))
        })
        .collect();
    let _ = writeln!(
        out,
        "\nFindings: {}  ({} total)",
        bands.join(" · "),
        a.summary.findings
    );
    let mut decided: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for finding in a.findings.iter().filter(|f| f.status != vigil_core::Status::Open) {
        *decided.entry(finding.status.as_str()).or_default() += 1;
    }
    if !decided.is_empty() {
        let parts: Vec<String> = decided
            .iter()
            .map(|(status, n)| format!("{n} {}", status.replace('_', " ")))
            .collect();
        let _ = writeln!(
            out,
            "  not on the roadmap: {} (see the JSON or Markdown report for who decided and why)",
            parts.join(" · ")
        );
    }
    if a.summary.advisory_warnings > 0 {
        let _ = writeln!(
            out,
            "  plus {} informational advisories (unmaintained, unsound...) kept apart",
            a.summary.advisory_warnings
        );
    }

    let actions = &a.roadmap.actions;
    if actions.is_empty() {
        let _ = writeln!(out, "\nRoadmap: nothing to do for what was checked.");
    } else {
        let shown = actions.len().min(options.top);
        let _ = writeln!(
            out,
            "\nRoadmap (top {shown} of {} actions, ranked by band then risk removed)",
            actions.len()
        );
        let _ = writeln!(
            out,
            "  {:>3}  {:<8}  {:>5}  {:<10}  {:<22}  ACTION",
            "#", "BAND", "RISK", "DUE", "OWNER"
        );
        for (i, action) in actions.iter().take(shown).enumerate() {
            let owner = action
                .owner
                .as_ref()
                .map_or("(unowned)".to_owned(), |o| o.name.clone());
            let band = paint(action.band, &format!("{:<8}", action.band.as_str()));
            let _ = writeln!(
                out,
                "  {:>3}  {band}  {:>5}  {}  {:<22}  {}",
                i + 1,
                action.risk_removed,
                vigil_core::date::format(action.due),
                clean(&owner),
                clean(&action.title)
            );
            let findings = action.findings.len();
            let location = a
                .findings
                .iter()
                .find(|f| action.findings.first() == Some(&f.id))
                .and_then(|f| f.evidence.first())
                .map(|e| e.location())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:>3}  {:<8}  {:>5}  {:<10}  {:<22}  {} · {findings} finding{}",
                "",
                "",
                "",
                "",
                "",
                clean(&location),
                if findings == 1 { "" } else { "s" }
            );
        }
    }

    if !a.coverage.not_checked.is_empty() {
        let _ = writeln!(out, "\nNot checked ({}):", a.coverage.not_checked.len());
        for item in a.coverage.not_checked.iter().take(15) {
            let _ = writeln!(out, "  - {}: {}", clean(&item.what), clean(&item.why));
        }
        if a.coverage.not_checked.len() > 15 {
            let _ = writeln!(
                out,
                "  - ... {} more (see --format json)",
                a.coverage.not_checked.len() - 15
            );
        }
    }

    let errors = a.diagnostics.iter().filter(|d| d.level == Level::Error).count();
    let warnings = a.diagnostics.iter().filter(|d| d.level == Level::Warning).count();
    if errors + warnings > 0 {
        let _ = writeln!(out, "\nDiagnostics: {errors} errors, {warnings} warnings");
        for diagnostic in a.diagnostics.iter().filter(|d| d.level != Level::Info).take(10) {
            let _ = writeln!(out, "  {}", clean(&diagnostic.to_string()));
        }
    }
    out
}
