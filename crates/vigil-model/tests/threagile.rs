//! Threagile YAML: the stub model imports; the example's generated model exports and re-imports to the same
//! model; inconsistent models are errors naming the element.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::path::Path;

use vigil_core::{BoundaryKind, ComponentKind, DataClass, Scope, SystemModel};
use vigil_model::threagile::{export, import};

fn workspace() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn the_threagile_stub_imports() {
    let text =
        std::fs::read_to_string(workspace().join("fixtures/threat-models/threagile-stub.yaml")).unwrap();
    let model = import(&text).unwrap();
    let ids: Vec<&str> = model.components.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["some-component", "some-other-component"]);
    assert!(model.components.iter().all(|c| c.kind == ComponentKind::Process));
    assert_eq!(
        model.components[0].data_classes,
        [DataClass::Pii],
        "confidential data"
    );
    let flow = &model.flows[0];
    assert_eq!(
        (flow.source.as_str(), flow.target.as_str(), flow.label.as_str()),
        ("some-component", "some-other-component", "Some Traffic")
    );
    assert_eq!(
        (flow.protocol.as_deref(), flow.authenticated),
        (Some("https"), Some(false))
    );
    let boundary = &model.boundaries[0];
    assert_eq!(
        (boundary.id.as_str(), boundary.kind),
        ("some-network", BoundaryKind::ThirdParty)
    );
    assert_eq!(boundary.components, ["some-component"]);
    assert_eq!(model.components[0].boundary.as_deref(), Some("some-network"));
}

/// What survives a round trip: everything but the flow ids, encryption and the assets behind components.
fn shape(model: &SystemModel) -> String {
    let mut lines = Vec::new();
    for c in &model.components {
        lines.push(format!(
            "component {} {:?} {:?} {:?} {} {:?} {:?} {}",
            c.id, c.name, c.kind, c.boundary, c.internet_facing, c.data_classes, c.evidence, c.assumed
        ));
    }
    for f in &model.flows {
        lines.push(format!(
            "flow {} -> {} {:?} {:?} {:?} {:?} {:?} {}",
            f.source, f.target, f.label, f.protocol, f.authenticated, f.data_classes, f.evidence, f.assumed
        ));
    }
    for b in &model.boundaries {
        lines.push(format!(
            "boundary {} {:?} {:?} {:?} {:?} {}",
            b.id, b.name, b.kind, b.components, b.evidence, b.assumed
        ));
    }
    lines.sort();
    lines.join("\n")
}

#[test]
fn the_example_model_round_trips() {
    let root = workspace().join("examples/shop");
    let mut inventory = vigil_discover::run(&root, &Scope::default()).unwrap().inventory;
    let model = vigil_model::run(&mut inventory, &Scope::default());
    assert!(model.components.len() > 5 && !model.flows.is_empty() && !model.boundaries.is_empty());
    let yaml = export(&model, "shop");
    let back = import(&yaml).unwrap();
    assert_eq!(shape(&back), shape(&model));
    // And again: the export of the import is the same document.
    assert_eq!(export(&back, "shop"), yaml);
}

#[test]
fn inconsistent_models_name_the_element() {
    let base = "threagile_version: 1.0.0\ntitle: t\ntechnical_assets:\n  A:\n    id: a\n    type: process\n";
    let dangling = format!("{base}    communication_links:\n      Calls:\n        target: ghost\n");
    let error = import(&dangling).unwrap_err().to_string();
    assert!(error.contains("`Calls`") && error.contains("`ghost`"), "{error}");
    let twice = format!("{base}  B:\n    id: a\n    type: datastore\n");
    assert!(
        import(&twice)
            .unwrap_err()
            .to_string()
            .contains("`a` is used twice")
    );
    let boundary =
        format!("{base}trust_boundaries:\n  Net:\n    id: net\n    technical_assets_inside: [nobody]\n");
    assert!(import(&boundary).unwrap_err().to_string().contains("`nobody`"));
    assert!(
        import("title: not threagile\n")
            .unwrap_err()
            .to_string()
            .contains("threagile_version")
    );
    assert!(
        import("threagile_version: [unclosed\n")
            .unwrap_err()
            .to_string()
            .contains("invalid YAML")
    );
}

/// Trust boundary nesting: cycles and assets placed in two unrelated boundaries are errors naming the
/// element; an asset listed in a boundary and in the boundary nested inside it sits in the inner one.
#[test]
fn cyclic_or_ambiguous_boundaries_name_the_element() {
    let base = "threagile_version: 1.0.0\ntitle: t\ntechnical_assets:\n  A:\n    id: a\n    type: process\ntrust_boundaries:\n";
    let cyclic = format!(
        "{base}  Outer:\n    id: outer\n    trust_boundaries_nested: [inner]\n  Inner:\n    id: inner\n    trust_boundaries_nested: [outer]\n"
    );
    let error = import(&cyclic).unwrap_err().to_string();
    assert!(
        error.contains("nested in itself") && error.contains("`outer`"),
        "{error}"
    );
    let unknown = format!("{base}  Outer:\n    id: outer\n    trust_boundaries_nested: [nowhere]\n");
    let error = import(&unknown).unwrap_err().to_string();
    assert!(
        error.contains("`nowhere`") && error.contains("`outer`"),
        "{error}"
    );
    let ambiguous = format!(
        "{base}  Left:\n    id: left\n    technical_assets_inside: [a]\n  Right:\n    id: right\n    technical_assets_inside: [a]\n"
    );
    let error = import(&ambiguous).unwrap_err().to_string();
    assert!(
        error.contains("`a`") && error.contains("`left`, `right`"),
        "{error}"
    );
    let nested = format!(
        "{base}  Outer:\n    id: outer\n    technical_assets_inside: [a]\n    trust_boundaries_nested: [inner]\n  Inner:\n    id: inner\n    technical_assets_inside: [a]\n"
    );
    let model = import(&nested).unwrap();
    assert_eq!(model.components[0].boundary.as_deref(), Some("inner"));
}

#[test]
fn the_threat_dragon_demo_imports() {
    let text = std::fs::read_to_string(
        workspace().join("fixtures/threat-models/threat-dragon-demo-v2-threat-model.json"),
    )
    .unwrap();
    let (model, warnings) = vigil_model::threat_dragon::import(&text).unwrap();
    let mut names: Vec<(&str, ComponentKind)> = model
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("Background Worker Process", ComponentKind::Process),
            ("Browser", ComponentKind::ExternalEntity),
            ("Database", ComponentKind::Datastore),
            ("Message Queue", ComponentKind::Datastore),
            ("The Internet", ComponentKind::ExternalEntity),
            ("Web Application", ComponentKind::Process),
            ("Web Application Config", ComponentKind::Datastore),
            ("Worker Config", ComponentKind::Datastore),
        ]
    );
    assert_eq!(model.flows.len(), 10, "{warnings:?}");
    // `Web Request` is drawn from nowhere on a public network: it comes from the Internet, and makes the
    // web application Internet-facing.
    let request = model.flows.iter().find(|f| f.label == "Web Request").unwrap();
    assert_eq!(request.source, "internet");
    assert_eq!(request.protocol.as_deref(), Some("HTTP/S"));
    assert_eq!(request.encrypted, Some(true));
    let web = model
        .components
        .iter()
        .find(|c| c.name == "Web Application")
        .unwrap();
    assert!(web.internet_facing);
    assert_eq!(model.boundaries.len(), 3, "the three boundary curves");
    // And it exports to Threagile and back unchanged.
    let yaml = export(&model, "demo");
    assert_eq!(shape(&import(&yaml).unwrap()), shape(&model));
}
