//! `.terraform.lock.hcl`: the Terraform providers a configuration pinned (`provider "registry.terraform.io/
//! hashicorp/aws" { version = "5.31.0" ... }`). Providers run with the deployment's cloud credentials, so
//! they are dependencies like any other; no advisory feed covers them, which the matcher says.

use hcl::edit::Span;
use hcl::edit::expr::Expression;
use hcl::edit::structure::Structure;
use vigil_core::{Dependency, DependencyScope, Ecosystem, LineIndex};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct TerraformLock;

/// The public registry's host, left out of provider names (`hashicorp/aws`).
const PUBLIC_REGISTRY: &str = "registry.terraform.io/";

impl Extractor for TerraformLock {
    fn name(&self) -> &'static str {
        "terraform/lock"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == ".terraform.lock.hcl"
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let lines = LineIndex::new(file.text);
        let body = hcl::edit::parser::parse_body(file.text).map_err(|e| {
            file.error(
                u32::try_from(e.location().line()).ok(),
                format!("invalid HCL: {}", e.message()),
            )
        })?;
        for structure in body.iter() {
            let Structure::Block(block) = structure else {
                continue;
            };
            if block.ident.as_str() != "provider" {
                continue;
            }
            let line = block.span().map(|s| lines.line(s.start));
            let Some(address) = block.labels.first().map(|l| l.as_str().to_owned()) else {
                out.diagnostics
                    .push(file.warning(line, "provider block without an address; skipped"));
                continue;
            };
            let version = block.body.iter().find_map(|s| match s {
                Structure::Attribute(a) if a.key.as_str() == "version" => match &a.value {
                    Expression::String(v) => Some(v.value().to_string()),
                    _ => None,
                },
                _ => None,
            });
            let Some(version) = version else {
                out.diagnostics
                    .push(file.warning(line, format!("provider {address} has no version; skipped")));
                continue;
            };
            let (name, source) = match address.strip_prefix(PUBLIC_REGISTRY) {
                Some(name) => (name.to_owned(), None),
                None => (
                    address.clone(),
                    Some(format!("registry:{}", address.split('/').next().unwrap_or(""))),
                ),
            };
            let dependency = Dependency {
                ecosystem: Ecosystem::Terraform,
                name,
                version,
                direct: Some(true),
                scope: DependencyScope::Prod,
            };
            let mut asset = dependency.into_asset(file.evidence(line));
            if let Some(source) = source {
                asset = asset.with("source", source);
            }
            out.assets.push(asset);
        }
        Ok(())
    }
}
