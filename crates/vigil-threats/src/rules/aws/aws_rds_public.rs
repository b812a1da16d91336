//! `aws-rds-publicly-accessible`: an RDS database with a public address.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::aws;

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RdsPublic;

static META: RuleMeta = RuleMeta {
    id: "aws-rds-publicly-accessible",
    title: "Database is publicly accessible",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure, Stride::Spoofing],
    cwe: &["CWE-284"],
    capec: &["CAPEC-1"],
    attack: &["T1190"],
    likelihood: 6,
    impact: 8,
    what: "An `aws_db_instance` or `aws_rds_cluster` with `publicly_accessible = true`, which gives it an address \
           resolvable and routable from the Internet. The rule says whether its security groups also admit \
           Internet traffic.",
    why: "A database listening on the Internet is exposed to credential stuffing, brute force and any \
          pre-authentication bug in the engine. Databases should only be reachable from the application tier.",
    example: "resource \"aws_db_instance\" \"orders\" {\n  publicly_accessible = true\n}",
    remediation: "Make the database private and reach it from inside the VPC.",
    fix: &[
        "Set `publicly_accessible = false` and place the instance in private subnets (`db_subnet_group_name`).",
        "Allow its port only from the application's security group.",
        "For administration use SSM Session Manager or a bastion, not a public endpoint.",
    ],
    verify: &[
        "`aws rds describe-db-instances` shows `PubliclyAccessible: false`; the endpoint resolves to a private address.",
    ],
    mitigated_by: &["no-public-route"],
    false_positives: "`publicly_accessible = true` only matters with a route from the Internet: an instance in private subnets only, or behind a security group that admits no public range, is not reachable.",
    references: &[
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.4.4"),
        (Objective::Hipaa, "164.312(e)(1)"),
        (Objective::Soc2, "CC6.6"),
    ],
};

impl Rule for RdsPublic {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        ["aws_db_instance", "aws_rds_cluster"]
            .into_iter()
            .flat_map(|t| ctx.tf.of_type(t))
            .filter_map(|db| {
                let evidence = aws::db_publicly_accessible(db)?;
                let groups = aws::attached_security_groups(&ctx.tf, db);
                let open: Vec<_> = groups.iter().flat_map(|g| aws::open_ingress(&ctx.tf, g)).collect();
                let detail = if groups.is_empty() {
                    "publicly_accessible = true; no security group is attached in code, so the VPC default applies".to_owned()
                } else if open.is_empty() {
                    "publicly_accessible = true; its security groups admit no traffic from 0.0.0.0/0 today".to_owned()
                } else {
                    format!("publicly_accessible = true and {} open to {}", open[0].ports(), open[0].cidr)
                };
                let mut evidence = vec![evidence];
                evidence.extend(open.into_iter().take(1).map(|o| o.evidence));
                Some(Hit {
                    subject: db.id.0.clone(),
                    title: format!("{} is reachable from the Internet", db.name),
                    detail,
                    assets: vec![db.id.clone()],
                    evidence,
                    exposes_to_internet: true,
                    likelihood: None,
                    impact: None,
                })
            })
            .collect()
    }
}
