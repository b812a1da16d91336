//! Each kind of material change, triggered alone by a pair of small repositories assessed through the
//! real engine; and a pure refactor that triggers nothing.

#![allow(clippy::unwrap_used)]
mod common;

use common::{SERVER_JS, Tree, base, delta, edit, kinds, only, rename};

const API: &str = "services/api/src/server.js";

fn with(change: impl FnOnce(&mut Tree)) -> Tree {
    let mut tree = base();
    change(&mut tree);
    tree
}

#[test]
fn the_same_tree_has_no_delta() {
    let tree = base();
    let delta = delta(&tree, &tree);
    assert!(delta.material_changes.is_empty(), "{:#?}", kinds(&delta));
    assert!(!delta.reassessment_required);
    assert!(delta.findings.new.is_empty() && delta.findings.fixed.is_empty());
    assert!(delta.findings.still_open > 0);
    assert_eq!(delta.findings.moved, 0);
    assert_eq!(delta.risk.rpn_delta, 0);
}

#[test]
fn a_pure_refactor_is_no_change() {
    let old = base();
    let mut new = old.clone();
    // Files move to other directories (a whole Terraform module included), local names change, lines
    // shift.
    rename(&mut new, API, "services/api/lib/http/app.js");
    rename(
        &mut new,
        "services/api/src/auth.js",
        "services/api/lib/http/auth.js",
    );
    rename(
        &mut new,
        "services/worker/worker.py",
        "services/worker/fulfilment/main.py",
    );
    rename(&mut new, "infra", "deploy/terraform");
    let app = "services/api/lib/http/app.js";
    let renamed = SERVER_JS
        .replace("app.", "server.")
        .replace("const app", "const server")
        .replace("payments", "stripeClient")
        .replace("intent", "paymentIntent")
        .replace("\n\n", "\n\n\n\n");
    new.insert(app.to_owned(), format!("\n\n// moved\n{renamed}"));
    edit(&mut new, "services/worker/fulfilment/main.py", "handle", "stream");
    edit(
        &mut new,
        "deploy/terraform/database.tf",
        "resource",
        "\n\n# orders\nresource",
    );

    let delta = delta(&old, &new);
    assert!(delta.material_changes.is_empty(), "{:#?}", kinds(&delta));
    assert!(!delta.reassessment_required);
    assert!(delta.findings.new.is_empty(), "{:#?}", delta.findings.new);
    assert!(delta.findings.fixed.is_empty(), "{:#?}", delta.findings.fixed);
    assert!(
        delta.findings.moved > 0,
        "the Terraform findings changed fingerprints with their module"
    );
    assert_eq!(delta.risk.rpn_delta, 0);
}

#[test]
fn endpoint_added() {
    let new = with(|t| {
        edit(
            t,
            API,
            "app.listen",
            "app.delete(\"/api/orders/:id\", requireAuth, (req, res) => {\n  res.status(204).end();\n});\n\napp.listen",
        );
    });
    let delta = delta(&base(), &new);
    only(&delta, "endpoint-added");
    assert_eq!(delta.material_changes.len(), 1);
    let change = &delta.material_changes[0];
    assert_eq!(change.title, "DELETE /api/orders/:id added to shop-api");
    assert!(
        change.detail.starts_with("authenticated by `requireAuth`"),
        "{}",
        change.detail
    );
    assert_eq!(change.evidence[0].path, API);
}

#[test]
fn endpoint_removed() {
    let new = with(|t| {
        edit(
            t,
            API,
            "app.get(\"/api/products\", (req, res) => {\n  res.json([]);\n});\n",
            "",
        );
    });
    let delta = delta(&base(), &new);
    only(&delta, "endpoint-removed");
    assert_eq!(
        delta.material_changes[0].title,
        "GET /api/products removed from shop-api"
    );
}

#[test]
fn endpoint_lost_authentication() {
    let new = with(|t| edit(t, API, "\"/api/orders\", requireAuth,", "\"/api/orders\","));
    let delta = delta(&base(), &new);
    only(&delta, "endpoint-lost-authentication");
    let change = &delta.material_changes[0];
    assert_eq!(
        change.title,
        "POST /api/orders on shop-api lost its authentication"
    );
    assert_eq!(
        change.detail,
        "was authenticated by `requireAuth`; now no authentication guard"
    );
    // The unauthenticated write is a new finding.
    assert!(!delta.findings.new.is_empty());
}

#[test]
fn datastore_added() {
    let new = with(|t| {
        edit(
            t,
            "infra/database.tf",
            "resource",
            "resource \"aws_dynamodb_table\" \"sessions\" {\n  name     = \"sessions\"\n  hash_key = \"id\"\n}\n\nresource",
        );
    });
    let delta = delta(&base(), &new);
    only(&delta, "datastore-added");
    assert_eq!(
        delta.material_changes[0].title,
        "Datastore aws_dynamodb_table.sessions added"
    );
}

#[test]
fn sensitive_data_added_to_flow() {
    // The scope file of the revision now says the API handles personal data: what it sends to Stripe
    // (which takes PII) and what the Internet sends it carry PII from now on.
    let new = with(|t| {
        edit(
            t,
            "vigil.toml",
            "internet_facing = true",
            "internet_facing = true\ndata_classes = [\"pii\"]",
        );
    });
    let delta = delta(&base(), &new);
    only(&delta, "sensitive-data-added-to-flow");
    let titles: Vec<&str> = delta.material_changes.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "The Internet → shop-api now carries pii",
            "shop-api → Stripe now carries pii"
        ]
    );
    assert!(delta.material_changes[1].detail.ends_with("carried before: none"));
}

#[test]
fn a_bucket_tagged_as_holding_personal_data_puts_it_on_the_flow_into_it() {
    let lambda = "resource \"aws_lambda_function\" \"exporter\" {\n  function_name = \"exporter\"\n  role          = \"arn:aws:iam::123456789012:role/exporter\"\n  runtime       = \"nodejs20.x\"\n  handler       = \"index.handler\"\n  filename      = \"exporter.zip\"\n\n  environment {\n    variables = {\n      BUCKET = aws_s3_bucket.exports.id\n    }\n  }\n}\n";
    let old = with(|t| {
        t.insert("infra/compute.tf".into(), lambda.into());
    });
    let mut new = old.clone();
    edit(
        &mut new,
        "infra/storage.tf",
        "bucket = \"shop-exports\"",
        "bucket = \"shop-exports\"\n\n  tags = {\n    DataClassification = \"pii\"\n  }",
    );
    let delta = delta(&old, &new);
    only(&delta, "sensitive-data-added-to-flow");
    assert_eq!(
        delta.material_changes[0].title,
        "aws_lambda_function.exporter → aws_s3_bucket.exports now carries pii"
    );
}

#[test]
fn a_new_data_model_in_a_document_store_adds_the_datastore() {
    let new = with(|t| {
        t.insert(
            "services/api/src/customer.js".into(),
            "const mongoose = require(\"mongoose\");\n\nconst Customer = new mongoose.Schema({ email: String, phone: String });\n\nmodule.exports = mongoose.model(\"Customer\", Customer);\n".into(),
        );
    });
    let delta = delta(&base(), &new);
    only(&delta, "datastore-added");
    assert_eq!(delta.material_changes[0].title, "Datastore MongoDB added");
}

#[test]
fn third_party_added() {
    let new = with(|t| {
        edit(
            t,
            API,
            "const requireAuth",
            "const twilio = require(\"twilio\")(process.env.TWILIO_SID, process.env.TWILIO_TOKEN);\nconst requireAuth",
        );
    });
    let delta = delta(&base(), &new);
    only(&delta, "third-party-added");
    assert_eq!(
        delta.material_changes.len(),
        1,
        "the flow to it is part of the change"
    );
    let change = &delta.material_changes[0];
    assert!(change.title.starts_with("Third party Twilio"), "{}", change.title);
    assert!(change.detail.contains("used by shop-api"), "{}", change.detail);
}

#[test]
fn ai_integration_added() {
    let new = with(|t| {
        edit(
            t,
            API,
            "const requireAuth",
            "const OpenAI = require(\"openai\");\nconst requireAuth",
        );
    });
    let delta = delta(&base(), &new);
    only(&delta, "ai-integration-added");
    assert_eq!(delta.material_changes.len(), 1);
    assert_eq!(
        delta.material_changes[0].title,
        "AI integration OpenAI added (llm)"
    );
}

#[test]
fn resource_became_public() {
    let new = with(|t| {
        edit(
            t,
            "infra/database.tf",
            "publicly_accessible = false",
            "publicly_accessible = true",
        );
    });
    let delta = delta(&base(), &new);
    only(&delta, "resource-became-public");
    assert_eq!(
        delta.material_changes.len(),
        1,
        "the flow from the Internet is part of it"
    );
    let change = &delta.material_changes[0];
    assert_eq!(
        change.title,
        "aws_db_instance.orders became reachable from the Internet"
    );
    assert!(change.detail.contains("publicly_accessible"), "{}", change.detail);
}

#[test]
fn vulnerable_dependency_added() {
    let new = with(|t| {
        let package = "services/api/package.json";
        edit(
            t,
            package,
            "\"express\": \"4.21.2\",",
            "\"express\": \"4.21.2\",\n    \"lodash\": \"4.17.15\",",
        );
        let lock = "services/api/package-lock.json";
        edit(
            t,
            lock,
            "\"express\": \"4.21.2\",",
            "\"express\": \"4.21.2\",\n        \"lodash\": \"4.17.15\",",
        );
        edit(
            t,
            lock,
            "\"node_modules/stripe\"",
            "\"node_modules/lodash\": {\n      \"version\": \"4.17.15\",\n      \"resolved\": \"https://registry.npmjs.org/lodash/-/lodash-4.17.15.tgz\",\n      \"license\": \"MIT\"\n    },\n    \"node_modules/stripe\"",
        );
    });
    let delta = delta(&base(), &new);
    only(&delta, "vulnerable-dependency-added");
    assert_eq!(delta.material_changes.len(), 1);
    let change = &delta.material_changes[0];
    assert_eq!(change.title, "Vulnerable lodash 4.17.15 added to shop-api");
    assert!(change.detail.contains("open advisories"), "{}", change.detail);
    assert!(
        delta
            .findings
            .new
            .iter()
            .all(|f| f.title.starts_with("lodash 4.17.15"))
    );
    assert!(delta.risk.rpn_delta > 0);
}

#[test]
fn an_upgrade_off_a_vulnerable_version_fixes_findings_without_material_change() {
    let old = with(|t| {
        edit(
            t,
            "services/worker/requirements.txt",
            "PyYAML==6.0.1",
            "PyYAML==5.1",
        );
    });
    let delta = delta(&old, &base());
    assert!(delta.material_changes.is_empty(), "{:#?}", kinds(&delta));
    assert!(!delta.findings.fixed.is_empty());
    assert!(delta.findings.new.is_empty());
    assert!(delta.risk.rpn_delta < 0);
}

#[test]
fn trust_boundary_crossing_added() {
    // Stripe is already a third party (the API calls it); now the worker calls it too.
    let new = with(|t| {
        edit(
            t,
            "services/worker/worker.py",
            "import yaml",
            "import stripe\nimport yaml",
        );
    });
    let delta = delta(&base(), &new);
    only(&delta, "trust-boundary-crossing-added");
    assert_eq!(delta.material_changes.len(), 1);
    assert_eq!(
        delta.material_changes[0].title,
        "New flow shop-worker → Stripe crosses from the application into Third parties"
    );
}

#[test]
fn the_delta_serializes_with_kebab_case_kinds() {
    let new = with(|t| edit(t, API, "\"/api/orders\", requireAuth,", "\"/api/orders\","));
    let delta = delta(&base(), &new);
    let json = serde_json::to_value(&delta).unwrap();
    assert_eq!(json["reassessment_required"], true);
    assert_eq!(
        json["material_changes"][0]["kind"],
        "endpoint-lost-authentication"
    );
    assert!(json["material_changes"][0].get("subject").is_none());
    assert_eq!(json["findings"]["reopened"], serde_json::json!([]));
    assert!(json["risk"]["new_by_band"]["critical"].is_number());
}

/// The example shop (services in three languages, Terraform, GitHub Actions, vulnerable lockfiles), with
/// its files moved, its local names changed and its lines shifted.
#[test]
fn the_example_shop_refactored_is_no_change() {
    let shop = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/shop"));
    let old = common::read_tree(shop);
    let mut new = old.clone();
    rename(&mut new, "infra", "deploy/aws");
    rename(
        &mut new,
        "services/api/src/server.js",
        "services/api/src/http/server.js",
    );
    rename(
        &mut new,
        "services/worker/worker.py",
        "services/worker/fulfilment/worker.py",
    );
    rename(
        &mut new,
        "services/ledger/src/main.rs",
        "services/ledger/src/bin/main.rs",
    );
    let server = "services/api/src/http/server.js";
    let text = new[server].replace("app", "storefront").replace("\n\n", "\n\n\n");
    new.insert(server.to_owned(), format!("\n\n{text}"));
    edit(
        &mut new,
        "services/worker/fulfilment/worker.py",
        "handle",
        "stream",
    );
    edit(
        &mut new,
        "deploy/aws/storage.tf",
        "resource",
        "# buckets\n\n\nresource",
    );

    let delta = delta(&old, &new);
    assert!(delta.material_changes.is_empty(), "{:#?}", kinds(&delta));
    assert!(delta.findings.new.is_empty(), "{:#?}", delta.findings.new);
    assert!(delta.findings.fixed.is_empty(), "{:#?}", delta.findings.fixed);
    assert!(delta.findings.moved > 10, "{}", delta.findings.moved);
    assert_eq!(delta.risk.rpn_delta, 0);
}
