//! The plan: what a user draws, exports, shares and re-imports (`plan-format.md`, version 1).
//!
//! These types are the JSON shape itself (serde, snake_case). Reading a plan goes through [`crate::domain::load`],
//! which adds the checks JSON types cannot express (unique and resolvable IDs, subnets inside their VPC, IPs inside
//! their subnet) and names the JSON location of every problem. Printing a plan is [`Plan::to_json`]: deterministic,
//! so `export(import(x))` is byte-stable and `import(export(p)) == p`.

use super::addr::{Cidr, Ports, Protocol};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::Ipv4Addr;

/// An ID, a reference to one, or a region: a short string stored inline (no allocation up to 23 bytes), so that
/// reading one does not chase a pointer.
pub type Name = smol_str::SmolStr;

/// The value of the `format` key.
pub const FORMAT: &str = "classiclink-plan";
/// The newest plan version this build writes and reads.
pub const VERSION: u32 = 1;
/// Tencent's default quota of classic CVMs per VPC (`vpc-max-basic-network-interconnections`).
pub const DEFAULT_LINKS_PER_VPC: u32 = 100;

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A whole plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub format: String,
    pub version: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub account: Account,
    #[serde(default, skip_serializing_if = "is_default")]
    pub quotas: Quotas,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classic: Vec<ClassicInstance>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpcs: Vec<Vpc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peerings: Vec<Peering>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ccns: Vec<Ccn>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terminal_connections: Vec<TerminalConnection>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<SecurityGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_acls: Vec<NetworkAcl>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<Expectation>,
}

impl Default for Plan {
    fn default() -> Plan {
        Plan {
            format: FORMAT.to_string(),
            version: VERSION,
            name: String::new(),
            account: Account::default(),
            quotas: Quotas::default(),
            classic: Vec::new(),
            vpcs: Vec::new(),
            peerings: Vec::new(),
            ccns: Vec::new(),
            links: Vec::new(),
            terminal_connections: Vec::new(),
            security_groups: Vec::new(),
            network_acls: Vec::new(),
            expectations: Vec::new(),
        }
    }
}

/// Drops the whitespace between the tokens of JSON text; whitespace inside strings stays (serde_json escapes control
/// characters in strings, so a string holds no raw newline). Copies the runs between whitespace, not byte by byte.
fn minify(json: &str) -> String {
    let bytes = json.as_bytes();
    let mut out = Vec::with_capacity(json.len());
    let (mut i, mut run) = (0, 0);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // Past the string: to its closing quote, stepping over each escaped character.
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    i += if c == b'\\' { 2 } else { 1 };
                    if c == b'"' {
                        break;
                    }
                }
            }
            b' ' | b'\n' | b'\t' | b'\r' => {
                out.extend_from_slice(&bytes[run..i]);
                while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                run = i;
            }
            _ => i += 1,
        }
    }
    out.extend_from_slice(&bytes[run..]);
    // Only ASCII bytes were dropped, each outside any multi-byte character.
    String::from_utf8(out).expect("JSON text stays UTF-8")
}

impl Plan {
    /// The plan as pretty JSON (two-space indent, keys in declaration order, a final newline).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a plan always serialises");
        s.push('\n');
        s
    }

    /// The plan as compact JSON (for share links): [`Plan::to_json`] without the whitespace between tokens, which is
    /// exactly what `serde_json::to_string` writes. Written from the pretty text so that the web app carries one
    /// serializer of the plan, not two (about 8 KB of wasm each).
    pub fn to_json_compact(&self) -> String {
        minify(&self.to_json())
    }

    /// The classic instance with this ID.
    pub fn classic_instance(&self, id: &str) -> Option<&ClassicInstance> {
        self.classic.iter().find(|c| c.id == id)
    }

    /// The VPC with this ID.
    pub fn vpc(&self, id: &str) -> Option<&Vpc> {
        self.vpcs.iter().find(|v| v.id == id)
    }

    /// The first link the plan lists for a classic instance, if any: not necessarily one Tencent Cloud made (a plan
    /// may list links it would have refused); the link an instance holds is [`super::refs::Refs::held`]'s.
    pub fn first_listed_link(&self, instance: &str) -> Option<&Link> {
        self.links.iter().find(|l| l.instance == instance)
    }

    /// The security group with this ID.
    pub fn security_group(&self, id: &str) -> Option<&SecurityGroup> {
        self.security_groups.iter().find(|g| g.id == id)
    }

    /// The network ACL with this ID.
    pub fn network_acl(&self, id: &str) -> Option<&NetworkAcl> {
        self.network_acls.iter().find(|a| a.id == id)
    }
}

/// `account`: which networks the account has.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    #[serde(default)]
    pub platforms: Platforms,
}

/// `account.platforms` (`supportedPlatforms` in `DescribeAccountVpcAttributes`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Platforms {
    /// The account has a classic network.
    #[default]
    #[serde(rename = "classic")]
    Classic,
    /// Registered after 2017-06-13: VPC only, no classic network.
    #[serde(rename = "only-vpc")]
    OnlyVpc,
}

/// `quotas`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quotas {
    /// Classic CVMs one VPC accepts.
    #[serde(default = "default_links_per_vpc")]
    pub links_per_vpc: u32,
}

fn default_links_per_vpc() -> u32 {
    DEFAULT_LINKS_PER_VPC
}

impl Default for Quotas {
    fn default() -> Quotas {
        Quotas { links_per_vpc: DEFAULT_LINKS_PER_VPC }
    }
}

/// What an instance is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Cvm,
    Clb,
    Mysql,
    Memcached,
    Redis,
    Mongodb,
    Mariadb,
    Postgresql,
    Sqlserver,
    Tdsql,
}

impl Kind {
    /// Every kind, in the order the UI offers them.
    pub const ALL: [Kind; 10] = [
        Kind::Cvm,
        Kind::Clb,
        Kind::Mysql,
        Kind::Memcached,
        Kind::Redis,
        Kind::Mongodb,
        Kind::Mariadb,
        Kind::Postgresql,
        Kind::Sqlserver,
        Kind::Tdsql,
    ];

    /// The plan's name for the kind.
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Cvm => "cvm",
            Kind::Clb => "clb",
            Kind::Mysql => "mysql",
            Kind::Memcached => "memcached",
            Kind::Redis => "redis",
            Kind::Mongodb => "mongodb",
            Kind::Mariadb => "mariadb",
            Kind::Postgresql => "postgresql",
            Kind::Sqlserver => "sqlserver",
            Kind::Tdsql => "tdsql",
        }
    }

    /// A person's name for the kind.
    pub fn label(&self) -> &'static str {
        match self {
            Kind::Cvm => "CVM",
            Kind::Clb => "CLB",
            Kind::Mysql => "MySQL",
            Kind::Memcached => "Memcached",
            Kind::Redis => "Redis",
            Kind::Mongodb => "MongoDB",
            Kind::Mariadb => "MariaDB",
            Kind::Postgresql => "PostgreSQL",
            Kind::Sqlserver => "SQL Server",
            Kind::Tdsql => "TDSQL",
        }
    }

    /// Whether it is a cloud server (the only kind Classiclink links).
    pub fn is_cvm(&self) -> bool {
        *self == Kind::Cvm
    }

    /// Whether a terminal connection can map it into a VPC (seed 001: CLB, MySQL, Memcached, Redis, MongoDB).
    pub fn terminal_connectable(&self) -> bool {
        matches!(self, Kind::Clb | Kind::Mysql | Kind::Memcached | Kind::Redis | Kind::Mongodb)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The state of an instance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    #[default]
    Running,
    Stopped,
    /// Isolated for arrears (欠费隔离).
    Isolated,
    /// Security isolation (安全隔离).
    SecurityIsolated,
    /// Returned (terminated): gone.
    Returned,
}

impl State {
    /// Every state, in the order the UI offers them.
    pub const ALL: [State; 5] =
        [State::Running, State::Stopped, State::Isolated, State::SecurityIsolated, State::Returned];

    /// The plan's name for the state.
    pub fn as_str(&self) -> &'static str {
        match self {
            State::Running => "running",
            State::Stopped => "stopped",
            State::Isolated => "isolated",
            State::SecurityIsolated => "security_isolated",
            State::Returned => "returned",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An instance in the classic network (`classic[]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassicInstance {
    pub id: Name,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub region: Name,
    #[serde(default, skip_serializing_if = "Name::is_empty")]
    pub zone: Name,
    /// The private IP Tencent assigned.
    #[serde(deserialize_with = "super::addr::ipv4")]
    pub ip: Ipv4Addr,
    /// CVM only; default running.
    #[serde(default, skip_serializing_if = "is_default")]
    pub state: State,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<Name>,
    /// CLB only: the instance IDs it binds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backends: Vec<Name>,
}

/// A VPC (`vpcs[]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vpc {
    pub id: Name,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub region: Name,
    /// The primary CIDR.
    pub cidr: Cidr,
    /// Secondary (assistant) CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assistant_cidrs: Vec<Cidr>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Subnet>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<Gateway>,
}

impl Vpc {
    /// The subnet with this ID.
    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.id == id)
    }

    /// The assistant CIDR holding `ip`, if any.
    pub fn assistant_cidr_of(&self, ip: Ipv4Addr) -> Option<&Cidr> {
        self.assistant_cidrs.iter().find(|c| c.contains(ip))
    }

    /// Whether `ip` is in the primary or an assistant CIDR.
    pub fn holds(&self, ip: Ipv4Addr) -> bool {
        self.cidr.contains(ip) || self.assistant_cidr_of(ip).is_some()
    }
}

/// A subnet (`vpcs[].subnets[]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    pub id: Name,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub cidr: Cidr,
    #[serde(default, skip_serializing_if = "Name::is_empty")]
    pub zone: Name,
    /// The network ACL bound to the subnet; none filters nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Name>,
}

/// A resource inside a VPC (`vpcs[].resources[]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub id: Name,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub subnet: Name,
    #[serde(deserialize_with = "super::addr::ipv4")]
    pub ip: Ipv4Addr,
    /// Extension of v1: default running.
    #[serde(default, skip_serializing_if = "is_default")]
    pub state: State,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<Name>,
    /// CLB only: the instance IDs it binds (VPC resources or classic CVMs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backends: Vec<Name>,
}

/// A gateway kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GatewayKind {
    /// VPN gateway: leads to `remote_cidrs`.
    Vpn,
    /// Direct Connect gateway: leads to `remote_cidrs`.
    DirectConnect,
    /// NAT gateway: leads to the internet.
    Nat,
    /// Public gateway: leads to the internet.
    Public,
}

impl GatewayKind {
    /// Every kind, in the order the UI offers them.
    pub const ALL: [GatewayKind; 4] =
        [GatewayKind::Vpn, GatewayKind::DirectConnect, GatewayKind::Nat, GatewayKind::Public];

    /// The plan's name.
    pub fn as_str(&self) -> &'static str {
        match self {
            GatewayKind::Vpn => "vpn",
            GatewayKind::DirectConnect => "direct_connect",
            GatewayKind::Nat => "nat",
            GatewayKind::Public => "public",
        }
    }

    /// A person's name.
    pub fn label(&self) -> &'static str {
        match self {
            GatewayKind::Vpn => "VPN gateway",
            GatewayKind::DirectConnect => "Direct Connect gateway",
            GatewayKind::Nat => "NAT gateway",
            GatewayKind::Public => "public gateway",
        }
    }

    /// Whether it leads to remote private CIDRs (VPN, Direct Connect) rather than the internet.
    pub fn has_remote_cidrs(&self) -> bool {
        matches!(self, GatewayKind::Vpn | GatewayKind::DirectConnect)
    }
}

/// A gateway (`vpcs[].gateways[]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    pub id: Name,
    pub kind: GatewayKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// VPN and Direct Connect only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remote_cidrs: Vec<Cidr>,
}

/// A peering connection between exactly two VPCs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Peering {
    pub id: Name,
    pub vpcs: Vec<Name>,
}

/// A Cloud Connect Network joining any number of VPCs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ccn {
    pub id: Name,
    pub vpcs: Vec<Name>,
}

/// A classic CVM linked to a VPC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub instance: Name,
    pub vpc: Name,
    /// The CVM's private IP when the link was made; omitted means its current IP.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::addr::ipv4_opt")]
    pub ip: Option<Ipv4Addr>,
    /// Extension of v1: an IP change invalidated the link although the CVM has the IP it was made for again (it
    /// changed and changed back). Seed 001: an IP change invalidates the record, which stays invalid until the link
    /// is made again; comparing IPs alone would call it valid. Needs `ip`; written only when true.
    #[serde(default, skip_serializing_if = "is_default")]
    pub invalidated: bool,
}

impl Link {
    /// The IP the link was made for, when an IP change invalidated it (CL010): its instance's private IP is now
    /// `current` and that is another, or it changed and came back ([`Link::invalidated`]). `None` while the link
    /// is made for the current IP (or records none).
    pub fn ip_before(&self, current: Ipv4Addr) -> Option<Ipv4Addr> {
        self.ip.filter(|&ip| ip != current || self.invalidated)
    }

    /// Whether the link is invalid by its flag alone: an IP change invalidated it and its CVM has the IP it was made
    /// for again (`now`). A link made for another IP than the CVM's is invalid by that alone, flagged or not, and the
    /// change sets and the diff compare it by the IP: a flag cleared on it makes no link again.
    pub fn came_back(&self, now: Option<Ipv4Addr>) -> bool {
        self.invalidated && self.ip.is_some() && self.ip == now
    }
}

/// What became of a CVM's private IP since its link was made for `made_for`, now `now`, said after "its IP" in a
/// message about the invalid link: "is now 10.66.12.9", or for an IP changed and changed back, "changed since, and is
/// 10.66.12.8 again".
pub fn ip_now(made_for: Ipv4Addr, now: Ipv4Addr) -> String {
    if made_for == now {
        format!("changed since, and is {now} again")
    } else {
        format!("is now {now}")
    }
}

/// A terminal connection: a classic non-CVM instance mapped into a VPC at `ip`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalConnection {
    pub id: Name,
    pub target: Name,
    pub vpc: Name,
    #[serde(deserialize_with = "super::addr::ipv4")]
    pub ip: Ipv4Addr,
}

/// A rule's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    #[serde(rename = "ACCEPT")]
    Accept,
    #[serde(rename = "DROP")]
    Drop,
}

impl Action {
    /// `ACCEPT` or `DROP`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Action::Accept => "ACCEPT",
            Action::Drop => "DROP",
        }
    }
}

/// One security group or ACL rule. Its JSON is [`RuleJson`]: the peer is written as `cidr` or `group`, exactly one.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(try_from = "RuleJson")]
pub struct FilterRule {
    pub protocol: Protocol,
    pub port: Ports,
    /// The other end of the packet: its source for an ingress rule, its destination for an egress rule.
    pub peer: Peer,
    pub action: Action,
    pub description: String,
}

/// A rule's peer: the addresses it matches (plan v1), or the instances bound to a security group (an extension of
/// v1, security group rules only, as Tencent Cloud's `SecurityGroupId` source or destination).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Peer {
    /// An IPv4 CIDR or a single IP (`cidr`).
    Cidr(Cidr),
    /// A security group's ID (`group`): every instance bound to it, and no other address.
    Group(Name),
}

impl Peer {
    /// The CIDR, for a peer given as one.
    pub fn cidr(&self) -> Option<&Cidr> {
        match self {
            Peer::Cidr(c) => Some(c),
            Peer::Group(_) => None,
        }
    }

    /// The security group, for a peer given as one.
    pub fn group(&self) -> Option<&Name> {
        match self {
            Peer::Cidr(_) => None,
            Peer::Group(g) => Some(g),
        }
    }

    /// Reads a rule's peer as a person types it (the rule editors' peer cell): a CIDR or a single IP, else a security
    /// group's ID. Text starting with a digit is read as an address, so that a mistyped one says what is wrong with it
    /// rather than naming a group; whether the group exists is the plan's check ([`super::load::validate`]).
    pub fn parse(text: &str) -> Result<Peer, String> {
        Peer::read(text, "an IPv4 CIDR (a.b.c.d/n), an IP (a.b.c.d) or a security group ID (like sg-web)")
    }

    /// Reads a network ACL rule's peer cell: as [`Peer::parse`], but what it says the cell needs is an address only
    /// (an ACL takes no security group). A group's ID typed there is still read as one, for the plan's check to
    /// refuse it in words ("names a CIDR or an IP, not a security group").
    pub fn parse_acl(text: &str) -> Result<Peer, String> {
        Peer::read(text, "an IPv4 CIDR (a.b.c.d/n) or an IP (a.b.c.d)")
    }

    /// [`Peer::parse`], saying that an empty or unreadable cell needs `what`.
    fn read(text: &str, what: &str) -> Result<Peer, String> {
        let text = text.trim();
        match text.parse::<Cidr>() {
            Ok(c) => Ok(Peer::Cidr(c)),
            Err(e) if text.starts_with(|c: char| c.is_ascii_digit()) => Err(e.to_string()),
            Err(_) if super::load::valid_id(text) => Ok(Peer::Group(text.into())),
            // A new rule's empty cell: what it needs, as the forms' other empty required fields say.
            Err(_) if text.is_empty() => Err(format!("required: {what}")),
            Err(_) => Err(format!("{text:?} is not {what}")),
        }
    }
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Cidr(c) => write!(f, "{c}"),
            Peer::Group(g) => f.write_str(g),
        }
    }
}

/// A rule as JSON: the fields in their order, the peer as `cidr` or `group`. Two optional fields, rather than one
/// field that holds either, keep every v1 plan (always `cidr`) what it was, byte for byte, and make a group
/// impossible to mistake for an address; [`FilterRule`]'s conversion refuses both or neither. Written the same way, in
/// the same order, by `RuleJsonOut`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleJson {
    protocol: Protocol,
    port: Ports,
    #[serde(default)]
    cidr: Option<Cidr>,
    #[serde(default)]
    group: Option<Name>,
    action: Action,
    #[serde(default)]
    description: String,
}

/// A rule written as [`RuleJson`] reads it, borrowed from the rule: printing a plan copies none of its rules.
#[derive(Serialize)]
struct RuleJsonOut<'a> {
    protocol: &'a Protocol,
    port: &'a Ports,
    #[serde(skip_serializing_if = "Option::is_none")]
    cidr: Option<&'a Cidr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a Name>,
    action: &'a Action,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
}

impl Serialize for FilterRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RuleJsonOut {
            protocol: &self.protocol,
            port: &self.port,
            cidr: self.peer.cidr(),
            group: self.peer.group(),
            action: &self.action,
            description: &self.description,
        }
        .serialize(s)
    }
}

impl TryFrom<RuleJson> for FilterRule {
    type Error = &'static str;

    fn try_from(r: RuleJson) -> Result<FilterRule, &'static str> {
        let peer = match (r.cidr, r.group) {
            (Some(c), None) => Peer::Cidr(c),
            (None, Some(g)) => Peer::Group(g),
            (Some(_), Some(_)) => return Err("a rule names its peer once: a cidr or a group, not both"),
            (None, None) => {
                return Err("missing field `cidr`: a rule names its peer, a cidr (or, in a security group, a group)")
            }
        };
        Ok(FilterRule { protocol: r.protocol, port: r.port, peer, action: r.action, description: r.description })
    }
}

/// A security group: stateful, first match, unmatched dropped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroup {
    pub id: Name,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default)]
    pub ingress: Vec<FilterRule>,
    #[serde(default)]
    pub egress: Vec<FilterRule>,
}

/// A network ACL: stateless, first match, default deny, at the subnet boundary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkAcl {
    pub id: Name,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default)]
    pub ingress: Vec<FilterRule>,
    #[serde(default)]
    pub egress: Vec<FilterRule>,
}

/// An endpoint of a question: an object ID or an IPv4 address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum Endpoint {
    /// An IPv4 address (anything that parses as one).
    Ip(Ipv4Addr),
    /// An object ID.
    Id(String),
}

impl From<String> for Endpoint {
    fn from(s: String) -> Endpoint {
        match s.parse::<Ipv4Addr>() {
            Ok(ip) => Endpoint::Ip(ip),
            Err(_) => Endpoint::Id(s),
        }
    }
}

impl From<&str> for Endpoint {
    fn from(s: &str) -> Endpoint {
        Endpoint::from(s.to_string())
    }
}

impl From<Endpoint> for String {
    fn from(e: Endpoint) -> String {
        e.to_string()
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Ip(ip) => write!(f, "{ip}"),
            Endpoint::Id(id) => f.write_str(id),
        }
    }
}

/// An expectation: the plan's own contract about one flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    pub from: Endpoint,
    pub to: Endpoint,
    /// Default TCP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// Default 22 for TCP and UDP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub reachable: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl Expectation {
    /// The protocol asked about (TCP when unset).
    pub fn protocol(&self) -> Protocol {
        self.protocol.unwrap_or(Protocol::Tcp)
    }

    /// The port asked about (22 when unset).
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(22)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;

    /// The peer cell reads a CIDR, an IP or a security group ID; an address typed wrong says what is wrong with it.
    #[test]
    fn a_peer_is_read_as_a_cidr_an_ip_or_a_group() {
        let cidr = |s: &str| Ok(Peer::Cidr(s.parse().unwrap()));
        let table: &[(&str, Result<Peer, String>)] = &[
            ("10.0.0.0/8", cidr("10.0.0.0/8")),
            (" 10.66.12.7 ", cidr("10.66.12.7")),
            ("0.0.0.0/0", cidr("0.0.0.0/0")),
            ("sg-web", Ok(Peer::Group("sg-web".into()))),
            (" sg_2 ", Ok(Peer::Group("sg_2".into()))),
            ("10.0.0.1/16", Err("host bits are set past the prefix (did you mean 10.0.0.0/16?)".into())),
            ("10.0.0.0/33", Err("the prefix length must be 0 to 32".into())),
            ("10.66.12", Err("not an IPv4 CIDR (expected a.b.c.d/n or a.b.c.d)".into())),
            (
                "",
                Err("required: an IPv4 CIDR (a.b.c.d/n), an IP (a.b.c.d) or a security group ID (like sg-web)".into()),
            ),
            (
                "sg web",
                Err("\"sg web\" is not an IPv4 CIDR (a.b.c.d/n), an IP (a.b.c.d) or a security group ID (like sg-web)"
                    .into()),
            ),
        ];
        for (text, want) in table {
            assert_eq!(&Peer::parse(text), want, "{text:?}");
        }
        for text in ["10.0.0.0/8", "10.66.12.7", "sg-web"] {
            assert_eq!(Peer::parse(text).unwrap().to_string(), text, "printed as written");
        }
    }

    /// A network ACL rule's peer is read as any rule's, but an empty or unreadable one is told it needs an address
    /// only: an ACL takes no security group (one typed is read as a group, for the plan's check to refuse).
    #[test]
    fn an_acl_peer_asks_for_an_address_only() {
        let table: &[(&str, Result<Peer, String>)] = &[
            ("10.0.0.0/8", Ok(Peer::Cidr("10.0.0.0/8".parse().unwrap()))),
            ("sg-web", Ok(Peer::Group("sg-web".into()))),
            ("10.66.12", Err("not an IPv4 CIDR (expected a.b.c.d/n or a.b.c.d)".into())),
            ("", Err("required: an IPv4 CIDR (a.b.c.d/n) or an IP (a.b.c.d)".into())),
            ("sg web", Err("\"sg web\" is not an IPv4 CIDR (a.b.c.d/n) or an IP (a.b.c.d)".into())),
        ];
        for (text, want) in table {
            assert_eq!(&Peer::parse_acl(text), want, "{text:?}");
        }
    }
}
