//! `aws-ec2-imds-v1`: an EC2 instance or launch template that still answers IMDSv1 requests.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::terraform::{blocks, config, literal_str};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct Imdsv1;

static META: RuleMeta = RuleMeta {
    id: "aws-ec2-imds-v1",
    title: "EC2 instance metadata answers IMDSv1",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::ElevationOfPrivilege],
    cwe: &["CWE-918", "CWE-522"],
    capec: &["CAPEC-664"],
    attack: &["T1552.005"],
    likelihood: 5,
    impact: 8,
    what: "An `aws_instance` or `aws_launch_template` without `metadata_options { http_tokens = \"required\" }` \
           (and with the metadata endpoint enabled): the instance metadata service accepts unauthenticated \
           IMDSv1 GET requests. Checkov: CKV_AWS_79.",
    why: "With IMDSv1, any server-side request forgery in software on the instance (a URL fetcher, an image \
          proxy, a webhook tester) can read `http://169.254.169.254/latest/meta-data/iam/security-credentials/` \
          and walk away with the instance role's temporary credentials, as in the 2019 Capital One breach. \
          IMDSv2's session token has to be obtained with a PUT that SSRF rarely allows.",
    example: "resource \"aws_instance\" \"web\" {\n  ami           = \"ami-123\"\n  instance_type = \"t3.micro\"\n}",
    remediation: "Require IMDSv2: `metadata_options { http_tokens = \"required\" }`.",
    fix: &[
        "Add `metadata_options { http_tokens = \"required\"  http_put_response_hop_limit = 1 }` to the instance or launch template.",
        "Check that the software on the instance uses an AWS SDK recent enough for IMDSv2 (all current ones are).",
        "Set the account default with `aws ec2 modify-instance-metadata-defaults --http-tokens required` for new instances.",
    ],
    verify: &[
        "`aws ec2 describe-instances --query 'Reservations[].Instances[].MetadataOptions.HttpTokens'` prints `required`; re-run `vigil assess`.",
    ],
    mitigated_by: &["imdsv2-required-by-default"],
    false_positives: "Instances with the metadata endpoint disabled (`http_endpoint = \"disabled\"`) are not reported; a \
                      launch template overridden at launch time by an account-level default of `required` is safe in \
                      practice but still reported from the code.",
    references: &[
        "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html",
        "https://cwe.mitre.org/data/definitions/918.html",
    ],
    compliance: &[
        (Objective::PciDss4, "2.2.1"),
        (Objective::Soc2, "CC6.1"),
        (Objective::OwaspAsvs, "V12.6.1"),
    ],
};

impl Rule for Imdsv1 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ["aws_instance", "aws_launch_template"]
            .into_iter()
            .flat_map(|t| ctx.tf.of_type(t))
            .filter_map(|resource| {
                let cfg = config(resource)?;
                let options = blocks(cfg, "metadata_options");
                let option = |key: &str| options.iter().find_map(|o| literal_str(o, key));
                if option("http_endpoint") == Some("disabled") || option("http_tokens") == Some("required") {
                    return None;
                }
                // A value computed elsewhere (`var.http_tokens`) cannot be judged from the code.
                let computed = options.iter().any(|o| {
                    o.get("http_tokens")
                        .and_then(|v| v.as_str())
                        .is_some_and(|s| s.contains("${"))
                });
                if computed {
                    return None;
                }
                let detail = match option("http_tokens") {
                    Some(tokens) => format!("metadata_options.http_tokens = \"{tokens}\""),
                    None => "no metadata_options.http_tokens (the default accepts IMDSv1)".to_owned(),
                };
                let places: &[&str] = if options.is_empty() {
                    &["ami", "instance_type"]
                } else {
                    &[
                        "metadata_options.0.http_tokens",
                        "metadata_options.0",
                        "metadata_options",
                    ]
                };
                Some(Hit {
                    subject: resource.id.0.clone(),
                    title: format!("{} answers IMDSv1 metadata requests", resource.name),
                    detail,
                    assets: vec![resource.id.clone()],
                    evidence: vec![resource.evidence_for_first(places)],
                    exposes_to_internet: false,
                    likelihood: None,
                    impact: None,
                })
            })
            .collect()
    }
}
