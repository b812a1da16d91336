//! The CISA Known Exploited Vulnerabilities catalog (JSON feed): `vulnerabilities[]` with `cveID`,
//! `dateAdded`, `dueDate` and `knownRansomwareCampaignUse` (`Known` / `Unknown`).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::IntelError;

/// A KEV listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KevEntry {
    pub cve: String,
    pub date_added: String,
    pub due_date: String,
    /// Used in ransomware campaigns (`Known`); `false` for CISA's `Unknown`.
    pub ransomware: bool,
}

#[derive(Deserialize)]
struct Catalog {
    #[serde(rename = "catalogVersion")]
    catalog_version: String,
    vulnerabilities: Vec<Listing>,
}

#[derive(Deserialize)]
struct Listing {
    #[serde(rename = "cveID")]
    cve: String,
    #[serde(rename = "dateAdded")]
    date_added: String,
    #[serde(rename = "dueDate", default)]
    due_date: String,
    #[serde(rename = "knownRansomwareCampaignUse", default)]
    ransomware: String,
}

/// The catalog's version and its number of listings (validation for an import).
pub fn summary(path: &Path) -> Result<(String, usize), IntelError> {
    let catalog = parse(path)?;
    Ok((catalog.catalog_version, catalog.vulnerabilities.len()))
}

/// The listings of the `wanted` CVEs.
pub fn read(path: &Path, wanted: &HashSet<String>) -> Result<HashMap<String, KevEntry>, IntelError> {
    Ok(parse(path)?
        .vulnerabilities
        .into_iter()
        .filter(|l| wanted.contains(&l.cve))
        .map(|l| {
            let entry = KevEntry {
                cve: l.cve.clone(),
                date_added: l.date_added,
                due_date: l.due_date,
                ransomware: l.ransomware.eq_ignore_ascii_case("known"),
            };
            (l.cve, entry)
        })
        .collect())
}

fn parse(path: &Path) -> Result<Catalog, IntelError> {
    let bytes = fs_err::read(path).map_err(|e| IntelError::io(path, e))?;
    let catalog: Catalog = serde_json::from_slice(&bytes)
        .map_err(|e| IntelError::invalid(path, format!("not a CISA KEV catalog: {e}")))?;
    if let Some(bad) = catalog.vulnerabilities.iter().find(|l| !super::is_cve(&l.cve)) {
        return Err(IntelError::invalid(
            path,
            format!("`{}` is not a CVE id", bad.cve),
        ));
    }
    Ok(catalog)
}
