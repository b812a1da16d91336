//! The system model and classification built from small repositories.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::fs;

use vigil_core::{
    AssetKind, BoundaryKind, ComponentKind, Criticality, DataClass, Inventory, Scope, SystemModel,
};

fn build(files: &[(&str, &str)], scope: &Scope) -> (Inventory, SystemModel) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let target = dir.path().join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, text).unwrap();
    }
    let mut inventory = vigil_discover::run(dir.path(), scope).unwrap().inventory;
    let model = vigil_model::run(&mut inventory, scope);
    (inventory, model)
}

const INFRA: &str = r#"
resource "aws_s3_bucket" "exports" {
  bucket = "customer-exports"
}
resource "aws_s3_bucket_acl" "exports" {
  bucket = aws_s3_bucket.exports.id
  acl    = "public-read"
}
resource "aws_s3_bucket" "assets" {
  bucket = "static-assets"
  tags = { DataClassification = "public" }
}
resource "aws_db_instance" "orders" {
  identifier = "orders"
  tags       = { data_classification = "PCI cardholder data" }
}
resource "aws_lambda_function" "report" {
  environment {
    variables = { BUCKET = aws_s3_bucket.exports.bucket }
  }
}
resource "aws_security_group" "sg" {}
"#;

#[test]
fn cloud_components_exposure_and_flows() {
    let (inventory, model) = build(&[("infra/main.tf", INFRA)], &Scope::default());
    let ids: Vec<&str> = model.components.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "internet",
            "res:infra/aws_db_instance.orders",
            "res:infra/aws_lambda_function.report",
            "res:infra/aws_s3_bucket.assets",
            "res:infra/aws_s3_bucket.exports",
        ],
        "security groups and companions configure components, they are not components"
    );
    let exports = model.component("res:infra/aws_s3_bucket.exports").unwrap();
    assert_eq!(exports.kind, ComponentKind::Datastore);
    assert!(exports.internet_facing);
    assert_eq!(
        exports.data_classes,
        vec![DataClass::Pii],
        "inferred from the name customer-exports"
    );
    assert!(model.component("internet").unwrap().assumed);

    let flows: Vec<(&str, &str)> = model
        .flows
        .iter()
        .map(|f| (f.source.as_str(), f.target.as_str()))
        .collect();
    assert_eq!(
        flows,
        vec![
            ("internet", "res:infra/aws_s3_bucket.exports"),
            (
                "res:infra/aws_lambda_function.report",
                "res:infra/aws_s3_bucket.exports"
            ),
        ]
    );
    let lambda_flow = &model.flows[1];
    assert_eq!(lambda_flow.data_classes, vec![DataClass::Pii]);
    assert_eq!(lambda_flow.evidence[0].location(), "infra/main.tf:19");

    let boundaries: Vec<(BoundaryKind, usize)> = model
        .boundaries
        .iter()
        .map(|b| (b.kind, b.components.len()))
        .collect();
    assert_eq!(
        boundaries,
        vec![(BoundaryKind::CloudAccount, 4), (BoundaryKind::Internet, 1)]
    );

    let orders = inventory
        .assets
        .iter()
        .find(|a| a.name == "aws_db_instance.orders")
        .unwrap();
    assert_eq!(orders.data_classes, vec![DataClass::Pci]);
    assert_eq!(orders.criticality, Criticality::Critical);
    let assets_bucket = inventory
        .assets
        .iter()
        .find(|a| a.name == "aws_s3_bucket.assets")
        .unwrap();
    assert_eq!(
        assets_bucket.data_classes,
        vec![DataClass::Public],
        "a tag wins over name inference"
    );
    assert_eq!(assets_bucket.criticality, Criticality::Medium);
    let exports_asset = inventory
        .assets
        .iter()
        .find(|a| a.name == "aws_s3_bucket.exports")
        .unwrap();
    assert_eq!(exports_asset.criticality, Criticality::High);
    let why = exports_asset.attributes["classification"].to_string();
    assert!(
        why.contains("inferred from the name `customer-exports`") && why.contains("internet-facing"),
        "{why}"
    );
}

#[test]
fn nothing_exposed_means_no_internet_entity() {
    let (_, model) = build(
        &[("main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n")],
        &Scope::default(),
    );
    assert!(model.component("internet").is_none());
    assert!(model.flows.is_empty());
}

#[test]
fn scope_overrides_set_criticality_exposure_and_data() {
    let scope = vigil_core::config::parse(
        "vigil.toml",
        "[[override]]\npath = \"pay/**\"\ncriticality = \"critical\"\ninternet_facing = true\ndata_classes = [\"pci\"]\n",
    )
    .unwrap();
    let lock = "version = 3\n[[package]]\nname = \"pay\"\nversion = \"0.1.0\"\ndependencies = [\"regex\"]\n[[package]]\nname = \"regex\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
    let (inventory, model) = build(
        &[
            (
                "pay/Cargo.toml",
                "[package]\nname = \"pay\"\nversion = \"0.1.0\"\n",
            ),
            ("pay/Cargo.lock", lock),
        ],
        &scope,
    );
    let service = inventory.of_kind(AssetKind::Service).next().unwrap();
    assert_eq!(service.name, "pay");
    assert_eq!(service.criticality, Criticality::Critical);
    assert_eq!(service.data_classes, vec![DataClass::Pci]);
    let dependency = inventory.of_kind(AssetKind::Dependency).next().unwrap();
    assert_eq!(dependency.attr_str("service"), Some("service:pay"));
    assert_eq!(dependency.criticality, Criticality::Critical);
    let component = model.component("svc:pay").unwrap();
    assert!(component.internet_facing);
    assert_eq!(model.flows[0].source, "internet");
}

#[test]
fn pipelines_deploying_with_cloud_keys_and_running_third_party_actions() {
    let workflow = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n";
    let (_, model) = build(&[(".github/workflows/deploy.yml", workflow)], &Scope::default());
    let flows: Vec<(&str, &str, &str)> = model
        .flows
        .iter()
        .map(|f| (f.source.as_str(), f.target.as_str(), f.label.as_str()))
        .collect();
    assert_eq!(
        flows,
        vec![
            (
                "ci:.github/workflows/deploy.yml",
                "ext:aws-api",
                "deploys with AWS credentials"
            ),
            (
                "ext:third-party-actions",
                "ci:.github/workflows/deploy.yml",
                "runs 1 third-party component(s) (actions, images, includes)"
            ),
        ]
    );
    let kinds: Vec<BoundaryKind> = model.boundaries.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        vec![
            BoundaryKind::Ci,
            BoundaryKind::CloudAccount,
            BoundaryKind::ThirdParty
        ]
    );
    assert_eq!(
        model.flows[0].evidence[0].location(),
        ".github/workflows/deploy.yml:7"
    );
}

/// Google Cloud and Azure logins deploy into their clouds too, by login action or by secret name.
#[test]
fn pipelines_deploying_to_google_cloud_and_azure() {
    let workflow = "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: google-github-actions/auth@v2\n        with:\n          credentials_json: ${{ secrets.GCP_SA_KEY }}\n      - run: az deployment group create\n        env:\n          AZURE_CREDENTIALS: ${{ secrets.AZURE_CREDENTIALS }}\n";
    let (_, model) = build(&[(".github/workflows/deploy.yml", workflow)], &Scope::default());
    let flows: Vec<(&str, &str, String)> = model
        .flows
        .iter()
        .filter(|f| f.target.ends_with("-api"))
        .map(|f| {
            (
                f.target.as_str(),
                f.label.as_str(),
                f.evidence[0].note.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        flows,
        [
            (
                "ext:azure-api",
                "deploys with Azure credentials",
                "uses secrets.AZURE_CREDENTIALS".to_owned()
            ),
            (
                "ext:gcp-api",
                "deploys with Google Cloud credentials",
                "uses google-github-actions/auth@v2".to_owned()
            ),
        ]
    );
}

#[test]
fn payment_and_authentication_roles_raise_service_criticality() {
    let manifest = |name: &str, deps: &str| format!("{{\"name\": \"{name}\", \"dependencies\": {{{deps}}}}}");
    let checkout = manifest("checkout", "");
    let accounts = manifest("accounts", "\"passport\": \"^0.7.0\"");
    let catalog = manifest("catalog", "\"express\": \"^4.0.0\"");
    let (inventory, _) = build(
        &[
            ("services/checkout/package.json", &checkout),
            // Imported only (no lockfile): the import site attributes Stripe to the service.
            (
                "services/checkout/src/pay.js",
                "const Stripe = require('stripe');\nmodule.exports = Stripe;\n",
            ),
            ("services/accounts/package.json", &accounts),
            (
                "services/accounts/package-lock.json",
                r#"{"name": "accounts", "lockfileVersion": 3, "packages": {"": {"name": "accounts", "dependencies": {"passport": "^0.7.0"}}, "node_modules/passport": {"version": "0.7.0"}}}"#,
            ),
            ("services/catalog/package.json", &catalog),
        ],
        &Scope::default(),
    );
    let service = |name: &str| {
        inventory
            .of_kind(AssetKind::Service)
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no service {name}"))
    };
    let checkout = service("checkout");
    assert_eq!(checkout.criticality, Criticality::Critical);
    let why = checkout.attributes["classification"].to_string();
    assert!(
        why.contains("takes payments (PCI DSS scope) through Stripe (services/checkout/src/pay.js:1)"),
        "{why}"
    );
    assert!(
        checkout.data_classes.is_empty(),
        "taking payments is a role, not proof that card data is held"
    );
    let accounts = service("accounts");
    assert_eq!(accounts.criticality, Criticality::High);
    assert!(
        accounts.attributes["classification"]
            .to_string()
            .contains("authenticates users with Passport"),
        "{}",
        accounts.attributes["classification"]
    );
    assert_eq!(service("catalog").criticality, Criticality::Medium);

    let stripe = inventory
        .assets
        .iter()
        .find(|a| a.attr_str("sdk") == Some("stripe"))
        .unwrap();
    assert_eq!(
        stripe.attributes["services"],
        serde_json::json!(["service:services/checkout"])
    );
}

/// What a service's code does and guards with lands on its component, each with the line that shows it;
/// its datastores, SaaS and LLM providers become components with flows carrying what the service handles.
#[test]
fn code_capabilities_controls_and_flows() {
    let app = "import openai\nimport stripe\nimport psycopg2\nfrom lxml import etree\nfrom defusedxml import ElementTree\nfrom flask_limiter import Limiter\n\nconn = psycopg2.connect(\"postgresql://app@db.internal:5432/shop\")\n";
    let scope = vigil_core::config::parse(
        "vigil.toml",
        "[[override]]\npath = \"svc/**\"\ninternet_facing = true\ndata_classes = [\"pii\"]\n",
    )
    .unwrap();
    let (_, model) = build(
        &[
            (
                "svc/requirements.txt",
                "openai==1.30.0\nstripe==9.0.0\npsycopg2==2.9.9\nlxml==5.0.0\ndefusedxml==0.7.1\nflask-limiter==3.5.0\n",
            ),
            ("svc/app.py", app),
        ],
        &scope,
    );
    let service = model.component("svc:svc").unwrap();
    let capabilities: Vec<(&str, String)> = service
        .capabilities
        .iter()
        .map(|c| (c.kind.as_str(), c.evidence[0].location()))
        .collect();
    assert_eq!(
        capabilities,
        [
            ("parses-xml", "svc/app.py:4".to_owned()),
            ("queries-sql", "svc/app.py:3".to_owned()),
            ("calls-llm", "svc/app.py:1".to_owned()),
            ("processes-payments", "svc/app.py:2".to_owned()),
        ]
    );
    let controls: Vec<(&str, String)> = service
        .controls
        .iter()
        .map(|c| (c.name.as_str(), c.evidence[0].location()))
        .collect();
    assert_eq!(
        controls,
        [
            ("rate-limiting", "svc/app.py:6".to_owned()),
            ("safe-xml-parser", "svc/app.py:5".to_owned()),
        ]
    );
    let flows: Vec<(&str, &str, Vec<DataClass>)> = model
        .flows
        .iter()
        .filter(|f| f.source == "svc:svc")
        .map(|f| (f.target.as_str(), f.label.as_str(), f.data_classes.clone()))
        .collect();
    assert_eq!(
        flows,
        [
            (
                "ds:postgresql:db.internal",
                "queries postgresql at db.internal",
                vec![DataClass::Pii]
            ),
            ("ext:openai", "sends prompts to OpenAI", vec![DataClass::Pii]),
            ("ext:stripe", "calls Stripe (payments)", vec![DataClass::Pii]),
        ]
    );
    let openai = model.component("ext:openai").unwrap();
    assert_eq!(
        (openai.name.as_str(), openai.boundary.as_deref()),
        ("OpenAI (LLM provider)", Some("third-party"))
    );
}

/// Infrastructure controls: a WAF associated with an API's stage protects the API, CloudTrail records the
/// account, an encrypted database encrypts at rest.
#[test]
fn infrastructure_controls() {
    let tf = r#"
resource "aws_api_gateway_rest_api" "api" { name = "api" }
resource "aws_api_gateway_stage" "prod" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
}
resource "aws_wafv2_web_acl_association" "api" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/y"
}
resource "aws_cloudtrail" "main" { name = "main" }
resource "aws_db_instance" "orders" {
  storage_encrypted = true
}
"#;
    let (_, model) = build(&[("infra/main.tf", tf)], &Scope::default());
    let controls = |id: &str| -> Vec<(String, String)> {
        model
            .component(id)
            .unwrap()
            .controls
            .iter()
            .map(|c| (c.name.clone(), c.evidence[0].location()))
            .collect()
    };
    assert_eq!(
        controls("res:infra/aws_api_gateway_rest_api.api"),
        [
            ("audit-logging".to_owned(), "infra/main.tf:11".to_owned()),
            ("waf".to_owned(), "infra/main.tf:8".to_owned()),
        ]
    );
    assert_eq!(
        controls("res:infra/aws_db_instance.orders"),
        [
            ("audit-logging".to_owned(), "infra/main.tf:11".to_owned()),
            ("encryption-at-rest".to_owned(), "infra/main.tf:13".to_owned()),
        ]
    );
}

/// Inconsistent threat model files: a component placed in two boundaries and a flow from a component to
/// itself are warnings naming the element; the rest of the file applies.
#[test]
fn inconsistent_threat_model_files_name_the_element() {
    let (_, mut model) = build(&[("infra/main.tf", INFRA)], &Scope::default());
    let warnings = vigil_model::overlay::apply(
        &mut model,
        "boundaries:\n  - {id: vpc:a, components: [res:infra/aws_db_instance.orders]}\n  - {id: vpc:b, components: [res:infra/aws_db_instance.orders]}\nflows:\n  - {source: res:infra/aws_db_instance.orders, target: res:infra/aws_db_instance.orders}\n",
        "vigil-model.yaml",
    )
    .unwrap();
    let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "component `res:infra/aws_db_instance.orders` is listed in boundaries `vpc:a` and `vpc:b`; it is placed in `vpc:b`",
            "flow res:infra/aws_db_instance.orders -> res:infra/aws_db_instance.orders: a component cannot send data to itself",
        ]
    );
    assert_eq!(
        model
            .component("res:infra/aws_db_instance.orders")
            .unwrap()
            .boundary
            .as_deref(),
        Some("vpc:b")
    );
}

/// Kubernetes workloads are processes in their namespace's boundary; a LoadBalancer Service, or an
/// Ingress through a Service, makes the pods it selects reachable from the Internet; an internal load
/// balancer and a ClusterIP Service do not.
#[test]
fn kubernetes_workloads_namespaces_and_exposure() {
    let deployment = |name: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n        - name: {name}\n          image: {name}:1.0\n"
        )
    };
    let service = |name: &str, kind: &str, annotations: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: shop\n{annotations}spec:\n  type: {kind}\n  selector: {{app: {name}}}\n  ports:\n    - port: 443\n"
        )
    };
    let ingress = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: front\n  namespace: shop\nspec:\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: web\n                port: {number: 443}\n";
    let manifests = [
        deployment("web"),
        service("web", "ClusterIP", ""),
        deployment("api"),
        service("api", "LoadBalancer", ""),
        deployment("admin"),
        service(
            "admin",
            "LoadBalancer",
            "  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-internal: \"true\"\n",
        ),
        ingress.to_owned(),
    ]
    .join("---\n");
    let (_, model) = build(&[("k8s/app.yaml", &manifests)], &Scope::default());
    let exposed: Vec<(&str, &str, String)> = model
        .flows
        .iter()
        .filter(|f| f.source == "internet")
        .map(|f| (f.target.as_str(), f.label.as_str(), f.evidence[0].location()))
        .collect();
    assert_eq!(
        exposed,
        [
            (
                "k8s:k8s/shop/Deployment/api",
                "exposed by LoadBalancer Service shop/Service/api",
                "k8s/app.yaml:50".to_owned()
            ),
            (
                "k8s:k8s/shop/Deployment/web",
                "exposed by Ingress shop/Ingress/front through Service shop/Service/web",
                "k8s/app.yaml:90".to_owned()
            ),
        ]
    );
    let namespace = model.boundaries.iter().find(|b| b.id == "k8s:shop").unwrap();
    assert_eq!(namespace.kind, BoundaryKind::Cluster);
    assert_eq!(namespace.components.len(), 3);
}

/// Load balancers and CDNs are the Internet's way in: public unless declared internal; a computed
/// `internal` cannot be judged and is not called public.
#[test]
fn load_balancers_and_cdns_face_the_internet() {
    let tf = r#"
resource "aws_lb" "public" {
  name = "web"
}
resource "aws_lb" "private" {
  name     = "internal"
  internal = true
}
resource "aws_lb" "computed" {
  internal = var.internal
}
resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
}
"#;
    let (_, model) = build(&[("infra/edge.tf", tf)], &Scope::default());
    let exposed: Vec<&str> = model
        .flows
        .iter()
        .filter(|f| f.source == "internet")
        .map(|f| f.target.as_str())
        .collect();
    assert_eq!(
        exposed,
        [
            "res:infra/aws_cloudfront_distribution.cdn",
            "res:infra/aws_lb.public"
        ]
    );
    assert!(model.component("res:infra/aws_lb.private").is_some());
}
