//! Runs the full check `N` times on the synthetic plan of a scale, and nothing else: a steady loop for profilers.
//!
//! `cargo build --profile bench --example check_loop`, then for instance
//! `valgrind --tool=cachegrind --cache-sim=yes --D1=65536,8,64 --LL=2097152,16,64 target/release/examples/check_loop 10 3`
//! (the LL cache set to this machine's 2 MiB L2) and the same with `1` check: the difference is one check's
//! instructions and cache misses. The README's "Speed" section quotes these counts.

use classiclink::domain::{self, synth};
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().expect("usage: check_loop SCALE CHECKS"));
    let scale = args.next().unwrap_or(1);
    let checks = args.next().unwrap_or(1);
    let plan = synth::plan(scale);
    for _ in 0..checks {
        black_box(domain::check(black_box(&plan)));
    }
}
