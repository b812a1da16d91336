//! Kubernetes in the system model: workloads are processes inside their namespace's trust boundary, and a
//! workload is reachable from the Internet when a Service of type LoadBalancer or NodePort, or an Ingress
//! through a Service, that is not internal selects its pods.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use vigil_core::{Asset, Boundary, BoundaryKind, Component, ComponentKind, Evidence, Flow, SystemModel};

use crate::build::INTERNET;
use crate::terraform::{Terraform, config};

const WORKLOADS: [&str; 7] = [
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "Pod",
];

pub fn add(tf: &Terraform<'_>, model: &mut SystemModel, boundaries: &mut BTreeMap<String, Boundary>) {
    let workloads: Vec<&Asset> = WORKLOADS
        .into_iter()
        .flat_map(|kind| tf.of_type(kind))
        .filter(|w| w.attr_str("provider") == Some("kubernetes"))
        .collect();
    for workload in &workloads {
        let namespace = namespace(workload);
        let boundary_id = format!("k8s:{namespace}");
        let boundary = boundaries.entry(boundary_id.clone()).or_insert_with(|| Boundary {
            id: boundary_id.clone(),
            name: format!("Kubernetes namespace {namespace}"),
            kind: BoundaryKind::Cluster,
            components: Vec::new(),
            evidence: workload.evidence.iter().take(1).cloned().collect(),
            assumed: false,
        });
        let id = component_id(workload);
        boundary.components.push(id.clone());
        model.components.push(Component {
            id,
            name: workload.name.clone(),
            kind: ComponentKind::Process,
            assets: vec![workload.id.clone()],
            boundary: Some(boundary_id),
            data_classes: workload.data_classes.clone(),
            evidence: workload.evidence.iter().take(1).cloned().collect(),
            ..Component::default()
        });
    }
    for (workload, how, evidence) in exposed(tf, &workloads) {
        let target = component_id(workload);
        if let Some(component) = model.components.iter_mut().find(|c| c.id == target) {
            component.internet_facing = true;
        }
        model.flows.push(Flow {
            id: format!("flow:{INTERNET}->{target}"),
            source: INTERNET.into(),
            target,
            label: how,
            protocol: None,
            authenticated: None,
            encrypted: None,
            data_classes: workload.data_classes.clone(),
            evidence: vec![evidence],
            assumed: false,
        });
    }
}

fn component_id(workload: &Asset) -> String {
    format!(
        "k8s:{}/{}",
        workload.attr_str("module_dir").unwrap_or("."),
        workload.attr_str("address").unwrap_or(&workload.name)
    )
}

fn namespace(asset: &Asset) -> &str {
    asset
        .attr_str("namespace")
        .filter(|n| !n.is_empty())
        .unwrap_or("default")
}

/// Workloads an external Service or Ingress reaches: (workload, how, evidence of the exposure).
fn exposed<'a>(tf: &Terraform<'a>, workloads: &[&'a Asset]) -> Vec<(&'a Asset, String, Evidence)> {
    // A selector only reaches pods of its own namespace: index them so large clusters stay linear.
    let mut by_namespace: BTreeMap<&str, Vec<&'a Asset>> = BTreeMap::new();
    for workload in workloads {
        by_namespace
            .entry(namespace(workload))
            .or_default()
            .push(workload);
    }
    let workloads = |service: &Asset| {
        by_namespace
            .get(namespace(service))
            .map_or(&[][..], Vec::as_slice)
    };
    let services: Vec<&Asset> = tf
        .of_type("Service")
        .filter(|s| s.attr_str("provider") == Some("kubernetes"))
        .collect();
    let mut out = Vec::new();
    let external = |asset: &Asset| {
        asset
            .attributes
            .get("exposure")
            .is_some_and(|e| e.get("internal").and_then(Value::as_bool) != Some(true))
    };
    for service in services.iter().filter(|s| external(s)) {
        let via = service
            .attributes
            .get("exposure")
            .and_then(|e| e.get("via"))
            .and_then(Value::as_str)
            .unwrap_or("Service");
        for workload in selected(service, workloads(service)) {
            out.push((
                workload,
                format!("exposed by {via} Service {}", service.name),
                service.evidence_for_first(&["exposure", "spec.type"]),
            ));
        }
    }
    for ingress in tf
        .of_type("Ingress")
        .filter(|i| i.attr_str("provider") == Some("kubernetes") && external(i))
    {
        for name in backends(ingress) {
            let Some(service) = services
                .iter()
                .find(|s| s.attr_str("resource_name") == Some(name) && namespace(s) == namespace(ingress))
            else {
                continue;
            };
            for workload in selected(service, workloads(service)) {
                out.push((
                    workload,
                    format!(
                        "exposed by Ingress {} through Service {}",
                        ingress.name, service.name
                    ),
                    ingress.evidence_for_first(&["exposure", "spec.rules"]),
                ));
            }
        }
    }
    out
}

/// Workloads (of the service's namespace) whose pod labels include every label of its selector.
fn selected<'a>(service: &Asset, workloads: &[&'a Asset]) -> Vec<&'a Asset> {
    let Some(selector) = config(service)
        .and_then(|c| c.get("spec"))
        .and_then(|s| s.get("selector"))
        .and_then(Value::as_object)
        .filter(|s| !s.is_empty())
    else {
        return Vec::new();
    };
    workloads
        .iter()
        .copied()
        .filter(|w| {
            pod_labels(w).is_some_and(|labels| selector.iter().all(|(k, v)| labels.get(k) == Some(v)))
        })
        .collect()
}

fn pod_labels(workload: &Asset) -> Option<&Map<String, Value>> {
    let config = config(workload)?;
    let path = match workload.attr_str("resource_type") {
        Some("Pod") => "/metadata/labels",
        Some("CronJob") => "/spec/jobTemplate/spec/template/metadata/labels",
        _ => "/spec/template/metadata/labels",
    };
    labels_at(config, path)
}

fn labels_at<'a>(config: &'a Map<String, Value>, path: &str) -> Option<&'a Map<String, Value>> {
    let mut parts = path.trim_start_matches('/').split('/');
    let first = parts.next()?;
    let mut value = config.get(first)?;
    for part in parts {
        value = value.get(part)?;
    }
    value.as_object()
}

/// Service names an Ingress routes to (networking.k8s.io/v1 and v1beta1 shapes).
fn backends(ingress: &Asset) -> Vec<&str> {
    let Some(spec) = config(ingress).and_then(|c| c.get("spec")) else {
        return Vec::new();
    };
    let mut names: Vec<&str> = ["defaultBackend", "backend"]
        .into_iter()
        .filter_map(|key| spec.get(key))
        .filter_map(backend_name)
        .collect();
    for rule in spec.get("rules").and_then(Value::as_array).into_iter().flatten() {
        names.extend(
            rule.pointer("/http/paths")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|path| path.get("backend"))
                .filter_map(backend_name),
        );
    }
    names.sort_unstable();
    names.dedup();
    names
}

fn backend_name(backend: &Value) -> Option<&str> {
    backend
        .pointer("/service/name")
        .or_else(|| backend.get("serviceName"))
        .and_then(Value::as_str)
}
