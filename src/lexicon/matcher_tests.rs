//! Tests of the matcher (`super`), kept apart so matcher.rs stays readable.

use super::*;
use crate::lexicon::builder::inflect;
use crate::text::{normalize, words};

/// The scorer's route to the hits of `norm`: every word classified as the word cache does, then
/// `find_into_words_classified` into `out`. Returns the classes.
fn classified_hits(
    lex: &Lexicon,
    norm: &Normalized,
    ws: &[Range<usize>],
    out: &mut Vec<Hit>,
) -> Vec<WordClass> {
    let classes: Vec<WordClass> = ws
        .iter()
        .map(|w| lex.classify_word(&norm.as_str()[w.clone()]))
        .collect();
    lex.find_into_words_classified(norm, ws, &classes, out);
    classes
}

#[test]
fn inflections() {
    assert_eq!(inflect("rat", false), ["rat", "rats"]);
    assert_eq!(inflect("fly", false), ["fly", "flies"]);
    assert_eq!(inflect("leech", false), ["leech", "leeches"]);
    let g = inflect("gas", true);
    for f in ["gas", "gases", "gassed", "gassing"] {
        assert!(g.contains(&f.to_string()), "{f} in {g:?}");
    }
    let e = inflect("exterminate", true);
    for f in ["exterminates", "exterminated", "exterminating"] {
        assert!(e.contains(&f.to_string()), "{f} in {e:?}");
    }
    assert_eq!(inflect("é", true), ["é"]);
}

#[test]
fn tokens_glue_masks() {
    let s = "a n*gger, f**k *ss sh* x";
    let t: Vec<&str> = tokens(s, 0).map(|r| &s[r]).collect();
    assert_eq!(t, ["a", "n*gger", "f**k", "*ss", "sh*", "x"]);
}

#[test]
fn stretched_spellings_find_abusive_terms_only() {
    let lex = Lexicon::default();
    let found = |t: &str| -> Vec<String> {
        let norm = normalize(t);
        lex.find(&norm)
            .iter()
            .map(|h| format!("{:?}:{}", h.category, &t[h.original.clone()]))
            .collect()
    };
    assert_eq!(found("they are verminnnn"), ["Dehumanising:verminnnn"]);
    assert_eq!(found("VERMIIIN"), ["Dehumanising:VERMIIIN"]);
    assert_eq!(found("scuuuum"), ["Dehumanising:scuuuum"]);
    // Two stretched runs, collapsed together.
    assert_eq!(found("verrrminnnn"), ["Dehumanising:verrrminnnn"]);
    // Real double letters are not stretching; a stretched word does not become an
    // identity term ("gaaay" would be "gay").
    assert!(found("we assess the bitter tea").is_empty());
    assert!(
        found("that is so gaaay").is_empty(),
        "{:?}",
        found("that is so gaaay")
    );
    // Plain spellings are unchanged.
    assert_eq!(found("vermin"), ["Dehumanising:vermin"]);
}

#[test]
fn hits_from_given_words_and_classes_equal_hits_from_the_text() {
    let lex = Lexicon::default();
    let mut texts: Vec<&str> = include_str!("../../tests/data/behaviours.tsv")
        .lines()
        .chain(include_str!("../../examples/data/sample-thread.txt").lines())
        .collect();
    // Masks glued over words, spelled-out words, stretched spellings (a double may or may
    // not stand for a longer run), possessives, multi-word terms whose later words are
    // inert.
    texts.extend([
        "a n*gger, f**k *ss sh* x, n* gger",
        "those s c u m and v.e.r.m.i.n, black people's rights",
        "",
        "***",
        "those verminnnn and scuuuum, the vermin, scumm, verminn",
        "black people's rights, the people's vote, they are like rats",
        "he said the n-word, you can't say that, it is a slur for them",
        "gaaay gay gaay, kiiiill them all, all good, look at the moon",
        "aabbccddeeff aabbccdd",
        "Refugees are cockroches and rtas, Rtas's c0ckroches' vemrin sitting garage magots",
    ]);
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    let (mut found, mut skipped, mut keys) = (0, 0, 0);
    for t in texts {
        let norm = normalize(t);
        lex.find_into(&norm, &mut a);
        let ws: Vec<Range<usize>> = words(norm.as_str()).collect();
        lex.find_into_words(&norm, &ws, &mut b);
        assert_eq!(a, b, "words: {t:?}");
        let classes = classified_hits(&lex, &norm, &ws, &mut c);
        assert_eq!(a, c, "classified words: {t:?}");
        found += a.len();
        skipped += classes.iter().filter(|&&c| c == WordClass::Inert).count();
        keys += classes
            .iter()
            .filter(|c| matches!(c, WordClass::Key(_)))
            .count();
    }
    assert!(
        found > 100 && skipped > 500 && keys > 200,
        "{found} {skipped} {keys}"
    );
}

#[test]
fn next_word_test_never_rules_out_a_match() {
    // Generated text from the words of multi-word terms and fillers, with separators
    // `match_rest` accepts and some it does not: every candidate that `match_rest`
    // matches passes `may_follow`, so skipping the others leaves the hits unchanged.
    let lex = Lexicon::default();
    let inner = &*lex.0;
    let mut vocab: Vec<&str> = vec!["the", "a", "x", "peoples", "and", "you're"];
    let mut phrases: Vec<Vec<&str>> = Vec::new();
    for (key, &k) in &inner.index {
        for c in inner.cands.get(k as usize).into_iter().flatten() {
            vocab.extend(c.rest.iter().map(|w| &**w));
            if !c.rest.is_empty() {
                phrases.push(
                    std::iter::once(&**key)
                        .chain(c.rest.iter().map(|w| &**w))
                        .collect(),
                );
            }
        }
    }
    vocab.extend(
        inner
            .index
            .keys()
            .map(|k| &**k)
            .filter(|k| k.len() < 12)
            .take(400),
    );
    let seps = [" ", "  ", "-", " - ", ", ", "\n", "'s ", ". ", "--", " x"];
    let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
    let mut rnd = |n: usize| (next() % n as u64) as usize;
    let (mut matched, mut skipped) = (0, 0);
    for _ in 0..3000 {
        // Random words, and whole terms (mostly well separated, some cut short).
        let mut t = String::new();
        for _ in 0..6 {
            t.push_str(vocab[rnd(vocab.len())]);
            t.push_str(seps[rnd(seps.len())]);
            let ph = &phrases[rnd(phrases.len())];
            let cut = if rnd(4) == 0 {
                rnd(ph.len()) + 1
            } else {
                ph.len()
            };
            for w in &ph[..cut] {
                t.push_str(w);
                t.push_str(seps[rnd(seps.len()).min(rnd(seps.len()))]);
            }
        }
        let norm = normalize(&t);
        let text = norm.as_str();
        for tok in tokens(text, 0) {
            let Some(cands) = lex.lookup(&text[tok.clone()]) else {
                continue;
            };
            let next = follow::next_bytes(text.as_bytes(), tok.end);
            for c in cands.iter().filter(|c| !c.rest.is_empty()) {
                let hit = match_rest(text, tok.end, &c.rest).is_some();
                assert!(!hit || c.may_follow(next), "{t:?} {:?}", c.rest);
                matched += usize::from(hit);
                skipped += usize::from(!c.may_follow(next));
            }
        }
    }
    assert!(matched > 200 && skipped > 10_000, "{matched} {skipped}");
}

#[test]
fn classified_hits_equal_hits_from_the_text_on_generated_text() {
    // Inert words, keys, masks glued to either side, possessives and doubled letters in
    // random order: leaving inert words out before tokenising changes no hit.
    let lex = Lexicon::default();
    let vocab = [
        "the",
        "vermin",
        "rats",
        "breed",
        "like",
        "black",
        "people",
        "people's",
        "n",
        "gger",
        "*",
        "**",
        "f",
        "k",
        "ss",
        "sh",
        "x",
        "garden",
        "scumm",
        "you",
        "are",
        "a",
        "bunch",
        "of",
        "cockroches",
        "moon",
        "wiped",
        "out",
        "kill",
        "them",
        "all",
        "-",
    ];
    let seps = [" ", "", "*", " *", "* ", ", ", "-", "  "];
    let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
    let mut rnd = |n: usize| (next() % n as u64) as usize;
    let (mut a, mut c) = (Vec::new(), Vec::new());
    let (mut found, mut skipped) = (0, 0);
    let mut unmasked = 0;
    for _ in 0..5000 {
        // Half the texts without a mask (the matcher's direct route over the words).
        let masks = rnd(2) == 0;
        let mut pick = |from: &[&'static str]| loop {
            let p = from[rnd(from.len())];
            if masks || !p.contains('*') {
                break p;
            }
        };
        let mut t = String::new();
        for _ in 0..10 {
            t.push_str(pick(&vocab));
            t.push_str(pick(&seps));
        }
        unmasked += usize::from(!t.contains('*'));
        let norm = normalize(&t);
        lex.find_into(&norm, &mut a);
        let ws: Vec<Range<usize>> = words(norm.as_str()).collect();
        let classes = classified_hits(&lex, &norm, &ws, &mut c);
        assert_eq!(a, c, "{t:?}");
        found += a.len();
        skipped += classes.iter().filter(|&&c| c == WordClass::Inert).count();
    }
    assert!(
        found > 2000 && skipped > 5000 && unmasked > 2000,
        "{found} {skipped} {unmasked}"
    );
}

#[test]
fn what_makes_a_word_inert() {
    let lex = Lexicon::default();
    // What makes a word not inert.
    for (w, inert) in [
        ("vermin", false),   // a key
        ("verminn", false),  // a double that may stand for a stretched run
        ("people's", false), // a possessive of a key
        ("n*gger", false),   // a mask
        ("the", false),      // the head of `the n-word`
        ("moon", false),     // the head of a two-word slur
        ("sunny", true),     // a double, but neither `suny` nor `sunny` is a key
        ("table", true),
    ] {
        assert_eq!(lex.is_inert_word(w), inert, "{w}");
    }
}

/// `classify_word` as it was before its one-pass rewrite (session 6): `is_inert_word`'s
/// checks one after the other, then the key map again.
fn classify_word_reference(lex: &Lexicon, word: &str) -> WordClass {
    let inert = || {
        if word.contains('*')
            || lex.lookup(word).is_some()
            || lex.slip_lookup(word).is_some()
            || strip_possessive(word)
                .is_some_and(|s| lex.lookup(s).is_some() || lex.slip_lookup(s).is_some())
        {
            return false;
        }
        let b = word.as_bytes();
        let (mut doubles, mut n) = ([0usize; 4], 0);
        for i in 1..b.len() {
            if b[i] == b[i - 1] && b[i].is_ascii_alphabetic() {
                if n == doubles.len() {
                    return false;
                }
                doubles[n] = i;
                n += 1;
            }
        }
        let mut buf = [0u8; 64];
        if n > 0 && b.len() > buf.len() {
            return false;
        }
        (1u32..1 << n).all(|m| {
            let mut len = 0;
            for (i, &c) in b.iter().enumerate() {
                if !(0..n).any(|k| m & (1 << k) != 0 && doubles[k] == i) {
                    buf[len] = c;
                    len += 1;
                }
            }
            std::str::from_utf8(&buf[..len]).is_ok_and(|w| lex.lookup(w).is_none())
        })
    };
    if inert() {
        return WordClass::Inert;
    }
    if word.contains('*') {
        return WordClass::Unknown;
    }
    match lex.0.index.get(word) {
        Some(&k) if word.len() <= lex.0.max_key => WordClass::Key(k),
        _ => WordClass::Unknown,
    }
}

#[test]
fn classify_word_equals_the_reference_on_generated_words() {
    let lex = Lexicon::default();
    let inner = &*lex.0;
    // Keys, slip variants and plain words, cut, glued, doubled, masked and made possessive.
    let mut pool: Vec<String> = inner.index.keys().map(|k| k.to_string()).collect();
    pool.extend(inner.slip.keys().take(3000).map(|k| k.to_string()));
    pool.extend(
        [
            "table",
            "sunny",
            "the",
            "a",
            "é",
            "ß",
            "x",
            "committee",
            "balloon",
        ]
        .map(String::from),
    );
    let mut next = crate::text::xorshift(0x2545_f491_4f6c_dd1du64);
    let mut rnd = |n: usize| (next() % n as u64) as usize;
    let mut counts = [0usize; 3];
    for _ in 0..200_000 {
        let mut w = pool[rnd(pool.len())].clone();
        match rnd(8) {
            0 => w.push_str(&pool[rnd(pool.len())].clone()),
            1 => w.push_str("'s"),
            2 => w.push('\''),
            3 => {
                // Double a letter (or several).
                for _ in 0..=rnd(6) {
                    let i = rnd(w.len());
                    if w.is_char_boundary(i) && w.as_bytes()[i].is_ascii_alphabetic() {
                        let c = w.as_bytes()[i] as char;
                        w.insert(i, c);
                    }
                }
            }
            4 => {
                let i = rnd(w.len() + 1);
                if w.is_char_boundary(i) {
                    w.insert(i, '*');
                }
            }
            5 => {
                let i = rnd(w.len() + 1);
                if w.is_char_boundary(i) {
                    w.truncate(i);
                }
            }
            _ => {}
        }
        let want = classify_word_reference(&lex, &w);
        assert_eq!(lex.classify_word(&w), want, "{w:?}");
        assert_eq!(lex.is_inert_word(&w), want == WordClass::Inert, "{w:?}");
        counts[match want {
            WordClass::Inert => 0,
            WordClass::Key(_) => 1,
            WordClass::Unknown => 2,
        }] += 1;
    }
    assert!(counts.iter().all(|&c| c > 10_000), "{counts:?}");
}

#[test]
fn no_hit_is_left_inside_an_earlier_hit_of_its_category() {
    // What `drop_covered` ensures, checked on the output: no hit lies inside one of the 8
    // hits before its token's first hit with the same category.
    let lex = Lexicon::default();
    let vocab = [
        "breed like rats",
        "they breed like rats",
        "black people",
        "black people's",
        "kill them all",
        "wiped out",
        "rats",
        "people",
        "kill",
        "vermin",
        "cockroches",
        "the",
        "you",
        "a",
        "x",
    ];
    let seps = [" ", "  ", "-", ", ", ". "];
    let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
    let mut rnd = |n: usize| (next() % n as u64) as usize;
    let (mut out, mut covered) = (Vec::new(), 0);
    for _ in 0..5000 {
        let mut t = String::new();
        for _ in 0..12 {
            t.push_str(vocab[rnd(vocab.len())]);
            t.push_str(seps[rnd(seps.len())]);
        }
        let norm = normalize(&t);
        let ws: Vec<Range<usize>> = words(norm.as_str()).collect();
        classified_hits(&lex, &norm, &ws, &mut out);
        let mut g = 0;
        while g < out.len() {
            let start = out[g].norm.start;
            let end = out[g..].iter().position(|h| h.norm.start != start);
            let group = g..end.map_or(out.len(), |e| g + e);
            let before = &out[g.saturating_sub(8)..g];
            for x in &out[group.clone()] {
                // A later word of this hit that is a term of the same category alone: a hit
                // that had to be dropped.
                let span = &norm.as_str()[x.norm.clone()];
                covered += usize::from(words(span).skip(1).any(|w| {
                    let alone = lex.find(&normalize(&span[w]));
                    alone.iter().any(|a| a.category == x.category)
                }));
                assert!(
                    !before.iter().any(|h| h.category == x.category
                        && h.norm.start <= x.norm.start
                        && h.norm.end >= x.norm.end),
                    "{t:?}: {x:?} inside an earlier hit"
                );
            }
            g = group.end;
        }
    }
    assert!(covered > 1000, "{covered}");
}
