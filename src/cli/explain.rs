//! `commentguard explain "TEXT"`: one verdict with each reason shown in context.

use anyhow::Result;
use commentguard::{Label, LeftOutWhy, Policy};
use std::fmt::Write as _;
use std::io::Write as _;
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
    let m = super::score::moderator(a.model.as_ref(), &a.thresholds, Policy::default())?;
    let v = m.score(&a.text);
    // Written in one go at the end, so that a closed pipe (`explain ... | head`) is an
    // io error the caller treats as a normal end, not a panic inside println!.
    let mut s = String::new();
    if a.json {
        writeln!(s, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        render(&mut s, &m, &v, &a.text)?;
        let left = m.left_out(&a.text);
        if !left.is_empty() {
            writeln!(s, "left out before scoring:")?;
        }
        for l in left {
            let word = a.text.get(l.start..l.end).unwrap_or("").replace('\n', " ");
            let hint = match l.why {
                LeftOutWhy::Sense => "; `score --no-senses` keeps it",
                LeftOutWhy::Denied | LeftOutWhy::Named => "; `score --no-mentions` keeps it",
                LeftOutWhy::Thing => "; `score --no-objects` keeps it",
                _ => "",
            };
            writeln!(s, "  [{word}]  {}{hint}", l.why.describe())?;
        }
        let ia = Label::IdentityAttack.index();
        let policy = m.policy().clone();
        let alone = m.with_policy(
            policy
                .clone()
                .without_group_insults()
                .without_individual_attacks(),
        );
        let model = alone.score(&a.text).scores[ia];
        if model < v.scores[ia] {
            // The group rule is read first; if the comment still reaches the threshold
            // without it, the individual rule raised it.
            let no_group = m.with_policy(policy.without_group_insults());
            if no_group.score(&a.text).scores[ia] < v.scores[ia] {
                writeln!(
                    s,
                    "identity_attack raised from {model:.3} to its threshold: an insult, \
                     stereotype, wish to expel or threat aimed at a whole group (`score \
                     --no-group-insults` leaves it to the model)"
                )?;
            } else {
                writeln!(
                    s,
                    "identity_attack raised from {model:.3} to its threshold: identity used \
                     against one person (`score --no-individual-attacks` leaves it to the \
                     model)"
                )?;
            }
        }
    }
    std::io::stdout().lock().write_all(s.as_bytes())?;
    Ok(0)
}

fn render(
    s: &mut String,
    m: &commentguard::Moderator,
    v: &commentguard::Verdict,
    t: &str,
) -> std::fmt::Result {
    writeln!(s, "action: {}", v.action.as_str())?;
    if let Some(target) = &v.target {
        writeln!(s, "target: {target}")?;
    }
    writeln!(s, "scores:")?;
    for l in Label::ALL {
        let th = m.threshold(l);
        let mark = match (v.is_flagged(l), v.score(l) >= th) {
            (true, true) => "  FLAGGED",
            // Anything flagged is toxic, whatever toxic's own score.
            (true, false) => "  FLAGGED (implied by another flag)",
            _ => "",
        };
        writeln!(
            s,
            "  {:16} {:.3} (threshold {:.3}){mark}",
            l.name(),
            v.score(l),
            th
        )?;
    }
    if !v.reasons.is_empty() {
        writeln!(s, "reasons:")?;
    }
    for r in &v.reasons {
        // 30 characters of context on each side (spans are on char boundaries).
        let head = t.get(..r.start).unwrap_or("");
        let from = head
            .char_indices()
            .rev()
            .take(30)
            .last()
            .map_or(r.start, |(i, _)| i);
        let tail = t.get(r.end..).unwrap_or("");
        let to = tail
            .char_indices()
            .nth(30)
            .map_or(t.len(), |(i, _)| r.end + i);
        let before = t.get(from..r.start).unwrap_or("");
        let after = t.get(r.end..to).unwrap_or("");
        writeln!(
            s,
            "  {:16} {:+.2}  …{}[{}]{}…",
            r.label.name(),
            r.weight,
            before.replace('\n', " "),
            r.text,
            after.replace('\n', " ")
        )?;
    }
    Ok(())
}
