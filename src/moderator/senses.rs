//! Homonyms read in their innocent sense: "a quick fag behind the pub", "a faggot of
//! kindling", "the river Niger", "kaffir lime leaves"; and slurs in a first-person
//! self-description, an in-group use ("I'm a dyke", "we're here, we're queer").
//!
//! The lexicon marks such words `homonym`, and the model is left to decide from the rest of
//! the comment; but their abusive sense dominates the corpora, so a comment about a cigarette
//! break scored as a slur. `senses.tsv` lists, per lexicon term, the neighbouring words that
//! settle the innocent sense. A hit whose neighbours fit one of its term's patterns is left
//! out of the comment's own words before scoring, the way quoted abuse is ([`super::own`]):
//! the verdict is the verdict on the comment without that word. The term `*` stands for any
//! identity slur (the first-person patterns). This is a scoring rule, not
//! a feature: the model and its figures on the corpora are unchanged (`eval` scores the
//! corpora's texts as they are), and a policy can turn it off
//! ([`super::Policy::without_senses`]).

use crate::lexicon::{Category, Hit, Lexicon};
use once_cell::sync::Lazy;
use std::collections::HashMap;
use std::ops::Range;

/// The most words a pattern may read on either side of its term.
const MAX_REACH: usize = 6;

/// The built-in sense patterns.
const SENSES_TSV: &str = include_str!("senses.tsv");

/// One pattern: the words right before the term (nearest first) and right after it, each
/// position a set of alternatives.
#[derive(Debug, Clone, PartialEq)]
struct Pattern {
    before: Vec<Vec<String>>,
    after: Vec<Vec<String>>,
}

/// Patterns by lexicon term.
#[derive(Debug, Default)]
pub(super) struct Senses {
    by_term: HashMap<String, Vec<Pattern>>,
    /// Patterns of the term `*`: any identity slur.
    any_slur: Vec<Pattern>,
    /// The most words any pattern reads on either side.
    reach: usize,
}

static BUILTIN: Lazy<std::result::Result<Senses, String>> = Lazy::new(|| Senses::parse(SENSES_TSV));

impl Senses {
    /// The built-in patterns (`senses.tsv`); empty if the file were invalid, which a test
    /// rules out.
    pub(super) fn builtin() -> &'static Senses {
        static EMPTY: Lazy<Senses> = Lazy::new(Senses::default);
        BUILTIN.as_ref().unwrap_or(&EMPTY)
    }

    /// Parses the TSV (`term<TAB>pattern`, `#` comments, a header line `term<TAB>pattern`; the
    /// term `*` is any identity slur).
    /// Errors name the line.
    fn parse(tsv: &str) -> std::result::Result<Senses, String> {
        let mut s = Senses::default();
        for (i, line) in tsv.lines().enumerate() {
            let at = || format!("senses.tsv line {}", i + 1);
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') || line == "term\tpattern" {
                continue;
            }
            let (term, pattern) = line
                .split_once('\t')
                .ok_or_else(|| format!("{}: expected `term<TAB>pattern`", at()))?;
            let words: Vec<&str> = pattern.split_whitespace().collect();
            let holes = words.iter().filter(|w| **w == "_").count();
            if holes != 1 {
                return Err(format!(
                    "{}: a pattern needs exactly one `_`, found {holes}",
                    at()
                ));
            }
            let hole = words.iter().position(|w| *w == "_").unwrap_or_default();
            let alternatives = |ws: &[&str]| -> std::result::Result<Vec<Vec<String>>, String> {
                ws.iter()
                    .map(|w| {
                        let alts: Vec<String> = w.split('|').map(str::to_string).collect();
                        match alts.iter().find(|a| !is_word(a)) {
                            Some(bad) => Err(format!(
                                "{}: `{bad}` is not a lower-case word (letters and digits)",
                                at()
                            )),
                            None => Ok(alts),
                        }
                    })
                    .collect()
            };
            let mut before = alternatives(&words[..hole])?;
            before.reverse();
            let p = Pattern {
                before,
                after: alternatives(&words[hole + 1..])?,
            };
            if p.before.is_empty() && p.after.is_empty() {
                return Err(format!("{}: a pattern needs a word besides `_`", at()));
            }
            if p.before.len().max(p.after.len()) > MAX_REACH {
                return Err(format!(
                    "{}: at most {MAX_REACH} words on either side of `_`",
                    at()
                ));
            }
            s.reach = s.reach.max(p.before.len()).max(p.after.len());
            match term.trim() {
                "*" => s.any_slur.push(p),
                t => s.by_term.entry(t.to_string()).or_default().push(p),
            }
        }
        Ok(s)
    }

    /// The terms that have patterns.
    #[cfg(test)]
    pub(super) fn terms(&self) -> impl Iterator<Item = &str> {
        self.by_term.keys().map(String::as_str)
    }

    /// The built-in patterns for the built-in lexicon (the one every moderator scores
    /// with, `Moderator::from_bundle`), built once per process.
    pub(super) fn builtin_table() -> &'static Table {
        static TABLE: Lazy<Table> = Lazy::new(|| Senses::builtin().table(&Lexicon::default()));
        &TABLE
    }

    /// The patterns of each entry of `lexicon` (by [`Hit::entry`]), looked up once so that
    /// scoring compares no strings to find them.
    fn table(&'static self, lexicon: &Lexicon) -> Table {
        Table {
            per_entry: lexicon
                .entries()
                .iter()
                .map(|e| {
                    let own = self.by_term.get(e.term.as_str()).map(Vec::as_slice);
                    let any = (e.category == Category::Slur).then_some(self.any_slur.as_slice());
                    [own.unwrap_or_default(), any.unwrap_or_default()]
                })
                .collect(),
            reach: self.reach,
        }
    }
}

/// The sense patterns that apply to each entry of one lexicon ([`Senses::table`]).
#[derive(Debug)]
pub(super) struct Table {
    /// Per entry: its term's own patterns and the `*` patterns (slurs only).
    per_entry: Vec<[&'static [Pattern]; 2]>,
    reach: usize,
}

impl Table {
    /// The original byte ranges of the hits read in an innocent sense, given the hits of a
    /// comment and its normalised text.
    pub(super) fn innocent(&self, hits: &[Hit], normalized: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for h in hits {
            let Some([own, any]) = self.per_entry.get(h.entry) else {
                continue;
            };
            if own.is_empty() && any.is_empty() {
                continue;
            }
            let (Some(head), Some(tail)) =
                (normalized.get(..h.norm.start), normalized.get(h.norm.end..))
            else {
                continue;
            };
            let mut before = [""; MAX_REACH];
            let mut nb = 0;
            for (slot, w) in before.iter_mut().zip(words(head).rev().take(self.reach)) {
                *slot = w;
                nb += 1;
            }
            let mut after = [""; MAX_REACH + 1];
            let mut na = 0;
            for (slot, w) in after.iter_mut().zip(words(tail).take(self.reach + 1)) {
                *slot = w;
                na += 1;
            }
            // A possessive after the hit ("Niger's capital") is not a word of the pattern.
            let skip = usize::from(tail.starts_with(['\'', '\u{2019}']) && after[0] == "s");
            let (before, after) = (&before[..nb], &after[skip..na]);
            if own.iter().chain(*any).any(|p| fits(p, before, after)) {
                out.push(h.original.clone());
            }
        }
        out
    }
}

/// Whether `p` fits the words before the hit (`before`, nearest first) and after it.
fn fits(p: &Pattern, before: &[&str], after: &[&str]) -> bool {
    let side = |want: &[Vec<String>], got: &[&str]| {
        want.len() <= got.len()
            && want
                .iter()
                .zip(got)
                .all(|(alts, w)| alts.iter().any(|a| a == w))
    };
    side(&p.before, before) && side(&p.after, after)
}

/// The words of `s`: runs of letters and digits (also read by `mentions.rs`).
pub(super) fn words(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Whether `w` is one lower-case word as [`words`] splits them.
fn is_word(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() && !c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The original text of each innocent hit in `text` (built-in patterns and lexicon).
    fn innocent_words(text: &str) -> Vec<String> {
        let lex = Lexicon::default();
        let n = crate::text::normalize(text);
        let hits = lex.find(&n);
        Senses::builtin_table()
            .innocent(&hits, n.as_str())
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn builtin_senses_parse_and_name_lexicon_terms() {
        let s = Senses::parse(SENSES_TSV).unwrap();
        let lex = Lexicon::default();
        let terms: std::collections::HashSet<&str> =
            lex.entries().iter().map(|e| e.term.as_str()).collect();
        let mut n = 0;
        for t in s.terms() {
            assert!(
                terms.contains(t),
                "senses.tsv names {t:?}, which the lexicon lacks"
            );
            n += 1;
        }
        assert!(n >= 20, "{n} terms");
        assert!(s.reach >= 3, "{}", s.reach);
    }

    #[test]
    fn bad_patterns_are_refused_with_their_line() {
        for (tsv, want) in [
            (
                "fag\tquick fag\n",
                "line 1: a pattern needs exactly one `_`, found 0",
            ),
            (
                "term\tpattern\n# c\nfag\t_ quick _\n",
                "line 3: a pattern needs exactly one `_`, found 2",
            ),
            ("fag\tQuick _\n", "line 1: `Quick` is not a lower-case word"),
            (
                "fag\tquick|a-b _\n",
                "line 1: `a-b` is not a lower-case word",
            ),
            ("fag\t_\n", "line 1: a pattern needs a word besides `_`"),
            ("fag quick _\n", "line 1: expected `term<TAB>pattern`"),
            (
                "fag\ta b c d e f g _\n",
                "line 1: at most 6 words on either side",
            ),
        ] {
            let e = Senses::parse(tsv).unwrap_err();
            assert!(e.contains(want), "{tsv:?}: {e}");
        }
    }

    #[test]
    fn neighbours_settle_the_innocent_sense() {
        for (text, want) in [
            ("Nipped out for a quick fag behind the pub", vec!["fag"]),
            (
                "a faggot of kindling and two faggots in gravy",
                vec!["faggot", "faggots"],
            ),
            ("Flights to Niger's capital resume", vec!["Niger's"]),
            ("the River NIGER floods", vec!["NIGER"]),
            ("Add a kaffir lime leaf", vec!["kaffir"]),
            ("two guinea pigs", vec!["guinea", "pigs"]),
            ("will retard the growth", vec!["retard"]),
            ("We're here, we're queer!", vec!["queer"]),
            ("good evening, I'm a dyke", vec!["dyke"]),
            ("My fellow dagos, dinner is served", vec!["dagos"]),
        ] {
            let got = innocent_words(text);
            let got: Vec<&str> = got.iter().map(|w| w.trim_end_matches("'s")).collect();
            let want: Vec<&str> = want.iter().map(|w| w.trim_end_matches("'s")).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn abusive_uses_keep_their_words() {
        for text in [
            "you fag",
            "shut up you faggot",
            "whatever shit for brains faggots came up with that",
            "send them back to niger",
            "that retard the council hired",
            "a faggot and a liar", // `_ and` needs a food word after
            "quick you fag",       // `quick _` needs the words in that order
            "lime kaffir",
            "you're a dyke",
            "they are queers",
            "I'm not a dyke",
        ] {
            assert_eq!(innocent_words(text), Vec::<String>::new(), "{text:?}");
        }
    }
}
