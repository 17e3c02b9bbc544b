//! Peak memory of the streaming readers against file size (not a timing benchmark).
//!
//! `cargo bench --bench formats` writes generated Disqus, WXR, JSONL and CSV exports of 10 MB
//! and 100 MB to a temporary folder and reads each in a fresh child process (this same
//! binary, re-run), which reports its peak resident memory (`VmHWM`, Linux). Streaming
//! readers show the same peak for both sizes; the Disqus reader's peak is bounded by its
//! memory budget (run with the default 64 MiB and with 8 MiB). Every child asserts the
//! number of comments it read.
//!
//! Sizes can be changed with `COMMENTGUARD_BENCH_MB=10,100`.

use commentguard::formats::read_path;
use commentguard::{Format, ReadOptions};
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const CHILD: &str = "COMMENTGUARD_BENCH_CHILD";

#[path = "../tests/common/lcg.rs"]
mod lcg;
use lcg::Lcg;

/// Comment bodies: ~300 bytes of words with a little markup.
fn body(rng: &mut Lcg, n: u64) -> String {
    let words = [
        "they", "said", "the", "post", "was", "fine", "&amp;", "quite", "long",
    ];
    let mut s = format!("comment {n}: ");
    while s.len() < 300 {
        s.push_str(words[rng.below(words.len() as u64) as usize]);
        s.push(' ');
    }
    s
}

/// Writes an export of about `bytes` bytes; returns the number of comments.
fn generate(format: Format, path: &Path, bytes: u64) -> u64 {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    let mut rng = Lcg(1);
    let mut written = 0u64;
    let mut n = 0u64;
    let mut w = |s: &str, written: &mut u64| {
        out.write_all(s.as_bytes()).unwrap();
        *written += s.len() as u64;
    };
    match format {
        Format::Disqus => {
            // 1 thread per 20 posts (estimated), defined first; posts land in random threads.
            let threads = (bytes / 700 / 20).max(1);
            w(
                "<?xml version=\"1.0\"?>\n<disqus xmlns=\"http://disqus.com\" \
                 xmlns:dsq=\"http://disqus.com/disqus-internals\">\n",
                &mut written,
            );
            for t in 0..threads {
                w(
                    &format!(
                        "<thread dsq:id=\"t{t}\"><forum>bench</forum><title>Thread {t}</title>\
                         <link>https://example.org/{t}</link></thread>\n"
                    ),
                    &mut written,
                );
            }
            while written < bytes {
                let t = rng.below(threads);
                let parent = if n > 0 && rng.below(2) == 0 {
                    format!("<parent dsq:id=\"p{}\"/>", n - 1)
                } else {
                    String::new()
                };
                let b = body(&mut rng, n);
                w(
                    &format!(
                        "<post dsq:id=\"p{n}\"><message><![CDATA[<p>{b}</p>]]></message>\
                         <createdAt>2013-10-10T19:20:29Z</createdAt><isDeleted>false</isDeleted>\
                         <isSpam>false</isSpam><author><name>user {}</name></author>\
                         <thread dsq:id=\"t{t}\"/>{parent}</post>",
                        n % 97
                    ),
                    &mut written,
                );
                n += 1;
            }
            w("</disqus>\n", &mut written);
        }
        Format::Wxr => {
            w(
                "<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>\n",
                &mut written,
            );
            let mut item = 0;
            while written < bytes {
                let mut s =
                    format!("<item><title>Post {item}</title><wp:post_id>{item}</wp:post_id>\n");
                for k in 0..10 {
                    let parent = if k == 0 { 0 } else { n };
                    let b = body(&mut rng, n + 1);
                    n += 1;
                    writeln!(
                        s,
                        "<wp:comment><wp:comment_id>{n}</wp:comment_id>\
                         <wp:comment_parent>{parent}</wp:comment_parent>\
                         <wp:comment_author><![CDATA[user]]></wp:comment_author>\
                         <wp:comment_date_gmt>2013-10-10 19:20:29</wp:comment_date_gmt>\
                         <wp:comment_content><![CDATA[{b}]]></wp:comment_content>\
                         <wp:comment_approved>1</wp:comment_approved></wp:comment>"
                    )
                    .unwrap();
                }
                s.push_str("</item>\n");
                w(&s, &mut written);
                item += 1;
            }
            w("</channel></rss>\n", &mut written);
        }
        Format::Jsonl | Format::Csv => {
            if format == Format::Csv {
                w("thread,id,parent,author,time,text\n", &mut written);
            }
            while written < bytes {
                let thread = n / 10;
                let parent = if n % 10 == 0 {
                    String::new()
                } else {
                    (n - 1).to_string()
                };
                let b = body(&mut rng, n);
                let line = if format == Format::Jsonl {
                    format!(
                        "{{\"thread\":\"t{thread}\",\"id\":\"{n}\",\"parent\":\"{parent}\",\
                         \"author\":\"user\",\"time\":\"2013-10-10T19:20:29Z\",\"text\":\"{b}\"}}\n"
                    )
                } else {
                    format!("t{thread},{n},{parent},user,2013-10-10T19:20:29Z,\"{b}\"\n")
                };
                w(&line, &mut written);
                n += 1;
            }
        }
        _ => unreachable!("no generator for {format}"),
    }
    out.flush().unwrap();
    n
}

/// Peak resident memory of this process in KiB (Linux), if known.
fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Child mode: read the file, print "threads comments peak_kib".
fn child(spec: &str) {
    let mut parts = spec.split('\t');
    let format: Format = parts.next().unwrap().parse().unwrap();
    let path = parts.next().unwrap();
    let budget: usize = parts.next().unwrap().parse().unwrap();
    let mut o = ReadOptions::default();
    o.memory_budget = budget;
    let (mut threads, mut comments) = (0u64, 0u64);
    for t in read_path(Path::new(path), Some(format), o).unwrap() {
        let t = t.unwrap();
        threads += 1;
        comments += t.len() as u64;
    }
    let peak = peak_rss_kib().map_or("n/a".to_string(), |k| k.to_string());
    println!("{threads} {comments} {peak}");
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        child(&spec);
        return;
    }
    let sizes: Vec<u64> = std::env::var("COMMENTGUARD_BENCH_MB")
        .unwrap_or_else(|_| "10,100".to_string())
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .expect("COMMENTGUARD_BENCH_MB: sizes in MB")
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    println!("format   size_MB  budget_MiB  threads   comments  peak_RSS_MiB  seconds");
    let runs: &[(Format, &[usize])] = &[
        (Format::Disqus, &[64 << 20, 8 << 20]),
        (Format::Wxr, &[64 << 20]),
        (Format::Jsonl, &[64 << 20]),
        (Format::Csv, &[64 << 20]),
    ];
    for &(format, budgets) in runs {
        for &mb in &sizes {
            let path = dir.path().join(format!("{format}-{mb}.data"));
            let expected = generate(format, &path, mb * 1_000_000);
            let size = std::fs::metadata(&path).unwrap().len();
            for &budget in budgets {
                let spec = format!("{format}\t{}\t{budget}", path.display());
                let t = Instant::now();
                let out = Command::new(&exe).env(CHILD, spec).output().unwrap();
                let secs = t.elapsed().as_secs_f64();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let line = String::from_utf8_lossy(&out.stdout);
                let f: Vec<&str> = line.split_whitespace().collect();
                let comments: u64 = f[1].parse().unwrap();
                assert_eq!(comments, expected, "{format} {mb} MB");
                let peak = f[2]
                    .parse::<f64>()
                    .map_or("n/a".to_string(), |k| format!("{:.1}", k / 1024.0));
                println!(
                    "{:<8} {:>7.1} {:>11} {:>8} {:>10} {:>13} {:>8.1}",
                    format.name(),
                    size as f64 / 1e6,
                    budget >> 20,
                    f[0],
                    comments,
                    peak,
                    secs
                );
            }
            std::fs::remove_file(&path).unwrap();
        }
    }
}
