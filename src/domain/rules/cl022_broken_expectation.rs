//! CL022 `broken-expectation`: every expectation of the plan holds.
//!
//! The check ([`crate::domain::check()`]) asks reachability for each expectation and hands the answers to the
//! context; this rule turns each one that does not hold into a finding naming the flow and the reason code.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::Expectation;

const INFO: RuleInfo = RuleInfo {
    id: "CL022",
    name: "broken-expectation",
    severity: Severity::Error,
    summary: "Every expectation of the plan holds",
    what: "An entry of `expectations` whose reachability answer differs from its `reachable`: a flow the plan \
           needs is blocked (the finding names the reason code and the blocking object), or a flow the plan forbids \
           gets through.",
    why: "Expectations are the plan's own contract. A linked classic CVM reaches the VPC's CVMs, databases, \
          private CLBs and caches, but only through the primary CIDR, not transitively, and through both sides' \
          security groups and the subnet's network ACL: any of those can break a flow the plan relies on.",
    example: "`{ \"from\": \"ins-web01\", \"to\": \"cdb-vpc1\", \"protocol\": \"TCP\", \"port\": 3306, \
              \"reachable\": true }` while `cdb-vpc1` is bound to `sg-app`, which allows only ports 22 and 80.",
    fix: "Follow the reason: link the CVM (NOT_LINKED), re-attach it (LINK_INVALID), move the resource into the \
          primary CIDR (SECONDARY_CIDR), add a terminal connection (CLASSIC_NON_CVM), open the security group or ACL \
          rule named, or correct the expectation. CROSS_REGION has no link to add: links and terminal connections \
          stay within one region, so the flow needs a VPC in the classic instance's region.",
    seed: "After being linked with the VPC, the basic network CVM can access such computing resources as CVM, cloud \
           database, private network cloud load balancer and cloud cache within the VPC.",
    seed_docs: &["000", "001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

/// The flow an expectation asks about: `ins-a -> ins-b TCP 22`, `ins-a -> 10.0.0.1 ICMP`.
pub(crate) fn flow(e: &Expectation) -> String {
    let p = e.protocol();
    if p.has_ports() {
        format!("{} -> {} {} {}", e.from, e.to, p, e.port())
    } else {
        format!("{} -> {} {}", e.from, e.to, p)
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for r in ctx.expectations().iter().filter(|r| !r.holds) {
        let Some(e) = ctx.plan().expectations.get(r.index) else { continue };
        let a = &r.answer;
        let mut objects = vec![e.from.to_string(), e.to.to_string()];
        let msg = if e.reachable {
            if let Some(b) = &a.blocked_by {
                if !objects.contains(&b.object) {
                    objects.push(b.object.clone());
                }
            }
            let reason = a.reason.map_or(String::new(), |r| format!("{r}: "));
            format!("expectation {}: {} must be reachable but is blocked ({reason}{})", r.index, flow(e), a.message)
        } else {
            format!("expectation {}: {} must be unreachable but is reachable", r.index, flow(e))
        };
        out.push(INFO.finding(objects, msg));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::check::ExpectationResult;
    use crate::domain::reach::{Answer, BlockedBy, Direction, Reason};
    use crate::domain::rules::testing::{ids, plan};

    /// Answers written by hand: this rule formats what reachability says, it does not compute it.
    fn answer(reachable: bool, reason: Option<Reason>, blocked: Option<&str>, message: &str) -> Answer {
        Answer {
            reachable,
            reason,
            blocked_by: blocked.map(|o| BlockedBy {
                object: o.to_string(),
                rule_index: Some(0),
                direction: Some(Direction::Ingress),
            }),
            hops: vec![],
            message: message.to_string(),
        }
    }

    #[test]
    fn only_expectations_that_do_not_hold_are_reported() {
        let p = plan(
            r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}],
               "vpcs": [{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16",
                 "subnets": [{"id": "sn", "cidr": "10.0.1.0/24"}],
                 "resources": [{"id": "ins-p", "kind": "cvm", "subnet": "sn", "ip": "10.0.1.5"}]}],
               "expectations": [
                 {"from": "ins-a", "to": "ins-p", "protocol": "TCP", "port": 3306, "reachable": true},
                 {"from": "ins-a", "to": "10.0.1.5", "protocol": "ICMP", "reachable": false},
                 {"from": "ins-p", "to": "ins-a", "reachable": true}]"#,
        );
        let results = vec![
            ExpectationResult {
                index: 0,
                holds: false,
                answer: answer(
                    false,
                    Some(Reason::SecurityGroup),
                    Some("sg-app"),
                    "sg-app ingress rule 0 drops TCP 3306",
                ),
            },
            ExpectationResult { index: 1, holds: false, answer: answer(true, None, None, "reachable") },
            ExpectationResult { index: 2, holds: true, answer: answer(true, None, None, "reachable") },
        ];
        let ctx = Context::with_expectations(&p, results);
        let got: Vec<(Vec<String>, String)> = RULE.run(&ctx).into_iter().map(|f| (f.objects, f.message)).collect();
        assert_eq!(
            got,
            vec![
                (
                    ids(&["ins-a", "ins-p", "sg-app"]),
                    "expectation 0: ins-a -> ins-p TCP 3306 must be reachable but is blocked (SECURITY_GROUP: sg-app \
                     ingress rule 0 drops TCP 3306)"
                        .to_string()
                ),
                (
                    ids(&["ins-a", "10.0.1.5"]),
                    "expectation 1: ins-a -> 10.0.1.5 ICMP must be unreachable but is reachable".to_string()
                ),
            ]
        );
        // Without answers (Context::new) the rule has nothing to say.
        assert!(RULE.run(&Context::new(&p)).is_empty());
    }

    #[test]
    fn flow_defaults_to_tcp_22() {
        let p = plan(
            r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}],
               "expectations": [{"from": "ins-a", "to": "10.0.0.1", "reachable": true},
                                {"from": "ins-a", "to": "10.0.0.1", "protocol": "ALL", "reachable": true},
                                {"from": "ins-a", "to": "10.0.0.1", "protocol": "UDP", "port": 53, "reachable": true}]"#,
        );
        assert_eq!(flow(&p.expectations[0]), "ins-a -> 10.0.0.1 TCP 22");
        assert_eq!(flow(&p.expectations[1]), "ins-a -> 10.0.0.1 ALL");
        assert_eq!(flow(&p.expectations[2]), "ins-a -> 10.0.0.1 UDP 53");
    }
}
