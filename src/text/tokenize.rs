//! Word tokens of normalised text. (Stub: alphanumeric runs.)

use std::ops::Range;

/// Byte ranges of the words of `s` (runs of letters, digits and inner apostrophes).
pub fn words(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut it = s.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = it.peek() {
            if c.is_alphanumeric() {
                break;
            }
            it.next();
        }
        let (start, _) = *it.peek()?;
        let mut end = start;
        while let Some(&(i, c)) = it.peek() {
            if c.is_alphanumeric() || c == '\'' {
                end = i + c.len_utf8();
                it.next();
            } else {
                break;
            }
        }
        Some(start..end)
    })
}
