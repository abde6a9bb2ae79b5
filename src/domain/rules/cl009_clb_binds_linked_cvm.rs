//! CL009 `clb-binds-linked-cvm`: a CLB inside a VPC cannot bind a classic CVM linked to that VPC.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};

const INFO: RuleInfo = RuleInfo {
    id: "CL009",
    name: "clb-binds-linked-cvm",
    severity: Severity::Error,
    summary: "A CLB inside a VPC cannot bind the classic CVMs linked to that VPC",
    what: "A CLB that is a resource of a VPC and lists among its backends a classic CVM linked to the same VPC (by \
           the link it holds: a listed link Tencent Cloud refused links nothing).",
    why: "The VPC's load balancers cannot bind the classic CVMs interconnected with it: the binding is refused and \
          the traffic meant for that backend goes nowhere.",
    example: "`lb-prod` in `vpc-prod` with `backends: [\"ins-web01\"]`, and `ins-web01` linked to `vpc-prod`.",
    fix: "Bind VPC instances only (migrate the CVM into the VPC and bind the new instance), or serve the classic \
          CVMs from a classic CLB that binds classic instances only.",
    seed: "The cloud load balancer instance within VPC cannot be bound to the basic network CVM interconnected with \
           the current VPC",
    seed_docs: &["000", "001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

/// Whether `backend` is a classic CVM holding a link to `vpc`: the link Tencent Cloud made of its links (a listed
/// link it refused, such as one to a second VPC or to a VPC outside 10.0-47, links nothing; a returned CVM holds
/// none).
pub(super) fn linked_to(ctx: &Context<'_>, backend: &str, vpc: &str) -> bool {
    ctx.held_and_second(backend).is_some_and(|(held, _)| held.vpc == vpc)
}

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for &(v, r) in ctx.clb_resources() {
        for b in r.backends.iter().filter(|b| linked_to(ctx, b, &v.id)) {
            let msg = format!(
                "{} in {} binds {b}, a classic CVM linked to {}: a CLB in a VPC cannot bind the classic CVMs \
                 linked to that VPC",
                r.id, v.id, v.id
            );
            out.push(INFO.finding(vec![r.id.to_string(), b.to_string(), v.id.to_string()], msg));
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, objects, run};

    fn body(backends: &str, link_vpc: &str, state: &str) -> String {
        format!(
            r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1", "state": "{state}"}},
                           {{"id": "ins-b", "kind": "cvm", "region": "r1", "ip": "10.66.0.2"}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16",
                 "subnets": [{{"id": "sn", "cidr": "10.0.1.0/24"}}],
                 "resources": [{{"id": "ins-p", "kind": "cvm", "subnet": "sn", "ip": "10.0.1.5"}},
                               {{"id": "lb-x", "kind": "clb", "subnet": "sn", "ip": "10.0.1.6", "backends": [{backends}]}}]}},
                        {{"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16"}}],
               "links": [{{"instance": "ins-a", "vpc": "{link_vpc}"}}]"#
        )
    }

    #[test]
    fn each_way() {
        let hit = vec![ids(&["lb-x", "ins-a", "vpc-x"])];
        let none: Vec<Vec<String>> = vec![];
        let table = [
            (r#""ins-a""#, "vpc-x", "running", hit.clone()),
            (r#""ins-p", "ins-a""#, "vpc-x", "running", hit.clone()),
            (r#""ins-a""#, "vpc-x", "stopped", hit.clone()),
            (r#""ins-p""#, "vpc-x", "running", none.clone()),
            // Linked to another VPC: not this rule (CL020 judges the network mix).
            (r#""ins-a""#, "vpc-y", "running", none.clone()),
            // Unlinked classic CVM: not this rule either.
            (r#""ins-b""#, "vpc-x", "running", none.clone()),
            // Returned: its link is gone (CL012).
            (r#""ins-a""#, "vpc-x", "returned", none.clone()),
        ];
        for (backends, link_vpc, state, want) in table {
            assert_eq!(objects("CL009", &body(backends, link_vpc, state)), want, "{backends} {link_vpc} {state}");
        }
        // A returned CLB is gone and binds nothing.
        let gone = body(r#""ins-a""#, "vpc-x", "running").replacen(
            r#""ip": "10.0.1.6""#,
            r#""ip": "10.0.1.6", "state": "returned""#,
            1,
        );
        assert_eq!(objects("CL009", &gone), none);
        // The link ins-a holds decides, not the links the plan lists: one Tencent Cloud refused links nothing.
        let second = |first: &str| {
            body(r#""ins-a""#, "vpc-x", "running")
                .replace(r#""links": ["#, &format!(r#""links": [{{"instance": "ins-a", "vpc": "{first}"}}, "#))
        };
        let other_region = body(r#""ins-a""#, "vpc-x", "running").replacen(r#""region": "r1""#, r#""region": "r2""#, 1);
        let table = [
            // Linked to vpc-x first: a second link to vpc-x itself changes nothing.
            (second("vpc-x"), hit.clone()),
            // Holds its link to vpc-y: the later link to vpc-x was refused (CL002); CL020 judges the binding.
            (second("vpc-y"), none.clone()),
            // In another region than vpc-x: the link was refused (CL004).
            (other_region, none.clone()),
        ];
        for (plan, want) in table {
            assert_eq!(objects("CL009", &plan), want, "{plan}");
        }
        assert_eq!(
            run("CL009", &body(r#""ins-a""#, "vpc-x", "running"))[0].1,
            "lb-x in vpc-x binds ins-a, a classic CVM linked to vpc-x: a CLB in a VPC cannot bind the classic CVMs \
             linked to that VPC"
        );
    }
}
