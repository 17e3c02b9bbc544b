//! Rust side of the peer benchmarks (issue 4). Run through `scripts/peers/run.sh`.
//!
//! ```text
//! peers train-fasttext SPLITS_DIR MODEL.bin [words]
//!                                             fastText on every <dataset>.train.csv (never test);
//!                                             char 2-5-grams unless `words` (words + bigrams only)
//! peers score TOOL TEXTS OUT.jsonl            one {"toxic":p,"hateful":p} line per text line
//!                                             (ours: hateful = identity_attack, as in `eval`)
//! peers speed TOOL TEXTS                      warm, this thread only: prints one JSON line
//! peers check TOOL                            loads TOOL and scores one text
//! ```
//!
//! TOOL is `ours` (the library, `Moderator::probabilities`, shipped model), `ours:BUNDLE.cgm` (the
//! same with another bundle), `rustrict` or `fasttext:MODEL.bin`.
//! TEXTS has one comment per line (newlines inside comments already flattened by peers.py).

use commentguard::features::Context;
use commentguard::{Label, Moderator};
use std::error::Error;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

type Res<T> = Result<T, Box<dyn Error>>;

/// The labels of our model that the fastText model is trained on (one-vs-all), plus `clean`
/// for rows with no positive known label (fastText skips rows without labels).
const LABELS: [&str; 7] = [
    "toxic",
    "insult",
    "threat",
    "obscene",
    "identity_attack",
    "dehumanising",
    "slur",
];

/// fastText's tokeniser splits on whitespace only: lower-case and split punctuation off.
fn ft_prep(text: &str, out: &mut String) {
    out.clear();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '\'' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push(' ');
        } else {
            out.push(' ');
            out.push(c);
            out.push(' ');
        }
    }
}

/// A scorer: toxic-ish and hateful-ish scores for one text.
enum Tool {
    Ours(Moderator, Context),
    Rustrict,
    FastText(Box<fasttext::FastText>, usize, String),
}

impl Tool {
    fn open(spec: &str) -> Res<Tool> {
        if spec == "ours" {
            return Ok(Tool::Ours(Moderator::default_model()?, Context::default()));
        }
        if let Some(path) = spec.strip_prefix("ours:") {
            let m = Moderator::load(path, commentguard::Policy::default())?;
            return Ok(Tool::Ours(m, Context::default()));
        }
        if spec == "rustrict" {
            return Ok(Tool::Rustrict);
        }
        if let Some(path) = spec.strip_prefix("fasttext:") {
            let m = fasttext::FastText::load_model(path)?;
            let (labels, _) = m.get_labels();
            for name in ["toxic", "identity_attack"] {
                if !labels.iter().any(|l| l == &format!("__label__{name}")) {
                    return Err(format!("{path}: no label {name}").into());
                }
            }
            let n = labels.len();
            return Ok(Tool::FastText(Box::new(m), n, String::new()));
        }
        Err(format!("unknown tool {spec}: ours, ours:BUNDLE.cgm, rustrict or fasttext:MODEL.bin").into())
    }

    /// (toxic, hateful) scores.
    fn score(&mut self, text: &str) -> (f32, f32) {
        match self {
            Tool::Ours(m, ctx) => {
                let p = m.probabilities(text, ctx);
                (p[Label::Toxic.index()], p[Label::IdentityAttack.index()])
            }
            Tool::Rustrict => {
                use rustrict::{Censor, Type};
                let t = Censor::from_str(text).analyze();
                let level = |kind: Type| -> f32 {
                    if t.is(kind & Type::SEVERE) {
                        3.0
                    } else if t.is(kind & Type::MODERATE) {
                        2.0
                    } else if t.is(kind & Type::MILD) {
                        1.0
                    } else {
                        0.0
                    }
                };
                let any = Type::PROFANE | Type::OFFENSIVE | Type::SEXUAL | Type::MEAN;
                (level(any), level(Type::OFFENSIVE))
            }
            Tool::FastText(m, n, buf) => {
                ft_prep(text, buf);
                let mut out = (0.0, 0.0);
                for p in m.predict(buf, *n, 0.0) {
                    if p.label.ends_with("__toxic") {
                        out.0 = p.prob;
                    } else if p.label.ends_with("__identity_attack") {
                        out.1 = p.prob;
                    }
                }
                out
            }
        }
    }
}

fn read_lines(path: &str) -> Res<Vec<String>> {
    let f = BufReader::new(File::open(path).map_err(|e| format!("{path}: {e}"))?);
    Ok(f.lines().collect::<Result<_, _>>()?)
}

fn train_fasttext(splits: &str, out: &str, words_only: bool) -> Res<()> {
    let train_txt = std::path::PathBuf::from(format!("{out}.train.txt"));
    let mut w = BufWriter::new(File::create(&train_txt)?);
    let mut rows = 0usize;
    // Same data sets as peers.py (PEERS_SKIP: prefixes of data sets to leave out).
    let skip = std::env::var("PEERS_SKIP")
        .unwrap_or_else(|_| "conversationai_,commentguard_own".to_string());
    let skip: Vec<&str> = skip.split(',').filter(|s| !s.is_empty()).collect();
    let mut names: Vec<_> = std::fs::read_dir(splits)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".train.csv") && !skip.iter().any(|s| name.starts_with(s))
        })
        .collect();
    names.sort();
    let mut buf = String::new();
    for p in &names {
        let mut r = csv::Reader::from_path(p)?;
        let head = r.headers()?.clone();
        let col = |name: &str| head.iter().position(|h| h == name);
        let text_col = col("text").ok_or("no text column")?;
        let label_cols: Vec<(usize, &str)> = LABELS
            .iter()
            .filter_map(|l| col(l).map(|c| (c, *l)))
            .collect();
        for rec in r.records() {
            let rec = rec?;
            let mut line = String::new();
            for (c, l) in &label_cols {
                if rec.get(*c) == Some("1") {
                    line.push_str("__label__");
                    line.push_str(l);
                    line.push(' ');
                }
            }
            if line.is_empty() {
                line.push_str("__label__clean ");
            }
            ft_prep(&rec[text_col], &mut buf);
            line.push_str(
                buf.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .as_str(),
            );
            writeln!(w, "{line}")?;
            rows += 1;
        }
    }
    w.flush()?;
    drop(w);
    let mut args = fasttext::args::Args::default();
    args.apply_supervised_defaults();
    args.input = train_txt.clone();
    args.loss = fasttext::args::LossName::OneVsAll;
    args.epoch = 10;
    args.lr = 0.5;
    args.dim = 50;
    args.word_ngrams = 2;
    (args.minn, args.maxn) = if words_only { (0, 0) } else { (2, 5) };
    args.bucket = 1_000_000;
    // One thread: Hogwild training on several is not reproducible run to run.
    args.thread = 1;
    args.verbose = 0;
    let t0 = Instant::now();
    let m = fasttext::FastText::train(args)?;
    let secs = t0.elapsed().as_secs_f64();
    m.save_model(out)?;
    println!(
        "{{\"tool\":\"fasttext\",\"model\":\"{out}\",\"minn\":{},\"maxn\":{},\"train_rows\":{rows},\"train_secs\":{secs:.2},\"files\":{}}}",
        m.args().minn,
        m.args().maxn,
        names.len()
    );
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["train-fasttext", splits, out] => train_fasttext(splits, out, false),
        ["train-fasttext", splits, out, "words"] => train_fasttext(splits, out, true),
        ["score", tool, texts, out] => {
            let mut tool = Tool::open(tool)?;
            let mut w = BufWriter::new(File::create(out)?);
            for t in read_lines(texts)? {
                let (a, b) = tool.score(&t);
                writeln!(w, "{{\"toxic\":{a},\"hateful\":{b}}}")?;
            }
            Ok(w.flush()?)
        }
        ["check", spec] => {
            let (a, b) = Tool::open(spec)?.score("a first comment to check the model loads");
            println!("{spec}: ok ({a:.3}, {b:.3})");
            Ok(())
        }
        ["speed", spec, texts] => {
            let mut tool = Tool::open(spec)?;
            let texts = read_lines(texts)?;
            if texts.is_empty() {
                return Err(format!("{}: no texts", args[2]).into());
            }
            let mut sink = 0f32;
            for t in texts.iter().take(1000) {
                sink += tool.score(t).0;
            }
            // At least 2 s of work, whole passes only.
            let t0 = Instant::now();
            let mut n = 0usize;
            while n == 0 || t0.elapsed().as_secs_f64() < 2.0 {
                for t in &texts {
                    sink += tool.score(t).0;
                }
                n += texts.len();
            }
            let secs = t0.elapsed().as_secs_f64();
            std::hint::black_box(sink);
            // fasttext:DIR/NAME.bin is reported as NAME.
            let name = match spec.strip_prefix("fasttext:") {
                Some(p) => Path::new(p)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("fasttext"),
                None => spec,
            };
            println!(
                "{{\"tool\":\"{name}\",\"texts\":\"{texts_path}\",\"n\":{n},\"secs\":{secs:.3},\"per_s\":{:.0}}}",
                n as f64 / secs,
                texts_path = args[2]
            );
            Ok(())
        }
        _ => Err(
            "usage: peers train-fasttext SPLITS MODEL [words] | score TOOL TEXTS OUT \
             | speed TOOL TEXTS | check TOOL"
                .into(),
        ),
    }
}
