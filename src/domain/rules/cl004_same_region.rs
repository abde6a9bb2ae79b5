//! CL004 `same-region`: a classic CVM links only to a VPC of its own region.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::State;

const INFO: RuleInfo = RuleInfo {
    id: "CL004",
    name: "same-region",
    severity: Severity::Error,
    summary: "A classic CVM and the VPC it links to are in the same region",
    what: "A link whose classic instance and VPC are in different regions.",
    why: "Classiclink only interconnects a classic CVM with a VPC of the same region; AttachClassicLinkVpc refuses \
          the rest (UnsupportedOperation: no dedicated code is documented for a region mismatch).",
    example: "`ins-web01` in ap-guangzhou linked to `vpc-bj` in ap-beijing.",
    fix: "Link the CVM to a VPC of its own region. The link serves that VPC only (it is not transitive, not even \
          through a CCN), so for the other region's resources to reach the CVM, migrate it into a VPC.",
    seed: "Only the interconnection between basic network CVM and VPC in the same region is supported",
    seed_docs: &["000", "001"],
    api_error: Some("UnsupportedOperation"),
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (l, c) in ctx.links() {
        let (Some(c), Some(v)) = (c, ctx.vpc(&l.vpc)) else { continue };
        // A returned CVM's link went with it (CL012 says so).
        if c.region != v.region && c.state != State::Returned && !ctx.repeats(l) {
            let msg = format!(
                "{} is in {} but {} is in {}: a classic CVM links only to a VPC of its own region",
                c.id, c.region, v.id, v.region
            );
            out.push(INFO.finding(vec![c.id.to_string(), v.id.to_string()], msg));
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    /// A returned CVM's link went with it (CL012): no region to compare.
    #[test]
    fn a_returned_cvms_link_is_not_judged() {
        let body = r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1", "state": "returned"}],
                   "vpcs": [{"id": "vpc-y", "region": "r2", "cidr": "10.1.0.0/16"}],
                   "links": [{"instance": "ins-a", "vpc": "vpc-y"}]"#;
        assert_eq!(run("CL004", body), vec![]);
        assert_eq!(run("CL004", &body.replace(r#", "state": "returned""#, "")).len(), 1);
    }

    #[test]
    fn each_way() {
        let body = |ins_region: &str, vpc_region: &str| {
            format!(
                r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "{ins_region}", "ip": "10.66.0.1"}}],
                   "vpcs": [{{"id": "vpc-x", "region": "{vpc_region}", "cidr": "10.0.0.0/16"}}],
                   "links": [{{"instance": "ins-a", "vpc": "vpc-x"}}]"#
            )
        };
        assert!(run("CL004", &body("ap-guangzhou", "ap-guangzhou")).is_empty());
        assert_eq!(
            run("CL004", &body("ap-guangzhou", "ap-beijing")),
            vec![(
                ids(&["ins-a", "vpc-x"]),
                "ins-a is in ap-guangzhou but vpc-x is in ap-beijing: a classic CVM links only to a VPC of its own region"
                    .to_string()
            )]
        );
        // Regions are compared exactly: a zone is not a region.
        assert_eq!(run("CL004", &body("ap-guangzhou", "ap-guangzhou-3")).len(), 1);
    }

    /// A link listed twice is one problem, said once; a second VPC of another region is another.
    #[test]
    fn a_repeated_link_is_said_once() {
        let body = r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}],
                   "vpcs": [{"id": "vpc-x", "region": "r2", "cidr": "10.1.0.0/16"},
                            {"id": "vpc-y", "region": "r3", "cidr": "10.2.0.0/16"}],
                   "links": [{"instance": "ins-a", "vpc": "vpc-x"}, {"instance": "ins-a", "vpc": "vpc-x"},
                             {"instance": "ins-a", "vpc": "vpc-y"}, {"instance": "ins-a", "vpc": "vpc-x"}]"#;
        let found: Vec<_> = run("CL004", body).into_iter().map(|(o, _)| o).collect();
        assert_eq!(found, vec![ids(&["ins-a", "vpc-x"]), ids(&["ins-a", "vpc-y"])]);
    }

    #[test]
    fn no_links_no_finding() {
        let body = r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}],
                      "vpcs": [{"id": "vpc-x", "region": "r2", "cidr": "10.0.0.0/16"}]"#;
        assert!(run("CL004", body).is_empty());
    }
}
