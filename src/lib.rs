//! Classiclink planner: plan Tencent Cloud Classiclink (基础网络互通) links between classic-network CVMs and VPCs.
//!
//! [`domain`] is the pure core (no browser crates): the plan model, the rules catalogue, reachability and
//! operations. `ui` is the Yew app (wasm32 only); it renders what the core returns.

pub mod cli;
pub mod domain;
pub mod session;

#[cfg(target_arch = "wasm32")]
pub mod ui;

// The library's unit tests also run in headless Chromium (`cargo test --target wasm32-unknown-unknown`): on wasm32
// each test module imports `crate::browser_test as test`, so its `#[test]` functions run in the browser there. The
// test harness is the only browser crate the core's tests see, and only through this alias.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
#[cfg(all(test, target_arch = "wasm32"))]
pub(crate) use wasm_bindgen_test::wasm_bindgen_test as browser_test;
