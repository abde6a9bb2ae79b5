//! The tools tab, natively: Tencent import, export, baseline and diff, migration checklist, help.

use super::*;
#[cfg(target_arch = "wasm32")]
use crate::browser_test as test;
use crate::domain::diff::{findings_diff, Change};
use crate::domain::export::{self, links_script, ExportFormat};
use crate::domain::load::import;
use crate::domain::migrate;
use crate::domain::tencent::import_bundle;

const EXAMPLE: &str = include_str!("../../www/examples/guangzhou.json");
const BUNDLE: &str = include_str!("../../tests/fixtures/tencent/bundle-guangzhou.json");
const BROKEN_CIDR: &str = include_str!("../../tests/fixtures/tencent/broken-missing-cidr.json");
const NO_ZONE: &str = include_str!("../../tests/fixtures/tencent/broken-no-ip-no-zone.json");

fn example() -> Plan {
    import(EXAMPLE).expect("the example plan loads")
}

fn session() -> Session {
    Session::new(example())
}

fn tool(s: &mut Session, a: ToolAction) -> Effect {
    s.update(Action::Tools(a))
}

fn link(s: &mut Session, ins: &str, vpc: &str) {
    assert_eq!(s.update(Action::Link { vpc: vpc.into(), instances: vec![ins.into()] }), Effect::PlanChanged);
}

fn tencent(text: &str, region: &str) -> ToolAction {
    ToolAction::ImportTencent { text: text.into(), region: region.into() }
}

// ---- Import from Tencent ----

#[test]
fn a_tencent_bundle_opens_as_the_plan_with_its_notes_and_undo_brings_the_old_plan_back() {
    let mut s = session();
    let expected = import_bundle(BUNDLE, None).expect("the fixture imports");
    let rev = s.revision();
    assert_eq!(tool(&mut s, tencent(BUNDLE, "  ")), Effect::PlanChanged);
    assert_eq!(s.plan(), &expected.plan);
    assert_eq!(s.revision(), rev + 1);
    let vm = s.view();
    assert_eq!(vm.tools.tencent_notes, expected.notes);
    assert!(vm.tools.tencent_errors.is_empty());
    // The assumptions and the skipped items are among the notes.
    assert!(vm.tools.tencent_notes.iter().any(|n| n.contains("region ap-guangzhou")), "{:?}", vm.tools.tencent_notes);
    assert!(vm.tools.tencent_notes.iter().any(|n| n.contains("skipped")), "{:?}", vm.tools.tencent_notes);
    assert_eq!(vm.notice.as_ref().map(|n| n.tone), Some(Tone::Success));
    let notice = vm.notice.unwrap();
    assert!(notice.text.ends_with(": 7 classic instances, 2 VPCs, 2 links"), "{}", notice.text);
    assert_eq!(notice.note.as_deref(), Some("undo brings the previous plan back"));
    assert!(vm.gauges.iter().any(|g| g.vpc == "vpc-prod" && g.links == 2));
    assert_eq!(s.update(Action::Undo), Effect::PlanChanged);
    assert_eq!(s.plan(), &example());
    // The step's name is what was done, without how to go back (just done).
    let notice = s.view().notice.unwrap();
    assert!(
        notice.text.starts_with("Undone: ") && notice.text.ends_with(": 7 classic instances, 2 VPCs, 2 links"),
        "{}",
        notice.text
    );
    assert_eq!(notice.note, None);
    assert_eq!(s.update(Action::Redo), Effect::PlanChanged);
    assert_eq!(s.plan(), &expected.plan);
}

/// A question asked of the old plan is re-asked of the imported one while that has both endpoints, and dropped when
/// it lacks either (the bundle has no ins-report01); a matrix is dropped with its VPC (the bundle has no vpc-data).
#[test]
fn a_tencent_import_drops_a_question_whose_endpoint_it_lacks() {
    let reach = |from: &str, to: &str| Action::Reach {
        from: from.into(),
        to: to.into(),
        protocol: "TCP".into(),
        port: "22".into(),
    };
    for (from, to, kept) in
        [("ins-web01", "ins-web02", true), ("ins-report01", "ins-web01", false), ("ins-web01", "ins-report01", false)]
    {
        let mut s = session();
        s.update(reach(from, to));
        assert!(s.view().reach.is_some());
        assert_eq!(tool(&mut s, tencent(BUNDLE, "")), Effect::PlanChanged);
        assert_eq!(s.view().reach.is_some(), kept, "{from} -> {to}");
    }
    for (vpc, kept) in [("vpc-prod", true), ("vpc-data", false)] {
        let mut s = session();
        s.update(Action::Matrix { vpc: vpc.into(), protocol: "TCP".into(), port: "22".into() });
        assert_eq!(tool(&mut s, tencent(BUNDLE, "")), Effect::PlanChanged);
        assert_eq!(s.view().matrix.is_some(), kept, "{vpc}");
    }
}

#[test]
fn the_region_given_is_taken_when_no_zone_names_one() {
    // A bundle whose zones name no region takes the one given (trimmed).
    const NO_ZONES: &str = r#"{"DescribeVpcs": {"VpcSet": [{"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16"}]},
                               "DescribeInstances": {"InstanceSet": []}}"#;
    let mut s = session();
    assert_eq!(tool(&mut s, tencent(NO_ZONES, " ap-shanghai ")), Effect::PlanChanged);
    assert_eq!(s.plan(), &import_bundle(NO_ZONES, Some("ap-shanghai")).unwrap().plan);
    assert!(s.plan().vpcs.iter().all(|v| v.region == "ap-shanghai"));
}

#[test]
fn a_broken_bundle_lists_every_error_with_its_path_and_keeps_the_plan() {
    for (bundle, region, path) in [
        (BROKEN_CIDR, "", "DescribeVpcs.VpcSet[0].CidrBlock"),
        (NO_ZONE, "", "DescribeInstances.Response.InstanceSet[0].Placement.Zone"),
        ("{ not json", "", ""),
        // The Region field is checked as --region is: a zone is refused, naming its region.
        (BUNDLE, " ap-guangzhou-3 ", "region"),
        // A region the bundle's zones contradict (its zones are ap-guangzhou's): refused, naming theirs.
        (BUNDLE, " ap-shanghai ", "region"),
    ] {
        let mut s = session();
        let rev = s.revision();
        assert_eq!(tool(&mut s, tencent(bundle, region)), Effect::Refused, "{path}");
        assert_eq!(s.plan(), &example());
        assert_eq!(s.revision(), rev);
        assert!(!s.can_undo());
        let vm = s.view();
        let expected = import_bundle(bundle, Some(region.trim()).filter(|r| !r.is_empty())).unwrap_err().errors;
        assert_eq!(vm.tools.tencent_errors, expected);
        assert!(!path.is_empty() || !expected.is_empty());
        if !path.is_empty() {
            assert!(vm.tools.tencent_errors.iter().any(|e| e.path == path), "{:?}", vm.tools.tencent_errors);
        }
        assert_eq!(vm.notice.as_ref().map(|n| n.tone), Some(Tone::Error));
        assert!(vm.notice.unwrap().text.contains("unchanged"));
    }
}

#[test]
fn a_good_import_after_a_refused_one_clears_the_errors_and_a_refused_one_clears_old_notes() {
    let mut s = session();
    tool(&mut s, tencent(BROKEN_CIDR, ""));
    assert!(!s.view().tools.tencent_errors.is_empty());
    tool(&mut s, tencent(BUNDLE, ""));
    let vm = s.view();
    assert!(vm.tools.tencent_errors.is_empty());
    assert!(!vm.tools.tencent_notes.is_empty());
    tool(&mut s, tencent(BROKEN_CIDR, ""));
    assert!(s.view().tools.tencent_notes.is_empty());
}

/// A refused import's errors say "the current plan is unchanged": once a plan replaces the current one (the other
/// import, a new plan, a share link), they go, or they would speak of a plan that is gone. The plan a page load opens
/// after a share link it could not open keeps that link's errors listed.
#[test]
fn a_plan_replaced_by_any_way_forgets_why_the_last_imports_were_refused() {
    let refused_both = || {
        let mut s = session();
        assert_eq!(s.update(Action::ImportJson("{".into())), Effect::Refused);
        assert_eq!(tool(&mut s, tencent(BROKEN_CIDR, "")), Effect::Refused);
        let vm = s.view();
        assert!(!vm.import_errors.is_empty() && !vm.tools.tencent_errors.is_empty());
        s
    };
    let table: &[(&str, Action)] = &[
        ("a Tencent import", Action::Tools(tencent(BUNDLE, ""))),
        ("a plan import", Action::ImportJson(EXAMPLE.into())),
        ("a new plan", Action::NewPlan),
        ("a share link", Action::OpenShared(example())),
    ];
    for (what, action) in table {
        let mut s = refused_both();
        assert_eq!(s.update(action.clone()), Effect::PlanChanged, "{what}");
        let vm = s.view();
        assert!(vm.import_errors.is_empty(), "{what}: {:?}", vm.import_errors);
        assert!(vm.tools.tencent_errors.is_empty(), "{what}: {:?}", vm.tools.tencent_errors);
    }
    // An edit is no import: the lists stay, beside the plan they were refused over.
    let mut s = refused_both();
    s.update(Action::Rename("x".into()));
    let vm = s.view();
    assert!(!vm.import_errors.is_empty() && !vm.tools.tencent_errors.is_empty());
    // A first load: the share link is refused, then the load opens the autosave (or the example) instead.
    for open in [Action::Open(example()), Action::OpenStart(example())] {
        let mut s = Session::default();
        assert_eq!(s.update(Action::OpenShare("AAAA".into())), Effect::Refused);
        s.update(open);
        assert_eq!(*s.plan(), example());
        assert_eq!(s.view().import_errors[0].path, "#plan", "the link's errors stay listed");
    }
}

// ---- Export ----

#[test]
fn the_export_of_a_plan_with_error_findings_is_refused_naming_them_unless_forced() {
    let mut s = session();
    tool(&mut s, ToolAction::Page(ToolPage::Export));
    let errors: Vec<_> = s.report().findings.iter().filter(|f| f.severity == Severity::Error).cloned().collect();
    assert!(!errors.is_empty(), "the example plan has error findings");
    let x = s.view().tools.export.expect("the export page is computed");
    assert_eq!(x.output, None);
    assert_eq!(x.refused, errors);
    assert!(!x.since, "no baseline: every link");
    tool(&mut s, ToolAction::ExportForce(true));
    let x = s.view().tools.export.unwrap();
    assert!(x.refused.is_empty());
    let out = x.output.expect("forced");
    let forced = export::export_links(None, s.plan(), ExportFormat::Tccli, &s.report().findings, true).unwrap();
    assert_eq!(out, forced);
    assert!(
        out.contains("# Exported by force despite")
            && out.contains(&links_script(None, s.plan(), ExportFormat::Tccli)[10..])
    );
    assert!(
        out.contains("tccli vpc AttachClassicLinkVpc --region ap-guangzhou --cli-unfold-argument --VpcId vpc-prod"),
        "{out}"
    );
    assert_eq!(x.filename, "classiclink-links.sh");
    for (f, file) in [(ExportFormat::Terraform, "classiclink-links.tf"), (ExportFormat::Api, "classiclink-links.json")]
    {
        tool(&mut s, ToolAction::ExportFormat(f));
        let x = s.view().tools.export.unwrap();
        let forced = export::export_links(None, s.plan(), f, &s.report().findings, true).unwrap();
        assert_eq!(x.output.as_deref(), Some(forced.as_str()));
        assert_eq!(x.filename, file);
        assert_eq!(x.format, f);
    }
}

#[test]
fn a_plan_without_error_findings_exports_without_force() {
    let mut s = Session::new(import_bundle(BUNDLE, None).unwrap().plan);
    tool(&mut s, ToolAction::Page(ToolPage::Export));
    let has_errors = s.report().findings.iter().any(|f| f.severity == Severity::Error);
    let x = s.view().tools.export.unwrap();
    assert_eq!(x.output.is_some(), !has_errors);
    // An empty plan has nothing to refuse and nothing to export.
    let mut s = Session::default();
    tool(&mut s, ToolAction::Page(ToolPage::Export));
    let x = s.view().tools.export.unwrap();
    assert!(x.empty);
    assert_eq!(x.output.as_deref(), Some(links_script(None, s.plan(), ExportFormat::Tccli).as_str()));
}

#[test]
fn the_export_since_the_baseline_holds_only_the_changes() {
    let mut s = session();
    tool(&mut s, ToolAction::ExportForce(true));
    tool(&mut s, ToolAction::SetBaseline);
    tool(&mut s, ToolAction::Page(ToolPage::Export));
    let x = s.view().tools.export.unwrap();
    assert!(x.since, "setting a baseline exports the changes");
    assert!(x.empty, "no change yet");
    link(&mut s, "ins-web04", "vpc-prod");
    let x = s.view().tools.export.unwrap();
    let out = x.output.unwrap();
    let old = example();
    let forced = export::export_links(Some(&old), s.plan(), ExportFormat::Tccli, &s.report().findings, true).unwrap();
    assert_eq!(out, forced);
    assert!(out.contains("ins-web04") && !out.contains("ins-web01"), "{out}");
    assert_eq!(x.filename, "classiclink-changes.sh");
    // Unticking "since" exports every link again.
    tool(&mut s, ToolAction::ExportSince(false));
    let out = s.view().tools.export.unwrap().output.unwrap();
    assert!(out.contains("ins-web04") && out.contains("ins-web01"), "{out}");
    // Clearing the baseline forgets it.
    tool(&mut s, ToolAction::ClearBaseline);
    assert!(s.baseline().is_none());
    assert!(!s.view().tools.export.unwrap().since);
}

#[test]
fn pages_are_computed_only_while_shown() {
    let mut s = session();
    tool(&mut s, ToolAction::SetBaseline);
    let vm = s.view();
    assert!(vm.tools.export.is_none() && vm.tools.diff.is_none() && vm.tools.migrate.is_none());
    assert!(vm.tools.help.is_none());
    tool(&mut s, ToolAction::Page(ToolPage::Migrate));
    let vm = s.view();
    assert!(vm.tools.migrate.is_some() && vm.tools.export.is_none() && vm.tools.diff.is_none());
    tool(&mut s, ToolAction::Show(false));
    let vm = s.view();
    assert!(vm.tools.migrate.is_none());
    assert_eq!(vm.tools.page, ToolPage::Migrate, "the page is remembered");
    tool(&mut s, ToolAction::Show(true));
    assert!(s.view().tools.migrate.is_some());
}

// ---- Baseline and diff ----

#[test]
fn a_pasted_baseline_is_validated_and_a_bad_one_keeps_the_old_baseline() {
    let mut s = session();
    let bad = EXAMPLE.replacen("\"10.0.0.0/16\"", "\"10.0.0.0/33\"", 1);
    assert_eq!(tool(&mut s, ToolAction::BaselineJson(bad)), Effect::Refused);
    assert!(s.baseline().is_none());
    let vm = s.view();
    assert!(vm.tools.baseline_errors.iter().any(|e| e.path == "vpcs[0].cidr"), "{:?}", vm.tools.baseline_errors);
    let old = crate::domain::load::export(&import_bundle(BUNDLE, None).unwrap().plan);
    assert_eq!(tool(&mut s, ToolAction::BaselineJson(old.clone())), Effect::Nothing);
    assert_eq!(s.baseline(), Some(&import(&old).unwrap()));
    let vm = s.view();
    assert!(vm.tools.baseline_errors.is_empty());
    let b = vm.tools.baseline.unwrap();
    assert_eq!((b.label.as_str(), b.links), ("a pasted plan", 2));
    // A bad paste now keeps the pasted baseline.
    tool(&mut s, ToolAction::BaselineJson("{}".into()));
    assert_eq!(s.baseline(), Some(&import(&old).unwrap()));
    assert_eq!(s.plan(), &example(), "the plan itself never changes");
}

#[test]
fn the_diff_shows_the_link_added_its_findings_and_the_flows_gained() {
    let mut s = session();
    tool(&mut s, ToolAction::SetBaseline);
    tool(&mut s, ToolAction::Page(ToolPage::Diff));
    let d = s.view().tools.diff.expect("a baseline: a diff");
    assert!(d.same, "{d:?}");
    assert_eq!((d.protocol.as_str(), d.port.as_str()), ("TCP", "22"));
    assert!(d.pairs_checked > 0);
    link(&mut s, "ins-web04", "vpc-prod");
    let d = s.view().tools.diff.expect("recomputed for the new plan");
    assert!(!d.same);
    let added: Vec<_> = d.links.iter().map(|l| (l.instance.as_str(), l.vpc.as_str(), l.change)).collect();
    assert_eq!(added, [("ins-web04", "vpc-prod", Change::Added)]);
    assert!(d.objects.is_empty() && d.settings.is_empty());
    assert_eq!(d.findings, findings_diff(&check(&example()), &check(s.plan())));
    assert!(d.lost.is_empty());
    assert!(!d.gained.is_empty());
    for f in &d.gained {
        assert!(f.from.to_string() == "ins-web04" || f.to.to_string() == "ins-web04", "{f:?}");
        assert!(f.after.as_ref().is_some_and(|a| a.reachable));
        assert!(f.before.as_ref().is_some_and(|a| !a.reachable));
        assert!(f.reason.contains("was blocked (NOT_LINKED)"), "{}", f.reason);
    }
    // Undo: back to the baseline, nothing differs.
    s.update(Action::Undo);
    assert!(s.view().tools.diff.unwrap().same);
    // A new name alone makes the plan differ from its baseline.
    assert_eq!(s.update(Action::Rename("renamed".into())), Effect::PlanChanged);
    let d = s.view().tools.diff.unwrap();
    assert!(!d.same && d.settings == ["name"], "{d:?}");
}

/// Replacing the baseline while the diff page is open checks the new baseline: the findings compared are its own,
/// not those of the baseline it replaced.
#[test]
fn a_new_baseline_is_checked_again_for_the_diff() {
    let mut s = session();
    tool(&mut s, ToolAction::SetBaseline);
    tool(&mut s, ToolAction::Page(ToolPage::Diff));
    assert!(s.view().tools.diff.expect("a diff").same);
    let mut other = example();
    other.links.push(crate::domain::model::Link {
        instance: "ins-bastion".into(),
        vpc: "vpc-prod".into(),
        ip: None,
        invalidated: false,
    });
    let other_report = check(&other);
    let fd = findings_diff(&other_report, &check(&example()));
    assert!(!fd.appeared.is_empty() || !fd.disappeared.is_empty(), "the two baselines' findings differ");
    let pasted = crate::domain::load::export(&other);
    assert_eq!(tool(&mut s, ToolAction::BaselineJson(pasted)), Effect::Nothing);
    let d = s.view().tools.diff.expect("recomputed for the new baseline");
    assert_eq!(d.findings, findings_diff(&other_report, &check(s.plan())));
    assert!(!d.same);
}

/// A listed link Tencent Cloud never made is no link added: the diff page lists it apart, with why.
#[test]
fn the_diff_lists_a_link_never_made_apart_from_the_links() {
    let mut s = session();
    tool(&mut s, ToolAction::SetBaseline);
    tool(&mut s, ToolAction::Page(ToolPage::Diff));
    // ins-web01 holds its link to vpc-prod: a second one, to vpc-dev, is refused (CL002).
    let mut second = (*s.plan()).clone();
    let held = second.links.iter().find(|l| l.instance == "ins-web01").expect("ins-web01 is linked").vpc.clone();
    assert_eq!(held, "vpc-prod");
    second.links.push(crate::domain::model::Link {
        instance: "ins-web01".into(),
        vpc: "vpc-dev".into(),
        ip: None,
        invalidated: false,
    });
    s.update(Action::Open(second));
    let d = s.view().tools.diff.expect("a diff");
    assert!(d.links.is_empty(), "{:?}", d.links);
    assert_eq!(d.refused.len(), 1, "{:?}", d.refused);
    let r = &d.refused[0];
    assert_eq!((r.instance.as_str(), r.vpc.as_str()), ("ins-web01", "vpc-dev"));
    assert!(r.why.contains("CL002"), "{}", r.why);
    assert!(!d.same);
}

#[test]
fn the_diff_asks_the_protocol_and_port_chosen_and_says_what_is_wrong_with_them() {
    let mut s = session();
    tool(&mut s, ToolAction::Page(ToolPage::Diff));
    assert!(s.view().tools.diff.is_none(), "no baseline, no diff");
    tool(&mut s, ToolAction::SetBaseline);
    link(&mut s, "ins-web04", "vpc-prod");
    let at = |s: &mut Session, protocol: &str, port: &str| {
        tool(s, ToolAction::DiffFlows { protocol: protocol.into(), port: port.into() });
        s.view().tools.diff.unwrap()
    };
    let bad = at(&mut s, "TCP", "99999");
    assert!(bad.error.as_deref().is_some_and(|e| e.contains("99999")), "{:?}", bad.error);
    assert!(bad.gained.is_empty() && bad.pairs_checked == 0);
    assert_eq!(bad.links.len(), 1, "the object diff does not depend on the port");
    assert!(at(&mut s, "SCTP", "22").error.is_some());
    let ssh = at(&mut s, "TCP", "22");
    assert!(ssh.error.is_none());
    let icmp = at(&mut s, "ICMP", "");
    assert!(icmp.error.is_none());
    assert_eq!((icmp.protocol.as_str(), s.view().tools.port.as_str()), ("ICMP", ""));
    // The traffic is named as the core names it: no port for ICMP (even one left in the field) or ALL.
    assert_eq!(at(&mut s, "ICMP", "22").traffic, "ICMP");
    assert_eq!(at(&mut s, "ALL", "").traffic, "all traffic");
    assert_eq!(ssh.traffic, "TCP 22");
    // Each answer is the core's for the protocol and port chosen.
    for (protocol, port, p) in [("TCP", "22", 22u16), ("UDP", "65000", 65000)] {
        let d = at(&mut s, protocol, port);
        let net = crate::domain::Network::new(s.plan());
        let proto: Protocol = protocol.parse().unwrap();
        for f in &d.gained {
            assert_eq!(f.after.as_ref(), Some(&net.reach(&f.from, &f.to, proto, p).unwrap()), "{protocol} {port}");
        }
    }
}

/// The expectations are asked at their own protocol and port, as the check asks them, whatever the form's: with the
/// form at TCP 22, ins-web01 -> ins-api01 (an expectation at TCP 8080) blocked by a rule taken out is a flow lost,
/// said at TCP 8080; the other pairs are asked at TCP 22, where nothing changed.
#[test]
fn the_diff_asks_the_expectations_at_their_own_protocol_and_port() {
    let mut new = example();
    let app = new.security_groups.iter_mut().find(|g| g.id == "sg-app").unwrap();
    assert_eq!(app.ingress[0].description, "classic web tier");
    app.ingress.remove(0); // TCP 8080 from 10.66.0.0/16
    let mut s = Session::new(new);
    tool(&mut s, ToolAction::BaselineJson(crate::domain::load::export(&example())));
    tool(&mut s, ToolAction::Page(ToolPage::Diff));
    let d = s.view().tools.diff.expect("a baseline: a diff");
    assert_eq!(d.traffic, "TCP 22");
    let lost: Vec<_> = d.lost.iter().map(|f| (f.from.to_string(), f.to.to_string(), f.asked.clone())).collect();
    let at_8080 = Some("TCP 8080".to_string());
    assert!(lost.contains(&("ins-web01".into(), "ins-api01".into(), at_8080.clone())), "{lost:?}");
    assert!(lost.iter().all(|f| f.2 == at_8080), "nothing changed at TCP 22: {lost:?}");
    let f = d.lost.iter().find(|f| f.from.to_string() == "ins-web01").unwrap();
    assert!(f.reason.starts_with("ins-web01 -> ins-api01 at TCP 8080 (an expectation): blocked now"), "{}", f.reason);
}

// ---- Migration checklist ----

#[test]
fn the_migration_checklist_is_the_cores_with_its_markdown() {
    let mut s = session();
    tool(&mut s, ToolAction::Page(ToolPage::Migrate));
    let m = s.view().tools.migrate.unwrap();
    let expected = migrate::checklist(s.plan());
    assert_eq!(m.checklist, expected);
    assert_eq!(*m.markdown, migrate::to_markdown(&expected));
    assert!(!m.checklist.instances.is_empty());
    assert!(m.markdown.contains("ins-web04"));
    // It follows the plan.
    link(&mut s, "ins-web04", "vpc-prod");
    let m2 = s.view().tools.migrate.unwrap();
    assert_eq!(m2.checklist, migrate::checklist(s.plan()));
    let target = |m: &tools::MigrateView| {
        m.checklist.instances.iter().find(|i| i.instance == "ins-web04").and_then(|i| i.target_vpc.clone())
    };
    assert_eq!(target(&m2).as_deref(), Some("vpc-prod"));
    assert_ne!(target(&m), target(&m2));
}

// ---- Help ----

#[test]
fn the_help_shows_the_tables_and_a_rules_long_explanation() {
    let mut s = session();
    tool(&mut s, ToolAction::Page(ToolPage::Help));
    let h = s.view().tools.help.unwrap();
    assert_eq!(h.comparison.len(), crate::domain::compare::COMPARISON.len());
    assert_eq!(h.shared.len(), crate::domain::compare::SHARED_RESOURCES.len());
    assert_eq!(h.steps.len(), crate::domain::compare::MIGRATION_STEPS.len());
    assert!(h.rule.is_none() && h.unknown_rule.is_none());
    tool(&mut s, ToolAction::HelpRule(Some("CL020".into())));
    let h = s.view().tools.help.unwrap();
    let r = h.rule.expect("CL020 is explained");
    let info = &rules::rule("CL020").unwrap().info;
    assert_eq!((r.info.id, r.info.what, r.info.why, r.info.fix), (info.id, info.what, info.why, info.fix));
    assert_eq!(r.explained_by, ["Cloud Load Balancer"]);
    // CL020's seed is a Japanese sentence, from the Japanese overview (not a Classiclink page).
    assert_eq!(r.seed_lang, "ja");
    assert_eq!(r.seed_source, "Tencent Cloud's overview of VPC and the classic network (Japanese)");
    tool(&mut s, ToolAction::HelpRule(Some("CL999".into())));
    let h = s.view().tools.help.unwrap();
    assert!(h.rule.is_none());
    assert_eq!(h.unknown_rule.as_deref(), Some("CL999"));
    tool(&mut s, ToolAction::HelpRule(None));
    assert!(s.view().tools.help.unwrap().unknown_rule.is_none());
}

#[test]
fn asking_for_a_rule_opens_the_help_page() {
    let mut s = session();
    tool(&mut s, ToolAction::HelpRule(Some("CL001".into())));
    let vm = s.view();
    assert_eq!(vm.tools.page, ToolPage::Help);
    assert_eq!(vm.tools.help.unwrap().rule.unwrap().explained_by, ["Custom network (CIDR)"]);
}

/// The tools' drafts are the session's: each field keeps its text, whatever page or tab is shown.
#[test]
fn the_tools_keep_their_drafts() {
    let mut s = session();
    let draft = |field, text: &str| ToolAction::Draft { field, text: text.to_string() };
    tool(&mut s, draft(DraftField::TencentText, "{ \"DescribeVpcs\": {} }"));
    tool(&mut s, draft(DraftField::TencentRegion, "ap-guangzhou"));
    tool(&mut s, ToolAction::Page(ToolPage::Export));
    tool(&mut s, draft(DraftField::Baseline, "{}"));
    tool(&mut s, ToolAction::Show(false));
    let d = s.view().tools.drafts;
    assert_eq!(
        (d.tencent_text.as_str(), d.tencent_region.as_str(), d.baseline.as_str()),
        ("{ \"DescribeVpcs\": {} }", "ap-guangzhou", "{}")
    );
}
