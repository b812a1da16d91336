//! What several Google Cloud rules need: the grants made by the `*_iam_member`, `*_iam_binding` and
//! `*_iam_policy` resources, the resource a grant or setting applies to, and Compute Engine metadata flags.

use serde_json::Value;
use vigil_core::{Asset, Evidence};
use vigil_model::terraform::{Terraform, blocks, config, literal_str, strings};

/// One member granted one role by an IAM resource.
#[derive(Debug)]
pub(super) struct Grant<'a> {
    /// The `*_iam_member`, `*_iam_binding` or `*_iam_policy` resource.
    pub holder: &'a Asset,
    pub role: String,
    pub member: String,
    /// Where the member is written (in the `data.google_iam_policy` document for a policy).
    pub evidence: Evidence,
}

/// The principals that stand for anyone: every Internet user, and every holder of any Google account.
pub(super) fn is_public_member(member: &str) -> bool {
    member == "allUsers" || member == "allAuthenticatedUsers"
}

/// Every grant of the IAM resources of a resource family (`base` = `google_storage_bucket` reads
/// `google_storage_bucket_iam_member`, `_iam_binding` and `_iam_policy`). A policy's bindings are read from
/// the `data.google_iam_policy` it uses or from a literal JSON policy; computed roles and members are
/// skipped.
pub(super) fn grants<'a>(tf: &Terraform<'a>, base: &str) -> Vec<Grant<'a>> {
    let mut out = Vec::new();
    for holder in tf.of_type(&format!("{base}_iam_member")) {
        let Some(cfg) = config(holder) else { continue };
        if let (Some(role), Some(member)) = (literal_str(cfg, "role"), literal_str(cfg, "member")) {
            out.push(grant(holder, role, member, holder.evidence_for("member")));
        }
    }
    for holder in tf.of_type(&format!("{base}_iam_binding")) {
        let Some(cfg) = config(holder) else { continue };
        let Some(role) = literal_str(cfg, "role") else {
            continue;
        };
        for (index, member) in strings(cfg, "members").into_iter().enumerate() {
            let evidence = holder.evidence_for_first(&[&format!("members.{index}"), "members"]);
            out.push(grant(holder, role, member, evidence));
        }
    }
    for holder in tf.of_type(&format!("{base}_iam_policy")) {
        for document in tf.referenced_data(holder, "google_iam_policy") {
            let Some(cfg) = config(document) else { continue };
            for (b, binding) in blocks(cfg, "binding").into_iter().enumerate() {
                let Some(role) = literal_str(binding, "role") else {
                    continue;
                };
                for (m, member) in strings(binding, "members").into_iter().enumerate() {
                    let evidence = document
                        .evidence_for_first(&[&format!("binding.{b}.members.{m}"), &format!("binding.{b}")]);
                    out.push(grant(holder, role, member, evidence));
                }
            }
        }
        let literal_policy = config(holder)
            .and_then(|c| literal_str(c, "policy_data"))
            .and_then(|text| serde_json::from_str::<Value>(text).ok());
        for binding in literal_policy
            .iter()
            .flat_map(|p| p.get("bindings").and_then(Value::as_array).into_iter().flatten())
        {
            let Some(role) = binding.get("role").and_then(Value::as_str) else {
                continue;
            };
            for member in binding
                .get("members")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(member) = member.as_str() {
                    out.push(grant(holder, role, member, holder.evidence_for("policy_data")));
                }
            }
        }
    }
    out.retain(|g| !g.role.contains("${") && !g.member.contains("${"));
    out
}

fn grant<'a>(holder: &'a Asset, role: &str, member: &str, evidence: Evidence) -> Grant<'a> {
    Grant {
        holder,
        role: role.to_owned(),
        member: member.to_owned(),
        evidence,
    }
}

/// The resource of `target_type` that `holder` applies to: the one it refers to (`bucket =
/// google_storage_bucket.b.name`), else the one whose literal `target_key` equals `holder`'s literal
/// `holder_key` in the same module.
pub(super) fn target<'a>(
    tf: &Terraform<'a>,
    holder: &Asset,
    target_type: &str,
    holder_key: &str,
    target_key: &str,
) -> Option<&'a Asset> {
    if let Some(found) = tf.referenced_by(holder, target_type).into_iter().next() {
        return Some(found);
    }
    let wanted = config(holder).and_then(|c| literal_str(c, holder_key))?;
    tf.of_type(target_type)
        .filter(|t| t.attr_str("module_dir") == holder.attr_str("module_dir"))
        .find(|t| config(t).and_then(|c| literal_str(c, target_key)) == Some(wanted))
}

/// A Compute Engine metadata key set on an instance, an instance template or the project.
#[derive(Debug)]
pub(super) struct MetadataFlag<'a> {
    pub holder: &'a Asset,
    pub value: bool,
    /// The value as written, for details.
    pub written: String,
    pub evidence: Evidence,
    /// Project-wide metadata rather than one instance's.
    pub project_wide: bool,
}

/// Resources with a `metadata` map that Compute Engine reads for their VMs.
const METADATA_HOLDERS: [&str; 3] = [
    "google_compute_instance",
    "google_compute_instance_template",
    "google_compute_region_instance_template",
];

/// Every literal setting of the boolean metadata `key` (`serial-port-enable`, `enable-oslogin`): in the
/// `metadata` of instances and templates, of `google_compute_project_metadata`, and in
/// `google_compute_project_metadata_item` resources.
pub(super) fn metadata_flags<'a>(tf: &Terraform<'a>, key: &str) -> Vec<MetadataFlag<'a>> {
    let mut out = Vec::new();
    let holders = METADATA_HOLDERS
        .into_iter()
        .map(|t| (t, false))
        .chain([("google_compute_project_metadata", true)]);
    for (resource_type, project_wide) in holders {
        for holder in tf.of_type(resource_type) {
            let Some(value) = config(holder)
                .and_then(|c| c.get("metadata"))
                .and_then(|m| m.get(key))
            else {
                continue;
            };
            if let Some(flag) = metadata_bool(value) {
                let evidence = holder.evidence_for_first(&[&format!("metadata.{key}"), "metadata"]);
                out.push(metadata_flag(holder, flag, value, evidence, project_wide));
            }
        }
    }
    for item in tf.of_type("google_compute_project_metadata_item") {
        let Some(cfg) = config(item) else { continue };
        if literal_str(cfg, "key") != Some(key) {
            continue;
        }
        if let Some(value) = cfg.get("value")
            && let Some(flag) = metadata_bool(value)
        {
            out.push(metadata_flag(item, flag, value, item.evidence_for("value"), true));
        }
    }
    out
}

fn metadata_flag<'a>(
    holder: &'a Asset,
    value: bool,
    written: &Value,
    evidence: Evidence,
    project_wide: bool,
) -> MetadataFlag<'a> {
    MetadataFlag {
        holder,
        value,
        written: match written {
            Value::String(s) => format!("\"{s}\""),
            other => other.to_string(),
        },
        evidence,
        project_wide,
    }
}

/// How Compute Engine reads a boolean metadata value (`TRUE`, `true`, `1`, and their negations); anything
/// else, including a computed value, is not judged.
fn metadata_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().and_then(|n| match n {
            1 => Some(true),
            0 => Some(false),
            _ => None,
        }),
        Value::String(s) if s.eq_ignore_ascii_case("true") || s == "1" => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") || s == "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn metadata_booleans() {
        assert_eq!(metadata_bool(&json!("TRUE")), Some(true));
        assert_eq!(metadata_bool(&json!(true)), Some(true));
        assert_eq!(metadata_bool(&json!("1")), Some(true));
        assert_eq!(metadata_bool(&json!("False")), Some(false));
        assert_eq!(metadata_bool(&json!(0)), Some(false));
        assert_eq!(metadata_bool(&json!("${var.serial}")), None);
        assert_eq!(metadata_bool(&json!("maybe")), None);
    }
}
