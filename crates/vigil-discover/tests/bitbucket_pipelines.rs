#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `bitbucket/pipelines`.

mod common;

use std::time::{Duration, Instant};

use common::{job, jobs, run_extractor, single_asset};
use serde_json::json;
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::bitbucket_pipelines::BitbucketPipelines;

const PATH: &str = "bitbucket-pipelines.yml";

fn pipeline(text: &str) -> Asset {
    single_asset(&BitbucketPipelines, PATH, text)
}

const ONE_STEP: &str = "\
image: node:20

pipelines:
  default:
    - step:
        name: Test
        caches: [node]
        script:
          - npm ci
          - npm test
";

#[test]
fn claims_bitbucket_pipelines_files() {
    for path in ["bitbucket-pipelines.yml", "services/api/bitbucket-pipelines.yml"] {
        let name = path.rsplit('/').next().unwrap();
        assert!(BitbucketPipelines.claims(path, name), "{path}");
    }
    for path in [
        "bitbucket-pipelines.yml.bak",
        "pipelines.yml",
        ".bitbucket/shared-pipelines.yml",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(!BitbucketPipelines.claims(path, name), "{path}");
    }
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &BitbucketPipelines,
        &[(PATH, "pipelines:\n  default: [unclosed\n")],
    )
    .unwrap_err();
    assert_eq!(error.path, PATH);
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(matches!(error.line, Some(2 | 3)), "{error}");

    let error = run_extractor(&BitbucketPipelines, &[(PATH, "# list\n- step\n")]).unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(
        error.message.contains("not a Bitbucket Pipelines file"),
        "{error}"
    );
}

#[test]
fn empty_file_and_empty_document_have_no_pipeline() {
    for text in ["", "# nothing yet\n", "---\n"] {
        let out = run_extractor(&BitbucketPipelines, &[(PATH, text)]).unwrap();
        assert!(out.assets.is_empty() && out.diagnostics.is_empty(), "{text:?}");
    }
}

#[test]
fn a_file_without_pipelines_is_a_pipeline_with_a_warning() {
    let out = run_extractor(
        &BitbucketPipelines,
        &[(PATH, "# image only\nimage: python:3.12\n")],
    )
    .unwrap();
    let asset = &out.assets[0];
    assert_eq!(asset.attributes["triggers"], json!([]));
    assert_eq!(jobs(asset).len(), 1, "only the (pipeline) job with the image");
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(2));
}

#[test]
fn one_step() {
    let asset = pipeline(ONE_STEP);
    assert_eq!(asset.kind, AssetKind::Pipeline);
    assert_eq!(asset.id.as_str(), "pipeline:bitbucket-pipelines.yml");
    assert_eq!(asset.name, "bitbucket-pipelines.yml");
    assert_eq!(asset.evidence[0].location(), "bitbucket-pipelines.yml:1");
    let expected = json!({
        "platform": "bitbucket-pipelines",
        "triggers": ["push"],
        "permissions": null,
        "jobs": [
            {
                "id": "(pipeline)", "line": 1, "runs_on": null, "permissions": null,
                "steps": [{"name": "image", "line": 1, "uses": "node:20", "uses_line": 1,
                           "with": {}, "with_lines": {}, "env": {}}]
            },
            {
                "id": "default/1", "name": "Test", "line": 5, "runs_on": "node:20", "permissions": null,
                "steps": [{"name": "script", "line": 9, "run": "npm ci\nnpm test", "run_line": 9,
                           "with": {}, "with_lines": {}, "env": {}}]
            }
        ],
        "secrets": [],
        "plaintext_secrets": []
    });
    assert_eq!(serde_json::to_value(&asset.attributes).unwrap(), expected);
    assert_eq!(asset.attribute_lines["triggers.push"], 4);
}

#[test]
fn two_steps_with_pipes_parallel_stages_and_start_conditions() {
    let text = "\
definitions:
  services:
    postgres:
      image: postgres:16@sha256:4b825dc642cb6eb9a060e54bf8d69288fbee49044b825dc642cb6eb9a060e54bf8
    docker:
      memory: 2048
  steps:
    - step: &lint
        name: Lint
        script: [make lint]

pipelines:
  pull-requests:
    '**':
      - step: *lint
      - parallel:
          - step:
              name: Unit
              script: [make unit]
          - step:
              name: Integration
              services: [postgres]
              script: [make it]
  branches:
    main:
      - stage:
          name: Deploy to production
          deployment: production
          trigger: manual
          steps:
            - step:
                name: Upload
                image: amazon/aws-cli:2.15.0
                oidc: true
                script:
                  - aws sts get-caller-identity
                  - pipe: atlassian/aws-s3-deploy:1.1.0
                    variables:
                      AWS_DEFAULT_REGION: eu-west-1
                      S3_BUCKET: $PROD_BUCKET
                      LOCAL_PATH: dist
                  - echo done
                after-script:
                  - pipe: docker://acme/notify:latest
";
    let asset = pipeline(text);
    assert_eq!(
        asset.attributes["triggers"],
        json!(["manual", "pull_request", "push"])
    );
    let lines: Vec<_> = asset
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        lines,
        [
            ("triggers.manual", 29),
            ("triggers.pull_request", 13),
            ("triggers.push", 24)
        ]
    );
    let ids: Vec<_> = jobs(&asset).iter().map(|j| j["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "(pipeline)",
            "pull-requests/**/1",
            "pull-requests/**/2",
            "pull-requests/**/3",
            "branches/main/1"
        ]
    );
    assert_eq!(
        job(&asset, "(pipeline)")["steps"][0]["uses"]
            .as_str()
            .unwrap()
            .len(),
        85
    );
    let lint = job(&asset, "pull-requests/**/1");
    assert_eq!(lint["name"], "Lint");
    assert_eq!(lint["line"], 15);
    assert_eq!(lint["steps"][0]["run"], "make lint");
    assert_eq!(job(&asset, "pull-requests/**/3")["name"], "Integration");
    let upload = job(&asset, "branches/main/1");
    assert_eq!(upload["name"], "Upload");
    assert_eq!(upload["runs_on"], "amazon/aws-cli:2.15.0");
    assert_eq!(upload["environment"], "production");
    assert_eq!(upload["stage"], "Deploy to production");
    assert_eq!(upload["when"], "manual");
    assert_eq!(upload["oidc"], true);
    assert_eq!(
        upload["steps"],
        json!([
            {"name": "image", "line": 33, "uses": "amazon/aws-cli:2.15.0", "uses_line": 33,
             "with": {}, "with_lines": {}, "env": {}},
            {"name": "script", "line": 36, "run": "aws sts get-caller-identity", "run_line": 36,
             "with": {}, "with_lines": {}, "env": {}},
            {"name": "pipe", "line": 37, "uses": "atlassian/aws-s3-deploy:1.1.0", "uses_line": 37,
             "with": {"AWS_DEFAULT_REGION": "eu-west-1", "S3_BUCKET": "$PROD_BUCKET", "LOCAL_PATH": "dist"},
             "with_lines": {"AWS_DEFAULT_REGION": 39, "S3_BUCKET": 40, "LOCAL_PATH": 41}, "env": {}},
            {"name": "script", "line": 42, "run": "echo done", "run_line": 42,
             "with": {}, "with_lines": {}, "env": {}},
            {"name": "pipe", "line": 44, "uses": "docker://acme/notify:latest", "uses_line": 44,
             "with": {}, "with_lines": {}, "env": {}}
        ])
    );
    assert_eq!(asset.attributes["secrets"], json!(["PROD_BUCKET"]));
}

#[test]
fn imports_are_uses_with_their_ref() {
    let text = "\
definitions:
  imports:
    shared: .bitbucket/shared-pipelines.yml
    platform: platform-pipelines:v2
pipelines:
  custom:
    from-repo:
      import: shared-pipeline:master:share-pipeline-1
    from-file:
      import: build@shared
    from-source:
      import: deploy@platform
";
    let asset = pipeline(text);
    assert_eq!(asset.attributes["triggers"], json!(["manual"]));
    let first = job(&asset, "(pipeline)");
    let uses: Vec<_> = first["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["uses"].as_str().unwrap())
        .collect();
    assert_eq!(
        uses,
        ["./.bitbucket/shared-pipelines.yml", "platform-pipelines@v2"]
    );
    assert_eq!(
        job(&asset, "custom/from-repo/1")["steps"],
        json!([{"name": "import", "line": 8, "uses": "shared-pipeline@master", "uses_line": 8,
                "with": {"pipeline": "share-pipeline-1"}, "with_lines": {"pipeline": 8}, "env": {}}])
    );
    assert_eq!(
        job(&asset, "custom/from-file/1")["steps"][0]["uses"],
        "./.bitbucket/shared-pipelines.yml"
    );
    assert_eq!(
        job(&asset, "custom/from-source/1")["steps"][0]["uses"],
        "platform-pipelines@v2"
    );
}

#[test]
fn secrets_and_plaintext_pipe_variables() {
    let text = "\
image:
  name: acme/build:1.0
  username: $DOCKER_USER
  password: $DOCKER_PASSWORD
pipelines:
  custom:
    deploy:
      - variables:
          - name: TARGET_ENV
            default: staging
      - step:
          script:
            - ./deploy.sh $TARGET_ENV $BITBUCKET_COMMIT ${SLACK_WEBHOOK}
            - pipe: atlassian/slack-notify:2.1.0
              variables:
                WEBHOOK_URL: https://hooks.slack.test/services/T000/B000/XXXX
                API_TOKEN: xoxb-0123456789-abcdefghij
";
    let asset = pipeline(text);
    assert_eq!(job(&asset, "(pipeline)")["steps"][0]["uses"], "acme/build:1.0");
    assert_eq!(job(&asset, "(pipeline)")["steps"][0]["uses_line"], 2);
    assert_eq!(
        asset.attributes["plaintext_secrets"],
        json!([{"name": "API_TOKEN", "line": 17}])
    );
    assert_eq!(
        asset.attributes["secrets"],
        json!(["API_TOKEN", "DOCKER_PASSWORD", "DOCKER_USER", "SLACK_WEBHOOK"])
    );
    let pipe = &job(&asset, "custom/deploy/1")["steps"][1];
    assert_eq!(pipe["with"]["API_TOKEN"], "[redacted]");
    assert!(!serde_json::to_string(&asset).unwrap().contains("xoxb-"));
}

#[test]
fn malformed_items_are_warnings() {
    let text = "\
pipelines:
  default:
    - step: 42
    - script: [stray]
    - just text
    - step:
        script:
          - {not: a pipe}
          - make
  weekly: []
  branches: [main]
";
    let out = run_extractor(&BitbucketPipelines, &[(PATH, text)]).unwrap();
    let asset = &out.assets[0];
    assert_eq!(jobs(asset).len(), 1);
    assert_eq!(jobs(asset)[0]["id"], "default/2");
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(3), Some(4), Some(5), Some(8), Some(10), Some(11)]);
}

#[test]
fn a_yaml_alias_bomb_fails_fast() {
    let mut text =
        String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for level in 1..=9 {
        let refs = vec![format!("*a{}", level - 1); 9].join(",");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    text.push_str("pipelines: {}\n");
    let started = Instant::now();
    let result = run_extractor(&BitbucketPipelines, &[(PATH, &text)]);
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
    let started = Instant::now();
    for text in [
        deep.as_str(),
        ONE_STEP.get(..40).unwrap(),
        "pipelines: 5\n",
        "pipelines:\n  default: {import: 7}\n  custom: {x: {import: 'a:b:c:d'}}\n",
        "pipelines:\n  default:\n    - parallel: 3\n    - stage: {steps: 4}\n    - step: {image: {name: [1]}, script: 5}\n",
        "definitions: {imports: [1], services: 2}\nimage: [x]\n",
        "? [complex, key]\n: value\n",
        "\u{0}",
    ] {
        let _ = run_extractor(&BitbucketPipelines, &[(PATH, text)]);
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}
