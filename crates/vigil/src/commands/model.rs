//! `vigil model`: the system model as Mermaid, Graphviz DOT, JSON or OTM (with the threats found on each
//! component). Dependencies are not matched against advisories here: the model and its threats need none.

use std::process::ExitCode;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::assess::{load_scope, spinner};
use crate::cli::{Cli, ModelArgs, ModelFormat};
use crate::output::{self, Hinted};

pub fn run(cli: &Cli, args: &ModelArgs) -> anyhow::Result<ExitCode> {
    if !args.path.is_dir() {
        return Err(Hinted::error(
            format!("{}: not a directory", args.path.display()),
            "pass the root of the repository to model",
        ));
    }
    let scope = load_scope(&args.path, args.config.as_deref())?;
    let progress = spinner(cli.quiet);
    let on_stage = |stage: &str| progress.set_message(stage.to_owned());
    let assessment = vigil_engine::assess(
        &args.path,
        vigil_engine::Options {
            scope,
            advisories: None,
            intel: vigil_vulns::intel::IntelFiles::default(),
            ingest: Vec::new(),
            as_of: OffsetDateTime::now_utc().date(),
            generated_at: OffsetDateTime::now_utc().format(&Rfc3339)?,
            on_stage: &on_stage,
        },
    )?;
    progress.finish_and_clear();
    let text = match args.format {
        ModelFormat::Mermaid => vigil_report::diagram::mermaid(&assessment.model),
        ModelFormat::Dot => vigil_report::diagram::dot(&assessment.model),
        ModelFormat::Json => {
            let mut text = serde_json::to_string_pretty(&assessment.model)?;
            text.push('\n');
            text
        }
        ModelFormat::Otm => vigil_report::otm::render(&assessment),
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
