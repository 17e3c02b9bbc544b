//! Word hashing for the matcher: the hasher of its word maps, and the full-word hash whose
//! bits index the two sketches (bit sets that rule out, before any map is probed, nearly
//! every word that is neither a key nor a slip variant).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Size of the key sketch in 64-bit words (64 Kibit: about 3% set for 2,200 keys).
pub(super) const SKETCH_WORDS: usize = 1024;

/// Size of the slip-variant sketch in 64-bit words (128 Kibit: there are about 11,000
/// variants, and most words of a text are looked up in it).
pub(super) const SLIP_SKETCH_WORDS: usize = 2048;

/// A hash of the whole word (the FxHash mix over 8-byte pieces, as [`WordHasher`], then
/// the MurmurHash3 finaliser so that every bit depends on every byte) from which both
/// sketches take their bit: computed once per word, it rules out nearly every word that is
/// neither a key nor a slip variant before either map is probed. (Until session 7 the
/// sketches hashed the length, first two and last bytes only, and about 30% of a text's
/// distinct words passed each.)
#[inline]
pub(super) fn word_hash(w: &str) -> u64 {
    let mut h = WordHasher::default();
    h.write(w.as_bytes());
    let mut x = h.finish();
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// The bit of a word (by its [`word_hash`]) in the key sketch: the hash's top bits.
#[inline]
pub(super) fn sketch(h: u64) -> usize {
    (h >> (64 - (SKETCH_WORDS * 64).trailing_zeros())) as usize
}

/// The bit of a word (by its [`word_hash`]) in the slip-variant sketch: the hash's low bits.
#[inline]
pub(super) fn slip_sketch(h: u64) -> usize {
    h as usize & (SLIP_SKETCH_WORDS * 64 - 1)
}

/// Whether bit `k` of a sketch is set (out of range: not set).
#[inline]
pub(super) fn has_bit(bits: &[u64], k: usize) -> bool {
    bits.get(k >> 6)
        .is_some_and(|w| w & (1u64 << (k & 63)) != 0)
}

/// Sets bit `k` of a sketch (out of range: nothing).
pub(super) fn set_bit(bits: &mut [u64], k: usize) {
    if let Some(w) = bits.get_mut(k >> 6) {
        *w |= 1u64 << (k & 63);
    }
}

/// A small, fast, non-cryptographic hasher (the FxHash mix) for short word keys.
#[derive(Default, Clone, Copy)]
pub(super) struct WordHasher(u64);

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
    }
}

impl Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            self.add(u64::from_le_bytes(a));
        }
        let rem = chunks.remainder();
        if !rem.is_empty() {
            let mut a = [0u8; 8];
            a[..rem.len()].copy_from_slice(rem);
            self.add(u64::from_le_bytes(a) ^ ((rem.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type WordMap<V> = HashMap<Box<str>, V, BuildHasherDefault<WordHasher>>;
