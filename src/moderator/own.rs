//! The commenter's own words: quoted passages blanked out before scoring.
//!
//! Two steps. Quoted passages a reader found (`Comment::quotes`) are blanked first. Then
//! inline quotation marks around abusive words are blanked too, but only when the comment
//! also carries a reporting or counter-speech cue outside them ("calling people “vermin” is
//! dehumanising"). That second step needs the lexicon hits of the comment: the scorer takes
//! them from its own pass over the text ([`super::Moderator::score_with`]), so a comment with
//! quotation marks is normalised and matched once, not twice; only a comment whose quoted
//! abuse is blanked is scored again. [`own_text`] does both steps on its own (it matches the
//! lexicon itself) and is the reference the tests compare with.

#[cfg(test)]
use crate::lexicon::Lexicon;
use crate::lexicon::{Category, Hit};
use std::borrow::Cow;
use std::ops::Range;

/// `text` with the byte ranges `quotes` blanked with ASCII spaces (offsets kept). Borrows
/// `text` when there is nothing to blank; `text` unchanged (owned) when a range would cut a
/// character. Out-of-bounds and reversed ranges blank nothing past the text (`score_with` is
/// public; regression test: tests/hostile.rs `finding_score_with_reversed_quote`).
pub(super) fn blank_quotes<'a>(text: &'a str, quotes: &[Range<usize>]) -> Cow<'a, str> {
    if quotes.is_empty() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(blank(text, quotes, text))
}

/// `s` with `ranges` blanked with ASCII spaces (offsets kept): reader quotes, abusive inline
/// quotes, words read in an innocent sense (`senses.rs`). `fallback` (the comment as given)
/// in the unreachable case that this breaks UTF-8 (those ranges are on character boundaries).
pub(super) fn blank(s: &str, ranges: &[Range<usize>], fallback: &str) -> String {
    let mut own: Vec<u8> = s.as_bytes().to_vec();
    for r in ranges {
        let (a, e) = (r.start.min(own.len()), r.end.min(own.len()));
        // Keep UTF-8 valid: every byte of the range becomes an ASCII space.
        for b in own.get_mut(a..e).unwrap_or_default() {
            *b = b' ';
        }
    }
    String::from_utf8(own).unwrap_or_else(|_| fallback.to_string())
}

/// Byte ranges inside matching quotation marks on one line ("…", “…”, «…», and single
/// '…', ‘…’), marks included. A single mark opens only at the start of a word (after a space
/// or an opening bracket, before a non-space) and closes only at the end of one (after a
/// non-space, before a non-letter), so apostrophes ("don't", "Niger's") are not quotes.
pub(super) fn inline_quotes(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    double_quotes(text, &mut out);
    single_quotes(text, &mut out);
    out.sort_by_key(|r| r.start);
    out
}

/// "…", “…” and «…» on one line.
fn double_quotes(text: &str, out: &mut Vec<Range<usize>>) {
    // A byte search first ('"', and the first bytes of “ and «): searching for the chars
    // decodes every char of every comment (about 1% of a verdict, callgrind).
    if memchr::memchr3(b'"', 0xE2, 0xC2, text.as_bytes()).is_none()
        || !text.contains(['"', '\u{201c}', '\u{ab}'])
    {
        return;
    }
    let mut open: Option<(usize, char)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (_, '\n') => open = None,
            (None, '"') | (None, '\u{201c}') | (None, '\u{ab}') => open = Some((i, c)),
            (Some((s, '"')), '"')
            | (Some((s, '\u{201c}')), '\u{201d}')
            | (Some((s, '\u{ab}')), '\u{bb}') => {
                out.push(s..i + c.len_utf8());
                open = None;
            }
            _ => {}
        }
    }
}

/// '…' and ‘…’ on one line, opened at the start of a word and closed at the end of one.
/// Only the candidate bytes are visited (apostrophes are common; most are not quotes).
fn single_quotes(text: &str, out: &mut Vec<Range<usize>>) {
    let b = text.as_bytes();
    let mut open: Option<usize> = None;
    for i in memchr::memchr3_iter(b'\'', 0xE2, b'\n', b) {
        let c = match b[i] {
            b'\n' => {
                open = None;
                continue;
            }
            b'\'' => '\'',
            // ‘ and ’ are E2 80 98 and E2 80 99; other E2 sequences are other chars.
            _ => match b.get(i + 1..i + 3) {
                Some([0x80, 0x98]) => '\u{2018}',
                Some([0x80, 0x99]) => '\u{2019}',
                _ => continue,
            },
        };
        let prev = text[..i].chars().next_back();
        let next = text[i + c.len_utf8()..].chars().next();
        let opens = c != '\u{2019}'
            && prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '{'))
            && next.is_some_and(|n| !n.is_whitespace());
        let closes = c != '\u{2018}'
            && prev.is_some_and(|p| !p.is_whitespace())
            && next.is_none_or(|n| !n.is_alphanumeric());
        match open {
            Some(s) if closes => {
                out.push(s..i + c.len_utf8());
                open = None;
            }
            None if opens => open = Some(i),
            _ => {}
        }
    }
}

/// The inline quotes of `text` ([`inline_quotes`]) to blank, given the lexicon hits of the
/// same text: those holding an abusive term, when a reporting or counter-speech cue stands
/// outside every quote; none otherwise. The quotes are looked for only when the hits hold both
/// a cue and an abusive term (most comments hold neither).
pub(super) fn abusive_quotes(hits: &[Hit], text: &str) -> Vec<Range<usize>> {
    let abusive = |h: &Hit| {
        matches!(
            h.category,
            Category::Dehumanising
                | Category::Slur
                | Category::Insult
                | Category::Threat
                | Category::Obscene
        )
    };
    let is_cue = |h: &Hit| matches!(h.category, Category::Reporting | Category::CounterSpeech);
    if !hits.iter().any(is_cue) || !hits.iter().any(abusive) {
        return Vec::new();
    }
    let inline = inline_quotes(text);
    if inline.is_empty() {
        return Vec::new();
    }
    // Sorted look-ups, not quotes × hits: a long comment can hold a great many of both.
    // `inline` is sorted by start; quotes may nest (single inside double), so a position is
    // inside a quote when the largest end among the quotes starting at or before it is past it.
    let reach: Vec<usize> = inline
        .iter()
        .scan(0, |m, q| {
            *m = (*m).max(q.end);
            Some(*m)
        })
        .collect();
    let inside = |pos: usize| {
        let k = inline.partition_point(|q| q.start <= pos);
        k > 0 && reach[k - 1] > pos
    };
    if !hits.iter().any(|h| is_cue(h) && !inside(h.original.start)) {
        return Vec::new();
    }
    let mut starts: Vec<usize> = hits
        .iter()
        .filter(|h| abusive(h))
        .map(|h| h.original.start)
        .collect();
    starts.sort_unstable();
    inline
        .into_iter()
        .filter(|q| {
            let k = starts.partition_point(|&s| s < q.start);
            starts.get(k).is_some_and(|&s| s < q.end)
        })
        .collect()
}

/// Both steps at once, matching the lexicon itself: the reference for the scorer's
/// one-pass route (tests).
#[cfg(test)]
pub(super) fn own_text<'a>(
    text: &'a str,
    quotes: &[Range<usize>],
    lexicon: &Lexicon,
) -> Cow<'a, str> {
    let s = blank_quotes(text, quotes);
    let hits = lexicon.find(&crate::text::normalize(&s));
    let abusive = abusive_quotes(&hits, &s);
    if abusive.is_empty() {
        return s;
    }
    Cow::Owned(blank(&s, &abusive, text))
}
