//! The rules catalogue: one rule a file, each with a stable ID.
//!
//! INTERFACE ONLY (being written).

use super::finding::{Finding, Severity};
use super::model::Plan;

/// What a rule is, for people: the catalogue entry.
#[derive(Debug)]
pub struct RuleInfo {
    /// Stable ID, `CL001` ... never reused.
    pub id: &'static str,
    /// A kebab-case name (`cidr-out-of-range`).
    pub name: &'static str,
    /// The usual severity of its findings.
    pub severity: Severity,
    /// One line: what the rule demands.
    pub summary: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A small example of a plan that breaks it.
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// The seed sentence it enforces, quoted.
    pub seed: &'static str,
    /// The seed documents that state it (`000`, `001`, `002`).
    pub seed_docs: &'static [&'static str],
    /// The error code the real API returns, where one applies.
    pub api_error: Option<&'static str>,
}

/// A rule: its catalogue entry and its check.
pub struct Rule {
    pub info: RuleInfo,
    pub check: fn(&Plan, &mut Vec<Finding>),
}

/// Every rule, in ID order.
pub fn catalogue() -> &'static [Rule] {
    &[]
}

/// The rule with this ID.
pub fn rule(id: &str) -> Option<&'static Rule> {
    catalogue().iter().find(|r| r.info.id == id)
}
