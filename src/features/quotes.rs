//! Whether a lexicon hit sits inside quotation marks, for the quotation cue.

/// [`inside_quotes`] for positions met in increasing order, counting each line once.
///
/// Most comments hold no quotation mark at all: the first byte that may start one (`"`, or
/// the lead byte of `“ ” « »`) is found once with `memchr`, and nothing before it is read,
/// since the counts are zero there whatever the newlines. After it, the bytes are read
/// one by one (the quote characters and the newline are matched on their UTF-8 bytes).
#[derive(Default)]
pub(super) struct QuoteState {
    pos: usize,
    straight: usize,
    open: usize,
    close: usize,
    /// Position of the first byte that may start a quote character (`norm.len()` if
    /// none), once looked for.
    first: Option<usize>,
}

impl QuoteState {
    pub(super) fn inside(&mut self, norm: &str, at: usize) -> bool {
        let b = norm.as_bytes();
        let first = *self
            .first
            .get_or_insert_with(|| memchr::memchr3(b'"', 0xE2, 0xC2, b).unwrap_or(b.len()));
        if at <= first {
            return false;
        }
        if at < self.pos || !norm.is_char_boundary(at) {
            return inside_quotes(norm, at);
        }
        // Both ends are character boundaries, so a quote character's bytes are all inside.
        let mut i = self.pos.max(first);
        while i < at {
            match b[i] {
                b'\n' => (self.straight, self.open, self.close) = (0, 0, 0),
                b'"' => self.straight += 1,
                // U+201C / U+201D: E2 80 9C / 9D.
                0xE2 if b.get(i + 1) == Some(&0x80) => match b.get(i + 2) {
                    Some(0x9C) => self.open += 1,
                    Some(0x9D) => self.close += 1,
                    _ => {}
                },
                // U+00AB / U+00BB: C2 AB / BB.
                0xC2 => match b.get(i + 1) {
                    Some(0xAB) => self.open += 1,
                    Some(0xBB) => self.close += 1,
                    _ => {}
                },
                _ => {}
            }
            i += 1;
        }
        self.pos = at;
        self.straight % 2 == 1 || self.open > self.close
    }
}

/// Whether byte `at` of `norm` is inside quotation marks: an odd number of straight quotes, or
/// more opening than closing curly or angle quotes, before it on its line.
pub(super) fn inside_quotes(norm: &str, at: usize) -> bool {
    let line_start = norm[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let before = &norm[line_start..at];
    let straight = before.matches('"').count();
    let open = before.matches(['\u{201c}', '\u{ab}']).count();
    let close = before.matches(['\u{201d}', '\u{bb}']).count();
    straight % 2 == 1 || open > close
}
