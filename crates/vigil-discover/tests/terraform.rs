//! Fixture ladder for `terraform/hcl`.

mod common;

use common::run_extractor;
use serde_json::{Value, json};
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::terraform::Terraform;

fn assets(path: &str, text: &str) -> Vec<Asset> {
    let out = run_extractor(&Terraform, &[(path, text)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    out.assets
}

fn only(path: &str, text: &str) -> Asset {
    let mut found = assets(path, text);
    assert_eq!(found.len(), 1);
    found.remove(0)
}

fn lines(asset: &Asset) -> Vec<(&str, u32)> {
    asset
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect()
}

#[test]
fn claims_tf_files_only() {
    assert!(Terraform.claims("main.tf", "main.tf"));
    assert!(Terraform.claims("infra/modules/vpc/variables.tf", "variables.tf"));
    assert!(!Terraform.claims("main.tf.json", "main.tf.json"));
    assert!(!Terraform.claims("prod.tfvars", "prod.tfvars"));
    assert!(!Terraform.claims("terraform.tfstate", "terraform.tfstate"));
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(&Terraform, &[("main.tf", "{\n  \"resource\": {}\n}\n")]).unwrap_err();
    assert_eq!((error.path.as_str(), error.line), ("main.tf", Some(1)));
    assert!(error.message.starts_with("invalid HCL"), "{error}");

    let error = run_extractor(&Terraform, &[("main.tf", "# YAML\nname: vigil\nversion: 1\n")]).unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
}

#[test]
fn a_syntax_error_names_its_line() {
    let text = "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n";
    let error = run_extractor(&Terraform, &[("main.tf", text)]).unwrap_err();
    assert_eq!(error.line, Some(6), "{error}");

    let unclosed = "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n";
    let error = run_extractor(&Terraform, &[("main.tf", unclosed)]).unwrap_err();
    assert!(error.line.is_some(), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_assets() {
    assert!(assets("main.tf", "").is_empty());
    let no_resources = r#"# Only settings and plumbing.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

variable "env" {
  type    = string
  default = "dev"
}

locals {
  name = "api-${var.env}"
}

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}

output "bucket" {
  value = "x"
}
"#;
    assert!(assets("main.tf", no_resources).is_empty());
}

#[test]
fn one_resource() {
    let asset = only(
        "main.tf",
        "resource \"aws_sqs_queue\" \"jobs\" {\n  name = \"jobs\"\n}\n",
    );
    assert_eq!(asset.kind, AssetKind::CloudResource);
    assert_eq!(asset.id.as_str(), "cloud-resource:.:aws_sqs_queue.jobs");
    assert_eq!(asset.name, "aws_sqs_queue.jobs");
    assert_eq!(asset.evidence[0].location(), "main.tf:1");
    assert_eq!(
        serde_json::to_value(&asset.attributes).unwrap(),
        json!({
            "provider": "aws",
            "resource_type": "aws_sqs_queue",
            "resource_name": "jobs",
            "address": "aws_sqs_queue.jobs",
            "module_dir": ".",
            "mode": "managed",
            "config": {"name": "jobs"}
        })
    );
    assert_eq!(lines(&asset), [("name", 2)]);
}

#[test]
fn two_resources_in_a_module_directory() {
    let text = "\
resource \"google_storage_bucket\" \"assets\" {
  name     = \"acme-assets\"
  location = \"EU\"
}

resource \"azurerm_storage_account\" \"main\" {
  name = \"acmestorage\"
}
";
    let found = assets("infra/modules/storage/main.tf", text);
    let summary: Vec<_> = found
        .iter()
        .map(|a| {
            (
                a.id.as_str(),
                a.attr_str("provider").unwrap(),
                a.attr_str("module_dir").unwrap(),
                a.evidence[0].location(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "cloud-resource:infra/modules/storage:google_storage_bucket.assets",
                "google",
                "infra/modules/storage",
                "infra/modules/storage/main.tf:1".to_owned()
            ),
            (
                "cloud-resource:infra/modules/storage:azurerm_storage_account.main",
                "azurerm",
                "infra/modules/storage",
                "infra/modules/storage/main.tf:6".to_owned()
            ),
        ]
    );
}

const S3: &str = r#"resource "aws_s3_bucket" "logs" {
  bucket = "${var.env}-logs"
  tags = {
    Name        = "logs"
    Environment = var.env
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = false
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.logs.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  acl    = "public-read"
}
"#;

#[test]
fn s3_bucket_with_its_companion_resources() {
    let found = assets("infra/storage/s3.tf", S3);
    let ids: Vec<_> = found
        .iter()
        .map(|a| (a.id.as_str(), a.evidence[0].line.unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("cloud-resource:infra/storage:aws_s3_bucket.logs", 1),
            (
                "cloud-resource:infra/storage:aws_s3_bucket_public_access_block.logs",
                9
            ),
            (
                "cloud-resource:infra/storage:aws_s3_bucket_server_side_encryption_configuration.logs",
                17
            ),
            ("cloud-resource:infra/storage:aws_s3_bucket_acl.logs", 28),
        ]
    );

    let bucket = &found[0];
    assert_eq!(
        bucket.attributes["config"],
        json!({"bucket": "${var.env}-logs", "tags": {"Name": "logs", "Environment": "${var.env}"}})
    );
    assert_eq!(
        lines(bucket),
        [
            ("bucket", 2),
            ("tags", 3),
            ("tags.Environment", 5),
            ("tags.Name", 4)
        ]
    );

    let block = &found[1];
    assert_eq!(
        block.attributes["config"],
        json!({
            "bucket": "${aws_s3_bucket.logs.id}",
            "block_public_acls": true,
            "block_public_policy": true,
            "ignore_public_acls": false,
            "restrict_public_buckets": true
        })
    );
    assert_eq!(block.attribute_lines["ignore_public_acls"], 13);

    let encryption = &found[2];
    assert_eq!(
        encryption.attributes["config"],
        json!({
            "bucket": "${aws_s3_bucket.logs.id}",
            "rule": [{
                "apply_server_side_encryption_by_default": [{
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": "${aws_kms_key.logs.arn}"
                }],
                "bucket_key_enabled": true
            }]
        })
    );
    assert_eq!(
        lines(encryption),
        [
            ("bucket", 18),
            ("rule.0", 19),
            ("rule.0.apply_server_side_encryption_by_default.0", 20),
            (
                "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
                22
            ),
            (
                "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm",
                21
            ),
            ("rule.0.bucket_key_enabled", 24),
        ]
    );

    let acl = &found[3];
    assert_eq!(
        acl.attributes["config"],
        json!({"bucket": "${aws_s3_bucket.logs.id}", "acl": "public-read"})
    );
    assert_eq!(acl.evidence_for("acl").location(), "infra/storage/s3.tf:30");
}

#[test]
fn db_instance() {
    let text = r#"resource "aws_db_instance" "orders" {
  identifier              = "orders-db"
  engine                  = "postgres"
  engine_version          = "15.4"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  max_allocated_storage   = 100.5
  username                = "orders"
  password                = var.db_password
  publicly_accessible     = true
  storage_encrypted       = false
  backup_retention_period = 0
  vpc_security_group_ids  = [aws_security_group.db.id]
  kms_key_id              = null
}
"#;
    let asset = only("main.tf", text);
    assert_eq!(asset.kind, AssetKind::CloudResource);
    assert_eq!(
        asset.attributes["config"],
        json!({
            "identifier": "orders-db",
            "engine": "postgres",
            "engine_version": "15.4",
            "instance_class": "db.t3.micro",
            "allocated_storage": 20,
            "max_allocated_storage": 100.5,
            "username": "orders",
            "password": "${var.db_password}",
            "publicly_accessible": true,
            "storage_encrypted": false,
            "backup_retention_period": 0,
            "vpc_security_group_ids": ["${aws_security_group.db.id}"],
            "kms_key_id": null
        })
    );
    assert_eq!(asset.attribute_lines["publicly_accessible"], 10);
    assert_eq!(asset.attribute_lines["vpc_security_group_ids.0"], 13);
    assert_eq!(asset.evidence_for("storage_encrypted").location(), "main.tf:11");
}

const SECURITY_GROUP: &str = r#"resource "aws_security_group" "web" {
  name        = "web"
  description = "Web tier"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description      = "SSH from the office"
    from_port        = 22
    to_port          = 22
    protocol         = "tcp"
    cidr_blocks      = ["203.0.113.0/24", "198.51.100.7/32"]
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

#[test]
fn security_group_with_two_ingress_blocks() {
    let asset = only("network/sg.tf", SECURITY_GROUP);
    assert_eq!(asset.id.as_str(), "cloud-resource:network:aws_security_group.web");
    assert_eq!(
        asset.attributes["config"],
        json!({
            "name": "web",
            "description": "Web tier",
            "vpc_id": "${aws_vpc.main.id}",
            "ingress": [
                {"description": "HTTPS", "from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
                {
                    "description": "SSH from the office", "from_port": 22, "to_port": 22, "protocol": "tcp",
                    "cidr_blocks": ["203.0.113.0/24", "198.51.100.7/32"], "ipv6_cidr_blocks": ["::/0"]
                }
            ],
            "egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}]
        })
    );
    let l = &asset.attribute_lines;
    assert_eq!(
        (
            l["ingress.0"],
            l["ingress.0.cidr_blocks"],
            l["ingress.0.cidr_blocks.0"]
        ),
        (6, 11, 11)
    );
    assert_eq!(
        (
            l["ingress.1"],
            l["ingress.1.from_port"],
            l["ingress.1.ipv6_cidr_blocks"]
        ),
        (14, 16, 20)
    );
    assert_eq!((l["egress.0"], l["egress.0.protocol"]), (23, 26));
}

#[test]
fn security_group_rules_as_attributes_and_dynamic_blocks() {
    let text = r#"resource "aws_security_group" "api" {
  ingress = [{
    from_port   = -1
    to_port     = -1
    protocol    = "icmp"
    cidr_blocks = ["10.0.0.0/8"]
  }]

  dynamic "egress" {
    for_each = var.egress_rules
    content {
      from_port = egress.value.port
    }
  }
}
"#;
    let asset = only("main.tf", text);
    assert_eq!(
        asset.attributes["config"],
        json!({
            "ingress": [{"from_port": -1, "to_port": -1, "protocol": "icmp", "cidr_blocks": ["10.0.0.0/8"]}],
            "dynamic": [{
                "__labels": ["egress"],
                "for_each": "${var.egress_rules}",
                "content": [{"from_port": "${egress.value.port}"}]
            }]
        })
    );
    let l = &asset.attribute_lines;
    assert_eq!((l["ingress"], l["ingress.0"], l["ingress.0.to_port"]), (2, 2, 4));
    assert_eq!(
        (
            l["dynamic.0"],
            l["dynamic.0.content.0"],
            l["dynamic.0.content.0.from_port"]
        ),
        (9, 11, 12)
    );
}

#[test]
fn lambda_environment_variables() {
    let text = r#"resource "aws_lambda_function" "api" {
  function_name = "api"
  runtime       = "python3.12"
  handler       = "app.handler"
  role          = aws_iam_role.lambda.arn
  filename      = "${path.module}/build/api.zip"

  environment {
    variables = {
      DB_PASSWORD = "hunter2"
      API_URL     = "https://api.example.com"
      STAGE       = var.stage
    }
  }
}
"#;
    let asset = only("main.tf", text);
    assert_eq!(
        asset.attributes["config"],
        json!({
            "function_name": "api",
            "runtime": "python3.12",
            "handler": "app.handler",
            "role": "${aws_iam_role.lambda.arn}",
            "filename": "${path.module}/build/api.zip",
            "environment": [{
                "variables": {"DB_PASSWORD": "hunter2", "API_URL": "https://api.example.com", "STAGE": "${var.stage}"}
            }]
        })
    );
    let l = &asset.attribute_lines;
    assert_eq!(
        (
            l["environment.0"],
            l["environment.0.variables"],
            l["environment.0.variables.DB_PASSWORD"]
        ),
        (8, 9, 10)
    );
}

const IAM: &str = r#"resource "aws_iam_policy" "admin" {
  name = "admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_policy" "legacy" {
  name   = "legacy"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
}
EOF
}

resource "aws_iam_role_policy" "scoped" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "${aws_s3_bucket.b.arn}/*" }]
  })
}

resource "aws_iam_policy" "templated" {
  policy = <<-EOT
    {"Statement": [{"Resource": "${var.arn}"}]}
  EOT
}
"#;

#[test]
fn iam_policies_from_jsonencode_and_heredocs() {
    let found = assets("iam/main.tf", IAM);
    assert!(found.iter().all(|a| a.kind == AssetKind::Identity));
    assert_eq!(found[0].id.as_str(), "identity:iam:aws_iam_policy.admin");

    let policy = found[0].attributes["config"]["policy"].as_str().unwrap();
    assert_eq!(
        policy,
        r#"{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"}"#
    );
    assert_eq!(found[0].attribute_lines["policy"], 3);
    assert!(
        !found[0].attribute_lines.contains_key("policy.Version"),
        "jsonencode's argument is not config"
    );

    let legacy = found[1].attributes["config"]["policy"].as_str().unwrap();
    assert_eq!(
        legacy,
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]\n}\n"
    );
    let parsed: Value = serde_json::from_str(legacy).unwrap();
    assert_eq!(parsed["Statement"][0]["Action"], "s3:*");

    // An interpolation inside jsonencode stays a `${...}` string inside the JSON text, so the policy can
    // still be read (regression: the whole call used to become computed and public bucket policies with
    // an interpolated Resource went unseen).
    let scoped = found[2].attributes["config"]["policy"].as_str().unwrap();
    assert_eq!(
        scoped,
        r#"{"Statement":[{"Action":["s3:GetObject"],"Effect":"Allow","Resource":"${aws_s3_bucket.b.arn}/*"}]}"#
    );

    // A heredoc with interpolation keeps its text as written.
    let templated = found[3].attributes["config"]["policy"].as_str().unwrap();
    assert_eq!(
        templated,
        "    {\"Statement\": [{\"Resource\": \"${var.arn}\"}]}\n"
    );
}

#[test]
fn iam_policy_document_data_source() {
    let text = r#"data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }

  statement {
    effect    = "Allow"
    actions   = ["s3:*"]
    resources = ["*"]
  }
}
"#;
    let asset = only("main.tf", text);
    assert_eq!(asset.kind, AssetKind::Identity);
    assert_eq!(
        asset.id.as_str(),
        "identity:.:data.aws_iam_policy_document.assume"
    );
    assert_eq!(asset.name, "data.aws_iam_policy_document.assume");
    assert_eq!(asset.attr_str("mode"), Some("data"));
    assert_eq!(asset.attr_str("resource_type"), Some("aws_iam_policy_document"));
    assert_eq!(asset.attr_str("resource_name"), Some("assume"));
    assert_eq!(
        asset.attr_str("address"),
        Some("data.aws_iam_policy_document.assume")
    );
    assert_eq!(
        asset.attributes["config"],
        json!({
            "statement": [
                {
                    "actions": ["sts:AssumeRole"],
                    "principals": [{"type": "Service", "identifiers": ["lambda.amazonaws.com"]}]
                },
                {"effect": "Allow", "actions": ["s3:*"], "resources": ["*"]}
            ]
        })
    );
    let l = &asset.attribute_lines;
    assert_eq!(
        (
            l["statement.0.principals.0"],
            l["statement.0.principals.0.identifiers"]
        ),
        (4, 6)
    );
    assert_eq!(
        (
            l["statement.1"],
            l["statement.1.actions"],
            l["statement.1.resources.0"]
        ),
        (10, 12, 13)
    );
}

#[test]
fn providers_with_and_without_alias() {
    let text = r#"provider "aws" {
  region     = "us-east-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
  assume_role {
    role_arn = var.deploy_role
  }
}
"#;
    let found = assets("main.tf", text);
    assert_eq!(
        serde_json::to_value(&found[0].attributes).unwrap(),
        json!({
            "provider": "aws",
            "resource_type": "aws",
            "resource_name": null,
            "address": "provider.aws",
            "module_dir": ".",
            "mode": "provider",
            "config": {
                "region": "us-east-1",
                "access_key": "AKIAIOSFODNN7EXAMPLE",
                "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
            }
        })
    );
    assert_eq!(found[0].kind, AssetKind::CloudResource);
    assert_eq!(found[0].id.as_str(), "cloud-resource:.:provider.aws");
    assert_eq!(found[0].attribute_lines["secret_key"], 4);

    assert_eq!(found[1].id.as_str(), "cloud-resource:.:provider.aws.west");
    assert_eq!(found[1].attr_str("resource_name"), Some("west"));
    assert_eq!(found[1].evidence[0].line, Some(7));
    assert_eq!(
        found[1].attributes["config"]["assume_role"],
        json!([{"role_arn": "${var.deploy_role}"}])
    );
}

#[test]
fn interpolations_and_computed_values() {
    let text = r#"resource "aws_instance" "web" {
  ami           = data.aws_ami.ubuntu.id
  instance_type = var.large ? "m5.large" : "t3.micro"
  name          = "${var.env}-web"
  user          = "${"literal"}"
  escaped       = "$${not_interpolated}"
  lower_name    = lower(var.name)
  count_plus    = var.count + 1
  negative      = -var.offset
  ids           = aws_subnet.private[*].id
  names         = [for s in var.subnets : upper(s)]
  nested        = { "${var.key}" = "v", plain = 1 }
  multiline     = <<-EOT
    hello
      world
  EOT
  script        = <<EOT
echo ${var.greeting}
EOT
}
"#;
    let asset = only("main.tf", text);
    let config = &asset.attributes["config"];
    let expected = json!({
        "ami": "${data.aws_ami.ubuntu.id}",
        "instance_type": "${var.large ? \"m5.large\" : \"t3.micro\"}",
        "name": "${var.env}-web",
        "user": "${\"literal\"}",
        "escaped": "${not_interpolated}",
        "lower_name": "${lower(var.name)}",
        "count_plus": "${var.count + 1}",
        "negative": "${-var.offset}",
        "ids": "${aws_subnet.private[*].id}",
        "names": "${[for s in var.subnets : upper(s)]}",
        "nested": {"${var.key}": "v", "plain": 1},
        "multiline": "hello\n  world\n",
        "script": "echo ${var.greeting}\n"
    });
    assert_eq!(*config, expected);
    assert_eq!(asset.attribute_lines["script"], 17);
}

#[test]
fn identity_kinds_by_resource_type() {
    let text = r#"resource "aws_iam_role" "a" {}
resource "azurerm_role_assignment" "b" {}
resource "google_project_iam_member" "c" {}
resource "google_service_account" "d" {}
resource "google_service_account_key" "e" {}
resource "aws_instance" "f" {}
resource "azurerm_resource_group" "g" {}
"#;
    let kinds: Vec<_> = assets("main.tf", text).iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        [
            AssetKind::Identity,
            AssetKind::Identity,
            AssetKind::Identity,
            AssetKind::Identity,
            AssetKind::Identity,
            AssetKind::CloudResource,
            AssetKind::CloudResource,
        ]
    );
}

#[test]
fn blocks_with_wrong_labels_are_warnings() {
    let text = "resource \"aws_s3_bucket\" {\n}\n\nprovider {\n}\n\nresource \"aws_s3_bucket\" \"ok\" {\n}\n";
    let out = run_extractor(&Terraform, &[("main.tf", text)]).unwrap();
    assert_eq!(out.assets.len(), 1);
    let warnings: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(warnings, [Some(1), Some(4)]);
}

#[test]
fn hostile_input_does_not_panic() {
    let deep = format!("a = {}1{}\n", "[".repeat(5_000), "]".repeat(5_000));
    let deep_blocks = format!("{}{}", "resource \"x\" \"y\" {\n".repeat(200), "}\n".repeat(200));
    let long_chain = format!(
        "resource \"x\" \"y\" {{\n  a = {}\n}}\n",
        vec!["1"; 5_000].join(" + ")
    );
    for text in [
        deep.as_str(),
        deep_blocks.as_str(),
        long_chain.as_str(),
        "\u{0}",
        "resource \"x\" \"y\" { a = \"\\u{zz}\" }\n",
        "a = <<EOF\n",
    ] {
        let _ = run_extractor(&Terraform, &[("main.tf", text)]);
    }
}
