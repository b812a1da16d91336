//! Every finding with its score explained: the factors behind each dimension, what was assumed for want of
//! input, where it was seen, and the decision that closed it, if one did.

use std::fmt::Write;

use vigil_core::{Assessment, Dimension, Finding, Status};

use super::escape::{Escaped, anchor, with_code_spans};
use super::palette::badge;

pub(super) fn write(out: &mut String, a: &Assessment) {
    if a.findings.is_empty() {
        out.push_str("<p>None.</p>\n");
        return;
    }
    let open = a.findings.iter().filter(|f| f.status == Status::Open).count();
    let _ = writeln!(
        out,
        "<p>{} findings, {open} open. RPN = likelihood × impact × detectability, each 1..10 and built from \
         the factors listed (detectability 10 means an attack would go unnoticed).</p>\n\
         <div class=\"findings\" data-filter=\"article.finding\">",
        a.findings.len()
    );
    for finding in &a.findings {
        write_finding(out, finding);
    }
    out.push_str("</div>\n");
}

fn write_finding(out: &mut String, f: &Finding) {
    let score = &f.score;
    let _ = writeln!(
        out,
        "<article class=\"finding\" id=\"{}\">\n<h3><code>{}</code> {}</h3>\n\
         <p class=\"facts\">{} RPN <strong>{}</strong> = L {} × I {} × D {} · {} · status {} · confidence {}</p>",
        anchor("finding", &f.id),
        Escaped(&f.id),
        Escaped(&f.title),
        badge(score.band),
        score.rpn,
        score.likelihood,
        score.impact,
        score.detectability,
        f.kind.as_str(),
        status(f.status),
        confidence(score.confidence)
    );
    if !f.evidence.is_empty() {
        let locations: Vec<String> = f
            .evidence
            .iter()
            .map(|e| format!("<code>{}</code>", Escaped(&e.location())))
            .collect();
        let _ = writeln!(out, "<p>Seen at {}</p>", locations.join(", "));
    }
    factors(out, f);
    decision_tables(out, f);
    if !score.assumptions.is_empty() {
        out.push_str("<ul class=\"assumptions\">\n");
        for assumption in &score.assumptions {
            let _ = writeln!(out, "<li>assumed: {}</li>", Escaped(assumption));
        }
        out.push_str("</ul>\n");
    }
    decision(out, f);
    out.push_str("</article>\n");
}

fn factors(out: &mut String, f: &Finding) {
    if f.score.factors.is_empty() {
        return;
    }
    out.push_str(
        "<table class=\"factors\">\n<thead><tr><th>Dimension</th><th>Factor</th><th class=\"num\">Value</th>\
         <th class=\"num\">Weight</th><th>Evidence</th></tr></thead>\n<tbody>\n",
    );
    for factor in &f.score.factors {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            dimension(factor.dimension),
            Escaped(&factor.name),
            factor.value,
            factor.weight,
            Escaped(&factor.evidence)
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The CISA SSVC and BOD 26-04 outcomes, each input with its evidence, and whether a table set the band.
fn decision_tables(out: &mut String, f: &Finding) {
    if f.score.decisions.is_empty() {
        return;
    }
    out.push_str("<ul class=\"decisions\">\n");
    for decision in &f.score.decisions {
        let inputs: Vec<String> = decision
            .inputs
            .iter()
            .map(|i| {
                format!(
                    "<span title=\"{}\">{} {}{}</span>",
                    Escaped(&i.evidence),
                    Escaped(&i.name),
                    Escaped(&i.value),
                    if i.assumed { " (assumed)" } else { "" }
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<li>{}: <strong>{}</strong> ({})</li>",
            Escaped(&decision.policy),
            Escaped(&decision.outcome),
            inputs.join(", ")
        );
    }
    if let Some(by) = &f.score.band_from {
        let _ = writeln!(out, "<li>band set by {}</li>", Escaped(by));
    }
    out.push_str("</ul>\n");
}

/// Who closed a finding that is not open, and why.
fn decision(out: &mut String, f: &Finding) {
    if f.status == Status::Open {
        return;
    }
    let Some(decision) = &f.decision else {
        let _ = writeln!(
            out,
            "<p class=\"decision\">Decision: {}, no recorded source.</p>",
            status(f.status)
        );
        return;
    };
    let _ = write!(
        out,
        "<p class=\"decision\">Decision: {} by <code>{}</code> ({}",
        status(f.status),
        Escaped(&decision.source),
        Escaped(&decision.vex_status)
    );
    if let Some(justification) = &decision.justification {
        let _ = write!(out, ", {}", Escaped(justification));
    }
    out.push(')');
    if let Some(owner) = &decision.owner {
        let _ = write!(out, ", owner {}", Escaped(owner));
    }
    if let Some(expires) = decision.expires {
        let _ = write!(out, ", until {}", vigil_core::date::format(expires));
    }
    if let Some(statement) = &decision.statement {
        let _ = write!(out, ": {}", with_code_spans(statement));
    }
    out.push_str("</p>\n");
}

/// The status in words (`not affected`, not `not_affected`).
fn status(status: Status) -> String {
    status.as_str().replace('_', " ")
}

fn dimension(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Likelihood => "likelihood",
        Dimension::Impact => "impact",
        Dimension::Detectability => "detectability",
    }
}

fn confidence(confidence: vigil_core::Confidence) -> &'static str {
    match confidence {
        vigil_core::Confidence::Low => "low",
        vigil_core::Confidence::Medium => "medium",
        vigil_core::Confidence::High => "high",
    }
}
