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

use crate::lexicon::{Category, Entry, Hit, Lexicon};
use once_cell::sync::Lazy;
use std::collections::HashMap;
use std::ops::Range;

/// The most words a pattern may read on either side of its term.
const MAX_REACH: usize = 6;

/// The built-in sense patterns.
const SENSES_TSV: &str = include_str!("senses.tsv");

/// The built-in person patterns: the neighbours that read a homonym or reclaimed slur as said
/// of a person ("you _", "stupid _", "he's a _", "bunch of _", "_ coach").
const PERSONS_TSV: &str = include_str!("persons.tsv");

/// One pattern: the words right before the term (nearest first) and right after it, each
/// position a set of alternatives.
#[derive(Debug, Clone, PartialEq)]
struct Pattern {
    before: Vec<Vec<String>>,
    after: Vec<Vec<String>>,
    /// `^` first: the pattern's first word starts the text or a clause (after `.!?;:,` or a
    /// dash, or a line break): "^ proud _" reads "Proud poof, forty years in", not "she is
    /// a proud mudshark" (session 13).
    anchored: bool,
}

/// Patterns by lexicon term.
#[derive(Debug, Default)]
pub(super) struct Senses {
    by_term: HashMap<String, Vec<Pattern>>,
    /// Patterns of the term `*`: any identity slur the table admits ([`Senses::table`]).
    any_slur: Vec<Pattern>,
    /// Terms the `*` patterns never apply to (lines `term<TAB>never`).
    never: std::collections::HashSet<String>,
    /// The most words any pattern reads on either side.
    reach: usize,
}

static BUILTIN: Lazy<std::result::Result<Senses, String>> =
    Lazy::new(|| Senses::parse(SENSES_TSV, "senses.tsv"));
static PERSONS: Lazy<std::result::Result<Senses, String>> =
    Lazy::new(|| Senses::parse(PERSONS_TSV, "persons.tsv"));
static EMPTY: Lazy<Senses> = Lazy::new(Senses::default);

impl Senses {
    /// The built-in patterns (`senses.tsv`); empty if the file were invalid, which a test
    /// rules out.
    pub(super) fn builtin() -> &'static Senses {
        BUILTIN.as_ref().unwrap_or(&EMPTY)
    }

    /// The built-in person patterns (`persons.tsv`); empty if the file were invalid, which a
    /// test rules out.
    pub(super) fn persons() -> &'static Senses {
        PERSONS.as_ref().unwrap_or(&EMPTY)
    }

    /// Parses the TSV (`term<TAB>pattern`, `#` comments, a header line `term<TAB>pattern`; the
    /// term `*` is any slur the table admits, and `term<TAB>never` keeps the `*` patterns off
    /// that term). Errors name the file (`name`) and line.
    fn parse(tsv: &str, name: &str) -> std::result::Result<Senses, String> {
        let mut s = Senses::default();
        for row in super::groups::tsv_rows(tsv, name, ("term", "pattern")) {
            let (at, term, pattern) = row?;
            let at = || at.clone();
            if pattern.trim() == "never" {
                s.never.insert(term.trim().to_string());
                continue;
            }
            let mut words: Vec<&str> = pattern.split_whitespace().collect();
            let anchored = words.first() == Some(&"^");
            if anchored {
                words.remove(0);
            }
            if words.contains(&"^") {
                return Err(format!("{}: `^` may only start a pattern", at()));
            }
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
                anchored,
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

    /// The terms that have patterns or a `never` line.
    #[cfg(test)]
    pub(super) fn terms(&self) -> impl Iterator<Item = &str> {
        self.by_term
            .keys()
            .chain(self.never.iter())
            .map(String::as_str)
    }

    /// The built-in patterns for the built-in lexicon (the one every moderator scores
    /// with, `Moderator::from_bundle`), built once per process; `*` stands for any slur.
    pub(super) fn builtin_table() -> &'static Table {
        static TABLE: Lazy<Table> = Lazy::new(|| {
            Senses::builtin().table(&Lexicon::default(), |e| e.category == Category::Slur)
        });
        &TABLE
    }

    /// The built-in person patterns for the built-in lexicon, built once per process; `*`
    /// stands for any ambiguous identity slur: a slur marked homonym or reclaimed, aimed at
    /// a named group other than "other", of a severity the slur floor covers (the words
    /// `features::slur_floor` leaves to the model).
    pub(super) fn persons_table() -> &'static Table {
        use crate::features::slur_floor::MIN_SEVERITY;
        use crate::lexicon::{Flags, Group};
        static TABLE: Lazy<Table> = Lazy::new(|| {
            Senses::persons().table(&Lexicon::default(), |e| {
                e.category == Category::Slur
                    && (e.flags.contains(Flags::HOMONYM) || e.flags.contains(Flags::RECLAIMED))
                    && !matches!(e.group, None | Some(Group::Other))
                    && e.severity >= MIN_SEVERITY
            })
        });
        &TABLE
    }

    /// The patterns of each entry of `lexicon` (by [`Hit::entry`]), looked up once so that
    /// scoring compares no strings to find them; the `*` patterns apply to the entries
    /// `any` admits, unless a `never` line names them.
    fn table(&'static self, lexicon: &Lexicon, any: impl Fn(&Entry) -> bool) -> Table {
        Table {
            per_entry: lexicon
                .entries()
                .iter()
                .map(|e| {
                    let own = self.by_term.get(e.term.as_str()).map(Vec::as_slice);
                    let star = (any(e) && !self.never.contains(e.term.as_str()))
                        .then_some(self.any_slur.as_slice());
                    [own.unwrap_or_default(), star.unwrap_or_default()]
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
        self.fitting(hits, normalized)
            .map(|h| h.original.clone())
            .collect()
    }

    /// The hits whose neighbours fit one of their entry's patterns, given the hits of a
    /// comment and its normalised text.
    pub(super) fn fitting<'h>(
        &'h self,
        hits: &'h [Hit],
        normalized: &'h str,
    ) -> impl Iterator<Item = &'h Hit> + 'h {
        hits.iter().filter(move |h| self.fits_hit(h, normalized))
    }

    /// Whether the neighbours of `h` in `normalized` fit one of its entry's patterns.
    fn fits_hit(&self, h: &Hit, normalized: &str) -> bool {
        let Some([own, any]) = self.per_entry.get(h.entry) else {
            return false;
        };
        if own.is_empty() && any.is_empty() {
            return false;
        }
        let (Some(head), Some(tail)) =
            (normalized.get(..h.norm.start), normalized.get(h.norm.end..))
        else {
            return false;
        };
        // One word more than the reach, to see where an anchored pattern's first word starts.
        let mut before = [""; MAX_REACH + 1];
        let mut nb = 0;
        for (slot, w) in before
            .iter_mut()
            .zip(words(head).rev().take(self.reach + 1))
        {
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
        own.iter().chain(*any).any(|p| {
            fits(p, before, after) && (!p.anchored || starts_clause(head, before, p.before.len()))
        })
    }
}

/// Whether the `k`-th word before the hit (`before[k - 1]`, words of `head` nearest first;
/// with `k` = 0, the hit itself) starts `head`'s text or a clause: no word before it, or a
/// clause mark (`.!?;:,`, a dash, a line break) between it and the word before.
fn starts_clause(head: &str, before: &[&str], k: usize) -> bool {
    let offset = |w: &str| w.as_ptr() as usize - head.as_ptr() as usize;
    let start = match k.checked_sub(1) {
        Some(i) => before.get(i).map_or(head.len(), |w| offset(w)),
        None => head.len(),
    };
    let from = before.get(k).map_or(0, |w| offset(w) + w.len());
    before.get(k).is_none()
        || head.get(from..start).is_some_and(|gap| {
            gap.contains([
                '.', '!', '?', ';', ':', ',', '-', '\n', '\u{2013}', '\u{2014}',
            ])
        })
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
        let s = Senses::parse(SENSES_TSV, "senses.tsv").unwrap();
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
    fn builtin_persons_parse_and_name_lexicon_terms() {
        let s = Senses::parse(PERSONS_TSV, "persons.tsv").unwrap();
        let lex = Lexicon::default();
        for t in s.terms() {
            assert!(
                lex.entries().iter().any(|e| e.term == t),
                "persons.tsv names {t:?}, which the lexicon lacks"
            );
        }
        assert!(s.any_slur.len() >= 10, "{}", s.any_slur.len());
        assert!(s.never.contains("nigga") && s.never.contains("queer"));
    }

    /// The original text of each hit of `text` read as said of a person (built-in person
    /// patterns and lexicon).
    fn person_words(text: &str) -> Vec<String> {
        let lex = Lexicon::default();
        let n = crate::text::normalize(text);
        let hits = lex.find(&n);
        Senses::persons_table()
            .fitting(&hits, n.as_str())
            .map(|h| text[h.original.clone()].to_string())
            .collect()
    }

    #[test]
    fn persons_read_ambiguous_slurs_said_of_a_person() {
        for (text, want) in [
            ("shut it you spastic", vec!["spastic"]),
            ("that stupid dyke from the gym", vec!["dyke"]),
            ("He's a spastic, ignore him", vec!["spastic"]),
            ("a whole bunch of retards outside", vec!["retards"]),
            ("every tranny on this site", vec!["tranny"]),
            ("the kraut tourists took the sunbeds", vec!["kraut"]),
            ("you gay little pansy", vec!["pansy"]),
            // session 14
            ("the dykes next door again", vec!["dykes"]),
        ] {
            assert_eq!(person_words(text), want, "{text:?}");
        }
        for text in [
            // innocent senses or no person word beside it
            "the dyke burst after the storm",
            "pansies and violas in the window box",
            "these pansies are lovely this year",
            "pork and kraut for tea",
            // never: an in-group word, a name, an adjective said of things
            "you my nigga",
            "queer people deserve better",
            "stupid Paddy forgot his keys",
            "another retarded take from the council",
            // the `*` patterns are for ambiguous slurs only
            "you idiot",
        ] {
            assert_eq!(person_words(text), Vec::<String>::new(), "{text:?}");
        }
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
            ("fag\tquick ^ _\n", "line 1: `^` may only start a pattern"),
        ] {
            let e = Senses::parse(tsv, "senses.tsv").unwrap_err();
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
            ("As a fat dyke in my fifties I stopped caring", vec!["dyke"]),
            ("us filthy homos", vec!["homos"]),
            // `^`: a clause's first word (session 13)
            ("Proud poof, forty years in", vec!["poof"]),
            ("Forty years in. Proud poof!", vec!["poof"]),
            ("We're just a couple of fags who garden", vec!["fags"]),
            // session 14
            ("went outside for a fag at half time", vec!["fag"]),
            ("threw another faggot onto the fire", vec!["faggot"]),
            ("retard your ignition timing a little", vec!["retard"]),
            ("the testers found bugs in every release", vec!["bugs"]),
            ("walked the dog before work", vec!["dog"]),
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
            "she is a proud poof lover",
            "everyone knows he's a proud faggot",
            "that retard the council hired",
            "a faggot and a liar", // `_ and` needs a food word after
            "quick you fag",       // `quick _` needs the words in that order
            "lime kaffir",
            "you're a dyke",
            "they are queers",
            "I'm not a dyke",
            "you filthy dog", // no owner or walk
        ] {
            assert_eq!(innocent_words(text), Vec::<String>::new(), "{text:?}");
        }
    }
}
