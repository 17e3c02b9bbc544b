//! Normalisation that keeps an alignment to the original text.
//!
//! In the spirit of HF tokenizers' `NormalizedString`: the result holds the normalised text
//! and, for every normalised byte, the byte span of the original that produced it, so a
//! feature found in `you are a scum!` can be highlighted as `S.C.U.M` in the original.
//!
//! The chain, one component per step (like a tantivy analyzer):
//!
//! 1. [`fold`](super::fold): NFKC on non-ASCII, lower-casing, accent stripping, confusables,
//!    invisibles and bidi controls removed, combining floods dropped, emoji kept. Pure ASCII
//!    input takes a bulk fast track.
//! 2. [`leet`](super::leet) separator collapsing: `s c u m`, `s.c.u.m`, `s-c-u-m` → `scum`.
//! 3. [`leet`](super::leet) word folding: leetspeak inside words (`n1gg@` → `nigga`), masks
//!    kept as the wildcard `*` (`f#ck` → `f*ck`), stretched letters capped at two
//!    (`scuuuum` → `scuum`).
//!
//! Steps 2 and 3 work in place on the output of step 1, so [`Normalizer::normalize_into`]
//! allocates nothing once its [`Normalized`] has grown to the size of the input.

use super::{fold, leet};
use std::ops::Range;

/// Original byte span `(start, end)` of the character behind one normalised byte.
pub(crate) type Span = (u32, u32);

/// Working buffers of one stage: bytes (valid UTF-8 between stages) and one span per byte.
#[derive(Debug, Clone, Default)]
pub(crate) struct Work {
    pub(crate) bytes: Vec<u8>,
    pub(crate) align: Vec<Span>,
}

impl Work {
    pub(crate) fn clear(&mut self) {
        self.bytes.clear();
        self.align.clear();
    }
}

/// Normalised text plus, for every normalised byte, the span of the original bytes that
/// produced it.
///
/// Alignment contract: spans are on char boundaries of the original, both their starts and
/// their ends never decrease along the normalised text, and they stay within the original.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    text: String,
    align: Vec<Span>,
    original_len: usize,
}

impl PartialEq for Normalized {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
            && self.align == other.align
            && self.original_len == other.original_len
    }
}

impl Eq for Normalized {}

impl Normalized {
    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
    /// Length of the normalised text in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
    /// Length in bytes of the original text this was normalised from.
    pub fn original_len(&self) -> usize {
        self.original_len
    }
    /// The byte range of the original text that produced `range` of the normalised text.
    ///
    /// Any range is accepted: it is clamped to the text; an empty range gives the empty
    /// original range where its position starts. The result is always on char boundaries
    /// of the original.
    ///
    /// ```
    /// let n = commentguard::text::normalize("You are a S.C.U.M!");
    /// assert_eq!(n.as_str(), "you are a scum!");
    /// assert_eq!(n.original_range(10..14), 10..17); // "S.C.U.M"
    /// ```
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let len = self.align.len();
        let start = range.start.min(len);
        let end = range.end.min(len).max(start);
        if start == len {
            return self.original_len..self.original_len;
        }
        let s = self
            .align
            .get(start)
            .map_or(self.original_len, |a| a.0 as usize);
        if end == start {
            return s..s;
        }
        let e = self.align.get(end - 1).map_or(s, |a| a.1 as usize);
        s..e.max(s)
    }
    /// The original span of the normalised byte at `index`, if there is one.
    pub fn span_of(&self, index: usize) -> Option<Range<usize>> {
        self.align.get(index).map(|a| a.0 as usize..a.1 as usize)
    }
}

/// Normaliser with reusable settings. `Normalizer::default()` is what scoring uses.
#[derive(Debug, Clone)]
pub struct Normalizer {
    separators: bool,
    leet: bool,
    max_repeat: usize,
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer {
            separators: true,
            leet: true,
            max_repeat: 2,
        }
    }
}

/// Largest input normalised; longer inputs are cut at the last char boundary below it so the
/// 32-bit alignment never overflows.
pub const MAX_INPUT: usize = u32::MAX as usize - 1;

impl Normalizer {
    /// Collapse spelled-out words (`s c u m`, `s.c.u.m`). Default: `true`.
    pub fn collapse_separators(mut self, yes: bool) -> Self {
        self.separators = yes;
        self
    }
    /// Fold leetspeak and masks inside words. Default: `true`.
    pub fn fold_leet(mut self, yes: bool) -> Self {
        self.leet = yes;
        self
    }
    /// Longest run of one repeated letter kept (`scuuuum` → `scuum` with 2). Values below 1
    /// are taken as 1; `usize::MAX` keeps every run. Default: `2`.
    pub fn max_repeat(mut self, n: usize) -> Self {
        self.max_repeat = n.max(1);
        self
    }

    /// Normalises `s` into `out`, reusing its buffers.
    pub fn normalize_into(&self, s: &str, out: &mut Normalized) {
        let s = clip(s);
        let mut work = Work {
            bytes: std::mem::take(&mut out.text).into_bytes(),
            align: std::mem::take(&mut out.align),
        };
        fold::fold_chars(s, &mut work);
        if self.separators {
            leet::collapse_separators(&mut work);
        }
        if self.leet || self.max_repeat != usize::MAX {
            leet::fold_words(&mut work, self.leet, self.max_repeat);
        }
        out.original_len = s.len();
        match String::from_utf8(work.bytes) {
            Ok(text) => {
                out.text = text;
                out.align = work.align;
            }
            Err(_) => {
                // Unreachable by construction (stages only drop or replace whole ASCII
                // bytes); fall back to the identity rather than panic.
                out.text = s.to_owned();
                out.align = (0..s.len() as u32).map(|i| (i, i + 1)).collect();
            }
        }
    }
    /// Normalises `s`.
    pub fn normalize(&self, s: &str) -> Normalized {
        let mut n = Normalized::default();
        self.normalize_into(s, &mut n);
        n
    }
}

fn clip(s: &str) -> &str {
    if s.len() <= MAX_INPUT {
        return s;
    }
    let mut end = MAX_INPUT;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Normalises `s` with the default settings.
pub fn normalize(s: &str) -> Normalized {
    Normalizer::default().normalize(s)
}
