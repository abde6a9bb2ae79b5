//! Plan diff (`classiclink diff OLD.json NEW.json`): objects and links added, removed and changed (the links Tencent
//! Cloud made of each plan's list, each with the API calls that make its change, or why none does; a listed link it
//! never made is said apart, refused, with why); findings that appear and disappear; flows gained and lost between
//! the plans' endpoints (differential reachability).
//!
//! Every list is sorted, so the same two plans always give the same diff. Reachability is a parameter (a closure
//! answering one question about one plan), so this module does not depend on how reachability is computed.

use super::addr::{Cidr, Protocol};
use super::check::Report;
use super::export::CallAction;
use super::finding::Finding;
use super::index::fx_map;
use super::model::{
    Ccn, ClassicInstance, Endpoint, Gateway, NetworkAcl, Peering, Plan, Resource, SecurityGroup, Subnet,
    TerminalConnection, Vpc,
};
use super::reach::Answer;
use super::refs::{BrokenBy, MadeFor};
use super::sort;
use rustc_hash::FxHashMap;
use rustc_hash::FxHashSet as HashSet;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// How an object or link changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

/// One object that differs: its plan section (`classic`, `vpcs`, `subnets`, `resources`, `gateways`, `peerings`,
/// `ccns`, `terminal_connections`, `security_groups`, `network_acls`), its ID and, when changed, which fields.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ObjectChange {
    pub section: &'static str,
    pub id: String,
    pub change: Change,
    /// The fields whose values differ, sorted by name, each with its old and new value for people ("state running ->
    /// stopped", "ip 10.66.12.10 -> 10.66.12.99", "security_groups +sg-b -sg-a"; a field's
    /// name is the text before the first space). Empty unless `Changed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// One link that differs (a link is its instance and VPC; `Changed` means its recorded IP changed, or an IP change
/// invalidated it in one plan only: [`Link::invalidated`](super::model::Link), or its CVM's IP changed under it, so
/// that it works in one plan only), with what to do in Tencent Cloud
/// ([`LinkChange::calls`], [`LinkChange::action`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LinkChange {
    pub instance: String,
    pub vpc: String,
    pub change: Change,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_ip: Option<Ipv4Addr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_ip: Option<Ipv4Addr>,
    /// Whether the old plan's link is one an IP change invalidated, its CVM's IP back (a link made again is not).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub old_invalidated: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub new_invalidated: bool,
    /// The Tencent Cloud API calls that take the old plan's link to the new plan's, in order, as the `--since`
    /// exports make them ([`export::link_changes`](super::export::link_changes)): `AttachClassicLinkVpc` for a link
    /// added, `DetachClassicLinkVpc` for one removed, both (the detach first) for one made again (an IP change
    /// invalidates a link: it must be detached and attached again, CL010). Empty where no call does: the CVM was
    /// returned, which unlinked it (CL012), or the new plan's link is broken by an IP change under the same record
    /// ([`LinkChange::new_broken`]). A new record the new plan has broken is made again, for the IP its CVM has.
    pub calls: Vec<CallAction>,
    /// Whether the new plan's link is broken by an IP change (CL010): made for an IP its CVM no longer has, or
    /// invalidated although the CVM has that IP again. No call makes a broken link: the calls, if any, make it for
    /// the IP its CVM has; with none, detaching and attaching it again make it work.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub new_broken: bool,
    /// What to do in Tencent Cloud, for people: the calls, or why there is none and what makes the link work again.
    pub action: String,
}

impl LinkChange {
    /// What the link was made for before and after, for a changed link: "10.66.0.1 -> 10.66.0.9", an omitted IP as
    /// `current`, and a link an IP change invalidated (its CVM's IP back) marked "invalidated". Made for the same on
    /// both sides (its CVM's IP changed under it), said once: "10.66.0.1".
    pub fn made_for(&self, current: &str) -> String {
        let side = |ip: Option<Ipv4Addr>, invalidated: bool| {
            let ip = ip.map_or(current.to_string(), |ip| ip.to_string());
            if invalidated {
                format!("{ip}, invalidated")
            } else {
                ip
            }
        };
        let (old, new) = (side(self.old_ip, self.old_invalidated), side(self.new_ip, self.new_invalidated));
        if old == new {
            old
        } else {
            format!("{old} -> {new}")
        }
    }
}

/// A listed link Tencent Cloud never made ([`LinkFate`](super::refs::LinkFate)), listed so in one plan only: it
/// carries nothing, so it is no link added or removed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RefusedLink {
    pub instance: String,
    pub vpc: String,
    /// `Added`: the new plan lists it, never made, and the old one did not list it so; `Removed`: the old plan
    /// listed it, never made, and the new one no longer lists it.
    pub change: Change,
    /// Why it was never made, in the plan that lists it.
    pub why: String,
}

/// The structural difference between two plans.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PlanDiff {
    /// Top-level settings that changed (`name`, `account`, `quotas`, `expectations`).
    pub settings: Vec<String>,
    pub objects: Vec<ObjectChange>,
    /// The links Tencent Cloud made (the one each CVM holds) added, removed and made for another IP, in the order
    /// their calls run: detaches, links made again, attaches, then the links no call changes.
    pub links: Vec<LinkChange>,
    /// The listed links it never made, where the plans list them differently (always present, as every list of the
    /// diff's JSON).
    pub refused: Vec<RefusedLink>,
}

impl PlanDiff {
    /// Whether the plans are the same.
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty() && self.objects.is_empty() && self.links.is_empty() && self.refused.is_empty()
    }
}

/// One object of a plan section, as the diff compares it: nested objects with the ID of their VPC (a subnet, resource
/// or gateway moved to another VPC is a change of its `vpc` field), a VPC without its nested lists (they are objects
/// of their own).
#[derive(Clone, Copy)]
enum Item<'a> {
    Classic(&'a ClassicInstance),
    Vpc(&'a Vpc),
    Subnet(&'a Subnet, &'a str),
    Resource(&'a Resource, &'a str),
    Gateway(&'a Gateway, &'a str),
    Peering(&'a Peering),
    Ccn(&'a Ccn),
    Terminal(&'a TerminalConnection),
    SecurityGroup(&'a SecurityGroup),
    NetworkAcl(&'a NetworkAcl),
}

impl<'a> Item<'a> {
    /// Every object of a plan by (section, ID); where an ID repeats within a section, the last one. (A hash map: the
    /// changes are sorted afterwards.)
    fn index(p: &'a Plan) -> FxHashMap<(&'static str, &'a str), Item<'a>> {
        let vpc_objects: usize =
            p.vpcs.iter().map(|v| 1 + v.subnets.len() + v.resources.len() + v.gateways.len()).sum();
        let mut m = fx_map(p.classic.len() + vpc_objects + p.security_groups.len() + p.network_acls.len());
        m.extend(p.classic.iter().map(|x| (("classic", x.id.as_str()), Item::Classic(x))));
        for v in &p.vpcs {
            m.insert(("vpcs", v.id.as_str()), Item::Vpc(v));
            m.extend(v.subnets.iter().map(|x| (("subnets", x.id.as_str()), Item::Subnet(x, &v.id))));
            m.extend(v.resources.iter().map(|x| (("resources", x.id.as_str()), Item::Resource(x, &v.id))));
            m.extend(v.gateways.iter().map(|x| (("gateways", x.id.as_str()), Item::Gateway(x, &v.id))));
        }
        m.extend(p.peerings.iter().map(|x| (("peerings", x.id.as_str()), Item::Peering(x))));
        m.extend(p.ccns.iter().map(|x| (("ccns", x.id.as_str()), Item::Ccn(x))));
        m.extend(p.terminal_connections.iter().map(|x| (("terminal_connections", x.id.as_str()), Item::Terminal(x))));
        m.extend(p.security_groups.iter().map(|x| (("security_groups", x.id.as_str()), Item::SecurityGroup(x))));
        m.extend(p.network_acls.iter().map(|x| (("network_acls", x.id.as_str()), Item::NetworkAcl(x))));
        m
    }

    /// Whether two objects of one section are the same. Equal values are equal JSON (export is deterministic and
    /// `import(export(p)) == p`), so this answers as comparing the JSON would, without writing any.
    fn same(self, other: Item<'_>) -> bool {
        use Item::*;
        match (self, other) {
            (Classic(a), Classic(b)) => a == b,
            (Vpc(a), Vpc(b)) => vpc_own(a) == vpc_own(b),
            (Subnet(a, va), Subnet(b, vb)) => a == b && va == vb,
            (Resource(a, va), Resource(b, vb)) => a == b && va == vb,
            (Gateway(a, va), Gateway(b, vb)) => a == b && va == vb,
            (Peering(a), Peering(b)) => a == b,
            (Ccn(a), Ccn(b)) => a == b,
            (Terminal(a), Terminal(b)) => a == b,
            (SecurityGroup(a), SecurityGroup(b)) => a == b,
            (NetworkAcl(a), NetworkAcl(b)) => a == b,
            _ => false,
        }
    }

    /// The object as JSON, for naming the fields that changed.
    fn value(self) -> Value {
        match self {
            Item::Classic(x) => to_value(x),
            Item::Vpc(v) => {
                let mut val = to_value(v);
                if let Value::Object(m) = &mut val {
                    for nested in ["subnets", "resources", "gateways"] {
                        m.remove(nested);
                    }
                }
                val
            }
            Item::Subnet(x, v) => with_vpc(to_value(x), v),
            Item::Resource(x, v) => with_vpc(to_value(x), v),
            Item::Gateway(x, v) => with_vpc(to_value(x), v),
            Item::Peering(x) => to_value(x),
            Item::Ccn(x) => to_value(x),
            Item::Terminal(x) => to_value(x),
            Item::SecurityGroup(x) => to_value(x),
            Item::NetworkAcl(x) => to_value(x),
        }
    }
}

/// A VPC's own fields, without its nested lists. Destructured field by field, so that a field added to [`Vpc`] fails
/// to compile here until the diff knows whether it is the VPC's own.
#[allow(clippy::type_complexity)]
fn vpc_own(v: &Vpc) -> (&str, &str, &str, &Cidr, &[Cidr]) {
    let Vpc { id, name, region, cidr, assistant_cidrs, subnets: _, resources: _, gateways: _ } = v;
    (id, name, region, cidr, assistant_cidrs)
}

/// The objects and links added, removed and changed from `old` to `new`.
///
/// Objects are compared as values; only those that differ are written as JSON, to name the fields that changed (a
/// plan has thousands of objects, and writing them all made this the slowest part of the Tools tab's diff page).
pub fn diff(old: &Plan, new: &Plan) -> PlanDiff {
    let mut d = PlanDiff::default();
    let settings = [
        ("name", old.name == new.name),
        ("account", old.account == new.account),
        ("quotas", old.quotas == new.quotas),
        ("expectations", old.expectations == new.expectations),
    ];
    d.settings.extend(settings.iter().filter(|(_, same)| !same).map(|(key, _)| key.to_string()));
    let (a, b) = (Item::index(old), Item::index(new));
    for (&(section, id), &ia) in &a {
        match b.get(&(section, id)) {
            None => d.objects.push(ObjectChange { section, id: id.into(), change: Change::Removed, fields: vec![] }),
            Some(&ib) if !ia.same(ib) => d.objects.push(ObjectChange {
                section,
                id: id.into(),
                change: Change::Changed,
                fields: changed_fields(&ia.value(), &ib.value()),
            }),
            Some(_) => {}
        }
    }
    for &(section, id) in b.keys() {
        if !a.contains_key(&(section, id)) {
            d.objects.push(ObjectChange { section, id: id.into(), change: Change::Added, fields: vec![] });
        }
    }
    sort::sort(&mut d.objects);

    // (Hash maps: the changes are sorted afterwards.)
    let (la, lb) = (links_by_ends(old), links_by_ends(new));
    // Returning a CVM unlinks it (CL012): its link goes with no call.
    let returned: HashSet<&str> =
        new.classic.iter().filter(|c| c.state == super::model::State::Returned).map(|c| c.id.as_str()).collect();
    // The calls, as the exports decide them: the one definition of what a link change takes.
    let calls = super::export::link_changes(Some(old), new);
    let change = |(instance, vpc): (&str, &str), change, (old_ip, old_invalidated): MadeFor, now: Option<Made>| {
        let (new_ip, new_invalidated) = now.map_or((None, false), |m| m.0);
        let key = (vpc.to_string(), instance.to_string());
        let calls =
            [(&calls.detach, CallAction::DetachClassicLinkVpc), (&calls.attach, CallAction::AttachClassicLinkVpc)]
                .into_iter()
                .filter(|(set, _)| set.contains(&key))
                .map(|(_, call)| call)
                .collect();
        let (calls, new_broken, action) = link_action(instance, calls, now, returned.contains(instance));
        LinkChange {
            instance: instance.to_string(),
            vpc: vpc.to_string(),
            change,
            old_ip,
            new_ip,
            old_invalidated,
            new_invalidated,
            calls,
            new_broken,
            action,
        }
    };
    // Compared by what each was made for, and by whether an IP change broke it: a CVM's IP changed under its link
    // (the record left for the old IP) is a link that stopped working, said with what makes it work again.
    for (&key, &(made, broken)) in &la {
        match lb.get(&key) {
            None => d.links.push(change(key, Change::Removed, made, None)),
            Some(&now) if now.0 != made || now.1.is_some() != broken.is_some() => {
                d.links.push(change(key, Change::Changed, made, Some(now)))
            }
            Some(_) => {}
        }
    }
    for (&key, &now) in &lb {
        if !la.contains_key(&key) {
            d.links.push(change(key, Change::Added, (None, false), Some(now)));
        }
    }
    // In the order their calls run (as the exports run them): detaches first, then links made again, then attaches,
    // then the links no call changes; by instance and VPC within each. A CVM moving VPC, or taking another's place
    // under the quota, is detached before it is attached.
    let phase = |l: &LinkChange| match l.calls.as_slice() {
        [CallAction::DetachClassicLinkVpc] => 0,
        [CallAction::DetachClassicLinkVpc, _] => 1,
        [_, ..] => 2,
        [] => 3,
    };
    sort::sort_by(&mut d.links, |a, b| (phase(a), a).cmp(&(phase(b), b)));
    d.refused = refused_links(old, new);
    d
}

/// A made link as the diff compares it: what it was made for, and how an IP change broke it (CL010), if it did.
type Made = (MadeFor, BrokenBy);

/// The links Tencent Cloud made of a plan's list ([`Refs::made_links`](super::refs::Refs::made_links)) by (instance,
/// VPC), each with what it was made for and whether an IP change broke it.
fn links_by_ends(p: &Plan) -> FxHashMap<(&str, &str), Made> {
    let made = super::refs::Refs::new(p).made_links(p);
    made.into_iter()
        .map(|(link, made_for, broken)| ((link.instance.as_str(), link.vpc.as_str()), (made_for, broken)))
        .collect()
}

/// What to do in Tencent Cloud for a link of `instance` that changed so, the new plan's link being `now` and `calls`
/// what the exports call for it ([`LinkChange::calls`], [`LinkChange::new_broken`], [`LinkChange::action`]):
/// `returned`: the new plan returned the CVM.
fn link_action(
    instance: &str,
    calls: Vec<CallAction>,
    now: Option<Made>,
    returned: bool,
) -> (Vec<CallAction>, bool, String) {
    use CallAction::{AttachClassicLinkVpc as Attach, DetachClassicLinkVpc as Detach};
    let (attach, detach) = (Attach.as_str(), Detach.as_str());
    let broken = now.and_then(|(_, broken)| broken).map(|(made_for, ip)| {
        (ip, format!("made for {made_for}, and {instance}'s IP {}", super::model::ip_now(made_for, ip)))
    });
    let named = calls.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", then ");
    let action = match (calls.as_slice(), broken) {
        // A link broken under the same record: no call makes a broken link, and naming calls would say they made it.
        ([], Some((_, why))) => {
            format!(
                "no call makes it: an IP change broke it ({why}, CL010); {detach}, then {attach} make it work again"
            )
        }
        ([], None) if returned => format!("no call: returning {instance} unlinked it (CL012)"),
        ([], None) => "no call".to_string(),
        // Listed as made for an IP its CVM no longer has: the calls make it for the IP it has now, working.
        (_, Some((ip, why))) => format!(
            "{named}, which {} it for {instance}'s IP now, {ip}: the plan's link is broken by an IP change ({why}, \
             CL010), which no call makes",
            if calls.len() == 1 { "makes" } else { "make" }
        ),
        // Made again, for the IP its CVM has: an IP change invalidates the old record (CL010), detached first.
        ([Detach, Attach], None) => {
            let ip = now.and_then(|((made_for, _), _)| made_for).map_or(String::new(), |ip| format!(" for {ip}"));
            format!("made again{ip}: {named}")
        }
        (_, None) => named,
    };
    let new_broken = now.is_some_and(|(_, broken)| broken.is_some());
    (calls, new_broken, action)
}

/// The listed links never made that the plans list differently ([`RefusedLink`]), sorted: those the new plan lists,
/// never made, that the old one did not list so; and those the old one listed, never made, that the new one no
/// longer lists at all (one it makes now is a link added).
fn refused_links(old: &Plan, new: &Plan) -> Vec<RefusedLink> {
    use super::export::{not_made, NotMade};
    fn ends(n: &NotMade) -> (&str, &str) {
        (&n.instance, &n.vpc)
    }
    let refused = |n: &NotMade, change| RefusedLink {
        instance: n.instance.clone(),
        vpc: n.vpc.clone(),
        change,
        why: n.why.clone(),
    };
    let (was, is) = (not_made(old), not_made(new));
    let was_ends: HashSet<(&str, &str)> = was.iter().map(ends).collect();
    // What the new plan lists: a link it lists is made (a link added) or never made (in `is`).
    let listed: HashSet<(&str, &str)> = new.links.iter().map(|l| (l.instance.as_str(), l.vpc.as_str())).collect();
    let mut out: Vec<RefusedLink> = Vec::new();
    out.extend(is.iter().filter(|n| !was_ends.contains(&ends(n))).map(|n| refused(n, Change::Added)));
    out.extend(was.iter().filter(|n| !listed.contains(&ends(n))).map(|n| refused(n, Change::Removed)));
    sort::sort(&mut out);
    out
}

fn to_value<T: Serialize>(x: &T) -> Value {
    serde_json::to_value(x).expect("plan parts serialise")
}

/// A nested object moved to another VPC is a change of its `vpc` field.
fn with_vpc(mut v: Value, vpc: &str) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert("vpc".to_string(), Value::String(vpc.to_string()));
    }
    v
}

/// The fields that differ between two objects, by name, each with its old and new value ([`field_change`]).
fn changed_fields(a: &Value, b: &Value) -> Vec<String> {
    let (Value::Object(ma), Value::Object(mb)) = (a, b) else { return vec![] };
    // `&str` keys, as the other sets of names: a set of another key type would compile another B-tree.
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    keys.extend(ma.keys().chain(mb.keys()).map(String::as_str));
    keys.into_iter().filter(|k| ma.get(*k) != mb.get(*k)).map(|k| field_change(k, ma.get(k), mb.get(k))).collect()
}

/// At most this many characters of one value are shown; a longer one is cut, ending with "…".
const VALUE_MAX: usize = 40;
/// At most this many items a list gained or lost are named; the rest are counted.
const ITEMS_MAX: usize = 3;

/// One changed field, for people: its name, then its old and new value ("state running -> stopped", "ip
/// 10.66.12.10 -> 10.66.12.99", a field one side omits as its default, "none" but for a state); a list by the items it gained and lost
/// ("security_groups +sg-b -sg-a", an object as "(TCP 22 10.66.0.0/16 ACCEPT)", past [`ITEMS_MAX`] counted), or as
/// "reordered" when it holds the same items in another order (a rule list's order decides which rule matches).
fn field_change(name: &str, a: Option<&Value>, b: Option<&Value>) -> String {
    // An empty list is left out of the JSON: a list on one side only is a list that was (or became) empty.
    let empty = Value::Array(Vec::new());
    let (a, b) = match (a, b) {
        (None, Some(Value::Array(_))) => (Some(&empty), b),
        (Some(Value::Array(_)), None) => (a, Some(&empty)),
        _ => (a, b),
    };
    if let (Some(Value::Array(x)), Some(Value::Array(y))) = (a, b) {
        let (gained, lost) = (minus(y, x), minus(x, y));
        if gained.is_empty() && lost.is_empty() {
            return format!("{name} reordered ({} items)", x.len());
        }
        let items = gained.iter().map(|v| ('+', v)).chain(lost.iter().map(|v| ('-', v)));
        let mut said: Vec<String> =
            items.clone().take(ITEMS_MAX).map(|(sign, v)| format!("{sign}{}", short(v))).collect();
        let more = items.count().saturating_sub(ITEMS_MAX);
        if more > 0 {
            said.push(format!("and {more} more"));
        }
        return format!("{name} {}", said.join(" "));
    }
    // A field left out holds its default: only a state has one other than empty (running); the rest read "none".
    let omitted = || match name {
        "state" => short(&to_value(&super::model::State::default())),
        _ => "none".to_string(),
    };
    let side = |v: Option<&Value>| v.map_or_else(omitted, short);
    format!("{name} {} -> {}", side(a), side(b))
}

/// The items of `a` that `b` does not hold, each matched once (a list may repeat an item).
fn minus<'v>(a: &'v [Value], b: &[Value]) -> Vec<&'v Value> {
    let mut left: Vec<&Value> = b.iter().collect();
    let mut out = Vec::new();
    for x in a {
        match left.iter().position(|y| *y == x) {
            Some(i) => drop(left.swap_remove(i)),
            None => out.push(x),
        }
    }
    out
}

/// A value in a few words: a string as it is, a list in brackets, an object as its values in parentheses ("(TCP 22
/// 10.66.0.0/16 ACCEPT)"), cut past [`VALUE_MAX`] characters.
fn short(v: &Value) -> String {
    fn words(v: &Value) -> String {
        match v {
            Value::Null => "none".to_string(),
            Value::String(s) if s.is_empty() => "\"\"".to_string(),
            Value::String(s) => s.clone(),
            Value::Array(items) => format!("[{}]", items.iter().map(words).collect::<Vec<_>>().join(", ")),
            Value::Object(m) => format!("({})", m.values().map(words).collect::<Vec<_>>().join(" ")),
            other => other.to_string(),
        }
    }
    let w = words(v);
    if w.chars().count() <= VALUE_MAX {
        return w;
    }
    let mut cut: String = w.chars().take(VALUE_MAX - 1).collect();
    cut.push('…');
    cut
}

/// Findings that appear in the new report and disappear from the old one. A finding is identified by its rule and
/// objects (its message may word the same problem differently); repeated findings count as many times as they occur.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FindingsDiff {
    pub appeared: Vec<Finding>,
    pub disappeared: Vec<Finding>,
}

/// Compares two check reports' findings (see [`FindingsDiff`]); each list sorted by rule, then objects.
pub fn findings_diff(old: &Report, new: &Report) -> FindingsDiff {
    fn minus(a: &[Finding], b: &[Finding]) -> Vec<Finding> {
        let mut left: BTreeMap<(&str, &Vec<String>), usize> = BTreeMap::new();
        for f in b {
            *left.entry((f.rule, &f.objects)).or_default() += 1;
        }
        let mut out = Vec::new();
        for f in a {
            match left.get_mut(&(f.rule, &f.objects)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => out.push(f.clone()),
            }
        }
        sort::sort_by(&mut out, |x, y| (x.rule, &x.objects, &x.message).cmp(&(y.rule, &y.objects, &y.message)));
        out
    }
    FindingsDiff { appeared: minus(&new.findings, &old.findings), disappeared: minus(&old.findings, &new.findings) }
}

/// The default bound on the number of endpoint pairs a flow diff asks about.
pub const DEFAULT_FLOW_PAIRS: usize = 4000;

/// A flow that is reachable in one plan and not in the other.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowChange {
    pub from: Endpoint,
    pub to: Endpoint,
    /// The old plan's answer; `None` when an endpoint does not exist in the old plan.
    pub before: Option<Answer>,
    /// The new plan's answer; `None` when an endpoint does not exist in the new plan.
    pub after: Option<Answer>,
    /// The traffic asked about when it is not the caller's: an expectation's own protocol and port ("TCP 8080").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asked: Option<String>,
    /// One sentence: why it was gained (what blocked it before) or lost (what blocks it now).
    pub reason: String,
}

/// Flows gained and lost between two plans.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FlowDiff {
    pub gained: Vec<FlowChange>,
    pub lost: Vec<FlowChange>,
    /// How many pairs were asked about.
    pub pairs_checked: usize,
    /// Whether pairs were left out because of the bound.
    pub truncated: bool,
}

/// The endpoint pairs of interest over both plans, at most `limit`, and whether pairs were left out. Endpoints are the
/// classic instances and VPC resources of either plan; the pairs come in rounds, each sorted, none repeated:
///
/// 1. the pairs of both plans' expectations;
/// 2. across each peering or CCN that changed, the resources of either side, both ways; then each endpoint that
///    `changes` touch ([`touched`]) with the endpoints nearest it, both ways: a classic instance with the resources
///    of the VPCs it is linked to in either plan, a resource with the classic instances linked to its VPC in either
///    plan;
/// 3. each touched endpoint with every other endpoint, both ways;
/// 4. every other pair of endpoints (classic and classic, resource and resource included: a peering or a security
///    group rule changes those flows too).
///
/// So in a plan too large to ask every pair, what changed is asked first, starting where it matters most. Only the
/// pairs returned are made: a plan of 2,000 instances and 5,000 resources has 49 million pairs, so each round walks
/// its pairs in order and stops one pair past the bound.
pub fn flow_pairs(old: &Plan, new: &Plan, changes: &PlanDiff, limit: usize) -> (Vec<(Endpoint, Endpoint)>, bool) {
    let mut ends: BTreeSet<&str> = BTreeSet::new();
    let mut expected: Vec<(String, String)> = Vec::new();
    for p in [old, new] {
        ends.extend(p.classic.iter().map(|c| c.id.as_str()));
        ends.extend(p.vpcs.iter().flat_map(|v| v.resources.iter().map(|r| r.id.as_str())));
        expected.extend(p.expectations.iter().map(|e| (e.from.to_string(), e.to.to_string())));
    }
    sorted_once(&mut expected);
    let touched: BTreeSet<&str> = touched(old, new, changes).into_iter().collect();
    let mut out: Vec<(&str, &str)> = Vec::new();
    let mut seen: HashSet<(&str, &str)> = HashSet::default();
    // Adds a pair not seen yet; false once the bound is passed.
    fn push<'s>(out: &mut Vec<(&'s str, &'s str)>, seen: &mut HashSet<(&'s str, &'s str)>, pair: (&'s str, &'s str)) {
        if pair.0 != pair.1 && seen.insert(pair) {
            out.push(pair);
        }
    }
    let mut add = |pair| {
        push(&mut out, &mut seen, pair);
        out.len() <= limit
    };
    'rounds: {
        for (a, b) in &expected {
            if !add((a, b)) {
                break 'rounds;
            }
        }
        let near = Near::new(old, new, !touched.is_empty());
        // Across a peering or CCN that changed: the resources on either side.
        let mut joins: Vec<(&str, &str)> = Vec::new();
        for c in changes.objects.iter().filter(|c| c.section == "peerings" || c.section == "ccns") {
            for p in [old, new] {
                joins.extend(changed_joins(p, c.section, &c.id));
            }
        }
        sorted_once(&mut joins);
        for (x, y) in joins {
            let (xs, ys) = (near.resources.get(x), near.resources.get(y));
            for &a in xs.into_iter().flatten() {
                for &b in ys.into_iter().flatten() {
                    if !add((a, b)) || !add((b, a)) {
                        break 'rounds;
                    }
                }
            }
        }
        for &a in &touched {
            for b in near.of(a) {
                if !add((a, b)) || !add((b, a)) {
                    break 'rounds;
                }
            }
        }
        for &a in &touched {
            for &b in &ends {
                if !add((a, b)) || !add((b, a)) {
                    break 'rounds;
                }
            }
        }
        for &a in &ends {
            for &b in &ends {
                if !add((a, b)) {
                    break 'rounds;
                }
            }
        }
    }
    let truncated = out.len() > limit;
    out.truncate(limit);
    (out.into_iter().map(|(a, b)| (Endpoint::from(a), Endpoint::from(b))).collect(), truncated)
}

/// The endpoints nearest each endpoint, over both plans: for a classic instance, the resources of the VPCs it is
/// linked to; for a resource, the classic instances linked to its VPC. (Hash maps of sorted lists: this is in the web
/// bundle, where each new B-tree type costs kilobytes.)
#[derive(Default)]
struct Near<'a> {
    /// Classic instance -> the VPCs it is linked to.
    vpcs_of: FxHashMap<&'a str, Vec<&'a str>>,
    /// VPC -> its resources, sorted.
    resources: FxHashMap<&'a str, Vec<&'a str>>,
    /// VPC -> the classic instances linked to it.
    linked: FxHashMap<&'a str, Vec<&'a str>>,
    /// Resource -> its VPCs (one per plan).
    vpc_of: FxHashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Near<'a> {
    /// Indexes both plans (or nothing, when no endpoint is touched).
    fn new(old: &'a Plan, new: &'a Plan, wanted: bool) -> Near<'a> {
        let mut n = Near::default();
        for p in [old, new].into_iter().filter(|_| wanted) {
            for l in &p.links {
                n.vpcs_of.entry(&l.instance).or_default().push(&l.vpc);
                n.linked.entry(&l.vpc).or_default().push(&l.instance);
            }
            for v in &p.vpcs {
                for r in &v.resources {
                    n.resources.entry(&v.id).or_default().push(&r.id);
                    n.vpc_of.entry(&r.id).or_default().push(&v.id);
                }
            }
        }
        for list in n.resources.values_mut() {
            sorted_once(list);
        }
        n
    }

    /// The endpoints nearest `id`, sorted.
    fn of(&self, id: &str) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut collect = |vpcs: Option<&Vec<&'a str>>, by: &FxHashMap<&'a str, Vec<&'a str>>| {
            for v in vpcs.into_iter().flatten() {
                out.extend(by.get(v).into_iter().flatten());
            }
        };
        collect(self.vpcs_of.get(id), &self.resources);
        collect(self.vpc_of.get(id), &self.linked);
        sorted_once(&mut out);
        out
    }
}

/// Sorts a list and drops repeats.
fn sorted_once<T: Ord>(v: &mut Vec<T>) {
    sort::sort(v);
    v.dedup();
}

/// The classic instances and VPC resources (of either plan) whose flows `changes` may change: the instances and
/// resources changed themselves; those bound to a changed security group; the resources of a changed subnet or of a
/// subnet whose network ACL changed; everything in or linked to a VPC whose own fields or gateways changed; the
/// resources of the VPCs a changed peering or CCN joins; a terminal connection's target and VPC; a changed link's
/// instance, and every CVM whose link at work changed with it (a link taken out frees a place in the quota). A
/// changed account or quota touches every endpoint.
pub fn touched<'a>(old: &'a Plan, new: &'a Plan, changes: &PlanDiff) -> HashSet<&'a str> {
    let mut out: HashSet<&'a str> = HashSet::default();
    let everything = changes.settings.iter().any(|s| s == "account" || s == "quotas");
    let mut groups: HashSet<&str> = HashSet::default();
    let mut acls: HashSet<&str> = HashSet::default();
    let mut subnets: HashSet<&str> = HashSet::default();
    let mut vpcs: HashSet<&str> = HashSet::default();
    let mut instances: HashSet<&str> = HashSet::default();
    for c in &changes.objects {
        let id = c.id.as_str();
        match c.section {
            "classic" | "resources" => {
                instances.insert(id);
            }
            "security_groups" => {
                groups.insert(id);
            }
            "network_acls" => {
                acls.insert(id);
            }
            "subnets" => {
                subnets.insert(id);
            }
            _ => {}
        }
    }
    for l in &changes.links {
        instances.insert(&l.instance);
    }
    // A link added, removed or moved changes which other links Tencent Cloud accepts (the quota, plan order): every
    // CVM whose link at work differs. A resource or a linked CVM taking or freeing a terminal connection's address
    // (CL017) decides whether it maps its target: the targets of the connections that work in one plan only.
    let changed = |sections: &[&str]| changes.objects.iter().any(|c| sections.contains(&c.section));
    let links = !changes.links.is_empty();
    out.extend(made_differs(
        old,
        new,
        links || changed(&["classic", "vpcs"]),
        links || changed(&["classic", "resources", "vpcs"]),
    ));
    let mut joined: HashSet<&str> = HashSet::default();
    for p in [old, new] {
        for c in &changes.objects {
            let id = c.id.as_str();
            match c.section {
                "vpcs" => vpcs.extend(p.vpcs.iter().filter(|v| v.id == id).map(|v| v.id.as_str())),
                "gateways" => {
                    vpcs.extend(p.vpcs.iter().filter(|v| v.gateways.iter().any(|g| g.id == id)).map(|v| v.id.as_str()))
                }
                // A peering or CCN carries no linked CVM's traffic (nothing is transitive): its VPCs' resources.
                "peerings" | "ccns" => {
                    joined.extend(changed_joins(p, c.section, id).into_iter().flat_map(|(a, b)| [a, b]))
                }
                "terminal_connections" => {
                    for t in p.terminal_connections.iter().filter(|t| t.id == id) {
                        out.insert(&t.target);
                        vpcs.insert(&t.vpc);
                    }
                }
                _ => {}
            }
        }
    }
    for p in [old, new] {
        let bound = |sgs: &[super::model::Name]| sgs.iter().any(|g| groups.contains(g.as_str()));
        for c in &p.classic {
            if everything || instances.contains(c.id.as_str()) || bound(&c.security_groups) {
                out.insert(&c.id);
            }
        }
        for l in &p.links {
            if vpcs.contains(l.vpc.as_str()) {
                out.insert(&l.instance);
            }
        }
        for v in &p.vpcs {
            let whole = everything || vpcs.contains(v.id.as_str()) || joined.contains(v.id.as_str());
            let filtered: HashSet<&str> = v
                .subnets
                .iter()
                .filter(|s| {
                    subnets.contains(s.id.as_str()) || s.acl.as_ref().is_some_and(|a| acls.contains(a.as_str()))
                })
                .map(|s| s.id.as_str())
                .collect();
            // A terminal connection's address is behind the ACL of the subnet holding it: its target.
            if !filtered.is_empty() {
                let behind = |ip| v.subnets.iter().any(|s| s.cidr.contains(ip) && filtered.contains(s.id.as_str()));
                out.extend(
                    p.terminal_connections.iter().filter(|t| t.vpc == v.id && behind(t.ip)).map(|t| t.target.as_str()),
                );
            }
            for r in &v.resources {
                if whole
                    || instances.contains(r.id.as_str())
                    || bound(&r.security_groups)
                    || filtered.contains(r.subnet.as_str())
                {
                    out.insert(&r.id);
                }
            }
        }
    }
    out
}

/// The pairs of VPCs (IDs, each pair once, the lower first) that the peering or CCN `id` of `section` joins in `p`.
fn changed_joins<'a>(p: &'a Plan, section: &str, id: &str) -> Vec<(&'a str, &'a str)> {
    let vpcs: Vec<&str> = match section {
        "peerings" => {
            p.peerings.iter().filter(|x| x.id == id).flat_map(|x| x.vpcs.iter().map(|v| v.as_str())).collect()
        }
        "ccns" => p.ccns.iter().filter(|x| x.id == id).flat_map(|x| x.vpcs.iter().map(|v| v.as_str())).collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for (i, a) in vpcs.iter().enumerate() {
        for b in &vpcs[i + 1..] {
            if a != b {
                out.push((*a.min(b), *a.max(b)));
            }
        }
    }
    out
}

/// What Tencent Cloud makes of each plan that differs between them, as the endpoints it touches: with `held`, the
/// classic instances whose link at work (the VPC of the link it would hold, see [`super::refs::Attached`]) differs;
/// with `mapped`, the targets of the terminal connections (by ID, in both plans) that map their target in one plan
/// only (an address taken or freed, a target or VPC gone). One [`Refs`](super::refs::Refs) of each plan serves both.
fn made_differs<'a>(old: &'a Plan, new: &'a Plan, held: bool, mapped: bool) -> Vec<&'a str> {
    type Facts<'p> = (FxHashMap<&'p str, Option<&'p str>>, FxHashMap<&'p str, (&'p str, bool)>);
    let mapped = mapped && !old.terminal_connections.is_empty() && !new.terminal_connections.is_empty();
    let made = |p: &'a Plan| -> Facts<'a> {
        let refs = super::refs::Refs::new(p);
        let mut links = fx_map(if held { p.classic.len() } else { 0 });
        for (c, ins) in p.classic.iter().enumerate().filter(|_| held) {
            let vpc = refs.held(p, c).and_then(|l| refs.link(l).1).map(|v| p.vpcs[v].id.as_str());
            links.entry(ins.id.as_str()).or_insert(vpc);
        }
        let mut terminals = fx_map(if mapped { p.terminal_connections.len() } else { 0 });
        for (t, tc) in p.terminal_connections.iter().enumerate().filter(|_| mapped) {
            terminals.entry(tc.id.as_str()).or_insert((tc.target.as_str(), refs.terminal(p, t).works()));
        }
        (links, terminals)
    };
    if !held && !mapped {
        return Vec::new();
    }
    let ((links_a, tcs_a), (links_b, tcs_b)) = (made(old), made(new));
    let mut out: Vec<&str> =
        links_a.iter().filter(|(id, v)| links_b.get(*id).is_some_and(|w| w != *v)).map(|(id, _)| *id).collect();
    for (id, &(target, was)) in &tcs_a {
        if let Some(&(now_target, now)) = tcs_b.get(id) {
            if was != now {
                out.extend([target, now_target]);
            }
        }
    }
    out
}

/// The IDs a flow's endpoint can name in a plan: its classic instances and VPC resources.
fn endpoint_ids(plan: &Plan) -> HashSet<&str> {
    let mut ids: HashSet<&str> = plan.classic.iter().map(|c| c.id.as_str()).collect();
    ids.extend(plan.vpcs.iter().flat_map(|v| v.resources.iter().map(|r| r.id.as_str())));
    ids
}

/// Whether an endpoint exists in a plan (an IP always does; an ID must name a classic instance or a VPC resource).
fn exists(ids: &HashSet<&str>, e: &Endpoint) -> bool {
    match e {
        Endpoint::Ip(_) => true,
        Endpoint::Id(id) => ids.contains(id.as_str()),
    }
}

/// What the flow diff asks about, for people (the Tools tab's hint): the expectations at their own protocol and
/// port, as the check asks them ([`flow_diff_at`]), then the pairs of [`flow_pairs`] at the form's.
pub const FLOWS_ASKED: &str = "Flows: each expectation at its own protocol and port (as the check asks it), then \
                               every two instances or resources of either plan at the protocol and port above, those \
                               nearest the changes first (up to 4,000 pairs).";

/// Differential reachability at one traffic: asks `reach` about every pair of [`flow_pairs`] in both plans (`changes`
/// is [`diff`]`(old, new)`, which orders the pairs) and reports the flows reachable in only one of them, each with
/// its reason. `reach` answers one question about one plan (the caller fixes the protocol and port, for the
/// expectations' pairs too: [`flow_diff_at`] asks those at their own, as the check does).
pub fn flow_diff(
    old: &Plan,
    new: &Plan,
    changes: &PlanDiff,
    reach: impl Fn(&Plan, &Endpoint, &Endpoint) -> Answer,
    limit: usize,
) -> FlowDiff {
    let (pairs, truncated) = flow_pairs(old, new, changes, limit);
    let questions = pairs.into_iter().map(|(from, to)| (from, to, None)).collect();
    ask_flows(old, new, questions, truncated, |p, a, b, _| reach(p, a, b))
}

/// Differential reachability as the Tools tab asks it: first each expectation of either plan at its own protocol
/// and port (as the check asks it: an expectation of TCP 8080 is not lost unseen behind a form at TCP 22), then the
/// pairs of [`flow_pairs`] at `traffic` (a pair asked already at that traffic, as an expectation, is not asked
/// again); at most `limit` questions in all. `reach` answers one question about one plan at the protocol and port
/// it is given.
pub fn flow_diff_at(
    old: &Plan,
    new: &Plan,
    changes: &PlanDiff,
    traffic: (Protocol, u16),
    reach: impl Fn(&Plan, &Endpoint, &Endpoint, Protocol, u16) -> Answer,
    limit: usize,
) -> FlowDiff {
    // A port means nothing to ICMP and ALL: such questions are the same whatever port they name.
    let key = |proto: Protocol, port: u16| (proto, if proto.has_ports() { port } else { 0 });
    let traffic = key(traffic.0, traffic.1);
    let mut expected: Vec<(String, String, (Protocol, u16))> = Vec::new();
    for p in [old, new] {
        expected
            .extend(p.expectations.iter().map(|e| (e.from.to_string(), e.to.to_string(), key(e.protocol(), e.port()))));
    }
    sorted_once(&mut expected);
    let (pairs, mut truncated) = flow_pairs(old, new, changes, limit);
    let own: HashSet<(&str, &str)> =
        expected.iter().filter(|e| e.2 == traffic).map(|e| (e.0.as_str(), e.1.as_str())).collect();
    let mut questions: Vec<Question> = expected
        .iter()
        .map(|(a, b, t)| (Endpoint::from(a.as_str()), Endpoint::from(b.as_str()), (*t != traffic).then_some(*t)))
        .collect();
    questions.extend(
        pairs
            .into_iter()
            .filter(|(a, b)| !own.contains(&(a.to_string().as_str(), b.to_string().as_str())))
            .map(|(a, b)| (a, b, None)),
    );
    truncated |= questions.len() > limit;
    questions.truncate(limit);
    ask_flows(old, new, questions, truncated, |p, a, b, t| {
        let (proto, port) = t.unwrap_or(traffic);
        reach(p, a, b, proto, port)
    })
}

/// One flow to ask about: from, to, and its own protocol and port (an expectation's) where not the caller's.
type Question = (Endpoint, Endpoint, Option<(Protocol, u16)>);

/// Asks each question (a pair, at its own traffic where it has one, else the caller's) of both plans and keeps the
/// flows reachable in only one of them, each with its reason.
fn ask_flows(
    old: &Plan,
    new: &Plan,
    questions: Vec<Question>,
    truncated: bool,
    reach: impl Fn(&Plan, &Endpoint, &Endpoint, Option<(Protocol, u16)>) -> Answer,
) -> FlowDiff {
    let mut d = FlowDiff { pairs_checked: questions.len(), truncated, ..FlowDiff::default() };
    let (old_ids, new_ids) = (endpoint_ids(old), endpoint_ids(new));
    for (from, to, traffic) in questions {
        let ask = |p: &Plan, ids: &HashSet<&str>| {
            (exists(ids, &from) && exists(ids, &to)).then(|| reach(p, &from, &to, traffic))
        };
        let (before, after) = (ask(old, &old_ids), ask(new, &new_ids));
        let was = before.as_ref().is_some_and(|a| a.reachable);
        let is = after.as_ref().is_some_and(|a| a.reachable);
        if was == is {
            continue;
        }
        let asked = traffic.map(|(proto, port)| super::reach::traffic(proto, port));
        // An expectation asked at its own traffic says which, and that it is an expectation.
        let at = asked.as_ref().map_or(String::new(), |t| format!(" at {t} (an expectation)"));
        let reason = if is {
            match &before {
                None => format!("{from} -> {to}{at}: reachable; an endpoint is new in this plan"),
                Some(a) => format!("{from} -> {to}{at}: reachable now; was blocked ({}): {}", code(a), a.message),
            }
        } else {
            match &after {
                None => format!("{from} -> {to}{at}: lost; an endpoint is gone from this plan"),
                Some(a) => format!("{from} -> {to}{at}: blocked now ({}): {}", code(a), a.message),
            }
        };
        let change = FlowChange { from, to, before, after, asked, reason };
        if is {
            d.gained.push(change);
        } else {
            d.lost.push(change);
        }
    }
    // Asked in the order of the rounds; listed by endpoints.
    for list in [&mut d.gained, &mut d.lost] {
        let key = |f: &FlowChange| (f.from.to_string(), f.to.to_string(), f.asked.clone());
        sort::sort_by(list, |a, b| key(a).cmp(&key(b)));
    }
    d
}

fn code(a: &Answer) -> &'static str {
    a.reason.map(|r| r.as_str()).unwrap_or("no reason given")
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::finding::Severity;
    use crate::domain::load::import;
    use crate::domain::model::Link;
    use crate::domain::reach::Reason;

    const EXAMPLE: &str = include_str!("../../tests/fixtures/plan-format-example.json");

    fn example() -> Plan {
        import(EXAMPLE).unwrap()
    }

    /// The object and settings diff as it was first written: every object of both plans as JSON, compared as JSON.
    /// The typed comparison must answer exactly as this does.
    fn diff_as_json(old: &Plan, new: &Plan) -> (Vec<String>, Vec<ObjectChange>) {
        let settings =
            |p: &Plan| [to_value(&p.name), to_value(&p.account), to_value(&p.quotas), to_value(&p.expectations)];
        let (sa, sb) = (settings(old), settings(new));
        let names = ["name", "account", "quotas", "expectations"];
        let changed_settings = (0..4).filter(|&i| sa[i] != sb[i]).map(|i| names[i].to_string()).collect();
        let index = |p: &Plan| {
            let mut m: BTreeMap<(&'static str, String), Value> = BTreeMap::new();
            let mut put = |section, id: &str, v| {
                m.insert((section, id.to_string()), v);
            };
            p.classic.iter().for_each(|x| put("classic", &x.id, to_value(x)));
            for vpc in &p.vpcs {
                let mut val = to_value(vpc);
                if let Value::Object(o) = &mut val {
                    ["subnets", "resources", "gateways"].iter().for_each(|k| drop(o.remove(*k)));
                }
                put("vpcs", &vpc.id, val);
                vpc.subnets.iter().for_each(|x| put("subnets", &x.id, with_vpc(to_value(x), &vpc.id)));
                vpc.resources.iter().for_each(|x| put("resources", &x.id, with_vpc(to_value(x), &vpc.id)));
                vpc.gateways.iter().for_each(|x| put("gateways", &x.id, with_vpc(to_value(x), &vpc.id)));
            }
            p.peerings.iter().for_each(|x| put("peerings", &x.id, to_value(x)));
            p.ccns.iter().for_each(|x| put("ccns", &x.id, to_value(x)));
            p.terminal_connections.iter().for_each(|x| put("terminal_connections", &x.id, to_value(x)));
            p.security_groups.iter().for_each(|x| put("security_groups", &x.id, to_value(x)));
            p.network_acls.iter().for_each(|x| put("network_acls", &x.id, to_value(x)));
            m
        };
        let (a, b) = (index(old), index(new));
        let mut objects = Vec::new();
        for ((section, id), va) in &a {
            let change = match b.get(&(section, id.clone())) {
                None => Some((Change::Removed, vec![])),
                Some(vb) if vb != va => Some((Change::Changed, changed_fields(va, vb))),
                Some(_) => None,
            };
            if let Some((change, fields)) = change {
                objects.push(ObjectChange { section, id: id.clone(), change, fields });
            }
        }
        for (section, id) in b.keys().filter(|k| !a.contains_key(*k)) {
            objects.push(ObjectChange { section, id: id.clone(), change: Change::Added, fields: vec![] });
        }
        sort::sort(&mut objects);
        (changed_settings, objects)
    }

    #[test]
    fn objects_compare_as_their_json_would() {
        use crate::domain::addr::{Ports, Protocol};
        use crate::domain::model::{Action, FilterRule, Peer, Platforms, State};
        let base = example();
        type Edit = fn(&mut Plan);
        let edits: [(&str, Edit); 17] = [
            ("nothing", |_| {}),
            ("a classic IP", |p| p.classic[0].ip = "10.66.9.9".parse().unwrap()),
            ("a classic state", |p| p.classic[0].state = State::Isolated),
            ("a VPC's name", |p| p.vpcs[0].name = "renamed".into()),
            ("an assistant CIDR", |p| p.vpcs[0].assistant_cidrs.push("10.40.0.0/16".parse().unwrap())),
            ("only a resource in a VPC", |p| p.vpcs[0].resources[0].ip = "10.0.1.99".parse().unwrap()),
            ("a subnet moved to another VPC", |p| {
                let s = p.vpcs[0].subnets.remove(0);
                p.vpcs[1].subnets.push(s);
            }),
            ("a resource removed", |p| drop(p.vpcs[0].resources.pop())),
            ("a security group rule", |p| {
                let r = FilterRule {
                    protocol: Protocol::Udp,
                    port: Ports::single(53),
                    peer: Peer::Cidr("10.0.0.0/8".parse().unwrap()),
                    action: Action::Drop,
                    description: "dns".into(),
                };
                p.security_groups[0].ingress.insert(0, r);
            }),
            ("a security group's directions swapped", |p| {
                let g = &mut p.security_groups[1];
                std::mem::swap(&mut g.ingress, &mut g.egress);
            }),
            ("the account", |p| p.account.platforms = Platforms::OnlyVpc),
            ("the quotas", |p| p.quotas.links_per_vpc = 7),
            ("an expectation", |p| p.expectations[0].reachable = !p.expectations[0].reachable),
            ("the plan's name", |p| p.name = "other".into()),
            ("a repeated classic ID, the last one changed", |p| {
                let mut c = p.classic[0].clone();
                c.zone = "elsewhere".into();
                p.classic.push(c);
            }),
            ("a CIDR written as a bare address", |p| {
                let rules = &mut p.security_groups[1].ingress;
                rules[0].peer = Peer::Cidr("10.0.0.1".parse().unwrap());
            }),
            ("a rule's peer now a security group", |p| {
                p.security_groups[1].ingress[0].peer = Peer::Group("sg-web".into());
            }),
        ];
        for (what, edit) in edits {
            let mut changed = base.clone();
            edit(&mut changed);
            for (old, new) in [(&base, &changed), (&changed, &base)] {
                let got = diff(old, new);
                assert_eq!((got.settings, got.objects), diff_as_json(old, new), "{what}");
            }
        }
    }

    #[test]
    fn identical_plans_have_no_diff() {
        let p = example();
        assert!(diff(&p, &p).is_empty());
    }

    /// Plans that differ in one top-level setting only are not the same: the diff names the setting.
    #[test]
    fn a_setting_alone_makes_plans_differ() {
        type Edit = fn(&mut Plan);
        let table: &[(&str, Edit)] = &[
            ("name", |p| p.name = "renamed".into()),
            ("quotas", |p| p.quotas.links_per_vpc = 5),
            ("expectations", |p| p.expectations.clear()),
        ];
        let old = example();
        for (setting, edit) in table {
            let mut new = old.clone();
            edit(&mut new);
            let d = diff(&old, &new);
            assert_eq!(d.settings, [*setting]);
            assert!(d.objects.is_empty() && d.links.is_empty(), "{setting}");
            assert!(!d.is_empty(), "{setting}");
        }
    }

    #[test]
    fn objects_added_removed_and_changed_with_fields() {
        let old = example();
        let mut new = old.clone();
        new.name = "renamed".into();
        new.classic[0].ip = [10, 66, 12, 99].into();
        new.classic[0].name = "web-one".into();
        new.vpcs[1].subnets.clear(); // subnet-dev removed, and ins-dev01 with it
        new.vpcs[1].resources.clear();
        new.security_groups.retain(|g| g.id != "sg-web");
        for c in &mut new.classic {
            c.security_groups.retain(|g| g != "sg-web");
        }
        let mut acl = new.network_acls[0].clone();
        acl.id = "acl-new".into();
        new.network_acls.push(acl);
        new.vpcs[0].resources.retain(|r| r.id != "ins-x01");
        let d = diff(&old, &new);
        assert_eq!(d.settings, ["name"]);
        let got = object_rows(&d);
        assert_eq!(
            got,
            vec![
                (
                    "classic",
                    "ins-web01",
                    Change::Changed,
                    vec!["ip 10.66.12.7 -> 10.66.12.99", "name web-1 -> web-one", "security_groups -sg-web"],
                ),
                ("network_acls", "acl-new", Change::Added, vec![]),
                ("resources", "ins-dev01", Change::Removed, vec![]),
                ("resources", "ins-x01", Change::Removed, vec![]),
                ("security_groups", "sg-web", Change::Removed, vec![]),
                ("subnets", "subnet-dev", Change::Removed, vec![]),
            ]
        );
    }

    /// Each changed object as (section, ID, change, fields), for a table to compare.
    fn object_rows(d: &PlanDiff) -> Vec<(&str, &str, Change, Vec<&str>)> {
        d.objects
            .iter()
            .map(|o| (o.section, o.id.as_str(), o.change, o.fields.iter().map(String::as_str).collect()))
            .collect()
    }

    /// A changed object says each changed field with its old and new value, as a changed link says its IPs: a
    /// value one side leaves out as "none", a list by the items it gained and lost (past three counted), a list
    /// reordered as such, a long value cut.
    #[test]
    fn changed_fields_say_their_old_and_new_values() {
        use crate::domain::model::State;
        type Edit = fn(&mut Plan);
        let table: [(&str, Edit, &str); 8] = [
            ("a state", |p| p.classic[0].state = State::Stopped, "state running -> stopped"),
            ("an IP", |p| p.classic[0].ip = [10, 66, 12, 99].into(), "ip 10.66.12.7 -> 10.66.12.99"),
            ("a name left out", |p| p.classic[0].name.clear(), "name web-1 -> none"),
            ("a group added", |p| p.classic[0].security_groups.push("sg-b".into()), "security_groups +sg-b"),
            (
                "groups replaced, past three",
                |p| p.classic[0].security_groups = ["sg-1", "sg-2", "sg-3"].map(Into::into).to_vec(),
                "security_groups +sg-1 +sg-2 +sg-3 and 1 more",
            ),
            (
                "a long name",
                |p| p.classic[0].name = "a name much longer than forty characters, cut".into(),
                "name web-1 -> a name much longer than forty character…",
            ),
            (
                "a rule added",
                |p| {
                    let g = p.security_groups.iter_mut().find(|g| g.id == "sg-app").unwrap();
                    let mut r = g.ingress[0].clone();
                    r.port = "8080".parse().unwrap();
                    g.ingress.push(r);
                },
                "ingress +(TCP 8080 10.66.0.0/16 ACCEPT)",
            ),
            (
                "rules reordered",
                |p| {
                    let g = p.security_groups.iter_mut().find(|g| g.id == "sg-app").unwrap();
                    g.ingress.reverse();
                },
                "ingress reordered (2 items)",
            ),
        ];
        // sg-app with two ingress rules, to reorder.
        let mut old = example();
        let app = old.security_groups.iter_mut().find(|g| g.id == "sg-app").unwrap();
        let mut https = app.ingress[0].clone();
        https.port = "443".parse().unwrap();
        app.ingress.push(https);
        for (what, edit, want) in table {
            let mut new = old.clone();
            edit(&mut new);
            let d = diff(&old, &new);
            let changed: Vec<&ObjectChange> = d.objects.iter().filter(|o| o.change == Change::Changed).collect();
            assert_eq!(changed.len(), 1, "{what}: {changed:?}");
            assert_eq!(changed[0].fields.len(), 1, "{what}: {changed:?}");
            assert!(changed[0].fields[0].starts_with(want), "{what}: {:?}", changed[0].fields);
        }
    }

    #[test]
    fn a_subnet_moving_vpc_is_a_vpc_field_change() {
        let old = example();
        let mut new = old.clone();
        let s = new.vpcs[1].subnets.remove(0);
        new.vpcs[1].resources.clear();
        new.vpcs[2].subnets.push(s);
        let d = diff(&old, &new);
        let sub = d.objects.iter().find(|o| o.id == "subnet-dev").unwrap();
        assert_eq!((sub.change, sub.fields.clone()), (Change::Changed, vec!["vpc vpc-dev -> vpc-bj".to_string()]));
    }

    /// A gateway moved to another VPC, fields unchanged, is a change of its `vpc` field as a subnet's is; the VPCs
    /// it left and joined do not change for it (a VPC's gateways are objects of their own), so a VPC renamed in the
    /// same edit names only `name`.
    #[test]
    fn a_gateway_moving_vpc_is_a_vpc_field_change_and_not_its_vpcs() {
        let old = example();
        let mut new = old.clone();
        new.vpcs[0].name = "production".into();
        let at = new.vpcs[0].gateways.iter().position(|g| g.id == "nat-1").unwrap();
        let g = new.vpcs[0].gateways.remove(at);
        new.vpcs[1].gateways.push(g);
        let d = diff(&old, &new);
        let got = object_rows(&d);
        assert_eq!(
            got,
            [
                ("gateways", "nat-1", Change::Changed, vec!["vpc vpc-prod -> vpc-dev"]),
                ("vpcs", "vpc-prod", Change::Changed, vec!["name prod -> production"])
            ]
        );
    }

    #[test]
    fn links_added_removed_and_ip_changed() {
        let old = example();
        let mut new = old.clone();
        new.links[0].ip = Some([10, 66, 12, 8].into());
        let mut web02 = new.classic[0].clone();
        web02.id = "ins-web02".into();
        web02.ip = [10, 66, 12, 9].into();
        new.classic.push(web02);
        new.links.push(Link { instance: "ins-web02".into(), vpc: "vpc-dev".into(), ip: None, invalidated: false });
        // A second link of ins-web01: refused (CL002), so no link added.
        new.links.push(Link { instance: "ins-web01".into(), vpc: "vpc-dev".into(), ip: None, invalidated: false });
        let d = diff(&old, &new);
        assert_eq!(
            d.links,
            [
                LinkChange {
                    instance: "ins-web01".into(),
                    vpc: "vpc-prod".into(),
                    change: Change::Changed,
                    old_ip: Some([10, 66, 12, 7].into()),
                    new_ip: Some([10, 66, 12, 8].into()),
                    old_invalidated: false,
                    new_invalidated: false,
                    // Made for 10.66.12.8, which ins-web01 no longer has (10.66.12.7): the record changed, so it is
                    // made again (as the exports do), which makes it for the IP ins-web01 has.
                    calls: vec![CallAction::DetachClassicLinkVpc, CallAction::AttachClassicLinkVpc],
                    new_broken: true,
                    action: "DetachClassicLinkVpc, then AttachClassicLinkVpc, which make it for ins-web01's IP now, \
                             10.66.12.7: the plan's link is broken by an IP change (made for 10.66.12.8, and \
                             ins-web01's IP is now 10.66.12.7, CL010), which no call makes"
                        .into(),
                },
                LinkChange {
                    instance: "ins-web02".into(),
                    vpc: "vpc-dev".into(),
                    change: Change::Added,
                    old_ip: None,
                    // An omitted IP is the instance's current one.
                    new_ip: Some([10, 66, 12, 9].into()),
                    old_invalidated: false,
                    new_invalidated: false,
                    calls: vec![CallAction::AttachClassicLinkVpc],
                    new_broken: false,
                    action: "AttachClassicLinkVpc".into(),
                },
            ]
        );
        let refused: Vec<_> = d.refused.iter().map(|l| (l.instance.as_str(), l.vpc.as_str(), l.change)).collect();
        assert_eq!(refused, [("ins-web01", "vpc-dev", Change::Added)]);
        let back = diff(&new, &old);
        // The detach first, then the link made again.
        let calls: Vec<_> = back.links.iter().map(|l| (l.change, l.calls.len())).collect();
        assert_eq!(calls, [(Change::Removed, 1), (Change::Changed, 2)]);
        assert_eq!(back.refused.iter().map(|l| l.change).collect::<Vec<_>>(), [Change::Removed]);
    }

    /// A link is compared by the IP it was made for: writing out the current IP changes nothing, and an IP change
    /// under a link that omits it changes the link.
    #[test]
    fn links_compare_by_the_ip_they_were_made_for() {
        let mut old = example();
        let l = 0;
        old.links[l].ip = None;
        let ins = old.links[l].instance.to_string();
        let now = old.classic_instance(&ins).unwrap().ip;
        let mut explicit = old.clone();
        explicit.links[l].ip = Some(now);
        assert!(diff(&old, &explicit).links.is_empty());
        let mut moved = old.clone();
        moved.classic.iter_mut().find(|c| c.id == ins).unwrap().ip = [10, 66, 200, 1].into();
        let d = diff(&old, &moved);
        assert_eq!(d.links.len(), 1);
        assert_eq!(
            (d.links[0].change, d.links[0].old_ip, d.links[0].new_ip),
            (Change::Changed, Some(now), Some([10, 66, 200, 1].into()))
        );
        old.links[l].ip = Some(now);
        assert_eq!(diff(&old, &moved).links.len(), 1);
        // The CVM's IP changed under a link that records the IP it was made for: the same record, but the link no
        // longer works (CL010), so it is a change, and its IP change back makes no call bring it back.
        let mut stale = moved.clone();
        stale.links[l].ip = Some(now);
        let d = diff(&old, &stale);
        let said: Vec<_> =
            d.links.iter().map(|c| (c.change, c.old_ip, c.new_ip, c.new_broken, c.calls.clone())).collect();
        assert_eq!(said, [(Change::Changed, Some(now), Some(now), true, vec![])], "{:?}", d.links);
        assert_eq!(d.links[0].made_for("current IP"), now.to_string(), "said once");
        let d = diff(&stale, &old);
        let said: Vec<_> = d.links.iter().map(|c| (c.change, c.new_broken, c.calls.clone())).collect();
        use CallAction::{AttachClassicLinkVpc as Attach, DetachClassicLinkVpc as Detach};
        assert_eq!(said, [(Change::Changed, false, vec![Detach, Attach])], "{:?}", d.links);
        // A link an IP change invalidated, its CVM's IP back, and the same link made again: a change.
        let mut invalid = old.clone();
        invalid.links[l].invalidated = true;
        // And the other way: the link invalidated, its CVM's IP back, said on the side that has it.
        for (from, to, want) in [
            (&invalid, &old, format!("{now}, invalidated -> {now}")),
            (&old, &invalid, format!("{now} -> {now}, invalidated")),
        ] {
            let d = diff(from, to);
            assert_eq!(d.links.len(), 1, "{want}");
            assert_eq!(d.links[0].made_for("current IP"), want);
        }
    }

    /// What a link that differs says to do in Tencent Cloud, for each kind of change: the calls that take the old
    /// plan's link to the new one (a link made again, for another IP or after an IP change, is detached and attached
    /// again: CL010), and none where no call does (returning the CVM unlinked it; the new plan's link is broken by an
    /// IP change, which no call makes: said so, with the detach and attach that make it work again). In the JSON,
    /// `calls` always, `new_broken` when true, next to the fields the diff had.
    #[test]
    fn a_link_change_says_what_to_do_in_tencent_cloud() {
        use crate::domain::model::State;
        type Edit = fn(&mut Plan);
        fn ip(last: u8) -> Option<Ipv4Addr> {
            Some([10, 66, 0, last].into())
        }
        use CallAction::{AttachClassicLinkVpc as A, DetachClassicLinkVpc as D};
        // The calls' names, as said to people.
        const AS: &str = "AttachClassicLinkVpc";
        const DS: &str = "DetachClassicLinkVpc";
        let broken = |why: &str| {
            format!("no call makes it: an IP change broke it ({why}, CL010); {DS}, then {AS} make it work again")
        };
        // ins-1 (10.66.0.1) linked to vpc-a, the link made for its current IP, unless an edit says otherwise.
        // (what, the old plan's edit, the new plan's, the change, its calls, whether broken in the new plan, action)
        type Row = (&'static str, Edit, Edit, Change, &'static [CallAction], bool, String);
        let table: Vec<Row> = vec![
            ("added", |p| p.links.clear(), |_| {}, Change::Added, &[A], false, AS.into()),
            ("removed", |_| {}, |p| p.links.clear(), Change::Removed, &[D], false, DS.into()),
            (
                "removed while broken by an IP change",
                |p| p.links[0].ip = ip(9),
                |p| p.links.clear(),
                Change::Removed,
                &[D],
                false,
                DS.into(),
            ),
            (
                "removed by returning the CVM",
                |_| {},
                |p| p.classic[0].state = State::Returned,
                Change::Removed,
                &[],
                false,
                "no call: returning ins-1 unlinked it (CL012)".into(),
            ),
            (
                "made again for the CVM's new IP",
                |_| {},
                |p| {
                    p.classic[0].ip = [10, 66, 0, 9].into();
                    p.links[0].ip = ip(9);
                },
                Change::Changed,
                &[D, A],
                false,
                format!("made again for 10.66.0.9: {DS}, then {AS}"),
            ),
            (
                "made again after an IP change and back",
                |p| {
                    p.links[0].ip = ip(1);
                    p.links[0].invalidated = true;
                },
                |p| p.links[0].ip = ip(1),
                Change::Changed,
                &[D, A],
                false,
                format!("made again for 10.66.0.1: {DS}, then {AS}"),
            ),
            (
                "a link broken by an IP change made again",
                |p| {
                    p.classic[0].ip = [10, 66, 0, 9].into();
                    p.links[0].ip = ip(1);
                },
                |p| p.classic[0].ip = [10, 66, 0, 9].into(),
                Change::Changed,
                &[D, A],
                false,
                format!("made again for 10.66.0.9: {DS}, then {AS}"),
            ),
            (
                "broken by an IP change and back, not made again",
                |_| {},
                |p| {
                    p.links[0].ip = ip(1);
                    p.links[0].invalidated = true;
                },
                Change::Changed,
                &[],
                true,
                broken("made for 10.66.0.1, and ins-1's IP changed since, and is 10.66.0.1 again"),
            ),
            (
                // The record changed: made again, which makes it for the CVM's IP now, as the exports do.
                "made for another IP than the CVM has",
                |_| {},
                |p| {
                    p.classic[0].ip = [10, 66, 0, 10].into();
                    p.links[0].ip = ip(9);
                },
                Change::Changed,
                &[D, A],
                true,
                format!(
                    "{DS}, then {AS}, which make it for ins-1's IP now, 10.66.0.10: the plan's link is broken by an \
                     IP change (made for 10.66.0.9, and ins-1's IP is now 10.66.0.10, CL010), which no call makes"
                ),
            ),
            (
                // Never made in the old plan: nothing to detach; the attach makes it for the CVM's IP now.
                "added, made for another IP than the CVM has",
                |p| p.links.clear(),
                |p| p.links[0].ip = ip(9),
                Change::Added,
                &[A],
                true,
                format!(
                    "{AS}, which makes it for ins-1's IP now, 10.66.0.1: the plan's link is broken by an IP change \
                     (made for 10.66.0.9, and ins-1's IP is now 10.66.0.1, CL010), which no call makes"
                ),
            ),
            (
                // Broken in both, by the flag (its IP back), then by its IP moved away again: nothing to do.
                "broken by the flag, then by another IP change",
                |p| {
                    p.links[0].ip = ip(1);
                    p.links[0].invalidated = true;
                },
                |p| {
                    p.links[0].ip = ip(1);
                    p.classic[0].ip = [10, 66, 0, 10].into();
                },
                Change::Changed,
                &[],
                true,
                broken("made for 10.66.0.1, and ins-1's IP is now 10.66.0.10"),
            ),
        ];
        for (name, old_edit, new_edit, change, calls, new_broken, action) in table {
            let (mut old, mut new) = (fates_plan(&[("ins-1", "vpc-a")], 100), fates_plan(&[("ins-1", "vpc-a")], 100));
            old_edit(&mut old);
            new_edit(&mut new);
            let got = diff(&old, &new).links;
            assert_eq!(got.len(), 1, "{name}: {got:?}");
            let l = &got[0];
            assert_eq!((l.instance.as_str(), l.vpc.as_str(), l.change), ("ins-1", "vpc-a", change), "{name}");
            assert_eq!(
                (l.calls.as_slice(), l.new_broken, l.action.as_str()),
                (calls, new_broken, action.as_str()),
                "{name}"
            );
            let json = to_value(l);
            assert_eq!(json["calls"], serde_json::json!(calls), "{name}: {json}");
            assert_eq!(json.get("new_broken"), new_broken.then_some(&Value::Bool(true)), "{name}: {json}");
            assert_eq!(json["action"], action.as_str(), "{name}: {json}");
            assert_eq!((&json["instance"], &json["vpc"]), (&Value::from("ins-1"), &Value::from("vpc-a")), "{name}");
        }
    }

    /// A small plan for the fates of links: ins-1 and ins-2 (CVMs) in Guangzhou, vpc-a and vpc-b (10.0/16,
    /// 10.1/16) there and vpc-x (172.16/16, outside the Classiclink range); `links` as (instance, VPC) in plan order.
    fn fates_plan(links: &[(&str, &str)], quota: u32) -> Plan {
        let links: Vec<String> = links.iter().map(|(i, v)| format!(r#"{{"instance": "{i}", "vpc": "{v}"}}"#)).collect();
        import(&format!(
            r#"{{"format": "classiclink-plan", "version": 1, "quotas": {{"links_per_vpc": {quota}}},
                "classic": [{{"id": "ins-1", "kind": "cvm", "region": "r", "ip": "10.66.0.1"}},
                            {{"id": "ins-2", "kind": "cvm", "region": "r", "ip": "10.66.0.2"}}],
                "vpcs": [{{"id": "vpc-a", "region": "r", "cidr": "10.0.0.0/16"}},
                         {{"id": "vpc-b", "region": "r", "cidr": "10.1.0.0/16"}},
                         {{"id": "vpc-x", "region": "r", "cidr": "172.16.0.0/16"}}],
                "links": [{}]}}"#,
            links.join(", ")
        ))
        .unwrap()
    }

    /// The link section compares the links Tencent Cloud made of each plan's list (the one each CVM holds): a held
    /// link that moves VPC is one removed and one added. A listed link never made is no link added or removed: it
    /// is shown apart, refused, with why.
    #[test]
    fn link_changes_are_between_the_links_made() {
        type Links<'a> = &'a [(&'a str, &'a str)];
        type Rows<'a> = &'a [(&'a str, &'a str, Change)];
        let (add, rm) = (Change::Added, Change::Removed);
        let table: [(&str, Links, Links, u32, Rows, Rows); 5] = [
            // vpc-b was refused (CL002): ins-1 held vpc-a, and now holds vpc-b.
            (
                "a second link kept alone",
                &[("ins-1", "vpc-a"), ("ins-1", "vpc-b")],
                &[("ins-1", "vpc-b")],
                100,
                &[("ins-1", "vpc-a", rm), ("ins-1", "vpc-b", add)],
                &[],
            ),
            (
                "the order swapped",
                &[("ins-1", "vpc-a"), ("ins-1", "vpc-b")],
                &[("ins-1", "vpc-b"), ("ins-1", "vpc-a")],
                100,
                &[("ins-1", "vpc-a", rm), ("ins-1", "vpc-b", add)],
                &[("ins-1", "vpc-a", add)],
            ),
            // Quota 1: ins-1 held vpc-a and ins-2 vpc-b; swapped, ins-2 holds vpc-a and ins-1 nothing.
            (
                "the quota's order swapped",
                &[("ins-1", "vpc-a"), ("ins-2", "vpc-a"), ("ins-2", "vpc-b")],
                &[("ins-2", "vpc-a"), ("ins-1", "vpc-a"), ("ins-2", "vpc-b")],
                1,
                // Detaches first: ins-2 takes ins-1's place under the quota, and leaves vpc-b for it.
                &[("ins-1", "vpc-a", rm), ("ins-2", "vpc-b", rm), ("ins-2", "vpc-a", add)],
                &[("ins-1", "vpc-a", add), ("ins-2", "vpc-b", add)],
            ),
            // vpc-x is outside 10.0-47 (CL001): never made, so never removed.
            (
                "a refused link replaced",
                &[("ins-1", "vpc-x")],
                &[("ins-1", "vpc-a")],
                100,
                &[("ins-1", "vpc-a", add)],
                &[("ins-1", "vpc-x", rm)],
            ),
            ("the same refused link", &[("ins-1", "vpc-x")], &[("ins-1", "vpc-x")], 100, &[], &[]),
        ];
        for (name, old, new, quota, links, refused) in table {
            let d = diff(&fates_plan(old, quota), &fates_plan(new, quota));
            let got: Vec<_> = d.links.iter().map(|l| (l.instance.as_str(), l.vpc.as_str(), l.change)).collect();
            assert_eq!(got, links, "{name}");
            let got: Vec<_> = d.refused.iter().map(|l| (l.instance.as_str(), l.vpc.as_str(), l.change)).collect();
            assert_eq!(got, refused, "{name}");
            assert_eq!(d.is_empty(), links.is_empty() && refused.is_empty(), "{name}");
        }
        let d =
            diff(&fates_plan(&[("ins-1", "vpc-x")], 100), &fates_plan(&[("ins-1", "vpc-b"), ("ins-1", "vpc-a")], 1));
        assert_eq!(d.refused.len(), 2, "{d:?}");
        assert!(d.refused[0].why.starts_with("ins-1 already held its link to vpc-b"), "{:?}", d.refused[0]);
        assert!(d.refused[1].why.contains("(CL001, "), "{:?}", d.refused[1]);
    }

    fn f(rule: &'static str, objects: &[&str], message: &str) -> Finding {
        Finding {
            rule,
            severity: Severity::Error,
            api_error: None,
            objects: objects.iter().map(|s| s.to_string()).collect(),
            message: message.into(),
        }
    }

    #[test]
    fn findings_appear_and_disappear_by_rule_and_objects() {
        let old = Report {
            findings: vec![
                f("CL003", &["vpc-a"], "101 links"),
                f("CL001", &["vpc-b"], "x"),
                f("CL002", &["ins-1"], "y"),
            ],
            expectations: vec![],
        };
        let new = Report {
            findings: vec![
                f("CL003", &["vpc-a"], "102 links"), // same problem, reworded: neither appeared nor disappeared
                f("CL002", &["ins-1"], "y"),
                f("CL002", &["ins-1"], "y"), // a second occurrence appears
                f("CL001", &["vpc-c"], "z"),
            ],
            expectations: vec![],
        };
        let d = findings_diff(&old, &new);
        let key = |v: &[Finding]| v.iter().map(|x| (x.rule, x.objects[0].clone())).collect::<Vec<_>>();
        assert_eq!(key(&d.appeared), [("CL001", "vpc-c".to_string()), ("CL002", "ins-1".to_string())]);
        assert_eq!(key(&d.disappeared), [("CL001", "vpc-b".to_string())]);
        assert_eq!(findings_diff(&old, &old), FindingsDiff::default());
    }

    /// A toy reachability: classic to resource is reachable exactly when the classic instance is linked to the
    /// resource's VPC; everything else is VPC_ISOLATED.
    fn toy_reach(p: &Plan, from: &Endpoint, to: &Endpoint) -> Answer {
        let vpc_of =
            |id: &str| p.vpcs.iter().find(|v| v.resources.iter().any(|r| r.id == id)).map(|v| v.id.to_string());
        let (Endpoint::Id(a), Endpoint::Id(b)) = (from, to) else { unreachable!("the pairs are IDs") };
        let linked =
            |c: &str, r: &str| vpc_of(r).is_some_and(|v| p.links.iter().any(|l| l.instance == c && l.vpc == v));
        let ok = linked(a, b);
        Answer {
            reachable: ok,
            reason: (!ok).then_some(Reason::NotLinked),
            blocked_by: None,
            hops: vec![],
            message: if ok { "ok".into() } else { format!("{a} is not linked to {b}'s VPC") },
        }
    }

    #[test]
    fn flows_gained_and_lost_with_reasons() {
        let old = example();
        let mut new = old.clone();
        new.links[0].vpc = "vpc-dev".into(); // ins-web01 leaves vpc-prod for vpc-dev
        let d = flow_diff(&old, &new, &diff(&old, &new), toy_reach, DEFAULT_FLOW_PAIRS);
        let pairs = |v: &[FlowChange]| v.iter().map(|c| format!("{}>{}", c.from, c.to)).collect::<Vec<_>>();
        assert_eq!(pairs(&d.gained), ["ins-web01>ins-dev01"]);
        assert_eq!(
            pairs(&d.lost),
            ["ins-web01>cdb-vpc1", "ins-web01>ins-app01", "ins-web01>ins-x01", "ins-web01>lb-prod"]
        );
        assert!(d.gained[0].reason.contains("was blocked (NOT_LINKED)"));
        assert!(d.lost[0].reason.contains("blocked now (NOT_LINKED): ins-web01 is not linked"));
        // 8 endpoints (3 classic, 5 resources): 56 ordered pairs, the expectation pairs among them.
        assert_eq!((d.pairs_checked, d.truncated), (56, false));
        assert_eq!(flow_diff(&old, &old, &PlanDiff::default(), toy_reach, DEFAULT_FLOW_PAIRS).gained, []);
    }

    #[test]
    fn endpoints_only_in_one_plan_and_the_bound() {
        let old = example();
        let mut new = old.clone();
        new.links.clear();
        new.classic.retain(|c| c.id != "ins-web01");
        new.classic.iter_mut().for_each(|c| c.backends.clear());
        new.terminal_connections.clear();
        new.expectations.clear();
        let changes = diff(&old, &new);
        let d = flow_diff(&old, &new, &changes, toy_reach, DEFAULT_FLOW_PAIRS);
        assert_eq!(d.lost.len(), 4);
        assert!(d.lost.iter().all(|c| c.after.is_none() && c.reason.contains("gone from this plan")));
        let (pairs, truncated) = flow_pairs(&old, &new, &changes, 7);
        assert_eq!((pairs.len(), truncated), (7, true));
        let bounded = flow_diff(&old, &new, &changes, toy_reach, 7);
        assert!(bounded.truncated && bounded.pairs_checked == 7);
    }

    /// A flow is lost for a gone endpoint at either end, and is then not asked of the plan without it: `after` is
    /// empty and the reason says the endpoint is gone.
    #[test]
    fn a_flow_to_or_from_a_gone_endpoint_is_lost_unasked() {
        type Edit = fn(&mut Plan);
        let table: &[(&str, Edit, &[&str])] = &[
            ("the flow's target", |p| p.vpcs[0].resources.retain(|r| r.id != "cdb-vpc1"), &["ins-web01>cdb-vpc1"]),
            (
                "the flow's source",
                |p| p.classic.retain(|c| c.id != "ins-web01"),
                &["ins-web01>cdb-vpc1", "ins-web01>ins-app01", "ins-web01>ins-x01", "ins-web01>lb-prod"],
            ),
        ];
        let old = example();
        for (name, edit, want) in table {
            let mut new = old.clone();
            edit(&mut new);
            let d = flow_diff(&old, &new, &diff(&old, &new), toy_reach, DEFAULT_FLOW_PAIRS);
            let lost: Vec<String> = d.lost.iter().map(|c| format!("{}>{}", c.from, c.to)).collect();
            assert_eq!(lost, *want, "{name}");
            for c in &d.lost {
                assert!(c.before.as_ref().is_some_and(|a| a.reachable), "{name}: {}", c.reason);
                assert_eq!(c.after, None, "{name}: {}", c.reason);
                assert_eq!(c.reason, format!("{} -> {}: lost; an endpoint is gone from this plan", c.from, c.to));
            }
        }
    }

    /// Every pair in the order of `flow_pairs`' rounds, made (what `flow_pairs` computes without making them
    /// all): the expectation pairs, then each touched endpoint's pairs both ways, then the rest.
    fn all_pairs(old: &Plan, new: &Plan, touched: &[&str]) -> Vec<(String, String)> {
        let mut ends = BTreeSet::new();
        let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
        for p in [old, new] {
            ends.extend(p.classic.iter().map(|c| c.id.to_string()));
            ends.extend(p.vpcs.iter().flat_map(|v| v.resources.iter().map(|r| r.id.to_string())));
            expected.extend(p.expectations.iter().map(|e| (e.from.to_string(), e.to.to_string())));
        }
        let mut order: Vec<(String, String)> = expected.into_iter().collect();
        // Near: a classic instance's linked VPCs' resources, a resource's VPC's linked instances (both plans).
        for a in ends.iter().filter(|a| touched.contains(&a.as_str())) {
            let mut near = BTreeSet::new();
            for p in [old, new] {
                for l in &p.links {
                    for v in p.vpcs.iter().filter(|v| v.id == l.vpc) {
                        for r in &v.resources {
                            if l.instance == a.as_str() {
                                near.insert(r.id.to_string());
                            }
                            if r.id == a.as_str() {
                                near.insert(l.instance.to_string());
                            }
                        }
                    }
                }
            }
            for b in near {
                order.push((a.clone(), b.clone()));
                order.push((b, a.clone()));
            }
        }
        for a in ends.iter().filter(|a| touched.contains(&a.as_str())) {
            for b in &ends {
                order.push((a.clone(), b.clone()));
                order.push((b.clone(), a.clone()));
            }
        }
        for a in &ends {
            for b in &ends {
                order.push((a.clone(), b.clone()));
            }
        }
        let mut seen = BTreeSet::new();
        order.into_iter().filter(|(a, b)| a != b && seen.insert((a.clone(), b.clone()))).collect()
    }

    #[test]
    fn flow_pairs_are_the_first_of_all_pairs_in_order() {
        let old = example();
        let mut new = old.clone();
        // Instances and resources only in one plan, an ID that is both an instance and a resource, and expectations
        // between IPs, between objects, and repeating a pair the instance-resource pairs already hold.
        new.classic.retain(|c| c.id != "ins-web01");
        let mut twin = new.classic[0].clone();
        twin.id = new.vpcs[0].resources[0].id.clone();
        new.classic.push(twin);
        let mut e = new.expectations[0].clone();
        e.from = Endpoint::from("10.66.0.9");
        e.to = Endpoint::from("8.8.8.8");
        new.expectations.push(e.clone());
        e.from = Endpoint::from(new.classic[0].id.as_str());
        e.to = Endpoint::from(new.vpcs[0].resources[0].id.as_str());
        new.expectations.push(e);
        let changes = diff(&old, &new);
        let mut touched: Vec<&str> = super::touched(&old, &new, &changes).into_iter().collect();
        touched.sort();
        // ins-web01 (gone) and the twin's ID (a new classic instance).
        assert_eq!(touched, ["ins-app01", "ins-web01"]);
        let all = all_pairs(&old, &new, &touched);
        assert!(all.len() > 50, "{}", all.len());
        for limit in [0, 1, 2, 3, 5, 7, 13, 40, all.len() - 1, all.len(), all.len() + 1, 10_000] {
            let (pairs, truncated) = flow_pairs(&old, &new, &changes, limit);
            let got: Vec<(String, String)> = pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
            assert_eq!(got, all[..limit.min(all.len())], "limit {limit}");
            assert_eq!(truncated, all.len() > limit, "limit {limit}");
        }
    }

    /// What each kind of change touches.
    #[test]
    fn touched_endpoints_by_change() {
        let old = example();
        type Edit = fn(&mut Plan);
        let table: &[(&str, Edit, &[&str])] = &[
            ("nothing", |_| {}, &[]),
            ("an instance's name", |p| p.classic[1].name = "db".into(), &["cdb-orders"]),
            ("a link", |p| p.links[0].ip = Some("10.66.12.9".parse().unwrap()), &["ins-web01"]),
            ("a resource's IP", |p| p.vpcs[0].resources[2].ip = "10.0.1.31".parse().unwrap(), &["lb-prod"]),
            // A resource taking tc-1's address (CL017): tc-1 no longer maps cdb-orders, whose flows change.
            (
                "a resource's IP onto a terminal connection's",
                |p| p.vpcs[0].resources[2].ip = "10.0.1.200".parse().unwrap(),
                &["cdb-orders", "lb-prod"],
            ),
            ("a group's rule", |p| p.security_groups[1].ingress.clear(), &["ins-app01"]),
            // What the subnets behind the ACL hold, and the target of the terminal connection whose address one holds.
            (
                "a subnet's ACL rules",
                |p| p.network_acls[0].ingress.clear(),
                &["cdb-orders", "cdb-vpc1", "ins-app01", "lb-prod"],
            ),
            // A terminal connection: its target, and what is in or linked to its VPC.
            (
                "a terminal connection",
                |p| p.terminal_connections[0].ip = "10.0.1.201".parse().unwrap(),
                &["cdb-orders", "cdb-vpc1", "ins-app01", "ins-web01", "ins-x01", "lb-prod"],
            ),
            // A peering carries no linked CVM's traffic: the resources on either side.
            ("a peering", |p| p.peerings.clear(), &["cdb-vpc1", "ins-app01", "ins-dev01", "ins-x01", "lb-prod"]),
            (
                "a gateway",
                |p| p.vpcs[0].gateways.truncate(1),
                &["cdb-vpc1", "ins-app01", "ins-web01", "ins-x01", "lb-prod"],
            ),
            (
                "the quota",
                |p| p.quotas.links_per_vpc = 5,
                &["cdb-orders", "cdb-vpc1", "ins-app01", "ins-dev01", "ins-web01", "ins-x01", "lb-old", "lb-prod"],
            ),
        ];
        for (name, edit, want) in table {
            let mut new = old.clone();
            edit(&mut new);
            let mut got: Vec<&str> = touched(&old, &new, &diff(&old, &new)).into_iter().collect();
            got.sort();
            assert_eq!(got, *want, "{name}");
        }
    }

    /// A changed VPC resource is touched, so its flows are asked before the untouched pairs: with room for the
    /// expectations and two more pairs, the flow lb-prod loses by moving into an assistant CIDR (a linked classic
    /// CVM reaches only the primary CIDR) is found.
    #[test]
    fn a_changed_resources_lost_flows_are_asked_first() {
        let old = example();
        let mut new = old.clone();
        let lb = new.vpcs[0].resources.iter_mut().find(|r| r.id == "lb-prod").unwrap();
        lb.subnet = "subnet-extra".into();
        lb.ip = "10.100.1.30".parse().unwrap();
        let (net_old, net_new) = (crate::domain::Network::new(&old), crate::domain::Network::new(&new));
        let reach = |q: &Plan, a: &Endpoint, b: &Endpoint| {
            let net = if std::ptr::eq(q, &old) { &net_old } else { &net_new };
            net.reach(a, b, crate::domain::Protocol::Tcp, 80).unwrap()
        };
        let d = flow_diff(&old, &new, &diff(&old, &new), reach, old.expectations.len() + 2);
        assert!(d.truncated);
        let lost: Vec<String> = d.lost.iter().map(|c| format!("{}>{}", c.from, c.to)).collect();
        assert_eq!(lost, ["ins-web01>lb-prod"]);
    }

    /// Flows between two VPC resources and between two classic instances are asked too.
    #[test]
    fn flows_between_resources_and_between_classic_instances() {
        let old = example();
        // A toy reachability: resource to resource while the plan has a peering, classic to classic while sg-web has
        // egress rules; nothing else.
        let reach = |p: &Plan, from: &Endpoint, to: &Endpoint| -> Answer {
            let ok = match (from.to_string().as_str(), to.to_string().as_str()) {
                ("ins-app01", "ins-dev01") => !p.peerings.is_empty(),
                ("ins-web01", "lb-old") => !p.security_groups[0].egress.is_empty(),
                _ => false,
            };
            Answer { reachable: ok, reason: None, blocked_by: None, hops: vec![], message: String::new() }
        };
        let mut new = old.clone();
        new.peerings.clear();
        new.security_groups[0].egress.clear();
        let d = flow_diff(&old, &new, &diff(&old, &new), reach, DEFAULT_FLOW_PAIRS);
        let lost: Vec<String> = d.lost.iter().map(|c| format!("{}>{}", c.from, c.to)).collect();
        assert_eq!(lost, ["ins-app01>ins-dev01", "ins-web01>lb-old"]);
    }

    #[test]
    fn flow_pairs_of_a_large_plan_ask_what_changed_first() {
        // 2,000 instances and 5,000 resources: 49 million pairs, of which only the first 4,000 are made.
        let p = crate::domain::synth::plan(1);
        let (pairs, truncated) = flow_pairs(&p, &p, &PlanDiff::default(), DEFAULT_FLOW_PAIRS);
        assert_eq!((pairs.len(), truncated), (DEFAULT_FLOW_PAIRS, true));
        // The expectations' pairs, then (nothing changed) the first endpoint's pairs.
        let expected: BTreeSet<(String, String)> =
            p.expectations.iter().map(|e| (e.from.to_string(), e.to.to_string())).collect();
        let first = p.classic.iter().map(|c| c.id.as_str()).min().unwrap();
        let rest = &pairs[expected.len()..];
        assert!(rest.iter().all(|(a, _)| a.to_string() == first), "all from the first instance: {:?}", rest[0]);
        // One CVM far down the sorted order loses its link: its pairs come first, and its lost flows are found.
        let mut new = p.clone();
        let at = new.links.iter().position(|l| l.instance == "ins-r0-999").expect("a link of ins-r0-999");
        let vpc = new.links.remove(at).vpc;
        let (net_old, net_new) = (crate::domain::Network::new(&p), crate::domain::Network::new(&new));
        let reach = |q: &Plan, a: &Endpoint, b: &Endpoint| {
            let net = if std::ptr::eq(q, &p) { &net_old } else { &net_new };
            net.reach(a, b, crate::domain::Protocol::Tcp, 22).unwrap()
        };
        let d = flow_diff(&p, &new, &diff(&p, &new), reach, DEFAULT_FLOW_PAIRS);
        assert!(d.truncated);
        assert!(!d.lost.is_empty(), "ins-r0-999 lost its flows into {vpc}");
        let at_either_end = |c: &FlowChange| [&c.from, &c.to].iter().any(|e| e.to_string() == "ins-r0-999");
        assert!(d.lost.iter().all(at_either_end), "{:?}", d.lost[0]);
        assert!(d.lost.iter().all(|c| c.after.as_ref().is_some_and(|a| a.reason == Some(Reason::NotLinked))));
    }

    /// At Tencent's size, a peering taken out loses flows between the resources on either side, and those pairs
    /// are asked first (a linked CVM's flows never cross a peering).
    #[test]
    fn a_peering_taken_out_at_scale_loses_the_flows_across_it() {
        let p = crate::domain::synth::plan(1);
        let mut new = p.clone();
        let gone = new.peerings.remove(0);
        let (net_old, net_new) = (crate::domain::Network::new(&p), crate::domain::Network::new(&new));
        let reach = |q: &Plan, a: &Endpoint, b: &Endpoint| {
            let net = if std::ptr::eq(q, &p) { &net_old } else { &net_new };
            net.reach(a, b, crate::domain::Protocol::Tcp, 22).unwrap()
        };
        let d = flow_diff(&p, &new, &diff(&p, &new), reach, DEFAULT_FLOW_PAIRS);
        assert!(!d.lost.is_empty(), "flows across {} lost", gone.id);
        let vpc_of = |id: &str| p.vpcs.iter().find(|v| v.resources.iter().any(|r| r.id == id)).map(|v| v.id.clone());
        for c in &d.lost {
            let ends = [vpc_of(&c.from.to_string()), vpc_of(&c.to.to_string())];
            assert!(ends.iter().all(|v| v.as_ref().is_some_and(|v| gone.vpcs.contains(v))), "{}", c.reason);
            assert_eq!(c.after.as_ref().and_then(|a| a.reason), Some(Reason::VpcIsolated));
        }
    }

    /// The same at Tencent's size for a CCN taken out: the pairs across it are asked first too (asked last, after
    /// every touched endpoint with every other, the bound left them out and the diff said no flow was lost).
    #[test]
    fn a_ccn_taken_out_at_scale_loses_the_flows_across_it() {
        let mut p = crate::domain::synth::plan(1);
        let joined = p.peerings.remove(0).vpcs;
        p.ccns.push(Ccn { id: "ccn-1".into(), vpcs: joined.clone() });
        let mut new = p.clone();
        new.ccns.clear();
        let (net_old, net_new) = (crate::domain::Network::new(&p), crate::domain::Network::new(&new));
        let reach = |q: &Plan, a: &Endpoint, b: &Endpoint| {
            let net = if std::ptr::eq(q, &p) { &net_old } else { &net_new };
            net.reach(a, b, crate::domain::Protocol::Tcp, 22).unwrap()
        };
        let d = flow_diff(&p, &new, &diff(&p, &new), reach, DEFAULT_FLOW_PAIRS);
        assert!(!d.lost.is_empty(), "flows across ccn-1 lost");
        let vpc_of = |id: &str| p.vpcs.iter().find(|v| v.resources.iter().any(|r| r.id == id)).map(|v| v.id.clone());
        for c in &d.lost {
            let ends = [vpc_of(&c.from.to_string()), vpc_of(&c.to.to_string())];
            assert!(ends.iter().all(|v| v.as_ref().is_some_and(|v| joined.contains(v))), "{}", c.reason);
            assert_eq!(c.after.as_ref().and_then(|a| a.reason), Some(Reason::VpcIsolated));
        }
    }

    /// A link taken out frees a place in its VPC's quota: the link past the quota now works, and its flows are found.
    #[test]
    fn a_link_taken_out_gains_the_flows_of_the_link_past_the_quota() {
        let mut p = crate::domain::synth::plan(1);
        let vpc = p.links[0].vpc.clone();
        let mut extra = p.classic[0].clone();
        extra.id = "ins-zzz".into();
        extra.ip = "10.66.200.1".parse().unwrap();
        p.classic.push(extra);
        p.links.push(Link { instance: "ins-zzz".into(), vpc: vpc.clone(), ip: None, invalidated: false });
        let mut new = p.clone();
        let freed = new.links.remove(0).instance;
        let (net_old, net_new) = (crate::domain::Network::new(&p), crate::domain::Network::new(&new));
        let reach = |q: &Plan, a: &Endpoint, b: &Endpoint| {
            let net = if std::ptr::eq(q, &p) { &net_old } else { &net_new };
            net.reach(a, b, crate::domain::Protocol::Tcp, 22).unwrap()
        };
        let changes = diff(&p, &new);
        assert!(touched(&p, &new, &changes).contains("ins-zzz"), "its link at work changed");
        let d = flow_diff(&p, &new, &changes, reach, DEFAULT_FLOW_PAIRS);
        let at = |v: &[FlowChange], id: &str| {
            v.iter().filter(|c| c.from.to_string() == id || c.to.to_string() == id).count()
        };
        assert!(at(&d.gained, "ins-zzz") > 0, "ins-zzz gained its flows into {vpc}");
        assert!(at(&d.lost, &freed) > 0, "{freed} lost its flows");
    }
}
