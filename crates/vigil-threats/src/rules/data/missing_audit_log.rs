//! `missing-audit-log`: a component that takes payments, authenticates users or changes card or health data
//! keeps no audit trail of who did what.

use vigil_core::{CapabilityKind, ComponentKind, FindingKind, Objective, Stride};
use vigil_model::controls::{AUDIT_LOGGING, LOGGING};

use super::support::{changes_state, endpoints, is_application, missing_controls, regulated};
use crate::graph::{class_names, component_hit, sensitive_data};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct MissingAuditLog;

static META: RuleMeta = RuleMeta {
    id: "missing-audit-log",
    title: "Sensitive operations without an audit trail",
    kind: FindingKind::Threat,
    stride: &[Stride::Repudiation],
    cwe: &["CWE-778", "CWE-223"],
    capec: &[],
    attack: &[],
    likelihood: 4,
    impact: 6,
    what: "An application component (a service in the code, or a process added in vigil-model.yaml or a design \
           document) that performs operations someone may later deny or need to reconstruct: it takes payments \
           (`processes-payments`), authenticates users (`authenticates`: logins, tokens), or handles PCI or PHI data and changes \
           state (endpoints other than GET, or, when no endpoints are known, flows into datastores), and has no \
           `audit-logging` control (an audit library such as django-auditlog, django-simple-history, \
           paper_trail, Hibernate Envers, or one recorded in vigil-model.yaml). A general `logging` library is \
           named in the finding but is not an audit trail.",
    why: "Without a record of who changed what and when, a disputed payment, an account takeover or an insider \
          editing health records cannot be investigated or proven: the attacker (or a user) can repudiate the \
          action, and breach notification cannot say whose data was touched. Application logs rotate, are \
          mutable and rarely hold the actor and the before/after values.",
    example: "# vigil.toml\n[[override]]\npath = \"billing/**\"\ndata_classes = [\"pci\"]\n\n\
              # billing/app.py: POST /refunds changes card data, nothing records who did it\n\
              @app.post(\"/refunds\")\ndef refund(): ...",
    remediation: "Record an append-only audit trail of sensitive operations: actor, action, object, time, outcome.",
    fix: &[
        "Write an audit event for every login (success and failure), payment, refund, and change to card or health data: who (user and service identity), what (action and object id, before/after for changes), when, from where, and the outcome.",
        "Send audit events to a store the service cannot rewrite (a separate log account, an append-only table, WORM storage) and keep them for the period the regulation requires (PCI DSS: 12 months, 3 online).",
        "Never log secrets, full card numbers or authentication data in the audit trail.",
        "Record `audit-logging` on the component in vigil-model.yaml when the trail is produced outside its code (an API gateway, a database audit plugin).",
    ],
    verify: &[
        "Perform a login, a payment and a data change in a test environment: each appears in the audit store with the actor, object and time, and the service's credentials cannot delete it.",
        "Re-run `vigil assess`: the finding is mitigated by `audit-logging`.",
    ],
    mitigated_by: &[AUDIT_LOGGING],
    false_positives: "Audit trails kept by a platform vigil cannot see (a payment provider's dashboard for \
                      card operations, the identity provider's sign-in logs, database-level auditing) cover \
                      the operation: record `audit-logging` on the component with where the trail lives.",
    references: &[
        "https://cwe.mitre.org/data/definitions/778.html",
        "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html",
    ],
    compliance: &[
        (Objective::PciDss4, "10.2.1"),
        (Objective::PciDss4, "10.2.1.1"),
        (Objective::Hipaa, "164.312(b)"),
        (Objective::Soc2, "CC7.2"),
        (Objective::Gdpr, "Art. 5(2)"),
        (Objective::OwaspAsvs, "V7.1.3"),
        (Objective::OwaspAsvs, "V7.2.1"),
    ],
};

impl Rule for MissingAuditLog {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let model = ctx.model;
        let mut hits = Vec::new();
        for component in model.components.iter().filter(|c| is_application(c)) {
            let mut operations = Vec::new();
            let mut evidence = Vec::new();
            let mut nouns: Vec<String> = Vec::new();
            for (kind, what, noun) in [
                (CapabilityKind::ProcessesPayments, "takes payments", "payments"),
                (
                    CapabilityKind::Authenticates,
                    "authenticates users",
                    "authentication decisions",
                ),
            ] {
                if let Some(capability) = component.capability(kind) {
                    let at = capability
                        .evidence
                        .first()
                        .map_or_else(|| "planned".to_owned(), |e| e.location());
                    operations.push(format!("{what} (`{}`, {at})", kind.as_str()));
                    nouns.push(noun.to_owned());
                    evidence.extend(capability.evidence.iter().take(1).cloned());
                }
            }
            let data = sensitive_data(component);
            if regulated(&data) {
                let writes: Vec<_> = endpoints(ctx.inventory, component)
                    .into_iter()
                    .filter(|e| changes_state(e))
                    .collect();
                if !writes.is_empty() {
                    let names: Vec<&str> = writes.iter().take(3).map(|e| e.name.as_str()).collect();
                    operations.push(format!(
                        "changes {} data through {}{}",
                        class_names(&data),
                        names.join(", "),
                        if writes.len() > 3 {
                            format!(" and {} more endpoints", writes.len() - 3)
                        } else {
                            String::new()
                        }
                    ));
                    nouns.push(format!("changes to {} data", class_names(&data)));
                    evidence.extend(writes.iter().take(2).filter_map(|e| e.evidence.first().cloned()));
                } else if endpoints(ctx.inventory, component).is_empty() {
                    let stores: Vec<_> = model
                        .flows
                        .iter()
                        .filter(|f| f.source == component.id)
                        .filter(|f| {
                            model
                                .component(&f.target)
                                .is_some_and(|t| t.kind == ComponentKind::Datastore)
                        })
                        .collect();
                    if let Some(flow) = stores.first() {
                        let name = model
                            .component(&flow.target)
                            .map_or(flow.target.as_str(), |t| &t.name);
                        operations.push(format!(
                            "handles {} data and writes to {name}",
                            class_names(&data)
                        ));
                        nouns.push(format!("changes to {} data", class_names(&data)));
                        evidence.extend(flow.evidence.iter().take(1).cloned());
                    }
                }
            }
            if operations.is_empty() {
                continue;
            }
            let logging = component
                .control(&[LOGGING])
                .filter(|_| component.control(&[AUDIT_LOGGING]).is_none())
                .map(|c| {
                    let at = c.evidence.first().map(|e| e.location()).unwrap_or_default();
                    format!(
                        "; it has `logging` ({at}), but application logs are not an audit trail (no actor, no before/after, mutable)"
                    )
                })
                .unwrap_or_default();
            let detail = format!(
                "{} {}{}{}",
                component.name,
                operations.join("; "),
                missing_controls(component, META.mitigated_by),
                logging,
            );
            let mut hit = component_hit(
                component,
                "audit-log",
                format!("{}: no audit trail of {}", component.name, nouns.join(" or ")),
                detail,
                evidence,
            );
            // Card and health data are weighed by the scorer from the component; payments are not data.
            hit.impact = component.capability(CapabilityKind::ProcessesPayments).map(|_| {
                (
                    7,
                    "it takes payments: disputes and chargebacks depend on the trail".into(),
                )
            });
            hits.push(hit);
        }
        hits
    }
}
