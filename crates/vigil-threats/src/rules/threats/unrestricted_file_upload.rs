//! `unrestricted-file-upload`: a component that accepts files from the Internet without checking their type.

use vigil_core::{CapabilityKind, FindingKind, Objective, Stride};
use vigil_model::controls::FILE_TYPE_VALIDATION;

use super::support::{CapabilityThreat, base_impact};
use crate::rule::RuleMeta;

pub static RULE: CapabilityThreat = CapabilityThreat {
    meta: &META,
    capability: CapabilityKind::AcceptsUploads,
    threat: "Unrestricted file upload",
    doing: "accepts file uploads",
    impact: base_impact,
};

static META: RuleMeta = RuleMeta {
    id: "unrestricted-file-upload",
    title: "Uploaded files accepted without checking their type",
    kind: FindingKind::Threat,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-434"],
    capec: &["CAPEC-650", "CAPEC-17"],
    attack: &["T1505.003", "T1190"],
    likelihood: 5,
    impact: 7,
    what: "A component with the `accepts-uploads` capability (multer, formidable, busboy, werkzeug file \
           storage, Spring multipart, Go mime/multipart, CarrierWave, Shrine, or a POST route named `upload`, \
           `attachments`, `avatar`, `import`) that input from the Internet reaches, without a \
           `file-type-validation` control (file-type, python-magic, filetype, Apache Tika, or recorded).",
    why: "A file accepted on its name or declared Content-Type can be a server script dropped where it runs \
          (a web shell), an HTML or SVG file served from the application's origin (stored XSS), or a crafted \
          image, PDF or archive that exploits the parser that processes it.",
    example: "# svc/app.py\nfrom flask import Flask, request\nfrom werkzeug.datastructures import FileStorage\n\
              @app.post(\"/upload\")\ndef upload():\n    f = request.files[\"file\"]\n    f.save(\"static/\" + f.filename)",
    remediation: "Check each upload's type from its content against an allow-list, store it under a generated name outside the web root, and serve it as a download.",
    fix: &[
        "Detect the type from the bytes (file-type, python-magic, Apache Tika) and accept only the formats the feature needs; reject mismatches with the extension.",
        "Store uploads under a generated name in object storage or a directory the server never executes, never under the client's file name.",
        "Serve them with `Content-Disposition: attachment`, `X-Content-Type-Options: nosniff` and, for images, from a separate cookie-less domain.",
        "Re-encode images and documents where the feature allows it (strip active content).",
        "File-type validation mitigates this finding; malware scanning and size limits are separate findings (`unscanned-file-upload`, `upload-resource-exhaustion`).",
    ],
    verify: &[
        "Uploading `shell.php`, `x.html` and an SVG with `<script>` renamed to `.png` is rejected.",
        "A stored upload's URL answers with `Content-Disposition: attachment` or an image content type, never executes.",
    ],
    mitigated_by: &[FILE_TYPE_VALIDATION],
    false_positives: "Services that validate uploads with code of their own (magic-byte checks, image \
                      re-encoding with Pillow/sharp) are not detected: record `file-type-validation` for them. \
                      Import routes that parse a fixed format (CSV) and reject anything else validate by parsing.",
    references: &[
        "https://cheatsheetseries.owasp.org/cheatsheets/File_Upload_Cheat_Sheet.html",
        "https://cwe.mitre.org/data/definitions/434.html",
        "https://capec.mitre.org/data/definitions/650.html",
        "https://attack.mitre.org/techniques/T1505/003/",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V12.2.1"),
        (Objective::OwaspAsvs, "V12.5.2"),
        (Objective::PciDss4, "6.2.4"),
        (Objective::Soc2, "CC6.8"),
    ],
};
