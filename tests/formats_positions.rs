//! Every reader error about the input says where: a line and byte, or a comment id.
//!
//! One regression test per reader whose errors had no position (found by fuzzing with
//! `COMMENTGUARD_FUZZ_POSITIONS=1`; each fuzz input is rewritten here as a small readable
//! one). Each test checks the error's kind and its exact position.

mod common;

use commentguard::{Error, ErrorKind, Format, Position, ReadOptions};

/// Reads `text` as `format` and returns the first error (reading stops there).
fn error(text: &str, format: Format, options: ReadOptions) -> Error {
    match common::read_doc(text.as_bytes(), format, options) {
        Err(e) => e,
        Ok(threads) => threads
            .filter_map(Result::err)
            .next()
            .unwrap_or_else(|| panic!("{format}: no error for {text:?}")),
    }
}

/// A syntax error with this message.
fn syntax(e: &Error, format: &str, message: &str) {
    match e.kind() {
        ErrorKind::Syntax {
            format: f,
            message: m,
        } => {
            assert_eq!((*f, m.as_str()), (format, message), "{e}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

/// A limit error about `what`.
fn limit(e: &Error, what: &str, limit: u64) {
    match e.kind() {
        ErrorKind::LimitExceeded { what: w, limit: l } => {
            assert_eq!((*w, *l), (what, limit), "{e}")
        }
        other => panic!("expected a limit error, got {other:?}"),
    }
}

/// (line, column, byte) of an error.
fn at(e: &Error) -> (Option<u64>, Option<u64>, Option<u64>) {
    let p = e.position();
    (p.line, p.column, p.byte)
}

/// Reads `text` as `format` with the default options and checks that the first error is a
/// syntax error of that format with this message at (line, column, byte); returns it.
fn syntax_at(
    text: &str,
    format: Format,
    message: &str,
    (line, column, byte): (u64, u64, u64),
) -> Error {
    let e = error(text, format, defaults());
    syntax(&e, format.name(), message);
    assert_eq!(at(&e), (Some(line), Some(column), Some(byte)), "{e}");
    e
}

fn defaults() -> ReadOptions {
    ReadOptions::default()
}

fn max_comments(n: usize) -> ReadOptions {
    let mut o = ReadOptions::default();
    o.max_comments_per_thread = n;
    o
}

#[test]
fn commento_errors_point_at_the_value() {
    // fuzz: the export `7`
    syntax_at(
        "\n  [1, 2]\n",
        Format::Commento,
        "the export is not a JSON object",
        (2, 3, 3),
    );
    syntax_at(
        "{\"comments\": 7}",
        Format::Commento,
        "\"comments\" is not an array",
        (1, 14, 13),
    );
    let text = "{\"comments\": [\n  {\"commentHex\": \"a\", \"markdown\": \"hi\"},\n  \"b\"\n]}";
    syntax_at(
        text,
        Format::Commento,
        "comment 2 is not an object",
        (3, 3, 58),
    );
}

#[test]
fn reddit_document_errors_point_at_the_value() {
    // fuzz: the document `0`
    let message = "no Reddit listing, thing or morechildren data found";
    syntax_at("\n 42", Format::Reddit, message, (2, 2, 2));

    // a t1 without an id, nested in a comment page: where its data object starts
    let text = r#"[{"kind": "Listing", "data": {"children": [
  {"kind": "t1", "data": {"id": "a", "body": "top", "replies":
    {"kind": "Listing", "data": {"children": [
      {"kind": "t1", "data": {"body": "no id"}}]}}}}]}}]"#;
    syntax_at(text, Format::Reddit, "a t1 comment has no id", (4, 30, 183));
}

#[test]
fn activitystreams_non_object_points_at_the_value() {
    // fuzz: the document `5`
    syntax_at(
        "5",
        Format::ActivityStreams,
        "expected an object",
        (1, 1, 0),
    );

    let text = "[\n {\"id\": \"n1\", \"inReplyTo\": \"p\", \"content\": \"hi\"},\n true\n]";
    syntax_at(
        text,
        Format::ActivityStreams,
        "expected an object",
        (3, 2, 53),
    );
}

#[test]
fn remark42_tree_node_without_comment_points_at_the_node() {
    // fuzz: a node whose "comment" key was mangled
    let text = r#"{"comments": [
  {"comment": {"id": "1", "pid": "", "text": "<p>top</p>"}, "replies": [
    {"commment": {"id": "2", "pid": "1", "text": "<p>reply</p>"}}]}]}"#;
    let message = "tree node 1.1 has no \"comment\" object";
    syntax_at(text, Format::Remark42, message, (3, 5, 92));
    syntax_at(
        "{\"comments\": {}}",
        Format::Remark42,
        "\"comments\" is not an array",
        (1, 14, 13),
    );
}

#[test]
fn remark42_backup_line_that_is_not_an_object_has_its_line() {
    let text = "{\"version\": 1, \"users\": [], \"posts\": []}\n[\"not a comment\"]\n";
    let e = error(text, Format::Remark42, defaults());
    syntax(&e, "remark42", "a line is not a JSON object");
    assert_eq!((e.position().line, e.position().byte), (Some(2), Some(41)));
}

#[test]
fn isso_errors_point_at_the_value() {
    syntax_at(
        "  \"threads\"",
        Format::Isso,
        "expected a list of threads",
        (1, 3, 2),
    );
    let text = "[{\"id\": \"/a\", \"title\": \"A\"}, 3]";
    syntax_at(text, Format::Isso, "thread 2 is not an object", (1, 30, 29));
    let text = "[{\"id\": \"/a\", \"title\": \"A\", \"comments\": [\n  null]}]";
    let e = syntax_at(text, Format::Isso, "a comment is not an object", (2, 3, 44));
    assert_eq!(e.position().thread_id.as_deref(), Some("/a"));
}

#[test]
fn hackernews_item_errors_have_line_column_and_byte() {
    let text = "{\"id\": 1, \"type\": \"story\", \"title\": \"t\"}\n\n   {\"by\": \"x\"}\n";
    let message = "an item (in the JSON value starting here) has no numeric \"id\"";
    syntax_at(text, Format::HackerNews, message, (3, 4, 45));
}

#[test]
fn wpcom_html_comments_per_thread_names_the_first_comment_over() {
    let text = r#"<ol class="comment-list">
<li id="comment-1" class="comment"><div class="comment-content"><p>one</p></div></li>
<li id="comment-2" class="comment"><div class="comment-content"><p>two</p></div></li>
<li id="comment-3" class="comment"><div class="comment-content"><p>three</p></div></li>
</ol>"#;
    let e = error(text, Format::WpcomHtml, max_comments(2));
    limit(&e, "comments per thread", 2);
    assert_eq!(e.position().comment_id.as_deref(), Some("3"));
}

#[test]
fn wpcom_text_comments_per_thread_points_at_the_first_comment_over() {
    // fuzz: scraped pages with more bullets than the limit
    let text = "A post\n\n3 Comments\n\n  • First.\n\n  • Second.\n\n  • Third.\n\nLeave a Reply\n";
    let e = error(text, Format::WpcomText, max_comments(2));
    limit(&e, "comments per thread", 2);
    assert_eq!((e.position().line, e.position().byte), (Some(9), Some(49)));
    assert_eq!(&text[49..60], "  • Third");
}

#[test]
fn document_size_limit_points_at_the_first_byte_over() {
    let mut o = ReadOptions::default();
    o.max_document_bytes = 10;
    let e = error("{\"a\":\n  \"bcdefgh\"}", Format::Commento, o);
    limit(&e, "document size in bytes", 10);
    assert_eq!((e.position().line, e.position().byte), (Some(2), Some(10)));
}

#[test]
fn positions_display_with_the_error() {
    let e = error("[]", Format::Commento, defaults());
    let p: &Position = e.position();
    assert_eq!(
        e.to_string(),
        format!("{p}: invalid commento input: the export is not a JSON object")
    );
    assert!(
        e.to_string().starts_with("line 1, column 1, byte 0:"),
        "{e}"
    );
}
