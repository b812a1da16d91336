//! vigil-engine: the assessment pipeline, one direction of data flow (DESIGN.md §1):
//! discover -> model -> threats + vulns -> score -> plan -> Assessment. Every stage is a pure function of
//! what the previous ones produced; this crate only wires them and assembles the document.

mod git;

use std::collections::BTreeMap;
use std::path::Path;

use time::Date;
use vigil_core::{Assessment, Band, Diagnostic, SCHEMA_VERSION, Scope, Status, Summary, Target, Tool};
use vigil_vulns::AdvisorySource;
use vigil_vulns::intel::{Intel, IntelFiles};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Discover(#[from] vigil_discover::DiscoverError),
    #[error(transparent)]
    Ingest(#[from] vigil_ingest::IngestError),
}

/// What the caller decides for a run.
pub struct Options<'a> {
    pub scope: Scope,
    /// `None`: dependencies are reported as not checked.
    pub advisories: Option<&'a dyn AdvisorySource>,
    /// KEV, EPSS and ExploitDB files joined to the matched advisories; missing ones are said, not guessed.
    pub intel: IntelFiles,
    /// Results of other tools to bring in: SARIF, CycloneDX/SPDX SBOMs, OpenVEX/CycloneDX VEX.
    pub ingest: Vec<std::path::PathBuf>,
    /// The day due dates count from.
    pub as_of: Date,
    /// RFC 3339 time of the run.
    pub generated_at: String,
    /// Called as each stage starts, for progress display.
    pub on_stage: &'a (dyn Fn(&str) + Sync),
    /// Fingerprints of an earlier assessment: findings it already had are left out, so only what is new
    /// is reported, planned and gated (`--baseline FILE`).
    pub baseline: Option<Baseline>,
}

/// The findings of an earlier assessment, by fingerprint, and the file they came from.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub path: String,
    pub fingerprints: std::collections::BTreeSet<String>,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("scope", &self.scope)
            .field("as_of", &self.as_of)
            .finish_non_exhaustive()
    }
}

/// The inventory and system model of a repository, without threats or scores (`vigil inventory`).
#[derive(Debug)]
pub struct InventoryRun {
    pub scope: Scope,
    pub inventory: vigil_core::Inventory,
    pub model: vigil_core::SystemModel,
    pub diagnostics: Vec<Diagnostic>,
    pub coverage: vigil_core::Coverage,
}

/// Repository files for call resolution, read through the same guard as discovery (inside the root, size
/// capped, text only).
struct RepoFiles(vigil_discover::repo_fs::RepoFs);

impl vigil_vulns::calls::SourceFiles for RepoFiles {
    fn read(&self, path: &str) -> Option<String> {
        self.0.read_optional(path).ok().flatten()
    }
}

/// The name a scope takes when vigil.toml gives none: the assessed directory's own name (`.` resolved), as
/// the history store and the trackers key it.
pub fn default_scope_name(root: &Path) -> Option<String> {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    canonical.file_name().map(|n| n.to_string_lossy().into_owned())
}

/// Discovers and classifies the assets of `root` and builds its system model.
pub fn inventory(
    root: &Path,
    mut scope: Scope,
    on_stage: &(dyn Fn(&str) + Sync),
) -> Result<InventoryRun, EngineError> {
    if scope.name.is_none() {
        scope.name = default_scope_name(root);
    }
    on_stage("discovering assets");
    let discovery = vigil_discover::run(root, &scope)?;
    let mut inventory = discovery.inventory;
    on_stage("building the system model");
    let mut model = vigil_model::run(&mut inventory, &scope);
    let mut diagnostics = discovery.diagnostics;
    apply_model_file(root, &scope, &mut model, &mut diagnostics);
    Ok(InventoryRun {
        scope,
        inventory,
        model,
        diagnostics,
        coverage: discovery.coverage,
    })
}

/// Merges the repository's threat model file (`vigil-model.yaml`), when there is one, over the generated
/// model; what it cannot apply becomes diagnostics.
fn apply_model_file(
    root: &Path,
    scope: &Scope,
    model: &mut vigil_core::SystemModel,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = vigil_model::overlay::FILE;
    let text = vigil_discover::repo_fs::RepoFs::new(root, scope.discover.max_file_size)
        .ok()
        .and_then(|fs| fs.read_optional(file).transpose());
    match text {
        None => {}
        Some(Err(error)) => diagnostics.push(Diagnostic::error(file, None, error.to_string())),
        Some(Ok(text)) => match vigil_model::overlay::apply(model, &text, file) {
            Ok(warnings) => diagnostics.extend(warnings),
            Err(error) => diagnostics.push(Diagnostic::error(file, None, error.to_string())),
        },
    }
}

/// Findings without components (dependency vulnerabilities, ingested results) are placed on the model
/// components that stand for their assets: a vulnerable package on the service that declares it.
fn attach_components(findings: &mut [vigil_core::Finding], model: &vigil_core::SystemModel) {
    for finding in findings.iter_mut().filter(|f| f.components.is_empty()) {
        finding.components = model
            .components
            .iter()
            .filter(|c| c.assets.iter().any(|a| finding.assets.contains(a)))
            .map(|c| c.id.clone())
            .collect();
    }
}

/// Findings only about components the threat model file puts out of scope are accepted, with the reason.
fn apply_scope_decisions(findings: &mut [vigil_core::Finding], model: &vigil_core::SystemModel) {
    for finding in findings.iter_mut().filter(|f| !f.components.is_empty()) {
        let reasons: Vec<&str> = finding
            .components
            .iter()
            .filter_map(|id| model.component(id).and_then(|c| c.out_of_scope.as_deref()))
            .collect();
        if reasons.len() == finding.components.len() {
            finding.status = Status::Accepted;
            finding.decision = Some(vigil_core::Decision {
                source: format!("threat-model:{}", vigil_model::overlay::FILE),
                vex_status: "out_of_scope".into(),
                justification: None,
                statement: reasons.first().map(|r| (*r).to_owned()),
                ..Default::default()
            });
        }
    }
}

pub fn assess(root: &Path, options: Options<'_>) -> Result<Assessment, EngineError> {
    let Options {
        scope,
        advisories,
        intel,
        ingest,
        as_of,
        generated_at,
        on_stage,
        baseline,
    } = options;
    // Read first: a bad file given on the command line stops the run before any work.
    let ingest_paths: Vec<&Path> = ingest.iter().map(std::path::PathBuf::as_path).collect();
    let ingested = vigil_ingest::load(&ingest_paths)?;
    let InventoryRun {
        scope,
        mut inventory,
        model,
        mut diagnostics,
        mut coverage,
    } = inventory(root, scope, on_stage)?;
    if !ingested.dependencies.is_empty() {
        inventory.assets.extend(ingested.dependencies);
        inventory.normalize();
    }

    on_stage("applying threat rules");
    let mut findings = vigil_threats::run(&inventory, &model, &scope);
    apply_scope_decisions(&mut findings, &model);

    on_stage("matching advisories");
    let mut vulns = vigil_vulns::run(&inventory, advisories);
    if !intel.is_empty() && !vulns.findings.is_empty() {
        on_stage("joining exploitation intelligence");
        let wanted = vigil_vulns::intel::wanted_cves(&vulns.findings);
        match Intel::load(&intel, &wanted) {
            Ok(intel) => vigil_vulns::intel::enrich(&mut vulns.findings, &intel),
            Err(error) => {
                diagnostics.push(Diagnostic::error(
                    ".",
                    None,
                    format!("exploitation intelligence: {error}"),
                ));
                coverage.not_checked.push(vigil_core::NotChecked {
                    what: "exploitation intelligence (KEV, EPSS, ExploitDB)".into(),
                    why: error.to_string(),
                });
            }
        }
    }
    on_stage("resolving calls to vulnerable functions");
    match vigil_discover::repo_fs::RepoFs::new(root, scope.discover.max_file_size) {
        Ok(fs) => vigil_vulns::calls::resolve(
            &mut vulns.findings,
            &inventory.imports,
            &RepoFiles(fs),
            vigil_vulns::calls::Budget::default(),
        ),
        Err(error) => diagnostics.push(Diagnostic::warning(
            ".",
            None,
            format!("call resolution skipped: {error}"),
        )),
    }
    findings.extend(vulns.findings);
    for finding in ingested.findings {
        if !findings.iter().any(|f| f.fingerprint == finding.fingerprint) {
            findings.push(finding);
        }
    }
    attach_components(&mut findings, &model);
    for statement in vigil_ingest::vex::apply(&mut findings, &inventory, &ingested.statements) {
        diagnostics.push(Diagnostic::warning(
            statement.source.split_once(':').map_or("", |(_, file)| file),
            None,
            format!(
                "VEX statement `{}` for {} matched no finding",
                statement.status,
                statement.names.first().map_or("?", String::as_str)
            ),
        ));
    }
    diagnostics.extend(vulns.diagnostics);
    coverage.not_checked.extend(vulns.not_checked);

    if let Some(baseline) = &baseline {
        let before = findings.len();
        findings.retain(|f| !baseline.fingerprints.contains(&f.fingerprint));
        diagnostics.push(Diagnostic::info(
            baseline.path.clone(),
            None,
            format!(
                "baseline: {} finding(s) it already had are not reported; {} new",
                before - findings.len(),
                findings.len()
            ),
        ));
    }

    on_stage("scoring and planning");
    diagnostics.extend(vigil_risk::score(&mut findings, &inventory, &model, &scope));
    diagnostics.extend(vigil_risk::triage::apply(&mut findings, &scope.triage, as_of));
    findings.sort_by(|a, b| {
        b.score
            .rpn
            .cmp(&a.score.rpn)
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    let roadmap = vigil_risk::plan(&findings, &inventory, &scope, as_of);

    diagnostics.sort();
    diagnostics.dedup();
    coverage.not_checked.sort();
    coverage.not_checked.dedup();
    let summary = summarize(
        &findings,
        &roadmap,
        inventory.assets.len(),
        vulns.warnings.len(),
        &diagnostics,
    );
    Ok(Assessment {
        schema_version: SCHEMA_VERSION.to_owned(),
        tool: Tool {
            name: "vigil".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        target: Target {
            path: root.display().to_string(),
            commit: git::head_commit(root),
        },
        generated_at,
        as_of,
        scope,
        advisory_db: advisories.map(AdvisorySource::snapshot),
        summary,
        inventory,
        model,
        findings,
        advisory_warnings: vulns.warnings,
        roadmap,
        coverage,
        diagnostics,
    })
}

fn summarize(
    findings: &[vigil_core::Finding],
    roadmap: &vigil_core::Roadmap,
    assets: usize,
    warnings: usize,
    diagnostics: &[Diagnostic],
) -> Summary {
    let mut findings_by_band: BTreeMap<Band, usize> = Band::ALL.iter().map(|b| (*b, 0)).collect();
    for finding in findings.iter().filter(|f| f.status == Status::Open) {
        *findings_by_band.entry(finding.score.band).or_default() += 1;
    }
    let mut actions_by_band: BTreeMap<Band, usize> = Band::ALL.iter().map(|b| (*b, 0)).collect();
    for action in &roadmap.actions {
        *actions_by_band.entry(action.band).or_default() += 1;
    }
    Summary {
        findings_by_band,
        actions_by_band,
        assets,
        findings: findings.len(),
        advisory_warnings: warnings,
        diagnostics: diagnostics.len(),
    }
}
