//! `vigil db import|status`: the offline advisory database under `$VIGIL_HOME`.

use std::process::ExitCode;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use vigil_core::Ecosystem;
use vigil_vulns::Store;
use vigil_vulns::intel::IntelKind;
use vigil_vulns::update::{Fetcher, Progress, Sources};

use crate::cli::{Cli, DbCommand};
use crate::output::Hinted;

pub fn run(cli: &Cli, command: &DbCommand) -> anyhow::Result<ExitCode> {
    let home = super::home(cli.home.as_ref())?;
    match command {
        DbCommand::Import { paths } => {
            let now = OffsetDateTime::now_utc().format(&Rfc3339)?;
            let (sources, intel) = super::split_intel(paths);
            let mut text = String::new();
            for (kind, path) in intel.iter() {
                let entry = vigil_vulns::intel::store::import(&home, kind, path, &now).map_err(|e| {
                    Hinted::error(
                        format!("import failed: {e}"),
                        "the existing copy was left unchanged",
                    )
                })?;
                text.push_str(&format!(
                    "imported {} into {}: {} entries{}\n",
                    kind.as_str(),
                    vigil_vulns::intel::store::dir(&home).display(),
                    entry.count,
                    entry.version.map(|v| format!(" ({v})")).unwrap_or_default()
                ));
            }
            if !sources.is_empty() {
                let report = vigil_vulns::import(&home, &sources, &now).map_err(|e| {
                    Hinted::error(
                        format!("import failed: {e}"),
                        "the existing database was left unchanged",
                    )
                })?;
                text.push_str(&format!("imported into {}\n", Store::dir(&home).display()));
                for (ecosystem, count) in &report.manifest.ecosystems {
                    text.push_str(&format!("  {ecosystem:<16} {count} advisories\n"));
                }
                if !report.skipped.is_empty() {
                    text.push_str(&format!("  {} entries skipped:\n", report.skipped.len()));
                    for skipped in report.skipped.iter().take(10) {
                        text.push_str(&format!("    {skipped}\n"));
                    }
                }
            }
            crate::output::stdout(&text)?;
        }
        DbCommand::Update {
            osv_url,
            ecosystems,
            kev_url,
            epss_url,
            exploitdb_url,
            skip,
        } => {
            let mut sources = Sources {
                osv: osv_url.clone(),
                ..Sources::default()
            };
            if !ecosystems.is_empty() {
                sources.ecosystems = ecosystems
                    .iter()
                    .map(|name| {
                        Ecosystem::from_osv(name.trim()).ok_or_else(|| {
                            Hinted::error(
                                format!("--ecosystems: `{name}` is not an OSV ecosystem"),
                                "use OSV's names: npm, PyPI, crates.io, Go, Maven, RubyGems, Packagist, NuGet, Pub, Hex",
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?;
            }
            let wanted = |name: &str, url: &str| (!skip.iter().any(|s| s == name)).then(|| url.to_owned());
            sources.kev = wanted("kev", kev_url);
            sources.epss = wanted("epss", epss_url);
            sources.exploitdb = wanted("exploitdb", exploitdb_url);
            let now = OffsetDateTime::now_utc().format(&Rfc3339)?;
            let progress = DownloadBar::new(cli.quiet);
            let report = vigil_vulns::update::update(&home, &sources, &now, &Fetcher::default(), &progress)
                .map_err(|e| {
                Hinted::error(
                    format!("update failed: {e}"),
                    "the existing database was left unchanged; downloads resume where they stopped",
                )
            })?;
            let mut text = format!("updated {}\n", home.display());
            for line in &report.lines {
                text.push_str(&format!("  {line}\n"));
            }
            if !report.skipped.is_empty() {
                text.push_str(&format!("  {} entries skipped:\n", report.skipped.len()));
                for skipped in report.skipped.iter().take(10) {
                    text.push_str(&format!("    {skipped}\n"));
                }
            }
            crate::output::stdout(&text)?;
        }
        DbCommand::Status { max_age_days } => {
            let Some(store) = Store::open(&home)? else {
                return Err(Hinted::error(
                    format!("no advisory database in {}", home.display()),
                    "import one with `vigil db import PATH` (an OSV all.zip, a directory or JSON files)",
                ));
            };
            let manifest = store.manifest();
            let age = OffsetDateTime::parse(&manifest.imported_at, &Rfc3339)
                .map(|t| (OffsetDateTime::now_utc() - t).whole_days())
                .unwrap_or(i64::MAX);
            let mut text = format!(
                "database: {}\nimported: {} ({age} days ago)\nsources:\n",
                Store::dir(&home).display(),
                manifest.imported_at
            );
            for source in &manifest.sources {
                text.push_str(&format!("  {source}\n"));
            }
            text.push_str("advisories:\n");
            for (ecosystem, count) in &manifest.ecosystems {
                text.push_str(&format!("  {ecosystem:<16} {count}\n"));
            }
            let intel = vigil_vulns::intel::store::manifest(&home)
                .map_err(|e| Hinted::error(format!("{e}"), "re-import it with `vigil db import PATH`"))?;
            text.push_str("exploitation intelligence:\n");
            for kind in IntelKind::ALL {
                match intel.entries.get(kind.as_str()) {
                    Some(entry) => text.push_str(&format!(
                        "  {:<16} {} entries, imported {}{}\n",
                        kind.as_str(),
                        entry.count,
                        entry.imported_at,
                        entry
                            .version
                            .as_ref()
                            .map(|v| format!(" ({v})"))
                            .unwrap_or_default()
                    )),
                    None => text.push_str(&format!("  {:<16} not imported\n", kind.as_str())),
                }
            }
            crate::output::stdout(&text)?;
            for (kind, entry) in &intel.entries {
                let intel_age = OffsetDateTime::parse(&entry.imported_at, &Rfc3339)
                    .map(|t| (OffsetDateTime::now_utc() - t).whole_days())
                    .unwrap_or(i64::MAX);
                if intel_age > i64::from(*max_age_days) {
                    eprintln!(
                        "warning: the {kind} data is {intel_age} days old (more than {max_age_days}); run `vigil db update`"
                    );
                }
            }
            if age > i64::from(*max_age_days) {
                eprintln!(
                    "warning: the advisory data is {age} days old (more than {max_age_days}); re-import it"
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A byte progress bar per download, hidden when stderr is not a terminal.
struct DownloadBar {
    bar: indicatif::ProgressBar,
}

impl DownloadBar {
    fn new(quiet: bool) -> Self {
        use std::io::IsTerminal;
        let bar = if quiet || !std::io::stderr().is_terminal() {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        };
        Self { bar }
    }
}

impl Progress for DownloadBar {
    fn begin(&self, what: &str, total: Option<u64>) {
        self.bar.reset();
        self.bar.set_length(total.unwrap_or(0));
        self.bar
            .set_message(what.rsplit('/').next().unwrap_or(what).to_owned());
    }

    fn advance(&self, bytes: u64) {
        self.bar.inc(bytes);
    }

    fn end(&self) {
        self.bar.finish_and_clear();
    }
}
