//! Django URL configurations (files named `urls.py`, `*_urls.py`, or under a `urls/` package, in a file that
//! imports Django): `path('users/<int:id>/', views.detail, name=...)`, `re_path(r'^...$', ...)`, the legacy
//! `url(...)`, class-based views (`views.UserList.as_view()`: the handler is the class as written), and
//! prefixes of inline includes (`path('api/', include([path('users/', ...)]))` is `api/users/`). Paths are
//! as Django writes them: relative, no leading slash, regexes kept. Django does not route by method: every
//! endpoint is ANY.
//!
//! `include('app.urls')` and `include(router.urls)` record nothing: the included module's own `urls.py` is
//! read on its own and its routes are reported there, without this file's prefix.
//!
//! Authentication: a view wrapped in this file by a guard (`login_required(views.x)`,
//! `staff_member_required(...)`, `permission_required('p')(views.x)`, `user_passes_test(f)(...)`) is
//! authenticated, and so is `admin.site.urls` (the admin site requires a staff login). Otherwise it is
//! unknown: guards usually sit on the view itself (`@login_required`, `LoginRequiredMixin`,
//! `permission_classes`) in another file, or in middleware.
//!
//! Known gaps: the prefix an including `urls.py` gives is not propagated across files; Django REST
//! framework routers (`router.register(...)`) are not expanded.

use tree_sitter::Node;

use super::{Framework, imports_any, looks_like_auth};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct Django;

const ROUTE_FUNCTIONS: [&str; 3] = ["path", "re_path", "url"];

/// Django's view decorators that require a signed-in user but whose names `looks_like_auth` misses.
const GUARDS: [&str; 3] = ["staff_member_required", "user_passes_test", "superuser_required"];

impl Framework for Django {
    fn name(&self) -> &'static str {
        "django"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Python
            && imports_any(source.imports, &["django"])
            && is_urls_file(source.path)
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        if !is_urls_file(file.path) {
            return;
        }
        file.walk(|node| {
            let Some((route, view)) = route(file, node) else {
                return;
            };
            let Some(view) = view_of(file, view) else { return };
            let path = prefixed(file, node, &route);
            let authenticated = view.guard.as_ref().map(|_| true);
            out.push(Endpoint {
                method: "ANY".to_owned(),
                path,
                handler: view.handler,
                authenticated,
                guard: view.guard,
                framework: "django",
                line: line(node),
            });
        });
    }
}

fn is_urls_file(path: &str) -> bool {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    let Some((name, directories)) = parts.split_last() else {
        return false;
    };
    name.ends_with("urls.py") || (name.ends_with(".py") && directories.last() == Some(&"urls"))
}

/// `path('route', view, ...)`: the route string and the view expression.
fn route<'t>(file: &SyntaxFile<'_>, call: Node<'t>) -> Option<(String, Node<'t>)> {
    if call.kind() != "call" {
        return None;
    }
    let function = call.child_by_field_name("function")?;
    let name = match function.kind() {
        "identifier" => file.text_of(function),
        // `urls.path(...)`, `django.urls.re_path(...)`; not `os.path.join`.
        "attribute"
            if function
                .child_by_field_name("object")
                .is_some_and(|o| file.text_of(o).ends_with("urls")) =>
        {
            file.text_of(function.child_by_field_name("attribute")?)
        }
        _ => return None,
    };
    if !ROUTE_FUNCTIONS.contains(&name) {
        return None;
    }
    let arguments = named_children(call.child_by_field_name("arguments")?);
    let keyword = |key: &str| {
        arguments
            .iter()
            .filter(|a| a.kind() == "keyword_argument")
            .find(|a| {
                a.child_by_field_name("name")
                    .is_some_and(|n| file.text_of(n) == key)
            })
            .and_then(|a| a.child_by_field_name("value"))
    };
    let mut positional = arguments
        .iter()
        .copied()
        .filter(|a| a.kind() != "keyword_argument");
    let route = positional.next().or_else(|| keyword("route"))?;
    let view = positional.next().or_else(|| keyword("view"))?;
    Some((file.string_value(route)?, view))
}

struct View {
    handler: Option<String>,
    guard: Option<String>,
}

/// Reads the view argument; `None` for `include(...)`, which declares no endpoint itself.
fn view_of(file: &SyntaxFile<'_>, view: Node<'_>) -> Option<View> {
    let mut current = view;
    let mut guard = None;
    for _ in 0..16 {
        match current.kind() {
            "identifier" | "attribute" => {
                let text = file.text_of(current);
                // The admin site: every page but the login form requires a staff login.
                if text.ends_with("site.urls") {
                    return Some(View {
                        handler: Some(text.to_owned()),
                        guard: guard.or(Some("django.contrib.admin".to_owned())),
                    });
                }
                return Some(View {
                    handler: Some(text.to_owned()),
                    guard,
                });
            }
            "call" => {
                let function = current.child_by_field_name("function")?;
                let name = file.text_of(function);
                if name == "include" || name.ends_with(".include") {
                    return None;
                }
                // `views.UserList.as_view(...)`: the handler is the class.
                if function.kind() == "attribute"
                    && function
                        .child_by_field_name("attribute")
                        .is_some_and(|a| file.text_of(a) == "as_view")
                {
                    let class = function
                        .child_by_field_name("object")
                        .map(|o| file.text_of(o).to_owned());
                    return Some(View {
                        handler: class,
                        guard,
                    });
                }
                // A wrapper: `login_required(view)` or a decorator factory `permission_required('p')(view)`.
                let wrapper = match function.kind() {
                    "call" => function
                        .child_by_field_name("function")
                        .map_or(name, |f| file.text_of(f)),
                    _ => name,
                };
                let short = wrapper.rsplit('.').next().unwrap_or(wrapper);
                if guard.is_none() && (looks_like_auth(short) || GUARDS.contains(&short)) {
                    guard = Some(name.to_owned());
                }
                let arguments = current
                    .child_by_field_name("arguments")
                    .map(named_children)
                    .unwrap_or_default();
                match arguments.into_iter().find(|a| a.kind() != "keyword_argument") {
                    Some(inner) => current = inner,
                    None => return Some(View { handler: None, guard }),
                }
            }
            _ => return Some(View { handler: None, guard }),
        }
    }
    Some(View { handler: None, guard })
}

/// The route with the routes of enclosing inline includes in front (`path('api/', include([...]))`).
fn prefixed(file: &SyntaxFile<'_>, node: Node<'_>, route_text: &str) -> String {
    let mut prefixes = Vec::new();
    let mut current = node;
    while let Some(parent) = current.parent() {
        if let Some((prefix, _)) = route(file, parent) {
            prefixes.push(prefix);
        }
        current = parent;
    }
    if prefixes.is_empty() {
        return route_text.to_owned();
    }
    prefixes.reverse();
    // An included regex is matched against what the prefix left: its `^` anchors there.
    let inner: Vec<&str> = prefixes
        .iter()
        .skip(1)
        .map(|p| p.trim_start_matches('^'))
        .collect();
    format!(
        "{}{}{}",
        prefixes.first().map_or("", String::as_str),
        inner.concat(),
        route_text.trim_start_matches('^')
    )
}
