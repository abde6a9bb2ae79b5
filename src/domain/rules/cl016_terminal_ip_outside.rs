//! CL016 `terminal-ip-outside`: a terminal connection's IP is an address of its VPC.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};

const INFO: RuleInfo = RuleInfo {
    id: "CL016",
    name: "terminal-ip-outside",
    severity: Severity::Error,
    summary: "A terminal connection's IP lies inside its VPC's CIDRs",
    what: "A terminal connection whose `ip` lies in neither the VPC's primary CIDR nor one of its assistant CIDRs.",
    why: "A terminal connection maps the classic instance to an IP inside the VPC, so that reaching that VPC IP \
          reaches the instance. An address outside the VPC is not routed to the mapping. (The seeds do not limit \
          the mapped IP to the primary CIDR, so an assistant CIDR is accepted.)",
    example: "`tc-1` into `vpc-prod` (10.0.0.0/16) at 10.9.0.5.",
    fix: "Pick a free IP inside the VPC's CIDR, preferably in a subnet of the resources that use it.",
    seed: "主要通过将基础网络实例 IP 与私有网络内 IP 建立映射，来实现访问该私有网络 IP 即访问基础网络实例。",
    seed_docs: &["001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for t in &ctx.plan().terminal_connections {
        let Some(v) = ctx.vpc(&t.vpc) else { continue };
        if v.holds(t.ip) {
            continue;
        }
        let mut cidrs = v.cidr.to_string();
        for a in &v.assistant_cidrs {
            cidrs.push_str(", ");
            cidrs.push_str(&a.to_string());
        }
        let msg = format!("{}'s IP {} is outside {}'s CIDRs ({cidrs})", t.id, t.ip, v.id);
        out.push(INFO.finding(vec![t.id.to_string(), v.id.to_string()], msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    #[test]
    fn edges() {
        let body = |ip: &str| {
            format!(
                r#""classic": [{{"id": "cdb-1", "kind": "mysql", "region": "r1", "ip": "10.66.0.1"}}],
                   "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16", "assistant_cidrs": ["10.100.0.0/24"]}}],
                   "terminal_connections": [{{"id": "tc-1", "target": "cdb-1", "vpc": "vpc-x", "ip": "{ip}"}}]"#
            )
        };
        for ip in ["10.0.0.9", "10.0.255.255", "10.0.0.0", "10.100.0.255"] {
            assert!(run("CL016", &body(ip)).is_empty(), "{ip}");
        }
        for ip in ["10.1.0.0", "9.255.255.255", "10.100.1.0", "10.66.0.1"] {
            assert_eq!(
                run("CL016", &body(ip)),
                vec![(
                    ids(&["tc-1", "vpc-x"]),
                    format!("tc-1's IP {ip} is outside vpc-x's CIDRs (10.0.0.0/16, 10.100.0.0/24)")
                )],
                "{ip}"
            );
        }
    }
}
