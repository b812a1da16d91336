//! The management summary: what was assessed, how much risk is open, what to do first, and how far the
//! numbers rest on assumptions.

use std::collections::BTreeMap;
use std::fmt::Write;

use vigil_core::{Assessment, Band, OwnerSource, Status};

use super::escape::{Escaped, anchor};
use super::palette::badge;

/// Actions named in the summary; the roadmap section has them all.
const TOP_ACTIONS: usize = 3;
/// Distinct assumptions listed in the confidence note, the most frequent first.
const TOP_ASSUMPTIONS: usize = 3;

pub(super) fn write(out: &mut String, a: &Assessment) {
    let _ = write!(
        out,
        "<p class=\"meta\">Scope <strong>{}</strong> · <code>{}</code> · as of <time>{}</time>",
        Escaped(super::scope_name(a)),
        Escaped(&a.target.path),
        vigil_core::date::format(a.as_of)
    );
    if let Some(commit) = &a.target.commit {
        let _ = write!(out, " · commit <code>{}</code>", Escaped(commit));
    }
    let _ = writeln!(
        out,
        " · {} {}</p>",
        Escaped(&a.tool.name),
        Escaped(&a.tool.version)
    );
    if a.scope.objectives.is_empty() {
        out.push_str("<p>No compliance objectives in scope.</p>\n");
    } else {
        let objectives: Vec<&str> = a.scope.objectives.iter().map(|o| o.as_str()).collect();
        let _ = writeln!(out, "<p>Objectives in scope: {}.</p>", objectives.join(", "));
    }
    risk_driver(out, a);
    out.push_str("<div class=\"columns\">\n");
    band_counts(out, a);
    top_actions(out, a);
    out.push_str("</div>\n");
    confidence(out, a);
}

/// One sentence on what drives the risk: the first action of the roadmap and its share of the open risk.
fn risk_driver(out: &mut String, a: &Assessment) {
    let Some(top) = a.roadmap.actions.first() else {
        out.push_str("<p class=\"lead\">No open finding calls for an action.</p>\n");
        return;
    };
    let open_risk: u32 = a
        .findings
        .iter()
        .filter(|f| f.status == Status::Open)
        .map(|f| u32::from(f.score.rpn))
        .sum();
    let _ = write!(
        out,
        "<p class=\"lead\">What drives the risk: <a href=\"#{}\">{}</a> {}",
        anchor("action", &top.id),
        Escaped(&top.title),
        badge(top.band)
    );
    if open_risk > 0 && top.risk_removed <= open_risk {
        let _ = write!(
            out,
            ". This first action removes {} of the {open_risk} risk points (sum of RPNs) of the open \
             findings ({}%).",
            top.risk_removed,
            u64::from(top.risk_removed) * 100 / u64::from(open_risk)
        );
    } else {
        out.push('.');
    }
    out.push_str("</p>\n");
}

fn band_counts(out: &mut String, a: &Assessment) {
    out.push_str(
        "<table class=\"counts\">\n<thead><tr><th>Band</th><th class=\"num\">Open findings</th>\
         <th class=\"num\">Actions</th></tr></thead>\n<tbody>\n",
    );
    let count = |map: &BTreeMap<Band, usize>, band: Band| map.get(&band).copied().unwrap_or(0);
    let (mut findings, mut actions) = (0, 0);
    for band in Band::ALL {
        let (f, n) = (
            count(&a.summary.findings_by_band, band),
            count(&a.summary.actions_by_band, band),
        );
        findings += f;
        actions += n;
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{f}</td><td class=\"num\">{n}</td></tr>",
            badge(band)
        );
    }
    let _ = writeln!(
        out,
        "</tbody>\n<tfoot><tr><th>Total</th><td class=\"num\">{findings}</td><td class=\"num\">{actions}</td>\
         </tr></tfoot>\n</table>"
    );
}

fn top_actions(out: &mut String, a: &Assessment) {
    if a.roadmap.actions.is_empty() {
        return;
    }
    out.push_str("<div>\n<h3>Do first</h3>\n<ol class=\"top-actions\">\n");
    for action in a.roadmap.actions.iter().take(TOP_ACTIONS) {
        let owner = match &action.owner {
            Some(owner) => format!(
                "<strong>{}</strong> ({})",
                Escaped(&owner.name),
                owner_source(owner.source)
            ),
            None => "no owner found".to_owned(),
        };
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a> {}<br>owner {owner}, due <time>{}</time></li>",
            anchor("action", &action.id),
            Escaped(&action.title),
            badge(action.band),
            vigil_core::date::format(action.due)
        );
    }
    out.push_str("</ol>\n</div>\n");
}

/// How many findings rest on assumptions, and the assumptions made most often: what better input would
/// make the ranking surer.
fn confidence(out: &mut String, a: &Assessment) {
    let assumed = a
        .findings
        .iter()
        .filter(|f| !f.score.assumptions.is_empty())
        .count();
    let _ = write!(
        out,
        "<p class=\"confidence\">Confidence: {assumed} of {} findings rest on assumptions (an input that was \
         missing is assumed and said, never scored as zero).",
        a.findings.len()
    );
    let not_checked = a.coverage.not_checked.len();
    if not_checked > 0 {
        let _ = write!(
            out,
            " {not_checked} thing{} could not be checked; see <a href=\"#coverage\">coverage</a>.",
            if not_checked == 1 { "" } else { "s" }
        );
    }
    out.push_str("</p>\n");
    let mut frequency: BTreeMap<&str, usize> = BTreeMap::new();
    for assumption in a.findings.iter().flat_map(|f| &f.score.assumptions) {
        *frequency.entry(assumption.as_str()).or_default() += 1;
    }
    if frequency.is_empty() {
        return;
    }
    let mut frequent: Vec<(&str, usize)> = frequency.into_iter().collect();
    // Most frequent first; equal counts keep text order, so the page is the same every time.
    frequent.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    out.push_str("<ul class=\"assumptions\">\n");
    for (assumption, count) in frequent.into_iter().take(TOP_ASSUMPTIONS) {
        let _ = writeln!(
            out,
            "<li>assumed for {count} finding{}: {}</li>",
            if count == 1 { "" } else { "s" },
            Escaped(assumption)
        );
    }
    out.push_str("</ul>\n");
}

pub(super) fn owner_source(source: OwnerSource) -> &'static str {
    match source {
        OwnerSource::Codeowners => "CODEOWNERS",
        OwnerSource::Git => "git history",
        OwnerSource::Scope => "scope owner",
    }
}
