//! `--output html`: one self-contained page per run (inline CSS, no script, no network).
//!
//! Written thread by thread as the run goes: only the current thread is ever held. The run
//! summary is known only at the end, so it is written last and shown first by CSS (`order`).
//! Every value from the input goes through maud, which escapes it; the few hand-written tags
//! hold only numbers and constants.
//!
//! Each comment is an `<article class="c">` with `data-depth` (1 = top level), `data-id`
//! and an indentation that grows with the depth (capped, so that a 100,000-deep chain stays
//! on the page). Reason spans are `<mark>`s; overlapping reasons are cut into pieces, and
//! each piece lists in `data-r` the indices of the reasons (in the comment's reason list)
//! that cover it.

use super::sink::{Batch, Sink};
use super::{action_index, Summary};
use anyhow::Result;
use commentguard::{Action, Error, Label, Status, Thread, Verdict};
use maud::{html, Markup};
use std::io::Write;

/// Top-level comments listed under "where flags pile up", at most.
const PILE_UPS: usize = 5;
/// Indentation stops growing at this depth (the depth is still shown).
const MAX_INDENT: u32 = 16;

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>commentguard report</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:60em;padding:1em 1.5em;color:#1d1d1f;background:#fff;display:flex;flex-direction:column}
header{order:-2}#run{order:-1}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:.2em 0;display:inline}
.run,.tsum{background:#f4f6f8;border:1px solid #d8dde3;border-radius:6px;padding:.6em 1em;margin:.6em 0}
.run table{border-collapse:collapse}.run td,.run th{padding:.1em .8em .1em 0;text-align:left}
section.thread{border-top:2px solid #c9d1d9;margin-top:1.2em;padding-top:.6em}
summary{cursor:pointer}
.chip{display:inline-block;border-radius:3px;padding:0 .4em;margin:0 .3em .2em 0;font-size:.9em;background:#e8ecf0}
.chip.reject{background:#d93025;color:#fff}.chip.review{background:#f29900;color:#fff}.chip.label{background:#fde2e1}
article.c{border-left:3px solid #d0d7de;padding:.3em .7em;margin:.35em 0;background:#fff}
article.c.review{border-left:5px solid #f29900;background:#fff8e6}
article.c.reject{border-left:5px solid #d93025;background:#fdecea}
.meta{font-size:.85em;color:#57606a}.who{font-weight:600;color:#1d1d1f}
.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2em 0}
mark{background:#ffd400;color:#000;padding:0 1px;border-radius:2px}
ul.reasons{margin:.2em 0 .2em 1.2em;padding:0;font-size:.85em;color:#3d444d}.r{margin-right:.6em}
.error{border-left:5px solid #8250df;background:#f3eefe;padding:.4em .7em;margin:.4em 0;font-family:ui-monospace,monospace;font-size:.9em}
.note{font-size:.85em;color:#57606a}
</style></head>
<body>
"#;

/// The HTML sink.
#[derive(Default)]
pub struct Html {
    threads: u64,
}

impl Sink for Html {
    fn begin(&mut self, w: &mut Batch, s: &Summary) -> Result<()> {
        w.write_all(HEAD.as_bytes())?;
        let m = html! {
            header {
                h1 { "commentguard report" }
                p.note { "Input: " (s.files.join(", ")) }
            }
        };
        w.write_all(m.into_string().as_bytes())?;
        w.flush_batch()
    }

    fn thread(
        &mut self,
        w: &mut Batch,
        t: &Thread,
        verdicts: &[Verdict],
        _from: usize,
    ) -> Result<()> {
        self.threads += 1;
        let n = self.threads;
        let anchor = |k: usize| format!("t{n}-c{k}");
        // Per-thread counts, and flagged comments per top-level subtree.
        let mut flagged = [0u64; Label::COUNT];
        let mut actions = [0u64; 3];
        // (walk position of the top-level comment, subtree size, flagged in subtree)
        let mut subtrees: Vec<(usize, u64, u64)> = Vec::new();
        for (k, (visit, v)) in t.walk().zip(verdicts).enumerate() {
            for l in &v.flags {
                flagged[l.index()] += 1;
            }
            actions[action_index(v.action)] += 1;
            if visit.depth <= 1 || subtrees.is_empty() {
                subtrees.push((k, 0, 0));
            }
            if let Some(last) = subtrees.last_mut() {
                last.1 += 1;
                last.2 += u64::from(!v.flags.is_empty());
            }
        }
        subtrees.retain(|s| s.2 > 0);
        subtrees.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        subtrees.truncate(PILE_UPS);
        let piles: Vec<(usize, u64, u64, String)> = subtrees
            .iter()
            .map(|&(k, size, f)| {
                let c = t.walk().nth(k).map(|v| v.comment);
                let who = c
                    .map(|c| {
                        format!(
                            "#{} by {}",
                            c.id,
                            c.author.as_deref().unwrap_or("(anonymous)")
                        )
                    })
                    .unwrap_or_default();
                (k, size, f, who)
            })
            .collect();
        let url = t.url.as_deref().filter(|u| {
            let u = u.to_ascii_lowercase();
            u.starts_with("https://") || u.starts_with("http://")
        });
        let head = html! {
            summary {
                h2 {
                    "Thread " span.tid { (t.id) }
                    @if let Some(title) = &t.title { " — " span.title { (title) } }
                }
                " " span.note { (verdicts.len()) " comments" }
            }
            div.tsum {
                @if let Some(u) = url { p.note { a href=(u) rel="nofollow noreferrer" { (u) } } }
                div {
                    span.chip { "allow " (actions[0]) }
                    span.chip.review { "review " (actions[1]) }
                    span.chip.reject { "reject " (actions[2]) }
                    @for l in Label::ALL {
                        @if flagged[l.index()] > 0 {
                            span.chip.label data-label=(l.name()) { (l.name()) " " (flagged[l.index()]) }
                        }
                    }
                }
                @if !piles.is_empty() {
                    div.piles {
                        "Where flags pile up (top-level comments and their replies):"
                        ol {
                            @for (k, size, f, who) in &piles {
                                li data-flagged=(f) {
                                    a href={ "#" (anchor(*k)) } { (who) } ": "
                                    (f) " of " (size) " comments flagged"
                                }
                            }
                        }
                    }
                }
                @for note in t.notes() { p.note { "note: " (note) } }
            }
        };
        write!(w, "<section class=\"thread\" id=\"t{n}\"><details open>")?;
        w.write_all(head.into_string().as_bytes())?;
        for (k, (visit, v)) in t.walk().zip(verdicts).enumerate() {
            let c = visit.comment;
            let class = match v.action {
                Action::Allow => "c",
                Action::Review => "c review",
                _ => "c reject",
            };
            let indent = (visit.depth.saturating_sub(1)).min(MAX_INDENT) as f32 * 1.6;
            let m = html! {
                article class=(class) id=(anchor(k)) data-id=(c.id) data-depth=(visit.depth)
                    style={ "margin-left:" (indent) "em" } {
                    div.meta {
                        span.who { (c.author.as_deref().unwrap_or("(anonymous)")) }
                        @if let Some(time) = c.time {
                            " · " time datetime=(time.to_rfc3339()) { (time.format("%Y-%m-%d %H:%M UTC")) }
                        }
                        " · #" span.cid { (c.id) }
                        @if visit.depth > 1 { " · depth " (visit.depth) }
                        @if c.status != Status::Approved { " · " span.status { (c.status.as_str()) } }
                        @if v.action != Action::Allow {
                            " " span class={ "chip " (v.action.as_str()) } { (v.action.as_str()) }
                            @for l in &v.flags { span.chip.label { (l.name()) } }
                        }
                    }
                    div.text { (highlight(&c.text, v)) }
                    @if !v.reasons.is_empty() {
                        ul.reasons {
                            @for l in Label::ALL {
                                @if v.reasons.iter().any(|r| r.label == l) {
                                    li data-label=(l.name()) {
                                        b { (l.name()) } ": "
                                        @for (i, r) in v.reasons.iter().enumerate().filter(|(_, r)| r.label == l) {
                                            span.r data-r=(i) { "“" (r.text) "” " (format!("{:+.2}", r.weight)) } " "
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            };
            w.write_all(m.into_string().as_bytes())?;
            w.write_all(b"\n")?;
            w.end_record()?;
        }
        w.write_all(b"</details></section>\n")?;
        Ok(())
    }

    fn error(&mut self, w: &mut Batch, e: &Error) -> Result<()> {
        let m = html! { div.error { "error: " (e.to_string()) } };
        w.write_all(m.into_string().as_bytes())?;
        w.write_all(b"\n")?;
        w.end_record()
    }

    fn end(&mut self, w: &mut Batch, s: &Summary) -> Result<()> {
        let rate = s.comments as f64 / s.secs.max(1e-9);
        let m = html! {
            section #run .run {
                h2 { "Run summary" }
                @if let Some(sig) = s.interrupted {
                    p.error { "Interrupted by " (super::interrupt::name(sig))
                        ": this report covers only the threads read before it." }
                }
                table {
                    tr { th { "threads" } td { (s.threads) } }
                    tr { th { "comments" } td { (s.comments) } }
                    tr { th { "errors" } td { (s.errors) } }
                    tr { th { "actions" } td {
                        span.chip { "allow " (s.actions[0]) }
                        span.chip.review { "review " (s.actions[1]) }
                        span.chip.reject { "reject " (s.actions[2]) }
                    } }
                    tr { th { "flagged" } td {
                        @for l in Label::ALL {
                            span.chip.label { (l.name()) " " (s.flagged[l.index()]) }
                        }
                    } }
                    tr { th { "time" } td { (format!("{:.2} s, {:.0} comments/s", s.secs, rate)) } }
                }
            }
        };
        w.write_all(m.into_string().as_bytes())?;
        w.write_all(b"\n</body></html>\n")?;
        Ok(())
    }
}

/// The comment text with each reason's span in a `<mark>`: the text is cut at every reason
/// boundary, and each piece covered by at least one reason is marked with the indices of
/// those reasons (`data-r`) and their labels and weights (`title`).
fn highlight(text: &str, v: &Verdict) -> Markup {
    let spans: Vec<(usize, usize, usize)> = v
        .reasons
        .iter()
        .enumerate()
        .filter(|(_, r)| r.start < r.end && text.get(r.start..r.end).is_some())
        .map(|(i, r)| (i, r.start, r.end))
        .collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    cuts.extend(spans.iter().flat_map(|s| [s.1, s.2]));
    cuts.sort_unstable();
    cuts.dedup();
    html! {
        @for w in cuts.windows(2) {
            @let (a, b) = (w[0], w[1]);
            @let piece = &text[a..b];
            @let cover: Vec<usize> = spans.iter().filter(|s| s.1 <= a && b <= s.2).map(|s| s.0).collect();
            @if cover.is_empty() {
                (piece)
            } @else {
                mark data-r=(join(cover.iter().map(|i| i.to_string()), " "))
                    title=(join(cover.iter().map(|&i| {
                        let r = &v.reasons[i];
                        format!("{} {:+.2}", r.label.name(), r.weight)
                    }), "; ")) { (piece) }
            }
        }
    }
}

fn join(it: impl Iterator<Item = String>, sep: &str) -> String {
    it.collect::<Vec<_>>().join(sep)
}
