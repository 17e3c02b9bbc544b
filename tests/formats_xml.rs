//! The XML readers (WordPress WXR, Disqus) on the shared fixtures and on hostile inputs
//! written here.

mod common;

use commentguard::formats::read;
use commentguard::{
    read_path, CommentKind, ErrorKind, Format, Markup, ReadOptions, Result, Status, Thread,
};
use std::path::Path;

fn read_file(path: &Path, opts: ReadOptions) -> (Format, Result<Vec<Thread>>) {
    let threads = read_path(path, None, opts).expect("format detected");
    let format = threads.format();
    (format, threads.collect())
}

fn read_str(s: &[u8], format: Format, opts: ReadOptions) -> Result<Vec<Thread>> {
    read(std::io::Cursor::new(s.to_vec()), None, Some(format), opts)?.collect()
}

fn total(threads: &[Thread]) -> usize {
    threads.iter().map(Thread::len).sum()
}

fn max_depth(threads: &[Thread]) -> u32 {
    threads.iter().map(Thread::max_depth).max().unwrap_or(0)
}

fn thread<'a>(threads: &'a [Thread], id: &str) -> &'a Thread {
    threads.iter().find(|t| t.id == id).expect("thread present")
}

fn strict() -> ReadOptions {
    let mut o = ReadOptions::default();
    o.lenient = false;
    o
}

// ---------------------------------------------------------------- shared fixtures: WXR

#[test]
fn wptt_theme_unit_test() {
    let Some(dir) = common::shared("fixtures/threads", "wptt_theme_unit_test") else {
        return;
    };
    let (format, r) = read_file(
        &dir.join("wxr/wptt-themeunittestdata.wordpress.xml"),
        ReadOptions::default(),
    );
    assert_eq!(format, Format::Wxr);
    let threads = r.unwrap();
    // The channel's <link>, not the <image><link> further down.
    assert!(threads
        .iter()
        .all(|t| t.site.as_deref() == Some("https://wpthemetestdata.wordpress.com")));
    assert_eq!(threads.len(), 6);
    assert_eq!(total(&threads), 32);
    assert_eq!(max_depth(&threads), 10);
    let ids: Vec<&str> = threads.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["155", "703", "1148", "1149", "1168", "1170"]);

    let t = thread(&threads, "1148");
    assert_eq!(t.title.as_deref(), Some("Template: Comments"));
    assert_eq!(t.len(), 20);
    assert_eq!(t.max_depth(), 10);
    let i = t.find("905").unwrap();
    assert_eq!(t.comment(t.parent(i).unwrap()).id, "904");
    let deepest = t.find("915").unwrap();
    assert_eq!(t.depth(deepest), 10);
    assert_eq!(t.comment(t.find("1015").unwrap()).status, Status::Pending);
    assert_eq!(t.comment(t.find("881").unwrap()).status, Status::Approved);
    assert_eq!(t.orphans().count(), 0);

    let t = thread(&threads, "155");
    let c = t.comment(t.find("1017").unwrap());
    assert_eq!(c.declared_parent.as_deref(), Some("168"));
    assert_eq!(c.status, Status::Pending);
    let c = t.comment(t.find("167").unwrap());
    assert_eq!(c.declared_parent, None);
    assert_eq!(c.author.as_deref(), Some("Anon"));
    assert_eq!(
        c.time.unwrap().to_rfc3339(),
        "2007-09-04T00:49:28+00:00" // the _gmt value, not the local 10:49:28
    );
    assert_eq!(c.markup, Markup::Html);

    let t = thread(&threads, "1149");
    assert_eq!(
        t.comment(t.find("921").unwrap()).kind,
        CommentKind::Trackback
    );
    assert_eq!(
        t.comment(t.find("923").unwrap()).kind,
        CommentKind::Pingback
    );
    assert_eq!(t.comment(t.find("925").unwrap()).kind, CommentKind::Comment);
    // Author names carry HTML entities in WXR; they are decoded.
    let a = t.comment(t.find("921").unwrap()).author.clone().unwrap();
    assert!(a.starts_with("Ping 1 « What’s"), "{a}");
}

#[test]
fn wxr_1_0_valid() {
    let Some(dir) = common::shared("fixtures/threads", "wxr_1_0_valid") else {
        return;
    };
    let (format, r) = read_file(
        &dir.join("wxr/wordpress-importer-valid-wxr-1.0.xml"),
        ReadOptions::default(),
    );
    assert_eq!(format, Format::Wxr);
    let threads = r.unwrap();
    assert_eq!(threads.len(), 1);
    assert_eq!(total(&threads), 1);
    assert_eq!(max_depth(&threads), 1);
    let c = &threads[0].comments()[0];
    assert_eq!(c.id, "1");
    assert_eq!(c.author.as_deref(), Some("Mr WordPress"));
    assert_eq!(
        c.text,
        "Hi, this is a comment.\nTo delete a comment, just log in and view the post's \
         comments. There you will have the option to edit or delete them."
    );
    assert!(
        c.raw.starts_with("Hi, this is a comment.<br />"),
        "{}",
        c.raw
    );
}

#[test]
fn wxr_slashes_survive() {
    let Some(dir) = common::shared("fixtures/threads", "wxr_slashes_survive") else {
        return;
    };
    let (format, r) = read_file(
        &dir.join("wxr/wordpress-importer-slashes.xml"),
        ReadOptions::default(),
    );
    assert_eq!(format, Format::Wxr);
    let threads = r.unwrap();
    assert_eq!(total(&threads), 1);
    assert_eq!(max_depth(&threads), 1);
    let c = &threads[0].comments()[0];
    assert_eq!(c.raw, "\\o/ ¯\\_(ツ)_/¯");
    assert_eq!(c.text, "\\o/ ¯\\_(ツ)_/¯");
}

// ---------------------------------------------------------------- shared fixtures: Disqus

#[test]
fn isso_disqus() {
    let Some(dir) = common::shared("fixtures/threads", "isso_disqus") else {
        return;
    };
    let (format, r) = read_file(&dir.join("disqus/isso-disqus.xml"), ReadOptions::default());
    assert_eq!(format, Format::Disqus);
    let threads = r.unwrap();
    assert_eq!(total(&threads), 6);
    assert_eq!(max_depth(&threads), 2);
    let ids: Vec<&str> = threads.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["2", "7", "1337"]);

    let t = thread(&threads, "2");
    assert_eq!(t.title.as_deref(), Some("Hello, World!"));
    assert_eq!(t.site.as_deref(), Some("disqusdev")); // <forum>
    assert_eq!(t.url.as_deref(), Some("http://example.org/"));
    assert_eq!(t.len(), 4);
    let nine = t.find("9").unwrap();
    assert_eq!(t.comment(nine).status, Status::Deleted);
    assert_eq!(t.comment(nine).text, "");
    let eleven = t.find("11").unwrap();
    assert_eq!(t.parent(eleven), Some(nine));
    assert_eq!(t.depth(eleven), 2);
    assert_eq!(t.comment(eleven).text, "Hello, World.");
    assert_eq!(t.comment(eleven).author.as_deref(), Some("user"));
    assert_eq!(
        t.comment(eleven).time.unwrap().to_rfc3339(),
        "2013-10-11T06:52:33+00:00"
    );
    let five = t.find("5").unwrap();
    assert_eq!(t.comment(t.parent(five).unwrap()).id, "4");
    assert!(t.notes().is_empty(), "{:?}", t.notes());

    let t = thread(&threads, "7");
    assert_eq!(t.title, None);
    assert_eq!(
        t.comments()[0].text,
        "Message from thread with empty title and id"
    );

    let t = thread(&threads, "1337");
    assert_eq!(t.len(), 1);
    assert_eq!(t.comments()[0].id, "6");
    assert_eq!(t.notes().len(), 1);
    assert!(t.notes()[0].contains("not defined"), "{:?}", t.notes());
}

#[test]
fn schnack_disqus() {
    let Some(dir) = common::shared("fixtures/threads", "schnack_disqus") else {
        return;
    };
    let (format, r) = read_file(
        &dir.join("disqus/schnack-disqus.xml"),
        ReadOptions::default(),
    );
    assert_eq!(format, Format::Disqus);
    let threads = r.unwrap();
    assert_eq!(total(&threads), 5);
    assert_eq!(max_depth(&threads), 4);
    let t = thread(&threads, "3057176120");
    assert_eq!(t.title.as_deref(), Some("Welcome"));
    let first = t.find("1664694813").unwrap();
    // CDATA wrapped in whitespace: the whitespace outside the CDATA is dropped.
    assert!(
        t.comment(first).raw.starts_with("<p>Hey, wow!</p>"),
        "{:?}",
        t.comment(first).raw
    );
    assert!(t.comment(first).raw.ends_with("</p>"));
    assert_eq!(
        t.comment(first).text,
        "Hey, wow!\n\n// Amazing post.\n\nCheck example."
    );
    let reply = t.find("1664831530").unwrap();
    assert_eq!(t.parent(reply), Some(first));
}

#[test]
fn remark42_disqus_lenient_and_strict() {
    let Some(dir) = common::shared("fixtures/threads", "remark42_disqus_lenient_and_strict") else {
        return;
    };
    let path = dir.join("disqus/remark42-disqus.xml");
    let (format, r) = read_file(&path, ReadOptions::default());
    assert_eq!(format, Format::Disqus);
    let threads = r.unwrap();
    assert_eq!(total(&threads), 6);
    assert_eq!(max_depth(&threads), 1);
    let ids: Vec<&str> = threads.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["247918464", "247937687"]);

    let t = thread(&threads, "247937687");
    assert_eq!(t.len(), 4);
    assert_eq!(t.comment(t.find("299986073").unwrap()).status, Status::Spam);
    let bad = t.comment(t.find("x299986073").unwrap());
    assert_eq!(bad.status, Status::Approved); // isSpam "123" is not "true"
    assert_eq!(bad.time, None); // 2011-x09-30...
    let notes = t.notes().join("\n");
    assert_eq!(
        t.notes(),
        [
            "post \"x299986073\", line 137: createdAt \"2011-x09-30T22:48:43Z\" is not a date; \
             time left empty",
            "post \"x299986073\", line 139: isSpam is \"123\", not true/false; read as false",
            "post \"x299986073\", line 147: malformed attribute (position 14: attribute value \
             must be enclosed in `\"` or `'`) read as an HTML-style attribute",
            "file line 1: 1 stray bytes before the root element skipped",
        ]
    );
    assert!(
        notes.contains("line 1: 1 stray bytes before the root element"),
        "{notes}"
    );
    assert!(notes.contains("isSpam is \"123\""), "{notes}");
    assert!(
        notes.contains("createdAt \"2011-x09-30T22:48:43Z\""),
        "{notes}"
    );
    assert!(notes.contains("line 147: malformed attribute"), "{notes}");
    let ru = t.comment(t.find("299744309").unwrap());
    assert!(
        ru.text.starts_with("Microsoft показал проводник"),
        "{}",
        ru.text
    );

    let t = thread(&threads, "247918464");
    assert_eq!(t.len(), 2);
    let synth = &t.comments()[1];
    assert_eq!(synth.id, "line:102");
    assert_eq!(synth.text, "This comment had no ID");
    assert!(t
        .notes()
        .join("\n")
        .contains("line 102: <post> 4 has no dsq:id"));

    // Strict: the stray backtick before the prolog is an error at its position.
    let e = read_file(&path, strict()).1.unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::Syntax {
                format: "disqus",
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(e.position().line, Some(1));
    assert_eq!(e.position().byte, Some(0));
    assert_eq!(e.position().file.as_deref(), Some(path.as_path()));
}

// ---------------------------------------------------------------- hostile and odd inputs

const WP12: &str = "http://wordpress.org/export/1.2/";

/// A WXR document with one item holding `comments` (already marked up).
fn wxr(ns: &str, prefix: &str, comments: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <rss version=\"2.0\" xmlns:{prefix}=\"{ns}\">\n<channel>\n<title>Site</title>\n\
         <item>\n<title>Post &amp; title</title>\n<link>http://example.org/p/7</link>\n\
         <{prefix}:post_id> 7 </{prefix}:post_id>\n{comments}</item>\n</channel>\n</rss>\n"
    )
}

fn wp_comment(p: &str, id: &str, parent: &str, body: &str) -> String {
    format!(
        "<{p}:comment>\n<{p}:comment_id> {id} </{p}:comment_id>\n\
         <{p}:comment_author><![CDATA[A]]></{p}:comment_author>\n\
         <{p}:comment_date>2020-01-02 10:00:00</{p}:comment_date>\n\
         <{p}:comment_date_gmt>2020-01-02 09:00:00</{p}:comment_date_gmt>\n\
         <{p}:comment_content><![CDATA[{body}]]></{p}:comment_content>\n\
         <{p}:comment_approved> 1 </{p}:comment_approved>\n\
         <{p}:comment_parent> {parent} </{p}:comment_parent>\n</{p}:comment>\n"
    )
}

#[test]
fn wxr_children_before_parents() {
    let doc = wxr(
        WP12,
        "wp",
        &[
            wp_comment("wp", "3", "2", "grand\r\nchild"),
            wp_comment("wp", "2", "1", "child"),
            wp_comment("wp", "1", "0", "root"),
        ]
        .concat(),
    );
    // Auto-detected from the head.
    let first_comment = doc.find("<wp:comment>").unwrap() as u64;
    let threads: Vec<Thread> = read(
        std::io::Cursor::new(doc.into_bytes()),
        None,
        None,
        ReadOptions::default(),
    )
    .unwrap()
    .collect::<Result<_>>()
    .unwrap();
    assert_eq!(threads.len(), 1);
    let t = &threads[0];
    assert_eq!(t.id, "7");
    assert_eq!(t.title.as_deref(), Some("Post & title"));
    assert_eq!(t.url.as_deref(), Some("http://example.org/p/7"));
    assert_eq!(t.max_depth(), 3);
    let order: Vec<(&str, u32)> = t
        .walk()
        .map(|v| (t.comment(v.index).id.as_str(), v.depth))
        .collect();
    assert_eq!(order, [("1", 1), ("2", 2), ("3", 3)]);
    assert_eq!(
        t.comments()[0].time.unwrap().to_rfc3339(),
        "2020-01-02T09:00:00+00:00"
    );
    assert_eq!(t.comments()[0].declared_parent.as_deref(), Some("2"));
    assert_eq!(t.comments()[2].declared_parent, None);
    assert_eq!(t.comments()[0].offset, Some(first_comment));
    assert!(!t.comments()[0].offset_is_line);
    assert_eq!(t.comments()[0].raw, "grand\nchild"); // XML end-of-line handling
}

#[test]
fn wxr_namespace_variants() {
    for ns in [
        "http://wordpress.org/export/1.0/",
        "http://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.2/",
        "https://wordpress.org/export/1.3",
    ] {
        // Any prefix bound to the namespace works; the literal `wp:` is not required.
        for prefix in ["wp", "wordpress"] {
            let doc = wxr(ns, prefix, &wp_comment(prefix, "5", "0", "hello"));
            let threads = read_str(doc.as_bytes(), Format::Wxr, ReadOptions::default()).unwrap();
            assert_eq!(total(&threads), 1, "{ns} {prefix}");
            assert_eq!(threads[0].comments()[0].text, "hello");
        }
    }
    // `wp:` bound to some other namespace is not WordPress: nothing is read.
    let doc = wxr(
        "http://example.com/export/1.2/",
        "wp",
        &wp_comment("wp", "5", "0", "x"),
    );
    assert_eq!(
        total(&read_str(doc.as_bytes(), Format::Wxr, ReadOptions::default()).unwrap()),
        0
    );
}

#[test]
fn wxr_missing_fields_and_fallbacks() {
    let comments = "<wp:comment>\n<wp:comment_content>only &lt;b&gt;content&lt;/b&gt;</wp:comment_content>\n</wp:comment>\n\
        <wp:comment><wp:comment_id>9</wp:comment_id>\
        <wp:comment_date>2019-05-06 07:08:09</wp:comment_date>\
        <wp:comment_date_gmt>0000-00-00 00:00:00</wp:comment_date_gmt>\
        <wp:comment_approved>post-trashed</wp:comment_approved>\
        <wp:comment_type>webmention</wp:comment_type>\
        <wp:comment_parent>4</wp:comment_parent></wp:comment>\n\
        <wp:comment><wp:comment_id>10</wp:comment_id><wp:comment_approved>spam</wp:comment_approved>\
        <wp:comment_type>comment</wp:comment_type><wp:comment_content><![CDATA[a]]]]><![CDATA[>b]]></wp:comment_content></wp:comment>\n";
    let doc = wxr(WP12, "wp", comments);
    let threads = read_str(doc.as_bytes(), Format::Wxr, ReadOptions::default()).unwrap();
    let t = &threads[0];
    assert_eq!(t.len(), 3);
    let c = &t.comments()[0];
    assert_eq!(c.id, "line:9"); // synthesised from the line of <wp:comment>
    assert_eq!(c.raw, "only <b>content</b>");
    assert_eq!(c.text, "only content");
    assert_eq!(
        (
            c.status,
            c.author.clone(),
            c.time,
            c.declared_parent.clone()
        ),
        (Status::Approved, None, None, None)
    );
    assert!(
        t.notes()[0].starts_with("line 9: comment 1 of the item has no wp:comment_id"),
        "{:?}",
        t.notes()
    );
    let c = &t.comments()[1];
    assert_eq!(c.time.unwrap().to_rfc3339(), "2019-05-06T07:08:09+00:00"); // local fallback
    assert_eq!(c.status, Status::Trash);
    assert_eq!(c.kind, CommentKind::Other("webmention".into()));
    assert_eq!(c.text, "");
    // Parent 4 is not in the file: kept as an orphan root, declared parent remembered.
    assert_eq!(c.declared_parent.as_deref(), Some("4"));
    assert_eq!(t.orphans().collect::<Vec<_>>(), [1]);
    let c = &t.comments()[2];
    assert_eq!(c.status, Status::Spam);
    assert_eq!(c.kind, CommentKind::Comment);
    assert_eq!(c.raw, "a]]>b"); // the CDATA split is joined
}

#[test]
fn wxr_items_without_comments_are_skipped() {
    let doc = format!(
        "<rss xmlns:wp=\"{WP12}\"><channel><item><wp:post_id>1</wp:post_id></item>{}</channel></rss>",
        &wxr(WP12, "wp", "")[0..0]
    );
    assert_eq!(
        read_str(doc.as_bytes(), Format::Wxr, ReadOptions::default())
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn wxr_truncated() {
    let doc = wxr(WP12, "wp", &wp_comment("wp", "1", "0", "body text"));
    // Cut inside the body (elements left open).
    let cut = doc.find("body text").unwrap() + 4;
    let e = read_str(&doc.as_bytes()[..cut], Format::Wxr, ReadOptions::default()).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Syntax { format: "wxr", .. }),
        "{e}"
    );
    assert_eq!(e.position().line, Some(14));
    assert!(e.position().byte.is_some());
    assert_eq!(e.position().thread_id.as_deref(), Some("7"));
    assert_eq!(e.position().comment_id.as_deref(), Some("1"));
    // Cut inside a tag.
    let cut = doc.find("<wp:comment_approved>").unwrap() + 5;
    let e = read_str(&doc.as_bytes()[..cut], Format::Wxr, ReadOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Syntax { .. }), "{e}");
    assert_eq!(
        e.position().byte,
        Some(doc.find("<wp:comment_approved>").unwrap() as u64)
    );
    assert_eq!(e.position().line, Some(15));
    // Mismatched end tag.
    let bad = doc.replace("</wp:comment_author>", "</wp:comment_autor>");
    let e = read_str(bad.as_bytes(), Format::Wxr, ReadOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Syntax { .. }), "{e}");
    assert_eq!(e.position().line, Some(11));
    // Not XML at all / empty.
    assert!(read_str(b"", Format::Wxr, ReadOptions::default()).is_err());
}

#[test]
fn wxr_invalid_utf8_has_position() {
    let doc = wxr(WP12, "wp", &wp_comment("wp", "1", "0", "ok \u{1} BAD"));
    let mut bytes = doc.into_bytes();
    let at = bytes.windows(3).position(|w| w == b"BAD").unwrap();
    bytes[at] = 0xFF;
    let e = read_str(&bytes, Format::Wxr, ReadOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::InvalidUtf8), "{e}");
    assert_eq!(e.position().byte, Some(at as u64));
    assert_eq!(e.position().line, Some(14));
    assert_eq!(e.position().comment_id.as_deref(), Some("1"));
}

const LAUGHS: &str = "<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n\
    <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n\
    <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n\
    <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n\
    <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n\
    <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n";

#[test]
fn wxr_entities_are_never_expanded() {
    for entity in ["&lol9;", "&xxe;"] {
        let doc = wxr(WP12, "wp", &format!(
            "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>a {entity} b</wp:comment_content></wp:comment>\n"
        ))
        .replacen("<rss", &format!("{LAUGHS}<rss"), 1);
        let e = read_str(doc.as_bytes(), Format::Wxr, ReadOptions::default()).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Syntax { .. }), "{e}");
        let msg = e.to_string();
        assert!(msg.contains("never expanded"), "{msg}");
        assert!(!msg.contains("root:"), "{msg}");
        assert_eq!(e.position().line, Some(17), "{msg}");
    }
}

#[test]
fn wxr_body_over_limit_names_comment() {
    let doc = wxr(WP12, "wp", &wp_comment("wp", "42", "0", &"x".repeat(200)));
    let mut o = ReadOptions::default();
    o.max_comment_bytes = 100;
    let e = read_str(doc.as_bytes(), Format::Wxr, o).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::LimitExceeded { limit: 100, .. }),
        "{e}"
    );
    assert_eq!(e.position().comment_id.as_deref(), Some("42"));
    let mut o = ReadOptions::default();
    o.max_comment_bytes = 200;
    assert!(read_str(doc.as_bytes(), Format::Wxr, o).is_ok());
}

/// A Disqus export with the given posts and one defined thread "t1".
fn disqus(posts: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <disqus xmlns=\"http://disqus.com\" xmlns:dsq=\"http://disqus.com/disqus-internals\">\n\
         <thread dsq:id=\"t1\"><id/><link>http://e.org/a</link><title>A &amp; B</title></thread>\n\
         {posts}</disqus>\n"
    )
}

fn post(id: &str, parent: Option<&str>, body: &str) -> String {
    let parent = parent
        .map(|p| format!("<parent dsq:id=\"{p}\"/>"))
        .unwrap_or_default();
    format!(
        "<post dsq:id=\"{id}\">\n<message><![CDATA[{body}]]></message>\n\
         <createdAt>2013-10-10T19:20:29Z</createdAt><isDeleted>false</isDeleted>\
         <isSpam>false</isSpam><author><name>N{id}</name></author>\
         <thread dsq:id=\"t1\"/>{parent}\n</post>\n"
    )
}

#[test]
fn disqus_children_before_parents_and_quotes() {
    let doc = disqus(
        &[
            post("c", Some("b"), "<p>deep</p>"),
            post(
                "b",
                Some("a"),
                "<blockquote>you said it</blockquote><p>reply</p>",
            ),
            post("a", None, "<p>root</p>"),
        ]
        .concat(),
    );
    // Junk bytes before the prolog still auto-detect as Disqus.
    let junk = format!("\u{1}\u{2}{doc}");
    let threads: Vec<Thread> = read(
        std::io::Cursor::new(junk.into_bytes()),
        None,
        None,
        ReadOptions::default(),
    )
    .unwrap()
    .collect::<Result<_>>()
    .unwrap();
    assert_eq!(threads.len(), 1);
    let t = &threads[0];
    assert_eq!(
        (t.id.as_str(), t.title.as_deref(), t.url.as_deref()),
        ("t1", Some("A & B"), Some("http://e.org/a"))
    );
    assert_eq!(t.max_depth(), 3);
    let b = &t.comments()[t.find("b").unwrap()];
    assert_eq!(b.text, "you said it\n\nreply");
    assert_eq!(b.quotes, vec![0..11_usize]); // the blockquote
    assert_eq!(b.author.as_deref(), Some("Nb"));
    assert_eq!(
        t.notes(),
        ["file line 1: 2 stray bytes before the root element skipped"]
    );
    // Strict: the same junk is an error at byte 0.
    let junk = format!("\u{1}\u{2}{doc}");
    let e = read_str(junk.as_bytes(), Format::Disqus, strict()).unwrap_err();
    assert_eq!((e.position().line, e.position().byte), (Some(1), Some(0)));
}

#[test]
fn disqus_strict_errors_have_positions() {
    // Unquoted attribute value, line 3.
    let doc = disqus(&post("a", None, "x")).replace("dsq:id=\"t1\"><id/>", "dsq:id=t1><id/>");
    let e = read_str(doc.as_bytes(), Format::Disqus, strict()).unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::Syntax {
                format: "disqus",
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(e.position().line, Some(3));
    let threads = read_str(doc.as_bytes(), Format::Disqus, ReadOptions::default()).unwrap();
    assert_eq!(threads[0].id, "t1");
    assert!(
        threads[0].notes()[0].starts_with("line 3: malformed attribute"),
        "{:?}",
        threads[0].notes()
    );
    // A post without dsq:id, line 4.
    let doc = disqus(&post("a", None, "x")).replace("<post dsq:id=\"a\">", "<post>");
    let e = read_str(doc.as_bytes(), Format::Disqus, strict()).unwrap_err();
    assert_eq!(e.position().line, Some(4));
    let threads = read_str(doc.as_bytes(), Format::Disqus, ReadOptions::default()).unwrap();
    assert_eq!(threads[0].comments()[0].id, "line:4");
    // Bad isSpam, bad date.
    for (from, to) in [
        ("<isSpam>false", "<isSpam>yes"),
        ("2013-10-10T", "2013-1x-10T"),
    ] {
        let doc = disqus(&post("a", None, "x")).replace(from, to);
        let e = read_str(doc.as_bytes(), Format::Disqus, strict()).unwrap_err();
        assert_eq!(e.position().line, Some(6), "{e}");
        assert_eq!(e.position().comment_id.as_deref(), Some("a"));
        let t = read_str(doc.as_bytes(), Format::Disqus, ReadOptions::default()).unwrap();
        assert_eq!(t[0].notes().len(), 1, "{:?}", t[0].notes());
        assert!(
            t[0].notes()[0].starts_with("post \"a\", line 6: "),
            "{:?}",
            t[0].notes()
        );
    }
}

#[test]
fn disqus_hostile() {
    // Truncated.
    let doc = disqus(&post("a", None, "x"));
    let cut = doc.find("<isSpam>").unwrap();
    let e = read_str(
        &doc.as_bytes()[..cut],
        Format::Disqus,
        ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Syntax { .. }), "{e}");
    assert_eq!(e.position().line, Some(6));
    // Invalid UTF-8 inside a message.
    let mut bytes = disqus(&post("a", None, "ok BAD")).into_bytes();
    let at = bytes.windows(3).position(|w| w == b"BAD").unwrap();
    bytes[at + 1] = 0xC3; // a lead byte followed by 'D'
    let e = read_str(&bytes, Format::Disqus, ReadOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::InvalidUtf8), "{e}");
    assert_eq!(
        (e.position().line, e.position().byte),
        (Some(5), Some(at as u64 + 1))
    );
    assert_eq!(e.position().comment_id.as_deref(), Some("a"));
    // Billion laughs and external entity: an error in strict mode, left literal (with a
    // note) in lenient mode; never expanded.
    for entity in ["&lol9;", "&xxe;"] {
        let doc = disqus(&post("a", None, "x"))
            .replace(
                "<message><![CDATA[x]]></message>",
                &format!("<message>a {entity}</message>"),
            )
            .replacen("<disqus", &format!("{LAUGHS}<disqus"), 1);
        let e = read_str(doc.as_bytes(), Format::Disqus, strict()).unwrap_err();
        assert!(e.to_string().contains("never expanded"), "{e}");
        let t = read_str(doc.as_bytes(), Format::Disqus, ReadOptions::default()).unwrap();
        assert_eq!(t[0].comments()[0].raw, format!("a {entity}"));
        assert_eq!(t[0].notes().len(), 1);
    }
    // Body over the limit.
    let doc = disqus(&post("big", None, &"y".repeat(50)));
    let mut o = ReadOptions::default();
    o.max_comment_bytes = 49;
    let e = read_str(doc.as_bytes(), Format::Disqus, o).unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::LimitExceeded { limit: 49, .. }),
        "{e}"
    );
    assert_eq!(e.position().comment_id.as_deref(), Some("big"));
    // Another root element.
    let e = read_str(b"<rss><x/></rss>", Format::Disqus, ReadOptions::default()).unwrap_err();
    assert!(e.to_string().contains("not a Disqus export"), "{e}");
}

#[test]
fn disqus_deleted_spam_and_missing_thread() {
    let posts = [
        post("a", None, "root"),
        post("d", Some("a"), "").replace("<isDeleted>false", "<isDeleted>true"),
        post("e", Some("d"), "under deleted"),
        post("s", None, "buy").replace("<isSpam>false", "<isSpam>true"),
        post("o", None, "lost").replace("dsq:id=\"t1\"", "dsq:id=\"t9\""),
    ]
    .concat();
    let threads = read_str(disqus(&posts).as_bytes(), Format::Disqus, strict()).unwrap();
    assert_eq!(
        threads.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["t1", "t9"]
    );
    let t = &threads[0];
    assert_eq!(t.len(), 4);
    assert_eq!(t.comments()[1].status, Status::Deleted);
    assert_eq!(t.depth(t.find("e").unwrap()), 3);
    assert_eq!(t.comments()[3].status, Status::Spam);
    assert!(t.notes().is_empty());
    assert_eq!(threads[1].notes().len(), 1);
    assert_eq!(threads[1].comments()[0].text, "lost");
}

/// Generates a large WXR export on the fly (never held whole).
struct BigWxr {
    items: u32,
    next: u32,
    chunk: Vec<u8>,
    pos: usize,
    done: bool,
}

impl std::io::Read for BigWxr {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            self.chunk.clear();
            self.pos = 0;
            if self.next == 0 {
                self.chunk
                    .extend_from_slice(format!("<rss xmlns:wp=\"{WP12}\"><channel>\n").as_bytes());
            }
            if self.next == self.items {
                self.chunk.extend_from_slice(b"</channel></rss>\n");
                self.done = true;
            } else {
                let n = self.next;
                let mut item = format!("<item><wp:post_id>{n}</wp:post_id>\n");
                for k in 0..5 {
                    let parent = if k == 0 { 0 } else { n * 10 + k - 1 };
                    item.push_str(&wp_comment(
                        "wp",
                        &(n * 10 + k).to_string(),
                        &parent.to_string(),
                        &"words ".repeat(400),
                    ));
                }
                item.push_str("</item>\n");
                self.chunk.extend_from_slice(item.as_bytes());
                self.next += 1;
            }
        }
        let n = (self.chunk.len() - self.pos).min(out.len());
        out[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Peak resident memory of this process in KiB (Linux), if known.
fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn wxr_streams_in_bounded_memory() {
    // 30,000 items × 5 comments × ~2.4 KB ≈ 370 MB of XML; holding it (text + raw) would
    // need far more than the 64 MiB allowed here.
    let items = 30_000;
    let src = BigWxr {
        items,
        next: 0,
        chunk: Vec::new(),
        pos: 0,
        done: false,
    };
    let before = peak_rss_kib();
    let mut threads = 0u32;
    let mut comments = 0usize;
    let mut depth = 0;
    for t in read(src, None, None, ReadOptions::default()).unwrap() {
        let t = t.unwrap();
        threads += 1;
        comments += t.len();
        depth = depth.max(t.max_depth());
    }
    assert_eq!((threads, comments, depth), (items, items as usize * 5, 5));
    if let (Some(b), Some(a)) = (before, peak_rss_kib()) {
        assert!(
            a.saturating_sub(b) < 64 * 1024,
            "peak RSS grew by {} KiB",
            a - b
        );
    } else {
        common::skipped(
            "wxr_streams_in_bounded_memory",
            "no /proc/self/status: memory not checked",
        );
    }
}

#[test]
fn damaged_inputs_never_panic() {
    let docs = [
        (
            Format::Wxr,
            wxr(
                WP12,
                "wp",
                &[
                    wp_comment("wp", "2", "1", "<p>x &amp; y</p>"),
                    wp_comment("wp", "1", "0", "a]]]]><![CDATA[>b"),
                ]
                .concat(),
            ),
        ),
        (
            Format::Disqus,
            disqus(&[post("b", Some("a"), "<p>hi</p>"), post("a", None, "x")].concat()),
        ),
    ];
    let mut runs = 0;
    for (format, doc) in &docs {
        let bytes = doc.as_bytes();
        for opts in [ReadOptions::default(), strict()] {
            for cut in (0..bytes.len()).step_by(3) {
                let _ = read_str(&bytes[..cut], *format, opts.clone());
                runs += 1;
            }
            for at in (0..bytes.len()).step_by(5) {
                for b in [b'<', b'>', b'&', b'"', b'/', 0xFF, 0] {
                    let mut m = bytes.to_vec();
                    m[at] = b;
                    let _ = read_str(&m, *format, opts.clone());
                    runs += 1;
                }
            }
        }
    }
    assert!(runs > 4000, "{runs}");
}

#[test]
fn other_fixtures_are_not_taken_for_xml_exports() {
    let Some(dir) = common::shared(
        "fixtures/threads",
        "other_fixtures_are_not_taken_for_xml_exports",
    ) else {
        return;
    };
    let mut checked = 0;
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let bytes = std::fs::read(&p).unwrap();
            let head = &bytes[..bytes.len().min(64 * 1024)];
            let expected = match p
                .parent()
                .and_then(|d| d.file_name())
                .and_then(|n| n.to_str())
            {
                Some("wxr") => Some(Format::Wxr),
                Some("disqus") => Some(Format::Disqus),
                _ => None,
            };
            let got = commentguard::detect(head, Some(&p))
                .filter(|f| matches!(f, Format::Wxr | Format::Disqus));
            assert_eq!(got, expected, "{}", p.display());
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}
