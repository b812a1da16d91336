//! Reading Kubernetes manifests for the container rules: workloads and their pod specs, containers and
//! their effective security context, RBAC rules and bindings, and what cannot be judged statically.
//!
//! Two kinds of manifests are never judged on what they leave out: Helm templates (an omitted field may be
//! injected by an `include` or `toYaml` line the extractor had to drop) and kustomize patches (partial
//! objects merged into a base), nor the objects a patch targets (the overlay may add what the base leaves
//! out). Values still written as template or substitution expressions (`{{...}}`, `${VAR}`, `$(VAR)`) are
//! not judged either.

use serde_json::{Map, Value};
use vigil_core::{Asset, Evidence};
use vigil_model::terraform::config;

use super::shared;
use crate::rule::Context;

/// Kinds that run pods, with the path of their pod spec and of the pod template's metadata.
const WORKLOADS: [(&str, &str, &str); 8] = [
    ("Pod", "spec", "metadata"),
    ("Deployment", "spec.template.spec", "spec.template.metadata"),
    ("StatefulSet", "spec.template.spec", "spec.template.metadata"),
    ("DaemonSet", "spec.template.spec", "spec.template.metadata"),
    ("ReplicaSet", "spec.template.spec", "spec.template.metadata"),
    (
        "ReplicationController",
        "spec.template.spec",
        "spec.template.metadata",
    ),
    ("Job", "spec.template.spec", "spec.template.metadata"),
    (
        "CronJob",
        "spec.jobTemplate.spec.template.spec",
        "spec.jobTemplate.spec.template.metadata",
    ),
];

/// A Kubernetes object that runs pods.
#[derive(Debug)]
pub struct Workload<'a> {
    pub asset: &'a Asset,
    /// The pod spec.
    pub spec: &'a Map<String, Value>,
    /// Dotted path of the pod spec in the manifest (`spec.template.spec`), as `attribute_lines` keys it.
    pub path: &'static str,
    /// The pod template's metadata (annotations live there).
    pub metadata: Option<&'a Map<String, Value>>,
    /// The manifest states everything the pod gets: not a Helm template, not a kustomize patch nor patched.
    complete: bool,
}

/// One container or init container of a workload.
#[derive(Debug)]
pub struct Container<'a> {
    pub value: &'a Map<String, Value>,
    /// Dotted path (`spec.template.spec.containers.0`).
    pub path: String,
    pub name: String,
    pub init: bool,
}

/// Every Kubernetes workload of the inventory with a readable pod spec.
pub fn workloads<'a>(ctx: &Context<'a>) -> Vec<Workload<'a>> {
    let patches = Patches::of(ctx);
    let mut found = Vec::new();
    for (kind, spec_path, metadata_path) in WORKLOADS {
        for asset in ctx.tf.of_type(kind) {
            if asset.attr_str("provider") != Some("kubernetes") {
                continue;
            }
            let Some(manifest) = config(asset) else { continue };
            let Some(spec) = at(manifest, spec_path).and_then(Value::as_object) else {
                continue;
            };
            let name = asset.attr_str("resource_name").unwrap_or_default();
            let patched = patches.files.iter().any(|p| p == asset.path())
                || patches.targets.iter().any(|(k, n)| k == kind && n == name);
            found.push(Workload {
                asset,
                spec,
                path: spec_path,
                metadata: at(manifest, metadata_path).and_then(Value::as_object),
                complete: !patched && asset.attr_str("format") != Some("helm-template"),
            });
        }
    }
    found
}

/// The value at a dotted path of a manifest.
fn at<'v>(manifest: &'v Map<String, Value>, path: &str) -> Option<&'v Value> {
    let mut parts = path.split('.');
    let mut value = manifest.get(parts.next()?)?;
    for part in parts {
        value = value.get(part)?;
    }
    Some(value)
}

/// What the kustomizations of the repository patch: the patch files (relative to the repository root) and
/// the (kind, name) of the objects they or inline patches modify. A patched object may get in an overlay
/// what its base leaves out, so neither is judged on absences.
#[derive(Debug, Default)]
struct Patches {
    files: Vec<String>,
    targets: Vec<(String, String)>,
}

impl Patches {
    fn of(ctx: &Context<'_>) -> Self {
        let mut patches = Self::default();
        for kustomization in objects(ctx, "kustomization") {
            let dir = kustomization.attr_str("module_dir").unwrap_or(".");
            let items = kustomization.attributes.get("patches").and_then(Value::as_array);
            for patch in items.into_iter().flatten() {
                if let Some(path) = patch.get("path").and_then(Value::as_str) {
                    patches.files.push(normalize(&format!("{dir}/{path}")));
                }
                let target = patch.get("target");
                let text = |key: &str| target.and_then(|t| t.get(key)).and_then(Value::as_str);
                if let (Some(kind), Some(name)) = (text("kind"), text("name")) {
                    patches.targets.push((kind.to_owned(), name.to_owned()));
                }
            }
        }
        for asset in ctx.tf.resources() {
            if patches.files.iter().any(|p| p == asset.path())
                && let (Some(kind), Some(name)) =
                    (asset.attr_str("resource_type"), asset.attr_str("resource_name"))
            {
                patches.targets.push((kind.to_owned(), name.to_owned()));
            }
        }
        patches
    }
}

/// `base/../overlays/./patch.yaml` -> `overlays/patch.yaml`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

impl<'a> Workload<'a> {
    /// Whether a field the manifest leaves out really is left out (see the module doc).
    pub fn judges_absence(&self) -> bool {
        self.complete
    }

    /// Windows pods have no Linux security context (capabilities, privilege escalation, read-only root).
    pub fn is_windows(&self) -> bool {
        let os = self
            .spec
            .get("os")
            .and_then(|o| o.get("name"))
            .and_then(Value::as_str);
        let selector = self
            .spec
            .get("nodeSelector")
            .and_then(|s| s.get("kubernetes.io/os"))
            .and_then(Value::as_str);
        os == Some("windows") || selector == Some("windows")
    }

    /// `containers` then `initContainers`.
    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut found = Vec::new();
        for (key, init) in [("containers", false), ("initContainers", true)] {
            let items = self.spec.get(key).and_then(Value::as_array);
            for (index, item) in items.into_iter().flatten().enumerate() {
                let Some(value) = item.as_object() else { continue };
                let name = value
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned();
                found.push(Container {
                    value,
                    path: format!("{}.{key}.{index}", self.path),
                    name,
                    init,
                });
            }
        }
        found
    }

    /// A field of the pod spec's `securityContext`.
    pub fn pod_security(&self, key: &str) -> Option<&'a Value> {
        self.spec
            .get("securityContext")?
            .get(key)
            .filter(|v| !v.is_null())
    }

    /// The value a container runs with for a field both levels can set (`runAsNonRoot`, `runAsUser`,
    /// `seccompProfile`): the container's, else the pod's, with the dotted path it was read from.
    pub fn effective(&self, container: &Container<'a>, key: &str) -> Option<(&'a Value, String)> {
        if let Some(value) = container.security(key) {
            return Some((value, format!("{}.securityContext.{key}", container.path)));
        }
        self.pod_security(key)
            .map(|value| (value, format!("{}.securityContext.{key}", self.path)))
    }

    /// A pod spec path under this workload (`hostNetwork` -> `spec.template.spec.hostNetwork`).
    pub fn field(&self, rest: &str) -> String {
        format!("{}.{rest}", self.path)
    }

    /// Evidence at the first of `paths` whose line is known, else at the object.
    pub fn evidence(&self, paths: &[String]) -> Evidence {
        evidence_at(self.asset, paths)
    }

    /// Whether any container mounts the pod volume `name`, and whether every such mount is read-only.
    pub fn volume_use(&self, name: &str) -> Option<bool> {
        let mounts: Vec<&Value> = self
            .containers()
            .iter()
            .flat_map(|c| {
                c.value
                    .get("volumeMounts")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
            })
            .filter(|m| m.get("name").and_then(Value::as_str) == Some(name))
            .collect();
        if mounts.is_empty() {
            return None;
        }
        Some(
            mounts
                .iter()
                .all(|m| m.get("readOnly").and_then(Value::as_bool) == Some(true)),
        )
    }

    /// Name used in titles: `default/Deployment/web`.
    pub fn name(&self) -> &str {
        &self.asset.name
    }

    /// Subject of a hit about one container.
    pub fn subject(&self, container: &Container<'_>) -> String {
        format!("{}#{}", self.asset.id, container.name)
    }
}

impl<'a> Container<'a> {
    /// A field of the container's `securityContext` (null counts as unset).
    pub fn security(&self, key: &str) -> Option<&'a Value> {
        self.value
            .get("securityContext")?
            .get(key)
            .filter(|v| !v.is_null())
    }

    /// `container `web`` or `init container `migrate``, for titles.
    pub fn describe(&self) -> String {
        if self.init {
            format!("init container `{}`", self.name)
        } else {
            format!("container `{}`", self.name)
        }
    }

    pub fn field(&self, rest: &str) -> String {
        format!("{}.{rest}", self.path)
    }

    pub fn privileged(&self) -> bool {
        self.security("privileged").and_then(Value::as_bool) == Some(true)
    }

    /// Capabilities listed under `securityContext.capabilities.<list>` (`add` or `drop`), upper-cased
    /// and without the `CAP_` prefix, with their index; expressions are left out.
    pub fn capabilities(&self, list: &str) -> Vec<(usize, String)> {
        self.security("capabilities")
            .and_then(|c| c.get(list))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, c)| {
                c.as_str()
                    .filter(|s| !computed_str(s))
                    .map(|s| (i, shared::capability(s)))
            })
            .collect()
    }
}

/// Evidence at the first of `paths` whose line the extractor recorded, else at the asset.
pub fn evidence_at(asset: &Asset, paths: &[String]) -> Evidence {
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    asset.evidence_for_first(&refs)
}

/// A value still written as an expression: Helm (`{{...}}`), envsubst or Flux (`${VAR}`), or a
/// Kubernetes dependent variable (`$(VAR)`).
pub fn computed(value: &Value) -> bool {
    value.as_str().is_some_and(computed_str)
}

pub fn computed_str(text: &str) -> bool {
    text.contains("{{") || text.contains("${") || text.contains("$(")
}

/// A Kubernetes object of one kind with `provider = kubernetes`.
pub fn objects<'a>(ctx: &Context<'a>, kind: &str) -> Vec<&'a Asset> {
    ctx.tf
        .of_type(kind)
        .filter(|a| a.attr_str("provider") == Some("kubernetes"))
        .collect()
}

/// One rule of a Role or ClusterRole.
#[derive(Debug)]
pub struct RbacRule<'a> {
    pub role: &'a Asset,
    pub index: usize,
    pub api_groups: Vec<&'a str>,
    pub resources: Vec<&'a str>,
    pub verbs: Vec<&'a str>,
    pub resource_names: Vec<&'a str>,
}

/// The resource rules of every Role and ClusterRole. Aggregated ClusterRoles are left out (the control
/// plane fills their rules from other roles), and so are rules holding expressions.
pub fn rbac_rules<'a>(ctx: &Context<'a>) -> Vec<RbacRule<'a>> {
    let mut found = Vec::new();
    for role in ["Role", "ClusterRole"]
        .into_iter()
        .flat_map(|kind| objects(ctx, kind))
    {
        let Some(manifest) = config(role) else { continue };
        if manifest.get("aggregationRule").is_some_and(|a| !a.is_null()) {
            continue;
        }
        let rules = manifest.get("rules").and_then(Value::as_array);
        for (index, rule) in rules.into_iter().flatten().enumerate() {
            let list = |key: &str| -> Option<Vec<&'a str>> {
                let items: Vec<&Value> = match rule.get(key) {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(items)) => items.iter().collect(),
                    Some(other) => vec![other],
                };
                items.into_iter().map(Value::as_str).collect()
            };
            let (Some(api_groups), Some(resources), Some(verbs), Some(resource_names)) = (
                list("apiGroups"),
                list("resources"),
                list("verbs"),
                list("resourceNames"),
            ) else {
                continue;
            };
            let all = api_groups
                .iter()
                .chain(&resources)
                .chain(&verbs)
                .chain(&resource_names);
            if resources.is_empty() || all.clone().any(|s| computed_str(s)) {
                continue;
            }
            found.push(RbacRule {
                role,
                index,
                api_groups,
                resources,
                verbs,
                resource_names,
            });
        }
    }
    found
}

impl RbacRule<'_> {
    /// A `*` verb or resource: reported by `k8s-rbac-wildcard`, so the narrower RBAC rules skip it.
    pub fn has_wildcard(&self) -> bool {
        self.verbs.contains(&"*") || self.resources.contains(&"*")
    }

    /// Whether the rule grants one of `verbs` on `resource` of API group `group` to any object (no
    /// `resourceNames`, which is how a grant is narrowed to named objects).
    pub fn grants(&self, group: &str, resource: &str, verbs: &[&str]) -> bool {
        self.resource_names.is_empty()
            && self.api_groups.iter().any(|g| *g == group || *g == "*")
            && self.resources.contains(&resource)
            && self.verbs.iter().any(|v| verbs.contains(v))
    }

    /// The verbs of `wanted` this rule grants, in the rule's order.
    pub fn verbs_among(&self, wanted: &[&str]) -> Vec<&str> {
        self.verbs
            .iter()
            .copied()
            .filter(|v| wanted.contains(v))
            .collect()
    }

    pub fn evidence(&self, field: &str) -> Evidence {
        evidence_at(
            self.role,
            &[
                format!("rules.{}.{field}", self.index),
                format!("rules.{}", self.index),
            ],
        )
    }

    pub fn subject(&self) -> String {
        format!("{}#rules.{}", self.role.id, self.index)
    }

    pub fn cluster_wide(&self) -> bool {
        self.role.attr_str("resource_type") == Some("ClusterRole")
    }

    /// `rules[0]: verbs [get, list] on secrets`.
    pub fn describe(&self) -> String {
        format!(
            "rules[{}]: verbs [{}] on resources [{}] of API groups [{}]",
            self.index,
            self.verbs.join(", "),
            self.resources.join(", "),
            self.api_groups
                .iter()
                .map(|g| if g.is_empty() { "\"\"" } else { g })
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// Where the grant applies once bound: `cluster-wide` or `in namespace x`.
    pub fn scope(&self) -> String {
        if self.cluster_wide() {
            "cluster-wide when bound by a ClusterRoleBinding, in one namespace by a RoleBinding".to_owned()
        } else {
            format!(
                "in namespace {}",
                self.role.attr_str("namespace").unwrap_or("default")
            )
        }
    }
}

/// The subjects a RoleBinding or ClusterRoleBinding grants to: (kind, name, namespace).
pub fn subjects(binding: &Asset) -> Vec<(String, String, Option<String>)> {
    config(binding)
        .and_then(|c| c.get("subjects"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let kind = s.get("kind")?.as_str()?.to_owned();
            let name = s.get("name")?.as_str()?.to_owned();
            let namespace = s.get("namespace").and_then(Value::as_str).map(str::to_owned);
            Some((kind, name, namespace))
        })
        .collect()
}

/// The role a binding refers to: (kind, name).
pub fn role_ref(binding: &Asset) -> Option<(&str, &str)> {
    let role = config(binding)?.get("roleRef")?;
    Some((role.get("kind")?.as_str()?, role.get("name")?.as_str()?))
}

/// A `hostPath` volume of a pod, with the containers' use of it.
#[derive(Debug)]
pub struct HostPathVolume {
    pub name: String,
    pub path: String,
    /// Dotted path of `hostPath.path`.
    pub at: String,
    /// Every container mount of it is read-only.
    pub read_only: bool,
}

impl Workload<'_> {
    /// The `hostPath` volumes that at least one container mounts (an unmounted volume reaches nothing);
    /// expressions are left out.
    pub fn host_path_volumes(&self) -> Vec<HostPathVolume> {
        let volumes = self.spec.get("volumes").and_then(Value::as_array);
        let mut found = Vec::new();
        for (index, volume) in volumes.into_iter().flatten().enumerate() {
            let (Some(name), Some(path)) = (
                volume.get("name").and_then(Value::as_str),
                volume
                    .get("hostPath")
                    .and_then(|h| h.get("path"))
                    .and_then(Value::as_str),
            ) else {
                continue;
            };
            if computed_str(path) {
                continue;
            }
            let Some(read_only) = self.volume_use(name) else {
                continue;
            };
            found.push(HostPathVolume {
                name: name.to_owned(),
                path: path.to_owned(),
                at: self.field(&format!("volumes.{index}.hostPath.path")),
                read_only,
            });
        }
        found
    }
}

/// Workloads whose pod spec sets a boolean `field` (`hostNetwork`, `hostPID`, `hostIPC`) to `true`, with
/// the evidence at the field.
pub fn with_pod_flag<'a>(ctx: &Context<'a>, field: &str) -> Vec<(Workload<'a>, Evidence)> {
    workloads(ctx)
        .into_iter()
        .filter(|w| w.spec.get(field).and_then(Value::as_bool) == Some(true))
        .map(|w| {
            let evidence = w.evidence(&[w.field(field)]);
            (w, evidence)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_paths_are_normalized() {
        assert_eq!(
            normalize("k8s/overlays/prod/../../base/./patch.yaml"),
            "k8s/base/patch.yaml"
        );
        assert_eq!(normalize("./patch.yaml"), "patch.yaml");
    }
}
