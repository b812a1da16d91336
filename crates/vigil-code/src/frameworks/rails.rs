//! Rails routes (`config/routes.rb`, and any `routes.rb` or `routes/*.rb` under a `config` directory): `get
//! 'x', to: 'c#a'`, `get 'x' => 'c#a'`, `post`, `put`, `patch`, `delete`, `match 'x', via: [:get, :post]`
//! (`via: :all` or no `via` is ANY), `root 'c#a'`, `mount Engine => '/path'` (ANY), `resources :users`
//! (index, new, create, show, edit, update as PATCH and PUT, destroy; `only:`/`except:`, `param:`,
//! `path:`, `controller:`), `resource :profile` (singular, no index or `:id`, plural controller), nesting
//! (`resources :a do resources :b end` is `/a/:a_id/b`; `member do`/`collection do` and `on:`),
//! `namespace :api do` (path and controller module), `scope '/v1'`/`scope path:, module:` and
//! `controller :c do`. Paths are absolute (`/api/users/:id`); handlers are `module/controller#action`, the
//! action inferred from the path where Rails infers it.
//!
//! Authentication: Rails guards live in controllers (`before_action :authenticate_user!`), which the
//! routes file cannot see, so a route is unknown, except inside a Devise `authenticate :user do ... end` or
//! `authenticated :user do ... end` block, which only routes signed-in users: authenticated.
//!
//! Known gaps: routes inside `concern` blocks are skipped (they apply where `concerns:` names them);
//! `draw(:admin)` files are read on their own, without the prefix of the scope that draws them; `shallow`
//! nesting, constraints (including session-based ones) and `direct`/`resolve` helpers are ignored.

use tree_sitter::Node;

use super::Framework;
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct Rails;

const VERBS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

impl Framework for Rails {
    fn name(&self) -> &'static str {
        "rails"
    }

    /// Routes files import nothing: the path decides, in [`Framework::endpoints`].
    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Ruby && is_routes_file(source.path)
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        if !is_routes_file(file.path) {
            return;
        }
        file.walk(|node| {
            if node.kind() == "call" && node.child_by_field_name("receiver").is_none() {
                route(file, node, out);
            }
        });
    }
}

/// `config/routes.rb`, `config/routes/admin.rb`, `engines/x/config/routes.rb`.
fn is_routes_file(path: &str) -> bool {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    let Some(config) = parts.iter().position(|p| *p == "config") else {
        return false;
    };
    let Some((name, directories)) = parts.split_last() else {
        return false;
    };
    name.ends_with(".rb")
        && directories.len() > config
        && (*name == "routes.rb"
            || directories
                .get(config + 1..)
                .is_some_and(|d| d.contains(&"routes")))
}

/// The arguments of a routing call: positional values, `key: value` options, and `'path' => 'c#a'` pairs.
struct Arguments<'t> {
    positional: Vec<Node<'t>>,
    options: Vec<(String, Node<'t>)>,
    mappings: Vec<(Node<'t>, Node<'t>)>,
}

impl<'t> Arguments<'t> {
    fn of(file: &SyntaxFile<'_>, call: Node<'t>) -> Self {
        let mut arguments = Self {
            positional: Vec::new(),
            options: Vec::new(),
            mappings: Vec::new(),
        };
        let Some(list) = call.child_by_field_name("arguments") else {
            return arguments;
        };
        for argument in named_children(list) {
            let pairs = match argument.kind() {
                "pair" => vec![argument],
                "hash" => named_children(argument)
                    .into_iter()
                    .filter(|p| p.kind() == "pair")
                    .collect(),
                _ => {
                    arguments.positional.push(argument);
                    continue;
                }
            };
            for pair in pairs {
                let (Some(key), Some(value)) =
                    (pair.child_by_field_name("key"), pair.child_by_field_name("value"))
                else {
                    continue;
                };
                match key.kind() {
                    "hash_key_symbol" | "simple_symbol" => {
                        arguments
                            .options
                            .push((file.text_of(key).trim_start_matches(':').to_owned(), value));
                    }
                    _ => arguments.mappings.push((key, value)),
                }
            }
        }
        arguments
    }

    fn option(&self, name: &str) -> Option<Node<'t>> {
        self.options
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| *value)
    }
}

/// A symbol's or a literal string's value (`:users`, `'users'`, `index` in `%i[index]`).
fn name(file: &SyntaxFile<'_>, node: Node<'_>) -> Option<String> {
    match node.kind() {
        "simple_symbol" => Some(file.text_of(node).trim_start_matches(':').to_owned()),
        "hash_key_symbol" | "bare_symbol" | "bare_string" | "identifier" => {
            Some(file.text_of(node).to_owned())
        }
        "delimited_symbol" => Some(
            file.text_of(node)
                .trim_start_matches(':')
                .trim_matches(['"', '\''])
                .to_owned(),
        ),
        // `"#{prefix}/x"` is computed.
        "string" if !named_children(node).iter().any(|c| c.kind() == "interpolation") => {
            file.string_value(node)
        }
        _ => None,
    }
}

/// `[:index, :show]`, `%i[index show]` or a single `:index`.
fn names(file: &SyntaxFile<'_>, node: Node<'_>) -> Vec<String> {
    match node.kind() {
        "array" | "symbol_array" | "string_array" => named_children(node)
            .into_iter()
            .filter_map(|n| name(file, n))
            .collect(),
        _ => name(file, node).into_iter().collect(),
    }
}

/// Where a route sits: what the enclosing blocks add to it.
#[derive(Debug, Default)]
struct Context {
    segments: Vec<String>,
    modules: Vec<String>,
    controller: Option<String>,
    guard: Option<String>,
    /// Inside `resources :users do`: the segment nested routes get (`:user_id`) and the one member routes
    /// get (`:id`), until a `member`/`collection` block or a nested route decides.
    pending: Option<(String, String)>,
    in_concern: bool,
}

impl Context {
    /// A nested route or scope under `resources`: `/users/:user_id/...`.
    fn nest(&mut self) {
        if let Some((nested, _)) = self.pending.take() {
            self.segments.push(nested);
        }
    }

    fn member(&mut self) {
        if let Some((_, member)) = self.pending.take() {
            self.segments.push(member);
        }
    }

    /// `controller#action` in the enclosing modules; a leading `/` makes the controller absolute.
    fn handler(&self, controller: &str, action: &str) -> String {
        match controller.strip_prefix('/') {
            Some(absolute) => format!("{absolute}#{action}"),
            None if self.modules.is_empty() => format!("{controller}#{action}"),
            None => format!("{}/{controller}#{action}", self.modules.join("/")),
        }
    }

    fn path(&self, tail: &[&str]) -> String {
        let parts: Vec<&str> = self
            .segments
            .iter()
            .map(String::as_str)
            .chain(tail.iter().copied())
            .map(|s| s.trim_matches('/'))
            .filter(|s| !s.is_empty())
            .collect();
        format!("/{}", parts.join("/"))
    }
}

/// The blocks around `node`, outermost first, read into a [`Context`].
fn context(file: &SyntaxFile<'_>, node: Node<'_>) -> Context {
    let mut frames = Vec::new();
    let mut child = node;
    while let Some(parent) = child.parent() {
        if parent.kind() == "call" && parent.child_by_field_name("block") == Some(child) {
            frames.push(parent);
        }
        child = parent;
    }
    let mut context = Context::default();
    for frame in frames.into_iter().rev() {
        if frame.child_by_field_name("receiver").is_some() {
            continue;
        }
        let method = frame
            .child_by_field_name("method")
            .map_or("", |m| file.text_of(m));
        let arguments = Arguments::of(file, frame);
        let first = arguments.positional.first().and_then(|a| name(file, *a));
        let option = |key: &str| arguments.option(key).and_then(|v| name(file, v));
        match method {
            "namespace" => {
                context.nest();
                let Some(first) = first else { continue };
                context
                    .segments
                    .push(option("path").unwrap_or_else(|| first.clone()));
                context.modules.push(option("module").unwrap_or(first));
            }
            "scope" => {
                context.nest();
                if let Some(path) = first.or_else(|| option("path")) {
                    context.segments.push(path);
                }
                if let Some(module) = option("module") {
                    context.modules.push(module);
                }
                if let Some(controller) = option("controller") {
                    context.controller = Some(controller);
                }
            }
            "controller" => context.controller = first.or(context.controller.take()),
            "resources" | "resource" => {
                context.nest();
                let Some(first) = first else { continue };
                context
                    .segments
                    .push(option("path").unwrap_or_else(|| first.clone()));
                let plural = method == "resources";
                context.controller = Some(
                    option("controller")
                        .unwrap_or_else(|| if plural { first.clone() } else { pluralize(&first) }),
                );
                if plural {
                    let param = option("param").unwrap_or_else(|| "id".to_owned());
                    context.pending =
                        Some((format!(":{}_{param}", singularize(&first)), format!(":{param}")));
                }
            }
            "member" => context.member(),
            "collection" => context.pending = None,
            "authenticate" | "authenticated" => {
                context.nest();
                let head = match frame.child_by_field_name("block") {
                    Some(block) => file
                        .text
                        .get(frame.start_byte()..block.start_byte())
                        .unwrap_or(""),
                    None => file.text_of(frame),
                };
                context.guard = Some(head.trim().to_owned());
            }
            "concern" => context.in_concern = true,
            _ => {}
        }
    }
    context
}

fn route(file: &SyntaxFile<'_>, node: Node<'_>, out: &mut Vec<Endpoint>) {
    let Some(method) = node.child_by_field_name("method").map(|m| file.text_of(m)) else {
        return;
    };
    if !(VERBS.contains(&method) || matches!(method, "match" | "root" | "resources" | "resource" | "mount")) {
        return;
    }
    let arguments = Arguments::of(file, node);
    if arguments.positional.is_empty() && arguments.options.is_empty() && arguments.mappings.is_empty() {
        return;
    }
    let mut context = context(file, node);
    if context.in_concern {
        return;
    }
    let guard = context.guard.clone();
    let authenticated = guard.as_ref().map(|_| true);
    let mut push = |method: &str, path: String, handler: Option<String>| {
        out.push(Endpoint {
            method: method.to_owned(),
            path,
            handler,
            authenticated,
            guard: guard.clone(),
            framework: "rails",
            line: line(node),
        });
    };
    match method {
        "resources" | "resource" => {
            context.nest();
            let plural = method == "resources";
            let only = arguments.option("only").map(|v| names(file, v));
            let except = arguments
                .option("except")
                .map(|v| names(file, v))
                .unwrap_or_default();
            let option = |key: &str| arguments.option(key).and_then(|v| name(file, v));
            let param = format!(":{}", option("param").unwrap_or_else(|| "id".to_owned()));
            for resource in arguments.positional.iter().filter_map(|a| name(file, *a)) {
                let segment = option("path").unwrap_or_else(|| resource.clone());
                let controller = option("controller").unwrap_or_else(|| {
                    if plural {
                        resource.clone()
                    } else {
                        pluralize(&resource)
                    }
                });
                for (action, methods, tail) in resource_actions(plural, &param) {
                    if only.as_ref().is_some_and(|o| !o.iter().any(|a| a == action))
                        || except.iter().any(|a| a == action)
                    {
                        continue;
                    }
                    let mut parts = vec![segment.as_str()];
                    parts.extend(tail.iter().copied());
                    for method in methods {
                        push(
                            method,
                            context.path(&parts),
                            Some(context.handler(&controller, action)),
                        );
                    }
                }
            }
        }
        "mount" => {
            let target = match arguments.mappings.first() {
                Some((app, path)) => Some((file.text_of(*app).to_owned(), name(file, *path))),
                None => arguments.positional.first().map(|app| {
                    (
                        file.text_of(*app).to_owned(),
                        arguments.option("at").and_then(|p| name(file, p)),
                    )
                }),
            };
            if let Some((app, Some(path))) = target {
                context.nest();
                push("ANY", context.path(&[&path]), Some(app));
            }
        }
        "root" => {
            context.nest();
            let to = arguments
                .positional
                .first()
                .copied()
                .or_else(|| arguments.option("to"));
            let handler = to.and_then(|t| target(file, &context, t));
            push("GET", context.path(&[]), handler);
        }
        _ => {
            let (path, to) = match (arguments.positional.first(), arguments.mappings.first()) {
                (Some(path), _) => (name(file, *path), arguments.option("to")),
                (None, Some((path, to))) => (name(file, *path), Some(*to)),
                (None, None) => return,
            };
            let Some(path) = path else { return };
            match arguments.option("on").and_then(|o| name(file, o)).as_deref() {
                Some("member") => context.member(),
                Some("collection") => context.pending = None,
                _ => context.nest(),
            }
            let handler = match to {
                Some(to) => target(file, &context, to),
                None => {
                    let controller = arguments.option("controller").and_then(|c| name(file, c));
                    let action = arguments.option("action").and_then(|a| name(file, a));
                    inferred_handler(&context, &path, controller, action)
                }
            };
            let methods = if method == "match" {
                let via = arguments
                    .option("via")
                    .map(|v| names(file, v))
                    .unwrap_or_default();
                if via.is_empty() || via.iter().any(|v| v == "all") {
                    vec!["ANY".to_owned()]
                } else {
                    via.iter().map(|v| v.to_ascii_uppercase()).collect()
                }
            } else {
                vec![method.to_ascii_uppercase()]
            };
            for method in methods {
                push(&method, context.path(&[&path]), handler.clone());
            }
        }
    }
}

/// `to: 'c#a'`, `to: redirect('/x')`, `to: SomeRackApp`.
fn target(file: &SyntaxFile<'_>, context: &Context, to: Node<'_>) -> Option<String> {
    if let Some(value) = name(file, to) {
        return Some(match value.split_once('#') {
            Some((controller, action)) => context.handler(controller, action),
            // `to: :show` inside a controller scope.
            None => match &context.controller {
                Some(controller) => context.handler(controller, &value),
                None => value,
            },
        });
    }
    match to.kind() {
        "call" => to
            .child_by_field_name("method")
            .map(|m| file.text_of(m).to_owned()),
        "constant" | "scope_resolution" => Some(file.text_of(to).to_owned()),
        _ => None,
    }
}

/// Rails' own inference: the enclosing controller and the path as action, or `controller/action` paths.
fn inferred_handler(
    context: &Context,
    path: &str,
    controller: Option<String>,
    action: Option<String>,
) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let action = action.or_else(|| {
        segments
            .iter()
            .rev()
            .find(|s| !s.starts_with([':', '*', '(']))
            .map(|s| (*s).to_owned())
    });
    match (
        controller.or_else(|| context.controller.clone()),
        action,
        segments.as_slice(),
    ) {
        (Some(controller), Some(action), _) => Some(context.handler(&controller, &action)),
        // `get 'photos/search'` is `photos#search`.
        (None, _, [controller, action])
            if ![controller, action]
                .iter()
                .any(|s| s.starts_with([':', '*', '('])) =>
        {
            Some(context.handler(controller, action))
        }
        _ => None,
    }
}

/// Rails' conventional actions: (action, methods, path after the resource name).
fn resource_actions(plural: bool, param: &str) -> Vec<(&'static str, &'static [&'static str], Vec<&str>)> {
    if plural {
        vec![
            ("index", &["GET"], vec![]),
            ("new", &["GET"], vec!["new"]),
            ("create", &["POST"], vec![]),
            ("show", &["GET"], vec![param]),
            ("edit", &["GET"], vec![param, "edit"]),
            ("update", &["PATCH", "PUT"], vec![param]),
            ("destroy", &["DELETE"], vec![param]),
        ]
    } else {
        vec![
            ("show", &["GET"], vec![]),
            ("new", &["GET"], vec!["new"]),
            ("create", &["POST"], vec![]),
            ("edit", &["GET"], vec!["edit"]),
            ("update", &["PATCH", "PUT"], vec![]),
            ("destroy", &["DELETE"], vec![]),
        ]
    }
}

/// English plural to singular for resource names, as far as route params need it (`categories` →
/// `category`, `addresses` → `address`, `users` → `user`).
pub(super) fn singularize(word: &str) -> String {
    let sibilant = ["sses", "xes", "ches", "shes", "zzes"]
        .iter()
        .any(|s| word.ends_with(s));
    if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = word.strip_suffix("es").filter(|_| sibilant) {
        stem.to_owned()
    } else if let Some(stem) = word.strip_suffix('s').filter(|_| !word.ends_with("ss")) {
        stem.to_owned()
    } else {
        word.to_owned()
    }
}

/// Singular resources route to plural controllers (`resource :profile` → `profiles#show`).
fn pluralize(word: &str) -> String {
    if let Some(stem) = word
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']))
    {
        format!("{stem}ies")
    } else if ["s", "x", "ch", "sh", "z"].iter().any(|s| word.ends_with(s)) {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}
