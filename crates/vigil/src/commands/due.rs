//! `vigil due`: which scopes need a new assessment, and why.

use std::fmt::Write;
use std::process::ExitCode;

use time::OffsetDateTime;

use crate::cli::{Cli, DueArgs, TableFormat};
use crate::output::{self, Hinted};

pub fn run(cli: &Cli, args: &DueArgs) -> anyhow::Result<ExitCode> {
    let as_of = match &args.as_of {
        Some(text) => vigil_core::date::parse(text).ok_or_else(|| {
            Hinted::error(
                format!("--as-of `{text}` is not a date"),
                "write it as YYYY-MM-DD",
            )
        })?,
        None => OffsetDateTime::now_utc().date(),
    };
    let store = super::open_store(cli)?;
    let scopes = store.due(as_of)?;
    let text = match args.format {
        TableFormat::Json => {
            let mut text = serde_json::to_string_pretty(&scopes)?;
            text.push('\n');
            text
        }
        TableFormat::Term => {
            let mut out = String::new();
            if scopes.is_empty() {
                out.push_str("No saved assessments: `vigil assess` saves one on each run.\n");
            }
            for scope in &scopes {
                let name = vigil_report::sanitize::terminal(&scope.scope);
                let state = if scope.overdue_days > 0 {
                    format!("OVERDUE by {} days", scope.overdue_days)
                } else if !scope.triggers.is_empty() {
                    "DUE: material changes since the last assessment".to_owned()
                } else {
                    format!("next due {}", vigil_core::date::format(scope.next_due))
                };
                let _ = writeln!(
                    out,
                    "{name:<24} last assessed {} (every {} days): {state}",
                    vigil_core::date::format(scope.last_assessed),
                    scope.cadence_days
                );
                for trigger in &scope.triggers {
                    let _ = writeln!(
                        out,
                        "  {} {}: {}",
                        vigil_core::date::format(trigger.on),
                        trigger.kind,
                        vigil_report::sanitize::terminal(&trigger.detail)
                    );
                }
            }
            out
        }
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
