//! Functional cases, each naming the behaviour it checks (tests/data/behaviours.tsv), scored
//! with the shipped default model. Prints accuracy per behaviour and every failure, then
//! checks the totals against floors: the floors are the figures of the shipped model when it
//! was committed (see BENCHMARKS.md), so a model or code change that makes them worse fails.

mod common;

use commentguard::{Label, Moderator};
use std::collections::BTreeMap;
use std::io::Write;

/// Overall accuracy of the shipped model on these cases when it was committed (0.851 in
/// session 3; 0.866 for session 2's model, see BENCHMARKS.md), minus about 0.01.
const OVERALL_FLOOR: f64 = 0.84;
/// Every behaviour must stay at or above this (the target of issue 3 for the hidden suite).
const PER_BEHAVIOUR_FLOOR: f64 = 0.6;

#[test]
fn behaviours_of_the_shipped_model() {
    let m = match Moderator::default_model() {
        Ok(m) => m,
        Err(e) => {
            common::skipped("behaviours_of_the_shipped_model", &e.to_string());
            return;
        }
    };
    let text = std::fs::read_to_string(common::repo_data("behaviours.tsv")).unwrap();
    let mut per: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("behaviour\t") || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        assert_eq!(cols.len(), 3, "line {}: {line:?}", i + 1);
        let (behaviour, expected, case) = (cols[0], cols[1], cols[2]);
        let want = match expected {
            "hateful" => true,
            "not_hateful" => false,
            other => panic!(
                "line {}: expected must be hateful or not_hateful, got {other}",
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
    assert!(n >= 60, "only {n} cases read");
    let correct: usize = per.values().map(|x| x.0).sum();
    let overall = correct as f64 / n as f64;
    let mut report = format!("behaviour accuracy ({n} cases, overall {overall:.3}):\n");
    for (b, (c, t)) in &per {
        report.push_str(&format!(
            "  {b:24} {c}/{t} = {:.2}\n",
            *c as f64 / *t as f64
        ));
    }
    report.push_str("failures:\n");
    report.push_str(&failures.join("\n"));
    let _ = writeln!(std::io::stderr(), "{report}");
    assert!(
        overall >= OVERALL_FLOOR,
        "overall {overall:.3} fell below {OVERALL_FLOOR}\n{report}"
    );
    for (b, (c, t)) in &per {
        let acc = *c as f64 / *t as f64;
        assert!(
            acc >= PER_BEHAVIOUR_FLOOR,
            "{b}: {acc:.2} is below {PER_BEHAVIOUR_FLOOR}\n{report}"
        );
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
