//! CL003 `links-per-vpc`: a VPC accepts at most `quotas.links_per_vpc` (default 100) linked classic CVMs.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};

const INFO: RuleInfo = RuleInfo {
    id: "CL003",
    name: "links-per-vpc",
    severity: Severity::Error,
    summary: "A VPC accepts at most 100 linked classic CVMs (the plan's quotas.links_per_vpc)",
    what: "A VPC with more linked classic CVMs than the quota `quotas.links_per_vpc` (100 unless the plan says \
           otherwise). Links count in plan order, as Tencent Cloud would attach them, each CVM once; returned CVMs, \
           non-CVM instances and links Tencent Cloud refuses for another reason (a VPC outside 10.0-47, another \
           region, a CVM linked elsewhere already, a VPC-only account) do not count.",
    why: "Tencent Cloud's quota `vpc-max-basic-network-interconnections` is 100 classic CVMs per VPC; \
          AttachClassicLinkVpc answers LimitExceeded past it.",
    example: "`vpc-prod` with 101 links under the default quota.",
    fix: "Spread the CVMs over several VPCs in the range (each CVM then reaches only the VPC it is linked to: a \
          link is not transitive through a peering or CCN), migrate some CVMs into the VPC, or record a raised \
          quota in `quotas.links_per_vpc`.",
    seed: "1个私有网络最多支持关联100台基础网络云服务器。",
    seed_docs: &["001"],
    api_error: Some("LimitExceeded"),
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let limit = ctx.plan().quotas.links_per_vpc as usize;
    for (i, v) in ctx.plan().vpcs.iter().enumerate() {
        let Some(n) = ctx.linking(i) else { return };
        if n > limit {
            let msg = format!("{} has {n} linked classic CVMs; the limit is {limit}", v.id);
            out.push(INFO.finding(vec![v.id.to_string()], msg));
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    /// `n` CVMs (the first `returned` of them returned) all linked to vpc-prod; `quota` if given.
    fn body(n: usize, returned: usize, quota: Option<u32>, dup: bool) -> String {
        let classic: Vec<String> = (0..n)
            .map(|i| {
                let state = if i < returned { "returned" } else { "running" };
                format!(
                    r#"{{"id": "ins-{i}", "kind": "cvm", "region": "r1", "ip": "10.66.{}.{}", "state": "{state}"}}"#,
                    i / 200,
                    i % 200 + 1
                )
            })
            .collect();
        let mut links: Vec<String> =
            (0..n).map(|i| format!(r#"{{"instance": "ins-{i}", "vpc": "vpc-prod"}}"#)).collect();
        if dup && n > 0 {
            links.push(links[n - 1].clone());
        }
        let quota = quota.map_or(String::new(), |q| format!(r#""quotas": {{"links_per_vpc": {q}}},"#));
        format!(
            r#"{quota} "classic": [{}], "vpcs": [{{"id": "vpc-prod", "region": "r1", "cidr": "10.0.0.0/16"}}],
               "links": [{}]"#,
            classic.join(","),
            links.join(",")
        )
    }

    #[test]
    fn default_quota_edges() {
        assert!(run("CL003", &body(100, 0, None, false)).is_empty());
        assert_eq!(
            run("CL003", &body(101, 0, None, false)),
            vec![(ids(&["vpc-prod"]), "vpc-prod has 101 linked classic CVMs; the limit is 100".to_string())]
        );
    }

    #[test]
    fn plan_quota_edges_and_what_counts() {
        let table = [
            (2, 0, Some(2), false, None),
            (3, 0, Some(2), false, Some("vpc-prod has 3 linked classic CVMs; the limit is 2")),
            // A returned CVM's link is gone.
            (3, 1, Some(2), false, None),
            // The same CVM listed twice counts once (CL002 reports the duplicate).
            (2, 0, Some(2), true, None),
            (3, 0, Some(3), true, None),
            (1, 0, Some(1), false, None),
        ];
        for (n, returned, quota, dup, want) in table {
            let got: Vec<String> = run("CL003", &body(n, returned, quota, dup)).into_iter().map(|(_, m)| m).collect();
            let want: Vec<String> = want.into_iter().map(str::to_string).collect();
            assert_eq!(got, want, "n={n} returned={returned} quota={quota:?} dup={dup}");
        }
    }

    /// Links Tencent Cloud refuses for another reason (another region, a CVM linked elsewhere already) take no place
    /// in the quota: counted in plan order, as the links would be attached.
    #[test]
    fn refused_links_take_no_place() {
        let plan = |links: &str| {
            format!(
                r#""quotas": {{"links_per_vpc": 1}},
                "classic": [{{"id": "ins-bj", "kind": "cvm", "region": "bj", "ip": "10.66.0.1"}},
                            {{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.2"}},
                            {{"id": "ins-b", "kind": "cvm", "region": "r1", "ip": "10.66.0.3"}},
                            {{"id": "ins-c", "kind": "cvm", "region": "r1", "ip": "10.66.0.4"}}],
                "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}},
                         {{"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16"}}],
                "links": [{links}]"#
            )
        };
        let link = |i: &str, v: &str| format!(r#"{{"instance": "{i}", "vpc": "{v}"}}"#);
        // ins-bj is in another region; ins-a holds its link to vpc-x before asking for vpc-y.
        let fine = [link("ins-bj", "vpc-y"), link("ins-a", "vpc-x"), link("ins-a", "vpc-y"), link("ins-b", "vpc-y")];
        assert!(run("CL003", &plan(&fine.join(","))).is_empty());
        // A CVM refused for the quota, asking again after a refusal elsewhere, counts once.
        let again = [
            link("ins-b", "vpc-y"),
            link("ins-c", "vpc-x"),
            link("ins-a", "vpc-y"),
            link("ins-a", "vpc-x"),
            link("ins-a", "vpc-y"),
        ];
        let got: Vec<String> = run("CL003", &plan(&again.join(","))).into_iter().map(|(_, m)| m).collect();
        let want =
            ["vpc-x has 2 linked classic CVMs; the limit is 1", "vpc-y has 2 linked classic CVMs; the limit is 1"];
        assert_eq!(got, want);
        let full = [link("ins-a", "vpc-y"), link("ins-b", "vpc-y")];
        assert_eq!(
            run("CL003", &plan(&full.join(","))),
            vec![(ids(&["vpc-y"]), "vpc-y has 2 linked classic CVMs; the limit is 1".to_string())]
        );
    }
}
