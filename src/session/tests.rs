//! Session behaviour, natively: actions in, view model out, with the real domain core underneath.

use super::layout::{EdgeKind, NodeKind, RegionKind};
use super::*;
#[cfg(target_arch = "wasm32")]
use crate::browser_test as test;
use crate::domain::load::{export, import};
use crate::domain::model::{Link, Vpc};

const EXAMPLE: &str = include_str!("../../www/examples/guangzhou.json");

fn example() -> Plan {
    import(EXAMPLE).expect("the example plan loads")
}

fn session() -> Session {
    Session::new(example())
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn gauge(vm: &ViewModel, vpc: &str) -> usize {
    vm.gauges.iter().find(|g| g.vpc == vpc).expect("a gauge per VPC").links
}

fn link_edge<'a>(vm: &'a ViewModel, ins: &str, vpc: &str) -> Option<&'a layout::Edge> {
    vm.diagram.edges.iter().find(|e| e.kind == EdgeKind::Link && e.from == ins && e.to == vpc)
}

// ---- Linking through actions ----

#[test]
fn link_adds_the_edge_moves_the_gauge_and_rechecks() {
    let mut s = session();
    let before = s.view();
    assert!(link_edge(&before, "ins-web04", "vpc-prod").is_none());
    let rev = s.revision();
    let e = s.update(Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) });
    assert_eq!(e, Effect::PlanChanged);
    assert_eq!(s.revision(), rev + 1);
    assert!(s.plan().links.iter().any(|l| l.instance == "ins-web04" && l.vpc == "vpc-prod"));
    let after = s.view();
    let edge = link_edge(&after, "ins-web04", "vpc-prod").expect("the link is drawn");
    assert!(edge.valid);
    assert_eq!(gauge(&after, "vpc-prod"), gauge(&before, "vpc-prod") + 1);
    // The findings are the core's findings for the new plan.
    assert_eq!(*s.report(), check(s.plan()));
    assert_eq!(after.findings.len(), s.report().findings.len());
    assert_eq!(after.notice.as_ref().map(|n| n.tone), Some(Tone::Success));
}

/// Undo and redo say which step they took back or did again, in the words the step's own notice used.
#[test]
fn undo_and_redo_name_the_step() {
    let mut s = session();
    let text = |s: &Session| s.view().notice.expect("a notice").text;
    s.update(Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) });
    let linked = text(&s);
    s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: "10.66.99.99".into() });
    let changed = text(&s);
    assert_ne!(linked, changed);
    assert_eq!(s.view().undo_what.as_deref(), Some(changed.as_str()), "the Undo button names its step first");
    assert!(!s.view().effects.is_empty(), "the IP change says what it did to the link");
    s.update(Action::Undo);
    assert_eq!(text(&s), format!("Undone: {changed}"));
    assert!(s.view().effects.is_empty(), "what the undone change did is no longer so");
    assert_eq!(s.view().redo_what.as_deref(), Some(changed.as_str()));
    s.update(Action::Undo);
    assert_eq!(text(&s), format!("Undone: {linked}"));
    s.update(Action::Redo);
    assert_eq!(text(&s), format!("Redone: {linked}"));
    s.update(Action::Redo);
    assert_eq!(text(&s), format!("Redone: {changed}"));
    s.update(Action::Undo);
    assert_eq!(text(&s), format!("Undone: {changed}"));
    // A rename is a step of its own: Undo names it, and takes back the name alone.
    s.update(Action::Rename("Renamed plan".into()));
    assert_eq!(s.view().undo_what.as_deref(), Some("Renamed the plan to \"Renamed plan\""));
    s.update(Action::Undo);
    assert_eq!(text(&s), "Undone: Renamed the plan to \"Renamed plan\"");
    assert_eq!(s.plan().name, example().name);
    assert!(s.plan().links.iter().any(|l| l.instance == "ins-web04"), "the link stays");
    // Spaces around a name are trimmed; spaces alone clear it.
    s.update(Action::Rename("  Beta  ".into()));
    assert_eq!(s.plan().name, "Beta");
    s.update(Action::Rename("   ".into()));
    assert_eq!(s.plan().name, "");
}

#[test]
fn try_link_on_an_out_of_range_vpc_answers_cl001_and_changes_nothing() {
    let mut s = session();
    let plan = s.plan().clone();
    let rev = s.revision();
    let e = s.update(Action::TryLink { vpc: "vpc-data".into(), instances: ids(&["ins-web04"]) });
    assert_eq!(e, Effect::Nothing);
    let vm = s.view();
    let t = vm.try_answer.expect("an answer");
    let r = t.refusal.expect("refused");
    assert_eq!(r.api_error, "UnsupportedOperation.CIDRUnSupportedClassicLink");
    assert_eq!(r.rule, Some("CL001"));
    assert_eq!(*s.plan(), plan);
    assert_eq!(s.revision(), rev);
    assert!(!s.can_undo());
    // The notice (in view wherever the page is scrolled, as after a drop on a VPC) says it too.
    let n = vm.notice.expect("a notice");
    assert_eq!(
        (n.tone, n.api_error.as_deref()),
        (Tone::Error, Some("UnsupportedOperation.CIDRUnSupportedClassicLink"))
    );
    assert!(n.text.starts_with("Linking ins-web04 to vpc-data would be refused: "), "{}", n.text);
}

#[test]
fn try_link_on_a_good_vpc_is_accepted_and_changes_nothing() {
    let mut s = session();
    let plan = s.plan().clone();
    s.update(Action::TryLink { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) });
    let t = s.view().try_answer.expect("an answer");
    assert!(t.refusal.is_none(), "{t:?}");
    assert_eq!(*s.plan(), plan);
    let n = s.view().notice.expect("a notice");
    assert_eq!(n.tone, Tone::Info);
    assert!(
        n.text.contains("would link ins-web04 to vpc-prod") && n.text.contains("nothing is linked yet"),
        "{}",
        n.text
    );
    // The notice, in view wherever the page is scrolled, offers the link it tried; a refused try offers none.
    let offer = LinkOffer { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) };
    assert_eq!(n.offer, Some(offer));
    s.update(Action::TryLink { vpc: "vpc-data".into(), instances: ids(&["ins-web04"]) });
    assert_eq!(s.view().notice.expect("a notice").offer, None);
    // Made, the link's notice offers nothing more.
    s.update(Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) });
    assert_eq!(s.view().notice.expect("a notice").offer, None);
}

#[test]
fn a_refused_link_is_reported_with_its_api_error_and_leaves_the_plan() {
    let mut s = session();
    let plan = s.plan().clone();
    // ins-web01 is already linked to vpc-prod: one VPC per CVM.
    let e = s.update(Action::Link { vpc: "vpc-dev".into(), instances: ids(&["ins-web01"]) });
    assert_eq!(e, Effect::Refused);
    assert_eq!(*s.plan(), plan);
    let n = s.view().notice.expect("a notice");
    assert_eq!(n.tone, Tone::Error);
    assert_eq!(n.api_error.as_deref(), Some("UnsupportedOperation.ClassicInstanceIdAlreadyExists"));
    assert_eq!(n.rule.as_deref(), Some("CL002"));
}

#[test]
fn out_of_range_link_is_refused_with_cl001() {
    let mut s = session();
    let e = s.update(Action::Link { vpc: "vpc-data".into(), instances: ids(&["ins-web04"]) });
    assert_eq!(e, Effect::Refused);
    assert_eq!(
        s.view().notice.and_then(|n| n.api_error).as_deref(),
        Some("UnsupportedOperation.CIDRUnSupportedClassicLink")
    );
}

#[test]
fn bulk_link_and_unlink_are_all_or_nothing() {
    let mut s = session();
    let n = gauge(&s.view(), "vpc-prod");
    s.update(Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04", "ins-batch01", "ins-report01"]) });
    assert_eq!(gauge(&s.view(), "vpc-prod"), n + 3);
    s.update(Action::Unlink { vpc: "vpc-prod".into(), instances: ids(&["ins-web04", "ins-batch01"]) });
    assert_eq!(gauge(&s.view(), "vpc-prod"), n + 1);
    // One of them already linked elsewhere: nothing is linked.
    let plan = s.plan().clone();
    let e = s.update(Action::Link { vpc: "vpc-dev".into(), instances: ids(&["ins-web04", "ins-web01"]) });
    assert_eq!(e, Effect::Refused);
    assert_eq!(*s.plan(), plan);
}

#[test]
fn unlink_removes_the_edge() {
    let mut s = session();
    s.update(Action::Unlink { vpc: "vpc-prod".into(), instances: ids(&["ins-web01"]) });
    assert!(link_edge(&s.view(), "ins-web01", "vpc-prod").is_none());
    assert!(s.plan().first_listed_link("ins-web01").is_none());
}

#[test]
fn quota_gauge_reports_over_when_links_exceed_the_quota() {
    let mut p = example();
    p.quotas.links_per_vpc = 4;
    let s = Session::new(p);
    let g = s.view().gauges.into_iter().find(|g| g.vpc == "vpc-prod").expect("gauge");
    assert_eq!((g.links, g.quota, g.over, g.percent), (5, 4, true, 100));
    let data = s.view().gauges.into_iter().find(|g| g.vpc == "vpc-data").expect("gauge");
    assert!(!data.linkable);
}

// ---- Undo / redo ----

#[test]
fn undo_and_redo_walk_the_history() {
    let mut s = session();
    let p0 = s.plan().clone();
    s.update(Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) });
    let p1 = s.plan().clone();
    s.update(Action::Rename("renamed".into()));
    let p2 = s.plan().clone();
    assert!(s.can_undo() && !s.can_redo());
    assert_eq!(s.update(Action::Undo), Effect::PlanChanged);
    assert_eq!(*s.plan(), p1);
    s.update(Action::Undo);
    assert_eq!(*s.plan(), p0);
    assert!(!s.can_undo());
    assert_eq!(s.update(Action::Undo), Effect::Nothing);
    s.update(Action::Redo);
    s.update(Action::Redo);
    assert_eq!(*s.plan(), p2);
    assert_eq!(s.update(Action::Redo), Effect::Nothing);
    // A new change after an undo forgets the redo branch.
    s.update(Action::Undo);
    s.update(Action::Rename("other".into()));
    assert!(!s.can_redo());
    let vm = s.view();
    assert!(vm.can_undo && !vm.can_redo);
    assert_eq!(vm.name, "other");
}

#[test]
fn history_is_bounded() {
    let mut s = session();
    for i in 0..HISTORY_LIMIT + 25 {
        s.update(Action::Rename(format!("n{i}")));
    }
    let mut undos = 0;
    while s.update(Action::Undo) == Effect::PlanChanged {
        undos += 1;
    }
    assert_eq!(undos, HISTORY_LIMIT);
    assert_eq!(s.plan().name, "n24");
}

#[test]
fn view_only_actions_do_not_change_the_plan_or_the_report() {
    let mut s = session();
    let r1 = s.report();
    let rev = s.revision();
    for a in [
        Action::Select(Some("ins-web01".into())),
        Action::Highlight(ids(&["vpc-prod"])),
        Action::Search("10.66.12".into()),
        Action::ToggleCollapsed("vpc-dev".into()),
        Action::ShowMoreList,
    ] {
        assert_eq!(s.update(a), Effect::Nothing);
    }
    assert_eq!(s.revision(), rev);
    assert!(Rc::ptr_eq(&r1, &s.report()), "the report is memoised per revision");
    s.update(Action::Rename("x".into()));
    assert!(!Rc::ptr_eq(&r1, &s.report()));
}

// ---- Import, export, share ----

#[test]
fn an_import_error_lists_every_error_with_its_path_and_keeps_the_plan() {
    let mut s = session();
    let plan = s.plan().clone();
    let bad = EXAMPLE.replacen("\"10.0.0.0/16\"", "\"10.0.0.0/33\"", 1);
    assert_eq!(s.update(Action::ImportJson(bad)), Effect::Refused);
    assert_eq!(*s.plan(), plan);
    let vm = s.view();
    assert_eq!(vm.import_errors.len(), 1);
    assert_eq!(vm.import_errors[0].path, "vpcs[0].cidr");
    assert_eq!(vm.notice.map(|n| n.tone), Some(Tone::Error));
    // Several validation errors are all listed.
    let mut p = example();
    p.links.push(Link { instance: "ins-nope".into(), vpc: "vpc-nope".into(), ip: None, invalidated: false });
    p.classic[1].id = p.classic[0].id.clone();
    assert_eq!(s.update(Action::ImportJson(p.to_json())), Effect::Refused);
    assert!(s.view().import_errors.len() >= 2, "{:?}", s.view().import_errors);
    assert!(s.view().import_errors.iter().all(|e| !e.path.is_empty()));
    assert_eq!(*s.plan(), plan);
    assert!(!s.can_undo());
}

#[test]
fn a_good_import_replaces_the_plan_and_is_undoable() {
    let mut s = Session::new(Plan::default());
    assert_eq!(s.update(Action::ImportJson(EXAMPLE.to_string())), Effect::PlanChanged);
    assert_eq!(*s.plan(), example());
    assert!(s.view().import_errors.is_empty());
    s.update(Action::Undo);
    assert_eq!(*s.plan(), Plan::default());
}

#[test]
fn the_autosave_is_compact_json_and_a_pretty_one_still_reads() {
    let mut s = session();
    s.update(Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) });
    let saved = s.autosave_json();
    // The share link's text: one serializer of the plan, no whitespace between tokens (about 45% less to store).
    assert_eq!(saved, s.plan().to_json_compact());
    assert!(!saved.contains('\n') && !saved.contains("\": "), "{}", &saved[..80]);
    assert!(saved.len() * 10 < s.export_json().len() * 7, "{} against {}", saved.len(), s.export_json().len());
    // Both the compact autosave and a pretty one (as earlier builds saved it) open as the plan.
    for text in [saved, s.export_json()] {
        assert_eq!(import(&text).expect("an autosave reads"), *s.plan());
        assert_eq!(plan_name(&text).as_deref(), Some(s.plan().name.as_str()));
    }
}

#[test]
fn export_reimports_to_the_same_plan() {
    let mut s = session();
    s.update(Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) });
    let json = s.export_json();
    assert_eq!(json, export(s.plan()));
    assert_eq!(import(&json).expect("re-import"), *s.plan());
}

#[test]
fn share_link_round_trips_and_compresses() {
    let s = session();
    let frag = s.share_fragment();
    assert!(frag.starts_with("plan="));
    let encoded = &frag["plan=".len()..];
    assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "URL-safe");
    assert!(encoded.len() < s.plan().to_json_compact().len() / 2, "deflate shrinks the plan");
    assert_eq!(decode_share(encoded).expect("decodes"), *s.plan());
    assert_eq!(plan_from_fragment(&format!("#{frag}")).expect("a plan link").expect("decodes"), *s.plan());
    assert_eq!(plan_from_fragment("#other=1&").map(|r| r.is_ok()), None);
    // The plan is found among other keys, in any place.
    for fragment in [format!("#x=1&{frag}"), format!("{frag}&x=1"), format!("#a=&b=2&{frag}&c")] {
        let got = plan_from_fragment(&fragment).expect("a plan link").expect("decodes");
        assert_eq!(got, *s.plan(), "{fragment}");
    }
    // A link whose base64 was padded (`=`, as a padding encoder writes it) reads the same.
    use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
    use base64::Engine;
    let mut padded = 0;
    for name in ["a", "ab", "abc", "abcd"] {
        let mut plan = s.plan().clone();
        plan.name = name.into();
        let packed = URL_SAFE_NO_PAD.decode(encode_share(&plan)).unwrap();
        let with_pad = URL_SAFE.encode(packed);
        padded += usize::from(with_pad.ends_with('='));
        assert_eq!(decode_share(&with_pad).expect("decodes"), plan, "{with_pad}");
    }
    assert!(padded > 0, "some of the links were padded");
    let mut t = Session::new(Plan::default());
    assert_eq!(t.update(Action::OpenShare(encoded.to_string())), Effect::PlanChanged);
    assert_eq!(t.plan(), s.plan());
}

/// The note of a shared plan opened over the user's own.
const GO_BACK: &str = "undo brings back the plan you had";

#[test]
fn a_shared_plan_opens_over_the_users_plan_and_undo_brings_that_back() {
    let mut s = session();
    s.update(Action::Rename("My own work".into()));
    let own = s.plan().clone();
    let shared = Plan { name: "From a colleague".into(), ..example() };
    assert_eq!(s.update(Action::OpenShared(shared.clone())), Effect::PlanChanged);
    assert_eq!(*s.plan(), shared);
    // How to go back is a note: not part of the step's name, which Undo and Redo say once it is done.
    let notice = s.view().notice.expect("a notice");
    assert_eq!((notice.text.as_str(), notice.note.as_deref()), ("Opened the shared plan", Some(GO_BACK)));
    s.update(Action::Undo);
    assert_eq!(*s.plan(), own);
    let notice = s.view().notice.expect("a notice");
    assert_eq!((notice.text.as_str(), notice.note), ("Undone: Opened the shared plan", None));
    s.update(Action::Redo);
    assert_eq!(*s.plan(), shared);
    assert_eq!(s.view().notice.expect("a notice").text, "Redone: Opened the shared plan");
    // Over the empty plan a session starts with, there is nothing to go back to worth naming.
    let mut t = Session::new(Plan::default());
    t.update(Action::OpenShared(shared.clone()));
    let notice = t.view().notice.expect("a notice");
    assert_eq!((notice.text.as_str(), notice.note), ("Opened the shared plan", None));
    // A share string opens the same way.
    let mut u = session();
    u.update(Action::OpenShare(encode_share(&shared)));
    assert_eq!(*u.plan(), shared);
    u.update(Action::Undo);
    assert_eq!(*u.plan(), *session().plan());
}

#[test]
fn an_unreadable_autosave_is_reported_with_its_errors_and_the_plan_stays() {
    let mut s = session();
    let plan = s.plan().clone();
    let newer = s.export_json().replacen("\"version\": 1", "\"version\": 2", 1);
    let errors = import(&newer).expect_err("a version-2 plan").errors;
    assert_eq!(s.update(Action::AutosaveUnreadable(errors.clone())), Effect::Nothing);
    assert_eq!(*s.plan(), plan);
    let notice = s.view().notice.expect("a notice");
    assert_eq!(notice.tone, Tone::Info);
    assert!(notice.text.contains(&format!("({}: {})", errors[0].path, errors[0].message)), "{}", notice.text);
    assert_eq!(s.view().import_errors, errors);
}

#[test]
fn a_failed_autosave_says_the_plan_is_not_saved_until_one_works_again() {
    let mut s = session();
    s.update(Action::Rename("edited".into()));
    let (plan, revision, undo) = (s.plan().clone(), s.revision(), s.can_undo());
    assert_eq!(s.view().unsaved, None);
    let failed =
        Action::AutosaveFailed { reason: "QuotaExceededError".into(), chars: Some(2_600_123), kept: vec![3_000_025] };
    assert_eq!(s.update(failed), Effect::Nothing);
    // Nothing about the plan changes: no new revision (which would start another autosave), same history.
    assert_eq!((s.plan().clone(), s.revision(), s.can_undo()), (plan.clone(), revision, undo));
    let vm = s.view();
    assert_eq!(vm.unsaved.as_deref(), Some("QuotaExceededError"));
    let notice = vm.notice.expect("a notice");
    assert_eq!(notice.tone, Tone::Warning);
    for part in ["did not save the plan (QuotaExceededError", "2,600,123 characters", "lost on reload", "Export"] {
        assert!(notice.text.contains(part), "{part:?} in {}", notice.text);
    }
    assert!(notice.text.contains("kept aside here takes 3,000,025 characters"), "{}", notice.text);
    // Without a kept plan, the notice does not offer to discard one; with several, it counts them.
    let mut t = session();
    t.update(Action::AutosaveFailed { reason: "SecurityError".into(), chars: Some(999), kept: vec![] });
    let text = t.view().notice.expect("a notice").text;
    assert!(text.contains("(SecurityError; the plan is 999 characters)") && !text.contains("kept aside"), "{text}");
    // Known on load, before any write: no size.
    t.update(Action::AutosaveFailed { reason: "blocked".into(), chars: None, kept: vec![] });
    assert!(t.view().notice.expect("a notice").text.starts_with("This browser did not save the plan (blocked): "));
    t.update(Action::AutosaveFailed {
        reason: "QuotaExceededError".into(),
        chars: Some(9),
        kept: vec![2_000, 1_500_000],
    });
    let text = t.view().notice.expect("a notice").text;
    assert!(text.contains("2 plans kept aside here take 1,502,000 characters"), "{text}");
    // Other actions leave the warning standing in the view; an autosave that works again lifts it.
    s.update(Action::Select(Some("ins-web01".into())));
    assert_eq!(s.view().unsaved.as_deref(), Some("QuotaExceededError"));
    s.update(Action::KeptDiscarded);
    assert_eq!(s.view().notice.expect("a notice").text, "Discarded the plan kept aside in this browser");
    // A discard refused because another tab changed the kept plans says that nothing went, as an error.
    s.update(Action::KeptChangedElsewhere);
    let notice = s.view().notice.expect("a notice");
    assert!(notice.text.starts_with("Nothing discarded: another tab changed"), "{}", notice.text);
    assert_eq!(notice.tone, Tone::Error);
    s.update(Action::KeptDiscarded);
    assert_eq!(s.update(Action::AutosaveRecovered), Effect::Nothing);
    let vm = s.view();
    assert_eq!((vm.unsaved, vm.notice.map(|n| n.text)), (None, Some("The plan is saved in this browser again".into())));
    assert_eq!((s.plan().clone(), s.revision()), (plan, revision));
    // Recovering when nothing had failed says nothing.
    let mut u = session();
    u.update(Action::AutosaveRecovered);
    assert_eq!(u.view().notice, None);
}

/// The plan of a tab closed or in the background, found in the autosave and kept aside before this tab saved over it: said, with
/// where it went; the plan open does not change.
#[test]
fn a_closed_tabs_autosave_kept_aside_is_said() {
    let mut s = session();
    let (plan, revision) = (s.plan().clone(), s.revision());
    assert_eq!(s.update(Action::AutosaveLeftKept { name: Some("theirs".into()) }), Effect::Nothing);
    assert_eq!((s.plan().clone(), s.revision()), (plan, revision));
    let notice = s.view().notice.expect("a notice");
    assert_eq!(notice.tone, Tone::Info);
    assert_eq!(
        notice.text,
        "This browser's autosave held \u{201c}theirs\u{201d}, the plan of a planner tab closed or in the background: \
         it is kept aside in this browser (Import offers to reopen it), and this tab's plan is saved in its place"
    );
    s.update(Action::AutosaveLeftKept { name: Some(String::new()) });
    assert!(s.view().notice.expect("a notice").text.starts_with("This browser's autosave held the plan of a planner"));
}

/// A share link refused because the plan open could not be kept aside: said, as an error, and the plan stays.
#[test]
fn a_refused_share_link_says_why_and_keeps_the_plan() {
    let mut s = session();
    let (plan, revision) = (s.plan().clone(), s.revision());
    assert_eq!(s.update(Action::ShareLinkRefused("QuotaExceededError".into())), Effect::Nothing);
    assert_eq!((s.plan().clone(), s.revision()), (plan, revision));
    let notice = s.view().notice.expect("a notice");
    assert_eq!(notice.tone, Tone::Error);
    assert!(
        notice.text.starts_with(
            "The share link was not opened: the plan open here could not be kept aside \
                                     (QuotaExceededError)"
        ),
        "{}",
        notice.text
    );
}

/// The copy of this tab's plan kept aside, discarded by another tab: the plan counts as not saved (the toolbar says
/// so, leaving asks) until a save works, and the notice says why.
#[test]
fn this_tabs_kept_copy_discarded_elsewhere_counts_as_not_saved() {
    let mut s = session();
    let (plan, revision) = (s.plan().clone(), s.revision());
    assert_eq!(s.update(Action::OwnKeptDiscarded), Effect::Nothing);
    assert_eq!((s.plan().clone(), s.revision()), (plan, revision));
    let vm = s.view();
    assert_eq!(vm.unsaved.as_deref(), Some("another tab discarded this tab's plan kept aside"));
    assert!(vm.ask_before_leaving);
    let notice = vm.notice.expect("a notice");
    assert_eq!(notice.tone, Tone::Warning);
    for part in ["Another tab discarded", "only in this tab", "next change saves it", "Export"] {
        assert!(notice.text.contains(part), "{part:?} in {}", notice.text);
    }
    s.update(Action::AutosaveRecovered);
    assert_eq!(s.view().unsaved, None);
}

#[test]
fn another_tabs_autosave_over_this_tabs_plan_keeps_it_aside_or_says_it_is_not_saved() {
    let mut s = session();
    s.update(Action::Rename("mine".into()));
    let (plan, revision) = (s.plan().clone(), s.revision());
    let elsewhere = |name: Option<&str>, kept: Result<(), String>| Action::AutosaveElsewhere {
        name: name.map(str::to_string),
        kept,
    };
    // This tab's plan kept aside: nothing is lost, so nothing is unsaved; the notice says where the plan is.
    assert_eq!(s.update(elsewhere(Some("theirs"), Ok(()))), Effect::Nothing);
    assert_eq!((s.plan().clone(), s.revision()), (plan.clone(), revision));
    let vm = s.view();
    assert_eq!(vm.unsaved, None);
    let notice = vm.notice.expect("a notice");
    assert_eq!(notice.tone, Tone::Warning);
    let text = notice.text;
    assert!(text.starts_with("Another tab of the planner saved its plan \u{201c}theirs\u{201d} over"), "{text}");
    for part in ["a reload opens", "This tab's plan is kept aside", "Import offers to reopen it", "next change"] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    s.update(elsewhere(None, Ok(())));
    assert!(s.view().notice.expect("a notice").text.starts_with("Another tab of the planner saved its plan over"));
    // No room to keep it: the plan is only in this tab, as after a failed autosave (the toolbar says so and closing
    // the page asks) until this tab saves again.
    let mut t = session();
    t.update(elsewhere(Some("theirs"), Err("QuotaExceededError".into())));
    let vm = t.view();
    let why = vm.unsaved.expect("not saved in this browser");
    assert!(why.contains("another tab saved its plan over this one") && why.contains("QuotaExceededError"), "{why}");
    let text = vm.notice.expect("a notice").text;
    for part in ["could not be kept aside (QuotaExceededError)", "lost on reload or close", "Export"] {
        assert!(text.contains(part), "{part:?} in {text}");
    }
    t.update(Action::AutosaveRecovered);
    assert_eq!(t.view().unsaved, None);
    // Kept aside at a later save of the other tab: the plan as it is now is stored again.
    let mut u = session();
    u.update(elsewhere(Some("a"), Err("QuotaExceededError".into())));
    u.update(elsewhere(Some("b"), Ok(())));
    assert!(u.view().unsaved.is_none(), "this tab's plan, as it is now, is kept aside");
}

#[test]
fn thousands_groups_digits() {
    let cases = [(0, "0"), (999, "999"), (1000, "1,000"), (65_536, "65,536"), (3_000_025, "3,000,025")];
    for (n, want) in cases {
        assert_eq!(thousands(n), want);
    }
}

#[test]
fn a_kept_plans_name_is_read_without_importing_it() {
    assert_eq!(plan_name(&session().export_json()).as_deref(), Some(session().plan().name.as_str()));
    assert_eq!(plan_name(r#"{"format": "classiclink-plan", "version": 1}"#).as_deref(), Some(""));
    // Read even from a plan import would refuse; nothing from what is not a JSON object.
    assert_eq!(plan_name(r#"{"name": "half", "vpcs": [{"cidr": "10.0.0.0/33"}]}"#).as_deref(), Some("half"));
    assert_eq!(plan_name("[1, 2]"), None);
    assert_eq!(plan_name("{\"name\": "), None);
}

/// The share string `good` with the last of its compressed bytes changed, encoded again.
fn flip_last_byte(good: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let mut packed = URL_SAFE_NO_PAD.decode(good).expect("a share string");
    *packed.last_mut().unwrap() ^= 1;
    URL_SAFE_NO_PAD.encode(packed)
}

/// A link made before share links carried a checksum (raw deflate data, no zlib header) still opens.
#[test]
fn a_share_link_made_before_the_checksum_still_opens() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    for plan in [example(), Plan::default(), Plan { name: "x".into(), ..Plan::default() }] {
        let raw = miniz_oxide::deflate::compress_to_vec(plan.to_json_compact().as_bytes(), 6);
        assert_ne!(raw[0], 0x78, "no raw link opens as a zlib header would");
        assert_eq!(decode_share(&URL_SAFE_NO_PAD.encode(raw)).expect("opens"), plan);
        let new = URL_SAFE_NO_PAD.decode(encode_share(&plan)).unwrap();
        assert_eq!(new[0], 0x78, "a new link is a zlib stream");
    }
}

/// The share string `good` with `junk` after its compressed bytes, encoded again.
fn followed_by(good: &str, junk: &[u8]) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let mut packed = URL_SAFE_NO_PAD.decode(good).expect("a share string");
    packed.extend_from_slice(junk);
    URL_SAFE_NO_PAD.encode(packed)
}

#[test]
fn a_damaged_share_link_is_refused_with_its_location() {
    for bad in ["***", "AAAA", ""] {
        let e = decode_share(bad).expect_err(bad);
        assert_eq!(e.errors[0].path, "#plan", "{bad}");
    }
    let mut s = session();
    let plan = s.plan().clone();
    assert_eq!(s.update(Action::OpenShare("not-a-plan".into())), Effect::Refused);
    assert_eq!(*s.plan(), plan);
    assert!(!s.view().import_errors.is_empty());

    // The notice itself says what is wrong (and where), not only that the link failed.
    let notice = |s: &Session| s.view().notice.expect("a notice").text;
    let good = encode_share(&plan);
    // Cut anywhere: base64 that ends wrong, or deflated data that ends early.
    // In words, not the decoders' names for their states.
    let cuts = [
        (
            good[..good.len() / 2 / 4 * 4 + 1].to_string(),
            "is damaged, or cut short (it ends part-way through a character)",
        ),
        (good[..good.len() / 2 / 4 * 4].to_string(), "is cut short (its compressed plan ends early)"),
        (
            format!("{}!{}", &good[..19], &good[20..]),
            "is damaged, or cut short ('!' at character 20 cannot be in a share link)",
        ),
        (String::new(), "carries no plan after #plan="),
        // Whole compressed data with more after it: damaged as surely as a cut one.
        (followed_by(&good, b"\x00\x01junk"), "is damaged (its compressed plan is followed by 6 more bytes)"),
        (followed_by(&good, b"\x00"), "is damaged (its compressed plan is followed by 1 more byte)"),
        // Damaged where it still inflates (here, the checksum itself; one changed character of the compressed plan
        // could rename objects and still read): the checksum refuses it.
        (flip_last_byte(&good), "is damaged (its plan does not match the checksum it carries)"),
    ];
    for (link, words) in cuts {
        assert_eq!(s.update(Action::OpenShare(link)), Effect::Refused);
        assert!(notice(&s).contains(&format!(": the share link {words}")), "{}", notice(&s));
    }
    let mut wrong = plan.clone();
    wrong.links[0].vpc = "vpc-nope".into();
    wrong.links[1].vpc = "vpc-nope".into();
    assert_eq!(s.update(Action::OpenShare(encode_share(&wrong))), Effect::Refused);
    let text = notice(&s);
    assert!(text.starts_with("The share link could not be opened: links[0].vpc: "), "{text}");
    assert!(
        text.contains("the Import panel lists the 2 errors") && text.contains("the current plan is unchanged"),
        "{text}"
    );
    // A link whose plan is not JSON says so, without a stray "." where a location would be.
    let not_json = miniz_oxide::deflate::compress_to_vec_zlib(b"{ nope", 6);
    let link = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, not_json);
    assert_eq!(s.update(Action::OpenShare(link)), Effect::Refused);
    assert!(notice(&s).starts_with("The share link could not be opened: not JSON: "), "{}", notice(&s));
    let huge = miniz_oxide::deflate::compress_to_vec(&vec![b' '; share::MAX_INFLATED + 1], 6);
    let e = decode_share(&base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, huge)).unwrap_err();
    assert_eq!(e.errors[0].message, "the share link's plan is larger than 16 MB: share it as a file");
    assert_eq!(*s.plan(), plan);
}

#[test]
fn a_file_that_is_not_text_is_refused_in_words() {
    let mut s = session();
    let plan = s.plan().clone();
    let why = crate::domain::text_from_bytes(b"{\"name\": \"Caf\xe9\"}".to_vec()).unwrap_err();
    assert_eq!(s.update(Action::ImportUnreadable(why.clone())), Effect::Refused);
    assert_eq!(*s.plan(), plan);
    assert_eq!(s.view().import_errors[0].message, why);
    assert!(s.view().notice.expect("a notice").text.contains("the current plan is unchanged"));
}

#[test]
fn open_replaces_the_plan_and_forgets_history() {
    let mut s = session();
    s.update(Action::Rename("x".into()));
    s.update(Action::Open(example()));
    assert!(!s.can_undo());
    assert_eq!(*s.plan(), example());
}

/// The first load fetches the example while the page is already drawn on an empty plan: it opens over that empty plan,
/// but never over work the user began in the meantime (a change, or a form being filled in), which Open would drop
/// with its undo history (and the autosave would then save the example over it).
#[test]
fn the_plan_to_start_with_never_replaces_work_begun_while_it_loaded() {
    let mut s = Session::default();
    assert_eq!(s.update(Action::OpenStart(example())), Effect::PlanChanged, "an untouched session opens it");
    assert_eq!(*s.plan(), example());

    let mut s = Session::default();
    s.update(Action::OpenForm { kind: ObjectKind::Vpc, id: None, vpc: None });
    s.update(Action::SetField { key: "id".into(), value: "vpc-mine".into() });
    s.update(Action::SetField { key: "cidr".into(), value: "10.5.0.0/16".into() });
    assert_eq!(s.update(Action::OpenStart(example())), Effect::Nothing, "a form being filled in stays");
    assert_eq!(s.view().form.expect("the form").fields.iter().find(|f| f.key == "id").unwrap().value, "vpc-mine");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(s.update(Action::OpenStart(example())), Effect::Nothing, "a changed plan stays");
    assert_eq!(s.plan().vpcs.len(), 1);
    assert!(s.can_undo());
}

// ---- Lifecycle ----

#[test]
fn returning_a_linked_cvm_removes_its_link_and_undo_restores_it() {
    let mut s = session();
    let e = s.update(Action::ApplyEvent { instance: "ins-web01".into(), event: Event::Return });
    assert_eq!(e, Effect::PlanChanged);
    assert!(s.plan().first_listed_link("ins-web01").is_none());
    let vm = s.view();
    assert!(link_edge(&vm, "ins-web01", "vpc-prod").is_none());
    assert!(!vm.effects.is_empty());
    // The notice says what became of the link, not only the event.
    let notice = vm.notice.expect("a notice");
    assert_eq!(notice.text, "Return (terminate) on ins-web01");
    let note = notice.note.unwrap_or_default();
    assert!(note.starts_with("ins-web01's link to vpc-prod was removed automatically"), "{note}");
    s.update(Action::Undo);
    assert!(s.plan().first_listed_link("ins-web01").is_some());
}

#[test]
fn changing_the_ip_invalidates_the_link() {
    let mut s = session();
    assert!(link_edge(&s.view(), "ins-web01", "vpc-prod").expect("drawn").valid);
    let e = s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: "10.66.99.99".into() });
    assert_eq!(e, Effect::PlanChanged);
    assert_eq!(s.plan().classic_instance("ins-web01").map(|c| c.ip.to_string()).as_deref(), Some("10.66.99.99"));
    let vm = s.view();
    assert!(!vm.effects.is_empty());
    if let Some(edge) = link_edge(&vm, "ins-web01", "vpc-prod") {
        assert!(!edge.valid, "a link made with the old IP is drawn invalid");
    }
    // The notice, in view, says it as a warning: how many errors the change added, then what became of the link.
    let n = vm.notice.expect("a notice");
    assert_eq!((n.tone, n.text.as_str()), (Tone::Warning, "Change IP to 10.66.99.99 on ins-web01"));
    let note = n.note.expect("a note");
    assert!(note.starts_with("ins-web01's link to vpc-prod is invalid"), "{note}");
    assert!(note.ends_with("; the checks have 2 more errors (CL010, CL022)"), "{note}");
    assert_eq!(s.view().undo_what.as_deref(), Some("Change IP to 10.66.99.99 on ins-web01"), "no note in its name");
    // A typed address that is not one is refused before the core is asked.
    let plan = s.plan().clone();
    assert_eq!(s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: "10.66.999.1".into() }), Effect::Refused);
    assert_eq!(*s.plan(), plan);
}

#[test]
fn isolation_keeps_the_link() {
    for ev in [Event::IsolateForArrears, Event::SecurityIsolate, Event::Stop] {
        let mut s = session();
        assert_eq!(s.update(Action::ApplyEvent { instance: "ins-web01".into(), event: ev }), Effect::PlanChanged);
        assert_eq!(s.plan().first_listed_link("ins-web01").map(|l| l.vpc.as_str()), Some("vpc-prod"), "{ev:?}");
        // ins-web01 no longer answers expectation 0 (an error): a warning, saying what became of the link, then the
        // new error's rule apart (not as if staying linked were the error).
        let n = s.view().notice.expect("a notice");
        assert_eq!(n.tone, Tone::Warning, "{ev:?}");
        let note = n.note.expect("a note");
        assert!(note.starts_with("ins-web01 stays linked to vpc-prod"), "{ev:?}: {note}");
        assert!(note.ends_with("; the checks have 1 more error (CL022)"), "{ev:?}: {note}");
    }
    // An event that adds no error is done, and says what became of the link all the same.
    let mut s = session();
    assert_eq!(
        s.update(Action::ApplyEvent { instance: "ins-batch01".into(), event: Event::Stop }),
        Effect::PlanChanged
    );
    let n = s.view().notice.expect("a notice");
    assert_eq!(n.tone, Tone::Success);
    assert!(n.note.is_some_and(|t| t.starts_with("ins-batch01 is not linked")), "{:?}", s.view().notice);
}

/// An event that leaves the plan as it is still says what it does to the link, and adds no step to undo.
#[test]
fn an_event_that_changes_nothing_is_not_an_undo_step() {
    for ev in [Event::SwitchOs, Event::Start, Event::Failover] {
        let mut s = session();
        let (plan, revision) = (s.plan().clone(), s.revision());
        assert_eq!(s.update(Action::ApplyEvent { instance: "ins-web01".into(), event: ev }), Effect::Nothing, "{ev:?}");
        assert_eq!((*s.plan() == plan, s.revision(), s.can_undo()), (true, revision, false), "{ev:?}");
        let vm = s.view();
        let notice = vm.notice.clone().expect("notice");
        assert!(notice.text.ends_with("ins-web01: the plan is unchanged"), "{ev:?}");
        assert!(notice.note.is_some_and(|n| n.starts_with("ins-web01 stays linked to vpc-prod")), "{ev:?}: the link");
        assert!(!vm.effects.is_empty(), "{ev:?}: the effects on the link are still shown");
    }
}

// ---- Reachability ----

#[test]
fn reach_answers_through_the_core_and_follows_plan_changes() {
    let mut s = session();
    s.update(Action::Reach {
        from: "ins-web01".into(),
        to: "ins-x01".into(),
        protocol: "TCP".into(),
        port: "22".into(),
    });
    let q = s.view().reach.expect("asked");
    let a = q.outcome.expect("answered");
    let expected =
        reach(s.plan(), &Endpoint::from("ins-web01"), &Endpoint::from("ins-x01"), Protocol::Tcp, 22).unwrap();
    assert_eq!(a, expected);
    // Unlinking re-asks the same question of the new plan.
    s.update(Action::Unlink { vpc: "vpc-prod".into(), instances: ids(&["ins-web01"]) });
    let again = s.view().reach.expect("still asked").outcome.expect("answered");
    let expected =
        reach(s.plan(), &Endpoint::from("ins-web01"), &Endpoint::from("ins-x01"), Protocol::Tcp, 22).unwrap();
    assert_eq!(again, expected);
}

/// The From/To suggestions are what a question accepts as an endpoint: every classic instance and VPC resource,
/// each taken by `reach`; no gateway, terminal connection or other object, which it refuses by ID.
#[test]
fn reach_suggests_only_what_a_question_accepts() {
    let s = session();
    let plan = s.plan();
    let suggested: Vec<String> = s.view().endpoints.all().iter().map(|(id, _)| id.clone()).collect();
    let mut want: Vec<String> = plan.classic.iter().map(|c| c.id.to_string()).collect();
    want.extend(plan.vpcs.iter().flat_map(|v| v.resources.iter().map(|r| r.id.to_string())));
    assert_eq!(suggested, want);
    for id in &suggested {
        let asked = reach(plan, &Endpoint::from(id.as_str()), &Endpoint::from("ins-web01"), Protocol::Tcp, 22);
        assert!(asked.is_ok(), "{id}: {asked:?}");
    }
    // The example has gateways and a terminal connection, which `reach` refuses by ID.
    let refused: Vec<&str> = plan
        .vpcs
        .iter()
        .flat_map(|v| v.gateways.iter().map(|g| g.id.as_str()))
        .chain(plan.terminal_connections.iter().map(|t| t.id.as_str()))
        .collect();
    assert!(refused.len() >= 3, "{refused:?}");
    for id in refused {
        assert!(reach(plan, &Endpoint::from(id), &Endpoint::from("ins-web01"), Protocol::Tcp, 22).is_err(), "{id}");
    }
}

/// The From/To suggestions follow what is typed: the endpoints whose ID starts with it, then those whose ID or
/// description (kind, IP, name, VPC) holds it, in any case, at most [`SUGGESTIONS`]; an empty field offers the first.
#[test]
fn reach_suggests_the_endpoints_matching_what_is_typed() {
    let vm = session().view();
    let all = vm.endpoints.all();
    let every: Vec<&str> = all.iter().map(|(id, _)| id.as_str()).collect();
    let table: [(&str, Vec<&str>); 16] = [
        ("", every.clone()),
        ("  ", every.clone()),
        ("INS-WEB0", vec!["ins-web01", "ins-web02", "ins-web03", "ins-web04"]),
        ("10.66.12.", vec!["ins-web01", "ins-web02", "ins-web03", "ins-web04"]),
        (" ins-bastion ", vec!["ins-bastion"]),
        // A VPC's ID: the classic CVMs linked to it (first, as the plan lists classic instances first), then its
        // resources.
        (
            "vpc-prod",
            vec![
                "ins-web01",
                "ins-web02",
                "ins-web03",
                "ins-app01",
                "ins-app02",
                "ins-api01",
                "ins-api02",
                "lb-prod",
                "cdb-prod",
                "redis-cache",
                "ins-x01",
            ],
        ),
        // ins-app01's link was made for 10.66.20.4, and it has 10.66.20.9 now: said apart.
        ("linked to vpc-prod", vec!["ins-web01", "ins-web02", "ins-web03", "ins-app02"]),
        ("carries nothing", vec!["ins-app01"]),
        ("mysql", vec!["cdb-orders", "cdb-prod"]),
        ("api-lb", vec!["lb-prod"]),
        // A classic instance's name, in any case, as a resource's.
        ("WEB-1", vec!["ins-web01"]),
        // An ID starting with the text comes before one holding it further on (ins-report01 is earlier in the plan).
        ("re", vec!["redis-cache", "ins-report01"]),
        // A gateway, a terminal connection, a VPC: nothing a question takes by ID.
        ("nat-prod", vec![]),
        ("tc-orders", vec![]),
        ("vpc-data", vec!["ins-etl01"]),
        ("nothing-like-this", vec![]),
    ];
    for (typed, want) in table {
        let got: Vec<String> = vm.endpoints.suggest(typed).into_iter().map(|(id, _)| id).collect();
        assert_eq!(got, want, "{typed:?}");
    }
    // Each with its description.
    let web01 = vm.endpoints.suggest("ins-web01");
    assert_eq!(web01, vec![("ins-web01".to_string(), "classic CVM 10.66.12.7 web-1, linked to vpc-prod".to_string())]);
    let bastion = vm.endpoints.suggest("ins-bastion");
    assert_eq!(bastion[0].1, "classic CVM 10.66.1.2 bastion", "no link, nothing said of one");

    // At Tencent's scale: a few dozen at most, whatever is typed.
    let big = crate::domain::synth::plan(1);
    let last = big.vpcs.last().and_then(|v| v.resources.last()).expect("a resource").id.to_string();
    let vm = Session::new(big).view();
    assert!(vm.endpoints.all().len() > 5_000, "{}", vm.endpoints.all().len());
    for typed in ["", "ins-r", "res-", "10.", "cvm"] {
        let got = vm.endpoints.suggest(typed);
        assert_eq!(got.len(), SUGGESTIONS, "{typed:?}");
        let q = typed.to_lowercase();
        assert!(got.iter().all(|(id, d)| format!("{id} {d}").to_lowercase().contains(&q)), "{typed:?}: {got:?}");
    }
    assert_eq!(vm.endpoints.suggest("").first(), vm.endpoints.all().first());
    // The last resource, typed in full, comes first (its ID starts with the text; others only hold it).
    assert_eq!(vm.endpoints.suggest(&last).first().map(|(id, _)| id.as_str()), Some(last.as_str()));
    // One ID starting with the text and 40 names holding it: still at most SUGGESTIONS, the ID first.
    let cvm = |i: usize| {
        format!(r#"{{"id": "ins-{i}", "kind": "cvm", "region": "r1", "ip": "10.66.0.{i}", "name": "alpha-{i}"}}"#)
    };
    let classic: Vec<String> = (1..=40).map(cvm).collect();
    let text = format!(
        r#"{{"format": "classiclink-plan", "version": 1,
            "classic": [{{"id": "alpha", "kind": "cvm", "region": "r1", "ip": "10.66.1.1"}}, {}]}}"#,
        classic.join(", ")
    );
    let vm = Session::new(import(&text).expect("the plan loads")).view();
    let got: Vec<String> = vm.endpoints.suggest("alpha").into_iter().map(|(id, _)| id).collect();
    let want: Vec<String> =
        std::iter::once("alpha".to_string()).chain((1..SUGGESTIONS).map(|i| format!("ins-{i}"))).collect();
    assert_eq!(got, want);
}

/// The question follows the plan as it is edited, undone, or imported again (it is re-asked), but not into another
/// plan: New plan drops it, and an import or shared plan lacking an endpoint it names drops it rather than
/// answering with an error nobody asked for.
#[test]
fn reach_drops_the_question_when_another_plan_lacks_its_endpoints() {
    let ask =
        Action::Reach { from: "ins-web01".into(), to: "ins-api01".into(), protocol: "TCP".into(), port: "22".into() };
    // The example with ins-web01 renamed: another plan, without it.
    let other = import(&EXAMPLE.replace("ins-web01", "ins-web91")).expect("the plan loads");
    let no_to = import(&EXAMPLE.replace("ins-api01", "ins-api91")).expect("the plan loads");
    let mut stale = example();
    stale.classic[0].ip = "10.66.99.99".parse().unwrap();
    // (the step after asking, whether the question is still there, answered)
    let table: Vec<(&str, Vec<Action>, bool)> = vec![
        ("an edit", vec![Action::Unlink { vpc: "vpc-prod".into(), instances: ids(&["ins-web01"]) }], true),
        ("a what-if", vec![Action::ApplyEvent { instance: "ins-web01".into(), event: Event::Stop }], true),
        (
            "an undo",
            vec![Action::Unlink { vpc: "vpc-prod".into(), instances: ids(&["ins-web01"]) }, Action::Undo],
            true,
        ),
        ("the same plan imported", vec![Action::ImportJson(export(&example()))], true),
        ("a changed plan imported", vec![Action::ImportJson(export(&stale))], true),
        ("a plan shared that has both", vec![Action::OpenShared(stale.clone())], true),
        ("New plan", vec![Action::NewPlan], false),
        ("New plan, then undone", vec![Action::NewPlan, Action::Undo], false),
        ("a plan imported without ins-web01", vec![Action::ImportJson(export(&other))], false),
        ("a plan shared without ins-web01", vec![Action::OpenShared(other.clone())], false),
        ("a plan imported without ins-api01 (the To)", vec![Action::ImportJson(export(&no_to))], false),
        ("a plan shared without ins-api01 (the To)", vec![Action::OpenShared(no_to.clone())], false),
        ("a plan opened", vec![Action::Open(example())], false),
    ];
    for (what, steps, kept) in table {
        let mut s = session();
        s.update(ask.clone());
        for step in steps {
            s.update(step);
        }
        let q = s.view().reach;
        assert_eq!(q.is_some(), kept, "{what}: {q:?}");
        if let Some(q) = q {
            assert!(q.outcome.is_ok(), "{what}: {q:?}");
        }
    }
    // Deleting an endpoint is an edit: the question stays, saying what became of it.
    let mut s = session();
    s.update(ask);
    s.update(Action::Delete { id: "ins-web01".into() });
    let q = s.view().reach.expect("still asked");
    assert_eq!(q.bad_field, Some("from"), "{q:?}");
    // The matrix likewise: kept by a plan that has its VPC, dropped by one that lacks it.
    let no_vpc = import(&EXAMPLE.replace("vpc-prod", "vpc-prod9")).expect("the plan loads");
    for (what, step, kept) in [
        ("the same plan imported", Action::ImportJson(export(&example())), true),
        ("a plan imported without vpc-prod", Action::ImportJson(export(&no_vpc)), false),
        ("a plan shared without vpc-prod", Action::OpenShared(no_vpc.clone()), false),
    ] {
        let mut s = session();
        s.update(Action::Matrix { vpc: "vpc-prod".into(), protocol: "TCP".into(), port: "22".into() });
        s.update(step);
        assert_eq!(s.view().matrix.is_some(), kept, "{what}");
    }
}

/// The question is named as the core names traffic: ICMP and ALL carry no port, even one left in the field.
#[test]
fn reach_and_matrix_name_the_traffic_as_the_core_does() {
    let mut s = session();
    for (proto, port, want) in
        [("TCP", "22", "TCP 22"), ("ICMP", "22", "ICMP"), ("ALL", "22", "all traffic"), ("TCP", "http", "TCP http")]
    {
        let (protocol, port) = (proto.to_string(), port.to_string());
        s.update(Action::Reach { from: "ins-web01".into(), to: "cdb-prod".into(), protocol, port: port.clone() });
        assert_eq!(s.view().reach.expect("asked").traffic, want);
        s.update(Action::Matrix { vpc: "vpc-prod".into(), protocol: proto.into(), port });
        assert_eq!(s.view().matrix.expect("matrix").traffic, want);
    }
}

#[test]
fn reach_reports_bad_questions_without_asking() {
    let mut s = session();
    for (proto, port, needle) in [("TCP", "0", "port"), ("TCP", "http", "port"), ("SCTP", "22", "protocol")] {
        s.update(Action::Reach {
            from: "ins-web01".into(),
            to: "cdb-prod".into(),
            protocol: proto.into(),
            port: port.into(),
        });
        let e = s.view().reach.expect("asked").outcome.expect_err("refused");
        assert!(e.contains(needle), "{e}");
    }
    s.update(Action::Reach { from: "".into(), to: "cdb-prod".into(), protocol: "TCP".into(), port: "22".into() });
    assert!(s.view().reach.expect("asked").outcome.is_err());
    // The field at fault is marked: an empty or unknown endpoint at its own end, a bad port at the port.
    let table = [
        ("", "cdb-prod", "22", Some("from")),
        ("ins-web01", " ", "22", Some("to")),
        ("", "", "22", Some("from")),
        ("ins-nope", "cdb-prod", "22", Some("from")),
        ("ins-web01", "cdb-nope", "22", Some("to")),
        ("ins-web01", "cdb-prod", "0", Some("port")),
        ("ins-web01", "cdb-prod", "22", None),
    ];
    for (from, to, port, field) in table {
        s.update(Action::Reach { from: from.into(), to: to.into(), protocol: "TCP".into(), port: port.into() });
        assert_eq!(s.view().reach.expect("asked").bad_field, field, "{from:?} -> {to:?} port {port:?}");
    }
}

#[test]
fn matrix_answers_every_linked_cvm_against_every_resource() {
    let mut s = session();
    s.update(Action::Matrix { vpc: "vpc-prod".into(), protocol: "TCP".into(), port: "22".into() });
    let m = s.view().matrix.expect("matrix");
    let vpc = s.plan().vpc("vpc-prod").unwrap();
    assert_eq!(m.columns.len(), vpc.resources.len());
    assert_eq!(m.rows.len(), s.plan().links.len());
    for row in &m.rows {
        for cell in &row.cells {
            let a = reach(
                s.plan(),
                &Endpoint::from(row.from.as_str()),
                &Endpoint::from(cell.to.as_str()),
                Protocol::Tcp,
                22,
            )
            .unwrap();
            assert_eq!(cell.reachable, a.reachable, "{} -> {}", row.from, cell.to);
            assert_eq!(cell.reason.as_deref(), a.reason.map(|r| r.as_str()), "{} -> {}", row.from, cell.to);
            assert_eq!(cell.message, a.message, "{} -> {}", row.from, cell.to);
        }
    }
    s.update(Action::Matrix { vpc: "vpc-nope".into(), protocol: "TCP".into(), port: "22".into() });
    assert!(s.view().matrix.expect("matrix").note.is_some());
    // A port that is not one: the matrix says why, and answers nothing.
    s.update(Action::Matrix { vpc: "vpc-prod".into(), protocol: "TCP".into(), port: "http".into() });
    let m = s.view().matrix.expect("matrix");
    assert!(m.rows.is_empty(), "{m:?}");
    assert!(m.note.as_deref().is_some_and(|n| n.contains("port")), "{m:?}");
    // A CVM listed with two links is one row; a linked MySQL is no CVM and no row.
    let mut p = example();
    let again = p.links[0].clone();
    p.links.push(Link { vpc: "vpc-dev".into(), ..again.clone() });
    let mysql = p.classic.iter().find(|c| c.kind == Kind::Mysql).expect("a classic MySQL").id.clone();
    p.links.push(Link { instance: mysql.clone(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
    let mut s = Session::new(p);
    s.update(Action::Matrix { vpc: "vpc-prod".into(), protocol: "TCP".into(), port: "22".into() });
    let rows: Vec<String> = s.view().matrix.expect("matrix").rows.iter().map(|r| r.from.clone()).collect();
    assert_eq!(rows.iter().filter(|r| **r == again.instance).count(), 1, "{rows:?}");
    assert!(!rows.contains(&mysql.to_string()), "{rows:?}");
    assert_eq!(rows.len(), example().links.len());
}

/// A matrix needs a VPC: a plan with none says so plainly, and turns the matrix off with that reason; a VPC not
/// chosen, or not in the plan, is named as such.
#[test]
fn matrix_says_when_the_plan_has_no_vpc() {
    let mut s = session();
    assert_eq!(s.view().matrix_off, None);
    let table = [("", "choose a VPC to answer its resources"), ("vpc-nope", "vpc-nope is not a VPC of this plan")];
    for (vpc, want) in table {
        s.update(Action::Matrix { vpc: vpc.into(), protocol: "TCP".into(), port: "22".into() });
        assert_eq!(s.view().matrix.expect("matrix").note.as_deref(), Some(want), "{vpc:?}");
    }
    s.update(Action::NewPlan);
    let vm = s.view();
    assert_eq!(vm.matrix_off.as_deref(), Some("The plan has no VPC yet"));
    s.update(Action::Matrix { vpc: "".into(), protocol: "TCP".into(), port: "22".into() });
    let m = s.view().matrix.expect("matrix");
    assert_eq!(m.note.as_deref(), Some("The plan has no VPC yet"));
    assert!(m.rows.is_empty());
    // Back to a plan with VPCs: on again.
    s.update(Action::Undo);
    assert_eq!(s.view().matrix_off, None);
}

/// The matrix follows the plan as the single question does: an unlink, an undo, a what-if answer it again at the same
/// page (it disappeared, to be asked all over again); New plan, or an import without its VPC, drops it.
#[test]
fn the_matrix_follows_the_plan() {
    let mut s = session();
    s.update(Action::Matrix { vpc: "vpc-prod".into(), protocol: "TCP".into(), port: "80".into() });
    let cell = |s: &Session, from: &str| {
        let m = s.view().matrix.expect("a matrix");
        m.rows.iter().find(|r| r.from == from).map(|r| (r.cells[0].reachable, r.cells[0].reason.clone()))
    };
    let before = cell(&s, "ins-web01");
    assert!(before.as_ref().is_some_and(|(_, reason)| reason.as_deref() != Some("INSTANCE_STATE")), "{before:?}");
    s.update(Action::Unlink { vpc: "vpc-prod".into(), instances: vec!["ins-web01".into()] });
    assert_eq!(cell(&s, "ins-web01"), None, "no longer linked: no longer a row");
    s.update(Action::Undo);
    assert_eq!(cell(&s, "ins-web01"), before);
    s.update(Action::ApplyEvent { instance: "ins-web01".into(), event: crate::domain::ops::Event::Stop });
    assert_eq!(cell(&s, "ins-web01"), Some((false, Some("INSTANCE_STATE".to_string()))));
    s.update(Action::NewPlan);
    assert!(s.view().matrix.is_none());
}

/// A cell of the matrix asks its pair with the matrix's traffic, and its answer belongs at the matrix (so that the
/// view shows it where the cell is); a question from the form, or a cell of no matrix, does not.
#[test]
fn a_matrix_cell_asks_with_the_matrixs_traffic_and_answers_at_the_matrix() {
    let mut s = session();
    s.update(Action::ReachCell { from: "ins-web01".into(), to: "cdb-prod".into() });
    assert_eq!(s.view().reach, None, "no matrix: no cell to ask");
    s.update(Action::Matrix { vpc: "vpc-prod".into(), protocol: "TCP".into(), port: "3306".into() });
    s.update(Action::ReachCell { from: "ins-web01".into(), to: "cdb-prod".into() });
    let q = s.view().reach.expect("an answer");
    assert!(q.in_matrix);
    assert_eq!((q.protocol.as_str(), q.port.as_str(), q.traffic.as_str()), ("TCP", "3306", "TCP 3306"));
    let m = s.view().matrix.expect("a matrix");
    let cell = m
        .rows
        .iter()
        .find(|r| r.from == "ins-web01")
        .and_then(|r| m.columns.iter().position(|c| c == "cdb-prod").map(|i| r.cells[i].clone()));
    let a = q.outcome.as_ref().expect("a question reachability answers");
    assert_eq!(cell.map(|c| (c.reachable, c.reason)), Some((a.reachable, a.reason.map(|r| r.as_str().to_string()))));
    // The plan changes: the question is asked again, and its answer stays at the matrix.
    s.update(Action::ApplyEvent { instance: "ins-web01".into(), event: crate::domain::ops::Event::Stop });
    let q = s.view().reach.expect("asked again");
    assert!(q.in_matrix);
    assert_eq!(q.outcome.map(|a| a.reason.map(|r| r.as_str())), Ok(Some("INSTANCE_STATE")));
    // The same question from the form is answered above the matrix.
    s.update(Action::Reach {
        from: "ins-web01".into(),
        to: "cdb-prod".into(),
        protocol: "TCP".into(),
        port: "3306".into(),
    });
    assert!(!s.view().reach.expect("an answer").in_matrix);
    // Another matrix, or none, is not the matrix the cell was of: its answer is the form's again.
    for then in
        [Action::Matrix { vpc: "vpc-dev".into(), protocol: "UDP".into(), port: "53".into() }, Action::ClearMatrix]
    {
        s.update(Action::Matrix { vpc: "vpc-prod".into(), protocol: "TCP".into(), port: "3306".into() });
        s.update(Action::ReachCell { from: "ins-web01".into(), to: "cdb-prod".into() });
        assert!(s.view().reach.expect("an answer").in_matrix);
        s.update(then);
        let q = s.view().reach.expect("the answer stays");
        assert!(!q.in_matrix, "{q:?}");
        assert_eq!((q.from.as_str(), q.to.as_str(), q.traffic.as_str()), ("ins-web01", "cdb-prod", "TCP 3306"));
    }
}

/// At scale the matrix's rows start with the CVMs linked to the chosen VPC, and pages walk every row and column.
#[test]
fn matrix_rows_start_with_the_chosen_vpcs_cvms_and_page_through_all() {
    // 50 CVMs linked to vpc-a, listed first; 45 linked to vpc-b; vpc-b has 45 resources.
    let cvm = |i: usize| format!(r#"{{"id": "ins-{i}", "kind": "cvm", "region": "r1", "ip": "10.66.0.{i}"}}"#);
    let res = |i: usize| format!(r#"{{"id": "res-{i}", "kind": "cvm", "subnet": "sn", "ip": "10.1.0.{}"}}"#, i + 10);
    let link = |i: usize, v: &str| format!(r#"{{"instance": "ins-{i}", "vpc": "{v}"}}"#);
    let join = |v: Vec<String>| v.join(", ");
    let text = format!(
        r#"{{"format": "classiclink-plan", "version": 1, "quotas": {{"links_per_vpc": 100}},
            "classic": [{}],
            "vpcs": [{{"id": "vpc-a", "region": "r1", "cidr": "10.0.0.0/16"}},
                     {{"id": "vpc-b", "region": "r1", "cidr": "10.1.0.0/16",
                       "subnets": [{{"id": "sn", "cidr": "10.1.0.0/24"}}], "resources": [{}]}}],
            "links": [{}, {}]}}"#,
        join((1..=95).map(cvm).collect()),
        join((0..45).map(res).collect()),
        join((1..=50).map(|i| link(i, "vpc-a")).collect()),
        join((51..=95).map(|i| link(i, "vpc-b")).collect()),
    );
    let mut s = Session::new(import(&text).expect("the plan loads"));
    s.update(Action::Matrix { vpc: "vpc-b".into(), protocol: "TCP".into(), port: "22".into() });
    let m = s.view().matrix.expect("matrix");
    assert_eq!((m.rows_from, m.rows_total, m.rows_linked_here), (0, 95, 45));
    assert_eq!((m.columns_from, m.columns_total, m.columns.len()), (0, 45, MATRIX_LIMIT));
    assert_eq!(m.rows.len(), MATRIX_LIMIT);
    assert_eq!(m.rows[0].from, "ins-51", "vpc-b's CVMs first");
    assert!(m.rows.iter().all(|r| r.cells.iter().all(|c| c.reachable)), "vpc-b's CVMs reach its resources");
    // Every row once over the pages: vpc-b's 45, then vpc-a's 50, which are not linked to vpc-b.
    let mut rows = Vec::new();
    for from in [0, 40, 80] {
        s.update(Action::MatrixPage { rows: from, columns: 0 });
        let m = s.view().matrix.expect("matrix");
        assert_eq!(m.rows_from, from);
        rows.extend(m.rows.iter().map(|r| (r.from.clone(), r.cells[0].reason.clone())));
    }
    let want: Vec<String> = (51..=95).chain(1..=50).map(|i| format!("ins-{i}")).collect();
    assert_eq!(rows.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>(), want);
    assert!(rows[45..].iter().all(|(_, r)| r.as_deref() == Some("NOT_LINKED")), "{:?}", &rows[45..]);
    // The last columns; a page past the end shows the last one.
    s.update(Action::MatrixPage { rows: 0, columns: 40 });
    let m = s.view().matrix.expect("matrix");
    assert_eq!((m.columns_from, m.columns.first().map(String::as_str), m.columns.len()), (40, Some("res-40"), 5));
    s.update(Action::MatrixPage { rows: 500, columns: 0 });
    assert_eq!(s.view().matrix.expect("matrix").rows_from, 80);
    // An edit, or its undo, re-asks the matrix at the page it showed, rows and columns.
    s.update(Action::MatrixPage { rows: 40, columns: 40 });
    for step in [Action::Unlink { vpc: "vpc-a".into(), instances: ids(&["ins-1"]) }, Action::Undo] {
        s.update(step);
        let m = s.view().matrix.expect("matrix");
        assert_eq!((m.rows_from, m.columns_from), (40, 40));
        assert_eq!(m.columns.first().map(String::as_str), Some("res-40"));
    }
    // A link Tencent Cloud never made (vpc-data lies outside 10.0-47) puts no CVM among those linked to the VPC.
    let mut p = example();
    p.links.push(Link { instance: "ins-web04".into(), vpc: "vpc-data".into(), ip: None, invalidated: false });
    let mut s = Session::new(p);
    s.update(Action::Matrix { vpc: "vpc-data".into(), protocol: "TCP".into(), port: "22".into() });
    assert_eq!(s.view().matrix.expect("matrix").rows_linked_here, 0);
}

// ---- Checks panel ----

#[test]
fn findings_carry_rule_severity_words_and_expectations_carry_their_verdict() {
    let s = session();
    let vm = s.view();
    let report = s.report();
    assert_eq!(vm.findings.len(), report.findings.len());
    for (v, f) in vm.findings.iter().zip(report.findings.iter()) {
        assert_eq!(v.rule, f.rule);
        assert_eq!(v.api_error.as_deref(), f.api_error);
        assert_eq!(v.word, severity_word(f.severity));
        assert!(!v.icon.is_empty());
    }
    let c = vm.counts;
    assert_eq!(c.errors + c.warnings + c.infos, vm.findings.len());
    assert_eq!(vm.expectations.len(), s.plan().expectations.len());
    for (e, r) in vm.expectations.iter().zip(report.expectations.iter()) {
        assert_eq!(e.holds, r.holds);
    }
    // The example's out-of-range VPC is named by a finding (CL021: a VPC that cannot accept links).
    assert!(vm.findings.iter().any(|f| f.rule == "CL021" && f.objects.contains(&"vpc-data".to_string())));
}

#[test]
fn highlighting_a_finding_marks_its_objects_in_the_diagram() {
    let mut s = session();
    s.update(Action::Highlight(ids(&["ins-web01", "vpc-prod"])));
    let vm = s.view();
    assert!(vm.diagram.nodes.iter().any(|n| n.id == "ins-web01" && n.highlighted));
    assert!(vm.diagram.regions.iter().any(|r| r.id == "vpc-prod" && r.highlighted));
    assert!(vm.diagram.nodes.iter().filter(|n| n.highlighted).all(|n| n.id == "ins-web01"));
    assert!(link_edge(&vm, "ins-web01", "vpc-prod").unwrap().highlighted);
}

// ---- Diagram ----

#[test]
fn layout_is_deterministic_and_places_everything() {
    let s = session();
    let a = s.view().diagram;
    let b = session().view().diagram;
    assert_eq!(a, b);
    let p = s.plan();
    for c in &p.classic {
        let n = a.nodes.iter().find(|n| n.id == c.id).expect("every classic instance is drawn");
        assert!(matches!(n.kind, NodeKind::Classic(_)));
        assert!(n.x >= 0 && n.y >= 0 && n.x + n.w <= a.width && n.y + n.h <= a.height);
    }
    for v in &p.vpcs {
        let r = a.regions.iter().find(|r| r.id == v.id).expect("every VPC is drawn");
        for res in &v.resources {
            let n = a.nodes.iter().find(|n| n.id == res.id).expect("every resource is drawn");
            assert!(
                n.x >= r.x && n.x + n.w <= r.x + r.w && n.y >= r.y && n.y + n.h <= r.y + r.h,
                "{} inside {}",
                n.id,
                r.id
            );
        }
    }
    // VPC regions do not overlap.
    let vpcs: Vec<_> = a.regions.iter().filter(|r| r.kind == RegionKind::Vpc).collect();
    for w in vpcs.windows(2) {
        assert!(w[0].y + w[0].h <= w[1].y);
    }
    assert_eq!(a.edges.iter().filter(|e| e.kind == EdgeKind::Link).count(), p.links.len());
    assert_eq!(a.edges.iter().filter(|e| e.kind == EdgeKind::Terminal).count(), p.terminal_connections.len());
    // The edges into a VPC end apart, in the order of their sources, on the VPC's edge within its header.
    for r in &vpcs {
        let mut ends: Vec<(i32, i32, i32)> =
            a.edges.iter().filter(|e| e.to == r.id).map(|e| (e.y1, e.y2, e.x2)).collect();
        ends.sort();
        assert!(ends.iter().all(|&(_, y2, x2)| x2 == r.x && y2 > r.y && y2 < r.y + 52), "{}: {ends:?}", r.id);
        assert!(ends.windows(2).all(|w| w[0].1 < w[1].1), "{}: {ends:?}", r.id);
        if ends.len() > 1 {
            let (first, last) = (ends[0].1, ends[ends.len() - 1].1);
            assert!((first + last - 2 * (r.y + 26)).abs() <= 1, "centred on the header: {ends:?}");
        }
    }
    assert!(vpcs.iter().any(|r| a.edges.iter().filter(|e| e.to == r.id).count() > 2), "a VPC with several edges");
}

/// At Tencent's size (a page of 40 CVMs drawn, most linked to one VPC) the edges into a VPC still end apart, down its
/// left side: spread over its header alone, 40 of them had ended at one point.
#[test]
fn edges_into_a_busy_vpc_end_apart() {
    let vm = Session::new(crate::domain::synth::plan(1)).view();
    let d = vm.diagram;
    let mut busiest = 0;
    for r in d.regions.iter().filter(|r| r.kind == RegionKind::Vpc) {
        let mut ends: Vec<(i32, i32)> = d.edges.iter().filter(|e| e.to == r.id).map(|e| (e.y1, e.y2)).collect();
        ends.sort();
        busiest = busiest.max(ends.len());
        assert!(ends.windows(2).all(|w| w[0].1 < w[1].1), "{}: {ends:?}", r.id);
        assert!(ends.iter().all(|&(_, y)| y > r.y && y < r.y + r.h), "{}: {ends:?}", r.id);
    }
    assert!(busiest >= 30, "a busy VPC: {busiest} edges");
}

#[test]
fn collapsing_a_vpc_hides_its_contents() {
    let mut s = session();
    s.update(Action::ToggleCollapsed("vpc-prod".into()));
    let vm = s.view();
    assert!(vm.diagram.regions.iter().any(|r| r.id == "vpc-prod" && r.collapsed));
    assert!(!vm.diagram.nodes.iter().any(|n| n.id == "ins-api01"));
    // Collapsed, the VPC is marked for what it holds: a finding naming ins-api01 marks its header.
    let marked = |s: &Session| s.view().diagram.regions.iter().any(|r| r.id == "vpc-prod" && r.highlighted);
    assert!(!marked(&s));
    s.update(Action::Highlight(ids(&["ins-app01", "ins-api01"])));
    assert!(marked(&s));
    s.update(Action::ToggleCollapsed("vpc-prod".into()));
    assert!(s.view().diagram.nodes.iter().any(|n| n.id == "ins-api01" && n.highlighted));
    assert!(!marked(&s), "expanded, the tile is marked, not the whole VPC");
}

/// The example with `n` more classic CVMs whose IPs changed since they were linked (a finding each, CL010), 50 a
/// VPC in new VPCs (within the quota), and `n` more copies of its first expectation.
fn with_many_findings_and_expectations(n: u32) -> Plan {
    let mut p = example();
    let base = p.classic[0].clone();
    for k in 0..n.div_ceil(50) {
        let cidr = format!("10.{}.0.0/16", 2 + k).parse().unwrap();
        let (id, region) = (format!("vpc-moved{k}").into(), p.vpcs[1].region.clone());
        let name = String::new();
        let (assistant_cidrs, subnets, resources, gateways) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        p.vpcs.push(Vpc { id, name, region, cidr, assistant_cidrs, subnets, resources, gateways });
    }
    for i in 0..n {
        let mut c = base.clone();
        c.id = format!("ins-moved{i}").into();
        c.ip = std::net::Ipv4Addr::from(u32::from(std::net::Ipv4Addr::new(10, 70, 0, 1)) + i);
        let was = std::net::Ipv4Addr::from(u32::from(std::net::Ipv4Addr::new(10, 71, 0, 1)) + i);
        let vpc = format!("vpc-moved{}", i / 50).into();
        p.links.push(Link { instance: c.id.clone(), vpc, ip: Some(was), invalidated: false });
        p.classic.push(c);
        p.expectations.push(p.expectations[0].clone());
    }
    p
}

/// The checks panel lists a page of findings at a time (2,095 findings drew 52,000 elements at once): the first
/// [`CHECKS_PAGE`], errors first as the check sorts them, with the counts whole; Show more lists a page more. The
/// place is kept while the plan is edited (a page more than is shown, when the list shrank below what was asked),
/// and another plan opens at its first page.
#[test]
fn findings_are_listed_a_page_at_a_time() {
    let mut s = Session::new(with_many_findings_and_expectations(250));
    let total = s.report().findings.len();
    assert!(total > 2 * CHECKS_PAGE + 10, "{total}");
    let vm = s.view();
    assert_eq!(vm.findings_page, Page { shown: CHECKS_PAGE, total, more: CHECKS_PAGE });
    assert_eq!(vm.findings.len(), CHECKS_PAGE);
    let first: Vec<(&str, &str)> = vm.findings.iter().map(|f| (f.rule.as_str(), f.message.as_str())).collect();
    let report = s.report();
    let expected: Vec<(&str, &str)> =
        report.findings.iter().take(CHECKS_PAGE).map(|f| (f.rule, f.message.as_str())).collect();
    assert_eq!(first, expected);
    assert_eq!(vm.counts.errors + vm.counts.warnings + vm.counts.infos, total, "the counts are of every finding");
    assert_eq!(vm.findings_page.said("findings"), Some(format!("Showing 100 of {} findings", thousands(total))));
    // A shown finding is highlighted as before.
    let objects = vm.findings[CHECKS_PAGE - 1].objects.clone();
    s.update(Action::Highlight(objects));
    assert!(s.view().findings[CHECKS_PAGE - 1].highlighted);

    s.update(Action::ShowMoreFindings);
    let vm = s.view();
    assert_eq!(vm.findings.len(), 2 * CHECKS_PAGE);
    assert_eq!(vm.findings_page.more, (total - 2 * CHECKS_PAGE).min(CHECKS_PAGE));
    s.update(Action::ShowMoreFindings);
    s.update(Action::ShowMoreFindings);
    let vm = s.view();
    assert_eq!(vm.findings_page, Page { shown: total, total, more: 0 });
    assert_eq!(vm.findings_page.said("findings"), None, "all shown: nothing to say, no Show more");

    // An edit keeps the place; one that shrinks the list below it, then Show more, adds a page to what is shown.
    for k in 0..4 {
        let moved: Vec<String> = (50 * k..50 * (k + 1)).map(|i| format!("ins-moved{i}")).collect();
        s.update(Action::Unlink { vpc: format!("vpc-moved{k}"), instances: moved });
    }
    let fewer = s.report().findings.len();
    assert!(fewer < CHECKS_PAGE, "{fewer}");
    assert_eq!(s.view().findings.len(), fewer);
    s.update(Action::ShowMoreFindings);
    for _ in 0..4 {
        s.update(Action::Undo);
    }
    assert_eq!(s.view().findings_page.shown, fewer + CHECKS_PAGE, "not the 300 asked before the list shrank");
    s.update(Action::Rename("renamed".into()));
    assert_eq!(s.view().findings.len(), fewer + CHECKS_PAGE);

    // Another plan opens at the first page.
    s.update(Action::ImportJson(export(&with_many_findings_and_expectations(250))));
    assert_eq!(s.view().findings.len(), CHECKS_PAGE);
    s.update(Action::ShowMoreFindings);
    s.update(Action::Open(with_many_findings_and_expectations(250)));
    assert_eq!(s.view().findings.len(), CHECKS_PAGE);
    s.update(Action::ShowMoreFindings);
    s.update(Action::OpenShared(with_many_findings_and_expectations(250)));
    assert_eq!(s.view().findings.len(), CHECKS_PAGE);
    // So do a Tencent import and a new plan: seen once Undo brings the long list back (it keeps the page it finds).
    let bundle = include_str!("../../tests/fixtures/tencent/bundle-guangzhou.json");
    let opens = [Action::Tools(ToolAction::ImportTencent { text: bundle.into(), region: "".into() }), Action::NewPlan];
    for (i, open) in opens.into_iter().enumerate() {
        s.update(Action::ShowMoreFindings);
        assert_eq!(s.view().findings.len(), 2 * CHECKS_PAGE, "{i}");
        assert_eq!(s.update(open), Effect::PlanChanged, "{i}");
        s.update(Action::Undo);
        assert_eq!(s.view().findings.len(), CHECKS_PAGE, "{i}: the first page");
    }
}

/// Expectations are listed a page at a time too, in their order, with their number kept.
#[test]
fn expectations_are_listed_a_page_at_a_time() {
    let mut s = Session::new(with_many_findings_and_expectations(250));
    let total = s.plan().expectations.len();
    let vm = s.view();
    assert_eq!(vm.expectations_page, Page { shown: CHECKS_PAGE, total, more: CHECKS_PAGE });
    assert_eq!(vm.expectations.iter().map(|e| e.index).collect::<Vec<_>>(), (0..CHECKS_PAGE).collect::<Vec<_>>());
    assert_eq!(vm.expectations_page.said("expectations"), Some(format!("Showing 100 of {total} expectations")));
    s.update(Action::ShowMoreExpectations);
    s.update(Action::ShowMoreExpectations);
    let vm = s.view();
    assert_eq!(vm.expectations_page, Page { shown: total, total, more: 0 });
    assert_eq!(vm.expectations.last().map(|e| e.index), Some(total - 1));
    // Deleting one keeps the place; the findings' page is not the expectations'.
    s.update(Action::DeleteExpectation(0));
    assert_eq!(s.view().expectations.len(), total - 1);
    assert_eq!(s.view().findings.len(), CHECKS_PAGE);
    s.update(Action::ImportJson(export(&with_many_findings_and_expectations(250))));
    assert_eq!(s.view().expectations.len(), CHECKS_PAGE);
}

#[test]
fn two_thousand_cvms_draw_as_aggregates_and_lists_stay_paged() {
    let mut p = example();
    let base = p.classic[0].clone();
    for i in 0..2000u32 {
        let mut c = base.clone();
        c.id = format!("ins-bulk{i}").into();
        c.name = String::new();
        c.ip = std::net::Ipv4Addr::from(u32::from(std::net::Ipv4Addr::new(10, 70, 0, 1)) + i);
        p.classic.push(c);
        if i < 90 {
            p.links.push(Link {
                instance: format!("ins-bulk{i}").into(),
                vpc: "vpc-dev".into(),
                ip: None,
                invalidated: false,
            });
        }
    }
    let hidden_dev_links = p
        .links
        .iter()
        .filter(|l| l.vpc == "vpc-dev" && p.classic.iter().position(|c| c.id == l.instance) >= Some(DIAGRAM_PAGE))
        .count();
    let mut s = Session::new(p);
    let vm = s.view();
    let classic_tiles = vm.diagram.nodes.iter().filter(|n| matches!(n.kind, NodeKind::Classic(_))).count();
    assert_eq!(classic_tiles, DIAGRAM_PAGE);
    let more = vm.diagram.nodes.iter().find(|n| n.kind == NodeKind::More).expect("an aggregate tile");
    assert_eq!(more.hidden, 2015 - DIAGRAM_PAGE);
    let agg = vm.diagram.edges.iter().find(|e| e.kind == EdgeKind::Aggregate && e.to == "vpc-dev").expect("aggregate");
    assert_eq!(agg.label, format!("{hidden_dev_links} links"));
    assert!(hidden_dev_links > 0);
    assert!(vm.diagram.aggregated);
    // Selecting a CVM the diagram does not draw (from a list or a search) draws it, selected, with its own link.
    let far = "ins-bulk80";
    assert!(!vm.diagram.nodes.iter().any(|n| n.id == far));
    s.update(Action::Select(Some(far.into())));
    let vm = s.view();
    assert!(vm.diagram.nodes.iter().any(|n| n.id == far && n.selected));
    let more = vm.diagram.nodes.iter().find(|n| n.kind == NodeKind::More).expect("an aggregate tile");
    assert_eq!(more.hidden, 2015 - DIAGRAM_PAGE - 1);
    assert!(link_edge(&vm, far, "vpc-dev").is_some());
    let agg = vm.diagram.edges.iter().find(|e| e.kind == EdgeKind::Aggregate && e.to == "vpc-dev").expect("aggregate");
    assert_eq!(agg.label, format!("{} links", hidden_dev_links - 1));
    s.update(Action::Select(None));
    s.update(Action::ShowMoreDiagram);
    let tiles = s.view().diagram.nodes.iter().filter(|n| matches!(n.kind, NodeKind::Classic(_))).count();
    assert_eq!(tiles, 2 * DIAGRAM_PAGE);
    // Bulk lists are paged too, and searching by IP narrows them.
    s.update(Action::BulkVpc("vpc-dev".into()));
    let b = s.view().bulk.expect("bulk");
    assert_eq!(b.linked_total, 90);
    assert_eq!(b.linked.len(), LIST_PAGE);
    s.update(Action::Search("10.70.0.1".into()));
    let b = s.view().bulk.expect("bulk");
    assert!(b.linked.iter().chain(b.candidates.iter()).all(|r| r.ip.contains("10.70.0.1")));
    assert!(b.linked_total + b.candidates_total < 200);
}

#[test]
fn bulk_view_splits_linked_and_other_cvms_and_tracks_ticks() {
    let mut s = session();
    s.update(Action::BulkVpc("vpc-prod".into()));
    s.update(Action::ToggleCheck("ins-web04".into()));
    let b = s.view().bulk.expect("bulk");
    assert_eq!(b.vpc, "vpc-prod");
    assert!(b.linked.iter().all(|r| r.linked_to.as_deref() == Some("vpc-prod")));
    assert!(b.candidates.iter().all(|r| r.linked_to.as_deref() != Some("vpc-prod")));
    assert!(b.candidates.iter().any(|r| r.id == "ins-web04" && r.checked));
    // Only CVMs are listed: the MySQL, Memcached and CLB cannot be linked.
    assert!(!b.candidates.iter().any(|r| r.id == "cdb-orders"));
    // The link made with an old IP shows as invalid.
    assert!(b.linked.iter().any(|r| r.id == "ins-app01" && !r.link_valid));
    s.update(Action::Search("10.66.12.".into()));
    let b = s.view().bulk.expect("bulk");
    assert!(b.linked.iter().chain(&b.candidates).all(|r| r.ip.starts_with("10.66.12.")));
    assert_eq!(b.linked_total + b.candidates_total, 4);
    // A returned CVM is gone: not offered for linking.
    s.update(Action::Search(String::new()));
    s.update(Action::ApplyEvent { instance: "ins-web04".into(), event: Event::Return });
    let b = s.view().bulk.expect("bulk");
    assert!(!b.candidates.iter().any(|r| r.id == "ins-web04"), "returned");
    assert!(b.candidates.iter().any(|r| r.id == "ins-batch01"), "the others stay");
    // Nor listed to be unlinked, when the plan still records its link (CL012): Tencent Cloud removed it, and an
    // unlink would be refused.
    let mut p = example();
    p.classic.iter_mut().filter(|c| c.id == "ins-web01").for_each(|c| c.state = State::Returned);
    let mut s = Session::new(p);
    s.update(Action::BulkVpc("vpc-prod".into()));
    let b = s.view().bulk.expect("bulk");
    assert!(!b.linked.iter().chain(&b.candidates).any(|r| r.id == "ins-web01"));
}

/// Ticks stay from one search to the next: "Link selected" acts on every ticked CVM, and says how many the search
/// leaves out.
#[test]
fn ticks_are_kept_across_searches_and_linked_together() {
    let mut s = session();
    s.update(Action::BulkVpc("vpc-prod".into()));
    s.update(Action::Search("ins-web04".into()));
    s.update(Action::ToggleCheck("ins-web04".into()));
    s.update(Action::Search("ins-batch01".into()));
    s.update(Action::ToggleCheck("ins-batch01".into()));
    // A tick in the other list, for a later Unlink.
    s.update(Action::ToggleCheck("ins-web01".into()));
    let b = s.view().bulk.expect("bulk");
    assert!(b.candidates.iter().all(|r| r.id != "ins-web04"), "the search hides ins-web04");
    let mut ticked = b.checked_candidates.clone();
    ticked.sort();
    assert_eq!(ticked, ids(&["ins-batch01", "ins-web04"]));
    assert_eq!((b.checked_candidates_hidden, b.checked_linked.len()), (1, 1));
    s.update(Action::Link { vpc: b.vpc.clone(), instances: b.checked_candidates.clone() });
    let linked = |s: &Session, i: &str| s.plan().links.iter().any(|l| l.instance == i && l.vpc == "vpc-prod");
    assert!(linked(&s, "ins-web04") && linked(&s, "ins-batch01"));
    let b = s.view().bulk.expect("bulk");
    assert_eq!((b.checked_candidates.len(), b.checked_candidates_hidden), (0, 0), "done: their ticks are cleared");
    assert_eq!(b.checked_linked, ["ins-web01"], "the tick not acted on stays");
}

/// The Links tab lists every CVM listing a link to the VPC, and says how many its quota counts when Tencent Cloud
/// would refuse some of those links (the gauge's number).
#[test]
fn the_links_tab_says_when_the_quota_counts_fewer_than_it_lists() {
    let mut s = session();
    s.update(Action::BulkVpc("vpc-prod".into()));
    let b = s.view().bulk.expect("bulk");
    assert_eq!((b.listed_here, b.counted_here), (b.linked_total, gauge(&s.view(), "vpc-prod")));
    assert_eq!(b.listed_here, b.counted_here, "the example's links to vpc-prod all count");
    // ins-web01 also listed as linked to vpc-prod again after a link to vpc-dev: a second link, refused.
    let mut p = example();
    let held = p.links.iter().find(|l| l.vpc == "vpc-prod").expect("a link to vpc-prod").instance.clone();
    p.links.retain(|l| l.instance != held);
    p.links.push(Link { instance: held.clone(), vpc: "vpc-dev".into(), ip: None, invalidated: false });
    p.links.push(Link { instance: held.clone(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
    let mut s = Session::new(p);
    s.update(Action::BulkVpc("vpc-prod".into()));
    let b = s.view().bulk.expect("bulk");
    assert_eq!(b.listed_here, b.counted_here + 1, "{held}'s second link is listed, not counted");
    assert_eq!(b.counted_here, gauge(&s.view(), "vpc-prod"));
    assert!(b.linked.iter().any(|r| r.id == held.as_str() && !r.link_valid));
    // A search narrows the list, not the counts.
    s.update(Action::Search("no such thing".into()));
    let b = s.view().bulk.expect("bulk");
    assert_eq!((b.linked_total, b.listed_here, b.counted_here), (0, b.counted_here + 1, gauge(&s.view(), "vpc-prod")));
}

// ---- Drawing ----

fn open(s: &mut Session, kind: ObjectKind, id: Option<&str>) {
    s.update(Action::OpenForm { kind, id: id.map(str::to_string), vpc: None });
}

fn set(s: &mut Session, key: &str, value: &str) {
    s.update(Action::SetField { key: key.into(), value: value.into() });
}

/// Changing an object's ID in its form renames it: every reference follows, and the plan stays valid.
#[test]
fn editing_an_id_renames_the_object_and_its_references() {
    let mut s = session();
    let refs = |p: &Plan, id: &str| -> usize {
        let text = p.to_json();
        text.matches(&format!("\"{id}\"")).count()
    };
    let before = refs(s.plan(), "vpc-prod");
    assert!(before > 3, "the example refers to vpc-prod from links, peerings and more");
    open(&mut s, ObjectKind::Vpc, Some("vpc-prod"));
    set(&mut s, "id", "vpc-main");
    assert_eq!(s.view().form.expect("form").errors, Vec::new(), "no dangling reference while typing");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(refs(s.plan(), "vpc-prod"), 0);
    assert_eq!(refs(s.plan(), "vpc-main"), before);
    assert!(s.plan().links.iter().any(|l| l.vpc == "vpc-main"));
    assert!(s.view().notice.expect("notice").text.contains("Renamed VPC vpc-prod to vpc-main"));
    // The same for a subnet (its resources follow) and a security group (the instances' lists follow).
    let sub = s.plan().vpc("vpc-main").unwrap().subnets[0].id.to_string();
    let n = refs(s.plan(), &sub);
    open(&mut s, ObjectKind::Subnet, Some(&sub));
    set(&mut s, "id", "subnet-renamed");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!((refs(s.plan(), &sub), refs(s.plan(), "subnet-renamed")), (0, n));
    open(&mut s, ObjectKind::SecurityGroup, Some("sg-web"));
    let n = refs(s.plan(), "sg-web");
    set(&mut s, "id", "sg-front");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!((refs(s.plan(), "sg-web"), refs(s.plan(), "sg-front")), (0, n));
    // One undo brings the old names back everywhere.
    s.update(Action::Undo);
    assert_eq!(refs(s.plan(), "sg-web"), n);
    // An ID another object holds is refused, naming the duplicate; nothing changes.
    let plan = s.plan().clone();
    open(&mut s, ObjectKind::Vpc, Some("vpc-main"));
    set(&mut s, "id", "vpc-dev");
    let errors = s.view().form.expect("form").errors;
    assert!(errors.iter().any(|e| e.message.contains("duplicate")), "{errors:?}");
    assert_eq!(s.update(Action::SubmitForm), Effect::Refused);
    assert_eq!(*s.plan(), plan);
}

/// Renaming a classic instance in its form moves what refers to it: its links, its CLB's backends, its terminal
/// connection and both ends of the expectations about it.
#[test]
fn renaming_a_classic_instance_moves_its_links_and_expectations() {
    let table: [(&str, &str); 2] = [("ins-web01", "ins-front01"), ("cdb-orders", "cdb-sales")];
    for (old, new) in table {
        let mut s = session();
        let before = s.plan().clone();
        let ends = |p: &Plan, id: &str| -> Vec<(usize, bool)> {
            let is = |e: &Endpoint| matches!(e, Endpoint::Id(x) if x.as_str() == id);
            let at = p.expectations.iter().enumerate();
            at.filter(|(_, e)| is(&e.from) || is(&e.to)).map(|(i, e)| (i, is(&e.from))).collect()
        };
        let links = |p: &Plan, id: &str| -> Vec<String> {
            p.links.iter().filter(|l| l.instance == id).map(|l| l.vpc.to_string()).collect()
        };
        let count = |p: &Plan, id: &str| p.to_json().matches(&format!("\"{id}\"")).count();
        assert!(!ends(&before, old).is_empty(), "{old} is in an expectation");
        open(&mut s, ObjectKind::Classic, Some(old));
        set(&mut s, "id", new);
        assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged, "{old}");
        let after = s.plan();
        assert_eq!(links(after, new), links(&before, old), "{old}: its links follow");
        assert_eq!(ends(after, new), ends(&before, old), "{old}: its expectations follow, at the same end");
        assert_eq!((count(after, old), count(after, new)), (0, count(&before, old)), "{old}");
    }
}

/// A bad entry in a CIDR list field is refused by its path and index, not dropped from the list.
#[test]
fn a_bad_entry_in_a_cidr_list_is_refused_by_its_path() {
    let table: [(ObjectKind, &str, &str, &str, &str); 2] = [
        (ObjectKind::Vpc, "vpc-prod", "assistant_cidrs", "10.100.0.0/16, 10.300.0.0/16", "vpcs[0].assistant_cidrs[1]"),
        (
            ObjectKind::Gateway,
            "vpngw-office",
            "remote_cidrs",
            "bad, 192.168.0.0/16",
            "vpcs[0].gateways[0].remote_cidrs[0]",
        ),
    ];
    for (kind, id, key, value, path) in table {
        let mut s = session();
        let plan = s.plan().clone();
        open(&mut s, kind, Some(id));
        set(&mut s, key, value);
        let f = s.view().form.expect("form");
        assert_eq!(f.errors.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), [path], "{:?}", f.errors);
        assert!(f.fields.iter().find(|x| x.key == key).is_some_and(|x| !x.errors.is_empty()), "{key}");
        assert_eq!(s.update(Action::SubmitForm), Effect::Refused, "{id}");
        assert_eq!(*s.plan(), plan, "{id}: nothing changes");
    }
}

#[test]
fn adding_a_classic_cvm_validates_as_you_type() {
    let mut s = session();
    open(&mut s, ObjectKind::Classic, None);
    // A new form is incomplete, not wrong: nothing said until the user types or asks to save, and Save waits.
    let f = s.view().form.expect("form");
    assert!(!f.valid && f.errors.is_empty() && f.fields.iter().all(|x| x.errors.is_empty()), "{:?}", f.errors);
    // Asking to save shows them.
    assert_eq!(s.update(Action::SubmitForm), Effect::Refused);
    assert!(!s.view().form.expect("form").errors.is_empty());
    open(&mut s, ObjectKind::Classic, None);
    set(&mut s, "id", "ins-new");
    set(&mut s, "ip", "10.66.1.300");
    let f = s.view().form.expect("form");
    assert!(f.errors.iter().any(|e| e.path == format!("classic[{}].ip", s.plan().classic.len())), "{:?}", f.errors);
    assert!(f.fields.iter().find(|x| x.key == "ip").is_some_and(|x| !x.errors.is_empty()));
    let plan = s.plan().clone();
    assert_eq!(s.update(Action::SubmitForm), Effect::Refused);
    assert_eq!(*s.plan(), plan, "never apply an invalid edit");
    set(&mut s, "ip", "10.66.1.30");
    assert!(s.view().form.expect("form").errors.is_empty());
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    let c = s.plan().classic_instance("ins-new").expect("added");
    assert_eq!(c.ip.to_string(), "10.66.1.30");
    assert!(s.view().form.is_none());
    assert_eq!(s.view().selected.map(|x| x.id).as_deref(), Some("ins-new"));
    s.update(Action::Undo);
    assert!(s.plan().classic_instance("ins-new").is_none());
    // An unchanged edit form whose object an undo takes away closes (saving would re-create it).
    s.update(Action::Redo);
    open(&mut s, ObjectKind::Classic, Some("ins-new"));
    s.update(Action::Undo);
    assert!(s.view().form.is_none());
    assert!(s.plan().classic_instance("ins-new").is_none(), "not re-created");
    // A form adding a new object holds none of the old plan: it stays open, with what was typed.
    s.update(Action::Redo);
    open(&mut s, ObjectKind::Classic, None);
    set(&mut s, "id", "ins-typed");
    s.update(Action::Undo);
    assert_eq!(s.view().form.expect("still open").fields.iter().find(|f| f.key == "id").unwrap().value, "ins-typed");
}

#[test]
fn duplicate_ids_and_dangling_references_are_refused_with_paths() {
    let mut s = session();
    open(&mut s, ObjectKind::Classic, None);
    set(&mut s, "id", "ins-web01");
    set(&mut s, "ip", "10.66.1.31");
    assert!(!s.view().form.expect("form").errors.is_empty());
    set(&mut s, "id", "ins-fine");
    set(&mut s, "security_groups", "sg-missing");
    let errs = s.view().form.expect("form").errors;
    assert!(errs.iter().any(|e| e.path.contains("security_groups")), "{errs:?}");
}

/// An address another instance holds is said under the edited instance's own field, naming the other holder,
/// whichever of the two comes first in the plan.
#[test]
fn an_address_held_by_another_is_said_at_the_edited_field() {
    let mut s = session();
    let (first, second) = (s.plan().classic[0].clone(), s.plan().classic[1].clone());
    for (edited, other) in [(&first, &second), (&second, &first)] {
        open(&mut s, ObjectKind::Classic, Some(&edited.id));
        set(&mut s, "ip", &other.ip.to_string());
        let f = s.view().form.expect("form");
        let ip = f.fields.iter().find(|x| x.key == "ip").expect("an IP field");
        let said = format!("{} is also {}'s address", other.ip, other.id);
        assert!(ip.errors.iter().any(|e| e.contains(&said)), "{}: {:?}", edited.id, ip.errors);
        assert_eq!(ip.errors.len(), 1, "once, from the edited instance's side: {:?}", ip.errors);
        s.update(Action::DiscardForm);
    }
}

/// A new instance on an address another holds: its Private IP field says so once, naming the other holder, and
/// not the conflict seen from the other side (the new instance "also" holding its own address).
#[test]
fn a_new_instance_on_a_held_address_is_told_once_naming_the_other() {
    let mut s = session();
    open(&mut s, ObjectKind::Classic, None);
    set(&mut s, "id", "ins-new01");
    set(&mut s, "ip", "10.66.12.7");
    let f = s.view().form.expect("form");
    let ip = f.fields.iter().find(|x| x.key == "ip").expect("an IP field");
    let said = "10.66.12.7 is also ins-web01's address in ap-guangzhou's classic network: one address, one holder";
    assert_eq!(ip.errors, [said]);
    assert_eq!(f.lines, [format!("Private IP: {said}")]);
    assert_eq!(f.summary.as_deref(), Some("✖ 1 problem — not applied until fixed:"));
    assert_eq!(s.update(Action::SubmitForm), Effect::Refused);
}

/// A form's problems name the field by its label and other objects by their IDs: the plan's JSON locations
/// (`classic[15].ip`, `already used at classic[0].id`) mean nothing to a person filling in a form. The plan's own
/// messages keep them (the CLI and the import say where in the file).
#[test]
fn form_problems_name_fields_and_objects_not_json_locations() {
    let table: &[(ObjectKind, &str, (&str, &str), &str)] = &[
        (
            ObjectKind::Classic,
            "ins-web01",
            ("id", "cdb-orders"),
            "ID: duplicate ID \"cdb-orders\": already used by classic instance cdb-orders",
        ),
        (
            ObjectKind::Classic,
            "cdb-orders",
            ("id", "ins-web01"),
            "ID: duplicate ID \"ins-web01\": already used by classic instance ins-web01",
        ),
        (ObjectKind::Vpc, "vpc-prod", ("assistant_cidrs", "10.0.5.0/24"), "Assistant CIDRs: 10.0.5.0/24 overlaps Primary CIDR"),
        (
            ObjectKind::Vpc,
            "vpc-prod",
            ("cidr", "10.5.0.0/16"),
            "subnet-app: subnet subnet-app (10.0.1.0/24) lies outside VPC vpc-prod's CIDRs (10.5.0.0/16, 10.100.0.0/16)",
        ),
        (ObjectKind::Subnet, "subnet-app", ("cidr", "10.100.1.0/25"), "CIDR: 10.100.1.0/24 overlaps subnet subnet-extra"),
        (
            ObjectKind::Resource,
            "ins-api02",
            ("ip", "10.0.1.10"),
            "Private IP: 10.0.1.10 is also ins-api01's address in VPC vpc-prod: one address, one holder",
        ),
    ];
    for &(kind, id, typed, line) in table {
        let mut s = session();
        open(&mut s, kind, Some(id));
        set(&mut s, typed.0, typed.1);
        let f = s.view().form.expect("form");
        assert!(f.lines.iter().any(|l| l == line), "{id} {typed:?}: {:?}", f.lines);
        assert!(f.lines.iter().all(|l| !l.contains('[')), "{id} {typed:?}: {:?}", f.lines);
        assert!(f.errors.iter().all(|e| e.path.contains('[')), "the paths stay for the rule cells: {:?}", f.errors);
        let n = f.lines.len();
        let want = format!("✖ {n} problem{} — not applied until fixed:", if n == 1 { "" } else { "s" });
        assert_eq!(f.summary, Some(want), "{id} {typed:?}");
    }
    // A rule's cell is named by its rule's number from 0, as the rule table's "#" column and the CLI number rules.
    let mut s = session();
    open(&mut s, ObjectKind::SecurityGroup, Some("sg-web"));
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(1, "port".into(), "80-70".into()) });
    let f = s.view().form.expect("form");
    assert!(f.lines.iter().any(|l| l.starts_with("Ingress rule 1, port: ")), "{:?}", f.lines);
}

/// A classic instance's Private IP is required (plan-format.md: the IP Tencent assigned): the hint says so, and so
/// does the empty field, rather than that "" is not an address.
#[test]
fn a_classic_instances_private_ip_is_said_to_be_required() {
    let mut s = session();
    open(&mut s, ObjectKind::Classic, None);
    let ip = |s: &Session| s.view().form.expect("form").fields.into_iter().find(|x| x.key == "ip").expect("ip");
    assert!(ip(&s).hint.starts_with("required"), "{}", ip(&s).hint);
    assert_eq!(s.update(Action::SubmitForm), Effect::Refused);
    assert_eq!(ip(&s).errors, ["required: the private IP Tencent assigned the instance"]);
    // An empty ID is said to be required too.
    let id = s.view().form.expect("form").fields.into_iter().find(|x| x.key == "id").expect("id");
    assert_eq!(id.errors, ["required: an ID of letters, digits, '-' and '_'"]);
    // The form's list of problems follows its fields: ID (first in the form) before Private IP.
    let lines = s.view().form.expect("form").lines;
    let at =
        |label: &str| lines.iter().position(|l| l.starts_with(label)).unwrap_or_else(|| panic!("{label}: {lines:?}"));
    assert!(at("ID:") < at("Private IP:"), "{lines:?}");
}

/// An empty required field is not flagged while the user types another one: its error waits until the user changed
/// that field or pressed Save. A value that is wrong is said at once; Save is refused all along, and shows them all.
#[test]
fn an_empty_required_field_waits_until_reached_or_saved() {
    let field = |s: &Session, key: &str| {
        s.view().form.expect("form").fields.into_iter().find(|x| x.key == key).expect("field").errors
    };
    for (kind, id) in [(ObjectKind::Subnet, "subnet-new"), (ObjectKind::Vpc, "vpc-new")] {
        let mut s = session();
        open(&mut s, kind, None);
        set(&mut s, "id", id);
        let f = s.view().form.expect("form");
        assert!(field(&s, "cidr").is_empty() && f.summary.is_none() && f.lines.is_empty(), "{kind:?}: {f:?}");
        assert!(!f.valid, "{kind:?}: the CIDR is still missing");
        // Save is refused, and shows the held-back error.
        let plan = s.plan().clone();
        assert_eq!(s.update(Action::SubmitForm), Effect::Refused, "{kind:?}");
        assert_eq!(*s.plan(), plan);
        assert_eq!(field(&s, "cidr").len(), 1, "{kind:?}");
        assert!(field(&s, "cidr")[0].starts_with("required: "), "{kind:?}: {:?}", field(&s, "cidr"));
        assert!(s.view().form.expect("form").summary.is_some(), "{kind:?}");
        // A wrong value is said as it is typed; a field emptied again says it is required.
        open(&mut s, kind, None);
        s.update(Action::DiscardForm);
        open(&mut s, kind, None);
        set(&mut s, "id", id);
        set(&mut s, "cidr", "10.0");
        assert!(field(&s, "cidr").iter().any(|e| e.contains("not an IPv4 CIDR")), "{kind:?}: {:?}", field(&s, "cidr"));
        set(&mut s, "cidr", "");
        assert_eq!(field(&s, "cidr").len(), 1, "{kind:?}");
        assert!(field(&s, "cidr")[0].starts_with("required: "), "{kind:?}");
    }
}

#[test]
fn editing_a_vpc_keeps_its_contents_and_checks_subnets_still_fit() {
    let mut s = session();
    open(&mut s, ObjectKind::Vpc, Some("vpc-prod"));
    let f = s.view().form.expect("form");
    assert_eq!(f.fields.iter().find(|x| x.key == "cidr").map(|x| x.value.as_str()), Some("10.0.0.0/16"));
    set(&mut s, "name", "production");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    let v = s.plan().vpc("vpc-prod").expect("kept");
    assert_eq!(v.name, "production");
    assert_eq!(v.subnets.len(), example().vpc("vpc-prod").unwrap().subnets.len());
    // Shrinking the CIDR so that a subnet no longer fits is refused.
    open(&mut s, ObjectKind::Vpc, Some("vpc-prod"));
    set(&mut s, "cidr", "10.0.1.0/24");
    assert!(!s.view().form.expect("form").errors.is_empty());
    set(&mut s, "cidr", "10.0.0.0/33");
    assert!(s.view().form.expect("form").errors.iter().any(|e| e.path == "vpcs[0].cidr"));
}

#[test]
fn subnets_resources_and_gateways_go_into_their_vpc() {
    let mut s = session();
    s.update(Action::OpenForm { kind: ObjectKind::Subnet, id: None, vpc: Some("vpc-dev".into()) });
    set(&mut s, "id", "subnet-new");
    set(&mut s, "cidr", "10.1.9.0/24");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged, "{:?}", s.view().form);
    assert!(s.plan().vpc("vpc-dev").unwrap().subnet("subnet-new").is_some());
    s.update(Action::OpenForm { kind: ObjectKind::Resource, id: None, vpc: Some("vpc-dev".into()) });
    set(&mut s, "id", "cdb-new");
    set(&mut s, "kind", "mysql");
    set(&mut s, "subnet", "subnet-new");
    set(&mut s, "ip", "10.2.0.1");
    assert!(!s.view().form.expect("form").errors.is_empty(), "an IP outside its subnet is refused");
    set(&mut s, "ip", "10.1.9.5");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert!(s.plan().vpc("vpc-dev").unwrap().resources.iter().any(|r| r.id == "cdb-new"));
    // Moving a gateway to another VPC takes it out of the first.
    open(&mut s, ObjectKind::Gateway, Some("nat-prod"));
    set(&mut s, "vpc", "vpc-dev");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert!(s.plan().vpc("vpc-prod").unwrap().gateways.iter().all(|g| g.id != "nat-prod"));
    assert!(s.plan().vpc("vpc-dev").unwrap().gateways.iter().any(|g| g.id == "nat-prod"));
}

#[test]
fn security_group_rules_are_edited_in_order() {
    let mut s = session();
    let sg = s.plan().security_groups[0].id.clone();
    let n = s.plan().security_groups[0].ingress.len();
    open(&mut s, ObjectKind::SecurityGroup, Some(&sg));
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Add });
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "cidr".into(), "0.0.0.0/0".into()) });
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "port".into(), "80-70".into()) });
    let form = s.view().form.expect("form");
    assert!(form.errors.iter().any(|e| e.path == format!("security_groups[0].ingress[{n}].port")), "{:?}", form.errors);
    // The rule editor finds each cell's error by its path: this row's port only.
    assert!(form.rule_error(RuleList::Ingress, n, "port").is_some_and(|m| m.contains("backwards")));
    assert_eq!(form.rule_error(RuleList::Ingress, n, "cidr"), None);
    assert_eq!(form.rule_error(RuleList::Egress, n, "port"), None);
    assert_eq!(form.rule_error(RuleList::Ingress, 0, "port"), None);
    // Tencent Cloud takes no port for ICMP: the form says so at the port (a plan carrying one still loads).
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "protocol".into(), "ICMP".into()) });
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "port".into(), "22".into()) });
    let said = s.view().form.expect("form").rule_error(RuleList::Ingress, n, "port");
    assert_eq!(said.as_deref(), Some("ICMP has no ports: the port must be ALL"));
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "port".into(), "ALL".into()) });
    assert_eq!(s.view().form.expect("form").rule_error(RuleList::Ingress, n, "port"), None);
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "protocol".into(), "TCP".into()) });
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "port".into(), "443".into()) });
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "action".into(), "DROP".into()) });
    // Move the new rule to the top.
    for i in (1..=n).rev() {
        s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Up(i) });
    }
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    let g = s.plan().security_group(&sg).unwrap();
    assert_eq!(g.ingress.len(), n + 1);
    assert_eq!(g.ingress[0].port.to_string(), "443");
    assert_eq!(g.ingress[0].action.as_str(), "DROP");
    open(&mut s, ObjectKind::SecurityGroup, Some(&sg));
    s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Delete(0) });
    s.update(Action::SubmitForm);
    assert_eq!(s.plan().security_group(&sg).unwrap().ingress.len(), n);
}

/// An error at an item of a list field (`classic[3].security_groups[1]`) is shown at that field, and a peering's
/// error about its VPCs at both VPC fields.
#[test]
fn list_and_peering_errors_show_at_their_fields() {
    let mut s = session();
    let field = |s: &Session, key: &str| {
        s.view().form.expect("form").fields.iter().find(|f| f.key == key).expect("field").errors.clone()
    };
    open(&mut s, ObjectKind::Classic, Some("ins-web01"));
    set(&mut s, "security_groups", "sg-web, sg-nope");
    assert!(field(&s, "security_groups").iter().any(|m| m.contains("sg-nope")), "{:?}", field(&s, "security_groups"));
    assert!(field(&s, "ip").is_empty());
    s.update(Action::DiscardForm);
    open(&mut s, ObjectKind::Peering, None);
    set(&mut s, "id", "pcx-new");
    set(&mut s, "vpc_a", "vpc-prod");
    set(&mut s, "vpc_b", "vpc-prod");
    assert!(!field(&s, "vpc_a").is_empty() && !field(&s, "vpc_b").is_empty());
}

/// A new IP typed into a linked CVM's form invalidates its link as the what-if does: CL010 says so.
#[test]
fn an_ip_edited_in_the_form_invalidates_the_link() {
    let mut s = session();
    let l = s.plan().links.iter().position(|l| l.instance == "ins-web01").expect("linked");
    let mut plan = s.plan().clone();
    plan.links[l].ip = None;
    s.update(Action::Open(plan));
    assert!(!s.report().findings.iter().any(|f| f.rule == "CL010" && f.objects.contains(&"ins-web01".to_string())));
    open(&mut s, ObjectKind::Classic, Some("ins-web01"));
    set(&mut s, "ip", "10.66.12.99");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(s.plan().links[l].ip, Some([10, 66, 12, 7].into()), "the link records the IP it was made for");
    assert!(s.report().findings.iter().any(|f| f.rule == "CL010" && f.objects.contains(&"ins-web01".to_string())));
}

/// An IP edited in the form away and then back to the one the link was made for leaves the link invalidated, as
/// the what-if's IP change does (seed 001); edited to yet another IP, the link is invalid by its IP alone.
#[test]
fn an_ip_edited_in_the_form_and_back_leaves_the_link_invalid() {
    // (the IPs saved in turn, the link then flagged invalidated)
    let table: &[(&[&str], bool)] =
        &[(&["10.66.12.99"], false), (&["10.66.12.99", "10.66.12.98"], false), (&["10.66.12.99", "10.66.12.7"], true)];
    for &(ips, invalidated) in table {
        let mut s = session();
        for ip in ips {
            open(&mut s, ObjectKind::Classic, Some("ins-web01"));
            set(&mut s, "ip", ip);
            assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged, "{ips:?}");
        }
        let l = s.plan().links.iter().find(|l| l.instance == "ins-web01").expect("linked");
        assert_eq!((l.ip, l.invalidated), (Some([10, 66, 12, 7].into()), invalidated), "{ips:?}");
        let cl010 =
            s.report().findings.iter().any(|f| f.rule == "CL010" && f.objects.contains(&"ins-web01".to_string()));
        assert!(cl010, "{ips:?}");
    }
}

#[test]
fn expectations_are_added_edited_and_deleted() {
    let mut s = session();
    let n = s.plan().expectations.len();
    open(&mut s, ObjectKind::Expectation, None);
    set(&mut s, "from", "ins-web04");
    set(&mut s, "to", "cdb-prod");
    set(&mut s, "port", "3306");
    set(&mut s, "reachable", "false");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(s.plan().expectations.len(), n + 1);
    assert!(!s.plan().expectations[n].reachable);
    assert_eq!(s.view().expectations.len(), n + 1);
    open(&mut s, ObjectKind::Expectation, Some(&n.to_string()));
    set(&mut s, "port", "99999");
    assert!(!s.view().form.expect("form").errors.is_empty());
    set(&mut s, "port", "3307");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(s.view().notice.expect("notice").text, format!("Saved expectation {n}"), "not a rename: no ID");
    // A digit port only; ICMP keeps none.
    open(&mut s, ObjectKind::Expectation, Some(&n.to_string()));
    set(&mut s, "port", "+22");
    assert!(!s.view().form.expect("form").errors.is_empty(), "+22 is not a port");
    set(&mut s, "protocol", "ICMP");
    set(&mut s, "port", "22");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(s.plan().expectations[n].port, None, "ICMP has no port");
    open(&mut s, ObjectKind::Expectation, Some(&n.to_string()));
    s.update(Action::CloseForm);
    s.update(Action::DeleteExpectation(n));
    assert_eq!(s.plan().expectations.len(), n);
}

/// A subnet still holding resources is not deleted, and the refusal says so in words.
#[test]
fn a_subnet_holding_resources_is_not_deleted() {
    let mut s = session();
    let plan = s.plan().clone();
    assert_eq!(s.update(Action::Delete { id: "subnet-db".into() }), Effect::Refused);
    assert_eq!(*s.plan(), plan);
    let said = s.view().notice.expect("notice").text;
    assert!(said.contains("subnet-db still holds cdb-prod") && said.contains("delete them or move them"), "{said}");
}

/// Deleting a security group or an ACL still in use leaves instances or subnets unfiltered by it: a warning says so.
#[test]
fn deleting_a_filter_in_use_warns_what_it_unfilters() {
    let mut s = session();
    let bound = s.plan().classic.iter().filter(|c| c.security_groups.iter().any(|g| g == "sg-web")).count();
    assert!(bound > 1);
    s.update(Action::Delete { id: "sg-web".into() });
    let n = s.view().notice.expect("notice");
    assert_eq!(n.tone, Tone::Warning);
    assert!(n.text.contains(&format!("{bound} instances lose a security group (ins-web01, ins-web02")), "{}", n.text);
    s.update(Action::Delete { id: "sg-bastion".into() });
    let n = s.view().notice.expect("notice");
    assert!(n.text.contains("; ins-bastion loses a security group"), "one, named: {}", n.text);
    s.update(Action::Delete { id: "acl-app".into() });
    let n = s.view().notice.expect("notice");
    assert_eq!(n.tone, Tone::Warning);
    assert!(n.text.contains("1 subnet loses its network ACL and is now unfiltered"), "{}", n.text);
    // An object nothing filters through is deleted with a plain notice.
    s.update(Action::Delete { id: "ins-web04".into() });
    assert_eq!(s.view().notice.expect("notice").tone, Tone::Success);
    // What is deleted is not counted as going with itself: a gateway alone says so.
    s.update(Action::Delete { id: "nat-prod".into() });
    assert_eq!(s.view().notice.expect("notice").text, "Deleted nat-prod");
}

/// A security group named by rules as their peer: renaming it renames the rules' peer (its own rules' too), and
/// deleting it drops the rules naming it, as a delete drops every other reference, and says so.
#[test]
fn a_group_named_by_rules_is_renamed_in_them_and_deleted_with_them() {
    use crate::domain::model::Peer;
    let mut p = example();
    let named = |p: &Plan, id: &str| -> Vec<(String, usize)> {
        let groups = p.security_groups.iter();
        let rules = groups.flat_map(|g| g.ingress.iter().chain(&g.egress).map(move |r| (g.id.to_string(), r)));
        let mut at: Vec<(String, usize)> = Vec::new();
        for (g, _) in rules.filter(|(_, r)| r.peer == Peer::Group(id.into())) {
            match at.iter_mut().find(|(x, _)| *x == g) {
                Some((_, n)) => *n += 1,
                None => at.push((g, 1)),
            }
        }
        at
    };
    let mut rule = p.security_groups[0].ingress[0].clone();
    rule.peer = Peer::Group("sg-app".into());
    let db = p.security_groups.iter_mut().find(|g| g.id == "sg-db").unwrap();
    db.ingress.insert(0, rule.clone());
    db.egress.push(rule.clone());
    p.security_groups.iter_mut().find(|g| g.id == "sg-app").unwrap().egress.insert(0, rule);
    let mut s = Session::new(p);
    let want = |db: usize| vec![("sg-app".to_string(), 1), ("sg-db".to_string(), db)];
    assert_eq!(named(s.plan(), "sg-app"), want(2));
    open(&mut s, ObjectKind::SecurityGroup, Some("sg-app"));
    set(&mut s, "id", "sg-api");
    assert_eq!(s.view().form.expect("form").errors, Vec::new(), "no dangling rule while typing");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(named(s.plan(), "sg-app"), Vec::new());
    let renamed = named(s.plan(), "sg-api");
    assert_eq!(renamed, vec![("sg-api".to_string(), 1), ("sg-db".to_string(), 2)], "its own rule follows too");
    // Deleting it drops the rules of other groups naming it, and the notice counts them.
    let before = s.plan().security_group("sg-db").unwrap().clone();
    assert_eq!(s.update(Action::Delete { id: "sg-api".into() }), Effect::PlanChanged);
    let db = s.plan().security_group("sg-db").unwrap();
    assert_eq!((db.ingress.len(), db.egress.len()), (before.ingress.len() - 1, before.egress.len() - 1));
    assert_eq!(named(s.plan(), "sg-api"), Vec::new());
    assert!(crate::domain::load::validate(s.plan()).is_ok());
    let n = s.view().notice.expect("notice");
    assert!(n.text.contains("2 security group rules naming it"), "{}", n.text);
    assert_eq!(n.tone, Tone::Warning, "traffic those rules matched now falls to the next rules");
}

#[test]
fn deleting_removes_every_reference() {
    let mut s = session();
    assert_eq!(s.update(Action::Delete { id: "ins-web01".into() }), Effect::PlanChanged);
    let p = s.plan();
    assert!(p.classic_instance("ins-web01").is_none());
    assert!(p.first_listed_link("ins-web01").is_none());
    assert!(p.expectations.iter().all(|e| e.from.to_string() != "ins-web01" && e.to.to_string() != "ins-web01"));
    assert!(!s.view().diagram.nodes.iter().any(|n| n.id == "ins-web01"));
    // A VPC takes its subnets, resources, gateways, links, peerings and terminal connections with it.
    assert_eq!(s.update(Action::Delete { id: "vpc-prod".into() }), Effect::PlanChanged);
    let p = s.plan();
    assert!(p.vpc("vpc-prod").is_none());
    assert!(p.links.iter().all(|l| l.vpc != "vpc-prod"));
    assert!(p.peerings.is_empty());
    assert!(p.terminal_connections.iter().all(|t| t.vpc != "vpc-prod"));
    assert!(crate::domain::load::validate(p).is_ok());
    // The notice counts what went with it.
    let said = s.view().notice.expect("notice").text;
    assert!(
        said.starts_with("Deleted vpc-prod, and with it ") && said.contains(" links") && said.contains("1 peering"),
        "{said}"
    );
    // Its CLB lb-prod went with it, backends and all: they are not counted again.
    assert!(!said.contains("CLB backend"), "{said}");
    s.update(Action::Delete { id: "lb-classic".into() });
    let said = s.view().notice.expect("notice").text;
    assert!(!said.contains("CLB backend"), "a CLB's own backends: {said}");
    s.update(Action::Undo);
    assert_eq!(s.update(Action::Delete { id: "nothing-here".into() }), Effect::Refused);
    s.update(Action::Undo);
    s.update(Action::Undo);
    assert_eq!(*s.plan(), example());
}

#[test]
fn every_kind_has_a_form_that_opens_on_its_objects() {
    let s = session();
    let p = s.plan();
    let samples = [
        (ObjectKind::Classic, "ins-web01".to_string()),
        (ObjectKind::Vpc, "vpc-prod".to_string()),
        (ObjectKind::Subnet, p.vpcs[0].subnets[0].id.to_string()),
        (ObjectKind::Resource, p.vpcs[0].resources[0].id.to_string()),
        (ObjectKind::Gateway, p.vpcs[0].gateways[0].id.to_string()),
        (ObjectKind::Peering, p.peerings[0].id.to_string()),
        (ObjectKind::SecurityGroup, p.security_groups[0].id.to_string()),
        (ObjectKind::NetworkAcl, p.network_acls[0].id.to_string()),
        (ObjectKind::TerminalConnection, p.terminal_connections[0].id.to_string()),
        (ObjectKind::Expectation, "0".to_string()),
    ];
    for (kind, id) in samples {
        let f = Form::edit(kind, p, &id).unwrap_or_else(|| panic!("{kind:?} {id}"));
        // An unchanged form applies to the same plan.
        assert_eq!(f.apply(p).as_ref(), Ok(p), "{kind:?} {id}");
        if kind != ObjectKind::Expectation {
            assert_eq!(forms::kind_of(p, &id), Some(kind));
        }
    }
    let mut with_ccn = example();
    with_ccn
        .ccns
        .push(crate::domain::model::Ccn { id: "ccn-1".into(), vpcs: vec!["vpc-prod".into(), "vpc-dev".into()] });
    let f = Form::edit(ObjectKind::Ccn, &with_ccn, "ccn-1").expect("ccn form");
    assert_eq!(f.apply(&with_ccn).as_ref(), Ok(&with_ccn));
}

#[test]
fn a_huge_plan_opens_with_its_vpcs_collapsed_and_expands_on_demand() {
    let big = crate::domain::synth::plan(1);
    let resources: usize = big.vpcs.iter().map(|v| v.resources.len()).sum();
    assert!(resources > COLLAPSE_ABOVE);
    let first = big.vpcs[0].id.clone();
    let mut s = Session::new(big);
    let vm = s.view();
    assert!(vm.diagram.regions.iter().filter(|r| r.kind == RegionKind::Vpc).all(|r| r.collapsed));
    assert!(vm.diagram.nodes.len() <= DIAGRAM_PAGE + 1, "{}", vm.diagram.nodes.len());
    s.update(Action::ToggleCollapsed(first.to_string()));
    assert!(s.view().diagram.regions.iter().any(|r| r.id == first && !r.collapsed));
    // The example is small: nothing collapsed.
    assert!(session().view().diagram.regions.iter().all(|r| !r.collapsed));
}

// ---- Caches: the same answers, computed less often ----

/// The plan-only parts of `vm` against a derivation from scratch (no cache, no earlier revision).
fn assert_fresh(s: &Session, vm: &ViewModel) {
    let fresh = Derived::new(&s.plan, &check(s.plan()), None);
    assert_eq!(*vm.endpoints, *fresh.endpoints);
    assert_eq!(vm.others, fresh.others);
    assert_eq!(vm.vpcs, fresh.vpcs);
    assert_eq!(vm.gauges, fresh.gauges);
    assert_eq!(vm.expectations, fresh.expectations);
    assert_eq!(vm.counts, fresh.counts);
    let plain: Vec<FindingView> = vm.findings.iter().map(|f| FindingView { highlighted: false, ..f.clone() }).collect();
    assert_eq!(plain, fresh.findings);
}

#[test]
fn every_edit_shows_what_a_fresh_derivation_shows() {
    let mut s = session();
    assert_fresh(&s, &s.view());
    let actions = [
        Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) },
        Action::Highlight(ids(&["vpc-prod"])),
        Action::ChangeIp { instance: "ins-web01".into(), ip: "10.66.99.99".into() },
        Action::Rename("renamed".into()),
        Action::Unlink { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) },
        Action::Undo,
        Action::Undo,
        Action::Redo,
        Action::Delete { id: "ins-web04".into() },
        Action::Open(example()),
    ];
    for a in actions {
        s.update(a.clone());
        assert_fresh(&s, &s.view());
        // Twice in a row (the second view reads the caches).
        assert_fresh(&s, &s.view());
    }
}

#[test]
fn endpoints_are_shared_while_unchanged_and_rebuilt_when_an_ip_or_a_link_changes() {
    let mut s = session();
    let before = s.view();
    s.update(Action::Rename("renamed".into()));
    let renamed = s.view();
    assert!(Rc::ptr_eq(&before.endpoints, &renamed.endpoints), "the plan's name does not change the endpoints");
    // A link is said with its CVM.
    s.update(Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) });
    let linked = s.view();
    assert!(!Rc::ptr_eq(&renamed.endpoints, &linked.endpoints));
    // Only what is said of links is new: the descriptions of the objects are shared.
    assert!(Rc::ptr_eq(&renamed.endpoints.objects, &linked.endpoints.objects));
    let said = |vm: &ViewModel, id: &str| vm.endpoints.all().into_iter().find(|(i, _)| i == id).expect("listed").1;
    assert!(said(&linked, "ins-web04").ends_with(", linked to vpc-prod"), "{}", said(&linked, "ins-web04"));
    s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: "10.66.99.99".into() });
    let moved = s.view();
    assert!(!Rc::ptr_eq(&linked.endpoints, &moved.endpoints));
    // The IP change leaves ins-web01's link carrying nothing.
    assert_eq!(said(&moved, "ins-web01"), "classic CVM 10.66.99.99 web-1, its link to vpc-prod carries nothing");
    // Views before an edit and after undoing it describe the same objects.
    s.update(Action::Undo);
    assert_eq!(*s.view().endpoints, *linked.endpoints);
    s.update(Action::Undo);
    s.update(Action::Undo);
    assert_eq!(*s.view().endpoints, *before.endpoints);
    // A name is suggested by: renaming a classic instance or a resource rebuilds them too.
    for (kind, id) in [(ObjectKind::Classic, "ins-web01"), (ObjectKind::Resource, "ins-api01")] {
        let mut s = session();
        s.view();
        open(&mut s, kind, Some(id));
        set(&mut s, "name", "renamed-front");
        assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged, "{id}");
        let got: Vec<String> = s.view().endpoints.suggest("Renamed-Front").into_iter().map(|(i, _)| i).collect();
        assert_eq!(got, [id], "{id}");
    }
}

#[test]
fn a_submit_applies_the_form_to_the_current_plan_even_if_it_changed_under_the_form() {
    let mut s = session();
    open(&mut s, ObjectKind::Vpc, Some("vpc-prod"));
    set(&mut s, "name", "production");
    // The plan changes while the form is open: the submit must not bring back the plan of the last keystroke.
    assert_eq!(s.update(Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) }), Effect::PlanChanged);
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(s.plan().vpc("vpc-prod").map(|v| v.name.as_str()), Some("production"));
    assert!(s.plan().first_listed_link("ins-web04").is_some(), "the link made while the form was open stays");
    // Submitting straight after typing gives what applying the form from scratch gives.
    open(&mut s, ObjectKind::Vpc, Some("vpc-prod"));
    set(&mut s, "name", "prod again");
    let want = s.form.as_ref().expect("open").apply(s.plan()).expect("valid");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(*s.plan(), want);
}

/// The diagram marks what is asked about and nothing more: a path lights its own link, not every link into its VPC;
/// a finding hovered lights its own objects, not the path or the selection; a hop not drawn is drawn at the tile that
/// holds it.
#[test]
fn marks_and_paths_show_only_what_they_name() {
    let mut s = session();
    let reach = |s: &mut Session, from: &str, to: &str| {
        s.update(Action::Reach { from: from.into(), to: to.into(), protocol: "TCP".into(), port: "8080".into() });
    };
    let marked_links = |vm: &ViewModel| -> Vec<String> {
        vm.diagram.edges.iter().filter(|e| e.kind == EdgeKind::Link && e.highlighted).map(|e| e.from.clone()).collect()
    };
    let marked = |vm: &ViewModel| -> Vec<String> {
        let nodes = vm.diagram.nodes.iter().filter(|n| n.highlighted).map(|n| n.id.clone());
        let mut v: Vec<String> =
            nodes.chain(vm.diagram.regions.iter().filter(|r| r.highlighted).map(|r| r.id.clone())).collect();
        v.sort();
        v
    };
    reach(&mut s, "ins-web01", "ins-api01");
    let vm = s.view();
    assert!(vm.reach.as_ref().is_some_and(|r| r.outcome.as_ref().is_ok_and(|a| a.reachable)));
    assert_eq!(marked_links(&vm), ["ins-web01"], "the path's own link");
    assert!(vm.diagram.hops.len() >= 3);
    // The path leaves the classic tile at its right side, passes the VPC and the subnet near the left end of their
    // headers, and meets the VPC's tile at its left side: not through the middle of the tiles it joins or of the
    // headers it passes (a segment may still cross a tile between them).
    let node = |id: &str| vm.diagram.nodes.iter().find(|n| n.id == id).expect("drawn").clone();
    let region = |id: &str| vm.diagram.regions.iter().find(|r| r.id == id).expect("drawn").clone();
    let (from, to, vpc, subnet) = (node("ins-web01"), node("ins-api01"), region("vpc-prod"), region("subnet-app"));
    assert_eq!(
        vm.diagram.hops,
        [
            (from.x + from.w, from.y + from.h / 2),
            (vpc.x + 8, vpc.y + 26),
            (subnet.x + 8, subnet.y + 13),
            (to.x, to.y + to.h / 2)
        ]
    );
    // A CVM selected elsewhere keeps its own mark, not the path's: neither it nor its link reads as a hop.
    s.update(Action::Select(Some("ins-web04".into())));
    s.update(Action::Link { vpc: "vpc-prod".into(), instances: ids(&["ins-web04"]) });
    let vm = s.view();
    assert!(vm.reach.is_some(), "the answer still shown");
    assert_eq!(marked_links(&vm), ["ins-web01"], "the path's link alone");
    assert!(!marked(&vm).contains(&"ins-web04".to_string()), "{:?}", marked(&vm));
    assert!(vm.diagram.nodes.iter().any(|n| n.id == "ins-web04" && n.selected));
    s.update(Action::Undo);
    // Hovering a finding about vpc-data alone marks vpc-data alone.
    s.update(Action::Highlight(ids(&["vpc-data"])));
    let vm = s.view();
    assert_eq!(marked(&vm), ["vpc-data"]);
    assert!(marked_links(&vm).is_empty());
    // A finding naming a CVM and its VPC marks that link alone.
    s.update(Action::Highlight(ids(&["ins-app01", "vpc-prod"])));
    assert_eq!(marked_links(&s.view()), ["ins-app01"]);
    s.update(Action::Highlight(Vec::new()));
    assert_eq!(marked_links(&s.view()), ["ins-web01"], "the path again once the finding is left");
    // A classic-to-classic path from a terminal connection's target does not light the connection.
    let tc_marked = |vm: &ViewModel| {
        vm.diagram.edges.iter().any(|e| e.kind == EdgeKind::Terminal && e.from == "cdb-orders" && e.highlighted)
    };
    reach(&mut s, "cdb-orders", "ins-web01");
    assert!(!tc_marked(&s.view()));
    s.update(Action::Select(Some("cdb-orders".into())));
    assert!(tc_marked(&s.view()), "its target selected");
    s.update(Action::Select(None));

    // A CVM behind the "+N more" tile: its path starts at that tile.
    let mut p = example();
    let base = p.classic.iter().find(|c| c.id == "ins-web01").unwrap().clone();
    for i in 0..DIAGRAM_PAGE as u32 {
        let mut c = base.clone();
        c.id = format!("ins-bulk{i}").into();
        // Inside the 10.66.12.0/24 the API's security group lets in.
        c.ip = std::net::Ipv4Addr::from(u32::from(std::net::Ipv4Addr::new(10, 66, 12, 200)) + i);
        p.classic.push(c);
        p.links.push(Link {
            instance: format!("ins-bulk{i}").into(),
            vpc: "vpc-prod".into(),
            ip: None,
            invalidated: false,
        });
    }
    let mut s = Session::new(p);
    reach(&mut s, &format!("ins-bulk{}", DIAGRAM_PAGE - 1), "ins-api01");
    let vm = s.view();
    assert!(vm.reach.as_ref().is_some_and(|r| r.outcome.as_ref().is_ok_and(|a| a.reachable)));
    let more = vm.diagram.nodes.iter().find(|n| n.kind == NodeKind::More).expect("a +N more tile");
    assert!(more.highlighted);
    assert_eq!(vm.diagram.hops.first(), Some(&(more.x + more.w, more.y + more.h / 2)), "from the tile's right side");
    let agg = vm.diagram.edges.iter().find(|e| e.kind == EdgeKind::Aggregate && e.to == "vpc-prod").expect("aggregate");
    assert!(agg.highlighted, "the hidden CVM's links into vpc-prod");
    let other = vm.diagram.edges.iter().find(|e| e.kind == EdgeKind::Aggregate && e.to != "vpc-prod");
    assert!(other.is_none_or(|e| !e.highlighted));
}

/// A link Tencent Cloud would refuse (out of range, a second VPC) is shown as carrying nothing, as reachability and
/// the gauges count it: its edge is invalid, its CVM's tile and selection say so, and a CVM with a working link is
/// shown with that one.
#[test]
fn refused_links_are_shown_as_carrying_nothing() {
    let mut p = example();
    p.links.push(Link { instance: "ins-web04".into(), vpc: "vpc-data".into(), ip: None, invalidated: false });
    p.links.push(Link { instance: "ins-web01".into(), vpc: "vpc-dev".into(), ip: None, invalidated: false });
    let mut s = Session::new(p);
    let vm = s.view();
    assert!(!link_edge(&vm, "ins-web04", "vpc-data").expect("drawn").valid, "out of range");
    assert!(!link_edge(&vm, "ins-web01", "vpc-dev").expect("drawn").valid, "a second VPC");
    assert!(link_edge(&vm, "ins-web01", "vpc-prod").expect("drawn").valid, "the one Tencent Cloud made");
    let tile = |id: &str| vm.diagram.nodes.iter().find(|n| n.id == id).expect("a tile").clone();
    assert!(tile("ins-web04").link_invalid);
    assert_eq!((tile("ins-web01").linked_to.as_deref(), tile("ins-web01").link_invalid), (Some("vpc-prod"), false));
    s.update(Action::Select(Some("ins-web04".into())));
    let c = s.view().selected.and_then(|x| x.cvm).expect("a CVM selected");
    assert_eq!((c.linked_to.as_deref(), c.link_valid), (None, false), "its only link was never made");
    assert_eq!(c.unmade.iter().map(|u| u.vpc.as_str()).collect::<Vec<_>>(), ["vpc-data"]);
    s.update(Action::BulkVpc("vpc-data".into()));
    let b = s.view().bulk.expect("bulk");
    assert!(b.linked.iter().any(|r| r.id == "ins-web04" && !r.link_valid));
    // A refused second link is listed under its VPC, to be unlinked there; the CVM's working link under its own.
    s.update(Action::BulkVpc("vpc-dev".into()));
    let b = s.view().bulk.expect("bulk");
    assert!(b.linked.iter().any(|r| r.id == "ins-web01" && !r.link_valid), "{:?}", b.linked);
    s.update(Action::BulkVpc("vpc-prod".into()));
    let b = s.view().bulk.expect("bulk");
    assert!(b.linked.iter().any(|r| r.id == "ins-web01" && r.link_valid));
}

/// Plan changes that leave one listed link with each fate: the link, and the words its "why" must contain.
#[allow(clippy::type_complexity)]
fn fates_table() -> Vec<(&'static str, Box<dyn Fn(&mut Plan)>, (&'static str, &'static str), &'static str)> {
    let push = |i: &'static str, v: &'static str| {
        move |p: &mut Plan| p.links.push(Link { instance: i.into(), vpc: v.into(), ip: None, invalidated: false })
    };
    let classic = |p: &mut Plan, id: &str| p.classic.iter_mut().find(|c| c.id == id).unwrap().state = State::Returned;
    vec![
        ("out of range", Box::new(push("ins-web04", "vpc-data")), ("ins-web04", "vpc-data"), "CL001"),
        (
            "another region",
            Box::new(move |p: &mut Plan| {
                push("ins-web04", "vpc-dev")(p);
                p.vpcs.iter_mut().find(|v| v.id == "vpc-dev").unwrap().region = "ap-beijing".into();
            }),
            ("ins-web04", "vpc-dev"),
            "CL004",
        ),
        (
            "a VPC-only account",
            Box::new(|p: &mut Plan| p.account.platforms = crate::domain::model::Platforms::OnlyVpc),
            ("ins-web01", "vpc-prod"),
            "CL018",
        ),
        ("a second VPC", Box::new(push("ins-web01", "vpc-dev")), ("ins-web01", "vpc-dev"), "CL002"),
        ("past the quota", Box::new(|p: &mut Plan| p.quotas.links_per_vpc = 4), ("ins-app02", "vpc-prod"), "CL003"),
        (
            "a returned CVM",
            Box::new(move |p: &mut Plan| {
                push("ins-web04", "vpc-prod")(p);
                classic(p, "ins-web04");
            }),
            ("ins-web04", "vpc-prod"),
            "CL012",
        ),
        ("an IP change", Box::new(|_: &mut Plan| {}), ("ins-app01", "vpc-prod"), "CL010"),
    ]
}

/// Every diagram edge that carries nothing says why, as the core's `LinkFate` does (the rule and, for a refusal,
/// the API's error): an IP change, a returned CVM and each refusal alike; a working edge has no reason.
#[test]
fn an_invalid_edge_says_why() {
    for (what, change, (ins, vpc), rule) in fates_table() {
        let mut p = example();
        change(&mut p);
        let vm = Session::new(p).view();
        let edge = link_edge(&vm, ins, vpc).unwrap_or_else(|| panic!("{what}: drawn"));
        assert!(!edge.valid, "{what}");
        let why = edge.why_invalid.as_deref().unwrap_or_default();
        assert!(why.contains(rule), "{what}: {why}");
    }
    let vm = session().view();
    assert_eq!(link_edge(&vm, "ins-web01", "vpc-prod").map(|e| (e.valid, e.why_invalid.clone())), Some((true, None)));
}

/// A selected CVM whose listed link Tencent Cloud never made is not linked: the link is said apart, never made,
/// with why, and Unlink drops it (detach removes a listed refused link), except a returned CVM's, which went with
/// it (detach refuses it). A made link that carries nothing (an IP change) is still the CVM's link, invalid.
#[test]
fn a_selected_cvm_is_linked_only_by_a_link_tencent_cloud_made() {
    for (what, change, (ins, vpc), rule) in fates_table() {
        let mut p = example();
        change(&mut p);
        let mut s = Session::new(p);
        s.update(Action::Select(Some(ins.into())));
        let c = s.view().selected.and_then(|x| x.cvm).expect("a CVM selected");
        let made = matches!(rule, "CL010");
        // Linked: to the VPC of a link made (ins-web01 keeps vpc-prod beside a refused second link to vpc-dev).
        let want_linked = match rule {
            "CL010" => Some(vpc),
            "CL002" => Some("vpc-prod"),
            _ => None,
        };
        assert_eq!(c.linked_to.as_deref(), want_linked, "{what}");
        assert!(!c.link_valid || rule == "CL002", "{what}");
        let unmade: Vec<_> = c.unmade.iter().map(|u| (u.vpc.as_str(), u.why.contains(rule), u.unlink)).collect();
        let want: Vec<_> = if made { vec![] } else { vec![(vpc, true, rule != "CL012")] };
        assert_eq!(unmade, want, "{what}");
        // What Unlink is offered for, the core does.
        if let Some(u) = c.unmade.first().filter(|u| u.unlink) {
            let e = s.update(Action::Unlink { vpc: u.vpc.clone(), instances: ids(&[ins]) });
            assert_eq!(e, Effect::PlanChanged, "{what}");
            assert!(!s.plan().links.iter().any(|l| l.instance == ins && l.vpc == vpc), "{what}");
        }
    }
}

/// The Links tab's other CVMs say "linked" only of a link Tencent Cloud made: a CVM whose only listed link was
/// refused is listed with that link, not made, and why.
#[test]
fn the_links_tab_says_a_refused_link_links_nothing() {
    let mut p = example();
    p.links.push(Link { instance: "ins-web04".into(), vpc: "vpc-data".into(), ip: None, invalidated: false });
    p.links.push(Link { instance: "ins-web01".into(), vpc: "vpc-dev".into(), ip: None, invalidated: false });
    let mut s = Session::new(p);
    s.update(Action::BulkVpc("vpc-dev".into()));
    let b = s.view().bulk.expect("bulk");
    let row = |id: &str| b.candidates.iter().chain(&b.linked).find(|r| r.id == id).expect("listed").clone();
    let web04 = row("ins-web04");
    assert_eq!((web04.linked_to.as_deref(), web04.link_made, web04.link_valid), (Some("vpc-data"), false, false));
    assert!(web04.link_why.as_deref().is_some_and(|w| w.contains("CL001")), "{:?}", web04.link_why);
    let app01 = row("ins-app01");
    assert_eq!((app01.linked_to.as_deref(), app01.link_made, app01.link_valid), (Some("vpc-prod"), true, false));
    assert!(app01.link_why.as_deref().is_some_and(|w| w.contains("CL010")), "{:?}", app01.link_why);
    // ins-web01 is listed under vpc-dev with its refused second link.
    let web01 = row("ins-web01");
    assert_eq!((web01.linked_to.as_deref(), web01.link_made), (Some("vpc-dev"), false));
    assert!(web01.link_why.as_deref().is_some_and(|w| w.contains("CL002")), "{:?}", web01.link_why);
}

/// The Links tab counts the CVMs linked to its VPC apart from those that only list a link there, keeping the
/// gauge's number for the quota: its note says how many are linked, how many are past the quota, how many were
/// refused for another reason; none when all are linked.
#[test]
fn the_links_tab_counts_the_linked_apart_from_the_listed() {
    #[allow(clippy::type_complexity)]
    let table: &[(&str, &dyn Fn(&mut Plan), &str, (usize, usize, usize), Option<&str>)] = &[
        ("as listed", &|_| {}, "vpc-prod", (5, 5, 5), None),
        (
            "past the quota",
            &|p| p.quotas.links_per_vpc = 4,
            "vpc-prod",
            (5, 4, 5),
            Some(
                "5 CVMs list a link to vpc-prod, 4 linked: Tencent Cloud never made the others' links (1 past its \
                 quota (its gauge counts the 5 asking); marked, see the checks).",
            ),
        ),
        (
            "out of range",
            &|p| {
                p.links.push(Link {
                    instance: "ins-web04".into(),
                    vpc: "vpc-data".into(),
                    ip: None,
                    invalidated: false,
                })
            },
            "vpc-data",
            (1, 0, 0),
            Some(
                "1 CVM lists a link to vpc-data, 0 linked: Tencent Cloud never made the others' links (1 refused for \
                 another reason; marked, see the checks).",
            ),
        ),
    ];
    for (what, change, vpc, want, note) in table {
        let mut p = example();
        change(&mut p);
        let mut s = Session::new(p);
        s.update(Action::BulkVpc(vpc.to_string()));
        let vm = s.view();
        let b = vm.bulk.expect("bulk");
        assert_eq!((b.listed_here, b.made_here, b.counted_here), *want, "{what}");
        assert_eq!(b.counted_here, gauge(&s.view(), vpc), "{what}");
        assert_eq!(b.note.as_deref(), *note, "{what}");
    }
}

/// A refused IP change is said at the field as well as in the notice, until a change goes through, another object
/// is selected, or the plan changes otherwise (the reason may no longer hold).
#[test]
fn a_refused_ip_change_is_said_at_its_field() {
    let mut s = session();
    s.update(Action::Select(Some("ins-web01".into())));
    let error = |s: &Session| s.view().selected.and_then(|x| x.cvm).and_then(|c| c.ip_error);
    s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: "bogus".into() });
    assert!(error(&s).is_some_and(|e| e.contains("\"bogus\" is not an IPv4 address")), "{:?}", error(&s));
    let taken = s.plan().classic_instance("ins-web02").unwrap().ip.to_string();
    s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: taken.clone() });
    assert!(
        error(&s).is_some_and(|e| e.contains(&format!("{taken} is already ins-web02's address"))),
        "{:?}",
        error(&s)
    );
    s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: "10.66.77.77".into() });
    assert_eq!(error(&s), None);
    // Applying the IP it has changes nothing and is no error, even after a refused one.
    s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: "bogus".into() });
    assert!(error(&s).is_some());
    let effect = s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: "10.66.77.77".into() });
    assert_eq!((effect, error(&s)), (Effect::Nothing, None));
    // The address another CVM holds is refused; once that CVM is returned, the address is free and nothing says
    // otherwise (the error named ins-web02 as its holder).
    s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: taken.clone() });
    assert!(error(&s).is_some());
    s.update(Action::ApplyEvent { instance: "ins-web02".into(), event: Event::Return });
    assert_eq!(error(&s), None, "the plan changed");
    s.update(Action::Select(Some("ins-web01".into())));
    assert_eq!(s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: taken }), Effect::PlanChanged);
}

/// A VPC's "Linked CVMs" is how many CVMs hold a link Tencent Cloud made to it; when its gauge counts more (CVMs
/// refused for its quota alone), that number is said as asking; listed links never made for another reason
/// (refused ones, returned CVMs, repeats, non-CVMs) are said apart.
#[test]
fn a_selected_vpc_counts_its_links_as_its_gauge_does() {
    let link =
        |instance: &str, vpc: &str| Link { instance: instance.into(), vpc: vpc.into(), ip: None, invalidated: false };
    #[allow(clippy::type_complexity)]
    let table: &[(&str, &dyn Fn(&mut Plan), &str, &str)] = &[
        ("as listed", &|_| {}, "vpc-prod", "5"),
        ("none", &|_| {}, "vpc-dev", "0"),
        ("out of range", &|p| p.links.push(link("ins-web04", "vpc-data")), "vpc-data", "0; 1 listed link never made"),
        ("a second VPC", &|p| p.links.push(link("ins-web01", "vpc-dev")), "vpc-dev", "0; 1 listed link never made"),
        ("a repeat", &|p| p.links.push(link("ins-web01", "vpc-prod")), "vpc-prod", "5; 1 listed link never made"),
        ("a non-CVM", &|p| p.links.push(link("cdb-orders", "vpc-dev")), "vpc-dev", "0; 1 listed link never made"),
        (
            "a returned CVM",
            &|p| {
                p.links.push(link("ins-web04", "vpc-dev"));
                p.classic.iter_mut().find(|c| c.id == "ins-web04").unwrap().state = State::Returned;
            },
            "vpc-dev",
            "0; 1 listed link never made",
        ),
        (
            "past the quota",
            &|p| {
                p.quotas.links_per_vpc = 4;
            },
            "vpc-prod",
            "4; 5 asking (1 past the quota)",
        ),
    ];
    for (what, change, vpc, want) in table {
        let mut p = example();
        change(&mut p);
        let mut s = Session::new(p);
        s.update(Action::Select(Some(vpc.to_string())));
        let vm = s.view();
        let facts = &vm.selected.as_ref().expect("a VPC selected").facts;
        let got = facts.iter().find(|(k, _)| k == "Linked CVMs").map(|(_, v)| v.as_str());
        assert_eq!(got, Some(*want), "{what}");
        // The number asking is the gauge's: said when it is not the number linked.
        let counted = want.split("; ").find(|p| p.ends_with("the quota)")).unwrap_or(want).split([' ', ';']).next();
        assert_eq!(counted, Some(gauge(&vm, vpc).to_string().as_str()), "{what}");
    }
}

/// A selected CVM names the IP its link was made for only when an IP change invalidated the link.
#[test]
fn a_selected_cvm_names_the_ip_its_link_was_made_for_when_it_differs() {
    let table = [
        ("ins-app01", Some("made with IP 10.66.20.4; its IP is now 10.66.20.9")),
        ("ins-web01", None),
        ("ins-web04", None),
    ];
    let mut s = session();
    for (id, want) in table {
        s.update(Action::Select(Some(id.into())));
        let c = s.view().selected.and_then(|x| x.cvm).expect("a CVM selected");
        assert_eq!(c.link_ip_note.as_deref(), want, "{id}");
    }
    // Changed away and back, the link stays invalid (seed 001), and the note says so.
    s.update(Action::Select(Some("ins-web02".into())));
    s.update(Action::ChangeIp { instance: "ins-web02".into(), ip: "10.66.12.99".into() });
    s.update(Action::ChangeIp { instance: "ins-web02".into(), ip: "10.66.12.8".into() });
    let c = s.view().selected.and_then(|x| x.cvm).expect("a CVM selected");
    assert_eq!(
        c.link_ip_note.as_deref(),
        Some("made with IP 10.66.12.8; its IP changed since, and is 10.66.12.8 again")
    );
    assert!(!c.link_valid);
}

/// Whether a protocol's flows have ports, for the port fields: TCP and UDP do, ICMP and ALL do not, and a protocol
/// not yet read leaves the field on.
#[test]
fn has_ports_follows_the_core() {
    let table = [("TCP", true), ("udp", true), ("ICMP", false), ("ALL", false), ("all", false), ("", true)];
    for (protocol, want) in table {
        assert_eq!(has_ports(protocol), want, "{protocol:?}");
    }
}

/// A VPC outside the Classiclink range says why in its gauge and its diagram region, naming its CIDR and the range;
/// one inside has no reason.
#[test]
fn an_unlinkable_vpc_says_why() {
    let mut p = example();
    p.vpcs.iter_mut().find(|v| v.id == "vpc-dev").unwrap().cidr = "10.0.0.0/8".parse().unwrap();
    let vm = Session::new(p).view();
    let table = [
        ("vpc-prod", None),
        ("vpc-data", Some("cannot accept classic links: CIDR 172.16.0.0/16 is outside 10.0.0.0/16 - 10.47.0.0/16")),
        (
            "vpc-dev",
            Some(
                "cannot accept classic links: CIDR 10.0.0.0/8 reaches beyond 10.0.0.0/16 - 10.47.0.0/16: only one of \
                 them, or a part of one, can take classic links",
            ),
        ),
    ];
    for (vpc, want) in table {
        let g = vm.gauges.iter().find(|g| g.vpc == vpc).expect("a gauge");
        assert_eq!((g.unlinkable_reason.as_deref(), g.linkable), (want, want.is_none()), "{vpc} gauge");
        let r = vm.diagram.regions.iter().find(|r| r.id == vpc).expect("a region");
        assert_eq!((r.unlinkable_reason.as_deref(), r.linkable), (want, want.is_none()), "{vpc} region");
    }
}

/// Deleting an expectation the plan does not hold is refused with a notice saying why, as every refusal is.
#[test]
fn deleting_a_missing_expectation_says_why() {
    let mut s = session();
    let n = s.plan().expectations.len();
    assert_eq!(s.update(Action::DeleteExpectation(n)), Effect::Refused);
    let notice = s.view().notice.expect("a notice");
    assert_eq!(notice.tone, Tone::Error);
    assert_eq!(notice.text, format!("Expectation {n} was not deleted: expectations[{n}]: no such expectation"));
}

/// A kept plan downloads as Export writes it (the browser keeps it compact), and text that is not a plan as it is.
#[test]
fn a_kept_plan_downloads_as_the_pretty_export() {
    let plan = example();
    assert_eq!(Session::kept_for_download(&plan.to_json_compact()), plan.to_json());
    assert_eq!(Session::kept_for_download("{ not a plan"), "{ not a plan");
}

/// A new plan says how to go back as its notice's note; Undo names the step without it.
#[test]
fn a_new_plan_notes_how_to_go_back_apart_from_the_steps_name() {
    let mut s = Session::new(example());
    assert_eq!(s.update(Action::NewPlan), Effect::PlanChanged);
    let notice = s.view().notice.expect("a notice");
    assert_eq!(
        (notice.text.as_str(), notice.note.as_deref()),
        ("Started an empty plan", Some("undo brings the previous plan back"))
    );
    s.update(Action::Undo);
    let notice = s.view().notice.expect("a notice");
    assert_eq!((notice.text.as_str(), notice.note), ("Undone: Started an empty plan", None));
    assert_eq!(s.plan(), &example());
    // An imported plan says the same (a Tencent import and a share link already did).
    let mut other = example();
    other.name = "other".into();
    assert_eq!(s.update(Action::ImportJson(other.to_json())), Effect::PlanChanged);
    let notice = s.view().notice.expect("a notice");
    assert_eq!(
        (notice.text.as_str(), notice.note.as_deref()),
        ("Imported other", Some("undo brings the previous plan back"))
    );
}

/// The example with vpc-prod at a quota of one: ins-web01's link is made, and ins-web02's, listed after it, refused
/// for the quota until ins-web01's goes.
fn prod_at_a_quota_of_one() -> Plan {
    let mut p = example();
    p.quotas.links_per_vpc = 1;
    p.links.retain(|l| l.vpc != "vpc-prod");
    p.links.push(Link { instance: "ins-web01".into(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
    p.links.push(Link { instance: "ins-web02".into(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
    p
}

/// Unlink says, as a note apart from what it did, that another listed link is now the one made; the undo step's
/// name, and Undo and Redo, leave the note out (undone, it would be false).
#[test]
fn unlink_notes_its_knock_on_apart_from_the_steps_name() {
    let mut s = Session::new(prod_at_a_quota_of_one());
    let unlink = Action::Unlink { vpc: "vpc-prod".into(), instances: vec!["ins-web01".into()] };
    assert_eq!(s.update(unlink), Effect::PlanChanged);
    let notice = s.view().notice.expect("a notice");
    assert_eq!(notice.text, "Unlinked ins-web01 from vpc-prod");
    assert!(notice.note.expect("a note").contains("ins-web02's listed link to vpc-prod, refused until now"));
    assert_eq!(s.view().undo_what.as_deref(), Some("Unlinked ins-web01 from vpc-prod"));
    s.update(Action::Undo);
    let notice = s.view().notice.expect("a notice");
    assert_eq!((notice.text.as_str(), notice.note), ("Undone: Unlinked ins-web01 from vpc-prod", None));
    s.update(Action::Redo);
    let notice = s.view().notice.expect("a notice");
    assert_eq!((notice.text.as_str(), notice.note), ("Redone: Unlinked ins-web01 from vpc-prod", None));
    // An action that changes no other link's fate has no note.
    s.update(Action::Link { vpc: "vpc-dev".into(), instances: vec!["ins-web04".into()] });
    assert_eq!(s.view().notice.expect("a notice").note, None);
    // Each link it frees is noted: ins-web01's other link (a CVM holds one) and ins-web02's (the VPC's quota is 1).
    let mut p = example();
    p.quotas.links_per_vpc = 1;
    p.links.retain(|l| l.vpc != "vpc-prod" && l.vpc != "vpc-dev");
    for (instance, vpc) in [("ins-web01", "vpc-prod"), ("ins-web01", "vpc-dev"), ("ins-web02", "vpc-prod")] {
        p.links.push(Link { instance: instance.into(), vpc: vpc.into(), ip: None, invalidated: false });
    }
    let mut s = Session::new(p);
    s.update(Action::Unlink { vpc: "vpc-prod".into(), instances: vec!["ins-web01".into()] });
    let note = s.view().notice.and_then(|n| n.note).expect("a note");
    for part in ["ins-web01's listed link to vpc-dev, refused until now", "; ins-web02's listed link to vpc-prod"] {
        assert!(note.contains(part), "{part:?} in {note}");
    }
}

/// Deleting an instance says what it did to the plan's other listed links, as Unlink does; and what an event did
/// is forgotten once the plan changes another way (it described a plan no longer shown).
#[test]
fn delete_tells_the_knock_on_and_other_changes_end_an_events_effects() {
    let mut s = Session::new(prod_at_a_quota_of_one());
    assert_eq!(s.update(Action::Delete { id: "ins-web01".into() }), Effect::PlanChanged);
    let notice = s.view().notice.expect("a notice");
    assert!(notice.text.starts_with("Deleted ins-web01"), "{}", notice.text);
    let note = notice.note.expect("what it did to other listed links");
    assert!(
        note.contains("ins-web02's listed link to vpc-prod, refused until now, is now the one the plan makes"),
        "{note}"
    );
    // Undo names the step without the note, which would be false once undone.
    s.update(Action::Undo);
    let notice = s.view().notice.expect("a notice");
    assert!(notice.text.starts_with("Undone: Deleted ins-web01") && notice.note.is_none(), "{notice:?}");
    assert!(!notice.text.contains("refused until now"), "{}", notice.text);
    s.update(Action::Select(Some("ins-web02".into())));
    s.update(Action::ApplyEvent { instance: "ins-web02".into(), event: Event::Stop });
    assert!(!s.view().effects.is_empty());
    // Said under its CVM: selecting another object ends them, as does a change of the plan.
    s.update(Action::Select(Some("ins-web02".into())));
    assert!(!s.view().effects.is_empty(), "the same selection keeps them");
    s.update(Action::Select(Some("ins-web04".into())));
    assert!(s.view().effects.is_empty(), "{:?}", s.view().effects);
    s.update(Action::ApplyEvent { instance: "ins-web04".into(), event: Event::Stop });
    assert!(!s.view().effects.is_empty());
    s.update(Action::Open(example()));
    assert!(s.view().effects.is_empty(), "{:?}", s.view().effects);
}

/// A classic instance that is not a CVM says it does not link, and lists any link the plan gives it as never made,
/// with why, for Unlink to drop (a keyboard user learns the CL005 answer without dragging).
#[test]
fn a_non_cvm_selection_says_it_does_not_link_and_lists_its_links_never_made() {
    let mut p = example();
    p.links.push(Link { instance: "cdb-orders".into(), vpc: "vpc-prod".into(), ip: None, invalidated: false });
    let mut s = Session::new(p);
    s.update(Action::Select(Some("cdb-orders".into())));
    let sel = s.view().selected.expect("selected");
    assert!(sel.cvm.is_none());
    assert!(sel.facts.iter().any(|(k, v)| k == "Classiclink" && v.contains("CL005")), "{:?}", sel.facts);
    assert!(
        sel.facts.iter().any(|(_, v)| v.ends_with("only through a terminal connection")),
        "a MySQL: {:?}",
        sel.facts
    );
    assert_eq!(sel.non_cvm_links.len(), 1);
    assert!(sel.non_cvm_links[0].why.contains("CL005") && sel.non_cvm_links[0].unlink);
    assert_eq!(
        s.update(Action::Unlink { vpc: "vpc-prod".into(), instances: vec!["cdb-orders".into()] }),
        Effect::PlanChanged
    );
    assert!(s.view().selected.expect("selected").non_cvm_links.is_empty());
    // A kind no terminal connection serves is said so, as CL006 says it.
    let mut p = example();
    let mut pg = p.classic.iter().find(|c| c.id == "cdb-orders").unwrap().clone();
    pg.id = "pg-1".into();
    pg.kind = Kind::Postgresql;
    pg.ip = std::net::Ipv4Addr::new(10, 66, 77, 7);
    p.classic.push(pg);
    let mut s = Session::new(p);
    s.update(Action::Select(Some("pg-1".into())));
    let facts = s.view().selected.expect("selected").facts;
    assert!(
        facts
            .iter()
            .any(|(_, v)| v.ends_with("no terminal connection serves a classic PostgreSQL, so no VPC reaches it")),
        "{facts:?}"
    );
}

/// A CVM that holds a link and lists another Tencent Cloud never made says so on its tile (the refused link's edge
/// is not focusable, so its title alone would leave keyboard and screen-reader users without the reason).
#[test]
fn a_tile_names_the_other_listed_links_never_made() {
    let mut p = example();
    let held = p.links.iter().find(|l| l.instance == "ins-web01").expect("ins-web01 is linked").vpc.clone();
    p.links.push(Link { instance: "ins-web01".into(), vpc: "vpc-data".into(), ip: None, invalidated: false });
    let s = Session::new(p);
    let vm = s.view();
    let tile = vm.diagram.nodes.iter().find(|n| n.id == "ins-web01").expect("drawn");
    assert_eq!(tile.linked_to.as_deref(), Some(held.as_str()));
    assert_eq!(tile.also_unmade.len(), 1, "{:?}", tile.also_unmade);
    assert!(
        tile.also_unmade[0].starts_with("to vpc-data: ") && tile.also_unmade[0].contains("CL"),
        "{:?}",
        tile.also_unmade
    );
    assert!(vm.diagram.nodes.iter().find(|n| n.id == "ins-web02").expect("drawn").also_unmade.is_empty());
}

// ---- Selecting again, unsaved forms and form wording ----

/// Selecting the object already selected is a selection too: the workbench shows the Selection tab on each one
/// (it counts them), so Enter or L on the selected tile brings the Selection tab back from any other tab.
#[test]
fn selecting_the_selected_object_again_counts_as_a_selection() {
    let mut s = session();
    let table: [(Option<&str>, bool); 4] =
        [(Some("ins-web04"), true), (Some("ins-web04"), true), (None, false), (Some("vpc-prod"), true)];
    for (id, counted) in table {
        let before = s.view().selections;
        s.update(Action::Select(id.map(str::to_string)));
        let vm = s.view();
        assert_eq!(vm.selections, before + u64::from(counted), "{id:?}");
        assert_eq!(vm.selected.map(|x| x.id), id.map(str::to_string), "{id:?}");
    }
}

/// A form knows whether what it holds differs from what it opened with: a value typed and typed back, or a rule
/// added and deleted again, is no change.
#[test]
fn a_form_knows_whether_it_differs_from_what_it_opened_with() {
    let p = example();
    let mut f = Form::edit(ObjectKind::SecurityGroup, &p, "sg-app").expect("sg-app");
    assert!(!f.changed());
    let name = f.get("name").to_string();
    f.set("name", "renamed".into());
    assert!(f.changed());
    f.set("name", name);
    assert!(!f.changed(), "typed back");
    f.rule_op(RuleList::Egress, RuleOp::Add);
    assert!(f.changed());
    f.rule_op(RuleList::Egress, RuleOp::Delete(f.egress.len() - 1));
    assert!(!f.changed(), "added and deleted again");
    // A new form: its preset values are where it starts (a peering's second VPC too).
    let mut f = Form::new(ObjectKind::Peering, &p, None);
    assert!(!f.changed());
    f.set("id", "pcx-new".into());
    assert!(f.changed());
}

/// Which request leaves a form: Cancel or Escape (close), or opening another form (a new security group's is
/// another form even over a new security group's: only an object's own form is the same).
#[derive(Clone, Copy, Debug)]
enum Leave {
    Close,
    EditOther,
    NewOther,
    NewSecurityGroup,
}

fn leave(s: &mut Session, how: Leave) {
    match how {
        Leave::Close => s.update(Action::CloseForm),
        Leave::EditOther => {
            s.update(Action::OpenForm { kind: ObjectKind::SecurityGroup, id: Some("sg-db".into()), vpc: None })
        }
        Leave::NewOther => s.update(Action::OpenForm { kind: ObjectKind::Vpc, id: None, vpc: None }),
        Leave::NewSecurityGroup => s.update(Action::OpenForm { kind: ObjectKind::SecurityGroup, id: None, vpc: None }),
    };
}

/// What the session shows after a leave: no form, or the form of (kind, edited object).
fn shown_form(s: &Session) -> Option<(ObjectKind, Option<String>)> {
    s.view().form.map(|f| (f.kind, f.editing))
}

fn left_to(how: Leave) -> Option<(ObjectKind, Option<String>)> {
    match how {
        Leave::Close => None,
        Leave::EditOther => Some((ObjectKind::SecurityGroup, Some("sg-db".into()))),
        Leave::NewOther => Some((ObjectKind::Vpc, None)),
        Leave::NewSecurityGroup => Some((ObjectKind::SecurityGroup, None)),
    }
}

/// A form with no change closes or switches at once; one with unsaved changes asks first, in the form, and keeps
/// them until the user answers: Keep editing (or Escape again, the safe answer) goes back to them, Discard drops them
/// and does what was asked.
#[test]
fn a_changed_form_asks_before_its_changes_are_discarded() {
    // (the form opened: kind, ID; how it is changed, if it is; the notice once Discard drops the changes)
    type Change = Option<fn(&mut Session)>;
    let rename: Change = Some(|s| set(s, "name", "renamed"));
    let rule: Change = Some(|s| {
        s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Add });
        s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(0, "port".into(), "443".into()) });
    });
    let forms: [(ObjectKind, Option<&str>, Change, &str); 4] = [
        (ObjectKind::SecurityGroup, Some("sg-app"), None, ""),
        (ObjectKind::SecurityGroup, Some("sg-app"), rename, "Discarded the unsaved changes to security group sg-app"),
        (ObjectKind::SecurityGroup, None, rule, "Discarded the unsaved changes in the new security group form"),
        (
            ObjectKind::Classic,
            None,
            Some(|s| set(s, "id", "ins-draft")),
            "Discarded the unsaved changes in the new classic instance form",
        ),
    ];
    for (kind, id, change, discarded) in forms {
        for how in [Leave::Close, Leave::EditOther, Leave::NewOther, Leave::NewSecurityGroup] {
            let case = format!("{kind:?} {id:?} changed: {} / {how:?}", change.is_some());
            let start = || {
                let mut s = session();
                open(&mut s, kind, id);
                if let Some(change) = change {
                    change(&mut s);
                }
                let f = s.view().form.expect("open");
                assert_eq!(f.changed, change.is_some(), "{case}");
                assert_eq!(f.discard, None, "{case}: nothing asked yet");
                s
            };
            let mut s = start();
            let plan = s.plan().clone();
            let typed = s.view().form.expect("open");
            leave(&mut s, how);
            if change.is_none() {
                assert_eq!(shown_form(&s), left_to(how), "{case}: no change, no question");
                let notice = s.view().notice.map(|n| n.text).unwrap_or_default();
                assert!(!notice.starts_with("Discarded"), "{case}: nothing to discard: {notice}");
                continue;
            }
            // Asked, in the form; nothing discarded.
            let f = s.view().form.expect("still open");
            let ask = f.discard.clone().unwrap_or_else(|| panic!("{case}: asks"));
            assert_eq!(ask.question, "Discard unsaved changes?", "{case}");
            assert_eq!((f.fields.clone(), f.rules.clone()), (typed.fields.clone(), typed.rules.clone()), "{case}");
            // Keep editing, or Escape again: the question goes, the changes stay.
            for answer in [Action::KeepEditing, Action::CloseForm] {
                let mut s = start();
                leave(&mut s, how);
                s.update(answer.clone());
                let f = s.view().form.expect("still open");
                let kept = (f.discard, f.fields, f.rules);
                assert_eq!(kept, (None, typed.fields.clone(), typed.rules.clone()), "{case} / {answer:?}");
            }
            // Discard: the changes go and what was asked is done.
            s.update(Action::DiscardForm);
            assert_eq!(shown_form(&s), left_to(how), "{case}");
            assert!(s.view().form.is_none_or(|f| !f.changed && f.discard.is_none()), "{case}");
            assert_eq!(*s.plan(), plan, "{case}: discarding changes nothing in the plan");
            let notice = s.view().notice.expect("a notice");
            assert_eq!((notice.tone, notice.text.as_str()), (Tone::Info, discarded), "{case}");
        }
    }
}

/// The question says what Discard then does; typing on answers Keep editing, and saving or reopening the same
/// object's form loses nothing.
#[test]
fn the_discard_question_says_what_follows_and_typing_on_keeps_the_changes() {
    let mut s = session();
    open(&mut s, ObjectKind::SecurityGroup, Some("sg-app"));
    set(&mut s, "name", "renamed");
    s.update(Action::CloseForm);
    let said = s.view().form.and_then(|f| f.discard).expect("asked").detail;
    assert!(said.contains("not saved") && said.contains("closes the form"), "{said}");
    s.update(Action::KeepEditing);
    open(&mut s, ObjectKind::SecurityGroup, Some("sg-db"));
    let said = s.view().form.and_then(|f| f.discard).expect("asked").detail;
    assert!(said.contains("security group sg-db"), "{said}");
    // Typing on is keeping on.
    set(&mut s, "name", "renamed again");
    let f = s.view().form.expect("open");
    assert_eq!((f.discard, f.editing.as_deref()), (None, Some("sg-app")));
    // Opening the form already open asks nothing and keeps what was typed.
    open(&mut s, ObjectKind::SecurityGroup, Some("sg-app"));
    let f = s.view().form.expect("open");
    assert_eq!(f.discard, None);
    assert_eq!(f.fields.iter().find(|x| x.key == "name").map(|x| x.value.as_str()), Some("renamed again"));
    // Saving asks nothing.
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(s.plan().security_group("sg-app").map(|g| g.name.as_str()), Some("renamed again"));
    assert!(s.view().form.is_none());
}

/// Form headings and notices name the kinds as people write them: VPC, network ACL, Cloud Connect Network.
#[test]
fn forms_name_their_kind_properly() {
    let table: [(ObjectKind, Option<&str>, &str); 6] = [
        (ObjectKind::Vpc, None, "Add VPC"),
        (ObjectKind::NetworkAcl, None, "Add network ACL"),
        (ObjectKind::Ccn, None, "Add Cloud Connect Network"),
        (ObjectKind::Resource, None, "Add VPC resource"),
        (ObjectKind::SecurityGroup, Some("sg-app"), "Edit security group"),
        (ObjectKind::Classic, Some("ins-web01"), "Edit classic instance"),
    ];
    for (kind, id, title) in table {
        let mut s = session();
        open(&mut s, kind, id);
        assert_eq!(s.view().form.expect("open").title, title);
    }
    let mut s = session();
    open(&mut s, ObjectKind::Vpc, Some("vpc-prod"));
    set(&mut s, "name", "production");
    s.update(Action::SubmitForm);
    assert_eq!(s.view().notice.expect("notice").text, "Saved VPC vpc-prod");
}

/// Saving a form as it opened (or with its changes typed back) and starting a new plan over an empty new plan add no
/// step to undo: Undo would say "Undone: Saved VPC vpc-dev" and change nothing, and each would autosave.
#[test]
fn saving_nothing_new_adds_no_step_to_undo() {
    let mut s = session();
    open(&mut s, ObjectKind::Vpc, Some("vpc-dev"));
    let name = s.plan().vpc("vpc-dev").unwrap().name.clone();
    set(&mut s, "name", "changed");
    set(&mut s, "name", &name);
    assert_eq!(s.update(Action::SubmitForm), Effect::Nothing);
    let vm = s.view();
    assert!(vm.form.is_none(), "the form closes as a save closes it");
    assert_eq!(vm.selected.expect("the VPC stays selected").id, "vpc-dev");
    assert_eq!(
        vm.notice.as_ref().map(|n| (n.tone, n.text.as_str())),
        Some((Tone::Info, "Nothing to save: VPC vpc-dev is as it was"))
    );
    assert!(!s.can_undo(), "no step");
    assert_eq!(s.revision(), 0);

    assert_eq!(s.update(Action::NewPlan), Effect::PlanChanged);
    assert_eq!(s.update(Action::NewPlan), Effect::Nothing);
    s.update(Action::Undo);
    assert_eq!(*s.plan(), example(), "one Undo goes back to the plan before the first New");
}

/// Each kind's ID hint gives an ID of its own kind.
#[test]
fn security_groups_and_acls_have_their_own_id_hints() {
    let hint = |k: ObjectKind| k.fields().iter().find(|f| f.key == "id").expect("an ID").hint;
    assert!(hint(ObjectKind::SecurityGroup).contains("sg-") && !hint(ObjectKind::SecurityGroup).contains("acl-"));
    assert!(hint(ObjectKind::NetworkAcl).contains("acl-") && !hint(ObjectKind::NetworkAcl).contains("sg-"));
}

/// The expectation form's Port is off for ICMP and ALL, saying why (no port is saved for them), and on for TCP and
/// UDP.
#[test]
fn an_expectations_port_is_off_for_protocols_without_ports() {
    let table: [(&str, bool); 4] = [("TCP", true), ("UDP", true), ("ICMP", false), ("ALL", false)];
    for (protocol, on) in table {
        let mut s = session();
        open(&mut s, ObjectKind::Expectation, None);
        set(&mut s, "port", "+22");
        set(&mut s, "protocol", protocol);
        let f = s.view().form.expect("open");
        let port = f.fields.iter().find(|x| x.key == "port").expect("a port field");
        assert_eq!(port.off.is_none(), on, "{protocol}");
        // A port the field no longer takes is not read: nothing is said against it, and no value shows.
        assert_eq!(port.errors.is_empty(), !on, "{protocol}: {:?}", port.errors);
        if let Some(why) = port.off {
            assert!(why.contains("no port"), "{protocol}: {why}");
            assert_eq!(port.value, "", "{protocol}");
        }
    }
    // Only the expectation's port: a rule's protocol is in its row.
    let mut s = session();
    open(&mut s, ObjectKind::Classic, None);
    assert!(s.view().form.expect("open").fields.iter().all(|x| x.off.is_none()));
}

/// A new rule row is not SSH from anywhere: its CIDR is empty, and the row says so until it is filled.
#[test]
fn a_new_rule_row_waits_for_its_cidr() {
    for kind in [ObjectKind::SecurityGroup, ObjectKind::NetworkAcl] {
        let mut s = session();
        open(&mut s, kind, Some(if kind == ObjectKind::SecurityGroup { "sg-app" } else { "acl-app" }));
        let n = s.view().form.and_then(|f| f.rules).expect("rules").0.len();
        s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Add });
        let f = s.view().form.expect("open");
        let row = &f.rules.as_ref().expect("rules").0[n];
        assert_eq!((row.protocol.as_str(), row.port.as_str(), row.cidr.as_str()), ("TCP", "22", ""), "{kind:?}");
        assert!(f.rule_error(RuleList::Ingress, n, "cidr").is_some(), "{kind:?}: {:?}", f.errors);
        assert_eq!(s.update(Action::SubmitForm), Effect::Refused, "{kind:?}");
        s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "cidr".into(), "10.0.1.0/24".into()) });
        assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged, "{kind:?}");
    }
}

/// Going on with a form while it asks whether to discard its changes answers Keep editing: typing, editing a rule,
/// saving (here refused: the ID is cleared), or asking again for the form already open. The question goes; the
/// changes stay.
#[test]
fn going_on_with_the_form_answers_keep_editing() {
    type GoOn = fn(&mut Session);
    let cases: [(&str, GoOn); 4] = [
        ("typing", |s| set(s, "name", "renamed")),
        ("a rule added", |s| {
            s.update(Action::RuleEdit { list: RuleList::Egress, op: RuleOp::Add });
        }),
        ("saving, refused", |s| assert_eq!(s.update(Action::SubmitForm), Effect::Refused)),
        ("the same form asked for", |s| open(s, ObjectKind::SecurityGroup, Some("sg-app"))),
    ];
    for (case, go_on) in cases {
        let mut s = session();
        open(&mut s, ObjectKind::SecurityGroup, Some("sg-app"));
        set(&mut s, "id", "");
        s.update(Action::CloseForm);
        assert!(s.view().form.is_some_and(|f| f.discard.is_some()), "{case}: asks");
        go_on(&mut s);
        let f = s.view().form.expect("still open");
        assert_eq!((f.editing.as_deref(), f.discard, f.changed), (Some("sg-app"), None, true), "{case}");
    }
}

/// An edit form follows its object when the plan changes under it: Undo, Redo, a what-if, a new, imported or
/// shared plan and a Tencent import neither close it nor ask; its changes stay, on top of the object as it now is,
/// and Save writes only them. A form whose object is gone keeps its changes and refuses to save (it would bring the
/// object back) until Discard, or an undo that brings the object back.
#[test]
fn an_edit_form_follows_its_object_when_the_plan_changes_under_it() {
    let name =
        |s: &Session| s.view().form.and_then(|f| f.fields.iter().find(|x| x.key == "name").map(|x| x.value.clone()));
    let link = Action::Link { vpc: "vpc-dev".into(), instances: ids(&["ins-web04"]) };
    let imported = example().to_json().replace("Guangzhou", "Imported");
    let tencent = include_str!("../../tests/fixtures/tencent/bundle-guangzhou.json");
    for action in [
        Action::Undo,
        Action::Redo,
        Action::OpenShare(encode_share(&example())),
        Action::NewPlan,
        Action::ImportJson(imported),
        Action::OpenShared(example()),
        Action::Tools(ToolAction::ImportTencent { text: tencent.into(), region: String::new() }),
    ] {
        let case = format!("{action:?}").chars().take(40).collect::<String>();
        let mut s = session();
        s.update(Action::Rename("renamed plan".into()));
        s.update(link.clone());
        if action == Action::Redo {
            // The step to redo is the link, the one to undo under it the rename.
            s.update(Action::Undo);
        }
        open(&mut s, ObjectKind::SecurityGroup, Some("sg-app"));
        set(&mut s, "name", "renamed");
        let plan = s.plan().clone();
        assert_eq!(s.update(action), Effect::PlanChanged, "{case}");
        assert_ne!(*s.plan(), plan, "{case}: done at once");
        let f = s.view().form.expect("still open");
        assert_eq!(name(&s).as_deref(), Some("renamed"), "{case}");
        assert!(f.discard.is_none() && f.changed, "{case}");
        if s.plan().security_group("sg-app").is_some() {
            assert!(f.valid, "{case}: {:?}", f.errors);
            assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged, "{case}");
            assert_eq!(s.plan().security_group("sg-app").unwrap().name, "renamed", "{case}");
        } else {
            // Gone: Save would bring it back, and is refused, saying so.
            assert!(
                f.errors.iter().any(|e| e.message.starts_with("is not in the plan as it is now")),
                "{case}: {:?}",
                f.errors
            );
            let now = s.plan().clone();
            assert_eq!(s.update(Action::SubmitForm), Effect::Refused, "{case}");
            assert_eq!(*s.plan(), now, "{case}");
            // Undo brings it back, and the form with it.
            s.update(Action::Undo);
            assert!(s.view().form.is_some_and(|f| f.valid), "{case}");
            assert_eq!(name(&s).as_deref(), Some("renamed"), "{case}");
        }
    }
    // A what-if on the CVM being edited: Save keeps it (the state stays stopped), changing only the name typed.
    let mut s = session();
    open(&mut s, ObjectKind::Classic, Some("ins-web01"));
    set(&mut s, "name", "web-1x");
    s.update(Action::ApplyEvent { instance: "ins-web01".into(), event: Event::Stop });
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    let c = s.plan().classic_instance("ins-web01").unwrap();
    assert_eq!((c.name.as_str(), c.state), ("web-1x", State::Stopped));
    // An expectation edited while one before it is deleted: the form follows it to its new index, and Save
    // changes it, not its new neighbour.
    let mut s = session();
    let before = s.plan().expectations.clone();
    open(&mut s, ObjectKind::Expectation, Some("2"));
    set(&mut s, "description", "edited");
    s.update(Action::DeleteExpectation(0));
    assert_eq!(s.view().form.and_then(|f| f.editing).as_deref(), Some("1"));
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    let after = &s.plan().expectations;
    assert_eq!(after.len(), before.len() - 1);
    assert_eq!(after[1].description, "edited");
    assert_eq!(after[2..], before[3..], "the others as they were");
    // An unchanged form whose object is deleted closes.
    let mut s = session();
    open(&mut s, ObjectKind::SecurityGroup, Some("sg-app"));
    s.update(Action::Delete { id: "sg-app".into() });
    assert!(s.view().form.is_none());
}

/// A field that does not parse does not hide what is wrong with the others: every problem shows at once (an ID
/// already used, a reference to nothing, an ID left empty), and a stand-in for the field that does not parse adds
/// none of its own.
#[test]
fn a_field_that_does_not_parse_hides_no_other_fields_problem() {
    let p = example();
    let (nv, nc, nt) = (p.vpcs.len(), p.classic.len(), p.terminal_connections.len());
    let vpc_prod = p.vpcs.iter().position(|v| v.id == "vpc-prod").unwrap();
    type Row<'a> = (ObjectKind, Option<&'a str>, &'a [(&'a str, &'a str)], Vec<String>);
    let table: [Row; 5] = [
        (
            ObjectKind::Vpc,
            None,
            &[("id", "vpc-prod"), ("cidr", "")],
            vec![format!("vpcs[{nv}].cidr"), format!("vpcs[{nv}].id")],
        ),
        (
            ObjectKind::TerminalConnection,
            None,
            &[("id", "tc-new"), ("target", "cdb-nope"), ("vpc", "vpc-prod"), ("ip", "")],
            vec![format!("terminal_connections[{nt}].ip"), format!("terminal_connections[{nt}].target")],
        ),
        (
            ObjectKind::Classic,
            None,
            &[("id", ""), ("ip", "")],
            vec![format!("classic[{nc}].ip"), format!("classic[{nc}].id")],
        ),
        // Only the CIDR is wrong: its stand-in (which the subnets would lie outside) adds nothing.
        (ObjectKind::Vpc, Some("vpc-prod"), &[("cidr", "10.0.0.0/33")], vec![format!("vpcs[{vpc_prod}].cidr")]),
        // Two fields that do not parse, and nothing else wrong.
        (
            ObjectKind::TerminalConnection,
            None,
            &[("id", "tc-new"), ("target", "cdb-orders"), ("vpc", "vpc-prod"), ("ip", "x")],
            vec![format!("terminal_connections[{nt}].ip")],
        ),
    ];
    for (kind, id, typed, want) in table {
        let mut s = session();
        open(&mut s, kind, id);
        for (k, v) in typed {
            set(&mut s, k, v);
        }
        let f = s.view().form.expect("open");
        // Which problems, whatever their order (the form lists them in the order of its fields).
        let mut got: Vec<&str> = f.errors.iter().map(|e| e.path.as_str()).collect();
        got.sort();
        got.dedup();
        let mut want = want;
        want.sort();
        assert_eq!(got, want, "{kind:?} {typed:?}: {:?}", f.errors);
    }
}

/// Leaving the page asks first while a form holds unsaved changes (forms are not autosaved), as while the plan is
/// not saved in this browser.
#[test]
fn leaving_asks_while_a_form_holds_changes() {
    let mut s = session();
    assert!(!s.view().ask_before_leaving);
    open(&mut s, ObjectKind::SecurityGroup, Some("sg-app"));
    assert!(!s.view().ask_before_leaving, "an unchanged form loses nothing");
    set(&mut s, "name", "renamed");
    assert!(s.view().ask_before_leaving);
    s.update(Action::CloseForm);
    s.update(Action::DiscardForm);
    assert!(!s.view().ask_before_leaving);
}

/// The peer cell of a rule row takes a CIDR, an IP or a security group's ID, validated as typed with the core's
/// message: a group that is none, or a group in an ACL rule, is said at the cell; a group of the plan saves.
#[test]
fn a_rule_rows_peer_cell_takes_a_cidr_an_ip_or_a_group() {
    let table: &[(ObjectKind, &str, Option<&str>)] = &[
        (ObjectKind::SecurityGroup, "sg-web", None),
        (ObjectKind::SecurityGroup, "10.66.12.7", None),
        (ObjectKind::SecurityGroup, "10.0.0.0/8", None),
        (ObjectKind::SecurityGroup, "sg-nope", Some("no security group \"sg-nope\"")),
        (ObjectKind::SecurityGroup, "vpc-prod", Some("vpc-prod is not a security group")),
        (ObjectKind::SecurityGroup, "10.0.0.1/8", Some("host bits are set")),
        (ObjectKind::SecurityGroup, "sg web", Some("or a security group ID")),
        (ObjectKind::NetworkAcl, "sg-web", Some("a network ACL rule names a CIDR or an IP, not a security group")),
        (ObjectKind::NetworkAcl, "10.0.0.0/8", None),
    ];
    for &(kind, typed, want) in table {
        let mut s = session();
        open(&mut s, kind, Some(if kind == ObjectKind::SecurityGroup { "sg-app" } else { "acl-app" }));
        let n = s.view().form.and_then(|f| f.rules).expect("rules").0.len();
        s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Add });
        s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "cidr".into(), typed.into()) });
        let said = s.view().form.expect("open").rule_error(RuleList::Ingress, n, "cidr");
        match want {
            None => {
                assert_eq!(said, None, "{kind:?} {typed}");
                assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged, "{kind:?} {typed}");
                let p = s.plan();
                let rules = match kind {
                    ObjectKind::SecurityGroup => &p.security_group("sg-app").unwrap().ingress,
                    _ => &p.network_acl("acl-app").unwrap().ingress,
                };
                assert_eq!(rules[n].peer.to_string(), typed, "saved as typed");
            }
            Some(words) => {
                assert!(said.as_deref().is_some_and(|m| m.contains(words)), "{kind:?} {typed}: {said:?}");
                assert_eq!(s.update(Action::SubmitForm), Effect::Refused, "{kind:?} {typed}");
            }
        }
    }
}

/// What replaces nothing leaves an edit form as it is: text that is no plan, a damaged share link, a Tencent bundle
/// refused, or Undo and Redo with no step to take are refused or do nothing, as ever, and the form keeps its changes
/// without a question.
#[test]
fn what_replaces_nothing_leaves_an_edit_form_as_it_is() {
    let refused: [(Action, Effect); 5] = [
        (Action::ImportJson("{ nope".into()), Effect::Refused),
        (Action::OpenShare("not-a-plan".into()), Effect::Refused),
        (Action::Tools(ToolAction::ImportTencent { text: "{ nope".into(), region: String::new() }), Effect::Refused),
        (Action::Undo, Effect::Nothing),
        (Action::Redo, Effect::Nothing),
    ];
    for (action, effect) in refused {
        let case = format!("{action:?}");
        let mut s = session();
        open(&mut s, ObjectKind::SecurityGroup, Some("sg-app"));
        set(&mut s, "name", "renamed");
        let plan = s.plan().clone();
        assert_eq!(s.update(action), effect, "{case}");
        assert_eq!(*s.plan(), plan, "{case}");
        assert!(s.view().form.is_some_and(|f| f.discard.is_none() && f.changed), "{case}");
    }
}

/// An expectation form follows its expectation when it changes under it (an undo of a rename its endpoints
/// followed), or moves by one (one deleted before it); a twin elsewhere in the list is not it, so deleting the one
/// edited leaves the form refusing to save. A field changed here and in the plan says what the plan now has.
#[test]
fn an_expectation_form_follows_its_own_and_a_field_changed_both_ways_says_so() {
    // Renamed endpoints, then undone: still expectation 2, with the user's description on top.
    let mut s = session();
    let from = s.plan().expectations[2].from.to_string();
    s.update(Action::OpenForm { kind: ObjectKind::Classic, id: Some(from.clone()), vpc: None });
    set(&mut s, "id", "ins-renamed");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    open(&mut s, ObjectKind::Expectation, Some("2"));
    set(&mut s, "description", "edited");
    s.update(Action::Undo);
    let f = s.view().form.expect("open");
    assert!(f.valid, "{:?}", f.errors);
    assert_eq!(f.fields.iter().find(|x| x.key == "from").map(|x| x.value.clone()), Some(from.clone()));
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(s.plan().expectations[2].description, "edited");
    assert_eq!(s.plan().expectations[2].from.to_string(), from);
    // A twin added at the end: deleting the one edited does not move the form onto it.
    let mut s = session();
    let twin = s.plan().expectations[0].clone();
    let mut p = s.plan().clone();
    p.expectations.push(twin);
    s.update(Action::Open(p));
    open(&mut s, ObjectKind::Expectation, Some("0"));
    set(&mut s, "description", "mine");
    s.update(Action::DeleteExpectation(0));
    let f = s.view().form.expect("kept, with its changes");
    assert_eq!(f.editing.as_deref(), Some("0"));
    assert!(!f.valid && f.errors.iter().any(|e| e.path == "Expectation 0"), "{:?}", f.errors);
    // One deleted after it leaves it where it was, and the form counts the list anew: an import that then lists as
    // many as before the delete, none of them the one edited, does not put the form onto another expectation.
    let mut s = session();
    let mut other = example();
    other.expectations.iter_mut().for_each(|e| e.description += " (v2)");
    open(&mut s, ObjectKind::Expectation, Some("2"));
    set(&mut s, "port", "9999");
    let last = s.plan().expectations.len() - 1;
    s.update(Action::DeleteExpectation(last));
    assert!(s.view().form.expect("open").valid, "still its own, at 2");
    s.update(Action::ImportJson(export(&other)));
    let f = s.view().form.expect("kept, with its changes");
    assert!(!f.valid && f.errors.iter().any(|e| e.path == "Expectation 2"), "{:?}", f.errors);
    assert_eq!(s.update(Action::SubmitForm), Effect::Refused);
    assert_eq!(*s.plan(), other);
    // A field changed here and by a what-if: the form says what the plan now has; Save writes the value here.
    let mut s = session();
    open(&mut s, ObjectKind::Classic, Some("ins-web01"));
    set(&mut s, "ip", "10.66.12.50");
    s.update(Action::ChangeIp { instance: "ins-web01".into(), ip: "10.66.12.60".into() });
    let f = s.view().form.expect("open");
    let ip = f.fields.iter().find(|x| x.key == "ip").unwrap();
    assert_eq!((ip.value.as_str(), ip.plan_now.as_deref()), ("10.66.12.50", Some("10.66.12.60")));
    assert!(f.fields.iter().filter(|x| x.key != "ip").all(|x| x.plan_now.is_none()));
    // Typed to what the plan has: nothing to say.
    set(&mut s, "ip", "10.66.12.60");
    assert!(s.view().form.expect("open").fields.iter().all(|x| x.plan_now.is_none()));
}

/// Each rule's seed sentence is tagged with its language, one of the seed documents it cites (000 English, 001
/// Chinese, 002 Japanese): the three languages are all quoted, and none is taken for another.
#[test]
fn seed_sentences_are_tagged_with_their_language() {
    let mut seen = Vec::new();
    for r in crate::domain::rules::catalogue() {
        let lang = seed_lang(r.info.seed);
        let doc = match lang {
            "en" => "000",
            "zh" => "001",
            _ => "002",
        };
        assert!(r.info.seed_docs.contains(&doc), "{}: {lang} but cites {:?}", r.info.id, r.info.seed_docs);
        seen.push(lang);
    }
    for lang in ["en", "zh", "ja"] {
        assert!(seen.contains(&lang), "no seed quoted in {lang}");
    }
    // Kana make Japanese even among Han characters; Han alone is Chinese.
    assert_eq!((seed_lang("同一テナント"), seed_lang("同一地域"), seed_lang("same region")), ("ja", "zh", "en"));
    // The documents a seed comes from, by their languages.
    assert_eq!(
        seed_source(&["000", "002"]),
        "Tencent Cloud's Classiclink documentation (English) and overview of VPC and the classic network (Japanese)"
    );
    assert_eq!(seed_source(&["001"]), "Tencent Cloud's Classiclink guide (Chinese)");
    assert_eq!(
        seed_source(&["000", "001", "002"]),
        "Tencent Cloud's Classiclink documentation (English), Classiclink guide (Chinese) and overview of VPC and the \
         classic network (Japanese)"
    );
}

/// A link an IP change invalidated is made again in one step (seed 001: it must be added again): detached and
/// attached for the IP the CVM has now, undone as one step; refused whole where the API would refuse.
#[test]
fn an_invalidated_link_is_made_again_in_one_step() {
    let mut s = session();
    // The example's ins-app01 was linked with 10.66.20.4 and now has 10.66.20.9 (CL010).
    let cl010 = |s: &Session| s.view().findings.iter().filter(|f| f.rule == "CL010").count();
    assert_eq!(cl010(&s), 1);
    let before = s.plan().clone();
    let e = s.update(Action::Relink { vpc: "vpc-prod".into(), instance: "ins-app01".into() });
    assert_eq!(e, Effect::PlanChanged);
    assert_eq!(cl010(&s), 0);
    let link = s.plan().first_listed_link("ins-app01").expect("linked").clone();
    assert_eq!((link.vpc.as_str(), link.ip.map(|ip| ip.to_string())), ("vpc-prod", Some("10.66.20.9".into())));
    let n = s.view().notice.expect("a notice");
    assert_eq!(n.text, "Relinked ins-app01 to vpc-prod for its IP 10.66.20.9 (detached, then attached again)");
    assert_eq!(s.view().undo_what.as_deref(), Some(n.text.as_str()), "one step");
    s.update(Action::Undo);
    assert_eq!(*s.plan(), before);
    // To a VPC it is not linked to: DetachClassicLinkVpc refuses, and nothing changes.
    assert_eq!(s.update(Action::Relink { vpc: "vpc-dev".into(), instance: "ins-app01".into() }), Effect::Refused);
    assert_eq!(*s.plan(), before);
    // With a second link of ins-app01 listed (to vpc-dev, refused: CL002), the relink still makes its link to
    // vpc-prod again, and the refused one stays refused: the detach in between makes no link.
    let mut second = before.clone();
    second.links.push(crate::domain::model::Link {
        instance: "ins-app01".into(),
        vpc: "vpc-dev".into(),
        ip: None,
        invalidated: false,
    });
    let mut s = Session::new(second.clone());
    let e = s.update(Action::Relink { vpc: "vpc-prod".into(), instance: "ins-app01".into() });
    assert_eq!(e, Effect::PlanChanged, "{:?}", s.view().notice);
    assert_eq!(cl010(&s), 0);
    assert_eq!(s.plan().links.last(), second.links.last(), "still listed");
    assert_eq!(s.view().notice.and_then(|n| n.note), None, "no other link changed");
}

/// The errors under one field of the open form.
fn field_errors(s: &Session, key: &str) -> Vec<String> {
    s.view().form.expect("form").fields.iter().find(|f| f.key == key).expect("field").errors.clone()
}

/// An ID listed twice in a list field says so, naming the earlier entry by its place in the field as typed, not by
/// the plan's object at that index (the group's `security_groups[0]` read as the plan's first group, sg-web).
#[test]
fn an_id_listed_twice_names_its_earlier_entry() {
    use ObjectKind::{Classic, Resource};
    // (form, object, field, typed, what the field says)
    let table: &[(ObjectKind, &str, &str, &str, &str)] = &[
        (Classic, "ins-web01", "security_groups", "sg-app, sg-app", "sg-app is listed twice (also 1st)"),
        (Classic, "ins-web01", "security_groups", "sg-db, sg-app, sg-db", "sg-db is listed twice (also 1st)"),
        (Resource, "cdb-prod", "security_groups", "sg-web, sg-db, sg-db", "sg-db is listed twice (also 2nd)"),
        (Resource, "lb-prod", "backends", "ins-api01, ins-api02, ins-api01", "ins-api01 is listed twice (also 1st)"),
    ];
    for &(kind, id, key, typed, want) in table {
        let mut s = session();
        open(&mut s, kind, Some(id));
        set(&mut s, key, typed);
        assert_eq!(field_errors(&s, key), vec![want.to_string()], "{typed}");
    }
}

/// Choosing ICMP or ALL for a rule row sets its port to ALL, the only port those protocols take (the row is then
/// what the plan needs); back to TCP the row keeps ALL, which is valid. A port typed on an ICMP or ALL rule says
/// plainly that it must be ALL.
#[test]
fn a_rule_switched_to_icmp_or_all_takes_port_all() {
    for (kind, id) in [(ObjectKind::SecurityGroup, "sg-web"), (ObjectKind::NetworkAcl, "acl-app")] {
        let mut s = session();
        open(&mut s, kind, Some(id));
        let n = s.view().form.expect("form").rules.expect("rules").0.len();
        let edit = |s: &mut Session, key: &str, value: &str| {
            s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, key.into(), value.into()) });
        };
        let port = |s: &Session| s.view().form.expect("form").rules.expect("rules").0[n].port.clone();
        s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Add });
        edit(&mut s, "cidr", "10.0.0.0/8");
        edit(&mut s, "port", "443");
        for (protocol, want) in [("ICMP", "ALL"), ("TCP", "ALL"), ("ALL", "ALL")] {
            edit(&mut s, "protocol", protocol);
            assert_eq!(port(&s), want, "{kind:?} {protocol}");
            assert_eq!(s.view().form.expect("form").errors, vec![], "{kind:?} {protocol}");
        }
        edit(&mut s, "port", "22");
        let said = s.view().form.expect("form").rule_error(RuleList::Ingress, n, "port");
        assert_eq!(said.as_deref(), Some("ALL has no ports: the port must be ALL"), "{kind:?}");
        edit(&mut s, "protocol", "UDP");
        assert_eq!(port(&s), "22", "{kind:?}: a protocol with ports keeps the port typed");
    }
}

/// A network ACL rule's peer cell offers a CIDR or an IP only (an ACL takes no security group); a security group
/// rule's offers a group too.
#[test]
fn an_acl_rule_peer_offers_addresses_only() {
    // (form, object, peer typed, what the cell says)
    let table: &[(ObjectKind, &str, &str, &str)] = &[
        (ObjectKind::NetworkAcl, "acl-app", "", "required: an IPv4 CIDR (a.b.c.d/n) or an IP (a.b.c.d)"),
        (ObjectKind::NetworkAcl, "acl-app", "sg web", "\"sg web\" is not an IPv4 CIDR (a.b.c.d/n) or an IP (a.b.c.d)"),
        (
            ObjectKind::SecurityGroup,
            "sg-web",
            "",
            "required: an IPv4 CIDR (a.b.c.d/n), an IP (a.b.c.d) or a security group ID (like sg-web)",
        ),
        (
            ObjectKind::SecurityGroup,
            "sg-web",
            "sg web",
            "\"sg web\" is not an IPv4 CIDR (a.b.c.d/n), an IP (a.b.c.d) or a security group ID (like sg-web)",
        ),
    ];
    for &(kind, id, typed, want) in table {
        let mut s = session();
        open(&mut s, kind, Some(id));
        let n = s.view().form.expect("form").rules.expect("rules").0.len();
        s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Add });
        s.update(Action::RuleEdit { list: RuleList::Ingress, op: RuleOp::Set(n, "cidr".into(), typed.into()) });
        let said = s.view().form.expect("form").rule_error(RuleList::Ingress, n, "cidr");
        assert_eq!(said.as_deref(), Some(want), "{kind:?} {typed:?}");
    }
}

/// A comma-separated field names the entry that is wrong, and entries separated by spaces are told to be separated
/// by commas (rather than read as one CIDR that does not parse, or one ID the plan does not have).
#[test]
fn a_list_field_names_its_bad_entry() {
    use ObjectKind::{Ccn, Classic, Gateway, Resource, Vpc};
    // (form, object (None: a new one), field, typed, what the field says)
    let table: &[(ObjectKind, Option<&str>, &str, &str, &str)] = &[
        (
            Vpc,
            Some("vpc-dev"),
            "assistant_cidrs",
            "10.21.0.0/16, x",
            "\"x\" is not an IPv4 CIDR (expected a.b.c.d/n or a.b.c.d)",
        ),
        (
            Vpc,
            Some("vpc-dev"),
            "assistant_cidrs",
            "10.21.0.0/16 10.22.0.0/16",
            "\"10.21.0.0/16 10.22.0.0/16\" is not one CIDR: entries are separated by commas",
        ),
        (
            Vpc,
            Some("vpc-dev"),
            "assistant_cidrs",
            "10.21.0.0 /16",
            "\"10.21.0.0 /16\" is not an IPv4 CIDR (expected a.b.c.d/n or a.b.c.d)",
        ),
        (
            Vpc,
            Some("vpc-dev"),
            "assistant_cidrs",
            "10.21.0.0/33",
            "\"10.21.0.0/33\": the prefix length must be 0 to 32",
        ),
        (
            Gateway,
            Some("vpngw-office"),
            "remote_cidrs",
            "192.168.0.0/16 172.16.0.0/12",
            "\"192.168.0.0/16 172.16.0.0/12\" is not one CIDR: entries are separated by commas",
        ),
        (
            Gateway,
            Some("vpngw-office"),
            "remote_cidrs",
            "192.168.0.0/16, y",
            "\"y\" is not an IPv4 CIDR (expected a.b.c.d/n or a.b.c.d)",
        ),
        (
            Classic,
            Some("ins-web01"),
            "security_groups",
            "sg-web sg-app",
            "\"sg-web sg-app\" is not one ID: entries are separated by commas",
        ),
        (
            Resource,
            Some("lb-prod"),
            "backends",
            "ins-api01 ins-api02",
            "\"ins-api01 ins-api02\" is not one ID: entries are separated by commas",
        ),
        (Ccn, None, "vpcs", "vpc-prod vpc-dev", "\"vpc-prod vpc-dev\" is not one ID: entries are separated by commas"),
    ];
    for &(kind, id, key, typed, want) in table {
        let mut s = session();
        open(&mut s, kind, id);
        set(&mut s, "id", id.unwrap_or("ccn-new"));
        set(&mut s, key, typed);
        assert_eq!(field_errors(&s, key), vec![want.to_string()], "{kind:?} {typed:?}");
    }
}

/// A list field's bad entry (`assistant_cidrs[0]`) does not hide what is wrong with the form's other fields: both
/// show at once, as a bad single field's error and the others' do.
#[test]
fn a_bad_list_entry_shows_with_the_other_fields_errors() {
    // (form, an ID already used, list field, its bad value)
    let table: &[(ObjectKind, &str, &str, &str)] = &[
        (ObjectKind::Vpc, "vpc-prod", "assistant_cidrs", "x"),
        (ObjectKind::Vpc, "vpc-prod", "assistant_cidrs", "10.21.0.0/16 10.22.0.0/16"),
        (ObjectKind::Classic, "ins-web01", "security_groups", "sg-web sg-app"),
        (ObjectKind::Ccn, "vpc-prod", "vpcs", "vpc-prod vpc-dev"),
    ];
    for &(kind, used, key, typed) in table {
        let mut s = session();
        open(&mut s, kind, None);
        set(&mut s, "id", used);
        set(&mut s, "cidr", "10.30.0.0/16");
        set(&mut s, "ip", "10.66.99.99");
        set(&mut s, key, typed);
        assert_eq!(field_errors(&s, key).len(), 1, "{kind:?} {typed:?}");
        let id = field_errors(&s, "id");
        assert!(id.iter().any(|m| m.contains("duplicate ID")), "{kind:?} {typed:?}: {id:?}");
    }
}

/// Every kind of object selected says what it is: a subnet its VPC, CIDR (out of a linked CVM's reach in an assistant
/// CIDR), zone, ACL and resources; a gateway, peering or CCN where it leads and that it carries no linked CVM's
/// traffic; a security group or ACL its rules and what it is bound to; a terminal connection what it maps where. A
/// subnet or a gateway selected showed its ID alone.
#[test]
fn a_selected_object_of_every_kind_says_what_it_is() {
    let mut s = session();
    let mut facts = |id: &str| -> Vec<(String, String)> {
        s.update(Action::Select(Some(id.into())));
        s.view().selected.unwrap_or_else(|| panic!("{id} selected")).facts
    };
    let pairs = |v: &[(&str, &str)]| v.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
    assert_eq!(
        facts("subnet-app"),
        pairs(&[
            ("VPC", "vpc-prod"),
            ("CIDR", "10.0.1.0/24"),
            ("Zone", "ap-guangzhou-3"),
            ("Network ACL", "acl-app"),
            ("Resources", "3")
        ])
    );
    let extra = facts("subnet-extra");
    assert_eq!(extra[1].1, "10.100.1.0/24 (in assistant CIDR 10.100.0.0/16: linked classic CVMs do not reach it)");
    assert_eq!(extra[3].1, "none (unfiltered)");
    let vpn = facts("vpngw-office");
    assert_eq!(vpn[..3], pairs(&[("VPC", "vpc-prod"), ("Kind", "VPN gateway"), ("Leads to", "192.168.0.0/16")]));
    assert!(vpn[3].1.contains("not transitive, CL013"), "{vpn:?}");
    assert_eq!(facts("nat-prod")[2].1, "the internet");
    assert_eq!(facts("pcx-prod-dev")[0], ("VPCs".to_string(), "vpc-prod, vpc-dev".to_string()));
    assert_eq!(facts("sg-web")[0], ("Rules".to_string(), "3 inbound, 1 outbound".to_string()));
    assert_eq!(facts("acl-app"), pairs(&[("Rules", "3 inbound, 1 outbound"), ("Bound to", "1 subnet")]));
    assert_eq!(facts("tc-orders"), pairs(&[("Maps", "cdb-orders"), ("Into", "vpc-prod at 10.0.2.200")]));
}

/// A reach answer blocked by a security group or ACL names it for its editor: the kind, the rule's list and row
/// (none for the implicit drop or default deny). Blocked by something else, it names none.
#[test]
fn a_blocked_reach_answer_names_the_filter_to_edit() {
    let mut s = session();
    let mut ask = |from: &str, to: &str, port: &str| {
        let (from, to, port) = (from.into(), to.into(), port.into());
        s.update(Action::Reach { from, to, protocol: "TCP".into(), port });
        s.view().reach.expect("asked").blocking
    };
    let acl =
        BlockingFilter { kind: ObjectKind::NetworkAcl, id: "acl-app".into(), list: RuleList::Ingress, row: Some(0) };
    assert_eq!(ask("ins-web01", "ins-api01", "22"), Some(acl));
    let sg = BlockingFilter { kind: ObjectKind::SecurityGroup, id: "sg-db".into(), list: RuleList::Ingress, row: None };
    assert_eq!(ask("ins-web01", "cdb-prod", "22"), Some(sg));
    assert_eq!(ask("ins-app01", "redis-cache", "6379"), None, "LINK_INVALID: no filter");
    assert_eq!(ask("ins-web01", "cdb-prod", "3306"), None, "reachable");
}

/// A reach question, the matrix and the selection that name an object follow its renames, by an edit, an undo and a
/// redo, as the plan's references do: after renaming ins-web01 to ins-front01 and asking of ins-front01, Undo left
/// the question asking of ins-front01, an object the plan no longer had.
#[test]
fn a_question_the_matrix_and_the_selection_follow_renames_through_undo_and_redo() {
    let mut s = session();
    s.update(Action::Select(Some("ins-web01".into())));
    let reach = |from: &str| Action::Reach {
        from: from.into(),
        to: "ins-api01".into(),
        protocol: "TCP".into(),
        port: "8080".into(),
    };
    s.update(reach("ins-web01"));
    s.update(Action::Matrix { vpc: "vpc-prod".into(), protocol: "TCP".into(), port: "22".into() });
    let asked = |s: &Session| {
        let vm = s.view();
        let q = vm.reach.expect("a question");
        (q.from, q.outcome.is_ok(), vm.matrix.expect("a matrix").vpc, vm.selected.map(|x| x.id))
    };
    let at = |from: &str, vpc: &str| (from.to_string(), true, vpc.to_string(), Some(from.to_string()));
    open(&mut s, ObjectKind::Classic, Some("ins-web01"));
    set(&mut s, "id", "ins-front01");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(asked(&s), at("ins-front01", "vpc-prod"), "the rename");
    s.update(Action::Undo);
    assert_eq!(asked(&s), at("ins-web01", "vpc-prod"), "its undo");
    s.update(Action::Redo);
    assert_eq!(asked(&s), at("ins-front01", "vpc-prod"), "its redo");
    // A VPC renamed: the matrix follows.
    open(&mut s, ObjectKind::Vpc, Some("vpc-prod"));
    set(&mut s, "id", "vpc-main");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    assert_eq!(asked(&s).2, "vpc-main");
    s.update(Action::Undo);
    assert_eq!(asked(&s).2, "vpc-prod");
    // A deleted object is no rename: the question names it still, and says it is gone.
    s.update(Action::Delete { id: "ins-api01".into() });
    let q = s.view().reach.expect("the question stays");
    assert_eq!(q.to, "ins-api01");
    assert!(q.outcome.is_err());
}

/// An empty rule list says what it does: a security group drops what no rule accepts, an ACL denies by default.
#[test]
fn an_empty_rule_list_says_what_it_does() {
    assert_eq!(
        RuleList::Egress.when_empty(ObjectKind::SecurityGroup),
        "No outbound rules: all outbound traffic is dropped (a security group drops what no rule accepts)."
    );
    assert_eq!(
        RuleList::Ingress.when_empty(ObjectKind::NetworkAcl),
        "No inbound rules: all inbound traffic is denied (a network ACL denies by default)."
    );
}

/// A form refuses an edit that adds what no console could create (a /32 VPC, a resource at its subnet's network
/// address, a zone with a space or of another region), at its field; a plan that already holds one still opens, and other edits save.
#[test]
fn a_form_refuses_what_no_console_creates_but_an_old_plan_keeps_working() {
    let mut s = session();
    let refused = |s: &mut Session, kind: ObjectKind, id: Option<&str>, sets: &[(&str, &str)], says: &str| {
        open(s, kind, id);
        for (key, value) in sets {
            set(s, key, value);
        }
        let (key, value) = sets.last().unwrap();
        assert_eq!(s.update(Action::SubmitForm), Effect::Refused, "{id:?}.{key} = {value}");
        let form = s.view().form.expect("the form stays open");
        let field = form.fields.iter().find(|f| f.key == *key).expect("the field");
        assert!(field.errors.iter().any(|e| e.contains(says)), "{key}: {:?}", field.errors);
        s.update(Action::CloseForm);
        s.update(Action::DiscardForm);
    };
    let vpc = [("id", "vpc-tiny"), ("region", "ap-guangzhou"), ("cidr", "10.20.0.0")];
    refused(&mut s, ObjectKind::Vpc, None, &vpc, "10.20.0.0 is a single address");
    let ip = [("ip", "10.0.1.0")];
    refused(&mut s, ObjectKind::Resource, Some("ins-api01"), &ip, "is the first address of subnet subnet-app");
    refused(&mut s, ObjectKind::Classic, Some("ins-web01"), &[("zone", "ap-guangzhou 3")], "a zone name has no spaces");
    let zone = [("zone", "ap-beijing-1")];
    let says = "ap-beijing-1 is a zone of ap-beijing, not of ap-guangzhou, the region of classic instance ins-web01";
    refused(&mut s, ObjectKind::Classic, Some("ins-web01"), &zone, says);
    assert_eq!(*s.plan(), example(), "nothing saved");

    // A plan that already has one (written before these were checked) opens, and an edit elsewhere saves.
    let mut old = example();
    old.vpcs[0].resources[0].ip = "10.0.1.0".parse().unwrap();
    old.classic[0].zone = "ap-guangzhou 3".into();
    let mut s = Session::new(old.clone());
    open(&mut s, ObjectKind::Classic, Some("ins-web01"));
    set(&mut s, "name", "web-one");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
    // The same value given to another object is one more that no console creates, though its message, naming no
    // object, is one the plan already has.
    let mut s = Session::new(old);
    refused(&mut s, ObjectKind::Classic, Some("ins-web02"), &[("zone", "ap-guangzhou 3")], "a zone name has no spaces");
}

/// A subnet form refuses a zone of another region than its VPC's (CreateSubnet would: `ap-beijing-1` in a VPC of
/// `ap-guangzhou`), at its Zone field, saying both regions; it was saved silently. An empty zone, or one that names
/// no region, still saves, and a plan that already has such a zone opens and its subnet is edited.
#[test]
fn a_subnet_form_refuses_a_zone_of_another_region() {
    let mut s = session();
    let refused = |s: &mut Session, id: Option<&str>, sets: &[(&str, &str)], says: &str| {
        open(s, ObjectKind::Subnet, id);
        for (key, value) in sets {
            set(s, key, value);
        }
        assert_eq!(s.update(Action::SubmitForm), Effect::Refused, "{id:?}: {sets:?}");
        let form = s.view().form.expect("the form stays open");
        let zone = form.fields.iter().find(|f| f.key == "zone").expect("the Zone field");
        assert_eq!(zone.errors, [says], "{id:?}: {sets:?}");
        s.update(Action::CloseForm);
        s.update(Action::DiscardForm);
    };
    let says = "ap-beijing-1 is a zone of ap-beijing, not of ap-guangzhou, the region of subnet subnet-extra's VPC \
                vpc-prod";
    refused(&mut s, Some("subnet-extra"), &[("zone", "ap-beijing-1")], says);
    // A new subnet, in a Beijing zone.
    let new = [("vpc", "vpc-dev"), ("id", "subnet-bj"), ("cidr", "10.1.2.0/24"), ("zone", "ap-beijing-1")];
    let says =
        "ap-beijing-1 is a zone of ap-beijing, not of ap-guangzhou, the region of subnet subnet-bj's VPC vpc-dev";
    refused(&mut s, None, &new, says);
    assert_eq!(*s.plan(), example(), "nothing saved");

    // A VPC moved to another region than its subnets' zones: refused, naming the subnet.
    open(&mut s, ObjectKind::Vpc, Some("vpc-dev"));
    set(&mut s, "region", "ap-beijing");
    assert_eq!(s.update(Action::SubmitForm), Effect::Refused);
    let lines = s.view().form.expect("the form stays open").lines;
    let says = "subnet-dev: ap-guangzhou-3 is a zone of ap-guangzhou, not of ap-beijing, the region of subnet \
                subnet-dev's VPC vpc-dev";
    assert_eq!(lines, [says]);
    s.update(Action::CloseForm);
    s.update(Action::DiscardForm);
    assert_eq!(*s.plan(), example(), "nothing saved");

    // The new subnet in a zone of its VPC's region saves, and so do an empty zone and one that names no region.
    for zone in ["ap-guangzhou-4", "", "zone-a", "gz-3"] {
        open(&mut s, ObjectKind::Subnet, None);
        for (key, value) in &new[..3] {
            set(&mut s, key, value);
        }
        set(&mut s, "zone", zone);
        assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged, "{zone:?}");
        assert_eq!(s.plan().vpcs[1].subnets[1].zone, zone);
        s.update(Action::Undo);
    }

    // A plan that already has one opens, and its subnet is edited.
    let mut old = example();
    old.vpcs[0].subnets[2].zone = "ap-beijing-1".into(); // subnet-extra
    let mut s = Session::new(old);
    open(&mut s, ObjectKind::Subnet, Some("subnet-extra"));
    set(&mut s, "name", "extra-bj");
    assert_eq!(s.update(Action::SubmitForm), Effect::PlanChanged);
}
