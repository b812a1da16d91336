//! Terraform configuration (`*.tf`): one asset per `resource`, `data`, `provider` and `module` block.
//!
//! Parsed with hcl-rs' editor parser, which keeps byte spans, so every asset points at its block header and
//! `attribute_lines` at each attribute and nested block (`ingress.0.cidr_blocks`). Nothing is evaluated:
//! literals become JSON, anything computed (references, calls, interpolated templates) becomes the string
//! `${<source>}` so rules can tell a value from an expression. `jsonencode(<value>)` becomes the JSON text
//! Terraform would produce (computed parts inside it stay `${...}` strings), so IAM policy rules read it like a policy string. A Terraform module is a
//! directory, hence ids of the form `cloud-resource:<module dir>:<address>`. The attribute layout is read
//! as-is by the cloud threat rules.
//!
//! Attributes of every asset: `provider` (the type's prefix, `aws`, `azurerm`, `google`...; `terraform`
//! for modules), `resource_type`, `resource_name`, `address` (`aws_s3_bucket.logs`,
//! `data.aws_iam_policy_document.x`, `provider.aws.west`, `module.vpc`), `module_dir`, `mode` (`managed`,
//! `data`, `provider` or `module`), `config` and, when something was substituted, `resolved`. IAM and role
//! types of the three clouds (`aws_iam_*`, `azurerm_role_*`, `azuread_*`, `google_*_iam_*`, service
//! accounts and managed identities) are `identity` assets, everything else `cloud-resource`.
//!
//! Literal variables are resolved: `variable "x" { default = <literal> }`, values of `terraform.tfvars` and
//! `terraform.tfvars.json` (which override defaults), and `locals { y = <literal> }` (a local whose value
//! becomes literal once other variables and locals are substituted counts too) replace `var.x` and
//! `local.y` wherever the whole expression is such a reference (`var.tags.env`, `var.zones[0]` too) and
//! inside string templates (`"${var.env}-logs"` reads `"prod-logs"`; other interpolations stay as
//! written). `resolved: ["local.y", "var.x"]` lists what was substituted in the asset; computed values
//! and references to anything else stay `${...}`. Definitions are read from this file and from the usual
//! sibling files of its directory (`main.tf`, `variables.tf`, `vars.tf`, `locals.tf`, ...: the extractor
//! API reads files by name, it cannot list a directory, so `*.auto.tfvars` and oddly named `.tf` files are
//! not consulted). This assumes no `-var`/`-var-file`/`TF_VAR_` overrides, and in a child module the
//! defaults are what it uses when its caller passes nothing.
//!
//! A `module` block is a `cloud-resource` with `mode: "module"`, `resource_type: "module"`, `source` and
//! `version` as written (`null` when absent), `config` its inputs (the other arguments), and how its code
//! is fetched: `source_kind` (`local` for `./` and `../` paths, `registry` for `namespace/name/provider`
//! with an optional registry host, `git` for `git::`, `github.com/`, `bitbucket.org/`, `git@`, `hg`,
//! `http`, `s3`, `gcs`, or `unknown`), `ref` (the `?ref=` of a fetched source, or `null`) and `pinned`
//! (local: true; registry: a `version` is given; other sources: a `?ref=` is given). `pinned` does not
//! judge the constraint or ref itself (`~> 5.0`, a branch name): rules read `version` and `ref` for that.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use hcl::edit::Span;
use hcl::edit::expr::{Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl::edit::structure::{Block, Body, Structure};
use hcl::edit::template::{Element, Strip, Template};
use serde_json::{Map, Value};
use vigil_core::{Asset, AssetId, AssetKind, LineIndex};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct Terraform;

/// Resource types that grant or hold permissions rather than host workloads or data (Google's IAM types
/// are also recognised by their `_iam_` infix: `google_storage_bucket_iam_member`).
const IDENTITY_PREFIXES: [&str; 9] = [
    "aws_iam_",
    "aws_ssoadmin_",
    "aws_identitystore_",
    "azurerm_role_",
    "azurerm_pim_",
    "azuread_",
    "google_project_iam_",
    "google_service_account",
    "google_iam_",
];

const IDENTITY_TYPES: [&str; 3] = [
    "azurerm_user_assigned_identity",
    "azurerm_federated_identity_credential",
    "azurerm_key_vault_access_policy",
];

/// Sibling files where a module directory conventionally defines its variables and locals.
const SIBLING_FILES: [&str; 9] = [
    "main.tf",
    "variables.tf",
    "variable.tf",
    "vars.tf",
    "locals.tf",
    "local.tf",
    "inputs.tf",
    "defaults.tf",
    "terraform.tf",
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
        let lines = LineIndex::new(file.text);
        let scope = Scope::collect(file, &body, &lines, out);
        let source = Source {
            text: file.text,
            lines: &lines,
            scope: &scope,
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
                ("module", [name]) => Declared {
                    mode: "module",
                    kind: AssetKind::CloudResource,
                    provider: "terraform",
                    resource_type: "module",
                    resource_name: Some(name),
                    address: format!("module.{name}"),
                },
                (ident @ ("resource" | "data" | "provider" | "module"), _) => {
                    let wanted = match ident {
                        "provider" => "one label (the provider)",
                        "module" => "one label (the module name)",
                        _ => "two labels (type and name)",
                    };
                    out.diagnostics
                        .push(file.warning(line, format!("`{ident}` block needs {wanted}; skipped")));
                    continue;
                }
                _ => continue, // variable, output, locals, terraform: read for resolution, not assets
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
        let kind = if is_identity(resource_type) {
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
        let mut sink = Sink::default();
        let mut config = source.body(&block.body, "", &mut sink);
        let id = AssetId::from_parts(self.kind, &[module_dir, &self.address]);
        let mut asset = Asset::new(self.kind, id, self.address.clone(), file.evidence(line))
            .with("provider", self.provider)
            .with("resource_type", self.resource_type)
            .with("resource_name", self.resource_name)
            .with("address", self.address)
            .with("module_dir", module_dir)
            .with("mode", self.mode);
        if self.mode == "module" {
            let source = config.remove("source").unwrap_or(Value::Null);
            let version = config.remove("version").unwrap_or(Value::Null);
            let fetched = ModuleSource::classify(source.as_str(), version.as_str());
            asset = asset
                .with("source", source)
                .with("version", version)
                .with("source_kind", fetched.kind)
                .with("ref", fetched.reference)
                .with("pinned", fetched.pinned);
        }
        asset = asset.with("config", Value::Object(config));
        if !sink.resolved.is_empty() {
            asset = asset.with("resolved", sink.resolved.into_iter().collect::<Vec<_>>());
        }
        asset.attribute_lines = sink.lines;
        asset
    }
}

fn is_identity(resource_type: &str) -> bool {
    IDENTITY_PREFIXES.iter().any(|p| resource_type.starts_with(p))
        || IDENTITY_TYPES.contains(&resource_type)
        || (resource_type.starts_with("google_") && resource_type.contains("_iam_"))
        || (resource_type.starts_with("azurerm_")
            && (resource_type.ends_with("_role_assignment") || resource_type.ends_with("_role_definition")))
}

/// Where a module's code comes from and whether it is fixed to one version.
struct ModuleSource {
    kind: &'static str,
    reference: Option<String>,
    pinned: bool,
}

impl ModuleSource {
    /// Follows Terraform's source address forms: local paths, forced getters (`git::`), the shorthands it
    /// detects (`github.com/`, `git@`, S3 and GCS hosts, URLs), then registry addresses.
    fn classify(source: Option<&str>, version: Option<&str>) -> Self {
        let Some(source) = source.filter(|s| !s.contains("${")) else {
            return Self {
                kind: "unknown",
                reference: None,
                pinned: false,
            };
        };
        if [".", ".."].contains(&source) || ["./", "../", ".\\", "..\\"].iter().any(|p| source.starts_with(p))
        {
            return Self {
                kind: "local",
                reference: None,
                pinned: true,
            };
        }
        let (getter, address) = match source.split_once("::") {
            Some((getter, rest))
                if !getter.is_empty() && getter.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                (Some(getter), rest)
            }
            _ => (None, source),
        };
        let kind = match getter {
            Some("git") => "git",
            Some("hg") => "hg",
            Some("s3") => "s3",
            Some("gcs") => "gcs",
            Some("http" | "https") => "http",
            Some(_) => "unknown",
            None if ["git@", "github.com/", "bitbucket.org/", "ssh://"]
                .iter()
                .any(|p| address.starts_with(p)) =>
            {
                "git"
            }
            None if address.contains(".amazonaws.com/") => "s3",
            None if address.starts_with("www.googleapis.com/storage/") => "gcs",
            None if address.starts_with("http://") || address.starts_with("https://") => "http",
            None if is_registry_address(address) => "registry",
            None => "unknown",
        };
        let reference = query_parameter(address, "ref");
        let pinned = match kind {
            "registry" => version.is_some_and(|v| !v.trim().is_empty()),
            _ => reference.is_some(),
        };
        Self {
            kind,
            reference,
            pinned,
        }
    }
}

/// `namespace/name/provider`, optionally behind a registry host (`app.terraform.io/acme/vpc/aws`) and
/// followed by a `//subdirectory`.
fn is_registry_address(address: &str) -> bool {
    let module = address.split("//").next().unwrap_or(address);
    let parts: Vec<&str> = module.split('/').collect();
    let name_like = |part: &&str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    match parts.as_slice() {
        [_, _, _] => parts.iter().all(name_like),
        [host, rest @ ..] => host.contains('.') && rest.len() == 3 && rest.iter().all(name_like),
        [] => false,
    }
}

fn query_parameter(address: &str, name: &str) -> Option<String> {
    let (_, query) = address.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| {
            pair.split_once('=')
                .filter(|(key, value)| *key == name && !value.is_empty())
        })
        .map(|(_, value)| value.to_owned())
}

/// What reading a block collects besides its config: the line of each attribute path, and the variables
/// and locals substituted.
#[derive(Debug, Default)]
struct Sink {
    lines: BTreeMap<String, u32>,
    resolved: BTreeSet<String>,
}

/// Literal values of `var.<name>` and `local.<name>` in one module directory.
#[derive(Debug, Default)]
struct Scope {
    vars: HashMap<String, Value>,
    locals: HashMap<String, Value>,
}

impl Scope {
    /// Variable defaults and locals of this file and its conventional siblings, then `terraform.tfvars`
    /// (and `.json`) over the defaults. Siblings that do not parse are skipped: they get their own error
    /// when the walk reaches them.
    fn collect(file: &SourceFile<'_>, body: &Body, lines: &LineIndex, out: &mut Output) -> Self {
        let mut scope = Scope::default();
        if !(file.text.contains("var.") || file.text.contains("local.")) {
            return scope;
        }
        let own_name = file.path.rsplit('/').next().unwrap_or(file.path);
        let siblings: Vec<String> = SIBLING_FILES
            .iter()
            .filter(|name| **name != own_name)
            .filter_map(|name| file.read_sibling(name, out))
            .map(|(_, text)| text)
            .collect();
        let parsed: Vec<(&str, LineIndex, Body)> = siblings
            .iter()
            .filter_map(|text| {
                let body = hcl::edit::parser::parse_body(text).ok()?;
                Some((text.as_str(), LineIndex::new(text), body))
            })
            .collect();
        let modules = parsed
            .iter()
            .map(|(text, lines, body)| (*text, lines, body))
            .chain(std::iter::once((file.text, lines, body)));

        let empty = Scope::default();
        let mut pending: Vec<(String, &Expression, &str, &LineIndex)> = Vec::new();
        for (text, lines, body) in modules {
            let source = Source {
                text,
                lines,
                scope: &empty,
            };
            for block in body.iter().filter_map(Structure::as_block) {
                match (block.ident.as_str(), block.labels.as_slice()) {
                    ("variable", [name]) => {
                        let default = block.body.get_attribute("default");
                        if let Some((value, true)) =
                            default.map(|d| source.value(&d.value, None, &mut Sink::default()))
                        {
                            scope.vars.insert(name.as_str().to_owned(), value);
                        }
                    }
                    ("locals", []) => {
                        for attribute in block.body.iter().filter_map(Structure::as_attribute) {
                            pending.push((attribute.key.as_str().to_owned(), &attribute.value, text, lines));
                        }
                    }
                    _ => {}
                }
            }
        }
        scope.read_tfvars(file, out);

        // A local may use other locals: substitute until nothing more becomes literal.
        while !pending.is_empty() {
            let mut found = Vec::new();
            pending.retain(|(name, expr, text, lines)| {
                let source = Source {
                    text,
                    lines,
                    scope: &scope,
                };
                match source.value(expr, None, &mut Sink::default()) {
                    (value, true) => {
                        found.push((name.clone(), value));
                        false
                    }
                    _ => true,
                }
            });
            if found.is_empty() {
                break;
            }
            scope.locals.extend(found);
        }
        scope
    }

    fn read_tfvars(&mut self, file: &SourceFile<'_>, out: &mut Output) {
        if let Some((path, text)) = file.read_sibling("terraform.tfvars", out) {
            match hcl::edit::parser::parse_body(&text) {
                Ok(body) => {
                    let lines = LineIndex::new(&text);
                    let empty = Scope::default();
                    let source = Source {
                        text: &text,
                        lines: &lines,
                        scope: &empty,
                    };
                    for attribute in body.iter().filter_map(Structure::as_attribute) {
                        if let (value, true) = source.value(&attribute.value, None, &mut Sink::default()) {
                            self.vars.insert(attribute.key.as_str().to_owned(), value);
                        }
                    }
                }
                Err(e) => out.diagnostics.push(file.warning(
                    None,
                    format!(
                        "{path}:{}: invalid HCL: {}; its values are not used",
                        e.location().line(),
                        e.message()
                    ),
                )),
            }
        }
        if let Some((path, text)) = file.read_sibling("terraform.tfvars.json", out) {
            match serde_json::from_str::<Map<String, Value>>(&text) {
                Ok(values) => self.vars.extend(values),
                Err(e) => out.diagnostics.push(file.warning(
                    None,
                    format!("{path}:{}: invalid JSON: {e}; its values are not used", e.line()),
                )),
            }
        }
    }

    /// The literal a `var.x` / `local.y` reference (with attribute and literal index steps) stands for,
    /// and the name substituted.
    fn lookup(&self, expr: &Expression) -> Option<(Value, String)> {
        let Expression::Traversal(traversal) = expr else {
            return None;
        };
        let Expression::Variable(root) = &traversal.expr else {
            return None;
        };
        let table = match root.as_str() {
            "var" => &self.vars,
            "local" => &self.locals,
            _ => return None,
        };
        let mut operators = traversal.operators.iter().map(|o| o.value());
        let Some(TraversalOperator::GetAttr(name)) = operators.next() else {
            return None;
        };
        let mut value = table.get(name.as_str())?;
        for operator in operators {
            value = match operator {
                TraversalOperator::GetAttr(key) => value.get(key.as_str())?,
                TraversalOperator::Index(Expression::Number(n)) => {
                    value.get(usize::try_from(n.value().as_u64()?).ok()?)?
                }
                TraversalOperator::Index(Expression::String(key)) => value.get(key.value().as_str())?,
                TraversalOperator::LegacyIndex(index) => value.get(usize::try_from(*index.value()).ok()?)?,
                _ => return None,
            };
        }
        Some((value.clone(), format!("{}.{}", root.as_str(), name.as_str())))
    }
}

/// A file's text, for expression sources and lines, and the literals its references resolve to.
struct Source<'t> {
    text: &'t str,
    lines: &'t LineIndex,
    scope: &'t Scope,
}

impl Source<'_> {
    fn line(&self, span: Option<Range<usize>>) -> Option<u32> {
        span.map(|s| self.lines.line(s.start))
    }

    fn record(&self, path: &str, span: Option<Range<usize>>, sink: &mut Sink) {
        if let Some(line) = self.line(span) {
            sink.lines.insert(path.to_owned(), line);
        }
    }

    /// A block body as a JSON object; nested blocks are always arrays of objects, since most block types
    /// may repeat and rules should not care whether this file happened to write one or two.
    fn body(&self, body: &Body, prefix: &str, sink: &mut Sink) -> Map<String, Value> {
        let mut map = Map::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let key = attribute.key.as_str();
                    let path = join(prefix, key);
                    self.record(&path, attribute.span(), sink);
                    map.insert(key.to_owned(), self.value(&attribute.value, Some(&path), sink).0);
                }
                Structure::Block(block) => {
                    let key = block.ident.as_str();
                    let index = map.get(key).and_then(Value::as_array).map_or(0, Vec::len);
                    let path = format!("{}.{index}", join(prefix, key));
                    self.record(&path, block.span(), sink);
                    let mut object = Map::new();
                    if !block.labels.is_empty() {
                        let labels = block.labels.iter().map(|l| Value::from(l.as_str())).collect();
                        object.insert("__labels".to_owned(), Value::Array(labels));
                    }
                    object.extend(self.body(&block.body, &path, sink));
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
    fn value(&self, expr: &Expression, path: Option<&str>, sink: &mut Sink) -> (Value, bool) {
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
                        self.record(p, item.span(), sink);
                    }
                    let (value, item_literal) = self.value(item, item_path.as_deref(), sink);
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
                        ObjectKey::Expression(key) => match self.value(key, None, sink) {
                            (Value::String(s), l) => (s, l),
                            (other, l) => (other.to_string(), l),
                        },
                    };
                    let value_path = path.map(|p| join(p, &key_text));
                    if let Some(p) = &value_path {
                        self.record(p, key.span(), sink);
                    }
                    let (value, value_literal) = self.value(value.expr(), value_path.as_deref(), sink);
                    literal &= key_literal && value_literal;
                    map.insert(key_text, value);
                }
                (Value::Object(map), literal)
            }
            Expression::StringTemplate(template) => match literal_text(template) {
                Some(text) => (Value::String(text), true),
                None => {
                    let inside_quotes = expr.span().map(|s| s.start + 1..s.end.saturating_sub(1));
                    if let Some((text, literal)) = self.substitute(template, inside_quotes, sink) {
                        return (Value::String(text), literal);
                    }
                    // The template as written, without its quotes: `"${var.env}-logs"` -> `${var.env}-logs`.
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
                    if let Some((text, literal)) =
                        self.substitute(&heredoc.template, heredoc.template.span(), sink)
                    {
                        return (Value::String(text), literal);
                    }
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
                match call.args.iter().next().map(|arg| self.value(arg, None, sink)) {
                    Some((value, literal)) => match serde_json::to_string(&sorted(value)) {
                        Ok(json) => (Value::String(json), literal),
                        Err(_) => (Value::String(self.computed(expr)), false),
                    },
                    None => (Value::String(self.computed(expr)), false),
                }
            }
            Expression::Traversal(_) => match self.scope.lookup(expr) {
                Some((value, name)) => {
                    sink.resolved.insert(name);
                    (value, true)
                }
                None => (Value::String(self.computed(expr)), false),
            },
            _ => (Value::String(self.computed(expr)), false),
        }
    }

    /// The template with its `var`/`local` interpolations replaced by literal scalars, and whether nothing
    /// computed is left; `None` when nothing could be replaced. While something computed is left, the
    /// result is the template as written (`written`, a span of the file) with the replacements made.
    fn substitute(
        &self,
        template: &Template,
        written: Option<Range<usize>>,
        sink: &mut Sink,
    ) -> Option<(String, bool)> {
        let mut literal = String::new();
        let mut complete = true;
        let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
        let mut names = Vec::new();
        for element in template.iter() {
            match element {
                Element::Literal(text) => literal.push_str(text.as_str()),
                Element::Interpolation(interpolation) => {
                    // `${~ x ~}` also trims the text around it; not worth imitating.
                    let found = (interpolation.strip == Strip::None)
                        .then(|| self.scope.lookup(&interpolation.expr))
                        .flatten()
                        .and_then(|(value, name)| template_text(&value).map(|text| (text, name)));
                    match (found, interpolation.span()) {
                        (Some((text, name)), Some(span)) => {
                            literal.push_str(&text);
                            replacements.push((span, text));
                            names.push(name);
                        }
                        _ => complete = false,
                    }
                }
                Element::Directive(_) => complete = false,
            }
        }
        if names.is_empty() {
            return None;
        }
        let text = if complete {
            literal
        } else {
            let written = written?;
            let mut text = String::new();
            let mut at = written.start;
            for (span, value) in replacements {
                text.push_str(self.text.get(at..span.start)?);
                text.push_str(&value);
                at = span.end;
            }
            text.push_str(self.text.get(at..written.end)?);
            text
        };
        sink.resolved.extend(names);
        Some((text, complete))
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

/// How Terraform writes a scalar into a template; collections and null cannot be interpolated.
fn template_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
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
