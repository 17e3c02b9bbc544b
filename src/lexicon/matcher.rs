//! The `Lexicon` value and its matcher.
//!
//! Matching contract:
//! - It works on normalised text ([`Normalized`]) with the word boundaries of
//!   [`crate::text::words`]; a term only matches whole words, so `grape` never hits `ape`
//!   and `therapist` never hits `rapist`.
//! - Terms are normalised with the same normaliser as the text when the lexicon is built, so
//!   both sides agree on case and character folding.
//! - Inflections are generated at build time: nouns take `-s` / `-es` / `-ies` on their
//!   last word; entries flagged `verb` take `-s`, `-ed`, `-ing` (with `e`-dropping and
//!   consonant doubling) on their first word; `exact` entries take none. A trailing
//!   possessive (`'s`, `'`) is ignored.
//! - Multi-word terms are indexed by their first word; the following words must follow with
//!   only whitespace or hyphens between them.
//! - Masking: the normaliser keeps a mask character inside a word as `*`. A token holding
//!   `*` (with at least two other characters, three from seven characters on) matches every
//!   single-word form of the same length whose other characters agree (`n*gger`, `f**k`);
//!   such hits have `masked` set.
//! - Dropped and swapped letters (see `super::slip`): a word with no hit of its own that is
//!   one slip from a form of an abusive single-word term (`rtas`, `cockroches`) matches it,
//!   unless the real-word guard lists it.
//! - At one start word, a shorter hit is dropped when a longer one of the same category
//!   starts there too (`black people` wins over `black`), and a hit inside an earlier hit
//!   of the same category is dropped (`rats` inside `breed like rats`).

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use once_cell::sync::Lazy;

use super::builder::LexiconBuilder;
use super::entry::{Category, Entry, Flags, Group};
use super::follow;
use super::sketch::{
    has_bit, sketch, slip_sketch, word_hash, WordMap, SKETCH_WORDS, SLIP_SKETCH_WORDS,
};
use super::spellings::MaskForm;
use super::tokens::{match_rest, strip_possessive, tokens, Tokens};
use crate::error::{Error, Result};
use crate::text::Normalized;

/// A key flag: the key holds a doubled ASCII letter, so `stretched_hits` may find a hit at it.
pub(super) const KEY_DOUBLES: u8 = 1;

/// A key flag: the key ends in a possessive whose stem is a slip variant, so `slip_hits` may
/// find a hit at it (a key itself is never a slip variant).
pub(super) const KEY_POSSESSIVE_SLIP: u8 = 2;

/// One way an entry can start at a word: the entry and the words that must follow.
#[derive(Debug, Clone)]
pub(super) struct Cand {
    pub(super) entry: u32,
    pub(super) rest: Box<[Box<str>]>,
    /// [`follow::prefix`] of the first word of `rest` (zero for a single word): the bytes
    /// the next word must start with.
    pub(super) head: (u64, u64),
}

impl Cand {
    pub(super) fn new(entry: u32, rest: Box<[Box<str>]>) -> Cand {
        let head = rest.first().map_or((0, 0), |w| follow::prefix(w));
        Cand { entry, rest, head }
    }

    /// False when `next` ([`follow::next_bytes`] after the first word) rules the candidate
    /// out: its second word cannot follow. True for single words.
    #[inline]
    fn may_follow(&self, next: u64) -> bool {
        next & self.head.1 == self.head.0
    }
}

/// The matcher's tables (built by `LexiconBuilder::build`).
#[derive(Debug)]
pub(super) struct Inner {
    pub(super) entries: Vec<Entry>,
    /// Key → its candidates in `cands`.
    pub(super) index: WordMap<u32>,
    pub(super) cands: Vec<Vec<Cand>>,
    /// What each key (by number, as `cands`) can still give when its own candidates give no
    /// hit: [`KEY_DOUBLES`], [`KEY_POSSESSIVE_SLIP`].
    pub(super) key_flags: Vec<u8>,
    /// Single-word forms by length in characters.
    pub(super) masked: Vec<Vec<MaskForm>>,
    /// Longest key in bytes: longer tokens cannot match.
    pub(super) max_key: usize,
    /// Bit set over [`sketch`] of all keys: a token whose bit is clear cannot be a key.
    pub(super) sketch: Box<[u64]>,
    /// One-slip variant → the entries it stands for (single-word, abusive; see `slip`).
    pub(super) slip: WordMap<Box<[u32]>>,
    /// Longest slip variant in bytes.
    pub(super) slip_max: usize,
    /// Bit set over [`slip_sketch`] of the slip variants.
    pub(super) slip_sketch: Box<[u64]>,
}

/// A set of terms (identity terms, slurs, dehumanising vocabulary, cue lists) and a matcher
/// over normalised text. Cheap to clone (an `Arc`); no global state.
///
/// ```
/// use commentguard::lexicon::{Category, Lexicon};
/// use commentguard::text::normalize;
/// let lex = Lexicon::default();
/// let text = "They breed like rats and infest our cities.";
/// let norm = normalize(text);
/// let hits = lex.find(&norm);
/// let cats: Vec<(&str, Category)> =
///     hits.iter().map(|h| (&text[h.original.clone()], h.category)).collect();
/// assert!(cats.contains(&("breed like rats", Category::Dehumanising)));
/// assert!(cats.contains(&("infest", Category::Dehumanising)));
/// ```
#[derive(Clone)]
pub struct Lexicon(pub(super) Arc<Inner>);

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("entries", &self.0.entries.len())
            .field("keys", &self.0.index.len())
            .finish()
    }
}

/// What [`Lexicon::classify_word`] knows of one word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WordClass {
    /// Nothing known: the matcher looks the word up.
    #[default]
    Unknown,
    /// It can start no hit ([`Lexicon::is_inert_word`]).
    Inert,
    /// It is this key of the lexicon (an opaque number, valid for this lexicon only).
    Key(u32),
}

/// One match of a lexicon entry in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the entry in [`Lexicon::entries`] (see [`Lexicon::entry`]).
    pub entry: usize,
    /// The entry's category.
    pub category: Category,
    /// The entry's group, if any.
    pub group: Option<Group>,
    /// The entry's severity (1–3).
    pub severity: u8,
    /// The entry's flags.
    pub flags: Flags,
    /// Byte range in the normalised text.
    pub norm: Range<usize>,
    /// Byte range in the original text (through [`Normalized::original_range`]).
    pub original: Range<usize>,
    /// True when the match went through a `*` mask.
    pub masked: bool,
}

static BUILTIN_LEXICON: Lazy<std::result::Result<Lexicon, String>> = Lazy::new(|| {
    LexiconBuilder::new()
        .builtin()
        .and_then(LexiconBuilder::build)
        .map_err(|e| e.to_string())
});

impl Default for Lexicon {
    /// The built-in lexicon, parsed once per process and shared. If the built-in data were
    /// invalid (the test suite checks it is not) this is an empty lexicon; use
    /// [`Lexicon::builtin`] to see the error.
    fn default() -> Lexicon {
        match &*BUILTIN_LEXICON {
            Ok(l) => l.clone(),
            Err(_) => Lexicon::empty(),
        }
    }
}

impl Lexicon {
    /// The built-in lexicon (shared, parsed once), or the error its data gave.
    pub fn builtin() -> Result<Lexicon> {
        match &*BUILTIN_LEXICON {
            Ok(l) => Ok(l.clone()),
            Err(m) => Err(Error::syntax("lexicon", m.clone())),
        }
    }

    /// A lexicon with no entries.
    pub fn empty() -> Lexicon {
        LexiconBuilder::new().build().unwrap_or_else(|_| {
            Lexicon(Arc::new(Inner {
                entries: Vec::new(),
                index: WordMap::default(),
                cands: Vec::new(),
                key_flags: Vec::new(),
                masked: Vec::new(),
                max_key: 0,
                sketch: vec![0; SKETCH_WORDS].into_boxed_slice(),
                slip: WordMap::default(),
                slip_max: 0,
                slip_sketch: vec![0; SLIP_SKETCH_WORDS].into_boxed_slice(),
            }))
        })
    }

    /// A lexicon from one TSV text (see [`super::HEADER`]). Errors carry the line.
    pub fn from_tsv(text: &str) -> Result<Lexicon> {
        LexiconBuilder::new().tsv("<tsv>", text)?.build()
    }

    /// A lexicon from every `*.tsv` file in a folder (in name order), with `real_words.tsv`,
    /// if there is one, as its real-word guard (absent = no guard). Errors carry the file
    /// and line.
    pub fn from_dir(path: impl AsRef<Path>) -> Result<Lexicon> {
        LexiconBuilder::new().dir(path)?.build()
    }

    /// A builder, to combine the built-in data with a site's own files.
    pub fn builder() -> LexiconBuilder {
        LexiconBuilder::new()
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.0.entries
    }

    /// The entry with this index (as in [`Hit::entry`]).
    pub fn entry(&self, index: usize) -> Option<&Entry> {
        self.0.entries.get(index)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.entries.is_empty()
    }

    /// All hits in `norm`, in text order.
    pub fn find(&self, norm: &Normalized) -> Vec<Hit> {
        let mut out = Vec::new();
        self.find_into(norm, &mut out);
        out
    }

    /// All hits in `norm`, in text order, into `out` (cleared first; its allocation is
    /// reused). Never allocates otherwise.
    pub fn find_into(&self, norm: &Normalized, out: &mut Vec<Hit>) {
        self.find_in_tokens(norm, tokens(norm.as_str(), 0), |_| WordClass::Unknown, out);
    }

    /// [`find_into`](Self::find_into) for a caller that already has the word ranges of
    /// `norm` (`text::words` of its text, in order): the text is not tokenised again. The
    /// hits are the same.
    pub fn find_into_words(&self, norm: &Normalized, words: &[Range<usize>], out: &mut Vec<Hit>) {
        self.find_into_words_classified(norm, words, &[], out);
    }

    /// [`find_into_words`](Self::find_into_words) with what the caller already knows of
    /// each word: `classes[i]` must be [`classify_word`](Self::classify_word) of this
    /// lexicon for the text of `words[i]` (a scorer keeps it per word in its cache), or
    /// [`WordClass::Unknown`]. Inert words are passed over (they are still read as the
    /// second or later word of a multi-word term) and keys are not looked up again.
    /// `classes` may be shorter than `words` (missing = unknown). The hits are the same as
    /// without it.
    pub fn find_into_words_classified(
        &self,
        norm: &Normalized,
        words: &[Range<usize>],
        classes: &[WordClass],
        out: &mut Vec<Hit>,
    ) {
        let bytes = norm.as_str().as_bytes();
        if memchr::memchr(b'*', bytes).is_none() {
            // No mask: every word is a token of its own, and its class is known.
            out.clear();
            if self.0.entries.is_empty() {
                return;
            }
            for (i, w) in words.iter().enumerate() {
                let known = classes.get(i).copied().unwrap_or_default();
                if known != WordClass::Inert {
                    self.hits_at(norm, w.clone(), known, out);
                }
            }
            return;
        }
        let star = |i: usize| bytes.get(i) == Some(&b'*');
        // An inert word with no mask on either side is a token of its own (no glued token
        // can reach it, see `Tokens`) that starts no hit: it is left out before tokenising.
        let kept = words.iter().enumerate().filter(move |&(i, w)| {
            classes.get(i) != Some(&WordClass::Inert)
                || star(w.end)
                || (w.start > 0 && star(w.start - 1))
        });
        let toks = Tokens {
            bytes,
            inner: kept.map(|(_, w)| w.clone()),
            next: None,
            base: 0,
        };
        // Tokens are words in order, some glued over `*` masks: a token has a known class
        // only when it is exactly one word.
        let mut j = 0;
        let class = |tok: &Range<usize>| {
            if classes.is_empty() {
                return WordClass::Unknown;
            }
            while words.get(j).is_some_and(|w| w.end <= tok.start) {
                j += 1;
            }
            match (words.get(j), classes.get(j)) {
                (Some(w), Some(&c)) if w == tok => c,
                _ => WordClass::Unknown,
            }
        };
        self.find_in_tokens(norm, toks, class, out);
    }

    /// What a scorer can keep about the word `word` (normalised, one token) between
    /// comments, for [`find_into_words_classified`](Self::find_into_words_classified):
    /// inert (see [`is_inert_word`](Self::is_inert_word)), a key (without a mask), or
    /// neither.
    pub fn classify_word(&self, word: &str) -> WordClass {
        // One pass over the bytes: a mask, and the second letter of each double, as
        // `stretched_hits` finds them (it tries single letters for up to four of them,
        // chosen by the original text: every choice is tried below).
        let b = word.as_bytes();
        let (mut doubles, mut n, mut many) = ([0usize; 4], 0, false);
        let mut prev = 0u8;
        for (i, &c) in b.iter().enumerate() {
            if c == b'*' {
                return WordClass::Unknown;
            }
            if c == prev && c.is_ascii_alphabetic() {
                match doubles.get_mut(n) {
                    Some(d) => {
                        *d = i;
                        n += 1;
                    }
                    None => many = true,
                }
            }
            prev = c;
        }
        let h = word_hash(word);
        if let Some(k) = self.key_of(word, h) {
            return WordClass::Key(k);
        }
        if many
            || self.slip_lookup_hashed(word, h).is_some()
            || strip_possessive(word)
                .is_some_and(|s| self.lookup(s).is_some() || self.slip_lookup(s).is_some())
        {
            return WordClass::Unknown;
        }
        if n == 0 {
            return WordClass::Inert;
        }
        let mut buf = [0u8; 64];
        if b.len() > buf.len() {
            return WordClass::Unknown;
        }
        // Doubles are ASCII letters, so dropping one byte keeps the word UTF-8.
        let no_key = (1u32..1 << n).all(|m| {
            let mut len = 0;
            for (i, &c) in b.iter().enumerate() {
                if !(0..n).any(|k| m & (1 << k) != 0 && doubles[k] == i) {
                    buf[len] = c;
                    len += 1;
                }
            }
            std::str::from_utf8(&buf[..len]).is_ok_and(|w| self.lookup(w).is_none())
        });
        if no_key {
            WordClass::Inert
        } else {
            WordClass::Unknown
        }
    }

    /// True when the word `word` (normalised, one token) can start no hit on its own,
    /// whatever text is around it: it has no mask, is no key (nor is its possessive stem),
    /// and no way of making its doubled letters single (what a stretched spelling may stand
    /// behind; see `stretched_hits`) gives a key, nor is it (or its possessive stem) a
    /// dropped- or swapped-letter spelling of an abusive term. Words after it can still make
    /// it part of a multi-word term that starts earlier. The same as
    /// [`classify_word`](Self::classify_word) giving [`WordClass::Inert`].
    pub fn is_inert_word(&self, word: &str) -> bool {
        self.classify_word(word) == WordClass::Inert
    }

    fn find_in_tokens(
        &self,
        norm: &Normalized,
        toks: impl Iterator<Item = Range<usize>>,
        mut class: impl FnMut(&Range<usize>) -> WordClass,
        out: &mut Vec<Hit>,
    ) {
        out.clear();
        if self.0.entries.is_empty() {
            return;
        }
        for tok in toks {
            let known = class(&tok);
            if known != WordClass::Inert {
                self.hits_at(norm, tok, known, out);
            }
        }
    }

    /// The hits starting at the token `tok` of `norm` (its class `known`), pushed on `out`
    /// after the hits of the tokens before it.
    #[inline]
    fn hits_at(&self, norm: &Normalized, tok: Range<usize>, known: WordClass, out: &mut Vec<Hit>) {
        let text = norm.as_str();
        let inner = &*self.0;
        let Some(word) = text.get(tok.clone()) else {
            return;
        };
        let mark = out.len();
        let known = match known {
            WordClass::Key(k) => Some(k),
            _ => None,
        };
        // The word's key number, when it is a key.
        let mut key = None;
        if known.is_none() && word.as_bytes().contains(&b'*') {
            self.masked_hits(norm, word, tok.clone(), out);
        } else if let Some(k) = known.or_else(|| self.key_of(word, word_hash(word))) {
            key = Some(k);
            let next = follow::next_bytes(text.as_bytes(), tok.end);
            let cands = inner.cands.get(k as usize).map_or(&[][..], |c| &c[..]);
            for c in cands.iter().filter(|c| c.may_follow(next)) {
                self.push_cand(norm, c, tok.clone(), false, out);
            }
        } else if let Some(stem) = strip_possessive(word) {
            if let Some(cands) = self.lookup(stem) {
                for c in cands {
                    // The possessive belongs to the last word, so only single words.
                    if c.rest.is_empty() {
                        self.push_cand(norm, c, tok.start..tok.start + stem.len(), false, out);
                    }
                }
            }
        }
        // A key's flags say whether the two routes below can find anything at it (most
        // keys met are the heads of multi-word terms whose other words did not follow).
        let flags = key.map_or(u8::MAX, |k| {
            inner.key_flags.get(k as usize).copied().unwrap_or(u8::MAX)
        });
        if out.len() == mark && flags & KEY_DOUBLES != 0 {
            self.stretched_hits(norm, word, tok.clone(), out);
        }
        if out.len() == mark && flags & KEY_POSSESSIVE_SLIP != 0 {
            self.slip_hits(norm, word, tok.clone(), out);
        }
        if out.len() - mark > 1 {
            keep_longest(out, mark);
        }
        if mark > 0 && out.len() > mark {
            drop_covered(out, mark);
        }
    }

    /// The slip variant `word`'s entries, if it is one.
    #[inline]
    pub(super) fn slip_lookup(&self, word: &str) -> Option<&[u32]> {
        self.slip_lookup_hashed(word, word_hash(word))
    }

    /// [`slip_lookup`](Self::slip_lookup) with the word's [`word_hash`] `h` known.
    #[inline]
    pub(super) fn slip_lookup_hashed(&self, word: &str, h: u64) -> Option<&[u32]> {
        let inner = &*self.0;
        if word.len() > inner.slip_max || !has_bit(&inner.slip_sketch, slip_sketch(h)) {
            return None;
        }
        inner.slip.get(word).map(|e| &**e)
    }

    /// The key `word`'s candidates, if it is a key.
    #[inline]
    pub(super) fn lookup(&self, word: &str) -> Option<&Vec<Cand>> {
        let k = self.key_of(word, word_hash(word))?;
        self.0.cands.get(k as usize)
    }

    /// The number of the key `word` (`h` its [`word_hash`]), if it is a key.
    #[inline]
    pub(super) fn key_of(&self, word: &str, h: u64) -> Option<u32> {
        let inner = &*self.0;
        if word.len() > inner.max_key || !has_bit(&inner.sketch, sketch(h)) {
            return None;
        }
        inner.index.get(word).copied()
    }

    pub(super) fn push_cand(
        &self,
        norm: &Normalized,
        c: &Cand,
        first: Range<usize>,
        masked: bool,
        out: &mut Vec<Hit>,
    ) {
        let Some(end) = match_rest(norm.as_str(), first.end, &c.rest) else {
            return;
        };
        let Some(e) = self.0.entries.get(c.entry as usize) else {
            return;
        };
        let span = first.start..end;
        out.push(Hit {
            entry: c.entry as usize,
            category: e.category,
            group: e.group,
            severity: e.severity,
            flags: e.flags,
            original: norm.original_range(span.clone()),
            norm: span,
            masked,
        });
    }
}

/// Removes, among the hits from `mark` on (all starting at one word), any hit that a longer
/// hit of the same category covers.
fn keep_longest(out: &mut Vec<Hit>, mark: usize) {
    let mut i = mark;
    while i < out.len() {
        let (cat, end) = (out[i].category, out[i].norm.end);
        let beaten = out[mark..]
            .iter()
            .any(|h| h.category == cat && h.norm.end > end);
        if beaten {
            out.remove(i);
        } else {
            i += 1;
        }
    }
}

/// Removes, among the hits from `mark` on, any hit inside the span of an earlier hit of the
/// same category (`rats` inside `breed like rats`).
fn drop_covered(out: &mut Vec<Hit>, mark: usize) {
    let mut i = mark;
    while i < out.len() {
        let (cat, start, end) = (out[i].category, out[i].norm.start, out[i].norm.end);
        let covered = out[..mark]
            .iter()
            .rev()
            .take(8)
            .any(|h| h.category == cat && h.norm.start <= start && h.norm.end >= end);
        if covered {
            out.remove(i);
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;
