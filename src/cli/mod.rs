//! Command-line parsing and dispatch. Each subcommand is one file.

use clap::{Parser, Subcommand};

mod explain;
mod limits;
mod progress;
mod score;
mod threads;
mod train;

/// Reads comment threads and flags dehumanising language, identity slurs and abuse.
#[derive(Parser, Debug)]
#[command(name = "commentguard", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read thread files and print their comment trees (or JSON, one object per comment).
    Threads(threads::Args),
    /// Score comments: one record per comment, in walk order, with scores, flags, action and
    /// reasons (JSONL, CSV, a table or an HTML report); resumable after an interruption.
    Score(score::ScoreArgs),
    /// Score one text and show each reason in context.
    Explain(explain::ExplainArgs),
    /// Train a model bundle on the public corpora and/or your own labelled files.
    Train(train::TrainArgs),
    /// Evaluate a model bundle: held-out test figures, published comparisons, bias audit.
    Eval(train::EvalArgs),
}

/// Runs the CLI; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let r = match cli.command {
        Command::Threads(a) => threads::run(a),
        Command::Train(a) => train::run_train(a),
        Command::Eval(a) => train::run_eval(a),
        Command::Score(a) => score::run(a),
        Command::Explain(a) => explain::run(a),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                return 0;
            }
            eprintln!("commentguard: error: {e:#}");
            2
        }
    }
}

/// One `KEY=NUMBER` value of a repeatable flag (`--threshold slur=0.3`): the key as written
/// and the number, which must pass `ok`. Errors name the flag, the value and what it wants
/// (`form`, e.g. "LABEL=P"; `want`, e.g. "P must be in (0, 1)").
pub fn key_number<'a, T: std::str::FromStr>(
    flag: &str,
    form: &str,
    want: &str,
    s: &'a str,
    ok: impl Fn(&T) -> bool,
) -> anyhow::Result<(&'a str, T)> {
    let (key, v) = s
        .split_once('=')
        .ok_or_else(|| anyhow::anyhow!("{flag} wants {form}, got {s:?}"))?;
    let v: T = v
        .trim()
        .parse()
        .ok()
        .filter(|v| ok(v))
        .ok_or_else(|| anyhow::anyhow!("{flag} {s:?}: {want}"))?;
    Ok((key, v))
}

/// A closed pipe on stdout (`commentguard ... | head`) is a normal end, not an error.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .map(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            .unwrap_or(false)
    })
}

/// One JSON error record (and a newline): what went wrong and where. Used wherever output is
/// JSON lines, so that every input comment or file has a record.
pub fn write_error_json(
    out: &mut impl std::io::Write,
    e: &commentguard::Error,
) -> anyhow::Result<()> {
    let p = e.position();
    let rec = serde_json::json!({
        "error": e.kind().to_string(),
        "file": p.file.as_ref().map(|f| f.display().to_string()),
        "line": p.line,
        "byte": p.byte,
        "thread": p.thread_id,
        "id": p.comment_id,
    });
    serde_json::to_writer(&mut *out, &rec)?;
    out.write_all(b"\n")?;
    Ok(())
}
