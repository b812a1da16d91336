#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions
//! Fixture ladder for `kubernetes/helm-chart`: `Chart.yaml` (dependencies, Helm 2 requirements) and the
//! static reading of templates (control lines, placeholders, what is too dynamic to read).

mod common;

use std::time::{Duration, Instant};

use common::run_extractor;
use serde_json::json;
use vigil_core::{Asset, AssetKind};
use vigil_discover::extractors::helm_chart::HelmChart;
use vigil_discover::{Extractor, Output};

const CHART: &str = "\
apiVersion: v2
name: shop
description: The shop front and its API
type: application
version: 1.4.2
appVersion: \"2.7.0\"
dependencies:
  - name: postgresql
    version: 12.x.x
    repository: https://charts.bitnami.com/bitnami
    condition: postgresql.enabled
  - name: redis
    version: \"~17.3.0\"
    repository: oci://registry-1.docker.io/bitnamicharts
    alias: cache
  - name: common
    version: 0.1.0
    repository: file://../common
";

fn run(files: &[(&str, &str)]) -> Output {
    run_extractor(&HelmChart, files).unwrap_or_else(|e| panic!("{e}"))
}

fn only(files: &[(&str, &str)]) -> Asset {
    let mut out = run(files);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(out.not_checked.is_empty(), "{:?}", out.not_checked);
    assert_eq!(out.assets.len(), 1, "{:#?}", out.assets);
    out.assets.remove(0)
}

#[test]
fn claims_charts_and_their_templates() {
    assert!(HelmChart.claims("charts/shop/Chart.yaml", "Chart.yaml"));
    assert!(HelmChart.claims("charts/shop/templates/deployment.yaml", "deployment.yaml"));
    assert!(HelmChart.claims("shop/templates/tests/test-connection.yml", "test-connection.yml"));
    assert!(!HelmChart.claims("charts/shop/values.yaml", "values.yaml"));
    assert!(!HelmChart.claims("charts/shop/templates/_helpers.tpl", "_helpers.tpl"));
    assert!(!HelmChart.claims("charts/shop/templates/NOTES.txt", "NOTES.txt"));
}

#[test]
fn not_this_format_is_an_error_with_a_line() {
    let error = run_extractor(&HelmChart, &[("Chart.yaml", "- name: shop\n- version: 1\n")]).unwrap_err();
    assert_eq!(error.line, Some(1));
    assert!(error.message.starts_with("not a Helm Chart.yaml"), "{error}");

    let error = run_extractor(&HelmChart, &[("Chart.yaml", "apiVersion: v2\nname: [shop\n")]).unwrap_err();
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    assert!(error.line.is_some(), "{error}");
}

#[test]
fn empty_file_and_empty_document_have_no_assets() {
    assert!(run(&[("Chart.yaml", "")]).assets.is_empty());
    assert!(run(&[("Chart.yaml", "---\n# to do\n")]).assets.is_empty());
    let out = run(&[
        ("web/templates/empty.yaml", ""),
        ("web/Chart.yaml", "name: web\n"),
    ]);
    assert!(out.assets.is_empty() && out.not_checked.is_empty());
}

#[test]
fn one_chart_with_its_dependencies() {
    let asset = only(&[("charts/shop/Chart.yaml", CHART)]);
    assert_eq!(asset.kind, AssetKind::CloudResource);
    assert_eq!(asset.id.as_str(), "cloud-resource:charts/shop:Chart/shop");
    assert_eq!(asset.evidence[0].location(), "charts/shop/Chart.yaml:1");
    let mut attributes = asset.attributes.clone();
    let config = attributes.remove("config").unwrap();
    assert_eq!(
        serde_json::to_value(&attributes).unwrap(),
        json!({
            "provider": "helm",
            "resource_type": "chart",
            "resource_name": "shop",
            "address": "Chart/shop",
            "module_dir": "charts/shop",
            "mode": "managed",
            "format": "helm-chart",
            "api_version": "v2",
            "version": "1.4.2",
            "app_version": "2.7.0",
            "chart_type": "application",
            "dependencies": [
                {
                    "name": "postgresql", "version": "12.x.x", "repository": "https://charts.bitnami.com/bitnami",
                    "alias": null, "condition": "postgresql.enabled", "declared_in": "Chart.yaml"
                },
                {
                    "name": "redis", "version": "~17.3.0", "repository": "oci://registry-1.docker.io/bitnamicharts",
                    "alias": "cache", "condition": null, "declared_in": "Chart.yaml"
                },
                {
                    "name": "common", "version": "0.1.0", "repository": "file://../common",
                    "alias": null, "condition": null, "declared_in": "Chart.yaml"
                }
            ]
        })
    );
    assert_eq!(config["description"], "The shop front and its API");
    let l = &asset.attribute_lines;
    assert_eq!(
        (l["version"], l["dependencies.1"], l["dependencies.1.repository"]),
        (5, 12, 14)
    );
}

#[test]
fn helm_2_charts_list_dependencies_in_requirements() {
    let chart = "apiVersion: v1\nname: legacy\nversion: 0.3.0\n";
    let requirements =
        "dependencies:\n- name: mysql\n  version: 1.6.9\n  repository: http://charts.example.com\n";
    let asset = only(&[
        ("legacy/Chart.yaml", chart),
        ("legacy/requirements.yaml", requirements),
    ]);
    assert_eq!(
        asset.attributes["dependencies"],
        json!([{
            "name": "mysql", "version": "1.6.9", "repository": "http://charts.example.com",
            "alias": null, "condition": null, "declared_in": "requirements.yaml"
        }])
    );
    assert_eq!(asset.attributes["app_version"], json!(null));

    // No name: named after the directory, with a warning.
    let out = run(&[("charts/nameless/Chart.yaml", "apiVersion: v2\nversion: 1.0.0\n")]);
    assert_eq!(out.assets[0].attr_str("resource_name"), Some("nameless"));
    assert_eq!(out.diagnostics.len(), 1);
}

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
  labels:
    {{- include "shop.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "shop.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "shop.serviceAccountName" . }}
      hostPID: true
      containers:
        - name: {{ .Chart.Name }}
          securityContext:
            privileged: true
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.service.port }}
              protocol: TCP
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
"#;

#[test]
fn one_template_read_statically() {
    let asset = only(&[
        ("charts/shop/templates/deployment.yaml", DEPLOYMENT),
        ("charts/shop/Chart.yaml", CHART),
    ]);
    assert_eq!(
        asset.id.as_str(),
        "cloud-resource:charts/shop/templates/deployment.yaml:default/Deployment/{{...}}"
    );
    assert_eq!(
        asset.evidence[0].location(),
        "charts/shop/templates/deployment.yaml:1"
    );
    assert_eq!(asset.attr_str("format"), Some("helm-template"));
    assert_eq!(asset.attr_str("chart"), Some("shop"));
    assert_eq!(asset.attr_str("resource_name"), Some("{{...}}"));
    assert_eq!(asset.attr_str("module_dir"), Some("charts/shop/templates"));
    assert_eq!(
        asset.attributes["config"],
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "{{...}}", "labels": null},
            "spec": {
                "replicas": "{{...}}",
                "selector": {"matchLabels": null},
                "template": {
                    "metadata": {"annotations": null},
                    "spec": {
                        "serviceAccountName": "{{...}}",
                        "hostPID": true,
                        "containers": [{
                            "name": "{{...}}",
                            "securityContext": {"privileged": true},
                            "image": "{{...}}:{{...}}",
                            "imagePullPolicy": "{{...}}",
                            "ports": [{"name": "http", "containerPort": "{{...}}", "protocol": "TCP"}],
                            "resources": null
                        }]
                    }
                }
            }
        })
    );
    // Lines are the template's own.
    let l = &asset.attribute_lines;
    assert_eq!(l["spec.replicas"], 9);
    assert_eq!(l["spec.template.spec.hostPID"], 22);
    assert_eq!(
        l["spec.template.spec.containers.0.securityContext.privileged"],
        26
    );
    assert_eq!(l["spec.template.spec.containers.0.ports.0.containerPort"], 31);
}

#[test]
fn two_objects_in_one_template_and_exposure() {
    let template = r#"{{- if .Values.ingress.enabled -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "shop.fullname" . }}
spec:
  ingressClassName: {{ .Values.ingress.className }}
  rules:
    {{- range .Values.ingress.hosts }}
    - host: {{ .host | quote }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: {{ $fullName }}
                port:
                  number: {{ $svcPort }}
    {{- end }}
{{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "shop.fullname" . }}-public
spec:
  type: LoadBalancer
  ports:
    - port: {{ .Values.service.port }}
      targetPort: http
"#;
    let out = run(&[("shop/templates/edge.yaml", template), ("shop/Chart.yaml", CHART)]);
    assert!(
        out.diagnostics.is_empty() && out.not_checked.is_empty(),
        "{out:?}"
    );
    let found: Vec<_> = out
        .assets
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.evidence[0].line,
                a.attributes["exposure"]["via"].clone(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("default/Ingress/{{...}}", Some(2), json!("Ingress")),
            ("default/Service/{{...}}-public", Some(23), json!("LoadBalancer")),
        ]
    );
    assert_eq!(out.assets[0].attributes["exposure"]["hosts"], json!(["{{...}}"]));
    assert_eq!(out.assets[0].attributes["exposure"]["class"], json!("{{...}}"));
    assert_eq!(out.assets[1].attributes["exposure"]["ports"], json!(["{{...}}"]));
    assert_eq!(out.assets[1].attribute_lines["exposure"], 28);
}

#[test]
fn secrets_in_templates_are_redacted_but_placeholders_stay() {
    let template = r#"apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-db
type: Opaque
data:
  password: {{ .Values.db.password | b64enc | quote }}
  fallback: c3VwZXJzZWNyZXQ=
"#;
    let asset = only(&[
        ("shop/templates/secret.yaml", template),
        ("shop/Chart.yaml", CHART),
    ]);
    assert_eq!(
        asset.attributes["config"]["data"],
        json!({"password": "{{...}}", "fallback": "<redacted: 16 chars>"})
    );
}

#[test]
fn templates_too_dynamic_to_read_are_not_checked_once() {
    let include_only = "{{- $name := include \"shop.fullname\" . -}}\n{{ include \"common.deployment\" (dict \"top\" .) }}\n";
    let out = run(&[
        ("shop/templates/deploy.yaml", include_only),
        ("shop/Chart.yaml", CHART),
    ]);
    assert!(out.assets.is_empty() && out.diagnostics.is_empty());
    assert_eq!(out.not_checked.len(), 1);
    assert_eq!(out.not_checked[0].what, "shop/templates/deploy.yaml");
    assert_eq!(
        out.not_checked[0].why,
        "Helm template too dynamic to read statically"
    );

    // One document reads, the other does not: the readable one is kept, the file is listed once.
    let mixed = r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: labelled
  labels: {{ include "shop.labels" . | nindent 4 }}
    extra: value
---
apiVersion: v1
kind: {{ .Values.kind }}
metadata:
  name: dynamic
"#;
    let out = run(&[("shop/templates/cm.yaml", mixed), ("shop/Chart.yaml", CHART)]);
    let names: Vec<_> = out.assets.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["default/ConfigMap/settings"]);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(out.not_checked.len(), 1);
    // The first unreadable place: `extra` cannot sit under the scalar `labels`.
    assert_eq!(
        out.not_checked[0].why,
        "Helm template too dynamic to read statically (line 11)"
    );
}

#[test]
fn templates_outside_a_chart_and_subcharts() {
    // No Chart.yaml above `templates/`: kubernetes/manifest reads the file, not this extractor.
    let plain = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n";
    let out = run(&[("ops/templates/svc.yaml", plain)]);
    assert!(out.assets.is_empty() && out.not_checked.is_empty());

    // A subchart's templates belong to the subchart; a chart without a name is named after its directory.
    let out = run(&[
        ("shop/charts/cache/templates/svc.yaml", plain),
        ("shop/charts/cache/Chart.yaml", "apiVersion: v2\nversion: 1.0.0\n"),
        ("shop/Chart.yaml", CHART),
    ]);
    assert_eq!(out.assets[0].attr_str("chart"), Some("cache"));
    let out = run(&[
        ("shop/templates/nested/svc.yaml", plain),
        ("shop/Chart.yaml", CHART),
    ]);
    assert_eq!(out.assets[0].attr_str("chart"), Some("shop"));
}

#[test]
fn hostile_input_does_not_panic_and_alias_bombs_fail_fast() {
    let bomb = "\
name: bomb
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
    let error = run_extractor(&HelmChart, &[("Chart.yaml", bomb)]).unwrap_err();
    assert!(error.message.starts_with("invalid YAML"), "{error}");
    let template_bomb = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\n{}",
        &bomb[11..]
    );
    let out = run(&[
        ("c/templates/bomb.yaml", &template_bomb),
        ("c/Chart.yaml", "name: c\n"),
    ]);
    assert!(out.assets.is_empty() && out.not_checked.len() == 1);
    assert!(started.elapsed() < Duration::from_secs(30));

    let deep = format!("{}{}", "{{ if . }}\n".repeat(2_000), "{{ end }}\n".repeat(2_000));
    let braces = "{{".repeat(10_000);
    for text in [
        deep.as_str(),
        braces.as_str(),
        "a: {{ \"unterminated\n",
        "a: {{ `raw\n",
        "a: {{/* comment\n",
        "{{- /* */ -}}\u{e000}: {{ x }}\n",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"{{ .x }}\\\n",
        "- - - {{ x }}: {{ y }}: {{ z }}\n",
        "\u{0}{{\u{0}}}",
    ] {
        let _ = run_extractor(
            &HelmChart,
            &[("c/templates/x.yaml", text), ("c/Chart.yaml", "name: c\n")],
        );
    }
    for text in [
        "name: [",
        "\u{0}",
        "name: {a: {b: {c: ",
        "dependencies: 5\nname: x\n",
    ] {
        let _ = run_extractor(&HelmChart, &[("Chart.yaml", text)]);
    }
}
