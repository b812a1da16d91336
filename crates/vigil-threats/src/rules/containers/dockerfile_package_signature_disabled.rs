//! `dockerfile-package-signature-disabled`: a package install that skips signature checks.

use vigil_core::{FindingKind, Objective, Stride};

use super::shared;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct PackageSignatureDisabled;

static META: RuleMeta = RuleMeta {
    id: "dockerfile-package-signature-disabled",
    title: "Dockerfile installs packages without checking their signatures",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-347", "CWE-494"],
    capec: &["CAPEC-185", "CAPEC-475"],
    attack: &["T1195.002"],
    likelihood: 3,
    impact: 7,
    what: "A `RUN` that turns off the package manager's signature checks: `apk --allow-untrusted`, `apt-get \
           --allow-unauthenticated` / `--force-yes` / `--allow-insecure-repositories`, an apt source marked \
           `[trusted=yes]` or `AllowUnauthenticated` / `AllowInsecureRepositories` set, `yum`/`dnf \
           --nogpgcheck` or `gpgcheck=0`, `rpm --nosignature` / `--nodigest`, `zypper --no-gpg-checks`. \
           Checkov: CKV2_DOCKER_7, CKV2_DOCKER_8, CKV2_DOCKER_9, CKV2_DOCKER_10.",
    why: "Package signatures are what makes a mirror, a proxy or the network between them untrusted without \
          harm; without them, whoever can serve the repository's files (a compromised mirror, a DNS or \
          network attacker against a plain-HTTP repository) installs their own binaries, run as root in the \
          build and shipped in the image.",
    example: "RUN apk add --allow-untrusted /tmp/tool.apk\nRUN dnf install -y --nogpgcheck tool",
    remediation: "Import the repository's signing key and install with signature checks on.",
    fix: &[
        "Remove the option or the `trusted=yes` / `gpgcheck=0` setting.",
        "Add the repository's signing key (`signed-by=` keyring for apt, `rpm --import` / `gpgkey=` for yum and dnf, `/etc/apk/keys` for apk).",
        "For a package you built yourself, sign it with your own key and trust that key, or COPY it from a verified build stage.",
    ],
    verify: &[
        "The build succeeds without the options and `apt-get`/`dnf` report verified signatures; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Installing a local package file your own earlier stage built (`apk add --allow-untrusted \
                      /tmp/x.apk` after `COPY --from=build`) does not download anything: accept it with the reason.",
    references: &[
        "https://wiki.debian.org/SecureApt",
        "https://docs.docker.com/build/building/best-practices/#apt-get",
        "https://cwe.mitre.org/data/definitions/347.html",
    ],
    compliance: &[
        (Objective::OwaspAsvs, "V10.3.2"),
        (Objective::PciDss4, "6.3.2"),
        (Objective::Soc2, "CC8.1"),
    ],
};

impl Rule for PackageSignatureDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for image in shared::dockerfiles(ctx) {
            for disabled in shared::disabled_verifications(image, "signature") {
                hits.push(Hit::new(
                    format!("{}:signature:{}", image.id, disabled.option),
                    format!(
                        "{} installs {} packages without signature checks ({})",
                        image.name, disabled.tool, disabled.option
                    ),
                    format!("a RUN uses {}", disabled.option),
                    vec![image.id.clone()],
                    vec![disabled.evidence],
                ));
            }
        }
        hits
    }
}
