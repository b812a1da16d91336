//! `upload-resource-exhaustion`: a component that accepts files from the Internet with no declared limit on
//! their size.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};

use super::REQUEST_SIZE_LIMIT;
use super::support::{CapabilityThreat, base_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::AcceptsUploads,
    threat: "Resource exhaustion through uploads",
    doing: "accepts file uploads",
    impact: base_impact,
};

static META: RuleMeta = RuleMeta {
    id: "upload-resource-exhaustion",
    title: "Uploads without a size limit can exhaust memory or storage",
    kind: FindingKind::Threat,
    stride: &[Stride::DenialOfService],
    cwe: &["CWE-400", "CWE-770"],
    capec: &["CAPEC-130", "CAPEC-572"],
    attack: &["T1499.003"],
    likelihood: 4,
    impact: 5,
    what: "A component with the `accepts-uploads` capability that input from the Internet reaches, with no \
           `request-size-limit` control recorded (a body size limit at the proxy, the framework or the upload \
           library, and a quota per user).",
    why: "Upload parsers buffer to memory or temporary disk: a few parallel multi-gigabyte bodies, an archive \
          that expands a thousandfold (zip bomb) or an image with huge declared dimensions (pixel flood) exhaust \
          the process's memory, the node's disk or the storage bill, taking the service down for everyone.",
    example: "// svc/server.js\nconst multer = require(\"multer\");\nconst upload = multer({ dest: \"/tmp\" }); // no limits\n\
              app.post(\"/upload\", upload.single(\"file\"), (req, res) => res.end());",
    remediation: "Limit request bodies and upload sizes at the proxy and in the upload library, and cap what each user may store.",
    fix: &[
        "Set a body limit at the edge (nginx `client_max_body_size`, ALB/API Gateway payload limits, ingress `proxy-body-size`).",
        "Set the upload library's limits (multer `limits.fileSize`/`files`, Flask `MAX_CONTENT_LENGTH`, Spring `spring.servlet.multipart.max-file-size`, Go `http.MaxBytesReader`).",
        "Check decompressed sizes and image dimensions before processing (Pillow `MAX_IMAGE_PIXELS`, streaming unzip with a byte budget).",
        "Enforce a per-user storage quota, then record `request-size-limit` on the component in vigil-model.yaml.",
    ],
    verify: &[
        "Uploading a file one byte over the limit returns 413 before the whole body is read.",
        "A 42 KB zip bomb or a 50000x50000 PNG is rejected without memory growth in the process.",
    ],
    mitigated_by: &[REQUEST_SIZE_LIMIT],
    false_positives: "Limits set in proxy or framework configuration are not read by vigil: record \
                      `request-size-limit` once they are in place. Uploads sent directly to object storage with \
                      pre-signed URLs carrying a content-length condition never reach the service.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/File_Upload_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/400.html",
        "https://capec.mitre.org/data/definitions/130.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V12.1.1"),
        (Objective::OwaspAsvs, "V12.1.2"),
        (Objective::Soc2, "A1.1"),
    ],
};
