//! The design report: what was extracted (each fact with its line and phrase), the threats the rules find
//! on the planned feature ranked by likelihood x impact, and the security requirements they imply, one per
//! rule, from its remediation, fix steps, verification and ASVS/compliance references. As Markdown for a
//! design review, or as JSON with stable field names.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;
use vigil_core::{ComponentKind, Finding, Status, SystemModel};

use super::components::PlannedComponent;
use super::document::{Document, SourceFormat};
use super::extract::{Fact, FactKind, FactSource, FactStatus};
use super::merge::{Extended, Merged};

/// What a rule says about itself, for the "why" of a threat (the caller looks rules up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleNote {
    pub title: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// `REQ-1`, in the order of the threats.
    pub id: String,
    pub rule_id: String,
    /// The rule's one-line remediation, stated as what the feature must do.
    pub requirement: String,
    pub steps: Vec<String>,
    pub verify: Vec<String>,
    /// ASVS references and compliance requirements (`pci-dss-4.0: 6.4.1`).
    pub references: Vec<String>,
    /// Planned components it applies to (names).
    pub components: Vec<String>,
    /// Findings it answers.
    pub findings: Vec<String>,
    /// Every finding it answers is already mitigated by a control the document promises.
    pub promised: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub document: Document,
    /// The repository the plan was merged over, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Planned components that turned out to exist in the repository.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extended: Vec<Extended>,
    pub components: Vec<PlannedComponent>,
    pub facts: Vec<Fact>,
    /// The planned model on its own (components, flows, boundaries), before merging.
    pub model: SystemModel,
    /// The plan's findings, highest likelihood x impact first.
    pub findings: Vec<Finding>,
    pub requirements: Vec<Requirement>,
    /// The rules behind the findings.
    pub rules: BTreeMap<String, RuleNote>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The findings that are the plan's: about a component it adds or changes, or citing the document, and
/// not already raised on the repository before the plan (`baseline` fingerprints). Ranked by likelihood
/// x impact, highest first.
pub fn plan_findings(
    findings: Vec<Finding>,
    baseline: &BTreeSet<String>,
    merged: &Merged,
    document_path: &str,
) -> Vec<Finding> {
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| !baseline.contains(&f.fingerprint))
        .filter(|f| {
            f.components.iter().any(|c| merged.touched.contains(c))
                || f.evidence.iter().any(|e| e.path == document_path)
        })
        .collect();
    kept.sort_by(|a, b| {
        risk(b)
            .cmp(&risk(a))
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    kept
}

/// Likelihood x impact: the scored values, or the rule's bases before scoring.
pub fn risk(finding: &Finding) -> u16 {
    let (l, i) = likelihood_impact(finding);
    u16::from(l) * u16::from(i)
}

fn likelihood_impact(finding: &Finding) -> (u8, u8) {
    if finding.score.likelihood > 0 {
        return (finding.score.likelihood, finding.score.impact);
    }
    (
        finding.hints.likelihood.as_ref().map_or(0, |(l, _)| *l),
        finding.hints.impact.as_ref().map_or(0, |(i, _)| *i),
    )
}

/// One requirement per rule, in the order of its first (highest-ranked) finding.
pub fn requirements(findings: &[Finding], model: &SystemModel) -> Vec<Requirement> {
    let mut out: Vec<Requirement> = Vec::new();
    for finding in findings {
        let Some(rule) = finding.rule_id.clone() else {
            continue;
        };
        let names: Vec<String> = finding
            .components
            .iter()
            .map(|id| model.component(id).map_or_else(|| id.clone(), |c| c.name.clone()))
            .collect();
        let mitigated = finding.status == Status::Mitigated;
        if let Some(existing) = out.iter_mut().find(|r| r.rule_id == rule) {
            for name in names {
                if !existing.components.contains(&name) {
                    existing.components.push(name);
                }
            }
            existing.findings.push(finding.id.clone());
            existing.promised &= mitigated;
            continue;
        }
        let guidance = &finding.guidance;
        let mut references: Vec<String> = guidance
            .references
            .iter()
            .filter(|r| r.contains("ASVS"))
            .cloned()
            .collect();
        references.extend(
            guidance
                .compliance
                .iter()
                .map(|(objective, requirement)| format!("{}: {requirement}", objective.as_str())),
        );
        references.dedup();
        out.push(Requirement {
            id: format!("REQ-{}", out.len() + 1),
            rule_id: rule,
            requirement: if finding.remediation.is_empty() {
                finding.title.clone()
            } else {
                finding.remediation.clone()
            },
            steps: guidance.steps.clone(),
            verify: guidance.verify.clone(),
            references,
            components: names,
            findings: vec![finding.id.clone()],
            promised: mitigated,
        });
    }
    out
}

pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let doc = &report.document;
    let _ = writeln!(out, "# Design threat model: {}\n", doc.title);
    let key = doc.key.as_deref().map(|k| format!(" {k}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "{}{key} `{}` · {} lines read",
        doc.format.label(),
        doc.path,
        doc.lines.len()
    );
    match &report.repository {
        Some(repo) => {
            let _ = writeln!(out, "Merged over the current model of `{repo}`.");
        }
        None => {
            let _ = writeln!(out, "No repository: the planned model stands on its own.");
        }
    }
    let _ = writeln!(
        out,
        "{}\n",
        match doc.format {
            SourceFormat::Markdown => "Line numbers are the file's lines.",
            _ => "Line numbers count the issue's text: line 1 is the title, the body starts on line 2.",
        }
    );
    components(&mut out, report);
    flows(&mut out, report);
    facts(&mut out, report);
    threats(&mut out, report);
    requirements_md(&mut out, report);
    not_applied(&mut out, report);
    if !report.warnings.is_empty() {
        out.push_str("## Warnings\n\n");
        for warning in &report.warnings {
            let _ = writeln!(out, "- {warning}");
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn name_of<'a>(report: &'a Report, id: &'a str) -> &'a str {
    report
        .model
        .component(id)
        .map(|c| c.name.as_str())
        .or_else(|| {
            report
                .components
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.name.as_str())
        })
        .unwrap_or(id)
}

fn components(out: &mut String, report: &Report) {
    out.push_str("## Planned components\n\n");
    out.push_str("| Component | Kind | Internet-facing | Data | Capabilities | Controls promised |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for component in report.model.components.iter().filter(|c| c.id != "internet") {
        let kind = match component.kind {
            ComponentKind::Process => "process",
            ComponentKind::Datastore => "datastore",
            ComponentKind::ExternalEntity => "external entity",
        };
        let assumed = if component.assumed { " (assumed)" } else { "" };
        let list = |items: Vec<&str>| {
            if items.is_empty() {
                "-".to_owned()
            } else {
                items.join(", ")
            }
        };
        let _ = writeln!(
            out,
            "| {}{assumed} `{}` | {kind} | {} | {} | {} | {} |",
            cell(&component.name),
            component.id,
            if component.internet_facing { "yes" } else { "no" },
            list(component.data_classes.iter().map(|c| c.as_str()).collect()),
            list(component.capabilities.iter().map(|c| c.kind.as_str()).collect()),
            list(component.controls.iter().map(|c| c.name.as_str()).collect()),
        );
    }
    out.push('\n');
    for extended in &report.extended {
        let _ = writeln!(
            out,
            "`{}` is the existing `{}` ({}): the plan extends it.",
            extended.planned, extended.existing, extended.name
        );
    }
    if !report.extended.is_empty() {
        out.push('\n');
    }
}

fn flows(out: &mut String, report: &Report) {
    if report.model.flows.is_empty() {
        return;
    }
    out.push_str("## Planned flows\n\n");
    for flow in &report.model.flows {
        let data = if flow.data_classes.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                flow.data_classes
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let assumed = if flow.assumed { " (assumed)" } else { "" };
        let _ = writeln!(
            out,
            "- {} → {}: {}{data}{assumed}",
            name_of(report, &flow.source),
            name_of(report, &flow.target),
            flow.label
        );
    }
    out.push('\n');
}

fn line_of(at: Option<u32>) -> String {
    at.map_or_else(|| "labels".to_owned(), |l| l.to_string())
}

fn facts(out: &mut String, report: &Report) {
    let applied: Vec<&Fact> = report
        .facts
        .iter()
        .filter(|f| f.status == FactStatus::Applied)
        .collect();
    let _ = writeln!(out, "## Extracted facts ({})\n", applied.len());
    out.push_str("| Line | Fact | On | Phrase |\n|---|---|---|---|\n");
    let mut sorted = applied;
    sorted.sort_by_key(|f| (f.at.line.unwrap_or(u32::MAX), f.kind, f.value.clone()));
    for fact in sorted {
        let on = match (fact.kind, &fact.component) {
            (FactKind::Component, _) | (_, None) => String::new(),
            (_, Some(id)) => name_of(report, id).to_owned(),
        };
        let also = if fact.also.is_empty() {
            String::new()
        } else {
            format!(
                " (also line {})",
                fact.also
                    .iter()
                    .map(|a| line_of(a.line))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let source = match fact.source {
            FactSource::Lexicon => "",
            FactSource::Llm => " · suggested by LLM",
        };
        let _ = writeln!(
            out,
            "| {} | {} `{}` | {} | \"{}\"{also}{source} |",
            line_of(fact.at.line),
            fact.kind.as_str(),
            cell(&fact.value),
            cell(&on),
            cell(&fact.at.phrase),
        );
    }
    out.push('\n');
}

fn threats(out: &mut String, report: &Report) {
    let _ = writeln!(out, "## Threats ({})\n", report.findings.len());
    if report.findings.is_empty() {
        out.push_str("No threat rule fires on the planned feature.\n\n");
        return;
    }
    for (rank, finding) in report.findings.iter().enumerate() {
        let (l, i) = likelihood_impact(finding);
        let rule = finding.rule_id.as_deref().unwrap_or("-");
        let stride: Vec<&str> = finding.stride.iter().map(|s| s.as_str()).collect();
        let status = match finding.status {
            Status::Open => "open",
            Status::Mitigated => "mitigated by a promised control",
            Status::Accepted => "accepted",
            Status::NotAffected => "not affected",
            Status::FalsePositive => "false positive",
        };
        let _ = writeln!(out, "### {}. {}\n", rank + 1, finding.title);
        let _ = writeln!(
            out,
            "`{rule}` · STRIDE: {} · likelihood {l} × impact {i} = {} · {status}\n",
            if stride.is_empty() {
                "-".to_owned()
            } else {
                stride.join(", ")
            },
            u16::from(l) * u16::from(i)
        );
        let _ = writeln!(out, "Why: {}", finding.description);
        if let Some(note) = report.rules.get(rule) {
            let _ = writeln!(out, "{}", note.why);
        }
        if let Some(statement) = finding.decision.as_ref().and_then(|d| d.statement.as_deref()) {
            let _ = writeln!(out, "\nMitigation: {statement}");
        }
        out.push_str("\nEvidence:\n");
        for evidence in finding.evidence.iter().take(6) {
            match &evidence.note {
                Some(note) => {
                    let _ = writeln!(out, "- {} — {note}", evidence.location());
                }
                None => {
                    let _ = writeln!(out, "- {}", evidence.location());
                }
            }
        }
        out.push('\n');
    }
}

fn requirements_md(out: &mut String, report: &Report) {
    out.push_str("## Security requirements\n\n");
    if report.requirements.is_empty() {
        out.push_str("None derived: no rule fired.\n\n");
        return;
    }
    for requirement in &report.requirements {
        let promised = if requirement.promised {
            " (the document already promises a control for it)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{}. **{}** `{}` · {}{promised}",
            requirement.id.trim_start_matches("REQ-"),
            requirement.requirement,
            requirement.rule_id,
            requirement.components.join(", ")
        );
        for step in &requirement.steps {
            let _ = writeln!(out, "   - {step}");
        }
        for check in &requirement.verify {
            let _ = writeln!(out, "   - Verify: {check}");
        }
        if !requirement.references.is_empty() {
            let _ = writeln!(out, "   - References: {}", requirement.references.join("; "));
        }
    }
    out.push('\n');
}

fn not_applied(out: &mut String, report: &Report) {
    let skipped: Vec<&Fact> = report
        .facts
        .iter()
        .filter(|f| f.status != FactStatus::Applied)
        .collect();
    let defaulted: Vec<&Fact> = report
        .facts
        .iter()
        .filter(|f| f.status == FactStatus::Applied && f.by_default)
        .collect();
    if skipped.is_empty() && defaulted.is_empty() {
        return;
    }
    out.push_str("## What the lexicon could not place\n\n");
    for fact in skipped {
        let why = match fact.status {
            FactStatus::Negated => "negated, not applied",
            FactStatus::Question => "asked as a question, not applied",
            FactStatus::NotPlanned => "under a non-goal / out-of-scope / alternatives heading, not applied",
            FactStatus::Applied => "",
        };
        let _ = writeln!(
            out,
            "- line {}: {} `{}` — {why} (\"{}\")",
            line_of(fact.at.line),
            fact.kind.as_str(),
            fact.value,
            fact.at.phrase
        );
    }
    if let Some(primary) = report.components.iter().find(|c| c.primary)
        && !defaulted.is_empty()
    {
        let lines: BTreeSet<Option<u32>> = defaulted.iter().map(|f| f.at.line).collect();
        let _ = writeln!(
            out,
            "- {} fact(s) on lines {} name no component on the line or in its section: placed on {}, the \
             feature's main component; check them.",
            defaulted.len(),
            lines.into_iter().map(line_of).collect::<Vec<_>>().join(", "),
            primary.name
        );
    }
    out.push('\n');
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}
