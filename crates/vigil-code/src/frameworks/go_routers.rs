//! Go HTTP routers: Gin (`r.GET("/x", mw..., h)`, `g := r.Group("/api", mw...)`), Echo (`e.GET("/x", h,
//! mw...)`, `e.Group`, `e.Add("GET", ...)`, `e.Match([]string{...}, ...)`), chi (`r.Get`, `r.Route("/api",
//! func(r chi.Router) {...})`, `r.Group(func(r chi.Router) {...})`, `r.With(mw).Get`, `r.Method("GET", ...)`),
//! gorilla/mux (`r.HandleFunc("/x", h).Methods("GET")`, `r.Path("/x").HandlerFunc(h)`,
//! `r.PathPrefix("/v1").Subrouter()`), Fiber (`app.Get`, `app.All`, `app.Group`, `app.Route`) and net/http
//! (`http.HandleFunc("/x", h)`, `mux.Handle("GET /x/{id}", h)` with Go 1.22 method patterns). Router
//! variables are followed through the file by Go's block scoping, so group prefixes and middleware reach the
//! routes registered on them. The framework is the library that created the router (its constructor or the
//! parameter's type); the `http` package's default mux is `net/http`; otherwise the imported library. Each
//! library's spellings (`GET` for Gin and Echo, `Get` for chi and Fiber, ...) count only in files that
//! import it, so HTTP client calls (`client.Get("/v1/users", &out)`) are not routes.
//!
//! Authentication: a middleware argument of the route, of an inline `With(...)` or of a `Group(...)`, a
//! `Use(...)` on the router or one of its parent groups earlier in the file than the route (Fiber's
//! `app.Use("/api", mw)` only for routes under that prefix), a wrapping call around the handler
//! (`http.Handle("/x", authMiddleware(h))`) or around the whole router (`http.ListenAndServe(addr,
//! requireAuth(mux))`), whose text `looks_like_auth`, marks the route authenticated. A route on a router
//! created in this file (`gin.Default()`, `chi.NewRouter()`, `http.NewServeMux()`, the `http` default mux)
//! with none of those is unauthenticated; on a router received as a parameter or reached through a struct
//! field or a function call the guard may be installed elsewhere: unknown.
//!
//! Known gaps: sub-routers mounted from other files or functions (`r.Mount("/admin", adminRouter())`) are
//! not followed; `Use` order is taken from source position, not from execution order across functions;
//! routers held in struct fields or maps are not tracked; computed paths are skipped.

use std::collections::HashMap;

use tree_sitter::Node;

use super::actix::descendants;
use super::{Framework, imports_any, looks_like_auth};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct GoRouters;

/// Import paths (their versioned sub-paths match too: `github.com/labstack/echo/v4`) and framework names,
/// in the order that picks a file's main library when several are imported.
const LIBRARIES: [(&str, &str); 6] = [
    ("github.com/gin-gonic/gin", "gin"),
    ("github.com/labstack/echo", "echo"),
    ("github.com/go-chi/chi", "chi"),
    ("github.com/gorilla/mux", "gorilla/mux"),
    ("github.com/gofiber/fiber", "fiber"),
    ("net/http", "net/http"),
];

/// Route methods named after the HTTP method: Gin and Echo spell them in capitals, chi and Fiber in title case.
const METHOD_NAMES: [&str; 9] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "CONNECT", "TRACE",
];

/// Calls that adapt a handler without changing what it is: the handler is their last argument.
const ADAPTERS: [&str; 8] = [
    "http.HandlerFunc",
    "http.StripPrefix",
    "http.TimeoutHandler",
    "gin.WrapF",
    "gin.WrapH",
    "echo.WrapHandler",
    "adaptor.HTTPHandler",
    "adaptor.HTTPHandlerFunc",
];

/// Functions of the `http` package that are client requests, not route registrations.
const HTTP_CLIENT: [&str; 4] = ["Get", "Post", "Head", "PostForm"];

impl Framework for GoRouters {
    fn name(&self) -> &'static str {
        "go_routers"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Go
            && LIBRARIES
                .iter()
                .any(|(module, _)| imports_any(source.imports, &[module]))
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, imports: &[Import], out: &mut Vec<Endpoint>) {
        let libraries: Vec<&'static str> = LIBRARIES
            .iter()
            .filter(|(module, _)| imports_any(imports, &[module]))
            .map(|(_, name)| *name)
            .collect();
        let main = libraries.first().copied().unwrap_or("net/http");
        let nodes = descendants(file.root());
        let scope = Scope::new(file, &nodes);
        for node in &nodes {
            let Some(route) = route(file, *node, &libraries) else {
                continue;
            };
            let base = scope.resolve(route.receiver, route.path_node.start_byte());
            let framework = base.framework.unwrap_or(main);
            let path = join(&base.prefix, &route.path);
            // Echo takes the handler first and route middleware after it; the others end with the handler.
            let (handler_node, middleware) = if framework == "echo" {
                (route.rest.first().copied(), route.rest.get(1..).unwrap_or(&[]))
            } else {
                match route.rest.split_last() {
                    Some((last, rest)) => (Some(*last), rest),
                    None => (None, &[][..]),
                }
            };
            let (handler, wrapper_guard) = handler_node.map_or((None, None), |h| handler_and_guard(file, h));
            let guard = middleware
                .iter()
                .map(|m| file.text_of(*m))
                .find(|m| looks_like_auth(m))
                .map(str::to_owned)
                .or(wrapper_guard)
                .or_else(|| {
                    base.guards
                        .iter()
                        .find(|(prefix, _)| path.starts_with(prefix.as_str()))
                        .map(|(_, g)| g.clone())
                });
            let authenticated = match (&guard, base.origin) {
                (Some(_), _) => Some(true),
                (None, Origin::Created) => Some(false),
                (None, Origin::Elsewhere) => None,
            };
            for method in &route.methods {
                out.push(Endpoint {
                    method: method.clone(),
                    path: path.clone(),
                    handler: handler.clone(),
                    authenticated,
                    guard: guard.clone(),
                    framework,
                    line: line(route.path_node),
                });
            }
        }
    }
}

/// One route registration as written.
struct Route<'t> {
    methods: Vec<String>,
    path: String,
    path_node: Node<'t>,
    /// The router expression the route is registered on.
    receiver: Node<'t>,
    /// Arguments after the path: middleware and handler.
    rest: Vec<Node<'t>>,
}

/// `receiver.Field(arguments)`: receiver, field name and arguments.
fn selector_call<'t, 'a>(
    file: &SyntaxFile<'a>,
    call: Node<'t>,
) -> Option<(Node<'t>, &'a str, Vec<Node<'t>>)> {
    if call.kind() != "call_expression" {
        return None;
    }
    let function = call.child_by_field_name("function")?;
    if function.kind() != "selector_expression" {
        return None;
    }
    let operand = function.child_by_field_name("operand")?;
    let field = file.text_of(function.child_by_field_name("field")?);
    let arguments = named_children(call.child_by_field_name("arguments")?);
    Some((operand, field, arguments))
}

/// A route registration in a file importing `libraries`: each library's own spellings only, so that an
/// HTTP client's `client.Get("/v1/users", &out)` in a net/http file is not read as a chi or Fiber route.
fn route<'t>(file: &SyntaxFile<'_>, call: Node<'t>, libraries: &[&str]) -> Option<Route<'t>> {
    let (receiver, field, arguments) = selector_call(file, call)?;
    let uses = |names: &[&str]| names.iter().any(|n| libraries.contains(n));
    let string = |index: usize| arguments.get(index).and_then(|a| file.string_value(*a));
    let upper = field.to_ascii_uppercase();
    if matches!(field, "Handler" | "HandlerFunc") && uses(&["gorilla/mux"]) {
        return path_chain_route(file, call, receiver, &arguments);
    }
    if arguments.len() < 2 {
        return None;
    }
    let (methods, path_index) = if METHOD_NAMES.contains(&upper.as_str())
        && ((field == upper && uses(&["gin", "echo"])) || (title_case(field) && uses(&["chi", "fiber"])))
    {
        if file.text_of(receiver) == "http" && HTTP_CLIENT.contains(&field) {
            return None;
        }
        (vec![upper], 0)
    } else if (field == "Any" && uses(&["gin", "echo"])) || (field == "All" && uses(&["fiber"])) {
        (vec!["ANY".to_owned()], 0)
    } else if (field == "Add" && uses(&["echo"]))
        || (matches!(field, "Method" | "MethodFunc") && uses(&["chi"]))
        || (field == "Handle" && is_method(string(0)) && uses(&["gin"]))
    {
        // Echo `Add`, chi `Method`, Gin `Handle`: the method is the first argument.
        let method = string(0).filter(|m| is_method(Some(m.clone())))?;
        (vec![method], 1)
    } else if field == "Match" && uses(&["gin", "echo"]) {
        let methods = string_list(file, *arguments.first()?);
        if methods.is_empty() {
            return None;
        }
        (methods, 1)
    } else if matches!(field, "Handle" | "HandleFunc") {
        let pattern = string(0)?;
        // Go 1.22 patterns: `GET /items/{id}`.
        let (method, path) = match pattern.split_once(char::is_whitespace) {
            Some((method, path)) if is_method(Some(method.to_owned())) => {
                (method.to_owned(), path.trim().to_owned())
            }
            _ => ("ANY".to_owned(), pattern),
        };
        // A path or a host pattern (`example.com/x`), not a message topic (`user/created`).
        let host = path.split('/').next().unwrap_or("");
        if !(path.starts_with('/') || (host.contains('.') && path.contains('/'))) {
            return None;
        }
        let path_node = *arguments.first()?;
        let methods = chained_methods(file, call).unwrap_or_else(|| vec![method]);
        let rest = arguments.get(1..).unwrap_or(&[]).to_vec();
        return Some(Route {
            methods,
            path,
            path_node,
            receiver,
            rest,
        });
    } else {
        return None;
    };
    let path_node = *arguments.get(path_index)?;
    let path = file.string_value(path_node)?;
    if !(path.is_empty() || path.starts_with('/') || path == "*") {
        return None;
    }
    let rest = arguments.get(path_index + 1..).unwrap_or(&[]).to_vec();
    if rest.is_empty() {
        return None;
    }
    Some(Route {
        methods,
        path,
        path_node,
        receiver,
        rest,
    })
}

fn title_case(field: &str) -> bool {
    let mut chars = field.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_lowercase())
}

fn is_method(text: Option<String>) -> bool {
    text.is_some_and(|m| METHOD_NAMES.contains(&m.as_str()))
}

/// The elements of `[]string{"GET", http.MethodPost}`, upper case.
fn string_list(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    descendants(node)
        .into_iter()
        .filter(|n| n.kind() == "literal_element")
        .filter_map(|n| named_children(n).first().and_then(|v| method_value(file, *v)))
        .collect()
}

/// gorilla/mux: `.Methods("GET", "POST")` chained after the route call.
fn chained_methods(file: &SyntaxFile<'_>, call: Node<'_>) -> Option<Vec<String>> {
    let mut current = call;
    for _ in 0..16 {
        let selector = current.parent().filter(|p| p.kind() == "selector_expression")?;
        let outer = selector.parent().filter(|p| p.kind() == "call_expression")?;
        let (_, field, arguments) = selector_call(file, outer)?;
        if field == "Methods" {
            let methods: Vec<String> = arguments.iter().filter_map(|a| method_value(file, *a)).collect();
            return (!methods.is_empty()).then_some(methods);
        }
        current = outer;
    }
    None
}

/// gorilla/mux: `r.Methods("GET").Path("/x").HandlerFunc(h)` and `r.PathPrefix("/static/").Handler(fs)`.
fn path_chain_route<'t>(
    file: &SyntaxFile<'_>,
    call: Node<'t>,
    mut receiver: Node<'t>,
    arguments: &[Node<'t>],
) -> Option<Route<'t>> {
    let handler = *arguments.first()?;
    let mut path = None;
    let mut methods = chained_methods(file, call);
    for _ in 0..16 {
        let Some((operand, field, inner)) = selector_call(file, receiver) else {
            break;
        };
        match field {
            "Path" | "PathPrefix" if path.is_none() => {
                let node = *inner.first()?;
                path = Some((file.string_value(node)?, node));
            }
            "Methods" if methods.is_none() => {
                methods = Some(inner.iter().filter_map(|a| method_value(file, *a)).collect());
            }
            "Name" | "Host" | "Schemes" | "Headers" | "Queries" | "Methods" | "Path" | "PathPrefix" => {}
            _ => break,
        }
        receiver = operand;
    }
    let (path, path_node) = path?;
    let methods = methods
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| vec!["ANY".to_owned()]);
    Some(Route {
        methods,
        path,
        path_node,
        receiver,
        rest: vec![handler],
    })
}

/// `"GET"` or `http.MethodGet`, upper case.
fn method_value(file: &SyntaxFile<'_>, node: Node<'_>) -> Option<String> {
    let method = match file.string_value(node) {
        Some(method) => method,
        None => file.text_of(node).strip_prefix("http.Method")?.to_owned(),
    };
    Some(method.to_ascii_uppercase())
}

/// The handler's name and a guard from an authenticating wrapper around it (`authMiddleware(h)`).
fn handler_and_guard(file: &SyntaxFile<'_>, node: Node<'_>) -> (Option<String>, Option<String>) {
    let mut current = node;
    let mut guard = None;
    for _ in 0..16 {
        match current.kind() {
            "identifier" | "selector_expression" => return (Some(file.text_of(current).to_owned()), guard),
            "parenthesized_expression" | "unary_expression" => match named_children(current).last() {
                Some(inner) => current = *inner,
                None => break,
            },
            "call_expression" => {
                let function = current
                    .child_by_field_name("function")
                    .map_or("", |f| file.text_of(f));
                let arguments = current
                    .child_by_field_name("arguments")
                    .map(named_children)
                    .unwrap_or_default();
                let wraps = looks_like_auth(function);
                if wraps && guard.is_none() {
                    guard = Some(function.to_owned());
                }
                // A call that is neither a guard nor an adapter builds the handler (`users.List(db)`).
                match arguments.last() {
                    Some(last) if wraps || ADAPTERS.contains(&function) => current = *last,
                    _ => return (Some(function.to_owned()), guard),
                }
            }
            _ => break,
        }
    }
    (None, guard)
}

fn join(prefix: &str, path: &str) -> String {
    match (prefix.ends_with('/'), path.starts_with('/')) {
        (true, true) => format!("{prefix}{}", path.get(1..).unwrap_or("")),
        _ => format!("{prefix}{path}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Created in this file: its middleware would be visible here.
    Created,
    /// A parameter, a struct field, a function's result: configured elsewhere.
    Elsewhere,
}

/// What a router expression resolves to.
struct Base {
    prefix: String,
    /// Guards with the path prefix they are limited to (empty: all routes).
    guards: Vec<(String, String)>,
    origin: Origin,
    framework: Option<&'static str>,
}

/// A name declared in the file: a variable with its value, or a function parameter.
struct Declaration<'t> {
    at: usize,
    /// Where the name is visible.
    scope: Node<'t>,
    value: Option<Node<'t>>,
    /// For parameters: the function and the declared type.
    parameter: Option<(Node<'t>, &'t str)>,
}

/// A guard attached to a declared router: `r.Use(auth)` (from `at` on) or `requireAuth(mux)` (always).
struct RouterGuard {
    declaration: usize,
    at: usize,
    prefix: String,
    guard: String,
}

/// The file's declarations and router guards; `'t` is the borrow of the parsed file.
struct Scope<'t> {
    file: &'t SyntaxFile<'t>,
    /// By name, in source order.
    declarations: HashMap<&'t str, Vec<Declaration<'t>>>,
    guards: Vec<RouterGuard>,
}

impl<'t> Scope<'t> {
    fn new(file: &'t SyntaxFile<'t>, nodes: &[Node<'t>]) -> Self {
        let mut scope = Self {
            file,
            declarations: HashMap::new(),
            guards: Vec::new(),
        };
        for node in nodes {
            scope.declare(*node);
        }
        for node in nodes {
            scope.guard(*node);
        }
        scope
    }

    fn declare(&mut self, node: Node<'t>) {
        let file = self.file;
        match node.kind() {
            "short_var_declaration" | "assignment_statement" => {
                let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) else {
                    return;
                };
                let Some(scope) = node.parent() else { return };
                let names = named_children(left);
                let values = named_children(right);
                for (index, name) in names.iter().enumerate() {
                    if name.kind() != "identifier" {
                        continue;
                    }
                    // `r, err := f()`: the value is not one of the expressions.
                    let value = if names.len() == values.len() {
                        values.get(index).copied()
                    } else {
                        None
                    };
                    self.push(file.text_of(*name), name.start_byte(), scope, value, None);
                }
            }
            "var_spec" => {
                // var_spec [in var_spec_list] in var_declaration, visible in the declaration's block.
                let declaration = node.parent().and_then(|p| {
                    if p.kind() == "var_spec_list" {
                        p.parent()
                    } else {
                        Some(p)
                    }
                });
                let Some(scope) = declaration.and_then(|d| d.parent()) else {
                    return;
                };
                let mut cursor = node.walk();
                let names: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
                let values = node
                    .child_by_field_name("value")
                    .map(named_children)
                    .unwrap_or_default();
                for (index, name) in names.iter().enumerate() {
                    let value = if names.len() == values.len() {
                        values.get(index).copied()
                    } else {
                        None
                    };
                    self.push(file.text_of(*name), name.start_byte(), scope, value, None);
                }
            }
            "parameter_declaration" => {
                let Some(function) = node.parent().and_then(|list| list.parent()) else {
                    return;
                };
                let type_text = node.child_by_field_name("type").map_or("", |t| file.text_of(t));
                let mut cursor = node.walk();
                let names: Vec<Node<'t>> = node.children_by_field_name("name", &mut cursor).collect();
                for name in names {
                    self.push(
                        file.text_of(name),
                        name.start_byte(),
                        function,
                        None,
                        Some((function, type_text)),
                    );
                }
            }
            _ => {}
        }
    }

    fn push(
        &mut self,
        name: &'t str,
        at: usize,
        scope: Node<'t>,
        value: Option<Node<'t>>,
        parameter: Option<(Node<'t>, &'t str)>,
    ) {
        self.declarations.entry(name).or_default().push(Declaration {
            at,
            scope,
            value,
            parameter,
        });
    }

    /// The declaration an identifier refers to: the innermost visible one declared before it.
    fn lookup(&self, identifier: Node<'t>) -> Option<&Declaration<'t>> {
        let name = self.file.text_of(identifier);
        let at = identifier.start_byte();
        self.declarations
            .get(name)?
            .iter()
            .filter(|d| d.at < at && d.scope.start_byte() <= at && at < d.scope.end_byte())
            .max_by_key(|d| d.at)
    }

    fn guard(&mut self, node: Node<'t>) {
        let file = self.file;
        if let Some((operand, field, arguments)) = selector_call(file, node)
            && matches!(field, "Use" | "Pre")
            && operand.kind() == "identifier"
        {
            let Some(declaration) = self.lookup(operand).map(|d| d.at) else {
                return;
            };
            // Fiber's `app.Use("/api", mw)` guards only that prefix.
            let prefix = arguments
                .first()
                .and_then(|a| file.string_value(*a))
                .unwrap_or_default();
            if let Some(guard) = arguments
                .iter()
                .map(|a| file.text_of(*a))
                .find(|a| looks_like_auth(a))
            {
                let guard = format!("{}.{field}({guard})", file.text_of(operand));
                self.guards.push(RouterGuard {
                    declaration,
                    at: node.start_byte(),
                    prefix,
                    guard,
                });
            }
            return;
        }
        // `requireAuth(mux)` used as a value (served, assigned): the whole router is wrapped.
        if node.kind() != "call_expression"
            || !node
                .parent()
                .is_some_and(|p| matches!(p.kind(), "argument_list" | "expression_list"))
        {
            return;
        }
        let Some(function) = node.child_by_field_name("function").map(|f| file.text_of(f)) else {
            return;
        };
        if !looks_like_auth(function) {
            return;
        }
        let arguments = node
            .child_by_field_name("arguments")
            .map(named_children)
            .unwrap_or_default();
        for argument in arguments.into_iter().filter(|a| a.kind() == "identifier") {
            if let Some(declaration) = self.lookup(argument).map(|d| d.at) {
                self.guards.push(RouterGuard {
                    declaration,
                    at: 0,
                    prefix: String::new(),
                    guard: function.to_owned(),
                });
            }
        }
    }

    /// Follows a router expression back to where the router was created, collecting prefixes and guards.
    fn resolve(&self, receiver: Node<'t>, at: usize) -> Base {
        let file = self.file;
        let mut prefixes = Vec::new();
        let mut guards = Vec::new();
        let mut origin = Origin::Elsewhere;
        let mut framework = None;
        let mut current = receiver;
        // Bounded: `r := r.Group(...)` chains are short, and a cycle must not loop forever.
        for _ in 0..32 {
            match current.kind() {
                "parenthesized_expression" => match named_children(current).first() {
                    Some(inner) => current = *inner,
                    None => break,
                },
                "identifier" => {
                    let Some(declaration) = self.lookup(current) else {
                        if file.text_of(current) == "http" {
                            // The default ServeMux: its only possible guard is a wrapper in this program.
                            origin = Origin::Created;
                            framework = Some("net/http");
                        }
                        break;
                    };
                    for guard in self
                        .guards
                        .iter()
                        .filter(|g| g.declaration == declaration.at && g.at < at)
                    {
                        guards.push((guard.prefix.clone(), guard.guard.clone()));
                    }
                    if let Some(value) = declaration.value {
                        current = value;
                        continue;
                    }
                    let Some((function, type_text)) = declaration.parameter else {
                        break;
                    };
                    // `r.Route("/api", func(r chi.Router) {...})`: the parameter is the parent's sub-router.
                    let parent_call = function
                        .parent()
                        .filter(|p| function.kind() == "func_literal" && p.kind() == "argument_list")
                        .and_then(|p| p.parent());
                    match parent_call.and_then(|c| selector_call(file, c)) {
                        Some((operand, "Route" | "Group", arguments)) => {
                            if let Some(prefix) = arguments.first().and_then(|a| file.string_value(*a)) {
                                prefixes.push(prefix);
                            }
                            current = operand;
                        }
                        _ => {
                            framework = framework_of(type_text);
                            break;
                        }
                    }
                }
                "call_expression" => {
                    let function = current
                        .child_by_field_name("function")
                        .map_or("", |f| file.text_of(f));
                    if is_constructor(function) {
                        origin = Origin::Created;
                        framework = framework_of(function);
                        break;
                    }
                    let Some((operand, field, arguments)) = selector_call(file, current) else {
                        break;
                    };
                    let middleware: &[Node<'t>] = match field {
                        "Group" | "Route" | "PathPrefix" => {
                            let rest = match arguments.first().and_then(|a| file.string_value(*a)) {
                                Some(prefix) => {
                                    prefixes.push(prefix);
                                    arguments.get(1..).unwrap_or(&[])
                                }
                                None => &[],
                            };
                            // chi's `Route` takes the sub-router's callback, not middleware.
                            if field == "Route" { &[] } else { rest }
                        }
                        "With" => &arguments,
                        "Subrouter" | "Methods" | "Host" | "Schemes" | "Headers" => &[],
                        _ => break,
                    };
                    if let Some(guard) = middleware
                        .iter()
                        .map(|m| file.text_of(*m))
                        .find(|m| looks_like_auth(m))
                    {
                        guards.push((String::new(), guard.to_owned()));
                    }
                    current = operand;
                }
                _ => break,
            }
        }
        prefixes.reverse();
        let prefix = prefixes.iter().fold(String::new(), |joined, p| join(&joined, p));
        Base {
            prefix,
            guards,
            origin,
            framework,
        }
    }
}

/// Router constructors: `gin.Default()`, `echo.New()`, `chi.NewRouter()`, `mux.NewRouter()`, `fiber.New()`,
/// `http.NewServeMux()`.
fn is_constructor(function: &str) -> bool {
    let Some((package, name)) = function.rsplit_once('.') else {
        return false;
    };
    match name {
        "Default" | "New" => matches!(package, "gin" | "echo" | "fiber"),
        "NewRouter" | "NewMux" => matches!(package, "chi" | "mux"),
        "NewServeMux" => package == "http",
        _ => false,
    }
}

/// The framework a constructor or parameter type belongs to.
fn framework_of(text: &str) -> Option<&'static str> {
    let text = text.trim_start_matches(['*', '&']);
    if text.starts_with("http.") {
        Some("net/http")
    } else if text.starts_with("gin.") {
        Some("gin")
    } else if text.starts_with("echo.") {
        Some("echo")
    } else if text.starts_with("chi.") {
        Some("chi")
    } else if text.starts_with("fiber.") {
        Some("fiber")
    } else if text.starts_with("mux.") {
        Some("gorilla/mux")
    } else {
        None
    }
}
