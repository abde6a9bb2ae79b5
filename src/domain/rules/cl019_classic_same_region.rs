//! CL019 `classic-same-region`: classic instances interconnect only within one region.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::{Kind, State};

const INFO: RuleInfo = RuleInfo {
    id: "CL019",
    name: "classic-same-region",
    severity: Severity::Error,
    summary: "Classic instances interconnect only within one region: a classic CLB binds classic CVMs of its region",
    what: "A classic CLB whose backends include a classic instance of another region.",
    why: "The classic network interconnects instances of the same tenant and the same region only (a VPC can reach \
          across regions; the classic network cannot). The binding cannot carry traffic.",
    example: "`lb-old` in ap-guangzhou with `backends: [\"ins-bj01\"]`, `ins-bj01` in ap-beijing.",
    fix: "Bind classic CVMs of the CLB's region, or use a CLB in the backends' region.",
    seed: "同一テナント、同一地域で相互接続します",
    seed_docs: &["002"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // A returned backend is unbound (seed 000: returning unbinds).
    for lb in ctx.plan().classic.iter().filter(|c| c.kind == Kind::Clb) {
        for b in &lb.backends {
            let Some(c) = ctx.classic(b).filter(|c| c.state != State::Returned) else { continue };
            if c.region != lb.region {
                let msg = format!(
                    "{} ({}) binds {} ({}): classic instances interconnect only within one region",
                    lb.id, lb.region, c.id, c.region
                );
                out.push(INFO.finding(vec![lb.id.to_string(), c.id.to_string()], msg));
            }
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
        let body = |r: &str| {
            format!(
                r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "{r}", "ip": "10.66.0.1"}},
                               {{"id": "ins-b", "kind": "cvm", "region": "ap-guangzhou", "ip": "10.66.0.2"}},
                               {{"id": "lb-old", "kind": "clb", "region": "ap-guangzhou", "ip": "10.66.0.3",
                                 "backends": ["ins-b", "ins-a"]}}]"#
            )
        };
        assert!(run("CL019", &body("ap-guangzhou")).is_empty());
        // Returned, the backend of another region is unbound.
        let returned = |what: &str| body("ap-beijing").replacen(what, &format!("{what} \"state\": \"returned\","), 1);
        assert!(run("CL019", &returned(r#"{"id": "ins-a","#)).is_empty());
        assert_eq!(
            run("CL019", &body("ap-beijing")),
            vec![(
                ids(&["lb-old", "ins-a"]),
                "lb-old (ap-guangzhou) binds ins-a (ap-beijing): classic instances interconnect only within one region"
                    .to_string()
            )]
        );
    }
}
