//! Fixture ladder for `github/actions-workflow`.

mod common;

use std::time::{Duration, Instant};

use common::{jobs, run_extractor, single_asset};
use serde_json::{Value, json};
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::github_workflow::GithubWorkflow;

const PATH: &str = ".github/workflows/ci.yml";

fn workflow(text: &str) -> Asset {
    single_asset(&GithubWorkflow, PATH, text)
}

const ONE_JOB: &str = "\
name: CI
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Test
        run: |
          cargo test --locked
        env:
          CARGO_REGISTRY_TOKEN: ${{ secrets.CARGO_TOKEN }}
";

#[test]
fn claims_yaml_files_directly_in_a_workflows_directory() {
    for path in [
        ".github/workflows/ci.yml",
        ".github/workflows/release.yaml",
        "tools/x/.github/workflows/a.yml",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(GithubWorkflow.claims(path, name), "{path}");
    }
    for path in [
        ".github/workflows/sub/ci.yml",
        ".github/ci.yml",
        "workflows/ci.yml",
        "my.github/workflows/ci.yml",
        ".github/workflows/README.md",
        ".github/workflows/ci.yml.bak",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(!GithubWorkflow.claims(path, name), "{path}");
    }
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &GithubWorkflow,
        &[(PATH, "name: CI\non: push\njobs: [unclosed\n")],
    )
    .unwrap_err();
    assert_eq!(error.path, PATH);
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(matches!(error.line, Some(3 | 4)), "{error}");

    let error =
        run_extractor(&GithubWorkflow, &[(PATH, "# a list, not a workflow\n- a\n- b\n")]).unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(error.message.contains("not a mapping"), "{error}");

    let error = run_extractor(&GithubWorkflow, &[(PATH, "just some text\n")]).unwrap_err();
    assert_eq!(error.line, Some(1), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_pipeline() {
    for text in ["", "# nothing here yet\n", "---\n", "---\n...\n"] {
        let out = run_extractor(&GithubWorkflow, &[(PATH, text)]).unwrap();
        assert!(out.assets.is_empty() && out.diagnostics.is_empty(), "{text:?}");
    }
}

#[test]
fn a_mapping_without_on_or_jobs_is_a_pipeline_with_warnings() {
    let out = run_extractor(&GithubWorkflow, &[(PATH, "name: Draft\n")]).unwrap();
    let asset = &out.assets[0];
    assert_eq!(asset.attributes["triggers"], json!([]));
    assert_eq!(asset.attributes["jobs"], json!([]));
    assert_eq!(out.diagnostics.len(), 2);
    assert!(out.diagnostics.iter().all(|d| d.line == Some(1)));
}

#[test]
fn one_job() {
    let asset = workflow(ONE_JOB);
    assert_eq!(asset.kind, AssetKind::Pipeline);
    assert_eq!(asset.id.as_str(), "pipeline:.github/workflows/ci.yml");
    assert_eq!(asset.name, "CI");
    assert_eq!(asset.evidence[0].location(), ".github/workflows/ci.yml:1");
    let expected = json!({
        "platform": "github-actions",
        "triggers": ["pull_request", "push"],
        "permissions": {"contents": "read"},
        "jobs": [{
            "id": "test",
            "line": 9,
            "runs_on": "ubuntu-latest",
            "permissions": null,
            "steps": [
                {"line": 12, "uses": "actions/checkout@v4", "uses_line": 12, "with": {}, "with_lines": {}, "env": {}},
                {
                    "name": "Test", "line": 13, "run": "cargo test --locked\n", "run_line": 14,
                    "with": {}, "with_lines": {}, "env": {"CARGO_REGISTRY_TOKEN": "${{ secrets.CARGO_TOKEN }}"},
                    "env_lines": {"CARGO_REGISTRY_TOKEN": 17}
                }
            ]
        }],
        "secrets": ["CARGO_TOKEN"]
    });
    assert_eq!(serde_json::to_value(&asset.attributes).unwrap(), expected);
    let lines: Vec<_> = asset
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        lines,
        [
            ("on", 2),
            ("permissions", 6),
            ("triggers.pull_request", 5),
            ("triggers.push", 3)
        ]
    );
}

#[test]
fn two_jobs_keep_file_order() {
    let text = "\
on: push
jobs:
  lint:
    name: Lint
    runs-on: [self-hosted, linux]
    steps:
      - run: make lint
  build:
    needs: lint
    if: github.ref == 'refs/heads/main'
    runs-on:
      group: large-runners
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
          persist-credentials: false
          lfs: yes
";
    let asset = workflow(text);
    assert_eq!(asset.name, "ci.yml", "no `name:`: the file name");
    assert_eq!(asset.evidence[0].line, Some(1));
    assert_eq!(asset.attributes["permissions"], Value::Null);
    assert!(!asset.attribute_lines.contains_key("permissions"));
    let jobs = jobs(&asset);
    assert_eq!(jobs.len(), 2);
    assert_eq!(
        jobs[0],
        json!({
            "id": "lint", "name": "Lint", "line": 3, "runs_on": ["self-hosted", "linux"], "permissions": null,
            "steps": [{"line": 7, "run": "make lint", "run_line": 7, "with": {}, "with_lines": {}, "env": {}}]
        })
    );
    assert_eq!(jobs[1]["id"], "build");
    assert_eq!(jobs[1]["line"], 8);
    assert_eq!(jobs[1]["if"], "github.ref == 'refs/heads/main'");
    assert_eq!(jobs[1]["runs_on"], json!({"group": "large-runners"}));
    // YAML 1.2: numbers and booleans are typed, `yes` stays a string.
    assert_eq!(
        jobs[1]["steps"][0]["with"],
        json!({"fetch-depth": 0, "persist-credentials": false, "lfs": "yes"})
    );
    assert_eq!(
        jobs[1]["steps"][0]["with_lines"],
        json!({"fetch-depth": 17, "persist-credentials": 18, "lfs": 19})
    );
}

#[test]
fn every_shape_of_on() {
    let cases = [
        ("on: push\njobs: {}\n", json!(["push"])),
        (
            "on: [push, pull_request, push]\njobs: {}\n",
            json!(["pull_request", "push"]),
        ),
        (
            "on:\n  workflow_dispatch:\n  schedule:\n    - cron: '0 3 * * *'\njobs: {}\n",
            json!(["schedule", "workflow_dispatch"]),
        ),
        (
            "\"on\": {release: {types: [published]}}\njobs: {}\n",
            json!(["release"]),
        ),
        (
            "on:\n  - issue_comment\n  - issues\njobs: {}\n",
            json!(["issue_comment", "issues"]),
        ),
    ];
    for (text, expected) in cases {
        let asset = workflow(text);
        assert_eq!(asset.attributes["triggers"], expected, "{text}");
        assert_eq!(asset.attribute_lines.get("on"), Some(&1), "{text}");
    }
    // The on: key is on line 3 here.
    let asset = workflow("# comment\nname: x\non: push\njobs: {}\n");
    assert_eq!(asset.attribute_lines["on"], 3);
    assert_eq!(asset.evidence[0].line, Some(2), "evidence points at `name:`");
}

#[test]
fn pull_request_target_checking_out_the_head_sha() {
    let text = "\
name: PR checks
on:
  pull_request_target:
    types: [opened, synchronize]
permissions: write-all
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - name: Checkout PR head
        uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
";
    let asset = workflow(text);
    assert_eq!(asset.attributes["triggers"], json!(["pull_request_target"]));
    assert_eq!(asset.attributes["permissions"], "write-all");
    assert_eq!(asset.attribute_lines["permissions"], 5);
    let step = &jobs(&asset)[0]["steps"][0];
    assert_eq!(
        *step,
        json!({
            "name": "Checkout PR head", "line": 10, "uses": "actions/checkout@v4", "uses_line": 11,
            "with": {"ref": "${{ github.event.pull_request.head.sha }}"}, "with_lines": {"ref": 13}, "env": {}
        })
    );
    assert_eq!(jobs(&asset)[0]["steps"][1]["run_line"], 14);
}

#[test]
fn sha_pinned_and_tag_pinned_actions() {
    let text = "\
on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1
      - uses: softprops/action-gh-release@v1
      - uses: ./.github/actions/local
      - uses: docker://alpine:3.19
";
    let asset = workflow(text);
    let uses: Vec<_> = jobs(&asset)[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["uses"].as_str().unwrap().to_owned(),
                s["uses_line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        uses,
        [
            (
                "actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11".to_owned(),
                6
            ),
            ("softprops/action-gh-release@v1".to_owned(), 7),
            ("./.github/actions/local".to_owned(), 8),
            ("docker://alpine:3.19".to_owned(), 9),
        ]
    );
}

#[test]
fn reusable_workflow_job() {
    let text = "\
on:
  push:
    tags: ['v*']
jobs:
  deploy:
    permissions:
      id-token: write
      contents: read
    uses: acme/platform/.github/workflows/deploy.yml@main
    with:
      environment: production
    secrets: inherit
";
    let asset = workflow(text);
    assert_eq!(
        jobs(&asset)[0],
        json!({
            "id": "deploy", "line": 5, "runs_on": null,
            "permissions": {"id-token": "write", "contents": "read"},
            "uses": "acme/platform/.github/workflows/deploy.yml@main", "uses_line": 9,
            "secrets": "inherit", "secrets_line": 12,
            "steps": []
        })
    );
    assert_eq!(
        asset.attributes["secrets"],
        json!([]),
        "`secrets: inherit` names no secret"
    );
}

#[test]
fn environment_containers_and_trigger_lines() {
    let text = "\
on:
  - pull_request
  - issue_comment
env:
  ACTIONS_ALLOW_UNSECURE_COMMANDS: true
  NODE_OPTIONS: --max-old-space-size=4096
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      CI: 1
    container:
      image: node:20@sha256:0123
      options: --cpus 2
    services:
      db:
        image: postgres:16
      cache: redis:7
      broken: {ports: [6379]}
    steps:
      - run: make
  short:
    runs-on: ubuntu-latest
    container: ${{ matrix.image }}
    env: ${{ fromJSON(inputs.env) }}
    steps: []
  call:
    uses: acme/ci/.github/workflows/build.yml@v1
    secrets:
      token: ${{ secrets.NPM_TOKEN }}
";
    let asset = workflow(text);
    assert_eq!(
        asset.attributes["env"],
        json!({"ACTIONS_ALLOW_UNSECURE_COMMANDS": true, "NODE_OPTIONS": "--max-old-space-size=4096"})
    );
    assert_eq!(asset.attribute_lines["env.ACTIONS_ALLOW_UNSECURE_COMMANDS"], 5);
    assert_eq!(asset.attribute_lines["triggers.pull_request"], 2);
    assert_eq!(asset.attribute_lines["triggers.issue_comment"], 3);
    let jobs = jobs(&asset);
    assert_eq!(jobs[0]["env"], json!({"CI": 1}));
    assert_eq!(jobs[0]["env_lines"], json!({"CI": 11}));
    assert_eq!(jobs[0]["container"], "node:20@sha256:0123");
    assert_eq!(jobs[0]["container_line"], 13);
    assert_eq!(
        jobs[0]["services"],
        json!({"db": "postgres:16", "cache": "redis:7"})
    );
    assert_eq!(jobs[0]["services_lines"], json!({"db": 17, "cache": 18}));
    assert!(
        jobs[0]["steps"][0].get("env_lines").is_none(),
        "no env, no env_lines"
    );
    assert_eq!(jobs[1]["container"], "${{ matrix.image }}");
    assert_eq!(jobs[1]["container_line"], 24);
    assert!(jobs[1].get("env").is_none(), "an expression names no variable");
    assert_eq!(jobs[2]["secrets"], json!({"token": "${{ secrets.NPM_TOKEN }}"}));
    assert_eq!(jobs[2]["secrets_line"], 29);

    let plain = workflow("on: push\njobs: {}\n");
    assert!(
        !plain.attributes.contains_key("env"),
        "no workflow env, no attribute"
    );
}

#[test]
fn permission_forms() {
    let cases = [
        ("permissions: read-all\n", json!("read-all"), Some(3)),
        ("permissions: write-all\n", json!("write-all"), Some(3)),
        ("permissions: {}\n", json!({}), Some(3)),
        (
            "permissions:\n  contents: write\n  pull-requests: write\n",
            json!({"contents": "write", "pull-requests": "write"}),
            Some(3),
        ),
        ("", Value::Null, None),
    ];
    for (permissions, expected, line) in cases {
        let text = format!(
            "name: p\non: push\n{permissions}jobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: read-all\n    steps: []\n"
        );
        let asset = workflow(&text);
        assert_eq!(asset.attributes["permissions"], expected, "{permissions}");
        assert_eq!(
            asset.attribute_lines.get("permissions").copied(),
            line,
            "{permissions}"
        );
        assert_eq!(jobs(&asset)[0]["permissions"], "read-all");
    }
}

#[test]
fn secrets_in_every_notation_are_collected() {
    let text = "\
on: push
env:
  A: ${{ secrets.AWS_ACCESS_KEY_ID }}
  B: ${{ secrets['AWS_SECRET_ACCESS_KEY'] }}
  C: ${{ secrets[ \"NPM_TOKEN\" ] }}
  D: ${{ secrets.GITHUB_TOKEN }} ${{ secrets.AWS_ACCESS_KEY_ID }}
  E: ${{ SECRETS.Mixed_Case }}
  F: ${{ inputs.secrets.NOT_A_SECRET }} mysecrets.NOPE ${{ secrets }} secrets[
jobs:
  a:
    uses: o/r/.github/workflows/w.yml@v1
    secrets: inherit
";
    let asset = workflow(text);
    assert_eq!(
        asset.attributes["secrets"],
        json!([
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "Mixed_Case",
            "NPM_TOKEN"
        ])
    );
}

#[test]
fn a_yaml_alias_bomb_fails_fast() {
    let mut text =
        String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for level in 1..=9 {
        let refs = vec![format!("*a{}", level - 1); 9].join(",");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    text.push_str("on: push\njobs: {}\n");
    let started = Instant::now();
    let result = run_extractor(&GithubWorkflow, &[(PATH, &text)]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let error = result.unwrap_err();
    assert!(error.message.starts_with("invalid YAML"), "{error}");
}

#[test]
fn malformed_jobs_and_steps_are_warnings() {
    let text = "\
on: push
jobs:
  broken: 42
  ok:
    runs-on: ubuntu-latest
    steps:
      - just a string
      - run: echo hi
        with: not-a-map
";
    let out = run_extractor(&GithubWorkflow, &[(PATH, text)]).unwrap();
    let asset = &out.assets[0];
    assert_eq!(jobs(asset).len(), 1);
    assert_eq!(jobs(asset)[0]["steps"].as_array().unwrap().len(), 1);
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(3), Some(7), Some(9)]);
}

#[test]
fn hostile_input_does_not_panic() {
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    for text in [
        deep.as_str(),
        "on: push\njobs:\n  a:\n    steps: [[[]]]\n",
        "on: push\non: pull_request\n",
        "? [complex, key]\n: value\n",
        "on: !!binary aGVsbG8=\n",
        "\u{0}",
        "a: b\n---\nc: d\n",
    ] {
        let _ = run_extractor(&GithubWorkflow, &[(PATH, text)]);
    }
}

#[test]
fn non_finite_floats_are_kept_as_text() {
    let asset = workflow(
        "on: push\njobs:\n  a:\n    steps:\n      - uses: x/y@v1\n        with:\n          limit: .inf\n",
    );
    assert_eq!(jobs(&asset)[0]["steps"][0]["with"]["limit"], ".inf");
}
