//! Iterative pre-order traversal.

use super::{Comment, Thread};

/// One step of a [`Walk`]: a comment with its place in the tree.
#[derive(Debug, Clone, Copy)]
pub struct Visit<'t> {
    /// Index of the comment in [`Thread::comments`].
    pub index: usize,
    /// The comment.
    pub comment: &'t Comment,
    /// Depth: top level (and orphans) = 1.
    pub depth: u32,
    /// Index of the parent, `None` for roots.
    pub parent: Option<usize>,
    thread: &'t Thread,
}

impl<'t> Visit<'t> {
    /// The parent chain, nearest first.
    pub fn ancestors(&self) -> Ancestors<'t> {
        Ancestors::new(self.thread, self.index)
    }
    /// The parent comment, if any.
    pub fn parent_comment(&self) -> Option<&'t Comment> {
        self.parent.map(|p| &self.thread.comments[p])
    }
}

/// Pre-order walk of a [`Thread`] with an explicit stack (no recursion).
#[derive(Debug, Clone)]
pub struct Walk<'t> {
    thread: &'t Thread,
    // (index, depth), pushed in reverse so that the first child pops first.
    stack: Vec<(u32, u32)>,
}

impl<'t> Walk<'t> {
    pub(crate) fn new(thread: &'t Thread) -> Walk<'t> {
        let stack = thread.roots.iter().rev().map(|&r| (r, 1)).collect();
        Walk { thread, stack }
    }
}

impl<'t> Iterator for Walk<'t> {
    type Item = Visit<'t>;
    fn next(&mut self) -> Option<Visit<'t>> {
        let (i, depth) = self.stack.pop()?;
        let kids = &self.thread.children[i as usize];
        self.stack
            .extend(kids.iter().rev().map(|&k| (k, depth + 1)));
        Some(Visit {
            index: i as usize,
            comment: &self.thread.comments[i as usize],
            depth,
            parent: self.thread.parent[i as usize].map(|p| p as usize),
            thread: self.thread,
        })
    }
}

/// The parent chain of a comment, nearest first.
#[derive(Debug, Clone)]
pub struct Ancestors<'t> {
    thread: &'t Thread,
    at: Option<u32>,
}

impl<'t> Ancestors<'t> {
    pub(crate) fn new(thread: &'t Thread, index: usize) -> Ancestors<'t> {
        Ancestors {
            thread,
            at: thread.parent[index],
        }
    }
}

impl<'t> Iterator for Ancestors<'t> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        let i = self.at?;
        self.at = self.thread.parent[i as usize];
        Some(i as usize)
    }
}
