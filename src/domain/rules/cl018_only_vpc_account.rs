//! CL018 `only-vpc-account`: an account registered after 2017-06-13 has no classic network.

use super::{count, id_list, Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::Platforms;

const INFO: RuleInfo = RuleInfo {
    id: "CL018",
    name: "only-vpc-account",
    severity: Severity::Error,
    summary: "A VPC-only account (registered after 2017-06-13) has no classic instances",
    what: "A plan whose account is `only-vpc` that still has classic instances.",
    why: "Accounts registered after 2017-06-13 have no classic network (`supportedPlatforms` is `only-vpc`): they \
          cannot create classic instances, so there is nothing to link. AttachClassicLinkVpc has no dedicated code \
          for it; the planner answers UnsupportedOperation.",
    example: "`\"account\": { \"platforms\": \"only-vpc\" }` and a `classic` list with `ins-web01`.",
    fix: "If the account really has a classic network, set `account.platforms` to `classic`; otherwise draw the \
          instances inside a VPC.",
    seed: "2017年6月13日后，新注册的账号已不支持基础网络，即无法在基础网络内创建实例（云服务器、负载均衡等），仅支持私有网络。",
    seed_docs: &["001"],
    api_error: Some("UnsupportedOperation"),
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let plan = ctx.plan();
    if plan.account.platforms != Platforms::OnlyVpc || plan.classic.is_empty() {
        return;
    }
    let ids: Vec<&str> = plan.classic.iter().map(|c| c.id.as_str()).collect();
    let msg = format!(
        "the account is VPC-only (registered after 2017-06-13) and has no classic network, yet the plan has {} ({})",
        count(ids.len(), "classic instance", "classic instances"),
        id_list(&ids)
    );
    out.push(INFO.finding(ids.iter().map(|s| s.to_string()).collect(), msg));
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, run};

    #[test]
    fn each_way() {
        let classic = r#""classic": [{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"},
                                     {"id": "cdb-1", "kind": "mysql", "region": "r1", "ip": "10.66.0.2"}]"#;
        let only = r#""account": {"platforms": "only-vpc"}"#;
        let classic_acct = r#""account": {"platforms": "classic"}"#;
        assert!(run("CL018", classic).is_empty());
        assert!(run("CL018", &format!("{classic_acct}, {classic}")).is_empty());
        assert!(run("CL018", only).is_empty());
        assert_eq!(
            run("CL018", &format!("{only}, {classic}")),
            vec![(
                ids(&["ins-a", "cdb-1"]),
                "the account is VPC-only (registered after 2017-06-13) and has no classic network, yet the plan has \
                 2 classic instances (ins-a, cdb-1)"
                    .to_string()
            )]
        );
    }
}
