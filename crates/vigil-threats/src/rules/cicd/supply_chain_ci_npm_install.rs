//! `supply-chain-ci-npm-install`: a pipeline installs JavaScript dependencies with `npm install`, which
//! resolves versions at build time, instead of `npm ci`, which installs exactly what the lockfile says.

use vigil_core::{AssetKind, Ecosystem, Evidence, FindingKind, Objective, Stride};

use super::support::{commands, pipelines, program, run_steps, script_line, words};
use crate::rule::{Context, Hit, Rule, RuleMeta};

#[derive(Debug)]
pub struct CiNpmInstall;

/// npm options that take a value as the next word (`--prefix dir`), which is then not a package name.
const VALUE_OPTIONS: [&str; 12] = [
    "--prefix",
    "-C",
    "--registry",
    "--cache",
    "--loglevel",
    "--workspace",
    "-w",
    "--omit",
    "--include",
    "--install-strategy",
    "--userconfig",
    "--tag",
];

static META: RuleMeta = RuleMeta {
    id: "supply-chain-ci-npm-install",
    title: "CI installs npm dependencies without enforcing the lockfile",
    kind: FindingKind::Misconfiguration,
    stride: &[Stride::Tampering],
    cwe: &["CWE-1357", "CWE-494"],
    capec: &["CAPEC-538"],
    attack: &["T1195.001"],
    likelihood: 3,
    impact: 7,
    what: "A script step of any CI platform that runs `npm install` (or `npm i`) without package names, i.e. \
           installs the project's dependencies, rather than `npm ci`. `npm install <package>` (adding a tool) \
           is not reported. The detail says whether the repository has an npm lockfile. No Checkov equivalent \
           (OpenSSF Scorecard's Pinned-Dependencies check flags the same command).",
    why: "`npm install` treats `package.json` ranges as the truth: when they and the lockfile disagree it \
          resolves new versions and rewrites the lockfile, and without a lockfile it takes the newest matching \
          release of every package. A build can then pick up a just-published malicious version (as with \
          `ua-parser-js`, `coa` and `rc` in 2021) that nobody reviewed. `npm ci` installs exactly the lockfile's \
          versions and integrity hashes, and fails if they do not match `package.json`.",
    example: "script:\n  - npm install\n  - npm test",
    remediation: "Commit `package-lock.json` and install with `npm ci` in CI.",
    fix: &[
        "Generate and commit `package-lock.json` (`npm install --package-lock-only`) if the repository has none.",
        "Replace `npm install` by `npm ci` in every pipeline script.",
        "Consider `npm ci --ignore-scripts` (then `npm rebuild` for the few packages that need their install scripts) to keep dependency lifecycle scripts from running in CI.",
    ],
    verify: &[
        "`grep -rnE 'npm (install|i)( |$)' <pipeline files>` shows only installs of named packages; the pipeline passes with `npm ci`.",
    ],
    mitigated_by: &[],
    false_positives: "Jobs that deliberately test against the newest versions allowed by `package.json` (a scheduled canary build) need `npm install`; keep them away from secrets and releases.",
    references: &[
        "https://docs.npmjs.com/cli/commands/npm-ci",
        "https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies",
        "https://cwe.mitre.org/data/definitions/1357.html",
    ],
    compliance: &[(Objective::PciDss4, "6.3.2"), (Objective::Soc2, "CC8.1")],
};

impl Rule for CiNpmInstall {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        let lockfile = ctx
            .inventory
            .of_kind(AssetKind::Dependency)
            .filter(|d| d.attr_str("ecosystem") == Some(Ecosystem::Npm.osv_name()))
            .map(|d| d.path())
            .find(|p| p.ends_with("package-lock.json") || p.ends_with("npm-shrinkwrap.json"));
        let context = match lockfile {
            Some(path) => format!("{path} exists but is not enforced"),
            None => "no npm lockfile (package-lock.json) with dependencies was found, so every build resolves versions afresh".to_owned(),
        };
        let mut hits = Vec::new();
        for pipeline in pipelines(ctx) {
            // One finding per pipeline: a GitLab default `before_script` repeats in every job.
            let (mut jobs, mut evidence): (Vec<String>, Vec<Evidence>) = (Vec::new(), Vec::new());
            for run in run_steps(pipeline) {
                for (offset, command) in commands(run.script) {
                    if !installs_project(&command) {
                        continue;
                    }
                    let job = format!("`{}`", run.job_id);
                    if !jobs.contains(&job) {
                        jobs.push(job);
                    }
                    let line = script_line(pipeline, &run, offset);
                    if !evidence.iter().any(|e| e.line == line) {
                        evidence.push(Evidence::at(pipeline.path(), line).with_note(command));
                    }
                }
            }
            if jobs.is_empty() {
                continue;
            }
            hits.push(Hit::new(
                format!("{}:npm-install", pipeline.id),
                format!(
                    "{}: `npm install` instead of `npm ci` in job(s) {}",
                    pipeline.name,
                    jobs.join(", ")
                ),
                format!("`npm install` may resolve versions other than the lockfile's; {context}"),
                vec![pipeline.id.clone()],
                evidence,
            ));
        }
        hits
    }
}

/// `npm install` / `npm i` with options only: the project's own dependencies.
fn installs_project(command: &str) -> bool {
    let words = words(command);
    let Some((at, "npm")) = program(&words) else {
        return false;
    };
    let mut args = words[at + 1..].iter();
    // Options may come before the subcommand (`npm --prefix web install`).
    let mut subcommand = None;
    while let Some(word) = args.next() {
        if VALUE_OPTIONS.contains(&word.as_str()) {
            args.next();
        } else if !word.starts_with('-') {
            subcommand = Some(word.as_str());
            break;
        }
    }
    if !matches!(subcommand, Some("install" | "i" | "in" | "isntall" | "add")) {
        return false;
    }
    while let Some(word) = args.next() {
        if VALUE_OPTIONS.contains(&word.as_str()) {
            args.next();
        } else if !word.starts_with('-') && !word.starts_with('>') && !word.starts_with("2>") {
            return false; // a package name: adding a tool, not installing the project
        }
    }
    subcommand != Some("add")
}

#[cfg(test)]
mod tests {
    use super::installs_project;

    #[test]
    fn project_installs_only() {
        for command in [
            "npm install",
            "npm i",
            "npm install --no-audit --prefer-offline",
            "npm --prefix web install",
            "sudo npm i --prefix ./web",
        ] {
            assert!(installs_project(command), "{command}");
        }
        for command in [
            "npm ci",
            "npm install -g @angular/cli",
            "npm i left-pad@1.3.0",
            "npm run install",
            "echo npm install",
            "npx npm-install",
        ] {
            assert!(!installs_project(command), "{command}");
        }
    }
}
