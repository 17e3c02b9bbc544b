//! The JSON readers (Reddit, Hacker News, Commento, remark42, Isso, Activity Streams) on the
//! shared real fixtures and on small inputs written here.

mod common;

use commentguard::formats::{read, read_path, Format, ReadOptions};
use commentguard::{ErrorKind, Status, Thread};
use std::path::{Path, PathBuf};

fn fixture(sub: &str, name: &str, test: &str) -> Option<PathBuf> {
    common::shared("fixtures/threads", test).map(|p| p.join(sub).join(name))
}

/// Reads a file with the given format (None = auto-detect); panics on any error.
fn threads(path: &Path, format: Option<Format>) -> (Format, Vec<Thread>) {
    let ts = read_path(path, format, ReadOptions::default()).unwrap();
    let f = ts.format();
    let v: Vec<Thread> = ts.collect::<Result<_, _>>().unwrap();
    (f, v)
}

fn from_str(s: &str, format: Option<Format>) -> commentguard::Result<(Format, Vec<Thread>)> {
    let ts = read(
        std::io::Cursor::new(s.as_bytes().to_vec()),
        None,
        format,
        ReadOptions::default(),
    )?;
    let f = ts.format();
    let v = ts.collect::<Result<Vec<_>, _>>()?;
    Ok((f, v))
}

fn count(ts: &[Thread]) -> usize {
    ts.iter().map(|t| t.len()).sum()
}

fn depth(ts: &[Thread]) -> u32 {
    ts.iter().map(|t| t.max_depth()).max().unwrap_or(0)
}

/// (thread index, comment index) of the comment with this id.
fn find<'a>(ts: &'a [Thread], id: &str) -> (&'a Thread, usize) {
    for t in ts {
        if let Some(i) = t.find(id) {
            return (t, i);
        }
    }
    panic!("no comment {id}");
}

// ---------------------------------------------------------------- Reddit

#[test]
fn reddit_comment_page() {
    let Some(p) = fixture(
        "reddit",
        "reddit-3hahrw-comments.json",
        "reddit_comment_page",
    ) else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::Reddit);
    assert_eq!(ts.len(), 1);
    let t = &ts[0];
    assert_eq!(t.id, "3hahrw");
    assert_eq!(t.site.as_deref(), Some("funny")); // the post's subreddit
    assert_eq!(t.title.as_deref(), Some("Ba Dum Tsss"));
    assert_eq!(
        t.url.as_deref(),
        Some("https://www.reddit.com/r/funny/comments/3hahrw/ba_dum_tsss/")
    );
    assert_eq!(t.len(), 476);
    assert_eq!(t.max_depth(), 10);
    assert!(t.orphans().next().is_none());
    // 18 more stubs: none is a comment; 1 at top level (count 9), 6 "continue this thread"
    assert!(t
        .comments()
        .iter()
        .all(|c| c.id != "_" && c.status != Status::Placeholder));
    assert_eq!(t.missing_top_level(), 9);
    let missing: u32 = t.comments().iter().map(|c| c.missing_children).sum();
    let (_, i) = find(&ts, "cu61zil");
    assert_eq!(t.comment(i).missing_children, 1); // "continue this thread", count 0
    assert_eq!(missing, 58); // 11 "load more" counts + 6 × 1
                             // first comment and its first reply
    let c = t.comment(0);
    assert_eq!(c.id, "cu5pebp");
    assert_eq!(c.declared_parent, None);
    assert_eq!(c.author.as_deref(), Some("johnnwho"));
    assert_eq!(c.time.unwrap().timestamp(), 1439801151);
    assert_eq!(c.likes, Some(1135));
    assert_eq!(c.source_depth, None); // the old API has no depth field
    let (_, i) = find(&ts, "cu5sye5");
    assert_eq!(t.comment(i).declared_parent.as_deref(), Some("cu5pebp"));
    assert_eq!(t.parent(i), Some(0));
    // account deleted, body kept
    let (_, i) = find(&ts, "cu5v4e7");
    let c = t.comment(i);
    assert_eq!(c.author, None);
    assert_eq!(c.status, Status::Approved);
    assert!(c.text.starts_with("That lady recording"), "{}", c.text);
    // quote lines
    let (_, i) = find(&ts, "cu5tgzu");
    let c = t.comment(i);
    assert_eq!(&c.text[c.quotes[0].clone()], ">I have a glandular problem!");
    assert_eq!(t.depth(i), 3);
    let deleted = t
        .comments()
        .iter()
        .filter(|c| c.status == Status::Deleted)
        .count();
    assert_eq!(deleted, 6);
    let no_author = t.comments().iter().filter(|c| c.author.is_none()).count();
    assert_eq!(no_author, 16);
    assert!(t
        .comments()
        .iter()
        .filter(|c| c.status == Status::Deleted)
        .all(|c| c.text.is_empty() && c.raw == "[deleted]"));
}

#[test]
fn reddit_morechildren_flat() {
    let Some(p) = fixture(
        "reddit",
        "reddit-3hahrw-morechildren.json",
        "reddit_morechildren",
    ) else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::Reddit);
    assert_eq!(count(&ts), 7);
    assert_eq!(depth(&ts), 1);
    assert_eq!(ts[0].id, "3hahrw");
    let (t, i) = find(&ts, "cu5tead");
    assert_eq!(t.comment(i).declared_parent, None);
    assert_eq!(t.comment(i).author.as_deref(), Some("lava1o"));
    assert_eq!(
        t.comment(i).text,
        "He saw the chance and he took it, this kid is going places"
    );
    assert_eq!(t.comment(i).time.unwrap().timestamp(), 1439816104);
}

#[test]
fn reddit_go_reddit_post() {
    let Some(p) = fixture("reddit", "go-reddit-post.json", "reddit_go_reddit") else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::Reddit);
    assert_eq!(ts.len(), 1);
    let t = &ts[0];
    assert_eq!(t.id, "testpost");
    assert_eq!(t.title.as_deref(), Some("Test"));
    assert_eq!(t.len(), 2);
    assert_eq!(t.max_depth(), 2);
    assert_eq!(t.comment(0).id, "testc1");
    assert_eq!(t.comment(0).text, "Hi");
    assert_eq!(t.comment(0).source_depth, Some(1));
    assert_eq!(t.comment(0).time.unwrap().timestamp(), 1595068319);
    assert_eq!(t.comment(1).declared_parent.as_deref(), Some("testc1"));
    assert_eq!(t.comment(1).source_depth, Some(2));
    assert_eq!(t.parent(1), Some(0));
}

#[test]
fn reddit_praw_cassette_is_not_a_thread_file() {
    let Some(p) = fixture(
        "reddit",
        "praw-cassette-TestMore.test_comments.json",
        "reddit_praw_cassette",
    ) else {
        return;
    };
    // The cassette holds Reddit responses as escaped strings inside a Betamax container:
    // no reader may claim it as Reddit.
    // Auto-detection gives UnknownFormat; forced as Reddit it is a syntax error.
    let e = read_path(&p, None, ReadOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::UnknownFormat { .. }), "{e}");
    let e = read_path(&p, Some(Format::Reddit), ReadOptions::default())
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::Syntax {
                format: "reddit",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("no Reddit listing"), "{e}");
    assert!(e.to_string().contains("praw-cassette"), "{e}");
}

#[test]
fn reddit_pushshift_ndjson() {
    let s = concat!(
        r#"{"id":"c1","link_id":"t3_aa","parent_id":"t3_aa","author":"x","body":"first &amp; one","created_utc":1500000000}"#,
        "\n",
        r#"{"id":"c2","link_id":"t3_aa","parent_id":"t1_c1","author":"[deleted]","body":"[removed]","created_utc":"1500000001"}"#,
        "\n\n",
        r#"{"id":"c3","link_id":"t3_bb","parent_id":"t1_zz","author":"y","body":"> quoted\nown words","created_utc":1500000002.5,"subreddit":"test"}"#,
        "\n",
    );
    let (f, ts) = from_str(s, None).unwrap();
    assert_eq!(f, Format::Reddit);
    assert_eq!(ts.len(), 2);
    assert_eq!(ts[0].id, "aa");
    assert_eq!(
        (ts[0].site.as_deref(), ts[1].site.as_deref()),
        (None, Some("test"))
    );
    assert_eq!(ts[0].len(), 2);
    assert_eq!(ts[0].comment(0).text, "first &amp; one"); // no body_html: taken literally
    assert_eq!(ts[0].comment(0).offset, Some(1));
    assert_eq!(ts[0].comment(1).status, Status::Removed);
    assert_eq!(ts[0].comment(1).author, None);
    assert_eq!(ts[0].parent(1), Some(0));
    assert_eq!(ts[0].comment(1).offset, Some(2));
    assert_eq!(ts[1].id, "bb");
    let c = ts[1].comment(0);
    assert_eq!(c.declared_parent.as_deref(), Some("zz"));
    assert_eq!(ts[1].orphans().collect::<Vec<_>>(), vec![0]);
    assert_eq!(c.quotes, vec![0..8]);
    assert_eq!(c.offset, Some(4));
    assert_eq!(c.time.unwrap().timestamp_millis(), 1500000002500);
}

#[test]
fn reddit_legacy_escaping_decoded_once() {
    let s = r#"[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"p1","title":"T"}}]}},
{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"id":"a","parent_id":"t3_p1","link_id":"t3_p1",
"body":"&gt; they &amp;lt; us\n\nno","body_html":"&lt;div class=\"md\"&gt;","replies":""}}]}}]"#;
    let (_, ts) = from_str(s, Some(Format::Reddit)).unwrap();
    let c = ts[0].comment(0);
    assert_eq!(c.text, "> they &lt; us\n\nno");
    assert_eq!(c.quotes, vec![0..14]);
}

// ---------------------------------------------------------------- Hacker News

#[test]
fn hn_story_without_comments() {
    let Some(p) = fixture("hackernews", "peterhellberg-hn-8863.json", "hn_story") else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::HackerNews);
    assert_eq!(ts.len(), 1);
    let t = &ts[0];
    assert_eq!(t.id, "8863");
    assert_eq!(t.site, None); // one site: nothing to name
    assert_eq!(
        t.title.as_deref(),
        Some("My YC app: Dropbox - Throw away your USB drive")
    );
    assert_eq!(
        t.url.as_deref(),
        Some("http://www.getdropbox.com/u/2/screencast.html")
    );
    assert_eq!(t.len(), 0);
    assert_eq!(t.missing_top_level(), 33);
}

#[test]
fn hn_single_comment() {
    let Some(p) = fixture("hackernews", "peterhellberg-hn-8952.json", "hn_comment") else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::HackerNews);
    assert_eq!(count(&ts), 1);
    assert_eq!(depth(&ts), 1);
    let t = &ts[0];
    assert_eq!(t.id, "peterhellberg-hn-8952.json"); // no story in the file
    let c = t.comment(0);
    assert_eq!(c.id, "8952");
    assert_eq!(c.declared_parent.as_deref(), Some("8863"));
    assert_eq!(t.orphans().collect::<Vec<_>>(), vec![0]);
    assert_eq!(c.author.as_deref(), Some("nickb"));
    assert_eq!(c.time.unwrap().timestamp(), 1175727286);
    assert_eq!(c.missing_children, 1);
    assert_eq!(c.status, Status::Approved);
    assert!(c
        .text
        .starts_with("The only problem is that you have to install something."));
    assert!(c
        .text
        .contains("\n\nMy suggestion is to drop the \"Throw away your USB drive\" tag line"));
    assert!(c.text.ends_with("\n\nKudos for launching it!!! Launching/shipping is extremely hard and you pulled it off! Super!"));
    assert!(!c.text.contains("<p>"));
    assert!(c.quotes.is_empty());
}

#[test]
fn hn_items_kids_order_status_and_entities() {
    // story 1 with kids [3, 2, 9]; 9 is not in the file; 4 replies to 3; 5 is deleted.
    let s = std::fs::read_to_string(common::repo_data("json/hn-items.json")).unwrap();
    let s = s.as_str();
    let (f, ts) = from_str(s, None).unwrap();
    assert_eq!(f, Format::HackerNews);
    assert_eq!(ts.len(), 1);
    let t = &ts[0];
    assert_eq!(t.id, "1");
    assert_eq!(t.missing_top_level(), 1);
    let ids: Vec<&str> = t.walk().map(|v| t.comment(v.index).id.as_str()).collect();
    assert_eq!(ids, vec!["3", "4", "5", "2"]);
    let (_, i) = find(&ts, "2");
    let c = t.comment(i);
    assert_eq!(c.declared_parent, None);
    assert_eq!(
        c.text,
        "You\u{27}re right\n\n> they are vermin\n\nThat is vile."
    );
    assert_eq!(&c.text[c.quotes[0].clone()], "> they are vermin");
    assert_eq!(t.comment(t.find("4").unwrap()).status, Status::Dead);
    assert_eq!(t.comment(t.find("5").unwrap()).status, Status::Deleted);
    assert_eq!(t.comment(t.find("5").unwrap()).author, None);
    assert_eq!(t.max_depth(), 2);
}

#[test]
fn hn_ndjson_and_null() {
    let s = "{\"id\":10,\"type\":\"comment\",\"by\":\"a\",\"parent\":7,\"text\":\"x\",\"time\":1}\n{\"id\":11,\"type\":\"comment\",\"by\":\"b\",\"parent\":10,\"text\":\"y\",\"time\":2}\n";
    let (f, ts) = from_str(s, None).unwrap();
    assert_eq!(f, Format::HackerNews);
    assert_eq!(count(&ts), 2);
    assert_eq!(depth(&ts), 2);
    assert_eq!(ts[0].id, "stdin");
    let (f, ts) = from_str("null", None).unwrap();
    assert_eq!(f, Format::HackerNews);
    assert!(ts.is_empty());
}

#[test]
fn hn_item_errors_point_at_their_value() {
    // The third line's item has no id: the error names line 3 and the byte it starts at.
    let l1 =
        "{\"id\":10,\"type\":\"comment\",\"by\":\"a\",\"parent\":7,\"text\":\"x\",\"time\":1}\n";
    let l2 =
        "{\"id\":11,\"type\":\"comment\",\"by\":\"b\",\"parent\":10,\"text\":\"y\",\"time\":2}\n";
    let l3 = "  {\"type\":\"comment\",\"by\":\"c\",\"text\":\"z\"}\n";
    let s = format!("{l1}{l2}{l3}");
    let e = from_str(&s, Some(Format::HackerNews)).unwrap_err();
    assert_eq!(e.position().line, Some(3), "{e}");
    assert_eq!(
        e.position().byte,
        Some((l1.len() + l2.len() + 2) as u64),
        "{e}"
    );
    assert!(e.to_string().contains("numeric"), "{e}");
    let e = from_str(&format!("{l1}42\n"), Some(Format::HackerNews)).unwrap_err();
    assert_eq!(e.position().line, Some(2), "{e}");
}

#[test]
fn hn_algolia_tree() {
    let s = std::fs::read_to_string(common::repo_data("json/hn-algolia.json")).unwrap();
    let s = s.as_str();
    let (f, ts) = from_str(s, None).unwrap();
    assert_eq!(f, Format::HackerNews);
    let t = &ts[0];
    assert_eq!(t.id, "100");
    assert_eq!(t.title.as_deref(), Some("Ask HN"));
    assert_eq!(t.len(), 3);
    assert_eq!(t.max_depth(), 2);
    assert_eq!(t.missing_top_level(), 0);
    let c = t.comment(t.find("102").unwrap());
    assert_eq!(c.declared_parent.as_deref(), Some("101"));
    assert_eq!(c.quotes, vec![0..5]);
    assert_eq!(c.time.unwrap().timestamp(), 1600000200);
    assert_eq!(t.comment(t.find("103").unwrap()).status, Status::Deleted);
}

// ---------------------------------------------------------------- Commento, remark42, Isso

#[test]
fn commento_export() {
    let Some(p) = fixture("other", "remark42-commento-export.json", "commento_export") else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::Commento);
    assert_eq!(count(&ts), 3);
    assert_eq!(depth(&ts), 2);
    assert_eq!(ts.len(), 2);
    assert_eq!(ts[0].id, "example.com/blog/post/2");
    assert_eq!(ts[0].site.as_deref(), Some("example.com"));
    assert_eq!(ts[0].comment(0).author, None); // anonymous
    assert_eq!(ts[0].comment(0).text, "Example comment created by user.");
    assert_eq!(ts[0].comment(0).likes, Some(1));
    let t = &ts[1];
    assert_eq!(t.id, "example.com/blog/post/1");
    assert_eq!(t.comment(0).author.as_deref(), Some("User5276"));
    assert_eq!(t.comment(1).author.as_deref(), Some("Saturnin Uf"));
    assert_eq!(t.comment(1).text, "Great reply!");
    assert_eq!(t.parent(1), Some(0));
    assert_eq!(t.comment(0).declared_parent, None);
    assert_eq!(
        t.comment(1).time.unwrap().to_rfc3339(),
        "2021-05-11T15:43:01.852651+00:00"
    );
}

#[test]
fn remark42_tree() {
    let Some(p) = fixture("other", "remark42-tree.json", "remark42_tree") else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::Remark42);
    assert_eq!(ts.len(), 1);
    let t = &ts[0];
    assert_eq!(t.id, "url");
    assert_eq!(t.site.as_deref(), Some("site")); // locator.site
    assert_eq!(t.len(), 12);
    assert_eq!(t.max_depth(), 3);
    let ids: Vec<&str> = t.comments().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["1", "11", "12", "13", "131", "132", "14", "2", "21", "22", "4", "3"]
    );
    let i = t.find("131").unwrap();
    assert_eq!(t.comment(i).declared_parent.as_deref(), Some("13"));
    assert_eq!(t.depth(i), 3);
    assert_eq!(t.comment(0).declared_parent, None);
    assert_eq!(t.comment(0).time.unwrap().timestamp(), 1514231161);
}

#[test]
fn remark42_backup_ndjson() {
    let s = std::fs::read_to_string(common::repo_data("json/remark42-backup.ndjson")).unwrap();
    let s = s.as_str();
    let (f, ts) = from_str(s, None).unwrap();
    assert_eq!(f, Format::Remark42);
    assert_eq!(ts.len(), 2);
    assert_eq!(ts[0].id, "https://b/p1");
    assert_eq!(ts[0].title.as_deref(), Some("Post one"));
    assert_eq!(ts[0].comment(0).text, "Hello & welcome");
    assert_eq!(ts[0].comment(0).author.as_deref(), Some("Ann"));
    assert_eq!(ts[0].comment(1).status, Status::Deleted);
    assert_eq!(ts[0].parent(1), Some(0));
    assert_eq!(ts[1].comment(0).id, "line:4");
    assert_eq!(ts[1].comment(0).author, None);
    assert_eq!(ts[1].comment(0).text, "quoted\n\nmine");
    assert_eq!(ts[1].comment(0).quotes, vec![0..6]);
}

#[test]
fn isso_generic() {
    let Some(p) = fixture("other", "isso-generic-import.json", "isso_generic") else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::Isso);
    assert_eq!(ts.len(), 2);
    assert_eq!(count(&ts), 2);
    assert_eq!(depth(&ts), 1);
    assert_eq!(ts[0].id, "/posts/0001/");
    assert_eq!(ts[0].title.as_deref(), Some("Test+post"));
    assert_eq!(ts[1].id, "/posts/0007/");
    // the same comment id in two threads
    assert_eq!(ts[0].comment(0).id, "0");
    assert_eq!(ts[1].comment(0).id, "0");
    assert_eq!(ts[1].comment(0).author.as_deref(), Some("Richard Crinshaw"));
    assert_eq!(ts[1].comment(0).text, "Ja-make-a me crazzy mon :)");
    assert_eq!(
        ts[0].comment(0).time.unwrap().to_rfc3339(),
        "2005-02-24T04:03:37+00:00"
    );
}

// ---------------------------------------------------------------- Activity Streams

#[test]
fn as2_reply_inline_and_back_reference() {
    let Some(p) = fixture("other", "as2-vocabulary-ex112-jsonld.json", "as2_ex112") else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::ActivityStreams);
    assert_eq!(ts.len(), 1);
    let t = &ts[0];
    assert_eq!(t.id, "http://www.test.example/notes/1");
    assert_eq!(t.title.as_deref(), Some("A simple note"));
    assert_eq!(t.len(), 1);
    assert_eq!(t.max_depth(), 1);
    assert_eq!(t.comment(0).id, "#1");
    assert_eq!(t.comment(0).text, "A response to the note");
    assert_eq!(t.comment(0).declared_parent, None);
}

#[test]
fn as2_embedded_parent_without_id() {
    let Some(p) = fixture("other", "as2-vocabulary-ex83-jsonld.json", "as2_ex83") else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::ActivityStreams);
    let t = &ts[0];
    assert_eq!(t.len(), 1);
    assert_eq!(t.max_depth(), 1);
    assert_eq!(t.title.as_deref(), Some("Another note"));
    assert_eq!(t.comment(0).text, "A simple note");
    assert_eq!(t.comment(0).declared_parent, None);
}

#[test]
fn as2_parent_not_in_file() {
    let Some(p) = fixture("other", "as2-vocabulary-ex84-jsonld.json", "as2_ex84") else {
        return;
    };
    let (f, ts) = threads(&p, None);
    assert_eq!(f, Format::ActivityStreams);
    let t = &ts[0];
    assert_eq!(t.len(), 1);
    assert_eq!(t.max_depth(), 1);
    assert_eq!(
        t.comment(0).declared_parent.as_deref(),
        Some("http://example.org/posts/1")
    );
    assert_eq!(t.orphans().collect::<Vec<_>>(), vec![0]);
}

#[test]
fn as2_collection_links_arrays_tombstones_dedup() {
    let s = std::fs::read_to_string(common::repo_data("json/as2-collection.json")).unwrap();
    let s = s.as_str();
    let (f, ts) = from_str(s, None).unwrap();
    assert_eq!(f, Format::ActivityStreams);
    let t = &ts[0];
    assert_eq!(t.id, "https://s/c");
    let ids: Vec<&str> = t.comments().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["https://s/n/1", "https://s/n/2", "#3", "https://s/n/4"]
    );
    assert_eq!(t.comment(0).text, "top & first");
    assert_eq!(t.comment(0).author.as_deref(), Some("Ann"));
    assert_eq!(t.parent(1), Some(0));
    assert_eq!(t.parent(2), Some(1));
    assert_eq!(t.parent(3), Some(0));
    assert_eq!(t.comment(3).status, Status::Deleted);
    assert_eq!(t.max_depth(), 3);
    assert!(
        t.notes().iter().any(|n| n.contains("seen twice")),
        "{:?}",
        t.notes()
    );
}

// ---------------------------------------------------------------- bad and extreme inputs

/// A Reddit comment page with a chain of `levels` nested replies.
fn reddit_chain(levels: usize) -> String {
    let mut s = String::from(
        r#"[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"p","title":"T"}}]}},{"kind":"Listing","data":{"children":["#,
    );
    for i in 0..levels {
        let parent = if i == 0 {
            "t3_p".to_string()
        } else {
            format!("t1_c{}", i - 1)
        };
        s.push_str(&format!(
            r#"{{"kind":"t1","data":{{"id":"c{i}","parent_id":"{parent}","link_id":"t3_p","body":"level {i}","replies":"#
        ));
        if i + 1 < levels {
            s.push_str(r#"{"kind":"Listing","data":{"children":["#);
        } else {
            s.push_str(r#""""#);
        }
    }
    for i in (0..levels).rev() {
        s.push_str("}}");
        if i > 0 {
            s.push_str("]}}");
        }
    }
    s.push_str("]}}]");
    s
}

#[test]
fn reddit_deep_reply_chains() {
    // 5 JSON levels per reply level: 500 levels is 2,500 JSON levels, far past serde_json's
    // default of 128.
    let (_, ts) = from_str(&reddit_chain(500), None).unwrap();
    assert_eq!(ts[0].len(), 500);
    assert_eq!(ts[0].max_depth(), 500);
    assert_eq!(ts[0].comment(499).text, "level 499");
    assert_eq!(ts[0].comment(499).declared_parent.as_deref(), Some("c498"));
    // The same chain parses on a small stack: the parser's stack grows on the heap.
    let doc = reddit_chain(5_000);
    let small = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || from_str(&doc, Some(Format::Reddit)).map(|(_, ts)| ts[0].max_depth()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(small.unwrap(), 5_000);
    // Past the reader's own limit (100,000 JSON levels): a clear, positioned error.
    let e = from_str(&reddit_chain(20_010), Some(Format::Reddit)).unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::Syntax {
                format: "reddit",
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string().contains("nested deeper than 100000 levels"),
        "{e}"
    );
    assert_eq!(e.position().line, Some(1));
    assert!(e.position().byte.unwrap() > 1_000_000, "{:?}", e.position());
}

#[test]
fn flat_shapes_have_no_depth_limit() {
    // HN: 100,000 comments each replying to the previous one.
    let n = 100_000;
    let mut s = String::from(
        "{\"id\":1,\"type\":\"story\",\"by\":\"a\",\"title\":\"deep\",\"kids\":[2]}\n",
    );
    for i in 2..n + 2 {
        s.push_str(&format!(
            "{{\"id\":{i},\"type\":\"comment\",\"by\":\"u\",\"parent\":{},\"text\":\"t\"}}\n",
            i - 1
        ));
    }
    let (f, ts) = from_str(&s, None).unwrap();
    assert_eq!(f, Format::HackerNews);
    assert_eq!(ts[0].len(), n);
    assert_eq!(ts[0].max_depth(), n as u32);
    // Reddit morechildren: 20,000 things in a chain.
    let mut things = Vec::new();
    for i in 0..20_000 {
        let parent = if i == 0 {
            "t3_p".to_string()
        } else {
            format!("t1_c{}", i - 1)
        };
        things.push(format!(
            r#"{{"kind":"t1","data":{{"id":"c{i}","parent_id":"{parent}","link_id":"t3_p","body":"b","replies":""}}}}"#
        ));
    }
    let s = format!(
        r#"{{"json":{{"errors":[],"data":{{"things":[{}]}}}}}}"#,
        things.join(",")
    );
    let (f, ts) = from_str(&s, None).unwrap();
    assert_eq!(f, Format::Reddit);
    assert_eq!(ts[0].max_depth(), 20_000);
}

#[test]
fn truncated_json_reports_line_and_column() {
    let cases: &[(Format, &str)] = &[
        (
            Format::Reddit,
            "[{\"kind\":\"Listing\",\n\"data\":{\"children\":[{\"kind\":\"t1\",\"da",
        ),
        (
            Format::HackerNews,
            "{\"id\":1,\"type\":\"story\",\n\"by\":\"a\",\"ti",
        ),
        (
            Format::Commento,
            "{\"version\":1,\n\"comments\":[{\"commentHex\":\"a\"",
        ),
        (
            Format::Remark42,
            "{\"comments\":[{\"comment\":\n{\"id\":\"1\",\"pid\":\"\"",
        ),
        (
            Format::Isso,
            "[{\"id\":\"/p/\",\"title\":\"t\",\n\"comments\":[{\"id\":0,",
        ),
        (
            Format::ActivityStreams,
            "{\"type\":\"Note\",\n\"inReplyTo\":\"x\",\"content\":\"<p>",
        ),
    ];
    for (f, s) in cases {
        let e = from_str(s, Some(*f)).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Syntax { .. }), "{f}: {e}");
        assert!(e.to_string().contains("truncated"), "{f}: {e}");
        assert_eq!(e.position().line, Some(2), "{f}: {e}");
        let last = s.lines().last().unwrap().chars().count() as u64;
        assert_eq!(e.position().column, Some(last + 1), "{f}: {e}");
        assert_eq!(e.position().byte, Some(s.len() as u64), "{f}: {e}");
        // auto-detection picks the same format from the cut head
        let (_, detected) = match from_str(s, None) {
            Ok(_) => panic!("{f}: truncated input accepted"),
            Err(e) => (f, e),
        };
        assert!(
            matches!(detected.kind(), ErrorKind::Syntax { .. }),
            "{f}: {detected}"
        );
    }
}

#[test]
fn bad_json_in_the_middle_of_ndjson_is_one_error() {
    let s = concat!(
        r#"{"id":"c1","link_id":"t3_aa","parent_id":"t3_aa","body":"one","created_utc":1}"#,
        "\n",
        r#"{"id":"c2","link_id":"t3_aa","parent_id":"t1_c1","body":"#,
        "\n",
        r#"{"id":"c3","link_id":"t3_aa","parent_id":"t1_c1","body":"three","created_utc":3}"#,
        "\n",
    );
    let ts = read(
        std::io::Cursor::new(s.as_bytes().to_vec()),
        None,
        Some(Format::Reddit),
        ReadOptions::default(),
    )
    .unwrap();
    let items: Vec<_> = ts.collect();
    assert_eq!(items.len(), 2);
    let e = items[0].as_ref().unwrap_err();
    assert!(
        matches!(
            e.kind(),
            ErrorKind::Syntax {
                format: "reddit",
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(e.position().line, Some(2));
    let line2 = s.lines().nth(1).unwrap();
    assert_eq!(e.position().column, Some(line2.len() as u64 + 1));
    assert_eq!(
        e.position().byte,
        Some((s.lines().next().unwrap().len() + 1 + line2.len()) as u64)
    );
    let t = items[1].as_ref().unwrap();
    assert_eq!(t.len(), 2);
    assert_eq!(t.comment(1).id, "c3");
}

#[test]
fn invalid_utf8_has_a_position() {
    let mut doc = br#"{"version":1,"comments":[{"commentHex":"a","markdown":"ok"},
{"commentHex":"b","markdown":"bad "#
        .to_vec();
    let at = doc.len();
    doc.extend_from_slice(b"\xff\"}],\"commenters\":[]}");
    let ts = read(
        std::io::Cursor::new(doc),
        None,
        None,
        ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(ts.format(), Format::Commento);
    let e = ts.collect::<Result<Vec<_>, _>>().unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::InvalidUtf8), "{e}");
    assert_eq!(e.position().byte, Some(at as u64));
    assert_eq!(e.position().line, Some(2));
    // NDJSON: the bad line is an error, the other lines still read
    let mut nd = br#"{"id":"c1","link_id":"t3_aa","parent_id":"t3_aa","body":"one"}"#.to_vec();
    nd.extend_from_slice(
        b"\n{\"id\":\"c2\",\"link_id\":\"t3_aa\",\"parent_id\":\"t3_aa\",\"body\":\"",
    );
    let bad = nd.len();
    nd.extend_from_slice(b"\xfe\"}\n");
    let items: Vec<_> = read(std::io::Cursor::new(nd), None, None, ReadOptions::default())
        .unwrap()
        .collect();
    assert_eq!(items.len(), 2);
    let e = items[0].as_ref().unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::InvalidUtf8), "{e}");
    assert_eq!(e.position().line, Some(2));
    assert_eq!(e.position().byte, Some(bad as u64));
    assert_eq!(items[1].as_ref().unwrap().len(), 1);
}

#[test]
fn cycles_via_parent_ids_are_broken() {
    // HN: 5 -> 6 -> 5, and 7 replies to itself; no story in the file.
    let s = r#"[{"id":5,"type":"comment","by":"a","parent":6,"text":"x"},
{"id":6,"type":"comment","by":"b","parent":5,"text":"y"},
{"id":7,"type":"comment","by":"c","parent":7,"text":"z"}]"#;
    let (_, ts) = from_str(s, None).unwrap();
    assert_eq!(ts.len(), 1);
    let t = &ts[0];
    assert_eq!(t.len(), 3);
    let broken: Vec<&str> = t
        .cycles_broken()
        .map(|i| t.comment(i).id.as_str())
        .collect();
    assert_eq!(broken, vec!["5", "7"]);
    assert_eq!(t.max_depth(), 2);
    // Reddit flat: a -> b -> a
    let s = r#"{"json":{"errors":[],"data":{"things":[
{"kind":"t1","data":{"id":"a","parent_id":"t1_b","link_id":"t3_p","body":"1","replies":""}},
{"kind":"t1","data":{"id":"b","parent_id":"t1_a","link_id":"t3_p","body":"2","replies":""}}]}}}"#;
    let (_, ts) = from_str(s, None).unwrap();
    let t = &ts[0];
    assert_eq!(t.len(), 2);
    assert_eq!(t.cycles_broken().count(), 1);
    assert_eq!(t.max_depth(), 2);
    // Commento: a comment that is its own parent
    let s = r#"{"version":1,"comments":[{"commentHex":"x","parentHex":"x","markdown":"m","url":"/p"}],"commenters":[]}"#;
    let (_, ts) = from_str(s, None).unwrap();
    assert_eq!(ts[0].cycles_broken().collect::<Vec<_>>(), vec![0]);
}

#[test]
fn duplicate_ids_are_kept_and_reported() {
    let s = r#"{"json":{"errors":[],"data":{"things":[
{"kind":"t1","data":{"id":"a","parent_id":"t3_p","link_id":"t3_p","body":"first","replies":""}},
{"kind":"t1","data":{"id":"a","parent_id":"t3_p","link_id":"t3_p","body":"again","replies":""}},
{"kind":"t1","data":{"id":"r","parent_id":"t1_a","link_id":"t3_p","body":"reply","replies":""}}]}}}"#;
    let (_, ts) = from_str(s, None).unwrap();
    let t = &ts[0];
    assert_eq!(t.len(), 3);
    assert_eq!(t.duplicate_ids().collect::<Vec<_>>(), vec![1]);
    assert_eq!(t.parent(2), Some(0));
    let s = r#"[{"id":"/p/","title":"t","comments":[{"id":1,"text":"a"},{"id":1,"text":"b"}]}]"#;
    let (f, ts) = from_str(s, None).unwrap();
    assert_eq!(f, Format::Isso);
    assert_eq!(ts[0].duplicate_ids().collect::<Vec<_>>(), vec![1]);
}

#[test]
fn sniffers_leave_other_json_alone() {
    let ours = [
        Format::Reddit,
        Format::HackerNews,
        Format::Commento,
        Format::Remark42,
        Format::Isso,
        Format::ActivityStreams,
    ];
    for head in [
        &br#"{"id":"1","parent":null,"author":"a","time":"2020-01-01T00:00:00Z","text":"hi"}"#[..],
        &br#"{"id":2,"parent":1,"text":"a reply","thread":"t"}"#[..],
        &br#"{"interactions":[{"response":{"body":{"string":"[{\"kind\": \"Listing\"}]"}}}]}"#[..],
        &b"[1, 2, 3]"[..],
    ] {
        let f = commentguard::detect(head, None);
        assert!(
            !f.is_some_and(|f| ours.contains(&f)),
            "{:?} claimed {}",
            f,
            String::from_utf8_lossy(head)
        );
    }
    // heads cut mid-way are still recognised
    assert_eq!(
        commentguard::detect(br#"[{"kind": "Listing", "data": {"chil"#, None),
        Some(Format::Reddit)
    );
    assert_eq!(
        commentguard::detect(br#"{"by":"pg","id":1,"kids":[15,"#, None),
        Some(Format::HackerNews)
    );
    assert_eq!(
        commentguard::detect(br#"{"version":1,"comments":[{"commentHex":"ab"#, None),
        Some(Format::Commento)
    );
    assert_eq!(
        commentguard::detect(br#"{"version":1,"users":[],"posts":[]}"#, None),
        Some(Format::Remark42)
    );
    assert_eq!(
        commentguard::detect(br#"[{"comments": [{"id": 0}], "title": "x"#, None),
        Some(Format::Isso)
    );
    assert_eq!(
        commentguard::detect(
            br#"{"@context":"https://www.w3.org/ns/activitystreams","type":"No"#,
            None
        ),
        Some(Format::ActivityStreams)
    );
}

#[test]
fn cut_and_damaged_inputs_never_panic() {
    let Some(dir) = common::shared("fixtures/threads", "cut_and_damaged_inputs") else {
        return;
    };
    let formats = [
        Format::Reddit,
        Format::HackerNews,
        Format::Commento,
        Format::Remark42,
        Format::Isso,
        Format::ActivityStreams,
    ];
    let files = [
        "reddit/go-reddit-post.json",
        "reddit/reddit-3hahrw-morechildren.json",
        "hackernews/peterhellberg-hn-8952.json",
        "other/remark42-commento-export.json",
        "other/remark42-tree.json",
        "other/isso-generic-import.json",
        "other/as2-vocabulary-ex112-jsonld.json",
    ];
    let mut runs = 0;
    for f in files {
        let bytes = std::fs::read(dir.join(f)).unwrap();
        for cut in (0..bytes.len()).step_by(13) {
            let mut damaged = bytes.clone();
            damaged[cut] = [b'"', b'{', b']', 0xff][cut % 4];
            for input in [bytes[..cut].to_vec(), damaged] {
                for format in formats {
                    let r = read(
                        std::io::Cursor::new(input.clone()),
                        None,
                        Some(format),
                        ReadOptions::default(),
                    );
                    if let Ok(ts) = r {
                        for t in ts.flatten() {
                            let _ = t.max_depth();
                        }
                    }
                    runs += 1;
                }
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}
