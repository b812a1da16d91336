//! `vigil assess`: loads the scope, picks the advisory source, runs the engine, writes the outputs and
//! turns `--fail-on` into the exit code.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use fs_err as fs;
use indicatif::{ProgressBar, ProgressStyle};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use vigil_core::Scope;
use vigil_report::Format;
use vigil_risk::policy::Policy;

use crate::cli::{AssessArgs, Cli, OutputFormat};
use crate::output::{self, Hinted};

pub fn run(cli: &Cli, args: &AssessArgs) -> anyhow::Result<ExitCode> {
    if !args.path.is_dir() {
        return Err(Hinted::error(
            format!("{}: not a directory", args.path.display()),
            "pass the root of the repository to assess",
        ));
    }
    let gate = args
        .fail_on
        .as_deref()
        .map(Policy::parse)
        .transpose()
        .map_err(|e| {
            Hinted::error(
                e.to_string(),
                "a band (critical, high, medium, low) or an expression such as `band >= high and kev`",
            )
        })?;
    let baseline = args.baseline.as_deref().map(read_baseline).transpose()?;
    let scope = load_scope(&args.path, args.config.as_deref())?;
    let as_of = match &args.as_of {
        Some(text) => vigil_core::date::parse(text).ok_or_else(|| {
            Hinted::error(
                format!("--as-of `{text}` is not a date"),
                "write it as YYYY-MM-DD",
            )
        })?,
        None => OffsetDateTime::now_utc().date(),
    };

    let progress = spinner(cli.quiet);
    let home = super::home(cli.home.as_ref())?;
    let advisories = super::Advisories::load(&home, &args.advisories, &progress)?;

    let on_stage = |stage: &str| progress.set_message(stage.to_owned());
    let mut assessment = vigil_engine::assess(
        &args.path,
        vigil_engine::Options {
            scope,
            advisories: advisories.source(),
            intel: advisories.intel.clone(),
            ingest: args.ingest.clone(),
            as_of,
            generated_at: OffsetDateTime::now_utc().format(&Rfc3339)?,
            on_stage: &on_stage,
            baseline,
        },
    )?;
    progress.finish_and_clear();

    let terminal = vigil_report::terminal::Options {
        color: output::use_color(cli.color),
        top: 10,
    };
    // Saved before the reports are written, so the HTML report can show the trend including this run; a
    // failed save is reported after them, since the reports do not depend on it.
    let saved = save(cli, args, &mut assessment);
    let trend = match &saved {
        Ok(Some((store, scope))) => trend(store, scope, None),
        _ => Vec::new(),
    };
    let render = |format: Format, options: &vigil_report::terminal::Options| match format {
        Format::Html => vigil_report::html::render_with_trend(&assessment, &trend),
        other => vigil_report::render(other, &assessment, options),
    };
    if let Some(dir) = &args.out {
        fs::create_dir_all(dir)?;
        let plain = vigil_report::terminal::Options {
            color: false,
            ..terminal.clone()
        };
        for format in [Format::Json, Format::Md, Format::Html, Format::Sarif] {
            fs::write(dir.join(format.file_name()), render(format, &plain))?;
        }
    }
    output::stdout(&render(report_format(args.format), &terminal))?;
    saved?;

    let failing = gate.as_ref().map(|g| g.failing(&assessment)).unwrap_or_default();
    if let (Some(gate), false) = (&gate, failing.is_empty()) {
        tracing::info!(
            "--fail-on `{}`: {} open finding(s) match, first: {}",
            gate.text(),
            failing.len(),
            failing[0].title
        );
    }
    Ok(if !failing.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The fingerprints of an earlier assessment's findings (its `--format json` document).
fn read_baseline(path: &Path) -> anyhow::Result<vigil_engine::Baseline> {
    let hint = "pass the JSON of an earlier `vigil assess --format json` (or `--out DIR`'s assessment.json)";
    let text = fs::read(path).map_err(|e| Hinted::error(e.to_string(), hint))?;
    let document: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|e| Hinted::error(format!("{}: not JSON: {e}", path.display()), hint))?;
    let findings = document
        .get("findings")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| {
            Hinted::error(
                format!("{}: not an assessment (no `findings` list)", path.display()),
                hint,
            )
        })?;
    let fingerprints = findings
        .iter()
        .filter_map(|f| f.get("fingerprint").and_then(serde_json::Value::as_str))
        .map(str::to_owned)
        .collect();
    Ok(vigil_engine::Baseline {
        path: path.display().to_string(),
        fingerprints,
    })
}

pub fn report_format(format: OutputFormat) -> Format {
    match format {
        OutputFormat::Term => Format::Term,
        OutputFormat::Json => Format::Json,
        OutputFormat::Md => Format::Md,
        OutputFormat::Openvex => Format::OpenVex,
        OutputFormat::CyclonedxVex => Format::CyclonedxVex,
        OutputFormat::Csv => Format::Csv,
        OutputFormat::Html => Format::Html,
        OutputFormat::Sarif => Format::Sarif,
    }
}

/// The scope's last 40 saved assessments up to `up_to` (all when `None`), oldest first, for the HTML
/// report's trend. A store that cannot be read gives no trend rather than no report.
pub fn trend(
    store: &vigil_store::Store,
    scope: &str,
    up_to: Option<i64>,
) -> Vec<vigil_report::html::TrendPoint> {
    // The latest 40 are enough unless the trend must end at an earlier assessment.
    let limit = if up_to.is_some() { 10_000 } else { 40 };
    let rows = store.history(Some(scope), limit).unwrap_or_default();
    let recent: Vec<_> = rows
        .into_iter()
        .filter(|row| up_to.is_none_or(|id| row.id <= id))
        .take(40)
        .collect();
    recent
        .into_iter()
        .rev()
        .map(|row| vigil_report::html::TrendPoint {
            label: vigil_core::date::format(row.as_of),
            open_by_band: row.open_by_band,
        })
        .collect()
}

/// Saves the assessment in the history store, unless told not to, and returns the store and the scope. A
/// `--baseline` run is not saved: it holds only the new findings, and saving it would mark every other
/// finding fixed.
fn save(
    cli: &Cli,
    args: &AssessArgs,
    assessment: &mut vigil_core::Assessment,
) -> anyhow::Result<Option<(vigil_store::Store, String)>> {
    if args.no_save {
        return Ok(None);
    }
    if args.baseline.is_some() {
        if !cli.quiet {
            eprintln!("not saved: a --baseline run reports only new findings (save the full run instead)");
        }
        return Ok(None);
    }
    let store = super::open_store(cli)?;
    // Deadlines count from when the history first saw a finding (or saw it come back), so a daily run does
    // not push them out; the SLA days stay the plan's.
    let started = store.sla_starts(assessment)?;
    for action in &mut assessment.roadmap.actions {
        if let Some(earliest) = action.findings.iter().filter_map(|id| started.get(id)).min() {
            action.due = earliest.saturating_add(time::Duration::days(i64::from(action.sla_days)));
        }
    }
    let options = vigil_store::SaveOptions {
        stage: args.stage.map(|s| s.as_str().to_owned()),
        cadence_days: assessment.scope.cadence_days(),
    };
    let saved = store.save(assessment, &options).map_err(|error| {
        Hinted::error(
            format!("the assessment was not saved: {error}"),
            "the report above is complete; re-run to save it, or pass --no-save",
        )
    })?;
    if !cli.quiet {
        let changes: Vec<String> = saved
            .entered
            .iter()
            .map(|(state, n)| format!("{n} {state}"))
            .collect();
        eprintln!(
            "saved as assessment {} of {}{}",
            saved.id,
            saved.scope,
            if changes.is_empty() {
                String::new()
            } else {
                format!(" ({})", changes.join(", "))
            }
        );
    }
    Ok(Some((store, saved.scope)))
}

/// `--config FILE`, else `PATH/vigil.toml` if present, else the defaults. Every problem in the file is
/// reported, each with its line.
pub fn load_scope(root: &Path, config: Option<&Path>) -> anyhow::Result<Scope> {
    let path = match config {
        Some(path) => path.to_path_buf(),
        None => {
            let default = root.join("vigil.toml");
            if !default.is_file() {
                return Ok(Scope::default());
            }
            default
        }
    };
    let text = fs::read_to_string(&path).map_err(|e| Hinted::plain(e.to_string()))?;
    vigil_core::config::parse(&path.display().to_string(), &text).map_err(|error| {
        let count = error.diagnostics.len();
        Hinted::error(
            error.to_string(),
            format!(
                "{count} problem{} in the configuration; `vigil init` writes a commented example",
                if count == 1 { "" } else { "s" }
            ),
        )
    })
}

pub fn spinner(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
