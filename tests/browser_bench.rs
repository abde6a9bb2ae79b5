//! Speed at scale, measured in the browser: on Tencent's largest realistic plan (scale 1 of
//! `domain::synth::plan`: 20 VPCs, 2,000 linked classic CVMs, 5,000 VPC resources), how long an edit takes to
//! update the checks.
//!
//! 1. The session alone: each edit is what the app's reducer does per action — clone the session, `update`, then
//!    `view()` (which runs the full check on the new plan and builds everything the UI draws).
//! 2. The whole app: the Yew app mounted with that plan, an edit clicked through the DOM, timed until the DOM shows
//!    it and the browser has laid the page out again (render included; the timer's own latency, up to about a
//!    millisecond, too).
//! 3. The Tools pages (the heaviest actions after an edit): opening the diff (with its flow diff), the migration
//!    checklist and the export against a baseline, in the session (update + view model), as the reducer does.
//!
//! Prints the figures (`browser edit latency (scale 1): median X ms, p90 Y ms, max Z ms`) and asserts only that
//! the edits did what they should, never a time. Meaningful numbers need an optimised build:
//!
//! ```text
//! source scripts/env.sh
//! cargo test --target wasm32-unknown-unknown --release --test browser_bench
//! ```
//!
//! (`scripts/test.sh` runs it as its `bench-browser` step; the runner shows the console output.)
#![cfg(target_arch = "wasm32")]

use classiclink::domain::synth;
use classiclink::session::{Action, Effect, Session, ToolAction, ToolPage};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Edits timed per benchmark.
const EDITS: usize = 20;

fn now() -> f64 {
    web_sys::window().expect("a window").performance().expect("performance").now()
}

/// `median X ms, p90 Y ms, max Z ms` of `times` (milliseconds).
fn summary(times: &mut [f64]) -> String {
    times.sort_by(f64::total_cmp);
    let n = times.len();
    format!("median {:.1} ms, p90 {:.1} ms, max {:.1} ms ({n} edits)", times[n / 2], times[n * 9 / 10], times[n - 1])
}

fn links_of(s: &Session, vpc: &str) -> usize {
    s.plan().links.iter().filter(|l| l.vpc == vpc).count()
}

#[wasm_bindgen_test]
fn session_edit_latency_at_scale_1() {
    let t = now();
    let mut s = Session::new(synth::plan(1));
    let first = s.view();
    let open_ms = now() - t;
    assert_eq!(first.gauges.iter().map(|g| g.links).sum::<usize>(), 2_000);

    let vpc = "vpc-r0-0".to_string();
    let mut times = Vec::with_capacity(EDITS);
    // Where the time goes: the core op (update), the check (the core's `check`), the rest of the view.
    let (mut updates, mut checks, mut views) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..EDITS {
        // Alternately unlink and link back one CVM, and change another CVM's IP.
        let instance = format!("ins-r0-{}", i / 3);
        let before = links_of(&s, &vpc);
        let (action, links_after) = match i % 3 {
            0 => (Action::Unlink { vpc: vpc.clone(), instances: vec![instance] }, before - 1),
            1 => (Action::Link { vpc: vpc.clone(), instances: vec![instance] }, before + 1),
            _ => (
                Action::ChangeIp { instance: format!("ins-r0-{}", 500 + i), ip: format!("10.66.200.{}", 1 + i) },
                before,
            ),
        };
        let t = now();
        let mut next = s.clone();
        let effect = next.update(action);
        let t_update = now();
        next.report();
        let t_check = now();
        let vm = next.view();
        let t_view = now();
        times.push(t_view - t);
        updates.push(t_update - t);
        checks.push(t_check - t_update);
        views.push(t_view - t_check);
        assert_eq!(effect, Effect::PlanChanged);
        assert_eq!(links_of(&next, &vpc), links_after);
        assert_eq!(vm.gauges.iter().find(|g| g.vpc == vpc).map(|g| g.links), Some(links_after));
        assert_eq!(vm.revision, s.revision() + 1);
        s = next;
    }
    console_log!("session open + first view (scale 1): {open_ms:.1} ms");
    console_log!("browser edit latency (scale 1): {}", summary(&mut times));
    console_log!("  of which update (core op): {}", summary(&mut updates));
    console_log!("  of which check: {}", summary(&mut checks));
    console_log!("  of which view model: {}", summary(&mut views));

    // What the app's autosave does after each edit (in an effect, once the edit is drawn): the plan as JSON, written
    // to local storage.
    let storage = web_sys::window().expect("a window").local_storage().expect("storage").expect("local storage");
    let key = "classiclink-bench-autosave";
    let (mut exports, mut writes) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = now();
        let json = s.export_json();
        let t_json = now();
        storage.set_item(key, &json).expect("the plan fits in local storage");
        writes.push(now() - t_json);
        exports.push(t_json - t);
        assert_eq!(storage.get_item(key).expect("readable").map(|j| j.len()), Some(json.len()));
    }
    storage.remove_item(key).expect("removable");
    console_log!("autosave after an edit (scale 1): plan as JSON {}", summary(&mut exports).replace("edits", "runs"));
    console_log!("  then the local storage write {}", summary(&mut writes).replace("edits", "runs"));

    // What the open share panel does once changes pause: the plan compressed into a link.
    let mut shares = Vec::new();
    for _ in 0..5 {
        let t = now();
        let fragment = s.share_fragment();
        shares.push(now() - t);
        assert!(fragment.starts_with("plan="));
    }
    console_log!("share link (scale 1): {}", summary(&mut shares).replace("edits", "runs"));
}

/// Opening each Tools page against a baseline (the plan before 50 CVMs were unlinked): the time from the click's
/// action to the view model with the page computed.
#[wasm_bindgen_test]
fn tools_pages_at_scale_1() {
    const RUNS: usize = 5;
    let plan = synth::plan(1);
    let vpc = plan.vpcs[0].id.clone();
    let unlinked: Vec<String> =
        plan.links.iter().filter(|l| l.vpc == vpc).take(50).map(|l| l.instance.to_string()).collect();
    let mut base = Session::new(plan);
    base.update(Action::Tools(ToolAction::Show(true)));
    base.update(Action::Tools(ToolAction::SetBaseline));
    base.update(Action::Unlink { vpc: vpc.to_string(), instances: unlinked });
    for page in [ToolPage::Diff, ToolPage::Migrate, ToolPage::Export] {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let mut s = base.clone();
            let t = now();
            s.update(Action::Tools(ToolAction::Page(page)));
            let vm = s.view();
            times.push(now() - t);
            let tv = &vm.tools;
            match page {
                ToolPage::Diff => {
                    let d = tv.diff.as_ref().expect("the diff page is computed while shown");
                    assert_eq!(d.links.len(), 50, "the 50 unlinked CVMs");
                    assert!(d.pairs_checked > 0 && d.error.is_none());
                }
                ToolPage::Migrate => {
                    let m = tv.migrate.as_ref().expect("the checklist is computed while shown");
                    assert_eq!(m.checklist.instances.len(), 2_000);
                }
                _ => {
                    let e = tv.export.as_ref().expect("the export is computed while shown");
                    assert!(e.since && !e.empty, "the changes since the baseline are exported");
                }
            }
        }
        console_log!("Tools {} page (scale 1): {}", page.label(), summary(&mut times).replace("edits", "runs"));
    }
}

/// Lets Yew render (its scheduler runs in a microtask; a timer runs after it).
async fn tick() {
    yew::platform::time::sleep(Duration::ZERO).await;
}

fn testid(root: &Element, id: &str) -> Element {
    root.query_selector(&format!("[data-testid=\"{id}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid {id}"))
}

/// Clicks `id` and waits until `done` holds; returns the milliseconds from the click until then, after a forced
/// layout of the page.
async fn timed_click(root: &Element, id: &str, done: impl Fn() -> bool) -> f64 {
    let el = testid(root, id);
    let t = now();
    el.dyn_ref::<HtmlElement>().expect("a button").click();
    for _ in 0..10_000 {
        tick().await;
        if done() {
            break;
        }
    }
    assert!(done(), "clicking {id} did not show its effect");
    // Reading a layout property makes the browser lay the page out now.
    let _ = root.dyn_ref::<HtmlElement>().expect("an HTML root").offset_height();
    now() - t
}

#[wasm_bindgen_test]
async fn app_edit_latency_at_scale_1() {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let t = now();
    let _app = classiclink::ui::mount_with_plan(root.clone(), synth::plan(1));
    let gauge = |root: &Element| testid(root, "gauge-vpc-r0-0").get_attribute("data-links").unwrap_or_default();
    for _ in 0..10_000 {
        tick().await;
        if root.query_selector("[data-testid=\"gauge-vpc-r0-0\"]").unwrap().is_some() {
            break;
        }
    }
    let _ = root.dyn_ref::<HtmlElement>().unwrap().offset_height();
    let mount_ms = now() - t;
    assert_eq!(gauge(&root), "100");

    // Select a drawn, linked CVM: its panel offers Unlink, and Link to a VPC chosen in its menu (its own).
    let node = testid(&root, "node-ins-r0-0");
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    node.dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap()).unwrap();
    for _ in 0..10_000 {
        tick().await;
        if root.query_selector("[data-testid=\"unlink-button\"]").unwrap().is_some() {
            break;
        }
    }
    assert_eq!(testid(&root, "selection").get_attribute("data-id").as_deref(), Some("ins-r0-0"));

    let mut times = Vec::with_capacity(EDITS);
    for _ in 0..EDITS / 2 {
        times.push(timed_click(&root, "unlink-button", || gauge(&root) == "99").await);
        assert!(testid(&root, "link-status").text_content().unwrap_or_default().contains("Not linked"));
        // The menu starts with no VPC chosen: choosing one answers first (not timed: the edit is the Link).
        let menu = testid(&root, "link-target");
        menu.dyn_ref::<web_sys::HtmlSelectElement>().expect("a select").set_value("vpc-r0-0");
        menu.dispatch_event(
            &web_sys::Event::new_with_event_init_dict("change", &{
                let init = web_sys::EventInit::new();
                init.set_bubbles(true);
                init
            })
            .unwrap(),
        )
        .unwrap();
        for _ in 0..10_000 {
            tick().await;
            if root.query_selector("[data-testid=\"try-answer\"][data-accepted=\"true\"]").unwrap().is_some() {
                break;
            }
        }
        times.push(timed_click(&root, "link-button", || gauge(&root) == "100").await);
        assert!(testid(&root, "link-status").text_content().unwrap_or_default().contains("vpc-r0-0"));
    }

    // The pages that hand over long text, render included: the Export panel (the plan's 3 MB of JSON) and the
    // migration checklist (2,000 instances), each opened and closed again.
    let count = |root: &Element, css: &str| root.query_selector_all(css).unwrap().length();
    let mut export = Vec::with_capacity(PAGE_RUNS);
    for _ in 0..PAGE_RUNS {
        let shown = |root: &Element| count(root, "[data-testid=\"export-text-too-long\"]");
        export.push(timed_click(&root, "export-open", || shown(&root) == 1).await);
        timed_click(&root, "export-open", || shown(&root) == 0).await;
    }
    let mut migrate = Vec::with_capacity(PAGE_RUNS);
    timed_click(&root, "tab-tools", || count(&root, "[data-testid=\"tools\"]") == 1).await;
    for _ in 0..PAGE_RUNS {
        let shown = |root: &Element| count(root, "[data-testid=\"migrate-instance\"]");
        migrate.push(timed_click(&root, "tools-page-migrate", || shown(&root) == 25).await);
        timed_click(&root, "tools-page-help", || shown(&root) == 0).await;
    }
    root.remove();
    console_log!("app mount + first render (scale 1): {mount_ms:.1} ms");
    console_log!("browser edit latency through the DOM (scale 1, render included): {}", summary(&mut times));
    console_log!(
        "Export panel opened through the DOM (scale 1, render included): {}",
        summary(&mut export).replace("edits", "runs")
    );
    console_log!(
        "Tools Migrate page opened through the DOM (scale 1, render included): {}",
        summary(&mut migrate).replace("edits", "runs")
    );
}

/// How many times each page is opened through the DOM.
const PAGE_RUNS: usize = 5;
