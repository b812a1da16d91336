//! The Markdown report: a summary, the ranked roadmap with runbooks, every finding with its score
//! explained, and what was not checked. Sized to paste into a wiki page or a pull request.

use std::fmt::Write;

use vigil_core::{Assessment, Band, Dimension, Finding};

use crate::sanitize::{cell, terminal as clean};

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
        for (i, action) in a.roadmap.actions.iter().enumerate() {
            let _ = writeln!(out, "\n### {}. {}\n", i + 1, clean(&action.title));
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
        }
        let _ = writeln!(out);
    }

    let _ = writeln!(out, "## Findings\n");
    if a.findings.is_empty() {
        let _ = writeln!(out, "None.\n");
    } else {
        let _ = writeln!(
            out,
            "| Id | Band | RPN | L×I×D | Kind | Finding | Where |\n|---|---|---:|---|---|---|---|"
        );
        for f in &a.findings {
            let location = f.evidence.first().map(|e| e.location()).unwrap_or_default();
            let _ = writeln!(
                out,
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
        let _ = writeln!(out, "\n<details><summary>Why each score</summary>\n");
        for f in &a.findings {
            explain(&mut out, f);
        }
        let _ = writeln!(out, "</details>\n");
    }

    if !a.coverage.not_checked.is_empty() {
        let _ = writeln!(out, "## Not checked\n");
        for item in &a.coverage.not_checked {
            let _ = writeln!(out, "- {}: {}", clean(&item.what), clean(&item.why));
        }
        let _ = writeln!(out);
    }
    if !a.diagnostics.is_empty() {
        let _ = writeln!(out, "## Diagnostics\n");
        for diagnostic in &a.diagnostics {
            let _ = writeln!(out, "- {}", clean(&diagnostic.to_string()));
        }
        let _ = writeln!(out);
    }
    out
}

fn explain(out: &mut String, f: &Finding) {
    let _ = writeln!(
        out,
        "**{}** {} (RPN {} = {}×{}×{})\n",
        f.id,
        clean(&f.title),
        f.score.rpn,
        f.score.likelihood,
        f.score.impact,
        f.score.detectability
    );
    for dimension in [Dimension::Likelihood, Dimension::Impact, Dimension::Detectability] {
        let parts: Vec<String> = f
            .score
            .factors
            .iter()
            .filter(|factor| factor.dimension == dimension)
            .map(|factor| format!("{} {:+} ({})", factor.name, factor.value, clean(&factor.evidence)))
            .collect();
        let _ = writeln!(out, "- {dimension:?}: {}", parts.join("; "));
    }
    for assumption in &f.score.assumptions {
        let _ = writeln!(out, "- assumed: {}", clean(assumption));
    }
    let _ = writeln!(out);
}
