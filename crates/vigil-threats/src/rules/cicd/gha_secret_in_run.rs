//! `gha-secret-in-run-command`: a secret expanded with `${{ secrets.X }}` into the text of a shell script.

use vigil_core::{Evidence, FindingKind, Objective, Stride};

use super::support::{commands, program, run_steps, script_line, words, workflows};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct SecretInRunCommand;

static META: RuleMeta = RuleMeta {
    id: "gha-secret-in-run-command",
    title: "Secret is written into a workflow's shell script",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::InformationDisclosure],
    cwe: &["CWE-214", "CWE-532"],
    capec: &["CAPEC-37"],
    attack: &["T1552"],
    likelihood: 3,
    impact: 6,
    what: "A `run:` script of a GitHub Actions step containing `${{ secrets.NAME }}` (or `secrets['NAME']`). \
           Secrets passed through the step's `env:` and used as `\"$NAME\"` are not reported. No Checkov \
           equivalent (CKV_GHA_3 only looks for `curl` on a line mentioning a secret).",
    why: "`${{ }}` is substituted before the shell starts: the secret's value is written into the script file \
          on the runner's disk, and becomes part of the command line of the programs it is passed to, where any \
          process of the runner can read it (`ps`, `/proc/*/cmdline`, audit logs) and where log masking fails \
          as soon as a tool echoes a transformed copy. A value with quotes or `$(...)` is also parsed as shell \
          code. GitHub's guidance is to pass secrets through environment variables or standard input.",
    example: "- run: curl -H \"Authorization: Bearer ${{ secrets.API_TOKEN }}\" https://api.example.com/deploy",
    remediation: "Pass the secret through `env:` and reference the variable, or feed it on standard input.",
    fix: &[
        "Add `env: API_TOKEN: ${{ secrets.API_TOKEN }}` to the step and use `\"$API_TOKEN\"` in the script.",
        "For tools that accept it, read the secret from standard input or a file (`docker login --password-stdin`, `curl -H @header-file`) rather than an argument.",
        "Rotate the secret if the workflow ran on shared or self-hosted runners where other processes could read command lines.",
    ],
    verify: &[
        "`grep -n 'secrets\\.' .github/workflows/*.yml` shows secrets only under `env:` or `with:`, never inside `run:`.",
    ],
    mitigated_by: &[],
    false_positives: "A secret assigned to a shell variable and passed on standard input (`echo \"${{ secrets.X }}\" | tool --password-stdin`) never reaches a command line, but it is still written into the script file and parsed by the shell; moving it to `env:` costs nothing.",
    references: &[
        "https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#using-secrets-in-a-workflow",
        "https://cwe.mitre.org/data/definitions/214.html",
    ],
    compliance: &[(Objective::PciDss4, "8.6.3"), (Objective::Soc2, "CC6.1")],
};

impl Rule for SecretInRunCommand {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for pipeline in workflows(ctx) {
            for run in run_steps(pipeline) {
                for secret in inline_secrets(run.script) {
                    let offset = run
                        .script
                        .lines()
                        .position(|l| inline_secrets(l).contains(&secret))
                        .unwrap_or_default();
                    let line = script_line(pipeline, &run, offset);
                    let mut hit = Hit::new(
                        format!("{}:{}:{secret}", pipeline.id, run.job_id),
                        format!(
                            "{}: job `{}` writes secrets.{secret} into a shell command",
                            pipeline.name, run.job_id
                        ),
                        format!(
                            "`${{{{ secrets.{secret} }}}}` is substituted into the `run:` script of step {} before the shell runs it",
                            run.position
                        ),
                        vec![pipeline.id.clone()],
                        vec![
                            Evidence::at(pipeline.path(), line)
                                .with_note(format!("secrets.{secret} in run:")),
                        ],
                    );
                    if only_on_stdin(run.script, &secret) {
                        hit.likelihood = Some((
                            2,
                            "the value is echoed into a pipe: it reaches the tool on standard input, not a command line, but is still written into the script".into(),
                        ));
                    }
                    hits.push(hit);
                }
            }
        }
        hits
    }
}

/// Whether every command that expands the secret is an `echo`/`printf` piped into another command
/// (`echo "${{ secrets.X }}" | docker login --password-stdin`).
fn only_on_stdin(script: &str, secret: &str) -> bool {
    let commands = commands(script);
    let mut uses = commands
        .iter()
        .enumerate()
        .filter(|(_, (_, command))| inline_secrets(command).iter().any(|s| s == secret))
        .peekable();
    uses.peek().is_some()
        && uses.all(|(index, (_, command))| {
            let echoes = program(&words(command)).is_some_and(|(_, p)| p == "echo" || p == "printf");
            let piped = commands
                .get(index + 1)
                .is_some_and(|(_, next)| next.starts_with("| "));
            echoes && piped
        })
}

/// Names of secrets referenced inside `${{ }}` expressions of a script, once each, in order.
fn inline_secrets(script: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = script;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        for name in secret_names(&after[..end]) {
            if !found.contains(&name) {
                found.push(name);
            }
        }
        rest = &after[end + 2..];
    }
    found
}

/// `secrets.NAME` and `secrets['NAME']` in one expression (contexts are case-insensitive).
fn secret_names(expression: &str) -> Vec<String> {
    let lower = expression.to_ascii_lowercase();
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut names = Vec::new();
    for (at, _) in lower.match_indices("secrets") {
        if lower[..at]
            .chars()
            .next_back()
            .is_some_and(|c| is_name(c) || c == '.')
        {
            continue;
        }
        let rest = &expression[at + "secrets".len()..];
        let name = if let Some(after) = rest.strip_prefix('.') {
            after.split(|c: char| !is_name(c)).next().unwrap_or_default()
        } else if let Some(inside) = rest.strip_prefix('[') {
            inside
                .trim_start()
                .trim_start_matches(['\'', '"'])
                .split(|c: char| !is_name(c))
                .next()
                .unwrap_or_default()
        } else {
            ""
        };
        if !name.is_empty() {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::{inline_secrets, only_on_stdin};

    #[test]
    fn secrets_inside_expressions_only() {
        let script = "curl -u ${{ secrets.USER }}:${{ secrets['API_TOKEN'] }} x\necho $SECRETS_DIR ${{ env.secrets }} ${{ github.token }} ${{ secrets.USER }}";
        assert_eq!(inline_secrets(script), vec!["USER", "API_TOKEN"]);
        assert!(inline_secrets("echo \"$API_TOKEN\" | docker login --password-stdin").is_empty());
    }

    #[test]
    fn standard_input_only() {
        let piped = "echo \"${{ secrets.T }}\" | docker login -u x --password-stdin";
        assert!(only_on_stdin(piped, "T"));
        assert!(!only_on_stdin(
            &format!("{piped}\ncurl -u ${{{{ secrets.T }}}} x"),
            "T"
        ));
        assert!(!only_on_stdin("echo ${{ secrets.T }} > token.txt", "T"));
    }
}
