//! One comment, as its format described it.

use super::align::Alignment;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Moderation state of a comment, mapped from each format's own markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Status {
    /// Published (WXR `1`, Disqus default, Reddit/HN default).
    #[default]
    Approved,
    /// Awaiting moderation (WXR `0`).
    Pending,
    /// Marked as spam (WXR `spam`, Disqus `isSpam`).
    Spam,
    /// In the bin (WXR `trash`, `post-trashed`).
    Trash,
    /// Deleted by its author or the site, kept because it has replies or the export keeps it
    /// (Disqus `isDeleted`, Reddit `[deleted]`, HN `deleted`, remark42 `delete`).
    Deleted,
    /// Removed by moderators (Reddit `[removed]`).
    Removed,
    /// Killed by flags or moderators (HN `dead`).
    Dead,
    /// Not a comment but a stand-in for comments that are not in the file (Reddit "more").
    Placeholder,
}

impl Status {
    /// The lower-case name used in JSON output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Approved => "approved",
            Status::Pending => "pending",
            Status::Spam => "spam",
            Status::Trash => "trash",
            Status::Deleted => "deleted",
            Status::Removed => "removed",
            Status::Dead => "dead",
            Status::Placeholder => "placeholder",
        }
    }
}

/// What the body's original markup was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Markup {
    /// Plain text.
    #[default]
    Text,
    /// An HTML fragment.
    Html,
    /// Markdown (Reddit, Commento, remark42 `orig`).
    Markdown,
}

/// What sort of record the comment is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum CommentKind {
    /// An ordinary comment.
    #[default]
    Comment,
    /// A WordPress pingback (body is an excerpt of another site).
    Pingback,
    /// A WordPress trackback.
    Trackback,
    /// Another type named by the format (WXR plugin types such as `review`, `webmention`).
    Other(String),
}

/// One comment. Fields are public so that callers can read them directly; build one with
/// [`Comment::new`] and set what the format provides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Comment {
    /// The id as the format writes it (ids are strings: not all formats use numbers). Readers
    /// synthesise one (`"3.1.2"`, `"line:17"`) where the format has none.
    pub id: String,
    /// The parent id as written in the file, even when no comment has that id. `None` for a
    /// top-level comment.
    pub declared_parent: Option<String>,
    /// The author's display name.
    pub author: Option<String>,
    /// When it was written, in UTC.
    pub time: Option<DateTime<Utc>>,
    /// The body as clean text: markup removed, entities decoded, paragraphs separated by a
    /// blank line. All offsets (quotes, lexicon hits, reasons) are byte offsets into this.
    pub text: String,
    /// The body as the file had it (after the container's own escaping — XML, JSON — was
    /// undone), in the markup named by `markup`.
    pub raw: String,
    /// The markup of `raw`.
    pub markup: Markup,
    /// Moderation state.
    pub status: Status,
    /// Byte ranges of `text` that quote someone else (`<blockquote>`, `>` lines). Sorted and
    /// non-overlapping.
    pub quotes: Vec<Range<usize>>,
    /// Comment, pingback, trackback, ...
    pub kind: CommentKind,
    /// The depth the format itself states (Reddit `depth`, HTML `depth-N`), 1-based.
    pub source_depth: Option<u32>,
    /// Likes / score shown with the comment, when the format has them.
    pub likes: Option<i64>,
    /// How many replies the file says exist but does not contain (Reddit "more", HN `kids`).
    pub missing_children: u32,
    /// Where the comment starts in the input: 1-based line for text formats, byte offset
    /// for others (see `offset_is_line`).
    pub offset: Option<u64>,
    /// True when `offset` is a line number rather than a byte offset.
    pub offset_is_line: bool,
    /// Where the bytes of `text` came from in `raw` (see [`Comment::raw_range`]).
    #[serde(default, skip_serializing_if = "Alignment::is_empty")]
    pub(crate) align: Alignment,
}

impl Comment {
    /// A comment with an id and a plain-text body; everything else empty.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Comment {
        let text = text.into();
        Comment {
            id: id.into(),
            declared_parent: None,
            author: None,
            time: None,
            raw: text.clone(),
            text,
            markup: Markup::Text,
            status: Status::Approved,
            quotes: Vec::new(),
            kind: CommentKind::Comment,
            source_depth: None,
            likes: None,
            missing_children: 0,
            offset: None,
            offset_is_line: false,
            align: Alignment::default(),
        }
    }

    /// Sets the declared parent (`None` = top level).
    pub fn with_parent(mut self, parent: Option<impl Into<String>>) -> Comment {
        self.declared_parent = parent.map(Into::into);
        self
    }

    /// The parts of `text` written by the commenter, i.e. outside the quoted ranges.
    pub fn own_ranges(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut at = 0;
        for q in &self.quotes {
            if q.start > at {
                out.push(at..q.start);
            }
            at = at.max(q.end);
        }
        if at < self.text.len() {
            out.push(at..self.text.len());
        }
        out
    }

    /// The byte range of `raw` that a byte range of `text` came from: `&amp;` for the `&` it
    /// became, `<p>..</p>` markup for a paragraph break, the characters themselves for text
    /// copied from the markup. Ranges that start or end inside an entity are widened to the
    /// whole entity.
    ///
    /// `None` when the range is out of bounds or not on character boundaries, or when the
    /// reader recorded no map and `text` is not `raw` itself (the scraped-text reader, or
    /// `text`/`raw` changed after reading).
    ///
    /// ```
    /// # use commentguard::Comment;
    /// let c = Comment::new("1", "plain words");
    /// assert_eq!(c.raw_range(6..11), Some(6..11));
    /// ```
    pub fn raw_range(&self, text: Range<usize>) -> Option<Range<usize>> {
        if self.align.fits(&self.text, &self.raw) && !self.align.is_empty() {
            return self.align.raw_range(&self.text, &self.raw, text);
        }
        let ok = self.text == self.raw
            && text.start <= text.end
            && self.text.is_char_boundary(text.start)
            && self.text.is_char_boundary(text.end);
        ok.then_some(text)
    }

    /// Sets `text` and `raw` together with the map between them.
    pub(crate) fn set_body(&mut self, text: String, raw: String, align: Alignment) {
        self.text = text;
        self.raw = raw;
        self.align = align;
    }

    /// Heap bytes held besides the strings (for memory budgets).
    pub(crate) fn heap_bytes_extra(&self) -> usize {
        self.align.heap_bytes()
    }

    /// True when byte `i` of `text` lies inside a quote.
    pub fn is_quoted(&self, i: usize) -> bool {
        self.quotes.iter().any(|q| q.contains(&i))
    }
}
