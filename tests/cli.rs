//! The `classiclink` command as a user runs it: the real binary, real files, exit codes (cli.md).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const REFERENCE: &str = "tests/fixtures/plan-format-example.json";
const GUANGZHOU: &str = "www/examples/guangzhou.json";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_classiclink"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("the binary runs")
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = bin()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A scratch directory of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn check_the_reference_example_keeps_its_expectations() {
    let out = run(&["check", REFERENCE, "--format", "json"]);
    let v = json(&out);
    let exps = v["expectations"].as_array().unwrap();
    assert_eq!(exps.len(), 2);
    assert_eq!(exps[0]["index"], 0);
    assert_eq!(exps[0]["holds"], true, "{v}");
    assert_eq!(exps[0]["answer"]["reachable"], true);
    assert_eq!(exps[1]["holds"], true, "{v}");
    assert_eq!(exps[1]["answer"]["reachable"], false);
    assert_eq!(exps[1]["answer"]["reason"], "SECONDARY_CIDR");
    let findings = v["findings"].as_array().unwrap();
    for f in findings {
        for key in ["rule", "severity", "api_error", "objects", "message"] {
            assert!(f.get(key).is_some(), "finding without {key}: {f}");
        }
    }
    let has_error = findings.iter().any(|f| f["severity"] == "error");
    assert_eq!(out.status.code(), Some(if has_error { 1 } else { 0 }));
}

#[test]
fn check_the_app_example_reports_its_broken_link() {
    let out = run(&["check", GUANGZHOU, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let exps = v["expectations"].as_array().unwrap();
    // ins-app01's IP changed since it was linked: its link is invalid.
    assert_eq!(exps[2]["holds"], false);
    assert_eq!(exps[2]["answer"]["reason"], "LINK_INVALID");
    // The bastion was never linked.
    assert_eq!(exps[4]["holds"], false);
    assert_eq!(exps[4]["answer"]["reason"], "NOT_LINKED");
    // Linked web tier reaches the API, the assistant CIDR stays out of reach, and the VPN is not transitive.
    assert_eq!(exps[0]["holds"], true);
    assert_eq!(exps[3]["answer"]["reason"], "SECONDARY_CIDR");
    assert_eq!(exps[6]["answer"]["reason"], "NOT_TRANSITIVE");
    let findings = v["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["objects"].as_array().unwrap().iter().any(|o| o == "ins-app01") && f["severity"] == "error"),
        "an error finding names ins-app01: {v}"
    );
}

#[test]
fn check_text_is_for_people() {
    let out = run(&["check", GUANGZHOU]);
    assert_eq!(out.status.code(), Some(1));
    let s = stdout(&out);
    assert!(s.contains("expectation 2 BROKEN: ins-app01 -> ins-api01 TCP 8080"), "{s}");
    assert!(s.contains("LINK_INVALID"), "{s}");
    assert!(s.lines().last().unwrap().contains("expectation(s) broken"), "{s}");
}

#[test]
fn attach_to_an_out_of_range_vpc_is_refused_with_the_api_code() {
    let dir = scratch("attach-refused");
    let new = dir.join("new.json");
    let out = run(&[
        "attach",
        GUANGZHOU,
        "--vpc",
        "vpc-data",
        "--instance",
        "ins-web04",
        "--out",
        new.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(v["api_error"], "UnsupportedOperation.CIDRUnSupportedClassicLink");
    assert_eq!(v["rule"], "CL001");
    let msg = v["message"].as_str().unwrap();
    assert!(msg.contains("vpc-data") && msg.contains("172.16.0.0/16"), "{msg}");
    assert!(!new.exists(), "a refused attach writes nothing");
}

#[test]
fn attach_then_detach_round_trips_through_files() {
    let dir = scratch("attach-ok");
    let linked = dir.join("linked.json");
    let out = run(&[
        "attach",
        GUANGZHOU,
        "--vpc",
        "vpc-prod",
        "--instance",
        "ins-web04",
        "--instance",
        "ins-bastion",
        "--out",
        linked.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(json(&out), serde_json::json!({ "ok": true }));
    let plan = classiclink::domain::import(&std::fs::read_to_string(&linked).unwrap()).unwrap();
    let link = plan.first_listed_link("ins-bastion").expect("the bastion is linked now");
    assert_eq!(link.vpc, "vpc-prod");
    assert_eq!(link.ip, Some("10.66.1.2".parse().unwrap()), "the link records the IP at link time");
    assert!(plan.first_listed_link("ins-web04").is_some());

    // Now the bastion reaches the API on 22.
    let out = run(&["reach", linked.to_str().unwrap(), "--from", "ins-bastion", "--to", "ins-api01"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    let unlinked = dir.join("unlinked.json");
    let out = run(&[
        "detach",
        linked.to_str().unwrap(),
        "--vpc",
        "vpc-prod",
        "--instance",
        "ins-bastion",
        "--out",
        unlinked.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let plan = classiclink::domain::import(&std::fs::read_to_string(&unlinked).unwrap()).unwrap();
    assert!(plan.first_listed_link("ins-bastion").is_none());
    assert!(plan.first_listed_link("ins-web04").is_some());
    // `--out -`: the new plan alone on standard output (one JSON document), the answer on standard error.
    let out =
        run(&["attach", GUANGZHOU, "--vpc", "vpc-prod", "--instance", "ins-web04", "--out", "-", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = classiclink::domain::import(&stdout(&out)).expect("standard output is the plan");
    assert!(plan.first_listed_link("ins-web04").is_some());
    let answer: Value = serde_json::from_str(&stderr(&out)).expect("standard error is the answer");
    assert_eq!(answer, serde_json::json!({ "ok": true }));
    // Refused: still nothing but a plan on standard output (here none).
    let out =
        run(&["attach", GUANGZHOU, "--vpc", "vpc-data", "--instance", "ins-web04", "--out", "-", "--format", "json"]);
    assert_eq!((out.status.code(), stdout(&out).as_str()), (Some(1), ""));
    assert!(stderr(&out).contains("CIDRUnSupportedClassicLink"), "{}", stderr(&out));
}

#[test]
fn detach_of_an_unlinked_instance_is_refused() {
    let out = run(&["detach", GUANGZHOU, "--vpc", "vpc-prod", "--instance", "ins-legacy01", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["api_error"], "ResourceNotFound");
}

/// Detaching a listed link Tencent Cloud never made drops it from the plan, says so on standard error (no API call
/// is needed for it), and answers as any detach on standard output.
#[test]
fn detaching_a_link_never_made_says_so() {
    let plan = r#"{"format": "classiclink-plan", "version": 1,
        "classic": [{"id": "ins-a", "kind": "cvm", "region": "r", "ip": "10.66.0.1"}],
        "vpcs": [{"id": "vpc-x", "region": "r", "cidr": "172.16.0.0/16"}],
        "links": [{"instance": "ins-a", "vpc": "vpc-x"}]}"#;
    let out = run_stdin(&["detach", "-", "--vpc", "vpc-x", "--instance", "ins-a"], plan);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "ok: ins-a unlinked from vpc-x\n");
    let err = stderr(&out);
    assert!(err.contains("ins-a's listed link to vpc-x was never made (vpc-x's CIDR 172.16.0.0/16"), "{err}");
    assert!(err.contains("no DetachClassicLinkVpc call is needed"), "{err}");
    // A link that was made: no such note.
    let made = plan.replace("172.16.0.0/16", "10.1.0.0/16");
    let out = run_stdin(&["detach", "-", "--vpc", "vpc-x", "--instance", "ins-a"], &made);
    assert_eq!((out.status.code(), stderr(&out)), (Some(0), String::new()));
}

#[test]
fn reach_answers_with_reason_blocker_and_hops() {
    let out = run(&["reach", REFERENCE, "--from", "ins-web01", "--to", "ins-x01", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["reachable"], false);
    assert_eq!(v["reason"], "SECONDARY_CIDR");

    let out = run(&[
        "reach",
        GUANGZHOU,
        "--from",
        "ins-web01",
        "--to",
        "ins-api01",
        "--protocol",
        "TCP",
        "--port",
        "8080",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v = json(&out);
    assert_eq!(v["reachable"], true);
    assert!(v.get("reason").is_none());
    let hops: Vec<&str> = v["hops"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    assert_eq!(hops.first(), Some(&"ins-web01"));
    assert_eq!(hops.last(), Some(&"ins-api01"));
    assert!(hops.contains(&"vpc-prod"), "{hops:?}");

    // acl-app's rule 0 drops SSH from the classic network into subnet-app.
    let out = run(&["reach", GUANGZHOU, "--from", "ins-web01", "--to", "ins-api01", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["reason"], "NETWORK_ACL");
    assert_eq!(v["blocked_by"]["object"], "acl-app");
    assert_eq!(v["blocked_by"]["rule_index"], 0);
    assert_eq!(v["blocked_by"]["direction"], "ingress");
}

#[test]
fn reach_reads_ip_endpoints_and_text() {
    let out = run(&["reach", GUANGZHOU, "--from", "10.66.12.7", "--to", "10.0.1.10", "--port", "8080"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("reachable"), "{}", stdout(&out));
    // The text names what blocks: the object, the direction of a filter, and the rule where a rule blocks.
    let table = [
        ("ins-web01", "ins-api01", "22", Some("blocked by: acl-app ingress rule 0")),
        ("ins-web01", "cdb-prod", "22", Some("blocked by: sg-db ingress")),
        ("ins-web01", "ins-x01", "22", Some("blocked by: vpc-prod")),
        ("ins-web03", "cdb-prod", "3306", None),
    ];
    for (from, to, port, blocked_by) in table {
        let out = run(&["reach", GUANGZHOU, "--from", from, "--to", to, "--port", port]);
        let text = stdout(&out);
        assert_eq!(text.lines().find(|l| l.starts_with("blocked by:")), blocked_by, "{text}");
        assert_eq!(out.status.code(), Some(if blocked_by.is_some() { 1 } else { 0 }), "{text}");
    }
}

#[test]
fn plans_come_from_standard_input() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(GUANGZHOU)).unwrap();
    let out = run_stdin(&["reach", "-", "--from", "ins-web01", "--to", "ins-x01", "--format", "json"], &text);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["reason"], "SECONDARY_CIDR");
}

/// Every class of unusable input: exit 2, the message names the JSON location, nothing is written.
#[test]
fn unusable_plans_exit_2_naming_the_location() {
    let base: Value = serde_json::from_str(include_str!("fixtures/plan-format-example.json")).unwrap();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        f(&mut v);
        v.to_string()
    };
    let cases: Vec<(&str, String, &str)> = vec![
        // An error of the whole file is said after the file's name: there is no place inside it to name.
        ("not JSON", "{ nope".to_string(), "plan.json: not JSON"),
        ("not an object", "[1]".to_string(), "plan.json: a plan is a JSON object"),
        ("wrong format", with(&|v| v["format"] = "other".into()), "format:"),
        ("unknown version", with(&|v| v["version"] = 2.into()), "version: unknown version 2"),
        ("bad CIDR", with(&|v| v["vpcs"][1]["cidr"] = "10.1.0.0/33".into()), "vpcs[1].cidr:"),
        ("host bits", with(&|v| v["vpcs"][0]["cidr"] = "10.0.0.1/16".into()), "vpcs[0].cidr:"),
        ("bad IP", with(&|v| v["classic"][0]["ip"] = "10.66.12".into()), "classic[0].ip:"),
        ("unknown kind", with(&|v| v["classic"][1]["kind"] = "oracle".into()), "classic[1].kind:"),
        (
            "unknown field",
            with(&|v| v["classic"][0]["secuirty_groups"] = Value::Array(vec![])),
            "classic[0].secuirty_groups: unknown field",
        ),
        ("duplicate ID", with(&|v| v["vpcs"][1]["id"] = "vpc-prod".into()), "vpcs[1].id: duplicate ID"),
        ("dangling link VPC", with(&|v| v["links"][0]["vpc"] = "vpc-nope".into()), "links[0].vpc: no VPC"),
        (
            "subnet outside VPC",
            with(&|v| v["vpcs"][0]["subnets"][0]["cidr"] = "10.9.1.0/24".into()),
            "vpcs[0].subnets[0].cidr:",
        ),
        (
            "IP outside subnet",
            with(&|v| v["vpcs"][0]["resources"][0]["ip"] = "10.0.9.5".into()),
            "vpcs[0].resources[0].ip:",
        ),
        (
            "dangling security group",
            with(&|v| v["classic"][0]["security_groups"][0] = "sg-nope".into()),
            "classic[0].security_groups[0]:",
        ),
        (
            "bad port",
            with(&|v| v["security_groups"][1]["ingress"][0]["port"] = "22-20".into()),
            "security_groups[1].ingress[0].port:",
        ),
        ("bad expectation endpoint", with(&|v| v["expectations"][0]["to"] = "cdb-nope".into()), "expectations[0].to:"),
    ];
    let dir = scratch("unusable");
    for (name, text, want) in cases {
        let path = dir.join("plan.json");
        std::fs::write(&path, &text).unwrap();
        let out_path = dir.join("out.json");
        for args in [
            vec!["check", path.to_str().unwrap()],
            vec![
                "attach",
                path.to_str().unwrap(),
                "--vpc",
                "vpc-prod",
                "--instance",
                "ins-web01",
                "--out",
                out_path.to_str().unwrap(),
            ],
        ] {
            let out = run(&args);
            assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
            assert!(stderr(&out).contains(want), "{name}: want {want:?} in {:?}", stderr(&out));
            assert!(!out_path.exists(), "{name}: nothing is written");
        }
        let out = run(&["check", path.to_str().unwrap(), "--format", "json"]);
        assert_eq!(out.status.code(), Some(2));
        let v = json(&out);
        assert!(v["errors"][0]["path"].is_string(), "{name}: {v}");
    }
}

/// A two-plan command (diff, export --since) reads both plans before refusing: the errors of each are named, on
/// standard error after its file and in JSON with a `file` field, so OLD and NEW are told apart.
#[test]
fn two_unusable_plans_are_each_named_with_their_file() {
    let dir = scratch("two-unusable");
    let good = std::fs::read_to_string(GUANGZHOU).unwrap();
    let dangling = dir.join("dangling.json");
    // Two errors in one file: each is named.
    let two =
        good.replacen("\"vpc\": \"vpc-prod\"", "\"vpc\": \"vpc-nope\"", 1).replacen("[\"sg-web\"]", "[\"sg-nope\"]", 1);
    std::fs::write(&dangling, two).unwrap();
    let bad_cidr = dir.join("bad-cidr.json");
    std::fs::write(&bad_cidr, good.replacen("10.0.0.0/16", "10.0.0.0/33", 1)).unwrap();
    let (d, b) = (dangling.to_str().unwrap(), bad_cidr.to_str().unwrap());
    for args in [vec!["diff", d, b], vec!["export", b, "--since", d, "--to", "api"]] {
        let out = run(&[&args[..], &["--format", "json"]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let errors = json(&out)["errors"].as_array().cloned().unwrap();
        let at = |file: &str| {
            let mut at: Vec<_> = errors.iter().filter(|e| e["file"] == file).map(|e| e["path"].clone()).collect();
            at.sort_by_key(|p| p.to_string());
            at
        };
        assert_eq!(at(d), [DANGLING[0], DANGLING[1]], "{args:?}: {errors:?}");
        assert!(at(b).iter().any(|p| p.as_str().is_some_and(|p| p.ends_with(".cidr"))), "{args:?}: {errors:?}");
        for path in DANGLING {
            assert!(stderr(&out).contains(&format!("{d}: {path}: ")), "{}", stderr(&out));
        }
        assert!(stderr(&out).contains(&format!("{b}: vpcs[")), "{}", stderr(&out));
    }
    // One bad plan of two: only its errors, with its file.
    let out = run(&["diff", GUANGZHOU, d, "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let mut named: Vec<_> =
        v["errors"].as_array().unwrap().iter().map(|e| (e["file"].clone(), e["path"].clone())).collect();
    named.sort_by_key(|n| n.1.to_string());
    assert_eq!(named, DANGLING.map(|p| (d.into(), p.into())), "{v}");
}

/// The errors of the plan with two dangling references above, by JSON location.
const DANGLING: [&str; 2] = ["classic[0].security_groups[0]", "links[0].vpc"];

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["check"],
        vec!["check", GUANGZHOU, "--format", "xml"],
        vec!["reach", GUANGZHOU, "--from", "ins-web01"],
        vec!["reach", GUANGZHOU, "--from", "ins-web01", "--to", "ins-api01", "--port", "0"],
        vec!["reach", GUANGZHOU, "--from", "ins-web01", "--to", "ins-api01", "--protocol", "GRE"],
        vec!["attach", GUANGZHOU, "--vpc", "vpc-prod"],
        vec!["attach", GUANGZHOU, "--instance", "ins-web04"],
        vec!["check", GUANGZHOU, "--bogus", "1"],
        vec!["check", "does-not-exist.json"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty(), "{args:?} says why");
    }
    let out = run(&["reach", GUANGZHOU, "--from", "ins-nope", "--to", "ins-api01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ins-nope"), "{}", stderr(&out));
    // An option where a value belongs is no value (it wrote a file named "--force"); one --format only; a port is
    // digits.
    let dir = scratch("option-values");
    let plan = format!("{}/{GUANGZHOU}", env!("CARGO_MANIFEST_DIR"));
    let plan = plan.as_str();
    for (args, words) in [
        (vec!["export", plan, "--to", "api", "--out", "--force"], "--out needs a value"),
        (vec!["reach", plan, "--from", "--to", "ins-api01"], "--from needs a value"),
        (vec!["check", plan, "--format", "json", "--format", "text"], "--format is given more than once"),
        (vec!["reach", plan, "--from", "ins-web01", "--to", "ins-api01", "--port", "+22"], "port"),
    ] {
        let out = bin().args(&args).current_dir(&dir).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(words), "{args:?}: {}", stderr(&out));
    }
    assert!(!dir.join("--force").exists(), "nothing written");
    // With `--format json`, a command line that cannot be used says so as JSON too, as an unusable plan does; and
    // the message is not buried under the whole usage.
    for args in [
        vec!["reach", plan, "--from", "ins-web01", "--to", "ins-api01", "--port", "0", "--format", "json"],
        vec!["check", plan, "--bogus", "1", "--format=json"],
        vec!["check", plan, "--bogus", "1", "--format", "json"],
        vec!["attach", plan, "--vpc", "vpc-prod", "--format", "json"],
        vec!["bogus", "--format", "json"],
        vec!["bogus", plan, "--format=json"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = &json(&out)["errors"][0];
        assert_eq!(e["file"], "command line", "{args:?}");
        assert!(stderr(&out).contains(e["message"].as_str().unwrap()), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("usage:"), "{args:?}: {}", stderr(&out));
    }
    // Help anywhere, and the version.
    for args in [vec!["--help"], vec!["check", "--help"], vec!["reach", GUANGZHOU, "-h"]] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(stdout(&out).contains("usage:"), "{args:?}");
    }
    // A port for a protocol without ports is ignored, and said so.
    let out =
        run(&["reach", GUANGZHOU, "--from", "ins-web01", "--to", "ins-api01", "--protocol", "ICMP", "--port", "22"]);
    assert!(stderr(&out).contains("--port 22 is ignored: ICMP has no ports"), "{}", stderr(&out));
    for args in [vec!["--version"], vec!["check", GUANGZHOU, "--version"]] {
        let out = run(&args);
        assert_eq!(
            (out.status.code(), stdout(&out)),
            (Some(0), format!("classiclink {}\n", env!("CARGO_PKG_VERSION")))
        );
    }
}

#[test]
fn rules_lists_the_catalogue() {
    let out = run(&["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.starts_with(&["CL001", "CL002", "CL003"]), "{ids:?}");
    assert_eq!(v[0]["api_error"], "UnsupportedOperation.CIDRUnSupportedClassicLink");
}

#[test]
fn import_from_tencent_writes_a_valid_plan_and_says_what_it_assumed() {
    let dir = scratch("import");
    let out_path = dir.join("imported.json");
    let out = run(&[
        "import",
        "--from",
        "tencent",
        "tests/fixtures/tencent/bundle-guangzhou.json",
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = classiclink::domain::import(&std::fs::read_to_string(&out_path).unwrap()).unwrap();
    assert!(plan.classic.iter().all(|c| c.region == "ap-guangzhou"));
    assert!(!plan.links.is_empty(), "DescribeClassicLinkInstances became links");
    assert!(stderr(&out).contains("assumed to be a classic-network CVM"), "{}", stderr(&out));

    // The imported plan checks like any other.
    let out = run(&["check", out_path.to_str().unwrap(), "--format", "json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));

    let out = run(&["import", "--from", "tencent", "tests/fixtures/tencent/broken-missing-cidr.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("DescribeVpcs.VpcSet[0].CidrBlock"), "{}", stderr(&out));
    let out = run(&["import", "--from", "aws", "tests/fixtures/tencent/bundle-guangzhou.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn export_refuses_a_plan_with_errors_unless_forced() {
    let out = run(&["export", GUANGZHOU, "--to", "tccli"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("refusing to export"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());

    let out = run(&["export", GUANGZHOU, "--to", "tccli", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(
        s.contains(
            "tccli vpc AttachClassicLinkVpc --region ap-guangzhou --cli-unfold-argument --VpcId vpc-prod --InstanceIds"
        ),
        "{s}"
    );
    assert!(s.contains("\nwait_links ap-guangzhou vpc-prod linked "), "{s}");

    let out = run(&["export", GUANGZHOU, "--to", "terraform", "--force"]);
    assert_eq!(out.status.code(), Some(0));
    let s = stdout(&out);
    assert_eq!(s.matches("resource \"tencentcloud_vpc_classic_link_attachment\"").count(), 5, "{s}");

    let out = run(&["export", GUANGZHOU, "--to", "api", "--force"]);
    assert_eq!(out.status.code(), Some(0));
    let calls: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(calls[0]["Action"], "AttachClassicLinkVpc");
    // JSON has no comments: the forcing is said on standard error.
    assert!(stderr(&out).starts_with("classiclink: note: Exported by force despite "), "{}", stderr(&out));

    let out = run(&["export", GUANGZHOU, "--to", "cloudformation"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `--format json`, which every command takes, means the JSON export (`--to api`) and a refusal as JSON; it does not
/// quietly print a shell script.
#[test]
fn export_with_format_json_is_the_api_list_or_a_json_refusal() {
    let out = run(&["export", GUANGZHOU, "--format", "json", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)[0]["Action"], "AttachClassicLinkVpc");

    let out = run(&["export", GUANGZHOU, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["ok"], false);
    assert!(json(&out)["message"].as_str().unwrap().contains("refusing to export"), "{}", stdout(&out));

    let out = run(&["export", GUANGZHOU, "--to", "tccli", "--format", "json", "--force"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(json(&out)["errors"][0]["message"].as_str().unwrap().contains("--to tccli is not JSON"));
    assert!(stderr(&out).contains("--to tccli is not JSON"), "{}", stderr(&out));
}

#[test]
fn export_since_an_older_plan_detaches_first() {
    let dir = scratch("export-since");
    let new = dir.join("new.json");
    let out =
        run(&["detach", GUANGZHOU, "--vpc", "vpc-prod", "--instance", "ins-web02", "--out", new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let newer = dir.join("newer.json");
    let out = run(&[
        "attach",
        new.to_str().unwrap(),
        "--vpc",
        "vpc-prod",
        "--instance",
        "ins-web04",
        "--out",
        newer.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = run(&["export", newer.to_str().unwrap(), "--to", "tccli", "--since", GUANGZHOU, "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    let detach = s
        .find(
            "DetachClassicLinkVpc --region ap-guangzhou --cli-unfold-argument --VpcId vpc-prod --InstanceIds ins-web02",
        )
        .expect(&s);
    let attach = s
        .find(
            "AttachClassicLinkVpc --region ap-guangzhou --cli-unfold-argument --VpcId vpc-prod --InstanceIds ins-web04",
        )
        .expect(&s);
    assert!(detach < attach, "detaches come first: {s}");
    assert!(!s.contains("ins-web01"), "unchanged links are not touched: {s}");
}

/// `diff` asks each expectation at its own protocol and port, as the check does: removing sg-app's TCP 8080 rule loses
/// the expectation ins-web01 -> ins-api01 TCP 8080, which asked at the default TCP 22 was not among the flows lost.
#[test]
fn diff_asks_the_expectations_at_their_own_port() {
    let dir = scratch("diff-expectations");
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(GUANGZHOU).unwrap()).unwrap();
    let groups = plan["security_groups"].as_array_mut().unwrap();
    let app = groups.iter_mut().find(|g| g["id"] == "sg-app").expect("sg-app");
    let rules = app["ingress"].as_array_mut().unwrap();
    assert_eq!(rules[0]["port"], "8080");
    rules.remove(0);
    let new = dir.join("new.json");
    std::fs::write(&new, plan.to_string()).unwrap();
    let out = run(&["diff", GUANGZHOU, new.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    let lost = v["flows"]["lost"].as_array().unwrap();
    assert!(lost.iter().any(|f| f["from"] == "ins-web01" && f["to"] == "ins-api01" && f["asked"] == "TCP 8080"), "{v}");
    let out = run(&["diff", GUANGZHOU, new.to_str().unwrap()]);
    assert!(stdout(&out).contains("the expectations at their own protocol and port"), "{}", stdout(&out));
}

#[test]
fn diff_reports_links_findings_and_flows() {
    let dir = scratch("diff");
    let new = dir.join("new.json");
    let out =
        run(&["attach", GUANGZHOU, "--vpc", "vpc-prod", "--instance", "ins-bastion", "--out", new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = run(&["diff", GUANGZHOU, new.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["same"], false);
    let links = v["plan"]["links"].as_array().unwrap();
    assert!(links.iter().any(|l| l["instance"] == "ins-bastion" && l["change"] == "added"), "{v}");
    let gained = v["flows"]["gained"].as_array().unwrap();
    assert!(
        gained.iter().any(|f| f["from"] == "ins-bastion" && f["to"] == "ins-api01"),
        "linking the bastion gains SSH to the API: {v}"
    );
    // The broken expectation about the bastion disappears.
    let gone = v["findings"]["disappeared"].as_array().unwrap();
    assert!(gone.iter().any(|f| f["objects"].as_array().unwrap().iter().any(|o| o == "ins-bastion")), "{v}");

    let out = run(&["diff", GUANGZHOU, GUANGZHOU]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // A plan that differs only in its name is another plan.
    let mut renamed: Value = serde_json::from_str(&std::fs::read_to_string(GUANGZHOU).unwrap()).unwrap();
    renamed["name"] = Value::from("renamed");
    let renamed_path = dir.join("renamed.json");
    std::fs::write(&renamed_path, renamed.to_string()).unwrap();
    let out = run(&["diff", GUANGZHOU, renamed_path.to_str().unwrap()]);
    assert_eq!((out.status.code(), stdout(&out).lines().next()), (Some(1), Some("~ name")), "{}", stdout(&out));
    let out = run(&["diff", GUANGZHOU, renamed_path.to_str().unwrap(), "--format", "json"]);
    assert_eq!((out.status.code(), &json(&out)["same"]), (Some(1), &Value::from(false)));
    let out = run(&["diff", GUANGZHOU]);
    assert_eq!(out.status.code(), Some(2));

    // A link whose recorded IP changed says from what to what, in text as in JSON.
    let text = std::fs::read_to_string(GUANGZHOU).unwrap();
    let mut plan: Value = serde_json::from_str(&text).unwrap();
    let link =
        plan["links"].as_array_mut().unwrap().iter_mut().find(|l| l["ip"].is_string()).expect("a link with an IP");
    let was = link["ip"].as_str().unwrap().to_string();
    link["ip"] = Value::from("10.66.99.99");
    let edited = dir.join("ip.json");
    std::fs::write(&edited, plan.to_string()).unwrap();
    let out = run(&["diff", GUANGZHOU, edited.to_str().unwrap()]);
    assert!(stdout(&out).contains(&format!("(made for {was} -> 10.66.99.99)")), "{}", stdout(&out));
}

/// Each link that differs says what to do in Tencent Cloud, in text as in JSON (`calls`, `new_broken`, `action`):
/// the call that adds or removes it; the detach, then the attach, for a link made again (an IP change invalidates a
/// link, CL010); no call for a CVM returned (returning unlinks it) nor for a link the new plan has broken by an IP
/// change (no call makes that: what makes it work again is said instead).
#[test]
fn diff_says_what_each_link_change_takes_in_tencent_cloud() {
    let dir = scratch("diff-calls");
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(GUANGZHOU).unwrap()).unwrap();
    let links = plan["links"].as_array_mut().unwrap();
    let link =
        |links: &mut Vec<Value>, ins: &str| -> usize { links.iter().position(|l| l["instance"] == ins).unwrap() };
    // ins-app01 is at 10.66.20.9, its link made for 10.66.20.4 (broken): made again.
    let at = link(links, "ins-app01");
    assert_eq!(links[at]["ip"], "10.66.20.4");
    links[at]["ip"] = Value::from("10.66.20.9");
    // ins-web01's link now made for an IP it does not have; ins-web02's invalidated by an IP change and back.
    let at = link(links, "ins-web01");
    links[at]["ip"] = Value::from("10.66.12.70");
    let at = link(links, "ins-web02");
    links[at]["invalidated"] = Value::Bool(true);
    // ins-app02's link removed; ins-web04 linked.
    let at = link(links, "ins-app02");
    links.remove(at);
    links.push(serde_json::json!({ "instance": "ins-web04", "vpc": "vpc-prod" }));
    // ins-web03 returned.
    let classic = plan["classic"].as_array_mut().unwrap();
    let web03 = classic.iter_mut().find(|c| c["id"] == "ins-web03").unwrap();
    web03["state"] = Value::from("returned");
    let new = dir.join("new.json");
    std::fs::write(&new, plan.to_string()).unwrap();

    let (d, a) = ("DetachClassicLinkVpc", "AttachClassicLinkVpc");
    let broken =
        |why: &str| format!("no call makes it: an IP change broke it ({why}, CL010); {d}, then {a} make it work again");
    // In the order the calls run: detaches, links made again, attaches, then the links no call changes.
    let want = [
        format!("- link ins-app02 -> vpc-prod: {d}"),
        format!("~ link ins-app01 -> vpc-prod (made for 10.66.20.4 -> 10.66.20.9): made again for 10.66.20.9: {d}, then {a}"),
        // A new record, made again as the exports do: for the IP ins-web01 has, not the one the plan says.
        format!(
            "~ link ins-web01 -> vpc-prod (made for 10.66.12.7 -> 10.66.12.70): {d}, then {a}, which make it for \
             ins-web01's IP now, 10.66.12.7: the plan's link is broken by an IP change (made for 10.66.12.70, and \
             ins-web01's IP is now 10.66.12.7, CL010), which no call makes"
        ),
        format!("+ link ins-web04 -> vpc-prod: {a}"),
        format!(
            "~ link ins-web02 -> vpc-prod (made for 10.66.12.8 -> 10.66.12.8, invalidated): {}",
            broken("made for 10.66.12.8, and ins-web02's IP changed since, and is 10.66.12.8 again")
        ),
        "- link ins-web03 -> vpc-prod: no call: returning ins-web03 unlinked it (CL012)".to_string(),
    ];
    let out = run(&["diff", GUANGZHOU, new.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let s = stdout(&out);
    let got: Vec<&str> = s.lines().filter(|l| l[1..].starts_with(" link ")).collect();
    assert_eq!(got, want, "{s}");

    let v = json(&run(&["diff", GUANGZHOU, new.to_str().unwrap(), "--format", "json"]));
    let links = v["plan"]["links"].as_array().unwrap();
    let calls: Vec<(&str, &Value, &Value)> =
        links.iter().map(|l| (l["instance"].as_str().unwrap(), &l["calls"], &l["new_broken"])).collect();
    let (none, yes) = (&Value::Null, &Value::Bool(true));
    assert_eq!(
        calls,
        [
            ("ins-app02", &serde_json::json!([d]), none),
            ("ins-app01", &serde_json::json!([d, a]), none),
            ("ins-web01", &serde_json::json!([d, a]), yes),
            ("ins-web04", &serde_json::json!([a]), none),
            ("ins-web02", &serde_json::json!([]), yes),
            ("ins-web03", &serde_json::json!([]), none),
        ],
        "{v}"
    );
    // The fields the diff had are kept: the change, the IPs and the flags.
    assert_eq!(
        (&links[1]["change"], &links[1]["old_ip"], &links[1]["new_ip"]),
        (&Value::from("changed"), &Value::from("10.66.20.4"), &Value::from("10.66.20.9"))
    );
    assert_eq!(links[4]["new_invalidated"], true, "{v}");
    for (l, line) in links.iter().zip(&want) {
        assert!(line.ends_with(l["action"].as_str().unwrap()), "{line}: {l}");
    }
}

/// A CVM's IP changed under its link, the link's record left for the old IP: the link no longer works, so it is a
/// link change (made for the same IP, said once) with what makes it work again, next to the CVM's own change.
#[test]
fn diff_says_a_link_an_ip_change_broke_under_it() {
    let dir = scratch("diff-ip-under-link");
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(GUANGZHOU).unwrap()).unwrap();
    let classic = plan["classic"].as_array_mut().unwrap();
    let web01 = classic.iter_mut().find(|c| c["id"] == "ins-web01").unwrap();
    assert_eq!(web01["ip"], "10.66.12.7");
    web01["ip"] = Value::from("10.66.12.77");
    let new = dir.join("new.json");
    std::fs::write(&new, plan.to_string()).unwrap();
    let out = run(&["diff", GUANGZHOU, new.to_str().unwrap()]);
    let s = stdout(&out);
    let got: Vec<&str> = s.lines().filter(|l| l[1..].starts_with(" link ") || l.starts_with("~ classic")).collect();
    assert_eq!(
        got,
        [
            "~ classic ins-web01 (ip 10.66.12.7 -> 10.66.12.77)",
            "~ link ins-web01 -> vpc-prod (made for 10.66.12.7): no call makes it: an IP change broke it (made for \
             10.66.12.7, and ins-web01's IP is now 10.66.12.77, CL010); DetachClassicLinkVpc, then \
             AttachClassicLinkVpc make it work again",
        ],
        "{s}"
    );
}

/// The diff's links are the ones Tencent Cloud made of each plan's list: a CVM's first link kept ahead of a new one
/// to another VPC is the one it holds, and the new one, refused as a second link (CL002), is said apart with why, in
/// text as in JSON, not as a link added. With the order swapped, the held link moves: one removed, one added.
#[test]
fn diff_links_are_the_links_made_and_refused_ones_are_said_apart() {
    let dir = scratch("diff-made");
    let text = std::fs::read_to_string(GUANGZHOU).unwrap();
    let mut plan: Value = serde_json::from_str(&text).unwrap();
    let links = plan["links"].as_array_mut().unwrap();
    let (ins, vpc) = (links[0]["instance"].clone(), links[0]["vpc"].as_str().unwrap().to_string());
    let other = if vpc == "vpc-dev" { "vpc-prod" } else { "vpc-dev" };
    links.push(serde_json::json!({ "instance": ins, "vpc": other }));
    let second = dir.join("second.json");
    std::fs::write(&second, plan.to_string()).unwrap();
    let out = run(&["diff", GUANGZHOU, second.to_str().unwrap()]);
    let s = stdout(&out);
    let ins = ins.as_str().unwrap();
    assert!(!s.contains(&format!(" link {ins} -> {other}:")), "no link added: {s}");
    assert!(
        s.contains(&format!(
            "! refused link {ins} -> {other} listed, never made: {ins} already held its link to {vpc}"
        )),
        "{s}"
    );
    assert!(s.contains(" 0 link change(s) (1 listed link(s) never made), "), "{s}");
    let out = run(&["diff", GUANGZHOU, second.to_str().unwrap(), "--format", "json"]);
    let v = json(&out);
    assert_eq!(v["plan"]["links"], serde_json::json!([]), "{v}");
    assert_eq!(v["plan"]["refused"][0]["change"], "added", "{v}");

    // The new link first: the held link moves from vpc to other.
    let links = plan["links"].as_array_mut().unwrap();
    let first = links.iter().position(|l| l["instance"] == ins).unwrap();
    let moved = links.pop().unwrap();
    links.insert(first, moved);
    let swapped = dir.join("swapped.json");
    std::fs::write(&swapped, plan.to_string()).unwrap();
    let s = stdout(&run(&["diff", GUANGZHOU, swapped.to_str().unwrap()]));
    assert!(
        s.contains(&format!("- link {ins} -> {vpc}: DetachClassicLinkVpc\n"))
            && s.contains(&format!("+ link {ins} -> {other}: AttachClassicLinkVpc\n")),
        "{s}"
    );
    assert!(s.contains(&format!("! refused link {ins} -> {vpc} listed, never made:")), "{s}");
}

/// `--out` writes through a symbolic link to the file it names, and into what is not a file (a named pipe here, like
/// /dev/null or /dev/stdout) as it is: before, the write-then-rename replaced the link, or put a regular file in place
/// of /dev/null, which everything on the machine writes to.
#[cfg(unix)]
#[test]
fn out_writes_through_links_and_into_special_files() {
    let dir = scratch("out-special");
    let real = dir.join("real.json");
    std::fs::write(&real, "").unwrap();
    let link = dir.join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let attach = |out: &Path| {
        run(&["attach", GUANGZHOU, "--vpc", "vpc-prod", "--instance", "ins-web04", "--out", out.to_str().unwrap()])
    };
    let out = attach(&link);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is still a link");
    assert!(std::fs::read_to_string(&real).unwrap().contains("ins-web04"), "written through it");

    let fifo = dir.join("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = attach(&fifo);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(reader.join().unwrap().contains("ins-web04"), "the plan went down the pipe");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "the pipe is still a pipe");
}

/// A reader that stops early (`classiclink migrate PLAN | head`) closes the pipe: the command still ends with its
/// own exit code. Before, printing to the closed pipe panicked, and the release build aborted (SIGABRT).
#[test]
fn a_reader_that_stops_early_does_not_crash_the_command() {
    let dir = scratch("closed-pipe");
    let plan = dir.join("scale1.json");
    std::fs::write(&plan, classiclink::domain::export(&classiclink::domain::synth::plan(1))).unwrap();
    let mut child = bin()
        .args(["migrate", plan.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Read a little of the checklist (megabytes long, far more than a pipe holds), then close the pipe.
    let mut head = [0u8; 64];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut head).unwrap();
    assert!(head.starts_with(b"# Migration checklist"));
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{status}");
}

/// A full disk under `> plan.json` is no success: the answer never arrived. Before, every write error on standard
/// output was ignored as a closed pipe is, and the command exited 0 with an empty file.
#[test]
fn a_failed_write_to_standard_output_exits_2() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("Linux has /dev/full");
    let out = bin()
        .args(["check", GUANGZHOU, "--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write standard output"), "{}", stderr(&out));
}

/// A file name that is not UTF-8 (a Chinese name in GBK, copied from Windows) is read as given, and named in
/// messages with U+FFFD in place of the bytes. Before, the command panicked and aborted.
#[test]
fn a_file_name_that_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("non-utf8");
    let name = std::ffi::OsStr::from_bytes(b"\xbb\xf9\xb4\xa1.json");
    let plan = dir.join(name);
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(GUANGZHOU), &plan).unwrap();
    let out = bin().arg("check").arg(&plan).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "the example's findings: {}", stderr(&out));
    assert!(stdout(&out).contains("CL009"), "{}", stdout(&out));
    let out = bin().arg("check").arg(dir.join(std::ffi::OsStr::from_bytes(b"gone\xff.json"))).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("gone\u{fffd}.json"), "{}", stderr(&out));
    // Written where it names, too.
    let new = dir.join(std::ffi::OsStr::from_bytes(b"new\xff.json"));
    let out = bin()
        .args(["attach", GUANGZHOU, "--vpc", "vpc-prod", "--instance", "ins-web04", "--out"])
        .arg(&new)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&new).unwrap().contains("ins-web04"));
}

#[test]
fn migrate_prints_a_checklist() {
    let out = run(&["migrate", GUANGZHOU, "--to", "markdown"]);
    assert_eq!(out.status.code(), Some(0));
    let s = stdout(&out);
    assert!(s.starts_with("# Migration checklist"), "{s}");
    assert!(s.contains("ModifyInstancesVpcAttribute"), "{s}");
    assert!(s.contains("## ins-web01"), "{s}");
    let out = run(&["migrate", GUANGZHOU, "--to", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(json(&out)["instances"].as_array().unwrap().len() >= 12);
    // `--format json` is the same JSON; asking for Markdown too is a usage error, not a silent choice.
    let out = run(&["migrate", GUANGZHOU, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(json(&out)["instances"].as_array().unwrap().len() >= 12);
    let out = run(&["migrate", GUANGZHOU, "--to", "markdown", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("two formats"), "{}", stderr(&out));
}

/// cli.md's own examples, reproduced on plans that produce them.
#[test]
fn the_cli_md_examples_answer_as_documented() {
    let dir = scratch("cli-md");
    // reach: sg-app's ingress rule 0 drops TCP 3306 from the linked classic CVM.
    let mut v: Value = serde_json::from_str(include_str!("fixtures/plan-format-example.json")).unwrap();
    v["security_groups"][1]["ingress"] = serde_json::json!([
        { "protocol": "TCP", "port": "3306", "cidr": "10.66.0.0/16", "action": "DROP" },
        { "protocol": "TCP", "port": "22,80", "cidr": "10.66.0.0/16", "action": "ACCEPT" }
    ]);
    let plan = dir.join("reach.json");
    std::fs::write(&plan, v.to_string()).unwrap();
    let out = run(&[
        "reach",
        plan.to_str().unwrap(),
        "--from",
        "ins-web01",
        "--to",
        "ins-app01",
        "--port",
        "3306",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        json(&out),
        serde_json::json!({
            "reachable": false, "reason": "SECURITY_GROUP",
            "blocked_by": { "object": "sg-app", "rule_index": 0, "direction": "ingress" },
            "hops": ["ins-web01", "vpc-prod", "subnet-app", "ins-app01"],
            "message": "sg-app ingress rule 0 drops TCP 3306 from 10.66.12.7"
        })
    );

    // check: a VPC with 101 linked classic CVMs is over the quota.
    let mut v: Value = serde_json::from_str(include_str!("fixtures/plan-format-example.json")).unwrap();
    let mut classic = Vec::new();
    let mut links = Vec::new();
    for i in 0..101 {
        let id = format!("ins-q{i}");
        classic.push(serde_json::json!({ "id": id, "kind": "cvm", "region": "ap-guangzhou", "ip": format!("10.67.0.{}", i + 1) }));
        links.push(serde_json::json!({ "instance": id, "vpc": "vpc-prod" }));
    }
    v["classic"] = Value::Array(classic);
    v["links"] = Value::Array(links);
    v["terminal_connections"] = Value::Array(vec![]);
    v["expectations"] = Value::Array(vec![]);
    let plan = dir.join("quota.json");
    std::fs::write(&plan, v.to_string()).unwrap();
    let out = run(&["check", plan.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let quota: Vec<&Value> = report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "CL003").collect();
    assert_eq!(
        quota,
        [&serde_json::json!({
            "rule": "CL003", "severity": "error", "api_error": "LimitExceeded",
            "objects": ["vpc-prod"], "message": "vpc-prod has 101 linked classic CVMs; the limit is 100"
        })]
    );
}

/// A write to `--out` that fails exits 2 and, with `--format json`, says so as JSON on stdout, as every other
/// outcome that exits 2 does (stdout was empty), naming the file; for any command that writes.
#[test]
fn a_failed_out_write_is_said_as_json_too() {
    let out_path = "/nonexistent-classiclink-dir/new.json";
    for args in [
        vec![
            "detach",
            GUANGZHOU,
            "--vpc",
            "vpc-prod",
            "--instance",
            "ins-web01",
            "--out",
            out_path,
            "--format",
            "json",
        ],
        vec!["export", GUANGZHOU, "--to", "api", "--force", "--out", out_path, "--format", "json"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let errors = json(&out)["errors"].clone();
        assert_eq!(errors[0]["file"], out_path, "{args:?}: {errors}");
        assert!(errors[0]["message"].as_str().unwrap().starts_with("cannot write: "), "{errors}");
        assert!(stderr(&out).contains(&format!("cannot write {out_path}")), "{}", stderr(&out));
        // Without it, stdout stays empty: the message is on stderr.
        let text = run(&args[..args.len() - 2]);
        assert_eq!((text.status.code(), stdout(&text).as_str()), (Some(2), ""), "{args:?}");
    }
}
