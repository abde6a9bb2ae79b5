//! The references of a plan, resolved once: classic instances and VPCs by ID, the two ends of every link, and the
//! links of every classic instance.
//!
//! Links name their instance and VPC by ID, and so do terminal connections, CLB backends and reachability questions.
//! Resolving those IDs is the costliest part of preparing a plan (a string hash per reference), so a check does it
//! once: [`Refs`] is built by the [`Network`](super::Network) that answers the expectations and handed on to the
//! rules' [`Context`](super::rules::Context).
//!
//! Where IDs repeat (an import error, but the UI checks plans while they are edited), the first object with the ID is
//! the one found, everywhere.

use super::addr::in_classiclink_range;
use super::index::{fx_map, Lists};
use super::model::{Kind, Link, Plan, Platforms, State};
use rustc_hash::FxHashMap;
use std::cell::OnceCell;

/// Classic instances and VPCs by ID, each link's ends, and each classic instance's links, as indexes into the plan's
/// lists.
#[derive(Clone, Debug, Default)]
pub struct Refs<'a> {
    classic: FxHashMap<&'a str, u32>,
    vpcs: FxHashMap<&'a str, u32>,
    /// `[link]` -> (its classic instance, its VPC), each `None` when the ID names nothing.
    links: Vec<(Option<u32>, Option<u32>)>,
    /// `[classic]` -> the links naming it, in plan order.
    links_of: Lists<u32>,
    /// The links as Tencent Cloud would have made them (on first need); `None` when no VPC has more links than the
    /// quota, so that none can be refused for it (see [`Refs::attached`]).
    attached: OnceCell<Option<Attached>>,
    /// The terminal connections as Tencent Cloud would have made them (on first need; see [`Refs::terminal`]).
    terminals: OnceCell<Terminals>,
}

/// The plan's links as Tencent Cloud would have made them: attached one by one, in plan order, as
/// AttachClassicLinkVpc decides. A link is refused when its VPC lies outside 10.0-47 (CL001), is in another region
/// (CL004), when the account is VPC-only (CL018), when its CVM already holds a link to another VPC (CL002), or when
/// its VPC already has its quota of CVMs (CL003). Links of returned CVMs are gone, and only CVMs link (CL005).
#[derive(Clone, Debug, Default)]
pub struct Attached {
    /// `[classic]` -> the link it holds.
    held: Vec<Option<u32>>,
    /// The links refused for their VPC's quota alone, ascending.
    over_quota: Vec<u32>,
    /// `[vpc]` -> the CVMs that asked to link to it and were refused for nothing but the quota, if at all: what
    /// CL003 counts against the quota.
    asking: Vec<u32>,
}

impl Attached {
    fn new(plan: &Plan, refs: &Refs<'_>) -> Attached {
        let quota = plan.quotas.links_per_vpc;
        let mut held: Vec<Option<u32>> = vec![None; plan.classic.len()];
        let mut asking = vec![0u32; plan.vpcs.len()];
        let mut over_quota = Vec::new();
        // (CVM, VPC) refused for the quota: the CVM counts there once, however often it asks.
        let mut refused: rustc_hash::FxHashSet<(u32, u32)> = Default::default();
        for (i, &(c, v)) in refs.links.iter().enumerate() {
            let (Some(c), Some(v)) = (c, v) else { continue };
            // Linked already: to this VPC (the link listed again) or to another (a second link).
            if held[c as usize].is_some() || !acceptable(plan, c as usize, v as usize) {
                continue;
            }
            if !refused.contains(&(c, v)) {
                asking[v as usize] += 1;
            }
            if asking[v as usize] > quota {
                over_quota.push(i as u32);
                refused.insert((c, v));
            } else {
                held[c as usize] = Some(i as u32);
            }
        }
        Attached { held, over_quota, asking }
    }

    /// Whether link `l` was refused for its VPC's quota alone.
    pub fn over_quota(&self, l: usize) -> bool {
        self.over_quota.binary_search(&(l as u32)).is_ok()
    }

    /// How many CVMs asked to link to the `v`th VPC, refused for nothing but the quota if at all.
    pub fn asking(&self, v: usize) -> usize {
        self.asking[v] as usize
    }
}

impl<'a> Refs<'a> {
    /// Resolves `plan`'s references (time linear in its size: one hash probe per ID and per link end).
    pub fn new(plan: &'a Plan) -> Refs<'a> {
        let mut classic = fx_map(plan.classic.len());
        for (i, c) in plan.classic.iter().enumerate() {
            classic.entry(c.id.as_str()).or_insert(i as u32);
        }
        let mut vpcs = fx_map(plan.vpcs.len());
        for (i, v) in plan.vpcs.iter().enumerate() {
            vpcs.entry(v.id.as_str()).or_insert(i as u32);
        }
        let links: Vec<(Option<u32>, Option<u32>)> = plan
            .links
            .iter()
            .map(|l| (classic.get(l.instance.as_str()).copied(), vpcs.get(l.vpc.as_str()).copied()))
            .collect();
        let links_of = Lists::new(
            plan.classic.len(),
            links.iter().enumerate().filter_map(|(i, &(c, _))| Some((c? as usize, i as u32))),
        );
        Refs { classic, vpcs, links, links_of, attached: OnceCell::new(), terminals: OnceCell::new() }
    }

    /// The plan's links as Tencent Cloud would have made them (`plan` is the plan these references were resolved
    /// in; computed on the first call), or `None` when no VPC has more links than the quota: then none is refused
    /// for it, and each CVM holds its first link Tencent Cloud accepts on its own, which [`Refs::held`] finds from
    /// that CVM's links alone. Counting links per VPC reads only the resolved references, not the plan: a check of a
    /// plan at Tencent's scale then reads no instance for the quota.
    pub fn attached(&self, plan: &Plan) -> Option<&Attached> {
        self.attached
            .get_or_init(|| {
                let mut per_vpc = vec![0u32; plan.vpcs.len()];
                for &(c, v) in &self.links {
                    if let (Some(_), Some(v)) = (c, v) {
                        per_vpc[v as usize] += 1;
                    }
                }
                let quota = plan.quotas.links_per_vpc;
                per_vpc.iter().any(|&n| n > quota).then(|| Attached::new(plan, self))
            })
            .as_ref()
    }

    /// `[vpc]` -> how many CVMs hold a link to it, or asked for one and were refused for nothing but its quota: what
    /// CL003 counts, and what AttachClassicLinkVpc finds there already.
    pub fn linking_per_vpc(&self, plan: &Plan) -> Vec<usize> {
        match self.attached(plan) {
            Some(a) => (0..plan.vpcs.len()).map(|v| a.asking(v)).collect(),
            None => {
                let mut n = vec![0; plan.vpcs.len()];
                for c in 0..plan.classic.len() {
                    if let Some(v) = self.held(plan, c).and_then(|l| self.link(l).1) {
                        n[v] += 1;
                    }
                }
                n
            }
        }
    }

    /// The link the `c`th classic instance holds, if Tencent Cloud made one (see [`Attached`]).
    pub fn held(&self, plan: &Plan, c: usize) -> Option<usize> {
        match self.attached(plan) {
            Some(a) => a.held[c].map(|l| l as usize),
            None => self
                .links_of(c)
                .iter()
                .map(|&l| l as usize)
                .find(|&l| self.link(l).1.is_some_and(|v| acceptable(plan, c, v))),
        }
    }

    /// The links of the `c`th classic instance that Tencent Cloud refused because the instance already held one
    /// (CL002): those after its held link ([`Refs::held`]), in plan order, that it would accept on their own. A later
    /// link refused for another reason (a VPC outside 10.0-47, another region) is that rule's, and one refused for a
    /// quota came before the held link.
    pub fn second_links<'s>(&'s self, plan: &'s Plan, c: usize) -> impl Iterator<Item = usize> + 's {
        let held = self.held(plan, c);
        self.links_of(c)
            .iter()
            .map(|&l| l as usize)
            .filter(move |&l| held.is_some_and(|h| l > h) && self.link(l).1.is_some_and(|v| acceptable(plan, c, v)))
    }

    /// The link the `c`th classic instance is shown with, and whether it carries traffic: the one Tencent Cloud made
    /// of its links ([`Refs::held`]), working while the instance keeps the IP it was made for and still exists; else
    /// its first link, which carries nothing (refused, or a second link). `None` with no link.
    pub fn shown_link(&self, plan: &Plan, c: usize) -> Option<(usize, bool)> {
        let cvm = &plan.classic[c];
        match self.held(plan, c) {
            Some(l) => {
                let works = plan.links[l].ip_before(cvm.ip).is_none() && cvm.state != State::Returned;
                Some((l, works))
            }
            None => self.links_of(c).first().map(|&l| (l as usize, false)),
        }
    }

    /// Terminal connection `t` as Tencent Cloud would have made it (`plan` is the plan these references were
    /// resolved in): its target and VPC (`None` when either names nothing), why it would not be made at all, and
    /// what already holds its address. Computed for every connection on the first call: the one definition that
    /// reachability and the rules (CL006, CL008, CL017) share.
    pub fn terminal(&self, plan: &Plan, t: usize) -> TerminalFate {
        self.terminals.get_or_init(|| Terminals::new(plan, self)).fates[t]
    }

    /// What became of link `l` (`plan` is the plan these references were resolved in): whether it carries traffic,
    /// and if not, why. The one answer to "does this listed link exist, and work" for every part of the product:
    /// the check, reachability, the exports, the diff, the migration checklist and the app.
    pub fn link_fate(&self, plan: &Plan, l: usize) -> LinkFate {
        let (Some(c), Some(v)) = self.link(l) else { return LinkFate::Dangling };
        let cvm = &plan.classic[c];
        if cvm.state == State::Returned {
            return LinkFate::Returned;
        }
        // In AttachClassicLinkVpc's order (ops::ATTACH_CHECKS): a VPC-only account (in `refusal`) before the kind.
        if cvm.kind != Kind::Cvm && plan.account.platforms != Platforms::OnlyVpc {
            return LinkFate::NotCvm;
        }
        if let Some(r) = refusal(plan, c, v) {
            return LinkFate::Refused(r);
        }
        match self.held(plan, c) {
            Some(h) if h == l => match plan.links[l].ip_before(cvm.ip) {
                Some(_) => LinkFate::IpChanged,
                None => LinkFate::Works,
            },
            // Accepted on its own, after the link it holds: a second link (or the same one listed again).
            Some(h) if h < l => LinkFate::Second(h),
            // Accepted on its own, before the link it holds or with none: only the VPC's quota refused it.
            _ => LinkFate::Refused(Refusal::Quota),
        }
    }

    /// The index of the (first) classic instance with this ID.
    pub fn classic(&self, id: &str) -> Option<usize> {
        self.classic.get(id).map(|&c| c as usize)
    }

    /// The index of the (first) VPC with this ID.
    pub fn vpc(&self, id: &str) -> Option<usize> {
        self.vpcs.get(id).map(|&v| v as usize)
    }

    /// The classic instance and the VPC of link `i` (indexes into the plan's lists).
    pub fn link(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let (c, v) = self.links[i];
        (c.map(|c| c as usize), v.map(|v| v as usize))
    }

    /// The links naming the `c`th classic instance (the first with its ID), in plan order: indexes into the plan's
    /// links.
    pub fn links_of(&self, c: usize) -> &[u32] {
        &self.links_of[c]
    }

    /// The links Tencent Cloud made of `plan`'s list ([`LinkFate::made`]: at most one per CVM, the one it holds),
    /// each with what it was made for ([`MadeFor`]) and, where an IP change broke it, the IP it was made for and its
    /// CVM's IP now ([`Link::ip_before`], [`LinkFate::IpChanged`]), in plan order: what the exports' change sets and
    /// the diff compare.
    pub fn made_links<'p>(&self, plan: &'p Plan) -> Vec<(&'p Link, MadeFor, BrokenBy)> {
        let made = plan.links.iter().enumerate().filter(|&(l, _)| self.link_fate(plan, l).made());
        made.map(|(l, link)| {
            let now = self.link(l).0.map(|c| plan.classic[c].ip);
            let broken = now.and_then(|ip| Some((link.ip_before(ip)?, ip)));
            (link, (link.ip.or(now), link.came_back(now)), broken)
        })
        .collect()
    }
}

/// What a made link was made for, as two plans' links are compared: the IP (its CVM's current one where the link
/// omits it), and whether it is invalid by its flag alone ([`Link::came_back`]). An IP change shows as a change, and
/// so does a link made again after an IP that changed and came back.
pub type MadeFor = (Option<std::net::Ipv4Addr>, bool);

/// How an IP change broke a made link, if it did: the IP it was made for and its CVM's IP now (the same IP for a link
/// invalidated and its IP back).
pub type BrokenBy = Option<(std::net::Ipv4Addr, std::net::Ipv4Addr)>;

/// What became of a listed link ([`Refs::link_fate`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkFate {
    /// Tencent Cloud made it, and the CVM keeps the IP it was made for: it carries traffic.
    Works,
    /// Made, but the CVM's IP changed since (CL010): it stands, and carries nothing until detached and made again.
    IpChanged,
    /// Never made: the instance was returned, and its link went with it (CL012).
    Returned,
    /// Never made: the instance is not a CVM (CL005).
    NotCvm,
    /// Never made: Tencent Cloud refuses it for itself (CL001, CL004, CL018) or for its VPC's quota (CL003).
    Refused(Refusal),
    /// Never made: the CVM already held link `.0` (CL002).
    Second(usize),
    /// Its instance or VPC names nothing in the plan.
    Dangling,
}

impl LinkFate {
    /// Whether Tencent Cloud made the link (it may still carry nothing: [`LinkFate::IpChanged`]).
    pub fn made(&self) -> bool {
        matches!(self, LinkFate::Works | LinkFate::IpChanged)
    }

    /// Why link `l` carries nothing, in words, with the rule and the API's error where Tencent Cloud refuses it;
    /// `None` when it works.
    pub fn why(&self, plan: &Plan, l: usize) -> Option<String> {
        let link = &plan.links[l];
        let (ins, vpc) = (&link.instance, &link.vpc);
        let v = plan.vpcs.iter().find(|v| v.id == *vpc);
        Some(match *self {
            LinkFate::Works => return None,
            LinkFate::IpChanged => {
                let now = plan.classic.iter().find(|c| c.id == *ins).map(|c| c.ip);
                match (link.ip, now) {
                    (Some(was), Some(now)) => format!(
                        "it was made for {was}, and {ins}'s IP {}: an IP change invalidates it (CL010)",
                        super::model::ip_now(was, now)
                    ),
                    _ => format!("an IP change of {ins} invalidates it (CL010)"),
                }
            }
            LinkFate::Returned => format!("{ins} was returned, and its link with it (CL012)"),
            LinkFate::NotCvm => format!("{ins} is not a CVM, and only CVMs link (CL005, UnsupportedOperation)"),
            LinkFate::Refused(Refusal::CidrRange) => format!(
                "{vpc}'s CIDR {} is outside 10.0.0.0/16 - 10.47.0.0/16 (CL001, \
                 UnsupportedOperation.CIDRUnSupportedClassicLink)",
                v.map(|v| v.cidr.to_string()).unwrap_or_default()
            ),
            LinkFate::Refused(Refusal::CrossRegion) => {
                let r = plan.classic.iter().find(|c| c.id == *ins).map(|c| c.region.as_str()).unwrap_or_default();
                format!(
                    "{ins} is in {r} and {vpc} in {}: a link stays within one region (CL004, UnsupportedOperation)",
                    v.map(|v| v.region.as_str()).unwrap_or_default()
                )
            }
            LinkFate::Refused(Refusal::OnlyVpc) => {
                "the account is VPC-only and has no classic network (CL018, UnsupportedOperation)".to_string()
            }
            LinkFate::Refused(Refusal::Quota) => format!(
                "{vpc} already had its quota of {} linked classic CVMs (CL003, LimitExceeded)",
                plan.quotas.links_per_vpc
            ),
            LinkFate::Second(h) if plan.links[h].vpc == *vpc => format!(
                "it is {ins}'s link to {vpc} listed again: the CVM holds that link once (CL002, \
                 UnsupportedOperation.ClassicInstanceIdAlreadyExists)"
            ),
            LinkFate::Second(h) => format!(
                "{ins} already held its link to {}, and a classic CVM links to one VPC at a time (CL002, \
                 UnsupportedOperation.ClassicInstanceIdAlreadyExists)",
                plan.links[h].vpc
            ),
            LinkFate::Dangling => format!("the plan has no classic instance {ins} or no VPC {vpc}"),
        })
    }
}

/// Why Tencent Cloud would have refused to create a link (so it carries nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The VPC's CIDR lies outside 10.0.0.0/16 - 10.47.0.0/16 (CL001).
    CidrRange,
    /// The CVM and the VPC are in different regions (CL004).
    CrossRegion,
    /// The VPC already had its quota of linked CVMs (CL003).
    Quota,
    /// The account is VPC-only: it has no classic network (CL018).
    OnlyVpc,
}

/// Why Tencent Cloud would refuse to link the `c`th classic instance to the `v`th VPC on their own: the plan's
/// account, the VPC's range, their regions (the quota, the instance's kind and state and its other links aside).
pub fn refusal(plan: &Plan, c: usize, v: usize) -> Option<Refusal> {
    // In AttachClassicLinkVpc's order (ops::ATTACH_CHECKS): the account, the region, then the VPC's range.
    let (cvm, vpc) = (&plan.classic[c], &plan.vpcs[v]);
    if plan.account.platforms == Platforms::OnlyVpc {
        Some(Refusal::OnlyVpc)
    } else if cvm.region != vpc.region {
        Some(Refusal::CrossRegion)
    } else if !in_classiclink_range(&vpc.cidr) {
        Some(Refusal::CidrRange)
    } else {
        None
    }
}

/// Whether Tencent Cloud would link the `c`th classic instance to the `v`th VPC on their own (the quota and the
/// instance's other links aside): a CVM that still exists, and no [`refusal`].
fn acceptable(plan: &Plan, c: usize, v: usize) -> bool {
    let cvm = &plan.classic[c];
    cvm.kind == Kind::Cvm && cvm.state != State::Returned && refusal(plan, c, v).is_none()
}

/// Why Tencent Cloud would not make a terminal connection at all, its address aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TerminalRefusal {
    /// Its target is a kind it does not map (CL014).
    Target,
    /// Its address lies outside its VPC's CIDRs (CL016).
    Outside,
    /// Its target and its VPC are in different regions (CL015).
    Region,
}

/// What holds an address in a VPC: a VPC resource (VPC, resource), a classic CVM holding a link to the VPC, or a
/// terminal connection into it (indexes into the plan's lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Resource(u32, u32),
    Classic(u32),
    Terminal(u32),
}

impl Holder {
    /// The holder's ID.
    pub fn id<'p>(&self, plan: &'p Plan) -> &'p str {
        match *self {
            Holder::Resource(v, r) => &plan.vpcs[v as usize].resources[r as usize].id,
            Holder::Classic(c) => &plan.classic[c as usize].id,
            Holder::Terminal(t) => &plan.terminal_connections[t as usize].id,
        }
    }
}

/// A terminal connection as Tencent Cloud would have made it ([`Refs::terminal`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TerminalFate {
    /// Its target (a classic instance) and its VPC, when both resolve.
    pub ends: Option<(usize, usize)>,
    /// Why it would not be made at all (then it holds nothing, and `taken_by` is `None`).
    pub refusal: Option<TerminalRefusal>,
    /// What already holds its address in its VPC (CL017), so that it holds nothing: a live resource of the VPC,
    /// else an earlier connection into the VPC at that address that would be made (the one made first keeps it),
    /// else a classic CVM holding a working link to the VPC ([`Refs::held`], made for the CVM's current IP).
    pub taken_by: Option<Holder>,
}

impl TerminalFate {
    /// Whether it maps its target into its VPC: made, at an address of its own.
    pub fn works(&self) -> bool {
        self.ends.is_some() && self.refusal.is_none() && self.taken_by.is_none()
    }
}

/// Every terminal connection's fate, in plan order.
#[derive(Clone, Debug, Default)]
struct Terminals {
    fates: Vec<TerminalFate>,
}

impl Terminals {
    fn new(plan: &Plan, refs: &Refs<'_>) -> Terminals {
        let mut fates: Vec<TerminalFate> = plan
            .terminal_connections
            .iter()
            .map(|t| {
                let ends = refs.classic(&t.target).zip(refs.vpc(&t.vpc));
                let refusal = ends.and_then(|(c, v)| terminal_refusal(plan, c, v, t.ip));
                TerminalFate { ends, refusal, taken_by: None }
            })
            .collect();
        // The addresses asked about: those of the connections that would be made, by (VPC, address); then what
        // holds each, a resource before a CVM (one pass over each list, and only if a connection asks).
        let mut at: rustc_hash::FxHashMap<(u32, u32), (Option<Holder>, Option<Holder>)> = Default::default();
        for (f, t) in fates.iter().zip(&plan.terminal_connections) {
            if let (Some((_, v)), None) = (f.ends, f.refusal) {
                at.insert((v as u32, u32::from(t.ip)), (None, None));
            }
        }
        if at.is_empty() {
            return Terminals { fates };
        }
        let mut asked_vpcs = vec![false; plan.vpcs.len()];
        for &(v, _) in at.keys() {
            asked_vpcs[v as usize] = true;
        }
        for (v, vpc) in plan.vpcs.iter().enumerate().filter(|&(v, _)| asked_vpcs[v]) {
            for (r, res) in vpc.resources.iter().enumerate().filter(|(_, r)| r.state != State::Returned) {
                if let Some((h @ None, _)) = at.get_mut(&(v as u32, u32::from(res.ip))) {
                    *h = Some(Holder::Resource(v as u32, r as u32));
                }
            }
        }
        for (c, cvm) in plan.classic.iter().enumerate() {
            // A link an IP change invalidated no longer puts the CVM's (new) address in the VPC's routes.
            let working = |&l: &usize| plan.links[l].ip_before(cvm.ip).is_none();
            let Some(v) = refs.held(plan, c).filter(working).and_then(|l| refs.link(l).1) else { continue };
            if let Some((_, h @ None)) = at.get_mut(&(v as u32, u32::from(cvm.ip))) {
                *h = Some(Holder::Classic(c as u32));
            }
        }
        // In plan order: the first connection made at a free address keeps it.
        let mut first: rustc_hash::FxHashMap<(u32, u32), u32> = Default::default();
        for (t, (f, tc)) in fates.iter_mut().zip(&plan.terminal_connections).enumerate() {
            let (Some((_, v)), None) = (f.ends, f.refusal) else { continue };
            let key = (v as u32, u32::from(tc.ip));
            let (resource, cvm) = at[&key];
            f.taken_by = resource.or_else(|| first.get(&key).map(|&u| Holder::Terminal(u))).or(cvm);
            if f.taken_by.is_none() {
                first.insert(key, t as u32);
            }
        }
        Terminals { fates }
    }
}

/// Why Tencent Cloud would not map the `c`th classic instance at `ip` in the `v`th VPC, whatever else holds that
/// address: a target it does not map (CL014), an address outside the VPC's CIDRs (CL016), or another region (CL015).
pub fn terminal_refusal(plan: &Plan, c: usize, v: usize, ip: std::net::Ipv4Addr) -> Option<TerminalRefusal> {
    let (target, vpc) = (&plan.classic[c], &plan.vpcs[v]);
    if !target.kind.terminal_connectable() {
        Some(TerminalRefusal::Target)
    } else if !vpc.holds(ip) {
        Some(TerminalRefusal::Outside)
    } else if target.region != vpc.region {
        Some(TerminalRefusal::Region)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;

    /// Every way a listed link ends, in one plan: the fates the whole product reads.
    #[test]
    fn link_fates() {
        let plan = crate::domain::import(
            r#"{"format": "classiclink-plan", "version": 1, "quotas": {"links_per_vpc": 1},
                "classic": [{"id": "ins-a", "kind": "cvm", "region": "r", "ip": "10.66.0.1"},
                            {"id": "ins-b", "kind": "cvm", "region": "r", "ip": "10.66.0.2"},
                            {"id": "ins-c", "kind": "cvm", "region": "r", "ip": "10.66.0.3"},
                            {"id": "ins-d", "kind": "cvm", "region": "r2", "ip": "10.66.0.4"},
                            {"id": "ins-e", "kind": "cvm", "region": "r", "ip": "10.66.0.5", "state": "returned"},
                            {"id": "cdb-1", "kind": "mysql", "region": "r", "ip": "10.66.0.6"}],
                "vpcs": [{"id": "vpc-a", "region": "r", "cidr": "10.0.0.0/16"},
                         {"id": "vpc-b", "region": "r", "cidr": "10.1.0.0/16"},
                         {"id": "vpc-x", "region": "r", "cidr": "172.16.0.0/16"}],
                "links": [{"instance": "ins-a", "vpc": "vpc-x"},
                          {"instance": "ins-a", "vpc": "vpc-a", "ip": "10.66.0.9"},
                          {"instance": "ins-a", "vpc": "vpc-b"},
                          {"instance": "ins-b", "vpc": "vpc-a"},
                          {"instance": "ins-b", "vpc": "vpc-b"},
                          {"instance": "ins-c", "vpc": "vpc-b"},
                          {"instance": "ins-d", "vpc": "vpc-a"},
                          {"instance": "ins-e", "vpc": "vpc-a"},
                          {"instance": "cdb-1", "vpc": "vpc-a"}]}"#,
        )
        .unwrap();
        let refs = Refs::new(&plan);
        let fates: Vec<LinkFate> = (0..plan.links.len()).map(|l| refs.link_fate(&plan, l)).collect();
        assert_eq!(
            fates,
            [
                LinkFate::Refused(Refusal::CidrRange),
                LinkFate::IpChanged,
                LinkFate::Second(1),
                // vpc-a's quota of 1 is ins-a's: ins-b is refused there, and holds its link to vpc-b instead.
                LinkFate::Refused(Refusal::Quota),
                LinkFate::Works,
                LinkFate::Refused(Refusal::Quota),
                LinkFate::Refused(Refusal::CrossRegion),
                LinkFate::Returned,
                LinkFate::NotCvm,
            ]
        );
        // Made or not, as held: the links each CVM holds are the made ones.
        for (l, f) in fates.iter().enumerate() {
            let c = refs.link(l).0.unwrap();
            assert_eq!(f.made(), refs.held(&plan, c) == Some(l), "link {l}: {f:?}");
        }
        // In a VPC-only account every link is refused for that first, as AttachClassicLinkVpc checks the account
        // before the kind (ops::ATTACH_CHECKS): the MySQL's too.
        let mut only_vpc = plan.clone();
        only_vpc.account.platforms = Platforms::OnlyVpc;
        let r = Refs::new(&only_vpc);
        let l = only_vpc.links.len() - 1;
        assert_eq!(r.link_fate(&only_vpc, l), LinkFate::Refused(Refusal::OnlyVpc));
        assert!(r.link_fate(&only_vpc, l).why(&only_vpc, l).unwrap().contains("CL018"));
        assert_eq!(fates[4].why(&plan, 4), None);
        assert!(fates[0].why(&plan, 0).unwrap().contains("CL001"));
        assert!(fates[2].why(&plan, 2).unwrap().starts_with("ins-a already held its link to vpc-a"));
        assert!(fates[5].why(&plan, 5).unwrap().contains("quota of 1"));
        // The held link listed again is said to be that.
        let mut again = plan.clone();
        again.links.push(again.links[4].clone());
        let refs = Refs::new(&again);
        let l = again.links.len() - 1;
        assert_eq!(refs.link_fate(&again, l), LinkFate::Second(4));
        assert!(refs
            .link_fate(&again, l)
            .why(&again, l)
            .unwrap()
            .starts_with("it is ins-b's link to vpc-b listed again"));
    }

    /// Why a link an IP change invalidated carries nothing says what became of the IP: another one now, or changed
    /// and back to the one the link was made for.
    #[test]
    fn an_invalidated_link_says_what_became_of_the_ip() {
        use crate::domain::ops::{apply, Event};
        let example = crate::domain::import(include_str!("../../www/examples/guangzhou.json")).unwrap();
        let table: &[(&[&str], &str)] = &[
            (&["10.66.12.99"], "is now 10.66.12.99"),
            (&["10.66.12.99", "10.66.12.98"], "is now 10.66.12.98"),
            (&["10.66.12.99", "10.66.12.8"], "changed since, and is 10.66.12.8 again"),
        ];
        for &(ips, now) in table {
            let mut plan = example.clone();
            for ip in ips {
                plan = apply(&plan, "ins-web02", Event::ChangeIp(ip.parse().unwrap())).expect(ip).plan;
            }
            let l = plan.links.iter().position(|l| l.instance == "ins-web02").expect("ins-web02's link");
            let fate = Refs::new(&plan).link_fate(&plan, l);
            assert_eq!(fate, LinkFate::IpChanged, "{ips:?}");
            assert_eq!(
                fate.why(&plan, l).as_deref(),
                Some(
                    format!(
                        "it was made for 10.66.12.8, and ins-web02's IP {now}: an IP change invalidates it (CL010)"
                    )
                    .as_str()
                ),
                "{ips:?}"
            );
        }
    }

    #[test]
    fn first_object_with_an_id_wins_and_unknown_ids_resolve_to_none() {
        // Straight through serde: import would refuse the repeated IDs and the dangling references.
        let plan: Plan = serde_json::from_str(
            r#"{"format": "classiclink-plan", "version": 1,
                "classic": [{"id": "ins-a", "kind": "cvm", "region": "r", "ip": "10.66.0.1"},
                            {"id": "ins-b", "kind": "cvm", "region": "r", "ip": "10.66.0.2"},
                            {"id": "ins-a", "kind": "cvm", "region": "r", "ip": "10.66.0.3"}],
                "vpcs": [{"id": "vpc-x", "region": "r", "cidr": "10.0.0.0/16"},
                         {"id": "vpc-x", "region": "r", "cidr": "10.1.0.0/16"},
                         {"id": "vpc-y", "region": "r", "cidr": "10.2.0.0/16"}],
                "links": [{"instance": "ins-a", "vpc": "vpc-y"}, {"instance": "ins-b", "vpc": "vpc-z"},
                          {"instance": "ins-c", "vpc": "vpc-x"}]}"#,
        )
        .unwrap();
        let refs = Refs::new(&plan);
        assert_eq!(refs.classic("ins-a"), Some(0));
        assert_eq!(refs.classic("ins-b"), Some(1));
        assert_eq!(refs.classic("ins-c"), None);
        assert_eq!(refs.vpc("vpc-x"), Some(0));
        assert_eq!(refs.vpc("vpc-y"), Some(2));
        assert_eq!(refs.link(0), (Some(0), Some(2)));
        assert_eq!(refs.link(1), (Some(1), None));
        assert_eq!(refs.link(2), (None, Some(0)));
        // ins-a's link; ins-b's (to an unknown VPC); the third ins-a names nothing (the first ins-a has the ID).
        assert_eq!(refs.links_of(0), [0]);
        assert_eq!(refs.links_of(1), [1]);
        assert!(refs.links_of(2).is_empty());
    }
}
