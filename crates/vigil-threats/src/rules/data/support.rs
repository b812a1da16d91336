//! What the data and boundary rules ask of the model and inventory beyond [`crate::graph`]: a service's
//! endpoints, the most sensitive class of a set, and how to say which control is missing.

use vigil_core::{Asset, AssetKind, Component, DataClass, Inventory, Objective, Scope};

/// The API endpoints of the service a component stands for (`svc:<dir>` is `service:<dir>`).
pub fn endpoints<'a>(inventory: &'a Inventory, component: &Component) -> Vec<&'a Asset> {
    let Some(dir) = component.id.strip_prefix("svc:") else {
        return Vec::new();
    };
    let service = format!("service:{dir}");
    inventory
        .of_kind(AssetKind::ApiEndpoint)
        .filter(|e| e.attr_str("service") == Some(service.as_str()))
        .collect()
}

/// Whether an endpoint changes state (anything but GET, HEAD and OPTIONS).
pub fn changes_state(endpoint: &Asset) -> bool {
    !matches!(
        endpoint
            .attr_str("method")
            .map(str::to_ascii_uppercase)
            .as_deref(),
        Some("GET" | "HEAD" | "OPTIONS") | None
    )
}

/// Whether the data includes card or health data, which regulations single out.
pub fn regulated(data: &[DataClass]) -> bool {
    data.iter().any(|c| matches!(c, DataClass::Pci | DataClass::Phi))
}

/// The scope's objectives that regulate one of `data` (PCI DSS for PCI, HIPAA for PHI, GDPR for PII).
pub fn objectives_for(scope: &Scope, data: &[DataClass]) -> Vec<&'static str> {
    scope
        .objectives
        .iter()
        .filter(|o| o.regulated_data().is_some_and(|c| data.contains(&c)))
        .map(|o: &Objective| o.as_str())
        .collect()
}

/// `; no `a` or `b` control is recorded on X`, or nothing when the component has one of them (the engine
/// then reports the finding mitigated, with the control).
pub fn missing_controls(component: &Component, controls: &[&str]) -> String {
    if component.control(controls).is_some() {
        return String::new();
    }
    let names: Vec<String> = controls.iter().map(|c| format!("`{c}`")).collect();
    format!(
        "; no {} control is recorded on {}",
        names.join(" or "),
        component.name
    )
}

/// The impact when the threat puts at stake data the finding's components are not marked with (a flow's
/// or a neighbouring datastore's): the scorer already weighs the components' own data, so only the rest
/// raises the base here.
pub fn unseen_data_impact(
    base: u8,
    data: &[vigil_core::DataClass],
    on: &[&Component],
    what: &str,
) -> Option<(u8, String)> {
    use vigil_core::DataClass;
    let unseen: Vec<DataClass> = data
        .iter()
        .copied()
        .filter(|c| !on.iter().any(|component| component.data_classes.contains(c)))
        .collect();
    let raise = if unseen
        .iter()
        .any(|c| matches!(c, DataClass::Pci | DataClass::Phi | DataClass::Secrets))
    {
        2
    } else if unseen.contains(&DataClass::Pii) {
        1
    } else {
        return None;
    };
    Some((
        (base + raise).min(10),
        format!("{what} {} data", crate::graph::class_names(&unseen)),
    ))
}

/// Whether a datastore component is one identifiable store: a cloud resource, a database the code names by
/// host, or one people declared. A client library alone (`ds:sdk:postgresql`) tells which engine services
/// use, not which database: two services using it need not share anything.
pub fn identified_store(inventory: &Inventory, component: &Component) -> bool {
    component
        .assets
        .iter()
        .filter_map(|id| inventory.get(id))
        .all(|a| a.kind != AssetKind::Datastore || a.attr_str("host").is_some())
}

/// Application components: services found in the code, and processes people or design documents added
/// without assets. Cloud resources and CI jobs are judged by their own rules (a CloudTrail trail is not
/// an application's audit trail, a Lambda's plaintext variables have their own rule).
pub fn is_application(component: &Component) -> bool {
    component.kind == vigil_core::ComponentKind::Process
        && component.out_of_scope.is_none()
        && component.assets.iter().all(|a| a.0.starts_with("service:"))
}
