//! Addresses, protocols and port sets as the plan writes them.
//!
//! Every type here parses from the plan's text form and prints back to a canonical text form, so that
//! `export(import(x))` is byte-stable.

use ipnet::Ipv4Net;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

/// An IPv4 CIDR block, written either `a.b.c.d/n` or as a single address `a.b.c.d` (a /32).
///
/// The host bits must be zero (`10.0.0.1/16` is refused: Tencent Cloud refuses it too), so the written form
/// and the network are the same thing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr {
    net: Ipv4Net,
    /// Written as a bare address (no `/32`): printed back the same way.
    bare: bool,
}

impl Cidr {
    /// A CIDR from an address and a prefix length; `None` when the prefix is over 32 or host bits are set.
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Option<Cidr> {
        let net = Ipv4Net::new(addr, prefix).ok()?;
        (net.network() == addr).then_some(Cidr { net, bare: false })
    }

    /// The network address.
    pub fn network(&self) -> Ipv4Addr {
        self.net.network()
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.net.prefix_len()
    }

    /// The last address of the block.
    pub fn last(&self) -> Ipv4Addr {
        self.net.broadcast()
    }

    /// Whether `ip` lies in this block.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        self.net.contains(&ip)
    }

    /// Whether `other` lies wholly inside this block.
    pub fn covers(&self, other: &Cidr) -> bool {
        self.net.contains(&other.net)
    }

    /// Whether the two blocks share at least one address.
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.net.contains(&other.net.network()) || other.net.contains(&self.net.network())
    }

    /// The number of addresses in the block.
    pub fn size(&self) -> u64 {
        1u64 << (32 - u32::from(self.prefix()))
    }

    /// Which end of a subnet's block `ip` is, `"first"` or `"last"`, if it is one: they name the network and its
    /// broadcast, and no instance has them (in a block of four addresses or more; the smallest have no such ends).
    pub fn end_of(&self, ip: Ipv4Addr) -> Option<&'static str> {
        match self.size() >= 4 {
            true if ip == self.network() => Some("first"),
            true if ip == self.last() => Some("last"),
            _ => None,
        }
    }
}

/// For each block, the first block before it (in slice order) that shares an address with it, if any: what
/// comparing each block with every earlier one finds, in time n log n (a VPC may hold thousands of subnets).
///
/// Two CIDR blocks are either disjoint or one holds the other, so the blocks form a forest by containment: sorted by
/// network address (the larger block first), a stack of the blocks still open gives each its nearest holder. The
/// blocks overlapping one are its holders and the blocks it holds; the first of them is the smaller of two minima,
/// one carried down the forest and one gathered up it.
pub fn first_earlier_overlap(blocks: &[Cidr]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    order.sort_unstable_by_key(|&i| (blocks[i].network(), blocks[i].prefix(), i));
    // By sorted position: the nearest holder, the first index among all holders, the first index among all held.
    let mut parent: Vec<Option<usize>> = vec![None; order.len()];
    let mut above = vec![usize::MAX; order.len()];
    let mut below = vec![usize::MAX; order.len()];
    let mut open: Vec<usize> = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        while open.last().is_some_and(|&t| blocks[order[t]].last() < blocks[i].network()) {
            open.pop();
        }
        if let Some(&t) = open.last() {
            parent[k] = Some(t);
            above[k] = above[t].min(order[t]);
        }
        open.push(k);
    }
    for k in (0..order.len()).rev() {
        if let Some(t) = parent[k] {
            below[t] = below[t].min(below[k]).min(order[k]);
        }
    }
    let mut first = vec![None; blocks.len()];
    for (k, &i) in order.iter().enumerate() {
        let m = above[k].min(below[k]);
        if m < i {
            first[i] = Some(m);
        }
    }
    first
}

/// Why a CIDR could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CidrError {
    /// Not `a.b.c.d` or `a.b.c.d/n`.
    Syntax,
    /// The prefix length is over 32.
    Prefix,
    /// Bits are set past the prefix (`10.0.0.1/16`); the field carries the network it would be.
    HostBits(String),
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CidrError::Syntax => f.write_str("not an IPv4 CIDR (expected a.b.c.d/n or a.b.c.d)"),
            CidrError::Prefix => f.write_str("the prefix length must be 0 to 32"),
            CidrError::HostBits(n) => write!(f, "host bits are set past the prefix (did you mean {n}?)"),
        }
    }
}

impl std::error::Error for CidrError {}

impl FromStr for Cidr {
    type Err = CidrError;
    fn from_str(s: &str) -> Result<Cidr, CidrError> {
        let s = s.trim();
        match s.split_once('/') {
            None => {
                let addr = Ipv4Addr::from_str(s).map_err(|_| CidrError::Syntax)?;
                Ok(Cidr { net: Ipv4Net::new(addr, 32).expect("32 is a valid prefix"), bare: true })
            }
            Some((a, p)) => {
                let addr = Ipv4Addr::from_str(a).map_err(|_| CidrError::Syntax)?;
                if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 2 {
                    return Err(CidrError::Syntax);
                }
                let prefix: u8 = p.parse().map_err(|_| CidrError::Syntax)?;
                let net = Ipv4Net::new(addr, prefix).map_err(|_| CidrError::Prefix)?;
                if net.network() != addr {
                    return Err(CidrError::HostBits(net.trunc().to_string()));
                }
                Ok(Cidr { net, bare: false })
            }
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.bare && self.prefix() == 32 {
            write!(f, "{}", self.network())
        } else {
            write!(f, "{}", self.net)
        }
    }
}

impl fmt::Debug for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Cidr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cidr, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(|e: CidrError| serde::de::Error::custom(format!("{s:?}: {e}")))
    }
}

/// Reads an IPv4 address, naming the text it refuses (`"10.66.12" is not an IPv4 address`), as CIDRs are refused;
/// the standard library's message does not say what was read.
pub fn parse_ipv4(text: &str) -> Result<Ipv4Addr, String> {
    text.parse().map_err(|_| format!("{text:?} is not an IPv4 address"))
}

/// Reads an IPv4 address field of the plan ([`parse_ipv4`]). For `#[serde(deserialize_with)]`.
pub fn ipv4<'de, D: Deserializer<'de>>(d: D) -> Result<Ipv4Addr, D::Error> {
    parse_ipv4(&String::deserialize(d)?).map_err(serde::de::Error::custom)
}

/// [`ipv4`] for an optional field (`null` or absent is `None`).
pub fn ipv4_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Ipv4Addr>, D::Error> {
    Option::<String>::deserialize(d)?.map(|s| parse_ipv4(&s)).transpose().map_err(serde::de::Error::custom)
}

/// A transport protocol as security group and ACL rules name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    Tcp,
    Udp,
    Icmp,
    /// Every protocol (in a rule) or all traffic (in a question: every protocol and port).
    All,
}

impl Protocol {
    /// Every protocol, in the order the UI offers them.
    pub const ALL_VALUES: [Protocol; 4] = [Protocol::Tcp, Protocol::Udp, Protocol::Icmp, Protocol::All];

    /// The canonical upper-case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Icmp => "ICMP",
            Protocol::All => "ALL",
        }
    }

    /// Whether the protocol has ports (TCP and UDP).
    pub fn has_ports(&self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Protocol {
    type Err = String;
    fn from_str(s: &str) -> Result<Protocol, String> {
        match s.trim().to_ascii_uppercase().as_str() {
            "TCP" => Ok(Protocol::Tcp),
            "UDP" => Ok(Protocol::Udp),
            "ICMP" => Ok(Protocol::Icmp),
            "ALL" => Ok(Protocol::All),
            _ => Err(format!("{s:?} is not a protocol (expected TCP, UDP, ICMP or ALL)")),
        }
    }
}

impl Serialize for Protocol {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Protocol {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Protocol, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A port set: `ALL`, `N`, `N-M`, or a comma list of those.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Ports {
    /// Inclusive ranges, in the order written; empty means ALL.
    ranges: Vec<(u16, u16)>,
}

impl Ports {
    /// Every port.
    pub fn all() -> Ports {
        Ports { ranges: Vec::new() }
    }

    /// One port.
    pub fn single(p: u16) -> Ports {
        Ports { ranges: vec![(p, p)] }
    }

    /// Whether this is `ALL`.
    pub fn is_all(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Whether `port` is in the set.
    pub fn contains(&self, port: u16) -> bool {
        self.is_all() || self.ranges.iter().any(|&(a, b)| a <= port && port <= b)
    }

    /// The ranges (empty for ALL).
    pub fn ranges(&self) -> &[(u16, u16)] {
        &self.ranges
    }
}

/// A port as a person types it: digits only (Rust's own parser takes "+22"), 1-65535.
pub fn parse_port(s: &str) -> Option<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u16>().ok().filter(|&p| p > 0)
}

impl FromStr for Ports {
    type Err = String;
    fn from_str(s: &str) -> Result<Ports, String> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("ALL") {
            return Ok(Ports::all());
        }
        let mut ranges = Vec::new();
        for part in t.split(',') {
            let part = part.trim();
            let num = |x: &str| -> Result<u16, String> {
                let x = x.trim();
                // Digits only (what `parse_port` takes), else it is no port at all; digits out of 1-65535 are a port
                // out of range.
                if x.is_empty() || !x.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("{s:?} is not a port set (expected ALL, N, N-M or a comma list)"));
                }
                parse_port(x).ok_or_else(|| format!("port {x} is outside 1-65535"))
            };
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (num(a)?, num(b)?),
                None => {
                    let n = num(part)?;
                    (n, n)
                }
            };
            if a > b {
                return Err(format!("port range {a}-{b} runs backwards"));
            }
            ranges.push((a, b));
        }
        Ok(Ports { ranges })
    }
}

impl fmt::Display for Ports {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("ALL");
        }
        for (i, &(a, b)) in self.ranges.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if a == b {
                write!(f, "{a}")?;
            } else {
                write!(f, "{a}-{b}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Ports {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Ports {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ports {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ports, D::Error> {
        // Tencent writes ports as strings; accept a bare number too.
        let v = serde_json::Value::deserialize(d)?;
        match v {
            serde_json::Value::String(s) => s.parse().map_err(serde::de::Error::custom),
            serde_json::Value::Number(n) => n.to_string().parse().map_err(serde::de::Error::custom),
            other => Err(serde::de::Error::custom(format!("{other} is not a port set"))),
        }
    }
}

/// Whether a block lies in the Classiclink range: inside one of 10.0.0.0/16, 10.1.0.0/16, ... 10.47.0.0/16.
///
/// A block is inside one of those exactly when it is a /16 or smaller, starts with 10 and its second octet is at
/// most 47: `10.47.255.0/24` is in, `10.48.0.0/16` is out, and `10.32.0.0/11` (larger than a /16) is out.
pub fn in_classiclink_range(c: &Cidr) -> bool {
    let o = c.network().octets();
    c.prefix() >= 16 && o[0] == 10 && o[1] <= 47
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;

    #[test]
    fn cidr_parse_and_print() {
        let table: &[(&str, Result<&str, CidrError>)] = &[
            ("10.0.0.0/16", Ok("10.0.0.0/16")),
            ("10.0.0.7", Ok("10.0.0.7")),
            ("10.0.0.7/32", Ok("10.0.0.7/32")),
            (" 10.1.0.0/16 ", Ok("10.1.0.0/16")),
            ("0.0.0.0/0", Ok("0.0.0.0/0")),
            ("10.0.0.1/16", Err(CidrError::HostBits("10.0.0.0/16".into()))),
            ("10.0.0.0/33", Err(CidrError::Prefix)),
            ("10.0.0/16", Err(CidrError::Syntax)),
            ("10.0.0.0/", Err(CidrError::Syntax)),
            ("10.0.0.0/+8", Err(CidrError::Syntax)),
            ("vpc", Err(CidrError::Syntax)),
            ("", Err(CidrError::Syntax)),
        ];
        for (input, want) in table {
            let got = input.parse::<Cidr>().map(|c| c.to_string());
            assert_eq!(got.as_deref().map_err(Clone::clone), want.clone(), "input {input:?}");
        }
    }

    #[test]
    fn cidr_relations() {
        let c = |s: &str| s.parse::<Cidr>().unwrap();
        assert!(c("10.0.0.0/16").covers(&c("10.0.1.0/24")));
        assert!(!c("10.0.1.0/24").covers(&c("10.0.0.0/16")));
        assert!(c("10.0.1.0/24").overlaps(&c("10.0.0.0/16")));
        assert!(!c("10.0.1.0/24").overlaps(&c("10.0.2.0/24")));
        assert!(c("10.0.0.0/16").contains("10.0.255.255".parse().unwrap()));
        assert!(!c("10.0.0.0/16").contains("10.1.0.0".parse().unwrap()));
        assert_eq!(c("10.0.0.0/24").size(), 256);
        assert_eq!(c("0.0.0.0/0").size(), 1 << 32);
    }

    #[test]
    fn classiclink_range_edges() {
        let table = [
            ("10.0.0.0/16", true),
            ("10.47.0.0/16", true),
            ("10.47.255.0/24", true),
            ("10.47.255.255/32", true),
            ("10.20.3.0/24", true),
            ("10.48.0.0/16", false),
            ("10.32.0.0/11", false),
            ("10.0.0.0/8", false),
            ("10.0.0.0/15", false),
            ("11.0.0.0/16", false),
            ("172.16.0.0/16", false),
            ("192.168.0.0/16", false),
            ("9.255.0.0/16", false),
        ];
        for (s, want) in table {
            assert_eq!(in_classiclink_range(&s.parse().unwrap()), want, "{s}");
        }
    }

    #[test]
    fn ports_parse_and_print() {
        let table: &[(&str, Result<&str, ()>)] = &[
            ("ALL", Ok("ALL")),
            ("all", Ok("ALL")),
            ("22", Ok("22")),
            ("80-90", Ok("80-90")),
            ("22, 80", Ok("22,80")),
            ("1-65535", Ok("1-65535")),
            ("0", Err(())),
            ("65536", Err(())),
            ("90-80", Err(())),
            ("http", Err(())),
            ("", Err(())),
            ("22,", Err(())),
            ("+22", Err(())),
            ("-22", Err(())),
            ("22-+30", Err(())),
            ("99999999999", Err(())),
            ("0022", Ok("22")),
        ];
        for (input, want) in table {
            let got = input.parse::<Ports>().map(|p| p.to_string()).map_err(|_| ());
            let want = want.map(str::to_string);
            assert_eq!(got, want, "{input:?}");
        }
        let p: Ports = "22,80-90".parse().unwrap();
        assert!(p.contains(22) && p.contains(85) && p.contains(90));
        assert!(!p.contains(23) && !p.contains(91));
        assert!(Ports::all().contains(1));
    }

    #[test]
    fn ports_are_digits() {
        let table = [("22", Some(22)), ("65535", Some(65535)), ("0022", Some(22)), ("0", None), ("65536", None)];
        for (s, want) in
            table.into_iter().chain([("+22", None), ("-1", None), (" 22", None), ("", None), ("2 2", None)])
        {
            assert_eq!(parse_port(s), want, "{s:?}");
        }
    }

    #[test]
    fn protocol_parse() {
        assert_eq!("tcp".parse::<Protocol>(), Ok(Protocol::Tcp));
        assert_eq!("ALL".parse::<Protocol>(), Ok(Protocol::All));
        assert!("GRE".parse::<Protocol>().is_err());
    }

    /// The sweep finds what comparing each block with every earlier one finds: a table of cases, then many
    /// pseudo-random sets of nested, equal and disjoint blocks.
    #[test]
    fn first_earlier_overlap_matches_the_pairwise_comparison() {
        let c = |s: &str| s.parse::<Cidr>().unwrap();
        let naive = |b: &[Cidr]| -> Vec<Option<usize>> {
            (0..b.len()).map(|j| (0..j).find(|&i| b[i].overlaps(&b[j]))).collect()
        };
        let table: &[(&[&str], &[Option<usize>])] = &[
            (&[], &[]),
            (&["10.0.1.0/24", "10.0.2.0/24"], &[None, None]),
            (&["10.0.1.0/24", "10.0.0.0/16"], &[None, Some(0)]),
            (&["10.0.0.0/16", "10.0.1.0/24", "10.0.1.0/24"], &[None, Some(0), Some(0)]),
            (&["10.0.1.0/24", "10.0.2.0/24", "10.0.0.0/16"], &[None, None, Some(0)]),
            (&["10.0.2.0/24", "10.1.0.0/16", "10.0.2.128/25"], &[None, None, Some(0)]),
        ];
        for (blocks, want) in table {
            let blocks: Vec<Cidr> = blocks.iter().map(|b| c(b)).collect();
            assert_eq!(first_earlier_overlap(&blocks), *want, "{blocks:?}");
            assert_eq!(naive(&blocks), *want, "{blocks:?}");
        }
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let n = (next() % 40) as usize;
            let blocks: Vec<Cidr> = (0..n)
                .map(|_| {
                    let prefix = 20 + (next() % 9) as u8;
                    let addr = 0x0a00_0000 | (next() as u32 & 0x3fff) << 8;
                    Cidr::new(Ipv4Addr::from(addr & (u32::MAX << (32 - prefix))), prefix).unwrap()
                })
                .collect();
            assert_eq!(first_earlier_overlap(&blocks), naive(&blocks), "{blocks:?}");
        }
    }
}
