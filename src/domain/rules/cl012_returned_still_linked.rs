//! CL012 `returned-still-linked`: returning a CVM unlinks it automatically; a plan that still lists the link is stale.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::State;
use rustc_hash::FxHashSet as HashSet;

const INFO: RuleInfo = RuleInfo {
    id: "CL012",
    name: "returned-still-linked",
    severity: Severity::Warning,
    summary: "Returning a CVM unlinks it automatically: a returned CVM has no link",
    what: "A link naming a classic CVM whose state is `returned`.",
    why: "When a CVM is returned (terminated) its link to the VPC is removed automatically. The plan still draws a \
          link that no longer exists, and anything relying on it fails.",
    example: "`ins-old` with `\"state\": \"returned\"` and a link to `vpc-prod`.",
    fix: "Remove the link from the plan (and the CVM, if it is gone for good).",
    seed: "The interconnection relationship with VPC will be unbound automatically after the CVM is returned.",
    seed_docs: &["000", "001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::default();
    for (l, c) in ctx.links() {
        let Some(c) = c else { continue };
        if c.state == State::Returned && seen.insert((&l.instance, &l.vpc)) {
            let msg = format!(
                "{} was returned, so its link to {} was removed automatically: remove the link from the plan",
                c.id, l.vpc
            );
            out.push(INFO.finding(vec![c.id.to_string(), l.vpc.to_string()], msg));
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    #[test]
    fn each_way() {
        for state in ["running", "stopped", "isolated", "security_isolated", "returned"] {
            let body = format!(
                r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.9", "state": "{state}"}}],
                   "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}}],
                   "links": [{{"instance": "ins-a", "vpc": "vpc-x"}}]"#
            );
            let want: Vec<_> = if state == "returned" {
                vec![(
                    ids(&["ins-a", "vpc-x"]),
                    "ins-a was returned, so its link to vpc-x was removed automatically: remove the link from the plan"
                        .to_string(),
                )]
            } else {
                vec![]
            };
            assert_eq!(run("CL012", &body), want, "{state}");
        }
    }
}
