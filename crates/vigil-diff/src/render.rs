//! The threat delta as text: Markdown for a pull-request comment, and a terminal summary.
//!
//! The Markdown keeps under [`BUDGET`] (GitHub refuses comments over 65,536 characters): the findings and
//! risk sections are bounded (top [`TOP_FINDINGS`] each, cells shortened), and the material-changes table
//! takes the rest, then says how many changes of each kind it could not show. Text from the repository
//! (names, paths, titles) is cleaned of control characters and table syntax before it is written.

use std::collections::BTreeMap;
use std::fmt::Write;

use vigil_core::{Band, Evidence, Status};
use vigil_report::sanitize::{cell, terminal as clean};

use crate::{ChangeKind, FindingChange, MaterialChange, Side, ThreatDelta};

/// Characters the Markdown may take, leaving room under GitHub's limit for a bot's header.
pub const BUDGET: usize = 60_000;
/// New and fixed findings listed, riskiest first.
pub const TOP_FINDINGS: usize = 20;
/// Material changes the terminal lists before summarizing.
const TOP_CHANGES_TERMINAL: usize = 50;
/// Findings the terminal lists per side.
const TOP_FINDINGS_TERMINAL: usize = 10;
/// Longest title or detail a table cell shows.
const CELL_CHARS: usize = 240;

pub fn markdown(delta: &ThreatDelta) -> String {
    let mut head = String::new();
    let _ = writeln!(head, "# Threat delta\n");
    let _ = writeln!(head, "{}\n", sides(delta, true));
    let _ = writeln!(head, "{}\n", verdict(delta, true));

    let tail = findings_and_risk(delta);
    let mut out = head;
    if !delta.material_changes.is_empty() {
        let _ = writeln!(out, "## Material changes\n");
        let _ = writeln!(out, "| Change | What | Where | Detail |\n|---|---|---|---|");
        // Room for the line that says what was left out.
        let reserve = tail.len() + 400;
        let mut left_out: BTreeMap<ChangeKind, usize> = BTreeMap::new();
        for change in &delta.material_changes {
            let row = change_row(change);
            if left_out.is_empty() && out.len() + row.len() + reserve <= BUDGET {
                out.push_str(&row);
            } else {
                *left_out.entry(change.kind).or_default() += 1;
            }
        }
        if !left_out.is_empty() {
            let total: usize = left_out.values().sum();
            let kinds: Vec<String> = left_out
                .iter()
                .map(|(kind, n)| format!("{} {n}", kind.as_str()))
                .collect();
            let _ = writeln!(
                out,
                "\n{total} more material change(s) not shown ({}); `vigil diff --format json` lists them all.",
                kinds.join(", ")
            );
        }
        out.push('\n');
    }
    out.push_str(&tail);
    if out.len() > BUDGET {
        // Cells are bounded, so this only guards against a pathological input.
        let mut end = BUDGET;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        out.push_str("\n\n(cut to fit a comment)\n");
    }
    out
}

pub fn terminal(delta: &ThreatDelta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Threat delta · {}", sides(delta, false));
    let _ = writeln!(out, "{}", verdict(delta, false));
    for change in delta.material_changes.iter().take(TOP_CHANGES_TERMINAL) {
        let _ = writeln!(
            out,
            "  {:<30} {}",
            change.kind.as_str(),
            clean(&shorten(&change.title))
        );
        let place = change.evidence.first().map(Evidence::location);
        let detail = match place {
            Some(place) => format!("{place} · {}", change.detail),
            None => change.detail.clone(),
        };
        let _ = writeln!(out, "  {:<30} {}", "", clean(&shorten(&detail)));
    }
    if let Some(more) = delta
        .material_changes
        .len()
        .checked_sub(TOP_CHANGES_TERMINAL)
        .filter(|n| *n > 0)
    {
        let _ = writeln!(out, "  … {more} more (--format json lists them all)");
    }
    let _ = writeln!(out, "\nFindings: {}", counts(delta));
    for (label, findings) in [("new", &delta.findings.new), ("fixed", &delta.findings.fixed)] {
        for finding in findings.iter().take(TOP_FINDINGS_TERMINAL) {
            let _ = writeln!(
                out,
                "  {label:<6} {:<9} {:>4}  {} {}{}",
                finding.band.as_str(),
                finding.rpn,
                finding.id,
                clean(&shorten(&finding.title)),
                status_note(finding)
            );
        }
        if findings.len() > TOP_FINDINGS_TERMINAL {
            let _ = writeln!(
                out,
                "  {label:<6} … {} more",
                findings.len() - TOP_FINDINGS_TERMINAL
            );
        }
    }
    let risk = &delta.risk;
    let bands: Vec<String> = Band::ALL
        .iter()
        .map(|band| {
            format!(
                "{band} {}→{}",
                risk.old_by_band.get(band).copied().unwrap_or(0),
                risk.new_by_band.get(band).copied().unwrap_or(0)
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "\nRisk: RPN {} → {} ({}) · {}",
        risk.old_rpn,
        risk.new_rpn,
        signed(risk.rpn_delta),
        bands.join(" · ")
    );
    out
}

/// `old (commit) → new (commit) · as of DATE`, with the system's name.
fn sides(delta: &ThreatDelta, markdown: bool) -> String {
    let side = |side: &Side| {
        let label = if markdown {
            code(&side.label)
        } else {
            clean(&side.label)
        };
        match &side.commit {
            Some(commit) => {
                let short = &commit[..commit.len().min(12)];
                if markdown {
                    format!("{label} ({})", code(short))
                } else {
                    format!("{label} ({})", clean(short))
                }
            }
            None => label,
        }
    };
    let name = delta
        .name
        .as_deref()
        .map(|n| {
            if markdown {
                format!("**{}** · ", cell(n))
            } else {
                format!("{} · ", clean(n))
            }
        })
        .unwrap_or_default();
    format!(
        "{name}{} → {} · as of {}",
        side(&delta.old),
        side(&delta.new),
        clean(&delta.new.as_of)
    )
}

fn verdict(delta: &ThreatDelta, markdown: bool) -> String {
    let count = delta.material_changes.len();
    if !delta.reassessment_required {
        return "No material change: the threat model still describes the system.".into();
    }
    let mut kinds: BTreeMap<ChangeKind, usize> = BTreeMap::new();
    for change in &delta.material_changes {
        *kinds.entry(change.kind).or_default() += 1;
    }
    let kinds: Vec<String> = kinds
        .iter()
        .map(|(kind, n)| format!("{} {n}", kind.as_str()))
        .collect();
    let lead = if markdown {
        "**Reassessment required**"
    } else {
        "REASSESSMENT REQUIRED"
    };
    format!(
        "{lead}: {count} material change{} ({}).",
        if count == 1 { "" } else { "s" },
        kinds.join(", ")
    )
}

fn counts(delta: &ThreatDelta) -> String {
    let findings = &delta.findings;
    let mut text = format!(
        "{} new · {} fixed · {} still open",
        findings.new.len(),
        findings.fixed.len(),
        findings.still_open
    );
    if findings.moved > 0 {
        let _ = write!(text, " ({} moved with their files)", findings.moved);
    }
    if !findings.reopened.is_empty() {
        let _ = write!(text, " · {} reopened", findings.reopened.len());
    }
    text
}

fn change_row(change: &MaterialChange) -> String {
    let place = match change.evidence.as_slice() {
        [] => String::new(),
        [only] => code(&only.location()),
        [first, rest @ ..] => format!("{} (+{})", code(&first.location()), rest.len()),
    };
    format!(
        "| {} | {} | {place} | {} |\n",
        change.kind.as_str().replace('-', " "),
        cell(&shorten(&change.title)),
        cell(&shorten(&change.detail))
    )
}

/// The findings sections and the risk table: bounded, so the material changes can take what is left.
fn findings_and_risk(delta: &ThreatDelta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Findings\n\n{}\n", counts(delta));
    for (heading, findings) in [
        ("New findings", &delta.findings.new),
        ("Fixed findings", &delta.findings.fixed),
    ] {
        if findings.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {heading}\n");
        let _ = writeln!(out, "| Band | RPN | Finding | Where |\n|---|---:|---|---|");
        for finding in findings.iter().take(TOP_FINDINGS) {
            let _ = writeln!(
                out,
                "| {} | {} | {} {}{} | {} |",
                finding.band.as_str(),
                finding.rpn,
                finding.id,
                cell(&shorten(&finding.title)),
                status_note(finding),
                finding
                    .evidence
                    .as_ref()
                    .map(|e| code(&e.location()))
                    .unwrap_or_default()
            );
        }
        if findings.len() > TOP_FINDINGS {
            let _ = writeln!(
                out,
                "\nTop {TOP_FINDINGS} of {} by RPN; `vigil diff --format json` lists them all.",
                findings.len()
            );
        }
        out.push('\n');
    }
    let risk = &delta.risk;
    let _ = writeln!(out, "## Risk\n");
    let _ = writeln!(
        out,
        "| Open findings | Before | After | Change |\n|---|---:|---:|---:|"
    );
    let _ = writeln!(
        out,
        "| Total RPN | {} | {} | {} |",
        risk.old_rpn,
        risk.new_rpn,
        signed(risk.rpn_delta)
    );
    for band in Band::ALL {
        let before = risk.old_by_band.get(&band).copied().unwrap_or(0);
        let after = risk.new_by_band.get(&band).copied().unwrap_or(0);
        let change = i64::try_from(after).unwrap_or(i64::MAX) - i64::try_from(before).unwrap_or(i64::MAX);
        let _ = writeln!(out, "| {band} | {before} | {after} | {} |", signed(change));
    }
    out
}

fn status_note(finding: &FindingChange) -> String {
    match finding.status {
        Status::Open => String::new(),
        status => format!(" ({})", status.as_str().replace('_', " ")),
    }
}

fn signed(value: i64) -> String {
    if value > 0 {
        format!("+{value}")
    } else {
        value.to_string()
    }
}

/// Inline code in a table cell; text holding a backtick is written plain, since it would end the span.
fn code(text: &str) -> String {
    if text.contains('`') || text.is_empty() {
        cell(text)
    } else {
        format!("`{}`", cell(text))
    }
}

/// At most [`CELL_CHARS`] characters, with an ellipsis when cut.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(CELL_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FindingsDelta, RiskDelta};

    fn delta(changes: usize) -> ThreatDelta {
        let material_changes: Vec<MaterialChange> = (0..changes)
            .map(|i| MaterialChange {
                kind: ChangeKind::EndpointAdded,
                title: format!("GET /items/{i}|x added to api"),
                evidence: vec![Evidence::at("src/server.js", Some(3))],
                detail: "d".repeat(400),
                subject: format!("api-endpoint:api:GET /items/{i}"),
            })
            .collect();
        ThreatDelta {
            name: Some("shop".into()),
            old: Side {
                label: "HEAD~1".into(),
                commit: Some("a".repeat(40)),
                as_of: "2026-11-27".into(),
            },
            new: Side {
                label: "HEAD".into(),
                commit: None,
                as_of: "2026-11-27".into(),
            },
            reassessment_required: changes > 0,
            material_changes,
            findings: FindingsDelta::default(),
            risk: RiskDelta::default(),
        }
    }

    #[test]
    fn a_large_delta_fits_a_comment_and_says_what_it_left_out() {
        let text = markdown(&delta(2_000));
        assert!(text.len() <= BUDGET, "{}", text.len());
        assert!(text.contains("more material change(s) not shown (endpoint-added "));
        assert!(text.contains("## Risk"));
        assert!(text.contains("GET /items/0\\|x added to api"));
    }

    #[test]
    fn no_change_says_so() {
        let text = markdown(&delta(0));
        assert!(text.starts_with("# Threat delta\n"));
        assert!(text.contains("No material change"));
        assert!(!text.contains("## Material changes"));
        assert!(terminal(&delta(0)).contains("No material change"));
    }
}
