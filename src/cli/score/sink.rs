//! Output sinks (JSONL, CSV, table; HTML in `html.rs`) and the batch writer under them.

use super::{OutputKind, Summary};
use anyhow::Result;
use commentguard::{Error, Label, Thread, Verdict, Visit};
use std::io::Write;
use std::time::{Duration, Instant};

/// A batch is written once it holds this many bytes.
const BATCH_BYTES: usize = 64 * 1024;
/// ... or once this much time has passed since the last write (checked between threads).
const BATCH_AGE: Duration = Duration::from_millis(200);

/// Collects whole records and writes them to the destination in batches, each batch with one
/// `write_all` of complete lines followed by a flush. Records are only ever appended whole to
/// the batch, so whatever reaches the destination ends at a record boundary (short of the
/// kernel cutting a write when the process is killed mid-call, which `--resume` repairs).
pub struct Batch {
    out: Box<dyn Write>,
    buf: Vec<u8>,
    last: Instant,
    records: u64,
}

impl Batch {
    /// A batch writer over `out` (which should not buffer on its own).
    pub fn new(out: Box<dyn Write>) -> Batch {
        Batch {
            out,
            buf: Vec::with_capacity(BATCH_BYTES * 2),
            last: Instant::now(),
            records: 0,
        }
    }
    /// Marks the end of one record; writes the batch when it is full.
    pub fn end_record(&mut self) -> Result<()> {
        self.records += 1;
        if self.buf.len() >= BATCH_BYTES {
            self.flush_batch()?;
        }
        Ok(())
    }
    /// Writes the batch if it is old enough (called between threads).
    pub fn tick(&mut self) -> Result<()> {
        if !self.buf.is_empty() && self.last.elapsed() >= BATCH_AGE {
            self.flush_batch()?;
        }
        Ok(())
    }
    /// Writes what the batch holds with one `write_all`, then flushes the destination.
    pub fn flush_batch(&mut self) -> Result<()> {
        if !self.buf.is_empty() {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        self.out.flush()?;
        self.last = Instant::now();
        Ok(())
    }
    /// Records ended so far.
    pub fn records(&self) -> u64 {
        self.records
    }
}

impl Write for Batch {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders records into a [`Batch`]. One call per thread (all its verdicts, in walk order) or
/// per error; `begin` and `end` frame the run.
pub trait Sink {
    /// The first line(s) of a fresh output (CSV's header), also used to check a resumed file.
    fn header(&self) -> Result<Option<Vec<u8>>> {
        Ok(None)
    }
    /// Starts the output.
    fn begin(&mut self, w: &mut Batch, _s: &Summary) -> Result<()> {
        if let Some(h) = self.header()? {
            w.write_all(&h)?;
        }
        Ok(())
    }
    /// One thread: `verdicts[k]` is the verdict of the k-th comment in walk order; the first
    /// `from` are already in the output (a resumed run) and are not written again. By default
    /// one [`comment`](Self::comment) record per remaining comment.
    fn thread(
        &mut self,
        w: &mut Batch,
        t: &Thread,
        verdicts: &[Verdict],
        from: usize,
    ) -> Result<()> {
        for (visit, v) in t.walk().zip(verdicts).skip(from) {
            self.comment(w, t, &visit, v)?;
            w.end_record()?;
        }
        Ok(())
    }
    /// One comment's record (for sinks that keep the default [`thread`](Self::thread)).
    fn comment(&mut self, _w: &mut Batch, _t: &Thread, _c: &Visit, _v: &Verdict) -> Result<()> {
        Ok(())
    }
    /// One error record (a file or comment that could not be read).
    fn error(&mut self, w: &mut Batch, e: &Error) -> Result<()>;
    /// Ends the output.
    fn end(&mut self, _w: &mut Batch, _s: &Summary) -> Result<()> {
        Ok(())
    }
}

/// The sink for an output kind.
pub fn new(kind: OutputKind) -> Box<dyn Sink> {
    match kind {
        OutputKind::Jsonl => Box::new(Jsonl),
        OutputKind::Csv => Box::new(Csv),
        OutputKind::Table => Box::new(Table),
        OutputKind::Html => Box::new(super::html::Html::default()),
    }
}

/// One JSONL record, fields in the documented order.
#[derive(serde::Serialize)]
struct Record<'a> {
    thread: &'a str,
    id: &'a str,
    parent: Option<&'a str>,
    depth: u32,
    #[serde(flatten)]
    verdict: &'a Verdict,
}

struct Jsonl;

impl Sink for Jsonl {
    fn comment(&mut self, w: &mut Batch, t: &Thread, visit: &Visit, v: &Verdict) -> Result<()> {
        let rec = Record {
            thread: &t.id,
            id: &visit.comment.id,
            parent: visit.parent.map(|p| t.comment(p).id.as_str()),
            depth: visit.depth,
            verdict: v,
        };
        serde_json::to_writer(&mut *w, &rec)?;
        w.write_all(b"\n")?;
        Ok(())
    }
    fn error(&mut self, w: &mut Batch, e: &Error) -> Result<()> {
        crate::cli::write_error_json(&mut *w, e)?;
        w.end_record()
    }
}

/// CSV columns: thread, id, parent, depth, action, flags, target, one score per label,
/// reasons, error.
pub fn csv_header() -> Vec<&'static str> {
    let mut h = vec![
        "thread", "id", "parent", "depth", "action", "flags", "target",
    ];
    h.extend(Label::ALL.iter().map(|l| l.name()));
    h.push("reasons");
    h.push("error");
    h
}

/// Line breaks inside a field become spaces, so that every CSV record is one line (which is
/// what lets `--resume` count records by lines and spot a cut one).
pub fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// One CSV row, quoted as needed, with its line end.
fn csv_line<S: AsRef<str>>(row: &[S]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(row.iter().map(|f| one_line(f.as_ref())))?;
    w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}

struct Csv;

impl Sink for Csv {
    fn header(&self) -> Result<Option<Vec<u8>>> {
        Ok(Some(csv_line(&csv_header())?))
    }
    fn comment(&mut self, w: &mut Batch, t: &Thread, visit: &Visit, v: &Verdict) -> Result<()> {
        let c = visit.comment;
        let parent = visit.parent.map(|p| t.comment(p).id.as_str());
        let mut row = vec![
            t.id.clone(),
            c.id.clone(),
            parent.unwrap_or("").to_string(),
            visit.depth.to_string(),
            v.action.as_str().to_string(),
            v.flags
                .iter()
                .map(|l| l.name())
                .collect::<Vec<_>>()
                .join(";"),
            v.target.clone().unwrap_or_default(),
        ];
        row.extend(Label::ALL.iter().map(|l| format!("{:.4}", v.score(*l))));
        row.push(
            v.reasons
                .iter()
                .map(|r| format!("{}:{}", r.label, r.text))
                .collect::<Vec<_>>()
                .join("; "),
        );
        row.push(String::new());
        w.write_all(&csv_line(&row)?)?;
        Ok(())
    }
    fn error(&mut self, w: &mut Batch, e: &Error) -> Result<()> {
        let p = e.position();
        let mut row = vec![
            p.thread_id.clone().unwrap_or_default(),
            p.comment_id.clone().unwrap_or_default(),
        ];
        row.resize(csv_header().len() - 1, String::new());
        row.push(e.to_string());
        w.write_all(&csv_line(&row)?)?;
        w.end_record()
    }
}

struct Table;

impl Sink for Table {
    fn comment(&mut self, w: &mut Batch, _t: &Thread, visit: &Visit, v: &Verdict) -> Result<()> {
        let c = visit.comment;
        let indent = "  ".repeat(visit.depth.saturating_sub(1) as usize);
        let first: String = c.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let first: String = first.chars().take(90).collect();
        let flags = v
            .flags
            .iter()
            .map(|l| l.name())
            .collect::<Vec<_>>()
            .join(",");
        writeln!(
            w,
            "{indent}#{} [{}] {flags} {first}",
            c.id,
            v.action.as_str()
        )?;
        for r in &v.reasons {
            writeln!(
                w,
                "{indent}    {} ← {:?} ({:+.2})",
                r.label, r.text, r.weight
            )?;
        }
        Ok(())
    }
    fn error(&mut self, w: &mut Batch, e: &Error) -> Result<()> {
        // The table is for reading: errors go to standard error, after what came before.
        w.flush_batch()?;
        eprintln!("commentguard: {e}");
        Ok(())
    }
}
