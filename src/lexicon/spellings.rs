//! The matcher's routes for words spelled away from their term: stretched letters, one
//! dropped or swapped letter (see `super::slip`), and `*` masks.

use std::ops::Range;

use super::matcher::{Cand, Hit, Lexicon};
use super::slip;
use super::tokens::strip_possessive;
use crate::text::Normalized;

/// Longest masked token (in characters) the masked index covers.
pub(super) const MAX_MASKED_CHARS: usize = 32;

/// A single-word form kept for masked lookups.
#[derive(Debug, Clone)]
pub(super) struct MaskForm {
    pub(super) chars: Box<[char]>,
    pub(super) entry: u32,
}

impl Lexicon {
    /// Hits of an abusive single-word term spelled with stretched letters. The normaliser keeps
    /// at most two of a run (`verminnnn` → `verminn`, `scuuuum` → `scuum`), which no longer
    /// matches the term; here each doubled letter that stood for a run of three or more in the
    /// original text (so `assess` or `bitter` are left alone) is tried single, one at a time and
    /// then all together. Only dehumanising, slur, insult, threat and obscene entries count:
    /// a stretched name must not turn into an identity term.
    pub(super) fn stretched_hits(
        &self,
        norm: &Normalized,
        word: &str,
        tok: Range<usize>,
        out: &mut Vec<Hit>,
    ) {
        let b = word.as_bytes();
        // Second letter of each stretched double, as an index into `word`.
        let mut cut = [0usize; 4];
        let mut n = 0;
        for i in 1..b.len() {
            if b[i] == b[i - 1] && b[i].is_ascii_alphabetic() && n < cut.len() {
                let orig = norm.original_range(tok.start + i - 1..tok.start + i + 1);
                if orig.len() > 2 {
                    cut[n] = i;
                    n += 1;
                }
            }
        }
        if n == 0 || word.len() > self.0.max_key + n {
            return;
        }
        let abusive = |c: &Cand| {
            c.rest.is_empty()
                && self
                    .0
                    .entries
                    .get(c.entry as usize)
                    .is_some_and(|e| slip::reachable(e.category))
        };
        let mut buf = String::with_capacity(word.len());
        // Masks over the cuts: each one alone, then all of them.
        let singles = (0..n).map(|k| 1u32 << k);
        let all = (n > 1).then_some((1u32 << n) - 1);
        for m in singles.chain(all) {
            buf.clear();
            for (i, ch) in word.char_indices() {
                if !(0..n).any(|k| m & (1 << k) != 0 && cut[k] == i) {
                    buf.push(ch);
                }
            }
            let Some(cands) = self.lookup(&buf) else {
                continue;
            };
            let mark = out.len();
            for c in cands.iter().filter(|c| abusive(c)) {
                self.push_cand(norm, c, tok.clone(), false, out);
            }
            if out.len() > mark {
                return;
            }
        }
    }

    /// Hits of an abusive single-word term spelled with one dropped or swapped letter (the
    /// word, or its possessive stem, is one of the variants computed at build time; see
    /// `slip`). Called only when the word has no hit of its own.
    pub(super) fn slip_hits(
        &self,
        norm: &Normalized,
        word: &str,
        tok: Range<usize>,
        out: &mut Vec<Hit>,
    ) {
        let (entries, end) = match self.slip_lookup(word) {
            Some(e) => (e, tok.end),
            None => match strip_possessive(word).and_then(|s| Some((self.slip_lookup(s)?, s))) {
                Some((e, s)) => (e, tok.start + s.len()),
                None => return,
            },
        };
        for &entry in entries.iter() {
            let c = Cand::new(entry, Box::new([]));
            self.push_cand(norm, &c, tok.start..end, false, out);
        }
    }

    pub(super) fn masked_hits(
        &self,
        norm: &Normalized,
        word: &str,
        tok: Range<usize>,
        out: &mut Vec<Hit>,
    ) {
        let n = word.chars().count();
        let literal = word.chars().filter(|&c| c != '*').count();
        // Two letters pin down a short word; a long mask with two (`b*****s`) fits several
        // unrelated terms (an age slur and a threat word), so it needs three.
        let need = if n >= 7 { 3 } else { 2 };
        if literal < need || n > MAX_MASKED_CHARS {
            return;
        }
        let Some(forms) = self.0.masked.get(n) else {
            return;
        };
        let mark = out.len();
        for f in forms {
            if word
                .chars()
                .zip(f.chars.iter())
                .all(|(a, &b)| a == '*' || a == b)
            {
                // One hit per entry even when several of its forms fit the mask.
                if out[mark..].iter().any(|h| h.entry == f.entry as usize) {
                    continue;
                }
                let c = Cand::new(f.entry, Box::new([]));
                self.push_cand(norm, &c, tok.clone(), true, out);
            }
        }
    }
}
