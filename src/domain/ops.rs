//! Operations: pure functions from plan to plan or refusal, as the real service decides them.
//!
//! [`attach`] and [`detach`] simulate `AttachClassicLinkVpc` and `DetachClassicLinkVpc`: all or nothing. One bad
//! instance refuses the whole call and nothing changes (the input plan is never modified; a new plan is returned
//! on success). The real API returns one error per call; the planner checks in a fixed order and the first check
//! that fails is the refusal, naming every instance of the call that fails that same check.
//!
//! `attach` checks, in order ([`ATTACH_CHECKS`]):
//!
//! 1. `InvalidParameterValue.Malformed`: the VPC ID or an instance ID is not an ID (letters, digits, `-`, `_`,
//!    not empty), or no instance is named.
//! 2. `InvalidParameterValue.LimitExceeded`: more than [`MAX_INSTANCES_PER_CALL`] (100) instances in one call.
//!    The API documents the code but not the number: 100 is our assumption (the API's usual page limit).
//! 3. `ResourceNotFound`: the VPC does not exist; then an instance is not a classic instance of the plan or was
//!    returned.
//! 4. `UnsupportedOperation` (CL018): the account is VPC-only.
//! 5. `UnsupportedOperation` (CL005): an instance is not a CVM.
//! 6. `UnsupportedOperation` (CL004): an instance is in another region than the VPC.
//! 7. `UnsupportedOperation.CIDRUnSupportedClassicLink` (CL001): the VPC's CIDR is outside
//!    10.0.0.0/16 - 10.47.0.0/16.
//! 8. `UnsupportedOperation.ClassicInstanceIdAlreadyExists` (CL002): an instance is named twice in the call, or
//!    already holds a link (to any VPC, this one included). A link the plan lists that Tencent Cloud would have
//!    refused (a VPC outside 10.0-47 or in another region, a second VPC, past the quota) holds nothing, as in the
//!    check and in reachability; a link an IP change invalidated still holds until it is detached (seed 001).
//! 9. `LimitExceeded` (CL003): the VPC's live links plus the new ones exceed `quotas.links_per_vpc`.
//!
//! A stopped or isolated CVM can be attached (nothing in the documentation forbids it). On success each new link
//! records the instance's current IP, appended in the order named.
//!
//! `detach` checks, in order ([`DETACH_CHECKS`]): `InvalidParameterValue.Malformed` (bad ID, none named, or the
//! same ID twice), then `ResourceNotFound` (the VPC does not exist; then an instance is not linked to that VPC:
//! unknown, returned - its link went with it - or linked elsewhere). No per-call limit is modelled for detach (the
//! API documents none). On success every link of those instances to that VPC is removed, a link Tencent Cloud
//! would have refused included: it carries nothing, and detaching it is how a plan drops it (the real service,
//! which never made it, would answer `ResourceNotFound`).
//!
//! [`apply`] plays a lifecycle event on a classic CVM, as the seeds say it affects the link it holds (the one Tencent
//! Cloud made of those the plan lists, as attach, the check and reachability see it): an IP change invalidates it
//! (it stays, recording the old IP), isolation, migration, failover, reconfiguration, OS switch and stop/start leave
//! it, and returning the CVM removes it. Its other listed links were never made and are said so; the plan still
//! records the old IP on each of them on an IP change, and drops them all on return. Returning also removes the CVM from every CLB's
//! backends (a returned instance is gone; the plan keeps it in `classic` with state `returned` so that the user
//! sees what happened).

use super::load::valid_id;
use super::model::{Kind, Link, Name, Plan, Platforms, State};
use super::rules::{count, id_list, not_in_range, state_phrase};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use std::net::Ipv4Addr;

/// The most `InstanceIds` one `AttachClassicLinkVpc` call takes (our assumption, see the module documentation).
pub const MAX_INSTANCES_PER_CALL: usize = 100;

/// Why an operation was refused, as the real API would say it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The API error code (`UnsupportedOperation.CIDRUnSupportedClassicLink`).
    pub api_error: &'static str,
    /// The catalogue rule behind it, if any.
    pub rule: Option<&'static str>,
    /// One sentence naming the objects and the reason.
    pub message: String,
    /// The objects involved, each once: the VPC where the reason is the VPC's (no such VPC, its CIDR, its region,
    /// its quota, a call too large for it), then the offending instances (all those named, for a VPC-only account).
    pub objects: Vec<String>,
}

impl Refusal {
    fn new(api_error: &'static str, rule: Option<&'static str>, objects: Vec<String>, message: String) -> Refusal {
        Refusal { api_error, rule, message, objects }
    }
}

/// One check of an operation, in the order the operation runs them (for documentation: `docs/rules.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The API error code when it fails.
    pub api_error: &'static str,
    /// The catalogue rule behind it, if any.
    pub rule: Option<&'static str>,
    /// When it fails.
    pub when: &'static str,
}

/// The checks of [`attach`], in order.
pub const ATTACH_CHECKS: &[Step] = &[
    Step {
        api_error: "InvalidParameterValue.Malformed",
        rule: None,
        when: "the VPC ID or an instance ID is malformed, or no instance is named",
    },
    Step {
        api_error: "InvalidParameterValue.LimitExceeded",
        rule: None,
        when: "more than 100 instances are named in one call",
    },
    Step {
        api_error: "ResourceNotFound",
        rule: None,
        when: "the VPC does not exist; then an instance is not a classic instance or was returned",
    },
    Step { api_error: "UnsupportedOperation", rule: Some("CL018"), when: "the account is VPC-only" },
    Step { api_error: "UnsupportedOperation", rule: Some("CL005"), when: "an instance is not a CVM" },
    Step {
        api_error: "UnsupportedOperation",
        rule: Some("CL004"),
        when: "an instance is in another region than the VPC",
    },
    Step {
        api_error: "UnsupportedOperation.CIDRUnSupportedClassicLink",
        rule: Some("CL001"),
        when: "the VPC's CIDR is outside 10.0.0.0/16 - 10.47.0.0/16",
    },
    Step {
        api_error: "UnsupportedOperation.ClassicInstanceIdAlreadyExists",
        rule: Some("CL002"),
        when: "an instance is named twice, or already holds a link (to any VPC, this one included; a link Tencent \
               Cloud would have refused holds nothing; a link an IP change invalidated holds until it is detached, \
               our reading of seed 001, which says to add the link again but not whether the old record must go \
               first: the app's Relink does both as one step)",
    },
    Step {
        api_error: "LimitExceeded",
        rule: Some("CL003"),
        when: "the VPC's linked CVMs plus the new ones exceed quotas.links_per_vpc",
    },
];

/// The checks of [`detach`], in order.
pub const DETACH_CHECKS: &[Step] = &[
    Step {
        api_error: "InvalidParameterValue.Malformed",
        rule: None,
        when: "the VPC ID or an instance ID is malformed, no instance is named, or one is named twice",
    },
    Step {
        api_error: "ResourceNotFound",
        rule: None,
        when: "the VPC does not exist; then the plan lists no link of an instance to that VPC (unknown, returned or \
               linked elsewhere); a listed link Tencent Cloud would have refused is removed too",
    },
];

fn owned(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// Refuses malformed IDs, an empty call and (for detach) repeated IDs: one refusal naming every one of them.
fn check_ids(vpc: &str, instances: &[String], repeats: bool) -> Result<(), Refusal> {
    let mut objects: Vec<String> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    if !valid_id(vpc) {
        objects.push(vpc.to_string());
        parts.push(format!("{vpc:?} is not a valid VPC ID"));
    }
    if instances.is_empty() {
        if objects.is_empty() {
            objects.push(vpc.to_string());
        }
        parts.push("no instance is named".to_string());
    }
    let bad: Vec<&str> = instances.iter().map(String::as_str).filter(|i| !valid_id(i)).collect();
    if !bad.is_empty() {
        let list = bad.iter().map(|b| format!("{b:?}")).collect::<Vec<_>>().join(", ");
        let what = if bad.len() == 1 { "is not a valid instance ID" } else { "are not valid instance IDs" };
        objects.extend(owned(&bad));
        parts.push(format!("{list} {what}"));
    }
    if repeats {
        let twice: Vec<&str> = repeated(instances).into_iter().filter(|i| !bad.contains(i)).collect();
        if !twice.is_empty() {
            objects.extend(owned(&twice));
            parts.push(format!("{} named more than once", id_list(&twice)));
        }
    }
    if parts.is_empty() {
        return Ok(());
    }
    Err(Refusal::new("InvalidParameterValue.Malformed", None, objects, parts.join("; ")))
}

/// The IDs named more than once, each once, in the order of their second appearance.
fn repeated(ids: &[String]) -> Vec<&str> {
    let mut seen = HashSet::default();
    let mut twice: Vec<&str> = Vec::new();
    for i in ids {
        if !seen.insert(i.as_str()) && !twice.contains(&i.as_str()) {
            twice.push(i);
        }
    }
    twice
}

/// The distinct classic CVMs, not returned, linked to `vpc`.
/// When `instance`'s private IP changes from `old_ip` to `new_ip`: each of its links that records no IP records the
/// one it was made for, `old_ip` (an omitted IP means the instance's current one), so that the link stays made for it
/// and is then invalid (CL010), as the IP change makes it (seed 001). A link made for `new_ip`, invalid since an
/// earlier change, stays invalid now the IP comes back ([`Link::invalidated`](crate::domain::model::Link)): the
/// seed's record is gone until the link is made again.
pub fn pin_link_ips(plan: &mut Plan, instance: &str, old_ip: std::net::Ipv4Addr, new_ip: std::net::Ipv4Addr) {
    for l in plan.links.iter_mut().filter(|l| l.instance == instance) {
        match l.ip {
            None => l.ip = Some(old_ip),
            Some(ip) if ip == new_ip && ip != old_ip => l.invalidated = true,
            Some(_) => {}
        }
    }
}

/// `AttachClassicLinkVpc`: links every instance to `vpc`, or refuses and changes nothing. The checks and their
/// order are in the module documentation ([`ATTACH_CHECKS`]).
pub fn attach(plan: &Plan, vpc: &str, instances: &[String]) -> Result<Plan, Refusal> {
    check_ids(vpc, instances, false)?;
    if instances.len() > MAX_INSTANCES_PER_CALL {
        return Err(Refusal::new(
            "InvalidParameterValue.LimitExceeded",
            None,
            vec![vpc.to_string()],
            format!("{} instances named; one call takes at most {MAX_INSTANCES_PER_CALL}", instances.len()),
        ));
    }
    let Some(v) = plan.vpc(vpc) else {
        return Err(Refusal::new("ResourceNotFound", None, vec![vpc.to_string()], format!("no VPC {vpc}")));
    };
    let classic: HashMap<&str, _> = plan.classic.iter().map(|c| (c.id.as_str(), c)).collect();
    // Each instance once, in the order first named: an instance named twice is refused as such (CL002), after the
    // checks before it, which name it once.
    let mut seen: HashSet<&str> = HashSet::default();
    let distinct: Vec<&str> = instances.iter().map(String::as_str).filter(|i| seen.insert(i)).collect();

    let missing: Vec<&str> =
        distinct.iter().copied().filter(|i| classic.get(i).is_none_or(|c| c.state == State::Returned)).collect();
    if !missing.is_empty() {
        let parts: Vec<String> = missing
            .iter()
            .map(|i| match classic.get(i) {
                Some(_) => format!("{i} was returned"),
                None if plan.vpcs.iter().any(|w| w.resources.iter().any(|r| r.id == *i)) => {
                    format!("{i} is a VPC resource, not a classic instance")
                }
                None => format!("no classic instance {i}"),
            })
            .collect();
        return Err(Refusal::new("ResourceNotFound", None, owned(&missing), parts.join("; ")));
    }
    let named: Vec<_> = distinct.iter().map(|i| classic[i]).collect();

    if plan.account.platforms == Platforms::OnlyVpc {
        return Err(Refusal::new(
            "UnsupportedOperation",
            Some("CL018"),
            owned(&distinct),
            "the account is VPC-only (registered after 2017-06-13): it has no classic network to link".to_string(),
        ));
    }
    let not_cvm: Vec<_> = named.iter().filter(|c| c.kind != Kind::Cvm).collect();
    if !not_cvm.is_empty() {
        let parts: Vec<String> = not_cvm.iter().map(|c| format!("{} is a {}", c.id, c.kind.label())).collect();
        return Err(Refusal::new(
            "UnsupportedOperation",
            Some("CL005"),
            not_cvm.iter().map(|c| c.id.to_string()).collect(),
            format!("{}: only classic CVMs can be linked", parts.join(", ")),
        ));
    }
    let elsewhere: Vec<_> = named.iter().filter(|c| c.region != v.region).collect();
    if !elsewhere.is_empty() {
        let parts: Vec<String> = elsewhere.iter().map(|c| format!("{} is in {}", c.id, c.region)).collect();
        let mut objects = vec![vpc.to_string()];
        objects.extend(elsewhere.iter().map(|c| c.id.to_string()));
        return Err(Refusal::new(
            "UnsupportedOperation",
            Some("CL004"),
            objects,
            format!("{}, {vpc} in {}: only classic CVMs of the VPC's region can be linked", parts.join(", "), v.region),
        ));
    }
    if !super::addr::in_classiclink_range(&v.cidr) {
        return Err(Refusal::new(
            "UnsupportedOperation.CIDRUnSupportedClassicLink",
            Some("CL001"),
            vec![vpc.to_string()],
            format!("{vpc}'s CIDR {} {}", v.cidr, not_in_range(&v.cidr)),
        ));
    }
    // Already linked: the link Tencent Cloud made for the instance, if any (a link it refused, such as one to a VPC
    // outside 10.0-47, never existed; a link an IP change invalidated still stands until it is detached: seed 001,
    // add it again).
    let refs = super::refs::Refs::new(plan);
    let twice = repeated(instances);
    let mut objects = owned(&twice);
    let mut parts: Vec<String> = Vec::new();
    if !twice.is_empty() {
        parts.push(format!("{} named more than once", id_list(&twice)));
    }
    let mut linked: Vec<String> = Vec::new();
    for i in instances {
        let c = refs.classic(i).expect("every named instance was found above");
        let Some(l) = refs.held(plan, c).map(|l| &plan.links[l]) else { continue };
        if objects.contains(i) {
            continue;
        }
        objects.push(i.clone());
        let now = plan.classic[c].ip;
        linked.push(match l.ip_before(now) {
            Some(was) if was == now => format!(
                "{i} is already linked to {} by a link made for {was}, invalid since its IP changed and came back \
                 (detach that link, then attach again)",
                l.vpc
            ),
            Some(was) => format!(
                "{i} is already linked to {} by a link made for {was}, invalid since its IP changed to {now} \
                 (detach that link, then attach again)",
                l.vpc
            ),
            _ => format!("{i} is already linked to {}", l.vpc),
        });
    }
    if !linked.is_empty() {
        parts.push(format!("{}: a classic CVM is linked to one VPC at a time", linked.join(", ")));
    }
    if !parts.is_empty() {
        return Err(Refusal::new(
            "UnsupportedOperation.ClassicInstanceIdAlreadyExists",
            Some("CL002"),
            objects,
            parts.join("; "),
        ));
    }
    // The CVMs Tencent Cloud linked there: links it refused, the quota's included, take no place. (CL003 also counts
    // the CVMs a plan asks to link past the quota; the VPC is full then, and the call is refused either way.)
    let v = plan.vpcs.iter().position(|v| v.id == vpc).expect("the VPC was found above");
    let have =
        (0..plan.classic.len()).filter(|&c| refs.held(plan, c).is_some_and(|l| refs.link(l).1 == Some(v))).count();
    let limit = plan.quotas.links_per_vpc as usize;
    if have + instances.len() > limit {
        return Err(Refusal::new(
            "LimitExceeded",
            Some("CL003"),
            vec![vpc.to_string()],
            format!(
                "{vpc} has {}; {} more would exceed the limit of {limit}",
                count(have, "linked classic CVM", "linked classic CVMs"),
                instances.len()
            ),
        ));
    }

    let mut out = plan.clone();
    out.links.extend(named.iter().map(|c| Link {
        instance: c.id.clone(),
        vpc: vpc.into(),
        ip: Some(c.ip),
        invalidated: false,
    }));
    Ok(out)
}

/// `DetachClassicLinkVpc`: unlinks every instance from `vpc`, or refuses and changes nothing. The checks and their
/// order are in the module documentation ([`DETACH_CHECKS`]).
pub fn detach(plan: &Plan, vpc: &str, instances: &[String]) -> Result<Plan, Refusal> {
    check_ids(vpc, instances, true)?;
    if plan.vpc(vpc).is_none() {
        return Err(Refusal::new("ResourceNotFound", None, vec![vpc.to_string()], format!("no VPC {vpc}")));
    }
    let refs = super::refs::Refs::new(plan);
    let mut bad: Vec<&str> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    for i in instances.iter().map(String::as_str) {
        let why = match refs.classic(i) {
            None => Some(format!("no classic instance {i}")),
            Some(c) if plan.classic[c].state == State::Returned => {
                Some(format!("{i} was returned, and its link with it"))
            }
            Some(c) => not_linked(plan, &refs, c, vpc),
        };
        if let Some(w) = why {
            bad.push(i);
            parts.push(w);
        }
    }
    if !bad.is_empty() {
        return Err(Refusal::new("ResourceNotFound", None, owned(&bad), parts.join("; ")));
    }
    let gone: HashSet<&str> = instances.iter().map(String::as_str).collect();
    let mut out = plan.clone();
    out.links.retain(|l| !(l.vpc == vpc && gone.contains(l.instance.as_str())));
    Ok(out)
}

/// `DetachClassicLinkVpc`, then `AttachClassicLinkVpc`, of one CVM and the VPC it holds a link to: the link made
/// again, for the CVM's IP now (the fix of a link an IP change invalidated, CL010). Refused as the detach would be.
///
/// The link the CVM holds is made again in its place in the plan, its other records to that VPC dropped as the detach
/// drops them. Played as two plan changes, the detach would first let the plan's other links be judged without it: a
/// link of the CVM to another VPC, refused as a second link, or another CVM's link refused for the quota, would be
/// the one made, and the attach then refused for it. The real service makes no link it refused, so the calls leave
/// every other link as it was; so does this. A listed link to `vpc` that Tencent Cloud never made (nothing to
/// detach) is detached and attached as two calls.
pub fn relink(plan: &Plan, vpc: &str, instance: &str) -> Result<Plan, Refusal> {
    let refs = super::refs::Refs::new(plan);
    // A link the CVM holds to `vpc` is one the detach accepts (the CVM exists, is not returned, and lists it).
    let held = refs.classic(instance).and_then(|c| refs.held(plan, c)).filter(|&h| plan.links[h].vpc == vpc);
    let Some(h) = held else {
        let one = [instance.to_string()];
        return detach(plan, vpc, &one).and_then(|p| attach(&p, vpc, &one));
    };
    let ip = plan.classic_instance(instance).map(|c| c.ip);
    let mut out = plan.clone();
    out.links = (plan.links.iter().enumerate())
        .filter(|&(l, link)| l == h || !(link.instance == instance && link.vpc == vpc))
        .map(|(l, link)| if l == h { Link { ip, invalidated: false, ..link.clone() } } else { link.clone() })
        .collect();
    Ok(out)
}

/// Why the `c`th classic instance cannot be detached from `vpc`, if it cannot: no link it lists names `vpc` (a link
/// Tencent Cloud refused included: detaching it drops it). The refusal names the VPC of the link it holds, as attach
/// does; else the VPC of its first listed link, saying that link was never made.
fn not_linked(plan: &Plan, refs: &super::refs::Refs<'_>, c: usize, vpc: &str) -> Option<String> {
    let i = &plan.classic[c].id;
    let vpc_of = |l: usize| plan.links[l].vpc.as_str();
    let listed = refs.links_of(c);
    if listed.iter().any(|&l| vpc_of(l as usize) == vpc) {
        return None;
    }
    Some(match (refs.held(plan, c), listed.first()) {
        (Some(h), _) => format!("{i} is not linked to {vpc} (it is linked to {})", vpc_of(h)),
        (None, Some(&first)) => format!(
            "{i} is not linked to {vpc} (it holds no link: its listed link to {} was never made)",
            vpc_of(first as usize)
        ),
        (None, None) => format!("{i} is not linked to {vpc}"),
    })
}

/// What a change did to the plan's OTHER listed links: each link listed in both plans (by instance, VPC and recorded
/// IP) that Tencent Cloud would make in one and refuse in the other. Links are made as listed, in plan order, so
/// detaching the link a CVM holds lets a later listed link of it (refused until then as a second link), or another
/// CVM's link refused for the VPC's quota, be the one made: in the real service nothing is made until it is
/// attached, so the plan then asks for that link. Said, so that no link changes unseen.
pub fn knock_on(old: &Plan, new: &Plan) -> Vec<String> {
    let (a, b) = (super::Refs::new(old), super::Refs::new(new));
    let key = |l: &Link| (l.instance.clone(), l.vpc.clone(), l.ip);
    let mut before: HashMap<(Name, Name, Option<Ipv4Addr>), bool> = HashMap::default();
    for (i, l) in old.links.iter().enumerate() {
        before.entry(key(l)).or_insert_with(|| a.link_fate(old, i).made());
    }
    let mut said: HashSet<(Name, Name, Option<Ipv4Addr>)> = HashSet::default();
    let mut out = Vec::new();
    for (i, l) in new.links.iter().enumerate() {
        let k = key(l);
        let Some(&was) = before.get(&k) else { continue };
        if !said.insert(k) {
            continue;
        }
        let fate = b.link_fate(new, i);
        match (was, fate.made()) {
            (false, true) => out.push(format!(
                "{}'s listed link to {}, refused until now, is now the one the plan makes (an export of the change \
                 detaches what it replaces, then attaches it; or remove it from the plan)",
                l.instance, l.vpc
            )),
            (true, false) => out.push(format!(
                "{}'s link to {} is now one Tencent Cloud refuses: {}",
                l.instance,
                l.vpc,
                fate.why(new, i).unwrap_or_default()
            )),
            _ => {}
        }
    }
    out
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

impl Event {
    /// What a sentence calls it ("isolation for arrears").
    pub fn label(&self) -> &'static str {
        match self {
            Event::ChangeIp(_) => "an IP change",
            Event::IsolateForArrears => "isolation for arrears",
            Event::SecurityIsolate => "security isolation",
            Event::ColdMigrate => "a cold migration",
            Event::Failover => "a failover",
            Event::Reconfigure => "a configuration change",
            Event::SwitchOs => "an OS switch",
            Event::Stop => "stopping",
            Event::Start => "starting",
            Event::Return => "returning",
        }
    }
}

/// What an event did.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The plan after the event.
    pub plan: Plan,
    /// Sentences saying what happened, the link first.
    pub effects: Vec<String>,
}

/// Applies a lifecycle event to a classic CVM.
///
/// Refused with `ResourceNotFound` when no classic instance has that ID or it was returned (it is gone), and with
/// `UnsupportedOperation` when it is not a CVM (these are CVM events).
pub fn apply(plan: &Plan, instance: &str, event: Event) -> Result<Outcome, Refusal> {
    let Some(c) = plan.classic_instance(instance) else {
        return Err(Refusal::new(
            "ResourceNotFound",
            None,
            vec![instance.to_string()],
            format!("no classic instance {instance}"),
        ));
    };
    if c.kind != Kind::Cvm {
        return Err(Refusal::new(
            "UnsupportedOperation",
            None,
            vec![instance.to_string()],
            format!("{instance} is a {}, not a CVM: {} applies to CVMs", c.kind.label(), event.label()),
        ));
    }
    if c.state == State::Returned {
        return Err(Refusal::new(
            "ResourceNotFound",
            None,
            vec![instance.to_string()],
            format!("{instance} was returned: it no longer exists"),
        ));
    }
    let old_ip = c.ip;
    let old_state = c.state;
    // The link it holds (the one Tencent Cloud made of those the plan lists), and the VPCs of its other listed
    // links, each once: those links were never made, and carry nothing whatever happens to the CVM.
    let refs = super::refs::Refs::new(plan);
    let held = refs.classic(instance).and_then(|ci| refs.held(plan, ci));
    let held_vpc = held.map(|l| plan.links[l].vpc.as_str());
    let mut never: Vec<&str> = Vec::new();
    for l in plan.links.iter().filter(|l| l.instance == instance) {
        if Some(l.vpc.as_str()) != held_vpc && !never.contains(&l.vpc.as_str()) {
            never.push(l.vpc.as_str());
        }
    }
    let never_made = |effects: &mut Vec<String>, then: &str| {
        for v in &never {
            effects.push(format!("{instance}'s link to {v} was never made (Tencent Cloud refused it): {then}"));
        }
    };
    let mut out = plan.clone();
    let mut effects = Vec::new();
    let set_state = |out: &mut Plan, effects: &mut Vec<String>, s: State| {
        if old_state == s {
            effects.push(format!("{instance} is already {}", state_phrase(s)));
        } else {
            out.classic.iter_mut().filter(|c| c.id == instance).for_each(|c| c.state = s);
            effects.push(format!("{instance} is now {}", state_phrase(s)));
        }
    };
    let stays = |effects: &mut Vec<String>, why: &str| {
        match held_vpc {
            Some(v) => effects.push(format!("{instance} stays linked to {v}{why}")),
            None => effects.push(format!("{instance} is not linked to any VPC")),
        }
        never_made(effects, "it links nothing");
    };
    if let Event::ChangeIp(ip) = event {
        // One address, one live holder in a region's classic network (the plan reader refuses two): a returned
        // instance no longer holds its address.
        let holder = plan
            .classic
            .iter()
            .find(|o| o.id != instance && o.ip == ip && o.region == c.region && o.state != State::Returned);
        if let Some(o) = holder {
            return Err(Refusal::new(
                "InvalidParameterValue",
                None,
                vec![instance.to_string(), o.id.to_string()],
                format!(
                    "{ip} is already {}'s address in {}'s classic network: pick an address no instance holds",
                    o.id, c.region
                ),
            ));
        }
    }
    match event {
        Event::ChangeIp(ip) => {
            if ip == old_ip {
                stays(&mut effects, "");
                effects.push(format!("{instance}'s private IP is already {ip}: nothing changes"));
            } else {
                // Every listed link records the IP it was made for (or would have been); only the held one was made.
                pin_link_ips(&mut out, instance, old_ip, ip);
                match held.map(|h| &out.links[h]) {
                    None => effects.push(format!("{instance} is not linked to any VPC")),
                    Some(l) => effects.push(if l.ip.unwrap_or(old_ip) == ip {
                        format!(
                            "{instance}'s link to {} was made for {ip}, its IP again, and stays invalid: an IP change \
                             invalidated it (seed 001); detach and attach it again",
                            l.vpc
                        )
                    } else {
                        format!(
                            "{instance}'s link to {} is invalid: it was made for {}; detach and attach it again",
                            l.vpc,
                            l.ip.unwrap_or(old_ip)
                        )
                    }),
                }
                never_made(&mut effects, "it links nothing");
                out.classic.iter_mut().filter(|c| c.id == instance).for_each(|c| c.ip = ip);
                effects.push(format!("{instance}'s private IP changed from {old_ip} to {ip}"));
            }
        }
        Event::IsolateForArrears | Event::SecurityIsolate | Event::Stop | Event::Start => {
            let why = match event {
                Event::Start => String::new(),
                e => format!(": {} does not unlink", e.label()),
            };
            stays(&mut effects, &why);
            let s = match event {
                Event::IsolateForArrears => State::Isolated,
                Event::SecurityIsolate => State::SecurityIsolated,
                Event::Stop => State::Stopped,
                _ => State::Running,
            };
            set_state(&mut out, &mut effects, s);
        }
        Event::ColdMigrate | Event::Failover | Event::Reconfigure | Event::SwitchOs => {
            stays(&mut effects, &format!(": {} does not unlink", event.label()));
            effects.push(format!("{instance}'s state is unchanged ({})", state_phrase(old_state)));
        }
        Event::Return => {
            match held_vpc {
                Some(v) => effects
                    .push(format!("{instance}'s link to {v} was removed automatically: returning a CVM unlinks it")),
                None => effects.push(format!("{instance} is not linked to any VPC")),
            }
            never_made(&mut effects, &format!("the plan drops it with {instance}"));
            out.links.retain(|l| l.instance != instance);
            set_state(&mut out, &mut effects, State::Returned);
            let mut clbs: Vec<String> = Vec::new();
            let lbs = out
                .classic
                .iter_mut()
                .map(|c| (&c.id, &mut c.backends))
                .chain(out.vpcs.iter_mut().flat_map(|v| v.resources.iter_mut().map(|r| (&r.id, &mut r.backends))));
            for (id, backends) in lbs {
                let before = backends.len();
                backends.retain(|b| b != instance);
                if backends.len() != before {
                    clbs.push(id.to_string());
                }
            }
            if !clbs.is_empty() {
                effects.push(format!("{instance} was removed from the backends of {}", clbs.join(", ")));
            }
        }
    }
    // Returning a CVM takes its links out of the plan: a link of another CVM refused for the quota may then be made.
    effects.extend(knock_on(plan, &out));
    Ok(Outcome { plan: out, effects })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::check::check_rules;
    use crate::domain::rules::rule;
    use crate::domain::rules::testing::plan;

    const BASE: &str = r#"
        "quotas": {"links_per_vpc": 3},
        "classic": [
          {"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"},
          {"id": "ins-b", "kind": "cvm", "region": "r1", "ip": "10.66.0.2"},
          {"id": "ins-c", "kind": "cvm", "region": "r1", "ip": "10.66.0.3"},
          {"id": "ins-stop", "kind": "cvm", "region": "r1", "ip": "10.66.0.4", "state": "stopped"},
          {"id": "ins-gone", "kind": "cvm", "region": "r1", "ip": "10.66.0.5", "state": "returned"},
          {"id": "ins-bj", "kind": "cvm", "region": "r2", "ip": "10.66.0.6"},
          {"id": "cdb-1", "kind": "mysql", "region": "r1", "ip": "10.66.0.7"},
          {"id": "lb-old", "kind": "clb", "region": "r1", "ip": "10.66.0.8", "backends": ["ins-a", "ins-b"]}],
        "vpcs": [
          {"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16",
           "subnets": [{"id": "sn", "cidr": "10.0.1.0/24"}],
           "resources": [{"id": "ins-p", "kind": "cvm", "subnet": "sn", "ip": "10.0.1.5"},
                         {"id": "lb-x", "kind": "clb", "subnet": "sn", "ip": "10.0.1.6", "backends": ["ins-p", "ins-a"]}]},
          {"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16"},
          {"id": "vpc-out", "region": "r1", "cidr": "172.16.0.0/16"}],
        "links": [{"instance": "ins-c", "vpc": "vpc-y"}, {"instance": "ins-gone", "vpc": "vpc-y"}]"#;

    fn base() -> Plan {
        plan(BASE)
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// The position of a refusal in the documented order.
    fn step(r: &Refusal, steps: &[Step]) -> usize {
        steps
            .iter()
            .position(|s| s.api_error == r.api_error && s.rule == r.rule)
            .unwrap_or_else(|| panic!("{r:?} is not a documented step"))
    }

    /// Every refusal's rule is a catalogued rule with the same API code.
    fn consistent(r: &Refusal) {
        if let Some(id) = r.rule {
            assert_eq!(rule(id).expect("a catalogued rule").info.api_error, Some(r.api_error), "{r:?}");
        }
    }

    #[test]
    fn attach_links_every_instance_with_its_current_ip() {
        let p = base();
        let out = attach(&p, "vpc-x", &ids(&["ins-a", "ins-stop"])).unwrap();
        let mut want = p.clone();
        want.links.push(Link {
            instance: "ins-a".into(),
            vpc: "vpc-x".into(),
            ip: Some("10.66.0.1".parse().unwrap()),
            invalidated: false,
        });
        want.links.push(Link {
            instance: "ins-stop".into(),
            vpc: "vpc-x".into(),
            ip: Some("10.66.0.4".parse().unwrap()),
            invalidated: false,
        });
        assert_eq!(out, want);
        // What attach allows, the link rules accept.
        for f in check_rules(&out) {
            assert!(!["CL001", "CL002", "CL003", "CL004", "CL005", "CL010"].contains(&f.rule), "{f:?}");
        }
    }

    /// A link an IP change invalidated stands until it is detached: attaching again is refused with the API's code,
    /// and the message says what to do; detached, the CVM attaches again at its current IP.
    #[test]
    fn attaching_again_after_an_ip_change_says_to_detach_first() {
        let p = plan(
            r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}],
               "vpcs": [{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}],
               "links": [{"instance": "ins-a", "vpc": "vpc-x", "ip": "10.66.0.99"}]"#,
        );
        let r = attach(&p, "vpc-x", &ids(&["ins-a"])).unwrap_err();
        assert_eq!((r.api_error, r.rule), ("UnsupportedOperation.ClassicInstanceIdAlreadyExists", Some("CL002")));
        assert_eq!(
            r.message,
            "ins-a is already linked to vpc-x by a link made for 10.66.0.99, invalid since its IP changed to \
             10.66.0.1 (detach that link, then attach again): a classic CVM is linked to one VPC at a time"
        );
        let p = attach(&detach(&p, "vpc-x", &ids(&["ins-a"])).unwrap(), "vpc-x", &ids(&["ins-a"])).unwrap();
        assert_eq!(p.links[0].ip, Some("10.66.0.1".parse().unwrap()));
    }

    #[test]
    fn attach_refusals() {
        let many: Vec<String> = (0..101).map(|i| format!("ins-{i}")).collect();
        let hundred: Vec<String> = (0..100).map(|i| format!("ins-{i}")).collect();
        type Want = (&'static str, Option<&'static str>, Vec<String>, &'static str);
        let table: Vec<(&str, Vec<String>, Want)> = vec![
            ("", ids(&["ins-a"]), ("InvalidParameterValue.Malformed", None, ids(&[""]), "\"\" is not a valid VPC ID")),
            ("vpc x", ids(&["ins-a"]), ("InvalidParameterValue.Malformed", None, ids(&["vpc x"]), "\"vpc x\" is not a valid VPC ID")),
            ("vpc-x", vec![], ("InvalidParameterValue.Malformed", None, ids(&["vpc-x"]), "no instance is named")),
            // One refusal names everything that fails the check.
            (
                "bad id",
                ids(&["ins-a", "x y"]),
                (
                    "InvalidParameterValue.Malformed",
                    None,
                    ids(&["bad id", "x y"]),
                    "\"bad id\" is not a valid VPC ID; \"x y\" is not a valid instance ID",
                ),
            ),
            (
                "bad id",
                vec![],
                (
                    "InvalidParameterValue.Malformed",
                    None,
                    ids(&["bad id"]),
                    "\"bad id\" is not a valid VPC ID; no instance is named",
                ),
            ),
            (
                "vpc-x",
                ids(&["ins-a", "ins b", "ins/c"]),
                ("InvalidParameterValue.Malformed", None, ids(&["ins b", "ins/c"]), "\"ins b\", \"ins/c\" are not valid instance IDs"),
            ),
            (
                "vpc-x",
                many.clone(),
                ("InvalidParameterValue.LimitExceeded", None, ids(&["vpc-x"]), "101 instances named; one call takes at most 100"),
            ),
            // 100 is allowed: the call goes on to the next check.
            ("vpc-zz", hundred, ("ResourceNotFound", None, ids(&["vpc-zz"]), "no VPC vpc-zz")),
            ("vpc-zz", ids(&["ins-zz"]), ("ResourceNotFound", None, ids(&["vpc-zz"]), "no VPC vpc-zz")),
            (
                "vpc-x",
                ids(&["ins-a", "ins-zz", "ins-gone", "ins-p"]),
                (
                    "ResourceNotFound",
                    None,
                    ids(&["ins-zz", "ins-gone", "ins-p"]),
                    "no classic instance ins-zz; ins-gone was returned; ins-p is a VPC resource, not a classic instance",
                ),
            ),
            (
                "vpc-x",
                ids(&["ins-a", "cdb-1", "lb-old"]),
                (
                    "UnsupportedOperation",
                    Some("CL005"),
                    ids(&["cdb-1", "lb-old"]),
                    "cdb-1 is a MySQL, lb-old is a CLB: only classic CVMs can be linked",
                ),
            ),
            (
                "vpc-x",
                ids(&["ins-bj"]),
                (
                    "UnsupportedOperation",
                    Some("CL004"),
                    ids(&["vpc-x", "ins-bj"]),
                    "ins-bj is in r2, vpc-x in r1: only classic CVMs of the VPC's region can be linked",
                ),
            ),
            (
                "vpc-out",
                ids(&["ins-a"]),
                (
                    "UnsupportedOperation.CIDRUnSupportedClassicLink",
                    Some("CL001"),
                    ids(&["vpc-out"]),
                    "vpc-out's CIDR 172.16.0.0/16 is outside 10.0.0.0/16 - 10.47.0.0/16",
                ),
            ),
            (
                "vpc-x",
                ids(&["ins-a", "ins-b", "ins-a"]),
                ("UnsupportedOperation.ClassicInstanceIdAlreadyExists", Some("CL002"), ids(&["ins-a"]), "ins-a named more than once"),
            ),
            (
                "vpc-x",
                ids(&["ins-a", "ins-c"]),
                (
                    "UnsupportedOperation.ClassicInstanceIdAlreadyExists",
                    Some("CL002"),
                    ids(&["ins-c"]),
                    "ins-c is already linked to vpc-y: a classic CVM is linked to one VPC at a time",
                ),
            ),
            (
                "vpc-x",
                ids(&["ins-c", "ins-a", "ins-a", "ins-c"]),
                (
                    "UnsupportedOperation.ClassicInstanceIdAlreadyExists",
                    Some("CL002"),
                    ids(&["ins-a", "ins-c"]),
                    "ins-a, ins-c named more than once",
                ),
            ),
            (
                "vpc-x",
                ids(&["ins-c", "ins-a", "ins-a"]),
                (
                    "UnsupportedOperation.ClassicInstanceIdAlreadyExists",
                    Some("CL002"),
                    ids(&["ins-a", "ins-c"]),
                    "ins-a named more than once; ins-c is already linked to vpc-y: a classic CVM is linked to one VPC \
                     at a time",
                ),
            ),
            (
                "vpc-y",
                ids(&["ins-c"]),
                (
                    "UnsupportedOperation.ClassicInstanceIdAlreadyExists",
                    Some("CL002"),
                    ids(&["ins-c"]),
                    "ins-c is already linked to vpc-y: a classic CVM is linked to one VPC at a time",
                ),
            ),
            // vpc-y has 1 live link (ins-gone's link went with it); the quota is 3.
            (
                "vpc-y",
                ids(&["ins-a", "ins-b", "ins-stop"]),
                (
                    "LimitExceeded",
                    Some("CL003"),
                    ids(&["vpc-y"]),
                    "vpc-y has 1 linked classic CVM; 3 more would exceed the limit of 3",
                ),
            ),
        ];
        for (vpc, ins, (code, rule_id, objects, message)) in table {
            let p = base();
            let before = p.clone();
            let r = attach(&p, vpc, &ins).expect_err(&format!("attach {vpc} {ins:?} is refused"));
            assert_eq!(p, before, "all or nothing");
            assert_eq!(
                (r.api_error, r.rule, &r.objects, r.message.as_str()),
                (code, rule_id, &objects, message),
                "attach {vpc} {ins:?}"
            );
            consistent(&r);
            step(&r, ATTACH_CHECKS);
        }
        // The quota's edge: 1 + 2 = 3 is fine.
        assert!(attach(&base(), "vpc-y", &ids(&["ins-a", "ins-b"])).is_ok());
    }

    /// The quota counts the CVMs Tencent Cloud linked, as CL003 and reachability do: a link it refused (another
    /// region) takes no place.
    #[test]
    fn attach_counts_only_links_tencent_made_against_the_quota() {
        let p = plan(
            r#""quotas": {"links_per_vpc": 1},
            "classic": [{"id": "ins-bj", "kind": "cvm", "region": "bj", "ip": "10.66.0.1"},
                        {"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.2"},
                        {"id": "ins-b", "kind": "cvm", "region": "r1", "ip": "10.66.0.3"}],
            "vpcs": [{"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16"}],
            "links": [{"instance": "ins-bj", "vpc": "vpc-y"}]"#,
        );
        let linked = attach(&p, "vpc-y", &ids(&["ins-a"])).expect("the cross-region link takes no place");
        let r = attach(&linked, "vpc-y", &ids(&["ins-b"])).unwrap_err();
        assert_eq!(
            (r.api_error, r.message.as_str()),
            ("LimitExceeded", "vpc-y has 1 linked classic CVM; 1 more would exceed the limit of 1")
        );
        // A link listed past the quota was never made either: the VPC still has the one CVM it linked.
        let mut past = linked.clone();
        past.links.push(Link { instance: "ins-b".into(), vpc: "vpc-y".into(), ip: None, invalidated: false });
        let r = attach(&past, "vpc-y", &ids(&["ins-b"])).unwrap_err();
        assert_eq!(r.message, "vpc-y has 1 linked classic CVM; 1 more would exceed the limit of 1");
    }

    /// A link the plan lists that Tencent Cloud would have refused never existed: it does not make its CVM
    /// "already linked", as the check and reachability see it too; one an IP change invalidated does. Detach
    /// removes a refused link, so that a plan can drop it.
    #[test]
    fn a_link_tencent_refused_does_not_make_its_cvm_linked() {
        let p = plan(
            r#""quotas": {"links_per_vpc": 1},
            "classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"},
                        {"id": "ins-b", "kind": "cvm", "region": "r1", "ip": "10.66.0.2"},
                        {"id": "ins-c", "kind": "cvm", "region": "r1", "ip": "10.66.0.3"}],
            "vpcs": [{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"},
                     {"id": "vpc-out", "region": "r1", "cidr": "172.16.0.0/16"},
                     {"id": "vpc-full", "region": "r1", "cidr": "10.2.0.0/16"}],
            "links": [{"instance": "ins-a", "vpc": "vpc-out"},
                      {"instance": "ins-c", "vpc": "vpc-full"}, {"instance": "ins-b", "vpc": "vpc-full"}]"#,
        );
        // ins-a's link to a VPC outside 10.0-47, ins-b's past vpc-full's quota of 1: neither holds a link.
        let out = attach(&p, "vpc-x", &ids(&["ins-a"])).expect("ins-a holds no link");
        assert!(check_rules(&out).iter().all(|f| f.rule != "CL002"), "{:?}", check_rules(&out));
        let r = attach(&p, "vpc-x", &ids(&["ins-b", "ins-c"])).unwrap_err();
        assert_eq!((r.rule, &r.objects), (Some("CL002"), &ids(&["ins-c"])), "ins-c holds its link: {r:?}");
        // Detach drops the refused link from the plan.
        let out = detach(&p, "vpc-out", &ids(&["ins-a"])).unwrap();
        assert!(out.links.iter().all(|l| l.instance != "ins-a"));
    }

    /// Links are made as listed: detaching or returning the link a CVM holds lets a listed link refused until then
    /// be the one made. The change says so (`knock_on`), for the CLI and the app to tell.
    #[test]
    fn detaching_or_returning_says_which_refused_links_the_plan_now_makes() {
        let p = plan(
            r#""quotas": {"links_per_vpc": 1},
            "classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"},
                        {"id": "ins-b", "kind": "cvm", "region": "r1", "ip": "10.66.0.2"}],
            "vpcs": [{"id": "vpc-a", "region": "r1", "cidr": "10.0.0.0/16"},
                     {"id": "vpc-b", "region": "r1", "cidr": "10.1.0.0/16"}],
            "links": [{"instance": "ins-a", "vpc": "vpc-a"}, {"instance": "ins-a", "vpc": "vpc-b"},
                      {"instance": "ins-b", "vpc": "vpc-a"}]"#,
        );
        assert_eq!(knock_on(&p, &p), Vec::<String>::new());
        let out = detach(&p, "vpc-a", &ids(&["ins-a"])).unwrap();
        assert_eq!(
            knock_on(&p, &out),
            [
                "ins-a's listed link to vpc-b, refused until now, is now the one the plan makes (an export of the \
                 change detaches what it replaces, then attaches it; or remove it from the plan)",
                "ins-b's listed link to vpc-a, refused until now, is now the one the plan makes (an export of the \
                 change detaches what it replaces, then attaches it; or remove it from the plan)"
            ]
        );
        let fx = apply(&p, "ins-a", Event::Return).unwrap().effects;
        assert!(fx.iter().any(|e| e.starts_with("ins-b's listed link to vpc-a, refused until now")), "{fx:?}");
        // A new link comes last: it changes no other link's fate.
        let linked = attach(&out, "vpc-b", &ids(&["ins-b"])).unwrap_err();
        assert_eq!(linked.rule, Some("CL002"), "ins-b holds vpc-a now");
    }

    /// Relinking (detach, then attach) makes the CVM's link again for its IP now and leaves every other link as it
    /// was: a link of the CVM to another VPC refused as a second link, or another CVM's link refused for the quota,
    /// is not made by the detach in between (played as two plan changes, it was, and the attach was refused for it).
    #[test]
    fn relinking_makes_the_link_again_and_no_other() {
        let second = plan(
            r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.9"}],
            "vpcs": [{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"},
                     {"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16"}],
            "links": [{"instance": "ins-a", "vpc": "vpc-x", "ip": "10.66.0.1"}, {"instance": "ins-a", "vpc": "vpc-y"},
                      {"instance": "ins-a", "vpc": "vpc-x", "ip": "10.66.0.1"}]"#,
        );
        let quota = plan(
            r#""quotas": {"links_per_vpc": 1},
            "classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.9"},
                        {"id": "ins-b", "kind": "cvm", "region": "r1", "ip": "10.66.0.2"}],
            "vpcs": [{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}],
            "links": [{"instance": "ins-a", "vpc": "vpc-x", "ip": "10.66.0.1"}, {"instance": "ins-b", "vpc": "vpc-x"}]"#,
        );
        let a = ids(&["ins-a"]);
        for (name, p) in [("a refused second link", &second), ("a link refused for the quota", &quota)] {
            // Played as two plan changes, the detach lets the refused link be made, and the attach is refused.
            let two = detach(p, "vpc-x", &a).and_then(|d| attach(&d, "vpc-x", &a));
            assert!(two.is_err(), "{name}: {two:?}");
            let out = relink(p, "vpc-x", "ins-a").unwrap_or_else(|r| panic!("{name}: {r:?}"));
            let made_again = Link {
                instance: "ins-a".into(),
                vpc: "vpc-x".into(),
                ip: Some([10, 66, 0, 9].into()),
                invalidated: false,
            };
            assert_eq!(out.links[0], made_again, "{name}: in its place, for the IP now");
            assert_eq!(out.links[1..], p.links[1..2], "{name}: the other links as they were, the record twice dropped");
            let rules: Vec<&str> = check_rules(&out).iter().map(|f| f.rule).collect();
            assert!(!rules.contains(&"CL010"), "{name}: the link works: {rules:?}");
            assert_eq!(knock_on(p, &out), Vec::<String>::new(), "{name}");
        }
        // A CVM not linked to that VPC is refused as the detach refuses it.
        assert_eq!(
            relink(&second, "vpc-y", "ins-a"),
            detach(&second, "vpc-y", &a).and_then(|d| attach(&d, "vpc-y", &a))
        );
        assert_eq!(
            relink(&quota, "vpc-x", "ins-zz").unwrap_err(),
            detach(&quota, "vpc-x", &ids(&["ins-zz"])).unwrap_err()
        );
    }

    /// An instance named twice in an attach is named once by the checks before the one that refuses the repetition
    /// (CL002): an unknown one, one that is no CVM, one of another region.
    #[test]
    fn an_instance_named_twice_is_named_once_by_each_refusal() {
        let p = plan(
            r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r2", "ip": "10.66.0.1"},
                           {"id": "cdb-1", "kind": "mysql", "region": "r1", "ip": "10.66.0.2"}],
            "vpcs": [{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}]"#,
        );
        for (ins, rule, objects, message) in [
            ("ins-zz", None, vec!["ins-zz"], "no classic instance ins-zz"),
            ("cdb-1", Some("CL005"), vec!["cdb-1"], "cdb-1 is a MySQL: only classic CVMs can be linked"),
            (
                "ins-a",
                Some("CL004"),
                vec!["vpc-x", "ins-a"],
                "ins-a is in r2, vpc-x in r1: only classic CVMs of the VPC's region can be linked",
            ),
        ] {
            let r = attach(&p, "vpc-x", &ids(&[ins, ins])).unwrap_err();
            assert_eq!((r.rule, r.objects, r.message.as_str()), (rule, ids(&objects), message), "{ins}");
        }
    }

    /// A classic instance that is no CVM is refused as such (CL005), in the VPC's region or another: the kind is
    /// checked before the region (CL004), as `docs/rules.md` orders them.
    #[test]
    fn attach_refuses_a_non_cvm_of_any_region_as_not_a_cvm() {
        let p = plan(
            r#""classic": [{"id": "cdb-bj", "kind": "mysql", "region": "r2", "ip": "10.66.0.7"},
                        {"id": "cdb-1", "kind": "redis", "region": "r1", "ip": "10.66.0.8"},
                        {"id": "ins-bj", "kind": "cvm", "region": "r2", "ip": "10.66.0.9"}],
            "vpcs": [{"id": "vpc-1", "region": "r1", "cidr": "10.0.0.0/16"}]"#,
        );
        /// The instances named, and the refusal's rule, objects and message.
        type Case = (Vec<String>, &'static str, Vec<String>, &'static str);
        let table: Vec<Case> = vec![
            (ids(&["cdb-bj"]), "CL005", ids(&["cdb-bj"]), "cdb-bj is a MySQL: only classic CVMs can be linked"),
            (
                ids(&["ins-bj", "cdb-bj", "cdb-1"]),
                "CL005",
                ids(&["cdb-bj", "cdb-1"]),
                "cdb-bj is a MySQL, cdb-1 is a Redis: only classic CVMs can be linked",
            ),
            (
                ids(&["ins-bj"]),
                "CL004",
                ids(&["vpc-1", "ins-bj"]),
                "ins-bj is in r2, vpc-1 in r1: only classic CVMs of the VPC's region can be linked",
            ),
        ];
        for (ins, rule_id, objects, message) in table {
            let r = attach(&p, "vpc-1", &ins).unwrap_err();
            assert_eq!(
                (r.api_error, r.rule, &r.objects, r.message.as_str()),
                ("UnsupportedOperation", Some(rule_id), &objects, message),
                "attach vpc-1 {ins:?}"
            );
            consistent(&r);
        }
    }

    #[test]
    fn attach_on_a_vpc_only_account() {
        let p = plan(&BASE.replace(r#""quotas""#, r#""account": {"platforms": "only-vpc"}, "quotas""#));
        let r = attach(&p, "vpc-x", &ids(&["ins-a", "cdb-1"])).unwrap_err();
        assert_eq!((r.api_error, r.rule), ("UnsupportedOperation", Some("CL018")));
        assert_eq!(r.objects, ids(&["ins-a", "cdb-1"]));
        consistent(&r);
        // An unknown instance is still not found first.
        assert_eq!(attach(&p, "vpc-x", &ids(&["ins-zz"])).unwrap_err().api_error, "ResourceNotFound");
    }

    #[test]
    fn attach_reports_the_first_failing_check_in_the_documented_order() {
        /// Plan, VPC, instances, the API code and rule expected.
        type Case<'p> = (&'p Plan, &'static str, Vec<String>, &'static str, Option<&'static str>);
        let only_vpc = plan(&BASE.replace(r#""quotas""#, r#""account": {"platforms": "only-vpc"}, "quotas""#));
        let mut many: Vec<String> = (0..101).map(|i| format!("ins-{i}")).collect();
        many.push("bad id".into());
        // Each call fails several checks; the refusal is the earliest.
        let table: Vec<Case> = vec![
            (&only_vpc, "vpc-x", many.clone(), "InvalidParameterValue.Malformed", None),
            (&only_vpc, "vpc-zz", many[..101].to_vec(), "InvalidParameterValue.LimitExceeded", None),
            (&only_vpc, "vpc-out", ids(&["ins-zz", "cdb-1", "ins-bj"]), "ResourceNotFound", None),
            (&only_vpc, "vpc-out", ids(&["cdb-1", "ins-bj", "ins-c"]), "UnsupportedOperation", Some("CL018")),
        ];
        let p = base();
        let more: Vec<Case> = vec![
            (&p, "vpc-out", ids(&["cdb-1", "ins-bj", "ins-c", "ins-c"]), "UnsupportedOperation", Some("CL005")),
            (&p, "vpc-out", ids(&["ins-bj", "ins-c", "ins-c"]), "UnsupportedOperation", Some("CL004")),
            (&p, "vpc-out", ids(&["ins-c", "ins-c"]), "UnsupportedOperation.CIDRUnSupportedClassicLink", Some("CL001")),
            (
                &p,
                "vpc-y",
                ids(&["ins-a", "ins-b", "ins-stop", "ins-c"]),
                "UnsupportedOperation.ClassicInstanceIdAlreadyExists",
                Some("CL002"),
            ),
        ];
        let mut last = 0;
        for (pl, vpc, ins, code, rule_id) in table.into_iter().chain(more) {
            let r = attach(pl, vpc, &ins).unwrap_err();
            assert_eq!((r.api_error, r.rule), (code, rule_id), "attach {vpc} {ins:?}");
            let at = step(&r, ATTACH_CHECKS);
            assert!(at >= last, "the table follows ATTACH_CHECKS");
            last = at;
        }
    }

    #[test]
    fn detach_unlinks_every_instance() {
        let p = plan(&BASE.replace(
            r#""links": ["#,
            r#""links": [{"instance": "ins-a", "vpc": "vpc-y"}, {"instance": "ins-c", "vpc": "vpc-y"}, "#,
        ));
        let out = detach(&p, "vpc-y", &ids(&["ins-c", "ins-a"])).unwrap();
        let left: Vec<(&str, &str)> = out.links.iter().map(|l| (l.instance.as_str(), l.vpc.as_str())).collect();
        assert_eq!(left, [("ins-gone", "vpc-y")]);
        // Attach then detach gives the plan back.
        let p = base();
        let linked = attach(&p, "vpc-x", &ids(&["ins-a", "ins-b"])).unwrap();
        assert_eq!(detach(&linked, "vpc-x", &ids(&["ins-b", "ins-a"])).unwrap(), p);
    }

    #[test]
    fn detach_refusals() {
        /// VPC, instances, the API code, objects and message expected.
        type Case = (&'static str, Vec<String>, &'static str, Vec<String>, &'static str);
        let table: Vec<Case> = vec![
            ("", ids(&["ins-c"]), "InvalidParameterValue.Malformed", ids(&[""]), "\"\" is not a valid VPC ID"),
            ("vpc-y", vec![], "InvalidParameterValue.Malformed", ids(&["vpc-y"]), "no instance is named"),
            (
                "vpc-y",
                ids(&["ins c"]),
                "InvalidParameterValue.Malformed",
                ids(&["ins c"]),
                "\"ins c\" is not a valid instance ID",
            ),
            (
                "vpc-y",
                ids(&["ins-c", "ins-c"]),
                "InvalidParameterValue.Malformed",
                ids(&["ins-c"]),
                "ins-c named more than once",
            ),
            // One refusal names everything that fails the check.
            (
                "vpc-y",
                ids(&["ins-c", "ins-c", "ins c"]),
                "InvalidParameterValue.Malformed",
                ids(&["ins c", "ins-c"]),
                "\"ins c\" is not a valid instance ID; ins-c named more than once",
            ),
            (
                "bad id",
                ids(&["ins c"]),
                "InvalidParameterValue.Malformed",
                ids(&["bad id", "ins c"]),
                "\"bad id\" is not a valid VPC ID; \"ins c\" is not a valid instance ID",
            ),
            ("vpc-zz", ids(&["ins-c"]), "ResourceNotFound", ids(&["vpc-zz"]), "no VPC vpc-zz"),
            (
                "vpc-y",
                ids(&["ins-c", "ins-a", "ins-zz", "ins-gone"]),
                "ResourceNotFound",
                ids(&["ins-a", "ins-zz", "ins-gone"]),
                "ins-a is not linked to vpc-y; no classic instance ins-zz; ins-gone was returned, and its link with it",
            ),
            (
                "vpc-x",
                ids(&["ins-c"]),
                "ResourceNotFound",
                ids(&["ins-c"]),
                "ins-c is not linked to vpc-x (it is linked to vpc-y)",
            ),
        ];
        for (vpc, ins, code, objects, message) in table {
            let p = base();
            let before = p.clone();
            let r = detach(&p, vpc, &ins).expect_err(&format!("detach {vpc} {ins:?} is refused"));
            assert_eq!(p, before, "all or nothing");
            assert_eq!((r.api_error, r.rule, &r.objects, r.message.as_str()), (code, None, &objects, message));
            step(&r, DETACH_CHECKS);
        }
    }

    /// ins-a lists a link to vpc-out (outside 10.0-47: refused) before its link to vpc-x; ins-b lists only a link to
    /// vpc-out.
    fn refused_first() -> Plan {
        plan(&BASE.replace(
            r#""links": ["#,
            r#""links": [{"instance": "ins-a", "vpc": "vpc-out"}, {"instance": "ins-a", "vpc": "vpc-x"},
                         {"instance": "ins-b", "vpc": "vpc-out"}, "#,
        ))
    }

    /// A refusal to detach names the VPC of the link the instance holds, not a listed link Tencent Cloud refused.
    #[test]
    fn detach_names_the_held_link() {
        let table = [
            ("ins-a", "vpc-y", "ins-a is not linked to vpc-y (it is linked to vpc-x)"),
            (
                "ins-b",
                "vpc-x",
                "ins-b is not linked to vpc-x (it holds no link: its listed link to vpc-out was never made)",
            ),
        ];
        for (ins, vpc, message) in table {
            let r = detach(&refused_first(), vpc, &ids(&[ins])).unwrap_err();
            assert_eq!((r.api_error, r.message.as_str()), ("ResourceNotFound", message), "{ins}");
        }
    }

    /// Lifecycle effects speak of the link the CVM holds; a listed link Tencent Cloud refused is said never made.
    /// What the plan does is unchanged: an IP change pins the IP on every listed link, returning drops them all.
    #[test]
    fn lifecycle_effects_speak_of_the_held_link() {
        let never = "ins-a's link to vpc-out was never made (Tencent Cloud refused it): it links nothing";
        let dropped = "ins-a's link to vpc-out was never made (Tencent Cloud refused it): the plan drops it with ins-a";
        let new: Ipv4Addr = "10.66.0.99".parse().unwrap();
        let table: [(&str, Event, Vec<&str>); 5] = [
            (
                "ins-a",
                Event::Stop,
                vec!["ins-a stays linked to vpc-x: stopping does not unlink", never, "ins-a is now stopped"],
            ),
            ("ins-a", Event::Start, vec!["ins-a stays linked to vpc-x", never, "ins-a is already running"]),
            (
                "ins-a",
                Event::ChangeIp(new),
                vec![
                    "ins-a's link to vpc-x is invalid: it was made for 10.66.0.1; detach and attach it again",
                    never,
                    "ins-a's private IP changed from 10.66.0.1 to 10.66.0.99",
                ],
            ),
            (
                "ins-a",
                Event::Return,
                vec![
                    "ins-a's link to vpc-x was removed automatically: returning a CVM unlinks it",
                    dropped,
                    "ins-a is now returned",
                    "ins-a was removed from the backends of lb-old, lb-x",
                ],
            ),
            (
                "ins-b",
                Event::Stop,
                vec![
                    "ins-b is not linked to any VPC",
                    "ins-b's link to vpc-out was never made (Tencent Cloud refused it): it links nothing",
                    "ins-b is now stopped",
                ],
            ),
        ];
        for (ins, event, want) in table {
            let p = refused_first();
            let (out, fx) = effects(&p, ins, event);
            assert_eq!(fx, want, "{ins} {event:?}");
            let listed = |p: &Plan| p.links.iter().filter(|l| l.instance == ins).count();
            match event {
                Event::Return => assert_eq!(listed(&out), 0, "{event:?}: every listed link goes"),
                Event::ChangeIp(_) => {
                    let ips: Vec<_> = out.links.iter().filter(|l| l.instance == ins).map(|l| l.ip).collect();
                    assert_eq!(ips, [Some("10.66.0.1".parse().unwrap()); 2], "every listed link is pinned");
                }
                _ => assert_eq!(out.links, p.links, "{event:?}"),
            }
        }
    }

    fn effects(p: &Plan, ins: &str, e: Event) -> (Plan, Vec<String>) {
        let o = apply(p, ins, e).unwrap_or_else(|r| panic!("{e:?} on {ins}: {r:?}"));
        (o.plan, o.effects)
    }

    /// ins-a linked to vpc-x (no recorded IP).
    fn linked() -> Plan {
        plan(&BASE.replace(r#""links": ["#, r#""links": [{"instance": "ins-a", "vpc": "vpc-x"}, "#))
    }

    #[test]
    fn events_that_keep_the_link() {
        let table = [
            (Event::IsolateForArrears, State::Isolated, "isolation for arrears", "ins-a is now isolated for arrears"),
            (
                Event::SecurityIsolate,
                State::SecurityIsolated,
                "security isolation",
                "ins-a is now under security isolation",
            ),
            (Event::ColdMigrate, State::Running, "a cold migration", "ins-a's state is unchanged (running)"),
            (Event::Failover, State::Running, "a failover", "ins-a's state is unchanged (running)"),
            (Event::Reconfigure, State::Running, "a configuration change", "ins-a's state is unchanged (running)"),
            (Event::SwitchOs, State::Running, "an OS switch", "ins-a's state is unchanged (running)"),
            (Event::Stop, State::Stopped, "stopping", "ins-a is now stopped"),
        ];
        for (event, state, label, second) in table {
            let p = linked();
            let (out, fx) = effects(&p, "ins-a", event);
            assert_eq!(
                fx,
                [format!("ins-a stays linked to vpc-x: {label} does not unlink"), second.to_string()],
                "{event:?}"
            );
            let mut want = p.clone();
            want.classic[0].state = state;
            assert_eq!(out, want, "{event:?}: only the state changes");
            let about_a = |rule: &str| check_rules(&out).iter().any(|f| f.rule == rule && f.objects[0] == "ins-a");
            assert!(!about_a("CL012"), "{event:?}: the link is not gone");
            assert_eq!(about_a("CL011"), state != State::Running, "{event:?}: the link stays while not running");
        }
    }

    #[test]
    fn stop_and_start() {
        let (stopped, _) = effects(&linked(), "ins-a", Event::Stop);
        let (again, fx) = effects(&stopped, "ins-a", Event::Stop);
        assert_eq!(fx, ["ins-a stays linked to vpc-x: stopping does not unlink", "ins-a is already stopped"]);
        assert_eq!(again, stopped);
        let (running, fx) = effects(&stopped, "ins-a", Event::Start);
        assert_eq!(fx, ["ins-a stays linked to vpc-x", "ins-a is now running"]);
        assert_eq!(running, linked());
        let (isolated, _) = effects(&linked(), "ins-a", Event::IsolateForArrears);
        assert_eq!(effects(&isolated, "ins-a", Event::Start).0, linked());
        let (_, fx) = effects(&base(), "ins-b", Event::Start);
        assert_eq!(fx, ["ins-b is not linked to any VPC", "ins-b is already running"]);
    }

    #[test]
    fn an_ip_change_invalidates_the_link() {
        let p = linked();
        let new: Ipv4Addr = "10.66.0.99".parse().unwrap();
        let (out, fx) = effects(&p, "ins-a", Event::ChangeIp(new));
        assert_eq!(
            fx,
            [
                "ins-a's link to vpc-x is invalid: it was made for 10.66.0.1; detach and attach it again",
                "ins-a's private IP changed from 10.66.0.1 to 10.66.0.99",
            ]
        );
        assert_eq!(out.classic[0].ip, new);
        assert_eq!(
            out.links[0],
            Link {
                instance: "ins-a".into(),
                vpc: "vpc-x".into(),
                ip: Some("10.66.0.1".parse().unwrap()),
                invalidated: false
            }
        );
        assert!(check_rules(&out).iter().any(|f| f.rule == "CL010" && f.objects == ids(&["ins-a", "vpc-x"])));
        assert!(check_rules(&p).iter().all(|f| f.rule != "CL010"));

        // A second change: still invalid, still the first IP.
        let (twice, fx) = effects(&out, "ins-a", Event::ChangeIp("10.66.0.98".parse().unwrap()));
        assert_eq!(fx[0], "ins-a's link to vpc-x is invalid: it was made for 10.66.0.1; detach and attach it again");
        assert_eq!(twice.links[0].ip, Some("10.66.0.1".parse().unwrap()));
        // Back to the IP the link was made for: still invalid (seed 001: the record is gone until the link is made
        // again), and said so by the check and by reach.
        let (back, fx) = effects(&out, "ins-a", Event::ChangeIp("10.66.0.1".parse().unwrap()));
        assert_eq!(
            fx[0],
            "ins-a's link to vpc-x was made for 10.66.0.1, its IP again, and stays invalid: an IP change invalidated \
             it (seed 001); detach and attach it again"
        );
        assert_eq!((back.links[0].ip, back.links[0].invalidated), (Some("10.66.0.1".parse().unwrap()), true));
        let cl010: Vec<String> =
            check_rules(&back).into_iter().filter(|f| f.rule == "CL010").map(|f| f.message).collect();
        assert_eq!(
            cl010,
            ["ins-a's link to vpc-x was made for 10.66.0.1, but its private IP changed since, and is 10.66.0.1 again: \
              the link is invalid; detach it and attach it again"]
        );
        // Detached and attached again, the link is made anew, and works.
        let again =
            detach(&back, "vpc-x", &["ins-a".to_string()]).and_then(|p| attach(&p, "vpc-x", &["ins-a".to_string()]));
        let again = again.expect("detach, then attach");
        assert!(!again.links[0].invalidated);
        assert!(check_rules(&again).iter().all(|f| f.rule != "CL010"));
        // The same IP: nothing changes.
        let (same, fx) = effects(&p, "ins-a", Event::ChangeIp("10.66.0.1".parse().unwrap()));
        assert_eq!(same, p);
        assert_eq!(fx, ["ins-a stays linked to vpc-x", "ins-a's private IP is already 10.66.0.1: nothing changes"]);
        // Unlinked.
        let (out, fx) = effects(&base(), "ins-b", Event::ChangeIp(new));
        assert_eq!(fx, ["ins-b is not linked to any VPC", "ins-b's private IP changed from 10.66.0.2 to 10.66.0.99"]);
        assert_eq!(out.links, base().links);
    }

    /// Only an IP changed back to the one a link was made for marks the link invalidated: a first change away, or a
    /// second to yet another IP, leaves the flag clear (the link records the IP it was made for, and that says it).
    #[test]
    fn only_an_ip_changed_back_marks_the_link_invalidated() {
        let example =
            crate::domain::load::import(include_str!("../../www/examples/guangzhou.json")).expect("the example");
        let table: &[(&[&str], bool)] = &[
            (&["10.66.12.99"], false),
            (&["10.66.12.99", "10.66.12.98"], false),
            (&["10.66.12.99", "10.66.12.7"], true),
            (&["10.66.12.99", "10.66.12.98", "10.66.12.7"], true),
        ];
        for &(ips, want) in table {
            let mut p = example.clone();
            for ip in ips {
                p = apply(&p, "ins-web01", Event::ChangeIp(ip.parse().unwrap())).expect(ip).plan;
            }
            let l = p.links.iter().find(|l| l.instance == "ins-web01").expect("ins-web01's link");
            assert_eq!((l.ip, l.invalidated), (Some("10.66.12.7".parse().unwrap()), want), "{ips:?}");
        }
    }

    /// A VPC block holding some of 10.0-47 and more, or several of its /16s, is refused saying so, not as one
    /// outside the range.
    #[test]
    fn attach_says_how_a_cidr_misses_the_range() {
        let one = "only one of them, or a part of one, can take classic links";
        for (cidr, want) in [
            ("10.0.0.0/8", format!("vpc-w's CIDR 10.0.0.0/8 reaches beyond 10.0.0.0/16 - 10.47.0.0/16: {one}")),
            ("10.0.0.0/15", format!("vpc-w's CIDR 10.0.0.0/15 spans several of 10.0.0.0/16 - 10.47.0.0/16: {one}")),
            ("172.16.0.0/16", "vpc-w's CIDR 172.16.0.0/16 is outside 10.0.0.0/16 - 10.47.0.0/16".to_string()),
        ] {
            let body = format!(
                r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}}],
                   "vpcs": [{{"id": "vpc-w", "region": "r1", "cidr": "{cidr}"}}]"#
            );
            let r = attach(&plan(&body), "vpc-w", &ids(&["ins-a"])).unwrap_err();
            assert_eq!((r.rule, r.message), (Some("CL001"), want), "{cidr}");
        }
    }

    /// An IP change to an address another live instance of the region holds is refused: the plan it would make is
    /// one the plan reader refuses. A returned instance's address, or one in another region, is free.
    #[test]
    fn an_ip_change_to_a_held_address_is_refused() {
        let p = base();
        for (ip, holder) in [("10.66.0.2", "ins-b"), ("10.66.0.7", "cdb-1"), ("10.66.0.4", "ins-stop")] {
            let r = apply(&p, "ins-a", Event::ChangeIp(ip.parse().unwrap())).unwrap_err();
            assert_eq!(r.api_error, "InvalidParameterValue", "{ip}");
            assert_eq!(r.objects, ids(&["ins-a", holder]));
            assert!(r.message.starts_with(&format!("{ip} is already {holder}'s address in r1's classic network")));
        }
        for ip in ["10.66.0.5", "10.66.0.6", "10.66.0.99"] {
            let out = apply(&p, "ins-a", Event::ChangeIp(ip.parse().unwrap())).expect(ip).plan;
            crate::domain::load::validate(&out).unwrap_or_else(|e| panic!("{ip}: {e}"));
        }
    }

    #[test]
    fn returning_unlinks_and_unbinds() {
        let p = linked();
        let (out, fx) = effects(&p, "ins-a", Event::Return);
        assert_eq!(
            fx,
            [
                "ins-a's link to vpc-x was removed automatically: returning a CVM unlinks it",
                "ins-a is now returned",
                "ins-a was removed from the backends of lb-old, lb-x",
            ]
        );
        assert!(out.links.iter().all(|l| l.instance != "ins-a"));
        assert_eq!(out.links.len(), p.links.len() - 1);
        assert_eq!(out.classic[0].state, State::Returned);
        assert_eq!(out.classic_instance("lb-old").unwrap().backends, ids(&["ins-b"]));
        assert_eq!(out.vpcs[0].resources[1].backends, ids(&["ins-p"]));
        let after = check_rules(&out);
        assert!(!after.iter().any(|f| f.objects.contains(&"ins-a".to_string())), "{after:#?}");
        assert!(check_rules(&p).iter().any(|f| f.rule == "CL009" && f.objects[1] == "ins-a"));
        // Gone: no further event, no attach.
        let r = apply(&out, "ins-a", Event::Start).unwrap_err();
        assert_eq!((r.api_error, r.message.as_str()), ("ResourceNotFound", "ins-a was returned: it no longer exists"));
        assert_eq!(attach(&out, "vpc-x", &ids(&["ins-a"])).unwrap_err().api_error, "ResourceNotFound");
        // Unlinked, unbound.
        let (_, fx) = effects(&base(), "ins-stop", Event::Return);
        assert_eq!(fx, ["ins-stop is not linked to any VPC", "ins-stop is now returned"]);
    }

    #[test]
    fn events_on_what_is_not_a_cvm() {
        let p = base();
        let r = apply(&p, "ins-zz", Event::Stop).unwrap_err();
        assert_eq!((r.api_error, r.objects.clone()), ("ResourceNotFound", ids(&["ins-zz"])));
        let r = apply(&p, "ins-p", Event::Stop).unwrap_err();
        assert_eq!(r.api_error, "ResourceNotFound", "a VPC resource is not a classic instance");
        let r = apply(&p, "cdb-1", Event::Return).unwrap_err();
        assert_eq!(
            (r.api_error, r.message.as_str()),
            ("UnsupportedOperation", "cdb-1 is a MySQL, not a CVM: returning applies to CVMs")
        );
        let r = apply(&p, "ins-gone", Event::Return).unwrap_err();
        assert_eq!(r.api_error, "ResourceNotFound");
    }
}
