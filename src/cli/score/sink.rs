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
    /// Appends one whole record rendered elsewhere (see [`Sink::render`]) and ends it.
    pub fn record(&mut self, bytes: &[u8]) -> Result<()> {
        self.buf.extend_from_slice(bytes);
        self.end_record()
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

/// Renders one comment's record, line end included, into a buffer: what a sink without state
/// writes for a comment, callable from any thread (see [`Sink::render`]).
pub type Render = fn(&mut Vec<u8>, &Thread, &Visit, &Verdict) -> Result<()>;

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
    /// For a sink whose comment records depend on nothing but the comment (JSONL, CSV): the
    /// function that renders one, so that records can be rendered on the workers that score
    /// them, in parallel, and only copied into the batch in walk order. `None` (the default):
    /// records go through [`thread`](Self::thread).
    fn render(&self) -> Option<Render> {
        None
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

/// One JSONL record, fields in the documented order, as serde would write it
/// (`{"thread","id","parent","depth"}` then the verdict's own fields); the reference for
/// [`jsonl_record`] (tests).
#[cfg(test)]
#[derive(serde::Serialize)]
struct Record<'a> {
    thread: &'a str,
    id: &'a str,
    parent: Option<&'a str>,
    depth: u32,
    #[serde(flatten)]
    verdict: &'a Verdict,
}

/// Appends one JSONL record (without its line end) to `out`, byte for byte what
/// `serde_json` writes for it: the same string escaping and number formatting (serde_json's
/// own formatter), in the field order of the documented record. Written field by field
/// rather than through serde's flattened map, which cost about twice as much (callgrind).
fn jsonl_record(
    out: &mut Vec<u8>,
    thread: &str,
    id: &str,
    parent: Option<&str>,
    depth: u32,
    v: &Verdict,
) -> Result<()> {
    use serde_json::ser::{CompactFormatter, Formatter};
    let mut f = CompactFormatter;
    out.extend_from_slice(b"{\"thread\":");
    json_str(out, thread)?;
    out.extend_from_slice(b",\"id\":");
    json_str(out, id)?;
    out.extend_from_slice(b",\"parent\":");
    match parent {
        Some(p) => json_str(out, p)?,
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"depth\":");
    f.write_u32(out, depth)?;
    out.extend_from_slice(b",\"scores\":{");
    for (k, l) in Label::ALL.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(l.name().as_bytes());
        out.extend_from_slice(b"\":");
        score4(out, v.scores[l.index()])?;
    }
    out.extend_from_slice(b"},\"flags\":[");
    for (k, l) in v.flags.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(l.name().as_bytes());
        out.push(b'"');
    }
    out.extend_from_slice(b"],\"action\":\"");
    out.extend_from_slice(v.action.as_str().as_bytes());
    out.extend_from_slice(b"\",\"target\":");
    match &v.target {
        Some(t) => json_str(out, t)?,
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"reasons\":[");
    for (k, r) in v.reasons.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"label\":\"");
        out.extend_from_slice(r.label.name().as_bytes());
        out.extend_from_slice(b"\",\"start\":");
        f.write_u64(out, r.start as u64)?;
        out.extend_from_slice(b",\"end\":");
        f.write_u64(out, r.end as u64)?;
        out.extend_from_slice(b",\"text\":");
        json_str(out, &r.text)?;
        out.extend_from_slice(b",\"weight\":");
        if r.weight.is_finite() {
            f.write_f32(out, r.weight)?;
        } else {
            out.extend_from_slice(b"null");
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

/// A score as `Verdict`'s serialisation writes it: rounded to four decimals, then written by
/// serde_json's formatter (`null` when not finite). A probability in [0, 1] rounds to k/10^4,
/// whose shortest form is k's digits after "0." without trailing zeros ("0.0", "0.25",
/// "1.0"); those are written directly, which the test `score4_is_what_serde_writes` checks
/// for every k. Anything else goes through the formatter.
fn score4(out: &mut Vec<u8>, s: f32) -> Result<()> {
    use serde_json::ser::{CompactFormatter, Formatter};
    let r = (s as f64 * 1e4).round();
    // -0.0 is left to the formatter ("-0.0").
    if (0.0..=1e4).contains(&r) && r.is_sign_positive() {
        let k = r as u32;
        if k == 10_000 {
            out.extend_from_slice(b"1.0");
            return Ok(());
        }
        let frac = [
            b'0' + (k / 1000) as u8,
            b'0' + (k / 100 % 10) as u8,
            b'0' + (k / 10 % 10) as u8,
            b'0' + (k % 10) as u8,
        ];
        let mut n = 4;
        while n > 1 && frac[n - 1] == b'0' {
            n -= 1;
        }
        out.extend_from_slice(b"0.");
        out.extend_from_slice(&frac[..n]);
        return Ok(());
    }
    let p = r / 1e4;
    if p.is_finite() {
        CompactFormatter.write_f64(out, p)?;
    } else {
        out.extend_from_slice(b"null");
    }
    Ok(())
}

/// A JSON string, escaped by serde_json.
fn json_str(out: &mut Vec<u8>, s: &str) -> Result<()> {
    serde_json::to_writer(&mut *out, s)?;
    Ok(())
}

struct Jsonl;

/// One comment's JSONL record with its line end ([`Render`]).
fn jsonl_comment(out: &mut Vec<u8>, t: &Thread, visit: &Visit, v: &Verdict) -> Result<()> {
    let parent = visit.parent.map(|p| t.comment(p).id.as_str());
    jsonl_record(out, &t.id, &visit.comment.id, parent, visit.depth, v)?;
    out.push(b'\n');
    Ok(())
}

impl Sink for Jsonl {
    fn render(&self) -> Option<Render> {
        Some(jsonl_comment)
    }
    fn comment(&mut self, w: &mut Batch, t: &Thread, visit: &Visit, v: &Verdict) -> Result<()> {
        jsonl_comment(&mut w.buf, t, visit, v)
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

/// One comment's CSV row with its line end ([`Render`]).
fn csv_comment(out: &mut Vec<u8>, t: &Thread, visit: &Visit, v: &Verdict) -> Result<()> {
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
    out.extend_from_slice(&csv_line(&row)?);
    Ok(())
}

impl Sink for Csv {
    fn header(&self) -> Result<Option<Vec<u8>>> {
        Ok(Some(csv_line(&csv_header())?))
    }
    fn render(&self) -> Option<Render> {
        Some(csv_comment)
    }
    fn comment(&mut self, w: &mut Batch, t: &Thread, visit: &Visit, v: &Verdict) -> Result<()> {
        csv_comment(&mut w.buf, t, visit, v)
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

#[cfg(test)]
mod tests {
    use super::{jsonl_record, Record};
    use commentguard::Moderator;

    /// Every score that rounds into [0, 1] (each k/10^4, and values just around each), plus
    /// out-of-range and non-finite ones, is written as serde_json writes the rounded value.
    #[test]
    fn score4_is_what_serde_writes() {
        let want = |s: f32| {
            let p = (s as f64 * 1e4).round() / 1e4;
            if p.is_finite() {
                serde_json::to_string(&p).unwrap()
            } else {
                "null".to_string()
            }
        };
        let mut cases: Vec<f32> = vec![
            -0.0,
            -1e-9,
            -0.00004,
            -0.00006,
            1.00004,
            1.00006,
            2.5,
            -3.0,
            1e30,
            -1e30,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MIN_POSITIVE,
            1e-45,
        ];
        for k in 0..=10_000u32 {
            let x = k as f32 / 1e4;
            let (up, down) = (
                f32::from_bits(x.to_bits() + 1),
                f32::from_bits(x.to_bits().max(1) - 1),
            );
            cases.extend([x, up, down, x + 0.00004, x - 0.00004]);
        }
        for s in cases {
            let mut got = Vec::new();
            super::score4(&mut got, s).unwrap();
            assert_eq!(String::from_utf8(got).unwrap(), want(s), "{s:e}");
        }
    }

    #[test]
    fn jsonl_records_are_what_serde_writes() {
        let m = Moderator::default_model().unwrap();
        let texts = [
            "Thanks for the post, very helpful.",
            "you are a disgusting vermin, go back where you came from",
            "those rats should be exterminated, f*cking n1ggers",
            "Calling people \"vermin\" is dehumanising.",
            "émoji 🐀🐀 and \\ backslash \u{1} control \t tab",
            "",
        ];
        let mut flagged = 0;
        for (k, text) in texts.iter().enumerate() {
            let v = m.score(text);
            flagged += usize::from(!v.reasons.is_empty());
            for (thread, id, parent) in [
                ("t.txt", "1", None),
                ("a \"quoted\"\nthread ☃", "c\\2", Some("p\u{7f}")),
            ] {
                let mut got = Vec::new();
                jsonl_record(&mut got, thread, id, parent, k as u32 + 1, &v).unwrap();
                let want = serde_json::to_vec(&Record {
                    thread,
                    id,
                    parent,
                    depth: k as u32 + 1,
                    verdict: &v,
                })
                .unwrap();
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    String::from_utf8(want).unwrap()
                );
            }
        }
        assert!(flagged >= 2, "{flagged}");
    }
}
