//! Reader for Reddit comment JSON.
//!
//! Shapes read:
//! - a comment page (`/comments/{id}`): `[Listing{t3}, Listing{t1…, more}]`, replies nested
//!   in each t1's `replies` (`""` when there are none, else a Listing);
//! - the flat `/api/morechildren` answer `{"json":{"errors":[],"data":{"things":[…]}}}`,
//!   rebuilt from `parent_id`;
//! - a single Listing or thing;
//! - Pushshift-style NDJSON archives: one t1-like object per line (`link_id`, `parent_id`,
//!   `body`), streamed line by line and grouped into threads by consecutive `link_id`.
//!
//! Ids are the bare ids (`t1_`/`t3_` stripped); a parent `t3_…` means top level. `more` stubs
//! are never comments: their `count` is added to the parent's `missing_children` (or the
//! thread's missing top level). A "continue this thread" stub (`id` `_`, `count` 0) still
//! says at least one reply exists, so it counts as 1.
//!
//! A comment page spends about 5 JSON levels per reply level, so serde_json's default limit
//! (128 levels, about 24 reply levels) is too low for chains assembled by following "continue
//! this thread" stubs. Documents are parsed with [`json::parse_deep`]: no recursion limit up
//! to [`json::DEEP_LIMIT`] levels (about 20,000 reply levels; deeper is a positioned syntax
//! error), on a stack that grows on the heap; the tree is walked with an explicit stack and
//! dropped without recursion. NDJSON lines keep the default limit.
//!
//! [`Thread::site`] is the `subreddit` of the post (or of the first comment when the post is not
//! in the file).

use super::html::{text_body, Newlines};
use super::json;
use super::{Format, Input, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, Markup, Status, Thread, ThreadBuilder};
use serde_json::{Map, Value};
use std::collections::HashMap;

const FORMAT: &str = "reddit";

/// Does the start of the input look like Reddit JSON?
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = super::trim_head(head);
    if !(h.starts_with(b"[") || h.starts_with(b"{")) {
        return false;
    }
    let has = |s: &str| memchr::memmem::find(h, s.as_bytes()).is_some();
    let kind = has("\"kind\"")
        && (has("\"Listing\"") || has("\"t1\"") || has("\"t3\"") || has("\"more\""));
    let things = h.starts_with(b"{") && has("\"json\"") && has("\"things\"");
    let pushshift = has("\"link_id\"") && has("\"parent_id\"");
    kind || things || pushshift
}

/// Reads the input into threads.
pub(crate) fn read(mut input: Input) -> Threads {
    let first = match json::peek_first_line(&mut input) {
        Ok(f) => f,
        Err(e) => return Threads::from_result(Format::Reddit, Err(e)),
    };
    if is_ndjson_line(&first) {
        let lines = json::Lines::new(input, FORMAT);
        return Threads::new(
            Format::Reddit,
            json::Grouped::new(lines, FORMAT, Box::new(ndjson_record)),
        );
    }
    let r = input
        .read_string(FORMAT)
        .and_then(|text| read_document(&text, &input.options).map_err(|e| input.locate(e)));
    Threads::from_result(Format::Reddit, r)
}

/// A first line that is a whole t1-like object (not a Listing or `{"json":…}`) means NDJSON.
fn is_ndjson_line(line: &[u8]) -> bool {
    if super::trim_head(line).starts_with(b"[") {
        return false; // a comment page
    }
    let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(line) else {
        return false;
    };
    if o.contains_key("json") {
        return false;
    }
    match o.get("kind").and_then(Value::as_str) {
        Some("t1") => true,
        Some(_) => false,
        None => o.contains_key("link_id") || o.contains_key("parent_id"),
    }
}

fn ndjson_record(v: Value, line: u64) -> Result<Option<json::Record>> {
    let data = match v.get("kind").and_then(Value::as_str) {
        Some("t1") => v.get("data").cloned().unwrap_or(Value::Null),
        Some(_) => return Ok(None),
        None => v,
    };
    let Value::Object(data) = data else {
        return Err(Error::syntax(FORMAT, "a line is not a JSON object").at_line(line));
    };
    let mut c = t1_comment(&data, None)?;
    c.offset = Some(line);
    c.offset_is_line = true;
    let thread = data
        .get("link_id")
        .and_then(Value::as_str)
        .map(|s| bare(s).to_string())
        .unwrap_or_default();
    Ok(Some(json::Record {
        thread,
        title: data
            .get("link_title")
            .and_then(Value::as_str)
            .map(str::to_string),
        url: data
            .get("link_permalink")
            .and_then(Value::as_str)
            .map(str::to_string),
        site: subreddit(&data),
        comment: c,
    }))
}

/// Strips a `t1_`/`t3_`/... type prefix.
fn bare(full: &str) -> &str {
    match full.as_bytes() {
        [b't', d, b'_', ..] if d.is_ascii_digit() => &full[3..],
        _ => full,
    }
}

/// The declared parent of a t1/more: `None` for `t3_…` (top level).
fn parent_of(full: &str) -> Option<String> {
    if full.starts_with("t3_") || full.is_empty() {
        None
    } else {
        Some(bare(full).to_string())
    }
}

/// Undoes Reddit's legacy escaping (`&lt;`, `&gt;`, `&amp;`) applied without `raw_json=1`.
fn unescape_legacy(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// One t1's data to a Comment. `structural` is the parent given by the nesting.
fn t1_comment(data: &Map<String, Value>, structural: Option<&str>) -> Result<Comment> {
    let id = json::id(data, "id")
        .or_else(|| json::id(data, "name").map(|n| bare(&n).to_string()))
        .ok_or_else(|| Error::syntax(FORMAT, "a t1 comment has no id"))?;
    let parent = match data.get("parent_id").and_then(Value::as_str) {
        Some(p) => parent_of(p),
        None => structural.map(str::to_string),
    };
    let mut body = data
        .get("body")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    // Without raw_json=1, body_html is itself escaped and the body has &lt; &gt; &amp;.
    let legacy = data
        .get("body_html")
        .and_then(Value::as_str)
        .map(|h| h.trim_start().starts_with("&lt;"))
        .unwrap_or(false);
    if legacy {
        body = unescape_legacy(&body);
    }
    let author = data.get("author").and_then(Value::as_str);
    let mut c = Comment::new(id, "");
    c.declared_parent = parent;
    c.author = match author {
        Some("[deleted]") | Some("") | None => None,
        Some(a) => Some(a.to_string()),
    };
    c.status = match body.trim() {
        "[deleted]" => Status::Deleted,
        "[removed]" => Status::Removed,
        _ => Status::Approved,
    };
    if c.status == Status::Approved {
        text_body(&body, Newlines::Keep).apply(&mut c, body);
    } else {
        c.raw = body;
    }
    c.markup = Markup::Markdown;
    c.time = data.get("created_utc").and_then(json::time);
    c.likes = data.get("score").and_then(Value::as_i64);
    c.source_depth = data
        .get("depth")
        .and_then(Value::as_u64)
        .and_then(|d| u32::try_from(d).ok())
        .map(|d| d.saturating_add(1));
    Ok(c)
}

#[derive(Default)]
struct Post {
    title: Option<String>,
    url: Option<String>,
    subreddit: Option<String>,
}

/// The `subreddit` of a t1 or t3 data object.
fn subreddit(d: &Map<String, Value>) -> Option<String> {
    json::str(d, "subreddit")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

struct Gap {
    parent: String,
    count: u32,
}

/// Parses a whole comment-page / morechildren / listing document into threads.
fn read_document(text: &str, options: &super::ReadOptions) -> Result<Vec<Thread>> {
    let root: Value = json::parse_deep(FORMAT, text)?;
    let threads = walk_document(&root, options).map_err(|(e, v)| match v {
        Some(v) => json::at_value(e, text, &root, v),
        None => e,
    });
    // Deep documents: never let the value drop recursively.
    json::dispose(root);
    threads
}

/// Collects the things of a parsed document (without recursion) into threads. An error comes
/// with the value it is about, when there is one, for its position in the text.
fn walk_document<'a>(
    root: &'a Value,
    options: &super::ReadOptions,
) -> Result<Vec<Thread>, (Error, Option<&'a Value>)> {
    let mut posts: HashMap<String, Post> = HashMap::new();
    let mut post_order: Vec<String> = Vec::new();
    let mut comments: Vec<(Option<String>, Option<String>, Comment)> = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut saw_reddit = false;

    // (value, parent id given by the nesting)
    let mut stack: Vec<(&Value, Option<String>)> = vec![(root, None)];
    while let Some((v, sp)) = stack.pop() {
        match v {
            Value::Array(a) => {
                for x in a.iter().rev() {
                    stack.push((x, sp.clone()));
                }
            }
            Value::Object(o) => {
                let kind = o.get("kind").and_then(Value::as_str);
                let data = o.get("data");
                saw_reddit |= kind.is_some() || o.contains_key("things");
                match (kind, data) {
                    (Some("Listing"), Some(d)) => {
                        if let Some(ch) = d.get("children") {
                            stack.push((ch, sp));
                        }
                    }
                    (Some("t1"), Some(dv @ Value::Object(d))) => {
                        let c = t1_comment(d, sp.as_deref()).map_err(|e| (e, Some(dv)))?;
                        json::check_len(FORMAT, &c.raw, &c.id, options.max_comment_bytes)
                            .map_err(|e| (e, Some(dv)))?;
                        if let (Some(p), Some(s)) = (&c.declared_parent, &sp) {
                            if p != s {
                                notes.push(format!(
                                    "comment {} declares parent {p} but is nested under {s}",
                                    c.id
                                ));
                            }
                        }
                        let link = d
                            .get("link_id")
                            .and_then(Value::as_str)
                            .map(|l| bare(l).to_string());
                        if let Some(r @ Value::Object(_)) = d.get("replies") {
                            stack.push((r, Some(c.id.clone())));
                        }
                        comments.push((link, subreddit(d), c));
                    }
                    (Some("t3"), Some(Value::Object(d))) => {
                        let Some(id) = json::id(d, "id")
                            .or_else(|| json::id(d, "name").map(|n| bare(&n).to_string()))
                        else {
                            continue;
                        };
                        let url = match d.get("permalink").and_then(Value::as_str) {
                            Some(p) if p.starts_with('/') => {
                                Some(format!("https://www.reddit.com{p}"))
                            }
                            Some(p) if !p.is_empty() => Some(p.to_string()),
                            _ => d.get("url").and_then(Value::as_str).map(str::to_string),
                        };
                        if !posts.contains_key(&id) {
                            post_order.push(id.clone());
                        }
                        posts.insert(
                            id,
                            Post {
                                title: d.get("title").and_then(Value::as_str).map(str::to_string),
                                url,
                                subreddit: subreddit(d),
                            },
                        );
                    }
                    (Some("more"), Some(Value::Object(d))) => {
                        let parent = d
                            .get("parent_id")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .or_else(|| sp.as_ref().map(|s| format!("t1_{s}")))
                            .unwrap_or_default();
                        let listed = d
                            .get("children")
                            .and_then(Value::as_array)
                            .map(|a| a.len())
                            .unwrap_or(0);
                        let count = d.get("count").and_then(Value::as_u64).unwrap_or(0);
                        let count = if count > 0 {
                            count
                        } else if listed > 0 {
                            listed as u64
                        } else {
                            1 // "continue this thread": at least one reply exists
                        };
                        gaps.push(Gap {
                            parent,
                            count: u32::try_from(count).unwrap_or(u32::MAX),
                        });
                    }
                    (Some(_), _) => {} // accounts, subreddits, ...: not comments
                    (None, _) => {
                        if let Some(j) = o.get("json") {
                            stack.push((j, sp));
                        } else if let Some(t) = o.get("things") {
                            stack.push((t, sp));
                        } else if let Some(d) = data {
                            stack.push((d, sp));
                        } else if o.contains_key("body") && o.contains_key("parent_id") {
                            // a bare t1 data object
                            let c = t1_comment(o, sp.as_deref()).map_err(|e| (e, Some(v)))?;
                            json::check_len(FORMAT, &c.raw, &c.id, options.max_comment_bytes)
                                .map_err(|e| (e, Some(v)))?;
                            let link = o
                                .get("link_id")
                                .and_then(Value::as_str)
                                .map(|l| bare(l).to_string());
                            comments.push((link, subreddit(o), c));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if comments.is_empty() && posts.is_empty() && gaps.is_empty() && !saw_reddit {
        return Err((
            Error::syntax(
                FORMAT,
                "no Reddit listing, thing or morechildren data found",
            ),
            Some(root),
        ));
    }
    assemble(posts, post_order, comments, gaps, notes, options).map_err(|e| (e, None))
}

fn assemble(
    mut posts: HashMap<String, Post>,
    post_order: Vec<String>,
    comments: Vec<(Option<String>, Option<String>, Comment)>,
    gaps: Vec<Gap>,
    notes: Vec<String>,
    options: &super::ReadOptions,
) -> Result<Vec<Thread>> {
    // The link of comments that do not name one: the only post, else "reddit".
    let fallback = if post_order.len() == 1 {
        post_order[0].clone()
    } else {
        comments
            .iter()
            .find_map(|(l, _, _)| l.clone())
            .unwrap_or_else(|| "reddit".to_string())
    };
    let mut order: Vec<String> = Vec::new();
    let mut builders: HashMap<String, ThreadBuilder> = HashMap::new();
    let mut where_is: HashMap<String, (String, usize)> = HashMap::new();
    for id in &post_order {
        order.push(id.clone());
        builders.insert(id.clone(), ThreadBuilder::new(id.clone()));
    }
    for (link, sub, c) in comments {
        let link = link.unwrap_or_else(|| fallback.clone());
        let b = builders.entry(link.clone()).or_insert_with(|| {
            order.push(link.clone());
            ThreadBuilder::new(link.clone())
        });
        if b.is_empty() {
            b.site(sub);
        }
        if b.len() >= options.max_comments_per_thread {
            return Err(Error::limit(
                "comments per thread",
                options.max_comments_per_thread as u64,
            )
            .for_comment(c.id.clone()));
        }
        let id = c.id.clone();
        let i = b.push(c);
        where_is.entry(id).or_insert((link, i));
    }
    if order.is_empty() && !gaps.is_empty() {
        order.push(fallback.clone());
        builders.insert(fallback.clone(), ThreadBuilder::new(fallback.clone()));
    }
    for g in gaps {
        if let Some(link) = g.parent.strip_prefix("t3_") {
            let link = link.to_string();
            let b = builders.entry(link.clone()).or_insert_with(|| {
                order.push(link.clone());
                ThreadBuilder::new(link.clone())
            });
            b.add_missing_top_level(g.count);
        } else if let Some((link, i)) = where_is.get(bare(&g.parent)) {
            if let Some(b) = builders.get_mut(link) {
                let c = b.comment_mut(*i);
                c.missing_children = c.missing_children.saturating_add(g.count);
            }
        } else if let Some(b) = order.first().and_then(|l| builders.get_mut(l)) {
            b.note(format!(
                "{} more replies to {}, which is not in the file",
                g.count, g.parent
            ));
        }
    }
    if let Some(b) = order.first().and_then(|l| builders.get_mut(l)) {
        for n in notes {
            b.note(n);
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for id in order {
        if let Some(mut b) = builders.remove(&id) {
            if let Some(p) = posts.remove(&id) {
                b.title(p.title).url(p.url);
                if p.subreddit.is_some() {
                    b.site(p.subreddit);
                }
            }
            out.push(b.finish());
        }
    }
    Ok(out)
}
