//! What a ticket says, rendered once from a roadmap action: the threat, the findings with links to their
//! lines, the runbook, how to verify, the compliance references, the due date and the owner. Each sink
//! turns it into its tracker's format (Atlassian Document Format, HTML, Markdown).

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::Date;
use vigil_core::{Action, Assessment, Band, Finding};

/// One finding the action resolves, as the ticket lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TicketFinding {
    pub id: String,
    pub title: String,
    pub band: Band,
    pub rpn: u16,
    /// `path:line` as the repository names it.
    pub location: Option<String>,
    /// A link to the line on the repository host, when `source_url` is configured.
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ticket {
    /// The idempotency key, carried by the ticket as a label or tag: `vigil-` and the action id.
    pub key: String,
    pub action_id: String,
    pub scope: String,
    pub title: String,
    pub band: Band,
    #[serde(with = "vigil_core::date")]
    pub due: Date,
    pub sla_days: u16,
    /// `@org/team`, `@login` or `Name <email>`, as the roadmap found it.
    pub owner: Option<String>,
    /// Labels besides the key: `vigil`, the band, the action kind.
    pub labels: Vec<String>,
    /// Why this matters, in one paragraph.
    pub summary: String,
    pub findings: Vec<TicketFinding>,
    pub steps: Vec<String>,
    pub verify: Vec<String>,
    pub references: Vec<String>,
    pub compliance: Vec<String>,
}

/// Where the repository's files can be read on the web: `{commit}`, `{path}` and `{line}` are replaced,
/// e.g. `https://github.com/acme/shop/blob/{commit}/{path}#L{line}`.
#[derive(Debug, Clone, Default)]
pub struct SourceLinks {
    pub template: Option<String>,
}

impl SourceLinks {
    fn link(&self, commit: Option<&str>, path: &str, line: Option<u32>) -> Option<String> {
        let template = self.template.as_deref()?;
        let link = template
            .replace("{commit}", commit.unwrap_or("HEAD"))
            .replace("{path}", path)
            .replace("{line}", &line.map(|l| l.to_string()).unwrap_or_default());
        Some(link.trim_end_matches("#L").to_owned())
    }
}

pub const KEY_PREFIX: &str = "vigil-";

impl Ticket {
    /// A digest of everything the ticket shows, so an unchanged action is not rewritten on every sync.
    pub fn content_hash(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::digest(&json);
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    /// The body as Markdown (GitHub; the other sinks build their own structure from the same fields).
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "**{}** · due **{}** ({} days) · vigil action `{}` · scope `{}`\n\n{}\n\n",
            self.band,
            vigil_core::date::format(self.due),
            self.sla_days,
            self.action_id,
            self.scope,
            self.summary
        ));
        out.push_str("### Findings\n\n");
        for f in &self.findings {
            let place = match (&f.link, &f.location) {
                (Some(link), Some(location)) => format!(" ([{location}]({link}))"),
                (None, Some(location)) => format!(" (`{location}`)"),
                _ => String::new(),
            };
            out.push_str(&format!(
                "- `{}` {} · {} · RPN {}{place}\n",
                f.id, f.title, f.band, f.rpn
            ));
        }
        if !self.steps.is_empty() {
            out.push_str("\n### Steps\n\n");
            for (i, step) in self.steps.iter().enumerate() {
                out.push_str(&format!("{}. {step}\n", i + 1));
            }
        }
        if !self.verify.is_empty() {
            out.push_str("\n### How to verify\n\n");
            for check in &self.verify {
                out.push_str(&format!("- {check}\n"));
            }
        }
        if !self.compliance.is_empty() {
            out.push_str("\n### Compliance\n\n");
            for line in &self.compliance {
                out.push_str(&format!("- {line}\n"));
            }
        }
        if !self.references.is_empty() {
            out.push_str("\n### References\n\n");
            for reference in &self.references {
                out.push_str(&format!("- {reference}\n"));
            }
        }
        out.push_str(&format!(
            "\n<sub>Managed by vigil: edits to this description are replaced on the next sync. Key `{}`.</sub>\n",
            self.key
        ));
        out
    }
}

/// The ticket for one action of an assessment.
pub fn from_action(action: &Action, assessment: &Assessment, links: &SourceLinks) -> Ticket {
    let findings: Vec<&Finding> = action
        .findings
        .iter()
        .filter_map(|id| assessment.findings.iter().find(|f| &f.id == id))
        .collect();
    let commit = assessment.target.commit.as_deref();
    let scope = assessment
        .scope
        .name
        .clone()
        .unwrap_or_else(|| assessment.target.path.clone());
    let lead = findings.first();
    let summary = match lead {
        Some(f) if findings.len() == 1 => f.description.clone(),
        Some(f) => format!(
            "{} findings, the riskiest: {}",
            findings.len(),
            if f.description.is_empty() {
                &f.title
            } else {
                &f.description
            }
        ),
        None => action.title.clone(),
    };
    let kind = serde_json::to_value(action.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    Ticket {
        key: format!("{KEY_PREFIX}{}", action.id),
        action_id: action.id.clone(),
        scope,
        title: action.title.clone(),
        band: action.band,
        due: action.due,
        sla_days: action.sla_days,
        owner: action.owner.as_ref().map(|o| o.name.clone()),
        labels: vec![
            "vigil".to_owned(),
            format!("vigil-{}", action.band),
            format!("vigil-{kind}"),
        ],
        summary,
        findings: findings
            .iter()
            .map(|f| {
                let evidence = f.evidence.first();
                TicketFinding {
                    id: f.id.clone(),
                    title: f.title.clone(),
                    band: f.score.band,
                    rpn: f.score.rpn,
                    location: evidence.map(|e| e.location()),
                    link: evidence.and_then(|e| links.link(commit, &e.path, e.line)),
                }
            })
            .collect(),
        steps: action.runbook.steps.clone(),
        verify: action.runbook.verify.clone(),
        references: action.runbook.references.clone(),
        compliance: action.compliance.clone(),
    }
}
