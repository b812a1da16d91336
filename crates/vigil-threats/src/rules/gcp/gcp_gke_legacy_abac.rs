//! `gcp-gke-legacy-abac`: a GKE cluster with legacy attribute-based access control.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{config, literal_bool};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct GkeLegacyAbac;

static META: RuleMeta = RuleMeta {
    id: "gcp-gke-legacy-abac",
    title: "GKE cluster has legacy ABAC enabled",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege],
    cwe: &["CWE-269", "CWE-285"],
    capec: &["CAPEC-122"],
    attack: &["T1078.004", "T1610", "T1613"],
    likelihood: 5,
    impact: 9,
    what: "A `google_container_cluster` with `enable_legacy_abac = true` (the default is `false`). Checkov: CKV_GCP_7.",
    why: "Legacy ABAC is authorised in addition to RBAC, and the policies GKE installs with it give service \
          accounts broad, cluster-wide permissions: any pod's service account token can then read Secrets and \
          create workloads in every namespace, so one compromised container becomes the whole cluster. RBAC \
          restrictions you write are not enforced against what ABAC already allows.",
    example: "resource \"google_container_cluster\" \"main\" {\n  name               = \"shop\"\n  enable_legacy_abac = true\n}",
    remediation: "Disable legacy ABAC and grant access with Kubernetes RBAC.",
    fix: &[
        "Set `enable_legacy_abac = false` (or remove it).",
        "Before that, create the RBAC Roles and RoleBindings your workloads and users actually need; anything relying on ABAC breaks when it is turned off.",
    ],
    verify: &[
        "`gcloud container clusters describe <cluster> --location <location> --format=\"value(legacyAbac.enabled)\"` prints nothing or `False`.",
    ],
    mitigated_by: &[],
    false_positives: "None in practice: ABAC exists for clusters created before RBAC was available. A cluster kept \
                      only for a migration can be accepted for the migration's duration.",
    references: &[
        "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#leave_abac_disabled",
        "https://cwe.mitre.org/data/definitions/269.html",
    ],
    compliance: &[(Objective::PciDss4, "7.2.1"), (Objective::Soc2, "CC6.3")],
};

impl Rule for GkeLegacyAbac {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.tf
            .of_type("google_container_cluster")
            .filter(|cluster| {
                config(cluster).and_then(|c| literal_bool(c, "enable_legacy_abac")) == Some(true)
            })
            .map(|cluster| {
                Hit::new(
                    cluster.id.0.clone(),
                    format!("{} authorises requests with legacy ABAC", cluster.name),
                    "enable_legacy_abac = true".to_owned(),
                    vec![cluster.id.clone()],
                    vec![cluster.evidence_for("enable_legacy_abac")],
                )
            })
            .collect()
    }
}
