//! Reasons: for each flagged label, the word spans of the original text that raise its
//! logit most.

use super::fast::Piece;
use super::Reason;
use crate::model::{Label, LinearModel};
use crate::text::Normalized;
use std::cell::RefCell;
use std::ops::Range;

/// No span id (a piece with an empty original range) / no span starting at a byte.
const NONE: usize = usize::MAX;

/// Bytes of text whose `head` index is kept between comments at most (8 bytes each): a huge
/// comment's index is freed.
const KEEP_HEAD: usize = 1 << 16;

/// The buffers of [`reasons`], kept per thread so a comment allocates none of them and the
/// span index is reset only where it was used.
#[derive(Default)]
struct Bufs {
    /// Distinct word spans, in first-seen order (a span's id is its position).
    spans: Vec<Range<usize>>,
    /// Each piece's span id ([`NONE`] for an empty original range).
    ids: Vec<usize>,
    /// `head[start]`: the last span id starting at byte `start`, [`NONE`] between comments.
    head: Vec<usize>,
    /// `next[id]`: the span id before `id` with the same start.
    next: Vec<usize>,
    /// One label's weight per span.
    acc: Vec<f32>,
    /// Set while `head` holds this comment's entries: a call that panicked between filling
    /// and resetting them leaves it set, and the next call resets all of `head` first.
    dirty: bool,
}

thread_local! {
    static BUFS: RefCell<Bufs> = RefCell::new(Bufs::default());
}

/// Reasons from explained pieces: per flagged label (in `flags` order), the three word spans
/// of `original` that raise its logit most, heaviest first (ties in first-seen order).
/// `slots[l]` is label `l`'s position in the model.
pub(super) fn reasons(
    m: &LinearModel,
    slots: &[Option<usize>; Label::COUNT],
    pieces: &[Piece],
    norm: &Normalized,
    original: &str,
    flags: &[Label],
) -> Vec<Reason> {
    BUFS.with(|b| match b.try_borrow_mut() {
        Ok(mut b) => reasons_in(&mut b, m, slots, pieces, norm, original, flags),
        // Not reentrant; a nested call (none today) gets buffers of its own.
        Err(_) => reasons_in(
            &mut Bufs::default(),
            m,
            slots,
            pieces,
            norm,
            original,
            flags,
        ),
    })
}

/// [`reasons`] with the buffers `b` (its `head` all [`NONE`], and left so).
fn reasons_in(
    b: &mut Bufs,
    m: &LinearModel,
    slots: &[Option<usize>; Label::COUNT],
    pieces: &[Piece],
    norm: &Normalized,
    original: &str,
    flags: &[Label],
) -> Vec<Reason> {
    // Every piece's word span, found once for all labels; pieces sharing a span share an
    // id (first-seen order). Consecutive pieces mostly come from the same word, so the
    // previous original range (then the previous span) is tried first, without expanding it
    // again. Then the spans are indexed by their start: `head[start]` is the last span id
    // starting there and `next[id]` the one before it, a chain of the few spans starting at
    // one word (the word, the pair it begins, a phrase). Indexed, not searched: a linear
    // search per feature was quadratic (a 180 KB emoji comment took two minutes; regression
    // test `finding_reasons_linear_in_features`); a hash map of spans (FxHash) was most of
    // this function's cost (callgrind). The buffers are the thread's (allocating them and
    // filling `head` over the whole text per comment was a sixth of the cost, callgrind);
    // `head` is reset at the starts used.
    let Bufs {
        spans,
        ids,
        head,
        next,
        acc,
        dirty,
    } = b;
    spans.clear();
    ids.clear();
    next.clear();
    if *dirty {
        head.iter_mut().for_each(|h| *h = NONE);
    }
    if head.len() <= original.len() {
        head.resize(original.len() + 1, NONE);
    }
    *dirty = true;
    // The previous piece's original range, its span and the span's id.
    let mut prev: Option<(Range<usize>, Range<usize>, usize)> = None;
    for (norm_span, _) in pieces {
        let orig = norm.original_range(norm_span.clone());
        if orig.is_empty() {
            ids.push(NONE);
            continue;
        }
        let id = match &mut prev {
            Some((o, _, id)) if *o == orig => *id,
            _ => {
                let span = word_span_of_piece(original, orig.clone());
                let id = match &prev {
                    Some((_, p, id)) if *p == span => *id,
                    _ => find_or_add(spans, head, next, span.clone()),
                };
                prev = Some((orig, span, id));
                id
            }
        };
        ids.push(id);
    }
    for sp in spans.iter() {
        head[sp.start] = NONE;
    }
    *dirty = false;
    if head.len() > KEEP_HEAD {
        *head = Vec::new();
    }
    acc.clear();
    acc.resize(spans.len(), 0.0);
    label_reasons(m, slots, flags, pieces, ids, spans, original, acc)
}

/// Each flagged label's reasons: the pieces' contributions summed per span (`ids[k]` is piece
/// `k`'s span in `spans`, or none), the label's top three spans. `acc` holds one slot per span.
#[allow(clippy::too_many_arguments)]
fn label_reasons(
    m: &LinearModel,
    slots: &[Option<usize>; Label::COUNT],
    flags: &[Label],
    pieces: &[Piece],
    ids: &[usize],
    spans: &[Range<usize>],
    original: &str,
    acc: &mut [f32],
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    for &label in flags {
        let Some(li) = slots[label.index()] else {
            continue;
        };
        let scale = m.scales()[li];
        acc.iter_mut().for_each(|a| *a = 0.0);
        for (&id, (_, c)) in ids.iter().zip(pieces) {
            if let Some(a) = acc.get_mut(id) {
                *a += c[li] * scale;
            }
        }
        for i in top3(acc).into_iter().flatten() {
            let span = spans[i].clone();
            reasons.push(Reason {
                label,
                text: original.get(span.clone()).unwrap_or("").to_string(),
                start: span.start,
                end: span.end,
                weight: acc[i],
            });
        }
    }
    reasons
}

/// The id of `span` in `spans` (indexed by `head` and `next`, see [`Bufs`]), added when new.
/// `span.start` is within `head`.
fn find_or_add(
    spans: &mut Vec<Range<usize>>,
    head: &mut [usize],
    next: &mut Vec<usize>,
    span: Range<usize>,
) -> usize {
    let mut j = head[span.start];
    while let Some(sp) = spans.get(j) {
        if sp.end == span.end {
            return j;
        }
        j = next[j];
    }
    let id = spans.len();
    next.push(head[span.start]);
    head[span.start] = id;
    spans.push(span);
    id
}

/// Puts the span that set a label's floor first among that label's reasons, with `weight`,
/// keeping three reasons of the label at most: the slur that set the slur floor
/// (`features::slur_floor`; the floor's logit), or the insult said of a group that raised
/// identity_attack (`groups.rs`; how far it raised the logit). `span` is its byte span in
/// `original`.
pub(super) fn floor_reason(
    reasons: &mut Vec<Reason>,
    original: &str,
    label: Label,
    span: Range<usize>,
    weight: f32,
) {
    let span = word_span(original, span);
    reasons.retain(|r| !(r.label == label && r.start == span.start && r.end == span.end));
    let at = reasons
        .iter()
        .position(|r| r.label == label)
        .unwrap_or(reasons.len());
    reasons.insert(
        at,
        Reason {
            label,
            text: original.get(span.clone()).unwrap_or("").to_string(),
            start: span.start,
            end: span.end,
            weight,
        },
    );
    let mut seen = 0;
    reasons.retain(|r| {
        seen += usize::from(r.label == label);
        r.label != label || seen <= 3
    });
}

/// Indices of the (at most) three largest positive values of `acc`, largest first, ties in
/// index order: what sorting the positive values (a total order: value, then index) and
/// taking the first three gives, in one pass and without allocating (a sort per label was a
/// fifth of the reasons' cost, callgrind).
pub(super) fn top3(acc: &[f32]) -> [Option<usize>; 3] {
    let mut top: [Option<usize>; 3] = [None; 3];
    for (i, &w) in acc.iter().enumerate() {
        // Positive only (NaN is not).
        if w.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            continue;
        }
        // `i` is later than every index held, so it goes before one only when strictly
        // heavier.
        let lighter = |t: &Option<usize>| t.is_none_or(|j| acc[j] < w);
        let Some(pos) = top.iter().position(lighter) else {
            continue;
        };
        top.copy_within(pos..2, pos + 1);
        top[pos] = Some(i);
    }
    top
}

/// ASCII bytes that are not word characters (see [`word_span`]): a span between two of them
/// (or the text's ends) is whole words already.
const ASCII_BREAK: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x80 {
        let b = c as u8;
        t[c] = !(b.is_ascii_alphanumeric() || matches!(b, b'\'' | b'*' | b'@' | b'$'));
        c += 1;
    }
    t
};

/// [`word_span`] of a piece's range, inlined for the common case: a non-empty range with
/// an ASCII non-word byte (or the text's end) on each side is returned as it is (a call of
/// `word_span` per piece was a third of the reasons' cost, callgrind).
#[inline]
fn word_span_of_piece(text: &str, r: Range<usize>) -> Range<usize> {
    let b = text.as_bytes();
    if r.start < r.end
        && r.end <= b.len()
        && (r.start == 0 || ASCII_BREAK[b[r.start - 1] as usize])
        && b.get(r.end).is_none_or(|&c| ASCII_BREAK[c as usize])
    {
        return r;
    }
    word_span(text, r)
}

/// Expands a byte span of `text` to whole words (so a reason shows "vermin", not "ermi").
pub(super) fn word_span(text: &str, r: Range<usize>) -> Range<usize> {
    let mut s = r.start.min(text.len());
    let mut e = r.end.min(text.len()).max(s);
    while s > 0 && !text.is_char_boundary(s) {
        s -= 1;
    }
    while e < text.len() && !text.is_char_boundary(e) {
        e += 1;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '*' || c == '@' || c == '$';
    let b = text.as_bytes();
    // ASCII neighbours are classified by byte; others are decoded.
    let ascii_word = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'\'' | b'*' | b'@' | b'$');
    while s > 0 {
        let c = b[s - 1];
        if c < 0x80 {
            if !ascii_word(c) {
                break;
            }
            s -= 1;
            continue;
        }
        match text[..s].chars().next_back() {
            Some(c) if is_word(c) => s -= c.len_utf8(),
            _ => break,
        }
    }
    while let Some(&c) = b.get(e) {
        if c < 0x80 {
            if !ascii_word(c) {
                break;
            }
            e += 1;
            continue;
        }
        match text[e..].chars().next() {
            Some(c) if is_word(c) => e += c.len_utf8(),
            _ => break,
        }
    }
    s..e
}

#[cfg(test)]
mod tests {
    use super::{label_reasons, reasons, reasons_in, top3, word_span, Bufs, Piece, Reason, NONE};
    use crate::model::{Label, LinearModel, Quantization, SparseLogistic};
    use crate::text::{normalize, words, Normalized};
    use std::ops::Range;

    /// `reasons` as it was before its buffers were kept per thread and repeated original
    /// ranges skipped `word_span`: fresh buffers per call, `head` over the whole text.
    fn reasons_reference(
        m: &LinearModel,
        slots: &[Option<usize>; Label::COUNT],
        pieces: &[Piece],
        norm: &Normalized,
        original: &str,
        flags: &[Label],
    ) -> Vec<Reason> {
        let mut spans: Vec<Range<usize>> = Vec::with_capacity(pieces.len());
        let mut ids: Vec<usize> = Vec::with_capacity(pieces.len());
        let mut head: Vec<usize> = vec![usize::MAX; original.len() + 1];
        let mut next: Vec<usize> = Vec::with_capacity(pieces.len());
        let mut prev: Option<(Range<usize>, usize)> = None;
        for (norm_span, _) in pieces {
            let orig = norm.original_range(norm_span.clone());
            if orig.is_empty() {
                ids.push(usize::MAX);
                continue;
            }
            let span = word_span(original, orig);
            let id = match &prev {
                Some((p, id)) if *p == span => *id,
                _ => {
                    let mut j = head.get(span.start).copied().unwrap_or(usize::MAX);
                    while let Some(sp) = spans.get(j) {
                        if sp.end == span.end {
                            break;
                        }
                        j = next[j];
                    }
                    if j < spans.len() {
                        j
                    } else {
                        let id = spans.len();
                        spans.push(span.clone());
                        if let Some(h) = head.get_mut(span.start) {
                            next.push(*h);
                            *h = id;
                        } else {
                            next.push(usize::MAX);
                        }
                        id
                    }
                }
            };
            prev = Some((span, id));
            ids.push(id);
        }
        let mut acc = vec![0f32; spans.len()];
        label_reasons(m, slots, flags, pieces, &ids, &spans, original, &mut acc)
    }

    /// The thread's buffers give what fresh ones gave, bit for bit, on generated comments
    /// (one after another on one thread, long and short, so `head` is reused dirty-free):
    /// word, pair and odd pieces, repeated ranges, empty ones, ties and negative weights.
    #[test]
    fn reasons_equal_the_fresh_buffer_reference() {
        let labels = [Label::Toxic, Label::Slur, Label::Threat];
        let models: Vec<SparseLogistic> = (0..labels.len())
            .map(|l| SparseLogistic {
                weights: vec![0.5 + l as f32, -1.25, 3.0],
                bias: 0.0,
            })
            .collect();
        let m = LinearModel::from_models(&labels, &models, 3, Quantization::I8).unwrap();
        let mut slots = [None; Label::COUNT];
        for l in &labels {
            slots[l.index()] = m.label_index(*l);
        }
        let vocab: Vec<&str> =
            "you scum n1gg@ Ѕсυм don't f**k $ome @user's ΣΑΣ вермин 🐀🐀 naïve e\u{301}t S.C.U.M rats ａｂｃ x"
                .split(' ')
                .collect();
        let seps = [" ", ", ", "  ", "\n", "!! ", "-", "\u{200D}", " \u{1F469} "];
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
        let mut rnd = |n: usize| (next() % n as u64) as usize;
        let mut compared = 0;
        for round in 0..3000 {
            let mut t = String::new();
            for _ in 0..rnd(if round % 50 == 0 { 400 } else { 30 }) {
                t.push_str(vocab[rnd(vocab.len())]);
                t.push_str(seps[rnd(seps.len())]);
            }
            let n = normalize(&t);
            let ws: Vec<Range<usize>> = words(n.as_str()).collect();
            let len = n.as_str().len();
            let mut pieces: Vec<Piece> = Vec::new();
            for _ in 0..rnd(3 * ws.len() + 3) {
                let span = match rnd(8) {
                    // The previous piece's range again.
                    0 if !pieces.is_empty() => pieces[pieces.len() - 1].0.clone(),
                    1 | 2 if ws.len() > 1 => {
                        let i = rnd(ws.len() - 1);
                        ws[i].start..ws[i + 1].end
                    }
                    3 => {
                        let a = rnd(len + 2);
                        a..a + rnd(6)
                    }
                    _ if !ws.is_empty() => ws[rnd(ws.len())].clone(),
                    _ => 0..0,
                };
                let mut c = [0f32; Label::COUNT];
                for x in c.iter_mut() {
                    // Few distinct values (ties), some negative.
                    *x = (rnd(7) as f32 - 2.0) * 0.375;
                }
                pieces.push((span, c));
            }
            let flags: Vec<Label> = Label::ALL.into_iter().filter(|_| rnd(2) == 0).collect();
            let got = reasons(&m, &slots, &pieces, &n, &t, &flags);
            let want = reasons_reference(&m, &slots, &pieces, &n, &t, &flags);
            let bits = |r: &[Reason]| r.iter().map(|r| r.weight.to_bits()).collect::<Vec<_>>();
            assert_eq!(got, want, "{t:?} {pieces:?}");
            assert_eq!(bits(&got), bits(&want), "{t:?}");
            compared += usize::from(!want.is_empty());
        }
        assert!(compared > 1000, "only {compared} comments had reasons");
    }

    /// Buffers left mid-comment (a call that panicked between filling `head` and resetting
    /// it) do not change the next comment's reasons: it resets all of `head` first.
    #[test]
    fn buffers_left_dirty_by_a_panic_are_reset() {
        let labels = [Label::Toxic];
        let models = vec![SparseLogistic {
            weights: vec![1.0, -0.5, 2.0],
            bias: 0.0,
        }];
        let m = LinearModel::from_models(&labels, &models, 3, Quantization::I8).unwrap();
        let mut slots = [None; Label::COUNT];
        slots[Label::Toxic.index()] = m.label_index(Label::Toxic);
        let t = "you scum and your rats";
        let n = normalize(t);
        let ws: Vec<Range<usize>> = words(n.as_str()).collect();
        let mut c = [0f32; Label::COUNT];
        c[0] = 0.75;
        let pieces: Vec<Piece> = ws.iter().map(|w| (w.clone(), c)).collect();
        let flags = [Label::Toxic];
        let want = reasons_reference(&m, &slots, &pieces, &n, t, &flags);
        // Every start points at span 0 and `next` is empty: without the reset the chain
        // reads stale ids (and loops), so the call runs on a thread of its own with a time
        // limit.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut b = Bufs {
                head: vec![0; 64],
                dirty: true,
                ..Bufs::default()
            };
            let got = reasons_in(&mut b, &m, &slots, &pieces, &n, t, &flags);
            let _ = tx.send((got, !b.dirty && b.head.iter().all(|&h| h == NONE)));
        });
        let (got, clean) = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("reasons on dirty buffers did not finish");
        assert_eq!(got, want);
        assert!(clean, "the buffers were not left clean");
    }

    /// `word_span` as it was before its ASCII fast path.
    fn word_span_reference(text: &str, r: Range<usize>) -> Range<usize> {
        let mut s = r.start.min(text.len());
        let mut e = r.end.min(text.len()).max(s);
        while s > 0 && !text.is_char_boundary(s) {
            s -= 1;
        }
        while e < text.len() && !text.is_char_boundary(e) {
            e += 1;
        }
        let is_word =
            |c: char| c.is_alphanumeric() || c == '\'' || c == '*' || c == '@' || c == '$';
        while let Some(c) = text[..s].chars().next_back() {
            if !is_word(c) {
                break;
            }
            s -= c.len_utf8();
        }
        while let Some(c) = text[e..].chars().next() {
            if !is_word(c) {
                break;
            }
            e += c.len_utf8();
        }
        s..e
    }

    /// Every range `a..b` (up to two bytes past the end) of each of these texts, and more.
    fn on_every_range(more: &[&str], check: impl Fn(&str, Range<usize>)) {
        let base = [
            "You are a scumbag, ok",
            "don't f**k with $ome @user's ΣΑΣ вермин 🐀🐀 naïve e\u{301}t",
            "",
            "a",
        ];
        for text in base.iter().chain(more) {
            for a in 0..=text.len() + 2 {
                for b in 0..=text.len() + 2 {
                    check(text, a..b);
                }
            }
        }
    }

    #[test]
    fn word_span_equals_the_char_by_char_expansion() {
        on_every_range(&[], |text, r| {
            let want = word_span_reference(text, r.clone());
            assert_eq!(word_span(text, r.clone()), want, "{text:?} {r:?}");
        });
    }

    #[test]
    fn word_span_of_piece_equals_word_span() {
        on_every_range(&[" x\u{e9} "], |text, r| {
            let want = word_span(text, r.clone());
            assert_eq!(
                super::word_span_of_piece(text, r.clone()),
                want,
                "{text:?} {r:?}"
            );
        });
    }

    /// The old route: positive values sorted (value descending, then index), first three.
    fn by_sorting(acc: &[f32]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..acc.len()).filter(|&i| acc[i] > 0.0).collect();
        order.sort_by(|a, b| acc[*b].total_cmp(&acc[*a]).then(a.cmp(b)));
        order.truncate(3);
        order
    }

    #[test]
    fn top3_equals_sorting_and_taking_three() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for n in 0..400 {
            let acc: Vec<f32> = (0..n % 23)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Few distinct values, so ties are common; some zero, negative or NaN.
                    match x % 11 {
                        0 => f32::NAN,
                        1 => 0.0,
                        2 => -1.5,
                        k => (k % 4) as f32 * 0.5,
                    }
                })
                .collect();
            let got: Vec<usize> = top3(&acc).into_iter().flatten().collect();
            assert_eq!(got, by_sorting(&acc), "{acc:?}");
        }
    }
}
