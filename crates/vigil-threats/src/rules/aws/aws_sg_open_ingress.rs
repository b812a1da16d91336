//! `aws-sg-open-ingress`: a security group that admits the whole Internet to an administration or database
//! port, or to every port.

use vigil_core::{FindingKind, Objective, Stride};
use vigil_model::aws::{self, OpenIngress};

use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SgOpenIngress;

/// Ports that should never face the Internet, and what listens on them.
const SENSITIVE_PORTS: [(i64, &str); 18] = [
    (21, "FTP"),
    (22, "SSH"),
    (23, "Telnet"),
    (445, "SMB"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2375, "Docker API"),
    (2379, "etcd"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (5432, "PostgreSQL"),
    (5601, "Kibana"),
    (5900, "VNC"),
    (6379, "Redis"),
    (9200, "Elasticsearch"),
    (9092, "Kafka"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
];

static META: RuleMeta = RuleMeta {
    id: "aws-sg-open-ingress",
    title: "Security group opens an administration or database port to the Internet",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::InformationDisclosure],
    cwe: &["CWE-284"],
    capec: &["CAPEC-169"],
    attack: &["T1190", "T1133"],
    likelihood: 7,
    impact: 7,
    what: "Ingress from `0.0.0.0/0` or `::/0` to SSH, RDP, a database or another administration port, or to \
           all ports, in an `aws_security_group` (inline `ingress` blocks) or an `aws_security_group_rule` / \
           `aws_vpc_security_group_ingress_rule` attached to one. Web ports (80, 443) are not reported.",
    why: "Internet-wide scanners find open SSH, RDP and database ports within minutes and try credential \
          stuffing and known exploits against them; these services were never meant to face untrusted networks.",
    example: "ingress {\n  from_port   = 22\n  to_port     = 22\n  protocol    = \"tcp\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n}",
    remediation: "Restrict the ingress to known networks or remove it.",
    fix: &[
        "Replace `0.0.0.0/0` with the CIDR of your VPN or office, or with a source security group.",
        "For shell access use SSM Session Manager and remove port 22/3389 ingress entirely.",
        "Keep databases in private subnets reachable only from the application's security group.",
    ],
    verify: &[
        "`aws ec2 describe-security-groups --group-ids ID` lists no `0.0.0.0/0` or `::/0` range on the port.",
    ],
    mitigated_by: &["no-public-route"],
    false_positives: "A rule open to 0.0.0.0/0 on a load balancer's HTTP/HTTPS port is the intended entry point; administration and database ports open to the Internet are not.",
    references: &[
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-group-rules.html",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: &[
        (Objective::PciDss4, "1.3.1"),
        (Objective::Soc2, "CC6.6"),
        (Objective::Hipaa, "164.312(e)(1)"),
    ],
};

impl Rule for SgOpenIngress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for group in ctx.tf.of_type("aws_security_group") {
            for ingress in aws::open_ingress(&ctx.tf, group) {
                let Some((what, port_key)) = classify(&ingress) else {
                    continue;
                };
                hits.push(Hit {
                    subject: format!("{}:{port_key}:{}", group.id, ingress.cidr),
                    title: format!("{} opens {what} to {}", group.name, ingress.cidr),
                    detail: format!("ingress on {} from {}", ingress.ports(), ingress.cidr),
                    assets: vec![group.id.clone()],
                    evidence: vec![ingress.evidence.clone()],
                    exposes_to_internet: true,
                    likelihood: None,
                    impact: None,
                });
            }
        }
        hits
    }
}

/// What sensitive service an opening exposes, and a stable key for it; `None` for ordinary web ports.
fn classify(ingress: &OpenIngress) -> Option<(String, String)> {
    if ingress.protocol == "-1"
        || ingress.protocol == "all"
        || (ingress.from_port <= 0 && ingress.to_port >= 65535)
    {
        return Some(("all ports".into(), "all".into()));
    }
    let exposed: Vec<&str> = SENSITIVE_PORTS
        .iter()
        .filter(|(port, _)| ingress.covers(*port))
        .map(|(_, name)| *name)
        .collect();
    if exposed.is_empty() {
        return None;
    }
    let what = if ingress.from_port == ingress.to_port {
        format!("{} (port {})", exposed.join(", "), ingress.from_port)
    } else {
        format!(
            "ports {}-{} ({})",
            ingress.from_port,
            ingress.to_port,
            exposed.join(", ")
        )
    };
    Some((what, format!("{}-{}", ingress.from_port, ingress.to_port)))
}
