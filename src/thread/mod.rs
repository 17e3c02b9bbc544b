//! Comment threads: an arena of [`Comment`]s with parent links, built by [`ThreadBuilder`] and
//! walked without recursion by [`Walk`].

mod align;
mod builder;
mod comment;
mod walk;

pub(crate) use align::{AlignBuilder, Alignment};
pub use builder::ThreadBuilder;
pub use comment::{Comment, CommentKind, Markup, Status};
pub use walk::{Ancestors, Visit, Walk};

/// A thread: the comments under one post, article or story, linked by their parents.
///
/// Comments keep the order of the input; `children` keep input order among siblings.
/// Comments whose parent is not in the thread are kept as roots and listed in
/// [`orphans`](Thread::orphans); parent cycles are broken (the comment with the lowest id in
/// the cycle becomes a root) and listed in [`cycles_broken`](Thread::cycles_broken).
#[derive(Debug, Clone, Default)]
pub struct Thread {
    /// The thread's id (post id, Disqus thread id, Reddit link id, page URL, ...).
    pub id: String,
    /// The title of the post or page, when known.
    pub title: Option<String>,
    /// The URL of the post or page, when known.
    pub url: Option<String>,
    /// The site, forum or community the thread belongs to, where the format says it: the WXR
    /// channel's `<link>` (the blog's URL), the Disqus `<forum>` short name, the Reddit
    /// `subreddit`, the remark42 `locator.site`, the Commento `domain`. `None` for formats
    /// without one (Hacker News is one site; Isso, Activity Streams, scraped pages, our
    /// JSONL/CSV without a `site` column).
    pub site: Option<String>,
    pub(crate) comments: Vec<Comment>,
    pub(crate) parent: Vec<Option<u32>>,
    pub(crate) children: Vec<Vec<u32>>,
    pub(crate) roots: Vec<u32>,
    pub(crate) orphans: Vec<u32>,
    pub(crate) cycles_broken: Vec<u32>,
    pub(crate) duplicate_ids: Vec<u32>,
    pub(crate) missing_top_level: u32,
    pub(crate) notes: Vec<String>,
}

impl Thread {
    /// The comments in input order. Index `i` here is the `index` used everywhere else.
    pub fn comments(&self) -> &[Comment] {
        &self.comments
    }
    /// Number of comments.
    pub fn len(&self) -> usize {
        self.comments.len()
    }
    /// True when the thread has no comments.
    pub fn is_empty(&self) -> bool {
        self.comments.is_empty()
    }
    /// The comment at `index`.
    pub fn comment(&self, index: usize) -> &Comment {
        &self.comments[index]
    }
    /// The index of the first comment with this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.comments.iter().position(|c| c.id == id)
    }
    /// The resolved parent of `index` (`None` for roots, including orphans).
    pub fn parent(&self, index: usize) -> Option<usize> {
        self.parent[index].map(|p| p as usize)
    }
    /// The replies to `index`, in input order.
    pub fn children(&self, index: usize) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.children[index].iter().map(|&c| c as usize)
    }
    /// Top-level comments and orphans, in input order.
    pub fn roots(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.roots.iter().map(|&c| c as usize)
    }
    /// Comments whose declared parent is not in the thread (kept as roots).
    pub fn orphans(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.orphans.iter().map(|&c| c as usize)
    }
    /// Comments made roots to break a parent cycle (including self-parents).
    pub fn cycles_broken(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.cycles_broken.iter().map(|&c| c as usize)
    }
    /// Comments whose id repeats an earlier comment's id (replies link to the first).
    pub fn duplicate_ids(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.duplicate_ids.iter().map(|&c| c as usize)
    }
    /// Top-level replies the file says exist but does not contain (Reddit "more" at top level,
    /// HN story `kids` absent from the file).
    pub fn missing_top_level(&self) -> u32 {
        self.missing_top_level
    }
    /// What the reader had to repair or could not know (lenient XML repairs, ambiguous
    /// nesting in scraped text, ...), in words. Empty for a clean input.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
    /// The parent chain of `index`, nearest first.
    pub fn ancestors(&self, index: usize) -> Ancestors<'_> {
        Ancestors::new(self, index)
    }
    /// Depth of `index` (top level = 1). Costs O(depth).
    pub fn depth(&self, index: usize) -> u32 {
        1 + self.ancestors(index).count() as u32
    }
    /// Iterative pre-order walk over the whole thread: roots in input order, each followed by
    /// its replies. Never recurses, so a 100,000-deep chain is fine.
    pub fn walk(&self) -> Walk<'_> {
        Walk::new(self)
    }
    /// The longest parent chain (top level = 1; 0 for an empty thread).
    pub fn max_depth(&self) -> u32 {
        self.walk().map(|v| v.depth).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests;
