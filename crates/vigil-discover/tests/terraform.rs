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

output "bucket" {
  value = "x"
}
"#;
    // (A `module` block is an asset: see `modules_and_where_their_code_comes_from`.)
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

// --- Modules ---------------------------------------------------------------------------------------------

const MODULES: &str = r#"module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"

  name            = "main"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  enable_nat_gateway = true
}

module "eks" {
  source = "terraform-aws-modules/eks/aws"
}

module "private" {
  source  = "app.terraform.io/acme/network/azurerm//modules/hub"
  version = "~> 2.1"
}

module "network" {
  source = "./modules/network"
  vpc_id = module.vpc.vpc_id
}

module "shared" {
  source = "../shared"
}

module "pinned_git" {
  source = "git::https://github.com/acme/tf-modules.git//lambda?ref=v1.2.0"
}

module "unpinned_git" {
  source = "git::ssh://git@github.com/acme/tf-modules.git//lambda"
}

module "github" {
  source = "github.com/acme/terraform-aws-bucket"
}

module "archive" {
  source = "https://example.com/modules/vpc.zip"
}

module "s3" {
  source = "s3::https://s3-eu-west-1.amazonaws.com/acme-modules/vpc.zip?ref=3"
}

module "odd" {
  source = "modules/network"
}
"#;

#[test]
fn modules_and_where_their_code_comes_from() {
    let found = assets("infra/main.tf", MODULES);
    let vpc = &found[0];
    assert_eq!(vpc.kind, AssetKind::CloudResource);
    assert_eq!(vpc.id.as_str(), "cloud-resource:infra:module.vpc");
    assert_eq!(vpc.evidence[0].location(), "infra/main.tf:1");
    assert_eq!(
        serde_json::to_value(&vpc.attributes).unwrap(),
        json!({
            "provider": "terraform",
            "resource_type": "module",
            "resource_name": "vpc",
            "address": "module.vpc",
            "module_dir": "infra",
            "mode": "module",
            "source": "terraform-aws-modules/vpc/aws",
            "version": "5.8.1",
            "source_kind": "registry",
            "ref": null,
            "pinned": true,
            "config": {
                "name": "main",
                "cidr": "10.0.0.0/16",
                "azs": ["eu-west-1a", "eu-west-1b"],
                "enable_nat_gateway": true
            }
        })
    );
    assert_eq!(
        (vpc.attribute_lines["source"], vpc.attribute_lines["version"]),
        (2, 3)
    );
    assert_eq!(vpc.attribute_lines["azs.1"], 7);

    let summary: Vec<_> = found
        .iter()
        .map(|m| {
            (
                m.attr_str("resource_name").unwrap(),
                m.attr_str("source_kind").unwrap(),
                m.attributes["ref"].clone(),
                m.attr_bool("pinned").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("vpc", "registry", Value::Null, true),
            ("eks", "registry", Value::Null, false),
            ("private", "registry", Value::Null, true),
            ("network", "local", Value::Null, true),
            ("shared", "local", Value::Null, true),
            ("pinned_git", "git", json!("v1.2.0"), true),
            ("unpinned_git", "git", Value::Null, false),
            ("github", "git", Value::Null, false),
            ("archive", "http", Value::Null, false),
            ("s3", "s3", json!("3"), true),
            // Terraform reads a bare relative path as a registry address, and fails: neither.
            ("odd", "unknown", Value::Null, false),
        ]
    );
    assert_eq!(found[1].attributes["version"], Value::Null);
    assert_eq!(
        found[3].attributes["config"],
        json!({"vpc_id": "${module.vpc.vpc_id}"})
    );

    let out = run_extractor(
        &Terraform,
        &[("main.tf", "module {\n}\nmodule \"a\" \"b\" {\n}\n")],
    )
    .unwrap();
    assert!(out.assets.is_empty());
    let warnings: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                Some(1),
                "`module` block needs one label (the module name); skipped"
            ),
            (
                Some(3),
                "`module` block needs one label (the module name); skipped"
            ),
        ]
    );
}

// --- Azure and Google Cloud ---------------------------------------------------------------------------------

const AZURE: &str = r#"resource "azurerm_storage_account" "data" {
  name                            = "acmedata"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GRS"
  min_tls_version                 = "TLS1_0"
  allow_nested_items_to_be_public = true
  public_network_access_enabled   = true

  network_rules {
    default_action = "Allow"
    ip_rules       = ["0.0.0.0/0"]
  }
}

resource "azurerm_storage_container" "exports" {
  name                  = "exports"
  storage_account_name  = azurerm_storage_account.data.name
  container_access_type = "blob"
}

resource "azurerm_user_assigned_identity" "app" {
  name                = "app"
  resource_group_name = azurerm_resource_group.main.name
  location            = "westeurope"
}

resource "azurerm_role_assignment" "app_owner" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}

resource "azurerm_key_vault" "main" {
  name                       = "acme-kv"
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  purge_protection_enabled   = false
  soft_delete_retention_days = 7
}

resource "azurerm_linux_function_app" "api" {
  name                       = "acme-api"
  storage_account_name       = azurerm_storage_account.data.name
  https_only                 = false

  site_config {
    ftps_state = "AllAllowed"
    cors {
      allowed_origins = ["*"]
    }
  }

  app_settings = {
    DB_PASSWORD = "hunter2"
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }
}

resource "azurerm_cosmosdb_sql_role_assignment" "reader" {
  account_name = "acme"
}

resource "azuread_application" "portal" {
  display_name = "portal"
}
"#;

#[test]
fn azure_resources() {
    let found = assets("infra/azure/main.tf", AZURE);
    let kinds: Vec<_> = found
        .iter()
        .map(|a| (a.name.as_str(), a.kind, a.attr_str("provider").unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "azurerm_storage_account.data",
                AssetKind::CloudResource,
                "azurerm"
            ),
            (
                "azurerm_storage_container.exports",
                AssetKind::CloudResource,
                "azurerm"
            ),
            (
                "azurerm_user_assigned_identity.app",
                AssetKind::Identity,
                "azurerm"
            ),
            (
                "azurerm_role_assignment.app_owner",
                AssetKind::Identity,
                "azurerm"
            ),
            ("azurerm_key_vault.main", AssetKind::CloudResource, "azurerm"),
            (
                "azurerm_linux_function_app.api",
                AssetKind::CloudResource,
                "azurerm"
            ),
            (
                "azurerm_cosmosdb_sql_role_assignment.reader",
                AssetKind::Identity,
                "azurerm"
            ),
            ("azuread_application.portal", AssetKind::Identity, "azuread"),
        ]
    );
    let account = &found[0];
    assert_eq!(
        account.attributes["config"]["allow_nested_items_to_be_public"],
        json!(true)
    );
    assert_eq!(
        account.attributes["config"]["network_rules"],
        json!([{"default_action": "Allow", "ip_rules": ["0.0.0.0/0"]}])
    );
    assert_eq!(account.attribute_lines["network_rules.0.ip_rules.0"], 13);
    assert_eq!(found[1].attributes["config"]["container_access_type"], "blob");
    assert_eq!(found[3].attributes["config"]["role_definition_name"], "Owner");
    assert_eq!(
        found[3].attributes["config"]["principal_id"],
        "${azurerm_user_assigned_identity.app.principal_id}"
    );
    let function = &found[5];
    assert_eq!(
        function.attributes["config"]["site_config"],
        json!([{"ftps_state": "AllAllowed", "cors": [{"allowed_origins": ["*"]}]}])
    );
    assert_eq!(
        function.attribute_lines["site_config.0.cors.0.allowed_origins"],
        51
    );
    assert_eq!(function.attribute_lines["app_settings.DB_PASSWORD"], 56);
    assert_eq!(
        function.evidence_for("https_only").location(),
        "infra/azure/main.tf:46"
    );
}

const GOOGLE: &str = r#"resource "google_storage_bucket" "exports" {
  name                        = "acme-exports"
  location                    = "EU"
  uniform_bucket_level_access = false
  public_access_prevention    = "inherited"

  versioning {
    enabled = false
  }
}

resource "google_storage_bucket_iam_member" "public" {
  bucket = google_storage_bucket.exports.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_sql_database_instance" "orders" {
  name             = "orders"
  database_version = "POSTGRES_15"
  region           = "europe-west1"

  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled = true
      require_ssl  = false
      authorized_networks {
        name  = "anywhere"
        value = "0.0.0.0/0"
      }
    }
    backup_configuration {
      enabled = false
    }
  }
}

resource "google_service_account" "runner" {
  account_id = "runner"
}

resource "google_project_iam_binding" "owners" {
  project = "acme-prod"
  role    = "roles/owner"
  members = ["serviceAccount:${google_service_account.runner.email}"]
}

resource "google_cloud_run_v2_service" "api" {
  name     = "api"
  location = "europe-west1"
  ingress  = "INGRESS_TRAFFIC_ALL"

  template {
    service_account = google_service_account.runner.email
    containers {
      image = "europe-docker.pkg.dev/acme/api/api:1.0"
    }
  }
}

resource "google_cloud_run_v2_service_iam_member" "invoker" {
  name   = google_cloud_run_v2_service.api.name
  role   = "roles/run.invoker"
  member = "allUsers"
}

resource "google_iam_workload_identity_pool" "github" {
  workload_identity_pool_id = "github"
}
"#;

#[test]
fn google_cloud_resources() {
    let found = assets("gcp/main.tf", GOOGLE);
    let kinds: Vec<_> = found.iter().map(|a| (a.name.as_str(), a.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("google_storage_bucket.exports", AssetKind::CloudResource),
            ("google_storage_bucket_iam_member.public", AssetKind::Identity),
            ("google_sql_database_instance.orders", AssetKind::CloudResource),
            ("google_service_account.runner", AssetKind::Identity),
            ("google_project_iam_binding.owners", AssetKind::Identity),
            ("google_cloud_run_v2_service.api", AssetKind::CloudResource),
            (
                "google_cloud_run_v2_service_iam_member.invoker",
                AssetKind::Identity
            ),
            ("google_iam_workload_identity_pool.github", AssetKind::Identity),
        ]
    );
    assert!(found.iter().all(|a| a.attr_str("provider") == Some("google")));
    assert_eq!(found[1].attributes["config"]["member"], "allUsers");
    let sql = &found[2];
    assert_eq!(
        sql.attributes["config"]["settings"][0]["ip_configuration"][0]["authorized_networks"],
        json!([{"name": "anywhere", "value": "0.0.0.0/0"}])
    );
    assert_eq!(
        sql.attribute_lines["settings.0.ip_configuration.0.authorized_networks.0.value"],
        30
    );
    assert_eq!(
        sql.attribute_lines["settings.0.backup_configuration.0.enabled"],
        34
    );
    assert_eq!(
        found[4].attributes["config"]["members"],
        json!(["serviceAccount:${google_service_account.runner.email}"])
    );
    assert_eq!(found[5].attribute_lines["template.0.containers.0.image"], 57);
}

// --- Literal variables and locals ---------------------------------------------------------------------------

const VARIABLES_TF: &str = r#"variable "env" {
  type    = string
  default = "dev"
}

variable "region" {
  default = "eu-west-1"
}

variable "public" {
  type    = bool
  default = false
}

variable "tags" {
  default = { team = "payments", cost_center = 42 }
}

variable "zones" {
  default = ["a", "b"]
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "computed" {
  default = timestamp()
}
"#;

const TFVARS: &str = r#"env         = "prod"
db_password = "hunter2"
"#;

const MAIN_TF: &str = r#"locals {
  name_prefix = "${var.env}-shop"
  bucket_name = "${local.name_prefix}-logs"
  subnet      = aws_subnet.private.id
}

provider "aws" {
  region = var.region
}

resource "aws_s3_bucket" "logs" {
  bucket = local.bucket_name
  tags = {
    Team = var.tags.team
    Cost = var.tags["cost_center"]
    Env  = "${upper(var.env)}-${var.env}"
  }
}

resource "aws_db_instance" "orders" {
  identifier          = "orders-${var.env}"
  password            = var.db_password
  publicly_accessible = var.public
  availability_zone   = "${var.region}${var.zones[1]}"
  subnet              = local.subnet
  created             = var.computed
  unknown             = var.not_declared
  policy = jsonencode({ Resource = "arn:aws:s3:::${local.bucket_name}/*" })
  user_data = <<-EOT
    ENV=${var.env}
  EOT
}

resource "aws_sqs_queue" "plain" {
  name = "jobs"
}

module "lambda" {
  source      = "./modules/lambda"
  environment = var.env
}
"#;

#[test]
fn literal_variables_and_locals_are_resolved() {
    let out = run_extractor(
        &Terraform,
        &[
            ("infra/main.tf", MAIN_TF),
            ("infra/variables.tf", VARIABLES_TF),
            ("infra/terraform.tfvars", TFVARS),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let found = out.assets;

    let provider = &found[0];
    assert_eq!(provider.attributes["config"], json!({"region": "eu-west-1"}));
    assert_eq!(provider.attributes["resolved"], json!(["var.region"]));

    // A local built from a variable (overridden in terraform.tfvars) and another local.
    let bucket = &found[1];
    assert_eq!(
        bucket.attributes["config"],
        json!({
            "bucket": "prod-shop-logs",
            "tags": {"Team": "payments", "Cost": 42, "Env": "${upper(var.env)}-prod"}
        })
    );
    assert_eq!(
        bucket.attributes["resolved"],
        json!(["local.bucket_name", "var.env", "var.tags"])
    );
    assert_eq!(bucket.attribute_lines["bucket"], 12);

    let db = &found[2];
    assert_eq!(
        db.attributes["config"],
        json!({
            "identifier": "orders-prod",
            "password": "hunter2",
            "publicly_accessible": false,
            "availability_zone": "eu-west-1b",
            "subnet": "${local.subnet}",
            "created": "${var.computed}",
            "unknown": "${var.not_declared}",
            "policy": r#"{"Resource":"arn:aws:s3:::prod-shop-logs/*"}"#,
            "user_data": "ENV=prod\n"
        })
    );
    assert_eq!(
        db.attributes["resolved"],
        json!([
            "local.bucket_name",
            "var.db_password",
            "var.env",
            "var.public",
            "var.region",
            "var.zones"
        ])
    );

    // Nothing substituted: no `resolved` attribute.
    assert!(!found[3].attributes.contains_key("resolved"));

    let module = &found[4];
    assert_eq!(module.attributes["config"], json!({"environment": "prod"}));
    assert_eq!(module.attributes["resolved"], json!(["var.env"]));
}

#[test]
fn variables_in_the_same_file_and_tfvars_json() {
    let text = r#"variable "stage" {
  default = "dev"
}

variable "replicas" {
  default = 1
}

resource "aws_ecs_service" "api" {
  name          = "api-${var.stage}"
  desired_count = var.replicas
  cluster       = "${aws_ecs_cluster.main.id}/${var.stage}"
}
"#;
    let asset = only("main.tf", text);
    assert_eq!(
        asset.attributes["config"],
        json!({"name": "api-dev", "desired_count": 1, "cluster": "${aws_ecs_cluster.main.id}/dev"})
    );
    assert_eq!(asset.attributes["resolved"], json!(["var.replicas", "var.stage"]));

    let out = run_extractor(
        &Terraform,
        &[
            ("main.tf", text),
            ("terraform.tfvars.json", r#"{"stage": "staging", "replicas": 3}"#),
        ],
    )
    .unwrap();
    assert_eq!(out.assets[0].attributes["config"]["name"], "api-staging");
    assert_eq!(out.assets[0].attributes["config"]["desired_count"], 3);

    // A broken tfvars file is a warning; the defaults still apply.
    let out = run_extractor(
        &Terraform,
        &[("main.tf", text), ("terraform.tfvars", "stage = \n")],
    )
    .unwrap();
    assert_eq!(out.assets[0].attributes["config"]["name"], "api-dev");
    assert_eq!(out.diagnostics.len(), 1);
    assert!(
        out.diagnostics[0].message.starts_with("terraform.tfvars:"),
        "{:?}",
        out.diagnostics
    );
}

#[test]
fn locals_that_refer_to_each_other_in_circles_stay_as_written() {
    let text = r#"locals {
  a = "${local.b}-x"
  b = "${local.a}-y"
}

resource "aws_sqs_queue" "q" {
  name = local.a
}
"#;
    let asset = only("main.tf", text);
    assert_eq!(asset.attributes["config"], json!({"name": "${local.a}"}));
    assert!(!asset.attributes.contains_key("resolved"));
}
