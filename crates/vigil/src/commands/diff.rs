//! `vigil diff OLD NEW`: the threat delta between two revisions of a repository.
//!
//! Each side is exported from the git object database into its own temporary directory (the working tree,
//! index and HEAD are never touched) and assessed as `vigil assess` would, with the scope file of that
//! revision and the same advisories for both; then the two assessments are compared.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::ProgressBar;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use vigil_core::{Assessment, Scope, Target};
use vigil_vulns::AdvisorySource;
use vigil_vulns::intel::IntelFiles;

use super::assess::{load_scope, spinner};
use crate::cli::{Cli, DiffArgs, DiffFormat};
use crate::output::{self, Hinted};

/// One side of a diff as the command line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SideSpec {
    /// A git revision of `--repo`: a sha, branch, tag or `HEAD~1`.
    Revision(String),
    /// A saved assessment, `#ID`.
    Saved(i64),
}

impl SideSpec {
    pub fn parse(text: &str) -> Self {
        match text.strip_prefix('#').map(str::parse::<i64>) {
            Some(Ok(id)) => Self::Saved(id),
            _ => Self::Revision(text.to_owned()),
        }
    }

    fn label(&self) -> String {
        match self {
            Self::Revision(rev) => rev.clone(),
            Self::Saved(id) => format!("#{id}"),
        }
    }
}

/// What both sides are assessed with.
struct Context<'a> {
    repo: PathBuf,
    /// The scope name when a revision's vigil.toml gives none: the repository's directory name (the
    /// exported copy's would be a temporary name).
    name: String,
    advisories: Option<&'a dyn AdvisorySource>,
    intel: IntelFiles,
    as_of: time::Date,
    generated_at: String,
    progress: &'a ProgressBar,
}

pub fn run(cli: &Cli, args: &DiffArgs) -> anyhow::Result<ExitCode> {
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
    let loaded = super::Advisories::load(&home, &args.advisories, &progress)?;
    let context = Context {
        name: vigil_engine::default_scope_name(&args.repo).unwrap_or_else(|| "repository".to_owned()),
        repo: args.repo.clone(),
        advisories: loaded.source(),
        intel: loaded.intel.clone(),
        as_of,
        generated_at: OffsetDateTime::now_utc().format(&Rfc3339)?,
        progress: &progress,
    };

    let old_spec = SideSpec::parse(&args.old);
    let new_spec = SideSpec::parse(&args.new);
    let saved = matches!(old_spec, SideSpec::Saved(_)) || matches!(new_spec, SideSpec::Saved(_));
    let store = if saved || !args.no_save {
        Some(super::open_store(cli)?)
    } else {
        None
    };
    let old = load_side(&old_spec, &context, store.as_ref())?;
    let new = load_side(&new_spec, &context, store.as_ref())?;
    progress.finish_and_clear();

    let mut delta = vigil_diff::diff(&old, &new);
    delta.old.label = old_spec.label();
    delta.new.label = new_spec.label();
    if let (Some(store), false) = (&store, args.no_save) {
        record_triggers(store, &delta, &new, &new_spec, as_of)?;
    }
    let text = match args.format {
        DiffFormat::Term => vigil_diff::render::terminal(&delta),
        DiffFormat::Md => vigil_diff::render::markdown(&delta),
        DiffFormat::Json => {
            let mut text = serde_json::to_string_pretty(&delta)?;
            text.push('\n');
            text
        }
    };
    output::stdout(&text)?;
    Ok(if args.fail_on_material && delta.reassessment_required {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The assessment one side stands for: a revision assessed now, or one from the history store.
fn load_side(
    spec: &SideSpec,
    context: &Context<'_>,
    store: Option<&vigil_store::Store>,
) -> anyhow::Result<Assessment> {
    match (spec, store) {
        (SideSpec::Revision(rev), _) => assess_revision(rev, context),
        (SideSpec::Saved(id), Some(store)) => match store.show(*id) {
            Ok((_, assessment)) => Ok(assessment),
            Err(vigil_store::StoreError::NotFound(id)) => Err(Hinted::error(
                format!("assessment #{id} is not in the history store"),
                "`vigil history` lists the saved assessments",
            )),
            Err(other) => Err(other.into()),
        },
        (SideSpec::Saved(id), None) => Err(Hinted::plain(format!(
            "assessment #{id}: no history store is open"
        ))),
    }
}

/// Material changes become reassessment triggers of the newer side's scope, which `vigil due` reports
/// until that scope is assessed again.
fn record_triggers(
    store: &vigil_store::Store,
    delta: &vigil_diff::ThreatDelta,
    new: &Assessment,
    new_spec: &SideSpec,
    on: time::Date,
) -> anyhow::Result<()> {
    let scope = vigil_store::scope_name(new);
    let assessment = match new_spec {
        SideSpec::Saved(id) => Some(*id),
        SideSpec::Revision(_) => None,
    };
    for change in &delta.material_changes {
        store.record_trigger(&vigil_store::Trigger {
            scope: scope.clone(),
            assessment,
            kind: change.kind.as_str().to_owned(),
            detail: change.title.clone(),
            on,
        })?;
    }
    Ok(())
}

fn assess_revision(rev: &str, context: &Context<'_>) -> anyhow::Result<Assessment> {
    context.progress.set_message(format!("{rev}: exporting"));
    // The cap must be known before the revision's own vigil.toml can be read: export with the default,
    // and again when that file sets another.
    let default_cap = Scope::default().discover.max_file_size;
    let export = |cap: u64| {
        vigil_diff::revision::export_to_temp(&context.repo, rev, cap).map_err(|error| {
            Hinted::error(
                error.to_string(),
                "pass revisions of the repository at --repo (a sha, branch, tag or HEAD~1)",
            )
        })
    };
    let mut checkout = export(default_cap)?;
    let mut scope = load_scope(checkout.path(), None).map_err(|e| in_revision(rev, checkout.path(), e))?;
    if scope.discover.max_file_size != default_cap {
        checkout = export(scope.discover.max_file_size)?;
    }
    let exported = &checkout.exported;
    if exported.skipped > 0 {
        tracing::info!(
            "{rev}: {} symbolic link(s), {} submodule(s) and {} file(s) over the size cap not exported",
            exported.symlinks,
            exported.submodules,
            exported.too_large
        );
    }
    if scope.name.is_none() {
        scope.name = Some(context.name.clone());
    }
    let on_stage = |stage: &str| context.progress.set_message(format!("{rev}: {stage}"));
    let mut assessment = vigil_engine::assess(
        checkout.path(),
        vigil_engine::Options {
            scope,
            advisories: context.advisories,
            intel: context.intel.clone(),
            ingest: Vec::new(),
            as_of: context.as_of,
            generated_at: context.generated_at.clone(),
            on_stage: &on_stage,
            baseline: None,
        },
    )
    .map_err(|e| in_revision(rev, checkout.path(), e.into()))?;
    assessment.target = Target {
        path: context.repo.display().to_string(),
        commit: Some(exported.commit.clone()),
    };
    Ok(assessment)
}

/// Says which revision an error is about, and names its files as the repository does rather than by
/// the temporary directory they were exported to.
fn in_revision(rev: &str, exported: &Path, error: anyhow::Error) -> anyhow::Error {
    let root = format!("{}{}", exported.display(), std::path::MAIN_SEPARATOR);
    match error.downcast::<Hinted>() {
        Ok(hinted) => anyhow::Error::new(Hinted {
            message: format!("revision `{rev}`: {}", hinted.message.replace(&root, "")),
            hint: hinted.hint,
        }),
        Err(error) => Hinted::plain(format!(
            "revision `{rev}`: {}",
            format!("{error:#}").replace(&root, "")
        )),
    }
}
