//! Identity used against one person: "@amir go back to Pakistan", "typical woman driver",
//! "you only got the job because you're a woman", "pretty articulate for a Black girl".
//!
//! The group-insult rule (`groups.rs`) reads insults said of a whole group; abuse of one
//! person because of their identity often names no group and uses no slur, and the model
//! scores it low (the eighth blind set's abuse at individuals read 8/17). This rule reads the
//! comment's own words for a phrase of `individuals.tsv`: told to go back to a place or
//! "where you came from", a woman's place in the kitchen, an identity pinned on someone as a
//! stereotype ("typical woman", "typical for your lot"), tokenism ("because she's a woman",
//! "diversity hire"), backhanded praise ("articulate for a Black girl"), and from session 14
//! an identity as the explanation ("the judge is a woman, what did you expect"). It stays
//! silent as the group rule does: a reporting or counter-speech cue in the comment, or, in
//! the phrase's sentence, a verb of saying or telling or a first-person subject before it ("I
//! want to go back to India"), a negation before it in its own clause (from session 14,
//! "Nobody cares what you think, go back to the kitchen" is read), a disputing word anywhere
//! ("racist"), or an opening quotation mark before it. When it fires, the moderator raises
//! identity_attack to its threshold, as for the group rule.
//! [`super::Policy::without_individual_attacks`] turns it off.
//!
//! The other way round (session 14, [`Individuals::answered_quote`]): a quotation that opens
//! the comment, holds one of these phrases and is answered in at least three words of the
//! writer's own ("'Go back where you came from' - my family has been here four generations")
//! is the abuse being answered, and is left out of the comment's own words as quoted abuse is.
//! The cost: a writer who quotes such a phrase first and endorses it ("'Go back where you came
//! from' is what I say to them all") is missed.

use super::groups::{self, Word};
use crate::lexicon::{Category, Hit, Lexicon};
use crate::text::Normalized;
use once_cell::sync::Lazy;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

/// The built-in phrases.
const INDIVIDUALS_TSV: &str = include_str!("individuals.tsv");

/// Verbs that report what someone told someone else ("he told me to go back to Pakistan"),
/// besides the group rule's verbs of saying.
const TELLING: &[&str] = &[
    "told", "tell", "tells", "telling", "called", "calling", "asked", "shouted", "yelled",
];

/// A first-person subject before the phrase makes it the writer's own plan or description
/// ("I can't wait to go back to India", "I'm a typical woman").
const FIRST_PERSON: &[&str] = &["i", "im", "ive", "id", "we", "weve"];

/// Substrings of the normalised text one of which every phrase without an identity term
/// holds (as words): a comment with neither them nor an identity term is not read.
const KEYS: &[&str] = &[
    "back",
    "home",
    "kitchen",
    "sandwich",
    "your kind",
    "your lot",
    "your sort",
    "your people",
    "diversity",
    "ticket",
    "wheelchair",
    "dress",
    "wig",
    "frock",
    "skirt",
    "for a girl",
    "for a lass",
];

static KEY_FINDERS: Lazy<Vec<memchr::memmem::Finder<'static>>> = Lazy::new(|| {
    KEYS.iter()
        .map(|k| memchr::memmem::Finder::new(k.as_bytes()))
        .collect()
});

/// One position of a phrase, or a condition on where it starts (conditions come first).
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// One of these words.
    Words(Vec<String>),
    /// An identity term, all its words.
    Identity,
    /// A word of the `place` lines.
    Place,
    /// Condition `^`: the phrase starts a clause.
    Start,
    /// Condition `-a|b`: the word before the phrase is none of these.
    NotAfter(Vec<String>),
    /// Condition `<a|b`: one of these words comes earlier in the phrase's sentence.
    Earlier(Vec<String>),
}

impl Token {
    fn is_condition(&self) -> bool {
        matches!(self, Token::Start | Token::NotAfter(_) | Token::Earlier(_))
    }
}

/// The phrases and places of `individuals.tsv`.
#[derive(Debug, Default)]
pub(super) struct Individuals {
    /// Phrases by the alternatives of their first word (a phrase starting with `^` is
    /// filed under its second).
    by_first: FxHashMap<String, Vec<Vec<Token>>>,
    /// Per first byte, a bit per length (1 to 31) of the phrases' first words: most words of
    /// a comment start no phrase, and this rules them out before hashing them.
    first_lengths: Vec<u32>,
    places: FxHashSet<String>,
}

static BUILTIN: Lazy<std::result::Result<Individuals, String>> =
    Lazy::new(|| Individuals::parse(INDIVIDUALS_TSV));

impl Individuals {
    /// The built-in phrases; empty (the rule never fires) if the file were invalid, which a
    /// test rules out.
    pub(super) fn builtin() -> &'static Individuals {
        static EMPTY: Lazy<Individuals> = Lazy::new(Individuals::default);
        BUILTIN.as_ref().unwrap_or(&EMPTY)
    }

    /// Parses the TSV (`kind<TAB>words`, `#` comments, a header `kind<TAB>words`). Errors
    /// name the line.
    fn parse(tsv: &str) -> std::result::Result<Individuals, String> {
        let mut g = Individuals::default();
        for row in groups::tsv_rows(tsv, "individuals.tsv", ("kind", "words")) {
            let (at, kind, phrase) = row?;
            let at = || at.clone();
            let words_of = |w: &str| -> std::result::Result<Vec<String>, String> {
                let alts: Vec<String> = w.split('|').map(str::to_string).collect();
                match alts.iter().find(|a| !groups::is_word(a)) {
                    Some(bad) => Err(format!(
                        "{}: `{bad}` is not a lower-case word (letters and digits)",
                        at()
                    )),
                    None => Ok(alts),
                }
            };
            let mut tokens: Vec<Token> = Vec::new();
            for w in phrase.split(' ') {
                let t = match w {
                    "_" => Token::Identity,
                    "PLACE" => Token::Place,
                    "^" => Token::Start,
                    _ if w.len() > 1 && w.starts_with('-') => Token::NotAfter(words_of(&w[1..])?),
                    _ if w.len() > 1 && w.starts_with('<') => Token::Earlier(words_of(&w[1..])?),
                    _ => Token::Words(words_of(w)?),
                };
                if t.is_condition() && tokens.last().is_some_and(|p| !p.is_condition()) {
                    return Err(format!("{}: conditions (`^`, `-…`, `<…`) come first", at()));
                }
                tokens.push(t);
            }
            match kind {
                "place" => match tokens.as_slice() {
                    [Token::Words(alts)] if alts.len() == 1 => {
                        g.places.insert(alts[0].clone());
                    }
                    _ => return Err(format!("{}: a `place` is one word", at())),
                },
                "phrase" => {
                    let first = tokens.iter().take_while(|t| t.is_condition()).count();
                    let Some(Token::Words(alts)) = tokens.get(first) else {
                        return Err(format!(
                            "{}: a phrase starts with a word (after its conditions)",
                            at()
                        ));
                    };
                    for a in alts.clone() {
                        if g.first_lengths.is_empty() {
                            g.first_lengths = vec![0; 256];
                        }
                        g.first_lengths[usize::from(a.as_bytes()[0])] |= 1 << a.len().min(31);
                        g.by_first.entry(a).or_default().push(tokens.clone());
                    }
                }
                _ => return Err(format!("{}: unknown kind `{kind}` (phrase, place)", at())),
            }
        }
        Ok(g)
    }

    /// The quotation that opens `text` (after @handles and spaces), when it holds a phrase of
    /// this rule and the writer answers it in at least three words of their own: the abuse
    /// being answered ("'Go back where you came from' - my family has been here four
    /// generations") (session 14). Its byte range in `text`, marks included.
    pub(super) fn answered_quote(&self, lexicon: &Lexicon, text: &str) -> Option<Range<usize>> {
        let lead = text
            .split_whitespace()
            .take_while(|w| w.starts_with('@'))
            .last()
            .map_or(0, |w| {
                w.as_ptr() as usize - text.as_ptr() as usize + w.len()
            });
        let first = text[lead..].find(|c: char| !c.is_whitespace())? + lead;
        if !text[first..].starts_with(['"', '\'', '\u{201c}', '\u{2018}', '\u{ab}']) {
            return None;
        }
        let q = super::own::inline_quotes(text)
            .into_iter()
            .find(|q| q.start == first)?;
        let answer = text.get(q.end..)?;
        if answer
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
            < 3
        {
            return None;
        }
        // The words inside the marks.
        let marks = text.get(q.clone())?;
        let open = marks.chars().next()?.len_utf8();
        let close = marks.chars().last()?.len_utf8();
        let inner = text.get(q.start + open..q.end.checked_sub(close)?)?;
        let n = crate::text::normalize(inner);
        let hits = lexicon.find(&n);
        if !self.reads(&hits, n.as_str()) {
            return None;
        }
        groups::with_words(n.as_str(), |words| {
            self.find_in(lexicon, &hits, &n, inner, words)
        })
        .map(|_| q)
    }

    /// The byte span, in `normalized`, of the first phrase of identity abuse aimed at one
    /// person in the comment (see the module docs), given its lexicon hits.
    #[cfg(test)]
    pub(super) fn find(
        &self,
        lexicon: &Lexicon,
        hits: &[Hit],
        n: &Normalized,
        original: &str,
    ) -> Option<Range<usize>> {
        if !self.reads(hits, n.as_str()) {
            return None;
        }
        groups::with_words(n.as_str(), |words| {
            self.find_in(lexicon, hits, n, original, words)
        })
    }

    /// Whether a comment with these lexicon hits and this normalised text is worth reading:
    /// no reporting or counter-speech cue, and an identity term or one of [`KEYS`] (every
    /// phrase without `_` holds one; a test checks it). Most comments hold neither, and
    /// looking for the keys costs less than splitting the comment into words.
    pub(super) fn reads(&self, hits: &[Hit], normalized: &str) -> bool {
        !self.by_first.is_empty()
            && !groups::has_cue(hits, normalized)
            && (hits.iter().any(|h| h.category == Category::IdentityTerm)
                || KEY_FINDERS
                    .iter()
                    .any(|f| f.find(normalized.as_bytes()).is_some()))
    }

    /// [`find`](Self::find) over the comment's words ([`groups::with_words`]), for a comment
    /// it [`reads`](Self::reads).
    pub(super) fn find_in(
        &self,
        lexicon: &Lexicon,
        hits: &[Hit],
        n: &Normalized,
        original: &str,
        words: &[Word],
    ) -> Option<Range<usize>> {
        let normalized = n.as_str();
        {
            let text = |w: &Word| w.text(normalized);
            // Where each identity term starts (word index) and ends (one past).
            let mut identity: Vec<(usize, usize)> = hits
                .iter()
                .filter(|h| h.category == Category::IdentityTerm)
                .filter(|h| {
                    lexicon
                        .entry(h.entry)
                        .is_some_and(|e| !groups::Groups::builtin().skips(&e.term))
                })
                .map(|h| {
                    let w0 = words.partition_point(|w| w.end <= h.norm.start);
                    let w1 = words.partition_point(|w| w.start < h.norm.end);
                    (w0, w1)
                })
                .filter(|(w0, w1)| w1 > w0)
                .collect();
            identity.sort_unstable();
            for i in 0..words.len() {
                let w = text(&words[i]);
                let Some(&first) = w.as_bytes().first() else {
                    continue;
                };
                if self.first_lengths[usize::from(first)] & (1 << w.len().min(31)) == 0 {
                    continue;
                }
                let Some(phrases) = self.by_first.get(w) else {
                    continue;
                };
                for p in phrases {
                    let k = p.iter().take_while(|t| t.is_condition()).count();
                    let (conditions, tokens) = p.split_at(k);
                    let start = i;
                    let sentence = words[i].sentence;
                    let prev =
                        (i > 0 && words[i - 1].sentence == sentence).then(|| text(&words[i - 1]));
                    let holds = |c: &Token| match c {
                        Token::Start => i == 0 || starts_a_clause(normalized, words, i),
                        Token::NotAfter(alts) => !prev.is_some_and(|w| alts.iter().any(|a| a == w)),
                        Token::Earlier(alts) => words[..i]
                            .iter()
                            .rev()
                            .take_while(|w| w.sentence == sentence)
                            .take(groups::SCOPE)
                            .any(|w| alts.iter().any(|a| a == text(w))),
                        _ => true,
                    };
                    if !conditions.iter().all(holds) {
                        continue;
                    }
                    let Some(end) = self.fits(tokens, words, start, normalized, &identity) else {
                        continue;
                    };
                    if !self.silenced(words, start, end, n, original) {
                        return Some(words[start].start..words[end - 1].end);
                    }
                }
            }
            None
        }
    }

    /// Where the phrase `tokens` ends (one past its last word) if it fits the words from
    /// `i` on (all in one sentence).
    fn fits(
        &self,
        tokens: &[Token],
        words: &[Word],
        i: usize,
        normalized: &str,
        identity: &[(usize, usize)],
    ) -> Option<usize> {
        let text = |w: &Word| w.text(normalized);
        let sentence = words[i].sentence;
        let mut j = i;
        for t in tokens {
            let w = words.get(j).filter(|w| w.sentence == sentence)?;
            j = match t {
                Token::Words(alts) => alts.iter().any(|a| a == text(w)).then_some(j + 1)?,
                Token::Place => self.places.contains(text(w)).then_some(j + 1)?,
                Token::Identity => {
                    let k = identity.partition_point(|&(w0, _)| w0 < j);
                    let &(w0, w1) = identity.get(k)?;
                    (w0 == j && words[w1 - 1].sentence == sentence).then_some(w1)?
                }
                Token::Start | Token::NotAfter(_) | Token::Earlier(_) => return None,
            };
        }
        Some(j)
    }

    /// Whether the phrase at `words[start..end]` is negated, reported, disputed, quoted or
    /// the writer's own (see the module docs).
    fn silenced(
        &self,
        words: &[Word],
        start: usize,
        end: usize,
        n: &Normalized,
        original: &str,
    ) -> bool {
        let text = |w: &Word| w.text(n.as_str());
        let (lo, hi) = groups::scope(words, start, end);
        let before = &words[lo..start];
        // A negation counts in the phrase's own clause only: "Nobody cares what you think,
        // go back to the kitchen" (session 14).
        let clause = (lo + 1..=start)
            .rev()
            .find(|&i| starts_a_clause(n.as_str(), words, i))
            .unwrap_or(lo);
        if words[clause..start]
            .iter()
            .any(|w| groups::NEGATIONS.contains(&text(w)))
            || before.iter().any(|w| {
                let t = text(w);
                groups::SAYING.contains(&t) || TELLING.contains(&t) || FIRST_PERSON.contains(&t)
            })
            || words[lo..hi]
                .iter()
                .any(|w| groups::DISPUTE.contains(&text(w)))
        {
            return true;
        }
        // From the sentence's start to the phrase, so that a quotation mark opening the
        // sentence counts.
        groups::quote_opens_before(n, original, words, lo, words[start].start)
    }
}

/// Whether `words[i]` starts a clause: the first word of its sentence, or after a comma,
/// colon or dash, or right after an @handle.
fn starts_a_clause(normalized: &str, words: &[Word], i: usize) -> bool {
    if words[i].sentence != words[i - 1].sentence {
        return true;
    }
    let gap = normalized
        .get(words[i - 1].end..words[i].start)
        .unwrap_or("");
    if gap.contains([',', ':', '-', '\u{2013}', '\u{2014}']) {
        return true;
    }
    // An @handle: letters, digits and underscores back from the previous word to an `@`
    // ("@chen_li go back to …").
    let bytes = &normalized.as_bytes()[..words[i - 1].end];
    let handle = bytes
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    bytes[..bytes.len() - handle].last() == Some(&b'@')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The original text the rule picks out in `text`, if any.
    fn found(text: &str) -> Option<String> {
        let lex = Lexicon::default();
        let n = crate::text::normalize(text);
        let hits = lex.find(&n);
        let r = Individuals::builtin().find(&lex, &hits, &n, text)?;
        Some(text[n.original_range(r)].to_string())
    }

    #[test]
    fn builtin_phrases_parse() {
        let g = Individuals::parse(INDIVIDUALS_TSV).unwrap();
        assert!(g.by_first.values().map(Vec::len).sum::<usize>() >= 30);
        assert!(g.places.len() >= 30);
    }

    #[test]
    fn every_phrase_without_an_identity_term_holds_a_key() {
        let g = Individuals::parse(INDIVIDUALS_TSV).unwrap();
        for phrases in g.by_first.values() {
            for p in phrases.iter().filter(|p| !p.contains(&Token::Identity)) {
                // Each position's alternatives, one at a time: every way of reading it.
                let mut readings = vec![String::new()];
                for t in p {
                    let alts: Vec<&str> = match t {
                        Token::Words(alts) => alts.iter().map(String::as_str).collect(),
                        Token::Place => vec!["PLACE"],
                        _ => continue,
                    };
                    readings = readings
                        .iter()
                        .flat_map(|r| alts.iter().map(move |a| format!("{r} {a}")))
                        .collect();
                }
                for r in readings {
                    assert!(
                        KEYS.iter().any(|k| r.contains(&format!(" {k}"))),
                        "{r:?} holds no key"
                    );
                }
            }
        }
    }

    #[test]
    fn bad_lines_are_refused_with_their_line() {
        for (tsv, want) in [
            ("phrase go back\n", "line 1: expected `kind<TAB>words`"),
            (
                "kind\twords\nphrase\tGo back\n",
                "line 2: `Go` is not a lower-case word",
            ),
            ("place\tnew york\n", "line 1: a `place` is one word"),
            (
                "phrase\tgo ^ back\n",
                "line 1: conditions (`^`, `-…`, `<…`) come first",
            ),
            ("phrase\t_ go back\n", "line 1: a phrase starts with a word"),
            ("insult\tgo back\n", "line 1: unknown kind `insult`"),
        ] {
            let e = Individuals::parse(tsv).unwrap_err();
            assert!(e.contains(want), "{tsv:?}: {e}");
        }
    }

    #[test]
    fn identity_used_against_one_person_is_found() {
        for (text, want) in [
            ("@omar go back to Somalia mate", "go back to Somalia"),
            ("@omar_99 go back to Somalia", "go back to Somalia"),
            (
                "Honestly, go back where you came from",
                "go back where you came from",
            ),
            (
                "Typical woman, can't park to save her life",
                "Typical woman",
            ),
            (
                "You only got promoted because you're a woman",
                "because you're a woman",
            ),
            ("what a diversity hire that one is", "diversity hire"),
            (
                "quite articulate for a Muslim, fair play",
                "articulate for a Muslim",
            ),
            ("Get back in the kitchen love", "Get back in the kitchen"),
            // session 13
            (
                "She only made captain because she's black",
                "because she's black",
            ),
            (
                "He's only on the committee because he's in a wheelchair",
                "because he's in a wheelchair",
            ),
            (
                "Women like you should stick to the kitchen",
                "stick to the kitchen",
            ),
            (
                "Not bad at physics for a girl",
                "Not bad at physics for a girl",
            ),
            (
                "@sam you'll always be a man in a dress",
                "always be a man in a dress",
            ),
            ("go back to your swamp, @paddy", "go back to your swamp"),
            // session 14
            (
                "The new ref is a woman, what did you expect?",
                "is a woman, what did you expect",
            ),
            (
                "Nobody wants your opinion love, go back to the kitchen",
                "go back to the kitchen",
            ),
        ] {
            assert_eq!(found(text).as_deref(), Some(want), "{text:?}");
        }
    }

    /// Session 14: a quotation of such a phrase that opens the comment and is answered.
    #[test]
    fn an_answered_quote_is_found() {
        let lex = Lexicon::default();
        let g = Individuals::builtin();
        let text = "@sam \u{201c}Go back to Pakistan\u{201d}? I was born in Bradford, pal.";
        let q = g.answered_quote(&lex, text).expect("an answered quote");
        assert_eq!(&text[q], "\u{201c}Go back to Pakistan\u{201d}");
        for text in [
            "\"Go back to Pakistan\"",                          // no answer
            "\"Go back to Pakistan\" lol ok",                   // fewer than three words
            "He said \"Go back to Pakistan\" and walked off",   // not opening the comment
            "\"Welcome to Pakistan\" was the sign at the gate", // no phrase inside
        ] {
            assert_eq!(g.answered_quote(&lex, text), None, "{text:?}");
        }
    }

    #[test]
    fn plans_reports_negations_and_disputes_are_left_alone() {
        for text in [
            "I can't wait to go back to India for the wedding",
            "She wants to go back to Mexico to see her gran",
            "He told me to go back to Pakistan and the whole bus laughed",
            "Some idiot wrote \"go back to Pakistan\" on our door.",
            "\"Go back to Pakistan\" is what they shouted at my dad.",
            "Telling someone to go back where they came from is racist",
            "Nobody should say a woman belongs in the kitchen",
            "I'm a typical woman, I love a sale",
            "Thanks for your kind words",
            "He uses a wheelchair because he's in pain after the crash",
            "The panto dame is a man in a dress, every year",
            "The typical American breakfast is huge",
            "Back in the kitchen after a week off, the new oven is great",
            // a negation in the phrase's own clause still counts
            "Nobody should go back to the kitchen just because she had a baby",
        ] {
            assert_eq!(found(text), None, "{text:?}");
        }
    }
}
