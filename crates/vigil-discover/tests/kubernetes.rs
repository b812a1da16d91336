#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `kubernetes/manifest`: plain manifests, multi-document files, lists, Secrets,
//! exposure, kustomizations, and files under a Helm chart's `templates/` (left to `kubernetes/helm-chart`).

mod common;

use std::time::{Duration, Instant};

use common::run_extractor;
use serde_json::{Value, json};
use vigil_core::{Asset, AssetKind};
use vigil_discover::Extractor;
use vigil_discover::extractors::kubernetes::Kubernetes;

fn assets(path: &str, text: &str) -> Vec<Asset> {
    let out = run_extractor(&Kubernetes, &[(path, text)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    out.assets
}

fn only(path: &str, text: &str) -> Asset {
    let mut found = assets(path, text);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.remove(0)
}

#[test]
fn claims_yaml_json_and_kustomizations() {
    for (path, name) in [
        ("deploy/app.yaml", "app.yaml"),
        ("k8s/svc.yml", "svc.yml"),
        ("k8s/list.json", "list.json"),
        ("Deploy.YAML", "Deploy.YAML"),
        ("overlays/prod/Kustomization", "Kustomization"),
    ] {
        assert!(Kubernetes.claims(path, name), "{path}");
    }
    assert!(!Kubernetes.claims("main.tf", "main.tf"));
    assert!(!Kubernetes.claims("Dockerfile", "Dockerfile"));
}

#[test]
fn not_this_format_yields_nothing() {
    // Other YAML and JSON: no `apiVersion` and `kind` at the top level.
    for (path, text) in [
        ("docker-compose.yml", "services:\n  web:\n    image: nginx\n"),
        ("package.json", "{\"name\": \"web\", \"version\": \"1.0.0\"}\n"),
        (
            "schema.json",
            "{\"required\": [\"apiVersion\", \"kind\"], // not JSON\n}\n",
        ),
        (
            "values.yaml",
            "image:\n  repository: nginx\n  kind: thing\napiVersion: 1\n",
        ),
        ("broken.yaml", "key: [unclosed\n"),
        ("Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n"),
        // A top-level list whose items look like objects is not a manifest.
        ("list.yaml", "- apiVersion: v1\n  kind: Pod\n"),
    ] {
        let out = run_extractor(&Kubernetes, &[(path, text)]).unwrap();
        assert!(out.assets.is_empty() && out.diagnostics.is_empty(), "{path}");
    }
    // Keys present but not an object (a kubeconfig is client configuration).
    let kubeconfig = "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: abc\n";
    assert!(assets("kubeconfig.yaml", kubeconfig).is_empty());
}

#[test]
fn a_broken_manifest_is_an_error_with_its_line() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [unclosed\n";
    let error = run_extractor(&Kubernetes, &[("cm.yaml", text)]).unwrap_err();
    assert_eq!(error.path, "cm.yaml");
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(error.line.is_some_and(|l| l >= 5), "{error}");
}

#[test]
fn empty_file_and_empty_documents_have_no_assets() {
    assert!(assets("a.yaml", "").is_empty());
    assert!(assets("a.yaml", "---\n# nothing here\n---\n").is_empty());
    assert!(assets("a.json", "{}").is_empty());
}

const DEPLOYMENT: &str = "\
# The web tier.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 3
  template:
    spec:
      hostNetwork: yes
      containers:
        - name: web
          image: nginx:1.25
          ports:
            - containerPort: 8080
          securityContext:
            privileged: true
            runAsUser: 0
      volumes:
        - name: config
          configMap:
            name: web
            defaultMode: 0644
";

#[test]
fn one_deployment() {
    let asset = only("deploy/web.yaml", DEPLOYMENT);
    assert_eq!(asset.kind, AssetKind::CloudResource);
    assert_eq!(
        asset.id.as_str(),
        "cloud-resource:deploy/web.yaml:shop/Deployment/web"
    );
    assert_eq!(asset.name, "shop/Deployment/web");
    assert_eq!(asset.evidence[0].location(), "deploy/web.yaml:2");
    let mut attributes = asset.attributes.clone();
    let config = attributes.remove("config").unwrap();
    assert_eq!(
        serde_json::to_value(&attributes).unwrap(),
        json!({
            "provider": "kubernetes",
            "resource_type": "Deployment",
            "resource_name": "web",
            "api_version": "apps/v1",
            "namespace": "shop",
            "address": "shop/Deployment/web",
            "module_dir": "deploy",
            "mode": "managed",
            "format": "kubernetes"
        })
    );
    let pod = &config["spec"]["template"]["spec"];
    // YAML 1.1 as Kubernetes reads it: `yes` is true, `0644` is octal.
    assert_eq!(pod["hostNetwork"], json!(true));
    assert_eq!(pod["volumes"][0]["configMap"]["defaultMode"], json!(420));
    assert_eq!(
        pod["containers"][0]["securityContext"],
        json!({"privileged": true, "runAsUser": 0})
    );
    let l = &asset.attribute_lines;
    assert_eq!(
        l["spec.template.spec.containers.0.securityContext.privileged"],
        20
    );
    assert_eq!(l["spec.template.spec.containers.0"], 15);
    assert_eq!(l["spec.template.spec.containers.0.ports.0.containerPort"], 18);
    assert_eq!(l["spec.template.spec.hostNetwork"], 13);
    assert_eq!(l["metadata.labels.app"], 8);
    assert!(!asset.attributes.contains_key("exposure"));
}

#[test]
fn two_documents_and_the_default_namespace() {
    let text = "\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: web-admin
  namespace: ignored
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: web
    namespace: default
";
    let found = assets("rbac.yaml", text);
    let summary: Vec<_> = found
        .iter()
        .map(|a| {
            (
                a.kind,
                a.id.as_str(),
                a.evidence[0].location(),
                a.attributes["namespace"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                AssetKind::Identity,
                "identity:rbac.yaml:default/ServiceAccount/web",
                "rbac.yaml:1".to_owned(),
                json!("default")
            ),
            (
                AssetKind::Identity,
                "identity:rbac.yaml:ClusterRoleBinding/web-admin",
                "rbac.yaml:6".to_owned(),
                Value::Null
            ),
        ]
    );
    let binding = &found[1];
    assert_eq!(binding.attributes["config"]["roleRef"]["name"], "cluster-admin");
    assert_eq!(binding.attribute_lines["roleRef.name"], 14);
    assert_eq!(binding.attribute_lines["subjects.0.name"], 17);
}

#[test]
fn identity_kinds() {
    let text = "\
kind: Role
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: reader, namespace: ops}
rules:
  - apiGroups: [\"\"]
    resources: [secrets]
    verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules: [{apiGroups: [\"*\"], resources: [\"*\"], verbs: [\"*\"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: ops}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
";
    let kinds: Vec<_> = assets("rbac.yaml", text)
        .iter()
        .map(|a| (a.kind, a.name.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (AssetKind::Identity, "ops/Role/reader".to_owned()),
            (AssetKind::Identity, "ClusterRole/everything".to_owned()),
            (AssetKind::Identity, "ops/RoleBinding/reader".to_owned()),
            (AssetKind::CloudResource, "default/ConfigMap/settings".to_owned()),
        ]
    );
}

#[test]
fn secrets_never_keep_their_values() {
    let text = "\
apiVersion: v1
kind: Secret
metadata:
  name: db
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {\"data\":{\"password\":\"aHVudGVyMg==\"}}
type: Opaque
data:
  password: aHVudGVyMg==
  empty: \"\"
stringData:
  url: postgres://app:hunter2@db:5432/app
  port: 5432
";
    let asset = only("secret.yaml", text);
    assert_eq!(asset.kind, AssetKind::CloudResource);
    let config = &asset.attributes["config"];
    assert_eq!(
        config["data"],
        json!({"password": "<redacted: 12 chars>", "empty": "<redacted: 0 chars>"})
    );
    assert_eq!(
        config["stringData"],
        json!({"url": "<redacted: 34 chars>", "port": "<redacted>"})
    );
    assert_eq!(
        config["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"],
        "<redacted: 37 chars>"
    );
    assert_eq!(config["type"], "Opaque");
    let serialized = serde_json::to_string(&asset).unwrap();
    assert!(
        !serialized.contains("aHVudGVyMg") && !serialized.contains("hunter2"),
        "{serialized}"
    );
    assert_eq!(asset.attribute_lines["data.password"], 10);
}

#[test]
fn lists_from_kubectl_and_json_manifests() {
    let text = r#"{
	"apiVersion": "v1",
	"kind": "List",
	"items": [
		{
			"apiVersion": "v1",
			"kind": "Service",
			"metadata": {"name": "api", "namespace": "prod"},
			"spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}
		},
		{
			"apiVersion": "v1",
			"kind": "Pod",
			"metadata": {"name": "debug"},
			"spec": {"containers": [{"name": "sh", "image": "busybox"}]}
		},
		"not an object"
	]
}
"#;
    let found = assets("dump.json", text);
    let names: Vec<_> = found
        .iter()
        .map(|a| (a.name.as_str(), a.evidence[0].line))
        .collect();
    // A JSON object starts at its `{`.
    assert_eq!(
        names,
        [("prod/Service/api", Some(5)), ("default/Pod/debug", Some(11))]
    );
    assert_eq!(
        found[0].attributes["exposure"],
        json!({
            "via": "NodePort", "hosts": [], "ports": [80], "node_ports": [30080], "tls": false,
            "source_ranges": [], "class": null, "internal": false
        })
    );
    assert_eq!(found[0].attribute_lines["exposure"], 9);
    assert_eq!(found[1].attribute_lines["spec.containers.0.image"], 15);

    let typed =
        "apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n";
    assert_eq!(only("pods.yaml", typed).evidence[0].line, Some(4));
}

#[test]
fn services_and_ingresses_say_how_they_face_the_internet() {
    let text = "\
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: [0.0.0.0/0]
  selector: {app: web}
  ports:
    - name: https
      port: 443
      targetPort: 8443
---
apiVersion: v1
kind: Service
metadata:
  name: internal
  annotations:
    networking.gke.io/load-balancer-type: Internal
spec:
  type: LoadBalancer
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: cluster-only}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: pinned-ip}
spec:
  externalIPs: [203.0.113.10]
  ports: [{port: 22}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    kubernetes.io/ingress.class: nginx
spec:
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: web, port: {number: 443}}}
    - http:
        paths:
          - path: /health
            pathType: Exact
            backend: {service: {name: web, port: {number: 443}}}
";
    let found = assets("net.yaml", text);
    let exposure = |index: usize| found[index].attributes.get("exposure").cloned();
    assert_eq!(
        exposure(0),
        Some(json!({
            "via": "LoadBalancer", "hosts": [], "ports": [443], "node_ports": [], "tls": false,
            "source_ranges": ["0.0.0.0/0"], "class": null, "internal": false
        }))
    );
    assert_eq!(found[0].attribute_lines["exposure"], 8);
    assert_eq!(exposure(1).unwrap()["internal"], json!(true));
    assert_eq!(exposure(2), None);
    assert_eq!(
        exposure(3).unwrap(),
        json!({
            "via": "ExternalIPs", "hosts": ["203.0.113.10"], "ports": [22], "node_ports": [], "tls": false,
            "source_ranges": [], "class": null, "internal": false
        })
    );
    assert_eq!(found[3].attribute_lines["exposure"], 36);
    assert_eq!(
        exposure(4).unwrap(),
        json!({
            "via": "Ingress", "hosts": ["shop.example.com", "*"], "ports": [80, 443], "node_ports": [],
            "tls": true, "source_ranges": [], "class": "nginx", "internal": false
        })
    );
    assert_eq!(found[4].attribute_lines["exposure"], 49);
    assert_eq!(found[4].attribute_lines["spec.rules.1.http.paths.0.path"], 58);
}

#[test]
fn gateways_and_routes() {
    let text = "\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
    - {name: http, port: 80, protocol: HTTP}
    - {name: https, hostname: api.example.com, port: 443, protocol: HTTPS}
---
apiVersion: route.openshift.io/v1
kind: Route
metadata: {name: app}
spec:
  host: app.apps.example.com
  to: {kind: Service, name: app}
";
    let found = assets("edge.yaml", text);
    assert_eq!(
        found[0].attributes["exposure"],
        json!({
            "via": "Gateway", "hosts": ["*", "api.example.com"], "ports": [80, 443], "node_ports": [],
            "tls": true, "source_ranges": [], "class": "istio", "internal": false
        })
    );
    assert_eq!(found[0].attribute_lines["exposure"], 6);
    assert_eq!(
        found[1].attributes["exposure"]["hosts"],
        json!(["app.apps.example.com"])
    );
    assert_eq!(found[1].attributes["exposure"]["tls"], json!(false));
}

#[test]
fn one_bad_document_is_a_warning_and_the_rest_is_read() {
    let text = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: good}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: [bad
---
apiVersion: v1
kind: Pod
metadata: {}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
...
";
    let out = run_extractor(&Kubernetes, &[("mixed.yaml", text)]).unwrap();
    let names: Vec<_> = out.assets.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["default/ConfigMap/good", "Namespace/shop"]);
    assert_eq!(out.assets[1].evidence[0].line, Some(13));
    let warnings: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.clone()))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(warnings[0].0, Some(9));
    assert_eq!(warnings[0].1, "Pod without metadata.name; skipped");
    assert!(
        warnings[1].0.is_some_and(|l| (7..=8).contains(&l)),
        "{warnings:?}"
    );
    assert!(warnings[1].1.starts_with("invalid YAML"), "{warnings:?}");
}

#[test]
fn templates_of_a_helm_chart_are_left_to_the_helm_extractor() {
    let template = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n";
    let chart = "apiVersion: v2\nname: web\nversion: 0.1.0\n";
    let out = run_extractor(
        &Kubernetes,
        &[
            ("charts/web/templates/svc.yaml", template),
            ("charts/web/Chart.yaml", chart),
        ],
    )
    .unwrap();
    assert!(out.assets.is_empty() && out.diagnostics.is_empty());

    // A `templates/` directory outside any chart holds plain manifests.
    let plain = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n";
    assert_eq!(only("ops/templates/svc.yaml", plain).name, "default/Service/web");
}

#[test]
fn kustomizations() {
    let text = "\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-prod
namePrefix: prod-
resources:
  - ../../base
  - github.com/acme/platform//deploy/redis?ref=v1.4.0
  - https://github.com/acme/platform/deploy/nginx
bases:
  - ../base-legacy
patchesStrategicMerge:
  - replicas.yaml
patches:
  - path: memory.yaml
    target: {kind: Deployment, name: web}
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 5
images:
  - name: nginx
    newName: registry.example.com/nginx
    newTag: 1.25.3
secretGenerator:
  - name: db
    literals:
      - password=hunter2
      - token
";
    let asset = only("overlays/prod/kustomization.yaml", text);
    assert_eq!(asset.kind, AssetKind::CloudResource);
    assert_eq!(
        asset.id.as_str(),
        "cloud-resource:overlays/prod/kustomization.yaml:kustomization"
    );
    assert_eq!(asset.evidence[0].location(), "overlays/prod/kustomization.yaml:1");
    let mut attributes = asset.attributes.clone();
    let config = attributes.remove("config").unwrap();
    assert_eq!(
        serde_json::to_value(&attributes).unwrap(),
        json!({
            "provider": "kubernetes",
            "resource_type": "kustomization",
            "resource_name": "prod",
            "address": "overlays/prod",
            "module_dir": "overlays/prod",
            "mode": "managed",
            "format": "kustomize",
            "resources": [
                "../../base",
                "github.com/acme/platform//deploy/redis?ref=v1.4.0",
                "https://github.com/acme/platform/deploy/nginx"
            ],
            "bases": ["../base-legacy"],
            "components": [],
            "patches": [
                {"path": "memory.yaml", "target": {"kind": "Deployment", "name": "web"}},
                {"patch": "- op: replace\n  path: /spec/replicas\n  value: 5"},
                {"path": "replicas.yaml"}
            ],
            "images": [{"name": "nginx", "newName": "registry.example.com/nginx", "newTag": "1.25.3"}],
            "helm_charts": [],
            "remote": [
                {"url": "github.com/acme/platform//deploy/redis?ref=v1.4.0", "pinned": true},
                {"url": "https://github.com/acme/platform/deploy/nginx", "pinned": false}
            ],
            "name_prefix": "prod-",
            "name_suffix": null,
            "namespace": "shop-prod"
        })
    );
    assert_eq!(
        config["secretGenerator"][0]["literals"],
        json!(["password=<redacted: 7 chars>", "<redacted: 5 chars>"])
    );
    assert_eq!(asset.attribute_lines["resources.1"], 7);
    assert_eq!(asset.attribute_lines["images.0.newTag"], 23);

    // The minimal forms: a bare `Kustomization` file, an empty one.
    let bare = only("Kustomization", "resources: [deploy.yaml]\n");
    assert_eq!(
        (bare.attr_str("address"), bare.attr_str("resource_name")),
        (Some("."), Some("."))
    );
    assert!(assets("base/kustomization.yml", "").is_empty());
    let error = run_extractor(&Kubernetes, &[("kustomization.yaml", "- a\n- b\n")]).unwrap_err();
    assert_eq!(error.line, Some(1));
}

#[test]
fn hostile_input_does_not_panic_and_alias_bombs_fail_fast() {
    let bomb = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: bomb}
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
";
    let started = Instant::now();
    let error = run_extractor(&Kubernetes, &[("bomb.yaml", bomb)]).unwrap_err();
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(30));

    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata: {}{}\n",
        "[".repeat(5_000),
        "]".repeat(5_000)
    );
    let storm = format!("apiVersion: v1\nkind: ConfigMap\n{}", "---\n".repeat(5_000));
    let many = "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n---\n".repeat(1_100);
    for text in [
        deep.as_str(),
        storm.as_str(),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"\\u{zz}\"\n",
        "apiVersion: v1\nkind:\n  - a\nmetadata: {name: x}\n",
        "apiVersion: v1\nkind: List\nitems: 3\n",
        "apiVersion: v1\nkind: Pod\nmetadata: 5\n",
        "apiVersion: v1\nkind: Pod\n\u{0}",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n\t- broken\n",
    ] {
        let _ = run_extractor(&Kubernetes, &[("x.yaml", text)]);
    }
    let out = run_extractor(&Kubernetes, &[("many.yaml", many.as_str())]).unwrap();
    assert_eq!(out.assets.len(), 1024);
    assert_eq!(out.diagnostics.len(), 1);
    assert!(
        out.diagnostics[0].message.contains("only the first 1024"),
        "{:?}",
        out.diagnostics
    );
}
