//! CL017 `terminal-ip-conflict`: a terminal connection's IP is not already used in its VPC.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};

const INFO: RuleInfo = RuleInfo {
    id: "CL017",
    name: "terminal-ip-conflict",
    severity: Severity::Error,
    summary: "A terminal connection's IP is free: no VPC resource, other mapping or linked CVM uses it",
    what: "A terminal connection whose `ip` is also the IP of a resource of the same VPC, of another terminal \
           connection into that VPC, or of a classic CVM linked to that VPC.",
    why: "Reaching the mapped VPC IP must reach the classic instance; if another object holds the same IP in the \
          VPC, one of the two is unreachable.",
    example: "`tc-1` into `vpc-prod` at 10.0.1.5, the IP of `ins-app01`.",
    fix: "Pick an IP no other object of the VPC uses.",
    seed: "主要通过将基础网络实例 IP 与私有网络内 IP 建立映射，来实现访问该私有网络 IP 即访问基础网络实例。",
    seed_docs: &["001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for t in &ctx.plan().terminal_connections {
        let others: Vec<&str> = ctx.ip_users(&t.vpc, t.ip).iter().copied().filter(|id| *id != t.id).collect();
        if others.is_empty() {
            continue;
        }
        let msg = format!("{}'s IP {} in {} is already used by {}", t.id, t.ip, t.vpc, others.join(", "));
        let mut objects = vec![t.id.to_string()];
        objects.extend(others.iter().map(|s| s.to_string()));
        out.push(INFO.finding(objects, msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    fn body(tc1: &str, tc2_vpc: &str, tc2: &str) -> String {
        format!(
            r#""classic": [{{"id": "cdb-1", "kind": "mysql", "region": "r1", "ip": "10.66.0.1"}},
                           {{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.0.2.7"}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16",
                          "subnets": [{{"id": "sn", "cidr": "10.0.1.0/24"}}],
                          "resources": [{{"id": "ins-p", "kind": "cvm", "subnet": "sn", "ip": "10.0.1.5"}}]}},
                        {{"id": "vpc-y", "region": "r1", "cidr": "10.0.0.0/16"}}],
               "links": [{{"instance": "ins-a", "vpc": "vpc-x"}}],
               "terminal_connections": [{{"id": "tc-1", "target": "cdb-1", "vpc": "vpc-x", "ip": "{tc1}"}},
                                        {{"id": "tc-2", "target": "cdb-1", "vpc": "{tc2_vpc}", "ip": "{tc2}"}}]"#
        )
    }

    #[test]
    fn each_way() {
        assert!(run("CL017", &body("10.0.1.9", "vpc-x", "10.0.1.10")).is_empty());
        // The same IP in another VPC is no conflict.
        assert!(run("CL017", &body("10.0.1.9", "vpc-y", "10.0.1.9")).is_empty());
        assert!(run("CL017", &body("10.0.1.9", "vpc-y", "10.0.1.5")).is_empty());
        assert_eq!(
            run("CL017", &body("10.0.1.5", "vpc-x", "10.0.1.10")),
            vec![(ids(&["tc-1", "ins-p"]), "tc-1's IP 10.0.1.5 in vpc-x is already used by ins-p".to_string())]
        );
        assert_eq!(
            run("CL017", &body("10.0.1.9", "vpc-x", "10.0.1.9")),
            vec![
                (ids(&["tc-1", "tc-2"]), "tc-1's IP 10.0.1.9 in vpc-x is already used by tc-2".to_string()),
                (ids(&["tc-2", "tc-1"]), "tc-2's IP 10.0.1.9 in vpc-x is already used by tc-1".to_string()),
            ]
        );
        // A returned resource no longer holds its address.
        let returned = body("10.0.1.5", "vpc-x", "10.0.1.10").replace(
            r#""subnet": "sn", "ip": "10.0.1.5"}"#,
            r#""subnet": "sn", "ip": "10.0.1.5", "state": "returned"}"#,
        );
        assert!(run("CL017", &returned).is_empty(), "{returned}");
        // A linked classic CVM's IP joins the VPC's Local route.
        assert_eq!(
            run("CL017", &body("10.0.2.7", "vpc-y", "10.0.2.7")),
            vec![(ids(&["tc-1", "ins-a"]), "tc-1's IP 10.0.2.7 in vpc-x is already used by ins-a".to_string())]
        );
    }
}
