//! Nothing lost when `score` is interrupted: SIGTERM/SIGINT flush whole records and say how to
//! resume, SIGKILL leaves at most a partial last line, and `--resume` completes the output
//! with exactly one record per input comment, in order. No timing: the kills happen once the
//! output file has grown past a size, whatever the machine's speed.
#![cfg(unix)]

mod common;

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_commentguard"))
}

/// Comments in the generated input: 2,000 threads of 100 (reply chains of ten).
const THREADS: usize = 2_000;
const PER_THREAD: usize = 100;

/// Writes the generated input (our JSONL format) and returns its comment ids in walk order
/// (each comment replies to the one before it, so walk order is file order).
fn big_input(dir: &Path) -> (PathBuf, Vec<String>) {
    let words = [
        "the", "council", "harbour", "centre", "language", "classes", "families", "street", "vote",
        "cost", "building", "town", "news", "good", "idea", "really", "think", "people",
    ];
    let path = dir.join("big.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut ids = Vec::with_capacity(THREADS * PER_THREAD);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for t in 0..THREADS {
        for i in 0..PER_THREAD {
            let text: Vec<&str> = (0..18)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    words[(x % words.len() as u64) as usize]
                })
                .collect();
            let mut text = text.join(" ");
            if i % 37 == 5 {
                text.push_str(" these people are vermin");
            }
            let id = format!("{t}-{i}");
            let parent = if i % 10 == 0 {
                serde_json::Value::Null
            } else {
                format!("{t}-{}", i - 1).into()
            };
            let row = serde_json::json!({
                "thread": format!("t{t}"), "id": id, "parent": parent, "text": text,
            });
            writeln!(f, "{row}").unwrap();
            ids.push(id);
        }
    }
    f.flush().unwrap();
    (path, ids)
}

/// Writes the generated input to a new temporary folder, starts `score --output OUTPUT` on
/// it, and sends SIGNAL once the output holds more than 2 MiB. Returns the folder (removed
/// on drop), the input, its comment ids in walk order, the output file (`out.OUTPUT` in the
/// folder) and the process's output.
fn interrupted(output: &str, signal: &str) -> (TempDir, PathBuf, Vec<String>, PathBuf, Output) {
    let dir = tempfile::tempdir().unwrap();
    let (input, ids) = big_input(dir.path());
    let out = dir.path().join(format!("out.{output}"));
    let mut child = bin()
        .args(["score", "--output", output, "--out"])
        .arg(&out)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        if child.try_wait().unwrap().is_some() {
            panic!("score finished before it could be interrupted; make the input larger");
        }
        if std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0) > 2 << 20 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let killed = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    (dir, input, ids, out, o)
}

/// `first` is a part of `ids`, neither empty nor all, from the start.
fn assert_strict_prefix(first: &[String], ids: &[String]) {
    let n = first.len();
    assert!(n > 0 && n < ids.len(), "{n} of {}", ids.len());
    assert_eq!(first, &ids[..n]);
}

fn resume<P: AsRef<std::ffi::OsStr>>(inputs: &[P], out: &Path, output: &str) -> Output {
    bin()
        .args(["score", "--output", output, "--resume", "--out"])
        .arg(out)
        .args(inputs)
        .output()
        .unwrap()
}

/// The ids of the records in a JSONL output (every line must be a whole record).
fn jsonl_ids(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}"));
            v["id"].as_str().unwrap().to_string()
        })
        .collect()
}

/// The ids of the records in a CSV output (after the header; every row must be whole).
fn csv_ids(text: &str) -> Vec<String> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let n = r.headers().unwrap().len();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            assert_eq!(rec.len(), n, "{rec:?}");
            rec[1].to_string()
        })
        .collect()
}

/// Interrupts `score --output OUTPUT` with SIGNAL and checks the exit code (`code`), the
/// message, and that the output holds whole records of the first comments (`ids_of` reads
/// their ids); then resumes and checks that the output holds one record per comment, in
/// order. Returns the interrupted run's stderr and the completed output.
fn interrupt_and_resume(
    output: &str,
    signal: &str,
    code: i32,
    ids_of: fn(&str) -> Vec<String>,
) -> (String, String) {
    let (_dir, input, ids, out, o) = interrupted(output, signal);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert!(
        err.contains(&format!("interrupted by SIG{signal}")),
        "{err}"
    );
    let part = std::fs::read_to_string(&out).unwrap();
    assert!(part.ends_with('\n'), "the output ends inside a record");
    assert_strict_prefix(&ids_of(&part), &ids);

    let o = resume(&[&input], &out, output);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    let all = ids_of(&text);
    assert_eq!(all.len(), ids.len());
    assert_eq!(all, ids, "one record per comment, in order, none twice");
    (err, text)
}

#[test]
fn sigterm_flushes_whole_records_and_resume_completes_jsonl() {
    let (err, _) = interrupt_and_resume("jsonl", "TERM", 143, jsonl_ids);
    assert!(err.contains("--resume"), "{err}");
}

#[test]
fn sigint_flushes_whole_records_and_resume_completes_csv() {
    let (_, text) = interrupt_and_resume("csv", "INT", 130, csv_ids);
    assert_eq!(text.matches("thread,id,parent").count(), 1, "one header");
}

#[test]
fn sigkill_then_resume_gives_the_same_bytes_as_an_uninterrupted_run() {
    let (dir, input, ids, out, o) = interrupted("jsonl", "KILL");
    assert_eq!(o.status.signal(), Some(9));
    // Batches are written with one write of whole lines: only a write cut by the kill itself
    // could leave a partial line, and --resume drops it. Every complete line is a record.
    let part = std::fs::read_to_string(&out).unwrap();
    let whole = &part[..part.rfind('\n').map(|i| i + 1).unwrap_or(0)];
    assert_strict_prefix(&jsonl_ids(whole), &ids);

    let o = resume(&[&input], &out, "jsonl");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let resumed = std::fs::read(&out).unwrap();
    let full = dir.path().join("full.jsonl");
    let o = bin()
        .args(["score", "--quiet", "--out"])
        .arg(&full)
        .arg(&input)
        .output()
        .unwrap();
    assert!(o.status.success());
    let full = std::fs::read(&full).unwrap();
    assert_eq!(resumed.len(), full.len());
    assert!(
        resumed == full,
        "resumed output differs from an uninterrupted run"
    );
}

/// An output cut in the middle of a record (as a kill during a write could leave it) is
/// repaired by `--resume`: the partial line is dropped and the output is completed.
#[test]
fn resume_drops_a_partial_last_record() {
    let sample = common::sample_thread();
    let hostile = common::repo_data("report/hostile.jsonl");
    let dir = tempfile::tempdir().unwrap();
    for output in ["jsonl", "csv"] {
        let full = dir.path().join(format!("full.{output}"));
        let o = bin()
            .args(["score", "--quiet", "--output", output, "--out"])
            .arg(&full)
            .args([&sample, &hostile])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(1),
            "the hostile file has one bad line"
        );
        let full = std::fs::read(&full).unwrap();
        let lines: Vec<usize> = full
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        // Cut after 0, 1, a middle and all-but-one complete lines, each time half-way into
        // the next line; and once at a line end (nothing to drop) and once at zero bytes.
        let mut cuts: Vec<usize> = [0, 1, lines.len() / 2, lines.len() - 1]
            .iter()
            .map(|&k| {
                let start = if k == 0 { 0 } else { lines[k - 1] + 1 };
                (start + lines[k]) / 2
            })
            .collect();
        cuts.push(lines[lines.len() / 3] + 1);
        cuts.push(0);
        for cut in cuts {
            let out = dir.path().join(format!("cut.{output}"));
            std::fs::write(&out, &full[..cut]).unwrap();
            let o = resume(&[sample.clone(), hostile.clone()], &out, output);
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "{output} cut at {cut}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let got = std::fs::read(&out).unwrap();
            assert!(
                got == full,
                "{output} cut at {cut}:\n{}",
                String::from_utf8_lossy(&got)
            );
        }
    }
}

#[test]
fn resume_against_another_input_is_a_clear_error() {
    let sample = common::sample_thread();
    let hostile = common::repo_data("report/hostile.jsonl");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let o = bin()
        .args(["score", "--quiet", "--out"])
        .arg(&out)
        .arg(&sample)
        .output()
        .unwrap();
    assert!(o.status.success());
    let before = std::fs::read(&out).unwrap();
    // Same number of comments or more, different ids: the last record does not match.
    let o = resume(&[hostile.clone(), sample.clone()], &out, "jsonl");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not the same input"), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), before, "nothing appended");
    // A file that is not our output is refused too.
    std::fs::write(&out, "hello\n").unwrap();
    let o = resume(std::slice::from_ref(&sample), &out, "jsonl");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("line 1"));
    // --resume without --out is refused by the argument parser.
    let o = bin()
        .args(["score", "--resume"])
        .arg(&sample)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--out"));
}

#[test]
fn out_naming_an_input_file_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("thread.txt");
    let sample = common::sample_thread();
    std::fs::copy(&sample, &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    for resume in [false, true] {
        let mut cmd = bin();
        cmd.args(["score", "--out"]).arg(&input);
        if resume {
            cmd.arg("--resume");
        }
        let o = cmd
            .arg(dir.path().join(".").join("thread.txt"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("is also an input file"), "{err}");
        assert_eq!(std::fs::read(&input).unwrap(), before);
    }
}
