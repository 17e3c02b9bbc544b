//! Scraped WordPress.com pages: plain text (`wpcom-text`) and page HTML (`wpcom-html`).
//!
//! Shared fixtures (seeds, the blog.wordpress.com page and its w3m/lynx dumps) are read from
//! `../shared` through `common::shared` (skipped with a visible line when absent); our own
//! small samples live in `tests/data/wpcom/`.

mod common;

use commentguard::formats::{read, read_path};
use commentguard::{detect, Format, ReadOptions, Status, Thread};
use std::path::{Path, PathBuf};

fn one_thread(path: &Path) -> (Format, Thread) {
    let threads = read_path(path, None, ReadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let format = threads.format();
    let mut all: Vec<Thread> = threads
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(all.len(), 1, "{}", path.display());
    (format, all.remove(0))
}

fn text_thread(s: &str) -> Thread {
    common::one_thread_of(s, Format::WpcomText)
}

fn depths(t: &Thread) -> Vec<u32> {
    t.walk().map(|v| v.depth).collect()
}

fn ids(t: &Thread) -> Vec<String> {
    t.walk().map(|v| v.comment.id.clone()).collect()
}

fn seed(dir: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no seed {prefix} in {}", dir.display()))
}

fn sample(name: &str) -> PathBuf {
    common::repo_data(&format!("wpcom/{name}"))
}

#[test]
fn seed_000_thread() {
    let Some(dir) = common::shared("seeds", "seed_000_thread") else {
        return;
    };
    let path = seed(&dir, "000_");
    let (format, t) = one_thread(&path);
    assert_eq!(format, Format::WpcomText);
    assert_eq!(t.len(), 7);
    assert_eq!(depths(&t), [1, 1, 2, 3, 4, 1, 2]);
    assert_eq!(ids(&t), ["1", "2", "2.1", "2.1.1", "2.1.1.1", "3", "3.1"]);
    assert_eq!(
        t.title.as_deref(),
        Some(
            "Putin Calls For Pact With U.S. To Avoid ‘Digital Sphere’ Election\u{a0}Confrontations"
        )
    );
    assert_eq!(t.id, path.file_name().unwrap().to_str().unwrap());
    let c: Vec<_> = t.walk().map(|v| v.comment).collect();
    // Comment 3 in walk order (depth 2) holds the dehumanising phrase.
    assert!(c[2].text.contains("eastern scum"), "{}", c[2].text);
    assert!(c.iter().filter(|c| c.text.contains("eastern scum")).count() == 1);
    let likes: Vec<Option<i64>> = c.iter().map(|c| c.likes).collect();
    assert_eq!(
        likes,
        [Some(3), Some(3), Some(3), Some(1), None, Some(3), Some(3)]
    );
    // The second comment has two paragraphs; chrome is gone from every body.
    assert!(c[1]
        .text
        .starts_with("Anything the people at facebook say can’t be trusted"));
    assert!(c[1].text.contains("regime.\n\nEuromaidan published"));
    for x in &c {
        assert!(!x.text.contains("Liked by"), "{}", x.text);
        assert!(!x.text.contains("Leave a Reply"));
        assert!(!x.text.contains("Russian dictator Vladimir Putin"));
        assert!(!x.text.contains("Reuters reported"));
        assert!(x.offset_is_line);
    }
    assert_eq!(c[0].offset, Some(30));
    assert!(c[0].text.starts_with("Looks like the latest US sanctions"));
    assert_eq!(c[6].source_depth, Some(2));
    assert!(t.notes().is_empty(), "{:?}", t.notes());

    // The same page with CRLF line ends and tabs for the first two columns of indentation.
    let crlf = std::fs::read_to_string(&path)
        .unwrap()
        .replace('\n', "\r\n")
        .replace("\r\n        ", "\r\n\t");
    let t2 = text_thread(&crlf);
    assert_eq!(depths(&t2), [1, 1, 2, 3, 4, 1, 2]);
    let texts = |t: &Thread| {
        t.comments()
            .iter()
            .map(|c| c.text.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(texts(&t2), texts(&t));
}

#[test]
fn seeds_without_threads() {
    let Some(dir) = common::shared("seeds", "seeds_without_threads") else {
        return;
    };
    let titles = [
        (
            "001_",
            "Report points to Russian interference in 2020 US presidential election",
        ),
        (
            "002_",
            "Kremlin denies US claims of ‘election interference’",
        ),
        ("003_", "January 25, 2021"),
        ("004_", "Putin’s Love For Election Interference"),
    ];
    for (prefix, title) in titles {
        let (format, t) = one_thread(&seed(&dir, prefix));
        assert_eq!(format, Format::WpcomText, "{prefix}");
        assert_eq!(t.len(), 0, "{prefix}");
        assert_eq!(t.title.as_deref(), Some(title), "{prefix}");
    }
}

const HTML: &str = "wpcom-text/trafilatura-blog.wordpress.com.diverse.html";
const W3M: &str = "wpcom-text/derived/trafilatura-blog.wordpress.com.diverse.w3m-dump.txt";
const LYNX: &str = "wpcom-text/derived/trafilatura-blog.wordpress.com.diverse.lynx-dump.txt";
const HTML_DEPTHS: [u32; 13] = [1, 2, 3, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1];

#[test]
fn html_fixture_depths_match_classes() {
    let Some(dir) = common::shared("fixtures/threads", "html_fixture_depths_match_classes") else {
        return;
    };
    let (format, t) = one_thread(&dir.join(HTML));
    assert_eq!(format, Format::WpcomHtml);
    assert_eq!(t.len(), 13);
    assert_eq!(t.max_depth(), 3);
    assert_eq!(depths(&t), HTML_DEPTHS);
    for v in t.walk() {
        assert_eq!(v.comment.source_depth, Some(v.depth), "{}", v.comment.id);
    }
    let c: Vec<_> = t.walk().map(|v| v.comment).collect();
    assert_eq!(c[0].id, "411811");
    assert_eq!(c[1].id, "411829");
    assert_eq!(c[2].id, "411831");
    assert_eq!(c[2].declared_parent.as_deref(), Some("411829"));
    assert_eq!(c[0].author.as_deref(), Some("JanBeek"));
    assert_eq!(c[1].author.as_deref(), Some("Andrea Middleton"));
    assert_eq!(c[0].likes, Some(21));
    assert_eq!(c[1].likes, Some(25));
    assert!(c[0].text.starts_with("Are there workshops available"));
    assert!(c[0].text.ends_with("worthwhile to share?"), "{}", c[0].text);
    assert!(!c.iter().any(|c| c.text.contains("Liked by")));
    assert!(c[1].text.contains("then it\u{2019}s definitely available"));
    assert_eq!(
        t.title.as_deref(),
        Some("Want to See a More Diverse WordPress Contributor Community? So Do We. — The WordPress.com Blog")
    );
    assert_eq!(
        t.notes(),
        ["3 reply list(s) placed after their parent's </li>: read as that comment's replies"]
    );
}

#[test]
fn w3m_dump_matches_html() {
    let Some(dir) = common::shared("fixtures/threads", "w3m_dump_matches_html") else {
        return;
    };
    let (format, t) = one_thread(&dir.join(W3M));
    assert_eq!(format, Format::WpcomText);
    assert_eq!(t.len(), 13);
    assert_eq!(t.max_depth(), 3);
    assert_eq!(depths(&t), HTML_DEPTHS);
    let c: Vec<_> = t.walk().map(|v| v.comment).collect();
    assert_eq!(c[0].author.as_deref(), Some("JanBeek"));
    assert_eq!(c[1].author.as_deref(), Some("Andrea Middleton"));
    assert_eq!(
        c[3].author.as_deref(),
        Some("Jess Kitching, The Good In Every Day")
    );
    assert_eq!(c[0].text, "Are there workshops available for an 80 year-old WordPress enthusiast participant to learn how to share her joy in blog sharing with other seniors who have something worthwhile to share?");
    let likes: Vec<i64> = c.iter().map(|c| c.likes.unwrap()).collect();
    assert_eq!(likes, [21, 25, 5, 17, 23, 5, 5, 5, 6, 5, 6, 7, 7]);
    assert_eq!(c[12].text, "Love this!!");
    assert_eq!(c[12].id, "10");
    assert_eq!(c[2].id, "1.1.1");
    assert!(t.notes().is_empty(), "{:?}", t.notes());
}

#[test]
fn lynx_dump_under_reports_one_depth() {
    let Some(dir) = common::shared("fixtures/threads", "lynx_dump_under_reports_one_depth") else {
        return;
    };
    let (format, t) = one_thread(&dir.join(LYNX));
    assert_eq!(format, Format::WpcomText);
    assert_eq!(t.len(), 13);
    // lynx draws the depth-3 reply at the depth-2 column: it reads as a sibling.
    assert_eq!(t.max_depth(), 2);
    assert_eq!(depths(&t), [1, 2, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1]);
    let c: Vec<_> = t.walk().map(|v| v.comment).collect();
    assert_eq!(c[2].author.as_deref(), Some("JanBeek"));
    assert_eq!(c[2].id, "1.2");
    assert_eq!(c[0].likes, Some(21));
    assert_eq!(c[12].text, "Love this!!");
    assert_eq!(t.notes().len(), 1, "{:?}", t.notes());
    assert!(
        t.notes()[0].starts_with("lynx-style rendering"),
        "{:?}",
        t.notes()
    );
}

#[test]
fn tabs_and_nbsp_indentation() {
    let (format, t) = one_thread(&sample("tabs_nbsp.txt"));
    assert_eq!(format, Format::WpcomText);
    assert_eq!(t.title.as_deref(), Some("Tabs and spaces: a test post"));
    assert_eq!(ids(&t), ["1", "1.1", "2", "2.1"]);
    assert_eq!(depths(&t), [1, 2, 1, 2]);
    let c: Vec<_> = t.walk().map(|v| v.comment).collect();
    let likes: Vec<Option<i64>> = c.iter().map(|c| c.likes).collect();
    assert_eq!(likes, [Some(2), Some(1), None, Some(3)]);
    assert_eq!(
        c[2].text,
        "Second top-level comment, eight plain spaces. Its text wraps onto a second line."
    );
    assert_eq!(c[1].text, "A reply, tab plus two no-break spaces.");
    assert_eq!(c[0].offset, Some(10));
    assert!(!c.iter().any(|c| c.text.contains("article")));
}

#[test]
fn commenters_own_list_is_not_a_reply() {
    let (_, t) = one_thread(&sample("own_list.txt"));
    assert_eq!(ids(&t), ["1", "1.1", "2", "3"]);
    assert_eq!(depths(&t), [1, 2, 1, 1]);
    let c = &t.comments()[0];
    assert_eq!(
        c.text,
        "Here is my advice for the garden:\n\n• water in the morning\n• mulch the beds\n\nAnd that is all."
    );
    assert_eq!(c.likes, Some(4));
    assert_eq!(t.comments()[1].text, "Thanks, that helps a lot.");
    assert_eq!(t.comments()[2].likes, None);
    assert_eq!(t.title.as_deref(), Some("Garden post title"));
    assert_eq!(t.notes().len(), 1);
    assert!(t.notes()[0].starts_with("1 bulleted line(s) inside a comment"));
}

#[test]
fn reply_to_a_comment_nobody_liked() {
    // Seed-style scrapes print no Like line for 0 likes: what follows decides.
    let t = text_thread(
        "Post title\n\nArticle.\n\n  • Parent with no likes.\n\n    • A reply to it.\n\n      Liked by 2 people\n\n  • Next top-level.\n\nLeave a Reply\n",
    );
    assert_eq!(ids(&t), ["1", "1.1", "2"]);
    assert_eq!(depths(&t), [1, 2, 1]);
    assert_eq!(t.comments()[1].likes, Some(2));
    assert_eq!(t.notes().len(), 1);
    assert!(t.notes()[0].starts_with("1 bulleted line(s) inside a comment with no Like/Reply line before them were read as replies"));
}

#[test]
fn marker_only_lines_and_dates_at_line_start() {
    let (_, t) = one_thread(&sample("w3m_marker_only.txt"));
    assert_eq!(ids(&t), ["1", "1.1", "2"]);
    assert_eq!(depths(&t), [1, 2, 1]);
    let c = t.comments();
    assert_eq!(c[0].author.as_deref(), Some("Maria"));
    assert_eq!(c[0].text, "Schöne Rosen! Welche Sorte ist das?");
    assert_eq!(c[1].author.as_deref(), Some("Autorin"));
    assert_eq!(c[1].text, "Das ist eine Kletterrose.");
    assert_eq!(c[2].author, None);
    assert_eq!(c[2].text, "Pingback: Rosen im Juni – ein anderer Blog");
    assert_eq!(c[2].offset, Some(26));
    assert_eq!(c[2].kind, commentguard::CommentKind::Pingback);
    assert_eq!(t.title.as_deref(), Some("Ein Beitrag über Rosen"));
    assert!(t.notes().is_empty(), "{:?}", t.notes());
}

#[test]
fn pagination_orphans() {
    let (_, t) = one_thread(&sample("pagination.txt"));
    let c = t.comments();
    let got: Vec<(&str, Option<&str>, Option<u32>)> = c
        .iter()
        .map(|c| (c.id.as_str(), c.declared_parent.as_deref(), c.source_depth))
        .collect();
    assert_eq!(
        got,
        [
            ("0.1", Some("0"), Some(2)),
            ("0.2", Some("0"), Some(2)),
            ("1", None, Some(1)),
            ("1.1", Some("1"), Some(2)),
        ]
    );
    assert_eq!(t.orphans().collect::<Vec<_>>(), [0, 1]);
    assert_eq!(depths(&t), [1, 1, 1, 2]);
    assert_eq!(t.notes().len(), 2, "{:?}", t.notes());
    assert!(t.notes()[0].contains("paginated (Older/Newer Comments)"));
    assert!(t.notes()[1].starts_with("2 comment(s) start below the top level"));
}

#[test]
fn flattened_scrape_is_flagged() {
    let (_, t) = one_thread(&sample("flattened.txt"));
    assert_eq!(ids(&t), ["1", "2", "3", "4"]);
    assert_eq!(depths(&t), [1, 1, 1, 1]);
    let c = t.comments();
    let authors: Vec<Option<&str>> = c.iter().map(|c| c.author.as_deref()).collect();
    assert_eq!(authors, [Some("Alice"), Some("Bob"), None, Some("Dave")]);
    let texts: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "First comment text.",
            "Second comment, wrapped over two lines.",
            "Third comment without a header.",
            "Last comment with no like line."
        ]
    );
    let likes: Vec<Option<i64>> = c.iter().map(|c| c.likes).collect();
    assert_eq!(likes, [Some(1), None, Some(12), None]);
    assert!(c.iter().all(|c| c.source_depth.is_none()));
    assert_eq!(t.notes().len(), 1);
    assert!(
        t.notes()[0].starts_with("flattened scrape"),
        "{:?}",
        t.notes()
    );
}

#[test]
fn saturation_at_max_depth_is_noted() {
    let (_, t) = one_thread(&sample("saturation.txt"));
    assert_eq!(depths(&t), [1, 2, 3, 4, 5, 5, 1]);
    assert_eq!(ids(&t)[5], "1.1.1.1.2");
    assert_eq!(t.comments()[6].status, Status::Pending);
    assert_eq!(t.comments()[6].text, "Another top-level comment.");
    assert_eq!(t.notes().len(), 1);
    assert!(
        t.notes()[0].contains("deepest indentation level (5)"),
        "{:?}",
        t.notes()
    );
}

#[test]
fn article_bullets_without_comments() {
    let (format, t) = one_thread(&sample("no_comments.txt"));
    assert_eq!(format, Format::WpcomText);
    assert_eq!(t.len(), 0);
    assert_eq!(t.title.as_deref(), Some("A list article"));
    // A wrapped line starting with "-" is not a comment start in a blank-separated scrape.
    let t = text_thread(
        "Post\n\n2 Comments\n\n  • One says that\n    - this dash line is wrapped text\n\n    Liked by 1 person\n\n  • Two.\n",
    );
    assert_eq!(t.len(), 2);
    assert_eq!(
        t.comments()[0].text,
        "One says that\n- this dash line is wrapped text"
    );
}

#[test]
fn own_html_sample() {
    let (format, t) = one_thread(&sample("nested.html"));
    assert_eq!(format, Format::WpcomHtml);
    assert_eq!(t.title.as_deref(), Some("Nested & tidy: a test page"));
    assert_eq!(
        t.url.as_deref(),
        Some("https://example.wordpress.com/2024/01/02/nested/")
    );
    assert_eq!(ids(&t), ["10", "11", "12", "13"]);
    assert_eq!(depths(&t), [1, 2, 1, 1]);
    let c = t.comments();
    assert_eq!(c[0].author.as_deref(), Some("Ann"));
    assert_eq!(
        c[0].text,
        "First & foremost.\n\na quoted line\n\nMy own words."
    );
    assert_eq!(&c[0].text[c[0].quotes[0].clone()], "a quoted line");
    assert_eq!(c[0].time.unwrap().to_rfc3339(), "2024-01-02T10:00:00+00:00");
    assert_eq!(c[1].author.as_deref(), Some("Ben"));
    assert_eq!(c[1].text, "A reply.");
    assert_eq!(c[1].likes, Some(1));
    assert_eq!(c[1].status, Status::Pending);
    assert_eq!(c[2].kind, commentguard::CommentKind::Pingback);
    assert_eq!(c[2].text, "Pingback: Another blog");
    assert_eq!(c[3].author.as_deref(), Some("Cleo"));
    assert_eq!(c[3].text, "Third.");
    assert!(t.notes().is_empty(), "{:?}", t.notes());
}

#[test]
fn html_without_comments_and_deep_misplaced_lists() {
    let t = {
        let mut v: Vec<Thread> = read(
            std::io::Cursor::new(b"<!DOCTYPE html><title>T</title><p>no comments</p>".to_vec()),
            None,
            None,
            ReadOptions::default(),
        )
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
        v.remove(0)
    };
    assert_eq!((t.len(), t.title.as_deref()), (0, Some("T")));

    // Reply lists after their parent's </li> (the blog.wordpress.com shape), and reply
    // lists inside the parent <li> (the usual shape), both nested deep.
    let n = 3_000;
    for close in ["</li>", ""] {
        let mut html = String::from("<!DOCTYPE html><ol class=\"commentlist\">");
        for i in 1..=n {
            html.push_str(&format!(
                "<li class=\"comment depth-{i}\" id=\"comment-{i}\"><div class=\"comment-content\"><p>c{i}</p></div>{close}<ul class=\"children\">"
            ));
        }
        let mut v: Vec<Thread> = read(
            std::io::Cursor::new(html.into_bytes()),
            None,
            None,
            ReadOptions::default(),
        )
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
        let t = v.remove(0);
        assert_eq!(t.len(), n);
        assert_eq!(t.max_depth(), n as u32);
        assert!(t.walk().all(|v| v.comment.source_depth == Some(v.depth)));
        assert_eq!(t.comments()[n - 1].text, format!("c{n}"));
        assert_eq!(t.notes().len(), if close.is_empty() { 0 } else { 1 });
    }
}

#[test]
fn deep_text_chain_is_iterative() {
    // Each level needs its own column, so a text chain grows quadratically; 2,000 levels
    // (~4 MB) exercise the same iterative code as the 100,000-level unit test on `link`.
    let n = 2_000;
    let mut s = String::from("Deep\n\n1 Comment\n\n");
    for i in 0..n {
        s.push_str(&" ".repeat(2 * i + 2));
        s.push_str("• x\n");
    }
    let t = text_thread(&s);
    assert_eq!(t.len(), n);
    assert_eq!(t.max_depth(), n as u32);
}

#[test]
fn never_panics_on_other_inputs() {
    let odd = [
        "",
        "•",
        "1.",
        "\t\t•",
        "  • \n    • \n",
        "Leave a Reply",
        "13 Comments",
        "13 Comments\n• a\nLiked by 1 person\n   • b\n\n• c\nReply\n",
        "2 Comments\n\nLike\nLikeLike\nReply\n",
        "x\n\n  \u{a0}\u{2003}•\u{a0}\n\tLiked by 99999999999999999999 people",
        "Post\n\n  • Likely not chrome\n\n    Liked by 2 people\n\nLeave a comment",
    ];
    for s in odd {
        let t = text_thread(s);
        assert!(t.walk().count() == t.len(), "{s:?}");
    }
    let t = text_thread(odd[10]);
    assert_eq!(
        (t.len(), t.comments()[0].text.as_str()),
        (1, "Likely not chrome")
    );
    assert_eq!(t.comments()[0].likes, Some(2));
    // A long sentence that starts with a number and "comments" is not a heading.
    let t = text_thread("13 comments were deleted yesterday by the moderators\n\n  • a\n");
    assert_eq!(t.len(), 0);

    let Some(dir) = common::shared("fixtures/threads", "never_panics_on_other_inputs") else {
        return;
    };
    let mut stack = vec![dir];
    let mut files = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            files += 1;
            for f in [Format::WpcomText, Format::WpcomHtml] {
                if let Ok(threads) = read_path(&p, Some(f), ReadOptions::default()) {
                    for t in threads.flatten() {
                        assert_eq!(t.walk().count(), t.len(), "{}", p.display());
                    }
                }
            }
        }
    }
    assert!(files >= 20, "{files}");
}

#[test]
fn detection() {
    let cut = "ok \u{e9}".as_bytes();
    assert_eq!(detect(&cut[..cut.len() - 1], None), Some(Format::WpcomText));
    assert_eq!(detect(b"ok \xff\xfe more", None), None);
    assert_eq!(detect(b"  \n", None), None);
    assert_eq!(
        detect(b"<div><ol class=\"commentlist\"><li>", None),
        Some(Format::WpcomHtml)
    );
    assert_eq!(
        detect(b"Just some text\n\n  \xe2\x80\xa2 a bullet\n", None),
        Some(Format::WpcomText)
    );
    assert_eq!(
        detect(b"<!DOCTYPE html><html>", None),
        Some(Format::WpcomHtml)
    );
    assert_eq!(detect(b"\x00\x01\x02 binary junk", None), None);
    let e = read(
        &b"\x00\x01\x02 binary junk"[..],
        None,
        None,
        ReadOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(
        e.kind(),
        commentguard::ErrorKind::UnknownFormat { .. }
    ));
}
