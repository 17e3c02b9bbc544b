//! Our own training sentences (`datasets/own/`) must never leak the functional test cases
//! (`tests/data/behaviours.tsv`) nor the blind cases (`tests/data/behaviours_blind.tsv`,
//! `tests/data/behaviours_blind2.tsv`, `tests/data/behaviours_blind3.tsv`,
//! `tests/data/behaviours_blind4.tsv`, `tests/data/behaviours_blind5.tsv`,
//! `tests/data/behaviours_blind6.tsv`, `tests/data/behaviours_blind7.tsv`,
//! `tests/data/behaviours_blind8.tsv`, `tests/data/behaviours_blind9.tsv`,
//! `tests/data/behaviours_blind10.tsv`, `tests/data/behaviours_blind11.tsv`): no generated
//! sentence shares five words in a row with a case. The newest blind set shares none with the
//! earlier ones nor within itself either.

mod common;

use commentguard::train::datasets::{own, Split};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Lower-cased words; a run of one-letter words (`d i s e a s e`, `d.i.s.e.a.s.e`) is
/// joined into one, as the normaliser joins spaced-out spellings.
fn words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut joining = false;
    for w in s
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        let single = w.chars().count() == 1;
        match out.last_mut() {
            Some(last) if single && joining => last.push_str(&w),
            _ => out.push(w),
        }
        joining = single;
    }
    out
}

fn five_grams(s: &str) -> Vec<String> {
    let w = words(s);
    w.windows(5).map(|g| g.join(" ")).collect()
}

/// The 1-based line number and text of every case of a functional case file
/// (`behaviour<TAB>expected<TAB>text`), without the `#` comments and the column header.
fn case_lines(file: &str) -> Vec<(usize, String)> {
    let cases = std::fs::read_to_string(common::repo_data(file)).unwrap();
    cases
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.starts_with("behaviour\t"))
        .filter_map(|(i, l)| l.splitn(3, '\t').nth(2).map(|t| (i + 1, t.to_string())))
        .collect()
}

/// Every case text of a functional case file (`behaviour<TAB>expected<TAB>text`) as its words
/// joined by spaces, and every five words in a row of them.
fn case_grams(file: &str) -> (HashSet<String>, HashSet<String>) {
    let mut grams = HashSet::new();
    let mut texts = HashSet::new();
    for (_, text) in case_lines(file) {
        texts.insert(words(&text).join(" "));
        grams.extend(five_grams(&text));
    }
    assert!(
        grams.len() > 200,
        "read too few cases from {file}: {}",
        grams.len()
    );
    (texts, grams)
}

/// The blind case files (issue 3), oldest first.
const BLIND: [&str; 11] = [
    "behaviours_blind.tsv",
    "behaviours_blind2.tsv",
    "behaviours_blind3.tsv",
    "behaviours_blind4.tsv",
    "behaviours_blind5.tsv",
    "behaviours_blind6.tsv",
    "behaviours_blind7.tsv",
    "behaviours_blind8.tsv",
    "behaviours_blind9.tsv",
    "behaviours_blind10.tsv",
    "behaviours_blind11.tsv",
];

#[test]
fn own_sentences_share_no_five_words_with_the_functional_cases() {
    let (texts, grams) = case_grams("behaviours.tsv");
    let own = own::load().unwrap().examples;
    let mut per: BTreeMap<(String, Split), usize> = BTreeMap::new();
    for e in &own {
        assert!(
            !texts.contains(&words(&e.text).join(" ")),
            "own sentence equals a functional case: {:?}",
            e.text
        );
        for g in five_grams(&e.text) {
            assert!(
                !grams.contains(&g),
                "own sentence {:?} shares {g:?} with a functional case",
                e.text
            );
        }
        *per.entry((e.native.as_ref().unwrap().as_str().to_string(), e.split))
            .or_default() += 1;
    }
    eprintln!("own set rows per (behaviour, split): {per:?}");
}

/// Our own sentences that equal a case of the blind file `file`, or share five words in a
/// row with one, sorted and without repeats.
fn own_sentences_sharing_with(file: &str) -> Vec<String> {
    let (texts, grams) = case_grams(file);
    let mut shared: Vec<String> = own::load()
        .unwrap()
        .examples
        .into_iter()
        .filter(|e| {
            texts.contains(&words(&e.text).join(" "))
                || five_grams(&e.text).iter().any(|g| grams.contains(g))
        })
        .map(|e| e.text)
        .collect();
    shared.sort();
    shared.dedup();
    shared
}

/// The same check against the blind cases (every file of `BLIND`, issue 3). A failure
/// names only our own sentence, not the blind case or the words they share, so that fixing it
/// (rephrasing the template) does not show anyone the blind set.
#[test]
fn own_sentences_share_no_five_words_with_the_blind_cases() {
    let mut failures = Vec::new();
    for file in BLIND {
        let shared = own_sentences_sharing_with(file);
        if !shared.is_empty() {
            failures.push(format!(
                "{} own sentences share five words in a row with a case of {file} (rephrase \
                 their templates):\n{}",
                shared.len(),
                shared.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The newest blind set (the last of `BLIND`) must be new: none of its cases equals or shares
/// five words in a row with a case of the earlier blind sets, nor with another of its own cases.
/// A failure names only files and line numbers, never text, so that the newer case can be
/// rephrased without reading the earlier sets.
#[test]
fn blind_sets_share_no_five_words() {
    let (newest, earlier) = BLIND.split_last().unwrap();
    // Where each whole case and each five words in a row were first seen: (file, line).
    let mut seen: HashMap<String, (&str, usize)> = HashMap::new();
    for file in earlier {
        for (line, text) in case_lines(file) {
            for key in std::iter::once(words(&text).join(" ")).chain(five_grams(&text)) {
                seen.entry(key).or_insert((file, line));
            }
        }
    }
    let cases = case_lines(newest);
    assert!(
        cases.len() > 200,
        "read too few cases from {newest}: {}",
        cases.len()
    );
    let mut failures = BTreeSet::new();
    for (line, text) in cases {
        let mut keys = five_grams(&text);
        keys.push(words(&text).join(" "));
        keys.sort();
        keys.dedup();
        for key in keys {
            match seen.get(&key) {
                Some(&(file, first)) => {
                    failures.insert(format!("{newest} line {line} repeats {file} line {first}"));
                }
                None => {
                    seen.insert(key, (newest, line));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases share five words in a row or their whole text (rephrase the {newest} line):\n{}",
        failures.len(),
        failures.into_iter().collect::<Vec<_>>().join("\n")
    );
}
