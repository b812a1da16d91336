//! `vigil inventory --format table`: the inventory grouped by kind, one line per asset with its
//! criticality, data classes, the detail that matters for its kind, and where it was found.

use std::fmt::Write;

use serde_json::Value;
use vigil_core::{Asset, AssetKind, Inventory};

use crate::sanitize::terminal as clean;

/// Rows shown per kind before eliding (the JSON has everything).
const ROWS_PER_KIND: usize = 25;

const ORDER: [AssetKind; 12] = [
    AssetKind::Service,
    AssetKind::ApiEndpoint,
    AssetKind::DataModel,
    AssetKind::Datastore,
    AssetKind::CloudResource,
    AssetKind::Identity,
    AssetKind::Integration,
    AssetKind::AiUsage,
    AssetKind::Secret,
    AssetKind::Pipeline,
    AssetKind::Team,
    AssetKind::Dependency,
];

pub fn render(name: &str, inventory: &Inventory) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Inventory of {}: {} assets, {} imported modules",
        clean(name),
        inventory.assets.len(),
        inventory.imports.len()
    );
    for kind in ORDER {
        let assets: Vec<&Asset> = inventory.of_kind(kind).collect();
        if assets.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} ({})", kind.as_str().to_ascii_uppercase(), assets.len());
        for asset in assets.iter().take(ROWS_PER_KIND) {
            let classes: Vec<&str> = asset.data_classes.iter().map(|c| c.as_str()).collect();
            let location = asset.evidence.first().map(|e| e.location()).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {:<40} {:<8} {:<14} {:<34} {}",
                truncate(&clean(&asset.name), 40),
                asset.criticality.as_str(),
                truncate(&classes.join(","), 14),
                truncate(&clean(&detail(asset)), 34),
                clean(&location)
            );
        }
        if assets.len() > ROWS_PER_KIND {
            let _ = writeln!(
                out,
                "  ... {} more (see --format json)",
                assets.len() - ROWS_PER_KIND
            );
        }
    }
    out
}

/// The one fact worth a column for each kind.
fn detail(asset: &Asset) -> String {
    let text = |key: &str| asset.attr_str(key).unwrap_or_default().to_owned();
    match asset.kind {
        AssetKind::Dependency => {
            let direct = match asset.attr_bool("direct") {
                Some(true) => "direct",
                Some(false) => "transitive",
                None => "",
            };
            format!(
                "{} {} {direct} {}",
                text("ecosystem"),
                text("version"),
                text("scope")
            )
        }
        AssetKind::ApiEndpoint => {
            let auth = match asset.attributes.get("authenticated") {
                Some(Value::Bool(true)) => format!("auth: yes ({})", text("guard")),
                Some(Value::Bool(false)) => "auth: NO".to_owned(),
                _ => "auth: unknown".to_owned(),
            };
            format!("{} {auth}", text("framework"))
        }
        AssetKind::DataModel => {
            let fields = asset
                .attributes
                .get("fields")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            format!("{} {fields} fields", text("framework"))
        }
        AssetKind::Secret => format!("{} {}", text("detector"), text("redacted")),
        AssetKind::Integration | AssetKind::AiUsage | AssetKind::Identity | AssetKind::Datastore => {
            let category = text("category");
            let how = if asset.attr_bool("imported") == Some(true) {
                "imported"
            } else if !category.is_empty() {
                "declared"
            } else {
                ""
            };
            [category, text("engine"), text("artifact"), how.to_owned()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        }
        AssetKind::CloudResource => text("resource_type"),
        AssetKind::Pipeline => text("platform"),
        AssetKind::Service => text("language"),
        AssetKind::Team => String::new(),
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(width - 1).collect::<String>())
    }
}
