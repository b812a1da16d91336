//! Kubernetes manifests (any `*.yaml`, `*.yml` or `*.json` holding objects with `apiVersion` and `kind`) and
//! kustomize's `kustomization.yaml`: one asset per object, one per kustomization.
//!
//! Every YAML or JSON file of the repository is claimed, so `extract` first looks, cheaply, for top-level
//! `apiVersion:` and `kind:` keys and leaves any other file alone (no asset, no diagnostic). Files under
//! `templates/` of a Helm chart (a directory with `Chart.yaml` above `templates/`) are Go templates: the
//! `kubernetes/helm-chart` extractor reads them, through [`read_manifests`], and this one skips them.
//! Multi-document files are split on `---` lines and each document is parsed alone, so one bad document is
//! a warning and the others are still read; `kind: List` (and typed lists such as `PodList`) yields its
//! items. Scalars are read as the Kubernetes tooling reads them (go-yaml, YAML 1.1): `yes`/`on` are
//! booleans and `0644` is octal. serde-saphyr's budgets stay on, so alias bombs are errors. A kubeconfig
//! (`apiVersion: v1`, `kind: Config`) is client configuration, not a cluster object, and is skipped.
//!
//! Object assets: kind `identity` for `ServiceAccount`, `Role`, `ClusterRole`, `RoleBinding` and
//! `ClusterRoleBinding`, `cloud-resource` otherwise; id `<kind>:<file>:<address>`; evidence at the first
//! line of the object. Attributes (read as-is by the Kubernetes threat rules):
//! - `provider` `"kubernetes"`, `resource_type` the object's `kind`, `resource_name` its `metadata.name`
//!   (or `generateName`), `api_version`, `namespace` (`"default"` when a namespaced object names none,
//!   `null` for cluster-scoped kinds), `address` `<namespace>/<kind>/<name>` (`<kind>/<name>` when
//!   cluster-scoped), `module_dir` (the file's directory, `.` at the root), `mode` `"managed"`, `format`
//!   `"kubernetes"` (or `"helm-template"`, with `chart`, the chart's name, for Helm templates);
//! - `config`: the whole object as JSON. `Secret` objects never keep their values: each `data` and
//!   `stringData` value (and the `kubectl.kubernetes.io/last-applied-configuration` annotation, which
//!   copies them) becomes `"<redacted: N chars>"`; a Helm placeholder `{{...}}` stays as it is;
//! - `exposure`, only on what faces outside the cluster (`Service` of type `LoadBalancer` or `NodePort` or
//!   with `externalIPs`, `Ingress`, Gateway API `Gateway`, OpenShift `Route`): `{"via": "LoadBalancer" |
//!   "NodePort" | "ExternalIPs" | "Ingress" | "Gateway" | "Route", "hosts": [..] ("*" for any host),
//!   "ports": [..], "node_ports": [..], "tls": bool, "source_ranges": [..], "class": string|null,
//!   "internal": bool}` where `internal` is set by the cloud annotations that make a load balancer private.
//!
//! `attribute_lines` maps every path of `config` to its line, keys and list items alike
//! (`spec.template.spec.containers.0.securityContext.privileged`, `spec.ports.0`), plus `exposure`.
//!
//! A kustomization (`kustomization.yaml`, `kustomization.yml`, `Kustomization`) is one `cloud-resource`
//! with `provider` `"kubernetes"`, `resource_type` `"kustomization"`, `resource_name` the directory's name,
//! `address` and `module_dir` the directory, `mode` `"managed"`, `format` `"kustomize"`, and the lists
//! `resources`, `bases`, `components`, `patches` (`patches`, `patchesStrategicMerge` and
//! `patchesJson6902` together, each `{"path": ..}` or `{"patch": ..}` plus its `target`), `images`,
//! `helm_charts`, `remote` (`[{"url", "pinned"}]` for resources that are fetched: git, GitHub, URLs; pinned
//! means a `ref=`/`version=` is given), and `name_prefix`, `name_suffix`, `namespace`. `config` is the
//! whole file, with `secretGenerator` literals redacted. Bases and overlays are directories the walk reads
//! on their own; nothing is merged or built.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};
use vigil_core::{Asset, AssetId, AssetKind};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};
use crate::yaml::{Node, Spanned, get, key_text, line_of, to_json};

#[derive(Debug)]
pub struct Kubernetes;

/// More documents than this in one file is a generated dump or an attack; the rest is reported, not read.
const MAX_DOCUMENTS: usize = 1024;

/// Kinds that hold or grant permissions.
const IDENTITY_KINDS: [&str; 5] = [
    "ServiceAccount",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
];

/// Built-in (and the most common add-on) kinds that live outside namespaces; any other kind is taken as
/// namespaced, which is what custom resources usually are.
const CLUSTER_SCOPED_KINDS: [&str; 27] = [
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "StorageClass",
    "CustomResourceDefinition",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "APIService",
    "IngressClass",
    "PodSecurityPolicy",
    "CSIDriver",
    "CSINode",
    "RuntimeClass",
    "VolumeAttachment",
    "CertificateSigningRequest",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "ClusterIssuer",
    "GatewayClass",
    "VolumeSnapshotClass",
    "ClusterPolicy",
    "ClusterSecretStore",
];

/// Annotations that keep a load balancer on the private network.
const INTERNAL_ANNOTATIONS: [(&str, &str); 6] = [
    ("service.beta.kubernetes.io/aws-load-balancer-internal", "true"),
    ("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"),
    ("service.beta.kubernetes.io/azure-load-balancer-internal", "true"),
    ("networking.gke.io/load-balancer-type", "internal"),
    ("cloud.google.com/load-balancer-type", "internal"),
    ("alb.ingress.kubernetes.io/scheme", "internal"),
];

/// What Helm templates become where an expression was; kept as it is by secret redaction.
pub(crate) const PLACEHOLDER: &str = "{{...}}";

impl Extractor for Kubernetes {
    fn name(&self) -> &'static str {
        "kubernetes/manifest"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        is_kustomization(file_name) || has_manifest_extension(file_name)
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let file_name = file.path.rsplit('/').next().unwrap_or(file.path);
        if is_kustomization(file_name) {
            return kustomization(file, out);
        }
        if !looks_like_manifest(file_name, file.text) {
            return Ok(());
        }
        if crate::extractors::helm_chart::template_chart(file).is_some() {
            return Ok(()); // a Helm template: kubernetes/helm-chart reads it
        }
        let read = read_manifests(
            file,
            file.text,
            &Flavor {
                format: "kubernetes",
                chart: None,
            },
            out,
        );
        if read.parsed == 0 {
            if let Some((line, message)) = read.failures.into_iter().next() {
                return Err(file.error(line, message));
            }
            return Ok(());
        }
        for (line, message) in read.failures {
            out.diagnostics.push(file.warning(line, message));
        }
        Ok(())
    }
}

fn is_kustomization(file_name: &str) -> bool {
    matches!(
        file_name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

pub(crate) fn has_manifest_extension(file_name: &str) -> bool {
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|extension| ends_with_ignore_case(file_name, extension))
}

fn ends_with_ignore_case(text: &str, suffix: &str) -> bool {
    text.get(text.len().saturating_sub(suffix.len())..)
        .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
}

/// Whether the text has the top-level `apiVersion` and `kind` keys of an object, without parsing it. YAML
/// objects write them at the start of a line; JSON may indent them anywhere.
fn looks_like_manifest(file_name: &str, text: &str) -> bool {
    let json = ends_with_ignore_case(file_name, ".json") || text.trim_start().starts_with('{');
    if json {
        return has_json_key(text, "\"apiVersion\"") && has_json_key(text, "\"kind\"");
    }
    let mut seen = (false, false);
    for line in text.lines() {
        seen.0 |= starts_with_key(line, "apiVersion");
        seen.1 |= starts_with_key(line, "kind");
        if seen.0 && seen.1 {
            return true;
        }
    }
    false
}

/// Whether `quoted_key` appears as an object key (followed by `:`), not only as a string value.
fn has_json_key(text: &str, quoted_key: &str) -> bool {
    text.match_indices(quoted_key).any(|(index, _)| {
        text.get(index + quoted_key.len()..)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

fn starts_with_key(line: &str, key: &str) -> bool {
    let unquoted = line.strip_prefix(['"', '\'']).unwrap_or(line);
    unquoted.strip_prefix(key).is_some_and(|rest| {
        let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        rest.trim_start_matches([' ', '\t']).starts_with(':')
    })
}

/// How the objects being read were written.
pub(crate) struct Flavor<'a> {
    /// `"kubernetes"` or `"helm-template"`.
    pub format: &'static str,
    /// The chart a template belongs to.
    pub chart: Option<&'a str>,
}

/// What [`read_manifests`] got out of a text.
#[derive(Debug, Default)]
pub(crate) struct Read {
    /// Documents that parsed as YAML (Kubernetes or not).
    pub parsed: usize,
    /// Objects turned into assets.
    pub objects: usize,
    /// Documents that did not parse, or whose kind is not written out: (line, message).
    pub failures: Vec<(Option<u32>, String)>,
}

/// Reads every document of `text` (the file's text, or a Helm template with its expressions replaced
/// line for line) and pushes one asset per Kubernetes object.
pub(crate) fn read_manifests(
    file: &SourceFile<'_>,
    text: &str,
    flavor: &Flavor<'_>,
    out: &mut Output,
) -> Read {
    let mut read = Read::default();
    let documents = documents(text);
    if documents.len() > MAX_DOCUMENTS {
        let line = documents.get(MAX_DOCUMENTS).map(|(line, _)| *line);
        out.diagnostics.push(file.warning(
            line,
            format!(
                "{} YAML documents; only the first {MAX_DOCUMENTS} were read",
                documents.len()
            ),
        ));
    }
    for (first_line, document) in documents.into_iter().take(MAX_DOCUMENTS) {
        let context = Context {
            file,
            flavor,
            offset: first_line.saturating_sub(1),
        };
        match parse_yaml(document) {
            Ok(root) => {
                read.parsed += 1;
                context.document(&root, &mut read, out);
            }
            Err((line, message)) => read
                .failures
                .push((line.map(|l| l.saturating_add(context.offset)), message)),
        }
    }
    read
}

/// Parses one YAML document as the Kubernetes tooling does (YAML 1.1 booleans and octals); errors are
/// (line within `text`, message prefixed `invalid YAML:`).
pub(crate) fn parse_yaml(text: &str) -> Result<Spanned<Node>, (Option<u32>, String)> {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    options.legacy_octal_numbers = true;
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::AsString;
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let line = e
            .location()
            .and_then(|l| u32::try_from(l.line()).ok())
            .filter(|l| *l > 0);
        let message = e.to_string();
        let first = message.lines().next().unwrap_or_default().trim();
        (line, format!("invalid YAML: {first}"))
    })
}

/// The documents of a YAML stream as (first line, text). A `---` line opens a document (and belongs to
/// it, so lines count the same), unless only comments and directives came before it; a `...` line closes
/// one. A `---` at the start of a line always ends a document in YAML, even inside a block scalar.
pub(crate) fn documents(text: &str) -> Vec<(u32, &str)> {
    let mut documents = Vec::new();
    let (mut start, mut start_line, mut preamble) = (0, 1_u32, true);
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let number = u32::try_from(index).map_or(u32::MAX, |i| i.saturating_add(1));
        let bare = line.trim_end_matches(['\n', '\r']);
        let end = offset + line.len();
        if is_marker(bare, "---") {
            if !preamble {
                documents.push((start_line, text.get(start..offset).unwrap_or_default()));
                (start, start_line) = (offset, number);
            }
            preamble = false;
        } else if is_marker(bare, "...") {
            documents.push((start_line, text.get(start..end).unwrap_or_default()));
            (start, start_line, preamble) = (end, number.saturating_add(1), true);
        } else if !(bare.trim().is_empty() || bare.starts_with('#') || bare.starts_with('%')) {
            preamble = false;
        }
        offset = end;
    }
    if let Some(rest) = text.get(start..).filter(|rest| !rest.trim().is_empty()) {
        documents.push((start_line, rest));
    }
    documents
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// One document being read: lines of its nodes are relative to the document, `offset` makes them the file's.
struct Context<'c, 'f> {
    file: &'c SourceFile<'f>,
    flavor: &'c Flavor<'c>,
    offset: u32,
}

impl Context<'_, '_> {
    fn line(&self, node: &Spanned<Node>) -> u32 {
        line_of(node).saturating_add(self.offset)
    }

    fn document(&self, root: &Spanned<Node>, read: &mut Read, out: &mut Output) {
        let Some(entries) = root.value.as_map() else {
            return; // null, a scalar or a list: not a Kubernetes object
        };
        let (Some(api_version), Some(kind)) = (text_of(entries, "apiVersion"), text_of(entries, "kind"))
        else {
            return;
        };
        if kind.contains(PLACEHOLDER) {
            read.failures.push((
                Some(self.line(root)),
                "the object's kind is computed by the template".to_owned(),
            ));
            return;
        }
        let items = get(entries, "items").and_then(|(_, items)| items.value.as_seq());
        match items {
            Some(items) if kind.ends_with("List") => {
                for item in items {
                    let Some(fields) = item.value.as_map() else {
                        continue;
                    };
                    if let (Some(api_version), Some(kind)) =
                        (text_of(fields, "apiVersion"), text_of(fields, "kind"))
                    {
                        read.objects += usize::from(self.object(item, fields, &api_version, &kind, out));
                    }
                }
            }
            _ if api_version == "v1" && kind == "Config" => {} // a kubeconfig
            _ => read.objects += usize::from(self.object(root, entries, &api_version, &kind, out)),
        }
    }

    /// Pushes the asset of one object; false (with a warning) when it has no name.
    fn object(
        &self,
        node: &Spanned<Node>,
        entries: &[(Spanned<Node>, Spanned<Node>)],
        api_version: &str,
        kind: &str,
        out: &mut Output,
    ) -> bool {
        let metadata = get(entries, "metadata").and_then(|(_, m)| m.value.as_map());
        let name = metadata.and_then(|m| text_of(m, "name").or_else(|| text_of(m, "generateName")));
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            out.diagnostics.push(self.file.warning(
                Some(self.line(node)),
                format!("{kind} without metadata.name; skipped"),
            ));
            return false;
        };
        let namespace = if CLUSTER_SCOPED_KINDS.contains(&kind) {
            None
        } else {
            Some(
                metadata
                    .and_then(|m| text_of(m, "namespace"))
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| "default".to_owned()),
            )
        };
        let address = match &namespace {
            Some(namespace) => format!("{namespace}/{kind}/{name}"),
            None => format!("{kind}/{name}"),
        };
        let asset_kind = if IDENTITY_KINDS.contains(&kind) {
            AssetKind::Identity
        } else {
            AssetKind::CloudResource
        };
        let mut lines = BTreeMap::new();
        let mut config = self.json(node, "", &mut lines);
        if kind == "Secret" {
            redact_secret(&mut config);
        }
        let module_dir = match self.file.dir() {
            "" => ".",
            dir => dir,
        };
        let id = AssetId::from_parts(asset_kind, &[self.file.path, &address]);
        let mut asset = Asset::new(
            asset_kind,
            id,
            address.clone(),
            self.file.evidence(Some(self.line(node))),
        )
        .with("provider", "kubernetes")
        .with("resource_type", kind)
        .with("resource_name", name)
        .with("api_version", api_version)
        .with("namespace", namespace)
        .with("address", address)
        .with("module_dir", module_dir)
        .with("mode", "managed")
        .with("format", self.flavor.format);
        if let Some(chart) = self.flavor.chart {
            asset = asset.with("chart", chart);
        }
        if let Some(exposure) = exposure(kind, &config) {
            if let Some(line) = exposure.at.iter().find_map(|path| lines.get(*path)) {
                lines.insert("exposure".to_owned(), *line);
            }
            asset = asset.with("exposure", serde_json::to_value(exposure).unwrap_or_default());
        }
        asset = asset.with("config", config);
        asset.attribute_lines = lines;
        out.assets.push(asset);
        true
    }

    fn json(&self, node: &Spanned<Node>, path: &str, lines: &mut BTreeMap<String, u32>) -> Value {
        json_with_lines(node, path, self.offset, lines)
    }
}

/// The node as JSON, recording the line (plus `offset`) of every key and list item under its dotted path.
pub(crate) fn json_with_lines(
    node: &Spanned<Node>,
    path: &str,
    offset: u32,
    lines: &mut BTreeMap<String, u32>,
) -> Value {
    match node.value.untagged() {
        Node::Map(entries) => {
            let mut map = Map::new();
            for (key_node, value) in entries {
                let key = key_text(key_node).into_owned();
                let child = join(path, &key);
                lines.insert(child.clone(), line_of(key_node).saturating_add(offset));
                let json = json_with_lines(value, &child, offset, lines);
                map.insert(key, json);
            }
            Value::Object(map)
        }
        Node::Seq(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let child = join(path, &index.to_string());
                    lines.insert(child.clone(), line_of(item).saturating_add(offset));
                    json_with_lines(item, &child, offset, lines)
                })
                .collect(),
        ),
        _ => to_json(node),
    }
}

/// A scalar field as text (`name: 123` is the name `"123"`); `None` when absent, null or a collection.
pub(crate) fn text_of(entries: &[(Spanned<Node>, Spanned<Node>)], key: &str) -> Option<String> {
    let (_, value) = get(entries, key)?;
    match value.value.untagged() {
        Node::String(_) | Node::Number(_) | Node::Bool(_) => Some(key_text(value).into_owned()),
        _ => None,
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Replaces the values of a Secret (and the annotation kubectl copies them into) by their length.
fn redact_secret(config: &mut Value) {
    for key in ["data", "stringData"] {
        match config.get_mut(key) {
            Some(Value::Object(values)) => values.values_mut().for_each(redact),
            Some(value) => redact(value),
            None => {}
        }
    }
    if let Some(annotation) = config
        .pointer_mut("/metadata/annotations")
        .and_then(|a| a.get_mut("kubectl.kubernetes.io/last-applied-configuration"))
    {
        redact(annotation);
    }
}

pub(crate) fn redact(value: &mut Value) {
    match value {
        Value::Null => {}
        Value::String(text) if text == PLACEHOLDER => {}
        Value::String(text) => *value = Value::String(format!("<redacted: {} chars>", text.chars().count())),
        other => *other = Value::String("<redacted>".to_owned()),
    }
}

/// How an object faces outside the cluster; the layout is in the module doc.
#[derive(Debug, Default, Serialize)]
struct Exposure {
    via: &'static str,
    hosts: Vec<Value>,
    ports: Vec<Value>,
    node_ports: Vec<Value>,
    tls: bool,
    source_ranges: Vec<Value>,
    class: Option<Value>,
    internal: bool,
    /// Config paths whose line says so, most precise first.
    #[serde(skip)]
    at: [&'static str; 2],
}

fn exposure(kind: &str, config: &Value) -> Option<Exposure> {
    let spec = config.get("spec")?;
    let annotations = config.pointer("/metadata/annotations");
    let internal = INTERNAL_ANNOTATIONS.iter().any(|(key, wanted)| {
        annotations
            .and_then(|a| a.get(*key))
            .and_then(scalar_text)
            .is_some_and(|v| v.eq_ignore_ascii_case(wanted))
    });
    let list = |value: Option<&Value>| -> Vec<Value> {
        value
            .and_then(Value::as_array)
            .map(|items| items.iter().filter(|v| !v.is_null()).cloned().collect())
            .unwrap_or_default()
    };
    let host_or_any = |value: Option<&Value>| {
        value
            .filter(|h| h.is_string())
            .cloned()
            .unwrap_or_else(|| json!("*"))
    };
    let web_ports = |tls: bool| {
        if tls {
            vec![json!(80), json!(443)]
        } else {
            vec![json!(80)]
        }
    };
    let exposure = match kind {
        "Service" => {
            let mut hosts = list(spec.get("externalIPs"));
            let (via, at) = match spec.get("type").and_then(Value::as_str) {
                Some("LoadBalancer") => ("LoadBalancer", ["spec.type", "spec"]),
                Some("NodePort") => ("NodePort", ["spec.type", "spec"]),
                _ if !hosts.is_empty() => ("ExternalIPs", ["spec.externalIPs", "spec"]),
                _ => return None,
            };
            hosts.extend(spec.get("loadBalancerIP").filter(|ip| ip.is_string()).cloned());
            let ports = spec.get("ports").and_then(Value::as_array);
            let field = |name: &str| -> Vec<Value> {
                ports
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p.get(name).filter(|v| !v.is_null()).cloned())
                    .collect()
            };
            Exposure {
                via,
                hosts,
                ports: field("port"),
                node_ports: field("nodePort"),
                source_ranges: list(spec.get("loadBalancerSourceRanges")),
                class: spec.get("loadBalancerClass").cloned(),
                at,
                ..Exposure::default()
            }
        }
        "Ingress" => {
            let rules = spec.get("rules").and_then(Value::as_array);
            let mut hosts: Vec<Value> = rules
                .into_iter()
                .flatten()
                .map(|rule| host_or_any(rule.get("host")))
                .collect();
            // A default backend answers any host, and so does an Ingress without rules.
            if spec
                .get("defaultBackend")
                .or_else(|| spec.get("backend"))
                .is_some()
                || hosts.is_empty()
            {
                hosts.push(json!("*"));
            }
            let tls = spec
                .get("tls")
                .and_then(Value::as_array)
                .is_some_and(|t| !t.is_empty());
            let class = spec
                .get("ingressClassName")
                .or_else(|| annotations.and_then(|a| a.get("kubernetes.io/ingress.class")));
            Exposure {
                via: "Ingress",
                hosts: unique(hosts),
                ports: web_ports(tls),
                tls,
                class: class.cloned(),
                at: ["spec.rules", "spec"],
                ..Exposure::default()
            }
        }
        "Gateway" => {
            let listeners = spec
                .get("listeners")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            let mut exposure = Exposure {
                via: "Gateway",
                class: spec.get("gatewayClassName").cloned(),
                at: ["spec.listeners", "spec"],
                ..Exposure::default()
            };
            for listener in listeners {
                exposure.hosts.push(host_or_any(listener.get("hostname")));
                exposure
                    .ports
                    .extend(listener.get("port").filter(|p| !p.is_null()).cloned());
                exposure.tls |= listener
                    .get("protocol")
                    .and_then(Value::as_str)
                    .is_some_and(|p| matches!(p, "HTTPS" | "TLS"));
            }
            exposure.hosts = unique(std::mem::take(&mut exposure.hosts));
            exposure
        }
        "Route"
            if config
                .get("apiVersion")
                .and_then(Value::as_str)
                .is_some_and(|v| v.starts_with("route.openshift.io/")) =>
        {
            let tls = spec.get("tls").is_some_and(|t| !t.is_null());
            Exposure {
                via: "Route",
                hosts: vec![host_or_any(spec.get("host"))],
                ports: web_ports(tls),
                tls,
                at: ["spec.host", "spec"],
                ..Exposure::default()
            }
        }
        _ => return None,
    };
    Some(Exposure {
        internal,
        class: exposure.class.filter(|c| !c.is_null()),
        ..exposure
    })
}

/// The values in order, without repeats.
fn unique(values: Vec<Value>) -> Vec<Value> {
    let mut seen = Vec::with_capacity(values.len());
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// One asset for a kustomization file.
fn kustomization(file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
    let root = parse_yaml(file.text).map_err(|(line, message)| file.error(line, message))?;
    let entries = match root.value.untagged() {
        Node::Null => return Ok(()),
        Node::Map(entries) => entries.as_slice(),
        other => {
            return Err(file.error(
                Some(line_of(&root)),
                format!(
                    "not a kustomization: the document is {}, not a mapping",
                    other.describe()
                ),
            ));
        }
    };
    let context = Context {
        file,
        flavor: &Flavor {
            format: "kustomize",
            chart: None,
        },
        offset: 0,
    };
    let mut lines = BTreeMap::new();
    let mut config = context.json(&root, "", &mut lines);
    if let Some(generators) = config.get_mut("secretGenerator").and_then(Value::as_array_mut) {
        for generator in generators {
            if let Some(literals) = generator.get_mut("literals").and_then(Value::as_array_mut) {
                literals.iter_mut().for_each(redact_literal);
            }
        }
    }
    let list = |key: &str| -> Vec<Value> {
        config
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (resources, bases, components) = (list("resources"), list("bases"), list("components"));
    let mut patches = Vec::new();
    for key in ["patches", "patchesStrategicMerge", "patchesJson6902"] {
        for patch in list(key) {
            patches.push(match patch {
                // A string is a file, unless it is an inline patch (several lines).
                Value::String(text) if text.contains('\n') => json!({"patch": text}),
                Value::String(text) => json!({"path": text}),
                other => other,
            });
        }
    }
    let remote: Vec<Value> = resources
        .iter()
        .chain(&bases)
        .chain(&components)
        .filter_map(Value::as_str)
        .filter(|r| is_remote(r))
        .map(|url| {
            let pinned = ["ref=", "version=", "rev="].iter().any(|p| query_has(url, p));
            json!({"url": url, "pinned": pinned})
        })
        .collect();
    let module_dir = match file.dir() {
        "" => ".",
        dir => dir,
    };
    let name = module_dir.rsplit('/').next().unwrap_or(module_dir);
    let line = entries.first().map_or(1, |(key, _)| line_of(key));
    let id = AssetId::from_parts(AssetKind::CloudResource, &[file.path, "kustomization"]);
    let text = |key: &str| config.get(key).filter(|v| !v.is_null()).cloned();
    let mut asset = Asset::new(
        AssetKind::CloudResource,
        id,
        format!("kustomization {module_dir}"),
        file.evidence(Some(line)),
    )
    .with("provider", "kubernetes")
    .with("resource_type", "kustomization")
    .with("resource_name", name)
    .with("address", module_dir)
    .with("module_dir", module_dir)
    .with("mode", "managed")
    .with("format", "kustomize")
    .with("resources", resources)
    .with("bases", bases)
    .with("components", components)
    .with("patches", patches)
    .with("images", list("images"))
    .with("helm_charts", list("helmCharts"))
    .with("remote", remote)
    .with("name_prefix", text("namePrefix"))
    .with("name_suffix", text("nameSuffix"))
    .with("namespace", text("namespace"))
    .with("config", config);
    asset.attribute_lines = lines;
    out.assets.push(asset);
    Ok(())
}

/// `KEY=value` -> `KEY=<redacted: N chars>`.
fn redact_literal(literal: &mut Value) {
    let Some(text) = literal.as_str() else {
        redact(literal);
        return;
    };
    let redacted = match text.split_once('=') {
        Some((key, value)) => format!("{key}=<redacted: {} chars>", value.chars().count()),
        None => format!("<redacted: {} chars>", text.chars().count()),
    };
    *literal = Value::String(redacted);
}

/// Whether kustomize fetches the resource rather than reading a local path.
fn is_remote(resource: &str) -> bool {
    resource.contains("://")
        || resource.starts_with("git@")
        || resource.starts_with("github.com/")
        || resource.starts_with("gitlab.com/")
        || resource.starts_with("bitbucket.org/")
}

fn query_has(url: &str, parameter: &str) -> bool {
    url.split_once('?').is_some_and(|(_, query)| {
        query.split('&').any(|pair| {
            pair.strip_prefix(parameter)
                .is_some_and(|value| !value.is_empty())
        })
    })
}
