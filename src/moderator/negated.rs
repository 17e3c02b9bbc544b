//! Slurs a comment's cues do not frame: "No batty boys in my gym", "Don't hire that curry
//! muncher", "the _s at the day centre were screaming again" (session 14).
//!
//! The slur floor (`features::slur_floor`) holds only for a plain comment: no negation up to
//! three words before abuse, no reporting or counter-speech cue, no abuse in quotation marks.
//! So "Muslims are not ragheads" and "he screamed _ at me" keep the model's score. Some of
//! those cues do not frame the slur, though, and [`Framing::unframed`] lets the moderator give it the
//! floor of its severity (an unambiguous slur, or an ambiguous one `persons.tsv` reads as said
//! of a person) when:
//! - no abuse is in quotation marks, and no counter-speech cue or naming with `call` is in
//!   the comment;
//! - every reporting cue is a noise ("screaming", "chanting") the slur is the subject of: in
//!   its clause, after it, with no other subject between;
//! - when abuse is negated, every negation in the slur's clause up to three words before it
//!   is an exclusion, and there is one: "no" right before its plural ("no _s in my gym") or a
//!   forbidding "don't" / "never" with a verb of [`SHUTTING_OUT`] and at most a determiner
//!   ("don't hire that _", "never trust a _").
//!
//! A first version that gave the floor to any slur no copula's negation denied ("he's not a
//! _") added 13 flags on the corpora, 10 against their labels; one that took any reporting
//! cue read "maricon means homosexual" (DESIGN.md). It belongs to the person-slur policy
//! ([`super::Policy::without_person_slurs`] turns it off).

use super::senses::words;
use crate::features::{Cues, CLAUSE_BREAKS};
use crate::lexicon::{Category, Hit};
use std::ops::Range;

/// Verbs a forbidding negation shuts people out with ("don't hire", "never trust").
const SHUTTING_OUT: &[&str] = &[
    "hire", "employ", "trust", "let", "rent", "serve", "allow", "date", "marry", "invite", "vote",
    "elect", "believe", "sell", "promote",
];

/// Words that may stand between such a verb and the slur.
const DETERMINERS: &[&str] = &["a", "an", "that", "this", "the", "any", "those", "these"];

/// The most words from a negation to the slur after it (as `features` reads negated abuse).
const REACH: usize = 3;

/// A comment's cues, read once for all its slurs.
pub(super) struct Framing<'a> {
    hits: &'a [Hit],
    normalized: &'a str,
    /// No abuse in quotation marks, no counter-speech cue, no naming with `call`, and every
    /// reporting cue a noise of [`NOISES`].
    open: bool,
    /// Whether abuse is negated (the negated-abuse cue).
    negated: bool,
    /// The first and the last reporting cue, if any.
    reports: Option<(Range<usize>, Range<usize>)>,
}

impl<'a> Framing<'a> {
    /// Reads the cues of a comment (its hits, its normalised text, its cue values).
    pub(super) fn new(hits: &'a [Hit], normalized: &'a str, cues: &Cues) -> Framing<'a> {
        // Cues::NAMES: 6 negated abuse, 7 reporting or counter-speech cue, 8 abuse in quotes.
        let mut open = cues.0[8] == 0.0;
        let mut reports: Option<(Range<usize>, Range<usize>)> = None;
        for r in hits
            .iter()
            .filter(|h| matches!(h.category, Category::Reporting | Category::CounterSpeech))
        {
            let noise = normalized
                .get(r.norm.clone())
                .is_some_and(|v| NOISES.contains(&v));
            if r.category != Category::Reporting || !noise {
                open = false;
                break;
            }
            let first = reports.map_or(r.norm.clone(), |(f, _)| f);
            reports = Some((first, r.norm.clone()));
        }
        // The cue without a cue word: a form of `call` naming someone ("call him a _").
        if cues.0[7] != 0.0 && reports.is_none() {
            open = false;
        }
        Framing {
            hits,
            normalized,
            open,
            negated: cues.0[6] != 0.0,
            reports,
        }
    }

    /// Whether the cues leave `slur` unframed (see the module docs): every reporting cue a
    /// noise the slur is the subject of, and when abuse is negated, only exclusions before
    /// the slur. Reads a few words around the slur, not the comment.
    pub(super) fn unframed(&self, slur: &Hit) -> bool {
        if !self.open {
            return false;
        }
        if let Some((first, last)) = &self.reports {
            // Every cue is its verb when the last one is: the gaps to the others are the
            // start of its gap.
            if first.start < slur.norm.end
                || !subject_of(self.normalized, slur.norm.end..last.start)
            {
                return false;
            }
        }
        !self.negated || excluded(self.hits, self.normalized, slur)
    }
}

/// Whether the words of `gap` (between a slur and a reporting verb) leave the slur its
/// subject: at most [`SUBJECT_GAP`] words, none of them another subject, and no clause break,
/// line break or quotation mark.
fn subject_of(normalized: &str, gap: Range<usize>) -> bool {
    let gap = normalized.get(gap).unwrap_or("");
    let mut n = 0;
    for w in words(gap) {
        n += 1;
        if n > SUBJECT_GAP || SUBJECTS.contains(&w) {
            return false;
        }
    }
    !gap.contains(CLAUSE_BREAKS) && !gap.contains(['\n', '"', '\u{201c}', '\u{201d}'])
}

/// Reporting cues that are noise people make, not words about a word ("… means", "the
/// word"): the only ones a slur may be the subject of.
const NOISES: &[&str] = &[
    "yelled",
    "shouted",
    "shouting",
    "shouts",
    "yelling",
    "yells",
    "screaming",
    "chanted",
    "chanting",
];

/// The most words between a slur and the reporting verb it is the subject of.
const SUBJECT_GAP: usize = 8;

/// Other subjects: one between a slur and a reporting verb makes someone else the speaker.
const SUBJECTS: &[&str] = &[
    "i", "he", "she", "we", "you", "they", "someone", "somebody", "everyone", "people",
];

/// The most words a negation hit spans ("no one", "don't").
const NEGATION_WORDS: usize = 2;

/// Whether the negations up to [`REACH`] words before `slur`, in its clause, are at least one
/// and all exclusions. Reads the hits back from the slur only as far as such a negation can
/// start.
fn excluded(hits: &[Hit], normalized: &str, slur: &Hit) -> bool {
    let text = |r: Range<usize>| normalized.get(r).unwrap_or("");
    let at = hits.partition_point(|h| h.norm.start < slur.norm.start);
    let mut any = false;
    for n in hits[..at].iter().rev() {
        // Hits come by start: once one starts too far back, so do all before it.
        if words(text(n.norm.start..slur.norm.start))
            .take(REACH + NEGATION_WORDS + 1)
            .count()
            > REACH + NEGATION_WORDS
        {
            break;
        }
        if n.category != Category::Negation || n.norm.end > slur.norm.start {
            continue;
        }
        let gap = text(n.norm.end..slur.norm.start);
        let between: Vec<&str> = words(gap).collect();
        if gap.contains(CLAUSE_BREAKS) || between.len() + 1 > REACH {
            continue;
        }
        let negation: String = words(text(n.norm.clone())).collect();
        let exclusion = match (negation.as_str(), between.as_slice()) {
            // a plural: "no raghead country" is not the people
            ("no", []) => text(slur.norm.clone()).ends_with('s'),
            ("dont" | "never", [verb, rest @ ..]) => {
                SHUTTING_OUT.contains(verb) && rest.iter().all(|w| DETERMINERS.contains(w))
            }
            _ => false,
        };
        if !exclusion {
            return false;
        }
        any = true;
    }
    any
}
