#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `jenkins/jenkinsfile`.

mod common;

use std::time::{Duration, Instant};

use common::{job, jobs, run_extractor, single_asset};
use serde_json::{Value, json};
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::jenkinsfile::Jenkinsfile;

const PATH: &str = "Jenkinsfile";

fn pipeline(text: &str) -> Asset {
    single_asset(&Jenkinsfile, PATH, text)
}

/// (uses, uses_line) of every step of a job.
fn uses(job: &Value) -> Vec<(String, u64)> {
    job["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s.get("uses").is_some())
        .map(|s| {
            (
                s["uses"].as_str().unwrap().to_owned(),
                s["uses_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// (run, run_line) of every step of a job.
fn runs(job: &Value) -> Vec<(String, u64)> {
    job["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s.get("run").is_some())
        .map(|s| {
            (
                s["run"].as_str().unwrap().to_owned(),
                s["run_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

const ONE_STAGE: &str = "\
pipeline {
    agent any
    stages {
        stage('Build') {
            steps {
                sh 'make build'
            }
        }
    }
}
";

#[test]
fn claims_jenkinsfiles_by_name() {
    for path in [
        "Jenkinsfile",
        "ci/Jenkinsfile",
        "Jenkinsfile.release",
        "jobs/deploy.jenkinsfile",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(Jenkinsfile.claims(path, name), "{path}");
    }
    for path in [
        "jenkinsfile.txt",
        "Jenkinsfile.md",
        "docs/Jenkinsfile.yml",
        "Jenkins",
        ".jenkinsfile",
        "build.groovy",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(!Jenkinsfile.claims(path, name), "{path}");
    }
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let cases = [
        ("pipeline {\n  stages {\n", 2, "never closed"),
        ("pipeline {\n}\n}\n", 3, "unbalanced `}`"),
        ("node {\n  sh 'unterminated\n}\n", 2, "unterminated string"),
        ("/* a comment\nthat never ends\n", 1, "unterminated comment"),
        ("node {\n  sh(script: 'x'\n}\n", 3, "inside parentheses"),
        ("\u{0}\u{1}binary", 1, "binary"),
    ];
    for (text, line, message) in cases {
        let error = run_extractor(&Jenkinsfile, &[(PATH, text)]).unwrap_err();
        assert_eq!(error.path, PATH);
        assert_eq!(error.line, Some(line), "{text:?}: {error}");
        assert!(error.message.starts_with("not a readable Jenkinsfile"), "{error}");
        assert!(error.message.contains(message), "{text:?}: {error}");
    }
}

#[test]
fn empty_file_and_comments_only_have_no_pipeline() {
    for text in [
        "",
        "\n\n",
        "// TODO: add a pipeline\n",
        "/* nothing\n here */\n",
        "#!/usr/bin/env groovy\n",
    ] {
        let out = run_extractor(&Jenkinsfile, &[(PATH, text)]).unwrap();
        assert!(out.assets.is_empty() && out.diagnostics.is_empty(), "{text:?}");
    }
}

#[test]
fn empty_declarative_pipeline_is_a_pipeline_with_a_warning() {
    let out = run_extractor(&Jenkinsfile, &[(PATH, "// CI\npipeline {\n}\n")]).unwrap();
    let asset = &out.assets[0];
    assert_eq!(asset.evidence[0].location(), "Jenkinsfile:2");
    assert_eq!(asset.attributes["jobs"], json!([]));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(2));
}

#[test]
fn one_stage() {
    let asset = pipeline(ONE_STAGE);
    assert_eq!(asset.kind, AssetKind::Pipeline);
    assert_eq!(asset.id.as_str(), "pipeline:Jenkinsfile");
    assert_eq!(asset.name, "Jenkinsfile");
    assert_eq!(asset.evidence[0].location(), "Jenkinsfile:1");
    let expected = json!({
        "platform": "jenkins",
        "triggers": ["push"],
        "permissions": null,
        "jobs": [{
            "id": "Build", "line": 4, "runs_on": "any", "permissions": null,
            "steps": [{"line": 6, "run": "make build", "run_line": 6, "with": {}, "with_lines": {}, "env": {}}]
        }],
        "secrets": [],
        "plaintext_secrets": []
    });
    assert_eq!(serde_json::to_value(&asset.attributes).unwrap(), expected);
    assert!(asset.attribute_lines.is_empty(), "push is implicit: no line");
}

#[test]
fn two_stages_keep_file_order_and_their_agents() {
    let text = "\
pipeline {
    agent { label 'linux' }
    stages {
        stage('Test') {
            steps {
                sh '''
                    npm ci
                    npm test
                '''
                bat \"build.cmd\"
            }
        }
        stage(\"Package\") {
            agent {
                docker {
                    image 'maven:3.9-eclipse-temurin-17'
                    args '-v $HOME/.m2:/root/.m2'
                }
            }
            steps { sh(script: 'mvn -B package', label: 'Maven') }
        }
    }
}
";
    let asset = pipeline(text);
    let jobs = jobs(&asset);
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0]["id"], "Test");
    assert_eq!(jobs[0]["line"], 4);
    assert_eq!(jobs[0]["runs_on"], "linux");
    assert_eq!(
        runs(&jobs[0]),
        [
            (
                "\n                    npm ci\n                    npm test\n                ".to_owned(),
                6
            ),
            ("build.cmd".to_owned(), 10)
        ]
    );
    assert_eq!(
        jobs[1],
        json!({
            "id": "Package", "line": 13, "runs_on": "maven:3.9-eclipse-temurin-17", "permissions": null,
            "steps": [
                {"name": "image", "line": 16, "uses": "maven:3.9-eclipse-temurin-17", "uses_line": 16,
                 "with": {}, "with_lines": {}, "env": {}},
                {"name": "Maven", "line": 20, "run": "mvn -B package", "run_line": 20,
                 "with": {}, "with_lines": {}, "env": {}}
            ]
        })
    );
}

#[test]
fn scripted_pipeline_with_nodes_and_docker() {
    let text = "\
#!groovy
node('linux && docker') {
    stage('Checkout') {
        checkout scm
    }
    stage('Build') {
        docker.image('node:20-alpine').inside('-u root') {
            sh 'npm ci'
        }
    }
}
node {
    stage('Deploy') {
        sh \"./deploy.sh ${env.BRANCH_NAME}\"
    }
}
";
    let asset = pipeline(text);
    assert_eq!(asset.evidence[0].line, Some(2));
    let ids: Vec<_> = jobs(&asset).iter().map(|j| j["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["Checkout", "Build", "Deploy"]);
    assert_eq!(job(&asset, "Checkout")["runs_on"], "linux && docker");
    assert_eq!(job(&asset, "Checkout")["steps"], json!([]));
    let build = job(&asset, "Build");
    assert_eq!(uses(build), [("node:20-alpine".to_owned(), 7)]);
    assert_eq!(runs(build), [("npm ci".to_owned(), 8)]);
    let deploy = job(&asset, "Deploy");
    assert_eq!(deploy["runs_on"], "any");
    assert_eq!(runs(deploy), [("./deploy.sh ${env.BRANCH_NAME}".to_owned(), 14)]);
}

#[test]
fn legacy_stage_without_a_block_takes_the_following_steps() {
    let text = "\
node {
    sh 'git clean -fdx'
    stage 'Build'
    sh 'make'
    stage 'Test'
    sh 'make test'
}
";
    let asset = pipeline(text);
    assert_eq!(job(&asset, "(pipeline)")["steps"][0]["run"], "git clean -fdx");
    assert_eq!(runs(job(&asset, "Build")), [("make".to_owned(), 4)]);
    assert_eq!(runs(job(&asset, "Test")), [("make test".to_owned(), 6)]);
}

#[test]
fn shared_libraries_and_pipeline_agent_image_are_pipeline_level_uses() {
    let text = "\
@Library('pipeline-utils@v2.1.0') _
@Library(['shared@master', 'unpinned']) import com.acme.Deploy
library identifier: 'infra-lib@4b825dc642cb6eb9a060e54bf8d69288fbee4904', retriever: modernSCM(
    [$class: 'GitSCMSource', remote: 'https://git.acme.test/infra-lib.git'])

pipeline {
    agent {
        docker { image 'python:3.12-slim' }
    }
    libraries {
        lib('declared-lib@1.0')
    }
    stages {
        stage('Lint') {
            steps { sh 'ruff check .' }
        }
    }
}
";
    let asset = pipeline(text);
    assert_eq!(asset.evidence[0].line, Some(6));
    let first = &jobs(&asset)[0];
    assert_eq!(first["id"], "(pipeline)");
    assert_eq!(first["line"], 1);
    assert_eq!(first["runs_on"], Value::Null);
    assert_eq!(
        uses(first),
        [
            ("pipeline-utils@v2.1.0".to_owned(), 1),
            ("shared@master".to_owned(), 2),
            ("unpinned".to_owned(), 2),
            ("infra-lib@4b825dc642cb6eb9a060e54bf8d69288fbee4904".to_owned(), 3),
            ("python:3.12-slim".to_owned(), 8),
            ("declared-lib@1.0".to_owned(), 11),
        ]
    );
    let names: Vec<_> = first["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["library", "library", "library", "library", "image", "library"]
    );
    assert_eq!(
        job(&asset, "Lint")["runs_on"],
        "python:3.12-slim",
        "inherited agent"
    );
}

#[test]
fn credentials_in_every_notation_are_secrets() {
    let text = "\
pipeline {
    agent any
    environment {
        AWS_CREDS = credentials('aws-prod-keys')
        REGION = 'eu-west-1'
    }
    stages {
        stage('Deploy') {
            steps {
                withCredentials([
                    usernamePassword(credentialsId: 'nexus', usernameVariable: 'NEXUS_USER', passwordVariable: 'NEXUS_PASS'),
                    string(credentialsId: \"slack-token\", variable: 'SLACK_TOKEN')
                ]) {
                    sh './publish.sh'
                }
                sshagent(['deploy-key']) {
                    sh 'ssh deploy@host uptime'
                }
                sshagent(credentials: ['bastion-a', 'bastion-b']) { sh 'true' }
                withAWS(credentials: 'aws-legacy', region: 'us-east-1') { sh 'aws s3 ls' }
                git url: 'https://git.acme.test/app.git', credentialsId: 'git-ro'
                script {
                    docker.withRegistry('https://registry.acme.test', 'registry-push') {
                        docker.image('app').push()
                    }
                }
            }
        }
    }
}
";
    let asset = pipeline(text);
    assert_eq!(
        asset.attributes["secrets"],
        json!([
            "aws-legacy",
            "aws-prod-keys",
            "bastion-a",
            "bastion-b",
            "deploy-key",
            "git-ro",
            "nexus",
            "registry-push",
            "slack-token"
        ])
    );
    let deploy = job(&asset, "Deploy");
    assert_eq!(
        deploy["steps"][0]["env"],
        json!({
            "AWS_CREDS": "credentials('aws-prod-keys')",
            "REGION": "eu-west-1",
            "NEXUS_USER": "credentials('nexus')",
            "NEXUS_PASS": "credentials('nexus')",
            "SLACK_TOKEN": "credentials('slack-token')"
        })
    );
    assert_eq!(
        deploy["steps"][1]["env"],
        json!({"AWS_CREDS": "credentials('aws-prod-keys')", "REGION": "eu-west-1"}),
        "bindings end with their block"
    );
    assert_eq!(asset.attributes["plaintext_secrets"], json!([]));
}

#[test]
fn plaintext_secrets_in_environment_are_flagged_and_redacted() {
    let text = "\
pipeline {
    agent any
    environment {
        DB_PASSWORD = 'hunter2hunter2'
        API_TOKEN = \"${params.TOKEN}\"
        SHORT_TOKEN = 'x'
    }
    stages {
        stage('Test') {
            steps {
                withEnv(['SONAR_TOKEN=squ_0123456789abcdef', 'MODE=ci']) {
                    sh 'make test'
                }
            }
        }
    }
}
";
    let asset = pipeline(text);
    assert_eq!(
        asset.attributes["plaintext_secrets"],
        json!([{"name": "DB_PASSWORD", "line": 4}, {"name": "SONAR_TOKEN", "line": 11}])
    );
    assert_eq!(asset.attributes["secrets"], json!(["DB_PASSWORD", "SONAR_TOKEN"]));
    let env = &job(&asset, "Test")["steps"][0]["env"];
    assert_eq!(
        *env,
        json!({
            "DB_PASSWORD": "[redacted]", "API_TOKEN": "${params.TOKEN}", "SHORT_TOKEN": "x",
            "SONAR_TOKEN": "[redacted]", "MODE": "ci"
        })
    );
    let serialized = serde_json::to_string(&asset).unwrap();
    assert!(
        !serialized.contains("hunter2") && !serialized.contains("squ_0123"),
        "{serialized}"
    );
}

#[test]
fn triggers_map_to_the_shared_vocabulary() {
    let text = "\
pipeline {
    agent any
    triggers {
        cron('H 4 * * 1-5')
        upstream(upstreamProjects: 'lib-build', threshold: hudson.model.Result.SUCCESS)
    }
    parameters {
        string(name: 'TARGET', defaultValue: 'staging')
    }
    stages {
        stage('PR checks') {
            when { changeRequest() }
            steps { sh 'make lint' }
        }
        stage('Approve') {
            steps { input message: 'Deploy?' }
        }
    }
}
";
    let asset = pipeline(text);
    assert_eq!(
        asset.attributes["triggers"],
        json!(["manual", "pipeline", "pull_request", "push", "schedule"])
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
            ("triggers.pipeline", 5),
            ("triggers.pull_request", 12),
            ("triggers.schedule", 4)
        ]
    );
    assert_eq!(job(&asset, "PR checks")["when"], "changeRequest()");

    let scripted = pipeline(
        "properties([pipelineTriggers([cron('@daily')])])\nnode {\n  if (env.CHANGE_ID) {\n    sh 'make pr'\n  }\n}\n",
    );
    assert_eq!(
        scripted.attributes["triggers"],
        json!(["pull_request", "push", "schedule"])
    );
    assert_eq!(scripted.attribute_lines["triggers.schedule"], 1);
    assert_eq!(scripted.attribute_lines["triggers.pull_request"], 3);
    assert_eq!(runs(&jobs(&scripted)[0]), [("make pr".to_owned(), 4)]);
}

#[test]
fn nested_parallel_matrix_and_post_stages() {
    let text = "\
pipeline {
    agent none
    stages {
        stage('Checks') {
            parallel {
                stage('Unit') {
                    agent { label 'small' }
                    steps { sh 'make unit' }
                }
                stage('Integration') {
                    agent { node { label 'large' } }
                    steps { sh 'make it' }
                    post { always { junit 'reports/*.xml' ; sh 'make clean' } }
                }
            }
        }
        stage('Matrix') {
            matrix {
                axes { axis { name 'OS'; values 'linux', 'windows' } }
                stages {
                    stage('Cell') { steps { sh \"make OS=${OS}\" } }
                }
            }
        }
    }
    post {
        failure { sh 'notify --failed' }
    }
}
";
    let asset = pipeline(text);
    let ids: Vec<_> = jobs(&asset).iter().map(|j| j["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["Checks", "Unit", "Integration", "Matrix", "Cell", "post"]);
    assert_eq!(job(&asset, "Checks")["runs_on"], Value::Null);
    assert_eq!(job(&asset, "Unit")["runs_on"], "small");
    assert_eq!(job(&asset, "Integration")["runs_on"], "large");
    assert_eq!(
        runs(job(&asset, "Integration")),
        [("make it".to_owned(), 12), ("make clean".to_owned(), 13)]
    );
    assert_eq!(runs(job(&asset, "Cell")), [("make OS=${OS}".to_owned(), 21)]);
    assert_eq!(job(&asset, "post")["line"], 26);
    assert_eq!(runs(job(&asset, "post")), [("notify --failed".to_owned(), 27)]);
}

#[test]
fn kubernetes_agent_images() {
    let text = "\
pipeline {
    agent {
        kubernetes {
            yaml '''
apiVersion: v1
kind: Pod
spec:
  containers:
    - name: golang
      image: golang:1.22
    - name: kaniko
      image: \"gcr.io/kaniko-project/executor@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"
'''
        }
    }
    stages {
        stage('Go') { steps { container('golang') { sh 'go test ./...' } } }
    }
}
";
    let asset = pipeline(text);
    assert_eq!(
        uses(job(&asset, "(pipeline)")),
        [
            ("golang:1.22".to_owned(), 10),
            (
                "gcr.io/kaniko-project/executor@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                    .to_owned(),
                12
            ),
        ]
    );
    assert_eq!(job(&asset, "Go")["runs_on"], "kubernetes");
    assert_eq!(runs(job(&asset, "Go")), [("go test ./...".to_owned(), 17)]);
}

#[test]
fn groovy_lexing_corner_cases() {
    let text = "\
// stage('commented out') { steps { sh 'no' } }
/* pipeline { stages { stage('no') {} } } */
def label = \"build-${UUID.randomUUID().toString()}\"
def helper(String target) {
    sh \"make ${target} && echo '}'\"
}
node(label) {
    stage('Regex') {
        if (env.BRANCH_NAME ==~ /release\\/.*/) {
            helper('release')
        } else {
            def out = sh(returnStdout: true, script: 'git describe').trim()
            echo \"{ not a block: ${out} }\"
        }
        sh script: cmdFromVariable
    }
}
";
    let asset = pipeline(text);
    let ids: Vec<_> = jobs(&asset).iter().map(|j| j["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["(pipeline)", "Regex"]);
    assert_eq!(
        runs(job(&asset, "(pipeline)")),
        [("make ${target} && echo '}'".to_owned(), 5)]
    );
    assert_eq!(
        runs(job(&asset, "Regex")),
        [
            ("git describe".to_owned(), 12),
            ("script: cmdFromVariable".to_owned(), 15)
        ]
    );
    assert_eq!(
        job(&asset, "Regex")["runs_on"],
        "any",
        "a variable label is not a literal"
    );
}

#[test]
fn a_shared_library_call_alone_is_a_pipeline_without_jobs() {
    let asset =
        pipeline("buildPlugin(useContainerAgent: true, configurations: [[platform: 'linux', jdk: 21]])\n");
    assert_eq!(asset.attributes["jobs"], json!([]));
    assert_eq!(asset.attributes["triggers"], json!(["push"]));
}

#[test]
fn hostile_input_does_not_panic() {
    let deep_braces = format!("node {}{}", "{".repeat(50_000), "}".repeat(50_000));
    let deep_parens = format!("sh {}'x'{}", "(".repeat(50_000), ")".repeat(50_000));
    let deep_chain = format!("a = {}1", "b = ".repeat(50_000));
    let long_line = "sh 'x' ".repeat(100_000);
    let started = Instant::now();
    for text in [
        deep_braces.as_str(),
        deep_parens.as_str(),
        deep_chain.as_str(),
        long_line.as_str(),
        ONE_STAGE.get(..40).unwrap(),
        "pipeline { stages { stage(",
        "\"\"\"",
        "'''",
        "\"${",
        "sh \"${\"",
        "/",
        "$/ dollar slashy /$",
        "@",
        "}{",
        "stage() {}",
        "pipeline { agent { docker { } } stages { stage { steps { sh } } } }",
        "withCredentials([string(credentialsId:)]) { sh }",
        "é ñ 中文 { sh 'ü' }",
    ] {
        let _ = run_extractor(&Jenkinsfile, &[(PATH, text)]);
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    let error = run_extractor(&Jenkinsfile, &[(PATH, &deep_braces)]).unwrap_err();
    assert!(error.message.contains("nesting deeper"), "{error}");
}
