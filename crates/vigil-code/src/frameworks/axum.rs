//! Axum: `Router::new().route("/x", get(h).post(h2))` (method routers `get`, `post`, `put`, `patch`,
//! `delete`, `head`, `options`, `trace`, `any`, their `_service` forms, and `on(MethodFilter::GET, h)`),
//! `.route_service("/x", svc)` and `.nest_service("/static", svc)` (ANY), and routers combined with
//! `.nest("/api", api)` / `.merge(api)`, where the nested router is built inline, bound by a `let` earlier in
//! the same block, or returned by a function of this file (`.nest("/api", api_routes())`). A router bound
//! by `let` is followed to its next use (`let app = app.layer(...)`, `.nest("/x", app)`).
//!
//! Authentication: axum's layers wrap the routes added before them, so a `.layer(...)` or
//! `.route_layer(...)` whose text is an authentication middleware (`middleware::from_fn(auth)`,
//! `RequireAuthorizationLayer::bearer(...)`, anything that `looks_like_auth`) marks the routes added
//! earlier in its chain, and the routes of a router nested or merged before it, authenticated; a layer on a
//! method router (`get(h).route_layer(...)`) guards the methods before it. So does a handler parameter whose
//! type is an authentication extractor (`Claims`, `AuthUser`, `Extension<CurrentUser>`,
//! `TypedHeader<Authorization<Bearer>>`; not `Option<...>` nor body extractors such as `Json<LoginRequest>`).
//! Otherwise unknown: the router may be layered where it is served, in another file.
//!
//! Known gaps: routers passed between files, stored in struct fields or rebuilt by assignment (`app =
//! app.route(...)`) lose their prefix and layers; `Router::new().route(...)` inside macros is not parsed;
//! handlers defined in other files are not checked for extractors.

use std::collections::HashMap;

use tree_sitter::Node;

use super::actix::{
    chain, chain_top, descendants, extractor_guards, handler_name, is_auth_middleware, join, last_segment,
    method_call,
};
use super::{Framework, imports_any};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct Axum;

const METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

impl Framework for Axum {
    fn name(&self) -> &'static str {
        "axum"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Rust && imports_any(source.imports, &["axum"])
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        let nodes = descendants(file.root());
        let extractors = extractor_guards(file, &nodes);
        let index = Index::new(file, &nodes);
        for node in &nodes {
            let Some((_, name, arguments)) = method_call(file, *node) else {
                continue;
            };
            let targets = match (name, arguments.as_slice()) {
                ("route", [path, method_router]) => method_routes(file, *method_router).map(|t| (*path, t)),
                ("route_service" | "nest_service", [path, service]) => Some((
                    *path,
                    vec![MethodRoute {
                        method: "ANY".to_owned(),
                        handler: handler_name(file, *service),
                        guard: None,
                    }],
                )),
                _ => None,
            };
            let Some((path_node, targets)) = targets else {
                continue;
            };
            let Some(path) = file.string_value(path_node) else {
                continue;
            };
            let (prefix, router_guard) = context(file, &index, *node);
            for target in targets {
                let extractor = target
                    .handler
                    .as_deref()
                    .and_then(|h| extractors.get(last_segment(h)))
                    .cloned();
                let guard = target.guard.or_else(|| router_guard.clone()).or(extractor);
                out.push(Endpoint {
                    method: target.method,
                    path: join(&prefix, &path),
                    handler: target.handler,
                    authenticated: guard.as_ref().map(|_| true),
                    guard,
                    framework: "axum",
                    line: line(path_node),
                });
            }
        }
    }
}

/// One method of a method router.
struct MethodRoute {
    method: String,
    handler: Option<String>,
    /// An authenticating layer added to the method router after this method.
    guard: Option<String>,
}

/// Where routers go: variable uses by name (source order) and the first call of each function by name.
struct Index<'t> {
    uses: HashMap<&'t str, Vec<Node<'t>>>,
    calls: HashMap<&'t str, Node<'t>>,
}

impl<'t> Index<'t> {
    fn new(file: &SyntaxFile<'t>, nodes: &[Node<'t>]) -> Self {
        let mut index = Self {
            uses: HashMap::new(),
            calls: HashMap::new(),
        };
        for node in nodes {
            match node.kind() {
                "identifier" if is_use(*node) => {
                    index.uses.entry(file.text_of(*node)).or_default().push(*node)
                }
                "call_expression" => {
                    let function = node
                        .child_by_field_name("function")
                        .filter(|f| matches!(f.kind(), "identifier" | "scoped_identifier"));
                    if let Some(function) = function {
                        index
                            .calls
                            .entry(last_segment(file.text_of(function)))
                            .or_insert(*node);
                    }
                }
                _ => {}
            }
        }
        index
    }
}

/// `get(h).post(h2).route_layer(auth)`: each method with its handler and the guard of a layer after it;
/// `None` when the expression is not a method router.
fn method_routes(file: &SyntaxFile<'_>, method_router: Node<'_>) -> Option<Vec<MethodRoute>> {
    let (calls, root) = chain(file, method_router);
    if root.kind() != "call_expression" {
        return None;
    }
    let function = last_segment(file.text_of(root.child_by_field_name("function")?));
    let arguments = root
        .child_by_field_name("arguments")
        .map(named_children)
        .unwrap_or_default();
    // From the root up, in the order the methods are added.
    let mut steps: Vec<(&str, Vec<Node<'_>>)> = vec![(function, arguments)];
    steps.extend(
        calls
            .into_iter()
            .rev()
            .map(|(name, arguments, _)| (name, arguments)),
    );
    let mut routes = Vec::new();
    for (name, arguments) in steps {
        let method = name.strip_suffix("_service").unwrap_or(name);
        let target = match (method, arguments.as_slice()) {
            ("any", [handler]) => Some(("ANY".to_owned(), *handler)),
            (method, [handler]) if METHODS.contains(&method) => Some((method.to_ascii_uppercase(), *handler)),
            // `on(MethodFilter::GET.or(MethodFilter::POST), h)`.
            ("on", [filter, handler]) => {
                let text = file.text_of(*filter);
                for method in METHODS
                    .iter()
                    .filter(|m| text.contains(&format!("::{}", m.to_ascii_uppercase())))
                {
                    routes.push(MethodRoute {
                        method: method.to_ascii_uppercase(),
                        handler: handler_name(file, *handler),
                        guard: None,
                    });
                }
                None
            }
            ("layer" | "route_layer", _) => {
                if let Some(layer) = arguments
                    .iter()
                    .map(|a| file.text_of(*a))
                    .find(|a| is_auth_middleware(a))
                {
                    for route in routes.iter_mut().filter(|r| r.guard.is_none()) {
                        route.guard = Some(layer.to_owned());
                    }
                }
                None
            }
            _ => None,
        };
        if let Some((method, handler)) = target {
            routes.push(MethodRoute {
                method,
                handler: handler_name(file, handler),
                guard: None,
            });
        }
    }
    (!routes.is_empty()).then_some(routes)
}

/// The prefix and guard a route gets from where its router goes: later layers in its chain, the router it
/// is nested or merged into, the `let` binding it is stored in, the function that returns it.
fn context<'t>(file: &SyntaxFile<'_>, index: &Index<'t>, route: Node<'t>) -> (String, Option<String>) {
    let mut prefixes = Vec::new();
    let mut guard = None;
    let mut current = route;
    for _ in 0..64 {
        // The calls chained after this router value: only layers added after the route wrap it.
        let top = chain_top(current);
        if guard.is_none() {
            let mut call = top;
            let mut layers = Vec::new();
            while call != current {
                let Some((receiver, name, arguments)) = method_call(file, call) else {
                    break;
                };
                if matches!(name, "layer" | "route_layer") {
                    layers.extend(arguments.iter().map(|a| file.text_of(*a)));
                }
                call = receiver;
            }
            // The innermost layer (added first) names the guard.
            guard = layers
                .into_iter()
                .rev()
                .find(|l| is_auth_middleware(l))
                .map(str::to_owned);
        }
        let Some(parent) = top.parent() else { break };
        match parent.kind() {
            // `.nest("/api", this)`, `.merge(this)`.
            "arguments" => {
                let Some(call) = parent.parent() else { break };
                match method_call(file, call) {
                    Some((_, "nest", arguments)) => {
                        prefixes.extend(arguments.first().and_then(|a| file.string_value(*a)));
                    }
                    Some((_, "merge", _)) => {}
                    _ => break,
                }
                current = call;
            }
            // `let api = ...;`: continue at its next use.
            "let_declaration" => {
                let Some(pattern) = parent
                    .child_by_field_name("pattern")
                    .filter(|p| p.kind() == "identifier")
                else {
                    break;
                };
                let name = file.text_of(pattern);
                let Some(block) = parent.parent() else { break };
                let after = parent.end_byte();
                let next = index.uses.get(name).and_then(|uses| {
                    uses.iter()
                        .find(|n| n.start_byte() >= after && n.end_byte() <= block.end_byte())
                });
                match next {
                    Some(next) => current = *next,
                    None => break,
                }
            }
            // The function's result: continue where the function is called.
            "block" | "return_expression" => {
                let function = if parent.kind() == "block" {
                    let is_tail = named_children(parent).last() == Some(&top);
                    parent.parent().filter(|f| is_tail && f.kind() == "function_item")
                } else {
                    enclosing_function(parent)
                };
                let Some(name) = function
                    .and_then(|f| f.child_by_field_name("name"))
                    .map(|n| file.text_of(n))
                else {
                    break;
                };
                match index.calls.get(name) {
                    Some(call) => current = *call,
                    None => break,
                }
            }
            _ => break,
        }
    }
    let prefix = prefixes
        .iter()
        .rev()
        .fold(String::new(), |joined, p| join(&joined, p));
    (prefix, guard)
}

/// An identifier that reads a variable: not a `let` pattern being declared, not a path segment.
fn is_use(identifier: Node<'_>) -> bool {
    match identifier.parent() {
        Some(parent) if parent.kind() == "let_declaration" => {
            parent.child_by_field_name("pattern") != Some(identifier)
        }
        Some(parent) => !matches!(
            parent.kind(),
            "scoped_identifier" | "scoped_type_identifier" | "use_declaration"
        ),
        None => true,
    }
}

fn enclosing_function(node: Node<'_>) -> Option<Node<'_>> {
    let mut current = node.parent();
    while let Some(candidate) = current {
        match candidate.kind() {
            "function_item" => return Some(candidate),
            "closure_expression" => return None,
            _ => current = candidate.parent(),
        }
    }
    None
}
