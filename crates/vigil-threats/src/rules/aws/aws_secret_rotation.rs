//! `aws-secret-rotation-disabled`: a Secrets Manager secret that is never rotated.

use vigil_core::{FindingKind, Objective, Stride};

use super::iac;
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SecretRotation;

static META: RuleMeta = RuleMeta {
    id: "aws-secret-rotation-disabled",
    title: "Secrets Manager secret is never rotated",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Spoofing],
    cwe: &["CWE-262"],
    capec: &["CAPEC-560"],
    attack: &["T1078.004", "T1552"],
    likelihood: 3,
    impact: 5,
    what: "An `aws_secretsmanager_secret` without an `aws_secretsmanager_secret_rotation` whose `secret_id` \
           refers to it (nor the old inline `rotation_lambda_arn`), or an `AWS::SecretsManager::Secret` without an \
           `AWS::SecretsManager::RotationSchedule` whose `SecretId` refers to it in the same template. Checkov: \
           CKV2_AWS_57.",
    why: "A secret that never changes stays valid in every place it ever leaked to: old laptops, CI logs, a \
          departed employee's notes, a backup of an application's environment. Rotation bounds how long a leak \
          is useful and proves that the applications can survive a change when an incident demands one.",
    example: "resource \"aws_secretsmanager_secret\" \"db\" {\n  name = \"orders-db\"\n}",
    remediation: "Rotate the secret automatically.",
    fix: &[
        "Add an `aws_secretsmanager_secret_rotation` with a rotation Lambda (AWS provides templates for RDS, Redshift and DocumentDB) and `rotation_rules { automatically_after_days = 30 }`; CloudFormation: `AWS::SecretsManager::RotationSchedule` with `HostedRotationLambda` or `RotationLambdaARN`.",
        "For RDS master passwords, prefer `manage_master_user_password = true`, which RDS rotates itself.",
        "Make the applications read the secret at connection time (or cache it briefly) so that a rotation does not break them.",
    ],
    verify: &[
        "`aws secretsmanager describe-secret --secret-id NAME` shows `RotationEnabled: true` and a recent `LastRotatedDate`; re-run `vigil assess`.",
    ],
    mitigated_by: &[],
    false_positives: "Secrets that cannot be rotated by the holder (a third party's API key issued by hand) need a \
                      manual rotation procedure instead: accept the finding with it as the reason.",
    references: &[
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
        "https://cwe.mitre.org/data/definitions/262.html",
    ],
    compliance: &[
        (Objective::PciDss4, "8.6.3"),
        (Objective::Soc2, "CC6.1"),
        (Objective::Hipaa, "164.308(a)(5)(ii)(D)"),
    ],
};

impl Rule for SecretRotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &["aws_secretsmanager_secret", "AWS::SecretsManager::Secret"])
            .filter(|secret| {
                !iac::present(secret, "rotation_lambda_arn")
                    && iac::companions(
                        ctx,
                        secret,
                        &[
                            ("aws_secretsmanager_secret_rotation", "secret_id"),
                            ("AWS::SecretsManager::RotationSchedule", "SecretId"),
                        ],
                    )
                    .is_empty()
            })
            .map(|secret| {
                Hit::new(
                    secret.id.0.clone(),
                    format!("{} is never rotated", secret.name),
                    "no rotation schedule refers to this secret".into(),
                    vec![secret.id.clone()],
                    vec![secret.evidence_for_first(&["name", "Name"])],
                )
            })
            .collect()
    }
}
