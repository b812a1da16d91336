//! The compliance view: for each objective, the requirements the roadmap's actions serve, with how many
//! actions and findings touch each. Actions carry their requirements as `"<objective> <requirement>"`.

use std::collections::BTreeSet;
use std::fmt::Write;

use vigil_core::Assessment;

use super::escape::{Escaped, anchor};

/// One requirement and the actions (by rank) and findings that touch it.
struct Requirement<'a> {
    text: &'a str,
    actions: Vec<(usize, &'a str)>,
    findings: BTreeSet<&'a str>,
}

/// The requirements of one objective, in the order of the first action touching each (most urgent first).
struct Group<'a> {
    objective: &'a str,
    in_scope: bool,
    requirements: Vec<Requirement<'a>>,
}

pub(super) fn write(out: &mut String, a: &Assessment) {
    if a.scope.objectives.is_empty() {
        out.push_str(
            "<p>No compliance objective is in scope (set <code>objectives</code> in vigil.toml). The \
             requirements the actions bear on are listed anyway, by objective.</p>\n",
        );
    }
    let groups = groups(a);
    if groups.is_empty() {
        out.push_str("<p>No action references a compliance requirement.</p>\n");
        return;
    }
    for group in &groups {
        let note = if group.in_scope || a.scope.objectives.is_empty() {
            ""
        } else {
            " <span class=\"muted\">(not in scope)</span>"
        };
        let _ = writeln!(out, "<h3>{}{note}</h3>", Escaped(group.objective));
        if group.requirements.is_empty() {
            out.push_str("<p>No action references a requirement of this objective.</p>\n");
            continue;
        }
        table(out, group);
    }
}

fn table(out: &mut String, group: &Group) {
    out.push_str(
        "<table class=\"compliance\">\n<thead><tr><th>Requirement</th><th class=\"num\">Actions</th>\
         <th class=\"num\">Findings</th><th>Actions (rank)</th></tr></thead>\n<tbody>\n",
    );
    for requirement in &group.requirements {
        let ranks: Vec<String> = requirement
            .actions
            .iter()
            .map(|(rank, id)| format!("<a href=\"#{}\">#{rank}</a>", anchor("action", id)))
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            Escaped(requirement.text),
            requirement.actions.len(),
            requirement.findings.len(),
            ranks.join(" ")
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The objectives in scope first (even those no action touches), then any other objective the actions
/// name, in order of first appearance.
fn groups(a: &Assessment) -> Vec<Group<'_>> {
    let mut groups: Vec<Group> = a
        .scope
        .objectives
        .iter()
        .map(|objective| Group {
            objective: objective.as_str(),
            in_scope: true,
            requirements: Vec::new(),
        })
        .collect();
    for (rank, action) in a.roadmap.actions.iter().enumerate() {
        for reference in &action.compliance {
            let (objective, text) = reference.trim().split_once(' ').unwrap_or((reference.trim(), ""));
            let index = match groups.iter().position(|g| g.objective == objective) {
                Some(index) => index,
                None => {
                    groups.push(Group {
                        objective,
                        in_scope: false,
                        requirements: Vec::new(),
                    });
                    groups.len() - 1
                }
            };
            let requirements = &mut groups[index].requirements;
            let text = text.trim();
            let requirement = match requirements.iter().position(|r| r.text == text) {
                Some(at) => &mut requirements[at],
                None => {
                    requirements.push(Requirement {
                        text,
                        actions: Vec::new(),
                        findings: BTreeSet::new(),
                    });
                    let last = requirements.len() - 1;
                    &mut requirements[last]
                }
            };
            if !requirement.actions.iter().any(|(r, _)| *r == rank + 1) {
                requirement.actions.push((rank + 1, action.id.as_str()));
            }
            requirement
                .findings
                .extend(action.findings.iter().map(String::as_str));
        }
    }
    groups
}
