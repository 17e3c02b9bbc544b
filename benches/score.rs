//! Scoring speed with the shipped model: single-comment latency (p50/p99, warm) and batch
//! throughput on one core, on 300-character comments. Prints figures; run with
//! `cargo bench --bench score`.

use commentguard::features::Context;
use commentguard::Moderator;
use std::time::Instant;

/// 300-character comments built from the shipped sample thread's sentences (no corpus text).
fn comments(n: usize) -> Vec<String> {
    let src = include_str!("../examples/data/sample-thread.txt");
    let sentences: Vec<&str> = src
        .split(['.', '!', '?', '\n'])
        .map(str::trim)
        .filter(|s| s.len() > 20 && !s.starts_with("Liked by"))
        .collect();
    (0..n)
        .map(|i| {
            let mut s = String::new();
            let mut k = i;
            while s.len() < 300 {
                s.push_str(sentences[k % sentences.len()]);
                s.push_str(". ");
                k = k.wrapping_mul(31).wrapping_add(7);
            }
            s.truncate(s.floor_char_boundary(300));
            s
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    // `cargo test --benches` runs benches with --bench absent: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let m = Moderator::default_model().expect("the shipped model");
    let texts = comments(if quick { 200 } else { 20_000 });
    let ctx = Context::default();
    // Warm up.
    for t in texts.iter().take(2000) {
        std::hint::black_box(m.probabilities(t, &ctx));
    }
    // Latency of the fast path (scores only) and of the full verdict (with reasons when flagged).
    for (name, full) in [("probabilities", false), ("score (verdict)", true)] {
        let mut lat = Vec::with_capacity(texts.len());
        for t in &texts {
            let t0 = Instant::now();
            if full {
                std::hint::black_box(m.score(t));
            } else {
                std::hint::black_box(m.probabilities(t, &ctx));
            }
            lat.push(t0.elapsed().as_secs_f64() * 1e6);
        }
        lat.sort_by(f64::total_cmp);
        println!(
            "single comment, 300 chars, warm, {name}: p50 {:.2} µs, p99 {:.2} µs (n = {})",
            percentile(&lat, 0.5),
            percentile(&lat, 0.99),
            lat.len()
        );
    }
    // Batch throughput on one core (this thread).
    let rounds = if quick { 1 } else { 5 };
    let t0 = Instant::now();
    for _ in 0..rounds {
        for t in &texts {
            std::hint::black_box(m.probabilities(t, &ctx));
        }
    }
    let n = (texts.len() * rounds) as f64;
    println!(
        "batch, one core, probabilities: {:.0} comments/s",
        n / t0.elapsed().as_secs_f64()
    );
    // Two cores with rayon.
    use rayon::prelude::*;
    let t0 = Instant::now();
    for _ in 0..rounds {
        texts.par_iter().for_each(|t| {
            std::hint::black_box(m.probabilities(t, &ctx));
        });
    }
    println!(
        "batch, {} threads (rayon), probabilities: {:.0} comments/s",
        rayon::current_num_threads(),
        n / t0.elapsed().as_secs_f64()
    );
}
