//! The migration checklist (`classiclink migrate PLAN.json --to markdown`): for each classic instance, the ways
//! into a VPC and their constraints (seed 002 and `tencent-cloud.md` §2), then the links and terminal connections to
//! remove afterwards.
//!
//! A CVM has two ways: rebuild (custom image, optional data-disk snapshots, VPC and subnet, a new CVM) or the
//! in-place switch (`ModifyInstancesVpcAttribute`: it restarts, the subnet must be in its zone, the IP changes unless
//! kept, and it is one way). A CLB cannot be switched: it is rebuilt. A database switches network and keeps its
//! classic IP for a while. The target VPC is the one the instance is linked (or terminal-connected) to.

use super::compare::MIGRATION_STEPS;
use super::model::{ClassicInstance, Kind, Link, Name, Plan, State};
use super::rules::Context;
use super::sort;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::net::Ipv4Addr;

/// How an instance gets into a VPC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Way {
    /// Seed 002: custom image, snapshots, VPC and subnet, a new CVM.
    Rebuild,
    /// `ModifyInstancesVpcAttribute`.
    SwitchInPlace,
    /// A CLB is created anew in the VPC.
    RebuildClb,
    /// A database switches its network (dual IP for a while).
    SwitchDatabase,
}

impl Way {
    /// A heading for people.
    pub fn title(&self) -> &'static str {
        match self {
            Way::Rebuild => "Rebuild in the VPC from a custom image",
            Way::SwitchInPlace => "Switch the CVM into the VPC in place",
            Way::RebuildClb => "Rebuild the CLB in the VPC",
            Way::SwitchDatabase => "Switch the database's network to the VPC",
        }
    }
}

/// One step to tick off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub text: String,
    /// The API call that does it, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<&'static str>,
    pub optional: bool,
    /// The rules of `tencent-cloud.md` §1 behind it.
    pub reference_rules: Vec<u8>,
}

impl Step {
    fn new(text: impl Into<String>, api: Option<&'static str>, refs: &[u8]) -> Step {
        Step { text: text.into(), api, optional: false, reference_rules: refs.to_vec() }
    }
}

/// One way in, with its steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WayIn {
    pub way: Way,
    pub steps: Vec<Step>,
}

/// The checklist of one classic instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstanceMigration {
    pub instance: String,
    pub kind: Kind,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub ip: Ipv4Addr,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub zone: String,
    /// The VPC it goes into (its link's or terminal connection's VPC); `None` when the plan names none.
    pub target_vpc: Option<String>,
    /// The ways in, preferred first.
    pub options: Vec<WayIn>,
    /// What limits the ways (sentences).
    pub constraints: Vec<String>,
    /// What to remove once it has moved.
    pub afterwards: Vec<Step>,
}

impl InstanceMigration {
    /// The checklist of `c` (its ID, kind, name, IP and zone) with these ways in, constraints and afterwards.
    fn new(
        c: &ClassicInstance,
        target_vpc: Option<String>,
        options: Vec<WayIn>,
        constraints: Vec<String>,
        afterwards: Vec<Step>,
    ) -> InstanceMigration {
        InstanceMigration {
            instance: c.id.to_string(),
            kind: c.kind,
            name: c.name.clone(),
            ip: c.ip,
            zone: c.zone.to_string(),
            target_vpc,
            options,
            constraints,
            afterwards,
        }
    }
}

/// The whole checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Checklist {
    pub plan: String,
    /// One per classic instance still there, sorted by ID.
    pub instances: Vec<InstanceMigration>,
    /// Instances left out, with why.
    pub skipped: Vec<String>,
}

/// What the checklist looks up about each instance, indexed once (a plan has thousands of instances): the rules'
/// context (links and terminal connections per instance, instances and VPCs by ID) and the classic CLBs binding each
/// backend.
struct Lookup<'a> {
    ctx: Context<'a>,
    /// Backend -> the classic CLBs binding it, in plan order.
    clbs: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Lookup<'a> {
    fn new(plan: &'a Plan) -> Lookup<'a> {
        let mut clbs: HashMap<&str, Vec<&str>> = HashMap::default();
        for lb in plan.classic.iter().filter(|x| x.kind == Kind::Clb) {
            for b in &lb.backends {
                let list = clbs.entry(b.as_str()).or_default();
                // A backend listed twice by one CLB counts once.
                if list.last() != Some(&lb.id.as_str()) {
                    list.push(&lb.id);
                }
            }
        }
        Lookup { ctx: Context::new(plan), clbs }
    }

    /// The (first) link of an instance.
    fn link_of(&self, id: &str) -> Option<&'a Link> {
        self.ctx.links_of(id).next()
    }
}

/// The checklist of a plan.
pub fn checklist(plan: &Plan) -> Checklist {
    let mut list = Checklist { plan: plan.name.clone(), instances: Vec::new(), skipped: Vec::new() };
    let at = Lookup::new(plan);
    let mut classic: Vec<&ClassicInstance> = plan.classic.iter().collect();
    sort::sort_by(&mut classic, |a, b| a.id.cmp(&b.id));
    for c in classic {
        if c.state == State::Returned {
            list.skipped.push(format!("{}: returned (gone); nothing to migrate, its link was removed with it", c.id));
            continue;
        }
        list.instances.push(match c.kind {
            Kind::Cvm => cvm(&at, c),
            Kind::Clb => clb(&at, c),
            _ => database(&at, c),
        });
    }
    list
}

fn target_of(at: &Lookup<'_>, c: &ClassicInstance) -> Option<String> {
    if let Some(l) = at.link_of(&c.id) {
        return Some(l.vpc.to_string());
    }
    let mut tcs: Vec<&str> = at.ctx.terminals_of(&c.id).iter().map(|t| t.vpc.as_str()).collect();
    sort::sort(&mut tcs);
    tcs.first().map(|s| s.to_string())
}

/// The classic CLBs binding an instance, sorted.
fn clbs_binding<'a>(at: &Lookup<'a>, id: &str) -> Vec<&'a str> {
    let mut v: Vec<&str> = at.clbs.get(id).cloned().unwrap_or_default();
    sort::sort(&mut v);
    v
}

fn no_target(c: &ClassicInstance) -> String {
    if c.kind.is_cvm() {
        format!(
            "the plan links {} to no VPC: choose a VPC in {} (link it first to test, while the CIDR is within \
             10.0.0.0/16 - 10.47.0.0/16)",
            c.id, c.region
        )
    } else {
        // Only CVMs are linked; a database or CLB is reached from a VPC through a terminal connection, if at all.
        format!("the plan maps {} into no VPC: choose a VPC in {} for it", c.id, c.region)
    }
}

fn cvm(at: &Lookup<'_>, c: &ClassicInstance) -> InstanceMigration {
    let target = target_of(at, c);
    let vpc = target.as_deref().and_then(|v| at.ctx.vpc(v));
    let mut constraints = Vec::new();
    let vpc_name = target.clone().unwrap_or_else(|| "the VPC".to_string());

    // Rebuild (seed 002).
    let mut rebuild = Vec::new();
    for (i, s) in MIGRATION_STEPS.iter().enumerate() {
        let (text, api) = match i {
            0 => (format!("{} ({})", s.text, c.id), Some(s.api)),
            1 => (format!("{} ({}), to restore them on the new CVM", s.text, c.id), Some(s.api)),
            // With the VPC and a subnet planned, nothing is created; with the VPC only, a subnet is.
            2 => match vpc {
                Some(v) if !v.subnets.is_empty() => (
                    format!("Use {} and one of its subnets ({})", v.id, ids(v.subnets.iter().map(|s| s.id.as_str()))),
                    None,
                ),
                Some(v) => (format!("Create a subnet in {}", v.id), Some("CreateSubnet")),
                None => (s.text.to_string(), Some(s.api)),
            },
            _ => (format!("{} (its private IP is new: point clients at it)", s.text), Some(s.api)),
        };
        rebuild.push(Step { text, api, optional: s.optional, reference_rules: vec![20] });
    }
    rebuild.push(Step::new(
        format!("Move traffic to the new CVM, then return {} (it keeps its link until then)", c.id),
        Some("TerminateInstances"),
        &[13],
    ));

    // In-place switch (tencent-cloud.md §2).
    let mut switch = Vec::new();
    let same_zone: Vec<&super::model::Subnet> = match vpc {
        Some(v) => v.subnets.iter().filter(|s| !c.zone.is_empty() && s.zone == c.zone).collect(),
        None => Vec::new(),
    };
    let keep = same_zone.iter().find(|s| s.cidr.contains(c.ip));
    match (vpc, c.zone.is_empty(), same_zone.is_empty()) {
        (None, _, _) => switch.push(Step::new(format!("Choose {vpc_name} and a subnet in {}'s zone", c.id), None, &[])),
        (Some(v), true, _) => {
            constraints.push(format!("{}'s zone is not in the plan: the switch needs a subnet in its zone", c.id));
            switch.push(Step::new(format!("Choose a subnet of {} in {}'s zone", v.id, c.id), None, &[]));
        }
        (Some(v), false, true) => {
            constraints.push(format!("{} has no subnet in {} ({}'s zone): create one first", v.id, c.zone, c.id));
            switch.push(Step::new(format!("Create a subnet of {} in {}", v.id, c.zone), Some("CreateSubnet"), &[]));
        }
        (Some(v), false, false) => switch.push(Step::new(
            format!("Choose a subnet of {} in {}: {}", v.id, c.zone, ids(same_zone.iter().map(|s| s.id.as_str()))),
            None,
            &[],
        )),
    }
    switch.push(Step::new(
        format!("Plan downtime: {} restarts during the switch (ForceStop stops it if it does not stop)", c.id),
        None,
        &[],
    ));
    match keep {
        Some(s) => switch.push(Step::new(
            format!(
                "Keep its IP {}: switch into {} giving VirtualPrivateCloud.PrivateIpAddresses [{}]",
                c.ip, s.id, c.ip
            ),
            None,
            &[8],
        )),
        None => {
            constraints.push(format!(
                "no subnet in its zone holds {}: the private IP changes with the switch (update clients, DNS and \
                 security group rules that name it)",
                c.ip
            ));
        }
    }
    switch.push(Step::new(
        format!("Switch {} into {vpc_name} (it cannot switch back: the switch is one way)", c.id),
        Some("ModifyInstancesVpcAttribute"),
        &[],
    ));

    for lb in clbs_binding(at, &c.id) {
        constraints.push(format!(
            "{lb} (a classic CLB) binds {}: rebuild {lb} in the VPC; one CLB cannot bind classic and VPC instances \
             at once",
            c.id
        ));
    }
    if target.is_none() {
        constraints.push(no_target(c));
    }
    if matches!(c.state, State::Isolated | State::SecurityIsolated) {
        constraints.push(format!("{} is {}: bring it back to running first", c.id, c.state));
    }
    sort::sort(&mut constraints);

    let mut afterwards = Vec::new();
    if let Some(l) = at.link_of(&c.id) {
        afterwards.push(Step::new(
            format!("Remove the link {} -> {} (returning the old CVM removes it too)", c.id, l.vpc),
            Some("DetachClassicLinkVpc"),
            &[13],
        ));
    }
    InstanceMigration::new(
        c,
        target,
        vec![WayIn { way: Way::Rebuild, steps: rebuild }, WayIn { way: Way::SwitchInPlace, steps: switch }],
        constraints,
        afterwards,
    )
}

fn terminal_cleanup(at: &Lookup<'_>, c: &ClassicInstance) -> Vec<Step> {
    let mut tcs: Vec<_> = at.ctx.terminals_of(&c.id).to_vec();
    sort::sort_by(&mut tcs, |a, b| a.id.cmp(&b.id));
    tcs.into_iter()
        .map(|t| {
            Step::new(
                format!(
                    "Remove the terminal connection {} ({} -> {} at {}) once clients use the new address",
                    t.id, t.vpc, c.id, t.ip
                ),
                None,
                &[15],
            )
        })
        .collect()
}

fn clb(at: &Lookup<'_>, c: &ClassicInstance) -> InstanceMigration {
    let target = target_of(at, c);
    let vpc_name = target.clone().unwrap_or_else(|| "the VPC".to_string());
    let mut constraints = vec![format!("a CLB cannot be switched into a VPC: {} is rebuilt there", c.id)];
    let mut backends = c.backends.clone();
    sort::sort(&mut backends);
    let classic_backends: Vec<&str> =
        backends.iter().filter(|b| at.ctx.classic(b).is_some()).map(Name::as_str).collect();
    if !classic_backends.is_empty() {
        constraints.push(format!(
            "its backends {} are classic: move them into the VPC first; one CLB cannot bind classic and VPC \
             instances at once, even when linked",
            classic_backends.join(", ")
        ));
    }
    if target.is_none() {
        constraints.push(no_target(c));
    }
    let steps = vec![
        Step::new(
            format!("Create a CLB in {vpc_name} (a private CLB needs a subnet)"),
            Some("CreateLoadBalancer"),
            &[19],
        ),
        Step::new("Recreate its listeners and forwarding rules", Some("CreateListener"), &[]),
        Step::new(
            if backends.is_empty() {
                "Bind the VPC instances that serve it".to_string()
            } else {
                format!("Bind the VPC instances that replace {}", backends.join(", "))
            },
            Some("RegisterTargets"),
            &[10, 19],
        ),
        Step::new(format!("Point clients and DNS at the new VIP (the old one, {}, goes away)", c.ip), None, &[]),
        Step::new(format!("Delete the classic CLB {}", c.id), Some("DeleteLoadBalancer"), &[]),
    ];
    InstanceMigration::new(c, target, vec![WayIn { way: Way::RebuildClb, steps }], constraints, terminal_cleanup(at, c))
}

fn database(at: &Lookup<'_>, c: &ClassicInstance) -> InstanceMigration {
    let target = target_of(at, c);
    let vpc_name = target.clone().unwrap_or_else(|| "the VPC".to_string());
    let release = if c.kind == Kind::Mysql {
        "after 24 h by default, up to 168 h (ReleaseDuration)"
    } else {
        "after a window that depends on the product: check it before switching"
    };
    let mut constraints = vec![format!(
        "dual-IP window: after the switch {} answers on its classic IP {} and its new VPC IP; the classic IP is \
         released {release}",
        c.id, c.ip
    )];
    if target.is_none() {
        constraints.push(no_target(c));
    }
    let api = if c.kind == Kind::Mysql { Some("ModifyDBInstanceVipVport") } else { None };
    let steps = vec![
        Step::new(format!("Choose a subnet of {vpc_name} for {}", c.id), None, &[]),
        Step::new(format!("Switch {}'s network to {vpc_name}", c.id), api, &[]),
        Step::new(format!("Within the window, point clients at the new VPC IP instead of {}", c.ip), None, &[]),
    ];
    InstanceMigration::new(
        c,
        target,
        vec![WayIn { way: Way::SwitchDatabase, steps }],
        constraints,
        terminal_cleanup(at, c),
    )
}

fn ids<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = it.collect();
    sort::sort(&mut v);
    v.join(", ")
}

/// The checklist as Markdown with check boxes (ends with a newline).
pub fn to_markdown(list: &Checklist) -> String {
    let mut s = String::new();
    let title = if list.plan.is_empty() { "plan" } else { list.plan.as_str() };
    s.push_str(&format!("# Migration checklist: {title}\n"));
    if list.instances.is_empty() {
        s.push_str("\nNo classic instances to migrate.\n");
    }
    for m in &list.instances {
        s.push_str(&format!("\n## {} ({}", m.instance, m.kind.label()));
        if !m.name.is_empty() {
            s.push_str(&format!(", {}", m.name));
        }
        s.push_str(&format!(", {})\n\n", m.ip));
        match &m.target_vpc {
            Some(v) => s.push_str(&format!("Target: {v}\n")),
            None => s.push_str("Target: not chosen\n"),
        }
        for (i, o) in m.options.iter().enumerate() {
            let letter = (b'A' + i as u8) as char;
            s.push_str(&format!("\n### Option {letter}: {}\n\n", o.way.title()));
            push_steps(&mut s, &o.steps);
        }
        if !m.constraints.is_empty() {
            s.push_str("\n### Constraints\n\n");
            for c in &m.constraints {
                s.push_str(&format!("- {c}\n"));
            }
        }
        if !m.afterwards.is_empty() {
            s.push_str("\n### Afterwards\n\n");
            push_steps(&mut s, &m.afterwards);
        }
    }
    if !list.skipped.is_empty() {
        s.push_str("\n## Skipped\n\n");
        for x in &list.skipped {
            s.push_str(&format!("- {x}\n"));
        }
    }
    s
}

/// One check box line per step.
fn push_steps(s: &mut String, steps: &[Step]) {
    for st in steps {
        s.push_str(&format!("- [ ] {}\n", step_line(st)));
    }
}

fn step_line(st: &Step) -> String {
    let mut l = String::new();
    if st.optional {
        l.push_str("(optional) ");
    }
    l.push_str(&st.text);
    if let Some(api) = st.api {
        l.push_str(&format!(" — `{api}`"));
    }
    if !st.reference_rules.is_empty() {
        let r: Vec<String> = st.reference_rules.iter().map(|n| n.to_string()).collect();
        // Rows of the reference's table of rules (tencent-cloud.md §1), not the catalogue's CL rules.
        l.push_str(&format!(" [reference rule {}]", r.join(", ")));
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::load::import;
    use crate::domain::tencent::import_bundle;

    const EXAMPLE: &str = include_str!("../../tests/fixtures/plan-format-example.json");
    const BUNDLE: &str = include_str!("../../tests/fixtures/tencent/bundle-guangzhou.json");

    fn example() -> Plan {
        import(EXAMPLE).unwrap()
    }

    fn get<'a>(l: &'a Checklist, id: &str) -> &'a InstanceMigration {
        l.instances.iter().find(|m| m.instance == id).unwrap()
    }

    #[test]
    fn a_linked_cvm_gets_both_ways_and_its_link_to_remove() {
        let l = checklist(&example());
        assert_eq!(
            l.instances.iter().map(|m| m.instance.as_str()).collect::<Vec<_>>(),
            ["cdb-orders", "ins-web01", "lb-old"]
        );
        let web = get(&l, "ins-web01");
        assert_eq!(web.target_vpc.as_deref(), Some("vpc-prod"));
        assert_eq!(web.options.iter().map(|o| o.way).collect::<Vec<_>>(), [Way::Rebuild, Way::SwitchInPlace]);
        let rebuild = &web.options[0].steps;
        assert_eq!(rebuild[0].api, Some("CreateImage"));
        assert!(rebuild[1].optional && rebuild[1].api == Some("CreateSnapshot"));
        assert!(rebuild[2].text.contains("subnet-app, subnet-extra"));
        assert_eq!(rebuild[2].api, None, "the VPC and its subnets are planned: nothing to create");
        let switch = &web.options[1].steps;
        assert!(switch.iter().any(|s| s.api == Some("ModifyInstancesVpcAttribute") && s.text.contains("one way")));
        assert!(switch.iter().any(|s| s.text.contains("restarts")));
        // 10.66.12.7 is in no vpc-prod subnet: the IP changes.
        assert!(web.constraints.iter().any(|c| c.contains("the private IP changes")));
        assert!(web.constraints.iter().any(|c| c.starts_with("lb-old (a classic CLB) binds ins-web01")));
        assert_eq!(web.afterwards.len(), 1);
        assert_eq!(web.afterwards[0].api, Some("DetachClassicLinkVpc"));
    }

    #[test]
    fn the_ip_can_be_kept_only_in_a_same_zone_subnet_holding_it() {
        let mut plan = example();
        plan.classic[0].ip = [10, 0, 1, 77].into(); // inside subnet-app (zone ap-guangzhou-3, like the CVM)
        plan.links[0].ip = None;
        let web = get(&checklist(&plan), "ins-web01").clone();
        assert!(web.options[1]
            .steps
            .iter()
            .any(|s| s.text.contains("Keep its IP 10.0.1.77") && s.text.contains("subnet-app")));
        assert!(!web.constraints.iter().any(|c| c.contains("private IP changes")));
        // Same IP, but the CVM sits in another zone: no subnet in its zone, so the switch needs a new subnet.
        plan.classic[0].zone = "ap-guangzhou-4".into();
        let web = get(&checklist(&plan), "ins-web01").clone();
        assert!(web.constraints.iter().any(|c| c.contains("has no subnet in ap-guangzhou-4")));
        assert!(web.options[1].steps.iter().any(|s| s.api == Some("CreateSubnet")));
    }

    #[test]
    fn clb_is_rebuilt_and_databases_have_a_dual_ip_window() {
        let l = checklist(&example());
        let lb = get(&l, "lb-old");
        assert_eq!(lb.options.len(), 1);
        assert_eq!(lb.options[0].way, Way::RebuildClb);
        assert!(lb.constraints.iter().any(|c| c.contains("cannot be switched")));
        assert!(lb.constraints.iter().any(|c| c.contains("backends ins-web01 are classic")));
        let db = get(&l, "cdb-orders");
        assert_eq!(db.target_vpc.as_deref(), Some("vpc-prod"), "its terminal connection's VPC");
        assert_eq!(db.options[0].steps[1].api, Some("ModifyDBInstanceVipVport"));
        assert!(db.constraints[0].contains("24 h by default, up to 168 h"));
        assert_eq!(db.afterwards.len(), 1);
        assert!(db.afterwards[0].text.starts_with("Remove the terminal connection tc-1"));
        // A Memcached with no VPC: it is not told to be linked (only CVMs are), and its window reads as a sentence.
        let mut plan = example();
        plan.terminal_connections.clear();
        plan.classic[1].kind = Kind::Memcached;
        let db = get(&checklist(&plan), "cdb-orders").clone();
        assert!(db.constraints[0]
            .ends_with("released after a window that depends on the product: check it before switching"));
        assert!(
            db.constraints
                .iter()
                .any(|c| c == "the plan maps cdb-orders into no VPC: choose a VPC in ap-guangzhou for it"),
            "{:?}",
            db.constraints
        );
    }

    #[test]
    fn unlinked_returned_and_isolated_instances() {
        let mut plan = example();
        plan.links.clear();
        plan.terminal_connections.clear();
        plan.classic[0].state = State::Isolated;
        let l = checklist(&plan);
        let web = get(&l, "ins-web01");
        assert_eq!(web.target_vpc, None);
        assert!(web.constraints.iter().any(|c| c.contains("links ins-web01 to no VPC")));
        assert!(web.constraints.iter().any(|c| c.contains("is isolated")));
        assert!(web.afterwards.is_empty());
        plan.classic[0].state = State::Returned;
        let l = checklist(&plan);
        assert!(l.instances.iter().all(|m| m.instance != "ins-web01"));
        assert_eq!(l.skipped.len(), 1);
    }

    #[test]
    fn markdown_is_deterministic_and_complete() {
        let plan = import_bundle(BUNDLE, None).unwrap().plan;
        let md = to_markdown(&checklist(&plan));
        assert_eq!(md, to_markdown(&checklist(&plan)));
        assert!(md.starts_with("# Migration checklist: Imported from Tencent Cloud (ap-guangzhou)\n"));
        let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(headings.len(), 7, "one per classic instance of the bundle");
        assert!(headings.windows(2).all(|w| w[0] < w[1]), "sorted by ID");
        assert!(md.contains("- [ ] (optional) Create snapshots of its data disks (ins-web01)"));
        assert!(md.contains("`ModifyInstancesVpcAttribute`"));
        assert!(md.contains("### Afterwards\n\n- [ ] Remove the link ins-web01 -> vpc-prod"));
        assert!(md.ends_with('\n'));
        let empty = to_markdown(&checklist(&Plan::default()));
        assert_eq!(empty, "# Migration checklist: plan\n\nNo classic instances to migrate.\n");
    }
}
