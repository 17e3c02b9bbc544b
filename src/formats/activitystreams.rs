//! Reader for W3C Activity Streams 2.0 (ActivityPub) objects.
//!
//! Shapes read: a single object (`Note`, `Article`, `Tombstone`, …), an activity wrapping
//! one (`Create`, `Update`, `Announce`: its `object`), a collection (`Collection`,
//! `OrderedCollection` and their pages: `items` / `orderedItems`, and an inline `first` page),
//! or a JSON array of any of these. Each object's `replies` collection is read inline.
//!
//! Roles: when the document is one object that replies to nothing, it is the thread's post
//! (id, title from `name`, URL) and only its replies are comments. Every other object is a
//! comment. `inReplyTo` may be a URI, a `Link` (`href`), an embedded object (its `id`, if
//! any) or an array (the first id is used; the rest are noted). A reply to the post is top
//! level; a reply to something not in the file is an orphan root with `declared_parent` kept;
//! a reply to an embedded object without an id is top level, and when the document is that
//! one reply, the embedded object's `name` titles the thread. Replies that appear both
//! inline and by back-reference are kept once (same id, or same parent/content/time when they
//! have no id). An object without an id gets `#N` (N = 1-based order in the file). IRIs are
//! compared after trimming spaces and a trailing `/`. `Tombstone` → Deleted. `content` (or
//! the first `contentMap` value, else `name`) is HTML. The JSON is walked with an explicit
//! stack; serde_json's parser allows 128 levels of nesting.

use super::html::{html_to_text, Newlines};
use super::json;
use super::{Format, Input, ReadOptions, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, Markup, Status, Thread, ThreadBuilder};
use serde_json::{Map, Value};
use std::collections::HashSet;

const FORMAT: &str = "activitystreams";

/// Does the start of the input look like Activity Streams?
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = super::trim_head(head);
    if !(h.starts_with(b"{") || h.starts_with(b"[")) {
        return false;
    }
    let has = |s: &str| memchr::memmem::find(h, s.as_bytes()).is_some();
    (has("\"@context\"") && has("activitystreams")) || has("\"inReplyTo\"")
}

/// Reads the input into threads.
pub(crate) fn read(mut input: Input) -> Threads {
    let r = input.read_string(FORMAT).and_then(|text| {
        let default_id = input.default_thread_id();
        read_text(&text, &default_id, &input.options).map_err(|e| input.locate(e))
    });
    Threads::from_result(Format::ActivityStreams, r)
}

const ACTIVITIES: &[&str] = &["Create", "Update", "Announce", "Add"];
const COLLECTIONS: &[&str] = &[
    "Collection",
    "OrderedCollection",
    "CollectionPage",
    "OrderedCollectionPage",
];

fn type_of(o: &Map<String, Value>) -> Option<&str> {
    match o.get("type") {
        Some(Value::String(s)) => Some(s),
        Some(Value::Array(a)) => a.iter().find_map(Value::as_str),
        _ => None,
    }
}

fn norm(iri: &str) -> String {
    iri.trim().trim_end_matches('/').to_string()
}

/// A reference: a URI, a Link/object's `href`/`id`; `None` for an object without either.
fn ref_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(norm(s)),
        Value::Object(o) => json::str(o, "id")
            .or_else(|| json::str(o, "href"))
            .filter(|s| !s.trim().is_empty())
            .map(norm),
        _ => None,
    }
}

/// The items of a collection value (inline `items`/`orderedItems`, and those of `first`).
fn collection_items(v: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut pages = vec![v];
    let mut n = 0;
    while let Some(p) = pages.pop() {
        n += 1;
        if n > 4 {
            break; // a collection, its `first` page, and that page's `first`: enough
        }
        match p {
            Value::Array(a) => out.extend(a.iter()),
            Value::Object(o) => {
                for k in ["items", "orderedItems"] {
                    match o.get(k) {
                        Some(Value::Array(a)) => out.extend(a.iter()),
                        Some(x @ Value::Object(_)) => out.push(x),
                        _ => {}
                    }
                }
                if let Some(f @ Value::Object(_)) = o.get("first") {
                    pages.push(f);
                }
            }
            _ => {}
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    /// The document itself.
    Root,
    /// An item of a collection, or a reply found inline.
    Member,
}

fn author(o: &Map<String, Value>) -> Option<String> {
    let v = o.get("attributedTo").or_else(|| o.get("actor"))?;
    let v = match v {
        Value::Array(a) => a.first()?,
        v => v,
    };
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(a) => json::str(a, "name")
            .or_else(|| json::str(a, "preferredUsername"))
            .or_else(|| json::str(a, "id"))
            .map(str::to_string),
        _ => None,
    }
}

fn content(o: &Map<String, Value>) -> String {
    if let Some(c) = json::str(o, "content") {
        return c.to_string();
    }
    if let Some(Value::Object(m)) = o.get("contentMap") {
        if let Some(c) = m.values().find_map(Value::as_str) {
            return c.to_string();
        }
    }
    json::str(o, "name").unwrap_or("").to_string()
}

fn read_text(text: &str, default_id: &str, options: &ReadOptions) -> Result<Vec<Thread>> {
    let root: Value = serde_json::from_str(text).map_err(|e| json::error(FORMAT, &e, text))?;
    let mut b = ThreadBuilder::new(default_id);
    let mut post: Option<String> = None; // the post's id ("" when it has none)
    let mut seen_ids: HashSet<String> = HashSet::new();
    let mut seen_anon: HashSet<(Option<String>, String, String)> = HashSet::new();
    let mut notes: Vec<String> = Vec::new();
    let mut duplicates = 0usize;
    let mut n = 0usize;

    // (value, role, structural parent)
    let mut stack: Vec<(&Value, Role, Option<String>)> = vec![(&root, Role::Root, None)];
    while let Some((v, role, sp)) = stack.pop() {
        let o = match v {
            Value::Array(a) => {
                for x in a.iter().rev() {
                    stack.push((x, Role::Member, sp.clone()));
                }
                continue;
            }
            Value::Object(o) => o,
            Value::String(_) => continue, // a bare reference to an object not in the file
            _ => {
                let e = Error::syntax(FORMAT, "expected an object");
                return Err(json::at_value(e, text, &root, v));
            }
        };
        let t = type_of(o);
        if t.is_some_and(|t| ACTIVITIES.contains(&t)) {
            if let Some(obj @ (Value::Object(_) | Value::Array(_))) = o.get("object") {
                stack.push((obj, role, sp));
            }
            continue;
        }
        let is_collection = t.is_some_and(|t| COLLECTIONS.contains(&t))
            || (t.is_none()
                && !o.contains_key("content")
                && (o.contains_key("items") || o.contains_key("orderedItems")));
        if is_collection {
            if role == Role::Root {
                if let Some(id) = json::str(o, "id").filter(|s| !s.is_empty()) {
                    b = ThreadBuilder::new(norm(id));
                    b.url(Some(id.to_string()));
                }
            }
            for it in collection_items(v).into_iter().rev() {
                stack.push((it, Role::Member, sp.clone()));
            }
            continue;
        }
        let id = json::str(o, "id")
            .filter(|s| !s.trim().is_empty())
            .map(norm);
        let replies = o.get("replies").map(collection_items).unwrap_or_default();
        let in_reply_to: Vec<&Value> = match o.get("inReplyTo") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(x) => vec![x],
        };
        if role == Role::Root && in_reply_to.is_empty() {
            // the post: only its replies are comments
            let pid = id.clone().unwrap_or_default();
            b = ThreadBuilder::new(id.clone().unwrap_or_else(|| default_id.to_string()));
            b.title(json::str(o, "name").map(str::to_string));
            b.url(
                json::str(o, "url")
                    .map(str::to_string)
                    .or_else(|| json::str(o, "id").map(str::to_string)),
            );
            post = Some(pid.clone());
            for r in replies.into_iter().rev() {
                stack.push((r, Role::Member, Some(pid.clone())));
            }
            continue;
        }

        // a comment
        let refs: Vec<Option<String>> = in_reply_to.iter().map(|r| ref_id(r)).collect();
        if refs.len() > 1 {
            notes.push(format!(
                "an object replies to {} objects; the first is used as its parent",
                refs.len()
            ));
        }
        let mut parent = match refs.first() {
            Some(Some(p)) => Some(p.clone()),
            Some(None) => None, // an embedded object without an id
            None => sp.clone(),
        };
        if role == Role::Root {
            if let Some(Value::Object(e)) = in_reply_to.first() {
                b.title(json::str(e, "name").map(str::to_string));
            }
        }
        if parent.is_some() && parent == post {
            parent = None;
        }
        if let (Some(p), Some(s)) = (&parent, &sp) {
            if p != s && Some(s) != post.as_ref() {
                notes.push(format!(
                    "an object found in the replies of {s} says it replies to {p}"
                ));
            }
        }
        let raw = content(o);
        let time_s = json::str(o, "published").unwrap_or("").to_string();
        let fresh = match &id {
            Some(i) => seen_ids.insert(i.clone()),
            None => seen_anon.insert((parent.clone(), raw.clone(), time_s)),
        };
        if !fresh {
            duplicates += 1;
            continue;
        }
        n += 1;
        let cid = id.clone().unwrap_or_else(|| format!("#{n}"));
        json::check_len(FORMAT, &raw, &cid, options.max_comment_bytes)?;
        let body = html_to_text(&raw, Newlines::Collapse);
        let mut c = Comment::new(cid.clone(), "");
        body.apply(&mut c, raw);
        c.markup = Markup::Html;
        c.declared_parent = parent;
        c.author = author(o);
        c.time = o.get("published").and_then(json::time);
        if t == Some("Tombstone") {
            c.status = Status::Deleted;
        }
        if b.len() >= options.max_comments_per_thread {
            return Err(Error::limit(
                "comments per thread",
                options.max_comments_per_thread as u64,
            )
            .for_comment(cid));
        }
        b.push(c);
        for r in replies.into_iter().rev() {
            stack.push((r, Role::Member, Some(cid.clone())));
        }
    }
    if duplicates > 0 {
        notes.push(format!(
            "{duplicates} object(s) seen twice (inline and by reference) kept once"
        ));
    }
    for note in notes {
        b.note(note);
    }
    Ok(vec![b.finish()])
}
