//! The fast scoring path behind [`Moderator::probabilities`](super::Moderator::probabilities).
//!
//! Features go straight into per-label sums of raw (quantised) weights: no feature vector is
//! built. A word's byte n-grams are most of a comment's features (about 12 per word against 2
//! for its unigram and bigram), and each is a random read in a weight table far larger than
//! the CPU's L2 cache. Their weights depend on the word alone, so their per-label sum is kept
//! in a small per-thread cache keyed by the word: a word seen before costs one lookup instead
//! of a dozen hashes and reads. The entry also holds the word's unigram weights, so a cached
//! word touches one cache line of ours instead of a line of the weight table per feature.
//!
//! The result does not depend on what the cache holds: every word of up to [`MAX_WORD`] bytes
//! is always added as `value × unigram + sub_value × (its n-grams' summed raw weights)`, the sum
//! taken exactly in integers, the same on a miss as for the cached copy; longer words take the
//! plain feature-by-feature path (their sums could overflow the integers).
//!
//! Explanations ([`score`] with `explain`) use the same per-word weights, so a word's unigram and n-grams
//! are explained as one piece spanning the whole word.

use crate::features::{Context, FeatureKind, FeatureSink, FeatureSpace, Scratch, WordTaken};
use crate::lexicon::WordClass;
use crate::model::{Label, RawWeights};
use std::ops::Range;

/// Longest word (normalised bytes) that is scored through the cache.
pub(super) const MAX_WORD: usize = 23;
/// Most byte n-grams a cached word has: n-gram lengths 1..=8 over at most 25 padded bytes.
const MAX_NGRAMS: usize = 8 * (MAX_WORD + 2);
/// Slots per thread (a power of two): 16,384 × 64 bytes = 1 MiB for one-byte weights.
const SLOTS: usize = 1 << 14;

/// A stored weight type, with an integer type wide enough to sum a word's n-gram weights
/// exactly (at most 8 n-gram lengths × 25 starts = [`MAX_NGRAMS`] = 200 of them).
pub(super) trait Raw: Copy + Default + Into<f32> + 'static {
    /// The exact sum type.
    type Sum: Copy + Default;
    /// `sum += q`.
    fn add(sum: &mut Self::Sum, q: Self);
    /// The sum as f32.
    fn widen(sum: Self::Sum) -> f32;
    /// This weight type's slots in the cache.
    fn slots(cache: &mut WordCache) -> &mut Vec<Entry<Self>>;
}

impl Raw for i8 {
    type Sum = i16; // 200 × 127 < 32,767
    #[inline]
    fn add(sum: &mut i16, q: i8) {
        *sum += i16::from(q);
    }
    #[inline]
    fn widen(sum: i16) -> f32 {
        f32::from(sum)
    }
    fn slots(cache: &mut WordCache) -> &mut Vec<Entry<i8>> {
        &mut cache.i8
    }
}

impl Raw for i16 {
    type Sum = i32;
    #[inline]
    fn add(sum: &mut i32, q: i16) {
        *sum += i32::from(q);
    }
    #[inline]
    fn widen(sum: i32) -> f32 {
        sum as f32
    }
    fn slots(cache: &mut WordCache) -> &mut Vec<Entry<i16>> {
        &mut cache.i16
    }
}

/// One cached word: its bytes, its unigram's raw weights, the exact per-label sums of its
/// byte n-grams' raw weights, and what the lexicon makes of it
/// ([`Lexicon::classify_word`](crate::lexicon::Lexicon::classify_word)); one cache line for
/// one-byte weights (fields in this order, so no padding is needed). `len` 0 marks an
/// empty slot (words are never empty).
#[derive(Clone, Copy)]
#[repr(C, align(64))]
pub(super) struct Entry<T: Raw> {
    hash: u64,
    len: u8,
    bytes: [u8; MAX_WORD],
    lex: WordClass,
    sub: [T::Sum; Label::COUNT],
    uni: [T; Label::COUNT],
}

impl<T: Raw> Default for Entry<T> {
    fn default() -> Self {
        Entry {
            hash: 0,
            len: 0,
            bytes: [0; MAX_WORD],
            lex: WordClass::Unknown,
            sub: [T::Sum::default(); Label::COUNT],
            uni: [T::default(); Label::COUNT],
        }
    }
}

// One cache line a word for one-byte weights.
const _: () = assert!(std::mem::size_of::<Entry<i8>>() == 64);

/// Per-thread cache of per-word weights, for one model at a time: direct-mapped (a word's
/// slot is fixed by its hash and a new word overwrites the slot's old one), so a lookup is
/// one read and frequent words stay in as rare ones come and go.
#[derive(Default)]
pub(super) struct WordCache {
    /// The model the weights belong to ([`super::Inner::id`]); 0 = none yet.
    model: u64,
    /// `SLOTS` entries for the weight type in use (allocated on first use).
    i8: Vec<Entry<i8>>,
    i16: Vec<Entry<i16>>,
}

impl WordCache {
    /// Makes the cache belong to `model`, emptying it when it held another model's weights.
    pub(super) fn use_model(&mut self, model: u64) {
        if self.model != model {
            self.i8.clear();
            self.i16.clear();
            self.model = model;
        }
    }
}

/// A model's weights as the sinks read them, with the per-word cache.
struct WordWeights<'a, T: Raw> {
    weights: &'a [T],
    n_labels: usize,
    space: &'a FeatureSpace,
    slots: &'a mut Vec<Entry<T>>,
}

/// Bucket `b`'s raw weights (`None` past the table).
#[inline(always)]
fn row<T: Raw>(w: &[T], nl: usize, b: u32) -> Option<&[T]> {
    let base = b as usize * nl;
    w.get(base..base + nl)
}

impl<'a, T: Raw> WordWeights<'a, T> {
    fn new(
        weights: &'a [T],
        n_labels: usize,
        space: &'a FeatureSpace,
        cache: &'a mut WordCache,
    ) -> Self {
        WordWeights {
            weights,
            n_labels: n_labels.min(Label::COUNT),
            space,
            slots: T::slots(cache),
        }
    }

    /// Adds bucket `b`'s raw weights × `v` into `acc`.
    #[inline]
    fn add(&self, b: u32, v: f32, acc: &mut [f32; Label::COUNT]) {
        if let Some(ws) = row(self.weights, self.n_labels, b) {
            for (a, q) in acc.iter_mut().zip(ws) {
                *a += (*q).into() * v;
            }
        }
    }

    /// A word's cache entry (`word` at most [`MAX_WORD`] bytes, so the n-gram sums cannot
    /// overflow): from the cache, or computed and cached.
    #[inline]
    fn word(&mut self, hash: u64, word: &[u8]) -> &Entry<T> {
        debug_assert!(word.len() <= MAX_WORD);
        if self.slots.is_empty() {
            self.slots.resize(SLOTS, Entry::default());
        }
        let at = (hash as usize) & (SLOTS - 1);
        let e = &self.slots[at];
        if e.hash == hash && &e.bytes[..e.len as usize] == word {
            return &self.slots[at];
        }
        let (w, nl) = (self.weights, self.n_labels);
        let mut e = Entry::<T> {
            hash,
            len: word.len() as u8,
            // Words are slices of the normalised text, so valid UTF-8.
            lex: std::str::from_utf8(word).map_or(WordClass::Unknown, |w| {
                self.space.lexicon().classify_word(w)
            }),
            ..Entry::default()
        };
        e.bytes[..word.len()].copy_from_slice(word);
        if let Some(ws) = row(w, nl, self.space.word_bucket(hash)) {
            e.uni[..nl].copy_from_slice(ws);
        }
        // Buckets first, then the reads: with the hashing out of the way the reads are
        // issued back to back and overlap (most are misses in the CPU's caches).
        let mut buckets = [0u32; MAX_NGRAMS];
        let mut n = 0;
        self.space.each_subword_bucket(word, |b| {
            if let Some(slot) = buckets.get_mut(n) {
                *slot = b;
                n += 1;
            }
        });
        for &b in &buckets[..n] {
            if let Some(ws) = row(w, nl, b) {
                for (s, q) in e.sub.iter_mut().zip(ws) {
                    T::add(s, *q);
                }
            }
        }
        self.slots[at] = e;
        &self.slots[at]
    }

    /// `value × unigram + sub_value × n-gram sums`, per label (raw units), and the word's
    /// lexicon class.
    #[inline]
    fn word_sums(
        &mut self,
        hash: u64,
        word: &[u8],
        value: f32,
        sub_value: f32,
    ) -> ([f32; Label::COUNT], WordClass) {
        let n_labels = self.n_labels;
        let e = self.word(hash, word);
        let mut out = [0.0; Label::COUNT];
        for ((o, u), s) in out.iter_mut().zip(&e.uni).zip(&e.sub).take(n_labels) {
            *o = (*u).into() * value + T::widen(*s) * sub_value;
        }
        (out, e.lex)
    }
}

/// A sink that scores as it goes, and with `pieces` also records every feature's
/// contribution with its span (context features left out of the pieces).
struct Sink<'a, 'p, T: Raw> {
    w: WordWeights<'a, T>,
    /// Per-label sums of raw weight × value (label order of the model).
    acc: [f32; Label::COUNT],
    pieces: Option<&'p mut Vec<Piece>>,
}

/// One explained piece of a comment: a span of the normalised text and its per-label
/// contribution to the logits, in raw weight units (times the label's scale = logit units).
/// A word's unigram and byte n-grams are one piece.
pub(super) type Piece = (Range<usize>, [f32; Label::COUNT]);

impl<T: Raw> Sink<'_, '_, T> {
    #[inline]
    fn take(&mut self, c: [f32; Label::COUNT], span: Range<usize>, kind: FeatureKind) {
        for (a, x) in self.acc.iter_mut().zip(&c) {
            *a += x;
        }
        if let Some(p) = &mut self.pieces {
            if kind != FeatureKind::Context {
                p.push((span, c));
            }
        }
    }
}

impl<T: Raw> FeatureSink for Sink<'_, '_, T> {
    /// Reads one weight of every pair's row and the cache slot of every word, without using
    /// them: the reads are independent, so the CPU keeps many of them in flight at once, and
    /// the lines are in cache when the features arrive one by one (safe code cannot issue a
    /// prefetch instruction; a plain read does the same here).
    #[inline]
    fn prefetch(&mut self, pair_buckets: &[u32], word_hashes: &[u64]) {
        let (w, nl) = (self.w.weights, self.w.n_labels);
        let mut touch = 0u64;
        for &b in pair_buckets {
            if let Some(q) = row(w, nl, b).and_then(|r| r.first()) {
                touch = touch.wrapping_add(Into::<f32>::into(*q).to_bits() as u64);
            }
        }
        if !self.w.slots.is_empty() {
            for &h in word_hashes {
                touch = touch.wrapping_add(self.w.slots[(h as usize) & (SLOTS - 1)].hash);
            }
        }
        std::hint::black_box(touch);
    }

    #[inline]
    fn push(&mut self, index: u32, value: f32, kind: FeatureKind, span: Range<usize>) {
        if self.pieces.is_none() {
            self.w.add(index, value, &mut self.acc);
        } else {
            let mut c = [0.0; Label::COUNT];
            self.w.add(index, value, &mut c);
            self.take(c, span, kind);
        }
    }

    #[inline]
    fn word(&mut self, hash: u64, word: &[u8], span: Range<usize>, v: f32, sv: f32) -> WordTaken {
        // Longer words take the feature-by-feature path: their n-gram sums could overflow the
        // exact integer sums (a 100 KB "ababab…" word repeats a handful of n-grams).
        if word.len() > MAX_WORD {
            return WordTaken::No;
        }
        let (c, lexicon) = self.w.word_sums(hash, word, v, sv);
        self.take(c, span, FeatureKind::Word);
        WordTaken::Yes { lexicon }
    }
}

/// Per-label raw sums for `text` (model label order) by the cached path, and with `pieces`
/// every piece of it appended there (see [`Piece`]; spans in the normalised text of
/// `scratch`, read them back with `scratch.normalized().original_range`). The caller keeps
/// the pieces' buffer between comments (growing it was 3% of a verdict, callgrind, and
/// allocating it anew each time a little more). `cache` is made to belong to the model
/// first by the caller.
#[allow(clippy::too_many_arguments)]
pub(super) fn score(
    space: &FeatureSpace,
    weights: RawWeights<'_>,
    n_labels: usize,
    text: &str,
    ctx: &Context,
    scratch: &mut Scratch,
    cache: &mut WordCache,
    pieces: Option<&mut Vec<Piece>>,
) -> [f32; Label::COUNT] {
    fn run<T: Raw>(
        w: WordWeights<'_, T>,
        text: &str,
        ctx: &Context,
        scratch: &mut Scratch,
        pieces: Option<&mut Vec<Piece>>,
    ) -> [f32; Label::COUNT] {
        let space = w.space;
        let mut sink = Sink {
            w,
            acc: [0.0; Label::COUNT],
            pieces,
        };
        if let Some(p) = &mut sink.pieces {
            // About two pieces per word (its own, its pair).
            p.reserve(text.len() / 2 + 16);
        }
        space.extract_with(text, ctx, scratch, &mut sink);
        sink.acc
    }
    match weights {
        RawWeights::I8(q) => run(
            WordWeights::new(q, n_labels, space, cache),
            text,
            ctx,
            scratch,
            pieces,
        ),
        RawWeights::I16(q) => run(
            WordWeights::new(q, n_labels, space, cache),
            text,
            ctx,
            scratch,
            pieces,
        ),
    }
}
