//! CircleCI (`.circleci/config.yml`): one `pipeline` asset per file, in the GitHub Actions workflow layout
//! shared by every CI extractor (see [`super::gitlab_ci`]).
//!
//! The YAML is read with [`crate::yaml`]. Reusable `commands:` defined in the file are expanded where a job
//! calls them (up to [`MAX_COMMAND_DEPTH`] levels), and `when`/`unless` step blocks are flattened, so every
//! script a job can run is in its steps; `<< parameters.x >>` is kept as written. Orbs are recorded, never
//! fetched: their commands, jobs and executors stay names.
//!
//! Attributes (`platform: "circleci"`, `permissions: null`):
//! - `jobs`: every job under `jobs:` in file order; `runs_on` is its primary Docker image, its machine
//!   image (or `"machine"`), `"macos"`, or its executor (resolved to the executor's image when the
//!   executor is defined in the file, else the orb executor's name such as `node/default`). Steps:
//!   `{name: "image"|"service", uses}` for the job's `docker:` images, then its steps in order: `run`
//!   steps (`name` from `run.name`, `run` the command, `env` the job's and the step's `environment`, secret
//!   literals redacted), other steps as `{name: "checkout"|"node/install"|..., with: parameters}`.
//!   Extra job attribute `contexts`: the contexts workflows give the job, when any.
//! - The synthetic `(pipeline)` job holds the orbs (`{name: "orb", uses: "circleci/node@5.1.0"}`) and the
//!   images of executors defined in the file.
//! - `triggers`: `push` for workflows without `triggers:` (and for a config without workflows), `schedule`
//!   (`triggers: - schedule:`, conditions on `scheduled_pipeline`), `manual` (`type: approval` jobs);
//!   `attribute_lines["triggers.NAME"]` is the first line enabling each. Pull requests are a project
//!   setting, not in the file.
//! - `secrets`: contexts, upper-case `$VARS` the file uses except CircleCI's own (`CIRCLE_*`) and
//!   non-secret variables defined in the file, and the plaintext secrets.
//! - `plaintext_secrets`: `[{name, line}]` of secret-named `environment:` entries given a literal value.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::gitlab_ci::{CiJob, CiPipeline, CiStep, dollar_variables, is_secret_name};
use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::yaml::{self, Entries, Node, Spanned, field, get, key_text, line_of, to_json};

#[derive(Debug)]
pub struct CircleCi;

/// How deep reusable commands calling commands are expanded.
pub const MAX_COMMAND_DEPTH: usize = 8;

/// Command expansions in one file; a hostile fan-out stops here.
const MAX_EXPANSIONS: usize = 10_000;

/// Steps read for one job; expansions beyond it are dropped with a warning.
const MAX_JOB_STEPS: usize = 10_000;

impl Extractor for CircleCi {
    fn name(&self) -> &'static str {
        "circleci/config"
    }

    fn claims(&self, path: &str, file_name: &str) -> bool {
        let dir = crate::extract::parent_dir(path);
        file_name == "config.yml" && (dir == ".circleci" || dir.ends_with("/.circleci"))
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
                    "not a CircleCI config: the document is {}, not a mapping",
                    root.value.describe()
                ),
            ));
        };
        let mut circle = Circle {
            top,
            pipeline: CiPipeline::default(),
            warnings: Vec::new(),
            defined: BTreeSet::new(),
            expansions: MAX_EXPANSIONS,
        };
        circle.read();
        let Circle {
            mut pipeline,
            warnings,
            defined,
            ..
        } = circle;
        for (line, message) in warnings {
            out.diagnostics.push(file.warning(Some(line), message));
        }
        let used = dollar_variables(file.text, |name| {
            name.starts_with("CIRCLE_") || name == "CIRCLECI" || defined.contains(name)
        });
        pipeline.secrets.extend(used);
        out.assets
            .push(pipeline.into_asset(file, "circleci", line_of(&root).max(1)));
        Ok(())
    }
}

struct Circle<'n> {
    top: &'n Entries,
    pipeline: CiPipeline,
    warnings: Vec<(u32, String)>,
    /// Variables defined in the file with names that do not say secret: configuration, not secrets.
    defined: BTreeSet<String>,
    expansions: usize,
}

impl<'n> Circle<'n> {
    fn warn(&mut self, line: u32, message: impl Into<String>) {
        self.warnings.push((line, message.into()));
    }

    fn section(&self, key: &str) -> &'n Entries {
        get(self.top, key)
            .and_then(|(_, v)| v.value.as_map())
            .unwrap_or_default()
    }

    fn read(&mut self) {
        for (_, orb) in self.section("orbs") {
            // An inline orb (a mapping) is part of this file, not third-party code.
            if let Some(reference) = orb.value.as_str() {
                self.pipeline
                    .pipeline_steps
                    .push(CiStep::uses("orb", reference, line_of(orb)));
            }
        }
        for (_, executor) in self.section("executors") {
            let mut steps = Vec::new();
            docker_images(executor, &mut steps);
            self.pipeline.pipeline_steps.append(&mut steps);
            if let Some(environment) = field(executor, "environment") {
                self.environment(environment);
            }
        }

        let contexts = self.workflows();
        let jobs = self.section("jobs");
        if jobs.is_empty() && get(self.top, "workflows").is_none() {
            self.warn(
                self.top.first().map_or(1, |(k, _)| line_of(k)),
                "no `jobs:`; CircleCI runs nothing",
            );
        }
        for (key, job) in jobs {
            let id = key_text(key);
            if job.value.as_map().is_none() {
                self.warn(line_of(key), format!("job `{id}` is not a mapping; skipped"));
                continue;
            }
            let mut read = self.job(&id, key, job);
            if let Some(names) = contexts.get(id.as_ref()) {
                read.extra.insert("contexts".into(), json!(names));
            }
            self.pipeline.jobs.push(read);
        }
    }

    /// Triggers of every workflow, and the contexts each job is given (which are secrets).
    fn workflows(&mut self) -> BTreeMap<String, BTreeSet<String>> {
        let mut contexts: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let workflows = self.section("workflows");
        if get(self.top, "workflows").is_none() {
            self.pipeline.trigger("push", None);
        }
        for (name, workflow) in workflows {
            if key_text(name) == "version" {
                continue;
            }
            let mut scheduled = false;
            for trigger in field(workflow, "triggers")
                .and_then(|t| t.value.as_seq())
                .unwrap_or_default()
            {
                if let Some((key, _)) = trigger.value.as_map().and_then(|m| get(m, "schedule")) {
                    scheduled = true;
                    self.pipeline.trigger("schedule", Some(line_of(key)));
                }
            }
            if !scheduled {
                self.pipeline.trigger("push", None);
            }
            for key in ["when", "unless"] {
                if let Some(condition) = field(workflow, key)
                    && to_json(condition).to_string().contains("scheduled_pipeline")
                {
                    self.pipeline.trigger("schedule", Some(line_of(condition)));
                }
            }
            for item in field(workflow, "jobs")
                .and_then(|j| j.value.as_seq())
                .unwrap_or_default()
            {
                let (job, settings) = match item.value.as_map().and_then(|m| m.first()) {
                    Some((k, v)) => (key_text(k).into_owned(), Some(v)),
                    None => (key_text(item).into_owned(), None),
                };
                let Some(settings) = settings else { continue };
                if let Some(approval) =
                    field(settings, "type").filter(|t| t.value.as_str() == Some("approval"))
                {
                    self.pipeline.trigger("manual", Some(line_of(approval)));
                }
                if let Some(context) = field(settings, "context") {
                    let names: Vec<String> = match context.value.as_seq() {
                        Some(items) => items.iter().map(|i| key_text(i).into_owned()).collect(),
                        None => vec![key_text(context).into_owned()],
                    };
                    for name in names.into_iter().filter(|n| !n.is_empty()) {
                        self.pipeline.secrets.insert(name.clone());
                        contexts.entry(job.clone()).or_default().insert(name);
                    }
                }
            }
        }
        contexts
    }

    fn job(&mut self, id: &str, key: &Spanned<Node>, job: &'n Spanned<Node>) -> CiJob {
        let mut read = CiJob::new(id, line_of(key));
        docker_images(job, &mut read.steps);
        read.runs_on = self.runs_on(job, 0);
        let env = field(job, "environment")
            .map(|e| self.environment(e))
            .unwrap_or_default();
        match field(job, "steps") {
            Some(steps) if steps.value.as_seq().is_some() => self.steps(steps, &env, 0, &mut read.steps),
            Some(steps) => self.warn(
                line_of(steps),
                format!("steps of job `{id}` are not a list; not read"),
            ),
            None => {}
        }
        if read.steps.len() >= MAX_JOB_STEPS {
            self.warn(
                line_of(key),
                format!("job `{id}` expands to over {MAX_JOB_STEPS} steps; the rest are not read"),
            );
        }
        read
    }

    fn runs_on(&self, job: &Spanned<Node>, depth: usize) -> Value {
        if let Some((image, _)) = field(job, "docker")
            .and_then(|d| d.value.as_seq())
            .and_then(|d| d.first())
            .and_then(image_of)
        {
            return json!(image);
        }
        if let Some(machine) = field(job, "machine") {
            return field(machine, "image").map_or_else(|| json!("machine"), |i| json!(key_text(i)));
        }
        if field(job, "macos").is_some() {
            return json!("macos");
        }
        if let Some(executor) = field(job, "executor") {
            let name = field(executor, "name").unwrap_or(executor);
            let name = key_text(name);
            return match get(self.section("executors"), &name) {
                Some((_, local)) if local.value.as_map().is_some() && depth < MAX_COMMAND_DEPTH => {
                    let resolved = self.runs_on(local, depth + 1);
                    if resolved.is_null() { json!(name) } else { resolved }
                }
                _ => json!(name),
            };
        }
        Value::Null
    }

    /// An `environment:` mapping: plaintext secrets flagged, names remembered, values for `env`.
    fn environment(&mut self, node: &Spanned<Node>) -> Map<String, Value> {
        let mut env = Map::new();
        for (key, value) in node.value.as_map().unwrap_or_default() {
            let name = key_text(key).into_owned();
            let stored = self.pipeline.variable(&name, &to_json(value), line_of(key));
            if !is_secret_name(&name) {
                self.defined.insert(name.clone());
            }
            env.insert(name, stored);
        }
        env
    }

    fn steps(
        &mut self,
        steps: &'n Spanned<Node>,
        env: &Map<String, Value>,
        depth: usize,
        out: &mut Vec<CiStep>,
    ) {
        for item in steps.value.as_seq().unwrap_or_default() {
            if out.len() >= MAX_JOB_STEPS {
                return;
            }
            if let Some(name) = item.value.as_str() {
                self.named_step(name, None, line_of(item), env, depth, out);
                continue;
            }
            let Some((key, value)) = item.value.as_map().and_then(|m| m.first()) else {
                self.warn(line_of(item), "a step is neither a name nor a mapping; skipped");
                continue;
            };
            match key_text(key).as_ref() {
                "run" => {
                    if let Some(step) = self.run_step(item, key, value, env) {
                        out.push(step);
                    }
                }
                "when" | "unless" => {
                    if let Some(inner) = field(value, "steps") {
                        self.steps(inner, env, depth, out);
                    }
                }
                name => self.named_step(name, Some(value), line_of(item), env, depth, out),
            }
        }
    }

    fn run_step(
        &mut self,
        item: &Spanned<Node>,
        key: &Spanned<Node>,
        run: &Spanned<Node>,
        env: &Map<String, Value>,
    ) -> Option<CiStep> {
        if let Some(command) = run.value.as_str() {
            let mut step = CiStep::run(None, line_of(item), command, line_of(key));
            step.env = env.clone();
            return Some(step);
        }
        let fields = run.value.as_map()?;
        let Some((command_key, command)) = get(fields, "command") else {
            self.warn(line_of(key), "a `run` step without `command`; skipped");
            return None;
        };
        let name = get(fields, "name").map(|(_, n)| key_text(n).into_owned());
        let mut step = CiStep::run(name, line_of(item), key_text(command), line_of(command_key));
        step.env = env.clone();
        if let Some((_, environment)) = get(fields, "environment") {
            step.env.extend(self.environment(environment));
        }
        Some(step)
    }

    /// `checkout`, `save_cache: {...}`, `node/install: {...}`, or a command of this file (expanded).
    fn named_step(
        &mut self,
        name: &str,
        parameters: Option<&Spanned<Node>>,
        line: u32,
        env: &Map<String, Value>,
        depth: usize,
        out: &mut Vec<CiStep>,
    ) {
        if let Some((_, command)) = get(self.section("commands"), name)
            && let Some(steps) = field(command, "steps")
        {
            if depth >= MAX_COMMAND_DEPTH || self.expansions == 0 {
                self.warn(
                    line,
                    format!("command `{name}` nests too deep (or loops); not expanded"),
                );
            } else {
                self.expansions -= 1;
                self.steps(steps, env, depth + 1, out);
            }
            return;
        }
        let mut step = CiStep {
            name: Some(name.to_owned()),
            line,
            ..CiStep::default()
        };
        for (key, value) in parameters.and_then(|p| p.value.as_map()).unwrap_or_default() {
            step.with_input(&key_text(key), to_json(value), line_of(key));
        }
        out.push(step);
    }
}

/// `docker: [{image: ...}, ...]`: the primary image, then service images.
fn docker_images(holder: &Spanned<Node>, steps: &mut Vec<CiStep>) {
    let images = field(holder, "docker")
        .and_then(|d| d.value.as_seq())
        .unwrap_or_default();
    for (i, (image, line)) in images.iter().filter_map(image_of).enumerate() {
        steps.push(CiStep::uses(
            if i == 0 { "image" } else { "service" },
            image,
            line,
        ));
    }
}

fn image_of(item: &Spanned<Node>) -> Option<(String, u32)> {
    let image = field(item, "image")?;
    let text = image.value.as_str()?.trim();
    (!text.is_empty()).then(|| (text.to_owned(), line_of(image)))
}
