//! CL011 `linked-not-running`: a stopped or isolated linked CVM stays linked.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::{Kind, State};

const INFO: RuleInfo = RuleInfo {
    id: "CL011",
    name: "linked-not-running",
    severity: Severity::Info,
    summary:
        "A stopped or isolated CVM stays linked (isolation, migration, failover, reconfiguration, OS switch: no unlink)",
    what: "A classic CVM holding a link (one Tencent Cloud made: a link it refused stays nothing) whose state is \
           stopped, isolated (arrears) or security isolated.",
    why: "Isolation for arrears, security isolation, cold migration, failover, configuration change and OS switch \
          do not unlink a CVM: the link stays and works again as soon as the CVM runs. Until then the CVM does not \
          answer, so flows to and from it fail.",
    example: "`ins-web01` with `\"state\": \"isolated\"` and a link to `vpc-prod`.",
    fix: "Nothing to do for the link. Renew the CVM (isolated for arrears), have its security isolation lifted, or \
          start it, for its traffic to flow again. Returning (releasing) it instead removes the link.",
    seed: "The interconnection relationship with VPC will not be unbound by actions against the CVM such as \
           isolation due to arrears, security isolation, cold migration, failover, configuration modification, \
           operating system switching and so on.",
    seed_docs: &["000", "001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

/// How a message says a state.
pub(crate) fn state_phrase(s: State) -> &'static str {
    match s {
        State::Running => "running",
        State::Stopped => "stopped",
        State::Isolated => "isolated for arrears",
        State::SecurityIsolated => "under security isolation",
        State::Returned => "returned",
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, c) in ctx.plan().classic.iter().enumerate() {
        if c.kind != Kind::Cvm || matches!(c.state, State::Running | State::Returned) {
            continue;
        }
        // The link it holds: one Tencent Cloud refused (CL001, CL004, ...) was never made, and stays nothing.
        let Some(l) = ctx.held_link(i) else { continue };
        let state = state_phrase(c.state);
        // Invalid as CL010 judges it: another IP, or one changed and changed back.
        let msg = match l.ip_before(c.ip) {
            Some(_) => format!(
                "{} is {state} and stays linked to {}, by a link invalid since its IP changed (CL010)",
                c.id, l.vpc
            ),
            None => format!("{} is {state} and stays linked to {}; its traffic flows again once it runs", c.id, l.vpc),
        };
        out.push(INFO.finding(vec![c.id.to_string(), l.vpc.to_string()], msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    #[test]
    fn every_state() {
        let table = [
            ("running", None),
            ("stopped", Some("ins-a is stopped and stays linked to vpc-x; its traffic flows again once it runs")),
            (
                "isolated",
                Some("ins-a is isolated for arrears and stays linked to vpc-x; its traffic flows again once it runs"),
            ),
            (
                "security_isolated",
                Some(
                    "ins-a is under security isolation and stays linked to vpc-x; its traffic flows again once it runs",
                ),
            ),
            ("returned", None),
        ];
        for (state, want) in table {
            let body = format!(
                r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.9", "state": "{state}"}}],
                   "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}}],
                   "links": [{{"instance": "ins-a", "vpc": "vpc-x"}}, {{"instance": "ins-a", "vpc": "vpc-x"}}]"#
            );
            let want: Vec<_> = want.into_iter().map(|m| (ids(&["ins-a", "vpc-x"]), m.to_string())).collect();
            assert_eq!(run("CL011", &body), want, "{state}");
        }
    }

    /// Only the link the CVM holds stays: one Tencent Cloud refused was never made, and an invalid one says so.
    #[test]
    fn a_refused_link_does_not_stay_and_an_invalid_one_says_so() {
        let body = |links: &str| {
            format!(
                r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.9", "state": "stopped"}}],
                   "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}},
                            {{"id": "vpc-out", "region": "r1", "cidr": "172.16.0.0/16"}}],
                   "links": [{links}]"#
            )
        };
        assert!(run("CL011", &body(r#"{"instance": "ins-a", "vpc": "vpc-out"}"#)).is_empty());
        assert_eq!(
            run("CL011", &body(r#"{"instance": "ins-a", "vpc": "vpc-out"}, {"instance": "ins-a", "vpc": "vpc-x"}"#)),
            vec![(
                ids(&["ins-a", "vpc-x"]),
                "ins-a is stopped and stays linked to vpc-x; its traffic flows again once it runs".to_string()
            )]
        );
        // Invalid by another IP, or by an IP changed and changed back (as CL010 judges it).
        for link in [
            r#"{"instance": "ins-a", "vpc": "vpc-x", "ip": "10.66.0.1"}"#,
            r#"{"instance": "ins-a", "vpc": "vpc-x", "ip": "10.66.0.9", "invalidated": true}"#,
        ] {
            assert_eq!(
                run("CL011", &body(link)),
                vec![(
                    ids(&["ins-a", "vpc-x"]),
                    "ins-a is stopped and stays linked to vpc-x, by a link invalid since its IP changed (CL010)"
                        .to_string()
                )],
                "{link}"
            );
        }
    }

    #[test]
    fn unlinked_isolated_cvm_is_not_reported() {
        let body =
            r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.9", "state": "stopped"}]"#;
        assert!(run("CL011", body).is_empty());
    }
}
