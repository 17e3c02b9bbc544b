//! XML plumbing shared by the WXR and Disqus readers: a namespace-aware event stream with
//! line positions, the entity policy, lenient repairs and CDATA-aware field text.

use crate::error::{Error, ErrorKind, Result};
use quick_xml::events::attributes::Attributes;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::io::{BufRead, Read};

/// The namespace of an element, as far as our readers care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NsKind {
    /// No namespace (RSS elements in WXR).
    Unbound,
    /// `http(s)://wordpress.org/export/1.x/`.
    WordPress,
    /// Any other namespace, or an undeclared prefix.
    Other,
}

/// Is this the WordPress export namespace (any 1.x version, http or https)?
pub(crate) fn is_wp_namespace(ns: &[u8]) -> bool {
    let rest = ns
        .strip_prefix(b"https://")
        .or_else(|| ns.strip_prefix(b"http://"));
    let Some(rest) = rest else { return false };
    let Some(rest) = rest.strip_prefix(b"wordpress.org/export/1.") else {
        return false;
    };
    let rest = rest.strip_suffix(b"/").unwrap_or(rest);
    !rest.is_empty() && rest.iter().all(u8::is_ascii_digit)
}

/// Finds `tag` (e.g. `<rss`) as the first element of `head`: only declarations,
/// comments and processing instructions may come before it, and at most 16 stray bytes
/// before the first `<`. Returns its offset.
pub(crate) fn find_root_tag(head: &[u8], tag: &[u8]) -> Option<usize> {
    let at = memchr::memmem::find(head, tag)?;
    match head.get(at + tag.len()) {
        None => {}
        Some(b) if b.is_ascii_whitespace() || *b == b'>' || *b == b'/' => {}
        Some(_) => return None,
    }
    let before = &head[..at];
    // A few stray bytes before the first markup (a backtick, binary junk) are tolerated,
    // text that looks like JSON or prose is not.
    let first = memchr::memchr(b'<', before).unwrap_or(at);
    let junk = before[..first]
        .iter()
        .filter(|b| !b.is_ascii_whitespace())
        .collect::<Vec<_>>();
    if junk.len() > 16 || junk.iter().any(|&&b| matches!(b, b'{' | b'[' | b'"')) {
        return None;
    }
    let only_decls = memchr::memchr_iter(b'<', before)
        .all(|i| matches!(before.get(i + 1), Some(b'?') | Some(b'!')));
    only_decls.then_some(at)
}

/// Adds the thread and comment being read to an error, unless it names them already.
pub(crate) fn with_context(mut e: Error, thread: Option<String>, comment: Option<String>) -> Error {
    let pos = e.position_mut();
    if pos.thread_id.is_none() {
        pos.thread_id = thread;
    }
    if pos.comment_id.is_none() {
        pos.comment_id = comment;
    }
    e
}

/// XML end-of-line handling: `\r\n` and a lone `\r` become `\n` (XML 1.0 §2.11).
fn normalize_newlines(s: String) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s
    }
}

/// Counts the lines of the bytes the parser consumes, so that positions can be given as
/// lines without holding the input. Only the newlines of the current event are kept.
pub(crate) struct LineCounter<R> {
    inner: R,
    consumed: u64,
    base_lines: u64,
    newlines: Vec<u64>,
}

impl<R: BufRead> LineCounter<R> {
    fn new(inner: R) -> Self {
        LineCounter {
            inner,
            consumed: 0,
            base_lines: 0,
            newlines: Vec::new(),
        }
    }
    /// Forgets the positions of newlines before `pos` (keeping their count).
    fn rebase(&mut self, pos: u64) {
        let n = self.newlines.partition_point(|&x| x < pos);
        self.base_lines += n as u64;
        self.newlines.drain(..n);
    }
    /// 1-based line of byte `pos` (exact for positions in or after the current event).
    fn line_at(&self, pos: u64) -> u64 {
        1 + self.base_lines + self.newlines.partition_point(|&x| x < pos) as u64
    }
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        if amt > 0 {
            if let Ok(buf) = self.inner.fill_buf() {
                let upto = amt.min(buf.len());
                let base = self.consumed;
                self.newlines
                    .extend(memchr::memchr_iter(b'\n', &buf[..upto]).map(|i| base + i as u64));
            }
        }
        self.consumed += amt as u64;
        self.inner.consume(amt);
    }
}

/// One parsing event, decoded.
pub(crate) enum Ev {
    /// An element starts (empty elements give a `Start` and an `End`).
    Start {
        ns: NsKind,
        local: String,
        /// The value of the key attribute asked for in [`XmlEvents::new`].
        key: Option<String>,
        /// Byte offset of the `<`.
        at: u64,
        /// Line of the `<`.
        line: u64,
    },
    /// The element opened last ends; [`XmlEvents::depth`] still counts it.
    End,
    /// Character data inside an element: entities decoded, or a CDATA section.
    Text { text: String, cdata: bool, at: u64 },
    /// End of input, all elements closed.
    Eof,
}

/// A namespace-aware event stream with positions, the entity policy and repairs.
pub(crate) struct XmlEvents {
    reader: NsReader<LineCounter<Box<dyn BufRead + Send>>>,
    buf: Vec<u8>,
    format: &'static str,
    lenient: bool,
    key: Option<(&'static [u8], &'static [u8])>,
    depth: usize,
    pending_pop: bool,
    root_seen: bool,
    /// Repairs made in lenient mode, each naming its line.
    pub repairs: Vec<String>,
}

impl XmlEvents {
    /// `key`: (namespace URI, local name) of an attribute to report on `Start`.
    /// `lenient`: repair unquoted attributes, junk outside the root element and unknown
    /// entities (left literal) instead of failing; each repair goes to `repairs`.
    pub(crate) fn new(
        reader: Box<dyn BufRead + Send>,
        format: &'static str,
        lenient: bool,
        key: Option<(&'static [u8], &'static [u8])>,
    ) -> XmlEvents {
        let mut reader = NsReader::from_reader(LineCounter::new(reader));
        let cfg = reader.config_mut();
        cfg.expand_empty_elements = true;
        cfg.check_end_names = true;
        cfg.trim_text_start = false;
        cfg.trim_text_end = false;
        XmlEvents {
            reader,
            buf: Vec::with_capacity(8 * 1024),
            format,
            lenient,
            key,
            depth: 0,
            pending_pop: false,
            root_seen: false,
            repairs: Vec::new(),
        }
    }

    /// Elements open now (the root element is depth 1).
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// 1-based line of a byte offset in or after the current event.
    pub(crate) fn line_at(&self, pos: u64) -> u64 {
        self.reader.get_ref().line_at(pos)
    }

    /// The comment-body size limit exceeded by comment `id`, at a byte offset (line added).
    pub(crate) fn body_limit_at(&self, limit: usize, id: String, pos: u64) -> Error {
        Error::limit("comment body in bytes", limit as u64)
            .for_comment(id)
            .at_line(self.line_at(pos))
            .at_byte(pos)
    }

    /// A syntax error at a byte offset (line added).
    pub(crate) fn error_at(&self, msg: impl Into<String>, pos: u64) -> Error {
        Error::syntax(self.format, msg)
            .at_line(self.line_at(pos))
            .at_byte(pos)
    }

    fn utf8_error(&self, pos: u64) -> Error {
        Error::new(ErrorKind::InvalidUtf8)
            .at_line(self.line_at(pos))
            .at_byte(pos)
    }

    fn decode(&self, bytes: &[u8], start: u64) -> Result<String> {
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => Err(self.utf8_error(start + e.valid_up_to() as u64)),
        }
    }

    fn convert(&self, e: quick_xml::Error) -> Error {
        let pos = self.reader.error_position();
        match e {
            quick_xml::Error::Io(io) => Error::from(std::io::Error::new(io.kind(), io.to_string())),
            quick_xml::Error::Encoding(_) => self.utf8_error(pos),
            other => self.error_at(other.to_string(), pos),
        }
    }

    /// Records a repair (lenient) or fails with a positioned error (strict).
    pub(crate) fn repair(&mut self, msg: String, pos: u64) -> Result<()> {
        if self.lenient {
            let line = self.line_at(pos);
            self.repairs.push(format!("line {line}: {msg}"));
            Ok(())
        } else {
            Err(self.error_at(msg, pos))
        }
    }

    /// The next event that matters (comments, processing instructions and the DTD are
    /// skipped; the DTD's entities are never expanded).
    pub(crate) fn next(&mut self) -> Result<Ev> {
        if self.pending_pop {
            self.depth = self.depth.saturating_sub(1);
            self.pending_pop = false;
        }
        let mut buf = std::mem::take(&mut self.buf);
        let r = self.next_into(&mut buf);
        self.buf = buf;
        r
    }

    fn next_into(&mut self, buf: &mut Vec<u8>) -> Result<Ev> {
        loop {
            let start = self.reader.buffer_position();
            self.reader.get_mut().rebase(start);
            buf.clear();
            let ev = match self.reader.read_event_into(buf) {
                Ok(ev) => ev,
                Err(e) => return Err(self.convert(e)),
            };
            match ev {
                Event::Start(e) => {
                    if self.depth == 0 && self.root_seen {
                        return Err(self.error_at("a second root element after the first", start));
                    }
                    let name = e.name();
                    let (res, local) = self.reader.resolve_element(name);
                    let ns = match res {
                        ResolveResult::Unbound => NsKind::Unbound,
                        ResolveResult::Bound(n) if is_wp_namespace(n.0) => NsKind::WordPress,
                        _ => NsKind::Other,
                    };
                    let local = self.decode(local.as_ref(), start + 1)?;
                    let key = match self.key {
                        Some(k) => self.key_attr(&e, k, start)?,
                        None => {
                            // Still check the attributes in strict mode.
                            if !self.lenient {
                                if let Some(err) = e.attributes().find_map(|a| a.err()) {
                                    return Err(
                                        self.error_at(format!("bad attribute: {err}"), start)
                                    );
                                }
                            }
                            None
                        }
                    };
                    self.depth += 1;
                    self.root_seen = true;
                    let line = self.line_at(start);
                    return Ok(Ev::Start {
                        ns,
                        local,
                        key,
                        at: start,
                        line,
                    });
                }
                Event::End(_) => {
                    self.pending_pop = true;
                    return Ok(Ev::End);
                }
                Event::Empty(_) => {
                    // expand_empty_elements is on: never produced.
                    continue;
                }
                Event::Text(t) => {
                    let raw: &[u8] = &t;
                    if self.depth == 0 {
                        if raw.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        let n = raw.len();
                        let msg = if self.root_seen {
                            format!("{n} stray bytes after the root element skipped")
                        } else {
                            format!("{n} stray bytes before the root element skipped")
                        };
                        self.repair(msg, start)?;
                        continue;
                    }
                    let s = match std::str::from_utf8(raw) {
                        Ok(s) => s,
                        Err(e) => return Err(self.utf8_error(start + e.valid_up_to() as u64)),
                    };
                    let text = match quick_xml::escape::unescape(s) {
                        Ok(c) => c.into_owned(),
                        Err(e) => {
                            let s = s.to_string();
                            let msg = format!(
                                "{e} (only the five XML entities and character references \
                                 are decoded; custom and external entities are never \
                                 expanded)"
                            );
                            if self.lenient {
                                self.repair(format!("{msg}; text left literal"), start)?;
                                s
                            } else {
                                return Err(self.error_at(msg, start));
                            }
                        }
                    };
                    return Ok(Ev::Text {
                        text: normalize_newlines(text),
                        cdata: false,
                        at: start,
                    });
                }
                Event::CData(c) => {
                    if self.depth == 0 {
                        self.repair("CDATA outside the root element skipped".into(), start)?;
                        continue;
                    }
                    let text = self.decode(&c, start + 9)?;
                    return Ok(Ev::Text {
                        text: normalize_newlines(text),
                        cdata: true,
                        at: start,
                    });
                }
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(self.error_at(
                            format!(
                                "unexpected end of input: {} element(s) still open",
                                self.depth
                            ),
                            start,
                        ));
                    }
                    if !self.root_seen {
                        return Err(self.error_at("no root element", start));
                    }
                    return Ok(Ev::Eof);
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => continue,
            }
        }
    }

    fn key_attr(
        &mut self,
        e: &quick_xml::events::BytesStart<'_>,
        (key_ns, key_local): (&'static [u8], &'static [u8]),
        start: u64,
    ) -> Result<Option<String>> {
        let strict_err = e.attributes().find_map(|a| a.err());
        let attrs: Attributes<'_> = match strict_err {
            None => e.attributes(),
            Some(err) => {
                let msg = format!("malformed attribute ({err})");
                if !self.lenient {
                    return Err(self.error_at(msg, start));
                }
                let line = self.line_at(start);
                self.repairs.push(format!(
                    "line {line}: {msg} read as an HTML-style attribute"
                ));
                e.html_attributes()
            }
        };
        let mut found = None;
        let mut undeclared = false;
        for a in attrs.flatten() {
            let (res, local) = self.reader.resolve_attribute(a.key);
            if local.as_ref() != key_local {
                continue;
            }
            match res {
                ResolveResult::Bound(ns) if ns.0 == key_ns => {}
                // `dsq:id` with no `xmlns:dsq` declaration (fragments cut from exports).
                ResolveResult::Unknown(p) if p == b"dsq" => undeclared = true,
                _ => continue,
            }
            let s = std::str::from_utf8(a.value.as_ref()).map_err(|_| self.utf8_error(start))?;
            let v = quick_xml::escape::unescape(s)
                .map_err(|err| self.error_at(format!("attribute value: {err}"), start))?;
            found = Some(v.trim().to_string());
        }
        if undeclared && found.is_some() {
            self.repair(
                "prefix dsq: used without a namespace declaration".into(),
                start,
            )?;
        }
        Ok(found)
    }
}

/// The text of one field, built from text and CDATA pieces. Whitespace-only text before
/// the first CDATA section and after the last is dropped (exporters indent it); all
/// other whitespace is kept.
#[derive(Default)]
pub(crate) struct FieldText {
    s: String,
    cdata_start: Option<usize>,
    cdata_end: usize,
}

impl FieldText {
    /// Appends a piece.
    pub(crate) fn push(&mut self, piece: &str, cdata: bool) {
        if cdata && self.cdata_start.is_none() {
            self.cdata_start = Some(self.s.len());
        }
        self.s.push_str(piece);
        if cdata {
            self.cdata_end = self.s.len();
        }
    }
    /// Bytes so far.
    pub(crate) fn len(&self) -> usize {
        self.s.len()
    }
    /// The field's value.
    pub(crate) fn finish(mut self) -> String {
        let Some(start) = self.cdata_start else {
            return self.s;
        };
        if self.s[self.cdata_end..].trim().is_empty() {
            self.s.truncate(self.cdata_end);
        }
        if self.s[..start].trim().is_empty() {
            self.s.drain(..start);
        }
        self.s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wp_namespaces() {
        for ok in [
            "http://wordpress.org/export/1.0/",
            "http://wordpress.org/export/1.1/",
            "https://wordpress.org/export/1.2/",
            "https://wordpress.org/export/1.10",
        ] {
            assert!(is_wp_namespace(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "wp",
            "http://wordpress.org/export/1.2/excerpt/",
            "http://wordpress.org/export/2.0/",
            "http://wordpress.org/export/1./",
            "ftp://wordpress.org/export/1.2/",
        ] {
            assert!(!is_wp_namespace(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn field_text_trims_only_outside_cdata() {
        let mut f = FieldText::default();
        f.push("\n   ", false);
        f.push(" inside ", true);
        f.push("\n  ", false);
        assert_eq!(f.finish(), " inside ");
        let mut f = FieldText::default();
        f.push("  no cdata  ", false);
        assert_eq!(f.finish(), "  no cdata  ");
        let mut f = FieldText::default();
        f.push("a]]", true);
        f.push(">b", true);
        assert_eq!(f.finish(), "a]]>b");
    }
}
