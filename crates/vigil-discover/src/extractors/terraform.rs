//! Terraform configuration (`*.tf`): one asset per `resource`, `data` and `provider` block.
//!
//! Parsed with hcl-rs' editor parser, which keeps byte spans, so every asset points at its block header and
//! `attribute_lines` at each attribute and nested block (`ingress.0.cidr_blocks`). Nothing is evaluated:
//! literals become JSON, anything computed (references, calls, interpolated templates) becomes the string
//! `${<source>}` so rules can tell a value from an expression. `jsonencode(<value>)` becomes the JSON text
//! Terraform would produce (computed parts inside it stay `${...}` strings), so IAM policy rules read it like a policy string. A Terraform module is a
//! directory, hence ids of the form `cloud-resource:<module dir>:<address>`. The attribute layout is read
//! as-is by the cloud threat rules.

use std::collections::BTreeMap;
use std::ops::Range;

use hcl::edit::Span;
use hcl::edit::expr::{Expression, ObjectKey, UnaryOperator};
use hcl::edit::structure::{Block, Body, Structure};
use hcl::edit::template::{Element, Template};
use serde_json::{Map, Value};
use vigil_core::{Asset, AssetId, AssetKind, LineIndex};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct Terraform;

/// Resource types that grant or hold permissions rather than host workloads or data.
const IDENTITY_PREFIXES: [&str; 4] = [
    "aws_iam_",
    "azurerm_role_",
    "google_project_iam_",
    "google_service_account",
];

impl Extractor for Terraform {
    fn name(&self) -> &'static str {
        "terraform/hcl"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        file_name.ends_with(".tf")
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let body = hcl::edit::parser::parse_body(file.text).map_err(|e| {
            let line = u32::try_from(e.location().line()).ok();
            file.error(line, format!("invalid HCL: {}", e.message()))
        })?;
        let source = Source {
            text: file.text,
            lines: LineIndex::new(file.text),
        };
        let module_dir = match file.dir() {
            "" => ".",
            dir => dir,
        };
        for block in body.iter().filter_map(Structure::as_block) {
            let line = source.line(block.span());
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            let declared = match (block.ident.as_str(), labels.as_slice()) {
                ("resource", [kind, name]) => {
                    Declared::resource("managed", kind, name, format!("{kind}.{name}"))
                }
                ("data", [kind, name]) => {
                    Declared::resource("data", kind, name, format!("data.{kind}.{name}"))
                }
                ("provider", [provider]) => {
                    let alias = block.body.get_attribute("alias").and_then(|a| a.value.as_str());
                    Declared {
                        mode: "provider",
                        kind: AssetKind::CloudResource,
                        provider,
                        resource_type: provider,
                        resource_name: alias,
                        address: alias.map_or_else(
                            || format!("provider.{provider}"),
                            |a| format!("provider.{provider}.{a}"),
                        ),
                    }
                }
                (ident @ ("resource" | "data" | "provider"), _) => {
                    let wanted = if ident == "provider" {
                        "one label (the provider)"
                    } else {
                        "two labels (type and name)"
                    };
                    out.diagnostics
                        .push(file.warning(line, format!("`{ident}` block needs {wanted}; skipped")));
                    continue;
                }
                _ => continue, // variable, output, locals, module, terraform: not assets (yet)
            };
            out.assets
                .push(declared.into_asset(file, &source, block, module_dir, line));
        }
        Ok(())
    }
}

/// What a top-level block declares.
struct Declared<'b> {
    mode: &'static str,
    kind: AssetKind,
    provider: &'b str,
    resource_type: &'b str,
    resource_name: Option<&'b str>,
    address: String,
}

impl<'b> Declared<'b> {
    fn resource(mode: &'static str, resource_type: &'b str, name: &'b str, address: String) -> Self {
        let kind = if IDENTITY_PREFIXES.iter().any(|p| resource_type.starts_with(p)) {
            AssetKind::Identity
        } else {
            AssetKind::CloudResource
        };
        let provider = resource_type.split_once('_').map_or(resource_type, |(p, _)| p);
        Self {
            mode,
            kind,
            provider,
            resource_type,
            resource_name: Some(name),
            address,
        }
    }

    fn into_asset(
        self,
        file: &SourceFile<'_>,
        source: &Source<'_>,
        block: &Block,
        module_dir: &str,
        line: Option<u32>,
    ) -> Asset {
        let mut lines = BTreeMap::new();
        let config = source.body(&block.body, "", &mut lines);
        let id = AssetId::from_parts(self.kind, &[module_dir, &self.address]);
        let mut asset = Asset::new(self.kind, id, self.address.clone(), file.evidence(line))
            .with("provider", self.provider)
            .with("resource_type", self.resource_type)
            .with("resource_name", self.resource_name)
            .with("address", self.address)
            .with("module_dir", module_dir)
            .with("mode", self.mode)
            .with("config", Value::Object(config));
        asset.attribute_lines = lines;
        asset
    }
}

/// The file text, for expression sources and lines.
struct Source<'t> {
    text: &'t str,
    lines: LineIndex,
}

impl Source<'_> {
    fn line(&self, span: Option<Range<usize>>) -> Option<u32> {
        span.map(|s| self.lines.line(s.start))
    }

    fn record(&self, path: &str, span: Option<Range<usize>>, lines: &mut BTreeMap<String, u32>) {
        if let Some(line) = self.line(span) {
            lines.insert(path.to_owned(), line);
        }
    }

    /// A block body as a JSON object; nested blocks are always arrays of objects, since most block types
    /// may repeat and rules should not care whether this file happened to write one or two.
    fn body(&self, body: &Body, prefix: &str, lines: &mut BTreeMap<String, u32>) -> Map<String, Value> {
        let mut map = Map::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let key = attribute.key.as_str();
                    let path = join(prefix, key);
                    self.record(&path, attribute.span(), lines);
                    map.insert(key.to_owned(), self.value(&attribute.value, Some(&path), lines).0);
                }
                Structure::Block(block) => {
                    let key = block.ident.as_str();
                    let index = map.get(key).and_then(Value::as_array).map_or(0, Vec::len);
                    let path = format!("{}.{index}", join(prefix, key));
                    self.record(&path, block.span(), lines);
                    let mut object = Map::new();
                    if !block.labels.is_empty() {
                        let labels = block.labels.iter().map(|l| Value::from(l.as_str())).collect();
                        object.insert("__labels".to_owned(), Value::Array(labels));
                    }
                    object.extend(self.body(&block.body, &path, lines));
                    match map.get_mut(key) {
                        Some(Value::Array(items)) => items.push(Value::Object(object)),
                        // `key = ...` and `key { }` together is invalid Terraform; the block wins.
                        _ => {
                            map.insert(key.to_owned(), Value::Array(vec![Value::Object(object)]));
                        }
                    }
                }
            }
        }
        map
    }

    /// An expression as JSON, and whether it is a literal (no reference, call or interpolation inside).
    /// `path` is where the value sits in `config`, for the lines of object keys and array items; `None`
    /// inside values that do not appear in `config` as such (the argument of `jsonencode`).
    fn value(
        &self,
        expr: &Expression,
        path: Option<&str>,
        lines: &mut BTreeMap<String, u32>,
    ) -> (Value, bool) {
        match expr {
            Expression::Null(_) => (Value::Null, true),
            Expression::Bool(b) => (Value::Bool(*b.value()), true),
            Expression::Number(n) => (number(n.value(), false), true),
            Expression::String(s) => (Value::String(s.value().clone()), true),
            Expression::Array(items) => {
                let mut literal = true;
                let mut values = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let item_path = path.map(|p| format!("{p}.{index}"));
                    if let Some(p) = &item_path {
                        self.record(p, item.span(), lines);
                    }
                    let (value, item_literal) = self.value(item, item_path.as_deref(), lines);
                    literal &= item_literal;
                    values.push(value);
                }
                (Value::Array(values), literal)
            }
            Expression::Object(object) => {
                let mut literal = true;
                let mut map = Map::new();
                for (key, value) in object.iter() {
                    let (key_text, key_literal) = match key {
                        ObjectKey::Ident(ident) => (ident.as_str().to_owned(), true),
                        ObjectKey::Expression(key) => match self.value(key, None, lines) {
                            (Value::String(s), l) => (s, l),
                            (other, l) => (other.to_string(), l),
                        },
                    };
                    let value_path = path.map(|p| join(p, &key_text));
                    if let Some(p) = &value_path {
                        self.record(p, key.span(), lines);
                    }
                    let (value, value_literal) = self.value(value.expr(), value_path.as_deref(), lines);
                    literal &= key_literal && value_literal;
                    map.insert(key_text, value);
                }
                (Value::Object(map), literal)
            }
            Expression::StringTemplate(template) => match literal_text(template) {
                Some(text) => (Value::String(text), true),
                // The template as written, without its quotes: `"${var.env}-logs"` -> `${var.env}-logs`.
                None => {
                    let written = self.source(expr);
                    let inner = written
                        .strip_prefix('"')
                        .and_then(|s| s.strip_suffix('"'))
                        .unwrap_or(&written);
                    (Value::String(inner.to_owned()), false)
                }
            },
            Expression::HeredocTemplate(heredoc) => match literal_text(&heredoc.template) {
                Some(text) => (Value::String(text), true),
                None => {
                    let body = heredoc.template.span().and_then(|s| self.text.get(s));
                    (
                        Value::String(body.map_or_else(|| self.computed(expr), str::to_owned)),
                        false,
                    )
                }
            },
            Expression::UnaryOp(op) => match (op.operator.value(), &op.expr) {
                (UnaryOperator::Neg, Expression::Number(n)) => (number(n.value(), true), true),
                _ => (Value::String(self.computed(expr)), false),
            },
            Expression::FuncCall(call)
                if call.name.namespace.is_empty()
                    && call.name.name.as_str() == "jsonencode"
                    && call.args.len() == 1
                    && !call.args.expand_final() =>
            {
                // Computed parts stay `${...}` strings inside the JSON: a policy whose Resource is
                // `"${aws_s3_bucket.x.arn}/*"` must still be readable as a policy.
                match call.args.iter().next().map(|arg| self.value(arg, None, lines)) {
                    Some((value, literal)) => match serde_json::to_string(&sorted(value)) {
                        Ok(json) => (Value::String(json), literal),
                        Err(_) => (Value::String(self.computed(expr)), false),
                    },
                    None => (Value::String(self.computed(expr)), false),
                }
            }
            _ => (Value::String(self.computed(expr)), false),
        }
    }

    /// The expression as written.
    fn source(&self, expr: &Expression) -> String {
        match expr.span().and_then(|s| self.text.get(s)) {
            Some(written) => written.to_owned(),
            None => expr.to_string().trim().to_owned(),
        }
    }

    /// How a computed value is shown: `${<expression as written>}`.
    fn computed(&self, expr: &Expression) -> String {
        format!("${{{}}}", self.source(expr))
    }
}

/// The text of a template made of literals only (escapes already resolved by the parser).
fn literal_text(template: &Template) -> Option<String> {
    template
        .iter()
        .map(|element| match element {
            Element::Literal(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn number(n: &hcl::Number, negate: bool) -> Value {
    let integer = match (negate, n.as_i64(), n.as_u64()) {
        (false, _, Some(u)) => Some(Value::from(u)),
        (false, Some(i), _) => Some(Value::from(i)),
        (true, Some(i), _) => i.checked_neg().map(Value::from),
        _ => None,
    };
    // `Value::from(f64)` is null for NaN and infinities, which HCL cannot write anyway.
    integer.unwrap_or_else(|| {
        n.as_f64()
            .map_or(Value::Null, |f| Value::from(if negate { -f } else { f }))
    })
}

/// Terraform's `jsonencode` writes object keys in lexical order.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let ordered: BTreeMap<String, Value> = map.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(ordered.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}
