//! Benchmark: the app's actions on Tencent's largest realistic plan (scale 1 of `domain::synth::plan`: 20 VPCs,
//! 2,000 linked CVMs, 5,000 VPC resources), natively. Each action is applied to a copy of a prepared session, then
//! the view model is built, as the browser does. The edits are timed in the browser too (`tests/browser_bench.rs`);
//! this covers the rest: bulk linking, the reach matrix, the Tools pages (diff with its flows, migration checklist,
//! exports), import and share links. Prints numbers; asserts nothing about time.
//!
//! Run: `cargo bench --bench app`. What the UI does in one step should stay well under a second here (the browser
//! is a few times slower than native code).

use classiclink::domain::{export::ExportFormat, ops::Event, synth};
use classiclink::session::{Action, ObjectKind, Session, ToolAction, ToolPage};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Applies `action` to a copy of `base` (and builds the view model) `runs` times; prints the median and the slowest.
fn time(base: &Session, name: &str, runs: usize, action: impl Fn() -> Action) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let mut s = base.clone();
            let a = action();
            let t = Instant::now();
            s.update(a);
            black_box(s.view());
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("{name:<46} median {:>9.2} ms  max {:>9.2} ms  ({runs} runs)", ms(times[runs / 2]), ms(times[runs - 1]));
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: then one run of each.
    let runs = if std::env::args().any(|a| a == "--bench") { 7 } else { 1 };
    if runs == 1 {
        println!("quick run (`cargo test`, no `--bench`): one run of each, a smoke test; the figures mean nothing");
    }
    let plan = synth::plan(1);
    let t = Instant::now();
    let s = Session::new(plan.clone());
    black_box(s.view());
    println!("{:<46} {:>16.2} ms", "open the plan + first view model", t.elapsed().as_secs_f64() * 1e3);

    let ins: Vec<String> = plan.classic.iter().take(50).map(|c| c.id.to_string()).collect();
    let all: Vec<String> = plan.classic.iter().map(|c| c.id.to_string()).collect();
    let (v0, v1) = (plan.vpcs[0].id.clone(), plan.vpcs[1].id.clone());
    let res = plan.vpcs[0].resources[3].id.clone();

    time(&s, "search by private IP", runs, || Action::Search("10.66.0.5".into()));
    time(&s, "check all 2,000 instances", runs, || Action::SetChecks(all.clone()));
    time(&s, "try linking 50 instances", runs, || Action::TryLink { vpc: v1.to_string(), instances: ins.clone() });
    time(&s, "unlink 50 instances", runs, || Action::Unlink { vpc: v0.to_string(), instances: ins.clone() });
    time(&s, "lifecycle event (isolate for arrears)", runs, || Action::ApplyEvent {
        instance: ins[1].clone(),
        event: Event::IsolateForArrears,
    });
    time(&s, "reach query", runs, || Action::Reach {
        from: ins[3].clone(),
        to: res.to_string(),
        protocol: "TCP".into(),
        port: "22".into(),
    });
    time(&s, "reach matrix (40 CVMs x 40 resources)", runs, || Action::Matrix {
        vpc: v0.to_string(),
        protocol: "TCP".into(),
        port: "22".into(),
    });
    time(&s, "open the form of a security group (50 rules)", runs, || Action::OpenForm {
        kind: ObjectKind::SecurityGroup,
        id: Some(plan.security_groups[0].id.to_string()),
        vpc: None,
    });
    time(&s, "delete an instance", runs, || Action::Delete { id: ins[5].clone() });

    // The Tools tab, against a baseline: the plan before 50 instances were unlinked.
    let mut tools = s.clone();
    tools.update(Action::Tools(ToolAction::Show(true)));
    tools.update(Action::Tools(ToolAction::SetBaseline));
    tools.update(Action::Unlink { vpc: v0.to_string(), instances: ins.clone() });
    for page in [ToolPage::Export, ToolPage::Diff, ToolPage::Migrate] {
        time(&tools, &format!("Tools: {page:?} page"), runs, || Action::Tools(ToolAction::Page(page)));
    }
    tools.update(Action::Tools(ToolAction::Page(ToolPage::Diff)));
    time(&tools, "Tools: diff flows on another port", runs, || {
        Action::Tools(ToolAction::DiffFlows { protocol: "TCP".into(), port: "3306".into() })
    });
    tools.update(Action::Tools(ToolAction::Page(ToolPage::Export)));
    for f in [ExportFormat::Tccli, ExportFormat::Terraform, ExportFormat::Api] {
        time(&tools, &format!("Tools: export as {f:?}"), runs, || Action::Tools(ToolAction::ExportFormat(f)));
    }

    let json = s.export_json();
    time(&s, &format!("import the plan's JSON ({} KiB)", json.len() / 1024), runs, || Action::ImportJson(json.clone()));
    let t = Instant::now();
    let fragment = s.share_fragment();
    println!(
        "{:<46} {:>16.2} ms",
        format!("make the share link ({} KiB)", fragment.len() / 1024),
        t.elapsed().as_secs_f64() * 1e3
    );
}
