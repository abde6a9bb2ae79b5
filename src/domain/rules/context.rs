//! The prepared context every rule reads: the plan plus hash-map indexes built once per check.
//!
//! A rule never scans the plan for one object: it asks the context, which answers from an index. Building the
//! context is linear in the size of the plan, and so is every rule, so a whole check stays linear.

use crate::domain::check::ExpectationResult;
use crate::domain::model::{ClassicInstance, Kind, Link, Plan, Resource, State, TerminalConnection, Vpc};
use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;

/// A linked classic CVM that still exists: the link and its instance.
pub type LiveLink<'a> = (&'a Link, &'a ClassicInstance);

/// The plan and its indexes, as the rules read them.
///
/// Lookups tolerate a plan that was never validated: a reference that does not resolve is simply absent.
#[derive(Debug)]
pub struct Context<'a> {
    plan: &'a Plan,
    classic: HashMap<&'a str, &'a ClassicInstance>,
    vpcs: HashMap<&'a str, &'a Vpc>,
    resources: HashMap<&'a str, (&'a Vpc, &'a Resource)>,
    links_by_instance: HashMap<&'a str, Vec<&'a Link>>,
    live_by_vpc: HashMap<&'a str, Vec<LiveLink<'a>>>,
    peerings_by_vpc: HashMap<&'a str, Vec<&'a str>>,
    ccns_by_vpc: HashMap<&'a str, Vec<&'a str>>,
    terminals_by_target: HashMap<&'a str, Vec<&'a TerminalConnection>>,
    /// Only the addresses a rule asks about: terminal connection IPs and linked CVM IPs inside their VPC.
    ips_by_vpc: HashMap<&'a str, HashMap<Ipv4Addr, Vec<&'a str>>>,
    expectations: Vec<ExpectationResult>,
}

impl<'a> Context<'a> {
    /// Indexes a plan, with no expectation results (the expectation rule then finds nothing).
    pub fn new(plan: &'a Plan) -> Context<'a> {
        Context::with_expectations(plan, Vec::new())
    }

    /// Indexes a plan and keeps the results of its expectations (see [`crate::domain::check()`]).
    pub fn with_expectations(plan: &'a Plan, expectations: Vec<ExpectationResult>) -> Context<'a> {
        let classic: HashMap<&str, &ClassicInstance> = plan.classic.iter().map(|c| (c.id.as_str(), c)).collect();
        let vpcs: HashMap<&str, &Vpc> = plan.vpcs.iter().map(|v| (v.id.as_str(), v)).collect();
        let mut resources = HashMap::new();
        for v in &plan.vpcs {
            for r in &v.resources {
                resources.insert(r.id.as_str(), (v, r));
            }
        }
        let mut links_by_instance: HashMap<&str, Vec<&Link>> = HashMap::new();
        let mut live_by_vpc: HashMap<&str, Vec<LiveLink>> = HashMap::new();
        let mut seen: HashSet<(&str, &str)> = HashSet::new();
        for l in &plan.links {
            links_by_instance.entry(l.instance.as_str()).or_default().push(l);
            if let Some(c) = classic.get(l.instance.as_str()) {
                if c.kind == Kind::Cvm && c.state != State::Returned && seen.insert((&l.vpc, &l.instance)) {
                    live_by_vpc.entry(l.vpc.as_str()).or_default().push((l, c));
                }
            }
        }
        let mut peerings_by_vpc: HashMap<&str, Vec<&str>> = HashMap::new();
        for p in &plan.peerings {
            for v in &p.vpcs {
                peerings_by_vpc.entry(v.as_str()).or_default().push(p.id.as_str());
            }
        }
        let mut ccns_by_vpc: HashMap<&str, Vec<&str>> = HashMap::new();
        for c in &plan.ccns {
            for v in &c.vpcs {
                ccns_by_vpc.entry(v.as_str()).or_default().push(c.id.as_str());
            }
        }
        let mut terminals_by_target: HashMap<&str, Vec<&TerminalConnection>> = HashMap::new();
        for t in &plan.terminal_connections {
            terminals_by_target.entry(t.target.as_str()).or_default().push(t);
        }
        let ips_by_vpc = ip_index(plan, &vpcs, &live_by_vpc);
        Context {
            plan,
            classic,
            vpcs,
            resources,
            links_by_instance,
            live_by_vpc,
            peerings_by_vpc,
            ccns_by_vpc,
            terminals_by_target,
            ips_by_vpc,
            expectations,
        }
    }

    /// The plan itself.
    pub fn plan(&self) -> &'a Plan {
        self.plan
    }

    /// The classic instance with this ID.
    pub fn classic(&self, id: &str) -> Option<&'a ClassicInstance> {
        self.classic.get(id).copied()
    }

    /// The VPC with this ID.
    pub fn vpc(&self, id: &str) -> Option<&'a Vpc> {
        self.vpcs.get(id).copied()
    }

    /// The VPC resource with this ID and the VPC holding it.
    pub fn resource(&self, id: &str) -> Option<(&'a Vpc, &'a Resource)> {
        self.resources.get(id).copied()
    }

    /// Every link naming this instance, in plan order (more than one breaks CL002).
    pub fn links_of(&self, instance: &str) -> &[&'a Link] {
        self.links_by_instance.get(instance).map_or(&[], Vec::as_slice)
    }

    /// The live links to a VPC, in plan order: the instance is a classic CVM that was not returned, each instance
    /// once. These are the CVMs the VPC actually has linked (an invalid link, see CL010, is still counted).
    pub fn live_links(&self, vpc: &str) -> &[LiveLink<'a>] {
        self.live_by_vpc.get(vpc).map_or(&[], Vec::as_slice)
    }

    /// The peering connections a VPC takes part in.
    pub fn peerings_of(&self, vpc: &str) -> &[&'a str] {
        self.peerings_by_vpc.get(vpc).map_or(&[], Vec::as_slice)
    }

    /// The CCNs a VPC is attached to.
    pub fn ccns_of(&self, vpc: &str) -> &[&'a str] {
        self.ccns_by_vpc.get(vpc).map_or(&[], Vec::as_slice)
    }

    /// The terminal connections mapping this classic instance into a VPC.
    pub fn terminals_of(&self, target: &str) -> &[&'a TerminalConnection] {
        self.terminals_by_target.get(target).map_or(&[], Vec::as_slice)
    }

    /// The objects holding `ip` inside a VPC: its resources, its terminal connections and its live linked classic
    /// CVMs (their IPs join the VPC route table's Local policy). Answered for the addresses the rules ask about: a
    /// terminal connection's IP in its VPC, and a live linked CVM's IP in its VPC when the VPC's CIDRs hold it;
    /// empty for any other address.
    pub fn ip_users(&self, vpc: &str, ip: Ipv4Addr) -> &[&'a str] {
        self.ips_by_vpc.get(vpc).and_then(|m| m.get(&ip)).map_or(&[], Vec::as_slice)
    }

    /// The results of the plan's expectations (empty unless built with [`Context::with_expectations`]).
    pub fn expectations(&self) -> &[ExpectationResult] {
        &self.expectations
    }

    /// Gives the expectation results back.
    pub fn into_expectations(self) -> Vec<ExpectationResult> {
        self.expectations
    }
}

/// The users of the addresses the rules ask about (see [`Context::ip_users`]), in one pass over the plan.
fn ip_index<'a>(
    plan: &'a Plan,
    vpcs: &HashMap<&'a str, &'a Vpc>,
    live_by_vpc: &HashMap<&'a str, Vec<LiveLink<'a>>>,
) -> HashMap<&'a str, HashMap<Ipv4Addr, Vec<&'a str>>> {
    let mut index: HashMap<&str, HashMap<Ipv4Addr, Vec<&str>>> = HashMap::new();
    for t in &plan.terminal_connections {
        index.entry(t.vpc.as_str()).or_default().entry(t.ip).or_default();
    }
    for (vpc, live) in live_by_vpc {
        if let Some(v) = vpcs.get(vpc) {
            for (_, c) in live.iter().filter(|(_, c)| v.holds(c.ip)) {
                index.entry(*vpc).or_default().entry(c.ip).or_default();
            }
        }
    }
    if index.is_empty() {
        return index;
    }
    let mut add = |vpc: &'a str, ip: Ipv4Addr, id: &'a str| {
        if let Some(users) = index.get_mut(vpc).and_then(|m| m.get_mut(&ip)) {
            users.push(id);
        }
    };
    for v in &plan.vpcs {
        for r in &v.resources {
            add(&v.id, r.ip, &r.id);
        }
    }
    for t in &plan.terminal_connections {
        add(&t.vpc, t.ip, &t.id);
    }
    for v in &plan.vpcs {
        for (_, c) in live_by_vpc.get(v.id.as_str()).map_or(&[][..], Vec::as_slice) {
            add(&v.id, c.ip, &c.id);
        }
    }
    index
}

/// A list of IDs for a message: up to six named; past six, five named and "and N more".
pub fn id_list<S: AsRef<str>>(ids: &[S]) -> String {
    const SHOWN: usize = 5;
    if ids.len() <= SHOWN + 1 {
        return ids.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", ");
    }
    let shown = ids.iter().take(SHOWN).map(AsRef::as_ref).collect::<Vec<_>>().join(", ");
    format!("{shown} and {} more", ids.len() - SHOWN)
}

/// Appends `n` and the singular or plural noun: `1 CVM`, `2 CVMs`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
