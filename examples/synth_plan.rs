//! Prints the synthetic plan of a scale as plan JSON: `cargo run -q --example synth_plan 1 > scale1.json`.
//!
//! Scale 1 is Tencent's largest realistic region (20 VPCs, 2,000 linked classic CVMs, 5,000 VPC resources, 200
//! security groups of 50 rules, 100 expectations), the plan the benchmarks measure. Import it into the app (Import,
//! then choose the file) to try the app at that size.

use classiclink::domain::{self, synth};

fn main() {
    let scale = match std::env::args().nth(1).map(|a| a.parse::<usize>()) {
        None => 1,
        Some(Ok(n)) if n >= 1 => n,
        Some(_) => {
            eprintln!("usage: synth_plan [SCALE]   (a whole number, 1 or more; default 1)");
            std::process::exit(2);
        }
    };
    print!("{}", domain::export(&synth::plan(scale)));
}
