//! Readers for the places comment threads live, with format auto-detection.
//!
//! Every reader turns its input into an iterator of [`Thread`]s ([`Threads`]). Readers of
//! formats that can grow large (WXR, JSONL, CSV, lines) stream: they hold one thread at a
//! time, not the file. Disqus exports scatter a thread's posts through the file, so that
//! reader groups them within [`ReadOptions::memory_budget`] and spills the rest to temporary
//! files: its peak memory is about the budget plus the largest thread.
//!
//! Every comment keeps the map from its clean text back to its markup
//! ([`Comment::raw_range`](crate::Comment::raw_range)), and every thread the site it belongs
//! to where the format says it ([`Thread::site`]). Each reader is one file with two functions:
//! `sniff(head: &[u8]) -> bool` (does the start of the input look like this format?) and
//! `read(input: Input) -> Threads`.

use crate::error::{Error, ErrorKind, Result};
use crate::thread::Thread;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

mod activitystreams;
mod commento;
mod csv;
mod disqus;
mod hackernews;
pub(crate) mod html;
mod html_align;
mod isso;
mod json;
mod jsonl;
mod lines;
mod record;
mod reddit;
mod remark42;
mod spill;
mod wpcom_html;
mod wpcom_text;
mod wxr;
mod xml;

/// The formats commentguard reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// WordPress eXtended RSS, versions 1.0–1.2.
    Wxr,
    /// Disqus XML export.
    Disqus,
    /// Reddit comment-page JSON (`/comments/{id}`) or `/api/morechildren` JSON.
    Reddit,
    /// Hacker News Firebase items (one object, an array, or one per line).
    HackerNews,
    /// Commento export JSON.
    Commento,
    /// Remark42 API tree JSON or native backup (NDJSON).
    Remark42,
    /// Isso "generic" import JSON.
    Isso,
    /// W3C Activity Streams 2.0 (`inReplyTo`).
    ActivityStreams,
    /// Text scraped from a WordPress.com page (bullets and indentation, "Liked by N people").
    WpcomText,
    /// The HTML of a WordPress-style page with a threaded comment list.
    WpcomHtml,
    /// Our own JSONL: one comment object per line (`id`, `parent`, `author`, `time`, `text`,
    /// optional `thread`).
    Jsonl,
    /// Our own CSV with a header (`id`, `parent`, `author`, `time`, `text`, optional `thread`).
    Csv,
    /// One comment per line, no structure. Never auto-detected.
    Lines,
}

impl Format {
    /// Every format, in the order auto-detection tries them.
    pub const ALL: &'static [Format] = &[
        Format::Wxr,
        Format::Disqus,
        Format::WpcomHtml,
        Format::Reddit,
        Format::HackerNews,
        Format::Commento,
        Format::Remark42,
        Format::Isso,
        Format::ActivityStreams,
        Format::Jsonl,
        Format::Csv,
        Format::WpcomText,
        Format::Lines,
    ];

    /// The name used on the command line and in errors.
    pub fn name(self) -> &'static str {
        match self {
            Format::Wxr => "wxr",
            Format::Disqus => "disqus",
            Format::Reddit => "reddit",
            Format::HackerNews => "hackernews",
            Format::Commento => "commento",
            Format::Remark42 => "remark42",
            Format::Isso => "isso",
            Format::ActivityStreams => "activitystreams",
            Format::WpcomText => "wpcom-text",
            Format::WpcomHtml => "wpcom-html",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Lines => "lines",
        }
    }

    /// All format names.
    pub fn names() -> Vec<&'static str> {
        Format::ALL.iter().map(|f| f.name()).collect()
    }

    fn sniff(self, head: &[u8]) -> bool {
        match self {
            Format::Wxr => wxr::sniff(head),
            Format::Disqus => disqus::sniff(head),
            Format::Reddit => reddit::sniff(head),
            Format::HackerNews => hackernews::sniff(head),
            Format::Commento => commento::sniff(head),
            Format::Remark42 => remark42::sniff(head),
            Format::Isso => isso::sniff(head),
            Format::ActivityStreams => activitystreams::sniff(head),
            Format::WpcomText => wpcom_text::sniff(head),
            Format::WpcomHtml => wpcom_html::sniff(head),
            Format::Jsonl => jsonl::sniff(head),
            Format::Csv => csv::sniff(head),
            Format::Lines => false,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format> {
        let s = s.trim().to_ascii_lowercase();
        let alias = match s.as_str() {
            "wordpress" => "wxr",
            "hn" => "hackernews",
            "as2" | "activitypub" => "activitystreams",
            "text" | "wpcom" | "scraped" => "wpcom-text",
            "html" => "wpcom-html",
            "ndjson" => "jsonl",
            other => other,
        };
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name() == alias)
            .ok_or_else(|| {
                Error::new(ErrorKind::UnknownFormat {
                    known: Format::names(),
                })
            })
    }
}

/// Limits and switches for the readers. Defaults are documented on each field.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Largest comment body accepted, in bytes; a larger one is an error naming the comment.
    /// Default 16 MiB.
    pub max_comment_bytes: usize,
    /// Largest input read whole by the formats that cannot stream (Reddit, HN, Commento,
    /// remark42 tree, Isso, Activity Streams, scraped text and HTML). Default 512 MiB.
    pub max_document_bytes: usize,
    /// Most comments in one thread. Default 10,000,000.
    pub max_comments_per_thread: usize,
    /// Recover from malformed XML in Disqus exports (unquoted attributes, stray bytes before
    /// the prolog) instead of failing; every repair is reported in the thread's notes.
    /// Default true.
    pub lenient: bool,
    /// Memory the readers that must group records from all over the file (Disqus) may use
    /// before spilling them to temporary files, in bytes (estimated from the decoded
    /// records). Peak memory is about this plus the largest thread; the output is the same
    /// for any budget. Spill files go to the system's temporary folder (`TMPDIR` on Unix)
    /// and are deleted when the reader is dropped. Default 64 MiB.
    pub memory_budget: usize,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            max_comment_bytes: 16 << 20,
            max_document_bytes: 512 << 20,
            max_comments_per_thread: 10_000_000,
            lenient: true,
            memory_budget: 64 << 20,
        }
    }
}

/// What a reader is given: the bytes, the file name for errors, and the options.
pub(crate) struct Input {
    pub reader: Box<dyn BufRead + Send>,
    pub file: Option<PathBuf>,
    pub options: ReadOptions,
}

impl Input {
    /// Reads the whole input, within `max_document_bytes`.
    pub(crate) fn read_all(&mut self, format: &'static str) -> Result<Vec<u8>> {
        let limit = self.options.max_document_bytes as u64;
        let mut buf = Vec::new();
        let n = (&mut self.reader)
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| self.locate(Error::from(e)))?;
        if n as u64 > limit {
            // Positioned at the first byte over the limit.
            let line = crate::error::line_col(&buf, limit as usize).0;
            let e = Error::limit("document size in bytes", limit).at_line(line);
            return Err(self.locate(e.at_byte(limit)));
        }
        let _ = format;
        Ok(buf)
    }

    /// Reads the whole input as UTF-8 (a leading BOM is dropped); invalid UTF-8 is an error
    /// with the byte offset and line of the first bad byte.
    pub(crate) fn read_string(&mut self, format: &'static str) -> Result<String> {
        let buf = self.read_all(format)?;
        bytes_to_string(buf).map_err(|e| self.locate(e))
    }

    /// Adds the file name to an error.
    pub(crate) fn locate(&self, e: Error) -> Error {
        match &self.file {
            Some(f) => e.in_file(f),
            None => e,
        }
    }

    /// A name for the thread when the format has none: the file name, or "stdin".
    pub(crate) fn default_thread_id(&self) -> String {
        thread_id_for(self.file.as_deref())
    }
}

/// A name for a thread when the format has none: the file name, or "stdin".
pub(crate) fn thread_id_for(file: Option<&Path>) -> String {
    file.and_then(|f| f.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "stdin".to_string())
}

/// UTF-8 check with a precise position; drops a leading BOM.
pub(crate) fn bytes_to_string(mut buf: Vec<u8>) -> Result<String> {
    if buf.starts_with(b"\xEF\xBB\xBF") {
        buf.drain(..3);
    }
    match String::from_utf8(buf) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let (line, _) = crate::error::line_col(bytes, at);
            Err(Error::new(ErrorKind::InvalidUtf8)
                .at_byte(at as u64)
                .at_line(line))
        }
    }
}

/// An iterator of threads read from one input. Errors are items: a reader that hits bad data
/// yields an `Err` with its position and then stops (or goes on with the next thread where
/// the format allows it).
pub struct Threads {
    inner: Box<dyn Iterator<Item = Result<Thread>> + Send>,
    format: Format,
}

impl Threads {
    pub(crate) fn new(
        format: Format,
        inner: impl Iterator<Item = Result<Thread>> + Send + 'static,
    ) -> Threads {
        Threads {
            inner: Box::new(inner),
            format,
        }
    }
    /// A single result (for readers that parse the whole document at once).
    pub(crate) fn from_result(format: Format, r: Result<Vec<Thread>>) -> Threads {
        match r {
            Ok(v) => Threads::new(format, v.into_iter().map(Ok)),
            Err(e) => Threads::new(format, std::iter::once(Err(e))),
        }
    }
    /// The format being read.
    pub fn format(&self) -> Format {
        self.format
    }
}

impl Iterator for Threads {
    type Item = Result<Thread>;
    fn next(&mut self) -> Option<Result<Thread>> {
        self.inner.next()
    }
}

impl fmt::Debug for Threads {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Threads")
            .field("format", &self.format)
            .finish()
    }
}

/// How many bytes auto-detection looks at.
const HEAD: usize = 64 * 1024;

/// Guesses the format from the first bytes of the input and, failing that, the file name.
pub fn detect(head: &[u8], path: Option<&Path>) -> Option<Format> {
    if let Some(f) = Format::ALL.iter().copied().find(|f| f.sniff(head)) {
        return Some(f);
    }
    let ext = path
        .and_then(|p| p.extension())
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") => Some(Format::Csv),
        Some("jsonl") | Some("ndjson") => Some(Format::Jsonl),
        Some("xml") => None,
        Some("txt") => Some(Format::WpcomText),
        Some("html") | Some("htm") => Some(Format::WpcomHtml),
        _ => None,
    }
}

/// Reads threads from any reader. `format: None` means auto-detect.
pub fn read<R: Read + Send + 'static>(
    reader: R,
    file: Option<&Path>,
    format: Option<Format>,
    options: ReadOptions,
) -> Result<Threads> {
    let mut reader = BufReader::with_capacity(HEAD, reader);
    let format = match format {
        Some(f) => f,
        None => {
            // Read up to HEAD bytes (several reads: pipes return little at a time).
            let mut head = Vec::with_capacity(HEAD);
            let locate = |e: Error| match file {
                Some(f) => e.in_file(f),
                None => e,
            };
            (&mut reader)
                .take(HEAD as u64)
                .read_to_end(&mut head)
                .map_err(|e| locate(Error::from(e)))?;
            let f = detect(&head, file).ok_or_else(|| {
                locate(Error::new(ErrorKind::UnknownFormat {
                    known: Format::names(),
                }))
            })?;
            let rest = reader;
            let chained = std::io::Cursor::new(head).chain(rest);
            return Ok(dispatch(
                f,
                Input {
                    reader: Box::new(BufReader::with_capacity(HEAD, chained)),
                    file: file.map(Path::to_path_buf),
                    options,
                },
            ));
        }
    };
    Ok(dispatch(
        format,
        Input {
            reader: Box::new(reader),
            file: file.map(Path::to_path_buf),
            options,
        },
    ))
}

/// Reads threads from a file (or standard input for `-`). `format: None` means auto-detect.
pub fn read_path(path: &Path, format: Option<Format>, options: ReadOptions) -> Result<Threads> {
    if path == Path::new("-") {
        return read(std::io::stdin(), None, format, options);
    }
    let f = std::fs::File::open(path).map_err(|e| Error::from(e).in_file(path))?;
    read(f, Some(path), format, options)
}

fn dispatch(format: Format, input: Input) -> Threads {
    match format {
        Format::Wxr => wxr::read(input),
        Format::Disqus => disqus::read(input),
        Format::Reddit => reddit::read(input),
        Format::HackerNews => hackernews::read(input),
        Format::Commento => commento::read(input),
        Format::Remark42 => remark42::read(input),
        Format::Isso => isso::read(input),
        Format::ActivityStreams => activitystreams::read(input),
        Format::WpcomText => wpcom_text::read(input),
        Format::WpcomHtml => wpcom_html::read(input),
        Format::Jsonl => jsonl::read(input),
        Format::Csv => csv::read(input),
        Format::Lines => lines::read(input),
    }
}

/// Skips a UTF-8 BOM and ASCII whitespace at the start of `head`.
pub(crate) fn trim_head(head: &[u8]) -> &[u8] {
    let h = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = h
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(h.len());
    &h[start..]
}

/// Parses a timestamp in the common shapes (RFC 3339, `YYYY-MM-DD HH:MM:SS` as UTC, Unix
/// seconds) into UTC; `None` for empty, zero (`0000-00-00 00:00:00`) or unparseable values.
pub(crate) fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
    let s = s.trim();
    if s.is_empty() || s.starts_with("0000-00-00") {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    if let Ok(secs) = s.parse::<f64>() {
        if secs.is_finite() && secs > 0.0 && secs < 1.0e11 {
            return Utc.timestamp_opt(secs as i64, 0).single();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), *f);
        }
        let e = "nope".parse::<Format>().unwrap_err();
        assert!(e.to_string().contains("wxr"), "{e}");
    }

    #[test]
    fn unknown_format_lists_formats() {
        let e = read(
            &b"\x00\x01\x02 binary junk"[..],
            None,
            None,
            ReadOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::UnknownFormat { .. }));
        let s = e.to_string();
        for name in ["wxr", "disqus", "reddit", "jsonl", "csv"] {
            assert!(s.contains(name), "{s}");
        }
    }

    #[test]
    fn invalid_utf8_has_position() {
        let e = bytes_to_string(b"ok\nbad \xff here".to_vec()).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::InvalidUtf8));
        assert_eq!(e.position().byte, Some(7));
        assert_eq!(e.position().line, Some(2));
    }

    #[test]
    fn times() {
        assert_eq!(
            parse_time("2013-10-10T19:20:29Z").unwrap().to_rfc3339(),
            "2013-10-10T19:20:29+00:00"
        );
        assert!(parse_time("0000-00-00 00:00:00").is_none());
        assert!(parse_time("2011-x09-30").is_none());
        assert_eq!(parse_time("1175714200").unwrap().timestamp(), 1175714200);
    }
}
