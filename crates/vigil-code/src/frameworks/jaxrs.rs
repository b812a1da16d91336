//! JAX-RS resources (Jersey, RESTEasy, Quarkus, Helidon, ...; `javax.ws.rs` or `jakarta.ws.rs`): a class
//! annotated `@Path("/users")` whose methods carry an HTTP method designator (`@GET`, `@POST`, `@PUT`,
//! `@DELETE`, `@PATCH`, `@HEAD`, `@OPTIONS`) and optionally their own `@Path("/{id}")`.
//!
//! Authentication follows the JSR-250 annotations, method before class as the runtime applies them:
//! `@RolesAllowed`, `@DenyAll` or Quarkus's `@Authenticated` mark the endpoint authenticated, `@PermitAll`
//! unauthenticated. Without any, the answer is unknown (`None`): `web.xml` security constraints, a
//! `ContainerRequestFilter` or the application's configuration may guard it from elsewhere.
//!
//! Known gaps: the `@ApplicationPath` prefix (declared on another class), sub-resource locators (a
//! `@Path` method without a designator returning another resource), resources declared by annotated
//! interfaces (also used by REST clients, so they are not read), and paths from constants.

use super::spring::{
    Annotation, Auth, annotation_element, annotations, join_route, literal_strings, qualified,
};
use super::{Framework, imports_any};
use crate::Source;
use crate::facts::{Endpoint, Import};
use crate::language::Language;
use crate::syntax::{SyntaxFile, line, named_children};

#[derive(Debug)]
pub struct JaxRs;

const DESIGNATORS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

impl Framework for JaxRs {
    fn name(&self) -> &'static str {
        "jaxrs"
    }

    fn applies(&self, source: &Source<'_>) -> bool {
        source.language == Language::Java && imports_any(source.imports, &["javax.ws.rs", "jakarta.ws.rs"])
    }

    fn endpoints(&self, file: &SyntaxFile<'_>, _imports: &[Import], out: &mut Vec<Endpoint>) {
        file.walk(|node| {
            if node.kind() != "class_declaration" {
                return;
            }
            let class_annotations = annotations(file, node);
            let Some(class_path) = class_annotations.iter().find(|a| a.name == "Path") else {
                return;
            };
            let Some(prefixes) = paths(file, class_path) else {
                return;
            };
            let class_name = node.child_by_field_name("name").map_or("", |n| file.text_of(n));
            let class_auth = jaxrs_auth(file, &class_annotations);
            let Some(body) = node.child_by_field_name("body") else {
                return;
            };
            for method in named_children(body)
                .into_iter()
                .filter(|m| m.kind() == "method_declaration")
            {
                let method_annotations = annotations(file, method);
                let method_paths = match method_annotations.iter().find(|a| a.name == "Path") {
                    Some(path) => match paths(file, path) {
                        Some(paths) => paths,
                        None => continue,
                    },
                    None => vec![String::new()],
                };
                let auth = jaxrs_auth(file, &method_annotations).or_else(|| class_auth.clone());
                let handler = method
                    .child_by_field_name("name")
                    .map(|n| qualified(class_name, file.text_of(n)));
                for designator in method_annotations
                    .iter()
                    .filter(|a| DESIGNATORS.contains(&a.name.as_str()))
                {
                    for prefix in &prefixes {
                        for path in &method_paths {
                            out.push(Endpoint {
                                method: designator.name.clone(),
                                path: join_route(prefix, path),
                                handler: handler.clone(),
                                authenticated: auth.as_ref().map(|a| a.authenticated),
                                guard: auth.as_ref().and_then(|a| a.guard.clone()),
                                framework: "jaxrs",
                                line: line(designator.node),
                            });
                        }
                    }
                }
            }
        });
    }
}

/// The literal value of a `@Path`; `None` when computed.
fn paths(file: &SyntaxFile<'_>, path: &Annotation<'_>) -> Option<Vec<String>> {
    literal_strings(file, annotation_element(file, path.node, &["value"])?)
}

fn jaxrs_auth(file: &SyntaxFile<'_>, annotations: &[Annotation<'_>]) -> Option<Auth> {
    annotations
        .iter()
        .find_map(|annotation| match annotation.name.as_str() {
            "RolesAllowed" | "DenyAll" | "Authenticated" => Some(Auth::guarded(file, annotation.node)),
            "PermitAll" => Some(Auth::open()),
            _ => None,
        })
}
