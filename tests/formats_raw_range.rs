//! `Comment::raw_range`: offsets in the clean text map back to the markup they came from.

mod common;

use commentguard::formats::read;
use commentguard::{read_path, Comment, Format, ReadOptions, Thread};
use std::io::Cursor;
use std::path::Path;

fn threads(doc: &str, format: Format) -> Vec<Thread> {
    read(
        Cursor::new(doc.as_bytes().to_vec()),
        None,
        Some(format),
        ReadOptions::default(),
    )
    .unwrap()
    .collect::<commentguard::Result<Vec<_>>>()
    .unwrap()
}

/// The raw markup behind the first occurrence of `needle` in the text (after `from`).
fn raw_of<'c>(c: &'c Comment, needle: &str, from: usize) -> &'c str {
    let at = from
        + c.text[from..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {:?}", c.text));
    let r = c
        .raw_range(at..at + needle.len())
        .unwrap_or_else(|| panic!("no raw range for {needle:?}"));
    &c.raw[r]
}

const BODY: &str = "<p>Tom &amp; Jerry<br>second line</p>\
                    <blockquote><p>they are <em>rats</em></p></blockquote>\
                    <p>Calling people rats is &#8220;vile&#8221;&nbsp;&#x2F;&gt;</p>";

fn check_body(c: &Comment) {
    assert_eq!(
        c.text,
        "Tom & Jerry\nsecond line\n\nthey are rats\n\nCalling people rats is \u{201c}vile\u{201d}\u{a0}/>"
    );
    assert_eq!(raw_of(c, "&", 0), "&amp;");
    assert_eq!(raw_of(c, "Tom & Jerry", 0), "Tom &amp; Jerry");
    assert_eq!(raw_of(c, "\n", 0), "<br>");
    assert_eq!(raw_of(c, "rats", 0), "rats");
    assert_eq!(raw_of(c, "are rats", 0), "are <em>rats");
    assert_eq!(raw_of(c, "\u{201c}vile\u{201d}", 0), "&#8220;vile&#8221;");
    assert_eq!(raw_of(c, "\u{a0}", 0), "&nbsp;");
    assert_eq!(raw_of(c, "/>", 0), "&#x2F;&gt;");
    // The paragraph break written for </p><blockquote><p>.
    assert_eq!(raw_of(c, "\n\n", 0), "</p><blockquote><p>");
    // The quoted passage maps to the quoted markup.
    let q = c.quotes[0].clone();
    assert_eq!(&c.text[q.clone()], "they are rats");
    assert_eq!(&c.raw[c.raw_range(q).unwrap()], "they are <em>rats");
    // A range inside an entity widens to the whole entity; bad ranges are None.
    let amp = c.text.find('&').unwrap();
    assert_eq!(c.raw_range(amp..amp).map(|r| r.len()), Some(0));
    assert_eq!(c.raw_range(0..c.text.len() + 1), None);
    let quote = c.text.find('\u{201c}').unwrap();
    assert_eq!(c.raw_range(quote + 1..quote + 2), None); // not a char boundary
}

#[test]
fn wxr_bodies() {
    let doc = format!(
        "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><link>https://blog.example</link>\
         <item><wp:post_id>1</wp:post_id><wp:comment><wp:comment_id>5</wp:comment_id>\
         <wp:comment_content><![CDATA[{BODY}]]></wp:comment_content></wp:comment></item></channel></rss>"
    );
    let t = threads(&doc, Format::Wxr);
    assert_eq!(t[0].site.as_deref(), Some("https://blog.example"));
    check_body(&t[0].comments()[0]);
}

#[test]
fn disqus_bodies() {
    let doc = format!(
        "<disqus xmlns=\"http://disqus.com\" xmlns:dsq=\"http://disqus.com/disqus-internals\">\
         <post dsq:id=\"1\"><message><![CDATA[{BODY}]]></message><thread dsq:id=\"t\"/></post></disqus>"
    );
    check_body(&threads(&doc, Format::Disqus)[0].comments()[0]);
}

#[test]
fn plain_text_bodies() {
    let line = "{\"id\":\"1\",\"text\":\"  hello\\r\\nworld &amp; more  \"}\n";
    let t = threads(line, Format::Jsonl);
    let c = &t[0].comments()[0];
    assert_eq!(c.text, "hello\nworld &amp; more");
    assert_eq!(raw_of(c, "world", 0), "world");
    assert_eq!(raw_of(c, "\n", 0), "\r\n");
    assert_eq!(raw_of(c, "&amp; more", 0), "&amp; more");
    assert_eq!(raw_of(c, "hello\nworld", 0), "hello\r\nworld");
    // A comment built by hand: text is raw.
    assert_eq!(Comment::new("x", "abc").raw_range(1..3), Some(1..3));
}

/// Every reader that records a map, on every shared fixture: each character of the text maps
/// to a raw range, the ranges never go backwards, and nearly all characters map to exactly
/// themselves or to the entity that decodes to them.
#[test]
fn fixtures_map_characters_to_their_markup() {
    let Some(base) = common::shared("fixtures/threads", "fixtures_map_characters") else {
        return;
    };
    let (mut chars, mut exact, mut comments) = (0usize, 0usize, 0usize);
    let mut dirs = vec![base];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
                continue;
            }
            let Ok(ts) = read_path(&p, None, ReadOptions::default()) else {
                continue;
            };
            for t in ts.flatten() {
                for c in t.comments() {
                    if c.raw_range(0..c.text.len()).is_none() {
                        continue; // scraped text: no map recorded
                    }
                    comments += 1;
                    let (ch, ex) = check_comment(&p, c);
                    chars += ch;
                    exact += ex;
                }
            }
        }
    }
    assert!(comments > 200, "{comments}");
    let share = exact as f64 / chars as f64;
    println!("{comments} comments, {chars} characters, {exact} mapped exactly ({share:.4})");
    assert!(share > 0.99, "{exact} of {chars}");
}

fn check_comment(path: &Path, c: &Comment) -> (usize, usize) {
    let (mut chars, mut exact) = (0, 0);
    let mut last = 0;
    for (i, ch) in c.text.char_indices() {
        let r = c
            .raw_range(i..i + ch.len_utf8())
            .unwrap_or_else(|| panic!("{}: {} at {i}", path.display(), c.id));
        assert!(
            r.start >= last,
            "{}: {} goes backwards at {i}",
            path.display(),
            c.id
        );
        last = r.start;
        if ch.is_whitespace() {
            continue;
        }
        chars += 1;
        let raw = &c.raw[r];
        let mut b = [0u8; 4];
        if raw == ch.encode_utf8(&mut b) || (raw.starts_with('&') && raw.len() > 2) {
            exact += 1;
        }
    }
    (chars, exact)
}
