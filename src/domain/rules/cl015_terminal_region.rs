//! CL015 `terminal-region`: a terminal connection does not cross regions.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};

const INFO: RuleInfo = RuleInfo {
    id: "CL015",
    name: "terminal-region",
    severity: Severity::Error,
    summary: "A terminal connection maps a classic instance into a VPC of the same region",
    what: "A terminal connection whose target and VPC are in different regions.",
    why: "Terminal connections support neither cross-region nor cross-account mapping; the connection drawn cannot \
          be created.",
    example: "`tc-1` mapping `cdb-bj` (ap-beijing) into `vpc-prod` (ap-guangzhou).",
    fix: "Map the instance into a VPC of its own region. The mapping serves that VPC only (not the VPCs joined to \
          it), so for another region's resources to reach the instance, migrate it into a VPC.",
    seed: "终端连接不支持跨地域、跨账号",
    seed_docs: &["001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for t in &ctx.plan().terminal_connections {
        let (Some(c), Some(v)) = (ctx.classic(&t.target), ctx.vpc(&t.vpc)) else { continue };
        if c.region != v.region {
            let msg = format!(
                "{} maps {} ({}) into {} ({}): terminal connections do not cross regions",
                t.id, c.id, c.region, v.id, v.region
            );
            out.push(INFO.finding(vec![t.id.to_string(), c.id.to_string(), v.id.to_string()], msg));
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
                r#""classic": [{{"id": "cdb-1", "kind": "mysql", "region": "{r}", "ip": "10.66.0.1"}}],
                   "vpcs": [{{"id": "vpc-x", "region": "ap-guangzhou", "cidr": "10.0.0.0/16"}}],
                   "terminal_connections": [{{"id": "tc-1", "target": "cdb-1", "vpc": "vpc-x", "ip": "10.0.0.9"}}]"#
            )
        };
        assert!(run("CL015", &body("ap-guangzhou")).is_empty());
        assert_eq!(
            run("CL015", &body("ap-beijing")),
            vec![(
                ids(&["tc-1", "cdb-1", "vpc-x"]),
                "tc-1 maps cdb-1 (ap-beijing) into vpc-x (ap-guangzhou): terminal connections do not cross regions"
                    .to_string()
            )]
        );
    }
}
