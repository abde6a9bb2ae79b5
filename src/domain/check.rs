//! The whole check: every rule of the catalogue and every expectation of the plan.
//!
//! INTERFACE ONLY (being written).

use super::finding::Finding;
use super::model::Plan;
use super::reach::Answer;
use serde::Serialize;

/// The result of one expectation (`classiclink check`'s `expectations[]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectationResult {
    pub index: usize,
    pub holds: bool,
    pub answer: Answer,
}

/// Everything a check found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub expectations: Vec<ExpectationResult>,
}

/// Runs every rule and every expectation.
pub fn check(plan: &Plan) -> Report {
    let _ = plan;
    todo!("check: being written")
}
