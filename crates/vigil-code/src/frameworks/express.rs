//! Express-style routers (Express, Koa router, Fastify shorthand, Hono, Restify): `app.get('/path',
//! ...middleware, handler)` and `router.route('/path').get(handler).post(handler)`.
//!
//! Authentication: a middleware argument whose name says it authenticates (`requireAuth`,
//! `passport.authenticate('jwt')`), or an earlier `app.use(auth)` on the same router, marks the route
//! authenticated. A route on an application created in this file (`express()`) with neither is
//! unauthenticated; a route on a router that is exported may get a guard where it is mounted, so it is
//! unknown.

use tree_sitter::Node;

use super::{Framework, HTTP_METHODS, imports_any, looks_like_auth};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct Express;

const SERVER_MODULES: [&str; 9] = [
    "express",
    "koa",
    "koa-router",
    "@koa/router",
    "fastify",
    "restify",
    "hono",
    "polka",
    "router",
];

/// Objects whose `.get(url)` is an HTTP client call, not a route.
const CLIENTS: [&str; 8] = [
    "axios",
    "http",
    "https",
    "request",
    "superagent",
    "got",
    "fetch",
    "client",
];

impl Framework for Express {
    fn name(&self) -> &'static str {
        "express"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language.is_javascript_family() && imports_any(source.imports, &SERVER_MODULES)
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, imports: &[Import], out: &mut Vec<Endpoint>) {
        let framework = framework_name(imports);
        let apps = applications(file);
        let guards = router_guards(file);
        file.walk(|node| {
            if node.kind() != "call_expression" {
                return;
            }
            let Some((object, method)) = member_call(file, node) else {
                return;
            };
            if !HTTP_METHODS.contains(&method) {
                return;
            }
            let Some(arguments) = node.child_by_field_name("arguments") else {
                return;
            };
            let arguments = named_children(arguments);
            // `router.route('/x').get(handler)`: the path is on the `route` call.
            let (router, path, handlers) = match route_chain(file, object) {
                Some((router, path)) => (router, path, arguments.as_slice()),
                None => {
                    let Some(first) = arguments.first() else { return };
                    let Some(path) = file
                        .string_value(*first)
                        .filter(|p| p.starts_with('/') || p == "*")
                    else {
                        return;
                    };
                    if arguments.len() < 2 {
                        return;
                    }
                    (file.text_of(object).to_owned(), path, &arguments[1..])
                }
            };
            if CLIENTS
                .iter()
                .any(|c| router == *c || router.ends_with(&format!(".{c}")))
            {
                return;
            }
            let (handler, middleware) = match handlers.split_last() {
                Some((last, rest)) => (handler_name(file, *last), rest),
                None => (None, &[][..]),
            };
            let route_guard = middleware
                .iter()
                .map(|m| file.text_of(*m))
                .find(|m| looks_like_auth(m));
            let router_guard = guards
                .iter()
                .find(|(name, guard_line, _)| *name == router && *guard_line < line(node))
                .map(|(_, _, guard)| guard.clone());
            let guard = route_guard.map(str::to_owned).or(router_guard);
            let authenticated = match &guard {
                Some(_) => Some(true),
                None if apps.contains(&router) => Some(false),
                None => None,
            };
            out.push(Endpoint {
                method: if method == "all" {
                    "ANY".into()
                } else {
                    method.to_ascii_uppercase()
                },
                path,
                handler,
                authenticated,
                guard,
                framework,
                line: line(node),
            });
        });
    }
}

fn framework_name(imports: &[Import]) -> &'static str {
    if imports_any(imports, &["koa", "koa-router", "@koa/router"]) {
        "koa"
    } else if imports_any(imports, &["fastify"]) {
        "fastify"
    } else if imports_any(imports, &["hono"]) {
        "hono"
    } else {
        "express"
    }
}

/// `object.method(...)`: the object node and the method name.
fn member_call<'n, 'a>(file: &SyntaxFile<'a>, call: Node<'n>) -> Option<(Node<'n>, &'a str)> {
    let function = call.child_by_field_name("function")?;
    if function.kind() != "member_expression" {
        return None;
    }
    let object = function.child_by_field_name("object")?;
    let property = function.child_by_field_name("property")?;
    Some((object, file.text_of(property)))
}

/// For `router.route('/x')` (possibly followed by other method calls), the router and the path.
fn route_chain(file: &SyntaxFile<'_>, mut object: Node<'_>) -> Option<(String, String)> {
    loop {
        if object.kind() != "call_expression" {
            return None;
        }
        let (inner, method) = member_call(file, object)?;
        if method == "route" {
            let arguments = named_children(object.child_by_field_name("arguments")?);
            let path = file.string_value(*arguments.first()?)?;
            return Some((file.text_of(inner).to_owned(), path));
        }
        if !HTTP_METHODS.contains(&method) {
            return None;
        }
        object = inner;
    }
}

fn handler_name(file: &SyntaxFile<'_>, node: Node<'_>) -> Option<String> {
    match node.kind() {
        "identifier" | "member_expression" => Some(file.text_of(node).to_owned()),
        "call_expression" => node
            .child_by_field_name("function")
            .map(|f| file.text_of(f).to_owned()),
        _ => None,
    }
}

/// Names bound to a new application in this file: `const app = express()`, `new Koa()`, `fastify()`.
fn applications(file: &SyntaxFile<'_>) -> Vec<String> {
    let mut apps = Vec::new();
    file.walk(|node| {
        if node.kind() != "variable_declarator" {
            return;
        }
        let (Some(name), Some(value)) = (
            node.child_by_field_name("name"),
            node.child_by_field_name("value"),
        ) else {
            return;
        };
        let created = match value.kind() {
            "call_expression" => value.child_by_field_name("function").map(|f| file.text_of(f)),
            "new_expression" => value.child_by_field_name("constructor").map(|c| file.text_of(c)),
            _ => None,
        };
        if matches!(
            created,
            Some("express" | "Koa" | "fastify" | "Fastify" | "Hono" | "polka")
        ) {
            apps.push(file.text_of(name).to_owned());
        }
    });
    apps
}

/// `router.use(requireAuth)` calls: (router, line, guard text).
fn router_guards(file: &SyntaxFile<'_>) -> Vec<(String, u32, String)> {
    let mut guards = Vec::new();
    file.walk(|node| {
        if node.kind() != "call_expression" {
            return;
        }
        let Some((object, method)) = member_call(file, node) else {
            return;
        };
        if method != "use" {
            return;
        }
        let Some(arguments) = node.child_by_field_name("arguments") else {
            return;
        };
        // `app.use('/admin', auth, adminRouter)` guards only a prefix: not the app's own routes.
        let arguments = named_children(arguments);
        if arguments.first().is_some_and(|a| file.string_value(*a).is_some()) {
            return;
        }
        if let Some(guard) = arguments
            .iter()
            .map(|a| file.text_of(*a))
            .find(|a| looks_like_auth(a))
        {
            guards.push((
                file.text_of(object).to_owned(),
                line(node),
                format!("{}.use({guard})", file.text_of(object)),
            ));
        }
    });
    guards
}
