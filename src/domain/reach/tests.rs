//! Reachability tests: every reason code (each way where it has two), reachable paths and their hops, and the
//! filter semantics (first match, implicit drop, default deny forward and return, ports, ICMP, single-IP CIDRs).

use super::*;
#[cfg(target_arch = "wasm32")]
use crate::browser_test as test;
use crate::domain::{import, Network};

fn load(json: &str) -> Plan {
    import(json).unwrap_or_else(|e| panic!("test plan does not load: {e}"))
}

fn ask(net: &Network, from: &str, to: &str, protocol: &str, port: u16) -> Answer {
    net.reach(&Endpoint::from(from), &Endpoint::from(to), protocol.parse().unwrap(), port)
        .unwrap_or_else(|e| panic!("{from} -> {to}: {e}"))
}

/// What a question must answer: the hops of a reachable path, or the evidence of a block.
type Want = Result<&'static [&'static str], (Reason, Option<&'static str>, Option<usize>, Option<Direction>)>;

/// One question and its answer: from, to, protocol, port, answer.
type Case<'x> = (&'x str, &'x str, &'x str, u16, Want);

fn check_table(net: &Network, table: &[Case]) {
    for (from, to, protocol, port, want) in table {
        let got = ask(net, from, to, protocol, *port);
        let what = format!("{from} -> {to} {protocol} {port}: {got:?}");
        match want {
            Ok(hops) => {
                assert!(got.reachable, "{what}");
                assert_eq!(got.reason, None, "{what}");
                assert_eq!(got.blocked_by, None, "{what}");
                assert_eq!(&got.hops, hops, "{what}");
                assert!(got.message.contains("reaches"), "{what}");
            }
            Err((reason, object, rule_index, direction)) => {
                assert!(!got.reachable, "{what}");
                assert_eq!(got.reason, Some(*reason), "{what}");
                let by = got.blocked_by.as_ref();
                assert_eq!(by.map(|b| b.object.as_str()), *object, "{what}");
                assert_eq!(by.and_then(|b| b.rule_index), *rule_index, "{what}");
                assert_eq!(by.and_then(|b| b.direction), *direction, "{what}");
                if let Some(o) = object {
                    assert!(got.message.contains(o), "the message names the blocking object: {what}");
                }
                if from.parse::<Ipv4Addr>().is_err() {
                    assert_eq!(got.hops.first().map(String::as_str), Some(*from), "hops start at the source: {what}");
                }
            }
        }
    }
}

const fn no(reason: Reason, object: &'static str) -> Want {
    Err((reason, Some(object), None, None))
}

/// A plan with one of every topology: links valid and not, peering, CCN, gateways, terminal connections, states.
const WORLD: &str = r#"{
  "format": "classiclink-plan", "version": 1,
  "classic": [
    { "id": "ins-a", "kind": "cvm", "region": "gz", "ip": "10.66.0.1", "security_groups": ["sg-open"] },
    { "id": "ins-b", "kind": "cvm", "region": "gz", "ip": "10.66.0.2" },
    { "id": "ins-c", "kind": "cvm", "region": "gz", "ip": "10.66.0.3" },
    { "id": "ins-d", "kind": "cvm", "region": "gz", "ip": "10.66.0.4" },
    { "id": "ins-e", "kind": "cvm", "region": "bj", "ip": "10.77.0.5" },
    { "id": "ins-f", "kind": "cvm", "region": "bj", "ip": "10.77.0.6" },
    { "id": "ins-stop", "kind": "cvm", "region": "gz", "ip": "10.66.0.7", "state": "stopped" },
    { "id": "ins-gone", "kind": "cvm", "region": "gz", "ip": "10.66.0.8", "state": "returned" },
    { "id": "ins-iso", "kind": "cvm", "region": "gz", "ip": "10.66.0.9", "state": "isolated" },
    { "id": "ins-sec", "kind": "cvm", "region": "gz", "ip": "10.66.0.10", "state": "security_isolated" },
    { "id": "cdb-1", "kind": "mysql", "region": "gz", "ip": "10.66.1.1" },
    { "id": "cdb-2", "kind": "mysql", "region": "gz", "ip": "10.66.1.2" },
    { "id": "cdb-bj", "kind": "redis", "region": "bj", "ip": "10.77.1.3" }
  ],
  "vpcs": [
    { "id": "vpc-1", "region": "gz", "cidr": "10.0.0.0/16", "assistant_cidrs": ["10.100.0.0/16"],
      "subnets": [
        { "id": "sn-1", "cidr": "10.0.1.0/24", "acl": "acl-open" },
        { "id": "sn-2", "cidr": "10.0.2.0/24" },
        { "id": "sn-x", "cidr": "10.100.1.0/24" },
        { "id": "sn-3", "cidr": "10.0.3.0/24", "acl": "acl-ssh" } ],
      "resources": [
        { "id": "r-1", "kind": "cvm", "subnet": "sn-1", "ip": "10.0.1.5", "security_groups": ["sg-open"] },
        { "id": "r-2", "kind": "cvm", "subnet": "sn-1", "ip": "10.0.1.6", "security_groups": ["sg-ssh"] },
        { "id": "r-4", "kind": "cvm", "subnet": "sn-3", "ip": "10.0.3.4" },
        { "id": "r-3", "kind": "mysql", "subnet": "sn-2", "ip": "10.0.2.5" },
        { "id": "r-x", "kind": "cvm", "subnet": "sn-x", "ip": "10.100.1.8" },
        { "id": "r-stop", "kind": "cvm", "subnet": "sn-2", "ip": "10.0.2.9", "state": "stopped" } ],
      "gateways": [
        { "id": "vpn-1", "kind": "vpn", "remote_cidrs": ["192.168.0.0/16"] },
        { "id": "dc-1", "kind": "direct_connect", "remote_cidrs": ["172.20.0.0/16"] },
        { "id": "nat-1", "kind": "nat" } ] },
    { "id": "vpc-2", "region": "gz", "cidr": "10.1.0.0/16",
      "subnets": [ { "id": "sn-21", "cidr": "10.1.1.0/24" } ],
      "resources": [ { "id": "r-21", "kind": "cvm", "subnet": "sn-21", "ip": "10.1.1.5" } ] },
    { "id": "vpc-3", "region": "gz", "cidr": "10.2.0.0/16",
      "subnets": [ { "id": "sn-31", "cidr": "10.2.1.0/24" } ],
      "resources": [ { "id": "r-31", "kind": "cvm", "subnet": "sn-31", "ip": "10.2.1.5" } ],
      "gateways": [ { "id": "pgw-3", "kind": "public" } ] },
    { "id": "vpc-4", "region": "bj", "cidr": "10.3.0.0/16",
      "subnets": [ { "id": "sn-41", "cidr": "10.3.1.0/24" } ],
      "resources": [ { "id": "r-41", "kind": "cvm", "subnet": "sn-41", "ip": "10.3.1.5" } ] }
  ],
  "peerings": [ { "id": "pcx-12", "vpcs": ["vpc-1", "vpc-2"] } ],
  "ccns": [ { "id": "ccn-1", "vpcs": ["vpc-1", "vpc-4"] } ],
  "links": [
    { "instance": "ins-a", "vpc": "vpc-1", "ip": "10.66.0.1" },
    { "instance": "ins-c", "vpc": "vpc-2" },
    { "instance": "ins-d", "vpc": "vpc-1", "ip": "10.66.9.9" },
    { "instance": "ins-e", "vpc": "vpc-1" },
    { "instance": "ins-stop", "vpc": "vpc-1" }
  ],
  "terminal_connections": [
    { "id": "tc-1", "target": "cdb-1", "vpc": "vpc-1", "ip": "10.0.1.200" },
    { "id": "tc-bj", "target": "cdb-bj", "vpc": "vpc-1", "ip": "10.0.1.201" }
  ],
  "security_groups": [
    { "id": "sg-ssh",
      "ingress": [ { "protocol": "TCP", "port": "22", "cidr": "0.0.0.0/0", "action": "ACCEPT" } ],
      "egress": [ { "protocol": "ALL", "port": "ALL", "cidr": "0.0.0.0/0", "action": "ACCEPT" } ] },
    { "id": "sg-open",
      "ingress": [ { "protocol": "ALL", "port": "ALL", "cidr": "0.0.0.0/0", "action": "ACCEPT" } ],
      "egress": [ { "protocol": "ALL", "port": "ALL", "cidr": "0.0.0.0/0", "action": "ACCEPT" } ] }
  ],
  "network_acls": [
    { "id": "acl-ssh",
      "ingress": [ { "protocol": "TCP", "port": "22", "cidr": "10.66.0.0/16", "action": "ACCEPT" } ],
      "egress": [ { "protocol": "ALL", "port": "ALL", "cidr": "0.0.0.0/0", "action": "ACCEPT" } ] },
    { "id": "acl-open",
      "ingress": [ { "protocol": "ALL", "port": "ALL", "cidr": "0.0.0.0/0", "action": "ACCEPT" } ],
      "egress": [ { "protocol": "ALL", "port": "ALL", "cidr": "0.0.0.0/0", "action": "ACCEPT" } ] }
  ]
}"#;

#[rustfmt::skip]
fn world_table() -> Vec<Case<'static>> {
    use Reason::*;
    vec![
        // Reachable paths and their hops.
        ("ins-a", "r-1", "TCP", 22, Ok(&["ins-a", "vpc-1", "sn-1", "r-1"])),
        ("r-1", "ins-a", "TCP", 22, Ok(&["r-1", "sn-1", "vpc-1", "ins-a"])),
        ("ins-a", "r-3", "TCP", 3306, Ok(&["ins-a", "vpc-1", "sn-2", "r-3"])),
        ("10.66.0.1", "10.0.1.5", "TCP", 22, Ok(&["ins-a", "vpc-1", "sn-1", "r-1"])),
        ("ins-a", "10.0.2.77", "TCP", 22, Ok(&["ins-a", "vpc-1", "sn-2", "10.0.2.77"])),
        ("ins-a", "ins-b", "TCP", 22, Ok(&["ins-a", "ins-b"])),
        ("ins-a", "cdb-1", "TCP", 3306, Ok(&["ins-a", "cdb-1"])),
        ("ins-a", "ins-a", "TCP", 22, Ok(&["ins-a"])),
        ("r-1", "r-2", "TCP", 22, Ok(&["r-1", "sn-1", "r-2"])),
        ("r-1", "r-3", "TCP", 22, Ok(&["r-1", "sn-1", "sn-2", "r-3"])),
        ("r-1", "r-21", "TCP", 22, Ok(&["r-1", "sn-1", "vpc-1", "pcx-12", "vpc-2", "sn-21", "r-21"])),
        ("r-21", "r-1", "TCP", 22, Ok(&["r-21", "sn-21", "vpc-2", "pcx-12", "vpc-1", "sn-1", "r-1"])),
        ("r-1", "r-41", "TCP", 22, Ok(&["r-1", "sn-1", "vpc-1", "ccn-1", "vpc-4", "sn-41", "r-41"])),
        ("r-1", "cdb-1", "TCP", 3306, Ok(&["r-1", "sn-1", "vpc-1", "tc-1", "cdb-1"])),
        ("r-3", "10.0.1.200", "TCP", 3306, Ok(&["r-3", "sn-2", "vpc-1", "tc-1", "cdb-1"])),
        ("r-1", "192.168.3.4", "TCP", 22, Ok(&["r-1", "sn-1", "vpc-1", "vpn-1", "192.168.3.4"])),
        ("192.168.3.4", "r-1", "TCP", 22, Ok(&["192.168.3.4", "vpn-1", "vpc-1", "sn-1", "r-1"])),
        ("r-1", "172.20.0.9", "UDP", 53, Ok(&["r-1", "sn-1", "vpc-1", "dc-1", "172.20.0.9"])),
        ("r-1", "8.8.8.8", "TCP", 443, Ok(&["r-1", "sn-1", "vpc-1", "nat-1", "8.8.8.8"])),
        ("r-31", "8.8.8.8", "TCP", 443, Ok(&["r-31", "sn-31", "vpc-3", "pgw-3", "8.8.8.8"])),
        // NOT_LINKED, both ways; linked elsewhere (no join) or nowhere.
        ("ins-b", "r-1", "TCP", 22, no(NotLinked, "vpc-1")),
        ("r-1", "ins-b", "TCP", 22, no(NotLinked, "vpc-1")),
        ("ins-a", "r-31", "TCP", 22, no(NotLinked, "vpc-3")),
        ("r-31", "ins-a", "TCP", 22, no(NotLinked, "vpc-3")),
        // LINK_INVALID, both ways.
        ("ins-d", "r-1", "TCP", 22, no(LinkInvalid, "ins-d")),
        ("r-1", "ins-d", "TCP", 22, no(LinkInvalid, "ins-d")),
        // CROSS_REGION: a link, the classic network, a terminal connection.
        ("ins-e", "r-1", "TCP", 22, no(CrossRegion, "ins-e")),
        ("r-1", "ins-e", "TCP", 22, no(CrossRegion, "ins-e")),
        ("ins-a", "ins-f", "TCP", 22, no(CrossRegion, "ins-f")),
        ("ins-f", "ins-a", "TCP", 22, no(CrossRegion, "ins-a")),
        ("r-1", "cdb-bj", "TCP", 6379, no(CrossRegion, "tc-bj")),
        // A CVM of another region than the VPC has no link and cannot have one (CL004): CROSS_REGION, not
        // NOT_LINKED, whose fix (link it) would be refused. Unlinked, linked elsewhere, and every listed link
        // refused; both ways. Linked to a VPC joined to it, the join is what blocks (NOT_TRANSITIVE, above).
        ("ins-f", "r-1", "TCP", 22, no(CrossRegion, "ins-f")),
        ("r-1", "ins-f", "TCP", 22, no(CrossRegion, "ins-f")),
        ("ins-b", "r-41", "TCP", 22, no(CrossRegion, "ins-b")),
        ("ins-c", "r-41", "TCP", 22, no(CrossRegion, "ins-c")),
        ("r-41", "ins-c", "TCP", 22, no(CrossRegion, "ins-c")),
        ("ins-e", "r-21", "TCP", 22, no(CrossRegion, "ins-e")),
        ("ins-b", "10.3.1.99", "TCP", 22, no(CrossRegion, "ins-b")),
        // A classic non-CVM of another region: no terminal connection could map it in.
        ("r-41", "cdb-2", "TCP", 3306, no(CrossRegion, "cdb-2")),
        // SECONDARY_CIDR, both ways; a free address in the assistant CIDR too.
        ("ins-a", "r-x", "TCP", 22, no(SecondaryCidr, "vpc-1")),
        ("r-x", "ins-a", "TCP", 22, no(SecondaryCidr, "vpc-1")),
        ("ins-a", "10.100.1.99", "TCP", 22, no(SecondaryCidr, "vpc-1")),
        // NOT_TRANSITIVE, both ways: peering, CCN, VPN, Direct Connect, NAT, public gateway, terminal connection.
        ("ins-c", "r-1", "TCP", 22, no(NotTransitive, "pcx-12")),
        ("r-1", "ins-c", "TCP", 22, no(NotTransitive, "pcx-12")),
        ("ins-a", "r-41", "TCP", 22, no(NotTransitive, "ccn-1")),
        ("r-41", "ins-a", "TCP", 22, no(NotTransitive, "ccn-1")),
        ("ins-a", "192.168.3.4", "TCP", 22, no(NotTransitive, "vpn-1")),
        ("192.168.3.4", "ins-a", "TCP", 22, no(NotTransitive, "vpn-1")),
        ("ins-a", "172.20.0.9", "TCP", 22, no(NotTransitive, "dc-1")),
        ("172.20.0.9", "ins-a", "TCP", 22, no(NotTransitive, "dc-1")),
        ("ins-a", "8.8.8.8", "TCP", 443, no(NotTransitive, "nat-1")),
        ("ins-a", "10.0.1.200", "TCP", 3306, no(NotTransitive, "tc-1")),
        // CLASSIC_NON_CVM: no terminal connection (into this VPC).
        ("r-1", "cdb-2", "TCP", 3306, no(ClassicNonCvm, "cdb-2")),
        ("r-1", "10.66.1.2", "TCP", 3306, no(ClassicNonCvm, "cdb-2")),
        ("r-21", "10.0.1.200", "TCP", 3306, no(ClassicNonCvm, "tc-1")),
        // TERMINAL_ONE_WAY: the target, by ID or through the mapped address, towards the VPC.
        ("cdb-1", "r-1", "TCP", 22, no(TerminalOneWay, "tc-1")),
        ("10.0.1.200", "r-1", "TCP", 22, no(TerminalOneWay, "tc-1")),
        // VPC_ISOLATED, both ways; a classic non-CVM with no terminal connection.
        ("r-1", "r-31", "TCP", 22, no(VpcIsolated, "vpc-3")),
        ("r-31", "r-1", "TCP", 22, no(VpcIsolated, "vpc-1")),
        ("cdb-2", "r-1", "TCP", 22, no(VpcIsolated, "vpc-1")),
        // NO_ROUTE.
        ("r-21", "8.8.8.8", "TCP", 443, no(NoRoute, "vpc-2")),
        ("r-21", "192.168.3.4", "TCP", 22, no(NoRoute, "vpc-2")),
        ("192.168.3.4", "r-21", "TCP", 22, no(NoRoute, "vpc-2")),
        ("r-1", "10.200.0.1", "TCP", 22, no(NoRoute, "vpc-1")),
        ("8.8.8.8", "r-1", "TCP", 22, no(NoRoute, "vpc-1")),
        ("ins-a", "10.200.0.1", "TCP", 22, no(NoRoute, "vpc-1")),
        ("ins-b", "8.8.8.8", "TCP", 22, Err((NoRoute, None, None, None))),
        ("cdb-2", "8.8.8.8", "TCP", 22, Err((NoRoute, None, None, None))),
        ("8.8.8.8", "ins-a", "TCP", 22, Err((NoRoute, None, None, None))),
        ("8.8.8.8", "1.1.1.1", "TCP", 22, Err((NoRoute, None, None, None))),
        // SECURITY_GROUP and NETWORK_ACL (the filter tests below cover their semantics).
        ("ins-a", "r-2", "TCP", 22, Ok(&["ins-a", "vpc-1", "sn-1", "r-2"])),
        ("ins-a", "r-2", "TCP", 80, Err((SecurityGroup, Some("sg-ssh"), None, Some(Direction::Ingress)))),
        ("ins-a", "r-4", "TCP", 22, Ok(&["ins-a", "vpc-1", "sn-3", "r-4"])),
        ("ins-a", "r-4", "TCP", 80, Err((NetworkAcl, Some("acl-ssh"), None, Some(Direction::Ingress)))),
        ("r-4", "ins-a", "TCP", 22, Ok(&["r-4", "sn-3", "vpc-1", "ins-a"])),
        ("r-4", "ins-a", "TCP", 80, Err((NetworkAcl, Some("acl-ssh"), None, Some(Direction::Ingress)))),
        ("r-4", "r-1", "TCP", 22, Err((NetworkAcl, Some("acl-ssh"), None, Some(Direction::Ingress)))),
        // INSTANCE_STATE: source or destination; every state that does not answer.
        ("ins-stop", "r-1", "TCP", 22, no(InstanceState, "ins-stop")),
        ("r-1", "ins-stop", "TCP", 22, no(InstanceState, "ins-stop")),
        ("ins-gone", "ins-a", "TCP", 22, no(InstanceState, "ins-gone")),
        ("ins-a", "ins-iso", "TCP", 22, no(InstanceState, "ins-iso")),
        ("ins-a", "ins-sec", "TCP", 22, no(InstanceState, "ins-sec")),
        ("r-1", "r-stop", "TCP", 22, no(InstanceState, "r-stop")),
    ]
}

#[test]
fn world_answers_by_the_semantics() {
    let plan = load(WORLD);
    check_table(&Network::new(&plan), &world_table());
}

#[test]
fn world_covers_every_reason_code() {
    let table = world_table();
    for reason in Reason::ALL {
        assert!(
            table.iter().any(|(.., want)| matches!(want, Err((r, ..)) if *r == reason)),
            "{reason} is not exercised"
        );
    }
}

/// Links and terminal connections that Tencent Cloud would refuse to create carry no traffic: the rules report them
/// (CL001, CL014, CL016), and reachability does not route through them either.
#[test]
fn links_and_terminal_connections_tencent_refuses_carry_nothing() {
    let plan = load(
        r#"{ "format": "classiclink-plan", "version": 1,
      "classic": [
        { "id": "ins-a", "kind": "cvm", "region": "gz", "ip": "10.66.0.1" },
        { "id": "ins-b", "kind": "cvm", "region": "gz", "ip": "10.66.0.2" },
        { "id": "ins-bj", "kind": "cvm", "region": "bj", "ip": "10.77.0.2" },
        { "id": "pg-1", "kind": "postgresql", "region": "gz", "ip": "10.66.0.3" },
        { "id": "cdb-1", "kind": "mysql", "region": "gz", "ip": "10.66.0.4" },
        { "id": "cdb-2", "kind": "mysql", "region": "gz", "ip": "10.66.0.5" },
        { "id": "cdb-3", "kind": "mysql", "region": "gz", "ip": "10.66.0.6" },
        { "id": "pg-bj", "kind": "postgresql", "region": "bj", "ip": "10.77.0.7" },
        { "id": "cdb-bj", "kind": "mysql", "region": "bj", "ip": "10.77.0.8" } ],
      "vpcs": [
        { "id": "vpc-x", "region": "gz", "cidr": "172.16.0.0/16",
          "subnets": [ { "id": "sn-x", "cidr": "172.16.1.0/24" } ],
          "resources": [ { "id": "r-x", "kind": "cvm", "subnet": "sn-x", "ip": "172.16.1.5" } ] },
        { "id": "vpc-1", "region": "gz", "cidr": "10.0.0.0/16",
          "subnets": [ { "id": "sn-1", "cidr": "10.0.1.0/24" } ],
          "resources": [ { "id": "r-1", "kind": "cvm", "subnet": "sn-1", "ip": "10.0.1.5" } ] } ],
      "links": [ { "instance": "ins-a", "vpc": "vpc-x" } ],
      "terminal_connections": [
        { "id": "tc-cvm", "target": "ins-b", "vpc": "vpc-1", "ip": "10.0.1.202" },
        { "id": "tc-cvm-bj", "target": "ins-bj", "vpc": "vpc-1", "ip": "10.0.1.204" },
        { "id": "tc-pg", "target": "pg-1", "vpc": "vpc-1", "ip": "10.0.1.201" },
        { "id": "tc-out", "target": "cdb-1", "vpc": "vpc-1", "ip": "10.9.0.1" },
        { "id": "tc-ok", "target": "cdb-2", "vpc": "vpc-1", "ip": "10.0.1.200" },
        { "id": "tc-out3", "target": "cdb-3", "vpc": "vpc-1", "ip": "10.9.0.3" },
        { "id": "tc-ok3", "target": "cdb-3", "vpc": "vpc-1", "ip": "10.0.1.203" },
        { "id": "tc-pg-bj", "target": "pg-bj", "vpc": "vpc-1", "ip": "10.9.0.7" },
        { "id": "tc-out-bj", "target": "cdb-bj", "vpc": "vpc-1", "ip": "10.9.0.8" } ] }"#,
    );
    let net = Network::new(&plan);
    let by = |reason: Reason, object: &'static str| -> Want { Err((reason, Some(object), None, None)) };
    check_table(
        &net,
        &[
            // A link to a VPC outside 10.0-47, both ways (CL001).
            ("ins-a", "r-x", "TCP", 22, by(Reason::LinkInvalid, "vpc-x")),
            ("r-x", "ins-a", "TCP", 22, by(Reason::LinkInvalid, "vpc-x")),
            // A terminal connection to a CVM, or to a kind none serves (CL014).
            ("r-1", "10.0.1.202", "TCP", 22, by(Reason::NotLinked, "tc-cvm")),
            ("r-1", "ins-b", "TCP", 22, by(Reason::NotLinked, "vpc-1")),
            // To a CVM of another region: no link could join them either (CL004), by address and by ID.
            ("r-1", "10.0.1.204", "TCP", 22, by(Reason::CrossRegion, "tc-cvm-bj")),
            ("r-1", "ins-bj", "TCP", 22, by(Reason::CrossRegion, "ins-bj")),
            ("r-1", "pg-1", "TCP", 5432, by(Reason::ClassicNonCvm, "tc-pg")),
            ("r-1", "10.0.1.201", "TCP", 5432, by(Reason::ClassicNonCvm, "tc-pg")),
            // A terminal connection at an address outside its VPC (CL016), by target and by address.
            ("r-1", "cdb-1", "TCP", 3306, by(Reason::ClassicNonCvm, "tc-out")),
            ("r-1", "10.9.0.1", "TCP", 3306, by(Reason::ClassicNonCvm, "tc-out")),
            // A valid one still works, also when an unusable one for the same target is listed first.
            ("r-1", "cdb-2", "TCP", 3306, Ok(&["r-1", "sn-1", "vpc-1", "tc-ok", "cdb-2"])),
            ("r-1", "cdb-3", "TCP", 3306, Ok(&["r-1", "sn-1", "vpc-1", "tc-ok3", "cdb-3"])),
        ],
    );
    // The CVM towards its own address in a VPC (a terminal connection's): it is no other end to reach.
    let m = ask(&net, "ins-bj", "10.0.1.204", "TCP", 22);
    assert_eq!(m.reason, Some(Reason::CrossRegion));
    assert!(m.message.ends_with("so it does not reach its own address in vpc-1"), "{}", m.message);
    let m = ask(&net, "ins-a", "r-x", "TCP", 22).message;
    assert!(m.contains("172.16.0.0/16 is outside 10.0.0.0/16 - 10.47.0.0/16") && m.contains("CL001"), "{m}");
    assert!(ask(&net, "r-1", "pg-1", "TCP", 5432).message.contains("cannot map classic PostgreSQL pg-1 (CL014)"));
    assert!(ask(&net, "r-1", "cdb-1", "TCP", 3306).message.contains("10.9.0.1 is outside vpc-1's CIDRs (CL016)"));
    // Several faults of one connection: the first in the documented order is the answer (the kind, then the address,
    // then the region), while the check reports each.
    let m = ask(&net, "r-1", "pg-bj", "TCP", 5432);
    assert_eq!((m.reason, m.blocked_by.map(|b| b.object)), (Some(Reason::ClassicNonCvm), Some("tc-pg-bj".into())));
    assert!(m.message.contains("(CL014)"), "{}", m.message);
    let m = ask(&net, "r-1", "cdb-bj", "TCP", 3306);
    assert_eq!((m.reason, m.blocked_by.map(|b| b.object)), (Some(Reason::ClassicNonCvm), Some("tc-out-bj".into())));
    assert!(m.message.contains("10.9.0.8 is outside vpc-1's CIDRs (CL016)"), "{}", m.message);
    // Towards another VPC, a CVM whose only link was refused holds none, and the answer says so: it is not "linked
    // to vpc-x" (attaching it to vpc-1 would be accepted).
    let m = ask(&net, "ins-a", "r-1", "TCP", 22);
    assert_eq!((m.reason, m.blocked_by.map(|b| b.object)), (Some(Reason::NotLinked), Some("vpc-1".to_string())));
    assert!(
        m.message
            .starts_with("ins-a holds no link: its listed link to vpc-x was never made (vpc-x's CIDR 172.16.0.0/16"),
        "{}",
        m.message
    );
}

/// A CVM listing several links, every one refused, holds none: the answer names each with why it was never made,
/// not only the first.
#[test]
fn several_listed_links_never_made_are_each_named() {
    let plan = load(
        r#"{ "format": "classiclink-plan", "version": 1,
      "classic": [ { "id": "ins-a", "kind": "cvm", "region": "gz", "ip": "10.66.0.1" } ],
      "vpcs": [
        { "id": "vpc-x", "region": "gz", "cidr": "172.16.0.0/16" },
        { "id": "vpc-sh", "region": "sh", "cidr": "10.5.0.0/16" },
        { "id": "vpc-1", "region": "gz", "cidr": "10.0.0.0/16",
          "subnets": [ { "id": "sn-1", "cidr": "10.0.1.0/24" } ],
          "resources": [ { "id": "r-1", "kind": "cvm", "subnet": "sn-1", "ip": "10.0.1.5" } ] } ],
      "links": [ { "instance": "ins-a", "vpc": "vpc-x" }, { "instance": "ins-a", "vpc": "vpc-sh" } ] }"#,
    );
    let net = Network::new(&plan);
    for (from, to) in [("ins-a", "r-1"), ("r-1", "ins-a")] {
        let m = ask(&net, from, to, "TCP", 22);
        assert_eq!((m.reason, m.blocked_by.map(|b| b.object)), (Some(Reason::NotLinked), Some("vpc-1".to_string())));
        assert!(
            m.message.starts_with("ins-a holds no link: its listed links were never made (to vpc-x: "),
            "{}",
            m.message
        );
        assert!(m.message.contains("172.16.0.0/16") && m.message.contains("; to vpc-sh: "), "{}", m.message);
        assert!(m.message.contains("CL004"), "the region refusal is named too: {}", m.message);
    }
}

/// A link across regions is one Tencent Cloud refuses (CL004): the answer says the CVM lists it, not that it is
/// linked; and towards the VPC it does hold, the CVM is linked there.
#[test]
fn a_cross_region_link_is_listed_not_linked() {
    let plan = load(
        r#"{ "format": "classiclink-plan", "version": 1,
      "classic": [ { "id": "ins-a", "kind": "cvm", "region": "gz", "ip": "10.66.0.1" } ],
      "vpcs": [
        { "id": "vpc-bj", "region": "bj", "cidr": "10.1.0.0/16",
          "subnets": [ { "id": "sn-bj", "cidr": "10.1.1.0/24" } ],
          "resources": [ { "id": "r-bj", "kind": "cvm", "subnet": "sn-bj", "ip": "10.1.1.5" } ] },
        { "id": "vpc-a", "region": "gz", "cidr": "10.0.0.0/16",
          "subnets": [ { "id": "sn-a", "cidr": "10.0.1.0/24" } ],
          "resources": [ { "id": "r-a", "kind": "cvm", "subnet": "sn-a", "ip": "10.0.1.5" } ] } ],
      "links": [ { "instance": "ins-a", "vpc": "vpc-bj" }, { "instance": "ins-a", "vpc": "vpc-a" } ] }"#,
    );
    let net = Network::new(&plan);
    let m = ask(&net, "ins-a", "r-bj", "TCP", 22);
    assert_eq!(m.reason, Some(Reason::CrossRegion));
    assert!(m
        .message
        .starts_with("ins-a (gz) lists a link to vpc-bj (bj): Tencent Cloud links only within one region"));
    assert!(ask(&net, "ins-a", "r-a", "TCP", 22).reachable);
}

/// A classic CVM is linked to one VPC at a time: its first link is the one it has. A second link to another VPC is
/// one Tencent Cloud refuses (CL002), so it carries nothing either way; a link listed twice to one VPC still works.
#[test]
fn a_second_link_to_another_vpc_carries_nothing() {
    let plan = load(
        r#"{ "format": "classiclink-plan", "version": 1,
      "classic": [
        { "id": "ins-a", "kind": "cvm", "region": "gz", "ip": "10.66.0.1" },
        { "id": "ins-b", "kind": "cvm", "region": "gz", "ip": "10.66.0.2" } ],
      "vpcs": [
        { "id": "vpc-1", "region": "gz", "cidr": "10.0.0.0/16",
          "subnets": [ { "id": "sn-1", "cidr": "10.0.1.0/24" } ],
          "resources": [ { "id": "r-1", "kind": "cvm", "subnet": "sn-1", "ip": "10.0.1.5" } ] },
        { "id": "vpc-2", "region": "gz", "cidr": "10.1.0.0/16",
          "subnets": [ { "id": "sn-2", "cidr": "10.1.1.0/24" } ],
          "resources": [ { "id": "r-2", "kind": "cvm", "subnet": "sn-2", "ip": "10.1.1.5" } ] } ],
      "links": [ { "instance": "ins-a", "vpc": "vpc-1" }, { "instance": "ins-a", "vpc": "vpc-2" },
                 { "instance": "ins-b", "vpc": "vpc-2" }, { "instance": "ins-b", "vpc": "vpc-2" } ] }"#,
    );
    let net = Network::new(&plan);
    let by = |reason: Reason, object: &'static str| -> Want { Err((reason, Some(object), None, None)) };
    check_table(
        &net,
        &[
            ("ins-a", "r-1", "TCP", 22, Ok(&["ins-a", "vpc-1", "sn-1", "r-1"])),
            ("r-1", "ins-a", "TCP", 22, Ok(&["r-1", "sn-1", "vpc-1", "ins-a"])),
            ("ins-a", "r-2", "TCP", 22, by(Reason::LinkInvalid, "ins-a")),
            ("r-2", "ins-a", "TCP", 22, by(Reason::LinkInvalid, "ins-a")),
            ("ins-b", "r-2", "TCP", 22, Ok(&["ins-b", "vpc-2", "sn-2", "r-2"])),
        ],
    );
    let m = ask(&net, "ins-a", "r-2", "TCP", 22).message;
    assert!(m.contains("already linked to vpc-1") && m.contains("CL002"), "{m}");
    // With vpc-1 and vpc-2 peered, ins-a's refused link to vpc-2 is still what blocks it (what to fix), said before
    // the peering its working link cannot cross (NOT_TRANSITIVE, for a CVM that lists no link to vpc-2: ins-c).
    let mut peered = plan.clone();
    peered.peerings.push(serde_json::from_str(r#"{ "id": "pcx-1", "vpcs": ["vpc-1", "vpc-2"] }"#).unwrap());
    let mut c = peered.classic[0].clone();
    c.id = "ins-c".into();
    c.ip = [10, 66, 0, 3].into();
    peered.classic.push(c);
    peered.links.push(serde_json::from_str(r#"{ "instance": "ins-c", "vpc": "vpc-1" }"#).unwrap());
    let net = Network::new(&peered);
    check_table(
        &net,
        &[
            ("ins-a", "r-2", "TCP", 22, by(Reason::LinkInvalid, "ins-a")),
            ("r-2", "ins-a", "TCP", 22, by(Reason::LinkInvalid, "ins-a")),
            ("ins-c", "r-2", "TCP", 22, by(Reason::NotTransitive, "pcx-1")),
        ],
    );
}

/// The link a CVM has is its first that Tencent Cloud would have accepted: a first link it would have refused (a VPC
/// outside 10.0-47, another region) does not stand in the way of a valid second one. Links past a VPC's quota (CL003)
/// and every link of a VPC-only account (CL018) were refused too, and carry nothing.
#[test]
fn links_past_the_quota_or_of_a_vpc_only_account_carry_nothing_and_a_refused_first_link_leaves_the_second() {
    let world = |account: &str| {
        format!(
            r#"{{ "format": "classiclink-plan", "version": 1, {account} "quotas": {{ "links_per_vpc": 2 }},
      "classic": [
        {{ "id": "ins-a", "kind": "cvm", "region": "gz", "ip": "10.66.0.1" }},
        {{ "id": "ins-b", "kind": "cvm", "region": "gz", "ip": "10.66.0.2", "state": "returned" }},
        {{ "id": "ins-c", "kind": "cvm", "region": "gz", "ip": "10.66.0.3" }},
        {{ "id": "ins-d", "kind": "cvm", "region": "gz", "ip": "10.66.0.4" }},
        {{ "id": "ins-e", "kind": "cvm", "region": "gz", "ip": "10.66.0.5" }} ],
      "vpcs": [
        {{ "id": "vpc-1", "region": "gz", "cidr": "10.0.0.0/16",
          "subnets": [ {{ "id": "sn-1", "cidr": "10.0.1.0/24" }} ],
          "resources": [ {{ "id": "r-1", "kind": "cvm", "subnet": "sn-1", "ip": "10.0.1.5" }} ] }},
        {{ "id": "vpc-x", "region": "gz", "cidr": "172.16.0.0/16" }},
        {{ "id": "vpc-bj", "region": "bj", "cidr": "10.2.0.0/16" }} ],
      "links": [ {{ "instance": "ins-e", "vpc": "vpc-x" }}, {{ "instance": "ins-e", "vpc": "vpc-bj" }},
                 {{ "instance": "ins-a", "vpc": "vpc-1" }}, {{ "instance": "ins-b", "vpc": "vpc-1" }},
                 {{ "instance": "ins-c", "vpc": "vpc-1" }}, {{ "instance": "ins-d", "vpc": "vpc-1" }},
                 {{ "instance": "ins-e", "vpc": "vpc-1" }} ] }}"#
        )
    };
    let plan = load(&world(""));
    let net = Network::new(&plan);
    let by = |reason: Reason, object: &'static str| -> Want { Err((reason, Some(object), None, None)) };
    check_table(
        &net,
        &[
            // ins-b is returned, so it does not count: ins-a and ins-c fill the quota of 2, ins-d is one too many.
            ("ins-a", "r-1", "TCP", 22, Ok(&["ins-a", "vpc-1", "sn-1", "r-1"])),
            ("ins-c", "r-1", "TCP", 22, Ok(&["ins-c", "vpc-1", "sn-1", "r-1"])),
            ("ins-d", "r-1", "TCP", 22, by(Reason::LinkInvalid, "vpc-1")),
            ("r-1", "ins-d", "TCP", 22, by(Reason::LinkInvalid, "vpc-1")),
            // ins-e's first two links were refused (CIDR, region); its third is past the quota as well.
            ("ins-e", "r-1", "TCP", 22, by(Reason::LinkInvalid, "vpc-1")),
        ],
    );
    let m = ask(&net, "ins-d", "r-1", "TCP", 22).message;
    assert!(m.contains("quota of 2") && m.contains("CL003") && m.contains("LimitExceeded"), "{m}");

    // With a quota of 4, ins-e's link to vpc-1 is the one it has, though two refused links come before it.
    let roomy = load(&world("").replace(r#""links_per_vpc": 2"#, r#""links_per_vpc": 4"#));
    check_table(&Network::new(&roomy), &[("ins-e", "r-1", "TCP", 22, Ok(&["ins-e", "vpc-1", "sn-1", "r-1"]))]);

    // Links Tencent Cloud refuses on their own take no place in the quota: with a quota of 1, ins-bj's link (another
    // region) and ins-a's second link do not keep ins-b out of vpc-y.
    let places = load(
        r#"{ "format": "classiclink-plan", "version": 1, "quotas": { "links_per_vpc": 1 },
      "classic": [
        { "id": "ins-bj", "kind": "cvm", "region": "bj", "ip": "10.66.0.1" },
        { "id": "ins-a", "kind": "cvm", "region": "gz", "ip": "10.66.0.2" },
        { "id": "ins-b", "kind": "cvm", "region": "gz", "ip": "10.66.0.3" } ],
      "vpcs": [
        { "id": "vpc-x", "region": "gz", "cidr": "10.0.0.0/16" },
        { "id": "vpc-y", "region": "gz", "cidr": "10.1.0.0/16",
          "subnets": [ { "id": "sn-y", "cidr": "10.1.1.0/24" } ],
          "resources": [ { "id": "r-y", "kind": "cvm", "subnet": "sn-y", "ip": "10.1.1.5" } ] } ],
      "links": [ { "instance": "ins-bj", "vpc": "vpc-y" }, { "instance": "ins-a", "vpc": "vpc-x" },
                 { "instance": "ins-a", "vpc": "vpc-y" }, { "instance": "ins-b", "vpc": "vpc-y" } ] }"#,
    );
    check_table(
        &Network::new(&places),
        &[
            ("ins-b", "r-y", "TCP", 22, Ok(&["ins-b", "vpc-y", "sn-y", "r-y"])),
            ("ins-a", "r-y", "TCP", 22, by(Reason::LinkInvalid, "ins-a")),
            ("ins-bj", "r-y", "TCP", 22, by(Reason::CrossRegion, "ins-bj")),
        ],
    );

    let only_vpc = load(&world(r#""account": { "platforms": "only-vpc" },"#));
    let net = Network::new(&only_vpc);
    check_table(&net, &[("ins-a", "r-1", "TCP", 22, by(Reason::LinkInvalid, "ins-a"))]);
    let m = ask(&net, "ins-a", "r-1", "TCP", 22).message;
    assert!(m.contains("VPC-only") && m.contains("CL018"), "{m}");
}

/// Addresses: a returned instance's old address belongs to whatever holds it now; an address of a VPC's own that
/// no subnet holds is `SECONDARY_CIDR` in an assistant CIDR (a link serves the primary CIDR only), and in the primary
/// CIDR no route, saying no subnet holds it.
#[test]
fn addresses_of_returned_instances_and_outside_every_subnet() {
    let plan = load(
        r#"{ "format": "classiclink-plan", "version": 1,
      "classic": [
        { "id": "ins-old", "kind": "cvm", "region": "gz", "ip": "10.66.0.1", "state": "returned" },
        { "id": "ins-new", "kind": "cvm", "region": "gz", "ip": "10.66.0.1" } ],
      "vpcs": [
        { "id": "vpc-1", "region": "gz", "cidr": "10.0.0.0/16", "assistant_cidrs": ["10.100.0.0/16"],
          "subnets": [ { "id": "sn-1", "cidr": "10.0.1.0/24" } ],
          "resources": [ { "id": "r-1", "kind": "cvm", "subnet": "sn-1", "ip": "10.0.1.5" } ] } ],
      "links": [ { "instance": "ins-new", "vpc": "vpc-1" } ] }"#,
    );
    let net = Network::new(&plan);
    check_table(
        &net,
        &[
            ("r-1", "10.66.0.1", "TCP", 22, Ok(&["r-1", "sn-1", "vpc-1", "ins-new"])),
            ("10.66.0.1", "r-1", "TCP", 22, Ok(&["ins-new", "vpc-1", "sn-1", "r-1"])),
            ("ins-new", "10.100.200.1", "TCP", 22, no(Reason::SecondaryCidr, "vpc-1")),
            ("ins-new", "10.0.200.1", "TCP", 22, no(Reason::NoRoute, "vpc-1")),
        ],
    );
    assert!(ask(&net, "ins-new", "10.0.200.1", "TCP", 22).message.contains("no subnet of vpc-1 holds 10.0.200.1"));
    // The same, mirrored: from such an address to the linked CVM.
    check_table(
        &net,
        &[
            ("10.100.200.1", "ins-new", "TCP", 22, no(Reason::SecondaryCidr, "vpc-1")),
            ("10.0.200.1", "ins-new", "TCP", 22, no(Reason::NoRoute, "vpc-1")),
        ],
    );
}

/// Towards an address (or from a remote one), the link is checked first, as towards a resource: a link Tencent
/// Cloud refused answers for itself, not the address's route.
#[test]
fn a_refused_link_answers_first_towards_addresses() {
    let plan = load(
        r#"{ "format": "classiclink-plan", "version": 1,
      "classic": [ { "id": "ins-a", "kind": "cvm", "region": "gz", "ip": "10.66.0.1" } ],
      "vpcs": [
        { "id": "vpc-w", "region": "bj", "cidr": "10.0.0.0/16", "assistant_cidrs": ["10.200.0.0/16"],
          "subnets": [ { "id": "sn-w", "cidr": "10.0.1.0/24" } ],
          "gateways": [ { "id": "vpn-w", "kind": "vpn", "remote_cidrs": ["192.168.0.0/16"] } ] } ],
      "links": [ { "instance": "ins-a", "vpc": "vpc-w" } ] }"#,
    );
    let net = Network::new(&plan);
    let cross = || no(Reason::CrossRegion, "ins-a");
    check_table(
        &net,
        &[
            ("ins-a", "10.0.200.1", "TCP", 22, cross()),
            ("ins-a", "10.200.5.5", "TCP", 22, cross()),
            ("ins-a", "192.168.1.1", "TCP", 22, cross()),
            ("192.168.1.1", "ins-a", "TCP", 22, cross()),
            ("10.200.5.5", "ins-a", "TCP", 22, cross()),
        ],
    );
}

/// NAT and public gateways carry outbound flows only: an address another VPC's VPN names does not come in through
/// them, and a private one does not go out through them either. Going out, a VPN's remote CIDR (the more specific
/// route) wins over a public gateway listed before it.
#[test]
fn public_gateways_carry_no_inbound_flow_and_vpn_routes_win_going_out() {
    let plan = load(
        r#"{ "format": "classiclink-plan", "version": 1,
      "vpcs": [
        { "id": "vpc-x", "region": "gz", "cidr": "10.0.0.0/16",
          "subnets": [ { "id": "sn", "cidr": "10.0.1.0/24" } ],
          "resources": [ { "id": "ins-p", "kind": "cvm", "subnet": "sn", "ip": "10.0.1.5" } ],
          "gateways": [ { "id": "pgw-1", "kind": "public" },
                        { "id": "vpn-x", "kind": "vpn", "remote_cidrs": ["198.51.100.0/24"] } ] },
        { "id": "vpc-y", "region": "gz", "cidr": "10.1.0.0/16",
          "gateways": [ { "id": "vpn-y", "kind": "vpn", "remote_cidrs": ["203.0.113.0/24", "192.168.0.0/16"] } ] } ] }"#,
    );
    let net = Network::new(&plan);
    check_table(
        &net,
        &[
            // In: only a VPN of vpc-x itself leads in.
            ("203.0.113.5", "ins-p", "TCP", 22, Err((Reason::NoRoute, Some("vpc-x"), None, None))),
            ("198.51.100.7", "ins-p", "TCP", 22, Ok(&["198.51.100.7", "vpn-x", "vpc-x", "sn", "ins-p"])),
            // Out: the VPN's remote CIDR, not the public gateway listed first; other public addresses through it.
            ("ins-p", "198.51.100.7", "TCP", 22, Ok(&["ins-p", "sn", "vpc-x", "vpn-x", "198.51.100.7"])),
            ("ins-p", "8.8.8.8", "TCP", 443, Ok(&["ins-p", "sn", "vpc-x", "pgw-1", "8.8.8.8"])),
            // A private address behind vpc-y's VPN: the public gateway leads to the internet, not there.
            ("ins-p", "192.168.1.1", "TCP", 22, Err((Reason::NoRoute, Some("vpc-x"), None, None))),
        ],
    );
}

#[test]
fn the_free_function_and_the_prepared_network_agree() {
    let plan = load(WORLD);
    let net = Network::new(&plan);
    for (from, to, protocol, port, _) in world_table() {
        let (f, t) = (Endpoint::from(from), Endpoint::from(to));
        let p: Protocol = protocol.parse().unwrap();
        assert_eq!(reach(&plan, &f, &t, p, port), net.reach(&f, &t, p, port), "{from} -> {to}");
    }
}

#[test]
fn unknown_endpoints_are_errors_naming_the_side() {
    let plan = load(WORLD);
    let net = Network::new(&plan);
    let tcp = Protocol::Tcp;
    let err = net.reach(&"ins-nope".into(), &"r-1".into(), tcp, 22).unwrap_err();
    assert_eq!(err.path, "from");
    assert!(err.message.contains("ins-nope"), "{err}");
    let err = net.reach(&"r-1".into(), &"vpc-2".into(), tcp, 22).unwrap_err();
    assert_eq!(err.path, "to");
    assert!(err.message.contains("vpc-2 is a VPC"), "{err}");
    let err = net.reach(&"r-1".into(), &"10.0.0.0/16".into(), tcp, 22).unwrap_err();
    assert_eq!(err.path, "to");
    for other in ["sn-1", "sg-open", "acl-open", "nat-1", "pcx-12", "ccn-1", "tc-1"] {
        let err = net.reach(&other.into(), &"r-1".into(), tcp, 22).unwrap_err();
        assert_eq!(err.path, "from", "{other}");
        assert!(err.message.starts_with(&format!("{other} is a ")), "{err}");
    }
}

#[test]
fn an_address_used_in_two_vpcs_resolves_in_the_other_endpoints_vpc() {
    let json = r#"{ "format": "classiclink-plan", "version": 1,
      "classic": [ { "id": "ins-w", "kind": "cvm", "region": "gz", "ip": "10.66.0.1" } ],
      "vpcs": [
        { "id": "vpc-a", "region": "gz", "cidr": "10.0.0.0/16", "subnets": [ { "id": "sn-a", "cidr": "10.0.1.0/24" } ],
          "resources": [ { "id": "r-a", "kind": "cvm", "subnet": "sn-a", "ip": "10.0.1.5" },
                         { "id": "r-a2", "kind": "cvm", "subnet": "sn-a", "ip": "10.0.1.6" } ] },
        { "id": "vpc-b", "region": "gz", "cidr": "10.0.0.0/16", "subnets": [ { "id": "sn-b", "cidr": "10.0.1.0/24" } ],
          "resources": [ { "id": "r-b", "kind": "cvm", "subnet": "sn-b", "ip": "10.0.1.5" },
                         { "id": "r-b2", "kind": "cvm", "subnet": "sn-b", "ip": "10.0.1.6" } ] } ],
      "links": [ { "instance": "ins-w", "vpc": "vpc-b" } ] }"#;
    let plan = load(json);
    let net = Network::new(&plan);
    check_table(
        &net,
        &[
            ("r-a2", "10.0.1.5", "TCP", 22, Ok(&["r-a2", "sn-a", "r-a"])),
            ("r-b2", "10.0.1.5", "TCP", 22, Ok(&["r-b2", "sn-b", "r-b"])),
            ("10.0.1.5", "r-b2", "TCP", 22, Ok(&["r-b", "sn-b", "r-b2"])),
            ("ins-w", "10.0.1.5", "TCP", 22, Ok(&["ins-w", "vpc-b", "sn-b", "r-b"])),
            ("r-b2", "10.0.1.77", "TCP", 22, Ok(&["r-b2", "sn-b", "10.0.1.77"])),
        ],
    );
}

// ---- the plan-format.md example ---------------------------------------------------------------------------------

const EXAMPLE: &str = include_str!("../../../tests/fixtures/plan-format-example.json");

#[test]
fn the_reference_example_answers() {
    let plan = load(EXAMPLE);
    let net = Network::new(&plan);
    let d = Some(Direction::Ingress);
    check_table(
        &net,
        &[
            // sg-web egress accepts all; acl-app ingress accepts TCP 1-65535 from 10.66.0.0/16 and its egress (the
            // return) accepts all; cdb-vpc1 has no security group.
            ("ins-web01", "cdb-vpc1", "TCP", 3306, Ok(&["ins-web01", "vpc-prod", "subnet-app", "cdb-vpc1"])),
            ("ins-web01", "ins-x01", "TCP", 22, no(Reason::SecondaryCidr, "vpc-prod")),
            ("ins-web01", "ins-app01", "TCP", 22, Ok(&["ins-web01", "vpc-prod", "subnet-app", "ins-app01"])),
            ("ins-web01", "ins-app01", "TCP", 3306, Err((Reason::SecurityGroup, Some("sg-app"), None, d))),
            // sg-web has no ingress rule: the classic CVM drops everything coming in.
            ("ins-app01", "ins-web01", "TCP", 22, Err((Reason::SecurityGroup, Some("sg-web"), None, d))),
            // acl-app ingress has no rule for UDP: default deny.
            ("ins-web01", "cdb-vpc1", "UDP", 53, Err((Reason::NetworkAcl, Some("acl-app"), None, d))),
            (
                "ins-app01",
                "cdb-orders",
                "TCP",
                3306,
                Ok(&["ins-app01", "subnet-app", "vpc-prod", "tc-1", "cdb-orders"]),
            ),
            ("cdb-orders", "ins-app01", "TCP", 22, no(Reason::TerminalOneWay, "tc-1")),
            ("ins-app01", "lb-old", "TCP", 80, no(Reason::ClassicNonCvm, "lb-old")),
            ("ins-dev01", "ins-web01", "TCP", 22, no(Reason::NotTransitive, "pcx-1")),
            ("ins-web01", "ins-dev01", "TCP", 22, no(Reason::NotTransitive, "pcx-1")),
            ("ins-web01", "192.168.1.1", "TCP", 22, no(Reason::NotTransitive, "vpngw-1")),
        ],
    );
    let a = ask(&net, "ins-web01", "ins-app01", "TCP", 3306);
    assert_eq!(a.message, "sg-app ingress has no rule for TCP 3306 from 10.66.12.7 (implicit drop)");
    // Blocked hops run in packet order as far as the flow gets, up to the object that blocks.
    assert_eq!(
        ask(&net, "ins-dev01", "ins-web01", "TCP", 22).hops,
        ["ins-dev01", "subnet-dev", "vpc-dev", "pcx-1", "vpc-prod"]
    );
    assert_eq!(ask(&net, "ins-web01", "ins-dev01", "TCP", 22).hops, ["ins-web01", "vpc-prod", "pcx-1"]);
    assert_eq!(ask(&net, "192.168.1.1", "ins-web01", "TCP", 22).hops, ["192.168.1.1", "vpngw-1", "vpc-prod"]);
    assert_eq!(ask(&net, "ins-web01", "8.8.8.8", "TCP", 443).hops, ["ins-web01", "vpc-prod", "nat-1"]);
}

#[test]
fn the_reference_examples_expectations_hold() {
    let plan = load(EXAMPLE);
    let net = Network::new(&plan);
    for e in &plan.expectations {
        let a = net.reach(&e.from, &e.to, e.protocol(), e.port()).unwrap();
        assert_eq!(a.reachable, e.reachable, "{} -> {}: {a:?}", e.from, e.to);
    }
}

#[test]
fn answers_serialise_as_the_cli_contract_shows() {
    let plan = load(EXAMPLE);
    let a = ask(&Network::new(&plan), "ins-web01", "ins-app01", "TCP", 3306);
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "reachable": false, "reason": "SECURITY_GROUP",
            "blocked_by": { "object": "sg-app", "rule_index": null, "direction": "ingress" },
            "hops": ["ins-web01", "vpc-prod", "subnet-app", "ins-app01"],
            "message": "sg-app ingress has no rule for TCP 3306 from 10.66.12.7 (implicit drop)"
        })
    );
    let ok = serde_json::to_value(ask(&Network::new(&plan), "ins-web01", "cdb-vpc1", "TCP", 3306)).unwrap();
    assert_eq!(ok.get("reason"), None);
    assert_eq!(ok.get("blocked_by"), None);
    assert_eq!(ok["reachable"], true);
}

// ---- filters ----------------------------------------------------------------------------------------------------

/// A classic CVM `ins-w` (10.66.12.7, group sg-w) and `ins-v` (10.66.12.8, no group) linked to `vpc-p`; `r-app`
/// (10.0.1.5, groups sg-app then sg-app2) and `r-b` (10.0.1.6, no group) in `sn-a` (ACL acl-a); `r-c` in `sn-c`
/// (no ACL). The rule lists are the arguments.
fn filter_plan(w_egress: &str, app_ingress: &str, app2_ingress: &str, acl_ingress: &str, acl_egress: &str) -> Plan {
    load(&format!(
        r#"{{ "format": "classiclink-plan", "version": 1,
      "classic": [
        {{ "id": "ins-w", "kind": "cvm", "region": "gz", "ip": "10.66.12.7", "security_groups": ["sg-w"] }},
        {{ "id": "ins-v", "kind": "cvm", "region": "gz", "ip": "10.66.12.8" }} ],
      "vpcs": [ {{ "id": "vpc-p", "region": "gz", "cidr": "10.0.0.0/16",
        "subnets": [ {{ "id": "sn-a", "cidr": "10.0.1.0/24", "acl": "acl-a" }}, {{ "id": "sn-c", "cidr": "10.0.2.0/24" }} ],
        "resources": [
          {{ "id": "r-app", "kind": "cvm", "subnet": "sn-a", "ip": "10.0.1.5", "security_groups": ["sg-app", "sg-app2"] }},
          {{ "id": "r-b", "kind": "cvm", "subnet": "sn-a", "ip": "10.0.1.6" }},
          {{ "id": "r-c", "kind": "cvm", "subnet": "sn-c", "ip": "10.0.2.6" }} ] }} ],
      "links": [ {{ "instance": "ins-w", "vpc": "vpc-p" }}, {{ "instance": "ins-v", "vpc": "vpc-p" }} ],
      "security_groups": [
        {{ "id": "sg-w", "ingress": [], "egress": [{w_egress}] }},
        {{ "id": "sg-app", "ingress": [{app_ingress}], "egress": [{ACCEPT_ALL}] }},
        {{ "id": "sg-app2", "ingress": [{app2_ingress}], "egress": [{ACCEPT_ALL}] }} ],
      "network_acls": [ {{ "id": "acl-a", "ingress": [{acl_ingress}], "egress": [{acl_egress}] }} ] }}"#
    ))
}

const ACCEPT_ALL: &str = r#"{ "protocol": "ALL", "port": "ALL", "cidr": "0.0.0.0/0", "action": "ACCEPT" }"#;

fn rule(protocol: &str, port: &str, cidr: &str, action: &str) -> String {
    format!(r#"{{ "protocol": "{protocol}", "port": "{port}", "cidr": "{cidr}", "action": "{action}" }}"#)
}

fn rules(list: &[(&str, &str, &str, &str)]) -> String {
    list.iter().map(|(p, o, c, a)| rule(p, o, c, a)).collect::<Vec<_>>().join(", ")
}

const W_TO_APP: &[&str] = &["ins-w", "vpc-p", "sn-a", "r-app"];

fn sg(object: &'static str, rule_index: Option<usize>, direction: Direction) -> Want {
    Err((Reason::SecurityGroup, Some(object), rule_index, Some(direction)))
}

fn acl(rule_index: Option<usize>, direction: Direction) -> Want {
    Err((Reason::NetworkAcl, Some("acl-a"), rule_index, Some(direction)))
}

#[test]
fn security_group_first_match_decides() {
    use Direction::Ingress;
    // An earlier DROP beats a later ACCEPT.
    let drop_first = rules(&[("TCP", "22", "10.66.12.7", "DROP"), ("TCP", "ALL", "0.0.0.0/0", "ACCEPT")]);
    let plan = filter_plan(ACCEPT_ALL, &drop_first, ACCEPT_ALL, ACCEPT_ALL, ACCEPT_ALL);
    check_table(
        &Network::new(&plan),
        &[
            ("ins-w", "r-app", "TCP", 22, sg("sg-app", Some(0), Ingress)),
            ("ins-w", "r-app", "TCP", 23, Ok(W_TO_APP)),
            // The DROP names a single IP: ins-v (10.66.12.8) is not it.
            ("ins-v", "r-app", "TCP", 22, Ok(&["ins-v", "vpc-p", "sn-a", "r-app"])),
            // UDP matches neither rule of sg-app and falls to sg-app2, which accepts all.
            ("ins-w", "r-app", "UDP", 22, Ok(W_TO_APP)),
        ],
    );
    // An earlier ACCEPT beats a later DROP.
    let accept_first = rules(&[("TCP", "22", "10.66.0.0/16", "ACCEPT"), ("ALL", "ALL", "0.0.0.0/0", "DROP")]);
    let plan = filter_plan(ACCEPT_ALL, &accept_first, ACCEPT_ALL, ACCEPT_ALL, ACCEPT_ALL);
    check_table(
        &Network::new(&plan),
        &[
            ("ins-w", "r-app", "TCP", 22, Ok(W_TO_APP)),
            ("ins-w", "r-app", "TCP", 23, sg("sg-app", Some(1), Ingress)),
            ("ins-w", "r-app", "ICMP", 0, sg("sg-app", Some(1), Ingress)),
        ],
    );
}

#[test]
fn security_groups_evaluate_as_one_list_in_binding_order_with_an_implicit_drop() {
    use Direction::Ingress;
    let app = rules(&[("TCP", "80", "0.0.0.0/0", "ACCEPT"), ("TCP", "443", "0.0.0.0/0", "DROP")]);
    let app2 = rules(&[
        ("TCP", "22", "0.0.0.0/0", "DROP"),
        ("TCP", "443", "0.0.0.0/0", "ACCEPT"),
        ("UDP", "53", "0.0.0.0/0", "ACCEPT"),
    ]);
    let plan = filter_plan(ACCEPT_ALL, &app, &app2, ACCEPT_ALL, ACCEPT_ALL);
    let net = Network::new(&plan);
    check_table(
        &net,
        &[
            ("ins-w", "r-app", "TCP", 80, Ok(W_TO_APP)),
            ("ins-w", "r-app", "TCP", 443, sg("sg-app", Some(1), Ingress)),
            ("ins-w", "r-app", "TCP", 22, sg("sg-app2", Some(0), Ingress)),
            ("ins-w", "r-app", "UDP", 53, Ok(W_TO_APP)),
            // Nothing matches TCP 8080: the implicit drop, named on the last group of the list.
            ("ins-w", "r-app", "TCP", 8080, sg("sg-app2", None, Ingress)),
            // An instance with no group is unfiltered by groups.
            ("ins-w", "r-b", "TCP", 8080, Ok(&["ins-w", "vpc-p", "sn-a", "r-b"])),
        ],
    );
    let a = ask(&net, "ins-w", "r-app", "TCP", 8080);
    assert_eq!(a.message, "sg-app, sg-app2 ingress have no rule for TCP 8080 from 10.66.12.7 (implicit drop)");
    let a = ask(&net, "ins-w", "r-app", "TCP", 22);
    assert_eq!(a.message, "sg-app2 ingress rule 0 drops TCP 22 from 10.66.12.7");
}

#[test]
fn security_group_egress_of_the_source() {
    use Direction::{Egress, Ingress};
    let w_egress = rules(&[("TCP", "22", "0.0.0.0/0", "DROP"), ("TCP", "1-1024", "10.0.1.0/24", "ACCEPT")]);
    let plan = filter_plan(&w_egress, ACCEPT_ALL, "", ACCEPT_ALL, ACCEPT_ALL);
    let net = Network::new(&plan);
    check_table(
        &net,
        &[
            ("ins-w", "r-app", "TCP", 22, sg("sg-w", Some(0), Egress)),
            ("ins-w", "r-app", "TCP", 80, Ok(W_TO_APP)),
            ("ins-w", "r-app", "TCP", 1025, sg("sg-w", None, Egress)),
            ("ins-w", "r-c", "TCP", 80, sg("sg-w", None, Egress)),
            // VPC -> classic: sg-w has no ingress rule at all.
            ("r-b", "ins-w", "TCP", 22, sg("sg-w", None, Ingress)),
            ("r-b", "ins-v", "TCP", 22, Ok(&["r-b", "sn-a", "vpc-p", "ins-v"])),
        ],
    );
    assert_eq!(ask(&net, "ins-w", "r-app", "TCP", 22).message, "sg-w egress rule 0 drops TCP 22 to 10.0.1.5");
}

#[test]
fn port_lists_ranges_icmp_and_all() {
    use Direction::Ingress;
    let app = rules(&[("TCP", "22,80-90", "10.66.12.7", "ACCEPT"), ("ICMP", "ALL", "10.66.0.0/16", "ACCEPT")]);
    let plan = filter_plan(ACCEPT_ALL, &app, "", ACCEPT_ALL, ACCEPT_ALL);
    let net = Network::new(&plan);
    let implicit = sg("sg-app2", None, Ingress);
    check_table(
        &net,
        &[
            ("ins-w", "r-app", "TCP", 22, Ok(W_TO_APP)),
            ("ins-w", "r-app", "TCP", 80, Ok(W_TO_APP)),
            ("ins-w", "r-app", "TCP", 85, Ok(W_TO_APP)),
            ("ins-w", "r-app", "TCP", 90, Ok(W_TO_APP)),
            ("ins-w", "r-app", "TCP", 21, implicit),
            ("ins-w", "r-app", "TCP", 23, implicit),
            ("ins-w", "r-app", "TCP", 79, implicit),
            ("ins-w", "r-app", "TCP", 91, implicit),
            ("ins-w", "r-app", "UDP", 22, implicit),
            // The single-IP CIDR admits 10.66.12.7 only.
            ("ins-v", "r-app", "TCP", 22, implicit),
            // ICMP has no ports: any port in the question is ignored.
            ("ins-w", "r-app", "ICMP", 0, Ok(W_TO_APP)),
            ("ins-w", "r-app", "ICMP", 8080, Ok(W_TO_APP)),
            ("ins-v", "r-app", "ICMP", 0, Ok(&["ins-v", "vpc-p", "sn-a", "r-app"])),
            // A question about ALL asks for all traffic: TCP 1-21 (among others) meets the implicit drop.
            ("ins-w", "r-app", "ALL", 0, implicit),
        ],
    );
    assert_eq!(
        ask(&net, "ins-w", "r-app", "ALL", 0).message,
        "sg-app, sg-app2 ingress have no rule for TCP 1-21 from 10.66.12.7 (implicit drop), so not all traffic passes"
    );
    // A DROP of part of the traffic before an ACCEPT of all of it: not all traffic passes, and the DROP says which.
    let all = rules(&[("TCP", "ALL", "0.0.0.0/0", "DROP"), ("ALL", "ALL", "0.0.0.0/0", "ACCEPT")]);
    let plan = filter_plan(ACCEPT_ALL, &all, "", ACCEPT_ALL, ACCEPT_ALL);
    let net = Network::new(&plan);
    check_table(
        &net,
        &[
            ("ins-w", "r-app", "ALL", 0, sg("sg-app", Some(0), Ingress)),
            ("ins-w", "r-app", "UDP", 53, Ok(W_TO_APP)),
            ("ins-w", "r-app", "TCP", 5, sg("sg-app", Some(0), Ingress)),
        ],
    );
    assert_eq!(
        ask(&net, "ins-w", "r-app", "ALL", 0).message,
        "sg-app ingress rule 0 drops TCP 1-65535 from 10.66.12.7, so not all traffic passes"
    );
    // Accepted all traffic reads as before.
    let plan = filter_plan(ACCEPT_ALL, ACCEPT_ALL, "", ACCEPT_ALL, ACCEPT_ALL);
    let a = ask(&Network::new(&plan), "ins-w", "r-app", "ALL", 0);
    assert!(a.reachable && a.message.ends_with("on all traffic: ins-w -> vpc-p -> sn-a -> r-app"), "{}", a.message);
}

#[test]
fn network_acl_forward_return_and_default_deny() {
    use Direction::{Egress, Ingress};
    let table: Vec<(String, String, Vec<Case>)> = vec![
        // A DROP before an ACCEPT on the way in.
        (
            rules(&[("TCP", "22", "10.66.0.0/16", "DROP"), ("ALL", "ALL", "0.0.0.0/0", "ACCEPT")]),
            ACCEPT_ALL.to_string(),
            vec![
                ("ins-w", "r-app", "TCP", 22, acl(Some(0), Ingress)),
                ("ins-w", "r-app", "TCP", 80, Ok(W_TO_APP)),
                // VPC -> classic: forward egress passes, the return (matched on port 22) is dropped on the way in.
                ("r-b", "ins-v", "TCP", 22, acl(Some(0), Ingress)),
                // Within the subnet no ACL is crossed.
                ("r-b", "r-app", "TCP", 22, Ok(&["r-b", "sn-a", "r-app"])),
                // sn-c has no ACL; the DROP names 10.66.0.0/16 only, so sn-c's addresses pass both ways.
                ("r-b", "r-c", "TCP", 22, Ok(&["r-b", "sn-a", "sn-c", "r-c"])),
                ("r-c", "r-b", "TCP", 22, Ok(&["r-c", "sn-c", "sn-a", "r-b"])),
            ],
        ),
        // An ACCEPT before a DROP; the default deny on the way in.
        (
            rules(&[("TCP", "22", "10.66.12.7", "ACCEPT"), ("TCP", "ALL", "0.0.0.0/0", "DROP")]),
            ACCEPT_ALL.to_string(),
            vec![
                ("ins-w", "r-app", "TCP", 22, Ok(W_TO_APP)),
                ("ins-v", "r-app", "TCP", 22, acl(Some(1), Ingress)),
                ("ins-w", "r-app", "UDP", 22, acl(None, Ingress)),
            ],
        ),
        // Forward accepted, return dropped by the default deny (egress has no rule).
        (
            ACCEPT_ALL.to_string(),
            String::new(),
            vec![
                ("ins-w", "r-app", "TCP", 22, acl(None, Egress)),
                ("r-b", "ins-v", "TCP", 22, acl(None, Egress)),
                ("r-b", "r-app", "TCP", 22, Ok(&["r-b", "sn-a", "r-app"])),
            ],
        ),
        // The return is matched with the original destination port.
        (
            ACCEPT_ALL.to_string(),
            rules(&[("TCP", "80", "10.66.0.0/16", "ACCEPT"), ("TCP", "22", "10.66.12.7", "DROP")]),
            vec![
                ("ins-w", "r-app", "TCP", 80, Ok(W_TO_APP)),
                ("ins-w", "r-app", "TCP", 22, acl(Some(1), Egress)),
                ("ins-v", "r-app", "TCP", 22, acl(None, Egress)),
            ],
        ),
    ];
    for (ingress, egress, cases) in table {
        let plan = filter_plan(ACCEPT_ALL, ACCEPT_ALL, "", &ingress, &egress);
        check_table(&Network::new(&plan), &cases);
    }
    let plan = filter_plan(ACCEPT_ALL, ACCEPT_ALL, "", ACCEPT_ALL, "");
    let a = ask(&Network::new(&plan), "ins-w", "r-app", "TCP", 22);
    assert_eq!(a.message, "acl-a egress has no rule for the return traffic of TCP 22 to 10.66.12.7 (default deny)");
}

#[test]
fn filters_are_met_in_packet_order() {
    use Direction::{Egress, Ingress};
    // Everything drops: the first filter on the packet's way is the source's group egress.
    let drop = rules(&[("ALL", "ALL", "0.0.0.0/0", "DROP")]);
    let plan = filter_plan(&drop, &drop, &drop, &drop, &drop);
    check_table(&Network::new(&plan), &[("ins-w", "r-app", "TCP", 22, sg("sg-w", Some(0), Egress))]);
    // Source group open: the destination subnet's ACL ingress comes before the destination's groups.
    let plan = filter_plan(ACCEPT_ALL, &drop, &drop, &drop, &drop);
    check_table(&Network::new(&plan), &[("ins-w", "r-app", "TCP", 22, acl(Some(0), Ingress))]);
    // ACL ingress open: the destination's groups come before the return through the ACL.
    let plan = filter_plan(ACCEPT_ALL, &drop, &drop, ACCEPT_ALL, &drop);
    check_table(&Network::new(&plan), &[("ins-w", "r-app", "TCP", 22, sg("sg-app", Some(0), Ingress))]);
    // VPC -> classic: the source's groups, then the source subnet's ACL egress.
    let plan = filter_plan(&drop, ACCEPT_ALL, ACCEPT_ALL, &drop, &drop);
    check_table(&Network::new(&plan), &[("r-b", "ins-w", "TCP", 22, acl(Some(0), Egress))]);
}

/// Two subnets `sn-a` (ACL `acl-a`, holding `ins-a`) and `sn-b` (ACL `acl-b`, holding `ins-b`) of one VPC; the
/// arguments are the ACLs' rule lists.
fn two_acl_plan(a_ingress: &str, a_egress: &str, b_ingress: &str, b_egress: &str) -> Plan {
    load(&format!(
        r#"{{"format":"classiclink-plan","version":1,
        "vpcs":[{{"id":"vpc-1","region":"r1","cidr":"10.0.0.0/16",
          "subnets":[{{"id":"sn-a","cidr":"10.0.1.0/24","acl":"acl-a"}},{{"id":"sn-b","cidr":"10.0.2.0/24","acl":"acl-b"}}],
          "resources":[{{"id":"ins-a","kind":"cvm","subnet":"sn-a","ip":"10.0.1.5"}},
                       {{"id":"ins-b","kind":"cvm","subnet":"sn-b","ip":"10.0.2.5"}}]}}],
        "network_acls":[{{"id":"acl-a","ingress":[{a_ingress}],"egress":[{a_egress}]}},
                        {{"id":"acl-b","ingress":[{b_ingress}],"egress":[{b_egress}]}}]}}"#
    ))
}

/// Between two subnets each with its own ACL, the first of the two ACLs to drop on the packet's way decides: the
/// source's egress before the destination's ingress, and for the return the destination's egress before the
/// source's ingress (`docs/reachability.md`, "Order of decision", step 4).
#[test]
fn two_acls_are_met_in_packet_order() {
    use Direction::{Egress, Ingress};
    let no_acl = |object: &'static str, direction| Err((Reason::NetworkAcl, Some(object), None, Some(direction)));
    const A_TO_B: &[&str] = &["ins-a", "sn-a", "sn-b", "ins-b"];
    /// The ACLs' rule lists (acl-a in, out, acl-b in, out) and the questions.
    type Row = ([&'static str; 4], Vec<Case<'static>>);
    let table: Vec<Row> = vec![
        // Every list empty: the source's egress drops first, whichever way the question goes.
        (
            ["", "", "", ""],
            vec![
                ("ins-a", "ins-b", "TCP", 22, no_acl("acl-a", Egress)),
                ("ins-b", "ins-a", "TCP", 22, no_acl("acl-b", Egress)),
            ],
        ),
        // Forward open both ways (acl-a out, acl-b in), each return closed: the destination's egress drops first.
        (["", ACCEPT_ALL, ACCEPT_ALL, ""], vec![("ins-a", "ins-b", "TCP", 22, no_acl("acl-b", Egress))]),
        // The destination's egress open: the return meets the source's ingress.
        (["", ACCEPT_ALL, ACCEPT_ALL, ACCEPT_ALL], vec![("ins-a", "ins-b", "TCP", 22, no_acl("acl-a", Ingress))]),
        // The source's egress open, the destination's ingress closed.
        ([ACCEPT_ALL, ACCEPT_ALL, "", ACCEPT_ALL], vec![("ins-a", "ins-b", "TCP", 22, no_acl("acl-b", Ingress))]),
        ([ACCEPT_ALL, ACCEPT_ALL, ACCEPT_ALL, ACCEPT_ALL], vec![("ins-a", "ins-b", "TCP", 22, Ok(A_TO_B))]),
    ];
    for ([a_in, a_out, b_in, b_out], cases) in table {
        check_table(&Network::new(&two_acl_plan(a_in, a_out, b_in, b_out)), &cases);
    }
    let plan = two_acl_plan("", "", "", "");
    let a = ask(&Network::new(&plan), "ins-a", "ins-b", "TCP", 22);
    assert_eq!(a.message, "acl-a egress has no rule for TCP 22 to 10.0.2.5 (default deny)");
    let plan = two_acl_plan("", ACCEPT_ALL, ACCEPT_ALL, "");
    let a = ask(&Network::new(&plan), "ins-a", "ins-b", "TCP", 22);
    assert_eq!(a.message, "acl-b egress has no rule for the return traffic of TCP 22 to 10.0.1.5 (default deny)");
}

/// A question about all traffic through an ACL whose accepts are split over adjacent rules: what the rules accept
/// together passes, and what none accepts is named (not a leftover of the split).
#[test]
fn all_traffic_through_an_acl_split_over_adjacent_rules() {
    let split = rules(&[
        ("TCP", "1-1023", "0.0.0.0/0", "ACCEPT"),
        ("TCP", "1024-65535", "0.0.0.0/0", "ACCEPT"),
        ("UDP", "ALL", "0.0.0.0/0", "ACCEPT"),
    ]);
    let all = format!("{split}, {ACCEPT_ALL}");
    let plan = two_acl_plan(ACCEPT_ALL, ACCEPT_ALL, &all, ACCEPT_ALL);
    let a = ask(&Network::new(&plan), "ins-a", "ins-b", "ALL", 0);
    assert!(a.reachable, "{a:?}");
    assert_eq!(a.message, "ins-a reaches ins-b on all traffic: ins-a -> sn-a -> sn-b -> ins-b");
    // ICMP last instead of ALL: the protocols other than TCP, UDP and ICMP meet the default deny.
    let icmp = format!("{split}, {}", rule("ICMP", "ALL", "0.0.0.0/0", "ACCEPT"));
    let plan = two_acl_plan(ACCEPT_ALL, ACCEPT_ALL, &icmp, ACCEPT_ALL);
    let net = Network::new(&plan);
    let no = Err((Reason::NetworkAcl, Some("acl-b"), None, Some(Direction::Ingress)));
    check_table(&net, &[("ins-a", "ins-b", "ALL", 0, no)]);
    assert_eq!(
        ask(&net, "ins-a", "ins-b", "ALL", 0).message,
        "acl-b ingress has no rule for protocols other than TCP, UDP and ICMP from 10.0.1.5 (default deny), so not \
         all traffic passes"
    );
}

/// When a question fails several checks, the first in the documented order decides (`docs/reachability.md`,
/// "Order of decision"): the same object before its state, the source's state before the destination's, the link
/// before the assistant CIDR, and the source subnet's ACL on the way to a gateway.
#[test]
fn the_first_failing_check_in_the_documented_order_decides() {
    use Reason::*;
    let table: Vec<(&str, Vec<Case>)> = vec![
        // A stopped source and an isolated destination: the source is named; an object asked about itself reaches
        // itself whatever its state, but for a returned one, which no longer exists: by its ID as by its address.
        (
            r#""classic":[{"id":"ins-a","kind":"cvm","region":"r1","ip":"10.66.0.1","state":"stopped"},
                          {"id":"ins-b","kind":"cvm","region":"r1","ip":"10.66.0.2","state":"isolated"},
                          {"id":"ins-r","kind":"cvm","region":"r1","ip":"10.66.0.3","state":"returned"}]"#,
            vec![
                ("ins-a", "ins-b", "TCP", 22, no(InstanceState, "ins-a")),
                ("ins-b", "ins-a", "TCP", 22, no(InstanceState, "ins-b")),
                ("ins-a", "ins-a", "TCP", 22, Ok(&["ins-a"])),
                ("ins-b", "ins-b", "UDP", 53, Ok(&["ins-b"])),
                ("ins-r", "ins-r", "TCP", 22, no(InstanceState, "ins-r")),
                ("ins-r", "10.66.0.3", "TCP", 22, no(InstanceState, "ins-r")),
            ],
        ),
        // An unlinked classic CVM and a resource in the VPC's assistant CIDR: not linked comes first.
        (
            r#""classic":[{"id":"ins-a","kind":"cvm","region":"r1","ip":"10.66.0.1"}],
            "vpcs":[{"id":"vpc-1","region":"r1","cidr":"10.0.0.0/16","assistant_cidrs":["10.100.0.0/16"],
              "subnets":[{"id":"sn-x","cidr":"10.100.1.0/24"}],
              "resources":[{"id":"ins-x","kind":"cvm","subnet":"sn-x","ip":"10.100.1.8"}]}]"#,
            vec![
                ("ins-a", "ins-x", "TCP", 22, no(NotLinked, "vpc-1")),
                ("ins-x", "ins-a", "TCP", 22, no(NotLinked, "vpc-1")),
            ],
        ),
        // Out through a NAT gateway: the source subnet's ACL egress still applies.
        (
            r#""vpcs":[{"id":"vpc-1","region":"r1","cidr":"10.0.0.0/16",
              "subnets":[{"id":"sn-a","cidr":"10.0.1.0/24","acl":"acl-a"}],
              "resources":[{"id":"ins-a","kind":"cvm","subnet":"sn-a","ip":"10.0.1.5"}],
              "gateways":[{"id":"nat-1","kind":"nat"}]}],
            "network_acls":[{"id":"acl-a","egress":[],
              "ingress":[{"protocol":"ALL","port":"ALL","cidr":"0.0.0.0/0","action":"ACCEPT"}]}]"#,
            vec![("ins-a", "8.8.8.8", "TCP", 22, Err((NetworkAcl, Some("acl-a"), None, Some(Direction::Egress))))],
        ),
    ];
    for (body, cases) in table {
        let plan = load(&format!(r#"{{"format":"classiclink-plan","version":1, {body}}}"#));
        check_table(&Network::new(&plan), &cases);
    }
}

/// Security groups are stateful: the destination's group admits a flow by its ingress rules alone, with no egress
/// rule for the reply. The source's egress still applies to what it sends.
#[test]
fn a_security_group_lets_the_reply_of_an_admitted_flow_out() {
    let plan = load(
        r#"{"format":"classiclink-plan","version":1,
        "classic":[{"id":"ins-a","kind":"cvm","region":"r1","ip":"10.66.0.1"}],
        "vpcs":[{"id":"vpc-x","region":"r1","cidr":"10.0.0.0/16","subnets":[{"id":"sn","cidr":"10.0.1.0/24"}],
          "resources":[{"id":"r-db","kind":"cvm","subnet":"sn","ip":"10.0.1.5","security_groups":["sg-db"]}]}],
        "links":[{"instance":"ins-a","vpc":"vpc-x"}],
        "security_groups":[{"id":"sg-db","egress":[],
          "ingress":[{"protocol":"TCP","port":"22","cidr":"10.66.0.0/16","action":"ACCEPT"}]}]}"#,
    );
    check_table(
        &Network::new(&plan),
        &[
            ("ins-a", "r-db", "TCP", 22, Ok(&["ins-a", "vpc-x", "sn", "r-db"])),
            ("r-db", "ins-a", "TCP", 22, sg("sg-db", None, Direction::Egress)),
        ],
    );
}

/// Two classic instances meet no ACL, but both their security groups: the source's egress, the destination's
/// ingress.
#[test]
fn classic_instances_meet_each_others_security_groups() {
    use Direction::{Egress, Ingress};
    let plan = load(&format!(
        r#"{{"format":"classiclink-plan","version":1,
        "classic":[{{"id":"ins-a","kind":"cvm","region":"r1","ip":"10.66.0.1"}},
                   {{"id":"ins-b","kind":"cvm","region":"r1","ip":"10.66.0.2","security_groups":["sg-b"]}}],
        "security_groups":[{{"id":"sg-b","ingress":[{},{ACCEPT_ALL}],"egress":[{},{ACCEPT_ALL}]}}]}}"#,
        rule("TCP", "22", "0.0.0.0/0", "DROP"),
        rule("UDP", "53", "0.0.0.0/0", "DROP"),
    ));
    check_table(
        &Network::new(&plan),
        &[
            ("ins-a", "ins-b", "TCP", 22, sg("sg-b", Some(0), Ingress)),
            ("ins-a", "ins-b", "TCP", 80, Ok(&["ins-a", "ins-b"])),
            ("ins-b", "ins-a", "UDP", 53, sg("sg-b", Some(0), Egress)),
            ("ins-b", "ins-a", "TCP", 22, Ok(&["ins-b", "ins-a"])),
        ],
    );
}

/// A rule naming a security group matches a peer bound to it: a VPC resource or a linked classic CVM, as the source
/// of an ingress rule or the destination of an egress rule. An address that is no instance, and an instance outside
/// the group, meet the rules after it (here the implicit drop), named as any rule.
#[test]
fn group_rules_match_the_instances_bound_to_the_group() {
    use Direction::{Egress, Ingress};
    let group = |protocol: &str, port: &str, group: &str, action: &str| {
        format!(r#"{{ "protocol": "{protocol}", "port": "{port}", "group": "{group}", "action": "{action}" }}"#)
    };
    let plan = load(&format!(
        r#"{{"format":"classiclink-plan","version":1,
        "classic":[{{"id":"ins-web","kind":"cvm","region":"r1","ip":"10.66.0.7","security_groups":["sg-web"]}}],
        "vpcs":[{{"id":"vpc-p","region":"r1","cidr":"10.0.0.0/16","subnets":[{{"id":"sn-a","cidr":"10.0.1.0/24"}}],
          "resources":[{{"id":"r-db","kind":"cvm","subnet":"sn-a","ip":"10.0.1.5","security_groups":["sg-db"]}},
                       {{"id":"r-app","kind":"cvm","subnet":"sn-a","ip":"10.0.1.6","security_groups":["sg-app"]}},
                       {{"id":"r-other","kind":"cvm","subnet":"sn-a","ip":"10.0.1.7"}}]}}],
        "links":[{{"instance":"ins-web","vpc":"vpc-p"}}],
        "security_groups":[
          {{"id":"sg-db","ingress":[{},{}],"egress":[{ACCEPT_ALL}]}},
          {{"id":"sg-app","ingress":[{ACCEPT_ALL}],"egress":[{}]}},
          {{"id":"sg-web","ingress":[{ACCEPT_ALL}],"egress":[{ACCEPT_ALL}]}}]}}"#,
        group("TCP", "3306", "sg-app", "ACCEPT"),
        group("TCP", "3306", "sg-web", "ACCEPT"),
        group("ALL", "ALL", "sg-db", "ACCEPT"),
    ));
    check_table(
        &Network::new(&plan),
        &[
            // The source is in the group sg-db's ingress names; the destination in the one sg-app's egress names.
            ("r-app", "r-db", "TCP", 3306, Ok(&["r-app", "sn-a", "r-db"])),
            // A linked classic CVM is an instance bound to its groups too.
            ("ins-web", "r-db", "TCP", 3306, Ok(&["ins-web", "vpc-p", "sn-a", "r-db"])),
            // Not in the group: the rules do not match, and the implicit drop decides.
            ("r-other", "r-db", "TCP", 3306, sg("sg-db", None, Ingress)),
            // An address that is no instance is in no group.
            ("10.0.1.99", "r-db", "TCP", 3306, sg("sg-db", None, Ingress)),
            // Egress: the destination must be bound to sg-db.
            ("r-app", "r-other", "TCP", 22, sg("sg-app", None, Egress)),
            ("r-app", "ins-web", "TCP", 22, sg("sg-app", None, Egress)),
            ("r-app", "10.0.1.99", "TCP", 22, sg("sg-app", None, Egress)),
            // A question about ALL: what the group rule accepts (TCP 3306) passes, the rest is dropped.
            ("r-app", "r-db", "ALL", 0, sg("sg-db", None, Ingress)),
            ("r-db", "r-app", "ALL", 0, Ok(&["r-db", "sn-a", "r-app"])),
        ],
    );
    let all = ask(&Network::new(&plan), "r-app", "r-db", "ALL", 0);
    assert!(all.message.contains("TCP 1-3305") && all.message.contains("so not all traffic passes"), "{all:?}");
}

/// A flow through a VPN or Direct Connect gateway meets the filters of its end in the VPC, both ways: out through the
/// resource's egress, in through its ingress (the far side has none in the plan).
#[test]
fn flows_through_a_vpn_or_direct_connect_gateway_meet_the_resources_filters() {
    use Direction::{Egress, Ingress};
    let drop = rule("ALL", "ALL", "0.0.0.0/0", "DROP");
    let plan = load(&format!(
        r#"{{"format":"classiclink-plan","version":1,
        "vpcs":[{{"id":"vpc-x","region":"r1","cidr":"10.0.0.0/16","subnets":[{{"id":"sn","cidr":"10.0.1.0/24"}}],
          "resources":[{{"id":"r-shut","kind":"cvm","subnet":"sn","ip":"10.0.1.5","security_groups":["sg-shut"]}},
                       {{"id":"r-open","kind":"cvm","subnet":"sn","ip":"10.0.1.6"}}],
          "gateways":[{{"id":"vpn-1","kind":"vpn","remote_cidrs":["192.168.0.0/16"]}},
                      {{"id":"dc-1","kind":"direct_connect","remote_cidrs":["172.20.0.0/16"]}}]}}],
        "security_groups":[{{"id":"sg-shut","ingress":[{drop}],"egress":[{drop}]}}]}}"#
    ));
    check_table(
        &Network::new(&plan),
        &[
            ("r-shut", "192.168.3.4", "TCP", 22, sg("sg-shut", Some(0), Egress)),
            ("192.168.3.4", "r-shut", "TCP", 22, sg("sg-shut", Some(0), Ingress)),
            ("r-shut", "172.20.0.9", "TCP", 22, sg("sg-shut", Some(0), Egress)),
            ("172.20.0.9", "r-shut", "TCP", 22, sg("sg-shut", Some(0), Ingress)),
            ("r-open", "192.168.3.4", "TCP", 22, Ok(&["r-open", "sn", "vpc-x", "vpn-1", "192.168.3.4"])),
            ("172.20.0.9", "r-open", "TCP", 22, Ok(&["172.20.0.9", "dc-1", "vpc-x", "sn", "r-open"])),
        ],
    );
}

/// Through a terminal connection, the flow meets the security groups of the classic instance it maps, by the
/// instance's ID or by the connection's address.
#[test]
fn a_terminal_connection_leads_into_its_targets_security_groups() {
    let plan = load(&format!(
        r#"{{"format":"classiclink-plan","version":1,
        "classic":[{{"id":"cdb-1","kind":"mysql","region":"r1","ip":"10.66.0.9","security_groups":["sg-db"]}}],
        "vpcs":[{{"id":"vpc-x","region":"r1","cidr":"10.0.0.0/16","subnets":[{{"id":"sn","cidr":"10.0.1.0/24"}}],
          "resources":[{{"id":"r-p","kind":"cvm","subnet":"sn","ip":"10.0.1.5"}}]}}],
        "terminal_connections":[{{"id":"tc-1","target":"cdb-1","vpc":"vpc-x","ip":"10.0.1.50"}}],
        "security_groups":[{{"id":"sg-db","ingress":[{},{ACCEPT_ALL}],"egress":[{ACCEPT_ALL}]}}]}}"#,
        rule("TCP", "3306", "0.0.0.0/0", "DROP"),
    ));
    check_table(
        &Network::new(&plan),
        &[
            ("r-p", "10.0.1.50", "TCP", 3306, sg("sg-db", Some(0), Direction::Ingress)),
            ("r-p", "cdb-1", "TCP", 3306, sg("sg-db", Some(0), Direction::Ingress)),
            ("r-p", "cdb-1", "TCP", 3307, Ok(&["r-p", "sn", "vpc-x", "tc-1", "cdb-1"])),
        ],
    );
}

/// A terminal connection's address is an address of the subnet of its VPC that holds it: a flow to it from another
/// subnet crosses that subnet's network ACL (stateless: inbound there on the way, outbound there on the way back),
/// as well as the source subnet's; from the same subnet, no ACL (seed rule 9: the subnet's ACL stays in force).
#[test]
fn a_terminal_connection_in_another_subnet_is_behind_that_subnets_acl() {
    use Direction::{Egress, Ingress};
    let world = |ingress: &str, egress: &str| {
        load(&format!(
            r#"{{"format":"classiclink-plan","version":1,
            "classic":[{{"id":"cdb-1","kind":"mysql","region":"r1","ip":"10.66.0.9"}}],
            "vpcs":[{{"id":"vpc-x","region":"r1","cidr":"10.0.0.0/16",
              "subnets":[{{"id":"sn","cidr":"10.0.1.0/24"}},{{"id":"sn-db","cidr":"10.0.2.0/24","acl":"acl-a"}}],
              "resources":[{{"id":"r-p","kind":"cvm","subnet":"sn","ip":"10.0.1.5"}},
                           {{"id":"r-db","kind":"cvm","subnet":"sn-db","ip":"10.0.2.5"}}]}}],
            "terminal_connections":[{{"id":"tc-1","target":"cdb-1","vpc":"vpc-x","ip":"10.0.2.50"}}],
            "network_acls":[{{"id":"acl-a","ingress":[{ingress}],"egress":[{egress}]}}]}}"#
        ))
    };
    let hops: &[&str] = &["r-p", "sn", "vpc-x", "tc-1", "cdb-1"];
    let drop_3306 = rule("TCP", "3306", "10.0.1.0/24", "DROP");
    let open = world(ACCEPT_ALL, ACCEPT_ALL);
    let no_in = world(&format!("{drop_3306}, {ACCEPT_ALL}"), ACCEPT_ALL);
    let no_out = world(ACCEPT_ALL, &rule("TCP", "ALL", "10.0.1.0/24", "DROP"));
    check_table(&Network::new(&open), &[("r-p", "cdb-1", "TCP", 3306, Ok(hops))]);
    check_table(
        &Network::new(&no_in),
        &[
            ("r-p", "cdb-1", "TCP", 3306, acl(Some(0), Ingress)),
            ("r-p", "10.0.2.50", "TCP", 3306, acl(Some(0), Ingress)),
            ("r-p", "cdb-1", "TCP", 3307, Ok(hops)),
            // From the connection's own subnet: no ACL between them.
            ("r-db", "cdb-1", "TCP", 3306, Ok(&["r-db", "sn-db", "vpc-x", "tc-1", "cdb-1"])),
        ],
    );
    // Stateless: the answer back leaves sn-db through its outbound rules.
    check_table(&Network::new(&no_out), &[("r-p", "cdb-1", "TCP", 3306, acl(Some(0), Egress))]);
}

// ---- scale ------------------------------------------------------------------------------------------------------

/// The brief's scale: 20 VPCs, 2,000 linked classic CVMs, 5,000 VPC resources, 200 security groups of 50 rules.
pub(crate) fn big_plan() -> Plan {
    use crate::domain::model::*;
    use crate::domain::{Cidr, Ports};
    let mut plan = Plan::default();
    let cidr = |s: String| s.parse::<Cidr>().unwrap();
    for g in 0..200 {
        let mut list: Vec<FilterRule> = (0..49)
            .map(|i| FilterRule {
                protocol: Protocol::Tcp,
                port: format!("{}", 10000 + i).parse().unwrap(),
                peer: Peer::Cidr(cidr(format!("10.{}.0.0/16", 100 + i % 50))),
                action: Action::Drop,
                description: String::new(),
            })
            .collect();
        list.push(FilterRule {
            protocol: Protocol::All,
            port: Ports::all(),
            peer: Peer::Cidr(cidr("0.0.0.0/0".into())),
            action: Action::Accept,
            description: String::new(),
        });
        plan.security_groups.push(SecurityGroup {
            id: format!("sg-{g}").into(),
            name: String::new(),
            ingress: list.clone(),
            egress: list,
        });
    }
    plan.network_acls.push(NetworkAcl {
        id: "acl-all".into(),
        name: String::new(),
        ingress: plan.security_groups[0].ingress.clone(),
        egress: plan.security_groups[0].egress.clone(),
    });
    for v in 0..20 {
        let mut vpc = Vpc {
            id: format!("vpc-{v}").into(),
            name: String::new(),
            region: "ap-guangzhou".into(),
            cidr: cidr(format!("10.{v}.0.0/16")),
            assistant_cidrs: Vec::new(),
            subnets: Vec::new(),
            resources: Vec::new(),
            gateways: Vec::new(),
        };
        for s in 0..10 {
            vpc.subnets.push(Subnet {
                id: format!("subnet-{v}-{s}").into(),
                name: String::new(),
                cidr: cidr(format!("10.{v}.{s}.0/24")),
                zone: Name::default(),
                acl: Some("acl-all".into()),
            });
        }
        for r in 0..250 {
            vpc.resources.push(Resource {
                id: format!("ins-{v}-{r}").into(),
                kind: Kind::Cvm,
                name: String::new(),
                subnet: format!("subnet-{v}-{}", r % 10).into(),
                ip: format!("10.{v}.{}.{}", r % 10, 10 + r / 10).parse().unwrap(),
                state: State::Running,
                security_groups: vec![format!("sg-{}", r % 200).into(), format!("sg-{}", (r + 1) % 200).into()],
                backends: Vec::new(),
            });
        }
        plan.vpcs.push(vpc);
    }
    for c in 0..2000 {
        let id = format!("ins-c{c}");
        plan.classic.push(ClassicInstance {
            id: id.as_str().into(),
            kind: Kind::Cvm,
            name: String::new(),
            region: "ap-guangzhou".into(),
            zone: Name::default(),
            ip: format!("10.66.{}.{}", c / 250, c % 250 + 1).parse().unwrap(),
            state: State::Running,
            security_groups: vec![format!("sg-{}", c % 200).into()],
            backends: Vec::new(),
        });
        plan.links.push(Link {
            instance: id.into(),
            vpc: format!("vpc-{}", c % 20).into(),
            ip: None,
            invalidated: false,
        });
    }
    for p in 0..10 {
        plan.peerings.push(Peering {
            id: format!("pcx-{p}").into(),
            vpcs: vec![format!("vpc-{p}").into(), format!("vpc-{}", p + 10).into()],
        });
    }
    plan
}

#[test]
fn a_large_plan_answers_every_question() {
    let plan = big_plan();
    let net = Network::new(&plan);
    // ins-c7 is linked to vpc-7; ins-7-5 sits there.
    check_table(
        &net,
        &[
            ("ins-c7", "ins-7-5", "TCP", 22, Ok(&["ins-c7", "vpc-7", "subnet-7-5", "ins-7-5"])),
            ("ins-7-5", "ins-c7", "TCP", 22, Ok(&["ins-7-5", "subnet-7-5", "vpc-7", "ins-c7"])),
            ("ins-c7", "ins-17-5", "TCP", 22, no(Reason::NotTransitive, "pcx-7")),
            ("ins-c7", "ins-8-5", "TCP", 22, no(Reason::NotLinked, "vpc-8")),
            (
                "ins-7-5",
                "ins-17-5",
                "TCP",
                22,
                Ok(&["ins-7-5", "subnet-7-5", "vpc-7", "pcx-7", "vpc-17", "subnet-17-5", "ins-17-5"]),
            ),
        ],
    );
}

/// Every ID and every address of a plan, as endpoints (plus an ID and a private and a public address it lacks).
fn every_endpoint(plan: &Plan) -> Vec<Endpoint> {
    let mut ids: Vec<String> = Vec::new();
    let mut ips: Vec<Ipv4Addr> = Vec::new();
    ids.extend(plan.network_acls.iter().map(|a| a.id.to_string()));
    ids.extend(plan.security_groups.iter().map(|g| g.id.to_string()));
    for c in &plan.classic {
        ids.push(c.id.to_string());
        ips.push(c.ip);
    }
    for v in &plan.vpcs {
        ids.push(v.id.to_string());
        ids.extend(v.subnets.iter().map(|s| s.id.to_string()));
        ids.extend(v.gateways.iter().map(|g| g.id.to_string()));
        for r in &v.resources {
            ids.push(r.id.to_string());
            ips.push(r.ip);
        }
        // A free address of every subnet.
        ips.extend(v.subnets.iter().map(|s| Ipv4Addr::from(u32::from(s.cidr.network()) + 200)));
    }
    ids.extend(plan.peerings.iter().map(|p| p.id.to_string()));
    ids.extend(plan.ccns.iter().map(|c| c.id.to_string()));
    for t in &plan.terminal_connections {
        ids.push(t.id.to_string());
        ips.push(t.ip);
    }
    ids.push("ins-nowhere".into());
    ips.extend(["10.99.99.99".parse::<Ipv4Addr>().unwrap(), "8.8.8.8".parse().unwrap()]);
    ids.into_iter().map(Endpoint::Id).chain(ips.into_iter().map(Endpoint::Ip)).collect()
}

/// A network prepared for some endpoints answers every question, about those endpoints or any other, exactly as the
/// complete one does: also in a plan that was never validated, with IDs repeated within and across kinds and
/// addresses held twice (the first object wins in both).
#[test]
fn prepared_for_some_endpoints_answers_as_the_complete_index() {
    let mut plan = load(WORLD);
    // Repeats: a second instance with the first one's ID (another address), a subnet named like an instance, and a
    // resource holding an instance's address.
    let mut twin = plan.classic[0].clone();
    twin.ip = "10.66.0.250".parse().unwrap();
    plan.classic.push(twin);
    let mut sub = plan.vpcs[0].subnets[0].clone();
    sub.id = plan.classic[1].id.clone();
    plan.vpcs[0].subnets.push(sub);
    let mut res = plan.vpcs[0].resources[0].clone();
    res.id = "res-twin".into();
    res.ip = plan.classic[2].ip;
    plan.vpcs[0].resources.push(res);

    let all = every_endpoint(&plan);
    let complete = Network::new(&plan);
    let ask_all = |net: &Network| -> Vec<String> {
        let mut out = Vec::new();
        for a in &all {
            for b in &all {
                out.push(format!("{a:?} -> {b:?}: {:?}", net.reach(a, b, Protocol::Tcp, 22)));
            }
        }
        out
    };
    let want = ask_all(&complete);
    assert!(want.iter().any(|a| a.contains("Ok(Answer { reachable: true")), "some question is answered reachable");
    assert!(want.iter().any(|a| a.contains("Err(")), "some endpoint is refused");
    let subsets: [Vec<&Endpoint>; 4] =
        [Vec::new(), all.iter().step_by(2).collect(), all.iter().skip(1).step_by(3).collect(), all.iter().collect()];
    for asked in subsets {
        let n = asked.len();
        let got = ask_all(&Network::for_endpoints(&plan, asked));
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w, "prepared for {n} endpoints");
        }
    }
}

/// Terminal connections Tencent Cloud would not make carry nothing, whichever way they are asked: one at an address
/// a resource holds, or a later one at an address an earlier connection took (CL017). Of several connections a
/// target has into one VPC, one that carries the flow is found.
#[test]
fn terminal_connections_at_a_taken_address_carry_nothing_and_any_working_one_is_taken() {
    let plan = load(
        r#"{"format":"classiclink-plan","version":1,
        "classic":[{"id":"cdb-1","kind":"mysql","region":"r1","ip":"10.66.40.3"},
                   {"id":"lb-c","kind":"clb","region":"r1","ip":"10.66.50.1"},
                   {"id":"cdb-2","kind":"mysql","region":"r1","ip":"10.66.40.4"}],
        "vpcs":[{"id":"vpc-v","region":"r1","cidr":"10.0.0.0/16",
          "subnets":[{"id":"s1","cidr":"10.0.1.0/24","acl":"acl-1"},{"id":"s2","cidr":"10.0.2.0/24"}],
          "resources":[{"id":"ins-r","kind":"cvm","subnet":"s1","ip":"10.0.1.5"},
                       {"id":"ins-r2","kind":"cvm","subnet":"s2","ip":"10.0.2.5"}]}],
        "terminal_connections":[{"id":"tc-1","target":"cdb-1","vpc":"vpc-v","ip":"10.0.2.5"},
                                {"id":"tc-2","target":"lb-c","vpc":"vpc-v","ip":"10.0.2.9"},
                                {"id":"tc-3","target":"cdb-2","vpc":"vpc-v","ip":"10.0.2.9"},
                                {"id":"tc-4","target":"cdb-2","vpc":"vpc-v","ip":"10.0.2.200"},
                                {"id":"tc-5","target":"cdb-2","vpc":"vpc-v","ip":"10.0.1.200"}],
        "network_acls":[{"id":"acl-1","ingress":[],"egress":[]}]}"#,
    );
    let net = Network::new(&plan);
    check_table(
        &net,
        &[
            // tc-1's address is ins-r2's: tc-1 carries nothing, and the address is ins-r2's.
            ("ins-r2", "cdb-1", "TCP", 3306, Err((Reason::ClassicNonCvm, Some("tc-1"), None, None))),
            ("ins-r2", "10.0.2.5", "TCP", 22, Ok(&["ins-r2"])),
            // tc-2 took 10.0.2.9 first: it carries lb-c; tc-3 at the same address carries nothing.
            ("ins-r2", "lb-c", "TCP", 80, Ok(&["ins-r2", "s2", "vpc-v", "tc-2", "lb-c"])),
            // cdb-2 has three: tc-3 (taken address), tc-4 (behind the deny-all ACL of s1 for ins-r, its address in
            // s2), tc-5 (inside s1, the ACL not crossed): tc-5 carries it.
            ("ins-r", "cdb-2", "TCP", 3306, Ok(&["ins-r", "s1", "vpc-v", "tc-5", "cdb-2"])),
        ],
    );
    let a = ask(&net, "ins-r2", "cdb-1", "TCP", 3306);
    assert!(a.message.contains("already ins-r2's (CL017)"), "{}", a.message);
}

/// Two networks may use the same addresses: an address behind the source VPC's own VPN gateway is the remote one,
/// even where an unjoined VPC (isolated, out of reach) holds the same address.
#[test]
fn an_address_behind_the_own_vpn_is_remote_even_if_another_vpc_uses_it() {
    let plan = load(
        r#"{"format":"classiclink-plan","version":1,
        "vpcs":[{"id":"vpc-v","region":"r1","cidr":"10.0.0.0/16","subnets":[{"id":"s1","cidr":"10.0.1.0/24"}],
                 "resources":[{"id":"ins-r","kind":"cvm","subnet":"s1","ip":"10.0.1.5"}],
                 "gateways":[{"id":"vpn1","kind":"vpn","remote_cidrs":["10.1.0.0/16"]}]},
                {"id":"vpc-w","region":"r1","cidr":"10.1.0.0/16","subnets":[{"id":"w1","cidr":"10.1.1.0/24"}],
                 "resources":[{"id":"ins-w","kind":"cvm","subnet":"w1","ip":"10.1.1.5"}]}]}"#,
    );
    let net = Network::new(&plan);
    check_table(
        &net,
        &[
            ("ins-r", "10.1.1.5", "TCP", 22, Ok(&["ins-r", "s1", "vpc-v", "vpn1", "10.1.1.5"])),
            ("ins-r", "10.1.1.6", "TCP", 22, Ok(&["ins-r", "s1", "vpc-v", "vpn1", "10.1.1.6"])),
            ("10.1.1.5", "ins-r", "TCP", 22, Ok(&["10.1.1.5", "vpn1", "vpc-v", "s1", "ins-r"])),
            // Named by ID, ins-w is ins-w: isolated from vpc-v.
            ("ins-r", "ins-w", "TCP", 22, Err((Reason::VpcIsolated, Some("vpc-w"), None, None))),
        ],
    );
}

/// An isolated endpoint answers nothing; only a classic CVM has a link that stays through it (isolated for arrears
/// or under security isolation).
#[test]
fn isolation_says_the_link_stays_only_for_a_classic_cvm() {
    let plan = load(
        r#"{"format":"classiclink-plan","version":1,
        "classic":[{"id":"ins-a","kind":"cvm","region":"r1","ip":"10.66.0.1","state":"isolated"},
                   {"id":"ins-s","kind":"cvm","region":"r1","ip":"10.66.0.2","state":"security_isolated"}],
        "vpcs":[{"id":"vpc-v","region":"r1","cidr":"10.0.0.0/16","subnets":[{"id":"s1","cidr":"10.0.1.0/24"}],
          "resources":[{"id":"ins-r","kind":"cvm","subnet":"s1","ip":"10.0.1.5","state":"security_isolated"},
                       {"id":"ins-q","kind":"cvm","subnet":"s1","ip":"10.0.1.6"}]}],
        "links":[{"instance":"ins-a","vpc":"vpc-v"}]}"#,
    );
    let net = Network::new(&plan);
    let a = ask(&net, "ins-a", "ins-q", "TCP", 22);
    assert_eq!(
        (a.reason, a.message.as_str()),
        (Some(Reason::InstanceState), "ins-a is isolated for arrears: it sends and answers nothing (its link stays)")
    );
    let r = ask(&net, "ins-q", "ins-r", "TCP", 22);
    assert_eq!(r.message, "ins-r is under security isolation: it sends and answers nothing");
    let s = ask(&net, "ins-q", "ins-s", "TCP", 22);
    assert_eq!(s.message, "ins-s is under security isolation: it sends and answers nothing (its link stays)");
}

/// An address resolves to what can hold it: a terminal connection at an address already taken (CL017) holds
/// nothing, so the address is the linked CVM's; a VPC joined to the other endpoint's comes before an isolated one
/// listed earlier; and a flow asked by two addresses answers as asked by IDs.
#[test]
fn addresses_resolve_to_what_can_hold_them() {
    let taken = load(
        r#"{"format":"classiclink-plan","version":1,
        "classic":[{"id":"ins-a","kind":"cvm","region":"r1","ip":"10.0.2.9"},
                   {"id":"cdb-1","kind":"mysql","region":"r1","ip":"10.66.40.3"}],
        "vpcs":[{"id":"vpc-v","region":"r1","cidr":"10.0.0.0/16",
          "subnets":[{"id":"s1","cidr":"10.0.1.0/24"},{"id":"s2","cidr":"10.0.2.0/24"}],
          "resources":[{"id":"ins-r","kind":"cvm","subnet":"s1","ip":"10.0.1.5"}]}],
        "links":[{"instance":"ins-a","vpc":"vpc-v"}],
        "terminal_connections":[{"id":"tc-1","target":"cdb-1","vpc":"vpc-v","ip":"10.0.2.9"}]}"#,
    );
    check_table(
        &Network::new(&taken),
        &[
            ("ins-r", "10.0.2.9", "TCP", 22, Ok(&["ins-r", "s1", "vpc-v", "ins-a"])),
            ("10.0.2.9", "ins-r", "TCP", 22, Ok(&["ins-a", "vpc-v", "s1", "ins-r"])),
        ],
    );
    let peered = load(
        r#"{"format":"classiclink-plan","version":1,
        "vpcs":[{"id":"vpc-v","region":"r1","cidr":"10.0.0.0/16","subnets":[{"id":"s1","cidr":"10.0.1.0/24"}],
                 "resources":[{"id":"ins-r","kind":"cvm","subnet":"s1","ip":"10.0.1.5"}],
                 "gateways":[{"id":"vpn1","kind":"vpn","remote_cidrs":["10.1.0.0/16"]}]},
                {"id":"vpc-w","region":"r1","cidr":"10.1.0.0/16","subnets":[{"id":"w1","cidr":"10.1.1.0/24"}],
                 "resources":[{"id":"ins-w","kind":"cvm","subnet":"w1","ip":"10.1.1.5"}]},
                {"id":"vpc-w2","region":"r1","cidr":"10.1.0.0/16","subnets":[{"id":"w21","cidr":"10.1.1.0/24"}],
                 "resources":[{"id":"ins-w2","kind":"cvm","subnet":"w21","ip":"10.1.1.5"}]}],
        "peerings":[{"id":"pcx-1","vpcs":["vpc-v","vpc-w2"]}]}"#,
    );
    check_table(
        &Network::new(&peered),
        &[
            ("ins-r", "10.1.1.5", "TCP", 22, Ok(&["ins-r", "s1", "vpc-v", "pcx-1", "vpc-w2", "w21", "ins-w2"])),
            ("ins-r", "10.1.1.6", "TCP", 22, Ok(&["ins-r", "s1", "vpc-v", "pcx-1", "vpc-w2", "w21", "10.1.1.6"])),
        ],
    );
    let mut unjoined = peered.clone();
    unjoined.vpcs.truncate(2);
    unjoined.peerings.clear();
    check_table(
        &Network::new(&unjoined),
        &[
            ("10.1.1.5", "10.0.1.5", "TCP", 22, Ok(&["10.1.1.5", "vpn1", "vpc-v", "s1", "ins-r"])),
            ("10.0.1.5", "10.1.1.5", "TCP", 22, Ok(&["ins-r", "s1", "vpc-v", "vpn1", "10.1.1.5"])),
        ],
    );
    // A free address of the asker's own subnet comes before an object of an isolated VPC listed earlier; a returned
    // resource holds no address (a terminal connection there carries its target); a refused link's CVM does not
    // take a terminal connection's address (its IP joins no route).
    let own = load(
        r#"{"format":"classiclink-plan","version":1,
        "classic":[{"id":"cdb-1","kind":"mysql","region":"r1","ip":"10.66.40.3"},
                   {"id":"redis-1","kind":"redis","region":"r1","ip":"10.0.1.9"}],
        "vpcs":[{"id":"vpc-iso","region":"r1","cidr":"10.9.0.0/16","subnets":[{"id":"si","cidr":"10.9.0.0/24"}],
                 "resources":[{"id":"r-iso","kind":"cvm","subnet":"si","ip":"10.9.0.5"}]},
                {"id":"vpc-own","region":"r1","cidr":"10.9.0.0/16","subnets":[{"id":"so","cidr":"10.9.0.0/24"}],
                 "resources":[{"id":"r-src","kind":"cvm","subnet":"so","ip":"10.9.0.10"}]},
                {"id":"vpc-x","region":"r1","cidr":"10.0.0.0/16","subnets":[{"id":"sx","cidr":"10.0.1.0/24"}],
                 "resources":[{"id":"r-old","kind":"cvm","subnet":"sx","ip":"10.0.1.8","state":"returned"},
                              {"id":"r-x","kind":"cvm","subnet":"sx","ip":"10.0.1.10"}]}],
        "links":[{"instance":"redis-1","vpc":"vpc-x"}],
        "terminal_connections":[{"id":"tc-1","target":"cdb-1","vpc":"vpc-x","ip":"10.0.1.8"},
                                {"id":"tc-2","target":"cdb-1","vpc":"vpc-x","ip":"10.0.1.9"}]}"#,
    );
    check_table(
        &Network::new(&own),
        &[
            ("r-src", "10.9.0.5", "TCP", 22, Ok(&["r-src", "so", "10.9.0.5"])),
            ("r-x", "10.0.1.8", "TCP", 3306, Ok(&["r-x", "sx", "vpc-x", "tc-1", "cdb-1"])),
            ("r-x", "10.0.1.9", "TCP", 3306, Ok(&["r-x", "sx", "vpc-x", "tc-2", "cdb-1"])),
        ],
    );
}

/// A classic CVM whose link carries nothing (past the quota here) is in no VPC: an address it asks about is read as
/// from the classic network. A terminal connection Tencent Cloud would not make (a CVM target) takes no address.
#[test]
fn a_link_that_carries_nothing_gives_no_vpc_context_and_a_refused_connection_no_address() {
    let plan = load(
        r#"{"format":"classiclink-plan","version":1,"quotas":{"links_per_vpc":1},
        "classic":[{"id":"ins-b","kind":"cvm","region":"r1","ip":"10.66.1.2"},
                   {"id":"ins-a","kind":"cvm","region":"r1","ip":"10.66.1.1"},
                   {"id":"ins-c","kind":"cvm","region":"r1","ip":"10.0.1.8"},
                   {"id":"cdb-1","kind":"mysql","region":"r1","ip":"10.66.40.3"}],
        "vpcs":[{"id":"vpc-v","region":"r1","cidr":"10.0.0.0/16","subnets":[{"id":"s","cidr":"10.0.1.0/24"}],
                 "resources":[{"id":"r-x","kind":"cvm","subnet":"s","ip":"10.0.1.10"}]}],
        "links":[{"instance":"ins-b","vpc":"vpc-v"},{"instance":"ins-a","vpc":"vpc-v"}],
        "terminal_connections":[{"id":"tc-0","target":"ins-a","vpc":"vpc-v","ip":"10.0.1.9"},
                                {"id":"tc-1","target":"cdb-1","vpc":"vpc-v","ip":"10.0.1.9"}]}"#,
    );
    check_table(
        &Network::new(&plan),
        &[
            ("ins-a", "10.0.1.8", "TCP", 22, Ok(&["ins-a", "ins-c"])),
            ("10.0.1.8", "ins-a", "TCP", 22, Ok(&["ins-c", "ins-a"])),
            ("r-x", "cdb-1", "TCP", 3306, Ok(&["r-x", "s", "vpc-v", "tc-1", "cdb-1"])),
        ],
    );
}

/// Refused links and contested addresses answer as the check sees them: a refused link names its refusal in
/// AttachClassicLinkVpc's order (the region before the range), never an IP change it records; asked by address, the
/// terminal connection Tencent Cloud makes wins over a refused one listed first; and a CVM whose link an IP change
/// invalidated holds no address in the VPC, so a connection at its new IP works (no CL017).
#[test]
fn refused_links_and_contested_addresses_agree_with_the_check() {
    let plan = load(
        r#"{ "format": "classiclink-plan", "version": 1,
      "classic": [
        { "id": "ins-a", "kind": "cvm", "region": "gz", "ip": "10.66.0.1" },
        { "id": "ins-bj", "kind": "cvm", "region": "bj", "ip": "10.66.0.2" },
        { "id": "ins-b", "kind": "cvm", "region": "gz", "ip": "10.0.1.51" },
        { "id": "cdb-bj", "kind": "mysql", "region": "bj", "ip": "10.66.0.3" },
        { "id": "cdb-1", "kind": "mysql", "region": "gz", "ip": "10.66.0.4" },
        { "id": "cdb-2", "kind": "mysql", "region": "gz", "ip": "10.66.0.5" } ],
      "vpcs": [
        { "id": "vpc-x", "region": "gz", "cidr": "172.16.0.0/16",
          "subnets": [ { "id": "sn-x", "cidr": "172.16.1.0/24" } ],
          "resources": [ { "id": "r-x", "kind": "cvm", "subnet": "sn-x", "ip": "172.16.1.5" } ] },
        { "id": "vpc-a", "region": "gz", "cidr": "10.0.0.0/16",
          "subnets": [ { "id": "sn-a", "cidr": "10.0.1.0/24" } ],
          "resources": [ { "id": "r-a", "kind": "cvm", "subnet": "sn-a", "ip": "10.0.1.5" } ] } ],
      "links": [ { "instance": "ins-a", "vpc": "vpc-x", "ip": "10.66.0.9" },
                 { "instance": "ins-bj", "vpc": "vpc-x" },
                 { "instance": "ins-b", "vpc": "vpc-a", "ip": "10.0.1.99" } ],
      "terminal_connections": [
        { "id": "tc-bj", "target": "cdb-bj", "vpc": "vpc-a", "ip": "10.0.1.50" },
        { "id": "tc-1", "target": "cdb-1", "vpc": "vpc-a", "ip": "10.0.1.50" },
        { "id": "tc-2", "target": "cdb-2", "vpc": "vpc-a", "ip": "10.0.1.51" } ] }"#,
    );
    let net = Network::new(&plan);
    let by = |reason: Reason, object: &'static str| -> Want { Err((reason, Some(object), None, None)) };
    check_table(
        &net,
        &[
            // A refused link (outside 10.0-47) that records another IP: the refusal, not the IP change.
            ("ins-a", "r-x", "TCP", 22, by(Reason::LinkInvalid, "vpc-x")),
            // Another region and outside 10.0-47: the region first, as AttachClassicLinkVpc checks.
            ("ins-bj", "r-x", "TCP", 22, by(Reason::CrossRegion, "ins-bj")),
            // tc-bj (another region, CL015) holds nothing: tc-1 has 10.0.1.50, by target and by address.
            ("r-a", "cdb-1", "TCP", 3306, Ok(&["r-a", "sn-a", "vpc-a", "tc-1", "cdb-1"])),
            ("r-a", "10.0.1.50", "TCP", 3306, Ok(&["r-a", "sn-a", "vpc-a", "tc-1", "cdb-1"])),
            // ins-b's link was made for 10.0.1.99: its new IP is tc-2's, by target and by address.
            ("r-a", "cdb-2", "TCP", 3306, Ok(&["r-a", "sn-a", "vpc-a", "tc-2", "cdb-2"])),
            ("r-a", "10.0.1.51", "TCP", 3306, Ok(&["r-a", "sn-a", "vpc-a", "tc-2", "cdb-2"])),
        ],
    );
    let m = ask(&net, "ins-a", "r-x", "TCP", 22).message;
    assert!(m.contains("CL001") && !m.contains("IP change"), "{m}");
    let rules: Vec<&str> = crate::domain::check(&plan).findings.iter().map(|f| f.rule).collect();
    assert!(!rules.contains(&"CL017"), "{rules:?}");
    assert!(rules.contains(&"CL015") && rules.contains(&"CL010"), "{rules:?}");
}

/// A link an IP change invalidated carries nothing although the CVM has the IP it was made for again (changed and
/// changed back, seed 001: the record is gone until the link is made again): LINK_INVALID both ways, said so.
#[test]
fn a_link_invalidated_and_its_ip_back_carries_nothing() {
    let mut plan = load(WORLD);
    let ins_a = plan.links.iter_mut().find(|l| l.instance == "ins-a").expect("ins-a's link");
    ins_a.invalidated = true;
    let net = Network::new(&plan);
    check_table(
        &net,
        &[
            ("ins-a", "r-1", "TCP", 22, no(Reason::LinkInvalid, "ins-a")),
            ("r-1", "ins-a", "TCP", 22, no(Reason::LinkInvalid, "ins-a")),
        ],
    );
    let got = ask(&net, "ins-a", "r-1", "TCP", 22);
    assert!(
        got.message.contains("was made for 10.66.0.1, but ins-a's IP changed since, and is 10.66.0.1 again"),
        "{}",
        got.message
    );
}
