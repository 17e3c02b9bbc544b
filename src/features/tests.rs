use super::*;

fn space() -> FeatureSpace {
    FeatureSpace::default()
}

fn feats(s: &FeatureSpace, text: &str) -> FeatureVec {
    let mut sc = Scratch::default();
    let mut v = FeatureVec::default();
    s.extract(text, &Context::default(), &mut sc, &mut v);
    v
}

#[test]
fn deterministic_and_in_range() {
    let s = space();
    let a = feats(&s, "These people are vermin and should leave.");
    let b = feats(&s, "These people are vermin and should leave.");
    assert_eq!(a, b);
    assert!(!a.is_empty());
    assert!(a.indices.iter().all(|&i| (i as usize) < s.dim()));
    assert!(a.values.iter().all(|v| v.is_finite() && *v > 0.0));
}

#[test]
fn empty_text_has_no_features() {
    let s = space();
    assert!(feats(&s, "").is_empty());
    assert!(feats(&s, "   \n\t ").is_empty());
}

#[test]
fn word_count_matches_config() {
    let cfg = FeatureConfig {
        char_max: 0,
        ..FeatureConfig::default()
    };
    let s = FeatureSpace::new(cfg, crate::lexicon::Lexicon::empty()).unwrap();
    // 3 words, 2 pairs, no subwords, no lexicon
    assert_eq!(feats(&s, "alpha beta gamma").len(), 5);
}

#[test]
fn explanations_point_at_original_bytes() {
    let s = space();
    let text = "They are VERMIN.";
    let mut sc = Scratch::default();
    let ex = s.explain(text, &Context::default(), &mut sc);
    let word = ex
        .iter()
        .find(|e| e.kind == FeatureKind::Word && &text[e.original.clone()] == "VERMIN")
        .expect("word feature for VERMIN");
    assert_eq!(word.original, 9..15);
    // the same features as extract, in the same order
    let v = feats(&s, text);
    assert_eq!(v.indices, ex.iter().map(|e| e.index).collect::<Vec<_>>());
}

#[test]
fn obfuscated_spelling_shares_subwords() {
    let s = FeatureSpace::new(FeatureConfig::default(), crate::lexicon::Lexicon::empty()).unwrap();
    let plain: std::collections::HashSet<u32> = feats(&s, "scumbag").indices.into_iter().collect();
    let varied: std::collections::HashSet<u32> =
        feats(&s, "scummbag").indices.into_iter().collect();
    let shared = plain.intersection(&varied).count();
    assert!(shared * 2 >= plain.len(), "{shared} of {}", plain.len());
}

#[test]
fn context_slots_only_with_a_thread_and_when_on() {
    let mut parent = [0.0; Label::COUNT];
    parent[Label::Dehumanising.index()] = 0.9;
    let thread = Context {
        depth: 2,
        parent: Some(parent),
    };
    let count = |s: &FeatureSpace, ctx: &Context| {
        let mut v = FeatureVec::default();
        s.extract("ok", ctx, &mut Scratch::default(), &mut v);
        v.len()
    };
    // Off (the default, and every bundle trained so far): a thread changes nothing.
    let off = space();
    assert!(!off.config().context);
    assert_eq!(count(&off, &thread), count(&off, &Context::default()));
    // On: depth and the one parent score over 0.5.
    let on = FeatureSpace::new(
        FeatureConfig {
            context: true,
            ..FeatureConfig::default()
        },
        crate::lexicon::Lexicon::default(),
    )
    .unwrap();
    assert_eq!(count(&on, &thread), count(&on, &Context::default()) + 2);
}

#[test]
fn config_is_checked() {
    let bad = FeatureConfig {
        bits: 40,
        ..FeatureConfig::default()
    };
    assert!(FeatureSpace::new(bad, crate::lexicon::Lexicon::empty()).is_err());
    let bad = FeatureConfig {
        char_min: 6,
        char_max: 3,
        ..FeatureConfig::default()
    };
    assert!(bad.validate().is_err());
    let bad = FeatureConfig {
        version: 1,
        ..FeatureConfig::default()
    };
    assert!(bad.validate().is_err(), "block scales need version 2");
    let bad = FeatureConfig {
        version: 4,
        ..FeatureConfig::default()
    };
    assert!(bad.validate().is_err());
    let bad = FeatureConfig {
        stacked: true,
        ..FeatureConfig::default()
    };
    assert!(bad.validate().is_err(), "stacking needs version 3");
    let good = FeatureConfig {
        version: 3,
        stacked: true,
        ..FeatureConfig::default()
    };
    assert!(good.validate().is_ok());
}

#[test]
fn cues_count_hits_and_flags() {
    let space = FeatureSpace::default();
    let mut sc = Scratch::default();
    let mut v = FeatureVec::default();
    space.extract(
        "Those immigrants are vermin and rats.",
        &Context::default(),
        &mut sc,
        &mut v,
    );
    let c = sc.cues().0;
    assert!(
        (c[0] - 3f32.ln()).abs() < 1e-6,
        "two dehumanising hits: {c:?}"
    );
    assert!(c[2] > 0.0, "an identity hit: {c:?}");
    assert_eq!(c[5], 1.0, "identity near abuse: {c:?}");
    assert_eq!(c[6], 0.0);
    space.extract(
        "Refugees are not vermin.",
        &Context::default(),
        &mut sc,
        &mut v,
    );
    assert_eq!(sc.cues().0[6], 1.0, "negated: {:?}", sc.cues());
    space.extract(
        "Thanks for the recipe.",
        &Context::default(),
        &mut sc,
        &mut v,
    );
    assert_eq!(
        sc.cues().0,
        [0.0; N_CUES],
        "nothing found, nothing left over"
    );
}

#[test]
fn version_1_configs_read_with_one_shared_scale() {
    // A bundle written before `block_scales` existed has no such field.
    let v1: FeatureConfig = serde_json::from_str(
        r#"{"version":1,"bits":18,"word_ngrams":2,"char_min":3,"char_max":5,"window":6}"#,
    )
    .unwrap();
    assert!(!v1.block_scales);
    v1.validate().unwrap();
    let lex = crate::lexicon::Lexicon::empty();
    let old = FeatureSpace::new(v1, lex.clone()).unwrap();
    let new = FeatureSpace::new(FeatureConfig::default(), lex).unwrap();
    let (a, b) = (
        feats(&old, "some words here"),
        feats(&new, "some words here"),
    );
    assert_eq!(a.indices, b.indices);
    // Shared scale: every n-gram has the same value; block scales: words weigh more.
    assert!(a.values.windows(2).all(|w| w[0] == w[1]));
    assert!(b.values.iter().any(|&v| v != b.values[0]));
}

#[test]
fn huge_and_hostile_text_does_not_panic() {
    let s = space();
    let big = "a\u{0301}\u{0301}\u{200d}\u{202e}x ".repeat(20_000);
    let v = feats(&s, &big);
    assert!(!v.is_empty());
    let v = feats(&s, "\u{0}\u{0}\u{feff}");
    assert!(v.values.iter().all(|x| x.is_finite()));
}

/// Whether cue `k` of `text` (`Cues::NAMES`) is set, with the default feature space.
fn cue_set(text: &str, k: usize) -> bool {
    let space = FeatureSpace::default();
    let (mut sc, mut v) = (Scratch::default(), FeatureVec::default());
    space.extract(text, &Context::default(), &mut sc, &mut v);
    sc.cues().0[k] == 1.0
}

#[test]
fn negation_stops_at_a_clause_break() {
    let negated = |text: &str| cue_set(text, 6);
    assert!(negated("Refugees are not vermin, they are people like us."));
    assert!(negated("They aren't parasites."));
    // The negation belongs to the first clause; the abuse to the second.
    assert!(!negated("Refugees aren't people, they're parasites."));
    assert!(!negated("Not people; vermin."));
}

#[test]
fn calling_someone_a_name_is_a_reporting_cue() {
    let cue = |text: &str| cue_set(text, 7);
    assert!(cue("People in here call Ukrainians khokhols and laugh."));
    assert!(cue("Stop calling refugees vermin."));
    assert!(cue("He called Jews rats on air."));
    assert!(cue("They call Ukrainians such khokhols."));
    // Up to four words naming who, then the name.
    assert!(cue(
        "the lads at the docks used to call him a wop every morning"
    ));
    assert!(cue(
        "it is not banter to call your Pakistani coworker a paki"
    ));
    assert!(cue("Deleted 3 replies calling the OP a sand monkey."));
    // Not without `call`, not with nobody named, not across a clause break, not too far.
    assert!(!cue("Ukrainians are khokhols."));
    assert!(!cue("I recall Ukrainians khokhols."));
    assert!(!cue("call khokhols out"));
    assert!(!cue("I will call, those khokhols"));
    assert!(!cue("they call all of the people over there khokhols"));
    assert!(!cue("Call Ukrainians."));
    // Calling the reader a name is abuse, not a report of it.
    assert!(!cue("I call you a wop"));
    assert!(!cue("they all call u a wop"));
}

/// The quote state as it was before its byte scan: `chars()` of the text since the last hit.
#[derive(Default)]
struct CharQuoteState {
    pos: usize,
    straight: usize,
    open: usize,
    close: usize,
}

impl CharQuoteState {
    fn inside(&mut self, norm: &str, at: usize) -> bool {
        if at < self.pos || !norm.is_char_boundary(at) {
            return inside_quotes(norm, at);
        }
        for c in norm[self.pos..at].chars() {
            match c {
                '\n' => (self.straight, self.open, self.close) = (0, 0, 0),
                '"' => self.straight += 1,
                '\u{201c}' | '\u{ab}' => self.open += 1,
                '\u{201d}' | '\u{bb}' => self.close += 1,
                _ => {}
            }
        }
        self.pos = at;
        self.straight % 2 == 1 || self.open > self.close
    }
}

#[test]
fn quote_state_equals_the_char_scan_on_generated_text() {
    // Pieces: quote characters, their UTF-8 neighbours (’ — é « » and lead bytes shared
    // with them), newlines and words.
    let pieces = [
        "\"",
        "\u{201c}",
        "\u{201d}",
        "\u{ab}",
        "\u{bb}",
        "\u{2019}",
        "\u{2014}",
        "\u{e9}",
        "\u{a0}",
        "\n",
        " ",
        "vermin",
        "a",
        "they",
        ".",
        "\u{1f600}",
    ];
    let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
    let mut rnd = |n: usize| (next() % n as u64) as usize;
    let (mut inside, mut outside) = (0, 0);
    for _ in 0..20_000 {
        let mut t = String::new();
        // A third of the texts have no quote character at all.
        let quotes = rnd(3) != 0;
        for _ in 0..rnd(40) {
            let p = pieces[rnd(pieces.len())];
            if quotes || !matches!(p, "\"" | "\u{201c}" | "\u{201d}" | "\u{ab}" | "\u{bb}") {
                t.push_str(p);
            }
        }
        // Character boundaries in increasing order (some repeated, a few going back), as
        // hits meet them.
        let (mut fast, mut slow) = (QuoteState::default(), CharQuoteState::default());
        let mut at = 0;
        for _ in 0..rnd(8) {
            at = match rnd(6) {
                0 => rnd(t.len() + 1),
                _ => (at + rnd(12)).min(t.len()),
            };
            while !t.is_char_boundary(at) {
                at -= 1;
            }
            let want = slow.inside(&t, at);
            assert_eq!(fast.inside(&t, at), want, "{t:?} at {at}");
            if want {
                inside += 1;
            } else {
                outside += 1;
            }
        }
    }
    assert!(inside > 1000 && outside > 1000, "{inside} {outside}");
}
