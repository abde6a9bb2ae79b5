//! Classiclink planner: plan Tencent Cloud Classiclink (基础网络互通) links between classic-network CVMs and VPCs.
//!
//! [`domain`] is the pure core (no browser crates): the plan model, the rules catalogue, reachability and
//! operations. `ui` is the Yew app (wasm32 only); it renders what the core returns.

pub mod cli;
pub mod domain;
pub mod session;

#[cfg(target_arch = "wasm32")]
pub mod ui;

// The library's unit tests also run in headless Chromium (`cargo test --target wasm32-unknown-unknown`): each test
// module imports `wasm_bindgen_test::wasm_bindgen_test as test` on wasm32, so `#[test]` means the browser there.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
