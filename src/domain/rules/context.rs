//! The prepared context every rule reads: the plan plus indexes built once per check.
//!
//! A rule never scans the plan for one object: it asks the context, which answers from an index. Building the
//! context is linear in the size of the plan, and so is every rule, so a whole check stays linear.
//!
//! Speed (a check runs on every edit in the browser): IDs are resolved once per check ([`Refs`], shared with the
//! [`Network`](crate::domain::Network) that answered the expectations), so the link rules do not look instances up
//! again. The links of each instance and the links listed to and held by each VPC are lists by plan index ([`Lists`]), built
//! from those resolved references without hashing an ID again, and compared by index rather than by ID. What the
//! rules ask about VPC resources (CLBs, resources in assistant CIDRs, the users of addresses) is gathered in one pass
//! over them. At Tencent's scale the plan no longer fits the processor's cache, so every extra pass over the
//! instances or resources, every string read through a pointer and every byte of index written costs cache misses:
//! the indexes are kept small (`u32` indexes, no second table of instance IDs).

use crate::domain::check::ExpectationResult;
use crate::domain::index::{fx_map, Lists};
use crate::domain::model::{ClassicInstance, Kind, Link, Plan, Resource, State, TerminalConnection, Vpc};
use crate::domain::refs::{Refs, TerminalFate};
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
}

impl<'a, T: Copy> Groups<'a, T> {
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
        let items = Lists::new(keys.len(), tagged.iter().copied());
        Groups { group, keys, items }
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

/// The links naming one instance, in plan order (see [`Context::links_of`]).
#[derive(Clone, Debug)]
pub struct LinksOf<'c, 'a> {
    links: &'a [Link],
    /// Indexes into `links` (an instance of the plan).
    resolved: std::slice::Iter<'c, u32>,
    /// The links themselves (an ID naming no instance).
    dangling: std::slice::Iter<'c, &'a Link>,
}

impl<'a> Iterator for LinksOf<'_, 'a> {
    type Item = &'a Link;

    fn next(&mut self) -> Option<&'a Link> {
        match self.resolved.next() {
            Some(&k) => Some(&self.links[k as usize]),
            None => self.dangling.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.resolved.len() + self.dangling.len();
        (n, Some(n))
    }
}

impl ExactSizeIterator for LinksOf<'_, '_> {}

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
    /// The links naming no classic instance, grouped by the ID they name (empty in a valid plan: the links of the
    /// instances that exist are in `refs`).
    dangling_links: Groups<'a, &'a Link>,
    /// `[vpc]` -> the links listed to it, each CVM once (the first VPC with an ID has them all).
    listed_by_vpc: Lists<LiveLink<'a>>,
    /// `[vpc]` -> the CVMs holding a link to it ([`Refs::held`]), with that link, in plan order of the links.
    held_by_vpc: Lists<LiveLink<'a>>,
    /// `[classic]` -> the link it holds ([`Refs::held`], asked once per instance for all the rules).
    held_of: Vec<Option<u32>>,
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
        let links = &plan.links;
        let dangling =
            (0..links.len()).filter(|&i| refs.link(i).0.is_none()).map(|i| (links[i].instance.as_str(), &links[i]));
        let dangling_links = Groups::new(0, dangling);
        // A live link counts once per (VPC, instance): only the first of the instance's links to that VPC.
        let live = (0..links.len()).filter_map(|i| {
            let (Some(ci), Some(v)) = refs.link(i) else { return None };
            let c = &plan.classic[ci];
            // Whether this is the instance's first link to this VPC (comparing resolved VPCs is comparing IDs here,
            // as this link's VPC resolves).
            let first = || refs.links_of(ci).iter().find(|&&k| refs.link(k as usize).1 == Some(v)) == Some(&(i as u32));
            (c.kind == Kind::Cvm && c.state != State::Returned && first()).then_some((v, (&links[i], c)))
        });
        let listed_by_vpc = Lists::new(plan.vpcs.len(), live);
        let held_of: Vec<Option<u32>> = (0..plan.classic.len())
            .map(|c| if refs.links_of(c).is_empty() { None } else { refs.held(plan, c).map(|l| l as u32) })
            .collect();
        let held = (0..links.len()).filter_map(|i| {
            let (Some(c), Some(v)) = refs.link(i) else { return None };
            (held_of[c] == Some(i as u32)).then_some((v, (&links[i], &plan.classic[c])))
        });
        let held_by_vpc = Lists::new(plan.vpcs.len(), held);
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
        let resource_facts = ResourceFacts::new(plan, &refs, &held_by_vpc);
        Context {
            plan,
            refs,
            resources: OnceCell::new(),
            dangling_links,
            listed_by_vpc,
            held_by_vpc,
            held_of,
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

    /// How many CVMs asked to link to the `v`th VPC of the plan and were refused for nothing but its quota, if at all:
    /// attached one by one in plan order as Tencent Cloud would (see [`crate::domain::refs::Attached`]). `None` when
    /// no VPC has more links than the quota at all, so none is past it.
    pub fn linking(&self, v: usize) -> Option<usize> {
        self.refs.attached(self.plan).map(|a| a.asking(v))
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
        let plan = self.plan;
        plan.links.iter().enumerate().map(move |(i, l)| (l, self.refs.link(i).0.map(|c| &plan.classic[c])))
    }

    /// Every link naming this instance, in plan order (more than one breaks CL002).
    pub fn links_of(&self, instance: &str) -> LinksOf<'_, 'a> {
        match self.refs.classic(instance) {
            Some(c) => self.links_of_classic(c),
            None => LinksOf {
                links: &self.plan.links,
                resolved: [].iter(),
                dangling: self.dangling_links.get(instance).iter(),
            },
        }
    }

    /// Whether `link` (one of the plan's) repeats an earlier link of the same instance to the same VPC: a rule about
    /// the pair says it once (CL002 says the repeat).
    pub fn repeats(&self, link: &'a Link) -> bool {
        self.links_of(&link.instance).take_while(|l| !std::ptr::eq(*l, link)).any(|l| l.vpc == link.vpc)
    }

    fn links_of_classic(&self, c: usize) -> LinksOf<'_, 'a> {
        LinksOf { links: &self.plan.links, resolved: self.refs.links_of(c).iter(), dangling: [].iter() }
    }

    /// The link the `c`th classic instance holds: the one Tencent Cloud made of its links ([`Refs::held`]), if any.
    pub fn held_link(&self, c: usize) -> Option<&'a Link> {
        self.held_of[c].map(|l| &self.plan.links[l as usize])
    }

    /// The link the classic instance `instance` holds (the one Tencent Cloud made of its links) and its later links
    /// Tencent Cloud refused because it already held one ([`Refs::second_links`]); `None` when it holds none.
    pub fn held_and_second(&self, instance: &str) -> Option<(&'a Link, Vec<&'a Link>)> {
        let c = self.refs.classic(instance)?;
        let held = self.held_of[c]? as usize;
        let links = &self.plan.links;
        Some((&links[held], self.refs.second_links(self.plan, c).map(|l| &links[l]).collect()))
    }

    /// Every instance named by a link, with all its links in plan order: the classic instances in the order of their
    /// first link (as the link names it), then the IDs naming no instance in the order of their first link.
    pub fn links_by_instance(&self) -> impl Iterator<Item = (&'a str, LinksOf<'_, 'a>)> + '_ {
        let plan = self.plan;
        // Walks the links, not the instances: at scale there are as many, and the links are read anyway.
        let resolved = (0..plan.links.len()).filter_map(move |i| {
            let c = self.refs.link(i).0?;
            (self.refs.links_of(c)[0] as usize == i)
                .then(|| (plan.links[i].instance.as_str(), self.links_of_classic(c)))
        });
        let dangling = self
            .dangling_links
            .iter()
            .map(move |(id, links)| (id, LinksOf { links: &plan.links, resolved: [].iter(), dangling: links.iter() }));
        resolved.chain(dangling)
    }

    /// The links listed to a VPC, in plan order: the instance is a classic CVM that was not returned, each instance
    /// once, whether or not Tencent Cloud would have made the link (CL001 reads these: a VPC outside 10.0-47 cannot
    /// have them). The CVMs the VPC actually has linked are [`Context::held_links`].
    pub fn listed_links(&self, vpc: &str) -> &[LiveLink<'a>] {
        self.refs.vpc(vpc).map_or(&[], |v| &self.listed_by_vpc[v])
    }

    /// The classic CVMs holding a link to a VPC, with that link, in plan order: the links Tencent Cloud would have
    /// made ([`Refs::held`]; a link an IP change invalidated since, CL010, still holds). What the rules about a
    /// VPC's linked CVMs read (CL006, CL007, CL008, CL013).
    pub fn held_links(&self, vpc: &str) -> &[LiveLink<'a>] {
        self.refs.vpc(vpc).map_or(&[], |v| &self.held_by_vpc[v])
    }

    /// Terminal connection `t` (its index in the plan) as Tencent Cloud would have made it: why it would not be made,
    /// and what holds its address before it ([`Refs::terminal`], which reachability reads too).
    pub fn terminal(&self, t: usize) -> TerminalFate {
        self.refs.terminal(self.plan, t)
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

    /// The objects using `ip` inside a VPC: its live resources, its terminal connections Tencent Cloud would make
    /// and the classic CVMs holding a working link to it (their IPs join the VPC route table's Local policy). Answered for
    /// the addresses CL008 asks about, a linked CVM's IP in its VPC when the VPC's CIDRs hold it; empty for any
    /// other address. (Which terminal connection keeps a contested address is [`Context::terminal`]'s.)
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
    /// Every CLB among the resources, with its VPC, in plan order; a returned one is gone and binds nothing.
    clbs: Vec<(&'a Vpc, &'a Resource)>,
    /// `[vpc]` -> its resources whose IP lies in one of its assistant CIDRs, in plan order (a returned one holds no
    /// address).
    in_assistant: Vec<Vec<&'a Resource>>,
}

impl<'a> ResourceFacts<'a> {
    fn new(plan: &'a Plan, refs: &Refs<'a>, held_by_vpc: &Lists<LiveLink<'a>>) -> ResourceFacts<'a> {
        // A link an IP change invalidated no longer puts the CVM's address in the VPC's routes (as `Refs::terminal`).
        let working = |l: &Link, c: &ClassicInstance| l.ip_before(c.ip).is_none();
        // The addresses asked about: the IPs of the CVMs holding a link, inside their VPC.
        let mut ips_by_vpc: FxHashMap<&str, FxHashMap<Ipv4Addr, Vec<&str>>> = FxHashMap::default();
        for (i, v) in plan.vpcs.iter().enumerate() {
            for (_, c) in held_by_vpc[i].iter().filter(|&&(l, c)| working(l, c) && v.holds(c.ip)) {
                ips_by_vpc.entry(v.id.as_str()).or_default().entry(c.ip).or_default();
            }
        }
        let mut clbs = Vec::new();
        let mut in_assistant = Vec::with_capacity(plan.vpcs.len());
        for v in &plan.vpcs {
            // One probe per VPC; then one per resource, only in the VPCs asked about.
            let mut users = ips_by_vpc.get_mut(v.id.as_str());
            let mut assistant = Vec::new();
            for r in &v.resources {
                // A returned resource is gone: it holds no address, and is no CLB.
                if r.state == State::Returned {
                    continue;
                }
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
        for (i, t) in plan.terminal_connections.iter().enumerate() {
            let made = refs.terminal(plan, i);
            if made.ends.is_none() || made.refusal.is_some() {
                continue;
            }
            if let Some(u) = ips_by_vpc.get_mut(t.vpc.as_str()).and_then(|m| m.get_mut(&t.ip)) {
                u.push(&t.id);
            }
        }
        // By plan index, as the first loop: where VPC IDs repeat, the first VPC with the ID has the links held and
        // the others none, so each CVM is listed once.
        for (i, v) in plan.vpcs.iter().enumerate() {
            if let Some(users) = ips_by_vpc.get_mut(v.id.as_str()) {
                for (_, c) in held_by_vpc[i].iter().filter(|&&(l, c)| working(l, c)) {
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

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;

    /// A plan straight through serde (import would refuse it): a repeated classic ID, a repeated VPC ID, links to an
    /// instance that does not exist, and an instance linked twice to one VPC and once to another.
    fn tangled() -> Plan {
        serde_json::from_str(
            r#"{"format": "classiclink-plan", "version": 1,
                "classic": [{"id": "ins-a", "kind": "cvm", "region": "r", "ip": "10.66.0.1"},
                            {"id": "ins-b", "kind": "cvm", "region": "r", "ip": "10.66.0.2"},
                            {"id": "ins-a", "kind": "cvm", "region": "r", "ip": "10.66.0.3"},
                            {"id": "ins-r", "kind": "cvm", "region": "r", "ip": "10.66.0.4", "state": "returned"}],
                "vpcs": [{"id": "vpc-x", "region": "r", "cidr": "10.0.0.0/16"},
                         {"id": "vpc-y", "region": "r", "cidr": "10.1.0.0/16"},
                         {"id": "vpc-x", "region": "r", "cidr": "10.2.0.0/16"}],
                "links": [{"instance": "ins-b", "vpc": "vpc-x"},
                          {"instance": "ins-gone", "vpc": "vpc-x"},
                          {"instance": "ins-a", "vpc": "vpc-y"},
                          {"instance": "ins-b", "vpc": "vpc-y"},
                          {"instance": "ins-b", "vpc": "vpc-x", "ip": "10.66.0.9"},
                          {"instance": "ins-gone", "vpc": "vpc-z"},
                          {"instance": "ins-r", "vpc": "vpc-x"},
                          {"instance": "ins-c", "vpc": "vpc-y"}]}"#,
        )
        .unwrap()
    }

    /// The plan indexes of links, for comparing.
    fn ixs<'a>(plan: &'a Plan, links: impl Iterator<Item = &'a Link>) -> Vec<usize> {
        links.map(|l| plan.links.iter().position(|k| std::ptr::eq(k, l)).unwrap()).collect()
    }

    #[test]
    fn links_of_an_instance_resolved_or_not_in_plan_order() {
        let p = tangled();
        let ctx = Context::new(&p);
        assert_eq!(ixs(&p, ctx.links_of("ins-b")), [0, 3, 4]);
        assert_eq!(ixs(&p, ctx.links_of("ins-a")), [2]);
        assert_eq!(ixs(&p, ctx.links_of("ins-gone")), [1, 5]);
        assert_eq!(ctx.links_of("ins-b").len(), 3);
        assert_eq!(ctx.links_of("ins-none").len(), 0);
        let by: Vec<(&str, Vec<usize>)> = ctx.links_by_instance().map(|(id, l)| (id, ixs(&p, l))).collect();
        assert_eq!(
            by,
            [
                ("ins-b", vec![0, 3, 4]),
                ("ins-a", vec![2]),
                ("ins-r", vec![6]),
                ("ins-gone", vec![1, 5]),
                ("ins-c", vec![7])
            ]
        );
        let dangling = ctx.links().filter(|(_, c)| c.is_none()).map(|(l, _)| l);
        assert_eq!(ixs(&p, dangling), [1, 5, 7]);
    }

    #[test]
    fn an_address_user_is_listed_once_where_vpc_ids_repeat() {
        // Straight through serde: import would refuse the repeated VPC ID.
        let p: Plan = serde_json::from_str(
            r#"{"format": "classiclink-plan", "version": 1,
                "classic": [{"id": "ins-a", "kind": "cvm", "region": "r", "ip": "10.0.0.5"},
                            {"id": "ins-t", "kind": "mysql", "region": "r", "ip": "10.66.0.9"}],
                "vpcs": [{"id": "vpc-x", "region": "r", "cidr": "10.0.0.0/16"},
                         {"id": "vpc-x", "region": "r", "cidr": "10.0.0.0/16"}],
                "links": [{"instance": "ins-a", "vpc": "vpc-x"}],
                "terminal_connections": [{"id": "tc-1", "target": "ins-t", "vpc": "vpc-x", "ip": "10.0.0.5"}]}"#,
        )
        .unwrap();
        let ctx = Context::new(&p);
        assert_eq!(ctx.ip_users("vpc-x", "10.0.0.5".parse().unwrap()), ["tc-1", "ins-a"]);
    }

    #[test]
    fn listed_links_count_each_cvm_once_per_vpc_and_skip_returned_and_dangling() {
        let p = tangled();
        let ctx = Context::new(&p);
        let live = |vpc: &str| ixs(&p, ctx.listed_links(vpc).iter().map(|&(l, _)| l));
        // ins-b's second link to vpc-x (index 4) repeats the first; ins-r was returned; ins-gone names nothing.
        assert_eq!(live("vpc-x"), [0]);
        assert_eq!(live("vpc-y"), [2, 3]);
        assert!(live("vpc-z").is_empty());
        // The first ins-a is the one linked.
        assert_eq!(ctx.listed_links("vpc-y")[0].1.ip.to_string(), "10.66.0.1");
    }

    /// A link Tencent Cloud refuses (its VPC lies outside 10.0-47) was never made: the rules about a VPC's linked
    /// CVMs (its assistant CIDR, CL007; its gateways, CL013) do not count it, as reachability does not. The same
    /// plan with the VPC in range has both findings.
    #[test]
    fn a_refused_link_is_held_by_no_vpc() {
        let plan = |cidr: &str, assistant: &str| {
            crate::domain::import(&format!(
                r#"{{"format": "classiclink-plan", "version": 1,
                    "classic": [{{"id": "ins-a", "kind": "cvm", "region": "r", "ip": "10.66.0.9"}}],
                    "vpcs": [{{"id": "vpc-x", "region": "r", "cidr": "{cidr}", "assistant_cidrs": ["{assistant}.0.0/16"],
                               "subnets": [{{"id": "sn", "cidr": "{assistant}.1.0/24"}}],
                               "resources": [{{"id": "res-1", "kind": "cvm", "subnet": "sn", "ip": "{assistant}.1.5"}}],
                               "gateways": [{{"id": "nat-1", "kind": "nat"}}]}}],
                    "links": [{{"instance": "ins-a", "vpc": "vpc-x"}}]}}"#
            ))
            .unwrap()
        };
        let rules = |p: &Plan| crate::domain::check(p).findings.iter().map(|f| f.rule).collect::<Vec<_>>();
        let refused = plan("172.16.0.0/16", "172.17");
        assert_eq!(rules(&refused), ["CL001"]);
        let ctx = Context::new(&refused);
        assert_eq!((ctx.listed_links("vpc-x").len(), ctx.held_links("vpc-x").len()), (1, 0));
        assert_eq!(rules(&plan("10.0.0.0/16", "10.100")), ["CL007", "CL013"]);
    }

    /// A link of an instance that is not a CVM is no live link: the check reports it as such (CL005) and nothing
    /// else, not the rules about a VPC's linked CVMs (its CIDR range, CL001; its peerings, CL013; the classic
    /// instances it cannot reach, CL006).
    #[test]
    fn a_link_of_a_non_cvm_is_no_live_link() {
        let p = crate::domain::import(
            r#"{"format": "classiclink-plan", "version": 1,
                "classic": [{"id": "cdb-1", "kind": "mysql", "region": "r", "ip": "10.66.0.9"}],
                "vpcs": [{"id": "vpc-x", "region": "r", "cidr": "172.16.0.0/16"},
                         {"id": "vpc-y", "region": "r", "cidr": "10.1.0.0/16"}],
                "peerings": [{"id": "pcx-1", "vpcs": ["vpc-x", "vpc-y"]}],
                "links": [{"instance": "cdb-1", "vpc": "vpc-x"}]}"#,
        )
        .unwrap();
        assert!(Context::new(&p).listed_links("vpc-x").is_empty());
        let rules: Vec<&str> = crate::domain::check(&p).findings.iter().map(|f| f.rule).collect();
        assert_eq!(rules, ["CL005"]);
    }
}
