//! Flask and FastAPI: routes declared by decorators (`@app.route('/x', methods=[...])`, `@bp.get('/x')`,
//! `@router.post('/x')`), with prefixes from `Blueprint(url_prefix=...)` and `APIRouter(prefix=...)`.
//!
//! Authentication: a decorator that authenticates (`@login_required`, `@jwt_required()`), a FastAPI
//! dependency that does (`Depends(get_current_user)` in the parameters, `dependencies=[Depends(auth)]` on
//! the route or its router). A Flask app with a `before_request` hook may guard everything elsewhere:
//! unknown; otherwise a route without a guard is unauthenticated.

use std::collections::HashMap;

use tree_sitter::Node;

use super::{Framework, HTTP_METHODS, imports_any, looks_like_auth};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct Flask;

#[derive(Debug)]
pub struct FastApi;

impl Framework for Flask {
    fn name(&self) -> &'static str {
        "flask"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Python && imports_any(source.imports, &["flask"])
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        decorated_routes(file, "flask", out);
    }
}

impl Framework for FastApi {
    fn name(&self) -> &'static str {
        "fastapi"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Python && imports_any(source.imports, &["fastapi"])
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        decorated_routes(file, "fastapi", out);
    }
}

/// What a router object adds to its routes.
#[derive(Debug, Default)]
struct Router {
    prefix: String,
    guard: Option<String>,
}

fn decorated_routes(file: &SyntaxFile<'_>, framework: &'static str, out: &mut Vec<Endpoint>) {
    let routers = routers(file);
    let before_request = file.text.contains("before_request");
    file.walk(|node| {
        if node.kind() != "decorated_definition" {
            return;
        }
        let Some(definition) = node.child_by_field_name("definition") else {
            return;
        };
        if definition.kind() != "function_definition" {
            return;
        }
        let handler = definition
            .child_by_field_name("name")
            .map(|n| file.text_of(n).to_owned());
        let decorators: Vec<Node<'_>> = named_children(node)
            .into_iter()
            .filter(|c| c.kind() == "decorator")
            .collect();
        let decorator_guard = decorators
            .iter()
            .map(|d| file.text_of(*d).trim_start_matches('@').trim())
            .find(|d| looks_like_auth(d) && !d.contains(".route(") && !is_route_text(d))
            .map(|d| format!("@{d}"));
        let parameter_guard = definition
            .child_by_field_name("parameters")
            .and_then(|p| depends_guard(file, p));
        for decorator in &decorators {
            let Some((object, methods, path, route_guard)) = route_decorator(file, *decorator) else {
                continue;
            };
            let router = routers.get(object.as_str());
            let full_path = format!("{}{path}", router.map_or("", |r| r.prefix.as_str()));
            let guard = decorator_guard
                .clone()
                .or_else(|| route_guard.clone())
                .or_else(|| parameter_guard.clone())
                .or_else(|| router.and_then(|r| r.guard.clone()));
            let authenticated = match (&guard, framework) {
                (Some(_), _) => Some(true),
                (None, "flask") if before_request => None,
                (None, _) => Some(false),
            };
            for method in methods {
                out.push(Endpoint {
                    method,
                    path: full_path.clone(),
                    handler: handler.clone(),
                    authenticated,
                    guard: guard.clone(),
                    framework,
                    line: line(*decorator),
                });
            }
        }
    });
}

fn is_route_text(decorator: &str) -> bool {
    HTTP_METHODS.iter().any(|m| decorator.contains(&format!(".{m}(")))
}

/// `@obj.route('/p', methods=[...])` or `@obj.get('/p', dependencies=[...])`: the object, the methods, the
/// path and a guard from the route's own dependencies.
fn route_decorator(
    file: &SyntaxFile<'_>,
    decorator: Node<'_>,
) -> Option<(String, Vec<String>, String, Option<String>)> {
    let call = named_children(decorator)
        .into_iter()
        .find(|c| c.kind() == "call")?;
    let function = call.child_by_field_name("function")?;
    if function.kind() != "attribute" {
        return None;
    }
    let object = file.text_of(function.child_by_field_name("object")?).to_owned();
    let attribute = file.text_of(function.child_by_field_name("attribute")?);
    let arguments = named_children(call.child_by_field_name("arguments")?);
    let path = arguments.iter().find_map(|a| file.string_value(*a))?;
    let keyword = |name: &str| {
        arguments
            .iter()
            .copied()
            .filter(|a| a.kind() == "keyword_argument")
            .find(|a| {
                a.child_by_field_name("name")
                    .is_some_and(|n| file.text_of(n) == name)
            })
    };
    let methods = match attribute {
        "route" | "api_route" => match keyword("methods").and_then(|k| k.child_by_field_name("value")) {
            Some(list) => named_children(list)
                .into_iter()
                .filter_map(|m| file.string_value(m))
                .map(|m| m.to_ascii_uppercase())
                .collect(),
            None => vec!["GET".to_owned()],
        },
        method if HTTP_METHODS.contains(&method) && method != "all" => vec![method.to_ascii_uppercase()],
        "websocket" => vec!["WEBSOCKET".to_owned()],
        _ => return None,
    };
    let guard = keyword("dependencies")
        .and_then(|k| k.child_by_field_name("value"))
        .and_then(|v| depends_guard(file, v));
    Some((object, methods, path, guard))
}

/// An authenticating `Depends(...)`/`Security(...)` anywhere below `node`.
fn depends_guard(file: &SyntaxFile<'_>, node: Node<'_>) -> Option<String> {
    let mut found = None;
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        if current.kind() == "call" {
            let function = current.child_by_field_name("function").map(|f| file.text_of(f));
            if matches!(function, Some("Depends" | "Security")) {
                let text = file.text_of(current);
                if looks_like_auth(text) || function == Some("Security") {
                    found = Some(text.to_owned());
                    break;
                }
            }
        }
        stack.extend(named_children(current));
    }
    found
}

/// `bp = Blueprint('x', __name__, url_prefix='/api')`, `router = APIRouter(prefix='/users', dependencies=[...])`.
fn routers(file: &SyntaxFile<'_>) -> HashMap<String, Router> {
    let mut routers = HashMap::new();
    file.walk(|node| {
        if node.kind() != "assignment" {
            return;
        }
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        if right.kind() != "call" {
            return;
        }
        let function = right
            .child_by_field_name("function")
            .map(|f| file.text_of(f))
            .unwrap_or_default();
        if !matches!(function.rsplit('.').next(), Some("Blueprint" | "APIRouter")) {
            return;
        }
        let Some(arguments) = right.child_by_field_name("arguments") else {
            return;
        };
        let mut router = Router::default();
        for argument in named_children(arguments)
            .into_iter()
            .filter(|a| a.kind() == "keyword_argument")
        {
            let name = argument.child_by_field_name("name").map(|n| file.text_of(n));
            let value = argument.child_by_field_name("value");
            match (name, value) {
                (Some("url_prefix" | "prefix"), Some(value)) => {
                    router.prefix = file.string_value(value).unwrap_or_default()
                }
                (Some("dependencies"), Some(value)) => router.guard = depends_guard(file, value),
                _ => {}
            }
        }
        routers.insert(file.text_of(left).to_owned(), router);
    });
    routers
}
