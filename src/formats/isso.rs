//! Reader for Isso's "generic" import JSON: a list of threads
//! `[{"id", "title", "comments": [{"id", "author", "email", "website", "remote_addr",
//! "created", "text"}]}]`.
//!
//! The format has no parent field, so every comment is top level (a `parent` field, if a
//! producer adds one, is honoured). Comment ids are unique only within a thread, which is
//! fine: comments are keyed by (thread, id). `created` (`%Y-%m-%d %H:%M:%S`) is read as UTC.
//! `text` is Isso's Markdown source.

use super::html::{text_body, Newlines};
use super::json;
use super::{Format, Input, ReadOptions, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, Markup, Thread, ThreadBuilder};
use serde_json::Value;

const FORMAT: &str = "isso";

/// Does the start of the input look like Isso generic JSON?
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = super::trim_head(head);
    let has = |s: &str| memchr::memmem::find(h, s.as_bytes()).is_some();
    h.starts_with(b"[") && has("\"comments\"") && has("\"title\"")
}

/// Reads the input into threads.
pub(crate) fn read(mut input: Input) -> Threads {
    let r = input
        .read_string(FORMAT)
        .and_then(|text| read_text(&text, &input.options).map_err(|e| input.locate(e)));
    Threads::from_result(Format::Isso, r)
}

fn read_text(text: &str, options: &ReadOptions) -> Result<Vec<Thread>> {
    let root: Value = serde_json::from_str(text).map_err(|e| json::error(FORMAT, &e, text))?;
    let threads = match &root {
        Value::Array(a) => a.as_slice(),
        Value::Object(_) => std::slice::from_ref(&root),
        _ => {
            let e = Error::syntax(FORMAT, "expected a list of threads");
            return Err(json::at_value(e, text, &root, &root));
        }
    };
    let mut out = Vec::with_capacity(threads.len());
    for (n, t) in threads.iter().enumerate() {
        let Some(t) = t.as_object() else {
            let e = Error::syntax(FORMAT, format!("thread {} is not an object", n + 1));
            return Err(json::at_value(e, text, &root, t));
        };
        let tid = json::id(t, "id").unwrap_or_else(|| format!("#{}", n + 1));
        let mut b = ThreadBuilder::new(tid.clone());
        b.title(json::str(t, "title").map(str::to_string));
        if tid.starts_with("http://") || tid.starts_with("https://") {
            b.url(Some(tid.clone()));
        }
        let comments = match t.get("comments") {
            Some(Value::Array(a)) => a.as_slice(),
            _ => &[],
        };
        for (k, c) in comments.iter().enumerate() {
            let Some(o) = c.as_object() else {
                let e = Error::syntax(FORMAT, "a comment is not an object")
                    .at(crate::error::Position::new().with_thread(tid.clone()));
                return Err(json::at_value(e, text, &root, c));
            };
            let id = json::id(o, "id").unwrap_or_else(|| format!("#{}", k + 1));
            let raw = json::str(o, "text").unwrap_or("");
            json::check_len(FORMAT, raw, &id, options.max_comment_bytes)?;
            let body = text_body(raw, Newlines::Keep);
            let mut cm = Comment::new(id.clone(), "");
            body.apply(&mut cm, raw.to_string());
            cm.markup = Markup::Markdown;
            cm.author = json::str(o, "author")
                .filter(|a| !a.trim().is_empty())
                .map(str::to_string);
            cm.time = o.get("created").and_then(json::time);
            cm.declared_parent = json::id(o, "parent");
            if b.len() >= options.max_comments_per_thread {
                return Err(Error::limit(
                    "comments per thread",
                    options.max_comments_per_thread as u64,
                )
                .for_comment(id));
            }
            b.push(cm);
        }
        out.push(b.finish());
    }
    Ok(out)
}
