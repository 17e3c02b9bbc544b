//! Tests of the text chain: one exact case per folding rule, with the original span of the
//! folded word, then properties over generated strings.

use super::{normalize, words, Normalized, Normalizer};

/// `(input, normalised, normalised range, original range)`.
type Case = (
    &'static str,
    &'static str,
    std::ops::Range<usize>,
    std::ops::Range<usize>,
);

/// Checks all cases and reports every failure at once.
fn check(cases: &[Case]) {
    let mut failures = Vec::new();
    for (input, want, nr, or) in cases {
        let n = normalize(input);
        let got_range = n.original_range(nr.clone());
        if n.as_str() != *want || got_range != *or {
            failures.push(format!(
                "{input:?}: got {:?} with {nr:?} -> {got_range:?} ({:?}); want {want:?} -> {or:?}",
                n.as_str(),
                input.get(got_range.clone()),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn ascii_case_folding() {
    check(&[
        ("Hello World", "hello world", 6..11, 6..11),
        ("", "", 0..0, 0..0),
        ("ABC\tdef\n", "abc\tdef\n", 0..3, 0..3),
    ]);
}

#[test]
fn separators_collapse() {
    check(&[
        ("You are a S.C.U.M!", "you are a scum!", 10..14, 10..17),
        ("you are a s c u m", "you are a scum", 10..14, 10..17),
        ("s-c-u-m", "scum", 0..4, 0..7),
        ("s_c_u_m here", "scum here", 0..4, 0..7),
        ("n.1.g.g.e.r", "nigger", 0..6, 0..11),
        // Not collapsed: numbers, two letters, letters touching words, mixed separators.
        ("version 1.2.3", "version 1.2.3", 8..13, 8..13),
        ("e.g. this", "e.g. this", 0..3, 0..3),
        ("ab.c.d.e", "ab.c.d.e", 0..8, 0..8),
        ("s. c. u. m", "s. c. u. m", 0..10, 0..10),
    ]);
}

#[test]
fn leetspeak_inside_words() {
    check(&[
        ("n1gg@", "nigga", 0..5, 0..5),
        ("sh!t happens", "shit happens", 0..4, 0..4),
        ("$hit", "shit", 0..4, 0..4),
        ("a$$", "ass", 0..3, 0..3),
        ("1d10t", "idiot", 0..5, 0..5),
        ("ki11 them", "kill them", 0..4, 0..4),
        ("h4t3", "hate", 0..4, 0..4),
        ("5cum", "scum", 0..4, 0..4),
        ("r0+ten", "rotten", 0..6, 0..6),
        ("b|tch", "bitch", 0..5, 0..5),
        // Never on plain numbers, numbers with units, names with other digits, punctuation.
        ("in 2020 we had 3 cats", "in 2020 we had 3 cats", 3..7, 3..7),
        ("at 5pm on the 3rd", "at 5pm on the 3rd", 3..6, 3..6),
        ("covid19 and b2b", "covid19 and b2b", 0..7, 0..7),
        ("idiot!", "idiot!", 5..6, 5..6),
        ("@user hi", "@user hi", 0..5, 0..5),
        ("$5 only", "$5 only", 0..2, 0..2),
    ]);
}

#[test]
fn masks_become_wildcards() {
    check(&[
        ("sc*m", "sc*m", 0..4, 0..4),
        ("f#ck off", "f*ck off", 0..4, 0..4),
        ("f**k", "f**k", 0..4, 0..4),
        ("#tag and *bold*", "#tag and *bold*", 0..4, 0..4),
    ]);
}

#[test]
fn stretched_letters() {
    check(&[
        ("scuuuuum", "scuum", 0..5, 0..8),
        ("SCUUUM", "scuum", 3..4, 3..5),
        ("kill", "kill", 0..4, 0..4),
        ("soooo cool", "soo cool", 0..3, 0..5),
        ("1000000", "1000000", 0..7, 0..7),
    ]);
}

#[test]
fn confusables_and_multibyte() {
    check(&[
        // Cyrillic ѕ, с, Greek υ, Cyrillic м: 2 bytes each.
        ("ѕсυм", "scum", 0..4, 0..8),
        ("ѕсυм", "scum", 1..3, 2..6),
        // Latin word with one Cyrillic а.
        ("nаzi scum", "nazi scum", 0..4, 0..5),
        // Real Russian and Greek words stay.
        ("привет", "привет", 0..12, 0..12),
        ("Привет", "привет", 0..2, 0..2),
        ("καλημέρα", "καλημέρα", 0..2, 0..2),
        // Fullwidth and mathematical letters (NFKC).
        ("ＳＣＵＭ", "scum", 0..4, 0..12),
        ("𝐬𝐜𝐮𝐦", "scum", 0..4, 0..16),
        // Accents stripped from Latin letters, precomposed or combining.
        ("Crème brûlée", "creme brulee", 0..5, 0..6),
        ("e\u{301}te\u{301}", "ete", 0..1, 0..3),
        ("Straße", "strasse", 4..6, 4..6),
        ("łódź", "lodz", 0..4, 0..7),
        ("ﬁne", "fine", 0..2, 0..3),
    ]);
}

#[test]
fn invisibles_and_marks() {
    check(&[
        ("s\u{200B}c\u{200C}u\u{2060}m", "scum", 0..4, 0..13),
        ("\u{202E}scum\u{202C}", "scum", 0..4, 3..7),
        ("sc\u{00AD}um", "scum", 2..4, 4..6),
        ("a\u{0}b", "ab", 0..2, 0..3),
        // Zalgo on Latin: all marks dropped, the span keeps them.
        ("z\u{336}\u{321}\u{31B}\u{316}x", "zx", 0..1, 0..9),
        // A flood on a non-Latin base keeps three marks.
        (
            "ก\u{E34}\u{E34}\u{E34}\u{E34}\u{E34}",
            "ก\u{E34}\u{E34}\u{E34}",
            0..12,
            0..18,
        ),
    ]);
}

#[test]
fn emoji_kept() {
    check(&[
        ("you 🐀 rats", "you 🐀 rats", 4..8, 4..8),
        (
            "👨\u{200D}👩\u{200D}👧 ok",
            "👨\u{200D}👩\u{200D}👧 ok",
            0..18,
            0..18,
        ),
        ("👍🏽 fine", "👍🏽 fine", 0..8, 0..8),
        ("❤\u{FE0F} x", "❤\u{FE0F} x", 0..6, 0..6),
        ("1\u{FE0F}\u{20E3}", "1\u{FE0F}\u{20E3}", 0..7, 0..7),
        ("™", "™", 0..3, 0..3),
    ]);
}

#[test]
fn words_tokens() {
    let t = |s: &str| words(s).map(|r| s[r].to_owned()).collect::<Vec<_>>();
    assert_eq!(t("Hello, world!"), ["Hello", "world"]);
    assert_eq!(
        t("don't 'quote' f**k sc*m *bold*"),
        ["don't", "quote", "f**k", "sc*m", "bold"]
    );
    assert_eq!(t("rats🐀🐀are"), ["rats", "🐀", "🐀", "are"]);
    assert_eq!(
        t("👨\u{200D}👩\u{200D}👧👍🏽"),
        ["👨\u{200D}👩\u{200D}👧", "👍🏽"]
    );
    assert_eq!(t("🇫🇷🇩🇪"), ["🇫🇷", "🇩🇪"]);
    assert_eq!(t("привет мир 2020"), ["привет", "мир", "2020"]);
    assert_eq!(t("café naïve"), ["café", "naïve"]);
    assert_eq!(t("ok... -- !!"), ["ok"]);
    assert_eq!(t(""), Vec::<String>::new());
    assert_eq!(t("e\u{301}x y"), ["e\u{301}x", "y"]);
}

#[test]
fn reuse_gives_same_result() {
    let n = Normalizer::default();
    let mut out = Normalized::default();
    for s in [
        "Ѕсυм!",
        "a longer ASCII text, with words",
        "",
        "n1gg@ s c u m 🐀",
    ] {
        n.normalize_into(s, &mut out);
        assert_eq!(out, normalize(s));
        assert_eq!(out.original_len(), s.len());
    }
}

#[test]
fn settings() {
    let plain = Normalizer::default()
        .collapse_separators(false)
        .fold_leet(false)
        .max_repeat(usize::MAX);
    assert_eq!(
        plain.normalize("S C U M n1gg@ scuuuum").as_str(),
        "s c u m n1gg@ scuuuum"
    );
    let one = Normalizer::default().max_repeat(0);
    assert_eq!(one.normalize("scuuuum kill").as_str(), "scum kil");
}

#[test]
fn original_range_edges() {
    let n = normalize("ѕсυм x");
    assert_eq!(n.as_str(), "scum x");
    assert_eq!(n.original_range(0..0), 0..0);
    assert_eq!(n.original_range(6..6), 10..10);
    assert_eq!(n.original_range(6..100), 10..10);
    assert_eq!(n.original_range(100..200), 10..10);
    #[allow(clippy::reversed_empty_ranges)]
    let reversed = n.original_range(3..1);
    assert_eq!(reversed, 6..6);
    assert_eq!(n.span_of(1), Some(2..4));
    assert_eq!(n.span_of(6), None);
}

/// Tiny deterministic generator (xorshift) for the property tests.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "a",
    "S",
    " ",
    ".",
    "-",
    "_",
    "1",
    "3",
    "0",
    "@",
    "$",
    "!",
    "|",
    "+",
    "*",
    "#",
    "'",
    "ѕ",
    "с",
    "υ",
    "м",
    "é",
    "e\u{301}",
    "\u{301}",
    "\u{336}\u{336}\u{336}",
    "\u{200B}",
    "\u{200D}",
    "\u{202E}",
    "\u{2066}",
    "\u{FE0F}",
    "\u{0}",
    "\u{7F}",
    "\u{FEFF}",
    "🐀",
    "👨\u{200D}👩",
    "🇫",
    "🏽",
    "ﬁ",
    "Ｓ",
    "𝐬",
    "ß",
    "İ",
    "ǅ",
    "\u{FFFD}",
    "\u{D7FF}",
    "\u{E000}",
    "\u{FFFF}",
    "\u{10FFFF}",
    "ก",
    "\u{E34}",
    "한",
    "\n",
    "\t",
    "uuuu",
    "2020",
    "x y z",
    "s.c.u.m",
    "ΣΑΣ",
];

/// The alignment contract, checked on one input.
fn check_alignment(s: &str, n: &Normalized) {
    let len = n.len();
    assert!(n.as_str().is_char_boundary(len));
    let mut last = (0usize, 0usize);
    for i in 0..len {
        let r = n.original_range(i..i + 1);
        assert!(r.start <= r.end && r.end <= s.len(), "{s:?} {i} {r:?}");
        assert!(
            s.is_char_boundary(r.start) && s.is_char_boundary(r.end),
            "{s:?} {i} {r:?}"
        );
        assert!(
            r.start >= last.0 && r.end >= last.1,
            "not monotone: {s:?} {i} {r:?} {last:?}"
        );
        last = (r.start, r.end);
    }
    // Every range over char boundaries, including empty ones, stays in bounds.
    let bounds: Vec<usize> = (0..=len)
        .filter(|&i| n.as_str().is_char_boundary(i))
        .collect();
    for w in bounds.windows(2) {
        let r = n.original_range(w[0]..w[1]);
        assert!(r.end <= s.len() && s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
    }
    let whole = n.original_range(0..len);
    assert!(whole.end <= s.len());
}

#[test]
fn alignment_properties_on_generated_strings() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let normalizer = Normalizer::default();
    let mut out = Normalized::default();
    for _ in 0..5000 {
        let k = (g.next() % 24) as usize;
        let s: String = (0..k).map(|_| g.pick(PIECES)).collect();
        normalizer.normalize_into(&s, &mut out);
        check_alignment(&s, &out);
        assert_eq!(out, normalize(&s));
        for r in words(out.as_str()) {
            assert!(r.start < r.end && r.end <= out.len());
            assert!(out.as_str().is_char_boundary(r.start) && out.as_str().is_char_boundary(r.end));
        }
    }
}

#[test]
fn hostile_inputs_do_not_panic() {
    let flood = format!("a{}", "\u{336}".repeat(10_000));
    let n = normalize(&flood);
    assert_eq!(n.as_str(), "a");
    assert_eq!(n.original_range(0..1), 0..flood.len());
    let non_latin_flood = format!("ก{}", "\u{E34}".repeat(10_000));
    assert_eq!(normalize(&non_latin_flood).len(), 3 + 3 * 3);
    for s in [
        "\u{200D}".repeat(1000),
        "\u{202E}\u{2066}\u{2069}".repeat(500),
        "\u{0}".repeat(1000),
        "\u{FEFF}\u{FFFD}\u{FFFF}\u{E000}".repeat(100),
        "\u{FE0F}".repeat(100),
        "1".repeat(1000),
        "a.".repeat(1000),
        "a ".repeat(1000),
        // Separator sequences that are not words must not be rescanned (quadratic).
        "$.".repeat(300_000),
        "1 ".repeat(300_000),
    ] {
        let n = normalize(&s);
        check_alignment(&s, &n);
    }
    // 1 MB inputs: ASCII, mixed, one long word.
    let mb_ascii = "You are a S.C.U.M, n1gg@! ".repeat(40_000);
    let n = normalize(&mb_ascii);
    assert_eq!(n.as_str().len(), "you are a scum, nigga! ".len() * 40_000);
    let mb_mixed = "ѕсυм 🐀 e\u{301}\u{200B}x ".repeat(30_000);
    check_alignment(&mb_mixed, &normalize(&mb_mixed));
    let long_word = "a1".repeat(500_000);
    let n = normalize(&long_word);
    assert_eq!(n.len(), 1_000_000);
    assert_eq!(words(n.as_str()).count(), 1);
}
