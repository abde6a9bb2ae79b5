//! The diagram's layout: where the classic network, each VPC, its subnets and resources, and the link edges go.
//!
//! Deterministic: the same plan and the same view settings give the same coordinates (integers, in SVG user units).
//! Long lists are bounded: past a limit the classic network draws a "+N more" tile and the links of the hidden
//! instances are drawn as one aggregate edge per VPC, so a plan with thousands of CVMs still draws quickly.

use crate::domain::addr::in_classiclink_range;
use crate::domain::model::{ClassicInstance, GatewayKind, Kind, Plan, State};
use crate::domain::refs::LinkFate;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// Margin around the drawing.
pub const MARGIN: i32 = 16;
/// Width of the classic network region.
pub const CLASSIC_W: i32 = 260;
/// Left edge of the VPC column.
pub const VPC_X: i32 = MARGIN + CLASSIC_W + 140;
/// Width of a VPC region.
pub const VPC_W: i32 = 572;
/// Height of a region's header.
pub const HEADER_H: i32 = 52;
/// Height of an instance tile.
pub const TILE_H: i32 = 44;
const GAP: i32 = 8;
const PAD: i32 = 12;
const CLASSIC_TILE_W: i32 = CLASSIC_W - 2 * PAD;
/// Height of a classic tile (one column: links leave from the region's right edge).
const CLASSIC_TILE_H: i32 = 40;
const CLASSIC_GAP: i32 = 6;
const SUBNET_HEADER_H: i32 = 26;
const RES_TILE_W: i32 = 168;
const GW_TILE_W: i32 = RES_TILE_W;
const GW_TILE_H: i32 = 32;

/// What a region is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionKind {
    Classic,
    Vpc,
    Subnet,
}

/// A box holding other things: the classic network, a VPC, a subnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub id: String,
    pub kind: RegionKind,
    pub label: String,
    /// A second line: CIDRs, counts, peerings.
    pub detail: String,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    /// Named by the highlighted finding or reach answer.
    pub highlighted: bool,
    pub selected: bool,
    /// VPC: whether its CIDR allows Classiclink (a drop target).
    pub linkable: bool,
    /// VPC: why its CIDR does not allow Classiclink, when it does not (see [`super::unlinkable_reason`]).
    pub unlinkable_reason: Option<String>,
    /// VPC: drawn as its header only.
    pub collapsed: bool,
    /// The VPC it is or lies in (a VPC, a subnet): dropping a dragged CVM on it tries a link to that VPC.
    pub vpc: Option<String>,
}

/// What a tile is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A classic-network instance.
    Classic(Kind),
    /// A resource inside a VPC subnet.
    Resource(Kind),
    Gateway(GatewayKind),
    /// "+N more": the instances not drawn.
    More,
}

/// A tile: an instance, a resource, a gateway, or an aggregate of hidden ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// The object's ID (for [`NodeKind::More`]: `more:` and the region's ID).
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    /// A second line: IP, state.
    pub detail: String,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    pub highlighted: bool,
    pub selected: bool,
    pub state: State,
    /// A classic CVM: the VPC it is linked to.
    pub linked_to: Option<String>,
    /// A classic CVM's link carries nothing (an IP change since, or a link Tencent Cloud would refuse): said in its
    /// name, as the edge's dashes say it.
    pub link_invalid: bool,
    /// Whether Tencent Cloud made that link (`LinkFate::made`): a CVM whose listed link was never made is not
    /// linked, and its name says so.
    pub link_made: bool,
    /// Why that link carries nothing, in words (`LinkFate::why`), for the tile's name.
    pub link_why: Option<String>,
    /// The instance's other listed links Tencent Cloud never made, with why ("to vpc-x: ..."), for the tile's name.
    pub also_unmade: Vec<String>,
    /// A classic instance that can be dragged onto a VPC to try a link (only a CVM links; the others are told why).
    pub draggable: bool,
    /// [`NodeKind::More`]: how many are hidden.
    pub hidden: usize,
    /// The VPC it lies in (a resource, a gateway, "+N more" of a subnet): a drop target like the VPC itself.
    pub vpc: Option<String>,
}

impl Node {
    /// The tile's centre.
    pub fn centre(&self) -> (i32, i32) {
        (self.x + self.w / 2, self.y + self.h / 2)
    }
}

/// What an edge is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// A Classiclink link from a classic CVM to a VPC.
    Link,
    /// Several links of hidden CVMs to one VPC.
    Aggregate,
    /// A terminal connection mapping a classic non-CVM instance into a VPC.
    Terminal,
}

/// A line between a classic tile and a VPC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub kind: EdgeKind,
    pub from: String,
    pub to: String,
    pub label: String,
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
    /// A link whose CVM's IP still matches (and which is not returned).
    pub valid: bool,
    /// A link that carries nothing: why, in words (`LinkFate::why`: an IP change, a returned CVM, a refusal with
    /// its rule and the API's error), said in the edge's title as its dashes say it in lines. `None` for a working
    /// link, an aggregate and a terminal connection.
    pub why_invalid: Option<String>,
    pub highlighted: bool,
    /// Where the label's text is centred (the baseline's middle), placed where no other label is (see
    /// [`place_labels`]); `(0, 0)` for an edge with no label.
    pub label_at: (i32, i32),
}

impl Edge {
    /// How far the drawn curve's control points stand out from its ends (a cubic Bézier from `(x1, y1)` through
    /// `(x1 + bend, y1)` and `(x2 - bend, y2)` to `(x2, y2)`).
    pub fn bend(&self) -> i32 {
        ((self.x2 - self.x1) / 2).max(40)
    }

    /// The point at `t` (0 to 1) along the drawn curve.
    fn at(&self, t: f64) -> (i32, i32) {
        let u = 1.0 - t;
        let cubic = |a: i32, b: i32, c: i32, d: i32| {
            (u * u * u * f64::from(a)
                + 3.0 * u * u * t * f64::from(b)
                + 3.0 * u * t * t * f64::from(c)
                + t * t * t * f64::from(d))
            .round() as i32
        };
        let bend = self.bend();
        (cubic(self.x1, self.x1 + bend, self.x2 - bend, self.x2), cubic(self.y1, self.y1, self.y2, self.y2))
    }
}

/// Places each edge's label on its own curve where no label placed before it lies: a link's word ("invalid") from a
/// fifth of the way along, an aggregate's or terminal connection's longer words near the VPC end, where the edges have
/// spread out; then further along, then back. Labels were put at one fixed point of each curve, and the words of
/// neighbouring invalid links, or of two links from one CVM, piled up into one unreadable column.
fn place_labels(edges: &mut [Edge]) {
    // Text of 11 px: about 6 px a character, 13 px a line.
    let mut placed: Vec<(i32, i32, i32)> = Vec::new();
    for e in edges.iter_mut().filter(|e| !e.label.is_empty()) {
        let half = 3 * e.label.chars().count() as i32 + 4;
        let clear =
            |(x, y): (i32, i32)| placed.iter().all(|&(px, py, ph)| (px - x).abs() >= half + ph || (py - y).abs() >= 13);
        let near_end = (e.x2 - 56, e.y2 + (e.y1 - e.y2) / 6);
        let along = [0.2, 0.3, 0.4, 0.5, 0.12, 0.6].map(|t| e.at(t));
        let first = if e.kind == EdgeKind::Link { along[0] } else { near_end };
        let spot = std::iter::once(first).chain(along).find(|&p| clear(p)).unwrap_or(first);
        placed.push((spot.0, spot.1, half));
        e.label_at = spot;
    }
}

/// The whole drawing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagram {
    pub width: i32,
    pub height: i32,
    pub regions: Vec<Region>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// The hops of the current reach answer, as points through the drawn objects.
    pub hops: Vec<(i32, i32)>,
    /// Whether part of the plan is drawn as aggregates.
    pub aggregated: bool,
}

/// What the layout depends on besides the plan.
#[derive(Clone, Debug, Default)]
pub struct LayoutInput<'a> {
    pub highlight: HashSet<&'a str>,
    pub selected: Option<&'a str>,
    pub collapsed: HashSet<&'a str>,
    /// How many classic instances to draw before aggregating.
    pub classic_limit: usize,
    /// How many resources to draw per subnet before aggregating.
    pub resource_limit: usize,
    /// The reach answer's hops (object IDs).
    pub hops: &'a [String],
    /// `[classic]` -> the link it is shown with and whether it carries traffic (`Refs::shown_link`).
    pub shown_links: &'a [Option<(usize, bool)>],
    /// `[link]` -> what became of it (`Refs::link_fate`): whether it carries traffic, and why not.
    pub fates: &'a [LinkFate],
}

fn rows(n: usize, cols: usize) -> i32 {
    n.div_ceil(cols) as i32
}

/// A tile's second line: the IP, then the state when not running, then the name.
fn tile_detail(ip: &str, name: &str, state: State) -> String {
    let mut s = ip.to_string();
    if state != State::Running {
        s.push_str(&format!(" · {state}"));
    }
    if !name.is_empty() {
        s.push_str(&format!(" · {name}"));
    }
    s
}

/// Lays out a plan.
pub fn layout(plan: &Plan, input: &LayoutInput<'_>) -> Diagram {
    let hl = |id: &str| input.highlight.contains(id);
    let sel = |id: &str| input.selected == Some(id);
    let mut d = Diagram::default();
    // Which links carry traffic, as the core decides (`Refs::link_fate`): the one Tencent Cloud made of each CVM's
    // links (a second link, one past the quota, out of range or across regions carries nothing), and only while the
    // CVM keeps the IP it was made for and still exists.
    let works = |l: usize| input.fates.get(l) == Some(&LinkFate::Works);
    let link_of = |c: usize| input.shown_links[c].map(|(l, w)| (plan.links[l].vpc.as_str(), w, l));
    let made = |l: usize| input.fates.get(l).is_some_and(LinkFate::made);

    // The classic network.
    let shown = plan.classic.len().min(input.classic_limit);
    // The selected instance is drawn too when it lies past the limit (chosen in a list or a search): after the others.
    let picked = input.selected.and_then(|s| plan.classic[shown..].iter().position(|c| c.id == s)).map(|p| p + shown);
    let drawn: Vec<usize> = (0..shown).chain(picked).collect();
    let hidden = plan.classic.len() - drawn.len();
    let tiles = drawn.len() + usize::from(hidden > 0);
    let classic_h = HEADER_H + (tiles.max(1) as i32) * (CLASSIC_TILE_H + CLASSIC_GAP) + PAD;
    let regions_of: Vec<&str> = {
        let mut r: Vec<&str> = plan.classic.iter().map(|c| c.region.as_str()).collect();
        crate::domain::sort::sort(&mut r);
        r.dedup();
        r
    };
    d.regions.push(Region {
        id: "classic".into(),
        kind: RegionKind::Classic,
        label: "Classic network".into(),
        detail: format!(
            "{} instance{}{}",
            plan.classic.len(),
            if plan.classic.len() == 1 { "" } else { "s" },
            if regions_of.is_empty() { String::new() } else { format!(" · {}", regions_of.join(", ")) }
        ),
        x: MARGIN,
        y: MARGIN,
        w: CLASSIC_W,
        h: classic_h,
        highlighted: false,
        selected: false,
        linkable: false,
        unlinkable_reason: None,
        collapsed: false,
        vpc: None,
    });
    let more_id = "more:classic".to_string();
    // Where each drawn object is, by ID (borrowed from the plan).
    let mut pos: HashMap<&str, (i32, i32, i32, i32)> = HashMap::default();
    // Subnet -> its "+N more" tile, where its resources not drawn are.
    let mut subnet_more: HashMap<&str, (i32, i32, i32, i32)> = HashMap::default();
    // A drawn instance's other listed links never made (the one it is shown with says its own), each VPC once.
    // One pass over the links for every tile (a plan of Tencent's size has thousands, and a view is laid out on each
    // hover): the links never made, by instance; most plans have few.
    let mut unmade_of: HashMap<&str, Vec<usize>> = HashMap::default();
    for (l, link) in plan.links.iter().enumerate() {
        if input.fates.get(l).is_some_and(|f| !f.made()) {
            unmade_of.entry(link.instance.as_str()).or_default().push(l);
        }
    }
    let also_unmade = |c: usize, shown: Option<usize>| -> Vec<String> {
        let id = plan.classic[c].id.as_str();
        let mut said: Vec<String> = Vec::new();
        let mut vpcs: Vec<&str> = Vec::new();
        for &l in unmade_of.get(id).into_iter().flatten().filter(|&&l| Some(l) != shown) {
            let (link, f) = (&plan.links[l], &input.fates[l]);
            if !vpcs.contains(&link.vpc.as_str()) {
                vpcs.push(&link.vpc);
                said.push(format!("to {}: {}", link.vpc, f.why(plan, l).unwrap_or_default()));
            }
        }
        said
    };
    for (row, &i) in drawn.iter().enumerate() {
        let c = &plan.classic[i];
        let (x, y) = (MARGIN + PAD, MARGIN + HEADER_H + row as i32 * (CLASSIC_TILE_H + CLASSIC_GAP));
        pos.insert(c.id.as_str(), (x, y, CLASSIC_TILE_W, CLASSIC_TILE_H));
        let link = link_of(i);
        d.nodes.push(Node {
            id: c.id.to_string(),
            kind: NodeKind::Classic(c.kind),
            label: c.id.to_string(),
            detail: tile_detail(&c.ip.to_string(), &c.name, c.state),
            x,
            y,
            w: CLASSIC_TILE_W,
            h: CLASSIC_TILE_H,
            highlighted: hl(&c.id),
            selected: sel(&c.id),
            state: c.state,
            linked_to: link.map(|(v, _, _)| v.to_string()),
            link_invalid: link.is_some_and(|(_, valid, _)| !valid),
            link_made: link.is_some_and(|(_, _, l)| made(l)),
            link_why: link.and_then(|(_, _, l)| input.fates.get(l)?.why(plan, l)),
            also_unmade: also_unmade(i, link.map(|(_, _, l)| l)),
            // Every classic instance still there: dropping a MySQL or CLB on a VPC answers why it cannot link (CL005).
            draggable: c.state != State::Returned,
            hidden: 0,
            vpc: None,
        });
    }
    if hidden > 0 {
        let (x, y) = (MARGIN + PAD, MARGIN + HEADER_H + drawn.len() as i32 * (CLASSIC_TILE_H + CLASSIC_GAP));
        let not_drawn = |&(i, _): &(usize, &ClassicInstance)| i >= shown && Some(i) != picked;
        // Linked: holding a link Tencent Cloud made (a listed link it refused links nothing).
        let hidden_linked = plan
            .classic
            .iter()
            .enumerate()
            .filter(not_drawn)
            .filter(|&(i, _)| input.shown_links[i].is_some_and(|(l, _)| made(l)))
            .count();
        pos.insert(more_id.as_str(), (x, y, CLASSIC_TILE_W, CLASSIC_TILE_H));
        d.nodes.push(Node {
            id: more_id.clone(),
            kind: NodeKind::More,
            label: format!("+{hidden} more"),
            detail: format!("{hidden_linked} linked"),
            x,
            y,
            w: CLASSIC_TILE_W,
            h: CLASSIC_TILE_H,
            highlighted: plan.classic.iter().enumerate().filter(not_drawn).any(|(_, c)| hl(&c.id)),
            selected: false,
            state: State::Running,
            linked_to: None,
            link_invalid: false,
            link_made: false,
            link_why: None,
            also_unmade: Vec::new(),
            draggable: false,
            hidden,
            vpc: None,
        });
        d.aggregated = true;
    }

    // The VPCs.
    let mut y = MARGIN;
    let mut vpc_anchor: HashMap<&str, (i32, i32)> = HashMap::default();
    for v in &plan.vpcs {
        let collapsed = input.collapsed.contains(v.id.as_str());
        let top = y;
        let mut peers: Vec<String> = plan
            .peerings
            .iter()
            .filter(|p| p.vpcs.contains(&v.id))
            .map(|p| {
                let other = p.vpcs.iter().find(|x| **x != v.id).cloned().unwrap_or_default();
                format!("peering {} ↔ {}", p.id, other)
            })
            .collect();
        peers.extend(plan.ccns.iter().filter(|c| c.vpcs.contains(&v.id)).map(|c| format!("CCN {}", c.id)));
        let mut detail = v.cidr.to_string();
        if !v.assistant_cidrs.is_empty() {
            let a: Vec<String> = v.assistant_cidrs.iter().map(|c| c.to_string()).collect();
            detail.push_str(&format!(" + assistant {}", a.join(", ")));
        }
        detail.push_str(&format!(" · {}", v.region));
        // Collapsed, what it holds comes before its peerings: a long list of those is what a narrow box cuts.
        if collapsed {
            detail.push_str(&format!(" · {} subnets, {} resources (collapsed)", v.subnets.len(), v.resources.len()));
        }
        if !peers.is_empty() {
            detail.push_str(&format!(" · {}", peers.join(", ")));
        }
        let mut inner_y = top + HEADER_H;
        let mut inner_regions = Vec::new();
        let mut inner_nodes = Vec::new();
        if !collapsed {
            for s in &v.subnets {
                let res: Vec<_> = v.resources.iter().filter(|r| r.subnet == s.id).collect();
                let shown = res.len().min(input.resource_limit);
                let more = res.len() - shown;
                let tiles = shown + usize::from(more > 0);
                let h = SUBNET_HEADER_H + rows(tiles, 3) * (TILE_H + GAP) + GAP / 2;
                let sx = VPC_X + PAD;
                for (i, r) in res.iter().take(shown).enumerate() {
                    let (x, ty) = (
                        sx + 10 + (i as i32 % 3) * (RES_TILE_W + GAP),
                        inner_y + SUBNET_HEADER_H + (i as i32 / 3) * (TILE_H + GAP),
                    );
                    pos.insert(r.id.as_str(), (x, ty, RES_TILE_W, TILE_H));
                    inner_nodes.push(Node {
                        id: r.id.to_string(),
                        kind: NodeKind::Resource(r.kind),
                        label: r.id.to_string(),
                        detail: tile_detail(&r.ip.to_string(), &r.name, r.state),
                        x,
                        y: ty,
                        w: RES_TILE_W,
                        h: TILE_H,
                        highlighted: hl(&r.id),
                        selected: sel(&r.id),
                        state: r.state,
                        linked_to: None,
                        link_invalid: false,
                        link_made: false,
                        link_why: None,
                        also_unmade: Vec::new(),
                        draggable: false,
                        hidden: 0,
                        vpc: Some(v.id.to_string()),
                    });
                }
                if more > 0 {
                    let i = shown as i32;
                    d.aggregated = true;
                    let (x, ty) =
                        (sx + 10 + (i % 3) * (RES_TILE_W + GAP), inner_y + SUBNET_HEADER_H + (i / 3) * (TILE_H + GAP));
                    subnet_more.insert(s.id.as_str(), (x, ty, RES_TILE_W, TILE_H));
                    inner_nodes.push(Node {
                        id: format!("more:{}", s.id),
                        kind: NodeKind::More,
                        label: format!("+{more} more"),
                        detail: "in this subnet".into(),
                        x,
                        y: ty,
                        w: RES_TILE_W,
                        h: TILE_H,
                        highlighted: res.iter().skip(shown).any(|r| hl(&r.id)),
                        selected: false,
                        state: State::Running,
                        linked_to: None,
                        link_invalid: false,
                        link_made: false,
                        link_why: None,
                        also_unmade: Vec::new(),
                        draggable: false,
                        hidden: more,
                        vpc: Some(v.id.to_string()),
                    });
                }
                let in_assistant = !v.cidr.covers(&s.cidr);
                pos.insert(s.id.as_str(), (sx, inner_y, VPC_W - 2 * PAD, SUBNET_HEADER_H));
                inner_regions.push(Region {
                    id: s.id.to_string(),
                    kind: RegionKind::Subnet,
                    label: if s.name.is_empty() { s.id.to_string() } else { format!("{} · {}", s.name, s.id) },
                    detail: format!(
                        "{}{}{}{}",
                        s.cidr,
                        if in_assistant { " (assistant CIDR)" } else { "" },
                        if s.zone.is_empty() { String::new() } else { format!(" · {}", s.zone) },
                        s.acl.as_ref().map(|a| format!(" · ACL {a}")).unwrap_or_default()
                    ),
                    x: sx,
                    y: inner_y,
                    w: VPC_W - 2 * PAD,
                    h: h.max(SUBNET_HEADER_H + GAP),
                    highlighted: hl(&s.id),
                    selected: sel(&s.id),
                    linkable: false,
                    unlinkable_reason: None,
                    collapsed: false,
                    vpc: Some(v.id.to_string()),
                });
                inner_y += h.max(SUBNET_HEADER_H + GAP) + GAP;
            }
            if !v.gateways.is_empty() {
                for (i, g) in v.gateways.iter().enumerate() {
                    let (x, gy) = (
                        VPC_X + PAD + 10 + (i as i32 % 3) * (GW_TILE_W + GAP),
                        inner_y + (i as i32 / 3) * (GW_TILE_H + GAP),
                    );
                    pos.insert(g.id.as_str(), (x, gy, GW_TILE_W, GW_TILE_H));
                    inner_nodes.push(Node {
                        id: g.id.to_string(),
                        kind: NodeKind::Gateway(g.kind),
                        label: g.id.to_string(),
                        detail: g.kind.label().to_string(),
                        x,
                        y: gy,
                        w: GW_TILE_W,
                        h: GW_TILE_H,
                        highlighted: hl(&g.id),
                        selected: sel(&g.id),
                        state: State::Running,
                        linked_to: None,
                        link_invalid: false,
                        link_made: false,
                        link_why: None,
                        also_unmade: Vec::new(),
                        draggable: false,
                        hidden: 0,
                        vpc: Some(v.id.to_string()),
                    });
                }
                inner_y += rows(v.gateways.len(), 3) * (GW_TILE_H + GAP);
            }
        }
        let h = (inner_y - top + if collapsed { 0 } else { PAD / 2 }).max(HEADER_H);
        d.regions.push(Region {
            id: v.id.to_string(),
            kind: RegionKind::Vpc,
            label: if v.name.is_empty() { v.id.to_string() } else { format!("{} · {}", v.name, v.id) },
            detail,
            x: VPC_X,
            y: top,
            w: VPC_W,
            h,
            // Collapsed, it stands for everything it holds: marked when any of it is.
            highlighted: hl(&v.id)
                || (collapsed
                    && (v.resources.iter().any(|r| hl(&r.id))
                        || v.subnets.iter().any(|s| hl(&s.id))
                        || v.gateways.iter().any(|g| hl(&g.id)))),
            selected: sel(&v.id),
            linkable: in_classiclink_range(&v.cidr),
            unlinkable_reason: super::unlinkable_reason(&v.cidr),
            collapsed,
            vpc: Some(v.id.to_string()),
        });
        pos.insert(v.id.as_str(), (VPC_X, top, VPC_W, HEADER_H));
        vpc_anchor.insert(v.id.as_str(), (VPC_X, top + HEADER_H / 2));
        d.regions.extend(inner_regions);
        d.nodes.extend(inner_nodes);
        y = top + h + 20;
    }

    // Links and terminal connections.
    // VPC -> (hidden links into it, all valid, any of their CVMs marked).
    let mut aggregate: BTreeMap<&str, (usize, bool, bool)> = BTreeMap::new();
    for (i, l) in plan.links.iter().enumerate() {
        let Some(&(x2, y2)) = vpc_anchor.get(l.vpc.as_str()) else { continue };
        let valid = works(i);
        match pos.get(l.instance.as_str()) {
            // Why it carries nothing, worked out for the drawn edges alone (a page of them).
            Some(&(_, ty, _, h)) => d.edges.push(Edge {
                why_invalid: input.fates.get(i).and_then(|f| f.why(plan, i)),
                kind: EdgeKind::Link,
                from: l.instance.to_string(),
                to: l.vpc.to_string(),
                label: if valid { String::new() } else { "invalid".into() },
                x1: MARGIN + CLASSIC_W,
                y1: ty + h / 2,
                x2,
                y2,
                valid,
                // Both ends marked (a finding naming both, a path along it), or its CVM selected: a VPC alone
                // marked does not light every link into it.
                // The selected CVM's link is lit with it, unless something else is marked instead.
                highlighted: (hl(&l.instance) && hl(&l.vpc)) || (sel(&l.instance) && hl(&l.instance)),
                label_at: (0, 0),
            }),
            None => {
                let e = aggregate.entry(l.vpc.as_str()).or_insert((0, true, false));
                e.0 += 1;
                e.1 &= valid;
                e.2 |= hl(&l.instance);
            }
        }
    }
    if let Some(&(_, ty, _, h)) = pos.get(more_id.as_str()) {
        for (vpc, (n, valid, marked)) in aggregate {
            let (x2, y2) = vpc_anchor[vpc];
            d.edges.push(Edge {
                kind: EdgeKind::Aggregate,
                from: more_id.clone(),
                to: vpc.to_string(),
                label: format!("{n} links"),
                x1: MARGIN + CLASSIC_W,
                y1: ty + h / 2,
                x2,
                y2,
                valid,
                why_invalid: None,
                highlighted: marked && hl(vpc),
                label_at: (0, 0),
            });
        }
    }
    for t in &plan.terminal_connections {
        let (Some(&(_, ty, _, h)), Some(&(x2, y2))) = (pos.get(t.target.as_str()), vpc_anchor.get(t.vpc.as_str()))
        else {
            continue;
        };
        d.edges.push(Edge {
            kind: EdgeKind::Terminal,
            from: t.target.to_string(),
            to: t.vpc.to_string(),
            label: format!("{} → {}", t.id, t.ip),
            x1: MARGIN + CLASSIC_W,
            y1: ty + h / 2,
            x2,
            y2,
            valid: true,
            why_invalid: None,
            // Named itself (a finding, a path through it), both its ends marked, or its target selected: a path
            // that merely starts at the target does not light it.
            highlighted: hl(&t.id) || (hl(&t.target) && hl(&t.vpc)) || (sel(&t.target) && hl(&t.target)),
            label_at: (0, 0),
        });
    }

    // The edges into one VPC end apart, in the order of their sources, 6 px apart at most, rather than all at one
    // point: each line and its arrowhead stay apart (two met on one arrow). A few are centred on the header; more
    // than its height holds spread down the VPC's left side, at least 1 px apart where the VPC is tall enough.
    let mut into: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in d.edges.iter().enumerate() {
        into.entry(e.to.as_str()).or_default().push(i);
    }
    let boxes: HashMap<&str, (i32, i32)> = d.regions.iter().map(|r| (r.id.as_str(), (r.y, r.h))).collect();
    let mut spread: Vec<(usize, i32)> = Vec::with_capacity(d.edges.len());
    for (vpc, mut ends) in into {
        let Some(&(top, h)) = boxes.get(vpc) else { continue };
        ends.sort_by_key(|&i| (d.edges[i].y1, i));
        let gaps = ends.len() as i32 - 1;
        let band = (6 * gaps).min((HEADER_H - 12).max(h - 16));
        let first = if band <= HEADER_H - 12 { top + HEADER_H / 2 - band / 2 } else { top + 8 };
        for (k, i) in ends.into_iter().enumerate() {
            let y = if gaps > 0 { first + k as i32 * band / gaps } else { top + HEADER_H / 2 };
            spread.push((i, y));
        }
    }
    for (i, y) in spread {
        d.edges[i].y2 = y;
    }
    place_labels(&mut d.edges);

    // A hop not drawn is drawn at the tile that holds it: a classic instance at the "+N more" tile, a resource at
    // its subnet's, anything in a collapsed VPC at the VPC's header. The line meets a classic tile at its right side
    // and a VPC's tile at its left, and passes a VPC or subnet near the left end of its header: through their
    // middles it crossed the tiles' names and the headers' text.
    let vpc_or_subnet = |id: &str| plan.vpcs.iter().any(|v| v.id == id || v.subnets.iter().any(|s| s.id == id));
    let point = |id: &str, (x, y, w, h): (i32, i32, i32, i32)| {
        if x < VPC_X {
            (x + w, y + h / 2)
        } else if vpc_or_subnet(id) {
            (x + 8, y + h / 2)
        } else {
            (x, y + h / 2)
        }
    };
    let at = |id: &str| -> Option<(i32, i32)> {
        if let Some(&r) = pos.get(id) {
            return Some(point(id, r));
        }
        if plan.classic.iter().any(|c| c.id == id) {
            return pos.get(more_id.as_str()).map(|&r| point(&more_id, r));
        }
        let v = plan.vpcs.iter().find(|v| {
            v.resources.iter().any(|r| r.id == id)
                || v.subnets.iter().any(|s| s.id == id)
                || v.gateways.iter().any(|g| g.id == id)
        })?;
        let subnet = v.resources.iter().find(|r| r.id == id).map(|r| r.subnet.as_str());
        match subnet.and_then(|s| subnet_more.get(s).copied()) {
            Some(more) => Some(point("", more)),
            None => pos.get(v.id.as_str()).map(|&r| point(&v.id, r)),
        }
    };
    d.hops = input.hops.iter().filter_map(|h| at(h.as_str())).fold(Vec::new(), |mut acc, p| {
        if acc.last() != Some(&p) {
            acc.push(p);
        }
        acc
    });
    let classic_bottom = MARGIN + classic_h;
    d.width = VPC_X + VPC_W + MARGIN;
    d.height = classic_bottom.max(y) + MARGIN;
    d
}
