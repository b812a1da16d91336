//! Laravel routes (PHP files under a `routes` directory): `Route::get('/x', [C::class, 'm'])`, `post`, `put`,
//! `patch`, `delete`, `options`, `any` (ANY), `match(['get', 'post'], ...)`, `view` (GET), `resource` and
//! `apiResource` expanded to the conventional actions (`only`/`except` chained or as options, nested
//! `photos.comments`), with `Route::prefix('x')->middleware('auth')->group(function () {...})`,
//! `Route::group(['prefix' => 'x', 'middleware' => 'auth'], ...)`, `Route::controller(C::class)->group(...)`
//! and `Route::middleware('auth')->get(...)` chains, and Lumen's `$router->get(...)`. Routes in
//! `routes/api.php` get the `/api` prefix Laravel's route service provider gives them. Paths are absolute
//! (`/api/photos/{photo}`); handlers are `Controller@method`, `Controller` for invokable controllers, none
//! for closures.
//!
//! Authentication: a middleware on the route (`->middleware('auth')`, `['middleware' => 'auth:sanctum']`)
//! or on an enclosing group whose name `looks_like_auth` marks the route authenticated (the guard is the
//! middleware as written). Without one, a route in `routes/web.php` or `routes/api.php` is unauthenticated:
//! those files are where Laravel applications attach route middleware, and the default `web`/`api` groups
//! do not authenticate. In other route files (loaded by a provider that may wrap them in middleware) it is
//! unknown.
//!
//! Known gaps: middleware added to the `web`/`api` groups in `bootstrap/app.php` or `Kernel.php`, route
//! files loaded with a prefix by a provider, and controller constructors calling `$this->middleware('auth')`
//! are not seen; `Route::resources([...])`, `singleton` and `redirect` routes are skipped.

use tree_sitter::Node;

use super::rails::singularize;
use super::{Framework, looks_like_auth};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct Laravel;

const VERBS: [&str; 6] = ["get", "post", "put", "patch", "delete", "options"];

impl Framework for Laravel {
    fn name(&self) -> &'static str {
        "laravel"
    }

    /// Route files need not import the `Route` facade (it is a global alias): the path decides, in
    /// [`Framework::endpoints`].
    fn applies(&self, source: &Source<'_>) -> bool {
        let parts: Vec<&str> = source.path.split(['/', '\\']).collect();
        source.language == Language::Php
            && parts
                .split_last()
                .is_some_and(|(_, dirs)| dirs.contains(&"routes"))
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        let parts: Vec<&str> = file.path.split(['/', '\\']).collect();
        let Some((name, directories)) = parts.split_last() else {
            return;
        };
        let Some(routes) = directories.iter().rposition(|d| *d == "routes") else {
            return;
        };
        // Only the files directly in `routes/` are the ones Laravel loads by default.
        let default_file = routes + 1 == directories.len();
        let api = default_file && *name == "api.php";
        let visible = default_file && matches!(*name, "web.php" | "api.php");
        file.walk(|node| {
            let Some((object, method, arguments)) = call(file, node) else {
                return;
            };
            let is_route = VERBS.contains(&method)
                || matches!(method, "any" | "match" | "view" | "resource" | "apiResource");
            if !is_route {
                return;
            }
            // `Route::middleware('auth')->get(...)`: the chain below is the route's own group.
            let below = match object {
                Some(object) => match chain_below(file, object) {
                    Some(attributes) => attributes,
                    None => return,
                },
                None => Attributes::default(),
            };
            let mut attributes = groups(file, node);
            if api {
                attributes.prefixes.insert(0, "api".to_owned());
            }
            attributes.extend(below);
            let above = chain_above(file, node);
            attributes.middleware.extend(above.middleware);
            let guard = attributes.middleware.iter().find(|m| looks_like_auth(m)).cloned();
            let mut push = |method: &str, path: &str, handler: Option<String>, guard: Option<String>| {
                let authenticated = match &guard {
                    Some(_) => Some(true),
                    None if visible => Some(false),
                    None => None,
                };
                out.push(Endpoint {
                    method: method.to_owned(),
                    path: absolute(&attributes.prefixes, path),
                    handler,
                    authenticated,
                    guard,
                    framework: "laravel",
                    line: line(node),
                });
            };
            let argument = |index: usize| arguments.get(index).copied();
            if matches!(method, "resource" | "apiResource") {
                let Some(name) = argument(0).and_then(|a| php_string(file, a)) else {
                    return;
                };
                let controller = argument(1).and_then(|a| class_name(file, a)).unwrap_or_default();
                let mut only = above.only;
                let mut except = above.except;
                if let Some(options) = argument(2) {
                    for (key, value) in array_entries(file, options) {
                        match key.as_deref() {
                            Some("only") => only = Some(strings(file, value)),
                            Some("except") => except.extend(strings(file, value)),
                            _ => {}
                        }
                    }
                }
                let base = resource_path(&name);
                let param = format!(
                    "{{{}}}",
                    singularize(name.rsplit(['.', '/']).next().unwrap_or(&name)).replace('-', "_")
                );
                for (action, methods, tail) in ACTIONS {
                    if method == "apiResource" && matches!(action, "create" | "edit") {
                        continue;
                    }
                    if only.as_ref().is_some_and(|o| !o.iter().any(|a| a == action))
                        || except.iter().any(|a| a == action)
                    {
                        continue;
                    }
                    let path = match tail {
                        "" => base.clone(),
                        "create" => format!("{base}/create"),
                        "{}" => format!("{base}/{param}"),
                        _ => format!("{base}/{param}/{tail}"),
                    };
                    for method in methods {
                        push(
                            method,
                            &path,
                            Some(format!("{controller}@{action}")),
                            guard.clone(),
                        );
                    }
                }
                return;
            }
            let (methods, path_index) = match method {
                "any" => (vec!["ANY".to_owned()], 0),
                "match" => (
                    argument(0)
                        .map(|a| strings(file, a))
                        .unwrap_or_default()
                        .iter()
                        .map(|m| m.to_ascii_uppercase())
                        .collect(),
                    1,
                ),
                "view" => (vec!["GET".to_owned()], 0),
                verb => (vec![verb.to_ascii_uppercase()], 0),
            };
            let Some(path) = argument(path_index).and_then(|a| php_string(file, a)) else {
                return;
            };
            let action = if method == "view" {
                None
            } else {
                argument(path_index + 1)
            };
            // Lumen and old Laravel: `['uses' => 'C@m', 'middleware' => 'auth']`.
            let mut route_guard = guard.clone();
            let handler = action.and_then(|action| {
                let entries = array_entries(file, action);
                if entries.iter().any(|(key, _)| key.is_some()) {
                    for (key, value) in &entries {
                        if key.as_deref() == Some("middleware") && route_guard.is_none() {
                            route_guard = strings(file, *value).into_iter().find(|m| looks_like_auth(m));
                        }
                    }
                    return entries
                        .iter()
                        .find(|(key, _)| key.as_deref() == Some("uses"))
                        .and_then(|(_, value)| php_string(file, *value));
                }
                handler(file, action, attributes.controller.as_deref())
            });
            for method in &methods {
                push(method, &path, handler.clone(), route_guard.clone());
            }
        });
    }
}

/// Resource actions: (action, methods, path after `/photos`: none, `create`, the parameter, or a suffix
/// after the parameter).
const ACTIONS: [(&str, &[&str], &str); 7] = [
    ("index", &["GET"], ""),
    ("create", &["GET"], "create"),
    ("store", &["POST"], ""),
    ("show", &["GET"], "{}"),
    ("edit", &["GET"], "edit"),
    ("update", &["PUT", "PATCH"], "{}"),
    ("destroy", &["DELETE"], "{}"),
];

/// `photos.comments` → `photos/{photo}/comments`.
fn resource_path(name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    let mut path = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        path.push((*part).to_owned());
        if index + 1 < parts.len() {
            path.push(format!("{{{}}}", singularize(part).replace('-', "_")));
        }
    }
    path.join("/")
}

fn absolute(prefixes: &[String], path: &str) -> String {
    let parts: Vec<&str> = prefixes
        .iter()
        .map(String::as_str)
        .chain([path])
        .map(|p| p.trim_matches('/'))
        .filter(|p| !p.is_empty())
        .collect();
    format!("/{}", parts.join("/"))
}

/// What groups and chains add to a route.
#[derive(Debug, Default)]
struct Attributes {
    /// Outermost first.
    prefixes: Vec<String>,
    middleware: Vec<String>,
    controller: Option<String>,
}

impl Attributes {
    fn extend(&mut self, inner: Attributes) {
        self.prefixes.extend(inner.prefixes);
        self.middleware.extend(inner.middleware);
        if inner.controller.is_some() {
            self.controller = inner.controller;
        }
    }

    /// One chained call or `Route::` call: `prefix('x')`, `middleware([...])`, `controller(C::class)`.
    fn read(&mut self, file: &SyntaxFile<'_>, method: &str, arguments: &[Node<'_>]) {
        let Some(first) = arguments.first().copied() else {
            return;
        };
        match method {
            "prefix" => self.prefixes.extend(php_string(file, first)),
            "middleware" => self.middleware.extend(strings(file, first)),
            "controller" => self.controller = class_name(file, first),
            // `Route::group(['prefix' => 'x', 'middleware' => 'auth'], function () {...})`.
            "group" => {
                for (key, value) in array_entries(file, first) {
                    match key.as_deref() {
                        Some("prefix") => self.prefixes.extend(php_string(file, value)),
                        Some("middleware") => self.middleware.extend(strings(file, value)),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// A `Route::method(...)` (object `None`) or `$object->method(...)` call: object, method, argument values.
fn call<'t, 'a>(file: &SyntaxFile<'a>, node: Node<'t>) -> Option<(Option<Node<'t>>, &'a str, Vec<Node<'t>>)> {
    let object = match node.kind() {
        "scoped_call_expression" => {
            let scope = file.text_of(node.child_by_field_name("scope")?);
            if scope.rsplit('\\').next() != Some("Route") {
                return None;
            }
            None
        }
        "member_call_expression" => Some(node.child_by_field_name("object")?),
        _ => return None,
    };
    let method = file.text_of(node.child_by_field_name("name")?);
    let arguments = node
        .child_by_field_name("arguments")
        .map(|a| {
            named_children(a)
                .into_iter()
                .filter(|a| a.kind() == "argument")
                .filter_map(|a| named_children(a).last().copied())
                .collect()
        })
        .unwrap_or_default();
    Some((object, method, arguments))
}

/// The calls below a chained route or group down to `Route::...` (or Lumen's `$router`); `None` when the
/// chain is not a route definition.
fn chain_below(file: &SyntaxFile<'_>, mut object: Node<'_>) -> Option<Attributes> {
    let mut calls = Vec::new();
    for _ in 0..32 {
        if object.kind() == "variable_name" {
            if file.text_of(object) != "$router" {
                return None;
            }
            break;
        }
        let (inner, method, arguments) = call(file, object)?;
        calls.push((method, arguments));
        match inner {
            Some(inner) => object = inner,
            None => break,
        }
    }
    let mut attributes = Attributes::default();
    for (method, arguments) in calls.iter().rev() {
        attributes.read(file, method, arguments);
    }
    Some(attributes)
}

/// What is chained after a route: `->middleware('auth')`, `->only([...])`, `->except([...])`.
#[derive(Debug, Default)]
struct Above {
    middleware: Vec<String>,
    only: Option<Vec<String>>,
    except: Vec<String>,
}

fn chain_above(file: &SyntaxFile<'_>, route: Node<'_>) -> Above {
    let mut above = Above::default();
    let mut current = route;
    for _ in 0..32 {
        let Some(parent) = current.parent().filter(|p| p.kind() == "member_call_expression") else {
            break;
        };
        if parent.child_by_field_name("object") != Some(current) {
            break;
        }
        if let Some((_, method, arguments)) = call(file, parent) {
            let first = arguments.first().map(|a| strings(file, *a)).unwrap_or_default();
            match method {
                "middleware" => above.middleware.extend(first),
                "only" => above.only = Some(first),
                "except" => above.except.extend(first),
                _ => {}
            }
        }
        current = parent;
    }
    above
}

/// The groups around a route, outermost first: each closure passed to a `group(...)` call.
fn groups(file: &SyntaxFile<'_>, route: Node<'_>) -> Attributes {
    let mut found = Vec::new();
    let mut child = route;
    while let Some(parent) = child.parent() {
        if matches!(
            child.kind(),
            "anonymous_function" | "arrow_function" | "anonymous_function_creation_expression"
        ) && parent.kind() == "argument"
        {
            let group = parent.parent().and_then(|arguments| arguments.parent());
            if let Some((object, "group", arguments)) = group.and_then(|g| call(file, g)) {
                let mut attributes = match object {
                    Some(object) => chain_below(file, object).unwrap_or_default(),
                    None => Attributes::default(),
                };
                attributes.read(file, "group", &arguments);
                found.push(attributes);
            }
        }
        child = parent;
    }
    let mut attributes = Attributes::default();
    for group in found.into_iter().rev() {
        attributes.extend(group);
    }
    attributes
}

/// A literal string without interpolated variables.
fn php_string(file: &SyntaxFile<'_>, node: Node<'_>) -> Option<String> {
    if !matches!(node.kind(), "string" | "encapsed_string") {
        return None;
    }
    if named_children(node)
        .iter()
        .any(|c| !matches!(c.kind(), "string_content" | "escape_sequence"))
    {
        return None;
    }
    file.string_value(node)
}

/// A string or an array of strings (`'auth'`, `['auth:sanctum', 'verified']`); class constants as written.
fn strings(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    let values = match node.kind() {
        "array_creation_expression" => array_entries(file, node).into_iter().map(|(_, v)| v).collect(),
        _ => vec![node],
    };
    values
        .into_iter()
        .filter_map(|v| {
            php_string(file, v).or_else(|| {
                (v.kind() == "class_constant_access_expression").then(|| file.text_of(v).to_owned())
            })
        })
        .collect()
}

/// The entries of an array literal: (string key, value).
fn array_entries<'t>(file: &SyntaxFile<'_>, node: Node<'t>) -> Vec<(Option<String>, Node<'t>)> {
    if node.kind() != "array_creation_expression" {
        return Vec::new();
    }
    named_children(node)
        .into_iter()
        .filter(|e| e.kind() == "array_element_initializer")
        .filter_map(|e| match named_children(e).as_slice() {
            [value] => Some((None, *value)),
            [key, value] => Some((php_string(file, *key), *value)),
            _ => None,
        })
        .collect()
}

/// `C::class` → `C`, `'App\Http\Controllers\C'` → as written.
fn class_name(file: &SyntaxFile<'_>, node: Node<'_>) -> Option<String> {
    match node.kind() {
        "class_constant_access_expression" => {
            let text = file.text_of(node);
            Some(
                text.strip_suffix("::class")
                    .unwrap_or(text)
                    .trim_start_matches('\\')
                    .to_owned(),
            )
        }
        _ => php_string(file, node),
    }
}

/// `[C::class, 'm']` → `C@m`, `'C@m'`, `C::class` (invokable) → `C`, `'m'` in a controller group → `C@m`.
fn handler(file: &SyntaxFile<'_>, action: Node<'_>, controller: Option<&str>) -> Option<String> {
    match action.kind() {
        "array_creation_expression" => {
            let entries = array_entries(file, action);
            let class = entries.first().and_then(|(_, c)| class_name(file, *c))?;
            let method = entries.get(1).and_then(|(_, m)| php_string(file, *m));
            Some(match method {
                Some(method) => format!("{class}@{method}"),
                None => class,
            })
        }
        "class_constant_access_expression" => class_name(file, action),
        _ => {
            let value = php_string(file, action)?;
            Some(match controller {
                Some(controller) if !value.contains('@') => format!("{controller}@{value}"),
                _ => value,
            })
        }
    }
}
