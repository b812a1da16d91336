//! Azure Pipelines (`azure-pipelines.yml`, `*.azure-pipelines.yml`, and YAML under `.azure-pipelines/` or
//! `.pipelines/`): one `pipeline` asset per file, in the GitHub Actions workflow layout shared by every CI
//! extractor (see [`super::gitlab_ci`]).
//!
//! The YAML is read with [`crate::yaml`]. Template expressions are never evaluated: `${{ if ... }}:` and
//! `${{ each ... }}:` entries of stage, job, step and variable lists are read as if their condition held
//! (every branch), and `$(var)` / `${{ }}` stay as written. Templates are named, not fetched. A file
//! under `.azure-pipelines/` or `.pipelines/` without `trigger`, `pr`, `schedules`, `resources`, `pool`,
//! `name` or `extends` is taken for a template (attribute `template: true`) and has no triggers of its own.
//!
//! Attributes (`platform: "azure-pipelines"`, `permissions: null`):
//! - `jobs`: every `job` and `deployment` in file order (a steps-only pipeline is the one job `__default`,
//!   steps under `extends.parameters` are the job `parameters.NAME`); `id` is `Stage.Job` inside stages
//!   (extra attribute `stage`), `name` its `displayName`, `runs_on` its container image or pool (`vmImage`,
//!   pool name), inherited from the stage and the file. Steps: `{name: "image", uses}` for an inline job
//!   container, then `script`/`bash`/`pwsh`/`powershell` (`run`, `name` from `displayName`, `env`), tasks
//!   (`uses: "AzureCLI@2"`, `with: inputs`, and `run` for inline-script inputs), step templates (`{name:
//!   "template", uses}`), and other steps by their key (`{name: "checkout", with: {...}}`). Deployment
//!   jobs read every lifecycle hook of their strategy and carry `environment`.
//! - The synthetic `(pipeline)` job holds `resources.repositories` (`{name: "repository", uses:
//!   "org/repo@ref"}`), `resources.containers` images, and stage/job/variable/`extends` templates. A
//!   template is `repository-name/path@ref` when it names a repository resource (`x.yml@templates`), else
//!   `./path`.
//! - `triggers`: `push` (`trigger:`; implicitly on when absent, off with `none`; repository resource
//!   triggers), `pull_request` (`pr:`, the same), `schedule` (`schedules:`), `pipeline` (pipeline resource
//!   triggers), `webhook` (webhook resources); `attribute_lines["triggers.NAME"]` is the line enabling each
//!   (none for an implicit trigger).
//! - `secrets`: `$(var)`, `variables.var` and `variables['var']` references except predefined variables
//!   (`Build.*`, `System.*`, `Agent.*`...) and non-secret variables defined in the file; variable group
//!   names; service connections (task inputs such as `azureSubscription`, `connectedServiceName*`,
//!   `*ServiceConnection`, and resource `endpoint:`s); and the plaintext secrets.
//! - `plaintext_secrets`: `[{name, line}]` of secret-named variables, `env:` entries and task inputs given a
//!   literal value (redacted where stored).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::gitlab_ci::{CiJob, CiPipeline, CiStep, is_secret_name};
use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::yaml::{self, Entries, Node, Spanned, field, get, key_text, line_of, to_json};

#[derive(Debug)]
pub struct AzurePipelines;

/// How deep `${{ }}` conditional blocks are followed.
const MAX_DEPTH: usize = 32;

/// Directories that hold pipelines and their templates by convention.
const PIPELINE_DIRS: [&str; 2] = [".azure-pipelines", ".pipelines"];

impl Extractor for AzurePipelines {
    fn name(&self) -> &'static str {
        "azure/pipelines"
    }

    fn claims(&self, path: &str, file_name: &str) -> bool {
        let yaml = file_name.ends_with(".yml") || file_name.ends_with(".yaml");
        is_named(file_name) || (yaml && in_pipeline_dir(path))
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let root = yaml::parse(file)?;
        if root.value.is_null() {
            return Ok(()); // empty file, or only comments / `---`
        }
        let Some(top) = root.value.as_map() else {
            return Err(file.error(
                Some(line_of(&root)),
                format!(
                    "not an Azure pipeline: the document is {}, not a mapping",
                    root.value.describe()
                ),
            ));
        };
        let file_name = file.path.rsplit('/').next().unwrap_or(file.path);
        let pipeline_keys = [
            "trigger",
            "pr",
            "schedules",
            "resources",
            "pool",
            "name",
            "extends",
        ];
        let template = !is_named(file_name)
            && in_pipeline_dir(file.path)
            && !pipeline_keys.iter().any(|k| get(top, k).is_some());
        let mut azure = Azure {
            top,
            pipeline: CiPipeline::default(),
            warnings: Vec::new(),
            defined: BTreeSet::new(),
            repositories: BTreeMap::new(),
            containers: BTreeMap::new(),
        };
        azure.read(template);
        let Azure {
            mut pipeline,
            warnings,
            defined,
            ..
        } = azure;
        for (line, message) in warnings {
            out.diagnostics.push(file.warning(Some(line), message));
        }
        pipeline.secrets.extend(
            macro_variables(file.text)
                .into_iter()
                .filter(|n| !defined.contains(&n.to_ascii_lowercase())),
        );
        let mut asset = pipeline.into_asset(file, "azure-pipelines", line_of(&root).max(1));
        if template {
            asset = asset.with("template", true);
        }
        out.assets.push(asset);
        Ok(())
    }
}

/// `azure-pipelines.yml` and `*.azure-pipelines.yml`: pipelines by name, never templates.
fn is_named(file_name: &str) -> bool {
    ["azure-pipelines.yml", "azure-pipelines.yaml"].contains(&file_name)
        || file_name.ends_with(".azure-pipelines.yml")
        || file_name.ends_with(".azure-pipelines.yaml")
}

fn in_pipeline_dir(path: &str) -> bool {
    let dir = crate::extract::parent_dir(path);
    dir.split('/').any(|part| PIPELINE_DIRS.contains(&part))
}

/// Keys that make a list item a step.
const STEP_KEYS: [&str; 15] = [
    "script",
    "bash",
    "pwsh",
    "powershell",
    "task",
    "template",
    "checkout",
    "download",
    "downloadBuild",
    "getPackage",
    "publish",
    "reviewApp",
    "restoreCache",
    "saveCache",
    "upload",
];

/// Task inputs whose value names an inline script.
const SCRIPT_INPUTS: [&str; 4] = ["script", "inlineScript", "Inline", "inline"];

/// Whether a task input names a service connection (compared case-insensitively).
fn is_service_connection(input: &str) -> bool {
    let lower = input.to_ascii_lowercase();
    (lower.contains("serviceconnection") || lower.starts_with("connectedservicename"))
        && !lower.contains("selector")
        || matches!(
            lower.as_str(),
            "azuresubscription"
                | "azureresourcemanagerconnection"
                | "containerregistry"
                | "awscredentials"
                | "githubconnection"
                | "gitsource"
                | "sshendpoint"
                | "serverendpoint"
                | "externalfeedcredentials"
                | "publishfeedcredentials"
                | "kubernetesserviceendpoint"
                | "endpoint"
        )
}

struct Azure<'n> {
    top: &'n Entries,
    pipeline: CiPipeline,
    warnings: Vec<(u32, String)>,
    /// Lower-cased names of variables defined in the file whose names do not say secret.
    defined: BTreeSet<String>,
    /// Repository resource alias -> (repository name, ref).
    repositories: BTreeMap<String, (String, Option<String>)>,
    /// Container resource alias -> image.
    containers: BTreeMap<String, String>,
}

/// What a job inherits from its stage and the file.
#[derive(Default, Clone)]
struct Context<'n> {
    stage: Option<String>,
    pool: Option<&'n Spanned<Node>>,
    container: Option<&'n Spanned<Node>>,
}

impl<'n> Azure<'n> {
    fn warn(&mut self, line: u32, message: impl Into<String>) {
        self.warnings.push((line, message.into()));
    }

    fn read(&mut self, template: bool) {
        let top = self.top;
        self.resources();
        if !template {
            self.triggers();
        }
        if let Some((_, variables)) = get(top, "variables") {
            self.variables(variables, 0);
        }
        let context = Context {
            stage: None,
            pool: get(top, "pool").map(|(_, p)| p),
            container: get(top, "container").map(|(_, c)| c),
        };
        let mut found = false;
        if let Some((_, extends)) = get(top, "extends") {
            found = true;
            self.extends(extends, &context);
        }
        if let Some((_, stages)) = get(top, "stages") {
            found = true;
            self.stages(stages, &context, 0);
        }
        if let Some((_, jobs)) = get(top, "jobs") {
            found = true;
            self.jobs(jobs, &context, 0);
        }
        if let Some((key, steps)) = get(top, "steps") {
            found = true;
            let mut job = self.new_job("__default", line_of(key), None, &context);
            self.steps(steps, &mut job.steps, 0);
            self.pipeline.jobs.push(job);
        }
        if !found && !template {
            self.warn(
                top.first().map_or(1, |(k, _)| line_of(k)),
                "no `stages`, `jobs`, `steps` or `extends`: nothing runs",
            );
        }
    }

    fn resources(&mut self) {
        let Some(resources) = get(self.top, "resources").map(|(_, r)| r) else {
            return;
        };
        for repository in field(resources, "repositories")
            .and_then(|r| r.value.as_seq())
            .unwrap_or_default()
        {
            let Some(alias) = field(repository, "repository") else {
                continue;
            };
            let alias = key_text(alias).into_owned();
            if alias == "self" {
                continue;
            }
            let name = field(repository, "name").map_or_else(|| alias.clone(), |n| key_text(n).into_owned());
            let reference = field(repository, "ref");
            let uses = match reference {
                Some(r) => format!("{name}@{}", key_text(r)),
                None => name.clone(),
            };
            let uses_line = reference
                .or_else(|| field(repository, "name"))
                .map_or(line_of(repository), line_of);
            let mut step = CiStep::uses("repository", uses, uses_line);
            step.line = line_of(repository);
            self.pipeline.pipeline_steps.push(step);
            self.repositories
                .insert(alias, (name, reference.map(|r| key_text(r).into_owned())));
            self.endpoint(repository);
            if let Some(trigger) = field(repository, "trigger").filter(|t| enabled(t)) {
                self.pipeline.trigger("push", Some(line_of(trigger)));
            }
        }
        for container in field(resources, "containers")
            .and_then(|c| c.value.as_seq())
            .unwrap_or_default()
        {
            let Some(image) = field(container, "image") else {
                continue;
            };
            let text = key_text(image).into_owned();
            self.pipeline
                .pipeline_steps
                .push(CiStep::uses("image", text.clone(), line_of(image)));
            if let Some(alias) = field(container, "container") {
                self.containers.insert(key_text(alias).into_owned(), text);
            }
            self.endpoint(container);
            if let Some(env) = field(container, "env") {
                self.env(env);
            }
        }
        for upstream in field(resources, "pipelines")
            .and_then(|p| p.value.as_seq())
            .unwrap_or_default()
        {
            if let Some(trigger) = field(upstream, "trigger").filter(|t| enabled(t)) {
                self.pipeline.trigger("pipeline", Some(line_of(trigger)));
            }
        }
        for webhook in field(resources, "webhooks")
            .and_then(|w| w.value.as_seq())
            .unwrap_or_default()
        {
            self.pipeline.trigger("webhook", Some(line_of(webhook)));
            if let Some(connection) = field(webhook, "connection") {
                self.pipeline.secrets.insert(key_text(connection).into_owned());
            }
        }
    }

    fn endpoint(&mut self, resource: &Spanned<Node>) {
        if let Some(endpoint) = field(resource, "endpoint") {
            self.connection(&key_text(endpoint));
        }
    }

    fn connection(&mut self, name: &str) {
        // A connection named through a variable is counted as that variable.
        if !name.is_empty() && !name.contains("$(") && !name.contains("${{") {
            self.pipeline.secrets.insert(name.to_owned());
        }
    }

    fn triggers(&mut self) {
        let top = self.top;
        for (key, trigger) in [("trigger", "push"), ("pr", "pull_request")] {
            match get(top, key) {
                None => self.pipeline.trigger(trigger, None),
                Some((k, value)) if enabled(value) => self.pipeline.trigger(trigger, Some(line_of(k))),
                Some(_) => {}
            }
        }
        if let Some((key, schedules)) = get(top, "schedules")
            && schedules.value.as_seq().is_some_and(|s| !s.is_empty())
        {
            self.pipeline.trigger("schedule", Some(line_of(key)));
        }
    }

    /// A `variables:` block, in its mapping or list form.
    fn variables(&mut self, node: &'n Spanned<Node>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(entries) = node.value.as_map() {
            for (key, value) in entries {
                let name = key_text(key);
                if name.starts_with("${{") {
                    self.variables(value, depth + 1);
                } else {
                    self.variable(&name, value, line_of(key));
                }
            }
            return;
        }
        for item in node.value.as_seq().unwrap_or_default() {
            let Some(entries) = item.value.as_map() else {
                continue;
            };
            if let Some((_, group)) = get(entries, "group") {
                self.pipeline.secrets.insert(key_text(group).into_owned());
            } else if let Some((key, name)) = get(entries, "name") {
                let value = get(entries, "value").map(|(_, v)| v);
                match value {
                    Some(value) => self.variable(&key_text(name), value, line_of(key)),
                    None => {
                        self.defined_name(&key_text(name));
                    }
                }
            } else if let Some((_, template)) = get(entries, "template") {
                let step = self.template_step(template, item);
                self.pipeline.pipeline_steps.push(step);
            } else {
                for (key, value) in entries {
                    if key_text(key).starts_with("${{") {
                        self.variables(value, depth + 1);
                    }
                }
            }
        }
    }

    fn variable(&mut self, name: &str, value: &Spanned<Node>, line: u32) {
        self.pipeline.variable(name, &to_json(value), line);
        self.defined_name(name);
    }

    fn defined_name(&mut self, name: &str) {
        if !is_secret_name(name) {
            self.defined.insert(name.to_ascii_lowercase());
        }
    }

    /// An `env:` mapping for a step, secret literals redacted.
    fn env(&mut self, node: &Spanned<Node>) -> Map<String, Value> {
        let mut env = Map::new();
        for (key, value) in node.value.as_map().unwrap_or_default() {
            let name = key_text(key).into_owned();
            let stored = self.pipeline.variable(&name, &to_json(value), line_of(key));
            env.insert(name, stored);
        }
        env
    }

    fn extends(&mut self, extends: &'n Spanned<Node>, context: &Context<'n>) {
        let Some(template) = field(extends, "template") else {
            self.warn(line_of(extends), "`extends` without `template`; not read");
            return;
        };
        let step = self.template_step(template, extends);
        self.pipeline.pipeline_steps.push(step);
        // Stage, job and step lists passed to the template run in this pipeline.
        for (key, value) in field(extends, "parameters")
            .and_then(|p| p.value.as_map())
            .unwrap_or_default()
        {
            let Some(first) = value.value.as_seq().and_then(|items| items.first()) else {
                continue;
            };
            let keys: Vec<String> = first
                .value
                .as_map()
                .unwrap_or_default()
                .iter()
                .map(|(k, _)| key_text(k).into_owned())
                .collect();
            if keys.iter().any(|k| k == "stage") {
                self.stages(value, context, 0);
            } else if keys.iter().any(|k| k == "job" || k == "deployment") {
                self.jobs(value, context, 0);
            } else if keys.iter().any(|k| STEP_KEYS.contains(&k.as_str())) {
                let mut job = self.new_job(
                    &format!("parameters.{}", key_text(key)),
                    line_of(key),
                    None,
                    context,
                );
                self.steps(value, &mut job.steps, 0);
                self.pipeline.jobs.push(job);
            }
        }
    }

    fn stages(&mut self, stages: &'n Spanned<Node>, context: &Context<'n>, depth: usize) {
        let Some(items) = stages.value.as_seq() else {
            self.warn(line_of(stages), "`stages` is not a list; not read");
            return;
        };
        for item in items {
            let Some(entries) = item.value.as_map() else {
                self.warn(line_of(item), "a stage is not a mapping; skipped");
                continue;
            };
            if let Some((_, name)) = get(entries, "stage") {
                let mut inner = context.clone();
                inner.stage = Some(key_text(name).into_owned());
                if let Some((_, pool)) = get(entries, "pool") {
                    inner.pool = Some(pool);
                }
                if let Some((_, variables)) = get(entries, "variables") {
                    self.variables(variables, 0);
                }
                if let Some((_, jobs)) = get(entries, "jobs") {
                    self.jobs(jobs, &inner, 0);
                }
            } else if let Some((_, template)) = get(entries, "template") {
                let step = self.template_step(template, item);
                self.pipeline.pipeline_steps.push(step);
            } else if depth < MAX_DEPTH {
                for (_, value) in entries.iter().filter(|(k, _)| key_text(k).starts_with("${{")) {
                    self.stages(value, context, depth + 1);
                }
            }
        }
    }

    fn jobs(&mut self, jobs: &'n Spanned<Node>, context: &Context<'n>, depth: usize) {
        let Some(items) = jobs.value.as_seq() else {
            self.warn(line_of(jobs), "`jobs` is not a list; not read");
            return;
        };
        for item in items {
            let Some(entries) = item.value.as_map() else {
                self.warn(line_of(item), "a job is not a mapping; skipped");
                continue;
            };
            let kind = get(entries, "job")
                .map(|e| ("job", e))
                .or_else(|| get(entries, "deployment").map(|e| ("deployment", e)));
            if let Some((kind, (_, name))) = kind {
                let name = key_text(name);
                let name = if name.is_empty() { "Job".into() } else { name };
                let job = self.job(item, kind, &name, context);
                self.pipeline.jobs.push(job);
            } else if let Some((_, template)) = get(entries, "template") {
                let step = self.template_step(template, item);
                self.pipeline.pipeline_steps.push(step);
            } else if depth < MAX_DEPTH {
                for (_, value) in entries.iter().filter(|(k, _)| key_text(k).starts_with("${{")) {
                    self.jobs(value, context, depth + 1);
                }
            }
        }
    }

    fn new_job(
        &self,
        name: &str,
        line: u32,
        item: Option<&'n Spanned<Node>>,
        context: &Context<'n>,
    ) -> CiJob {
        let id = context
            .stage
            .as_ref()
            .map_or_else(|| name.to_owned(), |s| format!("{s}.{name}"));
        let mut job = CiJob::new(id, line);
        if let Some(stage) = &context.stage {
            job.extra.insert("stage".into(), json!(stage));
        }
        let container = item.and_then(|i| field(i, "container")).or(context.container);
        let pool = item.and_then(|i| field(i, "pool")).or(context.pool);
        job.runs_on = match container {
            Some(container) => {
                let image = field(container, "image").unwrap_or(container);
                let text = key_text(image).into_owned();
                match self.containers.get(&text) {
                    Some(resolved) => json!(resolved),
                    None => {
                        job.steps
                            .push(CiStep::uses("image", text.clone(), line_of(image)));
                        json!(text)
                    }
                }
            }
            None => pool.map_or(Value::Null, pool_of),
        };
        job
    }

    fn job(&mut self, item: &'n Spanned<Node>, kind: &str, name: &str, context: &Context<'n>) -> CiJob {
        let mut job = self.new_job(name, line_of(item), Some(item), context);
        job.name = field(item, "displayName").map(|d| key_text(d).into_owned());
        if let Some(variables) = field(item, "variables") {
            self.variables(variables, 0);
        }
        if kind == "deployment" {
            if let Some(environment) = field(item, "environment") {
                let name = field(environment, "name").unwrap_or(environment);
                job.extra.insert("environment".into(), json!(key_text(name)));
            }
            let strategy = field(item, "strategy")
                .and_then(|s| s.value.as_map())
                .and_then(|s| s.first())
                .map(|(_, v)| v);
            for hook in ["preDeploy", "deploy", "routeTraffic", "postRouteTraffic"] {
                if let Some(steps) = strategy
                    .and_then(|s| field(s, hook))
                    .and_then(|h| field(h, "steps"))
                {
                    self.steps(steps, &mut job.steps, 0);
                }
            }
            for outcome in ["failure", "success"] {
                let hook = strategy
                    .and_then(|s| field(s, "on"))
                    .and_then(|on| field(on, outcome));
                if let Some(steps) = hook.and_then(|h| field(h, "steps")) {
                    self.steps(steps, &mut job.steps, 0);
                }
            }
        } else if let Some(steps) = field(item, "steps") {
            self.steps(steps, &mut job.steps, 0);
        }
        job
    }

    fn steps(&mut self, steps: &'n Spanned<Node>, out: &mut Vec<CiStep>, depth: usize) {
        let Some(items) = steps.value.as_seq() else {
            self.warn(line_of(steps), "`steps` is not a list; not read");
            return;
        };
        for item in items {
            let Some(entries) = item.value.as_map() else {
                self.warn(line_of(item), "a step is not a mapping; skipped");
                continue;
            };
            let Some((key, value)) = entries
                .iter()
                .find(|(k, _)| STEP_KEYS.contains(&key_text(k).as_ref()))
            else {
                if depth < MAX_DEPTH {
                    for (_, value) in entries.iter().filter(|(k, _)| key_text(k).starts_with("${{")) {
                        self.steps(value, out, depth + 1);
                    }
                }
                continue;
            };
            let name = get(entries, "displayName").map(|(_, d)| key_text(d).into_owned());
            let mut step = match key_text(key).as_ref() {
                "script" | "bash" | "pwsh" | "powershell" => {
                    CiStep::run(name, line_of(item), key_text(value), line_of(key))
                }
                "task" => {
                    let mut step = CiStep {
                        name,
                        line: line_of(item),
                        ..CiStep::default()
                    };
                    step.uses = Some((key_text(value).into_owned(), line_of(value)));
                    for (input, value) in get(entries, "inputs")
                        .and_then(|(_, i)| i.value.as_map())
                        .unwrap_or_default()
                    {
                        let input_name = key_text(input);
                        if is_service_connection(&input_name) {
                            self.connection(&key_text(value));
                        }
                        if SCRIPT_INPUTS.contains(&input_name.as_ref()) {
                            step.run = Some((key_text(value).into_owned(), line_of(input)));
                        }
                        let stored = self
                            .pipeline
                            .variable(&input_name, &to_json(value), line_of(input));
                        step.with_input(&input_name, stored, line_of(input));
                    }
                    step
                }
                "template" => self.template_step(value, item),
                other => {
                    let mut step = CiStep {
                        name: Some(other.to_owned()),
                        line: line_of(item),
                        ..CiStep::default()
                    };
                    for (k, v) in entries
                        .iter()
                        .filter(|(k, _)| !matches!(key_text(k).as_ref(), "displayName" | "env"))
                    {
                        step.with_input(&key_text(k), to_json(v), line_of(k));
                    }
                    step
                }
            };
            if let Some((_, env)) = get(entries, "env") {
                step.env = self.env(env);
            }
            out.push(step);
        }
    }

    /// `template: path@alias` as `repository/path@ref`, or a file of this repository as `./path`; its
    /// parameters as `with`.
    fn template_step(&mut self, template: &Spanned<Node>, holder: &Spanned<Node>) -> CiStep {
        let text = key_text(template);
        let uses = match text.rsplit_once('@') {
            Some((path, alias)) => match self.repositories.get(alias) {
                Some((name, reference)) => {
                    let path = format!("{name}/{}", path.trim_start_matches('/'));
                    reference.as_ref().map_or(path.clone(), |r| format!("{path}@{r}"))
                }
                None => text.clone().into_owned(),
            },
            None => format!("./{}", text.trim_start_matches("./").trim_start_matches('/')),
        };
        let mut step = CiStep::uses("template", uses, line_of(template));
        step.line = line_of(holder);
        for (key, value) in field(holder, "parameters")
            .and_then(|p| p.value.as_map())
            .unwrap_or_default()
        {
            let name = key_text(key).into_owned();
            let stored = self.pipeline.variable(&name, &to_json(value), line_of(key));
            step.with_input(&name, stored, line_of(key));
        }
        step
    }
}

/// `trigger: none`, `pr: none`, `trigger: false` switch a trigger off; anything else leaves it on.
fn enabled(node: &Spanned<Node>) -> bool {
    !(node.value.as_str() == Some("none") || node.value.as_bool() == Some(false))
}

fn pool_of(pool: &Spanned<Node>) -> Value {
    if let Some(name) = pool.value.as_str() {
        return json!(name);
    }
    field(pool, "vmImage")
        .or_else(|| field(pool, "name"))
        .map_or_else(|| to_json(pool), |n| json!(key_text(n)))
}

/// Prefixes of the variables Azure Pipelines sets itself (compared lower-cased).
const PREDEFINED: [&str; 10] = [
    "agent.",
    "build.",
    "system.",
    "pipeline.",
    "environment.",
    "release.",
    "strategy.",
    "resources.",
    "checks.",
    "common.",
];

/// Shell commands written as `$(cmd)` in scripts, which Azure leaves alone when no variable has the name.
const SHELL_COMMANDS: [&str; 16] = [
    "pwd", "date", "whoami", "nproc", "hostname", "uname", "id", "ls", "cat", "echo", "which", "mktemp",
    "arch", "tty", "true", "false",
];

/// Variable names used as `$(name)`, `variables.name` or `variables['name']`, except predefined ones.
fn macro_variables(text: &str) -> BTreeSet<String> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    let mut names = BTreeSet::new();
    let mut add = |name: &str| {
        let lower = name.to_ascii_lowercase();
        let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
        if valid
            && lower != "tf_build"
            && !PREDEFINED.iter().any(|p| lower.starts_with(p))
            && !SHELL_COMMANDS.contains(&lower.as_str())
        {
            names.insert(name.to_owned());
        }
    };
    for (at, _) in text.match_indices("$(") {
        let rest = text.get(at + 2..).unwrap_or_default();
        let end = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
        if rest.get(end..).is_some_and(|r| r.starts_with(')')) {
            add(rest.get(..end).unwrap_or_default());
        }
    }
    for (at, _) in text.match_indices("variables") {
        if text
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_some_and(|c| is_name(c) || c == '$')
        {
            continue;
        }
        let rest = text.get(at + "variables".len()..).unwrap_or_default();
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            add(after.get(..end).unwrap_or_default());
        } else if let Some(inside) = rest.strip_prefix("['").or_else(|| rest.strip_prefix("[\""))
            && let Some(end) = inside.find(['\'', '"'])
        {
            add(inside.get(..end).unwrap_or_default());
        }
    }
    names
}
