//! Word tokens of (normalised) text: the fast path used on every scored comment.
//!
//! A word is a run of letters and digits (any script), with the combining marks that sit on
//! them, plus inner apostrophes (`don't`) and inner runs of the mask wildcard `*` (`f**k`,
//! `sc*m`, see [`normalize`](super::normalize)). Every emoji is a token of its own, with its
//! modifiers: variation selectors, skin tones, keycaps, tag sequences, zero-width-joiner
//! sequences (`👨‍👩‍👧`) and flag pairs. Everything else (spaces, punctuation, other symbols)
//! separates tokens. ASCII bytes are classified with a lookup table; only non-ASCII bytes
//! decode a char.

use super::fold::is_emoji;
use std::ops::Range;
use unicode_normalization::char::is_combining_mark;

const SEP: u8 = 0;
const WORD: u8 = 1;
const INNER: u8 = 2;

static ASCII: [u8; 128] = {
    let mut t = [SEP; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() {
            t[i] = WORD;
        } else if b == b'\'' || b == b'*' {
            t[i] = INNER;
        }
        i += 1;
    }
    t
};

/// Byte ranges of the words and emoji of `s` (see the module docs).
///
/// ```
/// let w: Vec<_> = commentguard::text::words("don't f**k 🐀🐀 x").collect();
/// assert_eq!(w, [0..5, 6..10, 11..15, 15..19, 20..21]);
/// ```
pub fn words(s: &str) -> Words<'_> {
    Words { s, pos: 0 }
}

/// Iterator returned by [`words`].
#[derive(Debug, Clone)]
pub struct Words<'a> {
    s: &'a str,
    pos: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Sep,
    Word,
    Inner,
    Mark,
    Emoji,
}

#[inline]
fn class_at(s: &str, i: usize) -> (Class, usize, char) {
    let b = s.as_bytes().get(i).copied().unwrap_or(b' ');
    if b < 0x80 {
        let c = match ASCII[b as usize] {
            WORD => Class::Word,
            INNER => Class::Inner,
            _ => Class::Sep,
        };
        return (c, 1, b as char);
    }
    let ch = s.get(i..).and_then(|t| t.chars().next()).unwrap_or(' ');
    let len = ch.len_utf8();
    let c = if is_emoji(ch) {
        Class::Emoji
    } else if ch.is_alphanumeric() {
        Class::Word
    } else if is_combining_mark(ch) {
        Class::Mark
    } else {
        Class::Sep
    };
    (c, len, ch)
}

fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32, 0xFE0E | 0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F)
}

fn is_regional(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

impl Words<'_> {
    /// End of the emoji token starting at `start` (a char of `len` bytes).
    fn emoji_end(&self, start: usize, first: char) -> usize {
        let s = self.s;
        let mut end = start + first.len_utf8();
        if is_regional(first) {
            if let Some(c) = s.get(end..).and_then(|t| t.chars().next()) {
                if is_regional(c) {
                    end += c.len_utf8();
                }
            }
        }
        while let Some(c) = s.get(end..).and_then(|t| t.chars().next()) {
            if is_emoji_modifier(c) {
                end += c.len_utf8();
            } else if c == '\u{200D}' {
                let after = end + c.len_utf8();
                match s.get(after..).and_then(|t| t.chars().next()) {
                    Some(n) if is_emoji(n) => end = after + n.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        end
    }
}

impl Iterator for Words<'_> {
    type Item = Range<usize>;

    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        let s = self.s;
        let n = s.len();
        let bytes = s.as_bytes();
        // Skip separators: ASCII ones by a table look-up per byte, the rest by class.
        let (start, first_len) = loop {
            while let Some(&b) = bytes.get(self.pos) {
                if b >= 0x80 || ASCII[b as usize] == WORD {
                    break;
                }
                self.pos += 1;
            }
            let &b = bytes.get(self.pos)?;
            if b < 0x80 {
                // An ASCII letter or digit.
                break (self.pos, 1);
            }
            let (c, len, ch) = class_at(s, self.pos);
            match c {
                Class::Word => break (self.pos, len),
                Class::Emoji => {
                    let start = self.pos;
                    let end = self.emoji_end(start, ch);
                    self.pos = end;
                    return Some(start..end);
                }
                _ => self.pos += len,
            }
        };
        let mut end = start + first_len;
        loop {
            // Jump over ASCII letters and digits.
            while let Some(&b) = bytes.get(end) {
                if b >= 0x80 || ASCII[b as usize] != WORD {
                    break;
                }
                end += 1;
            }
            let Some(&b) = bytes.get(end) else {
                break;
            };
            if b < 0x80 {
                if ASCII[b as usize] != INNER {
                    break;
                }
                // Inner apostrophe or `*` run: only if a word char follows.
                let mut k = end + 1;
                if b == b'*' {
                    while bytes.get(k) == Some(&b'*') {
                        k += 1;
                    }
                }
                if k < n && matches!(class_at(s, k).0, Class::Word) {
                    end = k;
                    continue;
                }
                break;
            }
            let (c, len, _) = class_at(s, end);
            match c {
                Class::Word | Class::Mark => end += len,
                _ => break,
            }
        }
        self.pos = end;
        Some(start..end)
    }
}

#[cfg(test)]
impl Words<'_> {
    /// `next` as it was before its ASCII fast paths: the reference it must agree with.
    fn next_reference(&mut self) -> Option<Range<usize>> {
        let s = self.s;
        let n = s.len();
        let bytes = s.as_bytes();
        // Skip separators (ASCII ones byte by byte, fast).
        let (start, first) = loop {
            if self.pos >= n {
                return None;
            }
            // Jump over ASCII separators.
            let skip = bytes.get(self.pos..).and_then(|t| {
                t.iter()
                    .position(|&b| b >= 0x80 || ASCII[b as usize] == WORD)
            });
            match skip {
                Some(k) => self.pos += k,
                None => {
                    self.pos = n;
                    return None;
                }
            }
            let (c, len, ch) = class_at(s, self.pos);
            match c {
                Class::Word => break (self.pos, ch),
                Class::Emoji => {
                    let start = self.pos;
                    let end = self.emoji_end(start, ch);
                    self.pos = end;
                    return Some(start..end);
                }
                _ => self.pos += len,
            }
        };
        let mut end = start + first.len_utf8();
        loop {
            // Jump over ASCII letters and digits.
            end += bytes
                .get(end..)
                .and_then(|t| {
                    t.iter()
                        .position(|&b| b >= 0x80 || ASCII[b as usize] != WORD)
                })
                .unwrap_or(n.saturating_sub(end));
            let b = bytes.get(end).copied().unwrap_or(b' ');
            if b < 0x80 {
                match ASCII[b as usize] {
                    WORD => end += 1,
                    INNER => {
                        // Inner apostrophe or `*` run: only if a word char follows.
                        let mut k = end;
                        if b == b'*' {
                            while bytes.get(k) == Some(&b'*') {
                                k += 1;
                            }
                        } else {
                            k += 1;
                        }
                        if matches!(class_at(s, k).0, Class::Word) && k < n {
                            end = k;
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
                continue;
            }
            let (c, len, _) = class_at(s, end);
            match c {
                Class::Word | Class::Mark => end += len,
                _ => break,
            }
        }
        self.pos = end;
        Some(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn words_agree_with_the_reference_on_generated_text() {
        let pieces = [
            "a",
            "Z",
            "9",
            " ",
            ".",
            "'",
            "*",
            "**",
            "é",
            "e\u{301}",
            "\u{301}",
            "🐀",
            "👨\u{200D}👩",
            "🇫🇷",
            "🏽",
            "\u{FE0F}",
            "\u{200D}",
            "ก",
            "한",
            "-",
            "\n",
            "don't",
        ];
        let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
        let mut tokens = 0;
        for _ in 0..50_000 {
            let n = next() % 12;
            let text: String = (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let got: Vec<_> = words(&text).collect();
            let mut reference = words(&text);
            let want: Vec<_> = std::iter::from_fn(|| reference.next_reference()).collect();
            assert_eq!(got, want, "{text:?}");
            tokens += got.len();
        }
        assert!(tokens > 50_000, "{tokens}");
    }
}
