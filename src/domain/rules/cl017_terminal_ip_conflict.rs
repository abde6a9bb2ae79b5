//! CL017 `terminal-ip-conflict`: a terminal connection's IP is not already used in its VPC.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};

const INFO: RuleInfo = RuleInfo {
    id: "CL017",
    name: "terminal-ip-conflict",
    severity: Severity::Error,
    summary: "A terminal connection's IP is free: no VPC resource, other mapping or linked CVM uses it",
    what: "A terminal connection whose `ip` is already held in its VPC: by a live resource of the VPC, by a classic \
           CVM holding a working link to it (one an IP change invalidated, CL010, routes no address), or by an \
           earlier terminal connection into it at that IP (the one made first \
           keeps the address; a connection Tencent Cloud would not make at all, CL014-CL016, holds none).",
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
    let plan = ctx.plan();
    for (i, t) in plan.terminal_connections.iter().enumerate() {
        // What holds the address before it (a connection Tencent Cloud would not make at all is its own rule's).
        let Some(holder) = ctx.terminal(i).taken_by else { continue };
        let holder = holder.id(plan);
        let msg = format!("{}'s IP {} in {} is already used by {holder}", t.id, t.ip, t.vpc);
        out.push(INFO.finding(vec![t.id.to_string(), holder.to_string()], msg));
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
        // Two connections at one address: the first made keeps it, and the second is the one refused.
        assert_eq!(
            run("CL017", &body("10.0.1.9", "vpc-x", "10.0.1.9")),
            vec![(ids(&["tc-2", "tc-1"]), "tc-2's IP 10.0.1.9 in vpc-x is already used by tc-1".to_string())]
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
        // ... a CVM holding the link, that is: one Tencent Cloud refuses (another region) holds no address.
        let refused = body("10.0.2.7", "vpc-y", "10.0.2.7").replace(
            r#"{"id": "ins-a", "kind": "cvm", "region": "r1""#,
            r#"{"id": "ins-a", "kind": "cvm", "region": "r2""#,
        );
        assert!(run("CL017", &refused).is_empty(), "{refused}");
        // A connection Tencent Cloud would not make (to a CVM: CL014) holds no address either: the one after it
        // keeps it.
        let to_cvm = body("10.0.1.9", "vpc-x", "10.0.1.9").replacen(
            r#""target": "cdb-1", "vpc": "vpc-x", "ip": "10.0.1.9""#,
            r#""target": "ins-a", "vpc": "vpc-x", "ip": "10.0.1.9""#,
            1,
        );
        assert!(run("CL017", &to_cvm).is_empty(), "{to_cvm}");
    }

    /// The check and reachability agree on which connection keeps a contested address: the one CL017 does not
    /// name carries traffic, the one it names carries none.
    #[test]
    fn the_connection_cl017_names_is_the_one_reach_refuses() {
        use crate::domain::{reach, Endpoint, Protocol};
        let text = format!(
            r#"{{"format": "classiclink-plan", "version": 1, {}}}"#,
            body("10.0.1.9", "vpc-x", "10.0.1.9").replacen(r#""target": "cdb-1""#, r#""target": "cdb-2""#, 1)
        )
        .replace(
            r#"{"id": "cdb-1", "kind": "mysql", "region": "r1", "ip": "10.66.0.1"},"#,
            r#"{"id": "cdb-1", "kind": "mysql", "region": "r1", "ip": "10.66.0.1"},
               {"id": "cdb-2", "kind": "mysql", "region": "r1", "ip": "10.66.0.2"},"#,
        );
        let plan = crate::domain::import(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let named: Vec<String> = crate::domain::check(&plan)
            .findings
            .iter()
            .filter(|f| f.rule == "CL017")
            .map(|f| f.objects[0].clone())
            .collect();
        assert_eq!(named, ["tc-2"]);
        let ask = |to: &str| reach(&plan, &Endpoint::from("ins-p"), &Endpoint::from(to), Protocol::Tcp, 3306).unwrap();
        // tc-1 maps cdb-2, tc-2 maps cdb-1, both at 10.0.1.9.
        assert!(ask("cdb-2").reachable, "{:?}", ask("cdb-2"));
        assert!(!ask("cdb-1").reachable, "{:?}", ask("cdb-1"));
        assert!(ask("cdb-1").message.contains("tc-2"), "{:?}", ask("cdb-1"));
    }
}
