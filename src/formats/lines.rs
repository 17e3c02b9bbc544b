//! One comment per line, no structure (`--format lines`). Blank lines are skipped; ids are
//! line numbers. Streams: the comments are handed out in chunks (threads with the same id)
//! so that memory stays flat however long the input is.

use super::jsonl::read_line_limited;
use super::{Format, Input, Threads};
use crate::error::{Error, ErrorKind};
use crate::thread::{Comment, ThreadBuilder};

/// Comments per chunk.
const CHUNK: usize = 4096;

/// Reads the input into chunks of one-line comments.
pub(crate) fn read(mut input: Input) -> Threads {
    let id = input.default_thread_id();
    let limit = input.options.max_comment_bytes;
    let file = input.file.clone();
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut byte = 0u64;
    let mut done = false;
    let mut pending_err: Option<Error> = None;
    let locate = move |e: Error| match &file {
        Some(f) => e.in_file(f),
        None => e,
    };
    let iter = std::iter::from_fn(move || {
        if let Some(e) = pending_err.take() {
            return Some(Err(locate(e)));
        }
        if done {
            return None;
        }
        let mut b = ThreadBuilder::new(id.clone());
        while b.len() < CHUNK {
            let start = byte;
            line += 1;
            match read_line_limited(&mut input.reader, &mut buf, limit) {
                Err(e) => {
                    pending_err = Some(Error::from(e).at_line(line).at_byte(start));
                    done = true;
                    break;
                }
                Ok(None) => {
                    done = true;
                    break;
                }
                Ok(Some((n, too_long))) => {
                    byte += n as u64;
                    let err = if too_long {
                        Some(Error::limit("comment size in bytes", limit as u64))
                    } else {
                        match std::str::from_utf8(&buf) {
                            Ok(t) => {
                                let t = t.trim_end_matches('\r');
                                if !t.trim().is_empty() {
                                    let mut c = Comment::new(line.to_string(), t.trim());
                                    c.offset = Some(line);
                                    c.offset_is_line = true;
                                    b.push(c);
                                }
                                None
                            }
                            Err(e) => Some(
                                Error::new(ErrorKind::InvalidUtf8)
                                    .at_byte(start + e.valid_up_to() as u64),
                            ),
                        }
                    };
                    if let Some(e) = err {
                        // Hand out what came before, then the error, in input order.
                        pending_err =
                            Some(e.at_line(line).at_byte(start).for_comment(line.to_string()));
                        break;
                    }
                }
            }
        }
        if b.is_empty() {
            return pending_err.take().map(|e| Err(locate(e)));
        }
        Some(Ok(b.finish()))
    });
    Threads::new(Format::Lines, iter)
}

#[cfg(test)]
mod tests {
    use crate::formats::{read, Format, ReadOptions};

    #[test]
    fn lines_in_order_with_errors_in_place() {
        let b = b"first\n\nsecond\nbad \xff\nthird\n".to_vec();
        let r: Vec<_> = read(
            std::io::Cursor::new(b),
            None,
            Some(Format::Lines),
            ReadOptions::default(),
        )
        .unwrap()
        .collect();
        assert_eq!(r.len(), 3);
        let ids: Vec<_> = r[0]
            .as_ref()
            .unwrap()
            .comments()
            .iter()
            .map(|c| c.id.clone())
            .collect();
        assert_eq!(ids, ["1", "3"]);
        assert_eq!(r[1].as_ref().unwrap_err().position().line, Some(4));
        assert_eq!(r[2].as_ref().unwrap().comment(0).text, "third");
    }

    #[test]
    fn chunks_keep_memory_flat() {
        let s = "x\n".repeat(10_000);
        let r: Vec<_> = read(
            std::io::Cursor::new(s.into_bytes()),
            None,
            Some(Format::Lines),
            ReadOptions::default(),
        )
        .unwrap()
        .collect();
        assert_eq!(r.len(), 3);
        assert_eq!(
            r.iter().map(|t| t.as_ref().unwrap().len()).sum::<usize>(),
            10_000
        );
    }
}
