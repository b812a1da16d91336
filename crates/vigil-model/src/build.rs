//! Building the system model from a classified inventory.
//!
//! What is seen in code carries its evidence; what is inferred is marked `assumed` (the Internet as an
//! entity, the cloud control plane). Flows come from exposure (Internet -> component), from references in
//! IaC (a Lambda whose environment names a bucket reads or writes it), from CI credentials (a workflow that
//! configures AWS credentials deploys into the account) and from third-party actions (code a pipeline runs).

use std::collections::BTreeMap;

use vigil_core::{
    Asset, AssetKind, Boundary, BoundaryKind, Component, ComponentKind, Evidence, Flow, Inventory,
    SystemModel,
};

use crate::aws;
use crate::code_facts::{self, Services};
use crate::datastore_types::{is_datastore, is_process};
use crate::github::{is_third_party, secrets, steps};
use crate::terraform::{Terraform, config, literal_bool, refers_to};
use crate::{capabilities, code_flows, controls};

pub const INTERNET: &str = "internet";
pub const THIRD_PARTY_ACTIONS: &str = "ext:third-party-actions";

/// Why a resource faces the Internet, if it does.
pub fn exposure(tf: &Terraform<'_>, asset: &Asset) -> Option<(String, Evidence)> {
    if crate::terraform::mode(asset) != "managed" {
        return None;
    }
    match asset.attr_str("resource_type")? {
        "aws_s3_bucket" => {
            aws::s3_public(tf, asset).map(|p| (format!("public bucket: {}", p.reason), p.evidence))
        }
        "aws_db_instance" | "aws_rds_cluster" => {
            let evidence = aws::db_publicly_accessible(asset)?;
            let groups = aws::attached_security_groups(tf, asset);
            let closed = !groups.is_empty() && groups.iter().all(|g| aws::open_ingress(tf, g).is_empty());
            (!closed).then(|| ("publicly_accessible = true".to_owned(), evidence))
        }
        "aws_lambda_function" => aws::lambda_public_url(tf, asset)
            .map(|e| ("function URL with authorization_type NONE".to_owned(), e)),
        "aws_instance" => {
            let public_ip =
                config(asset).and_then(|c| literal_bool(c, "associate_public_ip_address")) == Some(true);
            let open = aws::attached_security_groups(tf, asset)
                .into_iter()
                .flat_map(|g| aws::open_ingress(tf, g))
                .next();
            match (public_ip, open) {
                (true, Some(ingress)) => Some((
                    format!("public IP and {} open to {}", ingress.ports(), ingress.cidr),
                    ingress.evidence,
                )),
                _ => None,
            }
        }
        "aws_api_gateway_rest_api" | "aws_apigatewayv2_api" => {
            let private = config(asset)
                .and_then(|c| c.get("endpoint_configuration"))
                .is_some_and(|v| v.to_string().contains("PRIVATE"));
            (!private).then(|| ("API Gateway endpoint".to_owned(), asset.evidence_for("name")))
        }
        _ => None,
    }
}

pub fn build(inventory: &Inventory) -> SystemModel {
    let tf = Terraform::new(inventory);
    let mut model = SystemModel::default();
    let mut boundaries: BTreeMap<String, Boundary> = BTreeMap::new();

    for asset in &inventory.assets {
        match asset.kind {
            AssetKind::Service => model.components.push(component(
                asset,
                format!("svc:{}", asset.id.0.trim_start_matches("service:")),
                ComponentKind::Process,
                None,
            )),
            AssetKind::CloudResource if crate::terraform::mode(asset) == "managed" => {
                let Some(resource_type) = asset.attr_str("resource_type") else {
                    continue;
                };
                let kind = if is_datastore(resource_type) {
                    ComponentKind::Datastore
                } else if is_process(resource_type) {
                    ComponentKind::Process
                } else {
                    continue;
                };
                let provider = asset.attr_str("provider").unwrap_or("cloud");
                let boundary_id = format!("cloud:{provider}");
                let boundary = boundaries.entry(boundary_id.clone()).or_insert_with(|| Boundary {
                    id: boundary_id.clone(),
                    name: cloud_name(provider),
                    kind: BoundaryKind::CloudAccount,
                    components: Vec::new(),
                    evidence: vec![asset.evidence.first().cloned().unwrap_or_default()],
                    assumed: false,
                });
                let id = resource_component_id(asset);
                boundary.components.push(id.clone());
                model
                    .components
                    .push(component(asset, id, kind, Some(boundary_id)));
            }
            AssetKind::Pipeline => {
                let platform = asset.attr_str("platform").unwrap_or("ci");
                let boundary_id = format!("ci:{platform}");
                let boundary = boundaries.entry(boundary_id.clone()).or_insert_with(|| Boundary {
                    id: boundary_id.clone(),
                    name: platform_name(platform).into(),
                    kind: BoundaryKind::Ci,
                    components: Vec::new(),
                    evidence: vec![asset.evidence.first().cloned().unwrap_or_default()],
                    assumed: false,
                });
                let id = format!("ci:{}", asset.path());
                boundary.components.push(id.clone());
                model
                    .components
                    .push(component(asset, id, ComponentKind::Process, Some(boundary_id)));
            }
            _ => {}
        }
    }

    let services = Services::new(inventory);
    code_flows::add(inventory, &services, &mut model, &mut boundaries);
    internet_flows(&mut model, &mut boundaries);
    lambda_flows(&tf, inventory, &mut model);
    pipeline_flows(inventory, &mut model, &mut boundaries);

    let facts = code_facts::facts(inventory, &services);
    capabilities::detect(&facts, &mut model);
    controls::detect_in_code(&facts, &mut model);
    controls::detect_in_infrastructure(&tf, &mut model);
    for component in &mut model.components {
        component.controls.sort_by(|a, b| a.name.cmp(&b.name));
    }

    model.boundaries = boundaries.into_values().collect();
    for boundary in &mut model.boundaries {
        boundary.components.sort();
        boundary.components.dedup();
    }
    model.components.sort_by(|a, b| a.id.cmp(&b.id));
    model.flows.sort_by(|a, b| a.id.cmp(&b.id));
    model.flows.dedup_by(|a, b| a.id == b.id);
    model
}

fn component(asset: &Asset, id: String, kind: ComponentKind, boundary: Option<String>) -> Component {
    Component {
        id,
        name: asset.name.clone(),
        kind,
        assets: vec![asset.id.clone()],
        boundary,
        internet_facing: asset.attr_bool("internet_facing") == Some(true),
        data_classes: asset.data_classes.clone(),
        evidence: asset.evidence.iter().take(1).cloned().collect(),
        assumed: false,
        capabilities: Vec::new(),
        controls: Vec::new(),
        out_of_scope: None,
    }
}

fn platform_name(platform: &str) -> &'static str {
    match platform {
        "github-actions" => "GitHub Actions",
        "gitlab-ci" => "GitLab CI",
        "jenkins" => "Jenkins",
        "circleci" => "CircleCI",
        "azure-pipelines" => "Azure Pipelines",
        "bitbucket-pipelines" => "Bitbucket Pipelines",
        _ => "CI",
    }
}

pub fn resource_component_id(asset: &Asset) -> String {
    let module = asset
        .attr_str("module_dir")
        .filter(|m| !m.is_empty())
        .unwrap_or(".");
    format!(
        "res:{module}/{}",
        asset.attr_str("address").unwrap_or(&asset.name)
    )
}

fn cloud_name(provider: &str) -> String {
    match provider {
        "aws" => "AWS account".into(),
        "google" => "Google Cloud project".into(),
        "azurerm" => "Azure subscription".into(),
        other => format!("{other} account"),
    }
}

fn external(id: &str, name: &str, boundary: &str) -> Component {
    Component {
        id: id.to_owned(),
        name: name.to_owned(),
        kind: ComponentKind::ExternalEntity,
        assets: Vec::new(),
        boundary: Some(boundary.to_owned()),
        internet_facing: false,
        data_classes: Vec::new(),
        evidence: Vec::new(),
        assumed: true,
        capabilities: Vec::new(),
        controls: Vec::new(),
        out_of_scope: None,
    }
}

fn internet_flows(model: &mut SystemModel, boundaries: &mut BTreeMap<String, Boundary>) {
    let exposed: Vec<(String, Vec<Evidence>, Vec<vigil_core::DataClass>)> = model
        .components
        .iter()
        .filter(|c| c.internet_facing)
        .map(|c| (c.id.clone(), c.evidence.clone(), c.data_classes.clone()))
        .collect();
    if exposed.is_empty() {
        return;
    }
    model
        .components
        .push(external(INTERNET, "The Internet", "internet"));
    boundaries.insert(
        "internet".into(),
        Boundary {
            id: "internet".into(),
            name: "Internet".into(),
            kind: BoundaryKind::Internet,
            components: vec![INTERNET.into()],
            evidence: Vec::new(),
            assumed: true,
        },
    );
    for (target, evidence, data_classes) in exposed {
        model.flows.push(Flow {
            id: format!("flow:{INTERNET}->{target}"),
            source: INTERNET.into(),
            target,
            label: "reachable from the Internet".into(),
            protocol: Some("https".into()),
            authenticated: None,
            encrypted: None,
            data_classes,
            evidence,
            assumed: false,
        });
    }
}

/// A Lambda whose environment refers to a datastore of the same module uses it.
fn lambda_flows(tf: &Terraform<'_>, inventory: &Inventory, model: &mut SystemModel) {
    for function in tf.of_type("aws_lambda_function") {
        let Some(environment) = config(function).and_then(|c| c.get("environment")) else {
            continue;
        };
        for store in tf.resources().iter().filter(|r| {
            r.attr_str("resource_type").is_some_and(is_datastore)
                && r.attr_str("module_dir") == function.attr_str("module_dir")
                && crate::terraform::mode(r) == "managed"
        }) {
            if refers_to(environment, store.attr_str("address").unwrap_or_default()) {
                let source = resource_component_id(function);
                let target = resource_component_id(store);
                model.flows.push(Flow {
                    id: format!("flow:{source}->{target}"),
                    source,
                    target,
                    label: format!("{} uses {}", function.name, store.name),
                    protocol: Some("aws-api".into()),
                    authenticated: Some(true),
                    encrypted: Some(true),
                    data_classes: inventory
                        .get(&store.id)
                        .map(|s| s.data_classes.clone())
                        .unwrap_or_default(),
                    evidence: vec![function.evidence_for("environment.0.variables")],
                    assumed: false,
                });
            }
        }
    }
}

/// Pipelines that configure cloud credentials deploy into the account; third-party actions run inside them.
fn pipeline_flows(
    inventory: &Inventory,
    model: &mut SystemModel,
    boundaries: &mut BTreeMap<String, Boundary>,
) {
    for pipeline in inventory.of_kind(AssetKind::Pipeline) {
        let source = format!("ci:{}", pipeline.path());
        let steps = steps(pipeline);
        let aws_credentials = steps
            .iter()
            .find(|(uses, _)| uses.starts_with("aws-actions/configure-aws-credentials"));
        let aws_secret = secrets(pipeline)
            .into_iter()
            .find(|name| name.starts_with("AWS_"))
            .map(str::to_owned);
        if aws_credentials.is_some() || aws_secret.is_some() {
            let boundary = boundaries.entry("cloud:aws".into()).or_insert_with(|| Boundary {
                id: "cloud:aws".into(),
                name: "AWS account".into(),
                kind: BoundaryKind::CloudAccount,
                components: Vec::new(),
                evidence: Vec::new(),
                assumed: true,
            });
            boundary.components.push("ext:aws-api".into());
            if model.component("ext:aws-api").is_none() {
                model
                    .components
                    .push(external("ext:aws-api", "AWS control plane", "cloud:aws"));
            }
            let evidence = match (aws_credentials, &aws_secret) {
                (Some((uses, line)), _) => {
                    Evidence::at(pipeline.path(), *line).with_note(format!("uses {uses}"))
                }
                (None, Some(secret)) => {
                    Evidence::at(pipeline.path(), None).with_note(format!("uses secrets.{secret}"))
                }
                (None, None) => Evidence::at(pipeline.path(), None),
            };
            model.flows.push(Flow {
                id: format!("flow:{source}->ext:aws-api"),
                source: source.clone(),
                target: "ext:aws-api".into(),
                label: "deploys with AWS credentials".into(),
                protocol: Some("https".into()),
                authenticated: Some(true),
                encrypted: Some(true),
                data_classes: vec![vigil_core::DataClass::Secrets],
                evidence: vec![evidence],
                assumed: false,
            });
        }
        let third_party: Vec<&(String, Option<u32>)> =
            steps.iter().filter(|(uses, _)| is_third_party(uses)).collect();
        if let Some((uses, line)) = third_party.first() {
            if model.component(THIRD_PARTY_ACTIONS).is_none() {
                model.components.push(external(
                    THIRD_PARTY_ACTIONS,
                    "Third-party CI components",
                    "third-party",
                ));
                boundaries.insert(
                    "third-party".into(),
                    Boundary {
                        id: "third-party".into(),
                        name: "Third parties".into(),
                        kind: BoundaryKind::ThirdParty,
                        components: vec![THIRD_PARTY_ACTIONS.into()],
                        evidence: Vec::new(),
                        assumed: true,
                    },
                );
            }
            model.flows.push(Flow {
                id: format!("flow:{THIRD_PARTY_ACTIONS}->{source}"),
                source: THIRD_PARTY_ACTIONS.into(),
                target: source.clone(),
                label: format!(
                    "runs {} third-party component(s) (actions, images, includes)",
                    third_party.len()
                ),
                protocol: None,
                authenticated: None,
                encrypted: None,
                data_classes: Vec::new(),
                evidence: vec![Evidence::at(pipeline.path(), *line).with_note(format!("uses {uses}"))],
                assumed: false,
            });
        }
    }
}
