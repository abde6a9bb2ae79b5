//! The prepared context every rule reads: the plan plus indexes built once per check.
//!
//! A rule never scans the plan for one object: it asks the context, which answers from an index. Building the
//! context is linear in the size of the plan, and so is every rule, so a whole check stays linear.
//!
//! Speed (a check runs on every edit in the browser): IDs are resolved once per check ([`Refs`], shared with the
//! [`Network`](crate::domain::Network) that answered the expectations), so the link rules do not look instances up
//! again; the "objects per key" lists are [`Groups`], one flat vector per index rather than one small vector per
//! key; and what the rules ask about VPC resources (CLBs, resources in assistant CIDRs, the users of addresses) is
//! gathered in one pass over them: at Tencent's scale they are the most numerous objects, and every extra pass over
//! them costs cache misses.

use crate::domain::check::ExpectationResult;
use crate::domain::index::{fx_map, Lists};
use crate::domain::model::{ClassicInstance, Kind, Link, Plan, Resource, State, TerminalConnection, Vpc};
use crate::domain::refs::Refs;
use rustc_hash::FxHashMap;
use std::cell::OnceCell;
use std::net::Ipv4Addr;

/// A linked classic CVM that still exists: the link and its instance.
pub type LiveLink<'a> = (&'a Link, &'a ClassicInstance);

/// Items grouped by a string key, each group in the order the items came, the groups in the order their keys first
/// came. Stored flat: a map from key to group number and one [`Lists`] of items by group number.
#[derive(Debug)]
struct Groups<'a, T> {
    /// Key -> group number (the order of first appearance).
    group: FxHashMap<&'a str, usize>,
    /// The key of each group.
    keys: Vec<&'a str>,
    items: Lists<T>,
    /// `[i]` -> the group of the `i`th pair given to [`Groups::new`].
    of: Vec<usize>,
}

impl<'a, T> Groups<'a, T> {
    /// Groups `(key, item)` pairs (at most `hint` of them, for sizing): one hash probe each pair, then a counting
    /// sort, with no allocation per group.
    fn new(hint: usize, pairs: impl Iterator<Item = (&'a str, T)>) -> Groups<'a, T> {
        let mut group: FxHashMap<&'a str, usize> = fx_map(hint);
        let mut keys = Vec::new();
        let mut tagged: Vec<(usize, T)> = Vec::with_capacity(hint);
        for (k, item) in pairs {
            let g = *group.entry(k).or_insert_with(|| {
                keys.push(k);
                keys.len() - 1
            });
            tagged.push((g, item));
        }
        let of = tagged.iter().map(|&(g, _)| g).collect();
        let items = Lists::new(keys.len(), tagged);
        Groups { group, keys, items, of }
    }

    /// The whole group of the `i`th pair given to [`Groups::new`].
    fn group_of(&self, i: usize) -> &[T] {
        self.slice(self.of[i])
    }

    /// The items with this key (empty when none).
    fn get(&self, key: &str) -> &[T] {
        self.group.get(key).map_or(&[], |&g| self.slice(g))
    }

    fn slice(&self, g: usize) -> &[T] {
        &self.items[g]
    }

    /// Every group with its key, in the order the keys first came.
    fn iter(&self) -> impl Iterator<Item = (&'a str, &[T])> + '_ {
        self.keys.iter().enumerate().map(|(g, &k)| (k, self.slice(g)))
    }
}

/// The plan and its indexes, as the rules read them.
///
/// Lookups tolerate a plan that was never validated: a reference that does not resolve is simply absent. Where IDs
/// repeat (an import error), the first object with the ID is the one found (see [`Refs`]).
#[derive(Debug)]
pub struct Context<'a> {
    plan: &'a Plan,
    /// Classic instances and VPCs by ID, and the ends of every link.
    refs: Refs<'a>,
    /// Built on the first [`Context::resource`] question (only CLB backends ask): most plans never need it, and it is
    /// the largest index.
    resources: OnceCell<FxHashMap<&'a str, (&'a Vpc, &'a Resource)>>,
    /// `[link]` -> the classic instance it names (from `refs`, as a reference).
    link_classic: Vec<Option<&'a ClassicInstance>>,
    links_by_instance: Groups<'a, &'a Link>,
    live_by_vpc: Groups<'a, LiveLink<'a>>,
    peerings_by_vpc: Groups<'a, &'a str>,
    ccns_by_vpc: Groups<'a, &'a str>,
    terminals_by_target: Groups<'a, &'a TerminalConnection>,
    resource_facts: ResourceFacts<'a>,
    expectations: Vec<ExpectationResult>,
}

impl<'a> Context<'a> {
    /// Indexes a plan, with no expectation results (the expectation rule then finds nothing).
    pub fn new(plan: &'a Plan) -> Context<'a> {
        Context::with_expectations(plan, Vec::new())
    }

    /// Indexes a plan and keeps the results of its expectations.
    pub fn with_expectations(plan: &'a Plan, expectations: Vec<ExpectationResult>) -> Context<'a> {
        Context::with_refs(plan, Refs::new(plan), expectations)
    }

    /// Indexes a plan whose references are already resolved (by the [`crate::domain::Network`] that answered its
    /// expectations: see [`crate::domain::check()`]) and keeps the results of its expectations.
    pub fn with_refs(plan: &'a Plan, refs: Refs<'a>, expectations: Vec<ExpectationResult>) -> Context<'a> {
        let link_classic: Vec<Option<&ClassicInstance>> =
            (0..plan.links.len()).map(|i| refs.link(i).0.map(|c| &plan.classic[c])).collect();
        let links_by_instance = Groups::new(plan.links.len(), plan.links.iter().map(|l| (l.instance.as_str(), l)));
        // A live link counts once per (VPC, instance): only the first of the instance's links to that VPC.
        let live = plan.links.iter().zip(&link_classic).enumerate().filter_map(|(i, (l, c))| {
            let c = (*c)?;
            let first = || {
                let same = links_by_instance.group_of(i).iter().find(|k| k.vpc == l.vpc);
                same.is_some_and(|k| std::ptr::eq(*k, l))
            };
            (c.kind == Kind::Cvm && c.state != State::Returned && first()).then_some((l.vpc.as_str(), (l, c)))
        });
        let live_by_vpc = Groups::new(plan.vpcs.len(), live);
        let peerings_by_vpc = Groups::new(
            plan.peerings.len() * 2,
            plan.peerings.iter().flat_map(|p| p.vpcs.iter().map(|v| (v.as_str(), p.id.as_str()))),
        );
        let ccns_by_vpc = Groups::new(
            plan.vpcs.len(),
            plan.ccns.iter().flat_map(|c| c.vpcs.iter().map(|v| (v.as_str(), c.id.as_str()))),
        );
        let terminals_by_target = Groups::new(
            plan.terminal_connections.len(),
            plan.terminal_connections.iter().map(|t| (t.target.as_str(), t)),
        );
        let resource_facts = ResourceFacts::new(plan, &refs, &live_by_vpc);
        Context {
            plan,
            refs,
            resources: OnceCell::new(),
            link_classic,
            links_by_instance,
            live_by_vpc,
            peerings_by_vpc,
            ccns_by_vpc,
            terminals_by_target,
            resource_facts,
            expectations,
        }
    }

    /// The plan itself.
    pub fn plan(&self) -> &'a Plan {
        self.plan
    }

    /// The classic instance with this ID.
    pub fn classic(&self, id: &str) -> Option<&'a ClassicInstance> {
        self.refs.classic(id).map(|c| &self.plan.classic[c])
    }

    /// The VPC with this ID.
    pub fn vpc(&self, id: &str) -> Option<&'a Vpc> {
        self.refs.vpc(id).map(|v| &self.plan.vpcs[v])
    }

    /// The VPC resource with this ID and the VPC holding it.
    pub fn resource(&self, id: &str) -> Option<(&'a Vpc, &'a Resource)> {
        let resources = self.resources.get_or_init(|| {
            let mut resources = fx_map(self.plan.vpcs.iter().map(|v| v.resources.len()).sum());
            for v in &self.plan.vpcs {
                for r in &v.resources {
                    resources.entry(r.id.as_str()).or_insert((v, r));
                }
            }
            resources
        });
        resources.get(id).copied()
    }

    /// Every link of the plan, in plan order, with the classic instance it names (`None` when it names none):
    /// `classic(&link.instance)` answered once for all rules.
    pub fn links(&self) -> impl Iterator<Item = (&'a Link, Option<&'a ClassicInstance>)> + '_ {
        self.plan.links.iter().zip(self.link_classic.iter().copied())
    }

    /// Every link naming this instance, in plan order (more than one breaks CL002).
    pub fn links_of(&self, instance: &str) -> &[&'a Link] {
        self.links_by_instance.get(instance)
    }

    /// Every instance named by a link, in the order of its first link, with all its links in plan order.
    pub fn links_by_instance(&self) -> impl Iterator<Item = (&'a str, &[&'a Link])> + '_ {
        self.links_by_instance.iter()
    }

    /// The live links to a VPC, in plan order: the instance is a classic CVM that was not returned, each instance
    /// once. These are the CVMs the VPC actually has linked (an invalid link, see CL010, is still counted).
    pub fn live_links(&self, vpc: &str) -> &[LiveLink<'a>] {
        self.live_by_vpc.get(vpc)
    }

    /// The peering connections a VPC takes part in.
    pub fn peerings_of(&self, vpc: &str) -> &[&'a str] {
        self.peerings_by_vpc.get(vpc)
    }

    /// The CCNs a VPC is attached to.
    pub fn ccns_of(&self, vpc: &str) -> &[&'a str] {
        self.ccns_by_vpc.get(vpc)
    }

    /// The terminal connections mapping this classic instance into a VPC.
    pub fn terminals_of(&self, target: &str) -> &[&'a TerminalConnection] {
        self.terminals_by_target.get(target)
    }

    /// The objects holding `ip` inside a VPC: its resources, its terminal connections and its live linked classic
    /// CVMs (their IPs join the VPC route table's Local policy). Answered for the addresses the rules ask about: a
    /// terminal connection's IP in its VPC, and a live linked CVM's IP in its VPC when the VPC's CIDRs hold it;
    /// empty for any other address.
    pub fn ip_users(&self, vpc: &str, ip: Ipv4Addr) -> &[&'a str] {
        self.resource_facts.ips_by_vpc.get(vpc).and_then(|m| m.get(&ip)).map_or(&[], Vec::as_slice)
    }

    /// Every CLB among the VPC resources, with its VPC, in plan order.
    pub fn clb_resources(&self) -> &[(&'a Vpc, &'a Resource)] {
        &self.resource_facts.clbs
    }

    /// The resources of the `v`th VPC whose IP lies in one of its assistant CIDRs, in plan order.
    pub fn in_assistant_cidrs(&self, v: usize) -> &[&'a Resource] {
        &self.resource_facts.in_assistant[v]
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

/// What the rules ask about VPC resources, gathered in one pass over them (a plan has tens of thousands).
#[derive(Debug, Default)]
struct ResourceFacts<'a> {
    /// The users of the addresses the rules ask about (see [`Context::ip_users`]).
    ips_by_vpc: FxHashMap<&'a str, FxHashMap<Ipv4Addr, Vec<&'a str>>>,
    /// Every CLB among the resources, with its VPC, in plan order.
    clbs: Vec<(&'a Vpc, &'a Resource)>,
    /// `[vpc]` -> its resources whose IP lies in one of its assistant CIDRs, in plan order.
    in_assistant: Vec<Vec<&'a Resource>>,
}

impl<'a> ResourceFacts<'a> {
    fn new(plan: &'a Plan, refs: &Refs<'a>, live_by_vpc: &Groups<'a, LiveLink<'a>>) -> ResourceFacts<'a> {
        // The addresses asked about: terminal connection IPs, and live linked CVM IPs inside their VPC.
        let mut ips_by_vpc: FxHashMap<&str, FxHashMap<Ipv4Addr, Vec<&str>>> = FxHashMap::default();
        for t in &plan.terminal_connections {
            ips_by_vpc.entry(t.vpc.as_str()).or_default().entry(t.ip).or_default();
        }
        for (vpc, live) in live_by_vpc.iter() {
            if let Some(v) = refs.vpc(vpc).map(|v| &plan.vpcs[v]) {
                for (_, c) in live.iter().filter(|(_, c)| v.holds(c.ip)) {
                    ips_by_vpc.entry(vpc).or_default().entry(c.ip).or_default();
                }
            }
        }
        let mut clbs = Vec::new();
        let mut in_assistant = Vec::with_capacity(plan.vpcs.len());
        for v in &plan.vpcs {
            // One probe per VPC; then one per resource, only in the VPCs asked about.
            let mut users = ips_by_vpc.get_mut(v.id.as_str());
            let mut assistant = Vec::new();
            for r in &v.resources {
                if let Some(u) = users.as_mut().and_then(|m| m.get_mut(&r.ip)) {
                    u.push(&r.id);
                }
                if r.kind == Kind::Clb {
                    clbs.push((v, r));
                }
                if v.assistant_cidr_of(r.ip).is_some() {
                    assistant.push(r);
                }
            }
            in_assistant.push(assistant);
        }
        for t in &plan.terminal_connections {
            if let Some(u) = ips_by_vpc.get_mut(t.vpc.as_str()).and_then(|m| m.get_mut(&t.ip)) {
                u.push(&t.id);
            }
        }
        for v in &plan.vpcs {
            if let Some(users) = ips_by_vpc.get_mut(v.id.as_str()) {
                for (_, c) in live_by_vpc.get(&v.id) {
                    if let Some(u) = users.get_mut(&c.ip) {
                        u.push(&c.id);
                    }
                }
            }
        }
        ResourceFacts { ips_by_vpc, clbs, in_assistant }
    }
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
