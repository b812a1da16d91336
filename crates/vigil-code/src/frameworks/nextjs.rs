//! Next.js API routes, recognised by where the file is (no import is needed):
//! - Pages router, `pages/api/**.{js,jsx,ts,tsx}` (also under `src/`): one route per file, its path from
//!   the file path (`pages/api/users/[id].ts` is `/api/users/[id]`, `index` is its folder). The methods are
//!   those the default-exported handler compares `req.method` with (`req.method === 'POST'`, `!==`,
//!   `switch (req.method) { case 'GET': ... }`, `['GET', 'HEAD'].includes(req.method)`); a handler that
//!   compares none takes every method (`ANY`).
//! - App router route handlers, `app/**/route.{js,jsx,ts,tsx}` (also under `src/`): one endpoint per
//!   exported `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD` or `OPTIONS` (function, `const`, or
//!   `export { handler as GET }`), the path from the folders with route groups `(group)` and parallel-route
//!   slots `@slot` removed and dynamic segments `[id]` kept; private folders (`_lib`) are not routed.
//!
//! Authentication: a wrapper whose name says it authenticates (`export default withAuth(handler)`,
//! `export const GET = auth(async (req) => ...)`) or a call inside the handler that does
//! (`getServerSession`, `auth()`, `getToken`, `currentUser`, `supabase.auth.getUser`) marks the endpoint
//! authenticated. Calls that issue or change credentials (`jwt.sign`, `createSession`, `hashPassword`,
//! `signIn`) do not: a login route is open; nor do the authentication library's own routes
//! (`NextAuth(authOptions)`, `handleAuth()`, `toNextJsHandler(auth)`). Otherwise the answer is unknown (`None`): `middleware.ts`
//! guards routes from another file.
//!
//! Known gaps: handlers imported from another file (the endpoint is reported, its methods and guard are
//! not read), `next-connect` style routers inside one file (the file is one route taking every method
//! they register), custom `pageExtensions`, `basePath`, and whether an authentication call's result is
//! actually checked.

use std::collections::HashMap;

use tree_sitter::Node;

use super::{Framework, looks_like_auth};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct NextJs;

const VERBS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Next.js's default `pageExtensions`.
const EXTENSIONS: [&str; 4] = ["js", "jsx", "ts", "tsx"];

const FUNCTIONS: [&str; 6] = [
    "function_declaration",
    "function_expression",
    "function",
    "arrow_function",
    "generator_function_declaration",
    "generator_function",
];

/// Bounds following `handler` -> `withAuth(handler2)` -> `handler2`: definitions may refer to each other.
const MAX_HOPS: usize = 8;

impl Framework for NextJs {
    fn name(&self) -> &'static str {
        "nextjs"
    }

    /// API routes are known by their path: `pages/api/**` or an App Router `route.*` file.
    fn applies(&self, source: &Source<'_>) -> bool {
        let name = source.path.rsplit(['/', '\\']).next().unwrap_or(source.path);
        source.language.is_javascript_family()
            && (source.path.replace('\\', "/").contains("pages/api/") || name.starts_with("route."))
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        let normalized = file.path.replace('\\', "/");
        let segments: Vec<&str> = normalized
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect();
        if segments
            .iter()
            .any(|s| matches!(*s, "node_modules" | "__tests__"))
        {
            return;
        }
        let Some((file_name, folders)) = segments.split_last() else {
            return;
        };
        let Some((stem, extension)) = file_name.rsplit_once('.') else {
            return;
        };
        if !EXTENSIONS.contains(&extension) || stem.ends_with(".test") || stem.ends_with(".spec") {
            return;
        }
        if let Some(route) = pages_route(folders, stem) {
            pages_endpoints(file, &route, out);
        } else if stem == "route"
            && let Some(route) = app_route(folders)
        {
            app_endpoints(file, &route, out);
        }
    }
}

/// `pages/api/users/[id]` -> `/api/users/[id]`, `pages/api/index` -> `/api`.
fn pages_route(folders: &[&str], stem: &str) -> Option<String> {
    let start = folders
        .windows(2)
        .position(|pair| matches!(pair, ["pages", "api"]))?;
    let mut parts: Vec<&str> = folders.get(start + 1..)?.to_vec();
    if stem != "index" {
        parts.push(stem);
    }
    Some(format!("/{}", parts.join("/")))
}

/// `app/(shop)/api/items/[id]` -> `/api/items/[id]`; `None` inside a private folder.
fn app_route(folders: &[&str]) -> Option<String> {
    let start = folders.iter().position(|f| *f == "app")?;
    let mut parts = Vec::new();
    for folder in folders.get(start + 1..)? {
        if folder.starts_with('_') {
            return None;
        }
        if (folder.starts_with('(') && folder.ends_with(')')) || folder.starts_with('@') {
            continue;
        }
        parts.push(*folder);
    }
    Some(format!("/{}", parts.join("/")))
}

fn pages_endpoints(file: &SyntaxFile<'_>, route: &str, out: &mut Vec<Endpoint>) {
    let root = file.root();
    let bindings = bindings(file, root);
    let Some((export, target)) = default_export(file, root) else {
        return;
    };
    let resolved = resolve(file, &bindings, target, None);
    // An imported handler leaves only this file to read.
    let scope = resolved.function.unwrap_or(root);
    let mut methods = compared_methods(file, scope);
    if methods.is_empty() {
        methods.push("ANY".to_owned());
    }
    let guard = resolved.wrapper_guard.clone().or_else(|| auth_call(file, scope));
    for method in methods {
        out.push(Endpoint {
            method,
            path: route.to_owned(),
            handler: resolved.name.clone(),
            authenticated: guard.as_ref().map(|_| true),
            guard: guard.clone(),
            framework: "nextjs",
            line: line(resolved.function.unwrap_or(export)),
        });
    }
}

fn app_endpoints(file: &SyntaxFile<'_>, route: &str, out: &mut Vec<Endpoint>) {
    let root = file.root();
    let bindings = bindings(file, root);
    let mut push = |method: &str, resolved: Resolved<'_>, at: Node<'_>| {
        let guard = resolved
            .wrapper_guard
            .or_else(|| resolved.function.and_then(|f| auth_call(file, f)));
        out.push(Endpoint {
            method: method.to_owned(),
            path: route.to_owned(),
            handler: resolved.name,
            authenticated: guard.as_ref().map(|_| true),
            guard,
            framework: "nextjs",
            line: line(at),
        });
    };
    for export in named_children(root)
        .into_iter()
        .filter(|n| n.kind() == "export_statement")
    {
        if let Some(declaration) = export.child_by_field_name("declaration") {
            if declaration.kind().ends_with("function_declaration") {
                let name = declaration
                    .child_by_field_name("name")
                    .map_or("", |n| file.text_of(n));
                if VERBS.contains(&name) {
                    push(name, resolve(file, &bindings, declaration, None), export);
                }
            }
            for declarator in named_children(declaration)
                .into_iter()
                .filter(|d| d.kind() == "variable_declarator")
            {
                let name = declarator
                    .child_by_field_name("name")
                    .map_or("", |n| file.text_of(n));
                let Some(value) = declarator.child_by_field_name("value") else {
                    continue;
                };
                if VERBS.contains(&name) {
                    push(name, resolve(file, &bindings, value, Some(name)), export);
                }
            }
        }
        // `export { handler as GET }`, `export { GET } from './handlers'`.
        let reexported = export.child_by_field_name("source").is_some();
        for clause in named_children(export)
            .into_iter()
            .filter(|c| c.kind() == "export_clause")
        {
            for specifier in named_children(clause)
                .into_iter()
                .filter(|s| s.kind() == "export_specifier")
            {
                let Some(local) = specifier.child_by_field_name("name") else {
                    continue;
                };
                let exported = specifier.child_by_field_name("alias").unwrap_or(local);
                let exported = file.text_of(exported);
                if !VERBS.contains(&exported) {
                    continue;
                }
                let resolved = if reexported {
                    Resolved {
                        name: Some(file.text_of(local).to_owned()),
                        ..Resolved::default()
                    }
                } else {
                    resolve(file, &bindings, local, None)
                };
                push(exported, resolved, specifier);
            }
        }
    }
}

/// The default export: `export default <target>` or `module.exports = <target>`.
fn default_export<'t>(file: &SyntaxFile<'_>, root: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    named_children(root)
        .into_iter()
        .find_map(|statement| match statement.kind() {
            "export_statement" => {
                let mut cursor = statement.walk();
                let is_default = statement.children(&mut cursor).any(|c| c.kind() == "default");
                let target = statement
                    .child_by_field_name("declaration")
                    .or_else(|| statement.child_by_field_name("value"));
                if is_default {
                    target.map(|t| (statement, t))
                } else {
                    None
                }
            }
            "expression_statement" => {
                let assignment = named_children(statement)
                    .into_iter()
                    .find(|c| c.kind() == "assignment_expression")?;
                let left = file.text_of(assignment.child_by_field_name("left")?);
                if matches!(left, "module.exports" | "exports.default") {
                    assignment.child_by_field_name("right").map(|r| (statement, r))
                } else {
                    None
                }
            }
            _ => None,
        })
}

/// Top-level functions and variables by name, exported or not.
fn bindings<'t>(file: &SyntaxFile<'_>, root: Node<'t>) -> HashMap<String, Node<'t>> {
    let mut found = HashMap::new();
    for statement in named_children(root) {
        let declaration = match statement.kind() {
            "export_statement" => match statement.child_by_field_name("declaration") {
                Some(declaration) => declaration,
                None => continue,
            },
            _ => statement,
        };
        if FUNCTIONS.contains(&declaration.kind()) {
            if let Some(name) = declaration.child_by_field_name("name") {
                found.entry(file.text_of(name).to_owned()).or_insert(declaration);
            }
            continue;
        }
        if !matches!(declaration.kind(), "lexical_declaration" | "variable_declaration") {
            continue;
        }
        for declarator in named_children(declaration)
            .into_iter()
            .filter(|d| d.kind() == "variable_declarator")
        {
            if let (Some(name), Some(value)) = (
                declarator.child_by_field_name("name"),
                declarator.child_by_field_name("value"),
            ) {
                found.entry(file.text_of(name).to_owned()).or_insert(value);
            }
        }
    }
    found
}

/// A handler as exported, followed through names and wrapper calls to its function.
#[derive(Debug, Default)]
struct Resolved<'t> {
    function: Option<Node<'t>>,
    name: Option<String>,
    wrapper_guard: Option<String>,
}

fn resolve<'t>(
    file: &SyntaxFile<'_>,
    bindings: &HashMap<String, Node<'t>>,
    start: Node<'t>,
    name: Option<&str>,
) -> Resolved<'t> {
    let mut resolved = Resolved {
        name: name.map(str::to_owned),
        ..Resolved::default()
    };
    let mut node = start;
    for _ in 0..MAX_HOPS {
        match node.kind() {
            kind if FUNCTIONS.contains(&kind) => {
                if resolved.name.is_none() {
                    resolved.name = node
                        .child_by_field_name("name")
                        .map(|n| file.text_of(n).to_owned());
                }
                resolved.function = Some(node);
                break;
            }
            "identifier" => {
                let identifier = file.text_of(node);
                resolved.name.get_or_insert_with(|| identifier.to_owned());
                match bindings.get(identifier) {
                    Some(next) if *next != node => node = *next,
                    _ => break,
                }
            }
            "call_expression" => {
                let callee = node
                    .child_by_field_name("function")
                    .map_or("", |f| file.text_of(f));
                if resolved.wrapper_guard.is_none() && is_auth_call(callee) {
                    resolved.wrapper_guard = Some(callee.to_owned());
                }
                let wrapped = node.child_by_field_name("arguments").and_then(|arguments| {
                    named_children(arguments).into_iter().find(|a| {
                        FUNCTIONS.contains(&a.kind()) || matches!(a.kind(), "identifier" | "call_expression")
                    })
                });
                match wrapped {
                    Some(next) => node = next,
                    None => break,
                }
            }
            "parenthesized_expression" | "as_expression" | "satisfies_expression" | "non_null_expression" => {
                match named_children(node).into_iter().next() {
                    Some(inner) => node = inner,
                    None => break,
                }
            }
            _ => break,
        }
    }
    resolved
}

/// Methods the handler compares `req.method` with, in source order.
fn compared_methods(file: &SyntaxFile<'_>, scope: Node<'_>) -> Vec<String> {
    let mut methods: Vec<String> = Vec::new();
    let mut add = |value: Option<String>| {
        if let Some(verb) = value
            .map(|v| v.to_ascii_uppercase())
            .filter(|v| VERBS.contains(&v.as_str()))
            && !methods.contains(&verb)
        {
            methods.push(verb);
        }
    };
    for node in descendants(scope) {
        match node.kind() {
            "binary_expression" => {
                let operator = node.child_by_field_name("operator").map(|o| file.text_of(o));
                if !matches!(operator, Some("===" | "==" | "!==" | "!=")) {
                    continue;
                }
                let (Some(left), Some(right)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) else {
                    continue;
                };
                for (access, value) in [(left, right), (right, left)] {
                    if is_method_access(file, access) {
                        add(file.string_value(value));
                    }
                }
            }
            "switch_statement" => {
                let value = node
                    .child_by_field_name("value")
                    .and_then(|v| named_children(v).into_iter().next());
                if !value.is_some_and(|v| is_method_access(file, v)) {
                    continue;
                }
                let Some(body) = node.child_by_field_name("body") else {
                    continue;
                };
                for case in named_children(body)
                    .into_iter()
                    .filter(|c| c.kind() == "switch_case")
                {
                    add(case
                        .child_by_field_name("value")
                        .and_then(|v| file.string_value(v)));
                }
            }
            "call_expression" => {
                let Some(function) = node
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "member_expression")
                else {
                    continue;
                };
                let property = function.child_by_field_name("property").map(|p| file.text_of(p));
                let Some(list) = function
                    .child_by_field_name("object")
                    .filter(|o| o.kind() == "array")
                else {
                    continue;
                };
                let checks_method = node
                    .child_by_field_name("arguments")
                    .is_some_and(|a| named_children(a).into_iter().any(|a| is_method_access(file, a)));
                if property == Some("includes") && checks_method {
                    for item in named_children(list) {
                        add(file.string_value(item));
                    }
                }
            }
            _ => {}
        }
    }
    methods
}

/// `req.method`, `request.method`.
fn is_method_access(file: &SyntaxFile<'_>, node: Node<'_>) -> bool {
    node.kind() == "member_expression"
        && node
            .child_by_field_name("property")
            .is_some_and(|p| file.text_of(p) == "method")
}

/// The first call below `scope` that authenticates the request, by its callee.
fn auth_call(file: &SyntaxFile<'_>, scope: Node<'_>) -> Option<String> {
    descendants(scope)
        .into_iter()
        .filter(|n| n.kind() == "call_expression")
        .filter_map(|call| call.child_by_field_name("function"))
        .map(|callee| file.text_of(callee))
        .find(|callee| is_auth_call(callee))
        .map(str::to_owned)
}

/// Callee names that change credentials rather than check them (a login route calls them).
const CREDENTIAL_ACTIONS: [&str; 19] = [
    "sign", "create", "generate", "issue", "set", "hash", "compare", "login", "logout", "register",
    "refresh", "revoke", "destroy", "delete", "remove", "update", "encode", "encrypt", "save",
];

/// Factories of an authentication library's own routes (sign-in, callbacks): open by design.
const AUTH_ROUTES: [&str; 3] = ["nextauth", "handleauth", "tonextjshandler"];

fn is_auth_call(callee: &str) -> bool {
    let last = callee
        .rsplit('.')
        .next()
        .unwrap_or(callee)
        .trim()
        .to_ascii_lowercase();
    let changes_credentials =
        CREDENTIAL_ACTIONS.iter().any(|a| last.starts_with(a)) && !last.starts_with("signedin");
    looks_like_auth(callee)
        && !changes_credentials
        && !last.contains("password")
        && !AUTH_ROUTES.contains(&last.as_str())
}

/// Every node below `node` (itself included), parents first, in source order.
fn descendants(node: Node<'_>) -> Vec<Node<'_>> {
    let mut found = Vec::new();
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        found.push(current);
        stack.extend(named_children(current).into_iter().rev());
    }
    found
}
