//! The workbench under the diagram: the selected object (link to…, try before commit, lifecycle what-if), bulk
//! links with search by private IP, reachability with its matrix, and drawing forms.

use super::{dispatcher, draw, tools, use_store, Part};
use crate::session::{event_key, Action, BulkRow, ObjectKind, TryAnswer, LIFECYCLE};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Selection,
    Links,
    Reach,
    Draw,
    Tools,
}

impl Tab {
    const ALL: [Tab; 5] = [Tab::Selection, Tab::Links, Tab::Reach, Tab::Draw, Tab::Tools];
    fn label(&self) -> &'static str {
        match self {
            Tab::Selection => "Selection",
            Tab::Links => "Links",
            Tab::Reach => "Reachability",
            Tab::Draw => "Draw",
            Tab::Tools => "Tools",
        }
    }
    fn key(&self) -> &'static str {
        match self {
            Tab::Selection => "selection",
            Tab::Links => "links",
            Tab::Reach => "reach",
            Tab::Draw => "draw",
            Tab::Tools => "tools",
        }
    }
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The tabbed workbench.
#[function_component]
pub fn Workbench() -> Html {
    let store = use_store();
    let vm = store.view.clone();
    let tab = use_state(|| Tab::Selection);
    // Each selection shows the Selection tab, the object already selected included (Enter or L on its tile, from
    // another tab): keyed by the session's count of selections as well as by the selected object.
    {
        let tab = tab.clone();
        use_effect_with((vm.selected.as_ref().map(|s| s.id.to_string()), vm.selections), move |(sel, _)| {
            if sel.is_some() {
                tab.set(Tab::Selection);
            }
        });
    }
    // A form opening, or asking whether to discard its unsaved changes (another form was asked for from elsewhere,
    // say the Selection tab's Edit), shows the Draw tab where it is.
    {
        let tab = tab.clone();
        let key = vm.form.as_ref().map(|f| (f.kind, f.editing.clone(), f.discard.is_some()));
        use_effect_with(key, move |f| {
            if f.is_some() {
                tab.set(Tab::Draw);
            }
        });
    }
    {
        let tab = tab.clone();
        let key = vm.reach.as_ref().map(|r| (r.from.clone(), r.to.clone(), r.protocol.clone(), r.port.clone()));
        use_effect_with(key, move |k| {
            if k.is_some() {
                tab.set(Tab::Reach);
            }
        });
    }
    let onkeydown = {
        let tab = tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            let i = Tab::ALL.iter().position(|t| *t == *tab).unwrap_or(0);
            if let Some(next) = super::tab_key(&e, i, Tab::ALL.len()) {
                tab.set(Tab::ALL[next]);
            }
        })
    };
    html! {
        <section class="card workbench" aria-label="Workbench">
            // The section's heading, for the outline its tabs' h3s sit in (read by screen readers, not shown).
            <h2 class="visually-hidden">{ "Workbench" }</h2>
            <div class="tabs" role="tablist" aria-label="Workbench sections" {onkeydown}>
                { for Tab::ALL.iter().map(|t| {
                    let selected = *tab == *t;
                    let onclick = { let tab = tab.clone(); let t = *t; Callback::from(move |_: MouseEvent| tab.set(t)) };
                    html! {
                        <button role="tab" id={format!("tab-{}", t.key())} aria-selected={selected.to_string()}
                            aria-controls={selected.then(|| format!("tabpanel-{}", t.key()))} tabindex={if selected { "0" } else { "-1" }}
                            class={classes!("tab", selected.then_some("active"))} data-testid={format!("tab-{}", t.key())} {onclick}>
                            { t.label() }
                        </button>
                    }
                }) }
            </div>
            <div class="tabpanel" role="tabpanel" id={format!("tabpanel-{}", tab.key())} aria-labelledby={format!("tab-{}", tab.key())}>
                {
                    match *tab {
                        // Keyed by the selection: the "Link to…" choice starts afresh for each object.
                        Tab::Selection => html! { <SelectionPanel key={vm.selected.as_ref().map(|s| s.id.to_string()).unwrap_or_default()} /> },
                        Tab::Links => html! { <LinksPanel /> },
                        Tab::Reach => html! { <ReachPanel /> },
                        Tab::Draw => html! { <draw::DrawPanel /> },
                        Tab::Tools => html! { <tools::ToolsPanel /> },
                    }
                }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct TryProps {
    answer: TryAnswer,
}

/// The answer to a try-link: accepted, or the exact API error and the rule behind it.
#[function_component]
fn TryAnswerBox(props: &TryProps) -> Html {
    let a = &props.answer;
    let who = if a.instances.len() == 1 { a.instances[0].clone() } else { format!("{} CVMs", a.instances.len()) };
    match &a.refusal {
        None => html! {
            <div class="answer ok" data-testid="try-answer" data-accepted="true" role="status">
                <span aria-hidden="true">{ "✔ " }</span>
                <strong>{ "Accepted: " }</strong>{ format!("AttachClassicLinkVpc would link {who} to {}.", a.vpc) }
            </div>
        },
        Some(r) => html! {
            <div class="answer bad" data-testid="try-answer" data-accepted="false" data-api-error={r.api_error} role="status">
                <span aria-hidden="true">{ "✖ " }</span>
                <strong>{ "Refused: " }</strong>{ super::api_code(r.api_error, None) }
                if let Some(rule) = r.rule { { " " }<span class="rule-id">{ rule }</span> }
                <p>{ &r.message }</p>
            </div>
        },
    }
}

#[function_component]
fn SelectionPanel() -> Html {
    let store = use_store();
    let vm = store.view.clone();
    super::use_chosen_options();
    // "Link to…" takes the focus once drawn, after Unlink or L on a tile (see `focus_once_drawn`).
    super::use_focus_requests(Part::Selection);
    let target = use_state(String::new);
    let new_ip = use_state(String::new);
    // A new try (a CVM dropped on a VPC, or a Try button) answers for its VPC: the menu follows it, so that Link
    // makes the link just tried rather than one picked earlier.
    {
        let target = target.clone();
        let tried = vm.try_answer.as_ref().map(|t| (t.vpc.to_string(), t.instances.clone()));
        use_effect_with(tried, move |_| target.set(String::new()));
    }
    let Some(sel) = vm.selected.clone() else {
        return html! {
            <p class="empty" data-testid="no-selection">
                { "Select an instance, resource or VPC in the diagram (click, or Tab to it and press Enter)." }
            </p>
        };
    };
    let id = sel.id.clone();
    let onedit = {
        let (id, kind) = (id.clone(), sel.kind);
        dispatcher(&store, move |_: MouseEvent| Action::OpenForm { kind, id: Some(id.clone()), vpc: None })
    };
    let ondelete = {
        let id = id.clone();
        dispatcher(&store, move |_: MouseEvent| Action::Delete { id: id.clone() })
    };
    let cvm_html = sel.cvm.clone().map(|c| {
        // The chosen target: what the user picked, else the VPC of the last try, else none. Never a VPC the user
        // did not choose: Link would then commit a target whose answer was never shown (choosing answers first).
        let chosen = if !target.is_empty() {
            (*target).clone()
        } else {
            vm.try_answer
                .as_ref()
                .filter(|t| t.instances == [id.clone()])
                .map(|t| t.vpc.to_string())
                .unwrap_or_default()
        };
        let onchange = {
            let target = target.clone();
            let id = id.clone();
            let store = store.clone();
            Callback::from(move |e: Event| {
                let v = select_value(&e);
                target.set(v.clone());
                if !v.is_empty() {
                    store.dispatch(Action::TryLink { vpc: v, instances: vec![id.clone()] });
                }
            })
        };
        let ontry = {
            let (id, chosen) = (id.clone(), chosen.clone());
            dispatcher(&store, move |_: MouseEvent| Action::TryLink { vpc: chosen.clone(), instances: vec![id.clone()] })
        };
        let onlink = {
            let (id, chosen) = (id.clone(), chosen.clone());
            dispatcher(&store, move |_: MouseEvent| Action::Link { vpc: chosen.clone(), instances: vec![id.clone()] })
        };
        let onunlink = c.linked_to.clone().map(|vpc| {
            let (id, store) = (id.clone(), store.clone());
            Callback::from(move |e: MouseEvent| {
                // Unlink goes away with the link: the focus goes to "Link to…", the likelier next step, rather than
                // to the panel's first control.
                let panel = e.target_dyn_into::<web_sys::Element>().and_then(|b| b.closest(".selection").ok().flatten());
                store.dispatch(Action::Unlink { vpc: vpc.clone(), instances: vec![id.clone()] });
                if let Some(panel) = panel {
                    super::focus_once_drawn(Part::Selection, move || {
                        panel.query_selector("[data-testid=\"link-target\"]").ok().flatten()
                    });
                }
            })
        });
        let try_here = vm.try_answer.clone().filter(|t| t.instances == [id.clone()]);
        let refused_here = try_here.as_ref().is_some_and(|t| t.refusal.is_some() && t.vpc == chosen);
        let onip = {
            let new_ip = new_ip.clone();
            Callback::from(move |e: InputEvent| new_ip.set(e.target_unchecked_into::<HtmlInputElement>().value()))
        };
        let onchangeip = {
            let (id, ip) = (id.clone(), (*new_ip).clone());
            dispatcher(&store, move |e: SubmitEvent| {
                e.prevent_default();
                Action::ChangeIp { instance: id.clone(), ip: ip.clone() }
            })
        };
        html! {
            <>
            <h3>{ "Classiclink" }</h3>
            <p data-testid="link-status">
                {
                    match &c.linked_to {
                        Some(v) => html! { <>{ "Linked to " }<strong>{ v }</strong>
                            if let Some(note) = &c.link_ip_note { { format!(" ({note})") } }
                            if !c.link_valid {
                                { " " }<span class="tag bad" data-testid="link-invalid">{ "✖ invalid link: it carries nothing (see the checks)" }</span>
                            }
                        </> },
                        None => html! { { "Not linked." } },
                    }
                }
                if let Some(onunlink) = onunlink {
                    { " " }<button data-testid="unlink-button" onclick={onunlink}>{ "Unlink" }</button>
                }
                // A link an IP change invalidated must be added again (seed 001): both calls in one step.
                if let (Some(vpc), Some(_)) = (c.linked_to.clone(), &c.link_ip_note) {
                    { " " }<button data-testid="relink-button" onclick={
                        let id = id.clone();
                        dispatcher(&store, move |_: MouseEvent| Action::Relink { vpc: vpc.clone(), instance: id.clone() })
                    }>{ "Relink for the new IP" }</button>
                }
            </p>
            // Listed links Tencent Cloud never made: they carry nothing, and Unlink drops them from the plan; a
            // returned CVM's went with it, and Delete drops the instance with its links.
            { unmade_list(&store, &id, &c.unmade, c.returned) }
            <div class="row">
                <label for="link-target">{ "Link to…" }</label>
                <select id="link-target" data-testid="link-target" {onchange} data-value={chosen.clone()}>
                    <option value="" disabled=true selected={chosen.is_empty()}>
                        { if vm.vpcs.is_empty() { "No VPC in the plan" } else { "Choose a VPC…" } }
                    </option>
                    { for vm.vpcs.iter().map(|(v, label)| html! {
                        <option value={v.clone()} selected={*v == chosen}>{ label }</option>
                    }) }
                </select>
                <button data-testid="try-link" onclick={ontry} disabled={chosen.is_empty()}>{ "Try" }</button>
                // Refused by the try, Link stays (trying it anyway says the same refusal) but is no longer the main
                // action, nor says it is.
                <button class={classes!((!refused_here).then_some("primary"))} data-testid="link-button" onclick={onlink}
                    disabled={chosen.is_empty() || c.returned}>
                    { if refused_here { "Link anyway" } else { "Link" } }
                </button>
            </div>
            if let Some(a) = try_here { <TryAnswerBox answer={a} /> }

            <h3>{ "What if…" }</h3>
            <div class="row wrap" role="group" aria-label="Lifecycle events">
                { for LIFECYCLE.iter().map(|(ev, label)| {
                    let id = id.clone();
                    let ev = *ev;
                    let onclick = dispatcher(&store, move |_: MouseEvent| Action::ApplyEvent { instance: id.clone(), event: ev });
                    html! { <button data-testid={format!("event-{}", event_key(&ev))} {onclick}>{ *label }</button> }
                }) }
            </div>
            // A form: Enter in the field changes the IP, as the button does.
            <form class="row" onsubmit={onchangeip}>
                <label for="new-ip">{ "New private IP" }</label>
                <input id="new-ip" data-testid="change-ip-input" placeholder={c.ip.clone()} value={(*new_ip).clone()} oninput={onip}
                    aria-invalid={c.ip_error.is_some().then_some("true")} aria-describedby={c.ip_error.is_some().then_some("new-ip-error")} />
                <button type="submit" data-testid="change-ip-button">{ "Change IP" }</button>
                if let Some(e) = &c.ip_error { <small id="new-ip-error" class="field-error">{ "✖ " }{ e }</small> }
            </form>
            if !vm.effects.is_empty() {
                <ul class="effects" data-testid="effects" aria-label="Effects">
                    { for vm.effects.iter().map(|e| html! { <li>{ e }</li> }) }
                </ul>
            }
            </>
        }
    });
    html! {
        <div class="selection" data-testid="selection" data-id={id.clone()}>
            <div class="row spread">
                <h3>{ &sel.title }</h3>
                <div class="row small">
                    <button data-testid="edit-selected" onclick={onedit}>{ "Edit" }</button>
                    <button class="danger" data-testid="delete-selected" onclick={ondelete}>{ "Delete" }</button>
                </div>
            </div>
            if !sel.facts.is_empty() {
                <dl class="facts">
                    { for sel.facts.iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
                </dl>
            }
            { for cvm_html }
            { unmade_list(&store, &id, &sel.non_cvm_links, false) }
            if sel.kind == ObjectKind::Vpc {
                <VpcActions vpc={id.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct VpcActionsProps {
    vpc: String,
}

#[function_component]
fn VpcActions(props: &VpcActionsProps) -> Html {
    let store = use_store();
    let add = |kind: ObjectKind| {
        let vpc = props.vpc.clone();
        dispatcher(&store, move |_: MouseEvent| Action::OpenForm { kind, id: None, vpc: Some(vpc.clone()) })
    };
    let onbulk = {
        let vpc = props.vpc.clone();
        dispatcher(&store, move |_: MouseEvent| Action::BulkVpc(vpc.clone()))
    };
    html! {
        <div class="row wrap">
            <button onclick={add(ObjectKind::Subnet)}>{ "Add subnet" }</button>
            <button onclick={add(ObjectKind::Resource)}>{ "Add resource" }</button>
            <button onclick={add(ObjectKind::Gateway)}>{ "Add gateway" }</button>
            <button onclick={onbulk}>{ "Use in Links tab" }</button>
        </div>
    }
}

#[function_component]
fn LinksPanel() -> Html {
    let store = use_store();
    let vm = store.view.clone();
    let Some(b) = vm.bulk.clone() else {
        return html! { <p class="empty">{ "Add a VPC first (Draw → VPC)." }</p> };
    };
    let onvpc = dispatcher(&store, |e: Event| Action::BulkVpc(select_value(&e)));
    let onsearch =
        dispatcher(&store, |e: InputEvent| Action::Search(e.target_unchecked_into::<HtmlInputElement>().value()));
    let ontoggle = dispatcher(&store, Action::ToggleCheck);
    let onmore = dispatcher(&store, |_: MouseEvent| Action::ShowMoreList);
    let (checked_linked, checked_other) = (b.checked_linked.clone(), b.checked_candidates.clone());
    let hidden = |n: usize| if n == 0 { String::new() } else { format!("; {n} not shown") };
    let vpc = b.vpc.clone();
    let onunlink = {
        let (vpc, ids) = (vpc.clone(), checked_linked.clone());
        dispatcher(&store, move |_: MouseEvent| Action::Unlink { vpc: vpc.clone(), instances: ids.clone() })
    };
    let ontry = {
        let (vpc, ids) = (vpc.clone(), checked_other.clone());
        dispatcher(&store, move |_: MouseEvent| Action::TryLink { vpc: vpc.clone(), instances: ids.clone() })
    };
    let onlink = {
        let (vpc, ids) = (vpc.clone(), checked_other.clone());
        dispatcher(&store, move |_: MouseEvent| Action::Link { vpc: vpc.clone(), instances: ids.clone() })
    };
    let all = |rows: &[BulkRow], on: bool| {
        let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
        let keep: Vec<String> = b.checked.iter().filter(|c| !ids.contains(c)).cloned().collect();
        dispatcher(&store, move |_: Event| {
            let mut next = keep.clone();
            if on {
                next.extend(ids.iter().cloned());
            }
            Action::SetChecks(next)
        })
    };
    let all_linked_on = !b.linked.is_empty() && b.linked.iter().all(|r| r.checked);
    let all_other_on = !b.candidates.is_empty() && b.candidates.iter().all(|r| r.checked);
    let try_here = vm.try_answer.clone().filter(|t| t.vpc == vpc && t.instances == checked_other);
    let more = b.linked.len() < b.linked_total || b.candidates.len() < b.candidates_total;
    html! {
        <div class="links-panel">
            <div class="row wrap">
                <label for="bulk-vpc">{ "VPC" }</label>
                <select id="bulk-vpc" data-testid="bulk-vpc" onchange={onvpc} data-value={vpc.clone()}>
                    { for vm.vpcs.iter().map(|(v, label)| html! { <option value={v.clone()} selected={*v == vpc}>{ label }</option> }) }
                </select>
                <label for="search-ip">{ "Search by private IP, ID or name" }</label>
                <input id="search-ip" type="search" data-testid="search-ip" placeholder="e.g. 10.66.12" value={vm.search.clone()} oninput={onsearch} />
            </div>
            // Always in the page: what a search finds (or that it finds nothing) is announced as it changes.
            <div aria-live="polite" class="search-said">
                if !vm.search.trim().is_empty() && b.linked_total + b.candidates_total == 0 {
                    <p class="hint" data-testid="search-none">
                        { format!("No classic CVM's private IP, ID or name contains \"{}\".", vm.search.trim()) }
                    </p>
                } else if !vm.search.trim().is_empty() {
                    <p class="visually-hidden" data-testid="search-found">
                        { format!("{} linked to {} and {} other classic CVMs match", b.linked_total, b.vpc, b.candidates_total) }
                    </p>
                }
            </div>
            <div class="two-lists">
                <fieldset>
                    // Every CVM listing a link here, made or not: a link never made is unlinked (dropped) here too.
                    <legend>{ format!("{} {vpc} ({})", if b.note.is_some() { "Listing a link to" } else { "Linked to" }, b.linked_count) }</legend>
                    if let Some(note) = &b.note {
                        <p class="hint" data-testid="bulk-refused-note">{ note }</p>
                    }
                    // With none shown (a search that matches none here), nothing to select.
                    if !b.linked.is_empty() {
                        <label class="check-all">
                            <input type="checkbox" checked={all_linked_on} onchange={all(&b.linked, !all_linked_on)}
                                aria-label={format!("Select all shown CVMs linked to {vpc}")} />
                            <span aria-hidden="true">{ " Select all shown" }</span>
                        </label>
                    }
                    <ul class="check-list" data-testid="bulk-linked">
                        { for b.linked.iter().map(|r| html! { <BulkItem row={r.clone()} ontoggle={ontoggle.clone()} prefix="linked" /> }) }
                    </ul>
                    <button class="danger" data-testid="bulk-unlink" disabled={checked_linked.is_empty()} onclick={onunlink}>
                        { format!("Unlink selected ({}{})", checked_linked.len(), hidden(b.checked_linked_hidden)) }
                    </button>
                </fieldset>
                <fieldset>
                    <legend>{ format!("Other classic CVMs ({})", b.candidates_count) }</legend>
                    if !b.candidates.is_empty() {
                        <label class="check-all">
                            <input type="checkbox" checked={all_other_on} onchange={all(&b.candidates, !all_other_on)}
                                aria-label="Select all shown other classic CVMs" />
                            <span aria-hidden="true">{ " Select all shown" }</span>
                        </label>
                    }
                    <ul class="check-list" data-testid="bulk-candidates">
                        { for b.candidates.iter().map(|r| html! { <BulkItem row={r.clone()} ontoggle={ontoggle.clone()} prefix="candidate" /> }) }
                    </ul>
                    <div class="row">
                        <button data-testid="bulk-try" disabled={checked_other.is_empty()} onclick={ontry}>{ "Try" }</button>
                        <button class="primary" data-testid="bulk-link" disabled={checked_other.is_empty()} onclick={onlink}>
                            { format!("Link selected ({}{})", checked_other.len(), hidden(b.checked_candidates_hidden)) }
                        </button>
                    </div>
                    if let Some(a) = try_here { <TryAnswerBox answer={a} /> }
                </fieldset>
            </div>
            if more {
                <button class="link" data-testid="list-more" onclick={onmore}>{ "Show more" }</button>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BulkItemProps {
    row: BulkRow,
    ontoggle: Callback<String>,
    prefix: &'static str,
}

#[function_component]
fn BulkItem(props: &BulkItemProps) -> Html {
    let r = &props.row;
    let onchange = {
        let (cb, id) = (props.ontoggle.clone(), r.id.clone());
        Callback::from(move |_: Event| cb.emit(id.clone()))
    };
    let input_id = format!("bulk-{}-{}", props.prefix, r.id);
    html! {
        <li class={classes!((!r.link_valid && r.linked_to.is_some()).then_some("invalid"))}>
            <input type="checkbox" id={input_id.clone()} data-testid={input_id.clone()} checked={r.checked} {onchange} />
            <label for={input_id}>
                <code>{ &r.ip }</code>{ " " }{ &r.id }
                if !r.name.is_empty() { <span class="muted">{ format!(" {}", r.name) }</span> }
                if r.state != crate::domain::model::State::Running { <span class="tag">{ r.state.as_str() }</span> }
                // Among the others, the VPC it is linked to, or the listed link Tencent Cloud refused.
                if let Some(v) = &r.linked_to {
                    if props.prefix == "candidate" {
                        <span class="tag" data-testid="bulk-linked-to" title={r.link_why.clone()}>
                            { if r.link_made { format!("linked to {v}") } else { format!("not linked (listed link to {v} refused)") } }
                        </span>
                    }
                }
                if r.linked_to.is_some() && !r.link_valid {
                    <span class="tag bad" title={r.link_why.clone()}>{ if r.link_made { "✖ invalid link" } else { "✖ never made" } }</span>
                }
                // The reason, for a keyboard or screen-reader user too (the title shows only on hover).
                if let Some(why) = r.link_why.as_ref().filter(|_| r.linked_to.is_some() && !r.link_valid) {
                    <span class="visually-hidden">{ format!(": {why}") }</span>
                }
            </label>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct SuggestionsProps {
    /// The datalist's ID, which its field names.
    id: AttrValue,
    /// Shared by every view of one revision, and between revisions while unchanged: comparing is a pointer check.
    endpoints: Rc<crate::session::Endpoints>,
    /// What the field holds.
    typed: String,
}

/// A reach field's suggestions: the few endpoints the session offers for what the field holds
/// ([`crate::session::Endpoints::suggest`]), not one option per instance and resource (thousands in a big plan). Its
/// own component, redrawn only when the text or the list changes, not on every action.
#[function_component]
fn Suggestions(props: &SuggestionsProps) -> Html {
    html! {
        <datalist id={props.id.clone()}>
            { for props.endpoints.suggest(&props.typed).into_iter().map(|(id, label)| html! { <option value={id}>{ label }</option> }) }
        </datalist>
    }
}

#[function_component]
fn ReachPanel() -> Html {
    let store = use_store();
    let vm = store.view.clone();
    super::use_chosen_options();
    let last = vm.reach.clone();
    let from = use_state(|| last.as_ref().map(|r| r.from.clone()).unwrap_or_default());
    let to = use_state(|| last.as_ref().map(|r| r.to.clone()).unwrap_or_default());
    let protocol = use_state(|| last.as_ref().map(|r| r.protocol.clone()).unwrap_or_else(|| "TCP".into()));
    let port = use_state(|| last.as_ref().map(|r| r.port.clone()).unwrap_or_else(|| "22".into()));
    let matrix_vpc = use_state(|| vm.vpcs.first().map(|v| v.0.clone()).unwrap_or_default());
    {
        // An expectation's "Show path" fills the form with its question.
        let (from, to, protocol, port) = (from.clone(), to.clone(), protocol.clone(), port.clone());
        use_effect_with(
            last.as_ref().map(|r| (r.from.clone(), r.to.clone(), r.protocol.clone(), r.port.clone())),
            move |q| {
                if let Some((a, b, c, d)) = q.clone() {
                    from.set(a);
                    to.set(b);
                    protocol.set(c);
                    port.set(d);
                }
            },
        );
    }
    let text = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: InputEvent| s.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onprotocol = {
        let p = protocol.clone();
        Callback::from(move |e: Event| p.set(select_value(&e)))
    };
    let onmatrixvpc = {
        let m = matrix_vpc.clone();
        Callback::from(move |e: Event| m.set(select_value(&e)))
    };
    let onsubmit = {
        let (from, to, protocol, port) = (from.clone(), to.clone(), protocol.clone(), port.clone());
        dispatcher(&store, move |e: SubmitEvent| {
            e.prevent_default();
            Action::Reach {
                from: (*from).clone(),
                to: (*to).clone(),
                protocol: (*protocol).clone(),
                port: (*port).clone(),
            }
        })
    };
    // The VPC the menu shows: the one chosen while it is in the plan, else the first (after an import, a new plan
    // or a rename, the chosen one may be gone).
    let shown_vpc: String = vm
        .vpcs
        .iter()
        .map(|(v, _)| v)
        .find(|v| **v == *matrix_vpc)
        .or_else(|| vm.vpcs.first().map(|(v, _)| v))
        .cloned()
        .unwrap_or_default();
    let onmatrix = {
        let (vpc, protocol, port) = (shown_vpc.clone(), protocol.clone(), port.clone());
        dispatcher(&store, move |_: MouseEvent| Action::Matrix {
            vpc: vpc.clone(),
            protocol: (*protocol).clone(),
            port: (*port).clone(),
        })
    };
    let onclear = dispatcher(&store, |_: MouseEvent| Action::ClearReach);
    // The filter that blocks the answer, opened in the Draw tab with the focus on the blocking rule (or on Add rule,
    // for the implicit drop or default deny after the last rule).
    let onedit = last.as_ref().and_then(|q| q.blocking.clone()).map(|b| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            let pick = draw::rule_focus_selector(b.list, b.row);
            super::focus_once_drawn(Part::Rules(b.list.as_str()), move || {
                gloo::utils::document().query_selector(&pick).ok().flatten()
            });
            store.dispatch(Action::OpenForm { kind: b.kind, id: Some(b.id.clone()), vpc: None });
        })
    });
    // A matrix cell's answer is drawn under the matrix while there is one (see `ReachQuery::in_matrix`).
    let at_matrix = last.as_ref().is_some_and(|q| q.in_matrix) && vm.matrix.is_some();
    {
        // A cell asked (a new question, not the same one asked again of a changed plan): its answer is brought into
        // view, then the cell, which wins where the window is too short for both. Done once drawn, not by a timer
        // (see `focus_once_drawn`).
        let asked = last.as_ref().filter(|_| at_matrix).map(|q| (q.from.clone(), q.to.clone(), q.traffic.clone()));
        use_effect_with(asked, |asked| {
            if asked.is_some() {
                let doc = gloo::utils::document();
                if let Ok(Some(answer)) = doc.query_selector("[data-testid=matrix-answer-live] .answer") {
                    super::keep_in_view(&answer);
                }
                if let Some(cell) =
                    doc.active_element().filter(|c| c.matches("table.matrix button.cell").unwrap_or(false))
                {
                    super::keep_in_view(&cell);
                }
            }
        });
    }
    let swap = {
        let (from, to) = (from.clone(), to.clone());
        Callback::from(move |_: MouseEvent| {
            let f = (*from).clone();
            from.set((*to).clone());
            to.set(f);
        })
    };
    // ICMP and ALL questions have no port (the core ignores it): the field is off for them.
    let has_ports = crate::session::has_ports(&protocol);
    // The field the last question was wrong in, marked and tied to the message.
    let bad = last.as_ref().and_then(|q| q.bad_field);
    // Only the form's own question marks its fields (a cell's answer is drawn at the matrix, without the error's ID).
    let invalid = |f: &str| (bad == Some(f) && !at_matrix).then_some("true");
    let described = |f: &str| (bad == Some(f) && !at_matrix).then_some("reach-error");
    html! {
        <div class="reach-panel">
            <Suggestions id="reach-from-list" endpoints={vm.endpoints.clone()} typed={(*from).clone()} />
            <Suggestions id="reach-to-list" endpoints={vm.endpoints.clone()} typed={(*to).clone()} />
            <form class="reach-form" onsubmit={onsubmit} aria-label="Reachability question">
                <div class="field">
                    <label for="reach-from">{ "From (object or IPv4)" }</label>
                    <input id="reach-from" list="reach-from-list" data-testid="reach-from" value={(*from).clone()} oninput={text(&from)}
                        aria-invalid={invalid("from")} aria-describedby={described("from")} />
                </div>
                <button type="button" class="link" onclick={swap} aria-label="Swap from and to">{ "⇄" }</button>
                <div class="field">
                    <label for="reach-to">{ "To (object or IPv4)" }</label>
                    <input id="reach-to" list="reach-to-list" data-testid="reach-to" value={(*to).clone()} oninput={text(&to)}
                        aria-invalid={invalid("to")} aria-describedby={described("to")} />
                </div>
                <div class="field narrow">
                    <label for="reach-protocol">{ "Protocol" }</label>
                    <select id="reach-protocol" data-testid="reach-protocol" onchange={onprotocol} data-value={(*protocol).clone()}>
                        { for ["TCP", "UDP", "ICMP", "ALL"].iter().map(|p| html! { <option value={*p} selected={*protocol == *p}>{ *p }</option> }) }
                    </select>
                </div>
                <div class="field narrow">
                    <label for="reach-port">{ "Port" }</label>
                    <input id="reach-port" data-testid="reach-port" inputmode="numeric" value={(*port).clone()} oninput={text(&port)}
                        disabled={!has_ports} title={if has_ports { "" } else { "ICMP and ALL have no port" }}
                        aria-invalid={invalid("port")} aria-describedby={described("port")} />
                </div>
                <button type="submit" class="primary" data-testid="reach-submit">{ "Ask" }</button>
            </form>
            // Always in the page (an answer inserted with its own live region is not read out): each answer, the
            // first included, is announced as it replaces the last. A matrix cell's answer is shown at the matrix.
            <div aria-live="polite" data-testid="reach-live">
                if let Some(q) = last.as_ref().filter(|_| !at_matrix) { { reach_answer(q, onclear.clone(), onedit.clone(), true) } }
            </div>
            <h3>{ "Matrix" }</h3>
            <div class="row wrap">
                <label for="matrix-vpc">{ "Every linked CVM × every resource of" }</label>
                <select id="matrix-vpc" data-testid="matrix-vpc" onchange={onmatrixvpc} disabled={vm.matrix_off.is_some()} data-value={shown_vpc.clone()}>
                    { for vm.vpcs.iter().map(|(v, label)| html! { <option value={v.clone()} selected={*v == shown_vpc}>{ label }</option> }) }
                </select>
                <button data-testid="matrix-submit" onclick={onmatrix} disabled={vm.matrix_off.is_some()}
                    aria-describedby={vm.matrix_off.is_some().then_some("matrix-off")}>{ "Answer all (uses the protocol and port above)" }</button>
            </div>
            // Why the matrix is off (a plan with no VPC), said where the button is.
            if let Some(off) = &vm.matrix_off { <p class="hint" id="matrix-off" data-testid="matrix-off">{ off }</p> }
            if let Some(m) = &vm.matrix {
                if let Some(note) = &m.note { <p class="hint">{ note }</p> }
                if !m.rows.is_empty() {
                    <MatrixPager matrix={m.clone()} />
                    // Another page, or another matrix, is another grid: its tab stop starts at the first cell.
                    <MatrixTable key={format!("{}:{}:{}:{}", m.rows_from, m.columns_from, m.vpc, m.traffic)} matrix={m.clone()} />
                }
                // A cell's answer, under the matrix: the matrix scrolls in a box of its own, so that the cell asked
                // and its answer are both in view (above the matrix, a matrix scrolled down hid it). Drawn with or
                // without rows: the plan may have changed under the question since (the cell's CVM unlinked).
                <div class="matrix-answer" aria-live="polite" data-testid="matrix-answer-live">
                    if let Some(q) = last.as_ref().filter(|_| at_matrix) { { reach_answer(q, onclear.clone(), onedit.clone(), false) } }
                </div>
            }
        </div>
    }
}

/// A reach answer: reachable or blocked with its reason, the message, what blocks it and the hops, and Clear. The
/// form's answer carries the ID its fields' errors point to (`in_form`).
fn reach_answer(
    q: &crate::session::ReachQuery,
    onclear: Callback<MouseEvent>,
    onedit: Option<Callback<MouseEvent>>,
    in_form: bool,
) -> Html {
    match &q.outcome {
        Err(e) => html! {
            <div class="answer bad" id={in_form.then_some("reach-error")} data-testid="reach-answer" data-error="true">{ "✖ " }{ e }</div>
        },
        Ok(a) => html! {
            <div class={classes!("answer", if a.reachable { "ok" } else { "bad" })} data-testid="reach-answer"
                data-reachable={a.reachable.to_string()}
                data-reason={a.reason.map(|r| r.as_str()).unwrap_or_default()}>
                <p>
                    <span aria-hidden="true">{ if a.reachable { "✔ " } else { "✖ " } }</span>
                    <strong>{ if a.reachable { "Reachable" } else { "Blocked" } }</strong>
                    if let Some(r) = a.reason { { " " }<code class="reason">{ r.as_str() }</code> }
                    { format!(" — {} → {}, {}", q.from, q.to, q.traffic) }
                </p>
                <p data-testid="reach-message">{ &a.message }</p>
                if let Some(b) = &a.blocked_by {
                    <p data-testid="reach-blocked-by">
                        { "Blocked by " }<code>{ &b.object }</code>
                        if let Some(i) = b.rule_index { { format!(", rule #{i}") } }
                        if let Some(d) = b.direction { { format!(" ({})", d.as_str()) } }
                        // Only a security group or ACL (a filter, with a direction) drops by default.
                        if b.rule_index.is_none() && b.direction.is_some() { { " (implicit drop / default deny)" } }
                        if let (Some(onclick), Some(f)) = (onedit, &q.blocking) {
                            { " " }<button class="link" data-testid="reach-edit-blocking" {onclick}>{ format!("Edit {}", f.id) }</button>
                        }
                    </p>
                }
                if !a.hops.is_empty() {
                    <ol class="hops-list" data-testid="reach-hops-list" aria-label="Hops">
                        { for a.hops.iter().map(|h| html! { <li><code>{ h }</code></li> }) }
                    </ol>
                }
                <button class="link" onclick={onclear}>{ "Clear" }</button>
            </div>
        },
    }
}

/// A page of the matrix, for its grid and its pager.
#[derive(Properties, PartialEq)]
struct MatrixProps {
    matrix: crate::session::Matrix,
}

/// One page of the matrix as a grid (WAI-ARIA grid): a single tab stop, the cell last focused, and the arrow keys,
/// Home and End (with Ctrl, the first and last cell) to move between cells. Up to 1,600 cells a page are not 1,600
/// stops of the Tab key. A cell is a button: it asks its pair, answered under the matrix with its hops drawn.
#[function_component(MatrixTable)]
fn matrix_table(props: &MatrixProps) -> Html {
    let store = use_store();
    let m = &props.matrix;
    let active = use_state(|| (0usize, 0usize));
    let size = (m.rows.len(), m.rows.first().map_or(0, |r| r.cells.len()));
    // A cell the page no longer has (the same page answered again, smaller): the first cell.
    let here = if active.0 < size.0 && active.1 < size.1 { *active } else { (0, 0) };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        let Some((el, at)) = cell_at(&e) else { return };
        let Some((r, c)) = super::grid_key(&e.key(), e.ctrl_key(), at, size) else { return };
        e.prevent_default();
        let table = el.closest("table").ok().flatten();
        super::focus(table.and_then(|t| t.query_selector(&format!("[data-cell=\"{r}:{c}\"]")).ok().flatten()));
    });
    // A cell focused by key, or clicked (a click does not focus a button in every browser), is the tab stop.
    let onfocusin = {
        let active = active.clone();
        Callback::from(move |e: FocusEvent| take(&active, &e))
    };
    let onclick = {
        let active = active.clone();
        Callback::from(move |e: MouseEvent| take(&active, &e))
    };
    html! {
        <>
        <p class="hint" id="matrix-keys">{ "Arrow keys move between the cells, Home and End to a row's ends, Ctrl+Home and Ctrl+End to the first and last cell; Enter asks a cell's pair." }</p>
        <div class="matrix-scroll">
            <table class="matrix" data-testid="matrix" role="grid" aria-describedby="matrix-keys" {onkeydown} {onfocusin} {onclick}>
                <caption>{ format!("{} from linked classic CVMs to {}", m.traffic, m.vpc) }</caption>
                <thead><tr><th scope="col">{ "from \\ to" }</th>
                    { for m.columns.iter().map(|c| html! { <th scope="col"><code>{ c }</code></th> }) }
                </tr></thead>
                <tbody>
                    { for m.rows.iter().enumerate().map(|(ri, r)| html! {
                        <tr><th scope="row"><code>{ &r.from }</code></th>
                            { for r.cells.iter().enumerate().map(|(ci, c)| {
                                let ask = {
                                    let (from, to) = (r.from.clone(), c.to.clone());
                                    // The answer is drawn under the matrix, and brought into view with the cell (see
                                    // `ReachPanel`).
                                    dispatcher(&store, move |_: MouseEvent| Action::ReachCell { from: from.clone(), to: to.clone() })
                                };
                                let said = if c.reachable { "yes".to_string() } else { c.reason.clone().unwrap_or_default() };
                                html! {
                                    <td class={if c.reachable { "ok" } else { "bad" }} title={c.message.clone()}
                                        data-reachable={c.reachable.to_string()}>
                                        // The visible word starts the name (what a speech-input user says), the message follows.
                                        <button class="cell" onclick={ask} data-testid="matrix-cell" data-cell={format!("{ri}:{ci}")}
                                            tabindex={if (ri, ci) == here { "0" } else { "-1" }}
                                            aria-label={format!("{} — {} to {}: {}", said, r.from, c.to, c.message)}>
                                            { if c.reachable { "✔ ".to_string() } else { "✖ ".to_string() } }{ said.clone() }
                                        </button>
                                    </td>
                                }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
        </>
    }
}

/// The matrix cell an event happened on, with its place from its `data-cell` attribute ("row:column").
fn cell_at(e: &web_sys::Event) -> Option<(web_sys::Element, (usize, usize))> {
    let el = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())?;
    let place = el.get_attribute("data-cell")?;
    let (r, c) = place.split_once(':')?;
    Some((el, (r.parse().ok()?, c.parse().ok()?)))
}

/// Makes the cell of `e`, if any, the matrix's tab stop.
fn take(active: &UseStateHandle<(usize, usize)>, e: &web_sys::Event) {
    if let Some((_, at)) = cell_at(e) {
        if **active != at {
            active.set(at);
        }
    }
}

/// Where the matrix's page lies among its rows and columns, with buttons to the previous and next pages.
#[function_component(MatrixPager)]
fn matrix_pager(props: &MatrixProps) -> Html {
    let store = use_store();
    let m = &props.matrix;
    let limit = crate::session::MATRIX_LIMIT;
    let span = |from: usize, shown: usize, total: usize| format!("{}-{} of {}", from + 1, from + shown, total);
    let shown_columns = m.rows.first().map_or(0, |r| r.cells.len());
    // A page button stays where it is at either end, marked unavailable rather than removed or disabled: the focus
    // stays on it instead of moving to another button of the pager.
    let button = |testid: &'static str, label: String, to: Option<(usize, usize)>| {
        let onclick = match to {
            Some((rows, columns)) => dispatcher(&store, move |_: MouseEvent| Action::MatrixPage { rows, columns }),
            None => Callback::noop(),
        };
        html! {
            <button class="link" data-testid={testid} aria-disabled={to.is_none().then_some("true")} {onclick}>{ label }</button>
        }
    };
    let rows_more = m.rows_from + m.rows.len() < m.rows_total;
    let columns_more = m.columns_from + shown_columns < m.columns_total;
    let linked = crate::session::count(m.rows_linked_here, "CVM", "CVMs");
    html! {
        <div class="row wrap matrix-pager" data-testid="matrix-pager">
            // Announced as it changes (a page turned).
            <span data-testid="matrix-rows" aria-live="polite">
                { format!("Rows {} (the {linked} linked to {} first)", span(m.rows_from, m.rows.len(), m.rows_total), m.vpc) }
            </span>
            if m.rows_total > limit {
                { button("matrix-previous-rows", format!("Previous {limit} rows"), (m.rows_from > 0).then(|| (m.rows_from.saturating_sub(limit), m.columns_from))) }
                { button("matrix-next-rows", format!("Next {limit} rows"), rows_more.then(|| (m.rows_from + limit, m.columns_from))) }
            }
            <span data-testid="matrix-columns" aria-live="polite">{ format!("Columns {}", span(m.columns_from, shown_columns, m.columns_total)) }</span>
            if m.columns_total > limit {
                { button("matrix-previous-columns", format!("Previous {limit} columns"), (m.columns_from > 0).then(|| (m.rows_from, m.columns_from.saturating_sub(limit)))) }
                { button("matrix-next-columns", format!("Next {limit} columns"), columns_more.then(|| (m.rows_from, m.columns_from + limit))) }
            }
        </div>
    }
}

/// The links a classic instance lists that Tencent Cloud never made: they carry nothing, and Unlink drops them from
/// the plan; a returned CVM's went with it, and Delete drops the instance with its links.
fn unmade_list(store: &super::StoreHandle, id: &str, unmade: &[crate::session::UnmadeLink], returned: bool) -> Html {
    if unmade.is_empty() {
        return html! {};
    }
    html! {
        <ul class="unmade" data-testid="unmade-links">
            { for unmade.iter().map(|u| {
                let onunlink = u.unlink.then(|| {
                    let (id, vpc) = (id.to_string(), u.vpc.clone());
                    dispatcher(store, move |_: MouseEvent| Action::Unlink { vpc: vpc.clone(), instances: vec![id.clone()] })
                });
                html! {
                    <li data-testid={format!("unmade-{}", u.vpc)}>
                        <span class="tag bad">{ "✖ never made" }</span>
                        { format!(" Its listed link to {} was never made: {}.", u.vpc, u.why) }
                        if let Some(onunlink) = onunlink {
                            { " " }<button data-testid={format!("unlink-unmade-{}", u.vpc)} onclick={onunlink}
                                aria-label={format!("Unlink {}: remove the listed link from the plan", u.vpc)}>{ "Unlink" }</button>
                        } else if returned {
                            { " Tencent Cloud removed it with the CVM; to drop it from the plan, delete the instance (Delete, above): its links go with it." }
                        }
                    </li>
                }
            }) }
        </ul>
    }
}
