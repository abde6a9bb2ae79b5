//! The live checks panel: counts by severity, link gauges per VPC, findings (with their explanation on demand) and
//! expectations. Hovering or focusing a finding highlights its objects in the diagram.

use super::{dispatcher, use_store, Part};
use crate::domain::finding::Severity;
use crate::session::{Action, ExpectationView, FindingView, Gauge, ObjectKind, Page};
use yew::prelude::*;

/// The checks panel.
#[function_component]
pub fn ChecksPanel() -> Html {
    let store = use_store();
    let vm = store.view.clone();
    // The list of expectations hands the focus on after a delete (see `ExpectationItem`).
    super::use_focus_requests(Part::Expectations);
    // Show more hands the focus to the first item it lists (see `ShowMore`).
    super::use_focus_requests(Part::Findings);
    let onhighlight = dispatcher(&store, Action::Highlight);
    let onselect = dispatcher(&store, |id: String| Action::Select(Some(id)));
    let c = vm.counts;
    html! {
        <aside class="checks" aria-label="Live checks">
            // Where "Skip to the checks" puts the focus.
            <h2 tabindex="-1">{ "Checks" }</h2>
            <div class="counts" data-testid="counts" role="group" aria-label="Findings by severity" aria-live="polite" aria-atomic="true">
                <span class="count error" data-testid="count-error" data-count={c.errors.to_string()}>
                    <span aria-hidden="true">{ "✖" }</span>{ format!(" {} error{}", c.errors, plural(c.errors)) }
                </span>
                <span class="count warning" data-testid="count-warning" data-count={c.warnings.to_string()}>
                    <span aria-hidden="true">{ "▲" }</span>{ format!(" {} warning{}", c.warnings, plural(c.warnings)) }
                </span>
                <span class="count info" data-testid="count-info" data-count={c.infos.to_string()}>
                    <span aria-hidden="true">{ "ℹ" }</span>{ format!(" {} info", c.infos) }
                </span>
            </div>

            <h3>{ "Links per VPC" }</h3>
            if vm.gauges.is_empty() {
                <p class="empty">{ "No VPC yet." }</p>
            }
            <ul class="gauges">
                { for vm.gauges.iter().map(|g| html! { <GaugeRow gauge={g.clone()} /> }) }
            </ul>

            <h3>{ format!("Findings ({})", vm.findings_page.total) }</h3>
            if vm.findings.is_empty() {
                <p class="empty" data-testid="no-findings">{ "✔ No findings: every rule passes." }</p>
            }
            // Leaving the list, by mouse or by keyboard, clears the highlight (a focus moving to the next finding
            // highlights that one's objects right after).
            <ul class="findings" data-testid="findings" onmouseleave={{
                let h = onhighlight.clone();
                Callback::from(move |_: MouseEvent| h.emit(Vec::new()))
            }} onfocusout={{
                let h = onhighlight.clone();
                Callback::from(move |_: FocusEvent| h.emit(Vec::new()))
            }}>
                { for vm.findings.iter().map(|f| html! {
                    <FindingItem finding={f.clone()} onhighlight={onhighlight.clone()} onselect={onselect.clone()} />
                }) }
            </ul>
            <ShowMore page={vm.findings_page} what="findings" part={Part::Findings} testid="findings-more"
                action={Action::ShowMoreFindings} focus="[data-testid=\"findings\"] > li:nth-child({})" />

            <h3>{ format!("Expectations ({})", vm.expectations_page.total) }</h3>
            if vm.expectations.is_empty() {
                <p class="empty">{ "No expectations. Add one under Draw → Expectation." }</p>
            }
            <ul class="expectations" data-testid="expectations">
                { for vm.expectations.iter().map(|e| html! { <ExpectationItem expectation={e.clone()} /> }) }
            </ul>
            <ShowMore page={vm.expectations_page} what="expectations" part={Part::Expectations} testid="expectations-more"
                action={Action::ShowMoreExpectations} focus="[data-testid=\"expectations\"] > li:nth-child({}) button" />
        </aside>
    }
}

#[derive(Properties, PartialEq)]
struct ShowMoreProps {
    page: Page,
    /// The items, in the plural: "findings".
    what: &'static str,
    part: Part,
    testid: &'static str,
    action: Action,
    /// What takes the focus after Show more, `{}` standing for the position (from 1) of the first item it adds: that
    /// item, or its first button.
    focus: &'static str,
}

/// Under a list the session lists a page of: how many it shows of how many, and a button that lists a page more,
/// then hands the focus to the first item that page adds (on the button, it would stay on a line that goes once all
/// are shown).
#[function_component]
fn ShowMore(props: &ShowMoreProps) -> Html {
    let store = use_store();
    let Some(said) = props.page.said(props.what) else {
        return html! {};
    };
    let onclick = {
        let (action, part) = (props.action.clone(), props.part);
        let selector = props.focus.replace("{}", &(props.page.shown + 1).to_string());
        let more = dispatcher(&store, move |_: ()| action.clone());
        Callback::from(move |_: MouseEvent| {
            more.emit(());
            let selector = selector.clone();
            super::focus_once_drawn(part, move || gloo::utils::document().query_selector(&selector).ok().flatten());
        })
    };
    html! {
        <p class="row small" data-testid={props.testid}>
            <span class="hint">{ said }</span>
            <button class="link" {onclick} aria-label={format!("Show {} more {}", props.page.more, props.what)}>
                { format!("Show {} more", props.page.more) }
            </button>
        </p>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[derive(Properties, PartialEq)]
struct GaugeProps {
    gauge: Gauge,
}

#[function_component]
fn GaugeRow(props: &GaugeProps) -> Html {
    let g = &props.gauge;
    let class = classes!("gauge", g.over.then_some("over"), g.unlinkable_reason.is_some().then_some("unlinkable"));
    html! {
        <li class={class} data-testid={format!("gauge-{}", g.vpc)} data-links={g.links.to_string()} data-quota={g.quota.to_string()}>
            <div class="gauge-head">
                <span class="gauge-label">{ &g.label }</span>
                <span class="gauge-value">{ format!("{} / {}", g.links, g.quota) }</span>
            </div>
            <div class="meter" role="meter" aria-label={format!("{} links of {} for {}", g.links, g.quota, g.vpc)}
                aria-valuenow={g.links.to_string()} aria-valuemin="0" aria-valuemax={g.quota.to_string()}>
                <div class="fill" style={format!("width:{}%", g.percent)}></div>
            </div>
            if let Some(why) = &g.unlinkable_reason {
                <div class="hint" data-testid={format!("gauge-unlinkable-{}", g.vpc)}>{ format!("▲ {why}") }</div>
            }
            if g.over {
                <div class="hint">{ "✖ over the quota" }</div>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct FindingProps {
    finding: FindingView,
    onhighlight: Callback<Vec<String>>,
    onselect: Callback<String>,
}

#[function_component]
fn FindingItem(props: &FindingProps) -> Html {
    let f = &props.finding;
    let sev = f.severity.as_str();
    let show = {
        let objects = f.objects.clone();
        let cb = props.onhighlight.clone();
        move || cb.emit(objects.clone())
    };
    let onmouseenter = {
        let show = show.clone();
        Callback::from(move |_: MouseEvent| show())
    };
    let onfocusin = Callback::from(move |_: FocusEvent| show());
    let class = classes!("finding", sev, f.highlighted.then_some("highlighted"));
    html! {
        <li class={class} tabindex="0" data-testid="finding" data-rule={f.rule.clone()} data-severity={sev}
            data-api-error={f.api_error.clone().unwrap_or_default()} {onmouseenter} {onfocusin}
            aria-label={format!("{} {}: {}", f.word, f.rule, f.message)}>
            <div class="finding-head">
                <span class={classes!("sev", sev)}><span aria-hidden="true">{ f.icon }</span>{ " " }{ f.word }</span>
                <span class="rule-id">{ &f.rule }</span>
                if !f.name.is_empty() { <span class="rule-name">{ &f.name }</span> }
            </div>
            <p class="message">{ &f.message }</p>
            if let Some(code) = &f.api_error {
                <p class="api"><span class="muted">{ "API error " }</span>{ super::api_code(code, None) }</p>
            }
            if !f.objects.is_empty() {
                <p class="objects">
                    { for f.objects.iter().map(|o| {
                        let cb = props.onselect.clone();
                        let id = o.clone();
                        html! { <button class="chip" onclick={Callback::from(move |_: MouseEvent| cb.emit(id.clone()))}
                            aria-label={format!("Select {o}")}>{ o }</button> }
                    }) }
                </p>
            }
            if let Some(x) = &f.explanation {
                <details class="explain">
                    <summary>{ "Why and how to fix" }</summary>
                    <p><strong>{ "Rule: " }</strong>{ &x.summary }</p>
                    if !x.what.is_empty() { <p><strong>{ "Checks: " }</strong>{ super::prose(&x.what) }</p> }
                    if !x.why.is_empty() { <p><strong>{ "Why: " }</strong>{ super::prose(&x.why) }</p> }
                    if !x.fix.is_empty() { <p><strong>{ "Fix: " }</strong>{ super::prose(&x.fix) }</p> }
                    if !x.seed.is_empty() { <blockquote lang={x.seed_lang}>{ &x.seed }</blockquote> }
                </details>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct ExpectationProps {
    expectation: ExpectationView,
}

#[function_component]
fn ExpectationItem(props: &ExpectationProps) -> Html {
    let store = use_store();
    let e = &props.expectation;
    let index = e.index;
    let onedit = dispatcher(&store, move |_: MouseEvent| Action::OpenForm {
        kind: ObjectKind::Expectation,
        id: Some(index.to_string()),
        vpc: None,
    });
    // A delete hands the focus to the Delete of the expectation now in its place, else the one before, once the list
    // is drawn again (its items have no identity: the browser would keep the focus on the item above).
    let ondelete = {
        let delete = dispatcher(&store, move |_: ()| Action::DeleteExpectation(index));
        Callback::from(move |e: MouseEvent| {
            let list = e.target_dyn_into::<web_sys::Element>().and_then(|b| b.closest("ul").ok().flatten());
            delete.emit(());
            if let Some(list) = list {
                super::focus_once_drawn(Part::Expectations, move || {
                    let find = |k: usize| {
                        list.query_selector(&format!("[aria-label=\"Delete expectation {k}\"]")).ok().flatten()
                    };
                    find(index).or_else(|| index.checked_sub(1).and_then(find))
                });
            }
        })
    };
    let onask = {
        let (from, to, protocol, port) = (e.from.clone(), e.to.clone(), e.protocol.clone(), e.port.to_string());
        dispatcher(&store, move |_: MouseEvent| Action::Reach {
            from: from.clone(),
            to: to.clone(),
            protocol: protocol.clone(),
            port: port.clone(),
        })
    };
    let (class, icon, word) = if e.holds { ("holds", "✔", "Holds") } else { ("broken", "✖", "Broken") };
    html! {
        <li class={classes!("expectation", class)} data-testid="expectation" data-holds={e.holds.to_string()}>
            <div class="finding-head">
                <span class={classes!("sev", if e.holds { "ok" } else { Severity::Error.as_str() })}>
                    <span aria-hidden="true">{ icon }</span>{ " " }{ word }
                </span>
                // Numbered as the checks and the JSON locations number it (expectation 2 is `expectations[2]`).
                <span class="muted">{ format!("expectation {}", e.index) }</span>
            </div>
            <p class="message">
                <code>{ &e.from }</code>{ " → " }<code>{ &e.to }</code>
                { format!(", {}, should {}be reachable", e.traffic, if e.expect_reachable { "" } else { "not " }) }
            </p>
            if !e.description.is_empty() { <p class="muted">{ &e.description }</p> }
            <p class="muted">
                { &e.message }
                if let Some(r) = &e.reason { { " " }<code>{ r }</code> }
            </p>
            <div class="row small">
                <button class="link" onclick={onask} aria-label={format!("Show path of expectation {index}")}>{ "Show path" }</button>
                <button class="link" onclick={onedit} aria-label={format!("Edit expectation {index}")}>{ "Edit" }</button>
                <button class="link danger" onclick={ondelete} aria-label={format!("Delete expectation {index}")}>{ "Delete" }</button>
            </div>
        </li>
    }
}
