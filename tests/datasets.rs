//! Dataset adapters over the real corpora (`$COMMENTGUARD_DATA`), plus edge cases.

mod common;

use commentguard::model::Label;
use commentguard::train::datasets::{self, Example, Split, DATASETS};
use std::collections::HashSet;

/// Prints the per-split counts used in datasets/README.md (run with --ignored --nocapture).
#[test]
#[ignore]
fn print_counts() {
    let Some(root) = common::data("print_counts") else {
        return;
    };
    for d in DATASETS {
        let l = datasets::load_with_stats(d.name, &root).unwrap();
        let train: std::collections::HashSet<String> = l
            .examples
            .iter()
            .filter(|e| e.split == Split::Train)
            .map(|e| e.text.trim().to_lowercase())
            .collect();
        let leak = l
            .examples
            .iter()
            .filter(|e| e.split == Split::Test && train.contains(&e.text.trim().to_lowercase()))
            .count();
        println!(
            "== {} dropped {:?} test-in-train {}",
            d.name, l.dropped, leak
        );
        for s in Split::ALL {
            let rows: Vec<&Example> = l.examples.iter().filter(|e| e.split == s).collect();
            let mut parts = Vec::new();
            for lab in Label::ALL {
                let p = rows.iter().filter(|e| e.label(lab) == Some(true)).count();
                let n = rows.iter().filter(|e| e.label(lab) == Some(false)).count();
                if p + n > 0 {
                    parts.push(format!("{}={}/{}", lab.name(), p, n));
                }
            }
            println!("  {} {} {}", s.name(), rows.len(), parts.join(" "));
        }
    }
}

/// Loads a set or returns None (SKIPPED) when the corpora are absent.
fn load(name: &str, test: &str) -> Option<Vec<Example>> {
    let root = common::data(test)?;
    Some(datasets::load(name, &root).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn count(rows: &[Example], split: Split) -> usize {
    rows.iter().filter(|e| e.split == split).count()
}

/// (positives, negatives) of a label in a split.
fn pn(rows: &[Example], split: Split, label: Label) -> (usize, usize) {
    let r = rows.iter().filter(|e| e.split == split);
    let p = r.clone().filter(|e| e.label(label) == Some(true)).count();
    let n = r.filter(|e| e.label(label) == Some(false)).count();
    (p, n)
}

fn splits(rows: &[Example]) -> [usize; 3] {
    [
        count(rows, Split::Train),
        count(rows, Split::Dev),
        count(rows, Split::Test),
    ]
}

fn native(rows: &[Example], name: &str) -> usize {
    rows.iter()
        .filter(|e| e.native.as_ref().map(|n| n.as_str()) == Some(name))
        .count()
}

#[test]
fn davidson() {
    let Some(rows) = load("davidson2017", "davidson") else {
        return;
    };
    assert_eq!(rows.len(), 24_783);
    assert_eq!(splits(&rows), [19_728, 2_504, 2_551]);
    // The class counts before splitting, as published.
    assert_eq!(native(&rows, "hate_speech"), 1_430);
    assert_eq!(native(&rows, "offensive_language"), 19_190);
    assert_eq!(native(&rows, "neither"), 4_163);
    assert_eq!(pn(&rows, Split::Test, Label::IdentityAttack), (155, 2_396));
    assert_eq!(pn(&rows, Split::Train, Label::Toxic), (16_395, 3_333));
    // Offensive rows say nothing about insult / obscene.
    let off = rows
        .iter()
        .find(|e| e.native.as_ref().unwrap().as_str() == "offensive_language")
        .unwrap();
    assert_eq!(off.label(Label::Obscene), None);
    assert_eq!(off.label(Label::Insult), None);
    assert_eq!(off.label(Label::IdentityAttack), Some(false));
}

#[test]
fn hatemoji() {
    let Some(rows) = load("hatemoji_build", "hatemoji") else {
        return;
    };
    assert_eq!(splits(&rows), [4_728, 591, 593]);
    assert_eq!(pn(&rows, Split::Train, Label::Dehumanising), (182, 4_546));
    assert_eq!(pn(&rows, Split::Train, Label::Threat), (154, 2_233));
    assert_eq!(
        pn(&rows, Split::Train, Label::IdentityAttack),
        (2_387, 2_341)
    );
    assert_eq!(pn(&rows, Split::Dev, Label::Dehumanising), (23, 568));
    assert_eq!(pn(&rows, Split::Test, Label::Dehumanising), (28, 565));
    assert_eq!(pn(&rows, Split::Test, Label::IdentityAttack), (308, 285));
    // A non-hateful row may still be abusive: toxic and threat stay unknown.
    let clean = rows
        .iter()
        .find(|e| e.label(Label::IdentityAttack) == Some(false))
        .unwrap();
    assert_eq!(clean.label(Label::Toxic), None);
    assert_eq!(clean.label(Label::Threat), None);
    assert_eq!(clean.label(Label::Insult), None);
    assert_eq!(rows[0].text, "I would love to 🔪 some 👳🏾");
    assert_eq!(
        rows[0].target.as_deref(),
        Some("['asi.south', 'arab', 'mus']")
    );
}

#[test]
fn hatexplain() {
    let Some(rows) = load("hatexplain", "hatexplain") else {
        return;
    };
    // 15,383 train and 1,922 validation, minus 6 + 1 whose text is also in test.
    assert_eq!(splits(&rows), [15_377, 1_921, 1_924]);
    assert_eq!(pn(&rows, Split::Test, Label::IdentityAttack), (594, 1_330));
    assert_eq!(pn(&rows, Split::Test, Label::Toxic), (1_142, 782));
    let test: Vec<&Example> = rows.iter().filter(|e| e.split == Split::Test).collect();
    assert_eq!(
        test.iter()
            .filter(|e| e.native.as_ref().unwrap().as_str() == "offensive")
            .count(),
        548
    );
    assert_eq!(test[0].text, "<user> men can not be raped can not be abused that why they call it violence against women and children because men are always the perpetrators women come first even before children");
    assert_eq!(test[3].target.as_deref(), Some("Arab, Islam, Jewish"));
    assert_eq!(
        pn(&rows, Split::Train, Label::IdentityAttack),
        (4_748, 10_629)
    );
    assert_eq!(rows[0].label(Label::Dehumanising), None);
}

#[test]
fn convabuse() {
    let Some(root) = common::data("convabuse") else {
        return;
    };
    let l = datasets::load_with_stats("convabuse", &root).unwrap();
    assert_eq!(l.dropped.get("annotator tie"), Some(&145)); // 81 + 33 + 31
    assert_eq!(
        l.dropped.get("train/dev row whose text is also in test"),
        Some(&974)
    );
    let rows = l.examples;
    assert_eq!(splits(&rows), [1_704, 540, 822]);
    // The official test split is complete: 853 rows minus 31 ties; 128 abusive / 694 not.
    assert_eq!(pn(&rows, Split::Test, Label::Toxic), (128, 694));
    assert_eq!(pn(&rows, Split::Test, Label::IdentityAttack), (28, 794));
    assert_eq!(pn(&rows, Split::Train, Label::Toxic), (278, 1_426));
    let with_ctx = rows
        .iter()
        .filter(|e| {
            e.context
                .as_deref()
                .is_some_and(|c| c.starts_with("agent: "))
        })
        .count();
    assert!(with_ctx > 2_000, "{with_ctx}");
}

#[test]
fn stormfront() {
    let Some(root) = common::data("stormfront") else {
        return;
    };
    let l = datasets::load_with_stats("stormfront_degibert2018", &root).unwrap();
    assert_eq!(l.dropped.get("label relation"), Some(&168));
    assert_eq!(l.dropped.get("label idk/skip"), Some(&73));
    let rows = l.examples;
    assert_eq!(splits(&rows), [8_654, 1_533, 478]);
    assert_eq!(pn(&rows, Split::Test, Label::IdentityAttack), (239, 239));
    assert_eq!(pn(&rows, Split::Dev, Label::IdentityAttack), (150, 1_383));
    assert_eq!(pn(&rows, Split::Train, Label::IdentityAttack), (807, 7_847));
    let no = rows
        .iter()
        .find(|e| e.native.as_ref().unwrap().as_str() == "noHate")
        .unwrap();
    assert_eq!(no.label(Label::Toxic), None);
}

#[test]
fn toxigen() {
    let Some(rows) = load("toxigen_seeds", "toxigen") else {
        return;
    };
    assert_eq!(rows.len(), 606);
    assert_eq!(splits(&rows), [453, 53, 100]);
    assert_eq!(pn(&rows, Split::Test, Label::IdentityAttack), (58, 42));
    assert_eq!(
        rows.iter()
            .filter(|e| e.label(Label::Toxic) == Some(true))
            .count(),
        327
    );
}

#[test]
fn toxic_spans() {
    let Some(rows) = load("toxic_spans", "toxic_spans") else {
        return;
    };
    assert_eq!(splits(&rows), [12_325, 1_228, 2_541]);
    // Posts where more than half of the raters marked a span of the type (README tally),
    // less the train/dev rows whose text is also in test.
    let total = |l: Label| rows.iter().filter(|e| e.label(l) == Some(true)).count();
    assert_eq!(total(Label::Insult), 8_177);
    assert_eq!(total(Label::Obscene), 490);
    assert_eq!(total(Label::IdentityAttack), 369);
    assert_eq!(total(Label::Threat), 115);
    assert_eq!(pn(&rows, Split::Test, Label::Insult), (1_727, 414));
    assert!(rows.iter().all(|e| e.label(Label::Toxic) == Some(true)));
    assert!(rows
        .iter()
        .all(|e| e.label(Label::Dehumanising).is_none() && e.label(Label::Slur).is_none()));
}

#[test]
fn implicit_hate() {
    let Some(rows) = load("implicit_hate_elsherief2021", "implicit_hate") else {
        return;
    };
    assert_eq!(rows.len(), 21_480);
    assert_eq!(splits(&rows), [17_195, 2_147, 2_138]);
    assert_eq!(
        rows.iter()
            .filter(|e| e.label(Label::IdentityAttack) == Some(true))
            .count(),
        8_189
    );
    assert_eq!(native(&rows, "not_hate"), 13_291);
    assert_eq!(native(&rows, "explicit_hate"), 1_089);
    assert_eq!(
        rows.iter()
            .filter(|e| e.label(Label::Dehumanising) == Some(true))
            .count(),
        859
    );
    assert_eq!(native(&rows, "implicit_hate/threatening"), 666);
    assert_eq!(pn(&rows, Split::Test, Label::Dehumanising), (83, 1_345));
    // explicit hate says nothing about dehumanisation.
    let ex = rows
        .iter()
        .find(|e| e.native.as_ref().unwrap().as_str() == "explicit_hate")
        .unwrap();
    assert_eq!(ex.label(Label::Dehumanising), None);
}

#[test]
fn wiegand() {
    let Some(rows) = load("implicit_identity_abuse_wiegand2022", "wiegand") else {
        return;
    };
    assert_eq!(rows.len(), 2_221);
    assert_eq!(splits(&rows), [1_783, 212, 226]);
    assert_eq!(native(&rows, "ABUSE"), 1_249);
    assert_eq!(pn(&rows, Split::Test, Label::IdentityAttack), (123, 103));
    // QUOTE_NONE: literal quotes are kept.
    assert_eq!(rows[0].text, "\"Women overreact to everything!\"");
    assert_eq!(rows.iter().filter(|e| e.text.contains('"')).count(), 32);
}

#[test]
fn bias_sets_are_test_only_with_identity_terms() {
    let Some(t) = load("conversationai_bias_templates", "bias_templates") else {
        return;
    };
    assert_eq!(splits(&t), [0, 0, 76_564]);
    assert_eq!(pn(&t, Split::Test, Label::Toxic), (38_282, 38_282));
    assert_eq!(t[0].text, "hug lesbian");
    assert_eq!(t[0].target.as_deref(), Some("lesbian"));
    let non_occ = t
        .iter()
        .filter(|e| e.native.as_ref().unwrap().as_str() != "you_occupation");
    assert!(non_occ.clone().all(|e| e.target.is_some()));
    assert_eq!(non_occ.count(), 75_700);
    assert!(t.iter().all(|e| e.labels[1..].iter().all(|l| l.is_none())));

    let Some(w) = load("conversationai_bias_wiki", "bias_wiki") else {
        return;
    };
    assert_eq!(splits(&w), [0, 0, 2_984]);
    assert_eq!(native(&w, "fuzzed"), 1_492);
    assert_eq!(pn(&w, Split::Test, Label::Toxic), (496, 2_488));
    let root = common::data("bias_wiki").unwrap();
    assert!(datasets::load_all(&root, datasets::Use::Eval)
        .unwrap()
        .iter()
        .all(|e| e.split == Split::Test));
}

#[test]
fn deterministic_and_no_test_text_in_train() {
    let Some(root) = common::data("deterministic") else {
        return;
    };
    for d in DATASETS {
        let a = datasets::load(d.name, &root).unwrap();
        let b = datasets::load(d.name, &root).unwrap();
        assert_eq!(a, b, "{}", d.name);
        let test: HashSet<String> = a
            .iter()
            .filter(|e| e.split == Split::Test)
            .map(|e| e.text.trim().to_lowercase())
            .collect();
        let leaks = a
            .iter()
            .filter(|e| e.split != Split::Test && test.contains(&e.text.trim().to_lowercase()))
            .count();
        assert_eq!(leaks, 0, "{}", d.name);
        if d.usage == datasets::Use::Eval {
            assert!(a.iter().all(|e| e.split == Split::Test), "{}", d.name);
        }
    }
}

#[test]
fn load_all_by_use() {
    let Some(root) = common::data("load_all") else {
        return;
    };
    let all = datasets::load_all(&root, datasets::Use::Train).unwrap();
    // Our own sentences are compiled in; their count moves when templates are added.
    let (own, train): (Vec<Example>, Vec<Example>) = all
        .into_iter()
        .partition(|e| e.dataset == datasets::own::NAME);
    assert!(own.len() > 3_000, "{} own rows", own.len());
    assert_eq!(train.len(), 104_049);
    assert_eq!(
        train.iter().filter(|e| e.split == Split::Train).count(),
        81_947
    );
    assert!(train
        .iter()
        .all(|e| !e.dataset.starts_with("conversationai")));
    let eval = datasets::load_all(&root, datasets::Use::Eval).unwrap();
    assert_eq!(eval.len(), 76_564 + 2_984);
}

#[test]
fn checksums_match_the_manifest() {
    let Some(root) = common::data("checksums") else {
        return;
    };
    let mismatches = datasets::verify_checksums(&root).unwrap();
    assert!(
        mismatches.is_empty(),
        "{}",
        mismatches
            .iter()
            .map(|m| m.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let sums = datasets::checksums(&root).unwrap();
    assert_eq!(sums.len(), 26);
    assert_eq!(
        sums[0],
        (
            "davidson2017/labeled_data.csv".to_string(),
            "fcb8bc7c68120ae4af04a5b9acd58585513ede11e1548ebf36a5c2040b6f6281".to_string()
        )
    );
}

#[test]
fn export_round_trip() {
    let Some(root) = common::data("export") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = datasets::export_splits(&root, dir.path()).unwrap();
    // 9 corpora × 3 splits + our own set × 3 + 2 eval sets × test.
    assert_eq!(files.len(), 32);
    let mut r = csv::Reader::from_path(dir.path().join("hatemoji_build.train.csv")).unwrap();
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "text",
            "toxic",
            "insult",
            "threat",
            "obscene",
            "identity_attack",
            "dehumanising",
            "slur"
        ]
    );
    let recs: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(recs.len(), 4_728);
    assert_eq!(recs.iter().filter(|x| &x[6] == "1").count(), 182);
    assert_eq!(&recs[0][0], "I would love to 🔪 some 👳🏾");
    assert_eq!(&recs[0][2], ""); // insult unknown
}

#[test]
fn user_file_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("mine.csv");
    std::fs::write(&p, "text,toxic,slur\n\"hello, you\",0,\nbad one,1,2\n").unwrap();
    let e = datasets::load_user_file(&p).err().unwrap();
    assert_eq!(e.position().line, Some(3));
    assert_eq!(e.position().file.as_deref(), Some(p.as_path()));
    std::fs::write(&p, "text,toxic,slur\n\"hello, you\",0,\n").unwrap();
    let rows = datasets::load_user_file(&p).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].text, "hello, you");
    assert_eq!(rows[0].label(Label::Slur), None);
    assert_eq!(rows[0].dataset, datasets::USER_DATASET);
}

/// Writes the split CSVs for `scripts/baseline/run.sh` into `$COMMENTGUARD_EXPORT_DIR`
/// (run with `--ignored`; a no-op when the variable is unset).
#[test]
#[ignore]
fn export_for_baseline() {
    let Some(root) = common::data("export_for_baseline") else {
        return;
    };
    let Some(out) = std::env::var_os("COMMENTGUARD_EXPORT_DIR") else {
        common::skipped("export_for_baseline", "COMMENTGUARD_EXPORT_DIR is not set");
        return;
    };
    let files = datasets::export_splits(&root, std::path::Path::new(&out)).unwrap();
    // 29 corpus files (train/dev/test per set, test only for the eval sets) + 3 of our own set.
    assert_eq!(files.len(), 32);
}
