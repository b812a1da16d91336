//! What the data and boundary rules ask of the model and inventory beyond [`crate::graph`]: a service's
//! endpoints, the most sensitive class of a set, and how to say which control is missing.

use vigil_core::{Asset, AssetKind, Component, DataClass, Inventory, Objective, Scope};

pub use crate::graph::{identified_store, missing_controls, unseen_data_impact};

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

/// Application components: services found in the code, and processes people or design documents added
/// without assets. Cloud resources and CI jobs are judged by their own rules (a CloudTrail trail is not
/// an application's audit trail, a Lambda's plaintext variables have their own rule).
pub fn is_application(component: &Component) -> bool {
    component.kind == vigil_core::ComponentKind::Process
        && component.out_of_scope.is_none()
        && component.assets.iter().all(|a| a.0.starts_with("service:"))
}
