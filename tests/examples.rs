//! Runs the examples (cargo test builds them before the tests run).

use std::path::PathBuf;
use std::process::Command;

/// Candidate binaries of an example, newest first: `target/<profile>/examples/<name>` and the
/// `<name>-<hash>` files that `cargo test` builds there.
fn candidates(name: &str) -> Vec<PathBuf> {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap().join("examples");
    let mut v: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let f = e.file_name().to_string_lossy().into_owned();
            (f == name || f.starts_with(&format!("{name}-"))) && !f.contains('.')
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.0));
    assert!(
        !v.is_empty(),
        "example {name} was not built in {} (run the whole `cargo test`)",
        dir.display()
    );
    v.into_iter().map(|x| x.1).collect()
}

/// Runs the example; skips binaries that are test harnesses (`cargo test --examples` builds
/// those under the same names).
fn output(name: &str, args: &[&str]) -> std::process::Output {
    for p in candidates(name) {
        let out = Command::new(&p).args(args).output().unwrap();
        if String::from_utf8_lossy(&out.stdout).contains("running 0 tests") {
            continue;
        }
        return out;
    }
    panic!("only test-harness builds of example {name} were found");
}

fn run(name: &str, args: &[&str]) -> String {
    let out = output(name, args);
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn comment_hook_publishes_and_holds() {
    assert_eq!(
        run("comment_hook", &["Thanks for this, well written."]).trim(),
        "publish"
    );
    let out = run(
        "comment_hook",
        &["These immigrants are vermin and breed like rats."],
    );
    assert!(
        out.starts_with("reject") || out.starts_with("hold"),
        "{out}"
    );
    assert!(out.contains("vermin"), "{out}");
}

#[test]
fn score_archive_reads_the_sample() {
    let out = output("score_archive", &[]);
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("9 comments"), "{err}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("\"id\":\"2\""), "{stdout}");
}

#[test]
fn retrain_trains_saves_and_scores() {
    let out = run("retrain", &[]);
    assert!(out.contains("wrote"), "{out}");
    assert!(out.contains("Insult") || out.contains("Toxic"), "{out}");
}
