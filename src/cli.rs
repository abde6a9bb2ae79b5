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
  classiclink import --from tencent BUNDLE.json [--region R] [--out PLAN.json] [--format text|json]
  classiclink export PLAN.json --to tccli|terraform|api [--since OLD.json] [--force] [--out FILE] [--format json]
  classiclink diff   OLD.json NEW.json [--protocol P] [--port N] [--format text|json]
  classiclink migrate PLAN.json [--to markdown|json] [--format json]

PLAN.json may be '-' for standard input. A and B are object IDs or IPv4 addresses (default TCP port 22).
exit codes: 0 yes / clean / same, 1 no / findings / refused / different, 2 the input could not be used.
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
    /// Options without a value (`--force`).
    switches: Vec<String>,
    format: Format,
}

impl Args {
    fn parse(args: &[String], known: &[&str], known_switches: &[&str]) -> Result<Args, String> {
        let mut positional = Vec::new();
        let mut flags = Vec::new();
        let mut switches = Vec::new();
        let mut format = Format::Text;
        let mut format_given = false;
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if let Some(name) = a.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                if known_switches.contains(&name) {
                    if inline.is_some() {
                        return Err(format!("--{name} takes no value"));
                    }
                    switches.push(name.to_string());
                    i += 1;
                    continue;
                }
                if name != "format" && !known.contains(&name) {
                    return Err(format!("unknown option --{name}"));
                }
                let value = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        // An option is no value: `--out --force` would write a file named "--force".
                        match args.get(i) {
                            Some(v) if !v.starts_with("--") => v.clone(),
                            _ => return Err(format!("--{name} needs a value")),
                        }
                    }
                };
                if name == "format" {
                    if std::mem::replace(&mut format_given, true) {
                        return Err("--format is given more than once".to_string());
                    }
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
        Ok(Args { positional, flags, switches, format })
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

    fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
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
/// `classiclink --help`: the usage, on standard output.
fn help() -> Outcome {
    Outcome { code: EXIT_OK, stdout: USAGE.to_string(), stderr: String::new() }
}

/// `classiclink --version`.
fn version() -> Outcome {
    Outcome { code: EXIT_OK, stdout: format!("classiclink {}\n", env!("CARGO_PKG_VERSION")), stderr: String::new() }
}

pub fn run(args: &[String], io: &mut dyn Io) -> Outcome {
    let Some((cmd, rest)) = args.split_first() else {
        return usage_error(json_asked(args), "missing command");
    };
    let (known, switches): (&[&str], &[&str]) = match cmd.as_str() {
        "check" | "rules" => (&[], &[]),
        "attach" | "detach" => (&["vpc", "instance", "out"], &[]),
        "reach" => (&["from", "to", "protocol", "port"], &[]),
        "import" => (&["from", "region", "out"], &[]),
        "export" => (&["to", "since", "out"], &["force"]),
        "diff" => (&["protocol", "port"], &[]),
        "migrate" => (&["to"], &[]),
        "help" | "--help" | "-h" => return help(),
        "version" | "--version" | "-V" => return version(),
        other => return usage_error(json_asked(rest), &format!("unknown command {other:?}")),
    };
    // `classiclink check --help`: the usage, not "unknown option"; the same for --version.
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        return help();
    }
    if rest.iter().any(|a| a == "--version" || a == "-V") {
        return version();
    }
    let args = match Args::parse(rest, known, switches) {
        Ok(a) => a,
        Err(e) => return usage_error(json_asked(rest), &e),
    };
    match cmd.as_str() {
        "check" => with_plan(&args, io, check),
        "attach" => with_plan(&args, io, |p, a, io| link(p, a, io, true)),
        "detach" => with_plan(&args, io, |p, a, io| link(p, a, io, false)),
        "reach" => with_plan(&args, io, reach),
        "import" => import(&args, io),
        "export" => export(&args, io),
        "diff" => diff(&args, io),
        "migrate" => with_plan(&args, io, migrate),
        _ => rules(&args),
    }
}

/// A command line that cannot be used: the message on stderr with a pointer to the usage (the whole usage would
/// bury the one line that matters in a CI log), and as JSON on stdout with `--format json`, as a plan's errors are.
fn usage_error(format: Format, msg: &str) -> Outcome {
    let stdout = match format {
        Format::Json => json_line(&json!({"errors": [{"file": "command line", "path": ".", "message": msg}]})),
        Format::Text => String::new(),
    };
    Outcome {
        code: EXIT_UNUSABLE,
        stdout,
        stderr: format!("classiclink: {msg}\n(`classiclink --help` prints the usage)\n"),
    }
}

/// Whether the command line asks for JSON (`--format json` or `--format=json`), looked at before it is parsed: a
/// command line that does not parse still answers in the format it asked for.
fn json_asked(args: &[String]) -> Format {
    let asked =
        args.windows(2).any(|w| w[0] == "--format" && w[1] == "json") || args.iter().any(|a| a == "--format=json");
    if asked {
        Format::Json
    } else {
        Format::Text
    }
}

/// An unusable input: every error with its JSON location, on stderr (and as JSON on stdout with `--format json`).
fn unusable(source: &str, format: Format, errors: &[PlanError]) -> Outcome {
    unusable_files(format, &[(source, errors)])
}

/// Unusable inputs, one or more files each with its errors: every error with its file and JSON location, on stderr
/// and as JSON on stdout with `--format json` (`file` tells the plans of a two-plan command apart).
fn unusable_files(format: Format, files: &[(&str, &[PlanError])]) -> Outcome {
    let mut stderr = String::new();
    let mut listed = Vec::new();
    for &(source, errors) in files {
        for e in errors {
            let _ = writeln!(stderr, "classiclink: {source}: {e}");
            listed.push(json!({"file": source, "path": e.path, "message": e.message}));
        }
    }
    let stdout = match format {
        Format::Json => json_line(&json!({ "errors": listed })),
        Format::Text => String::new(),
    };
    Outcome { code: EXIT_UNUSABLE, stdout, stderr }
}

fn json_line(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values serialise");
    s.push('\n');
    s
}

/// Reads a file (`-` is standard input); a failure is the unusable-input outcome naming the file.
fn read_text(io: &mut dyn Io, path: &str, format: Format) -> Result<String, Outcome> {
    read_whole(io, path).map_err(|e| unusable(path, format, &[e]))
}

/// Reads a file (`-` is standard input); a failure is an error of the whole file, at ".".
fn read_whole(io: &mut dyn Io, path: &str) -> Result<String, PlanError> {
    io.read(path).map_err(|message| PlanError { path: ".".into(), message })
}

/// Reads and imports a plan; a failure is the unusable-input outcome naming every error's JSON location.
fn read_plan(io: &mut dyn Io, path: &str, format: Format) -> Result<Plan, Outcome> {
    load_plan(io, path).map_err(|errors| unusable(path, format, &errors))
}

/// Reads and imports a plan, or says why it cannot be used.
fn load_plan(io: &mut dyn Io, path: &str) -> Result<Plan, Vec<PlanError>> {
    let text = read_whole(io, path).map_err(|e| vec![e])?;
    domain::import(&text).map_err(|LoadError { errors }| errors)
}

/// Reads and imports every plan of `paths`; when any cannot be used, one outcome names the errors of each.
fn read_plans<const N: usize>(io: &mut dyn Io, paths: [&str; N], format: Format) -> Result<[Plan; N], Outcome> {
    let loaded = paths.map(|p| load_plan(io, p));
    let failed: Vec<(&str, &[PlanError])> =
        paths.iter().zip(&loaded).filter_map(|(&p, r)| r.as_ref().err().map(|e| (p, e.as_slice()))).collect();
    if !failed.is_empty() {
        return Err(unusable_files(format, &failed));
    }
    Ok(loaded.map(|r| r.expect("none failed")))
}

/// Writes `text` to `out`; returns the line that says so for stderr, or the outcome of a failed write (said as JSON
/// on stdout too with `--format json`, as every outcome that exits 2).
fn write_out(io: &mut dyn Io, out: &str, text: &str, format: Format) -> Result<String, Outcome> {
    match io.write(out, text) {
        // `--out -` is standard output: nothing to say where it went.
        Ok(()) if out == "-" => Ok(String::new()),
        Ok(()) => Ok(format!("classiclink: wrote {out}\n")),
        Err(e) => Err(Outcome {
            code: EXIT_UNUSABLE,
            stdout: match format {
                Format::Json => {
                    json_line(&json!({"errors": [{"file": out, "path": ".", "message": format!("cannot write: {e}")}]}))
                }
                Format::Text => String::new(),
            },
            stderr: format!("classiclink: cannot write {out}: {e}\n"),
        }),
    }
}

fn with_plan(args: &Args, io: &mut dyn Io, f: impl FnOnce(Plan, &Args, &mut dyn Io) -> Outcome) -> Outcome {
    let path = match args.plan_path() {
        Ok(p) => p,
        Err(e) => return usage_error(args.format, &e),
    };
    match read_plan(io, path, args.format) {
        Ok(plan) => f(plan, args, io),
        Err(out) => out,
    }
}

fn check(plan: Plan, args: &Args, _io: &mut dyn Io) -> Outcome {
    let report = domain::check(&plan);
    let code = if report.failed() { EXIT_NO } else { EXIT_OK };
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
        Err(e) => return usage_error(args.format, &e),
    };
    let instances = args.all("instance");
    if instances.is_empty() {
        return usage_error(args.format, "at least one --instance is required");
    }
    let out = match args.one("out") {
        Ok(o) => o,
        Err(e) => return usage_error(args.format, &e),
    };
    let result =
        if attach { domain::ops::attach(&plan, vpc, &instances) } else { domain::ops::detach(&plan, vpc, &instances) };
    match result {
        Ok(new_plan) => {
            let mut stderr = String::new();
            if let Some(out) = out {
                match write_out(io, out, &domain::export(&new_plan), args.format) {
                    Ok(line) => stderr = line,
                    Err(failed) => return failed,
                }
            }
            // A detached link Tencent Cloud never made: the plan drops it, and no call would (the real service
            // answers ResourceNotFound for it).
            if !attach {
                let refs = domain::Refs::new(&plan);
                for i in &instances {
                    let Some(c) = refs.classic(i) else { continue };
                    let to_vpc: Vec<usize> =
                        refs.links_of(c).iter().map(|&l| l as usize).filter(|&l| plan.links[l].vpc == vpc).collect();
                    if let Some(&l) =
                        to_vpc.first().filter(|_| to_vpc.iter().all(|&l| !refs.link_fate(&plan, l).made()))
                    {
                        let why = refs.link_fate(&plan, l).why(&plan, l).unwrap_or_default();
                        stderr.push_str(&format!(
                            "classiclink: note: {i}'s listed link to {vpc} was never made ({why}): it is removed from \
                             the plan, and no DetachClassicLinkVpc call is needed for it\n"
                        ));
                    }
                }
            }
            // Other listed links whose fate the call changed (see `ops::knock_on`).
            for n in domain::ops::knock_on(&plan, &new_plan) {
                stderr.push_str(&format!("classiclink: note: {n}\n"));
            }
            let verb = if attach { "linked to" } else { "unlinked from" };
            let answer = match args.format {
                Format::Json => json_line(&json!({ "ok": true })),
                Format::Text => format!("ok: {} {verb} {vpc}\n", instances.join(", ")),
            };
            // With the new plan on standard output (`--out -`), the answer goes to standard error: one document
            // on standard output, readable as it is.
            if out == Some("-") {
                return Outcome { code: EXIT_OK, stdout: String::new(), stderr: format!("{stderr}{answer}") };
            }
            Outcome { code: EXIT_OK, stdout: answer, stderr }
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
            // With `--out -`, standard output is for the plan alone: the answer goes to standard error, refused or not.
            if out == Some("-") {
                return Outcome { code: EXIT_NO, stdout: String::new(), stderr: stdout };
            }
            Outcome { code: EXIT_NO, stdout, stderr: String::new() }
        }
    }
}

fn reach(plan: Plan, args: &Args, _io: &mut dyn Io) -> Outcome {
    let parsed = (|| -> Result<(Endpoint, Endpoint, Protocol, u16), String> {
        let from = Endpoint::from(args.required("from")?);
        let to = Endpoint::from(args.required("to")?);
        let (protocol, port) = protocol_port(args)?;
        Ok((from, to, protocol, port))
    })();
    let (from, to, protocol, port) = match parsed {
        Ok(q) => q,
        Err(e) => return usage_error(args.format, &e),
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
    Outcome { code, stdout, stderr: port_note(args, protocol) }
}

/// A note when `--port` is given for a protocol without ports (ICMP, ALL), where it is ignored.
fn port_note(args: &Args, protocol: Protocol) -> String {
    match args.one("port") {
        Ok(Some(p)) if !protocol.has_ports() => {
            format!("classiclink: note: --port {p} is ignored: {protocol} has no ports\n")
        }
        _ => String::new(),
    }
}

/// `--protocol` (default TCP) and `--port` (default 22).
fn protocol_port(args: &Args) -> Result<(Protocol, u16), String> {
    let protocol = match args.one("protocol")? {
        Some(p) => p.parse::<Protocol>()?,
        None => Protocol::Tcp,
    };
    let port = match args.one("port")? {
        Some(p) => {
            crate::domain::addr::parse_port(p).ok_or_else(|| format!("--port takes a port 1-65535, not {p:?}"))?
        }
        None => 22,
    };
    Ok((protocol, port))
}

/// Writes `text` to `--out` (saying so on stderr) or returns it for stdout.
fn emit(args: &Args, io: &mut dyn Io, text: String, code: i32) -> Outcome {
    match args.one("out") {
        Ok(Some(out)) => match write_out(io, out, &text, args.format) {
            Ok(line) => Outcome { code, stdout: String::new(), stderr: line },
            Err(failed) => failed,
        },
        Ok(None) => Outcome { code, stdout: text, stderr: String::new() },
        Err(e) => usage_error(args.format, &e),
    }
}

fn import(args: &Args, io: &mut dyn Io) -> Outcome {
    match args.one("from") {
        Ok(Some("tencent")) => {}
        Ok(Some(other)) => return usage_error(args.format, &format!("--from takes tencent, not {other:?}")),
        Ok(None) => return usage_error(args.format, "--from tencent is required"),
        Err(e) => return usage_error(args.format, &e),
    }
    let path = match args.plan_path() {
        Ok(p) => p,
        Err(_) => return usage_error(args.format, "expected one BUNDLE.json (use - for standard input)"),
    };
    let region = match args.one("region") {
        Ok(r) => r,
        Err(e) => return usage_error(args.format, &e),
    };
    let text = match read_text(io, path, args.format) {
        Ok(t) => t,
        Err(out) => return out,
    };
    match domain::tencent::import_bundle(&text, region) {
        Err(LoadError { errors }) => unusable(path, args.format, &errors),
        Ok(outcome) => {
            let mut out = emit(args, io, domain::export(&outcome.plan), EXIT_OK);
            if out.code == EXIT_OK {
                let mut notes = String::new();
                for n in &outcome.notes {
                    let _ = writeln!(notes, "classiclink: note: {n}");
                }
                out.stderr = notes + &out.stderr;
            }
            out
        }
    }
}

fn export(args: &Args, io: &mut dyn Io) -> Outcome {
    use domain::export::ExportFormat;
    // `--format json` asks for the JSON export (`--to api`), and refusals as JSON.
    let to: ExportFormat = match (args.one("to"), args.format) {
        (Ok(Some(t)), format) => match t.parse() {
            Ok(ExportFormat::Api) => ExportFormat::Api,
            Ok(_) if format == Format::Json => {
                return usage_error(
                    args.format,
                    &format!(
                    "--format json asks for the JSON list of API calls, but --to {t} is not JSON: give --to api (or \
                     leave --to out), or drop --format json"
                ),
                )
            }
            Ok(f) => f,
            Err(e) => return usage_error(args.format, &e),
        },
        (Ok(None), Format::Json) => ExportFormat::Api,
        (Ok(None), Format::Text) => return usage_error(args.format, "--to tccli|terraform|api is required"),
        (Err(e), _) => return usage_error(args.format, &e),
    };
    let path = match args.plan_path() {
        Ok(p) => p,
        Err(e) => return usage_error(args.format, &e),
    };
    // With --since, both plans are read before either is refused: the errors of each are named.
    let (plan, since) = match args.one("since") {
        Ok(Some(old)) => match read_plans(io, [path, old], args.format) {
            Ok([plan, since]) => (plan, Some(since)),
            Err(out) => return out,
        },
        Ok(None) => match read_plan(io, path, args.format) {
            Ok(plan) => (plan, None),
            Err(out) => return out,
        },
        Err(e) => return usage_error(args.format, &e),
    };
    let report = domain::check(&plan);
    match domain::export::export_links(since.as_ref(), &plan, to, &report.findings, args.switch("force")) {
        Ok(text) => {
            let mut out = emit(args, io, text, EXIT_OK);
            // JSON has no comments: what the other formats say in theirs goes to standard error.
            if out.code == EXIT_OK && to == ExportFormat::Api {
                let mut notes = String::new();
                for n in domain::export::api_notes(since.as_ref(), &plan, &report.findings) {
                    let _ = writeln!(notes, "classiclink: note: {n}");
                }
                out.stderr = notes + &out.stderr;
            }
            out
        }
        Err(refused) => Outcome {
            code: EXIT_NO,
            stdout: match args.format {
                Format::Json => json_line(&json!({ "ok": false, "message": refused.to_string() })),
                Format::Text => String::new(),
            },
            stderr: format!("classiclink: {refused}\n"),
        },
    }
}

fn diff(args: &Args, io: &mut dyn Io) -> Outcome {
    let [old_path, new_path] = args.positional.as_slice() else {
        return usage_error(args.format, "diff takes two plans: OLD.json NEW.json");
    };
    let (protocol, port) = match protocol_port(args) {
        Ok(q) => q,
        Err(e) => return usage_error(args.format, &e),
    };
    let plans = match read_plans(io, [old_path, new_path], args.format) {
        Ok(plans) => plans,
        Err(out) => return out,
    };
    let [old, new] = &plans;
    let objects = domain::diff::diff(old, new);
    let findings = domain::diff::findings_diff(&domain::check(old), &domain::check(new));
    let (net_old, net_new) = (domain::Network::new(old), domain::Network::new(new));
    // Each expectation at its own protocol and port (as the check asks it), the other pairs at --protocol/--port.
    let flows = domain::diff::flow_diff_at(
        old,
        new,
        &objects,
        (protocol, port),
        |p, a, b, protocol, port| {
            let net = if std::ptr::eq(p, old) { &net_old } else { &net_new };
            net.reach(a, b, protocol, port).unwrap_or_else(|e| domain::Answer {
                reachable: false,
                reason: None,
                blocked_by: None,
                hops: Vec::new(),
                message: e.to_string(),
            })
        },
        domain::diff::DEFAULT_FLOW_PAIRS,
    );
    let same = objects.is_empty()
        && findings.appeared.is_empty()
        && findings.disappeared.is_empty()
        && flows.gained.is_empty()
        && flows.lost.is_empty();
    let code = if same { EXIT_OK } else { EXIT_NO };
    let stdout = match args.format {
        Format::Json => json_line(&json!({
            "same": same,
            "plan": objects,
            "findings": findings,
            "flows": { "protocol": protocol, "port": port, "gained": flows.gained, "lost": flows.lost,
                       "pairs_checked": flows.pairs_checked, "truncated": flows.truncated },
        })),
        Format::Text => {
            let mut s = String::new();
            for line in &objects.settings {
                let _ = writeln!(s, "~ {line}");
            }
            for o in &objects.objects {
                let sign = match o.change {
                    domain::diff::Change::Added => "+",
                    domain::diff::Change::Removed => "-",
                    domain::diff::Change::Changed => "~",
                };
                let fields = if o.fields.is_empty() { String::new() } else { format!(" ({})", o.fields.join(", ")) };
                let _ = writeln!(s, "{sign} {} {}{fields}", o.section, o.id);
            }
            for l in &objects.links {
                let sign = match l.change {
                    domain::diff::Change::Added => "+",
                    domain::diff::Change::Removed => "-",
                    domain::diff::Change::Changed => "~",
                };
                // The IP the link was made for, where it changed, and what to do in Tencent Cloud (as the app shows
                // them).
                let made = match l.change {
                    domain::diff::Change::Changed => format!(" (made for {})", l.made_for("its current IP")),
                    _ => String::new(),
                };
                let _ = writeln!(s, "{sign} link {} -> {}{made}: {}", l.instance, l.vpc, l.action);
            }
            // Listed links Tencent Cloud never made: no link added or removed, said apart, with why.
            for l in &objects.refused {
                let (ins, vpc, why) = (&l.instance, &l.vpc, &l.why);
                let _ = match l.change {
                    domain::diff::Change::Removed => {
                        writeln!(s, "! refused link {ins} -> {vpc} no longer listed (it was never made: {why})")
                    }
                    _ => writeln!(s, "! refused link {ins} -> {vpc} listed, never made: {why}"),
                };
            }
            for f in &findings.appeared {
                let _ = writeln!(s, "+ finding {} {}: {}", f.rule, f.severity, f.message);
            }
            for f in &findings.disappeared {
                let _ = writeln!(s, "- finding {} {}: {}", f.rule, f.severity, f.message);
            }
            for f in &flows.gained {
                let _ = writeln!(s, "+ flow {}", f.reason);
            }
            for f in &flows.lost {
                let _ = writeln!(s, "- flow {}", f.reason);
            }
            let refused = match objects.refused.len() {
                0 => String::new(),
                n => format!(" ({n} listed link(s) never made)"),
            };
            let _ = writeln!(
                s,
                "{} object change(s), {} link change(s){refused}, {} finding(s) appeared, {} disappeared, {} flow(s) gained, {} lost ({} checked: the expectations at their own protocol and port, the others at {}{})",
                objects.objects.len() + objects.settings.len(),
                objects.links.len(),
                findings.appeared.len(),
                findings.disappeared.len(),
                flows.gained.len(),
                flows.lost.len(),
                domain::rules::count(flows.pairs_checked, "pair", "pairs"),
                domain::reach::traffic(protocol, port),
                if flows.truncated { ", truncated: the pairs nearest the changes first" } else { "" }
            );
            s
        }
    };
    Outcome { code, stdout, stderr: port_note(args, protocol) }
}

fn migrate(plan: Plan, args: &Args, _io: &mut dyn Io) -> Outcome {
    let list = domain::migrate::checklist(&plan);
    let stdout = match (args.one("to"), args.format) {
        (Ok(Some("markdown")), Format::Json) => {
            return usage_error(args.format, "--format json and --to markdown ask for two formats: give one of them")
        }
        (Ok(None | Some("markdown")), Format::Text) => domain::migrate::to_markdown(&list),
        (Ok(None | Some("json")), _) => json_line(&serde_json::to_value(&list).expect("checklists serialise")),
        (Ok(Some(other)), _) => {
            return usage_error(args.format, &format!("--to takes markdown or json, not {other:?}"))
        }
        (Err(e), _) => return usage_error(args.format, &e),
    };
    Outcome { code: EXIT_OK, stdout, stderr: String::new() }
}

fn rules(args: &Args) -> Outcome {
    if !args.positional.is_empty() {
        return usage_error(args.format, "rules takes no PLAN.json");
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
