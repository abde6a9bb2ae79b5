//! Classic network vs VPC at a glance (seed 002): the feature comparison, the resources both networks share, and the
//! migration steps, as data for the in-app help. Every row names the rules it explains: the rule numbers of
//! `tencent-cloud.md` §1, the catalogue rule IDs that check it, and the reach reason codes that answer it.

/// One row of the feature comparison (seed 002, 機能の区別).
#[derive(Debug, PartialEq, Eq)]
pub struct ComparisonRow {
    /// The feature, in English.
    pub feature: &'static str,
    /// The feature as seed 002 writes it.
    pub feature_ja: &'static str,
    /// What the classic network offers.
    pub classic: &'static str,
    /// What a VPC offers.
    pub vpc: &'static str,
    /// The rules it explains: numbers of `tencent-cloud.md` §1.
    pub reference_rules: &'static [u8],
    /// The rules it explains: catalogue IDs.
    pub rule_ids: &'static [&'static str],
    /// The reach reason codes it explains (`plan-format.md`), for rows the reachability answer covers.
    pub reach_reasons: &'static [&'static str],
}

/// One row of the shared-resources table (seed 002, リソース共有及びアクセス).
#[derive(Debug, PartialEq, Eq)]
pub struct SharedResource {
    pub resource: &'static str,
    pub resource_ja: &'static str,
    /// Whether it can be used in both networks.
    pub shared: bool,
    pub description: &'static str,
    pub reference_rules: &'static [u8],
    pub rule_ids: &'static [&'static str],
    /// The reach reason codes it explains.
    pub reach_reasons: &'static [&'static str],
}

/// One step of the classic-to-VPC migration (seed 002).
#[derive(Debug, PartialEq, Eq)]
pub struct MigrationStep {
    pub text: &'static str,
    pub text_ja: &'static str,
    pub optional: bool,
    /// The API that does it.
    pub api: &'static str,
}

/// The seed document these tables come from.
pub const SOURCE_SEED: &str = "002";

/// The feature comparison, in the seed's order.
pub const COMPARISON: [ComparisonRow; 6] = [
    ComparisonRow {
        feature: "Tenant isolation",
        feature_ja: "テナント関連付け",
        classic: "Associated with the tenant, in Tencent Cloud's shared public pool",
        vpc: "A logically isolated network encapsulated with GRE; VPCs are isolated from each other by default",
        reference_rules: &[17, 18],
        rule_ids: &["CL018"],
        reach_reasons: &["VPC_ISOLATED"],
    },
    ComparisonRow {
        feature: "Custom network (CIDR)",
        feature_ja: "ネットワークのカスタマイズ",
        classic: "Not supported: Tencent assigns the addresses",
        vpc: "Supported: you choose the CIDR (Classiclink needs it within 10.0.0.0/16 - 10.47.0.0/16)",
        reference_rules: &[1, 18],
        rule_ids: &["CL001", "CL021"],
        reach_reasons: &[],
    },
    ComparisonRow {
        feature: "Custom routing",
        feature_ja: "ルーティングのカスタマイズ",
        classic: "Not supported",
        vpc: "Supported: route tables; a linked classic CVM's IP joins the Local route by itself",
        reference_rules: &[8, 18],
        rule_ids: &["CL007", "CL008"],
        reach_reasons: &["SECONDARY_CIDR"],
    },
    ComparisonRow {
        feature: "Custom IP",
        feature_ja: "IPのカスタマイズ",
        classic: "Not supported: the private IP is assigned (and a link is tied to it)",
        vpc: "Supported",
        reference_rules: &[8, 11, 18],
        rule_ids: &["CL008", "CL010"],
        reach_reasons: &["LINK_INVALID"],
    },
    ComparisonRow {
        feature: "Interconnection",
        feature_ja: "相互接続ルール",
        classic: "Same tenant, same region only",
        vpc:
            "Cross-region and cross-account (peering, CCN); a link to classic stays in one region and is not transitive",
        reference_rules: &[4, 14, 17, 18],
        rule_ids: &["CL004", "CL013", "CL019"],
        reach_reasons: &["CROSS_REGION", "NOT_TRANSITIVE"],
    },
    ComparisonRow {
        feature: "Security control",
        feature_ja: "セキュリティ制御",
        classic: "Security groups",
        vpc: "Security groups and network ACLs (both stay in force across a link)",
        reference_rules: &[9, 18],
        rule_ids: &[],
        reach_reasons: &["SECURITY_GROUP", "NETWORK_ACL"],
    },
];

/// The shared-resources table, in the seed's order, then the CLB exception.
pub const SHARED_RESOURCES: [SharedResource; 6] = [
    SharedResource {
        resource: "Images",
        resource_ja: "イメージ",
        shared: true,
        description: "An image starts CVMs in either network (the migration path: a custom image of the classic CVM)",
        reference_rules: &[19, 20],
        rule_ids: &[],
        reach_reasons: &[],
    },
    SharedResource {
        resource: "Elastic IPs",
        resource_ja: "Elastic IP",
        shared: true,
        description: "An EIP binds a CVM in either network",
        reference_rules: &[19],
        rule_ids: &[],
        reach_reasons: &[],
    },
    SharedResource {
        resource: "Instances",
        resource_ja: "インスタンス",
        shared: true,
        description: "Classic and VPC instances talk over public IPs or over Classiclink (one VPC per CVM, at most \
                      100 CVMs per VPC)",
        reference_rules: &[2, 3, 5, 6],
        rule_ids: &["CL002", "CL003", "CL005", "CL006"],
        reach_reasons: &["NOT_LINKED", "CLASSIC_NON_CVM"],
    },
    SharedResource {
        resource: "SSH keys",
        resource_ja: "SSHキー",
        shared: true,
        description: "An SSH key loads into a CVM in either network",
        reference_rules: &[19],
        rule_ids: &[],
        reach_reasons: &[],
    },
    SharedResource {
        resource: "Security groups",
        resource_ja: "セキュリティグループ",
        shared: true,
        description: "A security group binds a CVM in either network",
        reference_rules: &[9, 19],
        rule_ids: &[],
        reach_reasons: &["SECURITY_GROUP"],
    },
    SharedResource {
        resource: "Cloud Load Balancer",
        resource_ja: "Cloud Load Balancer",
        shared: false,
        description: "Not shared: one CLB cannot bind a VPC instance and a classic instance at once, even when the \
                      networks are interconnected",
        reference_rules: &[10, 19],
        rule_ids: &["CL009", "CL020"],
        reach_reasons: &[],
    },
];

/// Seed 002's migration of a classic CVM into a VPC.
pub const MIGRATION_STEPS: [MigrationStep; 4] = [
    MigrationStep {
        text: "Create a custom image of the classic CVM",
        text_ja: "基幹ネットワークのCVMインスタンスでカスタムイメージを作成します",
        optional: false,
        api: "CreateImage",
    },
    MigrationStep {
        text: "Create snapshots of its data disks",
        text_ja: "データディスクでスナップショットを作成します",
        optional: true,
        api: "CreateSnapshot",
    },
    MigrationStep {
        text: "Create the VPC and a subnet",
        text_ja: "VPCとサブネットを作成します",
        optional: false,
        api: "CreateVpc, CreateSubnet",
    },
    MigrationStep {
        text: "Buy and start a CVM in the VPC from the image",
        text_ja: "VPC内で、CVMインスタンスを購入して起動します",
        optional: false,
        api: "RunInstances",
    },
];

/// The comparison rows and shared resources that explain a rule of `tencent-cloud.md` §1.
pub fn explaining(reference_rule: u8) -> (Vec<&'static ComparisonRow>, Vec<&'static SharedResource>) {
    (
        COMPARISON.iter().filter(|r| r.reference_rules.contains(&reference_rule)).collect(),
        SHARED_RESOURCES.iter().filter(|r| r.reference_rules.contains(&reference_rule)).collect(),
    )
}

/// The comparison rows and shared resources that explain a catalogue rule (`CL001`).
pub fn explaining_rule_id(id: &str) -> (Vec<&'static ComparisonRow>, Vec<&'static SharedResource>) {
    (
        COMPARISON.iter().filter(|r| r.rule_ids.contains(&id)).collect(),
        SHARED_RESOURCES.iter().filter(|r| r.rule_ids.contains(&id)).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use std::collections::BTreeSet;

    /// How many rules `tencent-cloud.md` §1 lists.
    const REFERENCE_RULES: u8 = 21;

    fn all_refs() -> Vec<(&'static str, &'static [u8], &'static [&'static str])> {
        COMPARISON
            .iter()
            .map(|r| (r.feature, r.reference_rules, r.rule_ids))
            .chain(SHARED_RESOURCES.iter().map(|r| (r.resource, r.reference_rules, r.rule_ids)))
            .collect()
    }

    #[test]
    fn every_row_names_real_rules() {
        for (label, refs, ids) in all_refs() {
            assert!(!refs.is_empty(), "{label} explains at least one rule");
            assert!(refs.iter().all(|n| (1..=REFERENCE_RULES).contains(n)), "{label}: {refs:?}");
            assert!(refs.windows(2).all(|w| w[0] < w[1]), "{label}: sorted, no repeats");
            for id in ids {
                assert!(id.len() == 5 && id.starts_with("CL") && id[2..].bytes().all(|b| b.is_ascii_digit()), "{id}");
            }
        }
    }

    #[test]
    fn the_seed_002_rules_are_all_explained() {
        // Rules 17-20 come from seed 002; each has a row.
        let covered: BTreeSet<u8> = all_refs().iter().flat_map(|(_, r, _)| r.iter().copied()).collect();
        for n in [17, 18, 19] {
            assert!(covered.contains(&n), "rule {n}");
        }
        assert!(!explaining(20).1.is_empty(), "the image row explains the migration rule");
        assert!(explaining(21).0.is_empty() && explaining(21).1.is_empty(), "rule 21 (free) is not in seed 002");
    }

    #[test]
    fn the_tables_match_the_seed() {
        assert_eq!(COMPARISON.len(), 6);
        let labels: BTreeSet<&str> = COMPARISON.iter().map(|r| r.feature_ja).collect();
        assert_eq!(labels.len(), 6, "distinct features");
        assert_eq!(SHARED_RESOURCES.iter().filter(|r| r.shared).count(), 5);
        let clb: Vec<&str> = SHARED_RESOURCES.iter().filter(|r| !r.shared).map(|r| r.resource).collect();
        assert_eq!(clb, ["Cloud Load Balancer"]);
        assert_eq!(MIGRATION_STEPS.iter().filter(|s| s.optional).count(), 1, "only the snapshots are optional");
        assert_eq!(MIGRATION_STEPS[1].api, "CreateSnapshot");
    }

    #[test]
    fn every_listed_rule_id_is_in_the_catalogue() {
        let known: BTreeSet<&str> = crate::domain::rules::catalogue().iter().map(|r| r.info.id).collect();
        let rows = COMPARISON
            .iter()
            .map(|r| (r.feature, r.rule_ids, r.reach_reasons))
            .chain(SHARED_RESOURCES.iter().map(|r| (r.resource, r.rule_ids, r.reach_reasons)));
        let reasons: BTreeSet<&str> = crate::domain::reach::Reason::ALL.iter().map(|r| r.as_str()).collect();
        for (label, ids, reach) in rows {
            for id in ids {
                assert!(known.contains(id), "{label}: {id} is not a catalogue rule");
            }
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{label}: IDs sorted, no repeats");
            for code in reach {
                assert!(reasons.contains(code), "{label}: {code} is not a reach reason code");
            }
        }
    }

    #[test]
    fn rows_link_the_rules_they_explain() {
        let features = |id: &str| {
            let (rows, shared) = explaining_rule_id(id);
            rows.iter().map(|r| r.feature).chain(shared.iter().map(|r| r.resource)).collect::<Vec<_>>()
        };
        assert_eq!(features("CL020"), ["Cloud Load Balancer"]);
        assert_eq!(features("CL009"), ["Cloud Load Balancer"]);
        assert_eq!(features("CL004"), ["Interconnection"]);
        assert_eq!(features("CL019"), ["Interconnection"]);
        assert_eq!(features("CL018"), ["Tenant isolation"]);
        assert_eq!(features("CL001"), ["Custom network (CIDR)"]);
        let security = COMPARISON.iter().find(|r| r.feature == "Security control").unwrap();
        assert_eq!(security.reach_reasons, ["SECURITY_GROUP", "NETWORK_ACL"]);
        // Every row explains something checkable: a catalogue rule or a reach reason, except the plain shared
        // resources (images, EIPs, SSH keys) that no rule constrains.
        for r in &COMPARISON {
            assert!(!r.rule_ids.is_empty() || !r.reach_reasons.is_empty(), "{}", r.feature);
        }
        let bare: Vec<&str> = SHARED_RESOURCES
            .iter()
            .filter(|r| r.rule_ids.is_empty() && r.reach_reasons.is_empty())
            .map(|r| r.resource)
            .collect();
        assert_eq!(bare, ["Images", "Elastic IPs", "SSH keys"]);
    }

    #[test]
    fn lookups_by_rule() {
        let (rows, shared) = explaining(1);
        assert_eq!(rows.iter().map(|r| r.feature).collect::<Vec<_>>(), ["Custom network (CIDR)"]);
        assert!(shared.is_empty());
        let (rows, shared) = explaining_rule_id("CL003");
        assert!(rows.is_empty());
        assert_eq!(shared.iter().map(|r| r.resource).collect::<Vec<_>>(), ["Instances"]);
        assert_eq!(explaining_rule_id("CL999"), (vec![], vec![]));
    }
}
