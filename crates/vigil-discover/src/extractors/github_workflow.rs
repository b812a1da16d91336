//! GitHub Actions workflows (`.github/workflows/*.yml`): one `pipeline` asset per file.
//!
//! The YAML is read into the shared spanned tree of [`crate::yaml`] rather than typed structs, because `on:`,
//! `permissions:` and `runs-on:` take several shapes and serde loses spans inside untagged enums. Scalars
//! follow YAML 1.2, as GitHub does, so the `on:` key stays the string `on`; alias bombs are errors. The
//! attribute layout (triggers, permissions, jobs with their steps, referenced secrets) is read as-is by the
//! CI/CD threat rules, so changing it means changing them.
//!
//! Besides the layout shared with the other CI extractors, a workflow records, only where the file has
//! them: the workflow-level `env` (attribute, with `attribute_lines["env.NAME"]`), each job's `env` (with
//! `env_lines`), `container` image (with `container_line`), `services` images by name (with
//! `services_lines`) and, for reusable-workflow calls, `secrets` (`"inherit"` or the mapping, with
//! `secrets_line`), and a step's `env_lines`. `attribute_lines["triggers.EVENT"]` is the line naming each
//! event.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};
use vigil_core::{Asset, AssetId, AssetKind};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::yaml::{self, Node, Spanned, field, get, key_text, line_of, to_json};

#[derive(Debug)]
pub struct GithubWorkflow;

impl Extractor for GithubWorkflow {
    fn name(&self) -> &'static str {
        "github/actions-workflow"
    }

    fn claims(&self, path: &str, file_name: &str) -> bool {
        let dir = crate::extract::parent_dir(path);
        (file_name.ends_with(".yml") || file_name.ends_with(".yaml"))
            && (dir == ".github/workflows" || dir.ends_with("/.github/workflows"))
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let root = yaml::parse(file)?;
        let top = match root.value.untagged() {
            Node::Null => return Ok(()), // empty file, or only comments / `---`
            Node::Map(entries) => entries.as_slice(),
            other => {
                return Err(file.error(
                    Some(line_of(&root)),
                    format!(
                        "not a GitHub Actions workflow: the document is {}, not a mapping",
                        other.describe()
                    ),
                ));
            }
        };
        let mut warn = |line: u32, message: String| out.diagnostics.push(file.warning(Some(line), message));

        let file_name = file.path.rsplit('/').next().unwrap_or(file.path);
        let (name, line) = match get(top, "name") {
            Some((key, value)) => (key_text(value).into_owned(), line_of(key)),
            None => (file_name.to_owned(), 1),
        };
        let mut asset = Asset::new(
            AssetKind::Pipeline,
            AssetId::from_parts(AssetKind::Pipeline, &[file.path]),
            name,
            file.evidence(Some(line)),
        );

        let triggers = match get(top, "on") {
            Some((key, value)) => {
                asset.attribute_lines.insert("on".to_owned(), line_of(key));
                let triggers = triggers(value);
                for (name, line) in &triggers {
                    asset
                        .attribute_lines
                        .entry(format!("triggers.{name}"))
                        .or_insert(*line);
                }
                triggers
                    .into_iter()
                    .map(|(name, _)| name)
                    .collect::<BTreeSet<_>>()
            }
            None => {
                warn(1, "no `on:` key; GitHub never runs this workflow".to_owned());
                BTreeSet::new()
            }
        };
        if let Some((env, lines)) = get(top, "env").and_then(|(_, v)| env_map(v)) {
            for (name, line) in lines {
                if let Some(line) = line.as_u64().and_then(|l| u32::try_from(l).ok()) {
                    asset.attribute_lines.insert(format!("env.{name}"), line);
                }
            }
            asset = asset.with("env", Value::Object(env));
        }
        let permissions = match get(top, "permissions") {
            Some((key, value)) => {
                asset
                    .attribute_lines
                    .insert("permissions".to_owned(), line_of(key));
                to_json(value)
            }
            None => Value::Null,
        };
        let jobs = match get(top, "jobs") {
            Some((
                _,
                Spanned {
                    value: Node::Map(jobs),
                    ..
                },
            )) => jobs
                .iter()
                .filter_map(|(id, job)| read_job(id, job, &mut warn))
                .collect(),
            Some((key, _)) => {
                warn(line_of(key), "`jobs` is not a mapping; no jobs read".to_owned());
                Vec::new()
            }
            None => {
                warn(1, "no `jobs:` key".to_owned());
                Vec::new()
            }
        };

        out.assets.push(
            asset
                .with("platform", "github-actions")
                .with("triggers", triggers.into_iter().collect::<Vec<_>>())
                .with("permissions", permissions)
                .with("jobs", Value::Array(jobs))
                .with(
                    "secrets",
                    referenced_secrets(file.text).into_iter().collect::<Vec<_>>(),
                ),
        );
        Ok(())
    }
}

/// Event names of `on:` in its three shapes (`push`, `[push, pull_request]`, `{push: {...}, ...}`), each
/// with the line naming it, in file order.
fn triggers(on: &Spanned<Node>) -> Vec<(String, u32)> {
    match on.value.untagged() {
        Node::Seq(items) => items
            .iter()
            .map(|i| (key_text(i).into_owned(), line_of(i)))
            .collect(),
        Node::Map(entries) => entries
            .iter()
            .map(|(k, _)| (key_text(k).into_owned(), line_of(k)))
            .collect(),
        Node::Null => Vec::new(),
        _ => vec![(key_text(on).into_owned(), line_of(on))],
    }
}

/// An `env:` mapping as (values, line of each key); `None` when it is absent or not a mapping (an
/// expression such as `env: ${{ fromJSON(...) }}` names no variable).
fn env_map(node: &Spanned<Node>) -> Option<(Map<String, Value>, Map<String, Value>)> {
    let entries = node.value.as_map()?;
    let (mut values, mut lines) = (Map::new(), Map::new());
    for (k, v) in entries {
        let name = key_text(k).into_owned();
        lines.insert(name.clone(), json!(line_of(k)));
        values.insert(name, to_json(v));
    }
    Some((values, lines))
}

/// The image of `container:` / a service: `image: name` or the short form `container: name`, with the
/// line of the image.
fn image_of(node: &Spanned<Node>) -> Option<(String, u32)> {
    let image = field(node, "image").unwrap_or(node);
    let text = image.value.as_str()?.trim();
    (!text.is_empty()).then(|| (text.to_owned(), line_of(image)))
}

fn read_job(id: &Spanned<Node>, job: &Spanned<Node>, warn: &mut impl FnMut(u32, String)) -> Option<Value> {
    let id_text = key_text(id);
    let Some(fields) = job.value.as_map() else {
        warn(line_of(id), format!("job `{id_text}` is not a mapping; skipped"));
        return None;
    };
    let mut out = Map::new();
    out.insert("id".into(), json!(id_text));
    if let Some((_, name)) = get(fields, "name") {
        out.insert("name".into(), to_json(name));
    }
    out.insert("line".into(), json!(line_of(id)));
    out.insert(
        "runs_on".into(),
        get(fields, "runs-on").map_or(Value::Null, |(_, v)| to_json(v)),
    );
    out.insert(
        "permissions".into(),
        get(fields, "permissions").map_or(Value::Null, |(_, v)| to_json(v)),
    );
    if let Some((_, condition)) = get(fields, "if") {
        out.insert("if".into(), to_json(condition));
    }
    if let Some((key, uses)) = get(fields, "uses") {
        out.insert("uses".into(), to_json(uses));
        out.insert("uses_line".into(), json!(line_of(key)));
    }
    if let Some((key, secrets)) = get(fields, "secrets") {
        out.insert("secrets".into(), to_json(secrets));
        out.insert("secrets_line".into(), json!(line_of(key)));
    }
    if let Some((env, lines)) = get(fields, "env").and_then(|(_, v)| env_map(v)) {
        out.insert("env".into(), Value::Object(env));
        out.insert("env_lines".into(), Value::Object(lines));
    }
    if let Some((image, line)) = get(fields, "container").and_then(|(_, v)| image_of(v)) {
        out.insert("container".into(), json!(image));
        out.insert("container_line".into(), json!(line));
    }
    if let Some(services) = get(fields, "services").and_then(|(_, v)| v.value.as_map()) {
        let (mut images, mut lines) = (Map::new(), Map::new());
        for (name, service) in services {
            if let Some((image, line)) = image_of(service) {
                images.insert(key_text(name).into_owned(), json!(image));
                lines.insert(key_text(name).into_owned(), json!(line));
            }
        }
        out.insert("services".into(), Value::Object(images));
        out.insert("services_lines".into(), Value::Object(lines));
    }
    let steps = match get(fields, "steps") {
        Some((
            _,
            Spanned {
                value: Node::Seq(steps),
                ..
            },
        )) => steps
            .iter()
            .filter_map(|step| read_step(&id_text, step, warn))
            .collect(),
        Some((key, _)) => {
            warn(
                line_of(key),
                format!("steps of job `{id_text}` are not a list; not read"),
            );
            Vec::new()
        }
        None => Vec::new(),
    };
    out.insert("steps".into(), Value::Array(steps));
    Some(Value::Object(out))
}

fn read_step(job: &str, step: &Spanned<Node>, warn: &mut impl FnMut(u32, String)) -> Option<Value> {
    let Some(fields) = step.value.as_map() else {
        warn(
            line_of(step),
            format!("a step of job `{job}` is not a mapping; skipped"),
        );
        return None;
    };
    let mut out = Map::new();
    if let Some((_, name)) = get(fields, "name") {
        out.insert("name".into(), to_json(name));
    }
    out.insert("line".into(), json!(line_of(step)));
    for key in ["uses", "run"] {
        if let Some((k, v)) = get(fields, key) {
            out.insert(key.into(), to_json(v));
            out.insert(format!("{key}_line"), json!(line_of(k)));
        }
    }
    let (mut with, mut with_lines, mut env, mut env_lines) = (Map::new(), Map::new(), Map::new(), Map::new());
    for (key, target, lines) in [
        ("with", &mut with, &mut with_lines),
        ("env", &mut env, &mut env_lines),
    ] {
        match get(fields, key) {
            Some((
                _,
                Spanned {
                    value: Node::Map(entries),
                    ..
                },
            )) => {
                for (k, v) in entries {
                    let name = key_text(k).into_owned();
                    lines.insert(name.clone(), json!(line_of(k)));
                    target.insert(name, to_json(v));
                }
            }
            Some((
                _,
                Spanned {
                    value: Node::Null, ..
                },
            ))
            | None => {}
            Some((k, _)) => warn(
                line_of(k),
                format!("`{key}` of a step in job `{job}` is not a mapping; not read"),
            ),
        }
    }
    out.insert("with".into(), Value::Object(with));
    out.insert("with_lines".into(), Value::Object(with_lines));
    out.insert("env".into(), Value::Object(env));
    if !env_lines.is_empty() {
        out.insert("env_lines".into(), Value::Object(env_lines));
    }
    Some(Value::Object(out))
}

/// Names used as `secrets.NAME` or `secrets['NAME']` anywhere in the text (expressions, but also comments:
/// a cheap over-approximation that never misses a use).
fn referenced_secrets(text: &str) -> BTreeSet<String> {
    // ASCII lowercasing keeps byte offsets, and GitHub expression contexts are case-insensitive.
    let lower = text.to_ascii_lowercase();
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut names = BTreeSet::new();
    for (start, _) in lower.match_indices("secrets") {
        let before = lower[..start].chars().next_back();
        if before.is_some_and(|c| is_name(c) || c == '.' || c == '-') {
            continue;
        }
        let rest = text.get(start + "secrets".len()..).unwrap_or_default();
        let name = if let Some(after_dot) = rest.strip_prefix('.') {
            let end = after_dot.find(|c: char| !is_name(c)).unwrap_or(after_dot.len());
            &after_dot[..end]
        } else if let Some(inside) = rest.strip_prefix('[') {
            let inside = inside.trim_start();
            let Some(quote) = inside.chars().next().filter(|q| matches!(q, '\'' | '"')) else {
                continue;
            };
            let quoted = &inside[1..];
            let Some(end) = quoted.find(quote) else { continue };
            if !quoted[end + 1..].trim_start().starts_with(']') {
                continue;
            }
            &quoted[..end]
        } else {
            continue;
        };
        if !name.is_empty() && name.chars().all(is_name) {
            names.insert(name.to_owned());
        }
    }
    names
}
