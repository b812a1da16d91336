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
use crate::{capabilities, code_flows, controls, kubernetes};

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
        // A load balancer is public unless declared internal (Terraform's default is public).
        "aws_lb" | "aws_alb" | "aws_elb" => {
            let internal = config(asset).and_then(|c| literal_bool(c, "internal"));
            (internal != Some(true) && !computed(asset, "internal")).then(|| {
                (
                    "Internet-facing load balancer".to_owned(),
                    asset.evidence_for_first(&["internal", "name"]),
                )
            })
        }
        "aws_cloudfront_distribution" => Some((
            "CloudFront distribution".to_owned(),
            asset.evidence_for_first(&["enabled", "origin"]),
        )),
        "aws_api_gateway_rest_api" | "aws_apigatewayv2_api" => {
            let private = config(asset)
                .and_then(|c| c.get("endpoint_configuration"))
                .is_some_and(|v| v.to_string().contains("PRIVATE"));
            (!private).then(|| ("API Gateway endpoint".to_owned(), asset.evidence_for("name")))
        }
        _ => None,
    }
}

/// Whether an attribute is computed (`${var.internal}`), so its value cannot be judged from the code.
fn computed(asset: &Asset, attribute: &str) -> bool {
    config(asset)
        .and_then(|c| c.get(attribute))
        .and_then(|v| v.as_str())
        .is_some_and(|s| s.contains("${"))
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
    kubernetes::add(&tf, &mut model, &mut boundaries);
    internet_flows(inventory, &mut model, &mut boundaries);
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

fn internet_flows(
    inventory: &Inventory,
    model: &mut SystemModel,
    boundaries: &mut BTreeMap<String, Boundary>,
) {
    let mut endpoints: BTreeMap<String, Vec<&Asset>> = BTreeMap::new();
    for endpoint in inventory.of_kind(AssetKind::ApiEndpoint) {
        if let Some(service) = endpoint.attr_str("service") {
            endpoints
                .entry(format!("svc:{}", service.trim_start_matches("service:")))
                .or_default()
                .push(endpoint);
        }
    }
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
        // Exposure found with more detail (a Kubernetes Service) already has its flow.
        if model
            .flows
            .iter()
            .any(|f| f.source == INTERNET && f.target == target)
        {
            continue;
        }
        let endpoints = endpoints.get(target.as_str());
        let (label, authenticated, evidence) = match endpoints {
            Some(endpoints) => {
                let open: Vec<&&Asset> = endpoints
                    .iter()
                    .filter(|e| e.attr_bool("authenticated") != Some(true))
                    .collect();
                let label = format!(
                    "{} endpoint(s) reachable from the Internet, {} without authentication",
                    endpoints.len(),
                    open.len()
                );
                let shown = open.first().copied().unwrap_or(&endpoints[0]);
                let mut evidence = evidence;
                evidence.extend(shown.evidence.iter().take(1).cloned());
                (label, Some(open.is_empty()), evidence)
            }
            None => ("reachable from the Internet".to_owned(), None, evidence),
        };
        model.flows.push(Flow {
            id: format!("flow:{INTERNET}->{target}"),
            source: INTERNET.into(),
            target,
            label,
            protocol: Some("https".into()),
            authenticated,
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

/// How a pipeline gets credentials for a cloud: (provider as in Terraform, login action, secret name
/// prefixes, control-plane entity id, its name, the account's name).
struct Cloud {
    provider: &'static str,
    action: &'static str,
    secret_prefixes: &'static [&'static str],
    entity: &'static str,
    name: &'static str,
}

const CLOUDS: &[Cloud] = &[
    Cloud {
        provider: "aws",
        action: "aws-actions/configure-aws-credentials",
        secret_prefixes: &["AWS_"],
        entity: "ext:aws-api",
        name: "AWS",
    },
    Cloud {
        provider: "google",
        action: "google-github-actions/auth",
        secret_prefixes: &["GCP_", "GOOGLE_", "GCLOUD_"],
        entity: "ext:gcp-api",
        name: "Google Cloud",
    },
    Cloud {
        provider: "azurerm",
        action: "azure/login",
        secret_prefixes: &["AZURE_", "ARM_"],
        entity: "ext:azure-api",
        name: "Azure",
    },
];

/// A pipeline that logs in to a cloud (its login action, or secrets named for it) deploys into it.
fn deploy_flow(
    pipeline: &Asset,
    source: &str,
    steps: &[(String, Option<u32>)],
    cloud: &Cloud,
    model: &mut SystemModel,
    boundaries: &mut BTreeMap<String, Boundary>,
) {
    let login = steps.iter().find(|(uses, _)| uses.starts_with(cloud.action));
    let secret = secrets(pipeline)
        .into_iter()
        .find(|name| cloud.secret_prefixes.iter().any(|p| name.starts_with(p)))
        .map(str::to_owned);
    let evidence = match (login, &secret) {
        (Some((uses, line)), _) => Evidence::at(pipeline.path(), *line).with_note(format!("uses {uses}")),
        (None, Some(secret)) => {
            Evidence::at(pipeline.path(), None).with_note(format!("uses secrets.{secret}"))
        }
        (None, None) => return,
    };
    let boundary_id = format!("cloud:{}", cloud.provider);
    let boundary = boundaries.entry(boundary_id.clone()).or_insert_with(|| Boundary {
        id: boundary_id.clone(),
        name: cloud_name(cloud.provider),
        kind: BoundaryKind::CloudAccount,
        components: Vec::new(),
        evidence: Vec::new(),
        assumed: true,
    });
    boundary.components.push(cloud.entity.into());
    if model.component(cloud.entity).is_none() {
        model.components.push(external(
            cloud.entity,
            &format!("{} control plane", cloud.name),
            &boundary_id,
        ));
    }
    model.flows.push(Flow {
        id: format!("flow:{source}->{}", cloud.entity),
        source: source.to_owned(),
        target: cloud.entity.into(),
        label: format!("deploys with {} credentials", cloud.name),
        protocol: Some("https".into()),
        authenticated: Some(true),
        encrypted: Some(true),
        data_classes: vec![vigil_core::DataClass::Secrets],
        evidence: vec![evidence],
        assumed: false,
    });
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
        for cloud in CLOUDS {
            deploy_flow(pipeline, &source, &steps, cloud, model, boundaries);
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
