//! `commentguard score [FILE|-]... [--format auto|NAME|lines] [--output jsonl|csv|table]`
//! and `commentguard explain "TEXT"`.

use anyhow::{bail, Context as _, Result};
use commentguard::{formats, Action, Format, Label, Moderator, Policy, ReadOptions, Verdict};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `score`.
#[derive(clap::Args, Debug)]
pub struct ScoreArgs {
    /// Thread files (`-` or nothing for standard input).
    files: Vec<PathBuf>,
    /// Input format: `auto`, a format name, or `lines` (one comment per line).
    #[arg(long, default_value = "auto")]
    format: String,
    /// Output: `jsonl`, `csv` or `table`.
    #[arg(long, default_value = "jsonl")]
    output: String,
    /// A model bundle (default: the shipped model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Override a label's threshold, e.g. `--threshold slur=0.3` (repeatable).
    #[arg(long = "threshold", value_name = "LABEL=P")]
    thresholds: Vec<String>,
    /// No summary on standard error.
    #[arg(long, short)]
    quiet: bool,
}

/// Arguments of `explain`.
#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The comment text.
    text: String,
    /// A model bundle (default: the shipped model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Print the verdict as JSON.
    #[arg(long)]
    json: bool,
}

/// Loads the moderator named on the command line, with threshold overrides.
pub fn moderator(model: Option<&PathBuf>, thresholds: &[String]) -> Result<Moderator> {
    let mut policy = Policy::default();
    for t in thresholds {
        let Some((l, p)) = t.split_once('=') else {
            bail!("--threshold wants LABEL=P, got {t:?}");
        };
        let label: Label = l.parse()?;
        let p: f32 = p
            .trim()
            .parse()
            .with_context(|| format!("--threshold {t:?}: not a number"))?;
        policy = policy.threshold(label, p)?;
    }
    Ok(match model {
        Some(p) => {
            Moderator::load(p, policy).with_context(|| format!("loading {}", p.display()))?
        }
        None => Moderator::default_model()?.with_policy(policy),
    })
}

#[derive(Default)]
struct Summary {
    comments: u64,
    errors: u64,
    flagged: [u64; Label::COUNT],
    actions: [u64; 3],
}

/// One JSONL record, fields in the documented order.
#[derive(serde::Serialize)]
struct Record<'a> {
    thread: &'a str,
    id: &'a str,
    parent: Option<&'a str>,
    depth: u32,
    #[serde(flatten)]
    verdict: &'a Verdict,
}

/// Runs `score`.
pub fn run(a: ScoreArgs) -> Result<i32> {
    let m = moderator(a.model.as_ref(), &a.thresholds)?;
    let format = match a.format.as_str() {
        "auto" => None,
        f => Some(f.parse::<Format>()?),
    };
    let output = a.output.as_str();
    if !matches!(output, "jsonl" | "csv" | "table") {
        bail!("--output must be jsonl, csv or table (html is not written yet), got {output:?}");
    }
    let files = if a.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        a.files.clone()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if output == "csv" {
        let mut h = vec![
            "thread", "id", "parent", "depth", "action", "flags", "target",
        ];
        h.extend(Label::ALL.iter().map(|l| l.name()));
        h.push("reasons");
        h.push("error");
        out.write_all(&csv_line(&h)?)?;
    }
    let mut s = Summary::default();
    let t0 = std::time::Instant::now();
    for file in &files {
        let threads = match formats::read_path(file, format, ReadOptions::default()) {
            Ok(t) => t,
            Err(e) => {
                s.errors += 1;
                error_record(&mut out, output, &e)?;
                continue;
            }
        };
        for t in threads {
            let t = match t {
                Ok(t) => t,
                Err(e) => {
                    s.errors += 1;
                    error_record(&mut out, output, &e)?;
                    continue;
                }
            };
            let verdicts = m.score_thread(&t);
            for (visit, v) in t.walk().zip(verdicts) {
                let (i, depth, parent) = (visit.index, visit.depth, visit.parent);
                s.comments += 1;
                for l in &v.flags {
                    s.flagged[l.index()] += 1;
                }
                s.actions[v.action as usize] += 1;
                let c = t.comment(i);
                let parent = parent.map(|p| t.comment(p).id.as_str());
                match output {
                    "jsonl" => {
                        serde_json::to_writer(
                            &mut out,
                            &Record {
                                thread: &t.id,
                                id: &c.id,
                                parent,
                                depth,
                                verdict: &v,
                            },
                        )?;
                        out.write_all(b"\n")?;
                    }
                    "csv" => {
                        let mut row = vec![
                            t.id.clone(),
                            c.id.clone(),
                            parent.unwrap_or("").to_string(),
                            depth.to_string(),
                            v.action.as_str().to_string(),
                            v.flags
                                .iter()
                                .map(|l| l.name())
                                .collect::<Vec<_>>()
                                .join(";"),
                            v.target.clone().unwrap_or_default(),
                        ];
                        row.extend(Label::ALL.iter().map(|l| format!("{:.4}", v.score(*l))));
                        row.push(
                            v.reasons
                                .iter()
                                .map(|r| format!("{}:{}", r.label, r.text))
                                .collect::<Vec<_>>()
                                .join("; "),
                        );
                        row.push(String::new());
                        out.write_all(&csv_line(&row)?)?;
                    }
                    _ => {
                        let indent = "  ".repeat(depth.saturating_sub(1) as usize);
                        let first: String = c.text.split_whitespace().collect::<Vec<_>>().join(" ");
                        let first: String = first.chars().take(90).collect();
                        let flags = v
                            .flags
                            .iter()
                            .map(|l| l.name())
                            .collect::<Vec<_>>()
                            .join(",");
                        writeln!(
                            out,
                            "{indent}#{} [{}] {flags} {first}",
                            c.id,
                            v.action.as_str()
                        )?;
                        for r in &v.reasons {
                            writeln!(
                                out,
                                "{indent}    {} ← {:?} ({:+.2})",
                                r.label, r.text, r.weight
                            )?;
                        }
                    }
                }
            }
        }
    }
    out.flush()?;
    if !a.quiet {
        let secs = t0.elapsed().as_secs_f64().max(1e-9);
        let flagged: Vec<String> = Label::ALL
            .iter()
            .filter(|l| s.flagged[l.index()] > 0)
            .map(|l| format!("{} {}", l.name(), s.flagged[l.index()]))
            .collect();
        eprintln!(
            "comments: {}, flagged: {{{}}}, actions: allow {} / review {} / reject {}, errors: {}, {:.0} comments/s",
            s.comments,
            flagged.join(", "),
            s.actions[Action::Allow as usize],
            s.actions[Action::Review as usize],
            s.actions[Action::Reject as usize],
            s.errors,
            s.comments as f64 / secs
        );
    }
    Ok(if s.errors > 0 { 1 } else { 0 })
}

/// One CSV row, quoted as needed, with its line end.
fn csv_line<S: AsRef<[u8]>>(row: &[S]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(row)?;
    Ok(w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?)
}

fn error_record(out: &mut impl Write, output: &str, e: &commentguard::Error) -> Result<()> {
    let p = e.position();
    match output {
        "csv" => {
            let mut row = vec![
                p.thread_id.clone().unwrap_or_default(),
                p.comment_id.clone().unwrap_or_default(),
            ];
            row.resize(7 + Label::COUNT + 1, String::new());
            row.push(e.to_string());
            out.write_all(&csv_line(&row)?)?;
        }
        "jsonl" => {
            super::write_error_json(&mut *out, e)?;
        }
        _ => {
            out.flush()?;
            eprintln!("commentguard: {e}");
        }
    }
    Ok(())
}

/// Runs `explain`.
pub fn explain(a: ExplainArgs) -> Result<i32> {
    let m = moderator(a.model.as_ref(), &[])?;
    let v = m.score(&a.text);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    println!("action: {}", v.action.as_str());
    if let Some(t) = &v.target {
        println!("target: {t}");
    }
    println!("scores:");
    for l in Label::ALL {
        let th = m.threshold(l);
        let mark = if v.is_flagged(l) { "  FLAGGED" } else { "" };
        println!(
            "  {:16} {:.3} (threshold {:.3}){mark}",
            l.name(),
            v.score(l),
            th
        );
    }
    if !v.reasons.is_empty() {
        println!("reasons:");
    }
    for r in &v.reasons {
        let t = &a.text;
        let before = t.get(r.start.saturating_sub(30)..r.start).unwrap_or("");
        let after = t.get(r.end..(r.end + 30).min(t.len())).unwrap_or("");
        println!(
            "  {:16} {:+.2}  …{}[{}]{}…",
            r.label.name(),
            r.weight,
            before.replace('\n', " "),
            r.text,
            after.replace('\n', " ")
        );
    }
    Ok(0)
}
