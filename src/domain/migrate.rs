//! The migration checklist (`classiclink migrate PLAN.json --to markdown`): for each classic instance, the ways into a
//! VPC and their constraints (seed 002 and `tencent-cloud.md` §2), then what to do once it has moved.
//!
//! A CVM has two ways: rebuild (custom image, optional data-disk snapshots, VPC and subnet, a new CVM with its
//! security groups) or the in-place switch (`ModifyInstancesVpcAttribute`: it restarts, the subnet must be in its
//! zone, the IP changes unless kept, and it is one way). A CLB cannot be switched: it is rebuilt. A database switches
//! network and keeps its classic IP for a while. The target VPC is the one the instance is linked to (by the link it
//! holds: the one Tencent Cloud made of the links the plan lists, as reachability has it), else the one its first
//! listed link names, else the one it is terminal-connected to.
//!
//! What the Classiclink rules mean for a CVM's move is said where it applies: a link that is broken by an IP change
//! (CL010) or that Tencent Cloud refuses (each listed link it never made is said, with why) is never said to be kept;
//! a link that exists is removed by returning the old
//! CVM, or detached just before the switch; subnets in an assistant CIDR come last, out of reach of the CVMs still
//! linked (CL007); the VPC CLBs binding the CVM (CL009) get the new one; the security group and ACL rules holding its
//! classic IP are named for review. Everything looked up is indexed once per checklist (see [`Lookup`]).

use super::addr::Cidr;
use super::compare::MIGRATION_STEPS;
use super::model::{ClassicInstance, FilterRule, Kind, Link, Name, Plan, State, Subnet, Vpc};
use super::refs::{self, Refs, Refusal};
use super::rules::Context;
use super::sort;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::net::Ipv4Addr;

/// How an instance gets into a VPC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Way {
    /// Seed 002: custom image, snapshots, VPC and subnet, a new CVM.
    Rebuild,
    /// `ModifyInstancesVpcAttribute`.
    SwitchInPlace,
    /// A CLB is created anew in the VPC.
    RebuildClb,
    /// A database switches its network (dual IP for a while).
    SwitchDatabase,
}

impl Way {
    /// A heading for people.
    pub fn title(&self) -> &'static str {
        match self {
            Way::Rebuild => "Rebuild in the VPC from a custom image",
            Way::SwitchInPlace => "Switch the CVM into the VPC in place",
            Way::RebuildClb => "Rebuild the CLB in the VPC",
            Way::SwitchDatabase => "Switch the database's network to the VPC",
        }
    }
}

/// One step to tick off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub text: String,
    /// The API call that does it, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<&'static str>,
    pub optional: bool,
    /// The rules of `tencent-cloud.md` §1 behind it.
    pub reference_rules: Vec<u8>,
}

impl Step {
    fn new(text: impl Into<String>, api: Option<&'static str>, refs: &[u8]) -> Step {
        Step { text: text.into(), api, optional: false, reference_rules: refs.to_vec() }
    }
}

/// One way in, with its steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WayIn {
    pub way: Way,
    pub steps: Vec<Step>,
}

/// The checklist of one classic instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstanceMigration {
    pub instance: String,
    pub kind: Kind,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub ip: Ipv4Addr,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub zone: String,
    /// The VPC it goes into (that of the link it holds, else of its first listed link, else of its terminal
    /// connection); `None` when the plan names none.
    pub target_vpc: Option<String>,
    /// The ways in, preferred first.
    pub options: Vec<WayIn>,
    /// What limits the ways (sentences).
    pub constraints: Vec<String>,
    /// What to remove once it has moved.
    pub afterwards: Vec<Step>,
}

impl InstanceMigration {
    /// The checklist of `c` (its ID, kind, name, IP and zone) with these ways in, constraints and afterwards.
    fn new(
        c: &ClassicInstance,
        target_vpc: Option<String>,
        options: Vec<WayIn>,
        constraints: Vec<String>,
        afterwards: Vec<Step>,
    ) -> InstanceMigration {
        InstanceMigration {
            instance: c.id.to_string(),
            kind: c.kind,
            name: c.name.clone(),
            ip: c.ip,
            zone: c.zone.to_string(),
            target_vpc,
            options,
            constraints,
            afterwards,
        }
    }
}

/// The whole checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Checklist {
    pub plan: String,
    /// One per classic instance still there, sorted by ID.
    pub instances: Vec<InstanceMigration>,
    /// Instances left out, with why.
    pub skipped: Vec<String>,
}

/// What the checklist looks up about each instance, indexed once (a plan has thousands of instances): the plan's
/// resolved references and the rules' context (links and terminal connections per instance, instances and VPCs by
/// ID), the classic and the VPC CLBs binding each backend, and the security group and ACL rules by address.
struct Lookup<'a> {
    plan: &'a Plan,
    /// Each link's ends and each instance's links, by index (also what Tencent Cloud would have refused).
    refs: Refs<'a>,
    ctx: Context<'a>,
    /// Backend -> the classic CLBs binding it, in plan order.
    clbs: HashMap<&'a str, Vec<&'a str>>,
    /// Backend -> the VPC CLBs binding it, with their VPC, in plan order.
    vpc_clbs: HashMap<&'a str, Vec<(&'a str, &'a str)>>,
    /// The security group and ACL rules by the range they name.
    filters: FilterIndex<'a>,
}

impl<'a> Lookup<'a> {
    fn new(plan: &'a Plan) -> Lookup<'a> {
        let mut clbs: HashMap<&str, Vec<&str>> = HashMap::default();
        for lb in plan.classic.iter().filter(|x| x.kind == Kind::Clb) {
            for b in &lb.backends {
                push_once(clbs.entry(b.as_str()).or_default(), lb.id.as_str());
            }
        }
        let refs = Refs::new(plan);
        let ctx = Context::with_refs(plan, refs.clone(), Vec::new());
        let mut vpc_clbs: HashMap<&str, Vec<(&str, &str)>> = HashMap::default();
        for &(v, lb) in ctx.clb_resources() {
            for b in &lb.backends {
                push_once(vpc_clbs.entry(b.as_str()).or_default(), (lb.id.as_str(), v.id.as_str()));
            }
        }
        Lookup { plan, refs, ctx, clbs, vpc_clbs, filters: FilterIndex::new(plan) }
    }

    /// The link classic instance `id` holds: the one Tencent Cloud made of those the plan lists ([`Refs::held`]).
    fn held(&self, id: &str) -> Option<&'a Link> {
        let c = self.refs.classic(id)?;
        self.refs.held(self.plan, c).map(|l| &self.plan.links[l])
    }

    /// What the link classic CVM `c` holds does now.
    fn link_now(&self, c: &ClassicInstance) -> LinkNow<'a> {
        let Some(link) = self.held(&c.id) else { return LinkNow::None };
        match link.ip_before(c.ip) {
            Some(made_for) => LinkNow::Broken(link, made_for),
            None => LinkNow::Works(link),
        }
    }

    /// The links of classic CVM `c` the plan lists and Tencent Cloud never made, one per VPC in plan order (a VPC
    /// listed again, or the held link's VPC, adds nothing), each with why it was refused.
    fn not_made(&self, c: &ClassicInstance) -> Vec<(&'a Link, NotMade<'a>)> {
        let Some(ci) = self.refs.classic(&c.id) else { return Vec::new() };
        let plan = self.plan;
        let held = self.refs.held(plan, ci);
        let held_vpc = held.and_then(|l| self.refs.link(l).1);
        let mut seen: Vec<usize> = held_vpc.into_iter().collect();
        let mut out = Vec::new();
        for l in self.refs.links_of(ci).iter().map(|&l| l as usize) {
            // A VPC the plan does not have is the plan reader's to refuse.
            let Some(v) = self.refs.link(l).1 else { continue };
            if seen.contains(&v) {
                continue;
            }
            seen.push(v);
            let over_quota = self.refs.attached(plan).is_some_and(|a| a.over_quota(l));
            let why = match (refs::refusal(plan, ci, v), held) {
                (Some(r), _) => NotMade::Refused(r),
                (None, _) if over_quota => NotMade::Refused(Refusal::Quota),
                (None, Some(h)) => NotMade::SecondVpc(&plan.links[h].vpc),
                (None, None) => continue,
            };
            out.push((&plan.links[l], why));
        }
        out
    }
}

/// Why Tencent Cloud never made a link the plan lists.
#[derive(Clone, Copy)]
enum NotMade<'a> {
    /// Refused on its own: the VPC's range or region, the account, or the VPC's quota.
    Refused(Refusal),
    /// The CVM already held its link to this other VPC (CL002).
    SecondVpc(&'a str),
}

/// Appends `x` unless it is the last item already (a backend listed twice by one CLB counts once).
fn push_once<T: PartialEq>(list: &mut Vec<T>, x: T) {
    if list.last() != Some(&x) {
        list.push(x);
    }
}

/// What the link a classic CVM holds does now: a step claims only what the link does.
#[derive(Clone, Copy)]
enum LinkNow<'a> {
    /// It holds no link (the plan lists none, or Tencent Cloud refused each: see [`Lookup::not_made`]).
    None,
    /// Tencent Cloud made it, and it carries traffic.
    Works(&'a Link),
    /// Made for an IP (the second field) the CVM no longer has: an IP change invalidates a link (CL010), which
    /// carries nothing until it is detached and attached again.
    Broken(&'a Link, Ipv4Addr),
}

impl<'a> LinkNow<'a> {
    /// The link that exists at Tencent Cloud (working or broken).
    fn existing(&self) -> Option<&'a Link> {
        match *self {
            LinkNow::Works(l) | LinkNow::Broken(l, _) => Some(l),
            LinkNow::None => None,
        }
    }
}

/// One security group or network ACL rule, where it is.
struct FilterAt<'a> {
    /// The security group or ACL.
    object: &'a str,
    /// "ingress" or "egress", as the plan names the lists.
    direction: &'static str,
    /// Its position in its direction's list (as `reach` names rules: "ingress rule 0").
    index: usize,
    /// The rule itself (its action).
    rule: &'a FilterRule,
    /// Its range (a rule naming a security group has none: it follows the instances, whatever their IPs).
    cidr: Cidr,
}

impl FilterAt<'_> {
    /// "sg-v ingress rule 0 (ACCEPT 10.66.1.1)".
    fn describe(&self) -> String {
        format!("{} {} rule {} ({} {})", self.object, self.direction, self.index, self.rule.action.as_str(), self.cidr)
    }
}

/// Every security group and network ACL rule naming a range narrower than everything (`0.0.0.0/0` holds every IP,
/// old and new), by the range: sorted by (prefix length, network). An address is looked up with one binary search
/// per prefix length in use, not by reading every rule. (A sorted list, not a hash map per prefix: this is in the
/// web bundle.)
struct FilterIndex<'a> {
    /// In plan order: the security groups, then the ACLs; each one's ingress, then its egress.
    rules: Vec<FilterAt<'a>>,
    /// (prefix length, network, index into `rules`), sorted.
    by_range: Vec<(u8, u32, u32)>,
    /// The prefix lengths in use, ascending.
    prefixes: Vec<u8>,
}

impl<'a> FilterIndex<'a> {
    fn new(plan: &'a Plan) -> FilterIndex<'a> {
        let sgs = plan.security_groups.iter().map(|g| (g.id.as_str(), &g.ingress, &g.egress));
        let acls = plan.network_acls.iter().map(|a| (a.id.as_str(), &a.ingress, &a.egress));
        let mut rules = Vec::new();
        for (object, ingress, egress) in sgs.chain(acls) {
            for (direction, list) in [("ingress", ingress), ("egress", egress)] {
                let ranged = list.iter().enumerate().filter_map(|(index, rule)| {
                    let cidr = *rule.peer.cidr().filter(|c| c.prefix() > 0)?;
                    Some(FilterAt { object, direction, index, rule, cidr })
                });
                rules.extend(ranged);
            }
        }
        let mut by_range: Vec<(u8, u32, u32)> =
            rules.iter().enumerate().map(|(i, f)| (f.cidr.prefix(), u32::from(f.cidr.network()), i as u32)).collect();
        sort::sort(&mut by_range);
        let mut prefixes: Vec<u8> = by_range.iter().map(|r| r.0).collect();
        prefixes.dedup();
        FilterIndex { rules, by_range, prefixes }
    }

    /// The rules whose range holds `ip`, in plan order.
    fn holding(&self, ip: Ipv4Addr) -> Vec<&FilterAt<'a>> {
        let mut hits: Vec<u32> = Vec::new();
        for &p in &self.prefixes {
            let key = (p, u32::from(ip) & (u32::MAX << (32 - u32::from(p))));
            let first = self.by_range.partition_point(|&(q, n, _)| (q, n) < key);
            hits.extend(self.by_range[first..].iter().take_while(|&&(q, n, _)| (q, n) == key).map(|r| r.2));
        }
        sort::sort(&mut hits);
        hits.into_iter().map(|i| &self.rules[i as usize]).collect()
    }
}

/// The checklist of a plan.
pub fn checklist(plan: &Plan) -> Checklist {
    let mut list = Checklist { plan: plan.name.clone(), instances: Vec::new(), skipped: Vec::new() };
    let at = Lookup::new(plan);
    let mut classic: Vec<&ClassicInstance> = plan.classic.iter().collect();
    sort::sort_by(&mut classic, |a, b| a.id.cmp(&b.id));
    let only_vpc = plan.account.platforms == super::model::Platforms::OnlyVpc;
    for c in classic {
        if only_vpc {
            // An account registered after 2017-06-13 has no classic network (CL018): no instance to move out of it.
            list.skipped.push(format!(
                "{}: the account is VPC-only (registered after 2017-06-13): it has no classic network, so there is no \
                 classic instance to migrate (CL018); check the plan's account",
                c.id
            ));
            continue;
        }
        if c.state == State::Returned {
            let linked = at.refs.classic(&c.id).is_some_and(|ci| !at.refs.links_of(ci).is_empty());
            let link = if linked { ", its link was removed with it" } else { "" };
            list.skipped.push(format!("{}: returned (gone); nothing to migrate{link}", c.id));
            continue;
        }
        list.instances.push(match c.kind {
            Kind::Cvm => cvm(&at, c),
            Kind::Clb => clb(&at, c),
            _ => database(&at, c),
        });
    }
    list
}

/// The VPC `c` moves into: that of the link it holds, else the one its first listed link of its region names (a link
/// Tencent Cloud refused, which the constraints say), else the first of its terminal connections' VPCs of its region
/// by ID. An instance moves only into a VPC of its region: the switch needs a subnet in its zone (and a terminal
/// connection does not cross regions either), so a link or connection into another region names no target.
fn target_of(at: &Lookup<'_>, c: &ClassicInstance) -> Option<String> {
    let here = |vpc: &str| at.ctx.vpc(vpc).is_some_and(|v| v.region == c.region);
    let listed = || {
        let links = at.refs.classic(&c.id).map_or(&[][..], |ci| at.refs.links_of(ci));
        links.iter().map(|&l| &at.plan.links[l as usize]).find(|l| here(&l.vpc))
    };
    if let Some(l) = at.held(&c.id).or_else(listed) {
        return Some(l.vpc.to_string());
    }
    let mut tcs: Vec<&str> = at.ctx.terminals_of(&c.id).iter().map(|t| t.vpc.as_str()).filter(|v| here(v)).collect();
    sort::sort(&mut tcs);
    tcs.first().map(|s| s.to_string())
}

/// The classic CLBs binding an instance, sorted.
fn clbs_binding<'a>(at: &Lookup<'a>, id: &str) -> Vec<&'a str> {
    let mut v: Vec<&str> = at.clbs.get(id).cloned().unwrap_or_default();
    sort::sort(&mut v);
    v
}

fn no_target(c: &ClassicInstance) -> String {
    if c.kind.is_cvm() {
        format!(
            "the plan links {} to no VPC of its region: choose a VPC in {} (link it first to test, while the CIDR is \
             within 10.0.0.0/16 - 10.47.0.0/16)",
            c.id, c.region
        )
    } else {
        // Only CVMs are linked; a database or CLB is reached from a VPC through a terminal connection, if at all.
        format!("the plan maps {} into no VPC of its region: choose a VPC in {} for it", c.id, c.region)
    }
}

/// The subnets to offer from `subnets` (of `v`): those of the primary CIDR first; those of an assistant CIDR after,
/// marked as out of reach of the classic CVMs still linked to `v` (a linked CVM reaches only the primary CIDR,
/// reference rule 7). Whether none is in the primary CIDR (so one is to be created there).
fn subnet_offer(v: &Vpc, subnets: &[&Subnet]) -> (String, bool) {
    let (primary, assistant): (Vec<&Subnet>, Vec<&Subnet>) = subnets.iter().partition(|s| v.cidr.covers(&s.cidr));
    let (p, a) = (ids(primary.iter().map(|s| s.id.as_str())), ids(assistant.iter().map(|s| s.id.as_str())));
    let text = match (primary.is_empty(), assistant.is_empty()) {
        (_, true) => p,
        (false, false) => format!(
            "{p}; not {a} if CVMs still linked to {} must reach it (an assistant CIDR: a linked classic CVM reaches \
             only the primary CIDR {})",
            v.id, v.cidr
        ),
        (true, false) => format!(
            "none in its primary CIDR {} (create one there), or {a} if no CVM still linked to {} must reach it (an \
             assistant CIDR: a linked classic CVM reaches only the primary CIDR)",
            v.cidr, v.id
        ),
    };
    (text, primary.is_empty())
}

/// Why Tencent Cloud refuses the link of `c` to `vpc` (the VPC itself when the plan has it).
fn refusal_reason(at: &Lookup<'_>, c: &ClassicInstance, vpc: &str, r: Refusal) -> String {
    let v = at.ctx.vpc(vpc);
    match r {
        Refusal::CidrRange => match v {
            Some(v) => format!("{vpc}'s CIDR {} {}", v.cidr, super::rules::not_in_range(&v.cidr)),
            None => format!("{vpc}'s CIDR is outside {}", super::rules::RANGE),
        },
        Refusal::CrossRegion => {
            format!("{} is in {}, {vpc} in {}", c.id, c.region, v.map_or("another region", |v| v.region.as_str()))
        }
        Refusal::Quota => format!("{vpc} already has its quota of {} linked CVMs", at.plan.quotas.links_per_vpc),
        Refusal::OnlyVpc => "the account is VPC-only".to_string(),
    }
}

/// What the links of `c` mean for its move: a constraint for each listed link Tencent Cloud never made, saying
/// why; one saying the held link is broken, with its repair (optional during a rebuild).
fn link_notes(at: &Lookup<'_>, c: &ClassicInstance, link: LinkNow<'_>) -> (Vec<String>, Option<Step>) {
    let mut said: Vec<String> = at
        .not_made(c)
        .into_iter()
        .map(|(l, why)| {
            let reason = match why {
                NotMade::Refused(r) => refusal_reason(at, c, &l.vpc, r),
                NotMade::SecondVpc(held) => {
                    format!("{} already holds its link to {held}, and a classic CVM links to one VPC at a time", c.id)
                }
            };
            format!(
                "Tencent Cloud refuses the link {} -> {} ({reason}): it was never made, so {} does not reach {} \
                 through it and there is no such link to keep or remove",
                c.id, l.vpc, c.id, l.vpc
            )
        })
        .collect();
    let repair = match link {
        LinkNow::None | LinkNow::Works(_) => None,
        LinkNow::Broken(l, made_for) => {
            let broken = format!(
                "the link {} -> {} is broken: it was made for {made_for}, and {}'s IP {} (an IP change invalidates \
                 a link): {} cannot reach {} until it is detached and attached again; moving into {} makes that moot",
                c.id,
                l.vpc,
                c.id,
                super::model::ip_now(made_for, c.ip),
                c.id,
                l.vpc,
                l.vpc
            );
            said.push(broken);
            let mut repair = Step::new(
                format!("Restore the link while the move goes on: detach {} from {} and attach it again", c.id, l.vpc),
                Some("DetachClassicLinkVpc, AttachClassicLinkVpc"),
                &[11],
            );
            repair.optional = true;
            Some(repair)
        }
    };
    (said, repair)
}

fn cvm(at: &Lookup<'_>, c: &ClassicInstance) -> InstanceMigration {
    let target = target_of(at, c);
    let vpc = target.as_deref().and_then(|v| at.ctx.vpc(v));
    let link = at.link_now(c);
    let mut constraints = Vec::new();
    let vpc_name = target.clone().unwrap_or_else(|| "the VPC".to_string());
    let (link_said, repair) = link_notes(at, c, link);
    constraints.extend(link_said);

    // Rebuild (seed 002).
    let mut rebuild: Vec<Step> = repair.into_iter().collect();
    for (i, s) in MIGRATION_STEPS.iter().enumerate() {
        let mut refs = vec![20];
        let (text, api) = match i {
            0 => (format!("{} ({})", s.text, c.id), Some(s.api)),
            1 => (format!("{} ({}), to restore them on the new CVM", s.text, c.id), Some(s.api)),
            // With the VPC and a subnet planned, nothing is created; with the VPC only, a subnet is.
            2 => match vpc {
                Some(v) if !v.subnets.is_empty() => {
                    let all: Vec<&Subnet> = v.subnets.iter().collect();
                    let (offer, create) = subnet_offer(v, &all);
                    if all.iter().any(|s| !v.cidr.covers(&s.cidr)) {
                        refs.push(7);
                    }
                    (format!("Use {} and one of its subnets: {offer}", v.id), create.then_some("CreateSubnet"))
                }
                Some(v) => (format!("Create a subnet in {}", v.id), Some("CreateSubnet")),
                None => (s.text.to_string(), Some(s.api)),
            },
            _ => {
                let groups = if c.security_groups.is_empty() {
                    String::new()
                } else {
                    // Security groups serve both networks (reference rule 19): the new CVM carries the old one's.
                    refs.push(19);
                    format!(", with its security groups {}", ids(c.security_groups.iter().map(Name::as_str)))
                };
                (format!("{}{groups} (its private IP is new: point clients at it)", s.text), Some(s.api))
            }
        };
        rebuild.push(Step { text, api, optional: s.optional, reference_rules: refs });
    }
    // A classic CLB binding the CVM cannot bind the new one (nor a VPC and a classic instance at once, seed 002):
    // the old CVM is returned only once the CLB's replacement serves the new one. Sections are per instance, and a
    // CVM's section both starts the new CVM (which the CLB's rebuild binds) and returns the old one (which must wait
    // for that rebuild), so no order of whole sections puts the rebuild between the two: the step before the return
    // says so, naming the CLB's section, and the list reads top to bottom.
    let lbs = clbs_binding(at, &c.id);
    for lb in &lbs {
        rebuild.push(Step::new(
            format!(
                "Before returning {}: rebuild {lb} (a classic CLB binding it) in the VPC and have the new CLB serve \
                 the new CVM (section {lb}); {lb} cannot bind a VPC instance",
                c.id
            ),
            None,
            &[19],
        ));
    }
    rebuild.push(match link.existing() {
        Some(l) => Step::new(
            format!("Move traffic to the new CVM, then return {} (returning it removes its link to {})", c.id, l.vpc),
            Some("TerminateInstances"),
            &[13],
        ),
        None => {
            Step::new(format!("Move traffic to the new CVM, then return {}", c.id), Some("TerminateInstances"), &[])
        }
    });

    // In-place switch (tencent-cloud.md §2).
    let mut switch = Vec::new();
    let same_zone: Vec<&Subnet> = match vpc {
        Some(v) => v.subnets.iter().filter(|s| !c.zone.is_empty() && s.zone == c.zone).collect(),
        None => Vec::new(),
    };
    // The IP is kept in a subnet of the primary CIDR if one holds it (linked CVMs reach only that), else any; only
    // where it can be given: not a subnet's first or last address, nor an address of the VPC's already.
    let holding = vpc.and_then(|v| {
        let holding = || same_zone.iter().filter(|s| s.cidr.contains(c.ip));
        holding().find(|s| v.cidr.covers(&s.cidr)).or_else(|| holding().next()).map(|s| (v, *s))
    });
    let taken = holding.and_then(|(v, s)| ip_taken(at, v, s, c.ip));
    let keep = holding.filter(|_| taken.is_none()).map(|(_, s)| s);
    match (vpc, c.zone.is_empty(), same_zone.is_empty()) {
        (None, _, _) => switch.push(Step::new(format!("Choose {vpc_name} and a subnet in {}'s zone", c.id), None, &[])),
        (Some(v), true, _) => {
            constraints.push(format!("{}'s zone is not in the plan: the switch needs a subnet in its zone", c.id));
            switch.push(Step::new(format!("Choose a subnet of {} in {}'s zone", v.id, c.id), None, &[]));
        }
        (Some(v), false, true) => {
            constraints.push(format!("{} has no subnet in {} ({}'s zone): create one first", v.id, c.zone, c.id));
            switch.push(Step::new(format!("Create a subnet of {} in {}", v.id, c.zone), Some("CreateSubnet"), &[]));
        }
        (Some(v), false, false) => {
            let (offer, create) = subnet_offer(v, &same_zone);
            let assistant = same_zone.iter().any(|s| !v.cidr.covers(&s.cidr));
            switch.push(Step::new(
                format!("Choose a subnet of {} in {}: {offer}", v.id, c.zone),
                create.then_some("CreateSubnet"),
                if assistant { &[7] } else { &[] },
            ))
        }
    }
    switch.push(Step::new(
        format!("Plan downtime: {} restarts during the switch (ForceStop stops it if it does not stop)", c.id),
        None,
        &[],
    ));
    let changes = "the private IP changes with the switch (update clients, DNS and security group rules that name it)";
    match (keep, taken) {
        (Some(_), _) => {}
        (None, Some(why)) => constraints.push(format!("{} cannot be kept: {why}; {changes}", c.ip)),
        (None, None) => constraints.push(format!("no subnet in its zone holds {}: {changes}", c.ip)),
    }
    // Once switched, the CVM is a VPC instance that a classic CLB cannot bind: the CLB's replacement comes first.
    for lb in &lbs {
        switch.push(Step::new(
            format!(
                "Before the switch: rebuild {lb} (a classic CLB binding {}) in the VPC first (section {lb}), and bind \
                 {} to the new CLB once switched; {lb} cannot bind a VPC instance",
                c.id, c.id
            ),
            None,
            &[19],
        ));
    }
    // Detached before the switch: DetachClassicLinkVpc acts on a classic CVM, and the reference does not say that
    // the switch removes the link.
    if let Some(l) = link.existing() {
        switch.push(Step::new(
            format!(
                "Remove the link {} -> {} just before the switch (nothing says the switch removes it, and once \
                 switched {} is no classic CVM to detach)",
                c.id, l.vpc, c.id
            ),
            Some("DetachClassicLinkVpc"),
            &[],
        ));
    }
    // Keeping the IP is how the switch is called, so it is said next to it, after the detach.
    if let Some(s) = keep {
        switch.push(Step::new(
            format!(
                "To keep its IP {}, call the switch below with subnet {} and VirtualPrivateCloud.PrivateIpAddresses \
                 [{}]",
                c.ip, s.id, c.ip
            ),
            None,
            &[8],
        ));
    }
    switch.push(Step::new(
        format!("Switch {} into {vpc_name} (it cannot switch back: the switch is one way)", c.id),
        Some("ModifyInstancesVpcAttribute"),
        &[],
    ));

    for lb in lbs {
        constraints.push(format!(
            "{lb} (a classic CLB) binds {}: rebuild {lb} in the VPC; one CLB cannot bind classic and VPC instances \
             at once",
            c.id
        ));
    }
    if target.is_none() {
        constraints.push(no_target(c));
    }
    if matches!(c.state, State::Isolated | State::SecurityIsolated) {
        constraints.push(format!("{} is {}: bring it back to running first", c.id, c.state));
    }
    sort::sort(&mut constraints);

    let mut afterwards = rebinds(at, c, link);
    afterwards.extend(rule_reviews(at, c, vpc, link));
    InstanceMigration::new(
        c,
        target,
        vec![WayIn { way: Way::Rebuild, steps: rebuild }, WayIn { way: Way::SwitchInPlace, steps: switch }],
        constraints,
        afterwards,
    )
}

/// Why `ip`, in subnet `s` of `v`, cannot be given to an instance switched in, if it cannot: the subnet's first or
/// last address (the network's and its broadcast's), or an address of `v` already: a live resource's, or a terminal
/// connection's that Tencent Cloud made (CL017's holders; the CVM's own link puts no other object there).
fn ip_taken(at: &Lookup<'_>, v: &Vpc, s: &Subnet, ip: Ipv4Addr) -> Option<String> {
    if s.cidr.end_of(ip).is_some() {
        return Some(format!("it is the first or last address of {} ({}), which no instance has", s.id, s.cidr));
    }
    if let Some(r) = v.resources.iter().find(|r| r.ip == ip && r.state != State::Returned) {
        return Some(format!("{} already has it in {}", r.id, v.id));
    }
    let plan = at.plan;
    let mapped = (plan.terminal_connections.iter().enumerate())
        .find(|&(t, tc)| tc.vpc == v.id && tc.ip == ip && at.refs.terminal(plan, t).works());
    mapped.map(|(_, tc)| format!("terminal connection {} maps {} at it in {}", tc.id, tc.target, v.id))
}

/// The VPC CLBs binding classic CVM `c`, sorted, each with the step binding the CVM that replaces it: a VPC CLB
/// cannot bind a classic CVM linked to its VPC (reference rule 10), nor a classic and a VPC instance at once (19).
fn rebinds(at: &Lookup<'_>, c: &ClassicInstance, link: LinkNow<'_>) -> Vec<Step> {
    let mut lbs = at.vpc_clbs.get(c.id.as_str()).cloned().unwrap_or_default();
    sort::sort(&mut lbs);
    let linked_to = link.existing().map(|l| l.vpc.as_str());
    lbs.into_iter()
        .map(|(lb, vpc)| {
            Step::new(
                format!(
                    "Bind the new VPC CVM to {lb} (a CLB of {vpc}) once it exists, in place of {}: {lb} cannot serve \
                     {} while it is a classic CVM",
                    c.id, c.id
                ),
                Some("RegisterTargets"),
                if linked_to == Some(vpc) { &[10] } else { &[19] },
            )
        })
        .collect()
}

/// At most this many rules are named in one review step; the rest are counted.
const REVIEW_MAX: usize = 8;

/// The security group and network ACL rules to review once `c` has a new IP: those whose range holds its classic IP
/// but not every CIDR of the VPC it moves into (the new IP may then fall outside), and, for a broken link, those
/// holding the IP the link was made for (its former IP). Security groups and ACLs stay in force across a link
/// (reference rule 9), so a rule written for the old address decides nothing for the new one.
fn rule_reviews(at: &Lookup<'_>, c: &ClassicInstance, vpc: Option<&Vpc>, link: LinkNow<'_>) -> Vec<Step> {
    let holds_new =
        |cidr: &Cidr| vpc.is_some_and(|v| cidr.covers(&v.cidr) && v.assistant_cidrs.iter().all(|a| cidr.covers(a)));
    let current: Vec<_> = at.filters.holding(c.ip).into_iter().filter(|f| !holds_new(&f.cidr)).collect();
    let mut steps = Vec::new();
    if !current.is_empty() {
        let what = format!("its classic IP {}, which the new IP may not match", c.ip);
        steps.push(review(&what, &current));
    }
    if let LinkNow::Broken(_, former) = link {
        let earlier: Vec<_> = at
            .filters
            .holding(former)
            .into_iter()
            .filter(|f| !holds_new(&f.cidr) && !current.iter().any(|g| std::ptr::eq(*g, *f)))
            .collect();
        if !earlier.is_empty() {
            steps.push(review(&format!("its former IP {former} (its link was made for it)"), &earlier));
        }
    }
    steps
}

/// One review step: "Review the rules holding {what}: ..." naming at most [`REVIEW_MAX`] rules.
fn review(what: &str, rules: &[&FilterAt<'_>]) -> Step {
    let mut named: Vec<String> = rules.iter().take(REVIEW_MAX).map(|f| f.describe()).collect();
    if rules.len() > REVIEW_MAX {
        named.push(format!("and {} more", rules.len() - REVIEW_MAX));
    }
    Step::new(format!("Review the rules holding {what}: {}", named.join(", ")), None, &[9])
}

fn terminal_cleanup(at: &Lookup<'_>, c: &ClassicInstance) -> Vec<Step> {
    let mut tcs: Vec<_> = at.ctx.terminals_of(&c.id).to_vec();
    sort::sort_by(&mut tcs, |a, b| a.id.cmp(&b.id));
    tcs.into_iter()
        .map(|t| {
            Step::new(
                format!(
                    "Remove the terminal connection {} ({} -> {} at {}) once clients use the new address",
                    t.id, t.vpc, c.id, t.ip
                ),
                None,
                &[15],
            )
        })
        .collect()
}

fn clb(at: &Lookup<'_>, c: &ClassicInstance) -> InstanceMigration {
    let target = target_of(at, c);
    let vpc_name = target.clone().unwrap_or_else(|| "the VPC".to_string());
    let mut constraints = vec![format!("a CLB cannot be switched into a VPC: {} is rebuilt there", c.id)];
    // A returned backend is gone, and bound by nothing (returning unbinds it).
    let returned = |b: &Name| at.ctx.classic(b).is_some_and(|x| x.state == State::Returned);
    let mut backends: Vec<Name> = c.backends.iter().filter(|b| !returned(b)).cloned().collect();
    sort::sort(&mut backends);
    let classic_backends: Vec<&str> =
        backends.iter().filter(|b| at.ctx.classic(b).is_some()).map(Name::as_str).collect();
    if !classic_backends.is_empty() {
        constraints.push(format!(
            "its backends {} are classic: the new CLB serves them once they are in the VPC (rebuilt, or switched \
             after this CLB is rebuilt: see their sections); one CLB cannot bind classic and VPC instances at once, \
             even when linked",
            classic_backends.join(", ")
        ));
    }
    if target.is_none() {
        constraints.push(no_target(c));
    }
    let steps = vec![
        Step::new(
            format!("Create a CLB in {vpc_name} (a private CLB needs a subnet)"),
            Some("CreateLoadBalancer"),
            &[19],
        ),
        Step::new("Recreate its listeners and forwarding rules", Some("CreateListener"), &[]),
        Step::new(
            if backends.is_empty() {
                "Bind the VPC instances that serve it".to_string()
            } else if classic_backends.is_empty() {
                format!("Bind the VPC instances that replace {}", backends.join(", "))
            } else {
                // Their sections start the new CVMs and return the classic ones only once this CLB serves.
                format!(
                    "Bind the VPC instances that replace {} (see their sections: a classic CVM rebuilt is returned \
                     only after this, one switched in place is bound once switched)",
                    backends.join(", ")
                )
            },
            Some("RegisterTargets"),
            &[10, 19],
        ),
        Step::new(format!("Point clients and DNS at the new VIP (the old one, {}, goes away)", c.ip), None, &[]),
        Step::new(format!("Delete the classic CLB {}", c.id), Some("DeleteLoadBalancer"), &[]),
    ];
    InstanceMigration::new(c, target, vec![WayIn { way: Way::RebuildClb, steps }], constraints, terminal_cleanup(at, c))
}

fn database(at: &Lookup<'_>, c: &ClassicInstance) -> InstanceMigration {
    let target = target_of(at, c);
    let vpc_name = target.clone().unwrap_or_else(|| "the VPC".to_string());
    let release = if c.kind == Kind::Mysql {
        "after 24 h by default, up to 168 h (ReleaseDuration)"
    } else {
        "after a window that depends on the product: check it before switching"
    };
    let mut constraints = vec![format!(
        "dual-IP window: after the switch {} answers on its classic IP {} and its new VPC IP; the classic IP is \
         released {release}",
        c.id, c.ip
    )];
    if target.is_none() {
        constraints.push(no_target(c));
    }
    let api = if c.kind == Kind::Mysql { Some("ModifyDBInstanceVipVport") } else { None };
    let subnet = match target.as_deref().and_then(|v| at.ctx.vpc(v)) {
        Some(v) if v.subnets.is_empty() => Step::new(format!("Create a subnet in {}", v.id), Some("CreateSubnet"), &[]),
        _ => Step::new(format!("Choose a subnet of {vpc_name} for {}", c.id), None, &[]),
    };
    let steps = vec![
        subnet,
        Step::new(format!("Switch {}'s network to {vpc_name}", c.id), api, &[]),
        Step::new(format!("Within the window, point clients at the new VPC IP instead of {}", c.ip), None, &[]),
    ];
    InstanceMigration::new(
        c,
        target,
        vec![WayIn { way: Way::SwitchDatabase, steps }],
        constraints,
        terminal_cleanup(at, c),
    )
}

fn ids<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = it.collect();
    sort::sort(&mut v);
    v.join(", ")
}

/// A name (the plan's, an instance's) as one line of Markdown: a line break or other control character in it would
/// end the heading and start lines of the user's text (a heading, a check box) in the checklist.
fn one_line(name: &str) -> String {
    name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The checklist as Markdown with check boxes (ends with a newline).
pub fn to_markdown(list: &Checklist) -> String {
    let mut s = String::new();
    let title = if list.plan.is_empty() { "plan" } else { list.plan.as_str() };
    s.push_str(&format!("# Migration checklist: {}\n", one_line(title)));
    if list.instances.is_empty() {
        s.push_str("\nNo classic instances to migrate.\n");
    }
    for m in &list.instances {
        s.push_str(&format!("\n## {} ({}", m.instance, m.kind.label()));
        if !m.name.is_empty() {
            s.push_str(&format!(", {}", one_line(&m.name)));
        }
        s.push_str(&format!(", {})\n\n", m.ip));
        match &m.target_vpc {
            Some(v) => s.push_str(&format!("Target: {v}\n")),
            None => s.push_str("Target: not chosen\n"),
        }
        for (i, o) in m.options.iter().enumerate() {
            let letter = (b'A' + i as u8) as char;
            s.push_str(&format!("\n### Option {letter}: {}\n\n", o.way.title()));
            push_steps(&mut s, &o.steps);
        }
        if !m.constraints.is_empty() {
            s.push_str("\n### Constraints\n\n");
            for c in &m.constraints {
                s.push_str(&format!("- {c}\n"));
            }
        }
        if !m.afterwards.is_empty() {
            s.push_str("\n### Afterwards\n\n");
            push_steps(&mut s, &m.afterwards);
        }
    }
    if !list.skipped.is_empty() {
        s.push_str("\n## Skipped\n\n");
        for x in &list.skipped {
            s.push_str(&format!("- {x}\n"));
        }
    }
    s
}

/// One check box line per step.
fn push_steps(s: &mut String, steps: &[Step]) {
    for st in steps {
        s.push_str(&format!("- [ ] {}\n", step_line(st)));
    }
}

fn step_line(st: &Step) -> String {
    let mut l = String::new();
    if st.optional {
        l.push_str("(optional) ");
    }
    l.push_str(&st.text);
    if let Some(api) = st.api {
        l.push_str(&format!(" — `{api}`"));
    }
    if !st.reference_rules.is_empty() {
        let r: Vec<String> = st.reference_rules.iter().map(|n| n.to_string()).collect();
        // Rows of the reference's table of rules (tencent-cloud.md §1), not the catalogue's CL rules.
        l.push_str(&format!(" [reference rule {}]", r.join(", ")));
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::load::import;
    use crate::domain::tencent::import_bundle;

    const EXAMPLE: &str = include_str!("../../tests/fixtures/plan-format-example.json");
    const BUNDLE: &str = include_str!("../../tests/fixtures/tencent/bundle-guangzhou.json");

    fn example() -> Plan {
        import(EXAMPLE).unwrap()
    }

    fn get<'a>(l: &'a Checklist, id: &str) -> &'a InstanceMigration {
        l.instances.iter().find(|m| m.instance == id).unwrap()
    }

    const GUANGZHOU: &str = include_str!("../../www/examples/guangzhou.json");

    /// The review's reproduction plan: ins-a linked to vpc-1 by a link made for `link_ip` (ins-a has 10.66.1.9),
    /// ins-b linked to vpc-1 and bound by lb-v (a CLB of vpc-1), ins-c unlinked, sg-v naming 10.66.1.1 and
    /// 10.66.0.0/16; vpc-1 with `cidr` in `region`.
    fn mig(link_ip: &str, cidr: &str, region: &str) -> Plan {
        import(&format!(
            r#"{{"format": "classiclink-plan", "version": 1, "name": "mig",
              "classic": [
                {{"id": "ins-a", "kind": "cvm", "region": "ap-guangzhou", "zone": "z3", "ip": "10.66.1.9",
                  "security_groups": ["sg-c"]}},
                {{"id": "ins-b", "kind": "cvm", "region": "ap-guangzhou", "zone": "z3", "ip": "10.66.1.2",
                  "security_groups": ["sg-c"]}},
                {{"id": "ins-c", "kind": "cvm", "region": "ap-guangzhou", "zone": "z3", "ip": "10.66.1.3"}}],
              "vpcs": [{{"id": "vpc-1", "region": "{region}", "cidr": "{cidr}", "assistant_cidrs": ["10.100.0.0/16"],
                "subnets": [{{"id": "subnet-1", "cidr": "{cidr}", "zone": "z3"}},
                            {{"id": "subnet-x", "cidr": "10.100.1.0/24", "zone": "z3"}}],
                "resources": [{{"id": "ins-v1", "kind": "cvm", "subnet": "subnet-1",
                                "ip": "{ip}", "security_groups": ["sg-v"]}},
                              {{"id": "lb-v", "kind": "clb", "subnet": "subnet-1", "ip": "{vip}",
                                "backends": ["ins-b"]}}]}}],
              "links": [{{"instance": "ins-a", "vpc": "vpc-1", "ip": "{link_ip}"}},
                        {{"instance": "ins-b", "vpc": "vpc-1", "ip": "10.66.1.2"}}],
              "security_groups": [
                {{"id": "sg-c", "ingress": [{all}], "egress": [{all}]}},
                {{"id": "sg-v", "egress": [{all}], "ingress": [
                  {{"protocol": "TCP", "port": "22", "cidr": "10.66.1.1", "action": "ACCEPT"}},
                  {{"protocol": "TCP", "port": "22", "cidr": "10.66.0.0/16", "action": "ACCEPT"}}]}}]}}"#,
            all = r#"{"protocol": "ALL", "port": "ALL", "cidr": "0.0.0.0/0", "action": "ACCEPT"}"#,
            ip = if cidr.starts_with("172") { "172.16.0.5" } else { "10.0.0.5" },
            vip = if cidr.starts_with("172") { "172.16.0.30" } else { "10.0.0.30" },
        ))
        .unwrap()
    }

    /// The texts of steps, for a failure message.
    fn texts(steps: &[Step]) -> Vec<&str> {
        steps.iter().map(|s| s.text.as_str()).collect()
    }

    /// A broken link (made for another IP, CL010) or one Tencent Cloud refuses is said so, with the repair where
    /// there is a link to repair; no checklist claims the CVM keeps a link it does not have.
    #[test]
    fn a_broken_or_refused_link_is_said_and_never_kept() {
        let broken = "the link ins-a -> vpc-1 is broken: it was made for 10.66.1.1, and ins-a's IP is now 10.66.1.9";
        let range = "Tencent Cloud refuses the link ins-a -> vpc-1 (vpc-1's CIDR 172.16.0.0/16 is outside \
                     10.0.0.0/16 - 10.47.0.0/16)";
        let region = "Tencent Cloud refuses the link ins-a -> vpc-1 (ins-a is in ap-guangzhou, vpc-1 in ap-beijing)";
        // (link IP, VPC CIDR, VPC region, a constraint of ins-a starting so, the rebuild repairs the link)
        let table = [
            ("10.66.1.1", "10.0.0.0/16", "ap-guangzhou", Some(broken), true),
            ("10.66.1.9", "10.0.0.0/16", "ap-guangzhou", None, false),
            ("10.66.1.9", "172.16.0.0/16", "ap-guangzhou", Some(range), false),
            ("10.66.1.9", "10.0.0.0/16", "ap-beijing", Some(region), false),
        ];
        for (link_ip, cidr, region, said, repaired) in table {
            let l = checklist(&mig(link_ip, cidr, region));
            let a = get(&l, "ins-a");
            let case = format!("{link_ip} {cidr} {region}");
            match said {
                Some(s) => assert!(a.constraints.iter().any(|c| c.starts_with(s)), "{case}: {:?}", a.constraints),
                None => assert!(!a.constraints.iter().any(|c| c.contains("link ins-a")), "{case}: {:?}", a.constraints),
            }
            let rebuild = &a.options[0].steps;
            let repair = rebuild.iter().find(|s| s.api == Some("DetachClassicLinkVpc, AttachClassicLinkVpc"));
            assert_eq!(repair.is_some(), repaired, "{case}: {:?}", texts(rebuild));
            if let Some(r) = repair {
                assert!(r.optional && r.reference_rules == [11], "{case}");
            }
            for m in &l.instances {
                assert!(m.options.iter().all(|o| o.steps.iter().all(|s| !s.text.contains("keeps its link"))), "{case}");
            }
            let refused = said.is_some_and(|s| s.starts_with("Tencent Cloud refuses"));
            let last = rebuild.last().unwrap();
            assert_eq!(last.api, Some("TerminateInstances"));
            assert_eq!(last.text.contains("removes its link to vpc-1"), !refused, "{case}: {}", last.text);
            // The switch: a link that exists is detached before it, never after.
            let switch = &a.options[1].steps;
            let detach = switch.iter().position(|s| s.api == Some("DetachClassicLinkVpc"));
            let modify = switch.iter().position(|s| s.api == Some("ModifyInstancesVpcAttribute")).unwrap();
            assert_eq!(detach.is_some(), !refused, "{case}: {:?}", texts(switch));
            assert!(detach.is_none_or(|d| d < modify), "{case}: {:?}", texts(switch));
            assert!(a.afterwards.iter().all(|s| s.api != Some("DetachClassicLinkVpc")), "{case}");
        }
        // Unlinked: nothing about a link at all.
        let l = checklist(&mig("10.66.1.9", "10.0.0.0/16", "ap-guangzhou"));
        let c = get(&l, "ins-c");
        assert_eq!(c.options[0].steps.last().unwrap().text, "Move traffic to the new CVM, then return ins-c");
        assert!(c.options[1].steps.iter().all(|s| s.api != Some("DetachClassicLinkVpc")));
    }

    /// A link refused for its VPC's CIDR says how the CIDR misses 10.0-47: outside it, reaching beyond it, or
    /// spanning several of its /16s.
    #[test]
    fn a_link_refused_for_the_cidr_says_how_it_misses_the_range() {
        let one = "only one of them, or a part of one, can take classic links";
        for (cidr, how) in [
            ("172.16.0.0/16", "is outside 10.0.0.0/16 - 10.47.0.0/16".to_string()),
            ("10.0.0.0/8", format!("reaches beyond 10.0.0.0/16 - 10.47.0.0/16: {one}")),
            ("10.0.0.0/15", format!("spans several of 10.0.0.0/16 - 10.47.0.0/16: {one}")),
        ] {
            let plan = import(&format!(
                r#"{{"format": "classiclink-plan", "version": 1,
                  "classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.1.9"}}],
                  "vpcs": [{{"id": "vpc-w", "region": "r1", "cidr": "{cidr}"}}],
                  "links": [{{"instance": "ins-a", "vpc": "vpc-w"}}]}}"#
            ))
            .unwrap();
            let l = checklist(&plan);
            let a = get(&l, "ins-a");
            let want = format!("Tencent Cloud refuses the link ins-a -> vpc-w (vpc-w's CIDR {cidr} {how})");
            assert!(a.constraints.iter().any(|c| c.starts_with(&want)), "{cidr}: {:?}", a.constraints);
        }
    }

    /// A link past its VPC's quota was never made: it is said refused, and neither option removes it (no
    /// DetachClassicLinkVpc, and returning the CVM removes no link). The links within the quota are kept.
    #[test]
    fn a_link_past_the_quota_is_said_refused_and_never_removed() {
        let refused = "Tencent Cloud refuses the link ins-b -> vpc-1 (vpc-1 already has its quota of 1 linked CVMs)";
        // (quota, ins-b's link refused)
        for (quota, over) in [(2, false), (1, true)] {
            let mut plan = mig("10.66.1.9", "10.0.0.0/16", "ap-guangzhou");
            plan.quotas.links_per_vpc = quota;
            let l = checklist(&plan);
            for (id, was_refused) in [("ins-a", false), ("ins-b", over)] {
                let m = get(&l, id);
                let case = format!("quota {quota}, {id}");
                let said = m.constraints.iter().any(|c| c.starts_with(refused));
                assert_eq!(said, id == "ins-b" && was_refused, "{case}: {:?}", m.constraints);
                let switch = &m.options[1].steps;
                let detach = switch.iter().any(|s| s.api == Some("DetachClassicLinkVpc"));
                assert_eq!(detach, !was_refused, "{case}: {:?}", texts(switch));
                let last = &m.options[0].steps.last().unwrap().text;
                assert_eq!(last.contains("removes its link to vpc-1"), !was_refused, "{case}: {last}");
            }
        }
    }

    /// The VPC a CVM moves into is the one its held link goes to (the link Tencent Cloud made of those the plan
    /// lists), and that link is the one removed; each listed link Tencent Cloud refused is said never made, with why.
    #[test]
    fn the_held_link_is_the_target_and_refused_listed_links_are_said() {
        let body = |links: &str| {
            import(&format!(
                r#"{{"format": "classiclink-plan", "version": 1,
                  "classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "zone": "z1", "ip": "10.66.0.1"}}],
                  "vpcs": [{{"id": "vpc-bad", "region": "r1", "cidr": "172.16.0.0/16"}},
                           {{"id": "vpc-good", "region": "r1", "cidr": "10.0.0.0/16"}},
                           {{"id": "vpc-other", "region": "r1", "cidr": "10.1.0.0/16"}},
                           {{"id": "vpc-far", "region": "r2", "cidr": "10.2.0.0/16"}}],
                  "links": [{links}]}}"#
            ))
            .unwrap()
        };
        let link = |v: &str| format!(r#"{{"instance": "ins-a", "vpc": "{v}"}}"#);
        let (bad, good, other, far) = (link("vpc-bad"), link("vpc-good"), link("vpc-other"), link("vpc-far"));
        let out =
            "Tencent Cloud refuses the link ins-a -> vpc-bad (vpc-bad's CIDR 172.16.0.0/16 is outside 10.0.0.0/16 \
                   - 10.47.0.0/16): it was never made, so ins-a does not reach vpc-bad through it and there is no such \
                   link to keep or remove";
        let second =
            "Tencent Cloud refuses the link ins-a -> vpc-other (ins-a already holds its link to vpc-good, and \
                      a classic CVM links to one VPC at a time): it was never made, so ins-a does not reach vpc-other \
                      through it and there is no such link to keep or remove";
        let region =
            "Tencent Cloud refuses the link ins-a -> vpc-far (ins-a is in r1, vpc-far in r2): it was never made, so \
                      ins-a does not reach vpc-far through it and there is no such link to keep or remove";
        // (listed links, target, the link returning the CVM removes and the switch detaches, the refusals said): with
        // every listed link refused, the target is the first listed.
        let table = [
            (format!("{bad}, {good}"), "vpc-good", Some("vpc-good"), vec![out]),
            (format!("{good}, {bad}"), "vpc-good", Some("vpc-good"), vec![out]),
            (format!("{good}, {other}, {good}, {bad}"), "vpc-good", Some("vpc-good"), vec![out, second]),
            (format!("{bad}, {bad}"), "vpc-bad", None, vec![out]),
            (format!("{bad}, {far}"), "vpc-bad", None, vec![out, region]),
        ];
        for (links, target, existing, refused) in table {
            let l = checklist(&body(&links));
            let a = get(&l, "ins-a");
            assert_eq!(a.target_vpc.as_deref(), Some(target), "{links}");
            let said: Vec<&str> =
                a.constraints.iter().filter(|c| c.starts_with("Tencent Cloud refuses")).map(String::as_str).collect();
            let mut refused = refused;
            refused.sort();
            assert_eq!(said, refused, "{links}");
            let last = &a.options[0].steps.last().unwrap().text;
            let detach = a.options[1].steps.iter().find(|s| s.api == Some("DetachClassicLinkVpc"));
            match existing {
                Some(v) => {
                    assert!(last.ends_with(&format!("(returning it removes its link to {v})")), "{links}: {last}");
                    let text = &detach.expect("the held link is detached").text;
                    assert!(text.starts_with(&format!("Remove the link ins-a -> {v} just")), "{links}: {text}");
                }
                None => {
                    assert_eq!(last, "Move traffic to the new CVM, then return ins-a", "{links}");
                    assert!(detach.is_none(), "{links}");
                }
            }
            let md = to_markdown(&l);
            assert!(md.contains(&format!("Target: {target}\n")), "{md}");
        }
    }

    /// A VPC CLB binding a classic CVM (CL009) is named, with the rebind of the new VPC CVM.
    #[test]
    fn vpc_clbs_binding_the_cvm_are_rebound() {
        let gz = import(GUANGZHOU).unwrap();
        let table = [
            (mig("10.66.1.9", "10.0.0.0/16", "ap-guangzhou"), "ins-b", "lb-v", "vpc-1"),
            (gz, "ins-web03", "lb-prod", "vpc-prod"),
        ];
        for (plan, id, lb, vpc) in table {
            let l = checklist(&plan);
            let want = format!("Bind the new VPC CVM to {lb} (a CLB of {vpc}) once it exists, in place of {id}");
            let step = get(&l, id).afterwards.iter().find(|s| s.text.starts_with(&want));
            let step = step.unwrap_or_else(|| panic!("{id}: {:?}", get(&l, id).afterwards));
            assert_eq!((step.api, step.reference_rules.as_slice()), (Some("RegisterTargets"), &[10][..]));
            // The others are bound by no VPC CLB.
            for m in l.instances.iter().filter(|m| m.instance != id) {
                assert!(m.afterwards.iter().all(|s| !s.text.contains(lb)), "{}", m.instance);
            }
        }
    }

    /// Subnets in an assistant CIDR are offered after the primary CIDR's, marked as out of reach of the CVMs still
    /// linked through Classiclink (reference rule 7).
    #[test]
    fn assistant_cidr_subnets_are_marked_out_of_reach_of_linked_cvms() {
        let l = checklist(&import(GUANGZHOU).unwrap());
        let warn = "not subnet-extra if CVMs still linked to vpc-prod must reach it (an assistant CIDR: a linked \
                    classic CVM reaches only the primary CIDR 10.0.0.0/16)";
        let only = "none in its primary CIDR 10.0.0.0/16 (create one there), or subnet-extra if no CVM still linked \
                    to vpc-prod must reach it (an assistant CIDR: a linked classic CVM reaches only the primary CIDR)";
        // (instance, way, step, text, cites reference rule 7): ap-guangzhou-3 has no assistant-CIDR subnet.
        let table = [
            ("ins-web01", 0, 2, format!("Use vpc-prod and one of its subnets: subnet-app, subnet-db; {warn}"), true),
            ("ins-web01", 1, 0, "Choose a subnet of vpc-prod in ap-guangzhou-3: subnet-app, subnet-db".into(), false),
            ("ins-web03", 1, 0, format!("Choose a subnet of vpc-prod in ap-guangzhou-4: {only}"), true),
        ];
        for (id, way, i, text, rule7) in table {
            let step = &get(&l, id).options[way].steps[i];
            assert_eq!(step.text, text, "{id}");
            assert_eq!(step.reference_rules.contains(&7), rule7, "{id}");
        }
        let web03 = &get(&l, "ins-web03").options[1].steps[0];
        assert_eq!(web03.api, Some("CreateSubnet"), "no primary-CIDR subnet in its zone: one is made");
    }

    /// The rebuild carries the CVM's own security groups over; the rules whose CIDR holds its classic IP (or the
    /// IP its broken link was made for) and not the target VPC are listed to review.
    #[test]
    fn security_groups_carry_over_and_rules_holding_the_old_ip_are_listed() {
        let gz = import(GUANGZHOU).unwrap();
        let mig = mig("10.66.1.1", "10.0.0.0/16", "ap-guangzhou");
        let (lg, lm) = (checklist(&gz), checklist(&mig));
        let new = |ip: &str| format!("its classic IP {ip}, which the new IP may not match");
        let wide = "sg-app ingress rule 0 (ACCEPT 10.66.0.0/16)";
        // (checklist, instance, its security groups, the rules to review: what they hold, and which)
        /// What the rules to review hold, and which they are.
        type Reviews<'r> = Vec<(String, Vec<&'r str>)>;
        let table: [(&Checklist, &str, &str, Reviews); 4] = [
            (
                &lm,
                "ins-a",
                "sg-c",
                vec![
                    (new("10.66.1.9"), vec!["sg-v ingress rule 1 (ACCEPT 10.66.0.0/16)"]),
                    (
                        "its former IP 10.66.1.1 (its link was made for it)".into(),
                        vec!["sg-v ingress rule 0 (ACCEPT 10.66.1.1)"],
                    ),
                ],
            ),
            (&lm, "ins-c", "", vec![(new("10.66.1.3"), vec!["sg-v ingress rule 1 (ACCEPT 10.66.0.0/16)"])]),
            (
                &lg,
                "ins-web01",
                "sg-web",
                vec![(
                    new("10.66.12.7"),
                    vec![
                        wide,
                        "sg-db ingress rule 1 (ACCEPT 10.66.12.0/24)",
                        "acl-app ingress rule 0 (DROP 10.66.12.0/24)",
                        "acl-app ingress rule 1 (ACCEPT 10.66.0.0/16)",
                    ],
                )],
            ),
            (
                &lg,
                "ins-bastion",
                "sg-bastion",
                vec![(
                    new("10.66.1.2"),
                    vec![
                        "sg-web ingress rule 1 (ACCEPT 10.66.1.2)",
                        wide,
                        "sg-app ingress rule 2 (ACCEPT 10.66.1.2)",
                        "acl-app ingress rule 1 (ACCEPT 10.66.0.0/16)",
                    ],
                )],
            ),
        ];
        for (l, id, sgs, reviews) in table {
            let m = get(l, id);
            let run = m.options[0].steps.iter().find(|s| s.api == Some("RunInstances")).unwrap();
            assert_eq!(
                run.text.contains(&format!("with its security groups {sgs} ")),
                !sgs.is_empty(),
                "{id}: {}",
                run.text
            );
            assert_eq!(run.reference_rules.contains(&19), !sgs.is_empty(), "{id}: security groups serve both networks");
            let got: Vec<&str> =
                m.afterwards.iter().filter(|s| s.text.starts_with("Review")).map(|s| s.text.as_str()).collect();
            let want: Vec<String> = reviews
                .iter()
                .map(|(what, rules)| format!("Review the rules holding {what}: {}", rules.join(", ")))
                .collect();
            assert_eq!(got, want, "{id}");
        }
    }

    /// A rule is reviewed unless it holds every address the CVM may get in its VPC: the primary CIDR and each
    /// assistant CIDR. At most eight are named; the rest are counted.
    #[test]
    fn rules_holding_part_of_the_vpc_are_reviewed_and_past_eight_counted() {
        let rule = |cidr: &str| FilterRule {
            protocol: crate::domain::addr::Protocol::Tcp,
            port: "22".parse().unwrap(),
            peer: crate::domain::model::Peer::Cidr(cidr.parse().unwrap()),
            action: crate::domain::model::Action::Accept,
            description: String::new(),
        };
        let reviewed = |cidrs: &[&str]| -> String {
            let mut plan = mig("10.66.1.9", "10.0.0.0/16", "ap-guangzhou");
            // vpc-1's assistant CIDR out of the primary's /9, so that a /9 holds the primary but not the assistant.
            plan.vpcs[0].assistant_cidrs = vec!["10.200.0.0/16".parse().unwrap()];
            plan.vpcs[0].subnets[1].cidr = "10.200.1.0/24".parse().unwrap();
            let sg = plan.security_groups.iter_mut().find(|g| g.id == "sg-v").unwrap();
            sg.ingress = cidrs.iter().map(|c| rule(c)).collect();
            let l = checklist(&plan);
            let review = get(&l, "ins-a").afterwards.iter().find(|s| s.text.starts_with("Review"));
            review.map(|s| s.text.clone()).unwrap_or_default()
        };
        let head = "Review the rules holding its classic IP 10.66.1.9, which the new IP may not match: ";
        // Ten ranges holding ins-a's IP 10.66.1.9 and none of vpc-1.
        let holding = [
            "10.66.1.9",
            "10.66.1.8/31",
            "10.66.1.8/30",
            "10.66.1.8/29",
            "10.66.1.0/28",
            "10.66.1.0/27",
            "10.66.1.0/26",
            "10.66.1.0/25",
            "10.66.1.0/24",
            "10.66.0.0/23",
        ];
        let named = |n: usize| -> String {
            let rules = holding[..n].iter().enumerate().map(|(i, c)| format!("sg-v ingress rule {i} (ACCEPT {c})"));
            rules.collect::<Vec<_>>().join(", ")
        };
        // (sg-v's ingress CIDRs, the review step)
        let table: Vec<(Vec<&str>, String)> = vec![
            (vec!["10.0.0.0/8"], String::new()),
            (vec!["10.0.0.0/9"], format!("{head}sg-v ingress rule 0 (ACCEPT 10.0.0.0/9)")),
            (vec!["10.0.0.0/8", "10.0.0.0/9"], format!("{head}sg-v ingress rule 1 (ACCEPT 10.0.0.0/9)")),
            (holding[..1].to_vec(), format!("{head}{}", named(1))),
            (holding[..8].to_vec(), format!("{head}{}", named(8))),
            (holding[..9].to_vec(), format!("{head}{}, and 1 more", named(8))),
            (holding[..10].to_vec(), format!("{head}{}, and 2 more", named(8))),
        ];
        for (cidrs, want) in table {
            assert_eq!(reviewed(&cidrs), want, "{cidrs:?}");
        }
    }

    #[test]
    fn a_linked_cvm_gets_both_ways_and_its_link_to_remove() {
        let l = checklist(&example());
        assert_eq!(
            l.instances.iter().map(|m| m.instance.as_str()).collect::<Vec<_>>(),
            ["cdb-orders", "ins-web01", "lb-old"]
        );
        let web = get(&l, "ins-web01");
        assert_eq!(web.target_vpc.as_deref(), Some("vpc-prod"));
        assert_eq!(web.options.iter().map(|o| o.way).collect::<Vec<_>>(), [Way::Rebuild, Way::SwitchInPlace]);
        let rebuild = &web.options[0].steps;
        assert_eq!(rebuild[0].api, Some("CreateImage"));
        assert!(rebuild[1].optional && rebuild[1].api == Some("CreateSnapshot"));
        assert!(rebuild[2].text.contains("subnets: subnet-app; not subnet-extra"), "{}", rebuild[2].text);
        assert_eq!(rebuild[2].api, None, "the VPC and its subnets are planned: nothing to create");
        let switch = &web.options[1].steps;
        assert!(switch.iter().any(|s| s.api == Some("ModifyInstancesVpcAttribute") && s.text.contains("one way")));
        assert!(switch.iter().any(|s| s.text.contains("restarts")));
        // 10.66.12.7 is in no vpc-prod subnet: the IP changes.
        assert!(web.constraints.iter().any(|c| c.contains("the private IP changes")));
        assert!(web.constraints.iter().any(|c| c.starts_with("lb-old (a classic CLB) binds ins-web01")));
        // The link: removed by returning the old CVM, or detached just before the switch.
        assert!(rebuild.last().unwrap().text.ends_with("(returning it removes its link to vpc-prod)"));
        assert_eq!(switch[switch.len() - 2].api, Some("DetachClassicLinkVpc"));
        assert_eq!(web.afterwards.len(), 1);
        assert!(web.afterwards[0]
            .text
            .ends_with("sg-app ingress rule 0 (ACCEPT 10.66.0.0/16), acl-app ingress rule 0 (ACCEPT 10.66.0.0/16)"));
    }

    /// The checklist reads top to bottom although sections run by ID: a CVM a classic CLB binds (lb-old binds
    /// ins-web01) is returned, or switched, only after the step saying that the CLB's replacement comes first, naming
    /// the CLB's section (a CLB cannot bind a classic and a VPC instance at once, seed 002); the CLB's section says
    /// its classic backends' sections wait for it. A CVM no classic CLB binds is told nothing of the kind.
    #[test]
    fn a_cvm_a_classic_clb_binds_waits_for_the_clbs_replacement() {
        let mut plan = example();
        let l = checklist(&plan);
        let web = get(&l, "ins-web01");
        let first = |steps: &[Step], needle: &str| steps.iter().position(|s| s.text.contains(needle));
        let (rebuild, switch) = (&web.options[0].steps, &web.options[1].steps);
        let wait = first(rebuild, "(section lb-old)").unwrap_or_else(|| panic!("{:?}", texts(rebuild)));
        let ret = first(rebuild, "then return ins-web01").unwrap();
        assert!(wait < ret, "{:?}", texts(rebuild));
        assert!(rebuild[wait].text.starts_with("Before returning ins-web01: rebuild lb-old"), "{}", rebuild[wait].text);
        let wait = first(switch, "(section lb-old)").unwrap_or_else(|| panic!("{:?}", texts(switch)));
        let go = switch.iter().position(|s| s.api == Some("ModifyInstancesVpcAttribute")).unwrap();
        assert!(wait < go, "{:?}", texts(switch));
        assert!(switch[wait].text.contains("bind ins-web01 to the new CLB once switched"), "{}", switch[wait].text);
        let lb = get(&l, "lb-old");
        assert!(lb.options[0].steps[2].text.contains("a classic CVM rebuilt is returned only after this"));
        // Followed top to bottom, the Markdown says to wait before it says to return.
        let md = to_markdown(&l);
        let at = |needle: &str| md.find(needle).unwrap_or_else(|| panic!("{needle} in {md}"));
        assert!(at("Before returning ins-web01: rebuild lb-old") < at("then return ins-web01"));
        // No classic CLB binds it: nothing to wait for.
        plan.classic[2].backends.clear();
        let web = get(&checklist(&plan), "ins-web01").clone();
        let said = web.options.iter().flat_map(|o| &o.steps).filter(|s| s.text.contains("lb-old")).count();
        assert_eq!(said, 0, "{:?}", texts(&web.options[0].steps));
    }

    #[test]
    fn the_ip_can_be_kept_only_in_a_same_zone_subnet_holding_it() {
        let mut plan = example();
        plan.classic[0].ip = [10, 0, 1, 77].into(); // inside subnet-app (zone ap-guangzhou-3, like the CVM)
        plan.links[0].ip = None;
        let web = get(&checklist(&plan), "ins-web01").clone();
        assert!(web.options[1]
            .steps
            .iter()
            .any(|s| s.text.contains("To keep its IP 10.0.1.77") && s.text.contains("subnet subnet-app")));
        assert!(!web.constraints.iter().any(|c| c.contains("private IP changes")));
        // Same IP, but the CVM sits in another zone: no subnet in its zone, so the switch needs a new subnet.
        plan.classic[0].zone = "ap-guangzhou-4".into();
        let web = get(&checklist(&plan), "ins-web01").clone();
        assert!(web.constraints.iter().any(|c| c.contains("has no subnet in ap-guangzhou-4")));
        assert!(web.options[1].steps.iter().any(|s| s.api == Some("CreateSubnet")));
        // The CVM's zone unknown: no subnet is known to be in it, not even one whose zone is unknown too.
        plan.classic[0].zone = "".into();
        plan.vpcs[0].subnets[0].zone = "".into();
        let web = get(&checklist(&plan), "ins-web01").clone();
        assert!(web.constraints.iter().any(|c| c.contains("zone is not in the plan")), "{:?}", web.constraints);
        assert!(web.constraints.iter().any(|c| c.contains("the private IP changes")), "{:?}", web.constraints);
        assert!(
            !web.options[1].steps.iter().any(|s| s.text.contains("keep its IP")),
            "{:?}",
            texts(&web.options[1].steps)
        );
    }

    /// The IP is kept only where it can be given: not at a subnet's first or last address, nor at an address a live
    /// resource or a working terminal connection of the VPC has; the constraint says why not. The step that keeps it
    /// is said after the detach, next to the switch it is a parameter of.
    #[test]
    fn the_ip_is_kept_only_where_it_can_be_given_and_said_at_the_switch() {
        let mut plan = example();
        plan.classic[0].ip = [10, 0, 1, 77].into();
        plan.links[0].ip = None;
        let web = get(&checklist(&plan), "ins-web01").clone();
        let steps = texts(&web.options[1].steps);
        let at = |needle: &str| {
            steps.iter().position(|s| s.contains(needle)).unwrap_or_else(|| panic!("{needle}: {steps:?}"))
        };
        assert!(at("Remove the link ins-web01") < at("To keep its IP"), "{steps:?}");
        assert_eq!(at("To keep its IP") + 1, at("Switch ins-web01 into"), "{steps:?}");
        let cannot = |plan: &Plan| {
            let web = get(&checklist(plan), "ins-web01").clone();
            assert!(!texts(&web.options[1].steps).iter().any(|s| s.contains("keep its IP")), "{:?}", web.options[1]);
            web.constraints.into_iter().find(|c| c.contains("cannot be kept")).expect("said why")
        };
        let mut taken = plan.clone();
        taken.vpcs[0].resources[0].ip = [10, 0, 1, 77].into();
        assert!(cannot(&taken)
            .starts_with("10.0.1.77 cannot be kept: ins-app01 already has it in vpc-prod; the private IP changes"));
        // (Its link broken by an IP change, ins-web01 puts no address in vpc-prod, so tc-1 works at its IP.)
        let mut mapped = plan.clone();
        mapped.terminal_connections[0].ip = [10, 0, 1, 77].into();
        mapped.links[0].ip = Some([10, 66, 12, 7].into());
        assert!(cannot(&mapped).contains("terminal connection tc-1 maps cdb-orders at it in vpc-prod"));
        let mut edge = plan.clone();
        edge.classic[0].ip = [10, 0, 1, 255].into();
        assert!(cannot(&edge).contains("the first or last address of subnet-app (10.0.1.0/24)"));
        // A returned resource no longer has its address: it can be kept.
        taken.vpcs[0].resources[0].state = State::Returned;
        let web = get(&checklist(&taken), "ins-web01").clone();
        assert!(texts(&web.options[1].steps).iter().any(|s| s.contains("To keep its IP 10.0.1.77")));
    }

    /// An instance moves only into a VPC of its region: a link or terminal connection into another region names no
    /// target, so no switch or subnet of that VPC is offered (CreateSubnet refuses a zone of another region).
    #[test]
    fn a_vpc_of_another_region_is_no_target() {
        let mut plan = example();
        let (bj, gz) = ("vpc-bj", "ap-guangzhou");
        plan.links.retain(|l| l.instance == "ins-web01");
        plan.links[0].vpc = bj.into();
        plan.links[0].ip = None;
        plan.terminal_connections[0].vpc = bj.into();
        plan.terminal_connections[0].ip = [10, 2, 0, 9].into();
        let l = checklist(&plan);
        for id in ["ins-web01", "cdb-orders"] {
            let m = get(&l, id);
            assert_eq!(m.target_vpc, None, "{id}");
            let all: Vec<&String> = m.options.iter().flat_map(|o| &o.steps).map(|s| &s.text).collect();
            assert!(!all.iter().any(|s| s.contains(bj)), "{id}: {all:?}");
            assert!(
                m.constraints.iter().any(|c| c.contains(&format!("into no VPC of its region: choose a VPC in {gz}"))
                    || c.contains(&format!("to no VPC of its region: choose a VPC in {gz}"))),
                "{id}: {:?}",
                m.constraints
            );
        }
    }

    /// A VPC-only account has no classic network (CL018): no classic instance of the plan is given steps, and none is
    /// told to link; each is skipped, saying so.
    #[test]
    fn a_vpc_only_account_has_nothing_to_migrate() {
        let mut plan = example();
        plan.account.platforms = crate::domain::model::Platforms::OnlyVpc;
        let l = checklist(&plan);
        assert!(l.instances.is_empty(), "{:?}", l.instances);
        assert_eq!(l.skipped.len(), plan.classic.len());
        assert!(
            l.skipped.iter().all(|s| s.contains("the account is VPC-only") && s.contains("CL018")),
            "{:?}",
            l.skipped
        );
    }

    /// A returned backend is gone and bound by nothing: a CLB's section neither waits for it nor binds its
    /// replacement; a returned instance with no link is not said to have lost one.
    #[test]
    fn a_returned_backend_is_no_backend() {
        let mut plan = example();
        plan.links.retain(|l| l.instance != "ins-web01");
        plan.classic[0].state = State::Returned;
        let l = checklist(&plan);
        let lb = get(&l, "lb-old");
        let all: Vec<&String> =
            lb.constraints.iter().chain(lb.options.iter().flat_map(|o| o.steps.iter().map(|s| &s.text))).collect();
        assert!(!all.iter().any(|s| s.contains("ins-web01")), "{all:?}");
        assert!(l.skipped.contains(&"ins-web01: returned (gone); nothing to migrate".to_string()), "{:?}", l.skipped);
    }

    /// A classic CLB's section does not ask its backends to move first: a backend switched in place needs the new
    /// CLB before its switch (a classic CLB cannot bind a VPC instance), as the backend's own section says.
    #[test]
    fn a_clb_and_its_backends_agree_on_the_order() {
        let l = checklist(&example());
        let lb = get(&l, "lb-old");
        let said = lb.constraints.iter().find(|c| c.contains("backends ins-web01 are classic")).expect("said");
        assert!(!said.contains("move them into the VPC first"), "{said}");
        assert!(said.contains("switched after this CLB is rebuilt"), "{said}");
    }

    /// A database whose target VPC has no subnet is told to create one, as a CVM is.
    #[test]
    fn a_database_is_told_to_create_a_subnet_where_there_is_none() {
        let mut plan = example();
        plan.vpcs[0].subnets.clear();
        plan.vpcs[0].resources.clear();
        plan.terminal_connections[0].ip = [10, 0, 9, 9].into();
        let db = get(&checklist(&plan), "cdb-orders").clone();
        assert_eq!(db.options[0].steps[0].api, Some("CreateSubnet"), "{:?}", db.options[0].steps);
        assert_eq!(db.options[0].steps[0].text, "Create a subnet in vpc-prod");
    }

    #[test]
    fn clb_is_rebuilt_and_databases_have_a_dual_ip_window() {
        let l = checklist(&example());
        let lb = get(&l, "lb-old");
        assert_eq!(lb.options.len(), 1);
        assert_eq!(lb.options[0].way, Way::RebuildClb);
        assert!(lb.constraints.iter().any(|c| c.contains("cannot be switched")));
        assert!(lb.constraints.iter().any(|c| c.contains("backends ins-web01 are classic")));
        let db = get(&l, "cdb-orders");
        assert_eq!(db.target_vpc.as_deref(), Some("vpc-prod"), "its terminal connection's VPC");
        assert_eq!(db.options[0].steps[1].api, Some("ModifyDBInstanceVipVport"));
        assert!(db.constraints[0].contains("24 h by default, up to 168 h"));
        assert_eq!(db.afterwards.len(), 1);
        assert!(db.afterwards[0].text.starts_with("Remove the terminal connection tc-1"));
        // A Memcached with no VPC: it is not told to be linked (only CVMs are), and its window reads as a sentence.
        let mut plan = example();
        plan.terminal_connections.clear();
        plan.classic[1].kind = Kind::Memcached;
        let db = get(&checklist(&plan), "cdb-orders").clone();
        assert!(db.constraints[0]
            .ends_with("released after a window that depends on the product: check it before switching"));
        assert_eq!(db.options[0].steps[1].api, None, "ModifyDBInstanceVipVport is MySQL's");
        assert!(
            db.constraints
                .iter()
                .any(|c| c == "the plan maps cdb-orders into no VPC of its region: choose a VPC in ap-guangzhou for it"),
            "{:?}",
            db.constraints
        );
    }

    /// The example as JSON, with the classic CLB binding a classic and a linked CVM (`ins-web01`, `ins-app01`), and
    /// a second terminal connection `tc`, mapping cdb-orders into vpc-dev.
    fn with_backends_and_a_dev_terminal(tc: &str) -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        v["classic"][2]["backends"] = serde_json::json!(["ins-web01", "ins-app01"]);
        let tcs = v["terminal_connections"].as_array_mut().unwrap();
        tcs.push(serde_json::json!({"id": tc, "target": "cdb-orders", "vpc": "vpc-dev", "ip": "10.1.1.200"}));
        v
    }

    /// A classic CLB's constraint names only its classic backends as classic (a VPC backend needs no move); a
    /// database with terminal connections to several VPCs moves into the first of them by ID, whatever their order
    /// in the plan; a backend a CLB lists twice is told about that CLB once.
    #[test]
    fn a_clbs_vpc_backends_are_not_called_classic_and_a_database_goes_to_its_first_vpc_by_id() {
        let v = with_backends_and_a_dev_terminal("tc-2");
        let l = checklist(&import(&v.to_string()).unwrap());
        let lb = get(&l, "lb-old");
        let classic: Vec<&String> = lb.constraints.iter().filter(|c| c.contains("are classic")).collect();
        assert_eq!(classic.len(), 1, "{:?}", lb.constraints);
        assert!(classic[0].starts_with("its backends ins-web01 are classic:"), "{}", classic[0]);
        assert_eq!(get(&l, "cdb-orders").target_vpc.as_deref(), Some("vpc-dev"));
        // A CLB listing a backend twice binds it once: the CVM is told about that CLB once (the plan reader refuses
        // such a plan; the checklist, given one anyway, does not repeat it).
        let mut plan = example();
        plan.classic[2].backends = vec!["ins-web01".into(), "ins-web01".into()];
        let web = get(&checklist(&plan), "ins-web01").clone();
        let told = web.constraints.iter().filter(|c| c.starts_with("lb-old (a classic CLB) binds ins-web01")).count();
        assert_eq!(told, 1, "{:?}", web.constraints);
    }

    /// Steps naming several objects list them by ID, whatever their order in the plan: the VPC CLBs a CVM is
    /// rebound to, the terminal connections to remove, the backends a rebuilt CLB replaces.
    #[test]
    fn steps_naming_several_objects_list_them_by_id() {
        let mut v = with_backends_and_a_dev_terminal("tc-0");
        let resources = v["vpcs"][0]["resources"].as_array_mut().unwrap();
        let lb_prod = resources.iter_mut().find(|r| r["id"] == "lb-prod").unwrap();
        lb_prod["backends"] = serde_json::json!(["ins-app01", "ins-web01"]);
        resources.push(serde_json::json!(
            {"id": "lb-a", "kind": "clb", "subnet": "subnet-app", "ip": "10.0.1.31", "backends": ["ins-web01"]}
        ));
        let l = checklist(&import(&v.to_string()).unwrap());
        let rebinds: Vec<&str> = get(&l, "ins-web01")
            .afterwards
            .iter()
            .filter(|s| s.api == Some("RegisterTargets"))
            .map(|s| s.text.split(" (a CLB").next().unwrap())
            .collect();
        assert_eq!(rebinds, ["Bind the new VPC CVM to lb-a", "Bind the new VPC CVM to lb-prod"]);
        let removed: Vec<&str> =
            get(&l, "cdb-orders").afterwards.iter().map(|s| s.text.split(" (").next().unwrap()).collect();
        assert_eq!(removed, ["Remove the terminal connection tc-0", "Remove the terminal connection tc-1"]);
        let bind = &get(&l, "lb-old").options[0].steps[2];
        assert!(bind.text.starts_with("Bind the VPC instances that replace ins-app01, ins-web01 ("), "{}", bind.text);
    }

    #[test]
    fn unlinked_returned_and_isolated_instances() {
        let mut plan = example();
        plan.links.clear();
        plan.terminal_connections.clear();
        plan.classic[0].state = State::Isolated;
        let l = checklist(&plan);
        let web = get(&l, "ins-web01");
        assert_eq!(web.target_vpc, None);
        assert!(web.constraints.iter().any(|c| c.contains("links ins-web01 to no VPC")));
        assert!(web.constraints.iter().any(|c| c.contains("is isolated")));
        assert!(web.options.iter().all(|o| o.steps.iter().all(|s| s.api != Some("DetachClassicLinkVpc"))));
        plan.classic[0].state = State::Returned;
        let l = checklist(&plan);
        assert!(l.instances.iter().all(|m| m.instance != "ins-web01"));
        assert_eq!(l.skipped.len(), 1);
    }

    /// A CVM isolated for arrears or for security must be brought back to running before either way in; a running
    /// or stopped one needs nothing of the kind.
    #[test]
    fn an_isolated_cvm_is_brought_back_to_running_first() {
        let table = [
            (State::Running, None),
            (State::Stopped, None),
            (State::Isolated, Some("ins-web01 is isolated: bring it back to running first")),
            (State::SecurityIsolated, Some("ins-web01 is security_isolated: bring it back to running first")),
        ];
        for (state, want) in table {
            let mut plan = example();
            plan.classic[0].state = state;
            let l = checklist(&plan);
            let web = get(&l, "ins-web01");
            let said: Vec<&str> =
                web.constraints.iter().filter(|c| c.contains("back to running")).map(String::as_str).collect();
            assert_eq!(said, want.into_iter().collect::<Vec<_>>(), "{state}");
        }
    }

    #[test]
    fn markdown_is_deterministic_and_complete() {
        let plan = import_bundle(BUNDLE, None).unwrap().plan;
        let md = to_markdown(&checklist(&plan));
        assert_eq!(md, to_markdown(&checklist(&plan)));
        assert!(md.starts_with("# Migration checklist: Imported from Tencent Cloud (ap-guangzhou)\n"));
        let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(headings.len(), 7, "one per classic instance of the bundle");
        assert!(headings.windows(2).all(|w| w[0] < w[1]), "sorted by ID");
        assert!(md.contains("- [ ] (optional) Create snapshots of its data disks (ins-web01)"));
        assert!(md.contains("`ModifyInstancesVpcAttribute`"));
        assert!(md.contains("- [ ] Remove the link ins-web01 -> vpc-prod just before the switch"));
        assert!(
            md.contains("### Afterwards\n\n- [ ] Bind the new VPC CVM to lb-prod (a CLB of vpc-prod) once it exists")
        );
        assert!(md.contains("- [ ] Review the rules holding its classic IP 10.66.12.7"));
        assert!(md.ends_with('\n'));
        let empty = to_markdown(&checklist(&Plan::default()));
        assert_eq!(empty, "# Migration checklist: plan\n\nNo classic instances to migrate.\n");
        // Names with line breaks stay on their line: they add no heading or check box of their own.
        let mut named = plan.clone();
        named.name = "move\n## ins-fake\n- [x] done".into();
        named.classic[0].name = "web\r\n- [x] done".into();
        let md = to_markdown(&checklist(&named));
        assert!(md.starts_with("# Migration checklist: move ## ins-fake - [x] done\n"), "{md}");
        assert_eq!(md.lines().filter(|l| l.starts_with("## ")).count(), 7);
        assert!(!md.lines().any(|l| l.starts_with("- [x]")), "{md}");
        // A lone carriage return ends a Markdown line too, and a tab is no part of a name on one line.
        for name in ["web\r- [x] done", "web\t- [x] done", "web\u{b}- [x] done"] {
            let mut named = plan.clone();
            named.classic[0].name = name.into();
            let md = to_markdown(&checklist(&named));
            assert!(!md.contains(['\r', '\t', '\u{b}']), "{name:?}: {md:?}");
            let heading = format!("## {} (", named.classic[0].id);
            let line = md.lines().find(|l| l.starts_with(&heading)).expect("its heading");
            assert!(line.contains(", web - [x] done, "), "{name:?}: {line}");
        }
    }
}
