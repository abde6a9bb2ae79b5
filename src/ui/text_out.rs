//! Long text the app hands over (the plan's JSON, a links export, the migration checklist): a read-only field to
//! select from, with Copy and Download beside it.
//!
//! A browser takes seconds to lay out megabytes of text in a field (3 MB, a plan of Tencent's largest size: 4 s, and
//! as long again on every edit while the field is shown). Past [`TEXT_FIELD_MAX`] the field is left out and says
//! why: Copy and Download still hand over the whole text.

use super::browser;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The longest text shown in a field, in bytes (some 5,000 lines of JSON).
pub const TEXT_FIELD_MAX: usize = 200_000;

/// The longest text selected whole when its field takes the focus, in bytes. Chromium takes about a second to
/// select 100 KB of text, and as long again to drop the selection at the next click elsewhere (a monkey test
/// measured 2-3 s each at 190 KB): longer text is selected by the user (Ctrl+A), or handed over by Copy.
pub const SELECT_ON_FOCUS_MAX: usize = 20_000;

#[derive(Properties, PartialEq)]
pub struct TextOutProps {
    /// The field's `id` and `data-testid`.
    pub id: AttrValue,
    /// What the text is ("Plan JSON").
    pub label: AttrValue,
    pub text: AttrValue,
    /// The file name Download saves under.
    pub filename: AttrValue,
    pub copy_testid: AttrValue,
    pub download_testid: AttrValue,
    #[prop_or(10)]
    pub rows: u32,
}

/// The text in a read-only field (selected whole on focus, when short) or, when too long for one, a line saying so;
/// then Copy (saying whether it worked) and Download.
#[function_component]
pub fn TextOut(p: &TextOutProps) -> Html {
    let copied = use_state(|| None::<bool>);
    let oncopy = {
        let (text, copied) = (p.text.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            copy_text(&text, Callback::from(move |ok| copied.set(Some(ok))))
        })
    };
    let ondownload = {
        let (text, name) = (p.text.clone(), p.filename.clone());
        Callback::from(move |_: MouseEvent| browser::download(&name, &text))
    };
    let shown = p.text.len() <= TEXT_FIELD_MAX;
    let select_all = p.text.len() <= SELECT_ON_FOCUS_MAX;
    let onfocus = Callback::from(move |e: FocusEvent| {
        if select_all {
            e.target_unchecked_into::<HtmlTextAreaElement>().select();
        }
    });
    html! {
        <div class="text-out">
            <div class="row wrap">
                if shown { <label for={p.id.clone()}>{ &p.label }</label> } else { <span>{ &p.label }</span> }
                <button data-testid={p.copy_testid.clone()} onclick={oncopy}>{ "Copy" }</button>
                { copied_status(&copied, shown) }
                <button data-testid={p.download_testid.clone()} onclick={ondownload}>{ format!("Download {}", p.filename) }</button>
            </div>
            if shown {
                <textarea id={p.id.clone()} rows={p.rows.to_string()} readonly=true data-testid={p.id.clone()}
                    value={p.text.clone()} {onfocus} spellcheck="false" />
            } else {
                <p class="hint" data-testid={format!("{}-too-long", p.id)}>
                    { format!(
                        "{} MB, {} lines: too long to show here without stalling the page. Copy it or download it.",
                        // Tenths of a megabyte by integers: formatting a float would add some 10 KB to the app.
                        format_args!("{}.{}", p.text.len() / 1_000_000, p.text.len() % 1_000_000 / 100_000),
                        p.text.lines().count()
                    ) }
                </p>
            }
        </div>
    }
}

/// Copies text to the clipboard, then says whether it worked (`done(true)`), or not (`done(false)`: the browser
/// refused, or offers no clipboard, as on a plain-http address other than localhost; the text fields stay
/// selectable).
pub fn copy_text(text: &str, done: Callback<bool>) {
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).ok().filter(|v| !v.is_undefined());
    let clipboard = get(&js_sys::global(), "navigator").and_then(|n| get(&n, "clipboard"));
    let write =
        clipboard.as_ref().and_then(|c| get(c, "writeText")).and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let promise = match (clipboard, write) {
        (Some(c), Some(f)) => {
            f.call1(&c, &JsValue::from_str(text)).ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        }
        _ => None,
    };
    let Some(promise) = promise else { return done.emit(false) };
    type Settled = wasm_bindgen::closure::Closure<dyn FnMut(JsValue)>;
    let ok = {
        let done = done.clone();
        Settled::new(move |_: JsValue| done.emit(true))
    };
    let failed = Settled::new(move |_: JsValue| done.emit(false));
    let _ = promise.then2(&ok, &failed);
    // The promise calls one of them later: both live on (two small closures per click on Copy).
    ok.forget();
    failed.forget();
}

/// What the last Copy did, beside its button (announced). When it failed, what to do instead: select the text in
/// its field, or, with no field (`shown` false), download it.
pub fn copied_status(copied: &Option<bool>, shown: bool) -> Html {
    match copied {
        None => html! { <span role="status" class="hint"></span> },
        Some(true) => html! { <span role="status" class="hint ok" data-testid="copied">{ "✔ Copied" }</span> },
        Some(false) => html! {
            <span role="status" class="field-error" data-testid="copied">
                { if shown {
                    "✖ Not copied: this browser refused the clipboard; select the text and press Ctrl+C"
                } else {
                    "✖ Not copied: this browser refused the clipboard; use Download"
                } }
            </span>
        },
    }
}
