//! `commentguard threads FILE... [--format NAME|auto] [--json]`

use anyhow::Result;
use commentguard::{formats, Format};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `threads`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Thread files to read (`-` for standard input).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Input format, or `auto` to detect it from the content.
    #[arg(long, default_value = "auto")]
    format: String,
    /// One JSON object per comment, in walk order, instead of the indented tree.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// One comment in `--json` output; fields in the documented order.
#[derive(serde::Serialize)]
struct Record<'a> {
    thread: &'a str,
    id: &'a str,
    parent: Option<&'a str>,
    depth: u32,
    author: Option<&'a str>,
    status: &'a str,
    text: &'a str,
}

#[derive(Default)]
struct Summary {
    threads: u64,
    comments: u64,
    orphans: u64,
    cycles: u64,
    max_depth: u32,
    errors: u64,
}

/// Runs `threads`.
pub fn run(a: Args) -> Result<i32> {
    let format = match a.format.as_str() {
        "auto" => None,
        f => Some(f.parse::<Format>()?),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut s = Summary::default();
    for file in &a.files {
        let threads = match formats::read_path(file, format, a.limits.options()) {
            Ok(t) => t,
            Err(e) => {
                s.errors += 1;
                report_error(&mut out, a.json, &e)?;
                continue;
            }
        };
        for t in threads {
            let t = match t {
                Ok(t) => t,
                Err(e) => {
                    s.errors += 1;
                    report_error(&mut out, a.json, &e)?;
                    continue;
                }
            };
            s.threads += 1;
            s.comments += t.len() as u64;
            s.orphans += t.orphans().len() as u64;
            s.cycles += t.cycles_broken().len() as u64;
            if !a.json {
                let title = t.title.as_deref().unwrap_or("");
                writeln!(out, "thread {:?} {:?} ({} comments)", t.id, title, t.len())?;
                for n in t.notes() {
                    writeln!(out, "  note: {n}")?;
                }
            }
            for v in t.walk() {
                s.max_depth = s.max_depth.max(v.depth);
                let c = v.comment;
                if a.json {
                    let rec = Record {
                        thread: &t.id,
                        id: &c.id,
                        parent: v.parent.map(|p| t.comment(p).id.as_str()),
                        depth: v.depth,
                        author: c.author.as_deref(),
                        status: c.status.as_str(),
                        text: &c.text,
                    };
                    serde_json::to_writer(&mut out, &rec)?;
                    out.write_all(b"\n")?;
                } else {
                    let indent = "  ".repeat(v.depth as usize);
                    let mut first: String = c.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    if first.chars().count() > 100 {
                        first = first.chars().take(99).collect::<String>() + "…";
                    }
                    let status = if c.status == commentguard::Status::Approved {
                        String::new()
                    } else {
                        format!(" [{}]", c.status.as_str())
                    };
                    writeln!(
                        out,
                        "{indent}#{} {}{}: {}",
                        c.id,
                        c.author.as_deref().unwrap_or("(anonymous)"),
                        status,
                        first
                    )?;
                }
            }
        }
    }
    out.flush()?;
    eprintln!(
        "threads: {}, comments: {}, orphans: {}, cycles: {}, max depth: {}, errors: {}",
        s.threads, s.comments, s.orphans, s.cycles, s.max_depth, s.errors
    );
    Ok(if s.errors > 0 { 1 } else { 0 })
}

fn report_error(out: &mut impl Write, json: bool, e: &commentguard::Error) -> Result<()> {
    if json {
        super::write_error_json(&mut *out, e)?;
    } else {
        out.flush()?;
        eprintln!("commentguard: {e}");
    }
    Ok(())
}
