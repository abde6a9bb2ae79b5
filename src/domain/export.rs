//! Exporting links to what users run: tccli commands, Terraform HCL, or a JSON list of API calls.
//!
//! Either the links of one plan (everything to attach) or the changes between two plans (detaches first, then
//! attaches). Output is deterministic: calls grouped per VPC in ID order, instance IDs sorted, at most
//! [`MAX_IDS_PER_CALL`] instance IDs a call. An export of a plan with error findings is refused unless forced
//! ([`gate`]); the findings are an input so this module does not depend on the rules engine.

use super::finding::{Finding, Severity};
use super::load::valid_id;
use super::model::{Plan, State};
use super::sort;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

/// The VPC API version the calls belong to.
pub const API_VERSION: &str = "2017-03-12";
/// Instance IDs per `AttachClassicLinkVpc` / `DetachClassicLinkVpc` call (the API's own limit per VPC).
pub const MAX_IDS_PER_CALL: usize = 100;

/// What to export to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// `tccli vpc AttachClassicLinkVpc --cli-unfold-argument ...` lines, a shell script.
    Tccli,
    /// Terraform HCL: one `tencentcloud_vpc_classic_link_attachment` per link.
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

/// The link changes between two plans. A link whose recorded IP differs between the plans is detached and attached
/// again (an IP change invalidates a link; it must be added again).
pub fn link_changes(old: Option<&Plan>, new: &Plan) -> LinkChanges {
    let mut c = LinkChanges::default();
    // A link is compared by the IP it was made for (an omitted IP is the instance's current one). A returned CVM
    // has no link (returning unlinks it): none is attached for it, and none detached once it is returned.
    // (Sorted vectors of IDs, not sets: each set type would compile another B-tree into the web app.)
    let returned = |p: &Plan| {
        let mut r: Vec<String> =
            p.classic.iter().filter(|x| x.state == State::Returned).map(|x| x.id.to_string()).collect();
        sort::sort(&mut r);
        r
    };
    let is_in = |ids: &[String], id: &str| ids.binary_search_by(|x| x.as_str().cmp(id)).is_ok();
    let links = |p: &Plan, gone: &[String]| {
        let mut m = BTreeMap::new();
        for (l, ip) in p.links.iter().zip(p.link_ips()) {
            if !is_in(gone, &l.instance) {
                m.insert((l.vpc.to_string(), l.instance.to_string()), ip);
            }
        }
        m
    };
    let old_links = old.map(|p| links(p, &returned(p))).unwrap_or_default();
    let returned_now = returned(new);
    let new_links = links(new, &returned_now);
    for (k, ip) in &old_links {
        match new_links.get(k) {
            None if is_in(&returned_now, &k.1) => {}
            None => {
                c.detach.insert(k.clone());
            }
            Some(nip) if nip != ip => {
                c.detach.insert(k.clone());
            }
            Some(_) => {
                c.kept.insert(k.clone());
            }
        }
    }
    for (k, ip) in &new_links {
        if old_links.get(k) != Some(ip) {
            c.attach.insert(k.clone());
        }
    }
    c
}

/// The ordered calls for the changes: every detach, then every attach; per VPC in ID order, chunked.
pub fn calls(old: Option<&Plan>, new: &Plan) -> Vec<Call> {
    let c = link_changes(old, new);
    let region_of = |vpc: &str| -> String {
        new.vpc(vpc).or_else(|| old.and_then(|p| p.vpc(vpc))).map(|v| v.region.to_string()).unwrap_or_default()
    };
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
    // A forced export says so where the format has comments (the API call list is JSON, which has none).
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    if errors == 0 || to == ExportFormat::Api {
        return Ok(script);
    }
    let mut rules: Vec<&str> = findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.rule).collect();
    sort::sort(&mut rules);
    rules.dedup();
    let note = format!(
        "# Exported by force despite {errors} error finding(s) ({}): check them before running this.\n",
        rules.join(", ")
    );
    // After a shell script's first line, the interpreter line.
    Ok(match script.split_once('\n') {
        Some((first, rest)) if first.starts_with("#!") => format!("{first}\n{note}{rest}"),
        _ => format!("{note}{script}"),
    })
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
    s.push_str("# Each call is asynchronous: it answers with a RequestId. Poll\n");
    s.push_str("#   tccli vpc DescribeVpcTaskResult --cli-unfold-argument --TaskId <RequestId>\n");
    s.push_str("# until Status is SUCCESS (stop on FAILED) before the next call: a CVM must be detached before it\n");
    s.push_str("# is attached to another VPC. Each call names its VPC's region (--region) where the plan knows it.\n");
    if calls.is_empty() {
        s.push_str("# No link changes.\n");
        return s;
    }
    for c in &calls {
        let verb = match c.action {
            CallAction::DetachClassicLinkVpc => "detach from",
            CallAction::AttachClassicLinkVpc => "attach to",
        };
        s.push_str(&format!("\n# {verb} {} ({}): {} instance(s)\n", c.vpc, region_label(&c.region), c.instances.len()));
        let region = if c.region.is_empty() { String::new() } else { format!(" --region {}", shell_word(&c.region)) };
        s.push_str(&format!(
            "tccli vpc {}{region} --cli-unfold-argument --VpcId {} --InstanceIds {}\n",
            c.action.as_str(),
            shell_word(&c.vpc),
            c.instances.iter().map(|i| shell_word(i)).collect::<Vec<_>>().join(" ")
        ));
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

/// A Terraform resource name: lower case, `[a-z0-9_]`, starting with a letter.
pub fn terraform_name(vpc: &str, instance: &str) -> String {
    let mut n = String::from("link_");
    for ch in format!("{vpc}_{instance}").chars() {
        n.push(if ch.is_ascii_alphanumeric() { ch.to_ascii_lowercase() } else { '_' });
    }
    n
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

fn terraform(old: Option<&Plan>, new: &Plan) -> String {
    const TYPE: &str = "tencentcloud_vpc_classic_link_attachment";
    let c = link_changes(old, new);
    let mut s = String::new();
    s.push_str(&format!("# Classiclink links of plan {:?}, generated by classiclink.\n", new.name));
    s.push_str(&format!("# {TYPE} takes exactly one instance; both fields force a new resource.\n"));
    // The links declared: the new plan's, without returned CVMs (returning unlinks them), each with its name.
    let mut links: Vec<(&str, &str)> = c.attach.iter().chain(&c.kept).map(|(v, i)| (v.as_str(), i.as_str())).collect();
    sort::sort(&mut links);
    links.dedup();
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let named: Vec<(&str, &str, String)> = links
        .iter()
        .map(|&(vpc, ins)| {
            let base = terraform_name(vpc, ins);
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            (vpc, ins, if *n == 1 { base } else { format!("{base}_{n}") })
        })
        .collect();
    if old.is_some() {
        for (vpc, ins) in &c.detach {
            let relinked = c.attach.contains(&(vpc.clone(), ins.clone()));
            let moved_to = c.attach.iter().find(|(v, i)| i == ins && v != vpc).map(|(v, _)| v);
            let old_name = terraform_name(vpc, ins);
            if relinked {
                // Same VPC and instance: the configuration does not change, so Terraform would do nothing.
                let name = named.iter().find(|(v, i, _)| v == vpc && i == ins).map_or(old_name, |x| x.2.clone());
                s.push_str(&format!(
                    "# relink: {ins} in {vpc} (its IP changed, so the link must be added again): \
                     terraform apply -replace={TYPE}.{name}\n"
                ));
            } else if let Some(to) = moved_to {
                // Terraform does not order a destroy before another resource's create: detach first.
                s.push_str(&format!(
                    "# moved: {ins} from {vpc} to {to}. Detach first (a CVM links to one VPC at a time): \
                     terraform apply -target={TYPE}.{old_name}, then terraform apply\n"
                ));
            } else {
                s.push_str(&format!("# removed: {ins} from {vpc} (terraform destroys its resource)\n"));
            }
        }
        for (vpc, ins) in &c.kept {
            s.push_str(&format!("# existing: terraform import {TYPE}.{} {vpc}#{ins}\n", terraform_name(vpc, ins)));
        }
    }
    if named.is_empty() {
        s.push_str("# No links.\n");
    }
    for (vpc, ins, name) in named {
        s.push_str(&format!(
            "\nresource \"tencentcloud_vpc_classic_link_attachment\" \"{name}\" {{\n  vpc_id       = {}\n  instance_ids = [{}]\n}}\n",
            hcl_string(vpc),
            hcl_string(ins)
        ));
    }
    s
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

    /// The tccli lines of a script, each checked as shell words with safe IDs.
    fn tccli_calls(script: &str) -> Vec<(String, String, Vec<String>)> {
        let mut out = Vec::new();
        assert!(script.contains("\nset -e\n"), "the script stops at the first failing call");
        for line in script.lines() {
            if line.is_empty() || line.starts_with('#') || line == "set -e" {
                continue;
            }
            let w = shell_words(line).unwrap();
            assert_eq!(&w[..3], ["tccli", "vpc", w[2].as_str()]);
            assert!(w[2] == "AttachClassicLinkVpc" || w[2] == "DetachClassicLinkVpc", "{line}");
            // The region, where the plan knows it.
            let w = if w[3] == "--region" {
                assert!(valid_id(&w[4]), "{} is a region", w[4]);
                [&w[..3], &w[5..]].concat()
            } else {
                w
            };
            assert_eq!(w[3], "--cli-unfold-argument");
            assert_eq!(w[4], "--VpcId");
            assert_eq!(w[6], "--InstanceIds");
            let ids = w[7..].to_vec();
            assert!(!ids.is_empty() && ids.len() <= MAX_IDS_PER_CALL);
            for id in ids.iter().chain([&w[5]]) {
                assert!(valid_id(id), "{id} is a safe ID");
            }
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
                let vpc = lines[i + 1].trim().strip_prefix("vpc_id       = \"").unwrap().strip_suffix('"').unwrap();
                let list = lines[i + 2].trim().strip_prefix("instance_ids = [").unwrap().strip_suffix(']').unwrap();
                let items: Vec<&str> = list.split(',').collect();
                assert_eq!(items.len(), 1, "exactly one instance per resource");
                let ins = items[0].trim().strip_prefix('"').unwrap().strip_suffix('"').unwrap();
                assert_eq!(lines[i + 3], "}");
                out.push((name.to_string(), vpc.to_string(), ins.to_string()));
                i += 4;
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
        assert!(s.contains("DescribeVpcTaskResult"), "the asynchronous note is there");
    }

    #[test]
    fn changes_detach_first_and_group_per_vpc() {
        let old = example();
        let mut new = old.clone();
        // ins-web01 moves from vpc-prod to vpc-dev; two new classic CVMs join vpc-prod.
        for (id, ip) in [("ins-b", [10, 66, 1, 2]), ("ins-a", [10, 66, 1, 1])] {
            let mut c = new.classic[0].clone();
            c.id = id.into();
            c.ip = ip.into();
            new.classic.push(c);
            new.links.push(Link { instance: id.into(), vpc: "vpc-prod".into(), ip: None });
        }
        new.links[0].vpc = "vpc-dev".into();
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
        let base = plan.classic[0].clone();
        for i in 0..205u32 {
            let mut c = base.clone();
            c.id = format!("ins-{i:03}").into();
            c.ip = std::net::Ipv4Addr::from(0x0A42_0000 + i + 1);
            plan.classic.push(c);
            plan.links.push(Link { instance: format!("ins-{i:03}").into(), vpc: "vpc-prod".into(), ip: None });
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
        new.links.push(Link { instance: "ins-web02".into(), vpc: "vpc-prod".into(), ip: None });
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
        assert_eq!(hcl_resources(&hcl), [("link_vpc_dev_ins_web01".into(), "vpc-dev".into(), "ins-web01".into())]);
        let mut returned = old.clone();
        returned.classic.iter_mut().find(|c| c.id == "ins-web01").unwrap().state = State::Returned;
        let hcl = links_script(None, &returned, ExportFormat::Terraform);
        assert!(hcl_resources(&hcl).is_empty() && hcl.contains("# No links."), "{hcl}");
    }

    #[test]
    fn terraform_names_are_sanitised_and_unique() {
        assert_eq!(terraform_name("vpc-A.1", "ins x"), "link_vpc_a_1_ins_x");
        let mut plan = example();
        let mut c = plan.classic[0].clone();
        c.id = "ins_web01".into();
        c.ip = [10, 66, 12, 9].into();
        plan.classic.push(c);
        plan.links.push(Link { instance: "ins_web01".into(), vpc: "vpc-prod".into(), ip: None });
        let res = hcl_resources(&links_script(None, &plan, ExportFormat::Terraform));
        let names: Vec<&str> = res.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(names, ["link_vpc_prod_ins_web01", "link_vpc_prod_ins_web01_2"]);
        assert_eq!(hcl_string("a\"b${x}%{y}$5"), "\"a\\\"b$${x}%%{y}$5\"");
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

    #[test]
    fn odd_ids_are_quoted_for_the_shell() {
        assert_eq!(shell_word("ins-1"), "ins-1");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_words("a 'b c' d").unwrap(), ["a", "b c", "d"]);
        assert!(shell_words("a $(rm)").is_err());
    }
}
