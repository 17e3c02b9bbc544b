use super::*;
use crate::features::FeatureKind;
use crate::train::{train, Silent, TrainConfig};
use std::io::Write;

/// A tiny model trained on rows written here (not a quality test: a plumbing test).
fn tiny() -> Moderator {
    tiny_with(crate::model::Quantization::I8)
}

fn tiny_with(q: crate::model::Quantization) -> Moderator {
    tiny_config(q, false)
}

fn tiny_config(q: crate::model::Quantization, stacked: bool) -> Moderator {
    tiny_features(q, |f| {
        if stacked {
            f.version = 3;
            f.stacked = true;
        }
    })
}

fn tiny_features(
    q: crate::model::Quantization,
    set: impl FnOnce(&mut crate::features::FeatureConfig),
) -> Moderator {
    Moderator::from_bundle(tiny_bundle(q, set), Policy::default()).unwrap()
}

fn tiny_bundle(
    q: crate::model::Quantization,
    set: impl FnOnce(&mut crate::features::FeatureConfig),
) -> Bundle {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rows.csv");
    let mut f = std::fs::File::create(&p).unwrap();
    writeln!(f, "text,toxic,dehumanising").unwrap();
    for i in 0..60 {
        writeln!(f, "\"these people are vermin and rats {i}\",1,1").unwrap();
        writeln!(f, "\"they infest our streets like cockroaches {i}\",1,1").unwrap();
        writeln!(f, "\"thanks for the lovely recipe {i}\",0,0").unwrap();
        writeln!(f, "\"the council meeting is on tuesday {i}\",0,0").unwrap();
    }
    drop(f);
    let mut cfg = TrainConfig {
        user_files: vec![p],
        quantization: q,
        ..TrainConfig::default()
    };
    set(&mut cfg.features);
    train(&cfg, &Silent).unwrap().bundle
}

#[test]
fn drift_names_what_differs_from_training() {
    let b = tiny_bundle(crate::model::Quantization::I8, |_| {});
    let load = |b: &Bundle| Moderator::from_bundle(b.clone(), Policy::default()).unwrap();
    assert!(load(&b).drift().is_empty(), "{:?}", load(&b).drift());
    // A bundle from before revisions were recorded reads as revision 1.
    let mut old = b.clone();
    old.feature_space.as_object_mut().unwrap().remove("rules");
    let d = load(&old).drift();
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].contains("revision 1;"), "{d:?}");
    // A lexicon list other than this build's is named; lists the card does not record are not.
    let mut other = b.clone();
    let key = "src/lexicon/data/slurs.tsv (compiled in)";
    assert!(other.card.data_checksums.contains_key(key));
    other.card.data_checksums.insert(key.into(), "0".repeat(64));
    other
        .card
        .data_checksums
        .remove("src/lexicon/data/cues.tsv (compiled in)");
    let d = load(&other).drift();
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].contains("slurs.tsv"), "{d:?}");
}

#[test]
fn tiny_model_flags_and_explains() {
    let m = tiny();
    let v = m.score("Those people are VERMIN.");
    assert!(v.is_flagged(Label::Dehumanising), "{v:?}");
    assert_ne!(v.action, Action::Allow);
    let r = v
        .reasons
        .iter()
        .find(|r| r.label == Label::Dehumanising)
        .expect("a reason");
    assert_eq!(&"Those people are VERMIN."[r.start..r.end], r.text);
    assert!(
        v.reasons.iter().any(|r| r.text == "VERMIN"),
        "{:?}",
        v.reasons
    );
    let ok = m.score("The council meeting was lovely.");
    assert_eq!(ok.action, Action::Allow, "{ok:?}");
    assert!(ok.reasons.is_empty());
}

#[test]
fn quoted_passage_is_not_the_commenters_abuse() {
    let m = tiny();
    let mut c = Comment::new("1", "they are vermin\n\nNo. That is a vile thing to say.");
    c.quotes = std::iter::once(0..15).collect();
    let quoted = m.score_comment(&c, &Context::default());
    let plain = m.score(&c.text);
    assert!(quoted.score(Label::Dehumanising) < plain.score(Label::Dehumanising));
    assert!(!quoted.is_flagged(Label::Dehumanising), "{quoted:?}");
}

#[test]
fn thresholds_can_be_overridden() {
    let m = tiny();
    let strict = m.with_policy(Policy::default().threshold(Label::Toxic, 0.0).unwrap());
    assert!(strict.score("hello there").is_flagged(Label::Toxic));
    assert!(Policy::default().threshold(Label::Toxic, 1.5).is_err());
}

#[test]
fn moderator_is_send_sync_and_shared() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Moderator>();
    let m = tiny();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let m = m.clone();
            std::thread::spawn(move || m.score("they are vermin").scores)
        })
        .collect();
    let first = m.score("they are vermin").scores;
    for h in handles {
        assert_eq!(h.join().unwrap(), first);
    }
}

#[test]
fn word_spans_and_inline_quotes() {
    let t = "You are a scumbag, ok";
    assert_eq!(&t[word_span(t, 12..15)], "scumbag");
    assert_eq!(
        inline_quotes("calling people \"vermin\" is \u{201c}vile\u{201d}"),
        vec![15..23, 27..37]
    );
    assert!(inline_quotes("an \"open quote\nnext line\"").is_empty());
    // Single marks: quotes at word edges, apostrophes inside or after words are not.
    let t = "the word 'spic' and \u{2018}vermin\u{2019}, don't (it's 'em) Niger's";
    let got: Vec<&str> = inline_quotes(t).into_iter().map(|r| &t[r]).collect();
    assert_eq!(got, ["'spic'", "\u{2018}vermin\u{2019}"]);
    assert!(inline_quotes("they don't, we won't").is_empty());
    assert!(inline_quotes("the lads' bikes and the girls' ones").is_empty());
    assert_eq!(inline_quotes("'open\nclose'"), Vec::<Range<usize>>::new());
}

#[test]
fn counter_speech_blanks_quoted_abuse_only_with_a_cue() {
    let lex = Lexicon::default();
    let counter = "Calling people \"vermin\" is dehumanising.";
    let own = own_text(counter, &[], &lex);
    assert!(!own.contains("vermin"), "{own}");
    assert_eq!(own.len(), counter.len());
    let scare = "They are \"vermin\", all of them.";
    assert!(own_text(scare, &[], &lex).contains("vermin"));
}

/// The old path: a feature vector, then the model's own `logits_into`.
fn reference_probabilities(m: &Moderator, text: &str, ctx: &Context) -> [f32; Label::COUNT] {
    let (mut sc, mut fv) = (Scratch::default(), crate::features::FeatureVec::default());
    m.0.space.extract(text, ctx, &mut sc, &mut fv);
    let row = crate::model::SparseRow::new(&fv.indices, &fv.values).unwrap();
    let model = &m.0.model;
    let mut logits = vec![0f32; model.labels().len()];
    model.logits_into(&row, &mut logits);
    let mut out = [0f32; Label::COUNT];
    for l in Label::ALL {
        if let Some(i) = m.0.slots[l.index()] {
            out[l.index()] = model.probability(i, logits[i], &[]);
        }
    }
    out
}

fn cache_texts() -> Vec<String> {
    let mut texts: Vec<String> = include_str!("../../examples/data/sample-thread.txt")
        .lines()
        .chain(include_str!("../../tests/data/behaviours.tsv").lines())
        .map(str::to_string)
        .collect();
    texts.extend([
        String::new(),
        "a".into(),
        "v e r m i n   sc*m  scuuuuum  V3RM1N  ВЕРМИН".into(),
        // Words longer than the cache's limit take the plain path.
        "pneumonoultramicroscopicsilicovolcanoconiosis antidisestablishmentarianism".into(),
        "x".repeat(24) + " " + &"y".repeat(25),
        // One 100 KB word repeating a few n-grams: far more than the cache's exact integer
        // sums could hold, so it must take the feature-by-feature path.
        "ab".repeat(50_000),
        "vermin".repeat(5_000),
        "ça déjà naïve 日本語のテキスト 🙂🙂🙂 ".repeat(20),
    ]);
    texts
}

#[test]
fn fast_path_matches_the_feature_vector_path() {
    let ctx = Context {
        depth: 3,
        parent: Some([0.9, 0.1, 0.8, 0.0, 0.6, 0.2, 0.0]),
    };
    let wide = tiny_with(crate::model::Quantization::I16);
    assert_eq!(wide.model().quantization(), crate::model::Quantization::I16);
    // The rules that raise a score to a threshold are not the feature path's.
    let shipped = Moderator::default_model().unwrap().with_policy(
        Policy::default()
            .without_group_insults()
            .without_individual_attacks()
            .without_person_slurs(),
    );
    for m in [shipped, tiny(), wide] {
        for t in cache_texts() {
            for c in [Context::default(), ctx] {
                let (fast, slow) = (m.probabilities(&t, &c), reference_probabilities(&m, &t, &c));
                for (a, b) in fast.iter().zip(&slow) {
                    // Same features and weights; only the order of float additions differs.
                    assert!((a - b).abs() < 1e-4, "{t:?}: {fast:?} vs {slow:?}");
                }
            }
        }
    }
}

#[test]
fn fast_path_does_not_depend_on_the_cache() {
    let m = Moderator::default_model().unwrap();
    let other = tiny();
    let texts = cache_texts();
    let ctx = Context::default();
    let warm: Vec<_> = texts.iter().map(|t| m.probabilities(t, &ctx)).collect();
    // Each text again with a cold cache: a fresh thread, and after another model used it.
    for (t, w) in texts.iter().zip(&warm) {
        let cold = std::thread::scope(|s| s.spawn(|| m.probabilities(t, &ctx)).join().unwrap());
        assert_eq!(&cold, w, "{t:?}");
        other.probabilities(t, &ctx);
        assert_eq!(&m.probabilities(t, &ctx), w, "{t:?}");
    }
    // Different models must not share cached sums: after the shipped model cached these
    // words, the tiny model still scores them with its own weights.
    let t = "these people are vermin and rats";
    m.probabilities(t, &ctx);
    let (fast, slow) = (
        other.probabilities(t, &ctx),
        reference_probabilities(&other, t, &ctx),
    );
    for (a, b) in fast.iter().zip(&slow) {
        assert!((a - b).abs() < 1e-4, "{fast:?} vs {slow:?}");
    }
}

/// Reasons by the old route: every explained feature's dequantised weight × value, summed per
/// whole-word span of the original. Matches the per-word pieces when no word is obfuscated
/// with separators (there a byte n-gram's span expanded to a part of the word only).
fn reference_reasons(m: &Moderator, text: &str, label: Label) -> Vec<(Range<usize>, f32)> {
    let li = m.0.slots[label.index()].unwrap();
    let ex =
        m.0.space
            .explain(text, &Context::default(), &mut Scratch::default());
    let mut per: Vec<(Range<usize>, f32)> = Vec::new();
    for e in ex
        .iter()
        .filter(|e| e.kind != FeatureKind::Context && !e.original.is_empty())
    {
        let span = word_span(text, e.original.clone());
        let c = m.0.model.weight(li, e.index) * e.value;
        match per.iter_mut().find(|(s, _)| *s == span) {
            Some((_, w)) => *w += c,
            None => per.push((span, c)),
        }
    }
    per.retain(|(_, w)| *w > 0.0);
    per.sort_by(|a, b| b.1.total_cmp(&a.1));
    per.truncate(3);
    per
}

#[test]
fn reasons_match_the_feature_by_feature_explanation() {
    // The group-insult and individual-attack rules' reasons are not a feature's, nor is the
    // floor's for an ambiguous slur said of a person, and words said of things are left out
    // (their own tests check them).
    let m = Moderator::default_model().unwrap().with_policy(
        Policy::default()
            .without_group_insults()
            .without_individual_attacks()
            .without_person_slurs()
            .without_objects(),
    );
    let mut checked = 0;
    for t in include_str!("../../tests/data/behaviours.tsv").lines() {
        let t = t.split('\t').next_back().unwrap_or(t);
        let b = t.as_bytes();
        let inside_word = (1..b.len().saturating_sub(1)).any(|i| {
            !b[i].is_ascii_alphanumeric()
                && b[i] != b' '
                && b[i - 1].is_ascii_alphanumeric()
                && b[i + 1].is_ascii_alphanumeric()
        });
        // Spaced letters ("v e r m i n") collapse into one word.
        let lower = t.to_lowercase();
        let collapsed = crate::text::words(crate::text::normalize(t).as_str()).count()
            != crate::text::words(&lower).count();
        if t.starts_with('#') || inside_word || collapsed || !t.is_ascii() || t.contains('"') {
            continue; // separators, masks and quotes: pieces differ by design (see above)
        }
        let v = m.score(t);
        for &label in &v.flags {
            let got: Vec<(Range<usize>, f32)> = v
                .reasons
                .iter()
                .filter(|r| r.label == label)
                .map(|r| (r.start..r.end, r.weight))
                .collect();
            let want = reference_reasons(&m, t, label);
            assert_eq!(got.len(), want.len(), "{t:?} {label}: {got:?} vs {want:?}");
            for ((gs, gw), (ws, ww)) in got.iter().zip(&want) {
                // Near-ties may swap places; the weights must agree.
                assert!((gw - ww).abs() < 1e-3, "{t:?} {label}: {got:?} vs {want:?}");
                if (gw - ww).abs() < 1e-6 {
                    assert_eq!(gs, ws, "{t:?} {label}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} flags checked");
}

#[test]
fn stacked_model_reads_the_cues() {
    let m = tiny_config(crate::model::Quantization::I8, true);
    assert!(m.feature_space().config().stacked);
    let li = m.0.slots[Label::Dehumanising.index()].unwrap();
    let cal = &m.model().calibrators()[li];
    assert_eq!(cal.weights.len(), 1 + crate::features::N_CUES, "{cal:?}");
    let ctx = Context::default();
    for t in [
        "these people are vermin and rats",
        "thanks for the lovely recipe",
        "",
    ] {
        // The logit by the feature-vector path, the cues from the same extraction.
        let mut sc = Scratch::default();
        let mut fv = crate::features::FeatureVec::default();
        m.0.space.extract(t, &ctx, &mut sc, &mut fv);
        let row = crate::model::SparseRow::new(&fv.indices, &fv.values).unwrap();
        let logits = m.model().logits(&row);
        let want = m.model().probability(li, logits[li], &sc.cues().as_f64());
        let got = m.probabilities(t, &ctx)[Label::Dehumanising.index()];
        assert!((got - want).abs() < 1e-4, "{t:?}: {got} vs {want}");
        // Reading the logit alone would be another number wherever a cue is set.
        if sc.cues().0.iter().any(|&c| c != 0.0) {
            let alone = m.model().probability(li, logits[li], &[]);
            assert!((got - alone).abs() > 1e-6, "{t:?}: cues ignored");
        }
    }
}

/// The shipped model was trained on rows without threads, so its context slots are off: a
/// reply, however deep and whatever its parent scored, gets the scores of the same words
/// alone. (Before session 5 the slots were pushed anyway and added the weights of whatever
/// n-grams share their buckets.)
#[test]
fn untrained_context_slots_do_not_move_scores() {
    let m = Moderator::default_model().unwrap();
    let parent = m.score("Refugees are vermin and should be driven out.");
    assert!(parent.is_hateful());
    for t in [
        "You people are vermin, go back home.",
        "I agree with you completely.",
        "ok",
    ] {
        let lone = m.score(t);
        for depth in [1, 2, 5, 40] {
            assert_eq!(
                m.score_reply(t, &parent, depth).scores,
                lone.scores,
                "{t:?} at {depth}"
            );
            let ctx = Context {
                depth,
                parent: None,
            };
            assert_eq!(
                m.probabilities(t, &ctx),
                m.probabilities(t, &Context::default())
            );
        }
    }
}

/// `score_thread` (and `score_thread_map`, which it calls) gives, in walk order, what scoring
/// each comment on its own gives: with the context slots off (all at once) and on (depth by
/// depth, each reply with its parent's scores). The tiny model with the slots on was trained
/// without threads, so its slots carry no weight: this checks the order, the quotes and that
/// every comment is scored once, not what a parent's scores do.
#[test]
fn score_thread_equals_scoring_each_comment_in_walk_order() {
    let doc = concat!(
        "{\"id\":1,\"text\":\"Lovely recipe, thanks\"}\n",
        "{\"id\":2,\"parent\":1,\"text\":\"these people are vermin\"}\n",
        "{\"id\":3,\"parent\":2,\"text\":\"> these people are vermin\\nNo, that is hateful.\"}\n",
        "{\"id\":4,\"parent\":3,\"text\":\"they infest our streets\"}\n",
        "{\"id\":5,\"parent\":1,\"text\":\"the meeting is on tuesday\"}\n",
    );
    let thread = crate::formats::read(
        std::io::Cursor::new(doc.as_bytes().to_vec()),
        None,
        Some(crate::formats::Format::Jsonl),
        crate::formats::ReadOptions::default(),
    )
    .unwrap()
    .next()
    .unwrap()
    .unwrap();
    let with_context = tiny_features(crate::model::Quantization::I8, |f| f.context = true);
    for m in [Moderator::default_model().unwrap(), tiny(), with_context] {
        let on = m.0.space.config().context;
        let got = m.score_thread(&thread);
        let mut scores = vec![None; thread.len()];
        let mut n = 0;
        for (v, want) in thread.walk().zip(&got) {
            let ctx = Context {
                depth: v.depth,
                parent: if on {
                    v.parent.and_then(|p| scores[p])
                } else {
                    None
                },
            };
            let alone = m.score_comment(thread.comment(v.index), &ctx);
            assert_eq!(&alone, want, "comment {} (context {on})", v.index);

            scores[v.index] = Some(alone.scores);
            n += 1;
        }
        assert_eq!((n, got.len()), (5, 5));
        // The batch entry point hands each verdict over with its walk position and visit.
        let mapped = m.score_thread_map(&thread, |k, v, verdict| (k, v.index, v.depth, verdict));
        let want: Vec<_> = thread
            .walk()
            .zip(got)
            .enumerate()
            .map(|(k, (v, verdict))| (k, v.index, v.depth, verdict))
            .collect();
        assert_eq!(mapped, want, "context {on}");
    }
}

/// A model card records the checksums of the lexicon files compiled into the binary that
/// trained it: their hits are features, so the same data without the same lists would not
/// give the same model.
#[test]
fn model_cards_record_the_lexicon_files() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rows.csv");
    std::fs::write(&p, "text,toxic\nyou are vermin,1\nlovely day,0\n").unwrap();
    let cfg = TrainConfig {
        user_files: vec![p],
        ..TrainConfig::default()
    };
    let card = train(&cfg, &Silent).unwrap().bundle.card;
    let sources = crate::lexicon::builtin_sources();
    assert!(sources.len() >= 6);
    assert!(sources.iter().any(|(f, _)| f.ends_with("real_words.tsv")));
    for (f, text) in sources {
        let want = crate::train::datasets::sha256_hex(text.as_bytes());
        assert_eq!(
            card.data_checksums.get(&format!("{f} (compiled in)")),
            Some(&want),
            "{f}"
        );
    }
}

#[test]
fn second_person_groups_are_not_individuals() {
    for (text, want) in [
        ("You are an idiot.", Some("individual")),
        ("ur a clown", Some("individual")),
        ("You people are vermin, go back home.", None),
        ("Your kind is not welcome here.", None),
        ("You lot ruin everything.", None),
        ("The people here are vermin.", None),
    ] {
        assert_eq!(target(&[], text).as_deref(), want, "{text:?}");
    }
    // A named group wins over the second person.
    let m = Moderator::default_model().unwrap();
    let v = m.score("You people are vermin, go back home.");
    assert_eq!(v.target, None, "{v:?}");
    let v = m.score("You Muslims are vermin.");
    assert_eq!(v.target.as_deref(), Some("religion"), "{v:?}");
}

#[test]
fn quoted_abuse_is_blanked_from_the_scoring_pass_as_by_own_text() {
    // score_with decides what to blank from its own pass's lexicon hits; own_text (the
    // reference) matches the lexicon itself. Scoring the reference's own text must give the
    // same verdict (where something is blanked, the unblanked text scores differently).
    let m = Moderator::default_model().unwrap();
    let lex = m.0.space.lexicon();
    let ctx = Context::default();
    let mut blanked = 0;
    for t in [
        "Calling people \"vermin\" is dehumanising.",
        "He said they are \u{201c}rats\u{201d} and that is hate speech, reported.",
        "They are \"vermin\", all of them.",
        "no quotes here, you vermin",
        "an \"open quote only",
    ] {
        let own = own_text(t, &[], lex);
        blanked += usize::from(own != t);
        let (v, w) = (m.score_with(t, &[], &ctx), m.score_with(&own, &[], &ctx));
        assert_eq!((v.scores, &v.flags), (w.scores, &w.flags), "{t:?}");
    }
    assert!(blanked >= 1, "{blanked}");
}

/// The shipped bundle with and without its slur floor.
/// Asserts that `a` and `b` give each text the same slur score and the same flags.
#[cfg(has_default_model)]
fn same_slur_verdicts(a: &Moderator, b: &Moderator, texts: &[&str]) {
    for text in texts {
        let (x, y) = (a.score(text), b.score(text));
        assert_eq!(x.score(Label::Slur), y.score(Label::Slur), "{text}");
        assert_eq!(x.flags, y.flags, "{text}");
    }
}

#[cfg(has_default_model)]
fn shipped_with_and_without_floor() -> (Moderator, Moderator, crate::features::slur_floor::SlurFloor)
{
    use crate::features::slur_floor::{SlurFloor, SECTION};
    let b = Bundle::from_bytes(DEFAULT_BYTES).unwrap();
    let floor = SlurFloor::of_bundle(&b)
        .unwrap()
        .expect("the shipped bundle has a slur floor");
    let mut bare = b.clone();
    bare.sections.remove(SECTION);
    let with = Moderator::from_bundle(b, Policy::default()).unwrap();
    let without = Moderator::from_bundle(bare, Policy::default()).unwrap();
    (with, without, floor)
}

#[cfg(has_default_model)]
#[test]
fn slur_floor_flags_a_plain_unambiguous_slur_and_names_it() {
    let (with, without, floor) = shipped_with_and_without_floor();
    let text = "typical vatnik logic, nothing more to say";
    let f = floor.floor(2).expect("a severity-2 floor");
    let v = with.score(text);
    assert_eq!(v.score(Label::Slur), f, "{v:?}");
    assert!(v.flags.contains(&Label::Slur), "{v:?}");
    let first = v.reasons.iter().find(|r| r.label == Label::Slur).unwrap();
    assert_eq!(
        (first.text.as_str(), first.start, first.end),
        ("vatnik", 8, 14)
    );
    assert!(
        (first.weight - (f / (1.0 - f)).ln()).abs() < 1e-5,
        "{first:?}"
    );
    assert!(v.reasons.iter().filter(|r| r.label == Label::Slur).count() <= 3);
    // The fast path applies the same floor.
    assert_eq!(with.probabilities(text, &Context::default()), v.scores);
    // The model alone scores it below the floor and does not flag it.
    let w = without.score(text);
    assert!(w.score(Label::Slur) < f, "{w:?}");
    assert!(!w.flags.contains(&Label::Slur), "{w:?}");
}

#[cfg(has_default_model)]
#[test]
fn slur_floor_leaves_framed_and_ambiguous_uses_to_the_model() {
    let (with, without, _) = shipped_with_and_without_floor();
    same_slur_verdicts(
        &with,
        &without,
        &[
            "Russians are not vatniks.",
            "He called me a \"vatnik\" and walked off.",
            "Tie the sticks into a faggot for the fire.",
            "We're here, we're queer, get used to it!",
            // Marked reclaimed in session 7, so never floored.
            "As an autistic woman I call myself a proud autist.",
            "Thanks for the lovely recipe.",
        ],
    );
}

#[cfg(has_default_model)]
#[test]
fn an_ambiguous_slur_said_of_a_person_gets_the_floor_of_its_severity() {
    let (with, _, floor) = shipped_with_and_without_floor();
    let model = with.with_policy(Policy::default().without_person_slurs());
    let text = "that stupid spastic from accounts broke the printer again";
    // `spastic` is a severity-3 homonym (also a medical word): the model alone is unsure.
    let f = floor.floor(3).expect("a severity-3 floor");
    let v = with.score(text);
    assert_eq!(v.score(Label::Slur), f, "{v:?}");
    assert!(v.flags.contains(&Label::Slur), "{v:?}");
    let first = v.reasons.iter().find(|r| r.label == Label::Slur).unwrap();
    assert_eq!(first.text, "spastic", "{first:?}");
    assert_eq!(with.probabilities(text, &Context::default()), v.scores);
    let m = model.score(text);
    assert!(m.score(Label::Slur) < f, "{m:?}");
    // Framed, innocent, self-described or in-group uses keep the model's score.
    same_slur_verdicts(
        &with,
        &model,
        &[
            "Nobody should call a kid a stupid spastic, ever.",
            "He called her a \"stupid dyke\" and the whole pub went quiet.",
            "The dyke burst after the storm and flooded the fields.",
            "As a fat dyke in my fifties I stopped caring what men think.",
            "you my nigga, see you Friday",
        ],
    );
}

/// Session 14 (`negated.rs`): a negation that shuts people out, or a noise the slur's people
/// make, keeps the slur's floor.
#[cfg(has_default_model)]
#[test]
fn an_unambiguous_slur_after_an_exclusion_gets_the_floor() {
    let (with, _, floor) = shipped_with_and_without_floor();
    let model = with.with_policy(Policy::default().without_person_slurs());
    for (text, severity) in [
        ("No wogs at my barbecue, they can eat elsewhere.", 3),
        ("Never trust a currymuncher with your wallet.", 2),
        // a reporting cue the slur is the subject of (`persons.tsv`: "bunch of _")
        (
            "a bunch of retards outside the chippy screaming all night",
            3,
        ),
    ] {
        let v = with.score(text);
        let slur = v.reasons.iter().find(|r| r.label == Label::Slur);
        let f = floor.floor(severity).expect("a floor");
        assert_eq!(v.score(Label::Slur), f, "{text}: {v:?}");
        assert!(v.flags.contains(&Label::Slur), "{text}: {v:?}");
        assert!(slur.is_some(), "{text}: {v:?}");
        assert!(
            model.score(text).score(Label::Slur) < v.score(Label::Slur),
            "{text}"
        );
    }
    // A denial, a negation about the word, or "no" before a singular keep the model's score.
    same_slur_verdicts(
        &with,
        &model,
        &[
            "He's not a raghead, he's a Sikh and a good friend.",
            "Don't call them ragheads, it's vile.",
            "It ain't no raghead country, whatever the map says.",
            "a bunch of retards, he screamed at the kids",
        ],
    );
}

#[cfg(has_default_model)]
#[test]
fn a_bad_slur_floor_section_is_an_error() {
    let mut b = Bundle::from_bytes(DEFAULT_BYTES).unwrap();
    b.sections.insert(
        crate::features::slur_floor::SECTION.to_string(),
        b"[1, 2]".to_vec(),
    );
    let e = Moderator::from_bundle(b, Policy::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("slur_floor.json"), "{e}");
}

#[test]
fn verdicts_without_reasons_are_the_same_verdicts() {
    let m = Moderator::default_model().unwrap();
    let bare = m.with_policy(Policy::default().without_reasons());
    let cases = include_str!("../../tests/data/behaviours_blind4.tsv");
    let mut flagged = 0;
    for text in cases
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(2))
        .chain(["They quoted \"those people are vermin\" to condemn it."])
    {
        let (v, b) = (m.score(text), bare.score(text));
        assert!(b.reasons.is_empty(), "{text}: {:?}", b.reasons);
        assert_eq!(
            (&v.scores, &v.flags, v.action, &v.target),
            (&b.scores, &b.flags, b.action, &b.target),
            "{text}"
        );
        flagged += usize::from(!v.reasons.is_empty());
    }
    assert!(
        flagged > 50,
        "only {flagged} verdicts had reasons to leave out"
    );
}

#[test]
fn an_innocent_homonym_is_scored_as_the_comment_without_it() {
    // The senses rule leaves the word out: the verdict is the verdict on the text with the
    // word blanked. Without the rule (or with no pattern fitting), the text scores as given.
    let m = Moderator::default_model().unwrap();
    let plain = m.with_policy(Policy::default().without_senses());
    let ctx = Context::default();
    for (t, word) in [
        (
            "Nipped out for a quick fag behind the pub, back in five.",
            "fag",
        ),
        ("Grab a faggot of kindling from the shed.", "faggot"),
        ("The river Niger floods every autumn.", "Niger"),
    ] {
        let at = t.find(word).unwrap();
        let blanked = format!(
            "{}{}{}",
            &t[..at],
            " ".repeat(word.len()),
            &t[at + word.len()..]
        );
        let (v, w) = (
            m.score_with(t, &[], &ctx),
            m.score_with(&blanked, &[], &ctx),
        );
        assert_eq!((v.scores, &v.flags), (w.scores, &w.flags), "{t:?}");
        let u = plain.score_with(t, &[], &ctx);
        assert_ne!(u.scores, v.scores, "{t:?}: the rule changed nothing");
        assert!(
            v.reasons.iter().all(|r| !r.text.contains(word)),
            "{t:?}: {v:?}"
        );
    }
    // An abusive use next to a pattern's words is not blanked.
    let t = "shut up you faggot, nobody asked";
    assert_eq!(m.score(t).scores, plain.score(t).scores);
    assert!(m.score(t).is_flagged(Label::Slur), "{:?}", m.score(t));
}

#[test]
fn left_out_names_the_spans_scoring_leaves_out() {
    let m = Moderator::default_model().unwrap();
    let t = "Calling people \"vermin\" is dehumanising, said the lad on his quick fag break.";
    let got: Vec<(&str, LeftOutWhy)> = m
        .left_out(t)
        .into_iter()
        .map(|l| (&t[l.start..l.end], l.why))
        .collect();
    assert_eq!(
        got,
        [
            ("\"vermin\"", LeftOutWhy::QuotedAbuse),
            ("fag", LeftOutWhy::Sense)
        ]
    );
    let plain = m.with_policy(Policy::default().without_senses());
    assert_eq!(plain.left_out(t).len(), 1);
    assert!(m.left_out("you are vermin, you fag").is_empty());
}

#[cfg(has_default_model)]
#[test]
fn group_insult_raises_identity_attack_to_its_threshold_and_names_it() {
    let with = Moderator::default_model().unwrap();
    let without = with.with_policy(Policy::default().without_group_insults());
    let ia = Label::IdentityAttack;
    let text = "The Irish are all drunks and always will be";
    let w = without.score(text);
    assert!(w.score(ia) < with.threshold(ia), "{w:?}");
    assert!(!w.flags.contains(&ia), "{w:?}");
    let v = with.score(text);
    assert_eq!(v.score(ia), with.threshold(ia), "{v:?}");
    assert!(
        v.flags.contains(&ia) && v.flags.contains(&Label::Toxic),
        "{v:?}"
    );
    let first = v.reasons.iter().find(|r| r.label == ia).unwrap();
    assert_eq!(
        (first.text.as_str(), first.start, first.end),
        ("Irish are all drunks", 4, 24)
    );
    let logit = |p: f32| (p / (1.0 - p)).ln();
    assert!(
        (first.weight - (logit(v.score(ia)) - logit(w.score(ia)))).abs() < 1e-4,
        "{first:?}"
    );
    // Only identity_attack moves, and the fast path raises it too.
    for l in Label::ALL.into_iter().filter(|&l| l != ia) {
        assert_eq!(v.score(l), w.score(l), "{l}");
    }
    assert_eq!(with.probabilities(text, &Context::default()), v.scores);
    // Negated, or already over the threshold: the rule changes nothing.
    for text in [
        "The Irish are not all drunks",
        "Mexicans are lazy and dirty.",
    ] {
        assert_eq!(with.score(text), without.score(text), "{text:?}");
    }
}

#[cfg(has_default_model)]
#[test]
fn a_threat_aimed_at_a_group_is_an_identity_attack() {
    let with = Moderator::default_model().unwrap();
    let without = with.with_policy(Policy::default().without_group_insults());
    let ia = Label::IdentityAttack;
    let text = "I hope every Catholic gets exactly what they deserve, a beating";
    let w = without.score(text);
    assert!(w.flags.contains(&Label::Threat), "{w:?}");
    assert!(!w.flags.contains(&ia), "{w:?}");
    let v = with.score(text);
    assert!(v.flags.contains(&ia), "{v:?}");
    let first = v.reasons.iter().find(|r| r.label == ia).unwrap();
    assert_eq!(first.text, "Catholic", "{first:?}");
    // A threat at one person, or a group named without a threat, changes nothing.
    for text in [
        "I hope you get exactly what you deserve, a beating",
        "I hope every Catholic gets exactly what they deserve, a lovely Christmas",
    ] {
        assert_eq!(with.score(text), without.score(text), "{text:?}");
    }
}

#[cfg(has_default_model)]
#[test]
fn identity_used_against_one_person_is_an_identity_attack() {
    let with = Moderator::default_model().unwrap();
    let without = with.with_policy(Policy::default().without_individual_attacks());
    let ia = Label::IdentityAttack;
    let text = "@omar go back to Somalia mate, nobody asked you";
    let w = without.score(text);
    assert!(!w.flags.contains(&ia), "{w:?}");
    let v = with.score(text);
    assert_eq!(v.score(ia), with.threshold(ia), "{v:?}");
    assert!(v.flags.contains(&ia), "{v:?}");
    let first = v.reasons.iter().find(|r| r.label == ia).unwrap();
    assert_eq!(first.text, "go back to Somalia", "{first:?}");
    assert_eq!(with.probabilities(text, &Context::default()), v.scores);
    // The writer's own plan, a report, or the rule turned off: the model's verdict.
    for text in [
        "I can't wait to go back to Somalia to see my nan",
        "He told me to go back to Somalia and the whole bus laughed",
    ] {
        assert_eq!(with.score(text), without.score(text), "{text:?}");
    }
}

#[cfg(has_default_model)]
#[test]
fn dehumanising_words_said_of_things_are_left_out() {
    let with = Moderator::default_model().unwrap();
    let without = with.with_policy(Policy::default().without_objects());
    let text = "This update is vermin, it has infested my laptop with pop-ups.";
    let w = without.score(text);
    assert!(w.flags.contains(&Label::Dehumanising), "{w:?}");
    let v = with.score(text);
    assert!(!v.flags.contains(&Label::Dehumanising), "{v:?}");
    let left: Vec<(&str, LeftOutWhy)> = with
        .left_out(text)
        .iter()
        .map(|l| (&text[l.start..l.end], l.why))
        .collect();
    assert_eq!(
        left,
        [
            ("vermin", LeftOutWhy::Thing),
            ("infested", LeftOutWhy::Thing)
        ]
    );
    // Said of people, in the same sentence as a thing or not: read as used.
    for text in [
        "Those migrants are vermin, they have infested the estate.",
        "This update is fine. The people who wrote it are vermin.",
    ] {
        assert_eq!(with.score(text), without.score(text), "{text:?}");
    }
}

#[cfg(has_default_model)]
#[test]
fn denied_and_named_words_are_scored_as_the_comment_without_them() {
    let with = Moderator::default_model().unwrap();
    let without = with.with_policy(Policy::default().without_mentions());
    for (text, word, why) in [
        (
            "Refugees are not vermin, they are people running from bombs.",
            "vermin",
            LeftOutWhy::Denied,
        ),
        (
            "Nobody should call Travellers pikeys, ever.",
            "pikeys",
            LeftOutWhy::Named,
        ),
        (
            "Mod note: 'troon' is now on the auto-remove list.",
            "troon",
            LeftOutWhy::Named,
        ),
    ] {
        let left: Vec<(&str, LeftOutWhy)> = with
            .left_out(text)
            .into_iter()
            .map(|l| (&text[l.start..l.end], l.why))
            .collect();
        assert_eq!(left, [(word, why)], "{text:?}");
        assert!(without.left_out(text).is_empty(), "{text:?}");
        // Scored as the comment with the word blanked, as quoted abuse is.
        let at = text.find(word).unwrap();
        let blanked = format!(
            "{}{}{}",
            &text[..at],
            " ".repeat(word.len()),
            &text[at + word.len()..]
        );
        assert_eq!(
            with.score(text).scores,
            without.score(&blanked).scores,
            "{text:?}"
        );
        assert_ne!(
            with.score(text).scores,
            without.score(text).scores,
            "{text:?}"
        );
    }
    // Used, not denied or named: kept.
    for text in [
        "at least he is not a pikey",
        "Refugees are vermin, not people.",
    ] {
        assert!(with.left_out(text).is_empty(), "{text:?}");
    }
}
