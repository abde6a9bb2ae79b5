//! Drawing: add, edit and delete every kind of object. The form validates on every keystroke through the session
//! (domain parsers plus `load::validate` on the candidate plan) and cannot apply an invalid edit.

use super::{dispatcher, use_store, Part};
use crate::session::forms::{RULE_PROTOCOLS, VERDICTS};
use crate::session::{Action, FieldInput, FieldView, FormView, ObjectKind, RuleList, RuleOp, RuleRow};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The draw tab.
#[function_component]
pub fn DrawPanel() -> Html {
    let store = use_store();
    let vm = store.view.clone();
    let kind = use_state(|| ObjectKind::Classic);
    let onkind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            if let Some(k) = ObjectKind::parse(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                kind.set(k);
            }
        })
    };
    // A new object's form opened elsewhere ("Add subnet" on a selected VPC) sets the menu to its kind.
    {
        let kind = kind.clone();
        let adding = vm.form.as_ref().filter(|f| f.editing.is_none()).map(|f| f.kind);
        use_effect_with(adding, move |adding| {
            if let Some(k) = adding {
                kind.set(*k);
            }
        });
    }
    let onadd = {
        let kind = kind.clone();
        dispatcher(&store, move |_: MouseEvent| Action::OpenForm { kind: *kind, id: None, vpc: None })
    };
    // When the form closes (added, saved or cancelled), focus returns to "New…" rather than to the page.
    let add_ref = use_node_ref();
    let was_open = use_mut_ref(|| false);
    {
        let (add_ref, was_open) = (add_ref.clone(), was_open.clone());
        use_effect_with(vm.form.is_some(), move |open| {
            if std::mem::replace(&mut *was_open.borrow_mut(), *open) && !*open {
                super::focus(add_ref.cast::<web_sys::Element>());
            }
        });
    }
    html! {
        <div class="draw-panel">
            <div class="row">
                <label for="add-kind">{ "Add" }</label>
                <select id="add-kind" data-testid="add-kind" onchange={onkind} data-value={kind.as_str()}>
                    { for ObjectKind::ALL.iter().map(|k| html! {
                        <option value={k.as_str()} selected={*k == *kind}>{ k.label() }</option>
                    }) }
                </select>
                <button class="primary" data-testid="add-open" onclick={onadd} ref={add_ref}>{ "New…" }</button>
            </div>
            if vm.form.is_some() { <FormCard /> }
            if !vm.others.is_empty() {
                <h3>{ "Other objects" }</h3>
                <ul class="others">
                    { for vm.others.iter().map(|(k, id)| {
                        let (k2, id2) = (*k, id.clone());
                        let onedit = dispatcher(&store, move |_: MouseEvent| Action::OpenForm { kind: k2, id: Some(id2.clone()), vpc: None });
                        let id3 = id.clone();
                        let delete = dispatcher(&store, move |_: ()| Action::Delete { id: id3.clone() });
                        // Focus moves to the next row's Delete (or the previous row's), not to the page.
                        let ondelete = Callback::from(move |e: MouseEvent| {
                            let row = e.target_dyn_into::<web_sys::Element>().and_then(|b| b.closest("li").ok().flatten());
                            let near = row.and_then(|r| r.next_element_sibling().or_else(|| r.previous_element_sibling()));
                            let next = near.and_then(|r| r.query_selector("button.danger").ok().flatten());
                            delete.emit(());
                            super::focus(next);
                        });
                        html! {
                            <li key={id.clone()}>
                                <span class="muted">{ k.label() }</span>{ " " }<code>{ id }</code>
                                <button class="link" onclick={onedit} aria-label={format!("Edit {id}")}>{ "Edit" }</button>
                                <button class="link danger" onclick={ondelete} aria-label={format!("Delete {id}")}>{ "Delete" }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
            <p class="hint">{ "Classic instances, VPCs, subnets, resources and gateways: select them in the diagram, then Edit or Delete." }</p>
            <p class="hint" data-testid="expectations-hint">{ "Expectations: add one here (Add › Expectation); edit or delete them in the Checks panel’s Expectations list." }</p>
        </div>
    }
}

#[function_component]
fn FormCard() -> Html {
    let store = use_store();
    let vm = store.view.clone();
    // A refused save hands the focus to the first field it says is wrong (Save is then off: the focus fell to
    // Cancel, where a second Enter asked to discard the changes).
    super::use_focus_requests(Part::Form);
    let Some(form) = vm.form.clone() else { return html! {} };
    let onsubmit = {
        let submit = dispatcher(&store, |_: ()| Action::SubmitForm);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            submit.emit(());
            // Found only if the save was refused: a saved form is gone, and a form just opened marks no field.
            super::focus_once_drawn(Part::Form, || {
                gloo::utils::document()
                    .query_selector("[data-testid=\"object-form\"] [aria-invalid=\"true\"]")
                    .ok()
                    .flatten()
            });
        })
    };
    let onclose = dispatcher(&store, |_: MouseEvent| Action::CloseForm);
    let ondiscard = dispatcher(&store, |_: MouseEvent| Action::DiscardForm);
    let onkeep = dispatcher(&store, |_: MouseEvent| Action::KeepEditing);
    // Escape cancels the form, as its Cancel button does (with unsaved changes, the form asks first; Escape again
    // answers Keep editing, the answer that loses nothing).
    let onkeydown = {
        let close = dispatcher(&store, |_: ()| Action::CloseForm);
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                close.emit(());
            }
        })
    };
    let onfield = dispatcher(&store, |(key, value): (String, String)| Action::SetField { key, value });
    let onrule = dispatcher(&store, |(list, op): (RuleList, RuleOp)| Action::RuleEdit { list, op });
    let valid = form.valid;
    // A form that opens (New…, or Edit here or in the selection panel) takes the focus on its first field. Its
    // question before unsaved changes are dropped takes it on Keep editing, the answer that loses nothing; that
    // answer gives it back to the form's control that had it when the question came (else the first field).
    let form_ref = use_node_ref();
    let asked_from = use_mut_ref(|| None::<(ObjectKind, Option<String>, web_sys::Element)>);
    {
        let (form_ref, asked_from) = (form_ref.clone(), asked_from.clone());
        use_effect_with((form.kind, form.editing.clone(), form.discard.is_some()), move |(kind, editing, asking)| {
            let Some(el) = form_ref.cast::<web_sys::Element>() else { return };
            let find = |sel: &str| el.query_selector(sel).ok().flatten();
            let active = gloo::utils::document().active_element();
            if *asking {
                let inside = active.filter(|a| el.contains(Some(a)));
                *asked_from.borrow_mut() = inside.map(|a| (*kind, editing.clone(), a));
                super::focus(find("[data-testid=\"form-keep\"]"));
                return;
            }
            // A focus request for a control of the form carried out in this same render (a reach answer's Edit of
            // the blocking rule: the rule editors draw first) keeps its focus.
            if super::focused_by_request(&el) {
                return;
            }
            // Only to a control of this same form (a form opened by Discard reuses the elements of the last one).
            let back = asked_from.borrow_mut().take().filter(|(k, e, a)| k == kind && e == editing && a.is_connected());
            // A new object's first field that is empty: its first field may be filled in already (the VPC of
            // "Add subnet" on a selected VPC).
            let empty = || {
                let fields = el.query_selector_all("input").ok()?;
                (0..fields.length())
                    .filter_map(|i| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(fields.item(i)?).ok())
                    .find(|f| f.value().is_empty())
                    .map(Into::into)
            };
            let first = || if editing.is_none() { empty() } else { None }.or_else(|| find("input, select"));
            super::focus(back.map(|(_, _, a)| a).or_else(first));
        });
    }
    html! {
        <form class="form-card" data-testid="object-form" data-kind={form.kind.as_str()} onsubmit={onsubmit}
            aria-label={form.title.clone()} ref={form_ref} {onkeydown}>
            <h3>{ &form.title }{ form.editing.as_ref().map(|e| format!(" {e}")).unwrap_or_default() }</h3>
            <div class="form-grid">
                { for form.fields.iter().map(|f| html! { <FieldRow field={f.clone()} onfield={onfield.clone()} /> }) }
            </div>
            if let Some((ingress, egress)) = &form.rules {
                <RuleEditor list={RuleList::Ingress} rows={ingress.clone()} onrule={onrule.clone()} form={form.clone()} />
                <RuleEditor list={RuleList::Egress} rows={egress.clone()} onrule={onrule.clone()} form={form.clone()} />
            }
            // Always in the page, so that errors appearing as the user types are read out (politely: each field
            // also names its own).
            <div aria-live="polite">
                if let Some(summary) = &form.summary {
                    <div class="errors" data-testid="form-errors">
                        <p><strong>{ summary }</strong></p>
                        <ul>{ for form.lines.iter().map(|line| html! { <li>{ line }</li> }) }</ul>
                    </div>
                }
            </div>
            // The question before unsaved changes are dropped (Cancel, Escape, or another form asked for): in the
            // form, an alert dialog that is read out as the focus moves to it.
            if let Some(ask) = &form.discard {
                <div class="discard-ask" role="alertdialog" aria-labelledby="discard-question"
                    aria-describedby="discard-detail" data-testid="discard-ask">
                    <p id="discard-question"><strong>{ ask.question }</strong></p>
                    <p id="discard-detail">{ &ask.detail }</p>
                    <div class="row">
                        <button type="button" class="danger" data-testid="form-discard" onclick={ondiscard}>{ "Discard" }</button>
                        <button type="button" class="primary" data-testid="form-keep" onclick={onkeep}>{ "Keep editing" }</button>
                    </div>
                </div>
            }
            <div class="row">
                // Off once errors show; a form not yet typed in can be submitted, and that shows its errors.
                <button type="submit" class="primary" data-testid="form-submit" disabled={!form.errors.is_empty()}>
                    { if form.editing.is_some() { "Save" } else { "Add" } }
                </button>
                <button type="button" data-testid="form-cancel" onclick={onclose}>{ "Cancel" }</button>
                if valid { <span class="hint ok">{ "✔ valid" }</span> }
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct FieldProps {
    field: FieldView,
    onfield: Callback<(String, String)>,
}

#[function_component]
fn FieldRow(props: &FieldProps) -> Html {
    let f = &props.field;
    let key = f.key.to_string();
    let id = format!("field-{}", f.key);
    let bad = !f.errors.is_empty();
    let described = format!("{id}-hint");
    let control = match f.input {
        FieldInput::Text => {
            let (cb, key) = (props.onfield.clone(), key.clone());
            let oninput = Callback::from(move |e: InputEvent| {
                cb.emit((key.clone(), e.target_unchecked_into::<HtmlInputElement>().value()))
            });
            html! { <input id={id.clone()} data-testid={id.clone()} value={f.value.clone()} {oninput}
            aria-invalid={bad.to_string()} aria-describedby={described.clone()} disabled={f.off.is_some()} /> }
        }
        FieldInput::Select(_) | FieldInput::Vpc => {
            let (cb, key) = (props.onfield.clone(), key.clone());
            let onchange = Callback::from(move |e: Event| {
                cb.emit((key.clone(), e.target_unchecked_into::<HtmlSelectElement>().value()))
            });
            html! {
                <select id={id.clone()} data-testid={id.clone()} {onchange} aria-invalid={bad.to_string()} data-value={f.value.clone()}
                    aria-describedby={described.clone()}>
                    { for f.options.iter().map(|o| html! { <option value={o.clone()} selected={*o == f.value}>{ o }</option> }) }
                </select>
            }
        }
        FieldInput::Check => {
            let (cb, key) = (props.onfield.clone(), key.clone());
            let onchange = Callback::from(move |e: Event| {
                cb.emit((key.clone(), e.target_unchecked_into::<HtmlInputElement>().checked().to_string()))
            });
            html! { <input type="checkbox" id={id.clone()} data-testid={id.clone()} checked={f.value == "true"} {onchange}
            aria-describedby={described.clone()} /> }
        }
    };
    html! {
        <div class={classes!("field", bad.then_some("invalid"))}>
            <label for={id.clone()}>{ f.label }</label>
            { control }
            <small id={described}>
                if bad { <span class="field-error">{ "✖ " }{ f.errors.join("; ") }</span> } else { { f.off.unwrap_or(f.hint) } }
                if let Some(now) = &f.plan_now {
                    <span class="field-note" data-testid={format!("{id}-plan-now")}>
                        { format!(" ⚠ Changed in the plan since this form opened: it now has \u{201c}{now}\u{201d}; Save writes the value here.") }
                    </span>
                }
            </small>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RuleEditorProps {
    list: RuleList,
    rows: Vec<RuleRow>,
    onrule: Callback<(RuleList, RuleOp)>,
    /// The whole form, for the errors of each cell.
    form: FormView,
}

/// A rule editor's cell label (`ingress rule 0 protocol`): its name for a screen reader, and how it is found.
fn rule_cell_label(list: &str, row: usize, col: &str) -> String {
    format!("{list} rule {row} {col}")
}

/// The test ID of a rule list's Add button (`rule-add-ingress`).
fn rule_add_testid(list: &str) -> String {
    format!("rule-add-{list}")
}

/// What to focus to edit rule `row` of `list`: its first cell; for `None` (an implicit drop or default deny, after the
/// last rule), the list's Add button.
pub fn rule_focus_selector(list: RuleList, row: Option<usize>) -> String {
    match row {
        Some(i) => format!("[aria-label=\"{}\"]", rule_cell_label(list.as_str(), i, "protocol")),
        None => format!("[data-testid=\"{}\"]", rule_add_testid(list.as_str())),
    }
}

#[function_component]
fn RuleEditor(props: &RuleEditorProps) -> Html {
    let list = props.list;
    let name = list.as_str();
    let n = props.rows.len();
    super::use_focus_requests(Part::Rules(name));
    let op = |o: RuleOp| {
        let cb = props.onrule.clone();
        Callback::from(move |e: MouseEvent| {
            // A rule moved by keyboard keeps the focus: on the same button of its new row (or the other arrow,
            // when that one is now disabled at the top or the bottom).
            let moved_to = match o {
                RuleOp::Up(i) => Some(i.saturating_sub(1)),
                RuleOp::Down(i) => Some(i + 1),
                _ => None,
            };
            let list_el = e.target_dyn_into::<web_sys::Element>().and_then(|b| b.closest("fieldset").ok().flatten());
            cb.emit((list, o.clone()));
            // A rule deleted by keyboard hands the focus to the Delete of the rule now in its row (the rows have no
            // identity of their own: the browser would keep it on a button that now belongs to the row above),
            // or of the last rule, or to "Add rule" when none is left.
            // Looked up once the rows are drawn again.
            if let (RuleOp::Delete(i), Some(fs)) = (&o, &list_el) {
                let (i, fs) = (*i, fs.clone());
                super::focus_once_drawn(Part::Rules(name), move || {
                    let pick = match n {
                        1 => fs.query_selector(&rule_focus_selector(list, None)),
                        _ => fs.query_selector(&format!("[aria-label=\"Delete {name} rule {}\"]", i.min(n - 2))),
                    };
                    pick.ok().flatten()
                });
                return;
            }
            let (Some(j), Some(fs)) = (moved_to, list_el) else { return };
            // The same arrow on the moved rule, unless it is now disabled (the rule reached the top or the bottom).
            let up_again = matches!(o, RuleOp::Up(_)) && j > 0;
            let down_again = matches!(o, RuleOp::Down(_)) && j + 1 < n;
            let arrow = if up_again || (matches!(o, RuleOp::Down(_)) && !down_again) { "up" } else { "down" };
            let pick = fs.query_selector(&format!("[aria-label=\"Move {name} rule {j} {arrow}\"]")).ok().flatten();
            super::focus(pick);
        })
    };
    // A security group rule's peer may be a group (the core reads the cell); an ACL rule's is addresses only.
    let peer_head = if props.form.kind == ObjectKind::SecurityGroup { "Peer: CIDR, IP or sg ID" } else { "CIDR / IP" };
    html! {
        <fieldset class="rules" data-testid={format!("rules-{name}")}>
            <legend>{ format!("{} rules (first match wins)", if list == RuleList::Ingress { "Inbound" } else { "Outbound" }) }</legend>
            if n == 0 {
                // No table of no rows (its headings stood apart over nothing): what an empty list does.
                <p class="hint" data-testid={format!("rules-empty-{name}")}>{ list.when_empty(props.form.kind) }</p>
            } else {
            <table>
                <thead><tr><th>{ "#" }</th><th>{ "Protocol" }</th><th>{ "Port" }</th><th>{ peer_head }</th><th>{ "Action" }</th><th>{ "Note" }</th><th><span class="visually-hidden">{ "Order" }</span></th></tr></thead>
                <tbody>
                    { for props.rows.iter().enumerate().map(|(i, r)| {
                        let set = |col: &'static str| {
                            let cb = props.onrule.clone();
                            Callback::from(move |e: Event| {
                                let t: web_sys::EventTarget = e.target().expect("event target");
                                let v = match wasm_bindgen::JsCast::dyn_ref::<HtmlSelectElement>(&t) {
                                    Some(s) => s.value(),
                                    None => wasm_bindgen::JsCast::unchecked_ref::<HtmlInputElement>(&t).value(),
                                };
                                cb.emit((list, RuleOp::Set(i, col.to_string(), v)))
                            })
                        };
                        let label = |col: &str| rule_cell_label(name, i, col);
                        // Typed cells apply on every keystroke, as the other fields do, and say what is wrong in place.
                        let typed = |col: &'static str| set(col).reform(|e: InputEvent| e.into());
                        let error = |col: &str| props.form.rule_error(list, i, col);
                        let (port_error, cidr_error) = (error("port"), error("cidr"));
                        let described = |col: &str, e: &Option<String>| e.as_ref().map(|_| format!("rule-{name}-{i}-{col}-error"));
                        html! {
                            <>
                            <tr>
                                <td>{ i }</td>
                                <td><select aria-label={label("protocol")} onchange={set("protocol")} data-value={r.protocol.clone()}>
                                    { for RULE_PROTOCOLS.iter().map(|p| html! { <option value={*p} selected={r.protocol == *p}>{ *p }</option> }) }
                                </select></td>
                                <td><input aria-label={label("port")} class="short" value={r.port.clone()} oninput={typed("port")}
                                    aria-invalid={port_error.is_some().to_string()} aria-describedby={described("port", &port_error)} /></td>
                                <td><input aria-label={label("peer")} value={r.cidr.clone()} oninput={typed("cidr")}
                                    aria-invalid={cidr_error.is_some().to_string()} aria-describedby={described("cidr", &cidr_error)} /></td>
                                <td><select aria-label={label("action")} onchange={set("action")} data-value={r.action.clone()}>
                                    { for VERDICTS.iter().map(|a| html! { <option value={*a} selected={r.action == *a}>{ *a }</option> }) }
                                </select></td>
                                <td><input aria-label={label("note")} value={r.description.clone()} oninput={typed("description")} /></td>
                                <td class="order">
                                    <button type="button" class="icon" aria-label={format!("Move {name} rule {i} up")} disabled={i == 0} onclick={op(RuleOp::Up(i))}>{ "↑" }</button>
                                    <button type="button" class="icon" aria-label={format!("Move {name} rule {i} down")} disabled={i + 1 == n} onclick={op(RuleOp::Down(i))}>{ "↓" }</button>
                                    <button type="button" class="icon danger" aria-label={format!("Delete {name} rule {i}")} onclick={op(RuleOp::Delete(i))}>{ "×" }</button>
                                </td>
                            </tr>
                            if port_error.is_some() || cidr_error.is_some() {
                                <tr class="rule-errors">
                                    <td></td>
                                    <td colspan="6">
                                        { for [("port", &port_error), ("cidr", &cidr_error)].into_iter().filter_map(|(col, e)| e.as_ref().map(|m| html! {
                                            <small class="field-error" id={format!("rule-{name}-{i}-{col}-error")}>
                                                { format!("✖ {}: {m}", if col == "cidr" { "peer" } else { "port" }) }
                                            </small>
                                        })) }
                                    </td>
                                </tr>
                            }
                            </>
                        }
                    }) }
                </tbody>
            </table>
            }
            <button type="button" data-testid={rule_add_testid(name)} onclick={op(RuleOp::Add)}>{ format!("Add {name} rule") }</button>
            if list == RuleList::Ingress { <p class="hint">{ "Unmatched traffic is dropped (security group) or denied by default (ACL)." }</p> }
        </fieldset>
    }
}
