//! Dockerfiles and Containerfiles (`Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `Containerfile`): one
//! `cloud-resource` asset per file describing the image it builds.
//!
//! A line reader, not a full parser: instructions are joined over escaped line ends (`\`, or the character
//! of an `# escape=` directive), comment lines are dropped (also inside continuations, as BuildKit does),
//! and heredoc bodies (`RUN <<EOF ... EOF`) are consumed as opaque text that is only searched for
//! `curl | sh`. Nothing is executed or expanded, except that `FROM` lines substitute the defaults of `ARG`s
//! declared before the first `FROM` (as Docker does), so `FROM python:${PY}-slim` yields a tag. What
//! belongs to the built image (user, ports, health check) is read from the final stage and the stages it is
//! built `FROM`; what can leak through the build (ENV and ARG values, remote ADDs, piped installers) is read
//! from every stage.
//!
//! Layout (id `cloud-resource:<file>`, name and `address` the file path, evidence at the first `FROM`):
//! `provider` (`docker`), `resource_type` (`dockerfile`), `module_dir`, `format` (`dockerfile`),
//! `stages` (each `FROM`: `{name, image, base_image, tag, digest, line, internal}`; `image` as written,
//! `base_image`/`tag`/`digest` after ARG substitution, `internal` when it builds on an earlier stage, whose
//! name is then `base_image`; `--platform` is ignored), `final_user` (the last `USER` of the final stage or
//! of the stage it builds on; null means the base image's user, root unless the base image says
//! otherwise), `exposed_ports` (numbers, or the text as written when it has a protocol, a range or a
//! variable: `"53/udp"`), `env` and `args` (name -> value; an ARG without default is null; literal values
//! of secret-looking names are redacted to `AKIA…(20 chars)`), `secrets_in_build` (names of ENV/ARG that
//! look like secrets — password, secret, token, key, credential — and have a literal value, i.e. no `$`),
//! `healthcheck` (a `HEALTHCHECK` other than `NONE` applies to the final image), `add_remote` (`ADD` of a
//! URL or git repository: `{url, line, checksum}`), `curl_pipe_shell` (`RUN` lines piping `curl`/`wget`
//! into a shell: `{command, line}`, the command cut at 300 characters), `sudo_in_run` (each `sudo` a `RUN`
//! invokes as a command: `{program, line}`, `program` the command sudo runs, null for a bare `sudo -i`),
//! `sudoers_nopasswd` (`RUN` lines writing a `NOPASSWD` sudoers grant: `{line}`), `verification_disabled`
//! (`RUN` options and inline variables that switch off a download check: `{check, tool, option, line}`,
//! `check` `tls` for certificate validation (`curl -k`, `wget --no-check-certificate`, `pip
//! --trusted-host`, `npm config set strict-ssl false`, `git -c http.sslVerify=false`,
//! `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`, `GIT_SSL_NO_VERIFY=1`, `sslverify=0`) or
//! `signature` for package signatures (`apk --allow-untrusted`, `apt-get --allow-unauthenticated` /
//! `--force-yes` / `[trusted=yes]`, `yum`/`dnf --nogpgcheck`, `gpgcheck=0`, `rpm --nosignature`, `zypper
//! --no-gpg-checks`); the exec form `RUN ["..."]` is read as its words joined). `attribute_lines`:
//! `final_user`, `stages.N`, `exposed_ports` (and `exposed_ports.N`), `env.NAME` and `args.NAME` (the
//! physical line naming the variable, in an instruction continued over several lines), `healthcheck`,
//! `add_remote.N`, `curl_pipe_shell.N`, `sudo_in_run.N`, `sudoers_nopasswd.N`, `verification_disabled.N`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value, json};
use vigil_core::{Asset, AssetId, AssetKind};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::extractors::secrets::redact;

#[derive(Debug)]
pub struct Dockerfile;

const INSTRUCTIONS: [&str; 18] = [
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// Templates of Dockerfiles are not Dockerfiles until rendered.
const TEMPLATE_SUFFIXES: [&str; 9] = [
    ".dockerignore",
    ".j2",
    ".jinja",
    ".jinja2",
    ".tmpl",
    ".tpl",
    ".erb",
    ".mustache",
    ".hbs",
];

const MAX_COMMAND: usize = 300;

impl Extractor for Dockerfile {
    fn name(&self) -> &'static str {
        "docker/dockerfile"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        let lower = file_name.to_ascii_lowercase();
        let named = ["dockerfile", "containerfile"].iter().any(|base| {
            lower == *base || lower.starts_with(&format!("{base}.")) || lower.ends_with(&format!(".{base}"))
        });
        named && !TEMPLATE_SUFFIXES.iter().any(|s| lower.ends_with(s))
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let (instructions, escape) = read_instructions(file.text);
        let Some(first) = instructions.first() else {
            return Ok(()); // empty, or only comments and directives
        };
        if !matches!(first.keyword.as_str(), "FROM" | "ARG") {
            let what = if INSTRUCTIONS.contains(&first.keyword.as_str()) {
                format!("the first instruction is {}, not FROM", first.keyword)
            } else {
                format!("`{}` is not an instruction", first.word)
            };
            return Err(file.error(Some(first.line), format!("not a Dockerfile: {what}")));
        }
        let mut image = Image {
            escape,
            ..Image::default()
        };
        for instruction in &instructions {
            if !INSTRUCTIONS.contains(&instruction.keyword.as_str()) {
                out.diagnostics.push(file.warning(
                    Some(instruction.line),
                    format!("unknown instruction `{}`; skipped", instruction.word),
                ));
                continue;
            }
            image.apply(instruction, file, out);
        }
        if image.stages.is_empty() {
            return Err(file.error(Some(first.line), "not a Dockerfile: no FROM instruction"));
        }
        out.assets.push(image.into_asset(file));
        Ok(())
    }
}

/// One logical instruction: continuation lines joined, comment lines dropped.
#[derive(Debug)]
struct Instruction {
    /// Upper-cased first word.
    keyword: String,
    /// The first word as written, for messages.
    word: String,
    args: String,
    /// Heredoc bodies, in order.
    heredocs: Vec<String>,
    line: u32,
    /// The physical lines joined into this instruction, with their numbers.
    physical: Vec<(u32, String)>,
}

impl Instruction {
    /// The line where `NAME=` (or a legacy `ENV NAME value`) of a multi-line ENV or ARG is written.
    fn line_of_variable(&self, name: &str) -> u32 {
        self.physical
            .iter()
            .find(|(_, text)| {
                text.match_indices(name).any(|(at, _)| {
                    let before = text.get(..at).and_then(|t| t.chars().next_back());
                    let after = text.get(at + name.len()..).and_then(|t| t.chars().next());
                    before.is_none_or(|c| c.is_whitespace() || c == '"' || c == '\'')
                        && after.is_none_or(|c| c == '=' || c.is_whitespace())
                })
            })
            .map_or(self.line, |(number, _)| *number)
    }
}

/// The instructions, and the escape character of the file.
fn read_instructions(text: &str) -> (Vec<Instruction>, char) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().zip(1u32..).peekable();
    let mut escape = '\\';
    // Parser directives: `# name=value` lines before anything else.
    while let Some((line, _)) = lines.peek() {
        let Some(directive) = directive(line) else { break };
        if let ("escape", value) = (directive.0.as_str(), directive.1)
            && let Some(c) = value.chars().next().filter(|c| matches!(c, '\\' | '`'))
        {
            escape = c;
        }
        lines.next();
    }
    let mut instructions = Vec::new();
    while let Some((line, number)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut logical = String::new();
        let mut current = line;
        let mut current_number = number;
        let mut physical = Vec::new();
        loop {
            physical.push((current_number, current.to_owned()));
            match current.trim_end().strip_suffix(escape) {
                Some(continued) => {
                    logical.push_str(continued);
                    // The next line that is neither blank nor a comment continues this one.
                    let next = loop {
                        match lines.next() {
                            Some((next, _))
                                if next.trim().is_empty() || next.trim_start().starts_with('#') => {}
                            other => break other,
                        }
                    };
                    match next {
                        Some((next, next_number)) => (current, current_number) = (next, next_number),
                        None => break,
                    }
                }
                None => {
                    logical.push_str(current);
                    break;
                }
            }
        }
        let logical = logical.trim();
        let (word, args) = logical
            .split_once(char::is_whitespace)
            .map_or((logical, ""), |(w, a)| (w, a.trim()));
        let keyword = word.to_ascii_uppercase();
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for (strip_tabs, delimiter) in heredoc_delimiters(args) {
                let mut body = String::new();
                for (line, _) in lines.by_ref() {
                    let candidate = if strip_tabs {
                        line.trim_start_matches('\t')
                    } else {
                        line
                    };
                    if candidate.trim_end() == delimiter {
                        break;
                    }
                    body.push_str(line);
                    body.push('\n');
                }
                heredocs.push(body);
            }
        }
        instructions.push(Instruction {
            keyword,
            word: word.to_owned(),
            args: args.to_owned(),
            heredocs,
            line: number,
            physical,
        });
    }
    (instructions, escape)
}

/// `# escape=\``, `# syntax=docker/dockerfile:1`, `# check=skip=...`: (lower-cased name, value).
fn directive(line: &str) -> Option<(String, &str)> {
    let rest = line.trim_start().strip_prefix('#')?;
    let (name, value) = rest.split_once('=')?;
    let name = name.trim().to_ascii_lowercase();
    matches!(name.as_str(), "escape" | "syntax" | "check").then_some((name, value.trim()))
}

/// The heredocs an instruction opens (`<<EOF`, `<<-EOF`, `<<"EOF"`), as (strip leading tabs, delimiter).
fn heredoc_delimiters(args: &str) -> Vec<(bool, String)> {
    static PATTERN: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(pattern) = PATTERN
        .get_or_init(|| {
            Regex::new(
                r#"<<(-?)(?:"([A-Za-z_][A-Za-z0-9_]*)"|'([A-Za-z_][A-Za-z0-9_]*)'|([A-Za-z_][A-Za-z0-9_]*))"#,
            )
            .ok()
        })
        .as_ref()
    else {
        return Vec::new();
    };
    pattern
        .captures_iter(args)
        .filter_map(|c| {
            let delimiter = c.get(2).or_else(|| c.get(3)).or_else(|| c.get(4))?;
            Some((
                c.get(1).is_some_and(|m| !m.as_str().is_empty()),
                delimiter.as_str().to_owned(),
            ))
        })
        .collect()
}

/// What the Dockerfile builds, instruction by instruction.
#[derive(Debug, Default)]
struct Image {
    escape: char,
    /// Defaults of ARGs declared before the first FROM: the only variables FROM may use.
    global_args: BTreeMap<String, String>,
    stages: Vec<Stage>,
    env: Map<String, Value>,
    args: Map<String, Value>,
    lines: BTreeMap<String, u32>,
    secrets: Vec<String>,
    add_remote: Vec<Value>,
    curl_pipe_shell: Vec<Value>,
    sudo_in_run: Vec<Value>,
    sudoers_nopasswd: Vec<Value>,
    verification_disabled: Vec<Value>,
}

#[derive(Debug)]
struct Stage {
    name: Option<String>,
    image: String,
    base_image: String,
    tag: Option<String>,
    digest: Option<String>,
    line: u32,
    /// The earlier stage this one builds on.
    parent: Option<usize>,
    user: Option<(String, u32)>,
    ports: Vec<(Value, u32)>,
    healthcheck: Option<(bool, u32)>,
}

impl Image {
    fn apply(&mut self, instruction: &Instruction, file: &SourceFile<'_>, out: &mut Output) {
        let args = instruction.args.as_str();
        let line = instruction.line;
        match instruction.keyword.as_str() {
            "FROM" => self.from(args, line, file, out),
            "ARG" => {
                for word in words(args, self.escape) {
                    let (name, value) = match word.split_once('=') {
                        Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                        None => (word, None),
                    };
                    if self.stages.is_empty()
                        && let Some(value) = &value
                    {
                        self.global_args.insert(name.clone(), value.clone());
                    }
                    let at = instruction.line_of_variable(&name);
                    self.variable("args", name, value, at);
                }
            }
            "ENV" => {
                for (name, value) in env_pairs(args, self.escape) {
                    let at = instruction.line_of_variable(&name);
                    self.variable("env", name, Some(value), at);
                }
            }
            "USER" => {
                if let (Some(stage), Some(user)) = (self.stages.last_mut(), args.split_whitespace().next()) {
                    stage.user = Some((user.to_owned(), line));
                }
            }
            "EXPOSE" => {
                if let Some(stage) = self.stages.last_mut() {
                    for port in args.split_whitespace() {
                        let value = port.parse::<u64>().map_or_else(|_| json!(port), Value::from);
                        stage.ports.push((value, line));
                    }
                }
            }
            "HEALTHCHECK" => {
                if let Some(stage) = self.stages.last_mut() {
                    let none = args
                        .split_whitespace()
                        .next()
                        .is_some_and(|w| w.eq_ignore_ascii_case("NONE"));
                    stage.healthcheck = Some((!none, line));
                }
            }
            "ADD" => self.add(args, line),
            "RUN" => {
                let mut command = args.to_owned();
                for body in &instruction.heredocs {
                    command.push('\n');
                    command.push_str(body);
                }
                if pipes_download_into_shell(&command) {
                    let index = self.curl_pipe_shell.len();
                    self.lines.insert(format!("curl_pipe_shell.{index}"), line);
                    let shown: String = args.chars().take(MAX_COMMAND).collect();
                    self.curl_pipe_shell.push(json!({"command": shown, "line": line}));
                }
                self.run_checks(&exec_form_joined(&command), line);
            }
            _ => {} // ONBUILD runs in images built from this one; the rest does not change what is read here
        }
    }

    fn from(&mut self, args: &str, line: u32, file: &SourceFile<'_>, out: &mut Output) {
        let mut words = args.split_whitespace().filter(|w| !w.starts_with("--"));
        let Some(image) = words.next() else {
            out.diagnostics
                .push(file.warning(Some(line), "FROM without an image; stage skipped"));
            return;
        };
        let name = match (words.next(), words.next()) {
            (Some(keyword), Some(name)) if keyword.eq_ignore_ascii_case("AS") => Some(name.to_owned()),
            _ => None,
        };
        let resolved = substitute(image, &self.global_args);
        let parent = self.stages.iter().rposition(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(&resolved))
        });
        let (base_image, tag, digest) = match parent {
            Some(_) => (resolved, None, None),
            None => split_image(&resolved),
        };
        self.lines.insert(format!("stages.{}", self.stages.len()), line);
        self.stages.push(Stage {
            name,
            image: image.to_owned(),
            base_image,
            tag,
            digest,
            line,
            parent,
            user: None,
            ports: Vec::new(),
            healthcheck: None,
        });
    }

    /// Records an ENV or ARG; the last declaration of a name wins.
    fn variable(&mut self, kind: &str, name: String, value: Option<String>, line: u32) {
        let secret = is_secret_name(&name);
        let literal = value.as_deref().is_some_and(is_literal);
        if secret && literal && !self.secrets.contains(&name) {
            self.secrets.push(name.clone());
        }
        let shown = match value {
            Some(value) if secret && literal => Value::String(redact(&value)),
            Some(value) => Value::String(value),
            None => Value::Null,
        };
        self.lines.insert(format!("{kind}.{name}"), line);
        let target = if kind == "env" {
            &mut self.env
        } else {
            &mut self.args
        };
        target.insert(name, shown);
    }

    fn add(&mut self, args: &str, line: u32) {
        let mut flags = Vec::new();
        let mut operands = Vec::new();
        let written = args.trim();
        let parsed: Vec<String> = if written.starts_with('[') {
            serde_json::from_str(written).unwrap_or_default()
        } else {
            words(written, self.escape)
        };
        for word in parsed {
            if word.starts_with("--") && operands.is_empty() {
                flags.push(word);
            } else {
                operands.push(word);
            }
        }
        let checksum = flags.iter().any(|f| f.starts_with("--checksum"));
        let sources = operands.len().saturating_sub(1);
        for source in operands.iter().take(sources) {
            let lower = source.to_ascii_lowercase();
            let remote = ["http://", "https://", "git@", "git://", "ssh://"]
                .iter()
                .any(|p| lower.starts_with(p));
            if remote {
                let index = self.add_remote.len();
                self.lines.insert(format!("add_remote.{index}"), line);
                self.add_remote
                    .push(json!({"url": source, "line": line, "checksum": checksum}));
            }
        }
    }

    /// What a `RUN` command does that weakens the image: sudo, sudoers grants, disabled download checks.
    fn run_checks(&mut self, command: &str, line: u32) {
        for program in sudo_programs(command) {
            self.lines
                .insert(format!("sudo_in_run.{}", self.sudo_in_run.len()), line);
            self.sudo_in_run.push(json!({"program": program, "line": line}));
        }
        if command.contains("NOPASSWD") {
            self.lines
                .insert(format!("sudoers_nopasswd.{}", self.sudoers_nopasswd.len()), line);
            self.sudoers_nopasswd.push(json!({"line": line}));
        }
        for (check, tool, option) in disabled_verifications(command) {
            self.lines.insert(
                format!("verification_disabled.{}", self.verification_disabled.len()),
                line,
            );
            self.verification_disabled
                .push(json!({"check": check, "tool": tool, "option": option, "line": line}));
        }
    }

    fn into_asset(mut self, file: &SourceFile<'_>) -> Asset {
        // The final stage and the stages it is built on, nearest first.
        let mut chain = Vec::new();
        let mut next = self.stages.len().checked_sub(1);
        while let Some(index) = next {
            if chain.contains(&index) {
                break;
            }
            chain.push(index);
            next = self.stages.get(index).and_then(|s| s.parent);
        }
        let in_chain = || chain.iter().filter_map(|i| self.stages.get(*i));

        let final_user = in_chain().find_map(|s| s.user.clone());
        if let Some((_, line)) = &final_user {
            self.lines.insert("final_user".to_owned(), *line);
        }
        let healthcheck = in_chain().find_map(|s| s.healthcheck);
        if let Some((_, line)) = healthcheck {
            self.lines.insert("healthcheck".to_owned(), line);
        }
        let mut ports: Vec<(Value, u32)> = Vec::new();
        for stage in chain.iter().rev().filter_map(|i| self.stages.get(*i)) {
            ports.extend(stage.ports.iter().cloned());
        }
        for (index, (_, line)) in ports.iter().enumerate() {
            if index == 0 {
                self.lines.insert("exposed_ports".to_owned(), *line);
            }
            self.lines.insert(format!("exposed_ports.{index}"), *line);
        }
        let stages: Vec<Value> = self
            .stages
            .iter()
            .map(|s| {
                json!({
                    "name": s.name,
                    "image": s.image,
                    "base_image": s.base_image,
                    "tag": s.tag,
                    "digest": s.digest,
                    "line": s.line,
                    "internal": s.parent.is_some(),
                })
            })
            .collect();
        let line = self.stages.first().map(|s| s.line);
        let module_dir = match file.dir() {
            "" => ".",
            dir => dir,
        };
        let mut asset = Asset::new(
            AssetKind::CloudResource,
            AssetId::from_parts(AssetKind::CloudResource, &[file.path]),
            file.path,
            file.evidence(line),
        )
        .with("provider", "docker")
        .with("resource_type", "dockerfile")
        .with("address", file.path)
        .with("module_dir", module_dir)
        .with("format", "dockerfile")
        .with("stages", stages)
        .with(
            "final_user",
            final_user.map_or(Value::Null, |(user, _)| Value::String(user)),
        )
        .with(
            "exposed_ports",
            ports.into_iter().map(|(p, _)| p).collect::<Vec<_>>(),
        )
        .with("env", Value::Object(self.env))
        .with("args", Value::Object(self.args))
        .with("secrets_in_build", self.secrets)
        .with("healthcheck", healthcheck.is_some_and(|(on, _)| on))
        .with("add_remote", self.add_remote)
        .with("curl_pipe_shell", self.curl_pipe_shell)
        .with("sudo_in_run", self.sudo_in_run)
        .with("sudoers_nopasswd", self.sudoers_nopasswd)
        .with("verification_disabled", self.verification_disabled);
        asset.attribute_lines = self.lines;
        asset
    }
}

/// `registry:5000/team/app:1.2@sha256:...` -> (`registry:5000/team/app`, `1.2`, `sha256:...`).
fn split_image(image: &str) -> (String, Option<String>, Option<String>) {
    let (reference, digest) = match image.split_once('@') {
        Some((reference, digest)) => (reference, Some(digest.to_owned())),
        None => (image, None),
    };
    // A colon before the last slash is a registry port, not a tag.
    let name_start = reference.rfind('/').map_or(0, |i| i + 1);
    match reference.get(name_start..).and_then(|name| name.rfind(':')) {
        Some(colon) => {
            let at = name_start + colon;
            (
                reference.get(..at).unwrap_or(reference).to_owned(),
                reference.get(at + 1..).map(str::to_owned),
                digest,
            )
        }
        None => (reference.to_owned(), None, digest),
    }
}

/// Replaces `$NAME`, `${NAME}` and `${NAME:-default}` by the known ARG defaults; unknown names stay.
fn substitute(text: &str, args: &BTreeMap<String, String>) -> String {
    static PATTERN: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(pattern) = PATTERN
        .get_or_init(|| {
            Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)").ok()
        })
        .as_ref()
    else {
        return text.to_owned();
    };
    pattern
        .replace_all(text, |c: &regex::Captures<'_>| {
            let name = c.get(1).or_else(|| c.get(3)).map_or("", |m| m.as_str());
            match (args.get(name).filter(|v| !v.is_empty()), c.get(2)) {
                (Some(value), _) => value.clone(),
                (None, Some(default)) => default.as_str().to_owned(),
                (None, None) => c.get(0).map_or("", |m| m.as_str()).to_owned(),
            }
        })
        .into_owned()
}

/// `ENV A=1 B="two words"`, or the legacy `ENV NAME the rest of the line`.
fn env_pairs(args: &str, escape: char) -> Vec<(String, String)> {
    let first = args.split_whitespace().next().unwrap_or_default();
    if !first.contains('=') {
        let value = args.get(first.len()..).unwrap_or_default().trim();
        let value = unquote(value);
        return if first.is_empty() {
            Vec::new()
        } else {
            vec![(first.to_owned(), value)]
        };
    }
    words(args, escape)
        .into_iter()
        .filter_map(|word| word.split_once('=').map(|(n, v)| (n.to_owned(), v.to_owned())))
        .collect()
}

fn unquote(value: &str) -> String {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner.to_owned();
        }
    }
    value.to_owned()
}

/// Shell-like words: whitespace separates, quotes group, the escape character escapes the next one.
fn words(text: &str, escape: char) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => current.push(c),
            (_, c) if c == escape => {
                in_word = true;
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            (_, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

/// `curl ... | sh`, `wget -O- ... | sudo bash`, `sh -c "$(curl ...)"`, `bash <(curl ...)`.
fn pipes_download_into_shell(command: &str) -> bool {
    static PATTERN: OnceLock<Option<Regex>> = OnceLock::new();
    PATTERN
        .get_or_init(|| {
            Regex::new(concat!(
                // A download, no `;`/`&&` in between, a pipe, maybe sudo with flags, a shell.
                r"(?i)\b(?:curl|wget)\b(?:[^|;&\n]|&[^&])*\|\s*",
                r"(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?(?:\S*/)?(?:ba|z|k|da|a)?sh\b",
                r"|\b(?:ba|z|k|da|a)?sh\s+-c\s+.?\$\(\s*(?:curl|wget)\b",
                r"|\b(?:ba|z|k|da|a)?sh\s+<\(\s*(?:curl|wget)\b",
            ))
            .ok()
        })
        .as_ref()
        .is_some_and(|pattern| pattern.is_match(command))
}

/// The exec form `["apt-get", "install", "x"]` as the words it runs; the shell form as it is.
fn exec_form_joined(command: &str) -> String {
    let trimmed = command.trim_start();
    if trimmed.starts_with('[') {
        let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
        if let Ok(words) = serde_json::from_str::<Vec<String>>(first) {
            return format!("{}\n{rest}", words.join(" "));
        }
    }
    command.to_owned()
}

/// The programs `sudo` runs in a shell command, in order and once each (`None` for `sudo -i`, a shell).
/// Only `sudo` in command position counts: `apt-get install sudo` installs it, `echo sudo` prints it.
fn sudo_programs(command: &str) -> Vec<Option<String>> {
    static PATTERN: OnceLock<Option<Regex>> = OnceLock::new();
    /// Options whose value is the next word.
    const WITH_VALUE: [&str; 19] = [
        "-u",
        "-g",
        "-C",
        "-D",
        "-h",
        "-p",
        "-r",
        "-t",
        "-U",
        "-R",
        "-T",
        "--user",
        "--group",
        "--chdir",
        "--prompt",
        "--role",
        "--type",
        "--other-user",
        "--chroot",
    ];
    let Some(pattern) = PATTERN
        .get_or_init(|| {
            Regex::new(r"(?m)(?:^|[;&|(`]|\$\(|\b(?:then|do|else|exec|xargs)\s)[ \t]*sudo(?:[ \t]+([^\n;&|]*)|[ \t]*$)")
                .ok()
        })
        .as_ref()
    else {
        return Vec::new();
    };
    let mut programs = Vec::new();
    for captures in pattern.captures_iter(command) {
        let rest = captures.get(1).map_or("", |m| m.as_str());
        let mut words = rest.split_whitespace();
        let mut program = None;
        while let Some(word) = words.next() {
            if word.starts_with('-') {
                if WITH_VALUE.contains(&word) {
                    words.next();
                }
                continue;
            }
            if word.contains('=') && program.is_none() && !word.starts_with(['"', '\'']) {
                continue; // `sudo VAR=value program`
            }
            let end = word.find([')', '`']).unwrap_or(word.len());
            let name = word.get(..end).unwrap_or(word).trim_matches(['"', '\'']);
            if !name.is_empty() {
                program = Some(name.to_owned());
            }
            break;
        }
        if !programs.contains(&program) {
            programs.push(program);
        }
    }
    programs
}

/// Options and inline variables of a shell command that switch off certificate validation (`tls`) or
/// package signature checks (`signature`): (check, tool, option as written in the finding).
fn disabled_verifications(command: &str) -> Vec<(&'static str, &'static str, &'static str)> {
    /// (check, tool, option, pattern); `[^|;&\n]*` keeps a flag within the command it belongs to.
    const CHECKS: [(&str, &str, &str, &str); 20] = [
        (
            "tls",
            "curl",
            "--insecure",
            r"\bcurl\b[^|;&\n]*\s(?:--insecure\b|-[A-Za-z0-9]*k)",
        ),
        (
            "tls",
            "wget",
            "--no-check-certificate",
            r"\bwget\b[^|;&\n]*\s--no-check-certificate\b",
        ),
        (
            "tls",
            "pip",
            "--trusted-host",
            r"\bpip3?\b[^|;&\n]*(?:\s--trusted-host\b|\sconfig\s+set\s+\S*trusted-host\b)",
        ),
        (
            "tls",
            "npm",
            "strict-ssl false",
            r#"\b(?:npm|yarn|pnpm)\b[^|;&\n]*\bstrict-ssl["']?(?:\s+|=)["']?false\b"#,
        ),
        (
            "tls",
            "git",
            "http.sslVerify false",
            r#"(?i)\bgit\b[^|;&\n]*\bhttp\.sslverify["']?(?:\s+|=)["']?(?:false|0|no)\b"#,
        ),
        (
            "tls",
            "node",
            "NODE_TLS_REJECT_UNAUTHORIZED=0",
            r#"\bNODE_TLS_REJECT_UNAUTHORIZED=["']?0\b"#,
        ),
        (
            "tls",
            "python",
            "PYTHONHTTPSVERIFY=0",
            r#"\bPYTHONHTTPSVERIFY=["']?0\b"#,
        ),
        (
            "tls",
            "git",
            "GIT_SSL_NO_VERIFY",
            r#"\bGIT_SSL_NO_VERIFY=["']?[^\s"']"#,
        ),
        (
            "tls",
            "yum",
            "sslverify=0",
            r"(?i)(?:^|[^\w.])sslverify\s*=\s*(?:0|false|no)\b",
        ),
        (
            "signature",
            "apk",
            "--allow-untrusted",
            r"\bapk\b[^|;&\n]*\s--allow-untrusted\b",
        ),
        (
            "signature",
            "apt",
            "--allow-unauthenticated",
            r"\bapt(?:-get)?\b[^|;&\n]*\s--allow-unauthenticated\b",
        ),
        (
            "signature",
            "apt",
            "--force-yes",
            r"\bapt(?:-get)?\b[^|;&\n]*\s--force-yes\b",
        ),
        (
            "signature",
            "apt",
            "--allow-insecure-repositories",
            r"\bapt(?:-get)?\b[^|;&\n]*\s--allow-insecure-repositories\b",
        ),
        (
            "signature",
            "apt",
            "AllowInsecureRepositories",
            r#"\bAllowInsecureRepositories["']?\s*[= ]\s*["']?(?:true|1|yes)\b"#,
        ),
        (
            "signature",
            "apt",
            "AllowUnauthenticated",
            r#"\bAllowUnauthenticated["']?\s*[= ]\s*["']?(?:true|1|yes)\b"#,
        ),
        (
            "signature",
            "apt",
            "[trusted=yes]",
            r"\[(?:[^\]]*\s)?trusted=yes\b",
        ),
        (
            "signature",
            "yum",
            "--nogpgcheck",
            r"\b(?:yum|dnf|microdnf|tdnf)\b[^|;&\n]*\s--nogpgcheck\b",
        ),
        (
            "signature",
            "yum",
            "gpgcheck=0",
            r"(?i)(?:^|[^\w])gpgcheck\s*=\s*(?:0|false|no)\b",
        ),
        (
            "signature",
            "rpm",
            "--nosignature",
            r"\brpm\b[^|;&\n]*\s--no(?:signature|digest|filedigest)\b",
        ),
        (
            "signature",
            "zypper",
            "--no-gpg-checks",
            r"\bzypper\b[^|;&\n]*\s--no-gpg-checks\b",
        ),
    ];
    static PATTERNS: OnceLock<Vec<(usize, Regex)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        CHECKS
            .iter()
            .enumerate()
            .filter_map(|(index, (_, _, _, pattern))| Regex::new(pattern).ok().map(|r| (index, r)))
            .collect()
    });
    patterns
        .iter()
        .filter(|(_, pattern)| pattern.is_match(command))
        .filter_map(|(index, _)| CHECKS.get(*index))
        .map(|(check, tool, option, _)| (*check, *tool, *option))
        .collect()
}

/// Words of a variable name: `_`/`-`/`.` separated and camelCase split, lower-cased.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Whether a variable name says it holds a secret: a word such as password, secret, token, key or
/// credential (`DB_PASSWORD`, `npmToken`, `API_KEY`, `APIKEY`), unless it names something about the secret
/// rather than the secret itself (`PASSWORD_FILE`, `TOKEN_URL`, `GPG_KEY`, `PUBLIC_KEY`).
pub fn is_secret_name(name: &str) -> bool {
    const SECRET: [&str; 14] = [
        "password",
        "passwd",
        "pwd",
        "secret",
        "secrets",
        "token",
        "key",
        "apikey",
        "accesskey",
        "secretkey",
        "privatekey",
        "credential",
        "credentials",
        "passphrase",
    ];
    const NOT_THE_SECRET: [&str; 14] = [
        "file", "path", "dir", "url", "uri", "name", "id", "public", "gpg", "pgp", "length", "type",
        "header", "endpoint",
    ];
    let words = name_words(name);
    let Some(last) = words.last() else { return false };
    // `AWS_ACCESS_KEY_ID` is a credential even though it ends in `id`.
    let key_id =
        matches!(words.as_slice(), [.., access, key, id] if access == "access" && key == "key" && id == "id");
    key_id
        || (words.iter().any(|w| SECRET.contains(&w.as_str()))
            && !NOT_THE_SECRET.contains(&last.as_str())
            && !words
                .iter()
                .any(|w| matches!(w.as_str(), "public" | "gpg" | "pgp")))
}

/// A value written out in the file rather than taken from a variable (`$X`, `${X}`) or left empty.
pub fn is_literal(value: &str) -> bool {
    !value.trim().is_empty() && !value.contains('$')
}
