//! The matcher's tokens (words with `*` masks glued on) and the checks on the words that
//! follow a key: the rest of a multi-word term, a trailing possessive.

use std::ops::Range;

use crate::text::words;

/// `word` without a trailing possessive `'s` or `'`, if it has one.
pub(super) fn strip_possessive(word: &str) -> Option<&str> {
    let s = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix('\''))?;
    (!s.is_empty()).then_some(s)
}

/// Checks that the words `rest` follow `from` in `text` (only whitespace or hyphens between
/// them); returns the end of the last one. `Some(from)` when `rest` is empty.
pub(super) fn match_rest(text: &str, from: usize, rest: &[Box<str>]) -> Option<usize> {
    if rest.is_empty() {
        return Some(from);
    }
    // Cheap necessary condition first: the words' bytes follow, separated by whitespace or
    // hyphens. Only then tokenise to check the word boundaries.
    let bytes = text.as_bytes();
    let mut p = from;
    for want in rest {
        while bytes
            .get(p)
            .is_some_and(|&b| b.is_ascii_whitespace() || b == b'-')
        {
            p += 1;
        }
        if !bytes.get(p..)?.starts_with(want.as_bytes()) {
            return None;
        }
        p += want.len();
    }
    let tail = text.get(from..)?;
    let mut end = from;
    let mut toks = tokens(tail, from);
    for (i, want) in rest.iter().enumerate() {
        let t = toks.next()?;
        let gap = text.get(end..t.start)?;
        if !gap.bytes().all(|b| b.is_ascii_whitespace() || b == b'-') {
            return None;
        }
        let got = text.get(t.clone())?;
        if got == &**want {
            end = t.end;
        } else if i + 1 == rest.len() && strip_possessive(got) == Some(&**want) {
            // `black people's`: the possessive is not part of the term.
            end = t.start + want.len();
        } else {
            return None;
        }
    }
    Some(end)
}

/// Word ranges of `s` (shifted by `base`), with `*` masks glued to the words around them:
/// `n*gger` is one token even where [`words`] splits at the `*`.
pub(super) fn tokens(s: &str, base: usize) -> Tokens<'_, impl Iterator<Item = Range<usize>> + '_> {
    Tokens {
        bytes: s.as_bytes(),
        inner: words(s),
        next: None,
        base,
    }
}

/// The iterator behind [`tokens`].
pub(super) struct Tokens<'a, I> {
    pub(super) bytes: &'a [u8],
    pub(super) inner: I,
    pub(super) next: Option<Range<usize>>,
    pub(super) base: usize,
}

impl<I: Iterator<Item = Range<usize>>> Iterator for Tokens<'_, I> {
    type Item = Range<usize>;
    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        let mut r = match self.next.take() {
            Some(r) => r,
            None => self.inner.next()?,
        };
        let star = |i: usize| self.bytes.get(i) == Some(&b'*');
        if r.start > 0 && star(r.start - 1) {
            while r.start > 0 && star(r.start - 1) {
                r.start -= 1;
            }
        }
        loop {
            let mut e = r.end;
            while star(e) {
                e += 1;
            }
            if e == r.end {
                break;
            }
            match self.inner.next() {
                Some(n) if n.start == e => r.end = n.end,
                other => {
                    r.end = e;
                    self.next = other;
                    break;
                }
            }
        }
        Some(r.start + self.base..r.end + self.base)
    }
}
