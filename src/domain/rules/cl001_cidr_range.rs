//! CL001 `cidr-out-of-range`: a VPC with linked classic CVMs must have its primary CIDR inside one of
//! 10.0.0.0/16 ... 10.47.0.0/16.

use super::{count, id_list, Context, Rule, RuleInfo};
use crate::domain::addr::{in_classiclink_range, Cidr};
use crate::domain::finding::{Finding, Severity};

/// The Classiclink range as messages write it.
pub const RANGE: &str = "10.0.0.0/16 - 10.47.0.0/16";

/// Why `cidr` is no CIDR Classiclink takes, said of it: "is outside 10.0.0.0/16 - 10.47.0.0/16"; for a block wider
/// than a /16 within 10.0-47 (10.0.0.0/15), which "outside" would misdescribe, that it spans several of them; for
/// one that holds some of them and more (10.0.0.0/8), that it reaches beyond them.
pub fn not_in_range(cidr: &Cidr) -> String {
    let (first, last) = (u32::from(cidr.network()), u32::from(cidr.last()));
    let (low, high) = (u32::from_be_bytes([10, 0, 0, 0]), u32::from_be_bytes([10, 47, 255, 255]));
    let one = "only one of them, or a part of one, can take classic links";
    if first >= low && last <= high {
        format!("spans several of {RANGE}: {one}")
    } else if first <= high && last >= low {
        format!("reaches beyond {RANGE}: {one}")
    } else {
        format!("is outside {RANGE}")
    }
}

const INFO: RuleInfo = RuleInfo {
    id: "CL001",
    name: "cidr-out-of-range",
    severity: Severity::Error,
    summary: "A VPC with linked classic CVMs has its CIDR inside 10.0.0.0/16 - 10.47.0.0/16",
    what: "A VPC that has classic CVMs linked to it whose primary CIDR is not inside one of 10.0.0.0/16, \
           10.1.0.0/16, ... 10.47.0.0/16 (a subset such as 10.47.255.0/24 is fine; 10.48.0.0/16, 10.0.0.0/8 and \
           10.32.0.0/11 are not).",
    why: "Tencent Cloud enables Classiclink only for VPCs in that range, so that VPC addresses never collide with \
          the classic network's. AttachClassicLinkVpc refuses any other VPC, so the links drawn cannot exist.",
    example: "`vpc-x` with `cidr` 172.16.0.0/16 and a link `{ \"instance\": \"ins-web01\", \"vpc\": \"vpc-x\" }`.",
    fix: "Link the CVMs to a VPC whose CIDR is in the range (create one, e.g. 10.20.0.0/16), or remove the links.",
    seed: "Only the VPC with the network segment of 10.[0~47].0.0/16 and its subset is supported",
    seed_docs: &["000", "001"],
    api_error: Some("UnsupportedOperation.CIDRUnSupportedClassicLink"),
};

/// The rule.
pub const RULE: Rule = Rule { info: INFO, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for v in &ctx.plan().vpcs {
        let live = ctx.listed_links(&v.id);
        if live.is_empty() || in_classiclink_range(&v.cidr) {
            continue;
        }
        let ins: Vec<&str> = live.iter().map(|(l, _)| l.instance.as_str()).collect();
        let mut objects = vec![v.id.to_string()];
        objects.extend(ins.iter().map(|s| s.to_string()));
        let msg = format!(
            "{}'s CIDR {} {}, so Tencent Cloud refuses the {} listed as linked to it ({})",
            v.id,
            v.cidr,
            not_in_range(&v.cidr),
            count(ins.len(), "classic CVM", "classic CVMs"),
            id_list(&ins)
        );
        out.push(INFO.finding(objects, msg));
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::rules::testing::{ids, objects, run};

    fn body(cidr: &str, state: &str, linked: bool) -> String {
        let links = if linked { r#", "links": [{"instance": "ins-a", "vpc": "vpc-x"}]"# } else { "" };
        format!(
            r#""classic": [{{"id": "ins-a", "kind": "cvm", "region": "r1", "ip": "10.66.0.1", "state": "{state}"}}],
               "vpcs": [{{"id": "vpc-x", "region": "r1", "cidr": "{cidr}"}}] {links}"#
        )
    }

    #[test]
    fn range_edges() {
        let table = [
            ("10.0.0.0/16", true, false),
            ("10.47.0.0/16", true, false),
            ("10.47.255.0/24", true, false),
            ("10.20.3.0/28", true, false),
            ("10.48.0.0/16", true, true),
            ("10.32.0.0/11", true, true),
            ("10.0.0.0/8", true, true),
            ("172.16.0.0/16", true, true),
            ("192.168.0.0/16", true, true),
            // Unlinked VPCs are CL021's business, not this rule's.
            ("172.16.0.0/16", false, false),
            ("10.48.0.0/16", false, false),
        ];
        for (cidr, linked, want) in table {
            let got = objects("CL001", &body(cidr, "running", linked));
            let want: Vec<Vec<String>> = if want { vec![ids(&["vpc-x", "ins-a"])] } else { vec![] };
            assert_eq!(got, want, "{cidr} linked={linked}");
        }
    }

    #[test]
    fn message_names_the_vpc_cidr_and_links() {
        let got = run("CL001", &body("172.16.0.0/16", "running", true));
        assert_eq!(got[0].1, "vpc-x's CIDR 172.16.0.0/16 is outside 10.0.0.0/16 - 10.47.0.0/16, so Tencent Cloud refuses the 1 classic CVM listed as linked to it (ins-a)");
    }

    /// A block within 10.0-47 but wider than a /16 is not "outside" the range: it spans several of its /16s; one that
    /// holds some of them and more reaches beyond them.
    #[test]
    fn a_block_wider_than_a_16_inside_the_range_is_said_to_span_several() {
        for (cidr, said) in [
            ("10.0.0.0/15", "spans several of 10.0.0.0/16 - 10.47.0.0/16"),
            ("10.46.0.0/15", "spans several of 10.0.0.0/16 - 10.47.0.0/16"),
            ("10.32.0.0/12", "spans several of 10.0.0.0/16 - 10.47.0.0/16"),
            ("10.32.0.0/11", "reaches beyond 10.0.0.0/16 - 10.47.0.0/16"),
            ("10.0.0.0/8", "reaches beyond 10.0.0.0/16 - 10.47.0.0/16"),
            ("0.0.0.0/0", "reaches beyond 10.0.0.0/16 - 10.47.0.0/16"),
            ("10.48.0.0/16", "is outside 10.0.0.0/16 - 10.47.0.0/16"),
            ("11.0.0.0/16", "is outside 10.0.0.0/16 - 10.47.0.0/16"),
        ] {
            let got = run("CL001", &body(cidr, "running", true));
            assert!(got[0].1.starts_with(&format!("vpc-x's CIDR {cidr} {said}")), "{cidr}: {}", got[0].1);
        }
    }

    #[test]
    fn a_returned_cvm_is_no_longer_linked() {
        assert!(run("CL001", &body("172.16.0.0/16", "returned", true)).is_empty());
        assert_eq!(run("CL001", &body("172.16.0.0/16", "stopped", true)).len(), 1);
    }
}
