//! Reader for comment threads in text scraped from WordPress.com pages (w3m/lynx dumps,
//! copy-and-paste, extractors): bullets or numbers and indentation, "Liked by N people".
//!
//! The algorithm follows `docs/thread-formats.md` §5:
//! 1. cut the comment region: after a comments heading (`13 Comments`, `N thoughts on “…”`)
//!    or, without one, from the first bulleted line of the indented block that ends at a
//!    `Leave a Reply`-style line; end at the form or navigation lines, or at a line indented
//!    less than any comment's text;
//! 2. comment starts are lines opening with a bullet or `N.` marker (marker-only lines too);
//! 3. depth is the *rank* of the column where the text after the marker starts, and parents
//!    come from a stack (pop while the top's column is >= this one);
//! 4. the lines that follow belong to the comment; chrome (`Liked by N people`, `Like`,
//!    `Reply`, "awaiting moderation", `Name says:` / date lines) becomes metadata.
//!
//! Choices, documented here and tested: a page with no comment thread gives **one thread
//! with zero comments**, never an error. Ids are synthesised from the path (`1`, `1.2`,
//! `1.2.1`; a comment whose parent is on another page gets `0.1`), or `line:N` once a path id
//! would pass 256 bytes. `offset` is the 1-based line of the comment start. Where nesting is
//! ambiguous (a bulleted list inside a comment, a flattened scrape, lynx's under-reported
//! depth, WordPress's maximum depth) the thread gets a note instead of a silent guess.
//! Dates shown on the page carry no time zone, so `time` is left empty.

use super::{Format, Input, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, CommentKind, Status, Thread, ThreadBuilder};
use std::collections::HashMap;

mod build;
mod scan;

use build::assemble;
use scan::{collect, find_region};

const FORMAT: &str = "wpcom-text";
const TAB: usize = 8;
const MAX_PATH_ID: usize = 256;

/// Does the start of the input look like this format? Any UTF-8 text (the head may end in a
/// cut character) that is not markup or JSON and holds no control bytes but `\t\r\n\f`: this
/// is the fallback for plain text. Empty or blank input is not claimed.
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = super::trim_head(head);
    let Some(&first) = h.first() else {
        return false;
    };
    if first == b'<' || first == b'{' {
        return false;
    }
    if first == b'[' {
        let rest = super::trim_head(&h[1..]);
        if matches!(
            rest.first(),
            None | Some(b'{' | b'[' | b'"' | b']' | b'0'..=b'9')
        ) {
            return false;
        }
    }
    if head
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n' | 0x0c)) || b == 0x7f)
    {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        // Only a character cut by the end of the head is allowed.
        Err(e) => e.error_len().is_none(),
    }
}

/// Reads the input into threads: always exactly one thread (possibly with zero comments).
pub(crate) fn read(mut input: Input) -> Threads {
    let r = input
        .read_string(FORMAT)
        .and_then(|s| parse(&s, input.default_thread_id(), &input))
        .map(|t| vec![t])
        .map_err(|e| input.locate(e));
    Threads::from_result(Format::WpcomText, r)
}

/// One input line, measured.
struct Line<'a> {
    /// Column of the first non-space character (tabs expanded to 8, NBSP etc. = 1).
    indent: usize,
    /// The line without its indentation and trailing spaces.
    content: &'a str,
    /// The line as in the file (without `\r\n`).
    raw: &'a str,
}

impl Line<'_> {
    fn blank(&self) -> bool {
        self.content.is_empty()
    }
}

/// Notes `"{n} {what}"` on the thread for each count `n` that is not zero, in order.
fn note_counts(b: &mut ThreadBuilder, counts: &[(usize, &str)]) {
    for &(n, what) in counts {
        if n > 0 {
            b.note(format!("{n} {what}"));
        }
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Advances over spaces starting at column `col`; returns (new column, bytes consumed).
fn skip_spaces(s: &str, mut col: usize) -> (usize, usize) {
    for (i, c) in s.char_indices() {
        if c == '\t' {
            col = (col / TAB + 1) * TAB;
        } else if is_space(c) {
            col += 1;
        } else {
            return (col, i);
        }
    }
    (col, s.len())
}

fn split_lines(s: &str) -> Vec<Line<'_>> {
    s.split('\n')
        .map(|raw| {
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let (indent, at) = skip_spaces(raw, 0);
            let content = raw.get(at..).unwrap_or("").trim_end_matches(is_space);
            Line {
                indent,
                content,
                raw,
            }
        })
        .collect()
}

/// A bullet or number opening a line.
#[derive(Debug, Clone, Copy)]
struct Marker {
    /// Column of the marker itself.
    col: usize,
    /// Column where the text after it starts (one space assumed after a marker-only line).
    text_col: usize,
    /// Byte offset in `content` where the text starts.
    text_at: usize,
    /// The marker is `N.`.
    numbered: bool,
    /// The bullet character (`'1'` for numbers).
    bullet: char,
}

const BULLETS: &[char] = &[
    '•', '◦', '▪', '□', '☆', '○', '*', '+', 'o', '#', '-', '‣', '●', '■', '▫', '★', '–',
];

const MONTHS: &str = "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december januar jänner februar märz mai juni juli oktober dezember janvier février mars avril juin juillet août septembre octobre novembre décembre enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre okt dez mär janv févr avr juil déc";

fn is_month(word: &str) -> bool {
    let w = word.trim_end_matches(['.', ',']).to_lowercase();
    MONTHS.split(' ').any(|m| m == w)
}

fn marker(line: &Line<'_>) -> Option<Marker> {
    let c = line.content;
    let first = c.chars().next()?;
    let (len, numbered) = if BULLETS.contains(&first) {
        (first.len_utf8(), false)
    } else {
        let digits = c.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 4 || c.as_bytes().get(digits) != Some(&b'.') {
            return None;
        }
        (digits + 1, true)
    };
    let rest = c.get(len..)?;
    let after = rest.chars().next();
    if !matches!(after, None | Some(' ' | '\t' | '\u{a0}')) && !after.is_some_and(is_space) {
        return None;
    }
    let mcol = line.indent + c[..len].chars().count();
    let (mut text_col, skip) = skip_spaces(rest, mcol);
    let text = &rest[skip..];
    if text.is_empty() {
        text_col = mcol + 1;
    }
    // `19. Juni 2019`: a date at line start is not a number marker.
    if numbered && text.split_whitespace().next().is_some_and(is_month) {
        return None;
    }
    Some(Marker {
        col: line.indent,
        text_col,
        text_at: len + skip,
        numbered,
        bullet: if numbered { '1' } else { first },
    })
}

/// Chrome lines: page furniture around a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chrome {
    Likes(i64),
    Like,
    Reply,
    Moderation,
    Loading,
}

/// `Liked by 21 people`, `Liked by 1 person`, `Liked by 1,204 people` → the count.
pub(super) fn parse_liked_by(s: &str) -> Option<i64> {
    let s = s.trim();
    let r = s.strip_prefix("Liked by ")?.trim_start();
    let r = r.strip_prefix("you and ").unwrap_or(r);
    let digits: String = r
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    let n: i64 = digits.parse().ok()?;
    let tail = r
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ',')
        .trim();
    let ok = ["people", "person", "others", "other", "bloggers", "blogger"]
        .iter()
        .any(|w| tail.starts_with(w));
    ok.then_some(n)
}

fn chrome(content: &str) -> Option<Chrome> {
    let mut s = content.trim();
    let mut like = false;
    loop {
        if let Some(n) = parse_liked_by(s) {
            return Some(Chrome::Likes(n));
        }
        match s.strip_prefix("Like") {
            Some(r) if !r.starts_with(|c: char| c.is_alphabetic() && c != 'L') => {
                like = true;
                s = r.trim_start();
            }
            _ => break,
        }
    }
    let low = s.to_lowercase();
    if low.starts_with("loading") && low.len() <= 12 {
        return Some(Chrome::Loading);
    }
    if like && s.is_empty() {
        return Some(Chrome::Like);
    }
    if like {
        return None;
    }
    const REPLY: &str =
        "reply|reply ↓|↓ reply|reply to this comment|antworten|répondre|responder|rispondi|reply →";
    if REPLY.split('|').any(|r| r == low) {
        return Some(Chrome::Reply);
    }
    if low.starts_with("your comment is awaiting moderation")
        || low.starts_with("dein kommentar muss noch freigegeben werden")
    {
        return Some(Chrome::Moderation);
    }
    None
}

/// Lines that end the comment region. `closed` lines end it only after a comment.
fn end_marker(content: &str) -> Option<bool> {
    let low = content.trim().to_lowercase();
    const ENDS: &str = "leave a reply|leave a comment|cancel reply|schreibe einen kommentar|hinterlasse einen kommentar|kommentar verfassen|laisser un commentaire|deja una respuesta|fill in your details below|you are commenting using your|post navigation|post a comment|add a comment|« older comments|older comments|newer comments »|newer comments|← older comments";
    // A short line opening with one of these (a body line that merely starts so is longer).
    if ENDS
        .split('|')
        .any(|e| low.starts_with(e) && low.len() <= e.len() + 48)
    {
        return Some(false);
    }
    if low.starts_with("comments are closed") || low.starts_with("kommentare sind geschlossen") {
        return Some(true);
    }
    None
}

fn is_pagination(content: &str) -> bool {
    let low = content.to_lowercase();
    low.contains("older comments") || low.contains("newer comments")
}

/// `13 Comments`, `One thought on “…”`, `12 Responses to …`, `2 Kommentare`, `Comments`.
fn is_heading(content: &str) -> bool {
    let c = content.trim();
    if c.is_empty() || c.chars().count() > 200 {
        return false;
    }
    let low = c.to_lowercase();
    const ALONE: &str = "comments responses discussion kommentare commentaires";
    if ALONE.split(' ').any(|a| a == low.trim_end_matches(':')) {
        return true;
    }
    let mut words = low.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let counted = first.chars().all(|c| c.is_ascii_digit() || c == ',')
        || ["one", "no", "two", "three", "ein", "zwei", "un", "une"].contains(&first);
    let Some(second) = words.next() else {
        return false;
    };
    const NOUNS: &str = "comment comments response responses reply replies thought thoughts kommentar kommentare gedanke gedanken commentaire commentaires comentario comentarios reaktionen";
    let third_ok = match words.next() {
        None => true,
        Some(w) => "on to zu sur en in for about auf so far"
            .split(' ')
            .any(|x| x == w),
    };
    counted
        && third_ok
        && NOUNS
            .split(' ')
            .any(|n| n == second.trim_end_matches([':', ',']))
}

/// Drops w3m's avatar alt text (`[71d] JanBeek` → `JanBeek`).
fn strip_avatar(line: &str) -> &str {
    let s = line.trim();
    s.strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .filter(|(a, _)| a.len() <= 12 && !a.contains(' '))
        .map_or(s, |(_, rest)| rest.trim_start())
}

/// Splits `Name Jun 20th at 2:41 am` / `Name says:`: Some(author) when the line is an
/// author header; Some("") when the whole line is a date.
fn header(line: &str) -> Option<String> {
    let s = strip_avatar(line);
    if s.chars().count() > 160 {
        return None;
    }
    for says in [" says:", " sagt:", " dit :", " said:", " says"] {
        if let Some(a) = s.strip_suffix(says) {
            if !a.is_empty() && a.split_whitespace().count() <= 8 {
                return Some(a.trim().to_string());
            }
        }
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let has_time = |w: &[&str]| {
        w.iter().any(|t| {
            let t = t.trim_end_matches([',', '.']);
            let timey = t.split_once(':').is_some_and(|(a, b)| {
                !a.is_empty()
                    && a.len() <= 2
                    && a.bytes().all(|b| b.is_ascii_digit())
                    && b.len() >= 2
                    && b.bytes().take(2).all(|b| b.is_ascii_digit())
            });
            let year = t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit());
            timey || year
        })
    };
    for i in 0..words.len() {
        if words.len() - i > 8 || i > 8 {
            continue;
        }
        let w = words[i];
        let day_first = w.trim_end_matches('.').bytes().all(|b| b.is_ascii_digit())
            && w.len() <= 3
            && words.get(i + 1).is_some_and(|m| is_month(m));
        let iso = w.len() >= 10
            && w.as_bytes().get(4) == Some(&b'-')
            && w.as_bytes().get(7) == Some(&b'-')
            && w[..4].bytes().all(|b| b.is_ascii_digit());
        if (is_month(w) || day_first || iso) && has_time(&words[i..]) {
            let author = words[..i].join(" ");
            return Some(
                author
                    .trim_end_matches([',', '·', '|', '-'])
                    .trim()
                    .to_string(),
            );
        }
    }
    None
}

/// A comment being collected.
struct Pending {
    line: usize,
    text_col: usize,
    marker: Marker,
    /// Body lines: (text, is a list item), `None` = blank.
    body: Vec<Option<(String, bool)>>,
    last_line: usize,
    author: Option<String>,
    likes: Option<i64>,
    status: Status,
    seen_chrome: bool,
}

impl Pending {
    fn new(line: usize, marker: Marker, text: &str) -> Pending {
        Pending {
            line,
            text_col: marker.text_col,
            marker,
            body: if text.is_empty() {
                Vec::new()
            } else {
                vec![Some((text.to_string(), false))]
            },
            last_line: line,
            author: None,
            likes: None,
            status: Status::Approved,
            seen_chrome: false,
        }
    }
}

/// Where the comment region is and how it was found.
struct Region {
    start: usize,
    end: usize,
    /// From a heading (else from the indented block before an end marker).
    heading: bool,
}

fn parse(s: &str, id: String, input: &Input) -> Result<Thread> {
    let lines = split_lines(s);
    let mut b = ThreadBuilder::new(id);
    let region = find_region(&lines);
    let title_end = region.as_ref().map(|r| r.start).unwrap_or(lines.len());
    let title = lines[..title_end.min(lines.len())]
        .iter()
        .find(|l| {
            !(l.blank() || region.as_ref().is_some_and(|r| r.heading) && is_heading(l.content))
        })
        .map(|l| l.content.to_string());
    b.title(title);
    let Some(region) = region else {
        if lines
            .iter()
            .any(|l| chrome(l.content).is_some_and(|c| c != Chrome::Loading))
        {
            b.note("Like/Reply lines found but no comments heading or bulleted comment list: no comments read");
        }
        return Ok(b.finish());
    };
    let (pending, flat) = collect(&lines, &region, &mut b);
    let opts = &input.options;
    if let Some(p) = pending.get(opts.max_comments_per_thread) {
        // The first comment over the limit: its line, and the byte where that line starts.
        let mut e = Error::limit("comments per thread", opts.max_comments_per_thread as u64)
            .at_line(p.line as u64 + 1);
        if let Some(l) = lines.get(p.line) {
            e = e.at_byte((l.raw.as_ptr() as usize - s.as_ptr() as usize) as u64);
        }
        return Err(e);
    }
    assemble(&lines, pending, flat, opts.max_comment_bytes, &mut b)?;
    Ok(b.finish())
}
