//! `commentguard train --data DIR --out PATH` and `commentguard eval --model PATH --data DIR`.

use super::progress::Bars;
use anyhow::{Context as _, Result};
use commentguard::features::FeatureConfig;
use commentguard::model::{Bundle, Quantization, SplitFigures};
use commentguard::train::{self, IdfScope, TrainConfig};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

/// Arguments of `train`.
#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Folder of the public corpora (default: $COMMENTGUARD_DATA).
    #[arg(long, env = "COMMENTGUARD_DATA")]
    data: Option<PathBuf>,
    /// Your own labelled CSV/JSONL files (`text` + label columns); repeatable.
    #[arg(long = "user-data")]
    user_data: Vec<PathBuf>,
    /// Only these data sets (comma-separated names from datasets/README.md).
    #[arg(long, value_delimiter = ',')]
    datasets: Option<Vec<String>>,
    /// Where to write the model bundle (written atomically).
    #[arg(long)]
    out: PathBuf,
    /// log2 of the number of hashed feature buckets.
    #[arg(long, default_value_t = TrainConfig::default().features.bits)]
    bits: u32,
    /// Smallest byte n-gram inside words.
    #[arg(long, default_value_t = FeatureConfig::default().char_min)]
    char_min: u32,
    /// Largest byte n-gram inside words (0: none).
    #[arg(long, default_value_t = FeatureConfig::default().char_max)]
    char_max: u32,
    /// Weight storage: i8 (default) or i16.
    #[arg(long, default_value = "i8", value_parser = quantization)]
    weights: Quantization,
    /// FTRL passes over the training rows.
    #[arg(long, default_value_t = TrainConfig::default().passes)]
    passes: usize,
    /// FTRL learning rate.
    #[arg(long, default_value_t = TrainConfig::default().alpha)]
    alpha: f64,
    /// L2 penalty.
    #[arg(long, default_value_t = TrainConfig::default().l2)]
    l2: f64,
    /// Seed of the row order.
    #[arg(long, default_value_t = TrainConfig::default().seed)]
    seed: u64,
    /// Weight of one data set's rows in the fit, e.g. `commentguard_own=4` (repeatable; sets
    /// not named keep their default: commentguard_own 6, others 1).
    #[arg(long = "dataset-weight", value_name = "NAME=W")]
    dataset_weights: Vec<String>,
    /// Share of positives assumed in the comments you will score, for one label's threshold,
    /// e.g. `slur=0.02` (repeatable; see `TrainConfig::prevalence` for the defaults).
    #[arg(long = "prevalence", value_name = "LABEL=P")]
    prevalence: Vec<String>,
    /// Bootstrap resamples of the dev rows behind each label's threshold (the median of their
    /// best-F1 thresholds); 0 takes the single best on the dev rows
    #[arg(long, value_name = "N", default_value_t = train::THRESHOLD_ROUNDS)]
    threshold_rounds: usize,
    /// No per-data-set intercept in the fit (see `TrainConfig::dataset_offsets`).
    #[arg(long)]
    no_dataset_offsets: bool,
    /// Stacking: calibrate each label over its logit and the comment's lexicon cues (counts
    /// of dehumanising, slur, identity, insult and threat hits; identity near abuse; negation;
    /// counter-speech; quotation marks), fitted on the dev rows (feature config version 3).
    #[arg(long)]
    stack: bool,
    /// IDF weighting of the training features: `words` (word 1–2-grams), `ngrams` (plus byte
    /// n-grams) or `all` buckets, counted on the training rows and folded into the weights
    /// (scoring is unchanged). Default off.
    #[arg(long, value_name = "SCOPE", default_value = "off", value_parser = idf_scope)]
    idf: IdfScope,
    /// With --idf: weight by sqrt(idf) instead of idf.
    #[arg(long)]
    idf_sqrt: bool,
    /// Also write the model card as Markdown here.
    #[arg(long)]
    card: Option<PathBuf>,
    /// Also write each label's calibrated dev probabilities (the rows its threshold is chosen
    /// from) to DIR/<label>.tsv, for `scripts/thresholds.py`
    #[arg(long, value_name = "DIR")]
    dev_scores: Option<PathBuf>,
    /// No slur floor in the bundle (by default a comment that plainly uses an unambiguous
    /// identity slur scores at least the share of such training rows labelled abusive)
    #[arg(long)]
    no_slur_floor: bool,
    /// No progress messages.
    #[arg(long, short)]
    quiet: bool,
}

/// `--weights`: clap reports a bad name with the accepted ones.
fn quantization(s: &str) -> std::result::Result<Quantization, String> {
    Quantization::from_name(s).ok_or_else(|| "must be i8 or i16".to_string())
}

/// `--idf`: clap reports a bad name with the accepted ones.
fn idf_scope(s: &str) -> std::result::Result<IdfScope, String> {
    IdfScope::from_name(s).ok_or_else(|| "must be off, words, ngrams or all".to_string())
}

/// Runs `train`.
pub fn run_train(a: TrainArgs) -> Result<i32> {
    let mut cfg = TrainConfig::default();
    cfg.data = a.data.clone();
    cfg.user_files = a.user_data.clone();
    cfg.datasets = a.datasets.clone();
    let mut fc = FeatureConfig::default();
    fc.bits = a.bits;
    fc.char_min = a.char_min;
    fc.char_max = a.char_max;
    if a.stack {
        fc.version = 3;
        fc.stacked = true;
    }
    cfg.features = fc;
    cfg.quantization = a.weights;
    cfg.passes = a.passes;
    cfg.alpha = a.alpha;
    cfg.l2 = a.l2;
    cfg.seed = a.seed;
    for dw in &a.dataset_weights {
        let (name, w) = super::key_number(
            "--dataset-weight",
            "NAME=W",
            "W must be a number >= 0",
            dw,
            |w: &f32| w.is_finite() && *w >= 0.0,
        )?;
        cfg.dataset_weights.retain(|(n, _)| n != name);
        cfg.dataset_weights.push((name.to_string(), w));
    }
    cfg.dataset_offsets = !a.no_dataset_offsets;
    cfg.idf.scope = a.idf;
    cfg.idf.sublinear = a.idf_sqrt;
    if a.idf_sqrt && !cfg.idf.is_on() {
        anyhow::bail!("--idf-sqrt needs --idf words, ngrams or all");
    }
    for pv in &a.prevalence {
        let (label, p) = super::key_number(
            "--prevalence",
            "LABEL=P",
            "P must be in (0, 1)",
            pv,
            |p: &f64| *p > 0.0 && *p < 1.0,
        )?;
        let label: commentguard::Label = label.parse()?;
        cfg.prevalence[label.index()] = p;
    }
    cfg.threshold_rounds = a.threshold_rounds;
    cfg.dev_scores = a.dev_scores.clone();
    cfg.slur_floor = !a.no_slur_floor;
    cfg.command_line = command_line(&a);
    let bars = Bars::new(a.quiet);
    let t0 = std::time::Instant::now();
    let trained = train::train(&cfg, &bars)?;
    bars.finish();
    trained
        .bundle
        .save(&a.out)
        .with_context(|| format!("writing {}", a.out.display()))?;
    let size = std::fs::metadata(&a.out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "wrote {} ({:.1} MB); fit {:.1} s, total {:.1} s; rows {:?}",
        a.out.display(),
        size as f64 / 1e6,
        trained.fit_seconds,
        t0.elapsed().as_secs_f64(),
        trained.rows
    );
    if let Some(p) = &a.card {
        std::fs::write(p, card_markdown(&trained.bundle))
            .with_context(|| format!("writing {}", p.display()))?;
    }
    let table = figures_table(&trained.bundle.card.splits, "test");
    std::io::stdout().lock().write_all(table.as_bytes())?;
    Ok(0)
}

/// The command line as run, with the data path written as the variable so the card is
/// reproducible on another machine.
fn command_line(a: &TrainArgs) -> Vec<String> {
    let mut v = vec!["commentguard".to_string(), "train".to_string()];
    if a.data.is_some() {
        v.push("--data".into());
        v.push("$COMMENTGUARD_DATA".into());
    }
    for u in &a.user_data {
        v.push("--user-data".into());
        v.push(u.display().to_string());
    }
    if let Some(d) = &a.datasets {
        v.push("--datasets".into());
        v.push(d.join(","));
    }
    v.extend([
        "--out".into(),
        a.out.display().to_string(),
        "--bits".into(),
        a.bits.to_string(),
        "--char-min".into(),
        a.char_min.to_string(),
        "--char-max".into(),
        a.char_max.to_string(),
        "--weights".into(),
        a.weights.name().into(),
        "--passes".into(),
        a.passes.to_string(),
        "--alpha".into(),
        a.alpha.to_string(),
        "--l2".into(),
        a.l2.to_string(),
        "--seed".into(),
        a.seed.to_string(),
    ]);
    if a.stack {
        v.push("--stack".into());
    }
    for dw in &a.dataset_weights {
        v.push("--dataset-weight".into());
        v.push(dw.clone());
    }
    for pv in &a.prevalence {
        v.push("--prevalence".into());
        v.push(pv.clone());
    }
    if a.threshold_rounds != train::THRESHOLD_ROUNDS {
        v.push("--threshold-rounds".into());
        v.push(a.threshold_rounds.to_string());
    }
    if a.no_dataset_offsets {
        v.push("--no-dataset-offsets".into());
    }
    if a.idf != IdfScope::Off {
        v.push("--idf".into());
        v.push(a.idf.name().into());
    }
    if a.idf_sqrt {
        v.push("--idf-sqrt".into());
    }
    v
}

fn fmt_opt(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "–".into())
}

/// A Markdown table of the figures of one split kind.
pub fn figures_table(figs: &[SplitFigures], split: &str) -> String {
    let mut s = String::from(
        "| data set | split | label | rows | positives | ROC AUC | PR AUC | F1 | threshold |\n|---|---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for f in figs.iter().filter(|f| f.split == split) {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {:.3} | {:.2} |\n",
            f.dataset,
            f.split,
            f.label,
            f.rows,
            f.positives,
            fmt_opt(f.roc_auc),
            fmt_opt(f.average_precision),
            f.f1,
            f.threshold
        ));
    }
    s
}

/// The model card as Markdown.
pub fn card_markdown(b: &Bundle) -> String {
    let c = &b.card;
    let mut s = format!(
        "# Model card: {}\n\nCreated {}.\n\n## Command\n\n```sh\n{}\n```\n\n## Seeds\n\n",
        c.name,
        c.created,
        c.command_line.join(" ")
    );
    for (k, v) in &c.seeds {
        s.push_str(&format!("- {k}: {v}\n"));
    }
    s.push_str("\n## Data (sha256)\n\n");
    for (k, v) in &c.data_checksums {
        s.push_str(&format!("- `{v}`  {k}\n"));
    }
    s.push_str("\n## Feature space\n\n```json\n");
    s.push_str(&serde_json::to_string_pretty(&b.feature_space).unwrap_or_default());
    s.push_str("\n```\n\n## Thresholds (tuned on the dev splits)\n\n");
    for (l, t) in b.model.labels().iter().zip(b.model.thresholds()) {
        s.push_str(&format!("- {l}: {t:.3}\n"));
    }
    s.push_str("\n## Held-out test figures\n\n");
    s.push_str(&figures_table(&c.splits, "test"));
    s.push_str("\n## Dev figures (used for calibration and thresholds)\n\n");
    s.push_str(&figures_table(&c.splits, "dev"));
    s.push_str("\n## Notes\n\n");
    for n in &c.notes {
        s.push_str(&format!("- {n}\n"));
    }
    s
}

/// Arguments of `eval`.
#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// The model bundle to evaluate (default: the shipped model's file, models/default.cgm).
    #[arg(long, default_value = "models/default.cgm")]
    model: PathBuf,
    /// Folder of the public corpora (default: $COMMENTGUARD_DATA).
    #[arg(long, env = "COMMENTGUARD_DATA")]
    data: PathBuf,
    /// Also write every figure as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Also write every test row's probabilities to this folder, one
    /// `<dataset>.test.scores.csv` per data set (for paired bootstrap intervals against the
    /// baseline: scripts/baseline/compare.py).
    #[arg(long, value_name = "DIR")]
    scores: Option<PathBuf>,
    /// No progress messages.
    #[arg(long, short)]
    quiet: bool,
}

/// `eval`'s report as Markdown: test figures, native figures, bias audit.
fn eval_markdown(r: &train::EvalReport) -> std::result::Result<String, std::fmt::Error> {
    let mut s = String::new();
    writeln!(s, "## Held-out test splits\n")?;
    write!(s, "{}", figures_table(&r.figures, "test"))?;
    writeln!(s, "\n## Figures comparable to published ones\n")?;
    writeln!(
        s,
        "| data set | metric | ours | published | rows |\n|---|---|---:|---|---:|"
    )?;
    for n in &r.native {
        writeln!(
            s,
            "| {} | {} | {:.3} | {} | {} |",
            n.dataset, n.metric, n.ours, n.published, n.rows
        )?;
    }
    if let Some(b) = &r.bias {
        writeln!(s, "\n## Bias audit (identity templates, evaluation only)\n")?;
        writeln!(s, "Overall toxic ROC AUC: {}", fmt_opt(b.roc_auc))?;
        writeln!(
            s,
            "Hateful-flag FPR on non-toxic sentences: median {:.4}, max {:.4} ({}); toxic-flag FPR: median {:.4}, max {:.4} ({})",
            b.median_fpr_hateful, b.max_fpr_hateful.1, b.max_fpr_hateful.0,
            b.median_fpr_toxic, b.max_fpr_toxic.1, b.max_fpr_toxic.0
        )?;
        if let Some((a, f)) = b.wiki_auc {
            writeln!(s, "Wikipedia identity comments toxic ROC AUC: {a:.3} as published, {f:.3} with identity terms swapped")?;
        }
        writeln!(
            s,
            "\n| term | rows | ROC AUC | FPR toxic | FPR hateful |\n|---|---:|---:|---:|---:|"
        )?;
        for t in &b.terms {
            writeln!(
                s,
                "| {} | {} | {} | {:.4} | {:.4} |",
                t.term,
                t.rows,
                fmt_opt(t.roc_auc),
                t.fpr_toxic,
                t.fpr_hateful
            )?;
        }
    }
    Ok(s)
}

/// Runs `eval`: prints Markdown tables of the test figures, native figures and bias audit.
pub fn run_eval(a: EvalArgs) -> Result<i32> {
    let bundle =
        Bundle::load(&a.model).with_context(|| format!("loading {}", a.model.display()))?;
    let space = commentguard::features::FeatureSpace::from_bundle_config(
        &bundle.feature_space,
        commentguard::lexicon::Lexicon::default(),
    )?;
    for d in space.drift(&bundle.card) {
        eprintln!(
            "warning: {} was {d}: these figures are this build's, not its card's",
            a.model.display()
        );
    }
    let bars = Bars::new(a.quiet);
    let r = commentguard::train::evaluate_bundle(&bundle, &a.data, &bars)?;
    bars.finish();
    // Files first, then stdout in one write: a closed pipe (`eval | head`) ends the command
    // quietly (an io error, not a println! panic) after the files are written.
    if let Some(p) = &a.json {
        std::fs::write(p, serde_json::to_string_pretty(&r)?)
            .with_context(|| format!("writing {}", p.display()))?;
    }
    if let Some(dir) = &a.scores {
        commentguard::train::write_test_scores(&r, bundle.model.labels(), dir)
            .with_context(|| format!("writing test scores to {}", dir.display()))?;
    }
    let out = eval_markdown(&r)?;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(0)
}
