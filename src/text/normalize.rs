//! Normalisation that keeps an alignment to the original text. (Stub: ASCII lower-casing
//! only; the real folding is being written.)

use std::ops::Range;

/// Normalised text plus, for every byte boundary of it, the matching byte offset in the
/// original. `offsets.len() == text.len() + 1`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    text: String,
    offsets: Vec<u32>,
}

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
    /// The byte range of the original text that produced `range` of the normalised text.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let s = self.offsets[range.start.min(self.text.len())] as usize;
        let e = self.offsets[range.end.min(self.text.len())] as usize;
        s..e.max(s)
    }
}

/// Normaliser with reusable settings. `Normalizer::default()` is what scoring uses.
#[derive(Debug, Clone, Default)]
pub struct Normalizer {}

impl Normalizer {
    /// Normalises `s` into `out`, reusing its buffers.
    pub fn normalize_into(&self, s: &str, out: &mut Normalized) {
        out.text.clear();
        out.offsets.clear();
        for (i, ch) in s.char_indices() {
            for lc in ch.to_lowercase() {
                let start = out.text.len();
                out.text.push(lc);
                for _ in start..out.text.len() {
                    out.offsets.push(i as u32);
                }
            }
        }
        out.offsets.push(s.len() as u32);
    }
    /// Normalises `s`.
    pub fn normalize(&self, s: &str) -> Normalized {
        let mut n = Normalized::default();
        self.normalize_into(s, &mut n);
        n
    }
}

/// Normalises `s` with the default settings.
pub fn normalize(s: &str) -> Normalized {
    Normalizer::default().normalize(s)
}
