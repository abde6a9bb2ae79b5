//! The browser side of keeping work: local storage, the URL fragment, downloads, reading a chosen file, keyboard
//! shortcuts, fetching the example. Only plumbing: plans are read and checked by the session and the core.

use super::StoreHandle;
use crate::domain::load::import;
use crate::session::share::FRAGMENT_KEY;
use crate::session::{plan_from_fragment, Action};
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The local storage key of the autosave.
pub const AUTOSAVE_KEY: &str = "classiclink.plan";
/// The local storage key of the first plan kept aside on first load (see [`first_load`]): the autosave a share link
/// opened over, or one this build could not read. Later ones go under `KEPT_KEY.2`, `KEPT_KEY.3` and so on: a plan
/// kept aside is never replaced by the next.
pub const KEPT_KEY: &str = "classiclink.plan.kept";
/// The local storage key naming the open tab whose plan the autosave holds (see [`TAB_ID`]): set by the tab that
/// writes the autosave (or opens it on load, when no open tab holds it), and removed by that tab as it leaves the page
/// (closed, reloaded, navigated away). A removal cannot fail where a write could (a full storage), so an autosave
/// with no owner is one no open tab holds (or one an older build wrote): another tab keeps it aside before saving
/// over it ([`keep_left`]). An open tab keeps its own plan aside when another saves over it ([`keep_overwritten`]).
/// A tab in the background gives its name up too (the browser may discard it without `pagehide`), and takes it back
/// when shown again, if the autosave is still its plan. A tab that panics gives its name up as it says so
/// ([`super::crashed`]). A tab the browser itself ends while shown (its process crashing) stays named: its plan is then
/// not kept by the next tab to save.
const OWNER_KEY: &str = "classiclink.plan.by";
/// The local storage key of the last plan kept aside because no open tab held it ([`keep_left`], [`keep_rescued`]):
/// the kept key, and the length and hash of the plan saved over it (`key|length|hash`). Should the tab of that plan
/// be open after all (in the background), it takes the copy for its own when it hears of that very save
/// ([`keep_overwritten`]), and its next save drops it, so that tabs taking turns do not pile up copies. Any later save
/// clears the mark: an old one must not hand a copy the user keeps to a tab that opens the same plan since.
const RESCUED_KEY: &str = "classiclink.plan.rescued";

/// Marks `key` as kept because no open tab held it, for the save of `over` (see [`RESCUED_KEY`]).
fn mark_rescued(storage: &web_sys::Storage, key: &str, over: &str) {
    let (mark, value) = rescue_mark_value(key, over);
    let _ = storage.set_item(mark, &value);
}

/// The key and value of [`mark_rescued`]'s mark.
pub(super) fn rescue_mark_value(key: &str, over: &str) -> (&'static str, String) {
    let (len, hash) = fingerprint(over);
    (RESCUED_KEY, format!("{key}|{len}|{hash}"))
}

/// The rescue mark: the kept key and the fingerprint of the save it was made for.
fn rescue_mark(storage: &web_sys::Storage) -> Option<(String, (usize, u64))> {
    let mark = storage.get_item(RESCUED_KEY).ok().flatten()?;
    let mut parts = mark.rsplitn(3, '|');
    let hash = parts.next()?.parse().ok()?;
    let len = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), (len, hash)))
}
/// The example plan, relative to the page.
pub const EXAMPLE_URL: &str = "examples/guangzhou.json";

/// A file input's `onchange`: reads the chosen file as UTF-8 text and hands it to `done`, or why it could not
/// (unreadable, or not UTF-8: refused in words by the core, as the command line refuses it, rather than decoded with
/// replacement characters). Nothing happens when no file is chosen. The input is emptied once the file is taken, so
/// choosing the same file again (fixed on disk) reads it again. The component keeps the pending read alive until it
/// ends.
#[hook]
pub fn use_text_file_input(done: Callback<Result<String, String>>) -> Callback<Event> {
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        let done = done.clone();
        let task = gloo::file::callbacks::read_as_bytes(&gloo::file::File::from(file), move |r| {
            done.emit(match r {
                Ok(bytes) => crate::domain::text_from_bytes(bytes),
                Err(e) => Err(format!("the file could not be read: {e}")),
            });
        });
        *reader.borrow_mut() = Some(task);
    })
}

/// How long the autosave waits after a change: a plan of Tencent's largest size takes some 35 ms to write as JSON
/// and store, so a run of edits is saved once, when it pauses, rather than after every edit.
pub const AUTOSAVE_DELAY_MS: u32 = 800;

/// How long the open share panel waits after a change before it makes the link again (see `toolbar::SharePanel`).
pub const SHARE_DELAY_MS: u32 = 400;

/// Why nothing is saved when the browser gives this page no local storage.
const BLOCKED: &str = "local storage is blocked for this page";

/// This site's local storage, if the browser allows it (a browser may block it for the site).
fn storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

/// The length of `text` as local storage counts it, and its quota: in UTF-16 code units.
pub fn stored_len(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Saves the plan now open in local storage, as compact JSON (see `Session::autosave_json`). A failure (storage full
/// or blocked) is reported to the session, which warns until a save works again: the user must know that a reload
/// would lose their changes. Once saved, the autosave holds this tab's newest plan: a copy kept aside when another
/// tab saved over an older one (see [`keep_overwritten`]) is dropped, as outdated.
///
/// An autosave no open tab holds is kept aside first (see [`keep_left`]); when not even a move can keep it, this tab's
/// plan is not saved over it, and the save counts as failed (the warning offers to make room).
pub fn autosave(store: &StoreHandle) {
    let json = store.session.autosave_json();
    let mut left_kept = None;
    let written = match storage() {
        Some(s) => keep_left(&s, &json).and_then(|kept| {
            left_kept = kept;
            s.set_item(AUTOSAVE_KEY, &json).map_err(|e| refusal_name(&e))?;
            OWN_TEXT.set(Some(fingerprint(&json)));
            claim(&s);
            Ok(())
        }),
        None => Err(BLOCKED.into()),
    };
    if written.is_ok() {
        drop_own_kept();
    }
    match &written {
        Ok(()) if store.view.unsaved.is_some() => store.dispatch(Action::AutosaveRecovered),
        Ok(()) => {}
        Err(reason) => {
            let kept = kept().iter().map(|(_, k)| stored_len(k)).collect();
            store.dispatch(Action::AutosaveFailed { reason: reason.clone(), chars: Some(stored_len(&json)), kept });
        }
    }
    // Last, so that "saved again" does not hide where the other plan went; a failed save's warning stands.
    if let (Some(name), true) = (left_kept, written.is_ok()) {
        store.dispatch(Action::AutosaveLeftKept { name });
    }
}

thread_local! {
    /// This tab's name in [`OWNER_KEY`]: made up when the page loads (a reload is another tab).
    static TAB_ID: String = format!("{:x}-{:x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e15) as u64);
    /// The autosave this tab last wrote or opened, as its length and hash ([`fingerprint`]): found in the autosave
    /// still, it is this tab's own plan as it was (another tab opened it too, and left), not a plan to keep aside.
    static OWN_TEXT: std::cell::Cell<Option<(usize, u64)>> = const { std::cell::Cell::new(None) };
}

/// A plan's JSON as its length and hash, to compare it with another without keeping a copy of a large plan.
fn fingerprint(text: &str) -> (usize, u64) {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    (text.len(), h.finish())
}

/// Marks the autosave as this open tab's plan (see [`OWNER_KEY`]). Should the name not fit in a full storage, the
/// autosave counts as no open tab's, and another tab keeps it aside before saving over it: a copy too many, not a
/// plan lost.
///
/// A tab in the background (a link opened in a background tab, say) names no tab instead, as it would on going there.
fn claim(storage: &web_sys::Storage) {
    if gloo::utils::document().hidden() {
        let _ = storage.remove_item(OWNER_KEY);
        return;
    }
    let _ = TAB_ID.with(|id| storage.set_item(OWNER_KEY, id));
}

/// The owner named in storage, if any, and whether it is this tab.
fn owner(storage: &web_sys::Storage) -> Option<(String, bool)> {
    let owner = storage.get_item(OWNER_KEY).ok().flatten()?;
    let this = TAB_ID.with(|id| *id == owner);
    Some((owner, this))
}

/// This tab leaves the page or goes to the background: if the autosave is its plan, no open tab holds it now, as far as
/// other tabs can tell (see [`OWNER_KEY`]). Also after a panic ([`super::crashed`]): the tab no longer answers.
pub(super) fn leave() {
    let Some(storage) = storage() else { return };
    if owner(&storage).is_some_and(|(_, this)| this) {
        let _ = storage.remove_item(OWNER_KEY);
    }
}

/// This tab is shown again (from the background, or from the browser's back/forward cache) after it gave the autosave
/// up: if the autosave is still its plan, it holds it again (otherwise the next tab to save would keep it aside).
fn back() {
    let Some(storage) = storage() else { return };
    let ours = autosaved().is_some_and(|t| OWN_TEXT.get() == Some(fingerprint(&t)));
    if ours && owner(&storage).is_none() {
        claim(&storage);
    }
}

/// Before this tab saves `json` over the autosave: when the autosave holds another plan that no open tab holds, as far
/// as this tab can tell (its tab closed, or in the background: see [`OWNER_KEY`]), saving over it could lose it, so it
/// is kept aside first (copied, or moved when there is no room for a copy), as a plan a share link opens over is.
/// The plan this tab last wrote or opened is not another plan, whoever wrote it last (a second tab opened on it,
/// closed since). Returns the name of the plan kept now (`Some(None)` for one without a name; `None`
/// when nothing needed keeping, or the same text was kept already), or why it could not be kept: then nothing may be
/// saved over it.
fn keep_left(storage: &web_sys::Storage, json: &str) -> Result<Option<Option<String>>, String> {
    // A mark made for an earlier save is stale by now (see `RESCUED_KEY`); one made for this save (a share link's,
    // on load) is what the tab of the copy is to hear of.
    if rescue_mark(storage).is_none_or(|(_, over)| over != fingerprint(json)) {
        let _ = storage.remove_item(RESCUED_KEY);
    }
    if owner(storage).is_some() {
        // This tab's, or an open tab's, which keeps its own plan aside when it hears of this save.
        return Ok(None);
    }
    let own = OWN_TEXT.get();
    let text = storage.get_item(AUTOSAVE_KEY).ok().flatten();
    let Some(text) = text.filter(|t| t != json && Some(fingerprint(t)) != own) else { return Ok(None) };
    match keep_aside(storage, &text) {
        Ok((key, true)) => {
            // Said to its tab, should it be open after all (in the background): see `keep_overwritten`.
            mark_rescued(storage, &key, json);
            Ok(Some(crate::session::plan_name(&text)))
        }
        Ok((_, false)) => Ok(None),
        Err((why, _)) => Err(format!(
            "the autosave holds the plan of a planner tab closed or in the background, which could not be kept \
             aside: {why}"
        )),
    }
}

/// The copy of this tab's plan kept aside (see [`OWN_KEPT`]).
struct OwnKept {
    key: String,
    text: String,
    /// Made for this tab (by it, or by the tab that saved over it: see [`RESCUED_KEY`]): its next save drops it, as
    /// outdated. A copy kept before for another reason (the plan a share link opened over, reopened here since) is the
    /// user's: it is watched (its discard leaves this tab's plan in no storage) but not dropped.
    drop: bool,
}

thread_local! {
    /// The copy of this tab's plan that [`keep_overwritten`] kept aside when another tab saved over this tab's
    /// autosave: its kept key and text. One a tab (a page runs one app): the newest stands for the older ones, and
    /// the tab's next autosave makes it outdated too (see [`autosave`]).
    static OWN_KEPT: std::cell::RefCell<Option<OwnKept>> = const { std::cell::RefCell::new(None) };
}

/// Another tab saved `theirs` over this tab's autosave, and this tab holds `own` (as the autosave stores it): unless
/// that is the same text, this tab's plan is then in no storage but this tab, where closing or reloading it would
/// lose it. So it is kept aside, as a plan a share link opens over is (the import panel offers it, and a tab closed
/// now loses nothing), rather than only counted as not saved (closing would ask, but a user who closes anyway, or
/// whose browser discards the tab, loses it). Saving it over the other tab's plan instead would only move the loss
/// there. Returns `None` when nothing needed keeping, else whether it was kept or why not: then the session counts
/// the plan as not saved in this browser until a save works.
pub fn keep_overwritten(own: &str, theirs: &str) -> Option<Result<(), String>> {
    if own == theirs {
        return None;
    }
    let Some(storage) = storage() else { return Some(Err(BLOCKED.into())) };
    Some(match copy_aside(&storage, own) {
        Ok((key, new)) => {
            // An older copy of this tab's plan is outdated by this one (unless it is this one). A copy the other tab
            // made of it for this very save (this tab was in the background: see `keep_left`) is this tab's own.
            let rescued = rescue_mark(&storage).is_some_and(|(k, over)| k == key && over == fingerprint(theirs));
            if rescued {
                let _ = storage.remove_item(RESCUED_KEY);
            }
            let same = OWN_KEPT.with_borrow(|o| o.as_ref().filter(|o| o.key == key && o.text == own).map(|o| o.drop));
            if same.is_none() {
                drop_own_kept();
            }
            // The same text kept before, for another reason, is the user's to discard: watched, not dropped.
            let drop = new || rescued || same == Some(true);
            OWN_KEPT.set(Some(OwnKept { key, text: own.to_string(), drop }));
            Ok(())
        }
        Err(e) => Err(refusal_name(&e)),
    })
}

thread_local! {
    /// How many times this tab has stored or removed a kept plan: the Import panel reads the kept plans again when it
    /// changed (another tab's writes come as `storage` events).
    static KEPT_WRITES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// See [`KEPT_WRITES`].
pub fn kept_writes() -> u32 {
    KEPT_WRITES.get()
}

fn kept_written() {
    KEPT_WRITES.set(KEPT_WRITES.get().wrapping_add(1));
}

/// Whether a `storage` event from another tab may have changed the plans kept aside: its key is a kept plan's, or
/// none (the storage was cleared). The autosave's key alone changes no kept plan (what this tab sets aside then is
/// counted by [`kept_writes`]).
pub fn kept_changed_by(e: &web_sys::Event) -> bool {
    use wasm_bindgen::JsCast;
    let key = e.dyn_ref::<web_sys::StorageEvent>().map(|s| s.key());
    key.is_none_or(|k| k.is_none_or(|k| kept_slot(&k).is_some()))
}

/// Removes this tab's kept copy (see [`OWN_KEPT`]), unless its key holds other text by now (the user discarded it,
/// and another plan was kept under the freed key).
fn drop_own_kept() {
    let (Some(own), Some(storage)) = (OWN_KEPT.take(), storage()) else { return };
    if own.drop && storage.get_item(&own.key).ok().flatten().is_some_and(|t| t == own.text) {
        let _ = storage.remove_item(&own.key);
        kept_written();
    }
}

/// Why local storage refused a write: the `DOMException`'s name (`QuotaExceededError`: the site's storage is full).
fn refusal_name(e: &wasm_bindgen::JsValue) -> String {
    let name = js_sys::Reflect::get(e, &"name".into()).ok().and_then(|n| n.as_string());
    name.unwrap_or_else(|| "the browser refused to store it".into())
}

/// Fills this site's local storage with a filler item so that `room` more characters (keys and values, UTF-16 units)
/// fit, and no more; returns the filler's key, to remove (browser tests of a full storage; see
/// [`super::fill_storage_leaving`]).
pub(super) fn fill_leaving(room: usize) -> &'static str {
    const FILLER: &str = "classiclink.test.filler";
    let storage = storage().expect("local storage");
    // The largest filler that fits, by bisection, then `room` less.
    let (mut lo, mut hi) = (0usize, 12_000_000usize);
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        let _ = storage.remove_item(FILLER);
        if storage.set_item(FILLER, &"x".repeat(mid)).is_ok() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    storage.set_item(FILLER, &"x".repeat(lo - room)).expect("the filler fits");
    FILLER
}

/// Calls `f` when the page is hidden: unloaded (closed, reloaded, navigated away: `pagehide`) or put in the background
/// (`visibilitychange` to hidden, which mobile browsers may follow by discarding the page without a `pagehide`). The
/// last moments a pending autosave can be written. Once `f` is done, a tab whose plan is the autosave gives it up
/// (see [`OWNER_KEY`]), and takes it back when shown again (`visibilitychange` to visible, or `pageshow` from the
/// back/forward cache). The listeners live as long as the returned value.
pub fn on_page_hide(f: impl Fn() + 'static) -> [EventListener; 3] {
    let f = std::rc::Rc::new(f);
    let g = f.clone();
    let document = gloo::utils::document();
    [
        EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
            f();
            leave();
        }),
        EventListener::new(&gloo::utils::window(), "pageshow", move |e| {
            if js_sys::Reflect::get(e, &"persisted".into()).ok().and_then(|p| p.as_bool()) == Some(true) {
                back();
            }
        }),
        EventListener::new(&document.clone(), "visibilitychange", move |_| {
            if document.hidden() {
                g();
                leave();
            } else {
                back();
            }
        }),
    ]
}

/// While the returned listener lives, leaving the page (closing, reloading, navigating away) asks the user first, as
/// browsers do for a page with unsaved changes: set while the autosave fails, so that work is not lost unwarned.
pub fn confirm_leaving() -> EventListener {
    let options = gloo::events::EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&gloo::utils::window(), "beforeunload", options, |e| {
        e.prevent_default();
        // Older browsers ask only when `returnValue` is set.
        if let Some(e) = e.dyn_ref::<web_sys::BeforeUnloadEvent>() {
            e.set_return_value("The plan is not saved in this browser");
        }
    })
}

/// Calls `f` with the new text when another tab of this site writes the autosave (the browser's `storage` event,
/// which a tab does not receive for its own writes), and `gone` when another tab removes (discards) the copy of this
/// tab's plan kept aside (see [`keep_overwritten`]): the plan is then in no storage but this tab. The listener lives as
/// long as the returned value.
pub fn on_autosave_elsewhere(f: impl Fn(String) + 'static, gone: impl Fn() + 'static) -> EventListener {
    EventListener::new(&gloo::utils::window(), "storage", move |e| {
        let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else { return };
        let key = e.key();
        if key.as_deref() == Some(AUTOSAVE_KEY) {
            if let Some(text) = e.new_value() {
                f(text);
            }
        }
        // The copy's key written over or removed, or the whole storage cleared (no key).
        // An event may come late (a page shown again from the back/forward cache hears what happened meanwhile): what
        // counts is what the key holds now.
        let lost = OWN_KEPT.with_borrow(|o| {
            o.as_ref().is_some_and(|o| {
                key.as_deref().is_none_or(|changed| changed == o.key)
                    && storage().and_then(|s| s.get_item(&o.key).ok().flatten()).as_deref() != Some(o.text.as_str())
            })
        });
        if lost {
            OWN_KEPT.take();
            gone();
        }
    })
}

fn autosaved() -> Option<String> {
    storage()?.get_item(AUTOSAVE_KEY).ok().flatten()
}

/// The slot number of a kept plan's key: 1 for [`KEPT_KEY`], `n` for `KEPT_KEY.n`; `None` for any other key.
fn kept_slot(key: &str) -> Option<u32> {
    match key.strip_prefix(KEPT_KEY)? {
        "" => Some(1),
        n => n.strip_prefix('.')?.parse().ok().filter(|&n| n > 1),
    }
}

/// The plans this browser kept aside (see [`KEPT_KEY`]): (key, plan JSON), by slot ([`KEPT_KEY`] first).
pub fn kept() -> Vec<(String, String)> {
    let Some(storage) = storage() else { return Vec::new() };
    let mut slots: Vec<(u32, String)> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter_map(|key| Some((kept_slot(&key)?, key)))
        .collect();
    crate::domain::sort::sort(&mut slots);
    slots.into_iter().filter_map(|(_, key)| Some((key.clone(), storage.get_item(&key).ok().flatten()?))).collect()
}

/// Forgets the plan kept aside under `key` (the user chose to, say to make room for the autosave), if it is still
/// `listed`, the text the user was shown: another tab may have discarded it and kept another plan under the same key
/// since. Returns whether it was removed (false when the key now holds another text, or none).
pub fn discard_kept(key: &str, listed: &str) -> bool {
    let Some(s) = storage().filter(|_| kept_slot(key).is_some()) else { return false };
    if s.get_item(key).ok().flatten().as_deref() != Some(listed) {
        return false;
    }
    let removed = s.remove_item(key).is_ok();
    if rescue_mark(&s).is_some_and(|(k, _)| k == key) {
        let _ = s.remove_item(RESCUED_KEY);
    }
    kept_written();
    removed
}

/// Stores `json` under the first free kept key ([`KEPT_KEY`], then `KEPT_KEY.2` ...), unless the same text is kept
/// already: the key that holds it and whether it was stored now, or the browser's refusal.
fn copy_aside(storage: &web_sys::Storage, json: &str) -> Result<(String, bool), wasm_bindgen::JsValue> {
    let kept = kept();
    if let Some((key, _)) = kept.iter().find(|(_, text)| text == json) {
        return Ok((key.clone(), false));
    }
    let free = (1..).find(|n| !kept.iter().any(|(key, _)| kept_slot(key) == Some(*n))).unwrap_or(1);
    let key = if free == 1 { KEPT_KEY.to_string() } else { format!("{KEPT_KEY}.{free}") };
    storage.set_item(&key, json)?;
    kept_written();
    Ok((key, true))
}

/// Sets the autosaved plan's `json` aside (see [`copy_aside`]); the autosave is then empty (written again once the
/// plan now open is saved).
///
/// The autosave is removed only once the text is stored elsewhere, so that no failure loses it: first a copy; when
/// there is no room for one (local storage holds about five million characters a site in Chromium: some three plans
/// of Tencent's largest size as the autosave stores them, one as an earlier build's pretty JSON), a move, which
/// frees the room the autosave takes; should even the move fail, the text goes back where it was. Then it is not
/// kept: the next autosave writes over it. That is returned, as the browser's reason (and whether the text could not
/// even go back), for [`report_unkept`] to say.
fn keep(json: &str) -> Result<(), String> {
    let Some(storage) = storage() else { return Err(BLOCKED.into()) };
    keep_aside(&storage, json).map(|_| ()).map_err(unkept)
}

/// Why [`keep_aside`] could not keep the autosave, in words.
fn unkept((why, back): (String, bool)) -> String {
    match back {
        true => format!("the autosaved plan could not be kept aside: {why}"),
        false => format!("the autosaved plan could not be kept aside, nor put back: {why}"),
    }
}

/// Keeps `own`, this tab's plan, aside when the autosave is not it (an older version, whose save failed since, or
/// another tab's plan): a copy; with no room for one, in place of an older version of this tab's plan in the autosave
/// (which the newer one outdates), put back should even that not fit. Returns why it could not be kept.
fn keep_own(own: &str) -> Result<(), String> {
    let Some(storage) = storage() else { return Err(BLOCKED.into()) };
    let why = match copy_aside(&storage, own) {
        Ok(_) => return Ok(()),
        Err(e) => refusal_name(&e),
    };
    // Only when no other open tab holds it (one that opened the same plan would not hear of a removal).
    let mine = owner(&storage).is_none_or(|(_, this)| this);
    let older = storage.get_item(AUTOSAVE_KEY).ok().flatten();
    let older = older.filter(|t| mine && OWN_TEXT.get() == Some(fingerprint(t)));
    if let Some(older) = older {
        let _ = storage.remove_item(AUTOSAVE_KEY);
        if copy_aside(&storage, own).is_ok() {
            return Ok(());
        }
        let _ = storage.set_item(AUTOSAVE_KEY, &older);
    }
    Err(format!("this tab's plan could not be kept aside: {why}"))
}

/// [`keep`], for an autosave no open tab holds, as far as this tab can tell: should its tab be open after all (in the
/// background), it takes the copy for its own (see [`RESCUED_KEY`]), so that links opened beside it do not pile up
/// copies of its plan.
fn keep_rescued(json: &str, over: &str) -> Result<(), String> {
    let Some(storage) = storage() else { return Err(BLOCKED.into()) };
    match keep_aside(&storage, json) {
        Ok((key, new)) => {
            if new {
                mark_rescued(&storage, &key, over);
            }
            Ok(())
        }
        Err(e) => Err(unkept(e)),
    }
}

/// [`keep`]'s copy, or move, of the autosave `json`: the kept key and whether it was stored now (see [`copy_aside`]),
/// or the browser's reason and whether the text went back to the autosave.
fn keep_aside(storage: &web_sys::Storage, json: &str) -> Result<(String, bool), (String, bool)> {
    // A copy, the autosave removed once it is stored.
    if let Ok(kept) = copy_aside(storage, json) {
        let _ = storage.remove_item(AUTOSAVE_KEY);
        return Ok(kept);
    }
    // A move: the autosave's room for the kept copy.
    let _ = storage.remove_item(AUTOSAVE_KEY);
    let e = match copy_aside(storage, json) {
        Ok(kept) => return Ok(kept),
        Err(e) => e,
    };
    Err((refusal_name(&e), storage.set_item(AUTOSAVE_KEY, json).is_ok()))
}

/// Says why [`keep`] could not keep the autosaved plan aside, if it could not (`kept_aside`): as a failed autosave,
/// which warns that a reload loses work, offers to make room and asks before the page is left. Dispatched after the
/// actions that open the plan replacing it, so that their notices do not hide this one.
fn report_unkept(store: &StoreHandle, kept_aside: Result<(), String>) {
    if let Err(reason) = kept_aside {
        let kept = kept().iter().map(|(_, k)| stored_len(k)).collect();
        store.dispatch(Action::AutosaveFailed { reason, chars: None, kept });
    }
}

/// Opens the share link's plan, else the autosave, else the example.
///
/// The autosave is never overwritten unread: a share link opens over it, so that Undo brings it back, and it is kept
/// under [`KEPT_KEY`]; an autosave this build cannot read (a newer version's plan, damaged storage) is kept there
/// too, with a notice. The import panel offers the kept plans. When local storage has no room to keep it, a warning
/// says so (see [`keep`]).
pub fn first_load(store: StoreHandle) {
    // Said at once, before the user puts work in.
    if storage().is_none() {
        store.dispatch(Action::AutosaveFailed { reason: BLOCKED.into(), chars: None, kept: Vec::new() });
    }
    let own = autosaved().and_then(|text| match import(&text) {
        Ok(plan) => Some((plan, text)),
        Err(e) => {
            let kept_aside = keep(&text);
            store.dispatch(Action::AutosaveUnreadable(e.errors));
            report_unkept(&store, kept_aside);
            None
        }
    });
    // Whether an open tab holds the autosave as its plan (see `OWNER_KEY`).
    let held = storage().is_some_and(|s| owner(&s).is_some());
    // This tab opens the autosave as its plan: the text it last opened (see `keep_left`). When no open tab holds it
    // (this page before a reload, a tab since closed), it is this tab's now; an open tab's stays that tab's, so that
    // this tab's first save over it leaves it to that tab to keep its plan.
    let adopt = |text: &str| {
        OWN_TEXT.set(Some(fingerprint(text)));
        if let Some(s) = storage().filter(|_| !held) {
            claim(&s);
        }
    };
    match take_share_link() {
        Some(Ok(plan)) => {
            match own {
                Some((own, text)) if own != plan => {
                    // The plan the link opens over stays one undo away, and is kept aside when no open tab holds
                    // it; an open tab keeps it itself once this tab saves over it (a copy kept here too piled up, one
                    // for each link opened beside that tab).
                    let kept_aside = if held { Ok(()) } else { keep_rescued(&text, &plan.to_json_compact()) };
                    store.dispatch(Action::Open(own));
                    store.dispatch(Action::OpenShared(plan));
                    report_unkept(&store, kept_aside);
                }
                Some((_, text)) => {
                    adopt(&text);
                    store.dispatch(Action::Open(plan));
                }
                None => store.dispatch(Action::Open(plan)),
            }
            return;
        }
        // Let the session list why the link could not be opened, then fall back to what the user had.
        Some(Err(encoded)) => store.dispatch(Action::OpenShare(encoded)),
        None => {}
    }
    if let Some((plan, text)) = own {
        adopt(&text);
        store.dispatch(Action::Open(plan));
        return;
    }
    yew::platform::spawn_local(async move {
        let text = match gloo::net::http::Request::get(EXAMPLE_URL).send().await {
            Ok(resp) if resp.ok() => resp.text().await.ok(),
            _ => None,
        };
        // The user may have started work on the empty plan while the example was on its way: that work stays.
        match text.map(|t| import(&t)) {
            Some(Ok(plan)) => store.dispatch(Action::OpenStart(plan)),
            Some(Err(_)) | None => {
                let plan = crate::domain::model::Plan { name: "New plan".into(), ..Default::default() };
                store.dispatch(Action::OpenStart(plan));
            }
        }
    });
}

/// The share link in the address (`#plan=…`), if there is one, dropped from the address once read (so that a reload
/// shows the autosave of later edits): its plan, or the encoded text that does not decode.
fn take_share_link() -> Option<Result<crate::domain::model::Plan, String>> {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    let result = plan_from_fragment(&hash)?;
    clear_fragment();
    Some(result.map_err(|_| {
        let encoded = hash.trim_start_matches('#').split('&').find_map(|p| p.strip_prefix(FRAGMENT_KEY));
        encoded.unwrap_or_default().to_string()
    }))
}

/// A share link pasted into the address bar of an open planner (only the `#…` part changes, so the page does not
/// load again): opened at once, as on load. The plan this tab had (`own_json`, as the autosave stores it) is kept
/// for the import panel, and Undo brings it back: moved out of the autosave when that holds it, as in a tab of its
/// own; otherwise (its save failed, or another tab saved over it) copied, or with no room for a copy moved in place of
/// its older version in the autosave (see [`keep_own`]), and kept for good: this tab's next save is of another plan,
/// which does not outdate it. When it cannot be kept, the link is refused, with why: opened, its plan would be saved
/// over the plan's only stored version, or the plan is in no storage at all.
pub fn on_share_link(
    store: StoreHandle,
    save_pending: impl Fn() + 'static,
    own_json: impl Fn() -> String + 'static,
) -> EventListener {
    EventListener::new(&gloo::utils::window(), "hashchange", move |_| match take_share_link() {
        Some(Ok(plan)) => {
            save_pending();
            let own = own_json();
            let over = own != plan.to_json_compact();
            let kept_aside = if !over {
                Ok(())
            } else if autosaved().as_deref() == Some(own.as_str()) {
                keep(&own)
            } else {
                keep_own(&own)
            };
            match kept_aside {
                Ok(()) => {
                    // A copy of this tab's plan kept before is of the plan opened over now: no longer this tab's
                    // plan, to drop or to watch.
                    if over {
                        OWN_KEPT.take();
                    }
                    store.dispatch(Action::OpenShared(plan));
                }
                // Opened, the link's plan would be saved over the only stored copy of this one, or this one is in
                // no storage: it stays open, and the link is refused with why.
                Err(why) => store.dispatch(Action::ShareLinkRefused(why)),
            }
        }
        Some(Err(encoded)) => store.dispatch(Action::OpenShare(encoded)),
        None => {}
    })
}

/// Drops the `#…` part from the address bar (without reloading).
pub fn clear_fragment() {
    let window = gloo::utils::window();
    let loc = window.location();
    let url = format!("{}{}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
    if let Ok(h) = window.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The page's address with `fragment` as its `#…` part; also puts it in the address bar (without reloading).
pub fn share_url(fragment: &str) -> String {
    let window = gloo::utils::window();
    let loc = window.location();
    let base = format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    let url = format!("{base}#{fragment}");
    if let Ok(h) = window.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    url
}

/// A file name's stem for a plan named `name`: lowercase ASCII letters and digits, anything else a dash;
/// `classiclink-plan` for a name with neither.
pub fn file_stem(name: &str) -> String {
    let mut stem = String::with_capacity(name.len());
    for c in name.chars() {
        // One hyphen for each run of other characters ("Guangzhou: web" -> "guangzhou-web").
        match c.is_ascii_alphanumeric() {
            true => stem.push(c.to_ascii_lowercase()),
            false if !stem.ends_with('-') => stem.push('-'),
            false => {}
        }
    }
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "classiclink-plan".to_string()
    } else {
        stem.to_string()
    }
}

/// Offers `text` as a file download.
pub fn download(filename: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    let kind = match filename.rsplit('.').next() {
        Some("md") => "text/markdown",
        Some("sh") => "text/x-shellscript",
        Some("tf") => "text/plain",
        _ => "application/json",
    };
    opts.set_type(kind);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let document = gloo::utils::document();
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(filename);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Whether an element takes typed text, with its own undo: an editable text area, or an editable input that is not
/// a checkbox, radio button, button, range, colour or file picker.
fn takes_text(el: &web_sys::Element) -> bool {
    // A read-only or disabled field has no typing to undo either.
    if el.has_attribute("readonly") || el.has_attribute("disabled") {
        return false;
    }
    match el.tag_name().as_str() {
        "TEXTAREA" => true,
        "INPUT" => !matches!(
            el.get_attribute("type").unwrap_or_default().to_ascii_lowercase().as_str(),
            "checkbox" | "radio" | "button" | "submit" | "reset" | "range" | "color" | "file" | "image"
        ),
        _ => false,
    }
}

/// Calls `f(redo)` on Ctrl+Z (`false`), Ctrl+Shift+Z or Ctrl+Y (`true`), unless the focus is in a text field
/// (where the browser's own text undo applies). A checkbox, a button or a menu has no text to undo: there the keys
/// undo the plan (the Links tab is all checkboxes and menus).
pub fn on_undo_keys(f: impl Fn(bool) + 'static) -> EventListener {
    // Not passive, or the browser ignores prevent_default and runs its own Undo as well: it takes back the last
    // typing in whatever field had it, and moves the focus there.
    let options = gloo::events::EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&gloo::utils::document(), "keydown", options, move |e| {
        let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
        if !(e.ctrl_key() || e.meta_key()) {
            return;
        }
        let in_text = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| takes_text(&el));
        if in_text {
            return;
        }
        let key = e.key().to_lowercase();
        let redo = match key.as_str() {
            "z" => e.shift_key(),
            "y" => true,
            _ => return,
        };
        e.prevent_default();
        f(redo);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browser_test as test;

    /// Setting the autosave aside never loses it: copied when there is room, moved when there is room for one copy
    /// only, and when not even the move fits (the kept key is longer than the autosave's), left in the autosave and
    /// reported.
    #[test]
    fn keeping_the_autosave_aside_never_loses_it() {
        let storage = storage().expect("local storage");
        let json = "{\"name\":\"Kept\"}".repeat(1000);
        let longer = KEPT_KEY.len() - AUTOSAVE_KEY.len();
        // (room left beside the autosave, whether it is kept aside)
        let table = [(json.len() + KEPT_KEY.len(), true), (longer, true), (longer - 1, false), (0, false)];
        for (room, kept_aside) in table {
            storage.clear().unwrap();
            storage.set_item(AUTOSAVE_KEY, &json).unwrap();
            let filler = super::super::fill_storage_leaving(room);
            let result = keep(&json);
            let (autosave, kept_text) = (autosaved(), storage.get_item(KEPT_KEY).unwrap());
            storage.remove_item(filler).unwrap();
            if kept_aside {
                assert_eq!(result, Ok(()), "room {room}");
                assert_eq!((autosave, kept_text.as_deref()), (None, Some(json.as_str())), "room {room}");
            } else {
                assert_eq!(
                    result,
                    Err("the autosaved plan could not be kept aside: QuotaExceededError".to_string()),
                    "room {room}"
                );
                assert_eq!((autosave.as_deref(), kept_text), (Some(json.as_str()), None), "room {room}");
            }
        }
        storage.clear().unwrap();
    }
}
