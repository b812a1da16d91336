//! Planning: grouping scored findings into remediation actions, so that one change that fixes N findings
//! is one line of the roadmap. One upgrade per package and manifest, one IaC change per resource, one
//! secret rotation per resource, one hardening pass per pipeline, one control per threat rule.
//!
//! Each action gets the band of its worst finding, the sum of their RPNs as the risk it removes, an owner
//! (CODEOWNERS, else the scope owner), a due date from the SLA policy, a runbook and the compliance
//! requirements of the objectives in scope. Actions are ranked by band, then by risk removed.

use std::collections::BTreeMap;

use time::{Date, Duration};
use vigil_core::{
    Action, ActionKind, Asset, AssetKind, Band, Ecosystem, Finding, FindingKind, Inventory, Objective, Owner,
    OwnerSource, Roadmap, Runbook, Scope, Upgrade, compliance, fingerprint,
};

use crate::owners::Owners;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Upgrade {
        manifest: String,
        ecosystem: Ecosystem,
        package: String,
    },
    Rotate(String),
    Iac(String),
    Pipeline(String),
    Control(String),
}

pub fn plan(findings: &[Finding], inventory: &Inventory, scope: &Scope, as_of: Date) -> Roadmap {
    let owners = Owners::from_inventory(inventory);
    let mut groups: BTreeMap<Key, Vec<&Finding>> = BTreeMap::new();
    for finding in findings.iter().filter(|f| f.status == vigil_core::Status::Open) {
        groups.entry(key(finding, inventory)).or_default().push(finding);
    }
    let mut actions: Vec<Action> = groups
        .into_iter()
        .map(|(key, mut members)| {
            members.sort_by(|a, b| b.score.rpn.cmp(&a.score.rpn).then_with(|| a.id.cmp(&b.id)));
            action(&key, &members, inventory, scope, &owners, as_of)
        })
        .collect();
    actions.sort_by(|a, b| {
        b.band
            .cmp(&a.band)
            .then(b.risk_removed.cmp(&a.risk_removed))
            .then_with(|| a.id.cmp(&b.id))
    });
    Roadmap { actions }
}

fn key(finding: &Finding, inventory: &Inventory) -> Key {
    if let Some(v) = &finding.vulnerability {
        let manifest = finding
            .evidence
            .first()
            .map(|e| e.path.clone())
            .unwrap_or_default();
        return Key::Upgrade {
            manifest,
            ecosystem: v.ecosystem,
            package: v.package.clone(),
        };
    }
    let primary: Option<&Asset> = finding.assets.first().and_then(|id| inventory.get(id));
    match (finding.kind, primary) {
        (FindingKind::Secret, Some(asset)) => Key::Rotate(asset.id.0.clone()),
        (_, Some(asset)) if asset.kind == AssetKind::Pipeline => Key::Pipeline(asset.id.0.clone()),
        (FindingKind::Misconfiguration, Some(asset)) => Key::Iac(asset.id.0.clone()),
        _ => Key::Control(
            finding
                .rule_id
                .clone()
                .unwrap_or_else(|| finding.fingerprint.clone()),
        ),
    }
}

fn action(
    key: &Key,
    members: &[&Finding],
    inventory: &Inventory,
    scope: &Scope,
    owners: &Owners,
    as_of: Date,
) -> Action {
    let band = members.iter().map(|f| f.score.band).max().unwrap_or(Band::Low);
    let risk_removed = members.iter().map(|f| u32::from(f.score.rpn)).sum();
    let lead = members[0];
    let path = lead.evidence.first().map(|e| e.path.as_str()).unwrap_or_default();
    let owner = owners.owner_of(path).or_else(|| {
        scope.owner.as_ref().map(|name| Owner {
            name: name.clone(),
            source: OwnerSource::Scope,
            evidence: None,
        })
    });
    let sla_days = members
        .iter()
        .map(|f| sla_days(f, scope))
        .min()
        .unwrap_or_else(|| scope.sla.days(band));
    let (id_parts, kind, title, upgrade, runbook) = match key {
        Key::Upgrade {
            manifest,
            ecosystem,
            package,
        } => {
            let (kind, title, upgrade, runbook) = upgrade_action(manifest, *ecosystem, package, members);
            (
                vec![
                    "upgrade",
                    manifest.as_str(),
                    ecosystem.osv_name(),
                    package.as_str(),
                ],
                kind,
                title,
                Some(upgrade),
                runbook,
            )
        }
        Key::Rotate(asset) => {
            let name = asset_name(inventory, asset);
            (
                vec!["rotate", asset.as_str()],
                ActionKind::RotateSecret,
                format!("Remove and rotate the secrets in {name}"),
                None,
                guidance_runbook(members),
            )
        }
        Key::Iac(asset) => {
            let name = asset_name(inventory, asset);
            let title = if members.len() == 1 {
                format!("Fix {name}: {}", lead_rule_title(lead))
            } else {
                format!("Fix {name}: {} issues", members.len())
            };
            (
                vec!["iac", asset.as_str()],
                ActionKind::IacFix,
                title,
                None,
                guidance_runbook(members),
            )
        }
        Key::Pipeline(asset) => {
            let name = asset_name(inventory, asset);
            let title = if members.len() == 1 {
                format!("Harden {name}: {}", lead_rule_title(lead))
            } else {
                format!("Harden {name}: {} issues", members.len())
            };
            (
                vec!["pipeline", asset.as_str()],
                ActionKind::PipelineFix,
                title,
                None,
                guidance_runbook(members),
            )
        }
        Key::Control(rule) => (
            vec!["control", rule.as_str()],
            ActionKind::Control,
            lead_rule_title(lead),
            None,
            guidance_runbook(members),
        ),
    };
    let mut compliance: Vec<String> = Vec::new();
    for finding in members {
        let pairs: Vec<(Objective, String)> = match finding.kind {
            FindingKind::Vulnerability => compliance::labels(compliance::for_vulnerable_dependency()),
            // Other scanners' results carry CWE ids only: their requirements come from the CWE table.
            FindingKind::Imported if finding.guidance.compliance.is_empty() => {
                compliance::labels(&compliance::for_cwes(finding.cwe.iter().map(String::as_str)))
            }
            _ => finding.guidance.compliance.clone(),
        };
        for (objective, requirement) in pairs {
            let line = format!("{} {requirement}", objective.as_str());
            if scope.objectives.contains(&objective) && !compliance.contains(&line) {
                compliance.push(line);
            }
        }
    }
    Action {
        id: format!("VA-{}", &fingerprint(&id_parts)[..10]),
        title,
        kind,
        findings: members.iter().map(|f| f.id.clone()).collect(),
        band,
        risk_removed,
        owner,
        due: as_of.saturating_add(Duration::days(i64::from(sla_days))),
        sla_days,
        upgrade,
        runbook,
        compliance,
    }
}

/// Days to fix one finding: by its band, except under the `bod-26-04` SLA preset, where a vulnerability
/// takes the deadline of its own row of BOD 26-04 Table 1 ("fix on system upgrade": the preset's low days).
fn sla_days(finding: &Finding, scope: &Scope) -> u16 {
    if scope.sla.preset == "bod-26-04"
        && let Some(decision) = finding
            .score
            .decisions
            .iter()
            .find(|d| d.policy == crate::decisions::BOD_26_04)
    {
        return decision.days.unwrap_or(scope.sla.low);
    }
    scope.sla.days(finding.score.band)
}

fn lead_rule_title(finding: &Finding) -> String {
    finding
        .description
        .split(':')
        .next()
        .unwrap_or(&finding.title)
        .to_owned()
}

fn asset_name(inventory: &Inventory, id: &str) -> String {
    inventory
        .get(&vigil_core::AssetId(id.to_owned()))
        .map_or_else(|| id.to_owned(), |a| a.name.clone())
}

/// Steps, checks and references from the rules' guidance, in order and without repeats.
fn guidance_runbook(members: &[&Finding]) -> Runbook {
    let mut runbook = Runbook::default();
    for finding in members {
        let location = finding.evidence.first().map(|e| e.location()).unwrap_or_default();
        push_unique(&mut runbook.steps, format!("{} ({location})", finding.title));
        for step in &finding.guidance.steps {
            push_unique(&mut runbook.steps, step.clone());
        }
        for check in &finding.guidance.verify {
            push_unique(&mut runbook.verify, check.clone());
        }
        for reference in &finding.guidance.references {
            push_unique(&mut runbook.references, reference.clone());
        }
    }
    push_unique(
        &mut runbook.verify,
        "Re-run `vigil assess`: the findings of this action are gone.".into(),
    );
    runbook
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn upgrade_action(
    manifest: &str,
    ecosystem: Ecosystem,
    package: &str,
    members: &[&Finding],
) -> (ActionKind, String, Upgrade, Runbook) {
    let mut installed: Vec<String> = members
        .iter()
        .filter_map(|f| f.vulnerability.as_ref())
        .map(|v| v.installed.clone())
        .collect();
    installed.sort();
    installed.dedup();
    let to = members
        .iter()
        .find_map(|f| f.vulnerability.as_ref().and_then(|v| v.upgrade_to.clone()));
    let mut advisories: Vec<&str> = members
        .iter()
        .filter_map(|f| f.advisory_ids.first().map(String::as_str))
        .collect();
    advisories.sort_unstable();
    advisories.dedup();
    let count = advisories.len();
    let plural = if count == 1 { "advisory" } else { "advisories" };
    let from = installed.join(", ");
    let (kind, title) = match &to {
        Some(to) => (
            ActionKind::Upgrade,
            format!("Upgrade {package} {from} to {to} in {manifest} (fixes {count} {plural})"),
        ),
        None => (
            ActionKind::Replace,
            format!(
                "Replace or mitigate {package} {from} in {manifest} ({count} {plural}, no fixed version)"
            ),
        ),
    };
    let dir = manifest.rsplit_once('/').map_or(".", |(d, _)| d);
    let direct = members
        .iter()
        .any(|f| f.vulnerability.as_ref().is_some_and(|v| v.direct == Some(true)));
    let mut steps = Vec::new();
    match &to {
        Some(to) => steps.extend(upgrade_steps(ecosystem, package, &installed, to, dir, manifest, direct)),
        None => steps.push(format!(
            "No release of {package} fixes {}: replace it with a maintained alternative, or remove the vulnerable feature, and record the decision.",
            advisories.join(", ")
        )),
    }
    steps.push("Run the test suite and commit the updated manifest and lockfile together.".into());
    let mut references: Vec<String> = Vec::new();
    for finding in members {
        for reference in finding.vulnerability.iter().flat_map(|v| v.references.iter()) {
            push_unique(&mut references, reference.clone());
        }
    }
    let runbook = Runbook {
        steps,
        verify: vec![format!(
            "Re-run `vigil assess`: {} no longer reported for {package} in {manifest}.",
            advisories.join(", ")
        )],
        references,
    };
    let upgrade = Upgrade {
        ecosystem,
        package: package.to_owned(),
        manifest: manifest.to_owned(),
        installed,
        to,
    };
    (kind, title, upgrade, runbook)
}

fn upgrade_steps(
    ecosystem: Ecosystem,
    package: &str,
    installed: &[String],
    to: &str,
    dir: &str,
    manifest: &str,
    direct: bool,
) -> Vec<String> {
    match ecosystem {
        Ecosystem::CratesIo => installed
            .iter()
            .map(|v| format!("In {dir}: `cargo update -p {package}@{v} --precise {to}` (raise the requirement in Cargo.toml first if {to} is outside it)."))
            .collect(),
        Ecosystem::Npm if direct => vec![format!("In {dir}: `npm install {package}@{to}`.")],
        Ecosystem::Npm => vec![format!(
            "{package} is transitive: upgrade the package that depends on it, or add `\"overrides\": {{\"{package}\": \"{to}\"}}` to {dir}/package.json; then `npm install` in {dir}."
        )],
        Ecosystem::PyPI if manifest.ends_with("poetry.lock") => vec![format!("In {dir}: `poetry add {package}@^{to}` (or `poetry update {package}` if the constraint allows {to}).")],
        Ecosystem::PyPI => vec![format!("In {manifest}: pin `{package}=={to}`, then reinstall (`pip install -r {manifest}`).")],
        _ => vec![format!("Upgrade {package} to {to} in {manifest}.")],
    }
}
