//! Bitbucket Pipelines (`bitbucket-pipelines.yml`): one `pipeline` asset per file, in the GitHub Actions
//! workflow layout shared by every CI extractor (see [`super::gitlab_ci`]).
//!
//! The YAML is read with [`crate::yaml`]; anchored step definitions (`- step: *build`, `<<: *defaults`) are
//! expanded by the parser. Pipes are Docker images run with the step's variables: they are recorded as
//! third-party code with their tag, never pulled. Imported pipelines are named, not fetched.
//!
//! Attributes (`platform: "bitbucket-pipelines"`, `permissions: null`):
//! - `jobs`: one per step, in file order, with the id `<start condition>/<n>` (`default/1`,
//!   `branches/main/2`, `pull-requests/**/1`, `custom/deploy-prod/1`; `n` counts the steps of that
//!   pipeline, inside `parallel` and `stage` blocks too); `name` is the step's name and `runs_on` its image
//!   (or the file's). Steps: `{name: "image", uses}` for the step's own image, then the `script` and
//!   `after-script` lines, each run of plain commands one step (`name: "script"`/`"after-script"`, lines
//!   joined with `\n`) and each pipe its own step (`{name: "pipe", uses: "atlassian/aws-s3-deploy:1.1.0",
//!   with: variables}`, secret literals redacted). An `import:`ed pipeline is a job whose one step is
//!   `{name: "import", uses: "repo@ref" | "./file.yml", with: {pipeline}}`. Extra job attributes when
//!   present: `environment` (the `deployment`), `stage`, `when: "manual"` (`trigger: manual`), `oidc`.
//! - The synthetic `(pipeline)` job holds the file's default `image`, the images of `definitions.services`
//!   and the `definitions.imports` sources.
//! - `triggers`: `push` (`default`, `branches`, `tags`, `bookmarks`), `pull_request` (`pull-requests`),
//!   `manual` (`custom` pipelines and `trigger: manual` steps); `attribute_lines["triggers.NAME"]` is the
//!   first line enabling each. Schedules are configured outside the file (on `custom` or branch pipelines).
//! - `secrets`: upper-case `$VARS` the file uses except Bitbucket's own (`BITBUCKET_*`) and the run-time
//!   `variables` of custom pipelines, and the plaintext secrets.
//! - `plaintext_secrets`: `[{name, line}]` of secret-named pipe variables given a literal value.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::gitlab_ci::{CiJob, CiPipeline, CiStep, dollar_variables, is_secret_name};
use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::yaml::{self, Entries, Node, Spanned, field, get, key_text, line_of, to_json};

#[derive(Debug)]
pub struct BitbucketPipelines;

impl Extractor for BitbucketPipelines {
    fn name(&self) -> &'static str {
        "bitbucket/pipelines"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name == "bitbucket-pipelines.yml"
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
                    "not a Bitbucket Pipelines file: the document is {}, not a mapping",
                    root.value.describe()
                ),
            ));
        };
        let mut bitbucket = Bitbucket {
            top,
            pipeline: CiPipeline::default(),
            warnings: Vec::new(),
            inputs: BTreeSet::new(),
        };
        bitbucket.read();
        let Bitbucket {
            mut pipeline,
            warnings,
            inputs,
            ..
        } = bitbucket;
        for (line, message) in warnings {
            out.diagnostics.push(file.warning(Some(line), message));
        }
        let used = dollar_variables(file.text, |name| {
            name.starts_with("BITBUCKET_") || inputs.contains(name)
        });
        pipeline.secrets.extend(used);
        out.assets
            .push(pipeline.into_asset(file, "bitbucket-pipelines", line_of(&root).max(1)));
        Ok(())
    }
}

struct Bitbucket<'n> {
    top: &'n Entries,
    pipeline: CiPipeline,
    warnings: Vec<(u32, String)>,
    /// Run-time variables of custom pipelines: values typed by whoever runs them, not stored secrets.
    inputs: BTreeSet<String>,
}

/// Settings a step inherits from its `stage`.
#[derive(Default, Clone)]
struct StageInfo {
    name: Option<String>,
    deployment: Option<String>,
    manual: Option<u32>,
}

impl<'n> Bitbucket<'n> {
    fn warn(&mut self, line: u32, message: impl Into<String>) {
        self.warnings.push((line, message.into()));
    }

    fn definitions(&self, key: &str) -> &'n Entries {
        get(self.top, "definitions")
            .and_then(|(_, d)| field(d, key))
            .and_then(|v| v.value.as_map())
            .unwrap_or_default()
    }

    fn read(&mut self) {
        if let Some((image, line)) = get(self.top, "image").and_then(|(_, i)| image_of(i)) {
            self.pipeline
                .pipeline_steps
                .push(CiStep::uses("image", image, line));
        }
        for (_, service) in self.definitions("services") {
            if let Some((image, line)) = field(service, "image").and_then(image_of) {
                self.pipeline
                    .pipeline_steps
                    .push(CiStep::uses("service", image, line));
            }
        }
        for (_, source) in self.definitions("imports") {
            let step = CiStep::uses("import", import_source(&key_text(source)), line_of(source));
            self.pipeline.pipeline_steps.push(step);
        }

        let Some((pipelines_key, pipelines)) = get(self.top, "pipelines") else {
            let exported = !self.definitions("pipelines").is_empty();
            if !exported {
                self.warn(
                    self.top.first().map_or(1, |(k, _)| line_of(k)),
                    "no `pipelines:`; nothing runs",
                );
            }
            return;
        };
        let Some(sections) = pipelines.value.as_map() else {
            self.warn(
                line_of(pipelines_key),
                "`pipelines` is not a mapping; nothing read",
            );
            return;
        };
        for (key, section) in sections {
            let name = key_text(key);
            let trigger = match name.as_ref() {
                "default" | "branches" | "tags" | "bookmarks" => "push",
                "pull-requests" => "pull_request",
                "custom" => "manual",
                other => {
                    self.warn(
                        line_of(key),
                        format!("unknown start condition `{other}`; not read"),
                    );
                    continue;
                }
            };
            self.pipeline.trigger(trigger, Some(line_of(key)));
            if name == "default" {
                self.pipeline_items(&name, section);
                continue;
            }
            let Some(selectors) = section.value.as_map() else {
                self.warn(line_of(key), format!("`{name}` is not a mapping; not read"));
                continue;
            };
            for (selector, items) in selectors {
                self.pipeline_items(&format!("{name}/{}", key_text(selector)), items);
            }
        }
    }

    /// One pipeline: a list of `step`/`parallel`/`stage`/`variables` items, or `{import: ...}`.
    fn pipeline_items(&mut self, prefix: &str, items: &'n Spanned<Node>) {
        if let Some(import) = field(items, "import") {
            let mut job = CiJob::new(format!("{prefix}/1"), line_of(import));
            job.steps.push(self.import(import));
            self.pipeline.jobs.push(job);
            return;
        }
        let Some(list) = items.value.as_seq() else {
            self.warn(
                line_of(items),
                format!("pipeline `{prefix}` is not a list of steps; not read"),
            );
            return;
        };
        let mut count = 0;
        for item in list {
            let Some((key, value)) = item.value.as_map().and_then(|m| m.first()) else {
                self.warn(
                    line_of(item),
                    format!("an item of pipeline `{prefix}` is not a mapping; skipped"),
                );
                continue;
            };
            match key_text(key).as_ref() {
                "step" => self.step(prefix, &mut count, key, value, &StageInfo::default()),
                "parallel" => {
                    let steps = field(value, "steps").unwrap_or(value);
                    for entry in steps.value.as_seq().unwrap_or_default() {
                        if let Some((k, v)) = entry.value.as_map().and_then(|m| get(m, "step")) {
                            self.step(prefix, &mut count, k, v, &StageInfo::default());
                        }
                    }
                }
                "stage" => {
                    let info = StageInfo {
                        name: field(value, "name").map(|n| key_text(n).into_owned()),
                        deployment: field(value, "deployment").map(|d| key_text(d).into_owned()),
                        manual: field(value, "trigger")
                            .filter(|t| t.value.as_str() == Some("manual"))
                            .map(line_of),
                    };
                    for entry in field(value, "steps")
                        .and_then(|s| s.value.as_seq())
                        .unwrap_or_default()
                    {
                        if let Some((k, v)) = entry.value.as_map().and_then(|m| get(m, "step")) {
                            self.step(prefix, &mut count, k, v, &info);
                        }
                    }
                }
                "variables" => {
                    for variable in value.value.as_seq().unwrap_or_default() {
                        if let Some(name) = field(variable, "name") {
                            let name = key_text(name).into_owned();
                            if !is_secret_name(&name) {
                                self.inputs.insert(name);
                            }
                        }
                    }
                }
                other => self.warn(line_of(key), format!("unknown pipeline item `{other}`; skipped")),
            }
        }
    }

    fn step(
        &mut self,
        prefix: &str,
        count: &mut usize,
        key: &Spanned<Node>,
        step: &'n Spanned<Node>,
        stage: &StageInfo,
    ) {
        *count += 1;
        let mut job = CiJob::new(format!("{prefix}/{count}"), line_of(key));
        if step.value.as_map().is_none() {
            self.warn(line_of(key), format!("step {} is not a mapping; skipped", job.id));
            return;
        }
        job.name = field(step, "name").map(|n| key_text(n).into_owned());
        let own = field(step, "image").and_then(image_of);
        if let Some((image, line)) = &own {
            job.steps.push(CiStep::uses("image", image, *line));
        }
        let image = own.or_else(|| get(self.top, "image").and_then(|(_, i)| image_of(i)));
        job.runs_on = image.map_or(Value::Null, |(name, _)| json!(name));
        for section in ["script", "after-script"] {
            if let Some(script) = field(step, section) {
                self.script(section, script, &mut job.steps);
            }
        }
        let deployment = field(step, "deployment")
            .map(|d| key_text(d).into_owned())
            .or_else(|| stage.deployment.clone());
        if let Some(environment) = deployment {
            job.extra.insert("environment".into(), json!(environment));
        }
        if let Some(name) = &stage.name {
            job.extra.insert("stage".into(), json!(name));
        }
        let manual = field(step, "trigger")
            .filter(|t| t.value.as_str() == Some("manual"))
            .map(line_of)
            .or(stage.manual);
        if let Some(line) = manual {
            job.extra.insert("when".into(), json!("manual"));
            self.pipeline.trigger("manual", Some(line));
        }
        if let Some(oidc) = field(step, "oidc") {
            job.extra.insert("oidc".into(), to_json(oidc));
        }
        self.pipeline.jobs.push(job);
    }

    /// Script items: runs of commands become one run step each; a pipe is its own step.
    fn script(&mut self, section: &str, script: &Spanned<Node>, steps: &mut Vec<CiStep>) {
        let items: Vec<&Spanned<Node>> = match script.value.as_seq() {
            Some(items) => items.iter().collect(),
            None => vec![script],
        };
        let mut commands: Vec<(String, u32)> = Vec::new();
        let flush = |commands: &mut Vec<(String, u32)>, steps: &mut Vec<CiStep>| {
            if let Some((_, line)) = commands.first() {
                let text: Vec<&str> = commands.iter().map(|(c, _)| c.as_str()).collect();
                steps.push(CiStep::run(
                    Some(section.to_owned()),
                    *line,
                    text.join("\n"),
                    *line,
                ));
            }
            commands.clear();
        };
        for item in items {
            match field(item, "pipe") {
                Some(pipe) => {
                    flush(&mut commands, steps);
                    let mut step = CiStep::uses("pipe", key_text(pipe), line_of(pipe));
                    step.line = line_of(item);
                    for (key, value) in field(item, "variables")
                        .and_then(|v| v.value.as_map())
                        .unwrap_or_default()
                    {
                        let name = key_text(key).into_owned();
                        let stored = self.pipeline.variable(&name, &to_json(value), line_of(key));
                        step.with_input(&name, stored, line_of(key));
                    }
                    steps.push(step);
                }
                None if item.value.as_map().is_some() => {
                    self.warn(
                        line_of(item),
                        format!("a `{section}` item is neither a command nor a pipe; skipped"),
                    );
                }
                None => commands.push((key_text(item).into_owned(), line_of(item))),
            }
        }
        flush(&mut commands, steps);
    }

    /// `import: repo:ref:pipeline` (another repository) or `import: pipeline@source` (`definitions.imports`).
    fn import(&self, import: &Spanned<Node>) -> CiStep {
        let text = key_text(import);
        let (uses, pipeline) = match text.split(':').collect::<Vec<_>>().as_slice() {
            [repository, reference, pipeline] => {
                (format!("{repository}@{reference}"), (*pipeline).to_owned())
            }
            _ => match text.split_once('@') {
                Some((pipeline, source)) => {
                    let resolved = get(self.definitions("imports"), source)
                        .map_or_else(|| source.to_owned(), |(_, s)| import_source(&key_text(s)));
                    (resolved, pipeline.to_owned())
                }
                None => (text.clone().into_owned(), String::new()),
            },
        };
        let mut step = CiStep::uses("import", uses, line_of(import));
        if !pipeline.is_empty() {
            step.with_input("pipeline", json!(pipeline), line_of(import));
        }
        step
    }
}

/// A `definitions.imports` source: a file of this repository (`./path`) or `repository:ref` (`repository@ref`).
fn import_source(source: &str) -> String {
    if source.ends_with(".yml") || source.ends_with(".yaml") {
        format!("./{}", source.trim_start_matches("./").trim_start_matches('/'))
    } else {
        match source.split_once(':') {
            Some((repository, reference)) => format!("{repository}@{reference}"),
            None => source.to_owned(),
        }
    }
}

/// `image: name:tag` or `image: {name: ..., username: ..., password: ...}`, with the line of the name.
fn image_of(node: &Spanned<Node>) -> Option<(String, u32)> {
    let name = field(node, "name").unwrap_or(node);
    let text = name.value.as_str()?.trim();
    (!text.is_empty()).then(|| (text.to_owned(), line_of(name)))
}
