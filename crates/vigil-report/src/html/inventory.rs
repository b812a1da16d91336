//! The inventory: what the code revealed, grouped by kind, one row per asset with where it was found.

use std::collections::BTreeMap;
use std::fmt::Write;

use vigil_core::{Asset, AssetKind, Inventory};

use super::escape::Escaped;

/// Rows shown per kind; a repository with thousands of dependencies would otherwise bury the report (the
/// JSON output has every asset).
const ROWS_PER_KIND: usize = 100;

pub(super) fn write(out: &mut String, inventory: &Inventory) {
    if inventory.assets.is_empty() {
        out.push_str("<p>No assets were found.</p>\n");
        return;
    }
    let mut by_kind: BTreeMap<AssetKind, Vec<&Asset>> = BTreeMap::new();
    for asset in &inventory.assets {
        by_kind.entry(asset.kind).or_default().push(asset);
    }
    let counts: Vec<String> = by_kind
        .iter()
        .map(|(kind, assets)| format!("{} {}", assets.len(), kind.as_str()))
        .collect();
    let _ = writeln!(
        out,
        "<p>{} assets: {}.</p>",
        inventory.assets.len(),
        counts.join(", ")
    );
    out.push_str(
        "<table class=\"inventory\" data-filter=\"tr.asset\">\n<thead><tr><th>Name</th><th>Kind</th>\
         <th>Criticality</th><th>Data classes</th><th>Found at</th></tr></thead>\n",
    );
    for (kind, assets) in &by_kind {
        let _ = writeln!(
            out,
            "<tbody>\n<tr class=\"group\"><th colspan=\"5\">{} ({})</th></tr>",
            kind.as_str(),
            assets.len()
        );
        for asset in assets.iter().take(ROWS_PER_KIND) {
            row(out, asset);
        }
        if assets.len() > ROWS_PER_KIND {
            let _ = writeln!(
                out,
                "<tr><td colspan=\"5\" class=\"muted\">… {} more (see --format json)</td></tr>",
                assets.len() - ROWS_PER_KIND
            );
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
}

fn row(out: &mut String, asset: &Asset) {
    let classes: Vec<&str> = asset.data_classes.iter().map(|c| c.as_str()).collect();
    let location = asset.evidence.first().map(|e| e.location()).unwrap_or_default();
    let _ = writeln!(
        out,
        "<tr class=\"asset\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
        Escaped(&asset.name),
        asset.kind.as_str(),
        asset.criticality.as_str(),
        classes.join(", "),
        Escaped(&location)
    );
}
