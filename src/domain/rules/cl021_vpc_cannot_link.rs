//! CL021 `vpc-cannot-link`: a VPC outside the Classiclink range cannot accept classic links (information).

use super::cl001_cidr_range::not_in_range;
use super::{count, id_list, Context, Rule, RuleInfo};
use crate::domain::addr::in_classiclink_range;
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::{Kind, Platforms, State};
use rustc_hash::FxHashMap as HashMap;

const INFO: RuleInfo = RuleInfo {
    id: "CL021",
    name: "vpc-cannot-link",
    severity: Severity::Info,
    summary: "A VPC outside 10.0.0.0/16 - 10.47.0.0/16 cannot accept classic links",
    what: "A VPC with no linked classic CVMs whose primary CIDR is outside the Classiclink range, in a region where \
           the (classic) account has classic CVMs.",
    why: "Such a VPC may collide with the classic network's addresses, so Tencent Cloud refuses to link classic \
          CVMs to it: attaching one answers UnsupportedOperation.CIDRUnSupportedClassicLink. Worth knowing before \
          planning a migration through it.",
    example: "`vpc-x` (172.16.0.0/16) in ap-guangzhou, with classic CVMs in ap-guangzhou.",
    fix: "Nothing to do unless classic CVMs must reach it: then link them to a VPC in the range instead.",
    seed: "如果您的私有网络网段不在此范围内，可能会与基础网络 IP 段冲突，导致无法关联基础网络云服务器，进而无法与基础网络云服务器通信。",
    seed_docs: &["000", "001"],
    api_error: Some("UnsupportedOperation.CIDRUnSupportedClassicLink"),
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let plan = ctx.plan();
    if plan.account.platforms != Platforms::Classic {
        return;
    }
    // Usually no VPC qualifies: then the CVMs are not grouped by region at all.
    let mut vpcs = plan.vpcs.iter().filter(|v| ctx.listed_links(&v.id).is_empty() && !in_classiclink_range(&v.cidr));
    let Some(first) = vpcs.next() else { return };
    let mut cvms: HashMap<&str, Vec<&str>> = HashMap::default();
    for c in plan.classic.iter().filter(|c| c.kind == Kind::Cvm && c.state != State::Returned) {
        cvms.entry(c.region.as_str()).or_default().push(c.id.as_str());
    }
    for v in std::iter::once(first).chain(vpcs) {
        let Some(ins) = cvms.get(v.region.as_str()) else { continue };
        let msg = format!(
            "{}'s CIDR {} {}: it cannot accept classic links ({} in {}: {})",
            v.id,
            v.cidr,
            not_in_range(&v.cidr),
            count(ins.len(), "classic CVM", "classic CVMs"),
            v.region,
            id_list(ins)
        );
        out.push(INFO.finding(vec![v.id.to_string()], msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, objects, run};

    fn body(platforms: &str, cidr: &str, cvm_region: &str, state: &str, linked: bool) -> String {
        let links = if linked { r#"{"instance": "ins-a", "vpc": "vpc-x"}"# } else { "" };
        format!(
            r#""account": {{"platforms": "{platforms}"}},
               "classic": [{{"id": "ins-a", "kind": "cvm", "region": "{cvm_region}", "ip": "10.66.0.1", "state": "{state}"}},
                           {{"id": "cdb-1", "kind": "mysql", "region": "r1", "ip": "10.66.0.2"}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "{cidr}"}}],
               "links": [{links}]"#
        )
    }

    #[test]
    fn each_way() {
        let hit = vec![ids(&["vpc-x"])];
        let none: Vec<Vec<String>> = vec![];
        let table = [
            ("classic", "172.16.0.0/16", "r1", "running", false, hit.clone()),
            ("classic", "10.48.0.0/16", "r1", "stopped", false, hit.clone()),
            ("classic", "10.32.0.0/11", "r1", "running", false, hit.clone()),
            ("classic", "10.47.255.0/24", "r1", "running", false, none.clone()),
            // Linked: CL001 reports it as an error instead.
            ("classic", "172.16.0.0/16", "r1", "running", true, none.clone()),
            // No classic CVM in the region (the MySQL cannot be linked anyway), or only a returned one.
            ("classic", "172.16.0.0/16", "r2", "running", false, none.clone()),
            ("classic", "172.16.0.0/16", "r1", "returned", false, none.clone()),
            ("only-vpc", "172.16.0.0/16", "r1", "running", false, none.clone()),
        ];
        for (p, cidr, region, state, linked, want) in table {
            assert_eq!(
                objects("CL021", &body(p, cidr, region, state, linked)),
                want,
                "{p} {cidr} {region} {state} {linked}"
            );
        }
        // The message says how the CIDR misses the range: outside it, reaching beyond it, or spanning several /16s.
        let one = "only one of them, or a part of one, can take classic links";
        for (cidr, how) in [
            ("172.16.0.0/16", "is outside 10.0.0.0/16 - 10.47.0.0/16".to_string()),
            ("10.0.0.0/8", format!("reaches beyond 10.0.0.0/16 - 10.47.0.0/16: {one}")),
            ("10.0.0.0/15", format!("spans several of 10.0.0.0/16 - 10.47.0.0/16: {one}")),
        ] {
            assert_eq!(
                run("CL021", &body("classic", cidr, "r1", "running", false))[0].1,
                format!("vpc-x's CIDR {cidr} {how}: it cannot accept classic links (1 classic CVM in r1: ins-a)")
            );
        }
    }
}
