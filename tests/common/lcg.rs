//! A small deterministic pseudo-random generator (no dependency, same sequence everywhere).
//! Shared by the integration tests (`common::lcg::Lcg`) and `benches/formats.rs` (included there
//! with `#[path]`).

/// Knuth's MMIX linear congruential generator; `below` uses the high bits.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}
