//! The Yew app (wasm32 only). One reducer holds the [`Session`]; every component reads the session's
//! [`ViewModel`] from context and sends [`Action`]s back. Nothing here decides anything about networks.

mod browser;
mod checks;
mod diagram;
mod draw;
mod inspector;
mod text_out;
mod toolbar;
mod tools;

use crate::domain::load::PlanError;
use crate::domain::model::Plan;
use crate::session::{thousands, Action, Session, ViewModel};
use std::rc::Rc;
use yew::prelude::*;

/// How many rows a list of errors or notes draws (a plan of 200,000 dangling references took the page 44 s to list;
/// the Export page's 2,075 refused findings 0.8 s to open).
pub const LIST_SHOWN: usize = 200;

/// Under a list that draws its first [`LIST_SHOWN`] rows: how many it has, when it has more.
pub fn first_shown(total: usize, testid: AttrValue) -> Html {
    if total <= LIST_SHOWN {
        return html! {};
    }
    html! {
        <p class="hint" data-testid={testid}>{ format!("The first {LIST_SHOWN} of {} are shown.", thousands(total)) }</p>
    }
}

#[derive(Properties, PartialEq)]
pub struct PathErrorsProps {
    pub errors: Vec<PlanError>,
    /// The list's element ID, for a field it describes.
    #[prop_or_default]
    pub id: Option<&'static str>,
    pub testid: &'static str,
    /// Each error's `data-testid`.
    pub item: &'static str,
    /// What the errors are in ("the bundle"), when the list does not go without saying.
    #[prop_or_default]
    pub what: Option<&'static str>,
}

/// Errors with their paths (in a plan, a bundle or an old plan's JSON): the first [`LIST_SHOWN`], and how many.
#[function_component]
pub fn PathErrors(props: &PathErrorsProps) -> Html {
    // New errors are scrolled into view: under a long pasted text, in a panel that scrolls on its own, the list began
    // below the panel's visible part and only "Import refused" showed.
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((props.errors.len(), props.errors.first().cloned()), move |_| {
            if let Some(el) = node.cast::<web_sys::Element>() {
                keep_in_view(&el);
            }
        });
    }
    if props.errors.is_empty() {
        return html! {};
    }
    let n = props.errors.len();
    let what = props.what.map(|w| format!(" in {w}")).unwrap_or_default();
    html! {
        <div class="errors" role="alert" id={props.id} data-testid={props.testid} ref={node}>
            <p><strong>{ format!("{}{what}; nothing was changed.", crate::session::count(n, "error", "errors")) }</strong></p>
            <ul>
                { for props.errors.iter().take(LIST_SHOWN).map(|e| html! {
                    <li data-testid={props.item} data-path={e.path.clone()}>
                        if let Some(at) = e.location() { <code>{ at }</code>{ " " } }{ &e.message }
                    </li>
                }) }
            </ul>
            { first_shown(n, format!("{}-more", props.testid).into()) }
        </div>
    }
}

/// An API error code (`UnsupportedOperation.CIDRUnSupportedClassicLink`), allowed to wrap after each dot rather than
/// anywhere in a word. `testid`: its `data-testid`, if any.
pub fn api_code(code: &str, testid: Option<&'static str>) -> Html {
    html! {
        <code class="api-error" data-testid={testid}>
            { for code.split('.').enumerate().map(|(i, part)| html! {
                <>{ if i > 0 { "." } else { "" } }if i > 0 { <wbr /> }{ part.to_string() }</>
            }) }
        </code>
    }
}

/// The reducer's state: the session and its view model, computed once per action.
pub struct Store {
    pub session: Session,
    pub view: Rc<ViewModel>,
}

impl Store {
    fn new(session: Session) -> Store {
        let view = Rc::new(session.view());
        Store { session, view }
    }
}

impl PartialEq for Store {
    /// Every action makes a new view model: the same one means the same state.
    fn eq(&self, other: &Store) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut session = self.session.clone();
        session.update(action);
        Rc::new(Store::new(session))
    }
}

/// The reducer handle every component takes from context.
pub type StoreHandle = UseReducerHandle<Store>;

/// The store from context (every component is inside [`App`]).
#[hook]
pub fn use_store() -> StoreHandle {
    use_context::<StoreHandle>().expect("components are rendered inside App")
}

/// Moves the keyboard focus to `el` when it is an HTML element (a focus the browser refuses is no error).
pub fn focus(el: Option<web_sys::Element>) {
    if let Some(el) = el.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
        let _ = el.focus();
    }
}

/// Catalogue prose as text, with its `code` spans (between backticks) as `<code>`.
pub fn prose(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| {
            if i % 2 == 1 { html! { <code>{ part.to_string() }</code> } } else { html! { { part.to_string() } } }
        }) }
    }
}

/// The keyboard of a tab list (WAI-ARIA tabs): the tab that ArrowRight, ArrowLeft, Home or End moves to from tab `i`
/// of `n`, focused at once (the key goes to the focused tab, whose parent is the tab list with its tabs in order; not
/// `current_target`, which Yew's delegated events set to the app's root). `None` for any other key; the caller then
/// selects the tab.
pub fn tab_key(e: &KeyboardEvent, i: usize, n: usize) -> Option<usize> {
    let next = match e.key().as_str() {
        "ArrowRight" => (i + 1) % n,
        "ArrowLeft" => (i + n - 1) % n,
        "Home" => 0,
        "End" => n - 1,
        _ => return None,
    };
    e.prevent_default();
    let tab = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
    let list = tab.and_then(|t| t.parent_element());
    focus(list.and_then(|l| l.children().item(next as u32)));
    Some(next)
}

/// The keyboard of a grid (WAI-ARIA grid): the cell that `key` (with Ctrl when `ctrl`) moves to from cell `at`
/// (row, column) of a grid of `size` rows and columns. Arrows stop at the edges; Home and End go to the row's first
/// and last cell, with Ctrl to the grid's. `None` for any other key, or when the grid is empty.
pub fn grid_key(key: &str, ctrl: bool, at: (usize, usize), size: (usize, usize)) -> Option<(usize, usize)> {
    let (r, c) = at;
    let (rows, columns) = size;
    if rows == 0 || columns == 0 {
        return None;
    }
    let (last_row, last_column) = (rows - 1, columns - 1);
    Some(match (key, ctrl) {
        ("ArrowRight", _) => (r, (c + 1).min(last_column)),
        ("ArrowLeft", _) => (r, c.saturating_sub(1)),
        ("ArrowDown", _) => ((r + 1).min(last_row), c),
        ("ArrowUp", _) => (r.saturating_sub(1), c),
        ("Home", false) => (r, 0),
        ("End", false) => (r, last_column),
        ("Home", true) => (0, 0),
        ("End", true) => (last_row, last_column),
        _ => return None,
    })
}

/// Calls `el`'s method `name` with `arg`, when the browser gives it one (a method web-sys does not bind for every
/// element, or binds behind a feature the app does not need).
fn call_method(el: &web_sys::Element, name: &str, arg: &wasm_bindgen::JsValue) {
    use wasm_bindgen::JsCast;
    let f = js_sys::Reflect::get(el, &name.into()).ok();
    if let Some(f) = f.and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let _ = f.call1(el, arg);
    }
}

/// Scrolls `el` into view if it is not (Chromium and WebKit; elsewhere nothing happens).
pub fn keep_in_view(el: &web_sys::Element) {
    call_method(el, "scrollIntoViewIfNeeded", &false.into());
}

/// A part of the page that carries out a focus request (see [`focus_once_drawn`]) after each of its renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// A rule editor of the form, by its list ("ingress" or "egress").
    Rules(&'static str),
    /// The checks panel's list of expectations.
    Expectations,
    /// The checks panel's list of findings.
    Findings,
    /// The Selection tab.
    Selection,
    /// The Draw tab's form.
    Form,
}

/// A focus move waiting for a part of the page to be drawn again.
struct FocusRequest {
    part: Part,
    /// When it was asked (ms since the epoch): one left waiting longer than [`FOCUS_REQUEST_MS`] is dropped, so
    /// that a render much later, for another reason, does not take the focus from where the user has gone since.
    asked: f64,
    pick: Box<dyn Fn() -> Option<web_sys::Element>>,
}

/// How long a focus request waits for its part to be drawn (a render of the largest plan takes well under this).
const FOCUS_REQUEST_MS: f64 = 2_000.0;

thread_local! {
    /// The one focus request waiting (a newer one replaces it: the user's last action decides).
    static FOCUS_REQUEST: std::cell::RefCell<Option<FocusRequest>> = const { std::cell::RefCell::new(None) };
    /// The element the last request carried out focused: a form opening in the same render (its effect runs after
    /// its rule editors') leaves the focus there rather than on its first field ([`focused_by_request`]).
    static REQUEST_FOCUSED: std::cell::RefCell<Option<web_sys::Element>> = const { std::cell::RefCell::new(None) };
}

/// Whether the focus is on what the last focus request carried out put it on, inside `within` (and forgets it).
pub fn focused_by_request(within: &web_sys::Element) -> bool {
    let done = REQUEST_FOCUSED.with(|r| r.borrow_mut().take());
    let active = gloo::utils::document().active_element();
    done.is_some_and(|e| within.contains(Some(&e)) && active.as_ref() == Some(&e))
}

/// Moves the focus to what `pick` finds once `part` has drawn the page again: after a delete (whose rows have no
/// identity of their own: right after it, their buttons still stand for the old rows) or a change of tab.
///
/// A timer would not do: Yew's scheduler yields to the browser every 16 ms, so on a slow machine or a large plan a
/// timer set by the click fires before the render, on the old rows, and the focus ends on the wrong one (the next
/// Enter then deletes another rule). The request is carried out by the part's own effect ([`use_focus_requests`]),
/// which Yew runs once every render in progress is done, and only when `pick` finds its target there.
pub fn focus_once_drawn(part: Part, pick: impl Fn() -> Option<web_sys::Element> + 'static) {
    let request = FocusRequest { part, asked: js_sys::Date::now(), pick: Box::new(pick) };
    FOCUS_REQUEST.with(|r| *r.borrow_mut() = Some(request));
}

/// Carries out, after each render of `part`, a focus request waiting for it whose target is now drawn.
#[hook]
pub fn use_focus_requests(part: Part) {
    use_effect(move || {
        let found = FOCUS_REQUEST.with(|r| {
            let mut r = r.borrow_mut();
            let request = r.as_ref().filter(|q| q.part == part)?;
            if js_sys::Date::now() - request.asked > FOCUS_REQUEST_MS {
                *r = None;
                return None;
            }
            let found = (request.pick)()?;
            *r = None;
            Some(found)
        });
        // Focused, and in view: the target may lie below the window (L on a tile: "Link to…" is under the diagram),
        // and the browser's own scroll on focus did not always bring it there.
        if let Some(el) = found {
            focus(Some(el.clone()));
            keep_in_view(&el);
            REQUEST_FOCUSED.with(|r| *r.borrow_mut() = Some(el));
        }
    });
}

/// The controls the focus is handed on to: what the keyboard reaches, text fields aside (a focus put in one would take
/// the next keys as typing, and keep Ctrl+Z from undoing).
const FOCUSABLE: &str = "button:not([disabled]), select:not([disabled]), input[type=checkbox]:not([disabled]), \
                         a[href], [tabindex]:not([tabindex=\"-1\"])";

/// Moves the focus to `el`, an HTML or SVG element (a diagram tile), without scrolling the page to it.
pub fn focus_quietly(el: &web_sys::Element) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &true.into());
    call_method(el, "focus", &options);
}

/// Whether the focus is on the page itself (no control has it).
fn focus_on_page() -> bool {
    let doc = gloo::utils::document();
    doc.active_element().is_none_or(|a| doc.body().is_some_and(|b| b.is_same_node(Some(&a))))
}

/// Whether `el` can still hold the focus: in the page, and not disabled.
fn usable(el: &web_sys::Element) -> bool {
    el.is_connected() && !el.matches(":disabled").unwrap_or(false)
}

/// Keeps the focus off the page itself: when the control that had it (`chain[0]`, then its ancestors) was disabled
/// or removed by what it did (the last Undo, bulk link, Unlink, Delete, Clear) and the focus fell to the page, it
/// moves on: past a disabled control, to the next control after it in the nearest part of the page still there (or,
/// with none after it, the one before it); for a removed one, whose place is gone, to that part's first control. Runs after each render and after each focus
/// lost to nothing; a focus the user moves to the page (a click on empty space) forgets the chain (see [`App`]).
fn keep_focus(chain: &[web_sys::Element]) {
    use wasm_bindgen::JsCast;
    let Some(el) = chain.first() else { return };
    if !focus_on_page() || usable(el) {
        return;
    }
    for part in chain[1..].iter().filter(|p| p.is_connected()) {
        let Ok(found) = part.query_selector_all(FOCUSABLE) else { continue };
        let controls: Vec<web_sys::Element> =
            (0..found.length()).filter_map(|i| found.item(i)?.dyn_into().ok()).collect();
        let at = |c: &web_sys::Element, side: u16| el.is_connected() && el.compare_document_position(c) & side != 0;
        // The next control; with none after it in this part (Redo, last in the toolbar), the one just before it
        // (Undo), not the part's first (New, which replaces the plan).
        let next = controls.iter().find(|c| at(c, web_sys::Node::DOCUMENT_POSITION_FOLLOWING));
        let before = || controls.iter().rev().find(|c| at(c, web_sys::Node::DOCUMENT_POSITION_PRECEDING));
        // Without scrolling: the user's place on the page stays (the control may sit in the sticky header).
        if let Some(next) = next.or_else(before).or(controls.first()) {
            focus_quietly(next);
            return;
        }
    }
}

/// A callback dispatching the action built from its argument.
pub fn dispatcher<E: 'static>(store: &StoreHandle, f: impl Fn(E) -> Action + 'static) -> Callback<E> {
    let store = store.clone();
    Callback::from(move |e: E| store.dispatch(f(e)))
}

/// The app's properties.
#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// A plan to open at once; `None` loads the share link, the autosave or the example.
    #[prop_or_default]
    pub plan: Option<Rc<Plan>>,
    /// Whether to keep work in this browser: read the share link and the autosave on load (when no `plan` is given),
    /// autosave, and heed other tabs' saves and links pasted into the address bar.
    #[prop_or(true)]
    pub persist: bool,
}

/// Makes every menu (`select`) show the option its `data-value` names, after each render of the component calling it
/// (the app, and each component whose own state chooses a menu's option). An option's `selected` attribute sets what
/// its menu shows only until the user picks in it (and Yew 0.23 cannot set the `selected` property): then a rule
/// editor's row that now holds another rule, after a move or a delete, kept showing the protocol picked in it
/// before, while the plan held another.
#[hook]
pub fn use_chosen_options() {
    use_effect(show_chosen_options);
}

fn show_chosen_options() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(menus) = doc.query_selector_all("select[data-value]") else { return };
    for i in 0..menus.length() {
        let Some(menu) =
            menus.item(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(n).ok())
        else {
            continue;
        };
        let want = menu.get_attribute("data-value").unwrap_or_default();
        if menu.value() != want {
            menu.set_value(&want);
        }
    }
}

/// The whole app.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let initial = props.plan.clone();
    let store = use_reducer(move || Store::new(Session::new(initial.map(|p| (*p).clone()).unwrap_or_default())));

    // First load: a `#plan=` share link wins, then the autosave, then the example plan.
    {
        let store = store.clone();
        let load = props.plan.is_none() && props.persist;
        use_effect_with((), move |_| {
            if load {
                browser::first_load(store);
            }
        });
    }
    // Autosave after plan changes: once the changes pause for `AUTOSAVE_DELAY_MS` (a later change restarts the
    // wait), or when the page is hidden (closed, reloaded or sent to the background) with a change not yet saved. The
    // JSON is written only then: a big plan's export takes a while.
    // The newest store, for the timer and the listeners (a handle is a snapshot of its render).
    let latest = use_mut_ref(|| store.clone());
    *latest.borrow_mut() = store.clone();
    {
        let pending = use_mut_ref(|| false);
        let save = {
            let (latest, pending) = (latest.clone(), pending.clone());
            move || {
                if std::mem::take(&mut *pending.borrow_mut()) {
                    // A copy of the handle: the save may dispatch, and the next render replaces `latest`.
                    let store = latest.borrow().clone();
                    browser::autosave(&store);
                }
            }
        };
        let persist = props.persist;
        {
            let save = save.clone();
            use_effect_with((), move |_| {
                let listener = persist.then(|| browser::on_page_hide(save));
                move || drop(listener)
            });
        }
        // A share link pasted into the address bar of this open tab: a change not yet saved is saved first, for the
        // plan set aside to be the one the user had (it was the autosave of a second before).
        {
            let (store, save, latest) = (store.clone(), save.clone(), latest.clone());
            use_effect_with((), move |_| {
                let own = move || latest.borrow().session.autosave_json();
                let listener = persist.then(|| browser::on_share_link(store, save, own));
                move || drop(listener)
            });
        }
        let revision = store.view.revision;
        use_effect_with(revision, move |_| {
            let timer = (revision > 0 && persist).then(|| {
                *pending.borrow_mut() = true;
                gloo::timers::callback::Timeout::new(browser::AUTOSAVE_DELAY_MS, save)
            });
            // A newer change cancels this wait and starts its own.
            move || drop(timer)
        });
    }
    // While the autosave fails, or a form holds unsaved changes, leaving the page asks first.
    {
        let unsaved = store.view.ask_before_leaving;
        use_effect_with(unsaved, move |&unsaved| {
            let listener = unsaved.then(browser::confirm_leaving);
            move || drop(listener)
        });
    }
    // Another tab of the planner saving another plan over this tab's autosave (the last to save wins on reload):
    // this tab's plan is then in no storage, so it is kept aside, or when there is no room counts as not saved; and
    // the notice says which.
    {
        let persist = props.persist;
        use_effect_with((), move |_| {
            let listener = persist.then(|| {
                let gone = {
                    let latest = latest.clone();
                    // A copy of the handle: a dispatch may render, which replaces `latest`.
                    move || {
                        let store = latest.borrow().clone();
                        store.dispatch(Action::OwnKeptDiscarded)
                    }
                };
                browser::on_autosave_elsewhere(
                    move |text| {
                        let store = latest.borrow().clone();
                        let own = store.session.autosave_json();
                        if let Some(kept) = browser::keep_overwritten(&own, &text) {
                            store.dispatch(Action::AutosaveElsewhere { name: crate::session::plan_name(&text), kept });
                        }
                    },
                    gone,
                )
            });
            move || drop(listener)
        });
    }
    // Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) anywhere but in a text field.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener =
                browser::on_undo_keys(move |redo| store.dispatch(if redo { Action::Redo } else { Action::Undo }));
            move || drop(listener)
        });
    }

    // The control with the focus and its ancestors (see `keep_focus`), checked once each render has settled.
    let focused = use_mut_ref(Vec::<web_sys::Element>::new);
    let onfocusin = {
        let focused = focused.clone();
        Callback::from(move |e: FocusEvent| {
            let mut chain = Vec::new();
            let mut at = e.target_dyn_into::<web_sys::Element>();
            while let Some(el) = at {
                at = el.parent_element();
                chain.push(el);
            }
            *focused.borrow_mut() = chain;
        })
    };
    // A focus lost to nothing: the browser blurs a control once it is disabled (after the render), and a click on
    // empty space does the same. Looked at once the browser is done: a control gone or disabled hands the focus on;
    // one still usable was left by the user, whose choice stands (the chain is forgotten).
    let onfocusout = {
        let focused = focused.clone();
        Callback::from(move |e: FocusEvent| {
            if e.related_target().is_some() {
                return;
            }
            let focused = focused.clone();
            gloo::timers::callback::Timeout::new(0, move || {
                let chain = focused.borrow().clone();
                let Some(el) = chain.first() else { return };
                if usable(el) && focus_on_page() {
                    focused.borrow_mut().clear();
                } else {
                    keep_focus(&chain);
                }
            })
            .forget();
        })
    };
    use_effect(move || {
        // A copy: moving the focus sends a focusin, which records the new chain.
        let check = gloo::timers::callback::Timeout::new(0, move || {
            let chain = focused.borrow().clone();
            keep_focus(&chain)
        });
        move || drop(check)
    });

    use_chosen_options();

    let has_notice = store.view.notice.is_some();
    // Something selected or a form open: in one column the workbench, which shows it, comes right under the diagram
    // (style.css); with neither, the checks do.
    let at_work = store.view.selected.is_some() || store.view.form.is_some();
    // Past the diagram, whose every tile is a stop of the Tab key: to the workbench's tab, or to the checks. Shown
    // when focused. Buttons, not links to fragments: the page's fragment carries share links.
    let skip = |to: &'static str| {
        Callback::from(move |_: MouseEvent| focus(gloo::utils::document().query_selector(to).ok().flatten()))
    };
    html! {
        <ContextProvider<StoreHandle> context={store}>
            // With a notice pinned under the header, the sticky checks panel sits lower (style.css).
            <div class={classes!("app", has_notice.then_some("has-notice"), at_work.then_some("at-work"))} {onfocusin} {onfocusout}>
                <div class="skips">
                    <button class="skip" data-testid="skip-workbench" onclick={skip(".workbench [role=tab][aria-selected=true]")}>
                        { "Skip to the workbench" }
                    </button>
                    <button class="skip" data-testid="skip-checks" onclick={skip(".checks h2")}>{ "Skip to the checks" }</button>
                </div>
                <toolbar::Header />
                <main class="layout">
                    <section class="workspace" aria-label="Plan">
                        <diagram::Diagram />
                        <inspector::Workbench />
                    </section>
                    <checks::ChecksPanel />
                </main>
            </div>
        </ContextProvider<StoreHandle>>
    }
}

/// Mounts the app on the page's body (the web app's entry point).
pub fn run() {
    yew::Renderer::<App>::with_props(AppProps { plan: None, persist: true }).render();
    // After rendering starts, which sets Yew's own hook (it writes the panic and its stack to the console): kept, and
    // the page says so too.
    let console = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        console(info);
        crashed(&info.to_string());
    }));
}

/// What the panic hook does after writing the panic to the console: says so at the top of the page ([`show_crash`]),
/// and gives the autosave up if it is this tab's plan, as leaving the page does. A tab that no longer answers cannot
/// keep its plan aside when another tab saves over it; given up, the next tab to save keeps it aside first.
pub fn crashed(what: &str) {
    show_crash(what);
    browser::leave();
}

/// Says at the top of the page that the app stopped on an internal error (a panic: a bug), with what went wrong.
/// After one the page no longer answers; without a word it would look alive and ignore every click and key. The plan
/// as last autosaved is in this browser, which a reload opens. Said once, whatever follows.
pub fn show_crash(what: &str) {
    let doc = gloo::utils::document();
    if doc.get_element_by_id("crash").is_some() {
        return;
    }
    let Ok(el) = doc.create_element("div") else { return };
    el.set_id("crash");
    for (name, value) in [("role", "alert"), ("class", "notice error crash"), ("data-testid", "crash")] {
        let _ = el.set_attribute(name, value);
    }
    el.set_text_content(Some(&format!(
        "The planner stopped on an internal error and no longer answers. Reload the page to go on: it opens your plan \
         as last autosaved in this browser (a change made in the last second may be missing). Please report the \
         error: {what}"
    )));
    if let Some(body) = doc.body() {
        let _ = body.prepend_with_node_1(&el);
    }
}

/// Mounts the app into `element` with `plan` open and saved to local storage as it changes, as in a tab that opened
/// it: no share link or autosave is read on mounting (browser tests of keeping work).
pub fn mount_saving(element: web_sys::Element, plan: Plan) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root_and_props(element, AppProps { plan: Some(Rc::new(plan)), persist: true }).render()
}

/// The mark a tab leaves on the copy `key` it kept of a plan no open tab held, for its save of `over` (browser tests
/// of a tab in the background that was open after all: see `browser::RESCUED_KEY`): the mark's key and value.
pub fn rescue_mark_for(key: &str, over: &str) -> (&'static str, String) {
    browser::rescue_mark_value(key, over)
}

/// Fills this site's local storage so that `room` more characters fit, and no more; returns the filler's key, to
/// remove (browser tests of a full storage: the lib's own and `tests/ui_app.rs`).
pub fn fill_storage_leaving(room: usize) -> &'static str {
    browser::fill_leaving(room)
}

/// Mounts the app into `element` with `plan` open, without touching the URL or local storage (browser tests).
pub fn mount_with_plan(element: web_sys::Element, plan: Plan) -> yew::AppHandle<App> {
    yew::Renderer::<App>::with_root_and_props(element, AppProps { plan: Some(Rc::new(plan)), persist: false }).render()
}
