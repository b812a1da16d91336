//! `vigil inventory`: discovery and classification only, as a table, JSON or a CycloneDX 1.6 BOM.

use std::process::ExitCode;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::assess::{load_scope, spinner};
use crate::cli::{Cli, InventoryArgs, InventoryFormat};
use crate::output::{self, Hinted};

pub fn run(cli: &Cli, args: &InventoryArgs) -> anyhow::Result<ExitCode> {
    if !args.path.is_dir() {
        return Err(Hinted::error(
            format!("{}: not a directory", args.path.display()),
            "pass the root of the repository to inventory",
        ));
    }
    let scope = load_scope(&args.path, args.config.as_deref())?;
    let progress = spinner(cli.quiet);
    let on_stage = |stage: &str| progress.set_message(stage.to_owned());
    let run = vigil_engine::inventory(&args.path, scope, &on_stage)?;
    progress.finish_and_clear();
    let name = run.scope.name.clone().unwrap_or_else(|| "repository".into());
    let text = match args.format {
        InventoryFormat::Table => vigil_report::inventory_table::render(&name, &run.inventory),
        InventoryFormat::Json => {
            let document = serde_json::json!({
                "inventory": run.inventory,
                "model": run.model,
                "coverage": run.coverage,
                "diagnostics": run.diagnostics,
            });
            let mut text = serde_json::to_string_pretty(&document)?;
            text.push('\n');
            text
        }
        InventoryFormat::Cyclonedx => {
            let timestamp = OffsetDateTime::now_utc().format(&Rfc3339)?;
            let info = vigil_report::cyclonedx::BomInfo {
                name: &name,
                tool_version: env!("CARGO_PKG_VERSION"),
                timestamp: &timestamp,
            };
            vigil_report::cyclonedx::render(&run.inventory, &run.model, &info)
        }
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
