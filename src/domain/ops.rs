//! Operations: pure functions from plan to plan or refusal, as the real service decides them.
//!
//! INTERFACE ONLY (being written).

use super::model::Plan;
use serde::Serialize;
use std::net::Ipv4Addr;

/// Why an operation was refused, as the real API would say it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The API error code (`UnsupportedOperation.CIDRUnSupportedClassicLink`).
    pub api_error: &'static str,
    /// The catalogue rule behind it, if any.
    pub rule: Option<&'static str>,
    pub message: String,
    /// The objects involved.
    pub objects: Vec<String>,
}

/// `AttachClassicLinkVpc`: links every instance or none.
pub fn attach(plan: &Plan, vpc: &str, instances: &[String]) -> Result<Plan, Refusal> {
    let _ = (plan, vpc, instances);
    todo!("attach: being written")
}

/// `DetachClassicLinkVpc`: unlinks every instance or none.
pub fn detach(plan: &Plan, vpc: &str, instances: &[String]) -> Result<Plan, Refusal> {
    let _ = (plan, vpc, instances);
    todo!("detach: being written")
}

/// A lifecycle event on a classic CVM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Its private IP changes: the link becomes invalid.
    ChangeIp(Ipv4Addr),
    /// Isolation for arrears: the link stays.
    IsolateForArrears,
    /// Security isolation: the link stays.
    SecurityIsolate,
    /// Cold migration: the link stays.
    ColdMigrate,
    /// Failover: the link stays.
    Failover,
    /// Configuration change: the link stays.
    Reconfigure,
    /// Operating system switch: the link stays.
    SwitchOs,
    /// Stop: the link stays.
    Stop,
    /// Start (back to running).
    Start,
    /// Return (terminate): the link is removed automatically.
    Return,
}

/// What an event did.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub plan: Plan,
    /// Sentences saying what happened, the link first.
    pub effects: Vec<String>,
}

/// Applies a lifecycle event to a classic CVM.
pub fn apply(plan: &Plan, instance: &str, event: Event) -> Result<Outcome, Refusal> {
    let _ = (plan, instance, event);
    todo!("apply: being written")
}
