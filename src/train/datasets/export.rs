//! Checksums of the corpora (for the model card) and the export of the exact split rows
//! (for the scikit-learn baseline in `scripts/baseline/`).

use super::{load, Example, Split, DATASETS};
use crate::model::Label;
use crate::{Error, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Lower-case hex sha256 of bytes in memory.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-case hex sha256 of a file, read in blocks.
pub(crate) fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(buf.get(..n).unwrap_or(&[]));
    }
    Ok(hex(&h.finalize()))
}

/// Every distinct file of [`DATASETS`], in table order, with its expected sha256.
fn expected() -> Vec<(&'static str, &'static str)> {
    let mut seen = Vec::new();
    for d in DATASETS {
        for &(f, sha) in d.files {
            if !seen.iter().any(|(g, _)| *g == f) {
                seen.push((f, sha));
            }
        }
    }
    seen
}

/// `(file relative to root, sha256)` for every corpus file an adapter reads that is present
/// under `root` (absent files are left out; see [`verify_checksums`]).
pub fn checksums(root: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (f, _) in expected() {
        let path = root.join(f);
        if !path.exists() {
            continue;
        }
        let sha = sha256_file(&path).map_err(|e| Error::from(e).in_file(&path))?;
        out.push((f.to_string(), sha));
    }
    Ok(out)
}

/// A corpus file whose content is not the one the adapters were written for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// File, relative to the data root.
    pub file: String,
    /// The sha256 in the manifest.
    pub expected: String,
    /// The file's sha256, or `None` when the file is missing.
    pub actual: Option<String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.actual {
            None => write!(f, "{}: missing (expected sha256 {})", self.file, self.expected),
            Some(a) => write!(
                f,
                "{}: sha256 {} but the manifest says {}; the counts and splits in datasets/README.md do not hold for this copy",
                self.file, a, self.expected
            ),
        }
    }
}

/// Checks every file of [`DATASETS`] under `root` against the manifest's sha256; returns the
/// mismatches (empty = all present and identical).
pub fn verify_checksums(root: &Path) -> Result<Vec<Mismatch>> {
    let mut out = Vec::new();
    for (f, sha) in expected() {
        let path = root.join(f);
        let actual = match sha256_file(&path) {
            Ok(a) => Some(a),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::from(e).in_file(&path)),
        };
        if actual.as_deref() != Some(sha) {
            out.push(Mismatch {
                file: f.to_string(),
                expected: sha.to_string(),
                actual,
            });
        }
    }
    Ok(out)
}

/// Writes one CSV per (data set, split) present in `examples`, named
/// `<dataset>.<split>.csv`, with columns `text` and one per label in [`Label::ALL`] order
/// (`1`, `0`, or empty = unknown). Rows keep their order. Returns the files written.
pub fn write_split_csvs(examples: &[Example], out_dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out_dir).map_err(|e| Error::from(e).in_file(out_dir))?;
    let mut groups: BTreeMap<(&str, Split), Vec<&Example>> = BTreeMap::new();
    for e in examples {
        groups.entry((e.dataset, e.split)).or_default().push(e);
    }
    let mut written = Vec::new();
    for ((dataset, split), rows) in groups {
        let path = out_dir.join(format!("{dataset}.{}.csv", split.name()));
        let werr = |e: csv::Error| Error::dataset(dataset, e.to_string()).in_file(&path);
        let mut w = csv::Writer::from_path(&path).map_err(werr)?;
        let mut header = vec!["text"];
        header.extend(Label::ALL.iter().map(|l| l.name()));
        w.write_record(&header).map_err(werr)?;
        for e in rows {
            let mut rec: Vec<&str> = Vec::with_capacity(1 + Label::COUNT);
            rec.push(&e.text);
            for l in e.labels {
                rec.push(match l {
                    Some(true) => "1",
                    Some(false) => "0",
                    None => "",
                });
            }
            w.write_record(&rec).map_err(werr)?;
        }
        w.flush().map_err(|e| Error::from(e).in_file(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// Loads every data set of [`DATASETS`] (train and eval-only) from `root` and writes its
/// splits with [`write_split_csvs`]. This is what `scripts/baseline/run.sh` trains on, so
/// the baseline sees exactly our rows.
pub fn export_splits(root: &Path, out_dir: &Path) -> Result<Vec<PathBuf>> {
    let mut all = Vec::new();
    for d in DATASETS {
        all.extend(load(d.name, root)?);
    }
    write_split_csvs(&all, out_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_unknown_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Example::new("x", "a, \"b\"", Split::Dev);
        a.set(Label::Toxic, true);
        a.set(Label::Slur, false);
        let b = Example::new("x", "c", Split::Train);
        let files = write_split_csvs(&[a, b], dir.path()).unwrap();
        assert_eq!(files.len(), 2);
        let dev = std::fs::read_to_string(dir.path().join("x.dev.csv")).unwrap();
        assert_eq!(
            dev,
            "text,toxic,insult,threat,obscene,identity_attack,dehumanising,slur\n\"a, \"\"b\"\"\",1,,,,,,0\n"
        );
    }

    #[test]
    fn verify_reports_missing() {
        let dir = tempfile::tempdir().unwrap();
        let m = verify_checksums(dir.path()).unwrap();
        assert_eq!(m.len(), expected().len());
        assert!(m.iter().all(|x| x.actual.is_none()));
        assert!(m[0].to_string().contains("missing"));
        assert!(checksums(dir.path()).unwrap().is_empty());
    }
}
