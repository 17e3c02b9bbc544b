//! Reader for Hacker News items.
//!
//! Shapes read: one Firebase item (`/v0/item/{id}.json`), an array of items, items one per
//! line (or simply one after another), `null` (a missing item: no threads, no error), and
//! Algolia's nested tree (`/api/v1/items/{id}`: `children`, `author`, `created_at_i`,
//! `parent_id`, `story_id`), walked with an explicit stack.
//!
//! A story, job or poll is the thread (its title and URL), not a comment. Comments are
//! linked by `parent`; siblings follow the parent's `kids` order (ranked display order), then
//! file order for replies the parent does not list. `kids` that are not in the file are
//! counted in `missing_children` (or the thread's missing top level for a story). A comment
//! whose parent is not in the file is kept as an orphan root with its `declared_parent`.
//! Comments that reach no story in the file go to the story named by Algolia's `story_id`
//! when there is one, else to the only story in the file, else to a thread named after the
//! input. `text` is HTML (`<p>` separators, `&#x27;`, `&gt;` quote lines) decoded once.

use super::html::{html_to_text, Newlines};
use super::json;
use super::{Format, Input, ReadOptions, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, Markup, Status, Thread, ThreadBuilder};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

const FORMAT: &str = "hackernews";

/// Does the start of the input look like Hacker News items?
pub(crate) fn sniff(head: &[u8]) -> bool {
    let h = super::trim_head(head);
    if h.trim_ascii_end() == b"null" {
        return true;
    }
    if !(h.starts_with(b"[") || h.starts_with(b"{")) {
        return false;
    }
    let has = |s: &str| memchr::memmem::find(h, s.as_bytes()).is_some();
    let algolia = has("\"story_id\"") && (has("\"children\"") || has("\"created_at_i\""));
    let firebase = numeric_id(h)
        && (has("\"by\"") || has("\"kids\"") || type_is(h, "story") || type_is(h, "comment"));
    algolia || firebase
}

/// `"id"` followed by `:` and a digit.
fn numeric_id(h: &[u8]) -> bool {
    value_after(h, b"\"id\"").is_some_and(|v| v.first().is_some_and(u8::is_ascii_digit))
}

fn type_is(h: &[u8], t: &str) -> bool {
    let want = format!("\"{t}\"");
    memchr::memmem::find_iter(h, b"\"type\"").any(|i| {
        h.get(i + 6..)
            .map(|rest| skip_colon(rest).starts_with(want.as_bytes()))
            .unwrap_or(false)
    })
}

fn skip_colon(rest: &[u8]) -> &[u8] {
    let mut r = rest;
    while let [b, tail @ ..] = r {
        if b.is_ascii_whitespace() || *b == b':' {
            r = tail;
        } else {
            break;
        }
    }
    r
}

fn value_after<'a>(h: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    memchr::memmem::find_iter(h, key)
        .filter_map(|i| h.get(i + key.len()..))
        .map(skip_colon)
        .find(|r| !r.is_empty())
}

/// Reads the input into threads.
pub(crate) fn read(mut input: Input) -> Threads {
    let r = input.read_string(FORMAT).and_then(|text| {
        let default_id = input.default_thread_id();
        read_text(&text, &default_id, &input.options).map_err(|e| input.locate(e))
    });
    Threads::from_result(Format::HackerNews, r)
}

/// One item, from either API.
#[derive(Debug, Default)]
struct Item {
    id: String,
    kind: Option<String>,
    by: Option<String>,
    time: Option<chrono::DateTime<chrono::Utc>>,
    text: Option<String>,
    parent: Option<String>,
    kids: Vec<String>,
    deleted: bool,
    dead: bool,
    title: Option<String>,
    url: Option<String>,
    score: Option<i64>,
    story_id: Option<String>,
}

impl Item {
    fn is_story(&self) -> bool {
        match self.kind.as_deref() {
            Some("story") | Some("job") | Some("poll") => true,
            Some(_) => false,
            None => self.parent.is_none() && self.title.is_some(),
        }
    }
    fn is_comment(&self) -> bool {
        match self.kind.as_deref() {
            Some("comment") => true,
            Some(_) => false,
            None => self.parent.is_some(),
        }
    }
}

fn ids(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|k| match k {
                    Value::Number(n) => Some(n.to_string()),
                    Value::String(s) => Some(s.clone()),
                    Value::Object(o) => json::id(o, "id"),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn item(o: &Map<String, Value>) -> Option<Item> {
    let id = json::id(o, "id")?;
    let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
    let algolia = o.contains_key("children") || o.contains_key("created_at_i");
    let mut it = Item {
        id,
        kind: s("type"),
        by: s("by").or_else(|| s("author")),
        time: o
            .get("time")
            .or_else(|| o.get("created_at_i"))
            .and_then(json::time)
            .or_else(|| o.get("created_at").and_then(json::time)),
        text: s("text"),
        parent: json::id(o, "parent").or_else(|| json::id(o, "parent_id")),
        kids: ids(o.get("kids")),
        deleted: o.get("deleted").and_then(Value::as_bool).unwrap_or(false),
        dead: o.get("dead").and_then(Value::as_bool).unwrap_or(false),
        title: s("title"),
        url: s("url"),
        score: o
            .get("score")
            .or_else(|| o.get("points"))
            .and_then(Value::as_i64),
        story_id: json::id(o, "story_id"),
    };
    if algolia && it.kids.is_empty() {
        it.kids = ids(o.get("children"));
    }
    // Algolia shows a deleted comment as author and text null.
    if algolia && it.is_comment() && it.by.is_none() && it.text.is_none() {
        it.deleted = true;
    }
    Some(it)
}

/// All items of the input, in file order (Algolia trees in pre-order).
fn collect(text: &str) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    loop {
        // Where this top-level value starts: errors about its items point there (a parsed
        // Value keeps no positions of its own).
        let start = json::value_start(text, stream.byte_offset());
        let Some(v) = stream.next() else { break };
        let v = v.map_err(|e| json::error(FORMAT, &e, text))?;
        let at = |e: Error| json::at_offset(e, text, start);
        let mut stack: Vec<&Value> = vec![&v];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(a) => stack.extend(a.iter().rev()),
                Value::Object(o) => {
                    if let Some(it) = item(o) {
                        items.push(it);
                    } else if !o.is_empty() && !o.contains_key("children") {
                        return Err(at(Error::syntax(
                            FORMAT,
                            "an item (in the JSON value starting here) has no numeric \"id\"",
                        )));
                    }
                    if let Some(Value::Array(ch)) = o.get("children") {
                        stack.extend(ch.iter().rev());
                    }
                }
                Value::Null => {} // a missing item
                _ => {
                    return Err(at(Error::syntax(
                        FORMAT,
                        "expected an item object (in the JSON value starting here)",
                    )))
                }
            }
        }
    }
    Ok(items)
}

fn read_text(text: &str, default_id: &str, options: &ReadOptions) -> Result<Vec<Thread>> {
    let items = collect(text)?;
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        by_id.entry(it.id.as_str()).or_insert(i);
    }
    let stories: Vec<usize> = (0..items.len()).filter(|&i| items[i].is_story()).collect();
    let mut notes = Vec::new();
    let skipped = items
        .iter()
        .filter(|it| !it.is_story() && !it.is_comment())
        .count();
    if skipped > 0 {
        notes.push(format!(
            "{skipped} item(s) that are neither stories nor comments (pollopt, ...) skipped"
        ));
    }

    // thread key of each comment: the story reached through parents, else story_id, else
    // the only story, else the default thread.
    // story reached from each item (memoised: one pass, O(n) even for very long chains)
    let mut story_of: Vec<Option<Option<usize>>> = vec![None; items.len()];
    let mut on_path = vec![false; items.len()];
    let mut path: Vec<usize> = Vec::new();
    for i in 0..items.len() {
        if !items[i].is_comment() || story_of[i].is_some() {
            continue;
        }
        path.clear();
        let mut at = i;
        let found = loop {
            if let Some(r) = story_of[at] {
                break r;
            }
            path.push(at);
            on_path[at] = true;
            match items[at].parent.as_deref().and_then(|p| by_id.get(p)) {
                Some(&p) if items[p].is_story() => break Some(p),
                Some(&p) if items[p].is_comment() && !on_path[p] => at = p,
                _ => break None,
            }
        };
        for &q in &path {
            story_of[q] = Some(found);
            on_path[q] = false;
        }
    }
    let mut thread_of: Vec<Option<String>> = vec![None; items.len()];
    for (i, it) in items.iter().enumerate() {
        if !it.is_comment() {
            continue;
        }
        thread_of[i] = story_of[i]
            .flatten()
            .map(|s| items[s].id.clone())
            .or_else(|| it.story_id.clone())
            .or_else(|| (stories.len() == 1).then(|| items[stories[0]].id.clone()))
            .or_else(|| Some(default_id.to_string()));
    }

    let mut order: Vec<String> = stories.iter().map(|&s| items[s].id.clone()).collect();
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for key in &order {
        groups.entry(key.clone()).or_default();
    }
    for (i, k) in thread_of.iter().enumerate() {
        if let Some(k) = k {
            if !groups.contains_key(k) {
                order.push(k.clone());
            }
            groups.entry(k.clone()).or_default().push(i);
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for (n, key) in order.iter().enumerate() {
        let members = groups.remove(key).unwrap_or_default();
        let story = by_id
            .get(key.as_str())
            .copied()
            .filter(|&s| items[s].is_story());
        let mut b = ThreadBuilder::new(key.clone());
        if let Some(s) = story {
            b.title(items[s].title.clone()).url(items[s].url.clone());
        }
        if n == 0 {
            for note in &notes {
                b.note(note.clone());
            }
        }
        build(&items, &by_id, story, &members, &mut b, options)?;
        out.push(b.finish());
    }
    Ok(out)
}

/// Pushes the members of one thread in pre-order, siblings in `kids` order.
fn build(
    items: &[Item],
    by_id: &HashMap<&str, usize>,
    story: Option<usize>,
    members: &[usize],
    b: &mut ThreadBuilder,
    options: &ReadOptions,
) -> Result<()> {
    let member: HashSet<usize> = members.iter().copied().collect();
    // children of each item (by index), kids order first, then file order
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut listed: HashSet<usize> = HashSet::new();
    for &p in members.iter().chain(story.iter()) {
        for k in &items[p].kids {
            if let Some(&c) = by_id.get(k.as_str()) {
                if member.contains(&c) && items[c].parent.as_deref() == Some(items[p].id.as_str()) {
                    children.entry(p).or_default().push(c);
                    listed.insert(c);
                }
            }
        }
    }
    let mut roots = Vec::new();
    for &c in members {
        if listed.contains(&c) {
            continue;
        }
        match items[c].parent.as_deref().and_then(|p| by_id.get(p)) {
            Some(&p) if member.contains(&p) || Some(p) == story => {
                children.entry(p).or_default().push(c)
            }
            _ => roots.push(c),
        }
    }
    let mut top: Vec<usize> = story.and_then(|s| children.remove(&s)).unwrap_or_default();
    top.extend(roots);

    let mut done: HashSet<usize> = HashSet::new();
    let mut stack: Vec<usize> = top.into_iter().rev().collect();
    let mut order = Vec::with_capacity(members.len());
    let mut next = 0;
    loop {
        while let Some(c) = stack.pop() {
            if !done.insert(c) {
                continue;
            }
            order.push(c);
            if let Some(ch) = children.get(&c) {
                stack.extend(ch.iter().rev());
            }
        }
        // members only reachable through a cycle
        while next < members.len() && done.contains(&members[next]) {
            next += 1;
        }
        match members.get(next) {
            Some(&m) => stack.push(m),
            None => break,
        }
    }

    if let Some(s) = story {
        let missing = items[s]
            .kids
            .iter()
            .filter(|k| !by_id.contains_key(k.as_str()))
            .count();
        b.add_missing_top_level(u32::try_from(missing).unwrap_or(u32::MAX));
    }
    for i in order {
        if b.len() >= options.max_comments_per_thread {
            return Err(Error::limit(
                "comments per thread",
                options.max_comments_per_thread as u64,
            )
            .for_comment(items[i].id.clone()));
        }
        b.push(comment(
            &items[i],
            story.map(|s| items[s].id.as_str()),
            by_id,
            options,
        )?);
    }
    Ok(())
}

fn comment(
    it: &Item,
    story: Option<&str>,
    by_id: &HashMap<&str, usize>,
    options: &ReadOptions,
) -> Result<Comment> {
    let raw = it.text.clone().unwrap_or_default();
    json::check_len(FORMAT, &raw, &it.id, options.max_comment_bytes)?;
    let body = html_to_text(&raw, Newlines::Collapse);
    let mut c = Comment::new(it.id.clone(), "");
    body.apply(&mut c, raw);
    c.markup = Markup::Html;
    c.declared_parent = match (&it.parent, story) {
        (Some(p), Some(s)) if p == s => None,
        (p, _) => p.clone(),
    };
    c.author = it.by.clone();
    c.time = it.time;
    c.likes = it.score;
    c.status = if it.deleted {
        Status::Deleted
    } else if it.dead {
        Status::Dead
    } else {
        Status::Approved
    };
    let missing = it
        .kids
        .iter()
        .filter(|k| !by_id.contains_key(k.as_str()))
        .count();
    c.missing_children = u32::try_from(missing).unwrap_or(u32::MAX);
    Ok(c)
}
