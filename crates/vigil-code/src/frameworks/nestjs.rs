//! NestJS controllers (files importing `@nestjs/common`): a class decorated `@Controller('users')` (also
//! `@Controller()`, an array of prefixes or `{ path: 'users' }`) and its methods decorated `@Get(':id')`,
//! `@Post()`, `@Put`, `@Patch`, `@Delete`, `@Options`, `@Head` or `@All` (`ANY`). The path is the controller
//! prefix and the method path joined with single slashes; an array of paths gives one endpoint per path.
//!
//! Authentication: `@UseGuards(...)` naming an authentication guard (`AuthGuard('jwt')`, `JwtAuthGuard`,
//! `RolesGuard`, an API-key guard) on the method or its class marks the endpoint authenticated; a guard
//! that only throttles or validates (`ThrottlerGuard`) does not. `@Public()`, `@SkipAuth()`,
//! `@AllowAnonymous()` or `@SetMetadata('isPublic', true)` on the method (or the class, when the method has
//! no guard of its own) marks it unauthenticated, even under a class guard: that is how applications opt
//! out of their global guard. Otherwise the answer is unknown (`None`): guards are usually registered
//! globally elsewhere (`APP_GUARD`, `app.useGlobalGuards`).
//!
//! Known gaps: prefixes and paths from constants (the endpoint is left out rather than given a wrong
//! path), `RouterModule` and `setGlobalPrefix` prefixes, versioning, and guards applied through custom
//! composed decorators other than the documented `@Auth(...)` pattern (and its `@Authenticated`,
//! `@Authorize`, `@RequireAuth` spellings).

use tree_sitter::Node;

use super::spring::{join_route, qualified};
use super::{Framework, imports_any, looks_like_auth};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct NestJs;

const VERBS: [(&str, &str); 8] = [
    ("Get", "GET"),
    ("Post", "POST"),
    ("Put", "PUT"),
    ("Patch", "PATCH"),
    ("Delete", "DELETE"),
    ("Options", "OPTIONS"),
    ("Head", "HEAD"),
    ("All", "ANY"),
];

/// Decorators applications define to opt an endpoint out of a global guard.
const PUBLIC: [&str; 5] = ["Public", "SkipAuth", "AllowAnonymous", "IsPublic", "NoAuth"];

impl Framework for NestJs {
    fn name(&self) -> &'static str {
        "nestjs"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language.is_javascript_family() && imports_any(source.imports, &["@nestjs/common"])
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        file.walk(|node| {
            if !matches!(
                node.kind(),
                "class_declaration" | "abstract_class_declaration" | "class"
            ) {
                return;
            }
            let class_decorators = class_decorators(file, node);
            let Some(controller) = class_decorators.iter().find(|d| d.name == "Controller") else {
                return;
            };
            let Some(prefixes) = controller_prefixes(file, controller) else {
                return;
            };
            let class_name = node.child_by_field_name("name").map_or("", |n| file.text_of(n));
            let class_guard = guard(file, &class_decorators);
            let class_public = is_public(file, &class_decorators);
            let Some(body) = node.child_by_field_name("body") else {
                return;
            };
            // TypeScript puts a method's decorators before it in the class body, JavaScript inside it.
            let mut pending = Vec::new();
            for member in named_children(body) {
                match member.kind() {
                    "decorator" => pending.extend(decorator(file, member)),
                    "comment" => {}
                    "method_definition" => {
                        let mut decorators = std::mem::take(&mut pending);
                        decorators.extend(
                            named_children(member)
                                .into_iter()
                                .filter(|c| c.kind() == "decorator")
                                .filter_map(|c| decorator(file, c)),
                        );
                        let method_guard = guard(file, &decorators);
                        let (authenticated, guard) = if is_public(file, &decorators) {
                            (Some(false), None)
                        } else if let Some(guard) = method_guard {
                            (Some(true), Some(guard))
                        } else if class_public {
                            (Some(false), None)
                        } else {
                            (class_guard.as_ref().map(|_| true), class_guard.clone())
                        };
                        let handler = member
                            .child_by_field_name("name")
                            .map(|n| qualified(class_name, file.text_of(n)));
                        for route in &decorators {
                            let Some((_, verb)) = VERBS.iter().find(|(name, _)| *name == route.name) else {
                                continue;
                            };
                            // `@Get` without a call is not Nest's route decorator.
                            let Some(arguments) = &route.arguments else {
                                continue;
                            };
                            let Some(paths) = route_paths(file, arguments) else {
                                continue;
                            };
                            for prefix in &prefixes {
                                for path in &paths {
                                    out.push(Endpoint {
                                        method: (*verb).to_owned(),
                                        path: join_route(prefix, path),
                                        handler: handler.clone(),
                                        authenticated,
                                        guard: guard.clone(),
                                        framework: "nestjs",
                                        line: line(route.node),
                                    });
                                }
                            }
                        }
                    }
                    _ => pending.clear(),
                }
            }
        });
    }
}

/// A decorator: its simple name and, when it is called, its arguments.
#[derive(Debug)]
struct Decorator<'t> {
    name: String,
    node: Node<'t>,
    arguments: Option<Vec<Node<'t>>>,
}

fn decorator<'t>(file: &SyntaxFile<'_>, node: Node<'t>) -> Option<Decorator<'t>> {
    let expression = named_children(node).into_iter().find(|c| c.kind() != "comment")?;
    let (callee, arguments) = match expression.kind() {
        "call_expression" => {
            let arguments = expression.child_by_field_name("arguments").map(|a| {
                named_children(a)
                    .into_iter()
                    .filter(|c| c.kind() != "comment")
                    .collect::<Vec<_>>()
            });
            (
                expression.child_by_field_name("function")?,
                Some(arguments.unwrap_or_default()),
            )
        }
        _ => (expression, None),
    };
    let callee = file.text_of(callee);
    let name = callee.rsplit('.').next().unwrap_or(callee).trim().to_owned();
    Some(Decorator {
        name,
        node,
        arguments,
    })
}

/// Decorators of a class; an exported class has them on the `export` statement.
fn class_decorators<'t>(file: &SyntaxFile<'_>, class: Node<'t>) -> Vec<Decorator<'t>> {
    let mut nodes = named_children(class);
    if let Some(parent) = class.parent().filter(|p| p.kind() == "export_statement") {
        nodes.extend(named_children(parent));
    }
    nodes
        .into_iter()
        .filter(|n| n.kind() == "decorator")
        .filter_map(|n| decorator(file, n))
        .collect()
}

/// `@Controller()`, `@Controller('users')`, `@Controller(['a', 'b'])`, `@Controller({ path: 'users' })`;
/// `None` when the prefix is computed.
fn controller_prefixes(file: &SyntaxFile<'_>, controller: &Decorator<'_>) -> Option<Vec<String>> {
    let Some(first) = controller.arguments.as_ref().and_then(|a| a.first()) else {
        return Some(vec![String::new()]);
    };
    if first.kind() != "object" {
        return literal_paths(file, *first);
    }
    let path = named_children(*first)
        .into_iter()
        .filter(|p| p.kind() == "pair")
        .find(|pair| {
            pair.child_by_field_name("key")
                .is_some_and(|k| file.text_of(k).trim_matches(['\'', '"']) == "path")
        });
    match path.and_then(|p| p.child_by_field_name("value")) {
        Some(value) => literal_paths(file, value),
        None => Some(vec![String::new()]),
    }
}

/// The paths of a route decorator: none (`@Get()`), a string, or an array of strings.
fn route_paths(file: &SyntaxFile<'_>, arguments: &[Node<'_>]) -> Option<Vec<String>> {
    match arguments.first() {
        Some(first) => literal_paths(file, *first),
        None => Some(vec![String::new()]),
    }
}

fn literal_paths(file: &SyntaxFile<'_>, node: Node<'_>) -> Option<Vec<String>> {
    match node.kind() {
        "array" => named_children(node)
            .into_iter()
            .filter(|c| c.kind() != "comment")
            .map(|c| file.string_value(c))
            .collect(),
        _ => file.string_value(node).map(|p| vec![p]),
    }
}

/// Composed decorators that apply authentication guards (`applyDecorators(UseGuards(AuthGuard, ...))`).
const COMPOSED: [&str; 4] = ["Auth", "Authenticated", "Authorize", "RequireAuth"];

/// The first `@UseGuards(...)` naming an authentication guard, or composed guard decorator, as written.
fn guard(file: &SyntaxFile<'_>, decorators: &[Decorator<'_>]) -> Option<String> {
    decorators
        .iter()
        .find(|d| {
            (d.name == "UseGuards"
                && d.arguments
                    .iter()
                    .flatten()
                    .any(|a| authenticates(file.text_of(*a))))
                || (COMPOSED.contains(&d.name.as_str()) && d.arguments.is_some())
        })
        .map(|d| file.text_of(d.node).trim().to_owned())
}

/// Whether a guard's name says it authenticates. Every guard is called `...Guard`, so the word itself
/// proves nothing (`ThrottlerGuard` only rate-limits); `AuthGuard('jwt')` is still read as `Auth('jwt')`.
fn authenticates(guard: &str) -> bool {
    let name = guard.replace("Guard", "");
    let compact = name.to_ascii_lowercase().replace(['_', '-'], "");
    looks_like_auth(&name) || compact.contains("apikey") || compact.contains("polic")
}

fn is_public(file: &SyntaxFile<'_>, decorators: &[Decorator<'_>]) -> bool {
    decorators.iter().any(|d| {
        PUBLIC.contains(&d.name.as_str())
            || (d.name == "SetMetadata"
                && d.arguments
                    .iter()
                    .flatten()
                    .next()
                    .is_some_and(|key| file.text_of(*key).to_ascii_lowercase().contains("public")))
    })
}
