//! Importing a plan from real Tencent Cloud API responses (`classiclink import --from tencent`).
//!
//! The input is a *bundle*: one JSON object whose keys are API action names and whose values are the responses as
//! tccli prints them, with or without the `{"Response": ...}` wrapper (`docs/tencent-import.md`). A value may also be
//! an array of such responses (the pages of a paged call). `DescribeSecurityGroupPolicies` is keyed per group:
//! `{"sg-xxx": <response>, ...}`.
//!
//! Field names are the real API's (PascalCase). Fields the plan does not need are ignored; a needed field that is
//! missing or of the wrong type is an error naming its path in the bundle, e.g. `DescribeVpcs.VpcSet[0].CidrBlock`
//! (or `DescribeVpcs.Response.VpcSet[0].CidrBlock` when the response is wrapped). Whatever the import had to assume
//! or leave out is said in [`ImportOutcome::notes`].

use super::addr::{parse_ipv4, Cidr, Ports, Protocol};
use super::load::{is_region, validate, zone_region, LoadError, PlanError};
use super::model::{
    Account, Action, Ccn, ClassicInstance, FilterRule, Gateway, GatewayKind, Kind, Link, Name, NetworkAcl, Peer,
    Peering, Plan, Platforms, Resource, SecurityGroup, State, Subnet, Vpc,
};
use super::sort;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// The API actions this import reads, each under its own name as the bundle key; the database products' list calls
/// are read too, under the keys of [`DATABASES`] (anything else is ignored with a note).
pub const ACTIONS: [&str; 19] = [
    "DescribeAccountAttributes",
    "DescribeAccountVpcAttributes",
    "DescribeVpcs",
    "DescribeAssistantCidr",
    "DescribeSubnets",
    "DescribeNetworkAcls",
    "DescribeSecurityGroupPolicies",
    "DescribeInstances",
    "DescribeClassicLinkInstances",
    "DescribeVpnGateways",
    "DescribeVpnConnections",
    "DescribeDirectConnectGateways",
    "DescribeNatGateways",
    "DescribeRouteTables",
    "DescribeVpcPeeringConnections",
    "DescribeCcnAttachedInstances",
    "DescribeLoadBalancers",
    "DescribeTargets",
    "DescribeDBInstances",
];

/// The bundle key for Redis's `DescribeInstances` (the bare name is CVM's).
pub const REDIS_DESCRIBE_INSTANCES: &str = "redis.DescribeInstances";

/// The bundle key for PostgreSQL's `DescribeDBInstances`, whose addresses are kept per network (see
/// `Importer::postgres`) rather than in fields [`Database`] can name.
const POSTGRES_DESCRIBE_DB_INSTANCES: &str = "postgres.DescribeDBInstances";

/// A database product's list call: its bundle key and where its response keeps what the import reads (field names
/// as in Tencent Cloud's published SDK models of each product).
struct Database {
    key: &'static str,
    kind: Kind,
    /// The array of instances.
    set: &'static str,
    name: &'static str,
    /// The private address.
    vip: &'static str,
    /// The VPC's and the subnet's string IDs, empty (or missing) in the classic network.
    vpc: &'static str,
    subnet: &'static str,
}

/// The database products the import reads. Products other than MySQL name their list call as other products do, so
/// their keys carry the product's prefix (`mongodb.DescribeDBInstances`), as Redis's does.
const DATABASES: [Database; 5] = [
    Database {
        key: "DescribeDBInstances",
        kind: Kind::Mysql,
        set: "Items",
        name: "InstanceName",
        vip: "Vip",
        vpc: "UniqVpcId",
        subnet: "UniqSubnetId",
    },
    Database {
        key: REDIS_DESCRIBE_INSTANCES,
        kind: Kind::Redis,
        set: "InstanceSet",
        name: "InstanceName",
        vip: "WanIp",
        vpc: "UniqVpcId",
        subnet: "UniqSubnetId",
    },
    Database {
        key: "mongodb.DescribeDBInstances",
        kind: Kind::Mongodb,
        set: "InstanceDetails",
        name: "InstanceName",
        vip: "Vip",
        vpc: "VpcId",
        subnet: "SubnetId",
    },
    Database {
        key: "sqlserver.DescribeDBInstances",
        kind: Kind::Sqlserver,
        set: "DBInstances",
        name: "Name",
        vip: "Vip",
        vpc: "UniqVpcId",
        subnet: "UniqSubnetId",
    },
    Database {
        key: "mariadb.DescribeDBInstances",
        kind: Kind::Mariadb,
        set: "Instances",
        name: "InstanceName",
        vip: "Vip",
        vpc: "UniqueVpcId",
        subnet: "UniqueSubnetId",
    },
];

/// A running instance [`Importer::place`] puts in a VPC or in the classic network: a CLB or a database.
struct Placed<'a> {
    kind: Kind,
    id: &'a str,
    name: &'a str,
    ip: Ipv4Addr,
    security_groups: Vec<Name>,
}

/// What an import produced: the plan and what it assumed or left out.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportOutcome {
    /// The plan, valid (it passed [`validate`]), every list sorted by ID.
    pub plan: Plan,
    /// Sentences: assumptions made (an instance with no VPC is classic ...) and items skipped, with why.
    pub notes: Vec<String>,
}

/// Reads a bundle into a plan. `region` is taken over the region the data implies (`Placement.Zone` minus its `-N`)
/// when some zone of the bundle is in it (or none names one); zones of two regions are refused.
///
/// Errors name the bundle path of every needed field that is missing or malformed; a bundle that yields an
/// invalid plan (e.g. a subnet outside its VPC) reports the plan's own locations, prefixed `plan.`.
pub fn import_bundle(json: &str, region: Option<&str>) -> Result<ImportOutcome, LoadError> {
    let root: Value =
        super::load::parse_json(json, "a bundle").map_err(|e| pasted_one_after_another(json).unwrap_or(e))?;
    let obj = root.as_object().ok_or_else(|| {
        err(".", "a bundle is a JSON object whose keys are API action names (DescribeVpcs, DescribeInstances ...)")
    })?;
    let read = |key: &str| keys_read().any(|k| k == key);
    // The bundle wrapped in a `Response` of its own, or one call's response pasted alone: said for what it is.
    if obj.get("Response").and_then(Value::as_object).is_some_and(|i| i.keys().any(|k| read(k))) {
        return Err(err(
            "Response",
            format!("the bundle is wrapped in {{\"Response\": ...}}: take that wrapper off; {BUNDLE_IS}"),
        )
        .into());
    }
    if !obj.keys().any(|k| read(k) || near_action(k).is_some()) {
        let response = obj.get("Response").unwrap_or(&root);
        if let Some(call) = call_of_response(response) {
            return Err(err(".", format!("this is one call's response ({call}), not a bundle: {BUNDLE_IS}")).into());
        }
        if obj.contains_key("Response") || obj.contains_key("RequestId") {
            return Err(err(".", format!("this is one call's response, not a bundle: {BUNDLE_IS}")).into());
        }
    }
    if obj.get("format").and_then(Value::as_str) == Some(super::model::FORMAT) {
        return Err(err(
            "format",
            "this is a Classiclink plan, not Tencent Cloud API responses: open it as a plan (the toolbar's Import, or \
             classiclink check PLAN.json)",
        )
        .into());
    }
    // Every error is collected and said at once: a bad region or a missing call does not stop the rest being read.
    let mut imp = Importer::default();
    if let Some(r) = region.filter(|r| !is_region(r)) {
        let message = match zone_region(r) {
            Some(head) => format!("{r:?} is a zone, not a region: give its region, {head}"),
            None => format!("{r:?} is not a Tencent Cloud region such as ap-guangzhou or na-siliconvalley"),
        };
        imp.errs.push(err("region", message));
    }
    // A key one letter from an action the bundle does not hold is that action misspelled: refused, as its objects
    // would be left out (and a required call said missing) with no word of the key that holds them.
    let mut misspelled = Vec::new();
    for key in obj.keys().filter(|k| !read(k)) {
        match near_action(key).filter(|known| !obj.contains_key(*known)) {
            Some(known) => {
                misspelled.push(known);
                imp.errs.push(err(
                    key_path(None, key),
                    format!("not an action this import reads: did you mean {known}? (the keys are API action names)"),
                ));
            }
            None => imp.note(format!("{}: not an action this import reads; ignored", key_path(None, key))),
        }
    }
    for required in ["DescribeVpcs", "DescribeInstances"] {
        if !obj.contains_key(required) && !misspelled.contains(&required) {
            imp.errs.push(err(required, format!("missing: the bundle needs the {required} response")));
        }
    }
    let mut pages = BTreeMap::new();
    for (key, value) in obj {
        // Whatever a key the import does not read holds, it is ignored (the note says so), not judged.
        if key == "DescribeSecurityGroupPolicies" || key == "DescribeTargets" || !read(key) {
            continue;
        }
        match responses(key, value) {
            Ok(p) => {
                if let Some(e) = missing_pages(key, &p) {
                    imp.errs.push(e);
                }
                pages.insert(key.as_str(), p);
            }
            Err(e) => imp.errs.push(e),
        }
    }
    // With no region the plan is refused (an error says so), but the rest is read to find any other errors.
    imp.region = imp.region(region, &pages).unwrap_or_default();
    imp.run(&pages, obj.get("DescribeSecurityGroupPolicies"), obj.get("DescribeTargets"));
    if !imp.errs.is_empty() {
        return Err(LoadError { errors: imp.errs });
    }
    let plan = imp.finish();
    if let Err(e) = validate(&plan) {
        return Err(LoadError {
            errors: e
                .errors
                .into_iter()
                .map(|p| PlanError { path: format!("plan.{}", p.path), message: p.message })
                .collect(),
        });
    }
    imp.assumed_note();
    let mut notes = imp.notes;
    sort::sort(&mut notes);
    notes.dedup();
    Ok(ImportOutcome { plan, notes })
}

/// The bundle location of a key taken from the user's data (an action key, a group's or a CLB's ID) under `parent`:
/// `DescribeTargets.lb-1`, or quoted as JSON writes it where the key is no plain name, `DescribeTargets["lb.1"]`,
/// `["DescribeVpcs "]`: written as it is, a dot or a space in it would name another place, or none that shows.
fn key_path(parent: Option<&str>, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let known = parent.is_none() && keys_read().any(|k| k == key);
    match (parent, plain || known) {
        (None, true) => key.to_string(),
        (Some(p), true) => format!("{p}.{key}"),
        (p, false) => format!("{}[{}]", p.unwrap_or_default(), Value::from(key)),
    }
}

/// What a bundle is, for a message on a paste that is not one.
const BUNDLE_IS: &str =
    "a bundle is one JSON object keyed by action name: {\"DescribeVpcs\": <its response>, \"DescribeInstances\": <its response>, ...}";

/// The set each call's response lists, by bundle key (the databases' from [`DATABASES`]): to count a paged call's
/// rows against its `TotalCount`, and to tell one call's response from another's.
const SETS: [(&str, &str); 17] = [
    ("DescribeAccountAttributes", "AccountAttributeSet"),
    ("DescribeVpcs", "VpcSet"),
    ("DescribeAssistantCidr", "AssistantCidrSet"),
    ("DescribeSubnets", "SubnetSet"),
    ("DescribeNetworkAcls", "NetworkAclSet"),
    ("DescribeSecurityGroupPolicies", "SecurityGroupPolicySet"),
    ("DescribeInstances", "InstanceSet"),
    ("DescribeClassicLinkInstances", "ClassicLinkInstanceSet"),
    ("DescribeVpnGateways", "VpnGatewaySet"),
    ("DescribeVpnConnections", "VpnConnectionSet"),
    ("DescribeDirectConnectGateways", "DirectConnectGatewaySet"),
    ("DescribeNatGateways", "NatGatewaySet"),
    ("DescribeRouteTables", "RouteTableSet"),
    ("DescribeVpcPeeringConnections", "PeerConnectionSet"),
    ("DescribeCcnAttachedInstances", "InstanceSet"),
    ("DescribeLoadBalancers", "LoadBalancerSet"),
    ("DescribeTargets", "Listeners"),
];

/// Every bundle key this import reads: [`ACTIONS`] and the database products' list calls.
fn keys_read() -> impl Iterator<Item = &'static str> {
    ACTIONS.iter().copied().chain(DATABASES.iter().map(|d| d.key)).chain([POSTGRES_DESCRIBE_DB_INSTANCES])
}

/// The database products' list calls, as (bundle key, set of instances).
fn database_sets() -> impl Iterator<Item = (&'static str, &'static str)> {
    DATABASES.iter().map(|d| (d.key, d.set)).chain([(POSTGRES_DESCRIBE_DB_INSTANCES, "DBInstanceSet")])
}

/// Every (bundle key, set) of [`SETS`] and the database products.
fn sets() -> impl Iterator<Item = (&'static str, &'static str)> {
    SETS.iter().copied().chain(database_sets())
}

/// The calls whose response lists `set`, joined with "or".
fn calls_listing(set: &str) -> String {
    sets().filter(|(_, s)| *s == set).map(|(k, _)| k).collect::<Vec<_>>().join(" or ")
}

/// A field only the rows of `call` carry among the calls whose responses list the same set (`InstanceSet`: CVM's
/// DescribeInstances, DescribeCcnAttachedInstances and Redis's), to tell which of them a lone response is.
fn row_mark(call: &str) -> Option<&'static str> {
    match call {
        "DescribeInstances" => Some("PrivateIpAddresses"),
        "DescribeCcnAttachedInstances" => Some("CcnId"),
        _ => DATABASES.iter().find(|d| d.key == call).map(|d| d.vip),
    }
}

/// Which call a response is, by the set it lists (`DescribeVpcs, by its VpcSet`), unwrapped from `Response`. Where
/// several calls list that set, its first row's fields tell them apart when they can (`DescribeInstances, by its
/// InstanceSet and PrivateIpAddresses`); otherwise all are named.
fn call_of_response(v: &Value) -> Option<String> {
    let v = v.get("Response").filter(|r| r.is_object()).unwrap_or(v);
    let set = sets().map(|(_, s)| s).find(|s| v.get(*s).is_some())?;
    let (all, first) = (calls_listing(set), v.get(set).and_then(Value::as_array).and_then(|rows| rows.first()));
    // The calls listing the set whose mark the first row carries.
    let carried = |call: &str| row_mark(call).filter(|m| first.is_some_and(|row| row.get(*m).is_some()));
    let marked: Vec<(&str, &str)> =
        sets().filter(|(_, s)| *s == set).filter_map(|(call, _)| Some((call, carried(call)?))).collect();
    Some(match marked.as_slice() {
        [(call, mark)] if all.contains(" or ") => format!("{call}, by its {set} and {mark}"),
        _ => format!("{all}, by its {set}"),
    })
}

/// The action a key not read is one edit from (case, `_`, `-` and spaces aside): `Describe_Vpcs` -> `DescribeVpcs`.
fn near_action(key: &str) -> Option<&'static str> {
    let plain = |k: &str| -> Vec<char> {
        k.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.').map(|c| c.to_ascii_lowercase()).collect()
    };
    let key = plain(key);
    let near = keys_read().map(|k| (edits(&key, &plain(k)), k)).filter(|&(d, _)| d <= 1);
    near.min_by_key(|&(d, _)| d).map(|(_, k)| k)
}

/// The edit distance (Levenshtein) between `a` and `b`.
fn edits(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Text that is several JSON values one after another (responses pasted one after the other: "trailing
/// characters"): the error saying so, naming the calls it can tell; `None` when it is not that.
fn pasted_one_after_another(text: &str) -> Option<LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let values: Vec<Value> =
        serde_json::Deserializer::from_str(text).into_iter::<Value>().collect::<Result<_, _>>().ok()?;
    if values.len() < 2 {
        return None;
    }
    let calls: Vec<String> = values
        .iter()
        .filter_map(|v| {
            let v = v.get("Response").filter(|r| r.is_object()).unwrap_or(v);
            // A set several calls list (InstanceSet) is taken for the first's: a guess, to name the paste.
            sets().find(|(_, s)| v.get(*s).is_some()).map(|(k, _)| k.to_string())
        })
        .collect();
    let which = match calls.is_empty() {
        true => String::new(),
        false => format!(" (the responses of {})", calls.join(", ")),
    };
    Some(err(".", format!("{} JSON values one after another{which}, not one bundle: {BUNDLE_IS}", values.len())).into())
}

/// A paged call whose pages list fewer distinct rows than the `TotalCount` they give: pages are missing (the call
/// was run once, and answered its first page). The error names the counts and the pages to add.
fn missing_pages(key: &str, pages: &[At<'_>]) -> Option<PlanError> {
    let (_, set) = sets().find(|(k, _)| *k == key)?;
    let total = pages.iter().filter_map(|p| p.v.get("TotalCount").and_then(Value::as_u64)).max()?;
    let mut rows = BTreeSet::new();
    let mut largest = 0;
    for page in pages {
        let items = page.v.get(set).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        largest = largest.max(items.len());
        rows.extend(items.iter().map(Value::to_string));
    }
    let read = rows.len() as u64;
    if total <= read {
        return None;
    }
    // The page size: the largest page, or the default Limit (20) when every page is smaller.
    let limit = (largest as u64).max(20);
    // The offsets of the pages from `first` on, the first `shown` of them ("20, 40 ..."); empty for none.
    let offsets = |first: u64, shown: usize| {
        let all: Vec<String> = (first..total).step_by(limit as usize).map(|o| o.to_string()).collect();
        match all.len() {
            n if n <= shown => all.join(", "),
            _ => format!("{} ...", all[..shown].join(", ")),
        }
    };
    // One page given: the first (the call run once), so the pages to add follow it. Several: which one is missing
    // cannot be told from the rows (a page does not say its Offset), so every page is asked for.
    if pages.len() > 1 {
        let offsets = offsets(0, 4);
        return Some(err(
            key,
            format!(
                "TotalCount {total} but {read} read from {} pages: a page is missing; bundle every page (Offset \
                 {offsets} with Limit {limit}) as a JSON array of this call's responses under its key",
                pages.len()
            ),
        ));
    }
    let first = read.div_ceil(limit).max(1) * limit;
    let hint = match offsets(first, 3) {
        // Pages smaller than the default Limit: no page to add would hold the rest.
        none if none.is_empty() => format!(
            "rows are missing; run the call again (Offset 0 with Limit {limit} lists all {total}) and bundle its answer"
        ),
        offsets => format!(
            "pages are missing; add them (Offset {offsets} with Limit {limit}) as a JSON array of this call's responses \
             under its key: [<page 1>, <page 2>, ...]"
        ),
    };
    Some(err(key, format!("TotalCount {total} but {read} read: {hint}")))
}

/// Where the bundle says a region, in reading order: each CVM's, subnet's and database's zone (`ap-guangzhou-3`) and
/// each database's `Region`, as (the call, path, what it says, its region). Values that are not read as a zone or region are
/// left to the reading of their entry.
fn regions_said<'a>(pages: &BTreeMap<&str, Vec<At<'a>>>) -> Vec<(&'static str, String, &'a str, &'a str)> {
    let zone = |call: &'static str, at: &At<'a>, key: &str| -> Option<(&'static str, String, &'a str, &'a str)> {
        let z = at.opt_str(key).ok()??;
        let r = zone_region(z)?;
        Some((call, format!("{}.{key}", at.path), z, r))
    };
    let entries = |key: &str, set: &str| -> Vec<At<'a>> {
        pages.get(key).into_iter().flatten().flat_map(|p| p.arr(set).unwrap_or_default()).collect()
    };
    let mut said = Vec::new();
    for inst in entries("DescribeInstances", "InstanceSet") {
        if let Ok(Some(p)) = inst.child("Placement") {
            said.extend(zone("DescribeInstances", &p, "Zone"));
        }
    }
    for subnet in entries("DescribeSubnets", "SubnetSet") {
        said.extend(zone("DescribeSubnets", &subnet, "Zone"));
    }
    for (key, set) in database_sets() {
        for d in entries(key, set) {
            said.extend(zone(key, &d, "Zone"));
            if let Ok(Some(r)) = d.opt_str("Region").map(|r| r.filter(|r| is_region(r))) {
                said.push((key, format!("{}.Region", d.path), r, r));
            }
        }
    }
    said
}

fn err(path: impl Into<String>, message: impl Into<String>) -> PlanError {
    PlanError { path: path.into(), message: message.into() }
}

/// A JSON value and its path in the bundle.
#[derive(Clone)]
struct At<'a> {
    v: &'a Value,
    path: String,
}

/// What a JSON value is, for a message saying it is not what was expected: `a string "vpc-a"`, `an array`.
fn found(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("a boolean {b}"),
        Value::Number(n) => format!("a number {n}"),
        Value::String(s) => format!("a string {s:?}"),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

impl<'a> At<'a> {
    /// The field `key`: `None` when missing or null. Asking a field of something that is not an object is an error
    /// at its path: read as missing, a `VirtualPrivateCloud` given as a string would make a VPC CVM classic.
    fn child(&self, key: &str) -> Result<Option<At<'a>>, PlanError> {
        let Some(obj) = self.v.as_object() else {
            return Err(err(&self.path, format!("expected an object, found {}", found(self.v))));
        };
        Ok(match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(At { v, path: format!("{}.{key}", self.path) }),
        })
    }

    fn req(&self, key: &str) -> Result<At<'a>, PlanError> {
        self.child(key)?.ok_or_else(|| err(format!("{}.{key}", self.path), "missing: this import needs it"))
    }

    /// A required object: checked once, so that each of its fields read later does not report it again.
    fn req_obj(&self, key: &str) -> Result<At<'a>, PlanError> {
        let a = self.req(key)?;
        match a.v.is_object() {
            true => Ok(a),
            false => Err(err(&a.path, format!("expected an object, found {}", found(a.v)))),
        }
    }

    fn as_str(&self) -> Result<&'a str, PlanError> {
        self.v.as_str().ok_or_else(|| err(&self.path, format!("expected a string, found {}", found(self.v))))
    }

    /// An optional number (`PolicyIndex`, `Priority`): missing and null are `None`.
    fn opt_i64(&self, key: &str) -> Result<Option<i64>, PlanError> {
        match self.child(key)? {
            None => Ok(None),
            Some(a) => {
                a.v.as_i64().map(Some).ok_or_else(|| err(&a.path, format!("expected a number, found {}", found(a.v))))
            }
        }
    }

    /// A required non-empty string.
    fn req_str(&self, key: &str) -> Result<&'a str, PlanError> {
        let s = self.req(key)?.as_str()?;
        if s.trim().is_empty() {
            return Err(err(format!("{}.{key}", self.path), "empty: this import needs it"));
        }
        Ok(s)
    }

    /// An optional string: missing, null and "" are `None`.
    fn opt_str(&self, key: &str) -> Result<Option<&'a str>, PlanError> {
        match self.child(key)? {
            None => Ok(None),
            Some(a) => {
                let s = a.as_str()?;
                Ok((!s.trim().is_empty()).then_some(s))
            }
        }
    }

    /// The ID a rule's `AddressTemplate` or `ServiceTemplate` names (`{"AddressId": "ipm-1", "AddressGroupId": ""}`):
    /// `None` when missing, or when every ID is empty, as the API writes it on every rule that uses none.
    fn template(&self, key: &str) -> Result<Option<&'a str>, PlanError> {
        let Some(t) = self.child(key)? else { return Ok(None) };
        let Some(fields) = t.v.as_object() else {
            return Err(err(&t.path, format!("expected an object, found {}", found(t.v))));
        };
        Ok(fields.values().filter_map(Value::as_str).find(|id| !id.trim().is_empty()))
    }

    /// An optional array: missing and null are empty.
    fn arr(&self, key: &str) -> Result<Vec<At<'a>>, PlanError> {
        match self.child(key)? {
            None => Ok(Vec::new()),
            Some(a) => match a.v.as_array() {
                Some(items) => Ok(items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| At { v, path: format!("{}.{key}[{i}]", self.path) })
                    .collect()),
                None => Err(err(&a.path, format!("expected an array, found {}", found(a.v)))),
            },
        }
    }

    /// A required array: every page of a Describe call answers with its set, empty or not, so a page without it is
    /// not that call's response.
    fn req_arr(&self, key: &str) -> Result<Vec<At<'a>>, PlanError> {
        match self.child(key)? {
            None => Err(err(format!("{}.{key}", self.path), "missing: every page of this call has it (empty or not)")),
            Some(_) => self.arr(key),
        }
    }

    /// An optional array of strings (empty strings dropped).
    fn strs(&self, key: &str) -> Result<Vec<&'a str>, PlanError> {
        let mut out = Vec::new();
        for a in self.arr(key)? {
            let s = a.as_str()?;
            if !s.trim().is_empty() {
                out.push(s);
            }
        }
        Ok(out)
    }

    fn ip(&self, key: &str) -> Result<Ipv4Addr, PlanError> {
        let s = self.req_str(key)?;
        s.trim().parse().map_err(|_| err(format!("{}.{key}", self.path), format!("{s:?} is not an IPv4 address")))
    }

    fn cidr(&self, key: &str) -> Result<Cidr, PlanError> {
        let s = self.req_str(key)?;
        s.trim().parse().map_err(|e| err(format!("{}.{key}", self.path), format!("{s:?}: {e}")))
    }
}

/// The responses of one action: one object, or an array of pages; each unwrapped from `Response`.
fn responses<'a>(key: &str, value: &'a Value) -> Result<Vec<At<'a>>, PlanError> {
    let items: Vec<At<'a>> = match value {
        Value::Array(pages) => pages.iter().enumerate().map(|(i, v)| At { v, path: format!("{key}[{i}]") }).collect(),
        v => vec![At { v, path: key.to_string() }],
    };
    let set = sets().find(|(k, _)| *k == key).map(|(_, s)| s);
    items
        .into_iter()
        .map(|page| {
            let page = unwrap_response(page)?;
            // Another call's response under this key: its set, not this call's.
            let other = sets().map(|(_, s)| s).find(|s| Some(*s) != set && page.v.get(*s).is_some());
            match (set, other) {
                (Some(set), Some(other)) if page.v.get(set).is_none() => {
                    let calls = calls_listing(other);
                    let whose = match calls.contains(" or ") {
                        true => format!("a response of {calls}"),
                        false => format!("{calls}'s response"),
                    };
                    Err(err(
                        &page.path,
                        format!(
                            "holds {other}, the set {calls} answers, not {set}: is {whose} under {key}? Each \
                             response goes under its own action's key"
                        ),
                    ))
                }
                _ => Ok(page),
            }
        })
        .collect()
}

fn unwrap_response(a: At<'_>) -> Result<At<'_>, PlanError> {
    if !a.v.is_object() {
        return Err(err(&a.path, format!("expected a response object, found {}", found(a.v))));
    }
    let inner = match a.child("Response")? {
        Some(r) if r.v.is_object() => r,
        Some(r) => return Err(err(&r.path, "expected the response object")),
        None => a,
    };
    if let Some(e) = inner.child("Error")? {
        let code = e.v.get("Code").and_then(Value::as_str).unwrap_or("?");
        let msg = e.v.get("Message").and_then(Value::as_str).unwrap_or("");
        return Err(err(&e.path, format!("the call failed ({code}: {msg}); run it again and bundle its answer")));
    }
    Ok(inner)
}

/// The first entry to give an ID: its call (the bundle key, or the set that call lists), its path and the entry
/// itself, to tell a page that repeats it from another object under the same ID.
struct Claim {
    call: String,
    path: String,
    entry: Value,
}

#[derive(Default)]
struct Importer {
    region: String,
    /// Every ID an entry of the bundle gives its object (VPCs, subnets, ACLs, security groups, instances, gateways,
    /// peerings): IDs are unique across a plan, and keyed maps would keep the last of two silently.
    ids: BTreeMap<String, Claim>,
    errs: Vec<PlanError>,
    notes: Vec<String>,
    /// The CVMs with no VPC, assumed to be classic-network CVMs: said in one note (see [`Importer::assumed_note`]).
    assumed_classic: Vec<String>,
    /// The other instances (databases, CLBs) assumed to be in the classic network, as (kind, why, ID): one note for
    /// each kind and reason.
    assumed_placed: Vec<(&'static str, String, String)>,
    platforms: Platforms,
    /// What the older `DescribeAccountVpcAttributes` said, and where, when the bundle has it: a
    /// `DescribeAccountAttributes` that says otherwise has the last word, and a note says so.
    platforms_v2: Option<(Platforms, String)>,
    vpcs: BTreeMap<String, Vpc>,
    /// subnet ID -> VPC ID
    subnet_vpc: BTreeMap<String, String>,
    classic: BTreeMap<String, ClassicInstance>,
    groups: BTreeMap<String, SecurityGroup>,
    /// The security groups `DescribeSecurityGroupPolicies` describes (its keys): the groups a policy may name as its
    /// peer (a group it does not describe would be a reference to nothing).
    described: BTreeSet<String>,
    acls: BTreeMap<String, NetworkAcl>,
    /// (instance ID, VPC ID) -> the path of the entry listing it first, and the link
    links: BTreeMap<(String, String), (String, Link)>,
    peerings: BTreeMap<String, Peering>,
    ccns: BTreeMap<String, BTreeSet<String>>,
    /// gateway ID -> remote CIDRs (from VPN connections and routes)
    remote: BTreeMap<String, BTreeSet<Cidr>>,
}

/// Collects the error of one item and moves on.
macro_rules! item {
    ($imp:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => {
                $imp.errs.push(e);
                continue;
            }
        }
    };
}

impl Importer {
    fn note(&mut self, s: impl Into<String>) {
        self.notes.push(s.into());
    }

    /// The notes on the instances assumed to be in the classic network: one for all the CVMs (an account of 2,000
    /// classic CVMs made 2,000 notes alike), and one for each kind and reason of the others, each naming the first
    /// few and counting the rest.
    fn assumed_note(&mut self) {
        // Each once: an entry repeated (pages that overlap) is read once (`Importer::claim`).
        let ids = &mut self.assumed_classic;
        sort::sort(ids);
        let note = match ids.as_slice() {
            [] => None,
            [id] => Some(format!("{id}: no VirtualPrivateCloud.VpcId, so assumed to be a classic-network CVM")),
            many => Some(format!(
                "{} CVMs have no VirtualPrivateCloud.VpcId, so each is assumed to be a classic-network CVM: {}",
                many.len(),
                super::rules::id_list(many)
            )),
        };
        self.notes.extend(note);
        // The same for the other instances, by kind and reason (an account of thousands of classic MySQL
        // instances made as many notes).
        let placed = &mut self.assumed_placed;
        sort::sort(placed);
        for group in placed.chunk_by(|a, b| (a.0, &a.1) == (b.0, &b.1)) {
            let (kind, why) = (group[0].0, &group[0].1);
            self.notes.push(match group {
                [(_, _, id)] => format!("{id}: {kind} with {why}, so assumed to be in the classic network"),
                _ => {
                    let ids: Vec<&str> = group.iter().map(|(_, _, id)| id.as_str()).collect();
                    format!(
                        "{} {kind} instances with {why}, so each is assumed to be in the classic network: {}",
                        group.len(),
                        super::rules::id_list(&ids)
                    )
                }
            });
        }
    }

    /// Takes `id` for the object of `entry`, read from `call`: `true` the first time; `false`, with a note, when the
    /// same call lists the same entry again (pages that overlap). Another entry under a taken ID, in this call or
    /// another, is an error at `id_path`, naming the first.
    fn claim(&mut self, call: &str, entry: &At<'_>, id: &str, id_path: String) -> Result<bool, PlanError> {
        let Some(first) = self.ids.get(id) else {
            let claim = Claim { call: call.to_string(), path: entry.path.clone(), entry: entry.v.clone() };
            self.ids.insert(id.to_string(), claim);
            return Ok(true);
        };
        if first.call != call {
            return Err(err(id_path, format!("{id} is also at {}: an ID names one object", first.path)));
        }
        if first.entry != *entry.v {
            return Err(err(
                id_path,
                format!(
                    "{id} is also at {}, with other values: an ID names one object (pages taken at different times? \
                     list the call again)",
                    first.path
                ),
            ));
        }
        let note = format!("{}: repeats {} exactly (pages that overlap); read once", entry.path, first.path);
        self.note(note);
        Ok(false)
    }

    /// The required string ID at `key` of `entry`, claimed by [`Importer::claim`]: `None` when `entry` repeats one
    /// read before.
    fn claim_id<'a>(&mut self, call: &str, entry: &At<'a>, key: &str) -> Result<Option<&'a str>, PlanError> {
        let id = entry.req_str(key)?;
        Ok(self.claim(call, entry, id, format!("{}.{key}", entry.path))?.then_some(id))
    }

    /// The bundle's region: the one given, else the region of the first instance's zone, with a note; `None`, with an
    /// error, when neither is there (unless DescribeInstances itself is missing or failed: its error says enough).
    /// DescribeInstances and DescribeSubnets answer for one region, so a region given that no zone of the bundle is
    /// in is refused at `region`, and a zone of another region at the first such entry of each call.
    fn region(&mut self, given: Option<&str>, pages: &BTreeMap<&str, Vec<At<'_>>>) -> Option<String> {
        let said = regions_said(pages);
        let (region, from) = match given.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => {
                if is_region(r) && !said.is_empty() && !said.iter().any(|(_, _, _, reg)| *reg == r) {
                    let mut regions: Vec<&str> = Vec::new();
                    for (_, _, _, reg) in &said {
                        if !regions.contains(reg) {
                            regions.push(reg);
                        }
                    }
                    let (_, path, text, _) = &said[0];
                    self.errs.push(err(
                        "region",
                        format!(
                            "{r} is not this bundle's region: its zones are in {} ({path} is {text}); give {}, or \
                             leave the region out to take it from the zones",
                            regions.join(" and "),
                            regions[0]
                        ),
                    ));
                    return Some(r.to_string());
                }
                (r.to_string(), "the region given".to_string())
            }
            None => self.region_of_first_zone(pages)?,
        };
        // Checked against a region written as one (else `region` is refused already): at the first entry of another
        // region in each call, with how many more that call has (a bundle of two regions would otherwise list every
        // instance of the second).
        let elsewhere: Vec<_> = said.iter().filter(|(_, _, _, reg)| *reg != region && is_region(&region)).collect();
        let mut calls: Vec<&str> = Vec::new();
        for (i, (call, path, text, other)) in elsewhere.iter().enumerate() {
            if calls.contains(call) {
                continue;
            }
            calls.push(call);
            let what = match text == other {
                true => other.to_string(),
                false => format!("{text} is in {other}"),
            };
            let more = match elsewhere[i + 1..].iter().filter(|e| e.0 == *call).count() {
                0 => String::new(),
                n => format!(" ({n} more of {call} are in another region)"),
            };
            self.errs.push(err(
                path.as_str(),
                format!(
                    "{what}, but this bundle's region is {region} ({from}){more}: a bundle holds one region's \
                     responses (DescribeInstances and DescribeSubnets answer for one region); bundle each region on \
                     its own"
                ),
            ));
        }
        Some(region)
    }

    /// The region of the first instance's zone, and where it comes from, with a note; `None`, with an error, when
    /// no instance names a zone (unless DescribeInstances itself is missing or failed: its error says enough).
    fn region_of_first_zone(&mut self, pages: &BTreeMap<&str, Vec<At<'_>>>) -> Option<(String, String)> {
        for page in pages.get("DescribeInstances").into_iter().flatten() {
            for inst in page.arr("InstanceSet").unwrap_or_default() {
                // A malformed Placement is reported where the instance is read.
                let Ok(Some(p)) = inst.child("Placement") else { continue };
                if let Ok(Some(zone)) = p.opt_str("Zone") {
                    match zone_region(zone) {
                        Some(r) => {
                            self.note(format!("region {r}: taken from {}.Zone ({zone})", p.path));
                            return Some((r.to_string(), format!("from {}.Zone, {zone}", p.path)));
                        }
                        None => {
                            self.errs.push(err(
                                format!("{}.Zone", p.path),
                                format!("{zone:?} is not a zone such as ap-guangzhou-3; give a region (the Region field, or --region)"),
                            ));
                            return None;
                        }
                    }
                }
            }
        }
        // At the first page's own path (with its `.Response` when the response is wrapped).
        if let Some(page) = pages.get("DescribeInstances").and_then(|p| p.first()) {
            self.errs.push(err(
                format!("{}.InstanceSet[0].Placement.Zone", page.path),
                "no region: give one (the Region field, or --region), or include an instance whose Placement.Zone \
                 (such as ap-guangzhou-3) names it",
            ));
        }
        None
    }

    fn run(&mut self, pages: &BTreeMap<&str, Vec<At<'_>>>, sg_policies: Option<&Value>, targets: Option<&Value>) {
        let get = |k: &str| pages.get(k).cloned().unwrap_or_default();
        for key in [
            "DescribeAccountAttributes",
            "DescribeSubnets",
            "DescribeClassicLinkInstances",
            "DescribeSecurityGroupPolicies",
            "DescribeNetworkAcls",
        ] {
            let present = match key {
                "DescribeSecurityGroupPolicies" => sg_policies.is_some(),
                // The older call answers the same question.
                "DescribeAccountAttributes" => {
                    pages.contains_key(key) || pages.contains_key("DescribeAccountVpcAttributes")
                }
                _ => pages.contains_key(key),
            };
            if !present {
                self.note(format!("{key}: not in the bundle; {}", absent_effect(key)));
            }
        }
        // The other optional calls, in one note: each left out means none of its objects, which changes answers
        // (a peering left out makes two VPCs isolated; a NAT gateway, the internet unreachable).
        // The assistant CIDRs come with DescribeVpcs too, where its entries list them.
        let mut vpc_entries = get("DescribeVpcs").into_iter().flat_map(|p| p.arr("VpcSet").unwrap_or_default());
        let assistant_given = vpc_entries.any(|v| matches!(v.child("AssistantCidrSet"), Ok(Some(_))));
        let mut left_out: Vec<String> = OPTIONAL_CALLS
            .iter()
            .filter(|(key, _)| !pages.contains_key(key))
            .filter(|(key, _)| !(*key == "DescribeAssistantCidr" && assistant_given))
            .map(|(key, what)| format!("{key} ({what})"))
            .collect();
        left_out.extend(
            DATABASES
                .iter()
                .map(|db| (db.key, db.kind))
                .chain([(POSTGRES_DESCRIBE_DB_INSTANCES, Kind::Postgresql)])
                .filter(|(key, _)| !pages.contains_key(key))
                .map(|(key, kind)| format!("{key} ({} instances, classic or in a VPC)", kind.label())),
        );
        if !left_out.is_empty() {
            self.note(format!("not in the bundle, so none of their objects are imported: {}", left_out.join("; ")));
        }
        self.account_v2(&get("DescribeAccountVpcAttributes"));
        self.account(&get("DescribeAccountAttributes"));
        self.vpcs(&get("DescribeVpcs"), &get("DescribeAssistantCidr"));
        self.acls(&get("DescribeNetworkAcls"));
        self.subnets(&get("DescribeSubnets"));
        self.bind_acls(&get("DescribeNetworkAcls"));
        if let Some(v) = sg_policies {
            self.security_groups(v);
        }
        self.instances(&get("DescribeInstances"));
        self.links(&get("DescribeClassicLinkInstances"));
        self.remote_cidrs(&get("DescribeVpnConnections"), &get("DescribeRouteTables"));
        self.gateways(&get("DescribeVpnGateways"), GatewayKind::Vpn, "VpnGatewaySet", "VpnGatewayId", "VpnGatewayName");
        self.gateways(
            &get("DescribeDirectConnectGateways"),
            GatewayKind::DirectConnect,
            "DirectConnectGatewaySet",
            "DirectConnectGatewayId",
            "DirectConnectGatewayName",
        );
        self.gateways(&get("DescribeNatGateways"), GatewayKind::Nat, "NatGatewaySet", "NatGatewayId", "NatGatewayName");
        self.peerings(&get("DescribeVpcPeeringConnections"));
        self.ccns(&get("DescribeCcnAttachedInstances"));
        self.load_balancers(&get("DescribeLoadBalancers"));
        for db in &DATABASES {
            self.databases(&get(db.key), db);
        }
        self.postgres(&get(POSTGRES_DESCRIBE_DB_INSTANCES));
        // Last: a backend is any instance imported above.
        match targets {
            Some(v) => self.backends(v),
            None if pages.contains_key("DescribeLoadBalancers") => self.note(
                "DescribeTargets: not in the bundle; CLB backends are not imported (bundle one DescribeTargets per CLB, \
                 or add them in the planner)",
            ),
            None => {}
        }
        self.drop_dangling_groups();
    }

    fn account(&mut self, pages: &[At<'_>]) {
        for page in pages {
            for a in item!(self, page.arr("AccountAttributeSet")) {
                let name = item!(self, a.req_str("AttributeName"));
                if name != "supported-platforms" {
                    continue;
                }
                let values = item!(self, a.strs("AttributeValues"));
                if values.iter().any(|v| v.eq_ignore_ascii_case("CLASSIC")) {
                    self.platforms = Platforms::Classic;
                } else if values.iter().any(|v| v.eq_ignore_ascii_case("VPC")) {
                    self.platforms = Platforms::OnlyVpc;
                    self.note(format!(
                        "account: {}.AttributeValues lists VPC only: the account is VPC-only (no classic network)",
                        a.path
                    ));
                } else {
                    continue;
                }
                if let Some((said, at)) = self.platforms_v2.take().filter(|(p, _)| *p != self.platforms) {
                    let (was, is) = match said {
                        Platforms::OnlyVpc => ("VPC-only", "has a classic network"),
                        Platforms::Classic => ("with a classic network", "is VPC-only"),
                    };
                    self.note(format!(
                        "account: {at} said the account is {was}; {}.AttributeValues, of the current call, says it \
                         {is}, and is taken",
                        a.path
                    ));
                }
            }
        }
    }

    /// The older call the seed names (001: "DescribeAccountVpcAttributes ... supportedPlatforms ... only-vpc"), read
    /// when a bundle has it: `supportedPlatforms` (a string or a list of them) at the top of the response or in its
    /// `data`, the shape of the v2 API, which no reference documents further (a note says it was read). A
    /// `DescribeAccountAttributes` in the same bundle, the current call, is read after it and has the last word.
    fn account_v2(&mut self, pages: &[At<'_>]) {
        for page in pages {
            let holder = match item!(self, page.child("data")) {
                Some(data) if data.v.get("supportedPlatforms").is_some() => data,
                _ => page.clone(),
            };
            let Some(field) = item!(self, holder.child("supportedPlatforms")) else { continue };
            let values = match field.v {
                Value::String(one) => vec![one.as_str()],
                _ => item!(self, holder.strs("supportedPlatforms")),
            };
            let said = |want: &str| values.iter().any(|v| v.trim().eq_ignore_ascii_case(want));
            if said("classic") {
                self.platforms = Platforms::Classic;
                self.platforms_v2 = Some((Platforms::Classic, field.path.clone()));
            } else if said("only-vpc") {
                self.platforms_v2 = Some((Platforms::OnlyVpc, field.path.clone()));
                self.platforms = Platforms::OnlyVpc;
                self.note(format!(
                    "account: {} is \"only-vpc\": the account is VPC-only (no classic network; read from the older \
                     v2 call, whose response shape is assumed)",
                    field.path
                ));
            } else {
                // The values themselves, for a list too ("an array" would not say which).
                let what = match field.v {
                    Value::Array(_) => format!("{values:?}"),
                    v => found(v),
                };
                self.errs.push(err(&field.path, format!("expected \"only-vpc\" or \"classic\", found {what}")));
            }
        }
    }

    fn vpcs(&mut self, pages: &[At<'_>], assistant: &[At<'_>]) {
        for page in pages {
            for v in item!(self, page.req_arr("VpcSet")) {
                let Some(id) = item!(self, self.claim_id("DescribeVpcs", &v, "VpcId")) else { continue };
                let cidr = item!(self, v.cidr("CidrBlock"));
                let name = item!(self, v.opt_str("VpcName")).unwrap_or("");
                let mut vpc = Vpc {
                    id: id.into(),
                    name: name.to_string(),
                    region: self.region.as_str().into(),
                    cidr,
                    assistant_cidrs: Vec::new(),
                    subnets: Vec::new(),
                    resources: Vec::new(),
                    gateways: Vec::new(),
                };
                for a in item!(self, v.arr("AssistantCidrSet")) {
                    let c = item!(self, a.cidr("CidrBlock"));
                    push_unique(&mut vpc.assistant_cidrs, c);
                }
                self.vpcs.insert(id.to_string(), vpc);
            }
        }
        for page in assistant {
            for a in item!(self, page.arr("AssistantCidrSet")) {
                let vpc_id = item!(self, a.req_str("VpcId"));
                let c = item!(self, a.cidr("CidrBlock"));
                match self.vpcs.get_mut(vpc_id) {
                    Some(vpc) => push_unique(&mut vpc.assistant_cidrs, c),
                    None => self.notes.push(format!(
                        "{}: assistant CIDR {c} of {vpc_id}, a VPC not in DescribeVpcs; skipped",
                        a.path
                    )),
                }
            }
        }
        for vpc in self.vpcs.values_mut() {
            sort::sort(&mut vpc.assistant_cidrs);
        }
    }

    fn acls(&mut self, pages: &[At<'_>]) {
        for page in pages {
            for a in item!(self, page.arr("NetworkAclSet")) {
                let Some(id) = item!(self, self.claim_id("DescribeNetworkAcls", &a, "NetworkAclId")) else { continue };
                let name = item!(self, a.opt_str("NetworkAclName")).unwrap_or("");
                let ingress = item!(self, self.acl_entries(&a, "IngressEntries", id));
                let egress = item!(self, self.acl_entries(&a, "EgressEntries", id));
                self.acls.insert(id.to_string(), NetworkAcl { id: id.into(), name: name.to_string(), ingress, egress });
            }
        }
    }

    fn acl_entries(&mut self, a: &At<'_>, key: &str, acl: &str) -> Result<Vec<FilterRule>, PlanError> {
        let mut entries: Vec<(i64, FilterRule)> = Vec::new();
        for e in a.arr(key)? {
            let priority = e.opt_i64("Priority")?.unwrap_or(i64::MAX);
            if let Some(rule) = self.filter_rule(&e, "Description", acl, false)? {
                entries.push((priority, rule));
            }
        }
        // Entries come in order; where the API gives Priority, it is the order (a stable sort keeps the rest).
        sort::sort_by_key(&mut entries, |(p, _)| *p);
        Ok(entries.into_iter().map(|(_, r)| r).collect())
    }

    /// One security group policy (`policy`) or ACL entry; `None` (with a note) when the plan cannot express it. A
    /// policy's `SecurityGroupId` peer is a group rule (an ACL entry names CIDRs only, as the plan's ACL rules do).
    fn filter_rule(
        &mut self,
        e: &At<'_>,
        description: &str,
        owner: &str,
        policy: bool,
    ) -> Result<Option<FilterRule>, PlanError> {
        let action = match e.req_str("Action")?.trim().to_ascii_uppercase().as_str() {
            "ACCEPT" => Action::Accept,
            "DROP" => Action::Drop,
            other => return Err(err(format!("{}.Action", e.path), format!("{other:?} is not ACCEPT or DROP"))),
        };
        // Read whether used or not: a template of the wrong type is refused, as any field.
        let (address, service) = (e.template("AddressTemplate")?, e.template("ServiceTemplate")?);
        let peer = match e.opt_str("CidrBlock")? {
            Some(cidr_text) => Peer::Cidr(
                cidr_text
                    .trim()
                    .parse()
                    .map_err(|er| err(format!("{}.CidrBlock", e.path), format!("{cidr_text:?}: {er}")))?,
            ),
            None => match e.opt_str("SecurityGroupId")?.map(str::trim) {
                Some(sg) if policy && self.described.contains(sg) => Peer::Group(sg.into()),
                Some(sg) if policy => {
                    let what = format!(
                        "references security group {sg}, whose policies are not in \
                                        DescribeSecurityGroupPolicies"
                    );
                    return Ok(self.skip_because(e, owner, action, &what));
                }
                _ => return self.no_peer(e, owner, action, address),
            },
        };
        if let Some(t) = service {
            return Ok(self.skip(e, owner, action, &format!("uses service template {t}")));
        }
        let proto_text = e.opt_str("Protocol")?.unwrap_or("ALL");
        let Ok(protocol) = proto_text.parse::<Protocol>() else {
            let what = format!("is for protocol {proto_text} (plan v1 holds TCP, UDP, ICMP and ALL)");
            return Ok(self.skip(e, owner, action, &what));
        };
        let port_text = e.opt_str("Port")?.unwrap_or("ALL");
        let port: Ports = if protocol.has_ports() {
            port_text.parse().map_err(|m| err(format!("{}.Port", e.path), m))?
        } else {
            Ports::all()
        };
        let description = e.opt_str(description)?.unwrap_or("").to_string();
        Ok(Some(FilterRule { protocol, port, peer, action, description }))
    }

    /// A rule with neither a CIDR nor a group the plan can name (an ACL entry names no group): skipped, saying what it
    /// names instead.
    fn no_peer(
        &mut self,
        e: &At<'_>,
        owner: &str,
        action: Action,
        address: Option<&str>,
    ) -> Result<Option<FilterRule>, PlanError> {
        let what = if let Some(sg) = e.opt_str("SecurityGroupId")? {
            format!("references security group {sg} instead of a CIDR")
        } else if let Some(t) = address {
            format!("references address template {t} instead of a CIDR")
        } else if e.opt_str("Ipv6CidrBlock")?.is_some() {
            "is IPv6 only".to_string()
        } else {
            return Err(err(format!("{}.CidrBlock", e.path), "missing: this import needs it"));
        };
        Ok(self.skip(e, owner, action, &what))
    }

    /// Notes a rule plan v1 cannot express, saying `what` it does and what skipping it means; `None`, the rule read.
    fn skip(&mut self, e: &At<'_>, owner: &str, action: Action, what: &str) -> Option<FilterRule> {
        self.skip_because(e, owner, action, &format!("{what}; plan v1 cannot express it"))
    }

    /// Notes a rule skipped for the reason `what` gives, and what skipping it means; `None`, the rule read.
    fn skip_because(&mut self, e: &At<'_>, owner: &str, action: Action, what: &str) -> Option<FilterRule> {
        self.note(format!(
            "{}: {owner}'s {} rule {what}: skipped, so traffic it would {} falls to the next rules",
            e.path,
            action.as_str(),
            if action == Action::Accept { "accept" } else { "drop" }
        ));
        None
    }

    fn subnets(&mut self, pages: &[At<'_>]) {
        for page in pages {
            for s in item!(self, page.arr("SubnetSet")) {
                let Some(id) = item!(self, self.claim_id("DescribeSubnets", &s, "SubnetId")) else { continue };
                let vpc_id = item!(self, s.req_str("VpcId"));
                let cidr = item!(self, s.cidr("CidrBlock"));
                let name = item!(self, s.opt_str("SubnetName")).unwrap_or("");
                let zone = item!(self, s.opt_str("Zone")).unwrap_or("");
                let acl = item!(self, s.opt_str("NetworkAclId")).map(Name::from);
                let Some(vpc) = self.vpcs.get_mut(vpc_id) else {
                    self.notes.push(format!("{}: subnet {id} of {vpc_id}, a VPC not in DescribeVpcs; skipped", s.path));
                    continue;
                };
                vpc.subnets.push(Subnet { id: id.into(), name: name.to_string(), cidr, zone: zone.into(), acl });
                self.subnet_vpc.insert(id.to_string(), vpc_id.to_string());
            }
        }
        for vpc in self.vpcs.values_mut() {
            sort::sort_by(&mut vpc.subnets, |a, b| a.id.cmp(&b.id));
        }
    }

    /// Binds ACLs to subnets from `NetworkAcl.SubnetSet` and drops bindings to ACLs not in the bundle.
    fn bind_acls(&mut self, pages: &[At<'_>]) {
        for page in pages {
            for a in item!(self, page.arr("NetworkAclSet")) {
                let Ok(id) = a.req_str("NetworkAclId") else { continue };
                for s in item!(self, a.arr("SubnetSet")) {
                    let sid = item!(self, s.req_str("SubnetId"));
                    let Some(vpc_id) = self.subnet_vpc.get(sid) else {
                        self.notes.push(format!(
                            "{}: {id} is bound to {sid}, a subnet not in DescribeSubnets; ignored",
                            s.path
                        ));
                        continue;
                    };
                    let vpc = self.vpcs.get_mut(vpc_id).expect("subnet_vpc names known VPCs");
                    let sub = vpc.subnets.iter_mut().find(|x| x.id == sid).expect("known subnet");
                    match &sub.acl {
                        Some(other) if other != id => self.notes.push(format!(
                            "{}: {sid} is bound to {other} in DescribeSubnets and to {id} here; kept {other}",
                            s.path
                        )),
                        _ => sub.acl = Some(id.into()),
                    }
                }
            }
        }
        let known = &self.acls;
        for vpc in self.vpcs.values_mut() {
            for s in &mut vpc.subnets {
                if let Some(a) = &s.acl {
                    if !known.contains_key(a.as_str()) {
                        self.notes.push(format!(
                            "{}: bound to ACL {a}, which is not in DescribeNetworkAcls; imported unfiltered by it",
                            s.id
                        ));
                        s.acl = None;
                    }
                }
            }
        }
    }

    /// The value of a call bundled per object, because its response does not name the object it describes
    /// (`{"sg-xxx": <response>}`): the object, or `None` with an error when `v` is not one, or is a single response
    /// itself (it holds `field`, the response's own content, or `Response`). `object` names what the keys are: its ID
    /// (`security group ID`), what one key is (`group`) and an example key (`sg-xxx`).
    fn keyed<'v>(
        &mut self,
        v: &'v Value,
        key: &str,
        field: &str,
        (id, one, example): (&str, &str, &str),
    ) -> Option<&'v serde_json::Map<String, Value>> {
        let Some(obj) = v.as_object() else {
            self.errs.push(err(key, format!("expected an object keyed by {id}: {{\"{example}\": <response>}}")));
            return None;
        };
        if obj.contains_key(field) || obj.contains_key("Response") {
            self.errs.push(err(
                key,
                format!(
                    "keyed per {one}: wrap each response as {{\"{example}\": <response>}} (the response does not name \
                     its {one})"
                ),
            ));
            return None;
        }
        Some(obj)
    }

    fn security_groups(&mut self, v: &Value) {
        let object = ("security group ID", "group", "sg-xxx");
        let Some(obj) = self.keyed(v, "DescribeSecurityGroupPolicies", "SecurityGroupPolicySet", object) else {
            return;
        };
        self.described = obj.keys().cloned().collect();
        for (sg, value) in obj {
            let at = At { v: value, path: key_path(Some("DescribeSecurityGroupPolicies"), sg) };
            // Keyed by its ID, a group cannot repeat itself (a key given twice is refused), only another's ID.
            item!(self, self.claim("DescribeSecurityGroupPolicies", &at, sg, at.path.clone()));
            let resp = item!(self, unwrap_response(at));
            let set = item!(self, resp.req_obj("SecurityGroupPolicySet"));
            let mut group =
                SecurityGroup { id: sg.as_str().into(), name: String::new(), ingress: Vec::new(), egress: Vec::new() };
            for (key, out) in [("Ingress", &mut group.ingress), ("Egress", &mut group.egress)] {
                let mut rules: Vec<(i64, FilterRule)> = Vec::new();
                for p in item!(self, set.arr(key)) {
                    let index = item!(self, p.opt_i64("PolicyIndex")).unwrap_or(i64::MAX);
                    if let Some(r) = item!(self, self.filter_rule(&p, "PolicyDescription", sg, true)) {
                        rules.push((index, r));
                    }
                }
                sort::sort_by_key(&mut rules, |(i, _)| *i);
                *out = rules.into_iter().map(|(_, r)| r).collect();
            }
            self.groups.insert(sg.clone(), group);
        }
    }

    fn instances(&mut self, pages: &[At<'_>]) {
        for page in pages {
            for inst in item!(self, page.req_arr("InstanceSet")) {
                let Some(id) = item!(self, self.claim_id("DescribeInstances", &inst, "InstanceId")) else { continue };
                let name = item!(self, inst.opt_str("InstanceName")).unwrap_or("");
                let vpcinfo = item!(self, inst.child("VirtualPrivateCloud"));
                let vpc_id = match &vpcinfo {
                    Some(v) => item!(self, v.opt_str("VpcId")),
                    None => None,
                };
                // A CVM that failed to launch is skipped before anything else is asked of it (it has no IP).
                let state = item!(self, cvm_state(&inst));
                let Some(state) = state else {
                    self.notes.push(format!("{}: {id} failed to launch (LAUNCH_FAILED); skipped", inst.path));
                    continue;
                };
                let ips = item!(self, inst.strs("PrivateIpAddresses"));
                let Some(ip_text) = ips.first() else {
                    self.errs.push(err(
                        format!("{}.PrivateIpAddresses", inst.path),
                        "missing: this import needs the private IP",
                    ));
                    continue;
                };
                let ip: Ipv4Addr = item!(
                    self,
                    parse_ipv4(ip_text).map_err(|why| err(format!("{}.PrivateIpAddresses[0]", inst.path), why))
                );
                let zone = match item!(self, inst.child("Placement")) {
                    Some(p) => item!(self, p.opt_str("Zone")).unwrap_or(""),
                    None => "",
                };
                let groups: Vec<Name> =
                    item!(self, inst.strs("SecurityGroupIds")).into_iter().map(Name::from).collect();
                match vpc_id {
                    None => {
                        let region = match zone_region(zone) {
                            Some(r) => r.to_string(),
                            None => self.region.clone(),
                        };
                        self.assumed_classic.push(id.to_string());
                        self.classic.insert(
                            id.to_string(),
                            ClassicInstance {
                                id: id.into(),
                                kind: Kind::Cvm,
                                name: name.to_string(),
                                region: region.into(),
                                zone: zone.into(),
                                ip,
                                state,
                                security_groups: groups,
                                backends: Vec::new(),
                            },
                        );
                    }
                    Some(vpc_id) => {
                        let v = vpcinfo.expect("a VpcId came from it");
                        let subnet = item!(self, v.req_str("SubnetId"));
                        self.add_resource(
                            &inst.path,
                            vpc_id,
                            subnet,
                            Resource {
                                id: id.into(),
                                kind: Kind::Cvm,
                                name: name.to_string(),
                                subnet: subnet.into(),
                                ip,
                                state,
                                security_groups: groups,
                                backends: Vec::new(),
                            },
                        );
                    }
                }
            }
        }
    }

    fn add_resource(&mut self, path: &str, vpc_id: &str, subnet: &str, r: Resource) {
        let Some(vpc) = self.vpcs.get_mut(vpc_id) else {
            self.notes.push(format!("{path}: {} is in {vpc_id}, a VPC not in DescribeVpcs; skipped", r.id));
            return;
        };
        if vpc.subnet(subnet).is_none() {
            self.notes.push(format!("{path}: {} is in {subnet}, a subnet not in DescribeSubnets; skipped", r.id));
            return;
        }
        vpc.resources.push(r);
    }

    fn links(&mut self, pages: &[At<'_>]) {
        for page in pages {
            for l in item!(self, page.arr("ClassicLinkInstanceSet")) {
                let vpc = item!(self, l.req_str("VpcId"));
                let ins = item!(self, l.req_str("InstanceId"));
                let Some(c) = self.classic.get(ins) else {
                    self.notes.push(format!(
                        "{}: {ins} is linked to {vpc} but is not a classic CVM in DescribeInstances (no IP known); skipped",
                        l.path
                    ));
                    continue;
                };
                if !self.vpcs.contains_key(vpc) {
                    self.notes
                        .push(format!("{}: {ins} is linked to {vpc}, a VPC not in DescribeVpcs; skipped", l.path));
                    continue;
                }
                let key = (ins.to_string(), vpc.to_string());
                if let Some((first, _)) = self.links.get(&key) {
                    let note = format!("{}: repeats {first} ({ins} linked to {vpc}); read once", l.path);
                    self.notes.push(note);
                    continue;
                }
                if let Some((_, other)) = self.links.values().find(|(_, k)| k.instance == ins) {
                    self.notes.push(format!(
                        "{}: {ins} is listed as linked to {vpc} and to {}; both kept (the check reports it)",
                        l.path, other.vpc
                    ));
                }
                // DescribeClassicLinkInstances carries no IP: the link IP is the instance's current private IP.
                let link = Link { instance: ins.into(), vpc: vpc.into(), ip: Some(c.ip), invalidated: false };
                self.links.insert(key, (l.path.clone(), link));
            }
        }
    }

    fn remote_cidrs(&mut self, vpn_connections: &[At<'_>], route_tables: &[At<'_>]) {
        for page in vpn_connections {
            for c in item!(self, page.arr("VpnConnectionSet")) {
                let gw = item!(self, c.req_str("VpnGatewayId"));
                for spd in item!(self, c.arr("SecurityPolicyDatabaseSet")) {
                    for (k, r) in item!(self, spd.arr("RemoteCidrBlock")).into_iter().enumerate() {
                        let text = item!(self, r.as_str());
                        let cidr: Cidr = item!(
                            self,
                            text.trim().parse().map_err(|e| err(
                                format!("{}.RemoteCidrBlock[{k}]", spd.path),
                                format!("{text:?}: {e}")
                            ))
                        );
                        self.remote.entry(gw.to_string()).or_default().insert(cidr);
                    }
                }
            }
        }
        for page in route_tables {
            for t in item!(self, page.arr("RouteTableSet")) {
                for r in item!(self, t.arr("RouteSet")) {
                    let kind = item!(self, r.opt_str("GatewayType")).unwrap_or("");
                    if kind != "VPN" && kind != "DIRECTCONNECT" {
                        continue;
                    }
                    let Some(gw) = item!(self, r.opt_str("GatewayId")) else { continue };
                    let Some(dest) = item!(self, r.opt_str("DestinationCidrBlock")) else { continue };
                    let cidr: Cidr = item!(
                        self,
                        dest.trim()
                            .parse()
                            .map_err(|e| err(format!("{}.DestinationCidrBlock", r.path), format!("{dest:?}: {e}")))
                    );
                    self.remote.entry(gw.to_string()).or_default().insert(cidr);
                }
            }
        }
    }

    fn gateways(&mut self, pages: &[At<'_>], kind: GatewayKind, set: &str, id_key: &str, name_key: &str) {
        for page in pages {
            for g in item!(self, page.arr(set)) {
                let Some(id) = item!(self, self.claim_id(set, &g, id_key)) else { continue };
                let name = item!(self, g.opt_str(name_key)).unwrap_or("");
                let Some(vpc_id) = item!(self, g.opt_str("VpcId")) else {
                    self.notes.push(format!("{}: {} {id} is not in a VPC (CCN type); skipped", g.path, kind.label()));
                    continue;
                };
                let remote_cidrs: Vec<Cidr> = if kind.has_remote_cidrs() {
                    let r: Vec<Cidr> = self.remote.get(id).map(|s| s.iter().copied().collect()).unwrap_or_default();
                    if r.is_empty() {
                        self.notes.push(format!(
                            "{}: {} {id} leads to no known remote CIDR (add DescribeVpnConnections or \
                             DescribeRouteTables to the bundle); skipped",
                            g.path,
                            kind.label()
                        ));
                        continue;
                    }
                    r
                } else {
                    Vec::new()
                };
                let Some(vpc) = self.vpcs.get_mut(vpc_id) else {
                    self.notes.push(format!("{}: {id} is in {vpc_id}, a VPC not in DescribeVpcs; skipped", g.path));
                    continue;
                };
                vpc.gateways.push(Gateway { id: id.into(), kind, name: name.to_string(), remote_cidrs });
            }
        }
    }

    fn peerings(&mut self, pages: &[At<'_>]) {
        for page in pages {
            for p in item!(self, page.arr("PeerConnectionSet")) {
                let Some(id) = item!(self, self.claim_id("DescribeVpcPeeringConnections", &p, "PeeringConnectionId"))
                else {
                    continue;
                };
                let a = item!(self, p.req_str("SourceVpcId"));
                let b = item!(self, p.req_str("PeerVpcId"));
                let state = item!(self, p.opt_str("State")).unwrap_or("ACTIVE");
                if !state.eq_ignore_ascii_case("ACTIVE") {
                    self.notes.push(format!("{}: peering {id} is {state}, not ACTIVE; skipped", p.path));
                    continue;
                }
                if let Some(missing) = [a, b].into_iter().find(|v| !self.vpcs.contains_key(*v)) {
                    self.notes.push(format!(
                        "{}: peering {id} reaches {missing}, a VPC not in DescribeVpcs (another region or account); skipped",
                        p.path
                    ));
                    continue;
                }
                self.peerings.insert(id.to_string(), Peering { id: id.into(), vpcs: vec![a.into(), b.into()] });
            }
        }
    }

    fn ccns(&mut self, pages: &[At<'_>]) {
        for page in pages {
            for c in item!(self, page.arr("InstanceSet")) {
                let ccn = item!(self, c.req_str("CcnId"));
                let ty = item!(self, c.req_str("InstanceType"));
                let ins = item!(self, c.req_str("InstanceId"));
                if ty != "VPC" {
                    self.notes.push(format!("{}: {ins} ({ty}) on {ccn} is not a VPC; skipped", c.path));
                    continue;
                }
                let state = item!(self, c.opt_str("State")).unwrap_or("ACTIVE");
                if !state.eq_ignore_ascii_case("ACTIVE") {
                    self.notes.push(format!("{}: {ins} on {ccn} is {state}, not ACTIVE; skipped", c.path));
                    continue;
                }
                if !self.vpcs.contains_key(ins) {
                    self.notes.push(format!(
                        "{}: {ins} on {ccn} is not in DescribeVpcs (another region or account); left out of {ccn}",
                        c.path
                    ));
                    continue;
                }
                self.ccns.entry(ccn.to_string()).or_default().insert(ins.to_string());
            }
        }
    }

    fn load_balancers(&mut self, pages: &[At<'_>]) {
        for page in pages {
            for lb in item!(self, page.arr("LoadBalancerSet")) {
                let Some(id) = item!(self, self.claim_id("DescribeLoadBalancers", &lb, "LoadBalancerId")) else {
                    continue;
                };
                let name = item!(self, lb.opt_str("LoadBalancerName")).unwrap_or("");
                let ty = item!(self, lb.opt_str("LoadBalancerType")).unwrap_or("");
                let vips = item!(self, lb.strs("LoadBalancerVips"));
                let Some(vip) = vips.first() else {
                    self.notes.push(format!("{}: CLB {id} has no VIP (LoadBalancerVips is empty); skipped", lb.path));
                    continue;
                };
                let ip: Ipv4Addr =
                    item!(self, parse_ipv4(vip).map_err(|why| err(format!("{}.LoadBalancerVips[0]", lb.path), why)));
                let groups: Vec<Name> = item!(self, lb.strs("SecureGroups")).into_iter().map(Name::from).collect();
                let place = match item!(self, lb.opt_str("VpcId")) {
                    None => {
                        if ty == "OPEN" {
                            self.notes.push(format!("{id}: a public (OPEN) CLB; its VIP {ip} is taken as its address"));
                        }
                        Err("no VpcId".to_string())
                    }
                    Some(vpc_id) => {
                        let Some(subnet) = item!(self, lb.opt_str("SubnetId")) else {
                            self.notes.push(format!(
                                "{}: CLB {id} in {vpc_id} has no SubnetId (a public CLB has no private address in \
                                 the VPC); skipped",
                                lb.path
                            ));
                            continue;
                        };
                        Ok((vpc_id, subnet))
                    }
                };
                // A load balancer's response has no `Region` or `Zone`: a classic CLB is in the bundle's region.
                let clb = Placed { kind: Kind::Clb, id, name, ip, security_groups: groups };
                item!(self, self.place(&lb, clb, place));
            }
        }
    }

    /// CLB backends from `DescribeTargets`, keyed per CLB (the response does not name its CLB): the CVMs bound to
    /// every listener, layer 4 (`Listeners[].Targets`) and layer 7 (`Listeners[].Rules[].Targets`), once each, sorted.
    fn backends(&mut self, v: &Value) {
        let Some(obj) = self.keyed(v, "DescribeTargets", "Listeners", ("CLB ID", "CLB", "lb-xxx")) else { return };
        // What a CLB can bind, as the plan holds it: a CVM, classic or in a VPC (the plan reader refuses anything else).
        // Sorted, for a binary search: a set type of its own would compile another copy of a B-tree.
        let mut bindable: Vec<Name> =
            self.classic.values().filter(|c| c.kind == Kind::Cvm).map(|c| c.id.clone()).collect();
        let vpc_cvms = self.vpcs.values().flat_map(|v| v.resources.iter().filter(|r| r.kind == Kind::Cvm));
        bindable.extend(vpc_cvms.map(|r| r.id.clone()));
        sort::sort(&mut bindable);
        // A CLB with no entry keeps no backends: said, as when DescribeTargets is left out entirely.
        let mut without: Vec<Name> =
            self.classic.values().filter(|c| c.kind == Kind::Clb).map(|c| c.id.clone()).collect();
        without.extend(
            self.vpcs.values().flat_map(|v| v.resources.iter().filter(|r| r.kind == Kind::Clb).map(|r| r.id.clone())),
        );
        without.retain(|id| !obj.iter().any(|(lb, _)| lb.as_str() == id.as_str()));
        sort::sort(&mut without);
        for id in &without {
            self.notes.push(format!(
                "{id}: no DescribeTargets entry; imported without backends (bundle its DescribeTargets, or add them in \
                 the planner)"
            ));
        }
        for (lb, value) in obj {
            let at = At { v: value, path: key_path(Some("DescribeTargets"), lb) };
            let resp = item!(self, unwrap_response(at));
            let mut bound: Vec<Name> = Vec::new();
            for listener in item!(self, resp.arr("Listeners")) {
                let mut sets = vec![listener.clone()];
                sets.extend(item!(self, listener.arr("Rules")));
                for set in sets {
                    for t in item!(self, set.arr("Targets")) {
                        let ty = item!(self, t.opt_str("Type")).unwrap_or("CVM");
                        if ty != "CVM" {
                            self.notes.push(format!(
                                "{}: a backend of {lb} of type {ty} (bound by address, not an instance the plan holds); skipped",
                                t.path
                            ));
                            continue;
                        }
                        let id = item!(self, t.req_str("InstanceId"));
                        if bindable.binary_search_by(|b| b.as_str().cmp(id)).is_err() {
                            self.notes.push(format!(
                                "{}: {id}, a backend of {lb}, is not a CVM of this import (classic or in a VPC); skipped",
                                t.path
                            ));
                            continue;
                        }
                        if !bound.iter().any(|b| b == id) {
                            bound.push(id.into());
                        }
                    }
                }
            }
            sort::sort(&mut bound);
            let classic = self.classic.get_mut(lb.as_str()).filter(|c| c.kind == Kind::Clb).map(|c| &mut c.backends);
            let slot = classic.or_else(|| {
                let mut resources = self.vpcs.values_mut().flat_map(|v| v.resources.iter_mut());
                resources.find(|r| r.id == lb.as_str() && r.kind == Kind::Clb).map(|r| &mut r.backends)
            });
            match slot {
                Some(backends) => *backends = bound,
                None => self.notes.push(format!("DescribeTargets.{lb}: not a CLB of DescribeLoadBalancers; skipped")),
            }
        }
    }

    fn databases(&mut self, pages: &[At<'_>], db: &Database) {
        for page in pages {
            for d in item!(self, page.arr(db.set)) {
                let Some(id) = item!(self, self.claim_id(db.key, &d, "InstanceId")) else { continue };
                let name = item!(self, d.opt_str(db.name)).unwrap_or("");
                let ip = item!(self, d.ip(db.vip));
                let place = match item!(self, d.opt_str(db.vpc)) {
                    None => Err(format!("no {}", db.vpc)),
                    Some(vpc) => Ok((vpc, item!(self, d.req_str(db.subnet)))),
                };
                let what = Placed { kind: db.kind, id, name, ip, security_groups: Vec::new() };
                item!(self, self.place(&d, what, place));
            }
        }
    }

    /// PostgreSQL (`postgres.DescribeDBInstances`): its addresses are in `DBInstanceNetInfo[]`, one entry per network:
    /// `private` (in a VPC, whose `VpcId` and `SubnetId` it names), `inner` (in the classic network) or `public`.
    fn postgres(&mut self, pages: &[At<'_>]) {
        for page in pages {
            for d in item!(self, page.arr("DBInstanceSet")) {
                let Some(id) = item!(self, self.claim_id(POSTGRES_DESCRIBE_DB_INSTANCES, &d, "DBInstanceId")) else {
                    continue;
                };
                let name = item!(self, d.opt_str("DBInstanceName")).unwrap_or("");
                let (mut private, mut inner) = (None, None);
                for n in item!(self, d.arr("DBInstanceNetInfo")) {
                    match item!(self, n.opt_str("NetType")) {
                        Some("private") if private.is_none() => private = Some(n),
                        Some("inner") if inner.is_none() => inner = Some(n),
                        _ => {}
                    }
                }
                match (private, inner) {
                    (Some(n), _) => {
                        let ip = item!(self, n.ip("Ip"));
                        // The entry names its VPC and subnet; else the instance's own fields do.
                        let vpc = match item!(self, n.opt_str("VpcId")) {
                            Some(v) => v,
                            None => item!(self, d.req_str("VpcId")),
                        };
                        let subnet = match item!(self, n.opt_str("SubnetId")) {
                            Some(v) => v,
                            None => item!(self, d.req_str("SubnetId")),
                        };
                        let place = (vpc, subnet);
                        let what = Placed { kind: Kind::Postgresql, id, name, ip, security_groups: Vec::new() };
                        item!(self, self.place(&d, what, Ok(place)));
                    }
                    (None, Some(n)) => {
                        let ip = item!(self, n.ip("Ip"));
                        let why = "an address of NetType inner (the classic network's)".to_string();
                        let what = Placed { kind: Kind::Postgresql, id, name, ip, security_groups: Vec::new() };
                        item!(self, self.place(&d, what, Err(why)));
                    }
                    (None, None) => self.notes.push(format!(
                        "{}: {id} has no private (VPC) or inner (classic) address in DBInstanceNetInfo; skipped",
                        d.path
                    )),
                }
            }
        }
    }

    /// Places a running CLB or database instance: in the VPC and subnet of `place`, else (`Err(why)`) in the classic
    /// network, in its own `Region` and `Zone` (the bundle's region when it names none), with a note saying why it was
    /// taken to be there.
    fn place(&mut self, d: &At<'_>, what: Placed<'_>, place: Result<(&str, &str), String>) -> Result<(), PlanError> {
        let Placed { kind, id, name, ip, security_groups } = what;
        match place {
            Err(why) => {
                let region = d.opt_str("Region")?.unwrap_or(&self.region);
                let zone = d.opt_str("Zone")?.unwrap_or("");
                let instance = ClassicInstance {
                    id: id.into(),
                    kind,
                    name: name.to_string(),
                    region: region.into(),
                    zone: zone.into(),
                    ip,
                    state: State::Running,
                    security_groups,
                    backends: Vec::new(),
                };
                self.assumed_placed.push((kind.label(), why, id.to_string()));
                self.classic.insert(id.to_string(), instance);
            }
            Ok((vpc_id, subnet)) => {
                let resource = Resource {
                    id: id.into(),
                    kind,
                    name: name.to_string(),
                    subnet: subnet.into(),
                    ip,
                    state: State::Running,
                    security_groups,
                    backends: Vec::new(),
                };
                self.add_resource(&d.path, vpc_id, subnet, resource);
            }
        }
        Ok(())
    }

    /// Instances may name groups whose policies are not in the bundle: drop those references, saying so.
    fn drop_dangling_groups(&mut self) {
        let known = &self.groups;
        let mut dropped: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut strip = |id: &str, groups: &mut Vec<Name>| {
            groups.retain(|g| {
                let keep = known.contains_key(g.as_str());
                if !keep {
                    dropped.entry(g.to_string()).or_default().push(id.to_string());
                }
                keep
            })
        };
        for c in self.classic.values_mut() {
            strip(&c.id.clone(), &mut c.security_groups);
        }
        for v in self.vpcs.values_mut() {
            for r in &mut v.resources {
                strip(&r.id.clone(), &mut r.security_groups);
            }
        }
        for (g, users) in dropped {
            self.notes.push(format!(
                "{g}: bound to {} but its policies are not in DescribeSecurityGroupPolicies; imported without it \
                 (unfiltered by it)",
                users.join(", ")
            ));
        }
    }

    fn finish(&mut self) -> Plan {
        let mut vpcs: Vec<Vpc> = std::mem::take(&mut self.vpcs).into_values().collect();
        for v in &mut vpcs {
            sort::sort_by(&mut v.resources, |a, b| a.id.cmp(&b.id));
            sort::sort_by(&mut v.gateways, |a, b| a.id.cmp(&b.id));
        }
        let mut links: Vec<Link> = std::mem::take(&mut self.links).into_values().map(|(_, l)| l).collect();
        sort::sort_by(&mut links, |a, b| (&a.instance, &a.vpc).cmp(&(&b.instance, &b.vpc)));
        Plan {
            name: format!("Imported from Tencent Cloud ({})", self.region),
            account: Account { platforms: self.platforms },
            classic: std::mem::take(&mut self.classic).into_values().collect(),
            vpcs,
            peerings: std::mem::take(&mut self.peerings).into_values().collect(),
            ccns: std::mem::take(&mut self.ccns)
                .into_iter()
                .map(|(id, vpcs)| Ccn { id: id.into(), vpcs: vpcs.into_iter().map(Name::from).collect() })
                .collect(),
            links,
            security_groups: std::mem::take(&mut self.groups).into_values().collect(),
            network_acls: std::mem::take(&mut self.acls).into_values().collect(),
            ..Plan::default()
        }
    }
}

fn push_unique(v: &mut Vec<Cidr>, c: Cidr) {
    if !v.contains(&c) {
        v.push(c);
    }
}

/// The optional calls not named by [`absent_effect`] nor among the database products, with what leaving each out
/// leaves out of the plan.
const OPTIONAL_CALLS: [(&str, &str); 9] = [
    ("DescribeAssistantCidr", "assistant CIDRs, and the subnets and resources in them"),
    ("DescribeVpcPeeringConnections", "peerings: VPCs joined by one are taken as isolated"),
    ("DescribeCcnAttachedInstances", "CCN attachments: VPCs joined by a CCN are taken as isolated"),
    ("DescribeNatGateways", "NAT gateways: no way to the internet through one"),
    ("DescribeVpnGateways", "VPN gateways"),
    ("DescribeVpnConnections", "VPN connections: the remote CIDRs of VPN gateways"),
    ("DescribeDirectConnectGateways", "Direct Connect gateways"),
    ("DescribeRouteTables", "route tables: the remote CIDRs their routes give VPN and Direct Connect gateways"),
    ("DescribeLoadBalancers", "CLBs"),
];

fn absent_effect(key: &str) -> &'static str {
    match key {
        "DescribeAccountAttributes" => "the account is assumed to have a classic network",
        "DescribeSubnets" => "no subnets, so no VPC resources are imported",
        "DescribeClassicLinkInstances" => "no links are imported",
        "DescribeSecurityGroupPolicies" => "instances are imported without security groups",
        "DescribeNetworkAcls" => "subnets are imported without network ACLs",
        _ => "left out",
    }
}

/// The plan state of a CVM from `InstanceState`, `RestrictState` and `IsolatedSource`; `None` for LAUNCH_FAILED.
fn cvm_state(inst: &At<'_>) -> Result<Option<State>, PlanError> {
    if inst.opt_str("RestrictState")? == Some("PROTECTIVELY_ISOLATED") {
        return Ok(Some(State::SecurityIsolated));
    }
    if matches!(inst.opt_str("IsolatedSource")?, Some("ARREAR" | "EXPIRE")) {
        return Ok(Some(State::Isolated));
    }
    let s = inst.req_str("InstanceState")?;
    Ok(match s {
        "RUNNING" | "PENDING" | "STARTING" | "REBOOTING" => Some(State::Running),
        // Rescue mode and live migration keep the instance and its network (migration does not unlink: seed 000).
        "ENTER_RESCUE_MODE"
        | "RESCUE_MODE"
        | "EXIT_RESCUE_MODE"
        | "ENTER_SERVICE_LIVE_MIGRATE"
        | "SERVICE_LIVE_MIGRATE"
        | "EXIT_SERVICE_LIVE_MIGRATE" => Some(State::Running),
        "STOPPED" | "STOPPING" => Some(State::Stopped),
        "SHUTDOWN" => Some(State::Isolated),
        "TERMINATING" => Some(State::Returned),
        "LAUNCH_FAILED" => None,
        other => {
            return Err(err(
                format!("{}.InstanceState", inst.path),
                format!("{other:?} is not a CVM state this import knows (RUNNING, STOPPED, SHUTDOWN, ...)"),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::load::{export, import, region_of_zone};

    const BUNDLE: &str = include_str!("../../tests/fixtures/tencent/bundle-guangzhou.json");
    const MISSING_CIDR: &str = include_str!("../../tests/fixtures/tencent/broken-missing-cidr.json");
    const NO_IP_NO_ZONE: &str = include_str!("../../tests/fixtures/tencent/broken-no-ip-no-zone.json");

    fn outcome() -> ImportOutcome {
        import_bundle(BUNDLE, None).expect("the realistic bundle imports")
    }

    fn paths(e: &LoadError) -> Vec<&str> {
        e.errors.iter().map(|p| p.path.as_str()).collect()
    }

    /// A bundle is read as a plan is: past a byte order mark, and a key given twice is refused where it repeats
    /// (kept silently, the second `DescribeInstances` would have replaced the first).
    #[test]
    fn bundles_with_a_bom_or_a_key_given_twice() {
        let with_bom = import_bundle(&format!("\u{feff}{BUNDLE}"), None).unwrap();
        assert_eq!(with_bom.plan, outcome().plan);
        let twice = BUNDLE.trim_end().strip_suffix('}').unwrap().to_string()
            + r#", "DescribeInstances": {"TotalCount": 0, "InstanceSet": [], "RequestId": "y"} }"#;
        let e = import_bundle(&twice, Some("ap-guangzhou")).unwrap_err();
        assert_eq!(e.errors[0].path, "DescribeInstances");
        assert!(e.errors[0].message.contains("given twice"), "{e}");
        assert_eq!(import_bundle(" ", None).unwrap_err().errors[0].message, "empty: a bundle is a JSON object");
    }

    #[test]
    fn realistic_bundle_becomes_a_valid_round_tripping_plan() {
        let o = outcome();
        let p = &o.plan;
        let classic: Vec<(&str, Kind)> = p.classic.iter().map(|c| (c.id.as_str(), c.kind)).collect();
        assert_eq!(
            classic,
            vec![
                ("cdb-orders", Kind::Mysql),
                ("ins-bastion", Kind::Cvm),
                ("ins-job01", Kind::Cvm),
                ("ins-web01", Kind::Cvm),
                ("ins-web02", Kind::Cvm),
                ("ins-web03", Kind::Cvm),
                ("lb-old", Kind::Clb),
            ]
        );
        assert!(p.classic.iter().all(|c| c.region == "ap-guangzhou"));
        assert_eq!(p.classic_instance("ins-job01").unwrap().state, State::Stopped);
        assert_eq!(p.classic_instance("ins-web03").unwrap().zone, "ap-guangzhou-4");
        // Same plan after a round trip through plan JSON.
        let again = import(&export(p)).unwrap();
        assert_eq!(&again, p);
        assert_eq!(p.account.platforms, Platforms::Classic);
    }

    #[test]
    fn vpcs_subnets_acls_and_assistant_cidrs() {
        let p = outcome().plan;
        let prod = p.vpc("vpc-prod").unwrap();
        assert_eq!(prod.cidr.to_string(), "10.0.0.0/16");
        // Listed both in DescribeVpcs and DescribeAssistantCidr: once.
        assert_eq!(prod.assistant_cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>(), ["10.100.0.0/16"]);
        let subnets: Vec<&str> = prod.subnets.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(subnets, ["subnet-app", "subnet-db", "subnet-extra"]);
        assert_eq!(prod.subnet("subnet-app").unwrap().acl.as_deref(), Some("acl-app"));
        assert_eq!(prod.subnet("subnet-db").unwrap().acl, None);
        let resources: Vec<(&str, Kind)> = prod.resources.iter().map(|r| (r.id.as_str(), r.kind)).collect();
        assert_eq!(resources, [("cdb-vpc1", Kind::Mysql), ("ins-app01", Kind::Cvm), ("lb-prod", Kind::Clb)]);
        let acl = p.network_acl("acl-app").unwrap();
        // Sorted by Priority: the ACCEPT (priority 1) before the DROP (priority 2).
        assert_eq!(acl.ingress.len(), 2);
        assert_eq!(acl.ingress[0].action, Action::Accept);
        assert_eq!(acl.ingress[0].port.to_string(), "22,80,3306");
        assert_eq!(acl.ingress[1].action, Action::Drop);
        assert!(acl.ingress[1].port.is_all(), "an empty Port on ALL is every port");
        assert_eq!(p.vpc("vpc-legacy").unwrap().cidr.to_string(), "172.16.0.0/16");
    }

    #[test]
    fn security_groups_sorted_by_policy_index_and_group_references_kept() {
        let o = outcome();
        let web = o.plan.security_group("sg-web").unwrap();
        assert_eq!(web.ingress[0].port.to_string(), "22", "PolicyIndex 0 comes first");
        assert_eq!(web.ingress[1].port.to_string(), "80,443");
        let app = o.plan.security_group("sg-app").unwrap();
        let peers: Vec<String> = app.ingress.iter().map(|r| r.peer.to_string()).collect();
        assert_eq!(peers, ["10.66.0.0/16", "sg-web", "0.0.0.0/0"], "the policy naming sg-web is a group rule");
        assert_eq!(app.ingress[1].peer, Peer::Group("sg-web".into()));
        assert_eq!(app.ingress[2].action, Action::Drop);
        assert!(!o.notes.iter().any(|n| n.contains("references security group")), "{:?}", o.notes);
        // sg-ops has no policies in the bundle: dropped from the bastion, with a note.
        assert_eq!(o.plan.classic_instance("ins-bastion").unwrap().security_groups, ["sg-web"]);
        assert!(o.notes.iter().any(|n| n.starts_with("sg-ops: bound to ins-bastion")));
    }

    /// A group's egress policies are imported as well as its ingress ones: a linked classic CVM's traffic leaves
    /// through its group's egress rules, so without them the import would answer every flow from it as blocked.
    #[test]
    fn security_groups_keep_their_egress_rules() {
        let p = outcome().plan;
        // ins-web01 (sg-web) reaches ins-app01 (sg-app) over the link only by sg-web's egress rule.
        let from = crate::domain::model::Endpoint::Id("ins-web01".into());
        let to = crate::domain::model::Endpoint::Id("ins-app01".into());
        let answer = crate::domain::reach::reach(&p, &from, &to, Protocol::Tcp, 22).unwrap();
        assert!(answer.reachable, "{}", answer.message);
        for id in ["sg-web", "sg-app"] {
            let egress: Vec<(Action, String, String)> = p
                .security_group(id)
                .unwrap()
                .egress
                .iter()
                .map(|r| (r.action, r.port.to_string(), r.peer.to_string()))
                .collect();
            assert_eq!(egress, [(Action::Accept, "ALL".to_string(), "0.0.0.0/0".to_string())], "{id}");
        }
    }

    /// A Direct Connect gateway's remote CIDRs come from the routes of DescribeRouteTables that lead to it, as a VPN
    /// gateway's do; a route through any other gateway type is no remote CIDR.
    #[test]
    fn a_direct_connect_gateway_takes_its_remote_cidrs_from_the_route_tables() {
        let mut bundle: Value = serde_json::from_str(BUNDLE).unwrap();
        let b = bundle.as_object_mut().unwrap();
        b.insert(
            "DescribeDirectConnectGateways".into(),
            serde_json::json!({ "DirectConnectGatewaySet": [
                { "DirectConnectGatewayId": "dcg-idc", "DirectConnectGatewayName": "idc", "VpcId": "vpc-prod",
                  "GatewayType": "NORMAL" }
            ] }),
        );
        b.insert(
            "DescribeRouteTables".into(),
            serde_json::json!({ "RouteTableSet": [{ "RouteTableId": "rtb-1", "VpcId": "vpc-prod", "RouteSet": [
                { "DestinationCidrBlock": "172.20.0.0/16", "GatewayType": "DIRECTCONNECT", "GatewayId": "dcg-idc" },
                { "DestinationCidrBlock": "172.21.0.0/16", "GatewayType": "NAT", "GatewayId": "dcg-idc" }
            ] }] }),
        );
        let o = import_bundle(&bundle.to_string(), None).unwrap();
        let dc = o.plan.vpc("vpc-prod").unwrap().gateways.iter().find(|g| g.id == "dcg-idc").cloned();
        let dc = dc.unwrap_or_else(|| panic!("the Direct Connect gateway is imported: {:?}", o.notes));
        assert_eq!(dc.kind, GatewayKind::DirectConnect);
        assert_eq!(dc.remote_cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>(), ["172.20.0.0/16"]);
    }

    /// A subnet bound to an ACL the bundle does not describe imports unfiltered by it, with a note: kept, the plan
    /// would name an ACL it does not hold and fail to load.
    #[test]
    fn a_subnet_bound_to_an_acl_not_in_the_bundle_imports_unfiltered() {
        let mut bundle: Value = serde_json::from_str(BUNDLE).unwrap();
        let subnets = bundle["DescribeSubnets"]["Response"]["SubnetSet"].as_array_mut().unwrap();
        let db = subnets.iter_mut().find(|s| s["SubnetId"] == "subnet-db").unwrap();
        db["NetworkAclId"] = "acl-missing".into();
        let o = import_bundle(&bundle.to_string(), None).unwrap();
        let prod = o.plan.vpc("vpc-prod").unwrap();
        assert_eq!(prod.subnet("subnet-db").unwrap().acl, None);
        assert_eq!(prod.subnet("subnet-app").unwrap().acl.as_deref(), Some("acl-app"));
        let note =
            "subnet-db: bound to ACL acl-missing, which is not in DescribeNetworkAcls; imported unfiltered by it";
        assert!(o.notes.iter().any(|n| n == note), "{:?}", o.notes);
    }

    /// Rules plan v1 cannot hold are skipped with a note saying what they did, in the real API's policy shape, which
    /// carries `AddressTemplate` and `ServiceTemplate` with empty IDs on every rule (read as no template).
    #[test]
    fn skipped_rules_say_why_and_whether_they_accepted_or_dropped() {
        let rule = |fields: &str| {
            let policy = r#"{"PolicyIndex":0,"Protocol":"TCP","Port":"22","CidrBlock":"10.0.0.0/8","Ipv6CidrBlock":"",
                "SecurityGroupId":"","AddressTemplate":{"AddressId":"","AddressGroupId":""},
                "ServiceTemplate":{"ServiceId":"","ServiceGroupId":""},"Action":"ACCEPT","PolicyDescription":""}"#;
            let mut v: Value = serde_json::from_str(policy).unwrap();
            let changes: Value = serde_json::from_str(&format!("{{{fields}}}")).unwrap();
            for (k, x) in changes.as_object().unwrap() {
                v[k] = x.clone();
            }
            format!(
                r#"{{"DescribeVpcs":{{"VpcSet":[]}},"DescribeInstances":{{"InstanceSet":[]}},
                    "DescribeSecurityGroupPolicies":{{"sg-1":{{"SecurityGroupPolicySet":{{"Ingress":[{v}],"Egress":[]}}}}}}}}"#
            )
        };
        let at = "DescribeSecurityGroupPolicies.sg-1.SecurityGroupPolicySet.Ingress[0]: sg-1's";
        let skipped = [
            (r#""CidrBlock":"","Ipv6CidrBlock":"::/0""#, "ACCEPT rule is IPv6 only", "accept"),
            (
                r#""CidrBlock":"","AddressTemplate":{"AddressId":"ipm-1","AddressGroupId":""},"Action":"DROP""#,
                "DROP rule references address template ipm-1 instead of a CIDR",
                "drop",
            ),
            (
                r#""Protocol":"","Port":"","ServiceTemplate":{"ServiceId":"","ServiceGroupId":"ppmg-1"}"#,
                "ACCEPT rule uses service template ppmg-1",
                "accept",
            ),
            (r#""Protocol":"GRE","Port":"","Action":"DROP""#, "DROP rule is for protocol GRE", "drop"),
        ];
        for (fields, what, verb) in skipped {
            let o = import_bundle(&rule(fields), Some("ap-guangzhou")).expect(fields);
            assert!(o.plan.security_groups[0].ingress.is_empty(), "{fields}");
            let note = o.notes.iter().find(|n| n.starts_with(at)).expect(fields);
            assert!(note.starts_with(&format!("{at} {what}")), "{fields}: {note}");
            let falls =
                format!("plan v1 cannot express it: skipped, so traffic it would {verb} falls to the next rules");
            assert!(note.ends_with(&falls), "{fields}: {note}");
        }
        // Empty templates are no templates: the rule is imported.
        let o = import_bundle(&rule(""), Some("ap-guangzhou")).unwrap();
        assert_eq!(o.plan.security_groups[0].ingress.len(), 1);
        // A policy naming a security group is a group rule, the group's own or another of the bundle.
        for sg in ["sg-1", "sg-2"] {
            let bundle = rule(&format!(r#""CidrBlock":"","SecurityGroupId":"{sg}""#))
                .replace(r#""Egress":[]}}}"#, r#""Egress":[]}},"sg-2":{"SecurityGroupPolicySet":{}}}"#);
            let o = import_bundle(&bundle, Some("ap-guangzhou")).expect(sg);
            let g = o.plan.security_group("sg-1").unwrap();
            assert_eq!(g.ingress.iter().map(|r| &r.peer).collect::<Vec<_>>(), [&Peer::Group(sg.into())]);
        }
        // ... unless the bundle does not describe that group: the rule is skipped, saying why.
        let o = import_bundle(&rule(r#""CidrBlock":"","SecurityGroupId":"sg-9""#), Some("ap-guangzhou")).unwrap();
        assert!(o.plan.security_groups[0].ingress.is_empty());
        let note = o.notes.iter().find(|n| n.starts_with(at)).expect("a note for sg-9");
        assert_eq!(
            note,
            &format!(
                "{at} ACCEPT rule references security group sg-9, whose policies are not in \
                 DescribeSecurityGroupPolicies: skipped, so traffic it would accept falls to the next rules"
            )
        );
        // A template that is not an object is refused at its path.
        let e = import_bundle(&rule(r#""AddressTemplate":"ipm-1""#), Some("ap-guangzhou")).unwrap_err();
        let path = "DescribeSecurityGroupPolicies.sg-1.SecurityGroupPolicySet.Ingress[0].AddressTemplate";
        assert_eq!(paths(&e), [path]);
    }

    #[test]
    fn clb_backends_come_from_describe_targets_of_every_listener_and_rule() {
        let o = outcome();
        // Layer 4 (`Listeners[].Targets`): the ENI backend is skipped, with its path.
        assert_eq!(o.plan.classic_instance("lb-old").unwrap().backends, ["ins-job01", "ins-web03"]);
        let eni = "DescribeTargets.lb-old.Response.Listeners[0].Targets[2]: a backend of lb-old of type ENI";
        assert!(o.notes.iter().any(|n| n.starts_with(eni)), "{:?}", o.notes);
        // Layer 7 (`Listeners[].Rules[].Targets`): ins-web01 is bound by two rules and listed once; an instance the
        // import does not hold is skipped, with its path.
        let prod = o.plan.vpc("vpc-prod").unwrap().resources.iter().find(|r| r.id == "lb-prod").unwrap();
        assert_eq!(prod.backends, ["ins-app01", "ins-web01"]);
        let gone = "DescribeTargets.lb-prod.Response.Listeners[0].Rules[1].Targets[1]: ins-gone, a backend of lb-prod";
        assert!(o.notes.iter().any(|n| n.starts_with(gone)), "{:?}", o.notes);
        // The rules now judge real bindings: lb-prod binds ins-web01, linked to vpc-prod (CL009), and mixes classic
        // and VPC backends (CL020).
        let findings = crate::domain::check(&o.plan).findings;
        let rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
        assert!(rules.contains(&"CL009") && rules.contains(&"CL020"), "{rules:?}");
        let cl009 = findings.iter().find(|f| f.rule == "CL009").unwrap();
        assert!(cl009.objects.contains(&"lb-prod".to_string()) && cl009.objects.contains(&"ins-web01".to_string()));
    }

    /// A CLB binds CVMs: a target naming a database (or any VPC resource that is not a CVM) is skipped with a note,
    /// rather than making a plan the plan reader refuses.
    #[test]
    fn a_clb_target_that_is_no_cvm_is_skipped() {
        let mut bundle: Value = serde_json::from_str(BUNDLE).unwrap();
        let vpc_db = outcome()
            .plan
            .vpcs
            .iter()
            .flat_map(|v| &v.resources)
            .find(|r| r.kind != Kind::Cvm && r.kind != Kind::Clb)
            .map(|r| r.id.to_string())
            .expect("a VPC database in the fixture");
        let rules = &mut bundle["DescribeTargets"]["lb-prod"]["Response"]["Listeners"][0]["Rules"][0]["Targets"];
        let mut t = rules[0].clone();
        t["InstanceId"] = Value::from(vpc_db.as_str());
        rules.as_array_mut().unwrap().push(t);
        let o = import_bundle(&bundle.to_string(), None).expect("imported, the target skipped");
        let prod = o.plan.vpc("vpc-prod").unwrap().resources.iter().find(|r| r.id == "lb-prod").unwrap();
        assert!(!prod.backends.iter().any(|b| *b == vpc_db), "{:?}", prod.backends);
        assert!(
            o.notes.iter().any(|n| n.contains(&format!("{vpc_db}, a backend of lb-prod, is not a CVM"))),
            "{:?}",
            o.notes
        );
    }

    #[test]
    fn clb_backends_without_describe_targets_or_for_an_unknown_clb_are_noted() {
        let mut bundle: Value = serde_json::from_str(BUNDLE).unwrap();
        let targets = bundle.as_object_mut().unwrap().remove("DescribeTargets").unwrap();
        let o = import_bundle(&bundle.to_string(), None).unwrap();
        assert!(o.plan.classic_instance("lb-old").unwrap().backends.is_empty());
        assert!(o.notes.iter().any(|n| n.starts_with("DescribeTargets: not in the bundle; CLB backends are not")));
        // Keyed by an ID no CLB has (here a CVM's): skipped, with a note.
        let mut renamed = serde_json::Map::new();
        renamed.insert("ins-web01".into(), targets["lb-old"].clone());
        bundle["DescribeTargets"] = Value::Object(renamed);
        let o = import_bundle(&bundle.to_string(), None).unwrap();
        assert!(o.notes.iter().any(|n| n == "DescribeTargets.ins-web01: not a CLB of DescribeLoadBalancers; skipped"));
        assert!(o.plan.classic_instance("ins-web01").unwrap().backends.is_empty());
        // lb-old, with no entry of its own, is said to have none.
        assert!(o.notes.iter().any(|n| n.starts_with("lb-old: no DescribeTargets entry; imported without backends")));
        assert!(!outcome().notes.iter().any(|n| n.contains("no DescribeTargets entry")), "every CLB has its entry");
    }

    /// Every optional call left out is named, with what its absence leaves out: a bundle without the peering, NAT or
    /// CLB calls imports, and says those objects are missing (answers change: a peering left out isolates two VPCs).
    #[test]
    fn optional_calls_left_out_are_named_with_what_they_leave_out() {
        let full = outcome();
        let left_out = |o: &ImportOutcome| {
            o.notes.iter().find(|n| n.starts_with("not in the bundle, so none of their objects are imported")).cloned()
        };
        let before = left_out(&full).unwrap_or_default();
        assert!(!before.contains("DescribeVpcPeeringConnections"), "the fixture has peerings: {before}");
        let mut bundle: Value = serde_json::from_str(BUNDLE).unwrap();
        for key in
            ["DescribeVpcPeeringConnections", "DescribeNatGateways", "DescribeLoadBalancers", "DescribeDBInstances"]
        {
            assert!(bundle.as_object_mut().unwrap().remove(key).is_some(), "the fixture has {key}");
        }
        let o = import_bundle(&bundle.to_string(), None).unwrap();
        let note = left_out(&o).expect("a note names the calls left out");
        for said in [
            "DescribeVpcPeeringConnections (peerings: VPCs joined by one are taken as isolated)",
            "DescribeNatGateways (NAT gateways: no way to the internet through one)",
            "DescribeLoadBalancers (CLBs)",
            "DescribeDBInstances (MySQL instances, classic or in a VPC)",
        ] {
            assert!(note.contains(said), "{said} in {note}");
        }
        assert!(o.plan.peerings.is_empty() && !full.plan.peerings.is_empty());
    }

    #[test]
    fn links_take_the_current_ip_and_classic_is_assumed_with_a_note() {
        let o = outcome();
        let links: Vec<(&str, &str, Option<Ipv4Addr>)> =
            o.plan.links.iter().map(|l| (l.instance.as_str(), l.vpc.as_str(), l.ip)).collect();
        assert_eq!(
            links,
            [
                ("ins-web01", "vpc-prod", Some(Ipv4Addr::new(10, 66, 12, 7))),
                ("ins-web02", "vpc-prod", Some(Ipv4Addr::new(10, 66, 12, 8)))
            ]
        );
        let assumed = "5 CVMs have no VirtualPrivateCloud.VpcId, so each is assumed to be a classic-network CVM: \
                       ins-bastion, ins-job01, ins-web01, ins-web02, ins-web03";
        assert!(
            o.notes.iter().any(|n| n == assumed),
            "the CVMs assumed classic, and the import says so: {:?}",
            o.notes
        );
        assert!(o.notes.iter().any(|n| n.contains("cdb-orders") && n.contains("classic")));
        assert!(o
            .notes
            .iter()
            .any(|n| n.starts_with("region ap-guangzhou: taken from DescribeInstances.InstanceSet[0]")));
    }

    /// The CVMs assumed to be classic make one note, naming five and counting the rest (an account of 2,000 classic
    /// CVMs made 2,000 notes alike, which the import's list drew one by one); one CVM alone keeps its own sentence.
    #[test]
    fn cvms_assumed_classic_make_one_note() {
        let bundle = |n: usize| {
            let cvms: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        r#"{{"InstanceId":"ins-{i:02}","InstanceState":"RUNNING","Placement":{{"Zone":"ap-guangzhou-3"}},"PrivateIpAddresses":["10.66.1.{}"]}}"#,
                        i + 1
                    )
                })
                .collect();
            // Listed on two pages that overlap: ins-00 twice, counted once.
            format!(
                r#"{{"DescribeVpcs":{{"VpcSet":[{{"VpcId":"vpc-a","CidrBlock":"10.0.0.0/16"}}]}},
                  "DescribeInstances":[{{"InstanceSet":[{}]}},{{"InstanceSet":[{}]}}]}}"#,
                cvms.join(","),
                cvms[0]
            )
        };
        let assumed = |o: &ImportOutcome| -> Vec<String> {
            o.notes.iter().filter(|n| n.contains("no VirtualPrivateCloud.VpcId")).cloned().collect()
        };
        let o = import_bundle(&bundle(12), None).unwrap();
        assert_eq!(o.plan.classic.len(), 12);
        assert_eq!(
            assumed(&o),
            ["12 CVMs have no VirtualPrivateCloud.VpcId, so each is assumed to be a classic-network CVM: ins-00, \
              ins-01, ins-02, ins-03, ins-04 and 7 more"]
        );
        let o = import_bundle(&bundle(1), None).unwrap();
        assert_eq!(assumed(&o), ["ins-00: no VirtualPrivateCloud.VpcId, so assumed to be a classic-network CVM"]);
    }

    /// The same link on two pages is one link, read once; an instance linked to two VPCs keeps both, for the check
    /// to report (it used to keep both in either case: a false CL002).
    #[test]
    fn a_link_listed_twice_is_one_link_and_two_vpcs_are_both_kept() {
        let bundle = |second_vpc: &str| {
            format!(
                r#"{{"DescribeVpcs":{{"VpcSet":[{{"VpcId":"vpc-a","CidrBlock":"10.0.0.0/16"}},{{"VpcId":"vpc-b","CidrBlock":"10.1.0.0/16"}}]}},
                  "DescribeInstances":{{"InstanceSet":[{{"InstanceId":"ins-1","InstanceState":"RUNNING","Placement":{{"Zone":"ap-guangzhou-3"}},"PrivateIpAddresses":["10.66.1.1"]}}]}},
                  "DescribeClassicLinkInstances":[{{"ClassicLinkInstanceSet":[{{"VpcId":"vpc-a","InstanceId":"ins-1"}}]}},
                                                  {{"ClassicLinkInstanceSet":[{{"VpcId":"{second_vpc}","InstanceId":"ins-1"}}]}}]}}"#
            )
        };
        let o = import_bundle(&bundle("vpc-a"), None).unwrap();
        assert_eq!(o.plan.links.iter().map(|l| l.vpc.as_str()).collect::<Vec<_>>(), ["vpc-a"]);
        let once = "DescribeClassicLinkInstances[1].ClassicLinkInstanceSet[0]: repeats \
                    DescribeClassicLinkInstances[0].ClassicLinkInstanceSet[0] (ins-1 linked to vpc-a); read once";
        assert!(o.notes.iter().any(|n| n == once), "{:?}", o.notes);
        assert!(!crate::domain::check(&o.plan).findings.iter().any(|f| f.rule == "CL002"));
        let o = import_bundle(&bundle("vpc-b"), None).unwrap();
        assert_eq!(o.plan.links.iter().map(|l| l.vpc.as_str()).collect::<Vec<_>>(), ["vpc-a", "vpc-b"]);
        assert!(o.notes.iter().any(|n| n.contains("ins-1 is listed as linked to vpc-b and to vpc-a; both kept")));
    }

    #[test]
    fn gateways_peerings_and_ccns() {
        let o = outcome();
        let prod = o.plan.vpc("vpc-prod").unwrap();
        let gws: Vec<(&str, GatewayKind, Vec<String>)> = prod
            .gateways
            .iter()
            .map(|g| (g.id.as_str(), g.kind, g.remote_cidrs.iter().map(|c| c.to_string()).collect()))
            .collect();
        assert_eq!(
            gws,
            [
                ("nat-out", GatewayKind::Nat, vec![]),
                ("vpngw-office", GatewayKind::Vpn, vec!["192.168.0.0/16".to_string()])
            ]
        );
        assert_eq!(o.plan.peerings.len(), 1);
        assert_eq!(o.plan.peerings[0].vpcs, ["vpc-prod", "vpc-legacy"]);
        assert_eq!(o.plan.ccns.len(), 1);
        assert_eq!(o.plan.ccns[0].vpcs, ["vpc-prod"], "vpc-bj is in another region: left out, with a note");
        assert!(o.notes.iter().any(|n| n.contains("vpc-bj")));
    }

    #[test]
    fn region_flag_wins_and_an_unknown_region_is_refused_by_path() {
        // With no zone to say otherwise, the region given is the VPCs' (one the zones contradict is refused: see
        // `a_region_the_zones_contradict_is_refused`).
        let text = r#"{"DescribeVpcs": {"VpcSet": [{"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16"}]},
                       "DescribeInstances": {"InstanceSet": []}}"#;
        let o = import_bundle(text, Some("ap-shanghai")).unwrap();
        assert!(o.plan.vpcs.iter().all(|v| v.region == "ap-shanghai"));
        assert_eq!(import_bundle(BUNDLE, Some("ap-guangzhou")).unwrap().plan, outcome().plan);
        // With no region, the rest of the bundle is still read: every error at once.
        let e = import_bundle(NO_IP_NO_ZONE, None).unwrap_err();
        assert_eq!(
            paths(&e),
            [
                "DescribeInstances.Response.InstanceSet[0].Placement.Zone",
                "DescribeInstances.Response.InstanceSet[0].PrivateIpAddresses"
            ]
        );
        assert!(e.errors[0].message.contains("--region"));
    }

    /// Whatever is wrong is said at once, not stage after stage: a bad region, a missing call and a malformed
    /// entry of another call all come in one answer.
    #[test]
    fn every_error_comes_at_once() {
        let text = r#"{"DescribeInstances":{"InstanceSet":[{"InstanceId":"ins-1","InstanceState":"RUNNING",
            "Placement":{"Zone":"ap-guangzhou-3"},"PrivateIpAddresses":["10.66.1.300"]}]}}"#;
        let e = import_bundle(text, Some("ap-guangzhou-3")).unwrap_err();
        assert_eq!(paths(&e), ["region", "DescribeVpcs", "DescribeInstances.InstanceSet[0].PrivateIpAddresses[0]"]);
    }

    /// A plan given where a bundle is expected is named for what it is, and where it goes.
    #[test]
    fn a_plan_is_not_a_bundle() {
        let plan = export(&outcome().plan);
        let e = import_bundle(&plan, None).unwrap_err();
        assert_eq!(paths(&e), ["format"]);
        assert!(e.errors[0].message.starts_with("this is a Classiclink plan, not Tencent Cloud API responses"));
    }

    #[test]
    fn a_missing_needed_field_is_named_by_its_path() {
        let e = import_bundle(MISSING_CIDR, None).unwrap_err();
        assert_eq!(paths(&e), ["DescribeVpcs.VpcSet[0].CidrBlock"]);
        let e = import_bundle(NO_IP_NO_ZONE, Some("ap-guangzhou")).unwrap_err();
        assert_eq!(paths(&e), ["DescribeInstances.Response.InstanceSet[0].PrivateIpAddresses"]);
    }

    #[test]
    fn malformed_bundles_table() {
        let ins = r#"{"InstanceSet":[{"InstanceId":"ins-1","InstanceState":"RUNNING","PrivateIpAddresses":["10.66.0.1"],"Placement":{"Zone":"ap-guangzhou-3"}}]}"#;
        let cases: Vec<(String, &str, &str)> = vec![
            ("[]".into(), ".", "JSON object"),
            ("{".into(), ".", "not JSON"),
            (format!(r#"{{"DescribeInstances":{ins}}}"#), "DescribeVpcs", "missing"),
            (r#"{"DescribeVpcs":{"VpcSet":[]}}"#.into(), "DescribeInstances", "missing"),
            (
                format!(r#"{{"DescribeVpcs":{{"VpcSet":[{{"VpcId":"vpc-1","CidrBlock":"10.0.0.1/16"}}]}},"DescribeInstances":{ins}}}"#),
                "DescribeVpcs.VpcSet[0].CidrBlock",
                "10.0.0.1/16",
            ),
            (
                format!(r#"{{"DescribeVpcs":{{"VpcSet":{{}}}},"DescribeInstances":{ins}}}"#),
                "DescribeVpcs.VpcSet",
                "expected an array",
            ),
            // A page without its set is not that call's answer (an empty set is written `[]`).
            (
                format!(r#"{{"DescribeVpcs":{{"Response":{{"RequestId":"r"}}}},"DescribeInstances":{ins}}}"#),
                "DescribeVpcs.Response.VpcSet",
                "missing",
            ),

            (
                format!(r#"{{"DescribeVpcs":{{"Response":{{"Error":{{"Code":"AuthFailure","Message":"bad key"}}}}}},"DescribeInstances":{ins}}}"#),
                "DescribeVpcs.Response.Error",
                "AuthFailure",
            ),
            (
                r#"{"DescribeVpcs":{"VpcSet":[]},"DescribeInstances":{"InstanceSet":[{"InstanceId":"ins-1","InstanceState":"WEIRD","PrivateIpAddresses":["10.66.0.1"],"Placement":{"Zone":"ap-guangzhou-3"}}]}}"#.into(),
                "DescribeInstances.InstanceSet[0].InstanceState",
                "WEIRD",
            ),
            (
                format!(r#"{{"DescribeVpcs":{{"VpcSet":[]}},"DescribeInstances":{ins},"DescribeSecurityGroupPolicies":{{"SecurityGroupPolicySet":{{}}}}}}"#),
                "DescribeSecurityGroupPolicies",
                "keyed per group",
            ),
            (
                format!(r#"{{"DescribeVpcs":{{"VpcSet":[]}},"DescribeInstances":{ins},"DescribeSecurityGroupPolicies":{{"sg-1":{{"SecurityGroupPolicySet":{{"Ingress":[{{"PolicyIndex":0,"Protocol":"TCP","Port":"22","CidrBlock":"0.0.0.0/0","Action":"MAYBE"}}]}}}}}}}}"#),
                "DescribeSecurityGroupPolicies.sg-1.SecurityGroupPolicySet.Ingress[0].Action",
                "MAYBE",
            ),
            (
                format!(r#"{{"DescribeVpcs":{{"VpcSet":[]}},"DescribeInstances":{ins},"DescribeSecurityGroupPolicies":{{"sg-1":{{"SecurityGroupPolicySet":{{"Ingress":[{{"PolicyIndex":0,"Protocol":"TCP","Port":"99999","CidrBlock":"0.0.0.0/0","Action":"ACCEPT"}}]}}}}}}}}"#),
                "DescribeSecurityGroupPolicies.sg-1.SecurityGroupPolicySet.Ingress[0].Port",
                "65535",
            ),
            (
                format!(r#"{{"DescribeVpcs":{{"VpcSet":[]}},"DescribeInstances":{ins},"DescribeTargets":{{"Response":{{"Listeners":[]}}}}}}"#),
                "DescribeTargets",
                "keyed per CLB",
            ),
            (
                format!(r#"{{"DescribeVpcs":{{"VpcSet":[]}},"DescribeInstances":{ins},"DescribeTargets":{{"lb-1":{{"Listeners":[{{"Targets":[{{"Type":"CVM","Port":80}}]}}]}}}}}}"#),
                "DescribeTargets.lb-1.Listeners[0].Targets[0].InstanceId",
                "missing",
            ),
            (
                format!(r#"{{"DescribeVpcs":{{"VpcSet":[]}},"DescribeInstances":{ins},"DescribeTargets":{{"lb-1":{{"Listeners":{{}}}}}}}}"#),
                "DescribeTargets.lb-1.Listeners",
                "expected an array",
            ),
        ];
        for (text, path, needle) in cases {
            let e = import_bundle(&text, None).expect_err(&text);
            assert_eq!(e.errors[0].path, path, "{text}");
            assert!(e.errors[0].message.contains(needle), "{text}: {}", e.errors[0].message);
        }
    }

    /// A field present with the wrong type is refused at its path, saying what was expected, rather than read as
    /// missing: a `VirtualPrivateCloud` given as a string made a VPC CVM classic, an array `SecurityGroupPolicySet`
    /// made a group with no rules. Absent (or null) stays absent where the format allows it.
    #[test]
    fn a_field_of_the_wrong_type_is_refused_by_its_path() {
        let vpcs = r#""DescribeVpcs":{"VpcSet":[{"VpcId":"vpc-a","CidrBlock":"10.0.0.0/16"}]}"#;
        let cvm = |fields: &str| {
            format!(
                r#"{{{vpcs},"DescribeInstances":{{"InstanceSet":[{{"InstanceId":"ins-1","InstanceState":"RUNNING","PrivateIpAddresses":["10.66.1.1"]{fields}}}]}}}}"#
            )
        };
        let sg = |set: &str| {
            let with_group = cvm(r#","SecurityGroupIds":["sg-1"]"#);
            let policies =
                format!(r#","DescribeSecurityGroupPolicies":{{"sg-1":{{"SecurityGroupPolicySet":{set}}}}}}}"#);
            with_group.strip_suffix('}').unwrap().to_string() + &policies
        };
        let cases: Vec<(String, &str, &str)> = vec![
            (
                cvm(r#","VirtualPrivateCloud":"vpc-a""#),
                "DescribeInstances.InstanceSet[0].VirtualPrivateCloud",
                "expected an object, found a string \"vpc-a\"",
            ),
            (
                cvm(r#","Placement":"ap-guangzhou-3""#),
                "DescribeInstances.InstanceSet[0].Placement",
                "expected an object, found a string",
            ),
            (
                sg(r#"[{"Ingress":[]}]"#),
                "DescribeSecurityGroupPolicies.sg-1.SecurityGroupPolicySet",
                "expected an object, found an array",
            ),
            (
                cvm("").replace(r#"{"VpcId":"vpc-a","CidrBlock":"10.0.0.0/16"}"#, r#""vpc-a""#),
                "DescribeVpcs.VpcSet[0]",
                "expected an object",
            ),
            (
                cvm(r#","PrivateIpAddresses":"10.66.1.1""#).replacen(r#""PrivateIpAddresses":["10.66.1.1"],"#, "", 1),
                "DescribeInstances.InstanceSet[0].PrivateIpAddresses",
                "expected an array, found a string",
            ),
        ];
        for (text, path, needle) in cases {
            let e = import_bundle(&text, Some("ap-guangzhou")).expect_err(&text);
            assert_eq!(paths(&e), [path], "{text}");
            assert!(e.errors[0].message.contains(needle), "{text}: {}", e.errors[0].message);
        }
        // Absent or null stays absent: a CVM with no VirtualPrivateCloud is classic, with a note.
        for fields in ["", r#","VirtualPrivateCloud":null,"Placement":null"#, r#","VirtualPrivateCloud":{}"#] {
            let o = import_bundle(&cvm(fields), Some("ap-guangzhou")).expect(fields);
            assert_eq!(o.plan.classic.len(), 1, "{fields}");
        }
    }

    /// An ID names one object. The same entry repeated as it is (pages that overlap) is read once, with a note; a
    /// repeat that differs, or the same ID in two calls, is refused at the later one's ID, naming the first (kept,
    /// the last one silently replaced the others: a VPC's CIDR, a CVM's IP, a CVM by a database, an ACL's rules).
    #[test]
    fn an_id_given_twice_is_read_once_when_identical_and_refused_when_not() {
        let vpc_a = r#"{"VpcId":"vpc-a","CidrBlock":"10.0.0.0/16"}"#;
        let subnet = r#"{"VpcId":"vpc-a","SubnetId":"subnet-1","CidrBlock":"10.0.1.0/24","Zone":"ap-guangzhou-3"}"#;
        let cvm = |ip: &str| {
            format!(
                r#"{{"InstanceId":"ins-1","InstanceState":"RUNNING","Placement":{{"Zone":"ap-guangzhou-3"}},"PrivateIpAddresses":["{ip}"],"VirtualPrivateCloud":{{"VpcId":"","SubnetId":""}}}}"#
            )
        };
        let acl = |action: &str| {
            format!(
                r#"{{"NetworkAclId":"acl-1","IngressEntries":[{{"Protocol":"ALL","Port":"","CidrBlock":"0.0.0.0/0","Action":"{action}"}}]}}"#
            )
        };
        let bundle = |vpcs: String, instances: String, more: &str| {
            format!(
                r#"{{"DescribeVpcs":{vpcs},"DescribeSubnets":{{"SubnetSet":[{subnet}]}},"DescribeInstances":{{"InstanceSet":[{instances}]}}{more}}}"#
            )
        };
        let one_vpc = format!(r#"{{"VpcSet":[{vpc_a}]}}"#);
        let two_pages = |second: &str| format!(r#"[{one_vpc},{{"VpcSet":[{second}]}}]"#);
        let mysql = r#","DescribeDBInstances":{"Items":[{"InstanceId":"ins-1","Vip":"10.66.9.9","UniqVpcId":"","UniqSubnetId":""}]}"#;
        let refused: Vec<(String, &str, &str)> = vec![
            (
                bundle(two_pages(r#"{"VpcId":"vpc-a","CidrBlock":"172.16.0.0/16"}"#), cvm("10.66.1.1"), ""),
                "DescribeVpcs[1].VpcSet[0].VpcId",
                "vpc-a is also at DescribeVpcs[0].VpcSet[0], with other values",
            ),
            (
                bundle(one_vpc.clone(), format!("{},{}", cvm("10.66.1.1"), cvm("10.66.1.2")), ""),
                "DescribeInstances.InstanceSet[1].InstanceId",
                "ins-1 is also at DescribeInstances.InstanceSet[0], with other values",
            ),
            (
                bundle(one_vpc.clone(), cvm("10.66.1.1"), mysql),
                "DescribeDBInstances.Items[0].InstanceId",
                "ins-1 is also at DescribeInstances.InstanceSet[0]: an ID names one object",
            ),
            (
                bundle(
                    one_vpc.clone(),
                    cvm("10.66.1.1"),
                    &format!(r#","DescribeNetworkAcls":{{"NetworkAclSet":[{},{}]}}"#, acl("ACCEPT"), acl("DROP")),
                ),
                "DescribeNetworkAcls.NetworkAclSet[1].NetworkAclId",
                "acl-1 is also at DescribeNetworkAcls.NetworkAclSet[0], with other values",
            ),
            (
                bundle(two_pages(r#"{"VpcId":"subnet-1","CidrBlock":"172.16.0.0/16"}"#), cvm("10.66.1.1"), ""),
                "DescribeSubnets.SubnetSet[0].SubnetId",
                "subnet-1 is also at DescribeVpcs[1].VpcSet[0]: an ID names one object",
            ),
        ];
        for (text, path, needle) in refused {
            let e = import_bundle(&text, None).expect_err(&text);
            assert_eq!(paths(&e), [path], "{text}");
            assert!(e.errors[0].message.contains(needle), "{text}: {}", e.errors[0].message);
        }
        // The same entry on two overlapping pages: read once, with a note naming both.
        let instances = format!("{0},{0}", cvm("10.66.1.1"));
        let acls = format!(r#","DescribeNetworkAcls":{{"NetworkAclSet":[{0},{0}]}}"#, acl("DROP"));
        let pages =
            bundle(two_pages(vpc_a), instances, &acls).replace(&format!("[{subnet}]"), &format!("[{subnet},{subnet}]"));
        let o = import_bundle(&pages, None).expect(&pages);
        assert_eq!(o.plan.vpcs.len(), 1);
        assert_eq!(o.plan.vpcs[0].subnets.len(), 1);
        assert_eq!(o.plan.classic.len(), 1);
        assert_eq!(o.plan.network_acls.len(), 1);
        assert_eq!(o.plan.network_acls[0].ingress.len(), 1);
        for (later, first) in [
            ("DescribeVpcs[1].VpcSet[0]", "DescribeVpcs[0].VpcSet[0]"),
            ("DescribeSubnets.SubnetSet[1]", "DescribeSubnets.SubnetSet[0]"),
            ("DescribeInstances.InstanceSet[1]", "DescribeInstances.InstanceSet[0]"),
            ("DescribeNetworkAcls.NetworkAclSet[1]", "DescribeNetworkAcls.NetworkAclSet[0]"),
        ] {
            let note = format!("{later}: repeats {first} exactly (pages that overlap); read once");
            assert!(o.notes.iter().any(|n| n == &note), "{note}: {:?}", o.notes);
        }
    }

    #[test]
    fn pages_wrappers_unknown_keys_and_vpc_only_accounts() {
        let text = r#"{
          "DescribeVpcs": [ {"Response": {"VpcSet": [{"VpcId": "vpc-a", "CidrBlock": "10.1.0.0/16"}]}},
                            {"VpcSet": [{"VpcId": "vpc-b", "CidrBlock": "10.2.0.0/16", "SomethingNew": 1}]} ],
          "DescribeInstances": {"InstanceSet": []},
          "DescribeAccountAttributes": {"AccountAttributeSet": [{"AttributeName": "supported-platforms", "AttributeValues": ["VPC"]}]},
          "DescribeThings": {},
          "exported_by": "alice",
          "pages": [1, 2]
        }"#;
        // A key the import does not read is ignored whatever it holds (a string, a list of numbers).
        let o = import_bundle(text, Some("ap-beijing")).unwrap();
        assert!(o.notes.iter().any(|n| n.starts_with("exported_by: not an action")), "{:?}", o.notes);
        assert_eq!(o.plan.vpcs.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(), ["vpc-a", "vpc-b"]);
        assert_eq!(o.plan.account.platforms, Platforms::OnlyVpc);
        assert!(o.notes.iter().any(|n| n.starts_with("DescribeThings: not an action")));
        assert!(o.notes.windows(2).all(|w| w[0] <= w[1]), "notes are sorted");
    }

    /// The older call seed 001 names, `DescribeAccountVpcAttributes` answering `supportedPlatforms`, says a VPC-only
    /// account too (it was ignored as "not an action this import reads", and the account taken as classic); the
    /// current call, in the same bundle, has the last word; a value that is neither is refused at its path.
    #[test]
    fn the_older_account_call_says_a_vpc_only_account() {
        let bundle = |account: &str| {
            format!(
                r#"{{"DescribeVpcs": {{"VpcSet": [{{"VpcId": "vpc-a", "CidrBlock": "10.1.0.0/16"}}]}},
                    "DescribeInstances": {{"InstanceSet": []}}, {account}}}"#
            )
        };
        let current = |values: &str| {
            format!(
                r#""DescribeAccountAttributes": {{"AccountAttributeSet": [{{"AttributeName": "supported-platforms",
                    "AttributeValues": {values}}}]}}"#
            )
        };
        let only_vpc = r#""DescribeAccountVpcAttributes": {"Response": {"supportedPlatforms": "only-vpc"}}"#;
        for (account, want) in [
            (only_vpc.to_string(), Platforms::OnlyVpc),
            (
                r#""DescribeAccountVpcAttributes": {"supportedPlatforms": ["classic", "vpc"]}"#.to_string(),
                Platforms::Classic,
            ),
            (
                r#""DescribeAccountVpcAttributes": {"code": 0, "data": {"supportedPlatforms": ["only-vpc"]}}"#
                    .to_string(),
                Platforms::OnlyVpc,
            ),
            (format!("{only_vpc}, {}", current(r#"["CLASSIC", "VPC"]"#)), Platforms::Classic),
            // Read as the current call's values are: in any case, around spaces.
            (r#""DescribeAccountVpcAttributes": {"supportedPlatforms": "ONLY-VPC"}"#.to_string(), Platforms::OnlyVpc),
            (
                r#""DescribeAccountVpcAttributes": {"supportedPlatforms": [" only-vpc "]}"#.to_string(),
                Platforms::OnlyVpc,
            ),
            (r#""DescribeAccountVpcAttributes": {"supportedPlatforms": " Classic "}"#.to_string(), Platforms::Classic),
        ] {
            let o = import_bundle(&bundle(&account), Some("ap-beijing")).unwrap_or_else(|e| panic!("{account}: {e:?}"));
            assert_eq!(o.plan.account.platforms, want, "{account}");
            assert!(
                !o.notes.iter().any(|n| n.contains("not an action") || n.contains("assumed to have a classic")),
                "{account}: {:?}",
                o.notes
            );
        }
        let o = import_bundle(&bundle(only_vpc), Some("ap-beijing")).unwrap();
        assert!(o.notes.iter().any(|n| n.contains("supportedPlatforms is \"only-vpc\"")), "{:?}", o.notes);
        // Where the current call says otherwise, a note says which was taken (the older call's "VPC-only" note was
        // the only word about the account, of a plan with a classic network).
        let both = format!("{only_vpc}, {}", current(r#"["CLASSIC", "VPC"]"#));
        let o = import_bundle(&bundle(&both), Some("ap-beijing")).unwrap();
        let taken = "account: DescribeAccountVpcAttributes.Response.supportedPlatforms said the account is VPC-only; \
                     DescribeAccountAttributes.AccountAttributeSet[0].AttributeValues, of the current call, says it has \
                     a classic network, and is taken";
        assert!(o.notes.iter().any(|n| n == taken), "{:?}", o.notes);
        // Where both agree, nothing more is said.
        let agree = format!("{only_vpc}, {}", current(r#"["VPC"]"#));
        let o = import_bundle(&bundle(&agree), Some("ap-beijing")).unwrap();
        assert!(!o.notes.iter().any(|n| n.contains("is taken")), "{:?}", o.notes);
        // A value that is neither is refused at its path, and named, in a list too.
        for (bad, said) in [(r#""vpc-first""#, r#"a string "vpc-first""#), (r#"["vpc-first"]"#, r#"["vpc-first"]"#)] {
            let bundle = bundle(&format!(r#""DescribeAccountVpcAttributes": {{"supportedPlatforms": {bad}}}"#));
            let e = import_bundle(&bundle, Some("ap-beijing")).unwrap_err();
            assert_eq!(paths(&e), ["DescribeAccountVpcAttributes.supportedPlatforms"]);
            assert!(e.errors[0].message.ends_with(&format!("found {said}")), "{}", e.errors[0].message);
        }
    }

    #[test]
    fn database_products_each_under_their_own_key_classic_or_in_a_vpc() {
        let text = r#"{
          "DescribeVpcs": {"VpcSet": [{"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}]},
          "DescribeSubnets": {"SubnetSet": [{"VpcId": "vpc-1", "SubnetId": "subnet-1", "CidrBlock": "10.1.1.0/24"}]},
          "DescribeInstances": {"InstanceSet": []},
          "mongodb.DescribeDBInstances": {"Response": {"TotalCount": 1, "InstanceDetails": [
            {"InstanceId": "cmgo-old", "InstanceName": "sessions", "Region": "ap-guangzhou", "Zone": "ap-guangzhou-3",
             "NetType": 0, "VpcId": "", "SubnetId": "", "Vip": "10.66.60.3", "Vport": 27017}]}},
          "sqlserver.DescribeDBInstances": {"TotalCount": 1, "DBInstances": [
            {"InstanceId": "mssql-new", "Name": "reports", "Region": "ap-guangzhou", "Zone": "ap-guangzhou-3",
             "VpcId": 21043, "SubnetId": 9071, "UniqVpcId": "vpc-1", "UniqSubnetId": "subnet-1", "Vip": "10.1.1.20"}]},
          "mariadb.DescribeDBInstances": {"TotalCount": 1, "Instances": [
            {"InstanceId": "tdsql-old", "InstanceName": "ledger", "Region": "ap-guangzhou", "Zone": "ap-guangzhou-4",
             "VpcId": 0, "UniqueVpcId": "", "UniqueSubnetId": "", "Vip": "10.66.61.9"}]}
        }"#;
        let o = import_bundle(text, Some("ap-guangzhou")).unwrap();
        let classic: Vec<(&str, Kind, &str, String)> =
            o.plan.classic.iter().map(|c| (c.id.as_str(), c.kind, c.name.as_str(), c.ip.to_string())).collect();
        assert_eq!(
            classic,
            [
                ("cmgo-old", Kind::Mongodb, "sessions", "10.66.60.3".to_string()),
                ("tdsql-old", Kind::Mariadb, "ledger", "10.66.61.9".to_string())
            ]
        );
        assert_eq!(o.plan.classic_instance("tdsql-old").unwrap().zone, "ap-guangzhou-4");
        let r = &o.plan.vpc("vpc-1").unwrap().resources;
        assert_eq!(
            r.iter().map(|r| (r.id.as_str(), r.kind, r.subnet.as_str())).collect::<Vec<_>>(),
            [("mssql-new", Kind::Sqlserver, "subnet-1")]
        );
        assert!(o
            .notes
            .iter()
            .any(|n| n == "cmgo-old: MongoDB with no VpcId, so assumed to be in the classic network"));
        assert!(o.notes.iter().any(|n| n.starts_with("tdsql-old: MariaDB with no UniqueVpcId")));
        // Several of one kind for one reason make one note (an account of thousands made as many notes).
        let entry = |i: usize| {
            format!(
                r#"{{"InstanceId": "cmgo-{i}", "Region": "ap-guangzhou", "NetType": 0, "VpcId": "", "SubnetId": "",
                    "Vip": "10.66.60.{}", "Vport": 27017}}"#,
                i + 10
            )
        };
        let many: Vec<String> = (0..8).map(entry).collect();
        let more = text.replace(
            r#""Vip": "10.66.60.3", "Vport": 27017}"#,
            &format!(r#""Vip": "10.66.60.3", "Vport": 27017}}, {}"#, many.join(", ")),
        );
        let o = import_bundle(&more, Some("ap-guangzhou")).unwrap();
        let mongo: Vec<&String> = o.notes.iter().filter(|n| n.contains("MongoDB")).collect();
        assert_eq!(
            mongo,
            ["9 MongoDB instances with no VpcId, so each is assumed to be in the classic network: cmgo-0, cmgo-1, \
              cmgo-2, cmgo-3, cmgo-4 and 4 more"]
        );
        assert!(o.notes.iter().any(|n| n.starts_with("tdsql-old: MariaDB with no UniqueVpcId")), "another kind apart");
        // A needed field missing is named by its path under the product's key.
        let broken = text.replace(r#""Vip": "10.66.60.3", "#, "");
        let e = import_bundle(&broken, Some("ap-guangzhou")).unwrap_err();
        assert_eq!(paths(&e), ["mongodb.DescribeDBInstances.Response.InstanceDetails[0].Vip"]);
    }

    #[test]
    fn postgresql_is_placed_by_the_network_of_its_addresses() {
        let text = r#"{
          "DescribeVpcs": {"VpcSet": [{"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}]},
          "DescribeSubnets": {"SubnetSet": [{"VpcId": "vpc-1", "SubnetId": "subnet-1", "CidrBlock": "10.1.1.0/24"}]},
          "DescribeInstances": {"InstanceSet": []},
          "postgres.DescribeDBInstances": {"Response": {"TotalCount": 3, "DBInstanceSet": [
            {"DBInstanceId": "postgres-vpc", "DBInstanceName": "orders", "Region": "ap-guangzhou", "Zone": "ap-guangzhou-3",
             "VpcId": "vpc-1", "SubnetId": "subnet-1", "DBInstanceNetInfo": [
               {"Address": "", "Ip": "81.71.1.2", "Port": 5432, "NetType": "public", "Status": "opened"},
               {"Address": "", "Ip": "10.1.1.40", "Port": 5432, "NetType": "private", "Status": "opened",
                "VpcId": "vpc-1", "SubnetId": "subnet-1"}]},
            {"DBInstanceId": "postgres-old", "DBInstanceName": "legacy", "Region": "ap-guangzhou", "Zone": "ap-guangzhou-4",
             "VpcId": "", "SubnetId": "", "DBInstanceNetInfo": [
               {"Address": "", "Ip": "10.66.70.5", "Port": 5432, "NetType": "inner", "Status": "opened"}]},
            {"DBInstanceId": "postgres-pub", "DBInstanceNetInfo": [
               {"Address": "", "Ip": "81.71.1.3", "Port": 5432, "NetType": "public", "Status": "opened"}]}]}}
        }"#;
        let o = import_bundle(text, Some("ap-guangzhou")).unwrap();
        let old = o.plan.classic_instance("postgres-old").unwrap();
        assert_eq!(
            (old.kind, old.ip.to_string(), old.zone.as_str()),
            (Kind::Postgresql, "10.66.70.5".into(), "ap-guangzhou-4")
        );
        let r = &o.plan.vpc("vpc-1").unwrap().resources;
        assert_eq!(
            r.iter().map(|r| (r.id.as_str(), r.kind, r.ip.to_string())).collect::<Vec<_>>(),
            [("postgres-vpc", Kind::Postgresql, "10.1.1.40".to_string())]
        );
        assert!(o
            .notes
            .iter()
            .any(|n| n
                .starts_with("postgres-old: PostgreSQL with an address of NetType inner (the classic network's), so")));
        let skipped =
            "postgres.DescribeDBInstances.Response.DBInstanceSet[2]: postgres-pub has no private (VPC) or inner";
        assert!(o.notes.iter().any(|n| n.starts_with(skipped)), "{:?}", o.notes);
        assert!(o.plan.classic_instance("postgres-pub").is_none());
        // A malformed field of a classic instance is named by its path.
        let broken = text.replace(r#""Region": "ap-guangzhou", "Zone": "ap-guangzhou-4""#, r#""Region": 4"#);
        let e = import_bundle(&broken, Some("ap-guangzhou")).unwrap_err();
        assert_eq!(paths(&e), ["postgres.DescribeDBInstances.Response.DBInstanceSet[1].Region"]);
    }

    /// ACL entries follow Priority where the API gives it; an entry without one comes after those with one (it
    /// used to be possible to read it as first, which would let a catch-all DROP decide before every ACCEPT), and
    /// an entry without Protocol is for every protocol, not TCP only.
    #[test]
    fn acl_entries_without_priority_come_last_and_without_protocol_are_for_every_protocol() {
        let text = r#"{"DescribeVpcs":{"VpcSet":[]},"DescribeInstances":{"InstanceSet":[]},
            "DescribeNetworkAcls":{"NetworkAclSet":[{"NetworkAclId":"acl-1","IngressEntries":[
              {"Action":"DROP","CidrBlock":"0.0.0.0/0"},
              {"Priority":2,"Action":"ACCEPT","Protocol":"TCP","Port":"22","CidrBlock":"10.0.0.0/8"},
              {"Priority":1,"Action":"ACCEPT","Protocol":"UDP","Port":"53","CidrBlock":"10.0.0.0/8"}]}]}}"#;
        let o = import_bundle(text, Some("ap-guangzhou")).unwrap();
        let ingress: Vec<(Action, Protocol, String)> =
            o.plan.network_acls[0].ingress.iter().map(|r| (r.action, r.protocol, r.port.to_string())).collect();
        assert_eq!(
            ingress,
            [
                (Action::Accept, Protocol::Udp, "53".to_string()),
                (Action::Accept, Protocol::Tcp, "22".to_string()),
                (Action::Drop, Protocol::All, "ALL".to_string())
            ]
        );
    }

    /// A subnet DescribeSubnets binds to one ACL and another ACL's SubnetSet lists keeps the first binding, with a
    /// note naming both (it must not silently take the second).
    #[test]
    fn a_subnet_bound_to_two_acls_keeps_the_one_describe_subnets_names() {
        let text = r#"{"DescribeVpcs":{"VpcSet":[{"VpcId":"vpc-a","CidrBlock":"10.0.0.0/16"}]},
            "DescribeInstances":{"InstanceSet":[]},
            "DescribeSubnets":{"SubnetSet":[
              {"VpcId":"vpc-a","SubnetId":"subnet-1","CidrBlock":"10.0.1.0/24","NetworkAclId":"acl-1"},
              {"VpcId":"vpc-a","SubnetId":"subnet-2","CidrBlock":"10.0.2.0/24"}]},
            "DescribeNetworkAcls":{"NetworkAclSet":[
              {"NetworkAclId":"acl-1","SubnetSet":[]},
              {"NetworkAclId":"acl-2","SubnetSet":[{"SubnetId":"subnet-1"},{"SubnetId":"subnet-2"}]}]}}"#;
        let o = import_bundle(text, Some("ap-guangzhou")).unwrap();
        let vpc = o.plan.vpc("vpc-a").unwrap();
        assert_eq!(vpc.subnet("subnet-1").unwrap().acl.as_deref(), Some("acl-1"));
        assert_eq!(vpc.subnet("subnet-2").unwrap().acl.as_deref(), Some("acl-2"), "bound by the ACL's SubnetSet");
        let note = "DescribeNetworkAcls.NetworkAclSet[1].SubnetSet[0]: subnet-1 is bound to acl-1 in DescribeSubnets \
                    and to acl-2 here; kept acl-1";
        assert!(o.notes.iter().any(|n| n == note), "{:?}", o.notes);
        assert!(!o.notes.iter().any(|n| n.contains("subnet-2 is bound to")), "{:?}", o.notes);
    }

    /// A VPN gateway no connection or route leads anywhere is skipped with a note (imported, it would be a gateway
    /// to nothing); a peering whose State is not given is taken as active; a CCN attachment that is no VPC is said
    /// to be no VPC (not "another region or account").
    #[test]
    fn a_gateway_to_nowhere_a_peering_without_state_and_a_ccn_attachment_that_is_no_vpc() {
        let text = r#"{"DescribeVpcs":{"VpcSet":[{"VpcId":"vpc-a","CidrBlock":"10.0.0.0/16"},
                                                 {"VpcId":"vpc-b","CidrBlock":"10.1.0.0/16"}]},
            "DescribeInstances":{"InstanceSet":[]},
            "DescribeVpnGateways":{"VpnGatewaySet":[{"VpnGatewayId":"vpngw-1","VpcId":"vpc-a"}]},
            "DescribeVpcPeeringConnections":{"PeerConnectionSet":[
              {"PeeringConnectionId":"pcx-1","SourceVpcId":"vpc-a","PeerVpcId":"vpc-b"}]},
            "DescribeCcnAttachedInstances":{"InstanceSet":[
              {"CcnId":"ccn-1","InstanceType":"DIRECTCONNECT","InstanceId":"dcg-1"},
              {"CcnId":"ccn-1","InstanceType":"VPC","InstanceId":"vpc-b"}]}}"#;
        let o = import_bundle(text, Some("ap-guangzhou")).unwrap();
        assert!(o.plan.vpc("vpc-a").unwrap().gateways.is_empty());
        let skipped = "DescribeVpnGateways.VpnGatewaySet[0]: VPN gateway vpngw-1 leads to no known remote CIDR";
        assert!(o.notes.iter().any(|n| n.starts_with(skipped)), "{:?}", o.notes);
        assert_eq!(o.plan.peerings.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["pcx-1"]);
        assert_eq!(o.plan.ccns[0].vpcs, ["vpc-b"]);
        let note = "DescribeCcnAttachedInstances.InstanceSet[0]: dcg-1 (DIRECTCONNECT) on ccn-1 is not a VPC; skipped";
        assert!(o.notes.iter().any(|n| n == note), "{:?}", o.notes);
    }

    /// A CLB with several VIPs takes the first as its address, and a DescribeTargets target without `Type` is a CVM
    /// (the API's default), bound rather than skipped. Only a public (OPEN) CLB is said to have its VIP taken as its
    /// address, and only a bundle with CLBs is told that DescribeTargets is missing.
    #[test]
    fn a_clb_takes_its_first_vip_and_a_target_without_type_is_a_cvm() {
        let text = r#"{"DescribeVpcs":{"VpcSet":[]},
            "DescribeInstances":{"InstanceSet":[{"InstanceId":"ins-1","InstanceState":"RUNNING",
              "Placement":{"Zone":"ap-guangzhou-3"},"PrivateIpAddresses":["10.66.1.1"]}]},
            "DescribeLoadBalancers":{"LoadBalancerSet":[{"LoadBalancerId":"lb-1","LoadBalancerType":"INTERNAL",
              "LoadBalancerVips":["10.66.2.1","10.66.2.2"]}]},
            "DescribeTargets":{"lb-1":{"Listeners":[{"Targets":[{"InstanceId":"ins-1"}]}]}}}"#;
        let o = import_bundle(text, None).unwrap();
        let lb = o.plan.classic_instance("lb-1").unwrap();
        assert_eq!(lb.ip, Ipv4Addr::new(10, 66, 2, 1));
        assert_eq!(lb.backends, ["ins-1"], "{:?}", o.notes);
        assert!(!o.notes.iter().any(|n| n.contains("public (OPEN)")), "{:?}", o.notes);
        let o = import_bundle(&text.replace("INTERNAL", "OPEN"), None).unwrap();
        let open = "lb-1: a public (OPEN) CLB; its VIP 10.66.2.1 is taken as its address";
        assert!(o.notes.iter().any(|n| n == open), "{:?}", o.notes);
        let mut bundle: Value = serde_json::from_str(text).unwrap();
        for key in ["DescribeLoadBalancers", "DescribeTargets"] {
            bundle.as_object_mut().unwrap().remove(key);
        }
        let o = import_bundle(&bundle.to_string(), None).unwrap();
        assert!(!o.notes.iter().any(|n| n.starts_with("DescribeTargets")), "{:?}", o.notes);
    }

    /// A link, a peering or a VPC CVM whose VPC or subnet the bundle does not describe is skipped with a note
    /// (kept, the plan would name an object it does not hold, and the whole import would be refused).
    #[test]
    fn objects_in_a_vpc_or_subnet_not_in_the_bundle_are_skipped_with_a_note() {
        let text = r#"{"DescribeVpcs":{"VpcSet":[{"VpcId":"vpc-a","CidrBlock":"10.0.0.0/16"}]},
            "DescribeSubnets":{"SubnetSet":[{"VpcId":"vpc-a","SubnetId":"subnet-1","CidrBlock":"10.0.1.0/24"}]},
            "DescribeInstances":{"InstanceSet":[
              {"InstanceId":"ins-c","InstanceState":"RUNNING","Placement":{"Zone":"ap-guangzhou-3"},
               "PrivateIpAddresses":["10.66.1.1"]},
              {"InstanceId":"ins-v","InstanceState":"RUNNING","Placement":{"Zone":"ap-guangzhou-3"},
               "PrivateIpAddresses":["10.0.2.5"],"VirtualPrivateCloud":{"VpcId":"vpc-a","SubnetId":"subnet-2"}}]},
            "DescribeClassicLinkInstances":{"ClassicLinkInstanceSet":[{"VpcId":"vpc-x","InstanceId":"ins-c"}]},
            "DescribeVpcPeeringConnections":{"PeerConnectionSet":[
              {"PeeringConnectionId":"pcx-1","SourceVpcId":"vpc-a","PeerVpcId":"vpc-x","State":"ACTIVE"}]}}"#;
        let o = import_bundle(text, None).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(o.plan.links.is_empty() && o.plan.peerings.is_empty());
        assert!(o.plan.vpc("vpc-a").unwrap().resources.is_empty());
        for note in [
            "DescribeClassicLinkInstances.ClassicLinkInstanceSet[0]: ins-c is linked to vpc-x, a VPC not in \
             DescribeVpcs; skipped",
            "DescribeVpcPeeringConnections.PeerConnectionSet[0]: peering pcx-1 reaches vpc-x, a VPC not in \
             DescribeVpcs (another region or account); skipped",
            "DescribeInstances.InstanceSet[1]: ins-v is in subnet-2, a subnet not in DescribeSubnets; skipped",
        ] {
            assert!(o.notes.iter().any(|n| n == note), "{note}: {:?}", o.notes);
        }
    }

    /// A VPC CVM bound to a group whose policies are not in the bundle is imported without it, with a note, as a
    /// classic one is (kept, the plan would name a group it does not hold).
    #[test]
    fn a_vpc_cvm_loses_a_group_the_bundle_does_not_describe() {
        let text = r#"{"DescribeVpcs":{"VpcSet":[{"VpcId":"vpc-a","CidrBlock":"10.0.0.0/16"}]},
            "DescribeSubnets":{"SubnetSet":[{"VpcId":"vpc-a","SubnetId":"subnet-1","CidrBlock":"10.0.1.0/24"}]},
            "DescribeInstances":{"InstanceSet":[{"InstanceId":"ins-v","InstanceState":"RUNNING",
              "Placement":{"Zone":"ap-guangzhou-3"},"PrivateIpAddresses":["10.0.1.5"],
              "VirtualPrivateCloud":{"VpcId":"vpc-a","SubnetId":"subnet-1"},"SecurityGroupIds":["sg-1","sg-gone"]}]},
            "DescribeSecurityGroupPolicies":{"sg-1":{"SecurityGroupPolicySet":{}}}}"#;
        let o = import_bundle(text, None).unwrap_or_else(|e| panic!("{e:?}"));
        let r = &o.plan.vpc("vpc-a").unwrap().resources[0];
        assert_eq!(r.security_groups, ["sg-1"]);
        let note = "sg-gone: bound to ins-v but its policies are not in DescribeSecurityGroupPolicies";
        assert!(o.notes.iter().any(|n| n.starts_with(note)), "{:?}", o.notes);
    }

    #[test]
    fn cvm_states_map_to_plan_states() {
        let cases = [
            (r#""InstanceState":"RUNNING""#, Some(State::Running)),
            (r#""InstanceState":"STOPPED""#, Some(State::Stopped)),
            (r#""InstanceState":"SHUTDOWN""#, Some(State::Isolated)),
            (r#""InstanceState":"TERMINATING""#, Some(State::Returned)),
            (r#""InstanceState":"RUNNING","IsolatedSource":"ARREAR""#, Some(State::Isolated)),
            (r#""InstanceState":"RUNNING","IsolatedSource":"EXPIRE""#, Some(State::Isolated)),
            (r#""InstanceState":"RUNNING","RestrictState":"PROTECTIVELY_ISOLATED""#, Some(State::SecurityIsolated)),
            (r#""InstanceState":"LAUNCH_FAILED""#, None),
            (r#""InstanceState":"RESCUE_MODE""#, Some(State::Running)),
            (r#""InstanceState":"SERVICE_LIVE_MIGRATE""#, Some(State::Running)),
        ];
        for (fields, want) in cases {
            let text = format!(
                r#"{{"DescribeVpcs":{{"VpcSet":[]}},"DescribeInstances":{{"InstanceSet":[{{"InstanceId":"ins-1",{fields},"PrivateIpAddresses":["10.66.0.1"],"Placement":{{"Zone":"ap-guangzhou-3"}}}}]}}}}"#
            );
            let o = import_bundle(&text, None).unwrap();
            assert_eq!(o.plan.classic.first().map(|c| c.state), want, "{fields}");
        }
        // A CVM that failed to launch has no IP, and is skipped rather than refusing the bundle.
        let text = r#"{"DescribeVpcs":{"VpcSet":[]},"DescribeInstances":{"InstanceSet":[{"InstanceId":"ins-1","InstanceState":"LAUNCH_FAILED","PrivateIpAddresses":null,"Placement":{"Zone":"ap-guangzhou-3"}}]}}"#;
        let o = import_bundle(text, None).unwrap();
        assert!(o.plan.classic.is_empty());
        assert!(o.notes.iter().any(|n| n.contains("ins-1 failed to launch")), "{:?}", o.notes);
    }

    #[test]
    fn a_region_given_is_checked_before_use() {
        for r in ["ap-guangzhou", "ap-shanghai-fsi", "na-siliconvalley", "eu-frankfurt"] {
            assert!(is_region(r), "{r}");
        }
        for r in ["not a region", "guangzhou", "AP-guangzhou", "ap-", "ap-guangzhou-", "apx-guangzhou", ""] {
            assert!(!is_region(r), "{r}");
        }
        let e = import_bundle(BUNDLE, Some("not a region")).unwrap_err();
        assert_eq!(paths(&e), ["region"]);
        assert!(e.errors[0].message.contains("\"not a region\" is not a Tencent Cloud region"));
        // A zone is not its region: taken as one, VPCs and CVMs disagreed (false CL004, CL019, CROSS_REGION).
        for (zone, hint) in [("ap-guangzhou-3", "ap-guangzhou"), ("ap-shanghai-fsi-1", "ap-shanghai-fsi")] {
            assert!(!is_region(zone), "{zone}");
            let e = import_bundle(BUNDLE, Some(zone)).unwrap_err();
            assert_eq!(paths(&e), ["region"]);
            let want = format!("{zone:?} is a zone, not a region: give its region, {hint}");
            assert!(e.errors[0].message.contains(&want), "{}", e.errors[0].message);
        }
        // A name ending in `-N` whose head is no region is not a zone to give the region of.
        let e = import_bundle(BUNDLE, Some("gz-3")).unwrap_err();
        assert_eq!(
            e.errors[0].message,
            "\"gz-3\" is not a Tencent Cloud region such as ap-guangzhou or na-siliconvalley"
        );
    }

    /// A zone's region is its name without the `-N`; it says a region (the import compares it with the bundle's,
    /// the plan's check with its object's) only when that is written as a region is.
    #[test]
    fn zones_to_regions() {
        for (zone, region, says) in [
            ("ap-guangzhou-3", Some("ap-guangzhou"), true),
            ("na-siliconvalley-1", Some("na-siliconvalley"), true),
            ("ap-shanghai-fsi-2", Some("ap-shanghai-fsi"), true),
            ("gz-3", Some("gz"), false),
            ("ap-guangzhou-3-1", Some("ap-guangzhou-3"), false),
            ("ap-guangzhou", None, false),
            ("guangzhou", None, false),
            ("-3", None, false),
            ("ap-guangzhou-", None, false),
        ] {
            assert_eq!(region_of_zone(zone), region, "{zone}");
            assert_eq!(zone_region(zone), region.filter(|_| says), "{zone}");
        }
    }

    /// The fixture, edited.
    fn edited(edit: impl FnOnce(&mut Value)) -> String {
        let mut bundle: Value = serde_json::from_str(BUNDLE).unwrap();
        edit(&mut bundle);
        bundle.to_string()
    }

    /// A paged call whose `TotalCount` is larger than the distinct rows of its pages is missing pages: it was imported
    /// silently, and links to CVMs on the missing pages were skipped as "not a classic CVM". Refused at the call, with
    /// the counts and the offsets to add; rows that pages repeat count once, and a complete call imports.
    #[test]
    fn a_paged_call_missing_pages_is_refused_with_the_counts() {
        let refused = |bundle: String, path: &str, message: &str| {
            let e = import_bundle(&bundle, None).expect_err(path);
            assert_eq!(paths(&e), [path], "{e}");
            assert_eq!(e.errors[0].message, message);
        };
        refused(
            edited(|b| b["DescribeInstances"]["TotalCount"] = 57.into()),
            "DescribeInstances",
            "TotalCount 57 but 6 read: pages are missing; add them (Offset 20, 40 with Limit 20) as a JSON array of \
             this call's responses under its key: [<page 1>, <page 2>, ...]",
        );
        refused(
            edited(|b| b["DescribeClassicLinkInstances"]["Response"]["TotalCount"] = 45.into()),
            "DescribeClassicLinkInstances",
            "TotalCount 45 but 2 read: pages are missing; add them (Offset 20, 40 with Limit 20) as a JSON array of \
             this call's responses under its key: [<page 1>, <page 2>, ...]",
        );
        refused(
            edited(|b| b["DescribeDBInstances"]["Response"]["TotalCount"] = 3.into()),
            "DescribeDBInstances",
            "TotalCount 3 but 2 read: rows are missing; run the call again (Offset 0 with Limit 20 lists all 3) and \
             bundle its answer",
        );
        // Several pages given: which one is missing cannot be told (a page does not say its Offset; here the first
        // two of 100 were given, but the middle one may as well be the one missing), so every page is asked for.
        let cvm = |i: usize| {
            serde_json::json!({"InstanceId": format!("ins-{i}"), "InstanceState": "RUNNING",
                "Placement": {"Zone": "ap-guangzhou-3"}, "PrivateIpAddresses": [format!("10.66.{}.{}", i / 200, i % 200 + 1)]})
        };
        let page = |from: usize| serde_json::json!({"TotalCount": 450, "InstanceSet": (from..from + 100).map(cvm).collect::<Vec<_>>()});
        let big = serde_json::json!({"DescribeVpcs": {"VpcSet": []}, "DescribeInstances": [page(0), page(100)]});
        refused(
            big.to_string(),
            "DescribeInstances",
            "TotalCount 450 but 200 read from 2 pages: a page is missing; bundle every page (Offset 0, 100, 200, 300 \
             ... with Limit 100) as a JSON array of this call's responses under its key",
        );
        // Pages that overlap: 7 rows, 6 distinct.
        let overlapping = |total: i64| {
            edited(|b| {
                let set = b["DescribeInstances"]["InstanceSet"].as_array().unwrap().clone();
                b["DescribeInstances"] = serde_json::json!([
                    {"TotalCount": total, "InstanceSet": set[..4]},
                    {"Response": {"TotalCount": total, "InstanceSet": set[3..]}}
                ]);
            })
        };
        assert_eq!(import_bundle(&overlapping(6), None).unwrap().plan, outcome().plan);
        let e = import_bundle(&overlapping(7), None).unwrap_err();
        assert_eq!(paths(&e), ["DescribeInstances"]);
        assert!(e.errors[0].message.starts_with("TotalCount 7 but 6 read"), "{e}");
    }

    /// A region given that no zone of the bundle is in was taken (a green notice, then false CL004 cross-region
    /// errors); zones of two regions in one bundle silently took the first. Both refused: the region at `region`,
    /// saying the zones' region; two regions at the first zone of the second.
    #[test]
    fn a_region_the_zones_contradict_is_refused() {
        let e = import_bundle(BUNDLE, Some("ap-shanghai")).unwrap_err();
        assert_eq!(paths(&e), ["region"]);
        assert_eq!(
            e.errors[0].message,
            "ap-shanghai is not this bundle's region: its zones are in ap-guangzhou (DescribeInstances.InstanceSet[0].\
             Placement.Zone is ap-guangzhou-3); give ap-guangzhou, or leave the region out to take it from the zones"
        );
        let mixed = edited(|b| b["DescribeInstances"]["InstanceSet"][2]["Placement"]["Zone"] = "ap-shanghai-2".into());
        for region in [None, Some("ap-guangzhou")] {
            let e = import_bundle(&mixed, region).unwrap_err();
            assert_eq!(paths(&e), ["DescribeInstances.InstanceSet[2].Placement.Zone"], "{region:?}");
            let from = match region {
                None => "from DescribeInstances.InstanceSet[0].Placement.Zone, ap-guangzhou-3",
                Some(_) => "the region given",
            };
            assert_eq!(
                e.errors[0].message,
                format!(
                    "ap-shanghai-2 is in ap-shanghai, but this bundle's region is ap-guangzhou ({from}): a bundle \
                     holds one region's responses (DescribeInstances and DescribeSubnets answer for one region); \
                     bundle each region on its own"
                )
            );
        }
        // A subnet's zone, and a database's, count too.
        let subnet = edited(|b| b["DescribeSubnets"]["Response"]["SubnetSet"][1]["Zone"] = "ap-beijing-1".into());
        let e = import_bundle(&subnet, None).unwrap_err();
        assert_eq!(paths(&e), ["DescribeSubnets.Response.SubnetSet[1].Zone"]);
        let db = edited(|b| b["DescribeDBInstances"]["Response"]["Items"][0]["Region"] = "ap-beijing".into());
        let e = import_bundle(&db, Some("ap-guangzhou")).unwrap_err();
        assert_eq!(paths(&e), ["DescribeDBInstances.Response.Items[0].Region"]);
        // Several calls of another region: each is said at its first such entry (it was the first call's alone, so
        // that each was found after the one before was fixed), with how many more of that call there are.
        let many = edited(|b| {
            b["DescribeInstances"]["InstanceSet"][1]["Placement"]["Zone"] = "ap-shanghai-2".into();
            b["DescribeInstances"]["InstanceSet"][2]["Placement"]["Zone"] = "ap-beijing-1".into();
            b["DescribeSubnets"]["Response"]["SubnetSet"][1]["Zone"] = "ap-beijing-1".into();
            b["DescribeDBInstances"]["Response"]["Items"][0]["Region"] = "ap-beijing".into();
        });
        let e = import_bundle(&many, None).unwrap_err();
        assert_eq!(
            paths(&e),
            [
                "DescribeInstances.InstanceSet[1].Placement.Zone",
                "DescribeSubnets.Response.SubnetSet[1].Zone",
                "DescribeDBInstances.Response.Items[0].Region"
            ]
        );
        let said = "ap-shanghai-2 is in ap-shanghai, but this bundle's region is ap-guangzhou (from DescribeInstances.\
                    InstanceSet[0].Placement.Zone, ap-guangzhou-3) (1 more of DescribeInstances are in another region): \
                    a bundle";
        assert!(e.errors[0].message.starts_with(said), "{}", e.errors[0].message);
        assert!(!e.errors[1].message.contains("more of"), "{}", e.errors[1].message);
        // A zone that says no region (`gz-3`: its head is no region) is compared with none, as the plan's check of a
        // zone against its subnet's VPC's region does: the bundle imports, and its plan has nothing uncreatable.
        let odd = edited(|b| b["DescribeSubnets"]["Response"]["SubnetSet"][1]["Zone"] = "gz-3".into());
        let o = import_bundle(&odd, None).unwrap();
        assert_eq!(crate::domain::load::uncreatable(&o.plan), []);
        // Nor is it a classic CVM's region (it was: ins-web01 in gz, every link of it a false CL004), nor the
        // bundle's when it is the first zone (the VPCs were in gz).
        let odd = edited(|b| b["DescribeInstances"]["InstanceSet"][0]["Placement"]["Zone"] = "gz-3".into());
        let o = import_bundle(&odd, Some("ap-guangzhou")).unwrap();
        assert_eq!(o.plan.classic_instance("ins-web01").unwrap().region, "ap-guangzhou");
        assert_eq!(crate::domain::load::uncreatable(&o.plan), []);
        let e = import_bundle(&odd, None).unwrap_err();
        assert_eq!(paths(&e), ["DescribeInstances.InstanceSet[0].Placement.Zone"]);
        assert_eq!(
            e.errors[0].message,
            "\"gz-3\" is not a zone such as ap-guangzhou-3; give a region (the Region field, or --region)"
        );
        // A region in which some zone of the bundle is, is the bundle's region.
        let o = import_bundle(BUNDLE, Some("ap-guangzhou")).unwrap();
        assert_eq!(o.plan, outcome().plan);
    }

    /// The commonest paste mistakes are named for what they are, with what a bundle is: one call's response alone, a
    /// misspelled action key (and the nearest known one), the bundle wrapped in `Response`, one call's response under
    /// another's key, and two responses one after another.
    #[test]
    fn paste_mistakes_say_what_the_paste_looks_like() {
        let bundle: Value = serde_json::from_str(BUNDLE).unwrap();
        let vpcs = bundle["DescribeVpcs"].to_string();
        let subnets = bundle["DescribeSubnets"].to_string();
        let is = "a bundle is one JSON object keyed by action name: {\"DescribeVpcs\": <its response>, \
                  \"DescribeInstances\": <its response>, ...}";
        let cases: Vec<(String, &str, String)> = vec![
            (
                vpcs.clone(),
                ".",
                format!("this is one call's response (DescribeVpcs, by its VpcSet), not a bundle: {is}"),
            ),
            (
                subnets.clone(),
                ".",
                format!("this is one call's response (DescribeSubnets, by its SubnetSet), not a bundle: {is}"),
            ),
            (
                bundle["DescribeInstances"].to_string(),
                ".",
                format!(
                    "this is one call's response (DescribeInstances, by its InstanceSet and PrivateIpAddresses), not \
                     a bundle: {is}"
                ),
            ),
            (
                r#"{"InstanceSet": [{"InstanceId": "crs-1", "WanIp": "10.66.9.9"}]}"#.into(),
                ".",
                format!("this is one call's response (redis.DescribeInstances, by its InstanceSet and WanIp), not a bundle: {is}"),
            ),
            (
                r#"{"InstanceSet": [], "TotalCount": 0}"#.into(),
                ".",
                format!(
                    "this is one call's response (DescribeInstances or DescribeCcnAttachedInstances or \
                     redis.DescribeInstances, by its InstanceSet), not a bundle: {is}"
                ),
            ),
            (
                format!("{vpcs}\n{subnets}"),
                ".",
                format!(
                    "2 JSON values one after another (the responses of DescribeVpcs, DescribeSubnets), not one \
                     bundle: {is}"
                ),
            ),
            (
                format!("{{\"Response\": {BUNDLE}}}"),
                "Response",
                format!("the bundle is wrapped in {{\"Response\": ...}}: take that wrapper off; {is}"),
            ),
            (
                edited(|b| {
                    let v = b.as_object_mut().unwrap().remove("DescribeVpcs").unwrap();
                    b["Describe_Vpcs"] = v;
                }),
                "Describe_Vpcs",
                "not an action this import reads: did you mean DescribeVpcs? (the keys are API action names)".into(),
            ),
            (
                edited(|b| b["DescribeInstances"] = b["DescribeVpcs"].clone()),
                "DescribeInstances",
                "holds VpcSet, the set DescribeVpcs answers, not InstanceSet: is DescribeVpcs's response under \
                 DescribeInstances? Each response goes under its own action's key"
                    .into(),
            ),
            (
                edited(|b| b["DescribeNetworkAcls"] = b["DescribeSubnets"].clone()),
                "DescribeNetworkAcls.Response",
                "holds SubnetSet, the set DescribeSubnets answers, not NetworkAclSet: is DescribeSubnets's response \
                 under DescribeNetworkAcls? Each response goes under its own action's key"
                    .into(),
            ),
        ];
        for (text, path, message) in cases {
            let e = import_bundle(&text, None).expect_err(path);
            assert_eq!(paths(&e), [path], "{e}");
            assert_eq!(e.errors[0].message, message);
        }
        // A misspelled optional call is refused too (imported, its objects were left out with only a note); a key
        // near no action is still ignored with a note.
        let e = import_bundle(&edited(|b| b["DescribeRouteTable"] = serde_json::json!({})), None).unwrap_err();
        assert_eq!(paths(&e), ["DescribeRouteTable"]);
        assert!(e.errors[0].message.contains("did you mean DescribeRouteTables?"), "{e}");
        let o = import_bundle(&edited(|b| b["exported_by"] = "alice".into()), None).unwrap();
        assert!(o.notes.iter().any(|n| n == "exported_by: not an action this import reads; ignored"), "{:?}", o.notes);
    }

    /// A key taken from the user's data that is no plain name (a group ID with a dot, an action key with a trailing
    /// space) is quoted in the locations that name it, as JSON writes it: written as it is, it would name another
    /// place, or one whose space does not show. Plain IDs and the action keys read stay as they were.
    #[test]
    fn keys_that_are_no_plain_names_are_quoted_in_locations() {
        let bundle = |sg: &str| {
            format!(
                r#"{{"DescribeVpcs": {{"VpcSet": []}}, "DescribeInstances": {{"InstanceSet": []}},
                    "DescribeSecurityGroupPolicies": {{"{sg}": {{"SecurityGroupPolicySet": {{"Ingress": [
                      {{"PolicyIndex": 0, "Protocol": "TCP", "Port": "22", "CidrBlock": "bad", "Action": "ACCEPT"}}],
                      "Egress": []}}}}}}}}"#
            )
        };
        let path = |sg: &str| -> Vec<String> {
            let e = import_bundle(&bundle(sg), Some("ap-guangzhou")).unwrap_err();
            paths(&e).into_iter().map(str::to_string).collect()
        };
        let rest = ".SecurityGroupPolicySet.Ingress[0].CidrBlock";
        assert_eq!(path("sg.x"), [format!(r#"DescribeSecurityGroupPolicies["sg.x"]{rest}"#)]);
        assert_eq!(path("sg-web"), [format!("DescribeSecurityGroupPolicies.sg-web{rest}")]);
        let spaced = r#"{"DescribeVpcs ": {}, "DescribeInstances": {"InstanceSet": []}}"#;
        assert_eq!(paths(&import_bundle(spaced, Some("ap-guangzhou")).unwrap_err()), [r#"["DescribeVpcs "]"#]);
        assert_eq!(key_path(None, "redis.DescribeInstances"), "redis.DescribeInstances", "a key read is as it is");
    }

    /// The assistant CIDRs that came with DescribeVpcs (`AssistantCidrSet`) are imported: no note says they were left
    /// out with DescribeAssistantCidr.
    #[test]
    fn assistant_cidrs_from_describe_vpcs_are_not_said_left_out() {
        let left_out = |assistant: &str| {
            let text = format!(
                r#"{{"DescribeVpcs": {{"VpcSet": [{{"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16"{assistant}}}]}},
                    "DescribeInstances": {{"InstanceSet": []}}}}"#
            );
            let o = import_bundle(&text, Some("ap-guangzhou")).unwrap();
            o.notes.iter().any(|n| n.contains("DescribeAssistantCidr ("))
        };
        assert!(!left_out(r#", "AssistantCidrSet": [{"VpcId": "vpc-a", "CidrBlock": "10.1.0.0/16"}]"#));
        assert!(!left_out(r#", "AssistantCidrSet": []"#), "none, said by DescribeVpcs");
        assert!(left_out(""));
        assert!(left_out(r#", "AssistantCidrSet": null"#));
    }
}
