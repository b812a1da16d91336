//! `vigil schema`: the Assessment JSON Schema.

use std::process::ExitCode;

pub fn run() -> anyhow::Result<ExitCode> {
    crate::output::stdout(&vigil_core::schema::assessment_schema_pretty())?;
    Ok(ExitCode::SUCCESS)
}
