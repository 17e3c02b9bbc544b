//! The `commentguard` binary, end to end.

use std::io::Write;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_commentguard"))
}

fn sample() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/sample-thread.txt")
}

/// Parses JSON lines.
fn jsonl(stdout: Vec<u8>) -> Vec<serde_json::Value> {
    String::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn run_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that fails fast (bad arguments) may exit before reading: a broken pipe here
    // is expected, the output below says what happened.
    if let Err(e) = child.stdin.take().unwrap().write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// Fails with the command's stderr unless it exited with success.
fn assert_ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes `dir/labels.csv` (`text,toxic`) for `train --user-data`: for each (text, toxic,
/// n), n rows `"text i",toxic` for i in 0..n, the groups interleaved row by row.
fn labels_csv(dir: &std::path::Path, groups: &[(&str, u8, usize)]) -> std::path::PathBuf {
    let mut rows = String::from("text,toxic\n");
    let longest = groups.iter().map(|g| g.2).max().unwrap_or(0);
    for i in 0..longest {
        for &(text, toxic, n) in groups {
            if i < n {
                rows.push_str(&format!("\"{text} {i}\",{toxic}\n"));
            }
        }
    }
    let path = dir.join("labels.csv");
    std::fs::write(&path, rows).unwrap();
    path
}

/// Runs `train -q --bits 12` on the user file `data` (no public corpora) into `out`, with
/// `extra` arguments, and checks that it succeeded.
fn train_on(data: &std::path::Path, out: &std::path::Path, extra: &[&str]) {
    let run = bin()
        .args(["train", "-q", "--bits", "12", "--user-data"])
        .arg(data)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env_remove("COMMENTGUARD_DATA")
        .output()
        .unwrap();
    assert_ok(&run);
}

#[test]
fn threads_json_from_stdin_has_documented_fields_in_order() {
    let out = run_stdin(
        &["threads", "--json", "-"],
        b"{\"id\":1,\"author\":\"ann\",\"text\":\"hello\"}\n{\"id\":2,\"parent\":1,\"text\":\"reply\"}\n",
    );
    assert_ok(&out);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"thread":"stdin","id":"1","parent":null,"depth":1,"author":"ann","status":"approved","text":"hello"}"#,
            r#"{"thread":"stdin","id":"2","parent":"1","depth":2,"author":null,"status":"approved","text":"reply"}"#,
        ]
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("threads: 1, comments: 2, orphans: 0, cycles: 0, max depth: 2"),
        "{err}"
    );
}

#[test]
fn threads_on_the_shipped_sample() {
    let out = bin()
        .args(["threads", "--json"])
        .arg(sample())
        .output()
        .unwrap();
    assert_ok(&out);
    let depths: Vec<u64> = jsonl(out.stdout)
        .iter()
        .map(|r| r["depth"].as_u64().unwrap())
        .collect();
    assert_eq!(depths, [1, 2, 1, 2, 3, 2, 1, 1, 2]);
}

#[test]
fn unknown_format_error_lists_formats_and_fails() {
    let out = run_stdin(&["threads", "-"], b"\x00\x01\x02\x03 binary");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    for f in [
        "wxr",
        "disqus",
        "reddit",
        "hackernews",
        "jsonl",
        "csv",
        "wpcom-text",
    ] {
        assert!(err.contains(f), "{err}");
    }
}

#[test]
fn bad_line_gives_an_error_record_and_keeps_the_rest() {
    let out = run_stdin(
        &["threads", "--json", "--format", "jsonl", "-"],
        b"{\"id\":1,\"text\":\"a\"}\nnot json\n{\"id\":3,\"text\":\"c\"}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let recs = jsonl(out.stdout);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0]["id"], "1");
    assert_eq!(recs[1]["id"], "3");
    assert_eq!(recs[2]["line"], 2);
    assert!(recs[2]["error"].as_str().unwrap().contains("jsonl"));
}

#[test]
fn reader_limits_are_settable_on_the_command_line() {
    let input = b"{\"id\":1,\"text\":\"short\"}\n{\"id\":2,\"text\":\"a comment well over twenty bytes\"}\n";
    // Default limits: both comments read.
    let out = run_stdin(&["threads", "--json", "--format", "jsonl", "-"], input);
    assert_eq!(jsonl(out.stdout).len(), 2);
    // A 20-byte body limit: the long comment becomes an error record naming it, in both
    // commands, and the short one is still there.
    for cmd in ["threads", "score"] {
        let mut args = vec![cmd, "--max-comment-bytes", "20", "--format", "jsonl", "-"];
        if cmd == "threads" {
            args.insert(1, "--json");
        }
        let out = run_stdin(&args, input);
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        let recs = jsonl(out.stdout);
        assert_eq!(recs.len(), 2, "{cmd}: {recs:?}");
        assert_eq!(recs[0]["id"], "1", "{cmd}");
        let err = recs[1]["error"].as_str().unwrap_or_default();
        assert!(err.contains("limit") || err.contains("20"), "{cmd}: {err}");
    }
    // A bad size is refused by the argument parser.
    let out = run_stdin(&["threads", "--max-comment-bytes", "ten", "-"], input);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a size"));
}

#[test]
fn missing_file_is_a_clear_error() {
    let out = bin()
        .args(["threads", "/nonexistent/x.xml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("/nonexistent/x.xml"), "{err}");
}

#[test]
fn score_the_shipped_sample_with_the_shipped_model() {
    let out = bin()
        .args(["score", "--quiet"])
        .arg(sample())
        .output()
        .unwrap();
    assert_ok(&out);
    let recs = jsonl(out.stdout);
    // One record per comment, in walk order, with the documented fields.
    assert_eq!(recs.len(), 9);
    for k in [
        "thread", "id", "parent", "depth", "scores", "flags", "action", "target", "reasons",
    ] {
        assert!(recs[0].get(k).is_some(), "missing {k} in {}", recs[0]);
    }
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["1", "1.1", "2", "2.1", "2.1.1", "2.2", "3", "4", "4.1"]
    );
    // The dehumanising comment is flagged, with "vermin" among its reasons.
    let abuse = &recs[2];
    let flags: Vec<&str> = abuse["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(flags.contains(&"dehumanising"), "{abuse}");
    assert!(
        abuse["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["text"] == "vermin" && r["label"] == "dehumanising"),
        "{abuse}"
    );
    // Neutral comments are allowed.
    for i in [0, 1, 6, 7, 8] {
        assert_eq!(recs[i]["action"], "allow", "{}", recs[i]);
    }
}

#[test]
fn score_lines_to_jsonl_and_threshold_override() {
    let out = run_stdin(
        &[
            "score",
            "--format",
            "lines",
            "--quiet",
            "--threshold",
            "toxic=0",
        ],
        b"first comment\n\nsecond comment\n",
    );
    assert_ok(&out);
    let recs = jsonl(out.stdout);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1]["id"], "3");
    assert!(recs[0]["flags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "toxic"));
    let bad = run_stdin(&["score", "--threshold", "toxic=2", "-"], b"x\n");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("toxic"));
}

#[test]
fn explain_shows_reasons_in_context() {
    let out = bin()
        .args([
            "explain",
            "These immigrants are vermin and should be exterminated.",
        ])
        .output()
        .unwrap();
    assert_ok(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("dehumanising"), "{s}");
    assert!(s.contains("[vermin]"), "{s}");
}

#[test]
fn explain_says_what_was_left_out_and_why() {
    let out = bin()
        .args(["explain", "Nipped out for a quick fag behind the pub."])
        .output()
        .unwrap();
    assert_ok(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("left out before scoring:\n  [fag]  ordinary sense"),
        "{s}"
    );
    let out = bin().args(["explain", "you are a fag"]).output().unwrap();
    assert_ok(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(!s.contains("left out"), "{s}");
}

/// The flags `score --format lines` gives one line, with `extra` arguments.
fn line_flags(line: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["score", "--format", "lines", "--output", "jsonl", "-q"];
    args.extend_from_slice(extra);
    args.push("-");
    let out = run_stdin(&args, format!("{line}\n").as_bytes());
    assert_ok(&out);
    jsonl(out.stdout).remove(0)["flags"].clone()
}

/// An insult said of a whole group is flagged identity_attack, `explain` says the rule raised
/// it, and `--no-group-insults` leaves the label to the model.
#[test]
fn group_insults_count_as_identity_attacks_unless_turned_off() {
    let line = "The Irish are all drunks and always will be";
    let flags = |extra: &[&str]| line_flags(line, extra);
    assert_eq!(flags(&[]), serde_json::json!(["toxic", "identity_attack"]));
    assert_eq!(flags(&["--no-group-insults"]), serde_json::json!([]));
    let out = bin().args(["explain", line]).output().unwrap();
    assert_ok(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("identity_attack  +"), "{s}");
    assert!(s.contains("aimed at a whole group"), "{s}");
    let out = bin()
        .args(["explain", "The Irish are great fun"])
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout)
        .unwrap()
        .contains("whole group"));
}

/// A denied word is left out (`explain` says so); `--no-mentions` scores it as used.
#[test]
fn no_mentions_scores_denied_words_as_used() {
    let line = "Refugees are not vermin, they are people running from bombs.";
    let flags = |extra: &[&str]| line_flags(line, extra);
    assert_eq!(flags(&[]), serde_json::json!([]));
    assert_ne!(flags(&["--no-mentions"]), serde_json::json!([]));
    let out = bin().args(["explain", line]).output().unwrap();
    assert_ok(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("[vermin]  denied by a negation"), "{s}");
}

/// An ambiguous slur said of a person gets the slur floor; `--no-person-slurs` leaves it to
/// the model.
#[test]
fn no_person_slurs_leaves_ambiguous_slurs_to_the_model() {
    let line = "that stupid spastic from accounts broke the printer again";
    let has_slur = |extra: &[&str]| {
        line_flags(line, extra)
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("slur"))
    };
    assert!(has_slur(&[]));
    assert!(!has_slur(&["--no-person-slurs"]));
}

/// Identity used against one person is flagged identity_attack, `explain` says which rule
/// raised it, and `--no-individual-attacks` leaves the label to the model.
#[test]
fn no_individual_attacks_leaves_identity_abuse_of_one_person_to_the_model() {
    let line = "Typical woman, can't even parallel park";
    let has_ia = |extra: &[&str]| {
        line_flags(line, extra)
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("identity_attack"))
    };
    assert!(has_ia(&[]));
    assert!(!has_ia(&["--no-individual-attacks"]));
    let out = bin().args(["explain", line]).output().unwrap();
    assert_ok(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("identity used against one person"), "{s}");
}

/// A dehumanising word said of a thing is left out (`explain` says so); `--no-objects` reads
/// it as used.
#[test]
fn no_objects_reads_dehumanising_words_said_of_things() {
    let line = "This update is vermin, it has infested my laptop with pop-ups.";
    let flagged = |extra: &[&str]| {
        line_flags(line, extra)
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("dehumanising"))
    };
    assert!(!flagged(&[]));
    assert!(flagged(&["--no-objects"]));
    let out = bin().args(["explain", line]).output().unwrap();
    assert_ok(&out);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("[vermin]  said of a thing"), "{s}");
}

/// `score` leaves a word read in its ordinary sense out (its scores are those of the line with
/// the word blanked); `--no-senses` scores the line as given.
#[test]
fn no_senses_scores_the_words_as_given() {
    let line = "Nipped out for a quick fag behind the pub.";
    let blanked = "Nipped out for a quick     behind the pub.";
    let input = format!("{line}\n{blanked}\n");
    let scores = |extra: &[&str]| {
        let mut args = vec!["score", "--format", "lines", "--output", "jsonl", "-q"];
        args.extend_from_slice(extra);
        args.push("-");
        let out = run_stdin(&args, input.as_bytes());
        assert_ok(&out);
        jsonl(out.stdout)
            .into_iter()
            .map(|r| r["scores"].clone())
            .collect::<Vec<_>>()
    };
    let with = scores(&[]);
    assert_eq!(with[0], with[1], "the rule should leave `fag` out");
    let without = scores(&["--no-senses"]);
    assert_ne!(without[0], without[1], "--no-senses should score `fag`");
    assert_eq!(without[1], with[1]);
}

#[test]
fn bad_train_settings_are_refused_before_any_work() {
    for (flag, value, says) in [
        ("--weights", "i4", "must be i8 or i16"),
        ("--idf", "bogus", "must be off, words, ngrams or all"),
    ] {
        let out = bin()
            .args([
                "train",
                "--data",
                "/nonexistent",
                "--out",
                "/nonexistent/m.cgm",
            ])
            .args([flag, value])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag}: {err}");
        assert!(err.contains(value) && err.contains(says), "{flag}: {err}");
    }
}

/// `commentguard ... | head`: when the reader has gone, the command stops quietly (exit 0, no
/// panic message), whatever it was printing.
#[test]
fn closed_stdout_is_a_quiet_end_not_a_panic() {
    let sample = sample();
    let sample = sample.to_str().unwrap();
    for args in [
        vec!["explain", "You people are vermin, go back home."],
        vec!["explain", "--json", "You people are vermin."],
        vec!["score", "--output", "jsonl", sample],
        vec!["score", "--output", "table", sample],
        vec!["threads", sample],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        // The read end is closed before the command writes anything.
        drop(reader);
        let out = bin()
            .args(&args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}

/// `train --dev-scores DIR` writes each trained label's calibrated dev probabilities, one
/// `probability<TAB>0|1` line per dev row, and `--threshold-rounds` is recorded on the card.
#[test]
fn train_writes_dev_scores_for_the_threshold_check() {
    let dir = tempfile::tempdir().unwrap();
    let data = labels_csv(
        dir.path(),
        &[
            ("you are a clueless troll", 1, 200),
            ("great write-up, thanks", 0, 200),
        ],
    );
    let scores = dir.path().join("dev");
    let card = dir.path().join("card.md");
    let (card_arg, scores_arg) = (card.to_str().unwrap(), scores.to_str().unwrap());
    let extra = [
        "--threshold-rounds",
        "0",
        "--card",
        card_arg,
        "--dev-scores",
        scores_arg,
    ];
    train_on(&data, &dir.path().join("m.cgm"), &extra);
    let toxic = std::fs::read_to_string(scores.join("toxic.tsv")).unwrap();
    let lines: Vec<&str> = toxic.lines().collect();
    assert!(lines.len() > 10, "{toxic}");
    let mut classes = [0; 2];
    for l in &lines {
        let (p, t) = l.split_once('\t').unwrap();
        let p: f32 = p.parse().unwrap();
        assert!((0.0..=1.0).contains(&p), "{l}");
        classes[t.parse::<usize>().unwrap()] += 1;
    }
    assert!(classes[0] > 0 && classes[1] > 0, "{classes:?}");
    assert!(
        !scores.join("insult.tsv").exists(),
        "no insult labels, no insult file"
    );
    let card = std::fs::read_to_string(card).unwrap();
    assert!(card.contains("--threshold-rounds 0"), "{card}");
}

/// `train` fits a slur floor on the training rows and ships it in the bundle, or leaves it out
/// with `--no-slur-floor`.
#[test]
fn train_ships_a_slur_floor_unless_told_not_to() {
    use commentguard::features::slur_floor::{SlurFloor, SECTION};
    use commentguard::model::Bundle;
    let dir = tempfile::tempdir().unwrap();
    let data = labels_csv(
        dir.path(),
        &[
            ("typical vatnik nonsense again", 1, 60),
            ("great write-up, thanks", 0, 60),
            ("my vatnik uncle is lovely really", 0, 20),
        ],
    );
    let train = |extra: &[&str], name: &str| {
        let out_path = dir.path().join(name);
        train_on(&data, &out_path, extra);
        Bundle::load(&out_path).unwrap()
    };
    let b = train(&[], "floor.cgm");
    let floor = SlurFloor::of_bundle(&b).unwrap().expect("a floor section");
    // The training rows only: 80% of the 80 vatnik rows, three quarters of them abusive.
    let e = &floor.severities[0];
    assert_eq!(e.severity, 2, "{floor:?}");
    assert!(e.rows >= 30 && e.rows < 80, "{floor:?}");
    assert!((e.probability - 0.75).abs() < 0.1, "{floor:?}");
    assert!(b.card.notes.iter().any(|n| n.starts_with("slur floor:")));
    let bare = train(&["--no-slur-floor"], "bare.cgm");
    assert!(!bare.sections.contains_key(SECTION));
}

/// A model trained under other feature rules or lexicon lists still scores, with a warning on
/// stderr that names the difference; a model trained by this build gets none.
#[test]
fn score_warns_when_the_model_was_trained_on_other_features() {
    use commentguard::model::Bundle;
    let dir = tempfile::tempdir().unwrap();
    let data = labels_csv(
        dir.path(),
        &[
            ("you utter clown", 1, 40),
            ("great write-up, thanks", 0, 40),
        ],
    );
    let fresh = dir.path().join("fresh.cgm");
    train_on(&data, &fresh, &[]);
    let mut b = Bundle::load(&fresh).unwrap();
    b.feature_space["rules"] = serde_json::json!(1);
    let old = dir.path().join("old.cgm");
    b.save(&old).unwrap();
    let score = |model: &std::path::Path| {
        let model = model.to_str().unwrap();
        let out = run_stdin(
            &["score", "--format", "lines", "-q", "--model", model],
            b"hello there\n",
        );
        assert_ok(&out);
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(!score(&fresh).contains("warning"), "{}", score(&fresh));
    let err = score(&old);
    assert!(
        err.contains("warning:") && err.contains("feature rules revision 1"),
        "{err}"
    );
}

/// `score --no-reasons` writes the records `score` writes, with empty reasons.
#[test]
fn score_without_reasons_writes_the_same_records_without_reasons() {
    let run = |extra: &[&str]| {
        let out = bin()
            .args(["score", "-q", "--output", "jsonl"])
            .args(extra)
            .arg(sample())
            .output()
            .unwrap();
        assert_ok(&out);
        jsonl(out.stdout)
    };
    let (full, bare) = (run(&[]), run(&["--no-reasons"]));
    assert_eq!(full.len(), bare.len());
    assert!(full
        .iter()
        .any(|r| !r["reasons"].as_array().unwrap().is_empty()));
    for (mut f, b) in full.into_iter().zip(bare) {
        f["reasons"] = serde_json::json!([]);
        assert_eq!(f, b);
    }
}
