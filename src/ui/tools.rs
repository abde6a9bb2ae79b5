//! The tools tab: import from Tencent Cloud, export links (tccli / Terraform / API JSON), the diff against a
//! baseline, the migration checklist and the "classic vs VPC" help. It draws [`ToolsView`] and sends
//! [`ToolAction`]s; every answer comes from the session (and so from the domain core).

use super::text_out::TextOut;
use super::{browser, dispatcher, use_store, StoreHandle};
use crate::domain::diff::{Change, FlowChange};
use crate::domain::export::ExportFormat;
use crate::domain::finding::Finding;
use crate::domain::migrate::Step;
use crate::session::tools::{DiffView, ExportView, HelpView, MigrateView, RuleHelp};
use crate::session::{severity_icon, severity_word, Action, DraftField, ToolAction, ToolPage, ToolsView};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// How many rows a diff list draws before saying how many more there are.
const DIFF_ROWS: usize = 200;

/// Instances of the migration checklist shown at first, and added by each "Show more".
const MIGRATE_PAGE: usize = 25;

fn tool(store: &StoreHandle, a: ToolAction) {
    store.dispatch(Action::Tools(a));
}

fn tool_cb<E: 'static>(store: &StoreHandle, f: impl Fn(E) -> ToolAction + 'static) -> Callback<E> {
    dispatcher(store, move |e| Action::Tools(f(e)))
}

/// Keeps what is typed into a text field or area of the tools as the session's draft of `field`.
fn draft_cb(store: &StoreHandle, field: DraftField) -> Callback<InputEvent> {
    tool_cb(store, move |e: InputEvent| {
        let t: web_sys::EventTarget = e.target().expect("event target");
        let text = match wasm_bindgen::JsCast::dyn_ref::<HtmlTextAreaElement>(&t) {
            Some(a) => a.value(),
            None => wasm_bindgen::JsCast::unchecked_ref::<HtmlInputElement>(&t).value(),
        };
        ToolAction::Draft { field, text }
    })
}

/// The tools tab.
#[function_component]
pub fn ToolsPanel() -> Html {
    let store = use_store();
    let tv = store.view.tools.clone();
    // The session computes the pages only while this tab is shown.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            tool(&store, ToolAction::Show(true));
            move || tool(&store, ToolAction::Show(false))
        });
    }
    let onkeydown = {
        let store = store.clone();
        let page = tv.page;
        Callback::from(move |e: KeyboardEvent| {
            let i = ToolPage::ALL.iter().position(|p| *p == page).unwrap_or(0);
            if let Some(next) = super::tab_key(&e, i, ToolPage::ALL.len()) {
                tool(&store, ToolAction::Page(ToolPage::ALL[next]));
            }
        })
    };
    html! {
        <div class="tools" data-testid="tools">
            <div class="subtabs" role="tablist" aria-label="Tools" {onkeydown}>
                { for ToolPage::ALL.iter().map(|p| {
                    let selected = tv.page == *p;
                    let onclick = { let p = *p; tool_cb(&store, move |_: MouseEvent| ToolAction::Page(p)) };
                    html! {
                        <button role="tab" id={format!("tools-tab-{}", p.key())} aria-controls="tools-panel"
                            aria-selected={selected.to_string()} tabindex={if selected { "0" } else { "-1" }}
                            class={classes!("subtab", selected.then_some("active"))}
                            data-testid={format!("tools-page-{}", p.key())} {onclick}>{ p.label() }</button>
                    }
                }) }
            </div>
            <div class="tools-page" role="tabpanel" id="tools-panel" aria-labelledby={format!("tools-tab-{}", tv.page.key())}
                data-page={tv.page.key()}>
                {
                    match tv.page {
                        ToolPage::Import => html! { <TencentImport /> },
                        ToolPage::Export => html! {
                            <>
                                <BaselineBar />
                                { tv.export.clone().map(|x| html! { <ExportPage view={x} /> }).unwrap_or_default() }
                            </>
                        },
                        ToolPage::Diff => html! { <DiffPage /> },
                        ToolPage::Migrate => tv.migrate.clone().map(|m| html! { <MigratePage view={m} /> }).unwrap_or_default(),
                        ToolPage::Help => tv.help.clone().map(|h| html! { <HelpPage view={h} /> }).unwrap_or_default(),
                    }
                }
            </div>
        </div>
    }
}

// ---- Import from Tencent ----

#[function_component]
fn TencentImport() -> Html {
    let store = use_store();
    let tv: ToolsView = store.view.tools.clone();
    let (text, region) = (tv.drafts.tencent_text.clone(), tv.drafts.tencent_region.clone());
    let oninput = draft_cb(&store, DraftField::TencentText);
    let onregion = draft_cb(&store, DraftField::TencentRegion);
    let onfile = browser::use_text_file_input({
        let text = tool_cb(&store, |text: String| ToolAction::Draft { field: DraftField::TencentText, text });
        let unreadable = tool_cb(&store, ToolAction::TencentUnreadable);
        let refuse = tool_cb(&store, |text: String| ToolAction::ImportTencent { text, region: String::new() });
        Callback::from(move |t: Result<String, String>| match t {
            // An empty file goes to the core, which refuses it as any unusable bundle, at its location: the Import
            // button, off while the field is empty, never would, and the file would seem not taken.
            Ok(t) if t.trim().is_empty() => {
                text.emit(String::new());
                refuse.emit(t);
            }
            Ok(t) => text.emit(t),
            Err(why) => {
                text.emit(String::new());
                unreadable.emit(why);
            }
        })
    });
    let onimport = {
        let (text, region) = (text.clone(), region.clone());
        tool_cb(&store, move |_: MouseEvent| ToolAction::ImportTencent { text: text.clone(), region: region.clone() })
    };
    html! {
        <section class="tool" aria-label="Import from Tencent Cloud">
            <p class="hint">
                { "Paste or upload a bundle of real API responses: one JSON object whose keys are action names \
                   (" }<code>{ "DescribeVpcs" }</code>{ ", " }<code>{ "DescribeInstances" }</code>{ ", " }
                <code>{ "DescribeClassicLinkInstances" }</code>{ ", …) and whose values are what tccli printed. \
                   See docs/tencent-import.md. The import opens as the plan; undo brings the current one back." }
            </p>
            <div class="row wrap">
                <label for="tencent-import-file">{ "Bundle file (.json)" }</label>
                <input id="tencent-import-file" type="file" accept=".json,application/json"
                    data-testid="tencent-import-file" onchange={onfile} />
                <label for="tencent-import-region">{ "Region" }</label>
                <input id="tencent-import-region" data-testid="tencent-import-region" value={region}
                    oninput={onregion} placeholder="from the zones, e.g. ap-guangzhou" />
            </div>
            <label for="tencent-import-text">{ "…or paste the bundle" }</label>
            <textarea id="tencent-import-text" rows="8" data-testid="tencent-import-text" value={text.clone()}
                {oninput} spellcheck="false" placeholder="{ \"DescribeVpcs\": { \"VpcSet\": [ … ] }, \"DescribeInstances\": { … } }" />
            <div class="row">
                <button class="primary" data-testid="tencent-import-submit" onclick={onimport}
                    disabled={text.trim().is_empty()}>{ "Import from Tencent" }</button>
                <span class="hint">{ "A broken bundle is refused with every error and its bundle path; the current plan stays." }</span>
            </div>
            <super::PathErrors errors={tv.tencent_errors.clone()} testid="tencent-import-errors" item="tencent-import-error"
                what="the bundle" />
            if !tv.tencent_notes.is_empty() {
                <div class="notes" data-testid="tencent-import-notes" role="status">
                    <p><strong>{ format!("Imported, with {}: what was assumed or left out", crate::session::count(tv.tencent_notes.len(), "note", "notes")) }</strong></p>
                    <ul>
                        { for tv.tencent_notes.iter().take(super::LIST_SHOWN).map(|n| html! { <li data-testid="tencent-import-note">{ n }</li> }) }
                    </ul>
                    { super::first_shown(tv.tencent_notes.len(), "tencent-import-notes-more".into()) }
                </div>
            }
        </section>
    }
}

// ---- Baseline ----

/// The baseline: set it from the current plan, paste an old plan, or forget it.
#[function_component]
fn BaselineBar() -> Html {
    let store = use_store();
    let tv = store.view.tools.clone();
    let text = tv.drafts.baseline.clone();
    let oninput = draft_cb(&store, DraftField::Baseline);
    let onset = tool_cb(&store, |_: MouseEvent| ToolAction::SetBaseline);
    let onclear = tool_cb(&store, |_: MouseEvent| ToolAction::ClearBaseline);
    let onload = {
        let text = text.clone();
        tool_cb(&store, move |_: MouseEvent| ToolAction::BaselineJson(text.clone()))
    };
    html! {
        <div class="baseline" data-testid="baseline">
            <div class="row wrap">
                <span data-testid="baseline-status" data-set={tv.baseline.is_some().to_string()}>
                    {
                        match &tv.baseline {
                            Some(b) => html! { <>
                                <strong>{ "Baseline: " }</strong>{ &b.label }
                                <span class="muted">{ format!(" ({}, {})", if b.name.is_empty() { "unnamed" } else { &b.name }, crate::session::count(b.links, "link", "links")) }</span>
                                <span class="hint">{ " Kept while this page is open: a reload forgets it (export it as JSON to keep it)." }</span>
                            </> },
                            None => html! { <span class="muted">{ "No baseline: set one to see what changed since, or to export only the changes." }</span> },
                        }
                    }
                </span>
                <button data-testid="baseline-set" onclick={onset} title="Remember the plan as it is now as the old plan">
                    { "Set baseline = current plan" }</button>
                if tv.baseline.is_some() {
                    <button class="link" data-testid="baseline-clear" onclick={onclear}>{ "Forget baseline" }</button>
                }
            </div>
            // Open when it holds a draft (the field of another page of the tab, or of this page before).
            <details class="paste-baseline" open={!text.is_empty()}>
                <summary>{ "…or paste an old plan JSON as the baseline" }</summary>
                <textarea rows="5" data-testid="baseline-text" aria-label="Old plan JSON" value={text.clone()}
                    {oninput} spellcheck="false" />
                <button data-testid="baseline-load" onclick={onload} disabled={text.trim().is_empty()}>{ "Use as baseline" }</button>
            </details>
            <super::PathErrors errors={tv.baseline_errors.clone()} testid="baseline-errors" item="baseline-error" what="the old plan" />
        </div>
    }
}

// ---- Export ----

#[derive(Properties, PartialEq)]
struct ExportProps {
    view: ExportView,
}

#[function_component]
fn ExportPage(props: &ExportProps) -> Html {
    let store = use_store();
    let x = &props.view;
    let has_baseline = store.view.tools.baseline.is_some();
    let onformat = tool_cb(&store, |e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        ToolAction::ExportFormat(v.parse().unwrap_or(ExportFormat::Tccli))
    });
    let onsince =
        tool_cb(&store, |e: Event| ToolAction::ExportSince(e.target_unchecked_into::<HtmlInputElement>().checked()));
    let onforce =
        tool_cb(&store, |e: Event| ToolAction::ExportForce(e.target_unchecked_into::<HtmlInputElement>().checked()));
    let label = |f: ExportFormat| match f {
        ExportFormat::Tccli => "tccli commands (shell)",
        ExportFormat::Terraform => "Terraform (HCL)",
        ExportFormat::Api => "API calls (JSON)",
    };
    html! {
        <section class="tool" aria-label="Export links">
            <div class="row wrap">
                <label for="export-format">{ "Format" }</label>
                <select id="export-format" data-testid="export-format" onchange={onformat} data-value={x.format.as_str()}>
                    { for ExportFormat::ALL.iter().map(|f| html! {
                        <option value={f.as_str()} selected={*f == x.format}>{ label(*f) }</option>
                    }) }
                </select>
                <label class="check">
                    <input type="checkbox" data-testid="export-since" checked={x.since} disabled={!has_baseline} onchange={onsince} />
                    { " Only the changes since the baseline" }
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="export-force" checked={x.force} onchange={onforce} />
                    { " Force (export despite error findings)" }
                </label>
            </div>
            <p class="hint">
                { match (x.since, x.format) {
                    (true, ExportFormat::Terraform) => "The links of this plan as resources, with the import, relink and move commands that turn the baseline into it.",
                    (true, _) => "Detaches first, then attaches: what turns the baseline into this plan.",
                    (false, ExportFormat::Terraform) => "Every link of the plan, one resource each.",
                    (false, _) => "Every link of the plan, as AttachClassicLinkVpc calls grouped per VPC.",
                } }
            </p>
            if !x.refused.is_empty() {
                <div class="errors" role="alert" data-testid="export-refused">
                    <p><strong>{ format!("Export refused: the plan has {}. Fix them, or tick “Force”.", crate::session::count(x.refused.len(), "error finding", "error findings")) }</strong></p>
                    <ul>{ for x.refused.iter().take(super::LIST_SHOWN).map(|f| html! { <FindingLine finding={f.clone()} testid="export-refused-finding" /> }) }</ul>
                    { super::first_shown(x.refused.len(), "export-refused-more".into()) }
                </div>
            }
            if let Some(out) = x.output.clone() {
                if x.empty {
                    <p class="empty" data-testid="export-empty">
                        { if x.since { "No link changed since the baseline." } else { "The plan has no link to export." } }
                    </p>
                }
                <TextOut id="export-output" label={label(x.format)} text={out} filename={x.filename.clone()}
                    copy_testid="export-copy" download_testid="export-download-script" rows={12} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FindingLineProps {
    finding: Finding,
    testid: &'static str,
}

/// A finding on one line: severity (icon and word), rule (a link to its explanation), objects, message.
#[function_component]
fn FindingLine(props: &FindingLineProps) -> Html {
    let f = &props.finding;
    let sev = f.severity.as_str();
    html! {
        <li class={classes!("finding-line", sev)} data-testid={props.testid} data-rule={f.rule}>
            <span class={classes!("sev", sev)}><span aria-hidden="true">{ severity_icon(f.severity) }</span>{ " " }{ severity_word(f.severity) }</span>
            { " " }<RuleLink id={f.rule.to_string()} />
            if let Some(api) = f.api_error { { " " }{ super::api_code(api, None) } }
            if !f.objects.is_empty() { { " " }<span class="muted">{ f.objects.join(", ") }</span> }
            { ": " }{ &f.message }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct RuleLinkProps {
    id: String,
}

/// A rule ID that opens its long explanation in the help.
#[function_component]
fn RuleLink(props: &RuleLinkProps) -> Html {
    let store = use_store();
    let onclick = {
        let id = props.id.clone();
        tool_cb(&store, move |_: MouseEvent| ToolAction::HelpRule(Some(id.clone())))
    };
    html! {
        <button class="link rule-link" data-testid="help-rule-link" data-rule={props.id.clone()} {onclick}
            title="Explain this rule" aria-label={format!("Explain {}", props.id)}>{ &props.id }</button>
    }
}

// ---- Diff ----

#[function_component]
fn DiffPage() -> Html {
    let store = use_store();
    super::use_chosen_options();
    let tv = store.view.tools.clone();
    let protocol = use_state(|| tv.protocol.clone());
    let port = use_state(|| tv.port.clone());
    let onprotocol = {
        let p = protocol.clone();
        Callback::from(move |e: Event| p.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let onport = {
        let p = port.clone();
        Callback::from(move |e: InputEvent| p.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onsubmit = {
        let (protocol, port) = (protocol.clone(), port.clone());
        tool_cb(&store, move |e: SubmitEvent| {
            e.prevent_default();
            ToolAction::DiffFlows { protocol: (*protocol).clone(), port: (*port).clone() }
        })
    };
    // ICMP and ALL questions have no port (the core ignores it): the field is off for them.
    let has_ports = crate::session::has_ports(&protocol);
    let port_bad = tv.diff.as_ref().is_some_and(|d| d.error.is_some());
    html! {
        <section class="tool" aria-label="Diff against the baseline">
            <BaselineBar />
            <form class="reach-form" onsubmit={onsubmit} aria-label="Flows to compare">
                <div class="field narrow">
                    <label for="diff-protocol">{ "Protocol" }</label>
                    <select id="diff-protocol" data-testid="diff-protocol" onchange={onprotocol} data-value={protocol.to_ascii_uppercase()}>
                        { for ["TCP", "UDP", "ICMP", "ALL"].iter().map(|p| html! {
                            <option value={*p} selected={protocol.eq_ignore_ascii_case(p)}>{ *p }</option>
                        }) }
                    </select>
                </div>
                <div class="field narrow">
                    <label for="diff-port">{ "Port" }</label>
                    <input id="diff-port" data-testid="diff-port" value={(*port).clone()} oninput={onport} inputmode="numeric"
                        disabled={!has_ports} title={if has_ports { "" } else { "ICMP and ALL have no port" }}
                        aria-invalid={port_bad.to_string()} aria-describedby={port_bad.then_some("diff-error")} />
                </div>
                <button type="submit" data-testid="diff-submit">{ "Compare flows" }</button>
                <span class="hint">{ crate::domain::diff::FLOWS_ASKED }</span>
            </form>
            {
                match tv.diff.clone() {
                    None if tv.baseline.is_none() => html! {
                        <p class="empty" data-testid="diff-no-baseline">{ "Set a baseline first: the diff compares the plan with it." }</p>
                    },
                    None => html! {},
                    Some(d) => html! { <DiffResult view={d} /> },
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DiffProps {
    view: Rc<DiffView>,
}

fn sign(c: Change) -> (&'static str, &'static str, &'static str) {
    match c {
        Change::Added => ("+", "added", "Added"),
        Change::Removed => ("−", "removed", "Removed"),
        Change::Changed => ("~", "changed", "Changed"),
    }
}

fn more(total: usize) -> Html {
    if total > DIFF_ROWS {
        html! { <li class="muted">{ format!("… and {} more", total - DIFF_ROWS) }</li> }
    } else {
        html! {}
    }
}

#[function_component]
fn DiffResult(props: &DiffProps) -> Html {
    let d = &props.view;
    let objects = d.settings.len() + d.objects.len();
    // With no flow compared (a bad port), the summary does not count flows it never asked about.
    let flows_said = match &d.error {
        Some(_) => "no flow compared".to_string(),
        None => format!(
            "{} gained, {} lost ({} checked, {}{})",
            crate::session::count(d.gained.len(), "flow", "flows"),
            d.lost.len(),
            crate::session::count(d.pairs_checked, "pair", "pairs"),
            d.traffic,
            if d.truncated { ", truncated: the pairs nearest the changes first" } else { "" }
        ),
    };
    let refused_said = if d.refused.is_empty() {
        String::new()
    } else {
        format!(" ({} never made)", crate::session::count(d.refused.len(), "listed link", "listed links"))
    };
    let count = crate::session::count;
    let summary = format!(
        "{}, {}{refused_said}, {} appeared, {} disappeared, {flows_said}",
        count(objects, "object change", "object changes"),
        count(d.links.len(), "link change", "link changes"),
        count(d.findings.appeared.len(), "finding", "findings"),
        d.findings.disappeared.len(),
    );
    let flows = |list: &[FlowChange], testid: &'static str, gained: bool| {
        html! {
            <ul class="diff-list" data-testid={testid}>
                { for list.iter().take(DIFF_ROWS).map(|f| html! {
                    <li class={classes!("diff-flow", if gained { "added" } else { "removed" })} data-testid="diff-flow"
                        data-from={f.from.to_string()} data-to={f.to.to_string()}>
                        <span class="sign" aria-hidden="true">{ if gained { "+" } else { "−" } }</span>
                        <code>{ f.from.to_string() }</code>{ " → " }<code>{ f.to.to_string() }</code>
                        <div class="reason">{ &f.reason }</div>
                    </li>
                }) }
                { more(list.len()) }
            </ul>
        }
    };
    let findings = |list: &[Finding], testid: &'static str| {
        html! {
            <ul class="diff-list" data-testid={testid}>
                { for list.iter().take(DIFF_ROWS).map(|f| html! { <FindingLine finding={f.clone()} testid="diff-finding" /> }) }
                { more(list.len()) }
            </ul>
        }
    };
    html! {
        <div class="diff" data-testid="diff" data-same={d.same.to_string()}>
            <p data-testid="diff-summary" class={classes!("diff-summary", d.same.then_some("same"))}>
                { if d.same { "✔ Nothing changed since the baseline. ".to_string() } else { String::new() } }{ summary }
            </p>
            if let Some(e) = &d.error {
                <p class="field-error" role="alert" id="diff-error" data-testid="diff-error">{ format!("No flow compared: {e}") }</p>
            }
            if objects > 0 {
                <h3>{ "Objects" }</h3>
                <ul class="diff-list" data-testid="diff-objects">
                    { for d.settings.iter().map(|s| html! {
                        <li class="changed" data-testid="diff-setting"><span class="sign" aria-hidden="true">{ "~" }</span>{ s }</li>
                    }) }
                    { for d.objects.iter().take(DIFF_ROWS).map(|o| {
                        let (sg, class, word) = sign(o.change);
                        html! {
                            <li class={class} data-testid="diff-object" data-id={o.id.clone()} data-change={class}>
                                <span class="sign" aria-hidden="true">{ sg }</span>
                                <span class="visually-hidden">{ word }{ " " }</span>
                                <span class="muted">{ o.section }</span>{ " " }<code>{ &o.id }</code>
                                if !o.fields.is_empty() { <span class="reason">{ format!(" — changed: {}", o.fields.join(", ")) }</span> }
                            </li>
                        }
                    }) }
                    { more(d.objects.len()) }
                </ul>
            }
            if !d.links.is_empty() {
                <h3>{ "Links" }</h3>
                <ul class="diff-list" data-testid="diff-links">
                    { for d.links.iter().take(DIFF_ROWS).map(|l| {
                        let (sg, class, word) = sign(l.change);
                        // What to do in Tencent Cloud (the calls, or why none), after the IPs of a changed link.
                        let why = match l.change {
                            Change::Changed => format!("link IP {}; {}", l.made_for("current IP"), l.action),
                            Change::Added | Change::Removed => l.action.clone(),
                        };
                        html! {
                            <li class={class} data-testid="diff-link" data-change={class}
                                data-instance={l.instance.clone()} data-vpc={l.vpc.clone()}>
                                <span class="sign" aria-hidden="true">{ sg }</span>
                                { word }{ " link " }<code>{ &l.instance }</code>{ " → " }<code>{ &l.vpc }</code>
                                <span class="reason">{ format!(" ({why})") }</span>
                            </li>
                        }
                    }) }
                    { more(d.links.len()) }
                </ul>
            }
            if !d.refused.is_empty() {
                <h3>{ "Listed links never made" }</h3>
                <ul class="diff-list" data-testid="diff-refused">
                    { for d.refused.iter().take(DIFF_ROWS).map(|r| {
                        let said = match r.change {
                            Change::Added => "listed, never made",
                            _ => "no longer listed (it was never made)",
                        };
                        html! {
                            <li class="changed" data-testid="diff-refused-link" data-instance={r.instance.clone()} data-vpc={r.vpc.clone()}>
                                <span class="sign" aria-hidden="true">{ "!" }</span>
                                { "refused link " }<code>{ &r.instance }</code>{ " → " }<code>{ &r.vpc }</code>
                                { format!(" {said}: ") }<span class="reason">{ &r.why }</span>
                            </li>
                        }
                    }) }
                    { more(d.refused.len()) }
                </ul>
            }
            if !d.findings.appeared.is_empty() {
                <h3>{ format!("Findings appeared ({})", d.findings.appeared.len()) }</h3>
                { findings(&d.findings.appeared, "diff-findings-appeared") }
            }
            if !d.findings.disappeared.is_empty() {
                <h3>{ format!("Findings disappeared ({})", d.findings.disappeared.len()) }</h3>
                { findings(&d.findings.disappeared, "diff-findings-disappeared") }
            }
            if !d.gained.is_empty() {
                <h3>{ format!("Flows gained ({} {})", d.protocol, d.port) }</h3>
                { flows(&d.gained, "diff-flows-gained", true) }
            }
            if !d.lost.is_empty() {
                <h3>{ format!("Flows lost ({} {})", d.protocol, d.port) }</h3>
                { flows(&d.lost, "diff-flows-lost", false) }
            }
        </div>
    }
}

// ---- Migration checklist ----

#[derive(Properties, PartialEq)]
struct MigrateProps {
    view: Rc<MigrateView>,
}

fn step(s: &Step) -> Html {
    html! {
        <li class={classes!("step", s.optional.then_some("optional"))}>
            if s.optional { <span class="tag">{ "optional" }</span>{ " " } }
            { &s.text }
            if let Some(api) = s.api { { " " }<code class="api">{ api }</code> }
        </li>
    }
}

#[function_component]
fn MigratePage(props: &MigrateProps) -> Html {
    let m = &props.view;
    let list = &m.checklist;
    // Instances a page at a time: at Tencent's largest size the whole checklist is some 60,000 elements.
    let shown = use_state(|| MIGRATE_PAGE);
    // Show more moves the focus to the first instance it shows (the button goes once all are shown).
    let list_ref = use_node_ref();
    let reveal = use_mut_ref(|| None::<usize>);
    let onmore = {
        let (shown, reveal) = (shown.clone(), reveal.clone());
        Callback::from(move |_: MouseEvent| {
            *reveal.borrow_mut() = Some(*shown);
            shown.set(*shown + MIGRATE_PAGE)
        })
    };
    {
        let (list_ref, reveal) = (list_ref.clone(), reveal.clone());
        use_effect_with(*shown, move |_| {
            if let Some(i) = reveal.borrow_mut().take() {
                let list = list_ref.cast::<web_sys::Element>();
                super::focus(list.and_then(|l| l.children().item(i as u32)));
            }
        });
    }
    let total = list.instances.len();
    html! {
        <section class="tool" aria-label="Migration checklist" data-testid="migrate">
            <p class="hint">
                { format!("{} to move into a VPC. For each: the ways in (preferred first) with \
                           the API that does each step, what limits them, and what to do afterwards.",
                           crate::session::count(list.instances.len(), "classic instance", "classic instances")) }
            </p>
            if list.instances.is_empty() {
                <p class="empty" data-testid="migrate-empty">{ "No classic instances to migrate." }</p>
            }
            <div class="migrate-list" data-testid="migrate-instances" ref={list_ref}>
                { for list.instances.iter().take(*shown).map(|m| html! {
                    <article class="migrate-instance" data-testid="migrate-instance" data-id={m.instance.clone()} tabindex="-1">
                        <h3>
                            <code>{ &m.instance }</code>{ " " }{ m.kind.label() }
                            if !m.name.is_empty() { { " " }<span class="muted">{ &m.name }</span> }
                            { " " }<span class="muted">{ m.ip.to_string() }</span>
                            <span class="target">{ match &m.target_vpc { Some(v) => format!("→ {v}"), None => "→ target VPC not chosen".into() } }</span>
                        </h3>
                        { for m.options.iter().enumerate().map(|(i, o)| html! {
                            <div class="way">
                                <h4>{ format!("Option {}: {}", (b'A' + i as u8) as char, o.way.title()) }</h4>
                                <ol>{ for o.steps.iter().map(step) }</ol>
                            </div>
                        }) }
                        if !m.constraints.is_empty() {
                            <h4>{ "Constraints" }</h4>
                            <ul class="constraints">{ for m.constraints.iter().map(|c| html! { <li>{ c }</li> }) }</ul>
                        }
                        if !m.afterwards.is_empty() {
                            <h4>{ "Afterwards" }</h4>
                            <ul>{ for m.afterwards.iter().map(step) }</ul>
                        }
                    </article>
                }) }
            </div>
            if total > *shown {
                <p class="row">
                    <button data-testid="migrate-more" onclick={onmore}>
                        { format!("Show {} more", MIGRATE_PAGE.min(total - *shown)) }
                    </button>
                    <span class="hint">{ format!(" {} of {total} instances shown; the Markdown below has them all.", *shown) }</span>
                </p>
            }
            if !list.skipped.is_empty() {
                <h3>{ "Skipped" }</h3>
                <ul data-testid="migrate-skipped">{ for list.skipped.iter().map(|s| html! { <li>{ s }</li> }) }</ul>
            }
            <TextOut id="migrate-markdown" label="Checklist as Markdown (with check boxes)" text={m.markdown.clone()}
                filename="migration-checklist.md" copy_testid="migrate-copy" download_testid="migrate-download" />
        </section>
    }
}

// ---- Help ----

#[derive(Properties, PartialEq)]
struct HelpProps {
    view: HelpView,
}

fn links(ids: &[&'static str], reasons: &[&'static str]) -> Html {
    html! {
        <>
            { for ids.iter().map(|id| html! { <RuleLink id={id.to_string()} /> }) }
            { for reasons.iter().map(|r| html! { <code class="reason-code" title="reach reason code">{ *r }</code> }) }
        </>
    }
}

/// Rows of the reference's table of rules (tencent-cloud.md §1), told apart from the catalogue's CL rules.
fn refs(r: &[u8]) -> String {
    if r.is_empty() {
        return String::new();
    }
    let n: Vec<String> = r.iter().map(|n| n.to_string()).collect();
    format!("reference rule {}", n.join(", "))
}

#[function_component]
fn HelpPage(props: &HelpProps) -> Html {
    let store = use_store();
    let h = &props.view;
    let onclose = tool_cb(&store, |_: MouseEvent| ToolAction::HelpRule(None));
    // An explanation that opens (from a rule link anywhere) is scrolled into view and takes the focus; closed, the
    // focus goes to the help page rather than to the document.
    let (rule_ref, page_ref) = (use_node_ref(), use_node_ref());
    {
        let (rule_ref, page_ref) = (rule_ref.clone(), page_ref.clone());
        let shown = h.rule.as_ref().map(|r| r.info.id);
        let was = use_mut_ref(|| None::<&'static str>);
        use_effect_with(shown, move |shown| {
            let target = match (shown, *was.borrow()) {
                (Some(_), _) => rule_ref.cast::<web_sys::HtmlElement>(),
                (None, Some(_)) => page_ref.cast::<web_sys::HtmlElement>(),
                (None, None) => None,
            };
            *was.borrow_mut() = *shown;
            if let Some(el) = target {
                el.scroll_into_view();
                let _ = el.focus();
            }
        });
    }
    html! {
        <section class="tool help" aria-label="Classic network vs VPC" tabindex="-1" ref={page_ref}>
            if let Some(RuleHelp { info: r, explained_by, seed_lang, seed_source }) = &h.rule {
                <div class="rule-help" data-testid="help-rule" data-rule={r.id} role="region" aria-label={format!("Rule {}", r.id)}
                    tabindex="-1" ref={rule_ref.clone()}>
                    <div class="row spread">
                        <h3>
                            <span class="rule-id">{ r.id }</span>{ " " }<span class="rule-name">{ r.name }</span>{ " " }
                            <span class={classes!("sev", r.severity.as_str())}>{ severity_icon(r.severity) }{ " " }{ severity_word(r.severity) }</span>
                        </h3>
                        <button class="link" onclick={onclose.clone()} aria-label="Close the explanation">{ "×" }</button>
                    </div>
                    <p><strong>{ r.summary }</strong></p>
                    if let Some(api) = r.api_error { <p>{ "The API answers " }{ super::api_code(api, None) }</p> }
                    <p><strong>{ "What. " }</strong>{ super::prose(r.what) }</p>
                    <p><strong>{ "Why. " }</strong>{ super::prose(r.why) }</p>
                    <p><strong>{ "Example. " }</strong>{ super::prose(r.example) }</p>
                    <p><strong>{ "Fix. " }</strong>{ super::prose(r.fix) }</p>
                    <blockquote><span lang={*seed_lang} data-testid="help-rule-seed">{ r.seed }</span><span class="muted">{ format!(" — {seed_source}") }</span></blockquote>
                    if !explained_by.is_empty() {
                        <p class="hint">{ format!("Explained by: {}", explained_by.join(", ")) }</p>
                    }
                </div>
            }
            if let Some(id) = &h.unknown_rule {
                <p class="field-error" data-testid="help-unknown-rule">{ format!("{id} is not a rule of the catalogue.") }
                    <button class="link" onclick={onclose}>{ "×" }</button></p>
            }
            <h3>{ "Classic network vs VPC" }</h3>
            <div class="table-scroll">
                <table class="help-table" data-testid="help-comparison">
                    <thead><tr><th>{ "Feature" }</th><th>{ "Classic network" }</th><th>{ "VPC" }</th><th>{ "Rules" }</th></tr></thead>
                    <tbody>
                        { for h.comparison.iter().map(|r| html! {
                            <tr data-testid="help-comparison-row" data-feature={r.feature}>
                                <th scope="row">{ r.feature }<div class="ja" lang="ja">{ r.feature_ja }</div></th>
                                <td>{ r.classic }</td>
                                <td>{ r.vpc }</td>
                                <td class="rules-cell">{ links(r.rule_ids, r.reach_reasons) }<div class="refs">{ refs(r.reference_rules) }</div></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <h3>{ "Resources shared by both networks" }</h3>
            <div class="table-scroll">
                <table class="help-table" data-testid="help-shared">
                    <thead><tr><th>{ "Resource" }</th><th>{ "Shared" }</th><th>{ "How" }</th><th>{ "Rules" }</th></tr></thead>
                    <tbody>
                        { for h.shared.iter().map(|r| html! {
                            <tr data-testid="help-shared-row" data-resource={r.resource}>
                                <th scope="row">{ r.resource }<div class="ja" lang="ja">{ r.resource_ja }</div></th>
                                <td class={if r.shared { "yes" } else { "no" }}>{ if r.shared { "✔ yes" } else { "✖ no" } }</td>
                                <td>{ r.description }</td>
                                <td class="rules-cell">{ links(r.rule_ids, r.reach_reasons) }<div class="refs">{ refs(r.reference_rules) }</div></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <h3>{ "Moving a classic CVM into a VPC" }</h3>
            <ol class="help-steps" data-testid="help-steps">
                { for h.steps.iter().map(|s| html! {
                    <li>
                        if s.optional { <span class="tag">{ "optional" }</span>{ " " } }
                        { s.text }{ " " }<code class="api">{ s.api }</code>
                        <div class="ja" lang="ja">{ s.text_ja }</div>
                    </li>
                }) }
            </ol>
            <p class="hint">{ "Rule IDs open their explanation; codes such as SECURITY_GROUP are the reasons a reachability answer gives; “reference rule N” names a row of the reference's table of rules (tencent-cloud.md)." }</p>
        </section>
    }
}
