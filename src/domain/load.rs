//! Reading a plan: JSON text in, a [`Plan`] whose references all resolve out, or every problem with its JSON location.
//!
//! Two passes. The first is serde (through the `located` deserializer, which keeps the JSON location), which refuses
//! what the JSON types cannot hold: a bad CIDR, an unknown kind, a missing field, an unknown field (a typo such as
//! `secuirty_groups` would otherwise be silently dropped). The second, [`validate`], checks what types cannot: unique
//! IDs, references that resolve, subnets inside their VPC, IPs inside their subnet.

use super::addr::Cidr;
use super::index::fx_map;
use super::model::{Endpoint, Kind, Name, Plan, State, Subnet, FORMAT, VERSION};
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

    /// The location to show a person: none for the whole document (`.`), which has no place inside it to point at (a
    /// syntax error says its line and column in its message). A bare `.` in front of the message reads as a stray
    /// character.
    pub fn location(&self) -> Option<&str> {
        Some(self.path.as_str()).filter(|p| *p != ".")
    }
}

/// `vpcs[1].cidr: bad CIDR`; an error of the whole document is its message alone (see [`PlanError::location`]).
impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location() {
            Some(at) => write!(f, "{at}: {}", self.message),
            None => f.write_str(&self.message),
        }
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
    import_value(parse_json(text, "a plan")?)
}

/// Parses a document the user gave (`what`: "a plan", "a bundle"): a byte order mark (some Windows editors write
/// one) is read past, empty text says so, and a key given twice in one object is refused where it repeats (see
/// [`super::located::parse`]).
pub fn parse_json(text: &str, what: &str) -> Result<Value, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(PlanError::new(".", format!("empty: {what} is a JSON object")).into());
    }
    super::located::parse(text).map_err(|(at, e)| {
        match at.as_str() {
            "." => PlanError::new(".", format!("not JSON: {e}")),
            _ => PlanError::new(at, e),
        }
        .into()
    })
}

/// Reads a plan from a JSON value (see [`import`]).
pub fn import_value(value: Value) -> Result<Plan, LoadError> {
    let obj = value.as_object().ok_or_else(|| PlanError::new(".", "a plan is a JSON object"))?;
    match obj.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => return Err(PlanError::new("format", format!("expected \"{FORMAT}\", found {other}")).into()),
        None => {
            // A bundle of Tencent Cloud API responses is a JSON object too: say where it goes.
            let bundle = obj.keys().any(|k| k.starts_with("Describe"));
            let hint = if bundle {
                ". This looks like Tencent Cloud API responses: import them with `classiclink import --from tencent` \
                 or the app's Tools tab, Import from Tencent"
            } else {
                ""
            };
            return Err(PlanError::new(
                "format",
                format!("missing: a plan starts with \"format\": \"{FORMAT}\"{hint}"),
            )
            .into());
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
    let plan: Plan = super::located::from_value(value).map_err(|(path, e)| {
        let mut message = clean_serde_message(&e.to_string());
        // The numbers whose least value is 1, not 0 (see `validate`): one range, said the same way by both checks.
        let expectation_port = path.strip_prefix("expectations[").is_some_and(|r| r.ends_with("].port"));
        if path == "quotas.links_per_vpc" || expectation_port {
            message = message.replace("a whole number from 0 to", "a whole number from 1 to");
        }
        PlanError::new(path, message)
    })?;
    validate(&plan)?;
    Ok(plan)
}

/// A file's bytes as text: UTF-8 (a byte order mark is read past later, by [`import`]). Anything else is refused in
/// words, rather than read with replacement characters in place of what it could not decode.
pub fn text_from_bytes(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err("the file is UTF-16 text: save it as UTF-8".to_string());
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("the file is not UTF-8 text (from byte {at}, counting from 0): save it as UTF-8")
    })
}

/// serde's type errors in a user's words: `invalid type: string "8080", expected u16` becomes `expected a whole
/// number from 0 to 65535, found the string "8080"`. serde_json appends " at line L column C": the JSON location
/// already says where. Other messages (unknown field, unknown variant, missing field) are kept as they are.
fn clean_serde_message(m: &str) -> String {
    let m = match m.rfind(" at line ") {
        Some(i) if m[i..].contains(" column ") => &m[..i],
        _ => m,
    };
    let Some((found, expected)) = m
        .strip_prefix("invalid type: ")
        .or_else(|| m.strip_prefix("invalid value: "))
        .and_then(|r| r.rsplit_once(", expected "))
    else {
        return m.to_string();
    };
    let expected = match expected {
        "u8" => "a whole number from 0 to 255".to_string(),
        "u16" => "a whole number from 0 to 65535".to_string(),
        "u32" => "a whole number from 0 to 4294967295".to_string(),
        "a sequence" => "a list ([...])".to_string(),
        "string" | "a string" => "a string".to_string(),
        "a boolean" => "true or false".to_string(),
        other if other.starts_with("struct ") || other == "a map" => "an object ({...})".to_string(),
        other => other.to_string(),
    };
    let found = match found {
        "map" => "an object".to_string(),
        "sequence" => "a list".to_string(),
        "null" => "null".to_string(),
        other => match other.split_once(' ') {
            Some(("string", s)) => format!("the string {s}"),
            Some(("integer" | "floating", n)) => {
                format!("the number {}", n.trim_start_matches("point ").trim_matches('`'))
            }
            Some(("boolean", b)) => b.trim_matches('`').to_string(),
            _ => other.to_string(),
        },
    };
    format!("expected {expected}, found {found}")
}

/// Writes a plan as JSON (see [`Plan::to_json`]).
pub fn export(plan: &Plan) -> String {
    plan.to_json()
}

/// What is wrong with a (non-empty) region name: a space in it would make two regions of one (`"ap-guangzhou "` is
/// not `"ap-guangzhou"`), and every region rule would fire.
fn region_error(region: &str) -> Option<String> {
    spaced_name(region, "a region", "ap-guangzhou")
}

/// What is wrong with a name of `what` (like `like`) that has a space in it.
fn spaced_name(name: &str, what: &str, like: &str) -> Option<String> {
    name.contains(char::is_whitespace).then(|| format!("{name:?}: {what} name has no spaces (like {like})"))
}

/// What is wrong with a zone's name: a space in it.
fn zone_error(zone: &str) -> Option<String> {
    spaced_name(zone, "a zone", "ap-guangzhou-3")
}

/// Whether `r` is written as a Tencent Cloud region is: two lower-case letters, a dash, then lower-case letters,
/// digits and dashes (`ap-guangzhou`, `ap-shanghai-fsi`, `na-siliconvalley`), not ending in `-N` as a zone does
/// (`ap-guangzhou-3`: taken as a region, its VPCs would be in another region than its CVMs).
pub(crate) fn is_region(r: &str) -> bool {
    let (area, place) = r.split_once('-').unwrap_or_default();
    area.len() == 2
        && area.bytes().all(|b| b.is_ascii_lowercase())
        && !place.is_empty()
        && !place.ends_with('-')
        && place.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && region_of_zone(r).is_none()
}

/// The region a zone belongs to: `ap-guangzhou-3` -> `ap-guangzhou`; `None` when the zone ends in no `-N`.
pub fn region_of_zone(zone: &str) -> Option<&str> {
    let (head, tail) = zone.rsplit_once('-')?;
    (!head.is_empty() && !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit())).then_some(head)
}

/// The region of a zone written as Tencent Cloud writes one, a region then `-N` (`ap-guangzhou-3` ->
/// `ap-guangzhou`); `None` for any other name (`zone-a`, `gz-3`), which says no region. The plan's check of a zone
/// against its object's region ([`uncreatable`]) and the Tencent import's of a bundle's zones agree through it.
pub fn zone_region(zone: &str) -> Option<&str> {
    region_of_zone(zone).filter(|r| is_region(r))
}

/// What is wrong with a zone in `region` (a subnet's VPC's, a classic instance's): it is a zone of another region
/// (`ap-beijing-1` in a VPC of `ap-guangzhou`, which CreateSubnet refuses). `of` says whose region `region` is. A
/// zone that says no region ([`zone_region`]; one with a space says none) is not compared; an empty zone is allowed.
fn zone_elsewhere(zone: &str, region: &str, of: impl FnOnce() -> String) -> Option<String> {
    let r = zone_region(zone).filter(|r| !region.is_empty() && r != &region)?;
    Some(format!("{zone} is a zone of {r}, not of {region}, the region of {}", of()))
}

/// The longest prefix of a VPC's CIDR (primary or assistant): Tencent Cloud's smallest VPC block is a /28, 16
/// addresses.
pub const MAX_VPC_PREFIX: u8 = 28;

/// Why a VPC cannot have `c` as a CIDR: a block smaller than Tencent Cloud's smallest VPC (a single address typed
/// without its prefix length is read as a /32, which no VPC is, and every link to it would look accepted).
fn too_small_for_a_vpc(c: &Cidr) -> Option<String> {
    (c.prefix() > MAX_VPC_PREFIX).then(|| {
        let what = match c.size() {
            1 => "a single address".to_string(),
            n => format!("a block of {n} addresses"),
        };
        format!(
            "{c} is {what}: a VPC's CIDR holds at least 16 addresses (a prefix length of /{MAX_VPC_PREFIX} or less)"
        )
    })
}

/// What a plan holds that no Tencent Cloud console could create, with its location: a VPC CIDR (primary or
/// assistant) smaller than a /28, a resource at its subnet's first or last address (the network's and the
/// broadcast's), a zone name with a space, a zone of another region than its classic instance's or its subnet's
/// VPC's. Not the reader's business ([`validate`] takes such a plan, so that one written before these were checked,
/// an autosave or a share link among them, still opens): the forms refuse an edit that adds one (`session::forms`),
/// as a console would refuse to create it.
pub fn uncreatable(plan: &Plan) -> Vec<PlanError> {
    let mut errs = Vec::new();
    for (i, c) in plan.classic.iter().enumerate() {
        let of = || format!("classic instance {}", c.id);
        if let Some(e) = zone_error(&c.zone).or_else(|| zone_elsewhere(&c.zone, &c.region, of)) {
            errs.push(PlanError::new(format!("{}.zone", At::new("classic", i)), e));
        }
    }
    for (i, v) in plan.vpcs.iter().enumerate() {
        let at = At::new("vpcs", i);
        let blocks = std::iter::once((v.cidr, format!("{at}.cidr")))
            .chain(v.assistant_cidrs.iter().enumerate().map(|(j, a)| (*a, format!("{at}.assistant_cidrs[{j}]"))));
        for (c, p) in blocks {
            if let Some(e) = too_small_for_a_vpc(&c) {
                errs.push(PlanError::new(p, e));
            }
        }
        for (j, s) in v.subnets.iter().enumerate() {
            let of = || format!("subnet {}'s VPC {}", s.id, v.id);
            if let Some(e) = zone_error(&s.zone).or_else(|| zone_elsewhere(&s.zone, &v.region, of)) {
                errs.push(PlanError::new(format!("{}.zone", at.then("subnets", j)), e));
            }
        }
        for (j, r) in v.resources.iter().enumerate() {
            let Some((s, which)) = v.subnet(&r.subnet).and_then(|s| Some((s, s.cidr.end_of(r.ip)?))) else { continue };
            errs.push(PlanError::new(
                format!("{}.ip", at.then("resources", j)),
                format!("{} is the {which} address of subnet {} ({}), which no instance has", r.ip, s.id, s.cidr),
            ));
        }
    }
    errs
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
    Resource(Kind),
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
            all.push((&r.id, Obj::Resource(r.kind), at.then("resources", j)));
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
        } else if let Some(e) = region_error(&c.region) {
            errs.push(PlanError::new(format!("{at}.region"), e));
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
        } else if let Some(e) = region_error(&v.region) {
            errs.push(PlanError::new(format!("{at}.region"), e));
        }
        let mut blocks: Vec<(Cidr, String)> = vec![(v.cidr, format!("{at}.cidr"))];
        for (j, a) in v.assistant_cidrs.iter().enumerate() {
            let p = format!("{at}.assistant_cidrs[{j}]");
            if let Some((_, other)) = blocks.iter().find(|(b, _)| b.overlaps(a)) {
                errs.push(PlanError::new(&p, format!("{a} overlaps {other}")));
            }
            blocks.push((*a, p));
        }
        let cidrs: Vec<Cidr> = v.subnets.iter().map(|s| s.cidr).collect();
        let overlap = super::addr::first_earlier_overlap(&cidrs);
        for (j, s) in v.subnets.iter().enumerate() {
            let p = at.then("subnets", j);
            if !v.cidr.covers(&s.cidr) && !v.assistant_cidrs.iter().any(|a| a.covers(&s.cidr)) {
                errs.push(PlanError::new(
                    format!("{p}.cidr"),
                    format!("subnet {} ({}) lies outside VPC {}'s CIDRs ({})", s.id, s.cidr, v.id, cidr_list(v)),
                ));
            }
            if let Some(other) = overlap[j] {
                errs.push(PlanError::new(
                    format!("{p}.cidr"),
                    format!("{} overlaps the subnet at {}", s.cidr, at.then("subnets", other)),
                ));
            }
            if let Some(acl) = &s.acl {
                expect_ref(&mut errs, &|| format!("{p}.acl"), acl, Obj::Acl, "network ACL", &kind_of);
            }
        }
        // Resources find their subnet by ID: by a table when the VPC has many subnets.
        let by_id: Option<FxHashMap<&str, &Subnet>> = (v.subnets.len() > 16).then(|| {
            let mut m = fx_map(v.subnets.len());
            for s in &v.subnets {
                m.entry(s.id.as_str()).or_insert(s);
            }
            m
        });
        for (j, r) in v.resources.iter().enumerate() {
            let p = at.then("resources", j);
            let subnet = match &by_id {
                Some(m) => m.get(r.subnet.as_str()).copied(),
                None => v.subnet(&r.subnet),
            };
            match subnet {
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
        if l.invalidated && l.ip.is_none() {
            errs.push(PlanError::new(
                format!("{at}.invalidated"),
                "an invalidated link needs the ip it was made for (\"ip\")".to_string(),
            ));
        }
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

    // 7. Rules: a group peer names a security group of the plan; an ACL rule names addresses only (Tencent Cloud's
    // network ACLs take CIDRs, not security groups).
    for (i, g) in plan.security_groups.iter().enumerate() {
        for (dir, list) in [("ingress", &g.ingress), ("egress", &g.egress)] {
            for (k, r) in list.iter().enumerate() {
                if let Some(peer) = r.peer.group() {
                    let at = || format!("security_groups[{i}].{dir}[{k}].group");
                    expect_ref(&mut errs, &at, peer, Obj::SecurityGroup, "security group", &kind_of);
                }
            }
        }
    }
    for (i, a) in plan.network_acls.iter().enumerate() {
        for (dir, list) in [("ingress", &a.ingress), ("egress", &a.egress)] {
            for (k, r) in list.iter().enumerate().filter(|(_, r)| r.peer.group().is_some()) {
                errs.push(PlanError::new(
                    format!("network_acls[{i}].{dir}[{k}].group"),
                    format!("a network ACL rule names a CIDR or an IP, not a security group ({})", r.peer),
                ));
            }
        }
    }

    // 8. Expectations.
    for (i, e) in plan.expectations.iter().enumerate() {
        for (field, ep) in [("from", &e.from), ("to", &e.to)] {
            if let Endpoint::Id(id) = ep {
                match kind_of(id) {
                    Some(Obj::Classic(_) | Obj::Resource(_)) => {}
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

    // 9. Addresses: one holder per address in a network.
    shared_addresses(plan, &mut errs);

    if errs.is_empty() {
        Ok(())
    } else {
        Err(LoadError { errors: errs })
    }
}

/// A network in which an address has one holder: a region's classic network, or a VPC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Net<'p> {
    Classic(&'p str),
    Vpc(usize),
}

/// Refuses an address held twice in one network: by two classic instances of a region, or by two resources of a VPC.
/// Tencent Cloud assigns each private address once per network, and a reachability question about that address could
/// not tell the two apart. A returned instance or resource no longer holds its address (it may have gone to a new
/// one). A terminal connection's address is CL017's business: a plan with that conflict loads, and the check says so.
/// Sorted, not hashed: n log n on a plan of Tencent's largest size. Each holder is told (the one being edited may be
/// either).
fn shared_addresses(plan: &Plan, errs: &mut Vec<PlanError>) {
    let mut held: Vec<(u32, Net<'_>, (usize, usize))> = Vec::new();
    for (i, c) in plan.classic.iter().enumerate() {
        if c.state != State::Returned {
            held.push((u32::from(c.ip), Net::Classic(&c.region), (i, 0)));
        }
    }
    for (v, vpc) in plan.vpcs.iter().enumerate() {
        for (j, r) in vpc.resources.iter().enumerate() {
            if r.state != State::Returned {
                held.push((u32::from(r.ip), Net::Vpc(v), (v, j)));
            }
        }
    }
    held.sort_unstable();
    // (JSON location, ID) of a holder.
    let describe = |net: Net<'_>, (a, b): (usize, usize)| -> (String, &str) {
        match net {
            Net::Classic(_) => (format!("classic[{a}]"), plan.classic[a].id.as_str()),
            Net::Vpc(_) => (format!("vpcs[{a}].resources[{b}]"), plan.vpcs[a].resources[b].id.as_str()),
        }
    };
    for run in held.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)).filter(|run| run.len() > 1) {
        let (ip, net) = (std::net::Ipv4Addr::from(run[0].0), run[0].1);
        let network = match net {
            Net::Classic(region) => format!("{region}'s classic network"),
            Net::Vpc(v) => format!("VPC {}", plan.vpcs[v].id),
        };
        // At every holder (the one being edited may be either), naming another.
        for (i, &(_, _, h)) in run.iter().enumerate() {
            let (at, _) = describe(net, h);
            let (other_at, other_id) = describe(net, run[usize::from(i == 0)].2);
            errs.push(PlanError::new(
                format!("{at}.ip"),
                format!("{ip} is also {other_id}'s address ({other_at}) in {network}: one address, one holder"),
            ));
        }
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
        // A group is bound once (its rules would be evaluated twice at two priorities).
        if let Some(first) = groups[..k].iter().position(|x| x == g) {
            errs.push(PlanError::new(format!("{at}.security_groups[{k}]"), listed_twice(g, first)));
        }
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
            // A CLB binds CVMs, classic or in a VPC (not a database, nor a CLB).
            Some(Obj::Classic(Kind::Cvm) | Obj::Resource(Kind::Cvm)) => {}
            Some(_) => errs
                .push(PlanError::new(format!("{at}.backends[{k}]"), format!("{b} is not an instance a CLB can bind"))),
            None => errs.push(PlanError::new(format!("{at}.backends[{k}]"), format!("no instance {b:?}"))),
        }
        // A backend is bound once (a CLB binds an instance, not the same one twice): listed again, the checklist
        // and the exports would repeat it.
        if let Some(first) = backends[..k].iter().position(|x| x == b) {
            errs.push(PlanError::new(format!("{at}.backends[{k}]"), listed_twice(b, first)));
        }
    }
}

/// What a list item that repeats an earlier one (at index `first` of the same list) says. The earlier one is named
/// by its place in the list (`1st`), not by its JSON location: `security_groups[0]` inside an instance's message
/// reads as the plan's own first security group to whoever turns locations into names (the forms do).
fn listed_twice(id: &str, first: usize) -> String {
    format!("{id} is listed twice (also {})", ordinal(first + 1))
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
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
        assert_eq!(uncreatable(&plan), [], "a console could create all of it");
    }

    /// A security group rule may name a group as its peer (`group` instead of `cidr`): the plan reads it as such, and
    /// prints it back byte for byte; a v1 plan's rules (all `cidr`) print as they did.
    #[test]
    fn group_rules_load_and_round_trip() {
        let mut v: Value = serde_json::from_str(EXAMPLE).unwrap();
        let rule = &mut v["security_groups"][1]["ingress"][0];
        rule.as_object_mut().unwrap().remove("cidr");
        rule["group"] = "sg-web".into();
        let plan = import(&v.to_string()).expect("a group rule naming a group of the plan");
        let r = &plan.security_group("sg-app").unwrap().ingress[0];
        assert_eq!(r.peer, super::super::model::Peer::Group("sg-web".into()));
        let once = export(&plan);
        assert!(once.contains(r#""group": "sg-web""#), "{once}");
        assert_eq!(export(&import(&once).unwrap()), once, "export(import(x)) is byte-stable");
        assert_eq!(import(&plan.to_json_compact()).unwrap(), plan);
        // A v1 plan: no `group` anywhere, every rule as it was.
        let v1 = export(&import(EXAMPLE).unwrap());
        assert!(!v1.contains("\"group\""));
        assert_eq!(v1.matches(r#""cidr": "0.0.0.0/0""#).count(), 3);
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
            (
                "invalidated link without its IP",
                |v| {
                    v["links"][0]["invalidated"] = true.into();
                    v["links"][0].as_object_mut().unwrap().remove("ip");
                },
                "links[0].invalidated",
                "needs the ip it was made for",
            ),
            ("unknown version", |v| v["version"] = 2.into(), "version", "unknown version 2"),
            ("bad CIDR", |v| v["vpcs"][1]["cidr"] = "10.1.0.0/33".into(), "vpcs[1].cidr", "prefix length"),
            ("host bits", |v| v["vpcs"][0]["cidr"] = "10.0.0.1/16".into(), "vpcs[0].cidr", "did you mean 10.0.0.0/16"),
            (
                "bad IP",
                |v| v["classic"][0]["ip"] = "10.66.12".into(),
                "classic[0].ip",
                "\"10.66.12\" is not an IPv4 address",
            ),
            (
                "bad resource IP",
                |v| v["vpcs"][0]["resources"][0]["ip"] = "10.0.1.300".into(),
                "vpcs[0].resources[0].ip",
                "\"10.0.1.300\" is not an IPv4 address",
            ),
            ("bad link IP", |v| v["links"][0]["ip"] = "ten".into(), "links[0].ip", "\"ten\" is not an IPv4 address"),
            (
                "bad terminal connection IP",
                |v| v["terminal_connections"][0]["ip"] = "1.2.3".into(),
                "terminal_connections[0].ip",
                "\"1.2.3\" is not an IPv4 address",
            ),
            (
                "IP as a number",
                |v| v["classic"][0]["ip"] = 5.into(),
                "classic[0].ip",
                "expected a string, found the number 5",
            ),
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
            (
                "negative quota",
                |v| v["quotas"]["links_per_vpc"] = (-1).into(),
                "quotas.links_per_vpc",
                "expected a whole number from 1 to 4294967295, found the number -1",
            ),
            (
                "expectation port too big",
                |v| v["expectations"][0]["port"] = 65536.into(),
                "expectations[0].port",
                "expected a whole number from 1 to 65535, found the number 65536",
            ),
            ("expectation port 0", |v| v["expectations"][0]["port"] = 0.into(), "expectations[0].port", "(1-65535)"),
            ("region with a space", |v| v["vpcs"][0]["region"] = "ap-guangzhou ".into(), "vpcs[0].region", "no spaces"),
            ("classic region", |v| v["classic"][0]["region"] = "ap guangzhou".into(), "classic[0].region", "no spaces"),
            (
                "classic address twice",
                |v| v["classic"][1]["ip"] = v["classic"][0]["ip"].clone(),
                "classic[1].ip",
                "10.66.12.7 is also ins-web01's address (classic[0]) in ap-guangzhou's classic network",
            ),
            (
                "classic address twice, told to the first too",
                |v| v["classic"][1]["ip"] = v["classic"][0]["ip"].clone(),
                "classic[0].ip",
                "10.66.12.7 is also cdb-orders's address (classic[1])",
            ),
            (
                "VPC address twice",
                |v| v["vpcs"][0]["resources"][1]["ip"] = v["vpcs"][0]["resources"][0]["ip"].clone(),
                "vpcs[0].resources[1].ip",
                "(vpcs[0].resources[0]) in VPC vpc-prod",
            ),
            (
                "group bound twice",
                |v| v["classic"][0]["security_groups"] = serde_json::json!(["sg-web", "sg-web"]),
                "classic[0].security_groups[1]",
                "sg-web is listed twice (also 1st)",
            ),
            (
                "backend bound twice",
                |v| {
                    let b = v["vpcs"][0]["resources"][2]["backends"][0].clone();
                    v["vpcs"][0]["resources"][2]["backends"].as_array_mut().unwrap().push(b);
                },
                "vpcs[0].resources[2].backends[1]",
                "is listed twice (also 1st)",
            ),
            (
                "CLB binding a database",
                |v| v["vpcs"][0]["resources"][2]["backends"][0] = "cdb-vpc1".into(),
                "vpcs[0].resources[2].backends[0]",
                "not an instance a CLB can bind",
            ),
            (
                "state of a non-CVM",
                |v| v["classic"][1]["state"] = "stopped".into(),
                "classic[1].state",
                "only a CVM has a state; cdb-orders is a MySQL",
            ),
            (
                "subnet larger than its VPC",
                |v| v["vpcs"][0]["subnets"][0]["cidr"] = "10.0.0.0/15".into(),
                "vpcs[0].subnets[0].cidr",
                "subnet subnet-app (10.0.0.0/15) lies outside VPC vpc-prod's CIDRs",
            ),
            (
                "peering of one VPC twice",
                |v| v["peerings"][0]["vpcs"] = serde_json::json!(["vpc-prod", "vpc-prod"]),
                "peerings[0].vpcs",
                "two different VPCs, found vpc-prod twice",
            ),
            ("expectation on port 0", |v| v["expectations"][0]["port"] = 0.into(), "expectations[0].port", "port 0"),
            (
                "assistant CIDR in the primary",
                |v| v["vpcs"][1]["assistant_cidrs"] = serde_json::json!(["10.1.2.0/24"]),
                "vpcs[1].assistant_cidrs[0]",
                "10.1.2.0/24 overlaps vpcs[1].cidr",
            ),
            (
                "VPN gateway without remote CIDRs",
                |v| v["vpcs"][0]["gateways"][0]["remote_cidrs"] = serde_json::json!([]),
                "vpcs[0].gateways[0].remote_cidrs",
                "needs the remote CIDRs it leads to",
            ),
            (
                "Direct Connect gateway without remote CIDRs",
                |v| {
                    v["vpcs"][0]["gateways"][1].as_object_mut().unwrap().remove("remote_cidrs");
                },
                "vpcs[0].gateways[1].remote_cidrs",
                "needs the remote CIDRs it leads to",
            ),
            (
                "rule naming no security group",
                |v| {
                    let r = &mut v["security_groups"][1]["ingress"][0];
                    r.as_object_mut().unwrap().remove("cidr");
                    r["group"] = "sg-nope".into();
                },
                "security_groups[1].ingress[0].group",
                "no security group \"sg-nope\"",
            ),
            (
                "rule naming a VPC as its group",
                |v| {
                    let r = &mut v["security_groups"][1]["egress"][0];
                    r.as_object_mut().unwrap().remove("cidr");
                    r["group"] = "vpc-prod".into();
                },
                "security_groups[1].egress[0].group",
                "vpc-prod is not a security group",
            ),
            (
                "rule naming a CIDR and a group",
                |v| v["security_groups"][1]["ingress"][0]["group"] = "sg-web".into(),
                "security_groups[1].ingress[0]",
                "a cidr or a group, not both",
            ),
            (
                "rule naming no peer",
                |v| drop(v["security_groups"][1]["ingress"][0].as_object_mut().unwrap().remove("cidr")),
                "security_groups[1].ingress[0]",
                "missing field `cidr`",
            ),
            (
                "ACL rule naming a group",
                |v| {
                    let r = &mut v["network_acls"][0]["ingress"][0];
                    r.as_object_mut().unwrap().remove("cidr");
                    r["group"] = "sg-web".into();
                },
                "network_acls[0].ingress[0].group",
                "a network ACL rule names a CIDR or an IP, not a security group",
            ),
            (
                "a group written as a CIDR",
                |v| v["security_groups"][1]["ingress"][0]["cidr"] = "sg-web".into(),
                "security_groups[1].ingress[0].cidr",
                "not an IPv4 CIDR",
            ),
            (
                "signed port",
                |v| v["security_groups"][1]["ingress"][0]["port"] = "+22".into(),
                "security_groups[1].ingress[0].port",
                "not a port set",
            ),
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

    #[test]
    fn text_from_bytes_takes_utf8_only() {
        assert_eq!(text_from_bytes("{\"é\": 1}".as_bytes().to_vec()), Ok("{\"é\": 1}".to_string()));
        assert_eq!(text_from_bytes(b"\xef\xbb\xbf{}".to_vec()), Ok("\u{feff}{}".to_string()));
        assert_eq!(
            text_from_bytes(b"{\"Caf\xe9\"}".to_vec()),
            Err("the file is not UTF-8 text (from byte 5, counting from 0): save it as UTF-8".to_string())
        );
        assert!(text_from_bytes(b"\xff\xfe{\x00".to_vec()).unwrap_err().contains("UTF-16"));
    }

    /// serde's type errors come in a user's words.
    #[test]
    fn type_errors_in_words() {
        let table = [
            (
                "invalid type: string \"8080\", expected u16",
                "expected a whole number from 0 to 65535, found the string \"8080\"",
            ),
            (
                "invalid value: integer `65536`, expected u16",
                "expected a whole number from 0 to 65535, found the number 65536",
            ),
            (
                "invalid type: floating point `1000.0`, expected u16",
                "expected a whole number from 0 to 65535, found the number 1000.0",
            ),
            ("invalid type: integer `5`, expected struct FilterRule", "expected an object ({...}), found the number 5"),
            ("invalid type: map, expected a sequence at line 3 column 9", "expected a list ([...]), found an object"),
            ("invalid type: null, expected a string", "expected a string, found null"),
            ("invalid type: boolean `true`, expected u32", "expected a whole number from 0 to 4294967295, found true"),
            ("unknown field `typo`, expected one of `a`, `b`", "unknown field `typo`, expected one of `a`, `b`"),
            ("missing field `region` at line 1 column 2", "missing field `region`"),
        ];
        for (serde, ours) in table {
            assert_eq!(clean_serde_message(serde), ours);
        }
    }

    /// A link an IP change invalidated although the CVM has its IP again says so in the plan (`"invalidated": true`,
    /// an extension of v1), and reads back the same; other links print as before, without the field.
    #[test]
    fn an_invalidated_link_round_trips() {
        let mut plan = import(EXAMPLE).unwrap();
        let ip = plan.classic_instance(&plan.links[0].instance.clone()).unwrap().ip;
        plan.links[0].ip = Some(ip);
        plan.links[0].invalidated = true;
        let text = export(&plan);
        assert!(text.contains("\"invalidated\": true"), "{text}");
        assert_eq!(text.matches("invalidated").count(), 1, "only where true");
        assert_eq!(import(&text).unwrap(), plan);
    }

    /// A link's IP may be left out or `null` (the CVM's current IP), as before its field named refused values.
    #[test]
    fn a_links_ip_may_be_absent_or_null() {
        let mut v: Value = serde_json::from_str(EXAMPLE).unwrap();
        v["links"][0]["ip"] = Value::Null;
        assert_eq!(import(&v.to_string()).unwrap().links[0].ip, None);
        v["links"][0].as_object_mut().unwrap().remove("ip");
        assert_eq!(import(&v.to_string()).unwrap().links[0].ip, None);
    }

    #[test]
    fn a_tencent_bundle_given_as_a_plan_says_where_it_goes() {
        let bundle = include_str!("../../tests/fixtures/tencent/bundle-guangzhou.json");
        let e = import(bundle).unwrap_err();
        assert_eq!(e.errors[0].path, "format");
        assert!(e.errors[0].message.contains("import --from tencent"), "{e}");
        assert!(!import("{}").unwrap_err().errors[0].message.contains("Tencent"));
    }

    /// Text-level input: a byte order mark is read past, an empty text says so, and a key given twice (which
    /// serde_json would resolve by dropping all but the last, losing part of the plan) is refused where it repeats.
    #[test]
    fn text_with_a_bom_empty_text_and_repeated_keys() {
        assert_eq!(import(&format!("\u{feff}{EXAMPLE}")).unwrap(), import(EXAMPLE).unwrap());
        for empty in ["", "  \n\t", "\u{feff}"] {
            let err = import(empty).unwrap_err();
            assert_eq!(
                (err.errors[0].path.as_str(), err.errors[0].message.as_str()),
                (".", "empty: a plan is a JSON object")
            );
        }
        let links_again = EXAMPLE.trim_end().strip_suffix('}').unwrap().to_string() + r#", "links": [] }"#;
        let err = import(&links_again).unwrap_err();
        assert_eq!(err.errors[0].path, "links");
        assert!(err.errors[0].message.contains("given twice"), "{err}");
        let err = import(&format!("{EXAMPLE} x")).unwrap_err();
        assert_eq!(err.errors[0].path, ".");
        assert!(err.errors[0].message.starts_with("not JSON: trailing characters"), "{err}");
    }

    /// An error of the whole document (a syntax error, a plan that is no object) has no place inside it to point at:
    /// said to a person, it is its message alone, not `.: not JSON` with a stray `.` (the machine's path stays `.`).
    /// An error inside the plan keeps its location.
    #[test]
    fn an_error_of_the_whole_document_is_said_without_a_location() {
        let err = import(r#"{"format": "classiclink-plan", "version": 1, "name": "x",,}"#).unwrap_err();
        assert_eq!((err.errors[0].path.as_str(), err.errors[0].location()), (".", None));
        assert_eq!(err.to_string(), "not JSON: key must be a string at line 1 column 58");
        assert_eq!(import("[1]").unwrap_err().to_string(), "a plan is a JSON object");
        let err = import(&EXAMPLE.replace("\"10.0.0.0/16\"", "\"10.0.0.0/33\"")).unwrap_err();
        assert_eq!(err.errors[0].location(), Some("vpcs[0].cidr"));
        assert!(err.to_string().starts_with("vpcs[0].cidr: "), "{err}");
    }

    /// Overlapping subnets are found in n log n, each at the later subnet, naming the first earlier one it overlaps.
    #[test]
    fn overlapping_subnets_are_refused_at_the_later_one() {
        let subnets: Vec<String> = (0..3000)
            .map(|i| format!(r#"{{"id": "sn-{i}", "cidr": "10.{}.{}.0/24"}}"#, i / 256, i % 256))
            .chain([r#"{"id": "sn-big", "cidr": "10.3.0.0/16"}"#.to_string()])
            .collect();
        let text = format!(
            r#"{{"format": "classiclink-plan", "version": 1,
                "vpcs": [{{"id": "vpc-1", "region": "r", "cidr": "10.0.0.0/8", "subnets": [{}]}}]}}"#,
            subnets.join(",")
        );
        let err = import(&text).unwrap_err();
        assert_eq!(err.errors.len(), 1, "{err}");
        assert_eq!(err.errors[0].path, "vpcs[0].subnets[3000].cidr");
        assert_eq!(err.errors[0].message, "10.3.0.0/16 overlaps the subnet at vpcs[0].subnets[768]");
    }

    /// A repeated list item names the earlier one by its place, in English ordinals.
    #[test]
    fn ordinals_read_as_english() {
        let said: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].into_iter().map(ordinal).collect();
        let want = ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"];
        assert_eq!(said, want);
    }

    /// What no console could create is said, each at its location, and still loads: a plan written before these
    /// were checked (an autosave, a share link) opens; the forms refuse an edit that adds one.
    #[test]
    fn uncreatable_values_are_said_and_still_load() {
        type Edit = fn(&mut Value);
        let table: &[(&str, Edit, &str, &str)] = &[
            (
                "VPC of one address (an address typed without its prefix length is a /32)",
                |v| {
                    let tiny = serde_json::json!({"id": "vpc-tiny", "region": "ap-guangzhou", "cidr": "10.20.0.0"});
                    v["vpcs"].as_array_mut().unwrap().push(tiny)
                },
                "vpcs[3].cidr",
                "10.20.0.0 is a single address: a VPC's CIDR holds at least 16 addresses (a prefix length of /28 or less)",
            ),
            (
                "assistant CIDR of 8 addresses",
                |v| v["vpcs"][1]["assistant_cidrs"] = serde_json::json!(["10.30.0.0/29"]),
                "vpcs[1].assistant_cidrs[0]",
                "10.30.0.0/29 is a block of 8 addresses: a VPC's CIDR holds at least 16 addresses",
            ),
            (
                "resource at a subnet's network address",
                |v| v["vpcs"][0]["resources"][0]["ip"] = "10.0.1.0".into(),
                "vpcs[0].resources[0].ip",
                "10.0.1.0 is the first address of subnet subnet-app (10.0.1.0/24), which no instance has",
            ),
            (
                "resource at a subnet's broadcast address",
                |v| v["vpcs"][0]["resources"][0]["ip"] = "10.0.1.255".into(),
                "vpcs[0].resources[0].ip",
                "10.0.1.255 is the last address of subnet subnet-app",
            ),
            (
                "classic zone spaced",
                |v| v["classic"][0]["zone"] = "ap-guangzhou 3".into(),
                "classic[0].zone",
                "\"ap-guangzhou 3\": a zone name has no spaces (like ap-guangzhou-3)",
            ),
            (
                "subnet zone spaced",
                |v| v["vpcs"][0]["subnets"][0]["zone"] = "ap-guangzhou 3".into(),
                "vpcs[0].subnets[0].zone",
                "\"ap-guangzhou 3\": a zone name has no spaces",
            ),
            (
                "subnet zone of another region than its VPC's (CreateSubnet refuses it)",
                |v| v["vpcs"][0]["subnets"][1]["zone"] = "ap-beijing-1".into(),
                "vpcs[0].subnets[1].zone",
                "ap-beijing-1 is a zone of ap-beijing, not of ap-guangzhou, the region of subnet subnet-extra's VPC \
                 vpc-prod",
            ),
            (
                "VPC of another region than its subnet's zone",
                |v| v["vpcs"][1]["region"] = "ap-shanghai-fsi".into(),
                "vpcs[1].subnets[0].zone",
                "ap-guangzhou-3 is a zone of ap-guangzhou, not of ap-shanghai-fsi, the region of subnet subnet-dev's",
            ),
            (
                "classic zone of another region than its own",
                |v| v["classic"][0]["zone"] = "ap-shanghai-fsi-2".into(),
                "classic[0].zone",
                "ap-shanghai-fsi-2 is a zone of ap-shanghai-fsi, not of ap-guangzhou, the region of classic instance \
                 ins-web01",
            ),
        ];
        assert!(uncreatable(&import(EXAMPLE).unwrap()).is_empty(), "the example has none");
        // A zone is compared with its region only when it says one (a Tencent Cloud region, then `-N`): an empty
        // zone, or one named otherwise, is not a zone of another region.
        for zone in ["", "zone-a", "gz-3", "ap-guangzhou", "ap-guangzhou-3"] {
            let mut v: Value = serde_json::from_str(EXAMPLE).unwrap();
            v["vpcs"][0]["subnets"][1]["zone"] = zone.into();
            v["classic"][0]["zone"] = zone.into();
            assert_eq!(uncreatable(&import(&v.to_string()).unwrap()), [], "{zone:?}");
        }
        for (what, edit, path, message) in table {
            let mut v: Value = serde_json::from_str(EXAMPLE).unwrap();
            edit(&mut v);
            let plan = import(&v.to_string()).unwrap_or_else(|e| panic!("{what}: still loads, but {e}"));
            let said = uncreatable(&plan);
            assert_eq!(said.len(), 1, "{what}: {said:?}");
            assert_eq!(said[0].path, *path, "{what}");
            assert!(said[0].message.starts_with(message), "{what}: {}", said[0].message);
        }
    }
}
