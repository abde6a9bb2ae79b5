//! Drawing: forms that add, edit and delete every kind of object in a plan.
//!
//! A [`Form`] holds the text the user typed, field by field (and, for security groups and ACLs, ordered rule rows).
//! [`Form::apply`] parses it with the domain types (`Cidr`, `Ports`, `Protocol`, `Ipv4Addr`), puts the object into a
//! copy of the plan and runs [`crate::domain::load::validate`] on that copy: an edit is applied only when the whole
//! candidate plan is valid, and every problem comes back with its JSON location (`vpcs[1].subnets[0].cidr`).

use crate::domain::addr::{parse_ipv4, Cidr, CidrError, Ports, Protocol};
use crate::domain::load::{uncreatable, valid_id, validate, PlanError};
use crate::domain::model::{
    Action as Verdict, Ccn, ClassicInstance, Endpoint, Expectation, FilterRule, Gateway, GatewayKind, Kind, Name,
    NetworkAcl, Peer, Peering, Plan, Resource, SecurityGroup, State, Subnet, TerminalConnection, Vpc,
};
use rustc_hash::FxHashSet as HashSet;

/// Every kind of object a form edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Classic,
    Vpc,
    Subnet,
    Resource,
    Gateway,
    Peering,
    Ccn,
    SecurityGroup,
    NetworkAcl,
    TerminalConnection,
    Expectation,
}

impl ObjectKind {
    /// Every kind, in the order the UI offers them.
    pub const ALL: [ObjectKind; 11] = [
        ObjectKind::Classic,
        ObjectKind::Vpc,
        ObjectKind::Subnet,
        ObjectKind::Resource,
        ObjectKind::Gateway,
        ObjectKind::Peering,
        ObjectKind::Ccn,
        ObjectKind::SecurityGroup,
        ObjectKind::NetworkAcl,
        ObjectKind::TerminalConnection,
        ObjectKind::Expectation,
    ];

    /// A stable name (used in `data-testid`s and `<select>` values).
    pub fn as_str(&self) -> &'static str {
        match self {
            ObjectKind::Classic => "classic",
            ObjectKind::Vpc => "vpc",
            ObjectKind::Subnet => "subnet",
            ObjectKind::Resource => "resource",
            ObjectKind::Gateway => "gateway",
            ObjectKind::Peering => "peering",
            ObjectKind::Ccn => "ccn",
            ObjectKind::SecurityGroup => "security_group",
            ObjectKind::NetworkAcl => "network_acl",
            ObjectKind::TerminalConnection => "terminal_connection",
            ObjectKind::Expectation => "expectation",
        }
    }

    /// The kind named by [`ObjectKind::as_str`].
    pub fn parse(s: &str) -> Option<ObjectKind> {
        ObjectKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A person's name.
    pub fn label(&self) -> &'static str {
        match self {
            ObjectKind::Classic => "Classic instance",
            ObjectKind::Vpc => "VPC",
            ObjectKind::Subnet => "Subnet",
            ObjectKind::Resource => "VPC resource",
            ObjectKind::Gateway => "Gateway",
            ObjectKind::Peering => "Peering connection",
            ObjectKind::Ccn => "Cloud Connect Network",
            ObjectKind::SecurityGroup => "Security group",
            ObjectKind::NetworkAcl => "Network ACL",
            ObjectKind::TerminalConnection => "Terminal connection",
            ObjectKind::Expectation => "Expectation",
        }
    }

    /// The name inside a sentence ("Add VPC", "Saved network ACL acl-app"): lower case but for the proper names and
    /// acronyms, which keep their capitals.
    pub fn noun(&self) -> &'static str {
        match self {
            ObjectKind::Classic => "classic instance",
            ObjectKind::Vpc => "VPC",
            ObjectKind::Subnet => "subnet",
            ObjectKind::Resource => "VPC resource",
            ObjectKind::Gateway => "gateway",
            ObjectKind::Peering => "peering connection",
            ObjectKind::Ccn => "Cloud Connect Network",
            ObjectKind::SecurityGroup => "security group",
            ObjectKind::NetworkAcl => "network ACL",
            ObjectKind::TerminalConnection => "terminal connection",
            ObjectKind::Expectation => "expectation",
        }
    }

    /// Whether the form has ordered ingress and egress rule editors.
    pub fn has_rules(&self) -> bool {
        matches!(self, ObjectKind::SecurityGroup | ObjectKind::NetworkAcl)
    }

    /// The fields of the form, in order.
    pub fn fields(&self) -> &'static [FieldSpec] {
        match self {
            ObjectKind::Classic => CLASSIC_FIELDS,
            ObjectKind::Vpc => VPC_FIELDS,
            ObjectKind::Subnet => SUBNET_FIELDS,
            ObjectKind::Resource => RESOURCE_FIELDS,
            ObjectKind::Gateway => GATEWAY_FIELDS,
            ObjectKind::Peering => PEERING_FIELDS,
            ObjectKind::Ccn => CCN_FIELDS,
            ObjectKind::SecurityGroup => SECURITY_GROUP_FIELDS,
            ObjectKind::NetworkAcl => ACL_FIELDS,
            ObjectKind::TerminalConnection => TERMINAL_FIELDS,
            ObjectKind::Expectation => EXPECTATION_FIELDS,
        }
    }
}

/// How a field is entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldInput {
    /// Free text.
    Text,
    /// One of fixed values.
    Select(&'static [&'static str]),
    /// One of the plan's VPC IDs.
    Vpc,
    /// A yes/no box (`"true"` / `"false"`).
    Check,
}

/// One field of a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// The plan's JSON key (also the key in [`Form::values`]).
    pub key: &'static str,
    pub label: &'static str,
    pub input: FieldInput,
    /// A short hint shown under the field.
    pub hint: &'static str,
}

const fn f(key: &'static str, label: &'static str, input: FieldInput, hint: &'static str) -> FieldSpec {
    FieldSpec { key, label, input, hint }
}

const KINDS: &[&str] =
    &["cvm", "clb", "mysql", "memcached", "redis", "mongodb", "mariadb", "postgresql", "sqlserver", "tdsql"];
const STATES: &[&str] = &["running", "stopped", "isolated", "security_isolated", "returned"];
const GATEWAY_KINDS: &[&str] = &["vpn", "direct_connect", "nat", "public"];
const PROTOCOLS: &[&str] = &["TCP", "UDP", "ICMP", "ALL"];
/// The values of a rule row's `action`.
pub const VERDICTS: &[&str] = &["ACCEPT", "DROP"];
/// The values of a rule row's `protocol`.
pub const RULE_PROTOCOLS: &[&str] = PROTOCOLS;

const LIST: &str = "comma-separated IDs";
const CLASSIC_FIELDS: &[FieldSpec] = &[
    f("id", "ID", FieldInput::Text, "e.g. ins-web01"),
    f("kind", "Kind", FieldInput::Select(KINDS), ""),
    f("name", "Name", FieldInput::Text, "optional"),
    f("region", "Region", FieldInput::Text, "e.g. ap-guangzhou"),
    f("zone", "Zone", FieldInput::Text, "optional, e.g. ap-guangzhou-3"),
    f("ip", "Private IP", FieldInput::Text, "required: the private IP Tencent assigned it"),
    f("state", "State", FieldInput::Select(STATES), ""),
    f("security_groups", "Security groups", FieldInput::Text, LIST),
    f("backends", "Backends (CLB)", FieldInput::Text, LIST),
];
const VPC_FIELDS: &[FieldSpec] = &[
    f("id", "ID", FieldInput::Text, "e.g. vpc-prod"),
    f("name", "Name", FieldInput::Text, "optional"),
    f("region", "Region", FieldInput::Text, "e.g. ap-guangzhou"),
    f("cidr", "Primary CIDR", FieldInput::Text, "Classiclink needs it inside 10.0.0.0/16 - 10.47.0.0/16"),
    f("assistant_cidrs", "Assistant CIDRs", FieldInput::Text, "comma-separated CIDRs"),
];
const SUBNET_FIELDS: &[FieldSpec] = &[
    f("vpc", "VPC", FieldInput::Vpc, ""),
    f("id", "ID", FieldInput::Text, "e.g. subnet-app"),
    f("name", "Name", FieldInput::Text, "optional"),
    f("cidr", "CIDR", FieldInput::Text, "inside the VPC's primary or an assistant CIDR"),
    f("zone", "Zone", FieldInput::Text, "optional"),
    f("acl", "Network ACL", FieldInput::Text, "optional ACL ID"),
];
const RESOURCE_FIELDS: &[FieldSpec] = &[
    f("vpc", "VPC", FieldInput::Vpc, ""),
    f("id", "ID", FieldInput::Text, "e.g. cdb-vpc1"),
    f("kind", "Kind", FieldInput::Select(KINDS), ""),
    f("name", "Name", FieldInput::Text, "optional"),
    f("subnet", "Subnet", FieldInput::Text, "subnet ID in this VPC"),
    f("ip", "Private IP", FieldInput::Text, "inside the subnet"),
    f("state", "State", FieldInput::Select(STATES), ""),
    f("security_groups", "Security groups", FieldInput::Text, LIST),
    f("backends", "Backends (CLB)", FieldInput::Text, LIST),
];
const GATEWAY_FIELDS: &[FieldSpec] = &[
    f("vpc", "VPC", FieldInput::Vpc, ""),
    f("id", "ID", FieldInput::Text, "e.g. vpngw-1"),
    f("kind", "Kind", FieldInput::Select(GATEWAY_KINDS), ""),
    f("name", "Name", FieldInput::Text, "optional"),
    f("remote_cidrs", "Remote CIDRs", FieldInput::Text, "VPN and Direct Connect: comma-separated CIDRs"),
];
const PEERING_FIELDS: &[FieldSpec] = &[
    f("id", "ID", FieldInput::Text, "e.g. pcx-1"),
    f("vpc_a", "First VPC", FieldInput::Vpc, ""),
    f("vpc_b", "Second VPC", FieldInput::Vpc, ""),
];
const CCN_FIELDS: &[FieldSpec] =
    &[f("id", "ID", FieldInput::Text, "e.g. ccn-1"), f("vpcs", "VPCs", FieldInput::Text, "comma-separated VPC IDs")];
const SECURITY_GROUP_FIELDS: &[FieldSpec] =
    &[f("id", "ID", FieldInput::Text, "e.g. sg-web"), f("name", "Name", FieldInput::Text, "optional")];
const ACL_FIELDS: &[FieldSpec] =
    &[f("id", "ID", FieldInput::Text, "e.g. acl-app"), f("name", "Name", FieldInput::Text, "optional")];
const TERMINAL_FIELDS: &[FieldSpec] = &[
    f("id", "ID", FieldInput::Text, "e.g. tc-1"),
    f("target", "Classic instance", FieldInput::Text, "a classic CLB, MySQL, Memcached, Redis or MongoDB"),
    f("vpc", "VPC", FieldInput::Vpc, ""),
    f("ip", "IP in the VPC", FieldInput::Text, "inside the VPC's CIDR"),
];
const EXPECTATION_FIELDS: &[FieldSpec] = &[
    f("from", "From", FieldInput::Text, "an object ID or an IPv4 address"),
    f("to", "To", FieldInput::Text, "an object ID or an IPv4 address"),
    f("protocol", "Protocol", FieldInput::Select(PROTOCOLS), ""),
    f("port", "Port", FieldInput::Text, "TCP/UDP: 1-65535"),
    f("reachable", "Must be reachable", FieldInput::Check, ""),
    f("description", "Description", FieldInput::Text, "optional"),
];

/// One ordered rule of a security group or ACL, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleRow {
    pub protocol: String,
    pub port: String,
    /// The peer cell: a CIDR, an IP or a security group's ID (the rule's `cidr` or `group`).
    pub cidr: String,
    pub action: String,
    pub description: String,
}

impl RuleRow {
    /// A new row: TCP, port 22, ACCEPT, from a CIDR the user must type. A preset CIDR would be one click from an
    /// open rule nobody chose (with 0.0.0.0/0, SSH from anywhere): left empty, the row shows its error until it
    /// names the addresses it lets in.
    pub fn new() -> RuleRow {
        RuleRow {
            protocol: "TCP".into(),
            port: "22".into(),
            cidr: String::new(),
            action: "ACCEPT".into(),
            description: String::new(),
        }
    }

    fn of(r: &FilterRule) -> RuleRow {
        RuleRow {
            protocol: r.protocol.to_string(),
            port: r.port.to_string(),
            cidr: r.peer.to_string(),
            action: r.action.as_str().to_string(),
            description: r.description.clone(),
        }
    }

    /// Sets one column by name (`protocol`, `port`, `cidr`, `action`, `description`). Choosing ICMP or ALL sets the
    /// port to ALL, the only one those protocols take (a port left from TCP would be an error the user did not make);
    /// back to TCP or UDP the port is kept (ALL is valid there too).
    pub fn set(&mut self, key: &str, value: String) {
        match key {
            "protocol" => {
                if value.parse::<Protocol>().is_ok_and(|p| !p.has_ports()) {
                    self.port = Ports::all().to_string();
                }
                self.protocol = value;
            }
            "port" => self.port = value,
            "cidr" => self.cidr = value,
            "action" => self.action = value,
            "description" => self.description = value,
            _ => {}
        }
    }

    /// The rule, or its cells' errors at `path`'s cells. `peer` reads the peer cell: [`Peer::parse`] in a security
    /// group, [`Peer::parse_acl`] in a network ACL (which takes no group).
    fn parse(
        &self,
        path: &str,
        peer: fn(&str) -> Result<Peer, String>,
        errs: &mut Vec<PlanError>,
    ) -> Option<FilterRule> {
        let protocol = parse_or(&self.protocol, &format!("{path}.protocol"), errs, |s| s.parse::<Protocol>());
        let port = parse_or(&self.port, &format!("{path}.port"), errs, |s| s.parse::<Ports>());
        // Tencent Cloud takes no port for ICMP or ALL (plans that carry one still load: the port is ignored).
        if let (Some(p), Some(ports)) = (protocol, &port) {
            if !p.has_ports() && !ports.is_all() {
                errs.push(err(format!("{path}.port"), format!("{p} has no ports: the port must be ALL")));
            }
        }
        // The peer cell: a CIDR, an IP or (security groups) a group ID; a group that is none is the plan's check.
        let peer = parse_or(&self.cidr, &format!("{path}.cidr"), errs, peer);
        let action = match self.action.trim() {
            "ACCEPT" => Some(Verdict::Accept),
            "DROP" => Some(Verdict::Drop),
            other => {
                errs.push(err(format!("{path}.action"), format!("{other:?} is not ACCEPT or DROP")));
                None
            }
        };
        Some(FilterRule {
            protocol: protocol?,
            port: port?,
            peer: peer?,
            action: action?,
            description: self.description.trim().to_string(),
        })
    }
}

/// A rule-list edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleOp {
    Add,
    Delete(usize),
    Up(usize),
    Down(usize),
    Set(usize, String, String),
}

/// Which rule list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleList {
    Ingress,
    Egress,
}

impl RuleList {
    /// The list's name in the plan's JSON: `ingress` or `egress`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleList::Ingress => "ingress",
            RuleList::Egress => "egress",
        }
    }

    /// What the list does when it holds no rule, in a security group or (any other `kind`) a network ACL.
    pub fn when_empty(self, kind: ObjectKind) -> String {
        let way = if self == RuleList::Ingress { "inbound" } else { "outbound" };
        if kind == ObjectKind::SecurityGroup {
            format!("No {way} rules: all {way} traffic is dropped (a security group drops what no rule accepts).")
        } else {
            format!("No {way} rules: all {way} traffic is denied (a network ACL denies by default).")
        }
    }
}

/// A form being filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub kind: ObjectKind,
    /// The object edited: its ID (an expectation: its index); `None` adds a new object.
    pub original: Option<String>,
    /// The typed values, keyed as [`ObjectKind::fields`].
    pub values: Vec<(&'static str, String)>,
    pub ingress: Vec<RuleRow>,
    pub egress: Vec<RuleRow>,
    /// What is wrong with the candidate plan, re-computed on every keystroke.
    pub errors: Vec<PlanError>,
    /// Whether the user has changed a field or asked to save. Until then the errors are not shown: a new form is
    /// incomplete, not wrong, and an alert as it opens would be read out over its first field.
    pub touched: bool,
    /// The fields the user changed (their keys). An empty field's error ("required") is held back until the user
    /// has been at that field or asked to save: typing a subnet's ID first does not flag its CIDR, not reached yet.
    pub edited: Vec<&'static str>,
    /// Whether the user asked to save: every error shows, held back or not.
    pub submitted: bool,
    /// What the form opened with (values, ingress, egress), for [`Form::changed`].
    start: Box<Typed>,
    /// The object edited is no longer in the plan (deleted, or another plan opened) while the form holds changes
    /// to it: Save is refused rather than bringing it back ([`Form::rebase`]).
    pub gone: bool,
    /// Fields the user changed that the plan also changed under the form (the key, and the plan's value then):
    /// Save writes the user's value, and the form says so ([`Form::conflicts`]).
    changed_under: Vec<(&'static str, String)>,
    /// How many expectations the plan had when the form last read it (an expectation form finds its own by it).
    listed: usize,
}

/// What became of an edit form's object when the plan changed under it ([`Form::rebase`]).
#[derive(Debug)]
pub enum Rebased {
    /// The object is as the form opened it (or the form adds a new object): nothing to do.
    Same,
    /// The object changed (a what-if, an import, an undo): the form now starts from it, with the user's changes on
    /// top.
    Onto(Form),
    /// The object is no longer in the plan.
    Gone,
}

/// What a form holds as typed: its values and rule rows.
type Typed = (Vec<(&'static str, String)>, Vec<RuleRow>, Vec<RuleRow>);

impl Form {
    /// A form for a new object. `vpc` preselects the VPC field, if the kind has one.
    pub fn new(kind: ObjectKind, plan: &Plan, vpc: Option<&str>) -> Form {
        let first_vpc = vpc.map(str::to_string).or_else(|| plan.vpcs.first().map(|v| v.id.to_string()));
        let region = plan
            .vpcs
            .first()
            .map(|v| v.region.to_string())
            .or_else(|| plan.classic.first().map(|c| c.region.to_string()))
            .unwrap_or_else(|| "ap-guangzhou".into());
        let values = kind
            .fields()
            .iter()
            .map(|spec| {
                let v = match (spec.key, spec.input) {
                    (_, FieldInput::Select(opts)) => opts[0].to_string(),
                    (_, FieldInput::Vpc) => first_vpc.clone().unwrap_or_default(),
                    (_, FieldInput::Check) => "true".to_string(),
                    ("region", _) => region.to_string(),
                    ("port", _) => "22".to_string(),
                    _ => String::new(),
                };
                (spec.key, v)
            })
            .collect();
        let mut form = Form {
            kind,
            original: None,
            values,
            ingress: Vec::new(),
            egress: Vec::new(),
            errors: Vec::new(),
            touched: false,
            edited: Vec::new(),
            submitted: false,
            start: Box::default(),
            gone: false,
            changed_under: Vec::new(),
            listed: plan.expectations.len(),
        };
        if kind == ObjectKind::Peering {
            if let Some(second) = plan.vpcs.get(1) {
                form.set("vpc_b", second.id.to_string());
            }
        }
        form.started();
        form
    }

    /// Records what the form holds now as what it opened with.
    fn started(&mut self) {
        *self.start = (self.values.clone(), self.ingress.clone(), self.egress.clone());
    }

    /// Whether the form holds anything other than what it opened with: unsaved changes, which closing it would
    /// lose (a value typed and typed back again is no change).
    pub fn changed(&self) -> bool {
        let (values, ingress, egress) = &*self.start;
        *values != self.values || *ingress != self.ingress || *egress != self.egress
    }

    /// Follows the edited object when the plan changes under the form: the form then starts from the object as it
    /// is now, and only the fields (and rule lists) the user changed keep the user's values. Saving then changes
    /// what the user changed and nothing else: a what-if on the CVM, an import or an undo in the meantime is not
    /// written over with what the form opened with. An expectation, which has no ID, is found again by what it
    /// says (its index moves when one before it is deleted).
    pub fn rebase(&self, plan: &Plan) -> Rebased {
        let Some(orig) = self.original.as_deref() else { return Rebased::Same };
        let now = match self.kind {
            ObjectKind::Expectation => self.expectation_now(plan, orig),
            _ => Form::edit(self.kind, plan, orig),
        };
        let Some(mut now) = now else { return Rebased::Gone };
        // An expectation form also follows how many expectations the plan lists, which tells it whether the list
        // moved the next time (see `expectation_now`).
        let same_count = self.kind != ObjectKind::Expectation || now.listed == self.listed;
        if now.start == self.start && now.original == self.original && !self.gone && same_count {
            return Rebased::Same;
        }
        let (values, ingress, egress) = &*self.start;
        let plan_values = now.start.0.clone();
        now.changed_under = self.changed_under.clone();
        for (((key, typed), (_, opened)), (_, in_plan)) in self.values.iter().zip(values).zip(&plan_values) {
            if typed != opened {
                now.set(key, typed.clone());
                // Changed here and, since the form opened (or last followed the plan), in the plan too.
                if in_plan != opened {
                    now.changed_under.retain(|(k, _)| k != key);
                    now.changed_under.push((key, in_plan.clone()));
                }
            }
        }
        if self.ingress != *ingress {
            now.ingress = self.ingress.clone();
        }
        if self.egress != *egress {
            now.egress = self.egress.clone();
        }
        now.touched = self.touched;
        now.edited = self.edited.clone();
        now.submitted = self.submitted;
        Rebased::Onto(now)
    }

    /// The expectation this form edits, in `plan`: an expectation has no ID, so it is found by what it says, at its
    /// index or next to it (one deleted or restored before it moves it by one; one added goes at the end); else,
    /// with as many expectations as before (an undo or an import changed it, nothing moved), at its index. A twin
    /// elsewhere in the list is not it.
    fn expectation_now(&self, plan: &Plan, orig: &str) -> Option<Form> {
        let i: usize = orig.parse().ok()?;
        let edit = |j: usize| Form::edit(ObjectKind::Expectation, plan, &j.to_string());
        let same = |j: usize| edit(j).filter(|f| f.start == self.start);
        [Some(i), i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .find_map(same)
            .or_else(|| (plan.expectations.len() == self.listed).then(|| edit(i)).flatten())
    }

    /// Fields the user changed that the plan changed too while the form was open, as (key, the plan's value), while
    /// the form's value still differs from it: Save writes the user's value over the plan's.
    pub fn conflicts(&self) -> impl Iterator<Item = &(&'static str, String)> {
        let (values, _, _) = &*self.start;
        self.changed_under.iter().filter(|(k, _)| values.iter().any(|(sk, v)| sk == k && v != self.get(k)))
    }

    /// A form editing an existing object (`id`; an expectation: its index as text). `None` if there is none.
    pub fn edit(kind: ObjectKind, plan: &Plan, id: &str) -> Option<Form> {
        let mut form = Form::new(kind, plan, None);
        form.original = Some(id.to_string());
        let j = |v: &[Name]| v.iter().map(Name::as_str).collect::<Vec<_>>().join(", ");
        let cidrs = |v: &[Cidr]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ");
        match kind {
            ObjectKind::Classic => {
                let c = plan.classic_instance(id)?;
                form.fill(&[
                    ("id", c.id.to_string()),
                    ("kind", c.kind.as_str().into()),
                    ("name", c.name.clone()),
                    ("region", c.region.to_string()),
                    ("zone", c.zone.to_string()),
                    ("ip", c.ip.to_string()),
                    ("state", c.state.as_str().into()),
                    ("security_groups", j(&c.security_groups)),
                    ("backends", j(&c.backends)),
                ]);
            }
            ObjectKind::Vpc => {
                let v = plan.vpc(id)?;
                form.fill(&[
                    ("id", v.id.to_string()),
                    ("name", v.name.clone()),
                    ("region", v.region.to_string()),
                    ("cidr", v.cidr.to_string()),
                    ("assistant_cidrs", cidrs(&v.assistant_cidrs)),
                ]);
            }
            ObjectKind::Subnet => {
                let (v, s) = plan.vpcs.iter().find_map(|v| v.subnet(id).map(|s| (v, s)))?;
                form.fill(&[
                    ("vpc", v.id.to_string()),
                    ("id", s.id.to_string()),
                    ("name", s.name.clone()),
                    ("cidr", s.cidr.to_string()),
                    ("zone", s.zone.to_string()),
                    ("acl", s.acl.as_deref().unwrap_or_default().to_string()),
                ]);
            }
            ObjectKind::Resource => {
                let (v, r) = plan.vpcs.iter().find_map(|v| v.resources.iter().find(|r| r.id == id).map(|r| (v, r)))?;
                form.fill(&[
                    ("vpc", v.id.to_string()),
                    ("id", r.id.to_string()),
                    ("kind", r.kind.as_str().into()),
                    ("name", r.name.clone()),
                    ("subnet", r.subnet.to_string()),
                    ("ip", r.ip.to_string()),
                    ("state", r.state.as_str().into()),
                    ("security_groups", j(&r.security_groups)),
                    ("backends", j(&r.backends)),
                ]);
            }
            ObjectKind::Gateway => {
                let (v, g) = plan.vpcs.iter().find_map(|v| v.gateways.iter().find(|g| g.id == id).map(|g| (v, g)))?;
                form.fill(&[
                    ("vpc", v.id.to_string()),
                    ("id", g.id.to_string()),
                    ("kind", g.kind.as_str().into()),
                    ("name", g.name.clone()),
                    ("remote_cidrs", cidrs(&g.remote_cidrs)),
                ]);
            }
            ObjectKind::Peering => {
                let p = plan.peerings.iter().find(|p| p.id == id)?;
                form.fill(&[
                    ("id", p.id.to_string()),
                    ("vpc_a", p.vpcs.first().map(Name::to_string).unwrap_or_default()),
                    ("vpc_b", p.vpcs.get(1).map(Name::to_string).unwrap_or_default()),
                ]);
            }
            ObjectKind::Ccn => {
                let c = plan.ccns.iter().find(|c| c.id == id)?;
                form.fill(&[("id", c.id.to_string()), ("vpcs", j(&c.vpcs))]);
            }
            ObjectKind::SecurityGroup => {
                let g = plan.security_group(id)?;
                form.fill(&[("id", g.id.to_string()), ("name", g.name.clone())]);
                form.ingress = g.ingress.iter().map(RuleRow::of).collect();
                form.egress = g.egress.iter().map(RuleRow::of).collect();
            }
            ObjectKind::NetworkAcl => {
                let a = plan.network_acl(id)?;
                form.fill(&[("id", a.id.to_string()), ("name", a.name.clone())]);
                form.ingress = a.ingress.iter().map(RuleRow::of).collect();
                form.egress = a.egress.iter().map(RuleRow::of).collect();
            }
            ObjectKind::TerminalConnection => {
                let t = plan.terminal_connections.iter().find(|t| t.id == id)?;
                form.fill(&[
                    ("id", t.id.to_string()),
                    ("target", t.target.to_string()),
                    ("vpc", t.vpc.to_string()),
                    ("ip", t.ip.to_string()),
                ]);
            }
            ObjectKind::Expectation => {
                let e = plan.expectations.get(id.parse::<usize>().ok()?)?;
                form.fill(&[
                    ("from", e.from.to_string()),
                    ("to", e.to.to_string()),
                    ("protocol", e.protocol().to_string()),
                    ("port", e.port.map(|p| p.to_string()).unwrap_or_default()),
                    ("reachable", e.reachable.to_string()),
                    ("description", e.description.clone()),
                ]);
            }
        }
        form.started();
        Some(form)
    }

    fn fill(&mut self, pairs: &[(&str, String)]) {
        for (k, v) in pairs {
            self.set(k, v.clone());
        }
    }

    /// The typed value of a field ("" if the kind has no such field).
    pub fn get(&self, key: &str) -> &str {
        self.values.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Sets a field's typed value (ignored if the kind has no such field).
    pub fn set(&mut self, key: &str, value: String) {
        if let Some(slot) = self.values.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        }
    }

    /// Edits one of the rule lists.
    pub fn rule_op(&mut self, list: RuleList, op: RuleOp) {
        let rows = match list {
            RuleList::Ingress => &mut self.ingress,
            RuleList::Egress => &mut self.egress,
        };
        match op {
            RuleOp::Add => rows.push(RuleRow::new()),
            RuleOp::Delete(i) if i < rows.len() => {
                rows.remove(i);
            }
            RuleOp::Up(i) if i > 0 && i < rows.len() => rows.swap(i - 1, i),
            RuleOp::Down(i) if i + 1 < rows.len() => rows.swap(i, i + 1),
            RuleOp::Set(i, key, value) => {
                if let Some(r) = rows.get_mut(i) {
                    r.set(&key, value);
                }
            }
            _ => {}
        }
    }

    /// The plan with this form's object put in, validated as a whole; or every problem with its JSON location.
    pub fn apply(&self, plan: &Plan) -> Result<Plan, Vec<PlanError>> {
        if let Some(orig) = self.original.as_deref().filter(|_| self.gone) {
            let what = match self.kind {
                ObjectKind::Expectation => format!("Expectation {orig}"),
                kind => format!("{} {orig}", kind.label()),
            };
            return Err(vec![err(
                what,
                "is not in the plan as it is now (deleted, undone, or another plan opened since this form opened): \
                 saving would bring it back. Discard these changes, or undo or redo to the plan that has it"
                    .to_string(),
            )]);
        }
        let mut errs = Vec::new();
        let mut next = plan.clone();
        self.put(&mut next, &mut errs);
        if !errs.is_empty() {
            errs.extend(self.other_fields_errors(plan, &errs));
            return Err(errs);
        }
        // An edit that changes the object's ID renames it: every reference follows, as a delete removes them.
        let new_id = self.text("id");
        if let Some(old) = self.original.as_deref().filter(|o| !new_id.is_empty() && *o != new_id) {
            rename_references(&mut next, old, &new_id);
        }
        // A classic instance's new IP invalidates its links as the what-if's IP change does (seed 001): a link that
        // did not record the IP it was made for records the old one, so CL010 says so.
        let before = self.original.as_deref().filter(|_| self.kind == ObjectKind::Classic);
        if let Some(old) = before.and_then(|o| plan.classic_instance(o)) {
            if let Some(new_ip) = next.classic_instance(&new_id).map(|c| c.ip).filter(|&ip| ip != old.ip) {
                crate::domain::ops::pin_link_ips(&mut next, &new_id, old.ip, new_ip);
            }
        }
        validate(&next).map_err(|e| e.errors)?;
        // What no console could create, added by this edit (a plan that had it before still opens and is edited:
        // compared by message, as an insertion may move the locations). Counted: a message some objects share (the
        // same spaced zone given twice) is added when the edit says it once more.
        let mut before: Vec<String> = uncreatable(plan).into_iter().map(|e| e.message).collect();
        let mut is_new = |e: &PlanError| match before.iter().position(|m| *m == e.message) {
            Some(i) => {
                before.swap_remove(i);
                false
            }
            None => true,
        };
        let added: Vec<PlanError> = uncreatable(&next).into_iter().filter(|e| is_new(e)).collect();
        if !added.is_empty() {
            return Err(added);
        }
        Ok(next)
    }

    /// With fields that do not parse (`failed`), what is wrong with the other fields (an ID already used, a
    /// reference to nothing), so that the user sees every problem at once rather than one after another as each is
    /// fixed. The plan is validated with a stand-in for each field that does not parse; only problems at the form's
    /// other fields are kept (a stand-in may cause its own). None when a failure is not one whole field (a rule
    /// cell) or has no stand-in.
    fn other_fields_errors(&self, plan: &Plan, failed: &[PlanError]) -> Vec<PlanError> {
        let keys: Vec<&str> = self.values.iter().map(|(k, _)| *k).collect();
        // Each failure as (the object's path, its field's key); an entry of a list field (`assistant_cidrs[1]`) is
        // the whole field's.
        let parts: Option<Vec<(&str, &str)>> = failed
            .iter()
            .map(|e| {
                let (at, k) = e.path.rsplit_once('.')?;
                let k = k.split_once('[').map_or(k, |(k, _)| k);
                keys.contains(&k).then_some((at, k))
            })
            .collect();
        let Some(parts) = parts else { return Vec::new() };
        let Some(&(object, _)) = parts.first() else { return Vec::new() };
        let mut probe = self.clone();
        for &(at, key) in &parts {
            let Some(stand_in) = stand_in(key) else { return Vec::new() };
            if at != object {
                return Vec::new();
            }
            probe.set(key, stand_in.to_string());
        }
        let (mut errs, mut next) = (Vec::new(), plan.clone());
        probe.put(&mut next, &mut errs);
        if !errs.is_empty() {
            return Vec::new();
        }
        let other = |e: &PlanError| {
            e.path
                .strip_prefix(object)
                .and_then(|k| k.strip_prefix('.'))
                .is_some_and(|k| keys.contains(&k) && !parts.iter().any(|&(_, f)| f == k))
        };
        validate(&next).err().map(|e| e.errors.into_iter().filter(other).collect()).unwrap_or_default()
    }

    fn text(&self, key: &str) -> String {
        self.get(key).trim().to_string()
    }

    fn list(&self, key: &str) -> Vec<Name> {
        self.get(key).split(',').map(str::trim).filter(|s| !s.is_empty()).map(Name::from).collect()
    }

    fn put(&self, plan: &mut Plan, errs: &mut Vec<PlanError>) {
        let orig = self.original.as_deref();
        match self.kind {
            ObjectKind::Classic => {
                let i = index_or_end(plan.classic.iter().map(|c| c.id.as_str()), orig);
                let p = format!("classic[{i}]");
                let c = (|| {
                    Some(ClassicInstance {
                        id: self.text("id").into(),
                        kind: parse_kind(&self.text("kind"), &p, errs)?,
                        name: self.text("name"),
                        region: self.text("region").into(),
                        zone: self.text("zone").into(),
                        ip: parse_or(self.get("ip"), &format!("{p}.ip"), errs, required(CLASSIC_IP, parse_ipv4))?,
                        state: parse_state(&self.text("state"), &p, errs)?,
                        security_groups: self.id_list("security_groups", &format!("{p}.security_groups"), errs),
                        backends: self.id_list("backends", &format!("{p}.backends"), errs),
                    })
                })();
                if let Some(c) = c {
                    place(&mut plan.classic, i, c);
                }
            }
            ObjectKind::Vpc => {
                let i = index_or_end(plan.vpcs.iter().map(|v| v.id.as_str()), orig);
                let p = format!("vpcs[{i}]");
                let cidr = parse_or(
                    self.get("cidr"),
                    &format!("{p}.cidr"),
                    errs,
                    required("the VPC's primary CIDR", parse_cidr),
                );
                let assistants = self.cidr_list("assistant_cidrs", &format!("{p}.assistant_cidrs"), errs);
                if let Some(cidr) = cidr {
                    let old = plan.vpcs.get(i).filter(|_| orig.is_some()).cloned();
                    let v = Vpc {
                        id: self.text("id").into(),
                        name: self.text("name"),
                        region: self.text("region").into(),
                        cidr,
                        assistant_cidrs: assistants,
                        subnets: old.as_ref().map(|o| o.subnets.clone()).unwrap_or_default(),
                        resources: old.as_ref().map(|o| o.resources.clone()).unwrap_or_default(),
                        gateways: old.as_ref().map(|o| o.gateways.clone()).unwrap_or_default(),
                    };
                    place(&mut plan.vpcs, i, v);
                }
            }
            ObjectKind::Subnet => {
                let Some(vi) = self.vpc_index(plan, errs) else { return };
                let i = index_or_end(plan.vpcs[vi].subnets.iter().map(|s| s.id.as_str()), orig);
                let p = format!("vpcs[{vi}].subnets[{i}]");
                let cidr =
                    parse_or(self.get("cidr"), &format!("{p}.cidr"), errs, required("the subnet's CIDR", parse_cidr));
                if let Some(cidr) = cidr {
                    let acl = Some(self.text("acl")).filter(|a| !a.is_empty()).map(Name::from);
                    let s = Subnet {
                        id: self.text("id").into(),
                        name: self.text("name"),
                        cidr,
                        zone: self.text("zone").into(),
                        acl,
                    };
                    put_child(plan, vi, orig, |v| &mut v.subnets, |s| &s.id, s);
                }
            }
            ObjectKind::Resource => {
                let Some(vi) = self.vpc_index(plan, errs) else { return };
                let i = index_or_end(plan.vpcs[vi].resources.iter().map(|r| r.id.as_str()), orig);
                let p = format!("vpcs[{vi}].resources[{i}]");
                let r = (|| {
                    Some(Resource {
                        id: self.text("id").into(),
                        kind: parse_kind(&self.text("kind"), &p, errs)?,
                        name: self.text("name"),
                        subnet: self.text("subnet").into(),
                        ip: parse_or(
                            self.get("ip"),
                            &format!("{p}.ip"),
                            errs,
                            required("the resource's private IP", parse_ipv4),
                        )?,
                        state: parse_state(&self.text("state"), &p, errs)?,
                        security_groups: self.id_list("security_groups", &format!("{p}.security_groups"), errs),
                        backends: self.id_list("backends", &format!("{p}.backends"), errs),
                    })
                })();
                if let Some(r) = r {
                    put_child(plan, vi, orig, |v| &mut v.resources, |r| &r.id, r);
                }
            }
            ObjectKind::Gateway => {
                let Some(vi) = self.vpc_index(plan, errs) else { return };
                let i = index_or_end(plan.vpcs[vi].gateways.iter().map(|g| g.id.as_str()), orig);
                let p = format!("vpcs[{vi}].gateways[{i}]");
                let kind = GatewayKind::ALL.into_iter().find(|k| k.as_str() == self.text("kind"));
                if kind.is_none() {
                    errs.push(err(format!("{p}.kind"), format!("{:?} is not a gateway kind", self.text("kind"))));
                }
                let remote_cidrs = self.cidr_list("remote_cidrs", &format!("{p}.remote_cidrs"), errs);
                if let Some(kind) = kind {
                    let g = Gateway { id: self.text("id").into(), kind, name: self.text("name"), remote_cidrs };
                    put_child(plan, vi, orig, |v| &mut v.gateways, |g| &g.id, g);
                }
            }
            ObjectKind::Peering => {
                let i = index_or_end(plan.peerings.iter().map(|p| p.id.as_str()), orig);
                let p = Peering {
                    id: self.text("id").into(),
                    vpcs: vec![self.text("vpc_a").into(), self.text("vpc_b").into()],
                };
                if p.vpcs[0] == p.vpcs[1] {
                    errs.push(err(format!("peerings[{i}].vpcs"), "a peering joins two different VPCs".to_string()));
                }
                place(&mut plan.peerings, i, p);
            }
            ObjectKind::Ccn => {
                let i = index_or_end(plan.ccns.iter().map(|c| c.id.as_str()), orig);
                let vpcs = self.id_list("vpcs", &format!("ccns[{i}].vpcs"), errs);
                place(&mut plan.ccns, i, Ccn { id: self.text("id").into(), vpcs });
            }
            ObjectKind::SecurityGroup | ObjectKind::NetworkAcl => {
                let sg = self.kind == ObjectKind::SecurityGroup;
                let i = if sg {
                    index_or_end(plan.security_groups.iter().map(|g| g.id.as_str()), orig)
                } else {
                    index_or_end(plan.network_acls.iter().map(|a| a.id.as_str()), orig)
                };
                let p = if sg { format!("security_groups[{i}]") } else { format!("network_acls[{i}]") };
                let peer = if sg { Peer::parse } else { Peer::parse_acl };
                let rules = |rows: &[RuleRow], dir: &str, errs: &mut Vec<PlanError>| -> Vec<FilterRule> {
                    rows.iter()
                        .enumerate()
                        .filter_map(|(k, r)| r.parse(&format!("{p}.{dir}[{k}]"), peer, errs))
                        .collect()
                };
                let ingress = rules(&self.ingress, "ingress", errs);
                let egress = rules(&self.egress, "egress", errs);
                if sg {
                    let g = SecurityGroup { id: self.text("id").into(), name: self.text("name"), ingress, egress };
                    place(&mut plan.security_groups, i, g);
                } else {
                    let a = NetworkAcl { id: self.text("id").into(), name: self.text("name"), ingress, egress };
                    place(&mut plan.network_acls, i, a);
                }
            }
            ObjectKind::TerminalConnection => {
                let i = index_or_end(plan.terminal_connections.iter().map(|t| t.id.as_str()), orig);
                let p = format!("terminal_connections[{i}]");
                let ip = parse_or(self.get("ip"), &format!("{p}.ip"), errs, required("its IP in the VPC", parse_ipv4));
                if let Some(ip) = ip {
                    let t = TerminalConnection {
                        id: self.text("id").into(),
                        target: self.text("target").into(),
                        vpc: self.text("vpc").into(),
                        ip,
                    };
                    place(&mut plan.terminal_connections, i, t);
                }
            }
            ObjectKind::Expectation => {
                let i = orig.and_then(|o| o.parse::<usize>().ok()).unwrap_or(plan.expectations.len());
                let p = format!("expectations[{i}]");
                let protocol =
                    parse_or(self.get("protocol"), &format!("{p}.protocol"), errs, |s| s.parse::<Protocol>());
                let port_text = self.text("port");
                // ICMP and ALL have no port: what the (then off) port field still holds is not read.
                let port = if port_text.is_empty() || protocol.is_some_and(|p| !p.has_ports()) {
                    Some(None)
                } else {
                    parse_or(&port_text, &format!("{p}.port"), errs, |s| {
                        crate::domain::addr::parse_port(s)
                            .map(Some)
                            .ok_or_else(|| format!("{s:?} is not a port (1-65535)"))
                    })
                };
                for key in ["from", "to"] {
                    if self.text(key).is_empty() {
                        errs.push(err(format!("{p}.{key}"), "required: an object ID or an IPv4 address".to_string()));
                    }
                }
                if let (Some(protocol), Some(port)) = (protocol, port) {
                    let e = Expectation {
                        from: Endpoint::from(self.text("from")),
                        to: Endpoint::from(self.text("to")),
                        protocol: Some(protocol),
                        // ICMP and ALL have no port: none is kept (a port left from TCP would be exported).
                        port: port.filter(|_| protocol.has_ports()),
                        reachable: self.text("reachable") == "true",
                        description: self.text("description"),
                    };
                    place(&mut plan.expectations, i, e);
                }
            }
        }
    }

    /// A comma-separated CIDR field's CIDRs; an entry that does not parse says which it is (`"x" is not an IPv4
    /// CIDR`), and entries separated by spaces are told to be separated by commas.
    fn cidr_list(&self, key: &str, path: &str, errs: &mut Vec<PlanError>) -> Vec<Cidr> {
        self.list(key)
            .iter()
            .enumerate()
            .filter_map(|(k, s)| {
                parse_or(s, &format!("{path}[{k}]"), errs, |s| match s.parse::<Cidr>() {
                    Ok(c) => Ok(c),
                    Err(_) if spaced(s, |part| part.parse::<Cidr>().is_ok()) => {
                        Err(format!("{s:?} is not one CIDR: entries are separated by commas"))
                    }
                    Err(e @ CidrError::Syntax) => Err(format!("{s:?} is {e}")),
                    Err(e) => Err(format!("{s:?}: {e}")),
                })
            })
            .collect()
    }

    /// A comma-separated ID field's IDs (`path`: the list's JSON location); entries separated by spaces are told to
    /// be separated by commas, rather than read as one ID the plan does not have (`no VPC "vpc-a vpc-b"`).
    fn id_list(&self, key: &str, path: &str, errs: &mut Vec<PlanError>) -> Vec<Name> {
        let ids = self.list(key);
        for (k, id) in ids.iter().enumerate() {
            if spaced(id, valid_id) {
                errs.push(err(
                    format!("{path}[{k}]"),
                    format!("{id:?} is not one ID: entries are separated by commas"),
                ));
            }
        }
        ids
    }

    fn vpc_index(&self, plan: &Plan, errs: &mut Vec<PlanError>) -> Option<usize> {
        let vpc = self.text("vpc");
        let i = plan.vpcs.iter().position(|v| v.id == vpc);
        if i.is_none() {
            errs.push(err("vpc".to_string(), format!("{vpc:?} is not a VPC of this plan")));
        }
        i
    }
}

/// Whether a list entry is several entries separated by spaces (each one `fits`) rather than by commas.
fn spaced(entry: &str, fits: impl Fn(&str) -> bool) -> bool {
    let mut parts = entry.split_whitespace();
    parts.clone().nth(1).is_some() && parts.all(fits)
}

/// A value that parses, for a field that does not, while the form's other fields are checked
/// ([`Form::other_fields_errors`]); `None` for a field that has none.
fn stand_in(key: &str) -> Option<&'static str> {
    Some(match key {
        "ip" => "0.0.0.0",
        "cidr" => "10.0.0.0/16",
        "assistant_cidrs" | "remote_cidrs" | "security_groups" | "backends" | "vpcs" => "",
        "port" => "22",
        _ => return None,
    })
}

fn err(path: String, message: String) -> PlanError {
    PlanError { path, message }
}

fn parse_or<T>(
    text: &str,
    path: &str,
    errs: &mut Vec<PlanError>,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Option<T> {
    match parse(text.trim()) {
        Ok(v) => Some(v),
        Err(m) => {
            errs.push(err(path.to_string(), m));
            None
        }
    }
}

/// What an empty classic instance's Private IP says: the field is required (its hint says so too).
const CLASSIC_IP: &str = "the private IP Tencent assigned the instance";

/// A parser for a required field: empty, it says the field is required and what goes there (`what`), rather than
/// that "" does not parse.
fn required<T>(
    what: &'static str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> impl FnOnce(&str) -> Result<T, String> {
    move |s| if s.is_empty() { Err(format!("required: {what}")) } else { parse(s) }
}

fn parse_cidr(s: &str) -> Result<Cidr, String> {
    s.parse::<Cidr>().map_err(|e| e.to_string())
}

fn parse_kind(s: &str, path: &str, errs: &mut Vec<PlanError>) -> Option<Kind> {
    let k = Kind::ALL.into_iter().find(|k| k.as_str() == s);
    if k.is_none() {
        errs.push(err(format!("{path}.kind"), format!("{s:?} is not an instance kind")));
    }
    k
}

fn parse_state(s: &str, path: &str, errs: &mut Vec<PlanError>) -> Option<State> {
    let st = State::ALL.into_iter().find(|k| k.as_str() == s);
    if st.is_none() {
        errs.push(err(format!("{path}.state"), format!("{s:?} is not a state")));
    }
    st
}

/// Where an object goes in its list (`ids`, the list's IDs): its own slot when the list has it (`orig`, the ID it
/// had; a child staying in the same VPC), else the end (a new object, or a child moving to another VPC).
fn index_or_end<'a>(mut ids: impl ExactSizeIterator<Item = &'a str>, orig: Option<&str>) -> usize {
    let len = ids.len();
    orig.and_then(|o| ids.position(|id| id == o)).unwrap_or(len)
}

fn place<T>(list: &mut Vec<T>, i: usize, v: T) {
    if i < list.len() {
        list[i] = v;
    } else {
        list.push(v);
    }
}

/// Puts a subnet / resource / gateway into VPC `vi`: in its own slot when it stays in the same VPC, else removed
/// from the VPC that held it and appended.
fn put_child<T>(
    plan: &mut Plan,
    vi: usize,
    orig: Option<&str>,
    list: impl Fn(&mut Vpc) -> &mut Vec<T>,
    id: impl Fn(&T) -> &str,
    value: T,
) {
    if let Some(o) = orig {
        for (k, v) in plan.vpcs.iter_mut().enumerate() {
            let l = list(v);
            if let Some(pos) = l.iter().position(|x| id(x) == o) {
                if k == vi {
                    l[pos] = value;
                    return;
                }
                l.remove(pos);
                break;
            }
        }
    }
    list(&mut plan.vpcs[vi]).push(value);
}

/// The IDs of an object and of everything it contains (a VPC holds its subnets, resources and gateways).
fn contained_ids(plan: &Plan, id: &str) -> HashSet<String> {
    let mut out = HashSet::from_iter([id.to_string()]);
    if let Some(v) = plan.vpc(id) {
        out.extend(v.subnets.iter().map(|s| s.id.to_string()));
        out.extend(v.resources.iter().map(|r| r.id.to_string()));
        out.extend(v.gateways.iter().map(|g| g.id.to_string()));
    }
    out
}

/// The plan without the object `id` (and what it contains), with every reference to it removed too: links,
/// terminal connections, CLB backends, security group lists, rules naming a deleted group as their peer, subnet
/// ACLs, peerings, CCN memberships and expectations. Errors (e.g. a subnet that still holds resources) come with their JSON location; the plan is
/// then left as it was.
pub fn delete_object(plan: &Plan, id: &str) -> Result<Plan, Vec<PlanError>> {
    let gone = contained_ids(plan, id);
    let exists = plan.classic.iter().any(|c| c.id == id)
        || plan.vpcs.iter().any(|v| {
            v.id == id
                || v.subnets.iter().any(|s| s.id == id)
                || v.resources.iter().any(|r| r.id == id)
                || v.gateways.iter().any(|g| g.id == id)
        })
        || plan.peerings.iter().any(|p| p.id == id)
        || plan.ccns.iter().any(|c| c.id == id)
        || plan.terminal_connections.iter().any(|t| t.id == id)
        || plan.security_group(id).is_some()
        || plan.network_acl(id).is_some();
    if !exists {
        return Err(vec![err(".".to_string(), format!("{id} is not in the plan"))]);
    }
    // A subnet still holding resources is refused in words, not as the resources' dangling paths.
    for (vi, v) in plan.vpcs.iter().enumerate() {
        if let Some(si) = v.subnets.iter().position(|s| s.id == id) {
            let held: Vec<&str> = v.resources.iter().filter(|r| r.subnet == id).map(|r| r.id.as_str()).collect();
            if !held.is_empty() {
                return Err(vec![err(
                    format!("vpcs[{vi}].subnets[{si}]"),
                    format!("{id} still holds {}: delete them or move them to another subnet first", held.join(", ")),
                )]);
            }
        }
    }
    let g = |s: &str| gone.contains(s);
    let mut p = plan.clone();
    p.classic.retain(|c| !g(&c.id));
    p.vpcs.retain(|v| !g(&v.id));
    for v in p.vpcs.iter_mut() {
        v.subnets.retain(|s| !g(&s.id));
        v.resources.retain(|r| !g(&r.id));
        v.gateways.retain(|x| !g(&x.id));
        for s in v.subnets.iter_mut() {
            if s.acl.as_ref().is_some_and(|a| g(a)) {
                s.acl = None;
            }
        }
        for r in v.resources.iter_mut() {
            r.backends.retain(|b| !g(b));
            r.security_groups.retain(|b| !g(b));
        }
    }
    for c in p.classic.iter_mut() {
        c.backends.retain(|b| !g(b));
        c.security_groups.retain(|b| !g(b));
    }
    p.peerings.retain(|x| !g(&x.id) && !x.vpcs.iter().any(|x| g(x)));
    p.ccns.retain(|x| !g(&x.id));
    for c in p.ccns.iter_mut() {
        c.vpcs.retain(|v| !g(v));
    }
    p.links.retain(|l| !g(&l.instance) && !g(&l.vpc));
    p.terminal_connections.retain(|t| !g(&t.id) && !g(&t.target) && !g(&t.vpc));
    p.security_groups.retain(|x| !g(&x.id));
    // A rule naming a deleted group as its peer names nothing: it goes, as every other reference does.
    for x in p.security_groups.iter_mut() {
        for list in [&mut x.ingress, &mut x.egress] {
            list.retain(|r| !r.peer.group().is_some_and(|p| g(p)));
        }
    }
    p.network_acls.retain(|x| !g(&x.id));
    let refers = |e: &Endpoint| matches!(e, Endpoint::Id(s) if g(s));
    p.expectations.retain(|e| !refers(&e.from) && !refers(&e.to));
    validate(&p).map_err(|e| e.errors)?;
    Ok(p)
}

/// Points every reference to `old` at `new`: links, terminal connections, CLB backends, security group lists, rules
/// naming a group as their peer, a resource's subnet, subnet ACLs, peerings, CCN memberships and expectations (the
/// same references [`delete_object`] removes). The object itself is renamed by the caller.
fn rename_references(p: &mut Plan, old: &str, new: &str) {
    let to = |s: &mut Name| {
        if *s == old {
            *s = Name::from(new);
        }
    };
    for v in p.vpcs.iter_mut() {
        for s in v.subnets.iter_mut() {
            s.acl.iter_mut().for_each(to);
        }
        for r in v.resources.iter_mut() {
            to(&mut r.subnet);
            r.backends.iter_mut().for_each(to);
            r.security_groups.iter_mut().for_each(to);
        }
    }
    for c in p.classic.iter_mut() {
        c.backends.iter_mut().for_each(to);
        c.security_groups.iter_mut().for_each(to);
    }
    p.peerings.iter_mut().for_each(|x| x.vpcs.iter_mut().for_each(to));
    p.ccns.iter_mut().for_each(|x| x.vpcs.iter_mut().for_each(to));
    for l in p.links.iter_mut() {
        to(&mut l.instance);
        to(&mut l.vpc);
    }
    for t in p.terminal_connections.iter_mut() {
        to(&mut t.target);
        to(&mut t.vpc);
    }
    for x in p.security_groups.iter_mut() {
        for r in x.ingress.iter_mut().chain(x.egress.iter_mut()) {
            if let Peer::Group(peer) = &mut r.peer {
                to(peer);
            }
        }
    }
    for e in p.expectations.iter_mut() {
        for end in [&mut e.from, &mut e.to] {
            if matches!(end, Endpoint::Id(s) if s.as_str() == old) {
                *end = Endpoint::Id(new.into());
            }
        }
    }
}

/// The plan without expectation `index`.
pub fn delete_expectation(plan: &Plan, index: usize) -> Result<Plan, Vec<PlanError>> {
    if index >= plan.expectations.len() {
        return Err(vec![err(format!("expectations[{index}]"), "no such expectation".to_string())]);
    }
    let mut p = plan.clone();
    p.expectations.remove(index);
    Ok(p)
}

/// Which kind of object `id` is, if the plan holds it.
pub fn kind_of(plan: &Plan, id: &str) -> Option<ObjectKind> {
    if plan.classic_instance(id).is_some() {
        return Some(ObjectKind::Classic);
    }
    for v in &plan.vpcs {
        if v.id == id {
            return Some(ObjectKind::Vpc);
        }
        if v.subnet(id).is_some() {
            return Some(ObjectKind::Subnet);
        }
        if v.resources.iter().any(|r| r.id == id) {
            return Some(ObjectKind::Resource);
        }
        if v.gateways.iter().any(|g| g.id == id) {
            return Some(ObjectKind::Gateway);
        }
    }
    if plan.peerings.iter().any(|p| p.id == id) {
        return Some(ObjectKind::Peering);
    }
    if plan.ccns.iter().any(|c| c.id == id) {
        return Some(ObjectKind::Ccn);
    }
    if plan.security_group(id).is_some() {
        return Some(ObjectKind::SecurityGroup);
    }
    if plan.network_acl(id).is_some() {
        return Some(ObjectKind::NetworkAcl);
    }
    if plan.terminal_connections.iter().any(|t| t.id == id) {
        return Some(ObjectKind::TerminalConnection);
    }
    None
}

/// One error as a form shows it: under a field of the edited object, or in the form's list only, in words that name
/// fields by their labels and other objects by their IDs (a person filling in a form has no use for `classic[15].ip`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The edited object's field it is shown under (its key), if it is at one.
    pub field: Option<&'static str>,
    /// What is wrong, with no JSON location.
    pub message: String,
    /// The line in the form's list: the field's label, or the other object's ID, then the message.
    pub line: String,
    /// The error as the plan's check gave it, with its JSON location.
    pub error: PlanError,
}

/// The lists of a plan whose items are at `list[i]`.
const LISTS: [&str; 9] = [
    "classic",
    "vpcs",
    "peerings",
    "ccns",
    "terminal_connections",
    "security_groups",
    "network_acls",
    "links",
    "expectations",
];

/// A JSON location inside a message (`classic[3]`, `vpcs[0].subnets[1].cidr`): where it is in the text, the object's
/// part (`vpcs[0].subnets[1]`) and the field after it, if any (`cidr`).
struct Token<'a> {
    range: std::ops::Range<usize>,
    object: &'a str,
    field: Option<&'a str>,
}

/// The digits of `[n]` at the start of `s`: the length of `[n]`.
fn index_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('[')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && rest[digits..].starts_with(']')).then_some(digits + 2)
}

/// The JSON locations in a message, in order.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    while at < text.len() {
        let rest = &text[at..];
        let before_ok = !text[..at].ends_with(word);
        let found = LISTS.iter().find_map(|l| {
            let n = rest.strip_prefix(l).and_then(index_len)?;
            Some(l.len() + n)
        });
        let Some(mut end) = found.filter(|_| before_ok).map(|n| at + n) else {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        for inner in [".subnets", ".resources", ".gateways"] {
            if let Some(n) = text[end..].strip_prefix(inner).and_then(index_len) {
                end += inner.len() + n;
                break;
            }
        }
        let object_end = end;
        let mut field = None;
        if let Some(f) = text[end..].strip_prefix('.') {
            let n = f.bytes().take_while(|b| b.is_ascii_lowercase() || *b == b'_').count();
            if n > 0 {
                field = Some(&text[end + 1..end + 1 + n]);
                end += 1 + n;
                end += index_len(&text[end..]).unwrap_or(0);
            }
        }
        out.push(Token { range: at..end, object: &text[at..object_end], field });
        at = end;
    }
    out
}

/// The ID of the object at a location (`classic[3]`, `vpcs[0].resources[2]`), if the plan has one there.
fn id_at(plan: &Plan, object: &str) -> Option<String> {
    let (list, rest) = object.split_once('[')?;
    let (i, rest) = rest.split_once(']')?;
    let i: usize = i.parse().ok()?;
    let inner = rest.strip_prefix('.').and_then(|r| {
        let (l, r) = r.split_once('[')?;
        Some((l, r.trim_end_matches(']').parse::<usize>().ok()?))
    });
    let id = match (list, inner) {
        ("classic", None) => plan.classic.get(i)?.id.to_string(),
        ("vpcs", None) => plan.vpcs.get(i)?.id.to_string(),
        ("vpcs", Some(("subnets", j))) => plan.vpcs.get(i)?.subnets.get(j)?.id.to_string(),
        ("vpcs", Some(("resources", j))) => plan.vpcs.get(i)?.resources.get(j)?.id.to_string(),
        ("vpcs", Some(("gateways", j))) => plan.vpcs.get(i)?.gateways.get(j)?.id.to_string(),
        ("peerings", None) => plan.peerings.get(i)?.id.to_string(),
        ("ccns", None) => plan.ccns.get(i)?.id.to_string(),
        ("terminal_connections", None) => plan.terminal_connections.get(i)?.id.to_string(),
        ("security_groups", None) => plan.security_groups.get(i)?.id.to_string(),
        ("network_acls", None) => plan.network_acls.get(i)?.id.to_string(),
        ("links", None) => format!("the link of {}", plan.links.get(i)?.instance),
        ("expectations", None) => format!("expectation {i}"),
        _ => return None,
    };
    Some(id)
}

impl Problem {
    /// Whether it is shown under the field `key`: its own, and a peering's error about its two VPCs (`.vpcs`) under
    /// both VPC fields.
    pub fn at_field(&self, key: &str) -> bool {
        self.field == Some(key) || (matches!(key, "vpc_a" | "vpc_b") && self.error.path.ends_with(".vpcs"))
    }
}

impl Form {
    /// Where the object this form edits is (or goes) in the plan with the form applied: `classic[15]`,
    /// `vpcs[0].subnets[2]`. `None` when its VPC is none of the plan's.
    pub fn object_at(&self, plan: &Plan) -> Option<String> {
        let orig = self.original.as_deref();
        let vpc = || plan.vpcs.iter().position(|v| v.id == self.text("vpc"));
        Some(match self.kind {
            ObjectKind::Classic => {
                format!("classic[{}]", index_or_end(plan.classic.iter().map(|c| c.id.as_str()), orig))
            }
            ObjectKind::Vpc => format!("vpcs[{}]", index_or_end(plan.vpcs.iter().map(|v| v.id.as_str()), orig)),
            ObjectKind::Subnet => {
                let vi = vpc()?;
                let i = index_or_end(plan.vpcs[vi].subnets.iter().map(|s| s.id.as_str()), orig);
                format!("vpcs[{vi}].subnets[{i}]")
            }
            ObjectKind::Resource => {
                let vi = vpc()?;
                let i = index_or_end(plan.vpcs[vi].resources.iter().map(|r| r.id.as_str()), orig);
                format!("vpcs[{vi}].resources[{i}]")
            }
            ObjectKind::Gateway => {
                let vi = vpc()?;
                let i = index_or_end(plan.vpcs[vi].gateways.iter().map(|g| g.id.as_str()), orig);
                format!("vpcs[{vi}].gateways[{i}]")
            }
            ObjectKind::Peering => {
                format!("peerings[{}]", index_or_end(plan.peerings.iter().map(|p| p.id.as_str()), orig))
            }
            ObjectKind::Ccn => format!("ccns[{}]", index_or_end(plan.ccns.iter().map(|c| c.id.as_str()), orig)),
            ObjectKind::SecurityGroup => {
                format!("security_groups[{}]", index_or_end(plan.security_groups.iter().map(|g| g.id.as_str()), orig))
            }
            ObjectKind::NetworkAcl => {
                format!("network_acls[{}]", index_or_end(plan.network_acls.iter().map(|a| a.id.as_str()), orig))
            }
            ObjectKind::TerminalConnection => format!(
                "terminal_connections[{}]",
                index_or_end(plan.terminal_connections.iter().map(|t| t.id.as_str()), orig)
            ),
            ObjectKind::Expectation => format!(
                "expectations[{}]",
                orig.and_then(|o| o.parse::<usize>().ok()).unwrap_or(plan.expectations.len())
            ),
        })
    }

    /// The form field an error's location (relative to the edited object: `ip`, `security_groups[1]`,
    /// `vpcs[0]`) is about.
    fn field_of(&self, rel: &str) -> Option<&'static str> {
        let key = &rel[..rel.find(['.', '[']).unwrap_or(rel.len())];
        if self.kind == ObjectKind::Peering && key == "vpcs" {
            return Some(if rel.starts_with("vpcs[1]") { "vpc_b" } else { "vpc_a" });
        }
        self.kind
            .fields()
            .iter()
            .map(|f| f.key)
            .find(|k| *k == key && (rel.len() == key.len() || !rel[key.len()..].starts_with('.')))
    }

    fn label_of(&self, key: &str) -> &'static str {
        self.kind.fields().iter().find(|f| f.key == key).map_or("", |f| f.label)
    }

    /// A message with its JSON locations in words: the edited object's fields by their labels, other objects by
    /// their IDs (`swap`: a location of the edited object that stands for `swap`'s object, in a message said from
    /// the other side).
    fn plain(&self, plan: &Plan, at: Option<&str>, message: &str, swap: Option<&str>) -> String {
        let mut out = String::new();
        let mut last = 0;
        for t in tokens(message) {
            let ours = Some(t.object) == at;
            let words = match (ours, swap, t.field.and_then(|f| self.field_of(f))) {
                (true, Some(other), _) => Some(other.to_string()),
                (true, None, Some(key)) => Some(self.label_of(key).to_string()),
                (true, None, None) => Some(self.text("id")).filter(|id| !id.is_empty()),
                (false, _, _) => id_at(plan, t.object),
            };
            let Some(words) = words else { continue };
            out.push_str(&message[last..t.range.start]);
            last = t.range.end;
            // `X's address (classic[0])`: the ID is said already. `used at classic[0].id`: used by X.
            if out.ends_with('(') && message[last..].starts_with(')') && out.contains(&words) {
                out.truncate(out.len() - 1);
                out.truncate(out.trim_end().len());
                last += 1;
                continue;
            }
            if out.ends_with("used at ") {
                // `duplicate ID "x": already used by classic instance x`: both have the ID, the kind tells them apart.
                out.truncate(out.len() - "at ".len());
                out.push_str("by ");
                if let Some(kind) = kind_of(plan, &words) {
                    out.push_str(kind.noun());
                    out.push(' ');
                }
            } else if out.ends_with("the subnet at ") {
                out.truncate(out.len() - "the subnet at ".len());
                out.push_str("subnet ");
            }
            out.push_str(&words);
        }
        out.push_str(&message[last..]);
        out
    }

    /// The form's errors as it shows them (see [`Problem`]), each once and from the edited object's side: an address
    /// that the edited object shares with another is said at the edited object's field, naming the other, and not
    /// again at the other's naming the edited one. `plan`: the plan the form edits.
    pub fn problems(&self, plan: &Plan) -> Vec<Problem> {
        let at = self.object_at(plan);
        let under = |path: &str| -> Option<String> {
            let at = at.as_deref()?;
            let rel = path.strip_prefix(at).and_then(|r| r.strip_prefix('.'))?;
            // A VPC's subnets, resources and gateways are objects of their own.
            let child = ["subnets[", "resources[", "gateways["].iter().any(|c| rel.starts_with(c));
            (!child).then(|| rel.to_string())
        };
        let keys: Vec<&str> = self.values.iter().map(|(k, _)| *k).collect();
        let mut out = Vec::new();
        for e in &self.errors {
            let (field, message) = if let Some(rel) = under(&e.path) {
                let message = self.plain(plan, at.as_deref(), &e.message, None);
                match self.field_of(&rel) {
                    Some(key) => (Some(key), message),
                    None => {
                        // A rule's cell: `ingress[2].port`.
                        let line = match rel.split_once('[').zip(rel.split_once("].")) {
                            Some(((dir, _), (row, col))) => {
                                let row: usize = row.rsplit('[').next().and_then(|r| r.parse().ok()).unwrap_or(0);
                                let dir = if dir == "egress" { "Egress" } else { "Ingress" };
                                // Numbered from 0, as the rule table's "#" column and the CLI's rule index are.
                                format!(
                                    "{dir} rule {}, {}: {message}",
                                    row,
                                    if matches!(col, "cidr" | "group") { "peer" } else { col }
                                )
                            }
                            None => format!("{rel}: {message}"),
                        };
                        out.push(Problem { field: None, message, line, error: e.clone() });
                        continue;
                    }
                }
            } else if keys.contains(&e.path.as_str()) {
                (self.field_of(&e.path), e.message.clone())
            } else if let Some(other) =
                tokens(&e.path).first().filter(|t| t.range.start == 0).and_then(|t| id_at(plan, t.object))
            {
                let rel = e.path.split_once('.').map_or("", |(_, r)| r);
                let names_us = at.as_deref().is_some_and(|a| tokens(&e.message).iter().any(|t| t.object == a));
                let key = self.field_of(rel.split_once('.').map_or(rel, |(_, r)| r)).or_else(|| self.field_of(rel));
                if names_us && key.is_some() {
                    // The same conflict from the other side: said once, at the edited object's field.
                    let ours_too = self.errors.iter().any(|x| under(&x.path).is_some_and(|r| self.field_of(&r) == key));
                    if ours_too {
                        continue;
                    }
                    (key, self.plain(plan, at.as_deref(), &e.message, Some(&other)))
                } else {
                    let message = self.plain(plan, at.as_deref(), &e.message, None);
                    out.push(Problem { field: None, line: format!("{other}: {message}"), message, error: e.clone() });
                    continue;
                }
            } else {
                // No location (a form whose object is gone says so in words).
                let line = format!("{} {}", e.path, e.message);
                out.push(Problem { field: None, message: e.message.clone(), line, error: e.clone() });
                continue;
            };
            // An empty ID is required, as the other required fields say, rather than `"" is not a valid ID`.
            let message = if field == Some("id") && self.get("id").trim().is_empty() {
                "required: an ID of letters, digits, '-' and '_'".to_string()
            } else {
                message
            };
            let line = match field {
                Some(key) => format!("{}: {message}", self.label_of(key)),
                None => message.clone(),
            };
            if !out.iter().any(|p: &Problem| p.line == line) {
                out.push(Problem { field, message, line, error: e.clone() });
            }
        }
        // In the order of the form's fields, to be read beside it (the check finds required fields first); problems
        // at no field of the form (a rule's cell, another object) after them, as they came.
        let fields = self.kind.fields();
        let place = |p: &Problem| p.field.and_then(|k| fields.iter().position(|f| f.key == k)).unwrap_or(usize::MAX);
        crate::domain::sort::sort_by_key(&mut out, place);
        out
    }

    /// Whether a problem is shown now: once the user has typed or asked to save; an empty field's only once the
    /// user changed that field or asked to save (it is required, not wrong, while the user is elsewhere).
    pub fn shows(&self, p: &Problem) -> bool {
        if !self.touched {
            return false;
        }
        match p.field {
            Some(key) if self.get(key).trim().is_empty() => self.submitted || self.edited.contains(&key),
            _ => true,
        }
    }
}
