//! Times each phase of a check at scale 1 and scale 10, and prints the ratio of each: where a scale-10 check spends
//! the time it spends beyond ten scale-1 checks (docs/performance.md). Each phase is run 30 times in a row and its
//! median printed, so a scale-1 phase runs from the CPU caches and a scale-10 phase mostly from memory, as in the
//! check bench's alternating blocks.
//!
//! `cargo run --profile bench --example phase_times`. "Network, nothing asked" is the network without its index of
//! the expectations' endpoints: the difference to the row above is that index (one scan of every object).

use classiclink::domain::{self, rules, synth, FilterRule, Network, Plan, Resource};
use std::hint::black_box;
use std::time::Instant;

/// The median of 30 runs of `f`, in microseconds.
fn median_us<R>(f: impl Fn() -> R) -> f64 {
    let mut runs: Vec<f64> = (0..30)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn main() {
    let small: &Plan = Box::leak(Box::new(synth::plan(1)));
    let large: &Plan = Box::leak(Box::new(synth::plan(10)));
    let ends = |p: &'static Plan| p.expectations.iter().flat_map(|e| [&e.from, &e.to]);
    let asked = |p: &Network<'_>, plan: &Plan| {
        plan.expectations.iter().filter(|e| p.reach(&e.from, &e.to, e.protocol(), e.port()).is_ok()).count()
    };
    let (net_small, net_large) =
        (Network::for_endpoints(small, ends(small)), Network::for_endpoints(large, ends(large)));
    let (ctx_small, ctx_large) = (rules::Context::new(small), rules::Context::new(large));

    let mut rows: Vec<(String, f64, f64)> = vec![
        ("check".into(), median_us(|| domain::check(small)), median_us(|| domain::check(large))),
        ("Refs::new".into(), median_us(|| domain::Refs::new(small)), median_us(|| domain::Refs::new(large))),
        (
            "Network::for_endpoints".into(),
            median_us(|| Network::for_endpoints(small, ends(small))),
            median_us(|| Network::for_endpoints(large, ends(large))),
        ),
        (
            "Network, nothing asked".into(),
            median_us(|| Network::for_endpoints(small, [])),
            median_us(|| Network::for_endpoints(large, [])),
        ),
        ("Context::new".into(), median_us(|| rules::Context::new(small)), median_us(|| rules::Context::new(large))),
        ("expectations".into(), median_us(|| asked(&net_small, small)), median_us(|| asked(&net_large, large))),
    ];
    for r in rules::catalogue() {
        rows.push((format!("rule {}", r.info.id), median_us(|| r.run(&ctx_small)), median_us(|| r.run(&ctx_large))));
    }
    println!("{:24} {:>12} {:>12} {:>7}", "phase", "scale 1", "scale 10", "ratio");
    for (name, a, b) in rows {
        println!("{name:24} {a:9.1} us {b:9.1} us {:6.1}x", b / a.max(0.05));
    }
    let size = std::mem::size_of::<Resource>();
    println!(
        "bytes a classic instance, VPC resource, rule: {}, {size}, {}",
        std::mem::size_of::<domain::ClassicInstance>(),
        std::mem::size_of::<FilterRule>()
    );
}
