//! Text normalisation (with an alignment back to the original bytes) and tokenisation.
//!
//! * [`normalize`] / [`Normalizer`]: the analysis chain (character folding, separator
//!   collapsing, leetspeak, masks, stretched letters) keeping, for every normalised byte, the
//!   original span behind it ([`Normalized::original_range`]).
//! * [`words`]: fast word and emoji tokens over normalised text.
//! * [`SubwordVocab`]: a WordPiece vocabulary trained with the `tokenizers` crate, stored as
//!   `tokenizer.json` bytes in the model bundle (not on the per-comment hot path).
//!
//! ```
//! use commentguard::text::{normalize, words};
//! let n = normalize("Ѕсυм like you, n1gg@");
//! assert_eq!(n.as_str(), "scum like you, nigga");
//! let w: Vec<&str> = words(n.as_str()).map(|r| &n.as_str()[r]).collect();
//! assert_eq!(w, ["scum", "like", "you", "nigga"]);
//! assert_eq!(n.original_range(0..4), 0..8); // the four Cyrillic/Greek letters
//! ```

mod fold;
mod leet;
mod normalize;
mod subword;
mod tokenize;

#[cfg(test)]
mod tests;

pub use normalize::{normalize, Normalized, Normalizer, MAX_INPUT};
pub use subword::{SubwordParams, SubwordVocab, UNK};
pub use tokenize::{words, Words};

/// A xorshift64 generator from `seed` (non-zero), for the tests that compare a fast scan with
/// its reference on generated text.
#[cfg(test)]
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
