//! Shared by our own flat formats (JSONL, CSV): one record per comment, grouped into threads
//! by consecutive `thread` values, streamed one thread at a time. An optional `site` value
//! fills [`Thread::site`] (the last non-empty one of the thread wins).

use super::html::{html_to_text, text_body, Newlines};
use super::{parse_time, thread_id_for, Format, ReadOptions, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, Markup, Status, Thread, ThreadBuilder};
use std::collections::VecDeque;
use std::path::PathBuf;

/// Distinct thread ids remembered to notice a thread whose lines are not contiguous (see
/// `group`); past this many, threads first seen later are not checked.
const SEEN_THREADS_CAP: usize = 1 << 20;

/// One flat record, as read from a line or a row.
#[derive(Debug, Default)]
pub(crate) struct Record {
    pub thread: Option<String>,
    pub id: Option<String>,
    pub parent: Option<String>,
    pub author: Option<String>,
    pub time: Option<String>,
    pub text: Option<String>,
    pub status: Option<String>,
    pub markup: Option<String>,
    /// The site, forum or community of the thread ([`Thread::site`]).
    pub site: Option<String>,
}

/// Maps a status word to [`Status`] (`None` for an unknown word).
pub(crate) fn parse_status(s: &str) -> Option<Status> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "" | "approved" | "1" | "published" | "ok" => Status::Approved,
        "pending" | "0" | "hold" | "unapproved" => Status::Pending,
        "spam" => Status::Spam,
        "trash" | "post-trashed" => Status::Trash,
        "deleted" => Status::Deleted,
        "removed" => Status::Removed,
        "dead" => Status::Dead,
        "placeholder" => Status::Placeholder,
        _ => return None,
    })
}

impl Record {
    /// Turns the record into a comment. `line` is the 1-based line (or row) it came from, used
    /// for the id when the record has none and for error positions.
    pub(crate) fn into_comment(
        self,
        format: &'static str,
        line: u64,
        max_bytes: usize,
    ) -> Result<Comment> {
        let id = self
            .id
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| format!("line:{line}"));
        let raw = self.text.unwrap_or_default();
        if raw.len() > max_bytes {
            return Err(Error::limit("comment size in bytes", max_bytes as u64)
                .at_line(line)
                .for_comment(id));
        }
        let markup = match self.markup.as_deref().map(str::trim) {
            None | Some("") | Some("text") => Markup::Text,
            Some("html") => Markup::Html,
            Some("markdown") => Markup::Markdown,
            Some(other) => {
                return Err(Error::syntax(
                    format,
                    format!("unknown markup {other:?} (text, html or markdown)"),
                )
                .at_line(line)
                .for_comment(id))
            }
        };
        let body = match markup {
            Markup::Html => html_to_text(&raw, Newlines::Collapse),
            _ => text_body(&raw, Newlines::Keep),
        };
        let status = match self.status.as_deref() {
            None => Status::Approved,
            Some(s) => parse_status(s).ok_or_else(|| {
                Error::syntax(format, format!("unknown status {s:?}"))
                    .at_line(line)
                    .for_comment(id.clone())
            })?,
        };
        let mut c = Comment::new(id, "");
        body.apply(&mut c, raw);
        c.markup = markup;
        c.declared_parent = self.parent.filter(|p| {
            let p = p.trim();
            !p.is_empty() && p != "0" && !p.eq_ignore_ascii_case("null")
        });
        c.author = self.author.filter(|a| !a.is_empty());
        c.time = self.time.as_deref().and_then(parse_time);
        c.status = status;
        c.offset = Some(line);
        c.offset_is_line = true;
        Ok(c)
    }
}

/// A source of records: `Ok(None)` at the end; errors carry their line.
pub(crate) trait RecordSource: Send {
    fn next_record(&mut self) -> Option<Result<(u64, Record)>>;
}

/// Groups consecutive records with the same `thread` into threads; errors are queued and
/// yielded right after the thread they interrupted, so output order follows input order as
/// closely as a per-thread walk allows.
pub(crate) fn group<S: RecordSource + 'static>(
    format: Format,
    file: Option<PathBuf>,
    options: ReadOptions,
    src: S,
) -> Threads {
    let default_id = thread_id_for(file.as_deref());
    let mut src = src;
    let mut current: Option<ThreadBuilder> = None;
    let mut out: VecDeque<Result<Thread>> = VecDeque::new();
    let mut errors: Vec<Error> = Vec::new();
    // Hashes, not names: 8 bytes per thread seen, for the "appears again" note. Capped so
    // memory stays bounded however many threads a file holds: past SEEN_THREADS_CAP distinct
    // threads (~24 MB of table) the check is no longer made.
    let mut seen_threads: std::collections::HashSet<u64> = Default::default();
    let mut done = false;
    let locate = move |e: Error| match &file {
        Some(f) => e.in_file(f),
        None => e,
    };
    let iter = std::iter::from_fn(move || loop {
        if let Some(x) = out.pop_front() {
            return Some(x);
        }
        if done {
            return None;
        }
        match src.next_record() {
            None => {
                done = true;
                if let Some(b) = current.take() {
                    out.push_back(Ok(b.finish()));
                }
                out.extend(errors.drain(..).map(|e| Err(locate(e))));
            }
            Some(Err(e)) => errors.push(e),
            Some(Ok((line, rec))) => {
                let tid = rec
                    .thread
                    .clone()
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| default_id.clone());
                if current.as_ref().map(|b| b.id() != tid).unwrap_or(true) {
                    if let Some(b) = current.take() {
                        out.push_back(Ok(b.finish()));
                        out.extend(errors.drain(..).map(|e| Err(locate(e))));
                    }
                    let mut b = ThreadBuilder::new(tid.clone());
                    let h = xxhash_rust::xxh3::xxh3_64(tid.as_bytes());
                    let again = if seen_threads.len() < SEEN_THREADS_CAP {
                        !seen_threads.insert(h)
                    } else {
                        seen_threads.contains(&h)
                    };
                    if again {
                        b.note(format!(
                            "thread {tid:?} appears again at line {line} after other threads; \
                             its lines should be contiguous (replies to earlier lines become orphans)"
                        ));
                    }
                    current = Some(b);
                }
                let b = current.as_mut().expect("set above");
                if let Some(site) = rec.site.clone().filter(|s| !s.trim().is_empty()) {
                    b.site(Some(site));
                }
                if b.len() >= options.max_comments_per_thread {
                    errors.push(
                        Error::limit(
                            "comments per thread",
                            options.max_comments_per_thread as u64,
                        )
                        .at_line(line),
                    );
                    continue;
                }
                match rec.into_comment(format.name(), line, options.max_comment_bytes) {
                    Ok(c) => {
                        b.push(c);
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
    });
    Threads::new(format, iter)
}
