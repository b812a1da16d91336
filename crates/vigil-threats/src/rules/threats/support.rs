//! What the application threat rules share: which components attacker input reaches with a capability,
//! how the path it takes and the data behind the component move likelihood and impact, the controls a
//! finding is waiting for, and the API endpoints of a service.

use vigil_core::{
    Asset, AssetKind, BoundaryKind, CapabilityKind, Component, ComponentKind, DataClass, Evidence,
    SystemModel,
};

use crate::graph::{self, Exposure};
use crate::rule::{Context, Hit, Rule, RuleMeta};

/// A component attacker input reaches, with the capability that makes a threat relevant to it.
#[derive(Debug)]
pub struct Reached<'a> {
    pub component: &'a Component,
    pub capability: &'a [Evidence],
    pub exposure: Exposure,
}

/// In-scope components with `kind` that input from the Internet reaches, directly or through a process.
pub fn reached(model: &SystemModel, kind: CapabilityKind) -> Vec<Reached<'_>> {
    graph::with_capability(model, kind)
        .filter_map(|(component, capability)| {
            graph::exposure(model, component).map(|exposure| Reached {
                component,
                capability,
                exposure,
            })
        })
        .collect()
}

pub fn is_direct(exposure: &Exposure) -> bool {
    exposure.path == "directly"
}

/// Input that first crosses another service has been parsed, typed and often validated there, and the
/// attacker has to know how that service forwards it: less likely to arrive intact. (The scorer already
/// adds to the likelihood of components that face the Internet themselves, so this only marks the
/// indirect path down, and by one.)
pub fn path_likelihood(meta: &RuleMeta, exposure: &Exposure) -> Option<(u8, String)> {
    (!is_direct(exposure)).then(|| {
        (
            meta.likelihood.saturating_sub(1).max(1),
            format!("attacker input reaches it only {}", exposure.path),
        )
    })
}

/// Sensitive data in the datastores a component queries that the component itself is not marked with:
/// what an injection into its queries reaches beyond its own data (which the scorer weighs already), with
/// the datastores that hold it.
pub fn data_behind(model: &SystemModel, component: &Component) -> (Vec<DataClass>, Vec<String>) {
    let own = graph::sensitive_data(component);
    let mut classes = Vec::new();
    let mut holders = Vec::new();
    for flow in model.flows.iter().filter(|f| f.source == component.id) {
        let Some(target) = model.component(&flow.target) else {
            continue;
        };
        if target.kind != ComponentKind::Datastore {
            continue;
        }
        let mut found: Vec<DataClass> = graph::sensitive_data(target);
        found.extend(
            flow.data_classes
                .iter()
                .copied()
                .filter(|c| graph::is_sensitive(*c)),
        );
        found.retain(|c| !own.contains(c));
        if !found.is_empty() && !holders.contains(&target.name) {
            holders.push(target.name.clone());
        }
        classes.extend(found);
    }
    classes.sort();
    classes.dedup();
    (classes, holders)
}

/// The rule's impact whatever the data: the scorer weighs the data the component itself handles.
pub fn base_impact(_: &RuleMeta, _: &SystemModel, _: &Component) -> Option<(u8, String)> {
    None
}

/// Impact raised when the datastores the component queries hold more sensitive data than the component
/// itself, by the difference on the scorer's scale (card, health data and secrets two, personal data one):
/// the scorer has already counted the component's own.
pub fn reached_impact(meta: &RuleMeta, model: &SystemModel, component: &Component) -> Option<(u8, String)> {
    let weight = |classes: &[DataClass]| {
        classes
            .iter()
            .map(|c| match c {
                DataClass::Pci | DataClass::Phi | DataClass::Secrets => 2u8,
                DataClass::Pii => 1,
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    };
    let (classes, holders) = data_behind(model, component);
    let raise = weight(&classes).saturating_sub(weight(&graph::sensitive_data(component)));
    (raise > 0).then(|| {
        (
            (meta.impact + raise).min(10),
            format!(
                "its queries reach {} data in {}",
                graph::class_names(&classes),
                holders.join(", ")
            ),
        )
    })
}

/// Where a piece of evidence is, with what it shows: `imports lxml (svc/app.py:2)`.
pub fn cite(evidence: &[Evidence]) -> String {
    match evidence.first() {
        Some(first) => match &first.note {
            Some(note) => format!("{note} ({})", first.location()),
            None => first.location(),
        },
        None => "declared in the model".into(),
    }
}

/// What the component's controls say about the rule: the mitigating control it has, or those it lacks.
pub fn control_statement(meta: &RuleMeta, component: &Component) -> String {
    match component.control(meta.mitigated_by) {
        Some(control) => format!("`{}` is recorded on it", control.name),
        None => format!("no {} control is recorded on it", alternatives(meta.mitigated_by)),
    }
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``.
pub fn alternatives(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => "mitigating".into(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The evidence of a hit: what shows the capability, then what shows the exposure.
pub fn evidence(capability: &[Evidence], exposure: &Exposure) -> Vec<Evidence> {
    capability
        .iter()
        .take(2)
        .chain(exposure.evidence.iter().take(2))
        .cloned()
        .collect()
}

/// `directly from the Internet` or `from the Internet through Storefront API`.
pub fn reach_phrase(exposure: &Exposure) -> String {
    if is_direct(exposure) {
        "directly from the Internet".into()
    } else {
        format!("from the Internet {}", exposure.path)
    }
}

/// Application components: services vigil found in the code, and components people or design documents
/// added without assets. Cloud resources and CI jobs have rules of their own.
pub fn is_application(component: &Component) -> bool {
    component.kind == ComponentKind::Process
        && component.out_of_scope.is_none()
        && component.assets.iter().all(|a| a.0.starts_with("service:"))
}

/// Runs where a metadata service hands out credentials to whoever can make it send a request.
pub fn metadata_boundary(model: &SystemModel, component: &Component) -> Option<(BoundaryKind, String)> {
    let boundary = model
        .boundaries
        .iter()
        .find(|b| Some(&b.id) == component.boundary.as_ref())?;
    matches!(boundary.kind, BoundaryKind::CloudAccount | BoundaryKind::Cluster)
        .then(|| (boundary.kind, boundary.name.clone()))
}

/// A threat that is relevant wherever attacker input reaches a component with one capability: the
/// injection family, parsers, uploads, token handling. Each rule is a static of this type with its own
/// documentation; the impact function says what, beyond the component's own data (which the scorer
/// weighs), the threat puts at stake.
#[derive(Debug)]
pub struct CapabilityThreat {
    pub meta: &'static RuleMeta,
    pub capability: CapabilityKind,
    /// The threat, for titles: `SQL injection`.
    pub threat: &'static str,
    /// What the component does, after its name: `builds SQL queries`.
    pub doing: &'static str,
    pub impact: fn(&RuleMeta, &SystemModel, &Component) -> Option<(u8, String)>,
}

impl Rule for CapabilityThreat {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    fn check(&self, ctx: &Context<'_>) -> Vec<Hit> {
        reached(ctx.model, self.capability)
            .into_iter()
            .map(|r| {
                let name = &r.component.name;
                let own = graph::sensitive_data(r.component);
                let impact = (self.impact)(self.meta, ctx.model, r.component);
                let mut data_note = String::new();
                if !own.is_empty() {
                    data_note.push_str(&format!("; it handles {} data", graph::class_names(&own)));
                }
                if let Some((_, why)) = &impact {
                    data_note.push_str(&format!("; {why}"));
                }
                let mut hit = graph::component_hit(
                    r.component,
                    self.capability.as_str(),
                    format!(
                        "{} in {name}: it {} and input reaches it {}",
                        self.threat,
                        self.doing,
                        reach_phrase(&r.exposure)
                    ),
                    format!(
                        "{name} {} ({}: {}); input from the Internet reaches it {}{data_note}; {}",
                        self.doing,
                        self.capability.as_str(),
                        cite(r.capability),
                        r.exposure.path,
                        control_statement(self.meta, r.component),
                    ),
                    evidence(r.capability, &r.exposure),
                );
                hit.likelihood = path_likelihood(self.meta, &r.exposure);
                hit.impact = impact;
                hit
            })
            .collect()
    }
}

/// The API endpoints vigil found for a service component, in a stable order.
pub fn endpoints<'a>(ctx: &Context<'a>, component: &Component) -> Vec<&'a Asset> {
    let mut found: Vec<&Asset> = ctx
        .inventory
        .of_kind(AssetKind::ApiEndpoint)
        .filter(|e| {
            e.attr_str("service")
                .is_some_and(|s| format!("svc:{}", s.trim_start_matches("service:")) == component.id)
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    found
}

pub fn method(endpoint: &Asset) -> String {
    endpoint.attr_str("method").unwrap_or("GET").to_ascii_uppercase()
}

pub fn route(endpoint: &Asset) -> &str {
    endpoint.attr_str("path").unwrap_or("/")
}

/// POST, PUT, PATCH and DELETE change state; a framework's catch-all (`ALL`, `ANY`) may too.
pub fn is_write(endpoint: &Asset) -> bool {
    matches!(
        method(endpoint).as_str(),
        "POST" | "PUT" | "PATCH" | "DELETE" | "ALL" | "ANY" | "*"
    )
}

/// The route's framework said it has no guard; an unknown answer (`null`) is not a finding.
pub fn unauthenticated(endpoint: &Asset) -> bool {
    endpoint.attr_bool("authenticated") == Some(false)
}

/// The words of a route, lowercase, parameters left out: `/api/v1/user-profiles/:id` gives `api`, `v1`,
/// `user`, `profiles`, and each segment joined (`userprofiles`) for multi-word names.
pub fn words(path: &str) -> Vec<String> {
    let mut words = Vec::new();
    for segment in path.split('/') {
        let segment = segment.to_ascii_lowercase();
        if segment.is_empty() || segment.starts_with([':', '{', '<', '[', '*', '$']) {
            continue;
        }
        let parts: Vec<&str> = segment.split(['-', '_', '.']).filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 {
            words.push(parts.concat());
        }
        words.extend(parts.into_iter().map(str::to_owned));
    }
    words
}

pub fn has_word(path: &str, wanted: &[&str]) -> bool {
    words(path).iter().any(|w| wanted.contains(&w.as_str()))
}

/// Routes meant for operators, not users.
pub const ADMIN_WORDS: &[&str] = &[
    "admin",
    "administrator",
    "administration",
    "internal",
    "debug",
    "actuator",
    "console",
    "management",
    "superuser",
    "phpmyadmin",
];

/// Routes that must answer before anyone is signed in, or that authenticate the caller another way
/// (a webhook signature, an OAuth state).
pub const SIGN_IN_WORDS: &[&str] = &[
    "login",
    "logon",
    "signin",
    "logout",
    "signout",
    "signup",
    "register",
    "registration",
    "password",
    "forgot",
    "reset",
    "token",
    "oauth",
    "oidc",
    "callback",
    "sso",
    "saml",
    "authenticate",
    "verify",
    "confirm",
    "webhook",
    "webhooks",
    "hooks",
    "health",
    "healthz",
];

/// Routes that take a password: where credential stuffing lands.
pub const LOGIN_WORDS: &[&str] = &[
    "login",
    "logon",
    "signin",
    "authenticate",
    "token",
    "session",
    "sessions",
];

/// A login attacker input reaches: a component that authenticates users, with its login route when vigil
/// knows the component's routes.
#[derive(Debug)]
pub struct Login<'a> {
    pub reached: Reached<'a>,
    pub route: Option<&'a Asset>,
}

impl Login<'_> {
    /// `POST /login` or `its login`.
    pub fn at(&self) -> String {
        self.route.map_or_else(
            || "its login".to_owned(),
            |r| format!("{} {}", method(r), route(r)),
        )
    }

    pub fn route_statement(&self) -> String {
        match self.route {
            Some(r) => format!(
                "its login route is {} {} ({})",
                method(r),
                route(r),
                cite(&r.evidence)
            ),
            None => "vigil knows none of its routes, so the capability stands for its login".into(),
        }
    }

    /// The login route, what shows the capability, what shows the exposure.
    pub fn evidence(&self) -> Vec<Evidence> {
        let mut items: Vec<Evidence> = self
            .route
            .iter()
            .flat_map(|r| r.evidence.first().cloned())
            .collect();
        items.extend(evidence(self.reached.capability, &self.reached.exposure));
        items
    }
}

/// Components that log users in and that input from the Internet reaches. Where vigil knows a component's
/// routes, one of them must take credentials (a service that only verifies tokens an identity provider
/// issued has no password to guess); where it knows none (a planned component), the capability decides.
pub fn logins<'a>(ctx: &Context<'a>) -> Vec<Login<'a>> {
    reached(ctx.model, CapabilityKind::Authenticates)
        .into_iter()
        .filter_map(|reached| {
            let all = endpoints(ctx, reached.component);
            if all.is_empty() {
                return Some(Login { reached, route: None });
            }
            let route = all
                .into_iter()
                .find(|e| is_write(e) && has_word(self::route(e), LOGIN_WORDS))?;
            Some(Login {
                reached,
                route: Some(route),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_words_skip_parameters_and_join_segments() {
        assert_eq!(
            words("/api/v1/user-profiles/:id/{x}/<int:y>"),
            vec!["api", "v1", "userprofiles", "user", "profiles"]
        );
        assert!(has_word("/auth/sign-in", &["signin"]));
        assert!(!has_word("/administrators-guide", &["admin"]));
        assert!(has_word("/__debug__/", ADMIN_WORDS));
    }

    #[test]
    fn alternatives_read_as_a_list() {
        assert_eq!(alternatives(&["a"]), "`a`");
        assert_eq!(alternatives(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
