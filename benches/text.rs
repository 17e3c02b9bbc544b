//! Normalisation and tokenisation on 300-character comments, ours side by side with the
//! `tokenizers` crate's NFKC normalizer and pre-tokenizers.
//!
//! Run: `cargo bench --bench text -- --warm-up-time 1 --measurement-time 3`.
//! Each benchmark processes the whole set of `COMMENTS` comments per iteration; divide the
//! time by `COMMENTS` for the per-comment figure (also printed at start).

use commentguard::text::{normalize, words, Normalized, Normalizer};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use tokenizers::normalizers::NFKC;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::pre_tokenizers::whitespace::Whitespace;
use tokenizers::{NormalizedString, Normalizer as _, PreTokenizedString, PreTokenizer as _};

const COMMENTS: usize = 64;
const TARGET: usize = 300;

const SENTENCES: &[&str] = &[
    "Honestly, I think the author makes a fair point about the zoning rules.",
    "Did anyone else read the 2020 report? The numbers (page 12) don't add up!",
    "THIS is exactly why nobody trusts the council anymore...",
    "My neighbour has 3 cats and they're lovely, thanks for asking.",
    "You clearly didn't read the article; go back and try again.",
    "Great post -- bookmarked it for later. Keep up the good work!",
    "I disagree with most of this, but it's well argued.",
    "Why do people keep posting links without reading them first?",
    "See https://example.com/page?id=42 for the full quote.",
    "lol, that's the funniest thing I've read all week",
];

/// Obfuscated words, one per comment.
const OBFUSCATED: &[&str] = &[
    "S.C.U.M", "n1gg@", "sh!t", "scuuuum", "f#ck", "s c u m", "1d10t",
];

/// Non-ASCII snippets for the mixed set.
const NON_ASCII: &[&str] = &[
    "café",
    "naïve",
    "🐀🐀",
    "👍🏽",
    "Straße",
    "ѕсυм",
    "“quoted”",
    "—",
];

fn comments(non_ascii: bool) -> Vec<String> {
    let mut out = Vec::with_capacity(COMMENTS);
    let mut k = 0usize;
    for i in 0..COMMENTS {
        let mut s = String::new();
        while s.len() < TARGET {
            let sentence = SENTENCES[k % SENTENCES.len()];
            k += 7;
            s.push_str(sentence);
            s.push(' ');
            if s.len() > TARGET / 2 && !s.contains('#') {
                s.push_str(OBFUSCATED[i % OBFUSCATED.len()]);
                s.push_str(" # ");
            }
            if non_ascii && s.len() > TARGET / 3 && !s.contains('%') {
                s.push_str(NON_ASCII[i % NON_ASCII.len()]);
                s.push_str(" % ");
            }
        }
        let mut end = TARGET.min(s.len());
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        out.push(s);
    }
    out
}

fn bench(c: &mut Criterion) {
    let ascii = comments(false);
    let mixed = comments(true);
    assert_eq!(ascii.len(), COMMENTS);
    assert!(ascii.iter().all(|s| s.len() == TARGET && s.is_ascii()));
    assert!(mixed.iter().filter(|s| !s.is_ascii()).count() >= COMMENTS / 2);
    // Asserted counts: the obfuscations are undone.
    let folded = ascii
        .iter()
        .filter(|s| {
            let n = normalize(s);
            ["scum", "nigga", "shit", "scuum", "f*ck", "idiot"]
                .iter()
                .any(|w| words(n.as_str()).any(|r| &n.as_str()[r] == *w))
        })
        .count();
    assert_eq!(folded, COMMENTS, "every comment holds one folded word");
    let total_words: usize = ascii
        .iter()
        .map(|s| words(normalize(s).as_str()).count())
        .sum();
    eprintln!(
        "{COMMENTS} comments of {TARGET} bytes, {total_words} words; divide times by {COMMENTS}"
    );

    let normalizer = Normalizer::default();
    for (name, set) in [("ascii", &ascii), ("mixed", &mixed)] {
        let mut g = c.benchmark_group(format!("text_{name}"));
        g.throughput(Throughput::Elements(COMMENTS as u64));
        let mut out = Normalized::default();
        g.bench_function("ours_normalize", |b| {
            b.iter(|| {
                for s in set.iter() {
                    normalizer.normalize_into(black_box(s), &mut out);
                    black_box(out.len());
                }
            })
        });
        let stages = [
            (
                "stage_fold",
                Normalizer::default()
                    .collapse_separators(false)
                    .fold_leet(false)
                    .max_repeat(usize::MAX),
            ),
            (
                "stage_fold_sep",
                Normalizer::default()
                    .fold_leet(false)
                    .max_repeat(usize::MAX),
            ),
        ];
        for (stage, nz) in stages {
            g.bench_function(stage, |b| {
                b.iter(|| {
                    for s in set.iter() {
                        nz.normalize_into(black_box(s), &mut out);
                        black_box(out.len());
                    }
                })
            });
        }
        g.bench_function("ours_words", |b| {
            b.iter(|| {
                for s in set.iter() {
                    black_box(words(black_box(s)).count());
                }
            })
        });
        g.bench_function("ours_normalize_words", |b| {
            b.iter(|| {
                let mut n = 0;
                for s in set.iter() {
                    normalizer.normalize_into(black_box(s), &mut out);
                    n += words(out.as_str()).count();
                }
                black_box(n)
            })
        });
        g.bench_function("tokenizers_nfkc", |b| {
            b.iter(|| {
                for s in set.iter() {
                    let mut ns = NormalizedString::from(black_box(s.as_str()));
                    let _ = NFKC.normalize(&mut ns);
                    black_box(ns.len());
                }
            })
        });
        g.bench_function("tokenizers_bert_pretok", |b| {
            b.iter(|| {
                for s in set.iter() {
                    let mut p = PreTokenizedString::from(black_box(s.as_str()));
                    let _ = BertPreTokenizer.pre_tokenize(&mut p);
                    black_box(
                        p.get_splits(
                            tokenizers::OffsetReferential::Original,
                            tokenizers::OffsetType::Byte,
                        )
                        .len(),
                    );
                }
            })
        });
        g.bench_function("tokenizers_whitespace", |b| {
            b.iter(|| {
                for s in set.iter() {
                    let mut p = PreTokenizedString::from(black_box(s.as_str()));
                    let _ = Whitespace.pre_tokenize(&mut p);
                    black_box(
                        p.get_splits(
                            tokenizers::OffsetReferential::Original,
                            tokenizers::OffsetType::Byte,
                        )
                        .len(),
                    );
                }
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
