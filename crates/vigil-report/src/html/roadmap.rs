//! The roadmap: every action in rank order, each row opening onto its runbook, checks, references and the
//! compliance requirements it serves.

use std::fmt::Write;

use vigil_core::{Action, Assessment};

use super::escape::{Escaped, anchor, web_url, with_code_spans};
use super::palette::badge;
use super::summary::owner_source;

pub(super) fn write(out: &mut String, a: &Assessment) {
    if a.roadmap.actions.is_empty() {
        out.push_str("<p>Nothing to do for what was checked.</p>\n");
        return;
    }
    out.push_str(
        "<p class=\"hint\">Ranked by band, then by the risk each action removes (the sum of the RPNs of \
         the findings it resolves). Open a row for its runbook.</p>\n\
         <table class=\"actions\">\n<thead><tr><th class=\"num\">#</th><th>Action</th><th>Band</th>\
         <th class=\"num\">Risk removed</th><th>Owner</th><th>Due</th><th class=\"num\">SLA days</th>\
         <th class=\"num\">Findings</th></tr></thead>\n<tbody>\n",
    );
    for (rank, action) in a.roadmap.actions.iter().enumerate() {
        row(out, rank + 1, action);
    }
    out.push_str("</tbody>\n</table>\n");
}

fn row(out: &mut String, rank: usize, action: &Action) {
    let owner = match &action.owner {
        Some(owner) => format!(
            "{}<br><span class=\"muted\">{}</span>",
            Escaped(&owner.name),
            owner_source(owner.source)
        ),
        None => "<span class=\"muted\">none found</span>".to_owned(),
    };
    let _ = writeln!(
        out,
        "<tr id=\"{}\"><td class=\"num\">{rank}</td><td><details><summary>{}</summary>",
        anchor("action", &action.id),
        Escaped(&action.title)
    );
    runbook(out, action);
    let _ = writeln!(
        out,
        "</details></td><td>{}</td><td class=\"num\">{}</td><td>{owner}</td><td><time>{}</time></td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        badge(action.band),
        action.risk_removed,
        vigil_core::date::format(action.due),
        action.sla_days,
        action.findings.len()
    );
}

fn runbook(out: &mut String, action: &Action) {
    let book = &action.runbook;
    list(out, "Steps", "ol", &book.steps, with_code_spans);
    list(out, "Verify", "ul", &book.verify, with_code_spans);
    list(out, "References", "ul", &book.references, reference);
    list(out, "Compliance", "ul", &action.compliance, |c| {
        Escaped(c).to_string()
    });
    let findings: Vec<String> = action
        .findings
        .iter()
        .map(|id| format!("<a href=\"#{}\">{}</a>", anchor("finding", id), Escaped(id)))
        .collect();
    let _ = writeln!(
        out,
        "<p class=\"muted\">Resolves {} · action <code>{}</code></p>",
        if findings.is_empty() {
            "no finding".to_owned()
        } else {
            findings.join(", ")
        },
        Escaped(&action.id)
    );
}

/// A titled list, left out when empty.
fn list(out: &mut String, title: &str, tag: &str, items: &[String], item: impl Fn(&str) -> String) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h4>{title}</h4>\n<{tag}>");
    for text in items {
        let _ = writeln!(out, "<li>{}</li>", item(text));
    }
    let _ = writeln!(out, "</{tag}>");
}

/// A reference as a link when it is a web URL, as text otherwise.
pub(super) fn reference(text: &str) -> String {
    match web_url(text) {
        Some(url) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            Escaped(url),
            Escaped(url)
        ),
        None => Escaped(text).to_string(),
    }
}
