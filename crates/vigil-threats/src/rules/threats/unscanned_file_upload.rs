//! `unscanned-file-upload`: files from the Internet kept or handed on to other components without a malware
//! scan.

use vigil_core::{CapabilityKind, ComponentKind, FindingKind, Objective, Stride};
use vigil_model::controls::MALWARE_SCANNING;

use super::support::{cite, control_statement, evidence, path_likelihood, reached};
use crate::graph;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct UnscannedFileUpload;

static META: RuleMeta = RuleMeta {
    id: "unscanned-file-upload",
    title: "Uploaded files stored or passed on without a malware scan",
    kind: FindingKind::Threat,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-434"],
    capec: &["CAPEC-23"],
    attack: &["T1204.002"],
    likelihood: 4,
    impact: 6,
    what: "A component with the `accepts-uploads` capability that input from the Internet reaches and that has \
           a flow to a datastore or another process of the model (where the files are kept and later opened by \
           staff, other users or back-office jobs), without a `malware-scanning` control (clamscan, pyclamd, \
           clamd, or recorded).",
    why: "An upload feature turns the application into a distribution channel: a macro document sent as a \
          support attachment, a weaponised PDF in a claims workflow, or an archive shared with other customers \
          runs on the machines of whoever opens it, inside the organisation's trust. Type checks do not catch \
          malicious files of an allowed type.",
    example: "// svc/server.js: app.post(\"/claims/:id/documents\", multer(...).single(\"file\"), ...)\n# vigil-model.yaml\ncomponents:\n  - {id: ds:attachments, kind: datastore, name: Attachments bucket}\n\
              flows:\n  - {source: svc:svc, target: ds:attachments, label: stores uploaded files}",
    remediation: "Scan each upload before it is stored where others can open it, and quarantine what the scanner flags.",
    fix: &[
        "Write uploads to a quarantine location first; scan them (ClamAV via clamd, a cloud scanning service such as GuardDuty Malware Protection for S3 or Defender for Storage) and move only clean files to the shared store.",
        "Block or flag password-protected archives and documents with macros when the feature does not need them.",
        "Keep signatures current and alert on detections, which point at an attacker using the feature.",
        "Record `malware-scanning` on the component in vigil-model.yaml when scanning happens outside its code (a bucket-level scanner).",
    ],
    verify: &[
        "Uploading the EICAR test file is rejected or quarantined and never reaches the shared store.",
        "The scanner's logs show a scan for each upload of the last day.",
    ],
    mitigated_by: &[MALWARE_SCANNING],
    false_positives: "Uploads only ever processed by code that parses them as data (CSV imports, images \
                      re-encoded before storage) and never opened by people or shared with other users carry \
                      little malware risk; the datastore flow may carry other data than the uploads.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/File_Upload_Cheat_Sheet.html",
        "https://capec.mitre.org/data/definitions/23.html",
        "https://attack.mitre.org/techniques/T1204/002/",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V12.4.2"),
        (Objective::PciDss4, "5.2.1"),
        (Objective::Hipaa, "164.308(a)(5)(ii)(B)"),
        (Objective::Soc2, "CC6.8"),
    ],
};

impl Rule for UnscannedFileUpload {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for r in reached(ctx.model, CapabilityKind::AcceptsUploads) {
            let Some((flow, target)) = ctx
                .model
                .flows
                .iter()
                .filter(|f| f.source == r.component.id)
                .filter_map(|f| ctx.model.component(&f.target).map(|t| (f, t)))
                .find(|(_, t)| matches!(t.kind, ComponentKind::Datastore | ComponentKind::Process))
            else {
                continue;
            };
            let name = &r.component.name;
            let mut items = evidence(r.capability, &r.exposure);
            items.extend(flow.evidence.iter().take(1).cloned());
            let mut hit = graph::component_hit(
                r.component,
                "accepts-uploads",
                format!(
                    "Malware delivered through uploads to {name}: files from the Internet reach {}",
                    target.name
                ),
                format!(
                    "{name} accepts file uploads (accepts-uploads: {}); input from the Internet reaches it {}; it \
                     has a flow to {} ({}: {}), where files can be kept and opened later; {}",
                    cite(r.capability),
                    r.exposure.path,
                    target.name,
                    flow.label,
                    cite(&flow.evidence),
                    control_statement(&META, r.component),
                ),
                items,
            );
            hit.likelihood = path_likelihood(&META, &r.exposure);
            hits.push(hit);
        }
        hits
    }
}
