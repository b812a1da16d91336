//! Actix-web: route attribute macros on handler functions (`#[get("/x")]`, `#[post]`, ...,
//! `#[route("/x", method = "GET", method = "POST")]`, also spelled `#[actix_web::get(...)]`) and the builder
//! (`App::new().route("/x", web::get().to(h))`, `web::resource("/x").route(web::post().to(h))`,
//! `web::resource("/x").to(h)` for every method, `.service(web::scope("/api").route(...))`). A macro-routed
//! handler registered in this file with `.service(handler)` inside a scope gets the scope's prefix (one
//! endpoint per registration); one registered nowhere in the file keeps its own path.
//!
//! Authentication: a `.wrap(...)` whose argument is an authentication middleware
//! (`HttpAuthentication::bearer(validator)`, or anything that `looks_like_auth`) on the resource, scope or
//! app that contains the route, or a `wrap = "..."` in the route macro, marks the route authenticated.
//! Actix applies `wrap` to everything registered on that app or scope whatever the call order, so the whole
//! builder expression counts, not only the calls before the route. So does a handler parameter whose type is
//! an authentication extractor (`BearerAuth`, `BasicAuth`, `Identity`, `AuthenticatedUser`,
//! `ReqData<Claims>`; `Option<...>` is not a guard, nor are body and path extractors such as
//! `Json<LoginRequest>`). Otherwise unknown: middleware can be added where the app is assembled in another
//! file, and guards can sit in `FromRequest` implementations whose names say nothing.
//!
//! Known gaps: scopes and resources stored in variables or built by `configure(fn)` in another function do
//! not pass their prefix or middleware on; `#[scope]` modules and `default_service` are not read.
//!
//! The Rust helpers shared with [`super::axum`] live here.

use std::collections::HashMap;

use tree_sitter::Node;

use super::{Framework, imports_any, looks_like_auth};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct Actix;

/// Route macros and builder route functions named after their method.
const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "trace"];

impl Framework for Actix {
    fn name(&self) -> &'static str {
        "actix"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Rust && imports_any(source.imports, &["actix_web"])
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        let nodes = descendants(file.root());
        let extractors = extractor_guards(file, &nodes);
        // Many services share one builder expression: its context is computed once.
        let mut contexts: HashMap<usize, Context> = HashMap::new();
        let mut context_of = |top: Node<'_>| {
            contexts
                .entry(top.id())
                .or_insert_with(|| context(file, top))
                .clone()
        };
        let mut registered: HashMap<&str, Vec<Context>> = HashMap::new();
        for node in &nodes {
            let Some((_, "service", arguments)) = method_call(file, *node) else {
                continue;
            };
            let services = arguments.iter().flat_map(|a| {
                if a.kind() == "tuple_expression" {
                    named_children(*a)
                } else {
                    vec![*a]
                }
            });
            for service in services
                .filter(|s| matches!(s.kind(), "identifier" | "scoped_identifier"))
                .collect::<Vec<_>>()
            {
                registered
                    .entry(last_segment(file.text_of(service)))
                    .or_default()
                    .push(context_of(chain_top(*node)));
            }
        }
        let mut push =
            |method: String, path: String, handler: Option<String>, guard: Option<String>, node: Node<'_>| {
                let extractor = handler
                    .as_deref()
                    .and_then(|h| extractors.get(last_segment(h)))
                    .cloned();
                let guard = guard.or(extractor);
                out.push(Endpoint {
                    method,
                    path,
                    authenticated: guard.as_ref().map(|_| true),
                    handler,
                    guard,
                    framework: "actix",
                    line: line(node),
                });
            };
        for node in &nodes {
            match node.kind() {
                "function_item" => {
                    let Some(name) = node.child_by_field_name("name").map(|n| file.text_of(n)) else {
                        continue;
                    };
                    for (attribute, methods, path, wrap) in route_attributes(file, *node) {
                        let contexts = registered
                            .get(name)
                            .cloned()
                            .unwrap_or_else(|| vec![Context::default()]);
                        for context in contexts {
                            for method in &methods {
                                let guard = wrap.clone().or_else(|| context.guard.clone());
                                push(
                                    method.clone(),
                                    join(&context.prefix, &path),
                                    Some(name.to_owned()),
                                    guard,
                                    attribute,
                                );
                            }
                        }
                    }
                }
                "call_expression" => {
                    // `app_or_scope.route("/x", web::get().to(h))`.
                    if let Some((_, "route", arguments)) = method_call(file, *node) {
                        let [path_node, route] = arguments.as_slice() else {
                            continue;
                        };
                        let Some(path) = file.string_value(*path_node) else {
                            continue;
                        };
                        let Some((methods, handler)) = route_target(file, *route) else {
                            continue;
                        };
                        let context = context_of(chain_top(*node));
                        for method in methods {
                            push(
                                method,
                                join(&context.prefix, &path),
                                handler.clone(),
                                context.guard.clone(),
                                *path_node,
                            );
                        }
                        continue;
                    }
                    // `web::resource("/x").route(web::get().to(h)).to(fallback)`.
                    let Some(path) = resource_path(file, *node) else {
                        continue;
                    };
                    let top = chain_top(*node);
                    let context = context_of(top);
                    for (name, arguments, _) in chain(file, top).0 {
                        let targets = match (name, arguments.as_slice()) {
                            ("route", [route]) => route_target(file, *route).map(|t| (t, *route)),
                            ("to", [handler]) => {
                                Some(((vec!["ANY".to_owned()], handler_name(file, *handler)), *handler))
                            }
                            _ => None,
                        };
                        let Some(((methods, handler), at)) = targets else {
                            continue;
                        };
                        for method in methods {
                            push(
                                method,
                                join(&context.prefix, &path),
                                handler.clone(),
                                context.guard.clone(),
                                at,
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// What the enclosing scopes and app add to a route.
#[derive(Debug, Clone, Default)]
struct Context {
    prefix: String,
    guard: Option<String>,
}

/// Every node below `node` (itself included), parents before children, without recursion.
pub(super) fn descendants(node: Node<'_>) -> Vec<Node<'_>> {
    let mut found = Vec::new();
    let mut cursor = node.walk();
    loop {
        found.push(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return found;
            }
        }
    }
}

/// `receiver.name(arguments)`: receiver, method name and arguments.
pub(super) fn method_call<'t, 'a>(
    file: &SyntaxFile<'a>,
    call: Node<'t>,
) -> Option<(Node<'t>, &'a str, Vec<Node<'t>>)> {
    if call.kind() != "call_expression" {
        return None;
    }
    let function = call.child_by_field_name("function")?;
    if function.kind() != "field_expression" {
        return None;
    }
    let receiver = function.child_by_field_name("value")?;
    let name = file.text_of(function.child_by_field_name("field")?);
    let arguments = named_children(call.child_by_field_name("arguments")?);
    Some((receiver, name, arguments))
}

/// The outermost method call of the chain `node` is the receiver of (`node` itself when none).
pub(super) fn chain_top(node: Node<'_>) -> Node<'_> {
    let mut current = node;
    while let Some(call) = current
        .parent()
        .filter(|p| p.kind() == "field_expression" && p.child_by_field_name("value") == Some(current))
        .and_then(|p| p.parent())
        .filter(|c| c.kind() == "call_expression")
    {
        current = call;
    }
    current
}

/// One method call of a chain: name, arguments, the call.
pub(super) type ChainCall<'t, 'a> = (&'a str, Vec<Node<'t>>, Node<'t>);

/// The method calls of a chain from its top down, and the chain's root expression.
pub(super) fn chain<'t, 'a>(file: &SyntaxFile<'a>, top: Node<'t>) -> (Vec<ChainCall<'t, 'a>>, Node<'t>) {
    let mut calls = Vec::new();
    let mut current = top;
    while let Some((receiver, name, arguments)) = method_call(file, current) {
        calls.push((name, arguments, current));
        current = receiver;
    }
    (calls, current)
}

/// The last path segment: `handlers::users::list` → `list`.
pub(super) fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path).trim()
}

/// A handler argument's name: a function path, or the constructor of a service (`ServeDir::new`); closures
/// have none.
pub(super) fn handler_name(file: &SyntaxFile<'_>, node: Node<'_>) -> Option<String> {
    match node.kind() {
        "identifier" | "scoped_identifier" | "field_expression" => Some(file.text_of(node).to_owned()),
        "call_expression" => node
            .child_by_field_name("function")
            .filter(|f| matches!(f.kind(), "identifier" | "scoped_identifier"))
            .map(|f| file.text_of(f).to_owned()),
        _ => None,
    }
}

/// Middleware or layer text that authenticates: `looks_like_auth`, or a bearer/basic scheme.
pub(super) fn is_auth_middleware(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    looks_like_auth(text) || lower.contains("bearer") || lower.contains("::basic(")
}

/// Extractors that carry data from the request rather than an identity, and `Option`, which lets anonymous
/// requests through.
const NOT_GUARDS: [&str; 17] = [
    "Json",
    "Form",
    "Query",
    "Path",
    "Data",
    "State",
    "Bytes",
    "String",
    "Payload",
    "Multipart",
    "HttpRequest",
    "Request",
    "Option",
    "WebSocketUpgrade",
    "Body",
    "HeaderMap",
    "ConnectInfo",
];

/// Extractors that wrap the type that matters: `Extension<CurrentUser>`, `ReqData<Claims>`.
const WRAPPERS: [&str; 3] = ["Extension", "ReqData", "TypedHeader"];

/// Whether a handler parameter's type is an authentication extractor.
pub(super) fn is_auth_extractor(type_text: &str) -> bool {
    let mut text = type_text
        .trim()
        .trim_start_matches('&')
        .trim_start_matches("mut ")
        .trim();
    for _ in 0..8 {
        let (outer, inner) = match text.split_once('<') {
            Some((outer, rest)) => (
                outer.trim(),
                rest.rsplit_once('>').map_or(rest, |(inner, _)| inner).trim(),
            ),
            None => (text, ""),
        };
        let name = last_segment(outer);
        if WRAPPERS.contains(&name) && !inner.is_empty() {
            text = inner;
            continue;
        }
        if NOT_GUARDS.contains(&name) {
            return false;
        }
        return looks_like_auth(name)
            || name.ends_with("Claims")
            || name == "Identity"
            || name.ends_with("Principal");
    }
    false
}

/// Function name → the type of its first authentication-extractor parameter.
pub(super) fn extractor_guards<'a>(file: &SyntaxFile<'a>, nodes: &[Node<'_>]) -> HashMap<&'a str, String> {
    let mut guards = HashMap::new();
    for function in nodes.iter().filter(|n| n.kind() == "function_item") {
        let Some(name) = function.child_by_field_name("name").map(|n| file.text_of(n)) else {
            continue;
        };
        let Some(parameters) = function.child_by_field_name("parameters") else {
            continue;
        };
        let guard = named_children(parameters)
            .into_iter()
            .filter(|p| p.kind() == "parameter")
            .filter_map(|p| p.child_by_field_name("type"))
            .map(|t| file.text_of(t))
            .find(|t| is_auth_extractor(t));
        if let Some(guard) = guard {
            guards.insert(name, guard.to_owned());
        }
    }
    guards
}

/// Joins a scope prefix and a path: `/api` + `/users` → `/api/users`, `/api` + `` → `/api`.
pub(super) fn join(prefix: &str, path: &str) -> String {
    match (prefix.ends_with('/'), path.starts_with('/')) {
        (true, true) => format!("{prefix}{}", path.get(1..).unwrap_or("")),
        (false, false) if !prefix.is_empty() && !path.is_empty() => format!("{prefix}/{path}"),
        _ => format!("{prefix}{path}"),
    }
}

/// The route macros on a function: (attribute, methods, path, authenticating `wrap = "..."`).
fn route_attributes<'t>(
    file: &SyntaxFile<'_>,
    function: Node<'t>,
) -> Vec<(Node<'t>, Vec<String>, String, Option<String>)> {
    let mut found = Vec::new();
    let mut sibling = function.prev_sibling();
    while let Some(item) = sibling {
        match item.kind() {
            "attribute_item" => {}
            "line_comment" | "block_comment" => {
                sibling = item.prev_sibling();
                continue;
            }
            _ => break,
        }
        sibling = item.prev_sibling();
        let Some(attribute) = named_children(item).into_iter().find(|c| c.kind() == "attribute") else {
            continue;
        };
        let Some(name) = named_children(attribute).first().map(|n| file.text_of(*n)) else {
            continue;
        };
        let name = last_segment(name);
        if !(METHODS.contains(&name) || name == "route") {
            continue;
        }
        let Some(tokens) = attribute.child_by_field_name("arguments") else {
            continue;
        };
        let tokens = named_children(tokens);
        let Some(path) = tokens.first().and_then(|t| file.string_value(*t)) else {
            continue;
        };
        // `key = "value"` pairs after the path.
        let value_of = |key: &str| -> Vec<String> {
            tokens
                .windows(2)
                .filter(|w| {
                    w.first()
                        .is_some_and(|k| k.kind() == "identifier" && file.text_of(*k) == key)
                })
                .filter_map(|w| w.get(1).and_then(|v| file.string_value(*v)))
                .collect()
        };
        let methods = if name == "route" {
            value_of("method")
                .into_iter()
                .map(|m| m.to_ascii_uppercase())
                .collect()
        } else {
            vec![name.to_ascii_uppercase()]
        };
        let wrap = value_of("wrap").into_iter().find(|w| is_auth_middleware(w));
        if !methods.is_empty() {
            found.push((item, methods, path, wrap));
        }
    }
    found
}

/// `web::get().to(h)`, `web::route().guard(guard::Post()).to(h)`, `web::method(Method::PUT).to(h)`: the
/// methods and the handler. `None` when the expression is not an actix route.
fn route_target(file: &SyntaxFile<'_>, route: Node<'_>) -> Option<(Vec<String>, Option<String>)> {
    let (calls, root) = chain(file, route);
    if root.kind() != "call_expression" {
        return None;
    }
    let function = last_segment(file.text_of(root.child_by_field_name("function")?));
    let arguments = root
        .child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default();
    let mut methods = match (function, arguments.as_slice()) {
        (method, []) if METHODS.contains(&method) => vec![method.to_ascii_uppercase()],
        ("route", []) => Vec::new(),
        ("method", [method]) => vec![last_segment(file.text_of(*method)).to_ascii_uppercase()],
        _ => return None,
    };
    let mut handler = None;
    for (name, arguments, _) in &calls {
        match (*name, arguments.as_slice()) {
            ("to", [target]) => handler = handler_name(file, *target),
            ("method", [method]) if methods.is_empty() => {
                methods.push(last_segment(file.text_of(*method)).to_ascii_uppercase())
            }
            // `guard::Post()`.
            ("guard", [guard]) if methods.is_empty() => {
                let text = file.text_of(*guard);
                let name = last_segment(text.split('(').next().unwrap_or(text));
                if METHODS.iter().any(|m| name.eq_ignore_ascii_case(m)) {
                    methods.push(name.to_ascii_uppercase());
                }
            }
            _ => {}
        }
    }
    if methods.is_empty() {
        methods.push("ANY".to_owned());
    }
    Some((methods, handler))
}

/// `web::resource("/x")` / `Resource::new("/x")`: its path.
fn resource_path(file: &SyntaxFile<'_>, call: Node<'_>) -> Option<String> {
    let function = file.text_of(call.child_by_field_name("function")?);
    if !(function == "resource" || function.ends_with("::resource") || function.ends_with("Resource::new")) {
        return None;
    }
    let arguments = named_children(call.child_by_field_name("arguments")?);
    file.string_value(*arguments.first()?)
}

/// The prefix and guard of the chain topped by `top` and of every scope or app it is a service of.
fn context(file: &SyntaxFile<'_>, top: Node<'_>) -> Context {
    let mut prefixes = Vec::new();
    let mut guard = None;
    let mut top = top;
    for _ in 0..32 {
        let (calls, root) = chain(file, top);
        if guard.is_none() {
            guard = calls
                .iter()
                .filter(|(name, _, _)| *name == "wrap")
                .flat_map(|(_, arguments, _)| arguments.iter())
                .map(|a| file.text_of(*a))
                .find(|a| is_auth_middleware(a))
                .map(str::to_owned);
        }
        if root.kind() == "call_expression" {
            let function = root
                .child_by_field_name("function")
                .map_or("", |f| file.text_of(f));
            if function.ends_with("scope") || function.ends_with("Scope::new") {
                let arguments = root
                    .child_by_field_name("arguments")
                    .map(named_children)
                    .unwrap_or_default();
                prefixes.extend(arguments.first().and_then(|a| file.string_value(*a)));
            }
        }
        // `outer.service(this)`: continue with the outer scope or app.
        let Some(service) = top
            .parent()
            .filter(|p| p.kind() == "arguments")
            .and_then(|p| p.parent())
            .filter(|c| method_call(file, *c).is_some_and(|(_, name, _)| name == "service"))
        else {
            break;
        };
        top = chain_top(service);
    }
    let prefix = prefixes
        .iter()
        .rev()
        .fold(String::new(), |joined, p| join(&joined, p));
    Context { prefix, guard }
}
