//! The system model as a diagram: Mermaid (for Markdown and PR comments) and Graphviz DOT. Trust
//! boundaries are clusters; processes are boxes, datastores cylinders, external entities rounded; a flow
//! is labelled with what it carries and drawn dashed when the code does not show it authenticated.

use std::fmt::Write;

use vigil_core::{Boundary, Component, ComponentKind, Flow, SystemModel};

/// A Mermaid `flowchart LR`.
pub fn mermaid(model: &SystemModel) -> String {
    let mut out = String::from("flowchart LR\n");
    let ids = Ids::new(model);
    write_clusters(
        &mut out,
        model,
        |b| format!("  subgraph {}[\"{}\"]\n", ids.boundary(&b.id), escape(&b.name)),
        "  end\n",
        |c| mermaid_node(&ids, c),
    );
    for flow in &model.flows {
        let arrow = if flow.authenticated == Some(true) {
            "-->"
        } else {
            "-.->"
        };
        let _ = writeln!(
            out,
            "  {} {arrow}|\"{}\"| {}",
            ids.component(&flow.source),
            escape(&flow_label(flow)),
            ids.component(&flow.target)
        );
    }
    out
}

fn mermaid_node(ids: &Ids, component: &Component) -> String {
    let id = ids.component(&component.id);
    let name = escape(&component_label(component));
    match component.kind {
        ComponentKind::Process => format!("{id}[\"{name}\"]"),
        ComponentKind::Datastore => format!("{id}[(\"{name}\")]"),
        ComponentKind::ExternalEntity => format!("{id}([\"{name}\"])"),
    }
}

/// Each boundary as a cluster (opened and closed in the format's syntax) holding its components, then the
/// components outside every boundary.
fn write_clusters(
    out: &mut String,
    model: &SystemModel,
    open: impl Fn(&Boundary) -> String,
    close: &str,
    node: impl Fn(&Component) -> String,
) {
    for boundary in &model.boundaries {
        out.push_str(&open(boundary));
        for component in model
            .components
            .iter()
            .filter(|c| c.boundary.as_deref() == Some(&boundary.id))
        {
            let _ = writeln!(out, "    {}", node(component));
        }
        out.push_str(close);
    }
    for component in model.components.iter().filter(|c| c.boundary.is_none()) {
        let _ = writeln!(out, "  {}", node(component));
    }
}

/// A Graphviz digraph.
pub fn dot(model: &SystemModel) -> String {
    let mut out = String::from(
        "digraph model {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n",
    );
    let ids = Ids::new(model);
    write_clusters(
        &mut out,
        model,
        |b| {
            format!(
                "  subgraph cluster_{} {{\n    label=\"{}\";\n    style=dashed;\n",
                ids.boundary(&b.id),
                escape(&b.name)
            )
        },
        "  }\n",
        |c| dot_node(&ids, c),
    );
    for flow in &model.flows {
        let style = if flow.authenticated == Some(true) {
            "solid"
        } else {
            "dashed"
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\", style={style}];",
            ids.component(&flow.source),
            ids.component(&flow.target),
            escape(&flow_label(flow))
        );
    }
    out.push_str("}\n");
    out
}

fn dot_node(ids: &Ids, component: &Component) -> String {
    let shape = match component.kind {
        ComponentKind::Process => "box",
        ComponentKind::Datastore => "cylinder",
        ComponentKind::ExternalEntity => "ellipse",
    };
    format!(
        "{} [label=\"{}\", shape={shape}];",
        ids.component(&component.id),
        escape(&component_label(component))
    )
}

fn component_label(component: &Component) -> String {
    let mut label = component.name.clone();
    if component.internet_facing {
        label.push_str(" (Internet-facing)");
    }
    if !component.data_classes.is_empty() {
        let classes: Vec<&str> = component.data_classes.iter().map(|c| c.as_str()).collect();
        label.push_str(&format!(" [{}]", classes.join(", ")));
    }
    label
}

fn flow_label(flow: &Flow) -> String {
    let mut label = flow.label.clone();
    if let Some(protocol) = &flow.protocol {
        label.push_str(&format!(" ({protocol})"));
    }
    if !flow.data_classes.is_empty() {
        let classes: Vec<&str> = flow.data_classes.iter().map(|c| c.as_str()).collect();
        label.push_str(&format!(" [{}]", classes.join(", ")));
    }
    label
}

/// Element ids as diagram identifiers: `c0`, `c1`... for components and `b0`... for boundaries, in model
/// order (model ids hold `:`, `/` and `.`, which neither syntax takes bare).
struct Ids<'a> {
    components: Vec<&'a str>,
    boundaries: Vec<&'a str>,
}

impl<'a> Ids<'a> {
    fn new(model: &'a SystemModel) -> Self {
        Self {
            components: model.components.iter().map(|c| c.id.as_str()).collect(),
            boundaries: model.boundaries.iter().map(|b| b.id.as_str()).collect(),
        }
    }

    fn component(&self, id: &str) -> String {
        self.components
            .iter()
            .position(|c| *c == id)
            .map_or_else(|| format!("x_{}", sanitize(id)), |i| format!("c{i}"))
    }

    fn boundary(&self, id: &str) -> String {
        self.boundaries
            .iter()
            .position(|b| *b == id)
            .map_or_else(|| format!("x_{}", sanitize(id)), |i| format!("b{i}"))
    }
}

fn sanitize(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Quotes and control characters out of labels: a file name from the repository cannot break the syntax.
fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '"' => '\''.to_string(),
            '\\' => "/".to_owned(),
            other => other.to_string(),
        })
        .collect()
}
