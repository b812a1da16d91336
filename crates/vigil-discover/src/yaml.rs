//! The YAML reader shared by the YAML extractors (GitHub workflows, CloudFormation, Serverless, Compose...).
//!
//! Documents are read into a generic spanned tree ([`Node`]) rather than typed structs: CI and IaC keys take
//! several shapes, and serde loses spans inside untagged enums. Every node, keys included, carries the line
//! it was written on. Scalars follow YAML 1.2 (`strict_booleans`: `on`, `yes` and `no` are strings), as
//! GitHub, the Compose specification and js-yaml read them. serde-saphyr's default budgets stay on, so alias
//! bombs and absurd nesting become errors rather than memory exhaustion. Application tags (`!Ref X`,
//! `!reference [...]`) are kept as [`Node::Tagged`]; the core tags (`!!str`, `!!map`, ...) are not, since
//! they only restate the node's type. Nothing is resolved: aliases are expanded by the parser, `<<` merges are
//! applied, and tags are left for the caller to interpret.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
pub use serde_saphyr::Spanned;
use serde_saphyr::Tagged;

use crate::extract::{ExtractError, SourceFile};

/// A YAML node with the location of every child, keys included.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
    /// A node with an application tag, as written (`!Ref`, `!Sub`, `!reference`).
    Tagged(String, Box<Node>),
}

/// A mapping's entries, in file order (duplicates are rejected by the parser).
pub type Entries = [(Spanned<Node>, Spanned<Node>)];

impl Node {
    /// The node without its application tag; readers that do not care about tags use this.
    pub fn untagged(&self) -> &Node {
        let mut node = self;
        while let Node::Tagged(_, inner) = node {
            node = inner;
        }
        node
    }

    pub fn tag(&self) -> Option<&str> {
        match self {
            Node::Tagged(tag, _) => Some(tag),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&Entries> {
        match self.untagged() {
            Node::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Spanned<Node>]> {
        match self.untagged() {
            Node::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self.untagged() {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.untagged() {
            Node::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.untagged(), Node::Null)
    }

    /// "a mapping", "a list", ...: for messages.
    pub fn describe(&self) -> &'static str {
        match self.untagged() {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::String(_) => "a string",
            Node::Seq(_) => "a list",
            Node::Map(_) | Node::Tagged(..) => "a mapping",
        }
    }
}

/// Parses one YAML document. An empty file (or only comments and `---`) is [`Node::Null`]; a syntax
/// error or an exceeded budget is an error naming its line, prefixed `invalid YAML:`.
pub fn parse(file: &SourceFile<'_>) -> Result<Spanned<Node>, ExtractError> {
    serde_saphyr::from_str_with_options(file.text, options()).map_err(|e| error(file, &e))
}

/// Parses every document of a multi-document stream (`---` separated), in order.
pub fn parse_documents(file: &SourceFile<'_>) -> Result<Vec<Spanned<Node>>, ExtractError> {
    serde_saphyr::from_multiple_with_options(file.text, options()).map_err(|e| error(file, &e))
}

/// Configuration files never nest this deep; serde's recursive descent over deeper input costs stack that a
/// worker thread may not have (a hostile file must be an error, never an abort).
const MAX_DEPTH: usize = 32;

fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    let mut budget = options.budget.take().unwrap_or_default();
    budget.max_depth = MAX_DEPTH;
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.with_snippet = false;
    // One odd `.inf` must not make the whole document unreadable.
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::AsString;
    options
}

fn error(file: &SourceFile<'_>, e: &serde_saphyr::Error) -> ExtractError {
    let line = e
        .location()
        .and_then(|l| u32::try_from(l.line()).ok())
        .filter(|l| *l > 0);
    let message = e.to_string();
    let first = message.lines().next().unwrap_or_default().trim();
    file.error(line, format!("invalid YAML: {first}"))
}

/// The 1-based line the node was written on (for an alias, where the alias is used).
pub fn line_of(node: &Spanned<Node>) -> u32 {
    u32::try_from(node.referenced.line()).unwrap_or(u32::MAX)
}

/// The entry whose key reads `key`, as (key, value).
pub fn get<'n>(entries: &'n Entries, key: &str) -> Option<(&'n Spanned<Node>, &'n Spanned<Node>)> {
    entries
        .iter()
        .find(|(k, _)| key_text(k) == key)
        .map(|(k, v)| (k, v))
}

/// The value under `key` when `node` is a mapping.
pub fn field<'n>(node: &'n Spanned<Node>, key: &str) -> Option<&'n Spanned<Node>> {
    node.value
        .as_map()
        .and_then(|entries| get(entries, key))
        .map(|(_, v)| v)
}

/// A scalar as text (mapping keys, event names); collections as compact JSON; tags dropped.
pub fn key_text(node: &Spanned<Node>) -> Cow<'_, str> {
    text(&node.value)
}

fn text(node: &Node) -> Cow<'_, str> {
    match node.untagged() {
        Node::String(s) => Cow::Borrowed(s),
        Node::Null => Cow::Borrowed(""),
        Node::Bool(b) => Cow::Owned(b.to_string()),
        Node::Number(n) => Cow::Owned(n.to_string()),
        other => Cow::Owned(plain_json(other).to_string()),
    }
}

/// The node as JSON, application tags dropped (`!Ref X` becomes `"X"`).
pub fn to_json(node: &Spanned<Node>) -> Value {
    plain_json(&node.value)
}

/// The node as JSON, tags dropped, recording the line of every mapping key and list item below `path`
/// (`ports.0`, `environment.DB_PASSWORD`) in `lines`.
pub fn to_json_lines(node: &Spanned<Node>, path: &str, lines: &mut BTreeMap<String, u32>) -> Value {
    match node.value.untagged() {
        Node::Seq(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let child = join_path(path, &index.to_string());
                    lines.insert(child.clone(), line_of(item));
                    to_json_lines(item, &child, lines)
                })
                .collect(),
        ),
        Node::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(key, value)| {
                    let name = key_text(key).into_owned();
                    let child = join_path(path, &name);
                    lines.insert(child.clone(), line_of(key));
                    (name, to_json_lines(value, &child, lines))
                })
                .collect(),
        ),
        other => plain_json(other),
    }
}

fn plain_json(node: &Node) -> Value {
    match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Number(n) => Value::Number(n.clone()),
        Node::String(s) => Value::String(s.clone()),
        Node::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Node::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (key_text(k).into_owned(), to_json(v)))
                .collect(),
        ),
        Node::Tagged(_, inner) => plain_json(inner),
    }
}

/// `prefix.key`, or `key` at the top: the attribute paths of `attribute_lines`.
pub fn join_path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Whether a tag only restates a core type (`!!str`, `tag:yaml.org,2002:int`, the non-specific `!`).
fn is_core_tag(tag: &str) -> bool {
    tag == "!"
        || tag.starts_with("!!")
        || tag.starts_with("tag:yaml.org,2002:")
        || tag.starts_with("!<tag:yaml.org")
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Tagged(Untagged(node), tag) = Tagged::<Untagged>::deserialize(deserializer)?;
        Ok(match tag {
            Some(tag) if !is_core_tag(&tag) => Node::Tagged(tag, Box::new(node)),
            _ => node,
        })
    }
}

/// A node read without looking at its tag (the tag is read by [`Node`]'s `Deserialize`).
struct Untagged(Node);

impl<'de> Deserialize<'de> for Untagged {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor).map(Untagged)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or_else(|_| Node::String(v.to_string()), |v| Node::Number(v.into())))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(u64::try_from(v).map_or_else(|_| Node::String(v.to_string()), |v| Node::Number(v.into())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(serde_json::Number::from_f64(v).map_or_else(|| Node::String(v.to_string()), Node::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::String(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}
