//! Our own JSONL: one comment object per line.
//!
//! Fields: `id`, `parent` (null or absent = top level), `author`, `time` (RFC 3339 or Unix
//! seconds), `text` (alias `body`), optional `thread` (consecutive lines with the same value
//! form a thread), `status` (approved, pending, spam, trash, deleted, removed, dead) and
//! `markup` (text, html, markdown), `site` (the thread's site or forum). Ids may be strings or
//! numbers. Streams line by line.

use super::record::{group, Record, RecordSource};
use super::{trim_head, Format, Input, Threads};
use crate::error::{Error, Result};
use serde::Deserialize;
use std::io::BufRead;

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    S(String),
    I(i64),
    F(f64),
    B(bool),
}

impl Scalar {
    fn into_string(self) -> String {
        match self {
            Scalar::S(s) => s,
            Scalar::I(i) => i.to_string(),
            Scalar::F(f) => f.to_string(),
            Scalar::B(b) => b.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    thread: Option<Scalar>,
    #[serde(default)]
    id: Option<Scalar>,
    #[serde(default, alias = "parent_id")]
    parent: Option<Scalar>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    time: Option<Scalar>,
    #[serde(default, alias = "body")]
    text: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    markup: Option<String>,
}

/// Does the start of the input look like our JSONL?
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = trim_head(head);
    if !h.starts_with(b"{") {
        return false;
    }
    let first = match memchr::memchr(b'\n', h) {
        Some(i) => &h[..i],
        None => h,
    };
    let first = String::from_utf8_lossy(first);
    (first.contains("\"text\"") || first.contains("\"body\"")) && first.contains("\"id\"")
}

/// Reads one line of at most `limit` bytes into `buf` (newline excluded). Longer lines are
/// consumed to their end and reported with `Ok(Some(len))` as too long.
pub(crate) fn read_line_limited(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Option<(usize, bool)>> {
    buf.clear();
    let mut total = 0usize;
    let mut too_long = false;
    loop {
        let avail = r.fill_buf()?;
        if avail.is_empty() {
            return Ok(if total == 0 {
                None
            } else {
                Some((total, too_long))
            });
        }
        let (chunk, found) = match memchr::memchr(b'\n', avail) {
            Some(i) => (&avail[..i], Some(i)),
            None => (avail, None),
        };
        if !too_long {
            if buf.len() + chunk.len() > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        total += chunk.len();
        match found {
            Some(i) => {
                r.consume(i + 1);
                return Ok(Some((total + 1, too_long)));
            }
            None => {
                let n = avail.len();
                r.consume(n);
            }
        }
    }
}

struct Lines {
    input: Input,
    buf: Vec<u8>,
    line: u64,
    byte: u64,
}

impl RecordSource for Lines {
    fn next_record(&mut self) -> Option<Result<(u64, Record)>> {
        // A line may hold a whole comment plus its JSON: allow twice the comment limit.
        let limit = self
            .input
            .options
            .max_comment_bytes
            .saturating_mul(2)
            .max(1024);
        loop {
            let start = self.byte;
            let got = read_line_limited(&mut self.input.reader, &mut self.buf, limit);
            self.line += 1;
            let line = self.line;
            match got {
                Err(e) => return Some(Err(Error::from(e).at_line(line).at_byte(start))),
                Ok(None) => return None,
                Ok(Some((n, too_long))) => {
                    self.byte += n as u64;
                    if too_long {
                        return Some(Err(Error::limit("line length in bytes", limit as u64)
                            .at_line(line)
                            .at_byte(start)));
                    }
                    let text = match std::str::from_utf8(&self.buf) {
                        Ok(t) => t,
                        Err(e) => {
                            return Some(Err(Error::new(crate::ErrorKind::InvalidUtf8)
                                .at_line(line)
                                .at_byte(start + e.valid_up_to() as u64)))
                        }
                    };
                    let t = text.trim_start_matches('\u{feff}').trim();
                    if t.is_empty() {
                        continue;
                    }
                    return Some(match serde_json::from_str::<Line>(t) {
                        Ok(l) => Ok((
                            line,
                            Record {
                                thread: l.thread.map(Scalar::into_string),
                                id: l.id.map(Scalar::into_string),
                                parent: l.parent.map(Scalar::into_string),
                                author: l.author,
                                time: l.time.map(Scalar::into_string),
                                text: l.text,
                                status: l.status,
                                markup: l.markup,
                                site: l.site,
                            },
                        )),
                        Err(e) => Err(Error::syntax("jsonl", e.to_string())
                            .at_line(line)
                            .at_byte(start)),
                    });
                }
            }
        }
    }
}

/// Reads the input into threads, one line at a time.
pub(crate) fn read(input: Input) -> Threads {
    let (file, options) = (input.file.clone(), input.options.clone());
    let src = Lines {
        input,
        buf: Vec::new(),
        line: 0,
        byte: 0,
    };
    group(Format::Jsonl, file, options, src)
}

#[cfg(test)]
mod tests {
    use crate::formats::{read, Format, ReadOptions};
    use crate::ErrorKind;

    fn parse(s: &str) -> Vec<crate::Result<crate::Thread>> {
        read(
            std::io::Cursor::new(s.as_bytes().to_vec()),
            None,
            Some(Format::Jsonl),
            ReadOptions::default(),
        )
        .unwrap()
        .collect()
    }

    #[test]
    fn threads_group_by_consecutive_thread() {
        let r = parse(
            "{\"thread\":\"a\",\"id\":1,\"text\":\"x\"}\n{\"thread\":\"a\",\"id\":2,\"parent\":1,\"text\":\"y\"}\n\n{\"thread\":\"b\",\"id\":\"1\",\"text\":\"z\",\"status\":\"spam\"}\n",
        );
        assert_eq!(r.len(), 2);
        let a = r[0].as_ref().unwrap();
        assert_eq!(a.id, "a");
        assert_eq!(a.walk().map(|v| v.depth).collect::<Vec<_>>(), [1, 2]);
        let b = r[1].as_ref().unwrap();
        assert_eq!(b.comment(0).status, crate::Status::Spam);
        assert_eq!(b.comment(0).offset, Some(4));
    }

    #[test]
    fn site_field() {
        let r = parse("{\"thread\":\"a\",\"site\":\"blog.example\",\"id\":1,\"text\":\"x\"}\n{\"thread\":\"b\",\"id\":2,\"text\":\"y\"}\n");
        let sites: Vec<Option<String>> = r.into_iter().map(|t| t.unwrap().site).collect();
        assert_eq!(sites, [Some("blog.example".to_string()), None]);
    }

    #[test]
    fn bad_line_is_an_error_with_its_line_and_nothing_else_is_lost() {
        let r =
            parse("{\"id\":1,\"text\":\"ok\"}\n{\"id\":2,\"text\":\n{\"id\":3,\"text\":\"ok\"}\n");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].as_ref().unwrap().len(), 2);
        let e = r[1].as_ref().unwrap_err();
        assert_eq!(e.position().line, Some(2));
        assert!(matches!(
            e.kind(),
            ErrorKind::Syntax {
                format: "jsonl",
                ..
            }
        ));
    }

    #[test]
    fn invalid_utf8_line() {
        let mut bytes = b"{\"id\":1,\"text\":\"ok\"}\n{\"id\":2,\"text\":\"".to_vec();
        bytes.extend_from_slice(b"\xff\"}\n");
        let r: Vec<_> = read(
            std::io::Cursor::new(bytes),
            None,
            Some(Format::Jsonl),
            ReadOptions::default(),
        )
        .unwrap()
        .collect();
        let e = r[1].as_ref().unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::InvalidUtf8));
        assert_eq!(e.position().line, Some(2));
        assert_eq!(e.position().byte, Some(21 + 16));
    }

    #[test]
    fn oversize_comment_is_limited() {
        let o = ReadOptions {
            max_comment_bytes: 10,
            ..ReadOptions::default()
        };
        let s = format!(
            "{{\"id\":1,\"text\":\"{}\"}}\n{{\"id\":2,\"text\":\"fine\"}}\n",
            "x".repeat(15)
        );
        let r: Vec<_> = read(
            std::io::Cursor::new(s.into_bytes()),
            None,
            Some(Format::Jsonl),
            o,
        )
        .unwrap()
        .collect();
        assert_eq!(r[0].as_ref().unwrap().len(), 1);
        let e = r[1].as_ref().unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::LimitExceeded { .. }));
        assert_eq!(e.position().comment_id.as_deref(), Some("1"));
    }

    #[test]
    fn html_markup_and_quotes() {
        let r = parse("{\"id\":\"q\",\"markup\":\"html\",\"text\":\"<blockquote>they are rats</blockquote><p>No.</p>\"}\n");
        let c = r[0].as_ref().unwrap().comment(0).clone();
        assert_eq!(c.text, "they are rats\n\nNo.");
        assert_eq!(c.quotes, vec![0..13]);
    }
}
