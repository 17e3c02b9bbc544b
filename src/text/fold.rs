//! Stage 1 of normalisation: character folding.
//!
//! Reads the original text and writes folded bytes plus, for every output byte, the span of
//! the original character that produced it. Steps, per character:
//!
//! * ASCII: lower-cased; C0 controls other than tab, newline and carriage return dropped.
//!   Pure ASCII input without controls takes a bulk fast track (copy + lower-case).
//! * zero-width characters, bidi controls, soft hyphens and invisible fillers: dropped. The
//!   zero-width joiner is kept after an emoji (it builds emoji sequences), variation
//!   selectors after emoji, digits and symbols (keycaps `1️⃣`); elsewhere they are dropped
//!   (after letters they only hide a word).
//! * emoji and pictographs: kept exactly as they are (no NFKC, no case change).
//! * other characters: NFKC of the single character (fullwidth, ligatures, mathematical
//!   alphanumerics, circled letters, …), lower-cased, then accents stripped from Latin letters
//!   (the canonical decomposition starts with an ASCII letter), a small Latin fold table
//!   (`ß`→`ss`, `ł`→`l`, small capitals, …) and, for mixed-script words only, the
//!   Cyrillic/Greek look-alike table (see [Confusables](#confusables)).
//! * combining marks: dropped after an ASCII letter (accent stripping, which also removes
//!   "Zalgo" floods on Latin text); after other bases at most [`MAX_MARKS`] are kept, the rest
//!   dropped. A dropped mark widens the span of the character it sits on, so highlights keep
//!   the whole grapheme.
//!
//! # Confusables
//!
//! Cyrillic and Greek look-alikes (`ѕсυм`) are folded to Latin only inside a *run* (maximal
//! sequence of letters, digits, marks, invisibles and leet symbols) whose letters are all
//! Latin or look-alikes, and which shows a sign of obfuscation: it contains a Latin letter,
//! mixes Cyrillic with Greek, or uses a look-alike that Russian and Greek text never use
//! (`ѕ`, `ԁ`, `ӏ`, …). Plain Russian or Greek words are left alone.
//!
//! NFKC is applied per character, not per string: a base letter followed by a separate
//! combining mark is not recomposed (for Latin the mark is dropped anyway). This keeps the
//! stage single-pass and its alignment exact.

use super::normalize::Work;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Combining marks kept on one non-Latin base character; more are a flood and are dropped.
pub const MAX_MARKS: u32 = 3;

const ZWJ: char = '\u{200D}';

/// Stage 1: folds `s` into `out` (cleared first).
pub(crate) fn fold_chars(s: &str, out: &mut Work) {
    out.clear();
    if all_plain_ascii(s.as_bytes()) {
        out.bytes.extend_from_slice(s.as_bytes());
        out.bytes.make_ascii_lowercase();
        out.align.extend((0..s.len() as u32).map(|i| (i, i + 1)));
        return;
    }
    fold_slow(s, out);
}

fn is_plain_ascii(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t' || b == b'\r'
}

/// Whether every byte is plain ASCII: blocks of 32 bytes tested without an early exit
/// inside a block, which the compiler turns into vector compares (a byte-by-byte `all` was
/// most of the ASCII fast track's cost, callgrind).
fn all_plain_ascii(b: &[u8]) -> bool {
    let blocks = b.chunks_exact(32);
    let tail = blocks.remainder();
    blocks
        .into_iter()
        .all(|c| c.iter().fold(true, |ok, &x| ok & is_plain_ascii(x)))
        && tail.iter().all(|&x| is_plain_ascii(x))
}

/// What the last emitted character was, for the mark and joiner rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    None,
    AsciiLetter,
    /// A non-ASCII letter.
    Letter,
    /// An emoji or pictograph.
    Emoji,
    /// Anything else: digits, punctuation, symbols.
    Other,
}

struct State<'a> {
    /// The original text (for the look-alike run decision).
    s: &'a str,
    last: Last,
    /// Marks kept on the current base.
    marks: u32,
    /// Output byte index where the last emitted character starts.
    last_start: usize,
    /// End (original byte) of the last run scanned and whether it folds look-alikes.
    run_end: usize,
    run_fold: bool,
}

impl State<'_> {
    /// Whether look-alikes fold in the run around original byte `i` (scanned once per run).
    fn run_folds(&mut self, i: usize) -> bool {
        if i >= self.run_end {
            let before = self.s.get(..i).unwrap_or("");
            let start = before
                .char_indices()
                .rev()
                .take_while(|&(_, c)| is_run_char(c))
                .last()
                .map_or(i, |(j, _)| j);
            let (end, fold) = scan_run(self.s, start);
            self.run_end = end.max(i + 1);
            self.run_fold = fold;
        }
        self.run_fold
    }
}

fn fold_slow(s: &str, out: &mut Work) {
    let mut st = State {
        s,
        last: Last::None,
        marks: 0,
        last_start: 0,
        run_end: 0,
        run_fold: false,
    };
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Plain ASCII stretches in bulk.
        let j = bytes
            .get(i..)
            .and_then(|t| t.iter().position(|&b| !is_plain_ascii(b)))
            .map_or(bytes.len(), |p| i + p);
        if j > i {
            let from = out.bytes.len();
            out.bytes.extend_from_slice(bytes.get(i..j).unwrap_or(b""));
            if let Some(t) = out.bytes.get_mut(from..) {
                t.make_ascii_lowercase();
            }
            out.align.extend((i as u32..j as u32).map(|k| (k, k + 1)));
            st.last = match bytes.get(j - 1) {
                Some(b) if b.is_ascii_alphabetic() => Last::AsciiLetter,
                _ => Last::Other,
            };
            st.marks = 0;
            st.last_start = out.bytes.len() - 1;
            i = j;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        let end = i + c.len_utf8();
        fold_char(out, &mut st, c, i, end);
        i = end;
    }
}

/// One character that is not plain ASCII.
fn fold_char(out: &mut Work, st: &mut State, c: char, i: usize, end: usize) {
    if c.is_ascii() {
        // An ASCII control character.
        return;
    }
    if c == ZWJ || is_variation_selector(c) {
        let keep = match st.last {
            Last::Emoji => true,
            Last::Other => c != ZWJ,
            _ => false,
        };
        if keep {
            push_raw(out, c, i, end);
        }
        return;
    }
    if is_ignorable(c) || c.is_control() {
        return;
    }
    if is_combining_mark(c) {
        mark(out, st, c, i, end);
        return;
    }
    if is_emoji(c) {
        emit(out, st, c, i, end);
        st.last = Last::Emoji;
        return;
    }
    if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
        fold_one(out, st, c, i, end);
    } else {
        for k in std::iter::once(c).nfkc() {
            fold_one(out, st, k, i, end);
        }
    }
}

/// Lower-cases and folds one (NFKC) character.
fn fold_one(out: &mut Work, st: &mut State, c: char, i: usize, end: usize) {
    if c.is_ascii() {
        if is_plain_ascii(c as u8) {
            emit(out, st, c.to_ascii_lowercase(), i, end);
        }
        return;
    }
    for l in c.to_lowercase() {
        if l.is_ascii() {
            emit(out, st, l, i, end);
            continue;
        }
        if is_combining_mark(l) {
            mark(out, st, l, i, end);
            continue;
        }
        let mut base = l;
        let mut first = true;
        decompose_canonical(l, |d| {
            if first {
                base = d;
                first = false;
            }
        });
        if base.is_ascii_alphabetic() {
            emit(out, st, base.to_ascii_lowercase(), i, end);
        } else if let Some(rep) = latin_fold(base) {
            for r in rep.chars() {
                emit(out, st, r, i, end);
            }
        } else if let Some(rep) = confusable(base).filter(|_| st.run_folds(i)) {
            emit(out, st, rep, i, end);
        } else {
            emit(out, st, l, i, end);
        }
    }
}

fn emit(out: &mut Work, st: &mut State, c: char, i: usize, end: usize) {
    st.last_start = out.bytes.len();
    push_raw(out, c, i, end);
    st.marks = 0;
    st.last = if c.is_ascii_alphabetic() {
        Last::AsciiLetter
    } else if c.is_alphabetic() {
        Last::Letter
    } else {
        Last::Other
    };
}

fn push_raw(out: &mut Work, c: char, i: usize, end: usize) {
    let mut buf = [0u8; 4];
    let enc = c.encode_utf8(&mut buf).as_bytes();
    out.bytes.extend_from_slice(enc);
    for _ in 0..enc.len() {
        out.align.push((i as u32, end as u32));
    }
}

/// A combining mark: dropped on ASCII letters and in floods, else kept.
fn mark(out: &mut Work, st: &mut State, c: char, i: usize, end: usize) {
    let keep = match st.last {
        Last::None => false,
        Last::AsciiLetter => c == '\u{20E3}',
        _ => st.marks < MAX_MARKS,
    };
    if keep {
        push_raw(out, c, i, end);
        st.marks += 1;
    } else if st.last != Last::None {
        // Widen the base character's span over the dropped mark.
        let from = st.last_start.min(out.align.len());
        for a in &mut out.align[from..] {
            a.1 = a.1.max(end as u32);
        }
    }
    let _ = i;
}

/// Characters that belong to a run for the look-alike decision.
fn is_run_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '@' | '$' | '!' | '|' | '+' | '*' | '#')
        || (!c.is_ascii() && (is_combining_mark(c) || is_ignorable(c) || c == ZWJ))
}

/// Scans the run starting at `start`; returns its end and whether look-alikes fold in it.
fn scan_run(s: &str, start: usize) -> (usize, bool) {
    let mut end = s.len();
    let (mut latin, mut cyr, mut greek, mut rare, mut other) = (false, false, false, false, false);
    for (j, c) in s.get(start..).unwrap_or("").char_indices() {
        if !is_run_char(c) {
            end = start + j;
            break;
        }
        if !c.is_alphabetic() {
            continue;
        }
        let l = c.to_lowercase().next().unwrap_or(c);
        match script(l) {
            Script::Latin => latin = true,
            s @ (Script::Cyrillic | Script::Greek) => {
                let mut base = l;
                let mut first = true;
                decompose_canonical(l, |d| {
                    if first {
                        base = d;
                        first = false;
                    }
                });
                if confusable(base).is_none() {
                    other = true;
                }
                rare |= is_rare_confusable(base);
                if s == Script::Cyrillic {
                    cyr = true;
                } else {
                    greek = true;
                }
            }
            Script::Other => other = true,
        }
    }
    let fold = !other && (cyr || greek) && (latin || (cyr && greek) || rare);
    (end, fold)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Other,
}

fn script(c: char) -> Script {
    match c as u32 {
        0x41..=0x5A | 0x61..=0x7A => Script::Latin,
        0xC0..=0x24F | 0x250..=0x2AF | 0x1D00..=0x1DBF | 0x1E00..=0x1EFF => Script::Latin,
        0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => Script::Latin,
        0x1D400..=0x1D7FF | 0x24B6..=0x24E9 | 0x2100..=0x214F | 0xFB00..=0xFB06 => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F => Script::Cyrillic,
        _ => Script::Other,
    }
}

/// Zero-width characters, bidi controls, soft hyphen and invisible fillers.
pub(crate) fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'
            | '\u{200C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
    )
}

fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Emoji, pictographs and their modifiers (kept as they are).
pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2300..=0x23FF | 0x2B00..=0x2BFF
        | 0x2190..=0x21FF | 0x2122 | 0x2139 | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0xA9 | 0xAE | 0xE0020..=0xE007F)
}

/// Latin letters without a decomposition, folded whatever the run.
fn latin_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ł' => "l",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ħ' => "h",
        'ŧ' => "t",
        'ı' | 'ɩ' | 'ɪ' => "i",
        'ȷ' => "j",
        'ɑ' | 'ᴀ' => "a",
        'ɡ' | 'ɢ' => "g",
        'ʙ' => "b",
        'ᴄ' => "c",
        'ᴅ' => "d",
        'ᴇ' => "e",
        'ғ' => "f",
        'ʜ' => "h",
        'ᴊ' => "j",
        'ᴋ' => "k",
        'ʟ' => "l",
        'ᴍ' => "m",
        'ɴ' => "n",
        'ᴏ' => "o",
        'ᴘ' => "p",
        'ʀ' => "r",
        'ꜱ' => "s",
        'ᴛ' => "t",
        'ᴜ' => "u",
        'ᴠ' => "v",
        'ᴡ' => "w",
        'ʏ' => "y",
        'ᴢ' => "z",
        _ => return None,
    })
}

/// Cyrillic and Greek look-alikes of Latin letters (lower case, after decomposition).
fn confusable(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic
        'а' => 'a',
        'в' | 'ь' => 'b',
        'е' | 'ё' => 'e',
        'к' => 'k',
        'м' => 'm',
        'н' | 'һ' => 'h',
        'о' => 'o',
        'п' => 'n',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' | 'ү' => 'y',
        'х' => 'x',
        'ѕ' => 's',
        'і' | 'ї' => 'i',
        'ј' => 'j',
        'ԁ' => 'd',
        'ӏ' => 'l',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'ѵ' => 'v',
        // Greek
        'α' => 'a',
        'β' => 'b',
        'γ' => 'y',
        'ε' => 'e',
        'η' => 'n',
        'ι' => 'i',
        'κ' => 'k',
        'μ' | 'υ' => 'u',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'χ' => 'x',
        'ω' => 'w',
        'ϲ' => 'c',
        'ϳ' => 'j',
        _ => return None,
    })
}

/// Look-alikes that ordinary Russian or Greek words do not use.
fn is_rare_confusable(c: char) -> bool {
    matches!(c, 'ѕ' | 'ԁ' | 'ӏ' | 'ԛ' | 'ԝ' | 'ј' | 'ϲ' | 'ϳ' | 'һ' | 'ѵ')
}
