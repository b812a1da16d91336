//! What the AWS rules share: reading a resource's settings the same way whether it comes from Terraform or
//! from CloudFormation, and finding the resources that point at each other in either format.
//!
//! Both extractors give a resource a `resource_type` and a `config`. Terraform's config has snake_case
//! attributes, nested blocks as lists (`vpc_config.0.endpoint_public_access`) and anything computed as a
//! `${...}` string; CloudFormation's is the `Properties` map with its PascalCase names and intrinsic
//! functions in their JSON form (`{"Ref": "X"}`, `{"Fn::If": [...]}`). A rule names the types and paths of
//! both formats, and a computed value is never judged.

use serde_json::{Map, Value};
use vigil_core::{Asset, Evidence};
use vigil_model::aws::{policy_statements, resolve_policy};
use vigil_model::terraform::{blocks, config};

use crate::rule::{Context, Hit};

/// Whether a resource comes from a CloudFormation (or SAM) template.
pub fn is_cloudformation(resource: &Asset) -> bool {
    resource.attr_str("format") == Some("cloudformation")
}

/// Managed resources of any of `types`, Terraform and CloudFormation types alike.
pub fn resources<'c, 'a>(ctx: &'c Context<'a>, types: &'c [&str]) -> impl Iterator<Item = &'a Asset> + 'c {
    types.iter().flat_map(|t| ctx.tf.of_type(t))
}

/// The value at a dotted path of a resource's config; list items are addressed by index
/// (`default_action.0.redirect.0.protocol`, `DefaultActions.0.RedirectConfig.Protocol`).
pub fn lookup<'v>(resource: &'v Asset, path: &str) -> Option<&'v Value> {
    let mut value = resource.attributes.get("config")?;
    for segment in path.split('.') {
        value = match value {
            Value::Object(map) => map.get(segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

/// Every value at a dotted path, walking into every item of the lists met on the way
/// (`rule.apply_server_side_encryption_by_default.sse_algorithm` of a Terraform block list,
/// `ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm` of a CloudFormation list).
pub fn all<'v>(resource: &'v Asset, path: &str) -> Vec<&'v Value> {
    let mut values: Vec<&Value> = resource.attributes.get("config").into_iter().collect();
    for segment in path.split('.') {
        values = values
            .into_iter()
            .flat_map(|v| match v {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            })
            .filter_map(|v| v.get(segment))
            .collect();
    }
    values
}

/// A value written as an expression: a Terraform `${...}` or a CloudFormation intrinsic function
/// (`Ref`, `Fn::If`, `Fn::ImportValue`...). What it evaluates to is not known from the code.
pub fn computed(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains("${"),
        Value::Object(map) => {
            map.len() == 1
                && map
                    .keys()
                    .all(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
        }
        _ => false,
    }
}

/// A literal string setting (not computed).
pub fn text<'v>(resource: &'v Asset, path: &str) -> Option<&'v str> {
    lookup(resource, path)
        .filter(|v| !computed(v))
        .and_then(Value::as_str)
}

/// A string setting and whether it is written: `(value, true)`, or `(default, false)` when it is not
/// written; `None` when it is computed or not a string, which cannot be judged.
pub fn text_or<'v>(resource: &'v Asset, path: &str, default: &'v str) -> Option<(&'v str, bool)> {
    match lookup(resource, path) {
        None | Some(Value::Null) => Some((default, false)),
        Some(_) => text(resource, path).map(|value| (value, true)),
    }
}

/// A literal number setting; both formats also accept numbers written as strings.
pub fn number(resource: &Asset, path: &str) -> Option<i64> {
    match lookup(resource, path)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Whether a setting is written at all (a computed value counts: something is configured).
pub fn present(resource: &Asset, path: &str) -> bool {
    lookup(resource, path).is_some_and(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
        _ => true,
    })
}

/// How a boolean setting is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    True,
    False,
    Unset,
    /// An expression, or something that is not a boolean.
    Unknown,
}

/// A boolean setting; both formats accept `"true"`/`"false"` strings.
pub fn flag(resource: &Asset, path: &str) -> Flag {
    match lookup(resource, path) {
        None | Some(Value::Null) => Flag::Unset,
        Some(Value::Bool(true)) => Flag::True,
        Some(Value::Bool(false)) => Flag::False,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Flag::True,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Flag::False,
        Some(_) => Flag::Unknown,
    }
}

/// Evidence at `path`, or at the closest enclosing block that has a line, or at the declaration.
pub fn evidence_at(resource: &Asset, path: &str) -> Evidence {
    let mut candidates = vec![path];
    let mut rest = path;
    while let Some((parent, _)) = rest.rsplit_once('.') {
        candidates.push(parent);
        rest = parent;
    }
    resource.evidence_for_first(&candidates)
}

/// A boolean setting that should be `true`, found `false` or missing (for settings that default to false).
#[derive(Debug)]
pub struct Off<'a> {
    pub resource: &'a Asset,
    pub path: &'static str,
    pub flag: Flag,
}

impl Off<'_> {
    /// A hit about the resource: `encrypted = false`, or `encrypted is not set (the default is false)`.
    pub fn hit(&self, title: String) -> Hit {
        let detail = match self.flag {
            Flag::False => format!("{} = false", self.path),
            _ => format!("{} is not set (the default is false)", self.path),
        };
        setting_hit(self.resource, self.path, title, detail)
    }

    /// A hit about this one setting, for rules that report several settings of a resource.
    pub fn setting_hit(&self, title: String) -> Hit {
        let mut hit = self.hit(title);
        hit.subject = format!("{}#{}", self.resource.id, self.path);
        hit
    }
}

/// A hit about a resource's setting, with the evidence of the setting (or of what encloses it).
pub fn setting_hit(resource: &Asset, path: &str, title: String, detail: String) -> Hit {
    Hit::new(
        resource.id.0.clone(),
        title,
        detail,
        vec![resource.id.clone()],
        vec![evidence_at(resource, path)],
    )
}

/// A setting whose absence is the problem (a key, a web ACL, a log destination).
#[derive(Debug)]
pub struct Missing<'a> {
    pub resource: &'a Asset,
    pub path: &'static str,
}

impl Missing<'_> {
    /// A hit about the resource: `kms_key_id is not set`.
    pub fn hit(&self, title: String) -> Hit {
        setting_hit(
            self.resource,
            self.path,
            title,
            format!("{} is not set", self.path),
        )
    }
}

/// The resources of the given types that do not write the setting at the path given for their type.
pub fn missing<'a>(ctx: &Context<'a>, settings: &[(&str, &'static str)]) -> Vec<Missing<'a>> {
    settings
        .iter()
        .flat_map(|&(resource_type, path)| {
            ctx.tf
                .of_type(resource_type)
                .filter(move |r| !present(r, path))
                .map(move |resource| Missing { resource, path })
        })
        .collect()
}

/// `resource`'s boolean setting at `path` when it is `false` or missing (for settings that default to false).
pub fn off<'a>(resource: &'a Asset, path: &'static str) -> Option<Off<'a>> {
    let flag = flag(resource, path);
    matches!(flag, Flag::False | Flag::Unset).then_some(Off { resource, path, flag })
}

/// The resources of the given types whose boolean setting, at the path given for their type, is `false` or
/// missing: `settings` pairs a resource type (of either format) with the path of the setting in it.
pub fn not_enabled<'a>(ctx: &Context<'a>, settings: &[(&str, &'static str)]) -> Vec<Off<'a>> {
    settings
        .iter()
        .flat_map(|&(resource_type, path)| ctx.tf.of_type(resource_type).filter_map(move |r| off(r, path)))
        .collect()
}

/// Whether `value` refers to the CloudFormation resource `logical` (`Ref`, `Fn::GetAtt`, or a `${X}` /
/// `${X.Attr}` inside `Fn::Sub`), anywhere inside it.
pub fn refers_to_logical(value: &Value, logical: &str) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(key, inner)| match (key.as_str(), inner) {
            ("Ref", Value::String(name)) => name == logical,
            ("Fn::GetAtt", Value::Array(parts)) => parts.first().and_then(Value::as_str) == Some(logical),
            ("Fn::GetAtt", Value::String(dotted)) => dotted.split('.').next() == Some(logical),
            ("Fn::Sub", _) => sub_mentions(inner, logical) || refers_to_logical(inner, logical),
            _ => refers_to_logical(inner, logical),
        }),
        Value::Array(items) => items.iter().any(|v| refers_to_logical(v, logical)),
        _ => false,
    }
}

fn sub_mentions(sub: &Value, logical: &str) -> bool {
    let template = match sub {
        Value::String(s) => s.as_str(),
        Value::Array(parts) => parts.first().and_then(Value::as_str).unwrap_or_default(),
        _ => "",
    };
    template.contains(&format!("${{{logical}}}")) || template.contains(&format!("${{{logical}."))
}

/// Resources that point at `target` through one of `links` (companion type, attribute of the companion
/// holding the reference): Terraform companions in the same module by address or by the same literal,
/// CloudFormation ones in the same template by `Ref`, `Fn::GetAtt` or `Fn::Sub`. Links of the other
/// format than `target`'s are ignored.
pub fn companions<'a>(ctx: &Context<'a>, target: &Asset, links: &[(&str, &str)]) -> Vec<&'a Asset> {
    let cloudformation = is_cloudformation(target);
    let logical = target.attr_str("address").unwrap_or_default();
    let mut found = Vec::new();
    for (companion_type, attribute) in links {
        if companion_type.contains("::") != cloudformation {
            continue;
        }
        if cloudformation {
            found.extend(ctx.tf.of_type(companion_type).filter(|c| {
                c.path() == target.path()
                    && config(c)
                        .and_then(|cfg| cfg.get(*attribute))
                        .is_some_and(|v| refers_to_logical(v, logical))
            }));
        } else {
            found.extend(ctx.tf.companions(target, companion_type, attribute));
        }
    }
    found
}

/// Resources of `types` that `source` refers to anywhere in its config (the load balancer of a listener,
/// the API of a method), in the same Terraform module or CloudFormation template.
pub fn referenced<'a>(ctx: &Context<'a>, source: &Asset, types: &[&str]) -> Vec<&'a Asset> {
    let cloudformation = is_cloudformation(source);
    let mut found = Vec::new();
    for resource_type in types {
        if resource_type.contains("::") != cloudformation {
            continue;
        }
        if cloudformation {
            let Some(source_config) = source.attributes.get("config") else {
                continue;
            };
            found.extend(ctx.tf.of_type(resource_type).filter(|r| {
                r.path() == source.path()
                    && refers_to_logical(source_config, r.attr_str("address").unwrap_or_default())
            }));
        } else {
            found.extend(ctx.tf.referenced_by(source, resource_type));
        }
    }
    found
}

/// An RDS database (Terraform `aws_db_instance` / `aws_rds_cluster`, CloudFormation `AWS::RDS::DBInstance`
/// / `AWS::RDS::DBCluster`) that owns its own settings: read replicas follow their source, and the
/// instances of an Aurora cluster declared in CloudFormation (`DBClusterIdentifier`) follow the cluster.
pub fn rds_databases<'c, 'a>(ctx: &'c Context<'a>) -> impl Iterator<Item = &'a Asset> + 'c {
    const TYPES: [&str; 4] = [
        "aws_db_instance",
        "aws_rds_cluster",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
    ];
    const FOLLOWERS: [&str; 4] = [
        "replicate_source_db",
        "SourceDBInstanceIdentifier",
        "SourceDBClusterIdentifier",
        "DBClusterIdentifier",
    ];
    resources(ctx, &TYPES).filter(|db| {
        let follower = |key: &str| {
            // An Aurora cluster's own `DBClusterIdentifier` is its name, not a parent.
            !(key == "DBClusterIdentifier" && db.attr_str("resource_type") == Some("AWS::RDS::DBCluster"))
                && present(db, key)
        };
        !FOLLOWERS.iter().any(|key| follower(key))
    })
}

/// The name of a setting in `resource`'s format: `terraform` or `cloudformation`.
pub fn pick<'n>(resource: &Asset, terraform: &'n str, cloudformation: &'n str) -> &'n str {
    if is_cloudformation(resource) {
        cloudformation
    } else {
        terraform
    }
}

/// An IAM permissions policy found in the code, in any of the places Terraform and CloudFormation put one.
#[derive(Debug)]
pub struct Policy<'a> {
    pub holder: &'a Asset,
    /// Where in the holder the document is (`policy`, `inline_policy.0.policy`, `Policies.1.PolicyDocument`).
    pub attribute: String,
    pub document: Value,
    pub evidence: Evidence,
}

impl Policy<'_> {
    /// A hit about this policy document (one per holder and attribute).
    pub fn hit(&self, title: String, detail: String) -> Hit {
        Hit::new(
            format!("{}:{}", self.holder.id, self.attribute),
            title,
            detail,
            vec![self.holder.id.clone()],
            vec![self.evidence.clone()],
        )
    }
}

/// Terraform resources that carry a permissions policy document in an attribute.
const TERRAFORM_HOLDERS: [&str; 4] = [
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
];

/// CloudFormation resources whose `PolicyDocument` is a permissions policy.
const CLOUDFORMATION_HOLDERS: [&str; 5] = [
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::UserPolicy",
    "AWS::IAM::GroupPolicy",
];

/// CloudFormation principals with embedded policies (`Policies: [{PolicyName, PolicyDocument}]`).
const CLOUDFORMATION_PRINCIPALS: [&str; 3] = ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"];

/// Every permissions policy document of the code: Terraform policies written with `jsonencode`, a heredoc
/// or a `data "aws_iam_policy_document"`, `inline_policy` blocks of `aws_iam_role`; CloudFormation
/// policies and the `Policies` embedded in roles, users and groups. Trust policies are not included.
pub fn policy_documents<'a>(ctx: &Context<'a>) -> Vec<Policy<'a>> {
    let mut found = Vec::new();
    for holder in resources(ctx, &TERRAFORM_HOLDERS) {
        if let Some((document, evidence)) = resolve_policy(&ctx.tf, holder, "policy") {
            found.push(Policy {
                holder,
                attribute: "policy".into(),
                document,
                evidence,
            });
        }
    }
    for role in ctx.tf.of_type("aws_iam_role") {
        let Some(cfg) = config(role) else { continue };
        for (index, inline) in blocks(cfg, "inline_policy").into_iter().enumerate() {
            if let Some(document) = parse_document(inline.get("policy")) {
                let attribute = format!("inline_policy.{index}.policy");
                let evidence = role.evidence_for(&attribute);
                found.push(Policy {
                    holder: role,
                    attribute,
                    document,
                    evidence,
                });
            }
        }
    }
    for holder in resources(ctx, &CLOUDFORMATION_HOLDERS) {
        if let Some(document) = parse_document(lookup(holder, "PolicyDocument")) {
            found.push(Policy {
                holder,
                attribute: "PolicyDocument".into(),
                evidence: holder.evidence_for("PolicyDocument"),
                document,
            });
        }
    }
    for principal in resources(ctx, &CLOUDFORMATION_PRINCIPALS) {
        let Some(Value::Array(policies)) = lookup(principal, "Policies") else {
            continue;
        };
        for (index, embedded) in policies.iter().enumerate() {
            if let Some(document) = parse_document(embedded.get("PolicyDocument")) {
                let attribute = format!("Policies.{index}.PolicyDocument");
                let evidence = evidence_at(principal, &attribute);
                found.push(Policy {
                    holder: principal,
                    attribute,
                    document,
                    evidence,
                });
            }
        }
    }
    found
}

/// A policy document written as a JSON object, or as JSON text (a heredoc, `jsonencode`).
fn parse_document(value: Option<&Value>) -> Option<Value> {
    match value? {
        // JSON text that is an expression (`${data.x.json}`) does not parse; computed parts inside a
        // `jsonencode` (`${aws_s3_bucket.x.arn}`) are only strings of the document.
        Value::String(text) => serde_json::from_str(text).ok(),
        document @ Value::Object(_) if !computed(document) => Some(document.clone()),
        _ => None,
    }
}

/// A role's trust policy (Terraform `assume_role_policy`, CloudFormation `AssumeRolePolicyDocument`).
pub fn trust_policy(ctx: &Context<'_>, role: &Asset) -> Option<(Value, Evidence)> {
    if is_cloudformation(role) {
        let document = parse_document(lookup(role, "AssumeRolePolicyDocument"))?;
        Some((document, role.evidence_for("AssumeRolePolicyDocument")))
    } else {
        resolve_policy(&ctx.tf, role, "assume_role_policy")
    }
}

/// The `Allow` statements of a policy document.
pub fn allow_statements(document: &Value) -> impl Iterator<Item = &Map<String, Value>> {
    policy_statements(document)
        .into_iter()
        .filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow"))
}

/// A string or a list of strings (`Action`, `Resource`, `PublicAccessCidrs`).
pub fn string_list(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cloudformation_references_in_every_form() {
        assert!(refers_to_logical(&json!({"Ref": "Data"}), "Data"));
        assert!(refers_to_logical(&json!({"Fn::GetAtt": ["Data", "Arn"]}), "Data"));
        assert!(refers_to_logical(&json!({"Fn::GetAtt": "Data.Arn"}), "Data"));
        assert!(refers_to_logical(&json!({"Fn::Sub": "${Data.Arn}/*"}), "Data"));
        assert!(refers_to_logical(
            &json!({"Fn::Sub": ["arn:${Data}", {"X": "y"}]}),
            "Data"
        ));
        assert!(refers_to_logical(
            &json!([{"Fn::If": ["C", {"Ref": "Data"}, ""]}]),
            "Data"
        ));
        assert!(!refers_to_logical(&json!({"Ref": "DataLogs"}), "Data"));
        assert!(!refers_to_logical(&json!({"Fn::Sub": "${DataLogs}"}), "Data"));
        assert!(
            !refers_to_logical(&json!("Data"), "Data"),
            "a plain string is a name"
        );
    }

    #[test]
    fn expressions_of_both_formats_are_computed() {
        assert!(computed(&json!("${var.encrypted}")));
        assert!(computed(&json!({"Ref": "Encrypted"})));
        assert!(computed(&json!({"Fn::If": ["Prod", true, false]})));
        assert!(!computed(&json!({"Enabled": true})));
        assert!(!computed(&json!(true)));
        assert!(!computed(&json!("AES256")));
    }
}
