//! The references of a plan, resolved once: classic instances and VPCs by ID, the two ends of every link, and the
//! links of every classic instance.
//!
//! Links name their instance and VPC by ID, and so do terminal connections, CLB backends and reachability questions.
//! Resolving those IDs is the costliest part of preparing a plan (a string hash per reference), so a check does it
//! once: [`Refs`] is built by the [`Network`](super::Network) that answers the expectations and handed on to the
//! rules' [`Context`](super::rules::Context).
//!
//! Where IDs repeat (an import error, but the UI checks plans while they are edited), the first object with the ID is
//! the one found, everywhere.

use super::index::{fx_map, Lists};
use super::model::Plan;
use rustc_hash::FxHashMap;

/// Classic instances and VPCs by ID, each link's ends, and each classic instance's links, as indexes into the plan's
/// lists.
#[derive(Clone, Debug, Default)]
pub struct Refs<'a> {
    classic: FxHashMap<&'a str, u32>,
    vpcs: FxHashMap<&'a str, u32>,
    /// `[link]` -> (its classic instance, its VPC), each `None` when the ID names nothing.
    links: Vec<(Option<u32>, Option<u32>)>,
    /// `[classic]` -> the links naming it, in plan order.
    links_of: Lists<u32>,
}

impl<'a> Refs<'a> {
    /// Resolves `plan`'s references (time linear in its size: one hash probe per ID and per link end).
    pub fn new(plan: &'a Plan) -> Refs<'a> {
        let mut classic = fx_map(plan.classic.len());
        for (i, c) in plan.classic.iter().enumerate() {
            classic.entry(c.id.as_str()).or_insert(i as u32);
        }
        let mut vpcs = fx_map(plan.vpcs.len());
        for (i, v) in plan.vpcs.iter().enumerate() {
            vpcs.entry(v.id.as_str()).or_insert(i as u32);
        }
        let links: Vec<(Option<u32>, Option<u32>)> = plan
            .links
            .iter()
            .map(|l| (classic.get(l.instance.as_str()).copied(), vpcs.get(l.vpc.as_str()).copied()))
            .collect();
        let links_of = Lists::new(
            plan.classic.len(),
            links.iter().enumerate().filter_map(|(i, &(c, _))| Some((c? as usize, i as u32))),
        );
        Refs { classic, vpcs, links, links_of }
    }

    /// The index of the (first) classic instance with this ID.
    pub fn classic(&self, id: &str) -> Option<usize> {
        self.classic.get(id).map(|&c| c as usize)
    }

    /// The index of the (first) VPC with this ID.
    pub fn vpc(&self, id: &str) -> Option<usize> {
        self.vpcs.get(id).map(|&v| v as usize)
    }

    /// The classic instance and the VPC of link `i` (indexes into the plan's lists).
    pub fn link(&self, i: usize) -> (Option<usize>, Option<usize>) {
        let (c, v) = self.links[i];
        (c.map(|c| c as usize), v.map(|v| v as usize))
    }

    /// The links naming the `c`th classic instance (the first with its ID), in plan order: indexes into the plan's
    /// links.
    pub fn links_of(&self, c: usize) -> &[u32] {
        &self.links_of[c]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;

    #[test]
    fn first_object_with_an_id_wins_and_unknown_ids_resolve_to_none() {
        // Straight through serde: import would refuse the repeated IDs and the dangling references.
        let plan: Plan = serde_json::from_str(
            r#"{"format": "classiclink-plan", "version": 1,
                "classic": [{"id": "ins-a", "kind": "cvm", "region": "r", "ip": "10.66.0.1"},
                            {"id": "ins-b", "kind": "cvm", "region": "r", "ip": "10.66.0.2"},
                            {"id": "ins-a", "kind": "cvm", "region": "r", "ip": "10.66.0.3"}],
                "vpcs": [{"id": "vpc-x", "region": "r", "cidr": "10.0.0.0/16"},
                         {"id": "vpc-x", "region": "r", "cidr": "10.1.0.0/16"},
                         {"id": "vpc-y", "region": "r", "cidr": "10.2.0.0/16"}],
                "links": [{"instance": "ins-a", "vpc": "vpc-y"}, {"instance": "ins-b", "vpc": "vpc-z"},
                          {"instance": "ins-c", "vpc": "vpc-x"}]}"#,
        )
        .unwrap();
        let refs = Refs::new(&plan);
        assert_eq!(refs.classic("ins-a"), Some(0));
        assert_eq!(refs.classic("ins-b"), Some(1));
        assert_eq!(refs.classic("ins-c"), None);
        assert_eq!(refs.vpc("vpc-x"), Some(0));
        assert_eq!(refs.vpc("vpc-y"), Some(2));
        assert_eq!(refs.link(0), (Some(0), Some(2)));
        assert_eq!(refs.link(1), (Some(1), None));
        assert_eq!(refs.link(2), (None, Some(0)));
        // ins-a's link; ins-b's (to an unknown VPC); the third ins-a names nothing (the first ins-a has the ID).
        assert_eq!(refs.links_of(0), [0]);
        assert_eq!(refs.links_of(1), [1]);
        assert!(refs.links_of(2).is_empty());
    }
}
