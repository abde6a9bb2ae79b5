//! Reading a plan: JSON text in, a [`Plan`] whose references all resolve out, or every problem with its JSON location.
//!
//! Two passes. The first is serde (through the `located` deserializer, which keeps the JSON location), which refuses
//! what the JSON types cannot hold: a bad CIDR, an unknown kind, a missing field, an unknown field (a typo such as
//! `secuirty_groups` would otherwise be silently dropped). The second, [`validate`], checks what types cannot: unique
//! IDs, references that resolve, subnets inside their VPC, IPs inside their subnet.

use super::addr::Cidr;
use super::index::fx_map;
use super::model::{Endpoint, Kind, Name, Plan, State, FORMAT, VERSION};
use rustc_hash::FxHashMap;
use rustc_hash::FxHashSet as HashSet;
use serde_json::Value;
use std::fmt;

/// One problem with a plan, at a JSON location such as `vpcs[1].cidr`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError {
    /// The JSON location (`.` for the whole document).
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl PlanError {
    fn new(path: impl Into<String>, message: impl Into<String>) -> PlanError {
        PlanError { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a plan could not be used: at least one [`PlanError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub errors: Vec<PlanError>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

impl From<PlanError> for LoadError {
    fn from(e: PlanError) -> LoadError {
        LoadError { errors: vec![e] }
    }
}

/// Reads a plan from JSON text: parse, upgrade from older versions, validate.
pub fn import(text: &str) -> Result<Plan, LoadError> {
    let value: Value = serde_json::from_str(text).map_err(|e| PlanError::new(".", format!("not JSON: {e}")))?;
    import_value(value)
}

/// Reads a plan from a JSON value (see [`import`]).
pub fn import_value(value: Value) -> Result<Plan, LoadError> {
    let obj = value.as_object().ok_or_else(|| PlanError::new(".", "a plan is a JSON object"))?;
    match obj.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => return Err(PlanError::new("format", format!("expected \"{FORMAT}\", found {other}")).into()),
        None => {
            return Err(PlanError::new("format", format!("missing: a plan starts with \"format\": \"{FORMAT}\"")).into())
        }
    }
    match obj.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(u64::from(VERSION)) => {}
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > u64::from(VERSION)) => {
            return Err(PlanError::new(
                "version",
                format!("unknown version {n}: this planner reads versions up to {VERSION}; open it in a newer planner"),
            )
            .into())
        }
        Some(other) => {
            return Err(PlanError::new("version", format!("unknown version {other}: expected {VERSION}")).into())
        }
        None => return Err(PlanError::new("version", "missing: a plan names its version (1)").into()),
    }
    let plan: Plan = super::located::from_value(value)
        .map_err(|(path, e)| PlanError::new(path, clean_serde_message(&e.to_string())))?;
    validate(&plan)?;
    Ok(plan)
}

/// serde_json appends " at line L column C" to its messages: the JSON location already says where.
fn clean_serde_message(m: &str) -> String {
    match m.rfind(" at line ") {
        Some(i) if m[i..].contains(" column ") => m[..i].to_string(),
        _ => m.to_string(),
    }
}

/// Writes a plan as JSON (see [`Plan::to_json`]).
pub fn export(plan: &Plan) -> String {
    plan.to_json()
}

/// Whether an ID is usable: non-empty, letters, digits, `-` and `_`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What an ID names, for reference checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Obj {
    Classic(Kind),
    Vpc,
    Subnet,
    Resource,
    Gateway,
    Peering,
    Ccn,
    Terminal,
    SecurityGroup,
    Acl,
}

/// A JSON location, formatted only when an error needs it: `classic[3]`, `vpcs[0].resources[7]`.
#[derive(Clone, Copy, Debug)]
struct At {
    outer: (&'static str, usize),
    inner: Option<(&'static str, usize)>,
}

impl At {
    fn new(list: &'static str, index: usize) -> At {
        At { outer: (list, index), inner: None }
    }

    /// An item of a list inside this one.
    fn then(self, list: &'static str, index: usize) -> At {
        At { outer: self.outer, inner: Some((list, index)) }
    }
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]", self.outer.0, self.outer.1)?;
        if let Some((list, index)) = self.inner {
            write!(f, ".{list}[{index}]")?;
        }
        Ok(())
    }
}

/// Checks everything JSON types cannot: IDs, references, containment. Returns every problem found.
pub fn validate(plan: &Plan) -> Result<(), LoadError> {
    let mut errs = Vec::new();
    let count = plan.classic.len()
        + plan.vpcs.iter().map(|v| 1 + v.subnets.len() + v.resources.len() + v.gateways.len()).sum::<usize>()
        + plan.peerings.len()
        + plan.ccns.len()
        + plan.terminal_connections.len()
        + plan.security_groups.len()
        + plan.network_acls.len();
    let mut ids: FxHashMap<&str, (Obj, At)> = fx_map(count);

    // 1. Every ID: well-formed and unique across the plan. Locations are formatted only for an error.
    let mut all: Vec<(&str, Obj, At)> = Vec::with_capacity(count);
    for (i, c) in plan.classic.iter().enumerate() {
        all.push((&c.id, Obj::Classic(c.kind), At::new("classic", i)));
    }
    for (i, v) in plan.vpcs.iter().enumerate() {
        let at = At::new("vpcs", i);
        all.push((&v.id, Obj::Vpc, at));
        for (j, s) in v.subnets.iter().enumerate() {
            all.push((&s.id, Obj::Subnet, at.then("subnets", j)));
        }
        for (j, r) in v.resources.iter().enumerate() {
            all.push((&r.id, Obj::Resource, at.then("resources", j)));
        }
        for (j, g) in v.gateways.iter().enumerate() {
            all.push((&g.id, Obj::Gateway, at.then("gateways", j)));
        }
    }
    for (i, p) in plan.peerings.iter().enumerate() {
        all.push((&p.id, Obj::Peering, At::new("peerings", i)));
    }
    for (i, c) in plan.ccns.iter().enumerate() {
        all.push((&c.id, Obj::Ccn, At::new("ccns", i)));
    }
    for (i, t) in plan.terminal_connections.iter().enumerate() {
        all.push((&t.id, Obj::Terminal, At::new("terminal_connections", i)));
    }
    for (i, g) in plan.security_groups.iter().enumerate() {
        all.push((&g.id, Obj::SecurityGroup, At::new("security_groups", i)));
    }
    for (i, a) in plan.network_acls.iter().enumerate() {
        all.push((&a.id, Obj::Acl, At::new("network_acls", i)));
    }
    for (id, obj, at) in all {
        if !valid_id(id) {
            errs.push(PlanError::new(
                format!("{at}.id"),
                format!("{id:?} is not a valid ID (letters, digits, '-' and '_', not empty)"),
            ));
        } else if let Some((_, first)) = ids.get(id) {
            errs.push(PlanError::new(format!("{at}.id"), format!("duplicate ID {id:?}: already used at {first}.id")));
        } else {
            ids.insert(id, (obj, at));
        }
    }
    let kind_of = |id: &str| ids.get(id).map(|(o, _)| *o);

    // 2. Top level.
    if plan.quotas.links_per_vpc == 0 {
        errs.push(PlanError::new("quotas.links_per_vpc", "must be at least 1"));
    }

    // 3. Classic instances.
    for (i, c) in plan.classic.iter().enumerate() {
        let at = At::new("classic", i);
        if c.region.trim().is_empty() {
            errs.push(PlanError::new(format!("{at}.region"), "a classic instance needs its region"));
        }
        if c.kind != Kind::Cvm && c.state != State::Running {
            errs.push(PlanError::new(
                format!("{at}.state"),
                format!("only a CVM has a state; {} is a {}", c.id, c.kind.label()),
            ));
        }
        check_groups(&mut errs, at, &c.security_groups, &kind_of);
        check_backends(&mut errs, at, c.kind, &c.backends, &kind_of);
    }

    // 4. VPCs, their subnets, resources and gateways.
    for (i, v) in plan.vpcs.iter().enumerate() {
        let at = At::new("vpcs", i);
        if v.region.trim().is_empty() {
            errs.push(PlanError::new(format!("{at}.region"), "a VPC needs its region"));
        }
        let mut blocks: Vec<(Cidr, String)> = vec![(v.cidr, format!("{at}.cidr"))];
        for (j, a) in v.assistant_cidrs.iter().enumerate() {
            let p = format!("{at}.assistant_cidrs[{j}]");
            if let Some((_, other)) = blocks.iter().find(|(b, _)| b.overlaps(a)) {
                errs.push(PlanError::new(&p, format!("{a} overlaps {other}")));
            }
            blocks.push((*a, p));
        }
        let mut subnets: Vec<(Cidr, At)> = Vec::with_capacity(v.subnets.len());
        for (j, s) in v.subnets.iter().enumerate() {
            let p = at.then("subnets", j);
            if !v.cidr.covers(&s.cidr) && !v.assistant_cidrs.iter().any(|a| a.covers(&s.cidr)) {
                errs.push(PlanError::new(
                    format!("{p}.cidr"),
                    format!("subnet {} ({}) lies outside VPC {}'s CIDRs ({})", s.id, s.cidr, v.id, cidr_list(v)),
                ));
            }
            if let Some((_, other)) = subnets.iter().find(|(b, _)| b.overlaps(&s.cidr)) {
                errs.push(PlanError::new(format!("{p}.cidr"), format!("{} overlaps the subnet at {other}", s.cidr)));
            }
            subnets.push((s.cidr, p));
            if let Some(acl) = &s.acl {
                expect_ref(&mut errs, &|| format!("{p}.acl"), acl, Obj::Acl, "network ACL", &kind_of);
            }
        }
        for (j, r) in v.resources.iter().enumerate() {
            let p = at.then("resources", j);
            match v.subnet(&r.subnet) {
                None => {
                    let msg = match kind_of(&r.subnet) {
                        Some(Obj::Subnet) => format!("subnet {:?} belongs to another VPC, not {}", r.subnet, v.id),
                        _ => format!("no subnet {:?} in VPC {}", r.subnet, v.id),
                    };
                    errs.push(PlanError::new(format!("{p}.subnet"), msg));
                }
                Some(s) if !s.cidr.contains(r.ip) => {
                    errs.push(PlanError::new(
                        format!("{p}.ip"),
                        format!("{} is outside subnet {} ({})", r.ip, s.id, s.cidr),
                    ));
                }
                Some(_) => {}
            }
            check_groups(&mut errs, p, &r.security_groups, &kind_of);
            check_backends(&mut errs, p, r.kind, &r.backends, &kind_of);
        }
        for (j, g) in v.gateways.iter().enumerate() {
            let p = at.then("gateways", j);
            if !g.kind.has_remote_cidrs() && !g.remote_cidrs.is_empty() {
                errs.push(PlanError::new(
                    format!("{p}.remote_cidrs"),
                    format!("a {} leads to the internet and has no remote_cidrs", g.kind.label()),
                ));
            }
            if g.kind.has_remote_cidrs() && g.remote_cidrs.is_empty() {
                errs.push(PlanError::new(
                    format!("{p}.remote_cidrs"),
                    format!("a {} needs the remote CIDRs it leads to", g.kind.label()),
                ));
            }
        }
    }

    // 5. Peerings and CCNs.
    for (i, p) in plan.peerings.iter().enumerate() {
        let at = format!("peerings[{i}].vpcs");
        if p.vpcs.len() != 2 {
            errs.push(PlanError::new(&at, format!("a peering joins exactly two VPCs, found {}", p.vpcs.len())));
        } else if p.vpcs[0] == p.vpcs[1] {
            errs.push(PlanError::new(&at, format!("a peering joins two different VPCs, found {} twice", p.vpcs[0])));
        }
        for (j, v) in p.vpcs.iter().enumerate() {
            expect_ref(&mut errs, &|| format!("{at}[{j}]"), v, Obj::Vpc, "VPC", &kind_of);
        }
    }
    for (i, c) in plan.ccns.iter().enumerate() {
        let at = format!("ccns[{i}].vpcs");
        let mut seen = HashSet::default();
        for (j, v) in c.vpcs.iter().enumerate() {
            expect_ref(&mut errs, &|| format!("{at}[{j}]"), v, Obj::Vpc, "VPC", &kind_of);
            if !seen.insert(v) {
                errs.push(PlanError::new(format!("{at}[{j}]"), format!("{v} is attached to {} twice", c.id)));
            }
        }
    }

    // 6. Links and terminal connections (the rules judge them; here only their references).
    for (i, l) in plan.links.iter().enumerate() {
        let at = At::new("links", i);
        match kind_of(&l.instance) {
            Some(Obj::Classic(_)) => {}
            Some(_) => {
                errs.push(PlanError::new(format!("{at}.instance"), format!("{} is not a classic instance", l.instance)))
            }
            None => {
                errs.push(PlanError::new(format!("{at}.instance"), format!("no classic instance {:?}", l.instance)))
            }
        }
        expect_ref(&mut errs, &|| format!("{at}.vpc"), &l.vpc, Obj::Vpc, "VPC", &kind_of);
    }
    for (i, t) in plan.terminal_connections.iter().enumerate() {
        let at = At::new("terminal_connections", i);
        match kind_of(&t.target) {
            Some(Obj::Classic(_)) => {}
            Some(_) => {
                errs.push(PlanError::new(format!("{at}.target"), format!("{} is not a classic instance", t.target)))
            }
            None => errs.push(PlanError::new(format!("{at}.target"), format!("no classic instance {:?}", t.target))),
        }
        expect_ref(&mut errs, &|| format!("{at}.vpc"), &t.vpc, Obj::Vpc, "VPC", &kind_of);
    }

    // 7. Expectations.
    for (i, e) in plan.expectations.iter().enumerate() {
        for (field, ep) in [("from", &e.from), ("to", &e.to)] {
            if let Endpoint::Id(id) = ep {
                match kind_of(id) {
                    Some(Obj::Classic(_) | Obj::Resource) => {}
                    Some(_) => errs.push(PlanError::new(
                        format!("expectations[{i}].{field}"),
                        format!(
                            "{id} is not an instance or resource (name a classic instance, a VPC resource or an IP)"
                        ),
                    )),
                    None => errs.push(PlanError::new(
                        format!("expectations[{i}].{field}"),
                        format!("no object {id:?} and not an IPv4 address"),
                    )),
                }
            }
        }
        if e.port == Some(0) {
            errs.push(PlanError::new(format!("expectations[{i}].port"), "port 0 is not a port (1-65535)"));
        }
    }

    if errs.is_empty() {
        Ok(())
    } else {
        Err(LoadError { errors: errs })
    }
}

fn cidr_list(v: &super::model::Vpc) -> String {
    let mut s = v.cidr.to_string();
    for a in &v.assistant_cidrs {
        s.push_str(", ");
        s.push_str(&a.to_string());
    }
    s
}

fn expect_ref(
    errs: &mut Vec<PlanError>,
    path: &dyn Fn() -> String,
    id: &str,
    want: Obj,
    what: &str,
    kind_of: &dyn Fn(&str) -> Option<Obj>,
) {
    match kind_of(id) {
        Some(o) if o == want => {}
        Some(_) => errs.push(PlanError::new(path(), format!("{id} is not a {what}"))),
        None => errs.push(PlanError::new(path(), format!("no {what} {id:?}"))),
    }
}

fn check_groups(errs: &mut Vec<PlanError>, at: At, groups: &[Name], kind_of: &dyn Fn(&str) -> Option<Obj>) {
    for (k, g) in groups.iter().enumerate() {
        expect_ref(errs, &|| format!("{at}.security_groups[{k}]"), g, Obj::SecurityGroup, "security group", kind_of);
    }
}

fn check_backends(
    errs: &mut Vec<PlanError>,
    at: At,
    kind: Kind,
    backends: &[Name],
    kind_of: &dyn Fn(&str) -> Option<Obj>,
) {
    if kind != Kind::Clb && !backends.is_empty() {
        errs.push(PlanError::new(
            format!("{at}.backends"),
            format!("only a CLB binds backends, this is a {}", kind.label()),
        ));
        return;
    }
    for (k, b) in backends.iter().enumerate() {
        match kind_of(b) {
            Some(Obj::Classic(Kind::Cvm) | Obj::Resource) => {}
            Some(_) => errs
                .push(PlanError::new(format!("{at}.backends[{k}]"), format!("{b} is not an instance a CLB can bind"))),
            None => errs.push(PlanError::new(format!("{at}.backends[{k}]"), format!("no instance {b:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;

    const EXAMPLE: &str = include_str!("../../tests/fixtures/plan-format-example.json");

    #[test]
    fn the_reference_example_loads_and_round_trips() {
        let plan = import(EXAMPLE).expect("the plan-format.md example is a valid plan");
        assert_eq!(plan.vpcs.len(), 3);
        let once = export(&plan);
        let again = import(&once).unwrap();
        assert_eq!(again, plan);
        assert_eq!(export(&again), once, "export(import(x)) is byte-stable");
    }

    #[test]
    fn the_app_example_loads_and_round_trips() {
        let text = include_str!("../../www/examples/guangzhou.json");
        let plan = import(text).expect("the app's example plan is valid");
        assert_eq!(plan.classic.iter().filter(|c| c.kind.is_cvm()).count(), 12);
        assert_eq!(import(&export(&plan)).unwrap(), plan);
    }

    /// The compact text (share links) is serde_json's own compact printing of the plan, including names and
    /// descriptions holding spaces, quotes, backslashes, escaped control characters and non-ASCII text.
    #[test]
    fn compact_json_is_serde_jsons_compact_printing() {
        let mut tricky = import(EXAMPLE).unwrap();
        tricky.name = "Plan \"A\" \\ B: { [1, 2] } ,\n\t\u{1} 广州 基础网络 ☁".to_string();
        tricky.vpcs[0].name = " leading and trailing spaces ".to_string();
        let rule = tricky.security_groups.iter_mut().flat_map(|g| &mut g.egress).next().expect("a rule");
        rule.description = "a \\\" b\\".to_string();
        for plan in
            [import(EXAMPLE).unwrap(), import(include_str!("../../www/examples/guangzhou.json")).unwrap(), tricky]
        {
            let compact = plan.to_json_compact();
            assert_eq!(compact, serde_json::to_string(&plan).unwrap());
            assert_eq!(import(&compact).unwrap(), plan);
        }
    }

    /// Every class of unusable input is refused with its JSON location (the same table runs in the browser).
    #[test]
    fn unusable_plans_name_the_location() {
        let base: Value = serde_json::from_str(EXAMPLE).unwrap();
        type Edit = fn(&mut Value);
        let cases: &[(&str, Edit, &str, &str)] = &[
            ("wrong format", |v| v["format"] = "other".into(), "format", "expected"),
            ("unknown version", |v| v["version"] = 2.into(), "version", "unknown version 2"),
            ("bad CIDR", |v| v["vpcs"][1]["cidr"] = "10.1.0.0/33".into(), "vpcs[1].cidr", "prefix length"),
            ("host bits", |v| v["vpcs"][0]["cidr"] = "10.0.0.1/16".into(), "vpcs[0].cidr", "did you mean 10.0.0.0/16"),
            ("bad IP", |v| v["classic"][0]["ip"] = "10.66.12".into(), "classic[0].ip", "IP"),
            ("unknown kind", |v| v["classic"][1]["kind"] = "oracle".into(), "classic[1].kind", "unknown variant"),
            (
                "typo",
                |v| v["classic"][0]["secuirty_groups"] = Value::Array(vec![]),
                "classic[0].secuirty_groups",
                "unknown field",
            ),
            ("duplicate ID", |v| v["vpcs"][1]["id"] = "vpc-prod".into(), "vpcs[1].id", "already used at vpcs[0].id"),
            ("bad ID", |v| v["vpcs"][1]["id"] = "vpc dev".into(), "vpcs[1].id", "not a valid ID"),
            ("dangling VPC", |v| v["links"][0]["vpc"] = "vpc-nope".into(), "links[0].vpc", "no VPC"),
            (
                "dangling instance",
                |v| v["links"][0]["instance"] = "vpc-dev".into(),
                "links[0].instance",
                "not a classic instance",
            ),
            (
                "subnet outside",
                |v| v["vpcs"][0]["subnets"][0]["cidr"] = "10.9.1.0/24".into(),
                "vpcs[0].subnets[0].cidr",
                "outside VPC vpc-prod",
            ),
            (
                "IP outside subnet",
                |v| v["vpcs"][0]["resources"][0]["ip"] = "10.0.9.5".into(),
                "vpcs[0].resources[0].ip",
                "outside subnet subnet-app",
            ),
            (
                "foreign subnet",
                |v| v["vpcs"][0]["resources"][0]["subnet"] = "subnet-dev".into(),
                "vpcs[0].resources[0].subnet",
                "another VPC",
            ),
            (
                "dangling group",
                |v| v["classic"][0]["security_groups"][0] = "sg-nope".into(),
                "classic[0].security_groups[0]",
                "no security group",
            ),
            (
                "dangling ACL",
                |v| v["vpcs"][0]["subnets"][0]["acl"] = "acl-nope".into(),
                "vpcs[0].subnets[0].acl",
                "no network ACL",
            ),
            (
                "dangling backend",
                |v| v["classic"][2]["backends"][0] = "ins-nope".into(),
                "classic[2].backends[0]",
                "no instance",
            ),
            (
                "peering of one",
                |v| v["peerings"][0]["vpcs"] = serde_json::json!(["vpc-prod"]),
                "peerings[0].vpcs",
                "exactly two",
            ),
            (
                "bad port",
                |v| v["security_groups"][1]["ingress"][0]["port"] = "22-20".into(),
                "security_groups[1].ingress[0].port",
                "backwards",
            ),
            (
                "expectation endpoint",
                |v| v["expectations"][0]["to"] = "cdb-nope".into(),
                "expectations[0].to",
                "no object",
            ),
            ("zero quota", |v| v["quotas"]["links_per_vpc"] = 0.into(), "quotas.links_per_vpc", "at least 1"),
        ];
        for (name, edit, path, words) in cases {
            let mut v = base.clone();
            edit(&mut v);
            let err = import(&v.to_string()).expect_err(name);
            assert!(
                err.errors.iter().any(|e| e.path == *path && e.message.contains(words)),
                "{name}: want {path}: ...{words}... in {err}"
            );
        }
        assert_eq!(import("{ nope").unwrap_err().errors[0].path, ".");
    }
}
