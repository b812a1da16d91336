//! SBOM components as dependency assets: CycloneDX `components` (nested ones too) and SPDX `packages`,
//! each identified by its purl. Components without a purl of an ecosystem vigil matches are left out (an
//! SBOM also lists files, operating-system packages and the application itself).

use serde_json::Value;
use vigil_core::{Asset, Dependency, DependencyScope, Evidence};

use crate::purl;

/// Dependencies of a CycloneDX BOM (1.4–1.6, JSON).
pub fn cyclonedx(label: &str, bom: &Value) -> Vec<Asset> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = bom
        .get("components")
        .and_then(Value::as_array)
        .map(|c| c.iter().collect())
        .unwrap_or_default();
    while let Some(component) = stack.pop() {
        if let Some(children) = component.get("components").and_then(Value::as_array) {
            stack.extend(children);
        }
        let Some(purl) = component.get("purl").and_then(Value::as_str) else {
            continue;
        };
        // CycloneDX `scope`: required (the default), optional, or excluded (not part of the runtime).
        let scope = match component.get("scope").and_then(Value::as_str) {
            Some("optional") => DependencyScope::Optional,
            Some("excluded") => DependencyScope::Dev,
            Some("required") => DependencyScope::Prod,
            _ => DependencyScope::Unknown,
        };
        out.extend(asset(label, purl, scope));
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// Dependencies of an SPDX 2.3 document (JSON): packages with a `purl` external reference.
pub fn spdx(label: &str, document: &Value) -> Vec<Asset> {
    let mut out = Vec::new();
    for package in document
        .get("packages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let purls = package
            .get("externalRefs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|r| r.get("referenceType").and_then(Value::as_str) == Some("purl"))
            .filter_map(|r| r.get("referenceLocator").and_then(Value::as_str));
        for purl in purls {
            out.extend(asset(label, purl, DependencyScope::Unknown));
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

fn asset(label: &str, purl: &str, scope: DependencyScope) -> Option<Asset> {
    let (ecosystem, name, version) = purl::parse(purl)?;
    let dependency = Dependency {
        ecosystem,
        name,
        version,
        direct: None,
        scope,
    };
    Some(
        dependency
            .into_asset(Evidence::at(label, None))
            .with("source", "registry")
            .with("from_sbom", label),
    )
}
