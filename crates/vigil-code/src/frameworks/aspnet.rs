//! ASP.NET Core, both styles:
//! - Attribute-routed controllers: a class marked `[ApiController]`/`[Controller]`, named `...Controller` or
//!   deriving from `Controller`/`ControllerBase`, with `[Route("api/[controller]")]` prefixes and actions
//!   marked `[HttpGet("{id}")]`, `[HttpPost]`, ..., `[AcceptVerbs("GET", "POST")]` or `[Route("x")]` (every
//!   method). `[controller]` becomes the class name without its `Controller` suffix, as ASP.NET writes it
//!   (`UsersController` -> `Users`), `[action]` the method name (or `[ActionName]`) without `Async`, `[area]`
//!   the class's `[Area]`; an action template starting with `/` or `~/` ignores the controller prefix.
//! - Minimal APIs: `app.MapGet("/x", handler)`, `MapPost`, `MapPut`, `MapDelete`, `MapPatch`,
//!   `MapMethods("/x", new[] { "GET", "POST" }, handler)`, under `MapGroup("/api")` prefixes whether chained
//!   or assigned to a variable in the same file (groups of groups too).
//!
//! Authentication: `[AllowAnonymous]` anywhere on the endpoint (action or class, the handler lambda, a
//! chained `.AllowAnonymous()` on the endpoint or its group) marks it unauthenticated, because ASP.NET
//! skips authorization when that metadata is present, whatever else says. Otherwise `[Authorize]` on the
//! action or class, `[Authorize]` on the handler lambda, or `.RequireAuthorization(...)` chained on the
//! endpoint or its group (or called on the group variable) marks it authenticated. Otherwise the answer is
//! unknown (`None`): a fallback policy, `MapControllers().RequireAuthorization()` or a filter in
//! `Program.cs` guards from elsewhere.
//!
//! The reader runs on C# files that use `Microsoft.AspNetCore` or name its routing types (`WebApplication`,
//! `IEndpointRouteBuilder`, `RouteGroupBuilder`, `ControllerBase`): web projects import its namespaces
//! implicitly (`ImplicitUsings`), so a minimal-API `Program.cs` often has no `using` at all.
//!
//! Known gaps: conventionally routed controllers (`MapControllerRoute` templates, actions without route
//! attributes), Razor Pages, routes or attributes inherited from a base controller, templates from
//! constants (the endpoint is left out rather than given a wrong path), `[Authorize]` on a method group
//! handler (`app.MapGet("/x", Handlers.Get)`), and groups passed to another file's extension method.

use std::collections::HashMap;

use tree_sitter::Node;

use super::spring::join_route;
use super::{Framework, imports_any};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct AspNetCore;

const ACTION_VERBS: [(&str, &str); 7] = [
    ("HttpGet", "GET"),
    ("HttpPost", "POST"),
    ("HttpPut", "PUT"),
    ("HttpDelete", "DELETE"),
    ("HttpPatch", "PATCH"),
    ("HttpHead", "HEAD"),
    ("HttpOptions", "OPTIONS"),
];

const MAP_VERBS: [(&str, &str); 5] = [
    ("MapGet", "GET"),
    ("MapPost", "POST"),
    ("MapPut", "PUT"),
    ("MapDelete", "DELETE"),
    ("MapPatch", "PATCH"),
];

/// Longest call chain followed (`app.MapGroup(...).MapGet(...).RequireAuthorization()...`): hostile
/// files could chain calls without end, and every route in the chain reads it.
const MAX_CHAIN: usize = 256;

/// Types only an ASP.NET Core web project names (its namespaces are imported implicitly).
const MARKERS: [&str; 4] = [
    "WebApplication",
    "IEndpointRouteBuilder",
    "RouteGroupBuilder",
    "ControllerBase",
];

impl Framework for AspNetCore {
    fn name(&self) -> &'static str {
        "aspnet"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::CSharp
            && (imports_any(source.imports, &["Microsoft.AspNetCore"])
                || MARKERS.iter().any(|m| source.text.contains(m)))
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        controllers(file, out);
        minimal_apis(file, out);
    }
}

/// An attribute by its simple name (`HttpGet` for `[Microsoft.AspNetCore.Mvc.HttpGetAttribute]`), with its
/// arguments as (name, value).
#[derive(Debug)]
struct Attribute<'t> {
    name: String,
    node: Node<'t>,
    arguments: Vec<(Option<String>, Node<'t>)>,
}

impl Attribute<'_> {
    /// The route template: the first unnamed argument or `template:`; `Some(None)` without one, `None`
    /// when it is computed.
    fn template(&self, file: &SyntaxFile<'_>) -> Option<Option<String>> {
        let argument = self.arguments.iter().find(|(name, _)| match name {
            None => true,
            Some(name) => name.eq_ignore_ascii_case("template"),
        });
        match argument {
            Some((_, value)) => file.string_value(*value).map(Some),
            None => Some(None),
        }
    }

    fn written(&self, file: &SyntaxFile<'_>) -> String {
        format!("[{}]", file.text_of(self.node).trim())
    }
}

fn attributes<'t>(file: &SyntaxFile<'_>, owner: Node<'t>) -> Vec<Attribute<'t>> {
    named_children(owner)
        .into_iter()
        .filter(|c| c.kind() == "attribute_list")
        .flat_map(named_children)
        .filter(|c| c.kind() == "attribute")
        .filter_map(|node| {
            let written = file.text_of(node.child_by_field_name("name")?);
            let simple = written.rsplit('.').next().unwrap_or(written).trim();
            let name = simple.strip_suffix("Attribute").unwrap_or(simple).to_owned();
            let arguments = named_children(node)
                .into_iter()
                .filter(|c| c.kind() == "attribute_argument_list")
                .flat_map(named_children)
                .filter(|a| a.kind() == "attribute_argument")
                .filter_map(|argument| {
                    let name = argument.child_by_field_name("name");
                    let value = named_children(argument).into_iter().rfind(|c| Some(*c) != name)?;
                    Some((name.map(|n| file.text_of(n).to_owned()), value))
                })
                .collect();
            Some(Attribute {
                name,
                node,
                arguments,
            })
        })
        .collect()
}

fn find<'a, 't>(attributes: &'a [Attribute<'t>], name: &str) -> Option<&'a Attribute<'t>> {
    attributes.iter().find(|a| a.name == name)
}

/// A route an action declares: method, template (none: the controller's), the attribute declaring it.
type ActionRoute<'t> = (String, Option<String>, Node<'t>);

fn controllers(file: &SyntaxFile<'_>, out: &mut Vec<Endpoint>) {
    file.walk(|node| {
        if node.kind() != "class_declaration" {
            return;
        }
        let Some(class_name) = node.child_by_field_name("name").map(|n| file.text_of(n)) else {
            return;
        };
        let class_attributes = attributes(file, node);
        let base = named_children(node)
            .into_iter()
            .find(|c| c.kind() == "base_list")
            .map_or("", |b| file.text_of(b));
        let is_controller = find(&class_attributes, "ApiController").is_some()
            || find(&class_attributes, "Controller").is_some()
            || class_name.ends_with("Controller")
            || base.contains("Controller");
        if !is_controller || find(&class_attributes, "NonController").is_some() {
            return;
        }
        let mut prefixes = Vec::new();
        for route in class_attributes.iter().filter(|a| a.name == "Route") {
            // A computed prefix would put every action of the class at a wrong path.
            let Some(template) = route.template(file) else {
                return;
            };
            prefixes.push(template.unwrap_or_default());
        }
        if prefixes.is_empty() {
            prefixes.push(String::new());
        }
        let area = find(&class_attributes, "Area")
            .and_then(|a| a.arguments.first())
            .and_then(|(_, v)| file.string_value(*v));
        let controller = class_name.strip_suffix("Controller").unwrap_or(class_name);
        let class_anonymous = find(&class_attributes, "AllowAnonymous").is_some();
        let class_guard = find(&class_attributes, "Authorize").map(|a| a.written(file));
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        for method in named_children(body)
            .into_iter()
            .filter(|m| m.kind() == "method_declaration")
        {
            let action_attributes = attributes(file, method);
            if find(&action_attributes, "NonAction").is_some() {
                continue;
            }
            let Some(method_name) = method.child_by_field_name("name").map(|n| file.text_of(n)) else {
                continue;
            };
            let action = find(&action_attributes, "ActionName")
                .and_then(|a| a.arguments.first())
                .and_then(|(_, v)| file.string_value(*v))
                .unwrap_or_else(|| {
                    method_name
                        .strip_suffix("Async")
                        .unwrap_or(method_name)
                        .to_owned()
                });
            let anonymous = class_anonymous || find(&action_attributes, "AllowAnonymous").is_some();
            let guard = find(&action_attributes, "Authorize")
                .map(|a| a.written(file))
                .or_else(|| class_guard.clone());
            let (authenticated, guard) = match (anonymous, guard) {
                (true, _) => (Some(false), None),
                (false, Some(guard)) => (Some(true), Some(guard)),
                (false, None) => (None, None),
            };
            let handler = Some(format!("{class_name}.{method_name}"));
            for (verb, template, declared_by) in action_routes(file, &action_attributes) {
                let template = template.unwrap_or_default();
                for prefix in &prefixes {
                    let joined = match template.strip_prefix("~/").or_else(|| template.strip_prefix('/')) {
                        Some(absolute) => join_route("", absolute),
                        None => join_route(prefix, &template),
                    };
                    let mut path = replace_token(&joined, "[controller]", controller);
                    path = replace_token(&path, "[action]", &action);
                    if let Some(area) = &area {
                        path = replace_token(&path, "[area]", area);
                    }
                    out.push(Endpoint {
                        method: verb.clone(),
                        path,
                        handler: handler.clone(),
                        authenticated,
                        guard: guard.clone(),
                        framework: "aspnet",
                        line: line(declared_by),
                    });
                }
            }
        }
    });
}

/// The routes of one action. An `[HttpGet("x")]` template is its own route; `[Route("y")]` templates serve
/// the verbs of the template-less `[HttpGet]`s, or every method without one.
fn action_routes<'t>(file: &SyntaxFile<'_>, attributes: &[Attribute<'t>]) -> Vec<ActionRoute<'t>> {
    let mut routes = Vec::new();
    let mut templateless = Vec::new();
    for attribute in attributes {
        let verbs: Vec<String> = match ACTION_VERBS.iter().find(|(name, _)| *name == attribute.name) {
            Some((_, verb)) => vec![(*verb).to_owned()],
            None if attribute.name == "AcceptVerbs" => attribute
                .arguments
                .iter()
                .filter(|(name, _)| name.is_none())
                .filter_map(|(_, value)| file.string_value(*value))
                .map(|verb| verb.to_ascii_uppercase())
                .collect(),
            None => continue,
        };
        // `[AcceptVerbs("GET", Route = "x")]` names its template.
        let template = match attribute.name.as_str() {
            "AcceptVerbs" => match attribute
                .arguments
                .iter()
                .find(|(name, _)| name.as_deref() == Some("Route"))
            {
                Some((_, value)) => file.string_value(*value).map(Some),
                None => Some(None),
            },
            _ => attribute.template(file),
        };
        match template {
            Some(Some(template)) => {
                routes.extend(
                    verbs
                        .into_iter()
                        .map(|verb| (verb, Some(template.clone()), attribute.node)),
                );
            }
            Some(None) => templateless.extend(verbs.into_iter().map(|verb| (verb, attribute.node))),
            None => {}
        }
    }
    let route_templates: Vec<(Option<String>, Node<'t>)> = attributes
        .iter()
        .filter(|a| a.name == "Route")
        .filter_map(|a| a.template(file).map(|t| (t, a.node)))
        .collect();
    if route_templates.is_empty() {
        routes.extend(templateless.into_iter().map(|(verb, node)| (verb, None, node)));
        return routes;
    }
    for (template, node) in route_templates {
        if templateless.is_empty() {
            routes.push(("ANY".to_owned(), template.clone(), node));
        }
        for (verb, _) in &templateless {
            routes.push((verb.clone(), template.clone(), node));
        }
    }
    routes
}

/// Replaces a route token, which ASP.NET matches without regard to case (`[Controller]`).
fn replace_token(path: &str, token: &str, value: &str) -> String {
    let lower = path.to_ascii_lowercase();
    let mut replaced = String::new();
    let mut rest = 0;
    // ASCII lower-casing keeps byte offsets, so positions in `lower` are positions in `path`.
    while let Some(found) = lower.get(rest..).and_then(|l| l.find(token)) {
        replaced.push_str(path.get(rest..rest + found).unwrap_or(""));
        replaced.push_str(value);
        rest += found + token.len();
    }
    replaced.push_str(path.get(rest..).unwrap_or(""));
    replaced
}

/// What a route group, or an endpoint's own chain, adds.
#[derive(Debug, Clone, Default)]
struct Conventions {
    prefix: String,
    /// A `MapGroup` prefix was computed: paths below it are unknown.
    computed: bool,
    guard: Option<String>,
    anonymous: bool,
}

impl Conventions {
    fn apply(&mut self, file: &SyntaxFile<'_>, call: &Call<'_>) {
        match call.name {
            "MapGroup" => match call.arguments.first().and_then(|a| file.string_value(*a)) {
                Some(prefix) => self.prefix = join_route(&self.prefix, &prefix),
                None => self.computed = true,
            },
            "RequireAuthorization" => {
                let written = file
                    .text
                    .get(call.name_node.start_byte()..call.node.end_byte())
                    .unwrap_or(call.name);
                self.guard.get_or_insert_with(|| format!(".{written}"));
            }
            "AllowAnonymous" => self.anonymous = true,
            _ => {}
        }
    }
}

/// `receiver.Name(arguments)`.
#[derive(Debug)]
struct Call<'t> {
    node: Node<'t>,
    receiver: Node<'t>,
    name: &'t str,
    name_node: Node<'t>,
    /// Argument expressions.
    arguments: Vec<Node<'t>>,
}

fn member_call<'t>(file: &SyntaxFile<'t>, node: Node<'t>) -> Option<Call<'t>> {
    if node.kind() != "invocation_expression" {
        return None;
    }
    let function = node
        .child_by_field_name("function")
        .filter(|f| f.kind() == "member_access_expression")?;
    let name_node = function.child_by_field_name("name")?;
    let written = file.text_of(name_node);
    // `Map<T>` style generic names: only the name counts.
    let name = written.split('<').next().unwrap_or(written).trim();
    let arguments = node
        .child_by_field_name("arguments")
        .map(|list| {
            named_children(list)
                .into_iter()
                .filter(|a| a.kind() == "argument")
                .filter_map(|a| named_children(a).into_iter().next_back())
                .collect()
        })
        .unwrap_or_default();
    Some(Call {
        node,
        receiver: function.child_by_field_name("expression")?,
        name,
        name_node,
        arguments,
    })
}

/// `a.MapGroup("/x").RequireAuthorization()`: the innermost receiver (`a`) and the calls, innermost first.
fn unwind<'t>(file: &SyntaxFile<'t>, expression: Node<'t>) -> (Node<'t>, Vec<Call<'t>>) {
    let mut calls = Vec::new();
    let mut current = expression;
    while calls.len() < MAX_CHAIN
        && let Some(call) = member_call(file, current)
    {
        current = call.receiver;
        calls.push(call);
    }
    calls.reverse();
    (current, calls)
}

/// The conventions of a receiver chain: a group variable's, then those of the calls on it; and whether
/// the chain is a route group.
fn chain_conventions(
    file: &SyntaxFile<'_>,
    groups: &HashMap<String, Conventions>,
    expression: Node<'_>,
) -> (Conventions, bool) {
    let (base, calls) = unwind(file, expression);
    let known = groups.get(file.text_of(base));
    let mut grouped = known.is_some();
    let mut conventions = known.cloned().unwrap_or_default();
    for call in &calls {
        grouped |= call.name == "MapGroup";
        conventions.apply(file, call);
    }
    (conventions, grouped)
}

/// `var api = app.MapGroup("/api")...;` and `api.RequireAuthorization();`, in source order.
fn groups(file: &SyntaxFile<'_>) -> HashMap<String, Conventions> {
    let mut groups: HashMap<String, Conventions> = HashMap::new();
    file.walk(|node| match node.kind() {
        "variable_declarator" => {
            let Some(name) = node.child_by_field_name("name") else {
                return;
            };
            let Some(value) = named_children(node).into_iter().rfind(|c| *c != name) else {
                return;
            };
            let (conventions, grouped) = chain_conventions(file, &groups, value);
            if grouped {
                groups.insert(file.text_of(name).to_owned(), conventions);
            }
        }
        "expression_statement" => {
            let Some(expression) = named_children(node).into_iter().next() else {
                return;
            };
            let (base, calls) = unwind(file, expression);
            if calls.iter().any(|c| c.name.starts_with("Map")) {
                return;
            }
            if let Some(group) = groups.get_mut(file.text_of(base)) {
                for call in &calls {
                    group.apply(file, call);
                }
            }
        }
        _ => {}
    });
    groups
}

fn minimal_apis(file: &SyntaxFile<'_>, out: &mut Vec<Endpoint>) {
    let groups = groups(file);
    file.walk(|node| {
        let Some(call) = member_call(file, node) else {
            return;
        };
        let (verbs, handler) = match MAP_VERBS.iter().find(|(name, _)| *name == call.name) {
            Some((_, verb)) => (vec![(*verb).to_owned()], call.arguments.get(1)),
            None if call.name == "MapMethods" => {
                let verbs = call.arguments.get(1).map_or_else(Vec::new, |list| {
                    string_literals(file, *list)
                        .into_iter()
                        .map(|v| v.to_ascii_uppercase())
                        .collect()
                });
                (verbs, call.arguments.get(2))
            }
            None => return,
        };
        // A pattern and a handler: `dictionary.MapGet(key)` is something else.
        let (Some(pattern), Some(handler)) = (call.arguments.first(), handler) else {
            return;
        };
        let Some(pattern) = file.string_value(*pattern) else {
            return;
        };
        let (group, _) = chain_conventions(file, &groups, call.receiver);
        if group.computed {
            return;
        }
        // Conventions chained on the endpoint itself: `app.MapGet(...).RequireAuthorization()`.
        let mut own = Conventions::default();
        let mut current = node;
        for _ in 0..MAX_CHAIN {
            let Some(outer) = current
                .parent()
                .filter(|p| p.kind() == "member_access_expression")
                .and_then(|access| access.parent())
                .and_then(|outer| member_call(file, outer))
                .filter(|outer| outer.receiver == current)
            else {
                break;
            };
            own.apply(file, &outer);
            current = outer.node;
        }
        let lambda_attributes = if handler.kind() == "lambda_expression" {
            attributes(file, *handler)
        } else {
            Vec::new()
        };
        let anonymous =
            group.anonymous || own.anonymous || find(&lambda_attributes, "AllowAnonymous").is_some();
        let guard = own
            .guard
            .or_else(|| find(&lambda_attributes, "Authorize").map(|a| a.written(file)))
            .or(group.guard);
        let (authenticated, guard) = match (anonymous, guard) {
            (true, _) => (Some(false), None),
            (false, Some(guard)) => (Some(true), Some(guard)),
            (false, None) => (None, None),
        };
        let handler = matches!(handler.kind(), "identifier" | "member_access_expression")
            .then(|| file.text_of(*handler).to_owned());
        for verb in verbs {
            out.push(Endpoint {
                method: verb,
                path: join_route(&group.prefix, &pattern),
                handler: handler.clone(),
                authenticated,
                guard: guard.clone(),
                framework: "aspnet",
                line: line(call.name_node),
            });
        }
    });
}

/// String literals below `node` (`new[] { "GET", "POST" }`, `["GET"]`).
fn string_literals(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        if let Some(value) = file.string_value(current) {
            found.push(value);
            continue;
        }
        stack.extend(named_children(current).into_iter().rev());
    }
    found
}
