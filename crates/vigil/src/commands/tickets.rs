//! `vigil tickets sync`: the latest saved assessment of a repository, handed to a tracker as one ticket per
//! roadmap action. The tracker's settings come from `[tickets.<tracker>]` in vigil.toml; the credential
//! only from the environment variable or file they name.

use std::fmt::Write;
use std::process::ExitCode;

use time::OffsetDateTime;
use vigil_core::config::TrackerSettings;
use vigil_tickets::http::{Auth, RetryPolicy};
use vigil_tickets::{Link, Outcome, Secret, TicketSink};

use super::assess::load_scope;
use crate::cli::{Cli, TicketsCommand, TicketsSyncArgs, Tracker};
use crate::output::{self, Hinted};

pub fn run(cli: &Cli, command: &TicketsCommand) -> anyhow::Result<ExitCode> {
    match command {
        TicketsCommand::Sync(args) => sync(cli, args),
    }
}

/// A sink and the base URL its request paths are under.
struct Configured {
    sink: Box<dyn TicketSink>,
    base: String,
}

fn sync(cli: &Cli, args: &TicketsSyncArgs) -> anyhow::Result<ExitCode> {
    let scope = load_scope(&args.path, args.config.as_deref())?;
    let tracker = args.to.as_str();
    let settings = scope.tickets.trackers.get(tracker).cloned().ok_or_else(|| {
        Hinted::error(
            format!("no `[tickets.{tracker}]` in the configuration"),
            "`vigil init` writes a commented example of the tracker settings",
        )
    })?;
    let name = scope
        .name
        .clone()
        .or_else(|| vigil_engine::default_scope_name(&args.path))
        .unwrap_or_else(|| "repository".to_owned());
    let store = super::open_store(cli)?;
    let latest = store.history(Some(&name), 1)?;
    let row = latest.first().ok_or_else(|| {
        Hinted::error(
            format!("no saved assessment of `{name}`"),
            "run `vigil assess` on the repository first; it saves each run",
        )
    })?;
    let (_, assessment) = store.show(row.id)?;

    let links = vigil_tickets::SourceLinks {
        template: scope.tickets.source_url.clone(),
    };
    // The saved actions are already due from when the history first saw their findings (`vigil assess`).
    let wanted: Vec<vigil_tickets::Ticket> = assessment
        .roadmap
        .actions
        .iter()
        .filter(|a| scope.tickets.bands.contains(&a.band))
        .map(|a| vigil_tickets::from_action(a, &assessment, &links))
        .collect();
    let configured = sink(args.to, &settings, args.dry_run)?;
    let known: Vec<Link> = store
        .ticket_links(tracker, &name)?
        .into_iter()
        .map(|l| Link {
            key: l.key,
            id: l.remote_id,
            url: l.url,
            open: l.open,
            content_hash: l.content_hash,
        })
        .collect();
    let today = OffsetDateTime::now_utc().date();
    let comment = format!(
        "Closed by vigil: every finding of this action is fixed in assessment #{} ({}).",
        row.id,
        vigil_core::date::format(row.as_of)
    );
    let mut save_error = None;
    let report = vigil_tickets::sync(configured.sink.as_ref(), &wanted, &known, &comment, &mut |link| {
        if args.dry_run || save_error.is_some() {
            return;
        }
        let saved = vigil_store::TicketLink {
            key: link.key.clone(),
            remote_id: link.id.clone(),
            url: link.url.clone(),
            open: link.open,
            content_hash: link.content_hash.clone(),
        };
        if let Err(error) = store.save_ticket_link(tracker, &name, &saved, today) {
            save_error = Some(error);
        }
    });

    let mut out = String::new();
    if args.dry_run {
        for request in configured.sink.recorded() {
            let line = serde_json::json!({
                "method": request.method.as_str(),
                "url": format!("{}{}", configured.base, request.path),
                "content_type": request.content_type,
                "body": request.body,
            });
            let _ = writeln!(out, "{line}");
        }
    }
    for entry in &report.entries {
        let outcome = match &entry.outcome {
            Outcome::Failed(message) => format!("failed: {message}"),
            Outcome::ClosedWithoutFix => "closed on the tracker while its findings are still open".to_owned(),
            other => serde_json::to_value(other)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        };
        let _ = writeln!(
            out,
            "{:<10} {:<24} {}{}",
            entry.id.as_deref().unwrap_or("-"),
            entry.key,
            outcome,
            entry.url.as_deref().map(|u| format!("  {u}")).unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "{tracker}{}: {} created, {} updated, {} closed, {} reopened, {} unchanged, {} closed without a fix, {} failed (assessment #{} of {name})",
        if args.dry_run { " (dry run)" } else { "" },
        report.count(&Outcome::Created),
        report.count(&Outcome::Updated),
        report.count(&Outcome::Closed),
        report.count(&Outcome::Reopened),
        report.count(&Outcome::Unchanged),
        report.count(&Outcome::ClosedWithoutFix),
        report.failed(),
        row.id
    );
    output::stdout(&out)?;
    if let Some(error) = save_error {
        return Err(Hinted::error(
            format!("ticket links were not saved: {error}"),
            "the tickets carry their keys: the next sync finds them again",
        ));
    }
    if report.failed() > 0 {
        return Err(Hinted::error(
            format!("{} ticket(s) could not be synced", report.failed()),
            "re-run the sync: it resumes without duplicating tickets",
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// The credential: the file `token_file` names, else the variable `token_env` names (or the tracker's
/// default variable). Its value never appears in an error.
fn credential(
    tracker: &str,
    settings: &TrackerSettings,
    default_variable: &str,
) -> anyhow::Result<(Secret, String)> {
    if let Some(file) = settings.get("token_file") {
        let text = std::fs::read_to_string(file).map_err(|e| {
            Hinted::error(
                format!("{tracker}: cannot read the token file {file}: {}", e.kind()),
                "token_file names a file holding only the token",
            )
        })?;
        let token = text.trim();
        if token.is_empty() {
            return Err(Hinted::plain(format!(
                "{tracker}: the token file {file} is empty"
            )));
        }
        return Ok((Secret::new(token), file.to_owned()));
    }
    let variable = settings.get("token_env").unwrap_or(default_variable).to_owned();
    let secret = Secret::from_env(&variable).ok_or_else(|| {
        Hinted::error(
            format!("{tracker}: no token in ${variable}"),
            format!("export {variable}=... (or set tickets.{tracker}.token_env / token_file)"),
        )
    })?;
    Ok((secret, variable))
}

fn text(settings: &TrackerSettings, key: &str) -> String {
    settings.get(key).unwrap_or_default().to_owned()
}

fn optional(settings: &TrackerSettings, key: &str) -> Option<String> {
    settings.get(key).map(str::to_owned)
}

fn sink(tracker: Tracker, settings: &TrackerSettings, dry_run: bool) -> anyhow::Result<Configured> {
    let retry = RetryPolicy::default();
    let name = tracker.as_str();
    let refused = |e: vigil_tickets::SinkError| Hinted::plain(format!("{name}: {e}"));
    Ok(match tracker {
        Tracker::Github => {
            let (token, variable) = credential(name, settings, "GITHUB_TOKEN")?;
            let config = vigil_tickets::github::GitHubConfig {
                base_url: text(settings, "base_url"),
                repository: text(settings, "repository"),
                milestone: optional(settings, "milestone"),
                extra_labels: settings.list("labels"),
            };
            let base = if config.base_url.is_empty() {
                "https://api.github.com".to_owned()
            } else {
                config.base_url.trim_end_matches('/').to_owned()
            };
            let sink = vigil_tickets::github::GitHubSink::new(
                config,
                Auth::Bearer(token),
                &variable,
                retry,
                dry_run,
            )
            .map_err(refused)?;
            Configured {
                sink: Box::new(sink),
                base,
            }
        }
        Tracker::Jira => {
            let (token, variable) = credential(name, settings, "VIGIL_JIRA_TOKEN")?;
            let auth = match settings.get("email") {
                Some(email) => Auth::Basic {
                    user: email.to_owned(),
                    token,
                },
                None => Auth::Bearer(token),
            };
            let config = vigil_tickets::jira::JiraConfig {
                base_url: text(settings, "base_url"),
                project: text(settings, "project"),
                issue_type: optional(settings, "issue_type"),
                priority_critical: optional(settings, "priority_critical"),
                priority_high: optional(settings, "priority_high"),
                priority_medium: optional(settings, "priority_medium"),
                priority_low: optional(settings, "priority_low"),
                components: settings.list("components"),
                parent: optional(settings, "parent"),
                done_transition: optional(settings, "done_transition"),
                reopen_transition: optional(settings, "reopen_transition"),
                deployment: optional(settings, "deployment"),
            };
            let base = config.base_url.trim_end_matches('/').to_owned();
            let sink = vigil_tickets::jira::JiraSink::new(config, auth, &variable, retry, dry_run)
                .map_err(refused)?;
            Configured {
                sink: Box::new(sink),
                base,
            }
        }
        Tracker::AzureDevops => {
            let (token, variable) = credential(name, settings, "VIGIL_AZURE_DEVOPS_TOKEN")?;
            let config = vigil_tickets::azure_devops::AzureDevOpsConfig {
                organization_url: text(settings, "organization_url"),
                project: text(settings, "project"),
                work_item_type: text(settings, "work_item_type"),
                area_path: optional(settings, "area_path"),
                iteration_path: optional(settings, "iteration_path"),
                parent: optional(settings, "parent"),
                done_state: text(settings, "done_state"),
                reopen_state: text(settings, "reopen_state"),
                closed_states: settings.list("closed_states"),
            };
            let base = config.organization_url.trim_end_matches('/').to_owned();
            let auth = Auth::Basic {
                user: String::new(),
                token,
            };
            let sink =
                vigil_tickets::azure_devops::AzureDevOpsSink::new(config, auth, &variable, retry, dry_run)
                    .map_err(refused)?;
            Configured {
                sink: Box::new(sink),
                base,
            }
        }
    })
}
