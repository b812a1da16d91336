#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `azure/pipelines`.

mod common;

use std::time::{Duration, Instant};

use common::{job, jobs, run_extractor, single_asset};
use serde_json::json;
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::azure_pipelines::AzurePipelines;

const PATH: &str = "azure-pipelines.yml";

fn pipeline_at(path: &str, text: &str) -> Asset {
    single_asset(&AzurePipelines, path, text)
}

fn pipeline(text: &str) -> Asset {
    pipeline_at(PATH, text)
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line(text: &str, needle: &str) -> u64 {
    let index = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no {needle}"));
    u64::try_from(index).unwrap() + 1
}

const ONE_JOB: &str = "\
trigger:
  branches:
    include: [main]

pool:
  vmImage: ubuntu-latest

steps:
  - script: make test
    displayName: Test
";

#[test]
fn claims_pipelines_by_name_and_directory() {
    for path in [
        "azure-pipelines.yml",
        "azure-pipelines.yaml",
        "build/release.azure-pipelines.yml",
        ".azure-pipelines/ci.yml",
        ".azure-pipelines/templates/steps.yaml",
        "services/api/.pipelines/pr.yml",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(AzurePipelines.claims(path, name), "{path}");
    }
    for path in [
        "azure-pipelines.yml.bak",
        "pipelines/ci.yml",
        ".azure-pipelines/README.md",
        ".github/workflows/ci.yml",
        "my.pipelines/ci.yml",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(!AzurePipelines.claims(path, name), "{path}");
    }
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(&AzurePipelines, &[(PATH, "steps:\n  - script: [unclosed\n")]).unwrap_err();
    assert_eq!(error.path, PATH);
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(matches!(error.line, Some(2 | 3)), "{error}");

    let error = run_extractor(&AzurePipelines, &[(PATH, "# list\n- script: x\n")]).unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(error.message.contains("not an Azure pipeline"), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_pipeline() {
    for text in ["", "# nothing yet\n", "---\n"] {
        let out = run_extractor(&AzurePipelines, &[(PATH, text)]).unwrap();
        assert!(out.assets.is_empty() && out.diagnostics.is_empty(), "{text:?}");
    }
}

#[test]
fn a_pipeline_without_work_is_a_pipeline_with_a_warning() {
    let out = run_extractor(
        &AzurePipelines,
        &[(PATH, "# nothing runs\ntrigger: none\npr: none\n")],
    )
    .unwrap();
    let asset = &out.assets[0];
    assert_eq!(asset.attributes["triggers"], json!([]));
    assert_eq!(asset.attributes["jobs"], json!([]));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(2));
}

#[test]
fn one_job() {
    let asset = pipeline(ONE_JOB);
    assert_eq!(asset.kind, AssetKind::Pipeline);
    assert_eq!(asset.id.as_str(), "pipeline:azure-pipelines.yml");
    assert_eq!(asset.name, "azure-pipelines.yml");
    assert_eq!(asset.evidence[0].location(), "azure-pipelines.yml:1");
    let expected = json!({
        "platform": "azure-pipelines",
        "triggers": ["pull_request", "push"],
        "permissions": null,
        "jobs": [{
            "id": "__default", "line": 8, "runs_on": "ubuntu-latest", "permissions": null,
            "steps": [{"name": "Test", "line": 9, "run": "make test", "run_line": 9,
                       "with": {}, "with_lines": {}, "env": {}}]
        }],
        "secrets": [],
        "plaintext_secrets": []
    });
    assert_eq!(serde_json::to_value(&asset.attributes).unwrap(), expected);
    let lines: Vec<_> = asset
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(lines, [("triggers.push", 1)], "pr is implicit: no line");
}

const STAGES: &str = "\
trigger: none
pr:
  - main
schedules:
  - cron: \"0 2 * * *\"
    branches: {include: [main]}
resources:
  repositories:
    - repository: templates
      type: github
      name: acme/pipeline-templates
      ref: refs/tags/v2.0.0
      endpoint: github-acme
    - repository: tools
      type: git
      name: Platform/tools
  containers:
    - container: builder
      image: mcr.microsoft.com/dotnet/sdk:8.0
  pipelines:
    - pipeline: upstream
      source: Upstream-CI
      trigger: true
variables:
  - group: prod-secrets
  - name: buildConfiguration
    value: Release
  - template: vars/common.yml@templates
stages:
  - stage: Build
    pool: {vmImage: windows-latest}
    jobs:
      - job: Compile
        displayName: Compile the app
        container: builder
        steps:
          - checkout: self
            persistCredentials: true
          - task: DotNetCoreCLI@2
            inputs:
              command: build
              arguments: --configuration $(buildConfiguration)
          - template: steps/sign.yml@tools
            parameters:
              certName: $(signingCert)
          - template: /steps/local.yml
  - stage: Deploy
    jobs:
      - deployment: Production
        environment: production.web01
        pool:
          name: Self-Hosted
        strategy:
          runOnce:
            preDeploy:
              steps:
                - bash: echo pre
            deploy:
              steps:
                - task: AzureCLI@2
                  displayName: Deploy infra
                  inputs:
                    azureSubscription: prod-subscription
                    scriptType: bash
                    inlineScript: az deployment group create -g $(resourceGroup)
                  env:
                    ARM_CLIENT_SECRET: $(armSecret)
            on:
              failure:
                steps:
                  - pwsh: Write-Host failed
      - template: jobs/smoke.yml@templates
";

#[test]
fn two_stages_with_resources_templates_and_deployments() {
    let asset = pipeline(STAGES);
    let at = |needle| line(STAGES, needle);
    assert_eq!(
        asset.attributes["triggers"],
        json!(["pipeline", "pull_request", "schedule"])
    );
    let lines: Vec<_> = asset
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), u64::from(*v)))
        .collect();
    assert_eq!(
        lines,
        [
            ("triggers.pipeline", at("trigger: true")),
            ("triggers.pull_request", 2),
            ("triggers.schedule", 4)
        ]
    );
    let ids: Vec<_> = jobs(&asset).iter().map(|j| j["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["(pipeline)", "Build.Compile", "Deploy.Production"]);

    let first = job(&asset, "(pipeline)");
    let uses: Vec<_> = first["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["uses"].as_str().unwrap(),
                s["uses_line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        uses,
        [
            (
                "repository",
                "acme/pipeline-templates@refs/tags/v2.0.0",
                at("ref: refs/tags")
            ),
            ("repository", "Platform/tools", at("name: Platform/tools")),
            ("image", "mcr.microsoft.com/dotnet/sdk:8.0", at("image: mcr")),
            (
                "template",
                "acme/pipeline-templates/vars/common.yml@refs/tags/v2.0.0",
                at("vars/common")
            ),
            (
                "template",
                "acme/pipeline-templates/jobs/smoke.yml@refs/tags/v2.0.0",
                at("jobs/smoke")
            ),
        ]
    );
    assert_eq!(first["steps"][0]["line"], at("repository: templates"));

    let compile = job(&asset, "Build.Compile");
    assert_eq!(compile["name"], "Compile the app");
    assert_eq!(compile["stage"], "Build");
    assert_eq!(compile["line"], at("job: Compile"));
    assert_eq!(
        compile["runs_on"], "mcr.microsoft.com/dotnet/sdk:8.0",
        "container resource, not the pool"
    );
    assert_eq!(
        compile["steps"],
        json!([
            {"name": "checkout", "line": at("checkout: self"),
             "with": {"checkout": "self", "persistCredentials": true},
             "with_lines": {"checkout": at("checkout: self"), "persistCredentials": at("persistCredentials")},
             "env": {}},
            {"line": at("DotNetCoreCLI"), "uses": "DotNetCoreCLI@2", "uses_line": at("DotNetCoreCLI"),
             "with": {"command": "build", "arguments": "--configuration $(buildConfiguration)"},
             "with_lines": {"command": at("command: build"), "arguments": at("arguments:")}, "env": {}},
            {"name": "template", "line": at("steps/sign"), "uses": "Platform/tools/steps/sign.yml",
             "uses_line": at("steps/sign"), "with": {"certName": "$(signingCert)"},
             "with_lines": {"certName": at("certName")}, "env": {}},
            {"name": "template", "line": at("steps/local"), "uses": "./steps/local.yml",
             "uses_line": at("steps/local"), "with": {}, "with_lines": {}, "env": {}}
        ])
    );

    let production = job(&asset, "Deploy.Production");
    assert_eq!(production["environment"], "production.web01");
    assert_eq!(production["runs_on"], "Self-Hosted");
    let steps = production["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[0]["run"], "echo pre");
    assert_eq!(steps[1]["name"], "Deploy infra");
    assert_eq!(steps[1]["uses"], "AzureCLI@2");
    assert_eq!(steps[1]["run"], "az deployment group create -g $(resourceGroup)");
    assert_eq!(steps[1]["run_line"], at("inlineScript:"));
    assert_eq!(steps[1]["with"]["azureSubscription"], "prod-subscription");
    assert_eq!(steps[1]["env"], json!({"ARM_CLIENT_SECRET": "$(armSecret)"}));
    assert_eq!(steps[2]["run"], "Write-Host failed");

    assert_eq!(
        asset.attributes["secrets"],
        json!([
            "armSecret",
            "github-acme",
            "prod-secrets",
            "prod-subscription",
            "resourceGroup",
            "signingCert"
        ])
    );
    assert_eq!(asset.attributes["plaintext_secrets"], json!([]));
}

#[test]
fn variables_references_and_plaintext_secrets() {
    let text = "\
variables:
  registry: acr.acme.test
  sqlPassword: 'P@ssw0rd-in-the-repo'
  apiToken: $(fromKeyVault)
jobs:
  - job: Migrate
    variables:
      - name: NUGET_API_KEY
        value: oy2abcdefghijklmnopqrstuvwxyz0123456789
    steps:
      - script: ./migrate.sh $(registry) $(dbHost) $(Build.BuildId) $(System.AccessToken) $(pwd)
        env:
          DB_PASSWORD: $(sqlPassword)
          SLACK_TOKEN: xoxb-literal-token-0123
      - bash: echo $[ variables.runtimeFlag ] ${{ variables['compileFlag'] }}
      - task: Docker@2
        inputs:
          containerRegistry: acr-connection
          password: hunter2hunter2
";
    let asset = pipeline(text);
    let at = |needle| line(text, needle);
    assert_eq!(
        asset.attributes["plaintext_secrets"],
        json!([
            {"name": "sqlPassword", "line": 3},
            {"name": "NUGET_API_KEY", "line": at("name: NUGET_API_KEY")},
            {"name": "SLACK_TOKEN", "line": at("SLACK_TOKEN")},
            {"name": "password", "line": at("password: hunter2")}
        ])
    );
    assert_eq!(
        asset.attributes["secrets"],
        json!([
            "NUGET_API_KEY",
            "SLACK_TOKEN",
            "acr-connection",
            "compileFlag",
            "dbHost",
            "fromKeyVault",
            "password",
            "runtimeFlag",
            "sqlPassword"
        ])
    );
    let steps = job(&asset, "Migrate")["steps"].as_array().unwrap();
    assert_eq!(
        steps[0]["env"],
        json!({"DB_PASSWORD": "$(sqlPassword)", "SLACK_TOKEN": "[redacted]"})
    );
    assert_eq!(steps[2]["with"]["password"], "[redacted]");
    let serialized = serde_json::to_string(&asset).unwrap();
    for leaked in ["P@ssw0rd", "oy2abc", "xoxb-literal", "hunter2"] {
        assert!(!serialized.contains(leaked), "{leaked} in {serialized}");
    }
}

#[test]
fn conditional_insertions_and_extends_are_read() {
    let text = "\
extends:
  template: secure/pipeline.yml@policies
  parameters:
    buildSteps:
      - script: make build
      - ${{ if eq(parameters.sign, true) }}:
        - task: Sign@1
    deployJobs:
      - job: Ship
        steps:
          - script: make ship
resources:
  repositories:
    - repository: policies
      type: git
      name: Security/policies
stages:
  - ${{ each env in parameters.environments }}:
    - stage: Deploy_${{ env }}
      jobs:
        - job: Apply
          steps:
            - ${{ if eq(env, 'prod') }}:
              - script: terraform apply
";
    let asset = pipeline(text);
    let ids: Vec<_> = jobs(&asset).iter().map(|j| j["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "(pipeline)",
            "parameters.buildSteps",
            "Ship",
            "Deploy_${{ env }}.Apply"
        ]
    );
    assert_eq!(
        job(&asset, "(pipeline)")["steps"][1]["uses"],
        "Security/policies/secure/pipeline.yml",
        "extends template through a repository resource without ref"
    );
    let build = job(&asset, "parameters.buildSteps");
    assert_eq!(build["line"], 4);
    assert_eq!(build["steps"][0]["run"], "make build");
    assert_eq!(build["steps"][1]["uses"], "Sign@1");
    assert_eq!(job(&asset, "Ship")["steps"][0]["run"], "make ship");
    assert_eq!(
        job(&asset, "Deploy_${{ env }}.Apply")["steps"][0]["run"],
        "terraform apply"
    );
    assert_eq!(asset.attributes["triggers"], json!(["pull_request", "push"]));
}

#[test]
fn templates_in_pipeline_directories_have_no_triggers() {
    let text = "\
parameters:
  - name: configuration
    default: Release
steps:
  - script: dotnet build -c ${{ parameters.configuration }}
";
    let asset = pipeline_at(".azure-pipelines/templates/build.yml", text);
    assert_eq!(asset.attributes["template"], true);
    assert_eq!(asset.attributes["triggers"], json!([]));
    assert_eq!(
        jobs(&asset)[0]["steps"][0]["run"],
        "dotnet build -c ${{ parameters.configuration }}"
    );

    let pipeline = pipeline_at(
        ".azure-pipelines/ci.yml",
        "trigger: [main]\nsteps:\n  - script: make\n",
    );
    assert!(!pipeline.attributes.contains_key("template"));
    assert_eq!(pipeline.attributes["triggers"], json!(["pull_request", "push"]));
}

#[test]
fn malformed_stages_jobs_and_steps_are_warnings() {
    let text = "\
stages:
  - just-a-string
  - stage: A
    jobs:
      - 42
      - job: B
        steps:
          - [nested]
          - script: make
      - job: C
        steps: make
";
    let out = run_extractor(&AzurePipelines, &[(PATH, text)]).unwrap();
    let asset = &out.assets[0];
    assert_eq!(jobs(asset).len(), 2);
    assert_eq!(job(asset, "A.B")["steps"].as_array().unwrap().len(), 1);
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(2), Some(5), Some(8), Some(11)]);
}

#[test]
fn a_yaml_alias_bomb_fails_fast() {
    let mut text =
        String::from("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for level in 1..=9 {
        let refs = vec![format!("*a{}", level - 1); 9].join(",");
        text.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    text.push_str("steps: []\n");
    let started = Instant::now();
    let result = run_extractor(&AzurePipelines, &[(PATH, &text)]);
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
    // Deeper block nesting overflows the stack inside the shared YAML reader (reported); 15 levels of
    // conditional insertion already exceed any real pipeline.
    let mut nested = String::from("steps:\n");
    for level in 0..15 {
        nested.push_str(&format!("{}- ${{{{ if true }}}}:\n", "  ".repeat(level + 1)));
    }
    let started = Instant::now();
    for text in [
        deep.as_str(),
        nested.as_str(),
        ONE_JOB.get(..30).unwrap(),
        "resources: 5\nvariables: 6\nstages: 7\njobs: {a: b}\nsteps: x\n",
        "resources: {repositories: [1, {repository: [x]}], containers: [{image: {}}], pipelines: 3}\n",
        "jobs:\n  - deployment: D\n    strategy: 5\n  - job: J\n    container: {image: [1]}\n    pool: [1]\n",
        "extends: {template: [1], parameters: {a: [1], b: [{stage: 1}]}}\n",
        "? [complex, key]\n: value\n",
        "\u{0}",
    ] {
        let _ = run_extractor(&AzurePipelines, &[(PATH, text)]);
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}
