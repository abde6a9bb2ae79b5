//! CL013 `not-transitive`: a linked classic CVM cannot leave the VPC through its gateways, peerings or CCNs, and
//! nothing on their far side reaches it.

use super::{id_list, Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};

const INFO: RuleInfo = RuleInfo {
    id: "CL013",
    name: "not-transitive",
    severity: Severity::Warning,
    summary: "Classiclink is not transitive: linked CVMs cannot use the VPC's gateways, peerings or CCNs",
    what: "A VPC with linked classic CVMs that also has VPN, Direct Connect, NAT or public gateways, peering \
           connections or CCN attachments.",
    why: "A linked classic CVM's traffic is routed only to private IPs inside the VPC: it cannot go out through the \
          VPC's VPN gateway, Direct Connect gateway, public gateway, NAT gateway, peering connection (or CCN), and \
          the far side of a VPN, Direct Connect or peering cannot reach the classic CVM. Flows a plan expects over \
          those paths fail.",
    example: "`vpc-prod` with a VPN gateway to 192.168.0.0/16 and `ins-web01` linked to it: `ins-web01` cannot \
              reach 192.168.1.10.",
    fix: "Let a VPC resource (a CVM in the VPC) do the work that needs the gateway or peering, or migrate the \
          classic CVM into the VPC. The warning stays while the VPC has both linked CVMs and such a way out: it says \
          what they cannot do; an expectation shows whether a flow you need is affected.",
    seed: "That is, the basic network CVM cannot access the public network or VPC resources outside the current VPC \
           via the VPN gateway, Direct Connect gateway, public network gateway of the VPC or through peering \
           connection. Likewise, the peer of VPN, Direct Connect and peering connection cannot access the basic \
           network CVM.",
    seed_docs: &["000", "001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for v in &ctx.plan().vpcs {
        let live = ctx.held_links(&v.id);
        if live.is_empty() {
            continue;
        }
        let mut exits: Vec<&str> = v.gateways.iter().map(|g| g.id.as_str()).collect();
        exits.extend(ctx.peerings_of(&v.id));
        exits.extend(ctx.ccns_of(&v.id));
        if exits.is_empty() {
            continue;
        }
        let ins: Vec<&str> = live.iter().map(|(l, _)| l.instance.as_str()).collect();
        let msg = format!(
            "{}'s linked classic CVMs ({}) cannot go out through {}, and nothing beyond them can reach those CVMs: \
             Classiclink is not transitive",
            v.id,
            id_list(&ins),
            id_list(&exits)
        );
        let mut objects = vec![v.id.to_string()];
        objects.extend(exits.iter().map(|s| s.to_string()));
        out.push(INFO.finding(objects, msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, objects, run};

    fn body(gateways: &str, peering: bool, ccn: bool, linked: bool) -> String {
        let links = if linked { r#"{"instance": "ins-a", "vpc": "vpc-x"}"# } else { "" };
        let pcx = if peering { r#"{"id": "pcx-1", "vpcs": ["vpc-x", "vpc-y"]}"# } else { "" };
        let ccn = if ccn { r#"{"id": "ccn-1", "vpcs": ["vpc-y", "vpc-x"]}"# } else { "" };
        format!(
            r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.9"}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16", "gateways": [{gateways}]}},
                        {{"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16"}}],
               "peerings": [{pcx}], "ccns": [{ccn}], "links": [{links}]"#
        )
    }

    #[test]
    fn each_way() {
        let vpn = r#"{"id": "vpngw-1", "kind": "vpn", "remote_cidrs": ["192.168.0.0/16"]}"#;
        let dc = r#"{"id": "dcg-1", "kind": "direct_connect", "remote_cidrs": ["172.20.0.0/16"]}"#;
        let nat = r#"{"id": "nat-1", "kind": "nat"}"#;
        let pgw = r#"{"id": "pgw-1", "kind": "public"}"#;
        let none: Vec<Vec<String>> = vec![];
        let table = [
            (String::new(), false, false, true, none.clone()),
            (vpn.to_string(), false, false, false, none.clone()),
            (vpn.to_string(), false, false, true, vec![ids(&["vpc-x", "vpngw-1"])]),
            (dc.to_string(), false, false, true, vec![ids(&["vpc-x", "dcg-1"])]),
            (nat.to_string(), false, false, true, vec![ids(&["vpc-x", "nat-1"])]),
            (pgw.to_string(), false, false, true, vec![ids(&["vpc-x", "pgw-1"])]),
            (String::new(), true, false, true, vec![ids(&["vpc-x", "pcx-1"])]),
            (String::new(), false, true, true, vec![ids(&["vpc-x", "ccn-1"])]),
            (format!("{vpn}, {nat}"), true, true, true, vec![ids(&["vpc-x", "vpngw-1", "nat-1", "pcx-1", "ccn-1"])]),
        ];
        for (gw, pcx, ccn, linked, want) in table {
            assert_eq!(objects("CL013", &body(&gw, pcx, ccn, linked)), want, "{gw} {pcx} {ccn} {linked}");
        }
        assert_eq!(
            run("CL013", &body(vpn, true, false, true))[0].1,
            "vpc-x's linked classic CVMs (ins-a) cannot go out through vpngw-1, pcx-1, and nothing beyond them can \
             reach those CVMs: Classiclink is not transitive"
        );
    }
}
