//! Tests of the separator and word stages: each fast scan against the scan it replaced,
//! on generated text.

use super::*;

/// `fold_words` as it was before its trigger scan (every word scanned closely): the
/// reference it must agree with.
fn fold_words_reference(w: &mut Work, leet: bool, max_repeat: usize) {
    let n = w.bytes.len().min(w.align.len());
    let max = max_repeat.max(1);
    let (mut r, mut wr) = (0usize, 0usize);
    let mut pending = 0usize;
    while r < n {
        let (ws, e, plain) = scan_word(&w.bytes[..n], r, max);
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

#[test]
fn block_predicates_equal_the_table() {
    for b in 0..=255u8 {
        let c = CLASS[b as usize];
        assert_eq!(word_v(b), c & WORD != 0, "{b}");
        assert_eq!(item_v(b), c & ITEM != 0, "{b}");
        assert_eq!(sep_v(b), c & SEP != 0, "{b}");
        assert_eq!(special_v(b), c & WCHAR != 0 && c & LOWER == 0, "{b}");
    }
}

#[test]
fn fold_words_agrees_with_the_word_by_word_scan() {
    // Pieces that matter: letters (doubled, tripled), leet digits and symbols, masks,
    // other digits, separators, a non-ASCII letter.
    let pieces: [&[u8]; 20] = [
        b"a",
        b"b",
        b"o",
        b"oo",
        b"ooo",
        b"k1ll",
        b"1",
        b"3",
        b"0",
        b"@",
        b"$",
        b"!",
        b"*",
        b"#",
        b"9",
        b" ",
        b" ",
        b".",
        b"  ",
        "\u{e9}".as_bytes(),
    ];
    let mut next = crate::text::xorshift(0x9e37_79b9_7f4a_7c15u64);
    let mut changed = 0;
    for round in 0..50_000 {
        // Some long texts, for the block scan.
        let n = next() % if round % 10 == 0 { 70 } else { 14 };
        let mut text = Vec::new();
        for _ in 0..n {
            text.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
        }
        let work = Work {
            align: (0..text.len() as u32).map(|i| (i, i + 1)).collect(),
            bytes: text,
        };
        for (leet, max) in [(true, 2), (true, 1), (false, 3), (true, usize::MAX)] {
            let (mut a, mut b) = (work.clone(), work.clone());
            fold_words(&mut a, leet, max);
            fold_words_reference(&mut b, leet, max);
            assert_eq!(
                (&a.bytes, &a.align),
                (&b.bytes, &b.align),
                "{:?} leet {leet} max {max}",
                String::from_utf8_lossy(&work.bytes)
            );
            changed += usize::from(a.bytes != work.bytes);
        }
    }
    assert!(changed > 10_000, "{changed}");
}

/// `find_run` as it was before its single-pass scan: the reference it must agree with.
fn find_run_reference(b: &[u8], from: usize) -> Option<(usize, usize, usize)> {
    let has = |i: usize, class: u8| b.get(i).is_some_and(|&x| CLASS[x as usize] & class != 0);
    let mut i = from + 1;
    while i + 1 < b.len() {
        if has(i, SEP) && has(i - 1, ITEM) && has(i + 1, ITEM) && !(i >= 2 && has(i - 2, WORD)) {
            let start = i - 1;
            if start >= from {
                let prev = start.checked_sub(1).and_then(|p| b.get(p).copied());
                match run_at(b, start, prev) {
                    Ok((first, last)) => return Some((start, first, last)),
                    Err(stop) => i = i.max(stop),
                }
            }
        }
        i += 1;
    }
    None
}

/// Compares `find_run` with its reference from every `step`-th start of `texts` texts of up to
/// `max_pieces - 1` random `pieces` (xorshift from `seed`); returns how many runs were found.
fn find_run_matches_reference(
    pieces: &[&[u8]],
    seed: u64,
    texts: usize,
    max_pieces: u64,
    step: usize,
) -> usize {
    let mut next = crate::text::xorshift(seed);
    let mut found = 0;
    for _ in 0..texts {
        let n = next() % max_pieces;
        let mut text = Vec::new();
        for _ in 0..n {
            text.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
        }
        for from in (0..=text.len()).step_by(step) {
            let want = find_run_reference(&text, from);
            assert_eq!(
                find_run(&text, from),
                want,
                "{:?} from {from}",
                String::from_utf8_lossy(&text)
            );
            found += usize::from(want.is_some());
        }
    }
    found
}

#[test]
fn find_run_agrees_with_the_reference_on_long_generated_text() {
    // Long enough for the block scan; runs are rarer so blocks are passed over.
    let pieces: [&[u8]; 12] = [
        b"a", b"b", b" ", b" ", b"hello", b"world", b".", b"-", b"1", b"@", b"i", b"xy",
    ];
    let found = find_run_matches_reference(&pieces, 0x1234_5678_9abc_def1, 3_000, 80, 7);
    assert!(found > 100, "{found}");
}

#[test]
fn find_run_agrees_with_the_reference_on_generated_text() {
    // Pieces that matter to the scan: single items, separators, longer words, others.
    let pieces: [&[u8]; 14] = [
        b"a", b"b", b"x", b" ", b" ", b".", b"-", b"1", b"@", b"ab", b"i", b"9", b"!", b"/",
    ];
    let found = find_run_matches_reference(&pieces, 0x2545_f491_4f6c_dd1d, 100_000, 16, 1);
    assert!(found > 500, "{found}");
}
