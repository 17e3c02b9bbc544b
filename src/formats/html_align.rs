//! The map from the clean text of an HTML body back to the HTML it came from.
//!
//! html5ever does not report source positions, so the map is rebuilt after the conversion:
//! a small lexer walks the raw HTML and yields its character data with raw byte ranges
//! (skipping tags, comments and `<script>`/`<style>`/`<template>` contents, decoding
//! entities with html5ever's own table), and the characters of the clean text are matched
//! against it in order. Every mapped character is checked equal to what its raw bytes decode
//! to, so the map is never wrong, only sometimes incomplete: text that cannot be matched
//! within a short look-ahead (html5ever moving text out of a broken table, say) is left
//! unmapped and maps to the raw bytes between its neighbours, like the breaks and spaces the
//! converter writes itself. Cost: linear in the input (look-aheads that find nothing are
//! capped in total; past the cap the rest of the text is left unmapped).

use crate::thread::{AlignBuilder, Alignment};

/// Raw items, and raw bytes, skipped while looking for one text character before giving up
/// on it (which keeps the work linear on hostile input).
const LOOKAHEAD: usize = 256;
const LOOKAHEAD_BYTES: usize = 16 * 1024;

/// One piece of character data: its decoded characters (one, or two for a few entities)
/// and where it is in the raw HTML.
#[derive(Debug, Clone, Copy)]
struct Item {
    chars: [char; 2],
    n: u8,
    start: usize,
    end: usize,
}

impl Item {
    fn literal(&self, raw: &str) -> bool {
        self.n == 1 && self.end - self.start == self.chars[0].len_utf8() && {
            let mut b = [0u8; 4];
            raw.as_bytes()[self.start..self.end] == *self.chars[0].encode_utf8(&mut b).as_bytes()
        }
    }
}

/// Walks the character data of an HTML fragment.
#[derive(Debug, Clone)]
struct Lexer<'a> {
    raw: &'a str,
    at: usize,
}

impl<'a> Lexer<'a> {
    fn next_item(&mut self) -> Option<Item> {
        let b = self.raw.as_bytes();
        loop {
            let i = self.at;
            let c = self.raw.get(i..)?.chars().next()?;
            if c == '<' {
                if let Some(next) = self.skip_markup(i) {
                    self.at = next;
                    continue;
                }
            }
            if c == '&' {
                if let Some((chars, n, end)) = entity(self.raw, i) {
                    self.at = end;
                    return Some(Item {
                        chars,
                        n,
                        start: i,
                        end,
                    });
                }
            }
            let (c, len) = match c {
                '\r' if b.get(i + 1) == Some(&b'\n') => ('\n', 2),
                '\r' => ('\n', 1),
                c => (c, c.len_utf8()),
            };
            self.at = i + len;
            return Some(Item {
                chars: [c, '\0'],
                n: 1,
                start: i,
                end: i + len,
            });
        }
    }

    /// If markup starts at `i` (a tag, a comment, a declaration), the offset after it (and
    /// after the contents of a raw-text element).
    fn skip_markup(&self, i: usize) -> Option<usize> {
        let raw = self.raw;
        let b = raw.as_bytes();
        let rest = &raw[i..];
        let find = |from: usize, pat: &str| raw[from..].find(pat).map(|k| from + k);
        if rest.starts_with("<!--") {
            return Some(find(i + 4, "-->").map_or(raw.len(), |k| k + 3));
        }
        let next = *b.get(i + 1)?;
        if next == b'!' || next == b'?' {
            return Some(find(i + 2, ">").map_or(raw.len(), |k| k + 1));
        }
        let closing = next == b'/';
        let name_at = if closing { i + 2 } else { i + 1 };
        if !b.get(name_at)?.is_ascii_alphabetic() {
            return None;
        }
        let name_end = b[name_at..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
            .map_or(b.len(), |k| name_at + k);
        // The end of the tag, skipping quoted attribute values.
        let mut k = name_end;
        let mut quote = None;
        while k < b.len() {
            match (quote, b[k]) {
                (None, b'>') => break,
                (None, q @ (b'"' | b'\''))
                    if b[k - 1] == b'=' || b[k - 1].is_ascii_whitespace() =>
                {
                    quote = Some(q)
                }
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            k += 1;
        }
        let after = (k + 1).min(b.len());
        let name = raw[name_at..name_end].to_ascii_lowercase();
        if !closing && matches!(name.as_str(), "script" | "style" | "template") {
            // Up to the matching end tag, compared without case and without allocating.
            let mut from = after;
            while let Some(p) = find(from, "</") {
                let tag = b.get(p + 2..p + 2 + name.len());
                if tag.is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes())) {
                    return Some(find(p, ">").map_or(raw.len(), |e| e + 1));
                }
                from = p + 2;
            }
            return Some(raw.len());
        }
        Some(after)
    }
}

/// Decodes a character reference or named entity at `i` (which holds `&`), the way the
/// HTML tokenizer does in text: `&#NN;`, `&#xHH;`, `&name;`, and the legacy names without
/// `;` (`&amp`, `&copy`). Returns the characters and the offset after the reference.
fn entity(raw: &str, i: usize) -> Option<([char; 2], u8, usize)> {
    let b = raw.as_bytes();
    let mut k = i + 1;
    if b.get(k) == Some(&b'#') {
        k += 1;
        let hex = matches!(b.get(k), Some(b'x' | b'X'));
        if hex {
            k += 1;
        }
        let digits = b[k..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        let v = u32::from_str_radix(&raw[k..k + digits.min(8)], if hex { 16 } else { 10 })
            .unwrap_or(u32::MAX);
        let v = if digits > 8 { u32::MAX } else { v };
        k += digits;
        if b.get(k) == Some(&b';') {
            k += 1;
        }
        let c = match v {
            0 => '\u{FFFD}',
            0x80..=0x9F => markup5ever::data::C1_REPLACEMENTS[(v - 0x80) as usize]
                .unwrap_or_else(|| char::from_u32(v).unwrap_or('\u{FFFD}')),
            v => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        return Some(([c, '\0'], 1, k));
    }
    let name_len = b[k..]
        .iter()
        .take(40)
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return None;
    }
    let table = &markup5ever::data::NAMED_ENTITIES;
    let found = |key: &str| match table.get(key) {
        Some(&(a, z)) if a != 0 => Some((a, z)),
        _ => None,
    };
    let with_semi = b.get(k + name_len) == Some(&b';');
    let (cps, end) = if with_semi {
        match found(&raw[k..k + name_len + 1]) {
            Some(cps) => (cps, k + name_len + 1),
            None => legacy(raw, k, name_len, found)?,
        }
    } else {
        legacy(raw, k, name_len, found)?
    };
    let first = char::from_u32(cps.0)?;
    Some(match cps.1 {
        0 => ([first, '\0'], 1, end),
        z => ([first, char::from_u32(z)?], 2, end),
    })
}

/// The longest legacy entity (written without `;`) that starts the name at `k`.
fn legacy(
    raw: &str,
    k: usize,
    name_len: usize,
    found: impl Fn(&str) -> Option<(u32, u32)>,
) -> Option<((u32, u32), usize)> {
    (2..=name_len.min(8))
        .rev()
        .find_map(|n| found(&raw[k..k + n]).map(|cps| (cps, k + n)))
}

/// The map from `text` (made from `raw` by `html_to_text`) back to `raw`.
pub(crate) fn align_html(raw: &str, text: &str) -> Alignment {
    let mut b = AlignBuilder::default();
    let mut lex = Lexer { raw, at: 0 };
    // Characters of an item already matched that still wait for their text (two-character
    // entities).
    let mut pending: Option<(Item, u8)> = None;
    let mut wasted = 0usize;
    for (t, c) in text.char_indices() {
        if let Some((item, used)) = pending.take() {
            if item.chars[used as usize] == c {
                // Left in the gap after the entity's first character.
                if used + 1 < item.n {
                    pending = Some((item, used + 1));
                }
                continue;
            }
        }
        if c.is_whitespace() && c != '\u{a0}' {
            // Written by the converter unless the raw text has the very same character next.
            let mut peek = lex.clone();
            match peek.next_item() {
                Some(item) if item.n == 1 && item.chars[0] == c => {
                    lex = peek;
                    record(&mut b, raw, t, &item);
                }
                _ => wasted += peek.at - lex.at,
            }
            continue;
        }
        let mut look = lex.clone();
        let mut found = None;
        for _ in 0..LOOKAHEAD {
            if look.at - lex.at > LOOKAHEAD_BYTES {
                break;
            }
            let Some(item) = look.next_item() else { break };
            if item.chars[0] == c {
                found = Some(item);
                break;
            }
        }
        // Bytes scanned by look-aheads that found nothing: one huge tag re-scanned for many
        // unmatched characters would be quadratic, so the total is capped and the rest of
        // the text is left unmapped.
        match found {
            Some(item) => {
                lex = look;
                record(&mut b, raw, t, &item);
                if item.n > 1 {
                    pending = Some((item, 1));
                }
            }
            None => {
                wasted += look.at - lex.at;
                if wasted > raw.len().saturating_mul(4) + LOOKAHEAD_BYTES {
                    break;
                }
            }
        }
    }
    b.finish(text.len(), raw.len())
}

fn record(b: &mut AlignBuilder, raw: &str, t: usize, item: &Item) {
    let len = item.chars[0].len_utf8();
    if item.literal(raw) {
        b.copied(t, item.start, len);
    } else {
        b.decoded(t, item.start, len, item.end - item.start);
    }
}

/// The map for a plain-text body: `text` is `raw[offset..]` trimmed, with `\r\n` read as `\n`.
pub(crate) fn align_plain(raw: &str, offset: usize, text: &str) -> Alignment {
    let mut b = AlignBuilder::default();
    let src = &raw[offset..];
    let (mut t, mut r) = (0, 0);
    for piece in src.split_inclusive("\r\n") {
        if t >= text.len() {
            break;
        }
        match piece.strip_suffix("\r\n") {
            Some(line) if t + line.len() < text.len() => {
                b.copied(t, offset + r, line.len());
                b.decoded(t + line.len(), offset + r + line.len(), 1, 2);
                t += line.len() + 1;
            }
            Some(line) => {
                // The text ends in this line (what follows was trimmed).
                b.copied(t, offset + r, line.len().min(text.len() - t));
                break;
            }
            None => {
                let n = piece.len().min(text.len() - t);
                b.copied(t, offset + r, n);
                t += n;
            }
        }
        r += piece.len();
    }
    b.finish(text.len(), raw.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_decode_like_html5ever() {
        let one = |s: &str| entity(s, 0).map(|(c, n, end)| (c[..n as usize].to_vec(), end));
        assert_eq!(one("&amp;x"), Some((vec!['&'], 5)));
        assert_eq!(one("&ampx"), Some((vec!['&'], 4)));
        assert_eq!(one("&#8217;"), Some((vec!['\u{2019}'], 7)));
        assert_eq!(one("&#x27;"), Some((vec!['\''], 6)));
        assert_eq!(one("&#150;"), Some((vec!['\u{2013}'], 6)));
        assert_eq!(one("&raquo;"), Some((vec!['»'], 7)));
        assert_eq!(one("&NotEqualTilde;"), Some((vec!['≂', '\u{338}'], 15)));
        assert_eq!(one("&nosuch;"), None);
        assert_eq!(one("& x"), None);
    }

    /// The raw text behind `needle` in the converted text of `html`.
    fn behind(html: &str, needle: &str) -> (String, Option<String>) {
        let body =
            crate::formats::html::html_to_text(html, crate::formats::html::Newlines::Collapse);
        let at = body.text.find(needle).expect("needle in text");
        let r = body
            .align
            .raw_range(&body.text, html, at..at + needle.len())
            .map(|r| html[r].to_string());
        (body.text, r)
    }

    #[test]
    fn moved_and_broken_markup() {
        // html5ever moves "abc" out of the table (foster parenting): text order differs from
        // source order; what can be matched is still right.
        let (text, r) = behind("<table>abc<tr><td>def</td></tr></table>", "def");
        assert!(text.contains("abc") && text.contains("def"), "{text:?}");
        assert_eq!(r.as_deref(), Some("def"));
        // An unclosed tag swallowing the rest; a huge attribute before the text.
        let big = format!("<p title=\"{}\">x &amp y</p><b", "a".repeat(100_000));
        let (text, r) = behind(&big, "&");
        assert_eq!(text, "x & y");
        assert_eq!(r.as_deref(), Some("&amp"));
        // Script contents with a fake end tag inside a string are skipped to the real one.
        let (text, r) = behind("<script>x='</scr'+'ipt>'</SCRIPT>ok", "ok");
        assert_eq!((text.as_str(), r.as_deref()), ("ok", Some("ok")));
    }

    #[test]
    fn lexer_skips_markup() {
        let raw = "<p class=\"a>b\">x</p><!-- c --><script>if (a<b) y</script>&lt;z";
        let mut l = Lexer { raw, at: 0 };
        let mut out = String::new();
        while let Some(i) = l.next_item() {
            out.push(i.chars[0]);
        }
        assert_eq!(out, "x<z");
    }
}
