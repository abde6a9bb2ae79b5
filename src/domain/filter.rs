//! Security group and network ACL evaluation: which rule decides a packet, and what it decides.
//!
//! The semantics (`tencent-cloud.md` §4, `docs/reachability.md`):
//!
//! - Rules are matched in order; the first match decides (`ACCEPT` or `DROP`).
//! - A security group drops what no rule matches (the *implicit drop*); an ACL ends with a *default deny*. Both are
//!   reported as a [`Decision`] with `action: Drop` and `rule_index: None`.
//! - Several security groups on one instance are evaluated as one list: the groups in the order the instance binds
//!   them, each group's rules in order. The first matching rule of the whole list decides.
//! - A rule matches a packet when its protocol matches (a rule `ALL` matches every protocol), its port set holds the
//!   port (ports are ignored for ICMP, and for a rule `ALL` asked about ICMP) and its peer is the packet's peer (the
//!   source for ingress, the destination for egress): a CIDR holding the peer's address, or a security group bound
//!   to the peer instance ([`PeerEnd`]). An address that is no instance is in no group.
//! - A question about `ALL` asks whether *all traffic* passes: TCP and UDP on every port (1-65535), ICMP, and the
//!   protocols other than these three (GRE, ...), which only a rule `ALL` covers. The rules are walked in order over
//!   the part of the traffic no earlier rule has decided ([`Undecided`]): the first `DROP` rule covering some of that
//!   part drops it, and decides; an `ACCEPT` rule accepts what it covers; the traffic passes when nothing is left. What
//!   is left at the end meets the implicit drop or default deny. The decision names the part dropped ([`Part`]):
//!   `[TCP 22 DROP, ALL ACCEPT]` drops TCP 22 at rule 0, `[TCP 22 ACCEPT, ALL DROP]` drops the rest at rule 1, and
//!   `[TCP ALL, UDP ALL, ICMP ALL ACCEPT]` leaves the other protocols to the implicit drop.
//!
//! Statefulness (a security group lets the reply of an accepted flow back; an ACL checks the reply on its own) is the
//! caller's business: [reachability](mod@crate::domain::reach) asks [`network_acl`] twice, once per direction.

use super::addr::Protocol;
use super::model::{Action, FilterRule, Name, NetworkAcl, Peer, SecurityGroup};
use super::reach::Direction;
use std::fmt;
use std::net::Ipv4Addr;

/// The other end of a packet, as a rule sees it: its address, and the security groups bound to it (none for an
/// address that is no instance: a rule naming a group does not match it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerEnd<'a> {
    pub ip: Ipv4Addr,
    pub groups: &'a [Name],
}

impl PeerEnd<'_> {
    /// An address that is no instance of the plan.
    pub fn address(ip: Ipv4Addr) -> PeerEnd<'static> {
        PeerEnd { ip, groups: &[] }
    }
}

/// Whether a rule's peer is this end of the packet: its CIDR holds the address, or its group is bound to the instance.
fn is_peer(peer: &Peer, end: PeerEnd<'_>) -> bool {
    match peer {
        Peer::Cidr(c) => c.contains(end.ip),
        Peer::Group(g) => end.groups.contains(g),
    }
}

/// The rule that decided a packet, or the implicit drop / default deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision<'a> {
    /// The security group or ACL whose rule decided (for an implicit drop over several groups: the last group).
    pub object: &'a str,
    /// The index of the deciding rule in that object's list for the direction; `None` for the implicit drop or the
    /// default deny.
    pub rule_index: Option<usize>,
    /// What was decided.
    pub action: Action,
    /// For a question about `ALL` that is dropped: the part of the traffic dropped (the lowest ports first).
    pub part: Option<Part>,
}

/// A part of all traffic, named when a question about `ALL` is dropped: `TCP 22`, `UDP 1-65535`, `ICMP`, or the
/// protocols other than these three.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Tcp(u16, u16),
    Udp(u16, u16),
    Icmp,
    Other,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, a, b) = match *self {
            Part::Tcp(a, b) => ("TCP", a, b),
            Part::Udp(a, b) => ("UDP", a, b),
            Part::Icmp => return f.write_str("ICMP"),
            Part::Other => return f.write_str("protocols other than TCP, UDP and ICMP"),
        };
        if a == b {
            write!(f, "{name} {a}")
        } else {
            write!(f, "{name} {a}-{b}")
        }
    }
}

/// The part of all traffic that no rule has decided yet, for a question about `ALL` (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Undecided {
    /// TCP and UDP ports: ascending, disjoint inclusive ranges.
    tcp: Vec<(u16, u16)>,
    udp: Vec<(u16, u16)>,
    icmp: bool,
    other: bool,
}

/// Every port of a rule: `ALL` is 1-65535.
fn port_ranges(rule: &FilterRule) -> &[(u16, u16)] {
    match rule.port.ranges() {
        [] => &[(1, u16::MAX)],
        r => r,
    }
}

/// The lowest stretch of `left` that `ports` covers, whole: ranges written side by side or overlapping
/// (`1-1023,1024-65535`, `20-25,22-30`) cover one stretch (`left` holds no two ranges that touch).
fn lowest_overlap(left: &[(u16, u16)], ports: &[(u16, u16)]) -> Option<(u16, u16)> {
    // Most lists are one range, or ascending ranges apart: used as they are, with no copy.
    let apart = ports.windows(2).all(|w| u32::from(w[0].1) + 1 < u32::from(w[1].0));
    let union: std::borrow::Cow<'_, [(u16, u16)]> = match apart {
        true => ports.into(),
        false => {
            let mut joined = ports.to_vec();
            joined.sort_unstable();
            let mut union: Vec<(u16, u16)> = Vec::with_capacity(joined.len());
            for (a, b) in joined {
                match union.last_mut() {
                    Some((_, hi)) if u32::from(a) <= u32::from(*hi) + 1 => *hi = (*hi).max(b),
                    _ => union.push((a, b)),
                }
            }
            union.into()
        }
    };
    let mut best: Option<(u16, u16)> = None;
    for &(x, y) in left {
        for &(a, b) in union.iter() {
            let (lo, hi) = (x.max(a), y.min(b));
            if lo <= hi && best.is_none_or(|(l, _)| lo < l) {
                best = Some((lo, hi));
            }
        }
    }
    best
}

/// `left` without `ports`.
fn subtract(left: &mut Vec<(u16, u16)>, ports: &[(u16, u16)]) {
    for &(a, b) in ports {
        let mut rest = Vec::with_capacity(left.len() + 1);
        for &(x, y) in left.iter() {
            if y < a || x > b {
                rest.push((x, y));
                continue;
            }
            if x < a {
                rest.push((x, a - 1));
            }
            if y > b {
                rest.push((b + 1, y));
            }
        }
        *left = rest;
    }
}

impl Undecided {
    fn all() -> Undecided {
        Undecided { tcp: vec![(1, u16::MAX)], udp: vec![(1, u16::MAX)], icmp: true, other: true }
    }

    /// The first undecided part `rule` covers (ignoring its CIDR), if any.
    fn overlap(&self, rule: &FilterRule) -> Option<Part> {
        let ports = port_ranges(rule);
        let tcp = || lowest_overlap(&self.tcp, ports).map(|(a, b)| Part::Tcp(a, b));
        let udp = || lowest_overlap(&self.udp, ports).map(|(a, b)| Part::Udp(a, b));
        let icmp = || self.icmp.then_some(Part::Icmp);
        match rule.protocol {
            Protocol::Tcp => tcp(),
            Protocol::Udp => udp(),
            Protocol::Icmp => icmp(),
            Protocol::All => tcp().or_else(udp).or_else(icmp).or(self.other.then_some(Part::Other)),
        }
    }

    /// Marks what `rule` covers as decided.
    fn decide(&mut self, rule: &FilterRule) {
        let ports = port_ranges(rule);
        match rule.protocol {
            Protocol::Tcp => subtract(&mut self.tcp, ports),
            Protocol::Udp => subtract(&mut self.udp, ports),
            Protocol::Icmp => self.icmp = false,
            Protocol::All => {
                subtract(&mut self.tcp, ports);
                subtract(&mut self.udp, ports);
                self.icmp = false;
                self.other = false;
            }
        }
    }

    /// The first part left, for the implicit drop or default deny; `None` when everything is decided.
    fn first(&self) -> Option<Part> {
        let tcp = self.tcp.first().map(|&(a, b)| Part::Tcp(a, b));
        let udp = || self.udp.first().map(|&(a, b)| Part::Udp(a, b));
        tcp.or_else(udp).or(self.icmp.then_some(Part::Icmp)).or(self.other.then_some(Part::Other))
    }

    /// Walks `rules` for the undecided traffic to or from `peer`: the deciding rule's index and action (and for a
    /// drop, the part dropped), or `None` when some traffic is still undecided after the last rule.
    fn walk(&mut self, rules: &[FilterRule], peer: PeerEnd<'_>) -> Option<(usize, Action, Option<Part>)> {
        for (i, r) in rules.iter().enumerate() {
            if !is_peer(&r.peer, peer) {
                continue;
            }
            let Some(part) = self.overlap(r) else { continue };
            match r.action {
                Action::Drop => return Some((i, Action::Drop, Some(part))),
                Action::Accept => {
                    self.decide(r);
                    if self.first().is_none() {
                        return Some((i, Action::Accept, None));
                    }
                }
            }
        }
        None
    }
}

impl Decision<'_> {
    /// Whether the packet passes.
    pub fn accepts(&self) -> bool {
        self.action == Action::Accept
    }
}

/// Whether `rule` matches a packet of `protocol` to/from `peer` on `port` (see the module documentation). A question
/// about `ALL` is not one packet: [`first_match`] walks it over the rules.
fn matches(rule: &FilterRule, protocol: Protocol, port: u16, peer: PeerEnd<'_>) -> bool {
    let protocol_ok = match (rule.protocol, protocol) {
        (Protocol::All, _) => true,
        (r, q) => r == q,
    };
    // The address first: it is stored in the rule, while a port list is behind a pointer (a cache miss per rule
    // in a plan of 100,000 rules).
    protocol_ok && is_peer(&rule.peer, peer) && (!protocol.has_ports() || rule.port.contains(port))
}

/// The index and action of the first rule in `rules` matching the packet, if any; for a question about `ALL`, of the
/// rule that decides all traffic (see the module documentation).
pub fn first_match(rules: &[FilterRule], protocol: Protocol, port: u16, peer: PeerEnd<'_>) -> Option<(usize, Action)> {
    decide(&mut undecided(protocol), rules, protocol, port, peer).map(|(i, action, _)| (i, action))
}

/// What a question leaves to decide before the first list: all traffic for `ALL`, nothing to track for a packet.
fn undecided(protocol: Protocol) -> Option<Undecided> {
    (protocol == Protocol::All).then(Undecided::all)
}

/// One list of rules asked a question: for a packet, its first matching rule; for `ALL` (`left`: what the lists
/// before left undecided), the rule that decides all traffic and, for a drop, the part dropped.
fn decide(
    left: &mut Option<Undecided>,
    rules: &[FilterRule],
    protocol: Protocol,
    port: u16,
    peer: PeerEnd<'_>,
) -> Option<(usize, Action, Option<Part>)> {
    match left {
        Some(left) => left.walk(rules, peer),
        None => rules.iter().position(|r| matches(r, protocol, port, peer)).map(|i| (i, rules[i].action, None)),
    }
}

/// Evaluates the security groups bound to one instance, in binding order, as one list.
///
/// `peer` is the other end of the packet: its source for `Ingress`, its destination for `Egress`. Returns `None`
/// when `groups` is empty (an instance with no security group is unfiltered by them).
pub fn security_groups<'a, I>(
    groups: I,
    direction: Direction,
    protocol: Protocol,
    port: u16,
    peer: PeerEnd<'_>,
) -> Option<Decision<'a>>
where
    I: IntoIterator<Item = &'a SecurityGroup>,
{
    // For a question about ALL, what the groups before have left undecided.
    let mut left = undecided(protocol);
    let mut last = None;
    for g in groups {
        last = Some(g);
        let list = match direction {
            Direction::Ingress => &g.ingress,
            Direction::Egress => &g.egress,
        };
        if let Some((i, action, part)) = decide(&mut left, list, protocol, port, peer) {
            return Some(Decision { object: &g.id, rule_index: Some(i), action, part });
        }
    }
    let part = left.and_then(|l| l.first());
    last.map(|g| Decision { object: &g.id, rule_index: None, action: Action::Drop, part })
}

/// Evaluates a network ACL for one packet crossing the subnet boundary in `direction` (`Ingress`: into the subnet,
/// `peer` is the packet's source; `Egress`: out of it, `peer` is its destination).
pub fn network_acl<'a>(
    acl: &'a NetworkAcl,
    direction: Direction,
    protocol: Protocol,
    port: u16,
    peer: PeerEnd<'_>,
) -> Decision<'a> {
    let list = match direction {
        Direction::Ingress => &acl.ingress,
        Direction::Egress => &acl.egress,
    };
    let mut left = undecided(protocol);
    match decide(&mut left, list, protocol, port, peer) {
        Some((i, action, part)) => Decision { object: &acl.id, rule_index: Some(i), action, part },
        None => {
            Decision { object: &acl.id, rule_index: None, action: Action::Drop, part: left.and_then(|l| l.first()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;

    fn rule(protocol: &str, port: &str, cidr: &str, action: &str) -> FilterRule {
        FilterRule {
            protocol: protocol.parse().unwrap(),
            port: port.parse().unwrap(),
            peer: match cidr.strip_prefix("sg-") {
                Some(_) => Peer::Group(cidr.into()),
                None => Peer::Cidr(cidr.parse().unwrap()),
            },
            action: if action == "ACCEPT" { Action::Accept } else { Action::Drop },
            description: String::new(),
        }
    }

    #[test]
    fn rule_matching() {
        let table = [
            // (rule protocol, rule ports, rule cidr, question protocol, port, peer, matches)
            ("TCP", "22", "10.0.0.0/8", "TCP", 22, "10.1.2.3", true),
            ("TCP", "22", "10.0.0.0/8", "TCP", 23, "10.1.2.3", false),
            ("TCP", "22", "10.0.0.0/8", "UDP", 22, "10.1.2.3", false),
            ("TCP", "22", "10.0.0.0/8", "TCP", 22, "11.1.2.3", false),
            ("TCP", "22,80-90", "0.0.0.0/0", "TCP", 80, "1.2.3.4", true),
            ("TCP", "22,80-90", "0.0.0.0/0", "TCP", 90, "1.2.3.4", true),
            ("TCP", "22,80-90", "0.0.0.0/0", "TCP", 91, "1.2.3.4", false),
            ("TCP", "22,80-90", "0.0.0.0/0", "TCP", 21, "1.2.3.4", false),
            ("UDP", "ALL", "0.0.0.0/0", "UDP", 53, "1.2.3.4", true),
            ("ALL", "ALL", "0.0.0.0/0", "TCP", 1, "1.2.3.4", true),
            ("ALL", "ALL", "0.0.0.0/0", "ICMP", 0, "1.2.3.4", true),
            ("ALL", "22", "0.0.0.0/0", "TCP", 22, "1.2.3.4", true),
            ("ALL", "22", "0.0.0.0/0", "TCP", 23, "1.2.3.4", false),
            ("ALL", "22", "0.0.0.0/0", "ICMP", 0, "1.2.3.4", true),
            ("ICMP", "ALL", "0.0.0.0/0", "ICMP", 0, "1.2.3.4", true),
            ("ICMP", "ALL", "0.0.0.0/0", "ICMP", 9999, "1.2.3.4", true),
            ("ICMP", "ALL", "0.0.0.0/0", "TCP", 22, "1.2.3.4", false),
            ("TCP", "ALL", "10.66.12.7", "TCP", 22, "10.66.12.7", true),
            ("TCP", "ALL", "10.66.12.7", "TCP", 22, "10.66.12.8", false),
            ("TCP", "ALL", "10.66.12.7/32", "TCP", 22, "10.66.12.7", true),
        ];
        for (rp, ports, cidr, qp, port, peer, want) in table {
            let r = rule(rp, ports, cidr, "ACCEPT");
            let got = matches(&r, qp.parse().unwrap(), port, PeerEnd::address(peer.parse().unwrap()));
            assert_eq!(got, want, "rule {rp} {ports} {cidr} vs {qp} {port} from {peer}");
        }
    }

    /// A rule naming a security group matches a peer instance bound to it (among others), and no other peer: not an
    /// instance outside the group, not an address that is no instance. A CIDR rule still matches by address.
    #[test]
    fn group_rules_match_the_peers_groups() {
        let web: Ipv4Addr = "10.66.12.7".parse().unwrap();
        let table: &[(&str, &[&str], bool)] = &[
            // (rule peer, the peer's groups, matches): a TCP 22 rule, asked about TCP 22
            ("sg-web", &["sg-web"], true),
            ("sg-web", &["sg-ops", "sg-web"], true),
            ("sg-web", &["sg-app"], false),
            ("sg-web", &[], false),
            ("10.66.0.0/16", &["sg-app"], true),
            ("10.66.0.0/16", &[], true),
            ("10.9.0.0/16", &["sg-web"], false),
        ];
        for &(peer, groups, want) in table {
            let groups: Vec<Name> = groups.iter().map(|&g| g.into()).collect();
            let end = PeerEnd { ip: web, groups: &groups };
            let r = rule("TCP", "22", peer, "ACCEPT");
            assert_eq!(matches(&r, Protocol::Tcp, 22, end), want, "{peer} vs {groups:?}");
            // The same for a question about ALL: the rule decides what it covers, for its peers only.
            let all = [rule("ALL", "ALL", peer, "ACCEPT")];
            let decided = first_match(&all, Protocol::All, 0, end);
            assert_eq!(decided, want.then_some((0, Action::Accept)), "ALL: {peer} vs {groups:?}");
        }
        // Through the security groups of an instance: the rule decides, named as any rule.
        let a = SecurityGroup {
            id: "sg-db".into(),
            name: String::new(),
            ingress: vec![rule("TCP", "3306", "sg-app", "ACCEPT"), rule("TCP", "3306", "0.0.0.0/0", "DROP")],
            egress: Vec::new(),
        };
        let app: Vec<Name> = vec!["sg-app".into()];
        let from_app = PeerEnd { ip: web, groups: &app };
        let d = security_groups([&a], Direction::Ingress, Protocol::Tcp, 3306, from_app).unwrap();
        assert_eq!(d, Decision { object: "sg-db", rule_index: Some(0), action: Action::Accept, part: None });
        let d = security_groups([&a], Direction::Ingress, Protocol::Tcp, 3306, PeerEnd::address(web)).unwrap();
        assert_eq!(d, Decision { object: "sg-db", rule_index: Some(1), action: Action::Drop, part: None });
    }

    /// A question about ALL: the rule deciding all traffic, and the part dropped (`None` for the part: accepted).
    #[test]
    fn a_question_about_all_traffic() {
        use Part::{Icmp, Other, Tcp, Udp};
        let peer = PeerEnd::address("10.0.0.1".parse().unwrap());
        type Row = (
            &'static [(&'static str, &'static str, &'static str, &'static str)],
            Option<(usize, Action)>,
            Option<Part>,
        );
        let (accept, drop) = (Action::Accept, Action::Drop);
        let table: &[Row] = &[
            (&[("ALL", "ALL", "0.0.0.0/0", "ACCEPT")], Some((0, accept)), None),
            (&[("ALL", "ALL", "0.0.0.0/0", "DROP")], Some((0, drop)), Some(Tcp(1, 65535))),
            // A DROP of some of the traffic before an ACCEPT of all drops that part.
            (
                &[("TCP", "22", "0.0.0.0/0", "DROP"), ("ALL", "ALL", "0.0.0.0/0", "ACCEPT")],
                Some((0, drop)),
                Some(Tcp(22, 22)),
            ),
            // An ACCEPT of some before a DROP of all: the rest is dropped.
            (
                &[("TCP", "22", "0.0.0.0/0", "ACCEPT"), ("ALL", "ALL", "0.0.0.0/0", "DROP")],
                Some((1, drop)),
                Some(Tcp(1, 21)),
            ),
            // A DROP of what an earlier ACCEPT decided drops nothing.
            (
                &[
                    ("TCP", "ALL", "0.0.0.0/0", "ACCEPT"),
                    ("TCP", "22", "0.0.0.0/0", "DROP"),
                    ("ALL", "ALL", "0.0.0.0/0", "ACCEPT"),
                ],
                Some((2, accept)),
                None,
            ),
            // A DROP for another peer does not apply.
            (&[("TCP", "22", "10.9.0.0/16", "DROP"), ("ALL", "ALL", "0.0.0.0/0", "ACCEPT")], Some((1, accept)), None),
            // TCP, UDP and ICMP do not make all traffic: the other protocols meet the implicit drop.
            (
                &[
                    ("TCP", "ALL", "0.0.0.0/0", "ACCEPT"),
                    ("UDP", "ALL", "0.0.0.0/0", "ACCEPT"),
                    ("ICMP", "ALL", "0.0.0.0/0", "ACCEPT"),
                ],
                None,
                Some(Other),
            ),
            // ... and a rule ALL after them decides the other protocols: all traffic passes.
            (
                &[
                    ("TCP", "ALL", "0.0.0.0/0", "ACCEPT"),
                    ("UDP", "ALL", "0.0.0.0/0", "ACCEPT"),
                    ("ICMP", "ALL", "0.0.0.0/0", "ACCEPT"),
                    ("ALL", "ALL", "0.0.0.0/0", "ACCEPT"),
                ],
                Some((3, accept)),
                None,
            ),
            // A DROP names the lowest ports it drops, whatever order its list gives them in.
            (&[("TCP", "80,22", "0.0.0.0/0", "DROP")], Some((0, drop)), Some(Tcp(22, 22))),
            // ... the whole stretch, where its ranges touch or overlap (it named 1-1023 and 20-25).
            (&[("TCP", "1-1023,1024-65535", "0.0.0.0/0", "DROP")], Some((0, drop)), Some(Tcp(1, 65535))),
            (&[("UDP", "22-30,20-25", "0.0.0.0/0", "DROP")], Some((0, drop)), Some(Udp(20, 30))),
            // ... of what is still undecided: 22 is accepted before, so 20-21 is the first stretch dropped.
            (
                &[("UDP", "22", "0.0.0.0/0", "ACCEPT"), ("UDP", "20-25,26-30", "0.0.0.0/0", "DROP")],
                Some((1, drop)),
                Some(Udp(20, 21)),
            ),
            (&[("TCP", "1-1000,2000-65535", "0.0.0.0/0", "ACCEPT")], None, Some(Tcp(1001, 1999))),
            (
                &[("ALL", "22", "0.0.0.0/0", "ACCEPT"), ("UDP", "5-9", "0.0.0.0/0", "DROP")],
                Some((1, drop)),
                Some(Udp(5, 9)),
            ),
            (&[("ALL", "ALL", "0.0.0.0/0", "ACCEPT"), ("ICMP", "ALL", "0.0.0.0/0", "DROP")], Some((0, accept)), None),
            (&[("TCP", "ALL", "0.0.0.0/0", "ACCEPT"), ("UDP", "ALL", "0.0.0.0/0", "ACCEPT")], None, Some(Icmp)),
            (&[], None, Some(Tcp(1, 65535))),
            // Accepts split over adjacent port ranges add up: nothing of TCP is left over.
            (
                &[
                    ("TCP", "1-1023", "0.0.0.0/0", "ACCEPT"),
                    ("TCP", "1024-65535", "0.0.0.0/0", "ACCEPT"),
                    ("UDP", "ALL", "0.0.0.0/0", "ACCEPT"),
                    ("ALL", "ALL", "0.0.0.0/0", "ACCEPT"),
                ],
                Some((3, accept)),
                None,
            ),
            (
                &[
                    ("TCP", "1-1023", "0.0.0.0/0", "ACCEPT"),
                    ("TCP", "1024-65535", "0.0.0.0/0", "ACCEPT"),
                    ("UDP", "ALL", "0.0.0.0/0", "ACCEPT"),
                    ("ICMP", "ALL", "0.0.0.0/0", "ACCEPT"),
                ],
                None,
                Some(Other),
            ),
        ];
        for (rules, want, part) in table {
            let list: Vec<FilterRule> = rules.iter().map(|&(p, ports, c, a)| rule(p, ports, c, a)).collect();
            assert_eq!(first_match(&list, Protocol::All, 0, peer), *want, "{rules:?}");
            let acl = NetworkAcl { id: "acl-1".into(), name: String::new(), ingress: list.clone(), egress: Vec::new() };
            let d = network_acl(&acl, Direction::Ingress, Protocol::All, 0, peer);
            assert_eq!(
                (d.rule_index, d.action, d.part),
                (want.map(|w| w.0), want.map_or(drop, |w| w.1), *part),
                "{rules:?}"
            );
        }
        assert_eq!(Tcp(22, 22).to_string(), "TCP 22");
        assert_eq!(Udp(1, 65535).to_string(), "UDP 1-65535");
        assert_eq!(Other.to_string(), "protocols other than TCP, UDP and ICMP");
    }

    /// Several groups are one list for a question about ALL too: what the first group accepts stays accepted.
    #[test]
    fn all_traffic_across_groups() {
        let peer = PeerEnd::address("10.0.0.1".parse().unwrap());
        let group = |id: &str, rules: Vec<FilterRule>| SecurityGroup {
            id: id.into(),
            name: String::new(),
            ingress: rules,
            egress: Vec::new(),
        };
        let a = group("sg-a", vec![rule("TCP", "ALL", "0.0.0.0/0", "ACCEPT")]);
        let b = group("sg-b", vec![rule("TCP", "22", "0.0.0.0/0", "DROP"), rule("UDP", "ALL", "0.0.0.0/0", "DROP")]);
        let d = security_groups([&a, &b], Direction::Ingress, Protocol::All, 0, peer).unwrap();
        assert_eq!(
            d,
            Decision { object: "sg-b", rule_index: Some(1), action: Action::Drop, part: Some(Part::Udp(1, 65535)) }
        );
        let c = group("sg-c", vec![rule("ALL", "ALL", "0.0.0.0/0", "ACCEPT")]);
        let d = security_groups([&a, &c], Direction::Ingress, Protocol::All, 0, peer).unwrap();
        assert_eq!(d, Decision { object: "sg-c", rule_index: Some(0), action: Action::Accept, part: None });
        let d = security_groups([&a], Direction::Ingress, Protocol::All, 0, peer).unwrap();
        assert_eq!(
            d,
            Decision { object: "sg-a", rule_index: None, action: Action::Drop, part: Some(Part::Udp(1, 65535)) }
        );
        // A packet question is unchanged: the first matching rule of the whole list.
        let d = security_groups([&a, &b], Direction::Ingress, Protocol::Tcp, 22, peer).unwrap();
        assert_eq!(d, Decision { object: "sg-a", rule_index: Some(0), action: Action::Accept, part: None });
    }

    #[test]
    fn first_match_wins_and_unmatched_is_dropped() {
        let peer = PeerEnd::address("10.0.0.1".parse().unwrap());
        let drop_then_accept = vec![rule("TCP", "22", "0.0.0.0/0", "DROP"), rule("ALL", "ALL", "0.0.0.0/0", "ACCEPT")];
        let accept_then_drop = vec![rule("TCP", "22", "0.0.0.0/0", "ACCEPT"), rule("ALL", "ALL", "0.0.0.0/0", "DROP")];
        assert_eq!(first_match(&drop_then_accept, Protocol::Tcp, 22, peer), Some((0, Action::Drop)));
        assert_eq!(first_match(&drop_then_accept, Protocol::Tcp, 23, peer), Some((1, Action::Accept)));
        assert_eq!(first_match(&accept_then_drop, Protocol::Tcp, 22, peer), Some((0, Action::Accept)));
        assert_eq!(first_match(&accept_then_drop, Protocol::Udp, 22, peer), Some((1, Action::Drop)));
        assert_eq!(first_match(&[], Protocol::Tcp, 22, peer), None);

        let acl = NetworkAcl {
            id: "acl-1".into(),
            name: String::new(),
            ingress: vec![rule("TCP", "22", "0.0.0.0/0", "ACCEPT")],
            egress: Vec::new(),
        };
        let d = network_acl(&acl, Direction::Ingress, Protocol::Tcp, 22, peer);
        assert_eq!(d, Decision { object: "acl-1", rule_index: Some(0), action: Action::Accept, part: None });
        assert!(d.accepts());
        let d = network_acl(&acl, Direction::Ingress, Protocol::Tcp, 80, peer);
        assert_eq!(d, Decision { object: "acl-1", rule_index: None, action: Action::Drop, part: None });
        let d = network_acl(&acl, Direction::Egress, Protocol::Tcp, 22, peer);
        assert_eq!(d, Decision { object: "acl-1", rule_index: None, action: Action::Drop, part: None }, "default deny");
    }

    #[test]
    fn several_groups_are_one_list() {
        let peer = PeerEnd::address("10.0.0.1".parse().unwrap());
        let g = |id: &str, ingress: Vec<FilterRule>| SecurityGroup {
            id: id.into(),
            name: String::new(),
            ingress,
            egress: Vec::new(),
        };
        let a = g("sg-a", vec![rule("TCP", "80", "0.0.0.0/0", "ACCEPT"), rule("TCP", "443", "0.0.0.0/0", "DROP")]);
        let b = g("sg-b", vec![rule("TCP", "443", "0.0.0.0/0", "ACCEPT"), rule("TCP", "22", "0.0.0.0/0", "DROP")]);
        let eval = |port| security_groups([&a, &b], Direction::Ingress, Protocol::Tcp, port, peer);
        assert_eq!(
            eval(80),
            Some(Decision { object: "sg-a", rule_index: Some(0), action: Action::Accept, part: None })
        );
        assert_eq!(eval(443), Some(Decision { object: "sg-a", rule_index: Some(1), action: Action::Drop, part: None }));
        assert_eq!(eval(22), Some(Decision { object: "sg-b", rule_index: Some(1), action: Action::Drop, part: None }));
        assert_eq!(eval(8080), Some(Decision { object: "sg-b", rule_index: None, action: Action::Drop, part: None }));
        let reversed = security_groups([&b, &a], Direction::Ingress, Protocol::Tcp, 443, peer);
        assert_eq!(
            reversed,
            Some(Decision { object: "sg-b", rule_index: Some(0), action: Action::Accept, part: None })
        );
        let egress = security_groups([&a], Direction::Egress, Protocol::Tcp, 80, peer);
        assert_eq!(
            egress,
            Some(Decision { object: "sg-a", rule_index: None, action: Action::Drop, part: None }),
            "no egress rule"
        );
        assert_eq!(security_groups([], Direction::Ingress, Protocol::Tcp, 80, peer), None, "no group: unfiltered");
    }
}
