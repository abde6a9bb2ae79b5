//! The `classiclink` command, as a pure function of its arguments and a file system.
//!
//! `src/bin/classiclink.rs` only wires this to the real process (arguments, files, standard streams, exit code), so
//! the whole command is testable without spawning it. The contract is `cli.md`: `check`, `attach`, `detach`,
//! `reach`, `--format json|text`, exit codes 0 (yes / clean), 1 (no / findings), 2 (input unusable: the message
//! names the JSON location, and nothing is written).

use crate::domain::{self, Endpoint, LoadError, Plan, PlanError, Protocol, Severity};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Exit code: yes / clean.
pub const EXIT_OK: i32 = 0;
/// Exit code: no / findings.
pub const EXIT_NO: i32 = 1;
/// Exit code: the input could not be used.
pub const EXIT_UNUSABLE: i32 = 2;

/// What the command may do to the outside world.
pub trait Io {
    /// Reads a file (`-` is standard input).
    fn read(&mut self, path: &str) -> Result<String, String>;
    /// Writes a file (`-` is standard output).
    fn write(&mut self, path: &str, text: &str) -> Result<(), String>;
}

/// What a run printed and how it ended.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The usage text.
pub const USAGE: &str = "\
classiclink: check Tencent Cloud Classiclink plans (plan JSON v1)

usage:
  classiclink check  PLAN.json [--format text|json]
  classiclink attach PLAN.json --vpc VPC_ID --instance INS_ID [--instance INS_ID ...] [--out NEW.json] [--format ...]
  classiclink detach PLAN.json --vpc VPC_ID --instance INS_ID [--instance INS_ID ...] [--out NEW.json] [--format ...]
  classiclink reach  PLAN.json --from A --to B [--protocol TCP|UDP|ICMP|ALL] [--port N] [--format ...]
  classiclink rules  [--format text|json]

PLAN.json may be '-' for standard input. A and B are object IDs or IPv4 addresses (default TCP port 22).
exit codes: 0 yes / clean, 1 no / findings, 2 the input could not be used.
";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Text,
    Json,
}

/// Parsed flags: positional arguments and `--name value` pairs (repeatable).
struct Args {
    positional: Vec<String>,
    flags: Vec<(String, String)>,
    format: Format,
}

impl Args {
    fn parse(args: &[String], known: &[&str]) -> Result<Args, String> {
        let mut positional = Vec::new();
        let mut flags = Vec::new();
        let mut format = Format::Text;
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if let Some(name) = a.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                if name != "format" && !known.contains(&name) {
                    return Err(format!("unknown option --{name}"));
                }
                let value = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i).cloned().ok_or_else(|| format!("--{name} needs a value"))?
                    }
                };
                if name == "format" {
                    format = match value.as_str() {
                        "json" => Format::Json,
                        "text" => Format::Text,
                        other => return Err(format!("--format takes text or json, not {other:?}")),
                    };
                } else {
                    flags.push((name.to_string(), value));
                }
            } else {
                positional.push(a.clone());
            }
            i += 1;
        }
        Ok(Args { positional, flags, format })
    }

    fn one(&self, name: &str) -> Result<Option<&str>, String> {
        let mut it = self.flags.iter().filter(|(n, _)| n == name);
        let first = it.next().map(|(_, v)| v.as_str());
        if it.next().is_some() {
            return Err(format!("--{name} is given more than once"));
        }
        Ok(first)
    }

    fn required(&self, name: &str) -> Result<&str, String> {
        self.one(name)?.ok_or_else(|| format!("--{name} is required"))
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.flags.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect()
    }

    fn plan_path(&self) -> Result<&str, String> {
        match self.positional.as_slice() {
            [p] => Ok(p),
            [] => Err("missing PLAN.json (use - for standard input)".to_string()),
            more => Err(format!("expected one PLAN.json, got {}: {}", more.len(), more.join(" "))),
        }
    }
}

/// Runs the command with `args` (without the program name).
pub fn run(args: &[String], io: &mut dyn Io) -> Outcome {
    let Some((cmd, rest)) = args.split_first() else {
        return usage_error("missing command");
    };
    let known: &[&str] = match cmd.as_str() {
        "check" | "rules" => &[],
        "attach" | "detach" => &["vpc", "instance", "out"],
        "reach" => &["from", "to", "protocol", "port"],
        "help" | "--help" | "-h" => return Outcome { code: EXIT_OK, stdout: USAGE.to_string(), stderr: String::new() },
        other => return usage_error(&format!("unknown command {other:?}")),
    };
    let args = match Args::parse(rest, known) {
        Ok(a) => a,
        Err(e) => return usage_error(&e),
    };
    match cmd.as_str() {
        "check" => with_plan(&args, io, check),
        "attach" => with_plan(&args, io, |p, a, io| link(p, a, io, true)),
        "detach" => with_plan(&args, io, |p, a, io| link(p, a, io, false)),
        "reach" => with_plan(&args, io, reach),
        _ => rules(&args),
    }
}

fn usage_error(msg: &str) -> Outcome {
    Outcome { code: EXIT_UNUSABLE, stdout: String::new(), stderr: format!("classiclink: {msg}\n\n{USAGE}") }
}

/// An unusable input: every error with its JSON location, on stderr (and as JSON on stdout with `--format json`).
fn unusable(source: &str, format: Format, errors: &[PlanError]) -> Outcome {
    let mut stderr = String::new();
    for e in errors {
        let _ = writeln!(stderr, "classiclink: {source}: {}: {}", e.path, e.message);
    }
    let stdout = match format {
        Format::Json => json_line(&json!({
            "errors": errors.iter().map(|e| json!({"path": e.path, "message": e.message})).collect::<Vec<_>>()
        })),
        Format::Text => String::new(),
    };
    Outcome { code: EXIT_UNUSABLE, stdout, stderr }
}

fn json_line(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values serialise");
    s.push('\n');
    s
}

fn with_plan(args: &Args, io: &mut dyn Io, f: impl FnOnce(Plan, &Args, &mut dyn Io) -> Outcome) -> Outcome {
    let path = match args.plan_path() {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    let text = match io.read(path) {
        Ok(t) => t,
        Err(e) => return unusable(path, args.format, &[PlanError { path: ".".into(), message: e }]),
    };
    match domain::import(&text) {
        Ok(plan) => f(plan, args, io),
        Err(LoadError { errors }) => unusable(path, args.format, &errors),
    }
}

fn check(plan: Plan, args: &Args, _io: &mut dyn Io) -> Outcome {
    let report = domain::check(&plan);
    let failed =
        report.findings.iter().any(|f| f.severity == Severity::Error) || report.expectations.iter().any(|e| !e.holds);
    let code = if failed { EXIT_NO } else { EXIT_OK };
    let stdout = match args.format {
        Format::Json => json_line(&serde_json::to_value(&report).expect("reports serialise")),
        Format::Text => {
            let mut s = String::new();
            for f in &report.findings {
                let api = f.api_error.map(|a| format!(" [{a}]")).unwrap_or_default();
                let _ = writeln!(s, "{:<7} {}{}: {}", f.severity.as_str(), f.rule, api, f.message);
            }
            for e in &report.expectations {
                let x = &plan.expectations[e.index];
                let proto = x.protocol();
                let port = if proto.has_ports() { format!(" {}", x.port()) } else { String::new() };
                let want = if x.reachable { "reachable" } else { "blocked" };
                let verdict = if e.holds { "holds" } else { "BROKEN" };
                let got = match e.answer.reason {
                    Some(r) => format!("blocked ({r}): {}", e.answer.message),
                    None => "reachable".to_string(),
                };
                let _ = writeln!(
                    s,
                    "expectation {} {verdict}: {} -> {} {proto}{port} should be {want}; it is {got}",
                    e.index, x.from, x.to
                );
            }
            let count = |sev| report.findings.iter().filter(|f| f.severity == sev).count();
            let broken = report.expectations.iter().filter(|e| !e.holds).count();
            let _ = writeln!(
                s,
                "{} error(s), {} warning(s), {} info; {} of {} expectation(s) broken",
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
                broken,
                report.expectations.len()
            );
            s
        }
    };
    Outcome { code, stdout, stderr: String::new() }
}

fn link(plan: Plan, args: &Args, io: &mut dyn Io, attach: bool) -> Outcome {
    let vpc = match args.required("vpc") {
        Ok(v) => v,
        Err(e) => return usage_error(&e),
    };
    let instances = args.all("instance");
    if instances.is_empty() {
        return usage_error("at least one --instance is required");
    }
    let out = match args.one("out") {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    let result =
        if attach { domain::ops::attach(&plan, vpc, &instances) } else { domain::ops::detach(&plan, vpc, &instances) };
    match result {
        Ok(new_plan) => {
            let mut stderr = String::new();
            if let Some(out) = out {
                if let Err(e) = io.write(out, &domain::export(&new_plan)) {
                    return Outcome {
                        code: EXIT_UNUSABLE,
                        stdout: String::new(),
                        stderr: format!("classiclink: cannot write {out}: {e}\n"),
                    };
                }
                let _ = writeln!(stderr, "classiclink: wrote {out}");
            }
            let verb = if attach { "linked to" } else { "unlinked from" };
            let stdout = match args.format {
                Format::Json => json_line(&json!({ "ok": true })),
                Format::Text => format!("ok: {} {verb} {vpc}\n", instances.join(", ")),
            };
            Outcome { code: EXIT_OK, stdout, stderr }
        }
        Err(refusal) => {
            let stdout = match args.format {
                Format::Json => json_line(&json!({
                    "ok": false,
                    "api_error": refusal.api_error,
                    "rule": refusal.rule,
                    "message": refusal.message,
                    "objects": refusal.objects,
                })),
                Format::Text => {
                    let rule = refusal.rule.map(|r| format!(" ({r})")).unwrap_or_default();
                    format!("refused: {}{rule}: {}\n", refusal.api_error, refusal.message)
                }
            };
            Outcome { code: EXIT_NO, stdout, stderr: String::new() }
        }
    }
}

fn reach(plan: Plan, args: &Args, _io: &mut dyn Io) -> Outcome {
    let parsed = (|| -> Result<(Endpoint, Endpoint, Protocol, u16), String> {
        let from = Endpoint::from(args.required("from")?);
        let to = Endpoint::from(args.required("to")?);
        let protocol = match args.one("protocol")? {
            Some(p) => p.parse::<Protocol>()?,
            None => Protocol::Tcp,
        };
        let port = match args.one("port")? {
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n >= 1 => n,
                _ => return Err(format!("--port takes a port 1-65535, not {p:?}")),
            },
            None => 22,
        };
        Ok((from, to, protocol, port))
    })();
    let (from, to, protocol, port) = match parsed {
        Ok(q) => q,
        Err(e) => return usage_error(&e),
    };
    let answer = match domain::reach(&plan, &from, &to, protocol, port) {
        Ok(a) => a,
        Err(e) => return unusable("query", args.format, &[e]),
    };
    let code = if answer.reachable { EXIT_OK } else { EXIT_NO };
    let stdout = match args.format {
        Format::Json => json_line(&serde_json::to_value(&answer).expect("answers serialise")),
        Format::Text => {
            let mut s = String::new();
            match answer.reason {
                None => {
                    let _ = writeln!(s, "reachable: {}", answer.message);
                }
                Some(r) => {
                    let _ = writeln!(s, "blocked ({r}): {}", answer.message);
                    if let Some(b) = &answer.blocked_by {
                        let rule = b.rule_index.map(|i| format!(" rule {i}")).unwrap_or_default();
                        let dir = b
                            .direction
                            .map(|d| format!(" {}", if d == domain::Direction::Ingress { "ingress" } else { "egress" }))
                            .unwrap_or_default();
                        let _ = writeln!(s, "blocked by: {}{dir}{rule}", b.object);
                    }
                }
            }
            if !answer.hops.is_empty() {
                let _ = writeln!(s, "hops: {}", answer.hops.join(" -> "));
            }
            s
        }
    };
    Outcome { code, stdout, stderr: String::new() }
}

fn rules(args: &Args) -> Outcome {
    if !args.positional.is_empty() {
        return usage_error("rules takes no PLAN.json");
    }
    let cat = domain::rules::catalogue();
    let stdout = match args.format {
        Format::Json => json_line(&Value::Array(
            cat.iter()
                .map(|r| {
                    let i = &r.info;
                    json!({
                        "id": i.id, "name": i.name, "severity": i.severity, "summary": i.summary,
                        "api_error": i.api_error, "seed": i.seed, "seed_docs": i.seed_docs,
                        "what": i.what, "why": i.why, "example": i.example, "fix": i.fix,
                    })
                })
                .collect(),
        )),
        Format::Text => {
            let mut s = String::new();
            for r in cat {
                let i = &r.info;
                let api = i.api_error.map(|a| format!(" [{a}]")).unwrap_or_default();
                let _ = writeln!(s, "{} {:<7} {}{}: {}", i.id, i.severity.as_str(), i.name, api, i.summary);
            }
            s
        }
    };
    Outcome { code: EXIT_OK, stdout, stderr: String::new() }
}
