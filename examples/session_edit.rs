//! Times what the browser app does per edit at Tencent's largest realistic plan (scale 1 of
//! `domain::synth::plan`: 20 VPCs, 2,000 linked CVMs, 5,000 VPC resources), natively: the reducer clones the
//! session, applies the action, then builds the view model (which runs the check on the new plan).
//!
//! Run: `cargo run --release --example session_edit [scale] [rounds]`. Prints median / p90 / max per action kind;
//! asserts only that the edits did what they should.

use classiclink::domain::synth;
use classiclink::session::{Action, Effect, ObjectKind, Session};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn stats(name: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{name:<28} median {:>8.2} ms  p90 {:>8.2} ms  max {:>8.2} ms  ({} runs)",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 9 / 10]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

/// One edit as the UI does it: clone the session (the reducer), update, view.
fn edit(s: &mut Session, action: Action) -> (Effect, Duration) {
    let t = Instant::now();
    let mut next = s.clone();
    let effect = next.update(action);
    black_box(next.view());
    let d = t.elapsed();
    *s = next;
    (effect, d)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let scale: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let plan = synth::plan(scale);
    let t = Instant::now();
    let mut s = Session::new(plan);
    black_box(s.view());
    {
        let v = s.view();
        println!(
            "findings {} expectations {} endpoints {} others {} nodes {} edges {}",
            v.findings.len(),
            v.expectations.len(),
            v.endpoints.all().len(),
            v.others.len(),
            v.diagram.nodes.len(),
            v.diagram.edges.len()
        );
    }
    println!("open + first view: {:.2} ms", t.elapsed().as_secs_f64() * 1e3);

    let (mut unlink, mut link, mut ip, mut form, mut select) = (vec![], vec![], vec![], vec![], vec![]);
    for i in 0..rounds {
        let vpc = "vpc-r0-0".to_string();
        let instances = vec![format!("ins-r0-{i}")];
        let links = s.plan().links.len();
        let (e, d) = edit(&mut s, Action::Unlink { vpc: vpc.clone(), instances: instances.clone() });
        assert_eq!((e, s.plan().links.len()), (Effect::PlanChanged, links - 1));
        unlink.push(d);
        let (e, d) = edit(&mut s, Action::Link { vpc, instances });
        assert_eq!((e, s.plan().links.len()), (Effect::PlanChanged, links));
        link.push(d);
        let (e, d) = edit(
            &mut s,
            Action::ChangeIp { instance: format!("ins-r0-{}", 500 + i), ip: format!("10.66.200.{}", 1 + i) },
        );
        assert_eq!(e, Effect::PlanChanged);
        ip.push(d);
        let (_, d) = edit(&mut s, Action::Select(Some(format!("ins-r0-{}", 700 + i))));
        select.push(d);
        // A form edit: open the VPC's form, type a name, submit.
        let t = Instant::now();
        let id = format!("vpc-r0-{}", i % 20);
        edit(&mut s, Action::OpenForm { kind: ObjectKind::Vpc, id: Some(id.clone()), vpc: None });
        edit(&mut s, Action::SetField { key: "name".into(), value: format!("edited {i}") });
        let (e, _) = edit(&mut s, Action::SubmitForm);
        assert_eq!(e, Effect::PlanChanged);
        assert_eq!(s.plan().vpc(&id).map(|v| v.name.as_str()), Some(format!("edited {i}").as_str()));
        form.push(t.elapsed());
    }
    // Where one edit's time goes (change IP): clone, update (the core op), check, view.
    let (mut tc, mut tu, mut tk, mut tv) = (vec![], vec![], vec![], vec![]);
    for i in 0..rounds {
        let t = Instant::now();
        let mut next = s.clone();
        tc.push(t.elapsed());
        let t = Instant::now();
        next.update(Action::ChangeIp { instance: format!("ins-r0-{}", 900 + i), ip: format!("10.66.201.{}", 1 + i) });
        tu.push(t.elapsed());
        let t = Instant::now();
        black_box(next.report());
        tk.push(t.elapsed());
        let t = Instant::now();
        black_box(next.view());
        tv.push(t.elapsed());
        s = next;
    }
    stats("  phase: clone session", &mut tc);
    stats("  phase: update", &mut tu);
    stats("  phase: check", &mut tk);
    stats("  phase: view", &mut tv);
    stats("unlink", &mut unlink);
    stats("link", &mut link);
    stats("change ip", &mut ip);
    stats("select", &mut select);
    stats("form open+type+submit", &mut form);
}
