//! Text normalisation (with an alignment back to the original bytes) and tokenisation.

mod normalize;
mod tokenize;

pub use normalize::{normalize, Normalized, Normalizer};
pub use tokenize::words;
