//! CL006 `vpc-to-classic-non-cvm`: VPC resources reach classic CVMs only, not classic CLBs or databases, unless a
//! terminal connection maps the instance into the VPC.

use super::{id_list, Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::{Kind, Vpc};
use rustc_hash::FxHashMap as HashMap;

const INFO: RuleInfo = RuleInfo {
    id: "CL006",
    name: "vpc-to-classic-non-cvm",
    severity: Severity::Info,
    summary: "VPC resources reach linked classic CVMs only, not classic CLBs or databases",
    what: "A classic instance that is not a CVM (CLB, MySQL, Memcached, Redis, MongoDB, ...) in a region where a \
           VPC has linked classic CVMs (links Tencent Cloud made), with no terminal connection it would make mapping \
           it into that VPC.",
    why: "Classiclink lets VPC resources reach the linked classic CVMs, not the classic network's other products: \
          the VPC's CVMs cannot open a connection to the classic database or load balancer.",
    example: "A classic MySQL `cdb-orders` in ap-guangzhou and `vpc-prod` (ap-guangzhou) with linked CVMs, but no \
              terminal connection for `cdb-orders`.",
    fix: "If VPC resources must reach it, add a terminal connection (CLB, MySQL, Memcached, Redis and MongoDB \
          only) mapping it to a free IP of the VPC, or migrate it into the VPC. Otherwise nothing to do.",
    seed: "The access to such resources as basic network CDB, CMEM and LB is not supported for the CVM in the VPC",
    seed_docs: &["000", "001"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let plan = ctx.plan();
    // Nothing to say without a classic instance that is not a CVM (most plans at scale): the links are not read.
    if plan.classic.iter().all(|c| c.kind == Kind::Cvm) {
        return;
    }
    // The VPCs a classic CVM holds a link to: a link Tencent Cloud refused brings no VPC resource near the classic
    // network.
    let mut linked_by_region: HashMap<&str, Vec<&Vpc>> = HashMap::default();
    for v in plan.vpcs.iter().filter(|v| !ctx.held_links(&v.id).is_empty()) {
        linked_by_region.entry(v.region.as_str()).or_default().push(v);
    }
    // The (target, VPC) pairs a terminal connection Tencent Cloud would make maps, at an address of its own (CL014,
    // CL015, CL016 and CL017 find the others).
    let mapped: rustc_hash::FxHashSet<(&str, &str)> = (0..plan.terminal_connections.len())
        .filter(|&t| ctx.terminal(t).works())
        .map(|t| (plan.terminal_connections[t].target.as_str(), plan.terminal_connections[t].vpc.as_str()))
        .collect();
    for c in &plan.classic {
        if c.kind == Kind::Cvm {
            continue;
        }
        let Some(vpcs) = linked_by_region.get(c.region.as_str()) else { continue };
        let missing: Vec<&str> =
            vpcs.iter().filter(|v| !mapped.contains(&(c.id.as_str(), v.id.as_str()))).map(|v| v.id.as_str()).collect();
        if missing.is_empty() {
            continue;
        }
        let how = if c.kind.terminal_connectable() {
            "a terminal connection would map it into the VPC".to_string()
        } else {
            format!("no terminal connection serves a classic {}", c.kind.label())
        };
        let msg = format!(
            "resources of {} cannot reach {} (classic {}): VPC resources reach only linked classic CVMs; {how}",
            id_list(&missing),
            c.id,
            c.kind.label()
        );
        let mut objects = vec![c.id.to_string()];
        objects.extend(missing.iter().map(|s| s.to_string()));
        out.push(INFO.finding(objects, msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, objects, run};

    fn body(kind: &str, db_region: &str, linked: bool, terminal: bool) -> String {
        let links = if linked { r#"{"instance": "ins-a", "vpc": "vpc-x"}"# } else { "" };
        let tc = if terminal { r#"{"id": "tc-1", "target": "db-1", "vpc": "vpc-x", "ip": "10.0.0.9"}"# } else { "" };
        format!(
            r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}},
                           {{"id": "db-1", "kind": "{kind}", "region": "{db_region}", "ip": "10.66.0.2"}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16"}},
                        {{"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16"}}],
               "links": [{links}], "terminal_connections": [{tc}]"#
        )
    }

    #[test]
    fn each_way() {
        let hit = vec![ids(&["db-1", "vpc-x"])];
        let none: Vec<Vec<String>> = vec![];
        let table = [
            ("mysql", "r1", true, false, hit.clone()),
            ("clb", "r1", true, false, hit.clone()),
            ("postgresql", "r1", true, false, hit.clone()),
            // A terminal connection into the linked VPC answers it.
            ("mysql", "r1", true, true, none.clone()),
            // No VPC of the region has links: Classiclink is not in use there.
            ("mysql", "r1", false, false, none.clone()),
            ("mysql", "r2", true, false, none.clone()),
            ("cvm", "r1", true, false, none.clone()),
        ];
        for (kind, region, linked, terminal, want) in table {
            assert_eq!(
                objects("CL006", &body(kind, region, linked, terminal)),
                want,
                "{kind} {region} {linked} {terminal}"
            );
        }
    }

    /// Only links Tencent Cloud made bring a VPC near the classic network, and only connections it would make
    /// map the instance into it.
    #[test]
    fn refused_links_and_unusable_connections_count_for_nothing() {
        let mysql = body("mysql", "r1", true, true);
        let refused_link = mysql.replace(
            r#""vpc-x", "region": "r1", "cidr": "10.0.0.0/16""#,
            r#""vpc-x", "region": "r1", "cidr": "172.16.0.0/16""#,
        );
        assert_eq!(objects("CL006", &refused_link), Vec::<Vec<String>>::new(), "{refused_link}");
        let outside = mysql.replace(r#""ip": "10.0.0.9""#, r#""ip": "10.9.0.9""#);
        assert_eq!(objects("CL006", &outside), vec![ids(&["db-1", "vpc-x"])], "{outside}");
        let taken = mysql.replace(r#""ip": "10.66.0.1""#, r#""ip": "10.0.0.9""#);
        assert_eq!(objects("CL006", &taken), vec![ids(&["db-1", "vpc-x"])], "{taken}");
        let postgres = body("postgresql", "r1", true, true);
        assert_eq!(objects("CL006", &postgres), vec![ids(&["db-1", "vpc-x"])], "{postgres}");
    }

    #[test]
    fn messages() {
        assert_eq!(
            run("CL006", &body("mysql", "r1", true, false))[0].1,
            "resources of vpc-x cannot reach db-1 (classic MySQL): VPC resources reach only linked classic CVMs; \
             a terminal connection would map it into the VPC"
        );
        assert!(run("CL006", &body("sqlserver", "r1", true, false))[0]
            .1
            .ends_with("no terminal connection serves a classic SQL Server"));
    }
}
