//! Reader for Commento export JSON: `{"version":1,"comments":[…],"commenters":[…]}`.
//!
//! One thread per page (`domain` + `url`), in order of first appearance. `parentHex`
//! `"root"` means top level. Authors come from the `commenters` table by `commenterHex`;
//! `"anonymous"` (never in the table) gives no author. `markdown` is the body (Markdown);
//! when it is empty, `html` is used. `deleted: true` → Deleted, `state` `unapproved` →
//! Pending, `flagged` → Spam. A comment without `commentHex` gets the id `#N` (its 1-based
//! position in the file).

use super::html::{html_to_text, text_body, Newlines};
use super::json;
use super::{Format, Input, ReadOptions, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, Markup, Status, Thread, ThreadBuilder};
use serde_json::Value;
use std::collections::HashMap;

const FORMAT: &str = "commento";

/// Does the start of the input look like a Commento export?
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = super::trim_head(head);
    h.starts_with(b"{") && memchr::memmem::find(h, b"\"commentHex\"").is_some()
}

/// Reads the input into threads.
pub(crate) fn read(mut input: Input) -> Threads {
    let r = input
        .read_string(FORMAT)
        .and_then(|text| read_text(&text, &input.options).map_err(|e| input.locate(e)));
    Threads::from_result(Format::Commento, r)
}

fn read_text(text: &str, options: &ReadOptions) -> Result<Vec<Thread>> {
    let doc: Value = serde_json::from_str(text).map_err(|e| json::error(FORMAT, &e, text))?;
    // Errors about a value point where it starts in the text.
    let at = |e: Error, v: &Value| json::at_value(e, text, &doc, v);
    let Value::Object(root) = &doc else {
        return Err(at(
            Error::syntax(FORMAT, "the export is not a JSON object"),
            &doc,
        ));
    };
    let mut names: HashMap<&str, &str> = HashMap::new();
    if let Some(Value::Array(cs)) = root.get("commenters") {
        for c in cs.iter().filter_map(Value::as_object) {
            if let (Some(h), Some(n)) = (json::str(c, "commenterHex"), json::str(c, "name")) {
                names.insert(h, n);
            }
        }
    }
    let comments = match root.get("comments") {
        Some(Value::Array(a)) => a.as_slice(),
        Some(Value::Null) | None => &[],
        Some(v) => return Err(at(Error::syntax(FORMAT, "\"comments\" is not an array"), v)),
    };
    let mut order: Vec<String> = Vec::new();
    let mut builders: HashMap<String, ThreadBuilder> = HashMap::new();
    for (n, v) in comments.iter().enumerate() {
        let Some(o) = v.as_object() else {
            return Err(at(
                Error::syntax(FORMAT, format!("comment {} is not an object", n + 1)),
                v,
            ));
        };
        let id = json::id(o, "commentHex").unwrap_or_else(|| format!("#{}", n + 1));
        let markdown = json::str(o, "markdown").unwrap_or("");
        let html = json::str(o, "html").unwrap_or("");
        let mut c = Comment::new(id.clone(), "");
        if markdown.trim().is_empty() && !html.trim().is_empty() {
            json::check_len(FORMAT, html, &id, options.max_comment_bytes)?;
            html_to_text(html, Newlines::Collapse).apply(&mut c, html.to_string());
            c.markup = Markup::Html;
        } else {
            json::check_len(FORMAT, markdown, &id, options.max_comment_bytes)?;
            text_body(markdown, Newlines::Keep).apply(&mut c, markdown.to_string());
            c.markup = Markup::Markdown;
        }
        c.declared_parent = match json::id(o, "parentHex") {
            Some(p) if p != "root" => Some(p),
            _ => None,
        };
        c.author = json::str(o, "commenterHex")
            .filter(|h| *h != "anonymous")
            .and_then(|h| names.get(h))
            .filter(|n| !n.is_empty())
            .map(|n| n.to_string());
        c.time = o.get("creationDate").and_then(json::time);
        c.likes = o.get("score").and_then(Value::as_i64);
        c.status = if o.get("deleted").and_then(Value::as_bool).unwrap_or(false) {
            Status::Deleted
        } else {
            match json::str(o, "state") {
                Some("unapproved") => Status::Pending,
                Some("flagged") => Status::Spam,
                _ => Status::Approved,
            }
        };
        let mut page = format!(
            "{}{}",
            json::str(o, "domain").unwrap_or(""),
            json::str(o, "url").unwrap_or("")
        );
        if page.is_empty() {
            page = "commento".to_string();
        }
        let b = builders.entry(page.clone()).or_insert_with(|| {
            order.push(page.clone());
            let mut b = ThreadBuilder::new(page.clone());
            let domain = json::str(o, "domain").filter(|d| !d.is_empty());
            b.site(domain.map(str::to_string));
            b
        });
        if b.len() >= options.max_comments_per_thread {
            return Err(Error::limit(
                "comments per thread",
                options.max_comments_per_thread as u64,
            )
            .for_comment(id));
        }
        b.push(c);
    }
    Ok(order
        .into_iter()
        .filter_map(|k| builders.remove(&k))
        .map(ThreadBuilder::finish)
        .collect())
}
