#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `aws/cloudformation` (CloudFormation and SAM templates).

mod common;

use std::time::{Duration, Instant};

use common::run_extractor;
use serde_json::{Value, json};
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::cloudformation::CloudFormation;

fn assets(path: &str, text: &str) -> Vec<Asset> {
    let out = run_extractor(&CloudFormation, &[(path, text)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    out.assets
}

fn find<'a>(assets: &'a [Asset], name: &str) -> &'a Asset {
    assets
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no asset {name}"))
}

fn line(asset: &Asset, path: &str) -> u32 {
    *asset
        .attribute_lines
        .get(path)
        .unwrap_or_else(|| panic!("no line for {path}: {:?}", asset.attribute_lines))
}

const ONE_BUCKET: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Description: Upload bucket
Parameters:
  Env:
    Type: String
    Default: dev
Resources:
  UploadBucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Properties:
      BucketName: !Sub 'uploads-${Env}-${AWS::AccountId}'
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !Ref UploadKey
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        RestrictPublicBuckets: false
Outputs:
  BucketArn:
    Value: !GetAtt UploadBucket.Arn
";

#[test]
fn claims_yaml_json_and_template_files() {
    for path in [
        "template.yaml",
        "infra/stack.yml",
        "cfn/network.json",
        "legacy/vpc.template",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(CloudFormation.claims(path, name), "{path}");
    }
    for path in ["Dockerfile", "template.yaml.bak", "main.tf", "notes.txt"] {
        let name = path.rsplit('/').next().unwrap();
        assert!(!CloudFormation.claims(path, name), "{path}");
    }
}

#[test]
fn yaml_and_json_that_are_not_templates_yield_nothing_and_no_error() {
    let kubernetes = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n";
    let package = "{\n  \"name\": \"api\",\n  \"version\": \"1.0.0\"\n}\n";
    // Mentions AWS:: but has no resources of that type.
    let docs = "title: Notes\nbody: We create AWS::S3::Bucket resources by hand.\n";
    let workflow = "on: push\njobs:\n  deploy:\n    steps:\n      - run: aws cloudformation deploy # AWS::\n";
    for (path, text) in [
        ("k8s/deploy.yaml", kubernetes),
        ("package.json", package),
        ("docs/notes.yml", docs),
        (".github/workflows/deploy.yml", workflow),
    ] {
        let out = run_extractor(&CloudFormation, &[(path, text)]).unwrap();
        assert!(out.assets.is_empty() && out.diagnostics.is_empty(), "{path}");
    }
}

#[test]
fn unreadable_files_are_errors_only_when_they_must_be_templates() {
    let broken = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: [unclosed\n";
    // Some other YAML that happens to mention AWS:: and does not parse: not ours to report.
    let out = run_extractor(&CloudFormation, &[("config/settings.yml", broken)]).unwrap();
    assert!(out.assets.is_empty() && out.diagnostics.is_empty());

    for path in [
        "template.yaml",
        "infra/stack.template",
        "infra/cloudformation-vpc.yml",
        "infra/app-cfn.yaml",
    ] {
        let error = run_extractor(&CloudFormation, &[(path, broken)]).unwrap_err();
        assert_eq!(error.path, path);
        assert!(error.message.starts_with("invalid YAML"), "{error}");
        assert!(matches!(error.line, Some(4 | 5)), "{error}");
    }

    // Next to a samconfig.toml, any claimed file is a template.
    let error = run_extractor(
        &CloudFormation,
        &[
            ("app/stack.yml", broken),
            ("app/samconfig.toml", "version = 0.1\n"),
        ],
    )
    .unwrap_err();
    assert_eq!(error.path, "app/stack.yml");

    // A top-level AWSTemplateFormatVersion says so too.
    let declared = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: {Type: AWS::SNS::Topic\n";
    let error = run_extractor(&CloudFormation, &[("stack.yml", declared)]).unwrap_err();
    assert!(error.line.is_some(), "{error}");

    let error = run_extractor(&CloudFormation, &[("template.yaml", "- AWS::S3::Bucket\n- b\n")]).unwrap_err();
    assert_eq!(error.line, Some(1), "{error}");
    assert!(error.message.contains("not a mapping"), "{error}");
}

#[test]
fn empty_file_and_empty_template_have_no_assets() {
    assert!(assets("template.yaml", "").is_empty());
    assert!(assets("template.yaml", "# nothing yet\n---\n").is_empty());
    let no_resources = "AWSTemplateFormatVersion: '2010-09-09'\nDescription: placeholder\nResources: {}\n";
    assert!(assets("template.yaml", no_resources).is_empty());
    let null_resources = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n";
    assert!(assets("template.yaml", null_resources).is_empty());
}

#[test]
fn one_resource() {
    let found = assets("infra/storage.yaml", ONE_BUCKET);
    assert_eq!(found.len(), 1);
    let bucket = &found[0];
    assert_eq!(bucket.kind, AssetKind::CloudResource);
    assert_eq!(
        bucket.id.as_str(),
        "cloud-resource:infra/storage.yaml:UploadBucket"
    );
    assert_eq!(bucket.name, "UploadBucket");
    assert_eq!(bucket.evidence[0].location(), "infra/storage.yaml:8");
    let expected = json!({
        "provider": "aws",
        "resource_type": "AWS::S3::Bucket",
        "resource_name": "UploadBucket",
        "address": "UploadBucket",
        "module_dir": "infra",
        "mode": "managed",
        "format": "cloudformation",
        "config": {
            "BucketName": {"Fn::Sub": "uploads-${Env}-${AWS::AccountId}"},
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [{
                    "ServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": {"Ref": "UploadKey"}
                    }
                }]
            },
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "RestrictPublicBuckets": false}
        },
        "resource_attributes": {"DeletionPolicy": "Retain"}
    });
    assert_eq!(serde_json::to_value(&bucket.attributes).unwrap(), expected);
    let lines: Vec<_> = bucket
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        lines,
        [
            ("BucketEncryption", 13),
            ("BucketEncryption.ServerSideEncryptionConfiguration", 14),
            ("BucketEncryption.ServerSideEncryptionConfiguration.0", 15),
            (
                "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault",
                15
            ),
            (
                "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.KMSMasterKeyID",
                17
            ),
            (
                "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.KMSMasterKeyID.Ref",
                17
            ),
            (
                "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm",
                16
            ),
            ("BucketName", 12),
            ("BucketName.Fn::Sub", 12),
            ("PublicAccessBlockConfiguration", 18),
            ("PublicAccessBlockConfiguration.BlockPublicAcls", 19),
            ("PublicAccessBlockConfiguration.RestrictPublicBuckets", 20),
        ]
    );
}

#[test]
fn two_resources_and_iam_is_an_identity() {
    let text = "\
Resources:
  Queue:
    Type: AWS::SQS::Queue
  WorkerRole:
    Type: AWS::IAM::Role
    DependsOn: [Queue]
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: queue
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: 'sqs:*'
                Resource: !GetAtt Queue.Arn
";
    let found = assets("template.yml", text);
    assert_eq!(found.len(), 2);
    let queue = find(&found, "Queue");
    assert_eq!(queue.kind, AssetKind::CloudResource);
    assert_eq!(queue.attributes["config"], json!({}));
    assert_eq!(queue.attributes["module_dir"], json!("."));
    assert_eq!(queue.evidence[0].location(), "template.yml:2");

    let role = find(&found, "WorkerRole");
    assert_eq!(role.kind, AssetKind::Identity);
    assert_eq!(role.id.as_str(), "identity:template.yml:WorkerRole");
    assert_eq!(role.evidence[0].location(), "template.yml:4");
    assert_eq!(role.attributes["resource_type"], json!("AWS::IAM::Role"));
    assert_eq!(
        role.attributes["resource_attributes"],
        json!({"DependsOn": ["Queue"]})
    );
    let statement = &role.attributes["config"]["Policies"][0]["PolicyDocument"]["Statement"][0];
    assert_eq!(
        statement,
        &json!({"Effect": "Allow", "Action": "sqs:*", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}})
    );
    assert_eq!(line(role, "Policies.0.PolicyDocument.Statement.0.Action"), 19);
    assert_eq!(line(role, "Policies.0.PolicyDocument.Statement.0"), 18);
    assert_eq!(
        line(role, "AssumeRolePolicyDocument.Statement.0.Principal.Service"),
        12
    );
}

#[test]
fn json_templates_have_lines_too() {
    let text = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "Engine": "postgres",
        "PubliclyAccessible": true,
        "StorageEncrypted": false,
        "MasterUserPassword": {"Ref": "DbPassword"},
        "VPCSecurityGroups": [{"Fn::GetAtt": ["DbSg", "GroupId"]}]
      }
    },
    "DbSg": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "SecurityGroupIngress": [
          {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": "0.0.0.0/0"}
        ]
      }
    }
  }
}
"#;
    let found = assets("db.json", text);
    assert_eq!(found.len(), 2);
    let db = find(&found, "Db");
    assert_eq!(db.evidence[0].location(), "db.json:4");
    assert_eq!(db.attributes["config"]["PubliclyAccessible"], json!(true));
    assert_eq!(
        db.attributes["config"]["MasterUserPassword"],
        json!({"Ref": "DbPassword"})
    );
    assert_eq!(line(db, "PubliclyAccessible"), 8);
    assert_eq!(line(db, "VPCSecurityGroups.0.Fn::GetAtt.1"), 11);
    let sg = find(&found, "DbSg");
    assert_eq!(
        sg.attributes["config"]["SecurityGroupIngress"][0]["FromPort"],
        json!(5432)
    );
    assert_eq!(line(sg, "SecurityGroupIngress.0.CidrIp"), 18);

    // Tab-indented JSON is still JSON (and YAML 1.2 flow content).
    let tabbed = text.replace("  ", "\t");
    let found = assets("db.json", &tabbed);
    assert_eq!(line(find(&found, "Db"), "PubliclyAccessible"), 8);
}

#[test]
fn every_short_form_intrinsic_reads_as_its_json_form() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Instance:
    Type: AWS::EC2::Instance
    Condition: IsProd
    Properties:
      ImageId: !FindInMap [Amis, !Ref 'AWS::Region', x86]
      AvailabilityZone: !Select [0, !GetAZs '']
      OtherZone: !Select [1, !GetAZs]
      SubnetId: !ImportValue network-SubnetId
      UserData: !Base64
        Fn::Sub: |
          #!/bin/bash
          echo ${Env}
      Tags:
        - Key: Name
          Value: !Join ['-', [app, !Ref Env, !Select [0, !Split [',', 'a,b']]]]
        - Key: Size
          Value: !If [IsProd, large, !Ref 'AWS::NoValue']
        - Key: Nested
          Value: !GetAtt Cluster.Endpoint.Address
        - Key: Listed
          Value: !GetAtt [Cluster, Arn]
        - Key: Cidr
          Value: !Cidr [!GetAtt Vpc.CidrBlock, 6, 5]
        - Key: Check
          Value: !And [!Condition IsProd, !Not [!Equals [a, b]], !Or [!Condition IsProd]]
        - Key: Sub
          Value: !Sub ['${A}-x', {A: !Ref Env}]
        - Key: Quoted
          Value: !!str 10
";
    let found = assets("template.yaml", text);
    let config = &found[0].attributes["config"];
    assert_eq!(
        config["ImageId"],
        json!({"Fn::FindInMap": ["Amis", {"Ref": "AWS::Region"}, "x86"]})
    );
    assert_eq!(
        config["AvailabilityZone"],
        json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]})
    );
    assert_eq!(
        config["OtherZone"],
        json!({"Fn::Select": [1, {"Fn::GetAZs": ""}]})
    );
    assert_eq!(config["SubnetId"], json!({"Fn::ImportValue": "network-SubnetId"}));
    assert_eq!(
        config["UserData"],
        json!({"Fn::Base64": {"Fn::Sub": "#!/bin/bash\necho ${Env}\n"}})
    );
    let tags: Vec<&Value> = config["Tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["Value"])
        .collect();
    assert_eq!(
        tags,
        [
            &json!({"Fn::Join": ["-", ["app", {"Ref": "Env"}, {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]}]]}),
            &json!({"Fn::If": ["IsProd", "large", {"Ref": "AWS::NoValue"}]}),
            &json!({"Fn::GetAtt": ["Cluster", "Endpoint.Address"]}),
            &json!({"Fn::GetAtt": ["Cluster", "Arn"]}),
            &json!({"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 6, 5]}),
            &json!({"Fn::And": [
                {"Condition": "IsProd"},
                {"Fn::Not": [{"Fn::Equals": ["a", "b"]}]},
                {"Fn::Or": [{"Condition": "IsProd"}]}
            ]}),
            &json!({"Fn::Sub": ["${A}-x", {"A": {"Ref": "Env"}}]}),
            // A core tag restates the type; it is not an intrinsic.
            &json!("10"),
        ]
    );
    assert_eq!(
        found[0].attributes["resource_attributes"],
        json!({"Condition": "IsProd"})
    );
    assert_eq!(line(&found[0], "Tags.0.Value.Fn::Join.1.1.Ref"), 19);
    assert_eq!(line(&found[0], "UserData.Fn::Base64.Fn::Sub"), 14);
}

const SAM: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    Environment:
      Variables:
        STAGE: prod
        API_TOKEN: s3cr3t-t0ken
    Layers:
      - !Ref SharedLayer
  Api:
    Auth:
      DefaultAuthorizer: CognitoAuth
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: orders.handler
      Timeout: 30
      Environment:
        Variables:
          TABLE: !Ref OrdersTable
      Layers:
        - arn:aws:lambda:eu-west-1:123456789012:layer:extra:1
      Events:
        ListOrders:
          Type: Api
          Properties:
            Path: /orders
            Method: get
        Health:
          Type: Api
          Properties:
            Path: /health
            Method: GET
            Auth:
              Authorizer: NONE
        Admin:
          Type: Api
          Properties:
            RestApiId: !Ref AdminApi
            Path: /admin/{id}
            Method: delete
        Webhook:
          Type: Api
          Properties:
            RestApiId: !Ref PublicApi
            Path: /webhook
            Method: post
        Keyed:
          Type: Api
          Properties:
            RestApiId: !Ref PublicApi
            Path: /keyed
            Method: any
            Auth:
              ApiKeyRequired: true
        Everything:
          Type: HttpApi
        Signed:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Path: /signed
            Method: PUT
            Auth:
              Authorizer: AWS_IAM
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
  AdminApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: AdminAuth
  PublicApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
  HttpApi:
    Type: AWS::Serverless::HttpApi
  OrdersTable:
    Type: AWS::Serverless::SimpleTable
";

#[test]
fn sam_globals_are_merged_into_functions() {
    let found = assets("services/orders/template.yaml", SAM);
    let function = find(&found, "OrdersFunction");
    assert_eq!(
        function.attributes["resource_type"],
        json!("AWS::Serverless::Function")
    );
    let config = &function.attributes["config"];
    assert_eq!(config["Runtime"], json!("python3.12"));
    assert_eq!(config["Timeout"], json!(30));
    assert_eq!(
        config["Environment"]["Variables"],
        json!({"STAGE": "prod", "API_TOKEN": "s3cr3t-t0ken", "TABLE": {"Ref": "OrdersTable"}})
    );
    assert_eq!(
        config["Layers"],
        json!([{"Ref": "SharedLayer"}, "arn:aws:lambda:eu-west-1:123456789012:layer:extra:1"])
    );
    // Lines point where each value is written, in Globals or in the function.
    assert_eq!(line(function, "Runtime"), 5);
    assert_eq!(line(function, "Timeout"), 21);
    assert_eq!(line(function, "Environment.Variables.API_TOKEN"), 10);
    assert_eq!(line(function, "Environment.Variables.TABLE"), 24);
    assert_eq!(line(function, "Layers.0"), 12);
    assert_eq!(line(function, "Layers.1"), 26);
    let api = find(&found, "AdminApi");
    assert_eq!(
        api.attributes["config"]["Auth"],
        json!({"DefaultAuthorizer": "AdminAuth"}),
        "the resource's own value wins"
    );
    let public = find(&found, "PublicApi");
    assert_eq!(
        public.attributes["config"]["Auth"],
        json!({"DefaultAuthorizer": "CognitoAuth"})
    );
}

#[test]
fn sam_api_events_are_endpoints() {
    let found = assets("services/orders/template.yaml", SAM);
    let endpoints: Vec<&Asset> = found
        .iter()
        .filter(|a| a.kind == AssetKind::ApiEndpoint)
        .collect();
    let summary: Vec<(String, String, Value, Value)> = endpoints
        .iter()
        .map(|e| {
            (
                e.name.clone(),
                e.evidence[0].location(),
                e.attributes["authenticated"].clone(),
                e.attributes["guard"].clone(),
            )
        })
        .collect();
    let at = |line: u32| format!("services/orders/template.yaml:{line}");
    let expected = [
        ("GET /orders", at(28), json!(true), json!("CognitoAuth")),
        ("GET /health", at(33), json!(false), json!(null)),
        ("DELETE /admin/{id}", at(40), json!(true), json!("AdminAuth")),
        // An explicit API takes Globals.Api too (it has no DefaultAuthorizer of its own).
        ("POST /webhook", at(46), json!(true), json!("CognitoAuth")),
        ("ANY /keyed", at(52), json!(true), json!("api-key")),
        ("ANY $default", at(60), json!(null), json!(null)),
        ("PUT /signed", at(62), json!(true), json!("AWS_IAM")),
    ]
    .map(|(name, location, authenticated, guard)| (name.to_owned(), location, authenticated, guard));
    assert_eq!(summary, expected);
    let ids: Vec<&str> = endpoints.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "api-endpoint:services/orders/template.yaml:ServerlessRestApi:GET /orders",
            "api-endpoint:services/orders/template.yaml:ServerlessRestApi:GET /health",
            "api-endpoint:services/orders/template.yaml:AdminApi:DELETE /admin/{id}",
            "api-endpoint:services/orders/template.yaml:PublicApi:POST /webhook",
            "api-endpoint:services/orders/template.yaml:PublicApi:ANY /keyed",
            "api-endpoint:services/orders/template.yaml:ServerlessHttpApi:ANY $default",
            "api-endpoint:services/orders/template.yaml:HttpApi:PUT /signed",
        ]
    );
    let list = endpoints[0];
    assert_eq!(list.name, "GET /orders");
    let expected = json!({
        "method": "GET",
        "path": "/orders",
        "framework": "aws-sam",
        "handler": "orders.handler",
        "function": "OrdersFunction",
        "event": "ListOrders",
        "event_type": "Api",
        "api": "ServerlessRestApi",
        "authenticated": true,
        "guard": "CognitoAuth"
    });
    assert_eq!(serde_json::to_value(&list.attributes).unwrap(), expected);
    assert_eq!(line(list, "path"), 31);
    assert_eq!(line(list, "method"), 32);
    assert_eq!(line(endpoints[1], "authenticated"), 39);
}

#[test]
fn sam_endpoint_without_any_authorizer_is_unknown() {
    let text = "\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Events:
        Get:
          Type: Api
          Properties: {Path: /items, Method: get}
        Broken:
          Type: Api
          Properties: {Method: get}
";
    let out = run_extractor(&CloudFormation, &[("template.yaml", text)]).unwrap();
    let endpoint = out
        .assets
        .iter()
        .find(|a| a.kind == AssetKind::ApiEndpoint)
        .unwrap();
    assert_eq!(endpoint.attributes["authenticated"], Value::Null);
    assert_eq!(out.assets.len(), 2);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(11));
    assert!(
        out.diagnostics[0].message.contains("no `Path`"),
        "{:?}",
        out.diagnostics
    );
}

#[test]
fn bad_resources_are_warnings_and_the_rest_is_read() {
    let text = "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  NotAMap: just text
  NoType:
    Properties: {}
  Topic:
    Type: AWS::SNS::Topic
";
    let out = run_extractor(&CloudFormation, &[("template.yaml", text)]).unwrap();
    assert_eq!(out.assets.len(), 1);
    assert_eq!(out.assets[0].name, "Topic");
    let warnings: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(warnings, [Some(3), Some(4)]);

    let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources: [a, b]\n";
    let out = run_extractor(&CloudFormation, &[("template.yaml", text)]).unwrap();
    assert!(out.assets.is_empty());
    assert_eq!(out.diagnostics[0].line, Some(2));
}

#[test]
fn hostile_input_does_not_panic() {
    for end in 0..=SAM.len() {
        if let Some(prefix) = SAM.get(..end) {
            let _ = run_extractor(&CloudFormation, &[("template.yaml", prefix)]);
        }
    }
    let garbled = [
        "Resources: !Ref\n",
        "Resources:\n  A: !Ref\n",
        "Resources:\n  A:\n    Type: !Sub AWS::S3::Bucket\n",
        "Resources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: !If\n",
        "AWSTemplateFormatVersion: x\nResources:\n  ? [a, b]\n  : {Type: AWS::S3::Bucket}\n",
        "AWSTemplateFormatVersion: x\nResources:\n  A: {Type: AWS::Serverless::Function, Properties: {Events: 3}}\n",
        "AWSTemplateFormatVersion: x\nResources:\n  A: {Type: AWS::Serverless::Function, Properties: {Events: {E: {Type: Api, Properties: {Path: [1], Method: {a: 1}, RestApiId: 5}}}}}\n",
        "\u{0}AWS::\u{0}",
        "AWS:: \"\\u",
    ];
    for text in garbled {
        let _ = run_extractor(&CloudFormation, &[("template.yaml", text)]);
    }
}

#[test]
fn a_yaml_alias_bomb_fails_fast() {
    let mut bomb = String::from("AWSTemplateFormatVersion: x\na0: &a0 [AWS::S3::Bucket, x]\n");
    for i in 1..10 {
        let prev = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let start = Instant::now();
    let error = run_extractor(&CloudFormation, &[("template.yaml", &bomb)]).unwrap_err();
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(start.elapsed() < Duration::from_secs(30));
}
