//! Reader for Disqus XML exports.
//!
//! `<disqus>` holds `<category>`s, then `<thread dsq:id>`s, then flat `<post dsq:id>`s that
//! point at their thread and parent with `<thread dsq:id>` / `<parent dsq:id>`. The key is the
//! attribute in the `http://disqus.com/disqus-internals` namespace, resolved properly.
//!
//! Definitions and posts may come in any order, so they are grouped by thread before any
//! thread is yielded. Grouping runs in bounded memory ([`super::spill`]): records are held up
//! to [`ReadOptions::memory_budget`](super::ReadOptions::memory_budget), then spilled to
//! temporary files partitioned by thread; peak memory is about the budget plus the largest
//! thread. The output does not depend on the budget.
//!
//! **Order.** Threads come in the order of their first `<thread>` definition in the file
//! (defined threads without posts are not yielded), then the threads that posts name but the
//! file never defines, in the order of their first post. Within a thread, posts keep file
//! order. When a thread is defined twice, the first definition gives its title, link, forum
//! and deletion flag. Notes come in this order: repairs made in the thread's definitions,
//! repairs made in its posts (file order, prefixed with the post id), repairs made outside
//! any thread or post ("file line N: ..."), then "not defined in the file" or "marked
//! isDeleted".
//!
//! Deleted posts are kept (status [`Status::Deleted`]) so that their replies keep their depth.
//! [`Thread::site`] is the thread's `<forum>` (the Disqus site's short name), or the forum of
//! its first post when the thread is not defined.
//!
//! With [`ReadOptions::lenient`](super::ReadOptions::lenient) (the default) the malformed files
//! met in the wild are repaired: junk before the prolog, unquoted attribute values, a post
//! without `dsq:id`, bad dates and booleans. Every repair is written to the notes of the
//! threads it touches, with its line. Without it, the same files fail with a positioned error.

use super::html::{html_to_text, Newlines};
use super::spill::{GroupKey, Grouper, Groups, Record};
use super::xml::{Ev, FieldText, XmlEvents};
use super::{parse_time, Format, Input, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, Markup, Status, Thread, ThreadBuilder};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

const FORMAT: &str = "disqus";
const INTERNALS: &[u8] = b"http://disqus.com/disqus-internals";

/// Does the start of the input look like this format? (`<disqus` as the first element, even
/// after junk bytes; the head may be cut anywhere.)
pub(crate) fn sniff(head: &[u8]) -> bool {
    super::xml::find_root_tag(head, b"<disqus").is_some()
}

/// Reads the input into threads. The whole input is read (and grouped) when the first thread
/// is asked for.
pub(crate) fn read(input: Input) -> Threads {
    let Input {
        reader,
        file,
        options,
    } = input;
    let lenient = options.lenient;
    let parser = DisqusReader {
        xml: XmlEvents::new(reader, FORMAT, lenient, Some((INTERNALS, b"id"))),
        lenient,
        max_comment_bytes: options.max_comment_bytes,
        seq: 0,
        posts_seen: 0,
        grouper: Grouper::new(options.memory_budget, group_key),
        file_repairs: Vec::new(),
    };
    let mut state = State::Parse(Box::new(parser));
    let max_comments = options.max_comments_per_thread;
    let iter = std::iter::from_fn(move || loop {
        match std::mem::replace(&mut state, State::Done) {
            State::Done => return None,
            State::Parse(p) => match p.read_all() {
                Ok((groups, repairs)) => state = State::Emit(groups, repairs),
                Err(e) => return Some(Err(locate(e, &file))),
            },
            State::Emit(mut groups, repairs) => {
                let t = groups.next()?;
                match t.and_then(|g| assemble(g, &repairs, max_comments)) {
                    Ok(None) => state = State::Emit(groups, repairs),
                    Ok(Some(t)) => {
                        state = State::Emit(groups, repairs);
                        return Some(Ok(t));
                    }
                    Err(e) => return Some(Err(locate(e, &file))),
                }
            }
        }
    });
    Threads::new(Format::Disqus, iter)
}

fn locate(e: Error, file: &Option<PathBuf>) -> Error {
    match file {
        Some(f) => e.in_file(f),
        None => e,
    }
}

enum State {
    Parse(Box<DisqusReader>),
    Emit(Groups<Rec>, Vec<String>),
    Done,
}

/// What is grouped: thread definitions and posts, each with its place in the file.
#[derive(Debug, Serialize, Deserialize)]
enum Rec {
    Def(Def),
    Post(Box<Post>),
}

/// A `<thread>` definition.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Def {
    seq: u64,
    id: String,
    title: Option<String>,
    link: Option<String>,
    forum: Option<String>,
    deleted: bool,
    /// Repairs made while reading the definition.
    notes: Vec<String>,
}

/// A finished `<post>`.
#[derive(Debug, Serialize, Deserialize)]
struct Post {
    seq: u64,
    line: u64,
    at: u64,
    thread: String,
    forum: Option<String>,
    comment: Comment,
    notes: Vec<String>,
}

impl Record for Rec {
    fn group(&self) -> &str {
        match self {
            Rec::Def(d) => &d.id,
            Rec::Post(p) => &p.thread,
        }
    }
    fn heap_bytes(&self) -> usize {
        let s = |o: &Option<String>| o.as_ref().map_or(0, String::len);
        let notes = |n: &[String]| n.iter().map(|x| x.len() + 24).sum::<usize>();
        match self {
            Rec::Def(d) => {
                128 + d.id.len() + s(&d.title) + s(&d.link) + s(&d.forum) + notes(&d.notes)
            }
            Rec::Post(p) => {
                let c = &p.comment;
                512 + p.thread.len()
                    + s(&p.forum)
                    + notes(&p.notes)
                    + c.id.len()
                    + c.text.len()
                    + c.raw.len()
                    + s(&c.author)
                    + s(&c.declared_parent)
                    + c.quotes.len() * 16
                    + c.heap_bytes_extra()
            }
        }
    }
}

/// Defined threads by their first definition, then undefined ones by their first post.
fn group_key(records: &[Rec]) -> GroupKey {
    match records.iter().find_map(|r| match r {
        Rec::Def(d) => Some(d.seq),
        Rec::Post(_) => None,
    }) {
        Some(seq) => (0, seq),
        None => match records.first() {
            Some(Rec::Post(p)) => (1, p.seq),
            _ => (1, u64::MAX),
        },
    }
}

/// Builds one thread from its records (file order); `None` for a thread without posts.
fn assemble(
    records: Vec<Rec>,
    file_repairs: &[String],
    max_comments: usize,
) -> Result<Option<Thread>> {
    let mut def: Option<Def> = None;
    let mut def_notes: Vec<String> = Vec::new();
    let mut posts: Vec<Post> = Vec::new();
    for r in records {
        match r {
            Rec::Def(mut d) => {
                def_notes.append(&mut d.notes);
                if def.is_none() {
                    def = Some(d);
                }
            }
            Rec::Post(p) => posts.push(*p),
        }
    }
    let id = match (&def, posts.first()) {
        (_, None) => return Ok(None),
        (Some(d), _) => d.id.clone(),
        (None, Some(p)) => p.thread.clone(),
    };
    if posts.len() > max_comments {
        let p = &posts[max_comments];
        return Err(Error::limit("comments in one thread", max_comments as u64)
            .at_line(p.line)
            .at_byte(p.at)
            .for_comment(p.comment.id.clone()));
    }
    let mut b = ThreadBuilder::new(id.clone());
    let site = match &def {
        Some(d) => d.forum.clone(),
        None => posts.iter().find_map(|p| p.forum.clone()),
    };
    b.site(site);
    if let Some(d) = &def {
        b.title(d.title.clone()).url(d.link.clone());
    }
    for n in def_notes {
        b.note(n);
    }
    for p in posts {
        for n in p.notes {
            b.note(format!("post {:?}, {n}", p.comment.id));
        }
        b.push(p.comment);
    }
    for r in file_repairs {
        b.note(r.clone());
    }
    match &def {
        None => {
            b.note(format!(
                "thread {id:?} is not defined in the file; its posts are kept under that id"
            ));
        }
        Some(d) if d.deleted => {
            b.note("the thread is marked isDeleted in the export".to_string());
        }
        Some(_) => {}
    }
    Ok(Some(b.finish()))
}

/// What is being read in a `<thread>` definition or a `<post>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Forum,
    ThreadDeleted,
    Message,
    CreatedAt,
    IsDeleted,
    IsSpam,
    AuthorName,
    PostForum,
}

/// A `<post>` being read.
struct OpenPost {
    line: u64,
    at: u64,
    comment: Comment,
    thread: Option<String>,
    forum: Option<String>,
    deleted: bool,
    spam: bool,
    notes: Vec<String>,
}

struct DisqusReader {
    xml: XmlEvents,
    lenient: bool,
    max_comment_bytes: usize,
    /// Definitions and posts seen so far (their order in the file).
    seq: u64,
    posts_seen: u64,
    grouper: Grouper<Rec>,
    /// Repairs made outside any thread definition or post: noted on every thread.
    file_repairs: Vec<String>,
}

impl DisqusReader {
    fn read_all(mut self) -> Result<(Groups<Rec>, Vec<String>)> {
        let mut def: Option<Def> = None;
        let mut post: Option<OpenPost> = None;
        let mut field: Option<(Field, usize, FieldText, u64)> = None;
        loop {
            let ev = self.xml.next().map_err(|e| {
                let p = post.as_ref();
                let t = p
                    .and_then(|p| p.thread.clone())
                    .or_else(|| def.as_ref().map(|d| d.id.clone()));
                super::xml::with_context(e, t, p.map(|p| p.comment.id.clone()))
            })?;
            let eof = matches!(ev, Ev::Eof);
            self.handle(ev, &mut def, &mut post, &mut field)?;
            // Repairs made by the XML layer go to the post or thread being read.
            for r in self.xml.repairs.drain(..) {
                match (post.as_mut(), def.as_mut()) {
                    (Some(p), _) => p.notes.push(r),
                    (None, Some(d)) => d.notes.push(r),
                    (None, None) => self.file_repairs.push(format!("file {r}")),
                }
            }
            if eof {
                break;
            }
        }
        Ok((self.grouper.finish()?, self.file_repairs))
    }

    fn handle(
        &mut self,
        ev: Ev,
        def: &mut Option<Def>,
        post: &mut Option<OpenPost>,
        field: &mut Option<(Field, usize, FieldText, u64)>,
    ) -> Result<()> {
        match ev {
            Ev::Eof => {}
            Ev::Start {
                local,
                key,
                at,
                line,
                ..
            } => {
                let d = self.xml.depth();
                if d == 1 {
                    if local != "disqus" {
                        return Err(self.xml.error_at(
                            format!("not a Disqus export: the root element is <{local}>"),
                            at,
                        ));
                    }
                    return Ok(());
                }
                if d == 2 {
                    match local.as_str() {
                        "thread" => {
                            let id = match key {
                                Some(k) => k,
                                None => {
                                    let id = format!("line:{line}");
                                    let msg =
                                        format!("<thread> without dsq:id; id {id:?} synthesised");
                                    self.xml.repair(msg, at)?;
                                    id
                                }
                            };
                            self.seq += 1;
                            *def = Some(Def {
                                seq: self.seq,
                                id,
                                ..Def::default()
                            });
                        }
                        "post" => *post = Some(self.open_post(key, at, line)?),
                        _ => {}
                    }
                    return Ok(());
                }
                let f = if let Some(p) = post.as_mut() {
                    match (d, local.as_str()) {
                        (3, "message") => Some(Field::Message),
                        (3, "createdAt") => Some(Field::CreatedAt),
                        (3, "isDeleted") => Some(Field::IsDeleted),
                        (3, "isSpam") => Some(Field::IsSpam),
                        (3, "forum") => Some(Field::PostForum),
                        // <name> counts only inside the post's <author>.
                        (4, "name") => Some(Field::AuthorName),
                        (3, "thread") => {
                            if key.is_none() {
                                let msg = "<thread> reference without dsq:id".to_string();
                                self.post_repair(p, msg, line, Some(at))?;
                            }
                            p.thread = key;
                            None
                        }
                        (3, "parent") => {
                            if key.is_none() {
                                let msg = "<parent> reference without dsq:id; post read as top \
                                           level"
                                    .to_string();
                                self.post_repair(p, msg, line, Some(at))?;
                            }
                            p.comment.declared_parent = key;
                            None
                        }
                        _ => None,
                    }
                } else if def.is_some() {
                    match (d, local.as_str()) {
                        (3, "title") => Some(Field::Title),
                        (3, "link") => Some(Field::Link),
                        (3, "forum") => Some(Field::Forum),
                        (3, "isDeleted") => Some(Field::ThreadDeleted),
                        _ => None,
                    }
                } else {
                    None
                };
                if let Some(f) = f {
                    *field = Some((f, d, FieldText::default(), line));
                }
            }
            Ev::Text { text, cdata, at } => {
                if let Some((f, fd, buf, _)) = field {
                    if *fd == self.xml.depth() {
                        buf.push(&text, cdata);
                        if *f == Field::Message && buf.len() > self.max_comment_bytes {
                            let id = post
                                .as_ref()
                                .map(|p| p.comment.id.clone())
                                .unwrap_or_default();
                            return Err(self.xml.body_limit_at(self.max_comment_bytes, id, at));
                        }
                    }
                }
            }
            Ev::End => {
                let d = self.xml.depth();
                if let Some((f, fd, buf, fline)) = field.take() {
                    if fd == d {
                        self.set_field(f, buf, fline, def.as_mut(), post.as_mut())?;
                    } else {
                        *field = Some((f, fd, buf, fline));
                    }
                }
                if d == 2 {
                    if let Some(t) = def.take() {
                        self.grouper.push(Rec::Def(t))?;
                    }
                    if let Some(p) = post.take() {
                        let p = self.close_post(p)?;
                        self.grouper.push(Rec::Post(Box::new(p)))?;
                    }
                }
            }
        }
        Ok(())
    }

    fn open_post(&mut self, key: Option<String>, at: u64, line: u64) -> Result<OpenPost> {
        self.posts_seen += 1;
        let mut c = Comment::new(String::new(), String::new());
        c.markup = Markup::Html;
        c.offset = Some(at);
        let has_key = key.is_some();
        c.id = key.unwrap_or_else(|| format!("line:{line}"));
        let mut p = OpenPost {
            line,
            at,
            comment: c,
            thread: None,
            forum: None,
            deleted: false,
            spam: false,
            notes: Vec::new(),
        };
        if !has_key {
            let msg = format!(
                "<post> {} has no dsq:id; id {:?} synthesised",
                self.posts_seen, p.comment.id
            );
            self.post_repair(&mut p, msg, line, Some(at))?;
        }
        Ok(p)
    }

    fn close_post(&mut self, mut p: OpenPost) -> Result<Post> {
        let thread = match p.thread.take() {
            Some(t) => t,
            None => {
                let msg = "post names no thread; put in thread \"(none)\"".to_string();
                let (line, at) = (p.line, p.at);
                self.post_repair(&mut p, msg, line, Some(at))?;
                "(none)".to_string()
            }
        };
        p.comment.status = if p.spam {
            Status::Spam
        } else if p.deleted {
            Status::Deleted
        } else {
            Status::Approved
        };
        self.seq += 1;
        Ok(Post {
            seq: self.seq,
            line: p.line,
            at: p.at,
            thread,
            forum: p.forum,
            comment: p.comment,
            notes: p.notes,
        })
    }

    /// A repair inside a post, at `line` (and `byte` when known): noted on the post
    /// (lenient) or an error (strict).
    fn post_repair(
        &self,
        p: &mut OpenPost,
        msg: String,
        line: u64,
        byte: Option<u64>,
    ) -> Result<()> {
        if !self.lenient {
            let mut e = Error::syntax(FORMAT, msg).at_line(line);
            if let Some(b) = byte {
                e = e.at_byte(b);
            }
            return Err(e.for_comment(p.comment.id.clone()));
        }
        p.notes.push(format!("line {line}: {msg}"));
        Ok(())
    }

    fn flag(&self, value: &str, what: &str, line: u64, p: &mut OpenPost) -> Result<bool> {
        match value.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" | "" => Ok(false),
            other => {
                let msg = format!("{what} is {other:?}, not true/false; read as false");
                self.post_repair(p, msg, line, None)?;
                Ok(false)
            }
        }
    }

    fn set_field(
        &mut self,
        f: Field,
        buf: FieldText,
        line: u64,
        def: Option<&mut Def>,
        post: Option<&mut OpenPost>,
    ) -> Result<()> {
        let value = buf.finish();
        let trimmed = || {
            let t = value.trim();
            (!t.is_empty()).then(|| t.to_string())
        };
        if let Some(t) = def {
            match f {
                Field::Title => t.title = trimmed(),
                Field::Link => t.link = trimmed(),
                Field::Forum => t.forum = trimmed(),
                Field::ThreadDeleted => t.deleted = value.trim() == "true",
                _ => {}
            }
            return Ok(());
        }
        let Some(p) = post else { return Ok(()) };
        match f {
            Field::Message => {
                let body = html_to_text(&value, Newlines::Collapse);
                body.apply(&mut p.comment, value);
            }
            Field::AuthorName => p.comment.author = trimmed(),
            Field::PostForum => p.forum = trimmed(),
            Field::CreatedAt => {
                let v = trimmed();
                p.comment.time = v.as_deref().and_then(parse_time);
                if let (Some(v), None) = (&v, p.comment.time) {
                    let msg = format!("createdAt {v:?} is not a date; time left empty");
                    self.post_repair(p, msg, line, None)?;
                }
            }
            Field::IsDeleted => p.deleted = self.flag(&value, "isDeleted", line, p)?,
            Field::IsSpam => p.spam = self.flag(&value, "isSpam", line, p)?,
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_disqus_after_junk() {
        assert!(sniff(
            b"`<?xml version=\"1.0\"?>\n<disqus xmlns=\"http://disqus.com\">"
        ));
        assert!(sniff(b"\x00\xff junk <!-- c --><disqus>"));
        assert!(sniff(b"<disqus"));
        assert!(!sniff(b"<rss><channel><disqus>"));
        assert!(!sniff(b"<disqusx>"));
        assert!(!sniff(b"[{\"body\": \"<p>x</p> <disqus \"}]"));
    }
}
