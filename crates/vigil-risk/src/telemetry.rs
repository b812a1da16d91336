//! Detection controls found in infrastructure code, which make an attack more likely to be noticed and so
//! lower Detectability: account-wide audit and threat detection (CloudTrail, GuardDuty, Security Hub,
//! Config) and per-resource access logging (S3 server access logs).

use serde_json::Value;
use vigil_core::{Asset, AssetKind, Inventory};

/// Account-wide controls, what they say, and whether they only see control-plane (identity and API)
/// activity: CloudTrail's default trail records API calls and credential use, not reads of bucket objects
/// or database rows, so it does not help detect data-plane abuse of an exposed resource.
const ACCOUNT_CONTROLS: [(&str, &str, bool); 4] = [
    (
        "aws_cloudtrail",
        "CloudTrail records API calls and credential use",
        true,
    ),
    (
        "aws_guardduty_detector",
        "GuardDuty detects anomalous access",
        false,
    ),
    (
        "aws_securityhub_account",
        "Security Hub aggregates findings",
        false,
    ),
    (
        "aws_config_configuration_recorder",
        "AWS Config records configuration changes",
        true,
    ),
];

#[derive(Debug, Default)]
pub struct Telemetry {
    /// (signal, control plane only)
    account: Vec<(String, bool)>,
    /// (address of the logged bucket reference, evidence) of `aws_s3_bucket_logging` resources.
    s3_logging: Vec<(String, String)>,
}

impl Telemetry {
    pub fn find(inventory: &Inventory) -> Self {
        let mut telemetry = Self::default();
        for asset in inventory
            .assets
            .iter()
            .filter(|a| a.kind == AssetKind::CloudResource)
        {
            if asset.attr_str("mode") != Some("managed") && asset.attr_str("mode").is_some() {
                continue;
            }
            let Some(resource_type) = asset.attr_str("resource_type") else {
                continue;
            };
            if let Some((_, what, control_plane)) =
                ACCOUNT_CONTROLS.iter().find(|(t, _, _)| *t == resource_type)
            {
                let signal = (
                    format!("{what} ({}, {})", asset.name, asset.evidence_for("").location()),
                    *control_plane,
                );
                if !telemetry.account.contains(&signal) {
                    telemetry.account.push(signal);
                }
            }
            if resource_type == "aws_s3_bucket_logging" {
                let target = asset
                    .attributes
                    .get("config")
                    .and_then(|c| c.get("bucket"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                telemetry.s3_logging.push((
                    target.to_owned(),
                    format!(
                        "server access logging by {} ({})",
                        asset.name,
                        asset.evidence_for("").location()
                    ),
                ));
            }
        }
        telemetry
    }

    /// Account-wide signals that apply: all of them for identity and credential findings, the
    /// data-plane ones for the rest.
    pub fn signals(&self, identity: bool) -> Vec<String> {
        self.account
            .iter()
            .filter(|(_, control_plane)| identity || !control_plane)
            .map(|(s, _)| s.clone())
            .collect()
    }

    /// Access logging configured for this resource, if any.
    pub fn access_logging(&self, asset: &Asset) -> Option<String> {
        let address = asset.attr_str("address")?;
        self.s3_logging
            .iter()
            .find(|(target, _)| {
                target.contains(&format!("{address}.")) || target.ends_with(&format!("{address}}}"))
            })
            .map(|(_, signal)| signal.clone())
    }
}
