//! A plan prepared for many reachability questions: every lookup the answer needs is a hash-map probe (or a binary
//! search in a sorted table).
//!
//! [`Network::new`] indexes a [`Plan`] once, in time linear in its size (plus one sort of the IP addresses): object
//! IDs, IP addresses, the subnet and ACL of every resource, links and terminal connections per classic instance,
//! peerings per VPC pair and CCNs per VPC. The ID maps use the Fx hash (`rustc-hash`: not DoS-resistant, which a
//! plan the user loads does not need, and several times faster than SipHash on short IDs) and are sized up front, so
//! building never rehashes.
//! [`Network::reach`] (in [`crate::domain::reach`](mod@crate::domain::reach)) then answers one question without scanning the plan.
//!
//! The index tolerates a plan that was not validated (the UI asks questions while the user edits): a reference that
//! does not resolve is simply absent from it (a security group ID naming nothing filters nothing, a link to an unknown
//! VPC links nowhere). [`crate::domain::import`] reports those references.

use super::addr::Cidr;
use super::load::PlanError;
use super::model::{Endpoint, Kind, NetworkAcl, Plan, SecurityGroup};
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::net::Ipv4Addr;

/// A plan indexed for reachability questions. Build it once with [`Network::new`], ask with [`Network::reach`].
#[derive(Clone, Debug)]
pub struct Network<'a> {
    pub(super) plan: &'a Plan,
    /// Every object ID.
    ids: FxHashMap<&'a str, Obj>,
    /// Who holds an address: classic instances, VPC resources, terminal connections, in plan order.
    holders: Vec<Held>,
    /// `address << 32 | index in holders`, sorted: the holders of one address are a run, in plan order. One flat
    /// table of integers instead of a map of small vectors: no allocation per address, and a cheap sort.
    ips: Vec<u64>,
    /// `[vpc][resource]` -> the index of the resource's subnet in its VPC.
    pub(super) res_subnet: Vec<Vec<Option<usize>>>,
    /// `[vpc][subnet]` -> the subnet's network ACL.
    pub(super) subnet_acl: Vec<Vec<Option<&'a NetworkAcl>>>,
    /// `[classic]` -> (link index, VPC index) of each of its links.
    pub(super) links_of: Vec<Vec<(usize, usize)>>,
    /// `[classic]` -> (terminal connection index, VPC index) of each terminal connection targeting it.
    pub(super) tcs_of: Vec<Vec<(usize, usize)>>,
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

/// What an ID names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Obj {
    Classic(usize),
    Resource(usize, usize),
    Other(&'static str),
}

/// An object holding an IP address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// How a peering or a CCN joins two VPCs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Join {
    Peering(usize),
    Ccn(usize),
}

impl<'a> Network<'a> {
    /// Indexes `plan` (time and memory linear in its size).
    pub fn new(plan: &'a Plan) -> Network<'a> {
        let n_vpc_objects: usize =
            plan.vpcs.iter().map(|v| 1 + v.subnets.len() + v.resources.len() + v.gateways.len()).sum();
        let n_resources: usize = plan.vpcs.iter().map(|v| v.resources.len()).sum();
        let n_ids = plan.network_acls.len()
            + plan.security_groups.len()
            + plan.classic.len()
            + n_vpc_objects
            + plan.peerings.len()
            + plan.ccns.len()
            + plan.terminal_connections.len();
        let mut ids: FxHashMap<&'a str, Obj> = map_with_capacity(n_ids);
        let n_holders = plan.classic.len() + n_resources + plan.terminal_connections.len();
        let mut holders: Vec<Held> = Vec::with_capacity(n_holders);
        let mut ips: Vec<u64> = Vec::with_capacity(n_holders);
        let mut hold = |ip: Ipv4Addr, h: Held| {
            ips.push(u64::from(u32::from(ip)) << 32 | holders.len() as u64);
            holders.push(h);
        };
        let mut vpc_ix: FxHashMap<&'a str, usize> = map_with_capacity(plan.vpcs.len());
        let mut classic_ix: FxHashMap<&'a str, usize> = map_with_capacity(plan.classic.len());
        let mut acl_ix: FxHashMap<&'a str, &'a NetworkAcl> = map_with_capacity(plan.network_acls.len());
        let mut sgs = map_with_capacity(plan.security_groups.len());
        let mut subnets = Vec::with_capacity(plan.vpcs.iter().map(|v| v.subnets.len()).sum());
        let mut remote_cidrs = Vec::new();

        // First occurrence wins everywhere: a duplicate ID is an import error, not a reason to guess.
        for a in &plan.network_acls {
            acl_ix.entry(&a.id).or_insert(a);
            ids.entry(&a.id).or_insert(Obj::Other("network ACL"));
        }
        for g in &plan.security_groups {
            sgs.entry(g.id.as_str()).or_insert(g);
            ids.entry(&g.id).or_insert(Obj::Other("security group"));
        }
        for (i, c) in plan.classic.iter().enumerate() {
            ids.entry(&c.id).or_insert(Obj::Classic(i));
            classic_ix.entry(&c.id).or_insert(i);
            hold(c.ip, Held::Classic(i));
        }
        let mut res_subnet = Vec::with_capacity(plan.vpcs.len());
        let mut subnet_acl = Vec::with_capacity(plan.vpcs.len());
        let mut subnet_ix: FxHashMap<&str, usize> = FxHashMap::default();
        for (v, vpc) in plan.vpcs.iter().enumerate() {
            ids.entry(&vpc.id).or_insert(Obj::Other("VPC"));
            vpc_ix.entry(&vpc.id).or_insert(v);
            subnet_ix.clear();
            subnet_ix.reserve(vpc.subnets.len());
            let mut acls = Vec::with_capacity(vpc.subnets.len());
            for (s, sub) in vpc.subnets.iter().enumerate() {
                ids.entry(&sub.id).or_insert(Obj::Other("subnet"));
                subnet_ix.entry(&sub.id).or_insert(s);
                acls.push(sub.acl.as_deref().and_then(|a| acl_ix.get(a).copied()));
                subnets.push((sub.cidr, v, s));
            }
            let mut rs = Vec::with_capacity(vpc.resources.len());
            for (r, res) in vpc.resources.iter().enumerate() {
                ids.entry(&res.id).or_insert(Obj::Resource(v, r));
                hold(res.ip, Held::Resource(v, r));
                rs.push(subnet_ix.get(res.subnet.as_str()).copied());
            }
            for g in &vpc.gateways {
                ids.entry(&g.id).or_insert(Obj::Other("gateway"));
                if g.kind.has_remote_cidrs() {
                    remote_cidrs.extend(g.remote_cidrs.iter().copied());
                }
            }
            res_subnet.push(rs);
            subnet_acl.push(acls);
        }
        let mut peerings = FxHashMap::default();
        for (i, p) in plan.peerings.iter().enumerate() {
            ids.entry(&p.id).or_insert(Obj::Other("peering connection"));
            if let [a, b] = p.vpcs.as_slice() {
                if let (Some(&a), Some(&b)) = (vpc_ix.get(a.as_str()), vpc_ix.get(b.as_str())) {
                    if a != b {
                        peerings.entry((a.min(b), a.max(b))).or_insert(i);
                    }
                }
            }
        }
        let mut ccns_of = vec![Vec::new(); plan.vpcs.len()];
        for (i, c) in plan.ccns.iter().enumerate() {
            ids.entry(&c.id).or_insert(Obj::Other("CCN"));
            for v in &c.vpcs {
                if let Some(&v) = vpc_ix.get(v.as_str()) {
                    let list: &mut Vec<usize> = &mut ccns_of[v];
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        let mut links_of = vec![Vec::new(); plan.classic.len()];
        for (i, l) in plan.links.iter().enumerate() {
            if let (Some(&c), Some(&v)) = (classic_ix.get(l.instance.as_str()), vpc_ix.get(l.vpc.as_str())) {
                links_of[c].push((i, v));
            }
        }
        let mut tcs_of = vec![Vec::new(); plan.classic.len()];
        let mut tc_ends = Vec::with_capacity(plan.terminal_connections.len());
        for (i, t) in plan.terminal_connections.iter().enumerate() {
            ids.entry(&t.id).or_insert(Obj::Other("terminal connection"));
            let ends = match (classic_ix.get(t.target.as_str()), vpc_ix.get(t.vpc.as_str())) {
                (Some(&c), Some(&v)) => {
                    tcs_of[c].push((i, v));
                    hold(t.ip, Held::Terminal(i));
                    Some((c, v))
                }
                _ => None,
            };
            tc_ends.push(ends);
        }
        // The keys are unique, so an unstable sort keeps each address's holders in plan order.
        ips.sort_unstable();
        Network {
            plan,
            ids,
            holders,
            ips,
            res_subnet,
            subnet_acl,
            links_of,
            tcs_of,
            tc_ends,
            sgs,
            peerings,
            ccns_of,
            subnets,
            remote_cidrs,
        }
    }

    /// The plan this network indexes.
    pub fn plan(&self) -> &'a Plan {
        self.plan
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
            (None, Endpoint::Ip(ip)) => self.resolve_ip(*ip, dst.and_then(|d| self.context_vpc(d))),
            (None, Endpoint::Id(_)) => unreachable!("an ID endpoint resolved above"),
        };
        let dst = match (dst, to) {
            (Some(at), _) => at,
            (None, Endpoint::Ip(ip)) => self.resolve_ip(*ip, self.context_vpc(src)),
            (None, Endpoint::Id(_)) => unreachable!("an ID endpoint resolved above"),
        };
        Ok((src, dst))
    }

    fn resolve_id(&self, id: &str, field: &str) -> Result<At, PlanError> {
        let hint = "name a classic instance, a VPC resource or an IPv4 address";
        match self.ids.get(id) {
            Some(Obj::Classic(c)) => Ok(At::Classic(*c)),
            Some(&Obj::Resource(v, r)) => {
                Ok(At::Vpc { v, s: self.res_subnet[v][r], r: Some(r), ip: self.plan.vpcs[v].resources[r].ip })
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

    /// The VPC an endpoint lives in or is linked to.
    fn context_vpc(&self, at: At) -> Option<usize> {
        match at {
            At::Vpc { v, .. } => Some(v),
            At::Mapped(t) => self.tc_ends[t].map(|(_, v)| v),
            At::Classic(c) => self.links_of[c].first().map(|&(_, v)| v),
            At::Remote(_) | At::Internet(_) | At::Unknown(_) => None,
        }
    }

    /// What holds `ip`: an object (classic instance, VPC resource, terminal connection), else a free address in a
    /// subnet, else a remote CIDR, else the internet (public) or an unknown address.
    fn resolve_ip(&self, ip: Ipv4Addr, ctx: Option<usize>) -> At {
        let vpc_of = |h: &Held| match *h {
            Held::Classic(_) => None,
            Held::Resource(v, _) => Some(v),
            Held::Terminal(t) => self.tc_ends[t].map(|(_, v)| v),
        };
        let key = u64::from(u32::from(ip));
        let first = self.ips.partition_point(|&k| k >> 32 < key);
        let run = self.ips[first..].iter().take_while(|&&k| k >> 32 == key);
        let mut held = run.map(|&k| &self.holders[(k & u64::from(u32::MAX)) as usize]);
        if let Some(h0) = held.clone().next() {
            let pick = held
                .clone()
                .find(|h| ctx.is_some() && vpc_of(h) == ctx)
                .or_else(|| held.find(|h| matches!(h, Held::Classic(_))))
                .unwrap_or(h0);
            return match *pick {
                Held::Classic(c) => At::Classic(c),
                Held::Resource(v, r) => At::Vpc { v, s: self.res_subnet[v][r], r: Some(r), ip },
                Held::Terminal(t) => At::Mapped(t),
            };
        }
        let mut in_subnets = self.subnets.iter().filter(|(c, _, _)| c.contains(ip));
        if let Some(&(_, v, s)) = in_subnets.next() {
            let (v, s) = match ctx {
                Some(x) if v != x => in_subnets.find(|&&(_, w, _)| w == x).map(|&(_, w, t)| (w, t)).unwrap_or((v, s)),
                _ => (v, s),
            };
            return At::Vpc { v, s: Some(s), r: None, ip };
        }
        if self.remote_cidrs.iter().any(|c| c.contains(ip)) {
            At::Remote(ip)
        } else if is_public(ip) {
            At::Internet(ip)
        } else {
            At::Unknown(ip)
        }
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

/// An empty Fx hash map with room for `n` entries.
fn map_with_capacity<K, V>(n: usize) -> FxHashMap<K, V> {
    FxHashMap::with_capacity_and_hasher(n, FxBuildHasher)
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
