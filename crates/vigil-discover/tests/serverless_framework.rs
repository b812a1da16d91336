#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `serverless/serverless-yml`.

mod common;

use std::time::{Duration, Instant};

use common::run_extractor;
use serde_json::{Value, json};
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::serverless_framework::ServerlessFramework;

const PATH: &str = "services/orders/serverless.yml";

fn assets(text: &str) -> Vec<Asset> {
    let out = run_extractor(&ServerlessFramework, &[(PATH, text)]).unwrap_or_else(|e| panic!("{e}"));
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

const ONE_FUNCTION: &str = "\
service: orders
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs20.x
  region: ${opt:region, 'eu-west-1'}
  stage: prod
functions:
  createOrder:
    handler: src/orders.create
    environment:
      TABLE: ${self:service}-${sls:stage}
";

#[test]
fn claims_serverless_yml_only() {
    for path in ["serverless.yml", "api/serverless.yaml"] {
        let name = path.rsplit('/').next().unwrap();
        assert!(ServerlessFramework.claims(path, name), "{path}");
    }
    for path in [
        "serverless.ts",
        "serverless.js",
        "serverless.json",
        "my-serverless.yml",
    ] {
        let name = path.rsplit('/').next().unwrap();
        assert!(!ServerlessFramework.claims(path, name), "{path}");
    }
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(
        &ServerlessFramework,
        &[(PATH, "service: a\nfunctions: [unclosed\n")],
    )
    .unwrap_err();
    assert_eq!(error.path, PATH);
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(matches!(error.line, Some(2 | 3)), "{error}");

    let error = run_extractor(&ServerlessFramework, &[(PATH, "# a list\n- a\n- b\n")]).unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(error.message.contains("not a mapping"), "{error}");

    let error = run_extractor(
        &ServerlessFramework,
        &[(PATH, "name: something else\nversion: 2\n")],
    )
    .unwrap_err();
    assert_eq!(error.line, Some(1), "{error}");
    assert!(error.message.contains("no `service`"), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_assets() {
    for text in ["", "# soon\n", "---\n"] {
        assert!(assets(text).is_empty(), "{text:?}");
    }
    assert!(assets("service: empty\nprovider:\n  name: aws\n").is_empty());
    assert!(assets("service: empty\nfunctions:\n").is_empty());
}

#[test]
fn one_function() {
    let found = assets(ONE_FUNCTION);
    assert_eq!(found.len(), 1);
    let function = &found[0];
    assert_eq!(function.kind, AssetKind::CloudResource);
    assert_eq!(
        function.id.as_str(),
        "cloud-resource:services/orders/serverless.yml:functions.createOrder"
    );
    assert_eq!(function.name, "functions.createOrder");
    assert_eq!(
        function.evidence[0].location(),
        "services/orders/serverless.yml:9"
    );
    let expected = json!({
        "provider": "aws",
        "resource_type": "serverless::function",
        "resource_name": "createOrder",
        "address": "functions.createOrder",
        "module_dir": "services/orders",
        "mode": "managed",
        "format": "serverless",
        "service": "orders",
        "region": "${opt:region, 'eu-west-1'}",
        "stage": "prod",
        "config": {
            "handler": "src/orders.create",
            "environment": {"TABLE": "${self:service}-${sls:stage}"},
            "runtime": "nodejs20.x"
        }
    });
    assert_eq!(serde_json::to_value(&function.attributes).unwrap(), expected);
    let lines: Vec<_> = function
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        lines,
        [
            ("environment", 11),
            ("environment.TABLE", 12),
            ("handler", 10),
            ("runtime", 5)
        ]
    );
}

const TWO_FUNCTIONS: &str = "\
service:
  name: shop
provider:
  name: aws
  runtime: python3.12
  environment:
    STAGE: prod
    DB_PASSWORD: hunter2hunter2
  iam:
    role:
      statements:
        - Effect: Allow
          Action: 'dynamodb:*'
          Resource: '*'
        - Effect: Allow
          Action: [s3:GetObject]
          Resource: !Sub 'arn:aws:s3:::${Bucket}/*'
      managedPolicies:
        - arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess
functions:
  list:
    handler: handler.list
    runtime: python3.11
    environment:
      STAGE: test
      PAGE_SIZE: 50
    events:
      - http:
          path: items
          method: get
      - http: POST items
      - http:
          path: items/{id}
          method: delete
          authorizer:
            name: jwtAuthorizer
            type: COGNITO_USER_POOLS
      - http:
          path: keyed
          method: put
          private: true
      - schedule: rate(1 hour)
  webhook:
    handler: handler.webhook
    events:
      - httpApi: 'POST /hooks/{source}'
      - httpApi: '*'
      - httpApi:
          path: /admin
          method: GET
          authorizer: aws_iam
";

#[test]
fn two_functions_with_provider_defaults_iam_and_endpoints() {
    let found = assets(TWO_FUNCTIONS);
    let list = find(&found, "functions.list");
    assert_eq!(list.attributes["service"], json!("shop"));
    assert_eq!(list.attributes["region"], Value::Null);
    assert_eq!(list.attributes["config"]["runtime"], json!("python3.11"));
    assert_eq!(
        list.attributes["config"]["environment"],
        json!({"STAGE": "test", "DB_PASSWORD": "hunter2hunter2", "PAGE_SIZE": 50})
    );
    assert_eq!(line(list, "environment.DB_PASSWORD"), 8);
    assert_eq!(line(list, "environment.STAGE"), 25);
    assert_eq!(line(list, "runtime"), 23);
    assert_eq!(line(list, "events.0.http.path"), 29);

    let webhook = find(&found, "functions.webhook");
    assert_eq!(
        webhook.evidence[0].location(),
        "services/orders/serverless.yml:43"
    );
    assert_eq!(webhook.attributes["config"]["runtime"], json!("python3.12"));
    assert_eq!(line(webhook, "runtime"), 5);
    assert_eq!(
        webhook.attributes["config"]["environment"],
        json!({"STAGE": "prod", "DB_PASSWORD": "hunter2hunter2"})
    );

    let iam = find(&found, "provider.iam");
    assert_eq!(iam.kind, AssetKind::Identity);
    assert_eq!(
        iam.id.as_str(),
        "identity:services/orders/serverless.yml:provider.iam"
    );
    assert_eq!(iam.evidence[0].location(), "services/orders/serverless.yml:9");
    assert_eq!(iam.attributes["resource_type"], json!("serverless::iam-role"));
    assert_eq!(
        iam.attributes["config"],
        json!({
            "Statement": [
                {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
                {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": {"Fn::Sub": "arn:aws:s3:::${Bucket}/*"}}
            ],
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]
        })
    );
    assert_eq!(line(iam, "Statement.0.Action"), 13);
    assert_eq!(line(iam, "Statement.1"), 15);

    let endpoints: Vec<(String, String, Value, Value)> = found
        .iter()
        .filter(|a| a.kind == AssetKind::ApiEndpoint)
        .map(|e| {
            (
                e.id.as_str().to_owned(),
                e.evidence[0].location(),
                e.attributes["authenticated"].clone(),
                e.attributes["guard"].clone(),
            )
        })
        .collect();
    let id = |rest: &str| format!("api-endpoint:services/orders/serverless.yml:{rest}");
    let at = |line: u32| format!("services/orders/serverless.yml:{line}");
    assert_eq!(
        endpoints,
        [
            (id("http:GET items"), at(28), json!(false), json!(null)),
            (id("http:POST items"), at(31), json!(false), json!(null)),
            (
                id("http:DELETE items/{id}"),
                at(32),
                json!(true),
                json!("jwtAuthorizer")
            ),
            (id("http:PUT keyed"), at(38), json!(true), json!("api-key")),
            (
                id("httpApi:POST /hooks/{source}"),
                at(46),
                json!(false),
                json!(null)
            ),
            (id("httpApi:ANY *"), at(47), json!(false), json!(null)),
            (id("httpApi:GET /admin"), at(48), json!(true), json!("aws_iam")),
        ]
    );
    let delete = find(&found, "DELETE items/{id}");
    let expected = json!({
        "method": "DELETE",
        "path": "items/{id}",
        "framework": "serverless",
        "handler": "handler.list",
        "function": "list",
        "event_type": "http",
        "authenticated": true,
        "guard": "jwtAuthorizer"
    });
    assert_eq!(serde_json::to_value(&delete.attributes).unwrap(), expected);
    let lines: Vec<_> = delete
        .attribute_lines
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(lines, [("authenticated", 35), ("method", 34), ("path", 33)]);
}

#[test]
fn legacy_iam_role_statements() {
    let text = "\
service: legacy
provider:
  name: aws
  iamRoleStatements:
    - Effect: Allow
      Action: ['*']
      Resource: '*'
";
    let found = assets(text);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].evidence[0].location(),
        "services/orders/serverless.yml:4"
    );
    assert_eq!(
        found[0].attributes["config"],
        json!({"Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": "*"}]})
    );
    assert_eq!(line(&found[0], "Statement.0.Action.0"), 6);
}

#[test]
fn embedded_cloudformation_resources_are_read_like_a_template() {
    let text = "\
service: data
provider:
  name: aws
resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: ${self:service}-orders
        SSESpecification:
          SSEEnabled: false
    ReaderRole:
      Type: AWS::IAM::Role
      Properties:
        Policies:
          - PolicyName: read
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Action: dynamodb:GetItem
                  Resource: !GetAtt OrdersTable.Arn
  Outputs:
    TableName:
      Value: !Ref OrdersTable
";
    let found = assets(text);
    assert_eq!(found.len(), 2);
    let table = find(&found, "OrdersTable");
    assert_eq!(table.kind, AssetKind::CloudResource);
    assert_eq!(
        table.id.as_str(),
        "cloud-resource:services/orders/serverless.yml:OrdersTable"
    );
    assert_eq!(table.evidence[0].location(), "services/orders/serverless.yml:6");
    assert_eq!(table.attributes["format"], json!("cloudformation"));
    assert_eq!(
        table.attributes["config"]["TableName"],
        json!("${self:service}-orders")
    );
    assert_eq!(line(table, "SSESpecification.SSEEnabled"), 11);
    let role = find(&found, "ReaderRole");
    assert_eq!(role.kind, AssetKind::Identity);
    assert_eq!(
        role.attributes["config"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"],
        json!({"Fn::GetAtt": ["OrdersTable", "Arn"]})
    );
}

#[test]
fn resources_from_other_files_are_not_checked() {
    let text = "\
service: data
resources:
  - ${file(resources/table.yml)}
  - Resources:
      Topic:
        Type: AWS::SNS::Topic
";
    let out = run_extractor(&ServerlessFramework, &[(PATH, text)]).unwrap();
    assert_eq!(out.assets.len(), 1);
    assert_eq!(out.assets[0].name, "Topic");
    assert_eq!(out.not_checked.len(), 1);
    assert_eq!(out.not_checked[0].what, "services/orders/serverless.yml:3");
    assert!(out.not_checked[0].why.contains("${file(resources/table.yml)}"));
}

#[test]
fn malformed_functions_are_warnings() {
    let text = "\
service: broken
functions:
  good:
    handler: a.b
  bad: just a string
";
    let out = run_extractor(&ServerlessFramework, &[(PATH, text)]).unwrap();
    assert_eq!(out.assets.len(), 1);
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].line, Some(5));

    let out = run_extractor(&ServerlessFramework, &[(PATH, "service: x\nfunctions: [a]\n")]).unwrap();
    assert!(out.assets.is_empty());
    assert_eq!(out.diagnostics[0].line, Some(2));
}

#[test]
fn hostile_input_does_not_panic() {
    for end in 0..=TWO_FUNCTIONS.len() {
        if let Some(prefix) = TWO_FUNCTIONS.get(..end) {
            let _ = run_extractor(&ServerlessFramework, &[(PATH, prefix)]);
        }
    }
    for text in [
        "service: x\nfunctions:\n  f:\n    events: 3\n",
        "service: x\nfunctions:\n  f:\n    events: [{http: 3}, {http: {path: [1], method: {a: b}, authorizer: [1]}}, {httpApi: ''}]\n",
        "service: x\nprovider: [1]\nfunctions:\n  f: {handler: a}\n",
        "service: x\nprovider:\n  iam: 3\n  iamRoleStatements: x\n",
        "service: x\nresources: 3\n",
        "service: x\nresources: {Resources: [1]}\n",
        "service: !Ref x\nfunctions: !Sub y\n",
    ] {
        let _ = run_extractor(&ServerlessFramework, &[(PATH, text)]);
    }
}

#[test]
fn a_yaml_alias_bomb_fails_fast() {
    let mut bomb = String::from("service: x\na0: &a0 [x, y]\n");
    for i in 1..10 {
        let prev = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let start = Instant::now();
    let error = run_extractor(&ServerlessFramework, &[(PATH, &bomb)]).unwrap_err();
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(start.elapsed() < Duration::from_secs(30));
}
