//! CSV: one row per finding, riskiest first, with the roadmap action that resolves it, for spreadsheets and
//! ticket imports. RFC 4180 quoting; and because titles and paths come from the assessed repository, a cell
//! a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with
//! `'` (OWASP's CSV injection advice).

use std::collections::HashMap;

use vigil_core::{Action, Assessment, Finding};

const HEADER: [&str; 20] = [
    "fingerprint",
    "kind",
    "rule",
    "advisories",
    "title",
    "band",
    "rpn",
    "likelihood",
    "impact",
    "detectability",
    "confidence",
    "status",
    "location",
    "components",
    "cwe",
    "stride",
    "action",
    "owner",
    "due",
    "remediation",
];

pub fn render(assessment: &Assessment) -> String {
    let actions: HashMap<&str, &Action> = assessment
        .roadmap
        .actions
        .iter()
        .flat_map(|a| a.findings.iter().map(move |f| (f.as_str(), a)))
        .collect();
    let mut findings: Vec<&Finding> = assessment.findings.iter().collect();
    findings.sort_by(|a, b| {
        b.score
            .rpn
            .cmp(&a.score.rpn)
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    let mut out = row(HEADER.iter().map(|h| (*h).to_owned()));
    for finding in findings {
        let action = actions.get(finding.id.as_str());
        out.push_str(&row([
            finding.fingerprint.clone(),
            finding.kind.as_str().to_owned(),
            finding.rule_id.clone().unwrap_or_default(),
            finding.advisory_ids.join(" "),
            finding.title.clone(),
            finding.score.band.as_str().to_owned(),
            finding.score.rpn.to_string(),
            finding.score.likelihood.to_string(),
            finding.score.impact.to_string(),
            finding.score.detectability.to_string(),
            label(serde_json::to_value(finding.score.confidence)),
            label(serde_json::to_value(finding.status)),
            finding.evidence.first().map(|e| e.location()).unwrap_or_default(),
            finding.components.join(" "),
            finding.cwe.join(" "),
            finding
                .stride
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            action.map(|a| a.title.clone()).unwrap_or_default(),
            action
                .and_then(|a| a.owner.as_ref())
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            action.map(|a| a.due.to_string()).unwrap_or_default(),
            finding.remediation.clone(),
        ]));
    }
    out
}

/// The serde name of a value (`not-affected`, `high`), as the JSON report spells it.
fn label(value: serde_json::Result<serde_json::Value>) -> String {
    value
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn row(cells: impl IntoIterator<Item = String>) -> String {
    let mut line = cells.into_iter().map(|c| cell(&c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn quoting_and_formula_injection() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell(""), "");
    }
}
