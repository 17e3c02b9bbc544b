//! Slurs a comment's cues do not frame: "No batty boys in my gym", "Don't hire that curry
//! muncher", "the _s at the day centre were screaming again" (session 14).
//!
//! The slur floor (`features::slur_floor`) holds only for a plain comment: no negation up to
//! three words before abuse, no reporting or counter-speech cue, no abuse in quotation marks.
//! So "Muslims are not ragheads" and "he screamed _ at me" keep the model's score. Some of
//! those cues do not frame the slur, though, and [`unframed`] lets the moderator give it the
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

use crate::features::{Cues, CLAUSE_BREAKS};
use crate::lexicon::{Category, Hit};

/// Verbs a forbidding negation shuts people out with ("don't hire", "never trust").
const SHUTTING_OUT: &[&str] = &[
    "hire", "employ", "trust", "let", "rent", "serve", "allow", "date", "marry", "invite", "vote",
    "elect", "believe", "sell", "promote",
];

/// Words that may stand between such a verb and the slur.
const DETERMINERS: &[&str] = &["a", "an", "that", "this", "the", "any", "those", "these"];

/// The most words from a negation to the slur after it (as `features` reads negated abuse).
const REACH: usize = 3;

/// Whether the cues of a comment that is not plain leave `slur` unframed (see the module
/// docs): no abuse in quotation marks, no counter-speech cue, no naming with `call`, every
/// reporting cue a verb of which the slur is the subject, and when abuse is negated, only
/// exclusions before the slur.
pub(super) fn unframed(hits: &[Hit], normalized: &str, cues: &Cues, slur: &Hit) -> bool {
    // Cues::NAMES: 6 negated abuse, 7 reporting or counter-speech cue, 8 abuse in quotes.
    if cues.0[8] != 0.0 {
        return false;
    }
    let mut reports = hits
        .iter()
        .filter(|h| matches!(h.category, Category::Reporting | Category::CounterSpeech))
        .peekable();
    // The cue without a cue word: a form of `call` naming someone ("call him a _").
    if cues.0[7] != 0.0 && reports.peek().is_none() {
        return false;
    }
    if !reports.all(|r| r.category == Category::Reporting && reported_by_it(normalized, slur, r)) {
        return false;
    }
    cues.0[6] == 0.0 || excluded(hits, normalized, slur)
}

/// Whether the reporting cue `r` is a verb whose subject is the slur before it ("the _s at
/// the day centre were screaming"): in the slur's clause, after it, at most [`SUBJECT_GAP`]
/// words on, and no other subject between.
fn reported_by_it(normalized: &str, slur: &Hit, r: &Hit) -> bool {
    let verb = normalized.get(r.norm.clone()).unwrap_or("");
    if r.norm.start < slur.norm.end || !NOISES.contains(&verb) {
        return false;
    }
    let gap = normalized.get(slur.norm.end..r.norm.start).unwrap_or("");
    let words: Vec<&str> = gap
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    !gap.contains(CLAUSE_BREAKS)
        && !gap.contains(['\n', '"', '\u{201c}', '\u{201d}'])
        && words.len() <= SUBJECT_GAP
        && !words.iter().any(|w| SUBJECTS.contains(w))
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

/// Whether the negations up to [`REACH`] words before `slur`, in its clause, are at least one
/// and all exclusions.
fn excluded(hits: &[Hit], normalized: &str, slur: &Hit) -> bool {
    let words = |r: std::ops::Range<usize>| -> Vec<&str> {
        normalized
            .get(r)
            .unwrap_or("")
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let mut any = false;
    for n in hits
        .iter()
        .filter(|n| n.category == Category::Negation && n.norm.end <= slur.norm.start)
    {
        let gap = normalized.get(n.norm.end..slur.norm.start).unwrap_or("");
        let between = words(n.norm.end..slur.norm.start);
        if gap.contains(CLAUSE_BREAKS) || between.len() + 1 > REACH {
            continue;
        }
        let negation: String = words(n.norm.clone()).concat();
        let exclusion = match (negation.as_str(), between.as_slice()) {
            // a plural: "no raghead country" is not the people
            ("no", []) => normalized
                .get(slur.norm.clone())
                .is_some_and(|t| t.ends_with('s')),
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
