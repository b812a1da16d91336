//! `vigil metrics`: is the remediation program working?

use std::fmt::Write;
use std::process::ExitCode;

use time::OffsetDateTime;
use vigil_store::Metrics;

use crate::cli::{Cli, MetricsArgs, MetricsFormat};
use crate::output::{self, Hinted};

pub fn run(cli: &Cli, args: &MetricsArgs) -> anyhow::Result<ExitCode> {
    let date = |flag: &str, text: &Option<String>| -> anyhow::Result<Option<time::Date>> {
        text.as_deref()
            .map(|t| {
                vigil_core::date::parse(t).ok_or_else(|| {
                    Hinted::error(format!("{flag} `{t}` is not a date"), "write it as YYYY-MM-DD")
                })
            })
            .transpose()
    };
    let since = date("--since", &args.since)?;
    let as_of = date("--as-of", &args.as_of)?.unwrap_or_else(|| OffsetDateTime::now_utc().date());
    let store = super::open_store(cli)?;
    let metrics = store.metrics(since, as_of)?;
    let text = match args.format {
        MetricsFormat::Json => {
            let mut text = serde_json::to_string_pretty(&metrics)?;
            text.push('\n');
            text
        }
        MetricsFormat::Term => render(&metrics, false),
        MetricsFormat::Md => render(&metrics, true),
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

fn or_dash(value: Option<f64>, unit: &str) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}{unit}"))
}

/// The same lines for the terminal and Markdown; Markdown gets headings and a table.
fn render(m: &Metrics, markdown: bool) -> String {
    let mut out = String::new();
    let window = m
        .since
        .map(|s| {
            format!(
                "{} to {}",
                vigil_core::date::format(s),
                vigil_core::date::format(m.as_of)
            )
        })
        .unwrap_or_else(|| format!("all history to {}", vigil_core::date::format(m.as_of)));
    let heading = |out: &mut String, text: &str| {
        if markdown {
            let _ = writeln!(out, "\n## {text}\n");
        } else {
            let _ = writeln!(out, "\n{text}");
        }
    };
    if markdown {
        let _ = writeln!(out, "# Remediation metrics ({window})");
    } else {
        let _ = writeln!(out, "Remediation metrics ({window})");
    }
    heading(&mut out, "Time to remediate");
    if markdown {
        let _ = writeln!(
            out,
            "| Band | Fixed | MTTR (days) | Within SLA |\n|---|---:|---:|---:|"
        );
    }
    for mttr in &m.mttr {
        let within = format!(
            "{} of {} ({})",
            mttr.within_sla,
            mttr.fixed,
            or_dash(mttr.sla_compliance_pct, "%")
        );
        if markdown {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {within} |",
                mttr.band,
                mttr.fixed,
                or_dash(mttr.mean_days, "")
            );
        } else {
            let _ = writeln!(
                out,
                "  {:<8}  {} fixed, mean {} days, within SLA {within}",
                mttr.band,
                mttr.fixed,
                or_dash(mttr.mean_days, "")
            );
        }
    }
    let bullet = if markdown { "- " } else { "  " };
    let _ = writeln!(out, "{bullet}open past their due date: {}", m.open_past_due);
    heading(&mut out, "Escape rate");
    let e = &m.escape_rate;
    let _ = writeln!(
        out,
        "{bullet}{} of the findings first seen at a known stage were found after review (pr {}, main {}, prod {})",
        or_dash(e.rate_pct, "%"),
        e.first_seen_pr,
        e.first_seen_main,
        e.first_seen_prod
    );
    heading(&mut out, "Attack-surface coverage");
    let _ = writeln!(
        out,
        "{bullet}{} of {} scope(s) assessed within their cadence",
        or_dash(m.coverage_pct, "%"),
        m.coverage.len()
    );
    for scope in m.coverage.iter().filter(|c| !c.covered) {
        let _ = writeln!(
            out,
            "{bullet}overdue: {} (last assessed {}, due {})",
            vigil_report::sanitize::terminal(&scope.scope),
            vigil_core::date::format(scope.last_assessed),
            vigil_core::date::format(scope.next_due)
        );
    }
    heading(&mut out, "Open findings over time");
    if markdown {
        let _ = writeln!(
            out,
            "| Assessment | Date | Scope | Critical | High | Medium | Low |\n|---:|---|---|---:|---:|---:|---:|"
        );
    }
    for p in &m.open_over_time {
        let [c, h, md, l] = p.open_by_band;
        if markdown {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {c} | {h} | {md} | {l} |",
                p.assessment,
                vigil_core::date::format(p.as_of),
                vigil_report::sanitize::cell(&p.scope)
            );
        } else {
            let _ = writeln!(
                out,
                "  #{:<5} {}  {:<20} critical {c:>3}  high {h:>3}  medium {md:>3}  low {l:>3}",
                p.assessment,
                vigil_core::date::format(p.as_of),
                vigil_report::sanitize::terminal(&p.scope)
            );
        }
    }
    out
}
