//! vigil-threats: the threat stage. Runs every rule of the [`registry`] over the classified inventory and
//! the system model, and turns their hits into findings with stable fingerprints, STRIDE categories, CWEs,
//! evidence and the guidance the roadmap needs.

pub mod graph;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod secrets;

use vigil_core::{ControlSource, Finding, Guidance, Inventory, RiskHints, Scope, SystemModel, fingerprint};
use vigil_model::terraform::Terraform;

use rule::{Context, Hit, RuleMeta};

pub fn run(inventory: &Inventory, model: &SystemModel, scope: &Scope) -> Vec<Finding> {
    let ctx = Context {
        inventory,
        model,
        scope,
        tf: Terraform::new(inventory),
    };
    let mut findings: Vec<Finding> = registry::rules()
        .into_iter()
        .flat_map(|rule| {
            rule.check(&ctx)
                .into_iter()
                .map(move |hit| finding(rule.meta(), hit, model))
        })
        .collect();
    drop_generic_secret_duplicates(&mut findings);
    findings.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    findings
}

/// A secret a specific rule already reports (a Terraform provider key, a Lambda variable) is not reported a
/// second time by the generic scanner rule at the same place.
fn drop_generic_secret_duplicates(findings: &mut Vec<Finding>) {
    let specific: Vec<String> = findings
        .iter()
        .filter(|f| {
            f.kind == vigil_core::FindingKind::Secret && f.rule_id.as_deref() != Some("secret-in-code")
        })
        .filter_map(|f| f.evidence.first().map(|e| e.location()))
        .collect();
    findings.retain(|f| {
        f.rule_id.as_deref() != Some("secret-in-code")
            || f.evidence
                .first()
                .is_none_or(|e| !specific.contains(&e.location()))
    });
}

/// A threat is relevant to its components; it is mitigated when every one of them has a control the rule
/// names, found in the code or infrastructure or recorded in vigil-model.yaml. A mitigated finding stays in
/// the output, with the controls and their evidence.
fn mitigate(meta: &RuleMeta, finding: &mut Finding, model: &SystemModel) {
    if meta.mitigated_by.is_empty() || finding.components.is_empty() {
        return;
    }
    let mut controls = Vec::new();
    for id in &finding.components {
        let Some(control) = model
            .component(id)
            .and_then(|c| c.control(meta.mitigated_by).map(|control| (c, control)))
        else {
            return;
        };
        controls.push(control);
    }
    let declared = controls.iter().any(|(_, c)| c.source == ControlSource::Declared);
    let detected = controls.iter().any(|(_, c)| c.source == ControlSource::Detected);
    let source = match (declared, detected) {
        (true, true) => "controls:detected+vigil-model.yaml",
        (true, false) => "controls:vigil-model.yaml",
        _ => "controls:detected",
    };
    let statement: Vec<String> = controls
        .iter()
        .map(|(component, control)| format!("{} has `{}`", component.name, control.name))
        .collect();
    for (_, control) in &controls {
        for evidence in &control.evidence {
            let evidence = evidence.clone();
            let evidence = match evidence.note.clone() {
                Some(note) => evidence.with_note(format!("control `{}`: {note}", control.name)),
                None => evidence.with_note(format!("control `{}`", control.name)),
            };
            if !finding.evidence.contains(&evidence) {
                finding.evidence.push(evidence);
            }
        }
    }
    finding.status = vigil_core::Status::Mitigated;
    finding.decision = Some(vigil_core::Decision {
        source: source.into(),
        vex_status: "mitigated".into(),
        justification: None,
        statement: Some(statement.join("; ")),
        ..Default::default()
    });
}

fn finding(meta: &'static RuleMeta, hit: Hit, model: &SystemModel) -> Finding {
    let mut finding = Finding::new(
        meta.kind,
        fingerprint(&["rule", meta.id, &hit.subject]),
        hit.title,
    );
    finding.rule_id = Some(meta.id.to_owned());
    finding.description = format!("{}: {}", meta.title, hit.detail);
    finding.stride = meta.stride.to_vec();
    finding.cwe = meta.cwe.iter().map(|c| (*c).to_owned()).collect();
    finding.components = model
        .components
        .iter()
        .filter(|c| {
            c.assets.iter().any(|a| hit.assets.contains(a)) || hit.assets.contains(&rule::component_asset(c))
        })
        .map(|c| c.id.clone())
        .collect();
    finding.assets = hit.assets;
    finding.evidence = hit.evidence;
    mitigate(meta, &mut finding, model);
    finding.remediation = meta.remediation.to_owned();
    finding.hints = RiskHints {
        likelihood: hit
            .likelihood
            .or_else(|| Some((meta.likelihood, format!("rule {} base likelihood", meta.id)))),
        impact: hit
            .impact
            .or_else(|| Some((meta.impact, format!("rule {} base impact", meta.id)))),
        exposes_to_internet: hit.exposes_to_internet,
    };
    finding.guidance = Guidance {
        steps: meta.fix.iter().map(|s| (*s).to_owned()).collect(),
        verify: meta.verify.iter().map(|s| (*s).to_owned()).collect(),
        references: meta.references.iter().map(|s| (*s).to_owned()).collect(),
        compliance: vigil_core::compliance::labels(meta.compliance),
    };
    finding
}
