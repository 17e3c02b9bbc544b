//! Pass 2: parents from text columns, ids, body text and chrome-derived metadata.

use super::*;

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
    note_counts(
        b,
        &[
            (orphans, "comment(s) start below the top level with no parent on this page (paginated comments?): kept as orphans"),
            (skipped, "comment(s) are indented more than one level below the comment above them: read as its replies"),
        ],
    );
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
pub(super) fn assemble(
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
        c.quotes = crate::formats::html::quote_lines(&c.text);
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

    #[test]
    fn orphans_and_skipped_levels_are_noted_with_their_counts() {
        // Columns 4, 2, 6 rank 2, 1, 3: the first comment has no parent on the page, the
        // third sits two levels below the one above it.
        let mut b = ThreadBuilder::new("t");
        let linked = link(&[4, 2, 6], &[0, 1, 2], &mut b);
        let ids: Vec<&str> = linked.iter().map(|l| l.0.as_str()).collect();
        assert_eq!(ids, ["0.1", "1", "1.1"]);
        for (id, parent, _) in linked {
            b.push(Comment::new(id, "x").with_parent(parent));
        }
        assert_eq!(
            b.finish().notes(),
            [
                "1 comment(s) start below the top level with no parent on this page (paginated comments?): kept as orphans",
                "1 comment(s) are indented more than one level below the comment above them: read as its replies",
            ]
        );
    }
}
