//! A cheap first test for the words that must follow a multi-word term's first word.
//!
//! Common words begin many multi-word terms (`you` begins dozens of cue phrases), and the
//! matcher tried each of them in full. The next word's first eight bytes, read once per
//! token, rule out nearly all of them with one compare each: a term whose second word does
//! not begin with those bytes cannot match there. The test is a necessary condition of
//! `match_rest`, so the hits are unchanged.

/// The first (up to) eight bytes of `word`, little-endian, and the mask over them:
/// `(bytes, mask)`. An empty word gives `(0, 0)`, which every text passes.
pub(super) fn prefix(word: &str) -> (u64, u64) {
    let b = word.as_bytes();
    let n = b.len().min(8);
    let mut a = [0u8; 8];
    a[..n].copy_from_slice(&b[..n]);
    let mask = if n == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    };
    (u64::from_le_bytes(a), mask)
}

/// Eight bytes of `text` from the first byte at or after `from` that is neither ASCII
/// whitespace nor a hyphen (what `match_rest` skips between words), little-endian, zero past
/// the end of the text. Lexicon words hold no zero byte, so a zero never passes a prefix.
#[inline]
pub(super) fn next_bytes(text: &[u8], from: usize) -> u64 {
    let mut p = from;
    while text
        .get(p)
        .is_some_and(|&b| b.is_ascii_whitespace() || b == b'-')
    {
        p += 1;
    }
    let tail = text.get(p..).unwrap_or_default();
    let mut a = [0u8; 8];
    let n = tail.len().min(8);
    a[..n].copy_from_slice(&tail[..n]);
    u64::from_le_bytes(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_next_bytes() {
        let (h, m) = prefix("people");
        assert_eq!(next_bytes(b"black  people's", 5) & m, h);
        assert_eq!(next_bytes(b"black - people", 5) & m, h);
        assert_ne!(next_bytes(b"black peopl", 5) & m, h);
        assert_ne!(next_bytes(b"black, people", 5) & m, h);
        let (h, m) = prefix("immigrants");
        assert_eq!(m, u64::MAX);
        assert_eq!(next_bytes(b"x immigrantz", 1) & m, h);
        assert_eq!(prefix(""), (0, 0));
        assert_eq!(next_bytes(b"abc", 7), 0);
    }
}
