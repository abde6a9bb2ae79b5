//! The domain core: the plan model, reading and writing plans, the rules catalogue, reachability and operations.
//!
//! Nothing here imports a browser crate (`yew`, `web-sys`, `gloo`, `wasm-bindgen`): the same code runs natively
//! (tests, the `classiclink` command) and in the browser.

pub mod addr;
pub mod check;
pub mod compare;
pub mod diff;
pub mod export;
pub mod filter;
pub mod finding;
pub(crate) mod index;
pub mod load;
mod located;
pub mod migrate;
pub mod model;
pub mod net;
pub mod ops;
pub mod reach;
pub mod refs;
pub mod rules;
pub mod sort;
pub mod synth;
pub mod tencent;

pub use addr::{Cidr, Ports, Protocol};
pub use check::{check, ExpectationResult, Report};
pub use finding::{Finding, Severity};
pub use load::{export, import, text_from_bytes, LoadError, PlanError};
pub use model::*;
pub use net::Network;
pub use reach::{reach, Answer, BlockedBy, Direction, Reason};
pub use refs::Refs;
