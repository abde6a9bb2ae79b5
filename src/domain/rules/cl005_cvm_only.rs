//! CL005 `cvm-only`: only classic CVMs are linked to a VPC.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::Kind;

const INFO: RuleInfo = RuleInfo {
    id: "CL005",
    name: "cvm-only",
    severity: Severity::Error,
    summary: "Only classic CVMs are linked to a VPC",
    what: "A link naming a classic instance that is not a CVM (a CLB, a database, a cache).",
    why: "Classiclink links classic CVMs to a VPC and nothing else; AttachClassicLinkVpc refuses other instances \
          (UnsupportedOperation: no dedicated code is documented).",
    example: "`{ \"instance\": \"cdb-orders\", \"vpc\": \"vpc-prod\" }` where `cdb-orders` is a classic MySQL.",
    fix: "Remove the link. To let VPC resources reach a classic CLB, MySQL, Memcached, Redis or MongoDB, add a \
          terminal connection for it instead; other kinds must be migrated into the VPC.",
    seed: "The network communication between CVM within basic network and a specified VPC can be achieved by \
           linking the CVM with the VPC.",
    seed_docs: &["000", "001"],
    api_error: Some("UnsupportedOperation"),
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (l, c) in ctx.links() {
        let Some(c) = c else { continue };
        if c.kind == Kind::Cvm || ctx.repeats(l) {
            continue;
        }
        let hint = if c.kind.terminal_connectable() {
            format!(" (a terminal connection maps a classic {} into a VPC)", c.kind.label())
        } else {
            String::new()
        };
        let msg = format!(
            "{} is a {} instance, not a CVM: only classic CVMs can be linked to {}{hint}",
            c.id,
            c.kind.label(),
            l.vpc
        );
        out.push(INFO.finding(vec![c.id.to_string(), l.vpc.to_string()], msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    #[test]
    fn every_kind() {
        for kind in crate::domain::model::Kind::ALL {
            let body = format!(
                r#""classic": [{{"id": "x-1", "kind": "{kind}", "region": "r1", "ip": "10.66.0.1"}}],
                   "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}}],
                   "links": [{{"instance": "x-1", "vpc": "vpc-x"}}]"#
            );
            let got = run("CL005", &body);
            if kind.is_cvm() {
                assert!(got.is_empty(), "{kind}");
            } else {
                assert_eq!(got.len(), 1, "{kind}");
                assert_eq!(got[0].0, ids(&["x-1", "vpc-x"]));
                assert!(
                    got[0].1.starts_with(&format!("x-1 is a {} instance, not a CVM", kind.label())),
                    "{}",
                    got[0].1
                );
                assert_eq!(got[0].1.contains("terminal connection"), kind.terminal_connectable(), "{kind}");
            }
        }
    }

    /// A link listed twice is one problem, said once; the same instance listed to another VPC is another.
    #[test]
    fn a_repeated_link_is_said_once() {
        let body = r#""classic": [{"id": "cdb-1", "kind": "mysql", "region": "r1", "ip": "10.66.0.1"}],
                   "vpcs": [{"id": "vpc-x", "region": "r1", "cidr": "10.1.0.0/16"},
                            {"id": "vpc-y", "region": "r1", "cidr": "10.2.0.0/16"}],
                   "links": [{"instance": "cdb-1", "vpc": "vpc-x"}, {"instance": "cdb-1", "vpc": "vpc-x"},
                             {"instance": "cdb-1", "vpc": "vpc-y"}]"#;
        let found: Vec<_> = run("CL005", body).into_iter().map(|(o, _)| o).collect();
        assert_eq!(found, vec![ids(&["cdb-1", "vpc-x"]), ids(&["cdb-1", "vpc-y"])]);
    }
}
