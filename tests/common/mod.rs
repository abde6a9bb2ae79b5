//! Browser-test helpers shared by `ui_app` and `ui_tools` (wasm32 only, like those tests): mount the app with a
//! plan, let Yew render, find elements by `data-testid`, and act on them as a user would.

use classiclink::domain::load::import;
use classiclink::domain::model::Plan;
use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::{Element, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

/// The example plan the app ships with, as JSON.
pub const EXAMPLE: &str = include_str!("../../www/examples/guangzhou.json");

/// The example plan, loaded.
pub fn example() -> Plan {
    import(EXAMPLE).expect("the example loads")
}

/// Lets Yew render: every render and effect under way (Yew's scheduler yields to the browser every 16 ms, so on a
/// busy machine a render can outlast any fixed wait), then a few turns of the event loop for the app's own timers
/// (the autosave, the focus kept off the page), each followed by what they set off.
pub async fn settle() {
    yew::scheduler::flush().await;
    for _ in 0..4 {
        yew::platform::time::sleep(Duration::from_millis(1)).await;
        yew::scheduler::flush().await;
    }
}

/// The app mounted in a fresh `div`; dropping it ends the app (its listeners and timers too) and removes the `div`.
pub struct Mounted {
    root: Element,
    app: Option<yew::AppHandle<classiclink::ui::App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

/// Mounts the app with `plan` and lets it render.
pub async fn mount(plan: Plan) -> Mounted {
    mount_by(plan, classiclink::ui::mount_with_plan).await
}

/// Mounts the app with `plan`, saving it to local storage as it changes and heeding other tabs' saves (as a tab
/// does that opened the plan), and lets it render.
#[allow(dead_code)] // Only ui_app keeps work.
pub async fn mount_saving(plan: Plan) -> Mounted {
    mount_by(plan, classiclink::ui::mount_saving).await
}

thread_local! {
    /// Whether a test style sheet was added since the last mount ([`add_test_style`]): the one the test about to
    /// mount asked for.
    static STYLE_ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Every element a test left in the page matching `selector` removed.
fn sweep(selector: &str) {
    let left = gloo::utils::document().query_selector_all(selector).unwrap();
    for i in 0..left.length() {
        if let Some(e) = left.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            e.remove();
        }
    }
}

/// Adds a style sheet for the test about to mount the app (its own removes it when it ends). One a failed test
/// left (a failing browser test stops at its panic, and drops nothing) is removed first.
#[allow(dead_code)] // Only ui_app styles the page.
pub fn add_test_style(css: &str) -> Element {
    sweep("style[data-test-style]");
    let document = gloo::utils::document();
    let style = document.create_element("style").unwrap();
    style.set_attribute("data-test-style", "").unwrap();
    style.set_text_content(Some(css));
    document.head().unwrap().append_child(&style).unwrap();
    STYLE_ASKED.with(|a| a.set(true));
    style
}

/// Mounts the app with `plan` in a fresh `div` by `how`, and lets it render. What a failed test before left in the
/// page (its app's `div`, its style sheet) is removed first, so that one failure does not fail the tests after it.
async fn mount_by(plan: Plan, how: fn(Element, Plan) -> yew::AppHandle<classiclink::ui::App>) -> Mounted {
    sweep("div[data-test-root]");
    if !STYLE_ASKED.with(|a| a.replace(false)) {
        sweep("style[data-test-style]");
    }
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    root.set_attribute("data-test-root", "").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let app = how(root.clone(), plan);
    settle().await;
    Mounted { root, app: Some(app) }
}

impl Mounted {
    pub fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    pub fn get(&self, selector: &str) -> Element {
        self.find(selector).unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    pub fn testid(&self, id: &str) -> Element {
        self.get(&format!("[data-testid=\"{id}\"]"))
    }

    /// Every element matching `selector`, in document order.
    #[allow(dead_code)] // Only ui_app asks for all.
    pub fn root_all(&self, selector: &str) -> Vec<Element> {
        let found = self.root.query_selector_all(selector).unwrap();
        (0..found.length()).filter_map(|i| found.item(i)?.dyn_into().ok()).collect()
    }

    pub fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }

    pub fn attr(&self, id: &str, name: &str) -> String {
        self.testid(id).get_attribute(name).unwrap_or_default()
    }
}

/// Dispatches a bubbling event of `kind` on `el`.
pub fn fire(el: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

/// Clicks `el` (an SVG element too) and lets Yew render.
pub async fn click(el: &Element) {
    match el.dyn_ref::<HtmlElement>() {
        Some(h) => h.click(),
        // SVG elements: a bubbling click event.
        None => {
            let init = web_sys::MouseEventInit::new();
            init.set_bubbles(true);
            let ev = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
            el.dispatch_event(&ev).unwrap();
        }
    }
    settle().await;
}

/// Picks `value` in a select and lets Yew render.
pub async fn choose(el: &Element, value: &str) {
    el.dyn_ref::<HtmlSelectElement>().expect("a select").set_value(value);
    fire(el, "change");
    settle().await;
}

/// Types `value` into an input or text area and lets Yew render.
pub async fn type_into(el: &Element, value: &str) {
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        i.set_value(value);
    } else {
        el.dyn_ref::<HtmlTextAreaElement>().expect("a text field").set_value(value);
    }
    fire(el, "input");
    settle().await;
}

/// Chooses a file `name` holding `text` in the file input `el`, as the file dialog would, then lets Yew render
/// until `done` holds (the app reads the file asynchronously); panics when it never does.
pub async fn choose_file(el: &Element, name: &str, text: &str, done: impl Fn() -> bool) {
    let parts = js_sys::Array::of1(&text.into());
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    let chosen = web_sys::DataTransfer::new().unwrap();
    // `DataTransferItemList.add(file)`, called through JS (web-sys's binding needs a feature the app does not use).
    let items = js_sys::Reflect::get(&chosen, &"items".into()).unwrap();
    let add: js_sys::Function = js_sys::Reflect::get(&items, &"add".into()).unwrap().dyn_into().unwrap();
    add.call1(&items, &file).unwrap();
    el.dyn_ref::<HtmlInputElement>().expect("a file input").set_files(chosen.files().as_ref());
    fire(el, "change");
    for _ in 0..100 {
        if done() {
            return;
        }
        settle().await;
    }
    panic!("choosing {name} did not show its effect");
}
