//! Functional cases, each naming the behaviour it checks, scored with the shipped default
//! model: tests/data/behaviours.tsv (looked at while choosing models) and
//! tests/data/behaviours_blind.tsv (issue 3's blind set, written before any model scored it;
//! read since), tests/data/behaviours_blind2.tsv (a second one, written in session 6 and
//! first scored after that session chose its model), tests/data/behaviours_blind3.tsv (a
//! third, written in session 7; first read with that session's models, after each was chosen)
//! tests/data/behaviours_blind4.tsv (a fourth, written at the end of session 7; first read
//! once, with session 8's shipped model) and tests/data/behaviours_blind5.tsv (a fifth,
//! written in session 8; first read once in session 9, with session 8's model).
//! Prints accuracy per behaviour and every failure, then checks the totals against floors: the
//! floors are the figures of the shipped model when it was committed (see BENCHMARKS.md), so a
//! model or code change that makes them worse fails.

mod common;

use commentguard::{Label, Moderator};
use std::collections::BTreeMap;
use std::io::Write;

/// Overall accuracy of the shipped model on these cases when it was committed (0.866 for
/// session 5's model; 0.851 in sessions 3 and 4, see BENCHMARKS.md), minus about 0.01.
const OVERALL_FLOOR: f64 = 0.85;
/// Every behaviour must stay at or above this (the target of issue 3 for the hidden suite).
const PER_BEHAVIOUR_FLOOR: f64 = 0.6;

#[test]
fn behaviours_of_the_shipped_model() {
    let Some(m) = shipped("behaviours_of_the_shipped_model") else {
        return;
    };
    let s = score_cases(&m, "behaviours.tsv");
    assert!(s.n >= 60, "only {} cases read", s.n);
    s.assert_floors(OVERALL_FLOOR, |_| PER_BEHAVIOUR_FLOOR);
}

/// Overall accuracy of the shipped model on the blind cases (tests/data/behaviours_blind.tsv,
/// written in session 5 before any model scored them; 222 after six overlapping ones were
/// commented out): session 5's model, 185/222 = 0.833 (session 4's model at commit b84c1c7:
/// 181/228 = 0.794 before the lexicon grew; session 6's model 181/222 = 0.815), minus a margin
/// of 0.02, rounded down. A regression guard, not a target.
const BLIND_OVERALL_FLOOR: f64 = 0.81;
/// Per behaviour on the blind cases: min(0.6, session 5's model's accuracy − 0.1), rounded
/// down to 0.01 (the measured figure follows each floor). Regression guards, not targets
/// (issue 3's target is 0.6 each).
const BLIND_FLOORS: &[(&str, f64)] = &[
    ("abuse_at_group", 0.4),          // 8/16 = 0.50
    ("abuse_at_individual", 0.6),     // 16/17
    ("abuse_at_object", 0.6),         // 13/16
    ("counter_speech", 0.6),          // 13/17
    ("dehumanising_comparison", 0.6), // 14/17
    ("derogatory_slur", 0.54),        // 11/17 = 0.65 (session 6: 10/17)
    ("homonym", 0.6),                 // 15/17
    ("negated_abuse", 0.6),           // 13/18
    ("neutral_identity", 0.6),        // 18/18
    ("positive_identity", 0.6),       // 17/17
    ("quoted_reported", 0.6),         // 12/16
    ("reclaimed_slur", 0.6),          // 16/17
    ("spelling_variants", 0.6),       // 19/19
];

#[test]
fn blind_behaviours_of_the_shipped_model() {
    check_blind(
        "blind_behaviours_of_the_shipped_model",
        "behaviours_blind.tsv",
        BLIND_OVERALL_FLOOR,
        BLIND_FLOORS,
    );
}

/// Scores a blind case file with the shipped model and checks it against its floors, which
/// must name exactly the file's behaviours.
fn check_blind(test: &str, file: &str, overall: f64, floors: &[(&str, f64)]) {
    let Some(m) = shipped(test) else {
        return;
    };
    let s = score_cases(&m, file);
    assert!(s.n >= 200, "only {} cases read", s.n);
    let named: Vec<&str> = floors.iter().map(|f| f.0).collect();
    let read: Vec<&str> = s.accuracies().iter().map(|a| a.0).collect();
    assert_eq!(named, read, "the floors of {file} must name its behaviours");
    s.assert_floors(overall, |b| {
        floors.iter().find(|f| f.0 == b).map_or(1.0, |f| f.1)
    });
}

/// Overall accuracy on the second blind set (tests/data/behaviours_blind2.tsv, 216 cases
/// written by a helper in session 6 before any model scored them): its first reading, with
/// commit 577d446's model through this test (0.796; the shipped model of 2d5c1d7 reads 173/216
/// = 0.801), minus a margin of 0.02, rounded down. A regression guard, not a target (issue 3's
/// target for the hidden suite is 0.8).
const BLIND2_OVERALL_FLOOR: f64 = 0.77;
/// Per behaviour on the second blind set: min(0.6, the first reading − 0.1), rounded down.
const BLIND2_FLOORS: &[(&str, f64)] = &[
    ("abuse_at_group", 0.49),         // 10/17 = 0.59
    ("abuse_at_individual", 0.6),     // 14/16
    ("abuse_at_object", 0.6),         // 14/16
    ("counter_speech", 0.6),          // 13/16
    ("dehumanising_comparison", 0.6), // 13/18
    ("derogatory_slur", 0.45),        // 10/18 = 0.56
    ("homonym", 0.6),                 // 12/17
    ("negated_abuse", 0.6),           // 14/16
    ("neutral_identity", 0.6),        // 16/16
    ("positive_identity", 0.6),       // 16/16
    ("quoted_reported", 0.6),         // 13/16
    ("reclaimed_slur", 0.6),          // 13/17
    ("spelling_variants", 0.6),       // 14/17
];

#[test]
fn second_blind_behaviours_of_the_shipped_model() {
    check_blind(
        "second_blind_behaviours_of_the_shipped_model",
        "behaviours_blind2.tsv",
        BLIND2_OVERALL_FLOOR,
        BLIND2_FLOORS,
    );
}

/// Overall accuracy on the third blind set (tests/data/behaviours_blind3.tsv, 216 cases written
/// by a helper in session 7 who read no earlier case file and ran no model): read with session
/// 7's shipped model through the CLI, 174/216 = 0.806 (the same through this test), minus
/// a margin of 0.02, rounded down. A regression guard, not a target.
const BLIND3_OVERALL_FLOOR: f64 = 0.78;
/// Per behaviour on the third blind set: min(0.6, the reading − 0.1), rounded down.
const BLIND3_FLOORS: &[(&str, f64)] = &[
    ("abuse_at_group", 0.37),         // 8/17 = 0.47
    ("abuse_at_individual", 0.6),     // 15/16
    ("abuse_at_object", 0.6),         // 15/16
    ("counter_speech", 0.58),         // 11/16 = 0.69
    ("dehumanising_comparison", 0.6), // 13/18
    ("derogatory_slur", 0.6),         // 13/17
    ("homonym", 0.6),                 // 15/17
    ("negated_abuse", 0.6),           // 12/16
    ("neutral_identity", 0.6),        // 17/17
    ("positive_identity", 0.6),       // 15/16
    ("quoted_reported", 0.52),        // 10/16 = 0.62
    ("reclaimed_slur", 0.6),          // 13/16
    ("spelling_variants", 0.6),       // 17/18
];

#[test]
fn third_blind_behaviours_of_the_shipped_model() {
    check_blind(
        "third_blind_behaviours_of_the_shipped_model",
        "behaviours_blind3.tsv",
        BLIND3_OVERALL_FLOOR,
        BLIND3_FLOORS,
    );
}

/// Overall accuracy on the fourth blind set (tests/data/behaviours_blind4.tsv, 220 cases
/// written by a helper at the end of session 7 who read no earlier case file and ran no model):
/// first read in session 8 with that session's chosen model (all 77 new slurs), through the
/// CLI (each line a top-level comment) 172/220 = 0.782 and through this test (lone texts)
/// 169/220 = 0.768; the shipped model (15 of those slurs left out after a corpus check,
/// BENCHMARKS.md) reads 169/220 through the CLI and 168/220 = 0.764 here; session 7's model
/// 171/220 through the CLI. The first reading through this test minus a margin of 0.02,
/// rounded down. A regression guard, not a target.
const BLIND4_OVERALL_FLOOR: f64 = 0.74;
/// Per behaviour on the fourth blind set: min(0.6, the first reading through this test − 0.1),
/// rounded down.
const BLIND4_FLOORS: &[(&str, f64)] = &[
    ("abuse_at_group", 0.13),          // 4/17 = 0.24
    ("abuse_at_individual", 0.6),      // 16/17
    ("abuse_at_object", 0.6),          // 14/17
    ("counter_speech", 0.6),           // 12/16
    ("dehumanising_comparison", 0.51), // 11/18 = 0.61
    ("derogatory_slur", 0.51),         // 11/18 = 0.61
    ("homonym", 0.6),                  // 13/17
    ("negated_abuse", 0.6),            // 13/16
    ("neutral_identity", 0.6),         // 17/17
    ("positive_identity", 0.6),        // 16/17
    ("quoted_reported", 0.6),          // 12/16
    ("reclaimed_slur", 0.6),           // 12/16
    ("spelling_variants", 0.6),        // 18/18
];

#[test]
fn fourth_blind_behaviours_of_the_shipped_model() {
    check_blind(
        "fourth_blind_behaviours_of_the_shipped_model",
        "behaviours_blind4.tsv",
        BLIND4_OVERALL_FLOOR,
        BLIND4_FLOORS,
    );
}

/// Overall accuracy on the fifth blind set (tests/data/behaviours_blind5.tsv, 226 cases
/// written by a helper in session 8 who read no earlier case file and ran no model): first
/// read in session 9, once, with session 8's model, the one shipped then: through the CLI and
/// through this test 188/226 = 0.832. The first reading through this test minus a margin of
/// 0.02, rounded down. A regression guard, not a target. Session 9's model was chosen after
/// that reading with this set among the development cases, so its 192/226 is not evidence.
const BLIND5_OVERALL_FLOOR: f64 = 0.81;
/// Per behaviour on the fifth blind set: min(0.6, the first reading through this test − 0.1),
/// rounded down.
const BLIND5_FLOORS: &[(&str, f64)] = &[
    ("abuse_at_group", 0.51),         // 11/18 = 0.61
    ("abuse_at_individual", 0.6),     // 15/17
    ("abuse_at_object", 0.6),         // 17/17
    ("counter_speech", 0.6),          // 12/17 = 0.71
    ("dehumanising_comparison", 0.6), // 14/18
    ("derogatory_slur", 0.6),         // 14/18
    ("homonym", 0.6),                 // 13/17
    ("negated_abuse", 0.6),           // 15/17
    ("neutral_identity", 0.6),        // 18/18
    ("positive_identity", 0.6),       // 16/17
    ("quoted_reported", 0.54),        // 11/17 = 0.65
    ("reclaimed_slur", 0.6),          // 14/17
    ("spelling_variants", 0.6),       // 18/18
];

#[test]
fn fifth_blind_behaviours_of_the_shipped_model() {
    check_blind(
        "fifth_blind_behaviours_of_the_shipped_model",
        "behaviours_blind5.tsv",
        BLIND5_OVERALL_FLOOR,
        BLIND5_FLOORS,
    );
}

/// Overall accuracy on the sixth blind set (tests/data/behaviours_blind6.tsv, 218 cases
/// written by a helper in session 9 who read no earlier case file and ran no model): first
/// read in session 10, once, after that session chose what ships (session 9's model with the
/// moderator's new readings: homonym senses, first-person self-descriptions, single quotation
/// marks): through the CLI 177/218 = 0.812 (170/218 without the senses rule), through this
/// test the same. The first reading through this test minus a margin of 0.02, rounded down. A
/// regression guard, not a target.
const BLIND6_OVERALL_FLOOR: f64 = 0.79;
/// Per behaviour on the sixth blind set: min(0.6, the first reading through this test − 0.1),
/// rounded down.
const BLIND6_FLOORS: &[(&str, f64)] = &[
    ("abuse_at_group", 0.19),         // 5/17 = 0.29
    ("abuse_at_individual", 0.6),     // 14/17
    ("abuse_at_object", 0.6),         // 15/17
    ("counter_speech", 0.6),          // 15/17
    ("dehumanising_comparison", 0.6), // 12/17 = 0.71
    ("derogatory_slur", 0.6),         // 12/17 = 0.71
    ("homonym", 0.6),                 // 14/17 (9/17 without senses)
    ("negated_abuse", 0.6),           // 15/16
    ("neutral_identity", 0.6),        // 17/17
    ("positive_identity", 0.6),       // 17/17
    ("quoted_reported", 0.6),         // 12/16 = 0.75
    ("reclaimed_slur", 0.6),          // 13/16
    ("spelling_variants", 0.6),       // 16/17
];

#[test]
fn sixth_blind_behaviours_of_the_shipped_model() {
    check_blind(
        "sixth_blind_behaviours_of_the_shipped_model",
        "behaviours_blind6.tsv",
        BLIND6_OVERALL_FLOOR,
        BLIND6_FLOORS,
    );
}

/// Overall accuracy on the seventh blind set (tests/data/behaviours_blind7.tsv, 218 cases
/// written by a helper in session 10 who read no earlier case file, no sense or cue list, and
/// ran no model): first read in session 11, once, after that session chose what ships
/// (session 10's model with the moderator's new group-insult rule): through the CLI 166/218 =
/// 0.761 (164/218 without the group-insult rule), through this test the same. The first
/// reading through this test minus a margin of 0.02, rounded down. A regression guard, not a
/// target.
const BLIND7_OVERALL_FLOOR: f64 = 0.74;
/// Per behaviour on the seventh blind set: min(0.6, the first reading through this test −
/// 0.1), rounded down.
const BLIND7_FLOORS: &[(&str, f64)] = &[
    ("abuse_at_group", 0.25),          // 6/17 = 0.35
    ("abuse_at_individual", 0.6),      // 13/17
    ("abuse_at_object", 0.6),          // 15/17
    ("counter_speech", 0.6),           // 13/16
    ("dehumanising_comparison", 0.54), // 11/17 = 0.65
    ("derogatory_slur", 0.48),         // 10/17 = 0.59
    ("homonym", 0.6),                  // 14/17
    ("negated_abuse", 0.58),           // 11/16 = 0.69
    ("neutral_identity", 0.6),         // 17/17
    ("positive_identity", 0.6),        // 15/16
    ("quoted_reported", 0.6),          // 12/16
    ("reclaimed_slur", 0.6),           // 14/17
    ("spelling_variants", 0.6),        // 15/18
];

#[test]
fn seventh_blind_behaviours_of_the_shipped_model() {
    check_blind(
        "seventh_blind_behaviours_of_the_shipped_model",
        "behaviours_blind7.tsv",
        BLIND7_OVERALL_FLOOR,
        BLIND7_FLOORS,
    );
}

/// Overall accuracy on the eighth blind set (tests/data/behaviours_blind8.tsv, 221 cases
/// written by a helper in session 11 who read no earlier case file, no source or lexicon file,
/// and ran no model; 35 lines rephrased by a second helper so that none shares five words with
/// our own training sentences): first read in session 12, once, after that session chose what
/// ships (session 10's model with session 11's rules and session 12's person-slur and
/// expulsion/threat rules): through the CLI 180/221 = 0.814 (the same without session 12's
/// rules). The first reading through this test minus a margin of 0.02, rounded down. A
/// regression guard, not a target.
const BLIND8_OVERALL_FLOOR: f64 = 0.79;
/// Per behaviour on the eighth blind set: min(0.6, the first reading through this test −
/// 0.1), rounded down.
const BLIND8_FLOORS: &[(&str, f64)] = &[
    ("abuse_at_group", 0.31),         // 7/17 = 0.41
    ("abuse_at_individual", 0.37),    // 8/17 = 0.47
    ("abuse_at_object", 0.54),        // 11/17 = 0.65
    ("counter_speech", 0.6),          // 16/17
    ("dehumanising_comparison", 0.6), // 15/17
    ("derogatory_slur", 0.6),         // 16/17
    ("homonym", 0.6),                 // 15/17
    ("negated_abuse", 0.6),           // 15/17
    ("neutral_identity", 0.6),        // 17/17
    ("positive_identity", 0.6),       // 16/17
    ("quoted_reported", 0.6),         // 15/17
    ("reclaimed_slur", 0.6),          // 14/17
    ("spelling_variants", 0.6),       // 15/17
];

#[test]
fn eighth_blind_behaviours_of_the_shipped_model() {
    check_blind(
        "eighth_blind_behaviours_of_the_shipped_model",
        "behaviours_blind8.tsv",
        BLIND8_OVERALL_FLOOR,
        BLIND8_FLOORS,
    );
}

/// Overall accuracy on the ninth blind set (tests/data/behaviours_blind9.tsv, 221 cases
/// written by a helper in session 12 who read no earlier case file, no source or lexicon file,
/// and ran no model; 47 lines rephrased by a second helper so that none shares five words with
/// our own training sentences or earlier sets): first read at the start of session 13, once,
/// before that session changed anything (session 10's model with every rule of sessions 11 and
/// 12): through the CLI 191/221 = 0.864. The first reading through this test minus a margin of
/// 0.02, rounded down. A regression guard, not a target.
const BLIND9_OVERALL_FLOOR: f64 = 0.84;
/// Per behaviour on the ninth blind set: min(0.6, the first reading through this test − 0.1),
/// rounded down.
const BLIND9_FLOORS: &[(&str, f64)] = &[
    ("abuse_at_group", 0.31),         // 7/17 = 0.41
    ("abuse_at_individual", 0.37),    // 8/17 = 0.47
    ("abuse_at_object", 0.6),         // 12/17
    ("counter_speech", 0.6),          // 16/17
    ("dehumanising_comparison", 0.6), // 17/17
    ("derogatory_slur", 0.6),         // 17/17
    ("homonym", 0.6),                 // 16/17
    ("negated_abuse", 0.6),           // 16/17
    ("neutral_identity", 0.6),        // 17/17
    ("positive_identity", 0.6),       // 17/17
    ("quoted_reported", 0.6),         // 16/17
    ("reclaimed_slur", 0.6),          // 16/17
    ("spelling_variants", 0.6),       // 16/17
];

#[test]
fn ninth_blind_behaviours_of_the_shipped_model() {
    check_blind(
        "ninth_blind_behaviours_of_the_shipped_model",
        "behaviours_blind9.tsv",
        BLIND9_OVERALL_FLOOR,
        BLIND9_FLOORS,
    );
}

/// Overall accuracy on the tenth blind set (tests/data/behaviours_blind10.tsv, 221 cases
/// written by a helper in session 13 who opened no project file and ran no model; 58 lines
/// rephrased by a second helper so that none shares five words with our own training sentences
/// or earlier sets): first read at the start of session 14, once, before that session changed
/// anything (commit c2953ac: session 10's model with every rule of sessions 11 to 13): through
/// the CLI 183/221 = 0.828. The first reading through this test minus a margin of 0.02, rounded
/// down. A regression guard, not a target.
const BLIND10_OVERALL_FLOOR: f64 = 0.80;
/// Per behaviour on the tenth blind set: min(0.6, the first reading through this test − 0.1),
/// rounded down.
const BLIND10_FLOORS: &[(&str, f64)] = &[
    ("abuse_at_group", 0.25),         // 6/17 = 0.35
    ("abuse_at_individual", 0.19),    // 5/17 = 0.29
    ("abuse_at_object", 0.6),         // 13/17
    ("counter_speech", 0.6),          // 16/17
    ("dehumanising_comparison", 0.6), // 16/17
    ("derogatory_slur", 0.6),         // 14/17
    ("homonym", 0.6),                 // 14/17
    ("negated_abuse", 0.6),           // 16/17
    ("neutral_identity", 0.6),        // 17/17
    ("positive_identity", 0.6),       // 16/17
    ("quoted_reported", 0.6),         // 17/17
    ("reclaimed_slur", 0.6),          // 17/17
    ("spelling_variants", 0.6),       // 16/17
];

#[test]
fn tenth_blind_behaviours_of_the_shipped_model() {
    check_blind(
        "tenth_blind_behaviours_of_the_shipped_model",
        "behaviours_blind10.tsv",
        BLIND10_OVERALL_FLOOR,
        BLIND10_FLOORS,
    );
}

/// The shipped default model, or `None` (and a SKIPPED line) when it cannot be loaded.
fn shipped(test: &str) -> Option<Moderator> {
    match Moderator::default_model() {
        Ok(m) => Some(m),
        Err(e) => {
            common::skipped(test, &e.to_string());
            None
        }
    }
}

/// What one case file scored: (correct, total) per behaviour, and each failure as a line.
struct Scored {
    file: String,
    per: BTreeMap<String, (usize, usize)>,
    failures: Vec<String>,
    n: usize,
}

impl Scored {
    fn overall(&self) -> f64 {
        let correct: usize = self.per.values().map(|x| x.0).sum();
        correct as f64 / self.n as f64
    }

    /// Accuracy per behaviour, in name order.
    fn accuracies(&self) -> Vec<(&str, f64)> {
        self.per
            .iter()
            .map(|(b, (c, t))| (b.as_str(), *c as f64 / *t as f64))
            .collect()
    }

    /// Prints the report, then checks the overall accuracy and each behaviour's against their
    /// floors.
    fn assert_floors(&self, overall: f64, floor: impl Fn(&str) -> f64) {
        let report = self.report();
        assert!(
            self.overall() >= overall,
            "overall {:.3} fell below {overall}\n{report}",
            self.overall()
        );
        for (b, acc) in self.accuracies() {
            let f = floor(b);
            assert!(acc >= f, "{b}: {acc:.2} is below {f}\n{report}");
        }
    }

    /// The accuracy table and the failures, also written to stderr (seen with --nocapture).
    fn report(&self) -> String {
        let mut report = format!(
            "{}: behaviour accuracy ({} cases, overall {:.3}):\n",
            self.file,
            self.n,
            self.overall()
        );
        for (b, (c, t)) in &self.per {
            report.push_str(&format!(
                "  {b:24} {c}/{t} = {:.2}\n",
                *c as f64 / *t as f64
            ));
        }
        report.push_str("failures:\n");
        report.push_str(&self.failures.join("\n"));
        let _ = writeln!(std::io::stderr(), "{report}");
        report
    }
}

/// Scores every case of `tests/data/{name}` (lines `behaviour<TAB>expected<TAB>text`; `#`
/// comments and the header skipped) with `m`: a case passes when `is_hateful` matches.
fn score_cases(m: &Moderator, name: &str) -> Scored {
    let text = std::fs::read_to_string(common::repo_data(name)).unwrap();
    let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("behaviour\t") || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        assert_eq!(cols.len(), 3, "{name} line {}: {line:?}", i + 1);
        let (behaviour, expected, case) = (cols[0], cols[1], cols[2]);
        let want = match expected {
            "hateful" => true,
            "not_hateful" => false,
            other => panic!(
                "{name} line {}: expected must be hateful or not_hateful, got {other}",
                i + 1
            ),
        };
        let v = m.score(case);
        let got = v.is_hateful();
        let e = per.entry(behaviour.to_string()).or_default();
        e.1 += 1;
        n += 1;
        if got == want {
            e.0 += 1;
        } else {
            failures.push(format!(
                "  line {} [{behaviour}] want {expected}: {case:?} (flags {:?})",
                i + 1,
                v.flags
            ));
        }
    }
    Scored {
        file: name.to_string(),
        per,
        failures,
        n,
    }
}

/// Issue 4's end-to-end check on the seeds' real thread (../shared/seeds/000_*.txt, scraped
/// text): the one dehumanising comment ("…the eastern scum would like you not to read") is
/// flagged dehumanising with "scum" among its reasons, and no other comment is flagged hateful.
#[test]
fn seed_000_thread_flags_only_the_dehumanising_comment() {
    let Some(dir) = common::shared(
        "seeds",
        "seed_000_thread_flags_only_the_dehumanising_comment",
    ) else {
        return;
    };
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("000_"))
        .expect("seed 000");
    let m = Moderator::default_model().unwrap();
    let threads: Vec<_> =
        commentguard::read_path(&path, None, commentguard::ReadOptions::default())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    assert_eq!(threads.len(), 1);
    let t = &threads[0];
    let verdicts = m.score_thread(t);
    let mut flagged = 0;
    for (v, c) in verdicts.iter().zip(t.walk().map(|w| w.comment)) {
        let hateful = v.flags.iter().any(|l| l.is_hateful());
        if c.text.contains("eastern scum") {
            assert!(v.is_flagged(Label::Dehumanising), "{:?}", v.scores);
            let r = v
                .reasons
                .iter()
                .find(|r| r.label == Label::Dehumanising && r.text.contains("scum"))
                .unwrap_or_else(|| panic!("no reason on \"scum\": {:?}", v.reasons));
            assert_eq!(&c.text[r.start..r.end], r.text);
            flagged += 1;
        } else {
            assert!(!hateful, "{:?} flagged {:?}", c.text, v.flags);
        }
    }
    assert_eq!(flagged, 1);
}
