//! Collects a thread's comments in any order, then links them.

use super::{Comment, Thread};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Collects comments in file order and links them once all are read, so that replies may come
/// before their parents (no format guarantees parent-before-child).
///
/// ```
/// use commentguard::{Comment, ThreadBuilder};
/// let mut b = ThreadBuilder::new("post-1");
/// b.push(Comment::new("2", "a reply").with_parent(Some("1")));
/// b.push(Comment::new("1", "top level").with_parent(None::<String>));
/// let t = b.finish();
/// let depths: Vec<u32> = t.walk().map(|v| v.depth).collect();
/// assert_eq!(depths, vec![1, 2]);
/// ```
#[derive(Debug, Default)]
pub struct ThreadBuilder {
    thread: Thread,
}

impl ThreadBuilder {
    /// A builder for the thread with this id.
    pub fn new(id: impl Into<String>) -> ThreadBuilder {
        ThreadBuilder {
            thread: Thread {
                id: id.into(),
                ..Thread::default()
            },
        }
    }
    /// Sets the thread's title.
    pub fn title(&mut self, title: Option<String>) -> &mut Self {
        self.thread.title = title;
        self
    }
    /// Sets the thread's URL.
    pub fn url(&mut self, url: Option<String>) -> &mut Self {
        self.thread.url = url;
        self
    }
    /// Sets the site, forum or community the thread belongs to (see [`Thread::site`]).
    pub fn site(&mut self, site: Option<String>) -> &mut Self {
        self.thread.site = site;
        self
    }
    /// The thread id.
    pub fn id(&self) -> &str {
        &self.thread.id
    }
    /// Records top-level replies that exist but are not in the file.
    pub fn add_missing_top_level(&mut self, n: u32) -> &mut Self {
        self.thread.missing_top_level = self.thread.missing_top_level.saturating_add(n);
        self
    }
    /// Records a note about the input (a repair, an ambiguity); see [`Thread::notes`].
    pub fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.thread.notes.push(note.into());
        self
    }
    /// Adds a comment; returns its index.
    pub fn push(&mut self, comment: Comment) -> usize {
        self.thread.comments.push(comment);
        self.thread.comments.len() - 1
    }
    /// Comments pushed so far.
    pub fn len(&self) -> usize {
        self.thread.comments.len()
    }
    /// True when no comment was pushed.
    pub fn is_empty(&self) -> bool {
        self.thread.comments.is_empty()
    }
    /// Mutable access to a pushed comment (readers use it to add `missing_children`).
    pub fn comment_mut(&mut self, index: usize) -> &mut Comment {
        &mut self.thread.comments[index]
    }
    /// The comments pushed so far.
    pub fn comments(&self) -> &[Comment] {
        &self.thread.comments
    }

    /// Links parents and children, keeps orphans as roots, breaks cycles. Never fails.
    pub fn finish(self) -> Thread {
        let mut t = self.thread;
        let n = t.comments.len();
        assert!(
            n < u32::MAX as usize,
            "more than 4 billion comments in one thread"
        );

        // id -> first index with that id.
        let mut by_id: HashMap<&str, u32> = HashMap::with_capacity(n);
        let mut duplicates = Vec::new();
        for (i, c) in t.comments.iter().enumerate() {
            if by_id.insert(c.id.as_str(), i as u32).is_some() {
                // keep the first: put it back
                duplicates.push(i as u32);
            }
        }
        // Re-insert first occurrences (insert above overwrote them with later ones).
        for (i, c) in t.comments.iter().enumerate().rev() {
            by_id.insert(c.id.as_str(), i as u32);
        }

        let mut parent: Vec<Option<u32>> = vec![None; n];
        let mut orphans = Vec::new();
        let mut cycles = Vec::new();
        for (i, c) in t.comments.iter().enumerate() {
            if let Some(p) = &c.declared_parent {
                match by_id.get(p.as_str()) {
                    Some(&pi) if pi as usize == i => cycles.push(i as u32), // self-parent
                    Some(&pi) => parent[i] = Some(pi),
                    None => orphans.push(i as u32),
                }
            }
        }

        // Break longer cycles: colour 0 = unseen, 1 = on the current path, 2 = done.
        let mut colour = vec![0u8; n];
        let mut path: Vec<u32> = Vec::new();
        for start in 0..n {
            if colour[start] != 0 {
                continue;
            }
            path.clear();
            let mut at = start as u32;
            loop {
                match colour[at as usize] {
                    2 => break,
                    1 => {
                        // `at` is on the path: the cycle is path[pos..].
                        let pos = path.iter().position(|&x| x == at).unwrap_or(0);
                        let cycle = &path[pos..];
                        let root = *cycle
                            .iter()
                            .min_by(|&&a, &&b| {
                                id_order(&t.comments[a as usize].id, &t.comments[b as usize].id)
                                    .then(a.cmp(&b))
                            })
                            .unwrap_or(&at);
                        parent[root as usize] = None;
                        cycles.push(root);
                        break;
                    }
                    _ => {
                        colour[at as usize] = 1;
                        path.push(at);
                        match parent[at as usize] {
                            Some(p) => at = p,
                            None => break,
                        }
                    }
                }
            }
            for &p in &path {
                colour[p as usize] = 2;
            }
        }
        cycles.sort_unstable();

        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (i, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children[*p as usize].push(i as u32),
                None => roots.push(i as u32),
            }
        }
        t.parent = parent;
        t.children = children;
        t.roots = roots;
        t.orphans = orphans;
        t.cycles_broken = cycles;
        t.duplicate_ids = duplicates;
        t
    }
}

/// Numeric ids compare as numbers, others as strings; numbers sort first.
fn id_order(a: &str, b: &str) -> Ordering {
    match (a.parse::<u128>(), b.parse::<u128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        _ => a.cmp(b),
    }
}
