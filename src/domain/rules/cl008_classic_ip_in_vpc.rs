//! CL008 `classic-ip-in-vpc`: a linked classic CVM's IP must not lie inside the CIDRs of the VPC it links to.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};

const INFO: RuleInfo = RuleInfo {
    id: "CL008",
    name: "classic-ip-in-vpc",
    severity: Severity::Warning,
    summary: "A linked classic CVM's IP lies outside the CIDRs of its VPC",
    what: "A linked classic CVM whose private IP lies inside the primary or an assistant CIDR of the VPC it is \
           linked to (and, if so, which VPC objects use that very IP). A link an IP change invalidated (CL010) puts \
           no address in the VPC's routes, so it is judged once made again.",
    why: "The linked CVM keeps its classic IP, and that IP joins the VPC route table's Local policy. Classiclink is \
          limited to 10.0-47 VPCs precisely so that classic IPs never fall inside a linked VPC: an IP inside the \
          VPC's own range collides with VPC addresses, and traffic to it goes to the wrong machine.",
    example: "`ins-web01` at 10.0.1.5 linked to `vpc-prod` (10.0.0.0/16), where `ins-app01` is also 10.0.1.5.",
    fix: "Check the CVM's real private IP (classic IPs are assigned by Tencent Cloud and lie outside the \
          Classiclink range); if it is right, link it to a VPC whose CIDRs do not hold it.",
    seed: "To avoid the conflict between IPs of basic network and VPC, we only enable Classiclink for the VPC within \
           specific network segments.",
    seed_docs: &["000", "001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for v in &ctx.plan().vpcs {
        // A link an IP change invalidated (CL010) no longer puts the CVM's address in the VPC's routes.
        for (_, c) in ctx.held_links(&v.id).iter().filter(|(l, c)| l.ip_before(c.ip).is_none()) {
            let (which, block) = if v.cidr.contains(c.ip) {
                ("CIDR", v.cidr)
            } else if let Some(a) = v.assistant_cidr_of(c.ip) {
                ("assistant CIDR", *a)
            } else {
                continue;
            };
            let others: Vec<&str> = ctx.ip_users(&v.id, c.ip).iter().copied().filter(|id| *id != c.id).collect();
            let also = if others.is_empty() { String::new() } else { format!(", the IP of {}", others.join(", ")) };
            let msg = format!(
                "{}'s IP {} lies inside {}'s {which} {block}{also}: linked, it collides with the VPC's own addresses",
                c.id, c.ip, v.id
            );
            let mut objects = vec![c.id.to_string(), v.id.to_string()];
            objects.extend(others.iter().map(|s| s.to_string()));
            out.push(INFO.finding(objects, msg));
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    fn body(ip: &str) -> String {
        format!(
            r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "{ip}"}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16", "assistant_cidrs": ["10.100.0.0/16"],
                 "subnets": [{{"id": "sn-main", "cidr": "10.0.1.0/24"}}],
                 "resources": [{{"id": "ins-p", "kind": "cvm", "subnet": "sn-main", "ip": "10.0.1.5"}}]}}],
               "links": [{{"instance": "ins-a", "vpc": "vpc-x"}}]"#
        )
    }

    #[test]
    fn each_way() {
        assert!(run("CL008", &body("10.66.0.1")).is_empty());
        assert!(run("CL008", &body("10.1.0.0")).is_empty());
        assert_eq!(
            run("CL008", &body("10.0.1.5")),
            vec![(
                ids(&["ins-a", "vpc-x", "ins-p"]),
                "ins-a's IP 10.0.1.5 lies inside vpc-x's CIDR 10.0.0.0/16, the IP of ins-p: linked, it collides with \
                 the VPC's own addresses"
                    .to_string()
            )]
        );
        assert_eq!(run("CL008", &body("10.0.255.255"))[0].0, ids(&["ins-a", "vpc-x"]));
        assert_eq!(
            run("CL008", &body("10.100.0.1"))[0].1,
            "ins-a's IP 10.100.0.1 lies inside vpc-x's assistant CIDR 10.100.0.0/16: linked, it collides with the VPC's \
             own addresses"
        );
    }
}
