//! The SVG diagram: the classic network and each VPC as regions, tiles for instances, edges for links. Laid out by
//! the session. A classic CVM is linked by dragging it onto a VPC (pointer events); every tile and region is also
//! a keyboard button (Enter / Space selects; L on a classic CVM selects it and goes to "Link to…").

use super::{dispatcher, use_store, Part};
use crate::session::layout::{Edge, EdgeKind, Node, NodeKind, Region, RegionKind};
use crate::session::Action;
use yew::prelude::*;

fn kind_badge(k: &NodeKind) -> &'static str {
    use crate::domain::model::{GatewayKind, Kind};
    match k {
        NodeKind::Classic(k) | NodeKind::Resource(k) => match k {
            Kind::Cvm => "CVM",
            Kind::Clb => "CLB",
            Kind::Mysql | Kind::Mariadb | Kind::Postgresql | Kind::Sqlserver | Kind::Tdsql => "DB",
            Kind::Memcached | Kind::Redis => "KV",
            Kind::Mongodb => "DOC",
        },
        NodeKind::Gateway(g) => match g {
            GatewayKind::Vpn => "VPN",
            GatewayKind::DirectConnect => "DC",
            GatewayKind::Nat => "NAT",
            GatewayKind::Public => "PUB",
        },
        NodeKind::More => "…",
    }
}

fn activate(cb: Callback<()>) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            cb.emit(());
        }
    })
}

/// The diagram card.
#[function_component]
pub fn Diagram() -> Html {
    let store = use_store();
    let vm = store.view.clone();
    let d = &vm.diagram;
    let dragging = use_state(|| None::<String>);
    // A selection made in the diagram itself is in view already: only one made elsewhere is scrolled to (below).
    let selected_here = use_mut_ref(|| false);
    let onselect = {
        let (select, selected_here) =
            (dispatcher(&store, |id: Option<String>| Action::Select(id)), selected_here.clone());
        Callback::from(move |id: Option<String>| {
            *selected_here.borrow_mut() = true;
            select.emit(id);
        })
    };
    // Dropping a CVM on a VPC selects the CVM and asks whether the link would be accepted (try before commit).
    let ontry = {
        let store = store.clone();
        Callback::from(move |(vpc, instance): (String, String)| {
            store.dispatch(Action::Select(Some(instance.clone())));
            store.dispatch(Action::TryLink { vpc, instances: vec![instance] });
        })
    };
    // A drop on anything inside a VPC (its box, a subnet, a resource, a gateway) is a drop on that VPC.
    let ondrop = {
        let (ontry, dragging) = (ontry.clone(), (*dragging).clone());
        Callback::from(move |vpc: String| {
            if let Some(ins) = dragging.clone() {
                ontry.emit((vpc, ins));
            }
        })
    };
    let oncollapse = dispatcher(&store, Action::ToggleCollapsed);
    let onmore = dispatcher(&store, |_: ()| Action::ShowMoreDiagram);
    let onpointerup_svg = {
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| dragging.set(None))
    };
    // Let go anywhere else on the page, the drag is cancelled (the diagram's own pointerup, which comes first, has
    // had its drop by then).
    {
        let dragging = dragging.clone();
        use_effect_with(dragging.is_some(), move |&on| {
            let listener = on.then(|| {
                gloo::events::EventListener::new(&gloo::utils::window(), "pointerup", move |_| dragging.set(None))
            });
            move || drop(listener)
        });
    }
    // A selection made elsewhere (a finding's chip, a list, a search) brings its tile into view, drawn at the end of
    // the classic column if it lay past the drawn ones; a VPC or a subnet, its region.
    // Keyed by the session's count of selections too: each one takes the flag, the same object selected again
    // included.
    use_effect_with((vm.selected.as_ref().map(|s| s.id.to_string()), vm.selections), move |(id, _)| {
        // Not after a click, Enter or L on a tile: it is in view, and L moves on to "Link to…", under the diagram.
        let here = std::mem::take(&mut *selected_here.borrow_mut());
        if let Some(id) = id.clone().filter(|_| !here) {
            gloo::timers::callback::Timeout::new(0, move || {
                let find = |what: &str| {
                    gloo::utils::document().query_selector(&format!("[data-testid=\"{what}-{id}\"]")).ok().flatten()
                };
                let tile = find("node").or_else(|| find("region"));
                if let Some(tile) = tile {
                    super::keep_in_view(&tile);
                }
            })
            .forget();
        }
    });
    let drag_label = (*dragging).clone();
    let class = classes!("diagram", drag_label.is_some().then_some("dragging"));
    // The containers in reading order: the classic network (no VPC), then each VPC as the diagram lists them.
    let mut groups: Vec<Option<String>> = vec![None];
    groups.extend(d.regions.iter().filter(|r| r.kind == RegionKind::Vpc).map(|r| r.vpc.clone()));
    html! {
        <section class="card diagram-card" aria-label="Network diagram">
            <div class="card-head">
                <h2>{ "Diagram" }</h2>
                // Both hints hold their place, one of them hidden: the header keeps the height of the taller, so the
                // diagram does not move under the pointer when a press on a tile starts a drag (at some widths the
                // drag's hint took a line less, the tiles moved up 30 px, and the press's click landed on another).
                <span class="hint swap" data-testid="diagram-hint">
                    <span aria-hidden={drag_label.is_some().to_string()} class={classes!(drag_label.is_some().then_some("off"))}>
                        { "Drag a classic CVM onto a VPC to try a link, or select it and use “Link to…” (L on a focused CVM goes there)." }
                    </span>
                    <span aria-hidden={drag_label.is_none().to_string()} class={classes!("one-line", drag_label.is_none().then_some("off"))}>
                        { format!("Drop {} on a VPC to try the link; release elsewhere to cancel.", drag_label.as_deref().unwrap_or("the CVM")) }
                    </span>
                </span>
                if d.aggregated {
                    <button class="link" data-testid="diagram-more" onclick={onmore.reform(|_: MouseEvent| ())}>
                        { format!("Draw more ({} of {} classic drawn)", d.nodes.iter().filter(|n| matches!(n.kind, NodeKind::Classic(_))).count(), vm.diagram_total) }
                    </button>
                }
            </div>
            <div class="diagram-scroll">
                // Its drawn width, for the least it shrinks to (style.css, svg.diagram).
                <svg class={class} data-testid="diagram" viewBox={format!("0 0 {} {}", d.width, d.height)}
                    width={d.width.to_string()} height={d.height.to_string()} role="group" style={format!("--natural-width: {}px", d.width)}
                    aria-label="Classic network and VPCs" onpointerup={onpointerup_svg}>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                        </marker>
                    </defs>
                    { for d.edges.iter().map(|e| html! { <EdgeLine edge={e.clone()} /> }) }
                    // One group per container, in reading order: the classic network, then each VPC, each holding its
                    // box, its subnets and its tiles, so that the keyboard goes through a container's contents before
                    // the next container. Each keyed list in a group of its own: the boxes and tiles keep their
                    // elements (and the keyboard focus) when others come and go, as when a VPC is collapsed.
                    { for groups.iter().map(|vpc| {
                        let key = vpc.clone().unwrap_or_default();
                        html! {
                            <g key={key} class="container">
                                { for d.regions.iter().filter(|r| r.vpc == *vpc).map(|r| html! {
                                    <RegionBox key={format!("{:?}:{}", r.kind, r.id)} region={r.clone()} onselect={onselect.clone()}
                                        ondrop={ondrop.clone()} oncollapse={oncollapse.clone()} />
                                }) }
                                { for d.nodes.iter().filter(|n| n.vpc == *vpc).map(|n| {
                                    let dragging = dragging.clone();
                                    html! {
                                        <NodeTile key={n.id.clone()} node={n.clone()} onselect={onselect.clone()} onmore={onmore.clone()}
                                            ondrag={Callback::from(move |id: String| dragging.set(Some(id)))} ondrop={ondrop.clone()} />
                                    }
                                }) }
                            </g>
                        }
                    }) }
                    if d.hops.len() > 1 {
                        // A blocked flow's hops are drawn as far as it got, in the colour of a refusal (dashed, over
                        // the tiles, letting them show through).
                        <polyline class={classes!("hops", vm.reach.as_ref().is_some_and(|q| q.outcome.as_ref().is_ok_and(|a| !a.reachable)).then_some("blocked"))}
                            data-testid="reach-hops"
                            points={d.hops.iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" ")} />
                    }
                </svg>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RegionProps {
    region: Region,
    onselect: Callback<Option<String>>,
    /// A pointer released over it, with the VPC it is or lies in.
    ondrop: Callback<String>,
    oncollapse: Callback<String>,
}

#[function_component]
fn RegionBox(props: &RegionProps) -> Html {
    let r = &props.region;
    let select = {
        let cb = props.onselect.clone();
        let id = r.id.clone();
        let kind = r.kind;
        Callback::from(move |_: ()| cb.emit((kind != RegionKind::Classic).then(|| id.clone())))
    };
    let onclick = select.reform(|e: MouseEvent| e.stop_propagation());
    let onkeydown = activate(select);
    let onpointerup = {
        let (ondrop, vpc) = (props.ondrop.clone(), r.vpc.clone());
        Callback::from(move |_: PointerEvent| {
            if let Some(v) = &vpc {
                ondrop.emit(v.clone());
            }
        })
    };
    let kind = match r.kind {
        RegionKind::Classic => "classic",
        RegionKind::Vpc => "vpc",
        RegionKind::Subnet => "subnet",
    };
    let class = classes!(
        "region",
        kind,
        r.highlighted.then_some("highlighted"),
        r.selected.then_some("selected"),
        (r.kind == RegionKind::Vpc && r.linkable).then_some("linkable"),
        (r.kind == RegionKind::Vpc && !r.linkable).then_some("unlinkable"),
    );
    let header = if r.kind == RegionKind::Subnet { 26 } else { 52 };
    let collapse = (r.kind == RegionKind::Vpc).then(|| {
        let cb = props.oncollapse.clone();
        let id = r.id.clone();
        let toggle = Callback::from(move |_: ()| cb.emit(id.clone()));
        let onclick = toggle.reform(|e: MouseEvent| e.stop_propagation());
        let onkeydown = activate(toggle);
        let (x, y) = (r.x + r.w - 28, r.y + 10);
        html! {
            <g class="collapse" role="button" tabindex="0" {onclick} {onkeydown}
                aria-label={format!("{} {}", if r.collapsed { "Expand" } else { "Collapse" }, r.id)}
                aria-expanded={(!r.collapsed).to_string()} data-testid={format!("collapse-{}", r.id)}>
                <rect x={x.to_string()} y={y.to_string()} width="20" height="20" rx="4" />
                <text x={(x + 10).to_string()} y={(y + 14).to_string()} text-anchor="middle">
                    { if r.collapsed { "+" } else { "−" } }
                </text>
            </g>
        }
    });
    html! {
        <g class={class} data-testid={format!("region-{}", r.id)} data-id={r.id.clone()}>
            // The classic network selects nothing (a click on it clears the selection): a labelled group, not a
            // button the keyboard could not reach.
            <g role={if r.kind == RegionKind::Classic { "group" } else { "button" }}
                tabindex={(r.kind != RegionKind::Classic).then_some("0")} {onclick} {onkeydown} {onpointerup}
                aria-label={format!("{} {} — {}{}", kind, r.label, r.detail,
                    r.unlinkable_reason.as_ref().map(|why| format!(" — {why}")).unwrap_or_default())}>
                <rect class="region-box" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()}
                    height={r.h.to_string()} rx="10" />
                <rect class="region-head" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()}
                    height={header.to_string()} rx="10" />
                <text class="region-label" x={(r.x + 12).to_string()} y={(r.y + if header > 30 { 22 } else { 17 }).to_string()}>
                    { &r.label }
                    if r.kind == RegionKind::Subnet {
                        <tspan class="region-detail" dx="10">{ &r.detail }</tspan>
                    }
                </text>
                if r.kind != RegionKind::Subnet {
                    // Cut to the box (about 6.3 px a character at 11.5 px), whole in the name and the tooltip.
                    <text class="region-detail" x={(r.x + 12).to_string()} y={(r.y + 40).to_string()}>
                        <title>{ &r.detail }</title>
                        { clip(&r.detail, ((r.w - 24) * 10 / 63).max(8) as usize) }
                    </text>
                }
            </g>
            { for collapse }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct NodeProps {
    node: Node,
    onselect: Callback<Option<String>>,
    onmore: Callback<()>,
    ondrag: Callback<String>,
    /// A pointer released over it, with the VPC it lies in.
    ondrop: Callback<String>,
}

#[function_component]
fn NodeTile(props: &NodeProps) -> Html {
    let n = &props.node;
    let is_more = n.kind == NodeKind::More;
    let activate_cb = {
        let id = n.id.clone();
        let sel = props.onselect.clone();
        let more = props.onmore.clone();
        Callback::from(move |_: ()| if is_more { more.emit(()) } else { sel.emit(Some(id.clone())) })
    };
    // A click takes the focus to the tile (a draggable tile's pointerdown keeps the browser from doing so), and the
    // keyboard goes on from there.
    let onclick = activate_cb.reform(|e: MouseEvent| {
        e.stop_propagation();
        let target = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
        if let Some(tile) = target.and_then(|t| t.closest("g.node").ok().flatten()) {
            super::focus_quietly(&tile);
        }
    });
    // A classic CVM that can be linked: L selects it and takes the focus to the Selection tab's "Link to…" (the
    // keyboard's way to a link, without tabbing past every other tile).
    let onkeydown = {
        let enter = activate(activate_cb);
        let cvm = n.kind == NodeKind::Classic(crate::domain::model::Kind::Cvm);
        let (id, select, linkable) = (n.id.clone(), props.onselect.clone(), n.draggable && cvm);
        Callback::from(move |e: KeyboardEvent| {
            let plain = !(e.ctrl_key() || e.meta_key() || e.alt_key());
            if linkable && plain && e.key().eq_ignore_ascii_case("l") {
                e.prevent_default();
                select.emit(Some(id.clone()));
                // The Selection tab opens on the render after the selection's: its "Link to…" for this CVM.
                let id = id.clone();
                super::focus_once_drawn(Part::Selection, move || {
                    let selector = format!("[data-testid=\"selection\"][data-id=\"{id}\"] #link-target");
                    gloo::utils::document().query_selector(&selector).ok().flatten()
                });
            } else {
                enter.emit(e);
            }
        })
    };
    let onpointerdown = {
        let id = n.id.clone();
        let drag = props.ondrag.clone();
        let draggable = n.draggable;
        Callback::from(move |e: PointerEvent| {
            if draggable && e.button() == 0 {
                e.prevent_default();
                drag.emit(id.clone());
            }
        })
    };
    let onpointerup = {
        let (ondrop, vpc) = (props.ondrop.clone(), n.vpc.clone());
        Callback::from(move |_: PointerEvent| {
            if let Some(v) = &vpc {
                ondrop.emit(v.clone());
            }
        })
    };
    let side = match n.kind {
        NodeKind::Classic(_) => "classic",
        NodeKind::Resource(_) => "resource",
        NodeKind::Gateway(_) => "gateway",
        NodeKind::More => "more",
    };
    let class = classes!(
        "node",
        side,
        format!("state-{}", n.state),
        n.link_made.then_some("linked"),
        n.highlighted.then_some("highlighted"),
        n.selected.then_some("selected"),
        n.draggable.then_some("draggable"),
    );
    let aria = if is_more {
        format!("{} — {}; press Enter to draw more", n.label, n.detail)
    } else {
        format!(
            "{} — {}{}{}",
            n.label,
            n.detail,
            n.linked_to
                .as_ref()
                .map(|v| {
                    let why = n.link_why.as_deref().unwrap_or_default();
                    match (n.link_made, n.link_invalid) {
                        (true, false) => format!(", linked to {v}"),
                        (true, true) => format!(", link to {v} invalid: {why}"),
                        (false, _) => format!(", not linked: its listed link to {v} was never made: {why}"),
                    }
                })
                .unwrap_or_default(),
            if n.also_unmade.is_empty() {
                String::new()
            } else {
                format!("; also lists links never made: {}", n.also_unmade.join("; "))
            }
        )
    };
    let text_x = n.x + 44;
    html! {
        <g class={class} role="button" tabindex="0" aria-label={aria.clone()} aria-pressed={n.selected.to_string()}
            aria-keyshortcuts={(n.draggable && n.kind == NodeKind::Classic(crate::domain::model::Kind::Cvm)).then_some("L")}
            data-testid={format!("node-{}", n.id)} data-id={n.id.clone()} {onclick} {onkeydown} {onpointerdown} {onpointerup}>
            <title>{ &aria }</title>
            <rect class="tile" x={n.x.to_string()} y={n.y.to_string()} width={n.w.to_string()} height={n.h.to_string()} rx="6" />
            <rect class="badge" x={(n.x + 6).to_string()} y={(n.y + n.h / 2 - 10).to_string()} width="32" height="20" rx="4" />
            <text class="badge-text" x={(n.x + 22).to_string()} y={(n.y + n.h / 2 + 4).to_string()} text-anchor="middle">
                { kind_badge(&n.kind) }
            </text>
            <text class="tile-label" x={text_x.to_string()} y={(n.y + if n.h > 36 { n.h / 2 - 3 } else { 14 }).to_string()}>
                { clip(&n.label, ((n.w - 50) / 7) as usize) }
            </text>
            <text class="tile-detail" x={text_x.to_string()} y={(n.y + if n.h > 36 { n.h / 2 + 13 } else { 27 }).to_string()}>
                { clip(&n.detail, ((n.w - 50) / 7) as usize) }
            </text>
        </g>
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[derive(Properties, PartialEq)]
struct EdgeProps {
    edge: Edge,
}

#[function_component]
fn EdgeLine(props: &EdgeProps) -> Html {
    let e = &props.edge;
    let bend = e.bend();
    let d = format!("M {} {} C {} {}, {} {}, {} {}", e.x1, e.y1, e.x1 + bend, e.y1, e.x2 - bend, e.y2, e.x2, e.y2);
    let kind = match e.kind {
        EdgeKind::Link => "link",
        EdgeKind::Aggregate => "aggregate",
        EdgeKind::Terminal => "terminal",
    };
    let class = classes!("edge", kind, (!e.valid).then_some("invalid"), e.highlighted.then_some("highlighted"));
    // An edge carrying nothing says why (the session's words, from the core's `LinkFate`); an aggregate of links
    // that do not all work says so.
    let title = match (&e.why_invalid, e.valid) {
        (_, true) => format!("{kind} {} → {}", e.from, e.to),
        (Some(why), false) => format!("{kind} {} → {}: carries nothing: {why}", e.from, e.to),
        (None, false) => format!("{kind} {} → {}: some of these links carry nothing (see the checks)", e.from, e.to),
    };
    html! {
        <g class={class} data-testid={format!("edge-{}-{}", e.from, e.to)} data-valid={e.valid.to_string()}>
            <path d={d} marker-end="url(#arrow)">
                <title>{ title }</title>
            </path>
            if !e.label.is_empty() {
                // Placed by the layout where no other label lies.
                <text class="edge-label" x={e.label_at.0.to_string()} y={(e.label_at.1 - 6).to_string()} text-anchor="middle">{ &e.label }</text>
            }
        </g>
    }
}
