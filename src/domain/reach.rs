//! Reachability: can `from` open a flow to `to` on a protocol and port, and if not, which rule or object blocks it.
//!
//! INTERFACE ONLY (being written): the types below are the contract the check, the CLI and the UI use.

use super::addr::Protocol;
use super::load::PlanError;
use super::model::{Endpoint, Plan};
use serde::Serialize;
use std::fmt;

/// Why a path is blocked (`plan-format.md`, "Reasons a path is blocked").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Reason {
    NotLinked,
    LinkInvalid,
    SecondaryCidr,
    NotTransitive,
    ClassicNonCvm,
    TerminalOneWay,
    VpcIsolated,
    CrossRegion,
    SecurityGroup,
    NetworkAcl,
    NoRoute,
    InstanceState,
}

impl Reason {
    /// Every reason code.
    pub const ALL: [Reason; 12] = [
        Reason::NotLinked,
        Reason::LinkInvalid,
        Reason::SecondaryCidr,
        Reason::NotTransitive,
        Reason::ClassicNonCvm,
        Reason::TerminalOneWay,
        Reason::VpcIsolated,
        Reason::CrossRegion,
        Reason::SecurityGroup,
        Reason::NetworkAcl,
        Reason::NoRoute,
        Reason::InstanceState,
    ];

    /// The code as `plan-format.md` writes it (`NOT_LINKED`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Reason::NotLinked => "NOT_LINKED",
            Reason::LinkInvalid => "LINK_INVALID",
            Reason::SecondaryCidr => "SECONDARY_CIDR",
            Reason::NotTransitive => "NOT_TRANSITIVE",
            Reason::ClassicNonCvm => "CLASSIC_NON_CVM",
            Reason::TerminalOneWay => "TERMINAL_ONE_WAY",
            Reason::VpcIsolated => "VPC_ISOLATED",
            Reason::CrossRegion => "CROSS_REGION",
            Reason::SecurityGroup => "SECURITY_GROUP",
            Reason::NetworkAcl => "NETWORK_ACL",
            Reason::NoRoute => "NO_ROUTE",
            Reason::InstanceState => "INSTANCE_STATE",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

/// The object that blocks a path and, where a rule blocks, which one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockedBy {
    /// The blocking object's ID: a security group, an ACL, a gateway, a VPC, a link's instance ...
    pub object: String,
    /// The index of the blocking rule in its list; `None` for an implicit drop / default deny or no rule at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
}

/// The answer to one reachability question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<BlockedBy>,
    /// The objects the flow passes, from source to destination (as far as it gets when blocked).
    pub hops: Vec<String>,
    /// One sentence naming what blocks (or that it is reachable).
    pub message: String,
}

/// Answers whether `from` reaches `to` on `protocol`/`port`. An endpoint that names no object and is not an IPv4
/// address is an error.
pub fn reach(plan: &Plan, from: &Endpoint, to: &Endpoint, protocol: Protocol, port: u16) -> Result<Answer, PlanError> {
    let _ = (plan, from, to, protocol, port);
    todo!("reach: being written")
}
