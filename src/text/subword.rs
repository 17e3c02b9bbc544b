//! A small subword (WordPiece) vocabulary, trained with the `tokenizers` crate's trainer and
//! stored as `tokenizer.json` bytes inside the model bundle.
//!
//! This is where `tokenizers` runs: training, and encoding when a feature needs subwords.
//! It is not on the per-comment hot path (see [`normalize`](super::normalize) and
//! [`words`](super::words), which are ~10× faster; figures in BENCHMARKS.md / the bench
//! `benches/text.rs`). Texts are expected to be normalised with [`normalize`](super::normalize)
//! first, so the stored tokenizer has no normaliser of its own; it splits on whitespace and
//! punctuation (`BertPreTokenizer`) and uses `##` continuation pieces.

use crate::{Error, Result};
use tokenizers::decoders::wordpiece::WordPiece as WordPieceDecoder;
use tokenizers::models::wordpiece::{WordPiece, WordPieceTrainer};
use tokenizers::models::TrainerWrapper;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::{AddedToken, Tokenizer};

/// The unknown-word token of every vocabulary.
pub const UNK: &str = "[UNK]";

/// Training parameters of a [`SubwordVocab`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubwordParams {
    vocab_size: usize,
    min_frequency: u64,
}

impl Default for SubwordParams {
    fn default() -> Self {
        SubwordParams {
            vocab_size: 8000,
            min_frequency: 2,
        }
    }
}

impl SubwordParams {
    /// Largest vocabulary, special token and alphabet included. Must be at least 2.
    /// Default: `8000`.
    pub fn vocab_size(mut self, n: usize) -> Self {
        self.vocab_size = n;
        self
    }
    /// Pieces seen fewer times than this are not merged. Default: `2`.
    pub fn min_frequency(mut self, n: u64) -> Self {
        self.min_frequency = n;
        self
    }
    fn check(&self) -> Result<()> {
        if self.vocab_size < 2 {
            return Err(Error::param("vocab_size", "must be at least 2"));
        }
        Ok(())
    }
}

/// A trained WordPiece vocabulary (a `tokenizers::Tokenizer`).
#[derive(Debug, Clone)]
pub struct SubwordVocab {
    tokenizer: Tokenizer,
}

fn model_err(what: &str, e: impl std::fmt::Display) -> Error {
    Error::model(format!("subword vocabulary: {what}: {e}"))
}

impl SubwordVocab {
    /// Trains a vocabulary on `texts` (normalised text, one comment per item).
    pub fn train<I, S>(texts: I, params: &SubwordParams) -> Result<SubwordVocab>
    where
        I: Iterator<Item = S> + Send,
        S: AsRef<str> + Send,
    {
        params.check()?;
        let model = WordPiece::builder()
            .unk_token(UNK.to_owned())
            .build()
            .map_err(|e| model_err("model", e))?;
        let mut tokenizer = Tokenizer::new(model);
        tokenizer.with_pre_tokenizer(Some(BertPreTokenizer));
        tokenizer.with_decoder(Some(WordPieceDecoder::default()));
        let mut trainer: TrainerWrapper = WordPieceTrainer::builder()
            .vocab_size(params.vocab_size)
            .min_frequency(params.min_frequency)
            .show_progress(false)
            .special_tokens(vec![AddedToken::from(UNK, true)])
            .build()
            .into();
        tokenizer
            .train(&mut trainer, texts)
            .map_err(|e| model_err("training", e))?;
        Ok(SubwordVocab { tokenizer })
    }

    /// The vocabulary as `tokenizer.json` bytes (the tokenizers crate's tagged, versioned
    /// format).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        self.tokenizer
            .to_string(false)
            .map(String::into_bytes)
            .map_err(|e| model_err("saving", e))
    }

    /// Loads a vocabulary saved by [`to_bytes`](Self::to_bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<SubwordVocab> {
        let tokenizer = Tokenizer::from_bytes(bytes).map_err(|e| model_err("loading", e))?;
        if tokenizer.token_to_id(UNK).is_none() {
            return Err(Error::model(format!(
                "subword vocabulary: loading: no {UNK} token"
            )));
        }
        Ok(SubwordVocab { tokenizer })
    }

    /// Number of pieces, special token included.
    pub fn vocab_size(&self) -> usize {
        self.tokenizer.get_vocab_size(true)
    }

    /// Id of a piece (`##` prefix for continuation pieces).
    pub fn token_to_id(&self, piece: &str) -> Option<u32> {
        self.tokenizer.token_to_id(piece)
    }

    /// Piece ids of `text`.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>> {
        self.tokenizer
            .encode(text, false)
            .map(|e| e.get_ids().to_vec())
            .map_err(|e| model_err("encoding", e))
    }

    /// Pieces of `text`, as strings.
    pub fn pieces(&self, text: &str) -> Result<Vec<String>> {
        self.tokenizer
            .encode(text, false)
            .map(|e| e.get_tokens().to_vec())
            .map_err(|e| model_err("encoding", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A few hundred sentences written for this test (no external data).
    fn corpus() -> Vec<String> {
        let subjects = [
            "the moderator",
            "my neighbour",
            "this blog",
            "the author",
            "every reader",
            "our community",
            "the old forum",
            "a new commenter",
            "the editor",
            "that thread",
        ];
        let verbs = [
            "reads", "answers", "removes", "approves", "quotes", "ignores", "thanks", "reports",
            "likes", "shares",
        ];
        let objects = [
            "the comment",
            "every reply",
            "a long discussion",
            "the spam message",
            "the thoughtful answer",
            "some kind words",
            "the angry post",
            "a funny story",
        ];
        let mut out = Vec::new();
        for (i, s) in subjects.iter().enumerate() {
            for (j, v) in verbs.iter().enumerate() {
                for (k, o) in objects.iter().enumerate() {
                    if (i + j + k) % 3 == 0 {
                        out.push(format!("{s} {v} {o} today, again and again."));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn trains_and_round_trips() {
        let texts = corpus();
        assert!(texts.len() >= 200, "{}", texts.len());
        let params = SubwordParams::default().vocab_size(300).min_frequency(2);
        let vocab = SubwordVocab::train(texts.iter(), &params).unwrap();
        assert!(vocab.vocab_size() <= 300, "{}", vocab.vocab_size());
        assert!(vocab.vocab_size() > 50, "{}", vocab.vocab_size());
        assert_eq!(vocab.token_to_id(UNK), Some(0));
        // Frequent whole words become single pieces.
        assert_eq!(vocab.pieces("the moderator").unwrap(), ["the", "moderator"]);
        // An unseen word splits into known pieces, continuation pieces marked with ##.
        let pieces = vocab.pieces("moderators").unwrap();
        assert_eq!(pieces.first().map(String::as_str), Some("moderator"));
        assert!(
            pieces.iter().skip(1).all(|p| p.starts_with("##")),
            "{pieces:?}"
        );

        let bytes = vocab.to_bytes().unwrap();
        let back = SubwordVocab::from_bytes(&bytes).unwrap();
        assert_eq!(back.vocab_size(), vocab.vocab_size());
        for t in texts.iter().take(50) {
            assert_eq!(back.encode(t).unwrap(), vocab.encode(t).unwrap());
        }
        assert_eq!(back.to_bytes().unwrap(), bytes);
    }

    #[test]
    fn rejects_bad_input() {
        let e = SubwordVocab::train(["a b"].iter(), &SubwordParams::default().vocab_size(1));
        assert!(e.is_err());
        assert!(SubwordVocab::from_bytes(b"{not json").is_err());
        assert!(SubwordVocab::from_bytes(b"").is_err());
    }
}
