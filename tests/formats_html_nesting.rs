//! Scraped WordPress-style pages whose comment bodies hold mis-nested markup.
//!
//! An unclosed `<a>` or `<b>` followed by a block makes html5ever run the adoption agency
//! algorithm, which moves all the children of a "furthest block" under a new element.
//! scraper 0.22 / ego-tree 0.10 updated the parent link of the first and last moved child
//! only (rust-scraper/ego-tree#44); when the last one was moved again, the tree walk followed
//! a stale parent link and skipped whole reply subtrees: comments 4 and 5 below vanished.
//! Fixed by ego-tree 0.11 (scraper >= 0.26). These pages pin every comment's parent and depth.

mod common;

use commentguard::{Format, Thread};

fn page(html: &str) -> Thread {
    common::one_thread_of(html, Format::WpcomHtml)
}

/// (id, parent id, depth) of every comment in thread order.
fn shape(t: &Thread) -> Vec<(String, Option<String>, u32)> {
    t.walk()
        .map(|v| {
            let parent = t.parent(v.index).map(|p| t.comment(p).id.clone());
            (v.comment.id.clone(), parent, v.depth)
        })
        .collect()
}

fn expected(rows: &[(&str, Option<&str>, u32)]) -> Vec<(String, Option<String>, u32)> {
    rows.iter()
        .map(|(id, p, d)| (id.to_string(), p.map(str::to_string), *d))
        .collect()
}

fn text_of(t: &Thread, id: &str) -> String {
    let i = t.find(id).unwrap_or_else(|| panic!("comment {id} missing"));
    t.comment(i).text.clone()
}

/// The thread around the body: comment 1 (whose body is `body1`) has replies 2, 3 and 4;
/// comment 4 (body `body4`) has reply 5; comment 6 is a second top-level comment.
fn thread_page(body1: &str, body4: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><title>Mis-nested</title></head><body>
<ol class="commentlist">
<li class="comment depth-1" id="comment-1">
<div class="comment-content">{body1}
</div>
<ul class="children">
<li class="comment depth-2" id="comment-2"><div class="comment-content"><p>two</p></div></li>
<li class="comment depth-2" id="comment-3"><div class="comment-content"><p>three</p></div></li>
<li class="comment depth-2" id="comment-4"><div class="comment-author"><a href="/bob">bob</a></div><div class="comment-content">{body4}</div>
<ul class="children">
<li class="comment depth-3" id="comment-5"><div class="comment-content"><p>five</p></div></li>
</ul>
</li>
</ul>
</li>
<li class="comment depth-1" id="comment-6"><div class="comment-content"><p>six</p></div></li>
</ol></body></html>"#
    )
}

const SHAPE: &[(&str, Option<&str>, u32)] = &[
    ("1", None, 1),
    ("2", Some("1"), 2),
    ("3", Some("1"), 2),
    ("4", Some("1"), 2),
    ("5", Some("4"), 3),
    ("6", None, 1),
];

/// Reads the thread page around the two bodies, checks every comment's place and the
/// texts of those around them, and returns the texts of comments 1 and 4.
fn read_bodies(body1: &str, body4: &str) -> (String, String) {
    let t = page(&thread_page(body1, body4));
    assert_eq!(shape(&t), expected(SHAPE));
    // The depth-N classes agree with the nesting: no note.
    assert!(t.notes().is_empty(), "{:?}", t.notes());
    for (id, text) in [("2", "two"), ("3", "three"), ("5", "five"), ("6", "six")] {
        assert_eq!(text_of(&t, id), text, "comment {id}");
    }
    (text_of(&t, "1"), text_of(&t, "4"))
}

/// Comment 1 leaves an `<a>` and a `<div>` open inside a `<p>`; the reply list lands inside
/// the link, and comment 4's author link (a second `<a>`) triggers the adoption agency.
#[test]
fn unclosed_link_and_div_keep_reply_depths() {
    let texts = read_bodies(r#"<p>see <a href="/x">this <div>quote</p>"#, "<p>four</p>");
    assert_eq!(texts, ("see this\n\nquote".into(), "four".into()));
}

/// Comment 1 leaves a `<b>` open around a table (whose text is foster-parented out of it)
/// and a `<div>`; comment 4 carries a stray `</b>` that closes comment 1's `<b>`.
#[test]
fn table_unclosed_bold_and_stray_end_tag_keep_reply_depths() {
    let texts = read_bodies(
        "<b>Rules:<table>x<tr><td>a</td></tr></table><div>keep it civil",
        "<p>four</b></p>",
    );
    assert_eq!(
        texts,
        ("Rules:x\n\na\n\nkeep it civil".into(), "four".into())
    );
}

/// An unclosed `<li>` in a comment body closes the comment's own `<li>` (the HTML parsing
/// rules, as in a browser): the reply list then follows comment 1 instead of sitting in it,
/// and is read as comment 1's replies (the reply-list-after-`</li>` shape).
#[test]
fn unclosed_list_item_in_a_body() {
    let t = page(&thread_page(
        "<ul><li>one<li>two</ul><li>stray",
        "<p>four</p>",
    ));
    assert_eq!(shape(&t), expected(SHAPE));
    // "stray" sits in the item after comment 1, outside its body (as a browser shows it).
    assert_eq!(text_of(&t, "1"), "one\ntwo");
    assert_eq!(text_of(&t, "4"), "four");
}
