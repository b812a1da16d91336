//! The Markdown report: a summary, the ranked roadmap with runbooks, every finding with its score
//! explained, and what was not checked. Sized for a pull-request comment: GitHub refuses comments over
//! 65,536 characters, so the report keeps to [`BUDGET`], dropping the least urgent runbooks and score
//! explanations first and saying how many it left out.

use std::fmt::Write;

use vigil_core::{Assessment, Band, Dimension, Finding, Status};

use crate::sanitize::{cell, terminal as clean};

/// Characters the report may take: under GitHub's 65,536 limit for a comment, with room for a header a
/// bot may add.
pub const BUDGET: usize = 60_000;

/// Sections that may be cut, in order of importance, each with a closing line saying what was left out.
struct Budgeted {
    out: String,
    left_out: Vec<String>,
}

impl Budgeted {
    /// Appends pieces while they fit in what is left of the budget after `reserve`; counts the rest.
    fn extend(&mut self, pieces: Vec<String>, reserve: usize, what: &str) {
        let total = pieces.len();
        let mut kept = 0;
        for piece in pieces {
            if self.out.len() + piece.len() + reserve > BUDGET {
                break;
            }
            self.out.push_str(&piece);
            kept += 1;
        }
        if kept < total {
            self.left_out.push(format!("{} {what}", total - kept));
        }
    }
}

pub fn render(a: &Assessment) -> String {
    let mut out = String::new();
    let name = a.scope.name.as_deref().unwrap_or("assessment");
    let _ = writeln!(out, "# Threat assessment: {}\n", clean(name));
    let _ = writeln!(
        out,
        "vigil {} · `{}` · as of {}{}\n",
        a.tool.version,
        clean(&a.target.path),
        vigil_core::date::format(a.as_of),
        a.target
            .commit
            .as_deref()
            .map(|c| format!(" · commit `{c}`"))
            .unwrap_or_default()
    );
    if !a.scope.objectives.is_empty() {
        let objectives: Vec<&str> = a.scope.objectives.iter().map(|o| o.as_str()).collect();
        let _ = writeln!(out, "Objectives in scope: {}\n", objectives.join(", "));
    }

    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(out, "| Band | Findings | Actions |\n|---|---:|---:|");
    for band in Band::ALL {
        let _ = writeln!(
            out,
            "| {band} | {} | {} |",
            a.summary.findings_by_band.get(&band).copied().unwrap_or(0),
            a.summary.actions_by_band.get(&band).copied().unwrap_or(0)
        );
    }
    let _ = writeln!(
        out,
        "\n{} assets, {} components, {} data flows, {} trust boundaries. {} informational advisories.\n",
        a.inventory.assets.len(),
        a.model.components.len(),
        a.model.flows.len(),
        a.model.boundaries.len(),
        a.summary.advisory_warnings
    );

    let _ = writeln!(out, "## Roadmap\n");
    let mut runbooks = Vec::new();
    if a.roadmap.actions.is_empty() {
        let _ = writeln!(out, "Nothing to do for what was checked.\n");
    } else {
        let _ = writeln!(
            out,
            "| # | Band | Risk removed | Due | Owner | Action |\n|---:|---|---:|---|---|---|"
        );
        for (i, action) in a.roadmap.actions.iter().enumerate() {
            let owner = action
                .owner
                .as_ref()
                .map_or("unowned".to_owned(), |o| o.name.clone());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                i + 1,
                action.band,
                action.risk_removed,
                vigil_core::date::format(action.due),
                cell(&owner),
                cell(&action.title)
            );
        }
        let _ = writeln!(out);
        runbooks = a
            .roadmap
            .actions
            .iter()
            .enumerate()
            .map(|(i, action)| runbook(i, action))
            .collect();
    }

    let mut tail = String::new();
    if !a.coverage.not_checked.is_empty() {
        let _ = writeln!(tail, "## Not checked\n");
        for item in &a.coverage.not_checked {
            let _ = writeln!(tail, "- {}: {}", clean(&item.what), clean(&item.why));
        }
        let _ = writeln!(tail);
    }
    if !a.diagnostics.is_empty() {
        let _ = writeln!(tail, "## Diagnostics\n");
        for diagnostic in &a.diagnostics {
            let _ = writeln!(tail, "- {}", clean(&diagnostic.to_string()));
        }
        let _ = writeln!(tail);
    }

    let open: Vec<&Finding> = a.findings.iter().filter(|f| f.status == Status::Open).collect();
    let triaged: Vec<&Finding> = a.findings.iter().filter(|f| f.status != Status::Open).collect();
    let mut findings = String::new();
    let _ = writeln!(findings, "## Findings\n");
    if open.is_empty() {
        let _ = writeln!(findings, "No open findings.\n");
    } else {
        let _ = writeln!(
            findings,
            "| Id | Band | RPN | L×I×D | Kind | Finding | Where |\n|---|---|---:|---|---|---|---|"
        );
        for f in &open {
            let location = f.evidence.first().map(|e| e.location()).unwrap_or_default();
            let _ = writeln!(
                findings,
                "| {} | {} | {} | {}×{}×{} | {} | {} | `{}` |",
                f.id,
                f.score.band,
                f.score.rpn,
                f.score.likelihood,
                f.score.impact,
                f.score.detectability,
                f.kind.as_str(),
                cell(&f.title),
                cell(&location)
            );
        }
        let _ = writeln!(findings);
    }
    if !triaged.is_empty() {
        let _ = writeln!(
            findings,
            "### Triaged\n\n| Id | Status | Finding | Owner | Until | Reason |\n|---|---|---|---|---|---|"
        );
        for f in &triaged {
            let decision = f.decision.as_ref();
            let _ = writeln!(
                findings,
                "| {} | {} | {} | {} | {} | {} |",
                f.id,
                f.status.as_str(),
                cell(&f.title),
                cell(decision.and_then(|d| d.owner.as_deref()).unwrap_or("")),
                decision
                    .and_then(|d| d.expires)
                    .map(vigil_core::date::format)
                    .unwrap_or_default(),
                cell(
                    decision
                        .and_then(|d| d.statement.as_deref())
                        .or(decision.map(|d| d.source.as_str()))
                        .unwrap_or("")
                )
            );
        }
        let _ = writeln!(findings);
    }

    // The tables and the tail are always kept (a row is short); runbooks and explanations fill the rest.
    const CLOSING: usize = 400;
    let fixed = out.len() + findings.len() + tail.len() + CLOSING;
    let mut budgeted = Budgeted {
        out,
        left_out: Vec::new(),
    };
    budgeted.extend(runbooks, findings.len() + tail.len() + CLOSING, "runbooks");
    budgeted.out.push_str(&findings);
    if !open.is_empty() {
        budgeted
            .out
            .push_str("<details><summary>Why each score</summary>\n\n");
        let explanations: Vec<String> = open.iter().map(|f| explain(f)).collect();
        budgeted.extend(explanations, tail.len() + CLOSING, "score explanations");
        budgeted.out.push_str("</details>\n\n");
    }
    budgeted.out.push_str(&tail);
    if !budgeted.left_out.is_empty() || fixed > BUDGET {
        let _ = writeln!(
            budgeted.out,
            "_Shortened to fit a pull-request comment ({} left out): `vigil assess --format html` or `--format json` has everything._",
            budgeted.left_out.join(", ")
        );
    }
    budgeted.out
}

fn runbook(i: usize, action: &vigil_core::Action) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {}. {}\n", i + 1, clean(&action.title));
    let _ = writeln!(
        out,
        "Band **{}** · due {} ({} days) · resolves {} · `{}`\n",
        action.band,
        vigil_core::date::format(action.due),
        action.sla_days,
        action.findings.join(", "),
        action.id
    );
    for step in &action.runbook.steps {
        let _ = writeln!(out, "1. {}", clean(step));
    }
    if !action.runbook.verify.is_empty() {
        let _ = writeln!(out, "\nVerify:");
        for check in &action.runbook.verify {
            let _ = writeln!(out, "- {}", clean(check));
        }
    }
    if !action.compliance.is_empty() {
        let _ = writeln!(out, "\nCompliance: {}", clean(&action.compliance.join("; ")));
    }
    let _ = writeln!(out);
    out
}

fn explain(f: &Finding) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "**{}** {} (RPN {} = {}×{}×{}{})\n",
        f.id,
        clean(&f.title),
        f.score.rpn,
        f.score.likelihood,
        f.score.impact,
        f.score.detectability,
        f.score
            .band_from
            .as_deref()
            .map(|by| format!(", band set by {}", clean(by)))
            .unwrap_or_default()
    );
    for dimension in [Dimension::Likelihood, Dimension::Impact, Dimension::Detectability] {
        let parts: Vec<String> = f
            .score
            .factors
            .iter()
            .filter(|factor| factor.dimension == dimension)
            .map(|factor| {
                let weight = if (factor.weight - 1.0).abs() > f32::EPSILON {
                    format!(" ×{}", factor.weight)
                } else {
                    String::new()
                };
                format!(
                    "{} {:+}{weight} ({})",
                    factor.name,
                    factor.value,
                    clean(&factor.evidence)
                )
            })
            .collect();
        let _ = writeln!(out, "- {dimension:?}: {}", parts.join("; "));
    }
    for decision in &f.score.decisions {
        let inputs: Vec<String> = decision
            .inputs
            .iter()
            .map(|i| {
                format!(
                    "{} {}{}",
                    i.name,
                    i.value,
                    if i.assumed { " (assumed)" } else { "" }
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "- {}: **{}** ({})",
            decision.policy,
            clean(&decision.outcome),
            inputs.join(", ")
        );
    }
    for assumption in &f.score.assumptions {
        let _ = writeln!(out, "- assumed: {}", clean(assumption));
    }
    let _ = writeln!(out);
    out
}
