//! Slurs a negation does not take back: "No batty boys in my gym", "Don't hire that curry
//! muncher" (session 14).
//!
//! The slur floor (`features::slur_floor`) holds only for a plain comment, and a negation up
//! to three words before abuse makes a comment not plain, so that "Muslims are not ragheads"
//! keeps the model's score. Some negations before a slur do not deny it but shut out the
//! people it names. This rule gives an unambiguous slur the floor of its severity when
//! negation is the comment's only cue (no reporting or counter-speech cue, no abuse in
//! quotation marks) and every negation in its clause up to three words before it is such an
//! exclusion: "no" right before its plural ("no _s in my gym") or a forbidding "don't" / "never" with
//! a verb of [`SHUTTING_OUT`] and at most a determiner ("don't hire that _", "never trust a
//! _"). A first version that gave the floor unless a copula's negation denied the slur ("he's
//! not a _") added 13 flags on the corpora, 10 against their labels (DESIGN.md). It belongs to
//! the person-slur policy ([`super::Policy::without_person_slurs`] turns it off).

use crate::features::{slur_floor, Cues, CLAUSE_BREAKS};
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

/// The most severe unambiguous slur of a comment whose only cue is negation, when every
/// negation before it is an exclusion (see the module docs).
pub(super) fn undenied_slur<'h>(hits: &'h [Hit], normalized: &str, cues: &Cues) -> Option<&'h Hit> {
    // Cues::NAMES: 6 negated abuse, 7 reporting or counter-speech cue, 8 abuse in quotes.
    if cues.0[6] == 0.0 || cues.0[7] != 0.0 || cues.0[8] != 0.0 {
        return None;
    }
    hits.iter()
        .filter(|h| slur_floor::unambiguous(h) && excluded(hits, normalized, h))
        .reduce(|best, h| if h.severity > best.severity { h } else { best })
}

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
