#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `gitlab/ci`.

mod common;

use std::time::{Duration, Instant};

use common::{job, jobs, named_uses as uses, run_extractor, single_asset};
use serde_json::{Value, json};
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::gitlab_ci::GitlabCi;

const PATH: &str = ".gitlab-ci.yml";

fn pipeline(text: &str) -> Asset {
    single_asset(&GitlabCi, PATH, text)
}

fn step<'a>(job: &'a Value, name: &str) -> &'a Value {
    job["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name}"))
}

const ONE_JOB: &str = "\
stages: [test]

unit-tests:
  stage: test
  image: node:20.11-alpine
  variables:
    NODE_ENV: test
  script:
    - npm ci
    - npm test -- --token \"$NPM_TOKEN\"
";

#[test]
fn claims_gitlab_ci_files_and_fragments() {
    for path in [
        ".gitlab-ci.yml",
        ".gitlab-ci.yaml",
        "services/api/.gitlab-ci.yml",
        "deploy.gitlab-ci.yml",
        ".gitlab/ci/build.yml",
        ".gitlab/ci/jobs/test.yaml",
        "templates/.gitlab/ci/lint.yml",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(GitlabCi.claims(path, name), "{path}");
    }
    for path in [
        "gitlab-ci.yml",
        ".gitlab-ci.yml.bak",
        ".gitlab/ci/README.md",
        ".gitlab/issue_templates/bug.yml",
        ".github/workflows/ci.yml",
        "my.gitlab/ci/x.yml",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(!GitlabCi.claims(path, name), "{path}");
    }
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(&GitlabCi, &[(PATH, "build:\n  script: [unclosed\n")]).unwrap_err();
    assert_eq!(error.path, PATH);
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(matches!(error.line, Some(2 | 3)), "{error}");

    let error = run_extractor(&GitlabCi, &[(PATH, "# a list\n- build\n- test\n")]).unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(error.message.contains("not a GitLab CI file"), "{error}");

    let error = run_extractor(&GitlabCi, &[(PATH, "just some text\n")]).unwrap_err();
    assert_eq!(error.line, Some(1), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_pipeline() {
    for text in ["", "# nothing yet\n", "---\n", "---\n...\n"] {
        let out = run_extractor(&GitlabCi, &[(PATH, text)]).unwrap();
        assert!(out.assets.is_empty() && out.diagnostics.is_empty(), "{text:?}");
    }
}

#[test]
fn a_mapping_without_jobs_is_a_pipeline_with_a_warning() {
    let out = run_extractor(
        &GitlabCi,
        &[(PATH, "# settings only\nvariables:\n  GIT_DEPTH: 10\n")],
    )
    .unwrap();
    let asset = &out.assets[0];
    assert_eq!(asset.attributes["jobs"], json!([]));
    assert_eq!(asset.attributes["triggers"], json!(["push"]));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(2));
    assert!(
        out.diagnostics[0].message.contains("no jobs"),
        "{:?}",
        out.diagnostics
    );
}

#[test]
fn one_job() {
    let asset = pipeline(ONE_JOB);
    assert_eq!(asset.kind, AssetKind::Pipeline);
    assert_eq!(asset.id.as_str(), "pipeline:.gitlab-ci.yml");
    assert_eq!(asset.name, ".gitlab-ci.yml");
    assert_eq!(asset.evidence[0].location(), ".gitlab-ci.yml:1");
    let expected = json!({
        "platform": "gitlab-ci",
        "triggers": ["push"],
        "permissions": null,
        "jobs": [{
            "id": "unit-tests", "line": 3, "runs_on": "node:20.11-alpine", "permissions": null, "stage": "test",
            "steps": [
                {"name": "image", "line": 5, "uses": "node:20.11-alpine", "uses_line": 5,
                 "with": {}, "with_lines": {}, "env": {}},
                {"name": "script", "line": 8, "run": "npm ci\nnpm test -- --token \"$NPM_TOKEN\"", "run_line": 9,
                 "with": {}, "with_lines": {}, "env": {"NODE_ENV": "test"}}
            ]
        }],
        "secrets": ["NPM_TOKEN"],
        "plaintext_secrets": []
    });
    assert_eq!(serde_json::to_value(&asset.attributes).unwrap(), expected);
    assert!(asset.attribute_lines.is_empty(), "push is implicit: no line");
}

#[test]
fn two_jobs_inherit_defaults_in_file_order() {
    let text = "\
default:
  image: registry.acme.test/ci/base@sha256:4b825dc642cb6eb9a060e54bf8d69288fbee49044b825dc642cb6eb9a06
  services:
    - postgres:16
    - name: redis:7
      alias: cache
  before_script:
    - ./ci/setup.sh

build:
  script: make build

deploy-prod:
  stage: deploy
  image:
    name: bitnami/kubectl:1.29
    entrypoint: ['']
  inherit:
    default: false
  environment:
    name: production
    url: https://acme.test
  script:
    - kubectl apply -f k8s/
  when: manual
  tags: [prod-runner]
";
    let asset = pipeline(text);
    let jobs = jobs(&asset);
    assert_eq!(jobs.len(), 3);
    let pipeline_job = &jobs[0];
    assert_eq!(pipeline_job["id"], "(pipeline)");
    assert_eq!(pipeline_job["line"], 2);
    assert_eq!(
        uses(pipeline_job),
        [
            (
                "image".to_owned(),
                "registry.acme.test/ci/base@sha256:4b825dc642cb6eb9a060e54bf8d69288fbee49044b825dc642cb6eb9a06"
                    .to_owned(),
                2
            ),
            ("service".to_owned(), "postgres:16".to_owned(), 4),
            ("service".to_owned(), "redis:7".to_owned(), 5),
        ]
    );
    let build = &jobs[1];
    assert_eq!(build["id"], "build");
    assert_eq!(build["line"], 10);
    assert_eq!(build["stage"], "test", "GitLab's default stage");
    assert!(
        build["runs_on"]
            .as_str()
            .unwrap()
            .starts_with("registry.acme.test/ci/base@sha256:")
    );
    assert_eq!(
        build["steps"],
        json!([
            {"name": "before_script", "line": 7, "run": "./ci/setup.sh", "run_line": 8,
             "with": {}, "with_lines": {}, "env": {}},
            {"name": "script", "line": 11, "run": "make build", "run_line": 11,
             "with": {}, "with_lines": {}, "env": {}}
        ])
    );
    let deploy = &jobs[2];
    assert_eq!(deploy["id"], "deploy-prod");
    assert_eq!(deploy["runs_on"], "bitnami/kubectl:1.29");
    assert_eq!(deploy["stage"], "deploy");
    assert_eq!(deploy["environment"], "production");
    assert_eq!(deploy["when"], "manual");
    assert_eq!(deploy["tags"], json!(["prod-runner"]));
    assert_eq!(
        uses(deploy),
        [("image".to_owned(), "bitnami/kubectl:1.29".to_owned(), 16)]
    );
    let names: Vec<_> = deploy["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].clone())
        .collect();
    assert_eq!(
        names,
        [json!("image"), json!("script")],
        "inherit: default: false drops before_script"
    );
    assert_eq!(asset.attributes["triggers"], json!(["manual", "push"]));
    assert_eq!(asset.attribute_lines["triggers.manual"], 25);
}

#[test]
fn includes_in_every_form_are_pipeline_level_uses() {
    let text = "\
include:
  - local: /ci/build.gitlab-ci.yml
  - 'ci/lint.yml'
  - https://example.com/ci/shared.yml
  - remote: 'https://gitlab.acme.test/ci/raw/main/deploy.yml'
  - template: Security/SAST.gitlab-ci.yml
  - project: platform/ci-templates
    ref: v3.2.0
    file:
      - /templates/docker.yml
      - templates/helm.yml
  - project: platform/unpinned
    file: /base.yml
  - component: $CI_SERVER_FQDN/acme/components/secret-detection@1.4.0
    inputs:
      stage: test
      allow_failure: false
test:
  script: [make test]
";
    let asset = pipeline(text);
    let first = job(&asset, "(pipeline)");
    assert_eq!(
        uses(first),
        [
            ("include".to_owned(), "./ci/build.gitlab-ci.yml".to_owned(), 2),
            ("include".to_owned(), "./ci/lint.yml".to_owned(), 3),
            (
                "include".to_owned(),
                "https://example.com/ci/shared.yml".to_owned(),
                4
            ),
            (
                "include".to_owned(),
                "https://gitlab.acme.test/ci/raw/main/deploy.yml".to_owned(),
                5
            ),
            ("template".to_owned(), "Security/SAST.gitlab-ci.yml".to_owned(), 6),
            (
                "include".to_owned(),
                "platform/ci-templates/templates/docker.yml@v3.2.0".to_owned(),
                8
            ),
            (
                "include".to_owned(),
                "platform/ci-templates/templates/helm.yml@v3.2.0".to_owned(),
                8
            ),
            ("include".to_owned(), "platform/unpinned/base.yml".to_owned(), 12),
            (
                "component".to_owned(),
                "$CI_SERVER_FQDN/acme/components/secret-detection@1.4.0".to_owned(),
                14
            ),
        ]
    );
    let steps = first["steps"].as_array().unwrap();
    assert_eq!(steps[5]["line"], 10, "each project file is its own step");
    assert_eq!(steps[6]["line"], 11);
    assert_eq!(steps[8]["with"], json!({"stage": "test", "allow_failure": false}));
    assert_eq!(steps[8]["with_lines"], json!({"stage": 16, "allow_failure": 17}));
    assert_eq!(
        asset.attributes["secrets"],
        json!([]),
        "$CI_SERVER_FQDN is predefined"
    );
}

#[test]
fn extends_hidden_jobs_and_references_are_resolved() {
    let text = "\
.setup:
  script:
    - echo setup
  variables:
    DEPLOY_TOKEN: glpat-abcdefghij0123456789

.base:
  image: ruby:3.3
  variables:
    RAILS_ENV: test
    LOG: info
  before_script:
    - !reference [.setup, script]
    - bundle install

.deep:
  extends: .base
  variables:
    LOG: debug

rspec:
  extends: [.deep]
  script:
    - bundle exec rspec
    - [echo nested, echo lists]

broken:
  extends: .missing
  script: echo hi
";
    let out = run_extractor(&GitlabCi, &[(PATH, text)]).unwrap();
    let asset = &out.assets[0];
    let ids: Vec<_> = jobs(asset).iter().map(|j| j["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["rspec", "broken"], "hidden jobs are templates");
    let rspec = job(asset, "rspec");
    assert_eq!(rspec["line"], 21);
    assert_eq!(rspec["runs_on"], "ruby:3.3");
    assert_eq!(uses(rspec), [("image".to_owned(), "ruby:3.3".to_owned(), 8)]);
    let before = step(rspec, "before_script");
    assert_eq!(before["run"], "echo setup\nbundle install");
    assert_eq!(before["line"], 12);
    assert_eq!(before["env"], json!({"RAILS_ENV": "test", "LOG": "debug"}));
    assert_eq!(
        step(rspec, "script")["run"],
        "bundle exec rspec\necho nested\necho lists"
    );
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    assert_eq!(out.diagnostics[0].line, Some(28));
    assert!(out.diagnostics[0].message.contains(".missing"));
    assert_eq!(
        asset.attributes["plaintext_secrets"],
        json!([{"name": "DEPLOY_TOKEN", "line": 5}])
    );
    assert_eq!(asset.attributes["secrets"], json!(["DEPLOY_TOKEN"]));
    assert!(!serde_json::to_string(asset).unwrap().contains("glpat-"));
}

#[test]
fn workflow_rules_and_job_rules_set_the_triggers() {
    let text = "\
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
      when: never
    - if: $CI_COMMIT_TAG
    - if: '$CI_PIPELINE_SOURCE =~ /^(schedule|web)$/'

lint:
  rules:
    - if: $CI_PIPELINE_SOURCE == \"push\"
      when: never
    - if: $CI_PIPELINE_SOURCE != \"api\"
  script: make lint

release:
  rules:
    - if: $CI_COMMIT_TAG =~ /^v/
      when: manual
  script: make release

legacy:
  only:
    refs: [merge_requests, triggers]
  except: [schedules]
  script: make legacy
";
    let asset = pipeline(text);
    assert_eq!(
        asset.attributes["triggers"],
        json!(["manual", "pull_request", "push", "schedule", "trigger"])
    );
    let lines: Vec<_> = asset
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        lines,
        [
            ("triggers.manual", 7),
            ("triggers.pull_request", 3),
            ("triggers.push", 6),
            ("triggers.schedule", 7),
            ("triggers.trigger", 24)
        ]
    );
    assert_eq!(
        job(&asset, "lint")["rules"],
        json!([{"if": "$CI_PIPELINE_SOURCE == \"push\"", "when": "never"}, {"if": "$CI_PIPELINE_SOURCE != \"api\""}])
    );
    assert_eq!(
        job(&asset, "legacy")["only"],
        json!({"refs": ["merge_requests", "triggers"]})
    );
    assert_eq!(job(&asset, "legacy")["except"], json!(["schedules"]));

    let only_mrs = pipeline("workflow:\n  rules:\n    - if: $CI_MERGE_REQUEST_IID\nt:\n  script: x\n");
    assert_eq!(
        only_mrs.attributes["triggers"],
        json!(["pull_request"]),
        "workflow rules replace push"
    );
}

#[test]
fn variables_secrets_and_plaintext_secrets() {
    let text = "\
variables:
  DOCKER_DRIVER: overlay2
  AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  DB_PASSWORD:
    value: \"s3cr3t-passw0rd\"
    description: test database
  API_TOKEN: $VAULT_API_TOKEN
  SHORT_TOKEN: abc

deploy:
  image: amazon/aws-cli:2.15.0
  variables:
    AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE
  id_tokens:
    GITLAB_OIDC_TOKEN:
      aud: https://sts.amazonaws.com
  secrets:
    DATABASE_URL:
      vault: production/db/url@ops
  script:
    - echo $DOCKER_DRIVER $HOME ${CI_COMMIT_SHA} $$ESCAPED $lowercase
    - aws s3 sync dist/ s3://$BUCKET_NAME --region ${AWS_REGION}
    - curl -H \"PRIVATE-TOKEN: ${GL_API_TOKEN}\" $CI_API_V4_URL
";
    let asset = pipeline(text);
    assert_eq!(
        asset.attributes["plaintext_secrets"],
        json!([
            {"name": "AWS_SECRET_ACCESS_KEY", "line": 3},
            {"name": "DB_PASSWORD", "line": 4},
            {"name": "AWS_ACCESS_KEY_ID", "line": 13}
        ])
    );
    assert_eq!(
        asset.attributes["secrets"],
        json!([
            "AWS_ACCESS_KEY_ID",
            "AWS_REGION",
            "AWS_SECRET_ACCESS_KEY",
            "BUCKET_NAME",
            "DATABASE_URL",
            "DB_PASSWORD",
            "GITLAB_OIDC_TOKEN",
            "GL_API_TOKEN",
            "VAULT_API_TOKEN"
        ])
    );
    assert_eq!(
        step(job(&asset, "deploy"), "script")["env"],
        json!({"AWS_ACCESS_KEY_ID": "[redacted]"})
    );
    let serialized = serde_json::to_string(&asset).unwrap();
    for leaked in ["wJalrXUtnFEMI", "s3cr3t", "AKIAIOSFODNN7EXAMPLE"] {
        assert!(!serialized.contains(leaked), "{leaked} in {serialized}");
    }
}

#[test]
fn downstream_triggers_are_uses() {
    let text = "\
child:
  trigger:
    include:
      - local: ci/child.yml
      - project: platform/pipelines
        ref: main
        file: deploy.yml
multi-project:
  trigger:
    project: acme/deployer
    branch: stable
short:
  trigger: acme/other
";
    let asset = pipeline(text);
    assert_eq!(
        uses(job(&asset, "child")),
        [
            ("trigger".to_owned(), "./ci/child.yml".to_owned(), 4),
            (
                "trigger".to_owned(),
                "platform/pipelines/deploy.yml@main".to_owned(),
                6
            ),
        ]
    );
    assert_eq!(
        uses(job(&asset, "multi-project")),
        [("trigger".to_owned(), "acme/deployer@stable".to_owned(), 10)]
    );
    assert_eq!(
        uses(job(&asset, "short")),
        [("trigger".to_owned(), "acme/other".to_owned(), 13)]
    );
}

#[test]
fn a_component_reads_the_document_after_its_spec_header() {
    let text = "\
spec:
  inputs:
    stage:
      default: test
---
secret-detection:
  stage: $[[ inputs.stage ]]
  script: ./detect.sh
";
    let out = run_extractor(&GitlabCi, &[("templates/.gitlab-ci.yml", text)]).unwrap();
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let asset = &out.assets[0];
    assert_eq!(asset.evidence[0].line, Some(6));
    assert_eq!(jobs(asset)[0]["id"], "secret-detection");
    assert_eq!(jobs(asset)[0]["line"], 6);

    let out = run_extractor(&GitlabCi, &[(PATH, "a:\n  script: x\n---\nb:\n  script: y\n")]).unwrap();
    assert_eq!(jobs(&out.assets[0]).len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(4));
}

#[test]
fn malformed_jobs_are_warnings() {
    let text = "\
broken: 42
also-broken: [a, b]
ok:
  script: make
  include: {}
";
    let out = run_extractor(&GitlabCi, &[(PATH, text)]).unwrap();
    assert_eq!(jobs(&out.assets[0]).len(), 1);
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(1), Some(2)]);
}

#[test]
fn a_yaml_alias_bomb_fails_fast() {
    let mut text =
        String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for level in 1..=9 {
        let refs = vec![format!("*a{}", level - 1); 9].join(",");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    text.push_str("job:\n  script: make\n");
    let started = Instant::now();
    let result = run_extractor(&GitlabCi, &[(PATH, &text)]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let error = result.unwrap_err();
    assert!(error.message.starts_with("invalid YAML"), "{error}");
}

#[test]
fn hostile_input_does_not_panic() {
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    // Each hidden job extends the previous twice: a fan-out that must stop at the depth limit.
    let mut fan_out = String::from(".t0:\n  script: x\n");
    for level in 1..=40 {
        fan_out.push_str(&format!(".t{level}:\n  extends: [.t{p}, .t{p}]\n", p = level - 1));
    }
    fan_out.push_str("job:\n  extends: .t40\n");
    let looping = ".a:\n  extends: .b\n.b:\n  extends: .a\njob:\n  extends: .a\n";
    let self_reference =
        ".a:\n  script:\n    - !reference [.a, script]\njob:\n  script: !reference [.a, script]\n";
    let references = format!(
        ".a:\n  script: [{}]\njob:\n  script: !reference [.a, script]\n",
        vec!["!reference [.a, script]"; 20].join(", ")
    );
    let started = Instant::now();
    for text in [
        deep.as_str(),
        fan_out.as_str(),
        looping,
        self_reference,
        references.as_str(),
        ONE_JOB.get(..60).unwrap(),
        "job:\n  script: !reference [.x, y, z]\n",
        "job:\n  image: {name: [1]}\n  services: [1, {name: {}}]\n  trigger: 5\n",
        "include: 42\nworkflow: {rules: 3}\njob: {rules: {a: b}, only: 7, script: {a: b}}\n",
        "? [complex, key]\n: value\n",
        "job: !!binary aGVsbG8=\n",
        "\u{0}",
    ] {
        let _ = run_extractor(&GitlabCi, &[(PATH, text)]);
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    let out = run_extractor(&GitlabCi, &[(PATH, &references)]).unwrap();
    assert!(
        out.diagnostics[0].message.contains("expands too far"),
        "{:?}",
        out.diagnostics
    );
}
