//! JSON helpers shared by the JSON readers (Reddit, HN, Commento, remark42, Isso, AS2):
//! errors with positions, field access, NDJSON lines and grouping.

use crate::error::{line_col, Error, Result};
use crate::formats::{bytes_to_string, Input};
use crate::thread::{Comment, Thread, ThreadBuilder};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::io::{BufRead, Read};

mod locate;
pub(crate) use locate::{at_offset, at_value, value_start};

/// serde_json's nesting limit (arrays + objects) for the readers that use its default.
pub(crate) const DEPTH_LIMIT: usize = 128;

/// Nesting limit of [`parse_deep`]: a Reddit reply level is about 5 JSON levels, so this is
/// 20,000 reply levels.
pub(crate) const DEEP_LIMIT: usize = 100_000;

/// Parses a whole document nested up to [`DEEP_LIMIT`] levels. serde_json's own recursion
/// limit is lifted and the parser runs on a stack that grows on the heap (`serde_stacker`),
/// so deep input cannot overflow the thread's stack; deeper input is a positioned syntax
/// error. Callers must walk the value without recursion and drop it with [`dispose`].
pub(crate) fn parse_deep(format: &'static str, text: &str) -> Result<Value> {
    if let Some(at) = nesting_over(text.as_bytes(), DEEP_LIMIT) {
        let (line, col) = line_col(text.as_bytes(), at);
        let mut e = Error::syntax(
            format,
            format!("JSON nested deeper than {DEEP_LIMIT} levels"),
        )
        .at_line(line)
        .at_byte(at as u64);
        e.position_mut().column = Some(col);
        return Err(e);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let v = {
        use serde::Deserialize;
        let stacked = serde_stacker::Deserializer::new(&mut de);
        Value::deserialize(stacked).and_then(|v| de.end().map(|()| v))
    };
    v.map_err(|e| error(format, &e, text))
}

/// The offset of the first bracket that opens level `limit + 1`, outside strings.
fn nesting_over(b: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    for (i, &c) in b.iter().enumerate() {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Drops a value without recursion (dropping a deeply nested `Value` the usual way recurses
/// once per level).
pub(crate) fn dispose(v: Value) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(a) => stack.extend(a),
            Value::Object(o) => stack.extend(o.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

/// A serde_json error as our error, with line, column and byte offset in `text`.
pub(crate) fn error(format: &'static str, e: &serde_json::Error, text: &str) -> Error {
    let mut msg = e.to_string();
    if msg.contains("recursion limit") {
        msg = format!("JSON nested deeper than {DEPTH_LIMIT} levels (the parser's limit): {msg}");
    } else if e.is_eof() {
        msg = format!("truncated JSON: {msg}");
    }
    let mut err = Error::syntax(format, msg);
    if e.line() > 0 {
        let line = e.line();
        let start = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        let byte = if e.is_eof() {
            // serde_json points at the last byte; the input ends after it
            text.trim_end().len()
        } else {
            (start + e.column().saturating_sub(1)).min(text.len())
        };
        let (line, col) = line_col(text.as_bytes(), byte);
        err = err.at_line(line).at_byte(byte as u64);
        err.position_mut().column = Some(col);
    }
    err
}

/// A string field, or a number written as a string; `None` when empty or absent.
pub(crate) fn id(o: &Map<String, Value>, key: &str) -> Option<String> {
    match o.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A string field.
pub(crate) fn str<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    o.get(key).and_then(Value::as_str)
}

/// A time: Unix seconds (integer or float) or a string [`crate::formats::parse_time`] reads.
pub(crate) fn time(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::Number(n) => {
            let f = n.as_f64()?;
            if !f.is_finite() || f <= 0.0 || f >= 1.0e11 {
                return None;
            }
            let secs = f.trunc() as i64;
            let nanos = ((f - f.trunc()) * 1e9).round().clamp(0.0, 999_999_999.0) as u32;
            Utc.timestamp_opt(secs, nanos).single()
        }
        Value::String(s) => crate::formats::parse_time(s),
        _ => None,
    }
}

/// Checks a body against `max_comment_bytes` (called with the options' limit).
pub(crate) fn check_len(format: &'static str, body: &str, id: &str, max: usize) -> Result<()> {
    if body.len() > max {
        return Err(Error::limit("comment size in bytes", max as u64).for_comment(id));
    }
    let _ = format;
    Ok(())
}

/// Reads the first line of the input (up to `max_document_bytes`) and puts it back in
/// front of the reader, so the caller can look at it and still read everything.
pub(crate) fn peek_first_line(input: &mut Input) -> Result<Vec<u8>> {
    let mut first = Vec::new();
    let limit = input.options.max_document_bytes as u64;
    let mut reader = std::mem::replace(&mut input.reader, Box::new(std::io::empty()));
    let r = (&mut reader).take(limit + 1).read_until(b'\n', &mut first);
    let copy = first.clone();
    input.reader = Box::new(std::io::Cursor::new(first).chain(reader));
    r.map_err(|e| input.locate(Error::from(e)))?;
    let mut copy = copy;
    if copy.starts_with(b"\xEF\xBB\xBF") {
        copy.drain(..3);
    }
    Ok(copy)
}

/// Newline-delimited JSON, one value per line, read one line at a time.
pub(crate) struct Lines {
    input: Input,
    format: &'static str,
    line: u64,
    byte: u64,
    buf: Vec<u8>,
    done: bool,
}

impl Lines {
    /// Lines of `input`.
    pub(crate) fn new(input: Input, format: &'static str) -> Lines {
        Lines {
            input,
            format,
            line: 0,
            byte: 0,
            buf: Vec::new(),
            done: false,
        }
    }
    /// The input's options.
    pub(crate) fn options(&self) -> &crate::formats::ReadOptions {
        &self.input.options
    }
    /// Adds the file name to an error.
    pub(crate) fn locate(&self, e: Error) -> Error {
        self.input.locate(e)
    }
}

impl Iterator for Lines {
    /// (1-based line, byte offset of the line, value)
    type Item = Result<(u64, u64, Value)>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            self.buf.clear();
            let limit = self.input.options.max_document_bytes as u64;
            let n = match (&mut self.input.reader)
                .take(limit + 1)
                .read_until(b'\n', &mut self.buf)
            {
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    return Some(Err(self.input.locate(Error::from(e))));
                }
            };
            if n == 0 {
                self.done = true;
                return None;
            }
            self.line += 1;
            let start = self.byte;
            self.byte += n as u64;
            let line = self.line;
            if n as u64 > limit {
                self.done = true;
                return Some(Err(self.input.locate(
                    Error::limit("line size in bytes", limit)
                        .at_line(line)
                        .at_byte(start),
                )));
            }
            let mut bytes = std::mem::take(&mut self.buf);
            if line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
            let text = match bytes_to_string(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let b = e.position().byte.unwrap_or(0);
                    let e = Error::new(crate::error::ErrorKind::InvalidUtf8)
                        .at_line(line)
                        .at_byte(start + b);
                    return Some(Err(self.input.locate(e)));
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            return Some(match serde_json::from_str::<Value>(&text) {
                Ok(v) => Ok((line, start, v)),
                Err(e) => {
                    // positions within the line, moved to the whole input
                    let mut err = error(self.format, &e, &text);
                    let p = err.position_mut();
                    p.byte = Some(start + p.byte.unwrap_or(0));
                    p.line = Some(line);
                    Err(self.input.locate(err))
                }
            });
        }
    }
}

/// One comment of an NDJSON archive and the thread it belongs to.
pub(crate) struct Record {
    /// Thread id (empty = the input's default thread id).
    pub thread: String,
    /// Thread title, when the line carries one.
    pub title: Option<String>,
    /// Thread URL, when the line carries one.
    pub url: Option<String>,
    /// The site, forum or subreddit of the thread, when the line carries one.
    pub site: Option<String>,
    /// The comment.
    pub comment: Comment,
}

/// Converts one NDJSON value (at a 1-based line) into a record; `None` skips the line.
pub(crate) type Convert = Box<dyn FnMut(Value, u64) -> Result<Option<Record>> + Send>;

/// Streams NDJSON comments into threads, one thread per run of lines with the same
/// thread id. A thread id that comes back after another thread starts a new thread with
/// the same id and a note saying so (replies across the break become orphans).
pub(crate) struct Grouped {
    lines: Lines,
    format: &'static str,
    convert: Convert,
    current: Option<ThreadBuilder>,
    seen: HashSet<String>,
    default_id: String,
}

impl Grouped {
    /// Groups the records of `lines`.
    pub(crate) fn new(lines: Lines, format: &'static str, convert: Convert) -> Grouped {
        let default_id = lines.input.default_thread_id();
        Grouped {
            lines,
            format,
            convert,
            current: None,
            seen: HashSet::new(),
            default_id,
        }
    }
}

impl Iterator for Grouped {
    type Item = Result<Thread>;
    fn next(&mut self) -> Option<Result<Thread>> {
        loop {
            let Some(item) = self.lines.next() else {
                return self.current.take().map(|b| Ok(b.finish()));
            };
            let (line, byte, v) = match item {
                Ok(x) => x,
                Err(e) => return Some(Err(e)),
            };
            let rec = match (self.convert)(v, line) {
                Ok(Some(r)) => r,
                Ok(None) => continue,
                Err(e) => return Some(Err(self.lines.locate(e.at_line(line).at_byte(byte)))),
            };
            let mut c = rec.comment;
            let max = self.lines.options().max_comment_bytes;
            if let Err(e) = check_len(self.format, &c.raw, &c.id, max) {
                return Some(Err(self.lines.locate(e.at_line(line).at_byte(byte))));
            }
            if c.offset.is_none() {
                c.offset = Some(line);
                c.offset_is_line = true;
            }
            let tid = if rec.thread.is_empty() {
                self.default_id.clone()
            } else {
                rec.thread
            };
            let mut finished = None;
            if self.current.as_ref().map(|b| b.id() != tid).unwrap_or(true) {
                finished = self.current.take();
                let mut b = ThreadBuilder::new(tid.clone());
                if !self.seen.insert(tid.clone()) {
                    b.note(format!(
                        "thread {tid} continues here after other threads (line {line}); \
                         replies to its earlier part are orphans"
                    ));
                }
                self.current = Some(b);
            }
            if let Some(b) = self.current.as_mut() {
                if rec.title.is_some() {
                    b.title(rec.title);
                }
                if rec.url.is_some() {
                    b.url(rec.url);
                }
                if rec.site.is_some() {
                    b.site(rec.site);
                }
                let max = self.lines.options().max_comments_per_thread;
                if b.len() >= max {
                    let e = Error::limit("comments per thread", max as u64)
                        .at_line(line)
                        .for_comment(c.id.clone());
                    return Some(Err(self.lines.locate(e)));
                }
                b.push(c);
            }
            if let Some(f) = finished {
                return Some(Ok(f.finish()));
            }
        }
    }
}
