//! Reasons: for each flagged label, the word spans of the original text that raise its
//! logit most.

use super::fast::Piece;
use super::Reason;
use crate::model::{Label, LinearModel};
use crate::text::Normalized;
use std::ops::Range;

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
    // Every piece's word span, found once for all labels; pieces sharing a span share an
    // id (first-seen order). Consecutive pieces mostly come from the same word, so the
    // previous span is tried first. Then the spans are indexed by their start: `head[start]`
    // is the last span id starting there and `next[id]` the one before it, a chain of the
    // few spans starting at one word (the word, the pair it begins, a phrase). Indexed, not
    // searched: a linear search per feature was quadratic (a 180 KB emoji comment took two
    // minutes; regression test `finding_reasons_linear_in_features`); a hash map of spans
    // (FxHash) was most of this function's cost (callgrind).
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
    let mut reasons = Vec::new();
    let mut acc = vec![0f32; spans.len()];
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
        for i in top3(&acc).into_iter().flatten() {
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

/// Puts the slur that set the slur floor (`features::slur_floor`) first among the `slur`
/// reasons, with the floor's logit as its weight, keeping three `slur` reasons at most.
/// `span` is the slur's byte span in `original`.
pub(super) fn floor_reason(reasons: &mut Vec<Reason>, original: &str, span: Range<usize>, p: f32) {
    let span = word_span(original, span);
    reasons.retain(|r| !(r.label == Label::Slur && r.start == span.start && r.end == span.end));
    let at = reasons
        .iter()
        .position(|r| r.label == Label::Slur)
        .unwrap_or(reasons.len());
    let p = p.clamp(1e-6, 1.0 - 1e-6);
    reasons.insert(
        at,
        Reason {
            label: Label::Slur,
            text: original.get(span.clone()).unwrap_or("").to_string(),
            start: span.start,
            end: span.end,
            weight: (p / (1.0 - p)).ln(),
        },
    );
    let mut seen = 0;
    reasons.retain(|r| {
        seen += usize::from(r.label == Label::Slur);
        r.label != Label::Slur || seen <= 3
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
    use super::{top3, word_span};
    use std::ops::Range;

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

    #[test]
    fn word_span_equals_the_char_by_char_expansion() {
        for text in [
            "You are a scumbag, ok",
            "don't f**k with $ome @user's ΣΑΣ вермин 🐀🐀 naïve e\u{301}t",
            "",
            "a",
        ] {
            for a in 0..=text.len() + 2 {
                for b in 0..=text.len() + 2 {
                    assert_eq!(
                        word_span(text, a..b),
                        word_span_reference(text, a..b),
                        "{text:?} {a}..{b}"
                    );
                }
            }
        }
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
