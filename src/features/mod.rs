//! Features: one function, [`FeatureSpace::extract`], used by both training and scoring.
//!
//! A comment becomes a sparse vector over `2^bits` hashed buckets:
//! - word 1- and 2-grams of the normalised text,
//! - byte n-grams inside words with boundary markers (fastText-style subwords), which make
//!   obfuscated spellings (`scuuum`, `sc*m`) share most of their features with the plain word,
//! - lexicon hits by category and group/kind, identity-term × dehumanising-term co-occurrence
//!   inside a word window, negation before abuse, reporting/counter-speech cues, and abuse
//!   inside quotation marks,
//! - thread-context slots (depth, the parent's hateful score) — zero in training rows that have
//!   no thread.
//!
//! Duplicated indices are allowed in a row (a linear model sums them); training rows are
//! merged by `SparseMatrix`'s row builder. Explanations come from the same pass: a sink that
//! records, for every feature, the byte span of the ORIGINAL text that produced it.

mod hashing;
mod quotes;
pub mod slur_floor;

use crate::lexicon::{Category, Hit, Lexicon, WordClass};
use crate::model::Label;
use crate::text::{words, Normalized, Normalizer};
use serde::{Deserialize, Serialize};
use std::ops::Range;

use hashing::{finish, ns, CharHasher};
#[cfg(test)]
use quotes::inside_quotes;
use quotes::QuoteState;

/// Settings of the feature space; saved in the model bundle, so a model is always scored with
/// the features it was trained on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FeatureConfig {
    /// Format version of this config: 3 (with `stacked`), 2 (with `block_scales`); 1 is still
    /// read (bundles written before `block_scales` existed). A binary older than a version
    /// refuses a bundle of that version instead of silently scoring it the wrong way.
    pub version: u32,
    /// log2 of the number of hashed buckets. Default 18 (262,144 buckets).
    pub bits: u32,
    /// Largest word n-gram (1 or 2). Default 2.
    pub word_ngrams: u32,
    /// Smallest byte n-gram inside words (with boundary markers). Default 3.
    pub char_min: u32,
    /// Largest byte n-gram inside words; 0 turns subwords off. Default 5.
    pub char_max: u32,
    /// Words further apart than this do not co-occur. Default 6.
    pub window: u32,
    /// Scale word n-grams and byte n-grams each by their own count (two blocks of unit
    /// norm, as a TF-IDF word + char feature union does) instead of one shared scale, so the
    /// many byte n-grams do not drown the words. Default true (version 2); version-1
    /// bundles, written before it existed, read as false.
    #[serde(default)]
    pub block_scales: bool,
    /// Stacking (version 3): each label's probability comes from a calibrator over the text
    /// model's logit and the comment's [`Cues`], fitted on the dev rows, instead of the logit
    /// alone. Default false; bundles before version 3 read as false.
    #[serde(default)]
    pub stacked: bool,
    /// Push the thread-context slots (depth, the parent's scores) as features. Default false,
    /// and no `train` option sets it yet: no training row has a thread, so these slots would
    /// learn nothing and, being hashed, would only add the weight of whatever n-gram shares
    /// their bucket (before session 5 they were always pushed: +0.28 to the toxic logit of
    /// every line scored by `score --format lines` with the shipped model).
    #[serde(default)]
    pub context: bool,
    /// The [`RULES_REVISION`] of the code that wrote the bundle; bundles written before
    /// revisions were recorded read as 1.
    #[serde(default = "first_rules_revision")]
    pub rules: u32,
}

/// Revision of the feature rules that are code rather than data (the cue found by
/// `calls_name`, say). It is bumped whenever such a rule changes a comment's features, so
/// that a bundle trained under another revision is known to be scored with features it was
/// not trained on (the lexicon lists, which are data, are compared by their checksums in the
/// model card). 1: every bundle before session 9; 2: session 9, "call NAME a ABUSE" is a
/// reporting cue (before, only "call GROUP ABUSE").
pub const RULES_REVISION: u32 = 2;

fn first_rules_revision() -> u32 {
    1
}

impl Default for FeatureConfig {
    fn default() -> FeatureConfig {
        FeatureConfig {
            version: 2,
            bits: 18,
            word_ngrams: 2,
            char_min: 3,
            char_max: 5,
            window: 6,
            block_scales: true,
            stacked: false,
            context: false,
            rules: RULES_REVISION,
        }
    }
}

impl FeatureConfig {
    /// Checks the settings once, before any work.
    pub fn validate(&self) -> crate::Result<()> {
        if !(1..=3).contains(&self.version) {
            return Err(crate::Error::param(
                "features.version",
                format!("unsupported feature config version {}", self.version),
            ));
        }
        if self.version == 1 && self.block_scales {
            return Err(crate::Error::param(
                "features.block_scales",
                "needs feature config version 2",
            ));
        }
        if self.version < 3 && self.stacked {
            return Err(crate::Error::param(
                "features.stacked",
                "needs feature config version 3",
            ));
        }
        if !(10..=24).contains(&self.bits) {
            return Err(crate::Error::param("features.bits", "must be 10..=24"));
        }
        if !(1..=2).contains(&self.word_ngrams) {
            return Err(crate::Error::param(
                "features.word_ngrams",
                "must be 1 or 2",
            ));
        }
        if self.char_max != 0
            && !(1 <= self.char_min && self.char_min <= self.char_max && self.char_max <= 8)
        {
            return Err(crate::Error::param(
                "features.char_min/char_max",
                "need 1 <= char_min <= char_max <= 8 (or char_max 0 for none)",
            ));
        }
        Ok(())
    }
    /// Number of buckets.
    pub fn dim(&self) -> usize {
        1usize << self.bits
    }
}

/// The hash of the word pair `a b` from the words' hashes.
#[inline]
fn pair_hash(a: u64, b: u64) -> u64 {
    a.rotate_left(17) ^ b ^ ns::PAIR
}

/// Thread context of a comment, for the context slots.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Context {
    /// Depth in the thread (1 = top level); 0 = unknown / no thread.
    pub depth: u32,
    /// The parent's probability per label (in [`Label::ALL`] order), when scored.
    pub parent: Option<[f32; Label::COUNT]>,
}

/// What produced a feature; used by explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FeatureKind {
    /// A word unigram.
    Word,
    /// A word bigram.
    WordPair,
    /// A byte n-gram inside a word.
    Subword,
    /// A lexicon hit of this category.
    Lexicon(Category),
    /// An identity term near a dehumanising term or slur.
    IdentityNearAbuse,
    /// A negation just before an abusive term.
    Negated,
    /// A reporting or counter-speech cue.
    Cue,
    /// An abusive term inside quotation marks.
    Quoted,
    /// Thread context.
    Context,
}

/// Receives features as they are produced.
pub trait FeatureSink {
    /// One feature: bucket, value, kind and the byte span of the NORMALISED text behind it.
    fn push(&mut self, index: u32, value: f32, kind: FeatureKind, norm_span: Range<usize>);

    /// Offered for each word before its unigram and byte n-grams are produced. A sink that
    /// accounts for both itself returns true and neither is pushed (the scorer adds cached
    /// per-word weights; see [`FeatureSpace::word_bucket`] and
    /// [`FeatureSpace::each_subword_bucket`]). `word_hash` is the hash behind the word's
    /// unigram, `word` its normalised bytes, `span` where they are in the normalised text,
    /// `value` the unigram's value and `sub_value` the
    /// value each byte n-gram carries. Only offered when byte n-grams are on. The default
    /// accepts nothing.
    #[inline]
    fn word(
        &mut self,
        _word_hash: u64,
        _word: &[u8],
        _span: Range<usize>,
        _value: f32,
        _sub_value: f32,
    ) -> WordTaken {
        WordTaken::No
    }

    /// A hint, given for every word pair's bucket before any feature of the comment is
    /// pushed: a scorer can start reading those weights now, so that they are at hand when
    /// the features arrive (the reads are independent and overlap). `word_hashes` has one
    /// hash per word, as [`word`](Self::word) gets them. The default does nothing.
    #[inline]
    fn prefetch(&mut self, _pair_buckets: &[u32], _word_hashes: &[u64]) {}
}

/// What a sink did with a word offered to [`FeatureSink::word`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordTaken {
    /// Not taken: the word's unigram and byte n-grams are pushed one by one.
    No,
    /// Taken. `lexicon`: [`Lexicon::classify_word`] of the word with this feature space's
    /// lexicon when the sink knows it (a scorer keeps it in its per-word cache), else
    /// [`WordClass::Unknown`]; the lexicon pass then skips inert words and known keys'
    /// lookups.
    Yes {
        /// See above.
        lexicon: WordClass,
    },
}

/// A sparse feature vector (duplicate indices allowed; a linear model sums them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeatureVec {
    /// Bucket indices.
    pub indices: Vec<u32>,
    /// Values, parallel to `indices`.
    pub values: Vec<f32>,
}

impl FeatureVec {
    /// Empties the vector, keeping its allocation.
    pub fn clear(&mut self) {
        self.indices.clear();
        self.values.clear();
    }
    /// Number of entries (with duplicates).
    pub fn len(&self) -> usize {
        self.indices.len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
    /// (index, value) pairs.
    pub fn pairs(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.indices
            .iter()
            .copied()
            .zip(self.values.iter().copied())
    }
}

impl FeatureSink for FeatureVec {
    #[inline]
    fn push(&mut self, index: u32, value: f32, _kind: FeatureKind, _span: Range<usize>) {
        self.indices.push(index);
        self.values.push(value);
    }
}

/// One explained feature: what it is and where it came from in the original text.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    /// Bucket index.
    pub index: u32,
    /// Feature value.
    pub value: f32,
    /// What produced it.
    pub kind: FeatureKind,
    /// Byte span in the original text (empty for context features).
    pub original: Range<usize>,
}

/// Number of dense cues ([`Cues`]).
pub const N_CUES: usize = 9;

/// A few dense, length-independent cues of a comment, for the stacking stage (a calibrator
/// over the text model's logit plus these; see `model::Calibrator`). Filled by every
/// extraction, whatever the sink. In [`Cues::NAMES`] order: the log of 1 + the number of
/// dehumanising, slur, identity, insult and threat hits; whether an identity term sits near an
/// abusive term, whether abuse is negated, whether a reporting or counter-speech cue is
/// present, whether abuse is inside quotation marks (0 or 1 each).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cues(pub [f32; N_CUES]);

impl Cues {
    /// Names, in order (model cards list the stacking weights with them).
    pub const NAMES: [&'static str; N_CUES] = [
        "ln(1+dehumanising hits)",
        "ln(1+slur hits)",
        "ln(1+identity hits)",
        "ln(1+insult hits)",
        "ln(1+threat hits)",
        "identity near abuse",
        "negated abuse",
        "reporting or counter-speech cue",
        "abuse in quotation marks",
    ];
    /// As f64, for a calibrator.
    pub fn as_f64(&self) -> [f64; N_CUES] {
        self.0.map(f64::from)
    }
}

/// Buffers reused between calls (one per thread of work).
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    norm: Normalized,
    words: Vec<Range<usize>>,
    /// Per word: what the sink knows of it for the lexicon (see [`WordTaken`]).
    classes: Vec<WordClass>,
    /// Per word: its hash; per pair of neighbouring words: its bucket.
    hashes: Vec<u64>,
    pairs: Vec<u32>,
    hits: Vec<Hit>,
    cues: Cues,
}

impl Scratch {
    /// The normalised text of the last extraction.
    pub fn normalized(&self) -> &Normalized {
        &self.norm
    }
    /// The lexicon hits of the last extraction.
    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }
    /// The dense cues of the last extraction.
    pub fn cues(&self) -> &Cues {
        &self.cues
    }
}

/// The feature space: config, normaliser and lexicon. Cheap to clone and share.
#[derive(Debug, Clone)]
pub struct FeatureSpace {
    config: FeatureConfig,
    normalizer: Normalizer,
    lexicon: Lexicon,
    mask: u32,
}

impl FeatureSpace {
    /// A feature space with the given settings and lexicon.
    pub fn new(config: FeatureConfig, lexicon: Lexicon) -> crate::Result<FeatureSpace> {
        config.validate()?;
        let mask = (config.dim() - 1) as u32;
        Ok(FeatureSpace {
            config,
            normalizer: Normalizer::default(),
            lexicon,
            mask,
        })
    }
    /// The feature space a model bundle was trained with (its `feature_space` JSON).
    pub fn from_bundle_config(
        config: &serde_json::Value,
        lexicon: Lexicon,
    ) -> crate::Result<FeatureSpace> {
        let cfg: FeatureConfig = serde_json::from_value(config.clone())
            .map_err(|e| crate::Error::model(format!("feature config in the bundle: {e}")))?;
        FeatureSpace::new(cfg, lexicon)
    }
    /// Where these features differ from the ones a model with this feature config and `card`
    /// was trained on, one sentence each: the feature rules' revision ([`RULES_REVISION`]),
    /// and each compiled-in lexicon list whose checksum the card records and that differs
    /// from this build's. Empty when they are the same.
    pub fn drift(&self, card: &crate::model::ModelCard) -> Vec<String> {
        let mut out = Vec::new();
        if self.config.rules != RULES_REVISION {
            out.push(format!(
                "trained with feature rules revision {}; this build has revision {RULES_REVISION}",
                self.config.rules
            ));
        }
        for (file, text) in crate::lexicon::builtin_sources() {
            let key = format!("{file} (compiled in)");
            if let Some(sum) = card.data_checksums.get(&key) {
                if *sum != crate::train::datasets::sha256_hex(text.as_bytes()) {
                    out.push(format!("trained with another {file} than this build's"));
                }
            }
        }
        out
    }
    /// The settings.
    pub fn config(&self) -> &FeatureConfig {
        &self.config
    }
    /// The lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }
    /// Number of buckets.
    pub fn dim(&self) -> usize {
        self.config.dim()
    }

    /// The bucket of a word unigram whose hash the [`FeatureSink::word`] hook was given.
    pub fn word_bucket(&self, word_hash: u64) -> u32 {
        finish(word_hash) & self.mask
    }

    /// Calls `f` with the bucket of every byte n-gram of one normalised word, the same
    /// buckets (in the same order) [`extract_with`](Self::extract_with) pushes as
    /// [`FeatureKind::Subword`] for it. Nothing when subwords are off.
    pub fn each_subword_bucket(&self, word: &[u8], mut f: impl FnMut(u32)) {
        let (cmin, cmax) = (self.config.char_min as usize, self.config.char_max as usize);
        if cmax > 0 {
            CharHasher::each(word, cmin, cmax, |h, _, _| f(finish(h) & self.mask));
        }
    }

    /// Features of `text` into `out` (cleared first).
    pub fn extract(&self, text: &str, ctx: &Context, scratch: &mut Scratch, out: &mut FeatureVec) {
        out.clear();
        self.extract_with(text, ctx, scratch, out);
    }

    /// Features of `text` with the original span of each, for explanations.
    pub fn explain(&self, text: &str, ctx: &Context, scratch: &mut Scratch) -> Vec<Explained> {
        struct Rec(Vec<(u32, f32, FeatureKind, Range<usize>)>);
        impl FeatureSink for Rec {
            fn push(&mut self, i: u32, v: f32, k: FeatureKind, s: Range<usize>) {
                self.0.push((i, v, k, s));
            }
        }
        let mut rec = Rec(Vec::new());
        self.extract_with(text, ctx, scratch, &mut rec);
        rec.0
            .into_iter()
            .map(|(index, value, kind, span)| Explained {
                index,
                value,
                kind,
                original: if kind == FeatureKind::Context {
                    0..0
                } else {
                    scratch.norm.original_range(span)
                },
            })
            .collect()
    }

    /// The single feature function behind [`extract`](Self::extract) and
    /// [`explain`](Self::explain).
    pub fn extract_with<S: FeatureSink>(
        &self,
        text: &str,
        ctx: &Context,
        scratch: &mut Scratch,
        sink: &mut S,
    ) {
        let cfg = &self.config;
        let mask = self.mask;
        self.normalizer.normalize_into(text, &mut scratch.norm);
        let norm = scratch.norm.as_str();
        scratch.words.clear();
        scratch.words.extend(words(norm));
        let ws = &scratch.words;

        // n-gram features are scaled so long comments do not dominate: one shared scale, or
        // one per block (words, byte n-grams).
        let (cmin, cmax) = (cfg.char_min as usize, cfg.char_max as usize);
        let n_words = ws.len()
            + if cfg.word_ngrams >= 2 {
                ws.len().saturating_sub(1)
            } else {
                0
            };
        let mut n_chars = 0;
        if cmax > 0 {
            for w in ws {
                let l = w.len() + 2;
                for n in cmin..=cmax {
                    n_chars += l.saturating_sub(n - 1);
                }
            }
        }
        let inv_sqrt = |n: usize| if n > 0 { 1.0 / (n as f32).sqrt() } else { 0.0 };
        let (scale, cscale) = if cfg.block_scales {
            (inv_sqrt(n_words), inv_sqrt(n_chars))
        } else {
            let s = inv_sqrt(n_words + n_chars);
            (s, s)
        };

        // Word hashes and pair buckets first, so the sink can start its reads early.
        scratch.hashes.clear();
        scratch.hashes.extend(
            ws.iter().map(|w| {
                xxhash_rust::xxh3::xxh3_64_with_seed(&norm.as_bytes()[w.clone()], ns::WORD)
            }),
        );
        let hashes = &scratch.hashes;
        scratch.pairs.clear();
        if cfg.word_ngrams >= 2 {
            scratch.pairs.extend(
                hashes
                    .windows(2)
                    .map(|p| finish(pair_hash(p[0], p[1])) & mask),
            );
        }
        let pairs = &scratch.pairs;
        sink.prefetch(pairs, hashes);

        let mut prev: Option<usize> = None;
        scratch.classes.clear();
        for (i, w) in ws.iter().enumerate() {
            let bytes = &norm.as_bytes()[w.clone()];
            let h = hashes[i];
            let taken = if cmax > 0 {
                sink.word(h, bytes, w.clone(), scale, cscale)
            } else {
                WordTaken::No
            };
            scratch.classes.push(match taken {
                WordTaken::Yes { lexicon } => lexicon,
                WordTaken::No => WordClass::Unknown,
            });
            let taken = taken != WordTaken::No;
            if !taken {
                sink.push(finish(h) & mask, scale, FeatureKind::Word, w.clone());
            }
            if let (Some(pstart), Some(&b)) = (prev, i.checked_sub(1).and_then(|p| pairs.get(p))) {
                sink.push(b, scale, FeatureKind::WordPair, pstart..w.end);
            }
            prev = Some(w.start);
            if cmax > 0 && !taken {
                CharHasher::each(bytes, cmin, cmax, |h, s, e| {
                    // s/e index the padded word: 0 is the start marker.
                    let a = w.start + s.saturating_sub(1).min(bytes.len());
                    let b = w.start + e.saturating_sub(1).min(bytes.len());
                    sink.push(finish(h) & mask, cscale, FeatureKind::Subword, a..b.max(a));
                });
            }
        }

        self.lexicon_features(scratch, sink);
        if cfg.context {
            context_features(ctx, mask, sink);
        }
    }

    fn lexicon_features<S: FeatureSink>(&self, scratch: &mut Scratch, sink: &mut S) {
        let mask = self.mask;
        self.lexicon.find_into_words_classified(
            &scratch.norm,
            &scratch.words,
            &scratch.classes,
            &mut scratch.hits,
        );
        scratch.cues = Cues::default();
        let hits = &scratch.hits;
        if hits.is_empty() {
            return;
        }
        let mut counts = [0u32; 5];
        let (mut id_near, mut negated, mut quoted) = (false, false, false);
        let norm = scratch.norm.as_str();
        let ws = &scratch.words;
        let word_at = |byte: usize| ws.partition_point(|w| w.end <= byte);
        let window = self.config.window as usize;
        let mut any_cue = false;
        // Hits are in text order, so their word indices never decrease: the hits near an
        // abusive term are a slice found by binary search, and the quote state is carried
        // along the line. Scanning every hit (and the line up to each hit) was quadratic: a
        // 760 KB comment took two minutes (regression test
        // `finding_features_linear_in_hits` in tests/hostile.rs).
        let hit_words: Vec<usize> = hits.iter().map(|h| word_at(h.norm.start)).collect();
        let near = |lo: usize, hi: usize| {
            let a = hit_words.partition_point(|&x| x < lo);
            let b = hit_words.partition_point(|&x| x <= hi);
            &hits[a..b.max(a)]
        };
        let mut quotes = QuoteState::default();
        for h in hits {
            let cat = h.category;
            let group = h.group.map(|g| g.index() as u64 + 1).unwrap_or(0);
            let key = ns::LEX ^ ((cat.index() as u64) << 8) ^ group;
            sink.push(
                finish(key) & mask,
                1.0,
                FeatureKind::Lexicon(cat),
                h.norm.clone(),
            );
            let sev = ns::LEX ^ ((cat.index() as u64) << 8) ^ (0x80 + h.severity as u64);
            sink.push(
                finish(sev) & mask,
                1.0,
                FeatureKind::Lexicon(cat),
                h.norm.clone(),
            );
            if h.flags.bits() != 0 {
                let fl = ns::LEXFLAG ^ ((cat.index() as u64) << 8) ^ h.flags.bits() as u64;
                sink.push(
                    finish(fl) & mask,
                    1.0,
                    FeatureKind::Lexicon(cat),
                    h.norm.clone(),
                );
            }
            let abusive = matches!(
                cat,
                Category::Dehumanising | Category::Slur | Category::Insult | Category::Threat
            );
            let slot = match cat {
                Category::Dehumanising => Some(0),
                Category::Slur => Some(1),
                Category::IdentityTerm => Some(2),
                Category::Insult => Some(3),
                Category::Threat => Some(4),
                _ => None,
            };
            if let Some(k) = slot {
                counts[k] += 1;
            }
            if matches!(cat, Category::Reporting | Category::CounterSpeech) {
                any_cue = true;
                let k = ns::CUE ^ cat.index() as u64;
                sink.push(finish(k) & mask, 1.0, FeatureKind::Cue, h.norm.clone());
            }
            if !abusive {
                continue;
            }
            let wi = word_at(h.norm.start);
            // Identity term within the window of an abusive term.
            let around = near(wi.saturating_sub(window), wi.saturating_add(window));
            // "people call Ukrainians khokhols", "used to call him a wop": a form of `call`
            // naming someone just before the abuse reports a name, like the cue `call them`.
            if !any_cue {
                if let Some(start) = calls_name(norm, ws, wi) {
                    any_cue = true;
                    let k = ns::CUE ^ Category::Reporting.index() as u64;
                    sink.push(finish(k) & mask, 1.0, FeatureKind::Cue, start..h.norm.end);
                }
            }
            for g in around
                .iter()
                .filter(|g| g.category == Category::IdentityTerm)
            {
                let gi = word_at(g.norm.start);
                if gi.abs_diff(wi) <= window {
                    id_near = true;
                    let gk = g.group.map(|x| x.index() as u64 + 1).unwrap_or(0);
                    let k = ns::COOC ^ ((cat.index() as u64) << 8) ^ gk;
                    let span = g.norm.start.min(h.norm.start)..g.norm.end.max(h.norm.end);
                    sink.push(
                        finish(k) & mask,
                        1.0,
                        FeatureKind::IdentityNearAbuse,
                        span.clone(),
                    );
                    sink.push(
                        finish(ns::COOC ^ ((cat.index() as u64) << 8)) & mask,
                        1.0,
                        FeatureKind::IdentityNearAbuse,
                        span,
                    );
                }
            }
            // Negation up to 3 words before the abusive term ("are not vermin"), in the same
            // clause: "aren't people, they're parasites" negates nothing.
            let before = near(wi.saturating_sub(3), wi.saturating_sub(1));
            for n in before.iter().filter(|g| g.category == Category::Negation) {
                let ni = word_at(n.norm.start);
                let between = norm.get(n.norm.end..h.norm.start).unwrap_or("");
                if ni < wi && wi - ni <= 3 && !between.contains(CLAUSE_BREAKS) {
                    negated = true;
                    let k = ns::NEG ^ cat.index() as u64;
                    sink.push(
                        finish(k) & mask,
                        1.0,
                        FeatureKind::Negated,
                        n.norm.start..h.norm.end,
                    );
                }
            }
            // Inside quotation marks: an odd number of quote characters before it on its line.
            if quotes.inside(norm, h.norm.start) {
                quoted = true;
                let k = ns::QUOTE ^ cat.index() as u64;
                sink.push(finish(k) & mask, 1.0, FeatureKind::Quoted, h.norm.clone());
            }
        }
        if any_cue {
            sink.push(finish(ns::CUE) & mask, 1.0, FeatureKind::Cue, 0..0);
        }
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let c = &mut scratch.cues.0;
        for (k, n) in counts.iter().enumerate() {
            c[k] = (1.0 + *n as f32).ln();
        }
        c[5] = flag(id_near);
        c[6] = flag(negated);
        c[7] = flag(any_cue);
        c[8] = flag(quoted);
    }
}

impl Default for FeatureSpace {
    /// Default settings with the built-in lexicon.
    fn default() -> FeatureSpace {
        FeatureSpace::new(FeatureConfig::default(), Lexicon::default())
            .expect("default feature config is valid")
    }
}

/// Punctuation that ends a negation's scope.
pub(crate) const CLAUSE_BREAKS: [char; 6] = [',', ';', ':', '.', '!', '?'];

/// Most words between a form of `call` and the abuse it names: "call [your Pakistani
/// coworker] a paki".
const CALL_OBJECT_WORDS: usize = 4;

/// Where a form of `call` starts when it names the abusive term that begins at word `wi` of
/// `words` as what someone is called: `call` (calls, called, calling), then one to
/// [`CALL_OBJECT_WORDS`] words naming who, not the reader ("you" is direct abuse), then the
/// abuse, all in one clause: "call Ukrainians khokhols", "calling the OP a sand monkey",
/// "used to call him a wop". Looks at no more than the few words before the abuse, so a
/// comment's hits cost the same however long it is.
fn calls_name(norm: &str, words: &[Range<usize>], wi: usize) -> Option<usize> {
    let mut after = words.get(wi)?.start;
    for (object, w) in words[wi.saturating_sub(CALL_OBJECT_WORDS + 1)..wi]
        .iter()
        .rev()
        .enumerate()
    {
        let gap = norm.get(w.end..after).unwrap_or("");
        if gap.contains(CLAUSE_BREAKS) || gap.contains('\n') {
            return None;
        }
        match &norm[w.clone()] {
            "call" | "calls" | "called" | "calling" => return (object > 0).then_some(w.start),
            "you" | "u" | "ya" | "yourself" | "yourselves" => return None,
            _ => after = w.start,
        }
    }
    None
}

fn context_features<S: FeatureSink>(ctx: &Context, mask: u32, sink: &mut S) {
    if ctx.depth == 0 {
        return;
    }
    let d = ctx.depth.min(6) as u64;
    sink.push(finish(ns::CTX ^ d) & mask, 1.0, FeatureKind::Context, 0..0);
    if let Some(p) = ctx.parent {
        for l in Label::ALL {
            let v = p[l.index()];
            if v >= 0.5 {
                let k = ns::CTX ^ 0x100 ^ l.index() as u64;
                sink.push(finish(k) & mask, v, FeatureKind::Context, 0..0);
            }
        }
    }
}

#[cfg(test)]
mod tests;
