//! Scoring speed with the shipped model: single-comment latency (p50/p99, warm) and batch
//! throughput on one core, on 300-character comments. Prints figures; run with
//! `cargo bench --bench score`.
//!
//! Two text sets: sentences of the shipped sample thread (a small vocabulary, so nearly every
//! word is in the scorer's per-word cache: its best case), and, when `COMMENTGUARD_DATA` is
//! set, comments of every training corpus in file order (a real vocabulary: the figure to
//! quote). No text is scored twice: each figure comes from its own slice of distinct
//! comments, after a warm-up slice, as a stream of new comments would be.
//!
//! `COMMENTGUARD_BENCH_PROFILE=N` only runs the fast path N times over the last set, for
//! `perf record`; its figure repeats texts, so it is not one to quote.

use commentguard::features::{Context, FeatureVec, Scratch};
use commentguard::model::SparseRow;
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
    to_300(&sentences, n)
}

/// Up to `n` distinct 300-character comments from the training corpora (all splits, in file
/// order; consecutive texts joined until 300 characters, none used twice), when
/// `COMMENTGUARD_DATA` is set.
fn corpus_comments(n: usize) -> Option<Vec<String>> {
    use commentguard::train::datasets::{data_root_from_env, load_all, Use};
    let root = data_root_from_env()?;
    let rows = load_all(&root, Use::Train).expect("the corpora under COMMENTGUARD_DATA");
    let mut out = Vec::with_capacity(n);
    let mut s = String::new();
    for r in &rows {
        s.push_str(&r.text);
        s.push(' ');
        if s.len() >= 300 {
            truncate_300(&mut s);
            out.push(std::mem::take(&mut s));
            if out.len() == n {
                break;
            }
        }
    }
    Some(out)
}

/// `n` comments of 300 characters made of `sentences` in a scrambled order.
fn to_300(sentences: &[&str], n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let mut s = String::new();
            let mut k = i;
            while s.len() < 300 {
                s.push_str(sentences[k % sentences.len()]);
                s.push_str(". ");
                k = k.wrapping_mul(31).wrapping_add(7);
            }
            truncate_300(&mut s);
            s
        })
        .collect()
}

/// Cuts `s` to at most 300 bytes, at a character boundary.
fn truncate_300(s: &mut String) {
    let mut end = s.len().min(300);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    // `cargo test --benches` runs benches with --bench absent: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let m = Moderator::default_model().expect("the shipped model");
    // A warm-up slice and five measured slices of 20,000 (fewer where the corpora run out).
    let n = if quick { 260 } else { 104_000 };
    let mut sets = vec![("sample-thread sentences", comments(n))];
    match corpus_comments(n) {
        Some(c) => sets.push(("corpus texts", c)),
        None => println!("corpus texts: skipped (set COMMENTGUARD_DATA to measure on them)"),
    }
    // For profiling (`perf record`): only the fast path on the last set, over and over.
    if let Ok(rounds) = std::env::var("COMMENTGUARD_BENCH_PROFILE") {
        let rounds: usize = rounds.parse().unwrap_or(20);
        let (set, texts) = sets.last().expect("at least one set");
        let ctx = Context::default();
        let t0 = Instant::now();
        for _ in 0..rounds {
            for t in texts {
                std::hint::black_box(m.probabilities(t, &ctx));
            }
        }
        let n = (texts.len() * rounds) as f64;
        println!(
            "{set}: profile run, probabilities: {:.0} comments/s",
            n / t0.elapsed().as_secs_f64()
        );
        return;
    }
    for (set, texts) in &sets {
        run(&m, set, texts);
    }
}

/// Times the scorer on `texts`, each measurement on its own slice of them: the per-thread
/// word cache is warmed on the first slice and never sees a measured text before it is
/// measured (repeating texts would make every word a cache hit).
fn run(m: &Moderator, set: &str, texts: &[String]) {
    let ctx = Context::default();
    let warm = (texts.len() / 26).max(1);
    let (warm_up, rest) = texts.split_at(warm);
    let part = rest.len() / 5;
    let mut parts = rest.chunks(part.max(1));
    let mut next = || parts.next().unwrap_or_default();
    for t in warm_up {
        std::hint::black_box(m.probabilities(t, &ctx));
    }
    // The rayon workers keep their own caches: warm them on the same slice.
    use rayon::prelude::*;
    warm_up.par_iter().for_each(|t| {
        std::hint::black_box(m.probabilities(t, &ctx));
    });
    // Latency of the fast path (scores only) and of the full verdict (with reasons when flagged).
    for (name, full) in [("probabilities", false), ("score (verdict)", true)] {
        let slice = next();
        let mut lat = Vec::with_capacity(slice.len());
        for t in slice {
            let t0 = Instant::now();
            if full {
                std::hint::black_box(m.score(t));
            } else {
                std::hint::black_box(m.probabilities(t, &ctx));
            }
            lat.push(t0.elapsed().as_secs_f64() * 1e6);
        }
        lat.sort_by(f64::total_cmp);
        // The mean gives the one-core rate of this path (timer overhead included): for the
        // verdict, what a batch of verdicts with reasons (the CLI's path) runs at.
        let mean = lat.iter().sum::<f64>() / lat.len().max(1) as f64;
        println!(
            "{set}: single comment, 300 chars, warm, {name}: p50 {:.2} µs, p99 {:.2} µs, mean {mean:.2} µs = {:.0} comments/s (n = {})",
            percentile(&lat, 0.5),
            percentile(&lat, 0.99),
            1e6 / mean.max(1e-9),
            lat.len()
        );
    }
    // Batch throughput on one core (this thread).
    let slice = next();
    let t0 = Instant::now();
    for t in slice {
        std::hint::black_box(m.probabilities(t, &ctx));
    }
    println!(
        "{set}: batch, one core, probabilities: {:.0} comments/s (n = {})",
        slice.len() as f64 / t0.elapsed().as_secs_f64(),
        slice.len()
    );
    // The same on the feature-vector path the scorer used before its word cache (features
    // into a vector, then the model's `logits_into`), for a side-by-side figure.
    let space = m.feature_space();
    let model = m.model();
    let (mut sc, mut fv) = (Scratch::default(), FeatureVec::default());
    let mut logits = vec![0f32; model.labels().len()];
    let slice = next();
    let t0 = Instant::now();
    for t in slice {
        space.extract(t, &ctx, &mut sc, &mut fv);
        let row = SparseRow::new(&fv.indices, &fv.values).expect("a valid row");
        model.logits_into(&row, &mut logits);
        std::hint::black_box(&logits);
    }
    println!(
        "{set}: batch, one core, logits by the feature-vector path (no word cache): {:.0} comments/s (n = {})",
        slice.len() as f64 / t0.elapsed().as_secs_f64(),
        slice.len()
    );
    // Two cores with rayon.
    let slice = next();
    let t0 = Instant::now();
    slice.par_iter().for_each(|t| {
        std::hint::black_box(m.probabilities(t, &ctx));
    });
    println!(
        "{set}: batch, {} threads (rayon), probabilities: {:.0} comments/s (n = {})",
        rayon::current_num_threads(),
        slice.len() as f64 / t0.elapsed().as_secs_f64(),
        slice.len()
    );
}
