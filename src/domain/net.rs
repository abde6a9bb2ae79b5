//! A plan prepared for many reachability questions: every lookup the answer needs is a hash-map probe (or a binary
//! search in a sorted table).
//!
//! [`Network::new`] indexes a [`Plan`] once, in time linear in its size: the ACL of every subnet, links and terminal
//! connections per classic instance, peerings per VPC pair and CCNs per VPC. The endpoints of questions (object IDs and
//! the holders of IP addresses: the largest tables, one entry per object) are indexed on the first question; or, when
//! the questions are known up front ([`Network::for_endpoints`], as a check knows its expectations), only the IDs and
//! addresses they name are, which spares a table of every object for a scan. A resource's subnet is looked up when a
//! question names the resource. The ID maps use the Fx hash (`rustc-hash`: not DoS-resistant, which a plan the user
//! loads does not need, and several times faster than SipHash on short IDs) and are sized up front, so building never
//! rehashes. [`Network::reach`] (in [`crate::domain::reach`](mod@crate::domain::reach)) then answers one question
//! without scanning the plan.
//!
//! The index tolerates a plan that was not validated (the UI asks questions while the user edits): a reference that
//! does not resolve is simply absent from it (a security group ID naming nothing filters nothing, a link to an unknown
//! VPC links nowhere). [`crate::domain::import`] reports those references.

use super::addr::Cidr;
use super::index::{fx_map, Lists};
use super::load::PlanError;
use super::model::{Endpoint, Gateway, Kind, NetworkAcl, Plan, SecurityGroup, State};
use super::refs::{Refs, Refusal};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::OnceCell;
use std::net::Ipv4Addr;

/// A plan indexed for reachability questions. Build it once with [`Network::new`], ask with [`Network::reach`].
#[derive(Clone, Debug)]
pub struct Network<'a> {
    pub(super) plan: &'a Plan,
    /// Classic instances and VPCs by ID, and the ends of every link.
    refs: Refs<'a>,
    /// The endpoints named up front ([`Network::for_endpoints`]), with the index of just those.
    asked: Option<(Asked<'a>, Endpoints<'a>)>,
    /// Every ID and address of the plan, built on the first question [`Network::asked`] cannot answer.
    all: OnceCell<Endpoints<'a>>,
    /// `[vpc][subnet]` -> the subnet's network ACL.
    pub(super) subnet_acl: Vec<Vec<Option<&'a NetworkAcl>>>,
    /// `[classic]` -> (terminal connection index, VPC index) of each terminal connection targeting it.
    pub(super) tcs_of: Lists<(usize, usize)>,
    /// `[terminal connection]` -> (target classic index, VPC index), when both resolve.
    pub(super) tc_ends: Vec<Option<(usize, usize)>>,
    /// Security groups by ID.
    pub(super) sgs: FxHashMap<&'a str, &'a SecurityGroup>,
    /// `(lower VPC index, higher VPC index)` -> the first peering joining them.
    peerings: FxHashMap<(usize, usize), usize>,
    /// `[vpc]` -> the CCNs it is attached to, ascending.
    ccns_of: Vec<Vec<usize>>,
    /// Every subnet: (CIDR, VPC index, subnet index), for addresses no object holds.
    subnets: Vec<(Cidr, usize, usize)>,
    /// Every remote CIDR of a VPN or Direct Connect gateway.
    remote_cidrs: Vec<Cidr>,
}

/// Where endpoints resolve: object IDs and the holders of IP addresses.
///
/// Built by one function for two uses: over everything (the lazy [`Network::all`]), or over only the IDs and
/// addresses some known questions name (a check's expectations: a few hundred endpoints in a plan of tens of
/// thousands of objects). Both scan the plan in the same order and keep the first object with an ID, so for an ID or
/// address the restricted one holds, it answers exactly as the complete one would.
#[derive(Clone, Debug, Default)]
struct Endpoints<'a> {
    ids: FxHashMap<&'a str, Obj>,
    /// `(address, holder)`, sorted: each address's holders are a run, in plan order (see [`Held`]).
    ips: Vec<(u32, Held)>,
}

/// The IDs and addresses named up front.
#[derive(Clone, Debug, Default)]
struct Asked<'a> {
    ids: FxHashSet<&'a str>,
    ips: FxHashSet<u32>,
}

/// What an ID names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Obj {
    Classic(usize),
    Resource(usize, usize),
    Other(&'static str),
}

/// An object holding an IP address. Ordered as the plan lists them (classic instances, VPC resources, terminal
/// connections): [`Endpoints::build`] sorts by (address, holder).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Held {
    Classic(usize),
    Resource(usize, usize),
    Terminal(usize),
}

/// Where an endpoint of a question is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum At {
    /// A classic instance (index into `plan.classic`).
    Classic(usize),
    /// A VPC resource (`r`), or a free address inside a subnet (`r: None`); `s` is `None` only when the resource names
    /// a subnet that does not exist.
    Vpc { v: usize, s: Option<usize>, r: Option<usize>, ip: Ipv4Addr },
    /// A terminal connection's address: its classic target as seen from its VPC.
    Mapped(usize),
    /// An address inside some VPN or Direct Connect gateway's remote CIDRs.
    Remote(Ipv4Addr),
    /// A public address.
    Internet(Ipv4Addr),
    /// A private (or otherwise non-public) address that nothing in the plan holds.
    Unknown(Ipv4Addr),
}

pub(super) use super::refs::TerminalRefusal;

/// How a peering or a CCN joins two VPCs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Join {
    Peering(usize),
    Ccn(usize),
}

impl<'a> Network<'a> {
    /// Indexes `plan` (time and memory linear in its size). The index of IDs and addresses is built on the first
    /// question that needs it.
    pub fn new(plan: &'a Plan) -> Network<'a> {
        Network::prepare(plan, None)
    }

    /// Indexes `plan` for questions between these endpoints, known up front: only their IDs and addresses are
    /// indexed, which costs a scan of the plan instead of a table of every object (a check asks its expectations
    /// this way). Other endpoints still resolve, through the complete index, built on first need.
    pub fn for_endpoints(plan: &'a Plan, endpoints: impl IntoIterator<Item = &'a Endpoint>) -> Network<'a> {
        let mut asked = Asked::default();
        for e in endpoints {
            match e {
                Endpoint::Id(id) => {
                    asked.ids.insert(id.as_str());
                }
                Endpoint::Ip(ip) => {
                    asked.ips.insert(u32::from(*ip));
                }
            }
        }
        Network::prepare(plan, Some(asked))
    }

    fn prepare(plan: &'a Plan, asked: Option<Asked<'a>>) -> Network<'a> {
        let refs = Refs::new(plan);
        let mut acl_ix: FxHashMap<&'a str, &'a NetworkAcl> = fx_map(plan.network_acls.len());
        let mut sgs = fx_map(plan.security_groups.len());
        let mut subnets = Vec::with_capacity(plan.vpcs.iter().map(|v| v.subnets.len()).sum());
        let mut remote_cidrs = Vec::new();

        // First occurrence wins everywhere: a duplicate ID is an import error, not a reason to guess.
        for a in &plan.network_acls {
            acl_ix.entry(&a.id).or_insert(a);
        }
        for g in &plan.security_groups {
            sgs.entry(g.id.as_str()).or_insert(g);
        }
        let mut subnet_acl = Vec::with_capacity(plan.vpcs.len());
        for (v, vpc) in plan.vpcs.iter().enumerate() {
            let mut acls = Vec::with_capacity(vpc.subnets.len());
            for (s, sub) in vpc.subnets.iter().enumerate() {
                acls.push(sub.acl.as_deref().and_then(|a| acl_ix.get(a).copied()));
                subnets.push((sub.cidr, v, s));
            }
            for g in &vpc.gateways {
                if g.kind.has_remote_cidrs() {
                    remote_cidrs.extend(g.remote_cidrs.iter().copied());
                }
            }
            subnet_acl.push(acls);
        }
        let mut peerings = FxHashMap::default();
        for (i, p) in plan.peerings.iter().enumerate() {
            if let [a, b] = p.vpcs.as_slice() {
                if let (Some(a), Some(b)) = (refs.vpc(a), refs.vpc(b)) {
                    if a != b {
                        peerings.entry((a.min(b), a.max(b))).or_insert(i);
                    }
                }
            }
        }
        let mut ccns_of = vec![Vec::new(); plan.vpcs.len()];
        for (i, c) in plan.ccns.iter().enumerate() {
            for v in &c.vpcs {
                if let Some(v) = refs.vpc(v) {
                    let list: &mut Vec<usize> = &mut ccns_of[v];
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        let tc_ends: Vec<Option<(usize, usize)>> =
            plan.terminal_connections.iter().map(|t| Some((refs.classic(&t.target)?, refs.vpc(&t.vpc)?))).collect();
        let tcs_of = Lists::new(
            plan.classic.len(),
            tc_ends.iter().enumerate().filter_map(|(i, ends)| ends.map(|(c, v)| (c, (i, v)))),
        );
        let asked = asked.map(|a| {
            let ix = Endpoints::build(plan, &refs, &tc_ends, Some(&a));
            (a, ix)
        });
        Network {
            plan,
            refs,
            asked,
            all: OnceCell::new(),
            subnet_acl,
            tcs_of,
            tc_ends,
            sgs,
            peerings,
            ccns_of,
            subnets,
            remote_cidrs,
        }
    }

    /// Why Tencent Cloud would have refused link `l`, of classic CVM `c` to VPC `v`, on its own (a second link, CL002,
    /// is refused for what comes before it: see [`Network::held_link`]). The link's IP aside: a link made before an
    /// IP change existed, and still counts.
    pub(super) fn refusal(&self, c: usize, l: usize, v: usize) -> Option<Refusal> {
        let over_quota = || self.refs.attached(self.plan).is_some_and(|a| a.over_quota(l));
        super::refs::refusal(self.plan, c, v).or_else(|| over_quota().then_some(Refusal::Quota))
    }

    /// The link classic CVM `c` has, as (link index, VPC index): the one Tencent Cloud made of its links (attached in
    /// plan order, see [`super::refs::Attached`]); when it made none, the first (which then carries nothing).
    pub(super) fn held_link(&self, c: usize) -> Option<(usize, usize)> {
        match self.refs.held(self.plan, c) {
            Some(l) => self.refs.link(l).1.map(|v| (l, v)),
            None => self.links_of(c).next(),
        }
    }

    /// What became of link `l` ([`Refs::link_fate`]).
    pub(super) fn link_fate(&self, l: usize) -> super::refs::LinkFate {
        self.refs.link_fate(self.plan, l)
    }

    /// (link index, VPC index) of each link of the `c`th classic instance whose VPC exists, in plan order.
    pub(super) fn links_of(&self, c: usize) -> impl Iterator<Item = (usize, usize)> + use<'_, 'a> {
        self.refs.links_of(c).iter().filter_map(|&l| Some((l as usize, self.refs.link(l as usize).1?)))
    }

    /// The plan this network indexes.
    pub fn plan(&self) -> &'a Plan {
        self.plan
    }

    /// Gives the resolved references back (a check hands them on to the rules).
    pub fn into_refs(self) -> Refs<'a> {
        self.refs
    }

    /// Resolves both endpoints of a question. IDs first; then each IP address, preferring objects in the VPC the
    /// other endpoint lives in (or is linked to) when several VPCs use the same address.
    pub(super) fn resolve_pair(&self, from: &Endpoint, to: &Endpoint) -> Result<(At, At), PlanError> {
        let src = match from {
            Endpoint::Id(id) => Some(self.resolve_id(id, "from")?),
            Endpoint::Ip(_) => None,
        };
        let dst = match to {
            Endpoint::Id(id) => Some(self.resolve_id(id, "to")?),
            Endpoint::Ip(_) => None,
        };
        let src = match (src, from) {
            (Some(at), _) => at,
            (None, Endpoint::Ip(ip)) => {
                // Two addresses: `to` alone first, so that `from` is read in its context as `to` is then read in
                // `from`'s; the same flow asked by addresses answers as asked by IDs.
                let dst = dst.or_else(|| match to {
                    Endpoint::Ip(t) => Some(self.resolve_ip(*t, None)),
                    Endpoint::Id(_) => None,
                });
                self.resolve_ip(*ip, dst.and_then(|d| self.context_vpc(d)))
            }
            (None, Endpoint::Id(_)) => unreachable!("an ID endpoint resolved above"),
        };
        let dst = match (dst, to) {
            (Some(at), _) => at,
            (None, Endpoint::Ip(ip)) => self.resolve_ip(*ip, self.context_vpc(src)),
            (None, Endpoint::Id(_)) => unreachable!("an ID endpoint resolved above"),
        };
        Ok((src, dst))
    }

    /// The index that answers for this ID: the asked one if the ID was named up front, else the complete one.
    fn endpoints_for_id(&self, id: &str) -> &Endpoints<'a> {
        match &self.asked {
            Some((asked, ix)) if asked.ids.contains(id) => ix,
            _ => self.all(),
        }
    }

    /// The index that answers for this address (see [`Network::endpoints_for_id`]).
    fn endpoints_for_ip(&self, ip: u32) -> &Endpoints<'a> {
        match &self.asked {
            Some((asked, ix)) if asked.ips.contains(&ip) => ix,
            _ => self.all(),
        }
    }

    /// The complete index of IDs and addresses (built on the first call).
    fn all(&self) -> &Endpoints<'a> {
        self.all.get_or_init(|| Endpoints::build(self.plan, &self.refs, &self.tc_ends, None))
    }

    fn resolve_id(&self, id: &str, field: &str) -> Result<At, PlanError> {
        let hint = "name a classic instance, a VPC resource or an IPv4 address";
        match self.endpoints_for_id(id).ids.get(id) {
            Some(Obj::Classic(c)) => Ok(At::Classic(*c)),
            Some(&Obj::Resource(v, r)) => {
                Ok(At::Vpc { v, s: self.res_subnet(v, r), r: Some(r), ip: self.plan.vpcs[v].resources[r].ip })
            }
            Some(Obj::Other(what)) => Err(PlanError {
                path: field.to_string(),
                message: format!("{id} is a {what}, not an instance or resource: {hint}"),
            }),
            None => {
                Err(PlanError { path: field.to_string(), message: format!("no object {id:?} in the plan: {hint}") })
            }
        }
    }

    /// The index of a resource's subnet in its VPC (the first subnet with the ID), looked up when a question names
    /// the resource rather than for every resource up front: a VPC has a few subnets, a plan tens of thousands of
    /// resources.
    fn res_subnet(&self, v: usize, r: usize) -> Option<usize> {
        let vpc = &self.plan.vpcs[v];
        let id = vpc.resources[r].subnet.as_str();
        vpc.subnets.iter().position(|s| s.id == id)
    }

    /// The VPC an endpoint lives in or is linked to.
    fn context_vpc(&self, at: At) -> Option<usize> {
        match at {
            At::Vpc { v, .. } => Some(v),
            At::Mapped(t) => self.tc_ends[t].map(|(_, v)| v),
            At::Classic(c) => self.working_vpc(c),
            At::Remote(_) | At::Internet(_) | At::Unknown(_) => None,
        }
    }

    /// The VPC of classic CVM `c`'s working link (`Refs::shown_link`): a link that carries nothing (refused, or
    /// broken by an IP change) puts it in no VPC.
    fn working_vpc(&self, c: usize) -> Option<usize> {
        self.refs.shown_link(self.plan, c).filter(|&(_, works)| works).and_then(|(l, _)| self.refs.link(l).1)
    }

    /// What holds `ip`: an object (classic instance, VPC resource, terminal connection), else a free address in a
    /// subnet, else a remote CIDR, else the internet (public) or an unknown address.
    fn resolve_ip(&self, ip: Ipv4Addr, ctx: Option<usize>) -> At {
        // The VPC a holder is in: a classic CVM's is that of its working link, whose routes its IP joins.
        let vpc_of = |h: &Held| match *h {
            Held::Classic(c) => self.working_vpc(c),
            Held::Resource(v, _) => Some(v),
            Held::Terminal(t) => self.tc_ends[t].map(|(_, v)| v),
        };
        let key = u32::from(ip);
        let ips = &self.endpoints_for_ip(key).ips;
        let first = ips.partition_point(|&(k, _)| k < key);
        // A returned instance or resource no longer exists: its old address goes to whatever holds it now. A
        // terminal connection at an address already taken (CL017) holds nothing.
        let live = |h: &&Held| match **h {
            Held::Classic(c) => self.plan.classic[c].state != State::Returned,
            Held::Resource(v, r) => self.plan.vpcs[v].resources[r].state != State::Returned,
            Held::Terminal(t) => self.terminal_taken_by(t).is_none(),
        };
        let mut held: Vec<Held> =
            ips[first..].iter().take_while(|&&(k, _)| k == key).map(|&(_, h)| h).filter(|h| live(&h)).collect();
        // A connection Tencent Cloud would not make holds nothing either: one it makes at the same address comes
        // first (the refused one still answers, saying why, where nothing else holds the address).
        super::sort::sort_by_key(&mut held, |h| matches!(*h, Held::Terminal(t) if self.terminal_refusal(t).is_some()));
        let subnets: Vec<(usize, usize)> =
            self.subnets.iter().filter(|(c, _, _)| c.contains(ip)).map(|&(_, v, s)| (v, s)).collect();
        let at_held = |h: Held| match h {
            Held::Classic(c) => At::Classic(c),
            Held::Resource(v, r) => At::Vpc { v, s: self.res_subnet(v, r), r: Some(r), ip },
            Held::Terminal(t) => At::Mapped(t),
        };
        let free = |(v, s): (usize, usize)| At::Vpc { v, s: Some(s), r: None, ip };
        // Where the other endpoint can reach: its own VPC first, then the VPCs joined to it; in each, an object
        // holding the address before a free address of a subnet.
        if let Some(x) = ctx {
            let joined = |w: usize| w != x && self.join(x, w).is_some();
            for near in [&(|w: usize| w == x) as &dyn Fn(usize) -> bool, &joined] {
                if let Some(&h) = held.iter().find(|h| vpc_of(h).is_some_and(near)) {
                    return at_held(h);
                }
                if let Some(&vs) = subnets.iter().find(|(w, _)| near(*w)) {
                    return free(vs);
                }
            }
        }
        // Then the classic network; then, past the other endpoint's own VPN or Direct Connect gateway, the remote
        // address (a VPC nothing joins to it is out of its reach anyway); then plan order.
        if let Some(&h) = held.iter().find(|h| matches!(h, Held::Classic(_))) {
            return at_held(h);
        }
        if ctx.is_some_and(|x| self.gateway_in(x, ip).is_some()) {
            return At::Remote(ip);
        }
        if let Some(&h) = held.first() {
            return at_held(h);
        }
        if let Some(&vs) = subnets.first() {
            return free(vs);
        }
        if self.remote_cidrs.iter().any(|c| c.contains(ip)) {
            At::Remote(ip)
        } else if is_public(ip) {
            At::Internet(ip)
        } else {
            At::Unknown(ip)
        }
    }

    /// Why Tencent Cloud would not make terminal connection `t` at all, its address aside: a target it does not map
    /// (CL014), an address outside the VPC's CIDRs (CL016), or another region. `None` also when its ends do not
    /// resolve. The plan's references decide it ([`super::Refs::terminal`]), for the rules as for reachability.
    pub(super) fn terminal_refusal(&self, t: usize) -> Option<TerminalRefusal> {
        self.refs.terminal(self.plan, t).refusal
    }

    /// What already holds terminal connection `t`'s IP in its VPC, as CL017 reports it ([`super::Refs::terminal`]):
    /// a live resource of the VPC, an earlier terminal connection into it that Tencent Cloud would make (the one
    /// made first keeps the address), or a classic CVM holding a link to it. Such a connection carries nothing, and
    /// holds no address.
    pub(super) fn terminal_taken_by(&self, t: usize) -> Option<&'a str> {
        self.refs.terminal(self.plan, t).taken_by.map(|h| h.id(self.plan))
    }

    /// The gateway of VPC `v` that leads in from (and out to) `ip`: only a VPN or Direct Connect gateway whose remote
    /// CIDRs hold it. NAT and public gateways carry outbound flows only, whatever other VPCs' VPNs say about the
    /// address.
    pub(super) fn gateway_in(&self, v: usize, ip: Ipv4Addr) -> Option<&'a Gateway> {
        self.plan.vpcs[v]
            .gateways
            .iter()
            .find(|g| g.kind.has_remote_cidrs() && g.remote_cidrs.iter().any(|c| c.contains(ip)))
    }

    /// The peering (first) or else the CCN joining two different VPCs.
    pub(super) fn join(&self, a: usize, b: usize) -> Option<Join> {
        if let Some(&p) = self.peerings.get(&(a.min(b), a.max(b))) {
            return Some(Join::Peering(p));
        }
        let (x, y) = (&self.ccns_of[a], &self.ccns_of[b]);
        let (mut i, mut j) = (0, 0);
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Equal => return Some(Join::Ccn(x[i])),
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
            }
        }
        None
    }

    /// The ID of a join.
    pub(super) fn join_id(&self, j: Join) -> &'a str {
        match j {
            Join::Peering(p) => &self.plan.peerings[p].id,
            Join::Ccn(c) => &self.plan.ccns[c].id,
        }
    }

    /// The kind of a classic instance.
    pub(super) fn classic_kind(&self, c: usize) -> Kind {
        self.plan.classic[c].kind
    }
}

impl<'a> Endpoints<'a> {
    /// Indexes the IDs and the address holders of `plan`: all of them, or only those `asked` names. The first object
    /// with an ID wins; an address's holders keep plan order (classic instances, VPC resources, then terminal
    /// connections whose target and VPC resolve, per `tc_ends`).
    ///
    /// With `asked`, the classic instances' IDs come from `refs` (already resolved) rather than from a scan: the scan
    /// of the classic instances is left out unless addresses are asked.
    fn build(
        plan: &'a Plan,
        refs: &Refs<'a>,
        tc_ends: &[Option<(usize, usize)>],
        asked: Option<&Asked<'a>>,
    ) -> Endpoints<'a> {
        let n_ids = || {
            let vpc_objects: usize =
                plan.vpcs.iter().map(|v| 1 + v.subnets.len() + v.resources.len() + v.gateways.len()).sum();
            plan.network_acls.len()
                + plan.security_groups.len()
                + plan.classic.len()
                + vpc_objects
                + plan.peerings.len()
                + plan.ccns.len()
                + plan.terminal_connections.len()
        };
        let n_holders =
            || plan.classic.len() + plan.vpcs.iter().map(|v| v.resources.len()).sum::<usize>() + tc_ends.len();
        let (mut ids, mut ips) = match asked {
            Some(a) => (fx_map(a.ids.len()), Vec::with_capacity(a.ips.len())),
            None => (fx_map(n_ids()), Vec::with_capacity(n_holders())),
        };
        // With nothing asked of a kind, its scan is skipped.
        let want_ids = asked.is_none_or(|a| !a.ids.is_empty());
        let want_ips = asked.is_none_or(|a| !a.ips.is_empty());
        if !want_ids && !want_ips {
            return Endpoints { ids, ips };
        }
        let mut id = |key: &'a str, obj: Obj| {
            if want_ids && asked.is_none_or(|a| a.ids.contains(key)) {
                ids.entry(key).or_insert(obj);
            }
        };
        let mut hold = |ip: Ipv4Addr, h: Held| {
            let ip = u32::from(ip);
            if want_ips && asked.is_none_or(|a| a.ips.contains(&ip)) {
                ips.push((ip, h));
            }
        };
        if want_ids {
            for a in &plan.network_acls {
                id(&a.id, Obj::Other("network ACL"));
            }
            for g in &plan.security_groups {
                id(&g.id, Obj::Other("security group"));
            }
        }
        match asked {
            // Network ACLs and security groups come first: an asked ID they hold is theirs.
            Some(a) => {
                for &key in &a.ids {
                    if let Some(i) = refs.classic(key) {
                        id(key, Obj::Classic(i));
                    }
                }
                if want_ips {
                    for (i, c) in plan.classic.iter().enumerate() {
                        hold(c.ip, Held::Classic(i));
                    }
                }
            }
            None => {
                for (i, c) in plan.classic.iter().enumerate() {
                    id(&c.id, Obj::Classic(i));
                    hold(c.ip, Held::Classic(i));
                }
            }
        }
        for (v, vpc) in plan.vpcs.iter().enumerate() {
            id(&vpc.id, Obj::Other("VPC"));
            for sub in &vpc.subnets {
                id(&sub.id, Obj::Other("subnet"));
            }
            for (r, res) in vpc.resources.iter().enumerate() {
                id(&res.id, Obj::Resource(v, r));
                hold(res.ip, Held::Resource(v, r));
            }
            for g in &vpc.gateways {
                id(&g.id, Obj::Other("gateway"));
            }
        }
        for p in &plan.peerings {
            id(&p.id, Obj::Other("peering connection"));
        }
        for c in &plan.ccns {
            id(&c.id, Obj::Other("CCN"));
        }
        for (i, (t, ends)) in plan.terminal_connections.iter().zip(tc_ends).enumerate() {
            id(&t.id, Obj::Other("terminal connection"));
            if ends.is_some() {
                hold(t.ip, Held::Terminal(i));
            }
        }
        // By address, then holder: each address's holders stay in plan order.
        ips.sort_unstable();
        Endpoints { ids, ips }
    }
}

/// Whether an address is public (reached through the internet): not private (RFC 1918), shared (100.64.0.0/10),
/// loopback, link-local, unspecified, broadcast, multicast or reserved (240.0.0.0/4), and not in 0.0.0.0/8.
pub fn is_public(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || o[0] == 0
        || o[0] >= 240
        || (o[0] == 100 && (64..128).contains(&o[1])))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;

    #[test]
    fn public_addresses() {
        let table = [
            ("8.8.8.8", true),
            ("203.0.113.5", true),
            ("10.0.0.1", false),
            ("172.16.0.1", false),
            ("172.32.0.1", true),
            ("192.168.1.1", false),
            ("100.64.0.1", false),
            ("100.128.0.1", true),
            ("127.0.0.1", false),
            ("169.254.1.1", false),
            ("0.1.2.3", false),
            ("224.0.0.1", false),
            ("250.0.0.1", false),
            ("255.255.255.255", false),
        ];
        for (ip, want) in table {
            assert_eq!(is_public(ip.parse().unwrap()), want, "{ip}");
        }
    }
}
