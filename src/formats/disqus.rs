//! Reader for Disqus XML exports.
//!
//! `<disqus>` holds `<category>`s, then `<thread dsq:id>`s, then flat `<post dsq:id>`s that
//! point at their thread and parent with `<thread dsq:id>` / `<parent dsq:id>`. The key is the
//! attribute in the `http://disqus.com/disqus-internals` namespace, resolved properly.
//!
//! Posts are grouped by thread, so the threads are yielded when the input ends; only the
//! decoded fields of each post are held until then. Deleted posts are kept (status
//! [`Status::Deleted`]) so that their replies keep their depth.
//!
//! With [`ReadOptions::lenient`](super::ReadOptions::lenient) (the default) the malformed files
//! met in the wild are repaired: junk before the prolog, unquoted attribute values, a post
//! without `dsq:id`, bad dates and booleans. Every repair is written to the notes of the
//! threads it touches, with its line. Without it, the same files fail with a positioned error.

use super::html::{html_to_text, Newlines};
use super::wxr::xml::{Ev, FieldText, XmlEvents};
use super::{parse_time, Format, Input, Threads};
use crate::error::{Error, Result};
use crate::thread::{Comment, Markup, Status, Thread, ThreadBuilder};
use std::collections::HashMap;

const FORMAT: &str = "disqus";
const INTERNALS: &[u8] = b"http://disqus.com/disqus-internals";

/// Does the start of the input look like this format? (`<disqus` as the first element, even
/// after junk bytes; the head may be cut anywhere.)
pub(crate) fn sniff(head: &[u8]) -> bool {
    super::wxr::xml::find_root_tag(head, b"<disqus").is_some()
}

/// Reads the input into threads (yielded when the whole input has been read).
pub(crate) fn read(input: Input) -> Threads {
    let Input {
        reader,
        file,
        options,
    } = input;
    let lenient = options.lenient;
    let mut r = DisqusReader {
        xml: XmlEvents::new(reader, FORMAT, lenient, Some((INTERNALS, b"id"))),
        lenient,
        max_comment_bytes: options.max_comment_bytes,
        max_comments: options.max_comments_per_thread,
        defs: Vec::new(),
        def_index: HashMap::new(),
        builders: Vec::new(),
        builder_index: HashMap::new(),
        file_repairs: Vec::new(),
    };
    let result = r.read_all().map_err(|e| match &file {
        Some(f) => e.in_file(f),
        None => e,
    });
    Threads::from_result(Format::Disqus, result)
}

/// A `<thread>` definition.
struct ThreadDef {
    id: String,
    title: Option<String>,
    link: Option<String>,
    deleted: bool,
    /// Repairs made while reading the definition.
    notes: Vec<String>,
}

/// What is being read in a `<thread>` definition or a `<post>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    ThreadDeleted,
    Message,
    CreatedAt,
    IsDeleted,
    IsSpam,
    AuthorName,
}

struct Post {
    line: u64,
    at: u64,
    comment: Comment,
    thread: Option<String>,
    deleted: bool,
    spam: bool,
    notes: Vec<String>,
}

struct DisqusReader {
    xml: XmlEvents,
    lenient: bool,
    max_comment_bytes: usize,
    max_comments: usize,
    defs: Vec<ThreadDef>,
    def_index: HashMap<String, usize>,
    builders: Vec<ThreadBuilder>,
    builder_index: HashMap<String, usize>,
    /// Repairs made outside any thread definition or post: noted on every thread.
    file_repairs: Vec<String>,
}

impl DisqusReader {
    fn read_all(&mut self) -> Result<Vec<Thread>> {
        let mut def: Option<ThreadDef> = None;
        let mut post: Option<Post> = None;
        let mut field: Option<(Field, usize, FieldText, u64)> = None;
        let mut posts_seen: u64 = 0;
        loop {
            let ev = self.xml.next().map_err(|e| {
                let p = post.as_ref();
                let t = p
                    .and_then(|p| p.thread.clone())
                    .or_else(|| def.as_ref().map(|d| d.id.clone()));
                super::wxr::xml::with_context(e, t, p.map(|p| p.comment.id.clone()))
            })?;
            let eof = matches!(ev, Ev::Eof);
            self.handle(ev, &mut def, &mut post, &mut field, &mut posts_seen)?;
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
        Ok(self.finish())
    }

    fn handle(
        &mut self,
        ev: Ev,
        def: &mut Option<ThreadDef>,
        post: &mut Option<Post>,
        field: &mut Option<(Field, usize, FieldText, u64)>,
        posts_seen: &mut u64,
    ) -> Result<()> {
        {
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
                                        self.xml.repair(
                                            format!(
                                                "<thread> without dsq:id; id {id:?} synthesised"
                                            ),
                                            at,
                                        )?;
                                        id
                                    }
                                };
                                *def = Some(ThreadDef {
                                    id,
                                    title: None,
                                    link: None,
                                    deleted: false,
                                    notes: Vec::new(),
                                });
                            }
                            "post" => {
                                *posts_seen += 1;
                                let mut c = Comment::new(String::new(), String::new());
                                c.markup = Markup::Html;
                                c.offset = Some(at);
                                let has_key = key.is_some();
                                c.id = match key {
                                    Some(k) => k,
                                    None => format!("line:{line}"),
                                };
                                let mut p = Post {
                                    line,
                                    at,
                                    comment: c,
                                    thread: None,
                                    deleted: false,
                                    spam: false,
                                    notes: Vec::new(),
                                };
                                if !has_key {
                                    let msg = format!(
                                        "<post> {posts_seen} has no dsq:id; id {:?} synthesised",
                                        p.comment.id
                                    );
                                    self.post_repair(&mut p, msg, line, Some(at))?;
                                }
                                *post = Some(p);
                            }
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
                                    let msg = "<parent> reference without dsq:id; post read \
                                               as top level"
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
                            (3, "isDeleted") => Some(Field::ThreadDeleted),
                            _ => None,
                        }
                    } else {
                        None
                    };
                    // <name> counts only inside the post's <author>.
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
                                return Err(Error::limit(
                                    "comment body in bytes",
                                    self.max_comment_bytes as u64,
                                )
                                .for_comment(id)
                                .at_line(self.xml.line_at(at))
                                .at_byte(at));
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
                            self.add_def(t);
                        }
                        if let Some(p) = post.take() {
                            self.add_post(p)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// A repair inside a post, at `line` (and `byte` when known): noted on the post
    /// (lenient) or an error (strict).
    fn post_repair(&self, p: &mut Post, msg: String, line: u64, byte: Option<u64>) -> Result<()> {
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

    fn flag(&self, value: &str, what: &str, line: u64, p: &mut Post) -> Result<bool> {
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
        def: Option<&mut ThreadDef>,
        post: Option<&mut Post>,
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
                Field::ThreadDeleted => t.deleted = value.trim() == "true",
                _ => {}
            }
            return Ok(());
        }
        let Some(p) = post else { return Ok(()) };
        match f {
            Field::Message => {
                let body = html_to_text(&value, Newlines::Collapse);
                p.comment.text = body.text;
                p.comment.quotes = body.quotes;
                p.comment.raw = value;
            }
            Field::AuthorName => p.comment.author = trimmed(),
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

    fn add_def(&mut self, mut t: ThreadDef) {
        if let Some(&i) = self.builder_index.get(&t.id) {
            // Defined after some of its posts: fill in what the builder lacks.
            let b = &mut self.builders[i];
            b.title(t.title.clone()).url(t.link.clone());
            for n in t.notes.drain(..) {
                b.note(n);
            }
        }
        if !self.def_index.contains_key(&t.id) {
            self.def_index.insert(t.id.clone(), self.defs.len());
            self.defs.push(t);
        }
    }

    fn add_post(&mut self, mut p: Post) -> Result<()> {
        let thread = match p.thread.take() {
            Some(t) => t,
            None => {
                let msg = "post names no thread; put in thread \"(none)\"".to_string();
                let (line, at) = (p.line, p.at);
                self.post_repair(&mut p, msg, line, Some(at))?;
                "(none)".to_string()
            }
        };
        let i = match self.builder_index.get(&thread) {
            Some(&i) => i,
            None => {
                let mut b = ThreadBuilder::new(thread.clone());
                if let Some(&d) = self.def_index.get(&thread) {
                    let def = &mut self.defs[d];
                    b.title(def.title.clone()).url(def.link.clone());
                    for n in def.notes.drain(..) {
                        b.note(n);
                    }
                }
                self.builders.push(b);
                self.builder_index.insert(thread, self.builders.len() - 1);
                self.builders.len() - 1
            }
        };
        let b = &mut self.builders[i];
        if b.len() >= self.max_comments {
            return Err(
                Error::limit("comments in one thread", self.max_comments as u64)
                    .at_line(p.line)
                    .at_byte(p.at)
                    .for_comment(p.comment.id),
            );
        }
        for n in p.notes {
            b.note(format!("post {:?}, {n}", p.comment.id));
        }
        p.comment.status = if p.spam {
            Status::Spam
        } else if p.deleted {
            Status::Deleted
        } else {
            Status::Approved
        };
        b.push(p.comment);
        Ok(())
    }

    /// Threads in the order they are defined, then threads only referenced by posts.
    fn finish(&mut self) -> Vec<Thread> {
        let mut builders: Vec<Option<ThreadBuilder>> = std::mem::take(&mut self.builders)
            .into_iter()
            .map(Some)
            .collect();
        let index = std::mem::take(&mut self.builder_index);
        let repairs = std::mem::take(&mut self.file_repairs);
        let mut order: Vec<usize> = Vec::with_capacity(builders.len());
        for d in &self.defs {
            if let Some(&i) = index.get(&d.id) {
                order.push(i);
            }
        }
        let defined = order.len();
        let mut listed = vec![false; builders.len()];
        for &i in &order {
            listed[i] = true;
        }
        order.extend((0..builders.len()).filter(|&i| !listed[i]));
        let mut out = Vec::with_capacity(order.len());
        for (n, i) in order.into_iter().enumerate() {
            let Some(mut b) = builders.get_mut(i).and_then(Option::take) else {
                continue;
            };
            for r in &repairs {
                b.note(r.clone());
            }
            if n >= defined {
                let id = b.id().to_string();
                b.note(format!(
                    "thread {id:?} is not defined in the file; its posts are kept under that id"
                ));
            } else if let Some(d) = self.def_index.get(b.id()).map(|&d| &self.defs[d]) {
                if d.deleted {
                    b.note("the thread is marked isDeleted in the export".to_string());
                }
            }
            out.push(b.finish());
        }
        out
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
