//! What a check reports: a finding names its rule, severity, the API error the real service would return, the
//! objects involved and a message naming them.

use serde::Serialize;
use std::fmt;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The plan will not work as drawn (or the real API refuses it).
    Error,
    /// It works, but something the user probably relies on will not.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding of a check (`classiclink check`'s `findings[]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The stable rule ID (`CL003`).
    pub rule: &'static str,
    pub severity: Severity,
    /// The error code the real Tencent Cloud API returns for this state or call, if any.
    pub api_error: Option<&'static str>,
    /// The IDs of the objects involved, most relevant first.
    pub objects: Vec<String>,
    /// A short message naming the objects.
    pub message: String,
}
