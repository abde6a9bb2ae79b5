//! CL010 `link-ip-changed`: a link made for an IP the CVM no longer has is invalid.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::ip_now;

const INFO: RuleInfo = RuleInfo {
    id: "CL010",
    name: "link-ip-changed",
    severity: Severity::Error,
    summary: "A link is invalid once the classic CVM's private IP changes; it must be added again",
    what: "The link a classic CVM holds (the one Tencent Cloud made of its listed links) whose recorded `ip` differs \
           from the CVM's current `ip`, or that an IP change invalidated although the CVM has that IP again \
           (`\"invalidated\": true`: changing the IP back does not restore the record). A listed link Tencent Cloud \
           refused was never made: its own rule says why, and attaching it again would be refused again.",
    why: "Changing a classic CVM's private IP invalidates its link: the old record no longer works, and the CVM \
          and the VPC cannot reach each other until the link is added again.",
    example: "`{ \"instance\": \"ins-web01\", \"vpc\": \"vpc-prod\", \"ip\": \"10.66.12.7\" }` while `ins-web01`'s \
              `ip` is now 10.66.12.9.",
    fix: "Detach the CVM from the VPC and attach it again (the new link records the current IP).",
    seed: "基础网络云服务器内网 IP 的变更，将导致私有网络关联失效，即原记录将失效。如需关联，请重新在私有网络控制台进行添加。",
    seed_docs: &["001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, c) in ctx.plan().classic.iter().enumerate() {
        // The link it holds (none when returned: its link went with it, CL012); a refused one is never invalid.
        let Some(l) = ctx.held_link(i) else { continue };
        if let Some(ip) = l.ip_before(c.ip) {
            let msg = format!(
                "{}'s link to {} was made for {ip}, but its private IP {}: the link is invalid; detach it and \
                 attach it again",
                c.id,
                l.vpc,
                ip_now(ip, c.ip)
            );
            out.push(INFO.finding(vec![c.id.to_string(), l.vpc.to_string()], msg));
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, objects, run};

    fn body(link_ip: Option<&str>, state: &str) -> String {
        let ip = link_ip.map_or(String::new(), |i| format!(r#", "ip": "{i}""#));
        format!(
            r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.9", "state": "{state}"}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}}],
               "links": [{{"instance": "ins-a", "vpc": "vpc-x"{ip}}}]"#
        )
    }

    #[test]
    fn each_way() {
        assert!(run("CL010", &body(None, "running")).is_empty());
        assert!(run("CL010", &body(Some("10.66.0.9"), "running")).is_empty());
        assert_eq!(
            run("CL010", &body(Some("10.66.0.8"), "running")),
            vec![(
                ids(&["ins-a", "vpc-x"]),
                "ins-a's link to vpc-x was made for 10.66.0.8, but its private IP is now 10.66.0.9: the link is \
                 invalid; detach it and attach it again"
                    .to_string()
            )]
        );
        assert_eq!(run("CL010", &body(Some("10.66.0.8"), "isolated")).len(), 1);
        // A returned CVM's link is gone anyway (CL012 says so).
        assert!(run("CL010", &body(Some("10.66.0.8"), "returned")).is_empty());
    }

    /// Only the link the CVM holds can be invalid: a listed link Tencent Cloud refused was never made (its own rule
    /// says why), and attaching it again would be refused again.
    #[test]
    fn only_the_held_link_counts() {
        let vpcs = r#""vpcs": [{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"},
                              {"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16"},
                              {"id": "vpc-out", "region": "r1", "cidr": "172.16.0.0/16"}]"#;
        let with = |links: &str| {
            format!(
                r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.9"}}], {vpcs},
                   "links": [{links}]"#
            )
        };
        let old = |vpc: &str| format!(r#"{{"instance": "ins-a", "vpc": "{vpc}", "ip": "10.66.0.8"}}"#);
        let now = |vpc: &str| format!(r#"{{"instance": "ins-a", "vpc": "{vpc}", "ip": "10.66.0.9"}}"#);
        let table = [
            // Outside 10.0-47 (CL001): never made.
            (old("vpc-out"), vec![]),
            // Refused, then the held link, made for the old IP: that one is invalid.
            (format!("{}, {}", old("vpc-out"), old("vpc-y")), vec![ids(&["ins-a", "vpc-y"])]),
            // The held link works; the second VPC was refused (CL002).
            (format!("{}, {}", now("vpc-x"), old("vpc-y")), vec![]),
            (format!("{}, {}", old("vpc-x"), now("vpc-y")), vec![ids(&["ins-a", "vpc-x"])]),
        ];
        for (links, want) in table {
            assert_eq!(objects("CL010", &with(&links)), want, "{links}");
        }
    }
}
