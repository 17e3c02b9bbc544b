//! `commentguard explain "TEXT"`: one verdict with each reason shown in context.

use anyhow::Result;
use commentguard::Label;
use std::path::PathBuf;

/// Arguments of `explain`.
#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The comment text.
    text: String,
    /// A model bundle (default: the shipped model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Override a label's threshold, e.g. `--threshold dehumanising=0.1` (repeatable): a
    /// lower threshold shows the reasons behind a score that does not flag yet.
    #[arg(long = "threshold", value_name = "LABEL=P")]
    thresholds: Vec<String>,
    /// Print the verdict as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `explain`.
pub fn run(a: ExplainArgs) -> Result<i32> {
    let m = super::score::moderator(a.model.as_ref(), &a.thresholds)?;
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
