//! Lexicon matching on 300-character comments (already normalised: this measures the
//! matcher alone, `find_into` with a reused buffer).
//!
//! Run: `cargo bench --bench lexicon -- --warm-up-time 1 --measurement-time 3`.
//! Each iteration matches all `COMMENTS` comments; divide by `COMMENTS` for the per-comment
//! figure. The hit count is asserted so the work cannot be optimised away. `words_only` is
//! the tokeniser alone over the same text, for comparison.

use commentguard::lexicon::{Hit, Lexicon};
use commentguard::text::{normalize, Normalized};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

const COMMENTS: usize = 64;
const TARGET: usize = 300;

const SENTENCES: &[&str] = &[
    "Honestly, I think the author makes a fair point about the zoning rules.",
    "Did anyone else read the 2020 report? The numbers (page 12) don't add up!",
    "THIS is exactly why nobody trusts the council anymore...",
    "My neighbour has 3 cats and they're lovely, thanks for asking.",
    "You clearly didn't read the article; go back and try again.",
    "They breed like rats and should be wiped out, the vermin.",
    "Calling people subhuman is not okay, that's racist.",
    "Why do people keep posting links without reading them first?",
    "Stop using that word, it is a slur and you know it.",
    "lol, that's the funniest thing I've read all week, what an idiot",
];

fn comments() -> Vec<Normalized> {
    (0..COMMENTS)
        .map(|i| {
            let mut s = String::new();
            let mut j = i;
            while s.len() < TARGET {
                s.push_str(SENTENCES[j % SENTENCES.len()]);
                s.push(' ');
                j += 3;
            }
            normalize(&s)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let lex = Lexicon::default();
    let docs = comments();
    let mut out: Vec<Hit> = Vec::new();
    let mut total = 0;
    for d in &docs {
        lex.find_into(d, &mut out);
        total += out.len();
    }
    assert!(
        total > COMMENTS,
        "only {total} hits over {COMMENTS} comments"
    );
    eprintln!(
        "lexicon: {} entries, {total} hits over {COMMENTS} comments",
        lex.len()
    );
    let mut g = c.benchmark_group("lexicon");
    g.throughput(Throughput::Elements(COMMENTS as u64));
    g.bench_function("find_into_300_chars", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                lex.find_into(black_box(d), &mut out);
                n += out.len();
            }
            assert_eq!(n, total);
            n
        })
    });
    g.bench_function("words_only_300_chars", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                n += commentguard::text::words(black_box(d.as_str())).count();
            }
            n
        })
    });
    g.bench_function("default_clone", |b| {
        b.iter(|| black_box(Lexicon::default()).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
