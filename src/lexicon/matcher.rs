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

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use once_cell::sync::Lazy;

use super::entry::{parse_tsv, Category, Entry, Flags, Group};
use super::follow;
use super::slip::{self, Slip};
use crate::error::{Error, Result};
use crate::text::{normalize, words, Normalized};

/// The data files compiled into the binary: (name used in errors, contents).
const BUILTIN: [(&str, &str); 5] = [
    (
        "src/lexicon/data/identity.tsv",
        include_str!("data/identity.tsv"),
    ),
    ("src/lexicon/data/slurs.tsv", include_str!("data/slurs.tsv")),
    (
        "src/lexicon/data/dehumanising.tsv",
        include_str!("data/dehumanising.tsv"),
    ),
    ("src/lexicon/data/cues.tsv", include_str!("data/cues.tsv")),
    ("src/lexicon/data/abuse.tsv", include_str!("data/abuse.tsv")),
];

/// The lexicon's data files compiled into the binary, as (path in the repository, contents):
/// what [`Lexicon::builtin`] is built from, the real-word guard last. Model cards record their checksums, since the
/// lexicon's hits are features.
pub fn builtin_sources() -> Vec<(&'static str, &'static str)> {
    let mut v = BUILTIN.to_vec();
    v.push(slip::BUILTIN_REAL_WORDS);
    v
}

/// Size of the key sketch in 64-bit words (64 Kibit: about 3% set for 2,200 keys).
const SKETCH_WORDS: usize = 1024;

/// Size of the slip-variant sketch in 64-bit words (128 Kibit: there are about 11,000
/// variants, and most words of a text are looked up in it).
const SLIP_SKETCH_WORDS: usize = 2048;

/// A hash of the whole word (the FxHash mix over 8-byte pieces, as [`WordHasher`], then
/// the MurmurHash3 finaliser so that every bit depends on every byte) from which both
/// sketches take their bit: computed once per word, it rules out nearly every word that is
/// neither a key nor a slip variant before either map is probed. (Until session 7 the
/// sketches hashed the length, first two and last bytes only, and about 30% of a text's
/// distinct words passed each.)
#[inline]
fn word_hash(w: &str) -> u64 {
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
fn sketch(h: u64) -> usize {
    (h >> (64 - (SKETCH_WORDS * 64).trailing_zeros())) as usize
}

/// The bit of a word (by its [`word_hash`]) in the slip-variant sketch: the hash's low bits.
#[inline]
fn slip_sketch(h: u64) -> usize {
    h as usize & (SLIP_SKETCH_WORDS * 64 - 1)
}

/// Whether bit `k` of a sketch is set (out of range: not set).
#[inline]
fn has_bit(bits: &[u64], k: usize) -> bool {
    bits.get(k >> 6)
        .is_some_and(|w| w & (1u64 << (k & 63)) != 0)
}

/// Sets bit `k` of a sketch (out of range: nothing).
fn set_bit(bits: &mut [u64], k: usize) {
    if let Some(w) = bits.get_mut(k >> 6) {
        *w |= 1u64 << (k & 63);
    }
}

/// A key flag: the key holds a doubled ASCII letter, so `stretched_hits` may find a hit at it.
const KEY_DOUBLES: u8 = 1;

/// A key flag: the key ends in a possessive whose stem is a slip variant, so `slip_hits` may
/// find a hit at it (a key itself is never a slip variant).
const KEY_POSSESSIVE_SLIP: u8 = 2;

/// Longest masked token (in characters) the masked index covers.
const MAX_MASKED_CHARS: usize = 32;

/// A small, fast, non-cryptographic hasher (the FxHash mix) for short word keys.
#[derive(Default, Clone, Copy)]
struct WordHasher(u64);

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

type WordMap<V> = HashMap<Box<str>, V, BuildHasherDefault<WordHasher>>;

/// One way an entry can start at a word: the entry and the words that must follow.
#[derive(Debug, Clone)]
struct Cand {
    entry: u32,
    rest: Box<[Box<str>]>,
    /// [`follow::prefix`] of the first word of `rest` (zero for a single word): the bytes
    /// the next word must start with.
    head: (u64, u64),
}

impl Cand {
    fn new(entry: u32, rest: Box<[Box<str>]>) -> Cand {
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

/// A single-word form kept for masked lookups.
#[derive(Debug, Clone)]
struct MaskForm {
    chars: Box<[char]>,
    entry: u32,
}

#[derive(Debug)]
struct Inner {
    entries: Vec<Entry>,
    /// Key → its candidates in `cands`.
    index: WordMap<u32>,
    cands: Vec<Vec<Cand>>,
    /// What each key (by number, as `cands`) can still give when its own candidates give no
    /// hit: [`KEY_DOUBLES`], [`KEY_POSSESSIVE_SLIP`].
    key_flags: Vec<u8>,
    /// Single-word forms by length in characters.
    masked: Vec<Vec<MaskForm>>,
    /// Longest key in bytes: longer tokens cannot match.
    max_key: usize,
    /// Bit set over [`sketch`] of all keys: a token whose bit is clear cannot be a key.
    sketch: Box<[u64]>,
    /// One-slip variant → the entries it stands for (single-word, abusive; see `slip`).
    slip: WordMap<Box<[u32]>>,
    /// Longest slip variant in bytes.
    slip_max: usize,
    /// Bit set over [`slip_sketch`] of the slip variants.
    slip_sketch: Box<[u64]>,
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
pub struct Lexicon(Arc<Inner>);

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

    /// Hits of an abusive single-word term spelled with stretched letters. The normaliser keeps
    /// at most two of a run (`verminnnn` → `verminn`, `scuuuum` → `scuum`), which no longer
    /// matches the term; here each doubled letter that stood for a run of three or more in the
    /// original text (so `assess` or `bitter` are left alone) is tried single, one at a time and
    /// then all together. Only dehumanising, slur, insult, threat and obscene entries count:
    /// a stretched name must not turn into an identity term.
    fn stretched_hits(&self, norm: &Normalized, word: &str, tok: Range<usize>, out: &mut Vec<Hit>) {
        let b = word.as_bytes();
        // Second letter of each stretched double, as an index into `word`.
        let mut cut = [0usize; 4];
        let mut n = 0;
        for i in 1..b.len() {
            if b[i] == b[i - 1] && b[i].is_ascii_alphabetic() && n < cut.len() {
                let orig = norm.original_range(tok.start + i - 1..tok.start + i + 1);
                if orig.len() > 2 {
                    cut[n] = i;
                    n += 1;
                }
            }
        }
        if n == 0 || word.len() > self.0.max_key + n {
            return;
        }
        let abusive = |c: &Cand| {
            c.rest.is_empty()
                && self
                    .0
                    .entries
                    .get(c.entry as usize)
                    .is_some_and(|e| slip::reachable(e.category))
        };
        let mut buf = String::with_capacity(word.len());
        // Masks over the cuts: each one alone, then all of them.
        let singles = (0..n).map(|k| 1u32 << k);
        let all = (n > 1).then_some((1u32 << n) - 1);
        for m in singles.chain(all) {
            buf.clear();
            for (i, ch) in word.char_indices() {
                if !(0..n).any(|k| m & (1 << k) != 0 && cut[k] == i) {
                    buf.push(ch);
                }
            }
            let Some(cands) = self.lookup(&buf) else {
                continue;
            };
            let mark = out.len();
            for c in cands.iter().filter(|c| abusive(c)) {
                self.push_cand(norm, c, tok.clone(), false, out);
            }
            if out.len() > mark {
                return;
            }
        }
    }

    /// Hits of an abusive single-word term spelled with one dropped or swapped letter (the
    /// word, or its possessive stem, is one of the variants computed at build time; see
    /// `slip`). Called only when the word has no hit of its own.
    fn slip_hits(&self, norm: &Normalized, word: &str, tok: Range<usize>, out: &mut Vec<Hit>) {
        let (entries, end) = match self.slip_lookup(word) {
            Some(e) => (e, tok.end),
            None => match strip_possessive(word).and_then(|s| Some((self.slip_lookup(s)?, s))) {
                Some((e, s)) => (e, tok.start + s.len()),
                None => return,
            },
        };
        for &entry in entries.iter() {
            let c = Cand::new(entry, Box::new([]));
            self.push_cand(norm, &c, tok.start..end, false, out);
        }
    }

    /// The slip variant `word`'s entries, if it is one.
    #[inline]
    fn slip_lookup(&self, word: &str) -> Option<&[u32]> {
        self.slip_lookup_hashed(word, word_hash(word))
    }

    /// [`slip_lookup`](Self::slip_lookup) with the word's [`word_hash`] `h` known.
    #[inline]
    fn slip_lookup_hashed(&self, word: &str, h: u64) -> Option<&[u32]> {
        let inner = &*self.0;
        if word.len() > inner.slip_max || !has_bit(&inner.slip_sketch, slip_sketch(h)) {
            return None;
        }
        inner.slip.get(word).map(|e| &**e)
    }

    /// The key `word`'s candidates, if it is a key.
    #[inline]
    fn lookup(&self, word: &str) -> Option<&Vec<Cand>> {
        let k = self.key_of(word, word_hash(word))?;
        self.0.cands.get(k as usize)
    }

    /// The number of the key `word` (`h` its [`word_hash`]), if it is a key.
    #[inline]
    fn key_of(&self, word: &str, h: u64) -> Option<u32> {
        let inner = &*self.0;
        if word.len() > inner.max_key || !has_bit(&inner.sketch, sketch(h)) {
            return None;
        }
        inner.index.get(word).copied()
    }

    fn push_cand(
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

    fn masked_hits(&self, norm: &Normalized, word: &str, tok: Range<usize>, out: &mut Vec<Hit>) {
        let n = word.chars().count();
        let literal = word.chars().filter(|&c| c != '*').count();
        // Two letters pin down a short word; a long mask with two (`b*****s`) fits several
        // unrelated terms (an age slur and a threat word), so it needs three.
        let need = if n >= 7 { 3 } else { 2 };
        if literal < need || n > MAX_MASKED_CHARS {
            return;
        }
        let Some(forms) = self.0.masked.get(n) else {
            return;
        };
        let mark = out.len();
        for f in forms {
            if word
                .chars()
                .zip(f.chars.iter())
                .all(|(a, &b)| a == '*' || a == b)
            {
                // One hit per entry even when several of its forms fit the mask.
                if out[mark..].iter().any(|h| h.entry == f.entry as usize) {
                    continue;
                }
                let c = Cand::new(f.entry, Box::new([]));
                self.push_cand(norm, &c, tok.clone(), true, out);
            }
        }
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

/// `word` without a trailing possessive `'s` or `'`, if it has one.
fn strip_possessive(word: &str) -> Option<&str> {
    let s = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix('\''))?;
    (!s.is_empty()).then_some(s)
}

/// Checks that the words `rest` follow `from` in `text` (only whitespace or hyphens between
/// them); returns the end of the last one. `Some(from)` when `rest` is empty.
fn match_rest(text: &str, from: usize, rest: &[Box<str>]) -> Option<usize> {
    if rest.is_empty() {
        return Some(from);
    }
    // Cheap necessary condition first: the words' bytes follow, separated by whitespace or
    // hyphens. Only then tokenise to check the word boundaries.
    let bytes = text.as_bytes();
    let mut p = from;
    for want in rest {
        while bytes
            .get(p)
            .is_some_and(|&b| b.is_ascii_whitespace() || b == b'-')
        {
            p += 1;
        }
        if !bytes.get(p..)?.starts_with(want.as_bytes()) {
            return None;
        }
        p += want.len();
    }
    let tail = text.get(from..)?;
    let mut end = from;
    let mut toks = tokens(tail, from);
    for (i, want) in rest.iter().enumerate() {
        let t = toks.next()?;
        let gap = text.get(end..t.start)?;
        if !gap.bytes().all(|b| b.is_ascii_whitespace() || b == b'-') {
            return None;
        }
        let got = text.get(t.clone())?;
        if got == &**want {
            end = t.end;
        } else if i + 1 == rest.len() && strip_possessive(got) == Some(&**want) {
            // `black people's`: the possessive is not part of the term.
            end = t.start + want.len();
        } else {
            return None;
        }
    }
    Some(end)
}

/// Word ranges of `s` (shifted by `base`), with `*` masks glued to the words around them:
/// `n*gger` is one token even where [`words`] splits at the `*`.
fn tokens(s: &str, base: usize) -> Tokens<'_, impl Iterator<Item = Range<usize>> + '_> {
    Tokens {
        bytes: s.as_bytes(),
        inner: words(s),
        next: None,
        base,
    }
}

/// The iterator behind [`tokens`].
struct Tokens<'a, I> {
    bytes: &'a [u8],
    inner: I,
    next: Option<Range<usize>>,
    base: usize,
}

impl<I: Iterator<Item = Range<usize>>> Iterator for Tokens<'_, I> {
    type Item = Range<usize>;
    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        let mut r = match self.next.take() {
            Some(r) => r,
            None => self.inner.next()?,
        };
        let star = |i: usize| self.bytes.get(i) == Some(&b'*');
        if r.start > 0 && star(r.start - 1) {
            while r.start > 0 && star(r.start - 1) {
                r.start -= 1;
            }
        }
        loop {
            let mut e = r.end;
            while star(e) {
                e += 1;
            }
            if e == r.end {
                break;
            }
            match self.inner.next() {
                Some(n) if n.start == e => r.end = n.end,
                other => {
                    r.end = e;
                    self.next = other;
                    break;
                }
            }
        }
        Some(r.start + self.base..r.end + self.base)
    }
}

/// The forms a word takes. `verb`: -s, -ed, -ing; otherwise noun plurals.
fn inflect(w: &str, verb: bool) -> Vec<String> {
    let mut v = vec![w.to_string()];
    let ascii_word = w.len() >= 2 && w.bytes().all(|b| b.is_ascii_lowercase());
    if !ascii_word {
        return v;
    }
    let b = w.as_bytes();
    let last = b[b.len() - 1];
    let prev = b[b.len() - 2];
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    // Plural / third person.
    if w.ends_with('s')
        || w.ends_with('x')
        || w.ends_with('z')
        || w.ends_with("ch")
        || w.ends_with("sh")
    {
        v.push(format!("{w}es"));
    } else if last == b'y' && !vowel(prev) {
        v.push(format!("{}ies", &w[..w.len() - 1]));
    } else if last == b'o' {
        v.push(format!("{w}s"));
        v.push(format!("{w}es"));
    } else {
        v.push(format!("{w}s"));
    }
    if !verb {
        return v;
    }
    // Consonant-vowel-consonant endings double the consonant (gas → gassed, stab → stabbing).
    let cvc = b.len() >= 3
        && !vowel(last)
        && !matches!(last, b'w' | b'x' | b'y')
        && vowel(prev)
        && !vowel(b[b.len() - 3]);
    if last == b'e' {
        v.push(format!("{w}d"));
        if let Some(stem) = w.strip_suffix("ie") {
            v.push(format!("{stem}ying"));
        } else if w.ends_with("ee") {
            v.push(format!("{w}ing"));
        } else {
            v.push(format!("{}ing", &w[..w.len() - 1]));
        }
    } else if last == b'y' && !vowel(prev) {
        v.push(format!("{}ied", &w[..w.len() - 1]));
        v.push(format!("{w}ing"));
    } else {
        v.push(format!("{w}ed"));
        v.push(format!("{w}ing"));
        if cvc {
            let c = last as char;
            v.push(format!("{w}{c}ed"));
            v.push(format!("{w}{c}ing"));
            v.push(format!("{w}{c}es"));
        }
    }
    v
}

/// Collects entries (and the real-word guard) from data files, then builds a [`Lexicon`].
#[derive(Debug, Default, Clone)]
pub struct LexiconBuilder {
    entries: Vec<Entry>,
    /// Words a dropped or swapped letter must never turn into a term (normalised).
    pub(super) real_words: HashSet<String>,
}

impl LexiconBuilder {
    /// An empty builder.
    pub fn new() -> LexiconBuilder {
        LexiconBuilder::default()
    }

    /// Adds the built-in data files, and the built-in real-word guard.
    pub fn builtin(mut self) -> Result<LexiconBuilder> {
        for (name, text) in BUILTIN {
            self.entries.extend(parse_tsv(text, name)?);
        }
        let (name, text) = slip::BUILTIN_REAL_WORDS;
        self.real_words(name, text)
    }

    /// Adds a real-word guard text (the format of `real_words.tsv`: a `word<TAB>note` header,
    /// then one word and a note per line): words that a dropped or swapped letter must never
    /// turn into an abusive term. `source` names it in errors.
    pub fn real_words(mut self, source: &str, text: &str) -> Result<LexiconBuilder> {
        self.real_words
            .extend(slip::parse_real_words(text, source)?);
        Ok(self)
    }

    /// Adds one TSV text; `source` names it in errors (a path, or `<...>` for none).
    pub fn tsv(mut self, source: &str, text: &str) -> Result<LexiconBuilder> {
        self.entries.extend(parse_tsv(text, source)?);
        Ok(self)
    }

    /// Adds every `*.tsv` file of a folder, in name order; `real_words.tsv` is read as a
    /// real-word guard (see [`real_words`](Self::real_words)).
    pub fn dir(mut self, path: impl AsRef<Path>) -> Result<LexiconBuilder> {
        let path = path.as_ref();
        let mut files = Vec::new();
        for e in std::fs::read_dir(path).map_err(|e| Error::from(e).in_file(path))? {
            let p = e.map_err(|e| Error::from(e).in_file(path))?.path();
            if p.extension().is_some_and(|x| x == "tsv") && p.is_file() {
                files.push(p);
            }
        }
        files.sort();
        for p in files {
            let text = std::fs::read_to_string(&p).map_err(|e| Error::from(e).in_file(&p))?;
            if p.file_name().is_some_and(|n| n == slip::REAL_WORDS_FILE) {
                self = self.real_words(&p.to_string_lossy(), &text)?;
            } else {
                self.entries.extend(parse_tsv(&text, &p.to_string_lossy())?);
            }
        }
        Ok(self)
    }

    /// Builds the matcher. Fails on a term with no words, or when two entries have the same
    /// normalised term and category (the error names both lines).
    pub fn build(self) -> Result<Lexicon> {
        let mut index: WordMap<u32> = WordMap::default();
        let mut cands: Vec<Vec<Cand>> = Vec::new();
        let mut masked: Vec<Vec<MaskForm>> = Vec::new();
        let mut seen: HashMap<(String, Category), (String, u64)> = HashMap::new();
        let mut max_key = 0;
        let mut sketch_bits = vec![0u64; SKETCH_WORDS].into_boxed_slice();
        for (i, e) in self.entries.iter().enumerate() {
            let err = |msg: String| {
                let er = Error::syntax("lexicon", msg).at_line(e.line);
                if e.source.starts_with('<') {
                    er
                } else {
                    er.in_file(&e.source)
                }
            };
            let norm = normalize(&e.term);
            let t = norm.as_str();
            let toks: Vec<&str> = words(t).filter_map(|r| t.get(r)).collect();
            if toks.is_empty() {
                return Err(err(format!("term `{}` has no words", e.term)));
            }
            let key = (toks.join(" "), e.category);
            if let Some((src, line)) = seen.get(&key) {
                return Err(err(format!(
                    "duplicate term `{}` in category {} (first at {src}:{line})",
                    e.term, e.category
                )));
            }
            seen.insert(key, (e.source.clone(), e.line));
            let idx = i as u32;
            let exact = e.flags.contains(Flags::EXACT);
            let verb = e.flags.contains(Flags::VERB);
            // (first word forms, rest variants)
            let mut variants: Vec<(String, Vec<String>)> = Vec::new();
            let rest: Vec<String> = toks.iter().skip(1).map(|s| s.to_string()).collect();
            if exact {
                variants.push((toks[0].to_string(), rest));
            } else if verb || toks.len() == 1 {
                for f in inflect(toks[0], verb) {
                    variants.push((f, rest.clone()));
                }
            } else {
                let (last, mid) = rest
                    .split_last()
                    .map(|(l, m)| (l.clone(), m.to_vec()))
                    .unwrap_or_default();
                for f in inflect(&last, false) {
                    let mut r = mid.clone();
                    r.push(f);
                    variants.push((toks[0].to_string(), r));
                }
            }
            for (head, rest) in variants {
                if rest.is_empty() {
                    let chars: Box<[char]> = head.chars().collect();
                    let n = chars.len();
                    if n <= MAX_MASKED_CHARS {
                        if masked.len() <= n {
                            masked.resize_with(n + 1, Vec::new);
                        }
                        if let Some(bucket) = masked.get_mut(n) {
                            bucket.push(MaskForm { chars, entry: idx });
                        }
                    }
                }
                max_key = max_key.max(head.len());
                set_bit(&mut sketch_bits, sketch(word_hash(&head)));
                let k = *index.entry(head.into_boxed_str()).or_insert_with(|| {
                    cands.push(Vec::new());
                    (cands.len() - 1) as u32
                });
                let Some(list) = cands.get_mut(k as usize) else {
                    continue;
                };
                let rest: Box<[Box<str>]> = rest.into_iter().map(String::into_boxed_str).collect();
                // Two forms of one entry can coincide (`gas` verb: gases / gasses); keep one.
                if !list.iter().any(|c| c.entry == idx && c.rest == rest) {
                    list.push(Cand::new(idx, rest));
                }
            }
        }
        let slips = slips(&self.entries, &index, &cands, &self.real_words);
        let mut slip: WordMap<Box<[u32]>> = WordMap::default();
        let mut slip_bits = vec![0u64; SLIP_SKETCH_WORDS].into_boxed_slice();
        let mut slip_max = 0;
        let mut slips = slips.into_iter().peekable();
        while let Some((v, _, entry)) = slips.next() {
            let mut list = vec![entry];
            while let Some((_, _, e)) = slips.next_if(|s| s.0 == v) {
                list.push(e);
            }
            slip_max = slip_max.max(v.len());
            set_bit(&mut slip_bits, slip_sketch(word_hash(&v)));
            slip.insert(v.into_boxed_str(), list.into_boxed_slice());
        }
        let mut key_flags = vec![0u8; cands.len()];
        for (w, &k) in &index {
            let b = w.as_bytes();
            let doubles = b
                .windows(2)
                .any(|p| p[0] == p[1] && p[1].is_ascii_alphabetic());
            let poss_slip = strip_possessive(w).is_some_and(|s| slip.contains_key(s));
            if let Some(f) = key_flags.get_mut(k as usize) {
                *f = if doubles { KEY_DOUBLES } else { 0 }
                    | if poss_slip { KEY_POSSESSIVE_SLIP } else { 0 };
            }
        }
        Ok(Lexicon(Arc::new(Inner {
            entries: self.entries,
            index,
            cands,
            key_flags,
            masked,
            max_key,
            sketch: sketch_bits,
            slip,
            slip_max,
            slip_sketch: slip_bits,
        })))
    }

    /// Every slip variant this builder's lexicon would have without its guard (variant,
    /// form, entry), for the script that drafts `real_words.tsv`.
    #[cfg(test)]
    pub(super) fn unguarded_slips(mut self) -> Vec<Slip> {
        self.real_words.clear();
        match self.build() {
            Ok(lex) => {
                let i = &*lex.0;
                slips(&i.entries, &i.index, &i.cands, &HashSet::new())
            }
            Err(_) => Vec::new(),
        }
    }
}

/// The slip variants of every single-word form of a reachable entry (see `slip::all_slips`).
fn slips(
    entries: &[Entry],
    index: &WordMap<u32>,
    cands: &[Vec<Cand>],
    guard: &HashSet<String>,
) -> Vec<Slip> {
    let forms = index.iter().flat_map(|(form, &k)| {
        cands
            .get(k as usize)
            .into_iter()
            .flatten()
            .filter_map(move |c| {
                let e = entries.get(c.entry as usize)?;
                (c.rest.is_empty() && slip::reachable(e.category)).then_some((&**form, c.entry))
            })
    });
    slip::all_slips(forms, |v| index.contains_key(v), guard)
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;
