//! CL014 `terminal-kind`: a terminal connection maps a classic CLB, MySQL, Memcached, Redis or MongoDB only.

use super::{Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::Kind;

const INFO: RuleInfo = RuleInfo {
    id: "CL014",
    name: "terminal-kind",
    severity: Severity::Error,
    summary: "A terminal connection maps a classic CLB, MySQL, Memcached, Redis or MongoDB only",
    what: "A terminal connection whose target is a CVM or a classic product that terminal connections do not \
           support (MariaDB, PostgreSQL, SQL Server, TDSQL).",
    why: "Terminal connections support the classic CLB, MySQL, Memcached, Redis and MongoDB only; a CVM is linked \
          with Classiclink instead. The connection drawn cannot be created.",
    example: "`{ \"id\": \"tc-1\", \"target\": \"pg-1\", ... }` where `pg-1` is a classic PostgreSQL.",
    fix: "Link a CVM with Classiclink instead; migrate other products into the VPC.",
    seed: "目前终端连接支持的基础网络产品包括：CLB、MySQL、Memcached、Redis、MongoDB。",
    seed_docs: &["001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for t in &ctx.plan().terminal_connections {
        let Some(c) = ctx.classic(&t.target) else { continue };
        if c.kind.terminal_connectable() {
            continue;
        }
        let instead = if c.kind == Kind::Cvm { "; link the CVM instead" } else { "" };
        let msg = format!(
            "{} maps {} (a {}): terminal connections serve classic CLB, MySQL, Memcached, Redis and MongoDB \
             only{instead}",
            t.id,
            c.id,
            c.kind.label()
        );
        out.push(INFO.finding(vec![t.id.to_string(), c.id.to_string()], msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::model::Kind;
    use crate::domain::rules::testing::{ids, run};

    #[test]
    fn every_kind() {
        for kind in Kind::ALL {
            let body = format!(
                r#""classic": [{{"id": "x-1", "kind": "{kind}", "region": "r1", "ip": "10.66.0.1"}}],
                   "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}}],
                   "terminal_connections": [{{"id": "tc-1", "target": "x-1", "vpc": "vpc-x", "ip": "10.0.0.9"}}]"#
            );
            let got = run("CL014", &body);
            let ok = matches!(kind, Kind::Clb | Kind::Mysql | Kind::Memcached | Kind::Redis | Kind::Mongodb);
            assert_eq!(got.is_empty(), ok, "{kind}");
            if !ok {
                assert_eq!(got[0].0, ids(&["tc-1", "x-1"]));
                assert_eq!(got[0].1.ends_with("link the CVM instead"), kind == Kind::Cvm, "{}", got[0].1);
            }
        }
    }
}
