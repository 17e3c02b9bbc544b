//! Abusive words a comment denies or names instead of using: "Refugees are not vermin",
//! "Don't call Koreans gooks", "Researchers counted how often 'towelhead' appeared".
//!
//! The model weighs such words as it weighs any use of them (the corpora rarely deny or name
//! them), so negated abuse, moderation notices and reports flagged. Three readings, each
//! checked on 41,017 training texts of five corpora (DESIGN.md, "Denied and named words"):
//!
//! - **denied**: a dehumanising word right after a negation ("are not vermin", "aren't
//!   locusts", "not monkeys or apes", "no such thing as a subhuman race"). Slurs are left out
//!   of this reading: the corpora label "at least he's not a …" (a slur) hate, and they are right;
//!   the slur still names a category of people.
//! - **named in a refusal**: a slur or dehumanising word as what someone should not call,
//!   describe or use, at the end of its clause ("Nobody should call disabled kids retards,
//!   ever", "I would never call a disabled kid a spastic").
//! - **named as a word**: "the word _", "the term _", "slurs like _" (session 14); named by a
//!   gerund and condemned after it: "Calling a disabled kid a _ is never okay" (session 14).
//! - **quoted alone**: a slur or dehumanising word alone inside quotation marks ("'troon' is
//!   now on the auto-remove list", "words like 'vermin', 'infestation' and 'swarm'"): a word
//!   named, not used. Quotes around longer abuse are the quoted-abuse rule's ([`super::own`]),
//!   which asks for a reporting or counter-speech cue.
//!
//! Such a word is left out of the comment's own words and the comment scored again, as with
//! the sense rule ([`super::senses`]). [`super::Policy::without_mentions`] turns it off.

use super::senses::words;
use crate::lexicon::{Category, Hit};
use std::ops::Range;

/// Why a word is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mention {
    Denied,
    Named,
}

/// Negations that deny the word right after them ("aren't" is split as "aren" "t").
const NEGATIONS: &[&str] = &[
    "not", "t", "arent", "isnt", "wasnt", "werent", "aint", "never", "neither", "nor",
];

/// Words that may stand between a negation and the denied word ("not just animals").
const BETWEEN: &[&str] = &[
    "a", "an", "the", "just", "simply", "some", "all", "really", "even", "mere", "merely",
];

/// The words before a naming verb that make it a refusal, last word first ("should never",
/// "don t"), each a list of alternatives.
const REFUSALS: &[&[&str]] = &[
    &["never"],
    // "it's not banter / okay / acceptable to call …" (session 14)
    &["to", "banter", "not"],
    &["to", "okay", "not"],
    &["to", "ok", "not"],
    &["to", "acceptable", "not"],
    &["to", "okay", "never"],
    &["to", "ok", "never"],
    &["to", "acceptable", "never"],
    &["should", "nobody"],
    &["should", "one", "no"],
    &["t", "don"],
    &["not", "do"],
    &["dont"],
    &["to", "refuse"],
    &["t", "won"],
    &["t", "wouldn"],
    &["t", "shouldn"],
    &["stop"],
];

/// Verbs of naming.
const NAMING: &[&str] = &[
    "call",
    "calling",
    "describe",
    "describing",
    "use",
    "using",
    "say",
    "saying",
];

/// Verbs that report or criticise a depiction, in forms that do not make the writer the one
/// depicting ("Nazi posters drew Jews as rats", "comparing refugees to cockroaches is how
/// genocides start"): past tenses and gerunds only, not "I compare them to …".
const DEPICTING: &[&str] = &[
    "depicted",
    "depicting",
    "portrayed",
    "portraying",
    "drew",
    "drawn",
    "drawing",
    "painted",
    "painting",
    "described",
    "describing",
    "caricatured",
    "caricaturing",
    "labelled",
    "labeled",
    "labelling",
    "labeling",
    "branded",
    "branding",
    "compared",
    "comparing",
    "likened",
    "likening",
];

/// Words right before a depicting verb that make the writer endorse it ("should be described
/// as").
const ENDORSING: &[&str] = &[
    "should", "must", "ought", "deserve", "deserves", "rightly", "be",
];

/// Words right after a named word that close its clause ("…retards, ever").
const CLOSERS: &[&str] = &["ever", "again", "anymore", "whatever", "no"];

/// The hits the comment denies or names, with why: original byte ranges.
pub(super) fn mentioned(
    hits: &[Hit],
    normalized: &str,
    original: &str,
) -> Vec<(Range<usize>, Mention)> {
    let mut out = Vec::new();
    for h in hits {
        let slur = match h.category {
            Category::Slur => true,
            Category::Dehumanising => false,
            _ => continue,
        };
        let (Some(head), Some(tail)) =
            (normalized.get(..h.norm.start), normalized.get(h.norm.end..))
        else {
            continue;
        };
        let mut before = [""; 8];
        let mut nb = 0;
        for (slot, w) in before.iter_mut().zip(words(head).rev()) {
            *slot = w;
            nb += 1;
        }
        let before = &before[..nb];
        if !slur && denied(before) {
            out.push((h.original.clone(), Mention::Denied));
        } else if (refused(before) && closes(tail))
            || (!slur && depicted(before))
            || named_as_a_word(before)
            || (named_by_a_gerund(before) && condemned(tail))
            || quoted_alone(original, h.original.clone())
        {
            out.push((h.original.clone(), Mention::Named));
        }
    }
    out
}

/// Whether a gerund of naming stands within the five words before a hit (nearest first):
/// "Calling a disabled kid a _", "using _" (session 14).
fn named_by_a_gerund(before: &[&str]) -> bool {
    before
        .iter()
        .take(5)
        .any(|w| matches!(*w, "calling" | "using" | "saying" | "shouting" | "yelling"))
}

/// Whether the words after a named hit condemn the naming: a copula, a negation and a word of
/// acceptance within its first four words ("… is never okay", "… isn't banter", "… is not
/// acceptable") (session 14).
fn condemned(tail: &str) -> bool {
    let ws: Vec<&str> = words(tail).take(5).collect();
    let copula = |w: &str| matches!(w, "is" | "was" | "s" | "isn" | "wasn" | "aint");
    ws.first().is_some_and(|w| copula(w))
        && ws.windows(2).take(3).any(|p| {
            matches!(p[0], "not" | "never" | "t")
                && matches!(
                    p[1],
                    "okay"
                        | "ok"
                        | "acceptable"
                        | "fine"
                        | "funny"
                        | "banter"
                        | "cool"
                        | "alright"
                        | "appropriate"
                )
        })
}

/// Whether the words before a hit (nearest first) name it as a word: "the word _", "the term
/// _", "slurs like _" (session 14).
fn named_as_a_word(before: &[&str]) -> bool {
    match before {
        [noun, det, ..] if matches!(*noun, "word" | "term" | "slur" | "epithet" | "insult") => {
            matches!(*det, "the" | "a" | "that" | "this")
        }
        ["like", noun, ..] => matches!(
            *noun,
            "words" | "terms" | "slurs" | "epithets" | "insults" | "names"
        ),
        _ => false,
    }
}

/// Whether the words before a hit (nearest first) deny it: a negation, maybe with a word of
/// `BETWEEN`; a negation, a word and "or" / "nor" ("not monkeys or apes"); "no such thing as
/// (a)".
fn denied(before: &[&str]) -> bool {
    let neg = |i: usize| before.get(i).is_some_and(|w| NEGATIONS.contains(w));
    let between = |i: usize| before.get(i).is_some_and(|w| BETWEEN.contains(w));
    if neg(0) || (between(0) && neg(1)) {
        return true;
    }
    if before.first().is_some_and(|w| matches!(*w, "or" | "nor")) && neg(2) {
        return true;
    }
    let skip = usize::from(before.first().is_some_and(|w| matches!(*w, "a" | "an")));
    before.get(skip..skip + 4) == Some(&["as", "thing", "such", "no"][..])
}

/// Whether the words before a hit (nearest first) make it what a refusal names: a refusal,
/// maybe "ever", a naming verb, up to four words, maybe "a" / "as" / "as a".
fn refused(before: &[&str]) -> bool {
    // The nearest naming verb decides ("do not use this term, use <slur>" is not a refusal).
    let Some(v) = before.iter().take(5).position(|w| NAMING.contains(w)) else {
        return false;
    };
    let mut r = v + 1;
    if before.get(r) == Some(&"ever") {
        r += 1;
    }
    REFUSALS.iter().any(|words| {
        words
            .iter()
            .enumerate()
            .all(|(k, w)| before.get(r + k) == Some(w))
    })
}

/// Whether the words before a dehumanising hit (nearest first) make it the likeness a
/// depiction is reported or criticised for: "as" (or "to" / "with" after a verb of comparing)
/// within the five nearest words, then within five more a verb of `DEPICTING` in a past or
/// gerund form, not right after a word of `ENDORSING`.
fn depicted(before: &[&str]) -> bool {
    let Some(p) = before
        .iter()
        .take(5)
        .position(|w| matches!(*w, "as" | "to" | "with"))
    else {
        return false;
    };
    let Some(v) = before[p + 1..]
        .iter()
        .take(5)
        .position(|w| DEPICTING.contains(w))
        .map(|v| p + 1 + v)
    else {
        return false;
    };
    let comparing = matches!(before[v], "compared" | "comparing" | "likened" | "likening");
    if (before[p] == "as") == comparing {
        return false;
    }
    !before
        .get(v + 1..(v + 3).min(before.len()))
        .is_some_and(|ws| ws.iter().any(|w| ENDORSING.contains(w)))
}

/// Whether the text after a hit closes its clause: nothing, punctuation, or a closing word.
fn closes(tail: &str) -> bool {
    let t = tail.trim_start();
    t.is_empty()
        || t.starts_with([',', '.', ';', '!', '?', ':', ')'])
        || words(t).next().is_some_and(|w| CLOSERS.contains(&w))
}

/// Whether `span` of `original` stands alone inside quotation marks: a quote right before it
/// that starts a word, a quote right after it that ends one.
fn quoted_alone(original: &str, span: Range<usize>) -> bool {
    let (Some(head), Some(tail)) = (original.get(..span.start), original.get(span.end..)) else {
        return false;
    };
    let mut back = head.chars().rev();
    let opens = back
        .next()
        .is_some_and(|c| matches!(c, '\'' | '"' | '\u{201c}' | '\u{2018}'))
        && back.next().is_none_or(|c| !c.is_alphanumeric());
    let mut fwd = tail.chars();
    let closes = fwd
        .next()
        .is_some_and(|c| matches!(c, '\'' | '"' | '\u{201d}' | '\u{2019}'))
        && fwd.next().is_none_or(|c| !c.is_alphanumeric());
    opens && closes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    /// The original words the rule leaves out of `text`, with why.
    fn left_out(text: &str) -> Vec<(String, Mention)> {
        let lex = Lexicon::default();
        let n = crate::text::normalize(text);
        let hits = lex.find(&n);
        mentioned(&hits, n.as_str(), text)
            .into_iter()
            .map(|(r, m)| (text[r].to_string(), m))
            .collect()
    }

    #[test]
    fn reported_and_criticised_depictions_are_named() {
        use Mention::Named;
        for (text, want) in [
            (
                "Wartime cartoons depicted the Irish as apes.",
                vec![("apes", Named)],
            ),
            (
                "Comparing migrants to cockroaches is how it starts.",
                vec![("cockroaches", Named)],
            ),
            (
                "Tabloids likened asylum seekers to a plague of locusts",
                vec![("plague", Named), ("locusts", Named)],
            ),
        ] {
            let want: Vec<(String, Mention)> =
                want.into_iter().map(|(w, m)| (w.to_string(), m)).collect();
            assert_eq!(left_out(text), want, "{text:?}");
        }
        // The writer's own comparison, or one they endorse, is used.
        for text in [
            "I compare them to rats because that is what they are",
            "Migrants should be described as vermin",
            "They were rightly portrayed as parasites",
            "Refugees are vermin as far as I'm concerned",
        ] {
            assert_eq!(left_out(text), Vec::new(), "{text:?}");
        }
    }

    #[test]
    fn denied_and_named_words_are_found() {
        use Mention::{Denied, Named};
        for (text, want) in [
            (
                "Refugees are not vermin, they are people.",
                vec![("vermin", Denied)],
            ),
            ("Refugees aren't locusts.", vec![("locusts", Denied)]),
            (
                "Black folk are not monkeys or apes",
                vec![("monkeys", Denied), ("apes", Denied)],
            ),
            (
                "There's no such thing as a subhuman race.",
                vec![("subhuman", Denied)],
            ),
            (
                "Nobody should call disabled kids retards, ever.",
                vec![("retards", Named)],
            ),
            (
                "Don't call Koreans gooks, whatever you think",
                vec![("gooks", Named)],
            ),
            (
                "I would never call a disabled kid a spastic",
                vec![("spastic", Named)],
            ),
            (
                "I'd never describe Muslims as animals.",
                vec![("animals", Named)],
            ),
            (
                "Mod note: 'troon' is now on the auto-remove list",
                vec![("troon", Named)],
            ),
            (
                "words like \u{2018}vermin\u{2019} and \"swarm\"",
                vec![("vermin", Named), ("swarm", Named)],
            ),
            // named as a word (session 14)
            (
                "The filter now catches the word gook in usernames.",
                vec![("gook", Named)],
            ),
            (
                "slurs like wetback are on the list",
                vec![("wetback", Named)],
            ),
            // named by a gerund and condemned, or after "not okay to call" (session 14)
            (
                "Calling a new lad a spastic isn't banter, mate.",
                vec![("spastic", Named)],
            ),
            (
                "It's not okay to call Travellers pikeys.",
                vec![("pikeys", Named)],
            ),
        ] {
            let want: Vec<(String, Mention)> =
                want.into_iter().map(|(w, m)| (w.to_string(), m)).collect();
            assert_eq!(left_out(text), want, "{text:?}");
        }
    }

    #[test]
    fn used_words_stay() {
        for text in [
            "Jews are not human, never were.", // "not human" is itself the abuse
            "at least he is not a nigger",     // a negated slur still names a category
            "stop calling the sand niggers dumb", // the slur is not what is called
            "do not use this term, use chink", // the nearest naming verb is no refusal
            "these vermin are everywhere",
            "they are vermin and not people",
            "you are the biggest gook in this word", // "word" after the slur
            "Calling him a spastic is fine by me",   // no negation before the acceptance
        ] {
            assert_eq!(left_out(text), Vec::new(), "{text:?}");
        }
    }
}
