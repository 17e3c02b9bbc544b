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

fn find_region(lines: &[Line<'_>]) -> Option<Region> {
    let markers: Vec<Option<Marker>> = lines.iter().map(marker).collect();
    // 1. After the last heading whose section holds a bulleted line; else the last heading.
    let headings: Vec<usize> = (0..lines.len())
        .filter(|&i| markers[i].is_none() && is_heading(lines[i].content))
        .collect();
    // `ends[i]`: the end marker at or after line i; a heading's section holds a marker when
    // the next marker comes before it (linear, however many headings).
    let is_end: Vec<bool> = lines
        .iter()
        .map(|l| end_marker(l.content) == Some(false))
        .collect();
    let mut next_end = vec![lines.len(); lines.len() + 1];
    let mut next_marker = vec![lines.len(); lines.len() + 1];
    for i in (0..lines.len()).rev() {
        next_end[i] = if is_end[i] { i } else { next_end[i + 1] };
        next_marker[i] = if markers[i].is_some() {
            i
        } else {
            next_marker[i + 1]
        };
    }
    let section_has_marker = |h: usize| next_marker[h + 1] < next_end[h + 1];
    if let Some(&h) = headings
        .iter()
        .rev()
        .find(|&&h| section_has_marker(h))
        .or(headings.last())
    {
        return Some(Region {
            start: h + 1,
            end: lines.len(),
            heading: true,
        });
    }
    // 2. No heading: the indented, bulleted block just before an end marker (or the end).
    let ends = (0..lines.len())
        .filter(|&i| is_end[i])
        .chain(std::iter::once(lines.len()));
    let mut prev_end = 0;
    for e in ends {
        let mut min_tc = usize::MAX;
        let mut min_plain = usize::MAX;
        let mut best = None;
        // A region never spans an end marker: each line is scanned once.
        for i in (prev_end..e).rev() {
            let l = &lines[i];
            if l.blank() {
                continue;
            }
            if let Some(m) = markers[i] {
                min_tc = min_tc.min(m.text_col);
                if min_plain >= min_tc {
                    best = Some(i);
                }
            } else if chrome(l.content).is_some() {
                continue;
            } else {
                min_plain = min_plain.min(l.indent);
                if min_plain == 0 {
                    break;
                }
            }
        }
        prev_end = e + 1;
        if let Some(start) = best {
            let evidence = e < lines.len()
                || (start..e).any(|i| markers[i].is_none() && chrome(lines[i].content).is_some());
            if evidence {
                return Some(Region {
                    start,
                    end: e,
                    heading: false,
                });
            }
        }
    }
    None
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
    if pending.len() > opts.max_comments_per_thread {
        return Err(Error::limit(
            "comments per thread",
            opts.max_comments_per_thread as u64,
        ));
    }
    assemble(&lines, pending, flat, opts.max_comment_bytes, &mut b)?;
    Ok(b.finish())
}

/// Pass 1: finds comment starts in the region and the lines that belong to each.
fn collect(lines: &[Line<'_>], region: &Region, b: &mut ThreadBuilder) -> (Vec<Pending>, bool) {
    let end = region.end.min(lines.len());
    let span = region.start.min(end)..end;
    let markers: Vec<Option<Marker>> = lines[span.clone()].iter().map(marker).collect();
    let mk = |i: usize| markers.get(i - span.start).copied().flatten();
    let chrome_mode = span
        .clone()
        .any(|i| mk(i).is_none() && matches!(chrome(lines[i].content), Some(c) if c != Chrome::Loading && c != Chrome::Moderation));
    // Blank-line mode: comments are separated by blank lines (not lynx).
    let (mut after_blank, mut not_after_blank) = (0, 0);
    for i in span.clone() {
        if mk(i).is_some() && i > span.start {
            let p = &lines[i - 1];
            if p.blank() {
                after_blank += 1;
            } else if chrome(p.content).is_none() {
                not_after_blank += 1;
            }
        }
    }
    let blank_mode = after_blank > 0 && after_blank >= not_after_blank;
    let flat = !span.clone().any(|i| mk(i).is_some());

    let mut out: Vec<Pending> = Vec::new();
    let mut cur: Option<Pending> = None;
    let mut min_tc = usize::MAX;
    let mut prev_blank = true;
    let mut prev_chrome = false;
    let mut ambiguous_lists = 0usize;
    let mut ambiguous_replies = 0usize;
    let mut paginated = false;
    let mut ended = false;
    for i in span.clone() {
        let l = &lines[i];
        if l.blank() {
            if let Some(c) = cur.as_mut() {
                c.body.push(None);
            }
            prev_blank = true;
            continue;
        }
        let below = flat || cur.as_ref().map_or(true, |c| l.indent < c.text_col);
        if let Some(closed) = end_marker(l.content).filter(|_| below) {
            if is_pagination(l.content) {
                paginated = true;
            }
            if !closed || cur.is_some() || !out.is_empty() {
                ended = true;
                break;
            }
            prev_blank = false;
            continue;
        }
        let m = if flat { None } else { mk(i) };
        if let Some(m) = m {
            let start = match &cur {
                None => true,
                Some(c) => {
                    let inside = m.col >= c.text_col;
                    if blank_mode && !prev_blank && !prev_chrome {
                        false
                    } else if inside && chrome_mode && !c.seen_chrome {
                        // No Like/Reply line closed the comment: a list item of its own, or
                        // a reply to a comment nobody liked? Look at what follows.
                        let list = list_item_follows(lines, span.end, i, m);
                        if list {
                            ambiguous_lists += 1;
                        } else {
                            ambiguous_replies += 1;
                        }
                        !list
                    } else {
                        true
                    }
                }
            };
            if start {
                if let Some(c) = cur.take() {
                    out.push(c);
                }
                min_tc = min_tc.min(m.text_col);
                cur = Some(Pending::new(i, m, l.content.get(m.text_at..).unwrap_or("")));
                prev_blank = false;
                prev_chrome = false;
                continue;
            }
        }
        if let Some(ch) = chrome(l.content) {
            if let Some(c) = cur.as_mut() {
                match ch {
                    Chrome::Likes(n) => c.likes = Some(n),
                    Chrome::Moderation => c.status = Status::Pending,
                    _ => {}
                }
                if !matches!(ch, Chrome::Moderation | Chrome::Loading) {
                    c.seen_chrome = true;
                }
                c.last_line = i;
            }
            prev_chrome = true;
            prev_blank = false;
            continue;
        }
        // A plain line.
        if !flat && min_tc != usize::MAX && l.indent < min_tc {
            break; // dedented below every comment: the page footer
        }
        prev_blank = false;
        prev_chrome = false;
        if flat && cur.as_ref().is_some_and(|c| c.seen_chrome) {
            // Flattened scrape: a comment ends after its Like/Reply lines.
            out.extend(cur.take());
        }
        match cur.as_mut() {
            Some(c) => {
                c.body.push(Some((l.content.to_string(), m.is_some())));
                c.last_line = i;
            }
            None if flat => {
                let m = Marker {
                    col: l.indent,
                    text_col: l.indent,
                    text_at: 0,
                    numbered: false,
                    bullet: ' ',
                };
                cur = Some(Pending::new(i, m, l.content));
            }
            None => {} // text between the heading and the first comment
        }
    }
    if let Some(c) = cur.take() {
        // In a flattened scrape, trailing text with no Like/Reply line is a comment only
        // when the region was closed by an end marker (else it is the page footer).
        if !flat || c.seen_chrome || ended {
            out.push(c);
        }
    }
    if flat {
        let chromed = out.iter().filter(|c| c.seen_chrome).count();
        if chromed == 0 {
            if !out.is_empty() {
                b.note("comment region has no bullets and no Like/Reply lines: comments cannot be separated, none read");
            }
            out.clear();
        } else {
            b.note(format!(
                "flattened scrape (no bullets or indentation): {} comments split at Like/Reply lines and read as top level; reply nesting is not recoverable",
                out.len()
            ));
        }
    } else {
        if ambiguous_lists > 0 {
            b.note(format!(
                "{ambiguous_lists} bulleted line(s) inside a comment with no Like/Reply line before them were read as the comment's own list, not as replies (ambiguous)"
            ));
        }
        if ambiguous_replies > 0 {
            b.note(format!(
                "{ambiguous_replies} bulleted line(s) inside a comment with no Like/Reply line before them were read as replies, from the lines that follow (ambiguous)"
            ));
        }
        if !chrome_mode && out.len() > 1 {
            b.note("no Like/Reply lines in the scrape: a bulleted list inside a comment cannot be told from replies; bullets at reply columns were read as replies");
        }
        let lynx = !blank_mode
            && out.iter().any(|c| c.marker.numbered)
            && out
                .iter()
                .any(|c| matches!(c.marker.bullet, '+' | 'o' | '#'));
        if lynx {
            b.note("lynx-style rendering (numbers, then + o #, no blank lines): lynx draws a reply whose children list follows its parent's </li> at the parent's column, so depths here are a lower bound");
        }
    }
    if paginated {
        b.note("comments are paginated (Older/Newer Comments): other pages are not in this input");
    }
    (out, flat)
}

/// For a bulleted line at `i` inside a comment: does what follows look like the rest of a
/// list (another item right below at the same column, or the comment's own text resuming
/// left of the item's text) rather than a reply (its own chrome, text or replies)?
fn list_item_follows(lines: &[Line<'_>], end: usize, i: usize, m: Marker) -> bool {
    let mut j = i + 1;
    while j < end && lines[j].blank() {
        j += 1;
    }
    let Some(next) = lines.get(j).filter(|_| j < end) else {
        return false;
    };
    if let Some(mj) = marker(next) {
        return j == i + 1 && mj.col == m.col;
    }
    if chrome(next.content).is_some() || end_marker(next.content).is_some() {
        return false;
    }
    next.indent < m.text_col
}

/// Stack-based parent assignment from text columns (ranked); returns (id, parent, rank) for
/// each column, plus notes. Iterative: any depth.
fn link(
    cols: &[usize],
    lines: &[usize],
    b: &mut ThreadBuilder,
) -> Vec<(String, Option<String>, u32)> {
    let mut ranks: Vec<usize> = cols.to_vec();
    ranks.sort_unstable();
    ranks.dedup();
    struct Entry {
        col: usize,
        id: usize,
        kids: u64,
        depth: u32,
    }
    let mut stack: Vec<Entry> = Vec::new();
    let mut top_level = 0u64;
    let mut missing: HashMap<usize, u64> = HashMap::new();
    let mut out: Vec<(String, Option<String>, u32)> = Vec::with_capacity(cols.len());
    let mut orphans = 0usize;
    let mut skipped = 0usize;
    for (k, &col) in cols.iter().enumerate() {
        while stack.last().is_some_and(|t| t.col >= col) {
            stack.pop();
        }
        let rank = ranks.binary_search(&col).map(|r| r as u32 + 1).unwrap_or(1);
        let line = lines.get(k).copied().unwrap_or(0) + 1;
        let (id, parent, depth) = match stack.last_mut() {
            Some(t) => {
                t.kids += 1;
                let pid = out[t.id].0.clone();
                if rank > t.depth + 1 {
                    skipped += 1;
                }
                (format!("{pid}.{}", t.kids), Some(pid), t.depth + 1)
            }
            None if rank > 1 => {
                // The parent is not here (another page of comments).
                orphans += 1;
                let n = missing.entry(rank as usize).or_insert(0);
                *n += 1;
                let pid = if rank <= 64 {
                    vec!["0"; rank as usize - 1].join(".")
                } else {
                    format!("0~{}", rank - 1)
                };
                (format!("{pid}.{n}"), Some(pid), rank)
            }
            None => {
                top_level += 1;
                (top_level.to_string(), None, 1)
            }
        };
        let id = if id.len() > MAX_PATH_ID || id.starts_with("line:") {
            format!("line:{line}")
        } else {
            id
        };
        stack.push(Entry {
            col,
            id: k,
            kids: 0,
            depth,
        });
        out.push((id, parent, rank));
    }
    if orphans > 0 {
        b.note(format!(
            "{orphans} comment(s) start below the top level with no parent on this page (paginated comments?): kept as orphans"
        ));
    }
    if skipped > 0 {
        b.note(format!(
            "{skipped} comment(s) are indented more than one level below the comment above them: read as its replies"
        ));
    }
    let deepest = ranks.len() as u32;
    if (5..=10).contains(&deepest) {
        let at_max = out.iter().filter(|o| o.2 == deepest).count();
        if at_max > 1 {
            b.note(format!(
                "{at_max} comments at the deepest indentation level ({deepest}); if that is the site's maximum thread depth, replies among them are drawn as siblings and their parents are not recoverable"
            ));
        }
    }
    out
}

/// Pass 2: ids, parents, body text and chrome-derived metadata.
fn assemble(
    lines: &[Line<'_>],
    pending: Vec<Pending>,
    flat: bool,
    max_bytes: usize,
    b: &mut ThreadBuilder,
) -> Result<()> {
    let cols: Vec<usize> = pending
        .iter()
        .map(|p| if flat { 0 } else { p.text_col })
        .collect();
    let starts: Vec<usize> = pending.iter().map(|p| p.line).collect();
    let linked = link(&cols, &starts, b);
    for (mut p, (id, parent, rank)) in pending.into_iter().zip(linked) {
        take_header(&mut p);
        let text = join_body(&p.body);
        if text.len() > max_bytes {
            return Err(Error::limit("comment size in bytes", max_bytes as u64)
                .at_line(p.line as u64 + 1)
                .for_comment(id));
        }
        let raw = lines
            .get(p.line..=p.last_line.max(p.line))
            .unwrap_or_default()
            .iter()
            .map(|l| l.raw)
            .collect::<Vec<_>>()
            .join("\n");
        let mut c = Comment::new(id, text);
        c.declared_parent = parent;
        c.raw = raw;
        c.quotes = super::html::quote_lines(&c.text);
        c.author = p.author;
        c.likes = p.likes;
        c.status = p.status;
        c.source_depth = (!flat).then_some(rank);
        if c.text.starts_with("Pingback:") {
            c.kind = CommentKind::Pingback;
        } else if c.text.starts_with("Trackback:") {
            c.kind = CommentKind::Trackback;
        }
        c.offset = Some(p.line as u64 + 1);
        c.offset_is_line = true;
        b.push(c);
    }
    Ok(())
}

/// Moves an author/date header at the top of the body into `author`.
fn take_header(p: &mut Pending) {
    let firsts: Vec<usize> = p
        .body
        .iter()
        .enumerate()
        .filter(|(_, l)| l.is_some())
        .map(|(i, _)| i)
        .take(3)
        .collect();
    let text = |i: usize| p.body[i].as_ref().map(|l| l.0.as_str()).unwrap_or("");
    let Some(&f) = firsts.first() else {
        return;
    };
    let mut drop_to = None;
    match header(text(f)) {
        Some(a) if !a.is_empty() && firsts.len() > 1 => {
            p.author = Some(a);
            drop_to = Some(f);
            // A date line right under the author line.
            if let Some(&g) = firsts.get(1) {
                if header(text(g)).is_some_and(|a| a.is_empty()) && firsts.len() > 2 {
                    drop_to = Some(g);
                }
            }
        }
        Some(a) if a.is_empty() && firsts.len() > 1 => drop_to = Some(f),
        None => {
            // `Name` alone, then a date line.
            let short =
                text(f).split_whitespace().count() <= 6 && !text(f).ends_with(['.', '!', '?', ':']);
            if let (true, Some(&g)) = (short, firsts.get(1)) {
                if header(text(g)).is_some_and(|a| a.is_empty()) && firsts.len() > 2 {
                    p.author = Some(strip_avatar(text(f)).to_string());
                    drop_to = Some(g);
                }
            }
        }
        _ => {}
    }
    if let Some(d) = drop_to {
        p.body.drain(..=d);
    }
}

/// Joins body lines: wrapped lines with a space, list items and `>` lines on their own line,
/// blank lines as paragraph breaks.
fn join_body(body: &[Option<(String, bool)>]) -> String {
    let mut out = String::new();
    let mut gap = false;
    let mut prev_own_line = false;
    for l in body {
        match l {
            None => gap = !out.is_empty(),
            Some((t, list)) => {
                let own = *list || t.starts_with('>');
                if !out.is_empty() {
                    if gap {
                        out.push_str("\n\n");
                    } else if own || prev_own_line {
                        out.push('\n');
                    } else {
                        out.push(' ');
                    }
                }
                out.push_str(t);
                gap = false;
                prev_own_line = own;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_chain_links_iteratively() {
        let n = 100_000;
        let cols: Vec<usize> = (0..n).map(|i| 2 * i + 4).collect();
        let lines: Vec<usize> = (0..n).collect();
        let mut b = ThreadBuilder::new("deep");
        let linked = link(&cols, &lines, &mut b);
        assert_eq!(linked[0].0, "1");
        assert_eq!(linked[1].0, "1.1");
        assert_eq!(linked[n - 1].0, format!("line:{n}"));
        assert_eq!(linked[n - 1].2, n as u32);
        for (id, parent, _) in linked {
            b.push(Comment::new(id, "x").with_parent(parent));
        }
        let t = b.finish();
        assert_eq!(t.max_depth(), n as u32);
        assert_eq!(t.walk().count(), n);
    }
}
