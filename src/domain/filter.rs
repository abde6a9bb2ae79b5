//! Security group and network ACL evaluation: which rule decides a packet, and what it decides.
//!
//! The semantics (`tencent-cloud.md` §4, `docs/reachability.md`):
//!
//! - Rules are matched in order; the first match decides (`ACCEPT` or `DROP`).
//! - A security group drops what no rule matches (the *implicit drop*); an ACL ends with a *default deny*. Both are
//!   reported as a [`Decision`] with `action: Drop` and `rule_index: None`.
//! - Several security groups on one instance are evaluated as one list: the groups in the order the instance binds
//!   them, each group's rules in order. The first matching rule of the whole list decides.
//! - A rule matches a packet when its protocol matches (a rule `ALL` matches every protocol; a question `ALL`, "any
//!   traffic", is matched only by a rule whose protocol is `ALL` and port `ALL`), its port set holds the port (ports
//!   are ignored for ICMP and for a rule `ALL` asked about ICMP) and its CIDR holds the peer address.
//!
//! Statefulness (a security group lets the reply of an accepted flow back; an ACL checks the reply on its own) is the
//! caller's business: [reachability](mod@crate::domain::reach) asks [`network_acl`] twice, once per direction.

use super::addr::Protocol;
use super::model::{Action, FilterRule, NetworkAcl, SecurityGroup};
use super::reach::Direction;
use std::net::Ipv4Addr;

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
}

impl Decision<'_> {
    /// Whether the packet passes.
    pub fn accepts(&self) -> bool {
        self.action == Action::Accept
    }
}

/// Whether `rule` matches a packet of `protocol` to/from `peer` on `port` (see the module documentation).
pub fn matches(rule: &FilterRule, protocol: Protocol, port: u16, peer: Ipv4Addr) -> bool {
    let protocol_ok = match (rule.protocol, protocol) {
        (Protocol::All, Protocol::All) => rule.port.is_all(),
        (_, Protocol::All) => false,
        (Protocol::All, _) => true,
        (r, q) => r == q,
    };
    // The address first: it is stored in the rule, while a port list is behind a pointer (a cache miss per rule
    // in a plan of 100,000 rules).
    protocol_ok && rule.cidr.contains(peer) && (!protocol.has_ports() || rule.port.contains(port))
}

/// The index and action of the first rule in `rules` matching the packet, if any.
pub fn first_match(rules: &[FilterRule], protocol: Protocol, port: u16, peer: Ipv4Addr) -> Option<(usize, Action)> {
    rules.iter().position(|r| matches(r, protocol, port, peer)).map(|i| (i, rules[i].action))
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
    peer: Ipv4Addr,
) -> Option<Decision<'a>>
where
    I: IntoIterator<Item = &'a SecurityGroup>,
{
    let mut last = None;
    for g in groups {
        last = Some(g);
        let list = match direction {
            Direction::Ingress => &g.ingress,
            Direction::Egress => &g.egress,
        };
        if let Some((i, action)) = first_match(list, protocol, port, peer) {
            return Some(Decision { object: &g.id, rule_index: Some(i), action });
        }
    }
    last.map(|g| Decision { object: &g.id, rule_index: None, action: Action::Drop })
}

/// Evaluates a network ACL for one packet crossing the subnet boundary in `direction` (`Ingress`: into the subnet,
/// `peer` is the packet's source; `Egress`: out of it, `peer` is its destination).
pub fn network_acl(
    acl: &NetworkAcl,
    direction: Direction,
    protocol: Protocol,
    port: u16,
    peer: Ipv4Addr,
) -> Decision<'_> {
    let list = match direction {
        Direction::Ingress => &acl.ingress,
        Direction::Egress => &acl.egress,
    };
    match first_match(list, protocol, port, peer) {
        Some((i, action)) => Decision { object: &acl.id, rule_index: Some(i), action },
        None => Decision { object: &acl.id, rule_index: None, action: Action::Drop },
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
            cidr: cidr.parse().unwrap(),
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
            ("ALL", "ALL", "0.0.0.0/0", "ALL", 0, "1.2.3.4", true),
            ("ALL", "22", "0.0.0.0/0", "TCP", 22, "1.2.3.4", true),
            ("ALL", "22", "0.0.0.0/0", "TCP", 23, "1.2.3.4", false),
            ("ALL", "22", "0.0.0.0/0", "ICMP", 0, "1.2.3.4", true),
            ("ALL", "22", "0.0.0.0/0", "ALL", 0, "1.2.3.4", false),
            ("TCP", "ALL", "0.0.0.0/0", "ALL", 0, "1.2.3.4", false),
            ("ICMP", "ALL", "0.0.0.0/0", "ICMP", 0, "1.2.3.4", true),
            ("ICMP", "ALL", "0.0.0.0/0", "ICMP", 9999, "1.2.3.4", true),
            ("ICMP", "ALL", "0.0.0.0/0", "TCP", 22, "1.2.3.4", false),
            ("TCP", "ALL", "10.66.12.7", "TCP", 22, "10.66.12.7", true),
            ("TCP", "ALL", "10.66.12.7", "TCP", 22, "10.66.12.8", false),
            ("TCP", "ALL", "10.66.12.7/32", "TCP", 22, "10.66.12.7", true),
        ];
        for (rp, ports, cidr, qp, port, peer, want) in table {
            let r = rule(rp, ports, cidr, "ACCEPT");
            let got = matches(&r, qp.parse().unwrap(), port, peer.parse().unwrap());
            assert_eq!(got, want, "rule {rp} {ports} {cidr} vs {qp} {port} from {peer}");
        }
    }

    #[test]
    fn first_match_wins_and_unmatched_is_dropped() {
        let peer: Ipv4Addr = "10.0.0.1".parse().unwrap();
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
        assert_eq!(d, Decision { object: "acl-1", rule_index: Some(0), action: Action::Accept });
        assert!(d.accepts());
        let d = network_acl(&acl, Direction::Ingress, Protocol::Tcp, 80, peer);
        assert_eq!(d, Decision { object: "acl-1", rule_index: None, action: Action::Drop });
        let d = network_acl(&acl, Direction::Egress, Protocol::Tcp, 22, peer);
        assert_eq!(d, Decision { object: "acl-1", rule_index: None, action: Action::Drop }, "default deny");
    }

    #[test]
    fn several_groups_are_one_list() {
        let peer: Ipv4Addr = "10.0.0.1".parse().unwrap();
        let g = |id: &str, ingress: Vec<FilterRule>| SecurityGroup {
            id: id.into(),
            name: String::new(),
            ingress,
            egress: Vec::new(),
        };
        let a = g("sg-a", vec![rule("TCP", "80", "0.0.0.0/0", "ACCEPT"), rule("TCP", "443", "0.0.0.0/0", "DROP")]);
        let b = g("sg-b", vec![rule("TCP", "443", "0.0.0.0/0", "ACCEPT"), rule("TCP", "22", "0.0.0.0/0", "DROP")]);
        let eval = |port| security_groups([&a, &b], Direction::Ingress, Protocol::Tcp, port, peer);
        assert_eq!(eval(80), Some(Decision { object: "sg-a", rule_index: Some(0), action: Action::Accept }));
        assert_eq!(eval(443), Some(Decision { object: "sg-a", rule_index: Some(1), action: Action::Drop }));
        assert_eq!(eval(22), Some(Decision { object: "sg-b", rule_index: Some(1), action: Action::Drop }));
        assert_eq!(eval(8080), Some(Decision { object: "sg-b", rule_index: None, action: Action::Drop }));
        let reversed = security_groups([&b, &a], Direction::Ingress, Protocol::Tcp, 443, peer);
        assert_eq!(reversed, Some(Decision { object: "sg-b", rule_index: Some(0), action: Action::Accept }));
        let egress = security_groups([&a], Direction::Egress, Protocol::Tcp, 80, peer);
        assert_eq!(egress, Some(Decision { object: "sg-a", rule_index: None, action: Action::Drop }), "no egress rule");
        assert_eq!(security_groups([], Direction::Ingress, Protocol::Tcp, 80, peer), None, "no group: unfiltered");
    }
}
