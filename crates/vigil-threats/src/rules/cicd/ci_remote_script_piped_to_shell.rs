//! `ci-remote-script-piped-to-shell`: a pipeline downloads a script and runs it in the same breath
//! (`curl ... | sh`), so whatever the server returns at that moment runs with the job's credentials.

use std::collections::BTreeMap;

use vigil_core::{Evidence, FindingKind, Objective, Stride};

use super::support::{commands, pipelines, program, run_steps, script_line, words};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct RemoteScriptPipedToShell;

/// Programs that fetch a URL.
const DOWNLOADERS: [&str; 6] = [
    "curl",
    "wget",
    "iwr",
    "invoke-webrequest",
    "irm",
    "invoke-restmethod",
];

/// Programs that run the code they read on standard input.
const INTERPRETERS: [&str; 16] = [
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "ash",
    "python",
    "python3",
    "perl",
    "ruby",
    "node",
    "php",
    "pwsh",
    "powershell",
    "iex",
    "invoke-expression",
];

static META: RuleMeta = RuleMeta {
    id: "ci-remote-script-piped-to-shell",
    title: "Pipeline runs a script straight from the network",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering, Stride::ElevationOfPrivilege],
    cwe: &["CWE-494", "CWE-829"],
    capec: &["CAPEC-184"],
    attack: &["T1195.001"],
    likelihood: 3,
    impact: 8,
    what: "A script step of any CI platform that pipes a download into an interpreter (`curl -sSL URL | sh`, \
           `wget -qO- URL | sudo bash`, `iwr URL | iex`), or runs one through process or command substitution \
           (`bash <(curl URL)`, `sh -c \"$(curl URL)\"`, `eval \"$(wget -O- URL)\"`). An interpreter given its \
           own program (`| python3 -c '...'`, `| jq`) reads the download as data and is not reported. No \
           Checkov equivalent (CKV_GHA_3, CKV_GITLABCI_1 and CKV_CIRCLECIPIPELINES_7 look at `curl` sending \
           variables out, not at code coming in).",
    why: "Nothing checks what is executed: whoever controls the server, the domain, a CDN cache or (over \
          `http://`) the network path runs code in the build with its secrets, its token and write access to \
          the artifacts it produces. The script can change between two runs, so a review of it proves nothing \
          about the next build (the Codecov bash uploader was replaced this way in 2021 and harvested CI \
          secrets for two months).",
    example: "- run: curl -fsSL https://get.example.sh | bash",
    remediation: "Download to a file, verify its checksum or signature, then run it; better, use a pinned package or action.",
    fix: &[
        "Replace the pipe by a download to a file (`curl -fsSLo install.sh URL`), a checksum check against a value committed in the repository (`echo \"<sha256>  install.sh\" | sha256sum -c -`), then `bash install.sh`.",
        "Prefer a versioned release artifact with a published checksum or signature (cosign, GPG) over an installer that always serves the latest script.",
        "Where a maintained, SHA-pinned action or package provides the tool, use it instead.",
    ],
    verify: &[
        "No script in the pipeline pipes `curl`/`wget` output into a shell: `grep -nE '(curl|wget)[^|]*\\|\\s*(sudo\\s+)?(ba|z|da)?sh' <pipeline file>` prints nothing.",
    ],
    mitigated_by: &[],
    false_positives: "Installers from vendors the build already trusts (rustup, Homebrew) over HTTPS are a smaller risk than arbitrary hosts, but the script is still unverified and can change between runs; pin a version and check its checksum. Commands inside heredocs or strings that are never executed can be misread as scripts.",
    references: &[
        "https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies",
        "https://about.codecov.io/security-update/",
        "https://cwe.mitre.org/data/definitions/494.html",
    ],
    compliance: &[
        (Objective::PciDss4, "6.3.2"),
        (Objective::Soc2, "CC8.1"),
        (Objective::Soc2, "CC9.2"),
        (Objective::OwaspAsvs, "V10.3.2"),
    ],
};

impl Rule for RemoteScriptPipedToShell {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in pipelines(ctx) {
            // One finding per source per pipeline: a GitLab default `before_script` repeats in every job.
            let mut found: BTreeMap<String, (Vec<String>, Vec<Evidence>, String)> = BTreeMap::new();
            for run in run_steps(pipeline) {
                for (offset, command, source) in piped_downloads(run.script) {
                    let line = script_line(pipeline, &run, offset);
                    let (jobs, evidence, _) = found
                        .entry(source)
                        .or_insert_with(|| (Vec::new(), Vec::new(), command.clone()));
                    if !jobs.iter().any(|j| j == run.job_id) {
                        jobs.push(run.job_id.to_owned());
                    }
                    if !evidence.iter().any(|e| e.line == line) {
                        evidence.push(Evidence::at(pipeline.path(), line).with_note(command));
                    }
                }
            }
            for (source, (jobs, evidence, command)) in found {
                let jobs: Vec<String> = jobs.iter().map(|j| format!("`{j}`")).collect();
                let mut hit = Hit::new(
                    format!("{}:{source}", pipeline.id),
                    format!(
                        "{}: {source} is downloaded and executed unverified",
                        pipeline.name
                    ),
                    format!("job(s) {} run `{command}`", jobs.join(", ")),
                    vec![pipeline.id.clone()],
                    evidence,
                );
                if source.starts_with("http://") {
                    hit.likelihood = Some((
                        6,
                        "fetched over plain HTTP: anyone on the network path can replace the script".into(),
                    ));
                }
                hits.push(hit);
            }
        }
        hits
    }
}

/// Downloads run as code in a script: (line offset, the command as written, the URL or the download
/// command when no URL is literal).
fn piped_downloads(script: &str) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    let all = commands(script);
    let mut pipeline_download: Option<(usize, String)> = None;
    for (offset, command) in &all {
        let piped = command.starts_with("| ");
        if !piped {
            pipeline_download = None;
        }
        let words = words(command);
        let Some((at, name)) = program(&words) else {
            continue;
        };
        let name = name.to_ascii_lowercase();
        if DOWNLOADERS.contains(&name.as_str()) {
            pipeline_download = Some((*offset, command.clone()));
            continue;
        }
        if piped
            && let Some((start, download)) = &pipeline_download
            && INTERPRETERS.contains(&name.as_str())
            && reads_program_from_stdin(&name, &words[at + 1..])
        {
            out.push((*start, format!("{download} {command}"), source(download)));
            pipeline_download = None;
            continue;
        }
        if let Some(inner) = substituted_download(&name, command) {
            out.push((*offset, command.clone(), source(&inner)));
        }
    }
    out
}

/// Whether an interpreter, given these arguments, runs what it reads on standard input: `sh`, `bash -s --
/// args`, `python3 -`, `iex`; not `python3 -c '...'`, `perl -ne '...'`, `bash script.sh`.
fn reads_program_from_stdin(name: &str, args: &[String]) -> bool {
    // The short flags after which the program is an argument rather than standard input.
    let program_flags: &[char] = match name {
        "iex" | "invoke-expression" => return true,
        "python" | "python3" => &['c', 'm'],
        "perl" | "ruby" => &['e', 'E'],
        "node" => &['e', 'p'],
        "php" => &['r'],
        "pwsh" | "powershell" => &['c', 'f', 'e'],
        _ => &['c'],
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-" | "-s" => return true,
            // End of options: what follows is a script file, or nothing (standard input).
            "--" => return args.next().is_none(),
            a if a.starts_with("--") => {}
            a if a.starts_with('-') => {
                if a.trim_start_matches('-')
                    .chars()
                    .any(|c| program_flags.contains(&c))
                {
                    return false;
                }
            }
            _ => return false, // a script file: standard input is data
        }
    }
    true
}

/// `bash <(curl URL)`, `sh -c "$(curl URL)"`, `eval "$(wget -O- URL)"`: the download inside, if any.
fn substituted_download(name: &str, command: &str) -> Option<String> {
    if !(INTERPRETERS.contains(&name) || matches!(name, "eval" | "source" | ".")) {
        return None;
    }
    for opener in ["<(", "$("] {
        let mut rest = command;
        while let Some(at) = rest.find(opener) {
            let inner = &rest[at + 2..];
            let end = inner.find(')').unwrap_or(inner.len());
            let inside = inner[..end].trim();
            let first = inside
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if DOWNLOADERS.contains(&first.as_str()) {
                return Some(inside.to_owned());
            }
            rest = &inner[end..];
        }
    }
    None
}

/// What a download command fetches: its `http(s)://` URL, else its first argument that names a host or
/// path (`iwr -useb get.scoop.sh`), else the command itself.
fn source(download: &str) -> String {
    let words = words(download);
    if let Some(url) = words
        .iter()
        .find(|w| w.starts_with("https://") || w.starts_with("http://"))
    {
        return url.clone();
    }
    words
        .iter()
        .skip(1)
        .find(|w| !w.starts_with('-') && (w.contains('.') || w.contains('/')) && !w.contains('$'))
        .cloned()
        .unwrap_or_else(|| download.to_owned())
}

#[cfg(test)]
mod tests {
    use super::piped_downloads;

    fn sources(script: &str) -> Vec<String> {
        piped_downloads(script).into_iter().map(|(_, _, s)| s).collect()
    }

    #[test]
    fn pipes_and_substitutions_into_interpreters() {
        assert_eq!(sources("curl -fsSL https://a.sh | sh"), ["https://a.sh"]);
        assert_eq!(
            sources("wget -qO- 'http://b.sh' | sudo -E bash -s -- --yes"),
            ["http://b.sh"]
        );
        assert_eq!(
            sources("curl -s https://c.sh | tee c.sh | bash"),
            ["https://c.sh"]
        );
        assert_eq!(sources("bash <(curl -s https://d.sh)"), ["https://d.sh"]);
        assert_eq!(sources("sh -c \"$(curl -fsSL https://e.sh)\""), ["https://e.sh"]);
        assert_eq!(
            sources("iwr https://f.ps1 -UseBasicParsing | iex"),
            ["https://f.ps1"]
        );
        assert_eq!(sources("echo a\ncurl $URL | sh"), ["curl $URL"]);
        assert_eq!(sources("curl -s https://g.sh | bash -eux"), ["https://g.sh"]);
    }

    #[test]
    fn data_is_not_code() {
        for script in [
            "curl -s https://api/x | python3 -c 'import json,sys; print(json.load(sys.stdin))'",
            "curl -s https://api/x | jq .tag_name",
            "curl -fsSLo install.sh https://a.sh && sha256sum -c sums && sh install.sh",
            "curl https://a | bash script.sh",
            "echo 'curl https://a | sh'",
            "curl -s https://api/x | perl -ne 'print'",
            "curl -s https://api/x | bash -c 'cat > x'",
        ] {
            assert!(piped_downloads(script).is_empty(), "{script}");
        }
    }
}
