//! Feature hashing. Word hashes come from xxh3 (stable across versions and platforms); byte
//! n-grams inside words use an incremental FNV-1a step per byte, so all n-grams starting at a
//! position cost one multiply each instead of one hash call each.

/// Namespace seeds: each kind of feature hashes into the same buckets with its own seed.
pub(crate) mod ns {
    pub const WORD: u64 = 0x5745_4f52_445f_0001;
    pub const PAIR: u64 = 0x5041_4952_5f5f_0002;
    pub const CHAR: u64 = 0xcbf2_9ce4_8422_2325; // FNV offset basis
    pub const LEX: u64 = 0x4c45_5849_434f_0003;
    pub const LEXFLAG: u64 = 0x464c_4147_5f5f_0004;
    pub const COOC: u64 = 0x434f_4f43_5f5f_0005;
    pub const NEG: u64 = 0x4e45_4741_5445_0006;
    pub const CUE: u64 = 0x4355_455f_5f5f_0007;
    pub const QUOTE: u64 = 0x5155_4f54_455f_0008;
    pub const CTX: u64 = 0x4354_585f_5f5f_0009;
}

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
const START: u8 = 0x02;
const END: u8 = 0x03;

/// Final mix (from splitmix64) so that low bits are well spread; returns 32 bits.
#[inline]
pub(crate) fn finish(mut h: u64) -> u32 {
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    h as u32
}

pub(crate) struct CharHasher;

impl CharHasher {
    /// Calls `f(hash, start, end)` for every byte n-gram (min..=max) of the word padded with a
    /// start and an end marker; `start`/`end` index the padded word (0 = start marker).
    #[inline]
    pub(crate) fn each(word: &[u8], min: usize, max: usize, mut f: impl FnMut(u64, usize, usize)) {
        let len = word.len() + 2;
        let at = |i: usize| -> u8 {
            if i == 0 {
                START
            } else if i == len - 1 {
                END
            } else {
                word[i - 1]
            }
        };
        for s in 0..len {
            let mut h = ns::CHAR;
            let top = (s + max).min(len);
            for e in s..top {
                h = (h ^ at(e) as u64).wrapping_mul(FNV_PRIME);
                let n = e - s + 1;
                if n >= min {
                    f(h ^ (n as u64), s, e + 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ngram_counts() {
        let mut n = 0;
        CharHasher::each(b"scum", 3, 5, |_, _, _| n += 1);
        // padded length 6: 3-grams 4, 4-grams 3, 5-grams 2
        assert_eq!(n, 9);
    }

    #[test]
    fn same_ngram_same_hash_anywhere() {
        let mut a = Vec::new();
        CharHasher::each(b"scum", 3, 3, |h, s, _| a.push((s, h)));
        let mut b = Vec::new();
        CharHasher::each(b"xscum", 3, 3, |h, s, _| b.push((s, h)));
        // "cum" is at padded 2..5 in "scum" and 3..6 in "xscum"
        let ha = a.iter().find(|x| x.0 == 2).unwrap().1;
        let hb = b.iter().find(|x| x.0 == 3).unwrap().1;
        assert_eq!(ha, hb);
    }

    #[test]
    fn finish_spreads() {
        let buckets: std::collections::HashSet<u32> =
            (0..1000u64).map(|i| finish(i) & 1023).collect();
        assert!(buckets.len() > 550, "{}", buckets.len());
    }
}
