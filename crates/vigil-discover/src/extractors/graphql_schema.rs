//! GraphQL schema files (`*.graphql`, `*.graphqls`, `*.gql`): the fields of the root operation types
//! (`Query`, `Mutation`, `Subscription`, and `extend type` of them, or the types a `schema { ... }` block
//! names) are the API's endpoints. Method `QUERY`/`MUTATION`/`SUBSCRIPTION`, path the field name.
//!
//! Authentication: a directive on the field or its type that names authentication (`@auth`,
//! `@authenticated`, `@requiresAuth`, `@hasRole`, `@aws_cognito_user_pools`...) is a guard; `@public` or
//! `@aws_api_key`... are not. Without a directive the schema does not say: resolvers may check.
//! A line-based reader: comments, descriptions (`"..."`/`"""..."""`) and field arguments spanning lines are
//! handled; nothing else of the SDL is needed for endpoints.

use std::collections::BTreeMap;

use serde_json::Value;
use vigil_core::{Asset, AssetId, AssetKind};

use crate::extract::{ExtractError, Extractor, Output, SourceFile};

#[derive(Debug)]
pub struct GraphqlSchema;

const AUTH_DIRECTIVES: [&str; 9] = [
    "auth",
    "authenticated",
    "requiresauth",
    "isauthenticated",
    "hasrole",
    "hasscope",
    "aws_cognito_user_pools",
    "aws_iam",
    "aws_oidc",
];

impl Extractor for GraphqlSchema {
    fn name(&self) -> &'static str {
        "graphql/schema"
    }

    fn claims(&self, _path: &str, file_name: &str) -> bool {
        let lower = file_name.to_ascii_lowercase();
        lower.ends_with(".graphql") || lower.ends_with(".graphqls") || lower.ends_with(".gql")
    }

    fn extract(&self, file: &SourceFile<'_>, out: &mut Output) -> Result<(), ExtractError> {
        let text = strip_descriptions(file.text);
        let roots = root_types(&text);
        let mut current: Option<(String, Option<bool>)> = None;
        let mut depth = 0usize;
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if depth == 0 {
                if let Some((operation, type_guard)) = root_header(line, &roots) {
                    current = Some((operation, type_guard));
                }
                depth += line.matches('{').count();
                depth = depth.saturating_sub(line.matches('}').count());
                continue;
            }
            // Inside a type: a field starts at depth 1 with `name` or `name(`.
            if depth == 1
                && let Some((operation, type_guard)) = &current
                && let Some(field) = field_name(line)
            {
                let guard = directive_guard(line).or(*type_guard);
                let route = format!("{operation} {field}");
                let id = AssetId::from_parts(AssetKind::ApiEndpoint, &[file.path, &route]);
                let mut asset = Asset::new(
                    AssetKind::ApiEndpoint,
                    id,
                    route,
                    file.evidence(Some(index as u32 + 1)),
                )
                .with("method", operation.clone())
                .with("path", field)
                .with("framework", "graphql");
                asset
                    .attributes
                    .insert("authenticated".into(), guard.map_or(Value::Null, Value::Bool));
                asset.attributes.insert("handler".into(), Value::Null);
                asset.attributes.insert("guard".into(), Value::Null);
                out.assets.push(asset);
            }
            depth += line.matches(['{', '(']).count();
            depth = depth.saturating_sub(line.matches(['}', ')']).count());
            if depth == 0 {
                current = None;
            }
        }
        Ok(())
    }
}

/// Names of the root operation types: `schema { query: Q ... }`, else the conventional names.
fn root_types(text: &str) -> BTreeMap<String, String> {
    let mut roots = BTreeMap::new();
    if let Some(start) = text.find("schema") {
        let rest = &text[start..];
        if let (Some(open), Some(close)) = (rest.find('{'), rest.find('}'))
            && open < close
        {
            for entry in rest[open + 1..close].split(['\n', ',']) {
                if let Some((operation, name)) = entry.split_once(':') {
                    roots.insert(name.trim().to_owned(), operation.trim().to_ascii_uppercase());
                }
            }
        }
    }
    if roots.is_empty() {
        for operation in ["Query", "Mutation", "Subscription"] {
            roots.insert(operation.to_owned(), operation.to_ascii_uppercase());
        }
    }
    roots
}

/// `type Query @auth {` / `extend type Mutation {`: the operation and a type-level guard.
fn root_header(line: &str, roots: &BTreeMap<String, String>) -> Option<(String, Option<bool>)> {
    let rest = line.strip_prefix("extend ").unwrap_or(line);
    let rest = rest.strip_prefix("type ")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let operation = roots.get(&name)?;
    Some((operation.clone(), directive_guard(rest)))
}

fn field_name(line: &str) -> Option<String> {
    let name: String = line
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let after = line[name.len()..].trim_start();
    (!name.is_empty() && (after.starts_with(':') || after.starts_with('('))).then_some(name)
}

/// `Some(true)` for an authentication directive, `Some(false)` for an explicitly public one.
fn directive_guard(text: &str) -> Option<bool> {
    let mut verdict = None;
    for directive in text.split('@').skip(1) {
        let name: String = directive
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<String>()
            .to_ascii_lowercase();
        if AUTH_DIRECTIVES.contains(&name.as_str()) {
            return Some(true);
        }
        if matches!(name.as_str(), "public" | "aws_api_key" | "allowanonymous") {
            verdict = Some(false);
        }
    }
    verdict
}

/// Replaces descriptions (`"..."` and `"""..."""`) with blanks, keeping line breaks so lines stay right.
fn strip_descriptions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let (delimiter, skip) = if after.starts_with("\"\"\"") {
            ("\"\"\"", 3)
        } else {
            ("\"", 1)
        };
        let body = &after[skip..];
        let Some(end) = body.find(delimiter) else {
            rest = "";
            break;
        };
        out.extend(body[..end].chars().filter(|c| *c == '\n'));
        rest = &body[end + delimiter.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_keep_line_breaks() {
        assert_eq!(
            strip_descriptions("a \"x\" b\n\"\"\"\nmulti\n\"\"\"\nc"),
            "a  b\n\n\n\nc"
        );
        assert_eq!(directive_guard("me: User @auth(requires: USER)"), Some(true));
        assert_eq!(directive_guard("products: [Product] @public"), Some(false));
        assert_eq!(field_name("orders(first: Int): [Order]"), Some("orders".into()));
        assert_eq!(field_name("}"), None);
    }
}
