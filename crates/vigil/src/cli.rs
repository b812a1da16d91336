//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "vigil",
    version,
    about = "Continuous threat assessment: turns a codebase into a ranked, explained remediation roadmap.",
    after_help = "Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or input error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Where vigil keeps its advisory database [default: the platform data directory]/vigil.
    #[arg(long, global = true, env = "VIGIL_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// The history store: sqlite://PATH or postgres://USER@HOST/DB [default: sqlite under --home].
    #[arg(long, global = true, env = "VIGIL_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,

    /// More logging on stderr (-v, -vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// No progress or logs on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Colour in terminal output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Assess a repository: inventory, system model, threats, vulnerabilities, scores and a roadmap.
    Assess(AssessArgs),
    /// List what the code reveals (dependencies, endpoints, data models, datastores, cloud resources,
    /// integrations, AI usage, secrets, pipelines, owners), without threats or scores.
    Inventory(InventoryArgs),
    /// The system model (components, data flows, trust boundaries) as a diagram or a threat model file.
    Model(ModelArgs),
    /// Threat-model a planned feature from its design document (Markdown, Jira or GitHub issue JSON).
    #[command(long_about = DESIGN_ABOUT)]
    Design(DesignArgs),
    /// Write a commented starter vigil.toml.
    Init(InitArgs),
    /// Manage the offline advisory database.
    #[command(subcommand)]
    Db(DbCommand),
    /// List and explain the threat rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Print the JSON Schema of the Assessment document (`--format json`).
    Schema,
    /// The threat delta between two git revisions: material changes (endpoints, datastores, sensitive data
    /// on flows, third parties, AI, exposure, vulnerable dependencies, trust-boundary crossings), new and
    /// fixed findings, and how the risk moved. The working tree is never touched.
    Diff(DiffArgs),
    /// List saved assessments with their open findings by band.
    History(HistoryArgs),
    /// Print a saved assessment in any report format.
    Show(ShowArgs),
    /// Program metrics from the history: MTTR and SLA compliance, escape rate, coverage, open findings over time.
    Metrics(MetricsArgs),
    /// Scopes whose next assessment is due: their cadence ran out, or a material change was recorded.
    Due(DueArgs),
    /// Hand the roadmap to a tracker: one ticket per action in Jira, Azure DevOps or GitHub Issues.
    #[command(subcommand)]
    Tickets(TicketsCommand),
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only this scope (its name in vigil.toml, else the directory name).
    #[arg(long)]
    pub scope: Option<String>,

    /// How many assessments, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,

    #[arg(long, value_enum, default_value_t = TableFormat::Term)]
    pub format: TableFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The assessment's id (see `vigil history`).
    pub id: i64,

    #[arg(long, value_enum, default_value_t = OutputFormat::Term)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Count fixes and first sightings from this date (YYYY-MM-DD) [default: all history].
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// The day to measure on (YYYY-MM-DD) [default: today, UTC].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    #[arg(long, value_enum, default_value_t = MetricsFormat::Term)]
    pub format: MetricsFormat,
}

#[derive(Debug, Subcommand)]
pub enum TicketsCommand {
    /// Create, update, close and reopen tickets from the latest saved assessment of the repository, idempotently.
    Sync(TicketsSyncArgs),
}

#[derive(Debug, Args)]
pub struct TicketsSyncArgs {
    /// The repository whose latest saved assessment is handed over (its vigil.toml has `[tickets]`).
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// The tracker, configured in `[tickets.<tracker>]`.
    #[arg(long, value_enum)]
    pub to: Tracker,

    /// Print the exact requests that would change the tracker instead of sending them (reads still go).
    #[arg(long)]
    pub dry_run: bool,

    /// Scope configuration [default: PATH/vigil.toml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Tracker {
    Jira,
    AzureDevops,
    Github,
}

impl Tracker {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jira => "jira",
            Self::AzureDevops => "azure-devops",
            Self::Github => "github",
        }
    }
}

#[derive(Debug, Args)]
pub struct DueArgs {
    /// The day to check on (YYYY-MM-DD) [default: today, UTC].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    #[arg(long, value_enum, default_value_t = TableFormat::Term)]
    pub format: TableFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Term,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricsFormat {
    Term,
    Json,
    Md,
}

/// Where in the delivery pipeline an assessment runs; the escape rate counts what was first found after `pr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Stage {
    Pr,
    Main,
    Prod,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pr => "pr",
            Self::Main => "main",
            Self::Prod => "prod",
        }
    }
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The repository to assess.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Scope configuration [default: PATH/vigil.toml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Term)]
    pub format: OutputFormat,

    /// Also write assessment.json, assessment.md, assessment.html and assessment.sarif into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Exit with 1 when an open finding matches: a band (`high`: that band or worse) or an expression over
    /// band, rpn, likelihood, impact, detectability, epss, kev, exploit, internet, direct, kind, status, rule,
    /// advisory, cwe and reachability, e.g. `band >= high or (kev and reachability != "dev-only")`.
    #[arg(long, value_name = "BAND|EXPR")]
    pub fail_on: Option<String>,

    /// Report (and gate on) only findings that are not in this earlier assessment (`--format json` output).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Match against these OSV advisories (all.zip, directory or JSON file) instead of the database; CISA
    /// KEV JSON, EPSS CSV (.csv.gz too) and ExploitDB files_exploits.csv are recognised and joined.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub advisories: Vec<PathBuf>,

    /// Bring in other tools' results: SARIF 2.1.0 (findings), CycloneDX or SPDX JSON SBOMs (components
    /// matched like lockfile packages), OpenVEX or CycloneDX VEX (decisions on matching findings).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub ingest: Vec<PathBuf>,

    /// The date due dates count from (YYYY-MM-DD) [default: today, UTC].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Do not save the assessment in the history store.
    #[arg(long)]
    pub no_save: bool,

    /// Where in the delivery pipeline this run is, recorded with the saved assessment.
    #[arg(long, value_enum)]
    pub stage: Option<Stage>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older side: a revision of --repo (a sha, branch, tag or HEAD~1), or a saved assessment as
    /// `#ID` (see `vigil history`).
    pub old: String,

    /// The newer side: a revision of --repo or `#ID`.
    pub new: String,

    /// The git repository both revisions belong to; each is read from its object database and assessed
    /// with its own vigil.toml.
    #[arg(long, default_value = ".", value_name = "PATH")]
    pub repo: PathBuf,

    /// term: a summary; md: a Markdown comment for a pull request; json: the delta as data.
    #[arg(long, value_enum, default_value_t = DiffFormat::Term)]
    pub format: DiffFormat,

    /// Match both sides against these OSV advisories (all.zip, directory or JSON file) instead of the
    /// database; KEV, EPSS and ExploitDB files are recognised and joined.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub advisories: Vec<PathBuf>,

    /// The date due dates count from (YYYY-MM-DD) [default: today, UTC].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Exit with 1 when there is a material change (the threat model needs reassessing).
    #[arg(long)]
    pub fail_on_material: bool,

    /// Do not record material changes as reassessment triggers in the history store (see `vigil due`).
    #[arg(long)]
    pub no_save: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Term,
    Json,
    Md,
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// The repository to inventory.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Scope configuration [default: PATH/vigil.toml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// table: grouped by kind; json: inventory, model, diagnostics and coverage; cyclonedx: a CycloneDX 1.6 BOM.
    #[arg(long, value_enum, default_value_t = InventoryFormat::Table)]
    pub format: InventoryFormat,
}

#[derive(Debug, Args)]
pub struct ModelArgs {
    /// The repository to model.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Scope configuration [default: PATH/vigil.toml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// mermaid: a flowchart for Markdown; dot: Graphviz; json: the model; threagile: a Threagile YAML
    /// model; otm: Open Threat Model 0.2.0 with the threats found on each component; svg: a
    /// self-contained drawing, laid out by vigil (no Graphviz needed).
    #[arg(long, value_enum, default_value_t = ModelFormat::Mermaid)]
    pub format: ModelFormat,

    /// Read the model from a Threagile YAML or Threat Dragon v2 JSON file instead of the repository.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelFormat {
    Mermaid,
    Dot,
    Json,
    Threagile,
    Otm,
    Svg,
}

const DESIGN_ABOUT: &str = "Threat-model a planned feature before it is built, from its design document: a \
Markdown file, a Jira issue (REST v3 JSON, description in Atlassian Document Format) or a GitHub issue (REST \
JSON). A deterministic lexicon reads the planned components, datastores, integrations (the SDK catalog's \
names), data classes, Internet exposure, capabilities (uploads, XML, URL fetching, LLM calls and tool use, \
payments...) and the controls the document promises, each with its line and phrase; \"no\", \"not\" and \
\"without\" negate, questions and non-goal sections are not applied. The planned model is merged over the \
current model of the repository (--repo, or the current directory when it holds vigil.toml or .git), the \
threat rules run over it, and the threats that touch the plan are ranked by likelihood x impact with the \
security requirements they imply.

An optional LLM pass (off by default) asks an OpenAI-compatible endpoint for facts the lexicon missed: \
--llm-endpoint and --llm-model, the API key from $VIGIL_LLM_API_KEY. Only known vocabulary quoting the \
document is accepted, marked as suggested by the LLM; a failed or malformed reply is a warning and the \
deterministic result stands.";

#[derive(Debug, Args)]
pub struct DesignArgs {
    /// The design document: Markdown (.md), a Jira issue JSON or a GitHub issue JSON.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Merge the plan over this repository's current model [default: the current directory, when it
    /// holds vigil.toml or .git; otherwise the plan stands alone].
    #[arg(long, value_name = "PATH")]
    pub repo: Option<PathBuf>,

    /// md: facts, threats and security requirements for a design review; json: the same as data.
    #[arg(long, value_enum, default_value_t = DesignFormat::Md)]
    pub format: DesignFormat,

    /// Refine the extraction with an OpenAI-compatible chat-completions endpoint (base URL or full
    /// `/v1/chat/completions` URL); the API key is read from $VIGIL_LLM_API_KEY.
    #[arg(long, value_name = "URL", requires = "llm_model")]
    pub llm_endpoint: Option<String>,

    /// The model to ask (with --llm-endpoint).
    #[arg(long, value_name = "NAME", requires = "llm_endpoint")]
    pub llm_model: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DesignFormat {
    Md,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    Table,
    Json,
    Cyclonedx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Term,
    Json,
    Md,
    /// OpenVEX 0.2.0 statements for the vulnerability findings.
    Openvex,
    /// CycloneDX 1.6 VEX for the vulnerability findings.
    CyclonedxVex,
    /// One row per finding, riskiest first, with its action, owner and due date.
    Csv,
    /// A single self-contained HTML report (no network access needed), printable.
    Html,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to write vigil.toml into.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Overwrite an existing vigil.toml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Import OSV advisories (all.zip files, directories or JSON files), the CISA KEV catalog (JSON), FIRST
    /// EPSS scores (CSV or .csv.gz) or ExploitDB's files_exploits.csv for offline use.
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Download advisories (OSV, incrementally when possible), the CISA KEV catalog, EPSS scores and
    /// ExploitDB's exploit list from their public sources, with resume; an interrupted or corrupt download
    /// leaves the current database unchanged.
    Update {
        /// Base URL of the OSV export (`<URL>/<ecosystem>/all.zip`, `modified_id.csv`, `<id>.json`).
        #[arg(
            long,
            env = "VIGIL_OSV_URL",
            value_name = "URL",
            default_value = vigil_vulns::update::DEFAULT_OSV_URL
        )]
        osv_url: String,
        /// OSV ecosystems to fetch, comma-separated [default: every one vigil matches].
        #[arg(long, value_delimiter = ',', value_name = "NAMES")]
        ecosystems: Vec<String>,
        /// The CISA KEV JSON feed.
        #[arg(
            long,
            env = "VIGIL_KEV_URL",
            value_name = "URL",
            default_value = vigil_vulns::update::DEFAULT_KEV_URL
        )]
        kev_url: String,
        /// The daily EPSS scores (CSV, gzipped or not).
        #[arg(
            long,
            env = "VIGIL_EPSS_URL",
            value_name = "URL",
            default_value = vigil_vulns::update::DEFAULT_EPSS_URL
        )]
        epss_url: String,
        /// ExploitDB's files_exploits.csv.
        #[arg(
            long,
            env = "VIGIL_EXPLOITDB_URL",
            value_name = "URL",
            default_value = vigil_vulns::update::DEFAULT_EXPLOITDB_URL
        )]
        exploitdb_url: String,
        /// Skip these sources (kev, epss, exploitdb), comma-separated.
        #[arg(long, value_delimiter = ',', value_name = "NAMES")]
        skip: Vec<String>,
    },
    /// Show what the database holds and how old it is.
    Status {
        /// Warn when the data is older than this many days.
        #[arg(long, default_value_t = 7, value_name = "DAYS")]
        max_age_days: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every rule.
    List,
    /// Show a rule's documentation.
    Explain { id: String },
    /// The reference of every rule as one Markdown document (docs/rules.md is this output).
    Docs,
}
