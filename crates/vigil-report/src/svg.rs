//! The system model as a self-contained SVG, laid out in-process: no Graphviz, no fonts, stylesheets or
//! scripts to fetch, so it can be written to a file or inlined in an HTML report as is.
//!
//! The layout is layered, left to right, on two levels. Each trust boundary is a cluster (a component
//! without one is a cluster of its own, drawn without a frame). Clusters are layered over the flows
//! between them and stacked in columns; inside a cluster, components are layered over the flows between
//! them the same way. Keeping a cluster's components together in one column block is what guarantees a
//! frame holds exactly its components and never overlaps another. Orders within columns then come from a
//! few barycenter sweeps, and vertical positions from a least-squares packing that pulls each box
//! towards its neighbours without letting boxes overlap. A flow crossing columns it does not stop in
//! takes a thin slot in each, so it runs between boxes, never behind one.
//!
//! Every step is linear or `n log n` in the vertices (components, plus one per column a flow crosses),
//! except the cycle-breaking order, which scans for its next node when no source or sink is left:
//! quadratic on dense tangles only. 500 components take a fraction of a second unoptimised.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write;

use vigil_core::{BoundaryKind, ComponentKind, Flow, SystemModel};

/// Margin around the drawing.
const MARGIN: f64 = 24.0;
const NODE_H: f64 = 46.0;
const NODE_MIN_W: f64 = 120.0;
const NODE_MAX_W: f64 = 210.0;
/// Horizontal room kept between a component's text and its outline.
const NODE_PAD: f64 = 10.0;
/// Vertical space between two components of a column.
const NODE_GAP: f64 = 22.0;
/// A column of one cluster holds at most this many components before it wraps into another.
const MAX_ROWS: usize = 6;
/// Between the layers inside a cluster, wide enough for a flow label.
const LAYER_GAP: f64 = 150.0;
/// Between the columns a crowded layer wraps into: flows only cross it, none starts or ends there, so it
/// needs no room for labels.
const WRAP_GAP: f64 = 60.0;
/// Between layers of clusters, wide enough for a flow label.
const CLUSTER_LAYER_GAP: f64 = 160.0;
const CLUSTER_WRAP_GAP: f64 = 60.0;
/// Vertical space between two clusters of a column.
const CLUSTER_GAP: f64 = 36.0;
const FRAME_PAD: f64 = 16.0;
/// Room above a frame's components for its name.
const FRAME_TOP: f64 = 30.0;
const FRAME_MIN_W: f64 = 160.0;
const LABEL_MAX_W: f64 = 140.0;
const LABEL_H: f64 = 14.0;
const NAME_FONT: f64 = 12.0;
const CAPTION_FONT: f64 = 9.0;
const LABEL_FONT: f64 = 10.0;
const FRAME_FONT: f64 = 11.0;
/// Barycenter sweeps over the columns; crossings stop improving after a handful.
const SWEEPS: usize = 6;
const LEGEND_H: f64 = 40.0;
const FONT_FAMILY: &str = "Helvetica, Arial, 'Liberation Sans', sans-serif";

/// The model as an SVG document. The same model always gives the same bytes.
pub fn svg(model: &SystemModel) -> String {
    if model.components.is_empty() {
        return empty();
    }
    let graph = Graph::new(model);
    let mut drawing = Drawing::new(&graph);
    drawing.fit();
    render(&graph, &drawing)
}

// ---------------------------------------------------------------------------------------------------
// The graph: components resolved to clusters, flows resolved to component indices.

struct Graph<'a> {
    model: &'a SystemModel,
    clusters: Vec<Cluster>,
    /// Each component's cluster, an index into `clusters`.
    cluster_of: Vec<usize>,
    /// Flows whose two ends exist in the model.
    edges: Vec<Edge>,
}

struct Cluster {
    /// The boundary it draws, an index into `model.boundaries`; `None` for a component outside any.
    boundary: Option<usize>,
    members: Vec<usize>,
}

struct Edge {
    flow: usize,
    source: usize,
    target: usize,
}

impl<'a> Graph<'a> {
    fn new(model: &'a SystemModel) -> Self {
        let clusters = clusters(model);
        let mut cluster_of = vec![0; model.components.len()];
        for (index, cluster) in clusters.iter().enumerate() {
            for &member in &cluster.members {
                cluster_of[member] = index;
            }
        }
        Self {
            model,
            clusters,
            cluster_of,
            edges: edges(model),
        }
    }
}

/// One cluster per boundary holding components, in model order, then one per component outside any.
fn clusters(model: &SystemModel) -> Vec<Cluster> {
    let mut by_boundary: Vec<Vec<usize>> = vec![Vec::new(); model.boundaries.len()];
    let mut clusters = Vec::new();
    let mut outside = Vec::new();
    for (index, boundary) in boundary_of(model).into_iter().enumerate() {
        match boundary {
            Some(boundary) => by_boundary[boundary].push(index),
            None => outside.push(index),
        }
    }
    for (boundary, members) in by_boundary.into_iter().enumerate() {
        if !members.is_empty() {
            clusters.push(Cluster {
                boundary: Some(boundary),
                members,
            });
        }
    }
    clusters.extend(outside.into_iter().map(|member| Cluster {
        boundary: None,
        members: vec![member],
    }));
    clusters
}

/// Each component's boundary: the one it names, else the first that lists it. A component in exactly one
/// frame is what keeps frames from overlapping (boundaries are not nested in the model).
fn boundary_of(model: &SystemModel) -> Vec<Option<usize>> {
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut listed: HashMap<&str, usize> = HashMap::new();
    for (index, boundary) in model.boundaries.iter().enumerate() {
        by_id.entry(boundary.id.as_str()).or_insert(index);
        for component in &boundary.components {
            listed.entry(component.as_str()).or_insert(index);
        }
    }
    model
        .components
        .iter()
        .map(|component| {
            component
                .boundary
                .as_deref()
                .and_then(|id| by_id.get(id))
                .or_else(|| listed.get(component.id.as_str()))
                .copied()
        })
        .collect()
}

/// The flows as edges between component indices; a flow naming a component that does not exist is left
/// out (the other writers do the same).
fn edges(model: &SystemModel) -> Vec<Edge> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, component) in model.components.iter().enumerate() {
        index.entry(component.id.as_str()).or_insert(i);
    }
    model
        .flows
        .iter()
        .enumerate()
        .filter_map(|(flow, f)| {
            Some(Edge {
                flow,
                source: *index.get(f.source.as_str())?,
                target: *index.get(f.target.as_str())?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------
// Layering.

/// A layer per node such that most edges go from a lower layer to a higher one: cycles are broken by
/// turning a few edges (see [`acyclic`]), then each node goes one layer past its furthest predecessor
/// (longest path). A node with successors but no predecessor moves right next to its nearest successor,
/// so a lone caller is not drawn far from what it calls. Empty layers are squeezed out.
fn layering(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut successors = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for (u, v) in acyclic(n, edges) {
        successors[u].push(v);
        indegree[v] += 1;
    }
    let is_source: Vec<bool> = indegree.iter().map(|&d| d == 0).collect();
    let mut layer = vec![0usize; n];
    let mut queue: VecDeque<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    let mut topological = Vec::with_capacity(n);
    while let Some(u) = queue.pop_front() {
        topological.push(u);
        for &v in &successors[u] {
            layer[v] = layer[v].max(layer[u] + 1);
            indegree[v] -= 1;
            if indegree[v] == 0 {
                queue.push_back(v);
            }
        }
    }
    for &u in topological.iter().filter(|&&u| is_source[u]) {
        if let Some(nearest) = successors[u].iter().map(|&v| layer[v]).min() {
            layer[u] = nearest - 1;
        }
    }
    compact(&layer)
}

/// The edges turned to follow an order of the nodes (self-loops dropped), which leaves no cycle. The
/// order is Eades, Lin and Smyth's greedy one: sinks go last, sources first, otherwise the node with the
/// most more edges out than in goes first. Few edges end up turned, and, unlike depth-first back edges,
/// the remaining paths stay short, which keeps the drawing from becoming one long chain of layers.
fn acyclic(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let position = greedy_order(n, edges);
    edges
        .iter()
        .filter(|(u, v)| u != v)
        .map(|&(u, v)| if position[u] < position[v] { (u, v) } else { (v, u) })
        .collect()
}

/// Each node's position in the greedy order. Ties go to the lower index, so it is deterministic; a
/// linear scan picks each node that is neither source nor sink, quadratic only on dense tangles.
fn greedy_order(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut successors = vec![Vec::new(); n];
    let mut predecessors = vec![Vec::new(); n];
    let (mut outdegree, mut indegree) = (vec![0i64; n], vec![0i64; n]);
    for &(u, v) in edges.iter().filter(|(u, v)| u != v) {
        successors[u].push(v);
        predecessors[v].push(u);
        outdegree[u] += 1;
        indegree[v] += 1;
    }
    let mut sinks: VecDeque<usize> = (0..n).filter(|&v| outdegree[v] == 0).collect();
    let mut sources: VecDeque<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    let mut removed = vec![false; n];
    let (mut front, mut back) = (Vec::with_capacity(n), Vec::new());
    loop {
        let (x, to_front) = if let Some(x) = sinks.pop_front() {
            (x, false)
        } else if let Some(x) = sources.pop_front() {
            (x, true)
        } else {
            let best = (0..n)
                .filter(|&v| !removed[v])
                .max_by_key(|&v| (outdegree[v] - indegree[v], std::cmp::Reverse(v)));
            match best {
                Some(x) => (x, true),
                None => break,
            }
        };
        if removed[x] {
            continue;
        }
        removed[x] = true;
        if to_front {
            front.push(x);
        } else {
            back.push(x);
        }
        for &s in &successors[x] {
            indegree[s] -= 1;
            if indegree[s] == 0 {
                sources.push_back(s);
            }
        }
        for &p in &predecessors[x] {
            outdegree[p] -= 1;
            if outdegree[p] == 0 {
                sinks.push_back(p);
            }
        }
    }
    let mut position = vec![0; n];
    for (i, &x) in front.iter().chain(back.iter().rev()).enumerate() {
        position[x] = i;
    }
    position
}

/// Layer numbers renumbered 0, 1, 2... keeping their order, without the unused ones.
fn compact(layer: &[usize]) -> Vec<usize> {
    let top = layer.iter().copied().max().unwrap_or(0);
    let mut used = vec![false; top + 1];
    for &l in layer {
        used[l] = true;
    }
    let mut rank = vec![0; top + 1];
    let mut next = 0;
    for (l, used) in used.into_iter().enumerate() {
        rank[l] = next;
        next += usize::from(used);
    }
    layer.iter().map(|&l| rank[l]).collect()
}

/// The items of each layer (in index order), split into columns no taller than `limit`: one crowded
/// layer then makes a few side-by-side columns instead of one very tall one. Returns the columns left
/// to right, each with whether it starts a new layer (the gap before it holds flow labels) or continues
/// the previous one.
fn columns(layer: &[usize], size: impl Fn(usize) -> f64, gap: f64, limit: f64) -> Vec<(Vec<usize>, bool)> {
    let count = layer.iter().map(|&l| l + 1).max().unwrap_or(0);
    let mut layers = vec![Vec::new(); count];
    for (item, &l) in layer.iter().enumerate() {
        layers[l].push(item);
    }
    let mut out = Vec::new();
    for items in layers {
        for (i, column) in split(&items, &size, gap, limit).into_iter().enumerate() {
            out.push((column, i == 0));
        }
    }
    out
}

/// Splits a stack of items into columns of similar height, each about `limit` high at most.
fn split(items: &[usize], size: impl Fn(usize) -> f64, gap: f64, limit: f64) -> Vec<Vec<usize>> {
    let total = stack_height(items.iter().map(|&i| size(i)), gap);
    if items.len() <= 1 || total <= limit {
        return vec![items.to_vec()];
    }
    let target = total / (total / limit).ceil();
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut height = 0.0;
    for &item in items {
        let h = size(item);
        // An item goes to the next column once its middle would pass the target height.
        if !current.is_empty() && height + gap + h / 2.0 > target + 0.5 {
            out.push(std::mem::take(&mut current));
            height = 0.0;
        }
        height += if current.is_empty() { h } else { gap + h };
        current.push(item);
    }
    out.push(current);
    out
}

fn stack_height(sizes: impl Iterator<Item = f64>, gap: f64) -> f64 {
    let (sum, count) = sizes.fold((0.0, 0usize), |(s, c), h| (s + h, c + 1));
    sum + gap * count.saturating_sub(1) as f64
}

// ---------------------------------------------------------------------------------------------------
// Vertical packing.

/// Tops for a stack of items, in this order, each at least `gaps[i]` below the one before (`gaps[0]` is
/// not used), as close as possible in least squares to the `desired` tops, optionally kept within
/// `[0, bound]`. Substituting `z = top - offset` (offset: the room the items above need) turns it into
/// isotonic regression, which pool-adjacent-violators solves in linear time; clamping that solution
/// solves the bounded problem.
fn pack(desired: &[f64], heights: &[f64], gaps: &[f64], bound: Option<f64>) -> Vec<f64> {
    let mut offsets = Vec::with_capacity(heights.len());
    let mut offset = 0.0;
    for i in 0..heights.len() {
        if i > 0 {
            offset += heights[i - 1] + gaps[i];
        }
        offsets.push(offset);
    }
    // Blocks of pooled items: (sum of targets, item count).
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (d, o) in desired.iter().zip(&offsets) {
        blocks.push((d - o, 1));
        while blocks.len() >= 2 {
            let (s2, c2) = blocks[blocks.len() - 1];
            let (s1, c1) = blocks[blocks.len() - 2];
            if s1 / c1 as f64 <= s2 / c2 as f64 {
                break;
            }
            blocks.pop();
            if let Some(last) = blocks.last_mut() {
                *last = (s1 + s2, c1 + c2);
            }
        }
    }
    let (low, high) = match (bound, heights.last(), offsets.last()) {
        (Some(bound), Some(h), Some(o)) => (0.0, (bound - h - o).max(0.0)),
        _ => (f64::NEG_INFINITY, f64::INFINITY),
    };
    let mut tops = Vec::with_capacity(heights.len());
    for (sum, count) in blocks {
        let z = (sum / count as f64).clamp(low, high);
        tops.extend(std::iter::repeat_n(z, count));
    }
    tops.iter_mut().zip(&offsets).for_each(|(t, o)| *t += o);
    tops
}

/// The height of a flow's slot in a column it passes through.
const PASS_H: f64 = 4.0;
/// Between two flows passing side by side.
const PASS_GAP: f64 = 6.0;
/// Between a passing flow and a box or frame.
const PASS_CLEARANCE: f64 = 12.0;

/// Space between two neighbours in a column: flows passing side by side run close together, boxes
/// keep `box_gap` apart.
fn gap(upper_is_pass: bool, lower_is_pass: bool, box_gap: f64) -> f64 {
    match (upper_is_pass, lower_is_pass) {
        (true, true) => PASS_GAP,
        (false, false) => box_gap,
        _ => PASS_CLEARANCE,
    }
}

// ---------------------------------------------------------------------------------------------------
// The drawing: boxes, frames and the slots of passing flows placed.

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn right(&self) -> f64 {
        self.x + self.w
    }

    fn bottom(&self) -> f64 {
        self.y + self.h
    }

    fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }

    fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }

    fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }

    fn inflate(&self, by: f64) -> Rect {
        Rect {
            x: self.x - by,
            y: self.y - by,
            w: self.w + 2.0 * by,
            h: self.h + 2.0 * by,
        }
    }
}

/// A cluster's inner arrangement: columns of vertices, positioned relative to its content area.
struct Block {
    framed: bool,
    /// Left to right; each holds components and the slots of flows passing through.
    columns: Vec<Vec<usize>>,
    column_x: Vec<f64>,
    column_w: Vec<f64>,
    w: f64,
    h: f64,
    /// Where the content area starts inside the block.
    content_x: f64,
    content_y: f64,
    content_h: f64,
}

/// What a column of clusters holds.
#[derive(Debug, Clone, Copy)]
enum Item {
    Cluster(usize),
    /// A flow passing between clusters (a vertex).
    Pass(usize),
}

/// Where everything goes. The vertices are the components (`0..n`) and then one slot per column a
/// flow passes through without stopping (the dummy nodes of layered drawing): taking room in the column
/// like a thin box is what makes a long flow run between boxes instead of behind them.
///
/// A vertex's `y` is its top relative to its cluster's content area, or absolute for a flow passing
/// between clusters; moving a cluster thus moves everything inside it.
struct Drawing {
    n: usize,
    widths: Vec<f64>,
    blocks: Vec<Block>,
    /// Columns of clusters, left to right, with their left edges and widths.
    stacks: Vec<Vec<Item>>,
    stack_x: Vec<f64>,
    stack_w: Vec<f64>,
    /// Each cluster's column of clusters.
    stack_of: Vec<usize>,
    cluster_x: Vec<f64>,
    cluster_y: Vec<f64>,
    /// Per vertex: the cluster it is drawn in (`None` for a flow passing between clusters), its column
    /// there (a block column, or a stack), and its top.
    home: Vec<Option<usize>>,
    column: Vec<usize>,
    y: Vec<f64>,
    /// Per component: its left edge in its cluster's content area.
    local_x: Vec<f64>,
    /// Per edge: the vertices it runs through, source first, and whether it runs rightwards.
    chains: Vec<Vec<usize>>,
    forward: Vec<bool>,
    /// Per vertex: the vertices next to it along the flows.
    neighbours: Vec<Vec<usize>>,
    /// The direction of the current sweep.
    rightwards: bool,
    /// Filled by `fit`.
    boxes: Vec<Rect>,
    frames: Vec<Option<Rect>>,
}

impl Drawing {
    fn new(graph: &Graph) -> Self {
        let n = graph.model.components.len();
        let widths: Vec<f64> = graph.model.components.iter().map(node_width).collect();
        let mut column = vec![0; n];
        let mut local_x = vec![0.0; n];
        let blocks = inner_edges(graph)
            .iter()
            .zip(&graph.clusters)
            .map(|(edges, cluster)| {
                let min_w = frame_min_width(graph, cluster);
                arrange(cluster, edges, &widths, min_w, &mut column, &mut local_x)
            })
            .collect();
        let cluster_edges: Vec<(usize, usize)> = graph
            .edges
            .iter()
            .map(|e| (graph.cluster_of[e.source], graph.cluster_of[e.target]))
            .filter(|(s, t)| s != t)
            .collect();
        let cluster_layer = layering(graph.clusters.len(), &cluster_edges);
        let mut drawing = Self {
            n,
            widths,
            blocks,
            stacks: Vec::new(),
            stack_x: Vec::new(),
            stack_w: Vec::new(),
            stack_of: vec![0; graph.clusters.len()],
            cluster_x: vec![0.0; graph.clusters.len()],
            cluster_y: vec![0.0; graph.clusters.len()],
            home: graph.cluster_of.iter().map(|&c| Some(c)).collect(),
            column,
            y: vec![0.0; n],
            local_x,
            chains: Vec::new(),
            forward: Vec::new(),
            neighbours: Vec::new(),
            rightwards: true,
            boxes: Vec::new(),
            frames: Vec::new(),
        };
        let (heads, tails) = drawing.block_passes(graph, &cluster_layer);
        drawing.blocks.iter_mut().for_each(|b| b.size(n));
        drawing.stack(&cluster_layer);
        drawing.chain(graph, heads, tails);
        drawing.initial_positions();
        for sweep in 0..SWEEPS {
            drawing.sweep(sweep % 2 == 0);
        }
        drawing
    }

    fn is_pass(&self, v: usize) -> bool {
        v >= self.n
    }

    fn height(&self, v: usize) -> f64 {
        if self.is_pass(v) { PASS_H } else { NODE_H }
    }

    /// A new vertex for a flow passing through a column of a cluster, or of clusters when `home` is
    /// `None`.
    fn add_pass(&mut self, home: Option<usize>, column: usize) -> usize {
        self.home.push(home);
        self.column.push(column);
        self.y.push(0.0);
        match home {
            Some(cluster) => self.blocks[cluster].columns[column].push(self.y.len() - 1),
            None => self.stacks[column].push(Item::Pass(self.y.len() - 1)),
        }
        self.y.len() - 1
    }

    /// Which way each flow runs, and the slots it takes in the columns of its own clusters: between its
    /// ends inside one cluster; from its source to its cluster's side and from the target's cluster's
    /// side to its target otherwise.
    #[allow(clippy::type_complexity)] // the two halves of each chain, built before the middle is known
    fn block_passes(&mut self, graph: &Graph, cluster_layer: &[usize]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let mut heads = Vec::with_capacity(graph.edges.len());
        let mut tails = Vec::with_capacity(graph.edges.len());
        for edge in &graph.edges {
            let (s, t) = (edge.source, edge.target);
            let (cs, ct) = (graph.cluster_of[s], graph.cluster_of[t]);
            let (a, b) = (self.column[s], self.column[t]);
            let (head, tail, forward) = if s == t {
                (Vec::new(), Vec::new(), true)
            } else if cs == ct {
                (between(a, b), Vec::new(), b > a)
            } else {
                let forward = cluster_layer[ct] > cluster_layer[cs];
                let (count_s, count_t) = (self.blocks[cs].columns.len(), self.blocks[ct].columns.len());
                if forward {
                    (between(a, count_s), (0..b).collect(), true)
                } else {
                    ((0..a).rev().collect(), between(count_t, b), false)
                }
            };
            let head = head.into_iter().map(|c| self.add_pass(Some(cs), c)).collect();
            let tail = tail.into_iter().map(|c| self.add_pass(Some(ct), c)).collect();
            heads.push(head);
            tails.push(tail);
            self.forward.push(forward);
        }
        (heads, tails)
    }

    /// The clusters layered and split into columns, left to right, with their x positions. The height
    /// a column may reach grows with the square root of the drawing's area, which keeps big models
    /// roughly as wide as they are tall instead of one long strip.
    fn stack(&mut self, cluster_layer: &[usize]) {
        let blocks = &self.blocks;
        let area: f64 = blocks
            .iter()
            .map(|b| (b.w + CLUSTER_LAYER_GAP) * (b.h + CLUSTER_GAP))
            .sum();
        let tallest = blocks.iter().map(|b| b.h).fold(0.0, f64::max);
        let limit = tallest.max(area.sqrt() * 0.8);
        let mut x = MARGIN;
        for (i, (stack, new_layer)) in columns(cluster_layer, |c| blocks[c].h, CLUSTER_GAP, limit)
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                // The wide gap holds flow labels; flows only cross between the columns of one layer.
                x += if new_layer {
                    CLUSTER_LAYER_GAP
                } else {
                    CLUSTER_WRAP_GAP
                };
            }
            let width = stack.iter().map(|&c| blocks[c].w).fold(0.0, f64::max);
            for &c in &stack {
                self.cluster_x[c] = x + (width - blocks[c].w) / 2.0;
                self.stack_of[c] = self.stacks.len();
            }
            self.stacks.push(stack.into_iter().map(Item::Cluster).collect());
            self.stack_x.push(x);
            self.stack_w.push(width);
            x += width;
        }
    }

    /// Each flow's whole chain of vertices, with slots in the columns of clusters it crosses, and the
    /// neighbours along them.
    fn chain(&mut self, graph: &Graph, heads: Vec<Vec<usize>>, tails: Vec<Vec<usize>>) {
        let stack_of = self.stack_of.clone();
        for ((edge, head), tail) in graph.edges.iter().zip(heads).zip(tails) {
            let (cs, ct) = (graph.cluster_of[edge.source], graph.cluster_of[edge.target]);
            let mut chain = vec![edge.source];
            chain.extend(head);
            if cs != ct {
                for s in between(stack_of[cs], stack_of[ct]) {
                    chain.push(self.add_pass(None, s));
                }
            }
            chain.extend(tail);
            chain.push(edge.target);
            self.chains.push(chain);
        }
        self.neighbours = vec![Vec::new(); self.y.len()];
        for chain in &self.chains {
            for pair in chain.windows(2).filter(|p| p[0] != p[1]) {
                self.neighbours[pair[0]].push(pair[1]);
                self.neighbours[pair[1]].push(pair[0]);
            }
        }
    }

    /// Each cluster's columns centred in it, in the order built; each column of clusters stacked from 0.
    fn initial_positions(&mut self) {
        for c in 0..self.blocks.len() {
            for k in 0..self.blocks[c].columns.len() {
                let items = self.blocks[c].columns[k].clone();
                let gaps = self.gaps(&items, NODE_GAP);
                let used = items.iter().map(|&v| self.height(v)).sum::<f64>() + gaps.iter().sum::<f64>();
                let mut y = (self.blocks[c].content_h - used) / 2.0;
                for (&v, gap) in items.iter().zip(gaps) {
                    y += gap;
                    self.y[v] = y;
                    y += self.height(v);
                }
            }
        }
        for s in 0..self.stacks.len() {
            let desired = vec![0.0; self.stacks[s].len()];
            self.place_stack(s, &desired);
        }
    }

    /// The gaps above each of a column's vertices, in this order.
    fn gaps(&self, items: &[usize], box_gap: f64) -> Vec<f64> {
        let mut gaps = vec![0.0; items.len()];
        for i in 1..items.len() {
            gaps[i] = gap(self.is_pass(items[i - 1]), self.is_pass(items[i]), box_gap);
        }
        gaps
    }

    /// One barycenter pass over the columns of clusters, left to right or back: inside each cluster its
    /// columns are reordered towards their neighbours, then the clusters and passing flows of the column.
    fn sweep(&mut self, rightwards: bool) {
        self.rightwards = rightwards;
        let stacks: Vec<usize> = if rightwards {
            (0..self.stacks.len()).collect()
        } else {
            (0..self.stacks.len()).rev().collect()
        };
        for s in stacks {
            let clusters: Vec<usize> = self.stacks[s]
                .iter()
                .filter_map(|item| match item {
                    Item::Cluster(c) => Some(*c),
                    Item::Pass(_) => None,
                })
                .collect();
            for c in clusters {
                let count = self.blocks[c].columns.len();
                for k in 0..count {
                    self.order_column(c, if rightwards { k } else { count - 1 - k });
                }
            }
            self.order_stack(s);
        }
    }

    fn top(&self, v: usize) -> f64 {
        match self.home[v] {
            Some(c) => self.cluster_y[c] + self.blocks[c].content_y + self.y[v],
            None => self.y[v],
        }
    }

    fn centre(&self, v: usize) -> f64 {
        self.top(v) + self.height(v) / 2.0
    }

    /// Where a vertex's neighbours want its centre: the mean of those on the side the sweep comes
    /// from (all of them when none is), or where it is when it has none.
    fn wanted_centre(&self, v: usize) -> f64 {
        let x = self.x_of(v);
        let behind = |u: &&usize| {
            if self.rightwards {
                self.x_of(**u) < x
            } else {
                self.x_of(**u) > x
            }
        };
        let (mut sum, mut count) = (0.0, 0usize);
        for &u in self.neighbours[v].iter().filter(behind) {
            sum += self.centre(u);
            count += 1;
        }
        if count == 0 {
            for &u in &self.neighbours[v] {
                sum += self.centre(u);
                count += 1;
            }
        }
        if count == 0 {
            self.centre(v)
        } else {
            sum / count as f64
        }
    }

    fn x_of(&self, v: usize) -> f64 {
        let k = self.column[v];
        match self.home[v] {
            Some(c) => {
                let block = &self.blocks[c];
                self.cluster_x[c] + block.content_x + block.column_x[k] + block.column_w[k] / 2.0
            }
            None => self.stack_x[k] + self.stack_w[k] / 2.0,
        }
    }

    /// Reorders one column of a cluster by barycenter, then packs it towards the barycenters.
    fn order_column(&mut self, cluster: usize, column: usize) {
        let origin = self.cluster_y[cluster] + self.blocks[cluster].content_y;
        let items = &self.blocks[cluster].columns[column];
        let wanted: Vec<f64> = items.iter().map(|&v| self.wanted_centre(v) - origin).collect();
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by(|&a, &b| {
            wanted[a]
                .total_cmp(&wanted[b])
                .then(self.y[items[a]].total_cmp(&self.y[items[b]]))
                .then(items[a].cmp(&items[b]))
        });
        let sorted: Vec<usize> = order.iter().map(|&i| items[i]).collect();
        let desired: Vec<f64> = order
            .iter()
            .map(|&i| wanted[i] - self.height(items[i]) / 2.0)
            .collect();
        let heights: Vec<f64> = sorted.iter().map(|&v| self.height(v)).collect();
        let gaps = self.gaps(&sorted, NODE_GAP);
        let tops = pack(&desired, &heights, &gaps, Some(self.blocks[cluster].content_h));
        for (&v, top) in sorted.iter().zip(tops) {
            self.y[v] = top;
        }
        self.blocks[cluster].columns[column] = sorted;
    }

    /// Reorders one column of clusters and passing flows by barycenter, then packs it.
    fn order_stack(&mut self, stack: usize) {
        let items = &self.stacks[stack];
        let wanted: Vec<f64> = items
            .iter()
            .map(|item| match *item {
                Item::Cluster(c) => self.wanted_cluster_top(c),
                Item::Pass(v) => self.wanted_centre(v) - PASS_H / 2.0,
            })
            .collect();
        let centre = |i: usize| wanted[i] + self.item_height(&items[i]) / 2.0;
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by(|&a, &b| centre(a).total_cmp(&centre(b)).then(a.cmp(&b)));
        let desired: Vec<f64> = order.iter().map(|&i| wanted[i]).collect();
        let sorted: Vec<Item> = order.iter().map(|&i| items[i]).collect();
        self.stacks[stack] = sorted;
        self.place_stack(stack, &desired);
    }

    fn item_height(&self, item: &Item) -> f64 {
        match *item {
            Item::Cluster(c) => self.blocks[c].h,
            Item::Pass(_) => PASS_H,
        }
    }

    /// Where the outside neighbours of a cluster's vertices want its top.
    fn wanted_cluster_top(&self, cluster: usize) -> f64 {
        let (mut sum, mut count) = (0.0, 0usize);
        let block = &self.blocks[cluster];
        for &v in block.columns.iter().flatten() {
            let offset = block.content_y + self.y[v] + self.height(v) / 2.0;
            for &u in &self.neighbours[v] {
                if self.home[u] != Some(cluster) {
                    sum += self.centre(u) - offset;
                    count += 1;
                }
            }
        }
        if count == 0 {
            self.cluster_y[cluster]
        } else {
            sum / count as f64
        }
    }

    fn place_stack(&mut self, stack: usize, desired: &[f64]) {
        let items = &self.stacks[stack];
        let heights: Vec<f64> = items.iter().map(|item| self.item_height(item)).collect();
        let mut gaps = vec![0.0; items.len()];
        for i in 1..items.len() {
            let is_pass = |item: &Item| matches!(item, Item::Pass(_));
            gaps[i] = gap(is_pass(&items[i - 1]), is_pass(&items[i]), CLUSTER_GAP);
        }
        let tops = pack(desired, &heights, &gaps, None);
        for (item, top) in items.clone().iter().zip(tops) {
            match *item {
                Item::Cluster(c) => self.cluster_y[c] = top,
                Item::Pass(v) => self.y[v] = top,
            }
        }
    }

    /// Absolute boxes and frames, the whole drawing moved to start at the margin.
    fn fit(&mut self) {
        let passes = (self.n..self.y.len()).filter(|&v| self.home[v].is_none());
        let highest = self
            .cluster_y
            .iter()
            .copied()
            .chain(passes.map(|v| self.y[v]))
            .fold(f64::INFINITY, f64::min);
        let shift = MARGIN - if highest.is_finite() { highest } else { 0.0 };
        self.cluster_y.iter_mut().for_each(|y| *y += shift);
        for v in self.n..self.y.len() {
            if self.home[v].is_none() {
                self.y[v] += shift;
            }
        }
        self.frames = (0..self.blocks.len())
            .map(|c| {
                let block = &self.blocks[c];
                block.framed.then(|| Rect {
                    x: self.cluster_x[c],
                    y: self.cluster_y[c],
                    w: block.w,
                    h: block.h,
                })
            })
            .collect();
        self.boxes = (0..self.n)
            .map(|v| Rect {
                x: self.left(v),
                y: self.top(v),
                w: self.widths[v],
                h: NODE_H,
            })
            .collect();
    }

    /// A component's left edge.
    fn left(&self, v: usize) -> f64 {
        let c = self.home[v].unwrap_or_default();
        self.cluster_x[c] + self.blocks[c].content_x + self.local_x[v]
    }

    /// The left and right ends of a vertex's column: nothing else in it is at the vertex's height. When
    /// the flow goes on to `next` outside the vertex's cluster, the whole column of clusters: the other
    /// clusters there are above or below.
    fn free_span(&self, v: usize, next: usize) -> (f64, f64) {
        let k = self.column[v];
        match self.home[v] {
            Some(c) if self.home[next] == Some(c) => {
                let block = &self.blocks[c];
                let left = self.cluster_x[c] + block.content_x + block.column_x[k];
                (left, left + block.column_w[k])
            }
            Some(c) => {
                let s = self.stack_of[c];
                (self.stack_x[s], self.stack_x[s] + self.stack_w[s])
            }
            None => (self.stack_x[k], self.stack_x[k] + self.stack_w[k]),
        }
    }
}

/// The indices strictly between `a` and `b`, in order from `a` towards `b`.
fn between(a: usize, b: usize) -> Vec<usize> {
    if a < b {
        (a + 1..b).collect()
    } else {
        (b + 1..a).rev().collect()
    }
}

/// The flows inside each cluster, as pairs of member positions.
fn inner_edges(graph: &Graph) -> Vec<Vec<(usize, usize)>> {
    let mut slot = vec![0; graph.cluster_of.len()];
    for cluster in &graph.clusters {
        for (i, &member) in cluster.members.iter().enumerate() {
            slot[member] = i;
        }
    }
    let mut edges = vec![Vec::new(); graph.clusters.len()];
    for edge in &graph.edges {
        let cluster = graph.cluster_of[edge.source];
        if cluster == graph.cluster_of[edge.target] {
            edges[cluster].push((slot[edge.source], slot[edge.target]));
        }
    }
    edges
}

/// A frame at least as wide as its name, up to a point (a longer name is shortened).
fn frame_min_width(graph: &Graph, cluster: &Cluster) -> f64 {
    cluster.boundary.map_or(0.0, |b| {
        let boundary = &graph.model.boundaries[b];
        let title = frame_title_text(&boundary.name, boundary.kind);
        (text_width(&title, FRAME_FONT) * 1.1 + 2.0 * FRAME_PAD + 4.0).clamp(FRAME_MIN_W, 320.0)
    })
}

/// Lays out one cluster's members in layered columns: which column each is in and its x offset.
fn arrange(
    cluster: &Cluster,
    edges: &[(usize, usize)],
    widths: &[f64],
    min_w: f64,
    column_of: &mut [usize],
    local_x: &mut [f64],
) -> Block {
    let members = &cluster.members;
    let layer = layering(members.len(), edges);
    let limit = stack_height(std::iter::repeat_n(NODE_H, MAX_ROWS), NODE_GAP);
    let mut block = Block {
        framed: cluster.boundary.is_some(),
        columns: Vec::new(),
        column_x: Vec::new(),
        column_w: Vec::new(),
        w: min_w,
        h: 0.0,
        content_x: 0.0,
        content_y: 0.0,
        content_h: 0.0,
    };
    let mut x = 0.0;
    for (k, (column, new_layer)) in columns(&layer, |_| NODE_H, NODE_GAP, limit)
        .into_iter()
        .enumerate()
    {
        if k > 0 {
            x += if new_layer { LAYER_GAP } else { WRAP_GAP };
        }
        let column: Vec<usize> = column.iter().map(|&i| members[i]).collect();
        let width = column.iter().map(|&c| widths[c]).fold(0.0, f64::max);
        for &c in &column {
            column_of[c] = k;
            local_x[c] = x + (width - widths[c]) / 2.0;
        }
        block.columns.push(column);
        block.column_x.push(x);
        block.column_w.push(width);
        x += width;
    }
    let pad_x = if block.framed { FRAME_PAD } else { 0.0 };
    block.w = (x + 2.0 * pad_x).max(min_w);
    block.content_x = (block.w - x) / 2.0;
    block
}

impl Block {
    /// Heights, once the flows passing through are known (vertices from `components` on): as tall as
    /// the tallest column can get, whatever order it ends up in.
    fn size(&mut self, components: usize) {
        self.content_h = self
            .columns
            .iter()
            .map(|column| {
                let passes = column.iter().filter(|&&v| v >= components).count();
                tallest_column(column.len() - passes, passes)
            })
            .fold(0.0, f64::max);
        let (top, bottom) = if self.framed {
            (FRAME_TOP, FRAME_PAD)
        } else {
            (0.0, 0.0)
        };
        self.content_y = top;
        self.h = self.content_h + top + bottom;
    }
}

/// The most room `boxes` and `passes` can take in a column: with the boxes together (their gaps are
/// the widest) and the passing flows on both sides of them.
fn tallest_column(boxes: usize, passes: usize) -> f64 {
    let boxes_h = stack_height(std::iter::repeat_n(NODE_H, boxes), NODE_GAP);
    let clearances = passes.min(2) as f64 * PASS_CLEARANCE;
    let between_passes = passes.saturating_sub(2) as f64 * PASS_GAP;
    boxes_h + passes as f64 * PASS_H + clearances + between_passes
}

fn node_width(component: &vigil_core::Component) -> f64 {
    let name = text_width(&clean(&component.name), NAME_FONT);
    (name + 2.0 * NODE_PAD).clamp(NODE_MIN_W, NODE_MAX_W)
}

// ---------------------------------------------------------------------------------------------------
// Flows: curves between ports, labels placed where they hide nothing.

/// One piece of a flow's path.
#[derive(Debug, Clone, Copy)]
enum Segment {
    /// A cubic Bézier curve: start, two control points, end.
    Curve([(f64, f64); 4]),
    /// Straight across a column the flow passes through.
    Line((f64, f64), (f64, f64)),
}

impl Segment {
    fn points(&self) -> Vec<(f64, f64)> {
        match *self {
            Segment::Curve(points) => points.to_vec(),
            Segment::Line(a, b) => vec![a, b],
        }
    }
}

/// Where a curve is at `t` in `[0, 1]`.
fn bezier(points: &[(f64, f64); 4], t: f64) -> (f64, f64) {
    let [p0, p1, p2, p3] = *points;
    let u = 1.0 - t;
    let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (
        a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0,
        a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1,
    )
}

/// A flow's path.
struct Route {
    edge: usize,
    segments: Vec<Segment>,
}

/// Keeps the ports off a box's corners (and a cylinder's rounded caps).
const PORT_INSET: f64 = 8.0;

/// A path per flow: from its source's side, straight across each column it passes through, curving
/// between columns, into its target's side.
fn routes(graph: &Graph, drawing: &Drawing) -> Vec<Route> {
    let (starts, ends) = ports(graph, drawing);
    graph
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let segments = if e.source == e.target {
                vec![Segment::Curve(self_loop(&drawing.boxes[e.source]))]
            } else {
                path(drawing, i, starts[i], ends[i])
            };
            Route { edge: i, segments }
        })
        .collect()
}

/// A flow's path: straight across the free span of each vertex it runs through (its column, or out to
/// the edge of its column of clusters where it leaves or enters a cluster), curving only in the gaps
/// between columns, where nothing else is drawn.
fn path(drawing: &Drawing, edge: usize, start: (f64, f64), end: (f64, f64)) -> Vec<Segment> {
    let chain = &drawing.chains[edge];
    let forward = drawing.forward[edge];
    let mut segments = Vec::with_capacity(2 * chain.len());
    let mut at = start;
    let straight_to = |segments: &mut Vec<Segment>, at: &mut (f64, f64), x: f64| {
        if (x - at.0).abs() > 0.05 {
            segments.push(Segment::Line(*at, (x, at.1)));
            at.0 = x;
        }
    };
    for (i, pair) in chain.windows(2).enumerate() {
        let (u, w) = (pair[0], pair[1]);
        let (left, right) = drawing.free_span(u, w);
        straight_to(&mut segments, &mut at, if forward { right } else { left });
        let (left, right) = drawing.free_span(w, u);
        let y = if i + 2 == chain.len() {
            end.1
        } else {
            drawing.centre(w)
        };
        let entry = (if forward { left } else { right }, y);
        segments.push(Segment::Curve(curve(at, entry)));
        at = entry;
    }
    straight_to(&mut segments, &mut at, end.0);
    segments
}

/// Where each flow leaves its source and enters its target. A flow leaves on the side facing where it
/// goes and enters on the side facing where it comes from; the flows on one side are spread over it,
/// ordered by the height of their next point, so they fan out without crossing each other there.
#[allow(clippy::type_complexity)] // two parallel lists of points read more plainly than a new type
fn ports(graph: &Graph, drawing: &Drawing) -> (Vec<(f64, f64)>, Vec<(f64, f64)>) {
    const LEFT: usize = 0;
    const RIGHT: usize = 1;
    let boxes = &drawing.boxes;
    // Per box and side: (the next point's height, edge, whether the flow leaves here).
    let mut sides: Vec<[Vec<(f64, usize, bool)>; 2]> =
        boxes.iter().map(|_| [Vec::new(), Vec::new()]).collect();
    for (i, e) in graph.edges.iter().enumerate() {
        if e.source == e.target {
            continue;
        }
        let chain = &drawing.chains[i];
        let (out_side, in_side) = if drawing.forward[i] {
            (RIGHT, LEFT)
        } else {
            (LEFT, RIGHT)
        };
        sides[e.source][out_side].push((drawing.centre(chain[1]), i, true));
        sides[e.target][in_side].push((drawing.centre(chain[chain.len() - 2]), i, false));
    }
    let mut starts = vec![(0.0, 0.0); graph.edges.len()];
    let mut ends = starts.clone();
    for (b, node_sides) in boxes.iter().zip(&mut sides) {
        for (side, list) in node_sides.iter_mut().enumerate() {
            list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            let x = if side == RIGHT { b.right() } else { b.x };
            let step = (b.h - 2.0 * PORT_INSET) / (list.len() + 1) as f64;
            for (j, &(_, edge, outgoing)) in list.iter().enumerate() {
                let port = (x, b.y + PORT_INSET + step * (j + 1) as f64);
                if outgoing {
                    starts[edge] = port;
                } else {
                    ends[edge] = port;
                }
            }
        }
    }
    (starts, ends)
}

/// A curve leaving and arriving horizontally, so paths join smoothly and arrowheads point into sides.
fn curve(start: (f64, f64), end: (f64, f64)) -> [(f64, f64); 4] {
    let pull = (end.0 - start.0) / 2.0;
    [start, (start.0 + pull, start.1), (end.0 - pull, end.1), end]
}

/// A flow from a component to itself: a loop over its top right corner.
fn self_loop(b: &Rect) -> [(f64, f64); 4] {
    [
        (b.right() - 18.0, b.y),
        (b.right() - 18.0, b.y - 34.0),
        (b.right() + 34.0, b.y + 10.0),
        (b.right(), b.y + 12.0),
    ]
}

/// A flow's label as drawn (`text`, perhaps shortened) and where.
struct Label {
    rect: Rect,
    text: String,
}

/// Where along its path each flow's label goes: the first of a few spots on its curves (between
/// columns, where there is room), from the middle of each outwards, where it covers no component, frame
/// name or label already placed; the middle of the first curve when none is free. Obstacles sit in a
/// grid of cells, so each check looks at a few neighbours only.
fn labels(graph: &Graph, routes: &[Route], obstacles: &[Rect]) -> Vec<Label> {
    const SPOTS: [f64; 11] = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.2, 0.8, 0.14, 0.86];
    const NUDGE: f64 = LABEL_H / 2.0 + 1.0;
    let mut grid = Grid::default();
    for rect in obstacles {
        grid.insert(*rect);
    }
    routes
        .iter()
        .map(|route| {
            let flow = &graph.model.flows[graph.edges[route.edge].flow];
            let (text, _) = fit(&clean(&flow_label(flow)), LABEL_MAX_W - 8.0, LABEL_FONT);
            let w = text_width(&text, LABEL_FONT) + 8.0;
            let at = |curve: &[(f64, f64); 4], t: f64, nudge: f64| {
                let (x, y) = bezier(curve, t);
                Rect {
                    x: x - w / 2.0,
                    y: y - LABEL_H / 2.0 + nudge,
                    w,
                    h: LABEL_H,
                }
            };
            let curves: Vec<&[(f64, f64); 4]> = route
                .segments
                .iter()
                .filter_map(|s| match s {
                    Segment::Curve(points) => Some(points),
                    Segment::Line(..) => None,
                })
                .collect();
            // Centred on the curve first; then just above or below it, still touching it.
            let rect = [0.0, -NUDGE, NUDGE]
                .iter()
                .flat_map(|&nudge| {
                    let curves = &curves;
                    curves
                        .iter()
                        .flat_map(move |c| SPOTS.iter().map(move |&t| at(c, t, nudge)))
                })
                .find(|r| !grid.hits(r))
                .or_else(|| curves.first().map(|c| at(c, 0.5, 0.0)))
                .unwrap_or(Rect {
                    x: 0.0,
                    y: 0.0,
                    w,
                    h: LABEL_H,
                });
            grid.insert(rect.inflate(1.0));
            Label { rect, text }
        })
        .collect()
}

/// Rectangles bucketed by the square cells they touch.
#[derive(Default)]
struct Grid {
    cells: HashMap<(i64, i64), Vec<Rect>>,
}

impl Grid {
    const CELL: f64 = 96.0;

    fn cells(rect: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let cell = |v: f64| (v / Self::CELL).floor() as i64;
        let (x0, x1, y0, y1) = (
            cell(rect.x),
            cell(rect.right()),
            cell(rect.y),
            cell(rect.bottom()),
        );
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn insert(&mut self, rect: Rect) {
        for cell in Self::cells(&rect) {
            self.cells.entry(cell).or_default().push(rect);
        }
    }

    fn hits(&self, rect: &Rect) -> bool {
        Self::cells(rect).any(|cell| {
            self.cells
                .get(&cell)
                .is_some_and(|list| list.iter().any(|r| r.overlaps(rect)))
        })
    }
}

/// What a flow carries: its label, protocol and data classes, as the other diagrams write it.
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

/// A flow the code shows unauthenticated or unencrypted (not merely one it says nothing about).
fn is_risky(flow: &Flow) -> bool {
    flow.authenticated == Some(false) || flow.encrypted == Some(false)
}

// ---------------------------------------------------------------------------------------------------
// Text: cleaning, escaping, measuring.

/// Text with what SVG cannot hold or a hostile name could abuse taken out: control characters become
/// spaces (XML 1.0 forbids most of them even as character references), bidirectional overrides are
/// dropped (they can make a name read as another), and whitespace runs collapse as SVG renders them.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_invisible_trap(c) {
            continue;
        }
        if c.is_control() || c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Bidirectional controls and the two characters XML never allows.
fn is_invisible_trap(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FFFE}'
            | '\u{FFFF}'
    )
}

/// Escapes for XML text and attribute values alike.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Text cleaned and escaped, ready for the document.
fn xml(text: &str) -> String {
    escape(&clean(text))
}

/// Helvetica's advance widths for ASCII 32-126, in thousandths of an em.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
];

/// The viewer picks the font, so widths are estimated from Helvetica's and padded by 15%, which covers
/// the wider fallbacks (DejaVu Sans); anything beyond ASCII counts a full em, as wide as CJK.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| char_width(c, size)).sum()
}

fn char_width(c: char, size: f64) -> f64 {
    let em = match u32::from(c) {
        code @ 32..=126 => f64::from(HELVETICA[(code - 32) as usize]) / 1000.0,
        _ => 1.0,
    };
    em * size * 1.15
}

/// The text, shortened with an ellipsis when it is wider than `max`; and whether it was.
fn fit(text: &str, max: f64, size: f64) -> (String, bool) {
    if text_width(text, size) <= max {
        return (text.to_owned(), false);
    }
    let room = max - char_width('…', size);
    let mut out = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        width += char_width(c, size);
        if width > room {
            break;
        }
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    out.push('…');
    (out, true)
}

/// A coordinate with at most one decimal, and no `-0`.
fn num(v: f64) -> String {
    let v = (v * 10.0).round() / 10.0;
    if v == 0.0 {
        return "0".to_owned();
    }
    let text = format!("{v:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

fn rect_attributes(r: &Rect) -> String {
    format!(
        "x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h)
    )
}

// ---------------------------------------------------------------------------------------------------
// The document. Styling is in presentation attributes only: a `<style>` element inside an SVG inlined
// in HTML would apply to the whole page.

const INK: &str = "#343a40";
const FLOW: &str = "#5c636a";
const RISKY: &str = "#d6336c";
const EXPOSED: &str = "#e8590c";

/// A frame's name as drawn and the room it takes (kept free of flow labels).
struct FrameTitle {
    rect: Rect,
    text: String,
}

fn render(graph: &Graph, drawing: &Drawing) -> String {
    let routes = routes(graph, drawing);
    let titles = frame_titles(graph, drawing);
    let mut obstacles: Vec<Rect> = drawing.boxes.iter().map(|b| b.inflate(3.0)).collect();
    obstacles.extend(titles.iter().flatten().map(|t| t.rect));
    let labels = labels(graph, &routes, &obstacles);
    let extent = extent(drawing, &routes, &labels);
    // Self-loops and labels can reach above or left of the first boxes: move everything back in.
    let shift = ((MARGIN - extent.x).max(0.0), (MARGIN - extent.y).max(0.0));
    let width = (extent.right() + shift.0 + MARGIN).max(legend_width() + 2.0 * MARGIN);
    let legend_y = extent.bottom() + shift.1 + 16.0;
    let height = legend_y + LEGEND_H;

    let mut out = String::with_capacity(2048 + 1024 * graph.model.components.len());
    header(&mut out, graph, width, height);
    let shifted = shift != (0.0, 0.0);
    if shifted {
        let _ = writeln!(
            out,
            "<g transform=\"translate({} {})\">",
            num(shift.0),
            num(shift.1)
        );
    }
    for (cluster, title) in titles.iter().enumerate() {
        if let (Some(frame), Some(title)) = (drawing.frames[cluster], title) {
            write_frame(&mut out, graph, cluster, &frame, title);
        }
    }
    // Risky flows last, so their red is on top where curves cross.
    let (plain, risky): (Vec<&Route>, Vec<&Route>) = routes
        .iter()
        .partition(|r| !is_risky(&graph.model.flows[graph.edges[r.edge].flow]));
    for route in plain.into_iter().chain(risky) {
        write_flow(&mut out, graph, route);
    }
    for (i, b) in drawing.boxes.iter().enumerate() {
        write_component(&mut out, graph, i, b);
    }
    for (route, label) in routes.iter().zip(&labels) {
        write_label(&mut out, graph, route, label);
    }
    if shifted {
        out.push_str("</g>\n");
    }
    write_legend(&mut out, MARGIN, legend_y);
    out.push_str("</svg>\n");
    out
}

fn header(out: &mut String, graph: &Graph, width: f64, height: f64) {
    let (w, h) = (num(width.ceil()), num(height.ceil()));
    let model = graph.model;
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"{FONT_FAMILY}\" role=\"img\">"
    );
    let _ = writeln!(
        out,
        "<title>System model: {} components, {} flows, {} trust boundaries</title>",
        model.components.len(),
        model.flows.len(),
        model.boundaries.len()
    );
    // Arrowheads sized in user units, so they do not grow with the stroke.
    out.push_str("<defs>\n");
    for (id, colour) in [("vigil-arrow", FLOW), ("vigil-arrow-risky", RISKY)] {
        let _ = writeln!(
            out,
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" \
             markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\">\
             <path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/></marker>"
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(out, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
}

fn frame_titles(graph: &Graph, drawing: &Drawing) -> Vec<Option<FrameTitle>> {
    graph
        .clusters
        .iter()
        .zip(&drawing.frames)
        .map(|(cluster, frame)| {
            let boundary = &graph.model.boundaries[cluster.boundary?];
            let frame = (*frame)?;
            let full = frame_title_text(&boundary.name, boundary.kind);
            // Bold runs about 10% wider than the regular widths measured.
            let (text, _) = fit(&full, (frame.w - 2.0 * FRAME_PAD) / 1.1, FRAME_FONT);
            let rect = Rect {
                x: frame.x + FRAME_PAD - 2.0,
                y: frame.y + 6.0,
                w: text_width(&text, FRAME_FONT) * 1.1 + 4.0,
                h: 18.0,
            };
            Some(FrameTitle { rect, text })
        })
        .collect()
}

/// A frame's name: the boundary's, and its kind unless the name says it already ("Internet").
fn frame_title_text(name: &str, kind: BoundaryKind) -> String {
    let (name, kind) = (clean(name), boundary_kind(kind));
    if name.to_lowercase().contains(&kind.to_lowercase()) {
        name
    } else {
        format!("{name} · {kind}")
    }
}

/// Everything drawn, as one rectangle.
fn extent(drawing: &Drawing, routes: &[Route], labels: &[Label]) -> Rect {
    let mut rects: Vec<Rect> = drawing.boxes.clone();
    rects.extend(drawing.frames.iter().flatten());
    rects.extend(labels.iter().map(|l| l.rect));
    // A Bézier curve stays inside the hull of its control points.
    let points = routes
        .iter()
        .flat_map(|r| r.segments.iter().flat_map(Segment::points));
    rects.extend(points.map(|(x, y)| Rect { x, y, w: 0.0, h: 0.0 }));
    let (x0, y0, x1, y1) = rects.iter().fold(
        (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY),
        |(x0, y0, x1, y1), r| (x0.min(r.x), y0.min(r.y), x1.max(r.right()), y1.max(r.bottom())),
    );
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}

/// Fill and stroke for a boundary's frame, a hue per kind.
fn frame_colours(kind: BoundaryKind) -> (&'static str, &'static str) {
    match kind {
        BoundaryKind::Internet => ("#fff5f5", "#c92a2a"),
        BoundaryKind::CloudAccount => ("#f1f7fe", "#1c7ed6"),
        BoundaryKind::Network => ("#f3faf4", "#2f9e44"),
        BoundaryKind::Cluster => ("#effafb", "#0c8599"),
        BoundaryKind::ThirdParty => ("#f9f1fc", "#862e9c"),
        BoundaryKind::Ci => ("#fff8eb", "#d9480f"),
    }
}

fn boundary_kind(kind: BoundaryKind) -> &'static str {
    match kind {
        BoundaryKind::Internet => "Internet",
        BoundaryKind::CloudAccount => "cloud account",
        BoundaryKind::Network => "network",
        BoundaryKind::Cluster => "cluster",
        BoundaryKind::ThirdParty => "third party",
        BoundaryKind::Ci => "CI",
    }
}

fn write_frame(out: &mut String, graph: &Graph, cluster: usize, frame: &Rect, title: &FrameTitle) {
    let Some(index) = graph.clusters[cluster].boundary else {
        return;
    };
    let boundary = &graph.model.boundaries[index];
    let (fill, stroke) = frame_colours(boundary.kind);
    let _ = writeln!(
        out,
        "<g class=\"boundary\" data-boundary=\"{index}\"><title>{} ({})</title>\
         <rect class=\"frame\" {} rx=\"12\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\" \
         stroke-dasharray=\"7 4\"/><text x=\"{}\" y=\"{}\" font-size=\"{FRAME_FONT}\" font-weight=\"bold\" \
         fill=\"{stroke}\">{}</text></g>",
        xml(&boundary.name),
        boundary_kind(boundary.kind),
        rect_attributes(frame),
        num(frame.x + FRAME_PAD),
        num(frame.y + 19.0),
        escape(&title.text)
    );
}

fn write_flow(out: &mut String, graph: &Graph, route: &Route) {
    let edge = &graph.edges[route.edge];
    let flow = &graph.model.flows[edge.flow];
    let point = |p: (f64, f64)| format!("{},{}", num(p.0), num(p.1));
    let mut d = String::new();
    for (i, segment) in route.segments.iter().enumerate() {
        match *segment {
            Segment::Curve([p0, p1, p2, p3]) => {
                if i == 0 {
                    let _ = write!(d, "M{}", point(p0));
                }
                let _ = write!(d, " C{} {} {}", point(p1), point(p2), point(p3));
            }
            Segment::Line(p0, p1) => {
                if i == 0 {
                    let _ = write!(d, "M{}", point(p0));
                }
                let _ = write!(d, " L{}", point(p1));
            }
        }
    }
    let (colour, marker, dash) = if is_risky(flow) {
        (RISKY, "vigil-arrow-risky", " stroke-dasharray=\"6 4\"")
    } else {
        (FLOW, "vigil-arrow", "")
    };
    let _ = writeln!(
        out,
        "<g class=\"flow\" data-flow=\"{}\"><title>{}</title><path d=\"{d}\" fill=\"none\" \
         stroke=\"{colour}\" stroke-width=\"1.4\"{dash} marker-end=\"url(#{marker})\"/></g>",
        edge.flow,
        flow_title(graph, edge),
    );
}

/// The tooltip of a flow: both ends, the whole label and what the code shows missing.
fn flow_title(graph: &Graph, edge: &Edge) -> String {
    let model = graph.model;
    let flow = &model.flows[edge.flow];
    let mut title = format!(
        "{} → {}: {}",
        xml(&model.components[edge.source].name),
        xml(&model.components[edge.target].name),
        xml(&flow_label(flow))
    );
    if flow.authenticated == Some(false) {
        title.push_str(" — unauthenticated");
    }
    if flow.encrypted == Some(false) {
        title.push_str(" — unencrypted");
    }
    title
}

fn write_label(out: &mut String, graph: &Graph, route: &Route, label: &Label) {
    let edge = &graph.edges[route.edge];
    let colour = if is_risky(&graph.model.flows[edge.flow]) {
        RISKY
    } else {
        INK
    };
    let r = &label.rect;
    let _ = writeln!(
        out,
        "<g class=\"flow-label\"><title>{}</title><rect {} rx=\"3\" fill=\"#ffffff\" \
         fill-opacity=\"0.9\"/><text x=\"{}\" y=\"{}\" font-size=\"{LABEL_FONT}\" text-anchor=\"middle\" \
         fill=\"{colour}\">{}</text></g>",
        flow_title(graph, edge),
        rect_attributes(r),
        num(r.cx()),
        num(r.y + 10.5),
        escape(&label.text)
    );
}

fn write_component(out: &mut String, graph: &Graph, index: usize, b: &Rect) {
    let component = &graph.model.components[index];
    let boundary = graph.clusters[graph.cluster_of[index]]
        .boundary
        .map_or_else(String::new, |i| format!(" data-boundary=\"{i}\""));
    let _ = write!(
        out,
        "<g class=\"component\" data-component=\"{index}\" data-box=\"{} {} {} {}\"{boundary}>\
         <title>{}</title>",
        num(b.x),
        num(b.y),
        num(b.w),
        num(b.h),
        component_title(component)
    );
    let stroke = if component.internet_facing {
        format!("stroke=\"{EXPOSED}\" stroke-width=\"2.5\"")
    } else {
        "stroke-width=\"1.3\"".to_owned()
    };
    out.push_str(&shape(component.kind, b, &stroke));
    write_component_text(out, component, b);
    out.push_str("</g>\n");
}

/// The outline for a kind: process a rounded box, datastore a cylinder, external entity a plain box.
fn shape(kind: ComponentKind, b: &Rect, stroke: &str) -> String {
    let (fill, default_stroke) = match kind {
        ComponentKind::Process => ("#e7f0fb", "#3b6ea5"),
        ComponentKind::Datastore => ("#f6f1e4", "#8a6d3b"),
        ComponentKind::ExternalEntity => ("#f1f3f5", "#495057"),
    };
    let stroke = if stroke.starts_with("stroke=") {
        stroke.to_owned()
    } else {
        format!("stroke=\"{default_stroke}\" {stroke}")
    };
    match kind {
        ComponentKind::Process => {
            format!(
                "<rect {} rx=\"10\" fill=\"{fill}\" {stroke}/>",
                rect_attributes(b)
            )
        }
        ComponentKind::ExternalEntity => {
            format!("<rect {} fill=\"{fill}\" {stroke}/>", rect_attributes(b))
        }
        ComponentKind::Datastore => cylinder(b, fill, &stroke),
    }
}

/// A cylinder filling the box: the outline, then the front half of the top rim.
fn cylinder(b: &Rect, fill: &str, stroke: &str) -> String {
    const RIM: f64 = 6.0;
    let (rx, ry) = (num(b.w / 2.0), num(RIM));
    let (x, top, w, side) = (num(b.x), num(b.y + RIM), num(b.w), num(b.h - 2.0 * RIM));
    format!(
        "<path d=\"M{x},{top} a{rx},{ry} 0 0 1 {w},0 v{side} a{rx},{ry} 0 0 1 -{w},0 z\" \
         fill=\"{fill}\" {stroke}/><path d=\"M{x},{top} a{rx},{ry} 0 0 0 {w},0\" fill=\"none\" {stroke}/>"
    )
}

/// The name, shortened to fit, and under it what makes the component stand out (Internet-facing, data
/// classes) when anything does.
fn write_component_text(out: &mut String, component: &vigil_core::Component, b: &Rect) {
    let room = b.w - 2.0 * NODE_PAD;
    let (name, _) = fit(&clean(&component.name), room, NAME_FONT);
    let caption = caption(component);
    let nudge = if component.kind == ComponentKind::Datastore {
        3.0
    } else {
        0.0
    };
    let name_y = if caption.is_empty() {
        b.cy() + 4.0 + nudge
    } else {
        b.y + 20.0 + nudge
    };
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{NAME_FONT}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
        num(b.cx()),
        num(name_y),
        escape(&name)
    );
    if !caption.is_empty() {
        let (caption, _) = fit(&caption, room, CAPTION_FONT);
        let colour = if component.internet_facing {
            EXPOSED
        } else {
            "#6c757d"
        };
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{CAPTION_FONT}\" text-anchor=\"middle\" fill=\"{colour}\">{}</text>",
            num(b.cx()),
            num(b.y + 34.0 + nudge),
            escape(&caption)
        );
    }
}

fn caption(component: &vigil_core::Component) -> String {
    let mut parts = Vec::new();
    if component.internet_facing {
        parts.push("Internet-facing".to_owned());
    }
    if !component.data_classes.is_empty() {
        let classes: Vec<&str> = component.data_classes.iter().map(|c| c.as_str()).collect();
        parts.push(classes.join(", "));
    }
    parts.join(" · ")
}

fn component_title(component: &vigil_core::Component) -> String {
    let mut title = format!("{} ({})", xml(&component.name), component_kind(component.kind));
    if component.internet_facing {
        title.push_str(", Internet-facing");
    }
    if !component.data_classes.is_empty() {
        let classes: Vec<&str> = component.data_classes.iter().map(|c| c.as_str()).collect();
        let _ = write!(title, ", data: {}", classes.join(", "));
    }
    let _ = write!(title, "\n{}", xml(&component.id));
    title
}

fn component_kind(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Process => "process",
        ComponentKind::Datastore => "datastore",
        ComponentKind::ExternalEntity => "external entity",
    }
}

/// What the shapes and line styles mean, in one row under the drawing.
const LEGEND: [(&str, &str); 6] = [
    ("process", "process"),
    ("datastore", "datastore"),
    ("external", "external entity"),
    ("exposed", "Internet-facing"),
    ("flow", "flow"),
    ("risky", "unauthenticated or unencrypted flow"),
];

fn legend_width() -> f64 {
    LEGEND
        .iter()
        .map(|(_, text)| 34.0 + text_width(text, LABEL_FONT) + 18.0)
        .sum()
}

fn write_legend(out: &mut String, x: f64, y: f64) {
    let _ = write!(
        out,
        "<g class=\"legend\" font-size=\"{LABEL_FONT}\" fill=\"{INK}\">"
    );
    let mut x = x;
    for (key, text) in LEGEND {
        let sample = Rect {
            x,
            y: y + 2.0,
            w: 28.0,
            h: 18.0,
        };
        out.push_str(&legend_sample(key, &sample));
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{text}</text>",
            num(x + 34.0),
            num(y + 15.0)
        );
        x += 34.0 + text_width(text, LABEL_FONT) + 18.0;
    }
    out.push_str("</g>\n");
}

fn legend_sample(key: &str, b: &Rect) -> String {
    let line = |colour: &str, marker: &str, dash: &str| {
        format!(
            "<path d=\"M{},{} h24\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.4\"{dash} marker-end=\"url(#{marker})\"/>",
            num(b.x),
            num(b.cy())
        )
    };
    match key {
        "process" => shape(ComponentKind::Process, b, "stroke-width=\"1.3\""),
        "datastore" => shape(ComponentKind::Datastore, b, "stroke-width=\"1.3\""),
        "external" => shape(ComponentKind::ExternalEntity, b, "stroke-width=\"1.3\""),
        "exposed" => shape(
            ComponentKind::Process,
            b,
            &format!("stroke=\"{EXPOSED}\" stroke-width=\"2.5\""),
        ),
        "flow" => line(FLOW, "vigil-arrow", ""),
        _ => line(RISKY, "vigil-arrow-risky", " stroke-dasharray=\"6 4\""),
    }
}

fn empty() -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"60\" viewBox=\"0 0 240 60\" \
         font-family=\"{FONT_FAMILY}\" role=\"img\"><title>System model: no components</title>\
         <text x=\"24\" y=\"34\" font-size=\"{NAME_FONT}\" fill=\"{INK}\">No components in the model</text></svg>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_keeps_order_and_gaps_and_stays_in_bounds() {
        // Three boxes all wanting the same spot spread around it, in order, exactly a gap apart.
        let tops = pack(&[100.0; 3], &[10.0; 3], &[0.0, 5.0, 5.0], None);
        assert_eq!(tops, vec![85.0, 100.0, 115.0]);
        // Boxes far apart stay where they want; a bound pulls the stack inside it.
        assert_eq!(pack(&[0.0, 50.0], &[10.0; 2], &[0.0, 5.0], None), vec![0.0, 50.0]);
        assert_eq!(
            pack(&[-20.0, 90.0], &[10.0; 2], &[0.0, 5.0], Some(60.0)),
            vec![0.0, 50.0]
        );
    }

    #[test]
    fn layers_follow_the_flows_and_cycles_are_broken() {
        // 0 -> 1 -> 2 -> 0, 2 -> 3; a source 4 pointing at 3 sits right before it.
        let layer = layering(5, &[(0, 1), (1, 2), (2, 0), (2, 3), (4, 3)]);
        assert!(layer[0] < layer[1] && layer[1] < layer[2] && layer[2] < layer[3]);
        assert_eq!(layer[4] + 1, layer[3]);
        // Empty layers squeezed out; self-loops ignored.
        assert_eq!(layering(3, &[(0, 0), (1, 2)]), vec![0, 0, 1]);
    }

    #[test]
    fn text_is_cleaned_escaped_and_shortened() {
        assert_eq!(clean("a\u{1b}[1m\n\n b\u{202E}c\u{0}"), "a [1m bc");
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&lt;/a&gt;"
        );
        let (short, cut) = fit("abcdefghijklmnopqrstuvwxyz", 60.0, 12.0);
        assert!(
            cut && short.ends_with('…') && text_width(&short, 12.0) <= 60.0,
            "{short}"
        );
        assert_eq!(fit("abc", 60.0, 12.0), ("abc".to_owned(), false));
        assert_eq!(
            (num(-0.01), num(2.0), num(2.25)),
            ("0".to_owned(), "2".to_owned(), "2.3".to_owned())
        );
    }

    #[test]
    fn columns_wrap_into_balanced_ones() {
        let heights = |count: usize| vec![0; count];
        let limit = stack_height(std::iter::repeat_n(NODE_H, MAX_ROWS), NODE_GAP);
        let sizes: Vec<usize> = columns(&heights(7), |_| NODE_H, NODE_GAP, limit)
            .iter()
            .map(|(c, _)| c.len())
            .collect();
        assert_eq!(sizes, vec![4, 3]);
        assert_eq!(between(1, 4), vec![2, 3]);
        assert_eq!(between(4, 1), vec![3, 2]);
    }
}
