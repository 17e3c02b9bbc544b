//! Reasons: for each flagged label, the word spans of the original text that raise its
//! logit most.

use super::fast::Piece;
use super::Reason;
use crate::model::{Label, LinearModel};
use crate::text::Normalized;
use std::collections::hash_map::{Entry, HashMap};
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
    // previous span is tried before the map. Indexed by span, not searched: a linear
    // search per feature was quadratic (a 180 KB emoji comment took two minutes;
    // regression test `finding_reasons_linear_in_features`).
    let mut spans: Vec<Range<usize>> = Vec::with_capacity(pieces.len());
    let mut ids: Vec<usize> = Vec::with_capacity(pieces.len());
    // FxHash: two integers need no more. SipHash (the default) hashing spans was ~8% of
    // scoring a mostly-flagged file, and xxh3's streaming hasher still a third of this
    // function (callgrind).
    let mut at: rustc_hash::FxHashMap<(usize, usize), usize> =
        HashMap::with_capacity_and_hasher(pieces.len(), Default::default());
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
            _ => match at.entry((span.start, span.end)) {
                Entry::Occupied(i) => *i.get(),
                Entry::Vacant(v) => {
                    v.insert(spans.len());
                    spans.push(span.clone());
                    spans.len() - 1
                }
            },
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

/// Indices of the (at most) three largest positive values of `acc`, largest first, ties in
/// index order: what sorting the positive values (a total order: value, then index) and
/// taking the first three gives, in one pass and without allocating (a sort per label was a
/// fifth of the reasons' cost, callgrind).
pub(super) fn top3(acc: &[f32]) -> [Option<usize>; 3] {
    let mut top: [Option<usize>; 3] = [None; 3];
    for (i, &w) in acc.iter().enumerate() {
        // Also skips NaN.
        if !(w > 0.0) {
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

#[cfg(test)]
mod tests {
    use super::top3;

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
