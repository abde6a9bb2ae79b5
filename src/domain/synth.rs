//! Synthetic plans at Tencent Cloud's largest realistic size, for benchmarks and speed tests.
//!
//! Scale 1 is one region at its quotas: 20 VPCs (`appid-max-vpcs`), each with 100 linked classic CVMs
//! (`vpc-max-basic-network-interconnections`), so 2,000 links; 5,000 VPC resources; 200 security groups of 50 rules;
//! one network ACL per VPC; a VPN and a NAT gateway per VPC; a few peerings; 100 expectations. Scale `n` is `n`
//! such regions side by side. The plan is valid and deterministic: the same scale gives the same plan.

use super::addr::{Cidr, Ports, Protocol};
use super::model::*;
use std::net::Ipv4Addr;

/// VPCs per region (Tencent's default `appid-max-vpcs`).
pub const VPCS_PER_REGION: usize = 20;
/// Linked classic CVMs per VPC (the quota).
pub const LINKS_PER_VPC: usize = 100;
/// VPC resources per VPC (5,000 per region).
pub const RESOURCES_PER_VPC: usize = 250;
/// Security groups per region.
pub const GROUPS_PER_REGION: usize = 200;
/// Rules per security group.
pub const RULES_PER_GROUP: usize = 50;
/// Subnets per VPC.
pub const SUBNETS_PER_VPC: usize = 10;
/// Expectations per region.
pub const EXPECTATIONS_PER_REGION: usize = 100;

fn cidr(s: &str) -> Cidr {
    s.parse().expect("generated CIDRs are valid")
}

fn rule(protocol: Protocol, port: Ports, peer: Cidr, action: Action) -> FilterRule {
    FilterRule { protocol, port, peer: Peer::Cidr(peer), action, description: String::new() }
}

/// A plan of `scale` regions, each at the largest realistic size (see the module doc).
pub fn plan(scale: usize) -> Plan {
    let mut p = Plan { name: format!("synthetic plan, scale {scale}"), ..Plan::default() };
    for r in 0..scale {
        region(&mut p, r);
    }
    p
}

fn region(p: &mut Plan, r: usize) {
    let region = Name::from(format!("synth-region-{r}"));
    let zone = Name::from(format!("{region}-1"));
    // Security groups: 49 rules that do not match the usual traffic, then a verdict, so matching walks the list.
    for g in 0..GROUPS_PER_REGION {
        let mut ingress = Vec::with_capacity(RULES_PER_GROUP);
        for k in 0..RULES_PER_GROUP - 1 {
            let port = Ports::single(10_000 + k as u16);
            let action = if k % 7 == 0 { Action::Drop } else { Action::Accept };
            ingress.push(rule(Protocol::Tcp, port, cidr(&format!("192.168.{k}.0/24")), action));
        }
        ingress.push(rule(Protocol::Tcp, "22,80,443,3306,8080".parse().unwrap(), cidr("10.0.0.0/8"), Action::Accept));
        let egress = vec![rule(Protocol::All, Ports::all(), cidr("0.0.0.0/0"), Action::Accept)];
        p.security_groups.push(SecurityGroup {
            id: format!("sg-r{r}-{g}").into(),
            name: String::new(),
            ingress,
            egress,
        });
    }
    let group = |n: usize| vec![Name::from(format!("sg-r{r}-{}", n % GROUPS_PER_REGION))];

    for v in 0..VPCS_PER_REGION {
        let vpc_id = Name::from(format!("vpc-r{r}-{v}"));
        let acl_id = Name::from(format!("acl-r{r}-{v}"));
        let mut acl_in: Vec<FilterRule> = (0..9)
            .map(|k| rule(Protocol::Udp, Ports::single(20_000 + k), cidr(&format!("172.16.{k}.0/24")), Action::Drop))
            .collect();
        acl_in.push(rule(Protocol::All, Ports::all(), cidr("10.0.0.0/8"), Action::Accept));
        p.network_acls.push(NetworkAcl {
            id: acl_id.clone(),
            name: String::new(),
            ingress: acl_in,
            egress: vec![rule(Protocol::All, Ports::all(), cidr("0.0.0.0/0"), Action::Accept)],
        });
        let subnets: Vec<Subnet> = (0..SUBNETS_PER_VPC)
            .map(|s| Subnet {
                id: format!("subnet-r{r}-{v}-{s}").into(),
                name: String::new(),
                cidr: cidr(&format!("10.{v}.{s}.0/24")),
                zone: zone.clone(),
                acl: (s % 2 == 0).then(|| acl_id.clone()),
            })
            .collect();
        let kinds = [Kind::Cvm, Kind::Cvm, Kind::Cvm, Kind::Mysql, Kind::Redis];
        let resources: Vec<Resource> = (0..RESOURCES_PER_VPC)
            .map(|k| {
                let s = k % SUBNETS_PER_VPC;
                let kind = kinds[k % kinds.len()];
                Resource {
                    id: format!("res-r{r}-{v}-{k}").into(),
                    kind,
                    name: String::new(),
                    subnet: subnets[s].id.clone(),
                    ip: Ipv4Addr::new(10, v as u8, s as u8, 10 + (k / SUBNETS_PER_VPC) as u8),
                    state: State::Running,
                    security_groups: if kind == Kind::Cvm { group(k + v) } else { Vec::new() },
                    backends: Vec::new(),
                }
            })
            .collect();
        p.vpcs.push(Vpc {
            id: vpc_id.clone(),
            name: String::new(),
            region: region.clone(),
            cidr: cidr(&format!("10.{v}.0.0/16")),
            assistant_cidrs: vec![cidr(&format!("10.{}.0.0/16", 100 + v))],
            subnets,
            resources,
            gateways: vec![
                Gateway {
                    id: format!("vpngw-r{r}-{v}").into(),
                    kind: GatewayKind::Vpn,
                    name: String::new(),
                    remote_cidrs: vec![cidr(&format!("192.168.{v}.0/24"))],
                },
                Gateway {
                    id: format!("nat-r{r}-{v}").into(),
                    kind: GatewayKind::Nat,
                    name: String::new(),
                    remote_cidrs: vec![],
                },
            ],
        });
        if v % 2 == 1 {
            p.peerings.push(Peering {
                id: format!("pcx-r{r}-{v}").into(),
                vpcs: vec![format!("vpc-r{r}-{}", v - 1).into(), vpc_id.clone()],
            });
        }
        for c in 0..LINKS_PER_VPC {
            let n = v * LINKS_PER_VPC + c;
            let id = Name::from(format!("ins-r{r}-{n}"));
            let ip = Ipv4Addr::new(10, 66, (n / 250) as u8, 1 + (n % 250) as u8);
            p.classic.push(ClassicInstance {
                id: id.clone(),
                kind: Kind::Cvm,
                name: String::new(),
                region: region.clone(),
                zone: zone.clone(),
                ip,
                state: State::Running,
                security_groups: group(n),
                backends: Vec::new(),
            });
            p.links.push(Link { instance: id, vpc: vpc_id.clone(), ip: Some(ip), invalidated: false });
        }
    }
    for e in 0..EXPECTATIONS_PER_REGION {
        let v = e % VPCS_PER_REGION;
        let n = v * LINKS_PER_VPC + e;
        p.expectations.push(Expectation {
            from: Endpoint::Id(format!("ins-r{r}-{n}")),
            to: Endpoint::Id(format!("res-r{r}-{v}-{}", (e * 7) % RESOURCES_PER_VPC)),
            protocol: Some(Protocol::Tcp),
            port: Some(if e % 3 == 0 { 3306 } else { 8080 }),
            reachable: e % 4 != 0,
            description: String::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;

    #[test]
    fn scale_one_is_the_largest_realistic_region_and_valid() {
        let p = plan(1);
        assert_eq!(p.vpcs.len(), 20);
        assert_eq!(p.links.len(), 2_000);
        assert_eq!(p.vpcs.iter().map(|v| v.resources.len()).sum::<usize>(), 5_000);
        assert_eq!(p.security_groups.len(), 200);
        assert!(p.security_groups.iter().all(|g| g.ingress.len() == 50));
        super::super::load::validate(&p).expect("the synthetic plan is valid");
        assert_eq!(super::super::load::uncreatable(&p), [], "a console could create all of it");
        assert_eq!(plan(1), p, "deterministic");
    }

    #[test]
    fn scale_ten_is_ten_times_larger_and_valid() {
        let p = plan(10);
        assert_eq!(p.links.len(), 20_000);
        assert_eq!(p.vpcs.iter().map(|v| v.resources.len()).sum::<usize>(), 50_000);
        super::super::load::validate(&p).expect("the synthetic plan is valid");
    }
}
