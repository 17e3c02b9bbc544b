//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// The project's `shared/` folder (fixtures, seeds): `$COMMENTGUARD_SHARED`, else
/// `../shared` beside the crate. `None` (and a visible SKIPPED line) when absent, as in a
/// user's clone.
pub fn shared(sub: &str, test: &str) -> Option<PathBuf> {
    let base = std::env::var_os("COMMENTGUARD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let p = base.join(sub);
    if p.exists() {
        Some(p)
    } else {
        skipped(
            test,
            &format!("{} not found (set COMMENTGUARD_SHARED)", p.display()),
        );
        None
    }
}

/// The labelled corpora: `$COMMENTGUARD_DATA`. `None` (and a visible SKIPPED line) when unset.
pub fn data(test: &str) -> Option<PathBuf> {
    match std::env::var_os("COMMENTGUARD_DATA") {
        Some(p) if PathBuf::from(&p).exists() => Some(PathBuf::from(p)),
        _ => {
            skipped(test, "COMMENTGUARD_DATA is not set to the corpora folder");
            None
        }
    }
}

/// Prints a SKIPPED line that the test harness does not swallow (it captures only the
/// print macros, not direct writes to stderr).
pub fn skipped(test: &str, why: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// A file in the repository's own test data (`tests/data`).
pub fn repo_data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The one thread of `text` read as `format` with the default options (panics otherwise).
pub fn one_thread_of(text: &str, format: commentguard::Format) -> commentguard::Thread {
    let mut v: Vec<commentguard::Thread> = commentguard::formats::read(
        std::io::Cursor::new(text.as_bytes().to_vec()),
        None,
        Some(format),
        commentguard::ReadOptions::default(),
    )
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap();
    assert_eq!(v.len(), 1);
    v.remove(0)
}
