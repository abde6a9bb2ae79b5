//! CL007 `secondary-cidr`: a linked classic CVM reaches only the VPC's primary CIDR, not its assistant CIDRs.

use super::{count, id_list, Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};

const INFO: RuleInfo = RuleInfo {
    id: "CL007",
    name: "secondary-cidr",
    severity: Severity::Warning,
    summary: "Linked classic CVMs reach only the VPC's primary CIDR, not its assistant CIDRs",
    what: "A VPC with linked classic CVMs and resources whose IPs lie in one of its assistant (secondary) CIDRs.",
    why: "A linked classic CVM communicates only with resources in the VPC's primary CIDR; the resources in \
          assistant CIDRs are out of its reach (and it is out of theirs), whatever the security groups say.",
    example: "`vpc-prod` (10.0.0.0/16, assistant 10.100.0.0/16) with `ins-x01` at 10.100.1.8 and `ins-web01` \
              linked to it.",
    fix: "Move the resources the classic CVMs need into subnets of the primary CIDR, or migrate the CVMs into the \
          VPC.",
    seed: "基础网络云服务器关联到某个私有网络后，仅支持与私有网络主 CIDR 的资源通信，不支持与私有网络辅助 CIDR 的资源通信。",
    seed_docs: &["001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, v) in ctx.plan().vpcs.iter().enumerate() {
        let live = ctx.held_links(&v.id);
        let hits: Vec<&str> = ctx.in_assistant_cidrs(i).iter().map(|r| r.id.as_str()).collect();
        if live.is_empty() || hits.is_empty() {
            continue;
        }
        let ins: Vec<&str> = live.iter().map(|(l, _)| l.instance.as_str()).collect();
        let msg = format!(
            "{}'s linked classic CVMs ({}) cannot reach its {} in assistant CIDRs ({})",
            v.id,
            id_list(&ins),
            count(hits.len(), "resource", "resources"),
            id_list(&hits)
        );
        let mut objects = vec![v.id.to_string()];
        objects.extend(hits.iter().map(|s| s.to_string()));
        out.push(INFO.finding(objects, msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    fn body(assistant: &str, res_subnet: &str, res_ip: &str, linked: bool) -> String {
        let links = if linked { r#"{"instance": "ins-a", "vpc": "vpc-x"}"# } else { "" };
        format!(
            r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16", "assistant_cidrs": [{assistant}],
                 "subnets": [{{"id": "sn-main", "cidr": "10.0.1.0/24"}}, {{"id": "sn-extra", "cidr": "10.100.1.0/24"}}],
                 "resources": [{{"id": "ins-p", "kind": "cvm", "subnet": "sn-main", "ip": "10.0.1.5"}},
                               {{"id": "ins-s", "kind": "cvm", "subnet": "{res_subnet}", "ip": "{res_ip}"}}]}}],
               "links": [{links}]"#
        )
    }

    #[test]
    fn each_way() {
        let a = r#""10.100.0.0/16""#;
        assert_eq!(
            run("CL007", &body(a, "sn-extra", "10.100.1.8", true)),
            vec![(
                ids(&["vpc-x", "ins-s"]),
                "vpc-x's linked classic CVMs (ins-a) cannot reach its 1 resource in assistant CIDRs (ins-s)"
                    .to_string()
            )]
        );
        // Unlinked: nobody is cut off.
        assert!(run("CL007", &body(a, "sn-extra", "10.100.1.8", false)).is_empty());
        // Every resource in the primary CIDR.
        assert!(run("CL007", &body(a, "sn-main", "10.0.1.6", true)).is_empty());
        // Edge: the first and last addresses an instance can have in the assistant block's subnet.
        assert_eq!(run("CL007", &body(a, "sn-extra", "10.100.1.1", true)).len(), 1);
        assert_eq!(run("CL007", &body(a, "sn-extra", "10.100.1.254", true)).len(), 1);
        // A returned resource holds no address: nobody is cut off from it.
        let gone = body(a, "sn-extra", "10.100.1.8", true).replacen(
            r#""ip": "10.100.1.8""#,
            r#""ip": "10.100.1.8", "state": "returned""#,
            1,
        );
        assert!(run("CL007", &gone).is_empty());
    }
}
