//! Reader for WordPress eXtended RSS (WXR 1.0–1.2) exports.
//!
//! Streams with a namespace-aware pull parser: one `<item>` (post, page, ...) is held at a
//! time and becomes one [`Thread`] when it has comments. The `wp` namespace is resolved, never
//! matched on its prefix; any `http(s)://wordpress.org/export/1.x/` URI is accepted.
//! [`Thread::site`] is the channel's `<link>` (the blog's URL), when it comes before the item.
//!
//! The XML plumbing shared with the Disqus reader (line tracking, decoding with positions,
//! entity policy, CDATA-aware field text) lives in `formats::xml`.

use super::html::{html_to_text, Newlines};
use super::xml::{self, Ev, FieldText, NsKind, XmlEvents};
use super::{parse_time, Format, Input, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, CommentKind, Markup, Status, Thread, ThreadBuilder};

const FORMAT: &str = "wxr";

/// Does the start of the input look like this format? (`<rss` and the WordPress export
/// namespace in the head; bytes may be cut anywhere.)
pub(crate) fn sniff(head: &[u8]) -> bool {
    match xml::find_root_tag(head, b"<rss") {
        Some(_) => memchr::memmem::find(head, b"wordpress.org/export/").is_some(),
        None => false,
    }
}

/// Reads the input into threads, one per `<item>` with comments.
pub(crate) fn read(input: Input) -> Threads {
    let Input {
        reader,
        file,
        options,
    } = input;
    let xml = XmlEvents::new(reader, FORMAT, false, None);
    let mut r = WxrReader {
        xml,
        max_comment_bytes: options.max_comment_bytes,
        max_comments: options.max_comments_per_thread,
        done: false,
        items: 0,
        site: None,
    };
    let iter = std::iter::from_fn(move || {
        if r.done {
            return None;
        }
        match r.next_thread() {
            Ok(Some(t)) => Some(Ok(t)),
            Ok(None) => {
                r.done = true;
                None
            }
            Err(e) => {
                r.done = true;
                Some(Err(match &file {
                    Some(f) => e.in_file(f),
                    None => e,
                }))
            }
        }
    });
    Threads::new(Format::Wxr, iter)
}

/// The fields of an `<item>` and of a `<wp:comment>` that we keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    SiteLink,
    PostId,
    CommentId,
    Parent,
    Author,
    DateGmt,
    Date,
    Content,
    Approved,
    Type,
}

#[derive(Default)]
struct ItemState {
    depth: usize,
    title: Option<String>,
    link: Option<String>,
    post_id: Option<String>,
    comments: Vec<Comment>,
    notes: Vec<String>,
}

struct CommentState {
    depth: usize,
    line: u64,
    comment: Comment,
    id: Option<String>,
    date_gmt: Option<String>,
    date: Option<String>,
    approved: Option<String>,
}

struct WxrReader {
    xml: XmlEvents,
    max_comment_bytes: usize,
    max_comments: usize,
    done: bool,
    items: u64,
    /// The channel's `<link>`: the site's URL.
    site: Option<String>,
}

impl WxrReader {
    /// Reads events until an item with comments ends (Some) or the input ends (None).
    fn next_thread(&mut self) -> Result<Option<Thread>> {
        let mut item: Option<ItemState> = None;
        let mut comment: Option<CommentState> = None;
        let mut field: Option<(Field, usize, FieldText)> = None;
        loop {
            let ev = self.xml.next().map_err(|e| {
                let c = comment.as_ref().and_then(|c| c.id.clone());
                xml::with_context(e, item.as_ref().and_then(|i| i.post_id.clone()), c)
            })?;
            match ev {
                Ev::Eof => return Ok(None),
                Ev::Start {
                    ns,
                    local,
                    at,
                    line,
                    ..
                } => {
                    let d = self.xml.depth();
                    match (&mut item, &mut comment) {
                        (None, _) if local == "link" && ns == NsKind::Unbound && d == 3 => {
                            field = Some((Field::SiteLink, d, FieldText::default()));
                        }
                        (None, _) if local == "item" && ns == NsKind::Unbound => {
                            self.items += 1;
                            item = Some(ItemState {
                                depth: d,
                                ..ItemState::default()
                            });
                        }
                        (Some(it), None) if d == it.depth + 1 => {
                            let f = match (ns, local.as_str()) {
                                (NsKind::Unbound, "title") => Some(Field::Title),
                                (NsKind::Unbound, "link") => Some(Field::Link),
                                (NsKind::WordPress, "post_id") => Some(Field::PostId),
                                (NsKind::WordPress, "comment") => {
                                    if it.comments.len() >= self.max_comments {
                                        return Err(Error::limit(
                                            "comments in one thread",
                                            self.max_comments as u64,
                                        )
                                        .at_line(line)
                                        .at_byte(at));
                                    }
                                    let mut c = Comment::new(String::new(), String::new());
                                    c.offset = Some(at);
                                    c.markup = Markup::Html;
                                    comment = Some(CommentState {
                                        depth: d,
                                        line,
                                        comment: c,
                                        id: None,
                                        date_gmt: None,
                                        date: None,
                                        approved: None,
                                    });
                                    None
                                }
                                _ => None,
                            };
                            if let Some(f) = f {
                                field = Some((f, d, FieldText::default()));
                            }
                        }
                        (Some(_), Some(c)) if d == c.depth + 1 && ns == NsKind::WordPress => {
                            let f = match local.as_str() {
                                "comment_id" => Some(Field::CommentId),
                                "comment_parent" => Some(Field::Parent),
                                "comment_author" => Some(Field::Author),
                                "comment_date_gmt" => Some(Field::DateGmt),
                                "comment_date" => Some(Field::Date),
                                "comment_content" => Some(Field::Content),
                                "comment_approved" => Some(Field::Approved),
                                "comment_type" => Some(Field::Type),
                                _ => None,
                            };
                            if let Some(f) = f {
                                field = Some((f, d, FieldText::default()));
                            }
                        }
                        _ => {}
                    }
                }
                Ev::Text { text, cdata, at } => {
                    if let Some((f, fd, buf)) = &mut field {
                        if *fd == self.xml.depth() {
                            buf.push(&text, cdata);
                            if *f == Field::Content && buf.len() > self.max_comment_bytes {
                                let id = comment
                                    .as_ref()
                                    .and_then(|c| c.id.clone())
                                    .unwrap_or_else(|| "(id not read yet)".to_string());
                                return Err(self.xml.body_limit_at(self.max_comment_bytes, id, at));
                            }
                        }
                    }
                }
                Ev::End => {
                    // Depth still counts the element that is closing.
                    let d = self.xml.depth();
                    if let Some((f, fd, buf)) = field.take() {
                        if fd == d {
                            self.set_field(f, buf, item.as_mut(), comment.as_mut());
                        } else {
                            field = Some((f, fd, buf));
                        }
                    }
                    if comment.as_ref().is_some_and(|c| c.depth == d) {
                        if let (Some(c), Some(it)) = (comment.take(), item.as_mut()) {
                            let n = it.comments.len() + 1;
                            let c = self.finish_comment(c, n, &mut it.notes)?;
                            it.comments.push(c);
                        }
                    }
                    if item.as_ref().is_some_and(|it| it.depth == d) {
                        if let Some(it) = item.take() {
                            if !it.comments.is_empty() {
                                return Ok(Some(self.finish_item(it)));
                            }
                        }
                    }
                }
            }
        }
    }

    fn set_field(
        &mut self,
        f: Field,
        buf: FieldText,
        item: Option<&mut ItemState>,
        comment: Option<&mut CommentState>,
    ) {
        let value = buf.finish();
        let trimmed = || {
            let t = value.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        match f {
            Field::SiteLink => self.site = trimmed(),
            Field::Title | Field::Link | Field::PostId => {
                if let Some(it) = item {
                    let v = trimmed();
                    match f {
                        Field::Title => it.title = v.map(decode_entities),
                        Field::Link => it.link = v,
                        _ => it.post_id = v,
                    }
                }
            }
            _ => {
                let Some(c) = comment else { return };
                match f {
                    Field::CommentId => c.id = trimmed(),
                    Field::Parent => {
                        c.comment.declared_parent = trimmed().filter(|p| p != "0");
                    }
                    Field::Author => c.comment.author = trimmed().map(decode_entities),
                    Field::DateGmt => c.date_gmt = trimmed(),
                    Field::Date => c.date = trimmed(),
                    Field::Approved => c.approved = trimmed(),
                    Field::Type => {
                        c.comment.kind = match trimmed().as_deref() {
                            None | Some("comment") => CommentKind::Comment,
                            Some("pingback") => CommentKind::Pingback,
                            Some("trackback") => CommentKind::Trackback,
                            Some(other) => CommentKind::Other(other.to_string()),
                        }
                    }
                    Field::Content => {
                        html_to_text(&value, Newlines::Keep).apply(&mut c.comment, value);
                    }
                    _ => {}
                }
            }
        }
    }

    fn finish_comment(
        &self,
        c: CommentState,
        n: usize,
        notes: &mut Vec<String>,
    ) -> Result<Comment> {
        let CommentState {
            line,
            mut comment,
            id,
            date_gmt,
            date,
            approved,
            ..
        } = c;
        comment.id = match id {
            Some(id) => id,
            None => {
                let id = format!("line:{line}");
                notes.push(format!(
                    "line {line}: comment {n} of the item has no wp:comment_id; id {id:?} synthesised"
                ));
                id
            }
        };
        comment.time = date_gmt
            .as_deref()
            .and_then(parse_time)
            .or_else(|| date.as_deref().and_then(parse_time));
        comment.status = match approved.as_deref() {
            None | Some("1") | Some("approve") | Some("approved") => Status::Approved,
            Some("0") | Some("hold") | Some("unapproved") => Status::Pending,
            Some("spam") => Status::Spam,
            Some("trash") | Some("post-trashed") => Status::Trash,
            Some(other) => {
                notes.push(format!(
                    "line {line}: comment {:?} has an unknown comment_approved value {other:?}; \
                     read as pending",
                    comment.id
                ));
                Status::Pending
            }
        };
        Ok(comment)
    }

    fn finish_item(&mut self, it: ItemState) -> Thread {
        let mut notes = it.notes;
        let id = match it.post_id {
            Some(id) => id,
            None => {
                let id = format!("item:{}", self.items);
                notes.push(format!(
                    "item {} has no wp:post_id; thread id {id:?} synthesised",
                    self.items
                ));
                id
            }
        };
        let mut b = ThreadBuilder::new(id);
        b.title(it.title).url(it.link).site(self.site.clone());
        for n in notes {
            b.note(n);
        }
        for c in it.comments {
            b.push(c);
        }
        b.finish()
    }
}

/// WordPress stores titles and author names HTML-escaped (`&#8217;`, `&laquo;`): decode them.
fn decode_entities(s: String) -> String {
    if s.contains('&') || s.contains('<') {
        html_to_text(&s, Newlines::Collapse).text
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_wxr_only() {
        assert!(sniff(
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- generator -->\n<rss version=\"2.0\" \
              xmlns:wp=\"https://wordpress.org/export/1.2/\""
        ));
        assert!(!sniff(
            b"<rss version=\"2.0\"><channel>plain RSS</channel></rss>"
        ));
        assert!(!sniff(b"<html><p>&lt;rss wordpress.org/export/</p>"));
        assert!(!sniff(b"{\"text\": \"<rss wordpress.org/export/\"}"));
        assert!(!sniff(
            b"<rssfeed xmlns:wp=\"http://wordpress.org/export/1.0/\">"
        ));
        // Cut mid-way: the namespace is not in the head yet.
        assert!(!sniff(b"<rss version=\"2.0\" xmlns:wp=\"http://wordpre"));
    }
}
