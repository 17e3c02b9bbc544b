//! Dehumanising words said of things: "That app is vermin", "Cockroaches infest the old
//! kitchen; call pest control", "the council is a nest of parasites", "Cancer is a disease
//! that needs wiping out".
//!
//! The lexicon's dehumanising vocabulary (vermin, parasites, disease, infest, exterminate)
//! flags `dehumanising` wherever it stands, and the corpora hardly ever use it of things, so
//! abuse aimed at objects, animals and institutions was the dehumanising label's commonest
//! false positive (the eighth blind set read abuse at objects 11/17). This rule leaves such a
//! word out of the comment's own words (as the sense rule does) when its sentence names a
//! thing from `objects.tsv` and names no people: no identity term, no slur, no word for people
//! ("people", "he", "she", "you", "men", "kids"…; but "they", "them", "the lot" after a listed
//! thing stand for it, session 14). An identity word right before a listed thing names the
//! thing ("Japanese knotweed", session 13) and is left out with the dehumanising word
//! (session 14: "Asian hornets are a plague" no longer reads "Asian"). Words that are
//! themselves dehumanising vocabulary ("rats") are not in the list, so "they are rats" is
//! still read.
//! [`super::Policy::without_objects`] turns it off.

use crate::lexicon::{Category, Hit};
use once_cell::sync::Lazy;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

/// The built-in nouns.
const OBJECTS_TSV: &str = include_str!("objects.tsv");

/// Words for people: a sentence holding one is about people, whatever else it names.
const PEOPLE: &[&str] = &[
    "people",
    "person",
    "persons",
    "folk",
    "folks",
    "human",
    "humans",
    "he",
    "she",
    "him",
    "her",
    "his",
    "hers",
    "you",
    "ye",
    "yall",
    "u",
    "man",
    "men",
    "woman",
    "women",
    "guy",
    "guys",
    "lad",
    "lads",
    "kid",
    "kids",
    "child",
    "children",
    "family",
    "families",
    "mob",
    "crowd",
    "lot",
    "citizens",
    "residents",
    "neighbours",
    "neighbors",
    "tenants",
    "staff",
    "workers",
    "voters",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "who",
    "whom",
    "they",
    "them",
    "their",
    "theyre",
];

static NOUNS: Lazy<FxHashSet<&'static str>> = Lazy::new(|| {
    OBJECTS_TSV
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Each listed word: true for a word for people, false for a thing.
static WORDS: Lazy<FxHashMap<&'static str, bool>> = Lazy::new(|| {
    let mut m: FxHashMap<&'static str, bool> = NOUNS.iter().map(|&n| (n, false)).collect();
    m.extend(PEOPLE.iter().map(|&p| (p, true)));
    m
});

/// The original byte ranges of the dehumanising hits said of things (see the module docs),
/// given a comment's hits and its normalised text.
///
/// Reads only the sentences of dehumanising hits, each once: hits come in text order, and a
/// sentence's bounds are found by scanning its bytes, so no byte is read more than twice
/// however many hits a long sentence holds.
pub(super) fn said_of_things(hits: &[Hit], normalized: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = normalized.as_bytes();
    let ends = |b: u8| super::groups::SENTENCE_END.contains(&char::from(b));
    // The current sentence's bytes and whether it is about things.
    let mut sentence = 0..0;
    let mut about_things = false;
    for h in hits.iter().filter(|h| h.category == Category::Dehumanising) {
        if h.norm.start >= sentence.end || h.norm.start < sentence.start {
            let from = sentence.end.min(h.norm.start);
            let a = bytes[from..h.norm.start]
                .iter()
                .rposition(|&b| ends(b))
                .map_or(from, |p| from + p + 1);
            let b = bytes[h.norm.start..]
                .iter()
                .position(|&b| ends(b))
                .map_or(bytes.len(), |p| h.norm.start + p);
            sentence = a..b.max(h.norm.end);
            about_things = is_about_things(hits, normalized, sentence.clone());
            if about_things {
                // The identity words that name its things ("Asian hornets") go too: they
                // name no people (session 14). A sentence about things holds no other identity
                // word (`is_about_things`).
                let first = hits.partition_point(|g| g.norm.start < sentence.start);
                out.extend(
                    hits[first..]
                        .iter()
                        .take_while(|g| g.norm.start < sentence.end)
                        .filter(|g| g.category == Category::IdentityTerm)
                        .map(|g| g.original.clone()),
                );
            }
        }
        if about_things {
            out.push(h.original.clone());
        }
    }
    out
}

/// Whether the sentence at `range` of `normalized` names a listed thing and no people (no
/// identity term or slur among `hits` there, no word for people).
fn is_about_things(hits: &[Hit], normalized: &str, range: Range<usize>) -> bool {
    let first = hits.partition_point(|h| h.norm.start < range.start);
    if hits[first..]
        .iter()
        .take_while(|h| h.norm.start < range.end)
        .any(|h| {
            matches!(h.category, Category::IdentityTerm | Category::Slur)
                && !names_a_thing(h, normalized, range.end)
        })
    {
        return false;
    }
    let mut thing = false;
    for w in normalized[range].split(|c: char| !c.is_alphanumeric()) {
        match WORDS.get(w) {
            // A pronoun after a listed thing stands for it ("Asian hornets are a plague …
            // before they kill our bees", "nuke the lot of them") (session 14).
            Some(true) if thing && THING_PRONOUNS.contains(&w) => {}
            Some(true) => return false,
            Some(false) => thing = true,
            None => {}
        }
    }
    thing
}

/// Whether `h` is an identity word right before a listed thing (before byte `end`), which
/// names the thing, not people ("Japanese knotweed", "the Chinese takeaway") (session 13).
fn names_a_thing(h: &Hit, normalized: &str, end: usize) -> bool {
    h.category == Category::IdentityTerm
        && normalized
            .get(h.norm.end..end)
            .and_then(|rest| {
                rest.split(|c: char| !c.is_alphanumeric())
                    .find(|w| !w.is_empty())
            })
            .is_some_and(|next| WORDS.get(next) == Some(&false))
}

/// Words for people that may stand for a thing named before them in the sentence.
const THING_PRONOUNS: &[&str] = &["they", "them", "their", "theyre", "lot"];

#[cfg(test)]
mod tests {
    use super::super::groups;
    use super::*;
    use crate::lexicon::Lexicon;

    fn left_out(text: &str) -> Vec<String> {
        let lex = Lexicon::default();
        let n = crate::text::normalize(text);
        let hits = lex.find(&n);
        said_of_things(&hits, n.as_str())
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn the_noun_list_is_lower_case_words() {
        assert!(NOUNS.len() > 100);
        for n in NOUNS.iter() {
            assert!(groups::is_word(n), "{n:?}");
        }
    }

    #[test]
    fn dehumanising_words_said_of_things_are_found() {
        for (text, want) in [
            ("That app is vermin, uninstall it", vec!["vermin"]),
            ("the council is a nest of parasites", vec!["parasites"]),
            ("Squirrels are a pest in my garden.", vec!["pest"]),
            // session 13's words
            ("That adware is a parasite.", vec!["parasite"]),
            // an identity word naming a thing (session 13)
            // the identity word goes too (session 14)
            (
                "Japanese knotweed is a plague on this garden.",
                vec!["Japanese", "plague"],
            ),
            // a pronoun standing for the thing (session 14)
            (
                "Wasps are vermin, I'd nuke the lot of them.",
                vec!["vermin"],
            ),
        ] {
            assert_eq!(left_out(text), want, "{text:?}");
        }
    }

    #[test]
    fn dehumanising_words_said_of_people_are_not() {
        for text in [
            "Immigrants are vermin.",
            "These people are parasites on the council.",
            "You are vermin and so is your family",
            "They are rats.",
            "Refugees are a disease on this town.",
            "Chinese people are a plague on this garden.",
            "The Chinese are a plague, they ruin every garden.",
            // a thing in one sentence, people in the next
            "The council housed them here. Vermin, the lot of them.",
            // a pronoun before any thing stands for people
            "They are vermin, they breed in the garden.",
        ] {
            assert_eq!(left_out(text), Vec::<String>::new(), "{text:?}");
        }
    }
}
