//! `secret-in-code`: a credential committed to the repository, found by the secret scanner.

use globset::Glob;
use vigil_core::{Asset, AssetKind, FindingKind, Stride};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SecretInCode;

static META: RuleMeta = RuleMeta {
    id: "secret-in-code",
    title: "Secret committed to the repository",
    kind: FindingKind::Secret,
    stride: &[
        Stride::Spoofing,
        Stride::InformationDisclosure,
        Stride::ElevationOfPrivilege,
    ],
    cwe: &["CWE-798", "CWE-540"],
    capec: &["CAPEC-37"],
    attack: &["T1552.001"],
    likelihood: 7,
    impact: 8,
    what: "A credential in any text file: cloud keys (AWS), VCS and registry tokens (GitHub, GitLab, npm, PyPI), \
           payment and messaging keys (Stripe, Twilio, SendGrid, Slack), AI provider keys (OpenAI, Anthropic, \
           Hugging Face), private keys, JWTs, connection strings with a password, and high-entropy values assigned \
           to secret-named variables. Values are never shown, only a redacted preview and a fingerprint.",
    why: "A committed secret is readable by everyone with access to the repository, its forks, clones, CI logs \
          and backups, forever: deleting it in a later commit does not remove it from history. Automated scanners \
          harvest keys from public repositories within minutes.",
    example: "STRIPE_KEY = \"sk_live_...\"",
    remediation: "Revoke and rotate the secret, then load it from a secret manager or the environment.",
    fix: &[
        "Revoke the secret at its issuer now and issue a new one: it is in the git history and must be considered leaked.",
        "Load the new secret from a secret manager or the environment at runtime; keep it out of files under version control.",
        "If the file must hold an example, use an obvious placeholder; add fake test keys to `[[secrets.allow]]` in vigil.toml with a reason.",
        "Purge the value from history (git filter-repo) if the repository is or was shared outside the team.",
    ],
    verify: &["The old secret is rejected by its issuer; re-run `vigil assess`: the finding is gone."],
    mitigated_by: &[],
    false_positives: "Test fixtures, documentation examples and revoked keys look like secrets: allow them in `[[secrets.allow]]` with a reason; generic high-entropy assignments (medium confidence) are the most common false positives.",
    references: &[
        "https://cwe.mitre.org/data/definitions/798.html",
        "https://docs.github.com/en/code-security/secret-scanning/about-secret-scanning",
    ],
    compliance: vigil_core::compliance::for_secret_in_code(),
};

/// What a leaked secret of each detector unlocks, as an impact base.
fn impact(detector: &str) -> (u8, &'static str) {
    match detector {
        "aws-access-key-id" | "aws-secret-access-key" | "azure-storage-key" | "private-key" => {
            (9, "cloud account or host access")
        }
        "github-token" | "gitlab-token" | "npm-token" | "pypi-token" => {
            (9, "source code and package publishing: supply-chain access")
        }
        "stripe-live-key" => (9, "live payments and cardholder data"),
        "connection-string-password" => (8, "direct database access"),
        "openai-api-key" | "anthropic-api-key" | "huggingface-token" => {
            (6, "paid AI usage and any data sent to the provider")
        }
        "slack-token" | "slack-webhook" | "twilio-api-key" | "sendgrid-api-key" | "google-api-key" => {
            (6, "messaging in the organisation's name")
        }
        "jwt" => (5, "a session or service identity until it expires"),
        "stripe-test-key" => (2, "a test-mode payment account only"),
        _ => (6, "whatever the credential protects"),
    }
}

impl Rule for SecretInCode {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ctx.inventory
            .of_kind(AssetKind::Secret)
            .filter(|secret| allowed(ctx, secret).is_none())
            .map(|secret| {
                let detector = secret.attr_str("detector").unwrap_or("unknown");
                let redacted = secret.attr_str("redacted").unwrap_or("");
                let test_path = secret.attr_bool("in_test_path") == Some(true);
                let high = secret.attr_str("confidence") == Some("high");
                let (likelihood, why) = match (high, test_path) {
                    (true, false) => (7, "a valid-looking credential in shipped files"),
                    (false, false) => (
                        4,
                        "a high-entropy value assigned to a secret-named variable (may be a false positive)",
                    ),
                    (_, true) => (3, "in a test or fixture path: often a fake, but still committed"),
                };
                let (impact, unlocks) = impact(detector);
                let mut hit = Hit::new(
                    secret.id.0.clone(),
                    format!("{} in {}", secret.name, secret.path()),
                    format!("{detector}: {redacted}"),
                    vec![secret.id.clone()],
                    secret
                        .evidence
                        .iter()
                        .take(1)
                        .map(|e| e.clone().with_note(format!("{detector}: {redacted}")))
                        .collect(),
                );
                hit.likelihood = Some((likelihood, why.to_owned()));
                hit.impact = Some((impact, format!("{detector} grants {unlocks}")));
                hit
            })
            .collect()
    }
}

/// The allowlist entry that accepts this secret, if any.
fn allowed<'c>(ctx: &Context<'c>, secret: &Asset) -> Option<&'c vigil_core::config::SecretAllow> {
    ctx.scope.secrets.allow.iter().find(|entry| {
        let path_ok = entry.path.as_ref().is_none_or(|glob| {
            Glob::new(glob)
                .map(|g| g.compile_matcher().is_match(secret.path()))
                .unwrap_or(false)
        });
        let fingerprint_ok = entry.fingerprint.as_ref().is_none_or(|prefix| {
            secret
                .attr_str("value_fingerprint")
                .is_some_and(|f| f.starts_with(prefix.as_str()))
        });
        let detector_ok = entry
            .detector
            .as_ref()
            .is_none_or(|d| secret.attr_str("detector") == Some(d.as_str()));
        path_ok && fingerprint_ok && detector_ok
    })
}
