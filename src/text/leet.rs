//! Stages 2 and 3 of normalisation, both in place on the folded bytes (they only drop bytes
//! or replace one ASCII byte by another, so a write cursor never passes the read cursor).
//!
//! # Separator collapsing
//!
//! A run of at least three single characters joined by the same single separator (space,
//! `.`, `-`, `_`, `~`, `/`) is joined into one word: `s c u m`, `s.c.u.m`, `s-c-u-m` →
//! `scum`. A single character is a letter, a leet digit (`0 1 3 4 5 7`) or `@`/`$`, with no
//! letter or digit right beside it; at least two of them must be letters, so `1.2.3` and
//! `v 1 2` stay. With spaces, a leading `a` or `i` (English words) is left out of runs of four
//! or more: `you are a s c u m` → `you are a scum`. Mixed or doubled separators
//! (`s. c. u. m`) are not joined.
//!
//! # Words: leetspeak, masks, stretched letters
//!
//! A word is a run of `[a-z0-9@$!|+*#]`. Its *core* runs from its first to its last letter
//! or digit, widened by `$` before it and by `@`/`$` after it (`$hit`, `n1gg@`, `a$$`); other
//! leading and trailing symbols are punctuation (`idiot!`, `@user`, `#tag`) and stay.
//!
//! * masks: `*` and `#` inside the core become the wildcard `*`, one per masked letter
//!   (`f#ck` → `f*ck`, `f**k` stays): a lexicon matches `*` as any one letter.
//! * leetspeak, only when the core has a letter and all its digits have a leet reading (a
//!   `2`, `6`, `8` or `9` means a real number or name: `covid19`, `b2b`), and it is not a
//!   number with a unit (`5pm`, `3rd`, `10k`): `@`/`4`→`a`, `3`→`e`, `0`→`o`, `$`/`5`→`s`,
//!   `7`/`+`→`t`, `!`→`i`, and `1`/`|`→`i` — except in a run of two or more, which reads
//!   `ll` (`k1ll`, `ki11` → `kill`, `1d10t` → `idiot`). Plain numbers (`2020`, `3 cats`)
//!   have no letter and never change. Known cost: e-mail addresses fold (`a@b` → `aab`).
//! * stretched letters: a run of more than `max_repeat` (default 2) identical ASCII letters
//!   is cut to `max_repeat`. Two, not one, because English has real doubles (`kill`, `too`,
//!   `hell`): `scuuuum` → `scuum` and `kiiiiill` → `kiill`, so every stretching of a word
//!   meets in one form the lexicon and the model can learn. The dropped letters widen the
//!   span of the last kept one.

use super::normalize::Work;

/// Byte classes, one table lookup per byte on the hot path.
const WORD: u8 = 1; // ASCII letter or digit
const ITEM: u8 = 2; // may be one spelled-out character
const SEP: u8 = 4; // joins spelled-out characters
const WCHAR: u8 = 8; // belongs to a word for leetspeak
const LOWER: u8 = 16; // ASCII lower-case letter

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        let mut c = 0;
        if b.is_ascii_alphanumeric() {
            c |= WORD;
        }
        if b.is_ascii_lowercase() {
            c |= LOWER | ITEM | WCHAR;
        }
        if b.is_ascii_digit() {
            c |= WCHAR;
        }
        if matches!(b, b'0' | b'1' | b'3' | b'4' | b'5' | b'7' | b'@' | b'$') {
            c |= ITEM;
        }
        if matches!(b, b' ' | b'.' | b'-' | b'_' | b'~' | b'/') {
            c |= SEP;
        }
        if matches!(b, b'@' | b'$' | b'!' | b'|' | b'+' | b'*' | b'#') {
            c |= WCHAR;
        }
        t[i] = c;
        i += 1;
    }
    t
};

// The classes as arithmetic on the byte, for blocks of bytes tested at once (no table
// look-up, so the compiler uses vector compares); equal to the table (test
// `block_predicates_equal_the_table`).

/// `WORD`.
#[inline(always)]
fn word_v(b: u8) -> bool {
    (b.wrapping_sub(b'0') < 10) | ((b | 0x20).wrapping_sub(b'a') < 26)
}

/// `ITEM`.
#[inline(always)]
fn item_v(b: u8) -> bool {
    (b.wrapping_sub(b'a') < 26)
        | ((b.wrapping_sub(b'0') < 8) & (b != b'2') & (b != b'6'))
        | (b == b'@')
        | (b == b'$')
}

/// `SEP`.
#[inline(always)]
fn sep_v(b: u8) -> bool {
    (b == b' ') | (b == b'.') | (b == b'-') | (b == b'_') | (b == b'~') | (b == b'/')
}

/// `WCHAR` and not `LOWER`: a word byte that makes its word need work.
#[inline(always)]
fn special_v(b: u8) -> bool {
    (b.wrapping_sub(b'0') < 10)
        | (b == b'@')
        | (b == b'$')
        | (b == b'!')
        | (b == b'|')
        | (b == b'+')
        | (b == b'*')
        | (b == b'#')
}

/// Bytes tested at once by the block scans.
const BLOCK: usize = 32;

/// The `BLOCK` bytes of `b` starting at `i`, if there are that many.
#[inline(always)]
fn block(b: &[u8], i: usize) -> Option<&[u8; BLOCK]> {
    b.get(i..i + BLOCK).and_then(|x| x.try_into().ok())
}

fn is_word_byte(b: u8) -> bool {
    CLASS[b as usize] & WORD != 0
}

fn is_item(b: u8) -> bool {
    CLASS[b as usize] & ITEM != 0
}

fn is_sep(b: u8) -> bool {
    CLASS[b as usize] & SEP != 0
}

/// A spelled-out run starting at `i`: `Ok` with the index of its first and last kept item,
/// or `Err` with the index where the scan stopped (no run starts before it).
fn run_at(b: &[u8], i: usize, prev: Option<u8>) -> Result<(usize, usize), usize> {
    let (Some(&c), Some(&sep)) = (b.get(i), b.get(i + 1)) else {
        return Err(i);
    };
    if !is_item(c) || prev.is_some_and(is_word_byte) {
        return Err(i);
    }
    // `ab.c.d.e` (a domain, a path) is not a spelled-out word.
    if !is_sep(sep) || (sep != b' ' && prev == Some(sep)) {
        return Err(i);
    }
    let mut k = i;
    let mut items = 1usize;
    let mut letters = usize::from(c.is_ascii_lowercase());
    while let (Some(&s), Some(&x)) = (b.get(k + 1), b.get(k + 2)) {
        if s != sep || !is_item(x) || b.get(k + 3).is_some_and(|&y| is_word_byte(y)) {
            break;
        }
        k += 2;
        items += 1;
        letters += usize::from(x.is_ascii_lowercase());
    }
    let mut first = i;
    if sep == b' ' && items > 3 && matches!(c, b'a' | b'i') {
        first += 2;
        items -= 1;
        letters -= 1;
    }
    // A later start inside this sequence has fewer items and letters: skip past it.
    (items >= 3 && letters >= 2).then_some((first, k)).ok_or(k)
}

/// The next spelled-out run at or after `from`: `(start, first kept item, last item)`.
fn find_run(b: &[u8], from: usize) -> Option<(usize, usize, usize)> {
    // Candidates sit around a separator: an item before it and after it, and no word
    // character before that item. Each byte's class is looked up once and carried along
    // (`c1`, `c2`: the classes one and two bytes back), and the test is one branch that is
    // rarely taken. Blocks of positions without a candidate (most of ordinary text) are
    // passed over by one vector test ([`block_has_candidate`]).
    let class = |i: usize| b.get(i).map_or(0, |&x| CLASS[x as usize]);
    let mut i = from + 1;
    let (mut c1, mut c2) = (class(i.wrapping_sub(1)), class(i.wrapping_sub(2)));
    // Positions before this were found to hold a candidate by a block test: look closely.
    let mut close_until = 0;
    while i + 1 < b.len() {
        // A block of positions without a candidate is passed over at once.
        if i >= close_until && i >= 2 {
            if !block_has_candidate(b, i) {
                i += BLOCK;
                (c1, c2) = (class(i - 1), class(i - 2));
                continue;
            }
            close_until = i + BLOCK;
        }
        let c0 = CLASS[b[i] as usize];
        let cand = (c0 & SEP != 0)
            & (c1 & ITEM != 0)
            & (c2 & WORD == 0)
            & (CLASS[b[i + 1] as usize] & ITEM != 0);
        if cand {
            let start = i - 1;
            if start >= from {
                let prev = start.checked_sub(1).and_then(|p| b.get(p).copied());
                match run_at(b, start, prev) {
                    Ok((first, last)) => return Some((start, first, last)),
                    Err(stop) if stop > i => {
                        i = stop + 1;
                        (c1, c2) = (class(i - 1), class(i - 2));
                        continue;
                    }
                    Err(_) => {}
                }
            }
        }
        (c2, c1) = (c1, c0);
        i += 1;
    }
    None
}

/// Whether one of the `BLOCK` positions from `i` (at least 2) is a candidate of
/// [`find_run`]; `true` (look closely) when the block and the byte after it are not all
/// in `b`.
#[inline]
fn block_has_candidate(b: &[u8], i: usize) -> bool {
    let (Some(w2), Some(w1), Some(w0), Some(w3)) = (
        block(b, i - 2),
        block(b, i - 1),
        block(b, i),
        block(b, i + 1),
    ) else {
        return true;
    };
    let mut any = false;
    for k in 0..BLOCK {
        any |= sep_v(w0[k]) & item_v(w1[k]) & !word_v(w2[k]) & item_v(w3[k]);
    }
    any
}

/// Stage 2: joins spelled-out words in place.
pub(crate) fn collapse_separators(w: &mut Work) {
    let n = w.bytes.len().min(w.align.len());
    let (mut r, mut wr) = (0usize, 0usize);
    while let Some((start, first, last)) = find_run(&w.bytes[..n], r) {
        move_range(w, r, first, &mut wr);
        let mut j = first;
        while j <= last {
            move_range(w, j, j + 1, &mut wr);
            j += 2;
        }
        let _ = start;
        r = last + 1;
    }
    if wr == r {
        return;
    }
    move_range(w, r, n, &mut wr);
    w.bytes.truncate(wr);
    w.align.truncate(wr);
}

/// Moves bytes `from..to` (and their spans) down to the write cursor.
fn move_range(w: &mut Work, from: usize, to: usize, wr: &mut usize) {
    if to <= from {
        return;
    }
    if *wr != from {
        w.bytes.copy_within(from..to, *wr);
        w.align.copy_within(from..to, *wr);
    }
    *wr += to - from;
}

const UNITS: &[&[u8]] = &[
    b"st", b"nd", b"rd", b"th", b"s", b"am", b"pm", b"k", b"m", b"km", b"kg", b"g", b"mb", b"gb",
    b"tb", b"x", b"d", b"h", b"hr", b"hrs", b"min", b"mins", b"yr", b"yrs", b"yo", b"mm", b"cm",
    b"ml", b"lb", b"lbs", b"ft", b"mph", b"p", b"fps", b"v", b"w",
];

/// The core of a word and whether leetspeak folds in it.
struct Plan {
    start: usize,
    end: usize,
    leet: bool,
}

fn plan_word(word: &[u8]) -> Option<Plan> {
    let f = word.iter().position(|b| b.is_ascii_alphanumeric())?;
    let l = word.iter().rposition(|b| b.is_ascii_alphanumeric())?;
    let mut start = f;
    while start > 0 && word.get(start - 1) == Some(&b'$') {
        start -= 1;
    }
    let mut end = l + 1;
    while matches!(word.get(end), Some(b'@' | b'$')) {
        end += 1;
    }
    let core = word.get(start..end)?;
    let letters = core.iter().filter(|b| b.is_ascii_lowercase()).count();
    if letters == 0 {
        return None;
    }
    let unmappable = core.iter().any(|b| matches!(b, b'2' | b'6' | b'8' | b'9'));
    let foldable = core.iter().any(|b| {
        matches!(
            b,
            b'0' | b'1' | b'3' | b'4' | b'5' | b'7' | b'@' | b'$' | b'!' | b'|' | b'+'
        )
    });
    let digits_then_unit = {
        let d = core.iter().take_while(|b| b.is_ascii_digit()).count();
        d > 0 && UNITS.contains(&core.get(d..).unwrap_or(b""))
    };
    Some(Plan {
        start,
        end,
        leet: foldable && !unmappable && !digits_then_unit,
    })
}

/// Run-length state for stretched letters.
struct Repeat {
    ch: u8,
    len: usize,
    max: usize,
}

/// Writes `out` for the input byte at `from`, dropping letters past the repeat cap.
fn put(w: &mut Work, from: usize, out: u8, wr: &mut usize, rep: &mut Repeat) {
    if out.is_ascii_lowercase() {
        if rep.ch == out {
            rep.len += 1;
            if rep.len > rep.max && *wr > 0 {
                let end = w.align[from].1;
                w.align[*wr - 1].1 = w.align[*wr - 1].1.max(end);
                return;
            }
        } else {
            rep.ch = out;
            rep.len = 1;
        }
    } else {
        rep.ch = 0;
        rep.len = 0;
    }
    w.bytes[*wr] = out;
    w.align[*wr] = w.align[from];
    *wr += 1;
}

fn leet_char(c: u8, prev: u8, next: u8) -> u8 {
    match c {
        b'@' | b'4' => b'a',
        b'3' => b'e',
        b'0' => b'o',
        b'$' | b'5' => b's',
        b'7' | b'+' => b't',
        b'!' => b'i',
        b'1' | b'|' => {
            if matches!(prev, b'1' | b'|') || matches!(next, b'1' | b'|') {
                b'l'
            } else {
                b'i'
            }
        }
        _ => c,
    }
}

/// Stage 3: leetspeak, masks and stretched letters, in place.
///
/// Most words need nothing (lower-case letters, no long repeat), so the text is first
/// scanned for the next byte that may make its word need work ([`next_trigger`], a table
/// look-up and two compares a byte); only the word around it is looked at closely
/// ([`scan_word`]). Scanning every word closely was about a tenth of scoring a comment
/// (callgrind); the result is the same (test `fold_words_agrees_with_the_word_by_word_scan`).
pub(crate) fn fold_words(w: &mut Work, leet: bool, max_repeat: usize) {
    let n = w.bytes.len().min(w.align.len());
    let max = max_repeat.max(1);
    let (mut r, mut wr) = (0usize, 0usize);
    // Bytes kept as they are since `pending` are moved in one go, only when a word needs
    // work (small moves per word would cost more than the scan).
    let mut pending = 0usize;
    // `r` is 0 or just past a word (a byte that is not a word byte, or the end).
    while r < n {
        let Some(t) = next_trigger(&w.bytes[..n], r, max) else {
            break;
        };
        // The start of the word around `t` (`t` itself when it is not a word byte).
        let mut from = t;
        while from > r && CLASS[w.bytes[from - 1] as usize] & WCHAR != 0 {
            from -= 1;
        }
        let (ws, e, plain) = scan_word(&w.bytes[..n], from, max);
        if ws >= n {
            break;
        }
        if !plain {
            move_range(w, pending, ws, &mut wr);
            fold_word(w, ws, e, leet, max, &mut wr);
            pending = e;
        }
        r = e;
    }
    move_range(w, pending, n, &mut wr);
    w.bytes.truncate(wr);
    w.align.truncate(wr);
}

/// The first byte at or after `from` that may make its word need work: a word byte that is
/// not a lower-case letter, or the last of three identical bytes in a row (two when `max`
/// is 1), which a run longer than `max` has. A word without one is plain. `from` must not
/// be inside a word (runs are counted from it).
fn next_trigger(b: &[u8], from: usize, max: usize) -> Option<usize> {
    let rest = b.get(from..)?;
    let two = max == 1;
    // At `k`, with the two bytes before it in `rest` when `k` is at least 2 (before
    // `from` there is no run: `from` is not inside a word).
    let hit = |k: usize| {
        let c = rest[k];
        special_v(c) || (k >= 1 && c == rest[k - 1] && (two || (k >= 2 && c == rest[k - 2])))
    };
    let mut k = 0;
    while k < rest.len() {
        // A block of bytes without a trigger is passed over at once.
        if k >= 2 {
            if let (Some(a), Some(p1), Some(p2)) =
                (block(rest, k), block(rest, k - 1), block(rest, k - 2))
            {
                let mut any = false;
                for j in 0..BLOCK {
                    any |= special_v(a[j]) | ((a[j] == p1[j]) & (two | (a[j] == p2[j])));
                }
                if !any {
                    k += BLOCK;
                    continue;
                }
                // The trigger is in this block.
                if let Some(j) = (k..k + BLOCK).find(|&j| hit(j)) {
                    return Some(from + j);
                }
                k += BLOCK;
                continue;
            }
        }
        if hit(k) {
            return Some(from + k);
        }
        k += 1;
    }
    None
}

/// The next word at or after `from`: its start, its end, and whether it is plain (lower-case
/// letters without a repeat longer than `max`, so nothing to do).
fn scan_word(b: &[u8], from: usize, max: usize) -> (usize, usize, bool) {
    let rest = b.get(from..).unwrap_or(b"");
    let Some(p) = rest.iter().position(|&c| CLASS[c as usize] & WCHAR != 0) else {
        return (b.len(), b.len(), true);
    };
    let ws = from + p;
    let word = b.get(ws..).unwrap_or(b"");
    let mut plain = true;
    let mut run = 0usize;
    let mut last = 0u8;
    let mut len = word.len();
    for (k, &c) in word.iter().enumerate() {
        let class = CLASS[c as usize];
        if class & WCHAR == 0 {
            len = k;
            break;
        }
        plain &= class & LOWER != 0;
        run = if c == last { run + 1 } else { 1 };
        plain &= run <= max;
        last = c;
    }
    (ws, ws + len, plain)
}

/// Folds the word `r..e` byte by byte.
fn fold_word(w: &mut Work, r: usize, e: usize, leet: bool, max: usize, wr: &mut usize) {
    let mut rep = Repeat { ch: 0, len: 0, max };
    let plan = w.bytes.get(r..e).and_then(plan_word);
    let (cs, ce, fold) = match &plan {
        Some(p) => (r + p.start, r + p.end, p.leet && leet),
        None => (e, e, false),
    };
    // The byte before the current one as it was read (its slot may be overwritten).
    let mut prev = 0u8;
    for j in r..e {
        let c = w.bytes[j];
        let out = if j < cs || j >= ce {
            c
        } else if c == b'*' || c == b'#' {
            b'*'
        } else if fold {
            let next = if j + 1 < ce { w.bytes[j + 1] } else { 0 };
            leet_char(c, if j > cs { prev } else { 0 }, next)
        } else {
            c
        };
        prev = c;
        put(w, j, out, wr, &mut rep);
    }
}

#[cfg(test)]
#[path = "leet_tests.rs"]
mod tests;
