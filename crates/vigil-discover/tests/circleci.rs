#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `circleci/config`.

mod common;

use std::time::{Duration, Instant};

use common::{job, jobs, named_uses as uses, run_extractor, single_asset};
use serde_json::json;
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::circleci::CircleCi;

const PATH: &str = ".circleci/config.yml";

fn pipeline(text: &str) -> Asset {
    single_asset(&CircleCi, PATH, text)
}

const ONE_JOB: &str = "\
version: 2.1
jobs:
  test:
    docker:
      - image: cimg/python:3.12
    steps:
      - checkout
      - run: pip install -r requirements.txt && pytest
workflows:
  main:
    jobs: [test]
";

#[test]
fn claims_the_config_in_a_circleci_directory() {
    for path in [".circleci/config.yml", "services/api/.circleci/config.yml"] {
        let name = path.rsplit('/').next().unwrap();
        assert!(CircleCi.claims(path, name), "{path}");
    }
    for path in [
        ".circleci/images.yml",
        "config.yml",
        "circleci/config.yml",
        ".circleci/config.yml.orig",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(!CircleCi.claims(path, name), "{path}");
    }
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(&CircleCi, &[(PATH, "version: 2.1\njobs: {test: [unclosed\n")]).unwrap_err();
    assert_eq!(error.path, PATH);
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(matches!(error.line, Some(2 | 3)), "{error}");

    let error = run_extractor(&CircleCi, &[(PATH, "# a list\n- build\n")]).unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(error.message.contains("not a CircleCI config"), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_pipeline() {
    for text in ["", "# nothing yet\n", "---\n"] {
        let out = run_extractor(&CircleCi, &[(PATH, text)]).unwrap();
        assert!(out.assets.is_empty() && out.diagnostics.is_empty(), "{text:?}");
    }
}

#[test]
fn a_config_without_jobs_is_a_pipeline_with_a_warning() {
    let out = run_extractor(&CircleCi, &[(PATH, "version: 2.1\n")]).unwrap();
    assert_eq!(out.assets[0].attributes["jobs"], json!([]));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(1));
}

#[test]
fn one_job() {
    let asset = pipeline(ONE_JOB);
    assert_eq!(asset.kind, AssetKind::Pipeline);
    assert_eq!(asset.id.as_str(), "pipeline:.circleci/config.yml");
    assert_eq!(asset.name, ".circleci/config.yml");
    assert_eq!(asset.evidence[0].location(), ".circleci/config.yml:1");
    let expected = json!({
        "platform": "circleci",
        "triggers": ["push"],
        "permissions": null,
        "jobs": [{
            "id": "test", "line": 3, "runs_on": "cimg/python:3.12", "permissions": null,
            "steps": [
                {"name": "image", "line": 5, "uses": "cimg/python:3.12", "uses_line": 5,
                 "with": {}, "with_lines": {}, "env": {}},
                {"name": "checkout", "line": 7, "with": {}, "with_lines": {}, "env": {}},
                {"line": 8, "run": "pip install -r requirements.txt && pytest", "run_line": 8,
                 "with": {}, "with_lines": {}, "env": {}}
            ]
        }],
        "secrets": [],
        "plaintext_secrets": []
    });
    assert_eq!(serde_json::to_value(&asset.attributes).unwrap(), expected);
}

#[test]
fn two_jobs_with_orbs_executors_and_contexts() {
    let text = "\
version: 2.1
orbs:
  node: circleci/node@5.1.0
  aws-cli: circleci/aws-cli@volatile
  local:
    commands:
      hello: {steps: [{run: echo hi}]}
executors:
  builder:
    docker:
      - image: cimg/base:2024.01
      - image: cimg/postgres:16.1
jobs:
  build:
    executor: builder
    environment:
      NODE_ENV: production
    steps:
      - checkout
      - node/install-packages:
          pkg-manager: npm
          cache-version: v2
      - run:
          name: Build
          command: |
            npm run build
            echo \"$NPM_TOKEN\" > .npmrc
          environment:
            FORCE_COLOR: \"1\"
  deploy:
    machine:
      image: ubuntu-2204:2024.01.1
    steps:
      - aws-cli/setup
      - run: aws s3 sync build/ s3://$DEPLOY_BUCKET
workflows:
  build-deploy:
    jobs:
      - build
      - hold:
          type: approval
          requires: [build]
      - deploy:
          context: [aws-prod, slack-secrets]
          requires: [hold]
          filters:
            branches:
              only: main
";
    let asset = pipeline(text);
    let first = job(&asset, "(pipeline)");
    assert_eq!(
        uses(first),
        [
            ("orb".to_owned(), "circleci/node@5.1.0".to_owned(), 3),
            ("orb".to_owned(), "circleci/aws-cli@volatile".to_owned(), 4),
            ("image".to_owned(), "cimg/base:2024.01".to_owned(), 11),
            ("service".to_owned(), "cimg/postgres:16.1".to_owned(), 12),
        ]
    );
    let build = job(&asset, "build");
    assert_eq!(build["line"], 14);
    assert_eq!(
        build["runs_on"], "cimg/base:2024.01",
        "resolved through the executor"
    );
    assert_eq!(
        build["steps"],
        json!([
            {"name": "checkout", "line": 19, "with": {}, "with_lines": {}, "env": {}},
            {"name": "node/install-packages", "line": 20, "with": {"pkg-manager": "npm", "cache-version": "v2"},
             "with_lines": {"pkg-manager": 21, "cache-version": 22}, "env": {}},
            {"name": "Build", "line": 23, "run": "npm run build\necho \"$NPM_TOKEN\" > .npmrc\n", "run_line": 25,
             "with": {}, "with_lines": {}, "env": {"NODE_ENV": "production", "FORCE_COLOR": "1"}}
        ])
    );
    assert!(build.get("contexts").is_none());
    let deploy = job(&asset, "deploy");
    assert_eq!(deploy["runs_on"], "ubuntu-2204:2024.01.1");
    assert_eq!(deploy["contexts"], json!(["aws-prod", "slack-secrets"]));
    assert_eq!(deploy["steps"][0]["name"], "aws-cli/setup");
    assert_eq!(asset.attributes["triggers"], json!(["manual", "push"]));
    assert_eq!(asset.attribute_lines["triggers.manual"], 41);
    assert_eq!(
        asset.attributes["secrets"],
        json!(["DEPLOY_BUCKET", "NPM_TOKEN", "aws-prod", "slack-secrets"])
    );
}

#[test]
fn commands_are_expanded_and_conditions_flattened() {
    let text = "\
version: 2.1
commands:
  publish:
    parameters:
      tag: {type: string}
    steps:
      - run: docker push app:<< parameters.tag >>
      - notify
  notify:
    steps:
      - run:
          command: curl -X POST $SLACK_WEBHOOK
  loop-a:
    steps: [loop-b]
  loop-b:
    steps: [loop-a]
jobs:
  release:
    docker:
      - image: cimg/base@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        auth:
          username: $DOCKERHUB_USER
          password: $DOCKERHUB_PASSWORD
    steps:
      - when:
          condition: << pipeline.git.tag >>
          steps:
            - publish: {tag: latest}
      - loop-a
";
    let out = run_extractor(&CircleCi, &[(PATH, text)]).unwrap();
    let asset = &out.assets[0];
    let release = job(asset, "release");
    let runs: Vec<_> = release["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some((s.get("run")?.as_str()?.to_owned(), s["run_line"].as_u64()?)))
        .collect();
    assert_eq!(
        runs,
        [
            ("docker push app:<< parameters.tag >>".to_owned(), 7),
            ("curl -X POST $SLACK_WEBHOOK".to_owned(), 12)
        ]
    );
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    assert!(out.diagnostics[0].message.contains("nests too deep"));
    assert_eq!(
        asset.attributes["secrets"],
        json!(["DOCKERHUB_PASSWORD", "DOCKERHUB_USER", "SLACK_WEBHOOK"])
    );
}

#[test]
fn scheduled_workflows_and_plaintext_secrets() {
    let text = "\
version: 2.1
jobs:
  nightly:
    docker:
      - image: cimg/base:current
    environment:
      GITHUB_TOKEN: ghp_abcdefghijklmnopqrstuvwxyz0123456789
      LOG_LEVEL: debug
    steps:
      - run:
          command: ./nightly.sh $LOG_LEVEL
          environment:
            SENTRY_AUTH_TOKEN: sntrys_0123456789abcdef
workflows:
  version: 2
  nightly:
    triggers:
      - schedule:
          cron: \"0 3 * * *\"
          filters: {branches: {only: [main]}}
    jobs: [nightly]
  scheduled-pipeline:
    when:
      equal: [scheduled_pipeline, << pipeline.trigger_source >>]
    jobs: [nightly]
";
    let asset = pipeline(text);
    assert_eq!(asset.attributes["triggers"], json!(["push", "schedule"]));
    assert_eq!(asset.attribute_lines["triggers.schedule"], 18);
    assert_eq!(
        asset.attributes["plaintext_secrets"],
        json!([{"name": "GITHUB_TOKEN", "line": 7}, {"name": "SENTRY_AUTH_TOKEN", "line": 13}])
    );
    assert_eq!(
        asset.attributes["secrets"],
        json!(["GITHUB_TOKEN", "SENTRY_AUTH_TOKEN"])
    );
    let env = &job(&asset, "nightly")["steps"][1]["env"];
    assert_eq!(
        *env,
        json!({"GITHUB_TOKEN": "[redacted]", "LOG_LEVEL": "debug", "SENTRY_AUTH_TOKEN": "[redacted]"})
    );
    assert!(!serde_json::to_string(&asset).unwrap().contains("ghp_"));

    let only_scheduled = pipeline(
        "version: 2.1\njobs:\n  a: {docker: [{image: x}], steps: [checkout]}\nworkflows:\n  w:\n    triggers:\n      - schedule: {cron: '0 0 * * *'}\n    jobs: [a]\n",
    );
    assert_eq!(only_scheduled.attributes["triggers"], json!(["schedule"]));
}

#[test]
fn malformed_jobs_and_steps_are_warnings() {
    let text = "\
version: 2.1
jobs:
  broken: 42
  ok:
    docker: [{image: alpine:3.19}]
    steps:
      - [not, a, step]
      - run: {name: no command}
      - run: echo fine
  bad-steps:
    steps: checkout
";
    let out = run_extractor(&CircleCi, &[(PATH, text)]).unwrap();
    let asset = &out.assets[0];
    assert_eq!(jobs(asset).len(), 2);
    assert_eq!(job(asset, "ok")["steps"].as_array().unwrap().len(), 2);
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(3), Some(7), Some(8), Some(11)]);
}

#[test]
fn a_yaml_alias_bomb_fails_fast() {
    let mut text =
        String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for level in 1..=9 {
        let refs = vec![format!("*a{}", level - 1); 9].join(",");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    text.push_str("version: 2.1\n");
    let started = Instant::now();
    let result = run_extractor(&CircleCi, &[(PATH, &text)]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(result.unwrap_err().message.starts_with("invalid YAML"));
}

#[test]
fn hostile_input_does_not_panic() {
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let mut fan_out = String::from("version: 2.1\ncommands:\n  c0: {steps: [{run: x}]}\n");
    for level in 1..=30 {
        fan_out.push_str(&format!(
            "  c{level}: {{steps: [c{p}, c{p}, c{p}]}}\n",
            p = level - 1
        ));
    }
    fan_out.push_str("jobs:\n  j: {steps: [c30]}\n");
    let wide = format!(
        "commands:\n  c0: {{steps: [{}]}}\n  c1: {{steps: [{}]}}\njobs:\n  j: {{steps: [c1]}}\n",
        vec!["{run: x}"; 1000].join(", "),
        vec!["c0"; 1000].join(", ")
    );
    let started = Instant::now();
    for text in [
        deep.as_str(),
        fan_out.as_str(),
        wide.as_str(),
        ONE_JOB.get(..50).unwrap(),
        "jobs:\n  a:\n    executor: {name: [1]}\n    docker: [{image: {}}]\n    steps: [{run: [1]}]\n",
        "executors: 3\norbs: [a]\nworkflows: {w: {jobs: [{a: {context: {}}}], triggers: 5}}\n",
        "jobs:\n  a: {executor: self}\nexecutors:\n  self: {executor: self}\n",
        "? [complex, key]\n: value\n",
        "\u{0}",
    ] {
        let _ = run_extractor(&CircleCi, &[(PATH, text)]);
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    let out = run_extractor(&CircleCi, &[(PATH, &wide)]).unwrap();
    assert_eq!(
        job(&out.assets[0], "j")["steps"].as_array().unwrap().len(),
        10_000
    );
    assert!(
        out.diagnostics[0].message.contains("over 10000 steps"),
        "{:?}",
        out.diagnostics
    );
}
