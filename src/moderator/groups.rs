//! Insults and stereotypes said of a whole group: "the Irish are all drunks", "Hindus are
//! dirty people", "lazy immigrants", "I can't stand Catholics".
//!
//! The issue asks that insults aimed at a group count as an identity attack. The model
//! learns that from the corpora, whose labels split on it (HateXplain calls much of it
//! "offensive", not hate), and it scored such comments just under the identity_attack
//! threshold (0.40–0.42 against 0.476 for "Women are disgusting.", "Black people are so
//! stupid."). This rule reads the comment's own words (quoted abuse already left out): an
//! identity term used for a whole group (a plural, "all / every / most …", "the Irish", or
//! an identity word before a plural noun of people: "Jewish landlords"), and in the same
//! sentence one of these shapes from `groups.tsv`:
//!
//! - the group, then a copula, then a trait: "Romanians are pickpockets", "every Indian call
//!   centre worker is a scammer", "these migrants are worms" (a dehumanising comparison is
//!   flagged as an identity attack);
//! - a trait right before the group: "lazy immigrants";
//! - a question: "why are women so useless";
//! - a first-person verb of hatred: "I despise Catholics";
//! - a habit with a generalising adverb: "travellers will steal anything";
//! - a claim right after the group: "Muslims never integrate", "Jews control the banks",
//!   "Roma families should be deported" (wishes to expel a group, session 12);
//! - a wish to expel it, its verb before it: "deport all the Syrians", "send the Romanians
//!   back", "put every last Nigerian on the next plane" (session 12);
//! - any group at all in a comment the model flags as a threat (session 12: the issue counts
//!   threats aimed at a group as identity attacks);
//! - blame insinuated: "why is it always the Muslims when …", "one of the Eritreans again"
//!   (session 13);
//! - a joke likening a group to a trait: "what's the difference between a Nigerian and a
//!   scammer" (session 13).
//!
//! It stays silent when the sentence holds a negation ("Muslims are not terrorists"), a
//! word that disputes the claim ("the myth that …", "racist", "stereotype"), a verb of
//! saying before the group ("he screamed that every Muslim was a terrorist"), or a quotation
//! mark before the group, and when the comment holds a reporting or counter-speech cue. Some
//! negations affirm and do not count (session 13, [`affirming`]): "the stats don't lie", "…
//! and you're not allowed to say it", a closing contrast ("…need fixing, not rights") and
//! "never could and never will".
//! When it fires, the moderator raises identity_attack to its threshold (the verdict flags
//! it and gives the span as the reason). Like the sense rule it is a scoring rule, not a
//! feature: `eval`'s corpus figures do not see it, and a policy turns it off
//! ([`super::Policy::without_group_insults`]). Its check on 41,012 training texts is in
//! DESIGN.md.

use crate::lexicon::{Category, Flags, Hit, Lexicon};
use crate::text::Normalized;
use once_cell::sync::Lazy;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

/// The built-in word lists.
const GROUPS_TSV: &str = include_str!("groups.tsv");

/// Characters that end a sentence.
pub(super) const SENTENCE_END: [char; 5] = ['.', '!', '?', ';', '\n'];

/// The most words read before an identity term (a verb of hatred: "i really can t stand
/// the") and after it (a copula, fillers and a trait).
const BEFORE: usize = 8;
const AFTER: usize = 16;
/// The most words of a window: before, the identity term's own, after.
const WINDOW: usize = BEFORE + 8 + AFTER;
/// The most words read on either side of a group for negations, disputes, verbs of saying
/// and quotation marks: its sentence, up to this many words each way.
pub(super) const SCOPE: usize = 64;

/// One word of a comment: its bytes in the normalised text and the number of its sentence.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) sentence: u32,
}

impl Word {
    /// The word's text in the `normalized` text it was read from.
    pub(super) fn text(self, normalized: &str) -> &str {
        normalized.get(self.start..self.end).unwrap_or("")
    }
}

/// The words of the sentence(s) of `words[w0..w1]`, at most [`SCOPE`] on either side: the
/// range `lo..hi` of `words` the rules read for negations, disputes and verbs of saying.
pub(super) fn scope(words: &[Word], w0: usize, w1: usize) -> (usize, usize) {
    let (first, last) = (words[w0].sentence, words[w1 - 1].sentence);
    let mut lo = w0;
    while lo > 0 && w0 - lo < SCOPE && words[lo - 1].sentence == first {
        lo -= 1;
    }
    let mut hi = w1;
    while hi < words.len() && hi - w1 < SCOPE && words[hi].sentence == last {
        hi += 1;
    }
    (lo, hi)
}

/// Whether a quotation mark opens between the start of the sentence read from `words[lo]`
/// (just after its full stop, if one is in the gap before that word) and the byte `at` of the
/// normalised text, in the original text.
pub(super) fn quote_opens_before(
    n: &Normalized,
    original: &str,
    words: &[Word],
    lo: usize,
    at: usize,
) -> bool {
    let from = match lo.checked_sub(1) {
        Some(p) => {
            let gap = words[p].end..words[lo].start;
            gap.start
                + n.as_str()
                    .get(gap)
                    .and_then(|g| g.rfind(SENTENCE_END))
                    .map_or(0, |i| i + 1)
        }
        None => 0,
    };
    original
        .get(n.original_range(from..at))
        .is_some_and(opens_a_quote)
}

/// Whether a comment's hits hold a reporting or counter-speech cue: the rules that read a
/// comment's own claims stay silent then.
/// A cue right after a verb that dismisses it ("they cry racism", "play the racist card")
/// is the comment's own claim, not a cue (session 14).
pub(super) fn has_cue(hits: &[Hit], normalized: &str) -> bool {
    hits.iter().any(|h| {
        matches!(h.category, Category::Reporting | Category::CounterSpeech)
            && !dismissed(normalized, h.norm.start)
    })
}

/// Whether the words right before byte `at` of `normalized` are a verb of [`DISMISSING`],
/// maybe with "the" after it.
fn dismissed(normalized: &str, at: usize) -> bool {
    let mut before = super::senses::words(normalized.get(..at).unwrap_or("")).rev();
    match before.next() {
        Some("the") => before.next().is_some_and(|w| DISMISSING.contains(&w)),
        Some(w) => DISMISSING.contains(&w),
        None => false,
    }
}

/// Subjects of "… don't lie": a stereotype's own evidence ("the stats don't lie"), which
/// affirms it rather than negating or disputing it.
const EVIDENCE: &[&str] = &[
    "stats",
    "statistics",
    "numbers",
    "figures",
    "facts",
    "data",
    "records",
    "crimestats",
];

/// Verbs that dismiss a charge of racism as the group's own ploy ("they cry racism", "play
/// the racist card").
const DISMISSING: &[&str] = &[
    "cry",
    "cries",
    "crying",
    "scream",
    "screams",
    "screaming",
    "shout",
    "shouts",
    "shouting",
    "yell",
    "yells",
    "yelling",
    "play",
    "plays",
    "playing",
    "pull",
    "pulls",
    "pulling",
];

/// Words before a negation that make it start a claim parallel to one before it ("…, can't
/// cook", "and can't go", "they just don't have the brains").
const PARALLEL: &[&str] = &[
    "and", "or", "they", "just", "also", "even", "still", "simply", "all",
];

/// Words of a negated auxiliary before "lie" ("don't", "do not", "never", "doesn't").
const NEGATED_AUX: &[&str] = &[
    "don", "t", "dont", "do", "not", "never", "doesnt", "does", "doesn",
];

/// Words before a trailing "not" that make it a verb's negation ("… they are not"), not a
/// contrast ("… need fixing, not rights").
const AUXILIARIES: &[&str] = &[
    "are", "is", "re", "s", "was", "were", "be", "do", "does", "did", "will", "would", "can",
    "could", "should", "have", "has", "had", "i", "m", "am", "why", "if", "or", "whether",
];

/// The negation and dispute words of a sentence that affirm its claim rather than deny it:
/// at most [`Affirming::MAX`] word indices.
#[derive(Default)]
struct Affirming {
    at: [usize; Affirming::MAX],
    n: usize,
}

impl Affirming {
    const MAX: usize = 8;

    fn push(&mut self, i: usize) {
        if self.n < Self::MAX {
            self.at[self.n] = i;
            self.n += 1;
        }
    }

    /// Whether word `i` is one of them.
    fn holds(&self, i: usize) -> bool {
        self.at[..self.n].contains(&i)
    }
}

/// The words of `words[lo..hi]` (a claim's sentence, its claim ending at word `end`) that look
/// like a negation or a dispute but affirm the claim (session 13):
/// - "the stats / facts / numbers don't lie" (anywhere in the sentence);
/// - after the claim, "(you're) not allowed to say it" ("Jews own the banks, and you're not
///   allowed to say it");
/// - after the claim, a contrast closing the sentence: "not" and at most two words ("…need
///   fixing, not rights", "…need locking up not pronouns"), not a verb's negation ("…they are
///   not").
///
/// And (session 14):
/// - "cry / play … racism" (anywhere): the claim's own dismissal of the word;
/// - after the claim, "they (all) lie", "always lie": the group's own verb, not a dispute;
/// - after a claim holding its own negation ("can't drive", "shouldn't be allowed"), a
///   negation that starts a parallel claim: after a comma, "and", "or", "they", "just" …
///   ("Indians can't drive, can't cook …", "… they just don't have the brains for it").
fn affirming(
    words: &[Word],
    normalized: &str,
    lo: usize,
    hi: usize,
    end: usize,
    own: &Range<usize>,
) -> Affirming {
    let mut out = Affirming::default();
    let t = |i: usize| words[i].text(normalized);
    let own_negation = (lo..hi).any(|i| own.contains(&words[i].start) && NEGATIONS.contains(&t(i)));
    for j in lo..hi {
        match t(j) {
            "racism" | "racist" | "racists"
                if j > lo && DISMISSING.contains(&t(j - 1))
                    || j > lo + 1 && t(j - 1) == "the" && DISMISSING.contains(&t(j - 2)) =>
            {
                out.push(j);
            }
            "lie" | "lies"
                if j >= end
                    && j > lo
                    && matches!(t(j - 1), "they" | "all" | "always" | "constantly" | "just") =>
            {
                out.push(j);
            }
            w if own_negation
                && j >= end
                && j > lo
                && NEGATIONS.contains(&w)
                && !own.contains(&words[j].start) =>
            {
                // The negation's own first word: "can" of "can t".
                let u = if matches!(w, "t" | "not") && j > lo + 1 {
                    j - 1
                } else {
                    j
                };
                let comma = normalized
                    .get(words[u - 1].end..words[u].start)
                    .is_some_and(|gap| gap.contains(','));
                if comma || PARALLEL.contains(&t(u - 1)) {
                    out.push(j);
                }
            }
            "lie" | "lies" => {
                let mut k = j;
                while k > lo && NEGATED_AUX.contains(&t(k - 1)) {
                    k -= 1;
                }
                if k < j && k > lo && EVIDENCE.contains(&t(k - 1)) {
                    (k..=j).for_each(|i| out.push(i));
                }
            }
            "allowed"
                if j >= end
                    && j > lo
                    && j + 2 < hi
                    && t(j + 1) == "to"
                    && matches!(t(j + 2), "say" | "mention" | "talk" | "point")
                    && matches!(t(j - 1), "not" | "t" | "never") =>
            {
                out.push(j - 1);
            }
            // "…, never could and never will": a generalisation, not a denial.
            "never"
                if j >= end
                    && j + 1 < hi
                    && matches!(t(j + 1), "could" | "will" | "would" | "have" | "did" | "do")
                    && hi - j <= 5
                    && (hi == words.len() || words[hi].sentence != words[j].sentence) =>
            {
                out.push(j);
            }
            "not"
                if j >= end
                    && j > lo
                    && hi - j <= 3
                    && (hi == words.len() || words[hi].sentence != words[j].sentence)
                    && !AUXILIARIES.contains(&t(j - 1)) =>
            {
                out.push(j);
            }
            _ => {}
        }
    }
    out
}

thread_local! {
    /// The words of the comment being read (reused from comment to comment).
    static WORDS: std::cell::RefCell<Vec<Word>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` on the words of `normalized` (`sentence_words`, into this thread's reused
/// buffer); for the other readers of sentences (`individuals.rs`).
pub(super) fn with_words<R>(normalized: &str, f: impl FnOnce(&[Word]) -> R) -> R {
    WORDS.with(|buf| {
        let mut buf = buf.borrow_mut();
        sentence_words(normalized.as_bytes(), &mut buf);
        f(&buf)
    })
}

/// The most words between a group and its copula ("Half the Romanians on my road are").
const MAX_GAP: usize = 4;

/// Words that may stand between a copula and its trait ("are all just a bunch of").
const FILLERS: &[&str] = &[
    "all",
    "just",
    "so",
    "such",
    "a",
    "an",
    "the",
    "bunch",
    "load",
    "lot",
    "of",
    "nothing",
    "but",
    "basically",
    "really",
    "very",
    "mostly",
    "naturally",
    "born",
    "always",
    "complete",
    "total",
    "utter",
    "utterly",
    "totally",
    "completely",
    "inherently",
    "genuinely",
    "truly",
    "simply",
    "pure",
    "absolute",
    "fucking",
    "bloody",
    "too",
    // session 13: "a nation of drunks", "far too emotional"
    "far",
    "nation",
    "race",
    // session 14: "a huge drain"
    "huge",
    "massive",
    "big",
    "real",
];

/// Adverbs that may stand between a group and its claim ("Jews secretly control").
const CLAIM_ADVERBS: &[&str] = &[
    "all",
    "just",
    "simply",
    "really",
    "basically",
    "literally",
    "secretly",
    "still",
    "always",
];

/// Whether `rest`, the words after a claim, make it protect the group rather than deny it
/// a right: "… shouldn't be allowed to drown", "… shouldn't get to be ignored" (session 14):
/// a harm the group suffers (a verb of [`HARMS`], or "be" and a past participle).
fn protective(rest: &[&str]) -> bool {
    let rest = match rest {
        ["to", tail @ ..] => tail,
        _ => rest,
    };
    match rest {
        ["be", done, ..] => {
            done.ends_with("ed")
                || matches!(*done, "left" | "hurt" | "beaten" | "shot" | "forgotten")
        }
        [verb, ..] => HARMS.contains(verb),
        [] => false,
    }
}

/// Harms a rights-denial claim may protect a group from ("shouldn't be allowed to drown").
const HARMS: &[&str] = &["drown", "die", "starve", "suffer", "freeze", "rot"];

/// Adverbs that may stand inside a claim (session 14).
const INNER_ADVERBS: &[&str] = &[
    "all",
    "straight",
    "right",
    "just",
    "simply",
    "immediately",
    "really",
    "literally",
    "frankly",
    "honestly",
    "ever",
    "even",
];

/// Copulas ("they're" is split into "they" "re").
const COPULAS: &[&str] = &[
    "are", "were", "is", "was", "re", "r", "be", "become", "becomes",
];

/// Words that end a clause: the copula must come before them.
const CLAUSE: &[&str] = &["and", "who", "that", "which", "when", "if", "but", "or"];

/// Words right before a trait that make it something else than said of the group ("victims
/// of violent crime", "classified as mentally ill").
const BEFORE_TRAIT: &[&str] = &[
    "as", "called", "of", "by", "from", "against", "about", "to", "for", "with", "at", "on",
    "into", "toward", "towards", "than",
];

/// Words right after a trait that do the same ("afraid of", "sick of").
const AFTER_TRAIT: &[&str] = &["of", "for", "with", "at", "about"];

/// Words that may stand between an expulsion verb and its group ("deport all the").
const DETERMINERS: &[&str] = &[
    "all", "the", "every", "last", "those", "these", "of", "them",
];

/// Determiners that make any identity word generic ("every Muslim", "no female pilot").
const GENERIC: &[&str] = &["all", "every", "each", "any", "no", "most"];

/// Negations: one anywhere in the sentence (but inside the shape's own words) means the
/// sentence may not make the claim ("Muslims are not terrorists"). Only the words up to the
/// claim were tried in session 11: 3 more development cases ("the stats don't lie" after a
/// stereotype), but 12 more flags on the corpora, most of them misreadings.
pub(super) const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "hardly", "t", "dont",
    "doesnt", "isnt", "arent", "wasnt", "werent", "cant", "wont", "didnt", "cannot",
];

/// A sentence holding one of these anywhere is not read as a stereotype: words that dispute or
/// report a claim.
pub(super) const DISPUTE: &[&str] = &[
    "myth",
    "myths",
    "stereotype",
    "stereotypes",
    "stereotyping",
    "stereotyped",
    "racist",
    "racism",
    "bigot",
    "bigots",
    "bigoted",
    "bigotry",
    "prejudice",
    "prejudiced",
    "claim",
    "claims",
    "claimed",
    "claiming",
    "saying",
    "assume",
    "assumes",
    "assuming",
    "untrue",
    "false",
    "wrong",
    "nonsense",
    "lie",
    "lies",
    "trope",
    "tropes",
    "smear",
];

/// Verbs of saying: before the group, someone else's words are reported.
pub(super) const SAYING: &[&str] = &[
    "say", "says", "said", "screamed", "shouted", "yelled", "wrote", "tweeted", "posted",
    "chanted", "argued", "insisted", "insists",
];

/// Identity words that name a group without a plural when "the" comes before them ("the
/// Irish", "the deaf"): their endings, and a few more.
const ADJECTIVE_ENDINGS: &[&str] = &["ese", "ish", "ch", "sh", "ss"];
const ADJECTIVES: &[&str] = &["deaf", "disabled", "elderly", "homeless"];

/// Words after "the Irish" that show it names the people ("the Irish are", "the Chinese
/// will"), not a thing ("the French debate").
const AFTER_THE_GROUP: &[&str] = &[
    "are", "were", "will", "would", "have", "should", "can", "do", "dont", "never", "always",
    "all", "just", "only", "is", "they",
];

/// The word lists of `groups.tsv`.
#[derive(Debug, Default)]
pub(super) struct Groups {
    /// Traits by first word: each a list of the whole phrases starting with it.
    traits: FxHashMap<String, Vec<Vec<String>>>,
    /// First-person verbs of hatred, as word lists.
    hate: Vec<Vec<String>>,
    /// Claims a stereotype makes of its group, by first word ("never integrate", "control
    /// the banks").
    claims: FxHashMap<String, Vec<Vec<String>>>,
    verbs: FxHashSet<String>,
    people: FxHashSet<String>,
    /// Identity terms never read as a group.
    skip: FxHashSet<String>,
    /// Wishes to expel a group: the words before it (a verb, "deport", "get rid of") and
    /// after it ("send _ back", "put _ on a plane"; maybe none).
    expel: Vec<(Vec<String>, Vec<String>)>,
}

static BUILTIN: Lazy<std::result::Result<Groups, String>> = Lazy::new(|| Groups::parse(GROUPS_TSV));

impl Groups {
    /// The built-in lists (`groups.tsv`); empty (the rule never fires) if the file were
    /// invalid, which a test rules out.
    pub(super) fn builtin() -> &'static Groups {
        static EMPTY: Lazy<Groups> = Lazy::new(Groups::default);
        BUILTIN.as_ref().unwrap_or(&EMPTY)
    }

    /// Parses the TSV (`kind<TAB>words`, `#` comments, a header `kind<TAB>words`). Errors
    /// name the line.
    fn parse(tsv: &str) -> std::result::Result<Groups, String> {
        let mut g = Groups::default();
        for row in tsv_rows(tsv, "groups.tsv", ("kind", "words")) {
            let (at, kind, phrase) = row?;
            let at = || at.clone();
            let ws: Vec<String> = phrase.split(' ').map(str::to_string).collect();
            if let Some(bad) = ws
                .iter()
                .find(|w| !(is_word(w) || kind == "expel" && *w == "_"))
            {
                return Err(format!(
                    "{}: `{bad}` is not a lower-case word (letters and digits)",
                    at()
                ));
            }
            let one = || match ws.as_slice() {
                [w] => Ok(w.clone()),
                _ => Err(format!("{}: a `{kind}` is one word", at())),
            };
            match kind {
                "trait" => g.traits.entry(ws[0].clone()).or_default().push(ws),
                "hate" => g.hate.push(ws),
                "claim" => g.claims.entry(ws[0].clone()).or_default().push(ws),
                "verb" => {
                    g.verbs.insert(one()?);
                }
                "people" => {
                    g.people.insert(one()?);
                }
                "skip" => {
                    g.skip.insert(phrase.to_string());
                }
                "expel" => {
                    let holes: Vec<usize> = (0..ws.len()).filter(|&i| ws[i] == "_").collect();
                    let [hole] = holes[..] else {
                        return Err(format!(
                            "{}: an `expel` phrase needs exactly one `_` (the group)",
                            at()
                        ));
                    };
                    if hole == 0 {
                        return Err(format!(
                            "{}: an `expel` phrase starts with its verb, before `_`",
                            at()
                        ));
                    }
                    g.expel.push((ws[..hole].to_vec(), ws[hole + 1..].to_vec()));
                }
                _ => {
                    return Err(format!(
                        "{}: unknown kind `{kind}` (trait, hate, claim, verb, people, skip, expel)",
                        at()
                    ))
                }
            }
        }
        Ok(g)
    }

    /// Whether the rule never reads the identity term `term` as a group (`skip` lines).
    pub(super) fn skips(&self, term: &str) -> bool {
        self.skip.contains(term)
    }

    /// The length in words of the trait starting at `ws[i]`, if one does.
    fn trait_at(&self, ws: &[&str], i: usize) -> Option<usize> {
        longest_at(&self.traits, ws, i)
    }

    /// The length in words of the claim starting at `ws[i]`, if one does. Adverbs of
    /// [`INNER_ADVERBS`] may stand inside it ("should be put straight back", "should all be
    /// deported") (session 14).
    fn claim_at(&self, ws: &[&str], i: usize) -> Option<usize> {
        self.claims
            .get(*ws.get(i)?)?
            .iter()
            .filter_map(|p| {
                let mut k = i;
                for (j, want) in p.iter().enumerate() {
                    while j > 0 && k < ws.len() && ws[k] != want && INNER_ADVERBS.contains(&ws[k]) {
                        k += 1;
                    }
                    if ws.get(k) != Some(&want.as_str()) {
                        return None;
                    }
                    k += 1;
                }
                Some(k - i)
            })
            .max()
    }

    /// Whether `ws[..end]` ends with a first-person verb of hatred ("I really can't stand
    /// (the)"), and where that verb starts.
    fn hated_by_me(&self, ws: &[&str], end: usize) -> Option<usize> {
        let mut end = end;
        if end > 0 && matches!(ws[end - 1], "all" | "the" | "those" | "these") {
            end -= 1;
        }
        self.hate.iter().find_map(|v| {
            let start = end.checked_sub(v.len())?;
            if ws[start..end] != *v.as_slice() {
                return None;
            }
            let mut i = start;
            if i > 0
                && matches!(
                    ws[i - 1],
                    "really" | "just" | "fucking" | "truly" | "honestly"
                )
            {
                i -= 1;
            }
            (i > 0 && ws[i - 1] == "i" || v[0] == "m" || v[0] == "am").then_some(start)
        })
    }

    /// Whether an expulsion wish surrounds the group `ws[g0..g1]` (its plural nouns of people
    /// end at `nouns`): its verb before the group, maybe with determiners between ("deport
    /// all the"), and its rest right after the group or its nouns ("back", "on a plane").
    /// Returns the words it spans.
    fn expelled(
        &self,
        ws: &[&str],
        s0: usize,
        s1: usize,
        g0: usize,
        nouns: usize,
    ) -> Option<Range<usize>> {
        let mut end = g0;
        while end > s0 && DETERMINERS.contains(&ws[end - 1]) {
            end -= 1;
        }
        self.expel.iter().find_map(|(before, after)| {
            let start = end.checked_sub(before.len()).filter(|&st| st >= s0)?;
            if ws[start..end] != *before.as_slice() {
                return None;
            }
            // A bare verb needs a determiner: "deport all the Syrians", not "make it easier
            // to deport immigrants" (policy talk).
            if after.is_empty() && end == g0 {
                return None;
            }
            let tail = nouns + after.len();
            (tail <= s1 && ws[nouns..tail] == *after.as_slice()).then_some(start..tail)
        })
    }

    /// The byte span, in `normalized`, of the first insult or stereotype said of a group
    /// in the comment (see the module docs), given its lexicon hits.
    ///
    /// With `threat` (the model flags a threat), a group named in a sentence of the comment
    /// is enough: a threat aimed at a group is an identity attack (the issue's definition).
    #[cfg(test)]
    pub(super) fn find(
        &self,
        lexicon: &Lexicon,
        hits: &[Hit],
        n: &Normalized,
        original: &str,
        threat: bool,
    ) -> Option<Range<usize>> {
        if !Groups::reads(hits, n.as_str()) {
            return None;
        }
        with_words(n.as_str(), |words| {
            self.find_in(lexicon, hits, n, original, words, threat)
        })
    }

    /// Whether a comment with these lexicon hits is worth reading: it names an identity and
    /// holds no reporting or counter-speech cue.
    pub(super) fn reads(hits: &[Hit], normalized: &str) -> bool {
        hits.iter().any(|h| h.category == Category::IdentityTerm) && !has_cue(hits, normalized)
    }

    /// [`find`](Self::find) over the comment's words ([`with_words`]), for a comment it
    /// [`reads`](Self::reads).
    pub(super) fn find_in(
        &self,
        lexicon: &Lexicon,
        hits: &[Hit],
        n: &Normalized,
        original: &str,
        words: &[Word],
        threat: bool,
    ) -> Option<Range<usize>> {
        let normalized = n.as_str();
        let mut spans = [(0usize, 0usize); WINDOW];
        let mut ws = [""; WINDOW];
        for h in hits.iter().filter(|h| h.category == Category::IdentityTerm) {
            // The hit's words `w0..w1`, and a window of its sentence around them: up to
            // BEFORE words before, up to AFTER words after.
            let w0 = words.partition_point(|w| w.end <= h.norm.start);
            let w1 = words.partition_point(|w| w.start < h.norm.end);
            if w1 <= w0 || w1 - w0 > WINDOW - BEFORE - AFTER {
                continue;
            }
            let sentence = words[w0].sentence;
            let mut a = w0;
            while a > 0 && w0 - a < BEFORE && words[a - 1].sentence == sentence {
                a -= 1;
            }
            let mut b = w1;
            while b < words.len() && b - w1 < AFTER && words[b].sentence == words[w1 - 1].sentence {
                b += 1;
            }
            let (g0, g1) = (w0 - a, w1 - a);
            let n_words = b - a;
            for ((s, w), word) in spans.iter_mut().zip(ws.iter_mut()).zip(&words[a..b]) {
                *s = (word.start, word.end);
                *w = &normalized[word.start..word.end];
            }
            let ws = &ws[..n_words];
            let s1 = n_words;
            let shaped = if let Some(range) = self.joke(ws, s1, g0, g1) {
                Some((Shape::Joke, range))
            } else if self.is_group(lexicon, h, ws, g0, g1, s1) {
                let dehum = dehumanising_nouns(lexicon, hits, &words[a..b]);
                self.shape(ws, &dehum[..n_words], 0, s1, g0, g1)
                    .or_else(|| threat.then_some((Shape::Threat, g0..g1)))
            } else if self.homonym_plural(lexicon, h, ws[g1 - 1]) {
                // A homonym's plural ("Afghans", also rugs) is read as people only when the
                // sentence wishes to expel them: no other shape says so (so no dehumanising
                // noun is looked for).
                self.shape(ws, &[], 0, s1, g0, g1)
                    .filter(|(shape, _)| *shape == Shape::Expel)
            } else {
                None
            };
            let Some((shape, range)) = shaped else {
                continue;
            };
            // What the sentence says about it (up to SCOPE words on either side of the group,
            // so that a long run of text costs no more per hit): the shape's own words aside
            // (they may hold a negation: "can't stand", "never integrate"), a negation or a
            // word that disputes the claim; before the group, a verb of saying or a quotation
            // mark.
            let own_words = match shape {
                Shape::Hate(start) => spans[start].0..spans[g0].0,
                Shape::Claim(start) => spans[start].0..spans[range.end - 1].1,
                Shape::Expel => spans[range.start].0..spans[range.end - 1].1,
                _ => 0..0,
            };
            let (lo, hi) = scope(words, w0, w1);
            let text_of = |w: &Word| w.text(normalized);
            let affirming = affirming(words, normalized, lo, hi, a + range.end, &own_words);
            let negated = (lo..hi)
                .filter(|&i| !own_words.contains(&words[i].start) && !affirming.holds(i))
                .any(|i| NEGATIONS.contains(&text_of(&words[i])));
            let disputed = negated
                || (lo..hi).any(|i| !affirming.holds(i) && DISPUTE.contains(&text_of(&words[i])));
            let reported = words[lo..w0].iter().any(|w| SAYING.contains(&text_of(w)));
            // The group as the object of a relative clause ("those who hate Jews are
            // worthless"): the copula's subject is someone else.
            let object = ws[g0.saturating_sub(3)..g0]
                .iter()
                .any(|w| matches!(*w, "who" | "which"));
            // From the sentence's start to the group.
            let quoted = quote_opens_before(n, original, words, lo, h.norm.start);
            if disputed || reported || quoted || object {
                continue;
            }
            return Some(spans[range.start].0..spans[range.end - 1].1);
        }
        None
    }

    /// A joke likening the identity `ws[g0..g1]` to a trait: "what's the difference between
    /// a Nigerian and a scammer", "difference between Romanians and pickpockets" (session
    /// 13), or told of the group: "how many Poles does it take to …" (session 14): the words
    /// it spans.
    fn joke(&self, ws: &[&str], s1: usize, g0: usize, g1: usize) -> Option<Range<usize>> {
        let article = |w: &str| matches!(w, "a" | "an");
        // "how many Jews does it take to run a bank" (session 14).
        if g0 >= 2 && ws[g0 - 2..g0] == ["how", "many"] {
            let mut k = g1;
            while k < s1 && k < g1 + 2 && (self.people.contains(ws[k]) || is_people_suffix(ws[k])) {
                k += 1;
            }
            return (k + 3 <= s1
                && matches!(ws[k], "does" | "do")
                && ws[k + 1..k + 3] == ["it", "take"])
            .then_some(g0 - 2..k + 3);
        }
        let mut i = g0;
        if i > 0 && article(ws[i - 1]) {
            i -= 1;
        }
        if i < 2 || ws[i - 2..i] != ["difference", "between"] {
            return None;
        }
        let mut k = g1;
        while k < s1 && k < g1 + 2 && (self.people.contains(ws[k]) || is_people_suffix(ws[k])) {
            k += 1;
        }
        if k >= s1 || ws[k] != "and" {
            return None;
        }
        k += 1;
        if k < s1 && article(ws[k]) {
            k += 1;
        }
        let n = (k < s1).then(|| self.trait_at(ws, k)).flatten()?;
        Some(i - 2..k + n)
    }

    /// A likeness of the group `ws[g0..nouns]` to a trait or a dehumanising noun (`trait_at`):
    /// "like" within five words after it, maybe an article, then the trait. The words it
    /// spans.
    fn likeness(
        &self,
        ws: &[&str],
        trait_at: &dyn Fn(usize) -> Option<usize>,
        s1: usize,
        g0: usize,
        nouns: usize,
    ) -> Option<Range<usize>> {
        let like = (nouns..(nouns + 5).min(s1)).find(|&i| ws[i] == "like")?;
        let between = &ws[nouns..like];
        if between.iter().any(|w| CLAUSE.contains(w)) {
            return None;
        }
        if let Some(c) = between.iter().position(|w| COPULAS.contains(w)) {
            if !between[c + 1..].iter().all(|w| FILLERS.contains(w)) {
                return None;
            }
        }
        let mut t = like + 1;
        if t < s1 && matches!(ws[t], "a" | "an" | "the" | "so" | "many") {
            t += 1;
        }
        let n = (t < s1).then(|| trait_at(t)).flatten()?;
        Some(g0..t + n)
    }

    /// Whether `last`, the last word of identity hit `h`, is the plural of a homonym the rule
    /// does not read as a group by itself ("Afghans", "Poles"; not a skipped term).
    fn homonym_plural(&self, lexicon: &Lexicon, h: &Hit, last: &str) -> bool {
        let Some(term) = lexicon.entry(h.entry).map(|e| e.term.as_str()) else {
            return false;
        };
        let term_last = term.rsplit(' ').next().unwrap_or(term);
        h.flags.contains(Flags::HOMONYM)
            && !self.skip.contains(term)
            && last != term_last
            && last.starts_with(term_last)
    }

    /// Whether the identity words `ws[g0..g1]` (hit `h`) name a whole group.
    fn is_group(
        &self,
        lexicon: &Lexicon,
        h: &Hit,
        ws: &[&str],
        g0: usize,
        g1: usize,
        s1: usize,
    ) -> bool {
        let Some(term) = lexicon.entry(h.entry).map(|e| e.term.as_str()) else {
            return false;
        };
        if self.skip.contains(term) {
            return false;
        }
        let homonym = h.flags.contains(Flags::HOMONYM);
        let last = ws[g1 - 1];
        let term_last = term.rsplit(' ').next().unwrap_or(term);
        let plural = last != term_last && last.starts_with(term_last);
        // A plural names a group, but a homonym's only for the words people use so ("blacks",
        // "gays"; not "whites" of eggs, "polishes").
        if plural
            && (!homonym || matches!(term, "black" | "white" | "gay" | "indian" | "traveller"))
        {
            return true;
        }
        if matches!(
            term_last,
            "people" | "folk" | "men" | "women" | "community" | "children"
        ) {
            return true;
        }
        // An identity word before a plural noun of people, within two words ("Black lads",
        // "Indian call centre workers").
        if (g1..(g1 + 3).min(s1)).any(|i| self.people.contains(ws[i]) || is_people_suffix(ws[i])) {
            return true;
        }
        let mut det = g0.checked_sub(1).map(|i| ws[i]).unwrap_or("");
        // "every last Syrian"
        if det == "last" && g0 >= 2 && ws[g0 - 2] == "every" {
            det = "every";
        }
        // "every Indian", "no female pilot"; not a colour ("all white socks").
        if GENERIC.contains(&det) && !matches!(term, "black" | "white") {
            return true;
        }
        if homonym {
            return false;
        }
        let adjective =
            ADJECTIVE_ENDINGS.iter().any(|e| term.ends_with(e)) || ADJECTIVES.contains(&term);
        adjective
            && matches!(det, "the" | "those" | "these")
            && (g1 >= s1 || AFTER_THE_GROUP.contains(&ws[g1]))
    }

    /// The shape the sentence `ws[s0..s1]` gives the group `ws[g0..g1]`, and the words it
    /// spans.
    ///
    /// `dehum[i]`: the length in words of a dehumanising noun the lexicon found at word `i`
    /// (maybe spelled in disguise: "cockroachesssss", "c0ckr0aches"), 0 for none; it counts as
    /// a trait after a copula and in a question (session 13).
    fn shape(
        &self,
        ws: &[&str],
        dehum: &[u8],
        s0: usize,
        s1: usize,
        g0: usize,
        g1: usize,
    ) -> Option<(Shape, Range<usize>)> {
        let trait_at = |t: usize| {
            self.trait_at(ws, t)
                .or_else(|| dehum.get(t).filter(|&&n| n > 0).map(|&n| usize::from(n)))
        };
        // The group, up to MAX_GAP words, a copula, fillers, then a trait at once or after
        // one more word ("are dirty people", "are a burden").
        let mut i = g1;
        while i < s1 && i <= g1 + MAX_GAP && !CLAUSE.contains(&ws[i]) {
            if COPULAS.contains(&ws[i]) {
                let mut k = i + 1;
                while k < s1 && FILLERS.contains(&ws[k]) {
                    k += 1;
                }
                for t in [k, k + 1] {
                    if t >= s1 {
                        break;
                    }
                    if let Some(n) = trait_at(t) {
                        let before = ws[t - 1];
                        let after = ws.get(t + n).filter(|_| t + n < s1).copied().unwrap_or("");
                        // A filler's "of" may come right before it ("a nation of drunks").
                        let filler = t == k && k > i + 1;
                        // A plural noun keeps its "for" / "of" ("spies for the party",
                        // session 14); an adjective does not ("afraid of").
                        let plural = ws[t + n - 1].len() > 3 && ws[t + n - 1].ends_with('s');
                        if (filler || !BEFORE_TRAIT.contains(&before))
                            && (plural || !AFTER_TRAIT.contains(&after))
                        {
                            return Some((Shape::Predicate, g0..t + n));
                        }
                    }
                }
                break;
            }
            i += 1;
        }
        // A claim right after the group, maybe after an adverb: "Muslims never integrate",
        // "Jews control the banks".
        let mut k = g1;
        while k < s1 && k < g1 + 2 && (self.people.contains(ws[k]) || is_people_suffix(ws[k])) {
            k += 1;
        }
        let nouns = k;
        while k < s1 && k < nouns + 2 && CLAIM_ADVERBS.contains(&ws[k]) {
            k += 1;
        }
        if let Some(n) = self
            .claim_at(ws, k)
            .filter(|&n| !protective(&ws[(k + n).min(s1)..s1]))
        {
            return Some((Shape::Claim(k), g0..k + n));
        }
        // Blame insinuated: "why is it always the Muslims when a bomb goes off", "it's one of
        // the Eritreans again" (session 13). Only with "when" or "again" after the group:
        // "why is it always the Muslims who get blamed" defends them, "funny how it's always
        // the Polish lads who help first" praises them.
        let after = if nouns < s1 { ws[nouns] } else { "" };
        let mut i = g0;
        if i > s0 && ws[i - 1] == "the" {
            i -= 1;
        }
        if i > s0 && ws[i - 1] == "always" && matches!(after, "when" | "whenever" | "again") {
            let before = &ws[(i - 1).saturating_sub(4).max(s0)..i - 1];
            if before.iter().any(|w| matches!(*w, "it" | "its")) {
                return Some((Shape::Always, i - 1..nouns + 1));
            }
        }
        if g0 >= s0 + 3 && ws[g0 - 3..g0] == ["one", "of", "the"] && after == "again" {
            return Some((Shape::Always, g0 - 3..nouns + 1));
        }
        // A likeness: "Mexicans multiply like mice", "… pour over that border like ants"
        // (session 14). Not a passive ("are treated like animals" pities them): after a
        // copula only fillers may come before "like" ("are just like rats").
        if let Some(range) = self.likeness(ws, &trait_at, s1, g0, nouns) {
            return Some((Shape::Likeness, range));
        }
        // A habit with a generalising adverb: "Irish travellers will steal".
        let mut i = g1;
        while i < s1 && i <= g1 + 3 && !CLAUSE.contains(&ws[i]) {
            if matches!(
                ws[i],
                "all" | "always" | "just" | "only" | "will" | "would" | "constantly"
            ) {
                let mut k = i;
                while k < s1
                    && matches!(
                        ws[k],
                        "all" | "always" | "just" | "only" | "will" | "would" | "constantly"
                    )
                {
                    k += 1;
                }
                if k < s1 && self.verbs.contains(ws[k]) {
                    return Some((Shape::Habit, g0..k + 1));
                }
                break;
            }
            i += 1;
        }
        // A trait right before the group: "lazy immigrants".
        if g0 > s0 {
            if let Some(n) = self.trait_at(ws, g0 - 1).filter(|&n| n == 1) {
                return Some((Shape::Attribute, g0 - n..g1));
            }
        }
        // A question: "why are women so useless".
        if g0 > s0 && matches!(ws[g0 - 1], "are" | "were" | "is")
            || g0 > s0 + 1
                && matches!(ws[g0 - 1], "all" | "the" | "most")
                && matches!(ws[g0 - 2], "are" | "were" | "is")
        {
            for j in g1..(g1 + 3).min(s1) {
                if matches!(ws[j], "so" | "all" | "such" | "always" | "that" | "this") {
                    // "so naturally violent", "such a lazy bunch": fillers before the trait.
                    let mut t = j + 1;
                    while t < s1 && t < j + 4 && FILLERS.contains(&ws[t]) {
                        t += 1;
                    }
                    if t < s1 {
                        if let Some(n) = trait_at(t) {
                            return Some((Shape::Question, g0..t + n));
                        }
                    }
                    break;
                }
            }
        }
        // "I hate …", "I can't stand …".
        if let Some(start) = self.hated_by_me(&ws[..g0], g0).filter(|&st| st >= s0) {
            return Some((Shape::Hate(start), start..g1));
        }
        // "deport all the Syrians", "send the Poles back", "put the Afghans on a plane".
        if let Some(range) = self.expelled(ws, s0, s1, g0, nouns) {
            return Some((Shape::Expel, range));
        }
        None
    }
}

/// The dehumanising nouns the lexicon found among `words` (a window of a sentence), by their
/// first word: each one's length in words, 0 where none starts. Extermination words and verbs
/// ("genocide", "wipe out") are left out: they are not what a group is said to be.
fn dehumanising_nouns(lexicon: &Lexicon, hits: &[Hit], words: &[Word]) -> [u8; WINDOW] {
    let mut at = [0u8; WINDOW];
    let (Some(first_word), Some(last_word)) = (words.first(), words.last()) else {
        return at;
    };
    let first = hits.partition_point(|d| d.norm.start < first_word.start);
    for d in hits[first..]
        .iter()
        .take_while(|d| d.norm.start < last_word.end)
    {
        let noun = !d.flags.contains(Flags::VERB)
            && lexicon
                .entry(d.entry)
                .is_some_and(|e| e.kind != "extermination");
        if d.category == Category::Dehumanising && noun {
            let d0 = words.partition_point(|w| w.end <= d.norm.start);
            let d1 = words.partition_point(|w| w.start < d.norm.end);
            if d1 > d0 && d0 < WINDOW {
                at[d0] = u8::try_from(d1 - d0).unwrap_or(u8::MAX);
            }
        }
    }
    at
}

/// The shapes of [`Groups::shape`].
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Predicate,
    Habit,
    Attribute,
    Question,
    /// A first-person verb of hatred starting at this word.
    Hate(usize),
    /// "why is it always the _ when …", "one of the _ again" (session 13).
    Always,
    /// "what's the difference between a _ and a scammer" (session 13).
    Joke,
    /// "Mexicans multiply like mice" (session 14).
    Likeness,
    /// A claim starting at this word.
    Claim(usize),
    /// A wish to expel the group ("deport all the Syrians", "send the Poles back").
    Expel,
    /// Any group, in a comment the model flags as a threat.
    Threat,
}

/// Whether `s` holds an opening quotation mark: a double one, or a single one at the start
/// of a word (an apostrophe inside a word is not a quote).
pub(super) fn opens_a_quote(s: &str) -> bool {
    let mut prev = ' ';
    s.chars().any(|c| {
        let q = matches!(c, '"' | '\u{201c}' | '\u{201d}' | '\u{2018}')
            || (c == '\'' && prev.is_whitespace());
        prev = c;
        q
    })
}

/// The length in words of the longest phrase of `table` (phrases by first word) that starts
/// at `ws[i]`, if one does.
fn longest_at(table: &FxHashMap<String, Vec<Vec<String>>>, ws: &[&str], i: usize) -> Option<usize> {
    table
        .get(*ws.get(i)?)?
        .iter()
        .filter(|p| {
            ws.get(i..i + p.len())
                .is_some_and(|got| got == p.as_slice())
        })
        .map(Vec::len)
        .max()
}

/// A plural noun of people by its ending ("activists", "Christians").
fn is_people_suffix(w: &str) -> bool {
    w.len() > 5 && (w.ends_with("ists") || w.ends_with("ians"))
}

/// Byte classes: part of a word (an ASCII letter or digit, or any byte of a non-ASCII
/// character: the normalised text is mostly ASCII, and a non-ASCII letter stays inside its
/// word), the end of a sentence (`.`, `!`, `?`, `;`, a line break), or anything else.
const fn byte_classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() || c >= 0x80 {
            WORD
        } else if matches!(c, b'.' | b'!' | b'?' | b';' | b'\n') {
            END
        } else {
            0
        };
        b += 1;
    }
    t
}
const WORD: u8 = 1;
const END: u8 = 2;
static CLASS: [u8; 256] = byte_classes();

/// The words of `bytes` into `out` (cleared first), each with its sentence's number.
fn sentence_words(bytes: &[u8], out: &mut Vec<Word>) {
    out.clear();
    let (mut sentence, mut i) = (0u32, 0);
    let class = |i: usize| CLASS[usize::from(bytes[i])];
    while i < bytes.len() {
        while i < bytes.len() && class(i) != WORD {
            sentence += u32::from(class(i) == END);
            i += 1;
        }
        let start = i;
        while i < bytes.len() && class(i) == WORD {
            i += 1;
        }
        if start < i {
            out.push(Word {
                start,
                end: i,
                sentence,
            });
        }
    }
}

/// The rows of one of the moderator's word lists (`groups.tsv`, `senses.tsv`,
/// `individuals.tsv`, …): for each line that is not blank, a `#` comment or the header
/// `first<TAB>second`, where it is (`"NAME line N"`, for errors) and its two columns. A line
/// without a tab is an error.
pub(super) fn tsv_rows<'a>(
    tsv: &'a str,
    name: &'a str,
    (first, second): (&'a str, &'a str),
) -> impl Iterator<Item = std::result::Result<(String, &'a str, &'a str), String>> + 'a {
    tsv.lines().enumerate().filter_map(move |(i, line)| {
        let at = format!("{name} line {}", i + 1);
        let line = line.trim_end();
        if line.is_empty()
            || line.starts_with('#')
            || line.split_once('\t') == Some((first, second))
        {
            return None;
        }
        Some(match line.split_once('\t') {
            Some((a, b)) => Ok((at, a, b)),
            None => Err(format!("{at}: expected `{first}<TAB>{second}`")),
        })
    })
}

/// Whether `w` is one lower-case word (letters and digits) as `sentence_words` reads them.
pub(super) fn is_word(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() && !c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The original text the rule picks out in `text`, if any.
    fn found(text: &str) -> Option<String> {
        found_if(text, false)
    }

    /// The same, with `threat` (the model flags a threat) as given.
    fn found_if(text: &str, threat: bool) -> Option<String> {
        let lex = Lexicon::default();
        let n = crate::text::normalize(text);
        let hits = lex.find(&n);
        let r = Groups::builtin().find(&lex, &hits, &n, text, threat)?;
        Some(text[n.original_range(r)].to_string())
    }

    #[test]
    fn wishes_to_expel_a_group_are_found() {
        for (text, want) in [
            (
                "Deport all the Somalis tomorrow",
                Some("Deport all the Somalis"),
            ),
            (
                "send the Romanians back where they came from",
                Some("send the Romanians back"),
            ),
            (
                "Stick every last Nigerian on the next plane out",
                None, // "stick" is not one of the verbs
            ),
            (
                "put every last Nigerian on the next plane out",
                Some("put every last Nigerian on the next plane"),
            ),
            (
                "Roma families should be deported",
                Some("Roma families should be deported"),
            ),
            (
                "Pensioners shouldn't get a vote",
                Some("Pensioners shouldn't get a vote"),
            ),
            (
                "Catholics don't belong here",
                Some("Catholics don't belong here"),
            ),
            // a homonym's plural ("afghans", also rugs) only in a wish to expel
            ("send the Afghans back home", Some("send the Afghans back")),
            ("The afghans are folded on the sofa", None),
            ("cheap afghans everywhere", None),
            // policy talk: a bare verb needs a determiner before the group
            (
                "The plan makes it easier to deport immigrants who commit crimes",
                None,
            ),
            // negated, disputed or reported
            ("We should never deport all the Syrians", None),
            ("Nobody thinks Pensioners shouldn't get a vote", None),
            // session 14: a right or a welcome regretted
            (
                "Letting Syrians in was a mistake, look at the place",
                Some("Letting Syrians in was a mistake"),
            ),
            ("Letting Syrians in was not a mistake", None),
            ("He shouted that Catholics don't belong here", None),
        ] {
            assert_eq!(found(text).as_deref(), want, "{text:?}");
        }
    }

    #[test]
    fn a_threat_names_its_group_only_when_the_model_flags_it() {
        let text = "I will hurt every Muslim I meet";
        assert_eq!(found_if(text, true).as_deref(), Some("Muslim"));
        assert_eq!(found_if(text, false), None);
        for text in [
            "I will hurt you and your dog",             // no group
            "Nobody will hurt Muslims on my watch",     // negated
            "I will hurt the Muslim who stole my bike", // one person
        ] {
            assert_eq!(found_if(text, true), None, "{text:?}");
        }
    }

    #[test]
    fn builtin_lists_parse() {
        let g = Groups::parse(GROUPS_TSV).unwrap();
        assert!(g.traits.values().map(Vec::len).sum::<usize>() >= 200);
        assert!(g.hate.len() >= 5 && g.verbs.len() >= 5 && g.people.len() >= 20);
    }

    #[test]
    fn bad_lines_are_refused_with_their_line() {
        for (tsv, want) in [
            ("trait lazy\n", "line 1: expected `kind<TAB>words`"),
            (
                "kind\twords\ntrait\tLazy\n",
                "line 2: `Lazy` is not a lower-case word",
            ),
            ("# c\nverb\tsteal from\n", "line 2: a `verb` is one word"),
            ("adjective\tlazy\n", "line 1: unknown kind `adjective`"),
            (
                "expel\tdeport\n",
                "line 1: an `expel` phrase needs exactly one `_`",
            ),
            (
                "expel\t_ out\n",
                "line 1: an `expel` phrase starts with its verb",
            ),
        ] {
            let e = Groups::parse(tsv).unwrap_err();
            assert!(e.contains(want), "{tsv:?}: {e}");
        }
    }

    #[test]
    fn insults_and_stereotypes_of_a_group_are_found() {
        for (text, want) in [
            ("Women are disgusting.", "Women are disgusting"),
            (
                "The Irish are all drunks and always will be",
                "Irish are all drunks",
            ),
            ("Those Romanians are thieves.", "Romanians are thieves"),
            (
                "Every Indian call centre worker is a scammer.",
                "Indian call centre worker is a scammer",
            ),
            ("Black people are so stupid.", "Black people are so stupid"),
            (
                "Deaf people are a burden on the NHS",
                "Deaf people are a burden",
            ),
            ("lazy immigrants everywhere", "lazy immigrants"),
            (
                "Why are women so useless at everything?",
                "women so useless",
            ),
            ("I really can't stand gay people.", "can't stand gay people"),
            ("i despise catholics", "despise catholics"),
            (
                "Irish travellers will steal anything",
                "travellers will steal",
            ),
            (
                "M u s l i m s are terrorists",
                "M u s l i m s are terrorists",
            ),
        ] {
            assert_eq!(found(text).as_deref(), Some(want), "{text:?}");
        }
    }

    /// The sentence is read up to SCOPE words either side of the group (so that a long run
    /// of text costs a bounded amount per hit): a negation further away does not count.
    #[test]
    fn the_sentence_is_read_within_scope_words_of_the_group() {
        // (a "never" closing the sentence: a trailing "not" would be a contrast, `affirming`)
        let near = format!("Muslims are thieves {}never", "and so on ".repeat(10));
        assert_eq!(found(&near), None);
        let far = format!(
            "Muslims are thieves {}never",
            "and so on ".repeat(SCOPE / 3 + 1)
        );
        assert_eq!(found(&far).as_deref(), Some("Muslims are thieves"));
    }

    /// Session 13: negations that affirm, blame insinuated, jokes, fillers' "of".
    #[test]
    fn affirmations_insinuations_and_jokes_are_found() {
        for (text, want) in [
            (
                "The numbers don't lie, Somalis are all thieves",
                "Somalis are all thieves",
            ),
            (
                "Muslims control the media and you're not allowed to say it",
                "Muslims control the media",
            ),
            (
                "Gay people are perverts and need therapy, not marriage.",
                "Gay people are perverts",
            ),
            (
                "Irish people just can't handle their drink, never could and never will",
                "Irish people just can't handle their drink",
            ),
            (
                "Why is it always the Somalis when a shop gets robbed?",
                "always the Somalis when",
            ),
            (
                "Another burglary on our street, one of the Albanians again",
                "one of the Albanians again",
            ),
            (
                "What's the difference between an Albanian and a thief?",
                "difference between an Albanian and a thief",
            ),
            (
                "Albanians are a nation of thieves",
                "Albanians are a nation of thieves",
            ),
            (
                "Keep trans people away from our children",
                "Keep trans people away from our children",
            ),
            ("Indians stink of garlic", "Indians stink of"),
            // a dehumanising noun the lexicon reads through its disguise
            (
                "migrants are c0ckr0achesss, simple as",
                "migrants are c0ckr0achesss",
            ),
        ] {
            assert_eq!(found(text).as_deref(), Some(want), "{text:?}");
        }
        for text in [
            "Why is it always the Muslims who get blamed?",
            "Funny how it's always the Polish lads who help first.",
            "What's the difference between a Sunni and a Shia Muslim?",
            "Muslims are not terrorists, not at all.",
            "Keep refugees away from the cameras, they deserve privacy.",
            "Albanians are a nation of poets",
            "The stats show Somalis are not thieves",
            "Calling refugees 'cockroaches' is how genocides start.",
        ] {
            assert_eq!(found(text), None, "{text:?}");
        }
    }

    /// Session 14: rights denied, parallel negations, dismissed cues, jokes told of a group,
    /// adverbs inside claims.
    #[test]
    fn rights_denied_and_parallel_claims_are_found() {
        for (text, want) in [
            (
                "Romanians can't drive, can't cook and can't tell the truth",
                "Romanians can't drive",
            ),
            (
                "Women shouldn't be allowed near a cockpit, they just don't have the brains",
                "Women shouldn't be allowed",
            ),
            (
                "Somalis commit most of the crime and then cry racism",
                "Somalis commit most of the crime",
            ),
            (
                "Albanians can't be trusted, they all lie",
                "Albanians can't be trusted",
            ),
            (
                "How many Albanians does it take to steal a car?",
                "How many Albanians does it take",
            ),
            (
                "Migrants should all be shipped straight back",
                "Migrants should all be shipped straight back",
            ),
            (
                "Migrants are a massive drain on the NHS",
                "Migrants are a massive drain on the NHS",
            ),
            // a likeness
            (
                "Somalis multiply like rats in those flats",
                "Somalis multiply like rats",
            ),
            // a plural noun trait keeps its "for"
            (
                "Albanians are thieves for hire, all of them",
                "Albanians are thieves",
            ),
            // session 14's habits and claims
            (
                "Romanian landlords will cheat you blind",
                "Romanian landlords will cheat",
            ),
            (
                "Catholics cover up abuse, always have",
                "Catholics cover up abuse",
            ),
        ] {
            assert_eq!(found(text).as_deref(), Some(want), "{text:?}");
        }
        for text in [
            // a harm the rights-denial protects the group from
            "Refugees shouldn't be allowed to drown in the Channel.",
            "Women shouldn't be allowed to be harassed at work.",
            // a negation before the claim, or one that does not start a parallel claim
            "It's not true that Romanians can't drive.",
            "Romanians can't drive, it's not their fault",
            // the cue not dismissed
            "Saying Somalis commit most of the crime is racism",
            "How many Albanians live in Britain?",
            "Migrants are a massive part of the NHS",
            // "never" is no adverb inside a claim
            "Muslims should never be deported for their faith",
            // a passive likeness pities them; an idiom
            "Refugees are treated like animals in those camps",
            "Pensioners are dropping like flies this winter",
        ] {
            assert_eq!(found(text), None, "{text:?}");
        }
    }

    #[test]
    fn negated_reported_disputed_and_individual_uses_are_left_alone() {
        for text in [
            "Muslims are not terrorists.",
            "Muslims aren't terrorists, they're our neighbours.",
            "The myth that Jews are greedy has done real harm.",
            "It is racist to say Mexicans are lazy.",
            "Witness says the accused screamed that every Muslim was a terrorist",
            "Stop saying \"immigrants are criminals\", it is wrong",
            "That 'Jews are parasites' line is straight out of Nazi propaganda",
            "Black people are victims of violent crime more often.",
            "Trans people are still classified as mentally ill in some countries.",
            "The woman is a traitor.",
            "the French debate is pathetic",
            "I hate white socks.",
            "This is why I hate Chinese whispers",
            "Muslims are kind and generous neighbours.",
            "My Polish builder is a crook.",
            "Women who lie are liars.",
            "Stupid, stupid kids!",
            "All of those who hate Jews are worthless.",
            "It's a lie that Jews control the banks.",
            "Muslims integrate well here.",
            "The worms in my garden are huge.",
        ] {
            assert_eq!(found(text), None, "{text:?}");
        }
    }
}
