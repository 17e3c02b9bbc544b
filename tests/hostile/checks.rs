//! Invariants checked on hostile input, shared by `tests/hostile.rs` (which replays the fuzz
//! corpus through them) and the fuzz targets in `fuzz/` (which include this file).
//!
//! Every `fuzz_*` function takes arbitrary bytes and panics only when an invariant breaks:
//! a reader, the normaliser, the lexicon or the moderator panicking, a thread whose walk
//! loses or repeats a comment, a span outside its text or off a char boundary, a score that
//! is not a probability, or an error about the input that carries no position.
#![allow(dead_code)]

use commentguard::features::Context;
use commentguard::lexicon::Lexicon;
use commentguard::text::{normalize, Normalized};
use commentguard::{ErrorKind, Format, Moderator, ReadOptions, Thread, Verdict};
use std::ops::Range;
use std::sync::OnceLock;

/// The moderator used by the checks (the shipped model), built once.
pub fn moderator() -> &'static Moderator {
    static M: OnceLock<Moderator> = OnceLock::new();
    M.get_or_init(|| Moderator::default_model().expect("the default model loads"))
}

/// The built-in lexicon, checked to load.
pub fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| Lexicon::builtin().expect("the built-in lexicon loads"))
}

/// `r` lies within `text` and on its char boundaries.
pub fn check_span(text: &str, r: &Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what}: {r:?} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what}: {r:?} not on char boundaries of {text:?}"
    );
}

/// The alignment contract of [`Normalized`]: every normalised byte maps to a span of the
/// original on char boundaries, starts and ends never decrease, and `original_range` of any
/// range (even out of bounds or reversed) is a valid range of the original.
pub fn check_normalized(original: &str, n: &Normalized) {
    assert_eq!(n.original_len(), original.len(), "original_len");
    let mut last = (0usize, 0usize);
    for i in 0..n.len() {
        let s = n
            .span_of(i)
            .unwrap_or_else(|| panic!("no span for byte {i}"));
        check_span(original, &s, "span_of");
        assert!(
            s.start >= last.0 && s.end >= last.1,
            "spans decrease at byte {i}: {last:?} then {s:?} for {original:?}"
        );
        last = (s.start, s.end);
    }
    assert!(n.span_of(n.len()).is_none(), "span past the end");
    let text = n.as_str();
    let mut cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(7).collect();
    cuts.push(text.len());
    cuts.push(text.len() + 3);
    for &a in &cuts {
        for &b in &cuts {
            let r = n.original_range(a..b);
            check_span(original, &r, "original_range");
        }
    }
}

/// Lexicon hits: normalised spans inside the normalised text, original spans inside the
/// original, both on char boundaries, in text order.
pub fn check_hits(original: &str, n: &Normalized, hits: &[commentguard::lexicon::Hit]) {
    let mut last = 0;
    for h in hits {
        check_span(n.as_str(), &h.norm, "hit.norm");
        check_span(original, &h.original, "hit.original");
        assert!(!h.norm.is_empty(), "empty hit {h:?}");
        assert!(h.norm.start >= last, "hits out of order: {hits:?}");
        last = h.norm.start;
        assert!(lexicon().entry(h.entry).is_some(), "no entry {}", h.entry);
    }
}

/// A verdict: scores are probabilities, flags are consistent with the thresholds, every
/// reason's span is a slice of the scored text that reads as the reason's text.
pub fn check_verdict(text: &str, v: &Verdict, m: &Moderator) {
    for (l, s) in commentguard::Label::ALL.iter().zip(v.scores) {
        assert!(s.is_finite() && (0.0..=1.0).contains(&s), "{l}: {s}");
    }
    for l in &v.flags {
        // toxic is added whenever anything else is flagged
        if *l != commentguard::Label::Toxic {
            assert!(
                v.score(*l) >= m.threshold(*l),
                "{l} flagged below threshold"
            );
        }
    }
    assert_eq!(v.flags.is_empty(), v.action == commentguard::Action::Allow);
    for r in &v.reasons {
        check_span(text, &(r.start..r.end), "reason");
        assert_eq!(r.text, text[r.start..r.end], "reason text");
        assert!(r.weight.is_finite(), "reason weight {}", r.weight);
        assert!(v.flags.contains(&r.label), "reason for an unflagged label");
    }
}

/// A thread read from anywhere: walk visits every comment exactly once with a consistent
/// depth and parent, quotes are sorted, disjoint and on char boundaries of the text.
pub fn check_thread(t: &Thread) {
    let n = t.len();
    let mut seen = vec![false; n];
    let mut depth = vec![0u32; n];
    for v in t.walk() {
        assert!(v.index < n, "walk index {} of {n}", v.index);
        assert!(!seen[v.index], "comment {} visited twice", v.index);
        seen[v.index] = true;
        assert_eq!(v.parent, t.parent(v.index));
        match v.parent {
            None => assert_eq!(v.depth, 1),
            Some(p) => {
                assert!(seen[p], "child {} before its parent {p}", v.index);
                assert_eq!(v.depth, depth[p] + 1);
            }
        }
        depth[v.index] = v.depth;
    }
    assert!(seen.iter().all(|s| *s), "walk missed comments");
    for i in 0..n {
        for c in t.children(i) {
            assert_eq!(t.parent(c), Some(i));
        }
    }
    assert_eq!(
        t.roots().count() + (0..n).filter(|&i| t.parent(i).is_some()).count(),
        n
    );
    for c in t.comments() {
        let mut end = 0;
        for q in &c.quotes {
            check_span(&c.text, q, "quote");
            assert!(q.start >= end, "quotes overlap or unsorted: {:?}", c.quotes);
            end = q.end;
            if let Some(r) = c.raw_range(q.clone()) {
                check_span(&c.raw, &r, "raw_range of a quote");
            }
        }
        // The map back to the raw body, on every few characters.
        let mut cuts: Vec<usize> = c.text.char_indices().map(|(i, _)| i).step_by(5).collect();
        cuts.push(c.text.len());
        for w in cuts.windows(2) {
            if let Some(r) = c.raw_range(w[0]..w[1]) {
                check_span(&c.raw, &r, "raw_range");
            }
        }
        if let Some(r) = c.raw_range(0..c.text.len()) {
            check_span(&c.raw, &r, "raw_range of the whole text");
        }
    }
}

/// True when [`check_error`] also requires a position (always in `tests/hostile.rs`; in the
/// fuzz targets only with `COMMENTGUARD_FUZZ_POSITIONS=1`, so that known position-less errors
/// do not stop a run looking for panics).
#[allow(unexpected_cfgs)]
pub fn positions_required() -> bool {
    static P: OnceLock<bool> = OnceLock::new();
    *P.get_or_init(|| {
        !cfg!(fuzzing) || std::env::var_os("COMMENTGUARD_FUZZ_POSITIONS").is_some_and(|v| v == "1")
    })
}

/// An error about the input must say where: a line, a byte or a comment.
pub fn check_error(e: &commentguard::Error) {
    if !positions_required() {
        return;
    }
    match e.kind() {
        ErrorKind::Syntax { .. } | ErrorKind::InvalidUtf8 | ErrorKind::LimitExceeded { .. } => {
            let p = e.position();
            assert!(
                p.line.is_some() || p.byte.is_some() || p.comment_id.is_some(),
                "error without a position: {e}"
            );
        }
        _ => {}
    }
}

/// Reads `bytes` as `format` (`None`: auto-detect) and checks every thread and error.
/// Returns (threads, comments, errors).
pub fn read_checked(
    bytes: &[u8],
    format: Option<Format>,
    options: ReadOptions,
) -> (usize, usize, usize) {
    let (mut threads, mut comments, mut errors) = (0, 0, 0);
    let r =
        commentguard::formats::read(std::io::Cursor::new(bytes.to_vec()), None, format, options);
    match r {
        Err(e) => {
            check_error(&e);
            errors += 1;
        }
        Ok(ts) => {
            for t in ts {
                match t {
                    Ok(t) => {
                        check_thread(&t);
                        threads += 1;
                        comments += t.len();
                    }
                    Err(e) => {
                        check_error(&e);
                        errors += 1;
                    }
                }
            }
        }
    }
    (threads, comments, errors)
}

/// Reader options chosen by one fuzz byte: lenient or strict, default or tiny limits.
pub fn options_from(b: u8) -> ReadOptions {
    let mut o = ReadOptions::default();
    o.lenient = b & 1 == 0;
    if b & 2 != 0 {
        o.max_comment_bytes = 64;
        o.max_comments_per_thread = 8;
        o.max_document_bytes = 4096;
    }
    o
}

/// Fuzz entry: byte 0 picks the format (or auto-detection), byte 1 the options, the rest is
/// the input.
pub fn fuzz_read(data: &[u8]) {
    let [f, o, rest @ ..] = data else {
        return;
    };
    let all = Format::ALL;
    let format = all.get(*f as usize % (all.len() + 1)).copied();
    read_checked(rest, format, options_from(*o));
}

/// Fuzz entry: auto-detection on the whole input, then every comment of small threads
/// scored as a thread (quotes from the readers go into scoring).
pub fn fuzz_read_auto(data: &[u8]) {
    let r = commentguard::formats::read(
        std::io::Cursor::new(data.to_vec()),
        None,
        None,
        ReadOptions::default(),
    );
    let Ok(ts) = r else {
        return;
    };
    let m = moderator();
    for t in ts {
        match t {
            Ok(t) => {
                check_thread(&t);
                if t.len() <= 64 {
                    let vs = m.score_thread(&t);
                    assert_eq!(vs.len(), t.len(), "one verdict per comment");
                    for (v, visit) in vs.iter().zip(t.walk()) {
                        check_verdict(&visit.comment.text, v, m);
                    }
                }
            }
            Err(e) => check_error(&e),
        }
    }
}

/// Fuzz entry: the normaliser's alignment contract on any text.
pub fn fuzz_normalize(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let n = normalize(&s);
    check_normalized(&s, &n);
    // Reused buffers give the same result.
    let mut again = normalize("reuse me: S.C.U.M ЅсυМ");
    commentguard::text::Normalizer::default().normalize_into(&s, &mut again);
    assert_eq!(again, n, "normalize_into with a used buffer differs");
    let plain = commentguard::text::Normalizer::default()
        .collapse_separators(false)
        .fold_leet(false)
        .max_repeat(usize::MAX)
        .normalize(&s);
    check_normalized(&s, &plain);
    for w in commentguard::text::words(n.as_str()) {
        check_span(n.as_str(), &w, "word");
    }
}

/// Fuzz entry: lexicon hits on any text.
pub fn fuzz_lexicon(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let n = normalize(&s);
    let hits = lexicon().find(&n);
    check_hits(&s, &n, &hits);
    // What the scorer does: words classified once (as its cache keeps them), then matched
    // with the classes. The hits must be the same.
    let text = n.as_str();
    let ws: Vec<Range<usize>> = commentguard::text::words(text).collect();
    let classes: Vec<_> = ws
        .iter()
        .map(|w| lexicon().classify_word(&text[w.clone()]))
        .collect();
    let mut classified = Vec::new();
    lexicon().find_into_words_classified(&n, &ws, &classes, &mut classified);
    assert_eq!(
        hits, classified,
        "classified words found other hits in {s:?}"
    );
}

/// Fuzz entry: `Moderator::score` and friends on any text. The first byte, when the input is
/// long enough, picks quote ranges (possibly reversed or out of bounds: `score_with` is
/// public) and a context.
pub fn fuzz_score(data: &[u8]) {
    let m = moderator();
    let s = String::from_utf8_lossy(data);
    let v = m.score(&s);
    check_verdict(&s, &v, m);
    let r = m.score_reply(&s, &v, data.len() as u32);
    check_verdict(&s, &r, m);
    if let [a, b, c, d, ..] = data {
        let len = s.len().max(1);
        let q = [
            (*a as usize * len / 255)..(*b as usize * len / 255),
            (*c as usize)..(*d as usize + len),
        ];
        let ctx = Context {
            depth: *a as u32,
            parent: Some([f32::from(*b) / 255.0; commentguard::Label::COUNT]),
        };
        let v = m.score_with(&s, &q, &ctx);
        check_verdict(&s, &v, m);
    }
}
