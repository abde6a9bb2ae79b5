//! The whole check: every rule of the catalogue and every expectation of the plan.
//!
//! [`check`] asks reachability (one [`Network`], prepared for the expectations' endpoints) once per expectation,
//! indexes the plan once ([`Context`], reusing the IDs the network resolved), runs every rule of the [`catalogue`] on
//! it and sorts the findings deterministically: by severity (errors first), rule ID, objects, then message. Each rule
//! is linear in the plan, so the rules of a plan of 20 VPCs, 2,000 linked CVMs and 5,000 VPC resources take a few
//! milliseconds.
//!
//! [`check_rules`] runs the rules without asking reachability (no expectation results, so CL022 finds nothing):
//! for live feedback while a plan is being drawn.

use super::finding::Finding;
use super::model::{Expectation, Plan};
use super::net::Network;
use super::reach::Answer;
use super::rules::{catalogue, Context};
use super::sort;
use serde::Serialize;

/// The result of one expectation (`classiclink check`'s `expectations[]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectationResult {
    /// The expectation's index in the plan's `expectations`.
    pub index: usize,
    /// Whether the answer's `reachable` equals the expectation's.
    pub holds: bool,
    /// What reachability answered.
    pub answer: Answer,
}

/// Everything a check found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Every finding, sorted by severity, rule ID, objects and message.
    pub findings: Vec<Finding>,
    /// One result per expectation, in plan order.
    pub expectations: Vec<ExpectationResult>,
}

impl Report {
    /// Whether the check fails: any error finding or any expectation that does not hold (`classiclink check` exits
    /// 1 then).
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.severity == super::finding::Severity::Error)
            || self.expectations.iter().any(|e| !e.holds)
    }
}

/// Runs every rule and every expectation.
pub fn check(plan: &Plan) -> Report {
    // Only the expectations' endpoints are indexed: they are all the check asks about.
    let net = Network::for_endpoints(plan, plan.expectations.iter().flat_map(|e| [&e.from, &e.to]));
    let expectations: Vec<ExpectationResult> =
        plan.expectations.iter().enumerate().map(|(i, e)| evaluate(&net, i, e)).collect();
    // The rules read the references the network resolved.
    let ctx = Context::with_refs(plan, net.into_refs(), expectations);
    let findings = run_rules(&ctx);
    Report { findings, expectations: ctx.into_expectations() }
}

/// Runs every rule but asks no reachability question (expectations are not evaluated): sorted findings.
pub fn check_rules(plan: &Plan) -> Vec<Finding> {
    run_rules(&Context::new(plan))
}

/// Every rule on a prepared context, findings sorted.
pub fn run_rules(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for r in catalogue() {
        (r.check)(ctx, &mut findings);
    }
    sort(&mut findings);
    findings
}

/// Sorts findings by severity (errors first), rule ID, objects, then message.
pub fn sort(findings: &mut [Finding]) {
    sort::sort_by(findings, |a, b| {
        (a.severity, a.rule, &a.objects, &a.message).cmp(&(b.severity, b.rule, &b.objects, &b.message))
    });
}

/// Asks reachability for one expectation. An endpoint reachability cannot use (only possible in a plan that was
/// never validated) counts as unreachable, with the problem as the answer's message.
fn evaluate(net: &Network<'_>, index: usize, e: &Expectation) -> ExpectationResult {
    let answer = match net.reach(&e.from, &e.to, e.protocol(), e.port()) {
        Ok(a) => a,
        Err(err) => Answer { reachable: false, reason: None, blocked_by: None, hops: Vec::new(), message: err.message },
    };
    ExpectationResult { index, holds: answer.reachable == e.reachable, answer }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::finding::Severity;
    use crate::domain::rules::testing::plan;
    use std::fmt::Write;

    /// A plan breaking several rules at once, with no expectations (reachability is not asked).
    const MANY: &str = r#"
        "classic": [
          {"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1", "state": "isolated"},
          {"id": "ins-b", "kind": "cvm", "region": "r2", "ip": "10.66.0.2"},
          {"id": "cdb-1", "kind": "mysql", "region": "r1", "ip": "10.66.0.3"}],
        "vpcs": [
          {"id": "vpc-x", "region": "r1", "cidr": "172.16.0.0/16"},
          {"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16", "gateways": [{"id": "nat-1", "kind": "nat"}]},
          {"id": "vpc-z", "region": "r1", "cidr": "10.2.0.0/16"}],
        "links": [{"instance": "ins-a", "vpc": "vpc-x"}, {"instance": "ins-a", "vpc": "vpc-y"},
                  {"instance": "ins-b", "vpc": "vpc-y"}, {"instance": "ins-a", "vpc": "vpc-z"}]"#;

    #[test]
    fn findings_of_every_rule_sorted_by_severity_rule_and_objects() {
        let p = plan(MANY);
        let report = check(&p);
        assert!(report.expectations.is_empty());
        let got: Vec<String> =
            report.findings.iter().map(|f| format!("{} {} {}", f.severity, f.rule, f.objects.join(","))).collect();
        assert_eq!(
            got,
            [
                "error CL001 vpc-x,ins-a",
                // ins-a holds its link to vpc-y (Tencent Cloud refuses the one to vpc-x for CL001), so its link to
                // vpc-z is the second.
                "error CL002 ins-a,vpc-y,vpc-z",
                "error CL004 ins-b,vpc-y",
                "warning CL013 vpc-y,nat-1",
                "info CL006 cdb-1,vpc-y",
                // Only the link ins-a holds stays.
                "info CL011 ins-a,vpc-y",
            ]
        );
        assert!(report.failed());
        assert_eq!(check_rules(&p), report.findings);
        // Deterministic: the same plan, the same report.
        assert_eq!(check(&p), report);
    }

    #[test]
    fn the_reference_example() {
        let p = crate::domain::load::import(include_str!("../../tests/fixtures/plan-format-example.json")).unwrap();
        let got: Vec<String> =
            check_rules(&p).iter().map(|f| format!("{} {} {}", f.severity, f.rule, f.objects.join(","))).collect();
        assert_eq!(
            got,
            [
                "warning CL007 vpc-prod,ins-x01",
                "warning CL013 vpc-prod,vpngw-1,dcg-1,nat-1,pgw-1,pcx-1,ccn-1",
                "info CL006 lb-old,vpc-prod",
            ]
        );
    }

    #[test]
    fn a_clean_plan_has_no_findings() {
        let p = plan(
            r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}],
               "vpcs": [{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}],
               "links": [{"instance": "ins-a", "vpc": "vpc-x", "ip": "10.66.0.1"}]"#,
        );
        let report = check(&p);
        assert_eq!(report, Report::default());
        assert!(!report.failed());
    }

    #[test]
    fn warnings_and_infos_alone_do_not_fail() {
        let p = plan(
            r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1", "state": "stopped"}],
               "vpcs": [{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}],
               "links": [{"instance": "ins-a", "vpc": "vpc-x"}]"#,
        );
        let report = check(&p);
        assert_eq!(report.findings.len(), 1);
        assert_eq!(report.findings[0].severity, Severity::Info);
        assert!(!report.failed());
    }

    #[test]
    fn sort_orders_severity_then_rule_then_objects_then_message() {
        let f = |rule: &'static str, severity, objects: &[&str], message: &str| Finding {
            rule,
            severity,
            api_error: None,
            objects: objects.iter().map(|s| s.to_string()).collect(),
            message: message.to_string(),
        };
        let mut v = vec![
            f("CL001", Severity::Info, &["a"], "m"),
            f("CL009", Severity::Error, &["b"], "m"),
            f("CL002", Severity::Warning, &["a"], "m"),
            f("CL009", Severity::Error, &["a", "z"], "m"),
            f("CL009", Severity::Error, &["a"], "n"),
            f("CL009", Severity::Error, &["a"], "m"),
            f("CL003", Severity::Error, &["z"], "m"),
        ];
        sort(&mut v);
        let got: Vec<String> = v.iter().map(|f| format!("{}:{}:{}", f.rule, f.objects.join("+"), f.message)).collect();
        assert_eq!(got, ["CL003:z:m", "CL009:a:m", "CL009:a:n", "CL009:a+z:m", "CL009:b:m", "CL002:a:m", "CL001:a:m"]);
    }

    /// 20 VPCs, 2,000 linked CVMs (100 per VPC), 5,000 VPC resources, 200 security groups of 50 rules, terminal
    /// connections and CLBs: the rules stay linear.
    fn big_plan() -> Plan {
        let mut s = String::from(r#""classic": ["#);
        for i in 0..2000 {
            let sep = if i == 0 { "" } else { "," };
            let _ = write!(
                s,
                r#"{sep}{{"id": "ins-{i}", "kind": "cvm", "region": "r1", "ip": "10.66.{}.{}", "security_groups": ["sg-{}"]}}"#,
                i / 250,
                i % 250 + 1,
                i % 200
            );
        }
        for i in 0..20 {
            let _ = write!(s, r#",{{"id": "cdb-{i}", "kind": "mysql", "region": "r1", "ip": "10.67.0.{}"}}"#, i + 1);
        }
        s.push_str(r#"], "vpcs": ["#);
        for v in 0..20 {
            let sep = if v == 0 { "" } else { "," };
            let _ = write!(
                s,
                r#"{sep}{{"id": "vpc-{v}", "region": "r1", "cidr": "10.{v}.0.0/16", "assistant_cidrs": ["10.{}.0.0/16"],
                   "subnets": [{{"id": "sn-{v}", "cidr": "10.{v}.0.0/20"}}, {{"id": "sx-{v}", "cidr": "10.{}.0.0/24"}}],
                   "gateways": [{{"id": "nat-{v}", "kind": "nat"}}], "resources": ["#,
                100 + v,
                100 + v
            );
            for r in 0..250 {
                let sep = if r == 0 { "" } else { "," };
                let (kind, backends) = if r == 0 {
                    ("clb", format!(r#", "backends": ["r-{v}-1", "ins-{}"]"#, v * 100))
                } else {
                    ("cvm", String::new())
                };
                let _ = write!(
                    s,
                    r#"{sep}{{"id": "r-{v}-{r}", "kind": "{kind}", "subnet": "sn-{v}", "ip": "10.{v}.{}.{}", "security_groups": ["sg-{}"]{backends}}}"#,
                    r / 200,
                    r % 200 + 1,
                    r % 200
                );
            }
            s.push_str("]}");
        }
        s.push_str(r#"], "links": ["#);
        for i in 0..2000 {
            let sep = if i == 0 { "" } else { "," };
            let _ = write!(s, r#"{sep}{{"instance": "ins-{i}", "vpc": "vpc-{}"}}"#, i / 100);
        }
        s.push_str(r#"], "terminal_connections": ["#);
        for i in 0..20 {
            let sep = if i == 0 { "" } else { "," };
            let _ = write!(s, r#"{sep}{{"id": "tc-{i}", "target": "cdb-{i}", "vpc": "vpc-{i}", "ip": "10.{i}.9.9"}}"#);
        }
        s.push_str(r#"], "security_groups": ["#);
        for g in 0..200 {
            let sep = if g == 0 { "" } else { "," };
            let _ = write!(s, r#"{sep}{{"id": "sg-{g}", "ingress": ["#);
            for k in 0..50 {
                let sep = if k == 0 { "" } else { "," };
                let _ = write!(
                    s,
                    r#"{sep}{{"protocol": "TCP", "port": "{}", "cidr": "10.0.0.0/8", "action": "ACCEPT"}}"#,
                    k + 1
                );
            }
            s.push_str("]}");
        }
        s.push(']');
        plan(&s)
    }

    #[test]
    fn a_large_plan_is_checked_completely() {
        let p = big_plan();
        assert_eq!((p.vpcs.len(), p.links.len(), p.security_groups.len()), (20, 2000, 200));
        assert_eq!(p.vpcs.iter().map(|v| v.resources.len()).sum::<usize>(), 5000);
        let findings = check_rules(&p);
        let count = |rule: &str| findings.iter().filter(|f| f.rule == rule).count();
        // Each VPC: its CLB binds a CVM linked to it (CL009) and mixes networks (CL020), it has a NAT gateway
        // (CL013); each classic MySQL is mapped into one VPC only (CL006 for the other 19).
        assert_eq!(count("CL009"), 20);
        assert_eq!(count("CL020"), 20);
        assert_eq!(count("CL013"), 20);
        assert_eq!(count("CL006"), 20);
        assert_eq!(count("CL003"), 0);
        assert_eq!(findings.len(), 80, "{findings:#?}");
        // The speed is measured by `cargo bench --bench check`, not asserted here.
        assert_eq!(run_rules(&Context::new(&p)), findings, "deterministic");
    }
}
