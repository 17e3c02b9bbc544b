//! Where the bytes of [`Comment::text`](super::Comment::text) came from in
//! [`Comment::raw`](super::Comment::raw).

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A compact, monotone map from byte offsets in a comment's clean text to byte offsets in its
/// raw markup, recorded by the reader that made the text.
///
/// It is a sorted list of spans. A *copied* span is text that appears byte for byte in the
/// raw markup (a run of a text node); any other span maps a piece of text to the raw bytes it
/// was decoded from as a whole (an entity such as `&amp;`, or `\r\n` read as `\n`). Text that
/// no span covers was written by the converter (paragraph breaks for `<p>`, a newline for
/// `<br>`, a space for a collapsed run of whitespace) and maps to the raw bytes between its
/// neighbours: the markup that produced it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Alignment {
    /// `[text_start, raw_start, text_len, raw_len]`; the top bit of `text_len` is set for
    /// copied spans.
    spans: Vec<[u32; 4]>,
    /// Lengths the map was made for; a map for other strings is never used.
    text_len: u32,
    raw_len: u32,
}

const COPIED: u32 = 1 << 31;

impl Alignment {
    /// True when no map was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.spans.is_empty() && self.text_len == 0 && self.raw_len == 0
    }

    /// Number of spans (a measure of its size: 16 bytes each).
    #[cfg(test)]
    pub(crate) fn spans(&self) -> usize {
        self.spans.len()
    }

    /// Bytes held on the heap.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.spans.capacity() * 16
    }

    /// Is the map valid for these strings?
    pub(crate) fn fits(&self, text: &str, raw: &str) -> bool {
        self.text_len as usize == text.len() && self.raw_len as usize == raw.len()
    }

    fn span(&self, i: usize) -> (usize, usize, usize, usize, bool) {
        let [t, r, tl, rl] = self.spans[i];
        (
            t as usize,
            r as usize,
            (tl & !COPIED) as usize,
            rl as usize,
            tl & COPIED != 0,
        )
    }

    /// Raw offset where text offset `p` starts (`end == false`) or ends (`end == true`).
    fn map(&self, p: usize, end: bool) -> usize {
        // Last span starting at or before p (for an end, strictly before p).
        let i = self.spans.partition_point(|s| {
            let t = s[0] as usize;
            if end {
                t < p
            } else {
                t <= p
            }
        });
        if i > 0 {
            let (t, r, tl, rl, copied) = self.span(i - 1);
            let inside = if end { p <= t + tl } else { p < t + tl };
            if inside {
                return match (copied, end) {
                    (true, _) => r + (p - t),
                    (false, false) => r,
                    (false, true) => r + rl,
                };
            }
        }
        // In a gap: a start maps after the previous span, an end before the next one.
        if end {
            match self.spans.get(i) {
                Some(s) => s[1] as usize,
                None => self.raw_len as usize,
            }
        } else if i > 0 {
            let (_, r, _, rl, _) = self.span(i - 1);
            r + rl
        } else {
            0
        }
    }

    /// The raw range a text range came from; `None` when the range is out of bounds or not on
    /// character boundaries of `text`.
    pub(crate) fn raw_range(&self, text: &str, raw: &str, r: Range<usize>) -> Option<Range<usize>> {
        if r.start > r.end || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            return None;
        }
        if r.start == r.end {
            let at = self.map(r.start, false);
            return Some(at..at);
        }
        let start = self.map(r.start, false);
        let end = self.map(r.end, true).max(start);
        (raw.is_char_boundary(start) && raw.is_char_boundary(end)).then_some(start..end)
    }
}

/// Builds an [`Alignment`] from pieces given in text order.
#[derive(Debug, Default)]
pub(crate) struct AlignBuilder {
    spans: Vec<[u32; 4]>,
    failed: bool,
}

impl AlignBuilder {
    /// Text `t..t+len` is raw `r..r+len`, byte for byte.
    pub(crate) fn copied(&mut self, t: usize, r: usize, len: usize) {
        self.add(t, r, len, len, true);
    }
    /// Text `t..t+tl` was decoded from raw `r..r+rl` as a whole.
    pub(crate) fn decoded(&mut self, t: usize, r: usize, tl: usize, rl: usize) {
        self.add(t, r, tl, rl, false);
    }
    fn add(&mut self, t: usize, r: usize, tl: usize, rl: usize, copied: bool) {
        if tl == 0 {
            return;
        }
        let fits = |x: usize| x < COPIED as usize;
        if !(fits(t + tl) && fits(r + rl)) {
            self.failed = true;
            return;
        }
        if let Some(last) = self.spans.last_mut() {
            let (lt, lr, ltl, lrl) = (last[0], last[1], last[2] & !COPIED, last[3]);
            if (t as u32) < lt + ltl || (r as u32) < lr + lrl {
                // Out of order: not monotone, keep the map as it is.
                return;
            }
            let contiguous = t as u32 == lt + ltl && r as u32 == lr + lrl;
            if contiguous && copied && last[2] & COPIED != 0 {
                last[2] += tl as u32;
                last[3] += rl as u32;
                return;
            }
        }
        let tl = tl as u32 | if copied { COPIED } else { 0 };
        self.spans.push([t as u32, r as u32, tl, rl as u32]);
    }
    /// The map for a text of `text_len` bytes made from a raw string of `raw_len` bytes
    /// (empty when either is 2 GiB or more).
    pub(crate) fn finish(mut self, text_len: usize, raw_len: usize) -> Alignment {
        if self.failed || text_len >= COPIED as usize || raw_len >= COPIED as usize {
            return Alignment::default();
        }
        self.spans.shrink_to_fit();
        Alignment {
            spans: self.spans,
            text_len: text_len as u32,
            raw_len: raw_len as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copied_decoded_and_gaps() {
        // raw: "<p>a &amp; b</p><p>cd</p>", text: "a & b\n\ncd"
        let raw = "<p>a &amp; b</p><p>cd</p>";
        let text = "a & b\n\ncd";
        let mut b = AlignBuilder::default();
        b.copied(0, 3, 2); // "a "
        b.decoded(2, 5, 1, 5); // "&"
        b.copied(3, 10, 2); // " b"
        b.copied(7, 19, 2); // "cd"
        let a = b.finish(text.len(), raw.len());
        assert_eq!(a.spans(), 4);
        let rr = |r: Range<usize>| a.raw_range(text, raw, r).map(|r| &raw[r]);
        assert_eq!(rr(0..1), Some("a"));
        assert_eq!(rr(2..3), Some("&amp;"));
        assert_eq!(rr(0..5), Some("a &amp; b"));
        assert_eq!(rr(7..9), Some("cd"));
        assert_eq!(rr(5..7), Some("</p><p>"));
        assert_eq!(rr(4..8), Some("b</p><p>c"));
        assert_eq!(rr(3..3), Some(""));
        assert_eq!(rr(0..10), None);
    }

    #[test]
    fn adjacent_copies_merge() {
        let mut b = AlignBuilder::default();
        b.copied(0, 0, 3);
        b.copied(3, 3, 2);
        b.copied(5, 9, 1);
        assert_eq!(b.finish(6, 10).spans(), 2);
    }
}
