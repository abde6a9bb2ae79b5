//! CL020 `clb-not-shared`: a CLB cannot be shared between the classic network and a VPC.

use super::cl009_clb_binds_linked_cvm::linked_to;
use super::{id_list, Context, Rule, RuleInfo};
use crate::domain::finding::{Finding, Severity};
use crate::domain::model::{Kind, Name, State};

const INFO: RuleInfo = RuleInfo {
    id: "CL020",
    name: "clb-not-shared",
    severity: Severity::Error,
    summary: "A CLB cannot bind classic and VPC instances at once, even when they are interconnected",
    what: "A CLB whose backends mix classic instances and VPC instances, or that binds only instances of the other \
           network (a classic CLB binding VPC instances; a VPC CLB binding classic CVMs that are not linked to its \
           VPC - those linked to it are CL009's; a listed link Tencent Cloud refused links nothing).",
    why: "A CLB cannot be shared between the classic network and a VPC: even when the networks are interconnected \
          by Classiclink, one CLB cannot bind a VPC instance and a classic instance at the same time.",
    example: "`lb-old` (classic) with `backends: [\"ins-web01\", \"ins-app01\"]`, `ins-app01` being a VPC CVM, even \
              with `ins-web01` linked to `ins-app01`'s VPC.",
    fix: "Use one CLB per network: a classic CLB for the classic CVMs and a CLB in the VPC for the VPC instances.",
    seed: "ネットワークの相互接続が構築されていても、Cloud Load BalancerをVPCのインスタンスと基幹ネットワークのインスタンスに同時にバインドすることはできません。",
    seed_docs: &["002"],
    api_error: None,
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let shared = "a CLB cannot be shared between the classic network and a VPC, even when they are interconnected";
    let mut report = |lb: &str, classic: Vec<&str>, vpc: Vec<&str>, msg: String| {
        let mut objects = vec![lb.to_string()];
        objects.extend(classic.iter().chain(&vpc).map(|s| s.to_string()));
        out.push(INFO.finding(objects, msg));
    };
    for lb in ctx.plan().classic.iter().filter(|c| c.kind == Kind::Clb) {
        let (classic, vpc): (Vec<&str>, Vec<&str>) = split(ctx, &lb.backends);
        if vpc.is_empty() {
            continue;
        }
        let msg = if classic.is_empty() {
            format!("{} is a classic CLB but binds VPC instances ({}): {shared}", lb.id, id_list(&vpc))
        } else {
            format!(
                "{} binds classic instances ({}) and VPC instances ({}) at once: {shared}",
                lb.id,
                id_list(&classic),
                id_list(&vpc)
            )
        };
        report(&lb.id, classic, vpc, msg);
    }
    for &(v, lb) in ctx.clb_resources() {
        let (classic, vpc) = split(ctx, &lb.backends);
        if vpc.is_empty() {
            let classic: Vec<&str> = classic.into_iter().filter(|b| !linked_to(ctx, b, &v.id)).collect();
            if !classic.is_empty() {
                let msg = format!(
                    "{} is a CLB in {} but binds classic instances ({}): {shared}",
                    lb.id,
                    v.id,
                    id_list(&classic)
                );
                report(&lb.id, classic, vpc, msg);
            }
        } else if !classic.is_empty() {
            let msg = format!(
                "{} binds classic instances ({}) and VPC instances ({}) at once: {shared}",
                lb.id,
                id_list(&classic),
                id_list(&vpc)
            );
            report(&lb.id, classic, vpc, msg);
        }
    }
}

/// The backends that are classic instances and those that are VPC resources (unknown IDs are left out). A returned
/// instance is neither, in either network: returning it unbinds it (seed 000), as CL009 has it.
fn split<'b>(ctx: &Context<'_>, backends: &'b [Name]) -> (Vec<&'b str>, Vec<&'b str>) {
    let live = |b: &&Name| ctx.classic(b).is_some_and(|c| c.state != State::Returned);
    let classic = backends.iter().filter(live).map(Name::as_str).collect();
    let in_vpc = |b: &&Name| ctx.resource(b).is_some_and(|(_, r)| r.state != State::Returned);
    let vpc = backends.iter().filter(in_vpc).map(Name::as_str).collect();
    (classic, vpc)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, objects, run};

    fn body(classic_backends: &str, vpc_backends: &str, link: bool) -> String {
        let links = if link { r#"{"instance": "ins-a", "vpc": "vpc-x"}"# } else { "" };
        format!(
            r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1"}},
                           {{"id": "ins-b", "kind": "cvm", "region": "r1", "ip": "10.66.0.2"}},
                           {{"id": "lb-old", "kind": "clb", "region": "r1", "ip": "10.66.0.3", "backends": [{classic_backends}]}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "10.0.0.0/16",
                 "subnets": [{{"id": "sn", "cidr": "10.0.1.0/24"}}],
                 "resources": [{{"id": "ins-p", "kind": "cvm", "subnet": "sn", "ip": "10.0.1.5"}},
                               {{"id": "lb-x", "kind": "clb", "subnet": "sn", "ip": "10.0.1.6", "backends": [{vpc_backends}]}}]}}],
               "links": [{links}]"#
        )
    }

    /// A returned CVM is no backend (returning it unbinds it): a VPC CLB listing one beside a VPC instance shares
    /// nothing, as CL009 has it.
    #[test]
    fn a_returned_backend_is_not_counted() {
        let shared = body("", r#""ins-b", "ins-p""#, false);
        assert_eq!(run("CL020", &shared).len(), 1);
        let returned = shared.replacen(r#""ip": "10.66.0.2""#, r#""ip": "10.66.0.2", "state": "returned""#, 1);
        assert_eq!(run("CL020", &returned), vec![]);
        // So is a returned VPC instance behind a classic CLB, and a returned VPC CLB binds nothing (a classic
        // instance other than a CVM has no state).
        let vpc_backend = body(r#""ins-a", "ins-p""#, "", false);
        assert_eq!(run("CL020", &vpc_backend).len(), 1);
        let returned = |plan: &str, ip: &str| {
            plan.replacen(&format!(r#""ip": "{ip}""#), &format!(r#""ip": "{ip}", "state": "returned""#), 1)
        };
        assert_eq!(run("CL020", &returned(&vpc_backend, "10.0.1.5")), vec![], "ins-p returned");
        assert_eq!(run("CL020", &returned(&shared, "10.0.1.6")), vec![], "lb-x returned");
    }

    #[test]
    fn each_way() {
        let none: Vec<Vec<String>> = vec![];
        let table = [
            // Each CLB binds its own network only.
            (r#""ins-a", "ins-b""#, r#""ins-p""#, true, none.clone()),
            (r#""ins-a""#, "", false, none.clone()),
            // A classic CLB mixing: even when ins-a is linked to ins-p's VPC.
            (r#""ins-a", "ins-p""#, "", true, vec![ids(&["lb-old", "ins-a", "ins-p"])]),
            (r#""ins-a", "ins-p""#, "", false, vec![ids(&["lb-old", "ins-a", "ins-p"])]),
            (r#""ins-p""#, "", false, vec![ids(&["lb-old", "ins-p"])]),
            // A VPC CLB mixing.
            ("", r#""ins-p", "ins-b""#, false, vec![ids(&["lb-x", "ins-b", "ins-p"])]),
            ("", r#""ins-p", "ins-a""#, true, vec![ids(&["lb-x", "ins-a", "ins-p"])]),
            // A VPC CLB binding only an unlinked classic CVM.
            ("", r#""ins-b""#, true, vec![ids(&["lb-x", "ins-b"])]),
            // A VPC CLB binding only the CVM linked to its VPC: CL009's, not this rule's.
            ("", r#""ins-a""#, true, none.clone()),
            ("", r#""ins-a""#, false, vec![ids(&["lb-x", "ins-a"])]),
        ];
        for (cb, vb, link, want) in table {
            assert_eq!(objects("CL020", &body(cb, vb, link)), want, "{cb} | {vb} | {link}");
        }
    }

    /// A classic CVM whose listed link to the CLB's VPC Tencent Cloud refused is not linked to it: a VPC CLB binding
    /// it binds a classic CVM of another network (this rule's, not CL009's).
    #[test]
    fn a_refused_link_does_not_link() {
        let linked = body("", r#""ins-a""#, true);
        // ins-a in another region than vpc-x (CL004); ins-a linked to vpc-y first, so vpc-x is a second VPC (CL002).
        let other_region = linked.replacen(r#""region": "r1""#, r#""region": "r2""#, 1);
        let second = linked
            .replace(r#""links": ["#, r#""links": [{"instance": "ins-a", "vpc": "vpc-y"}, "#)
            .replace(r#""vpcs": ["#, r#""vpcs": [{"id": "vpc-y", "region": "r1", "cidr": "10.1.0.0/16"}, "#);
        let hit = vec![ids(&["lb-x", "ins-a"])];
        for (plan, want) in [(linked.clone(), vec![]), (other_region, hit.clone()), (second, hit)] {
            assert_eq!(objects("CL020", &plan), want, "{plan}");
        }
    }

    #[test]
    fn messages() {
        let tail = "a CLB cannot be shared between the classic network and a VPC, even when they are interconnected";
        assert_eq!(
            run("CL020", &body(r#""ins-a", "ins-p""#, "", true))[0].1,
            format!("lb-old binds classic instances (ins-a) and VPC instances (ins-p) at once: {tail}")
        );
        assert_eq!(
            run("CL020", &body(r#""ins-p""#, "", false))[0].1,
            format!("lb-old is a classic CLB but binds VPC instances (ins-p): {tail}")
        );
        assert_eq!(
            run("CL020", &body("", r#""ins-b""#, false))[0].1,
            format!("lb-x is a CLB in vpc-x but binds classic instances (ins-b): {tail}")
        );
    }
}
