//! Pass 1: the comment region, comment starts and the lines that belong to each.

use super::*;

pub(super) fn find_region(lines: &[Line<'_>]) -> Option<Region> {
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

/// Pass 1: finds comment starts in the region and the lines that belong to each.
pub(super) fn collect(
    lines: &[Line<'_>],
    region: &Region,
    b: &mut ThreadBuilder,
) -> (Vec<Pending>, bool) {
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
        let below = flat || cur.as_ref().is_none_or(|c| l.indent < c.text_col);
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
        note_counts(
            b,
            &[
                (ambiguous_lists, "bulleted line(s) inside a comment with no Like/Reply line before them were read as the comment's own list, not as replies (ambiguous)"),
                (ambiguous_replies, "bulleted line(s) inside a comment with no Like/Reply line before them were read as replies, from the lines that follow (ambiguous)"),
            ],
        );
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
