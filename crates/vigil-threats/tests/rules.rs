//! Each rule on a repository that triggers it and on one that must not: rule id, title, evidence line.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::fs;

use vigil_core::{Finding, Scope};

fn findings(files: &[(&str, &str)]) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let target = dir.path().join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, text).unwrap();
    }
    let mut inventory = vigil_discover::run(dir.path(), &Scope::default())
        .unwrap()
        .inventory;
    let model = vigil_model::run(&mut inventory, &Scope::default());
    vigil_threats::run(&inventory, &model, &Scope::default())
}

/// Findings of the rules on a repository made of `files`: (rule id, title, first evidence `path:line`).
fn run(files: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = findings(files)
        .into_iter()
        .map(|f| {
            (
                f.rule_id.unwrap(),
                f.title,
                f.evidence.first().map(|e| e.location()).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

fn ids(found: &[(String, String, String)]) -> Vec<&str> {
    found.iter().map(|(id, _, _)| id.as_str()).collect()
}

fn triple(id: &str, title: &str, location: &str) -> (String, String, String) {
    (id.to_owned(), title.to_owned(), location.to_owned())
}

#[test]
fn public_buckets_through_acls_and_policies_unless_blocked() {
    let tf = r#"
resource "aws_s3_bucket" "open" { bucket = "open" }
resource "aws_s3_bucket_acl" "open" {
  bucket = aws_s3_bucket.open.id
  acl    = "public-read-write"
}

resource "aws_s3_bucket" "shared" { bucket = "shared" }
resource "aws_s3_bucket_policy" "shared" {
  bucket = aws_s3_bucket.shared.id
  policy = data.aws_iam_policy_document.shared.json
}
data "aws_iam_policy_document" "shared" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.shared.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket" "blocked" {
  bucket = "blocked"
  acl    = "public-read"
}
resource "aws_s3_bucket_public_access_block" "blocked" {
  bucket             = aws_s3_bucket.blocked.id
  ignore_public_acls = true
}

resource "aws_s3_bucket" "private" { bucket = "private" }
"#;
    let found: Vec<_> = run(&[("infra/s3.tf", tf)])
        .into_iter()
        .filter(|(id, _, _)| id == "aws-s3-public-access")
        .collect();
    assert_eq!(
        found,
        vec![
            triple(
                "aws-s3-public-access",
                "S3 bucket aws_s3_bucket.open is readable and writable by anyone",
                "infra/s3.tf:5"
            ),
            triple(
                "aws-s3-public-access",
                "S3 bucket aws_s3_bucket.shared is readable by anyone",
                "infra/s3.tf:14"
            ),
        ]
    );
}

#[test]
fn databases_public_and_unencrypted() {
    let tf = r#"
resource "aws_security_group" "db" {
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_db_instance" "bad" {
  publicly_accessible    = true
  vpc_security_group_ids = [aws_security_group.db.id]
}
resource "aws_db_instance" "good" {
  storage_encrypted   = true
  publicly_accessible = false
}
resource "aws_db_instance" "replica" {
  replicate_source_db = aws_db_instance.good.identifier
}
"#;
    // The exposure and encryption rules; backups, deletion protection and IAM authentication have their
    // own fixtures.
    let about = [
        "aws-rds-publicly-accessible",
        "aws-rds-storage-unencrypted",
        "aws-sg-open-ingress",
    ];
    let found: Vec<_> = run(&[("db.tf", tf)])
        .into_iter()
        .filter(|(id, _, _)| about.contains(&id.as_str()))
        .collect();
    assert_eq!(
        ids(&found),
        vec![
            "aws-rds-publicly-accessible",
            "aws-rds-storage-unencrypted",
            "aws-sg-open-ingress"
        ]
    );
    assert_eq!(found[0].2, "db.tf:11");
    assert_eq!(found[1].1, "aws_db_instance.bad stores its data unencrypted");
    assert_eq!(
        found[2].1,
        "aws_security_group.db opens PostgreSQL (port 5432) to 0.0.0.0/0"
    );
    assert_eq!(found[2].2, "db.tf:7");
}

#[test]
fn security_groups_only_for_sensitive_ports_or_everything() {
    let tf = r#"
resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
resource "aws_security_group" "wide" {}
resource "aws_security_group_rule" "all" {
  type              = "ingress"
  security_group_id = aws_security_group.wide.id
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  ipv6_cidr_blocks  = ["::/0"]
}
resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_security_group.wide.id
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "tcp"
  cidr_ipv4         = "0.0.0.0/0"
}
"#;
    let found = run(&[("sg.tf", tf)]);
    let titles: Vec<&str> = found.iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "aws_security_group.wide opens RDP (port 3389) to 0.0.0.0/0",
            "aws_security_group.wide opens all ports to ::/0"
        ]
    );
}

#[test]
fn wildcard_iam_in_every_policy_form() {
    let tf = r#"
resource "aws_iam_policy" "admin" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
resource "aws_iam_role_policy" "iam" {
  policy = <<POLICY
{"Statement": [{"Effect": "Allow", "Action": ["iam:*"], "Resource": "*"}]}
POLICY
}
resource "aws_iam_user_policy" "deny" {
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }] })
}
resource "aws_iam_group_policy" "scoped" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "${aws_s3_bucket.b.arn}/*" }] })
}
resource "aws_iam_role" "inline" {
  inline_policy {
    policy = jsonencode({ Statement = [{ Effect = "Allow", NotAction = ["iam:*"], Resource = "*" }] })
  }
}
"#;
    let found = run(&[("iam.tf", tf)]);
    let titles: Vec<&str> = found.iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "aws_iam_policy.admin allows every action (`Action: \"*\"`)",
            "aws_iam_role.inline allows everything except a list (`Allow` with `NotAction`)",
            "aws_iam_role_policy.iam allows every IAM action (`iam:*`), enough to grant itself anything",
        ]
    );
}

const SECRETS: &str = r#"
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = var.secret_key
}
resource "aws_lambda_function" "f" {
  environment {
    variables = {
      DB_PASSWORD = "correct-horse-battery"
      API_TOKEN   = var.token
      TABLE_NAME  = "orders"
      SOMETHING   = "AKIAIOSFODNN7EXAMPLE"
    }
  }
}
"#;

#[test]
fn secrets_in_lambda_environments_and_providers() {
    let found = run(&[("main.tf", SECRETS)]);
    assert_eq!(
        found,
        vec![
            triple(
                "aws-lambda-plaintext-secret",
                "aws_lambda_function.f has the secret DB_PASSWORD in plain text",
                "main.tf:10"
            ),
            triple(
                "aws-lambda-plaintext-secret",
                "aws_lambda_function.f has the secret SOMETHING in plain text",
                "main.tf:13"
            ),
            triple(
                "terraform-provider-credentials",
                "provider.aws has a hard-coded access_key",
                "main.tf:4"
            ),
        ]
    );
}

#[test]
fn secret_values_never_reach_a_finding() {
    let text = serde_json::to_string(&findings(&[("main.tf", SECRETS)])).unwrap();
    assert!(
        !text.contains("correct-horse-battery") && !text.contains("AKIAIOSFODNN7EXAMPLE"),
        "{text}"
    );
    assert!(text.contains("AKIA…(20 chars)"));
}

const PWN: &str = r#"name: preview
on:
  pull_request_target:
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}" && echo ${{ github.sha }}
      - uses: actions/github-script@v7
        with:
          script: console.log("${{ github.event.comment.body }}")
      - uses: some-org/deploy@v2
      - uses: some-org/deploy@v2
      - uses: other-org/pinned@0123456789abcdef0123456789abcdef01234567
      - uses: ./local-action
"#;

#[test]
fn workflow_rules() {
    let found = run(&[(".github/workflows/preview.yml", PWN)]);
    let file = ".github/workflows/preview.yml";
    assert_eq!(
        found,
        vec![
            triple(
                "gha-pull-request-target-checkout",
                "preview: job `build` runs pull request code with the base repository's secrets",
                &format!("{file}:11")
            ),
            triple(
                "gha-script-injection",
                "preview: job `build` runs `github.event.comment.body` as shell code",
                &format!("{file}:15")
            ),
            triple(
                "gha-script-injection",
                "preview: job `build` runs `github.event.pull_request.title` as shell code",
                &format!("{file}:12")
            ),
            triple(
                "gha-unpinned-action",
                "preview: some-org/deploy is pinned to `v2`, not a commit",
                &format!("{file}:16")
            ),
            triple(
                "gha-write-all-permissions",
                "preview: every job's token can write everything",
                &format!("{file}:4")
            ),
        ]
    );
}

#[test]
fn safe_workflows_raise_nothing() {
    let safe = r#"on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - env:
          TITLE: ${{ github.event.pull_request.title }}
        run: echo "$TITLE"
"#;
    assert!(run(&[(".github/workflows/ci.yml", safe)]).is_empty());
}

#[test]
fn static_cloud_keys_in_ci_versus_oidc() {
    let keys = r#"on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@0123456789abcdef0123456789abcdef01234567
        with:
          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
"#;
    let found = run(&[(".github/workflows/deploy.yml", keys)]);
    assert_eq!(ids(&found), vec!["ci-static-cloud-credentials"]);
    assert_eq!(found[0].2, ".github/workflows/deploy.yml:6");

    let oidc = r#"on: push
permissions:
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@0123456789abcdef0123456789abcdef01234567
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
"#;
    assert!(run(&[(".github/workflows/deploy.yml", oidc)]).is_empty());
}

#[test]
fn every_rule_documents_itself() {
    for rule in vigil_threats::registry::rules() {
        let doc = rule.meta().markdown();
        for section in [
            "## What it finds",
            "## Why it matters",
            "## Example",
            "## Fix",
            "## How to verify",
            "## References",
        ] {
            assert!(doc.contains(section), "{}: {section}", rule.meta().id);
        }
    }
}

/// Every rule documents its false positives, and its CAPEC and ATT&CK ids exist in MITRE's data (CAPEC
/// 3.9 and ATT&CK Enterprise 18.1 in ../shared/data/mitre) as live, not deprecated, entries.
#[test]
fn rule_references_are_real() {
    for rule in vigil_threats::registry::rules() {
        let meta = rule.meta();
        assert!(
            meta.false_positives.len() > 40,
            "{}: false positives undocumented",
            meta.id
        );
        assert!(meta.cwe.iter().all(|c| c.starts_with("CWE-")), "{}", meta.id);
        assert!(meta.capec.iter().all(|c| c.starts_with("CAPEC-")), "{}", meta.id);
        assert!(meta.attack.iter().all(|t| t.starts_with('T')), "{}", meta.id);
    }
    let mitre = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/mitre");
    if !mitre.is_dir() {
        println!("skipped: ../shared/data not present");
        return;
    }
    let live_ids = |file: &str, source: &str, kind: &str| -> std::collections::HashSet<String> {
        let bytes = std::fs::read(mitre.join(file)).unwrap();
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text).unwrap();
        let bundle: serde_json::Value = serde_json::from_slice(&text).unwrap();
        bundle["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["type"] == kind && o["revoked"] != true && o["x_mitre_deprecated"] != true)
            .flat_map(|o| o["external_references"].as_array().cloned().unwrap_or_default())
            .filter(|r| r["source_name"] == source)
            .filter_map(|r| r["external_id"].as_str().map(str::to_owned))
            .collect()
    };
    let capec = live_ids("capec-stix-2.1.json.gz", "capec", "attack-pattern");
    let attack = live_ids(
        "enterprise-attack-v18.1-core.json.gz",
        "mitre-attack",
        "attack-pattern",
    );
    for rule in vigil_threats::registry::rules() {
        let meta = rule.meta();
        for id in meta.capec {
            assert!(
                capec.contains(*id),
                "{}: {id} is not a live CAPEC pattern",
                meta.id
            );
        }
        for id in meta.attack {
            assert!(
                attack.contains(*id),
                "{}: {id} is not a live ATT&CK technique",
                meta.id
            );
        }
    }
}

#[test]
fn instances_with_imdsv1_and_unencrypted_volumes() {
    let tf = r#"
resource "aws_instance" "legacy" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  root_block_device {
    volume_size = 20
  }
}
resource "aws_instance" "hardened" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "required"
  }
  root_block_device {
    encrypted = true
  }
}
resource "aws_launch_template" "optional" {
  metadata_options {
    http_tokens = "optional"
  }
}
resource "aws_launch_template" "variable" {
  metadata_options {
    http_tokens = var.tokens
  }
}
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
}
resource "aws_ebs_volume" "restored" {
  availability_zone = "eu-west-1a"
  snapshot_id       = "snap-123"
}
resource "aws_ebs_volume" "sealed" {
  availability_zone = "eu-west-1a"
  encrypted         = true
}
"#;
    let found = run(&[("compute.tf", tf)]);
    let relevant: Vec<&(String, String, String)> = found
        .iter()
        .filter(|(id, _, _)| id == "aws-ec2-imds-v1" || id == "aws-ebs-volume-unencrypted")
        .collect();
    assert_eq!(
        relevant,
        vec![
            &triple(
                "aws-ebs-volume-unencrypted",
                "aws_ebs_volume.data: the volume is not encrypted",
                "compute.tf:29"
            ),
            &triple(
                "aws-ebs-volume-unencrypted",
                "aws_instance.legacy: root_block_device is not encrypted",
                "compute.tf:5"
            ),
            &triple(
                "aws-ec2-imds-v1",
                "aws_instance.legacy answers IMDSv1 metadata requests",
                "compute.tf:3"
            ),
            &triple(
                "aws-ec2-imds-v1",
                "aws_launch_template.optional answers IMDSv1 metadata requests",
                "compute.tf:21"
            ),
        ]
    );
}

#[test]
fn a_recorded_control_mitigates_without_hiding_the_finding() {
    let tf = "resource \"aws_instance\" \"legacy\" {\n  ami           = \"ami-123\"\n  instance_type = \"t3.micro\"\n}\n";
    let model_file =
        "components:\n  - id: res:./aws_instance.legacy\n    controls: [imdsv2-required-by-default]\n";
    let plain = findings(&[("main.tf", tf)]);
    let imds = |found: &[Finding]| {
        found
            .iter()
            .find(|f| f.rule_id.as_deref() == Some("aws-ec2-imds-v1"))
            .cloned()
    };
    assert_eq!(imds(&plain).unwrap().status, vigil_core::Status::Open);

    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), tf).unwrap();
    fs::write(dir.path().join("vigil-model.yaml"), model_file).unwrap();
    let mut inventory = vigil_discover::run(dir.path(), &Scope::default())
        .unwrap()
        .inventory;
    let mut model = vigil_model::run(&mut inventory, &Scope::default());
    let warnings = vigil_model::overlay::apply(&mut model, model_file, "vigil-model.yaml").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let found = vigil_threats::run(&inventory, &model, &Scope::default());
    let mitigated = imds(&found).unwrap();
    assert_eq!(mitigated.status, vigil_core::Status::Mitigated);
    let statement = mitigated.decision.unwrap().statement.unwrap();
    assert!(statement.contains("imdsv2-required-by-default"), "{statement}");
    // A control the rule does not name changes nothing.
    let other = "components:\n  - id: res:./aws_instance.legacy\n    controls: [waf]\n";
    let mut model = vigil_model::run(&mut inventory, &Scope::default());
    vigil_model::overlay::apply(&mut model, other, "vigil-model.yaml").unwrap();
    let found = vigil_threats::run(&inventory, &model, &Scope::default());
    assert_eq!(imds(&found).unwrap().status, vigil_core::Status::Open);
}

#[test]
fn root_images_and_privileged_containers() {
    let root = "FROM node:22\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n";
    let explicit_root = "FROM python:3.12\nUSER root\nCMD [\"python\", \"app.py\"]\n";
    let fixed = "FROM node:22\nCOPY . /app\nUSER node\nCMD [\"node\", \"/app/server.js\"]\n";
    let deployment = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent
spec:
  template:
    spec:
      containers:
        - name: agent
          image: agent:1.0
          securityContext:
            privileged: true
        - name: sidecar
          image: sidecar:1.0
"#;
    let safe = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: web:1.0
          securityContext:
            privileged: false
"#;
    let found = run(&[
        ("api/Dockerfile", root),
        ("worker/Dockerfile", explicit_root),
        ("web/Dockerfile", fixed),
        ("k8s/agent.yaml", deployment),
        ("k8s/web.yaml", safe),
    ]);
    let relevant: Vec<(&str, &str)> = found
        .iter()
        .filter(|(id, _, _)| id == "dockerfile-root-user" || id == "k8s-privileged-container")
        .map(|(id, title, _)| (id.as_str(), title.as_str()))
        .collect();
    assert_eq!(relevant.len(), 3, "{found:#?}");
    assert!(
        relevant
            .iter()
            .any(|(id, t)| *id == "dockerfile-root-user" && t.starts_with("api/Dockerfile"))
    );
    assert!(
        relevant
            .iter()
            .any(|(id, t)| *id == "dockerfile-root-user" && t.starts_with("worker/Dockerfile"))
    );
    assert!(
        relevant
            .iter()
            .any(|(id, t)| *id == "k8s-privileged-container"
                && t.contains("container `agent` runs privileged")),
        "{relevant:?}"
    );
}

#[test]
fn buckets_without_versioning() {
    let tf = r#"
resource "aws_s3_bucket" "bare" {
  bucket = "shop-bare"
}
resource "aws_s3_bucket" "inline" {
  bucket = "shop-inline"
  versioning {
    enabled = true
  }
}
resource "aws_s3_bucket" "companion" {
  bucket = "shop-companion"
}
resource "aws_s3_bucket_versioning" "companion" {
  bucket = aws_s3_bucket.companion.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket" "suspended" {
  bucket = "shop-suspended"
}
resource "aws_s3_bucket_versioning" "suspended" {
  bucket = aws_s3_bucket.suspended.id
  versioning_configuration {
    status = "Suspended"
  }
}
"#;
    let found = run(&[("storage.tf", tf)]);
    let versioning: Vec<&(String, String, String)> = found
        .iter()
        .filter(|(id, _, _)| id == "aws-s3-versioning-disabled")
        .collect();
    assert_eq!(
        versioning,
        vec![
            &triple(
                "aws-s3-versioning-disabled",
                "aws_s3_bucket.bare keeps no previous versions of its objects",
                "storage.tf:3"
            ),
            &triple(
                "aws-s3-versioning-disabled",
                "aws_s3_bucket.suspended keeps no previous versions of its objects",
                "storage.tf:21"
            ),
        ]
    );
}

/// Terraform the extractor does not model (unknown top-level blocks, `for_each`, functions and
/// interpolations everywhere) does not stop the run: the resources it does read are still checked.
#[test]
fn unknown_hcl_blocks_and_interpolations_do_not_stop_the_run() {
    let tf = r#"
terraform {
  required_version = ">= 1.6"
  cloud { organization = "shop" }
}
moved {
  from = aws_s3_bucket.old
  to   = aws_s3_bucket.data
}
import {
  to = aws_s3_bucket.data
  id = "data-${var.env}"
}
check "health" {
  data "http" "site" { url = "https://${local.host}/health" }
  assert {
    condition     = data.http.site.status_code == 200
    error_message = "${local.host} is down"
  }
}
removed {
  from = aws_instance.legacy
  lifecycle { destroy = false }
}
locals {
  host = join(".", [var.env, "shop.example"])
}
resource "aws_s3_bucket" "data" {
  for_each = toset(["a", "b"])
  bucket   = "data-${each.key}-${var.env}"
}
resource "aws_instance" "web" {
  ami           = data.aws_ami.base.id
  instance_type = lookup(var.sizes, var.env, "t3.micro")
}
"#;
    let found = run(&[("infra/main.tf", tf)]);
    assert!(
        found
            .iter()
            .any(|(id, title, _)| id == "aws-ec2-imds-v1" && title.contains("aws_instance.web")),
        "{found:?}"
    );
}

/// A component declared only in vigil-model.yaml, with the capabilities people know it has, gets the
/// threats those capabilities make relevant, and an unknown capability is a warning naming it.
#[test]
fn capabilities_declared_in_the_model_file_make_threats_relevant() {
    let dir = tempfile::tempdir().unwrap();
    let mut inventory = vigil_discover::run(dir.path(), &Scope::default())
        .unwrap()
        .inventory;
    let mut model = vigil_model::run(&mut inventory, &Scope::default());
    let warnings = vigil_model::overlay::apply(
        &mut model,
        "components:\n  - id: svc:importer\n    name: Partner importer\n    kind: process\n    internet_facing: true\n    capabilities: [parses-xml, telepathy]\n",
        "vigil-model.yaml",
    )
    .unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].message.contains("unknown capability `telepathy`"));
    let found: Vec<(String, String)> = vigil_threats::run(&inventory, &model, &Scope::default())
        .into_iter()
        .map(|f| (f.rule_id.unwrap(), f.title))
        .collect();
    assert!(found.iter().any(|(id, _)| id == "xxe"), "{found:?}");
}
