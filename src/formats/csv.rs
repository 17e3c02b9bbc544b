//! Our own CSV (or TSV): a header row, then one comment per row.
//!
//! Columns (case-insensitive; order free; only `text` is required): `id` (alias
//! `comment_id`), `parent` (`parent_id`), `author`, `time` (`date`, `created_at`), `text`
//! (`body`, `comment`, `content`, `comment_text`), `thread` (`thread_id`, `post_id`), `status`,
//! `markup`, `site` (`forum`, `subreddit`). Consecutive rows with the same `thread` form a
//! thread. Streams row by row.

use super::record::{group, Record, RecordSource};
use super::{trim_head, Format, Input, Threads};
use crate::error::{Error, Result};

#[derive(Default, Clone, Copy)]
struct Cols {
    thread: Option<usize>,
    id: Option<usize>,
    parent: Option<usize>,
    author: Option<usize>,
    time: Option<usize>,
    text: Option<usize>,
    status: Option<usize>,
    markup: Option<usize>,
    site: Option<usize>,
}

fn column(name: &str) -> Option<&'static str> {
    Some(
        match name
            .trim()
            .trim_start_matches('\u{feff}')
            .to_ascii_lowercase()
            .as_str()
        {
            "thread" | "thread_id" | "post_id" | "link_id" => "thread",
            "id" | "comment_id" => "id",
            "parent" | "parent_id" => "parent",
            "author" | "user" | "username" => "author",
            "time" | "date" | "created_at" | "created" => "time",
            "text" | "body" | "comment" | "content" | "comment_text" | "message" => "text",
            "status" => "status",
            "markup" => "markup",
            "site" | "forum" | "subreddit" => "site",
            _ => return None,
        },
    )
}

fn delimiter(head: &[u8]) -> u8 {
    let first = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let tabs = first.iter().filter(|&&b| b == b'\t').count();
    let commas = first.iter().filter(|&&b| b == b',').count();
    if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

/// Does the start of the input look like a comments CSV (a header with a text column)?
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = trim_head(head);
    if h.starts_with(b"{") || h.starts_with(b"[") || h.starts_with(b"<") {
        return false;
    }
    let first = h.split(|&b| b == b'\n').next().unwrap_or(h);
    let first = String::from_utf8_lossy(first);
    let d = delimiter(h) as char;
    let names: Vec<_> = first
        .split(d)
        .filter_map(|n| column(n.trim_matches('"')))
        .collect();
    names.len() >= 2 && names.contains(&"text")
}

struct Rows {
    rdr: csv::Reader<Box<dyn std::io::BufRead + Send>>,
    cols: Option<Cols>,
    rec: csv::ByteRecord,
}

fn field(rec: &csv::ByteRecord, i: Option<usize>, line: u64) -> Result<Option<String>> {
    let Some(i) = i else { return Ok(None) };
    let Some(b) = rec.get(i) else { return Ok(None) };
    match std::str::from_utf8(b) {
        Ok(s) => Ok(Some(s.to_string())),
        Err(e) => {
            let byte = rec.position().map(|p| p.byte()).unwrap_or(0);
            Err(Error::new(crate::ErrorKind::InvalidUtf8)
                .at_line(line)
                .at_byte(byte + e.valid_up_to() as u64))
        }
    }
}

impl Rows {
    fn header(&mut self) -> Result<Cols> {
        let h = self
            .rdr
            .byte_headers()
            .map_err(|e| Error::syntax("csv", e.to_string()).at_line(1))?
            .clone();
        let mut c = Cols::default();
        for (i, name) in h.iter().enumerate() {
            let name = String::from_utf8_lossy(name);
            match column(&name) {
                Some("thread") => c.thread = c.thread.or(Some(i)),
                Some("id") => c.id = c.id.or(Some(i)),
                Some("parent") => c.parent = c.parent.or(Some(i)),
                Some("author") => c.author = c.author.or(Some(i)),
                Some("time") => c.time = c.time.or(Some(i)),
                Some("text") => c.text = c.text.or(Some(i)),
                Some("status") => c.status = c.status.or(Some(i)),
                Some("markup") => c.markup = c.markup.or(Some(i)),
                Some("site") => c.site = c.site.or(Some(i)),
                _ => {}
            }
        }
        if c.text.is_none() {
            return Err(Error::syntax(
                "csv",
                "the header has no text column (text, body, comment, content or comment_text)",
            )
            .at_line(1));
        }
        Ok(c)
    }
}

impl RecordSource for Rows {
    fn next_record(&mut self) -> Option<Result<(u64, Record)>> {
        let cols = match self.cols {
            Some(c) => c,
            None => match self.header() {
                Ok(c) => {
                    self.cols = Some(c);
                    c
                }
                Err(e) => {
                    // No usable header: report once, then stop.
                    self.cols = Some(Cols::default());
                    return Some(Err(e));
                }
            },
        };
        cols.text?;
        match self.rdr.read_byte_record(&mut self.rec) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.rec.position().map(|p| p.line()).unwrap_or(0);
                let r = (|| -> Result<Record> {
                    Ok(Record {
                        thread: field(&self.rec, cols.thread, line)?,
                        id: field(&self.rec, cols.id, line)?,
                        parent: field(&self.rec, cols.parent, line)?,
                        author: field(&self.rec, cols.author, line)?,
                        time: field(&self.rec, cols.time, line)?,
                        text: field(&self.rec, cols.text, line)?,
                        status: field(&self.rec, cols.status, line)?,
                        markup: field(&self.rec, cols.markup, line)?,
                        site: field(&self.rec, cols.site, line)?,
                    })
                })();
                Some(r.map(|r| (line, r)))
            }
            Err(e) => {
                let (line, byte) = e.position().map(|p| (p.line(), p.byte())).unwrap_or((0, 0));
                let err = Error::syntax("csv", e.to_string())
                    .at_line(line)
                    .at_byte(byte);
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    // The reader cannot go on after an I/O error.
                    self.cols = Some(Cols::default());
                }
                Some(Err(err))
            }
        }
    }
}

/// Reads the input into threads, one row at a time.
pub(crate) fn read(mut input: Input) -> Threads {
    let d = input.reader.fill_buf().map(delimiter).unwrap_or(b',');
    let (file, options) = (input.file.clone(), input.options.clone());
    let rdr = csv::ReaderBuilder::new()
        .delimiter(d)
        .flexible(true)
        .from_reader(input.reader);
    let src = Rows {
        rdr,
        cols: None,
        rec: csv::ByteRecord::new(),
    };
    group(Format::Csv, file, options, src)
}

#[cfg(test)]
mod tests {
    use crate::formats::{read, Format, ReadOptions};

    fn parse(s: &str) -> Vec<crate::Result<crate::Thread>> {
        read(
            std::io::Cursor::new(s.as_bytes().to_vec()),
            None,
            None,
            ReadOptions::default(),
        )
        .unwrap()
        .collect()
    }

    #[test]
    fn detects_and_reads() {
        let r = parse("id,parent,author,time,text\n1,,ann,2020-01-01T00:00:00Z,\"hello, world\"\n2,1,bob,,\"multi\nline\"\n3,2,,,deep\n");
        let t = r[0].as_ref().unwrap();
        assert_eq!(t.walk().map(|v| v.depth).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(t.comment(0).text, "hello, world");
        assert_eq!(t.comment(1).text, "multi\nline");
        assert_eq!(t.comment(0).author.as_deref(), Some("ann"));
        assert!(t.comment(0).time.is_some());
    }

    #[test]
    fn site_column() {
        let r = parse("thread,subreddit,id,text\na,funny,1,x\na,funny,2,y\nb,,3,z\n");
        let sites: Vec<Option<String>> = r.into_iter().map(|t| t.unwrap().site).collect();
        assert_eq!(sites, [Some("funny".to_string()), None]);
    }

    #[test]
    fn tsv_and_aliases() {
        let r = parse("comment_id\tparent_id\tbody\n7\t\tone\n8\t7\ttwo\n");
        let t = r[0].as_ref().unwrap();
        assert_eq!(t.comment(1).declared_parent.as_deref(), Some("7"));
        assert_eq!(t.max_depth(), 2);
    }

    #[test]
    fn missing_text_column_is_an_error() {
        let r: Vec<_> = read(
            std::io::Cursor::new(b"id,parent\n1,\n".to_vec()),
            None,
            Some(Format::Csv),
            ReadOptions::default(),
        )
        .unwrap()
        .collect();
        assert_eq!(r.len(), 1);
        let e = r[0].as_ref().unwrap_err();
        assert!(e.to_string().contains("no text column"), "{e}");
    }

    #[test]
    fn bad_utf8_row_keeps_the_others() {
        let mut b = b"id,text\n1,ok\n2,bad \xff\n3,ok\n".to_vec();
        b.extend_from_slice(b"");
        let r: Vec<_> = read(
            std::io::Cursor::new(b),
            None,
            Some(Format::Csv),
            ReadOptions::default(),
        )
        .unwrap()
        .collect();
        assert_eq!(r[0].as_ref().unwrap().len(), 2);
        assert_eq!(r[1].as_ref().unwrap_err().position().line, Some(3));
    }
}
