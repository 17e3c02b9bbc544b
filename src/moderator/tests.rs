use super::*;
use crate::train::{train, Silent, TrainConfig};
use std::io::Write;

/// A tiny model trained on rows written here (not a quality test: a plumbing test).
fn tiny() -> Moderator {
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
    let mut cfg = TrainConfig::default();
    cfg.user_files = vec![p];
    let t = train(&cfg, &Silent).unwrap();
    Moderator::from_bundle(t.bundle, Policy::default()).unwrap()
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
    c.quotes = vec![0..15];
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
