//! Spring MVC and WebFlux annotated controllers: classes annotated `@RestController` or `@Controller`, an
//! optional class-level `@RequestMapping("/api")` (also `value =`/`path =`, or an array of prefixes), and
//! methods annotated `@GetMapping`, `@PostMapping`, `@PutMapping`, `@DeleteMapping`, `@PatchMapping` or
//! `@RequestMapping(value = "/x", method = RequestMethod.GET)` (no `method` means every method: `ANY`). An
//! array of paths (`{"/a", "/b"}`) gives one endpoint per path; paths joined from string literals with `+`
//! are read, paths from constants are not (the endpoint is left out rather than given a wrong path).
//!
//! Authentication: Spring Security is usually configured once in a `SecurityFilterChain` in another file,
//! so an endpoint without annotations is unknown (`None`). `@PreAuthorize`, `@Secured`, `@RolesAllowed` or
//! `@DenyAll` on the method, or failing that on the class, marks it authenticated; `@PreAuthorize("permitAll()")`
//! (or `isAnonymous()`), `@Secured("IS_AUTHENTICATED_ANONYMOUSLY")` and `@PermitAll` mark it unauthenticated.
//! A method annotation overrides the class one, as Spring's method security does.
//!
//! Known gaps: functional routes (`RouterFunctions.route().GET(...)`), mappings inherited from an interface
//! or a superclass, meta-annotations (a custom `@ApiController`), paths from constants or properties, and
//! URL-level rules of the `SecurityFilterChain`.
//!
//! This file also holds the annotation readers shared with JAX-RS and [`join_route`], the path joining the
//! controller-based frameworks share.

use tree_sitter::Node;

use super::{Framework, imports_any};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct Spring;

const MAPPINGS: [(&str, &str); 5] = [
    ("GetMapping", "GET"),
    ("PostMapping", "POST"),
    ("PutMapping", "PUT"),
    ("DeleteMapping", "DELETE"),
    ("PatchMapping", "PATCH"),
];

const REQUEST_METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
];

impl Framework for Spring {
    fn name(&self) -> &'static str {
        "spring"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Java && imports_any(source.imports, &["org.springframework"])
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        file.walk(|node| {
            if node.kind() != "class_declaration" {
                return;
            }
            let class_annotations = annotations(file, node);
            if !class_annotations
                .iter()
                .any(|a| matches!(a.name.as_str(), "RestController" | "Controller"))
            {
                return;
            }
            let prefixes = match class_annotations.iter().find(|a| a.name == "RequestMapping") {
                // A computed prefix would put every endpoint of the class at a wrong path.
                Some(mapping) => match mapping_paths(file, mapping.node) {
                    Some(prefixes) => prefixes,
                    None => return,
                },
                None => vec![String::new()],
            };
            let class_name = node.child_by_field_name("name").map_or("", |n| file.text_of(n));
            let class_auth = spring_auth(file, &class_annotations);
            let Some(body) = node.child_by_field_name("body") else {
                return;
            };
            for method in named_children(body)
                .into_iter()
                .filter(|m| m.kind() == "method_declaration")
            {
                let method_annotations = annotations(file, method);
                let auth = spring_auth(file, &method_annotations).or_else(|| class_auth.clone());
                let handler = method
                    .child_by_field_name("name")
                    .map(|n| qualified(class_name, file.text_of(n)));
                for annotation in &method_annotations {
                    let verbs = match annotation.name.as_str() {
                        "RequestMapping" => request_methods(file, annotation.node),
                        name => match MAPPINGS.iter().find(|(mapping, _)| *mapping == name) {
                            Some((_, verb)) => vec![(*verb).to_owned()],
                            None => continue,
                        },
                    };
                    let Some(paths) = mapping_paths(file, annotation.node) else {
                        continue;
                    };
                    for prefix in &prefixes {
                        for path in &paths {
                            for verb in &verbs {
                                out.push(Endpoint {
                                    method: verb.clone(),
                                    path: join_route(prefix, path),
                                    handler: handler.clone(),
                                    authenticated: auth.as_ref().map(|a| a.authenticated),
                                    guard: auth.as_ref().and_then(|a| a.guard.clone()),
                                    framework: "spring",
                                    line: line(annotation.node),
                                });
                            }
                        }
                    }
                }
            }
        });
    }
}

/// What an annotation says about authentication.
#[derive(Debug, Clone)]
pub(super) struct Auth {
    pub authenticated: bool,
    /// The annotation as written, when it guards.
    pub guard: Option<String>,
}

impl Auth {
    pub(super) fn guarded(file: &SyntaxFile<'_>, annotation: Node<'_>) -> Self {
        Self {
            authenticated: true,
            guard: Some(file.text_of(annotation).trim().to_owned()),
        }
    }

    pub(super) fn open() -> Self {
        Self {
            authenticated: false,
            guard: None,
        }
    }
}

fn spring_auth(file: &SyntaxFile<'_>, annotations: &[Annotation<'_>]) -> Option<Auth> {
    annotations
        .iter()
        .find_map(|annotation| match annotation.name.as_str() {
            "PreAuthorize" => {
                let expression = annotation_element(file, annotation.node, &["value"])
                    .and_then(|v| file.string_value(v))
                    .map(|e| e.chars().filter(|c| !c.is_whitespace()).collect::<String>());
                Some(match expression.as_deref() {
                    Some("permitAll()" | "permitAll" | "isAnonymous()") => Auth::open(),
                    _ => Auth::guarded(file, annotation.node),
                })
            }
            "Secured" => {
                let roles = annotation_element(file, annotation.node, &["value"])
                    .and_then(|v| literal_strings(file, v))
                    .unwrap_or_default();
                let anonymous = !roles.is_empty()
                    && roles
                        .iter()
                        .all(|r| matches!(r.as_str(), "IS_AUTHENTICATED_ANONYMOUSLY" | "ROLE_ANONYMOUS"));
                Some(if anonymous {
                    Auth::open()
                } else {
                    Auth::guarded(file, annotation.node)
                })
            }
            "RolesAllowed" | "DenyAll" => Some(Auth::guarded(file, annotation.node)),
            "PermitAll" => Some(Auth::open()),
            _ => None,
        })
}

/// `RequestMethod.GET`, `{RequestMethod.GET, POST}`; `ANY` when the mapping names none.
fn request_methods(file: &SyntaxFile<'_>, annotation: Node<'_>) -> Vec<String> {
    let Some(value) = annotation_element(file, annotation, &["method"]) else {
        return vec!["ANY".to_owned()];
    };
    let items = match value.kind() {
        "element_value_array_initializer" => named_children(value),
        _ => vec![value],
    };
    let verbs: Vec<String> = items
        .into_iter()
        .filter_map(|item| file.text_of(item).rsplit('.').next())
        .map(|verb| verb.trim().to_ascii_uppercase())
        .filter(|verb| REQUEST_METHODS.contains(&verb.as_str()))
        .collect();
    if verbs.is_empty() {
        vec!["ANY".to_owned()]
    } else {
        verbs
    }
}

/// The paths of a mapping annotation (`value`/`path`, or the unnamed element); `[""]` when it names none,
/// `None` when one is computed.
fn mapping_paths(file: &SyntaxFile<'_>, annotation: Node<'_>) -> Option<Vec<String>> {
    match annotation_element(file, annotation, &["value", "path"]) {
        Some(value) => literal_strings(file, value),
        None => Some(vec![String::new()]),
    }
}

/// A Java annotation on a declaration, by its simple name (`GetMapping` for
/// `@org.springframework.web.bind.annotation.GetMapping`).
#[derive(Debug)]
pub(super) struct Annotation<'t> {
    pub name: String,
    pub node: Node<'t>,
}

/// The annotations among a class's or method's modifiers.
pub(super) fn annotations<'t>(file: &SyntaxFile<'_>, declaration: Node<'t>) -> Vec<Annotation<'t>> {
    named_children(declaration)
        .into_iter()
        .filter(|c| c.kind() == "modifiers")
        .flat_map(named_children)
        .filter(|c| matches!(c.kind(), "annotation" | "marker_annotation"))
        .filter_map(|node| {
            let name = file.text_of(node.child_by_field_name("name")?);
            let simple = name.rsplit('.').next().unwrap_or(name).trim();
            Some(Annotation {
                name: simple.to_owned(),
                node,
            })
        })
        .collect()
}

/// The value of one of the elements `keys` of an annotation; `value` also matches the unnamed element
/// (`@GetMapping("/x")`).
pub(super) fn annotation_element<'t>(
    file: &SyntaxFile<'_>,
    annotation: Node<'t>,
    keys: &[&str],
) -> Option<Node<'t>> {
    let arguments = annotation.child_by_field_name("arguments")?;
    named_children(arguments)
        .into_iter()
        .find_map(|argument| match argument.kind() {
            "element_value_pair" => {
                let key = file.text_of(argument.child_by_field_name("key")?);
                if keys.contains(&key) {
                    argument.child_by_field_name("value")
                } else {
                    None
                }
            }
            "line_comment" | "block_comment" => None,
            _ => keys.contains(&"value").then_some(argument),
        })
}

/// String literals of an annotation element: `"/a"`, `{"/a", "/b"}`, `"/a" + "/b"`; `None` when any part
/// is computed (a constant, a property placeholder is still a literal and is kept as written).
pub(super) fn literal_strings(file: &SyntaxFile<'_>, value: Node<'_>) -> Option<Vec<String>> {
    match value.kind() {
        "element_value_array_initializer" | "array_initializer" => named_children(value)
            .into_iter()
            .filter(|c| !matches!(c.kind(), "line_comment" | "block_comment"))
            .map(|c| concatenated_literal(file, c))
            .collect(),
        _ => concatenated_literal(file, value).map(|s| vec![s]),
    }
}

/// A string literal, or literals joined with `+`.
fn concatenated_literal(file: &SyntaxFile<'_>, node: Node<'_>) -> Option<String> {
    let mut joined = String::new();
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        match current.kind() {
            "string_literal" => joined.push_str(&file.string_value(current)?),
            "binary_expression" => {
                if current.child_by_field_name("operator").map(|o| file.text_of(o)) != Some("+") {
                    return None;
                }
                // Right pushed first so the left operand is read first.
                stack.push(current.child_by_field_name("right")?);
                stack.push(current.child_by_field_name("left")?);
            }
            "parenthesized_expression" => stack.extend(named_children(current).into_iter().rev()),
            _ => return None,
        }
    }
    Some(joined)
}

/// `Class.method`, or the method alone for an anonymous class.
pub(super) fn qualified(class_name: &str, method: &str) -> String {
    if class_name.is_empty() {
        method.to_owned()
    } else {
        format!("{class_name}.{method}")
    }
}

/// Joins a controller prefix and a route path with single slashes, with a leading slash and no trailing
/// one (`users/` + `/:id` is `/users/:id`, nothing at all is `/`).
pub(super) fn join_route(prefix: &str, path: &str) -> String {
    let segments: Vec<&str> = prefix
        .split('/')
        .chain(path.split('/'))
        .filter(|s| !s.is_empty())
        .collect();
    format!("/{}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::join_route;

    #[test]
    fn routes_join_with_single_slashes() {
        assert_eq!(join_route("", ""), "/");
        assert_eq!(join_route("users", ""), "/users");
        assert_eq!(join_route("/api/", "/users/:id"), "/api/users/:id");
        assert_eq!(join_route("api//v1", "x/"), "/api/v1/x");
    }
}
