//! Dropped and swapped letters: the one-slip variants of abusive single-word terms, and the
//! real-word guard that keeps ordinary words out of them.
//!
//! The rule (applied by the matcher only to a word that has no hit of its own): a word that is
//! one slip away from a form of a dehumanising, slur, insult, threat or obscene single-word
//! entry matches that entry. A slip is
//! - two neighbouring letters swapped, in a form of 4 or more letters (`rats` → `rtas`);
//! - one letter dropped, in a form of 7 or more letters (`cockroaches` → `cockroches`), never
//!   one letter of a double (`niger` is not `nigger`);
//!
//! and never touches the first letter. A variant that is itself a key of the lexicon keeps only
//! its own meaning, and a variant listed in the real-word guard (`real_words.tsv`: `sitting`,
//! `garage`, `strange`) is never made. Identity terms are never reached. The variants are
//! computed once, when the lexicon is built; scoring pays one lookup at most.

use std::collections::HashSet;

use super::entry::Category;
use crate::error::Result;
use crate::text::{normalize, words};

/// Name of the real-word guard file in a lexicon folder (read by [`super::Lexicon::from_dir`];
/// absent = no guard).
pub const REAL_WORDS_FILE: &str = "real_words.tsv";

/// The header line of a real-word guard file.
pub const REAL_WORDS_HEADER: &str = "word\tnote";

/// The built-in guard: (name used in errors, contents).
pub(super) const BUILTIN_REAL_WORDS: (&str, &str) = (
    "src/lexicon/data/real_words.tsv",
    include_str!("data/real_words.tsv"),
);

/// Shortest form (in letters) whose neighbouring letters may be swapped.
const MIN_SWAP: usize = 4;
/// Shortest form (in letters) that may lose a letter.
const MIN_DROP: usize = 7;

/// True for the categories a slipped spelling may reach (as for stretched spellings): abusive
/// entries, never identity terms or cues.
pub(super) fn reachable(c: Category) -> bool {
    matches!(
        c,
        Category::Dehumanising
            | Category::Slur
            | Category::Insult
            | Category::Threat
            | Category::Obscene
    )
}

/// Every one-slip variant of the single-word form `form` (normalised), swaps first, then
/// drops, without duplicates and never `form` itself. Forms with anything but letters have
/// none.
pub(super) fn variants(form: &str) -> Vec<String> {
    let c: Vec<char> = form.chars().collect();
    let n = c.len();
    let mut out: Vec<String> = Vec::new();
    if n < MIN_SWAP || !c.iter().all(|ch| ch.is_alphabetic()) {
        return out;
    }
    let mut push = |v: String| {
        if v != form && !out.contains(&v) {
            out.push(v);
        }
    };
    for i in 1..n - 1 {
        if c[i] != c[i + 1] {
            let mut s = c.clone();
            s.swap(i, i + 1);
            push(s.into_iter().collect());
        }
    }
    if n >= MIN_DROP {
        for i in 1..n {
            let double = c[i] == c[i - 1] || c.get(i + 1) == Some(&c[i]);
            if !double {
                push(
                    c.iter()
                        .enumerate()
                        .filter(|&(j, _)| j != i)
                        .map(|(_, &ch)| ch)
                        .collect(),
                );
            }
        }
    }
    out
}

/// One variant the rule makes: the variant, the form it comes from, the entry.
pub(super) type Slip = (String, String, u32);

/// The variants of `forms` (single-word forms of reachable entries, with their entry), less
/// any that `is_key` (a term of its own) or that the guard lists; sorted by variant, then
/// entry, without duplicate (variant, entry) pairs.
pub(super) fn all_slips<'a>(
    forms: impl Iterator<Item = (&'a str, u32)>,
    is_key: impl Fn(&str) -> bool,
    guard: &HashSet<String>,
) -> Vec<Slip> {
    let mut out: Vec<Slip> = Vec::new();
    for (form, entry) in forms {
        for v in variants(form) {
            if !is_key(&v) && !guard.contains(&v) {
                out.push((v, form.to_string(), entry));
            }
        }
    }
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0 && a.2 == b.2);
    out
}

/// Parses a real-word guard file: the header [`REAL_WORDS_HEADER`], then one word per line
/// with a note after a tab; blank lines and lines starting with `#` are skipped. Words are
/// normalised as the matcher sees them. Errors carry the file and line.
pub(super) fn parse_real_words(text: &str, source: &str) -> Result<Vec<String>> {
    let err = |line: u64, msg: String| super::entry::line_error(source, line, msg);
    let mut out = Vec::new();
    for (line, l) in super::entry::content_lines(text, source, REAL_WORDS_HEADER)? {
        let word = l.split('\t').next().unwrap_or("").trim();
        let norm = normalize(word);
        let t = norm.as_str();
        let mut toks = words(t);
        match (toks.next(), toks.next()) {
            (Some(r), None) if r == (0..t.len()) => out.push(t.to_string()),
            _ => {
                return Err(err(
                    line,
                    format!("`{word}` is not one word (a guard lists single words)"),
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_swap_and_drop_but_never_the_first_letter_or_a_double() {
        assert_eq!(variants("rats"), ["rtas", "rast"]);
        // Too short for any slip.
        assert!(variants("rat").is_empty());
        // Six letters: swaps only.
        assert!(variants("vermin").iter().all(|v| v.len() == 6));
        let v = variants("cockroaches");
        assert!(v.contains(&"cockroches".to_string()), "{v:?}");
        assert!(v.contains(&"cokcroaches".to_string()), "{v:?}");
        assert!(v.iter().all(|w| w.starts_with('c')), "{v:?}");
        // Never one of a double, never a swap of equal letters.
        let v = variants("niggers");
        assert!(!v.contains(&"nigers".to_string()), "{v:?}");
        assert!(!v.contains(&"niggers".to_string()), "{v:?}");
        assert!(v.contains(&"niggres".to_string()), "{v:?}");
        // Not letters: no variants.
        assert!(variants("f-ck").is_empty());
    }

    #[test]
    fn guard_files_parse_with_positions() {
        let ok = "# note\nword\tnote\nSitting\tshitting\n\ngarage\n";
        assert_eq!(parse_real_words(ok, "<t>").unwrap(), ["sitting", "garage"]);
        let e = parse_real_words("sitting\tx\n", "<t>").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        let e = parse_real_words("word\tnote\nok\t\ntwo words\tx\n", "<t>").unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
        assert!(parse_real_words(BUILTIN_REAL_WORDS.1, BUILTIN_REAL_WORDS.0).is_ok());
    }

    use crate::lexicon::{Lexicon, LexiconBuilder};

    /// `category:term of the entry:original text` of every hit.
    fn found(lex: &Lexicon, t: &str) -> Vec<String> {
        let norm = normalize(t);
        lex.find(&norm)
            .iter()
            .map(|h| {
                let term = lex.entry(h.entry).map_or("?", |e| e.term.as_str());
                format!("{:?}:{term}:{}", h.category, &t[h.original.clone()])
            })
            .collect()
    }

    #[test]
    fn dropped_and_swapped_letters_find_abusive_terms() {
        let lex = Lexicon::default();
        assert_eq!(
            found(&lex, "Refugees are cockroches and rtas."),
            [
                "IdentityTerm:refugee:Refugees",
                "Dehumanising:cockroach:cockroches",
                "Dehumanising:rat:rtas"
            ]
        );
        // Spans are the original bytes, through case and leet folding and possessives.
        assert_eq!(
            found(&lex, "Those c0ckroches' homes, Rtas!"),
            ["Dehumanising:cockroach:c0ckroches", "Dehumanising:rat:Rtas"]
        );
        assert_eq!(found(&lex, "the rtas's nest"), ["Dehumanising:rat:rtas"]);
        // A word with a hit of its own keeps it: `rats` is not `rast`'s slip.
        assert_eq!(found(&lex, "rats"), ["Dehumanising:rat:rats"]);
    }

    #[test]
    fn slips_never_touch_the_first_letter_doubles_or_identity_terms() {
        let lex = Lexicon::default();
        // The first letter dropped or swapped (cockroaches).
        assert!(found(&lex, "ockroaches occkroaches").is_empty());
        // One letter of a double dropped (maggots).
        assert!(found(&lex, "magots").is_empty());
        // Identity terms (muslims, christians) are never reached.
        assert!(found(&lex, "muslmis chrsitians").is_empty());
        // Too short to drop a letter from (vermin): `vermn` is no slip; `vemrin` is.
        assert!(found(&lex, "vermn").is_empty());
        assert_eq!(found(&lex, "vemrin"), ["Dehumanising:vermin:vemrin"]);
    }

    #[test]
    fn the_real_word_guard_keeps_ordinary_words() {
        let lex = Lexicon::default();
        for w in ["sitting", "garage", "strange", "cleaning", "waking", "pets"] {
            assert!(found(&lex, w).is_empty(), "{w}: {:?}", found(&lex, w));
        }
        // Without the guard they are slips (the guard is what keeps them out).
        let unguarded = LexiconBuilder::new().builtin().unwrap().unguarded_slips();
        for w in ["sitting", "garage", "strange"] {
            assert!(unguarded.iter().any(|s| s.0 == w), "{w}");
        }
        // A site's guard: its own words only.
        let site = LexiconBuilder::new()
            .tsv(
                "<t>",
                &format!(
                    "{}\nrat\tdehumanising\tvermin\t2\t\t\n",
                    super::super::HEADER
                ),
            )
            .and_then(|b| b.real_words("<g>", "word\tnote\nrtas\tours\n"))
            .and_then(LexiconBuilder::build)
            .unwrap();
        assert!(found(&site, "rtas").is_empty());
        assert_eq!(found(&site, "rast"), ["Dehumanising:rat:rast"]);
    }

    #[test]
    fn a_variant_that_is_a_term_stays_that_term() {
        // `rast` is a swap of `rats`; here it is a term of its own, an insult.
        let lex = LexiconBuilder::new()
            .tsv(
                "<t>",
                &format!(
                    "{}\nrat\tdehumanising\tvermin\t2\t\t\nrast\tinsult\tcharacter\t1\texact\t\n",
                    super::super::HEADER
                ),
            )
            .and_then(LexiconBuilder::build)
            .unwrap();
        assert_eq!(found(&lex, "rast"), ["Insult:rast:rast"]);
        assert_eq!(found(&lex, "rtas"), ["Dehumanising:rat:rtas"]);
        // And in the built-in lexicon: every variant that is a key keeps only its own hits.
        let lex = Lexicon::default();
        let slips = LexiconBuilder::new().builtin().unwrap().unguarded_slips();
        assert!(slips
            .iter()
            .all(|s| !matches!(lex.classify_word(&s.0), crate::lexicon::WordClass::Key(_))));
    }

    /// Prints every slip variant of the built-in lexicon without its guard, and how often each
    /// occurs as a word (normalised and split as the matcher sees it) in the TRAIN splits of
    /// the training corpora under `COMMENTGUARD_DATA`, for `scripts/lexicon/real_words.py`.
    /// Lines: `SLIP<TAB>variant<TAB>form<TAB>category<TAB>count<TAB>guarded`, then
    /// `TOTAL<TAB>rows<TAB>words`.
    #[test]
    #[ignore = "a data dump for scripts/lexicon/real_words.py"]
    fn print_slip_variants() {
        use crate::train::datasets::{data_root_from_env, load_all, Split, Use};
        use std::collections::HashMap;
        let b = LexiconBuilder::new().builtin().unwrap();
        let guard = b.real_words.clone();
        let lex = b.clone().build().unwrap();
        let slips = b.unguarded_slips();
        let mut counts: HashMap<&str, u64> = slips.iter().map(|s| (s.0.as_str(), 0)).collect();
        let (mut rows, mut total) = (0u64, 0u64);
        if let Some(root) = data_root_from_env() {
            for r in load_all(&root, Use::Train).unwrap() {
                if r.split != Split::Train {
                    continue;
                }
                rows += 1;
                let n = normalize(&r.text);
                let t = n.as_str();
                for w in words(t) {
                    total += 1;
                    if let Some(c) = t.get(w).and_then(|w| counts.get_mut(w)) {
                        *c += 1;
                    }
                }
            }
        }
        for (v, form, entry) in &slips {
            let cat = lex.entry(*entry as usize).map(|e| e.category).unwrap();
            let n = counts.get(v.as_str()).copied().unwrap_or(0);
            println!("SLIP\t{v}\t{form}\t{cat}\t{n}\t{}", guard.contains(v));
        }
        println!("TOTAL\t{rows}\t{total}");
    }
}
