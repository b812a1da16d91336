//! Facts about AWS resources that both the model (exposure) and the threat rules need, each returned with
//! the evidence that shows it. Companion resources are taken into account: an `aws_s3_bucket_acl` makes a
//! bucket public, an `aws_s3_bucket_public_access_block` can undo it.

use serde_json::{Map, Value};
use vigil_core::{Asset, Evidence};

use crate::terraform::{Terraform, blocks, config, literal_bool, literal_i64, literal_str, strings};

/// Canned ACLs that grant access to everyone (or every AWS account holder).
const PUBLIC_ACLS: [&str; 3] = ["public-read", "public-read-write", "authenticated-read"];

/// Why a bucket is readable or writable by the public.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicBucket {
    pub reason: String,
    pub evidence: Evidence,
    pub writable: bool,
}

/// Whether an S3 bucket is public through its ACL or its bucket policy, net of a public-access block.
pub fn s3_public(tf: &Terraform<'_>, bucket: &Asset) -> Option<PublicBucket> {
    let block = tf.companions(bucket, "aws_s3_bucket_public_access_block", "bucket");
    let blocked = |key: &str| {
        block
            .iter()
            .any(|b| config(b).and_then(|c| literal_bool(c, key)) == Some(true))
    };
    let acl_neutralised = blocked("ignore_public_acls");
    let policy_neutralised = blocked("restrict_public_buckets");

    if !acl_neutralised {
        let inline = config(bucket)
            .and_then(|c| literal_str(c, "acl"))
            .map(|acl| (acl, bucket, "acl"));
        let companions = tf.companions(bucket, "aws_s3_bucket_acl", "bucket");
        let companion = companions.iter().find_map(|c| {
            config(c)
                .and_then(|cfg| literal_str(cfg, "acl"))
                .map(|acl| (acl, *c, "acl"))
        });
        for (acl, holder, attribute) in inline.into_iter().chain(companion) {
            if PUBLIC_ACLS.contains(&acl) {
                return Some(PublicBucket {
                    reason: format!("{} sets the canned ACL `{acl}`", holder.name),
                    evidence: holder.evidence_for(attribute),
                    writable: acl == "public-read-write",
                });
            }
        }
    }
    if !policy_neutralised {
        for policy in tf.companions(bucket, "aws_s3_bucket_policy", "bucket") {
            let Some((document, evidence)) = resolve_policy(tf, policy, "policy") else {
                continue;
            };
            if let Some(statement) = public_statement(&document) {
                let actions = strings(statement, "Action");
                return Some(PublicBucket {
                    reason: format!(
                        "{} allows `{}` to Principal \"*\" without a condition",
                        policy.name,
                        actions.join(", ")
                    ),
                    evidence,
                    writable: actions
                        .iter()
                        .any(|a| a.contains("Put") || a.contains("Delete") || a.ends_with('*')),
                });
            }
        }
    }
    None
}

/// The first Allow statement of an IAM policy document granting to everyone without a Condition.
fn public_statement(document: &Value) -> Option<&Map<String, Value>> {
    let statements = policy_statements(document);
    statements.into_iter().find(|s| {
        let allow = s.get("Effect").and_then(Value::as_str) == Some("Allow");
        let everyone = match s.get("Principal") {
            Some(Value::String(p)) => p == "*",
            Some(Value::Object(p)) => p
                .get("AWS")
                .is_some_and(|v| v == "*" || v.as_array().is_some_and(|a| a.iter().any(|x| x == "*"))),
            _ => false,
        };
        allow && everyone && s.get("Condition").is_none()
    })
}

/// The statements of a policy document (see [`resolve_policy`] for getting one).
pub fn policy_statements(document: &Value) -> Vec<&Map<String, Value>> {
    match document {
        Value::Object(map) => match map.get("Statement") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
            Some(Value::Object(one)) => vec![one],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The IAM policy document in `holder`'s `attribute`, in whichever form Terraform code gives it: JSON text
/// (`jsonencode(...)` or a heredoc), or a reference to a `data "aws_iam_policy_document"` whose `statement`
/// blocks are turned into the equivalent JSON. Returns the document and where it is written.
pub fn resolve_policy(tf: &Terraform<'_>, holder: &Asset, attribute: &str) -> Option<(Value, Evidence)> {
    let value = config(holder)?.get(attribute)?;
    match value {
        Value::String(text) if !text.trim_start().starts_with("${") => serde_json::from_str(text)
            .ok()
            .map(|doc| (doc, holder.evidence_for(attribute))),
        Value::Object(_) => Some((value.clone(), holder.evidence_for(attribute))),
        Value::String(_) => {
            let data = tf
                .referenced_data(holder, "aws_iam_policy_document")
                .into_iter()
                .next()?;
            Some((
                document_from_data(data),
                data.evidence_for_first(&["statement.0", "statement"]),
            ))
        }
        _ => None,
    }
}

/// `data "aws_iam_policy_document"` statement blocks -> the JSON policy they render.
pub fn document_from_data(data: &Asset) -> Value {
    let statements: Vec<Value> = config(data)
        .map(|cfg| blocks(cfg, "statement"))
        .unwrap_or_default()
        .into_iter()
        .map(|s| {
            let mut out = Map::new();
            out.insert(
                "Effect".into(),
                Value::from(literal_str(s, "effect").unwrap_or("Allow")),
            );
            out.insert("Action".into(), Value::from(strings(s, "actions")));
            out.insert("Resource".into(), Value::from(strings(s, "resources")));
            if !strings(s, "not_actions").is_empty() {
                out.insert("NotAction".into(), Value::from(strings(s, "not_actions")));
            }
            let principals = blocks(s, "principals");
            if let Some(p) = principals.first() {
                let kind = literal_str(p, "type").unwrap_or("AWS");
                let ids = strings(p, "identifiers");
                let principal = if kind == "*" || ids == ["*"] && kind == "AWS" {
                    Value::from("*")
                } else {
                    Value::Object(Map::from_iter([(kind.to_owned(), Value::from(ids))]))
                };
                out.insert("Principal".into(), principal);
            }
            if !blocks(s, "condition").is_empty() {
                out.insert("Condition".into(), Value::Bool(true));
            }
            Value::Object(out)
        })
        .collect();
    serde_json::json!({ "Statement": statements })
}

/// One ingress rule open to the whole Internet.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenIngress {
    pub from_port: i64,
    pub to_port: i64,
    pub protocol: String,
    pub cidr: String,
    pub evidence: Evidence,
}

impl OpenIngress {
    /// All ports, or a range containing `port`.
    pub fn covers(&self, port: i64) -> bool {
        self.protocol == "-1" || self.protocol == "all" || (self.from_port <= port && port <= self.to_port)
    }

    pub fn ports(&self) -> String {
        if self.protocol == "-1" || self.protocol == "all" {
            "all ports".into()
        } else if self.from_port == self.to_port {
            format!("port {}", self.from_port)
        } else {
            format!("ports {}-{}", self.from_port, self.to_port)
        }
    }
}

const ANYWHERE: [&str; 2] = ["0.0.0.0/0", "::/0"];

/// Ingress open to 0.0.0.0/0 or ::/0: inline `ingress` blocks of an `aws_security_group`, and standalone
/// `aws_security_group_rule` (type ingress) / `aws_vpc_security_group_ingress_rule` resources attached
/// to it.
pub fn open_ingress(tf: &Terraform<'_>, group: &Asset) -> Vec<OpenIngress> {
    let mut open = Vec::new();
    if let Some(cfg) = config(group) {
        for (index, block) in blocks(cfg, "ingress").into_iter().enumerate() {
            let prefix = format!("ingress.{index}");
            open.extend(rule_openings(
                block,
                group,
                &prefix,
                &["cidr_blocks", "ipv6_cidr_blocks"],
            ));
        }
    }
    for rule in tf.companions(group, "aws_security_group_rule", "security_group_id") {
        let Some(cfg) = config(rule) else { continue };
        if literal_str(cfg, "type") == Some("ingress") {
            open.extend(rule_openings(cfg, rule, "", &["cidr_blocks", "ipv6_cidr_blocks"]));
        }
    }
    for rule in tf.companions(group, "aws_vpc_security_group_ingress_rule", "security_group_id") {
        let Some(cfg) = config(rule) else { continue };
        open.extend(rule_openings(cfg, rule, "", &["cidr_ipv4", "cidr_ipv6"]));
    }
    open
}

fn rule_openings(
    rule: &Map<String, Value>,
    holder: &Asset,
    prefix: &str,
    cidr_keys: &[&str],
) -> Vec<OpenIngress> {
    let protocol = match rule.get("protocol").or_else(|| rule.get("ip_protocol")) {
        Some(Value::String(p)) => p.to_ascii_lowercase(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "tcp".into(),
    };
    let from_port = literal_i64(rule, "from_port").unwrap_or(0);
    let to_port = literal_i64(rule, "to_port").unwrap_or(from_port);
    let mut open = Vec::new();
    for key in cidr_keys {
        for cidr in strings(rule, key) {
            if ANYWHERE.contains(&cidr) {
                let attribute = if prefix.is_empty() {
                    (*key).to_owned()
                } else {
                    format!("{prefix}.{key}")
                };
                open.push(OpenIngress {
                    from_port,
                    to_port,
                    protocol: protocol.clone(),
                    cidr: cidr.to_owned(),
                    evidence: holder
                        .evidence_for(&attribute)
                        .with_note(format!("{} ingress from {cidr}", holder.name)),
                });
            }
        }
    }
    open
}

/// Whether an RDS instance/cluster asks for a public address.
pub fn db_publicly_accessible(db: &Asset) -> Option<Evidence> {
    (config(db).and_then(|c| literal_bool(c, "publicly_accessible")) == Some(true))
        .then(|| db.evidence_for("publicly_accessible"))
}

/// A Lambda function URL that anyone can call (authorization_type NONE).
pub fn lambda_public_url(tf: &Terraform<'_>, function: &Asset) -> Option<Evidence> {
    tf.companions(function, "aws_lambda_function_url", "function_name")
        .into_iter()
        .find_map(|url| {
            (config(url).and_then(|c| literal_str(c, "authorization_type")) == Some("NONE"))
                .then(|| url.evidence_for("authorization_type"))
        })
}

/// Security groups a resource attaches (by reference).
pub fn attached_security_groups<'a>(tf: &Terraform<'a>, resource: &Asset) -> Vec<&'a Asset> {
    tf.referenced_by(resource, "aws_security_group")
}
