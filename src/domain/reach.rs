//! Reachability: can `from` open a flow to `to` on a protocol and port, and if not, which rule or object blocks it.
//!
//! The model (`docs/reachability.md` has it in full, with worked examples): endpoints resolve to a classic instance,
//! a VPC resource (or a free address in a subnet), a terminal connection's address, or an address outside the plan
//! (behind a VPN / Direct Connect gateway, on the internet, or unknown). The answer is decided in a fixed order:
//!
//! 1. the instance state of the source, then of the destination (`INSTANCE_STATE`);
//! 2. the topology: links, regions, assistant CIDRs, peerings, CCNs, gateways, terminal connections (every other
//!    structural code);
//! 3. the filters, in the order a packet meets them: the source's security groups (egress), the source subnet's ACL
//!    (egress), the destination subnet's ACL (ingress), the destination's security groups (ingress), then the return
//!    packet through the destination subnet's ACL (egress) and the source subnet's ACL (ingress). Security groups are
//!    stateful (their return is allowed); ACLs are stateless. A flow inside one subnet crosses no ACL.
//!
//! Every blocked answer carries its evidence: the code, the object that blocks, the rule index and direction where a
//! rule (or an implicit drop / default deny, index `None`) blocks, and a sentence naming them.

use super::addr::Protocol;
use super::filter::{self, Part, PeerEnd};
use super::load::PlanError;
use super::model::{Action, ClassicInstance, Endpoint, Name, NetworkAcl, Plan, State};
use super::net::{At, Join, Network, TerminalRefusal};
use super::refs::Refusal;
use serde::Serialize;
use std::fmt;
use std::net::Ipv4Addr;

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

impl Direction {
    /// `ingress` or `egress`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }
}

/// The object that blocks a path and, where a rule blocks, which one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockedBy {
    /// The blocking object's ID: a security group, an ACL, a gateway, a VPC, a link's instance ...
    pub object: String,
    /// The index of the blocking rule in its list; `None` (JSON `null`, always written, so that a reader finds the
    /// key) for an implicit drop / default deny or no rule at all.
    pub rule_index: Option<usize>,
    /// The direction of the blocking filter; `None` (JSON `null`) when no filter blocks.
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

/// The traffic a question asks about, as answers name it: `TCP 3306`, `ICMP` (no port), `all traffic` (every
/// protocol and port).
pub fn traffic(protocol: Protocol, port: u16) -> String {
    match protocol {
        Protocol::Tcp | Protocol::Udp => format!("{protocol} {port}"),
        Protocol::Icmp => "ICMP".to_string(),
        Protocol::All => "all traffic".to_string(),
    }
}

/// Answers whether `from` reaches `to` on `protocol`/`port`. An endpoint that names no object and is not an IPv4
/// address is an error (its `path` is `from` or `to`).
///
/// This prepares a [`Network`] for this one question (indexing only its two endpoints); to ask many, build the
/// [`Network`] once and call [`Network::reach`].
pub fn reach(plan: &Plan, from: &Endpoint, to: &Endpoint, protocol: Protocol, port: u16) -> Result<Answer, PlanError> {
    Network::for_endpoints(plan, [from, to]).reach(from, to, protocol, port)
}

impl Network<'_> {
    /// Answers whether `from` reaches `to` on `protocol`/`port` (see [`reach`] and the module documentation).
    ///
    /// `port` is ignored for ICMP and ALL. Errors only when an endpoint is an ID that names no classic instance or
    /// VPC resource (`path`: `from` or `to`).
    pub fn reach(&self, from: &Endpoint, to: &Endpoint, protocol: Protocol, port: u16) -> Result<Answer, PlanError> {
        let (src, dst) = self.resolve_pair(from, to)?;
        // A terminal connection's address as a source is its classic target: the mapping is one-way.
        let src = match src {
            At::Mapped(t) => self.tc_ends[t].map_or(src, |(c, _)| At::Classic(c)),
            other => other,
        };
        Ok(Query { net: self, protocol, port }.answer(src, dst))
    }
}

/// What stops a flow.
struct Block {
    reason: Reason,
    object: String,
    rule_index: Option<usize>,
    direction: Option<Direction>,
    message: String,
}

impl Block {
    fn new(reason: Reason, object: &str, message: String) -> Block {
        Block { reason, object: object.to_string(), rule_index: None, direction: None, message }
    }
}

/// The filters on one side of a flow.
#[derive(Clone, Copy)]
struct Side<'x> {
    groups: &'x [Name],
    acl: Option<&'x NetworkAcl>,
}

const OPEN: Side<'static> = Side { groups: &[], acl: None };

/// An endpoint, resolved: what the answer says about it.
struct End<'x> {
    at: At,
    /// Its ID, or its address.
    label: String,
    /// The address its packets carry (source) or that is dialled (destination).
    ip: Ipv4Addr,
    groups: &'x [Name],
    state: State,
}

struct Query<'n, 'a> {
    net: &'n Network<'a>,
    protocol: Protocol,
    port: u16,
}

fn open(hops: Vec<String>, message: String) -> Answer {
    Answer { reachable: true, reason: None, blocked_by: None, hops, message }
}

fn blocked(hops: Vec<String>, b: Block) -> Answer {
    Answer {
        reachable: false,
        reason: Some(b.reason),
        blocked_by: Some(BlockedBy { object: b.object, rule_index: b.rule_index, direction: b.direction }),
        hops,
        message: b.message,
    }
}

/// A NO_ROUTE answer with no object to name (the classic network or the outside has no ID).
fn no_route(hops: Vec<String>, message: String) -> Answer {
    Answer { reachable: false, reason: Some(Reason::NoRoute), blocked_by: None, hops, message }
}

impl<'n, 'a> Query<'n, 'a> {
    fn plan(&self) -> &'a Plan {
        self.net.plan
    }

    /// The traffic asked about, for messages (see [`traffic`]).
    fn what(&self) -> String {
        traffic(self.protocol, self.port)
    }

    /// The traffic a filter drops, for messages, and for a question about ALL the words saying that the rest does not
    /// make it pass: (`TCP 22`, `, so not all traffic passes`).
    fn part(&self, part: Option<Part>) -> (String, &'static str) {
        match part {
            Some(p) => (p.to_string(), ", so not all traffic passes"),
            None => (self.what(), ""),
        }
    }

    fn end(&self, at: At) -> End<'a> {
        let plan = self.plan();
        let instance = |c: &'a ClassicInstance| (c.id.to_string(), c.ip, c.security_groups.as_slice(), c.state);
        let (label, ip, groups, state) = match at {
            At::Classic(c) => instance(&plan.classic[c]),
            At::Vpc { v, r: Some(r), .. } => {
                let res = &plan.vpcs[v].resources[r];
                (res.id.to_string(), res.ip, res.security_groups.as_slice(), res.state)
            }
            At::Vpc { ip, .. } => (ip.to_string(), ip, &[][..], State::Running),
            At::Mapped(t) => {
                let tc = &plan.terminal_connections[t];
                let (c, _) = self.net.tc_ends[t].expect("a mapped address has a resolved terminal connection");
                let (id, _, groups, state) = instance(&plan.classic[c]);
                (id, tc.ip, groups, state)
            }
            At::Remote(ip) | At::Internet(ip) | At::Unknown(ip) => (ip.to_string(), ip, &[][..], State::Running),
        };
        End { at, label, ip, groups, state }
    }

    fn vpc_id(&self, v: usize) -> &'a str {
        &self.plan().vpcs[v].id
    }

    fn subnet_id(&self, v: usize, s: Option<usize>) -> Option<String> {
        s.map(|s| self.plan().vpcs[v].subnets[s].id.to_string())
    }

    fn acl(&self, v: usize, s: Option<usize>) -> Option<&'a NetworkAcl> {
        s.and_then(|s| self.net.subnet_acl[v][s])
    }

    fn answer(&self, src: At, dst: At) -> Answer {
        let s = self.end(src);
        let d = self.end(dst);
        let is_object = |at: At| matches!(at, At::Classic(_) | At::Vpc { r: Some(_), .. } | At::Mapped(_));
        // An object reaches itself whatever its state, except one returned: it no longer exists, not even to itself
        // (asked by its old address, the same question finds it gone).
        if src == dst && is_object(src) && s.state != State::Returned {
            return open(vec![s.label.clone()], format!("{} reaches itself", s.label));
        }
        for e in [&s, &d] {
            if let Some(b) = state_block(e) {
                return blocked(vec![s.label.clone()], b);
            }
        }
        match src {
            At::Classic(a) if self.net.classic_kind(a).is_cvm() => self.leaving_cvm(a, &s, &d),
            At::Classic(n) => self.leaving_classic_other(n, &s, &d),
            At::Vpc { v, s: sub, .. } => self.leaving_vpc(v, sub, &s, &d),
            At::Mapped(_) => unreachable!("a mapped source is replaced by its target"),
            At::Remote(_) | At::Internet(_) | At::Unknown(_) => self.leaving_outside(&s, &d),
        }
    }

    // ---- topology -------------------------------------------------------------------------------------------------

    /// The link of classic CVM `c` to VPC `v`, or else the VPC it is linked to. A CVM is linked to one VPC at a
    /// time: the link it has is its first that Tencent Cloud would have accepted ([`Network::held_link`]); a link to
    /// `v` after it, one Tencent Cloud would have accepted on its own, was refused as a second link (CL002).
    fn link_towards(&self, c: usize, v: usize) -> LinkTo {
        let held = self.net.held_link(c);
        let made = |l: usize| self.net.link_fate(l).made();
        match self.net.links_of(c).find(|&(_, w)| w == v) {
            Some((l, _)) => match held {
                Some((h, w)) if w != v && made(h) && self.net.refusal(c, l, v).is_none() => LinkTo::Refused(w),
                _ => LinkTo::This(l),
            },
            None => match held {
                Some((h, w)) if made(h) => LinkTo::Other(w),
                Some((h, _)) => LinkTo::Unmade(h),
                None => LinkTo::None,
            },
        }
    }

    /// Whether link `l` of `c` to `v` carries traffic: Tencent Cloud would have created it, and its IP is still the
    /// CVM's.
    fn link_block(&self, c: usize, l: usize, v: usize) -> Option<Block> {
        let cvm = &self.plan().classic[c];
        let vpc = &self.plan().vpcs[v];
        let link = &self.plan().links[l];
        // A link Tencent Cloud refused was never made: that is why it carries nothing, whatever IP it records.
        let Some(refusal) = self.net.refusal(c, l, v) else {
            return link.ip_before(cvm.ip).map(|ip| {
                Block::new(
                    Reason::LinkInvalid,
                    &cvm.id,
                    format!(
                        "the link of {} to {} was made for {ip}, but {}'s IP {}: an IP change invalidates the link",
                        cvm.id,
                        vpc.id,
                        cvm.id,
                        super::model::ip_now(ip, cvm.ip)
                    ),
                )
            });
        };
        let refused = |object: &str, why: String| {
            Block::new(
                Reason::LinkInvalid,
                object,
                format!(
                    "{why}: Tencent Cloud refuses to link {} to {}, so the link carries no traffic",
                    cvm.id, vpc.id
                ),
            )
        };
        Some(match refusal {
            Refusal::CrossRegion => Block::new(
                Reason::CrossRegion,
                &cvm.id,
                format!(
                    "{} ({}) lists a link to {} ({}): Tencent Cloud links only within one region (CL004, \
                     UnsupportedOperation), so the link carries no traffic",
                    cvm.id, cvm.region, vpc.id, vpc.region
                ),
            ),
            Refusal::CidrRange => refused(
                &vpc.id,
                format!(
                    "{}'s CIDR {} is outside 10.0.0.0/16 - 10.47.0.0/16 (CL001, \
                     UnsupportedOperation.CIDRUnSupportedClassicLink)",
                    vpc.id, vpc.cidr
                ),
            ),
            Refusal::OnlyVpc => refused(
                &cvm.id,
                "the account is VPC-only (registered after 2017-06-13) and has no classic network (CL018, \
                 UnsupportedOperation)"
                    .to_string(),
            ),
            Refusal::Quota => refused(
                &vpc.id,
                format!(
                    "{} already has its quota of {} before this link (CL003, LimitExceeded)",
                    vpc.id,
                    super::rules::count(
                        self.plan().quotas.links_per_vpc as usize,
                        "linked classic CVM",
                        "linked classic CVMs"
                    )
                ),
            ),
        })
    }

    /// The link checks between classic CVM `c` and VPC `v`, seen from `v`'s side (`far` names what is in `v`).
    /// On success the link is valid. `hops` grows as far as the flow gets.
    fn linked(&self, c: usize, v: usize, far: &str, hops: &mut Vec<String>) -> Option<Block> {
        let cvm = &self.plan().classic[c].id;
        let vpc = self.vpc_id(v);
        // What does not reach what: the far end may be the CVM itself, at a terminal connection's address in `v`.
        let apart = || {
            if far == cvm.as_str() {
                format!("it does not reach its own address in {vpc}")
            } else {
                format!("it and {far} in {vpc} do not reach each other")
            }
        };
        // A CVM of another region than `v` could not be linked to it (CL004): that, not the missing link, is why
        // (linking it, the fix for NOT_LINKED, would be refused).
        let (here, there) = (&self.plan().classic[c].region, &self.plan().vpcs[v].region);
        let cross = || {
            (here != there).then(|| {
                Block::new(
                    Reason::CrossRegion,
                    cvm,
                    format!(
                        "{cvm} ({here}) is not linked to {vpc} ({there}) and cannot be: Tencent Cloud links a classic \
                         CVM only to a VPC of its own region (CL004, UnsupportedOperation), so {}",
                        apart()
                    ),
                )
            })
        };
        match self.link_towards(c, v) {
            LinkTo::None => cross().or_else(|| {
                Some(Block::new(Reason::NotLinked, vpc, format!("{cvm} is not linked to any VPC, so {}", apart())))
            }),
            LinkTo::Other(w) => {
                let other = self.vpc_id(w);
                match self.net.join(v, w) {
                    Some(j) => {
                        let jid = self.net.join_id(j);
                        // In packet order: the classic CVM's VPC, then the join (or the join, then its VPC).
                        if hops.last().map(String::as_str) == Some(vpc) {
                            hops.push(jid.to_string());
                            hops.push(other.to_string());
                        } else {
                            hops.push(other.to_string());
                            hops.push(jid.to_string());
                        }
                        Some(Block::new(
                            Reason::NotTransitive,
                            jid,
                            format!(
                                "{cvm} is linked to {other}, not {vpc}; a link is not transitive: {} {jid} does not \
                                 carry a linked classic CVM's traffic between {other} and {vpc}",
                                join_label(j)
                            ),
                        ))
                    }
                    None => cross().or_else(|| {
                        Some(Block::new(
                            Reason::NotLinked,
                            vpc,
                            format!("{cvm} is linked to {other}, not {vpc}, so it and {far} do not reach each other"),
                        ))
                    }),
                }
            }
            LinkTo::Unmade(l) => {
                // It holds none, so every link it lists was never made: each is named with why.
                let why = |l: usize| self.net.link_fate(l).why(self.plan(), l).unwrap_or_default();
                let listed: Vec<usize> = self.net.links_of(c).map(|(l, _)| l).collect();
                let never_made = match listed.as_slice() {
                    [] | [_] => format!("its listed link to {} was never made ({})", self.plan().links[l].vpc, why(l)),
                    several => {
                        let each: Vec<String> =
                            several.iter().map(|&l| format!("to {}: {}", self.plan().links[l].vpc, why(l))).collect();
                        format!("its listed links were never made ({})", each.join("; "))
                    }
                };
                cross().or_else(|| {
                    Some(Block::new(
                        Reason::NotLinked,
                        vpc,
                        format!("{cvm} holds no link: {never_made}, so {}", apart()),
                    ))
                })
            }
            LinkTo::Refused(w) => Some(Block::new(
                Reason::LinkInvalid,
                cvm,
                format!(
                    "{cvm} is already linked to {}: a classic CVM is linked to one VPC at a time, so Tencent Cloud \
                     refuses its link to {vpc} (CL002, UnsupportedOperation.ClassicInstanceIdAlreadyExists) and that \
                     link carries no traffic",
                    self.vpc_id(w)
                ),
            )),
            LinkTo::This(l) => self.link_block(c, l, v),
        }
    }

    /// A linked classic CVM talks only to the VPC's primary CIDR.
    fn secondary(&self, v: usize, e: &End<'a>) -> Option<Block> {
        let vpc = &self.plan().vpcs[v];
        vpc.assistant_cidr_of(e.ip).map(|c| {
            let who = if e.label == e.ip.to_string() { e.label.clone() } else { format!("{} ({})", e.label, e.ip) };
            Block::new(
                Reason::SecondaryCidr,
                &vpc.id,
                format!(
                    "{who} lies in {}'s assistant CIDR {c}; a linked classic CVM reaches only the primary CIDR {}",
                    vpc.id, vpc.cidr
                ),
            )
        })
    }

    /// The VPC classic CVM `c` is linked to, when that link carries traffic (`None`: no link); else what blocks it.
    /// Checked first, as towards a resource, wherever a flow goes through a CVM's link to or from an address.
    fn carrying_link(&self, c: usize) -> Result<Option<usize>, Block> {
        match self.net.held_link(c) {
            None => Ok(None),
            Some((l, w)) => self.link_block(c, l, w).map_or(Ok(Some(w)), Err),
        }
    }

    /// What blocks a linked CVM's flow with `e`, an address of VPC `v`'s own that no subnet holds: in an assistant
    /// CIDR, out of a link's reach anyway (`SECONDARY_CIDR`); in the primary CIDR, nowhere to go (`NO_ROUTE`).
    fn outside_subnets(&self, v: usize, e: &End<'a>) -> Option<Block> {
        self.secondary(v, e).or_else(|| {
            let vpc = self.vpc_id(v);
            self.plan().vpcs[v].cidr.contains(e.ip).then(|| {
                Block::new(Reason::NoRoute, vpc, format!("no subnet of {vpc} holds {}, so nothing is there", e.ip))
            })
        })
    }

    /// The gateway of VPC `v` that leads out to `ip`: a VPN or Direct Connect gateway whose remote CIDRs hold it (the
    /// more specific route), else a NAT or public gateway for a public address.
    fn gateway(&self, v: usize, ip: Ipv4Addr) -> Option<&'a super::model::Gateway> {
        let gateways = &self.plan().vpcs[v].gateways;
        self.net
            .gateway_in(v, ip)
            .or_else(|| gateways.iter().find(|g| !g.kind.has_remote_cidrs() && super::net::is_public(ip)))
    }

    // ---- sources ---------------------------------------------------------------------------------------------------

    /// Two classic instances: the classic network joins them within one region (one tenant: the plan's).
    fn classic_pair(&self, a: &End<'a>, b: &End<'a>) -> Answer {
        let (At::Classic(x), At::Classic(y)) = (a.at, b.at) else { unreachable!("classic_pair takes classic ends") };
        let (x, y) = (&self.plan().classic[x], &self.plan().classic[y]);
        if x.region != y.region {
            return blocked(
                vec![a.label.clone()],
                Block::new(
                    Reason::CrossRegion,
                    &y.id,
                    format!(
                        "{} ({}) and {} ({}) are in different regions: the classic network interconnects within one \
                         region only",
                        x.id, x.region, y.id, y.region
                    ),
                ),
            );
        }
        let hops = vec![a.label.clone(), b.label.clone()];
        let side = |e: &End<'a>| Side { groups: e.groups, acl: None };
        self.filtered(hops, side(a), side(b), a, b, b.ip)
    }

    fn leaving_cvm(&self, a: usize, s: &End<'a>, d: &End<'a>) -> Answer {
        let mut hops = vec![s.label.clone()];
        let (v, sub) = match d.at {
            At::Classic(_) => return self.classic_pair(s, d),
            At::Vpc { v, s: sub, .. } => (v, sub),
            At::Mapped(t) => {
                let (_, v) = self.net.tc_ends[t].expect("a mapped address has a resolved terminal connection");
                (v, None)
            }
            At::Remote(ip) | At::Internet(ip) | At::Unknown(ip) => {
                let w = match self.carrying_link(a) {
                    Err(b) => return blocked(hops, b),
                    Ok(Some(w)) => w,
                    Ok(None) => {
                        return no_route(
                            hops,
                            format!(
                                "{} is not linked to a VPC, and nothing leads from the classic network to {ip}",
                                s.label
                            ),
                        )
                    }
                };
                let vpc = self.vpc_id(w);
                hops.push(vpc.to_string());
                if let Some(b) = self.outside_subnets(w, d) {
                    return blocked(hops, b);
                }
                if let Some(g) = self.gateway(w, ip).filter(|_| !matches!(d.at, At::Unknown(_))) {
                    hops.push(g.id.to_string());
                    return blocked(
                        hops,
                        Block::new(
                            Reason::NotTransitive,
                            &g.id,
                            format!(
                                "{} is linked to {vpc}, but a link is not transitive: {} {} does not carry a linked \
                                 classic CVM's traffic to {ip}",
                                s.label,
                                g.kind.label(),
                                g.id
                            ),
                        ),
                    );
                }
                // An address no object or subnet holds is said so: no route could lead to what is not there.
                let msg = if matches!(d.at, At::Unknown(_)) {
                    format!(
                        "{ip} is not a public address, and nothing in the plan holds it (no instance, resource or \
                         subnet): nothing leads there from {vpc}"
                    )
                } else {
                    format!("{vpc} has no gateway, peering or CCN that leads to {ip}")
                };
                return blocked(hops, Block::new(Reason::NoRoute, vpc, msg));
            }
        };
        if let Some(b) = self.linked(a, v, &d.label, &mut hops) {
            return blocked(hops, b);
        }
        let vpc = self.vpc_id(v);
        hops.push(vpc.to_string());
        if let Some(b) = self.secondary(v, d) {
            return blocked(hops, b);
        }
        if let At::Mapped(t) = d.at {
            let tc = &self.plan().terminal_connections[t];
            hops.push(tc.id.to_string());
            return blocked(
                hops,
                Block::new(
                    Reason::NotTransitive,
                    &tc.id,
                    format!(
                        "{} at {} in {vpc} maps classic {}; a linked classic CVM's traffic does not leave {vpc} through \
                         it (reach {} by its own address {})",
                        tc.id,
                        tc.ip,
                        d.label,
                        d.label,
                        self.plan().classic[self.net.tc_ends[t].map_or(0, |(c, _)| c)].ip
                    ),
                ),
            );
        }
        hops.extend(self.subnet_id(v, sub));
        hops.push(d.label.clone());
        self.filtered(
            hops,
            Side { groups: s.groups, acl: None },
            Side { groups: d.groups, acl: self.acl(v, sub) },
            s,
            d,
            d.ip,
        )
    }

    fn leaving_classic_other(&self, n: usize, s: &End<'a>, d: &End<'a>) -> Answer {
        let hops = vec![s.label.clone()];
        let inst = &self.plan().classic[n];
        let v = match d.at {
            At::Classic(_) => return self.classic_pair(s, d),
            At::Vpc { v, .. } => v,
            At::Mapped(t) => self.net.tc_ends[t].map_or(0, |(_, v)| v),
            At::Remote(ip) | At::Internet(ip) | At::Unknown(ip) => {
                return no_route(
                    hops,
                    format!(
                        "nothing leads from classic {} {} to {ip}: only CVMs are linked to VPCs",
                        inst.kind.label(),
                        inst.id
                    ),
                )
            }
        };
        let vpc = self.vpc_id(v);
        if let Some(&(t, _)) = self.net.tcs_of[n].iter().find(|&&(_, w)| w == v) {
            let tc = &self.plan().terminal_connections[t].id;
            return blocked(
                vec![s.label.clone(), tc.to_string()],
                Block::new(
                    Reason::TerminalOneWay,
                    tc,
                    format!(
                        "terminal connection {tc} maps {} into {vpc} one way: {vpc}'s resources reach {}, but {} does \
                         not reach {}",
                        inst.id, inst.id, inst.id, d.label
                    ),
                ),
            );
        }
        blocked(
            hops,
            Block::new(
                Reason::VpcIsolated,
                vpc,
                format!(
                    "{} is a classic {}: only CVMs are linked, so nothing joins it to {vpc} and {}",
                    inst.id,
                    inst.kind.label(),
                    d.label
                ),
            ),
        )
    }

    fn leaving_vpc(&self, v: usize, sub: Option<usize>, s: &End<'a>, d: &End<'a>) -> Answer {
        let vpc = self.vpc_id(v);
        let mut hops = vec![s.label.clone()];
        hops.extend(self.subnet_id(v, sub));
        let here = Side { groups: s.groups, acl: self.acl(v, sub) };
        match d.at {
            At::Classic(c) if self.net.classic_kind(c).is_cvm() => {
                hops.push(vpc.to_string());
                if let Some(b) = self.linked(c, v, &s.label, &mut hops) {
                    return blocked(hops, b);
                }
                if let Some(b) = self.secondary(v, s) {
                    return blocked(hops, b);
                }
                hops.push(d.label.clone());
                self.filtered(hops, here, Side { groups: d.groups, acl: None }, s, d, d.ip)
            }
            At::Classic(n) => {
                hops.push(vpc.to_string());
                // Of its terminal connections into this VPC, those Tencent Cloud would create, each tried until one
                // carries the flow (the first one's answer else); with none, the first says why it carries nothing.
                let into_v: Vec<usize> = self.net.tcs_of[n].iter().filter(|&&(_, w)| w == v).map(|&(t, _)| t).collect();
                let usable = into_v.iter().copied().filter(|&t| self.terminal_block(t, v).is_none());
                let mut first = None;
                for t in usable {
                    let a = self.via_terminal(t, v, sub, hops.clone(), s, d);
                    if a.reachable {
                        return a;
                    }
                    first.get_or_insert(a);
                }
                if let Some(a) = first {
                    return a;
                }
                match into_v.first() {
                    Some(&t) => self.via_terminal(t, v, sub, hops, s, d),
                    None => {
                        let inst = &self.plan().classic[n];
                        let region = &self.plan().vpcs[v].region;
                        // No terminal connection could map it in from another region: that is why.
                        if inst.region != *region {
                            let message = format!(
                                "{vpc}'s resources reach classic {} {} only through a terminal connection, and none \
                                 can map it in: it is in {}, {vpc} in {region}, and terminal connections do not \
                                 cross regions",
                                inst.kind.label(),
                                inst.id,
                                inst.region
                            );
                            return blocked(hops, Block::new(Reason::CrossRegion, &inst.id, message));
                        }
                        blocked(
                            hops,
                            Block::new(
                                Reason::ClassicNonCvm,
                                &inst.id,
                                format!(
                                    "{vpc}'s resources reach classic CVMs only: no terminal connection maps classic {} \
                                     {} into {vpc}",
                                    inst.kind.label(),
                                    inst.id
                                ),
                            ),
                        )
                    }
                }
            }
            At::Mapped(t) => {
                hops.push(vpc.to_string());
                let (_, w) = self.net.tc_ends[t].expect("a mapped address has a resolved terminal connection");
                if w == v {
                    return self.via_terminal(t, v, sub, hops, s, d);
                }
                let tc = &self.plan().terminal_connections[t].id;
                blocked(
                    hops,
                    Block::new(
                        Reason::ClassicNonCvm,
                        tc,
                        format!(
                            "terminal connection {tc} maps {} into {} only; {vpc} has no terminal connection to it",
                            d.label,
                            self.vpc_id(w)
                        ),
                    ),
                )
            }
            At::Vpc { v: w, s: dsub, .. } => {
                let there = Side { groups: d.groups, acl: self.acl(w, dsub) };
                if w == v {
                    if sub == dsub {
                        hops.push(d.label.clone());
                        return self.filtered(
                            hops,
                            Side { acl: None, ..here },
                            Side { acl: None, ..there },
                            s,
                            d,
                            d.ip,
                        );
                    }
                    hops.extend(self.subnet_id(w, dsub));
                    hops.push(d.label.clone());
                    return self.filtered(hops, here, there, s, d, d.ip);
                }
                hops.push(vpc.to_string());
                let other = self.vpc_id(w);
                let Some(j) = self.net.join(v, w) else {
                    return blocked(
                        hops,
                        Block::new(
                            Reason::VpcIsolated,
                            other,
                            format!("{vpc} and {other} are isolated: no peering or CCN joins them"),
                        ),
                    );
                };
                hops.push(self.net.join_id(j).to_string());
                hops.push(other.to_string());
                hops.extend(self.subnet_id(w, dsub));
                hops.push(d.label.clone());
                self.filtered(hops, here, there, s, d, d.ip)
            }
            At::Remote(ip) | At::Internet(ip) => {
                hops.push(vpc.to_string());
                match self.gateway(v, ip) {
                    Some(g) => {
                        hops.push(g.id.to_string());
                        hops.push(d.label.clone());
                        self.filtered(hops, here, OPEN, s, d, ip)
                    }
                    None => {
                        let via = if matches!(d.at, At::Remote(_)) {
                            "VPN or Direct Connect gateway"
                        } else {
                            "NAT or public gateway"
                        };
                        blocked(hops, Block::new(Reason::NoRoute, vpc, format!("no {via} of {vpc} leads to {ip}")))
                    }
                }
            }
            At::Unknown(ip) => {
                hops.push(vpc.to_string());
                blocked(
                    hops,
                    Block::new(
                        Reason::NoRoute,
                        vpc,
                        format!("{ip} is not a public address, and nothing in {vpc} or joined to it holds it or leads to it"),
                    ),
                )
            }
        }
    }

    /// Why terminal connection `t` (into VPC `v`) carries nothing: it is not one Tencent Cloud would create (a kind it
    /// serves, CL014; an address of the VPC, CL016; one region). `None` when it is.
    fn terminal_block(&self, t: usize, v: usize) -> Option<Block> {
        let tc = &self.plan().terminal_connections[t];
        let (n, _) = self.net.tc_ends[t].expect("a terminal connection found by index resolves");
        let inst = &self.plan().classic[n];
        let vpc = &self.plan().vpcs[v];
        match self.net.terminal_refusal(t) {
            Some(TerminalRefusal::Target) => {
                let (reason, why) = if inst.kind.is_cvm() && inst.region != vpc.region {
                    // Nor could a link join them: another region (CL004), so NOT_LINKED's fix would be refused too.
                    (
                        Reason::CrossRegion,
                        "a classic CVM reaches a VPC through a link, not a terminal connection, and no link joins \
                         regions",
                    )
                } else if inst.kind.is_cvm() {
                    (Reason::NotLinked, "a classic CVM reaches a VPC through a link, not a terminal connection")
                } else {
                    (
                        Reason::ClassicNonCvm,
                        "terminal connections map classic CLBs, MySQL, Memcached, Redis and MongoDB only",
                    )
                };
                let message = format!(
                    "terminal connection {} cannot map classic {} {} (CL014): {why}",
                    tc.id,
                    inst.kind.label(),
                    inst.id
                );
                return Some(Block::new(reason, &tc.id, message));
            }
            Some(TerminalRefusal::Outside) => {
                let message = format!(
                    "terminal connection {}'s IP {} is outside {}'s CIDRs (CL016): Tencent Cloud maps a classic \
                     instance only at an address of the VPC, so {} is not reachable through it",
                    tc.id, tc.ip, vpc.id, inst.id
                );
                return Some(Block::new(Reason::ClassicNonCvm, &tc.id, message));
            }
            Some(TerminalRefusal::Region) => {
                let message = format!(
                    "terminal connection {} maps {} ({}) into {} ({}): terminal connections do not cross regions",
                    tc.id, inst.id, inst.region, vpc.id, vpc.region
                );
                return Some(Block::new(Reason::CrossRegion, &tc.id, message));
            }
            None => {}
        }
        if let Some(holder) = self.net.terminal_taken_by(t) {
            let message = format!(
                "terminal connection {}'s IP {} in {} is already {holder}'s (CL017): Tencent Cloud maps a classic \
                 instance only at a free address, so {} is not reachable through it",
                tc.id, tc.ip, vpc.id, inst.id
            );
            return Some(Block::new(Reason::ClassicNonCvm, &tc.id, message));
        }
        None
    }

    /// A VPC resource to a classic non-CVM instance through terminal connection `t` of the same VPC.
    fn via_terminal(
        &self,
        t: usize,
        v: usize,
        sub: Option<usize>,
        mut hops: Vec<String>,
        s: &End<'a>,
        d: &End<'a>,
    ) -> Answer {
        let tc = &self.plan().terminal_connections[t];
        let (n, _) = self.net.tc_ends[t].expect("a terminal connection found by index resolves");
        let inst = &self.plan().classic[n];
        let vpc = &self.plan().vpcs[v];
        hops.push(tc.id.to_string());
        if let Some(b) = self.terminal_block(t, v) {
            return blocked(hops, b);
        }
        hops.push(inst.id.to_string());
        // The flow is addressed to the terminal connection's IP, an address of the subnet of V that holds it: it
        // crosses the source subnet's ACL and that subnet's, as a flow between two subnets does, and none when both
        // are one subnet (seed rule 9: the subnet's network ACL stays in force).
        let tc_sub = vpc.subnets.iter().position(|x| x.cidr.contains(tc.ip));
        let same_subnet = sub.is_some() && sub == tc_sub;
        let acl = |x| if same_subnet { None } else { self.acl(v, x) };
        let here = Side { groups: s.groups, acl: acl(sub) };
        let d = End { at: d.at, label: inst.id.to_string(), ip: tc.ip, groups: &inst.security_groups, state: d.state };
        self.filtered(hops, here, Side { groups: d.groups, acl: acl(tc_sub) }, s, &d, tc.ip)
    }

    fn leaving_outside(&self, s: &End<'a>, d: &End<'a>) -> Answer {
        let mut hops = vec![s.label.clone()];
        let x = s.ip;
        match d.at {
            At::Vpc { v: w, s: dsub, .. } => {
                let vpc = self.vpc_id(w);
                if let At::Remote(_) = s.at {
                    if let Some(g) = self.net.gateway_in(w, x) {
                        hops.push(g.id.to_string());
                        hops.push(vpc.to_string());
                        hops.extend(self.subnet_id(w, dsub));
                        hops.push(d.label.clone());
                        let there = Side { groups: d.groups, acl: self.acl(w, dsub) };
                        return self.filtered(hops, OPEN, there, s, d, d.ip);
                    }
                }
                let why = match s.at {
                    At::Remote(_) => format!("no VPN or Direct Connect gateway of {vpc} leads from {x}"),
                    At::Internet(_) => format!(
                        "nothing leads from the internet into {vpc}: NAT and public gateways carry outbound flows \
                         only (EIPs are not part of the plan)"
                    ),
                    _ => format!("{x} is not a public address, and nothing in the plan leads from it"),
                };
                blocked(hops, Block::new(Reason::NoRoute, vpc, why))
            }
            At::Classic(c) if self.net.classic_kind(c).is_cvm() && matches!(s.at, At::Unknown(_)) => {
                // An address of the linked VPC's own that no subnet holds, mirrored from `leaving_cvm`.
                match self.carrying_link(c) {
                    Err(b) => blocked(hops, b),
                    Ok(w) => match w.and_then(|w| self.outside_subnets(w, s)) {
                        Some(b) => blocked(hops, b),
                        None => no_route(hops, format!("nothing in the plan leads from {x} to {}", d.label)),
                    },
                }
            }
            At::Classic(c) if self.net.classic_kind(c).is_cvm() && matches!(s.at, At::Remote(_)) => {
                let w = match self.carrying_link(c) {
                    Err(b) => return blocked(hops, b),
                    Ok(w) => w,
                };
                let gw = w.and_then(|w| self.net.gateway_in(w, x).map(|g| (w, g)));
                match gw {
                    Some((w, g)) => {
                        hops.push(g.id.to_string());
                        hops.push(self.vpc_id(w).to_string());
                        blocked(
                            hops,
                            Block::new(
                                Reason::NotTransitive,
                                &g.id,
                                format!(
                                    "{} {} leads from {x} into {}, but the far side of a gateway does not reach \
                                     linked classic CVM {} (a link is not transitive)",
                                    g.kind.label(),
                                    g.id,
                                    self.vpc_id(w),
                                    d.label
                                ),
                            ),
                        )
                    }
                    None => no_route(hops, format!("nothing leads from {x} to classic CVM {}", d.label)),
                }
            }
            At::Mapped(t) => {
                let tc = &self.plan().terminal_connections[t].id;
                blocked(
                    hops,
                    Block::new(
                        Reason::NoRoute,
                        tc,
                        format!("terminal connection {tc} carries only its VPC's own resources to {}", d.label),
                    ),
                )
            }
            _ => no_route(hops, format!("nothing in the plan leads from {x} to {}", d.label)),
        }
    }

    // ---- filters ---------------------------------------------------------------------------------------------------

    /// Runs the filters of a flow from `s` to `d` (dialled at `to`) and answers with its hops.
    fn filtered(&self, hops: Vec<String>, src: Side, dst: Side, s: &End<'a>, d: &End<'a>, to: Ipv4Addr) -> Answer {
        // Each end as the other's rules see it: its address, and its security groups (rules may name a group).
        let from = PeerEnd { ip: s.ip, groups: s.groups };
        match self.filters(src, dst, from, PeerEnd { ip: to, groups: d.groups }) {
            Some(b) => blocked(hops, b),
            None => {
                let path = hops.join(" -> ");
                open(hops, format!("{} reaches {} on {}: {path}", s.label, d.label, self.what()))
            }
        }
    }

    /// The filters in packet order (see the module documentation); the first that drops decides.
    fn filters(&self, src: Side, dst: Side, from: PeerEnd<'_>, to: PeerEnd<'_>) -> Option<Block> {
        use Direction::{Egress, Ingress};
        self.sg(src.groups, Egress, to)
            .or_else(|| src.acl.and_then(|a| self.acl_check(a, Egress, to, false)))
            .or_else(|| dst.acl.and_then(|a| self.acl_check(a, Ingress, from, false)))
            .or_else(|| self.sg(dst.groups, Ingress, from))
            .or_else(|| dst.acl.and_then(|a| self.acl_check(a, Egress, from, true)))
            .or_else(|| src.acl.and_then(|a| self.acl_check(a, Ingress, to, true)))
    }

    fn sg(&self, groups: &[Name], dir: Direction, end: PeerEnd<'_>) -> Option<Block> {
        if groups.is_empty() {
            return None;
        }
        let bound = groups.iter().filter_map(|g| self.net.sgs.get(g.as_str()).copied());
        let d = filter::security_groups(bound, dir, self.protocol, self.port, end)?;
        if d.accepts() {
            return None;
        }
        let peer = end.ip;
        let to = to_from(dir);
        let (what, not_all) = self.part(d.part);
        let message = match d.rule_index {
            Some(i) => format!("{} {} rule {i} drops {what} {to} {peer}{not_all}", d.object, dir.as_str()),
            None => {
                let found: Vec<&str> =
                    groups.iter().map(Name::as_str).filter(|g| self.net.sgs.contains_key(g)).collect();
                format!(
                    "{} {} {} no rule for {what} {to} {peer} (implicit drop){not_all}",
                    found.join(", "),
                    dir.as_str(),
                    if found.len() == 1 { "has" } else { "have" },
                )
            }
        };
        Some(Block {
            reason: Reason::SecurityGroup,
            object: d.object.to_string(),
            rule_index: d.rule_index,
            direction: Some(dir),
            message,
        })
    }

    /// One ACL check; `ret` marks the return packet of the flow (matched on the original destination port).
    fn acl_check(&self, acl: &NetworkAcl, dir: Direction, end: PeerEnd<'_>, ret: bool) -> Option<Block> {
        let d = filter::network_acl(acl, dir, self.protocol, self.port, end);
        if d.action == Action::Accept {
            return None;
        }
        let peer = end.ip;
        let (what, not_all) = self.part(d.part);
        let traffic = if ret { format!("the return traffic of {what}") } else { what };
        let to = to_from(dir);
        let message = match d.rule_index {
            Some(i) => format!("{} {} rule {i} drops {traffic} {to} {peer}{not_all}", acl.id, dir.as_str()),
            None => {
                format!("{} {} has no rule for {traffic} {to} {peer} (default deny){not_all}", acl.id, dir.as_str())
            }
        };
        Some(Block {
            reason: Reason::NetworkAcl,
            object: acl.id.to_string(),
            rule_index: d.rule_index,
            direction: Some(dir),
            message,
        })
    }
}

/// Where a classic CVM's links point, seen from one VPC.
enum LinkTo {
    None,
    /// Link index.
    This(usize),
    /// Linked to this VPC too, after its link to the other one (`usize`): a second link, refused.
    Refused(usize),
    /// Holding a link to another VPC (its index).
    Other(usize),
    /// Holding no link, but listing one Tencent Cloud never made (link index): to another VPC.
    Unmade(usize),
}

fn to_from(dir: Direction) -> &'static str {
    match dir {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    }
}

fn join_label(j: Join) -> &'static str {
    match j {
        Join::Peering(_) => "peering connection",
        Join::Ccn(_) => "CCN",
    }
}

/// An endpoint that does not answer.
fn state_block(e: &End) -> Option<Block> {
    let why = match e.state {
        State::Running => return None,
        State::Returned => "was returned (terminated): it no longer exists",
        State::Stopped => "is stopped: it sends and answers nothing",
        State::Isolated => "is isolated for arrears: it sends and answers nothing",
        State::SecurityIsolated => "is under security isolation: it sends and answers nothing",
    };
    // Only a classic instance has a link to keep.
    let stays = matches!(e.state, State::Isolated | State::SecurityIsolated) && matches!(e.at, At::Classic(_));
    let link = if stays { " (its link stays)" } else { "" };
    Some(Block::new(Reason::InstanceState, &e.label, format!("{} {why}{link}", e.label)))
}

#[cfg(test)]
mod tests;
