//! What the code of each service shows, attributed to the service's model component: the catalog SDKs it
//! uses (with their category), the modules it imports and its API endpoints. Capabilities and controls are
//! both read from these facts.

use std::collections::HashMap;

use vigil_core::{Asset, AssetKind, Evidence, Inventory, ModuleImport, SystemModel};

/// Service directories and their component ids, longest directory first so the innermost service wins.
#[derive(Debug)]
pub struct Services {
    dirs: Vec<(String, String)>,
}

impl Services {
    pub fn new(inventory: &Inventory) -> Self {
        let mut dirs: Vec<(String, String)> = inventory
            .of_kind(AssetKind::Service)
            .map(|s| {
                let dir = s
                    .attr_str("directory")
                    .unwrap_or_else(|| s.id.0.trim_start_matches("service:"))
                    .trim_matches('/')
                    .to_owned();
                (dir, service_component(s))
            })
            .collect();
        dirs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Self { dirs }
    }

    /// The component of the service whose directory holds `path`.
    pub fn for_path(&self, path: &str) -> Option<&str> {
        let path = path.trim_matches('/');
        self.dirs
            .iter()
            .find(|(dir, _)| {
                dir.is_empty()
                    || path == dir
                    || path
                        .strip_prefix(dir.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
            .map(|(_, component)| component.as_str())
    }
}

/// Model components by id, so each fact finds its component without a scan.
pub fn component_positions(model: &SystemModel) -> HashMap<String, usize> {
    model
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect()
}

pub fn service_component(service: &Asset) -> String {
    format!("svc:{}", service.id.0.trim_start_matches("service:"))
}

/// A fact about one service component, with where it was seen.
#[derive(Debug)]
pub struct Fact<'a> {
    pub component: String,
    pub evidence: Evidence,
    pub what: What<'a>,
}

#[derive(Debug)]
pub enum What<'a> {
    /// A catalog SDK of this category and id (`payments`/`stripe`).
    Sdk { category: &'a str, id: &'a str },
    /// An imported module, in a language (`python`/`lxml`).
    Import { language: &'a str, module: &'a str },
    /// An API endpoint (`POST`, `/upload`), authenticated or not.
    Endpoint {
        method: &'a str,
        path: &'a str,
        authenticated: bool,
    },
}

/// Every fact of the inventory, attributed to service components.
pub fn facts<'a>(inventory: &'a Inventory, services: &Services) -> Vec<Fact<'a>> {
    let mut facts = Vec::new();
    for asset in &inventory.assets {
        match asset.kind {
            AssetKind::Integration | AssetKind::AiUsage | AssetKind::Datastore | AssetKind::Identity => {
                let (Some(category), Some(id)) = (asset.attr_str("category"), asset.attr_str("sdk")) else {
                    continue;
                };
                let evidence = asset.evidence.first().cloned().unwrap_or_default();
                for service in strings(asset, "services") {
                    facts.push(Fact {
                        component: format!("svc:{}", service.trim_start_matches("service:")),
                        evidence: evidence.clone(),
                        what: What::Sdk { category, id },
                    });
                }
            }
            AssetKind::ApiEndpoint => {
                let Some(component) = asset
                    .attr_str("service")
                    .map(|s| format!("svc:{}", s.trim_start_matches("service:")))
                    .or_else(|| services.for_path(asset.path()).map(str::to_owned))
                else {
                    continue;
                };
                facts.push(Fact {
                    component,
                    evidence: asset.evidence.first().cloned().unwrap_or_default(),
                    what: What::Endpoint {
                        method: asset.attr_str("method").unwrap_or("GET"),
                        path: asset.attr_str("path").unwrap_or("/"),
                        authenticated: asset.attr_bool("authenticated") == Some(true),
                    },
                });
            }
            _ => {}
        }
    }
    for import in &inventory.imports {
        facts.extend(import_facts(import, services));
    }
    facts
}

fn import_facts<'a>(import: &'a ModuleImport, services: &Services) -> Vec<Fact<'a>> {
    import
        .production_roots
        .iter()
        .filter_map(|rooted| {
            let component = services
                .for_path(&rooted.evidence.path)
                .or_else(|| services.for_path(&rooted.root))?;
            Some(Fact {
                component: component.to_owned(),
                evidence: rooted
                    .evidence
                    .clone()
                    .with_note(format!("imports {}", import.module)),
                what: What::Import {
                    language: &import.language,
                    module: &import.module,
                },
            })
        })
        .collect()
}

fn strings<'a>(asset: &'a Asset, key: &str) -> Vec<&'a str> {
    asset
        .attributes
        .get(key)
        .and_then(|v| v.as_array())
        .map(|items| items.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default()
}

/// Whether `module` (as imported in `language`) is `wanted` or a submodule of it. `wanted` is matched
/// for the language family given: `js` (JavaScript, TypeScript), `py`, `go`, `java`, `rb`, `php`, `cs`.
pub fn module_matches(language: &str, module: &str, family: &str, wanted: &str) -> bool {
    let in_family = match family {
        "js" => matches!(language, "javascript" | "typescript" | "tsx"),
        "py" => language == "python",
        "go" => language == "go",
        "java" => language == "java",
        "rb" => language == "ruby",
        "php" => language == "php",
        "cs" => language == "csharp",
        _ => false,
    };
    if !in_family {
        return false;
    }
    let module = module.strip_prefix("node:").unwrap_or(module);
    module == wanted
        || module
            .strip_prefix(wanted)
            .is_some_and(|rest| rest.starts_with(['.', '/', ':', '\\']))
}

#[cfg(test)]
mod tests {
    use super::module_matches;

    #[test]
    fn modules_match_on_segment_boundaries() {
        assert!(module_matches(
            "python",
            "xml.etree.ElementTree",
            "py",
            "xml.etree"
        ));
        assert!(module_matches(
            "javascript",
            "node:child_process",
            "js",
            "child_process"
        ));
        assert!(module_matches("typescript", "multer", "js", "multer"));
        assert!(!module_matches("python", "xml_tools", "py", "xml"));
        assert!(!module_matches("go", "multer", "js", "multer"));
        assert!(module_matches("go", "os/exec", "go", "os/exec"));
        assert!(module_matches("php", "GuzzleHttp\\Client", "php", "GuzzleHttp"));
    }
}
