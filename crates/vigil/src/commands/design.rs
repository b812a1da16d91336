//! `vigil design FILE`: threat-models a planned feature from its design document. Reads the document,
//! extracts the plan with the design lexicon (optionally refined by an LLM), merges it over the current
//! model of the repository when there is one, runs the threat rules and keeps the threats of the plan,
//! ranked, with the security requirements they imply.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use vigil_core::{Inventory, Scope, SystemModel};
use vigil_model::design::llm::{self, Suggestion};
use vigil_model::design::report::{self, Report, RuleNote};
use vigil_model::design::{self, CatalogEntry, DesignError, Document, Extraction, Lexicon, merge, plan};

use super::assess::{load_scope, spinner};
use crate::cli::{Cli, DesignArgs, DesignFormat};
use crate::output::{self, Hinted};

/// The LLM's reply is a short JSON document; more than this is not one.
const MAX_REPLY_BYTES: u64 = 1 << 20;

pub fn run(cli: &Cli, args: &DesignArgs) -> anyhow::Result<ExitCode> {
    let repo = repository(args)?;
    let bytes = read_document(&args.file)?;
    let label = document_label(&args.file, repo.as_deref());
    let doc = design::parse(&label, &bytes).map_err(|error| match error {
        DesignError::Unreadable { message, .. } => {
            Hinted::plain(format!("{}: {message}", args.file.display()))
        }
    })?;
    let lexicon = Lexicon::new(&catalog());
    let mut extraction = design::extract(&doc, &lexicon);

    let mut warnings = Vec::new();
    if let (Some(endpoint), Some(model)) = (&args.llm_endpoint, &args.llm_model) {
        match refine(endpoint, model, &doc, &extraction) {
            Ok(suggestions) => warnings.extend(llm::apply(&mut extraction, suggestions, &doc, &lexicon)),
            Err(message) => warnings.push(format!(
                "LLM refinement skipped, the deterministic extraction stands: {message}"
            )),
        }
    }
    for warning in &warnings {
        tracing::warn!("{warning}");
    }

    let planned = plan::model(&doc, &lexicon, &extraction);
    let current = match &repo {
        Some(root) => Some(current_model(cli, root)?),
        None => None,
    };
    let (inventory, scope, existing) =
        current.unwrap_or_else(|| (Inventory::default(), Scope::default(), SystemModel::default()));
    // What the rules already say about the repository is not the plan's doing.
    let baseline: BTreeSet<String> = if repo.is_some() {
        vigil_threats::run(&inventory, &existing, &scope)
            .into_iter()
            .map(|f| f.fingerprint)
            .collect()
    } else {
        BTreeSet::new()
    };
    let merged = merge::merge(existing, &planned);
    let mut findings = vigil_threats::run(&inventory, &merged.model, &scope);
    vigil_risk::score(&mut findings, &inventory, &merged.model, &scope);
    let findings = report::plan_findings(findings, &baseline, &merged, &doc.path);

    let report = Report {
        requirements: report::requirements(&findings, &merged.model),
        rules: rule_notes(&findings),
        document: doc,
        repository: repo.map(|r| r.display().to_string()),
        extended: merged.extended.clone(),
        components: extraction.components,
        facts: extraction.facts,
        model: planned,
        findings,
        warnings,
    };
    let text = match args.format {
        DesignFormat::Md => {
            let mut text = report::markdown(&report);
            text.push('\n');
            text
        }
        DesignFormat::Json => {
            let mut text = serde_json::to_string_pretty(&report)?;
            text.push('\n');
            text
        }
    };
    output::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// `--repo`, else the current directory when it is a repository (vigil.toml or .git), else none.
fn repository(args: &DesignArgs) -> anyhow::Result<Option<PathBuf>> {
    match &args.repo {
        Some(path) if path.is_dir() => Ok(Some(path.clone())),
        Some(path) => Err(Hinted::error(
            format!("{}: not a directory", path.display()),
            "pass the root of the repository the feature goes into",
        )),
        None => {
            let here = Path::new(".");
            let is_repo = here.join("vigil.toml").is_file() || here.join(".git").exists();
            Ok(is_repo.then(|| here.to_path_buf()))
        }
    }
}

/// The document's bytes, refusing more than a design document can be before reading it all.
fn read_document(file: &Path) -> anyhow::Result<Vec<u8>> {
    let unreadable = |e: std::io::Error| Hinted::plain(format!("{}: {e}", file.display()));
    let handle = std::fs::File::open(file).map_err(unreadable)?;
    if handle.metadata().map_err(unreadable)?.is_dir() {
        return Err(Hinted::plain(format!(
            "{}: a directory, not a design document",
            file.display()
        )));
    }
    let mut bytes = Vec::new();
    let limit = u64::try_from(design::MAX_BYTES).unwrap_or(u64::MAX) + 1;
    handle.take(limit).read_to_end(&mut bytes).map_err(unreadable)?;
    Ok(bytes)
}

/// The path evidence names: relative to the repository when the document is inside it (like every other
/// piece of evidence), as given otherwise.
fn document_label(file: &Path, repo: Option<&Path>) -> String {
    let inside = repo.and_then(|root| {
        let root = root.canonicalize().ok()?;
        let file = file.canonicalize().ok()?;
        file.strip_prefix(&root).ok().map(Path::to_path_buf)
    });
    inside
        .unwrap_or_else(|| file.to_path_buf())
        .to_string_lossy()
        .replace('\\', "/")
}

/// The SDK catalog, as the lexicon reads integration and datastore names.
fn catalog() -> Vec<CatalogEntry> {
    vigil_discover::catalog::Catalog::get()
        .sdks
        .iter()
        .map(|sdk| CatalogEntry {
            id: sdk.id.clone(),
            name: sdk.name.clone(),
            kind: sdk.kind.clone(),
            category: sdk.category.clone(),
            receives: sdk.data_classes(),
        })
        .collect()
}

/// The repository's inventory, scope and model, as `vigil model` builds them (no advisory matching).
fn current_model(cli: &Cli, root: &Path) -> anyhow::Result<(Inventory, Scope, SystemModel)> {
    let scope = load_scope(root, None)?;
    let progress = spinner(cli.quiet);
    let on_stage = |stage: &str| progress.set_message(stage.to_owned());
    let run = vigil_engine::inventory(root, scope, &on_stage)?;
    progress.finish_and_clear();
    Ok((run.inventory, run.scope, run.model))
}

fn rule_notes(findings: &[vigil_core::Finding]) -> BTreeMap<String, RuleNote> {
    findings
        .iter()
        .filter_map(|f| f.rule_id.as_deref())
        .filter_map(vigil_threats::registry::find)
        .map(|rule| {
            let meta = rule.meta();
            (
                meta.id.to_owned(),
                RuleNote {
                    title: meta.title.to_owned(),
                    why: meta.why.to_owned(),
                },
            )
        })
        .collect()
}

/// Asks the endpoint for more facts. Every failure is a message for a warning: the caller keeps the
/// deterministic extraction. The API key goes in a header and nowhere else.
fn refine(
    endpoint: &str,
    model: &str,
    doc: &Document,
    extraction: &Extraction,
) -> Result<Vec<Suggestion>, String> {
    let url = completions_url(endpoint);
    let shown = redacted(&url);
    let body = llm::request(model, doc, extraction).to_string();
    let config = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_global(Some(Duration::from_secs(120)))
        .http_status_as_error(false)
        .user_agent(concat!("vigil/", env!("CARGO_PKG_VERSION")))
        .build();
    let agent: ureq::Agent = config.into();
    let mut request = agent.post(&url).header("Content-Type", "application/json");
    if let Some(key) = std::env::var("VIGIL_LLM_API_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
    {
        request = request.header("Authorization", format!("Bearer {}", key.trim()));
    }
    let response = request.send(body.as_str()).map_err(|e| format!("{shown}: {e}"))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(format!("{shown}: HTTP {status}"));
    }
    let text = response
        .into_body()
        .into_with_config()
        .limit(MAX_REPLY_BYTES)
        .read_to_string()
        .map_err(|e| format!("{shown}: {e}"))?;
    llm::parse_reply(&text).map_err(|e| format!("{shown}: {e}"))
}

/// A base URL (`http://host:8000`, `.../v1`) or the full chat-completions URL.
fn completions_url(endpoint: &str) -> String {
    let endpoint = endpoint.trim().trim_end_matches('/');
    if endpoint.ends_with("/chat/completions") {
        endpoint.to_owned()
    } else if endpoint.ends_with("/v1") {
        format!("{endpoint}/chat/completions")
    } else {
        format!("{endpoint}/v1/chat/completions")
    }
}

/// The URL without credentials someone may have put in it.
fn redacted(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
            let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
            let slash = if rest.contains('/') { "/" } else { "" };
            format!("{scheme}://{host}{slash}{path}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_become_chat_completion_urls() {
        assert_eq!(completions_url("http://h:1"), "http://h:1/v1/chat/completions");
        assert_eq!(
            completions_url("http://h:1/v1/"),
            "http://h:1/v1/chat/completions"
        );
        assert_eq!(
            completions_url("http://h:1/v1/chat/completions"),
            "http://h:1/v1/chat/completions"
        );
        assert_eq!(redacted("https://u:p@h/v1/x"), "https://h/v1/x");
    }
}
