//! CL002 `one-vpc-per-cvm`: a classic CVM is linked to at most one VPC at a time, and listed once.

use super::{id_list, Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};

const INFO: RuleInfo = RuleInfo {
    id: "CL002",
    name: "one-vpc-per-cvm",
    severity: Severity::Error,
    summary: "A classic CVM is linked to one VPC at a time",
    what: "A classic CVM holding a link that is linked again: to another VPC, or listed twice as linked to the same \
           VPC. Links count as Tencent Cloud would have made them, in plan order: a link it refuses for another \
           reason (a VPC outside 10.0-47, another region: CL001, CL004) is that rule's finding, and a CVM refused by \
           a VPC at its quota (CL003) holds no link there, so it may hold one elsewhere.",
    why: "A classic CVM can be linked to one VPC at a time; to link it to another VPC it must be unlinked first. \
          AttachClassicLinkVpc refuses an instance that is already linked (to any VPC, including the same one).",
    example: "`links`: `{ \"instance\": \"ins-web01\", \"vpc\": \"vpc-a\" }` and \
              `{ \"instance\": \"ins-web01\", \"vpc\": \"vpc-b\" }`.",
    fix: "Keep one link for the CVM: detach it from the VPC it should leave. Reach the other VPC through a \
          peering or CCN from a VPC resource, or migrate the CVM into a VPC.",
    seed: "A basic network CVM can be linked with one VPC at a time. To link with another VPC, you need to unbind \
           the linked VPC first.",
    seed_docs: &["000", "001"],
    api_error: Some("UnsupportedOperation.ClassicInstanceIdAlreadyExists"),
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // Each instance once, at its first link. One link cannot be a second one; a returned CVM holds none (CL012).
    for (instance, links) in ctx.links_by_instance() {
        if links.len() < 2 {
            continue;
        }
        let Some((held, second)) = ctx.held_and_second(instance) else { continue };
        if second.is_empty() {
            continue;
        }
        let mut vpcs: Vec<&str> = vec![&held.vpc];
        for k in &second {
            if !vpcs.contains(&k.vpc.as_str()) {
                vpcs.push(&k.vpc);
            }
        }
        let msg = if vpcs.len() == 1 {
            format!(
                "{} is listed {} times as linked to {}; a classic CVM has one link",
                instance,
                second.len() + 1,
                vpcs[0]
            )
        } else {
            format!(
                "{} is listed as linked to {} VPCs ({}); it holds its link to {}, and a classic CVM is linked to one \
                 VPC at a time",
                instance,
                vpcs.len(),
                id_list(&vpcs),
                held.vpc
            )
        };
        let mut objects = vec![instance.to_string()];
        objects.extend(vpcs.iter().map(|s| s.to_string()));
        out.push(INFO.finding(objects, msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    fn body(links: &str) -> String {
        format!(
            r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}},
                           {{"id": "ins-b", "kind": "cvm", "region": "r1", "ip": "10.66.0.2"}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}},
                        {{"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16"}},
                        {{"id": "vpc-out", "region": "r1", "cidr": "172.16.0.0/16"}},
                        {{"id": "vpc-full", "region": "r1", "cidr": "10.2.0.0/16"}}],
               "quotas": {{"links_per_vpc": 1}},
               "links": [{links}]"#
        )
    }

    /// A returned CVM's links went with it (CL012): however many the plan still lists, none is a second link.
    #[test]
    fn a_returned_cvm_has_no_links_to_count() {
        let returned = body(r#"{"instance": "ins-a", "vpc": "vpc-x"}, {"instance": "ins-a", "vpc": "vpc-y"}"#)
            .replacen(r#""ip": "10.66.0.1""#, r#""ip": "10.66.0.1", "state": "returned""#, 1);
        assert_eq!(run("CL002", &returned), vec![]);
    }

    #[test]
    fn each_way() {
        let l = |i: &str, v: &str| format!(r#"{{"instance": "{i}", "vpc": "{v}"}}"#);
        /// The links, then each finding's objects and message.
        type Case = (String, Vec<(Vec<String>, &'static str)>);
        let table: Vec<Case> = vec![
            (String::new(), vec![]),
            (l("ins-a", "vpc-x"), vec![]),
            // Two CVMs in one VPC is fine.
            (format!("{}, {}", l("ins-a", "vpc-x"), l("ins-b", "vpc-x")), vec![]),
            (
                format!("{}, {}", l("ins-a", "vpc-x"), l("ins-a", "vpc-y")),
                vec![(
                    ids(&["ins-a", "vpc-x", "vpc-y"]),
                    "ins-a is listed as linked to 2 VPCs (vpc-x, vpc-y); it holds its link to vpc-x, and a classic CVM is linked to one VPC at a time",
                )],
            ),
            (
                format!("{}, {}", l("ins-a", "vpc-x"), l("ins-a", "vpc-x")),
                vec![(
                    ids(&["ins-a", "vpc-x"]),
                    "ins-a is listed 2 times as linked to vpc-x; a classic CVM has one link",
                )],
            ),
            (
                format!("{}, {}, {}", l("ins-a", "vpc-y"), l("ins-b", "vpc-x"), l("ins-a", "vpc-y")),
                vec![(
                    ids(&["ins-a", "vpc-y"]),
                    "ins-a is listed 2 times as linked to vpc-y; a classic CVM has one link",
                )],
            ),
            // Tencent Cloud refuses the link to vpc-out (CL001): ins-a holds its link to vpc-x alone.
            (format!("{}, {}", l("ins-a", "vpc-out"), l("ins-a", "vpc-x")), vec![]),
            (
                format!("{}, {}, {}", l("ins-a", "vpc-out"), l("ins-a", "vpc-x"), l("ins-a", "vpc-y")),
                vec![(
                    ids(&["ins-a", "vpc-x", "vpc-y"]),
                    "ins-a is listed as linked to 2 VPCs (vpc-x, vpc-y); it holds its link to vpc-x, and a classic CVM is linked to one VPC at a time",
                )],
            ),
            // A later link Tencent Cloud refuses for itself is that rule's finding, not a second link.
            (format!("{}, {}", l("ins-a", "vpc-x"), l("ins-a", "vpc-out")), vec![]),
            // Refused by vpc-full at its quota of 1 (CL003), ins-b holds no link there: its link to vpc-x is its one.
            (format!("{}, {}, {}", l("ins-a", "vpc-full"), l("ins-b", "vpc-full"), l("ins-b", "vpc-x")), vec![]),
        ];
        for (links, want) in table {
            let got = run("CL002", &body(&links));
            let want: Vec<(Vec<String>, String)> = want.into_iter().map(|(o, m)| (o, m.to_string())).collect();
            assert_eq!(got, want, "links {links}");
        }
    }
}
