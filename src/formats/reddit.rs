//! Reader for Reddit comment JSON.
//!
//! Shapes read:
//! - a comment page (`/comments/{id}`): `[Listing{t3}, Listing{t1…, more}]`, replies nested
//!   in each t1's `replies` (`""` when there are none, else a Listing);
//! - the flat `/api/morechildren` answer `{"json":{"errors":[],"data":{"things":[…]}}}`,
//!   rebuilt from `parent_id`;
//! - a single Listing or thing;
//! - Pushshift-style NDJSON archives: one t1-like object per line (`link_id`, `parent_id`,
//!   `body`), streamed line by line and grouped into threads by consecutive `link_id`.
//!
//! Ids are the bare ids (`t1_`/`t3_` stripped); a parent `t3_…` means top level. `more` stubs
//! are never comments: their `count` is added to the parent's `missing_children` (or the
//! thread's missing top level). A "continue this thread" stub (`id` `_`, `count` 0) still
//! says at least one reply exists, so it counts as 1.
//!
//! The JSON tree is walked with an explicit stack. Parsing uses serde_json, whose parser
//! stops at 128 levels of nesting ([`json::DEPTH_LIMIT`]): a document nested deeper is a
//! syntax error naming that limit (a comment page spends about 5 levels per reply level, so
//! about 24 reply levels fit; the API itself stops at 10).

use super::html::{text_body, Newlines};
use super::{Format, Input, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, Markup, Status, Thread, ThreadBuilder};
use serde_json::{Map, Value};
use std::collections::HashMap;

const FORMAT: &str = "reddit";

/// Does the start of the input look like Reddit JSON?
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = super::trim_head(head);
    if !(h.starts_with(b"[") || h.starts_with(b"{")) {
        return false;
    }
    let has = |s: &str| memchr::memmem::find(h, s.as_bytes()).is_some();
    let kind = has("\"kind\"")
        && (has("\"Listing\"") || has("\"t1\"") || has("\"t3\"") || has("\"more\""));
    let things = h.starts_with(b"{") && has("\"json\"") && has("\"things\"");
    let pushshift = has("\"link_id\"") && has("\"parent_id\"");
    kind || things || pushshift
}

/// Reads the input into threads.
pub(crate) fn read(mut input: Input) -> Threads {
    let first = match json::peek_first_line(&mut input) {
        Ok(f) => f,
        Err(e) => return Threads::from_result(Format::Reddit, Err(e)),
    };
    if is_ndjson_line(&first) {
        let lines = json::Lines::new(input, FORMAT);
        return Threads::new(
            Format::Reddit,
            json::Grouped::new(lines, FORMAT, Box::new(ndjson_record)),
        );
    }
    let r = input
        .read_string(FORMAT)
        .and_then(|text| read_document(&text, &input.options).map_err(|e| input.locate(e)));
    Threads::from_result(Format::Reddit, r)
}

/// A first line that is a whole t1-like object (not a Listing or `{"json":…}`) means NDJSON.
fn is_ndjson_line(line: &[u8]) -> bool {
    if super::trim_head(line).starts_with(b"[") {
        return false; // a comment page
    }
    let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(line) else {
        return false;
    };
    if o.contains_key("json") {
        return false;
    }
    match o.get("kind").and_then(Value::as_str) {
        Some("t1") => true,
        Some(_) => false,
        None => o.contains_key("link_id") || o.contains_key("parent_id"),
    }
}

fn ndjson_record(v: Value, line: u64) -> Result<Option<json::Record>> {
    let data = match v.get("kind").and_then(Value::as_str) {
        Some("t1") => v.get("data").cloned().unwrap_or(Value::Null),
        Some(_) => return Ok(None),
        None => v,
    };
    let Value::Object(data) = data else {
        return Err(Error::syntax(FORMAT, "a line is not a JSON object").at_line(line));
    };
    let mut c = t1_comment(&data, None)?;
    c.offset = Some(line);
    c.offset_is_line = true;
    let thread = data
        .get("link_id")
        .and_then(Value::as_str)
        .map(|s| bare(s).to_string())
        .unwrap_or_default();
    Ok(Some(json::Record {
        thread,
        title: data
            .get("link_title")
            .and_then(Value::as_str)
            .map(str::to_string),
        url: data
            .get("link_permalink")
            .and_then(Value::as_str)
            .map(str::to_string),
        comment: c,
    }))
}

/// Strips a `t1_`/`t3_`/... type prefix.
fn bare(full: &str) -> &str {
    match full.as_bytes() {
        [b't', d, b'_', ..] if d.is_ascii_digit() => &full[3..],
        _ => full,
    }
}

/// The declared parent of a t1/more: `None` for `t3_…` (top level).
fn parent_of(full: &str) -> Option<String> {
    if full.starts_with("t3_") || full.is_empty() {
        None
    } else {
        Some(bare(full).to_string())
    }
}

/// Undoes Reddit's legacy escaping (`&lt;`, `&gt;`, `&amp;`) applied without `raw_json=1`.
fn unescape_legacy(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// One t1's data to a Comment. `structural` is the parent given by the nesting.
fn t1_comment(data: &Map<String, Value>, structural: Option<&str>) -> Result<Comment> {
    let id = json::id(data, "id")
        .or_else(|| json::id(data, "name").map(|n| bare(&n).to_string()))
        .ok_or_else(|| Error::syntax(FORMAT, "a t1 comment has no id"))?;
    let parent = match data.get("parent_id").and_then(Value::as_str) {
        Some(p) => parent_of(p),
        None => structural.map(str::to_string),
    };
    let mut body = data
        .get("body")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    // Without raw_json=1, body_html is itself escaped and the body has &lt; &gt; &amp;.
    let legacy = data
        .get("body_html")
        .and_then(Value::as_str)
        .map(|h| h.trim_start().starts_with("&lt;"))
        .unwrap_or(false);
    if legacy {
        body = unescape_legacy(&body);
    }
    let author = data.get("author").and_then(Value::as_str);
    let mut c = Comment::new(id, "");
    c.declared_parent = parent;
    c.author = match author {
        Some("[deleted]") | Some("") | None => None,
        Some(a) => Some(a.to_string()),
    };
    c.status = match body.trim() {
        "[deleted]" => Status::Deleted,
        "[removed]" => Status::Removed,
        _ => Status::Approved,
    };
    if c.status == Status::Approved {
        let b = text_body(&body, Newlines::Keep);
        c.text = b.text;
        c.quotes = b.quotes;
    }
    c.raw = body;
    c.markup = Markup::Markdown;
    c.time = data.get("created_utc").and_then(json::time);
    c.likes = data.get("score").and_then(Value::as_i64);
    c.source_depth = data
        .get("depth")
        .and_then(Value::as_u64)
        .and_then(|d| u32::try_from(d).ok())
        .map(|d| d.saturating_add(1));
    Ok(c)
}

#[derive(Default)]
struct Post {
    title: Option<String>,
    url: Option<String>,
}

struct Gap {
    parent: String,
    count: u32,
}

/// Parses a whole comment-page / morechildren / listing document into threads.
fn read_document(text: &str, options: &super::ReadOptions) -> Result<Vec<Thread>> {
    let root: Value = serde_json::from_str(text).map_err(|e| json::error(FORMAT, &e, text))?;
    let mut posts: HashMap<String, Post> = HashMap::new();
    let mut post_order: Vec<String> = Vec::new();
    let mut comments: Vec<(Option<String>, Comment)> = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut saw_reddit = false;

    // (value, parent id given by the nesting)
    let mut stack: Vec<(&Value, Option<String>)> = vec![(&root, None)];
    while let Some((v, sp)) = stack.pop() {
        match v {
            Value::Array(a) => {
                for x in a.iter().rev() {
                    stack.push((x, sp.clone()));
                }
            }
            Value::Object(o) => {
                let kind = o.get("kind").and_then(Value::as_str);
                let data = o.get("data");
                saw_reddit |= kind.is_some() || o.contains_key("things");
                match (kind, data) {
                    (Some("Listing"), Some(d)) => {
                        if let Some(ch) = d.get("children") {
                            stack.push((ch, sp));
                        }
                    }
                    (Some("t1"), Some(Value::Object(d))) => {
                        let c = t1_comment(d, sp.as_deref())?;
                        json::check_len(FORMAT, &c.raw, &c.id, options.max_comment_bytes)?;
                        if let (Some(p), Some(s)) = (&c.declared_parent, &sp) {
                            if p != s {
                                notes.push(format!(
                                    "comment {} declares parent {p} but is nested under {s}",
                                    c.id
                                ));
                            }
                        }
                        let link = d
                            .get("link_id")
                            .and_then(Value::as_str)
                            .map(|l| bare(l).to_string());
                        if let Some(r @ Value::Object(_)) = d.get("replies") {
                            stack.push((r, Some(c.id.clone())));
                        }
                        comments.push((link, c));
                    }
                    (Some("t3"), Some(Value::Object(d))) => {
                        let Some(id) = json::id(d, "id")
                            .or_else(|| json::id(d, "name").map(|n| bare(&n).to_string()))
                        else {
                            continue;
                        };
                        let url = match d.get("permalink").and_then(Value::as_str) {
                            Some(p) if p.starts_with('/') => {
                                Some(format!("https://www.reddit.com{p}"))
                            }
                            Some(p) if !p.is_empty() => Some(p.to_string()),
                            _ => d.get("url").and_then(Value::as_str).map(str::to_string),
                        };
                        if !posts.contains_key(&id) {
                            post_order.push(id.clone());
                        }
                        posts.insert(
                            id,
                            Post {
                                title: d.get("title").and_then(Value::as_str).map(str::to_string),
                                url,
                            },
                        );
                    }
                    (Some("more"), Some(Value::Object(d))) => {
                        let parent = d
                            .get("parent_id")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .or_else(|| sp.as_ref().map(|s| format!("t1_{s}")))
                            .unwrap_or_default();
                        let listed = d
                            .get("children")
                            .and_then(Value::as_array)
                            .map(|a| a.len())
                            .unwrap_or(0);
                        let count = d.get("count").and_then(Value::as_u64).unwrap_or(0);
                        let count = if count > 0 {
                            count
                        } else if listed > 0 {
                            listed as u64
                        } else {
                            1 // "continue this thread": at least one reply exists
                        };
                        gaps.push(Gap {
                            parent,
                            count: u32::try_from(count).unwrap_or(u32::MAX),
                        });
                    }
                    (Some(_), _) => {} // accounts, subreddits, ...: not comments
                    (None, _) => {
                        if let Some(j) = o.get("json") {
                            stack.push((j, sp));
                        } else if let Some(t) = o.get("things") {
                            stack.push((t, sp));
                        } else if let Some(d) = data {
                            stack.push((d, sp));
                        } else if o.contains_key("body") && o.contains_key("parent_id") {
                            // a bare t1 data object
                            let c = t1_comment(o, sp.as_deref())?;
                            json::check_len(FORMAT, &c.raw, &c.id, options.max_comment_bytes)?;
                            let link = o
                                .get("link_id")
                                .and_then(Value::as_str)
                                .map(|l| bare(l).to_string());
                            comments.push((link, c));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    drop(root);
    if comments.is_empty() && posts.is_empty() && gaps.is_empty() && !saw_reddit {
        return Err(Error::syntax(
            FORMAT,
            "no Reddit listing, thing or morechildren data found",
        ));
    }
    assemble(posts, post_order, comments, gaps, notes, options)
}

fn assemble(
    mut posts: HashMap<String, Post>,
    post_order: Vec<String>,
    comments: Vec<(Option<String>, Comment)>,
    gaps: Vec<Gap>,
    notes: Vec<String>,
    options: &super::ReadOptions,
) -> Result<Vec<Thread>> {
    // The link of comments that do not name one: the only post, else "reddit".
    let fallback = if post_order.len() == 1 {
        post_order[0].clone()
    } else {
        comments
            .iter()
            .find_map(|(l, _)| l.clone())
            .unwrap_or_else(|| "reddit".to_string())
    };
    let mut order: Vec<String> = Vec::new();
    let mut builders: HashMap<String, ThreadBuilder> = HashMap::new();
    let mut where_is: HashMap<String, (String, usize)> = HashMap::new();
    for id in &post_order {
        order.push(id.clone());
        builders.insert(id.clone(), ThreadBuilder::new(id.clone()));
    }
    for (link, c) in comments {
        let link = link.unwrap_or_else(|| fallback.clone());
        let b = builders.entry(link.clone()).or_insert_with(|| {
            order.push(link.clone());
            ThreadBuilder::new(link.clone())
        });
        if b.len() >= options.max_comments_per_thread {
            return Err(Error::limit(
                "comments per thread",
                options.max_comments_per_thread as u64,
            )
            .for_comment(c.id.clone()));
        }
        let id = c.id.clone();
        let i = b.push(c);
        where_is.entry(id).or_insert((link, i));
    }
    if order.is_empty() && !gaps.is_empty() {
        order.push(fallback.clone());
        builders.insert(fallback.clone(), ThreadBuilder::new(fallback.clone()));
    }
    for g in gaps {
        if let Some(link) = g.parent.strip_prefix("t3_") {
            let link = link.to_string();
            let b = builders.entry(link.clone()).or_insert_with(|| {
                order.push(link.clone());
                ThreadBuilder::new(link.clone())
            });
            b.add_missing_top_level(g.count);
        } else if let Some((link, i)) = where_is.get(bare(&g.parent)) {
            if let Some(b) = builders.get_mut(link) {
                let c = b.comment_mut(*i);
                c.missing_children = c.missing_children.saturating_add(g.count);
            }
        } else if let Some(b) = order.first().and_then(|l| builders.get_mut(l)) {
            b.note(format!(
                "{} more replies to {}, which is not in the file",
                g.count, g.parent
            ));
        }
    }
    if let Some(b) = order.first().and_then(|l| builders.get_mut(l)) {
        for n in notes {
            b.note(n);
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for id in order {
        if let Some(mut b) = builders.remove(&id) {
            if let Some(p) = posts.remove(&id) {
                b.title(p.title).url(p.url);
            }
            out.push(b.finish());
        }
    }
    Ok(out)
}

/// JSON helpers shared by the JSON readers (Reddit, HN, Commento, remark42, Isso, AS2).
pub(super) mod json {
    use crate::error::{line_col, Error, Result};
    use crate::formats::{bytes_to_string, Input};
    use crate::thread::{Comment, Thread, ThreadBuilder};
    use chrono::{DateTime, TimeZone, Utc};
    use serde_json::{Map, Value};
    use std::collections::HashSet;
    use std::io::{BufRead, Read};

    /// serde_json's nesting limit (arrays + objects); deeper input is a syntax error.
    pub(crate) const DEPTH_LIMIT: usize = 128;

    /// A serde_json error as our error, with line, column and byte offset in `text`.
    pub(crate) fn error(format: &'static str, e: &serde_json::Error, text: &str) -> Error {
        let mut msg = e.to_string();
        if msg.contains("recursion limit") {
            msg =
                format!("JSON nested deeper than {DEPTH_LIMIT} levels (the parser's limit): {msg}");
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
}
