//! Classiclink planner: plan Tencent Cloud Classiclink (基础网络互通) links between classic-network CVMs and VPCs.
//!
//! [`domain`] is the pure core (no browser crates): the plan model, the rules catalogue, reachability and
//! operations. `ui` is the Yew app (wasm32 only); it renders what the core returns.

pub mod cli;
pub mod domain;

#[cfg(target_arch = "wasm32")]
pub mod ui;
