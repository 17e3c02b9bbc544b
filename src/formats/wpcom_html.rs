//! Reader for the HTML of a WordPress-style page with a threaded comment list.
//!
//! Comments are the `li` elements whose class has `comment` (or `pingback` / `trackback`).
//! A comment's parent is the nearest enclosing comment `li`, or, for a reply list
//! (`ul.children` / `ol.children`) placed *after* its parent's `</li>` (seen on
//! blog.wordpress.com, or when an unclosed `<li>` in a comment body closed the comment's own
//! `li`), the comment `li` just before that list. Depth follows from the
//! parents and is checked against the theme's `depth-N` class (kept as `source_depth`; a
//! disagreement is recorded in the thread's notes). Ids come from `id="comment-NNN"`
//! (`NNN`), else `li:K` (K-th comment on the page). The author is the comment's `.fn` /
//! `cite` / `.comment-author`; the body is its `.comment-content` (or `.contenttext`,
//! `.comment-text`, `.comment-entry`, `.comment-body`) without the like widget, metadata and
//! reply link; likes from `data-like-count` or "Liked by N people". The page `<title>` is
//! the thread title; the thread id is the file name. A page without comments gives one
//! thread with zero comments. Everything is walked iteratively (no recursion).

use super::html::{html_to_text, Newlines};
use super::{Format, Input, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, CommentKind, Markup, Status, Thread, ThreadBuilder};
use ego_tree::{NodeId, NodeRef};
use scraper::node::{Element, Node};
use scraper::{ElementRef, Html};
use std::collections::HashMap;

const FORMAT: &str = "wpcom-html";

/// Does the start of the input look like this format? An HTML document (`<!DOCTYPE html`,
/// `<html` near the start) or markup holding a WordPress comment list.
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = super::trim_head(head);
    if h.first() != Some(&b'<') {
        return false;
    }
    let low: Vec<u8> = h.iter().take(4096).map(u8::to_ascii_lowercase).collect();
    if low.starts_with(b"<!doctype html") || low.starts_with(b"<html") {
        return true;
    }
    let early = &low[..low.len().min(2048)];
    if memchr::memmem::find(early, b"<html").is_some() && !low.starts_with(b"<?xml") {
        return true;
    }
    if low.starts_with(b"<?xml")
        && memchr::memmem::find(early, b"<html").is_some()
        && memchr::memmem::find(early, b"<rss").is_none()
    {
        return true;
    }
    memchr::memmem::find(head, b"comment-list").is_some()
        || memchr::memmem::find(head, b"commentlist").is_some()
}

/// Reads the input into threads: always exactly one thread (possibly with zero comments).
pub(crate) fn read(mut input: Input) -> Threads {
    let r = input
        .read_string(FORMAT)
        .and_then(|s| parse(&s, &input))
        .map(|t| vec![t])
        .map_err(|e| input.locate(e));
    Threads::from_result(Format::WpcomHtml, r)
}

fn has_class(el: &Element, class: &str) -> bool {
    el.classes().any(|c| c == class)
}

fn element(node: NodeRef<'_, Node>) -> Option<&Element> {
    node.value().as_element()
}

fn is_comment_li(node: NodeRef<'_, Node>) -> bool {
    element(node).is_some_and(|e| {
        e.name() == "li"
            && (has_class(e, "comment") || has_class(e, "pingback") || has_class(e, "trackback"))
    })
}

fn is_children_list(node: NodeRef<'_, Node>) -> bool {
    element(node).is_some_and(|e| matches!(e.name(), "ul" | "ol") && has_class(e, "children"))
}

/// The comment this `li` replies to, and whether it was found through a reply list placed
/// after its parent's `</li>`.
fn parent_of(li: NodeRef<'_, Node>) -> (Option<NodeId>, bool) {
    let mut cur = li.parent();
    let mut in_reply_list = false;
    while let Some(n) = cur {
        if is_comment_li(n) {
            return (Some(n.id()), false);
        }
        // A plain `<li>` around a reply list: an unclosed `<li>` in a comment body closed the
        // comment's own `<li>` (as in a browser), so the list sits in a stray item after it.
        let stray_li = in_reply_list && element(n).is_some_and(|e| e.name() == "li");
        if is_children_list(n) || stray_li {
            in_reply_list = true;
            // Bounded look-back: the misplaced list sits right after its parent's </li>.
            let mut sib = n.prev_sibling();
            let mut looked = 0;
            while let Some(s) = sib {
                looked += 1;
                if looked > 64 {
                    break;
                }
                if is_comment_li(s) {
                    return (Some(s.id()), true);
                }
                if element(s).is_some_and(|e| e.name() == "li") {
                    break;
                }
                sib = s.prev_sibling();
            }
        }
        if element(n).is_some_and(|e| has_class(e, "commentlist") || has_class(e, "comment-list")) {
            return (None, false);
        }
        cur = n.parent();
    }
    (None, false)
}

/// The elements of a comment's own content: its subtree without nested comments and reply
/// lists, in document order.
fn own_elements(li: NodeRef<'_, Node>) -> Vec<NodeRef<'_, Node>> {
    let mut out = Vec::new();
    // Pre-order with an explicit stack, not descending into replies (so a deep, properly
    // nested thread costs O(n), not O(n * depth)).
    let mut stack: Vec<NodeRef<'_, Node>> = li.children().rev().collect();
    while let Some(n) = stack.pop() {
        if is_comment_li(n) || is_children_list(n) {
            continue;
        }
        if n.value().is_element() {
            out.push(n);
            stack.extend(n.children().rev());
        }
    }
    out
}

fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            s.push_str(t);
        }
    }
    collapse(&s)
}

/// Collapses runs of whitespace (NBSP included) to one space and trims.
fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

const BODY_CLASSES: &[&str] = &[
    "comment-content",
    "contenttext",
    "comment-text",
    "comment-entry",
    "comment-body",
];

const NOT_BODY: &[&str] = &[
    "comment-likes",
    "comment-like-feedback",
    "sharedaddy",
    "reply",
    "comment-reply-link",
    "comment-meta",
    "comment-metadata",
    "commentmetadata",
    "comment-author",
    "vcard",
    "comment-awaiting-moderation",
    "comment-actions",
];

/// The body's HTML: the content container's children without chrome.
fn body_html(own: &[NodeRef<'_, Node>]) -> String {
    let container = BODY_CLASSES.iter().find_map(|class| {
        own.iter()
            .copied()
            .find(|n| element(*n).is_some_and(|e| has_class(e, class)))
    });
    let mut html = String::new();
    let mut push = |n: NodeRef<'_, Node>| match n.value() {
        Node::Element(e) => {
            if e.name() == "footer"
                || NOT_BODY.iter().any(|c| has_class(e, c))
                || is_comment_li(n)
                || is_children_list(n)
            {
                return;
            }
            // scraper >= 0.26 (ego-tree 0.11) keeps parent links right after the parser
            // reparents nodes; 0.22 did not and html5ever's serializer panicked here (finding
            // 1, `finding_wpcom_html_reparented_nodes_do_not_panic` in tests/hostile.rs).
            if let Some(el) = ElementRef::wrap(n) {
                html.push_str(&el.html());
            }
        }
        Node::Text(t) => html.push_str(&escape(t)),
        _ => {}
    };
    match container {
        Some(c) => c.children().for_each(&mut push),
        None => own
            .iter()
            .copied()
            .filter(|n| element(*n).is_some_and(|e| e.name() == "p"))
            .for_each(&mut push),
    }
    html
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn depth_class(e: &Element) -> Option<u32> {
    e.classes()
        .find_map(|c| c.strip_prefix("depth-").and_then(|d| d.parse().ok()))
}

fn parse(s: &str, input: &Input) -> Result<Thread> {
    let doc = Html::parse_document(s);
    let mut b = ThreadBuilder::new(input.default_thread_id());
    let mut title = None;
    let mut url = None;
    for n in doc.tree.root().descendants() {
        let Some(e) = element(n) else { continue };
        match e.name() {
            "title" if title.is_none() => {
                title = Some(text_of(n)).filter(|t| !t.is_empty());
            }
            "link" if url.is_none() && e.attr("rel") == Some("canonical") => {
                url = e.attr("href").map(str::to_string);
            }
            "meta" if url.is_none() && e.attr("property") == Some("og:url") => {
                url = e.attr("content").map(str::to_string);
            }
            _ => {}
        }
    }
    b.title(title).url(url);

    let opts = &input.options;
    let mut known: HashMap<NodeId, (String, u32)> = HashMap::new();
    let mut misplaced = 0usize;
    let mut disagree: Vec<String> = Vec::new();
    let mut k = 0usize;
    for li in doc.tree.root().descendants().filter(|n| is_comment_li(*n)) {
        let Some(e) = element(li) else { continue };
        k += 1;
        let id = e
            .attr("id")
            .and_then(|i| i.strip_prefix("comment-").or(i.strip_prefix("li-comment-")))
            .filter(|i| !i.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("li:{k}"));
        if k > opts.max_comments_per_thread {
            // The parsed document keeps no source positions: the comment's id says where.
            return Err(
                Error::limit("comments per thread", opts.max_comments_per_thread as u64)
                    .for_comment(id),
            );
        }
        let (parent, after_li) = parent_of(li);
        let parent = parent.and_then(|p| known.get(&p).cloned());
        if after_li && parent.is_some() {
            misplaced += 1;
        }
        let depth = parent.as_ref().map(|p| p.1 + 1).unwrap_or(1);
        let stated = depth_class(e);
        if stated.is_some_and(|d| d != depth) {
            disagree.push(id.clone());
        }
        known.insert(li.id(), (id.clone(), depth));

        let own = own_elements(li);
        let find =
            |f: &dyn Fn(&Element) -> bool| own.iter().copied().find(|n| element(*n).is_some_and(f));
        let author = find(&|e| has_class(e, "fn"))
            .or_else(|| find(&|e| e.name() == "cite"))
            .or_else(|| find(&|e| has_class(e, "comment-author")))
            .map(text_of)
            .map(|a| {
                a.trim_end_matches("says:")
                    .trim_end_matches("says")
                    .trim()
                    .to_string()
            })
            .filter(|a| !a.is_empty());
        let likes = find(&|e| e.attr("data-like-count").is_some())
            .and_then(|n| element(n)?.attr("data-like-count")?.trim().parse().ok())
            .or_else(|| {
                find(&|e| has_class(e, "comment-like-feedback"))
                    .and_then(|n| super::wpcom_text::parse_liked_by(&text_of(n)))
            });
        let time = find(&|e| e.name() == "time" && e.attr("datetime").is_some())
            .and_then(|n| element(n)?.attr("datetime"))
            .and_then(super::parse_time);
        let raw = body_html(&own);
        let body = html_to_text(&raw, Newlines::Collapse);
        if body.text.len() > opts.max_comment_bytes {
            return Err(
                Error::limit("comment size in bytes", opts.max_comment_bytes as u64)
                    .for_comment(id),
            );
        }
        let mut c = Comment::new(id, "");
        body.apply(&mut c, raw);
        c.markup = Markup::Html;
        c.declared_parent = parent.map(|p| p.0);
        c.author = author;
        c.likes = likes;
        c.time = time;
        c.source_depth = stated;
        if find(&|e| has_class(e, "comment-awaiting-moderation")).is_some() {
            c.status = Status::Pending;
        }
        if has_class(e, "pingback") {
            c.kind = CommentKind::Pingback;
        } else if has_class(e, "trackback") {
            c.kind = CommentKind::Trackback;
        }
        b.push(c);
    }
    if misplaced > 0 {
        b.note(format!(
            "{misplaced} reply list(s) placed after their parent's </li>: read as that comment's replies"
        ));
    }
    if !disagree.is_empty() {
        b.note(format!(
            "{} comment(s) whose depth-N class disagrees with the nesting (nesting used): {}",
            disagree.len(),
            disagree.join(", ")
        ));
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert!(sniff(b"<!DOCTYPE html><html>"));
        assert!(sniff(b"  <html lang=en>"));
        assert!(sniff(b"<div><ol class=\"commentlist\">"));
        assert!(!sniff(b"<?xml version=\"1.0\"?><rss>"));
        assert!(!sniff(b"{\"html\": 1}"));
        assert!(!sniff(b"plain text"));
    }
}
