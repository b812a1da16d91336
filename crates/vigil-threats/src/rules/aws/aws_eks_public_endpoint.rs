//! `aws-eks-public-endpoint`: an EKS cluster whose Kubernetes API answers the whole Internet.

use vigil_core::{FindingKind, Stride};

use super::compliance;
use super::iac::{self, Flag, is_cloudformation};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct EksPublicEndpoint;

pub(super) const CLUSTERS: [&str; 2] = ["aws_eks_cluster", "AWS::EKS::Cluster"];

const ANYWHERE: [&str; 2] = ["0.0.0.0/0", "::/0"];

static META: RuleMeta = RuleMeta {
    id: "aws-eks-public-endpoint",
    title: "EKS API endpoint is open to the Internet",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::ElevationOfPrivilege, Stride::InformationDisclosure],
    cwe: &["CWE-284"],
    capec: &["CAPEC-1"],
    attack: &["T1190", "T1078.004", "T1609"],
    likelihood: 4,
    impact: 8,
    what: "An `aws_eks_cluster` whose `vpc_config` leaves `endpoint_public_access` on (the default) with \
           `public_access_cidrs` unset (the default is `0.0.0.0/0`) or containing `0.0.0.0/0`, or the same in an \
           `AWS::EKS::Cluster`'s `ResourcesVpcConfig` (`EndpointPublicAccess`, `PublicAccessCidrs`). Checkov: \
           CKV_AWS_39, CKV_AWS_38.",
    why: "The Kubernetes API server controls every workload and secret of the cluster. Open to the Internet it \
          is one leaked kubeconfig, token or IAM key away from a full takeover, and exposed to any \
          pre-authentication vulnerability of the API server or its authenticators; scanners enumerate EKS \
          endpoints continuously.",
    example: "resource \"aws_eks_cluster\" \"main\" {\n  name     = \"main\"\n  role_arn = aws_iam_role.eks.arn\n  vpc_config {\n    subnet_ids = var.subnets\n  }\n}",
    remediation: "Make the endpoint private, or restrict it to known networks.",
    fix: &[
        "Set `endpoint_private_access = true` and `endpoint_public_access = false`, and reach the API through a VPN, bastion or CI runners inside the VPC (CloudFormation: `EndpointPrivateAccess: true`, `EndpointPublicAccess: false`).",
        "If public access is needed, set `public_access_cidrs` to the office or CI egress ranges only.",
    ],
    verify: &[
        "`aws eks describe-cluster --name NAME --query cluster.resourcesVpcConfig` shows `endpointPublicAccess: false` or narrow `publicAccessCidrs`; re-run `vigil assess`.",
    ],
    mitigated_by: &["no-public-route"],
    false_positives: "A public endpoint still requires valid credentials; teams without a private network path may \
                      accept it with short-lived, SSO-backed credentials and audit logging, but should restrict \
                      the CIDRs.",
    references: &[
        "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        "https://docs.aws.amazon.com/eks/latest/best-practices/control-plane.html",
        "https://cwe.mitre.org/data/definitions/284.html",
    ],
    compliance: compliance::PUBLIC_ENDPOINT,
};

impl Rule for EksPublicEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        iac::resources(ctx, &CLUSTERS)
            .filter_map(|cluster| {
                let (base, public, cidrs) = if is_cloudformation(cluster) {
                    ("ResourcesVpcConfig", "EndpointPublicAccess", "PublicAccessCidrs")
                } else {
                    ("vpc_config.0", "endpoint_public_access", "public_access_cidrs")
                };
                let public = format!("{base}.{public}");
                let cidrs = format!("{base}.{cidrs}");
                if !matches!(iac::flag(cluster, &public), Flag::True | Flag::Unset) {
                    return None;
                }
                let detail = match iac::lookup(cluster, &cidrs) {
                    None => format!("{public} is on and {cidrs} is not set (the default is 0.0.0.0/0)"),
                    Some(value) if iac::computed(value) => return None,
                    Some(value) => {
                        let open = iac::string_list(Some(value))
                            .into_iter()
                            .find(|c| ANYWHERE.contains(c))?;
                        format!("{public} is on and {cidrs} includes {open}")
                    }
                };
                Some(
                    Hit::new(
                        cluster.id.0.clone(),
                        format!("{}: the Kubernetes API answers the whole Internet", cluster.name),
                        detail,
                        vec![cluster.id.clone()],
                        vec![cluster.evidence_for_first(&[&cidrs, &public, base, "vpc_config"])],
                    )
                    .exposing(),
                )
            })
            .collect()
    }
}
