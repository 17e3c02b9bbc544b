//! `commentguard score --output html`: the page's structure checked against the JSONL records
//! of the same input, hostile text escaped, and a screenshot in headless Chromium.

mod common;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_commentguard"))
}

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/sample-thread.txt")
}

/// A JSONL thread file with hostile markup in thread ids, authors, comment ids and texts, a bad
/// line (an error record), and flagged comments.
fn hostile() -> PathBuf {
    common::repo_data("report/hostile.jsonl")
}

/// Runs `score --quiet` with these arguments; returns stdout (errors in the input give exit 1).
fn score(args: &[&str], files: &[&Path]) -> String {
    let out = bin()
        .arg("score")
        .arg("--quiet")
        .args(args)
        .args(files)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn jsonl(files: &[&Path]) -> Vec<Value> {
    score(&[], files)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text().collect()
}

/// The comment records (not the error records), in order.
fn comments(recs: &[Value]) -> Vec<&Value> {
    recs.iter().filter(|r| r.get("error").is_none()).collect()
}

#[test]
fn html_has_every_comment_once_with_depth_flags_and_reason_spans() {
    let files = [hostile(), sample()];
    let files: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let recs = jsonl(&files);
    let page = score(&["--output", "html"], &files);
    let doc = Html::parse_document(&page);
    let articles: Vec<ElementRef> = doc.select(&sel("article.c")).collect();
    let want = comments(&recs);
    assert_eq!(articles.len(), want.len(), "one article per comment record");
    // The input has flagged comments with reasons: the checks below are not vacuous.
    assert!(want.iter().filter(|r| r["action"] != "allow").count() >= 3);
    let (mut marks_seen, mut threads_seen) = (0, Vec::new());
    for (a, r) in articles.iter().zip(&want) {
        let el = a.value();
        // Same comment, same place in the walk (the thread is the enclosing section's title).
        assert_eq!(el.attr("data-id"), r["id"].as_str(), "{r}");
        let depth = r["depth"].as_u64().unwrap();
        assert_eq!(el.attr("data-depth"), Some(depth.to_string().as_str()));
        let section = a
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "section")
            .unwrap();
        let h2 = text(section.select(&sel("h2 .tid")).next().unwrap());
        assert_eq!(h2, r["thread"].as_str().unwrap());
        if threads_seen.last() != Some(&h2) {
            threads_seen.push(h2);
        }
        // Indentation grows with depth (capped at 16 levels).
        let style = el.attr("style").unwrap();
        let em: f32 = style
            .trim_start_matches("margin-left:")
            .trim_end_matches("em")
            .parse()
            .unwrap();
        assert!(
            (em - (depth - 1).min(16) as f32 * 1.6).abs() < 1e-3,
            "{style} at depth {depth}"
        );
        // Flagged comments carry their action as a class.
        let action = r["action"].as_str().unwrap();
        let classes: Vec<&str> = el.classes().collect();
        assert_eq!(
            classes.contains(&action),
            action != "allow",
            "{classes:?} {r}"
        );
        // Every reason is listed, and the marks that cover it spell exactly its text.
        let reasons = r["reasons"].as_array().unwrap();
        let listed: Vec<ElementRef> = a.select(&sel("ul.reasons span.r")).collect();
        assert_eq!(listed.len(), reasons.len());
        let marks: Vec<ElementRef> = a.select(&sel(".text mark")).collect();
        for (i, reason) in reasons.iter().enumerate() {
            let spelled: String = marks
                .iter()
                .filter(|m| {
                    m.value()
                        .attr("data-r")
                        .unwrap()
                        .split(' ')
                        .any(|k| k == i.to_string())
                })
                .map(|m| text(*m))
                .collect();
            assert_eq!(
                spelled,
                reason["text"].as_str().unwrap(),
                "reason {i} of {r}"
            );
            assert!(listed[i].value().attr("data-r") == Some(i.to_string().as_str()));
            assert!(text(listed[i]).contains(reason["text"].as_str().unwrap()));
        }
        // Nothing is marked that no reason covers.
        for m in &marks {
            assert!(!m.value().attr("data-r").unwrap().is_empty());
        }
        marks_seen += marks.len();
    }
    assert!(marks_seen > 0);
    // Thread sections in input order, each comment once: the (thread, id) pairs match.
    assert_eq!(threads_seen.len(), 3, "{threads_seen:?}");
    // The error record (line 5 of the hostile file) is shown as an error.
    let errors: Vec<String> = doc.select(&sel("div.error")).map(text).collect();
    assert_eq!(errors.len(), recs.len() - want.len());
    assert!(errors[0].contains("line 5"), "{errors:?}");
}

#[test]
fn html_escapes_hostile_ids_authors_and_text() {
    let page = score(&["--output", "html"], &[&hostile()]);
    let doc = Html::parse_document(&page);
    // No script or image made it into the page as markup: the page has no script at all.
    assert!(
        !page.to_ascii_lowercase().contains("<script"),
        "raw <script>"
    );
    assert_eq!(doc.select(&sel("script, img")).count(), 0);
    let bold: Vec<String> = doc.select(&sel("b")).map(text).collect();
    assert!(!bold.iter().any(|b| b == "co" || b == "bold"), "{bold:?}");
    // Attributes of comment elements are only ours (no injected onmouseover=).
    for a in doc.select(&sel("article, article *")) {
        for (name, _) in a.value().attrs() {
            assert!(
                [
                    "class",
                    "id",
                    "data-id",
                    "data-depth",
                    "style",
                    "datetime",
                    "data-r",
                    "data-label",
                    "title"
                ]
                .contains(&name),
                "unexpected attribute {name}"
            );
        }
    }
    // ... and every hostile value reads back exactly as text.
    let input: Vec<Value> = std::fs::read_to_string(hostile())
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let articles: Vec<ElementRef> = doc.select(&sel("article.c")).collect();
    for row in &input {
        let id = row["id"].as_str().unwrap();
        let a = articles
            .iter()
            .find(|a| a.value().attr("data-id") == Some(id))
            .unwrap_or_else(|| panic!("comment {id:?} missing"));
        let body = text(a.select(&sel(".text")).next().unwrap());
        assert_eq!(body, row["text"].as_str().unwrap());
        let who = text(a.select(&sel(".who")).next().unwrap());
        assert_eq!(
            who,
            row["author"].as_str().unwrap_or("(anonymous)"),
            "author of {id}"
        );
        assert_eq!(text(a.select(&sel(".cid")).next().unwrap()), id);
    }
    let tid = text(doc.select(&sel("section h2 .tid")).next().unwrap());
    assert_eq!(tid, input[0]["thread"].as_str().unwrap());
}

#[test]
fn html_thread_and_run_summaries_match_the_records() {
    let files = [hostile(), sample()];
    let files: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let recs = jsonl(&files);
    let page = score(&["--output", "html"], &files);
    let doc = Html::parse_document(&page);
    let sections: Vec<ElementRef> = doc.select(&sel("section.thread")).collect();
    let mut threads: Vec<&str> = Vec::new();
    for r in comments(&recs) {
        let t = r["thread"].as_str().unwrap();
        if threads.last() != Some(&t) {
            threads.push(t);
        }
    }
    assert_eq!(sections.len(), threads.len());
    for (s, t) in sections.iter().zip(&threads) {
        let mine: Vec<&Value> = comments(&recs)
            .into_iter()
            .filter(|r| r["thread"] == *t)
            .collect();
        let chips: Vec<String> = s.select(&sel(".tsum .chip")).map(text).collect();
        for action in ["allow", "review", "reject"] {
            let n = mine.iter().filter(|r| r["action"] == action).count();
            assert!(chips.contains(&format!("{action} {n}")), "{chips:?}");
        }
        for label in ["toxic", "dehumanising", "identity_attack"] {
            let n = mine
                .iter()
                .filter(|r| r["flags"].as_array().unwrap().iter().any(|f| f == label))
                .count();
            if n > 0 {
                assert!(chips.contains(&format!("{label} {n}")), "{chips:?}");
            }
        }
        // Where flags pile up: flagged comments per top-level subtree, largest first.
        let mut piles: Vec<(String, usize)> = Vec::new();
        for r in &mine {
            if r["depth"] == 1 {
                piles.push((r["id"].as_str().unwrap().to_string(), 0));
            }
            if !r["flags"].as_array().unwrap().is_empty() {
                piles.last_mut().unwrap().1 += 1;
            }
        }
        let best = piles.iter().map(|p| p.1).max().unwrap();
        let listed: Vec<ElementRef> = s.select(&sel(".piles li")).collect();
        assert_eq!(listed.is_empty(), best == 0);
        if best > 0 {
            let first = listed[0].value().attr("data-flagged").unwrap();
            assert_eq!(first, best.to_string());
            let link = listed[0].select(&sel("a")).next().unwrap();
            let target = link.value().attr("href").unwrap().trim_start_matches('#');
            let a = doc
                .select(&sel("article.c"))
                .find(|a| a.value().id() == Some(target))
                .unwrap();
            let id = a.value().attr("data-id").unwrap();
            assert_eq!(
                piles.iter().find(|p| p.0 == id).map(|p| p.1),
                Some(best),
                "{id}"
            );
        }
    }
    // The run summary counts every comment and error.
    let run = doc.select(&sel("#run")).next().unwrap();
    let cells: Vec<String> = run.select(&sel("td")).map(text).collect();
    assert_eq!(cells[0], threads.len().to_string());
    assert_eq!(cells[1], comments(&recs).len().to_string());
    assert_eq!(cells[2], (recs.len() - comments(&recs).len()).to_string());
}

#[test]
fn html_refuses_resume() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["score", "--output", "html", "--resume", "--out"])
        .arg(dir.path().join("r.html"))
        .arg(sample())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--resume works with --output jsonl or csv"),
        "{err}"
    );
}

/// Chromium, if installed: `$CHROMIUM`, else `chromium` or `chromium-browser` on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| [d.join("chromium"), d.join("chromium-browser")])
        .find(|p| p.is_file())
}

#[test]
fn html_screenshot_in_headless_chromium_is_drawn_with_highlights() {
    const TEST: &str = "html_screenshot_in_headless_chromium_is_drawn_with_highlights";
    let Some(chrome) = chromium() else {
        common::skipped(
            TEST,
            "chromium not found (apt-get install chromium, or set CHROMIUM)",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let png = dir.path().join("report.png");
    let status = bin()
        .args(["score", "--quiet", "--output", "html", "--out"])
        .arg(&html)
        .arg(sample())
        .arg(hostile())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "the hostile file has one bad line");
    let (w, h) = (1000u32, 1400u32);
    let out = Command::new(&chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size={w},{h}"))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        png.exists(),
        "no screenshot: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let decoder = png::Decoder::new(std::fs::File::open(&png).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (w, h));
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    let px = buf[..info.buffer_size()].chunks(channels);
    let (mut ink, mut yellow, mut red) = (0u64, 0u64, 0u64);
    for p in px {
        let (r, g, b) = (p[0] as i32, p[1] as i32, p[2] as i32);
        if r < 235 || g < 235 || b < 235 {
            ink += 1;
        }
        // The highlight (#ffd400) behind reason spans.
        if r >= 235 && (195..=225).contains(&g) && b <= 40 {
            yellow += 1;
        }
        // The reject border (#d93025).
        if (200..=230).contains(&r) && (30..=70).contains(&g) && (20..=60).contains(&b) {
            red += 1;
        }
    }
    let area = (w * h) as u64;
    assert!(ink > area / 50, "page looks blank: {ink} non-white pixels");
    assert!(yellow > 200, "no highlighted span drawn ({yellow} pixels)");
    assert!(red > 100, "no rejected comment drawn ({red} pixels)");
}
