//! `vigil history` and `vigil show ID`: the saved assessments.

use std::fmt::Write;
use std::process::ExitCode;

use crate::cli::{Cli, HistoryArgs, ShowArgs, TableFormat};
use crate::output::{self, Hinted};

pub fn run(cli: &Cli, args: &HistoryArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_store(cli)?;
    let rows = store.history(args.scope.as_deref(), args.limit)?;
    let text = match args.format {
        TableFormat::Json => {
            let mut text = serde_json::to_string_pretty(&rows)?;
            text.push('\n');
            text
        }
        TableFormat::Term => table(&rows),
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn table(rows: &[vigil_store::AssessmentRow]) -> String {
    if rows.is_empty() {
        return "No saved assessments: `vigil assess` saves one on each run.\n".to_owned();
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>5}  {:<10}  {:<20}  {:<5}  {:<12}  {:>4} {:>4} {:>4} {:>4}  {:>5}",
        "ID", "AS OF", "SCOPE", "STAGE", "COMMIT", "CRIT", "HIGH", "MED", "LOW", "TOTAL"
    );
    for row in rows {
        let commit = row.commit.as_deref().map_or("", |c| &c[..c.len().min(12)]);
        let [critical, high, medium, low] = row.open_by_band;
        let _ = writeln!(
            out,
            "{:>5}  {}  {:<20}  {:<5}  {:<12}  {critical:>4} {high:>4} {medium:>4} {low:>4}  {:>5}",
            row.id,
            vigil_core::date::format(row.as_of),
            vigil_report::sanitize::terminal(&row.scope),
            row.stage.as_deref().unwrap_or("-"),
            commit,
            row.findings_total
        );
    }
    out
}

pub fn show(cli: &Cli, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_store(cli)?;
    let (row, assessment) = store.show(args.id).map_err(|error| match error {
        vigil_store::StoreError::NotFound(id) => Hinted::error(
            format!("assessment {id} is not in the history store"),
            "`vigil history` lists the saved assessments",
        ),
        other => anyhow::Error::new(other),
    })?;
    let options = vigil_report::terminal::Options {
        color: output::use_color(cli.color),
        top: 10,
    };
    let text = match super::assess::report_format(args.format) {
        // The trend as it stood at that assessment.
        vigil_report::Format::Html => {
            let trend = super::assess::trend(&store, &row.scope, Some(row.id));
            vigil_report::html::render_with_trend(&assessment, &trend)
        }
        format => vigil_report::render(format, &assessment, &options),
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
