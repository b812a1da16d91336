//! GitLab CI/CD (`.gitlab-ci.yml`, `*.gitlab-ci.yml`, and the fragments under `.gitlab/ci/` that it
//! includes): one `pipeline` asset per file, in the GitHub Actions workflow layout. This module also holds
//! that layout's shared part ([`CiPipeline`], [`CiJob`], [`CiStep`], the secret-name heuristics), used by
//! the Jenkins, CircleCI, Azure Pipelines and Bitbucket extractors so that one set of CI rules reads them all.
//!
//! The YAML is read with [`crate::yaml`] (spanned nodes, YAML 1.2 scalars, budgets against alias bombs).
//! Hidden jobs (`.name`) are templates, not jobs; `extends:` is resolved within the file (deep-merging
//! mappings as GitLab does, up to 11 levels) and `!reference [.job, key]` in scripts is followed. Included
//! files are not read (each is extracted on its own when it is in the repository).
//!
//! Attributes (`platform: "gitlab-ci"`, `permissions: null`: GitLab's job token has no per-file scoping):
//! - `jobs`: every visible job in file order; `runs_on` is its image (its own, else the default one) or
//!   null. Steps: `{name: "image"|"service", uses}` for the job's own images (`name:tag` or
//!   `name@sha256:...` as written), then `before_script`, `script`, `after_script` as run steps named
//!   after their key (`run` is the lines joined with `\n`, `env` the job's `variables`, secret literals
//!   redacted), and `{name: "trigger", uses}` for a downstream pipeline. Extra job attributes: `stage`
//!   (default `test`), and when present `environment` (its name), `rules`, `only`, `except`, `when`, `tags`.
//! - The synthetic `(pipeline)` job holds `include:` entries (`{name: "include", uses}`: remote URLs as
//!   written, `project:` files as `group/project/file@ref`, local files as `./path`; `{name: "component",
//!   uses: "host/group/project/name@version"}` with its `inputs` as `with`; `{name: "template", uses:
//!   "Name.gitlab-ci.yml"}`) and the default `image`/`services`.
//! - `triggers`: `push` (unless `workflow:rules` restrict it), `pull_request` (`merge_request_event`,
//!   `external_pull_request_event`, `$CI_MERGE_REQUEST_*` conditions, `only: merge_requests`), `schedule`,
//!   `manual` (`web` pipelines, `when: manual`), and GitLab's own source names otherwise (`api`,
//!   `trigger`, `pipeline`, `parent_pipeline`, `chat`...); rules with `when: never` enable nothing.
//!   `attribute_lines["triggers.NAME"]` is the first line enabling each.
//! - `secrets`: upper-case `$VARS` the file uses, except GitLab's predefined ones (`CI_*`, `GITLAB_*`, ...)
//!   and non-secret variables defined in the file; names under a job's `secrets:` and `id_tokens:`; and
//!   the plaintext secrets.
//! - `plaintext_secrets`: `[{name, line}]` of secret-named `variables:` given a literal value (values are
//!   never stored).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use vigil_core::{Asset, AssetId, AssetKind};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::yaml::{self, Entries, Node, Spanned, field, get, key_text, line_of, to_json};

#[derive(Debug)]
pub struct GitlabCi;

impl Extractor for GitlabCi {
    fn name(&self) -> &'static str {
        "gitlab/ci"
    }

    fn claims(&self, path: &str, file_name: &str) -> bool {
        let yaml = file_name.ends_with(".yml") || file_name.ends_with(".yaml");
        let dir = crate::extract::parent_dir(path);
        let fragment = dir == ".gitlab/ci" || dir.starts_with(".gitlab/ci/") || dir.contains("/.gitlab/ci");
        yaml && (file_name.ends_with(".gitlab-ci.yml") || file_name.ends_with(".gitlab-ci.yaml") || fragment)
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let documents = yaml::parse_documents(file)?;
        let documents: Vec<&Spanned<Node>> = documents.iter().filter(|d| !d.value.is_null()).collect();
        let Some(first) = documents.first().copied() else {
            return Ok(()); // empty file, or only comments / `---`
        };
        // A CI/CD component starts with a `spec:` header document; the jobs are in the next one.
        let header = first
            .value
            .as_map()
            .is_some_and(|m| m.len() == 1 && get(m, "spec").is_some());
        let (root, rest) = match documents.get(1) {
            Some(second) if header => (*second, documents.get(2..).unwrap_or_default()),
            _ => (first, documents.get(1..).unwrap_or_default()),
        };
        if let Some(extra) = rest.first() {
            out.diagnostics.push(file.warning(
                Some(line_of(extra)),
                "more than one YAML document; only the first is read",
            ));
        }
        let Some(top) = root.value.as_map() else {
            return Err(file.error(
                Some(line_of(root)),
                format!(
                    "not a GitLab CI file: the document is {}, not a mapping",
                    root.value.describe()
                ),
            ));
        };
        let mut gitlab = Gitlab {
            top,
            pipeline: CiPipeline::default(),
            warnings: Vec::new(),
            defined: BTreeSet::new(),
            extends_budget: MAX_EXTENDS_MERGES,
        };
        gitlab.read();
        let Gitlab {
            mut pipeline,
            warnings,
            defined,
            ..
        } = gitlab;
        for (line, message) in warnings {
            out.diagnostics.push(file.warning(Some(line), message));
        }
        let used = dollar_variables(file.text, |name| predefined(name) || defined.contains(name));
        pipeline.secrets.extend(used);
        out.assets
            .push(pipeline.into_asset(file, "gitlab-ci", line_of(root).max(1)));
        Ok(())
    }
}

/// Top-level keys that configure the pipeline rather than name a job.
const KEYWORDS: [&str; 12] = [
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
    "types",
    "spec",
];

/// GitLab's limit on `extends` depth.
const MAX_EXTENDS_DEPTH: usize = 11;

/// Merges done for `extends` in one file; a hostile fan-out of parents stops here.
const MAX_EXTENDS_MERGES: usize = 10_000;

/// How deep `!reference` chains are followed (GitLab allows 10).
const MAX_REFERENCE_DEPTH: usize = 10;

/// Nodes visited to read one script; `!reference` fan-out in hostile files stops here.
const MAX_SCRIPT_NODES: usize = 100_000;

/// Variables GitLab sets itself: never repository secrets.
fn predefined(name: &str) -> bool {
    ["CI_", "GITLAB_", "CHAT_", "FF_"]
        .iter()
        .any(|p| name.starts_with(p))
        || matches!(
            name,
            "TRIGGER_PAYLOAD" | "RUNNER_TEMP_PROJECT_DIR" | "DOCKER_HOST" | "DOCKER_TLS_CERTDIR"
        )
}

/// Pipeline sources, as `$CI_PIPELINE_SOURCE` names them, mapped to the shared trigger vocabulary.
fn source_trigger(source: &str) -> &str {
    match source {
        "merge_request_event" | "external_pull_request_event" => "pull_request",
        "web" => "manual",
        other => other,
    }
}

const SOURCES: [&str; 15] = [
    "api",
    "chat",
    "external",
    "external_pull_request_event",
    "merge_request_event",
    "ondemand_dast_scan",
    "ondemand_dast_validation",
    "parent_pipeline",
    "pipeline",
    "push",
    "schedule",
    "security_orchestration_policy",
    "trigger",
    "web",
    "webide",
];

type OwnedEntries = Vec<(Spanned<Node>, Spanned<Node>)>;

struct Gitlab<'n> {
    top: &'n Entries,
    pipeline: CiPipeline,
    warnings: Vec<(u32, String)>,
    /// Variables defined in the file with names that do not say secret: configuration, not secrets.
    defined: BTreeSet<String>,
    extends_budget: usize,
}

/// The `default:` (or deprecated top-level) settings jobs inherit.
#[derive(Default)]
struct Defaults<'n> {
    image: Option<(String, u32)>,
    before_script: Option<(&'n Spanned<Node>, &'n Spanned<Node>)>,
    after_script: Option<(&'n Spanned<Node>, &'n Spanned<Node>)>,
}

impl<'n> Gitlab<'n> {
    fn warn(&mut self, line: u32, message: impl Into<String>) {
        self.warnings.push((line, message.into()));
    }

    fn read(&mut self) {
        let top = self.top;
        let default = get(top, "default").and_then(|(_, v)| v.value.as_map());
        let setting = |key: &str| default.and_then(|d| get(d, key)).or_else(|| get(top, key));
        let mut defaults = Defaults::default();
        if let Some((_, image)) = setting("image") {
            defaults.image = image_of(image);
            if let Some((name, line)) = &defaults.image {
                self.pipeline
                    .pipeline_steps
                    .push(CiStep::uses("image", name, *line));
            }
        }
        if let Some((_, services)) = setting("services") {
            for (name, line) in services_of(services) {
                self.pipeline
                    .pipeline_steps
                    .push(CiStep::uses("service", name, line));
            }
        }
        defaults.before_script = setting("before_script");
        defaults.after_script = setting("after_script");
        if let Some((_, include)) = get(top, "include") {
            self.includes(include);
        }
        if let Some((_, variables)) = get(top, "variables") {
            self.variables(variables);
        }
        match get(top, "workflow").and_then(|(_, w)| field(w, "rules")) {
            Some(rules) => {
                for rule in rules.value.as_seq().unwrap_or_default() {
                    self.rule(rule, true);
                }
            }
            None => self.pipeline.trigger("push", None),
        }

        let mut hidden = false;
        for (key, value) in top {
            let id = key_text(key);
            if KEYWORDS.contains(&id.as_ref()) {
                continue;
            }
            if id.starts_with('.') {
                // A template: its secrets count, it is not a job.
                hidden = true;
                if let Some(variables) = field(value, "variables") {
                    self.variables(variables);
                }
                continue;
            }
            if value.value.as_map().is_none() {
                self.warn(line_of(key), format!("job `{id}` is not a mapping; skipped"));
                continue;
            }
            let fields = self.merged(value, 0);
            let job = self.job(&id, key, &fields, &defaults);
            self.pipeline.jobs.push(job);
        }
        if self.pipeline.jobs.is_empty() && !hidden && get(top, "include").is_none() {
            self.warn(
                line_of_first(top),
                "no jobs: GitLab runs no pipeline for this file",
            );
        }
    }

    /// A job's own keys merged over those of the jobs it `extends`, recursively.
    fn merged(&mut self, job: &Spanned<Node>, depth: usize) -> OwnedEntries {
        let Some(fields) = job.value.as_map() else {
            return Vec::new();
        };
        let mut base: OwnedEntries = Vec::new();
        if let Some((_, extends)) = get(fields, "extends") {
            let parents: Vec<&Spanned<Node>> = match extends.value.as_seq() {
                Some(items) => items.iter().collect(),
                None => vec![extends],
            };
            for parent in parents {
                let name = key_text(parent);
                if depth >= MAX_EXTENDS_DEPTH || self.extends_budget == 0 {
                    self.warn(
                        line_of(parent),
                        format!("`extends: {name}` nests too deep (or loops); not followed"),
                    );
                    continue;
                }
                self.extends_budget -= 1;
                match get(self.top, &name).filter(|(_, node)| node.value.as_map().is_some()) {
                    Some((_, node)) => {
                        let inherited = self.merged(node, depth + 1);
                        base = merge(base, &inherited);
                    }
                    None => self.warn(
                        line_of(parent),
                        format!(
                            "`extends: {name}` is not defined in this file (included files are not read)"
                        ),
                    ),
                }
            }
        }
        merge(base, fields)
    }

    fn job(&mut self, id: &str, key: &Spanned<Node>, fields: &Entries, defaults: &Defaults<'n>) -> CiJob {
        let mut job = CiJob::new(id, line_of(key));
        let inherit = Inherit::of(fields);
        let own_image = get(fields, "image").and_then(|(_, v)| image_of(v));
        if let Some((name, line)) = &own_image {
            job.steps.push(CiStep::uses("image", name, *line));
        }
        let image = own_image.or_else(|| defaults.image.clone().filter(|_| inherit.allows("image")));
        job.runs_on = image.map_or(Value::Null, |(name, _)| json!(name));
        if let Some((_, services)) = get(fields, "services") {
            for (name, line) in services_of(services) {
                job.steps.push(CiStep::uses("service", name, line));
            }
        }
        let env = get(fields, "variables")
            .map(|(_, v)| self.variables(v))
            .unwrap_or_default();
        for (section, inherited) in [
            ("before_script", defaults.before_script),
            ("script", None),
            ("after_script", defaults.after_script),
        ] {
            let own = get(fields, section);
            let Some((k, v)) = own.or_else(|| inherited.filter(|_| inherit.allows(section))) else {
                continue;
            };
            let mut lines = Vec::new();
            let mut budget = MAX_SCRIPT_NODES;
            self.script_lines(v, 0, &mut budget, &mut lines);
            if budget == 0 {
                self.warn(
                    line_of(k),
                    format!("`{section}` of job `{id}` expands too far; truncated"),
                );
            }
            let run_line = v
                .value
                .as_seq()
                .and_then(|items| items.first())
                .map_or(line_of(v), line_of);
            let mut step = CiStep::run(Some(section.to_owned()), line_of(k), lines.join("\n"), run_line);
            step.env = env.clone();
            job.steps.push(step);
        }
        if let Some((k, trigger)) = get(fields, "trigger") {
            self.downstream(trigger, line_of(k), &mut job.steps);
        }

        let stage = get(fields, "stage").map_or_else(|| json!("test"), |(_, v)| to_json(v));
        job.extra.insert("stage".into(), stage);
        if let Some((_, environment)) = get(fields, "environment") {
            let name = field(environment, "name").unwrap_or(environment);
            job.extra.insert("environment".into(), json!(key_text(name)));
        }
        for key in ["rules", "only", "except", "when", "tags"] {
            if let Some((_, value)) = get(fields, key) {
                job.extra.insert(key.into(), to_json(value));
            }
        }

        for rule in get(fields, "rules")
            .and_then(|(_, r)| r.value.as_seq())
            .unwrap_or_default()
        {
            self.rule(rule, false);
        }
        if let Some((_, only)) = get(fields, "only") {
            self.only(only);
        }
        if let Some((_, when)) = get(fields, "when").filter(|(_, w)| w.value.as_str() == Some("manual")) {
            self.pipeline.trigger("manual", Some(line_of(when)));
        }
        for key in ["secrets", "id_tokens"] {
            for (name, _) in get(fields, key)
                .and_then(|(_, v)| v.value.as_map())
                .unwrap_or_default()
            {
                self.pipeline.secrets.insert(key_text(name).into_owned());
            }
        }
        job
    }

    /// A `variables:` block: plaintext secrets flagged, names remembered, values for a step's `env`.
    fn variables(&mut self, node: &Spanned<Node>) -> Map<String, Value> {
        let mut env = Map::new();
        for (key, value) in node.value.as_map().unwrap_or_default() {
            let name = key_text(key).into_owned();
            // `NAME: {value: ..., description: ...}` is the documented long form.
            let literal = field(value, "value").map_or_else(|| to_json(value), to_json);
            let stored = self.pipeline.variable(&name, &literal, line_of(key));
            if !is_secret_name(&name) {
                self.defined.insert(name.clone());
            }
            env.insert(name, stored);
        }
        env
    }

    /// Script lines of `script:` and friends: a string, a list, nested lists, `!reference [.job, key]`.
    fn script_lines(&self, node: &Spanned<Node>, depth: usize, budget: &mut usize, out: &mut Vec<String>) {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        if node.value.tag().is_some_and(|t| t.ends_with("reference")) {
            match self.reference(node) {
                Some(target) if depth < MAX_REFERENCE_DEPTH => {
                    self.script_lines(target, depth + 1, budget, out);
                }
                _ => out.push(format!("!reference {}", key_text(node))),
            }
            return;
        }
        match node.value.untagged() {
            Node::Seq(items) => {
                for item in items {
                    self.script_lines(item, depth, budget, out);
                }
            }
            Node::Null => {}
            _ => out.push(key_text(node).into_owned()),
        }
    }

    fn reference(&self, node: &Spanned<Node>) -> Option<&'n Spanned<Node>> {
        let (first, rest) = node.value.as_seq()?.split_first()?;
        let mut current = get(self.top, &key_text(first))?.1;
        for segment in rest {
            current = field(current, &key_text(segment))?;
        }
        Some(current)
    }

    /// One `rules:` entry: the pipeline sources its `if:` admits, unless it is `when: never`.
    fn rule(&mut self, rule: &Spanned<Node>, workflow: bool) {
        let when = field(rule, "when").and_then(|w| w.value.as_str());
        if when == Some("never") {
            return;
        }
        if when == Some("manual") {
            let line = field(rule, "when").map_or(line_of(rule), line_of);
            self.pipeline.trigger("manual", Some(line));
        }
        let Some(condition) = field(rule, "if") else {
            if workflow {
                // An unconditional workflow rule lets every push through.
                self.pipeline.trigger("push", Some(line_of(rule)));
            }
            return;
        };
        let line = line_of(condition);
        let text = key_text(condition);
        let sources = pipeline_sources(&text);
        for source in &sources {
            self.pipeline.trigger(source_trigger(source), Some(line));
        }
        if text.contains("$CI_MERGE_REQUEST_") {
            self.pipeline.trigger("pull_request", Some(line));
        }
        let refs = [
            "$CI_COMMIT_BRANCH",
            "$CI_COMMIT_TAG",
            "$CI_COMMIT_REF_NAME",
            "$CI_COMMIT_REF_SLUG",
        ];
        if workflow && sources.is_empty() && refs.iter().any(|r| text.contains(r)) {
            self.pipeline.trigger("push", Some(line));
        }
    }

    /// `only: [merge_requests, schedules, main]` or `only: {refs: [...]}`.
    fn only(&mut self, only: &Spanned<Node>) {
        let refs = field(only, "refs").unwrap_or(only);
        let items: Vec<&Spanned<Node>> = match refs.value.as_seq() {
            Some(items) => items.iter().collect(),
            None if refs.value.as_str().is_some() => vec![refs],
            None => Vec::new(),
        };
        for item in items {
            let trigger = match key_text(item).as_ref() {
                "merge_requests" | "external_pull_requests" => "pull_request",
                "schedules" => "schedule",
                "web" => "manual",
                "triggers" => "trigger",
                "pipelines" => "pipeline",
                "api" => "api",
                "chat" => "chat",
                "external" => "external",
                // `branches`, `tags`, `pushes`, branch names and patterns.
                _ => "push",
            };
            self.pipeline.trigger(trigger, Some(line_of(item)));
        }
    }

    fn includes(&mut self, include: &Spanned<Node>) {
        let items: Vec<&Spanned<Node>> = match include.value.as_seq() {
            Some(items) => items.iter().collect(),
            None => vec![include],
        };
        for item in items {
            let mut steps = Vec::new();
            include_steps(item, &mut steps);
            if steps.is_empty() {
                self.warn(line_of(item), "an `include:` entry names no file; skipped");
            }
            self.pipeline.pipeline_steps.append(&mut steps);
        }
    }

    /// `trigger: group/project`, `trigger: {project, branch}` or `trigger: {include: ...}`.
    fn downstream(&mut self, trigger: &Spanned<Node>, line: u32, steps: &mut Vec<CiStep>) {
        if let Some(project) = trigger.value.as_str() {
            steps.push(CiStep::uses("trigger", project, line_of(trigger)));
        } else if let Some(project) = field(trigger, "project") {
            let uses = match field(trigger, "branch") {
                Some(branch) => format!("{}@{}", key_text(project), key_text(branch)),
                None => key_text(project).into_owned(),
            };
            steps.push(CiStep::uses("trigger", uses, line_of(project)));
        } else if let Some(include) = field(trigger, "include") {
            let items: Vec<&Spanned<Node>> = match include.value.as_seq() {
                Some(items) => items.iter().collect(),
                None => vec![include],
            };
            for item in items {
                let before = steps.len();
                include_steps(item, steps);
                for step in steps.iter_mut().skip(before) {
                    step.name = Some("trigger".into());
                }
            }
        } else {
            self.warn(line, "`trigger:` names no project or include; not read");
        }
    }
}

/// `inherit: default: false | [image, ...]`: which defaults a job takes.
struct Inherit {
    all: bool,
    only: Option<Vec<String>>,
}

impl Inherit {
    fn of(fields: &Entries) -> Self {
        match get(fields, "inherit").and_then(|(_, i)| field(i, "default")) {
            Some(node) => match (&node.value.as_bool(), node.value.as_seq()) {
                (Some(all), _) => Self {
                    all: *all,
                    only: None,
                },
                (None, Some(items)) => Self {
                    all: true,
                    only: Some(items.iter().map(|i| key_text(i).into_owned()).collect()),
                },
                _ => Self {
                    all: true,
                    only: None,
                },
            },
            None => Self {
                all: true,
                only: None,
            },
        }
    }

    fn allows(&self, key: &str) -> bool {
        self.all
            && self
                .only
                .as_ref()
                .is_none_or(|keys| keys.iter().any(|k| k == key))
    }
}

/// `b` merged over `a` as GitLab merges `extends`: mappings deep-merged, everything else replaced.
fn merge(mut base: OwnedEntries, over: &Entries) -> OwnedEntries {
    for (key, value) in over {
        let name = key_text(key);
        if name == "extends" {
            continue;
        }
        match base.iter_mut().find(|(k, _)| key_text(k) == name) {
            Some((k, v)) => {
                match (v.value.as_map(), value.value.as_map()) {
                    (Some(old), Some(new)) => {
                        let merged = merge(old.to_vec(), new);
                        *v = Spanned::new(Node::Map(merged), value.referenced, value.defined);
                    }
                    _ => *v = value.clone(),
                }
                *k = key.clone();
            }
            None => base.push((key.clone(), value.clone())),
        }
    }
    base
}

/// The steps one `include:` entry pulls in.
fn include_steps(item: &Spanned<Node>, steps: &mut Vec<CiStep>) {
    if let Some(path) = item.value.as_str() {
        steps.push(CiStep::uses("include", include_path(path), line_of(item)));
        return;
    }
    let Some(fields) = item.value.as_map() else { return };
    let line = line_of(item);
    if let Some((_, local)) = get(fields, "local") {
        steps.push(CiStep::uses(
            "include",
            local_path(&key_text(local)),
            line_of(local),
        ));
    }
    if let Some((_, remote)) = get(fields, "remote") {
        steps.push(CiStep::uses("include", key_text(remote), line_of(remote)));
    }
    if let Some((_, template)) = get(fields, "template") {
        steps.push(CiStep::uses("template", key_text(template), line_of(template)));
    }
    if let Some((_, component)) = get(fields, "component") {
        let mut step = CiStep::uses("component", key_text(component), line_of(component));
        step.line = line;
        for (k, v) in field(item, "inputs")
            .and_then(|i| i.value.as_map())
            .unwrap_or_default()
        {
            step.with_input(&key_text(k), to_json(v), line_of(k));
        }
        steps.push(step);
    }
    if let Some((_, project)) = get(fields, "project") {
        let reference = get(fields, "ref").map(|(_, r)| r);
        let files: Vec<&Spanned<Node>> = match get(fields, "file") {
            Some((_, f)) => f
                .value
                .as_seq()
                .map_or_else(|| vec![f], |items| items.iter().collect()),
            None => Vec::new(),
        };
        let project = key_text(project);
        let uses_line = reference.map_or_else(
            || get(fields, "project").map_or(line, |(_, p)| line_of(p)),
            line_of,
        );
        for file in files {
            let path = format!(
                "{}/{}",
                project.trim_end_matches('/'),
                key_text(file).trim_start_matches('/')
            );
            let uses = match reference {
                Some(r) => format!("{path}@{}", key_text(r)),
                None => path,
            };
            let mut step = CiStep::uses("include", uses, uses_line);
            step.line = line_of(file);
            steps.push(step);
        }
    }
}

/// `include: 'path'`: a URL is remote, anything else a file of this repository.
fn include_path(path: &str) -> String {
    if path.starts_with("https://") || path.starts_with("http://") {
        path.to_owned()
    } else {
        local_path(path)
    }
}

/// Files of this repository are written `./path`, as local actions are in GitHub Actions.
fn local_path(path: &str) -> String {
    format!("./{}", path.trim_start_matches("./").trim_start_matches('/'))
}

/// `image: name:tag` or `image: {name: ..., entrypoint: ...}`, with the line of the name.
fn image_of(node: &Spanned<Node>) -> Option<(String, u32)> {
    let name = field(node, "name").unwrap_or(node);
    let text = name.value.as_str()?.trim();
    (!text.is_empty()).then(|| (text.to_owned(), line_of(name)))
}

fn services_of(node: &Spanned<Node>) -> Vec<(String, u32)> {
    node.value
        .as_seq()
        .unwrap_or_default()
        .iter()
        .filter_map(image_of)
        .collect()
}

/// Source names a rule condition admits: `$CI_PIPELINE_SOURCE == "push"` or `=~ /^(web|api)$/`.
fn pipeline_sources(condition: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    for (at, _) in condition.match_indices("CI_PIPELINE_SOURCE") {
        let rest = condition
            .get(at + "CI_PIPELINE_SOURCE".len()..)
            .unwrap_or_default()
            .trim_start();
        let Some(operand) = rest.strip_prefix("==").or_else(|| rest.strip_prefix("=~")) else {
            continue; // `!=`, `!~`: everything but, which names nothing
        };
        let operand = operand.trim_start();
        let Some(quote) = operand.chars().next().filter(|q| matches!(q, '"' | '\'' | '/')) else {
            continue;
        };
        let inner = operand.get(1..).unwrap_or_default();
        let literal = inner
            .find(quote)
            .map_or(inner, |end| inner.get(..end).unwrap_or_default());
        let words = literal.split(|c: char| !(c.is_ascii_lowercase() || c == '_'));
        for word in words {
            if let Some(source) = SOURCES.iter().find(|s| **s == word)
                && !found.contains(source)
            {
                found.push(*source);
            }
        }
    }
    found
}

fn line_of_first(entries: &Entries) -> u32 {
    entries.first().map_or(1, |(k, _)| line_of(k))
}

// ---------------------------------------------------------------------------------------------------------
// The pipeline layout shared by the GitLab, Jenkins, CircleCI, Azure and Bitbucket extractors. It mirrors
// the GitHub Actions extractor's attributes so that one set of CI rules reads every platform.
// ---------------------------------------------------------------------------------------------------------

/// Id of the synthetic first job that holds what a pipeline pulls in or runs outside any job: includes,
/// libraries, orbs, pipeline-wide images. Parentheses keep it apart from real job ids on every platform.
pub(crate) const PIPELINE_JOB: &str = "(pipeline)";

/// One step of a job, in the layout of a GitHub Actions step.
#[derive(Debug, Default)]
pub(crate) struct CiStep {
    pub name: Option<String>,
    pub line: u32,
    pub uses: Option<(String, u32)>,
    pub run: Option<(String, u32)>,
    pub with: Map<String, Value>,
    pub with_lines: Map<String, Value>,
    pub env: Map<String, Value>,
}

impl CiStep {
    /// A step that pulls in third-party code (`kind` names what: `image`, `include`, `orb`...).
    pub fn uses(kind: &str, uses: impl Into<String>, line: u32) -> Self {
        Self {
            name: Some(kind.to_owned()),
            line,
            uses: Some((uses.into(), line)),
            ..Self::default()
        }
    }

    /// A step that runs a script.
    pub fn run(name: Option<String>, line: u32, script: impl Into<String>, run_line: u32) -> Self {
        Self {
            name,
            line,
            run: Some((script.into(), run_line)),
            ..Self::default()
        }
    }

    pub fn with_input(&mut self, key: &str, value: Value, line: u32) {
        self.with.insert(key.to_owned(), value);
        self.with_lines.insert(key.to_owned(), json!(line));
    }

    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        if let Some(name) = &self.name {
            out.insert("name".into(), json!(name));
        }
        out.insert("line".into(), json!(self.line));
        for (key, value) in [("uses", &self.uses), ("run", &self.run)] {
            if let Some((text, line)) = value {
                out.insert(key.into(), json!(text));
                out.insert(format!("{key}_line"), json!(line));
            }
        }
        out.insert("with".into(), Value::Object(self.with.clone()));
        out.insert("with_lines".into(), Value::Object(self.with_lines.clone()));
        out.insert("env".into(), Value::Object(self.env.clone()));
        Value::Object(out)
    }
}

/// One job, in the layout of a GitHub Actions job; `extra` holds the platform's own job attributes
/// (`environment`, `rules`, `stage`...).
#[derive(Debug)]
pub(crate) struct CiJob {
    pub id: String,
    pub name: Option<String>,
    pub line: u32,
    pub runs_on: Value,
    pub steps: Vec<CiStep>,
    pub extra: Map<String, Value>,
}

impl CiJob {
    pub fn new(id: impl Into<String>, line: u32) -> Self {
        Self {
            id: id.into(),
            name: None,
            line,
            runs_on: Value::Null,
            steps: Vec::new(),
            extra: Map::new(),
        }
    }

    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), json!(self.id));
        if let Some(name) = &self.name {
            out.insert("name".into(), json!(name));
        }
        out.insert("line".into(), json!(self.line));
        out.insert("runs_on".into(), self.runs_on.clone());
        out.insert("permissions".into(), Value::Null);
        out.insert(
            "steps".into(),
            Value::Array(self.steps.iter().map(CiStep::to_json).collect()),
        );
        for (key, value) in &self.extra {
            out.insert(key.clone(), value.clone());
        }
        Value::Object(out)
    }
}

/// What a CI extractor gathers about one pipeline file before it becomes an asset.
#[derive(Debug, Default)]
pub(crate) struct CiPipeline {
    /// Trigger name -> line of the first place that enables it (`None`: the platform's default).
    pub triggers: BTreeMap<String, Option<u32>>,
    /// Steps of the synthetic [`PIPELINE_JOB`].
    pub pipeline_steps: Vec<CiStep>,
    pub jobs: Vec<CiJob>,
    pub secrets: BTreeSet<String>,
    /// Secret-named variables given a literal value in the file: (name, line). The value is never kept.
    pub plaintext_secrets: Vec<(String, u32)>,
}

impl CiPipeline {
    /// Records a trigger, keeping the first line that enables it.
    pub fn trigger(&mut self, name: &str, line: Option<u32>) {
        let entry = self.triggers.entry(name.to_owned()).or_insert(line);
        if entry.is_none() {
            *entry = line;
        }
    }

    /// Records a variable definition: a secret-named key with a literal value is a plaintext secret (and a
    /// secret); the returned value is what may be stored (the literal is replaced by `[redacted]`).
    pub fn variable(&mut self, name: &str, value: &Value, line: u32) -> Value {
        let literal = match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        match literal {
            Some(text) if is_secret_name(name) && is_literal_secret(&text) => {
                self.secrets.insert(name.to_owned());
                if !self
                    .plaintext_secrets
                    .iter()
                    .any(|(n, l)| n == name && *l == line)
                {
                    self.plaintext_secrets.push((name.to_owned(), line));
                }
                json!(REDACTED)
            }
            _ => value.clone(),
        }
    }

    /// The pipeline asset, named after the file's path (CI files have fixed names, so the path is what
    /// tells two apart); `line` is the line of its declaration.
    pub fn into_asset(mut self, file: &SourceFile<'_>, platform: &str, line: u32) -> Asset {
        let mut asset = Asset::new(
            AssetKind::Pipeline,
            AssetId::from_parts(AssetKind::Pipeline, &[file.path]),
            file.path,
            file.evidence(Some(line)),
        );
        for (name, line) in &self.triggers {
            if let Some(line) = line {
                asset.attribute_lines.insert(format!("triggers.{name}"), *line);
            }
        }
        let mut jobs = Vec::new();
        if let Some(first) = self.pipeline_steps.first() {
            let mut job = CiJob::new(PIPELINE_JOB, first.line);
            job.steps = std::mem::take(&mut self.pipeline_steps);
            jobs.push(job.to_json());
        }
        jobs.extend(self.jobs.iter().map(CiJob::to_json));
        self.plaintext_secrets
            .sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
        let plaintext: Vec<Value> = self
            .plaintext_secrets
            .iter()
            .map(|(name, line)| json!({"name": name, "line": line}))
            .collect();
        asset
            .with("platform", platform)
            .with("triggers", self.triggers.keys().cloned().collect::<Vec<_>>())
            .with("permissions", Value::Null)
            .with("jobs", Value::Array(jobs))
            .with("secrets", self.secrets.into_iter().collect::<Vec<_>>())
            .with("plaintext_secrets", Value::Array(plaintext))
    }
}

/// What replaces a plaintext secret's value wherever the layout would otherwise carry it (step `env`).
pub(crate) const REDACTED: &str = "[redacted]";

pub(crate) use vigil_core::secret_names::is_secret_name;

/// Whether a value is a literal that could be a real secret: not a reference to another variable in any
/// platform's syntax (`$X`, `${X}`, `$(x)`, `${{ x }}`, `<< x >>`), not a placeholder, not trivially short.
pub(crate) fn is_literal_secret(value: &str) -> bool {
    const PLACEHOLDERS: [&str; 6] = ["", "changeme", "change-me", "todo", "xxx", "placeholder"];
    let trimmed = value.trim();
    !trimmed.contains('$')
        && !trimmed.contains("<<")
        && !PLACEHOLDERS.contains(&trimmed.to_ascii_lowercase().as_str())
        && trimmed.chars().count() >= 6
}

/// Shell variables every runner sets, which are never repository secrets.
const SHELL_VARIABLES: [&str; 14] = [
    "HOME", "PATH", "PWD", "OLDPWD", "USER", "SHELL", "HOSTNAME", "RANDOM", "UID", "IFS", "LANG", "TERM",
    "TMPDIR", "CI",
];

/// Upper-case names used as `$NAME` or `${NAME}` anywhere in `text`, except shell variables and the names
/// `predefined` says the platform sets itself. Lower-case names are left out: they are almost always
/// shell locals (`for f in ...; do echo $f`), while CI variables are upper-case by convention. `$$NAME`
/// is GitLab's escape for a literal `$` and is skipped.
pub(crate) fn dollar_variables(text: &str, predefined: impl Fn(&str) -> bool) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        let after = rest.get(at + 1..).unwrap_or_default();
        if let Some(escaped) = after.strip_prefix('$') {
            rest = escaped;
            continue;
        }
        let (inner, braced) = match after.strip_prefix('{') {
            Some(inner) => (inner, true),
            None => (after, false),
        };
        let end = inner
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(inner.len());
        let name = inner.get(..end).unwrap_or_default();
        let closed = !braced || inner.get(end..).is_some_and(|r| r.starts_with('}'));
        let lower_follows = inner
            .get(end..)
            .and_then(|r| r.chars().next())
            .is_some_and(|c| c.is_ascii_lowercase());
        if closed
            && !lower_follows
            && name.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
            && name.chars().any(|c| c.is_ascii_uppercase())
            && !SHELL_VARIABLES.contains(&name)
            && !predefined(name)
        {
            names.insert(name.to_owned());
        }
        rest = after;
    }
    names
}
