//! What the CI/CD rules share: walking the run steps of any platform's pipeline, splitting scripts into
//! shell commands, reading container image references, and telling values that are computed at run time
//! (and so cannot be judged) from literals.

use serde_json::Value;
use vigil_core::{Asset, AssetKind};
use vigil_model::github;

use crate::rule::Context;

/// Every pipeline of every CI platform.
pub(crate) fn pipelines<'c>(ctx: &Context<'c>) -> impl Iterator<Item = &'c Asset> {
    ctx.inventory.of_kind(AssetKind::Pipeline)
}

/// GitHub Actions workflows only.
pub(crate) fn workflows<'c>(ctx: &Context<'c>) -> impl Iterator<Item = &'c Asset> {
    pipelines(ctx).filter(|p| github::is_github_actions(p))
}

/// A step that runs a script, with where it is.
#[derive(Debug)]
pub(crate) struct RunStep<'a> {
    pub job_id: &'a str,
    /// 1-based position of the step in its job: stable enough to tell two steps of a job apart.
    pub position: usize,
    pub script: &'a str,
    pub line: Option<u32>,
}

/// The run steps of a pipeline (every platform records scripts as `run`), in file order.
pub(crate) fn run_steps(pipeline: &Asset) -> Vec<RunStep<'_>> {
    let mut out = Vec::new();
    for job in github::jobs(pipeline) {
        let job_id = github::job_id(job);
        for (index, step) in github::job_steps(job).enumerate() {
            let Some(script) = step.get("run").and_then(Value::as_str) else {
                continue;
            };
            out.push(RunStep {
                job_id,
                position: index + 1,
                script,
                line: step_line(step),
            });
        }
    }
    out
}

/// The line of the `offset`-th line of a step's script. YAML platforms record the line of the `run:` key
/// (or of the `script:` item), and a block scalar (`run: |`, the only form whose text ends with a newline)
/// starts on the next line; GitLab and Bitbucket join one list item per line; Jenkins literals start on the
/// `sh` line.
pub(crate) fn script_line(pipeline: &Asset, run: &RunStep<'_>, offset: usize) -> Option<u32> {
    let block = matches!(
        pipeline.attr_str("platform"),
        Some("github-actions" | "circleci" | "azure-pipelines")
    ) && run.script.ends_with('\n');
    let offset = u32::try_from(offset).ok()?;
    run.line.map(|line| line + offset + u32::from(block))
}

/// The most precise line of a step: its `uses:` or `run:` key, else the step itself.
pub(crate) fn step_line(step: &Value) -> Option<u32> {
    github::line_at(step, "/uses_line")
        .or_else(|| github::line_at(step, "/run_line"))
        .or_else(|| github::line_at(step, "/line"))
}

/// The action a `uses:` names, without its ref (`actions/checkout@v4` -> `actions/checkout`), compared
/// case-insensitively as GitHub does.
pub(crate) fn action_name(uses: &str) -> String {
    uses.split('@').next().unwrap_or(uses).to_ascii_lowercase()
}

/// The ref of a `uses:` (`v4` of `actions/checkout@v4`), empty when there is none.
pub(crate) fn action_ref(uses: &str) -> &str {
    uses.split_once('@').map_or("", |(_, r)| r)
}

/// A step's `uses:` when it names `action` (any ref).
pub(crate) fn uses_action<'a>(step: &'a Value, action: &str) -> Option<&'a str> {
    step.get("uses")
        .and_then(Value::as_str)
        .filter(|uses| action_name(uses) == action)
}

/// A step input (`with:`) as text: strings as written, numbers and booleans as YAML would print them.
pub(crate) fn input<'a>(step: &'a Value, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    match step.get("with")?.get(name)? {
        Value::String(s) => Some(std::borrow::Cow::Borrowed(s.as_str())),
        Value::Bool(b) => Some(std::borrow::Cow::Owned(b.to_string())),
        Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// The line of a step input, else of the step.
pub(crate) fn input_line(step: &Value, name: &str) -> Option<u32> {
    github::line_at(step, &format!("/with_lines/{name}")).or_else(|| step_line(step))
}

/// Whether a value is only known at run time: a GitHub expression (`${{ }}`), a shell, GitLab or Azure
/// variable (`$X`, `${X}`, `$(x)`), a CircleCI parameter (`<< x >>`).
pub(crate) fn is_computed(text: &str) -> bool {
    text.contains('$') || text.contains("<<")
}

/// A full 40-hex-digit git commit id.
pub(crate) fn is_commit_sha(reference: &str) -> bool {
    reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit())
}

/// A container image reference split as Docker reads it: `[registry/]repository[:tag][@digest]`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    pub repository: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

impl ImageRef<'_> {
    /// Docker pulls `latest` when no tag and no digest is given.
    pub fn floats_on_latest(&self) -> bool {
        self.digest.is_none() && self.tag.is_none_or(|t| t == "latest")
    }
}

/// Parses an image reference. `None` when its last path segment (name, tag, digest) is computed at run
/// time, since then neither the tag nor the digest can be judged; a computed registry prefix
/// (`$CI_REGISTRY/app:1.2`) does not matter.
pub(crate) fn parse_image(reference: &str) -> Option<ImageRef<'_>> {
    let reference = reference.trim();
    let reference = reference.strip_prefix("docker://").unwrap_or(reference);
    if reference.is_empty() {
        return None;
    }
    let (named, digest) = match reference.split_once('@') {
        Some((named, digest)) => (named, Some(digest)),
        None => (reference, None),
    };
    let last_slash = named.rfind('/').map_or(0, |p| p + 1);
    let last_segment = &named[last_slash..];
    if is_computed(last_segment) || digest.is_some_and(is_computed) {
        return None;
    }
    // A colon after the last slash separates the tag; one before it is a registry port.
    let (repository, tag) = match last_segment.rfind(':') {
        Some(colon) => (&named[..last_slash + colon], Some(&last_segment[colon + 1..])),
        None => (named, None),
    };
    Some(ImageRef {
        repository,
        tag: tag.filter(|t| !t.is_empty()),
        digest,
    })
}

/// The container images a pipeline pulls to run its jobs, with the job, the line and what kind of image
/// it is (`image`, `service`, `container`, `docker-step`). Synthetic `(pipeline)` entries are the
/// pipeline-wide defaults and the images of executors defined in the file.
pub(crate) fn images(pipeline: &Asset) -> Vec<(&str, String, &'static str, Option<u32>)> {
    let mut out = Vec::new();
    for job in github::jobs(pipeline) {
        let job_id = github::job_id(job);
        if let Some(image) = job.get("container").and_then(Value::as_str) {
            out.push((
                job_id,
                image.to_owned(),
                "container",
                github::line_at(job, "/container_line"),
            ));
        }
        for (name, image) in job
            .get("services")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(image) = image.as_str() {
                out.push((
                    job_id,
                    image.to_owned(),
                    "service",
                    github::line_at(job, &format!("/services_lines/{name}")),
                ));
            }
        }
        for step in github::job_steps(job) {
            let Some(uses) = step.get("uses").and_then(Value::as_str) else {
                continue;
            };
            let kind = match step.get("name").and_then(Value::as_str) {
                _ if uses.starts_with("docker://") => "docker-step",
                Some("image") if !github::is_github_actions(pipeline) => "image",
                Some("service") if !github::is_github_actions(pipeline) => "service",
                _ => continue,
            };
            out.push((job_id, uses.to_owned(), kind, step_line(step)));
        }
    }
    out
}

/// Shell commands of a script: lines (with `\` continuations joined) split on `;`, `&&`, `||`, `|` and
/// `&`, outside quotes. Each command comes with its offset in lines from the script's first line.
pub(crate) fn commands(script: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut logical = String::new();
    let mut start = 0;
    for (index, line) in script.lines().enumerate() {
        if logical.is_empty() {
            start = index;
        }
        let trimmed = line.trim_end();
        if let Some(continued) = trimmed.strip_suffix('\\') {
            logical.push_str(continued);
            logical.push(' ');
            continue;
        }
        logical.push_str(trimmed);
        for command in split_commands(&logical) {
            out.push((start, command));
        }
        logical.clear();
    }
    if !logical.is_empty() {
        for command in split_commands(&logical) {
            out.push((start, command));
        }
    }
    out
}

/// One logical line split into its commands; the separator before each is kept at its start (`|`) so
/// that a caller can tell a pipe from a sequence.
fn split_commands(line: &str) -> Vec<String> {
    let line = strip_comment(line);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => {
                quote = None;
                current.push(c);
            }
            Some(_) => current.push(c),
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    current.push(c);
                }
                ';' | '&' | '|' => {
                    let doubled = chars.peek() == Some(&c);
                    if doubled {
                        chars.next();
                    }
                    // `>&2`, `2>&1`: a redirection, not a separator.
                    if c == '&' && !doubled && current.ends_with('>') {
                        current.push(c);
                        continue;
                    }
                    push_command(&mut out, &current);
                    current.clear();
                    if c == '|' && !doubled {
                        current.push('|');
                    }
                }
                _ => current.push(c),
            },
        }
    }
    push_command(&mut out, &current);
    out
}

fn push_command(out: &mut Vec<String>, command: &str) {
    let (piped, rest) = match command.strip_prefix('|') {
        Some(rest) => (true, rest.trim()),
        None => (false, command.trim()),
    };
    if !rest.is_empty() {
        out.push(if piped {
            format!("| {rest}")
        } else {
            rest.to_owned()
        });
    }
}

/// A line without its `#` comment (a `#` that starts a word, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return &line[..at],
            None => {}
        }
        previous = c;
    }
    line
}

/// The words of a command, quotes removed (a light shell reading: enough to see a program and its flags).
pub(crate) fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in command.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => current.push(c),
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c.is_whitespace() => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            None => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The program of a command's words, after `sudo` (and its flags), `env VAR=x`, `exec` and variable
/// assignments, with its position in `words`.
pub(crate) fn program(words: &[String]) -> Option<(usize, &str)> {
    let mut index = 0;
    while let Some(word) = words.get(index) {
        let is_assignment = word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if matches!(word.as_str(), "sudo" | "env" | "exec" | "time" | "command" | "|")
            || (index > 0 && word.starts_with('-') && words[..index].iter().any(|w| w == "sudo"))
            || is_assignment
        {
            index += 1;
            continue;
        }
        let name = word.rsplit('/').next().unwrap_or(word);
        return Some((index, name));
    }
    None
}

/// The first step of a job after `after` (a position) that runs code from the working directory, with
/// what it runs: a local action, or a script that runs a build tool, a package manager's scripts or a
/// file of the workspace. A step that only reads files (`cat`, `echo`, `gh`) is not one.
pub(crate) fn first_code_execution(job: &Value, after: usize) -> Option<(usize, &Value, String)> {
    for (index, step) in github::job_steps(job).enumerate().skip(after) {
        if let Some(uses) = step.get("uses").and_then(Value::as_str)
            && uses.starts_with("./")
        {
            return Some((index + 1, step, format!("the local action `{uses}`")));
        }
        let Some(script) = step.get("run").and_then(Value::as_str) else {
            continue;
        };
        for (_, command) in commands(script) {
            if let Some(what) = runs_workspace_code(&command) {
                return Some((index + 1, step, format!("`{what}`")));
            }
        }
    }
    None
}

/// Tools whose any invocation runs code the working directory provides (build files, package scripts).
const BUILD_TOOLS: [&str; 14] = [
    "make", "cmake", "mvn", "gradle", "ant", "bazel", "rake", "tox", "nox", "pytest", "yarn", "pnpm", "npx",
    "bundle",
];

/// The part of a command that executes workspace code, if it does.
fn runs_workspace_code(command: &str) -> Option<String> {
    let words = words(command);
    let (at, program) = program(&words)?;
    let args = &words[at + 1..];
    let first = args.first().map(String::as_str).unwrap_or_default();
    let shown = || words[at..].iter().take(3).cloned().collect::<Vec<_>>().join(" ");
    let runs = match program {
        _ if words[at].starts_with("./") || words[at].starts_with("../") => true,
        "sh" | "bash" | "zsh" | "dash" | "source" | "." => {
            args.iter().any(|a| !a.starts_with('-')) && !args.iter().any(|a| a == "-c")
        }
        "python" | "python3" | "node" | "ruby" | "perl" | "php" | "deno" | "bun" => {
            args.iter().any(|a| !a.starts_with('-'))
        }
        "npm" => matches!(
            first,
            "install" | "i" | "ci" | "run" | "run-script" | "test" | "t" | "start" | "exec" | "rebuild"
        ),
        "pip" | "pip3" => first == "install" && args.iter().any(|a| a == "." || a == "-e" || a == "-r"),
        "go" => matches!(first, "run" | "build" | "test" | "generate" | "install"),
        "cargo" => matches!(first, "build" | "run" | "test" | "install" | "check"),
        "dotnet" => matches!(first, "build" | "run" | "test" | "restore" | "publish"),
        "composer" => matches!(first, "install" | "update" | "run-script"),
        "docker" => first == "build" || (first == "compose" && args.get(1).is_some_and(|a| a == "up")),
        "gradlew" | "mvnw" => true,
        other => BUILD_TOOLS.contains(&other),
    };
    runs.then(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        let image = parse_image("node:20").unwrap();
        assert_eq!(
            (image.repository, image.tag, image.digest),
            ("node", Some("20"), None)
        );
        assert!(!image.floats_on_latest());
        assert!(parse_image("redis").unwrap().floats_on_latest());
        assert!(parse_image("docker://alpine:latest").unwrap().floats_on_latest());
        let port = parse_image("registry.local:5000/team/app").unwrap();
        assert_eq!(
            (port.repository, port.tag),
            ("registry.local:5000/team/app", None)
        );
        let reference = format!("node:20@sha256:{}", "a".repeat(64));
        let pinned = parse_image(&reference).unwrap();
        assert!(pinned.digest.is_some() && !pinned.floats_on_latest());
        assert!(parse_image("node:$NODE_VERSION").is_none());
        assert!(parse_image("${{ matrix.image }}").is_none());
        assert!(parse_image("<< parameters.image >>").is_none());
        assert_eq!(
            parse_image("$CI_REGISTRY/app:1.2").unwrap().tag,
            Some("1.2"),
            "a computed registry does not hide the tag"
        );
    }

    #[test]
    fn commands_split_on_separators_outside_quotes() {
        let script =
            "echo 'a && b' && curl -fsSL https://x.sh | sh # run it\nmake \\\n  test; ls 2>&1 >/dev/null";
        let found: Vec<(usize, String)> = commands(script);
        assert_eq!(
            found,
            vec![
                (0, "echo 'a && b'".to_owned()),
                (0, "curl -fsSL https://x.sh".to_owned()),
                (0, "| sh".to_owned()),
                (1, "make    test".to_owned()),
                (1, "ls 2>&1 >/dev/null".to_owned()),
            ]
        );
        assert_eq!(
            words("FOO=1 sudo -E bash -s -- x"),
            ["FOO=1", "sudo", "-E", "bash", "-s", "--", "x"]
        );
        assert_eq!(
            program(&words("FOO=1 sudo -E bash -s")).map(|p| p.1),
            Some("bash")
        );
        assert_eq!(program(&words("| /bin/sh")).map(|p| p.1), Some("sh"));
        assert_eq!(commands("curl x |sh")[1].1, "| sh");
    }

    #[test]
    fn workspace_code() {
        for command in [
            "./build.sh",
            "bash scripts/test.sh",
            "npm ci",
            "make",
            "python setup.py test",
            "go test ./...",
        ] {
            assert!(runs_workspace_code(command).is_some(), "{command}");
        }
        for command in [
            "echo hi",
            "cat pr.txt",
            "gh pr comment 1 --body x",
            "bash -c 'echo hi'",
            "unzip pr.zip",
        ] {
            assert!(runs_workspace_code(command).is_none(), "{command}");
        }
    }
}
