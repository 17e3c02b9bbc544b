//! Reader for Remark42: the API tree (`/api/v1/find?format=tree`,
//! `{"comments":[{"comment":{…},"replies":[…]}]}`) and the native backup, newline-delimited
//! JSON whose first line is `{"version":…,"users":[…],"posts":[…]}` followed by one comment
//! per line (streamed, grouped into threads by consecutive `locator.url`).
//!
//! `pid` `""` means top level. `text` is sanitised HTML (decoded to text); when it is empty
//! `orig` (Markdown) is used. `delete: true` → Deleted. A comment without an id gets one:
//! its position in the tree (`1.2.1`) or its line in a backup (`line:17`). Threads are keyed
//! by `locator.url` (the tree's `info.url` as fallback); the `title` field names the post.
//! The tree is walked with an explicit stack (serde_json's parser allows 128 levels of JSON
//! nesting, two per reply level).

use super::html::{html_to_text, text_body, Newlines};
use super::json;
use super::{Format, Input, ReadOptions, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, Markup, Status, Thread, ThreadBuilder};
use serde_json::{Map, Value};
use std::collections::HashMap;

const FORMAT: &str = "remark42";

/// Does the start of the input look like Remark42?
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = super::trim_head(head);
    let has = |s: &str| memchr::memmem::find(h, s.as_bytes()).is_some();
    if !h.starts_with(b"{") {
        return false;
    }
    let first_line = h.split(|&b| b == b'\n').next().unwrap_or(h);
    let backup = memchr::memmem::find(first_line, b"\"version\"").is_some()
        && memchr::memmem::find(first_line, b"\"posts\"").is_some();
    backup || has("\"pid\"")
}

/// Reads the input into threads.
pub(crate) fn read(mut input: Input) -> Threads {
    let first = match json::peek_first_line(&mut input) {
        Ok(f) => f,
        Err(e) => return Threads::from_result(Format::Remark42, Err(e)),
    };
    let ndjson = match serde_json::from_slice::<Value>(&first) {
        Ok(Value::Object(o)) => !o.contains_key("comments"),
        _ => false,
    };
    if ndjson {
        let lines = json::Lines::new(input, FORMAT);
        return Threads::new(
            Format::Remark42,
            json::Grouped::new(lines, FORMAT, Box::new(backup_record)),
        );
    }
    let r = input
        .read_string(FORMAT)
        .and_then(|text| read_tree(&text, &input.options).map_err(|e| input.locate(e)));
    Threads::from_result(Format::Remark42, r)
}

/// One backup line: the header (skipped) or a comment.
fn backup_record(v: Value, line: u64) -> Result<Option<json::Record>> {
    let Value::Object(o) = v else {
        return Err(Error::syntax(FORMAT, "a line is not a JSON object").at_line(line));
    };
    if o.contains_key("version") && !o.contains_key("pid") && !o.contains_key("text") {
        return Ok(None); // the header: users and posts
    }
    let c = comment(&o, || format!("line:{line}"))?;
    Ok(Some(json::Record {
        thread: thread_key(&o).unwrap_or_default(),
        title: json::str(&o, "title")
            .filter(|t| !t.is_empty())
            .map(str::to_string),
        url: thread_key(&o),
        site: site(&o),
        comment: c,
    }))
}

/// `locator.site`: the remark42 site id.
fn site(o: &Map<String, Value>) -> Option<String> {
    o.get("locator")
        .and_then(Value::as_object)
        .and_then(|l| json::str(l, "site"))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn thread_key(o: &Map<String, Value>) -> Option<String> {
    o.get("locator")
        .and_then(Value::as_object)
        .and_then(|l| json::str(l, "url"))
        .filter(|u| !u.is_empty())
        .map(str::to_string)
}

fn comment(o: &Map<String, Value>, synth: impl FnOnce() -> String) -> Result<Comment> {
    let id = json::id(o, "id").unwrap_or_else(synth);
    let html = json::str(o, "text").unwrap_or("");
    let orig = json::str(o, "orig").unwrap_or("");
    let mut c = Comment::new(id, "");
    if html.trim().is_empty() && !orig.trim().is_empty() {
        text_body(orig, Newlines::Keep).apply(&mut c, orig.to_string());
        c.markup = Markup::Markdown;
    } else {
        html_to_text(html, Newlines::Collapse).apply(&mut c, html.to_string());
        c.markup = Markup::Html;
    }
    c.declared_parent = json::id(o, "pid");
    c.author = o
        .get("user")
        .and_then(Value::as_object)
        .and_then(|u| json::str(u, "name"))
        .filter(|n| !n.trim().is_empty())
        .map(str::to_string);
    c.time = o.get("time").and_then(json::time);
    c.likes = o.get("score").and_then(Value::as_i64);
    if o.get("delete").and_then(Value::as_bool).unwrap_or(false) {
        c.status = Status::Deleted;
    }
    Ok(c)
}

/// The API tree: nodes `{"comment":{…},"replies":[…]}` under `comments`.
fn read_tree(text: &str, options: &ReadOptions) -> Result<Vec<Thread>> {
    let root: Value = serde_json::from_str(text).map_err(|e| json::error(FORMAT, &e, text))?;
    let info_url = root
        .get("info")
        .and_then(|i| i.get("url"))
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    let top = match root.get("comments") {
        Some(Value::Array(a)) => a.as_slice(),
        Some(Value::Null) | None => &[],
        Some(v) => {
            let e = Error::syntax(FORMAT, "\"comments\" is not an array");
            return Err(json::at_value(e, text, &root, v));
        }
    };
    let mut order: Vec<String> = Vec::new();
    let mut builders: HashMap<String, ThreadBuilder> = HashMap::new();
    // (node, position path, structural parent id)
    let mut stack: Vec<(&Value, String, Option<String>)> = top
        .iter()
        .enumerate()
        .rev()
        .map(|(i, v)| (v, (i + 1).to_string(), None))
        .collect();
    while let Some((node, path, sp)) = stack.pop() {
        let Some(o) = node.get("comment").and_then(Value::as_object) else {
            let e = Error::syntax(
                FORMAT,
                format!("tree node {path} has no \"comment\" object"),
            );
            return Err(json::at_value(e, text, &root, node));
        };
        let mut c = comment(o, || path.clone())?;
        json::check_len(FORMAT, &c.raw, &c.id, options.max_comment_bytes)?;
        if c.declared_parent.is_none() && !o.contains_key("pid") {
            c.declared_parent = sp;
        }
        if let Some(Value::Array(replies)) = node.get("replies") {
            for (i, r) in replies.iter().enumerate().rev() {
                stack.push((r, format!("{path}.{}", i + 1), Some(c.id.clone())));
            }
        }
        let key = thread_key(o)
            .or_else(|| info_url.clone())
            .unwrap_or_else(|| "remark42".to_string());
        let b = builders.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            let mut b = ThreadBuilder::new(key.clone());
            b.url(Some(key.clone()));
            b
        });
        if let Some(t) = json::str(o, "title").filter(|t| !t.is_empty()) {
            b.title(Some(t.to_string()));
        }
        if let Some(s) = site(o) {
            b.site(Some(s));
        }
        if b.len() >= options.max_comments_per_thread {
            return Err(Error::limit(
                "comments per thread",
                options.max_comments_per_thread as u64,
            )
            .for_comment(c.id));
        }
        b.push(c);
    }
    Ok(order
        .into_iter()
        .filter_map(|k| builders.remove(&k))
        .map(ThreadBuilder::finish)
        .collect())
}
