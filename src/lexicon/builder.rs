//! Building a [`Lexicon`]: the data files compiled in, the builder that parses them, and
//! what it derives from the terms (inflected forms, the masked index, slip variants, the
//! sketches and the keys' flags).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::entry::{parse_tsv, Category, Entry, Flags};
use super::matcher::{Cand, Inner, Lexicon, KEY_DOUBLES, KEY_POSSESSIVE_SLIP};
use super::sketch::{
    set_bit, sketch, slip_sketch, word_hash, WordMap, SKETCH_WORDS, SLIP_SKETCH_WORDS,
};
use super::slip::{self, Slip};
use super::spellings::{MaskForm, MAX_MASKED_CHARS};
use super::tokens::strip_possessive;
use crate::error::{Error, Result};
use crate::text::{normalize, words};

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

/// The forms a word takes. `verb`: -s, -ed, -ing; otherwise noun plurals.
pub(super) fn inflect(w: &str, verb: bool) -> Vec<String> {
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
