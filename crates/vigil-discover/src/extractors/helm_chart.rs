//! Helm charts: `Chart.yaml` becomes one asset, and the Kubernetes objects of `<chart>/templates/**.yaml`
//! are read "where possible", without running Helm.
//!
//! A template is Go text/template source, not YAML. It is read statically, line for line so that lines
//! stay true: a line holding only template actions (`{{- if .Values.x }}`, `{{- end }}`, `{{- range }}`,
//! `{{- include "labels" . | nindent 4 }}`, comments) becomes an empty line; any other action becomes the
//! literal string `{{...}}`, and a plain YAML scalar holding one is quoted (`name: {{ .Release.Name }}-web`
//! reads `name: "{{...}}-web"`). The result goes through the manifest reader of `kubernetes/manifest`
//! ([`super::kubernetes::read_manifests`]), so the assets have its layout, with `format: "helm-template"`
//! and `chart` (the chart's name). Values from `values.yaml` are not substituted, and conditionals are not
//! evaluated: an object guarded by `{{ if }}` is listed whether or not it would be rendered, and a value
//! that comes from `.Values` reads `{{...}}`. A template whose documents still do not parse, or that has
//! expressions but yields no object (a file that is one `include`), is listed once in `not_checked` ("Helm
//! template too dynamic to read statically"), not reported as an error. A `templates/` directory without a
//! `Chart.yaml` above it is no chart: `kubernetes/manifest` reads its files as plain manifests.
//!
//! The chart asset: `cloud-resource`, id `cloud-resource:<chart dir>:Chart/<name>`, evidence at the first
//! key of `Chart.yaml`. Attributes: `provider` `"helm"`, `resource_type` `"chart"`, `resource_name` the
//! chart's name, `address` `Chart/<name>`, `module_dir` the chart's directory, `mode` `"managed"`, `format`
//! `"helm-chart"`, `api_version`, `version`, `app_version`, `chart_type` (`application` or `library`),
//! `dependencies` (`[{"name", "version", "repository", "alias", "condition", "declared_in"}]`, from
//! `Chart.yaml`, or for `apiVersion: v1` charts from the sibling `requirements.yaml`), and `config`, the
//! whole `Chart.yaml` as JSON; `attribute_lines` maps each path of `config` (`dependencies.0.repository`).

use std::collections::BTreeMap;

use serde_json::{Value, json};
use vigil_core::{Asset, AssetId, AssetKind, NotChecked};

use super::kubernetes::{
    Flavor, PLACEHOLDER, has_manifest_extension, json_with_lines, parse_yaml, read_manifests, text_of,
};
use crate::extract::{ExtractError, Extractor, Output, SourceFile, join_relative};
use crate::yaml::{Node, line_of};

#[derive(Debug)]
pub struct HelmChart;

/// Stands for an expression while a template line is rewritten; a private-use character that YAML
/// treats as ordinary text.
const SENTINEL: char = '\u{E000}';

/// Actions that print nothing: they only steer the template.
const CONTROL_KEYWORDS: [&str; 8] = [
    "if", "else", "end", "range", "with", "define", "break", "continue",
];

impl Extractor for HelmChart {
    fn name(&self) -> &'static str {
        "kubernetes/helm-chart"
    }

    fn claims(&self, path: &str, file_name: &str) -> bool {
        file_name == "Chart.yaml"
            || (has_manifest_extension(file_name)
                && crate::extract::parent_dir(path)
                    .split('/')
                    .any(|part| part == "templates"))
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let file_name = file.path.rsplit('/').next().unwrap_or(file.path);
        if file_name == "Chart.yaml" {
            return chart(file, out);
        }
        let Some(chart) = template_chart(file) else {
            return Ok(()); // not in a chart: kubernetes/manifest reads it
        };
        let text = strip_template(file.text);
        let flavor = Flavor {
            format: "helm-template",
            chart: Some(&chart),
        };
        let read = read_manifests(file, &text, &flavor, out);
        if !read.failures.is_empty() || (read.objects == 0 && file.text.contains("{{")) {
            let detail = read
                .failures
                .first()
                .and_then(|(line, _)| *line)
                .map(|line| format!(" (line {line})"))
                .unwrap_or_default();
            out.not_checked.push(NotChecked {
                what: file.path.to_owned(),
                why: format!("Helm template too dynamic to read statically{detail}"),
            });
        }
        Ok(())
    }
}

/// The name of the chart whose `templates/` directory holds `file`, if any: the innermost `templates`
/// directory with a `Chart.yaml` next to it (subcharts under `charts/` are charts of their own).
pub(crate) fn template_chart(file: &SourceFile<'_>) -> Option<String> {
    let parts: Vec<&str> = file.dir().split('/').collect();
    for (index, _) in parts
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, part)| **part == "templates")
    {
        let root = parts.get(..index).map(|p| p.join("/")).unwrap_or_default();
        let fallback = || {
            root.rsplit('/')
                .next()
                .filter(|n| !n.is_empty())
                .unwrap_or("chart")
                .to_owned()
        };
        let Some(chart_path) = join_relative(&root, "Chart.yaml") else {
            continue;
        };
        match file.read_related(&chart_path) {
            Ok(Some(text)) => return Some(chart_name(&text).unwrap_or_else(fallback)),
            Ok(None) => {}
            // It exists but cannot be read (too large, binary): still a chart.
            Err(_) => return Some(fallback()),
        }
    }
    None
}

fn chart_name(text: &str) -> Option<String> {
    let root = parse_yaml(text).ok()?;
    text_of(root.value.as_map()?, "name").filter(|n| !n.is_empty())
}

/// One asset for `Chart.yaml`.
fn chart(file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
    let root = parse_yaml(file.text).map_err(|(line, message)| file.error(line, message))?;
    let entries = match root.value.untagged() {
        Node::Null => return Ok(()),
        Node::Map(entries) => entries.as_slice(),
        other => {
            return Err(file.error(
                Some(line_of(&root)),
                format!(
                    "not a Helm Chart.yaml: the document is {}, not a mapping",
                    other.describe()
                ),
            ));
        }
    };
    let module_dir = match file.dir() {
        "" => ".",
        dir => dir,
    };
    let line = entries.first().map_or(1, |(key, _)| line_of(key));
    let name = match text_of(entries, "name").filter(|n| !n.is_empty()) {
        Some(name) => name,
        None => {
            out.diagnostics
                .push(file.warning(Some(line), "Chart.yaml has no `name`; named after its directory"));
            module_dir.rsplit('/').next().unwrap_or(module_dir).to_owned()
        }
    };
    let mut lines = BTreeMap::new();
    let config = json_with_lines(&root, "", 0, &mut lines);
    let api_version = text_of(entries, "apiVersion");
    let mut dependencies = dependencies(config.get("dependencies"), "Chart.yaml");
    if dependencies.is_empty() && api_version.as_deref() == Some("v1") {
        // Helm 2 charts list their dependencies in requirements.yaml.
        if let Some((_, text)) = file.read_sibling("requirements.yaml", out) {
            match parse_yaml(&text) {
                Ok(requirements) => {
                    let json = crate::yaml::to_json(&requirements);
                    dependencies = self::dependencies(json.get("dependencies"), "requirements.yaml");
                }
                Err((line, message)) => out.diagnostics.push(file.warning(
                    None,
                    format!(
                        "requirements.yaml: {message}{}",
                        line.map(|l| format!(" (line {l})")).unwrap_or_default()
                    ),
                )),
            }
        }
    }
    let address = format!("Chart/{name}");
    let id = AssetId::from_parts(AssetKind::CloudResource, &[module_dir, &address]);
    let field = |key: &str| text_of(entries, key);
    let mut asset = Asset::new(
        AssetKind::CloudResource,
        id,
        address.clone(),
        file.evidence(Some(line)),
    )
    .with("provider", "helm")
    .with("resource_type", "chart")
    .with("resource_name", name)
    .with("address", address)
    .with("module_dir", module_dir)
    .with("mode", "managed")
    .with("format", "helm-chart")
    .with("api_version", api_version)
    .with("version", field("version"))
    .with("app_version", field("appVersion"))
    .with(
        "chart_type",
        field("type").unwrap_or_else(|| "application".to_owned()),
    )
    .with("dependencies", dependencies)
    .with("config", config);
    asset.attribute_lines = lines;
    out.assets.push(asset);
    Ok(())
}

fn dependencies(list: Option<&Value>, declared_in: &str) -> Vec<Value> {
    let text = |dependency: &Value, key: &str| -> Value {
        match dependency.get(key) {
            Some(Value::String(s)) => json!(s),
            Some(Value::Number(n)) => json!(n.to_string()),
            Some(Value::Bool(b)) => json!(b.to_string()),
            _ => Value::Null,
        }
    };
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|d| d.is_object())
        .map(|d| {
            json!({
                "name": text(d, "name"),
                "version": text(d, "version"),
                "repository": text(d, "repository"),
                "alias": text(d, "alias"),
                "condition": text(d, "condition"),
                "declared_in": declared_in,
            })
        })
        .collect()
}

/// A piece of template source: YAML text, or one `{{ ... }}` action (its source, and whether it only
/// steers the template).
enum Piece<'t> {
    Text(&'t str),
    Action(&'t str, bool),
}

/// The template as YAML, line for line: action-only lines emptied, other actions replaced by `{{...}}`.
pub(crate) fn strip_template(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    // Each line's segments, and the line breaks swallowed by multi-line actions that started on it.
    let mut lines: Vec<(Vec<Piece<'_>>, usize)> = vec![(Vec::new(), 0)];
    for piece in pieces(&text) {
        match piece {
            Piece::Text(chunk) => {
                for (index, part) in chunk.split('\n').enumerate() {
                    if index > 0 {
                        lines.push((Vec::new(), 0));
                    }
                    if let Some((segments, _)) = lines.last_mut() {
                        segments.push(Piece::Text(part));
                    }
                }
            }
            Piece::Action(source, control) => {
                if let Some((segments, swallowed)) = lines.last_mut() {
                    *swallowed += source.matches('\n').count();
                    segments.push(Piece::Action(source, control));
                }
            }
        }
    }
    let last = lines.len().saturating_sub(1);
    let mut out = String::with_capacity(text.len());
    for (index, (segments, swallowed)) in lines.iter().enumerate() {
        out.push_str(&render_line(segments));
        if index < last {
            out.push('\n');
        }
        out.extend(std::iter::repeat_n('\n', *swallowed));
    }
    out
}

/// Splits template source into text and actions; an unclosed `{{` is left as text.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(end) = action_end(rest.as_bytes(), start + 2) else {
            break;
        };
        let (Some(before), Some(action), Some(after)) =
            (rest.get(..start), rest.get(start..end), rest.get(end..))
        else {
            break;
        };
        pieces.push(Piece::Text(before));
        pieces.push(Piece::Action(action, is_control(action)));
        rest = after;
    }
    pieces.push(Piece::Text(rest));
    pieces
}

/// The index just past the `}}` closing the action whose body starts at `from`, skipping Go strings, raw
/// strings, character literals and comments (which may hold `}}`).
fn action_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' | b'\'' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'\n' => break,
                        _ if c == byte => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'`' => {
                i += 1 + bytes.get(i + 1..)?.iter().position(|c| *c == b'`')?;
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let close = bytes.get(i + 2..)?.windows(2).position(|w| w == b"*/")?;
                i += close + 4;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => return Some(i + 2),
            _ => i += 1,
        }
    }
    None
}

/// Whether an action prints nothing: control keywords, comments and variable assignments.
fn is_control(action: &str) -> bool {
    let inner = action.strip_prefix("{{").unwrap_or(action);
    let inner = inner.strip_prefix('-').unwrap_or(inner).trim_start();
    if inner.starts_with("/*") {
        return true;
    }
    let word_end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(inner.len());
    let (word, after) = inner.split_at(word_end);
    if CONTROL_KEYWORDS.contains(&word) {
        return true;
    }
    let after = after.trim_start();
    word.starts_with('$') && (after.starts_with(":=") || (after.starts_with('=') && !after.starts_with("==")))
}

/// One template line as YAML: empty when it holds only actions, otherwise its YAML with each printing
/// action as `{{...}}`, quoted where it sits in a plain scalar.
fn render_line(segments: &[Piece<'_>]) -> String {
    let only_actions = segments.iter().all(|segment| match segment {
        Piece::Text(text) => text.trim().is_empty(),
        Piece::Action(..) => true,
    });
    if only_actions {
        return String::new();
    }
    let mut line = String::new();
    for segment in segments {
        match segment {
            Piece::Text(text) => line.push_str(text),
            Piece::Action(_, false) => line.push(SENTINEL),
            Piece::Action(_, true) => {}
        }
    }
    if !line.contains(SENTINEL) {
        return line;
    }
    quote_line(&line).replace(SENTINEL, PLACEHOLDER)
}

/// Rewrites the key and the value of a YAML line so that scalars holding the sentinel stay valid YAML.
fn quote_line(line: &str) -> String {
    let body = line.trim_start_matches(' ');
    let mut out = line.get(..line.len() - body.len()).unwrap_or_default().to_owned();
    let mut rest = body;
    while let Some(after) = rest.strip_prefix("- ") {
        let item = after.trim_start_matches(' ');
        out.push_str(rest.get(..rest.len() - item.len()).unwrap_or_default());
        rest = item;
    }
    let (scalar_part, comment) = split_comment(rest);
    match key_separator(scalar_part) {
        Some(colon) => {
            let (key, value) = (
                scalar_part.get(..colon).unwrap_or_default(),
                scalar_part.get(colon + 1..).unwrap_or_default(),
            );
            out.push_str(&quote_scalar(key.trim_end()));
            out.push(':');
            let value_body = value.trim_start();
            out.push_str(value.get(..value.len() - value_body.len()).unwrap_or_default());
            out.push_str(&quote_scalar(value_body.trim_end()));
        }
        None => out.push_str(&quote_scalar(scalar_part.trim_end())),
    }
    if !comment.is_empty() {
        out.push(' ');
        out.push_str(comment);
    }
    out
}

/// (text, comment): the comment starts at a `#` after a space, outside quotes.
fn split_comment(text: &str) -> (&str, &str) {
    let mut quote = None;
    let mut previous = ' ';
    for (index, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') if matches!(previous, ' ' | ':' | '-' | '[' | '{' | ',') => quote = Some(c),
            (Some(q), _) if c == q && previous != '\\' => quote = None,
            (None, '#') if previous == ' ' || index == 0 => {
                return (
                    text.get(..index).unwrap_or_default().trim_end(),
                    text.get(index..).unwrap_or_default(),
                );
            }
            _ => {}
        }
        previous = c;
    }
    (text, "")
}

/// The byte index of the `:` ending a mapping key (followed by a space or the end), outside quotes and
/// flow collections.
fn key_separator(text: &str) -> Option<usize> {
    if text.starts_with(['{', '[']) {
        return None;
    }
    let mut quote = None;
    for (index, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') if index == 0 => quote = Some(c),
            (Some(q), _) if c == q && index > 0 => quote = None,
            (None, ':') => {
                let next = text.get(index + 1..).and_then(|r| r.chars().next());
                if next.is_none_or(|n| n == ' ' || n == '\t') {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

/// A scalar holding the sentinel, made valid: quoted scalars keep their quotes, flow collections get the
/// placeholder as a quoted item, plain scalars are double-quoted whole.
fn quote_scalar(scalar: &str) -> String {
    if !scalar.contains(SENTINEL) || scalar.starts_with(['"', '\'']) {
        return scalar.to_owned();
    }
    if scalar.starts_with(['{', '[']) {
        let mut out = String::new();
        let mut previous = ' ';
        for c in scalar.chars() {
            if c == SENTINEL && !matches!(previous, '"' | '\'') {
                out.push('"');
                out.push(SENTINEL);
                out.push('"');
            } else {
                out.push(c);
            }
            previous = c;
        }
        return out;
    }
    let escaped = scalar.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::strip_template;

    #[test]
    fn control_lines_vanish_and_expressions_become_quoted_placeholders() {
        let template = "\
{{- if .Values.enabled -}}
metadata:
  name: {{ include \"app.fullname\" . }}-web
  labels:
    {{- include \"app.labels\" . | nindent 4 }}
  {{ .Values.key }}: value # {{ .Values.note }}
spec:
  image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"
  args: [{{ .Values.arg }}, \"x\"]
  - {{ .Values.item }}
  url: http://{{ .Values.host }}:80
{{- end }}
";
        let expected = "
metadata:
  name: \"{{...}}-web\"
  labels:

  \"{{...}}\": value # {{...}}
spec:
  image: \"{{...}}:{{...}}\"
  args: [\"{{...}}\", \"x\"]
  - \"{{...}}\"
  url: \"http://{{...}}:80\"

";
        assert_eq!(strip_template(template), expected);
    }

    #[test]
    fn multi_line_actions_and_odd_strings_keep_the_line_count() {
        let template =
            "a: {{ printf \"}}\" `\n}}` }}\nb: 1\n{{/* a\ncomment */}}\nc: {{ .x\n  | quote }} # end\nd: 2";
        let stripped = strip_template(template);
        assert_eq!(stripped.lines().count(), template.lines().count());
        assert_eq!(
            stripped,
            "a: \"{{...}}\"\n\nb: 1\n\n\nc: \"{{...}}\" # end\n\nd: 2"
        );
        assert_eq!(strip_template("a: {{ unclosed\nb: 1\n"), "a: {{ unclosed\nb: 1\n");
        assert_eq!(strip_template("{{ $x := 1 }}\nk: {{ $x = 2 }}v\n"), "\nk: v\n");
    }
}
