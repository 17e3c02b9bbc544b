//! `commentguard score [FILE|-]... [--format auto|NAME|lines] [--output jsonl|csv|table|html]
//! [--out PATH [--resume]]`.
//!
//! The run is a loop over threads: read one, score it, hand it to a [`sink::Sink`] that renders
//! its records into a [`sink::Batch`], which writes whole records only. Between threads the
//! loop checks for SIGINT/SIGTERM ([`interrupt`]); an interrupted run flushes what it scored,
//! prints its summary and where to resume, and exits with 128 + the signal number.

mod html;
mod input;
mod interrupt;
mod resume;
mod sink;

use anyhow::{bail, Context as _, Result};
use commentguard::{Action, Format, Label, Moderator, Policy};
use std::path::{Path, PathBuf};

/// What `score` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// One JSON object per comment (and per error), one per line.
    Jsonl,
    /// A header, then one row per comment (and per error); fields never hold line breaks.
    Csv,
    /// An indented tree for reading in a terminal.
    Table,
    /// One self-contained HTML page: threads with their nesting, flags highlighted.
    Html,
}

/// Arguments of `score`.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Output goes to standard output unless --out names a file. Records are written whole (a batch \
of complete lines at a time), so a killed run never leaves half a record behind.

On SIGINT or SIGTERM the run stops reading, writes the records already scored, prints its \
summary and exits with 130 or 143. Run the same command again with --resume to continue: \
the records already in the --out file are kept and the input comments they cover are \
skipped (jsonl and csv only). A second signal ends the run at once.")]
pub struct ScoreArgs {
    /// Thread files (`-` or nothing for standard input).
    files: Vec<PathBuf>,
    /// Input format: `auto`, a format name, or `lines` (one comment per line).
    #[arg(long, default_value = "auto")]
    format: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputKind::Jsonl)]
    output: OutputKind,
    /// Write to this file instead of standard output (needed by --resume).
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Continue an interrupted run: keep the complete records in --out (a partial last line
    /// is dropped), skip the input comments they cover and append the rest.
    #[arg(long, requires = "out")]
    resume: bool,
    /// A model bundle (default: the shipped model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Override a label's threshold, e.g. `--threshold slur=0.3` (repeatable).
    #[arg(long = "threshold", value_name = "LABEL=P")]
    thresholds: Vec<String>,
    /// Leave the reasons out (each record's `reasons` is empty): faster, for runs that need
    /// only scores, flags, actions and targets.
    #[arg(long)]
    no_reasons: bool,
    /// Read every word as the model does: without it, a word whose neighbours settle an
    /// innocent sense ("a quick fag behind the pub", "the river Niger") or a slur in a
    /// first-person self-description ("I'm a dyke") is left out before scoring (README,
    /// "Homonyms").
    #[arg(long)]
    no_senses: bool,
    /// Leave identity_attack to the model: without it, an insult or stereotype said of a
    /// whole group ("the Irish are all drunks", "lazy immigrants"), not negated, disputed or
    /// reported, is flagged identity_attack (README, "Insults aimed at a group").
    #[arg(long)]
    no_group_insults: bool,
    /// Score denied and named words as used: without it, a dehumanising word right after a
    /// negation ("are not vermin"), a word someone should not call people ("don't call them
    /// X"), or a slur alone in quotation marks is left out before scoring (README, "Denied
    /// and named words").
    #[arg(long)]
    no_mentions: bool,
    /// Leave ambiguous slurs (homonyms, reclaimed words) to the model: without it, such a
    /// slur said of a person ("you spastic", "stupid dyke", "bunch of retards") in a plain
    /// comment gets the slur floor, as an unambiguous slur does (README, "Slurs said of a
    /// person").
    #[arg(long)]
    no_person_slurs: bool,
    /// Leave identity used against one person to the model: without it, "go back to
    /// Pakistan", "typical woman", "only got the job because she's a woman" and backhanded
    /// praise ("articulate for a Black girl") are flagged identity_attack (README, "Identity
    /// used against one person").
    #[arg(long)]
    no_individual_attacks: bool,
    /// Read dehumanising words said of things as used: without it, a dehumanising word in a
    /// sentence that names a thing, animal, place or institution and no people ("That app is
    /// vermin") is left out before scoring (README, "Dehumanising words said of things").
    #[arg(long)]
    no_objects: bool,
    /// No summary and no progress bar on standard error.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// Loads the moderator named on the command line: `policy` with the threshold overrides.
pub fn moderator(
    model: Option<&PathBuf>,
    thresholds: &[String],
    mut policy: Policy,
) -> Result<Moderator> {
    for t in thresholds {
        // The range [0, 1] is checked (and reported) by Policy::threshold.
        let (l, p) =
            super::key_number("--threshold", "LABEL=P", "not a number", t, |_: &f32| true)?;
        let label: Label = l.parse()?;
        policy = policy.threshold(label, p)?;
    }
    let m = match model {
        Some(p) => {
            Moderator::load(p, policy).with_context(|| format!("loading {}", p.display()))?
        }
        // `with_policy` copies the model (weights and lexicon, a few ms at start-up): only
        // when a threshold is overridden.
        None if policy == Policy::default() => Moderator::default_model()?,
        None => Moderator::default_model()?.with_policy(policy),
    };
    let name = model.map_or("the built-in model".to_string(), |p| {
        p.display().to_string()
    });
    for d in m.drift() {
        eprintln!(
            "warning: {name} was {d}: its scores differ a little from its card's figures; \
             retrain it with this build (`commentguard train`)"
        );
    }
    Ok(m)
}

/// Counts for the summary line (and the HTML report's run summary).
#[derive(Default, Debug)]
pub(crate) struct Summary {
    /// Input files named.
    pub files: Vec<String>,
    /// Threads scored (whole or in part).
    pub threads: u64,
    /// Comments scored in this run.
    pub comments: u64,
    /// Error records written.
    pub errors: u64,
    /// Comments skipped because a resumed output already held their records.
    pub skipped: u64,
    /// Flagged comments per label.
    pub flagged: [u64; Label::COUNT],
    /// Comments per action (allow, review, reject).
    pub actions: [u64; 3],
    /// The signal that stopped the run, if any.
    pub interrupted: Option<i32>,
    /// Wall-clock seconds.
    pub secs: f64,
}

impl Summary {
    fn count(&mut self, flags: &[Label], action: Action) {
        self.comments += 1;
        for l in flags {
            self.flagged[l.index()] += 1;
        }
        self.actions[action_index(action)] += 1;
    }
    /// The one-line summary printed on standard error.
    fn line(&self) -> String {
        let flagged: Vec<String> = Label::ALL
            .iter()
            .filter(|l| self.flagged[l.index()] > 0)
            .map(|l| format!("{} {}", l.name(), self.flagged[l.index()]))
            .collect();
        let skipped = if self.skipped > 0 {
            format!(" (after {} already in the output)", self.skipped)
        } else {
            String::new()
        };
        format!(
            "comments: {}{skipped}, flagged: {{{}}}, actions: allow {} / review {} / reject {}, errors: {}, {:.0} comments/s",
            self.comments,
            flagged.join(", "),
            self.actions[0],
            self.actions[1],
            self.actions[2],
            self.errors,
            self.comments as f64 / self.secs.max(1e-9)
        )
    }
}

/// Index of an action in [`Summary::actions`].
pub(crate) fn action_index(a: Action) -> usize {
    match a {
        Action::Allow => 0,
        Action::Review => 1,
        _ => 2,
    }
}

/// Runs `score`.
pub fn run(a: ScoreArgs) -> Result<i32> {
    if a.resume && matches!(a.output, OutputKind::Html | OutputKind::Table) {
        bail!(
            "--resume works with --output jsonl or csv only: a {} output cannot be continued \
             (run again without --resume to start over)",
            if a.output == OutputKind::Html {
                "html"
            } else {
                "table"
            }
        );
    }
    let mut policy = Policy::default();
    if a.no_reasons {
        policy = policy.without_reasons();
    }
    if a.no_senses {
        policy = policy.without_senses();
    }
    if a.no_group_insults {
        policy = policy.without_group_insults();
    }
    if a.no_mentions {
        policy = policy.without_mentions();
    }
    if a.no_person_slurs {
        policy = policy.without_person_slurs();
    }
    if a.no_individual_attacks {
        policy = policy.without_individual_attacks();
    }
    if a.no_objects {
        policy = policy.without_objects();
    }
    let m = moderator(a.model.as_ref(), &a.thresholds, policy)?;
    let format = match a.format.as_str() {
        "auto" => None,
        f => Some(f.parse::<Format>()?),
    };
    let files = if a.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        a.files.clone()
    };
    if let Some(out) = &a.out {
        if let Ok(o) = std::fs::canonicalize(out) {
            if let Some(f) = files
                .iter()
                .find(|f| std::fs::canonicalize(f).is_ok_and(|f| f == o))
            {
                bail!(
                    "--out {} is also an input file: writing to it would destroy it",
                    f.display()
                );
            }
        }
    }
    let mut sink = sink::new(a.output);
    // Open the destination: a fresh file, a resumed file, or standard output.
    let (dest, done): (Box<dyn std::io::Write>, resume::Done) = match &a.out {
        Some(p) if a.resume => {
            let (f, done) = resume::open(p, a.output, &sink.header()?)?;
            if done.dropped > 0 && !a.quiet {
                eprintln!(
                    "resume: dropped a partial last record ({} bytes) from {}",
                    done.dropped,
                    p.display()
                );
            }
            (Box::new(f), done)
        }
        Some(p) => {
            let f =
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?;
            (Box::new(f), resume::Done::default())
        }
        None => (Box::new(std::io::stdout()), resume::Done::default()),
    };
    let interrupt = interrupt::Interrupt::install()?;
    let mut progress = input::Progress::new(&files, a.quiet);
    let mut w = sink::Batch::new(dest);
    let mut s = Summary {
        files: files.iter().map(|f| f.display().to_string()).collect(),
        ..Summary::default()
    };
    if !done.header {
        sink.begin(&mut w, &s)?;
    }
    let mut skip = resume::Skip::new(&done);
    let t0 = std::time::Instant::now();
    'files: for file in &files {
        if interrupt.caught().is_some() {
            break;
        }
        let mut threads = match progress.open(file, format, a.limits.options()) {
            Ok(t) => t,
            Err(e) => {
                error_record(&e, &mut skip, &mut s, sink.as_mut(), &mut w)?;
                continue;
            }
        };
        loop {
            // Checked before reading the next thread: once signalled, nothing more is read.
            if interrupt.caught().is_some() {
                break 'files;
            }
            let Some(t) = threads.next() else { break };
            let t = match t {
                Ok(t) => t,
                Err(e) => {
                    error_record(&e, &mut skip, &mut s, sink.as_mut(), &mut w)?;
                    continue;
                }
            };
            let (from, total) = skip.thread(&t)?;
            s.skipped += from as u64;
            if from < total {
                s.threads += 1;
                match sink.render() {
                    Some(render) => score_rendered(&m, &t, from, render, &mut s, &mut w)?,
                    None => score_whole(&m, &t, from, sink.as_mut(), &mut s, &mut w)?,
                }
            }
            w.tick()?;
            progress.advance((total - from) as u64);
        }
    }
    s.interrupted = interrupt.caught();
    if s.interrupted.is_none() {
        skip.finish()?;
    }
    s.secs = t0.elapsed().as_secs_f64();
    sink.end(&mut w, &s)?;
    w.flush_batch()?;
    progress.finish();
    if !a.quiet {
        eprintln!("{}", s.line());
    }
    if let Some(sig) = s.interrupted {
        eprintln!(
            "{}",
            resume_hint(sig, a.out.as_deref(), done.records + w.records(), a.output)
        );
        return Ok(128 + sig);
    }
    Ok(if s.errors > 0 { 1 } else { 0 })
}

/// Scores a thread, then hands all its verdicts to the sink (from walk position `from` on: the
/// ones before are already in a resumed output). For sinks that keep state (table, HTML).
fn score_whole(
    m: &Moderator,
    t: &commentguard::Thread,
    from: usize,
    sink: &mut dyn sink::Sink,
    s: &mut Summary,
    w: &mut sink::Batch,
) -> Result<()> {
    let verdicts = m.score_thread(t);
    for v in verdicts.get(from..).unwrap_or_default() {
        s.count(&v.flags, v.action);
    }
    sink.thread(w, t, &verdicts, from)
}

/// One comment's record, rendered on the worker that scored it, with what the summary counts.
struct Rendered {
    bytes: Vec<u8>,
    flags: Vec<Label>,
    action: Action,
}

/// Scores a thread and renders its records in parallel (`Moderator::score_thread_map`), then
/// appends them to the batch in walk order, from walk position `from` on. The same records,
/// in the same order, and the same counts as [`score_whole`] (test
/// `rendered_records_are_the_sinks_records`); each verdict is rendered and dropped on the
/// worker that scored it, so only the copying is left to this thread.
fn score_rendered(
    m: &Moderator,
    t: &commentguard::Thread,
    from: usize,
    render: sink::Render,
    s: &mut Summary,
    w: &mut sink::Batch,
) -> Result<()> {
    let records = m.score_thread_map(t, |k, visit, v| -> Result<Option<Rendered>> {
        if k < from {
            return Ok(None);
        }
        let mut bytes = Vec::with_capacity(1024);
        render(&mut bytes, t, visit, &v)?;
        Ok(Some(Rendered {
            bytes,
            flags: v.flags,
            action: v.action,
        }))
    });
    for r in records {
        if let Some(r) = r? {
            s.count(&r.flags, r.action);
            w.record(&r.bytes)?;
        }
    }
    Ok(())
}

/// What an interrupted run prints last: where the output stops and how to continue.
/// One error record, unless `--resume` already has it in the output.
fn error_record(
    e: &commentguard::Error,
    skip: &mut resume::Skip,
    s: &mut Summary,
    sink: &mut dyn sink::Sink,
    w: &mut sink::Batch,
) -> Result<()> {
    if !skip.error(e)? {
        s.errors += 1;
        sink.error(w, e)?;
    }
    Ok(())
}

fn resume_hint(sig: i32, out: Option<&Path>, records: u64, output: OutputKind) -> String {
    let name = interrupt::name(sig);
    match (out, output) {
        (_, OutputKind::Html | OutputKind::Table) => format!(
            "interrupted by {name}: the output covers the threads read so far ({records} records); \
             it cannot be resumed, run again to redo it"
        ),
        (Some(p), _) => format!(
            "interrupted by {name}: {records} complete records in {}; to continue, run the same \
             command with --resume",
            p.display()
        ),
        (None, _) => format!(
            "interrupted by {name}: {records} complete records written to standard output; to \
             continue from a saved copy of it, run the same command with --out THAT_FILE --resume"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{score_rendered, score_whole, sink, OutputKind, Summary};
    use commentguard::{formats, Format, Moderator, ReadOptions};

    /// Every record of `input` read as `format`, written through the parallel route (each
    /// comment rendered where it was scored) or the sink's own, error records in place and
    /// the first `from` comments of each thread left out; and the summary's counts.
    fn records(
        kind: OutputKind,
        format: Format,
        input: &[u8],
        from: usize,
        parallel: bool,
    ) -> (String, u64, [u64; 7], [u64; 3]) {
        let m = Moderator::default_model().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out");
        let mut sink = sink::new(kind);
        let mut w = sink::Batch::new(Box::new(std::fs::File::create(&path).unwrap()));
        let mut s = Summary::default();
        let cursor = std::io::Cursor::new(input.to_vec());
        for t in formats::read(cursor, None, Some(format), ReadOptions::default()).unwrap() {
            match t {
                Err(e) => sink.error(&mut w, &e).unwrap(),
                Ok(t) => match sink.render().filter(|_| parallel) {
                    Some(render) => score_rendered(&m, &t, from, render, &mut s, &mut w).unwrap(),
                    None => score_whole(&m, &t, from, sink.as_mut(), &mut s, &mut w).unwrap(),
                },
            }
        }
        w.flush_batch().unwrap();
        let out = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
        (out, s.comments, s.flagged, s.actions)
    }

    #[test]
    fn rendered_records_are_the_sinks_records() {
        let lines = b"thanks, very helpful\nyou are vermin\n\xff not utf-8\n\nthose rats should be exterminated\nsee \"vermin\" in the quote, it is hateful\n".to_vec();
        let thread = concat!(
            "{\"id\":1,\"text\":\"Lovely recipe, thanks\"}\n",
            "{\"id\":2,\"parent\":1,\"text\":\"these people are vermin\"}\n",
            "not json\n",
            "{\"id\":3,\"parent\":2,\"text\":\"> these people are vermin\\nNo, that is hateful.\"}\n",
            "{\"id\":4,\"parent\":1,\"text\":\"you idiot\"}\n",
        );
        let mut seen_flagged = false;
        for (format, input) in [
            (Format::Lines, &lines[..]),
            (Format::Jsonl, thread.as_bytes()),
        ] {
            for kind in [OutputKind::Jsonl, OutputKind::Csv] {
                for from in [0, 1, 2] {
                    let want = records(kind, format, input, from, false);
                    let got = records(kind, format, input, from, true);
                    assert_eq!(got, want, "{format:?} {kind:?} from {from}");
                    // Records and error records were both written; skipped ones were not.
                    let lines = want.0.lines().count();
                    assert!(
                        lines >= 3 - from,
                        "{format:?} {kind:?} from {from}: {}",
                        want.0
                    );
                    // The bad line's error record is there too.
                    let bad = ["not valid UTF-8", "invalid jsonl input"];
                    assert!(bad.iter().any(|e| want.0.contains(e)), "{}", want.0);
                    seen_flagged |= want.2.iter().any(|&n| n > 0);
                }
            }
        }
        assert!(seen_flagged);
    }
}
