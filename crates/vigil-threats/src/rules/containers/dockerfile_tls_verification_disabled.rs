//! `dockerfile-tls-verification-disabled`: a build that switches off TLS certificate validation.

use serde_json::Value;
use vigil_core::{Asset, FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct TlsVerificationDisabled;

static META: RuleMeta = RuleMeta {
    id: "dockerfile-tls-verification-disabled",
    title: "Dockerfile disables TLS certificate validation",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering, Stride::Spoofing],
    cwe: &["CWE-295"],
    capec: &["CAPEC-94"],
    attack: &["T1557", "T1195.002"],
    likelihood: 3,
    impact: 6,
    what: "A `RUN` that downloads with certificate validation off (`curl -k`/`--insecure`, `wget \
           --no-check-certificate`, `pip --trusted-host`, `npm`/`yarn` `strict-ssl false`, `git -c \
           http.sslVerify=false`, `sslverify=0` in a yum or dnf configuration, or an inline \
           `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY`), or an `ENV`/`ARG` \
           setting one of those variables (or `NPM_CONFIG_STRICT_SSL=false`, `PIP_TRUSTED_HOST`, \
           `GOINSECURE`). Checkov: CKV2_DOCKER_2, CKV2_DOCKER_3, CKV2_DOCKER_4, CKV2_DOCKER_5, CKV2_DOCKER_6, \
           CKV2_DOCKER_13, CKV2_DOCKER_14.",
    why: "Without certificate validation HTTPS no longer proves who answers: anyone on the network path of \
          the build (a proxy, a compromised router, a rogue DNS answer) can serve their own packages or \
          scripts, which are then built into the image. Set with `ENV`, the variable also disables \
          validation for the running application's own outgoing calls.",
    example: "RUN curl -k https://downloads.example.com/tool.tar.gz | tar xz\nENV NODE_TLS_REJECT_UNAUTHORIZED=0",
    remediation: "Remove the option and trust the needed CA instead (copy it into the image's trust store).",
    fix: &[
        "Remove `-k`, `--no-check-certificate`, `--trusted-host`, `strict-ssl false` and the variables.",
        "If a corporate proxy or internal registry uses a private CA, add that CA: `COPY corp-ca.crt /usr/local/share/ca-certificates/` then `RUN update-ca-certificates` (or point `NODE_EXTRA_CA_CERTS` / `PIP_CERT` at it).",
    ],
    verify: &[
        "The build succeeds without the options, and `docker inspect --format '{{.Config.Env}}' IMAGE` shows none of the variables; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "A download checked afterwards against a pinned checksum or signature is protected \
                      anyway: accept it with the reason. Internal mirrors without TLS are still open to anyone \
                      on the internal network.",
    references: &[
        "https://curl.se/docs/sslcerts.html",
        "https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue",
        "https://cwe.mitre.org/data/definitions/295.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V9.2.1"),
        (Objective::PciDss4, "4.2.1"),
        (Objective::Soc2, "CC6.7"),
    ],
};

/// Variables that switch validation off, and whether a value does so (`None`: any non-empty value).
const VARIABLES: [(&str, Option<&str>); 6] = [
    ("NODE_TLS_REJECT_UNAUTHORIZED", Some("0")),
    ("PYTHONHTTPSVERIFY", Some("0")),
    ("GIT_SSL_NO_VERIFY", None),
    ("NPM_CONFIG_STRICT_SSL", Some("false")),
    ("PIP_TRUSTED_HOST", None),
    ("GOINSECURE", None),
];

impl Rule for TlsVerificationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for image in shared::dockerfiles(ctx) {
            for disabled in shared::disabled_verifications(image, "tls") {
                hits.push(Hit::new(
                    format!("{}:tls:{}", image.id, disabled.option),
                    format!(
                        "{} turns off certificate validation for {} ({})",
                        image.name, disabled.tool, disabled.option
                    ),
                    format!("a RUN uses {}", disabled.option),
                    vec![image.id.clone()],
                    vec![disabled.evidence],
                ));
            }
            hits.extend(variables(image));
        }
        hits
    }
}

/// `ENV` and `ARG` declarations of the variables.
fn variables(image: &Asset) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (name, off) in VARIABLES {
        for (key, instruction) in [("env", "ENV"), ("args", "ARG")] {
            let Some(value) = image
                .attributes
                .get(key)
                .and_then(|m| m.get(name))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let value = value.trim().trim_matches(['"', '\'']);
            let disabled = match off {
                _ if value.contains('$') => false,
                Some(off) => value.eq_ignore_ascii_case(off),
                None => !value.is_empty(),
            };
            if !disabled {
                continue;
            }
            hits.push(Hit::new(
                format!("{}:tls:{name}", image.id),
                format!(
                    "{} turns off certificate validation with {instruction} {name}",
                    image.name
                ),
                format!("{instruction} {name}={value}"),
                vec![image.id.clone()],
                vec![image.evidence_for(&format!("{key}.{name}"))],
            ));
            break;
        }
    }
    hits
}
