//! Exporting links to what users run: tccli commands, Terraform HCL, or a JSON list of API calls.
//!
//! Either the links of one plan (everything to attach) or the changes between two plans (detaches first, then
//! attaches), both of the links Tencent Cloud would make of a plan's list ([`LinkFate::made`]): a listed link it
//! would refuse is left out, and named with why ([`not_made`]). Output is deterministic: calls grouped per VPC in ID order, instance IDs sorted, at most
//! [`MAX_IDS_PER_CALL`] instance IDs a call. An export of a plan with error findings is refused unless forced
//! ([`gate`]); the findings are an input so this module does not depend on the rules engine.

use super::finding::{Finding, Severity};
use super::load::valid_id;
use super::model::{Plan, State};
use super::refs::{LinkFate, MadeFor, Refs};
use super::sort;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

/// The VPC API version the calls belong to.
pub const API_VERSION: &str = "2017-03-12";
/// Instance IDs per `AttachClassicLinkVpc` / `DetachClassicLinkVpc` call (the API's own limit per VPC).
pub const MAX_IDS_PER_CALL: usize = 100;

/// What to export to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// `tccli vpc AttachClassicLinkVpc --cli-unfold-argument ...` lines, a shell script that waits for each call.
    Tccli,
    /// Terraform HCL: one `tencentcloud_vpc_classic_link_attachment` per link, one aliased provider per region.
    Terraform,
    /// A JSON array of `{Action, Version, Region, Parameters}`.
    Api,
}

impl ExportFormat {
    /// Every format, in the order the UI offers them.
    pub const ALL: [ExportFormat; 3] = [ExportFormat::Tccli, ExportFormat::Terraform, ExportFormat::Api];

    /// `tccli`, `terraform` or `api` (the CLI's `--to` values).
    pub fn as_str(&self) -> &'static str {
        match self {
            ExportFormat::Tccli => "tccli",
            ExportFormat::Terraform => "terraform",
            ExportFormat::Api => "api",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<ExportFormat, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tccli" => Ok(ExportFormat::Tccli),
            "terraform" | "tf" | "hcl" => Ok(ExportFormat::Terraform),
            "api" | "json" => Ok(ExportFormat::Api),
            _ => Err(format!("{s:?} is not an export format (expected tccli, terraform or api)")),
        }
    }
}

/// Which Classiclink API a call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum CallAction {
    /// Unlink; always ordered before attaches.
    DetachClassicLinkVpc,
    /// Link.
    AttachClassicLinkVpc,
}

impl CallAction {
    /// The API action name.
    pub fn as_str(&self) -> &'static str {
        match self {
            CallAction::DetachClassicLinkVpc => "DetachClassicLinkVpc",
            CallAction::AttachClassicLinkVpc => "AttachClassicLinkVpc",
        }
    }
}

/// One API call: one VPC, at most [`MAX_IDS_PER_CALL`] instances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Call {
    pub action: CallAction,
    /// The VPC's region (empty when the plan does not know the VPC).
    pub region: String,
    pub vpc: String,
    /// Sorted.
    pub instances: Vec<String>,
}

impl Call {
    /// The call as a tccli command line (no newline): its VPC's region where known, the IDs quoted for the shell.
    fn tccli_line(&self) -> String {
        let region =
            if self.region.is_empty() { String::new() } else { format!(" --region {}", shell_word(&self.region)) };
        format!(
            "tccli vpc {}{region} --cli-unfold-argument --VpcId {} --InstanceIds {}",
            self.action.as_str(),
            shell_word(&self.vpc),
            self.tccli_ids()
        )
    }

    /// The instances, quoted for the shell, separated by spaces.
    fn tccli_ids(&self) -> String {
        self.instances.iter().map(|i| shell_word(i)).collect::<Vec<_>>().join(" ")
    }
}

/// The link changes from `old` to `new` (or every link of `new` when there is no `old`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkChanges {
    /// `(vpc, instance)` to unlink: in `old`, not in `new`, or re-linked because the recorded IP changed.
    pub detach: BTreeSet<(String, String)>,
    /// `(vpc, instance)` to link.
    pub attach: BTreeSet<(String, String)>,
    /// `(vpc, instance)` present and unchanged in both (Terraform import hints).
    pub kept: BTreeSet<(String, String)>,
}

impl LinkChanges {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.detach.is_empty() && self.attach.is_empty()
    }
}

/// The link changes between two plans: between the links Tencent Cloud made of each plan's list ([`made_links`]),
/// not the links listed. A held link that moved VPC is detached and attached again elsewhere; one whose recorded IP
/// differs between the plans is detached and attached again (an IP change invalidates a link; it must be added
/// again). A listed link never made carries nothing: there is nothing to detach, and none is attached.
pub fn link_changes(old: Option<&Plan>, new: &Plan) -> LinkChanges {
    let mut c = LinkChanges::default();
    // A returned CVM has no link (returning unlinks it): none is attached for it (its links are not made), and none
    // detached once it is returned. (A sorted vector of IDs, not a set: each set type would compile another B-tree
    // into the web app.)
    let mut returned_now: Vec<&str> =
        new.classic.iter().filter(|x| x.state == State::Returned).map(|x| x.id.as_str()).collect();
    sort::sort(&mut returned_now);
    let old_links = old.map(made_links).unwrap_or_default();
    let new_links = made_links(new);
    // Made again: for another IP (an attach makes it for the IP its CVM has), or working where it was broken by an
    // IP change (its CVM has the IP it was made for again, no longer invalidated). A link the new plan has broken
    // under the same record (its CVM's IP changed under it, or the link invalidated) is kept: broken, said so; so is
    // one broken in both plans, whatever broke it in each.
    let made_again =
        |((was, _), was_broken): &Made, ((now, _), now_broken): &Made| was != now || (*was_broken && !*now_broken);
    for (k, made) in &old_links {
        match new_links.get(k) {
            None if returned_now.binary_search(&k.1.as_str()).is_ok() => {}
            None => {
                c.detach.insert(k.clone());
            }
            Some(now) if made_again(made, now) => {
                c.detach.insert(k.clone());
            }
            Some(_) => {
                c.kept.insert(k.clone());
            }
        }
    }
    for (k, now) in &new_links {
        if old_links.get(k).is_none_or(|made| made_again(made, now)) {
            c.attach.insert(k.clone());
        }
    }
    c
}

/// A made link as the change sets compare it: what it was made for, and whether an IP change broke it (made for an
/// IP its CVM no longer has, or invalidated: [`Refs::made_links`]).
type Made = (MadeFor, bool);

/// The links Tencent Cloud made of `p`'s list ([`Refs::made_links`]) by (VPC, instance), each with what it was made
/// for and whether it is broken: a link working again where it was broken is a relink.
fn made_links(p: &Plan) -> BTreeMap<(String, String), Made> {
    let mut m = BTreeMap::new();
    // Inserted one by one: collecting into a B-tree map sorts its input first, one more sort compiled into the app.
    for (link, made_for, broken) in Refs::new(p).made_links(p) {
        m.insert((link.vpc.to_string(), link.instance.to_string()), (made_for, broken.is_some()));
    }
    m
}

/// A listed link Tencent Cloud would not make ([`LinkFate`]): an export leaves it out, since it would fail the
/// all-or-nothing call it shares with the links that are made, and says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotMade {
    pub instance: String,
    pub vpc: String,
    /// Why, in words ([`LinkFate::why`]).
    pub why: String,
}

impl NotMade {
    /// One sentence for a comment or a note.
    pub fn note(&self) -> String {
        format!("not made: {} -> {} is left out: {}", self.instance, self.vpc, self.why)
    }
}

/// The listed links of `plan` that Tencent Cloud would not make, in plan order: what an export leaves out. A link
/// listed again is named once, and not at all when it is made (the first listing of a link is made if any is).
pub fn not_made(plan: &Plan) -> Vec<NotMade> {
    let refs = Refs::new(plan);
    let mut seen: rustc_hash::FxHashSet<(&str, &str)> = Default::default();
    let mut out = Vec::new();
    for (l, link) in plan.links.iter().enumerate() {
        if !seen.insert((link.instance.as_str(), link.vpc.as_str())) {
            continue;
        }
        let fate = refs.link_fate(plan, l);
        if let Some(why) = fate.why(plan, l).filter(|_| !fate.made()) {
            out.push(NotMade { instance: link.instance.to_string(), vpc: link.vpc.to_string(), why });
        }
    }
    out
}

/// A VPC's region: the new plan's, else the old one's, else empty (neither plan knows the VPC).
fn region_of(old: Option<&Plan>, new: &Plan, vpc: &str) -> String {
    new.vpc(vpc).or_else(|| old.and_then(|p| p.vpc(vpc))).map(|v| v.region.to_string()).unwrap_or_default()
}

/// A link both plans keep that the check calls invalid (CL010): made for an IP its CVM no longer has. The changes
/// leave it as it is, so an export says it must be detached and attached again instead of calling it existing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    pub vpc: String,
    pub instance: String,
    /// The IP the link was made for.
    pub made_for: Ipv4Addr,
    /// The CVM's private IP now.
    pub now: Ipv4Addr,
}

impl BrokenLink {
    /// One sentence for a comment or a note.
    pub fn note(&self) -> String {
        format!(
            "broken: {}'s link to {} was made for {}, but its private IP {}: the link is invalid and these \
             changes leave it as it is; detach it and attach it again",
            self.instance,
            self.vpc,
            self.made_for,
            crate::domain::model::ip_now(self.made_for, self.now)
        )
    }
}

/// The kept links (see [`LinkChanges::kept`]) made for an IP their CVM no longer has ([`LinkFate::IpChanged`]), in
/// (VPC, instance) order. Only a link Tencent Cloud made is broken: a refused one is left out ([`not_made`]). Only a
/// change set keeps links: the links of one plan are all attached, which makes them for the current IP.
pub fn broken_links(old: Option<&Plan>, new: &Plan) -> Vec<BrokenLink> {
    let kept = link_changes(old, new).kept;
    if kept.is_empty() {
        return Vec::new();
    }
    let refs = Refs::new(new);
    let mut out = Vec::new();
    for (l, link) in new.links.iter().enumerate() {
        let (Some(c), Some(made_for)) = (refs.link(l).0, link.ip) else { continue };
        if refs.link_fate(new, l) == LinkFate::IpChanged
            && kept.contains(&(link.vpc.to_string(), link.instance.to_string()))
        {
            out.push(BrokenLink {
                vpc: link.vpc.to_string(),
                instance: link.instance.to_string(),
                made_for,
                now: new.classic[c].ip,
            });
        }
    }
    sort::sort_by(&mut out, |a, b| (&a.vpc, &a.instance).cmp(&(&b.vpc, &b.instance)));
    out
}

/// The ordered calls for the changes: every detach, then every attach; per VPC in ID order, chunked.
pub fn calls(old: Option<&Plan>, new: &Plan) -> Vec<Call> {
    let c = link_changes(old, new);
    let region_of = |vpc: &str| region_of(old, new, vpc);
    let mut out = Vec::new();
    for (action, set) in [(CallAction::DetachClassicLinkVpc, &c.detach), (CallAction::AttachClassicLinkVpc, &c.attach)]
    {
        let mut per_vpc: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (vpc, ins) in set {
            per_vpc.entry(vpc).or_default().push(ins.clone());
        }
        for (vpc, instances) in per_vpc {
            for chunk in instances.chunks(MAX_IDS_PER_CALL) {
                out.push(Call { action, region: region_of(vpc), vpc: vpc.to_string(), instances: chunk.to_vec() });
            }
        }
    }
    out
}

/// Why an export was refused: the plan has error findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportRefused {
    /// The error findings, in the order given.
    pub findings: Vec<Finding>,
}

impl fmt::Display for ExportRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refusing to export: the plan has {} error finding(s)", self.findings.len())?;
        for x in &self.findings {
            write!(f, "\n  {} ({}): {}", x.rule, x.objects.join(", "), x.message)?;
        }
        f.write_str("\nfix them, or force the export")
    }
}

impl std::error::Error for ExportRefused {}

/// Refuses when any finding is an error, unless `force`.
pub fn gate(findings: &[Finding], force: bool) -> Result<(), ExportRefused> {
    let errors: Vec<Finding> = findings.iter().filter(|f| f.severity == Severity::Error).cloned().collect();
    if errors.is_empty() || force {
        Ok(())
    } else {
        Err(ExportRefused { findings: errors })
    }
}

/// [`gate`] then [`links_script`]: what the CLI and the app call. `findings` are the check's findings of `new`.
pub fn export_links(
    old: Option<&Plan>,
    new: &Plan,
    to: ExportFormat,
    findings: &[Finding],
    force: bool,
) -> Result<String, ExportRefused> {
    gate(findings, force)?;
    let script = links_script(old, new, to);
    // A forced export says so where the format has comments (the API call list is JSON, which has none: see
    // [`api_notes`]).
    let Some(note) = forced_note(findings).filter(|_| to != ExportFormat::Api) else {
        return Ok(script);
    };
    let note = format!("# {note}\n");
    // After a shell script's first line, the interpreter line.
    Ok(match script.split_once('\n') {
        Some((first, rest)) if first.starts_with("#!") => format!("{first}\n{note}{rest}"),
        _ => format!("{note}{script}"),
    })
}

/// What an export that went ahead despite error findings says at its top, or `None` without error findings.
fn forced_note(findings: &[Finding]) -> Option<String> {
    let mut rules: Vec<&str> = findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.rule).collect();
    if rules.is_empty() {
        return None;
    }
    let errors = rules.len();
    sort::sort(&mut rules);
    rules.dedup();
    Some(format!(
        "Exported by force despite {errors} error finding(s) ({}): check them before running this.",
        rules.join(", ")
    ))
}

/// What the JSON list of API calls cannot say, as sentences for the CLI's standard error: that it was forced past
/// error findings, each broken link the changes leave as it is, and each listed link left out because Tencent Cloud
/// would not make it (the comments of the other formats).
pub fn api_notes(old: Option<&Plan>, new: &Plan, findings: &[Finding]) -> Vec<String> {
    let mut notes: Vec<String> = forced_note(findings).into_iter().collect();
    notes.extend(broken_links(old, new).iter().map(BrokenLink::note));
    notes.extend(not_made(new).iter().map(NotMade::note));
    notes
}

/// The links of `new` (no `old`) or the changes from `old`, as text in the chosen format (ends with a newline).
pub fn links_script(old: Option<&Plan>, new: &Plan, to: ExportFormat) -> String {
    match to {
        ExportFormat::Tccli => tccli(old, new),
        ExportFormat::Terraform => terraform(old, new),
        ExportFormat::Api => api(old, new),
    }
}

/// A shell word for an ID: bare when it is a valid plan ID (letters, digits, `-`, `_`), single-quoted otherwise.
fn shell_word(s: &str) -> String {
    if valid_id(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The script's helper: `wait_links REGION VPC linked|unlinked INSTANCE...` polls `DescribeClassicLinkInstances` until
/// every instance is linked to the VPC (or none is), and stops the script when that has not happened in time. The
/// calls answer with a RequestId only, so the script waits for the state the call asks for, not for a task. One page
/// of 100 is the whole VPC (a VPC links at most 100 CVMs); tccli prints JSON, compared without its white space.
const TCCLI_WAIT: &str = r#"
# wait_links REGION VPC linked|unlinked INSTANCE...: waits until every INSTANCE is (linked) or none is (unlinked)
# linked to VPC, as DescribeClassicLinkInstances lists them; stops the script if that takes too long.
wait_links() {
  region=$1 vpc=$2 want=$3
  shift 3
  tries=0
  while :; do
    # Every page: a page lists at most 100 links, and a VPC whose quota is raised holds more.
    out='' offset=0 total=1
    while [ "$offset" -lt "$total" ]; do
      page=$(tccli vpc DescribeClassicLinkInstances ${region:+--region "$region"} --output json --cli-unfold-argument \
        --Filters.0.Name vpc-id --Filters.0.Values "$vpc" --Offset "$offset" --Limit 100)
      page=$(printf '%s' "$page" | tr -d ' \t\r\n')
      total=$(printf '%s' "$page" | sed -n 's/.*"TotalCount":\([0-9][0-9]*\).*/\1/p')
      total=${total:-0}
      out=$out$page
      offset=$((offset + 100))
    done
    pending=0
    for ins in "$@"; do
      case $out in
        *"\"InstanceId\":\"$ins\""*) [ "$want" = linked ] || pending=$((pending + 1)) ;;
        *) [ "$want" = unlinked ] || pending=$((pending + 1)) ;;
      esac
    done
    if [ "$pending" -eq 0 ]; then
      return 0
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge "${CLASSICLINK_POLL_TRIES:-120}" ]; then
      echo "classiclink: $pending instance(s) still not $want ($vpc) after $tries checks; stopping" >&2
      exit 1
    fi
    sleep "${CLASSICLINK_POLL_SECONDS:-5}"
  done
}
"#;

fn tccli(old: Option<&Plan>, new: &Plan) -> String {
    let calls = calls(old, new);
    let mut s = String::new();
    s.push_str("#!/bin/sh\n");
    s.push_str("# Stops at the first call that fails.\nset -e\n");
    s.push_str(&format!(
        "# Classiclink {} for plan {:?}, generated by classiclink.\n",
        if old.is_some() { "changes" } else { "links" },
        new.name
    ));
    s.push_str("# Each call is asynchronous (it answers before the link changes), and a CVM must be detached before\n");
    s.push_str(
        "# it is attached to another VPC: after each call, wait_links polls DescribeClassicLinkInstances until\n",
    );
    s.push_str("# the change is done, every $CLASSICLINK_POLL_SECONDS seconds (5), and stops the script after\n");
    s.push_str("# $CLASSICLINK_POLL_TRIES checks (120) without it (a failed call never gets there). Each call names\n");
    s.push_str("# its VPC's region (--region) where the plan knows it. Needs tccli, configured, and a POSIX sh.\n");
    for b in broken_links(old, new) {
        s.push_str(&format!("# {}\n", b.note()));
    }
    for n in not_made(new) {
        s.push_str(&format!("# {}\n", n.note()));
    }
    if calls.is_empty() {
        s.push_str("# No link changes.\n");
        return s;
    }
    s.push_str(TCCLI_WAIT);
    for c in &calls {
        let (verb, want) = match c.action {
            CallAction::DetachClassicLinkVpc => ("detach from", "unlinked"),
            CallAction::AttachClassicLinkVpc => ("attach to", "linked"),
        };
        s.push_str(&format!("\n# {verb} {} ({}): {} instance(s)\n", c.vpc, region_label(&c.region), c.instances.len()));
        s.push_str(&format!("{}\n", c.tccli_line()));
        s.push_str(&format!("wait_links {} {} {want} {}\n", shell_word(&c.region), shell_word(&c.vpc), c.tccli_ids()));
    }
    s
}

fn region_label(r: &str) -> &str {
    if r.is_empty() {
        "region unknown"
    } else {
        r
    }
}

/// `s` as Terraform identifier characters: lower-case letters and digits, `_` for anything else.
fn identifier_chars(s: &str) -> String {
    s.chars().map(|ch| if ch.is_ascii_alphanumeric() { ch.to_ascii_lowercase() } else { '_' }).collect()
}

/// A Terraform resource name: lower case, `[a-z0-9_]`, starting with a letter.
pub fn terraform_name(vpc: &str, instance: &str) -> String {
    format!("link_{}", identifier_chars(&format!("{vpc}_{instance}")))
}

/// An HCL string literal: quotes, backslashes and newlines escaped, and `${` / `%{` written `$${` / `%%{`.
fn hcl_string(s: &str) -> String {
    let mut o = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                o.push(ch);
                o.push(ch);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// A Terraform provider alias for a region: lower case, `[a-z0-9_]`, starting with a letter (`ap-guangzhou` becomes
/// `ap_guangzhou`), so that `tencentcloud.<alias>` is a valid reference.
pub fn terraform_alias(region: &str) -> String {
    let mut a = identifier_chars(region);
    if !a.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
        a.insert_str(0, "region_");
    }
    a
}

/// Names for `keys`, one each, from `base` of each key: the base itself where no other key's base is the same, else
/// the base with `_` and eight hex digits of a hash of the key (`web` and `WEB` both sanitise to `web`). A key's name
/// depends only on the keys whose base is the same as its own, never on their order: a link keeps its name from
/// one export to the next while no such twin comes or goes (Terraform would destroy and make it again under a new
/// name). Two keys of one base whose hashes also agree (about one pair in four billion) take a counter as well.
fn unique_names<K: Copy>(keys: &[K], base: impl Fn(K) -> String, text: impl Fn(K) -> String) -> Vec<String> {
    // Counted in hash maps: a plan ten times Tencent's largest declares 20,000 links.
    let bases: Vec<String> = keys.iter().map(|&k| base(k)).collect();
    let mut count: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for b in &bases {
        *count.entry(b.as_str()).or_default() += 1;
    }
    let hashed = |(&k, b): (&K, &String)| match count[b.as_str()] {
        1 => b.clone(),
        _ => format!("{b}_{:08x}", fnv1a(&text(k))),
    };
    let names: Vec<String> = keys.iter().zip(&bases).map(hashed).collect();
    let mut seen: rustc_hash::FxHashMap<&str, usize> = Default::default();
    names
        .iter()
        .map(|n| {
            let twins = seen.entry(n.as_str()).or_default();
            *twins += 1;
            if *twins == 1 {
                n.clone()
            } else {
                format!("{n}_{twins}")
            }
        })
        .collect()
}

/// The 32-bit FNV-1a hash of `s`: small, fixed for all time (Rust's own hashers may change between releases, and a
/// name made from one must not).
fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// The resource name of each link (`(vpc, instance)`) declared together in one export.
fn terraform_names(links: &[(&str, &str)]) -> Vec<String> {
    unique_names(links, |(v, i)| terraform_name(v, i), |(v, i)| format!("{v}\n{i}"))
}

/// The Terraform resource type of a link.
const TF_TYPE: &str = "tencentcloud_vpc_classic_link_attachment";

fn terraform(old: Option<&Plan>, new: &Plan) -> String {
    let c = link_changes(old, new);
    let mut s = String::new();
    s.push_str(&format!("# Classiclink links of plan {:?}, generated by classiclink.\n", new.name));
    s.push_str(&format!("# {TF_TYPE} takes exactly one instance; both fields force a new resource.\n"));
    for n in not_made(new) {
        s.push_str(&format!("# {}\n", n.note()));
    }
    // The links declared: the new plan's, without returned CVMs (returning unlinks them), each with its name.
    let mut links: Vec<(&str, &str)> = c.attach.iter().chain(&c.kept).map(|(v, i)| (v.as_str(), i.as_str())).collect();
    sort::sort(&mut links);
    links.dedup();
    let named: Vec<(&str, &str, String)> =
        links.iter().zip(terraform_names(&links)).map(|(&(vpc, ins), name)| (vpc, ins, name)).collect();
    // Looked up by hash: a --since export asks for every kept link's name (20,000 at ten times Tencent's size).
    let by_pair: rustc_hash::FxHashMap<(&str, &str), &str> =
        named.iter().map(|(v, i, n)| ((*v, *i), n.as_str())).collect();
    let name_of =
        |vpc: &str, ins: &str| by_pair.get(&(vpc, ins)).map_or_else(|| terraform_name(vpc, ins), |n| n.to_string());
    // The names the old plan's own export gave its links: a link removed is destroyed under its old name, and one
    // kept whose name changed (a twin came or went) is moved to its new name rather than made again.
    let old_links: Vec<(String, String)> =
        old.map(|o| link_changes(None, o).attach.into_iter().collect()).unwrap_or_default();
    let old_pairs: Vec<(&str, &str)> = old_links.iter().map(|(v, i)| (v.as_str(), i.as_str())).collect();
    let old_by_pair: rustc_hash::FxHashMap<(&str, &str), String> =
        old_pairs.iter().copied().zip(terraform_names(&old_pairs)).collect();
    let old_name_of = |vpc: &str, ins: &str| old_by_pair.get(&(vpc, ins)).cloned();
    // One provider per region, for the links declared and the ones removed (Terraform destroys those with the
    // provider their state names, which must still be configured). A VPC neither plan knows has no region.
    let mut regions: Vec<String> =
        c.attach.iter().chain(&c.kept).chain(&c.detach).map(|(v, _)| region_of(old, new, v)).collect();
    regions.retain(|r| !r.is_empty());
    sort::sort(&mut regions);
    regions.dedup();
    let region_refs: Vec<&str> = regions.iter().map(String::as_str).collect();
    let aliases: Vec<(String, &str)> =
        unique_names(&region_refs, terraform_alias, str::to_string).into_iter().zip(region_refs).collect();
    let alias_of = |vpc: &str| {
        let r = region_of(old, new, vpc);
        aliases.iter().find(|(_, x)| *x == r).map(|(a, _)| a.as_str())
    };
    if !aliases.is_empty() {
        s.push_str(
            "# Each link is made in its VPC's region: one provider alias per region (give them credentials as\n",
        );
        s.push_str("# your default tencentcloud provider has, or through the environment).\n");
    }
    if old.is_some() {
        let region = |vpc: &str| region_of(old, new, vpc);
        let names = Names { new: &name_of, old: &old_name_of };
        terraform_changes(&c, &broken_links(old, new), new.quotas.links_per_vpc, names, &region, &mut s);
    }
    if named.is_empty() {
        s.push_str("# No links.\n");
    }
    // The provider's registry address: without it, `terraform init` looks for hashicorp/tencentcloud, which does
    // not exist (the provider is published as tencentcloudstack/tencentcloud).
    s.push_str(TF_REQUIRED_PROVIDERS);
    for (alias, region) in &aliases {
        s.push_str(&format!(
            "\nprovider \"tencentcloud\" {{\n  alias  = {}\n  region = {}\n}}\n",
            hcl_string(alias),
            hcl_string(region)
        ));
    }
    for (vpc, ins, name) in &named {
        let (comment, provider) = match alias_of(vpc) {
            Some(a) => (String::new(), format!("  provider     = tencentcloud.{a}\n")),
            None => (
                format!("# {vpc}'s region is unknown: this link uses the default tencentcloud provider.\n"),
                String::new(),
            ),
        };
        s.push_str(&format!(
            "\n{comment}resource \"{TF_TYPE}\" \"{name}\" {{\n{provider}  vpc_id       = {}\n  instance_ids = [{}]\n}}\n",
            hcl_string(vpc),
            hcl_string(ins)
        ));
    }
    // A kept link whose name changed since the old plan's export (a link whose IDs sanitise alike came or went):
    // moved, not destroyed and made again (which would detach it).
    for (vpc, ins, name) in &named {
        if let Some(was) = old_name_of(vpc, ins).filter(|was| was != name) {
            s.push_str(&format!("\nmoved {{\n  from = {TF_TYPE}.{was}\n  to   = {TF_TYPE}.{name}\n}}\n"));
        }
    }
    s
}

/// The `terraform` block naming where the provider comes from (its source address in the Terraform registry).
const TF_REQUIRED_PROVIDERS: &str = "\nterraform {\n  required_providers {\n    tencentcloud = {\n      source = \"tencentcloudstack/tencentcloud\"\n    }\n  }\n}\n";

/// A link's resource name in the new plan's export, and in the old plan's (`None` for a link it did not declare).
#[derive(Clone, Copy)]
struct Names<'a> {
    new: &'a dyn Fn(&str, &str) -> String,
    old: &'a dyn Fn(&str, &str) -> Option<String>,
}

/// The comments on a change set: how to make Terraform do what it would not by itself (a relink, a move, a removal
/// before an addition at the quota), the import of each kept link, and each broken one's repair.
fn terraform_changes(
    c: &LinkChanges,
    broken: &[BrokenLink],
    quota: u32,
    names: Names<'_>,
    region_of: &dyn Fn(&str) -> String,
    s: &mut String,
) {
    let name_of = names.new;
    // Terraform destroys only what its state holds: a link made outside it (the console, tccli) is detached by hand.
    let by_hand = |vpc: &str, ins: &str| {
        let action = CallAction::DetachClassicLinkVpc;
        let call = Call { action, region: region_of(vpc), vpc: vpc.to_string(), instances: vec![ins.to_string()] };
        format!("#   Not in Terraform's state? Detach it by hand: {}\n", call.tccli_line())
    };
    for (vpc, ins) in &c.detach {
        let relinked = c.attach.contains(&(vpc.clone(), ins.clone()));
        let moved_to = c.attach.iter().find(|(v, i)| i == ins && v != vpc).map(|(v, _)| v);
        let old_name = (names.old)(vpc, ins).unwrap_or_else(|| terraform_name(vpc, ins));
        if relinked {
            // Same VPC and instance: the configuration does not change, so Terraform would do nothing.
            s.push_str(&format!(
                "# relink: {ins} in {vpc} (its IP changed, so the link must be added again): \
                 terraform apply -replace={TF_TYPE}.{}\n",
                name_of(vpc, ins)
            ));
        } else if let Some(to) = moved_to {
            // Terraform does not order a destroy before another resource's create: detach first.
            s.push_str(&format!(
                "# moved: {ins} from {vpc} to {to}. Detach first (a CVM links to one VPC at a time): \
                 terraform apply -target={TF_TYPE}.{old_name}, then terraform apply\n"
            ));
            s.push_str(&by_hand(vpc, ins));
        } else if c.attach.iter().any(|(v, _)| v == vpc) {
            // The same ordering: a VPC at its quota refuses the new one until the old one is gone.
            s.push_str(&format!(
                "# removed: {ins} from {vpc}, which also gains links. If {vpc} is at its {quota}-link quota, detach \
                 first: terraform apply -target={TF_TYPE}.{old_name}, then terraform apply\n"
            ));
            s.push_str(&by_hand(vpc, ins));
        } else {
            s.push_str(&format!("# removed: {ins} from {vpc} (terraform destroys its resource)\n"));
            s.push_str(&by_hand(vpc, ins));
        }
    }
    for (vpc, ins) in &c.kept {
        let name = name_of(vpc, ins);
        match broken.iter().find(|b| b.vpc == *vpc && b.instance == *ins) {
            // Replacing the resource detaches and attaches it again; an unmanaged link is imported first.
            Some(b) => s.push_str(&format!(
                "# {}: terraform apply -replace={TF_TYPE}.{name} (import it first if Terraform does not manage it \
                 yet: terraform import {TF_TYPE}.{name} {vpc}#{ins})\n",
                b.note()
            )),
            None => s.push_str(&format!("# existing: terraform import {TF_TYPE}.{name} {vpc}#{ins}\n")),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ApiCall<'a> {
    action: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    region: &'a str,
    parameters: ApiParams<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ApiParams<'a> {
    vpc_id: &'a str,
    instance_ids: &'a [String],
}

fn api(old: Option<&Plan>, new: &Plan) -> String {
    let calls = calls(old, new);
    let list: Vec<ApiCall<'_>> = calls
        .iter()
        .map(|c| ApiCall {
            action: c.action.as_str(),
            version: API_VERSION,
            region: &c.region,
            parameters: ApiParams { vpc_id: &c.vpc, instance_ids: &c.instances },
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&list).expect("calls serialise");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use crate::browser_test as test;
    use crate::domain::load::import;
    use crate::domain::model::Link;

    const EXAMPLE: &str = include_str!("../../tests/fixtures/plan-format-example.json");

    fn example() -> Plan {
        import(EXAMPLE).unwrap()
    }

    /// Splits a shell line into words (no expansions: plain words and single quotes only).
    fn shell_words(line: &str) -> Result<Vec<String>, String> {
        let mut words = Vec::new();
        let mut cur = String::new();
        let mut in_word = false;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                ' ' => {
                    if in_word {
                        words.push(std::mem::take(&mut cur));
                        in_word = false;
                    }
                }
                '\'' => {
                    in_word = true;
                    loop {
                        match chars.next() {
                            Some('\'') => break,
                            Some(x) => cur.push(x),
                            None => return Err(format!("unterminated quote in {line:?}")),
                        }
                    }
                }
                '"' | '$' | '`' | ';' | '&' | '|' | '<' | '>' | '\\' | '(' | ')' | '*' | '?' => {
                    return Err(format!("shell metacharacter {c:?} in {line:?}"))
                }
                c => {
                    in_word = true;
                    cur.push(c);
                }
            }
        }
        if in_word {
            words.push(cur);
        }
        Ok(words)
    }

    /// The tccli calls of a script, each checked as shell words with safe IDs, each followed by the wait for its
    /// own change (same region, VPC and instances). The helper's lines are indented, the calls are not.
    fn tccli_calls(script: &str) -> Vec<(String, String, Vec<String>)> {
        let mut out = Vec::new();
        assert!(script.contains("\nset -e\n"), "the script stops at the first failing call");
        let lines: Vec<&str> = script.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if !line.starts_with("tccli ") {
                continue;
            }
            let w = shell_words(line).unwrap();
            assert_eq!(&w[..3], ["tccli", "vpc", w[2].as_str()]);
            assert!(w[2] == "AttachClassicLinkVpc" || w[2] == "DetachClassicLinkVpc", "{line}");
            // The region, where the plan knows it.
            let (region, w) = if w[3] == "--region" {
                assert!(valid_id(&w[4]), "{} is a region", w[4]);
                (w[4].clone(), [&w[..3], &w[5..]].concat())
            } else {
                (String::new(), w)
            };
            assert_eq!(w[3], "--cli-unfold-argument");
            assert_eq!(w[4], "--VpcId");
            assert_eq!(w[6], "--InstanceIds");
            let ids = w[7..].to_vec();
            assert!(!ids.is_empty() && ids.len() <= MAX_IDS_PER_CALL);
            for id in ids.iter().chain([&w[5]]) {
                assert!(valid_id(id), "{id} is a safe ID");
            }
            let want = if w[2] == "AttachClassicLinkVpc" { "linked" } else { "unlinked" };
            let wait = shell_words(lines.get(n + 1).copied().unwrap_or_default()).unwrap();
            assert_eq!(wait, [&["wait_links".to_string(), region, w[5].clone(), want.into()][..], &ids].concat());
            out.push((w[2].clone(), w[5].clone(), ids));
        }
        out
    }

    /// A tiny structural HCL check: balanced braces and brackets outside strings, and per resource block exactly a
    /// `vpc_id` string and an `instance_ids` list of one string, with a valid identifier. Returns (name, vpc, ins).
    fn hcl_resources(hcl: &str) -> Vec<(String, String, String)> {
        let mut depth = 0i32;
        for line in hcl.lines().filter(|l| !l.trim_start().starts_with('#')) {
            let mut in_str = false;
            let mut prev = ' ';
            for c in line.chars() {
                match c {
                    '"' if prev != '\\' => in_str = !in_str,
                    '{' | '[' if !in_str => depth += 1,
                    '}' | ']' if !in_str => depth -= 1,
                    _ => {}
                }
                assert!(depth >= 0, "unbalanced at {line:?}");
                prev = c;
            }
            assert!(!in_str, "unterminated string in {line:?}");
        }
        assert_eq!(depth, 0, "braces balance");
        let mut out = Vec::new();
        let lines: Vec<&str> = hcl.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            if let Some(rest) = lines[i].strip_prefix("resource \"tencentcloud_vpc_classic_link_attachment\" \"") {
                let name = rest.strip_suffix("\" {").expect("resource header ends with a brace");
                assert!(
                    name.chars().next().unwrap().is_ascii_alphabetic()
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
                    "{name} is an identifier"
                );
                // The provider of the VPC's region, when it is known.
                let p = usize::from(lines[i + 1].starts_with("  provider     = tencentcloud."));
                let vpc = lines[i + 1 + p].trim().strip_prefix("vpc_id       = \"").unwrap().strip_suffix('"').unwrap();
                let list = lines[i + 2 + p].trim().strip_prefix("instance_ids = [").unwrap().strip_suffix(']').unwrap();
                let items: Vec<&str> = list.split(',').collect();
                assert_eq!(items.len(), 1, "exactly one instance per resource");
                let ins = items[0].trim().strip_prefix('"').unwrap().strip_suffix('"').unwrap();
                assert_eq!(lines[i + 3 + p], "}");
                out.push((name.to_string(), vpc.to_string(), ins.to_string()));
                i += 4 + p;
            } else {
                i += 1;
            }
        }
        out
    }

    fn finding(rule: &'static str, severity: Severity) -> Finding {
        Finding { rule, severity, api_error: None, objects: vec!["vpc-prod".into()], message: format!("{rule} broken") }
    }

    #[test]
    fn formats_parse_and_print() {
        for f in ExportFormat::ALL {
            assert_eq!(f.as_str().parse::<ExportFormat>(), Ok(f));
        }
        assert_eq!("TF".parse::<ExportFormat>(), Ok(ExportFormat::Terraform));
        assert!("yaml".parse::<ExportFormat>().unwrap_err().contains("tccli, terraform or api"));
    }

    #[test]
    fn one_plan_exports_its_links_as_tccli() {
        let s = links_script(None, &example(), ExportFormat::Tccli);
        let calls = tccli_calls(&s);
        assert_eq!(
            calls,
            [("AttachClassicLinkVpc".to_string(), "vpc-prod".to_string(), vec!["ins-web01".to_string()])]
        );
        assert!(s.contains(
            "tccli vpc AttachClassicLinkVpc --region ap-guangzhou --cli-unfold-argument --VpcId vpc-prod --InstanceIds ins-web01\n"
        ));
        assert!(s.contains("\nwait_links() {\n"), "the script waits for each call");
    }

    #[test]
    fn changes_detach_first_and_group_per_vpc() {
        // ins-web01 moves from vpc-prod to vpc-dev; two new classic CVMs join vpc-prod.
        let (old, new) = moved();
        let s = links_script(Some(&old), &new, ExportFormat::Tccli);
        let calls = tccli_calls(&s);
        let want: Vec<(String, String, Vec<String>)> = vec![
            ("DetachClassicLinkVpc".into(), "vpc-prod".into(), vec!["ins-web01".into()]),
            ("AttachClassicLinkVpc".into(), "vpc-dev".into(), vec!["ins-web01".into()]),
            ("AttachClassicLinkVpc".into(), "vpc-prod".into(), vec!["ins-a".into(), "ins-b".into()]),
        ];
        assert_eq!(calls, want);
        // Identical plans: nothing to run.
        let none = links_script(Some(&old), &old, ExportFormat::Tccli);
        assert!(tccli_calls(&none).is_empty());
        assert!(none.contains("# No link changes."));
    }

    #[test]
    fn an_ip_change_relinks() {
        let old = example();
        let mut new = old.clone();
        new.links[0].ip = Some([10, 66, 12, 99].into());
        let c = link_changes(Some(&old), &new);
        let k = ("vpc-prod".to_string(), "ins-web01".to_string());
        assert!(c.detach.contains(&k) && c.attach.contains(&k) && c.kept.is_empty());
        assert!(link_changes(Some(&old), &old).is_empty());
    }

    /// Links compare by the IP they were made for (an omitted IP is the instance's current one): an IP change under
    /// such a link relinks it, and writing the current IP out changes nothing.
    #[test]
    fn a_link_without_ip_follows_the_instances_ip() {
        let mut old = example();
        old.links[0].ip = None;
        let k = ("vpc-prod".to_string(), "ins-web01".to_string());
        let mut moved = old.clone();
        moved.classic.iter_mut().find(|c| c.id == "ins-web01").unwrap().ip = [10, 66, 12, 99].into();
        let c = link_changes(Some(&old), &moved);
        assert!(c.detach.contains(&k) && c.attach.contains(&k), "{c:?}");
        let mut explicit = old.clone();
        explicit.links[0].ip = Some([10, 66, 12, 7].into());
        assert!(link_changes(Some(&old), &explicit).is_empty());
        assert!(calls(Some(&old), &explicit).is_empty());
    }

    /// Returning a CVM unlinks it (seed 000): no call attaches a returned CVM, and none detaches one once returned.
    #[test]
    fn returned_cvms_are_neither_attached_nor_detached() {
        let old = example();
        let mut gone = old.clone();
        gone.classic.iter_mut().find(|c| c.id == "ins-web01").unwrap().state = State::Returned;
        assert!(calls(None, &gone).iter().all(|c| !c.instances.contains(&"ins-web01".to_string())));
        assert!(calls(None, &old).iter().any(|c| c.instances.contains(&"ins-web01".to_string())));
        assert!(link_changes(Some(&old), &gone).is_empty(), "the link went with the CVM");
        let mut dropped = gone.clone();
        dropped.links.retain(|l| l.instance != "ins-web01");
        assert!(link_changes(Some(&old), &dropped).is_empty());
    }

    #[test]
    fn calls_are_chunked_at_the_api_limit() {
        let mut plan = example();
        plan.links.clear();
        // A quota raised past the 205 links, so that every one is made.
        plan.quotas.links_per_vpc = 300;
        let base = plan.classic[0].clone();
        for i in 0..205u32 {
            let mut c = base.clone();
            c.id = format!("ins-{i:03}").into();
            c.ip = std::net::Ipv4Addr::from(0x0A42_0000 + i + 1);
            plan.classic.push(c);
            plan.links.push(Link {
                instance: format!("ins-{i:03}").into(),
                vpc: "vpc-prod".into(),
                ip: None,
                invalidated: false,
            });
        }
        let calls = calls(None, &plan);
        assert_eq!(calls.iter().map(|c| c.instances.len()).collect::<Vec<_>>(), [100, 100, 5]);
        assert_eq!(calls[0].instances[0], "ins-000");
        assert_eq!(calls[2].instances[4], "ins-204");
        let script = links_script(None, &plan, ExportFormat::Tccli);
        assert_eq!(tccli_calls(&script).len(), 3);
    }

    #[test]
    fn terraform_one_resource_per_link_with_import_hints() {
        let old = example();
        let mut new = old.clone();
        let mut c = new.classic[0].clone();
        c.id = "ins-web02".into();
        c.ip = [10, 66, 12, 8].into();
        new.classic.push(c);
        new.links.push(Link { instance: "ins-web02".into(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
        let hcl = links_script(Some(&old), &new, ExportFormat::Terraform);
        let res = hcl_resources(&hcl);
        assert_eq!(
            res,
            [
                ("link_vpc_prod_ins_web01".to_string(), "vpc-prod".to_string(), "ins-web01".to_string()),
                ("link_vpc_prod_ins_web02".to_string(), "vpc-prod".to_string(), "ins-web02".to_string()),
            ]
        );
        assert!(hcl.contains(
            "# existing: terraform import tencentcloud_vpc_classic_link_attachment.link_vpc_prod_ins_web01 vpc-prod#ins-web01\n"
        ));
        assert!(!hcl.contains("vpc-prod#ins-web02"), "a new link has no import hint");
    }

    /// Changes Terraform's own plan would get wrong come with the command that does them right: a relink (the
    /// configuration does not change) is a -replace, a move detaches first; a returned CVM is not declared.
    #[test]
    fn terraform_relinks_moves_and_returned_cvms() {
        let old = example();
        let mut relinked = old.clone();
        relinked.links[0].ip = Some([10, 66, 12, 99].into());
        let hcl = links_script(Some(&old), &relinked, ExportFormat::Terraform);
        assert!(hcl.contains(
            "# relink: ins-web01 in vpc-prod (its IP changed, so the link must be added again): terraform apply \
             -replace=tencentcloud_vpc_classic_link_attachment.link_vpc_prod_ins_web01\n"
        ));
        assert!(!hcl.contains("# removed:"), "{hcl}");
        let mut moved = old.clone();
        moved.links[0].vpc = "vpc-dev".into();
        let hcl = links_script(Some(&old), &moved, ExportFormat::Terraform);
        assert!(hcl.contains(
            "# moved: ins-web01 from vpc-prod to vpc-dev. Detach first (a CVM links to one VPC at a time): terraform \
             apply -target=tencentcloud_vpc_classic_link_attachment.link_vpc_prod_ins_web01, then terraform apply\n"
        ));
        // A link Terraform does not manage is not destroyed by it: the comment gives the call that detaches it.
        assert!(hcl.contains(
            "#   Not in Terraform's state? Detach it by hand: tccli vpc DetachClassicLinkVpc --region ap-guangzhou \
             --cli-unfold-argument --VpcId vpc-prod --InstanceIds ins-web01\n"
        ));
        assert_eq!(hcl_resources(&hcl), [("link_vpc_dev_ins_web01".into(), "vpc-dev".into(), "ins-web01".into())]);
        let mut removed = old.clone();
        removed.links.remove(0);
        let hcl = links_script(Some(&old), &removed, ExportFormat::Terraform);
        assert!(
            hcl.contains(
                "# removed: ins-web01 from vpc-prod (terraform destroys its resource)\n#   Not in Terraform's state? \
             Detach it by hand: tccli vpc DetachClassicLinkVpc --region ap-guangzhou --cli-unfold-argument --VpcId \
             vpc-prod --InstanceIds ins-web01\n"
            ),
            "{hcl}"
        );
        assert!(hcl_resources(&hcl).iter().all(|(_, _, ins)| ins != "ins-web01"), "{hcl}");
        // Every removed link's comment is followed by that call: the VPC gaining links as well, or gone from the new
        // plan (its region then read from the old plan).
        let by_hand = "#   Not in Terraform's state? Detach it by hand: tccli vpc DetachClassicLinkVpc --region \
                       ap-guangzhou --cli-unfold-argument --VpcId vpc-prod --InstanceIds ins-web01\n";
        let mut gains = removed.clone();
        let mut c = gains.classic[0].clone();
        (c.id, c.ip) = ("ins-web02".into(), [10, 66, 12, 8].into());
        gains.classic.push(c);
        gains.links.push(Link { instance: "ins-web02".into(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
        let mut gone = old.clone();
        gone.vpcs.retain(|v| v.id != "vpc-prod");
        gone.links.retain(|l| l.vpc != "vpc-prod");
        let cases = [
            ("gains links", gains, "# removed: ins-web01 from vpc-prod, which also gains links."),
            ("gone", gone, "# removed: ins-web01 from vpc-prod (terraform destroys its resource)\n"),
        ];
        for (case, new, said) in cases {
            let hcl = links_script(Some(&old), &new, ExportFormat::Terraform);
            let at = hcl.find(said).unwrap_or_else(|| panic!("{case}: {hcl}"));
            assert_eq!(hcl[at..].split_inclusive('\n').nth(1), Some(by_hand), "{case}: {hcl}");
        }
        let mut returned = old.clone();
        returned.classic.iter_mut().find(|c| c.id == "ins-web01").unwrap().state = State::Returned;
        let hcl = links_script(None, &returned, ExportFormat::Terraform);
        assert!(hcl_resources(&hcl).is_empty() && hcl.contains("# No links."), "{hcl}");
    }

    #[test]
    fn terraform_names_are_sanitised_and_unique() {
        assert_eq!(terraform_name("vpc-A.1", "ins x"), "link_vpc_a_1_ins_x");
        assert_eq!(hcl_string("a\"b${x}%{y}$5"), "\"a\\\"b$${x}%%{y}$5\"");
        // The hash is fixed for all time: names in exports already applied depend on it.
        assert_eq!((fnv1a(""), fnv1a("a"), fnv1a("foobar")), (0x811c_9dc5, 0xe40c_292c, 0xbf9c_f968));
        // IDs that sanitise alike (web, WEB; web_2, whose plain name the old counter gave to the second twin) are
        // told apart, in whatever order the plan lists them, and the others keep their plain names.
        let with_cvms = |ids: &[&str]| {
            let mut plan = example();
            for (n, id) in ids.iter().enumerate() {
                let mut c = plan.classic[0].clone();
                c.id = (*id).into();
                c.ip = [10, 66, 12, 200 + n as u8].into();
                plan.classic.push(c);
                plan.links.push(Link { instance: (*id).into(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
            }
            plan
        };
        let names = |plan: &Plan| -> Vec<(String, String)> {
            let res = hcl_resources(&links_script(None, plan, ExportFormat::Terraform));
            let mut v: Vec<(String, String)> = res.into_iter().map(|(name, _, ins)| (ins, name)).collect();
            v.sort();
            v
        };
        let plan = with_cvms(&["web", "WEB", "web_2"]);
        let got = names(&plan);
        let distinct: std::collections::BTreeSet<&String> = got.iter().map(|(_, n)| n).collect();
        assert_eq!(distinct.len(), got.len(), "{got:?}");
        let name = |ins: &str| got.iter().find(|(i, _)| i == ins).map(|(_, n)| n.clone()).unwrap();
        assert_eq!(name("web_2"), "link_vpc_prod_web_2");
        assert_eq!(name("ins-web01"), "link_vpc_prod_ins_web01");
        assert!(name("web").starts_with("link_vpc_prod_web_") && name("WEB").starts_with("link_vpc_prod_web_"));
        assert_eq!(names(&with_cvms(&["web_2", "WEB", "web"])), got, "the order of the plan's lists");
        // Regions whose aliases sanitise alike have one provider each.
        let mut plan = example();
        for (n, region) in ["ap-x", "ap_x", "ap-x-2"].iter().enumerate() {
            let mut v = plan.vpcs[0].clone();
            v.id = format!("vpc-r{n}").into();
            v.region = (*region).into();
            plan.vpcs.push(v);
            let mut c = plan.classic[0].clone();
            c.id = format!("ins-r{n}").into();
            c.region = (*region).into();
            c.ip = [10, 66, 12, 220 + n as u8].into();
            plan.classic.push(c);
            plan.links.push(Link {
                instance: format!("ins-r{n}").into(),
                vpc: format!("vpc-r{n}").into(),
                ip: None,
                invalidated: false,
            });
        }
        let hcl = links_script(None, &plan, ExportFormat::Terraform);
        let aliases: Vec<&str> = hcl.lines().filter_map(|l| l.trim().strip_prefix("alias  = ")).collect();
        let distinct: std::collections::BTreeSet<&&str> = aliases.iter().collect();
        assert_eq!((aliases.len(), distinct.len()), (4, 4), "{hcl}");
    }

    /// A link kept from the old plan whose name changes (a twin whose IDs sanitise alike came) is moved to its new
    /// name, not destroyed and made again: that would detach it. A removed one is destroyed under its old name.
    #[test]
    fn a_kept_link_renamed_by_a_twin_is_moved() {
        let mut old = example();
        let mut c = old.classic[0].clone();
        c.id = "web".into();
        c.ip = [10, 66, 12, 200].into();
        old.classic.push(c.clone());
        old.links.push(Link { instance: "web".into(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
        let mut new = old.clone();
        c.id = "WEB".into();
        c.ip = [10, 66, 12, 201].into();
        new.classic.push(c);
        new.links.push(Link { instance: "WEB".into(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
        let was = "link_vpc_prod_web";
        assert!(hcl_resources(&links_script(None, &old, ExportFormat::Terraform)).iter().any(|r| r.0 == was));
        let hcl = links_script(Some(&old), &new, ExportFormat::Terraform);
        let now = hcl_resources(&hcl).into_iter().find(|r| r.2 == "web").expect("web's link").0;
        assert_ne!(now, was);
        assert!(hcl.contains(&format!("moved {{\n  from = {TF_TYPE}.{was}\n  to   = {TF_TYPE}.{now}\n}}")), "{hcl}");
        assert_eq!(hcl.matches("moved {").count(), 1, "only the renamed one: {hcl}");
        // Back again: web moved back to its plain name.
        let hcl = links_script(Some(&new), &old, ExportFormat::Terraform);
        assert!(hcl.contains(&format!("  from = {TF_TYPE}.{now}\n  to   = {TF_TYPE}.{was}\n")), "{hcl}");
        // WEB moved to another VPC is detached first by its name in the old export (the plain name is web's link).
        let upper = hcl_resources(&links_script(None, &new, ExportFormat::Terraform))
            .into_iter()
            .find(|r| r.2 == "WEB")
            .expect("WEB's link")
            .0;
        let mut moved = new.clone();
        moved.links.retain(|l| l.instance != "WEB");
        moved.links.push(Link { instance: "WEB".into(), vpc: "vpc-dev".into(), ip: None, invalidated: false });
        let hcl = links_script(Some(&new), &moved, ExportFormat::Terraform);
        assert!(hcl.contains(&format!("# moved: WEB from vpc-prod to vpc-dev. Detach first (a CVM links to one VPC at a time): terraform apply -target={TF_TYPE}.{upper}, then")), "{hcl}");
    }

    #[test]
    fn api_calls_as_json() {
        let old = example();
        let mut new = old.clone();
        new.links.clear();
        let v: serde_json::Value = serde_json::from_str(&links_script(Some(&old), &new, ExportFormat::Api)).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{ "Action": "DetachClassicLinkVpc", "Version": "2017-03-12", "Region": "ap-guangzhou",
                                  "Parameters": { "VpcId": "vpc-prod", "InstanceIds": ["ins-web01"] } }])
        );
        assert_eq!(links_script(Some(&old), &old, ExportFormat::Api), "[]\n");
    }

    #[test]
    fn error_findings_refuse_unless_forced() {
        let plan = example();
        let warn = [finding("CL010", Severity::Warning), finding("CL011", Severity::Info)];
        assert!(export_links(None, &plan, ExportFormat::Tccli, &warn, false).is_ok());
        let bad =
            [finding("CL001", Severity::Error), finding("CL010", Severity::Warning), finding("CL003", Severity::Error)];
        let e = export_links(None, &plan, ExportFormat::Terraform, &bad, false).unwrap_err();
        assert_eq!(e.findings.iter().map(|f| f.rule).collect::<Vec<_>>(), ["CL001", "CL003"]);
        let text = e.to_string();
        assert!(text.contains("CL001 (vpc-prod): CL001 broken") && text.contains("force"));
        assert!(!text.contains("CL010"));
        // Forced, the script says so at its top (after a shell script's interpreter line); JSON has no comments.
        let note = "# Exported by force despite 2 error finding(s) (CL001, CL003): check them before running this.\n";
        assert_eq!(
            export_links(None, &plan, ExportFormat::Terraform, &bad, true).unwrap(),
            format!("{note}{}", links_script(None, &plan, ExportFormat::Terraform))
        );
        let sh = export_links(None, &plan, ExportFormat::Tccli, &bad, true).unwrap();
        assert!(sh.starts_with(&format!("#!/bin/sh\n{note}")), "{sh}");
        assert_eq!(
            export_links(None, &plan, ExportFormat::Api, &bad, true).unwrap(),
            links_script(None, &plan, ExportFormat::Api)
        );
        assert_eq!(
            export_links(None, &plan, ExportFormat::Tccli, &warn, false).unwrap(),
            links_script(None, &plan, ExportFormat::Tccli),
            "no note without error findings"
        );
    }

    /// The gate refuses from the first error finding on: one error is as much a refusal as two.
    #[test]
    fn the_gate_refuses_any_error_count_but_none() {
        let (e, w) = (Severity::Error, Severity::Warning);
        let table: [(&[Severity], bool, Result<usize, ()>); 6] = [
            (&[], false, Err(())),
            (&[w, w], false, Err(())),
            (&[e], false, Ok(1)),
            (&[w, e], false, Ok(1)),
            (&[e, e], false, Ok(2)),
            (&[e], true, Err(())),
        ];
        for (severities, force, refused) in table {
            let findings: Vec<Finding> = severities.iter().map(|s| finding("CL001", *s)).collect();
            let got = gate(&findings, force).map_err(|r| r.findings.len());
            assert_eq!(got.err().ok_or(()), refused, "{severities:?} force={force}");
        }
    }

    /// A VPC's calls carry its region in the new plan, else in the old one (a VPC the new plan dropped).
    #[test]
    fn calls_take_the_new_plans_region_first() {
        let mut old = example();
        old.vpcs[0].region = "ap-shanghai".into();
        old.links.clear();
        let new = example();
        let mut moved = new.clone();
        moved.vpcs[0].region = "ap-shanghai".into();
        // Its CVMs with it: a link across regions is never made, so there would be nothing to detach.
        moved.classic.iter_mut().for_each(|c| c.region = "ap-shanghai".into());
        let got: Vec<(CallAction, String)> =
            calls(Some(&old), &new).into_iter().map(|c| (c.action, c.region)).collect();
        assert_eq!(got, [(CallAction::AttachClassicLinkVpc, "ap-guangzhou".to_string())]);
        let mut gone = new.clone();
        gone.vpcs.clear();
        gone.links.clear();
        let got: Vec<(CallAction, String)> =
            calls(Some(&moved), &gone).into_iter().map(|c| (c.action, c.region)).collect();
        assert_eq!(got, [(CallAction::DetachClassicLinkVpc, "ap-shanghai".to_string())], "only the old plan knows it");
    }

    /// A fake `tccli` for the script to run against: logs each call to `$FAKE/log` ("Action VPC IDs..."), keeps the
    /// links in `$FAKE/links` ("vpc ins" lines), and is asynchronous like the service: an attach or detach takes
    /// effect at the second DescribeClassicLinkInstances after it (never with `$FAKE/stuck`), and an attach of an
    /// instance that is still linked is refused with the service's code.
    #[cfg(all(unix, not(target_arch = "wasm32")))]
    const FAKE_TCCLI: &str = r#"#!/bin/sh
set -e
d=$FAKE
action=$2
shift 2
vpc= ids= key= offset=0 limit=20
for a in "$@"; do
  case $a in
    --*) key=$a ;;
    *) case $key in
         --VpcId|--Filters.0.Values) vpc=$a ;;
         --InstanceIds) ids="$ids $a" ;;
         --Offset) offset=$a ;;
         --Limit) limit=$a ;;
       esac ;;
  esac
done
if [ "$limit" -gt 100 ]; then
  echo "code:InvalidParameterValue Limit $limit" >&2
  exit 1
fi
echo "$action $vpc$ids" >> "$d/log"
touch "$d/links" "$d/pending"
case $action in
  AttachClassicLinkVpc|DetachClassicLinkVpc)
    for i in $ids; do
      if [ "$action" = AttachClassicLinkVpc ] && grep -q " $i\$" "$d/links"; then
        echo "code:UnsupportedOperation.ClassicInstanceIdAlreadyExists $i" >&2
        exit 1
      fi
      echo "$action $vpc $i" >> "$d/pending"
    done
    echo '{"RequestId": "req-1"}' ;;
  DescribeClassicLinkInstances)
    # A pending call takes effect at the second first page asked after it (never between two pages).
    if [ "$offset" = 0 ] && [ -s "$d/pending" ] && [ ! -e "$d/stuck" ]; then
      if [ -e "$d/ripe" ]; then
        while read -r act v i; do
          if [ "$act" = AttachClassicLinkVpc ]; then
            echo "$v $i" >> "$d/links"
          else
            grep -v "^$v $i\$" "$d/links" > "$d/t" || true
            mv "$d/t" "$d/links"
          fi
        done < "$d/pending"
        : > "$d/pending"
        rm "$d/ripe"
      else
        touch "$d/ripe"
      fi
    fi
    total=$(grep -c "^$vpc " "$d/links" || true)
    printf '{\n  "TotalCount": %s,\n  "ClassicLinkInstanceSet": [' "$total"
    sep= n=0
    while read -r v i; do
      if [ "$v" = "$vpc" ]; then
        if [ "$n" -ge "$offset" ] && [ "$n" -lt $((offset + limit)) ]; then
          printf '%s\n    {\n      "VpcId": "%s",\n      "InstanceId": "%s"\n    }' "$sep" "$v" "$i"
          sep=,
        fi
        n=$((n + 1))
      fi
    done < "$d/links"
    printf '\n  ],\n  "RequestId": "req-2"\n}\n' ;;
esac
"#;

    /// Runs `script` with `sh` against [`FAKE_TCCLI`] holding `links` ("vpc ins"), polling every 0 s at most 5
    /// times. Returns (whether it succeeded, stderr, the calls logged, the links after).
    #[cfg(all(unix, not(target_arch = "wasm32")))]
    fn run_fake(name: &str, script: &str, links: &str, stuck: bool) -> (bool, String, Vec<String>, String) {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("classiclink-export-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let tccli = dir.join("tccli");
        std::fs::write(&tccli, FAKE_TCCLI).unwrap();
        std::fs::set_permissions(&tccli, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(dir.join("links"), links).unwrap();
        if stuck {
            std::fs::write(dir.join("stuck"), "").unwrap();
        }
        std::fs::write(dir.join("script.sh"), script).unwrap();
        let path = format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default());
        let out = std::process::Command::new("sh")
            .arg(dir.join("script.sh"))
            .env("PATH", path)
            .env("FAKE", &dir)
            .env("CLASSICLINK_POLL_SECONDS", "0")
            .env("CLASSICLINK_POLL_TRIES", "5")
            .output()
            .unwrap();
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        let after = std::fs::read_to_string(dir.join("links")).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into(),
            log.lines().map(String::from).collect(),
            after,
        )
    }

    /// The move of `changes_detach_first_and_group_per_vpc`: ins-web01 from vpc-prod to vpc-dev, ins-a and ins-b
    /// join vpc-prod.
    fn moved() -> (Plan, Plan) {
        let old = example();
        let mut new = old.clone();
        for (id, ip) in [("ins-b", [10, 66, 1, 2]), ("ins-a", [10, 66, 1, 1])] {
            let mut c = new.classic[0].clone();
            c.id = id.into();
            c.ip = ip.into();
            new.classic.push(c);
            new.links.push(Link { instance: id.into(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
        }
        new.links[0].vpc = "vpc-dev".into();
        (old, new)
    }

    /// The script waits for each asynchronous call before the next: against a tccli that takes effect later and
    /// refuses to attach a CVM still linked, the move goes through, each call followed by the polls it needed.
    /// Without the waits the same fake refuses the attach; a change that never happens stops the script.
    #[cfg(all(unix, not(target_arch = "wasm32")))]
    #[test]
    fn the_tccli_script_waits_for_each_call() {
        let (old, new) = moved();
        let script = links_script(Some(&old), &new, ExportFormat::Tccli);
        let (ok, err, log, after) = run_fake("waits", &script, "vpc-prod ins-web01\n", false);
        assert!(ok, "{err}");
        let describe = |v: &str| format!("DescribeClassicLinkInstances {v}");
        assert_eq!(
            log,
            [
                "DetachClassicLinkVpc vpc-prod ins-web01".to_string(),
                describe("vpc-prod"),
                describe("vpc-prod"),
                "AttachClassicLinkVpc vpc-dev ins-web01".into(),
                describe("vpc-dev"),
                describe("vpc-dev"),
                "AttachClassicLinkVpc vpc-prod ins-a ins-b".into(),
                describe("vpc-prod"),
                describe("vpc-prod"),
            ]
        );
        assert_eq!(after, "vpc-dev ins-web01\nvpc-prod ins-a\nvpc-prod ins-b\n");

        // The same calls back to back: the attach reaches the service while the detach still runs.
        let unwaited: String =
            script.lines().filter(|l| !l.starts_with("wait_links ")).map(|l| format!("{l}\n")).collect();
        let (ok, err, _, _) = run_fake("unwaited", &unwaited, "vpc-prod ins-web01\n", false);
        assert!(!ok && err.contains("ClassicInstanceIdAlreadyExists ins-web01"), "{err}");

        // A change that never happens (a failed task): the script stops after its checks, before the next call.
        let (ok, err, log, _) = run_fake("stuck", &script, "vpc-prod ins-web01\n", true);
        assert!(!ok && err.contains("1 instance(s) still not unlinked (vpc-prod) after 5 checks; stopping"), "{err}");
        assert_eq!(log.len(), 6, "the detach and five checks: {log:?}");
    }

    /// A VPC holding more links than a page lists (its quota raised past 100): the waits read every page, so a
    /// link on the second page is seen, and one gone from it is not taken for gone before it is.
    #[cfg(all(unix, not(target_arch = "wasm32")))]
    #[test]
    fn the_waits_read_every_page() {
        let links: String = (0..150).map(|k| format!("vpc-big ins-k{k:03}\n")).collect();
        let call = |action: &str, vpc: &str, ins: &str| {
            format!("tccli vpc {action} --cli-unfold-argument --VpcId {vpc} --InstanceIds {ins}\n")
        };
        let script = format!(
            "set -e\n{TCCLI_WAIT}\n{}wait_links '' vpc-big unlinked ins-k140\n{}wait_links '' vpc-two linked ins-k140\n\
             {}wait_links '' vpc-big linked ins-z\n",
            call("DetachClassicLinkVpc", "vpc-big", "ins-k140"),
            call("AttachClassicLinkVpc", "vpc-two", "ins-k140"),
            call("AttachClassicLinkVpc", "vpc-big", "ins-z"),
        );
        let (ok, err, log, after) = run_fake("pages", &script, &links, false);
        assert!(ok, "{err}");
        assert!(after.contains("vpc-two ins-k140\n") && after.ends_with("vpc-big ins-z\n"), "{after}");
        // The detach's wait: two polls of two pages each.
        let describes = log
            .iter()
            .take_while(|l| !l.starts_with("AttachClassicLinkVpc"))
            .filter(|l| l.starts_with("Describe"))
            .count();
        assert_eq!(describes, 4, "{log:?}");
    }

    /// Every script the formats produce is valid `sh` (`sh -n`): one plan, changes, nothing to do, forced.
    #[cfg(all(unix, not(target_arch = "wasm32")))]
    #[test]
    fn tccli_scripts_are_valid_sh() {
        let (old, new) = moved();
        let bad = [finding("CL010", Severity::Error)];
        for script in [
            links_script(None, &new, ExportFormat::Tccli),
            links_script(Some(&old), &new, ExportFormat::Tccli),
            links_script(Some(&old), &old, ExportFormat::Tccli),
            export_links(Some(&old), &new, ExportFormat::Tccli, &bad, true).unwrap(),
        ] {
            let out = std::process::Command::new("sh").args(["-n", "-c", &script]).output().unwrap();
            assert!(out.status.success(), "{}\n{script}", String::from_utf8_lossy(&out.stderr));
        }
    }

    /// Terraform makes each link in its VPC's region: one aliased provider per region the export touches (removed
    /// links included: Terraform destroys them with their provider), each resource naming its own.
    #[test]
    fn terraform_one_provider_per_region() {
        let mut old = example();
        let mut vpc = old.vpcs[0].clone();
        vpc.id = "vpc-bj".into();
        vpc.region = "ap-beijing".into();
        old.vpcs.push(vpc);
        let mut cvm = old.classic[0].clone();
        cvm.id = "ins-bj".into();
        cvm.region = "ap-beijing".into();
        old.classic.push(cvm);
        old.links.push(Link { instance: "ins-bj".into(), vpc: "vpc-bj".into(), ip: None, invalidated: false });
        let provider = |alias: &str, region: &str| {
            format!("\nprovider \"tencentcloud\" {{\n  alias  = \"{alias}\"\n  region = \"{region}\"\n}}\n")
        };
        let hcl = links_script(None, &old, ExportFormat::Terraform);
        // The provider's source, once, before the providers: `terraform init` finds it in the registry.
        let source = "\nterraform {\n  required_providers {\n    tencentcloud = {\n      source = \"tencentcloudstack/tencentcloud\"\n    }\n  }\n}\n";
        assert_eq!(hcl.matches(source).count(), 1, "{hcl}");
        assert!(hcl.find(source) < hcl.find("\nprovider \"tencentcloud\""), "{hcl}");
        assert!(hcl.contains(&provider("ap_beijing", "ap-beijing")), "{hcl}");
        assert!(hcl.contains(&provider("ap_guangzhou", "ap-guangzhou")), "{hcl}");
        assert!(hcl.contains(
            "resource \"tencentcloud_vpc_classic_link_attachment\" \"link_vpc_bj_ins_bj\" {\n  provider     = \
             tencentcloud.ap_beijing\n  vpc_id       = \"vpc-bj\"\n"
        ));
        assert!(hcl.contains("\"link_vpc_prod_ins_web01\" {\n  provider     = tencentcloud.ap_guangzhou\n"));
        assert_eq!(hcl_resources(&hcl).len(), 2);
        // The Beijing link removed: its provider stays for the destroy.
        let mut new = old.clone();
        new.links.retain(|l| l.vpc != "vpc-bj");
        let hcl = links_script(Some(&old), &new, ExportFormat::Terraform);
        assert!(hcl.contains(&provider("ap_beijing", "ap-beijing")) && hcl.contains("# removed: ins-bj from vpc-bj"));
        assert!(hcl.contains("# existing: terraform import tencentcloud_vpc_classic_link_attachment.link_vpc_prod_ins_web01 vpc-prod#ins-web01\n"));
        // A VPC no plan knows: Tencent Cloud would make no such link, so it is left out, said so.
        let mut unknown = example();
        unknown.links[0].vpc = "vpc-gone".into();
        let hcl = links_script(None, &unknown, ExportFormat::Terraform);
        assert!(!hcl.contains("provider \"tencentcloud\"") && !hcl.contains("provider     ="), "{hcl}");
        assert!(hcl.contains(
            "# not made: ins-web01 -> vpc-gone is left out: the plan has no classic instance ins-web01 or no VPC \
             vpc-gone\n"
        ));
        assert!(hcl_resources(&hcl).is_empty());
        for (region, alias) in
            [("ap-guangzhou", "ap_guangzhou"), ("AP-Shanghai.1", "ap_shanghai_1"), ("9x", "region_9x")]
        {
            assert_eq!(terraform_alias(region), alias);
        }
    }

    /// A removal and an addition in one VPC: Terraform may create first, which a VPC at its quota refuses.
    #[test]
    fn terraform_says_to_detach_first_where_a_vpc_also_gains_links() {
        let old = example();
        let mut new = old.clone();
        new.links[0].instance = "ins-new".into();
        let mut c = new.classic[0].clone();
        c.id = "ins-new".into();
        c.ip = [10, 66, 12, 8].into();
        new.classic.push(c);
        let hcl = links_script(Some(&old), &new, ExportFormat::Terraform);
        assert!(hcl.contains(
            "# removed: ins-web01 from vpc-prod, which also gains links. If vpc-prod is at its 100-link quota, detach \
             first: terraform apply -target=tencentcloud_vpc_classic_link_attachment.link_vpc_prod_ins_web01, then \
             terraform apply\n"
        ), "{hcl}");
        // The quota is the plan's.
        new.quotas.links_per_vpc = 7;
        let hcl = links_script(Some(&old), &new, ExportFormat::Terraform);
        assert!(hcl.contains("If vpc-prod is at its 7-link quota"), "{hcl}");
    }

    /// A link both plans keep but the check calls invalid (CL010, forced past) is named broken, with its repair, in
    /// every format; it is not called existing.
    #[test]
    fn a_forced_export_names_broken_links() {
        let old = example();
        let mut new = old.clone();
        new.links[0].ip = Some([10, 66, 12, 7].into());
        new.classic.iter_mut().find(|c| c.id == "ins-web01").unwrap().ip = [10, 66, 12, 9].into();
        let mut kept = old.clone();
        kept.links[0].ip = Some([10, 66, 12, 7].into());
        let bad = [finding("CL010", Severity::Error)];
        let note =
            "broken: ins-web01's link to vpc-prod was made for 10.66.12.7, but its private IP is now 10.66.12.9: \
                    the link is invalid and these changes leave it as it is; detach it and attach it again";
        let b = broken_links(Some(&kept), &new);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].note(), note);
        assert!(broken_links(None, &new).is_empty(), "one plan's links are all attached anew");
        assert!(broken_links(Some(&kept), &kept).is_empty());

        let sh = export_links(Some(&kept), &new, ExportFormat::Tccli, &bad, true).unwrap();
        assert!(sh.contains(&format!("\n# {note}\n# No link changes.\n")), "{sh}");
        let tf = export_links(Some(&kept), &new, ExportFormat::Terraform, &bad, true).unwrap();
        assert!(
            tf.contains(&format!(
                "# {note}: terraform apply -replace=tencentcloud_vpc_classic_link_attachment.link_vpc_prod_ins_web01 \
             (import it first if Terraform does not manage it yet: terraform import \
             tencentcloud_vpc_classic_link_attachment.link_vpc_prod_ins_web01 vpc-prod#ins-web01)\n"
            )),
            "{tf}"
        );
        assert!(!tf.contains("# existing:"), "{tf}");
        assert_eq!(export_links(Some(&kept), &new, ExportFormat::Api, &bad, true).unwrap(), "[]\n");
        assert_eq!(
            api_notes(Some(&kept), &new, &bad),
            ["Exported by force despite 1 error finding(s) (CL010): check them before running this.", note]
        );
        assert!(api_notes(Some(&kept), &kept, &[]).is_empty());
    }

    /// A link an IP change invalidated, its CVM's IP back: made again, it is a relink (detach, attach) in the change
    /// set, as one made again for a new IP is; the reverse keeps it, broken and said so, as an IP change does.
    #[test]
    fn a_link_invalidated_and_made_again_is_a_relink() {
        let valid = example();
        let mut invalid = valid.clone();
        let ip = invalid.classic_instance("ins-web01").unwrap().ip;
        invalid.links[0].ip = Some(ip);
        invalid.links[0].invalidated = true;
        let key = ("vpc-prod".to_string(), "ins-web01".to_string());
        let c = link_changes(Some(&invalid), &valid);
        assert!(c.detach.contains(&key) && c.attach.contains(&key), "{c:?}");
        let api = export_links(Some(&invalid), &valid, ExportFormat::Api, &[], true).unwrap();
        assert!(api.contains("DetachClassicLinkVpc") && api.contains("AttachClassicLinkVpc"), "{api}");
        let back = link_changes(Some(&valid), &invalid);
        assert!(back.kept.contains(&key) && !back.detach.contains(&key) && !back.attach.contains(&key), "{back:?}");
        let b = broken_links(Some(&valid), &invalid);
        assert_eq!(b.len(), 1);
        assert!(b[0].note().contains("its private IP changed since, and is 10.66.12.7 again"), "{}", b[0].note());
        // A link made for another IP than its CVM's is broken by that, flagged or not: clearing the flag makes no
        // link again (the new plan still calls it broken), so it is kept, and the diff sees no link change.
        let mut moved = valid.clone();
        moved.classic.iter_mut().find(|c| c.id == "ins-web01").unwrap().ip = [10, 66, 12, 78].into();
        moved.links[0].ip = Some(ip);
        let mut flagged = moved.clone();
        flagged.links[0].invalidated = true;
        let c = link_changes(Some(&flagged), &moved);
        assert!(c.kept.contains(&key) && c.is_empty(), "{c:?}");
        assert!(crate::domain::diff::diff(&flagged, &moved).links.is_empty());
    }

    /// A small plan for the fates of links: ins-1 and ins-2 (CVMs at 10.66.0.1 and .2) and cdb-1 (MySQL) in
    /// Guangzhou; vpc-a and vpc-b (10.0/16, 10.1/16) there, vpc-x (172.16/16, outside the Classiclink range) and
    /// vpc-bj (Beijing). `links` are (instance, VPC, the IP it was made for), in plan order.
    fn fates_plan(links: &[(&str, &str, Option<&str>)], quota: u32) -> Plan {
        let links: Vec<String> = links
            .iter()
            .map(|(i, v, ip)| match ip {
                Some(ip) => format!(r#"{{"instance": "{i}", "vpc": "{v}", "ip": "{ip}"}}"#),
                None => format!(r#"{{"instance": "{i}", "vpc": "{v}"}}"#),
            })
            .collect();
        import(&format!(
            r#"{{"format": "classiclink-plan", "version": 1, "name": "t", "quotas": {{"links_per_vpc": {quota}}},
                "classic": [{{"id": "ins-1", "kind": "cvm", "region": "ap-guangzhou", "ip": "10.66.0.1"}},
                            {{"id": "ins-2", "kind": "cvm", "region": "ap-guangzhou", "ip": "10.66.0.2"}},
                            {{"id": "cdb-1", "kind": "mysql", "region": "ap-guangzhou", "ip": "10.66.0.9"}}],
                "vpcs": [{{"id": "vpc-a", "region": "ap-guangzhou", "cidr": "10.0.0.0/16"}},
                         {{"id": "vpc-b", "region": "ap-guangzhou", "cidr": "10.1.0.0/16"}},
                         {{"id": "vpc-x", "region": "ap-guangzhou", "cidr": "172.16.0.0/16"}},
                         {{"id": "vpc-bj", "region": "ap-beijing", "cidr": "10.2.0.0/16"}}],
                "links": [{}]}}"#,
            links.join(", ")
        ))
        .unwrap()
    }

    /// The calls as (action, VPC, instances joined by spaces), for tables.
    fn call_rows(calls: &[Call]) -> Vec<(&'static str, String, String)> {
        calls.iter().map(|c| (c.action.as_str(), c.vpc.clone(), c.instances.join(" "))).collect()
    }

    /// A change set compares the links Tencent Cloud made of each plan's list (the ones each CVM holds), not the
    /// links listed: a held link that moves VPC is a detach then an attach, and a listed link never made is neither
    /// detached (there is nothing to detach) nor called existing.
    #[test]
    fn changes_are_between_the_links_made() {
        const D: &str = "DetachClassicLinkVpc";
        const A: &str = "AttachClassicLinkVpc";
        type Links<'a> = &'a [(&'a str, &'a str, Option<&'a str>)];
        type Row<'a> = (&'a str, Links<'a>, Links<'a>, u32, &'a [(&'a str, &'a str, &'a str)]);
        let ip = Some("10.66.0.100");
        let table: [Row; 6] = [
            // vpc-b was refused (CL002): ins-1 held vpc-a, and now holds vpc-b.
            (
                "second link kept alone",
                &[("ins-1", "vpc-a", None), ("ins-1", "vpc-b", None)],
                &[("ins-1", "vpc-b", None)],
                100,
                &[(D, "vpc-a", "ins-1"), (A, "vpc-b", "ins-1")],
            ),
            (
                "the order swapped",
                &[("ins-1", "vpc-a", None), ("ins-1", "vpc-b", None)],
                &[("ins-1", "vpc-b", None), ("ins-1", "vpc-a", None)],
                100,
                &[(D, "vpc-a", "ins-1"), (A, "vpc-b", "ins-1")],
            ),
            // Quota 1: ins-1 held vpc-a and ins-2 vpc-b; swapped, ins-2 holds vpc-a and ins-1 nothing.
            (
                "the quota's order swapped",
                &[("ins-1", "vpc-a", None), ("ins-2", "vpc-a", None), ("ins-2", "vpc-b", None)],
                &[("ins-2", "vpc-a", None), ("ins-1", "vpc-a", None), ("ins-2", "vpc-b", None)],
                1,
                &[(D, "vpc-a", "ins-1"), (D, "vpc-b", "ins-2"), (A, "vpc-a", "ins-2")],
            ),
            // vpc-x is outside 10.0-47 (CL001): never made, nothing to detach.
            (
                "a refused link replaced",
                &[("ins-1", "vpc-x", None)],
                &[("ins-1", "vpc-a", None)],
                100,
                &[(A, "vpc-a", "ins-1")],
            ),
            // ins-1 holds vpc-a (made for an IP it no longer has); its link to vpc-b was refused (CL002).
            (
                "a refused second link dropped",
                &[("ins-1", "vpc-a", ip), ("ins-1", "vpc-b", None)],
                &[("ins-1", "vpc-a", ip)],
                100,
                &[],
            ),
            ("a refused link dropped", &[("ins-1", "vpc-bj", None)], &[], 100, &[]),
        ];
        for (name, old, new, quota, want) in table {
            let (old, new) = (fates_plan(old, quota), fates_plan(new, quota));
            let want: Vec<(&str, String, String)> =
                want.iter().map(|&(a, v, i)| (a, v.to_string(), i.to_string())).collect();
            assert_eq!(call_rows(&calls(Some(&old), &new)), want, "{name}");
            let hcl = links_script(Some(&old), &new, ExportFormat::Terraform);
            for l in &new.links {
                if !link_changes(Some(&old), &new).kept.contains(&(l.vpc.to_string(), l.instance.to_string())) {
                    assert!(!hcl.contains(&format!("{}#{}", l.vpc, l.instance)), "{name}: {hcl}");
                }
            }
        }
        // Terraform calls only a link made in both plans existing, and moves the held one.
        let old = fates_plan(&[("ins-1", "vpc-a", None), ("ins-1", "vpc-b", None)], 100);
        let new = fates_plan(&[("ins-1", "vpc-b", None)], 100);
        let hcl = links_script(Some(&old), &new, ExportFormat::Terraform);
        assert!(!hcl.contains("# existing:") && hcl.contains("# moved: ins-1 from vpc-a to vpc-b."), "{hcl}");
        assert_eq!(hcl_resources(&hcl), [("link_vpc_b_ins_1".into(), "vpc-b".into(), "ins-1".into())]);
    }

    /// A forced export holds only the links Tencent Cloud would make: one it refuses would fail the whole
    /// all-or-nothing call it shares with good ones. Each listed link left out is named, with why, in every format's
    /// comments and in the API list's notes.
    #[test]
    fn a_forced_export_leaves_out_the_links_not_made() {
        let bad = [finding("CL003", Severity::Error)];
        // Quota 1: ins-2 is refused at vpc-a, and holds vpc-b.
        let quota = fates_plan(&[("ins-1", "vpc-a", None), ("ins-2", "vpc-a", None), ("ins-2", "vpc-b", None)], 1);
        let sh = export_links(None, &quota, ExportFormat::Tccli, &bad, true).unwrap();
        assert_eq!(
            tccli_calls(&sh),
            [
                ("AttachClassicLinkVpc".to_string(), "vpc-a".to_string(), vec!["ins-1".to_string()]),
                ("AttachClassicLinkVpc".into(), "vpc-b".into(), vec!["ins-2".into()]),
            ]
        );
        let why = "vpc-a already had its quota of 1 linked classic CVMs (CL003, LimitExceeded)";
        let note = format!("not made: ins-2 -> vpc-a is left out: {why}");
        assert_eq!(not_made(&quota).iter().map(NotMade::note).collect::<Vec<_>>(), [note.as_str()]);
        assert!(sh.contains(&format!("\n# {note}\n")), "{sh}");
        let tf = export_links(None, &quota, ExportFormat::Terraform, &bad, true).unwrap();
        assert!(tf.contains(&format!("\n# {note}\n")), "{tf}");
        assert_eq!(hcl_resources(&tf).len(), 2, "{tf}");
        // Not a CVM (CL005), and the returned CVM's link went with it (CL012): neither in a call.
        let mut plan = fates_plan(&[("cdb-1", "vpc-a", None), ("ins-1", "vpc-a", None), ("ins-2", "vpc-b", None)], 1);
        plan.classic[1].state = State::Returned;
        let api: serde_json::Value =
            serde_json::from_str(&export_links(None, &plan, ExportFormat::Api, &bad, true).unwrap()).unwrap();
        assert_eq!(api[0]["Parameters"], serde_json::json!({"VpcId": "vpc-a", "InstanceIds": ["ins-1"]}), "{api}");
        assert_eq!(api.as_array().map(Vec::len), Some(1), "{api}");
        assert_eq!(
            api_notes(None, &plan, &bad)[1..],
            [
                "not made: cdb-1 -> vpc-a is left out: cdb-1 is not a CVM, and only CVMs link (CL005, \
                 UnsupportedOperation)",
                "not made: ins-2 -> vpc-b is left out: ins-2 was returned, and its link with it (CL012)"
            ]
        );
        // A link listed twice is made once, and is not left out; a change set names the new plan's.
        let twice = fates_plan(&[("ins-1", "vpc-a", None), ("ins-1", "vpc-a", None), ("ins-1", "vpc-x", None)], 100);
        let notes: Vec<String> = not_made(&twice).iter().map(NotMade::note).collect();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].starts_with("not made: ins-1 -> vpc-x is left out: vpc-x's CIDR"), "{notes:?}");
        let sh = links_script(Some(&quota), &twice, ExportFormat::Tccli);
        assert!(sh.contains(&format!("# {}\n", notes[0])), "{sh}");
    }

    /// Only a link Tencent Cloud made can be broken by an IP change (CL010): a refused one that records an old IP
    /// was never made, so it is left out, not to be detached and attached again.
    #[test]
    fn only_a_link_made_is_broken() {
        let ip = Some("10.66.0.100");
        let bad = [finding("CL010", Severity::Error)];
        for (name, links, quota) in [
            ("outside the range, then a good one", vec![("ins-1", "vpc-x", ip), ("ins-1", "vpc-a", None)], 100),
            ("past the quota", vec![("ins-1", "vpc-a", None), ("ins-2", "vpc-a", ip)], 1),
            ("another region", vec![("ins-1", "vpc-bj", ip)], 100),
        ] {
            let plan = fates_plan(&links, quota);
            assert!(broken_links(Some(&plan), &plan).is_empty(), "{name}");
            for to in ExportFormat::ALL {
                let out = export_links(Some(&plan), &plan, to, &bad, true).unwrap();
                assert!(!out.contains("broken") && !out.contains("-replace"), "{name}: {out}");
            }
            assert!(api_notes(Some(&plan), &plan, &bad).iter().all(|n| !n.contains("broken")), "{name}");
        }
        // The account is VPC-only (CL018): nothing is made.
        let mut only_vpc = fates_plan(&[("ins-1", "vpc-a", ip)], 100);
        only_vpc.account.platforms = crate::domain::model::Platforms::OnlyVpc;
        assert!(broken_links(Some(&only_vpc), &only_vpc).is_empty());
        // A made link that records an old IP stays broken.
        let made = fates_plan(&[("ins-1", "vpc-a", ip), ("ins-1", "vpc-b", None)], 100);
        assert_eq!(broken_links(Some(&made), &made).len(), 1);
    }

    #[test]
    fn odd_ids_are_quoted_for_the_shell() {
        assert_eq!(shell_word("ins-1"), "ins-1");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_words("a 'b c' d").unwrap(), ["a", "b c", "d"]);
        assert!(shell_words("a $(rm)").is_err());
    }
}
