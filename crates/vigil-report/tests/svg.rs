//! The system model as SVG: a small model pinned in a snapshot; a generated 50-component model whose
//! geometry is read back from the SVG (no two boxes overlap, each box sits in its boundary's frame and
//! no other, frames stay apart); names from hostile repositories escaped; big models rendered fast.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use serde_json::{Value, json};
use vigil_core::SystemModel;
use vigil_report::svg::svg;

// ---------------------------------------------------------------------------------------------------
// Building models. They go through JSON, so a field added to the model with a serde default needs no
// change here.

fn model(components: Vec<Value>, flows: Vec<Value>, boundaries: Vec<Value>) -> SystemModel {
    serde_json::from_value(json!({
        "components": components,
        "flows": flows,
        "boundaries": boundaries,
    }))
    .expect("a valid model")
}

fn component(id: &str, name: &str, kind: &str, boundary: Option<&str>) -> Value {
    json!({"id": id, "name": name, "kind": kind, "boundary": boundary})
}

fn flow(source: &str, target: &str, label: &str) -> Value {
    json!({"id": format!("{source}->{target}:{label}"), "source": source, "target": target, "label": label})
}

fn boundary(id: &str, name: &str, kind: &str, components: &[&str]) -> Value {
    json!({"id": id, "name": name, "kind": kind, "components": components})
}

/// A web shop: the Internet, an API and a worker in a cluster, a database and a bucket in the cloud
/// account, a payment provider, CI deploying; one flow unauthenticated, one in a cycle, one to itself.
fn small() -> SystemModel {
    let mut components = vec![
        component("internet", "The Internet", "external-entity", Some("internet")),
        component("svc:api", "shop-api", "process", Some("k8s")),
        component("svc:worker", "shop-worker", "process", Some("k8s")),
        component("db:orders", "orders database", "datastore", Some("aws")),
        component(
            "res:bucket",
            "aws_s3_bucket.customer_exports_with_a_long_name",
            "datastore",
            Some("aws"),
        ),
        component(
            "ext:payments",
            "Payment provider",
            "external-entity",
            Some("saas"),
        ),
        component("ci:deploy", "deploy.yml", "process", None),
    ];
    components[1]["internet_facing"] = json!(true);
    components[3]["data_classes"] = json!(["pci", "pii"]);
    let mut flows = vec![
        flow("internet", "svc:api", "HTTPS requests"),
        flow("svc:api", "db:orders", "reads and writes orders"),
        flow("svc:api", "svc:worker", "enqueues jobs"),
        flow("svc:worker", "res:bucket", "writes exports"),
        flow("svc:worker", "ext:payments", "charges cards"),
        flow("ext:payments", "svc:api", "webhook callbacks"),
        flow("ci:deploy", "svc:api", "deploys"),
        flow("svc:worker", "svc:worker", "retries"),
    ];
    flows[0]["protocol"] = json!("https");
    flows[1]["authenticated"] = json!(true);
    flows[4]["data_classes"] = json!(["pci"]);
    flows[5]["authenticated"] = json!(false);
    flows[6]["encrypted"] = json!(false);
    let boundaries = vec![
        boundary("internet", "Internet", "internet", &["internet"]),
        boundary("k8s", "prod cluster", "cluster", &["svc:api", "svc:worker"]),
        boundary(
            "aws",
            "AWS account 1234",
            "cloud-account",
            &["db:orders", "res:bucket"],
        ),
        boundary("saas", "Third parties", "third-party", &["ext:payments"]),
    ];
    model(components, flows, boundaries)
}

/// A deterministic pseudo-random sequence (a linear congruential generator): no dependency, same model
/// on every run.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// A system of `n` components in four tiers (say edge, services, data, outside), most in one of `b`
/// boundaries that follow the tiers loosely, with `f` flows: four in five from one tier to the next,
/// the others anywhere (backwards, within a tier, to themselves).
fn generated(n: usize, f: usize, b: usize) -> SystemModel {
    const KINDS: [&str; 6] = [
        "internet",
        "cloud-account",
        "network",
        "cluster",
        "third-party",
        "ci",
    ];
    const NAMES: [&str; 6] = [
        "api",
        "aws_s3_bucket.customer_exports_archive",
        "payments",
        "orders-db",
        "a-component-with-an-unusually-long-descriptive-name",
        "job",
    ];
    let mut random = Random(0x5EED);
    let tier = |i: usize| i * 4 / n;
    let boundaries: Vec<(String, String, &str)> = (0..b)
        .map(|i| (format!("b{i}"), format!("Boundary {i}"), KINDS[i % KINDS.len()]))
        .collect();
    let mut members: Vec<Vec<String>> = vec![Vec::new(); b];
    let mut components = Vec::new();
    for i in 0..n {
        let id = format!("c{i}");
        let kind = ["process", "datastore", "external-entity"][random.below(3)];
        // Boundaries follow the tiers, one in eight components outside any.
        let home = (random.below(8) != 0).then(|| (tier(i) * b / 4 + random.below(2)).min(b - 1));
        let name = format!("{}-{i}", NAMES[random.below(NAMES.len())]);
        let mut value = component(&id, &name, kind, home.map(|h| boundaries[h].0.as_str()));
        value["internet_facing"] = json!(random.below(6) == 0);
        if let Some(h) = home {
            members[h].push(id);
        }
        components.push(value);
    }
    let mut flows = Vec::new();
    let in_tier = |random: &mut Random, t: usize| (t * n / 4 + random.below(n / 4)).min(n - 1);
    for i in 0..f {
        let (source, target) = if random.below(5) == 0 {
            (random.below(n), random.below(n))
        } else {
            let from = random.below(3);
            (in_tier(&mut random, from), in_tier(&mut random, from + 1))
        };
        let mut value = flow(
            &format!("c{source}"),
            &format!("c{target}"),
            &format!("flow number {i} carrying data"),
        );
        value["authenticated"] = [json!(true), json!(false), Value::Null][random.below(3)].clone();
        value["protocol"] = json!(["https", "grpc", "sql"][random.below(3)]);
        flows.push(value);
    }
    let boundaries = boundaries
        .iter()
        .zip(&members)
        .map(|((id, name, kind), members)| {
            let members: Vec<&str> = members.iter().map(String::as_str).collect();
            boundary(id, name, kind, &members)
        })
        .collect();
    model(components, flows, boundaries)
}

// ---------------------------------------------------------------------------------------------------
// Reading the SVG back.

#[derive(Debug, Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    fn contains(&self, o: &Rect) -> bool {
        self.x <= o.x && self.y <= o.y && o.x + o.w <= self.x + self.w && o.y + o.h <= self.y + self.h
    }
}

/// The start tags of the document, each as the text between `<` and `>`.
fn tags(svg: &str) -> Vec<&str> {
    svg.split('<')
        .skip(1)
        .filter_map(|part| part.split_once('>').map(|(tag, _)| tag))
        .filter(|tag| !tag.starts_with('/'))
        .collect()
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')?;
    Some(&tag[start..start + end])
}

fn number(tag: &str, name: &str) -> f64 {
    attribute(tag, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number {name} in <{tag}>"))
}

/// Each component's index, box and boundary index, from its `<g class="component">`.
fn component_boxes(svg: &str) -> Vec<(usize, Rect, Option<usize>)> {
    tags(svg)
        .into_iter()
        .filter(|tag| tag.starts_with("g class=\"component\""))
        .map(|tag| {
            let index = attribute(tag, "data-component").unwrap().parse().unwrap();
            let b: Vec<f64> = attribute(tag, "data-box")
                .unwrap()
                .split(' ')
                .map(|v| v.parse().unwrap())
                .collect();
            let boundary = attribute(tag, "data-boundary").map(|b| b.parse().unwrap());
            let rect = Rect {
                x: b[0],
                y: b[1],
                w: b[2],
                h: b[3],
            };
            (index, rect, boundary)
        })
        .collect()
}

/// Each frame's boundary index and rectangle: a `<rect class="frame">` inside a `<g class="boundary">`.
fn frames(svg: &str) -> Vec<(usize, Rect)> {
    let mut out = Vec::new();
    let mut boundary = None;
    for tag in tags(svg) {
        if tag.starts_with("g class=\"boundary\"") {
            boundary = attribute(tag, "data-boundary").map(|b| b.parse().unwrap());
        } else if tag.starts_with("rect class=\"frame\"") {
            let index = boundary.take().expect("a frame outside a boundary group");
            let frame = Rect {
                x: number(tag, "x"),
                y: number(tag, "y"),
                w: number(tag, "width"),
                h: number(tag, "height"),
            };
            out.push((index, frame));
        }
    }
    out
}

/// A small well-formedness check, enough for what the renderer writes (no comments, CDATA or
/// processing instructions): tags balance, attributes are quoted and unique, `&` starts a known entity,
/// no character XML 1.0 forbids.
fn assert_well_formed(svg: &str) {
    assert!(svg.starts_with("<svg "), "{}", &svg[..svg.len().min(80)]);
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        assert_text(&rest[..start]);
        let end = rest[start..].find('>').expect("an unclosed tag") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name), "mismatched </{name}>");
            continue;
        }
        let self_closing = tag.ends_with('/');
        let body = tag.trim_end_matches('/');
        let (name, attributes) = body.split_once(' ').unwrap_or((body, ""));
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
            "bad tag name in <{tag}>"
        );
        assert_attributes(attributes);
        if open.is_empty() {
            roots += 1;
        }
        if !self_closing {
            open.push(name);
        }
    }
    assert_text(rest);
    assert!(rest.trim().is_empty(), "text after the root");
    assert!(open.is_empty(), "unclosed {open:?}");
    assert_eq!(roots, 1);
}

fn assert_attributes(mut text: &str) {
    let mut names = Vec::new();
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return;
        }
        let (name, after) = text
            .split_once("=\"")
            .unwrap_or_else(|| panic!("bad attribute at {text}"));
        assert!(!name.contains(char::is_whitespace), "bad attribute name {name}");
        assert!(!names.contains(&name), "attribute {name} twice");
        names.push(name);
        let (value, after) = after.split_once('"').expect("an unterminated attribute value");
        assert_text(value);
        text = after;
    }
}

fn assert_text(text: &str) {
    assert!(!text.contains('<'), "raw < in {text:?}");
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| entity.starts_with(e)),
            "bare & in {text:?}"
        );
    }
    for c in text.chars() {
        assert!(
            !(c.is_control() && c != '\n') && c != '\u{FFFE}' && c != '\u{FFFF}',
            "character {:?} in {text:?}",
            c
        );
    }
}

/// The drawing's width and height, from the `viewBox`.
fn view_box(svg: &str) -> (f64, f64) {
    let root = tags(svg)[0];
    let values: Vec<f64> = attribute(root, "viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!((values[0], values[1]), (0.0, 0.0));
    assert_eq!(
        attribute(root, "width").unwrap().parse::<f64>().unwrap(),
        values[2]
    );
    assert_eq!(
        attribute(root, "height").unwrap().parse::<f64>().unwrap(),
        values[3]
    );
    (values[2], values[3])
}

/// The geometry every drawing must have: each component once, boxes apart and inside the drawing, each
/// box inside its boundary's frame and no other, frames apart.
fn assert_geometry(model: &SystemModel, svg: &str) {
    assert_well_formed(svg);
    let boxes = component_boxes(svg);
    let mut seen: Vec<usize> = boxes.iter().map(|(i, _, _)| *i).collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..model.components.len()).collect::<Vec<_>>());
    let (width, height) = view_box(svg);
    let frames = frames(svg);
    for (i, a, boundary) in &boxes {
        assert!(
            a.x >= 0.0 && a.y >= 0.0 && a.x + a.w <= width && a.y + a.h <= height,
            "{i} outside"
        );
        let expected = model.components[*i]
            .boundary
            .as_ref()
            .and_then(|id| model.boundaries.iter().position(|b| &b.id == id));
        assert_eq!(*boundary, expected, "component {i}");
        for (j, b, _) in &boxes {
            assert!(
                i == j || !a.overlaps(b),
                "components {i} and {j} overlap: {a:?} {b:?}"
            );
        }
        for (index, frame) in &frames {
            if Some(*index) == *boundary {
                assert!(frame.contains(a), "component {i} outside its frame {index}");
            } else {
                assert!(!frame.overlaps(a), "component {i} inside frame {index}");
            }
        }
    }
    for (i, a) in &frames {
        for (j, b) in &frames {
            assert!(i == j || !a.overlaps(b), "frames {i} and {j} overlap");
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Tests.

#[test]
fn small_model_snapshot() {
    let model = small();
    let svg = svg(&model);
    assert_geometry(&model, &svg);
    insta::assert_snapshot!("small_model", svg);
}

#[test]
fn fifty_components_are_laid_out_without_overlaps() {
    let model = generated(50, 80, 6);
    assert_eq!(
        (model.components.len(), model.flows.len(), model.boundaries.len()),
        (50, 80, 6)
    );
    let svg = svg(&model);
    assert_geometry(&model, &svg);
    // One path and one label per flow.
    assert_eq!(svg.matches("<g class=\"flow\"").count(), 80);
    assert_eq!(svg.matches("<g class=\"flow-label\"").count(), 80);
    // Deterministic: the same model, built again, gives the same bytes.
    assert_eq!(svg, vigil_report::svg::svg(&generated(50, 80, 6)));
}

#[test]
fn the_drawing_grows_with_the_model() {
    let (small_w, small_h) = view_box(&svg(&generated(12, 16, 3)));
    let (big_w, big_h) = view_box(&svg(&generated(120, 200, 8)));
    assert!(big_w > small_w && big_h > small_h);
    assert!(big_w * big_h > 5.0 * small_w * small_h);
}

#[test]
fn long_names_are_shortened_in_the_box_and_whole_in_the_tooltip() {
    let long = "aws_lambda_function.an_extremely_long_function_name_that_cannot_fit_in_any_box";
    let model = model(
        vec![
            component("a", long, "process", None),
            component("b", "b", "datastore", None),
        ],
        vec![flow("a", "b", &"a very long flow label ".repeat(5))],
        vec![],
    );
    let svg = svg(&model);
    assert_geometry(&model, &svg);
    assert!(svg.contains(&format!("<title>{long} (process)")));
    let shown = svg
        .split("text-anchor=\"middle\" fill=\"#343a40\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap();
    assert!(
        shown.ends_with('…') && long.starts_with(shown.trim_end_matches('…')),
        "{shown}"
    );
    assert!(svg.contains("a very long flow label a very long flow label a very long"));
    assert_eq!(
        svg.matches("…</text>").count(),
        2,
        "the name and the flow label shortened"
    );
}

#[test]
fn hostile_names_are_escaped() {
    let script = "<script>alert(\"x\")</script> & 'quoted'";
    let model = model(
        vec![
            component("a", script, "process", Some("b&<")),
            component(
                "b\"><svg",
                "\u{1b}[31mred\u{7}\u{0} name\r\nsecond line",
                "datastore",
                None,
            ),
            component("c", "\u{202E}gnp.exe \u{FFFF}", "external-entity", Some("b&<")),
        ],
        vec![
            flow("a", "b\"><svg", "]]> <!-- --> &amp; \u{8}"),
            flow("c", "a", "'\"<>&"),
        ],
        vec![boundary("b&<", "</text><script>", "network", &["a", "c"])],
    );
    let svg = svg(&model);
    assert_geometry(&model, &svg);
    for raw in ["<script", "<!--", "]]>", "\"><svg", "\u{202E}", "\u{1b}", "\r"] {
        assert!(!svg.contains(raw), "{raw:?} unescaped");
    }
    assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quoted&apos;"));
    assert!(
        svg.contains("&amp;amp;"),
        "an entity in a name is text, escaped again"
    );
    assert!(
        svg.contains("[31mred name second line"),
        "controls become spaces, runs collapse"
    );
}

#[test]
fn an_empty_model_is_a_small_valid_drawing() {
    let svg = svg(&SystemModel::default());
    assert_well_formed(&svg);
    assert!(svg.contains("No components"));
}

/// A large model keeps every layout guarantee (speed is for benchmarks, not tests: about 0.3 s for this
/// model in a debug build when it was written).
#[test]
fn five_hundred_components_keep_their_geometry() {
    let model = generated(500, 800, 30);
    assert_geometry(&model, &svg(&model));
}
