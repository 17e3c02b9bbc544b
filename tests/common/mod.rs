//! Helpers shared by the integration tests.
#![allow(dead_code)]

use commentguard::{Format, ReadOptions, Thread};
use std::io::Write;
use std::path::PathBuf;

pub mod lcg;

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

/// The example thread shipped with the crate (`examples/data/sample-thread.txt`).
pub fn sample_thread() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/sample-thread.txt")
}

/// Reads the in-memory document `doc` as `format` with `options`.
pub fn read_doc(
    doc: &[u8],
    format: Format,
    options: ReadOptions,
) -> commentguard::Result<commentguard::formats::Threads> {
    commentguard::formats::read(
        std::io::Cursor::new(doc.to_vec()),
        None,
        Some(format),
        options,
    )
}

/// Every thread of `doc` read as `format` with `options` (panics on any error).
pub fn threads_of(doc: &[u8], format: Format, options: ReadOptions) -> Vec<Thread> {
    read_doc(doc, format, options)
        .unwrap()
        .collect::<commentguard::Result<_>>()
        .unwrap()
}

/// The one thread of `text` read as `format` with the default options (panics otherwise).
pub fn one_thread_of(text: &str, format: Format) -> Thread {
    let mut v = threads_of(text.as_bytes(), format, ReadOptions::default());
    assert_eq!(v.len(), 1);
    v.remove(0)
}
