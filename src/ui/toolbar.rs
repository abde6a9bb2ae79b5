//! The header: plan name, toolbar (New, Import, Export, Share link, Undo, Redo) and their panels; the notice bar.

use super::text_out::TextOut;
use super::{browser, dispatcher, use_store, StoreHandle};
use crate::session::{plan_name, thousands, Action, Session, Tone};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Panel {
    None,
    Import,
    Export,
    Share,
}

/// The header and toolbar.
#[function_component]
pub fn Header() -> Html {
    let store = use_store();
    let vm = store.view.clone();
    let panel = use_state(|| Panel::None);
    let toggle = |p: Panel| {
        let panel = panel.clone();
        Callback::from(move |_: MouseEvent| panel.set(if *panel == p { Panel::None } else { p }))
    };
    let onrename = dispatcher(&store, |e: Event| Action::Rename(e.target_unchecked_into::<HtmlInputElement>().value()));
    let onundo = dispatcher(&store, |_: MouseEvent| Action::Undo);
    let onredo = dispatcher(&store, |_: MouseEvent| Action::Redo);
    let onnew = dispatcher(&store, |_: MouseEvent| Action::NewPlan);
    let pressed = |p: Panel| if *panel == p { "true" } else { "false" };
    // Escape closes the open panel and gives the focus back to its button.
    let onpanelkey = {
        let panel = panel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                let header = e.target_dyn_into::<web_sys::Element>().and_then(|t| t.closest("header").ok().flatten());
                super::focus(header.and_then(|h| h.query_selector("button[aria-pressed=\"true\"]").ok().flatten()));
                panel.set(Panel::None);
            }
        })
    };
    html! {
        // The masthead: pinned to the top of the window with the notice under the header. With a panel open it is no
        // box of its own (style.css): the header scrolls away with the page and the notice alone stays in view.
        <div class="masthead">
            <header class="header">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{ "⇄" }</span>
                    <div>
                        <h1 class="product">{ "Classiclink planner" }</h1>
                        <label class="visually-hidden" for="plan-name">{ "Plan name" }</label>
                        // A name longer than the field ends in an ellipsis (style.css); its title says it whole.
                        <input id="plan-name" class="plan-name" data-testid="plan-name" value={vm.name.clone()}
                            title={vm.name.clone()} placeholder="Untitled plan" onchange={onrename} />
                    </div>
                </div>
                <nav class="toolbar" aria-label="Plan actions">
                    <button data-testid="new-plan" onclick={onnew}>{ "New" }</button>
                    <button data-testid="import-open" aria-pressed={pressed(Panel::Import)} onclick={toggle(Panel::Import)}>{ "Import" }</button>
                    <button data-testid="export-open" aria-pressed={pressed(Panel::Export)} onclick={toggle(Panel::Export)}>{ "Export" }</button>
                    <button data-testid="share-open" aria-pressed={pressed(Panel::Share)} onclick={toggle(Panel::Share)}>{ "Share link" }</button>
                    <span class="sep" aria-hidden="true"></span>
                    // The step each would take, named before it is taken.
                    <button data-testid="undo" disabled={!vm.can_undo} onclick={onundo}
                        title={vm.undo_what.as_ref().map_or("Undo (Ctrl+Z)".to_string(), |w| format!("Undo: {w} (Ctrl+Z)"))}
                        aria-keyshortcuts="Control+Z"><span aria-hidden="true">{ "↶ " }</span>{ "Undo" }</button>
                    <button data-testid="redo" disabled={!vm.can_redo} onclick={onredo}
                        title={vm.redo_what.as_ref().map_or("Redo (Ctrl+Shift+Z)".to_string(), |w| format!("Redo: {w} (Ctrl+Shift+Z)"))}
                        aria-keyshortcuts="Control+Shift+Z"><span aria-hidden="true">{ "↷ " }</span>{ "Redo" }</button>
                    if let Some(reason) = vm.unsaved.clone() {
                        <span class="unsaved" data-testid="unsaved" title={format!("The last autosave failed: {reason}")}>
                            <span aria-hidden="true">{ "⚠ " }</span>{ "Not saved in this browser" }
                        </span>
                    }
                </nav>
                <div class="panel-slot" onkeydown={onpanelkey}>
                    {
                        match *panel {
                            Panel::Import => html! { <ImportPanel /> },
                            Panel::Export => html! { <ExportPanel /> },
                            Panel::Share => html! { <SharePanel /> },
                            Panel::None => html! {},
                        }
                    }
                </div>
            </header>
            // Pinned with the header, or on its own with a panel open: a message about an action far down the page
            // (a refused IP change, a refused link) is in view wherever the page is scrolled.
            <NoticeBar />
        </div>
    }
}

#[function_component]
fn ImportPanel() -> Html {
    let store = use_store();
    let vm = store.view.clone();
    let text = use_state(String::new);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let onimport = {
        let text = text.clone();
        dispatcher(&store, move |_: MouseEvent| Action::ImportJson((*text).clone()))
    };
    let onfile = browser::use_text_file_input({
        let store = store.clone();
        Callback::from(move |t: Result<String, String>| {
            store.dispatch(match t {
                Ok(text) => Action::ImportJson(text),
                Err(why) => Action::ImportUnreadable(why),
            })
        })
    });
    let kept = use_kept_plans(&store);
    html! {
        <section class="panel drop" aria-label="Import a plan">
            <div class="row">
                <label for="import-file">{ "Plan file (.json)" }</label>
                <input id="import-file" type="file" accept=".json,application/json" data-testid="import-file" onchange={onfile} />
            </div>
            <label for="import-text">{ "…or paste plan JSON" }</label>
            <textarea id="import-text" rows="8" data-testid="import-text" value={(*text).clone()} {oninput}
                spellcheck="false" placeholder="{ \"format\": \"classiclink-plan\", \"version\": 1, … }"
                aria-invalid={(!vm.import_errors.is_empty()).then_some("true")}
                aria-describedby={(!vm.import_errors.is_empty()).then_some("import-errors")} />
            <div class="row">
                <button class="primary" data-testid="import-submit" onclick={onimport}>{ "Import" }</button>
                <span class="hint">{ "An invalid plan is refused with every error listed; the current plan stays." }</span>
            </div>
            { kept }
            <super::PathErrors errors={vm.import_errors.clone()} id="import-errors" testid="import-errors" item="import-error" />
        </section>
    }
}

/// The rows of the plans kept aside in this browser (see `browser::first_load` and `browser::keep_overwritten`), each
/// to open,
/// download or discard. A hook of the import panel rather than a component of its own: each component compiles its
/// own copy of Yew's lifecycle code.
#[hook]
fn use_kept_plans(store: &StoreHandle) -> Html {
    // Read once per opening of the import panel, and again after a discard, a change of plan (a share link opened
    // into this tab keeps the plan it replaces) or another tab's write to this browser's storage (its save can set
    // this tab's plan aside; it can discard or keep plans itself). Shared, not copied: the panel renders on every
    // change while it is open, and a kept plan can be megabytes.
    // A count of the reasons to read again (a listener outlives the render whose state it would capture).
    let reads = use_mut_ref(|| 0u32);
    let redraw = use_force_update();
    let read_again = Rc::new({
        let reads = reads.clone();
        move || {
            *reads.borrow_mut() += 1;
            redraw.force_update();
        }
    });
    {
        let read_again = read_again.clone();
        use_effect_with((), move |_| {
            // After the app's own listener (registered first), which may have just set this tab's plan aside. Only
            // when a kept plan may have changed: another tab's autosaves come every few seconds while it is edited,
            // and reading a kept plan's name parses megabytes.
            let seen = std::cell::Cell::new(browser::kept_writes());
            let listener = gloo::events::EventListener::new(&gloo::utils::window(), "storage", move |e| {
                if browser::kept_changed_by(e) || seen.replace(browser::kept_writes()) != browser::kept_writes() {
                    read_again();
                }
            });
            move || drop(listener)
        });
    }
    let kept = use_memo((*reads.borrow(), store.view.revision), |_| {
        let read = |(key, text): (String, String)| {
            (key, plan_name(&text), browser::stored_len(&text), std::rc::Rc::<str>::from(text))
        };
        browser::kept().into_iter().map(read).collect::<Vec<_>>()
    });
    // Discarding cannot be undone: the first click asks again (about the plan the row showed: its key and text; when
    // another tab puts another plan under that key, the question no longer shows, as it was not asked of that plan).
    // The question takes the focus on its safe answer, "Keep it", and Escape answers it so.
    let confirming = use_state(|| None::<(String, Rc<str>)>);
    let keep_ref = use_node_ref();
    {
        let keep_ref = keep_ref.clone();
        use_effect_with((*confirming).clone(), move |asked| {
            if asked.is_some() {
                super::focus(keep_ref.cast::<web_sys::Element>());
            }
        });
    }
    let rows = kept.iter().enumerate().map(|(n, (key, name, chars, text))| {
        let label = match name.as_deref() {
            Some("") => "an unnamed plan".to_string(),
            Some(n) => format!("\u{201c}{n}\u{201d}"),
            None => "text that is not plan JSON".to_string(),
        };
        let onopen = {
            let text = text.clone();
            dispatcher(store, move |_: MouseEvent| Action::ImportJson(text.to_string()))
        };
        let ondownload = {
            let text = text.clone();
            let filename = format!("kept-{}.json", browser::file_stem(name.as_deref().unwrap_or_default()));
            Callback::from(move |_: MouseEvent| browser::download(&filename, &Session::kept_for_download(&text)))
        };
        let ask = |ask: Option<(String, Rc<str>)>| {
            let confirming = confirming.clone();
            Callback::from(move |_: MouseEvent| confirming.set(ask.clone()))
        };
        let ondiscard = {
            let (store, read_again, confirming) = (store.clone(), read_again.clone(), confirming.clone());
            let (key, text) = (key.clone(), text.clone());
            Callback::from(move |_: MouseEvent| {
                let done = browser::discard_kept(&key, &text);
                confirming.set(None);
                read_again();
                if !done {
                    store.dispatch(Action::KeptChangedElsewhere);
                    return;
                }
                store.dispatch(Action::KeptDiscarded);
                // Saved at once: the room made may be what the autosave was waiting for.
                browser::autosave(&store);
            })
        };
        let id = format!("kept-name-{n}");
        let what = format!(
            "Kept aside in this browser (opened over by a share link or another tab's save, or unreadable here): {label}, \
             {} characters",
            thousands(*chars)
        );
        let onkeydown = {
            let confirming = confirming.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" && confirming.is_some() {
                    // The question's answer only: the Import panel around it stays open.
                    e.stop_propagation();
                    confirming.set(None);
                }
            })
        };
        html! {
            <div class="row" data-testid="kept" data-key={key.clone()} {onkeydown}>
                <span id={id.clone()} data-testid="kept-name">{ what }</span>
                <button data-testid="kept-open" aria-describedby={id.clone()} onclick={onopen}>{ "Open it" }</button>
                <button data-testid="kept-download" aria-describedby={id.clone()} onclick={ondownload}>{ "Download it" }</button>
                if confirming.as_ref().is_some_and(|(k, t)| k == key && t == text) {
                    <button class="danger" data-testid="kept-discard-confirm" aria-describedby={id.clone()} onclick={ondiscard}>
                        { "Discard it for good" }
                    </button>
                    <button data-testid="kept-discard-cancel" onclick={ask(None)} ref={keep_ref.clone()}>{ "Keep it" }</button>
                } else {
                    <button data-testid="kept-discard" aria-describedby={id} onclick={ask(Some((key.clone(), text.clone())))}>{ "Discard it…" }</button>
                }
            </div>
        }
    });
    html! { <>{ for rows }</> }
}

#[function_component]
fn ExportPanel() -> Html {
    let store = use_store();
    // Writing a big plan as JSON takes a while: once per plan revision, not on every render.
    let json = {
        let store = store.clone();
        use_memo(store.view.revision, move |_| AttrValue::from(store.session.export_json()))
    };
    let filename = format!("{}.json", browser::file_stem(&store.view.name));
    html! {
        <section class="panel" aria-label="Export the plan">
            <p class="hint">{ super::prose("The plan as JSON: import it here again, share it, or check it with the `classiclink check` command.") }</p>
            <TextOut id="export-text" label="Plan JSON" text={(*json).clone()} {filename}
                copy_testid="export-copy-json" download_testid="export-download" />
        </section>
    }
}

#[function_component]
fn SharePanel() -> Html {
    let store = use_store();
    // The link is made at once when the panel opens. After a change it is made again once changes pause: compressing
    // a big plan takes tens of milliseconds, too long to add to every edit. Meanwhile the field is empty and says so,
    // and the address bar holds no link, so that an outdated link is never copied.
    let make = {
        let store = store.clone();
        move || Some(AttrValue::from(browser::share_url(&store.session.share_fragment())))
    };
    let url = use_state(make.clone());
    let copied = use_state(|| None::<bool>);
    let first = use_mut_ref(|| true);
    {
        let (url, copied) = (url.clone(), copied.clone());
        use_effect_with(store.view.revision, move |_| {
            let changed = !std::mem::replace(&mut *first.borrow_mut(), false);
            let timer = changed.then(|| {
                url.set(None);
                copied.set(None);
                browser::clear_fragment();
                gloo::timers::callback::Timeout::new(browser::SHARE_DELAY_MS, move || url.set(make()))
            });
            // A newer change cancels this wait and starts its own.
            move || drop(timer)
        });
    }
    // The link stays in the address bar only while the panel is open: left there, a reload after later edits would
    // open the shared plan instead of the autosave of the edits.
    use_effect_with((), |_| browser::clear_fragment);
    let onfocus = Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select());
    let oncopy = {
        let (link, copied) = ((*url).clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(link) = &link {
                let copied = copied.clone();
                super::text_out::copy_text(link, Callback::from(move |ok| copied.set(Some(ok))));
            }
        })
    };
    let hint = match &*url {
        Some(u) => format!("{} characters. Nothing is uploaded: the plan travels inside the link.", u.len()),
        None => "The plan changed: the link is made again once changes pause.".to_string(),
    };
    html! {
        <section class="panel" aria-label="Share link">
            <label for="share-url">{ "Link carrying the whole plan (compressed in the address after #)" }</label>
            <input id="share-url" readonly=true data-testid="share-url" value={(*url).clone().unwrap_or_default()} {onfocus} />
            <div class="row wrap">
                <button data-testid="share-copy" onclick={oncopy} disabled={url.is_none()}>{ "Copy link" }</button>
                { super::text_out::copied_status(&copied, true) }
            </div>
            <p class="hint" data-testid="share-hint">{ hint }</p>
        </section>
    }
}

/// What the last action did, or why it was refused.
#[function_component]
pub fn NoticeBar() -> Html {
    let store = use_store();
    // The live region is always there; the notice comes and goes inside it.
    let Some(n) = store.view.notice.clone() else {
        return html! { <div class="notice-slot" role="status" aria-live="polite"></div> };
    };
    let ondismiss = dispatcher(&store, |_: MouseEvent| Action::Dismiss);
    // Escape in the notice (on its Link or × button) dismisses it, as it closes a panel.
    let onkeydown = {
        let store = store.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                store.dispatch(Action::Dismiss);
            }
        })
    };
    let (class, icon, word) = match n.tone {
        Tone::Success => ("notice success", "✔", "Done"),
        Tone::Info => ("notice info", "ℹ", "Note"),
        Tone::Warning => ("notice warning", "⚠", "Warning"),
        Tone::Error => ("notice error", "✖", "Refused"),
    };
    html! {
        <div class="notice-slot" role="status" aria-live="polite">
        <div class={class} data-testid="notice" {onkeydown}>
            <span class="icon" aria-hidden="true">{ icon }</span>
            <strong>{ word }{ ": " }</strong>
            // The text and its note as one flowing sentence (as flex items, the note was pushed to the far right).
            <span class="notice-body">
                <span data-testid="notice-text">{ n.text }</span>
                if let Some(note) = n.note {
                    { ". " }<span data-testid="notice-note">{ "Note: " }{ note }</span>
                }
            </span>
            if let Some(code) = n.api_error {
                { super::api_code(&code, Some("notice-api-error")) }
            }
            if let Some(rule) = n.rule {
                <span class="rule-id">{ rule }</span>
            }
            if let Some(offer) = n.offer {
                <button class="primary" data-testid="notice-link" onclick={
                    let (vpc, instances) = (offer.vpc.clone(), offer.instances.clone());
                    dispatcher(&store, move |_: MouseEvent| Action::Link { vpc: vpc.clone(), instances: instances.clone() })
                }>
                    { if offer.instances.len() == 1 { format!("Link it to {}", offer.vpc) } else { format!("Link the {} to {}", offer.instances.len(), offer.vpc) } }
                </button>
            }
            <button class="link" onclick={ondismiss} aria-label="Dismiss message">{ "×" }</button>
        </div>
        </div>
    }
}
