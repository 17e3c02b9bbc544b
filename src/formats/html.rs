//! HTML comment bodies to clean text, with quoted passages marked.
//!
//! Uses `scraper` (html5ever) to parse, so entities are decoded exactly once and broken markup
//! is handled the way browsers handle it. The tree is walked with `traverse()` (no recursion).

use super::html_align::{align_html, align_plain};
use crate::thread::{Alignment, Comment};
use scraper::node::Node;
use scraper::Html;
use std::ops::Range;

/// Clean text, the byte ranges in it that are quoted, and the map back to the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Body {
    pub text: String,
    pub quotes: Vec<Range<usize>>,
    pub align: Alignment,
}

impl Body {
    /// Stores the body in a comment, with `raw`: the string it was made from.
    pub(crate) fn apply(self, c: &mut Comment, raw: String) {
        c.quotes = self.quotes;
        c.set_body(self.text, raw, self.align);
    }
}

/// How to treat line breaks in text nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Newlines {
    /// Proper HTML: a newline is just whitespace (Disqus, HN, Activity Streams).
    Collapse,
    /// WordPress raw content: a newline is a line break, a blank line a paragraph (wpautop).
    Keep,
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "address",
];

struct Out {
    text: String,
    pending_breaks: u8,
    pending_space: bool,
    quote_depth: u32,
    quote_start: Option<usize>,
    quote_open_unstarted: bool,
    quotes: Vec<Range<usize>>,
}

impl Out {
    fn brk(&mut self, n: u8) {
        if !self.text.is_empty() {
            self.pending_breaks = self.pending_breaks.max(n);
        }
        self.pending_space = false;
    }
    fn push_text(&mut self, s: &str, pre: bool, newlines: Newlines) {
        for ch in s.chars() {
            if pre {
                if ch == '\n' {
                    self.brk(1);
                    // In <pre> every newline counts: flush it now.
                    self.flush_breaks();
                    continue;
                }
                self.emit(ch);
                continue;
            }
            if ch == '\n' && newlines == Newlines::Keep {
                // wpautop: one newline = line break, two = paragraph.
                if self.pending_breaks >= 1 || self.text.ends_with('\n') {
                    self.brk(2);
                } else {
                    self.brk(1);
                }
                continue;
            }
            if ch.is_whitespace() && ch != '\u{a0}' {
                if !self.text.is_empty() && self.pending_breaks == 0 && !self.text.ends_with('\n') {
                    self.pending_space = true;
                }
                continue;
            }
            self.emit(ch);
        }
    }
    fn flush_breaks(&mut self) {
        if self.pending_breaks > 0 && !self.text.is_empty() {
            let have = self.text.chars().rev().take_while(|&c| c == '\n').count() as u8;
            for _ in have..self.pending_breaks {
                self.text.push('\n');
            }
        }
        self.pending_breaks = 0;
    }
    fn emit(&mut self, ch: char) {
        if self.pending_breaks > 0 {
            self.flush_breaks();
            self.pending_space = false;
        } else if self.pending_space {
            self.text.push(' ');
            self.pending_space = false;
        }
        if self.quote_open_unstarted {
            self.quote_start = Some(self.text.len());
            self.quote_open_unstarted = false;
        }
        self.text.push(ch);
    }
}

/// Converts an HTML fragment to text. Paragraphs become blank-line separated, `<br>` a line
/// break, `<blockquote>` contents are recorded as quotes, `<script>`/`<style>` are dropped.
/// Lines of the result that start with `>` (as HN and plain-text e-mail style quote) are
/// marked as quotes too.
pub(crate) fn html_to_text(html: &str, newlines: Newlines) -> Body {
    if !html.contains('<') && !html.contains('&') {
        return text_body(html, newlines);
    }
    let doc = Html::parse_fragment(html);
    let mut out = Out {
        text: String::with_capacity(html.len()),
        pending_breaks: 0,
        pending_space: false,
        quote_depth: 0,
        quote_start: None,
        quote_open_unstarted: false,
        quotes: Vec::new(),
    };
    let mut skip_depth = 0u32;
    let mut pre_depth = 0u32;
    for edge in doc.tree.root().traverse() {
        use ego_tree::iter::Edge;
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    if name == "script" || name == "style" || name == "template" {
                        skip_depth += 1;
                    } else if name == "br" {
                        out.brk(1);
                        out.flush_breaks();
                    } else if BLOCKS.contains(&name) {
                        out.brk(
                            if name == "li" || name == "tr" || name == "dt" || name == "dd" {
                                1
                            } else {
                                2
                            },
                        );
                        if name == "pre" {
                            pre_depth += 1;
                        }
                        if name == "blockquote" {
                            if out.quote_depth == 0 {
                                out.quote_open_unstarted = true;
                                out.quote_start = None;
                            }
                            out.quote_depth += 1;
                        }
                    }
                }
                Node::Text(t) if skip_depth == 0 => out.push_text(t, pre_depth > 0, newlines),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    let name = el.name();
                    if name == "script" || name == "style" || name == "template" {
                        skip_depth = skip_depth.saturating_sub(1);
                    } else if BLOCKS.contains(&name) {
                        if name == "pre" {
                            pre_depth = pre_depth.saturating_sub(1);
                        }
                        if name == "blockquote" && out.quote_depth > 0 {
                            out.quote_depth -= 1;
                            if out.quote_depth == 0 {
                                if let Some(s) = out.quote_start.take() {
                                    if out.text.len() > s {
                                        out.quotes.push(s..out.text.len());
                                    }
                                }
                                out.quote_open_unstarted = false;
                            }
                        }
                        out.brk(if name == "li" { 1 } else { 2 });
                    }
                }
            }
        }
    }
    let mut quotes = out.quotes;
    let text = out.text;
    quotes.extend(quote_lines(&text));
    Body {
        quotes: merge_ranges(quotes),
        align: align_html(html, &text),
        text,
    }
}

/// Plain text (or Markdown) body: trimmed, with `>` lines marked as quotes. With
/// `Newlines::Collapse`, runs of whitespace inside lines are left as they are (plain text is
/// the author's own layout); only the ends are trimmed.
pub(crate) fn text_body(text: &str, _newlines: Newlines) -> Body {
    let raw = text;
    let t = raw.trim_matches(|c: char| c.is_whitespace() && c != '\u{a0}');
    let offset = t.as_ptr() as usize - raw.as_ptr() as usize;
    let text = t.replace("\r\n", "\n");
    let quotes = quote_lines(&text);
    Body {
        align: align_plain(raw, offset, &text),
        text,
        quotes,
    }
}

/// Byte ranges of lines that start (after spaces) with `>`; adjacent lines are merged.
pub(crate) fn quote_lines(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim_start().starts_with('>') {
            let r = start..start + body.len();
            match out.last_mut() {
                Some(last)
                    if last.end + 1 >= r.start && text[last.end..r.start].trim().is_empty() =>
                {
                    last.end = r.end
                }
                _ => out.push(r),
            }
        }
        start += line.len();
    }
    out
}

/// Sorts and merges overlapping or touching ranges.
pub(crate) fn merge_ranges(mut v: Vec<Range<usize>>) -> Vec<Range<usize>> {
    v.retain(|r| r.start < r.end);
    v.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_entities() {
        let b = html_to_text(
            "<p>Hello &amp; welcome&#8217;s</p><p>second<br>line</p>",
            Newlines::Collapse,
        );
        assert_eq!(b.text, "Hello & welcome\u{2019}s\n\nsecond\nline");
        assert!(b.quotes.is_empty());
    }

    #[test]
    fn hn_bare_p_and_quotes() {
        let b = html_to_text(
            "First para<p>&gt; you people are vermin<p>That is vile.",
            Newlines::Collapse,
        );
        assert_eq!(
            b.text,
            "First para\n\n> you people are vermin\n\nThat is vile."
        );
        assert_eq!(b.quotes.len(), 1);
        assert_eq!(&b.text[b.quotes[0].clone()], "> you people are vermin");
    }

    #[test]
    fn blockquote_marked() {
        let b = html_to_text(
            "<blockquote><p>they are rats</p></blockquote><p>Calling people rats is dehumanising.</p>",
            Newlines::Collapse,
        );
        assert_eq!(
            b.text,
            "they are rats\n\nCalling people rats is dehumanising."
        );
        assert_eq!(b.quotes, vec![0..13]);
    }

    #[test]
    fn wordpress_newlines_kept() {
        let b = html_to_text("line one\nline two\n\npara <b>two</b>", Newlines::Keep);
        assert_eq!(b.text, "line one\nline two\n\npara two");
    }

    #[test]
    fn slashes_survive() {
        let s = "\\o/ ¯\\_(ツ)_/¯";
        assert_eq!(html_to_text(s, Newlines::Keep).text, s);
        assert_eq!(
            html_to_text(&format!("<p>{s}</p>"), Newlines::Collapse).text,
            s
        );
    }

    #[test]
    fn script_dropped() {
        let b = html_to_text("a<script>alert(1)</script> b", Newlines::Collapse);
        assert_eq!(b.text, "a b");
    }

    #[test]
    fn deep_nesting_no_recursion() {
        let html = "<div>".repeat(50_000) + "x" + &"</div>".repeat(50_000);
        assert_eq!(html_to_text(&html, Newlines::Collapse).text, "x");
    }
}
