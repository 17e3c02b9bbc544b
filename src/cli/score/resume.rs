//! `--resume`: what an earlier run already wrote, and skipping the input it covers.
//!
//! Every record of a JSONL or CSV output is one line (CSV fields never hold line breaks), and
//! records come in a fixed order: the input's comments in walk order, with an error record
//! where the input could not be read. Reading the same input again gives the same sequence,
//! so the first N items of it are the N records already written. The last of them is checked
//! against the input (thread and comment id) before anything is appended.

use super::sink::one_line;
use super::OutputKind;
use anyhow::{bail, Context as _, Result};
use commentguard::{Error, Thread};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// What identifies a record: error or comment, thread id, comment id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    error: bool,
    thread: Option<String>,
    id: Option<String>,
}

impl Key {
    fn new(error: bool, thread: Option<&str>, id: Option<&str>) -> Key {
        // Empty and missing are the same; CSV has no line breaks in fields.
        let norm = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(one_line);
        Key {
            error,
            thread: norm(thread),
            id: norm(id),
        }
    }
    fn describe(&self) -> String {
        format!(
            "{} thread {:?}, id {:?}",
            if self.error {
                "error record for"
            } else {
                "comment"
            },
            self.thread.as_deref().unwrap_or(""),
            self.id.as_deref().unwrap_or("")
        )
    }
}

/// The state of an output file to continue.
#[derive(Debug, Default)]
pub struct Done {
    /// Complete records already in the file (the CSV header not counted).
    pub records: u64,
    /// The file already starts with its header (or needs none): do not write it again.
    pub header: bool,
    /// The last complete record.
    pub last: Option<Key>,
    /// Bytes of a partial last line that were cut off.
    pub dropped: u64,
    /// The file, for messages.
    pub path: Option<PathBuf>,
}

/// Opens `path` to continue it: counts its complete records, cuts a partial last line off
/// the file, and returns the file positioned at its end. A missing file is a fresh start.
pub fn open(path: &Path, kind: OutputKind, header: &Option<Vec<u8>>) -> Result<(File, Done)> {
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("opening {} to resume", path.display()))?;
    let mut done = Done {
        path: Some(path.to_path_buf()),
        ..Done::default()
    };
    let mut r = BufReader::with_capacity(1 << 16, &mut f);
    let (mut line, mut last) = (Vec::new(), Vec::new());
    let (mut complete_end, mut lines) = (0u64, 0u64);
    loop {
        line.clear();
        let n = r
            .read_until(b'\n', &mut line)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        if line.last() != Some(&b'\n') {
            done.dropped = n as u64;
            break;
        }
        if lines == 0 {
            if let Some(h) = header {
                if line != *h {
                    bail!(
                        "{}: the first line is not this command's CSV header; is it a \
                         commentguard `--output csv` file?",
                        path.display()
                    );
                }
            }
        }
        complete_end += n as u64;
        lines += 1;
        std::mem::swap(&mut line, &mut last);
    }
    drop(r);
    if done.dropped > 0 {
        f.set_len(complete_end)
            .with_context(|| format!("cutting the partial last line of {}", path.display()))?;
    }
    f.seek(SeekFrom::End(0))?;
    let has_header = header.is_some();
    done.header = !has_header || lines > 0;
    done.records = if has_header {
        lines.saturating_sub(1)
    } else {
        lines
    };
    if done.records > 0 {
        let text = String::from_utf8_lossy(&last);
        done.last = Some(
            parse_key(text.trim_end_matches(['\n', '\r']), kind).with_context(|| {
                format!(
                    "{}: line {lines} is not a commentguard {} record",
                    path.display(),
                    if has_header { "csv" } else { "jsonl" }
                )
            })?,
        );
    }
    Ok((f, done))
}

/// The key of one output line.
fn parse_key(line: &str, kind: OutputKind) -> Result<Key> {
    match kind {
        OutputKind::Csv => {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(line.as_bytes());
            let Some(rec) = r.records().next() else {
                bail!("empty line");
            };
            let rec = rec?;
            let n = super::sink::csv_header().len();
            if rec.len() != n {
                bail!("{} fields, expected {n}", rec.len());
            }
            let error = !rec[n - 1].is_empty();
            Ok(Key::new(error, Some(&rec[0]), Some(&rec[1])))
        }
        _ => {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let Some(o) = v.as_object() else {
                bail!("not a JSON object");
            };
            let error = o.contains_key("error");
            if !error && !o.contains_key("scores") {
                bail!("neither a verdict nor an error record");
            }
            let s = |k: &str| o.get(k).and_then(|v| v.as_str());
            Ok(Key::new(error, s("thread"), s("id")))
        }
    }
}

/// Skips the input items (comments in walk order, and errors) already in the output.
pub struct Skip {
    remaining: u64,
    total: u64,
    last: Option<Key>,
    path: String,
}

impl Skip {
    /// Nothing to skip unless `done` holds records.
    pub fn new(done: &Done) -> Skip {
        Skip {
            remaining: done.records,
            total: done.records,
            last: done.last.clone(),
            path: done
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        }
    }
    /// Counts one input item; checks the last skipped one against the output's last record.
    fn one(&mut self, key: impl FnOnce() -> Key) -> Result<bool> {
        if self.remaining == 0 {
            return Ok(false);
        }
        self.remaining -= 1;
        if self.remaining == 0 {
            let here = key();
            if let Some(last) = &self.last {
                if *last != here {
                    bail!(
                        "--resume: {} ends with record {} ({}), but item {} of the input is \
                         the {}: not the same input, format or order; start over without \
                         --resume",
                        self.path,
                        self.total,
                        last.describe(),
                        self.total,
                        here.describe()
                    );
                }
            }
        }
        Ok(true)
    }
    /// An error item: `true` when its record is already in the output.
    pub fn error(&mut self, e: &Error) -> Result<bool> {
        let p = e.position();
        self.one(|| Key::new(true, p.thread_id.as_deref(), p.comment_id.as_deref()))
    }
    /// A thread: how many of its comments (in walk order) are already in the output, and how
    /// many it has.
    pub fn thread(&mut self, t: &Thread) -> Result<(usize, usize)> {
        if self.remaining == 0 {
            return Ok((0, t.len()));
        }
        let mut from = 0;
        let mut total = 0;
        for v in t.walk() {
            total += 1;
            if self.one(|| Key::new(false, Some(&t.id), Some(&v.comment.id)))? {
                from += 1;
            }
        }
        Ok((from, total))
    }
    /// At the end of the input: every record of the output must have been matched.
    pub fn finish(&self) -> Result<()> {
        if self.remaining > 0 {
            bail!(
                "--resume: {} holds {} records but the input gives only {}: not the same input?",
                self.path,
                self.total,
                self.total - self.remaining
            );
        }
        Ok(())
    }
}
